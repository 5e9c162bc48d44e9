/*
 * Control codes and short codes of the signing protocol.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "signproto.h"

unsigned
signproto_control_code(const uint8_t digest[32])
{
	uint8_t h[32];

	EVP_Digest(digest, 32, h, NULL, EVP_sha256(), NULL);
	return (((unsigned)h[30] << 8) | h[31]) % 10000;
}

void
signproto_batch_digest(const uint8_t (*digests)[32], size_t n,
    uint8_t out[32])
{
	EVP_MD_CTX *ctx;
	size_t i;

	if (n == 1) {
		memcpy(out, digests[0], 32);
		return;
	}
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; i < n; i++)
		EVP_DigestUpdate(ctx, digests[i], 32);
	EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
}

void
signproto_control_text(unsigned code, char out[5])
{
	code %= 10000;
	out[0] = (char)('0' + code / 1000);
	out[1] = (char)('0' + code / 100 % 10);
	out[2] = (char)('0' + code / 10 % 10);
	out[3] = (char)('0' + code % 10);
	out[4] = '\0';
}

enum status
signproto_code_new(char out[SIGNPROTO_CODE_LEN + 1])
{
	const size_t n = sizeof SIGNPROTO_ALPHABET - 1;
	unsigned char r;
	size_t i = 0;

	while (i < SIGNPROTO_CODE_LEN) {
		if (RAND_bytes(&r, 1) != 1) {
			out[0] = '\0';
			return STATUS_ERR_CRYPTO;
		}
		/* Rejection sampling keeps the characters uniform. */
		if (r >= 256 - 256 % n)
			continue;
		out[i++] = SIGNPROTO_ALPHABET[r % n];
	}
	out[i] = '\0';
	return STATUS_OK;
}

enum status
signproto_code_parse(const char *typed, char out[SIGNPROTO_CODE_LEN + 1])
{
	size_t n = 0;
	char c;

	out[0] = '\0';
	if (typed == NULL)
		return STATUS_ERR_INVALID;
	for (; *typed != '\0'; typed++) {
		c = *typed;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == '\0' || strchr(SIGNPROTO_ALPHABET, c) == NULL ||
		    n == SIGNPROTO_CODE_LEN) {
			out[0] = '\0';
			return STATUS_ERR_INVALID;
		}
		out[n++] = c;
	}
	if (n != SIGNPROTO_CODE_LEN) {
		out[0] = '\0';
		return STATUS_ERR_INVALID;
	}
	out[n] = '\0';
	return STATUS_OK;
}

void
signproto_code_display(const char *code, char out[SIGNPROTO_CODE_LEN + 2])
{
	memcpy(out, code, 4);
	out[4] = '-';
	memcpy(out + 5, code + 4, 4);
	out[9] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum status
signproto_hex_digest(const char *hex, uint8_t out[32])
{
	int hi, lo;
	size_t i;

	if (hex == NULL || strlen(hex) != 64)
		return STATUS_ERR_INVALID;
	for (i = 0; i < 32; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return STATUS_ERR_INVALID;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return STATUS_OK;
}
