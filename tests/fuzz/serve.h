/*
 * The fuzz targets' own dvc-server, in their process so that libFuzzer
 * sees what its handlers reach: every role on 127.0.0.1, port 0, a data
 * folder of its own with demo citizens, the rates and lock-outs raised
 * so that a run of hostile requests is read, not turned away.  Set up
 * once: a demo citizen's device login waiting, its phone activated and a
 * signing transaction waiting for it.
 *
 * Inputs name the secrets of this folder by names that are filled in
 * before a request is sent: @SP_PASSWORD@ (the provider's of the path),
 * @CCCD@, @PASSCODE@, @PIN@ and @ACTIVATION_CODE@ (the demo citizen's),
 * @USER_CODE@ (the waiting login's) and @TRAN_CODE@ (the waiting
 * transaction's).  tests/lib/seed.c writes the tests' bodies with the
 * same names.
 */
#ifndef DVC_FUZZ_SERVE_H
#define DVC_FUZZ_SERVE_H

#include <stddef.h>
#include <stdint.h>

/* The providers of the default configuration, in its order. */
#define FUZZ_PROVIDERS	3
extern const char *const fuzz_providers[FUZZ_PROVIDERS];

/* Starts the server and its waiting login and transaction; aborts. */
void		 fuzz_serve_start(void);
/* The waiting transaction's tran_code. */
const char	*fuzz_serve_tran_code(void);
/*
 * Sends body, its names filled in, as application/json to path with
 * method; signed with the phone's device key when device is set.  The
 * HTTP status, 0 when no answer came.
 */
long		 fuzz_serve_send(const char *method, const char *path,
		    int provider, const uint8_t *body, size_t len,
		    int device);

#endif
