/*
 * Levelled logging to a file or stderr, one line per call, with a time stamp.
 * Every line passes through log_redact() first, so that a token, PIN,
 * passcode, password or key that slips into a message is never written.
 * Safe to call from several threads.
 *
 * What identifies a citizen or opens something of theirs never goes into a
 * line whole: a CCCD is written masked (log_cccd), and an identifier (a
 * dossier, signing or transaction id, a user code, a dossier code) as its
 * tag (log_tag), an HMAC under a key of the server's, which an operator
 * who knows the identifier can compute again (dvc-server log-id) but a
 * reader of the log cannot reverse.
 */
#ifndef DVC_LOG_H
#define DVC_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG_OFF
};

/* Logs to fp (not closed by log_close when it is stderr). */
void	log_open_stream(FILE *, enum log_level);
/*
 * Appends to path, made mode 0600 when it does not exist; returns -1 with
 * errno set on failure.
 */
int	log_open_path(const char *, enum log_level);
void	log_close(void);
/* Parses "debug", "info", "warn", "error" or "off"; -1 if unknown. */
int	log_level_parse(const char *);
int	log_enabled(enum log_level);

void	log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)

/* The room log_tag and log_cccd write into, the NUL included. */
#define LOG_TAG_LEN	9
#define LOG_CCCD_LEN	13

/*
 * Sets the key of log_tag (len bytes, copied).  Until it is set, tags use
 * a random key of the process's own, so they match within a run only.
 */
void		 log_tag_key(const uint8_t *key, size_t len);
/*
 * The tag of an identifier: the first 8 hex digits of HMAC-SHA256 of id
 * under the tag key, into out, which it returns.
 */
const char	*log_tag(const char *id, char out[LOG_TAG_LEN]);
/*
 * A CCCD as a line may show it: its first and last three digits, the six
 * between starred ("062******158"); anything not 12 digits is starred
 * whole (at most 12 stars).  Into out, which it returns.
 */
const char	*log_cccd(const char *cccd, char out[LOG_CCCD_LEN]);

/*
 * Replaces secrets in s, in place, with "[redacted]" where it fits or
 * with '*' otherwise: the value after a key whose name ends in token,
 * password, passcode, secret, pin, otp, private_key, api_key,
 * device_code, activation_code, authorization, cookie, user_code or
 * tran_code, in key=value, "key":"value" and "key:
 * value" forms; the credential after "Bearer " or "Basic "; anything
 * shaped like a JWT; and the middle six digits of any run of exactly 12
 * digits, which may be a CCCD, as log_cccd does.  The result is never
 * longer than s.
 */
void	log_redact(char *s);

#endif
