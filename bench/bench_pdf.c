/*
 * Measures what the portal does when a citizen asks to sign a dossier:
 * rendering the declaration (a two-page đơn đề nghị from the seed catalog,
 * with long values), drawing the signature stamp from an image, and
 * pades_prepare (the incremental update, the hash of the byte ranges and
 * the signed attributes).  60 runs after two unmeasured ones (the first
 * loads fontconfig and the fonts); prints the median, best and worst
 * milliseconds and the size of the declaration, prepared and signed (the
 * signature made with a throwaway RSA-2048 key, as the provider would).
 * Exits 1 if any step fails, the PDF has not two pages, or the signature
 * does not verify with pades_verify.
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
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A self-signed RSA-2048 certificate: DER in *der, caller frees. */
static EVP_PKEY *
make_signer(unsigned char **der, size_t *len)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	unsigned char *p;
	int n;

	if (key == NULL || x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_UTF8, (const unsigned char *)SIGNER, -1, -1, 0);
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

int
main(void)
{
	struct form_addresses *addr = NULL;
	struct form *f = NULL;
	struct form_context ctx = { "Cấp bản sao trích lục hộ tịch",
	    "Ủy ban nhân dân phường Kon Tum", { 2026, 11, 27 }, NULL };
	struct pdf_stamp st = { SIGNER, WHEN, NULL, 480, 160 };
	struct pdf_rect r;
	struct pades_prepared prep;
	struct buf v, pdf, signed_pdf;
	cJSON *proc = NULL, *aj = NULL, *vals = NULL, *norm = NULL;
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *kc = NULL;
	unsigned char *cert = NULL, sig[512];
	size_t cert_len = 0, sig_len = sizeof sig, i, pdf_len = 0;
	double ms[RUNS];
	char err[256];
	uint8_t *px;
	int found, run, pages = 0, rc = 1;
	uint64_t t0;

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
	buf_init(&v, 1 << 20);
	buf_addstr(&v, "{\"nyc_ho_ten\": \"" SIGNER "\", \"nyc_ngay_sinh\":"
	    " \"1985-03-12\", \"nyc_gioi_tinh\": \"male\", \"nyc_cccd\": "
	    "\"062085000001\", \"nyc_dien_thoai\": \"0912345678\", "
	    "\"nyc_dia_chi\": {\"province_code\": \"51\", \"ward_code\": "
	    "\"23293\", \"street\": \"45 Bà Triệu\"}, \"noi_dung\": \"");
	for (i = 0; i < 26; i++)
		buf_printf(&v, "Đoạn %zu: đề nghị xem xét, giải quyết việc cấp "
		    "lại giấy tờ bị mất; ", i + 1);
	buf_addstr(&v, "hết.\", \"ghi_chu\": \"");
	for (i = 0; i < 20; i++)
		buf_printf(&v, "Ghi chú %zu: liên hệ qua số điện thoại trên. ",
		    i + 1);
	buf_addstr(&v, "\"}");
	vals = cJSON_Parse(buf_str(&v));
	buf_free(&v);
	if (form_validate(f, addr, vals, 0, LANG_VI, NULL, &norm, NULL) !=
	    STATUS_OK) {
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
	st.image_rgba = px;
	if ((key = make_signer(&cert, &cert_len)) == NULL) {
		printf("cannot make the signer's key\n");
		goto out;
	}
	for (run = -WARMUP; run < RUNS; run++) {
		t0 = now_ns();
		if (pdf_render_declaration(f, norm, &ctx, "NGƯỜI LÀM ĐƠN", &st,
		    &pdf, &r, &found, err, sizeof err) != STATUS_OK ||
		    pades_prepare(pdf.data, pdf.len, &r, SIGNER, cert, cert_len,
		    &prep, err, sizeof err) != STATUS_OK) {
			printf("FAILED: %s\n", err);
			goto out;
		}
		if (run >= 0)
			ms[run] = (double)(now_ns() - t0) / 1e6;
		pages = r.page + 1;
		pdf_len = pdf.len;
		buf_free(&pdf);
		if (run < RUNS - 1)
			pades_prepared_free(&prep);
	}
	if (!found || pages != 2) {
		printf("FAILED: keyword found %d, stamp on page %d of 2\n",
		    found, pages);
		goto out;
	}
	qsort(ms, RUNS, sizeof ms[0], cmp_double);
	printf("prepare (render, stamp, update, hash)  median %7.2f ms  "
	    "best %7.2f ms  worst %7.2f ms\n", ms[RUNS / 2], ms[0],
	    ms[RUNS - 1]);
	/* the provider's part, then the signed size */
	if ((kc = EVP_PKEY_CTX_new(key, NULL)) == NULL ||
	    EVP_PKEY_sign_init(kc) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(kc, EVP_sha256()) != 1 ||
	    EVP_PKEY_sign(kc, sig, &sig_len, prep.to_be_signed, 32) != 1 ||
	    pades_finish(&prep, sig, sig_len, cert, cert_len, NULL, NULL, 0,
	    &signed_pdf, err, sizeof err) != STATUS_OK) {
		printf("FAILED to finish: %s\n", err);
		pades_prepared_free(&prep);
		goto out;
	}
	if (pades_verify(signed_pdf.data, signed_pdf.len, err, sizeof err) !=
	    STATUS_OK) {
		printf("FAILED to verify: %s\n", err);
		buf_free(&signed_pdf);
		pades_prepared_free(&prep);
		goto out;
	}
	printf("size: declaration %zu bytes, signed %zu bytes (%.1f KB; "
	    "/Contents reserves %u bytes), image stamp %ux%u px\n", pdf_len,
	    signed_pdf.len, signed_pdf.len / 1024.0, PADES_CONTENTS_MAX,
	    st.image_w, st.image_h);
	buf_free(&signed_pdf);
	pades_prepared_free(&prep);
	free(px);
	rc = 0;
out:
	EVP_PKEY_CTX_free(kc);
	EVP_PKEY_free(key);
	free(cert);
	cJSON_Delete(vals);
	cJSON_Delete(norm);
	cJSON_Delete(proc);
	cJSON_Delete(aj);
	form_free(&f);
	form_addresses_free(&addr);
	return rc;
}
