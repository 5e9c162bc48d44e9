/*
 * A submitted dossier's life (docs/lifecycle.md): the national status
 * codes 1 to 10 (TrangThaiHoSo), the one table of the changes allowed
 * between them with who makes each, and the store of what happened: the
 * dossier code given at submission from a per-agency daily counter, the
 * history of every change, the result files and each citizen's last look
 * at the list.
 */
#ifndef DVC_PORTAL_LIFECYCLE_H
#define DVC_PORTAL_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "http.h"
#include "status.h"

/* The statuses: enum name, code, API name, Vietnamese label. */
#define PORTAL_DOSSIER_STATUS_INFO(X) \
	X(DRAFT,	0,  "draft",	   "Chưa nộp") \
	X(NEW,		1,  "new",	   "Mới đăng ký") \
	X(RECEIVED,	2,  "received",	   "Được tiếp nhận") \
	X(REFUSED,	3,  "refused",	   "Không được tiếp nhận") \
	X(PROCESSING,	4,  "processing",  "Đang xử lý") \
	X(SUPPLEMENT,	5,  "supplement",  "Yêu cầu bổ sung giấy tờ") \
	X(FEES,		6,  "fees",	   "Yêu cầu thực hiện nghĩa vụ tài chính") \
	X(WITHDRAWING,	7,  "withdrawing", "Công dân yêu cầu rút hồ sơ") \
	X(STOPPED,	8,  "stopped",	   "Dừng xử lý") \
	X(FINISHED,	9,  "finished",	   "Đã xử lý xong") \
	X(RETURNED,	10, "returned",	   "Đã trả kết quả")

enum portal_dossier_status {
#define X(e, n, name, label) PORTAL_DOSSIER_##e = n,
	PORTAL_DOSSIER_STATUS_INFO(X)
#undef X
	PORTAL_DOSSIER__STATUSES
};

/* The API name and the label of a status; "" for an unknown one. */
const char	*portal_dossier_status_name(int status);
const char	*portal_dossier_status_label(int status);
/* 1 for 3, 8 and 10, after which nothing changes. */
int		 portal_dossier_status_terminal(int status);
/* A status by its number or API name; -1 when it is neither. */
int		 portal_dossier_status_parse(const char *);

enum portal_lifecycle_actor {
	PORTAL_LIFECYCLE_CITIZEN,
	PORTAL_LIFECYCLE_OFFICER
};

/* What a change needs besides the dossier. */
#define PORTAL_LIFECYCLE_NOTE	0x01	/* a note, such as what is missing */
#define PORTAL_LIFECYCLE_AMOUNT	0x02	/* the fees asked, in đồng */
#define PORTAL_LIFECYCLE_RESULT	0x04	/* a result file */
#define PORTAL_LIFECYCLE_SIGNED	0x08	/* signed in its current version */

struct portal_lifecycle_transition {
	int				 from;
	int				 to;
	enum portal_lifecycle_actor	 actor;
	const char			*action;	/* "receive" ... */
	unsigned			 needs;		/* PORTAL_LIFECYCLE_* */
	const char			*summary;
};

/*
 * The change that action makes from status by actor, or NULL when it is
 * not allowed.  portal_lifecycle_action_known says whether actor has an action
 * of that name at all.
 */
const struct portal_lifecycle_transition *portal_lifecycle_find(int from,
		    enum portal_lifecycle_actor, const char *action);
int		 portal_lifecycle_action_known(enum portal_lifecycle_actor, const char *action);
/* Every transition, ending with a NULL action. */
extern const struct portal_lifecycle_transition portal_lifecycle_transitions[];

/* A dossier as the lifecycle sees it. */
struct portal_tracked {
	int64_t	 id;
	char	 public_id[32];
	char	 owner_sub[64];
	char	 owner_cccd[13];
	char	 procedure[40];
	char	 state[16];		/* "draft" or "submitted" */
	int	 status;
	char	 code[32];		/* "" before submission */
	char	 agency[16];
	int64_t	 version;
	int64_t	 submitted_version;
	int64_t	 submitted_at;
	int64_t	 appointment_at;
	int64_t	 status_at;		/* when the status last changed */
	int64_t	 fee;			/* asked for status 6; -1: none */
	int64_t	 created_at;
	int64_t	 updated_at;
};

struct portal_history_entry {
	int64_t		 at;
	int		 status;
	const char	*note;
	const char	*actor;		/* "citizen", "officer" */
};

struct portal_result_file {
	int		 seq;		/* from 1 */
	const char	*file_name;
	const char	*content_type;
	int64_t		 size;
	const char	*sha256;
	int64_t		 created_at;
};

typedef void (*portal_tracked_fn)(void *ctx, const struct portal_tracked *);
typedef void (*portal_history_fn)(void *ctx,
	    const struct portal_history_entry *);
typedef void (*portal_result_fn)(void *ctx, const struct portal_result_file *);

/* What submitting asks of the store. */
struct portal_submission {
	int64_t		 dossier_id;
	int64_t		 version;	/* the version that was signed */
	const char	*agency;	/* "000.00.20.H34" */
	int		 yy, mm, dd;	/* the day in Vietnam */
	int64_t		 now;
	int64_t		 appointment_at;
};

