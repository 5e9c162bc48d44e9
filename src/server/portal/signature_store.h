/*
 * The portal's signature settings ("Cập nhật chữ ký") and its statements
 * on them.  As with dossiers, every lookup is by public id and owner
 * together.
 */
#ifndef DVC_PORTAL_SIGNATURE_STORE_H
#define DVC_PORTAL_SIGNATURE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "status.h"

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

#endif
