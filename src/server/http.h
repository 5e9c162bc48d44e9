/*
 * The HTTP layer of dvc-server over libmicrohttpd: one thread per connection,
 * a route table checked before any handler runs, and the one place that
 * writes a response's status, body and security headers.
 *
 * A request goes through these steps, in order:
 *  1. the path is matched against the route table: 404 if no route has it,
 *     405 with Allow if none has it with this method;
 *  2. where the route takes a body, a wrong Content-Type gets 415;
 *  3. a Content-Length over the route's cap gets 413 before the body is
 *     read; a chunked body that grows past the cap gets 413 too;
 *  4. the handler runs with the whole body in memory.
 * Every error is written in the route's error style.
 */
#ifndef DVC_HTTP_H
#define DVC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "field_error.h"
#include "status.h"

struct cJSON;
struct json_err;
struct MHD_Connection;
struct proxy_net;

/* How a route group answers errors. */
enum http_style {
	HTTP_STYLE_PORTAL,	/* {"error","message","fields"}: field_error.h */
	HTTP_STYLE_OAUTH,	/* {"error","error_description"} (RFC 6749) */
	HTTP_STYLE_CA,		/* {"status_code","message"} */
	HTTP_STYLE_HTML,	/* a small HTML page */
	HTTP_STYLE__MAX
};

#define HTTP_JSON	"application/json"
#define HTTP_FORM	"application/x-www-form-urlencoded"

#define HTTP_MAX_PARAMS	4
#define HTTP_MAX_HEADERS 8

struct http_req;
struct http_resp;
typedef void (*http_handler)(struct http_req *, struct http_resp *);

struct route {
	const char	*method;
	const char	*pattern;	/* "/api/v1/dossiers/{id}" */
	const char	*role;		/* "portal", "idp", "ca" or "" (all) */
	const char	*accept;	/* media type of the body, or NULL */
	size_t		 max_body;	/* bytes; 0 takes no body */
	enum http_style	 style;
	http_handler	 handler;
	const char	*summary;
	unsigned	 flags;		/* HTTP_ROUTE_* */
};

/*
 * Answers of HTTP_ROUTE_GZIP routes of HTTP_GZIP_MIN bytes or more
 * are sent gzipped to a client that takes it.  Only routes whose answers
 * never hold a secret beside what the request sent have it: compressing
 * those (tokens, device codes, a signing's control code) would let a
 * length-measuring attacker guess the secret over TLS (BREACH).
 */
#define HTTP_ROUTE_GZIP	0x01
#define HTTP_GZIP_MIN	512

struct http_req {
	const struct route	*route;
	struct MHD_Connection	*conn;
	void			*srv;	/* the server's context */
	const char		*method;
	const char		*path;
	const char		*params[HTTP_MAX_PARAMS]; /* {..} in order */
	size_t			 nparams;
	struct buf		 body;
	/*
	 * The client's address: the peer's, or behind a trusted proxy the
	 * one X-Forwarded-For gives (proxy.h).  Every per-address limit
	 * and the access log use it.
	 */
	char			 client[64];
	int64_t			 started_us;
	int			 too_big;
};

struct http_resp {
	int		 status;
	const char	*content_type;	/* static string */
	struct buf	 body;
	const char	*hname[HTTP_MAX_HEADERS];	/* static strings */
	char		*hvalue[HTTP_MAX_HEADERS];	/* owned */
	size_t		 nheaders;
	int		 cacheable;	/* set by http_resp_cacheable */
};

struct exchange_log;

struct http_server_config {
	const char		*listen;	/* "127.0.0.1:8080", port 0 picks */
	const struct route	*routes;	/* ends with a NULL method */
	void			*srv;
	unsigned		 max_connections;
	unsigned		 connection_timeout;	/* seconds idle */
	unsigned		 drain_timeout;	/* seconds to finish at stop */
	/*
	 * HTTPS when both are set: the certificate (its chain after it) and
	 * the key as PEM text, checked beforehand (tls.h); copied.
	 */
	const char		*tls_cert_pem;
	const char		*tls_key_pem;
	struct exchange_log	*exchanges;	/* tests only; NULL: none */
	/* The proxies whose X-Forwarded-For is believed; copied. */
	const struct proxy_net	*trusted_proxies;
	size_t			 ntrusted_proxies;
};

struct http_server;

/*
 * Starts listening; NULL with a message in err on failure, also when HTTPS
 * is asked of a libmicrohttpd built without TLS.
 */
struct http_server	*http_server_start(const struct http_server_config *,
			    char *err, size_t errsz);
/* The port actually bound. */
unsigned		 http_server_port(const struct http_server *);
/* Requests in flight now. */
unsigned		 http_server_active(struct http_server *);
/*
 * Stops accepting, waits up to drain_timeout for the requests in flight,
 * then closes everything and frees the server.  Long polls must have been
 * woken first (waiter_shutdown) so that they finish at once.
 */
void			 http_server_stop(struct http_server **);

/* Matching, exposed for tests and for "dvc-server routes". */
int	http_route_match(const char *pattern, const char *path,
	    const char **params, size_t *nparams, char *store, size_t storesz);
/* The media type of a Content-Type value equals want, parameters ignored. */
int	http_media_type_is(const char *content_type, const char *want);

/* Request accessors. */
const char	*http_req_header(struct http_req *, const char *name);
const char	*http_req_query(struct http_req *, const char *name);
/* The token of "Authorization: Bearer TOKEN", or NULL. */
const char	*http_req_bearer(struct http_req *);
/*
 * The language the client prefers (Accept-Language) of the two the
 * portal speaks: LANG_EN when English ranks above Vietnamese, else
 * LANG_VI (Vietnamese also when the header is absent or names neither).
 */
