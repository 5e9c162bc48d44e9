/*
 * Home: the portal's menus, as on its web page, and the way in to the
 * login or, once logged in, to the account menu.  '/' opens the
 * advanced search from anywhere outside a text field.
 */
#include <stdio.h>

#include "draw.h"

enum home_item {
	HOME_CATALOG,
	HOME_FEATURED,
	HOME_SEARCH,
	HOME_LOOKUP,
	HOME_LOGIN,		/* or the account, once logged in */
	HOME__N
};

static const char *const labels[HOME__N][2] = {
	{ "Dịch vụ công trực tuyến", "Online public services" },
	{ "Dịch vụ hành chính công nổi bật", "Featured public services" },
	{ "Tìm kiếm nâng cao", "Advanced search" },
	{ "Tra cứu hồ sơ", "Look up a dossier" },
	{ "Đăng nhập", "Log in" },
};

static const enum action help[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_SEARCH, ACTION_LOGIN,
	ACTION_ACCOUNT, ACTION_RETRY, ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

struct state {
	struct list	menu;
};

/* Back from a login that went through, the account's item has the focus. */
static void
enter(struct app *a)
{
	struct state *st = app_state(a, &screen_home);

	st->menu.n = HOME__N;
	if (a->from == &screen_login && session_logged_in(a->session))
		st->menu.sel = HOME_LOGIN;
}

static unsigned
go_login(struct app *a)
{
	if (session_logged_in(a->session)) {
		app_switch(a, &screen_account);
		return UI_REDRAW;
	}
	app_switch(a, &screen_login);
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = app_state(a, &screen_home);

	if (list_handle(&st->menu, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_RETRY:
		session_info_fetch(a->session);
		return UI_REDRAW;
	case ACTION_SELECT:
		switch (st->menu.sel) {
		case HOME_LOGIN:
			return go_login(a);
		case HOME_CATALOG:
			app_open(a, &screen_catalog);
			return UI_REDRAW;
		case HOME_FEATURED:
			app_open(a, &screen_featured);
			return UI_REDRAW;
		case HOME_SEARCH:
			app_open(a, &screen_search);
			return UI_REDRAW;
		case HOME_LOOKUP:
			app_open(a, &screen_lookup);
			return UI_REDRAW;
		default:
			return 0;
		}
	default:
		return 0;
	}
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = app_state(a, &screen_home);
	char label[160];
	int i, x, y = top;

	(void)height;
	draw_text(a, y, 2, a->cols - 2, STYLE_TITLE, app_t(a, "Trang chủ",
	    "Home"));
	y += 2;
	for (i = 0; i < HOME__N; i++, y++) {
		const char *l = labels[i][a->opt.lang == LANG_EN];

		if (i == HOME_LOGIN && session_logged_in(a->session)) {
			const char *who = session_name(a->session);

			snprintf(label, sizeof label, "%s%s%s",
			    app_t(a, "Tài khoản", "Account"),
			    who != NULL ? ": " : "", who != NULL ? who : "");
			l = label;
		}
		x = draw_item(a, y, 2, a->cols - 4, (size_t)i == st->menu.sel,
		    STYLE_NORMAL, l);
		if ((size_t)i == st->menu.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (session_info_state(a->session) == SESSION_LOAD_FAILED)
		draw_text(a, y + 1, 2, a->cols - 2, STYLE_NORMAL, app_t(a,
		    "r: thử kết nối lại", "r: try to connect again"));
}

const struct screen_ops screen_home = {
	.name = "home",
	.state_size = sizeof(struct state),
	.enter = enter,
	.key = key,
	.draw = draw,
	.help = help,
};
