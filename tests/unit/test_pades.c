/*
 * Unit tests of PAdES (pades.h) and CAdES (cades.h) signatures, checked
 * with independent tools.  A throwaway demo PKI is made once for the
 * binary (root CA, issuing CA with pathlen 0, keyCertSign and key
 * identifiers, citizen RSA-2048 with digitalSignature and nonRepudiation),
 * the test plays the provider by signing to_be_signed with the citizen's
 * key (RSA PKCS#1 v1.5 over DigestInfo(SHA-256)), and then:
 *   - pdfsig (poppler with NSS, the root trusted in a fresh NSS database,
 *     for S/MIME too: "C,C,", since pdfsig checks the chain for email
 *     signing and "C,," trusts a root for TLS only) reports the signature
 *     valid, the document unmodified and the certificate trusted;
 *   - qpdf --check finds no errors;
 *   - openssl cms -verify accepts the CMS taken out of /Contents over the
 *     signed byte ranges, and the .p7s over its file;
 *   - one byte changed in either signed range makes pdfsig and
 *     pades_verify fail;
 *   - the .p7s carries signing-time (CAdES B-B), the PDF's CMS does not
 *     (PAdES), and the certificates are a SET OF in DER order;
 *   - two equal drafts prepared in the same second get different /IDs and
 *     hashes, and a file's own first /ID is kept.
 */
#include <sys/types.h>

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
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "cades.h"
#include "clock.h"
#include "form_check.h"
#include "form_parse.h"
#include "json.h"
#include "pades.h"
#include "pdf.h"
#include "procedure_address.h"
#include "testlib.h"
#include "xmalloc.h"

#define WHEN	1795744800	/* 2026-11-27 09:00 in Vietnam */
#define SIGNER	"Nguyễn Văn Đức"

/* The demo PKI, made once. */
struct pki {
	EVP_PKEY	*root_key, *ca_key, *user_key, *other_key;
	X509		*root, *ca, *user;
	unsigned char	*der[3];	/* user, ca, root */
	size_t		 der_len[3];
	char		 root_pem[1024];
	char		 nssdir[1024];
};

static struct pki pki;
static struct form_addresses *addresses;

static const char *
tmp_path(const char *name)
{
	static char path[4][1024];
	static int k;
	const char *t = getenv("TMPDIR");

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", t != NULL ? t : "/tmp",
	    name);
	return path[k];
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Runs a command; its output (caller frees) and exit status. */
static char *
run(int *status, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return test_run(cmd, status);
}

static int
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok;

	if (e == NULL)
		return 0;
	ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok;
}

/* A certificate for key, signed by issuer (NULL: self-signed). */
static X509 *
make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
    const char *bc, const char *ku, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX ctx;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 2L * 365 * 24 * 3600);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const unsigned char *)"VN", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) :
	    n);
	X509_NAME_free(n);
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	if (!add_ext(x, &ctx, NID_basic_constraints, bc) ||
	    !add_ext(x, &ctx, NID_key_usage, ku) ||
	    !add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
	    !add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") ||
	    X509_sign(x, issuer_key != NULL ? issuer_key : key,
	    EVP_sha256()) == 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static int
setup(void **state)
{
	X509 *certs[3];
	cJSON *j;
	FILE *fp;
	char err[256], *out;
	int i, n, st;
	unsigned char *p;

	(void)state;
	if ((pki.root_key = EVP_RSA_gen(2048)) == NULL ||
	    (pki.ca_key = EVP_RSA_gen(2048)) == NULL ||
	    (pki.user_key = EVP_RSA_gen(2048)) == NULL ||
	    (pki.other_key = EVP_RSA_gen(2048)) == NULL)
		return -1;
	pki.root = make_cert(pki.root_key, "NEAC Root CA (demo)", NULL, NULL,
	    "critical,CA:TRUE", "critical,keyCertSign,cRLSign", 1);
	pki.ca = make_cert(pki.ca_key, "VNPT SmartCA (demo)", pki.root,
	    pki.root_key, "critical,CA:TRUE,pathlen:0",
	    "critical,keyCertSign,cRLSign", 2);
	pki.user = make_cert(pki.user_key, SIGNER, pki.ca, pki.ca_key,
	    "critical,CA:FALSE", "critical,digitalSignature,nonRepudiation",
	    0x5401);
	if (pki.root == NULL || pki.ca == NULL || pki.user == NULL)
		return -1;
	certs[0] = pki.user;
	certs[1] = pki.ca;
	certs[2] = pki.root;
	for (i = 0; i < 3; i++) {
		n = i2d_X509(certs[i], NULL);
		pki.der[i] = p = xmalloc((size_t)n);
		pki.der_len[i] = (size_t)i2d_X509(certs[i], &p);
	}
	snprintf(pki.root_pem, sizeof pki.root_pem, "%s", tmp_path("root.pem"));
	if ((fp = fopen(pki.root_pem, "w")) == NULL ||
	    PEM_write_X509(fp, pki.root) != 1 || fclose(fp) != 0)
		return -1;
	/* the rest of the PKI, for looking into a failure by hand */
	if ((fp = fopen(tmp_path("pki.pem"), "w")) == NULL ||
	    PEM_write_X509(fp, pki.user) != 1 || PEM_write_X509(fp, pki.ca) !=
	    1 || PEM_write_PrivateKey(fp, pki.user_key, NULL, NULL, 0, NULL,
	    NULL) != 1 || fclose(fp) != 0)
		return -1;
	snprintf(pki.nssdir, sizeof pki.nssdir, "%s", tmp_path("nss"));
	out = run(&st, "mkdir -p '%s' && certutil -N -d 'sql:%s' "
	    "--empty-password && certutil -A -d 'sql:%s' -n root -t 'C,C,' "
	    "-i '%s' 2>&1", pki.nssdir, pki.nssdir, pki.nssdir, pki.root_pem);
	if (st != 0) {
		fprintf(stderr, "certutil: %s\n", out);
		free(out);
		return -1;
	}
	free(out);
	if (json_load_file(test_source_path("data/addresses.json"), 8u << 20,
	    &j, err, sizeof err) != STATUS_OK)
		return -1;
	addresses = form_addresses_parse(j, err, sizeof err);
	cJSON_Delete(j);
	return addresses != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		free(pki.der[i]);
	X509_free(pki.root);
	X509_free(pki.ca);
	X509_free(pki.user);
	EVP_PKEY_free(pki.root_key);
	EVP_PKEY_free(pki.ca_key);
	EVP_PKEY_free(pki.user_key);
	EVP_PKEY_free(pki.other_key);
	form_addresses_free(&addresses);
	return 0;
}

/* The provider: RSA PKCS#1 v1.5 over DigestInfo(SHA-256) of tbs. */
static unsigned char *
provider_sign(EVP_PKEY *key, const unsigned char tbs[32], size_t *len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	unsigned char *sig;

	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING),
	    1);
	assert_int_equal(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_sign(ctx, NULL, len, tbs, 32), 1);
	sig = xmalloc(*len);
	assert_int_equal(EVP_PKEY_sign(ctx, sig, len, tbs, 32), 1);
	EVP_PKEY_CTX_free(ctx);
	return sig;
}

