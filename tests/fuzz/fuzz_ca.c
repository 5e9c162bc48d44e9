/*
 * libFuzzer target: the request bodies of the providers' CA API
 * (src/server/ca/sp.c, QĐ 769), sent to the target's own dvc-server
 * (serve.h).  The first byte chooses the route (its two low bits) and
 * the provider (the next bits, modulo their number); the rest is the
 * JSON body, with serve.h's names filled in.  The status and cancel
 * routes name the transaction that waits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "serve.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const routes[] = {
		"credentials/get_certificate",
		"signatures/sign",
		"signatures/sign/%s/status",
		"signatures/sign/%s/cancel",
	};
	char route[128], path[256];
	int provider;

	if (len == 0)
		return 0;
	fuzz_serve_start();
	provider = (data[0] >> 2) % FUZZ_PROVIDERS;
	snprintf(route, sizeof route, routes[data[0] & 3],
	    fuzz_serve_tran_code());
	snprintf(path, sizeof path, "/ca/%s/v1/%s", fuzz_providers[provider],
	    route);
	(void)fuzz_serve_send("POST", path, provider, data + 1, len - 1, 0);
	return 0;
}
