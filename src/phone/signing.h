/*
 * The signing app (dvc-phone activate, requests, confirm, reject): its
 * saved device, and a request as the phone shows it.
 */
#ifndef DVC_PHONE_SIGNING_H
#define DVC_PHONE_SIGNING_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "phone/phone.h"
#include "phone/phone_device.h"
#include "status.h"

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

#endif
