/*
 * "Dịch vụ công trực tuyến": the catalog by field or by agency, then a
 * group's procedures page by page; and "Dịch vụ hành chính công nổi bật", the featured
 * procedures, a screen of its own.  Enter on a procedure opens its
 * detail, and back comes here again.  The lists come in Vietnamese
 * order from the portal through the catalog's flows (client/catalog.h);
 * every answer is kept in the local store's catalog cache and
 * revalidated with its ETag.
 *
 * Also here: the fields and agencies every catalog screen names (loaded
 * once, shared through struct app), and the procedures' list drawing
 * shared with the search.
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

/* "Dịch vụ công trực tuyến". */
struct state {
	int			 view;		/* CATALOG_VIEW_* */
	int			 by_agency;
	struct list		 choose;	/* by field / by agency */
	struct list		 groups;
	struct list		 procs;
	char			*group_code;
	char			*group_name;
	long			 page_no;
	struct catalog_list	 l;
	struct flow_run		 run;
	unsigned		 answers;	/* of l, as last shown */
};

/* "Dịch vụ hành chính công nổi bật". */
struct featured {
	struct list		 procs;
	struct catalog_list	 l;
	struct flow_run		 run;
	unsigned		 answers;
};

static const enum action help[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_PAGE_NEXT,
	ACTION_PAGE_PREV, ACTION_BACK, ACTION_HOME, ACTION_SEARCH,
	ACTION_RETRY, ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

void
app_groups_load(struct app *a)
{
	if (a->groups_run.ops == NULL) {
		catalog_names_init(&a->groups, a->opt.lang);
		flow_run_init(&a->groups_run, a->session, &catalog_names_flow,
		    &a->groups);
	}
	if (catalog_names_ask(&a->groups))
		flow_run_pump(&a->groups_run);
}

void
app_catalog_free(struct app *a)
{
	flow_run_cancel(&a->groups_run);
	catalog_names_free(&a->groups);
}

void
sync_procs(struct list *procs, const struct catalog_list *l,
    unsigned *answers)
{
	if (*answers != l->answers) {
		*answers = l->answers;
		procs->sel = procs->top = 0;
	}
	procs->n = l->page.n;
	if (procs->sel >= procs->n)
		procs->sel = 0;
}

static void
state_free(void *p)
{
	struct state *st = p;

	flow_run_cancel(&st->run);
	catalog_list_free(&st->l);
	free(st->group_code);
	free(st->group_name);
}

static struct state *
catalog_state(struct app *a)
{
	struct state *st = app_state(a, &screen_catalog);

	if (st->run.ops == NULL) {
		catalog_list_init(&st->l, a->opt.lang);
		flow_run_init(&st->run, a->session, &catalog_list_flow, &st->l);
		st->choose.n = 2;
	}
	return st;
}

static void
load_page(struct state *st)
{
	struct catalog_query q;

	memset(&q, 0, sizeof q);
	if (st->by_agency)
		q.agency = st->group_code;
	else
		q.field = st->group_code;
	q.page = st->page_no;
	q.per_page = PER_PAGE;
	flow_run_cancel(&st->run);
	catalog_list_group(&st->l, &q);
	flow_run_pump(&st->run);
}

static void
enter(struct app *a)
{
	struct state *st = catalog_state(a);

	app_groups_load(a);
	if (a->from != &screen_procedure)
		st->view = CATALOG_VIEW_CHOOSE;		/* opened anew */
	else if (st->view == CATALOG_VIEW_LIST && st->l.state !=
	    CATALOG_READY)
		load_page(st);
}

static const struct catalog_groups *
shown_groups(struct app *a, const struct state *st)
{
	return st->by_agency ? &a->groups.agencies : &a->groups.fields;
}

static void
open_group(struct app *a, struct state *st)
{
	const struct catalog_groups *g = shown_groups(a, st);

	if (st->groups.sel >= g->n)
		return;
	free(st->group_code);
	free(st->group_name);
	st->group_code = xstrdup(g->items[st->groups.sel].code);
	st->group_name = xstrdup(g->items[st->groups.sel].name);
	st->view = CATALOG_VIEW_LIST;
	st->page_no = 1;
	load_page(st);
}

static unsigned
back(struct app *a, struct state *st)
{
	if (st->view == CATALOG_VIEW_LIST) {
		flow_run_cancel(&st->run);
		st->view = CATALOG_VIEW_GROUPS;
	} else if (st->view == CATALOG_VIEW_GROUPS)
		st->view = CATALOG_VIEW_CHOOSE;
	else
		app_back(a);
	return UI_REDRAW;
}

static unsigned
turn_page(struct state *st, enum action act)
{
	if (st->view != CATALOG_VIEW_LIST || st->l.state != CATALOG_READY)
		return 0;
	if (act == ACTION_PAGE_NEXT && st->page_no <
	    catalog_page_count(&st->l.page))
		st->page_no++;
	else if (act == ACTION_PAGE_PREV && st->page_no > 1)
		st->page_no--;
	else
		return 0;
	load_page(st);
	return UI_REDRAW;
}

static unsigned
select_item(struct app *a, struct state *st)
{
	if (st->view == CATALOG_VIEW_CHOOSE) {
		st->by_agency = (int)st->choose.sel;
		st->groups.sel = st->groups.top = 0;
		st->view = CATALOG_VIEW_GROUPS;
	} else if (st->view == CATALOG_VIEW_GROUPS)
		open_group(a, st);
	else if (st->procs.sel < st->l.page.n)
		app_procedure_open(a, st->l.page.items[st->procs.sel].code);
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = catalog_state(a);
	struct list *l = st->view == CATALOG_VIEW_CHOOSE ? &st->choose :
	    st->view == CATALOG_VIEW_GROUPS ? &st->groups : &st->procs;

	if (st->view == CATALOG_VIEW_GROUPS)
		l->n = shown_groups(a, st)->n;
	else if (st->view == CATALOG_VIEW_LIST)
		sync_procs(l, &st->l, &st->answers);
	if (list_handle(l, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_BACK:
		return back(a, st);
	case ACTION_HOME:
		flow_run_cancel(&st->run);
		app_home(a);
		return UI_REDRAW;
	case ACTION_RETRY:
		if (st->view == CATALOG_VIEW_LIST)
			load_page(st);
		else
			app_groups_load(a);
		return UI_REDRAW;
	case ACTION_PAGE_NEXT:
	case ACTION_PAGE_PREV:
		return turn_page(st, act);
	case ACTION_SELECT:
		return select_item(a, st);
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
	int rows = 1, used = 0, focus = -1, namew = a->cols - 18;
	size_t n;

	/* The selection whole, on the rows its name takes. */
	if (focused && l->sel < p->n) {
		rows = draw_rows(a, namew - 2, p->items[l->sel].name);
		rows = rows < 1 ? 1 : rows > height ? height : rows;
	}
	list_scroll(l, (size_t)(height - rows + 1));
	for (n = l->top; n < p->n && used < height; n++) {
		s = &p->items[n];
		draw_text(a, y + used, a->cols - 14, 14, STYLE_DIM,
		    catalog_level_name(s->full, a->opt.lang));
		if (focused && n == l->sel) {
			a->focus_y = focus = y + used;
			a->focus_x = 4;
		}
		used += draw_item_wrapped(a, y + used, 2, namew, height - used,
		    focused && n == l->sel, STYLE_NORMAL, s->name);
	}
	return focus;
}

/* A field or an agency, with how many procedures it has. */
static char *
group_label(void *ctx, size_t i)
{
	const struct catalog_groups *g = ctx;

	return xasprintf("%s (%ld)", g->items[i].name, g->items[i].procedures);
}

static void
draw_groups(struct app *a, struct state *st, int y, int height)
{
	const struct catalog_groups *g = shown_groups(a, st);
	enum catalog_state cs = a->groups.state[st->by_agency ?
	    CATALOG_AGENCIES : CATALOG_FIELDS];

	st->groups.n = g->n;
	if (cs != CATALOG_READY) {
		draw_text(a, y, 2, a->cols - 4, cs == CATALOG_FAILED ?
		    STYLE_ERROR : STYLE_NORMAL, cs == CATALOG_FAILED ?
		    app_t(a, "Không tải được danh sách; r để thử lại.",
		    "Could not load the list; r to retry.") : "");
		a->focus_y = y;
		a->focus_x = 2;
		return;
	}
	if (st->groups.sel >= g->n)
		st->groups.sel = 0;
	draw_menu(a, &st->groups, y, 2, a->cols - 4, height, 1, group_label,
	    (void *)g);
}

/*
 * A page of procedures, or why not: the message and "r: thử lại".
 * Returns 1 when the procedures were drawn.
 */
static int
draw_page(struct app *a, struct catalog_list *cl, struct list *procs,
    unsigned *answers, int y, int height)
{
	sync_procs(procs, cl, answers);
	a->focus_y = y;
	a->focus_x = 2;
	if (cl->state == CATALOG_FAILED) {
		y += draw_wrapped(a, y, 2, a->cols - 4, 3, STYLE_ERROR,
		    cl->message);
		draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "r: thử lại", "r: try again"));
		return 0;
	}
	if (cl->state != CATALOG_READY)
		return 0;
	if (cl->page.n == 0) {
		draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "Không có thủ tục nào.", "No procedures."));
		return 0;
	}
	draw_procedures(a, &cl->page, procs, y, height, 1);
	return 1;
}

