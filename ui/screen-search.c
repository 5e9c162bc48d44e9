/*
 * "Tìm kiếm nâng cao": a keyword with agency, field and level filters.
 * The results follow the typing, debounced: a search goes 250 ms after
 * the last key, never one per key, and a newer search replaces one still
 * waiting.  The keyword field has Telex/VNI typing (Ctrl-T) with its
 * indicator beside it; the portal folds diacritics, so "dang ky khai
 * sinh" finds "Đăng ký khai sinh".  Enter on a result opens its detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "xmalloc.h"

#define DEBOUNCE_MS	250
#define PER_PAGE	10
#define KEYWORD_MAX	200
#define LABEL_W		11

enum {
	SEARCH_FOCUS_KEYWORD,
	SEARCH_FOCUS_AGENCY,
	SEARCH_FOCUS_FIELD,
	SEARCH_FOCUS_LEVEL,
	SEARCH_FOCUS_RESULTS,
	SEARCH_FOCUS__N
};

/* The choices' index in ui_search.choice. */
enum { CHOICE_AGENCY, CHOICE_FIELD, CHOICE_LEVEL };

static const char *const levels[3][2] = {
	{ "Tất cả", "All" },
	{ "Toàn trình", "Full online" },
	{ "Một phần", "Partly online" },
};
static const char *const level_codes[3] = { "", "toan_trinh", "mot_phan" };

