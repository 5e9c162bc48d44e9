/*
 * Who signs (src/server/portal/signer.h), without a server: the CCCD read
 * out of a certificate's UID=CCCD: and out of the last signature of a
 * PDF (a CMS SignedData in /Contents, found by its /ByteRange), with the
 * certificates made here; and what a signing request tells the phone of
 * who asks, within the provider's byte limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "portal/signer.h"
#include "utf8.h"
#include "xmalloc.h"

#define CCCD_A	"062085123456"
#define CCCD_B	"001192654321"

static EVP_PKEY *key;

/* A self-signed certificate; uid NULL for none. */
static X509 *
make_cert(const char *cn, const char *uid)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const unsigned char *)"VN", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0);
	if (uid != NULL)
		X509_NAME_add_entry_by_txt(n, "UID", MBSTRING_ASC,
		    (const unsigned char *)uid, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_NAME_free(n);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

static void
der_of(X509 *x, struct buf *out)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	assert_true(n > 0);
	buf_init(out, (size_t)n + 1);
	assert_int_equal(buf_add(out, der, (size_t)n), STATUS_OK);
	OPENSSL_free(der);
}

/*
 * A PDF-shaped file whose last signature is a detached CMS by x, as the
 * portal's declarations carry it: /Contents a hex string padded with
 * zeros, /ByteRange around it.  bad_hex spoils one digit.
 */
static void
signed_pdf(X509 *x, int bad_hex, struct buf *pdf)
{
	static const char head[] = "%PDF-1.7\n1 0 obj\n<< /Type /Sig "
	    "/Contents ";
	unsigned char *der = NULL;
	CMS_ContentInfo *cms;
	BIO *in;
	size_t start, end, i;
	int n;

	in = BIO_new_mem_buf("the declaration", -1);
	cms = CMS_sign(x, key, NULL, in, CMS_DETACHED | CMS_BINARY);
	assert_non_null(cms);
	n = i2d_CMS_ContentInfo(cms, &der);
	assert_true(n > 0);
	buf_init(pdf, 64 * 1024);
	buf_addstr(pdf, "%PDF-1.7\n% an earlier signature\n/ByteRange [1 2 3 "
	    "4]\n");
	buf_addstr(pdf, head);
	start = pdf->len;
	buf_addc(pdf, '<');
	for (i = 0; i < (size_t)n; i++)
		buf_printf(pdf, "%02X", der[i]);
	for (i = 0; i < 64; i++)
		buf_addc(pdf, '0');
	buf_addc(pdf, '>');
	end = pdf->len;
	if (bad_hex)
		pdf->data[start + 7] = 'g';
	buf_printf(pdf, " /ByteRange [0 %010zu %010zu %010zu] >>\nendobj\n"
	    "%%%%EOF\n", start, end, (size_t)0);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
}

static int
setup(void **state)
{
	(void)state;
	key = EVP_EC_gen("P-256");
	return key != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key);
	return 0;
}

static void
test_cert_cccd(void **state)
{
	struct buf der;
	char cccd[13];
	X509 *x;

	(void)state;
	x = make_cert("Nguyễn Văn Đức", "CCCD:" CCCD_A);
	der_of(x, &der);
	assert_int_equal(portal_signer_cert_cccd(der.data, der.len, cccd),
	    STATUS_OK);
	assert_string_equal(cccd, CCCD_A);
	buf_free(&der);
	X509_free(x);
	/* No UID, or one that is not a CCCD: none. */
	x = make_cert("Nguyễn Văn Đức", NULL);
	der_of(x, &der);
	assert_int_equal(portal_signer_cert_cccd(der.data, der.len, cccd),
	    STATUS_ERR_NOTFOUND);
	assert_string_equal(cccd, "");
	buf_free(&der);
	X509_free(x);
	x = make_cert("Nguyễn Văn Đức", "CCCD:06208512345");
	der_of(x, &der);
	assert_int_equal(portal_signer_cert_cccd(der.data, der.len, cccd),
	    STATUS_ERR_NOTFOUND);
	buf_free(&der);
	X509_free(x);
	x = make_cert("Nguyễn Văn Đức", "CMND:" CCCD_A);
	der_of(x, &der);
	assert_int_equal(portal_signer_cert_cccd(der.data, der.len, cccd),
	    STATUS_ERR_NOTFOUND);
	buf_free(&der);
	X509_free(x);
	/* Not a certificate. */
	assert_int_equal(portal_signer_cert_cccd("\x30\x03\x02\x01\x01", 5,
	    cccd), STATUS_ERR_CRYPTO);
	assert_int_equal(portal_signer_cert_cccd(NULL, 0, cccd),
	    STATUS_ERR_CRYPTO);
}

