/*
 * The portal's public catalog as the client reads it: the fields and the
 * agencies, pages of procedures, and one procedure in full, asked for
 * with GET /api/v1/fields, /agencies, /procedures, /featured and
 * /procedures/{code} (a builder each) and parsed from their answers;
 * three flows (flow.h) that load them: the fields and agencies every
 * catalog screen names, a page of procedures (a group's, the featured,
 * a search's) and a procedure's detail; the search's filters; money and
 * levels as people read them; and the debounce that keeps typing from
 * sending a request per key.  No I/O and no curses: the screens, the
 * line mode and the tests drive it.
 */
#ifndef DVC_CATALOG_H
#define DVC_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client/flow.h"
#include "status.h"

/* A field (lĩnh vực) or an agency (cơ quan). */
struct catalog_group {
	char	*code;
	char	*name;
	long	 procedures;
};

struct catalog_groups {
	struct catalog_group	*items;
	size_t			 n;
};

/* A procedure in a list. */
struct catalog_summary {
	char	*code;		/* local code, "1.001193.000.00.00.H34" */
	char	*national_code;
	char	*name;
	char	*field;		/* codes */
	char	*agency;
	int	 full;		/* toàn trình (1) or một phần (0) */
};

struct catalog_page {
	struct catalog_summary	*items;
	size_t			 n;
	long			 total;
	long			 page;
	long			 per_page;
};

/* A required document ("Thành phần hồ sơ"). */
struct catalog_document {
	char	*key;		/* what an attachment names; "" if none */
	char	*name;
	char	*kind;		/* electronic, original, copy */
	long	 count;
	int	 required;
};

struct catalog_procedure {
	char			*code;
	char			*national_code;
	char			*name;
	char			*field;
	char			*agency;
	int			 full;
	long			 days;		/* processing time; -1 unknown */
	char			*time_text;
	long long		 fee;		/* dong; -1 when none is set */
	char			*fee_text;
	char			**steps;
	size_t			 nsteps;
	char			*result;
	struct catalog_document	*documents;
	size_t			 ndocuments;
	cJSON			*form;		/* its "form", or NULL */
};

/*
 * Parsers: 0 on success, else a status with a message in err.  The
 * structures own their strings; free them with the matching _free,
 * which zeroes them (a zeroed structure is empty and may be freed).
 */
enum status	 catalog_groups_parse(const char *body, size_t len,
		    struct catalog_groups *, char *err, size_t errsz);
void		 catalog_groups_free(struct catalog_groups *);
/* The name of code in groups, or code itself when it is not there. */
const char	*catalog_group_name(const struct catalog_groups *,
		    const char *code);

/* A page ({total, page, per_page, items}) or the featured ({items}). */
enum status	 catalog_page_parse(const char *body, size_t len,
		    struct catalog_page *, char *err, size_t errsz);
void		 catalog_page_free(struct catalog_page *);

enum status	 catalog_procedure_parse(const char *body, size_t len,
		    struct catalog_procedure *, char *err, size_t errsz);
void		 catalog_procedure_free(struct catalog_procedure *);

/*
 * A procedure's answer (its HTTP status and body), parsed: STATUS_OK, or
 * a message for people in err: no such procedure (404), another status,
 * or a body not understood.
 */
enum status	 catalog_procedure_answer(long http, const char *body,
		    size_t len, enum lang, struct catalog_procedure *,
		    char *err, size_t errsz);

/*
 * A procedure's detail for people, line by line in the order shown: its
 * name, the facts ("Mã thủ tục: ...", the agency and the field named
 * from the groups, the level, the processing time, the fees "2.000 đ",
 * the result), then the steps ("1. ...") and the required documents
 * ("- Tờ khai (Bản chính, 1 bản, bắt buộc)") each under a heading.  The
 * front ends lay the lines out by their kind.
 */
