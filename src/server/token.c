/*
 * Random tokens from OpenSSL's generator, and their digests.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "jwt.h"
#include "token.h"
#include "xmalloc.h"

char *
token_random(size_t nbytes)
{
	unsigned char raw[64];
	char *s;

	if (nbytes == 0 || nbytes > sizeof raw)
		return NULL;
	/*
	 * Drawn again while it starts with '-' (the top 6 bits all ones), so
	 * that an id given to a command line is never read as an option.
	 */
	do {
		if (RAND_bytes(raw, (int)nbytes) != 1)
			return NULL;
	} while ((raw[0] >> 2) == 62);
	s = jwt_b64url_encode(raw, nbytes);
	OPENSSL_cleanse(raw, sizeof raw);
	return s;
}

/* n characters drawn uniformly from alphabet, by rejection. */
static enum status
draw(char *out, size_t n, const char *alphabet)
{
	size_t k = strlen(alphabet), i = 0;
	unsigned limit = 256 - 256 % (unsigned)k;
	unsigned char b[32];
	size_t j;

	while (i < n) {
		if (RAND_bytes(b, sizeof b) != 1)
			return STATUS_ERR_CRYPTO;
		for (j = 0; j < sizeof b && i < n; j++)
			if (b[j] < limit)
				out[i++] = alphabet[b[j] % k];
	}
	out[n] = '\0';
	return STATUS_OK;
}

enum status
token_digits(char *out, size_t n)
{
	return draw(out, n, "0123456789");
}

enum status
token_user_code(char out[9])
{
	return draw(out, 8, TOKEN_USER_CODE_ALPHABET);
}

void
token_user_code_display(const char *code, char out[10])
{
	snprintf(out, 10, "%.4s-%.4s", code, strlen(code) > 4 ? code + 4 : "");
}

void
token_digest(const char *s, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	size_t i;

	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
