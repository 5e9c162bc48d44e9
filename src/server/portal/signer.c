/*
 * Who signs: the CCCD of a certificate and of a signed PDF's signer, what
 * the phone is told of who asks, and the refusals when the signer is not
 * the caller or the owner; see signer.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "field_error.h"
#include "log.h"
#include "pades.h"
#include "portal/dossier_store.h"
#include "portal/signer.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

#define UID_PREFIX	"CCCD:"
/* The most hex the /Contents of a signature holds that this reads. */
#define CERT_MAX	(64 * 1024)	/* a certificate's DER, at most */

/* The CCCD of a certificate's subject UID, or -1. */
static int
subject_cccd(X509 *x, char out[13])
{
	const X509_NAME *name = X509_get_subject_name(x);
	const ASN1_STRING *v;
	const unsigned char *p;
	int i = -1, n, k;

	while ((i = X509_NAME_get_index_by_NID(name, NID_userId, i)) >= 0) {
		v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
		p = ASN1_STRING_get0_data(v);
		n = ASN1_STRING_length(v);
		if (n != (int)strlen(UID_PREFIX) + 12 ||
		    memcmp(p, UID_PREFIX, strlen(UID_PREFIX)) != 0)
			continue;
		p += strlen(UID_PREFIX);
		for (k = 0; k < 12 && p[k] >= '0' && p[k] <= '9'; k++)
			continue;
		if (k != 12)
			continue;
		memcpy(out, p, 12);
		out[12] = '\0';
		return 0;
	}
	return -1;
}

enum status
portal_signer_cert_cccd(const void *der, size_t len, char out[13])
{
	const unsigned char *p = der;
	X509 *x;
	enum status s;

	out[0] = '\0';
	if (der == NULL || len == 0 || len > CERT_MAX ||
	    (x = d2i_X509(NULL, &p, (long)len)) == NULL)
		return STATUS_ERR_CRYPTO;
	s = subject_cccd(x, out) == 0 ? STATUS_OK : STATUS_ERR_NOTFOUND;
	X509_free(x);
	return s;
}

enum status
portal_signer_pdf_cccd(const void *pdf, size_t len, char out[13])
{
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs = NULL;
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	const unsigned char *p;
	unsigned char *der;
	enum status s = STATUS_ERR_INVALID;
	size_t n = 0, br[4];
	char err[128];
	int i;

	out[0] = '\0';
	if (pades_last_signature(pdf, len, br, &der, &n, err, sizeof err) !=
	    STATUS_OK)
		return STATUS_ERR_INVALID;
	p = der;
	if ((cms = d2i_CMS_ContentInfo(NULL, &p, (long)n)) == NULL ||
	    (sis = CMS_get0_SignerInfos(cms)) == NULL ||
	    sk_CMS_SignerInfo_num(sis) != 1 ||
	    (certs = CMS_get1_certs(cms)) == NULL)
		goto out;
	si = sk_CMS_SignerInfo_value(sis, 0);
	s = STATUS_ERR_CRYPTO;
	for (i = 0; i < sk_X509_num(certs); i++)
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) {
			s = subject_cccd(sk_X509_value(certs, i), out) == 0 ?
			    STATUS_OK : STATUS_ERR_NOTFOUND;
			break;
		}
out:
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	free(der);
	return s;
}

char *
portal_signer_request_desc(const char *portal, const char *name,
    const char *cccd, size_t ndocs, const char *procedure, size_t max)
{
	char masked[13], *full, *out;

	cccd_mask(cccd, masked);
	full = xasprintf("%s: %s, CCCD %s, yêu cầu ký %zu tài liệu của hồ sơ "
	    "%s", portal, name, masked, ndocs, procedure);
	out = utf8_shorten(full, max);
	free(full);
	return out;
}

void
portal_signer_not_yours(struct http_req *req, struct http_resp *resp,
    const char *field, const char *why_vi, const char *why_en)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();

	field_error_add(fields, field, FIELD_CODE_NOT_YOURS, lang == LANG_EN ?
	    why_en : why_vi, lang);
	http_error(req, resp, 403, "account_not_yours", "Chỉ người có số CCCD "
	    "đăng nhập mới ký được bằng tài khoản đó: tài khoản ký số phải là "
	    "số CCCD của chính bạn theo VNeID.", "Only the holder of the CCCD "
	    "logged in can sign with that account: the signing account must "
	    "be your own CCCD number from VNeID.", fields);
}

int
portal_signer_owner_check(struct http_req *req, struct http_resp *resp,
    const struct portal_dossier *d, const struct buf *pdf)
{
	char cccd[13];
	enum status s;

	s = portal_signer_pdf_cccd(pdf->data, pdf->len, cccd);
	if (s == STATUS_OK && strcmp(cccd, d->owner_cccd) == 0)
		return 0;
	log_warn("portal: dossier %s: its signed declaration is not its "
	    "owner's (%s)", d->public_id, status_message(s, LANG_EN));
	http_error(req, resp, 409, "signer_not_owner", "Tờ khai không được "
	    "ký bằng chứng thư số của chủ hồ sơ; hãy ký lại bằng chữ ký số "
	    "của chính bạn rồi nộp.", "The declaration was not signed with "
	    "the dossier owner's certificate; sign it again with your own "
	    "signature, then submit.", NULL);
	return -1;
}
