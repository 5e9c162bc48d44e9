/*
 * The signing app's device key on the citizen's phone, as
 * docs/signing-protocol.md ("The phone's app API") has it: an EC P-256
 * key made on the phone, activated once at a server with the one-time
 * activation code, then used to sign every later call with the four
 * X-Device-* headers.  dvc-phone and the tests share it, so the request
 * signing exists once.
 *
 * A device remembers the offset between the server's clock and its own:
 * when the server answers 401 device_unauthorized with a server_time far
 * from the local time, phone_device_call() takes that offset and retries
 * once, as the protocol lets a phone with a wrong clock do.
 */
#ifndef DVC_PHONE_DEVICE_H
#define DVC_PHONE_DEVICE_H

#include <stddef.h>
#include <time.h>

#include "httpc.h"
#include "status.h"

#define PHONE_DEVICE_ID_MAX	64	/* the server's ids have 1-47 chars */

struct phone_device;

/* The four headers of one signed call, "Name: value". */
struct phone_device_headers {
	char	id[16 + PHONE_DEVICE_ID_MAX];
	char	time[40];
	char	nonce[96];
	char	signature[160];
};

/*
 * A device with a fresh P-256 key and no id yet; caller frees.
 * STATUS_ERR_CRYPTO, with err, when OpenSSL fails.
 */
enum status	 phone_device_new(struct phone_device **out, char *err,
		    size_t errsz);
/*
 * A device from what phone_device_key_pem() and phone_device_id() gave:
 * STATUS_ERR_INVALID, with err, for a key that is not a P-256 private key
 * or an id that is empty or too long.
 */
enum status	 phone_device_load(const char *device_id, const char *key_pem,
		    struct phone_device **out, char *err, size_t errsz);
void		 phone_device_free(struct phone_device **);

/* The id the server gave at activation; "" before.  Owned by the device. */
const char	*phone_device_id(const struct phone_device *);
/* The private key (PKCS#8 PEM) and the public one (SPKI); caller frees. */
char		*phone_device_key_pem(const struct phone_device *);
char		*phone_device_public_pem(const struct phone_device *);

/*
 * POST {server}/ca/app/activate with the public key.  On 201 the device
 * takes the id of the answer.  An HTTP error is STATUS_OK with the status
 * in resp; resp is initialised here and the caller frees it either way.
 */
enum status	 phone_device_activate(struct phone_device *, struct httpc *,
		    const char *server, const char *cccd, const char *code,
		    const char *device_name, struct httpc_response *resp);

/*
 * Fills the headers for method and path (without the query) over body
 * (len bytes; NULL for none) at the Unix time t, with nonce (base64url,
 * 16-64 characters) or a fresh one when NULL.  STATUS_ERR_INVALID when the
 * device has no id or the nonce does not fit, STATUS_ERR_CRYPTO when
 * signing fails.
 */
enum status	 phone_device_sign(const struct phone_device *,
		    const char *method, const char *path, const void *body,
		    size_t len, time_t t, const char *nonce,
		    struct phone_device_headers *);

/* A signed request, ready for httpc_do() or httpc_multi_start(). */
struct phone_device_request {
	struct httpc_request		req;
	struct phone_device_headers	hd;
	const char			*headers[5];	/* into hd */
	char				*url;
};

/*
 * Prepares a signed call to {server}{path}[?query]: body (JSON text, may
 * be NULL) goes as application/json; timeout_ms 0 is the handle's.  The
 * request points into itself and into body: do not copy it, keep body
 * until it is sent, and free it with phone_device_request_free() (also
 * after a failure).
 */
enum status	 phone_device_prepare(struct phone_device *, const char *method,
		    const char *server, const char *path, const char *query,
		    const char *body, long timeout_ms,
		    struct phone_device_request *);
void		 phone_device_request_free(struct phone_device_request *);
/*
 * Learns the server's clock from an answer: 1 when it is a 401
 * device_unauthorized whose server_time shows the device's clock was off
 * (the offset is then taken, and the call is worth sending again), else 0.
 */
int		 phone_device_clock_check(struct phone_device *,
		    const struct httpc_response *);

/*
 * A signed call, prepared and sent; sent again once if
 * phone_device_clock_check() says so.  Return and resp as
 * phone_device_activate's.
 */
enum status	 phone_device_call(struct phone_device *, struct httpc *,
		    const char *method, const char *server, const char *path,
		    const char *query, const char *body, long timeout_ms,
		    struct httpc_response *resp);

#endif
