/*
 * The VNeID app's side of a login (dvc-phone login): the user code of a
 * scanned URL, who asks, and the citizen's approval with the passcode.
 */
#ifndef DVC_PHONE_LOGIN_H
#define DVC_PHONE_LOGIN_H

#include <stddef.h>

#include "phone/phone.h"

/* The user code of a scanned URL ".../d/CODE", or the code itself. */
const char	*phone_login_code_of(const char *code_or_url);
/*
 * Looks up a login request: the client's id and the user code as the
 * terminal shows it, or an exit status after a message.
 */
enum phone_exit	 phone_login_lookup(struct phone *, const char *code_or_url,
		    char *client, size_t clientsz, char *shown,
		    size_t shownsz);
/* Approves or denies the looked-up code; prints "approved CODE". */
enum phone_exit	 phone_login_decide(struct phone *, const char *shown,
		    const char *passcode, int approve);
/* Both: the login command. */
enum phone_exit	 phone_login(struct phone *, const char *code_or_url,
		    const char *passcode, int deny);

#endif