/*
 * The generic đơn đề nghị with paragraphs sentences in noi_dung and notes
 * in ghi_chu, with an image stamp or not; out gets the PDF, *r the
 * stamp's rectangle.
 */
static void
render_form(struct buf *out, struct pdf_rect *r, int with_image,
    size_t paragraphs, size_t notes)
{
	struct pdf_stamp st = { SIGNER, WHEN, NULL, 0, 0 };
	struct form_context ctx = { "Cấp bản sao trích lục hộ tịch",
	    "Ủy ban nhân dân phường Kon Tum", { 2026, 11, 27 }, NULL };
	struct form *f;
	cJSON *p, *vals, *norm = NULL;
	char err[256];
	uint8_t *px = NULL;
	size_t i;
	int found;

	ctx.addresses = addresses;
	assert_int_equal(json_load_file(test_source_path(
	    "data/catalog/procedures/1.000689.json"), 8u << 20, &p, err,
	    sizeof err), STATUS_OK);
	f = form_parse(cJSON_GetObjectItem(p, "form"), err, sizeof err);
	assert_non_null(f);
	vals = test_pdf_values(SIGNER, paragraphs, notes);
	assert_non_null(vals);
	assert_int_equal(form_validate(f, addresses, vals, 0, LANG_VI, NULL,
	    &norm, NULL),
	    STATUS_OK);
	if (with_image) {
		st.image_w = 600;
		st.image_h = 200;
		px = xmalloc((size_t)st.image_w * st.image_h * 4);
		for (i = 0; i < (size_t)st.image_w * st.image_h; i++) {
			/* a blue scribble on transparent paper */
			size_t x = i % st.image_w, y = i / st.image_w;
			int ink = (y > 60 + x / 10 && y < 70 + x / 10) ||
			    (x > 280 && x < 292);

			px[4 * i] = 20;
			px[4 * i + 1] = 40;
			px[4 * i + 2] = 160;
			px[4 * i + 3] = ink ? 255 : 0;
		}
		st.image_rgba = px;
	}
	assert_int_equal(pdf_render_declaration(f, norm, &ctx, "NGƯỜI LÀM ĐƠN",
	    &st, out, r, &found, err, sizeof err), STATUS_OK);
	assert_int_equal(found, 1);
	free(px);
	cJSON_Delete(vals);
	cJSON_Delete(norm);
	cJSON_Delete(p);
	form_free(&f);
}

/* A two-page declaration (long values), with an image stamp or not. */
static void
render_long(struct buf *out, struct pdf_rect *r, int with_image)
{
	render_form(out, r, with_image, 26, 20);
}

/*
 * Prepares, "stores" (copies the prepared PDF and the attributes into a
 * fresh struct, as after a restart), signs as the provider and finishes.
 */
static void
sign_pdf(const struct buf *pdf, const struct pdf_rect *r, EVP_PKEY *key,
    struct buf *signed_pdf)
{
	struct pades_prepared prep, stored;
	const void *chain[2] = { pki.der[1], pki.der[2] };
	size_t chain_len[2] = { pki.der_len[1], pki.der_len[2] }, sig_len;
	unsigned char *sig, md[32];
	char err[256];

