/*
 * Secrets handed to clients: random tokens, their stored digests, and the
 * short user codes of RFC 8628.
 */
#ifndef DVC_TOKEN_H
#define DVC_TOKEN_H

#include <stddef.h>

#include "status.h"

/* The base-20 alphabet of RFC 8628 §6.1: no vowels, no digits. */
#define TOKEN_USER_CODE_ALPHABET "BCDFGHJKLMNPQRSTVWXZ"

/*
 * nbytes (1 to 64) of randomness as base64url without padding, never
 * starting with '-' (an id on a command line is not an option); caller
 * frees.
 */
char		*token_random(size_t nbytes);
/* Fills out with n random digits and a NUL (out holds n + 1). */
enum status	 token_digits(char *out, size_t n);
/* 8 letters of the base-20 alphabet and a NUL. */
enum status	 token_user_code(char out[9]);
/* "WDJBMJHT" as people read it: "WDJB-MJHT". */
void		 token_user_code_display(const char *code, char out[10]);
/* The lower-case hex SHA-256 of s, as stored in place of a token. */
void		 token_digest(const char *s, char out[65]);

#endif
