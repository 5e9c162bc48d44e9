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

enum { FILTER_AGENCY, FILTER_FIELD, FILTER_LEVEL, FILTER__N };

static const char *const level_codes[3] = { NULL, "toan_trinh", "mot_phan" };

struct search {
	char			*keyword;
	size_t			 filter[FILTER__N];	/* 0: all */
	long			 page;
	struct catalog_page	 pg;
};

static const struct catalog_groups *
filter_groups(struct plain *p, int which)
{
	return which == FILTER_AGENCY ? &p->agencies : &p->fields;
}

static size_t
filter_count(struct plain *p, int which)
{
	return which == FILTER_LEVEL ? 3 : filter_groups(p, which)->n + 1;
}

/* Option i of a filter, for people (0: all). */
static const char *
filter_label(struct plain *p, int which, size_t i)
{
	if (i == 0)
		return plain_t(p, "Tất cả", "All");
	if (which == FILTER_LEVEL)
		return catalog_level_name(i == 1, p->opt.lang);
	return filter_groups(p, which)->items[i - 1].name;
}

static const char *
filter_code(struct plain *p, const struct search *s, int which)
{
	size_t i = s->filter[which];

	if (i == 0)
		return NULL;
	if (which == FILTER_LEVEL)
		return level_codes[i];
	return filter_groups(p, which)->items[i - 1].code;
}

static const char *
filter_name(struct plain *p, int which)
{
	switch (which) {
	case FILTER_AGENCY:
		return plain_t(p, "Cơ quan", "Agency");
	case FILTER_FIELD:
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
	f.flags = PLAIN_FIELD_VI;
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
	for (i = 0; i < filter_count(p, which); i++)
		plain_items_add(&it, "%s", filter_label(p, which, i));
	memset(&m, 0, sizeof m);
	m.title = filter_name(p, which);
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.def = s->filter[which];
	rc = plain_menu(p, &m, &choice);
	plain_items_free(&it);
	if (rc == PLAIN_OK) {
		s->filter[which] = choice;
		s->page = 1;
	}
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

/* Sends the search as it stands: PLAIN_OK (results in s->pg), _QUIT. */
static int
search_now(struct plain *p, struct search *s, int *ok)
{
	struct catalog_query q;
	struct session_request req;
	struct plain_reply r;
	char err[256], *path;

	memset(&q, 0, sizeof q);
	q.q = s->keyword;
	q.agency = filter_code(p, s, FILTER_AGENCY);
	q.field = filter_code(p, s, FILTER_FIELD);
	q.level = filter_code(p, s, FILTER_LEVEL);
	q.page = s->page;
	q.per_page = PER_PAGE;
	path = catalog_query_path(&q);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	/* Searches are not cached: each keyword would be a new entry. */
	if (plain_call(p, &req, &r) != PLAIN_OK) {
		free(path);
		return PLAIN_QUIT;
	}
	free(path);
	catalog_page_free(&s->pg);
	*ok = 0;
	if (r.status != STATUS_OK || r.http != 200) {
		plain_reply_message(p, &r, err, sizeof err);
		plain_say(p, "%s", err);
	} else if (catalog_page_parse(r.body, r.len, &s->pg, err,
	    sizeof err) != STATUS_OK)
		plain_say(p, "%s", err);
	else
		*ok = 1;
	plain_reply_free(&r);
	return PLAIN_OK;
}

static long
page_count(const struct catalog_page *pg)
{
	if (pg->per_page <= 0 || pg->total <= 0)
		return 1;
	return (pg->total + pg->per_page - 1) / pg->per_page;
}

/* The results and what else can be done, as one menu. */
static int
results(struct plain *p, struct search *s, int searched)
{
	struct plain_items it;
	struct plain_menu m;
	char *title = NULL;
	size_t i, choice, next = PLAIN_NONE, prev = PLAIN_NONE, kw, f0;
	long pages = page_count(&s->pg);
	int rc, w;

	memset(&it, 0, sizeof it);
	if (!searched)
		title = xstrdup(plain_t(p, "Gõ từ khóa hoặc chọn cơ quan, lĩnh "
		    "vực, mức độ.", "Type a keyword or choose an agency, field "
		    "or level."));
	else if (s->pg.total == 0)
		title = xstrdup(plain_t(p, "Không tìm thấy thủ tục nào.",
		    "No procedure found."));
	else
		title = xasprintf(PLAIN_T(p, "%ld kết quả, trang %ld/%ld",
		    "%ld results, page %ld/%ld"), s->pg.total, s->page, pages);
	for (i = 0; searched && i < s->pg.n; i++) {
		char *item = plain_procedure_item(p, &s->pg.items[i]);

		plain_items_add(&it, "%s", item);
		free(item);
	}
	if (searched && s->page < pages) {
		next = it.n;
		plain_items_add(&it, PLAIN_T(p, "Trang sau (%ld/%ld)",
		    "Next page (%ld/%ld)"), s->page + 1, pages);
	}
	if (searched && s->page > 1) {
		prev = it.n;
		plain_items_add(&it, PLAIN_T(p, "Trang trước (%ld/%ld)",
		    "Previous page (%ld/%ld)"), s->page - 1, pages);
	}
	kw = it.n;
	plain_items_add(&it, PLAIN_T(p, "Từ khóa: %s", "Keyword: %s"),
	    s->keyword != NULL && s->keyword[0] != '\0' ? s->keyword :
	    plain_t(p, "(trống)", "(none)"));
	f0 = it.n;
	for (w = 0; w < FILTER__N; w++)
		plain_items_add(&it, "%s: %s", filter_name(p, w),
		    filter_label(p, w, s->filter[w]));
	memset(&m, 0, sizeof m);
	m.title = title;
	m.items = (const char *const *)it.v;
	m.n = it.n;
	m.def = searched && s->pg.n > 0 ? 0 : kw;
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
	return plain_procedure(p, s->pg.items[choice].code);
}

static int
run_search(struct plain *p)
{
	struct search s;
	int rc, ok, searched;

	memset(&s, 0, sizeof s);
	s.page = 1;
	if (plain_groups(p) != PLAIN_OK)
		return PLAIN_QUIT;
	plain_say(p, "%s", plain_t(p, "Tìm kiếm nâng cao", "Advanced search"));
	rc = ask_keyword(p, &s);
	while (rc == PLAIN_OK) {
		searched = 0;
		if ((s.keyword != NULL && s.keyword[0] != '\0') ||
		    s.filter[0] != 0 || s.filter[1] != 0 || s.filter[2] != 0) {
			if ((rc = search_now(p, &s, &ok)) != PLAIN_OK)
				break;
			searched = ok;
		}
		rc = results(p, &s, searched);
	}
	free(s.keyword);
	catalog_page_free(&s.pg);
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

const struct plain_flow plain_flow_search = {
	.label = { "Tìm kiếm nâng cao", "Advanced search" },
	.when = PLAIN_ALWAYS,
	.run = run_search,
};