	assert_int_equal(pades_prepare(pdf->data, pdf->len, r, SIGNER,
	    pki.der[0], pki.der_len[0], chain, chain_len, 2, &prep, err,
	    sizeof err), STATUS_OK);
	/* to_be_signed is the SHA-256 of the signed attributes */
	assert_int_equal(EVP_Digest(prep.signed_attrs.data,
	    prep.signed_attrs.len, md, NULL, EVP_sha256(), NULL), 1);
	assert_memory_equal(md, prep.to_be_signed, 32);
	/* the original is kept byte for byte before the update */
	assert_memory_equal(prep.pdf.data, pdf->data, pdf->len);
	buf_init(&stored.pdf, 64u << 20);
	buf_init(&stored.signed_attrs, 1 << 20);
	assert_int_equal(buf_add(&stored.pdf, prep.pdf.data, prep.pdf.len),
	    STATUS_OK);
	assert_int_equal(buf_add(&stored.signed_attrs, prep.signed_attrs.data,
	    prep.signed_attrs.len), STATUS_OK);
	memcpy(stored.to_be_signed, prep.to_be_signed, 32);
	pades_prepared_free(&prep);

	sig = provider_sign(key, stored.to_be_signed, &sig_len);
	if (pades_finish(&stored, sig, sig_len, pki.der[0], pki.der_len[0],
	    chain, chain_len, 2, signed_pdf, err, sizeof err) != STATUS_OK)
		fail_msg("pades_finish: %s", err);
	free(sig);
	pades_prepared_free(&stored);
}

/* The last signature's byte ranges, as a verifier reads them. */
static void
byte_range(const struct buf *pdf, size_t br[4])
{
	const char *p = NULL, *q = pdf->data;

	while ((q = memmem(q, pdf->len - (size_t)(q - pdf->data),
	    "/ByteRange", 10)) != NULL)
		p = q++;
	assert_non_null(p);
	assert_int_equal(sscanf(p, "/ByteRange [%zu %zu %zu %zu]", &br[0],
	    &br[1], &br[2], &br[3]), 4);
}

/* Writes the signed ranges and the DER CMS of /Contents to files. */
static void
extract(const struct buf *pdf, const char *ranges, const char *cms)
{
	struct buf r, c;
	size_t br[4], i, len;
	unsigned v;

	byte_range(pdf, br);
	buf_init(&r, 64u << 20);
	buf_add(&r, pdf->data, br[1]);
	buf_add(&r, pdf->data + br[2], br[3]);
	write_file(ranges, r.data, r.len);
	buf_free(&r);
	buf_init(&c, 1 << 20);
	for (i = br[1] + 1; i + 1 < br[2] - 1; i += 2) {
		assert_int_equal(sscanf(pdf->data + i, "%2x", &v), 1);
		buf_addc(&c, (char)v);
	}
	/* the DER SEQUENCE, without the zeros after it */
	assert_int_equal((unsigned char)c.data[0], 0x30);
	assert_int_equal((unsigned char)c.data[1], 0x82);
	len = 4 + ((size_t)(unsigned char)c.data[2] << 8 |
	    (unsigned char)c.data[3]);
	write_file(cms, c.data, len);
	buf_free(&c);
}

/*
 * pdfsig 22.12 (Debian 12) with -no-ocsp reads a stale NSS error after a
 * successful chain check and prints "Unknown issue with Certificate", even
 * for a PDF it signed itself; so the trust is asked without -no-ocsp (our
 * certificates name no OCSP responder: nothing is fetched), and -no-ocsp
 * is run for the signature and the coverage.
 */
static void
expect_pdfsig_valid(const char *path)
{
	char *out;
	int st, pass;

	for (pass = 0; pass < 2; pass++) {
		out = run(&st, "pdfsig -nssdir 'sql:%s' %s '%s' 2>&1",
		    pki.nssdir, pass == 0 ? "-no-ocsp" : "", path);
		if (st != 0 || strstr(out, "Signature Validation: Signature "
		    "is Valid.") == NULL || strstr(out,
		    "Total document signed") == NULL || strstr(out,
		    "ETSI.CAdES.detached") == NULL ||
		    strstr(out, SIGNER) == NULL || (pass == 1 && strstr(out,
		    "Certificate Validation: Certificate is Trusted.") == NULL))
			fail_msg("pdfsig %s (exit %d):\n%s", path, st, out);
		free(out);
	}
}

static void
expect_pdfsig_invalid(const char *path)
{
	char *out;
	int st;

	out = run(&st, "pdfsig -nssdir 'sql:%s' -no-ocsp '%s' 2>&1",
	    pki.nssdir, path);
	if (strstr(out, "Signature is Valid") != NULL ||
	    strstr(out, "Signature #1") == NULL)
		fail_msg("pdfsig %s should fail:\n%s", path, out);
	free(out);
}

static void
expect_qpdf_ok(const char *path)
{
	char *out;
	int st;

	out = run(&st, "qpdf --check '%s' 2>&1", path);
	if (st != 0 || strstr(out, "No syntax or stream encoding errors") ==
	    NULL)
		fail_msg("qpdf --check %s (exit %d):\n%s", path, st, out);
	free(out);
}

