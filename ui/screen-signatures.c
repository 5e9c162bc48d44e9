/*
 * "Cập nhật chữ ký" (from the account menu): the citizen's signatures,
 * "+ Thêm chữ ký" and edit in the seed's form and order (the image, Tên
 * chữ ký*, Số điện thoại ký số*, Từ khóa định vị vị trí*, Loại chữ ký số
 * = NEAC Sign, Tài khoản = the CCCD from VNeID, both fixed, Nhà cung
 * cấp, "Lưu lại"), and delete after a confirmation.  A signature stored
 * with another's account is marked in the list, with the portal's why.
 * The list, the delete and the form are the client's flows
 * (client/signature.h); this screen shows them and reads keys.  The
 * image path is checked as it is typed and the image previewed; the
 * position keyword is a choice of the portal's anchors or typed; the
 * providers come from /api/v1/info.  The portal's field errors show as
 * text under each field.  Its state is its own; back is the back stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/signature.h"
#include "draw.h"
#include "preview.h"

/* The image preview: at most this many cells. */
#define PREVIEW_COLS	40
#define PREVIEW_ROWS	4

#define LABEL_W		26
#define FIELD_MAX	200
#define FOCUS_SAVE	SIGNATURE_F__N

enum {
	VIEW_LIST,
	VIEW_FORM
};