static const enum action help[] = {
	ACTION_NEXT, ACTION_PREV, ACTION_SELECT, ACTION_TELEX,
	ACTION_PAGE_NEXT, ACTION_PAGE_PREV, ACTION_BACK, ACTION_REDRAW,
	ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static const struct catalog_groups *
choice_groups(struct app *a, int which)
{
	return which == CHOICE_AGENCY ? &a->groups.agencies :
	    &a->groups.fields;
}

static size_t
choice_count(struct app *a, int which)
{
	return which == CHOICE_LEVEL ? 3 : choice_groups(a, which)->n + 1;
}

/* The label of option i of a choice (0: all). */
static const char *
choice_label(struct app *a, int which, size_t i)
{
	if (which == CHOICE_LEVEL)
		return levels[i < 3 ? i : 0][a->opt.lang == LANG_EN];
	if (i == 0 || i > choice_groups(a, which)->n)
		return levels[0][a->opt.lang == LANG_EN];
	return choice_groups(a, which)->items[i - 1].name;
}

static const char *
choice_code(struct app *a, int which)
{
	size_t i = a->search.choice[which];

	if (which == CHOICE_LEVEL)
		return level_codes[i < 3 ? i : 0];
	if (i == 0 || i > choice_groups(a, which)->n)
		return NULL;
	return choice_groups(a, which)->items[i - 1].code;
}

static unsigned
on_results(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_search *s = &a->search;

	s->req = 0;
	s->state = app_catalog_reply(a, r, &s->page, &s->results, s->error,
	    sizeof s->error);
	return 0;
}

/* Sends the search as it stands, replacing one not yet answered. */
static void
search_now(struct app *a)
{
	struct ui_search *s = &a->search;
	struct catalog_query q;
	struct session_request req;
	const char *kw = field_text(&s->keyword);
	char *path;

	debounce_clear(&s->debounce);
	session_cancel(a->session, s->req);
	s->req = 0;
	while (*kw == ' ')
		kw++;
	memset(&q, 0, sizeof q);
	q.q = kw;
	q.agency = choice_code(a, CHOICE_AGENCY);
	q.field = choice_code(a, CHOICE_FIELD);
	q.level = choice_code(a, CHOICE_LEVEL);
	if (kw[0] == '\0' && q.agency == NULL && q.field == NULL &&
	    q.level[0] == '\0') {
		catalog_page_free(&s->page);
		s->results.n = s->results.sel = 0;
		s->state = SESSION_LOAD_NONE;
		return;
	}
	q.page = s->page_no;
	q.per_page = PER_PAGE;
	path = catalog_query_path(&q);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	/* Searches are not cached: each keyword would be a new entry. */
	req.cb = on_results;
	req.ctx = a;
	s->req = session_request(a->session, &req);
	s->state = SESSION_LOAD_BUSY;
	s->error[0] = '\0';
	s->sent++;
	free(path);
}

static void
enter(struct app *a)
{
	struct ui_search *s = &a->search;

	if (s->keyword.text == NULL) {
		field_init(&s->keyword, KEYWORD_MAX);
		debounce_init(&s->debounce, DEBOUNCE_MS);
		s->page_no = 1;
	}
	s->picking = -1;
	/* Back from a result's detail, the focus stays on the results. */
	if (a->from != &screen_procedure || s->results.n == 0)
		s->focus = SEARCH_FOCUS_KEYWORD;
	app_groups_load(a);
}

static int
in_field(struct app *a)
{
	return a->search.focus == SEARCH_FOCUS_KEYWORD &&
	    a->search.picking < 0;
}

static unsigned
tick(struct app *a)
{
	if (debounce_due(&a->search.debounce, a->now_ms)) {
		a->search.page_no = 1;
		search_now(a);
	}
	return 0;
}

static int64_t
wait(struct app *a)
{
	return debounce_wait(&a->search.debounce, a->now_ms);
}

static long
page_count(const struct catalog_page *p)
{
	if (p->per_page <= 0 || p->total <= 0)
		return 1;
	return (p->total + p->per_page - 1) / p->per_page;
}

static unsigned
key_picking(struct app *a, enum action act, const struct key *k)
{
	struct ui_search *s = &a->search;

	if (list_handle(&s->pick, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_SELECT:
		s->choice[s->picking] = s->pick.sel;
		s->picking = -1;
		s->page_no = 1;
		search_now(a);
		return UI_REDRAW;
	case ACTION_BACK:
		s->picking = -1;
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct ui_search *s = &a->search;
	unsigned wch;

	if (s->picking >= 0)
		return key_picking(a, act, k);
	if (s->focus == SEARCH_FOCUS_KEYWORD &&
	    (act == ACTION_NONE || act == ACTION_TELEX)) {
		wch = field_handle_key(&s->keyword, k);
		if (wch & WIDGET_CH_TEXT)
			debounce_touch(&s->debounce, a->now_ms);
		return wch != 0 ? UI_REDRAW : 0;
	}
	if (s->focus == SEARCH_FOCUS_RESULTS) {
		if ((act == ACTION_UP || act == ACTION_PREV) &&
		    s->results.sel == 0) {
			s->focus = SEARCH_FOCUS_LEVEL;
			return UI_REDRAW;
		}
		if (act == ACTION_NEXT) {
			s->focus = SEARCH_FOCUS_KEYWORD;
			return UI_REDRAW;
		}
		if (list_handle(&s->results, act, k))
			return UI_REDRAW;
	}
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		if (s->focus == SEARCH_FOCUS_LEVEL && s->results.n == 0)
			s->focus = SEARCH_FOCUS_KEYWORD;
		else
			s->focus = (s->focus + 1) % SEARCH_FOCUS__N;
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		if (s->focus == SEARCH_FOCUS_KEYWORD)
			s->focus = s->results.n > 0 ? SEARCH_FOCUS_RESULTS :
			    SEARCH_FOCUS_LEVEL;
		else
			s->focus--;
		return UI_REDRAW;
	case ACTION_SELECT:
		switch (s->focus) {
		case SEARCH_FOCUS_KEYWORD:
			/* Enter searches at once, then goes to the results. */
			if (debounce_wait(&s->debounce, a->now_ms) >= 0) {
				s->page_no = 1;
				search_now(a);
			}
			if (s->results.n > 0)
				s->focus = SEARCH_FOCUS_RESULTS;
			return UI_REDRAW;
		case SEARCH_FOCUS_RESULTS:
			if (s->results.sel < s->page.n)
				app_procedure_open(a,
				    s->page.items[s->results.sel].code,
				    &screen_search);
			return UI_REDRAW;
		default:
			s->picking = s->focus - SEARCH_FOCUS_AGENCY;
			s->pick.n = choice_count(a, s->picking);
			s->pick.sel = s->choice[s->picking];
			s->pick.top = 0;
			return UI_REDRAW;
		}
	case ACTION_PAGE_NEXT:
	case ACTION_PAGE_PREV:
		if (s->state != SESSION_LOAD_READY)
			return 0;
		if (act == ACTION_PAGE_NEXT && s->page_no < page_count(&s->page))
			s->page_no++;
		else if (act == ACTION_PAGE_PREV && s->page_no > 1)
			s->page_no--;
		else
			return 0;
		search_now(a);
		return UI_REDRAW;
	case ACTION_BACK:
	case ACTION_HOME:
		debounce_clear(&s->debounce);
		app_switch(a, &screen_home);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
changed(struct app *a, unsigned ch)
{
	(void)a;
	(void)ch;
	return UI_REDRAW;
}

static const char *
method_name(struct app *a, enum telex_method m)
{
	switch (m) {
	case TELEX_TELEX:
		return "Telex";
	case TELEX_VNI:
		return "VNI";
	default:
		return app_t(a, "tắt", "off");
	}
}

static void
draw_keyword(struct app *a, int y)
{
	struct ui_search *s = &a->search;
	int x = 2 + LABEL_W + 1, width = a->cols - x - 22, cx;
	char mode[64];

	draw_text(a, y, 0, 2, STYLE_NORMAL, s->focus ==
	    SEARCH_FOCUS_KEYWORD && s->picking < 0 ? ">" : " ");
	draw_text(a, y, 2, LABEL_W, STYLE_NORMAL, app_t(a, "Từ khóa:",
	    "Keyword:"));
	cx = draw_input(a, &s->keyword, y, x, width);
	snprintf(mode, sizeof mode, "%s: %s (Ctrl-T)", app_t(a, "Gõ",
	    "Typing"), method_name(a, s->keyword.method));
	draw_text(a, y, x + width + 2, a->cols - x - width - 2, STYLE_DIM,
	    mode);
	if (s->focus == SEARCH_FOCUS_KEYWORD && s->picking < 0) {
		a->focus_y = y;
		a->focus_x = cx;
	}
}

static void
draw_choice(struct app *a, int y, int which, const char *label)
{
	struct ui_search *s = &a->search;
	int focus = s->focus == SEARCH_FOCUS_AGENCY + which;
	int x = 2 + LABEL_W + 1;

	draw_text(a, y, 0, 2, STYLE_NORMAL, focus && s->picking < 0 ? ">" :
	    " ");
	draw_text(a, y, 2, LABEL_W, STYLE_NORMAL, label);
	x += draw_text(a, y, x, a->cols - x - 24, STYLE_NORMAL,
	    choice_label(a, which, s->choice[which]));
	if (focus)
		draw_text(a, y, x + 2, a->cols - x - 2, STYLE_DIM, app_t(a,
		    "(Enter: chọn)", "(Enter: choose)"));
	if (focus && s->picking < 0) {
		a->focus_y = y;
		a->focus_x = 2 + LABEL_W + 1;
	}
}

static void
draw_pick(struct app *a, int y, int height)
{
	struct ui_search *s = &a->search;
	int i, x;

	list_scroll(&s->pick, (size_t)height);
	for (i = 0; i < height && s->pick.top + (size_t)i < s->pick.n; i++) {
		size_t n = s->pick.top + (size_t)i;

		x = draw_item(a, y + i, 2, a->cols - 4, n == s->pick.sel,
		    STYLE_NORMAL, choice_label(a, s->picking, n));
		if (n == s->pick.sel) {
			a->focus_y = y + i;
			a->focus_x = x;
		}
	}
}

static void
draw(struct app *a, int top, int height)
{
	struct ui_search *s = &a->search;
	char line[160];
	int y = top, rows;

	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Tìm kiếm nâng cao", "Advanced search"));
	y += 2;
	draw_keyword(a, y++);
	draw_choice(a, y++, CHOICE_AGENCY, app_t(a, "Cơ quan:", "Agency:"));
	draw_choice(a, y++, CHOICE_FIELD, app_t(a, "Lĩnh vực:", "Field:"));
	draw_choice(a, y++, CHOICE_LEVEL, app_t(a, "Mức độ:", "Level:"));
	y++;
	rows = top + height - y - 1;
	if (s->picking >= 0) {
		draw_pick(a, y, rows + 1);
		return;
	}
	switch (s->state) {
	case SESSION_LOAD_NONE:
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Gõ từ khóa (có dấu hoặc không dấu) hoặc chọn cơ quan, lĩnh "
		    "vực, mức độ.", "Type a keyword (with or without "
		    "diacritics) or choose an agency, field or level."));
		break;
	case SESSION_LOAD_FAILED:
		draw_wrapped(a, y, 2, a->cols - 4, 3, STYLE_ERROR, s->error);
		break;
	case SESSION_LOAD_BUSY:
		/* The previous results stay until the new ones come. */
		if (s->page.n == 0)
			break;
		/* FALLTHROUGH */
	case SESSION_LOAD_READY:
		if (s->page.total == 0)
			snprintf(line, sizeof line, "%s", app_t(a, "Không tìm "
			    "thấy thủ tục nào.", "No procedure found."));
		else
			snprintf(line, sizeof line, APP_T(a, "%ld kết quả · "
			    "trang %ld/%ld", "%ld results · page %ld/%ld"),
			    s->page.total, s->page.page, page_count(&s->page));
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, line);
		y++;
		draw_procedures(a, &s->page, &s->results, y, rows,
		    s->focus == SEARCH_FOCUS_RESULTS);
		break;
	}
}

const struct screen_ops screen_search = {
	.name = "search",
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
	.tick = tick,
	.wait = wait,
};