/* The whole path, checked by pdfsig, qpdf and openssl cms. */
static void
test_pades_valid(void **state)
{
	struct buf pdf, signed_pdf;
	struct pdf_rect r;
	char err[256], *out;
	int st;

	(void)state;
	render_long(&pdf, &r, 1);
	assert_true(r.page >= 1);	/* the stamp is on the second page */
	write_file(tmp_path("decl.pdf"), pdf.data, pdf.len);
	expect_qpdf_ok(tmp_path("decl.pdf"));
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	write_file(tmp_path("signed.pdf"), signed_pdf.data, signed_pdf.len);
	assert_true(signed_pdf.len <= 100 * 1024);

	expect_qpdf_ok(tmp_path("signed.pdf"));
	expect_pdfsig_valid(tmp_path("signed.pdf"));
	if (pades_verify(signed_pdf.data, signed_pdf.len, err, sizeof err) !=
	    STATUS_OK)
		fail_msg("pades_verify: %s", err);

	extract(&signed_pdf, tmp_path("ranges.bin"), tmp_path("sig.der"));
	out = run(&st, "openssl cms -verify -binary -inform DER -in '%s' "
	    "-content '%s' -CAfile '%s' -purpose any -out /dev/null 2>&1",
	    tmp_path("sig.der"), tmp_path("ranges.bin"), pki.root_pem);
	if (st != 0 || strstr(out, "Verification successful") == NULL)
		fail_msg("openssl cms -verify (exit %d): %s", st, out);
	free(out);
	/* the signed attributes, as openssl reads them: no signing-time */
	out = run(&st, "openssl cms -cmsout -print -inform DER -in '%s'",
	    tmp_path("sig.der"));
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "contentType"));
	assert_non_null(strstr(out, "messageDigest"));
	assert_non_null(strstr(out, "signingCertificateV2"));
	assert_null(strstr(out, "signingTime"));
	assert_non_null(strstr(out, "rsaEncryption"));
	assert_non_null(strstr(out, "sha256"));
	free(out);
	/* the widget is on the stamp's page; the form is marked signed */
	out = run(&st, "qpdf --json --json-key=acroform '%s'",
	    tmp_path("signed.pdf"));
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\"pageposfrom1\": 2"));
	assert_non_null(strstr(out, "\"fieldtype\": \"/Sig\""));
	free(out);
	out = run(&st, "qpdf --show-object=trailer '%s' && qpdf "
	    "--show-xref '%s' | head -1", tmp_path("signed.pdf"),
	    tmp_path("signed.pdf"));
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "/Prev"));
	free(out);
	buf_free(&pdf);
	buf_free(&signed_pdf);
}

/* One byte changed in either signed range: pdfsig and our check fail. */
static void
test_pades_tampered(void **state)
{
	struct buf pdf, signed_pdf, copy;
	struct pdf_rect r;
	size_t br[4], at[2];
	char err[256], name[64];
	int k;

	(void)state;
	render_long(&pdf, &r, 0);
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	byte_range(&signed_pdf, br);
	/* in the page content of the original; in the widget's /T */
	at[0] = br[1] / 3;
	at[1] = (size_t)((char *)memmem(signed_pdf.data + br[2], br[3],
	    "(Signature1)", 12) - signed_pdf.data) + 10;
	for (k = 0; k < 2; k++) {
		buf_init(&copy, 64u << 20);
		buf_add(&copy, signed_pdf.data, signed_pdf.len);
		copy.data[at[k]] ^= 0x01;
		snprintf(name, sizeof name, "tampered%d.pdf", k);
		write_file(tmp_path(name), copy.data, copy.len);
		expect_pdfsig_invalid(tmp_path(name));
		assert_int_equal(pades_verify(copy.data, copy.len, err,
		    sizeof err), STATUS_ERR_CRYPTO);
		assert_non_null(strstr(err, "digest"));
		buf_free(&copy);
	}
	/* bytes added after the signature are not covered by it */
	buf_init(&copy, 64u << 20);
	buf_add(&copy, signed_pdf.data, signed_pdf.len);
	buf_addstr(&copy, "% more\n");
	assert_int_equal(pades_verify(copy.data, copy.len, err, sizeof err),
	    STATUS_ERR_CRYPTO);
	assert_non_null(strstr(err, "whole file"));
	buf_free(&copy);
	/* the unsigned PDF has no signature */
	assert_int_equal(pades_verify(pdf.data, pdf.len, err, sizeof err),
	    STATUS_ERR_CRYPTO);
	buf_free(&pdf);
	buf_free(&signed_pdf);
}

/*
 * /Contents reserves what the SignedData of the chain prepared for takes,
 * exactly; a longer chain at finishing is refused, and says so.
 */
