/*
 * Measures what the portal does when a citizen asks to sign a dossier:
 * rendering the declaration (a two-page đơn đề nghị from the seed catalog,
 * with long values), drawing the signature stamp from an image (a
 * 480×160 px upload, kept at the stamp's 150 dpi as the portal keeps it:
 * pdf_stamp_picture, untimed), and pades_prepare (the incremental update,
 * the hash of the byte ranges and the signed attributes).  RUNS runs after
 * two unmeasured ones (the first loads fontconfig and the fonts); prints
 * the median, best and worst milliseconds, by the wall clock and in the
 * thread's CPU time.  Then the sizes of that declaration and of a one-page one
 * (the same form with short values), unsigned and signed (the signature
 * made with a throwaway RSA-2048 key, as the provider would, with a chain
 * of two more RSA-2048 certificates, as the demo providers give).
 * Exits 1 if any step fails, a PDF has not the pages it should, or a
 * signature does not verify with pades_verify.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "form_check.h"
#include "form_parse.h"
#include "json.h"
#include "pades.h"
#include "pdf.h"
#include "procedure_address.h"
#include "testlib.h"
#include "xmalloc.h"

#define RUNS		60
#define WARMUP		2
#define SIGNER		"Nguyễn Văn Đức"
#define WHEN		1795744800	/* 2026-11-27 09:00 in Vietnam */

static uint64_t
now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * A self-signed RSA-2048 certificate named cn with serial: DER in *der,
 * caller frees.
 */
static EVP_PKEY *
make_cert(const char *cn, long serial, unsigned char **der, size_t *len)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	unsigned char *p;
	int n;

	if (key == NULL || x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	if (X509_sign(x, key, EVP_sha256()) == 0 ||
	    (n = i2d_X509(x, NULL)) <= 0) {
		X509_free(x);
		EVP_PKEY_free(key);
		return NULL;
	}
	*der = p = xmalloc((size_t)n);
	*len = (size_t)i2d_X509(x, &p);
	X509_free(x);
	return key;
}

/*
 * A certificate of the chain's size (RSA-2048, self-signed): what a
 * provider's issuing CA or root weighs in the SignedData.  DER in *der,
 * caller frees; NULL on failure.
 */
static unsigned char *
make_chain_cert(const char *cn, long serial, unsigned char **der,
    size_t *len)
{
	EVP_PKEY *key = make_cert(cn, serial, der, len);

	if (key == NULL)
		return NULL;
	EVP_PKEY_free(key);
	return *der;
}

/* What the signer and the provider's chain are. */
struct signer {
	EVP_PKEY	*key;
	unsigned char	*der[3];	/* signer, issuing CA, root */
	size_t		 len[3];
};

/*
 * Renders, prepares, signs and finishes one declaration; prints its
 * sizes and its target.  0, or -1 saying why.
 */
