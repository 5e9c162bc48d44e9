/*
 * A submitted dossier's life (docs/lifecycle.md): the national status
 * codes 1 to 10 (TrangThaiHoSo) and the one table of the changes allowed
 * between them with who makes each.  What happened is in the store,
 * lifecycle_store.h.
 */
#ifndef DVC_PORTAL_LIFECYCLE_H
#define DVC_PORTAL_LIFECYCLE_H

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
int		 portal_lifecycle_action_known(enum portal_lifecycle_actor,
		    const char *action);
/* Every transition, ending with a NULL action. */
extern const struct portal_lifecycle_transition portal_lifecycle_transitions[];

#endif