static void
test_pades_reserve(void **state)
{
	const void *chain[2] = { pki.der[1], pki.der[2] };
	size_t chain_len[2] = { pki.der_len[1], pki.der_len[2] }, br[4];
	size_t sig_len;
	struct buf pdf, out, p7s;
	struct pdf_rect r;
	struct pades_prepared p;
	unsigned char *sig;
	char err[256];

	(void)state;
	render_long(&pdf, &r, 0);
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], chain, chain_len, 2, &p, err,
	    sizeof err), STATUS_OK);
	sig = provider_sign(pki.user_key, p.to_be_signed, &sig_len);
	assert_int_equal(cades_finish(p.signed_attrs.data, p.signed_attrs.len,
	    sig, sig_len, pki.der[0], pki.der_len[0], chain, chain_len, 2,
	    &p7s, err, sizeof err), STATUS_OK);
	assert_int_equal(pades_finish(&p, sig, sig_len, pki.der[0],
	    pki.der_len[0], chain, chain_len, 2, &out, err, sizeof err),
	    STATUS_OK);
	byte_range(&out, br);
	assert_int_equal((br[2] - br[1] - 2) / 2,
	    p7s.len + PADES_TIMESTAMP_RESERVE);
	buf_free(&out);
	buf_free(&p7s);
	free(sig);
	pades_prepared_free(&p);

	/* prepared for the signer's certificate alone */
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], NULL, NULL, 0, &p, err, sizeof err),
	    STATUS_OK);
	sig = provider_sign(pki.user_key, p.to_be_signed, &sig_len);
	assert_int_equal(pades_finish(&p, sig, sig_len, pki.der[0],
	    pki.der_len[0], chain, chain_len, 2, &out, err, sizeof err),
	    STATUS_ERR_TOOBIG);
	assert_non_null(strstr(err, "does not fit"));
	assert_null(out.data);
	free(sig);
	pades_prepared_free(&p);
	buf_free(&pdf);
}

/*
 * What a signed declaration weighs with an image stamp and the demo chain
 * of three RSA-2048 certificates: one page at most 50 KB, two at most
 * 60 KB.
 */
static void
test_pades_size(void **state)
{
	struct buf pdf, signed_pdf;
	struct pdf_rect r;
	char err[256];

	(void)state;
	render_form(&pdf, &r, 1, 1, 1);
	assert_int_equal(r.page, 0);
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	assert_int_equal(pades_verify(signed_pdf.data, signed_pdf.len, err,
	    sizeof err), STATUS_OK);
	if (signed_pdf.len > 50 * 1024)
		fail_msg("one page signed: %zu bytes", signed_pdf.len);
	buf_free(&pdf);
	buf_free(&signed_pdf);

	render_long(&pdf, &r, 1);
	assert_int_equal(r.page, 1);
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	assert_int_equal(pades_verify(signed_pdf.data, signed_pdf.len, err,
	    sizeof err), STATUS_OK);
	if (signed_pdf.len > 60 * 1024)
		fail_msg("two pages signed: %zu bytes", signed_pdf.len);
	buf_free(&pdf);
	buf_free(&signed_pdf);
}

/* A value that is not the certificate's, or attributes of another PDF. */
static void
test_pades_wrong_value(void **state)
{
	struct buf pdf, out;
	struct pdf_rect r;
	struct pades_prepared a, b;
	struct buf swap;
	unsigned char *sig;
	size_t sig_len;
	char err[256];

	(void)state;
	render_long(&pdf, &r, 0);
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], NULL, NULL, 0, &a, err, sizeof err),
	    STATUS_OK);
	sig = provider_sign(pki.other_key, a.to_be_signed, &sig_len);
	assert_int_equal(pades_finish(&a, sig, sig_len, pki.der[0],
	    pki.der_len[0], NULL, NULL, 0, &out, err, sizeof err),
	    STATUS_ERR_CRYPTO);
	assert_non_null(strstr(err, "public key"));
	assert_null(out.data);
	free(sig);
	/* the same document prepared again differs (/M, at least its
	   widget), so its attributes do not fit the first */
	r.x += 1;
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], NULL, NULL, 0, &b, err, sizeof err),
	    STATUS_OK);
	swap = a.signed_attrs;
	a.signed_attrs = b.signed_attrs;
	b.signed_attrs = swap;
	sig = provider_sign(pki.user_key, a.to_be_signed, &sig_len);
	assert_int_equal(pades_finish(&a, sig, sig_len, pki.der[0],
	    pki.der_len[0], NULL, NULL, 0, &out, err, sizeof err),
	    STATUS_ERR_CRYPTO);
	assert_non_null(strstr(err, "do not belong"));
	free(sig);
	pades_prepared_free(&a);
	pades_prepared_free(&b);
	buf_free(&pdf);
}