enum catalog_line_kind {
	CATALOG_LINE_TITLE,	/* the procedure's name */
	CATALOG_LINE_FACT,	/* "Label: value" */
	CATALOG_LINE_HEADING,	/* "Trình tự thực hiện", "Thành phần hồ sơ" */
	CATALOG_LINE_STEP,	/* "1. ..." */
	CATALOG_LINE_DOCUMENT	/* "- ..." */
};

struct catalog_line {
	enum catalog_line_kind	 kind;
	char			*text;
};

struct catalog_lines {
	struct catalog_line	*items;
	size_t			 n;
};

/* Fills lines (caller frees with catalog_lines_free). */
void		 catalog_procedure_lines(const struct catalog_procedure *,
		    const struct catalog_groups *fields,
		    const struct catalog_groups *agencies, enum lang,
		    struct catalog_lines *);
void		 catalog_lines_free(struct catalog_lines *);

/* What to list: every member may be NULL or "" (absent). */
struct catalog_query {
	const char	*q;		/* the keyword, as typed */
	const char	*field;
	const char	*agency;
	const char	*level;		/* "toan_trinh" or "mot_phan" */
	long		 page;		/* 0: the first */
	long		 per_page;	/* 0: the server's default */
};

/*
 * The requests (request.h), GETs kept in the local store's cache and
 * revalidated with their ETag, but for the search's.
 */
/* GET /api/v1/fields, or /api/v1/agencies. */
void		 catalog_fields_request(struct request *);
void		 catalog_agencies_request(struct request *);
/* GET /api/v1/featured. */
void		 catalog_featured_request(struct request *);
/*
 * GET /api/v1/procedures?q=...&field=... with the values form-encoded:
 * a group's page (cached), or a search (never cached: each keyword
 * would be an entry).
 */
void		 catalog_list_request(struct request *,
		    const struct catalog_query *);
void		 catalog_search_request(struct request *,
		    const struct catalog_query *);
/* GET /api/v1/procedures/{code}, code as one segment. */
void		 catalog_procedure_request(struct request *, const char *code);

/*
 * The answers of the fields or agencies and of a page: STATUS_OK, or a
 * message for people in err (the transfer's error, the portal's own
 * message or its HTTP status, or a body not understood).
 */
struct session_reply;
enum status	 catalog_groups_answer(const struct session_reply *,
		    enum lang, struct catalog_groups *, char *err,
		    size_t errsz);
enum status	 catalog_page_answer(const struct session_reply *, enum lang,
		    struct catalog_page *, char *err, size_t errsz);
/* How many pages a page's listing has (1 at least). */
long		 catalog_page_count(const struct catalog_page *);

/* Where one of the flows below stands. */
enum catalog_state {
	CATALOG_IDLE,		/* nothing asked */
	CATALOG_WANTED,		/* asked, to be sent */
	CATALOG_LOADING,	/* sent, not answered yet */
	CATALOG_READY,		/* the answer is here */
	CATALOG_FAILED		/* message says why */
};

/*
 * The fields and the agencies, which every catalog screen names: asked
 * for once (catalog_names_ask asks again for what failed), one request
 * after the other.
 */
#define CATALOG_FIELDS		0
#define CATALOG_AGENCIES	1

struct catalog_names {
	struct catalog_groups	 fields;
	struct catalog_groups	 agencies;
	enum catalog_state	 state[2];	/* CATALOG_FIELDS, _AGENCIES */
	char			 message[2][256];
	enum lang		 lang;
};

extern const struct flow_ops catalog_names_flow;

void		 catalog_names_init(struct catalog_names *, enum lang);
void		 catalog_names_free(struct catalog_names *);
/*
 * Asks for the lists neither here nor on the way (a failed one again);
 * returns 1 when one is to be sent (pump the flow's run).
 */
int		 catalog_names_ask(struct catalog_names *);

/*
 * A page of procedures: a group's (by field or agency), the featured
 * ones, or a search's.  Asking again replaces what was asked before and
 * not sent; the page shown stays until the next answer replaces it.
 * answers counts the answers taken, so that a screen knows when to put
 * its selection back on the first item.
 */