static void
draw_list(struct app *a, struct state *st, int y, int height)
{
	char line[160];

	if (!draw_page(a, &st->l, &st->procs, &st->answers, y, height - 2))
		return;
	snprintf(line, sizeof line, APP_T(a, "Trang %ld/%ld · %ld thủ tục · "
	    "PgDn ] trang sau, PgUp [ trang trước", "Page %ld/%ld · %ld "
	    "procedures · PgDn ] next, PgUp [ previous"), st->l.page.page,
	    catalog_page_count(&st->l.page), st->l.page.total);
	draw_text(a, y + height - 1, 2, a->cols - 4, STYLE_DIM, line);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = catalog_state(a);
	static const char *const choose[2][2] = {
		{ "Theo lĩnh vực", "By field" },
		{ "Theo cơ quan", "By agency" },
	};
	const char *title = app_t(a, "Dịch vụ công trực tuyến",
	    "Online public services");
	char line[320];
	int i, x, y = top;

	if (st->view == CATALOG_VIEW_LIST)
		snprintf(line, sizeof line, "%s › %s", title, st->group_name);
	else if (st->view == CATALOG_VIEW_GROUPS)
		snprintf(line, sizeof line, "%s › %s", title,
		    choose[st->by_agency][a->opt.lang == LANG_EN]);
	else
		snprintf(line, sizeof line, "%s", title);
	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, line);
	y += 2;
	switch (st->view) {
	case CATALOG_VIEW_CHOOSE:
		for (i = 0; i < 2; i++, y++) {
			x = draw_item(a, y, 2, a->cols - 4,
			    (size_t)i == st->choose.sel, STYLE_NORMAL,
			    choose[i][a->opt.lang == LANG_EN]);
			if ((size_t)i == st->choose.sel) {
				a->focus_y = y;
				a->focus_x = x;
			}
		}
		break;
	case CATALOG_VIEW_GROUPS:
		draw_groups(a, st, y, height - 2);
		break;
	default:
		draw_list(a, st, y, height - 2);
	}
}