/* What the reader does not handle is refused, never misread. */
static void
test_pades_refuses(void **state)
{
	struct buf pdf, signed_pdf;
	struct pdf_rect r = { 0, 0, 0, 10, 10 };
	struct pades_prepared p;
	char err[256], *out, *data;
	size_t len;
	int st;
	FILE *fp;

	(void)state;
	assert_int_equal(pades_prepare("hello", 5, &r, SIGNER, pki.der[0],
	    pki.der_len[0], NULL, NULL, 0, &p, err, sizeof err),
	    STATUS_ERR_INVALID);
	pades_prepared_free(&p);
	render_long(&pdf, &r, 0);
	/* a page that does not exist */
	r.page = 7;
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], NULL, NULL, 0, &p, err, sizeof err),
	    STATUS_ERR_INVALID);
	assert_non_null(strstr(err, "page"));
	r.page = 0;
	/* not a certificate */
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    "junk", 4, NULL, NULL, 0, &p, err, sizeof err),
	    STATUS_ERR_CRYPTO);
	pades_prepared_free(&p);
	/* cross-reference streams (qpdf rewrites the file with them) */
	write_file(tmp_path("plain.pdf"), pdf.data, pdf.len);
	out = run(&st, "qpdf --object-streams=generate '%s' '%s' 2>&1",
	    tmp_path("plain.pdf"), tmp_path("objstm.pdf"));
	assert_int_equal(st, 0);
	free(out);
	fp = fopen(tmp_path("objstm.pdf"), "rb");
	assert_non_null(fp);
	data = xmalloc(1 << 20);
	len = fread(data, 1, 1 << 20, fp);
	fclose(fp);
	assert_int_equal(pades_prepare(data, len, &r, SIGNER, pki.der[0],
	    pki.der_len[0], NULL, NULL, 0, &p, err, sizeof err),
	    STATUS_ERR_INVALID);
	assert_non_null(strstr(err, "stream"));
	free(data);
	/* a second signature on a signed PDF: it already has a form */
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	assert_int_equal(pades_prepare(signed_pdf.data, signed_pdf.len, &r,
	    SIGNER, pki.der[0], pki.der_len[0], NULL, NULL, 0, &p, err,
	    sizeof err), STATUS_ERR_INVALID);
	assert_non_null(strstr(err, "AcroForm"));
	buf_free(&signed_pdf);
	buf_free(&pdf);
}

/* A detached .p7s over an attachment, checked by openssl cms. */
static void
test_cades_p7s(void **state)
{
	struct buf attrs, p7s;
	const void *chain[2] = { pki.der[1], pki.der[2] };
	size_t chain_len[2] = { pki.der_len[1], pki.der_len[2] }, sig_len, i;
	unsigned char tbs[32], md[32], *sig, data[3000];
	char err[256], *out;
	int st;

	(void)state;
	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	write_file(tmp_path("giay-chung-sinh.jpg"), data, sizeof data);
	assert_int_equal(cades_prepare(data, sizeof data, pki.der[0],
	    pki.der_len[0], &attrs, tbs, err, sizeof err), STATUS_OK);
	sig = provider_sign(pki.user_key, tbs, &sig_len);
	if (cades_finish(attrs.data, attrs.len, sig, sig_len, pki.der[0],
	    pki.der_len[0], chain, chain_len, 2, &p7s, err, sizeof err) !=
	    STATUS_OK)
		fail_msg("cades_finish: %s", err);
	write_file(tmp_path("giay-chung-sinh.jpg.p7s"), p7s.data, p7s.len);
	out = run(&st, "openssl cms -verify -binary -inform DER -in '%s' "
	    "-content '%s' -CAfile '%s' -purpose any -out /dev/null 2>&1",
	    tmp_path("giay-chung-sinh.jpg.p7s"),
	    tmp_path("giay-chung-sinh.jpg"), pki.root_pem);
	if (st != 0 || strstr(out, "Verification successful") == NULL)
		fail_msg("openssl cms -verify (exit %d): %s", st, out);
	free(out);
	/* our own check agrees */
	assert_int_equal(EVP_Digest(data, sizeof data, md, NULL, EVP_sha256(),
	    NULL), 1);
	assert_int_equal(cades_verify(p7s.data, p7s.len, md, err, sizeof err),
	    STATUS_OK);
	/* one byte of the file changed: openssl refuses it, and so do we */
	data[100] ^= 1;
	write_file(tmp_path("giay-chung-sinh.jpg"), data, sizeof data);
	out = run(&st, "openssl cms -verify -binary -inform DER -in '%s' "
	    "-content '%s' -CAfile '%s' -purpose any -out /dev/null 2>&1",
	    tmp_path("giay-chung-sinh.jpg.p7s"),
	    tmp_path("giay-chung-sinh.jpg"), pki.root_pem);
	assert_int_not_equal(st, 0);
	free(out);
	assert_int_equal(EVP_Digest(data, sizeof data, md, NULL, EVP_sha256(),
	    NULL), 1);
	assert_int_equal(cades_verify(p7s.data, p7s.len, md, err, sizeof err),
	    STATUS_ERR_CRYPTO);
	/* a value from the wrong key is refused before anything is written */
	free(sig);
	buf_free(&p7s);
	sig = provider_sign(pki.other_key, tbs, &sig_len);
	assert_int_equal(cades_finish(attrs.data, attrs.len, sig, sig_len,
	    pki.der[0], pki.der_len[0], chain, chain_len, 2, &p7s, err,
	    sizeof err), STATUS_ERR_CRYPTO);
	free(sig);
	buf_free(&attrs);
}

