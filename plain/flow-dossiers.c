/*
 * "Hồ sơ của tôi" (account menu) in lines: the citizen's dossiers as a
 * menu, code first, the latest changed first, those an officer changed
 * since the last look marked "*" (then PUT /api/v1/me/seen with the
 * list's time); a dossier's facts, its history oldest first (status,
 * time, who), and its result files, each saved to a path typed by the
 * citizen (a folder takes the file's own name; an existing file is never
 * replaced).
 */
#include <stdlib.h>
#include <string.h>

#include "client/tracking.h"
#include "plain.h"
#include "xmalloc.h"

/* Fetches path (with the token) into r: PLAIN_OK, PLAIN_BACK, _QUIT. */
static int
get(struct plain *p, const char *path, struct plain_reply *r)
{
	struct session_request req;
	char err[256];

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	if (plain_call(p, &req, r) != PLAIN_OK)
		return PLAIN_QUIT;
	if (r->status != STATUS_OK || r->http != 200) {
		plain_reply_message(p, r, err, sizeof err);
		plain_say(p, "%s", err);
		plain_reply_free(r);
		return PLAIN_BACK;
	}
	return PLAIN_OK;
}

/* A result file saved where the citizen says. */
static int
save_result(struct plain *p, const struct tracking_dossier *d,
    const struct tracking_result *res)
{
	struct plain_field f;
	struct plain_reply r;
	char *to, *path, saved[1024], err[1024];
	int rc;

	memset(&f, 0, sizeof f);
	f.label = plain_t(p, "Lưu vào", "Save to");
	f.rule = plain_t(p, "đường dẫn hoặc thư mục", "a path or a folder");
	f.value = res->name;
	f.flags = PLAIN_FIELD_REQUIRED;
	f.max = 4096;
	f.help = plain_t(p, "Một thư mục giữ tên của tệp; tệp đã có không bao "
	    "giờ bị ghi đè.", "A folder keeps the file's own name; an existing "
	    "file is never replaced.");
	if ((rc = plain_ask(p, &f, &to)) != PLAIN_OK)
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	path = tracking_result_path(d->id, res->seq);
	if (path == NULL) {
		free(to);
		return PLAIN_OK;
	}
	rc = get(p, path, &r);
	free(path);
	if (rc != PLAIN_OK) {
		free(to);
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	}
	if (tracking_save(to, res->name, r.body, r.len, p->opt.lang, saved,
	    sizeof saved, err, sizeof err) == STATUS_OK)
		plain_say(p, PLAIN_T(p, "Đã lưu vào %s.", "Saved to %s."), saved);
	else
		plain_say(p, "%s", err);
	plain_reply_free(&r);
	free(to);
	return PLAIN_OK;
}

/* Withdraws the dossier, after a question. */
static int
withdraw(struct plain *p, const struct tracking_dossier *d)
{
	struct session_request req;
	struct plain_reply r;
	char err[256], *path;
	int rc, yes = 0;

	rc = plain_confirm(p, plain_t(p, "Rút hồ sơ này? Cơ quan sẽ dừng xử "
	    "lý.", "Withdraw this dossier? The agency stops working on it."),
	    &yes);
	if (rc == PLAIN_QUIT)
		return rc;
	if (!yes) {
		plain_say(p, "%s", plain_t(p, "Không rút hồ sơ.",
		    "Not withdrawn."));
		return PLAIN_OK;
	}
	path = xasprintf("/api/v1/dossiers/%s/withdraw", d->id);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.path = path;
	req.content_type = "application/json";
	req.body = "{}";
	req.body_len = 2;
	req.flags = SESSION_REQ_AUTH;
	rc = plain_call(p, &req, &r);
	free(path);
	if (rc != PLAIN_OK)
		return rc;
	if (r.status == STATUS_OK && r.http == 200)
		plain_say(p, "%s", plain_t(p, "Đã rút hồ sơ.",
		    "The dossier is withdrawn."));
	else {
		plain_reply_message(p, &r, err, sizeof err);
		plain_say(p, "%s", err);
	}
	plain_reply_free(&r);
	return PLAIN_OK;
}

