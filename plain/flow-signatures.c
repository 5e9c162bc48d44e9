/*
 * "Cập nhật chữ ký" (account menu) in lines: the citizen's signatures
 * as a menu after "+ Thêm chữ ký", one stored with another's account
 * marked unusable with a line saying why; a signature's own menu (edit,
 * delete after a question).  The form asks the seed's fields in its
 * order, one question each: the image's path (optional, checked at
 * once: a PNG or JPEG of at most 2 MB), Tên chữ ký, Số điện thoại ký
 * số, Từ khóa định vị vị trí (the portal's anchors, or typed), the type
 * NEAC Sign and Tài khoản, the CCCD from VNeID (both said, not asked),
 * and Nhà cung cấp; then "Lưu lại".  "<" goes back a question.  What
 * the portal finds wrong is said field by field, and the questions start
 * again at the first wrong one, the other answers kept.  The list, the
 * delete and the save are the client's flows (client/signature.h, on
 * one run); this file asks and says.
 */
#include <stdlib.h>
#include <string.h>

#include "client/signature.h"
#include "plain.h"
#include "xmalloc.h"

#define STEP_SAVE	SIGNATURE_F__N

/* "Cập nhật chữ ký" while it runs: the list and the form, one run. */
struct sigs {
	struct plain		*p;
	struct signature_settings ss;
	struct flow_run		 run;
};

static const char *const labels[SIGNATURE_F__N][2] = {
	{ "Ảnh chữ ký", "Signature image" },
	{ "Tên chữ ký", "Signature name" },
	{ "Số điện thoại ký số", "Signing phone number" },
	{ "Từ khóa định vị vị trí", "Position keyword" },
	{ "Loại chữ ký số", "Signature type" },
	{ "Tài khoản (CCCD)", "Account (CCCD)" },
	{ "Nhà cung cấp", "Provider" },
};

static const char *
label(struct plain *p, int f)
{
	return labels[f][p->opt.lang == LANG_EN];
}

/* The image's check as a question's check: says what the file is. */
static int
check_image(void *ctx, const char *path, char *msg, size_t msgsz)
{
	struct plain *p = ctx;
	char *whole = plain_path(path);
	enum status s;

	s = signature_image_check(whole, p->opt.lang, msg, msgsz, NULL, NULL);
	free(whole);
	return s == STATUS_OK ? 0 : 1;
}

static int
check_phone(void *ctx, const char *v, char *msg, size_t msgsz)
{
	struct plain *p = ctx;

	return signature_phone_check(v, 0, p->opt.lang, msg, msgsz) ==
	    STATUS_OK ? 0 : 1;
}

static int
ask_text(struct plain *p, struct signature_form *fm, int f,
    const char *rule, unsigned flags,
    int (*check)(void *, const char *, char *, size_t))
{
	struct plain_field q;
	char *answer;
	int rc;

	memset(&q, 0, sizeof q);
	q.label = label(p, f);
	q.rule = rule;
	q.value = fm->v[f];
	q.flags = flags;
	q.max = f == SIGNATURE_F_IMAGE ? 4096 : 200;
	q.check = check;
	q.ctx = p;
	if (f == SIGNATURE_F_IMAGE)
		q.help = plain_t(p, "Đường dẫn của ảnh chữ ký trên máy chạy dvc "
		    "(qua SSH: chép ảnh lên máy đó trước). Enter hoặc - để không "
		    "gửi ảnh.", "The path of the signature image on the machine "
		    "that runs dvc (over SSH, copy it there first). Enter or - "
		    "to send no image.");
	rc = plain_ask(p, &q, &answer);
	if (rc != PLAIN_OK)
		return rc;
	if (f == SIGNATURE_F_IMAGE && answer[0] != '\0') {
		char *whole = plain_path(answer);

		free(answer);
		answer = whole;
	}
	signature_form_set(fm, f, answer);
	if (f == SIGNATURE_F_IMAGE && answer[0] != '\0' && fm->image_ok)
		plain_say(p, PLAIN_T(p, "Ảnh: %s.", "Image: %s."),
		    fm->image_msg);
	free(answer);
	return PLAIN_OK;
}