static void
test_pdf_cccd(void **state)
{
	struct buf pdf;
	char cccd[13];
	X509 *a, *b, *none;

	(void)state;
	a = make_cert("Nguyễn Văn Đức", "CCCD:" CCCD_A);
	b = make_cert("Trần Thị Thu Hằng", "CCCD:" CCCD_B);
	none = make_cert("Không có số", NULL);
	/* The last signature's signer, each time. */
	signed_pdf(a, 0, &pdf);
	assert_int_equal(portal_signer_pdf_cccd(pdf.data, pdf.len, cccd),
	    STATUS_OK);
	assert_string_equal(cccd, CCCD_A);
	buf_free(&pdf);
	signed_pdf(b, 0, &pdf);
	assert_int_equal(portal_signer_pdf_cccd(pdf.data, pdf.len, cccd),
	    STATUS_OK);
	assert_string_equal(cccd, CCCD_B);
	buf_free(&pdf);
	signed_pdf(none, 0, &pdf);
	assert_int_equal(portal_signer_pdf_cccd(pdf.data, pdf.len, cccd),
	    STATUS_ERR_NOTFOUND);
	buf_free(&pdf);
	/* Nothing readable: no signature, bad hex, cut short, empty. */
	assert_int_equal(portal_signer_pdf_cccd("%PDF-1.7\n%%EOF\n", 15, cccd),
	    STATUS_ERR_INVALID);
	signed_pdf(a, 1, &pdf);
	assert_int_equal(portal_signer_pdf_cccd(pdf.data, pdf.len, cccd),
	    STATUS_ERR_INVALID);
	buf_free(&pdf);
	signed_pdf(a, 0, &pdf);
	assert_int_equal(portal_signer_pdf_cccd(pdf.data, pdf.len / 2, cccd),
	    STATUS_ERR_INVALID);
	buf_free(&pdf);
	assert_int_equal(portal_signer_pdf_cccd(NULL, 0, cccd),
	    STATUS_ERR_INVALID);
	X509_free(a);
	X509_free(b);
	X509_free(none);
}

static void
test_request_desc(void **state)
{
	char *d, *longname;
	size_t i;

	(void)state;
	d = portal_signer_request_desc("Cổng Dịch vụ công tỉnh Kon Tum",
	    "Nguyễn Văn Đức", CCCD_A, 3, "Đăng ký khai sinh", 500);
	assert_string_equal(d, "Cổng Dịch vụ công tỉnh Kon Tum: Nguyễn Văn "
	    "Đức, CCCD 062******456, yêu cầu ký 3 tài liệu của hồ sơ Đăng ký "
	    "khai sinh");
	assert_null(strstr(d, CCCD_A));
	free(d);
	/* A procedure's name too long for the limit: shortened, visibly. */
	longname = xcalloc(1, 3 * 400 + 1);
	for (i = 0; i < 400; i++)
		memcpy(longname + 3 * i, "Đa", 3);
	d = portal_signer_request_desc("Cổng Dịch vụ công tỉnh Kon Tum",
	    "Nguyễn Văn Đức", CCCD_A, 1, longname, 500);
	assert_true(strlen(d) <= 500);
	assert_true(utf8_valid(d, strlen(d)));
	assert_non_null(strstr(d, "062******456"));
	assert_string_equal(d + strlen(d) - strlen("…"), "…");
	free(d);
	free(longname);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_cccd),
		cmocka_unit_test(test_pdf_cccd),
		cmocka_unit_test(test_request_desc),
	};

	return cmocka_run_group_tests_name("signer", tests, setup, teardown);
}