static void
print_dossier(struct plain *p, const struct tracking_dossier *d)
{
	const struct tracking_event *e;
	char when[32];
	size_t i;

	plain_say(p, PLAIN_T(p, "Hồ sơ %s: %s.", "Dossier %s: %s."),
	    d->code[0] != '\0' ? d->code : plain_t(p, "(chưa nộp)",
	    "(not submitted)"), d->status_label);
	if (d->procedure_name[0] != '\0')
		plain_say(p, PLAIN_T(p, "Thủ tục: %s", "Procedure: %s"),
		    d->procedure_name);
	tracking_datetime(d->submitted_at, when, sizeof when);
	if (when[0] != '\0')
		plain_say(p, PLAIN_T(p, "Ngày nộp: %s", "Submitted: %s"), when);
	if (d->appointment_date[0] != '\0')
		plain_say(p, PLAIN_T(p, "Ngày hẹn trả: %s", "Appointment: %s"),
		    d->appointment_date);
	if (d->note[0] != '\0')
		plain_say(p, PLAIN_T(p, "Ghi chú: %s", "Note: %s"), d->note);
	if (d->nevents > 0)
		plain_say(p, "%s", plain_t(p, "Quá trình xử lý:", "History:"));
	for (i = 0; i < d->nevents; i++) {
		e = &d->events[i];
		tracking_datetime(e->at, when, sizeof when);
		plain_say(p, "%s — %s, %s", e->status_label, when,
		    e->officer ? plain_t(p, "cán bộ", "officer") :
		    plain_t(p, "công dân", "citizen"));
		if (e->note[0] != '\0')
			plain_say(p, PLAIN_T(p, "Ghi chú: %s", "Note: %s"),
			    e->note);
	}
}

