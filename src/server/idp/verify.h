/*
 * The verification page (RFC 8628 §3.3) that the phone's browser opens
 * from the QR code, and the finding and deciding of a pending login that
 * the page and the VNeID app share.
 */
#ifndef DVC_IDP_VERIFY_H
#define DVC_IDP_VERIFY_H

#include <stddef.h>

#include "http.h"
#include "status.h"

struct buf;
struct idp_device;
struct server;

/*
 * The idp's pages: plain HTML that reads well in text browsers.  Starts
 * b (a buf_init'ed buffer) with the head and the title as h1; ends the
 * page, answers it with status, and frees b.
 */
void	idp_page_start(struct buf *b, const char *title);
void	idp_page_end(struct http_resp *, struct buf *b, int status);

/*
 * Finds the pending authorization of a user code as a person typed it
 * (any case, with or without the dash), counting failures against the
 * client address: STATUS_ERR_NOTFOUND (unknown or malformed),
 * STATUS_ERR_EXPIRED, STATUS_ERR_CONFLICT (already decided) or
 * STATUS_ERR_LOCKED (*retry_after set).  msg gets a message for people.
 */
enum status	idp_find_code(struct server *, const char *client,
		    const char *typed, struct idp_device *,
		    unsigned *retry_after, char *msg, size_t msgsz);
/*
 * The citizen's decision on a pending authorization, after checking the
 * CCCD and passcode (idp_authenticate's statuses), or STATUS_ERR_CONFLICT
 * when it was decided meanwhile.
 */
enum status	idp_decide(struct server *, const char *client,
		    const struct idp_device *, const char *cccd,
		    const char *passcode, int approve, unsigned *retry_after,
		    char *msg, size_t msgsz);

void	idp_verify_form(struct http_req *, struct http_resp *);
void	idp_verify_page(struct http_req *, struct http_resp *);
void	idp_verify_submit(struct http_req *, struct http_resp *);

#endif
