/*
 * "Hồ sơ của tôi" (account menu) in lines: the citizen's dossiers as a
 * menu, each by its procedure's name with its status (a draft: "Bản
 * nháp") and, once submitted, its code after them, the latest changed
 * first, those an officer changed since the last look marked "*" (the
 * look is then recorded), asked for again each time the citizen comes
 * back to it; a
 * dossier's facts, its history oldest first (status, time, who), then
 * its result files and, once signed, "Lưu tờ khai đã ký (PDF)…", each
 * saved to a path typed by the citizen (a folder takes the file's own
 * name, and the declaration's receipt beside it; an existing file is
 * never replaced); a supplement and a withdrawal when allowed.  The
 * requests and answers are the flows of client/dossiers.h.
 */
#include <stdlib.h>
#include <string.h>

#include "client/dossiers.h"
#include "plain.h"
#include "xmalloc.h"

/* Runs flow through run to its end: PLAIN_OK or PLAIN_QUIT. */
static int
run_flow(struct plain *p, const struct flow_ops *ops, void *flow)
{
	struct flow_run run;

	flow_run_init(&run, p->session, ops, flow);
	return plain_flow(p, &run);
}

/*
 * Asks where to save (declaration set: the signed declaration, which
 * takes its receipt along; else the file named name): PLAIN_OK with *to
 * (a whole path, "~" and the current folder filled in; caller frees),
 * PLAIN_BACK, or PLAIN_QUIT.
 */
static int
ask_where(struct plain *p, int declaration, const char *name, char **to)
{
	struct plain_field f;

	char *typed;
	int rc;

	memset(&f, 0, sizeof f);
	f.label = plain_t(p, "Lưu vào", "Save to");
	f.rule = plain_t(p, "đường dẫn hoặc thư mục", "a path or a folder");
	f.value = declaration ? "." : name;
	f.value_said = declaration ? plain_t(p, "thư mục hiện tại",
	    "the current folder") : NULL;
	f.flags = PLAIN_FIELD_REQUIRED;
	f.max = 4096;
	f.help = declaration ? plain_t(p, "Vào một thư mục: tờ khai và biên "
	    "nhận, đặt tên theo mã hồ sơ; tệp đã có không bao giờ bị ghi đè.",
	    "Into a folder: the declaration and the receipt, named after the "
	    "dossier's code; an existing file is never replaced.") :
	    plain_t(p, "Một thư mục giữ tên của tệp; tệp đã có không bao giờ "
	    "bị ghi đè.", "A folder keeps the file's own name; an existing "
	    "file is never replaced.");
	if ((rc = plain_ask(p, &f, &typed)) == PLAIN_OK) {
		/* Made whole, so that where it went is said in full. */
		*to = plain_path(typed);
		free(typed);
	}
	return rc;
}

/* Runs the save s was given (go) and says how it went. */
static int
run_save(struct plain *p, struct dossiers_save *s, int go)
{
	int rc = go ? run_flow(p, &dossiers_save_flow, s) : PLAIN_OK;

	if (rc == PLAIN_OK)
		plain_say(p, "%s", s->message);
	return rc;
}

int
plain_save_declaration(struct plain *p, const char *id, const char *code,
    const char *receipt)
{
	struct dossiers_save s;
	char *to;
	int rc;

	if ((rc = ask_where(p, 1, NULL, &to)) != PLAIN_OK)
		return rc;
	dossiers_save_init(&s, p->opt.lang);
	rc = run_save(p, &s, dossiers_save_declaration(&s, id, code, receipt,
	    to));
	dossiers_save_free(&s);
	free(to);
	return rc;
}

/* Result file res of dossier d, saved where the citizen says. */
static int
save_result(struct plain *p, const struct tracking_dossier *d,
    const struct tracking_result *res)
{
	struct dossiers_save s;
	char *to;
	int rc;

	if ((rc = ask_where(p, 0, res->name, &to)) != PLAIN_OK)
		return rc;
	dossiers_save_init(&s, p->opt.lang);
	rc = run_save(p, &s, dossiers_save_result(&s, d->id, res, to));
	dossiers_save_free(&s);
	free(to);
	return rc;
}

