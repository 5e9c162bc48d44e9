/*
 * libFuzzer target: the request bodies of the phone apps, the VNeID
 * app's on the idp (src/server/idp/phone.c) and the signing app's on the
 * ca role (src/server/ca/phone.c), sent to the target's own dvc-server
 * (serve.h); the signing app's are signed with its activated device key,
 * as dvc-phone signs them, so that the body is read past the signature.
 * The first byte chooses the route (modulo their number); the rest is
 * the JSON body, with serve.h's names filled in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "serve.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct {
	const char	*path;
	int		 device;
} routes[] = {
	{ "/idp/app/device", 0 },
	{ "/idp/app/device/decision", 0 },
	{ "/ca/app/activate", 0 },
	{ "/ca/app/requests/%s/confirm", 1 },
	{ "/ca/app/requests/%s/reject", 1 },
};

#define NROUTES	(sizeof routes / sizeof routes[0])

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char path[256];
	size_t r;

	if (len == 0)
		return 0;
	fuzz_serve_start();
	r = data[0] % NROUTES;
	snprintf(path, sizeof path, routes[r].path, fuzz_serve_tran_code());
	(void)fuzz_serve_send("POST", path, 0, data + 1, len - 1,
	    routes[r].device);
	return 0;
}
