/*
 * The account menu (the name at the top right on the portal's page):
 * "Thông tin tài khoản" from GET /api/v1/me, "Cập nhật chữ ký", "Hồ sơ
 * của tôi", and "Đăng xuất".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "draw.h"
#include "xmalloc.h"

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

/*
 * From home, the first item; back from a screen one of its items opened
 * (app_open, then app_back), that item again.
 */
struct state {
	struct list	menu;
	int		info;		/* "Thông tin tài khoản" is open */
};

static void
enter(struct app *a)
{
	struct state *st = app_state(a, &screen_account);

	st->menu.n = ACCOUNT__N;
	if (a->from == &screen_home)
		st->menu.sel = 0;
	st->info = 0;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = app_state(a, &screen_account);

	if (list_handle(&st->menu, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_BACK:
	case ACTION_HOME:
		app_home(a);
		return UI_REDRAW;
	case ACTION_SELECT:
		switch (st->menu.sel) {
		case ACCOUNT_INFO:
			st->info = 1;
			session_me_fetch(a->session);
			return UI_REDRAW;
		case ACCOUNT_SIGNATURES:
			app_open(a, &screen_signatures);
			return UI_REDRAW;
		case ACCOUNT_DOSSIERS:
			app_open(a, &screen_dossiers);
			return UI_REDRAW;
		case ACCOUNT_LOGOUT:
			session_logout(a->session);
			app_home(a);
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
		app_home(a);
	return UI_REDRAW;
}

static void
draw_info(struct app *a, int y)
{
	const struct session_me *me = session_me(a->session);
	struct buf b;
	const char *line, *nl;

	if (me == NULL) {
		if (session_me_state(a->session) == SESSION_LOAD_FAILED)
			draw_text(a, y, 4, a->cols - 4, STYLE_ERROR, app_t(a,
			    "Không tải được thông tin; Enter để thử lại.",
			    "Could not load the details; Enter to retry."));
		return;
	}
	buf_init(&b, 8192);
	session_me_facts(me, a->opt.lang, &b);
	for (line = buf_str(&b); (nl = strchr(line, '\n')) != NULL;
	    line = nl + 1) {
		char *one = xstrndup(line, (size_t)(nl - line));

		y += draw_wrapped(a, y, 4, a->cols - 6, 3, STYLE_NORMAL, one);
		free(one);
	}
	buf_free(&b);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = app_state(a, &screen_account);
	int i, x, y = top;

	(void)height;
	draw_text(a, y, 2, a->cols - 2, STYLE_TITLE, app_t(a, "Tài khoản",
	    "Account"));
	y += 2;
	for (i = 0; i < ACCOUNT__N; i++, y++) {
		x = draw_item(a, y, 2, a->cols - 4, (size_t)i == st->menu.sel,
		    STYLE_NORMAL, labels[i][a->opt.lang == LANG_EN]);
		if ((size_t)i == st->menu.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (st->info)
		draw_info(a, y + 1);
}

const struct screen_ops screen_account = {
	.name = "account",
	.state_size = sizeof(struct state),
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};