enum lang	 http_req_lang(struct http_req *);
/*
 * Refuses a member of obj not in allowed (NULL-ended), answering 400 with
 * fields naming it (not_allowed): -1 after answering, 0 when every
 * member is allowed.
 */
int		 http_req_only_keys(struct http_req *, struct http_resp *,
		    const struct cJSON *obj, const char *const *allowed);
/*
 * Refuses a query parameter not in allowed (NULL-ended), or one given
 * twice, answering 400 with fields naming it (not_allowed, duplicate):
 * -1 after answering, 0 when every one is expected and once.
 */
int		 http_req_query_only(struct http_req *, struct http_resp *,
		    const char *const *allowed);
/*
 * 400 invalid_request naming the query parameter name with code, vi and
 * en its words.
 */
void		 http_bad_param(struct http_req *, struct http_resp *,
		    const char *name, enum field_code, const char *vi,
		    const char *en);
/*
 * Does the form body give a key twice (RFC 6749 §3.1 refuses it)?  1 with
 * the key in key, else 0.
 */
int		 http_req_form_repeated(struct http_req *, char *key,
		    size_t keysz);
/*
 * Does the query give a key twice (RFC 6749 §3.1)?  1 with the key in
 * key, else 0; unknown keys are no fault here.
 */
int		 http_req_query_repeated(struct http_req *, char *key,
		    size_t keysz);
/* The value of key in an application/x-www-form-urlencoded body; caller frees. */
char		*http_req_form(struct http_req *, const char *key);
/*
 * Parses the body as JSON.  On failure writes a 400 in the route's style
 * and returns NULL: with fields naming the value at fault (its path,
 * invalid_text for invalid UTF-8, a lone surrogate, \u0000 or a control
 * character, duplicate for a key given twice) where there is one.
 * Caller frees with cJSON_Delete.
 */
struct cJSON	*http_req_json(struct http_req *, struct http_resp *);
/*
 * 400 invalid_request for what a getter (json.h) found wrong, the field
 * named at prefix.field (prefix NULL for the body's top).
 */
void		 http_json_error(struct http_req *, struct http_resp *,
		    const char *prefix, const struct json_err *);

/* Responses. */
void	http_resp_header(struct http_resp *, const char *name, const char *value);
void	http_resp_text(struct http_resp *, int status, const char *type,
	    const char *text);
/* Takes ownership of json. */
void	http_resp_json(struct http_resp *, int status, struct cJSON *json);
/*
 * Makes a 200 response revalidatable, for what clients cache (the
 * catalog): an ETag from the SHA-256 of the body, gzip when the client
 * accepts it and the body is worth it (with its own ETag, since the bytes
 * differ), Vary: Accept-Encoding, Cache-Control: no-cache, and 304 with
 * no body when If-None-Match names the current ETag.  Call last.
 */
void	http_resp_cacheable(struct http_req *, struct http_resp *);

/*
 * A cacheable answer kept for replay: the bytes to send (gzipped or not),
 * their ETag and type.  A route whose answers depend only on the request
 * can keep them and replay them to later requests without recomputing.
 */
struct http_cached {
	struct buf	 body;
	char		 etag[48];
	const char	*content_type;	/* static */
	int		 gzip;
};
/* Makes the replayable form of a 200 response. */
enum status	http_cached_make(const struct http_resp *, int gzip,
		    struct http_cached *);
/* Answers from it, with 304 when If-None-Match names its ETag. */
void		http_cached_replay(struct http_req *, struct http_resp *,
		    const struct http_cached *);
void		http_cached_clear(struct http_cached *);
/*
 * Sets the answer's ETag; when the request's If-None-Match names it (weak
 * or strong), the answer becomes a 304 with no body.
 */
void		http_resp_etag(struct http_req *, struct http_resp *,
		    const char *etag);
/* 1 if the request's If-None-Match names etag. */
int		http_req_etag_current(struct http_req *, const char *etag);
/* Does the client take gzip (Accept-Encoding)? */
int		http_req_gzip(struct http_req *);
/*
 * An error in the route's style.  code is the machine-readable error
 * ("invalid_request", "not_found", ...); vi and en are the message for
 * people in each language.  The portal answers {error, message, fields}
 * with the message in the request's language (http_req_lang) and
 * Content-Language; OAuth's error_description and the CA API's message
 * are en, which must be ASCII, and vi may be NULL for them.  fields
 * (taken, may be NULL; the portal's only) is an array of field errors
 * (field_error.h).
 */
void	http_error(struct http_req *, struct http_resp *, int status,
	    const char *code, const char *vi, const char *en,
	    struct cJSON *fields);
/* The code of a 401 when no token came. */
#define HTTP_TOKEN_MISSING	"token_missing"
/*
 * 401 with "WWW-Authenticate: Bearer realm=\"dvc\"" (RFC 6750 §3), and,
 * when a token came (code is not HTTP_TOKEN_MISSING), error=
 * "invalid_token" with en as its error_description.  The portal's body
 * says code ("token_expired", ...) with vi or en; OAuth's says
 * "invalid_token" ("unauthorized" when no token came).
 */
void	http_unauthorized(struct http_req *, struct http_resp *,
	    const char *code, const char *vi, const char *en);
/* Escapes s for HTML text and attribute values. */
void	http_html_escape(struct buf *, const char *s);
/* The same for a style and a language, where no route matched. */
void	http_error_style(struct http_resp *, enum http_style, enum lang,
	    int status, const char *code, const char *vi, const char *en,
	    struct cJSON *fields);
const char *http_style_name(enum http_style);

#endif