/* Reads one DER TLV at *p (before end); 0 when malformed. */
static int
tlv(const unsigned char **p, const unsigned char *end, unsigned *tag,
    const unsigned char **body, size_t *len)
{
	const unsigned char *q = *p;
	size_t n, k;

	if (end - q < 2)
		return 0;
	*tag = *q++;
	n = *q++;
	if (n & 0x80) {
		k = n & 0x7f;
		if (k == 0 || k > 3 || (size_t)(end - q) < k)
			return 0;
		for (n = 0; k > 0; k--)
			n = n << 8 | *q++;
	}
	if ((size_t)(end - q) < n)
		return 0;
	*body = q;
	*len = n;
	*p = q + n;
	return 1;
}

/*
 * Walks a DER SignedData to its [0] certificates and checks that they are
 * in DER order, each encoding below the next; their number.
 */
static int
certificates_in_der_order(const struct buf *p7s)
{
	const unsigned char *p = (const unsigned char *)p7s->data, *end, *b,
	    *prev = NULL;
	size_t len, prev_len = 0, n;
	unsigned tag;
	int count = 0, c;

	end = p + p7s->len;
	/* ContentInfo SEQUENCE, its OID, [0], SignedData SEQUENCE */
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x30);
	p = b;
	end = b + len;
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x06);
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0xa0);
	p = b;
	end = b + len;
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x30);
	p = b;
	end = b + len;
	/* version, digestAlgorithms, encapContentInfo, [0] certificates */
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x02);
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x31);
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x30);
	assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0xa0);
	p = b;
	end = b + len;
	while (p < end) {
		const unsigned char *start = p;

		assert_true(tlv(&p, end, &tag, &b, &len) && tag == 0x30);
		if (prev != NULL) {
			n = prev_len < (size_t)(p - start) ? prev_len :
			    (size_t)(p - start);
			c = memcmp(prev, start, n);
			if (c > 0 || (c == 0 && prev_len > n))
				fail_msg("certificate %d sorts before %d", count +
				    1, count);
		}
		prev = start;
		prev_len = (size_t)(p - start);
		count++;
	}
	return count;
}

/* The signing-time of a DER CMS's one signer: 1 and *t, or 0 if none. */
static int
cms_signing_time(const struct buf *cms, int64_t *t)
{
	const unsigned char *p = (const unsigned char *)cms->data;
	CMS_ContentInfo *ci;
	CMS_SignerInfo *si;
	X509_ATTRIBUTE *a;
	ASN1_TYPE *v;
	struct tm tm;
	int i, found = 0;

	ci = d2i_CMS_ContentInfo(NULL, &p, (long)cms->len);
	assert_non_null(ci);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(ci), 0);
	assert_non_null(si);
	i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (i >= 0) {
		a = CMS_signed_get_attr(si, i);
		v = X509_ATTRIBUTE_get0_type(a, 0);
		assert_non_null(v);
		assert_int_equal(v->type, V_ASN1_UTCTIME);
		assert_int_equal(ASN1_TIME_to_tm(v->value.utctime, &tm), 1);
		*t = (int64_t)timegm(&tm);
		found = 1;
	}
	CMS_ContentInfo_free(ci);
	return found;
}

/* A .p7s over data, signed now; p7s is initialised here. */
static void
make_p7s(const void *data, size_t len, const void *const *chain,
    const size_t *chain_len, struct buf *p7s)
{
	struct buf attrs;
	unsigned char tbs[32], *sig;
	size_t sig_len;
	char err[256];

	assert_int_equal(cades_prepare(data, len, pki.der[0], pki.der_len[0],
	    &attrs, tbs, err, sizeof err), STATUS_OK);
	sig = provider_sign(pki.user_key, tbs, &sig_len);
	if (cades_finish(attrs.data, attrs.len, sig, sig_len, pki.der[0],
	    pki.der_len[0], chain, chain_len, 2, p7s, err, sizeof err) !=
	    STATUS_OK)
		fail_msg("cades_finish: %s", err);
	free(sig);
	buf_free(&attrs);
}

/*
 * The .p7s has signing-time, the time it was prepared; the PDF's CMS has
 * none.  The certificates are in DER order whatever order they come in.
 */
static void
test_cms_attributes(void **state)
{
	const void *chain[2] = { pki.der[1], pki.der[2] };
	const void *reversed[2] = { pki.der[2], pki.der[1] };
	size_t chain_len[2] = { pki.der_len[1], pki.der_len[2] };
	size_t reversed_len[2] = { pki.der_len[2], pki.der_len[1] };
	struct buf p7s, pdf, signed_pdf, cms;
	struct pdf_rect r;
	const char data[] = "giấy chứng sinh";
	int64_t t = 0;
	size_t br[4], i;
	unsigned v;
	char *out;
	int st;

	(void)state;
	clock_set_fixed(WHEN);
	make_p7s(data, sizeof data - 1, chain, chain_len, &p7s);
	assert_int_equal(cms_signing_time(&p7s, &t), 1);
	assert_int_equal(t, WHEN);
	assert_int_equal(certificates_in_der_order(&p7s), 3);
	/* openssl reads it too */
	write_file(tmp_path("time.p7s"), p7s.data, p7s.len);
	out = run(&st, "openssl cms -cmsout -print -inform DER -in '%s'",
	    tmp_path("time.p7s"));
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "signingTime"));
	assert_non_null(strstr(out, "UTCTIME:Nov 27 02:00:00 2026 GMT"));
	free(out);
	buf_free(&p7s);
	/* the chain the other way round comes out in the same order */
	make_p7s(data, sizeof data - 1, reversed, reversed_len, &p7s);
	assert_int_equal(certificates_in_der_order(&p7s), 3);
	buf_free(&p7s);

	render_long(&pdf, &r, 0);
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	byte_range(&signed_pdf, br);
	buf_init(&cms, 1 << 20);
	for (i = br[1] + 1; i + 1 < br[2] - 1; i += 2) {
		assert_int_equal(sscanf(signed_pdf.data + i, "%2x", &v), 1);
		buf_addc(&cms, (char)v);
	}
	assert_int_equal(cms_signing_time(&cms, &t), 0);
	assert_int_equal(certificates_in_der_order(&cms), 3);
	buf_free(&cms);
	buf_free(&signed_pdf);
	buf_free(&pdf);
	clock_reset();
}

