/*
 * Levelled logging to a file or stderr, one line per call, with a time stamp.
 * Every line passes through log_redact() first, so that a token, PIN,
 * passcode, password or key that slips into a message is never written.
 * Safe to call from several threads.
 */
#ifndef DVC_LOG_H
#define DVC_LOG_H

#include <stddef.h>
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

/*
 * Replaces secrets in s, in place, with "[redacted]" where it fits or
 * with '*' otherwise: the value after a key whose name ends in token,
 * password, passcode, secret, pin, otp, private_key, api_key,
 * device_code, activation_code, authorization or cookie, in key=value, "key":"value" and
 * "key: value" forms; the credential after "Bearer " or "Basic "; and
 * anything shaped like a JWT.  The result is never longer than s.
 */
void	log_redact(char *s);

#endif
