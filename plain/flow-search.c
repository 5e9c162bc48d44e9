/*
 * "Tìm kiếm nâng cao" in lines: the keyword first (Telex or VNI when
 * on; diacritics are optional, the portal folds them, so "khai sinh"
 * finds "Đăng ký khai sinh"), then the results as a menu, followed by
 * the pages, the keyword again and the three filters (agency, field,
 * level), each a menu of its own.  A search goes once per answer, never
 * per key, so it needs no debounce.
 */
#include <stdlib.h>
#include <string.h>

#include "plain.h"
#include "xmalloc.h"

#define PER_PAGE	10

struct search {
	char			*keyword;
	struct catalog_filters	 filters;	/* 0: all */
	long			 page;
	struct catalog_list	 list;
};

static const char *
filter_name(struct plain *p, int which)
{
	switch (which) {
	case CATALOG_FILTER_AGENCY:
		return plain_t(p, "Cơ quan", "Agency");
	case CATALOG_FILTER_FIELD:
		return plain_t(p, "Lĩnh vực", "Field");
	default:
		return plain_t(p, "Mức độ", "Level");
	}
}

/* The keyword's question; PLAIN_BACK leaves the search. */
static int
ask_keyword(struct plain *p, struct search *s)
{
	struct plain_field f;
	char *answer;
	int rc;

	memset(&f, 0, sizeof f);
	f.label = plain_t(p, "Từ khóa", "Keyword");
	f.rule = plain_t(p, "có dấu hoặc không dấu; - để bỏ",
	    "with or without diacritics; - for none");
	f.value = s->keyword;
	f.flags = PLAIN_FIELD_VI | PLAIN_FIELD_OPTIONAL;
	f.max = 200;
	f.help = plain_t(p, "Tên thủ tục hoặc một phần của nó, ví dụ \"khai "
	    "sinh\". Có thể bỏ trống rồi lọc theo cơ quan, lĩnh vực, mức độ.",
	    "A procedure's name or part of it, such as \"khai sinh\". It may "
	    "be empty, with filters by agency, field or level.");
	rc = plain_ask(p, &f, &answer);
	if (rc != PLAIN_OK)
		return rc;
	free(s->keyword);
	s->keyword = answer;
	s->page = 1;
	return PLAIN_OK;
}

static int
choose_filter(struct plain *p, struct search *s, int which)
{
	struct plain_items it;
	struct plain_menu m;
	size_t i, choice;
	int rc;

	memset(&it, 0, sizeof it);
	for (i = 0; i < catalog_filter_count(&s->filters, which); i++)
		plain_items_add(&it, "%s", catalog_filter_label(&s->filters,
		    which, i, p->opt.lang));
	memset(&m, 0, sizeof m);
	m.title = filter_name(p, which);
	m.field = filter_name(p, which);
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.def = s->filters.choice[which];
	rc = plain_menu(p, &m, &choice);
	plain_items_free(&it);
	if (rc == PLAIN_OK) {
		s->filters.choice[which] = choice;
		s->page = 1;
	}
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

/*
 * Sends the search as it stands, when it asks for something: PLAIN_OK
 * (*ok when its results are in s->list.page, else said why), or
 * PLAIN_QUIT.
 */
static int
search_now(struct plain *p, struct search *s, int *ok)
{
	struct catalog_query q;
	struct flow_run run;

	*ok = 0;
	memset(&q, 0, sizeof q);
	q.q = s->keyword;
	catalog_filters_query(&s->filters, &q);
	q.page = s->page;
	q.per_page = PER_PAGE;
	if (!catalog_list_search(&s->list, &q))
		return PLAIN_OK;
	flow_run_init(&run, p->session, &catalog_list_flow, &s->list);
	if (plain_flow(p, &run) != PLAIN_OK)
		return PLAIN_QUIT;
	if (s->list.state == CATALOG_READY)
		*ok = 1;
	else
		plain_say(p, "%s", s->list.message);
	return PLAIN_OK;
}

/* The menu's title: what the search found, or what to do. */
static char *
results_title(struct plain *p, const struct search *s, int searched)
{
	const struct catalog_page *pg = &s->list.page;

	if (!searched)
		return xstrdup(plain_t(p, "Tìm kiếm nâng cao: gõ từ khóa hoặc "
		    "chọn cơ quan, lĩnh vực, mức độ.", "Advanced search: type a "
		    "keyword or choose an agency, field or level."));
	if (pg->total == 0)
		return xstrdup(plain_t(p, "Tìm kiếm nâng cao: không tìm thấy "
		    "thủ tục nào.", "Advanced search: no procedure found."));
	return xasprintf(PLAIN_T(p, "Tìm kiếm nâng cao: %ld kết quả, trang "
	    "%ld/%ld", "Advanced search: %ld results, page %ld/%ld"),
	    pg->total, s->page, catalog_page_count(pg));
}

/* The results and what else can be done, as one menu. */
static int
results(struct plain *p, struct search *s, int searched)
{
	const struct catalog_page *pg = &s->list.page;
	struct plain_items it;
	struct plain_menu m;
	char *title;
	size_t choice, next = PLAIN_NONE, prev = PLAIN_NONE, kw, f0;
	int rc, w;

	memset(&it, 0, sizeof it);
	title = results_title(p, s, searched);
	if (searched)
		plain_page_items(p, pg, s->page, catalog_page_count(pg), &it,
		    &next, &prev);
	kw = it.n;
	plain_items_add(&it, PLAIN_T(p, "Từ khóa: %s", "Keyword: %s"),
	    s->keyword != NULL && s->keyword[0] != '\0' ? s->keyword :
	    plain_t(p, "(trống)", "(none)"));
	f0 = it.n;
	for (w = 0; w < CATALOG_FILTER__N; w++)
		plain_items_add(&it, "%s: %s", filter_name(p, w),
		    catalog_filter_label(&s->filters, w, s->filters.choice[w],
		    p->opt.lang));
	memset(&m, 0, sizeof m);
	m.title = title;
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.def = searched && pg->n > 0 ? 0 : kw;
	rc = plain_menu(p, &m, &choice);
	plain_items_free(&it);
	free(title);
	if (rc != PLAIN_OK)
		return rc;
	if (choice == next || choice == prev) {
		s->page += choice == next ? 1 : -1;
		return PLAIN_OK;
	}
	if (choice == kw) {
		rc = ask_keyword(p, s);
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	}
	if (choice >= f0)
		return choose_filter(p, s, (int)(choice - f0));
	return plain_procedure(p, pg->items[choice].code);
}

static int
run_search(struct plain *p)
{
	struct search s;
	int rc, searched;

	memset(&s, 0, sizeof s);
	s.page = 1;
	catalog_list_init(&s.list, p->opt.lang);
	if (plain_groups(p) != PLAIN_OK)
		return PLAIN_QUIT;
	s.filters.fields = &p->fields;
	s.filters.agencies = &p->agencies;
	plain_say(p, "%s", plain_t(p, "Tìm kiếm nâng cao", "Advanced search"));
	rc = ask_keyword(p, &s);
	while (rc == PLAIN_OK) {
		if ((rc = search_now(p, &s, &searched)) != PLAIN_OK)
			break;
		rc = results(p, &s, searched);
	}
	free(s.keyword);
	catalog_list_free(&s.list);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

const struct plain_flow plain_flow_search = {
	.label = { "Tìm kiếm nâng cao", "Advanced search" },
	.when = PLAIN_ALWAYS,
	.run = run_search,
};