/* The trailer /ID of the last update: its two hex strings. */
static void
last_id(const struct buf *pdf, char first[80], char second[80])
{
	const char *p = NULL, *q = pdf->data;

	while ((q = memmem(q, pdf->len - (size_t)(q - pdf->data), "/ID [",
	    5)) != NULL)
		p = q++;
	assert_non_null(p);
	if (sscanf(p, "/ID [ <%78[0-9A-Fa-f]> <%78[0-9A-Fa-f]>", first,
	    second) != 2)
		fail_msg("no /ID of two strings at \"%.80s\"", p);
}

/*
 * Two equal drafts prepared in the same second: different /IDs, so
 * different hashes (and control codes); a file's own first /ID is kept.
 */
static void
test_pades_id(void **state)
{
	struct pades_prepared a, b, c;
	struct buf pdf, signed_pdf;
	struct pdf_rect r;
	char err[256], ida[2][80], idb[2][80], idc[2][80], *out, *data;
	size_t len;
	int st;
	FILE *fp;

	(void)state;
	clock_set_fixed(WHEN);
	render_long(&pdf, &r, 0);
	assert_null(memmem(pdf.data, pdf.len, "/ID", 3));
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], NULL, NULL, 0, &a, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(pades_prepare(pdf.data, pdf.len, &r, SIGNER,
	    pki.der[0], pki.der_len[0], NULL, NULL, 0, &b, err, sizeof err),
	    STATUS_OK);
	last_id(&a.pdf, ida[0], ida[1]);
	last_id(&b.pdf, idb[0], idb[1]);
	assert_int_equal(strlen(ida[0]), 32);	/* 16 random bytes */
	assert_int_equal(strlen(ida[1]), 32);
	assert_string_not_equal(ida[0], idb[0]);
	assert_string_not_equal(ida[1], idb[1]);
	assert_memory_not_equal(a.to_be_signed, b.to_be_signed, 32);
	/* the same length, and the same bytes but the /ID */
	assert_int_equal(a.pdf.len, b.pdf.len);
	pades_prepared_free(&a);
	pades_prepared_free(&b);

	/* A file with an /ID (qpdf writes one) keeps its first. */
	write_file(tmp_path("noid.pdf"), pdf.data, pdf.len);
	out = run(&st, "qpdf --object-streams=disable '%s' '%s' 2>&1",
	    tmp_path("noid.pdf"), tmp_path("withid.pdf"));
	assert_int_equal(st, 0);
	free(out);
	fp = fopen(tmp_path("withid.pdf"), "rb");
	assert_non_null(fp);
	data = xmalloc(1 << 20);
	len = fread(data, 1, 1 << 20, fp);
	fclose(fp);
	buf_free(&pdf);
	buf_init(&pdf, 1 << 20);
	buf_add(&pdf, data, len);
	free(data);
	last_id(&pdf, idc[0], idc[1]);
	if (pades_prepare(pdf.data, pdf.len, &r, SIGNER, pki.der[0],
	    pki.der_len[0], NULL, NULL, 0, &c, err, sizeof err) != STATUS_OK)
		fail_msg("pades_prepare of qpdf's output: %s", err);
	last_id(&c.pdf, ida[0], ida[1]);
	assert_string_equal(ida[0], idc[0]);
	assert_string_not_equal(ida[1], idc[1]);
	pades_prepared_free(&c);
	/* and the signed file still passes qpdf and pdfsig */
	sign_pdf(&pdf, &r, pki.user_key, &signed_pdf);
	write_file(tmp_path("withid-signed.pdf"), signed_pdf.data,
	    signed_pdf.len);
	expect_qpdf_ok(tmp_path("withid-signed.pdf"));
	expect_pdfsig_valid(tmp_path("withid-signed.pdf"));
	buf_free(&signed_pdf);
	buf_free(&pdf);
	clock_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pades_valid),
		cmocka_unit_test(test_pades_tampered),
		cmocka_unit_test(test_pades_wrong_value),
		cmocka_unit_test(test_pades_reserve),
		cmocka_unit_test(test_pades_size),
		cmocka_unit_test(test_pades_refuses),
		cmocka_unit_test(test_cades_p7s),
		cmocka_unit_test(test_cms_attributes),
		cmocka_unit_test(test_pades_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
