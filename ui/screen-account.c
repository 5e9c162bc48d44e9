/*
 * The account menu (the name at the top right on the portal's page):
 * "Thông tin tài khoản" from GET /api/v1/me, "Cập nhật chữ ký", "Hồ sơ
 * của tôi", and "Đăng xuất".
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "draw.h"

enum account_item {
	ACCOUNT_INFO,
	ACCOUNT_SIGNATURES,
	ACCOUNT_DOSSIERS,
	ACCOUNT_LOGOUT,
	ACCOUNT__N
};

static const char *const labels[ACCOUNT__N][2] = {
	{ "Thông tin tài khoản", "Account details" },
	{ "Cập nhật chữ ký", "Update signature" },
	{ "Hồ sơ của tôi", "My dossiers" },
	{ "Đăng xuất", "Log out" },
};

static const enum action help[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_BACK, ACTION_HOME,
	ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static void
enter(struct app *a)
{
	a->account.n = ACCOUNT__N;
	a->account.sel = 0;
	a->account_info = 0;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	if (list_handle(&a->account, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_BACK:
	case ACTION_HOME:
		app_switch(a, &screen_home);
		return UI_REDRAW;
	case ACTION_SELECT:
		switch (a->account.sel) {
		case ACCOUNT_INFO:
			a->account_info = 1;
			session_me_fetch(a->session);
			return UI_REDRAW;
		case ACCOUNT_SIGNATURES:
			app_switch(a, &screen_signatures);
			return UI_REDRAW;
		case ACCOUNT_DOSSIERS:
			app_switch(a, &screen_dossiers);
			return UI_REDRAW;
		case ACCOUNT_LOGOUT:
			session_logout(a->session);
			app_switch(a, &screen_home);
			app_notice(a, "%s", app_t(a, "Đã đăng xuất.",
			    "Logged out."));
			return UI_REDRAW;
		default:
			app_notice(a, "%s", app_t(a, "Chức năng này chưa có "
			    "trong phiên bản này.", "This is not available in "
			    "this version yet."));
			return UI_REDRAW;
		}
	default:
		return 0;
	}
}

static unsigned
changed(struct app *a, unsigned ch)
{
	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session))
		app_switch(a, &screen_home);
	return UI_REDRAW;
}

/* "2001-04-30" as "30/04/2001". */
static void
vn_date(const char *iso, char *out, size_t outsz)
{
	int64_t t;

	if (iso == NULL || clock_parse_iso8601(iso, &t) != STATUS_OK ||
	    clock_format_vn(t, out, outsz, "dd/mm/yyyy") != STATUS_OK)
		snprintf(out, outsz, "%s", iso != NULL ? iso : "");
}

static void
draw_info(struct app *a, int y)
{
	const struct session_me *me = session_me(a->session);
	const char *gender;
	char date[32], line[256];

	if (me == NULL) {
		if (session_me_state(a->session) == SESSION_LOAD_FAILED)
			draw_text(a, y, 4, a->cols - 4, STYLE_ERROR, app_t(a,
			    "Không tải được thông tin; Enter để thử lại.",
			    "Could not load the details; Enter to retry."));
		return;
	}
	gender = me->gender == NULL ? "" :
	    strcmp(me->gender, "male") == 0 ? app_t(a, "Nam", "Male") :
	    strcmp(me->gender, "female") == 0 ? app_t(a, "Nữ", "Female") :
	    me->gender;
	vn_date(me->birthdate, date, sizeof date);
	snprintf(line, sizeof line, "%s: %s", app_t(a, "Họ và tên", "Name"),
	    me->name != NULL ? me->name : "");
	draw_text(a, y++, 4, a->cols - 4, STYLE_NORMAL, line);
	snprintf(line, sizeof line, "%s: %s", app_t(a, "Số CCCD",
	    "Citizen ID (CCCD)"), me->cccd != NULL ? me->cccd : "");
	draw_text(a, y++, 4, a->cols - 4, STYLE_NORMAL, line);
	snprintf(line, sizeof line, "%s: %s", app_t(a, "Ngày sinh",
	    "Date of birth"), date);
	draw_text(a, y++, 4, a->cols - 4, STYLE_NORMAL, line);
	snprintf(line, sizeof line, "%s: %s", app_t(a, "Giới tính", "Sex"),
	    gender);
	draw_text(a, y++, 4, a->cols - 4, STYLE_NORMAL, line);
	snprintf(line, sizeof line, "%s: %d", app_t(a, "Mức định danh",
	    "Identification level"), me->level);
	draw_text(a, y, 4, a->cols - 4, STYLE_NORMAL, line);
}

static void
draw(struct app *a, int top, int height)
{
	int i, x, y = top;

	(void)height;
	draw_text(a, y, 2, a->cols - 2, STYLE_TITLE, app_t(a, "Tài khoản",
	    "Account"));
	y += 2;
	for (i = 0; i < ACCOUNT__N; i++, y++) {
		x = draw_item(a, y, 2, a->cols - 4,
		    (size_t)i == a->account.sel,
		    STYLE_NORMAL, labels[i][a->opt.lang == LANG_EN]);
		if ((size_t)i == a->account.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (a->account_info)
		draw_info(a, y + 1);
}

const struct screen_ops screen_account = {
	.name = "account",
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};