static int
sign_one(const struct form *f, const cJSON *norm,
    const struct form_context *ctx, const struct pdf_stamp *st,
    const struct signer *sg, int want_pages, size_t target_kb)
{
	const void *chain[2] = { sg->der[1], sg->der[2] };
	struct pades_prepared prep;
	struct pdf_rect r;
	struct buf pdf, out;
	EVP_PKEY_CTX *kc;
	unsigned char sig[512];
	size_t sig_len = sizeof sig, br[4], cms_len;
	unsigned char *cms = NULL;
	char err[256];
	int found, rc = -1;

	buf_init(&out, 1);
	if (pdf_render_declaration(f, norm, ctx, "NGƯỜI LÀM ĐƠN", st, &pdf,
	    &r, &found, err, sizeof err) != STATUS_OK) {
		printf("FAILED to render: %s\n", err);
		return -1;
	}
	if (pades_prepare(pdf.data, pdf.len, &r, SIGNER, sg->der[0],
	    sg->len[0], chain, &sg->len[1], 2, &prep, err, sizeof err) !=
	    STATUS_OK) {
		printf("FAILED to prepare: %s\n", err);
		goto out;
	}
	if ((kc = EVP_PKEY_CTX_new(sg->key, NULL)) == NULL ||
	    EVP_PKEY_sign_init(kc) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(kc, EVP_sha256()) != 1 ||
	    EVP_PKEY_sign(kc, sig, &sig_len, prep.to_be_signed, 32) != 1 ||
	    pades_finish(&prep, sig, sig_len, sg->der[0], sg->len[0], chain,
	    &sg->len[1], 2, &out, err, sizeof err) != STATUS_OK ||
	    pades_verify(out.data, out.len, err, sizeof err) != STATUS_OK) {
		printf("FAILED to sign: %s\n", err);
		EVP_PKEY_CTX_free(kc);
		goto out;
	}
	EVP_PKEY_CTX_free(kc);
	if (!found || r.page + 1 != want_pages) {
		printf("FAILED: keyword found %d, stamp on page %d of %d\n",
		    found, r.page + 1, want_pages);
		goto out;
	}
	if (pades_last_signature(out.data, out.len, br, &cms, &cms_len, err,
	    sizeof err) != STATUS_OK) {
		printf("FAILED to read the signature: %s\n", err);
		goto out;
	}
	free(cms);
	printf("size, %d page%s: declaration %zu bytes, signed %zu bytes "
	    "(%.1f KB; /Contents reserves %zu bytes)\n", want_pages,
	    want_pages > 1 ? "s" : "", pdf.len, out.len, out.len / 1024.0,
	    (br[2] - br[1] - 2) / 2);
	printf("target signed, %d page%s, image stamp <= %zu KB: %s\n",
	    want_pages, want_pages > 1 ? "s" : "", target_kb,
	    out.len <= target_kb * 1024 ? "PASS" : "MISS");
	rc = 0;
out:
	pades_prepared_free(&prep);
	buf_free(&out);
	buf_free(&pdf);
	return rc;
}