/* The keyword: one of the portal's anchors, or typed. */
static int
ask_keyword(struct plain *p, struct signature_form *fm)
{
	const struct api_info *info = session_info(p->session);
	const char *v = fm->v[SIGNATURE_F_KEYWORD];
	struct plain_items it;
	struct plain_menu m;
	size_t i, choice;
	int rc;

	if (info == NULL || info->nanchors == 0)
		return ask_text(p, fm, SIGNATURE_F_KEYWORD, NULL,
		    PLAIN_FIELD_REQUIRED | PLAIN_FIELD_VI, NULL);
	memset(&it, 0, sizeof it);
	memset(&m, 0, sizeof m);
	m.def = 0;
	for (i = 0; i < info->nanchors; i++) {
		plain_items_add(&it, "%s", info->anchors[i]);
		if (strcmp(info->anchors[i], v) == 0)
			m.def = i;
	}
	plain_items_add(&it, "%s", plain_t(p, "Gõ từ khóa khác",
	    "Type another keyword"));
	if (v[0] != '\0' && m.def == 0 && strcmp(info->anchors[0], v) != 0)
		m.def = info->nanchors;
	m.title = plain_t(p, "Từ khóa định vị vị trí (bắt buộc): chữ trong tờ "
	    "khai, ảnh chữ ký đặt cạnh đó", "Position keyword (required): the "
	    "text in the declaration beside which the image goes");
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.field = label(p, SIGNATURE_F_KEYWORD);
	rc = plain_menu(p, &m, &choice);
	if (rc == PLAIN_OK && choice < info->nanchors)
		signature_form_set(fm, SIGNATURE_F_KEYWORD,
		    info->anchors[choice]);
	plain_items_free(&it);
	if (rc == PLAIN_OK && choice == info->nanchors)
		rc = ask_text(p, fm, SIGNATURE_F_KEYWORD, NULL,
		    PLAIN_FIELD_REQUIRED | PLAIN_FIELD_VI, NULL);
	return rc;
}

static int
ask_provider(struct plain *p, struct signature_form *fm)
{
	const struct api_info *info = session_info(p->session);
	struct plain_items it;
	struct plain_menu m;
	size_t i, choice;
	int rc;

	if (info == NULL || info->nproviders == 0)
		return PLAIN_OK;
	memset(&it, 0, sizeof it);
	for (i = 0; i < info->nproviders; i++)
		plain_items_add(&it, "%s", info->providers[i].name);
	memset(&m, 0, sizeof m);
	m.title = label(p, SIGNATURE_F_PROVIDER);
	m.field = label(p, SIGNATURE_F_PROVIDER);
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.def = fm->provider < info->nproviders ? fm->provider : 0;
	rc = plain_menu(p, &m, &choice);
	plain_items_free(&it);
	if (rc == PLAIN_OK)
		fm->provider = choice;
	return rc;
}

static int
ask_step(struct plain *p, struct signature_form *fm, int f)
{
	char note[320];

	switch (f) {
	case SIGNATURE_F_IMAGE:
		/* What becomes of the image the signature has. */
		signature_form_image_note(fm, note, sizeof note);
		if (note[0] != '\0')
			plain_say(p, "%s", note);
		return ask_text(p, fm, f, plain_t(p, "tệp PNG hoặc JPEG, tối đa "
		    "2 MB", "a PNG or JPEG file, at most 2 MB"),
		    PLAIN_FIELD_OPTIONAL, check_image);
	case SIGNATURE_F_NAME:
		return ask_text(p, fm, f, NULL, PLAIN_FIELD_REQUIRED |
		    PLAIN_FIELD_VI, NULL);
	case SIGNATURE_F_PHONE:
		return ask_text(p, fm, f, plain_t(p, "số đã đăng ký ký số với nhà "
		    "cung cấp", "the number registered for signing with the "
		    "provider"), PLAIN_FIELD_REQUIRED, check_phone);
	case SIGNATURE_F_KEYWORD:
		return ask_keyword(p, fm);
	case SIGNATURE_F_TYPE:
		plain_say(p, "%s: NEAC Sign", label(p, f));
		return PLAIN_OK;
	case SIGNATURE_F_ACCOUNT:
		plain_say(p, "%s: %s", label(p, f), signature_account_text(
		    session_me(p->session) != NULL ?
		    session_me(p->session)->cccd : NULL, p->opt.lang));
		return PLAIN_OK;
	default:
		return ask_provider(p, fm);
	}
}

/* What the portal found wrong, field by field (else its message). */
static void
say_refused(struct plain *p, const struct signature_form *fm)
{
	static const int order[] = { SIGNATURE_F_IMAGE, SIGNATURE_F_NAME,
	    SIGNATURE_F_PHONE, SIGNATURE_F_KEYWORD, SIGNATURE_F_ACCOUNT,
	    SIGNATURE_F_PROVIDER };
	size_t i;

	/* The fields' own words say it all; else the portal's message. */
	if (!signature_errors_any(&fm->errors))
		plain_say(p, "%s", fm->message);
	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (fm->errors.fields[order[i]] != NULL)
			plain_say(p, "%s: %s", label(p, order[i]),
			    fm->errors.fields[order[i]]);
}

