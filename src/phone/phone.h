/*
 * What dvc-phone's parts share: the exit statuses and the phone every
 * command works with.  The parts are the VNeID app's login approval
 * (login.h), the signing app's saved device keys (keyfile.h), its
 * commands (signing.h) and the interactive mode that does both
 * (interactive.h); main.c reads the options and calls them.  Every
 * command returns an exit status from PHONE_EXIT_INFO, prints its one
 * line of result on stdout and its messages on stderr, in Vietnamese or,
 * with DVC_LANG=en, in English.
 */
#ifndef DVC_PHONE_PHONE_H
#define DVC_PHONE_PHONE_H

#include "httpc.h"
#include "status.h"

/* The exit statuses, as usage_text and dvc-phone(1) list them. */
#define PHONE_EXIT_INFO(X) \
	X(OK,            0, "done") \
	X(FAILURE,       1, "failure: no answer, or a wrong one") \
	X(USAGE,         2, "usage error") \
	X(WRONG_SECRET,  3, "wrong CCCD, passcode, activation code or PIN") \
	X(LOCKED,        4, "locked after too many tries") \
	X(UNKNOWN,       5, "unknown, expired or already decided code or request") \
	X(NOT_ACTIVATED, 6, "the signing app is not activated")

#define PHONE_EXIT_ENUM(name, value, text) PHONE_EXIT_##name = value,
enum phone_exit {
	PHONE_EXIT_INFO(PHONE_EXIT_ENUM)
};
#undef PHONE_EXIT_ENUM

/* What every command works with. */
struct phone {
	const char	*server;	/* no trailing slash */
	const char	*cccd;		/* NULL when not given */
	enum lang	 lang;
	struct httpc	*http;
	/* How its handles are made: --ca-file, the language's words. */
	struct httpc_config http_config;
};

/* The message in the phone's language. */
#define PHONE_T(ph, vi, en)	((ph)->lang == LANG_EN ? (en) : (vi))

#endif
