/*
 * A procedure's detail: code, agency, field, level, processing time,
 * fees ("2.000 đ"), the result, the steps and the required documents
 * ("Thành phần hồ sơ"), from GET /api/v1/procedures/{code} (cached and
 * revalidated; the detail flow of client/catalog.h).  The text is
 * wrapped to the screen and scrolls; the focus, and the cursor, is the
 * procedure's name at the top.  "s" hands the procedure to the wizard
 * ("Nộp hồ sơ"), after a login when needed; back returns to the list it
 * was opened from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "utf8.h"
#include "xmalloc.h"

#define MAX_LINES	400

static const enum action help[] = {
	ACTION_APPLY, ACTION_UP, ACTION_DOWN, ACTION_PAGE_NEXT, ACTION_PAGE_PREV,
	ACTION_BACK, ACTION_HOME, ACTION_SEARCH, ACTION_RETRY, ACTION_REDRAW,
	ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

/* A procedure's detail. */
struct state {
	struct catalog_detail	 d;
	struct flow_run		 run;
	int			 scroll;	/* first line shown */
	int			 nlines;	/* as last drawn */
};

static void
state_free(void *p)
{
	struct state *st = p;

	flow_run_cancel(&st->run);
	catalog_detail_free(&st->d);
}

static struct state *
procedure_state(struct app *a)
{
	struct state *st = app_state(a, &screen_procedure);

	if (st->run.ops == NULL) {
		catalog_detail_init(&st->d, a->opt.lang);
		flow_run_init(&st->run, a->session, &catalog_detail_flow,
		    &st->d);
	}
	return st;
}

/* Asks for code (again). */
static void
load(struct app *a, struct state *st, const char *code)
{
	flow_run_cancel(&st->run);
	catalog_detail_ask(&st->d, code);
	st->scroll = 0;
	flow_run_pump(&st->run);
	app_groups_load(a);
}

void
app_procedure_open(struct app *a, const char *code)
{
	load(a, procedure_state(a), code);
	app_open(a, &screen_procedure);
}

static void
enter(struct app *a)
{
	struct state *st = procedure_state(a);

	/* Handed to the wizard meanwhile: fetched again (cached). */
	if (st->d.state == CATALOG_IDLE && st->d.code != NULL)
		load(a, st, st->d.code);
}

/*
 * "s": the procedure goes to the wizard, after a login when needed (the
 * wizard then fetches it again, cached).
 */
