/*
 * dvc-phone's parts: the VNeID app's login approval (login.c), the
 * signing app's saved device keys (keyfile.c), its commands (signing.c)
 * and the interactive mode that does both (interactive.c).  main.c reads
 * the options and calls them.  Every command returns an exit status from
 * PHONE_EXIT_INFO, prints its one line of result on stdout and its
 * messages on stderr, in Vietnamese or, with DVC_LANG=en, in English.
 */
#ifndef DVC_PHONE_PHONE_H
#define DVC_PHONE_PHONE_H

#include <stddef.h>

#include "buf.h"
#include "httpc.h"
#include "phone/phone_device.h"
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
};

/* The message in the phone's language. */
#define PHONE_T(ph, vi, en)	((ph)->lang == LANG_EN ? (en) : (vi))

/* ---- login.c: the VNeID app ---- */

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

/* ---- keyfile.c: the device key kept for (server, CCCD) ---- */

/*
 * $XDG_DATA_HOME/dvc-phone (or ~/.local/share/dvc-phone)/CCCD-HASH.json,
 * where HASH is taken over the server's URL; caller frees.  NULL when
 * neither variable is set or cccd is not digits.
 */
char		*phone_keyfile_path(const char *server, const char *cccd);
/*
 * Makes the folder (mode 0700) if need be and checks that a file can be
 * written there; 0, or -1 with err.
 */
int		 phone_keyfile_prepare(const char *server, const char *cccd,
		    char *err, size_t errsz);
/* Writes the file (0600) through a temporary file and rename; 0 or -1. */
int		 phone_keyfile_save(const char *server, const char *cccd,
		    const struct phone_device *, char *err, size_t errsz);
/*
 * The saved device: STATUS_OK, STATUS_ERR_NOTFOUND when there is no
 * file, or another status with err for a damaged one.
 */
enum status	 phone_keyfile_load(const char *server, const char *cccd,
		    struct phone_device **out, char *err, size_t errsz);

/* ---- signing.c: the signing app ---- */

enum phone_exit	 phone_activate(struct phone *, const char *code);
enum phone_exit	 phone_requests(struct phone *, const char *provider);
enum phone_exit	 phone_confirm(struct phone *, const char *id,
		    const char *pin);
enum phone_exit	 phone_reject(struct phone *, const char *id);

/*
 * The saved device of ph's citizen, or NULL after the message that says
 * to activate (*exit_status PHONE_EXIT_NOT_ACTIVATED) or what is wrong.
 */
struct phone_device *phone_saved_device(struct phone *,
		    enum phone_exit *exit_status);
/*
 * Appends text from the server with its control characters (C0, DEL,
 * C1) made spaces, so that it cannot drive the terminal; and a doc_id as
 * shown (XXXX-XXXX when it is a code).  Like buf_add, free on failure.
 */
enum status	 phone_buf_add_clean(struct buf *, const char *text);
enum status	 phone_buf_add_doc_id(struct buf *, const char *doc_id);
/*
 * Appends a request's documents, their count first, each by its doc_id
 * and title: "3 tài liệu: AB12-CD34 Tờ khai …; …" on one line, or with
 * lines set "Tài liệu (3):" and one numbered line each.
 */
enum status	 phone_buf_add_docs(struct phone *, struct buf *,
		    const cJSON *request, int lines);
/* A request as one line, the id first, with a newline; caller frees. */
char		*phone_request_line(struct phone *, const cJSON *request);
/* "còn 4 phút", "đã ký", ... for a request; static storage. */
const char	*phone_request_state_text(struct phone *,
		    const cJSON *request);
/*
 * Confirms (pin not NULL) or rejects request id (8 characters) with the
 * device; prints the result line and the message.  *tries_left, when not
 * NULL, is set for a wrong PIN (else -1).
 */
enum phone_exit	 phone_decide(struct phone *, struct phone_device *,
		    const char *id, const char *pin, int *tries_left);

/* ---- interactive.c ---- */

/*
 * Reads lines from standard input until "q" or its end, while it shows
 * signing requests as they come; passcode (may be NULL: asked for) is
 * the VNeID passcode for logins.
 */
enum phone_exit	 phone_interactive(struct phone *, const char *passcode);

#endif
