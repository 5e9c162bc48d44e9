/*
 * Signature settings ("Cập nhật chữ ký"): the remote signatures a citizen
 * signs dossiers with.  Each names a provider and an account there, the
 * phone that confirms, the keyword that places the stamp in the
 * declaration, and optionally a stamp image.  The account is always the
 * citizen's own CCCD, from the access token.  Saving one asks the
 * provider whether the account has an active certificate.
 */
#ifndef DVC_PORTAL_SIGNATURE_H
#define DVC_PORTAL_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "http.h"
#include "status.h"

/*
 * Why a setting stored by an earlier version with an account other than
 * its owner's CCCD cannot sign: the API's invalid_reason, and the
 * refusal of a signing with it.
 */
#define PORTAL_SIGNATURE_NOT_OWN \
	"Tài khoản ký số của chữ ký này không phải số CCCD của bạn nên " \
	"không dùng để ký được; hãy xóa rồi thêm lại chữ ký."

/* The stamp image: at most this many bytes, stored as PNG. */
#define PORTAL_SIGNATURE_IMAGE_MAX	(2 * 1024 * 1024)

struct portal_signature_profile {
	int64_t	 id;
	char	 public_id[32];
	char	 owner_sub[64];
	char	*name;		/* Tên chữ ký */
	char	 phone[11];	/* Số điện thoại ký số, 0xxxxxxxxx */
	char	*keyword;	/* Từ khóa định vị vị trí */
	char	 type[16];	/* "neac" */
	char	 account[13];	/* the CCCD at the provider */
	char	 provider[64];
	int	 has_image;
	char	 cert_serial[80];
	char	*cert_subject;
	char	 cert_valid_from[32];
	char	 cert_valid_to[32];
	int64_t	 created_at;
	int64_t	 updated_at;
};

typedef void (*portal_signature_fn)(void *ctx,
	    const struct portal_signature_profile *);

void		portal_signature_clear(struct portal_signature_profile *);
/* STATUS_ERR_CONFLICT when the owner has a signature of that name. */
enum status	portal_signature_insert(struct db *,
		    const struct portal_signature_profile *, int64_t now);
enum status	portal_signature_update(struct db *,
		    const struct portal_signature_profile *, int64_t now);
enum status	portal_signature_get(struct db *, const char *public_id,
		    const char *owner_sub, struct portal_signature_profile *);
enum status	portal_signature_list(struct db *, const char *owner_sub,
		    portal_signature_fn, void *ctx);
enum status	portal_signature_delete(struct db *, int64_t id);
/* The PNG (caller frees), or STATUS_ERR_NOTFOUND when there is none. */
enum status	portal_signature_image(struct db *, int64_t id, void **png,
		    size_t *len);
/* png NULL removes it. */
enum status	portal_signature_set_image(struct db *, int64_t id,
		    const void *png, size_t len, int64_t now);

/* Routes. */
void	portal_signature_route_list(struct http_req *, struct http_resp *);
void	portal_signature_route_create(struct http_req *, struct http_resp *);
void	portal_signature_route_get(struct http_req *, struct http_resp *);
void	portal_signature_route_update(struct http_req *, struct http_resp *);
void	portal_signature_route_delete(struct http_req *, struct http_resp *);
void	portal_signature_route_get_image(struct http_req *, struct http_resp *);
void	portal_signature_route_put_image(struct http_req *, struct http_resp *);
void	portal_signature_route_delete_image(struct http_req *,
	    struct http_resp *);

#endif