struct catalog_list {
	enum catalog_state	 state;
	enum lang		 lang;
	struct catalog_page	 page;
	unsigned		 answers;
	char			 message[256];
	struct request		 want;		/* while CATALOG_WANTED */
};

extern const struct flow_ops catalog_list_flow;

void		 catalog_list_init(struct catalog_list *, enum lang);
void		 catalog_list_free(struct catalog_list *);
/* A group's page (q names the field or the agency); cached. */
void		 catalog_list_group(struct catalog_list *,
		    const struct catalog_query *);
void		 catalog_list_featured(struct catalog_list *);
/*
 * A search: the keyword without its leading spaces, and the filters.
 * When it asks for nothing (no keyword, no filter), nothing is sent:
 * the page is emptied, the state goes back to CATALOG_IDLE and 0 is
 * returned; else 1.
 */
int		 catalog_list_search(struct catalog_list *,
		    const struct catalog_query *);

/* A procedure's detail, with its 404 in words. */
struct catalog_detail {
	enum catalog_state	 state;
	enum lang		 lang;
	char			*code;		/* as asked for */
	struct catalog_procedure p;		/* when CATALOG_READY */
	char			 message[256];
};

extern const struct flow_ops catalog_detail_flow;

void		 catalog_detail_init(struct catalog_detail *, enum lang);
void		 catalog_detail_free(struct catalog_detail *);
/* Asks for procedure code (again), forgetting the one held. */
void		 catalog_detail_ask(struct catalog_detail *, const char *code);
/*
 * Moves the procedure held (CATALOG_READY) into *out, which the caller
 * frees with catalog_procedure_free; the flow goes back to CATALOG_IDLE.
 */
void		 catalog_detail_take(struct catalog_detail *,
		    struct catalog_procedure *out);

/*
 * "Tìm kiếm nâng cao"'s filters: the agency, the field and the level,
 * each an option from 0, "all", over the fields and agencies given.
 */
enum catalog_filter {
	CATALOG_FILTER_AGENCY,
	CATALOG_FILTER_FIELD,
	CATALOG_FILTER_LEVEL,
	CATALOG_FILTER__N
};

struct catalog_filters {
	const struct catalog_groups	*fields;
	const struct catalog_groups	*agencies;
	size_t				 choice[CATALOG_FILTER__N];
};

/* How many options a filter has, "all" included. */
size_t		 catalog_filter_count(const struct catalog_filters *,
		    enum catalog_filter);
/* Option i of a filter for people ("Tất cả", a name, a level). */
const char	*catalog_filter_label(const struct catalog_filters *,
		    enum catalog_filter, size_t i, enum lang);
/* Sets the agency, field and level of q from the filters chosen. */
void		 catalog_filters_query(const struct catalog_filters *,
		    struct catalog_query *);

/* Money in dong as people read it: 2000 → "2.000 đ", 0 → "0 đ". */
void		 catalog_money(long long dong, char *out, size_t outsz);
/* "Toàn trình" / "Một phần", or in English. */
const char	*catalog_level_name(int full, enum lang);
/* A document's kind: "Bản chính", "Bản sao", "Bản điện tử", or kind. */
const char	*catalog_kind_name(const char *kind, enum lang);

/*
 * Waiting for typing to pause: debounce_touch after each change, then
 * the loop sleeps at most debounce_wait and calls debounce_due, which
 * says 1 once, when delay_ms have passed since the last change.
 */
struct debounce {
	int64_t	due_ms;		/* -1: nothing waits */
	int	delay_ms;
};

void		 debounce_init(struct debounce *, int delay_ms);
void		 debounce_touch(struct debounce *, int64_t now_ms);
void		 debounce_clear(struct debounce *);
int		 debounce_due(struct debounce *, int64_t now_ms);
/* Milliseconds until due (0 if overdue), or -1 when nothing waits. */
int64_t		 debounce_wait(const struct debounce *, int64_t now_ms);

#endif