/*
 * "Lưu lại": PLAIN_OK when saved (*wrong -1), or with *wrong the first
 * field to ask again; PLAIN_QUIT.
 */
static int
save(struct sigs *s, int *wrong)
{
	struct plain *p = s->p;
	struct signature_form *fm = &s->ss.form;
	int rc;

	*wrong = -1;
	if (!signature_form_save(fm, session_info(p->session))) {
		/* The image is no longer what it was when asked. */
		*wrong = fm->image_ok ? SIGNATURE_F_PHONE : SIGNATURE_F_IMAGE;
		plain_say(p, "%s", fm->image_ok ?
		    fm->errors.fields[SIGNATURE_F_PHONE] : fm->image_msg);
		return PLAIN_OK;
	}
	if ((rc = plain_flow(p, &s->run)) != PLAIN_OK)
		return rc;
	if (fm->state == SIGNATURE_READY && fm->image_failed)
		plain_say(p, PLAIN_T(p, "Đã lưu chữ ký nhưng chưa lưu được ảnh: "
		    "%s", "The signature is saved, but not its image: %s"),
		    fm->image_msg);
	else if (fm->state == SIGNATURE_READY)
		plain_say(p, "%s", fm->image_sent ? plain_t(p, "Đã lưu chữ ký "
		    "và ảnh.", "The signature and its image are saved.") :
		    plain_t(p, "Đã lưu chữ ký.", "Signature saved."));
	else {
		say_refused(p, fm);
		*wrong = signature_form_wrong(fm);
		if (*wrong < 0)
			*wrong = STEP_SAVE;
	}
	return PLAIN_OK;
}

/*
 * "Lưu chữ ký …?": PLAIN_OK to save, PLAIN_BACK to the questions,
 * PLAIN_OTHER not to save, PLAIN_QUIT.
 */
static int
ask_save(struct plain *p, const struct signature_form *fm)
{
	struct plain_menu m;
	const char *items[2];
	char *title;
	size_t choice;
	int rc;

	items[0] = plain_t(p, "Lưu lại", "Save");
	items[1] = plain_t(p, "Hủy, không lưu", "Cancel, do not save");
	title = xasprintf(PLAIN_T(p, "Lưu chữ ký \"%s\"?",
	    "Save the signature \"%s\"?"), fm->v[SIGNATURE_F_NAME]);
	memset(&m, 0, sizeof m);
	m.title = title;
	m.items = items;
	m.n = 2;
	m.def = 0;
	rc = plain_menu(p, &m, &choice);
	free(title);
	if (rc == PLAIN_OK && choice == 1) {
		plain_say(p, "%s", plain_t(p, "Không lưu.", "Not saved."));
		return PLAIN_OTHER;
	}
	return rc;
}

