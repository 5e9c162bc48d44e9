/*
 * A procedure's detail: code, agency, field, level, processing time,
 * fees ("2.000 đ"), the result, the steps and the required documents
 * ("Thành phần hồ sơ"), from GET /api/v1/procedures/{code} (cached and
 * revalidated).  The text is wrapped to the screen and scrolls; the
 * focus, and the cursor, is the procedure's name at the top.
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

static unsigned
on_detail(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_procedure *p = &a->procedure;

	p->req = 0;
	catalog_procedure_free(&p->p);
	if (r->status != STATUS_OK) {
		snprintf(p->error, sizeof p->error, "%s", r->error);
		p->state = SESSION_LOAD_FAILED;
	} else if (catalog_procedure_answer(r->http, r->body, r->len,
	    a->opt.lang, &p->p, p->error, sizeof p->error) != STATUS_OK)
		p->state = SESSION_LOAD_FAILED;
	else
		p->state = SESSION_LOAD_READY;
	return 0;
}

void
app_procedure_open(struct app *a, const char *code,
    const struct screen_ops *back_to)
{
	struct ui_procedure *p = &a->procedure;
	struct session_request req;
	char *path = catalog_procedure_path(code);

	session_cancel(a->session, p->req);
	catalog_procedure_free(&p->p);
	p->back = back_to;
	p->scroll = 0;
	p->error[0] = '\0';
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_CACHE;
	req.cb = on_detail;
	req.ctx = a;
	p->req = session_request(a->session, &req);
	p->state = SESSION_LOAD_BUSY;
	free(path);
	if (p->code != code) {
		free(p->code);
		p->code = xstrdup(code);
	}
	app_groups_load(a);
	app_switch(a, &screen_procedure);
}

static void
enter(struct app *a)
{
	(void)a;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct ui_procedure *p = &a->procedure;
	int page = a->rows - 6;

	(void)k;
	switch (act) {
	case ACTION_UP:
	case ACTION_PREV:
		if (p->scroll > 0)
			p->scroll--;
		return UI_REDRAW;
	case ACTION_DOWN:
	case ACTION_NEXT:
		if (p->scroll + page < p->nlines)
			p->scroll++;
		return UI_REDRAW;
	case ACTION_PAGE_NEXT:
		p->scroll += page;
		if (p->scroll > p->nlines - page)
			p->scroll = p->nlines - page;
		if (p->scroll < 0)
			p->scroll = 0;
		return UI_REDRAW;
	case ACTION_PAGE_PREV:
		p->scroll -= page;
		if (p->scroll < 0)
			p->scroll = 0;
		return UI_REDRAW;
	case ACTION_BACK:
		session_cancel(a->session, p->req);
		app_switch(a, p->back != NULL ? p->back : &screen_home);
		return UI_REDRAW;
	case ACTION_HOME:
		session_cancel(a->session, p->req);
		a->catalog.featured = 0;
		app_switch(a, &screen_home);
		return UI_REDRAW;
	case ACTION_RETRY:
		if (p->state == SESSION_LOAD_FAILED && p->code != NULL)
			app_procedure_open(a, p->code, p->back);
		return UI_REDRAW;
	case ACTION_APPLY:
		if (p->state != SESSION_LOAD_READY)
			return 0;
		if (p->p.form == NULL) {
			app_notice(a, "%s", app_t(a, "Thủ tục này chưa nộp trực "
			    "tuyến được.", "This procedure cannot be applied "
			    "for online."));
			return UI_REDRAW;
		}
		if (!session_logged_in(a->session)) {
			/* After the login, straight into the form. */
			free(a->after_login);
			a->after_login = xstrdup(p->p.code);
			app_switch(a, &screen_login);
			app_notice(a, "%s", app_t(a, "Đăng nhập để nộp hồ sơ.",
			    "Log in to apply."));
			return UI_REDRAW;
		}
		app_wizard_open(a, p->p.code);
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
build(struct app *a, struct text_lines *ls)
{
	struct catalog_lines cl;
	size_t i;

	catalog_procedure_lines(&a->procedure.p, &a->groups.fields,
	    &a->groups.agencies, a->opt.lang, &cl);
	for (i = 0; i < cl.n; i++)
		switch (cl.items[i].kind) {
		case CATALOG_LINE_TITLE:
			add_wrapped(ls, 0, 0, STYLE_TITLE, cl.items[i].text);
			if (a->procedure.p.form != NULL)
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
	struct ui_procedure *p = &a->procedure;
	struct text_lines *ls;
	int i, y, focus_x;

	a->focus_y = top;
	a->focus_x = 2;
	if (p->state == SESSION_LOAD_FAILED) {
		draw_text(a, top, 2, a->cols - 4, STYLE_ERROR, p->error);
		draw_text(a, top + 1, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "r: thử lại, b: quay lại", "r: try again, b: back"));
		return;
	}
	if (p->state != SESSION_LOAD_READY)
		return;
	ls = xcalloc(1, sizeof *ls);
	ls->width = a->cols - 4;
	build(a, ls);
	p->nlines = ls->n;
	if (p->scroll > ls->n - height)
		p->scroll = ls->n - height > 0 ? ls->n - height : 0;
	for (i = p->scroll, y = top; i < ls->n && y < top + height; i++, y++)
		draw_text(a, y, 2 + ls->item[i].indent, a->cols - 4 -
		    ls->item[i].indent, ls->item[i].style, ls->item[i].text);
	if (p->scroll + height < ls->n)
		draw_text(a, top + height - 1, a->cols - 12, 12, STYLE_DIM,
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
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};