/* A dossier: its facts and history, then its result files to save. */
static int
detail(struct plain *p, const char *id)
{
	struct tracking_dossier d;
	struct plain_reply r;
	struct plain_items it;
	struct plain_menu m;
	char *path, err[256];
	size_t i, choice;
	int rc;

	if ((path = tracking_dossier_path(id)) == NULL)
		return PLAIN_OK;
	rc = get(p, path, &r);
	free(path);
	if (rc != PLAIN_OK)
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	if (tracking_dossier_parse(r.body, r.len, &d, err, sizeof err) !=
	    STATUS_OK) {
		plain_say(p, "%s", err);
		tracking_dossier_free(&d);
		plain_reply_free(&r);
		return PLAIN_OK;
	}
	plain_reply_free(&r);
	/* A draft goes on in the wizard. */
	if (d.status == 0 && d.code[0] == '\0') {
		rc = plain_wizard_resume(p, d.procedure, d.id, 0);
		tracking_dossier_free(&d);
		return rc;
	}
	print_dossier(p, &d);
	for (;;) {
		size_t sup = PLAIN_NONE, wd = PLAIN_NONE;

		memset(&it, 0, sizeof it);
		for (i = 0; i < d.nresults; i++)
			plain_items_add(&it, PLAIN_T(p, "Lưu tệp kết quả %s "
			    "(%lld KB)", "Save the result file %s (%lld KB)"),
			    d.results[i].name, (d.results[i].size + 1023) / 1024);
		if (d.actions & TRACKING_CAN_SUPPLEMENT) {
			sup = it.n;
			plain_items_add(&it, "%s", plain_t(p, "Bổ sung hồ sơ",
			    "Supplement the dossier"));
		}
		if (d.actions & TRACKING_CAN_WITHDRAW) {
			wd = it.n;
			plain_items_add(&it, "%s", plain_t(p, "Rút hồ sơ",
			    "Withdraw the dossier"));
		}
		plain_items_add(&it, "%s", plain_t(p, "Quay lại", "Back"));
		memset(&m, 0, sizeof m);
		m.items = (const char *const *)it.v;
		m.n = it.n;
		m.def = it.n - 1;
		rc = plain_menu(p, &m, &choice);
		plain_items_free(&it);
		if (rc != PLAIN_OK || choice == m.n - 1)
			break;
		if (choice == sup) {
			rc = plain_wizard_resume(p, d.procedure, d.id, 1);
			break;
		}
		if (choice == wd) {
			rc = withdraw(p, &d);
			break;
		}
		if ((rc = save_result(p, &d, &d.results[choice])) != PLAIN_OK)
			break;
	}
	tracking_dossier_free(&d);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

/* What was shown is seen: the marks go (a later change stays marked). */
static int
mark_seen(struct plain *p, const struct tracking_list *l)
{
	struct session_request req;
	struct plain_reply r;
	char *body;
	int rc;

	body = tracking_seen_body(l->listed_at);
	memset(&req, 0, sizeof req);
	req.method = "PUT";
	req.path = "/api/v1/me/seen";
	req.content_type = "application/json";
	req.body = body;
	req.body_len = strlen(body);
	req.flags = SESSION_REQ_AUTH;
	rc = plain_call(p, &req, &r);
	free(body);
	if (rc == PLAIN_OK)
		plain_reply_free(&r);
	return rc;
}

static int
run_dossiers(struct plain *p)
{
	struct tracking_list l;
	const struct tracking_item *it;
	struct plain_reply r;
	struct plain_items items;
	struct plain_menu m;
	char err[256], when[32], *title;
	size_t i, nch, choice, def = 0;
	int rc;

	for (;;) {
		if ((rc = get(p, "/api/v1/dossiers", &r)) != PLAIN_OK)
			return rc == PLAIN_QUIT ? rc : PLAIN_OK;
		if (tracking_list_parse(r.body, r.len, &l, err, sizeof err) !=
		    STATUS_OK) {
			plain_say(p, "%s", err);
			tracking_list_free(&l);
			plain_reply_free(&r);
			return PLAIN_OK;
		}
		plain_reply_free(&r);
		if (l.n == 0) {
			plain_say(p, "%s", plain_t(p, "Hồ sơ của tôi: chưa có "
			    "hồ sơ nào.", "My dossiers: none yet."));
			tracking_list_free(&l);
			return PLAIN_OK;
		}
		nch = tracking_list_changed(&l);
		memset(&items, 0, sizeof items);
		for (i = 0; i < l.n; i++) {
			it = &l.items[i];
			tracking_date(it->code[0] != '\0' ? it->status_at :
			    NULL, when, sizeof when);
			plain_items_add(&items, "%s%s — %s%s%s",
			    it->changed ? "* " : "", it->code[0] != '\0' ?
			    it->code : it->procedure, it->status_label,
			    when[0] != '\0' ? ", " : "", when);
		}
		if (nch > 0)
			title = xasprintf(PLAIN_T(p, "Hồ sơ của tôi: %zu hồ sơ "
			    "có thay đổi từ lần xem trước (*)", "My dossiers: %zu "
			    "changed since your last look (*)"), nch);
		else
			title = xstrdup(plain_t(p, "Hồ sơ của tôi",
			    "My dossiers"));
		memset(&m, 0, sizeof m);
		m.title = title;
		m.items = (const char *const *)items.v;
		m.n = items.n;
		m.def = def < l.n ? def : 0;
		rc = nch > 0 ? mark_seen(p, &l) : PLAIN_OK;
		if (rc == PLAIN_OK)
			rc = plain_menu(p, &m, &choice);
		plain_items_free(&items);
		free(title);
		if (rc == PLAIN_OK) {
			def = choice;
			rc = detail(p, l.items[choice].id);
		}
		tracking_list_free(&l);
		if (rc != PLAIN_OK)
			return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	}
}

const struct plain_flow plain_flow_dossiers = {
	.label = { "Hồ sơ của tôi", "My dossiers" },
	.when = PLAIN_LOGGED_IN,
	.run = run_dossiers,
};
