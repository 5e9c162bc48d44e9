/*
 * "Dịch vụ công trực tuyến": the catalog by field or by agency, then a
 * group's procedures page by page; and "Dịch vụ nổi bật", the featured
 * procedures.  Enter on a procedure opens its detail.  The lists come in
 * Vietnamese order from the portal; every answer is kept in the local
 * store's catalog cache and revalidated with its ETag.
 *
 * Also here: the fields and agencies every catalog screen names (loaded
 * once), the procedures' list drawing shared with the search, and the
 * screens' state freed at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "xmalloc.h"

#define PER_PAGE	15

enum {
	CATALOG_VIEW_CHOOSE,
	CATALOG_VIEW_GROUPS,
	CATALOG_VIEW_LIST
};

static const enum action help[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_PAGE_NEXT,
	ACTION_PAGE_PREV, ACTION_BACK, ACTION_HOME, ACTION_SEARCH,
	ACTION_RETRY, ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static unsigned
on_groups(struct app *a, int which, const struct session_reply *r)
{
	struct catalog_groups *g = which ? &a->groups.agencies :
	    &a->groups.fields;
	char err[160];

	catalog_groups_free(g);
	if (r->status == STATUS_OK && r->http == 200 &&
	    catalog_groups_parse(r->body, r->len, g, err, sizeof err) ==
	    STATUS_OK)
		a->groups.state[which] = SESSION_LOAD_READY;
	else
		a->groups.state[which] = SESSION_LOAD_FAILED;
	if (which == a->catalog.by_agency) {
		a->catalog.groups.n = g->n;
		if (a->catalog.groups.sel >= g->n)
			a->catalog.groups.sel = 0;
	}
	return 0;
}

static unsigned
on_fields(void *ctx, const struct session_reply *r)
{
	return on_groups(ctx, 0, r);
}

static unsigned
on_agencies(void *ctx, const struct session_reply *r)
{
	return on_groups(ctx, 1, r);
}

void
app_groups_load(struct app *a)
{
	struct session_request req;
	int i;

	for (i = 0; i < 2; i++) {
		if (a->groups.state[i] == SESSION_LOAD_READY ||
		    a->groups.state[i] == SESSION_LOAD_BUSY)
			continue;
		memset(&req, 0, sizeof req);
		req.method = "GET";
		req.path = i ? "/api/v1/agencies" : "/api/v1/fields";
		req.flags = SESSION_REQ_CACHE;
		req.cb = i ? on_agencies : on_fields;
		req.ctx = a;
		session_request(a->session, &req);
		a->groups.state[i] = SESSION_LOAD_BUSY;
	}
}

void
app_screens_free(struct app *a)
{
	session_cancel_ctx(a->session, a);
	catalog_groups_free(&a->groups.fields);
	catalog_groups_free(&a->groups.agencies);
	catalog_page_free(&a->catalog.page);
	free(a->catalog.group_code);
	free(a->catalog.group_name);
	catalog_procedure_free(&a->procedure.p);
	free(a->procedure.code);
	field_free(&a->search.keyword);
	catalog_page_free(&a->search.page);
	signature_list_free(&a->signatures.list);
	signature_errors_free(&a->signatures.errors);
	free(a->signatures.edit_id);
	preview_free(&a->signatures.preview);
	for (int i = 0; i < SIGNATURE_F__N; i++)
		field_free(&a->signatures.f[i]);
}

enum session_load
app_catalog_reply(struct app *a, const struct session_reply *r,
    struct catalog_page *page, struct list *list, char *error, size_t errsz)
{
	char err[160];

	catalog_page_free(page);
	list->n = list->sel = list->top = 0;
	if (r->status != STATUS_OK || r->http != 200) {
		session_reply_message(r, a->opt.lang, error, errsz);
		return SESSION_LOAD_FAILED;
	}
	if (catalog_page_parse(r->body, r->len, page, err, sizeof err) !=
	    STATUS_OK) {
		snprintf(error, errsz, "%s", err);
		return SESSION_LOAD_FAILED;
	}
	list->n = page->n;
	return SESSION_LOAD_READY;
}

static unsigned
on_page(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_catalog *c = &a->catalog;

	c->req = 0;
	c->state = app_catalog_reply(a, r, &c->page, &c->procs, c->error,
	    sizeof c->error);
	return 0;
}

static void
load_page(struct app *a)
{
	struct ui_catalog *c = &a->catalog;
	struct catalog_query q;
	struct session_request req;
	char *path;

	session_cancel(a->session, c->req);
	memset(&q, 0, sizeof q);
	if (c->featured)
		path = xstrdup("/api/v1/featured");
	else {
		if (c->by_agency)
			q.agency = c->group_code;
		else
			q.field = c->group_code;
		q.page = c->page_no;
		q.per_page = PER_PAGE;
		path = catalog_query_path(&q);
	}
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_CACHE;
	req.cb = on_page;
	req.ctx = a;
	c->req = session_request(a->session, &req);
	c->state = SESSION_LOAD_BUSY;
	c->error[0] = '\0';
	free(path);
}

static void
enter(struct app *a)
{
	struct ui_catalog *c = &a->catalog;

	app_groups_load(a);
	c->choose.n = 2;
	if (c->featured) {
		c->view = CATALOG_VIEW_LIST;
		c->page_no = 1;
		load_page(a);
	} else if (c->view == CATALOG_VIEW_LIST && c->state !=
	    SESSION_LOAD_READY)
		load_page(a);
}

static void
open_group(struct app *a)
{
	struct ui_catalog *c = &a->catalog;
	const struct catalog_groups *g = c->by_agency ? &a->groups.agencies :
	    &a->groups.fields;

	if (c->groups.sel >= g->n)
		return;
	free(c->group_code);
	free(c->group_name);
	c->group_code = xstrdup(g->items[c->groups.sel].code);
	c->group_name = xstrdup(g->items[c->groups.sel].name);
	c->view = CATALOG_VIEW_LIST;
	c->page_no = 1;
	load_page(a);
}

static long
page_count(const struct catalog_page *p)
{
	if (p->per_page <= 0 || p->total <= 0)
		return 1;
	return (p->total + p->per_page - 1) / p->per_page;
}

static unsigned
back(struct app *a)
{
	struct ui_catalog *c = &a->catalog;

	if (c->view == CATALOG_VIEW_LIST && !c->featured) {
		session_cancel(a->session, c->req);
		c->view = CATALOG_VIEW_GROUPS;
	} else if (c->view == CATALOG_VIEW_GROUPS)
		c->view = CATALOG_VIEW_CHOOSE;
	else {
		session_cancel(a->session, c->req);
		c->featured = 0;
		c->view = CATALOG_VIEW_CHOOSE;
		app_switch(a, &screen_home);
	}
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct ui_catalog *c = &a->catalog;
	struct list *l = c->view == CATALOG_VIEW_CHOOSE ? &c->choose :
	    c->view == CATALOG_VIEW_GROUPS ? &c->groups : &c->procs;

	if (c->view == CATALOG_VIEW_GROUPS)
		l->n = c->by_agency ? a->groups.agencies.n :
		    a->groups.fields.n;
	if (list_handle(l, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_BACK:
		return back(a);
	case ACTION_HOME:
		c->featured = 0;
		c->view = CATALOG_VIEW_CHOOSE;
		app_switch(a, &screen_home);
		return UI_REDRAW;
	case ACTION_RETRY:
		if (c->view == CATALOG_VIEW_LIST)
			load_page(a);
		else {
			if (a->groups.state[0] == SESSION_LOAD_FAILED)
				a->groups.state[0] = SESSION_LOAD_NONE;
			if (a->groups.state[1] == SESSION_LOAD_FAILED)
				a->groups.state[1] = SESSION_LOAD_NONE;
			app_groups_load(a);
		}
		return UI_REDRAW;
	case ACTION_PAGE_NEXT:
	case ACTION_PAGE_PREV:
		if (c->view != CATALOG_VIEW_LIST || c->featured ||
		    c->state != SESSION_LOAD_READY)
			return 0;
		if (act == ACTION_PAGE_NEXT && c->page_no < page_count(&c->page))
			c->page_no++;
		else if (act == ACTION_PAGE_PREV && c->page_no > 1)
			c->page_no--;
		else
			return 0;
		load_page(a);
		return UI_REDRAW;
	case ACTION_SELECT:
		if (c->view == CATALOG_VIEW_CHOOSE) {
			c->by_agency = (int)c->choose.sel;
			c->groups.sel = c->groups.top = 0;
			c->view = CATALOG_VIEW_GROUPS;
		} else if (c->view == CATALOG_VIEW_GROUPS)
			open_group(a);
		else if (c->procs.sel < c->page.n)
			app_procedure_open(a, c->page.items[c->procs.sel].code,
			    &screen_catalog);
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

int
draw_procedures(struct app *a, const struct catalog_page *p, struct list *l,
    int y, int height, int focused)
{
	const struct catalog_summary *s;
	int i, x, focus = -1, namew = a->cols - 18;

	list_scroll(l, (size_t)height);
	for (i = 0; i < height && l->top + (size_t)i < p->n; i++) {
		size_t n = l->top + (size_t)i;

		s = &p->items[n];
		x = draw_item(a, y + i, 2, namew, focused && n == l->sel,
		    STYLE_NORMAL, s->name);
		draw_text(a, y + i, a->cols - 14, 14, STYLE_DIM,
		    catalog_level_name(s->full, a->opt.lang));
		if (focused && n == l->sel) {
			a->focus_y = y + i;
			a->focus_x = x;
			focus = y + i;
		}
	}
	return focus;
}

static void
draw_groups(struct app *a, int y, int height)
{
	struct ui_catalog *c = &a->catalog;
	const struct catalog_groups *g = c->by_agency ? &a->groups.agencies :
	    &a->groups.fields;
	enum session_load st = a->groups.state[c->by_agency];
	char label[320];
	int i, x;

	c->groups.n = g->n;
	if (st != SESSION_LOAD_READY) {
		draw_text(a, y, 2, a->cols - 4, st == SESSION_LOAD_FAILED ?
		    STYLE_ERROR : STYLE_NORMAL, st == SESSION_LOAD_FAILED ?
		    app_t(a, "Không tải được danh sách; r để thử lại.",
		    "Could not load the list; r to retry.") : "");
		a->focus_y = y;
		a->focus_x = 2;
		return;
	}
	list_scroll(&c->groups, (size_t)height);
	for (i = 0; i < height && c->groups.top + (size_t)i < g->n; i++) {
		size_t n = c->groups.top + (size_t)i;
		const struct catalog_group *it = &g->items[n];

		snprintf(label, sizeof label, "%s (%ld)", it->name,
		    it->procedures);
		x = draw_item(a, y + i, 2, a->cols - 4, n == c->groups.sel,
		    STYLE_NORMAL, label);
		if (n == c->groups.sel) {
			a->focus_y = y + i;
			a->focus_x = x;
		}
	}
}

static void
draw_list(struct app *a, int y, int height)
{
	struct ui_catalog *c = &a->catalog;
	char line[160];

	a->focus_y = y;
	a->focus_x = 2;
	if (c->state == SESSION_LOAD_FAILED) {
		y += draw_wrapped(a, y, 2, a->cols - 4, 3, STYLE_ERROR,
		    c->error);
		draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "r: thử lại", "r: try again"));
		return;
	}
	if (c->state != SESSION_LOAD_READY)
		return;
	if (c->page.n == 0) {
		draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "Không có thủ tục nào.", "No procedures."));
		return;
	}
	draw_procedures(a, &c->page, &c->procs, y, height - 2, 1);
	if (!c->featured) {
		snprintf(line, sizeof line, APP_T(a, "Trang %ld/%ld · %ld thủ "
		    "tục · PgDn ] trang sau, PgUp [ trang trước",
		    "Page %ld/%ld · %ld procedures · PgDn ] next, PgUp [ "
		    "previous"), c->page.page, page_count(&c->page),
		    c->page.total);
		draw_text(a, y + height - 1, 2, a->cols - 4, STYLE_DIM, line);
	}
}

static void
draw(struct app *a, int top, int height)
{
	struct ui_catalog *c = &a->catalog;
	static const char *const choose[2][2] = {
		{ "Theo lĩnh vực", "By field" },
		{ "Theo cơ quan", "By agency" },
	};
	char title[320];
	int i, x, y = top;

	if (c->featured)
		snprintf(title, sizeof title, "%s", app_t(a, "Dịch vụ nổi bật",
		    "Featured services"));
	else if (c->view == CATALOG_VIEW_LIST)
		snprintf(title, sizeof title, "%s › %s", app_t(a, "Dịch vụ công "
		    "trực tuyến", "Online public services"), c->group_name);
	else if (c->view == CATALOG_VIEW_GROUPS)
		snprintf(title, sizeof title, "%s › %s", app_t(a, "Dịch vụ công "
		    "trực tuyến", "Online public services"),
		    choose[c->by_agency][a->opt.lang == LANG_EN]);
	else
		snprintf(title, sizeof title, "%s", app_t(a, "Dịch vụ công trực "
		    "tuyến", "Online public services"));
	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, title);
	y += 2;
	switch (c->view) {
	case CATALOG_VIEW_CHOOSE:
		for (i = 0; i < 2; i++, y++) {
			x = draw_item(a, y, 2, a->cols - 4,
			    (size_t)i == c->choose.sel, STYLE_NORMAL,
			    choose[i][a->opt.lang == LANG_EN]);
			if ((size_t)i == c->choose.sel) {
				a->focus_y = y;
				a->focus_x = x;
			}
		}
		break;
	case CATALOG_VIEW_GROUPS:
		draw_groups(a, y, height - 2);
		break;
	default:
		draw_list(a, y, height - 2);
	}
}

const struct screen_ops screen_catalog = {
	.name = "catalog",
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};
