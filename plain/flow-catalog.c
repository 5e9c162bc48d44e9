/*
 * "Dịch vụ công trực tuyến": the catalog by field or by agency, then a
 * group's procedures page by page; and "Dịch vụ hành chính công nổi bật", the featured
 * procedures.  Choosing a procedure prints its detail.  The answers are
 * kept in the local store's catalog cache and revalidated, as the
 * curses screens do.
 */
#include <stdlib.h>
#include <string.h>

#include "plain.h"
#include "xmalloc.h"

#define PER_PAGE	15

/*
 * Fetches the page l asks for: PLAIN_OK, PLAIN_BACK (said why) or
 * PLAIN_QUIT.
 */
static int
fetch(struct plain *p, struct catalog_list *l)
{
	struct flow_run run;

	flow_run_init(&run, p->session, &catalog_list_flow, l);
	if (plain_flow(p, &run) != PLAIN_OK)
		return PLAIN_QUIT;
	if (l->state != CATALOG_READY) {
		plain_say(p, "%s", l->message);
		return PLAIN_BACK;
	}
	return PLAIN_OK;
}

/*
 * The procedures of a group (code, by field or by agency), or the
 * featured ones when code is NULL, page by page.
 */
static int
procedures(struct plain *p, const char *name, const char *code,
    int by_agency)
{
	struct catalog_list l;
	struct catalog_query q;
	struct plain_items it;
	struct plain_menu m;
	char *title;
	size_t choice, next, prev, def = 0;
	long page = 1, pages;
	int rc, load = 1;

	catalog_list_init(&l, p->opt.lang);
	for (;;) {
		if (load) {
			memset(&q, 0, sizeof q);
			if (by_agency)
				q.agency = code;
			else
				q.field = code;
			q.page = page;
			q.per_page = PER_PAGE;
			if (code == NULL)
				catalog_list_featured(&l);
			else
				catalog_list_group(&l, &q);
			if ((rc = fetch(p, &l)) != PLAIN_OK)
				break;
			load = 0;
			def = 0;
		}
		if (l.page.n == 0) {
			plain_say(p, "%s", plain_t(p, "Không có thủ tục nào.",
			    "No procedures."));
			rc = PLAIN_BACK;
			break;
		}
		pages = code == NULL ? 1 : catalog_page_count(&l.page);
		plain_page_items(p, &l.page, page, pages, &it, &next, &prev);
		if (code == NULL)
			title = xasprintf("%s", name);
		else
			title = xasprintf(PLAIN_T(p, "%s: %ld thủ tục, trang "
			    "%ld/%ld", "%s: %ld procedures, page %ld/%ld"), name,
			    l.page.total, page, pages);
		memset(&m, 0, sizeof m);
		m.title = title;
		m.items = (const char *const *)it.v;
		m.n = it.n;
		m.def = def;
		rc = plain_menu(p, &m, &choice);
		plain_items_free(&it);
		free(title);
		if (rc != PLAIN_OK)
			break;
		def = choice;
		if (choice == next || choice == prev) {
			page += choice == next ? 1 : -1;
			load = 1;
		} else if (plain_procedure(p, l.page.items[choice].code) ==
		    PLAIN_QUIT) {
			rc = PLAIN_QUIT;
			break;
		}
	}
	catalog_list_free(&l);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

/* The groups (fields or agencies), then a group's procedures. */
static int
groups(struct plain *p, int by_agency)
{
	const struct catalog_groups *g;
	struct plain_items it;
	struct plain_menu m;
	size_t i, choice, def = 0;
	int rc;

	if (plain_groups(p) != PLAIN_OK)
		return PLAIN_QUIT;
	g = by_agency ? &p->agencies : &p->fields;
	if (g->n == 0)
		return PLAIN_OK;
	for (;;) {
		memset(&it, 0, sizeof it);
		for (i = 0; i < g->n; i++)
			plain_items_add(&it, "%s (%ld)", g->items[i].name,
			    g->items[i].procedures);
		memset(&m, 0, sizeof m);
		m.title = by_agency ? plain_t(p, "Theo cơ quan", "By agency") :
		    plain_t(p, "Theo lĩnh vực", "By field");
		m.items = (const char *const *)it.v;
		m.n = it.n;
		m.def = def;
		rc = plain_menu(p, &m, &choice);
		plain_items_free(&it);
		if (rc != PLAIN_OK)
			return rc == PLAIN_QUIT ? rc : PLAIN_OK;
		def = choice;
		if (procedures(p, g->items[choice].name, g->items[choice].code,
		    by_agency) == PLAIN_QUIT)
			return PLAIN_QUIT;
	}
}

static int
run_catalog(struct plain *p)
{
	const char *items[2];
	struct plain_menu m;
	size_t choice, def = 0;
	int rc;

	items[0] = plain_t(p, "Theo lĩnh vực", "By field");
	items[1] = plain_t(p, "Theo cơ quan", "By agency");
	for (;;) {
		memset(&m, 0, sizeof m);
		m.title = plain_t(p, "Dịch vụ công trực tuyến",
		    "Online public services");
		m.items = items;
		m.n = 2;
		m.def = def;
		rc = plain_menu(p, &m, &choice);
		if (rc != PLAIN_OK)
			return rc == PLAIN_QUIT ? rc : PLAIN_OK;
		def = choice;
		if (groups(p, choice == 1) == PLAIN_QUIT)
			return PLAIN_QUIT;
	}
}

const struct plain_flow plain_flow_catalog = {
	.label = { "Dịch vụ công trực tuyến", "Online public services" },
	.when = PLAIN_ALWAYS,
	.run = run_catalog,
};

static int
run_featured(struct plain *p)
{
	return procedures(p, plain_t(p, "Dịch vụ hành chính công nổi bật",
	    "Featured public services"), NULL, 0);
}

const struct plain_flow plain_flow_featured = {
	.label = { "Dịch vụ hành chính công nổi bật", "Featured public services" },
	.when = PLAIN_ALWAYS,
	.run = run_featured,
};
