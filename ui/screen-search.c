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

/* "Tìm kiếm nâng cao". */
struct state {
	struct field		 keyword;
	struct debounce		 debounce;
	int			 focus;		/* SEARCH_FOCUS_* */
	struct catalog_filters	 filters;	/* 0: all */
	int			 picking;	/* which filter is open, or -1 */
	struct list		 pick;
	struct list		 results;
	long			 page_no;
	struct catalog_list	 l;
	struct flow_run		 run;
	unsigned		 answers;	/* of l, as last shown */
};

static const enum action help[] = {
	ACTION_NEXT, ACTION_PREV, ACTION_SELECT, ACTION_TELEX,
	ACTION_PAGE_NEXT, ACTION_PAGE_PREV, ACTION_BACK, ACTION_REDRAW,
	ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static void
state_free(void *p)
{
	struct state *st = p;

	flow_run_cancel(&st->run);
	catalog_list_free(&st->l);
	field_free(&st->keyword);
}

static struct state *
search_state(struct app *a)
{
	struct state *st = app_state(a, &screen_search);

	if (st->keyword.text == NULL) {
		field_init(&st->keyword, KEYWORD_MAX);
		debounce_init(&st->debounce, DEBOUNCE_MS);
		st->page_no = 1;
		catalog_list_init(&st->l, a->opt.lang);
		flow_run_init(&st->run, a->session, &catalog_list_flow, &st->l);
		st->filters.fields = &a->groups.fields;
		st->filters.agencies = &a->groups.agencies;
	}
	return st;
}

/* The results list follows the page the flow holds. */
static void
sync_results(struct state *st)
{
	sync_procs(&st->results, &st->l, &st->answers);
}

/*
 * Sends the search as it stands, replacing one not yet answered, whose
 * answer is then never shown.
 */
static void
search_now(struct state *st)
{
	struct catalog_query q;

	debounce_clear(&st->debounce);
	flow_run_cancel(&st->run);
	memset(&q, 0, sizeof q);
	q.q = field_text(&st->keyword);
	catalog_filters_query(&st->filters, &q);
	q.page = st->page_no;
	q.per_page = PER_PAGE;
	if (catalog_list_search(&st->l, &q))
		flow_run_pump(&st->run);
	sync_results(st);
}

static void
enter(struct app *a)
{
	struct state *st = search_state(a);

	st->picking = -1;
	/* The typing chosen last, here or in another field. */
	st->keyword.method = a->typing;
	/* Back from a result's detail, the focus stays on the results. */
	if (a->from != &screen_procedure || st->results.n == 0)
		st->focus = SEARCH_FOCUS_KEYWORD;
	app_groups_load(a);
}

static int
in_field(struct app *a)
{
	struct state *st = search_state(a);

	return st->focus == SEARCH_FOCUS_KEYWORD && st->picking < 0;
}

static unsigned
tick(struct app *a)
{
	struct state *st = search_state(a);

	if (debounce_due(&st->debounce, a->now_ms)) {
		st->page_no = 1;
		search_now(st);
	}
	return 0;
}

static int64_t
wait(struct app *a)
{
	return debounce_wait(&search_state(a)->debounce, a->now_ms);
}

static unsigned
key_picking(struct app *a, enum action act, const struct key *k)
{
	struct state *s = search_state(a);

	if (list_handle(&s->pick, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_SELECT:
		s->filters.choice[s->picking] = s->pick.sel;
		s->picking = -1;
		s->page_no = 1;
		search_now(s);
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
	struct state *s = search_state(a);
	unsigned wch;

	sync_results(s);
	if (s->picking >= 0)
		return key_picking(a, act, k);
	if (s->focus == SEARCH_FOCUS_KEYWORD &&
	    (act == ACTION_NONE || act == ACTION_TELEX)) {
		wch = field_handle_key(&s->keyword, k);
		if (wch & WIDGET_CH_TEXT)
			debounce_touch(&s->debounce, a->now_ms);
		if (wch & WIDGET_CH_MODE)
			app_set_typing(a, s->keyword.method);
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
				search_now(s);
			}
			if (s->results.n > 0)
				s->focus = SEARCH_FOCUS_RESULTS;
			return UI_REDRAW;
		case SEARCH_FOCUS_RESULTS:
			if (s->results.sel < s->l.page.n)
				app_procedure_open(a,
				    s->l.page.items[s->results.sel].code);
			return UI_REDRAW;
		default:
			s->picking = s->focus - SEARCH_FOCUS_AGENCY;
			s->pick.n = catalog_filter_count(&s->filters,
			    s->picking);
			s->pick.sel = s->filters.choice[s->picking];
			s->pick.top = 0;
			return UI_REDRAW;
		}
	case ACTION_PAGE_NEXT:
	case ACTION_PAGE_PREV:
		if (s->l.state != CATALOG_READY)
			return 0;
		if (act == ACTION_PAGE_NEXT && s->page_no <
		    catalog_page_count(&s->l.page))
			s->page_no++;
		else if (act == ACTION_PAGE_PREV && s->page_no > 1)
			s->page_no--;
		else
			return 0;
		search_now(s);
		return UI_REDRAW;
	case ACTION_BACK:
	case ACTION_HOME:
		debounce_clear(&s->debounce);
		app_home(a);
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
	struct state *s = search_state(a);
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
	struct state *s = search_state(a);
	int focus = s->focus == SEARCH_FOCUS_AGENCY + which;
	int x = 2 + LABEL_W + 1;

	draw_text(a, y, 0, 2, STYLE_NORMAL, focus && s->picking < 0 ? ">" :
	    " ");
	draw_text(a, y, 2, LABEL_W, STYLE_NORMAL, label);
	x += draw_text(a, y, x, a->cols - x - 24, STYLE_NORMAL,
	    catalog_filter_label(&s->filters, which,
	    s->filters.choice[which], a->opt.lang));
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
	struct state *s = search_state(a);
	int i, x;

	list_scroll(&s->pick, (size_t)height);
	for (i = 0; i < height && s->pick.top + (size_t)i < s->pick.n; i++) {
		size_t n = s->pick.top + (size_t)i;

		x = draw_item(a, y + i, 2, a->cols - 4, n == s->pick.sel,
		    STYLE_NORMAL, catalog_filter_label(&s->filters,
		    s->picking, n, a->opt.lang));
		if (n == s->pick.sel) {
			a->focus_y = y + i;
			a->focus_x = x;
		}
	}
}

/* The count, the page and the results. */
static void
draw_results(struct app *a, struct state *s, int y, int rows)
{
	const struct catalog_page *pg = &s->l.page;
	char line[160];

	if (pg->total == 0)
		snprintf(line, sizeof line, "%s", app_t(a, "Không tìm thấy thủ "
		    "tục nào.", "No procedure found."));
	else
		snprintf(line, sizeof line, APP_T(a, "%ld kết quả · trang "
		    "%ld/%ld", "%ld results · page %ld/%ld"), pg->total,
		    pg->page, catalog_page_count(pg));
	draw_text(a, y, 2, a->cols - 4, STYLE_DIM, line);
	draw_procedures(a, pg, &s->results, y + 1, rows,
	    s->focus == SEARCH_FOCUS_RESULTS);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *s = search_state(a);
	int y = top, rows;

	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Tìm kiếm nâng cao", "Advanced search"));
	y += 2;
	draw_keyword(a, y++);
	draw_choice(a, y++, CATALOG_FILTER_AGENCY, app_t(a, "Cơ quan:",
	    "Agency:"));
	draw_choice(a, y++, CATALOG_FILTER_FIELD, app_t(a, "Lĩnh vực:",
	    "Field:"));
	draw_choice(a, y++, CATALOG_FILTER_LEVEL, app_t(a, "Mức độ:",
	    "Level:"));
	y++;
	rows = top + height - y - 1;
	if (s->picking >= 0) {
		draw_pick(a, y, rows + 1);
		return;
	}
	sync_results(s);
	switch (s->l.state) {
	case CATALOG_IDLE:
		draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_DIM, app_t(a,
		    "Gõ từ khóa (có dấu hoặc không dấu) hoặc chọn cơ quan, lĩnh "
		    "vực, mức độ.", "Type a keyword (with or without "
		    "diacritics) or choose an agency, field or level."));
		break;
	case CATALOG_FAILED:
		draw_wrapped(a, y, 2, a->cols - 4, 3, STYLE_ERROR,
		    s->l.message);
		break;
	case CATALOG_WANTED:
	case CATALOG_LOADING:
		/* The previous results stay until the new ones come. */
		if (s->l.page.n == 0)
			break;
		/* FALLTHROUGH */
	case CATALOG_READY:
		draw_results(a, s, y, rows);
		break;
	}
}

const struct screen_ops screen_search = {
	.name = "search",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
	.tick = tick,
	.wait = wait,
};