int
main(void)
{
	struct form_addresses *addr = NULL;
	struct form *f = NULL;
	struct form_context ctx = { "Cấp bản sao trích lục hộ tịch",
	    "Ủy ban nhân dân phường Kon Tum", { 2026, 11, 27 }, NULL };
	struct pdf_stamp st = { SIGNER, WHEN, NULL, 480, 160 };
	struct signer sg;
	struct pdf_rect r;
	struct pades_prepared prep;
	struct buf pdf;
	cJSON *proc = NULL, *aj = NULL, *vals = NULL, *norm = NULL;
	cJSON *short_vals = NULL, *short_norm = NULL;
	const void *chain[2];
	double ms[RUNS], cpu[RUNS];
	char err[256];
	uint8_t *px = NULL, *picture = NULL;
	size_t i;
	int found, run, rc = 1;
	uint64_t t0, c0;

	memset(&sg, 0, sizeof sg);
	printf("== bench_pdf: render + stamp + pades_prepare of a two-page "
	    "declaration, %d runs\n", RUNS);
	if (json_load_file(test_source_path(
	    "data/catalog/procedures/1.000689.json"), 8u << 20, &proc, err,
	    sizeof err) != STATUS_OK ||
	    json_load_file(test_source_path("data/addresses.json"), 8u << 20,
	    &aj, err, sizeof err) != STATUS_OK ||
	    (addr = form_addresses_parse(aj, err, sizeof err)) == NULL ||
	    (f = form_parse(cJSON_GetObjectItem(proc, "form"), err,
	    sizeof err)) == NULL) {
		printf("cannot load the seed: %s\n", err);
		goto out;
	}
	ctx.addresses = addr;
	vals = test_pdf_values(SIGNER, 26, 20);
	short_vals = test_pdf_values(SIGNER, 1, 1);
	if (form_validate(f, addr, vals, 0, LANG_VI, NULL, &norm, NULL) !=
	    STATUS_OK || form_validate(f, addr, short_vals, 0, LANG_VI, NULL,
	    &short_norm, NULL) != STATUS_OK) {
		printf("the values do not validate\n");
		goto out;
	}
	/* a handwritten-like signature: dark strokes on transparency */
	px = xcalloc((size_t)st.image_w * st.image_h, 4);
	for (i = 0; i < (size_t)st.image_w * st.image_h; i++) {
		size_t x = i % st.image_w, y = i / st.image_w;

		if ((y + x / 4) % 53 < 4 || (x + y / 3) % 97 < 3) {
			px[4 * i + 2] = 140;
			px[4 * i + 3] = 255;
		}
	}
	/* kept at the stamp's 150 dpi when uploaded, as the portal does */
	pdf_stamp_picture(px, st.image_w, st.image_h, &picture, &st.image_w,
	    &st.image_h);
	st.image_rgba = picture;
	if ((sg.key = make_cert(SIGNER, 1, &sg.der[0], &sg.len[0])) == NULL ||
	    make_chain_cert("Demo issuing CA", 2, &sg.der[1], &sg.len[1]) ==
	    NULL ||
	    make_chain_cert("Demo root CA", 3, &sg.der[2], &sg.len[2]) ==
	    NULL) {
		printf("cannot make the signer's key\n");
		goto out;
	}
	chain[0] = sg.der[1];
	chain[1] = sg.der[2];
	for (run = -WARMUP; run < RUNS; run++) {
		t0 = now_ns(CLOCK_MONOTONIC);
		c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		if (pdf_render_declaration(f, norm, &ctx, "NGƯỜI LÀM ĐƠN", &st,
		    &pdf, &r, &found, err, sizeof err) != STATUS_OK ||
		    pades_prepare(pdf.data, pdf.len, &r, SIGNER, sg.der[0],
		    sg.len[0], chain, &sg.len[1], 2, &prep, err, sizeof err) !=
		    STATUS_OK) {
			printf("FAILED: %s\n", err);
			goto out;
		}
		if (run >= 0) {
			ms[run] = (double)(now_ns(CLOCK_MONOTONIC) - t0) / 1e6;
			cpu[run] = (double)(now_ns(CLOCK_THREAD_CPUTIME_ID) -
			    c0) / 1e6;
		}
		buf_free(&pdf);
		pades_prepared_free(&prep);
	}
	qsort(ms, RUNS, sizeof ms[0], cmp_double);
	qsort(cpu, RUNS, sizeof cpu[0], cmp_double);
	printf("prepare (render, stamp, update, hash)  median %7.2f ms  "
	    "best %7.2f ms  worst %7.2f ms\n", ms[RUNS / 2], ms[0],
	    ms[RUNS - 1]);
	printf("the same in CPU time of the thread     median %7.2f ms  "
	    "best %7.2f ms  worst %7.2f ms\n", cpu[RUNS / 2], cpu[0],
	    cpu[RUNS - 1]);
	printf("target median <= 5 ms: %s\n", ms[RUNS / 2] <= 5.0 ? "PASS" :
	    "MISS");
	printf("image stamp 480x160 px uploaded, %ux%u px kept; chain of three "
	    "RSA-2048 certificates\n", st.image_w, st.image_h);
	if (sign_one(f, short_norm, &ctx, &st, &sg, 1, 50) == -1 ||
	    sign_one(f, norm, &ctx, &st, &sg, 2, 60) == -1)
		goto out;
	rc = 0;
out:
	free(px);
	free(picture);
	EVP_PKEY_free(sg.key);
	for (i = 0; i < 3; i++)
		free(sg.der[i]);
	cJSON_Delete(vals);
	cJSON_Delete(norm);
	cJSON_Delete(short_vals);
	cJSON_Delete(short_norm);
	cJSON_Delete(proc);
	cJSON_Delete(aj);
	form_free(&f);
	form_addresses_free(&addr);
	return rc;
}