/* Withdraws the dossier, after a question. */
static int
withdraw(struct plain *p, struct dossiers_view *v)
{
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
	if (!dossiers_view_withdraw(v))
		return PLAIN_OK;
	if ((rc = run_flow(p, &dossiers_view_flow, v)) == PLAIN_OK)
		plain_say(p, "%s", v->message);
	return rc;
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

/* What a dossier offers, in its menu's order. */
struct offer {
	struct plain_items	 it;
	size_t			 declaration, supplement, withdraw;
};

static void
offer_make(struct plain *p, const struct tracking_dossier *d,
    struct offer *o)
{
	size_t i;

	memset(o, 0, sizeof *o);
	o->declaration = o->supplement = o->withdraw = PLAIN_NONE;
	for (i = 0; i < d->nresults; i++)
		plain_items_add(&o->it, PLAIN_T(p, "Lưu tệp kết quả %s "
		    "(%lld KB)", "Save the result file %s (%lld KB)"),
		    d->results[i].name, (d->results[i].size + 1023) / 1024);
	if (d->signed_now) {
		o->declaration = o->it.n;
		plain_items_add(&o->it, "%s", plain_t(p, "Lưu tờ khai đã ký "
		    "(PDF)…", "Save the signed declaration (PDF)…"));
	}
	if (d->actions & TRACKING_CAN_SUPPLEMENT) {
		o->supplement = o->it.n;
		plain_items_add(&o->it, "%s", plain_t(p, "Bổ sung hồ sơ",
		    "Supplement the dossier"));
	}
	if (d->actions & TRACKING_CAN_WITHDRAW) {
		o->withdraw = o->it.n;
		plain_items_add(&o->it, "%s", plain_t(p, "Rút hồ sơ",
		    "Withdraw the dossier"));
	}
	plain_items_add(&o->it, "%s", plain_t(p, "Quay lại", "Back"));
}

/* The dossier's menu until back, a supplement or a withdrawal. */
static int
actions(struct plain *p, struct dossiers_view *v)
{
	const struct tracking_dossier *d = &v->d;
	struct plain_menu m;
	struct offer o;
	char *heading;
	size_t choice;
	int rc, again = 0;

	/* Back from an action, a heading says which dossier this is. */
	heading = xasprintf(PLAIN_T(p, "Hồ sơ %s%s%s", "Dossier %s%s%s"),
	    d->procedure_name, d->code[0] != '\0' ? plain_t(p, ", mã ",
	    ", code ") : "", d->code);
	for (;; again = 1) {
		offer_make(p, d, &o);
		memset(&m, 0, sizeof m);
		m.title = again ? heading : NULL;
		m.items = (const char *const *)o.it.v;
		m.n = o.it.n;
		m.def = o.it.n - 1;
		rc = plain_menu(p, &m, &choice);
		plain_items_free(&o.it);
		if (rc != PLAIN_OK || choice == m.n - 1)
			break;
		if (choice == o.supplement) {
			rc = plain_wizard_resume(p, d->procedure, d->id, 1);
			break;
		}
		if (choice == o.withdraw) {
			rc = withdraw(p, v);
			break;
		}
		rc = choice == o.declaration ? plain_save_declaration(p,
		    d->id, d->code, NULL) : save_result(p, d,
		    &d->results[choice]);
		if (rc == PLAIN_BACK)
			rc = PLAIN_OK;
		if (rc != PLAIN_OK)
			break;
	}
	free(heading);
	return rc;
}

/* A dossier: its facts and history, then what it offers. */
static int
detail(struct plain *p, const char *id)
{
	struct dossiers_view v;
	int rc;

	dossiers_view_init(&v, p->opt.lang);
	dossiers_view_open(&v, id);
	if ((rc = run_flow(p, &dossiers_view_flow, &v)) != PLAIN_OK)
		goto out;
	if (v.state != DOSSIERS_VIEW_READY)
		plain_say(p, "%s", v.message);
	else if (dossiers_view_draft(&v))	/* goes on in the wizard */
		rc = plain_wizard_resume(p, v.d.procedure, v.d.id, 0);
	else {
		print_dossier(p, &v.d);
		rc = actions(p, &v);
	}
out:
	dossiers_view_free(&v);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

/* The list as a menu, the changed ones counted in its title. */
static int
choose(struct plain *p, const struct dossiers_list *l, size_t *choice)
{
	const struct tracking_item *it;
	struct plain_items items;
	struct plain_menu m;
	char when[32], *title;
	size_t i, def = *choice;
	int rc;

	memset(&items, 0, sizeof items);
	for (i = 0; i < l->list.n; i++) {
		it = &l->list.items[i];
		tracking_date(it->code[0] != '\0' ? it->status_at : NULL, when,
		    sizeof when);
		/* By the procedure's name; the code after it, to note. */
		plain_items_add(&items, "%s%s — %s%s%s%s%s", it->changed ?
		    "* " : "", it->procedure_name[0] != '\0' ?
		    it->procedure_name : it->procedure, it->code[0] != '\0' ?
		    it->status_label : plain_t(p, "Bản nháp", "Draft"),
		    when[0] != '\0' ? ", " : "", when, it->code[0] != '\0' ?
		    plain_t(p, " — mã ", " — code ") : "", it->code);
	}
	if (l->changed > 0)
		title = xasprintf(PLAIN_T(p, "Hồ sơ của tôi: %zu hồ sơ có thay "
		    "đổi từ lần xem trước (*)", "My dossiers: %zu changed since "
		    "your last look (*)"), l->changed);
	else
		title = xstrdup(plain_t(p, "Hồ sơ của tôi", "My dossiers"));
	memset(&m, 0, sizeof m);
	m.title = title;
	m.items = (const char *const *)items.v;
	m.n = items.n;
	m.def = def < l->list.n ? def : 0;
	rc = plain_menu(p, &m, choice);
	plain_items_free(&items);
	free(title);
	return rc;
}

/*
 * The list, asked for again (a 304 when nothing changed) each time the
 * citizen comes back to it, the dossier chosen last offered again by
 * its id.
 */
static int
run_dossiers(struct plain *p)
{
	struct dossiers_list l;
	size_t choice = 0, at;
	char *last = NULL;
	int rc;

	dossiers_list_init(&l, p->opt.lang);
	for (;;) {
		dossiers_list_load(&l);
		if ((rc = run_flow(p, &dossiers_list_flow, &l)) != PLAIN_OK)
			break;
		if ((at = tracking_list_find(&l.list, last)) < l.list.n)
			choice = at;
		if (l.state != DOSSIERS_LIST_READY) {
			plain_say(p, "%s", l.message);
			break;
		}
		if (l.list.n == 0) {
			plain_say(p, "%s", plain_t(p, "Hồ sơ của tôi: chưa có "
			    "hồ sơ nào.", "My dossiers: none yet."));
			break;
		}
		if ((rc = choose(p, &l, &choice)) != PLAIN_OK)
			break;
		free(last);
		last = xstrdup(l.list.items[choice].id);
		if ((rc = detail(p, last)) != PLAIN_OK)
			break;
	}
	free(last);
	dossiers_list_free(&l);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

const struct plain_flow plain_flow_dossiers = {
	.label = { "Hồ sơ của tôi", "My dossiers" },
	.when = PLAIN_LOGGED_IN,
	.run = run_dossiers,
};
