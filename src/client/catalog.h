/*
 * The portal's public catalog as the client reads it: the fields and the
 * agencies, pages of procedures, and one procedure in full, parsed from
 * the answers of GET /api/v1/fields, /agencies, /procedures, /featured
 * and /procedures/{code}; the paths of listings and searches; money and
 * levels as people read them; and the debounce that keeps typing from
 * sending a request per key.  No I/O and no curses: the screens and the
 * tests drive it.
 */
#ifndef DVC_CATALOG_H
#define DVC_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

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

/* "/api/v1/procedures?q=...&field=..." with the values encoded. */
char		*catalog_query_path(const struct catalog_query *);
/* "/api/v1/procedures/{code}" with code encoded. */
char		*catalog_procedure_path(const char *code);

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