/*
 * Submits a signed draft in one BEGIN IMMEDIATE transaction: the next
 * number of the agency's day, the code, status 1 and its history line.
 * out gets the dossier as it then is.  A dossier submitted before is
 * STATUS_ERR_CONFLICT with out as it was submitted (the retry answers the
 * same); a draft changed since it was signed is STATUS_ERR_INVALID; a
 * day past 9,999 dossiers is STATUS_ERR_TOOBIG.
 */
enum status	portal_lifecycle_submit(struct db *,
		    const struct portal_submission *,
		    struct portal_tracked *out);

/* What a change carries besides its transition. */
struct portal_change {
	const struct portal_lifecycle_transition *t;
	const char	*note;		/* may be NULL */
	const char	*actor;
	int64_t		 amount;	/* PORTAL_LIFECYCLE_AMOUNT */
	int64_t		 version;	/* PORTAL_LIFECYCLE_SIGNED: signed */
	const char	*file_name;	/* PORTAL_LIFECYCLE_RESULT */
	const char	*content_type;
	const void	*content;
	size_t		 content_len;
	const char	*sha256;
	int64_t		 now;
};

/*
 * Makes the change in one transaction, with its history line.
 * STATUS_ERR_CONFLICT when the status (or, for a PORTAL_LIFECYCLE_SIGNED
 * change, the version) is no longer the one the transition starts from.
 */
enum status	portal_lifecycle_change(struct db *, int64_t dossier_id,
		    const struct portal_change *);

/* STATUS_ERR_NOTFOUND when there is none. */
enum status	portal_lifecycle_by_id(struct db *, int64_t id,
		    struct portal_tracked *);
enum status	portal_lifecycle_by_code(struct db *, const char *code,
		    struct portal_tracked *);
/* Public lookup: the code and the owner's CCCD must both match. */
enum status	portal_lifecycle_by_code_cccd(struct db *, const char *code,
		    const char *cccd, struct portal_tracked *);
/* The owner's dossiers, the latest changed first; status -1: all. */
enum status	portal_lifecycle_list_owner(struct db *, const char *owner_sub,
		    int status, portal_tracked_fn, void *ctx);
/*
 * Submitted dossiers for officers, the oldest first; status -1 and agency
 * NULL match all.  At most limit.
 */
enum status	portal_lifecycle_list_all(struct db *, int status,
		    const char *agency, int limit, portal_tracked_fn,
		    void *ctx);
enum status	portal_lifecycle_history(struct db *, int64_t id,
		    portal_history_fn, void *ctx);
enum status	portal_lifecycle_results(struct db *, int64_t id,
		    portal_result_fn, void *ctx);
/* A result file's bytes (caller frees), or STATUS_ERR_NOTFOUND. */
enum status	portal_lifecycle_result_content(struct db *, int64_t id,
		    int seq,
		    struct portal_result_file *, char **name, char **type,
		    void **data, size_t *len);
/* The counter of an agency's day: the last number given, 0 if none. */
enum status	portal_lifecycle_counter(struct db *, const char *agency,
		    const char *yymmdd, int64_t *last);

/* When the citizen last looked at the list; 0 when never. */
enum status	portal_lifecycle_seen_get(struct db *, const char *owner_sub,
		    int64_t *at);
enum status	portal_lifecycle_seen_set(struct db *, const char *owner_sub,
		    int64_t at);

struct server;
struct cJSON;

/*
 * The receipt of a submitted dossier (submit.c); caller frees.  The
 * signed declaration is read when declaration is NULL.
 */
struct buf;
struct cJSON	*portal_submit_receipt(struct server *,
		    const struct portal_tracked *,
		    const struct cJSON *procedure,
		    const struct buf *declaration);
/* submitted_at, appointment_at and appointment_date, null when unset. */
void		 portal_lifecycle_add_times(struct cJSON *,
		    const struct portal_tracked *);
/*
 * Status, code, times, history, the latest note, result files (linked
 * under results_path when not NULL), payment for status 6 and the
 * actor's possible actions, into o (tracking.c).
 */
void		 portal_lifecycle_describe(struct server *,
		    const struct portal_tracked *,
		    struct cJSON *o, const char *results_path,
		    enum portal_lifecycle_actor);
/* 409 illegal_transition: action is not allowed from status. */
void		 portal_lifecycle_refuse(struct http_req *, struct http_resp *,
		    int status, const char *action);

/* Routes: the citizen's (tracking.c, submit.c) and the public lookup. */
void	portal_submit_route(struct http_req *, struct http_resp *);
void	portal_tracking_route_list(struct http_req *, struct http_resp *);
void	portal_tracking_route_seen(struct http_req *, struct http_resp *);
void	portal_tracking_route_result(struct http_req *, struct http_resp *);
void	portal_tracking_route_supplement(struct http_req *, struct http_resp *);
void	portal_tracking_route_withdraw(struct http_req *, struct http_resp *);
void	portal_tracking_route_lookup(struct http_req *, struct http_resp *);
/* The officers' (officer.c). */
void	portal_officer_route_list(struct http_req *, struct http_resp *);
void	portal_officer_route_get(struct http_req *, struct http_resp *);
void	portal_officer_route_action(struct http_req *, struct http_resp *);
void	portal_officer_route_attachment(struct http_req *, struct http_resp *);
void	portal_officer_route_attachment_signature(struct http_req *,
	    struct http_resp *);

#endif