static unsigned
apply(struct app *a, struct state *st)
{
	struct catalog_procedure p;
	char *code;

	if (st->d.state != CATALOG_READY)
		return 0;
	if (st->d.p.form == NULL) {
		app_notice(a, "%s", app_t(a, "Thủ tục này chưa nộp trực tuyến "
		    "được.", "This procedure cannot be applied for online."));
		return UI_REDRAW;
	}
	if (!session_logged_in(a->session)) {
		/* After the login, straight into the form. */
		free(a->after_login);
		a->after_login = xstrdup(st->d.p.code);
		app_switch(a, &screen_login);
		app_notice(a, "%s", app_t(a, "Đăng nhập để nộp hồ sơ.",
		    "Log in to apply."));
		return UI_REDRAW;
	}
	catalog_detail_take(&st->d, &p);
	code = xstrdup(p.code);
	app_wizard_open(a, code, &p);
	catalog_procedure_free(&p);
	free(code);
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = procedure_state(a);
	int page = a->rows - 6;

	(void)k;
	switch (act) {
	case ACTION_UP:
	case ACTION_PREV:
		if (st->scroll > 0)
			st->scroll--;
		return UI_REDRAW;
	case ACTION_DOWN:
	case ACTION_NEXT:
		if (st->scroll + page < st->nlines)
			st->scroll++;
		return UI_REDRAW;
	case ACTION_PAGE_NEXT:
		st->scroll += page;
		if (st->scroll > st->nlines - page)
			st->scroll = st->nlines - page;
		if (st->scroll < 0)
			st->scroll = 0;
		return UI_REDRAW;
	case ACTION_PAGE_PREV:
		st->scroll -= page;
		if (st->scroll < 0)
			st->scroll = 0;
		return UI_REDRAW;
	case ACTION_BACK:
		flow_run_cancel(&st->run);
		app_back(a);
		return UI_REDRAW;
	case ACTION_HOME:
		flow_run_cancel(&st->run);
		app_home(a);
		return UI_REDRAW;
	case ACTION_RETRY:
		if (st->d.state == CATALOG_FAILED && st->d.code != NULL)
			load(a, st, st->d.code);
		return UI_REDRAW;
	case ACTION_APPLY:
		return apply(a, st);
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

/* The detail as wrapped lines, each with its style and indent. */
struct text_lines {
	struct line {
		char		*text;
		int		 indent;
		enum draw_style	 style;
	}	item[MAX_LINES];
	int	n;
	int	width;
};

static void
add_wrapped(struct text_lines *ls, int indent, int hang, enum draw_style st,
    const char *s)
{
	size_t n, w, cut;
	int first = 1, width;

	do {
		width = ls->width - indent - (first ? 0 : hang);
		if (width < 10)
			width = 10;
		n = utf8_fit(s, (size_t)width, &w);
		cut = n;
		if (s[n] != '\0') {
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = n;
		}
		if (ls->n == MAX_LINES)
			return;
		ls->item[ls->n].text = xstrndup(s, cut);
		ls->item[ls->n].indent = indent + (first ? 0 : hang);
		ls->item[ls->n].style = st;
		ls->n++;
		s += cut;
		while (*s == ' ')
			s++;
		first = 0;
	} while (*s != '\0');
}

static void
build(struct app *a, const struct catalog_procedure *p,
    struct text_lines *ls)
{
	struct catalog_lines cl;
	size_t i;

	catalog_procedure_lines(p, &a->groups.fields,
	    &a->groups.agencies, a->opt.lang, &cl);
	for (i = 0; i < cl.n; i++)
		switch (cl.items[i].kind) {
		case CATALOG_LINE_TITLE:
			add_wrapped(ls, 0, 0, STYLE_TITLE, cl.items[i].text);
			if (p->form != NULL)
				add_wrapped(ls, 0, 0, STYLE_DIM, app_t(a, "s: Nộp "
				    "hồ sơ trực tuyến", "s: Apply online"));
			break;
		case CATALOG_LINE_HEADING:
			add_wrapped(ls, 0, 0, STYLE_TITLE, cl.items[i].text);
			break;
		case CATALOG_LINE_FACT:
			add_wrapped(ls, 0, 2, STYLE_NORMAL, cl.items[i].text);
			break;
		case CATALOG_LINE_STEP:
			add_wrapped(ls, 2, 3, STYLE_NORMAL, cl.items[i].text);
			break;
		case CATALOG_LINE_DOCUMENT:
			add_wrapped(ls, 2, 2, STYLE_NORMAL, cl.items[i].text);
			break;
		}
	catalog_lines_free(&cl);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *p = procedure_state(a);
	struct text_lines *ls;
	int i, y, focus_x, more;

	a->focus_y = top;
	a->focus_x = 2;
	if (p->d.state == CATALOG_FAILED) {
		y = top + draw_wrapped(a, top, 2, a->cols - 4, 3, STYLE_ERROR,
		    p->d.message);
		draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "r: thử lại, b: quay lại", "r: try again, b: back"));
		return;
	}
	if (p->d.state != CATALOG_READY)
		return;
	ls = xcalloc(1, sizeof *ls);
	ls->width = a->cols - 4;
	build(a, &p->d.p, ls);
	p->nlines = ls->n;
	if (p->scroll > ls->n - height)
		p->scroll = ls->n - height > 0 ? ls->n - height : 0;
	/* While more follows, the last row says so, over no text. */
	more = p->scroll + height < ls->n;
	for (i = p->scroll, y = top; i < ls->n && y < top + height - more;
	    i++, y++)
		draw_text(a, y, 2 + ls->item[i].indent, a->cols - 4 -
		    ls->item[i].indent, ls->item[i].style, ls->item[i].text);
	if (more)
		draw_text(a, top + height - 1, a->cols - 12, 12, STYLE_DIM,
		    a->opt.ascii ? app_t(a, "(còn nữa)", "(more)") :
		    app_t(a, "↓ còn nữa", "↓ more"));
	/* The focus: the first line shown, at its start. */
	focus_x = p->scroll < ls->n ? 2 + ls->item[p->scroll].indent : 2;
	for (i = 0; i < ls->n; i++)
		free(ls->item[i].text);
	free(ls);
	a->focus_y = top;
	a->focus_x = focus_x;
}

const struct screen_ops screen_procedure = {
	.name = "procedure",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};
