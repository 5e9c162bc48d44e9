/*
 * A role's secrets at rest.  Each role that keeps private keys (the ca,
 * the idp) has a secret file in the data folder: 32 random bytes in
 * base64url, mode 0600.  At start HKDF-SHA256 derives from it a
 * key-sealing key and an HMAC key; a check value in the role's database
 * tells another secret from the right one, so that a start with the wrong
 * file fails instead of producing keys no one can open.
 *
 * What the role keeps secret in its database is sealed with AES-256-GCM
 * under the sealing key, with a random nonce, and bound by the associated
 * data to the row it belongs to ("authority|vnpt-smartca",
 * "signing_key|KID"), so that a sealed value moved to another row does not
 * open:
 *
 *	"v1." base64(nonce[12] | ciphertext | tag[16])
 *
 * No SQL here apart from the check value in the database's meta table.
 */
#ifndef DVC_SEAL_H
#define DVC_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define SEAL_KEY_LEN	32

struct db;

/* The keys derived from a role's secret file. */
struct seal_keys {
	uint8_t	kek[SEAL_KEY_LEN];	/* seals what the role keeps secret */
	uint8_t	mac[SEAL_KEY_LEN];	/* HMACs of passwords and codes */
};

/*
 * Reads dir/file and derives the role's keys with the labels "dvc ROLE
 * key sealing v1" and "dvc ROLE mac v1", then checks the check value
 * "secret_check" of db, storing it at the first start.  The file is made
 * when it is absent and db has no check value yet; a file group or others
 * may read, one that is damaged, missing while db was sealed with it, or
 * another secret than db's is refused with a message in err naming it
 * ("ROLE: ...").  0 or -1.
 */
int		 seal_keys_load(struct db *, const char *dir, const char *file,
		    const char *role, struct seal_keys *out, char *err,
		    size_t errsz);
/*
 * The secret of dir/file into secret: 0; 1 when the file does not exist
 * and make is 0; otherwise, made now when make is set (mode 0600).  -1
 * with a message in err.
 */
int		 seal_secret_file(const char *dir, const char *file, int make,
		    uint8_t secret[SEAL_KEY_LEN], char *err, size_t errsz);

/* HKDF-SHA256 of secret with info as the label. */
enum status	 seal_derive(const uint8_t *secret, size_t len,
		    const char *info, uint8_t out[SEAL_KEY_LEN]);
/* Lower-case hex HMAC-SHA256 of msg under key. */
void		 seal_mac_hex(const uint8_t key[SEAL_KEY_LEN], const char *msg,
		    char out[65]);

/* Seals len bytes of data under kek, bound to aad; *out: caller frees. */
enum status	 seal_bytes(const uint8_t kek[SEAL_KEY_LEN], const void *data,
		    size_t len, const char *aad, char **out);
/*
 * Opens what seal_bytes sealed into *out (len bytes and a NUL after them;
 * caller frees with seal_free) and *len.  STATUS_ERR_INVALID when sealed
 * is not in the sealed form, STATUS_ERR_CRYPTO when the key, the tag or
 * aad does not match.
 */
enum status	 seal_open(const uint8_t kek[SEAL_KEY_LEN], const char *sealed,
		    const char *aad, uint8_t **out, size_t *len);
/* Wipes and frees what seal_open gave; NULL is a no-op. */
void		 seal_free(uint8_t *, size_t len);
/* Is s in the sealed form (and not, say, an older value kept clear)? */
int		 seal_is_sealed(const char *s);

#endif
