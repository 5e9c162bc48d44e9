/*
 * The client's view of a portal: what GET /api/v1/info tells, fetched
 * with the shared HTTP client.  The terminal client, the line mode and
 * the phone all start here.
 */
#ifndef DVC_API_H
#define DVC_API_H

#include <stddef.h>

#include "status.h"

struct httpc;

#define API_MAX_PROVIDERS 8
#define API_MAX_ANCHORS 16

struct api_provider {
	char	*id;
	char	*name;
};

struct api_info {
	char			*name;		/* the portal's name */
	char			*province;
	char			*issuer;	/* the identity provider */
	char			*client_id;
	struct api_provider	 providers[API_MAX_PROVIDERS];
	size_t			 nproviders;
	/* The declarations' signature labels, offered as position keywords. */
	char			*anchors[API_MAX_ANCHORS];
	size_t			 nanchors;
};

/*
 * Fetches and checks {base}/api/v1/info.  On failure err says, for people,
 * what went wrong and what to do.
 */
enum status	api_info_fetch(struct httpc *, const char *base,
		    struct api_info *, enum lang, char *err, size_t errsz);
void		api_info_free(struct api_info *);

/* The pieces of api_info_fetch, for a caller that does its own HTTP. */
/* {base}/api/v1/info; caller frees. */
char		*api_info_url(const char *base);
/* Parses and checks the answer's body; url names it in messages. */
enum status	api_info_parse(const char *body, size_t len, const char *url,
		    struct api_info *, char *err, size_t errsz);
/*
 * The message for a failed fetch: a transfer that failed (s, with
 * detail), or an unexpected HTTP status when s is STATUS_OK.
 */
void		api_info_error(const char *base, const char *url,
		    enum status s, long http_status, const char *detail,
		    enum lang, char *err, size_t errsz);

#endif
