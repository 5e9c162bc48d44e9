/*
 * "Cập nhật chữ ký" (from the account menu): the citizen's signatures,
 * "+ Thêm chữ ký" and edit in the seed's form and order (the image, Tên
 * chữ ký*, Số điện thoại ký số*, Từ khóa định vị vị trí*, Loại chữ ký số
 * = NEAC Sign, Tài khoản = the CCCD from VNeID, both fixed, Nhà cung
 * cấp, "Lưu lại"), and delete after a confirmation.  A signature stored
 * with another's account is marked in the list, with the portal's why.  The image path is checked as it is typed (the file
 * exists and is a PNG or JPEG by its content); the position keyword is a
 * choice of the portal's anchors or typed; the providers come from
 * /api/v1/info.  The portal's field errors show as text under each field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"

/* The image preview: at most this many cells. */
#define PREVIEW_COLS	40
#define PREVIEW_ROWS	4
#include "image.h"
#include "xmalloc.h"

#define LABEL_W		26
#define FIELD_MAX	200
#define FOCUS_SAVE	SIGNATURE_F__N

enum {
	SIGNATURES_VIEW_LIST,
	SIGNATURES_VIEW_FORM
};

static const enum action help_list[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_ADD, ACTION_EDIT,
	ACTION_DELETE, ACTION_YES, ACTION_BACK, ACTION_RETRY, ACTION_REDRAW,
	ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

/*
 * The form's focus order: the type and the account are fixed and never
 * focused.
 */
static const int order[] = {
	SIGNATURE_F_IMAGE, SIGNATURE_F_NAME, SIGNATURE_F_PHONE,
	SIGNATURE_F_KEYWORD, SIGNATURE_F_PROVIDER, FOCUS_SAVE
};
#define NORDER	((int)(sizeof order / sizeof order[0]))

static const char *const labels[SIGNATURE_F__N][2] = {
	{ "Ảnh chữ ký (tùy chọn):", "Signature image (optional):" },
	{ "Tên chữ ký*:", "Signature name*:" },
	{ "Số điện thoại ký số*:", "Signing phone number*:" },
	{ "Từ khóa định vị vị trí*:", "Position keyword*:" },
	{ "Loại chữ ký số:", "Signature type:" },
	{ "Tài khoản (CCCD):", "Account (CCCD):" },
	{ "Nhà cung cấp:", "Provider:" },
};

static int
is_text(int f)
{
	return f == SIGNATURE_F_IMAGE || f == SIGNATURE_F_NAME ||
	    f == SIGNATURE_F_PHONE || f == SIGNATURE_F_KEYWORD;
}

static unsigned
fail_text(struct app *a, const struct session_reply *r, char *out,
    size_t outsz)
{
	session_reply_message(r, a->opt.lang, out, outsz);
	return 0;
}

static unsigned
on_list(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signatures *s = &a->signatures;
	char err[160];

	signature_list_free(&s->list);
	if (r->status == STATUS_OK && r->http == 200 &&
	    signature_list_parse(r->body, r->len, &s->list, err,
	    sizeof err) == STATUS_OK) {
		s->state = SESSION_LOAD_READY;
		s->error[0] = '\0';
	} else {
		s->state = SESSION_LOAD_FAILED;
		fail_text(a, r, s->error, sizeof s->error);
	}
	s->sel.n = s->list.n + 1;
	if (s->sel.sel >= s->sel.n)
		s->sel.sel = s->sel.n - 1;
	return 0;
}

static void
load_list(struct app *a)
{
	struct session_request req;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/api/v1/signatures";
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_list;
	req.ctx = a;
	session_request(a->session, &req);
	a->signatures.state = SESSION_LOAD_BUSY;
}

static void
enter(struct app *a)
{
	struct ui_signatures *s = &a->signatures;
	int i;

	if (s->f[0].text == NULL)
		for (i = 0; i < SIGNATURE_F__N; i++)
			field_init(&s->f[i], FIELD_MAX);
	s->view = SIGNATURES_VIEW_LIST;
	s->confirm = 0;
	s->picking = -1;
	s->sel.sel = s->sel.top = 0;
	s->sel.n = s->list.n + 1;
	if (session_me(a->session) == NULL)
		session_me_fetch(a->session);
	load_list(a);
}

static void
check_image(struct app *a)
{
	struct ui_signatures *s = &a->signatures;

	char *data = NULL;
	size_t len = 0;

	preview_free(&s->preview);
	s->image_ok = signature_image_check(field_text(&s->f[SIGNATURE_F_IMAGE]),
	    a->opt.lang, s->image_msg, sizeof s->image_msg, &data, &len) ==
	    STATUS_OK;
	/* The picture as the stamp will carry it, small. */
	if (s->image_ok && data != NULL)
		preview_make(&s->preview, data, len, PREVIEW_COLS,
		    PREVIEW_ROWS);
	free(data);
}

/* Opens the form: a new signature (sig NULL) or sig to edit. */
static void
open_form(struct app *a, const struct signature *sig)
{
	struct ui_signatures *s = &a->signatures;
	const struct api_info *info = session_info(a->session);
	size_t i;

	for (i = 0; i < SIGNATURE_F__N; i++)
		field_set(&s->f[i], "");
	signature_errors_free(&s->errors);
	free(s->edit_id);
	s->edit_id = NULL;
	s->provider = 0;
	s->image_msg[0] = '\0';
	s->image_ok = 1;
	preview_free(&s->preview);
	s->error[0] = '\0';
	if (sig != NULL) {
		s->edit_id = xstrdup(sig->id);
		field_set(&s->f[SIGNATURE_F_NAME], sig->name);
		field_set(&s->f[SIGNATURE_F_PHONE], sig->phone);
		field_set(&s->f[SIGNATURE_F_KEYWORD], sig->keyword);
		for (i = 0; info != NULL && i < info->nproviders; i++)
			if (strcmp(info->providers[i].id, sig->provider) == 0)
				s->provider = i;
	}
	s->view = SIGNATURES_VIEW_FORM;
	s->focus = SIGNATURE_F_IMAGE;
	s->picking = -1;
}

static int
in_field(struct app *a)
{
	const struct ui_signatures *s = &a->signatures;

	return s->view == SIGNATURES_VIEW_FORM && s->picking < 0 &&
	    is_text(s->focus);
}

static void
back_to_list(struct app *a, const char *notice)
{
	struct ui_signatures *s = &a->signatures;

	s->view = SIGNATURES_VIEW_LIST;
	s->saving = 0;
	if (notice != NULL)
		app_notice(a, "%s", notice);
	load_list(a);
}

static unsigned
on_image(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signatures *s = &a->signatures;

	if (r->status == STATUS_OK && r->http == 200) {
		back_to_list(a, app_t(a, "Đã lưu chữ ký.", "Signature saved."));
		return 0;
	}
	/* The signature is saved; the image is not: say so at the image. */
	s->saving = 0;
	s->focus = SIGNATURE_F_IMAGE;
	fail_text(a, r, s->image_msg, sizeof s->image_msg);
	s->image_ok = 0;
	app_notice(a, "%s", app_t(a, "Đã lưu chữ ký nhưng chưa lưu được ảnh.",
	    "The signature is saved, but not its image."));
	return 0;
}

/* Sends the image of the saved signature id. */
static int
send_image(struct app *a, const char *id)
{
	struct ui_signatures *s = &a->signatures;
	struct session_request req;
	char *data = NULL, *path;
	size_t len = 0;

	if (signature_image_check(field_text(&s->f[SIGNATURE_F_IMAGE]),
	    a->opt.lang, s->image_msg, sizeof s->image_msg, &data, &len) !=
	    STATUS_OK || data == NULL) {
		s->image_ok = 0;
		free(data);
		return -1;
	}
	path = xasprintf("/api/v1/signatures/%s/image", id);
	memset(&req, 0, sizeof req);
	req.method = "PUT";
	req.path = path;
	req.content_type = image_sniff(data, len) == IMAGE_PNG ? "image/png" :
	    "image/jpeg";
	req.body = data;
	req.body_len = len;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_image;
	req.ctx = a;
	session_request(a->session, &req);
	free(path);
	free(data);
	return 0;
}

static unsigned
on_saved(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signatures *s = &a->signatures;
	struct signature sig;
	char err[160];
	int i;

	signature_errors_free(&s->errors);
	if (r->status == STATUS_OK && (r->http == 200 || r->http == 201) &&
	    signature_parse(r->body, r->len, &sig, err, sizeof err) ==
	    STATUS_OK) {
		free(s->edit_id);
		s->edit_id = xstrdup(sig.id);
		if (s->f[SIGNATURE_F_IMAGE].len > 0 && send_image(a, sig.id) ==
		    0) {
			signature_free(&sig);
			return 0;
		}
		signature_free(&sig);
		back_to_list(a, app_t(a, "Đã lưu chữ ký.", "Signature saved."));
		return 0;
	}
	s->saving = 0;
	if (r->status != STATUS_OK) {
		fail_text(a, r, s->error, sizeof s->error);
		return 0;
	}
	signature_errors_parse(r->body, r->len, r->http, a->opt.lang,
	    &s->errors);
	snprintf(s->error, sizeof s->error, "%s", s->errors.message);
	/* The focus on the first field that is wrong. */
	for (i = 0; i < NORDER; i++)
		if (order[i] < SIGNATURE_F__N &&
		    s->errors.fields[order[i]] != NULL) {
			s->focus = order[i];
			break;
		}
	return 0;
}

static void
save(struct app *a)
{
	struct ui_signatures *s = &a->signatures;
	const struct api_info *info = session_info(a->session);
	struct signature_input in;
	struct session_request req;
	char *body, *path;

	if (s->saving)
		return;
	check_image(a);
	if (!s->image_ok) {
		s->focus = SIGNATURE_F_IMAGE;
		return;
	}
	memset(&in, 0, sizeof in);
	in.name = field_text(&s->f[SIGNATURE_F_NAME]);
	in.phone = field_text(&s->f[SIGNATURE_F_PHONE]);
	in.keyword = field_text(&s->f[SIGNATURE_F_KEYWORD]);
	in.provider = info != NULL && s->provider < info->nproviders ?
	    info->providers[s->provider].id : NULL;
	body = signature_input_json(&in);
	path = s->edit_id != NULL ? xasprintf("/api/v1/signatures/%s",
	    s->edit_id) : xstrdup("/api/v1/signatures");
	memset(&req, 0, sizeof req);
	req.method = s->edit_id != NULL ? "PUT" : "POST";
	req.path = path;
	req.content_type = "application/json";
	req.body = body;
	req.body_len = strlen(body);
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_saved;
	req.ctx = a;
	session_request(a->session, &req);
	s->saving = 1;
	s->error[0] = '\0';
	free(body);
	free(path);
}

static unsigned
on_deleted(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signatures *s = &a->signatures;

	if (r->status == STATUS_OK && (r->http == 204 || r->http == 200)) {
		s->sel.sel = 0;
		back_to_list(a, app_t(a, "Đã xóa chữ ký.",
		    "Signature deleted."));
	} else {
		fail_text(a, r, s->error, sizeof s->error);
		app_notice(a, "%s", s->error);
	}
	return 0;
}

static void
delete_selected(struct app *a)
{
	struct ui_signatures *s = &a->signatures;
	struct session_request req;
	char *path;

	if (s->sel.sel == 0 || s->sel.sel > s->list.n)
		return;
	path = xasprintf("/api/v1/signatures/%s",
	    s->list.items[s->sel.sel - 1].id);
	memset(&req, 0, sizeof req);
	req.method = "DELETE";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_deleted;
	req.ctx = a;
	session_request(a->session, &req);
	free(path);
}

static unsigned
key_list(struct app *a, enum action act, const struct key *k)
{
	struct ui_signatures *s = &a->signatures;

	if (s->confirm) {
		s->confirm = 0;
		if (act == ACTION_YES)
			delete_selected(a);
		else
			app_notice(a, "%s", app_t(a, "Không xóa.",
			    "Not deleted."));
		return UI_REDRAW;
	}
	s->sel.n = s->list.n + 1;
	if (list_handle(&s->sel, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_ADD:
		open_form(a, NULL);
		return UI_REDRAW;
	case ACTION_SELECT:
	case ACTION_EDIT:
		if (s->sel.sel == 0)
			open_form(a, NULL);
		else if (s->sel.sel <= s->list.n)
			open_form(a, &s->list.items[s->sel.sel - 1]);
		return UI_REDRAW;
	case ACTION_DELETE:
		if (s->sel.sel > 0 && s->sel.sel <= s->list.n)
			s->confirm = 1;
		return UI_REDRAW;
	case ACTION_RETRY:
		load_list(a);
		return UI_REDRAW;
	case ACTION_BACK:
		app_switch(a, &screen_account);
		a->account.sel = 1;	/* back on "Cập nhật chữ ký" */
		return UI_REDRAW;
	case ACTION_HOME:
		app_switch(a, &screen_home);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static void
move_focus(struct ui_signatures *s, int step)
{
	int i;

	for (i = 0; i < NORDER; i++)
		if (order[i] == s->focus)
			break;
	i = (i + step + NORDER) % NORDER;
	s->focus = order[i];
}

static void
open_pick(struct app *a)
{
	struct ui_signatures *s = &a->signatures;
	const struct api_info *info = session_info(a->session);
	size_t i;

	if (info == NULL)
		return;
	s->pick.sel = s->pick.top = 0;
	if (s->focus == SIGNATURE_F_KEYWORD) {
		s->pick.n = info->nanchors;
		for (i = 0; i < info->nanchors; i++)
			if (strcmp(info->anchors[i],
			    field_text(&s->f[SIGNATURE_F_KEYWORD])) == 0)
				s->pick.sel = i;
	} else {
		s->pick.n = info->nproviders;
		s->pick.sel = s->provider;
	}
	if (s->pick.n > 0)
		s->picking = s->focus;
}

static unsigned
key_form(struct app *a, enum action act, const struct key *k)
{
	struct ui_signatures *s = &a->signatures;
	const struct api_info *info = session_info(a->session);
	unsigned wch;

	if (s->picking >= 0) {
		if (list_handle(&s->pick, act, k))
			return UI_REDRAW;
		if (act == ACTION_SELECT && info != NULL) {
			if (s->picking == SIGNATURE_F_KEYWORD &&
			    s->pick.sel < info->nanchors)
				field_set(&s->f[SIGNATURE_F_KEYWORD],
				    info->anchors[s->pick.sel]);
			else if (s->picking == SIGNATURE_F_PROVIDER)
				s->provider = s->pick.sel;
			s->picking = -1;
			move_focus(s, 1);
			return UI_REDRAW;
		}
		if (act == ACTION_BACK)
			s->picking = -1;
		return UI_REDRAW;
	}
	if (is_text(s->focus) && (act == ACTION_NONE || act == ACTION_TELEX)) {
		wch = field_handle_key(&s->f[s->focus], k);
		if (wch & WIDGET_CH_TEXT) {
			free(s->errors.fields[s->focus]);
			s->errors.fields[s->focus] = NULL;
			if (s->focus == SIGNATURE_F_IMAGE)
				check_image(a);
		}
		return wch != 0 ? UI_REDRAW : 0;
	}
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		move_focus(s, 1);
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		move_focus(s, -1);
		return UI_REDRAW;
	case ACTION_SELECT:
		if (s->focus == FOCUS_SAVE)
			save(a);
		else if (s->focus == SIGNATURE_F_KEYWORD ||
		    s->focus == SIGNATURE_F_PROVIDER)
			open_pick(a);
		else
			move_focus(s, 1);
		return UI_REDRAW;
	case ACTION_BACK:
	case ACTION_HOME:
		s->view = SIGNATURES_VIEW_LIST;
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	if (a->signatures.view == SIGNATURES_VIEW_FORM)
		return key_form(a, act, k);
	return key_list(a, act, k);
}

static unsigned
changed(struct app *a, unsigned ch)
{
	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session)) {
		app_switch(a, &screen_home);
		return UI_REDRAW;
	}
	return UI_REDRAW;
}

/*
 * Under the list, for each signature that cannot sign, a line saying
 * which and why; down to row last.  The row after them.
 */
static int
draw_invalid(struct app *a, int y, int last)
{
	const struct signature_list *l = &a->signatures.list;
	char line[768];
	size_t i;

	for (i = 0; i < l->n && y < last; i++) {
		if (!l->items[i].invalid)
			continue;
		snprintf(line, sizeof line, "\"%s\": %s", l->items[i].name,
		    l->items[i].invalid_reason);
		y += draw_wrapped(a, y, 2, a->cols - 4, last - y, STYLE_ERROR,
		    line);
	}
	return y;
}

static void
draw_list(struct app *a, int top, int height)
{
	struct ui_signatures *s = &a->signatures;
	char line[512];
	int i, x, y = top + 2;

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Cập nhật chữ ký", "Update signature"));
	s->sel.n = s->list.n + 1;
	list_scroll(&s->sel, (size_t)(height - 5));
	for (i = 0; i < height - 5 && s->sel.top + (size_t)i < s->sel.n;
	    i++, y++) {
		size_t n = s->sel.top + (size_t)i;

		if (n == 0)
			snprintf(line, sizeof line, "%s", app_t(a,
			    "+ Thêm chữ ký", "+ Add signature"));
		else {
			const struct signature *g = &s->list.items[n - 1];

			snprintf(line, sizeof line, "%s · %s · %s · %s%s%s",
			    g->name, g->provider_name, g->phone, g->keyword,
			    g->has_image ? app_t(a, " · có ảnh",
			    " · with image") : "", g->invalid ? app_t(a,
			    " · KHÔNG DÙNG ĐƯỢC", " · UNUSABLE") : "");
		}
		x = draw_item(a, y, 2, a->cols - 4, n == s->sel.sel,
		    STYLE_NORMAL, line);
		if (n == s->sel.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	y++;
	y = draw_invalid(a, y, top + height - 2);
	if (s->state == SESSION_LOAD_FAILED)
		draw_text(a, y, 2, a->cols - 4, STYLE_ERROR, s->error);
	else if (s->state == SESSION_LOAD_READY && s->list.n == 0)
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Chưa có chữ ký nào.", "No signatures yet."));
	if (s->confirm && s->sel.sel > 0 && s->sel.sel <= s->list.n) {
		int r = top + height - 1;

		snprintf(line, sizeof line, APP_T(a, "Xóa chữ ký \"%s\"? y: "
		    "xóa, phím khác: không", "Delete the signature \"%s\"? y: "
		    "delete, any other key: no"),
		    s->list.items[s->sel.sel - 1].name);
		draw_text(a, r, 2, a->cols - 4, STYLE_ERROR, line);
		/* The question is the focus: readers speak it. */
		a->focus_y = r;
		a->focus_x = 2;
	}
}

static int
draw_field(struct app *a, int y, int f)
{
	int x = 2 + LABEL_W;

	return draw_input(a, &a->signatures.f[f], y, x, a->cols - x - 3);
}

static void
draw_pick(struct app *a, int y, int height)
{
	struct ui_signatures *s = &a->signatures;
	const struct api_info *info = session_info(a->session);
	int i, x;

	if (info == NULL)
		return;
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL,
	    s->picking == SIGNATURE_F_KEYWORD ? app_t(a, "Chọn từ khóa định "
	    "vị vị trí (b: quay lại):", "Choose the position keyword (b: "
	    "back):") : app_t(a, "Chọn nhà cung cấp (b: quay lại):",
	    "Choose the provider (b: back):"));
	list_scroll(&s->pick, (size_t)(height - 1));
	for (i = 0; i < height - 1 && s->pick.top + (size_t)i < s->pick.n;
	    i++) {
		size_t n = s->pick.top + (size_t)i;

		x = draw_item(a, y + i, 2, a->cols - 4, n == s->pick.sel,
		    STYLE_NORMAL, s->picking == SIGNATURE_F_KEYWORD ?
		    info->anchors[n] : info->providers[n].name);
		if (n == s->pick.sel) {
			a->focus_y = y + i;
			a->focus_x = x;
		}
	}
}

/* The image's preview under the form, when there is room for it. */
static void
draw_preview(struct app *a, int y, int bottom)
{
	const struct preview *p = &a->signatures.preview;
	int r, c;

	if (p->cell == NULL || y + 1 + p->rows > bottom)
		return;
	draw_text(a, y++, 2, LABEL_W, STYLE_DIM, app_t(a, "Xem trước ảnh:",
	    "Image preview:"));
	for (r = 0; r < p->rows; r++) {
		move(y + r, 4);
		for (c = 0; c < p->cols; c++)
			addstr(preview_glyph(p, c, r, a->opt.ascii));
	}
}

static void
draw_form(struct app *a, int top, int height)
{
	struct ui_signatures *s = &a->signatures;
	const struct api_info *info = session_info(a->session);
	const struct session_me *me = session_me(a->session);
	const char *msg;
	char mode[64];
	int f, y = top + 2, x, focus;

	draw_text(a, top, 2, a->cols - 26, STYLE_TITLE, s->edit_id != NULL ?
	    app_t(a, "Sửa chữ ký", "Edit signature") : app_t(a,
	    "+ Thêm chữ ký", "+ Add signature"));
	if (is_text(s->focus)) {
		enum telex_method m = s->f[s->focus].method;

		snprintf(mode, sizeof mode, "%s: %s (Ctrl-T)", app_t(a, "Gõ",
		    "Typing"), m == TELEX_TELEX ? "Telex" : m == TELEX_VNI ?
		    "VNI" : app_t(a, "tắt", "off"));
		draw_text(a, top, a->cols - 24, 24, STYLE_DIM, mode);
	}
	if (s->picking >= 0) {
		draw_pick(a, y, height - 2);
		return;
	}
	for (f = 0; f < SIGNATURE_F__N; f++, y++) {
		focus = s->focus == f;
		draw_text(a, y, 0, 2, STYLE_NORMAL, focus ? ">" : " ");
		draw_text(a, y, 2, LABEL_W - 1, STYLE_NORMAL,
		    labels[f][a->opt.lang == LANG_EN]);
		x = 2 + LABEL_W;
		if (f == SIGNATURE_F_TYPE)
			draw_text(a, y, x, a->cols - x, STYLE_NORMAL,
			    "NEAC Sign");
		else if (f == SIGNATURE_F_ACCOUNT)
			draw_text(a, y, x, a->cols - x, STYLE_NORMAL,
			    signature_account_text(me != NULL ? me->cccd :
			    NULL, a->opt.lang));
		else if (f == SIGNATURE_F_PROVIDER) {
			x += draw_text(a, y, x, a->cols - x - 16, STYLE_NORMAL,
			    info != NULL && s->provider < info->nproviders ?
			    info->providers[s->provider].name : "");
			if (focus)
				draw_text(a, y, x + 2, 14, STYLE_DIM, app_t(a,
				    "(Enter: chọn)", "(Enter: choose)"));
			x = 2 + LABEL_W;
		} else
			x = draw_field(a, y, f);
		if (focus) {
			a->focus_y = y;
			a->focus_x = f == SIGNATURE_F_PROVIDER ? 2 + LABEL_W : x;
		}
		/* What is wrong, as text under the field. */
		msg = s->errors.fields[f];
		if (f == SIGNATURE_F_IMAGE && msg == NULL &&
		    s->image_msg[0] != '\0')
			msg = s->image_msg;
		if (f == SIGNATURE_F_KEYWORD && msg == NULL && focus &&
		    info != NULL && info->nanchors > 0)
			msg = app_t(a, "Enter: chọn trong danh sách, hoặc gõ",
			    "Enter: choose from the list, or type");
		if (msg != NULL) {
			y++;
			draw_text(a, y, 4 + LABEL_W, a->cols - 4 - LABEL_W,
			    msg == s->errors.fields[f] || (f ==
			    SIGNATURE_F_IMAGE && !s->image_ok) ? STYLE_ERROR :
			    STYLE_DIM, msg);
		}
	}
	y++;
	draw_text(a, y, 0, 2, STYLE_NORMAL, s->focus == FOCUS_SAVE ? ">" : " ");
	draw_text(a, y, 2, 14, STYLE_NORMAL, s->saving ? app_t(a,
	    "[ Đang lưu… ]", "[ Saving… ]") : app_t(a, "[ Lưu lại ]",
	    "[ Save ]"));
	if (s->focus == FOCUS_SAVE) {
		a->focus_y = y;
		a->focus_x = 2;
	}
	if (s->error[0] != '\0')
		y += draw_wrapped(a, y + 1, 2, a->cols - 4, top + height - y -
		    1, STYLE_ERROR, s->error);
	draw_preview(a, y + 2, top + height);
}

static void
draw(struct app *a, int top, int height)
{
	if (a->signatures.view == SIGNATURES_VIEW_FORM)
		draw_form(a, top, height);
	else
		draw_list(a, top, height);
}

const struct screen_ops screen_signatures = {
	.name = "signatures",
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help_list,
	.in_field = in_field,
};

void
app_signatures_free(struct app *a)
{
	session_cancel_ctx(a->session, a);
	signature_list_free(&a->signatures.list);
	signature_errors_free(&a->signatures.errors);
	free(a->signatures.edit_id);
	preview_free(&a->signatures.preview);
	for (int i = 0; i < SIGNATURE_F__N; i++)
		field_free(&a->signatures.f[i]);
}