/* The form, to add (sig NULL) or edit sig; then "Lưu lại". */
static int
form(struct sigs *s, const struct signature *sig)
{
	struct plain *p = s->p;
	struct signature_form *fm = &s->ss.form;
	int f = 0, rc = PLAIN_OK, wrong;

	signature_form_edit(fm, sig, session_info(p->session));
	/* The image it has, to say what a save does with it. */
	if (fm->state == SIGNATURE_WANTED && (rc = plain_flow(p, &s->run)) !=
	    PLAIN_OK)
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	/* The account shown is the citizen's CCCD, from /api/v1/me. */
	if (session_me(p->session) == NULL) {
		session_me_fetch(p->session);
		while (!p->quit && session_me_state(p->session) ==
		    SESSION_LOAD_BUSY)
			plain_step(p, -1);
	}
	plain_say(p, "%s", sig != NULL ? plain_t(p, "Sửa chữ ký",
	    "Edit signature") : plain_t(p, "+ Thêm chữ ký", "+ Add signature"));
	while (rc != PLAIN_QUIT) {
		if (f < STEP_SAVE) {
			rc = ask_step(p, fm, f);
			if (rc == PLAIN_BACK) {
				if (f == 0)
					break;
				/* The type and account are said: skip them. */
				f -= f == SIGNATURE_F_PROVIDER ? 3 : 1;
				rc = PLAIN_OK;
			} else if (rc == PLAIN_OK)
				f++;
			continue;
		}
		rc = ask_save(p, fm);
		if (rc == PLAIN_BACK) {
			f = SIGNATURE_F_PROVIDER;
			rc = PLAIN_OK;
			continue;
		}
		if (rc != PLAIN_OK)
			break;
		if ((rc = save(s, &wrong)) != PLAIN_OK || wrong < 0)
			break;
		f = wrong;
	}
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

static int
delete_signature(struct sigs *s, size_t i)
{
	struct plain *p = s->p;
	struct signature_listing *l = &s->ss.list;
	char *q;
	int rc, yes = 0;

	q = xasprintf(PLAIN_T(p, "Xóa chữ ký \"%s\"?",
	    "Delete the signature \"%s\"?"), l->list.items[i].name);
	rc = plain_confirm(p, q, &yes);
	free(q);
	if (rc == PLAIN_QUIT)
		return rc;
	if (!yes) {
		plain_say(p, "%s", plain_t(p, "Không xóa.", "Not deleted."));
		return PLAIN_OK;
	}
	if (!signature_listing_delete(l, i))
		return PLAIN_OK;
	/* The delete, then the list again. */
	if ((rc = plain_flow(p, &s->run)) != PLAIN_OK)
		return rc;
	if (l->deleting == SIGNATURE_READY)
		plain_say(p, "%s", plain_t(p, "Đã xóa chữ ký.",
		    "Signature deleted."));
	else
		plain_say(p, "%s", l->delete_message);
	return PLAIN_OK;
}

/* Signature i's own menu: edit, delete, back. */
static int
one(struct sigs *s, size_t i)
{
	struct plain *p = s->p;
	const char *items[3];
	struct plain_menu m;
	size_t choice;
	int rc;

	items[0] = plain_t(p, "Sửa", "Edit");
	items[1] = plain_t(p, "Xóa", "Delete");
	items[2] = plain_t(p, "Quay lại", "Back");
	memset(&m, 0, sizeof m);
	m.title = s->ss.list.list.items[i].name;
	m.items = items;
	m.n = 3;
	m.def = 0;
	rc = plain_menu(p, &m, &choice);
	if (rc != PLAIN_OK || choice == 2)
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	if (choice == 1)
		return delete_signature(s, i);
	return form(s, &s->ss.list.list.items[i]);
}

/* The list as a menu, after "+ Thêm chữ ký": the choice in *choice. */
static int
list_menu(struct plain *p, const struct signature_list *list,
    size_t *choice)
{
	const struct signature *g;
	struct plain_items it;
	struct plain_menu m;
	size_t i;
	int rc;

	memset(&it, 0, sizeof it);
	plain_items_add(&it, "%s", plain_t(p, "+ Thêm chữ ký",
	    "+ Add signature"));
	for (i = 0; i < list->n; i++) {
		g = &list->items[i];
		plain_items_add(&it, "%s — %s, %s, %s%s%s", g->name,
		    g->provider_name, g->phone, g->keyword, g->has_image ?
		    plain_t(p, ", có ảnh", ", with image") : "", g->invalid ?
		    plain_t(p, " (không dùng được)", " (unusable)") : "");
	}
	/* Why those that cannot sign cannot, before the menu. */
	for (i = 0; i < list->n; i++)
		if (list->items[i].invalid)
			plain_say(p, PLAIN_T(p, "Chữ ký \"%s\" không dùng "
			    "được: %s", "The signature \"%s\" is unusable: "
			    "%s"), list->items[i].name,
			    list->items[i].invalid_reason);
	memset(&m, 0, sizeof m);
	m.title = list->n == 0 ? plain_t(p, "Cập nhật chữ ký: chưa có chữ ký "
	    "nào.", "Update signature: no signatures yet.") : plain_t(p,
	    "Cập nhật chữ ký", "Update signature");
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.def = 0;
	rc = plain_menu(p, &m, choice);
	plain_items_free(&it);
	return rc;
}

static int
run_signatures(struct plain *p)
{
	struct sigs s;
	size_t choice;
	int rc;

	memset(&s, 0, sizeof s);
	s.p = p;
	signature_settings_init(&s.ss, p->opt.lang);
	flow_run_init(&s.run, p->session, &signature_settings_flow, &s.ss);
	signature_listing_load(&s.ss.list);
	for (;;) {
		/* The list, when it was asked (again). */
		if ((rc = plain_flow(p, &s.run)) != PLAIN_OK)
			break;
		if (s.ss.list.state != SIGNATURE_READY) {
			plain_say(p, "%s", s.ss.list.message);
			break;
		}
		if ((rc = list_menu(p, &s.ss.list.list, &choice)) != PLAIN_OK)
			break;
		rc = choice == 0 ? form(&s, NULL) : one(&s, choice - 1);
		if (rc != PLAIN_OK)
			break;
	}
	signature_settings_free(&s.ss);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

const struct plain_flow plain_flow_signatures = {
	.label = { "Cập nhật chữ ký", "Update signature" },
	.when = PLAIN_LOGGED_IN,
	.run = run_signatures,
};
