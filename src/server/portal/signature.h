/*
 * Signature settings ("Cập nhật chữ ký"): the remote signatures a citizen
 * signs dossiers with.  Each names a provider and an account there, the
 * phone that confirms, the keyword that places the stamp in the
 * declaration, and optionally a stamp image.  The account is always the
 * citizen's own CCCD, from the access token.  Saving one asks the
 * provider whether the account has an active certificate.  These are
 * the routes (/api/v1/signatures); the store is signature_store.h.
 */
#ifndef DVC_PORTAL_SIGNATURE_H
#define DVC_PORTAL_SIGNATURE_H

#include "http.h"

/*
 * Why a setting stored by an earlier version with an account other than
 * its owner's CCCD cannot sign: the API's invalid_reason, and the
 * refusal of a signing with it.
 */
#define PORTAL_SIGNATURE_NOT_OWN \
	"Tài khoản ký số của chữ ký này không phải số CCCD của bạn nên " \
	"không dùng để ký được; hãy xóa rồi thêm lại chữ ký."
#define PORTAL_SIGNATURE_NOT_OWN_EN \
	"This signature's signing account is not your CCCD number, so it " \
	"cannot sign; delete it and add it again."

/* The stamp image: at most this many bytes, stored as PNG. */
#define PORTAL_SIGNATURE_IMAGE_MAX	(2 * 1024 * 1024)

void	portal_signature_route_list(struct http_req *, struct http_resp *);
void	portal_signature_route_create(struct http_req *, struct http_resp *);
void	portal_signature_route_get(struct http_req *, struct http_resp *);
void	portal_signature_route_update(struct http_req *, struct http_resp *);
void	portal_signature_route_delete(struct http_req *, struct http_resp *);
void	portal_signature_route_get_image(struct http_req *,
	    struct http_resp *);
void	portal_signature_route_put_image(struct http_req *,
	    struct http_resp *);
void	portal_signature_route_delete_image(struct http_req *,
	    struct http_resp *);

#endif
