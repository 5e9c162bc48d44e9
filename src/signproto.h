/*
 * The values both screens of a remote signature show, as
 * docs/signing-protocol.md pins them: the 4-digit control code of a digest
 * or a batch of digests, and the short codes (doc_id, tran_code) made of
 * 8 characters from an alphabet without look-alikes, shown XXXX-XXXX.
 * Pure functions; the portal, the providers, the phone and the client
 * share them.
 */
#ifndef DVC_SIGNPROTO_H
#define DVC_SIGNPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* No 0/O, 1/I/L or U: 30 characters. */
#define SIGNPROTO_ALPHABET	"23456789ABCDEFGHJKMNPQRSTVWXYZ"
#define SIGNPROTO_CODE_LEN	8

/* int(SHA256(digest)[-2:]) mod 10000 over a raw 32-byte digest. */
unsigned	 signproto_control_code(const uint8_t digest[32]);
/*
 * The digest a batch's control code is taken over: SHA-256 of the n
 * digests concatenated in order; for n == 1 the digest itself.
 */
void		 signproto_batch_digest(const uint8_t (*digests)[32], size_t n,
		    uint8_t out[32]);
/* The control code printed as 4 digits. */
void		 signproto_control_text(unsigned code, char out[5]);

/* A fresh random code: 8 characters of the alphabet and a NUL. */
enum status	 signproto_code_new(char out[SIGNPROTO_CODE_LEN + 1]);
/*
 * A code as a person typed it (any case, dashes and spaces anywhere) to
 * its 8 upper-case characters; STATUS_ERR_INVALID, with out "", otherwise.
 */
enum status	 signproto_code_parse(const char *typed,
		    char out[SIGNPROTO_CODE_LEN + 1]);
/* "K7M2P9QX" as shown: "K7M2-P9QX". */
void		 signproto_code_display(const char *code,
		    char out[SIGNPROTO_CODE_LEN + 2]);

/*
 * Decodes 64 hex digits (either case) into 32 bytes; STATUS_ERR_INVALID
 * for anything else.
 */
enum status	 signproto_hex_digest(const char *hex, uint8_t out[32]);

#endif