const struct screen_ops screen_catalog = {
	.name = "catalog",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};

/* ---- "Dịch vụ hành chính công nổi bật". ---- */

static void
featured_free(void *p)
{
	struct featured *f = p;

	flow_run_cancel(&f->run);
	catalog_list_free(&f->l);
}

static struct featured *
featured_state(struct app *a)
{
	struct featured *f = app_state(a, &screen_featured);

	if (f->run.ops == NULL) {
		catalog_list_init(&f->l, a->opt.lang);
		flow_run_init(&f->run, a->session, &catalog_list_flow, &f->l);
	}
	return f;
}

static void
featured_load(struct featured *f)
{
	flow_run_cancel(&f->run);
	catalog_list_featured(&f->l);
	flow_run_pump(&f->run);
}

static void
featured_enter(struct app *a)
{
	struct featured *f = featured_state(a);

	app_groups_load(a);
	/* Back from a detail, the list and its selection stay. */
	if (a->from != &screen_procedure || f->l.state != CATALOG_READY)
		featured_load(f);
}

static unsigned
featured_key(struct app *a, enum action act, const struct key *k)
{
	struct featured *f = featured_state(a);

	sync_procs(&f->procs, &f->l, &f->answers);
	if (list_handle(&f->procs, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_BACK:
		flow_run_cancel(&f->run);
		app_back(a);
		return UI_REDRAW;
	case ACTION_HOME:
		flow_run_cancel(&f->run);
		app_home(a);
		return UI_REDRAW;
	case ACTION_RETRY:
		featured_load(f);
		return UI_REDRAW;
	case ACTION_SELECT:
		if (f->procs.sel < f->l.page.n)
			app_procedure_open(a, f->l.page.items[f->procs.sel].code);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static void
featured_draw(struct app *a, int top, int height)
{
	struct featured *f = featured_state(a);

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Dịch vụ hành chính công nổi bật", "Featured public services"));
	draw_page(a, &f->l, &f->procs, &f->answers, top + 2, height - 4);
}

const struct screen_ops screen_featured = {
	.name = "featured",
	.state_size = sizeof(struct featured),
	.free = featured_free,
	.enter = featured_enter,
	.key = featured_key,
	.changed = changed,
	.draw = featured_draw,
	.help = help,
};
