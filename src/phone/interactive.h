/*
 * dvc-phone's interactive mode: logins and signing requests as they
 * come, answered line by line.
 */
#ifndef DVC_PHONE_INTERACTIVE_H
#define DVC_PHONE_INTERACTIVE_H

#include "phone/phone.h"

/*
 * Reads lines from standard input until "q" or its end, while it shows
 * signing requests as they come; passcode (may be NULL: asked for) is
 * the VNeID passcode for logins.
 */
enum phone_exit	 phone_interactive(struct phone *, const char *passcode);

#endif