struct state {
	int			 view;		/* VIEW_* */
	struct signature_settings ss;		/* the list and the form */
	struct flow_run		 run;
	/* The list: "+ Thêm chữ ký", then each signature. */
	struct list		 sel;
	int			 confirm;	/* asking before a delete */
	int			 deleting;	/* a delete's outcome to say */
	/* The form. */
	int			 saving;	/* a save's outcome to take */
	struct field		 f[SIGNATURE_F__N];
	int			 focus;		/* a signature_field, or SAVE */
	int			 picking;	/* a choice list open, or -1 */
	struct list		 pick;
	struct preview		 preview;	/* of a good image */
	int			 preview_current; /* of the image it has */
	char			 note[600];	/* under the image field */
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

static void
state_free(void *p)
{
	struct state *st = p;
	int i;

	flow_run_cancel(&st->run);
	signature_settings_free(&st->ss);
	preview_free(&st->preview);
	for (i = 0; i < SIGNATURE_F__N; i++)
		field_free(&st->f[i]);
}

/* The screen's state, its flows started the first time. */
static struct state *
sigs_state(struct app *a)
{
	struct state *st = app_state(a, &screen_signatures);
	int i;

	if (st->run.ops == NULL) {
		signature_settings_init(&st->ss, a->opt.lang);
		flow_run_init(&st->run, a->session, &signature_settings_flow,
		    &st->ss);
		for (i = 0; i < SIGNATURE_F__N; i++)
			field_init(&st->f[i], FIELD_MAX);
	}
	return st;
}

static void
load_list(struct state *st)
{
	signature_listing_load(&st->ss.list);
	flow_run_pump(&st->run);
}

static void
enter(struct app *a)
{
	struct state *st = sigs_state(a);

	st->view = VIEW_LIST;
	st->confirm = 0;
	st->deleting = 0;
	st->saving = 0;
	st->picking = -1;
	st->sel.sel = st->sel.top = 0;
	st->sel.n = st->ss.list.list.n + 1;
	if (session_me(a->session) == NULL)
		session_me_fetch(a->session);
	load_list(st);
}

/*
 * The preview of the image the form holds, when it is good, else of the
 * image the signature being edited has.
 */
static void
show_image(struct state *st)
{
	const struct signature_form *fm = &st->ss.form;

	preview_free(&st->preview);
	st->preview_current = 0;
	/* The picture as the stamp will carry it, small. */
	if (fm->image_ok && fm->image != NULL)
		preview_make(&st->preview, fm->image, fm->image_len,
		    PREVIEW_COLS, PREVIEW_ROWS);
	else if (fm->current_state == SIGNATURE_READY) {
		preview_make(&st->preview, fm->current, fm->current_len,
		    PREVIEW_COLS, PREVIEW_ROWS);
		st->preview_current = 1;
	}
}

/* Opens the form: a new signature (sig NULL) or sig to edit. */
static void
open_form(struct app *a, struct state *st, const struct signature *sig)
{
	int i;

	signature_form_edit(&st->ss.form, sig, session_info(a->session));
	/* The image it has, when it has one. */
	flow_run_pump(&st->run);
	for (i = 0; i < SIGNATURE_F__N; i++)
		field_set(&st->f[i], st->ss.form.v[i]);
	preview_free(&st->preview);
	st->saving = 0;
	st->view = VIEW_FORM;
	st->focus = SIGNATURE_F_IMAGE;
	st->picking = -1;
}

static int
in_field(struct app *a)
{
	const struct state *st = sigs_state(a);

	return st->view == VIEW_FORM && st->picking < 0 && is_text(st->focus);
}

/* "Lưu lại": sent, or the image or the phone is wrong and has the focus. */
static void
save(struct app *a, struct state *st)
{
	int sent = signature_form_save(&st->ss.form, session_info(a->session));

	show_image(st);
	if (sent) {
		st->saving = 1;
		flow_run_pump(&st->run);
	} else if (!st->ss.form.image_ok)
		st->focus = SIGNATURE_F_IMAGE;
	else if (st->ss.form.errors.fields[SIGNATURE_F_PHONE] != NULL)
		st->focus = SIGNATURE_F_PHONE;
}

/* The save answered: back to the list, or what is wrong focused. */
static void
saved(struct app *a, struct state *st)
{
	int f;

	st->saving = 0;
	/* Saved: the list, which the flow asks for again. */
	if (st->ss.form.state == SIGNATURE_READY &&
	    !st->ss.form.image_failed) {
		st->view = VIEW_LIST;
		app_notice(a, "%s", app_t(a, "Đã lưu chữ ký.",
		    "Signature saved."));
		return;
	}
	if (st->ss.form.state == SIGNATURE_READY) {
		/* Saved without its image: said at the image. */
		st->focus = SIGNATURE_F_IMAGE;
		app_notice(a, "%s", app_t(a, "Đã lưu chữ ký nhưng chưa lưu "
		    "được ảnh.", "The signature is saved, but not its image."));
		return;
	}
	/* The focus on the first field that is wrong. */
	f = signature_form_wrong(&st->ss.form);
	if (f >= 0 && f != SIGNATURE_F_ACCOUNT)
		st->focus = f;
}

/* The delete answered: said, and the selection back on top. */
static void
deleted(struct app *a, struct state *st)
{
	st->deleting = 0;
	if (st->ss.list.deleting == SIGNATURE_READY) {
		st->sel.sel = 0;
		app_notice(a, "%s", app_t(a, "Đã xóa chữ ký.",
		    "Signature deleted."));
	} else
		app_notice(a, "%s", st->ss.list.delete_message);
}

static void
delete_selected(struct state *st)
{
	if (st->sel.sel == 0 ||
	    !signature_listing_delete(&st->ss.list, st->sel.sel - 1))
		return;
	st->deleting = 1;
	flow_run_pump(&st->run);
}

static unsigned
key_list(struct app *a, enum action act, const struct key *k)
{
	struct state *st = sigs_state(a);

	if (st->confirm) {
		st->confirm = 0;
		if (act == ACTION_YES)
			delete_selected(st);
		else
			app_notice(a, "%s", app_t(a, "Không xóa.",
			    "Not deleted."));
		return UI_REDRAW;
	}
	st->sel.n = st->ss.list.list.n + 1;
	if (list_handle(&st->sel, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_ADD:
		open_form(a, st, NULL);
		return UI_REDRAW;
	case ACTION_SELECT:
	case ACTION_EDIT:
		if (st->sel.sel == 0)
			open_form(a, st, NULL);
		else if (st->sel.sel <= st->ss.list.list.n)
			open_form(a, st,
			    &st->ss.list.list.items[st->sel.sel - 1]);
		return UI_REDRAW;
	case ACTION_DELETE:
		if (st->sel.sel > 0 && st->sel.sel <= st->ss.list.list.n)
			st->confirm = 1;
		return UI_REDRAW;
	case ACTION_RETRY:
		load_list(st);
		return UI_REDRAW;
	case ACTION_BACK:
		app_back(a);
		return UI_REDRAW;
	case ACTION_HOME:
		app_home(a);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static void
move_focus(struct state *st, int step)
{
	int i;

	if (st->focus < SIGNATURE_F__N)
		signature_form_leave(&st->ss.form, st->focus);
	for (i = 0; i < NORDER; i++)
		if (order[i] == st->focus)
			break;
	i = (i + step + NORDER) % NORDER;
	st->focus = order[i];
}

static void
open_pick(struct app *a, struct state *st)
{
	const struct api_info *info = session_info(a->session);
	size_t i;

	if (info == NULL)
		return;
	st->pick.sel = st->pick.top = 0;
	if (st->focus == SIGNATURE_F_KEYWORD) {
		st->pick.n = info->nanchors;
		for (i = 0; i < info->nanchors; i++)
			if (strcmp(info->anchors[i],
			    st->ss.form.v[SIGNATURE_F_KEYWORD]) == 0)
				st->pick.sel = i;
	} else {
		st->pick.n = info->nproviders;
		st->pick.sel = st->ss.form.provider;
	}
	if (st->pick.n > 0)
		st->picking = st->focus;
}

/* A key in the open list of anchors or providers. */
static unsigned
key_pick(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	const struct api_info *info = session_info(a->session);
	const char *anchor;

	if (list_handle(&st->pick, act, k))
		return UI_REDRAW;
	if (act == ACTION_SELECT && info != NULL) {
		if (st->picking == SIGNATURE_F_KEYWORD &&
		    st->pick.sel < info->nanchors) {
			anchor = info->anchors[st->pick.sel];
			field_set(&st->f[SIGNATURE_F_KEYWORD], anchor);
			signature_form_set(&st->ss.form, SIGNATURE_F_KEYWORD,
			    anchor);
		} else if (st->picking == SIGNATURE_F_PROVIDER)
			st->ss.form.provider = st->pick.sel;
		st->picking = -1;
		move_focus(st, 1);
		return UI_REDRAW;
	}
	if (act == ACTION_BACK)
		st->picking = -1;
	return UI_REDRAW;
}

static unsigned
key_form(struct app *a, enum action act, const struct key *k)
{
	struct state *st = sigs_state(a);
	unsigned wch;

	if (st->picking >= 0)
		return key_pick(a, st, act, k);
	if (is_text(st->focus) && (act == ACTION_NONE ||
	    act == ACTION_TELEX)) {
		wch = field_handle_key(&st->f[st->focus], k);
		if (wch & WIDGET_CH_TEXT) {
			signature_form_set(&st->ss.form, st->focus,
			    field_text(&st->f[st->focus]));
			if (st->focus == SIGNATURE_F_IMAGE)
				show_image(st);
		}
		return wch != 0 ? UI_REDRAW : 0;
	}
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		move_focus(st, 1);
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		move_focus(st, -1);
		return UI_REDRAW;
	case ACTION_SELECT:
		if (st->focus == FOCUS_SAVE)
			save(a, st);
		else if (st->focus == SIGNATURE_F_KEYWORD ||
		    st->focus == SIGNATURE_F_PROVIDER)
			open_pick(a, st);
		else
			move_focus(st, 1);
		return UI_REDRAW;
	case ACTION_BACK:
	case ACTION_HOME:
		st->view = VIEW_LIST;
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	if (sigs_state(a)->view == VIEW_FORM)
		return key_form(a, act, k);
	return key_list(a, act, k);
}

/* The session moved: the flows' outcomes are taken here, once each. */
static unsigned
changed(struct app *a, unsigned ch)
{
	struct state *st = sigs_state(a);

	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session)) {
		app_home(a);
		return UI_REDRAW;
	}
	if (st->saving && (st->ss.form.state == SIGNATURE_READY ||
	    st->ss.form.state == SIGNATURE_FAILED))
		saved(a, st);
	/* The image the signature has, come. */
	if (st->view == VIEW_FORM && st->preview.cell == NULL &&
	    st->ss.form.current_state == SIGNATURE_READY)
		show_image(st);
	if (st->deleting && (st->ss.list.deleting == SIGNATURE_READY ||
	    st->ss.list.deleting == SIGNATURE_FAILED))
		deleted(a, st);
	st->sel.n = st->ss.list.list.n + 1;
	if (st->sel.sel >= st->sel.n)
		st->sel.sel = st->sel.n - 1;
	return UI_REDRAW;
}

/*
 * Under the list, for each signature that cannot sign, a line saying
 * which and why; down to row last.  The row after them.
 */
static int
draw_invalid(struct app *a, const struct signature_list *l, int y, int last)
{
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

/* One line of the list: "+ Thêm chữ ký", or signature n - 1. */
static void
list_line(struct app *a, const struct signature_list *l, size_t n,
    char *line, size_t linesz)
{
	const struct signature *g;

	if (n == 0) {
		snprintf(line, linesz, "%s", app_t(a, "+ Thêm chữ ký",
		    "+ Add signature"));
		return;
	}
	g = &l->items[n - 1];
	snprintf(line, linesz, "%s · %s · %s · %s%s%s", g->name,
	    g->provider_name, g->phone, g->keyword, g->has_image ? app_t(a,
	    " · có ảnh", " · with image") : "", g->invalid ? app_t(a,
	    " · KHÔNG DÙNG ĐƯỢC", " · UNUSABLE") : "");
}

static void
draw_list(struct app *a, struct state *st, int top, int height)
{
	const struct signature_list *l = &st->ss.list.list;
	char line[512];
	int i, x, y = top + 2;

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Cập nhật chữ ký", "Update signature"));
	st->sel.n = l->n + 1;
	list_scroll(&st->sel, (size_t)(height - 5));
	for (i = 0; i < height - 5 && st->sel.top + (size_t)i < st->sel.n;
	    i++, y++) {
		size_t n = st->sel.top + (size_t)i;

		list_line(a, l, n, line, sizeof line);
		x = draw_item(a, y, 2, a->cols - 4, n == st->sel.sel,
		    STYLE_NORMAL, line);
		if (n == st->sel.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	y++;
	y = draw_invalid(a, l, y, top + height - 2);
	if (st->ss.list.state == SIGNATURE_FAILED)
		draw_text(a, y, 2, a->cols - 4, STYLE_ERROR,
		    st->ss.list.message);
	else if (st->ss.list.state == SIGNATURE_READY && l->n == 0)
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Chưa có chữ ký nào.", "No signatures yet."));
	if (st->confirm && st->sel.sel > 0 && st->sel.sel <= l->n) {
		int r = top + height - 1;

		snprintf(line, sizeof line, APP_T(a, "Xóa chữ ký \"%s\"? y: "
		    "xóa, phím khác: không", "Delete the signature \"%s\"? y: "
		    "delete, any other key: no"),
		    l->items[st->sel.sel - 1].name);
		draw_text(a, r, 2, a->cols - 4, STYLE_ERROR, line);
		/* The question is the focus: readers speak it. */
		a->focus_y = r;
		a->focus_x = 2;
	}
}

static void
draw_pick(struct app *a, struct state *st, int y, int height)
{
	const struct api_info *info = session_info(a->session);
	int i, x;

	if (info == NULL)
		return;
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL,
	    st->picking == SIGNATURE_F_KEYWORD ? app_t(a, "Chọn từ khóa định "
	    "vị vị trí (b: quay lại):", "Choose the position keyword (b: "
	    "back):") : app_t(a, "Chọn nhà cung cấp (b: quay lại):",
	    "Choose the provider (b: back):"));
	list_scroll(&st->pick, (size_t)(height - 1));
	for (i = 0; i < height - 1 && st->pick.top + (size_t)i < st->pick.n;
	    i++) {
		size_t n = st->pick.top + (size_t)i;

		x = draw_item(a, y + i, 2, a->cols - 4, n == st->pick.sel,
		    STYLE_NORMAL, st->picking == SIGNATURE_F_KEYWORD ?
		    info->anchors[n] : info->providers[n].name);
		if (n == st->pick.sel) {
			a->focus_y = y + i;
			a->focus_x = x;
		}
	}
}

/* The image's preview under the form, when there is room for it. */
static void
draw_preview(struct app *a, const struct state *st, int y, int bottom)
{
	const struct preview *p = &st->preview;
	int r, c;

	if (p->cell == NULL || y + 1 + p->rows > bottom)
		return;
	draw_text(a, y++, 2, LABEL_W, STYLE_DIM, st->preview_current ?
	    app_t(a, "Ảnh hiện có:", "Current image:") : app_t(a,
	    "Xem trước ảnh:", "Image preview:"));
	for (r = 0; r < p->rows; r++) {
		move(y + r, 4);
		for (c = 0; c < p->cols; c++)
			addstr(preview_glyph(p, c, r, a->opt.ascii));
	}
}

/* Field f's value at row y; the column of the cursor in it. */
static int
draw_value(struct app *a, struct state *st, int y, int f)
{
	const struct api_info *info = session_info(a->session);
	const struct session_me *me = session_me(a->session);
	int x = 2 + LABEL_W;

	if (f == SIGNATURE_F_TYPE)
		draw_text(a, y, x, a->cols - x, STYLE_NORMAL, "NEAC Sign");
	else if (f == SIGNATURE_F_ACCOUNT)
		draw_text(a, y, x, a->cols - x, STYLE_NORMAL,
		    signature_account_text(me != NULL ? me->cccd : NULL,
		    a->opt.lang));
	else if (f == SIGNATURE_F_PROVIDER) {
		x += draw_text(a, y, x, a->cols - x - 16, STYLE_NORMAL,
		    info != NULL && st->ss.form.provider < info->nproviders ?
		    info->providers[st->ss.form.provider].name : "");
		if (st->focus == f)
			draw_text(a, y, x + 2, 14, STYLE_DIM, app_t(a,
			    "(Enter: chọn)", "(Enter: choose)"));
		return 2 + LABEL_W;
	} else
		return draw_input(a, &st->f[f], y, x, a->cols - x - 3);
	return x;
}

/* What to say under field f: its error, or a hint; NULL when none. */
static const char *
field_note(struct app *a, struct state *st, int f, int *error)
{
	const struct api_info *info = session_info(a->session);
	const char *msg = st->ss.form.errors.fields[f];
	char keep[320];

	*error = msg != NULL;
	if (f == SIGNATURE_F_IMAGE && msg == NULL) {
		/* The check's words, then what becomes of the image it has. */
		signature_form_image_note(&st->ss.form, keep, sizeof keep);
		snprintf(st->note, sizeof st->note, "%s%s%s",
		    st->ss.form.image_msg, st->ss.form.image_msg[0] != '\0' &&
		    keep[0] != '\0' ? ". " : "", keep);
		if (st->note[0] != '\0')
			msg = st->note;
		*error = !st->ss.form.image_ok;
	}
	if (f == SIGNATURE_F_KEYWORD && msg == NULL && st->focus == f &&
	    info != NULL && info->nanchors > 0)
		msg = app_t(a, "Enter: chọn trong danh sách, hoặc gõ",
		    "Enter: choose from the list, or type");
	return msg;
}

static void
draw_form(struct app *a, struct state *st, int top, int height)
{
	const char *msg;
	char mode[64];
	int f, y = top + 2, x, error;

	draw_text(a, top, 2, a->cols - 26, STYLE_TITLE, st->ss.form.id != NULL ?
	    app_t(a, "Sửa chữ ký", "Edit signature") : app_t(a,
	    "+ Thêm chữ ký", "+ Add signature"));
	if (is_text(st->focus)) {
		enum telex_method m = st->f[st->focus].method;

		snprintf(mode, sizeof mode, "%s: %s (Ctrl-T)", app_t(a, "Gõ",
		    "Typing"), m == TELEX_TELEX ? "Telex" : m == TELEX_VNI ?
		    "VNI" : app_t(a, "tắt", "off"));
		draw_text(a, top, a->cols - 24, 24, STYLE_DIM, mode);
	}
	if (st->picking >= 0) {
		draw_pick(a, st, y, height - 2);
		return;
	}
	for (f = 0; f < SIGNATURE_F__N; f++, y++) {
		draw_text(a, y, 0, 2, STYLE_NORMAL, st->focus == f ? ">" : " ");
		draw_text(a, y, 2, LABEL_W - 1, STYLE_NORMAL,
		    labels[f][a->opt.lang == LANG_EN]);
		x = draw_value(a, st, y, f);
		if (st->focus == f) {
			a->focus_y = y;
			a->focus_x = x;
		}
		/* What is wrong, or a note, as text under the field. */
		if ((msg = field_note(a, st, f, &error)) != NULL)
			y += draw_wrapped(a, y + 1, 4 + LABEL_W, a->cols - 4 -
			    LABEL_W, 3, error ? STYLE_ERROR : STYLE_DIM, msg);
	}
	y++;
	draw_text(a, y, 0, 2, STYLE_NORMAL, st->focus == FOCUS_SAVE ? ">" :
	    " ");
	draw_text(a, y, 2, 14, STYLE_NORMAL, signature_form_saving(
	    &st->ss.form) ? app_t(a, "[ Đang lưu… ]", "[ Saving… ]") :
	    app_t(a, "[ Lưu lại ]", "[ Save ]"));
	if (st->focus == FOCUS_SAVE) {
		a->focus_y = y;
		a->focus_x = 2;
	}
	if (st->ss.form.state == SIGNATURE_FAILED &&
	    st->ss.form.message[0] != '\0')
		y += draw_wrapped(a, y + 1, 2, a->cols - 4, top + height - y -
		    1, STYLE_ERROR, st->ss.form.message);
	draw_preview(a, st, y + 2, top + height);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = sigs_state(a);

	if (st->view == VIEW_FORM)
		draw_form(a, st, top, height);
	else
		draw_list(a, st, top, height);
}

const struct screen_ops screen_signatures = {
	.name = "signatures",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help_list,
	.in_field = in_field,
};
