/*
 * The ca role's state: the server secret and the keys derived from it,
 * the demo root and the providers' issuing CAs, citizens' keys and
 * certificates, enrollment (the demo citizens and `dvc-server ca enroll`),
 * and the background worker that makes keys before they are asked for.
 *
 * RSA key generation takes a fraction of a second each, so a fresh data
 * folder does not make its sixteen demo keys before it listens: the worker
 * makes them at low priority, and a request that needs one first makes it
 * itself, under the same lock, so no key is ever made twice.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "buf.h"
#include "ca/ca.h"
#include "ca/pki.h"
#include "ca/store.h"
#include "clock.h"
#include "json.h"
#include "jwt.h"
#include "kdf.h"
#include "log.h"
#include "privfile.h"
#include "server.h"
#include "signproto.h"
#include "token.h"
#include "validate.h"
#include "waiter.h"
#include "xmalloc.h"


#define SECRET_FILE	"ca-secret"
#define ROOT_YEARS	20
#define ISSUING_YEARS	10
#define SUBSCRIBER_DAYS	730	/* two years */
#define DAY		86400

void
ca_sp_mac(struct server *srv, const char *provider, const char *sp_id,
    const char *password, char out[65])
{
	char *msg;

	msg = xasprintf("sp|%s|%s|%s", provider, sp_id, password);
	seal_mac_hex(srv->ca->keys.mac, msg, out);
	OPENSSL_cleanse(msg, strlen(msg));
	free(msg);
}

void
ca_code_mac(struct server *srv, const char *cccd, const char *code,
    char out[65])
{
	char *msg;

	msg = xasprintf("activation|%s|%s", cccd, code);
	seal_mac_hex(srv->ca->keys.mac, msg, out);
	OPENSSL_cleanse(msg, strlen(msg));
	free(msg);
}

/* ---- the CAs ---- */

int
ca_provider_index(struct server *srv, const char *id)
{
	size_t i;

	for (i = 0; i < srv->cfg.nproviders; i++)
		if (strcmp(srv->cfg.providers[i].id, id) == 0)
			return (int)i;
	return -1;
}

static void
authority_clear(struct ca_authority *a)
{
	X509_free(a->cert);
	EVP_PKEY_free(a->key);
	free(a->der_b64);
	memset(a, 0, sizeof *a);
}

/* Loads or makes one CA; the caller holds pki_lock. */
static enum status
authority_load(struct server *srv, const char *provider, const char *name,
    struct ca_authority *issuer, struct ca_authority *out)
{
	struct ca_state *st = srv->ca;
	struct ca_pki_subject subj;
	char *pem = NULL, *sealed = NULL, *aad, *cn = NULL;
	int64_t now = clock_now();
	enum status s;

	if (out->cert != NULL)
		return STATUS_OK;
	aad = xasprintf("authority|%s", provider);
	s = ca_authority_get(srv->db[SERVER_CA], provider, &pem, &sealed);
	if (s == STATUS_OK) {
		out->cert = ca_pki_cert_from_pem(pem);
		s = out->cert == NULL ? STATUS_ERR_CRYPTO :
		    ca_pki_key_open(st->keys.kek, sealed, aad, &out->key);
		goto done;
	}
	if (s != STATUS_ERR_NOTFOUND)
		goto done;
	memset(&subj, 0, sizeof subj);
	if (issuer == NULL) {
		subj.org = "NEAC (demo)";
		subj.common_name = "NEAC Root CA (demo)";
	} else {
		cn = xasprintf("%s CA (demo)", name);
		subj.org = name;
		subj.common_name = cn;
	}
	s = ca_pki_keygen(&out->key);
	if (s == STATUS_OK)
		s = ca_pki_certify(issuer == NULL ? CA_PKI_ROOT :
		    CA_PKI_ISSUING, &subj,
		    out->key, issuer != NULL ? issuer->cert : NULL,
		    issuer != NULL ? issuer->key : NULL, now - DAY,
		    now + (int64_t)(issuer == NULL ? ROOT_YEARS :
		    ISSUING_YEARS) * 365 * DAY, &out->cert);
	if (s == STATUS_OK)
		s = ca_pki_key_seal(st->keys.kek, out->key, aad, &sealed);
	if (s == STATUS_OK) {
		free(pem);
		pem = ca_pki_cert_pem(out->cert);
		s = pem == NULL ? STATUS_ERR_CRYPTO : ca_authority_add(
		    srv->db[SERVER_CA], provider, pem, sealed, now);
	}
	if (s == STATUS_OK)
		log_info("ca: made the %s", subj.common_name);
done:
	if (s == STATUS_OK)
		out->der_b64 = ca_pki_cert_der_b64(out->cert);
	else {
		log_error("ca: cannot load or make the CA of \"%s\": %s",
		    *provider != '\0' ? provider : "root", status_name(s));
		authority_clear(out);
	}
	free(pem);
	if (sealed != NULL)
		OPENSSL_cleanse(sealed, strlen(sealed));
	free(sealed);
	free(aad);
	free(cn);
	return s;
}

/* The caller holds pki_lock. */
static enum status
chain_locked(struct server *srv, int provider, struct ca_authority **issuing,
    struct ca_authority **root)
{
	struct ca_state *st = srv->ca;
	struct provider *pv = &srv->cfg.providers[provider];
	enum status s;

	s = authority_load(srv, "", NULL, NULL, &st->root);
	if (s == STATUS_OK)
		s = authority_load(srv, pv->id, pv->name, &st->root,
		    &st->issuing[provider]);
	*issuing = &st->issuing[provider];
	*root = &st->root;
	return s;
}

enum status
ca_chain(struct server *srv, int provider, struct ca_authority **issuing,
    struct ca_authority **root)
{
	enum status s;

	pthread_mutex_lock(&srv->ca->pki_lock);
	s = chain_locked(srv, provider, issuing, root);
	pthread_mutex_unlock(&srv->ca->pki_lock);
	return s;
}

/* A new key and certificate for a subscriber; the caller holds pki_lock. */
static enum status
issue_locked(struct server *srv, const struct ca_subscriber *sub)
{
	struct ca_authority *issuing, *root;
	struct ca_pki_subject subj;
	struct ca_cert c;
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	char *uid, *aad = NULL, masked[LOG_CCCD_LEN];
	int64_t now = clock_now();
	enum status s;
	int p;

	p = ca_provider_index(srv, sub->provider);
	if (p == -1)
		return STATUS_ERR_NOTFOUND;
	if ((s = chain_locked(srv, p, &issuing, &root)) != STATUS_OK)
		return s;
	memset(&c, 0, sizeof c);
	uid = xasprintf("CCCD:%s", sub->cccd);
	memset(&subj, 0, sizeof subj);
	subj.common_name = sub->full_name;
	subj.uid = uid;
	s = ca_pki_keygen(&key);
	if (s == STATUS_OK)
		s = ca_pki_certify(CA_PKI_SUBSCRIBER, &subj, key, issuing->cert,
		    issuing->key, now - 60, now + SUBSCRIBER_DAYS * DAY, &x);
	if (s != STATUS_OK)
		goto out;
	c.subscriber_id = sub->id;
	c.pem = ca_pki_cert_pem(x);
	aad = ca_pki_cert_serial(x);
	snprintf(c.serial, sizeof c.serial, "%s", aad);
	free(aad);
	aad = xasprintf("cert|%s", c.serial);
	ca_pki_cert_validity(x, &c.not_before, &c.not_after);
	s = ca_pki_key_seal(srv->ca->keys.kek, key, aad, &c.key_sealed);
	if (s == STATUS_OK)
		s = ca_cert_add(srv->db[SERVER_CA], &c, now);
	if (s == STATUS_OK)
		log_info("ca: certificate %s for %s at %s", c.serial,
		    log_cccd(sub->cccd, masked), sub->provider);
out:
	ca_cert_clear(&c);
	X509_free(x);
	EVP_PKEY_free(key);
	free(uid);
	free(aad);
	return s;
}

/* Makes the subscriber's first certificate unless it has one. */
static enum status
ensure_cert(struct server *srv, const struct ca_subscriber *sub)
{
	struct ca_cert *v = NULL;
	size_t n = 0, i;
	enum status s;

	pthread_mutex_lock(&srv->ca->pki_lock);
	s = ca_cert_list(srv->db[SERVER_CA], sub->id, &v, &n);
	if (s == STATUS_OK && n == 0)
		s = issue_locked(srv, sub);
	pthread_mutex_unlock(&srv->ca->pki_lock);
	for (i = 0; i < n; i++)
		ca_cert_clear(&v[i]);
	free(v);
	return s;
}

enum status
ca_subscriber_certs(struct server *srv, const struct ca_subscriber *sub,
    struct ca_cert **out, size_t *n)
{
	enum status s;

	*out = NULL;
	*n = 0;
	s = ca_cert_list(srv->db[SERVER_CA], sub->id, out, n);
	if (s == STATUS_OK && *n == 0) {
		free(*out);
		if ((s = ensure_cert(srv, sub)) != STATUS_OK)
			return s;
		s = ca_cert_list(srv->db[SERVER_CA], sub->id, out, n);
	}
	return s;
}

enum status
ca_subscriber_cert(struct server *srv, const struct ca_subscriber *sub,
    const char *serial, struct ca_cert *out)
{
	struct ca_cert *v = NULL;
	size_t n = 0, i, pick;
	enum status s;

	memset(out, 0, sizeof *out);
	s = ca_subscriber_certs(srv, sub, &v, &n);
	if (s != STATUS_OK)
		return s;
	pick = n;
	for (i = 0; i < n && pick == n; i++)
		if (serial == NULL || strcasecmp(v[i].serial, serial) == 0)
			pick = i;
	if (pick == n)
		s = STATUS_ERR_NOTFOUND;
	else {
		*out = v[pick];
		memset(&v[pick], 0, sizeof v[pick]);
	}
	for (i = 0; i < n; i++)
		ca_cert_clear(&v[i]);
	free(v);
	return s;
}

enum status
ca_cert_key(struct server *srv, const struct ca_cert *c, EVP_PKEY **key)
{
	char *aad;
	enum status s;

	aad = xasprintf("cert|%s", c->serial);
	s = ca_pki_key_open(srv->ca->keys.kek, c->key_sealed, aad, key);
	free(aad);
	return s;
}

/* ---- signing ---- */

struct sign_job {
	EVP_PKEY	*key;
	struct ca_file	*files;
	size_t		 from, to;
	int64_t		 now;
	enum status	 s;
};

static void *
sign_range(void *arg)
{
	struct sign_job *j = arg;
	uint8_t d[32];
	size_t i;

	j->s = STATUS_OK;
	for (i = j->from; i < j->to && j->s == STATUS_OK; i++) {
		j->s = signproto_hex_digest(j->files[i].digest, d);
		if (j->s == STATUS_OK)
			j->s = ca_pki_sign_digest(j->key, d,
			    &j->files[i].signature);
		j->files[i].signed_at = j->now;
	}
	return NULL;
}

enum status
ca_sign_files(struct server *srv, EVP_PKEY *key, struct ca_file *files,
    size_t n, int64_t now, unsigned busy)
{
	struct sign_job jobs[8];
	pthread_t tids[8];
	size_t nthreads, i, per;
	int started[8];
	enum status s = STATUS_OK;

	/* The cores that another job of this request does not hold. */
	nthreads = srv->ca->sign_threads > busy ? srv->ca->sign_threads - busy :
	    1;
	if (nthreads > 8)
		nthreads = 8;
	if (n < 8 || nthreads < 2)
		nthreads = 1;
	per = (n + nthreads - 1) / nthreads;
	for (i = 0; i < nthreads; i++) {
		jobs[i].key = key;
		jobs[i].files = files;
		jobs[i].from = i * per < n ? i * per : n;
		jobs[i].to = (i + 1) * per < n ? (i + 1) * per : n;
		jobs[i].now = now;
		started[i] = i > 0 && pthread_create(&tids[i], NULL,
		    sign_range, &jobs[i]) == 0;
		if (i > 0 && !started[i])
			sign_range(&jobs[i]);
	}
	sign_range(&jobs[0]);
	for (i = 0; i < nthreads; i++) {
		if (i > 0 && started[i])
			pthread_join(tids[i], NULL);
		if (jobs[i].s != STATUS_OK)
			s = jobs[i].s;
	}
	return s;
}

/* ---- states and times ---- */

const char *
ca_state_word(int state)
{
	switch (state) {
	case CA_TX_SUCCESS: return "signed";
	case CA_TX_WAITING: return "waiting";
	case CA_TX_EXPIRED: return "expired";
	case CA_TX_REJECTED: return "rejected";
	case CA_TX_KEY_FAILED: return "locked";
	case CA_TX_CANCELLED: return "cancelled";
	default: return "failed";
	}
}

const char *
ca_state_message(int state)
{
	switch (state) {
	case CA_TX_SUCCESS: return "SUCCESS";
	case CA_TX_WAITING: return "WAITING_FOR_SIGNER_CONFIRM";
	case CA_TX_EXPIRED: return "EXPIRED";
	case CA_TX_REJECTED: return "SIGNER_REJECTED";
	case CA_TX_KEY_FAILED: return "AUTHORIZE_KEY_FAILED";
	case CA_TX_CANCELLED: return "CANCELLED";
	default: return "SIGN_FAILED";
	}
}

void
ca_time_utc(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

void
ca_notify(struct server *srv, const struct ca_tx *tx)
{
	char key[64];

	snprintf(key, sizeof key, "ca:tx:%s", tx->tran_code);
	waiter_notify(srv->waiters, key);
	snprintf(key, sizeof key, "ca:cccd:%s", tx->cccd);
	waiter_notify(srv->waiters, key);
}

static void
expired_one(void *ctx, const struct ca_tx *tx)
{
	struct server *srv = ctx;

	ca_audit(srv->db[SERVER_CA], clock_now(), "expire", tx->provider,
	    tx->cccd, tx->tran_code, NULL, NULL);
	ca_notify(srv, tx);
}

void
ca_expire(struct server *srv)
{
	ca_tx_expire_due(srv->db[SERVER_CA], clock_now(), expired_one, srv);
}

/* ---- enrollment ---- */

struct enrolled {
	char	pin[7];
	char	code[SIGNPROTO_CODE_LEN + 1];
};

/*
 * Enrols a citizen at one provider (provider >= 0) or at all, with one PIN
 * and one activation code, making the keys now when certify is set (else
 * the worker makes them).  msg gets what went wrong, for people.
 */
static enum status
enroll(struct server *srv, int provider, const char *cccd, const char *name,
    const char *phone, int certify, struct enrolled *out, char *msg,
    size_t msgsz)
{
	struct kdf_params pin_kdf;
	struct ca_subscriber sub;
	enum validate_err ve;
	char normal[11], mac[65];
	char *pin_hash = NULL;
	int64_t now = clock_now();
	enum status s;
	size_t i;

	memset(out, 0, sizeof *out);
	ve = cccd_check(cccd, NULL, CCCD_GENDER_ANY, NULL);
	if (ve == VALIDATE_ERR_OK)
		ve = phone_normalize(phone, normal);
	if (ve != VALIDATE_ERR_OK) {
		snprintf(msg, msgsz, "%s", validate_message(ve, LANG_EN));
		return STATUS_ERR_INVALID;
	}
	if (*name == '\0' || strlen(name) > 200) {
		snprintf(msg, msgsz, "the name must have 1 to 200 bytes");
		return STATUS_ERR_INVALID;
	}
	pin_kdf = srv->cfg.kdf;
	if (pin_kdf.N > CA_PIN_KDF_N)
		pin_kdf.N = CA_PIN_KDF_N;
	if ((s = token_digits(out->pin, 6)) != STATUS_OK ||
	    (s = signproto_code_new(out->code)) != STATUS_OK ||
	    (s = kdf_hash(out->pin, &pin_kdf, &pin_hash)) != STATUS_OK)
		goto out;
	for (i = 0; i < srv->cfg.nproviders && s == STATUS_OK; i++) {
		if (provider >= 0 && (size_t)provider != i)
			continue;
		memset(&sub, 0, sizeof sub);
		snprintf(sub.provider, sizeof sub.provider, "%s",
		    srv->cfg.providers[i].id);
		snprintf(sub.cccd, sizeof sub.cccd, "%s", cccd);
		snprintf(sub.phone, sizeof sub.phone, "%s", normal);
		sub.full_name = (char *)name;
		sub.pin_hash = pin_hash;
		s = ca_subscriber_put(srv->db[SERVER_CA], &sub, now);
		if (s == STATUS_OK && certify) {
			pthread_mutex_lock(&srv->ca->pki_lock);
			s = issue_locked(srv, &sub);
			pthread_mutex_unlock(&srv->ca->pki_lock);
		}
		if (s == STATUS_OK)
			ca_audit(srv->db[SERVER_CA], now, "enroll",
			    sub.provider, cccd, NULL, NULL, NULL);
	}
	if (s != STATUS_OK)
		goto out;
	ca_code_mac(srv, cccd, out->code, mac);
	s = ca_activation_add(srv->db[SERVER_CA], cccd, mac, now);
out:
	if (s != STATUS_OK && msg[0] == '\0')
		snprintf(msg, msgsz, "enrollment failed: %s",
		    status_message(s, LANG_EN));
	if (pin_hash != NULL) {
		OPENSSL_cleanse(pin_hash, strlen(pin_hash));
		free(pin_hash);
	}
	return s;
}

/* A mobile number for a demo citizen: 091 and seven random digits. */
static enum status
demo_phone(char out[11])
{
	char tail[8];
	enum status s;

	if ((s = token_digits(tail, 7)) != STATUS_OK)
		return s;
	snprintf(out, 11, "091%s", tail);
	return STATUS_OK;
}

/*
 * Enrols the idp's demo citizens (DATA/demo.json) at every provider and
 * adds their signing PIN, phone and activation code to the file.
 */
static int
enroll_demo(struct server *srv, char *err, size_t errsz)
{
	struct enrolled e;
	struct buf b;
	cJSON *root = NULL, *c;
	const cJSON *list = NULL;
	const char *cccd, *name;
	char *path, *text, phone[11], shown[SIGNPROTO_CODE_LEN + 2], msg[256];
	int r, rc = -1, n = 0;

	path = xasprintf("%s/demo.json", srv->data_dir);
	buf_init(&b, 1024 * 1024);
	r = privfile_read(path, &b);
	if (r == 1) {
		log_info("ca: no %s, so no demo citizens to enrol", path);
		rc = 0;
		goto out;
	}
	if (r == -1 || json_parse(buf_str(&b), b.len, &root, NULL, 0) !=
	    STATUS_OK || json_get_array(root, "citizens", 1, &list, NULL) !=
	    STATUS_OK) {
		snprintf(err, errsz, "ca: cannot read the demo citizens in %s",
		    path);
		goto out;
	}
	cJSON_ArrayForEach(c, list) {
		cccd = cJSON_GetStringValue(cJSON_GetObjectItem(c, "cccd"));
		name = cJSON_GetStringValue(cJSON_GetObjectItem(c, "name"));
		if (cccd == NULL || name == NULL ||
		    cJSON_GetObjectItem(c, "signing_pin") != NULL)
			continue;
		msg[0] = '\0';
		if (demo_phone(phone) != STATUS_OK ||
		    enroll(srv, -1, cccd, name, phone, 0, &e, msg,
		    sizeof msg) != STATUS_OK) {
			snprintf(err, errsz, "ca: demo citizen %s: %s", cccd,
			    msg);
			goto out;
		}
		signproto_code_display(e.code, shown);
		cJSON_AddStringToObject(c, "signing_pin", e.pin);
		cJSON_AddStringToObject(c, "phone", phone);
		cJSON_AddStringToObject(c, "activation_code", shown);
		OPENSSL_cleanse(&e, sizeof e);
		n++;
	}
	text = cJSON_Print(root);
	r = privfile_write(path, text, strlen(text));
	OPENSSL_cleanse(text, strlen(text));
	cJSON_free(text);
	if (r == -1) {
		snprintf(err, errsz, "ca: cannot write %s: %s", path,
		    strerror(errno));
		goto out;
	}
	log_info("ca: enrolled %d demo citizens at %zu providers", n,
	    srv->cfg.nproviders);
	rc = 0;
out:
	cJSON_Delete(root);
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	free(path);
	return rc;
}

/* ---- the worker ---- */

/*
 * Whether the role stops.  Not under pki_lock: the worker takes that lock
 * again at once for each key, and a stop waiting for it would wait for
 * every key.
 */
static int
stopping(struct ca_state *st)
{
	return atomic_load(&st->stopping);
}

static void *
worker(void *arg)
{
	struct server *srv = arg;
	struct ca_state *st = srv->ca;
	struct ca_authority *issuing, *root;
	struct ca_subscriber sub;
	char masked[LOG_CCCD_LEN];
	int64_t *ids = NULL;
	size_t n = 0, i;

	/* Below the requests: a key made here is one less made while asked. */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	for (i = 0; i < srv->cfg.nproviders && !stopping(st); i++)
		if (ca_chain(srv, (int)i, &issuing, &root) != STATUS_OK)
			return NULL;
	if (stopping(st) || ca_subscribers_uncertified(srv->db[SERVER_CA], &ids,
	    &n) != STATUS_OK)
		goto out;
	for (i = 0; i < n && !stopping(st); i++) {
		if (ca_subscriber_by_id(srv->db[SERVER_CA], ids[i], &sub) !=
		    STATUS_OK)
			continue;
		if (ensure_cert(srv, &sub) != STATUS_OK)
			log_error("ca: cannot make the certificate of %s at %s",
			    log_cccd(sub.cccd, masked), sub.provider);
		ca_subscriber_clear(&sub);
	}
	if (n > 0 && !stopping(st))
		log_info("ca: every enrolled citizen has a certificate");
out:
	free(ids);
	return NULL;
}

/* ---- the role ---- */

static int
register_sps(struct server *srv, char *err, size_t errsz)
{
	const char *name = srv->cfg.portal_name != NULL ?
	    srv->cfg.portal_name : "Cổng Dịch vụ công";
	struct provider *pv;
	char mac[65];
	size_t i;

	for (i = 0; i < srv->cfg.nproviders; i++) {
		pv = &srv->cfg.providers[i];
		if (strcmp(pv->id, "app") == 0) {
			snprintf(err, errsz, "ca: \"app\" cannot be a provider "
			    "id: /ca/app is the phone's API");
			return -1;
		}
		if (pv->sp_password == NULL || *pv->sp_password == '\0')
			continue;
		ca_sp_mac(srv, pv->id, pv->sp_id, pv->sp_password, mac);
		if (ca_sp_put(srv->db[SERVER_CA], pv->id, pv->sp_id, name, mac,
		    clock_now()) != STATUS_OK) {
			snprintf(err, errsz, "ca: cannot register the service "
			    "provider %s at %s", pv->sp_id, pv->id);
			return -1;
		}
	}
	return 0;
}

/* The role's state without the demo and the worker: enough to enrol. */
static int
ca_open(struct server *srv, char *err, size_t errsz)
{
	struct ca_state *st;
	long cpus;

	st = xcalloc(1, sizeof *st);
	pthread_mutex_init(&st->pki_lock, NULL);
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	st->sign_threads = cpus > 1 ? (unsigned)(cpus > 8 ? 8 : cpus) : 1;
	srv->ca = st;
	if (seal_keys_load(srv->db[SERVER_CA], srv->data_dir, SECRET_FILE, "ca",
	    &st->keys, err, errsz) == -1 ||
	    register_sps(srv, err, errsz) == -1)
		return -1;
	return 0;
}

int
ca_init(struct server *srv, char *err, size_t errsz)
{
	int64_t n = 0;

	err[0] = '\0';
	if (ca_open(srv, err, errsz) == -1)
		return -1;
	if (srv->demo) {
		if (ca_subscriber_count(srv->db[SERVER_CA], &n) != STATUS_OK) {
			snprintf(err, errsz, "ca: cannot read the subscribers");
			return -1;
		}
		if (n == 0 && enroll_demo(srv, err, errsz) == -1)
			return -1;
	}
	ca_expire(srv);
	if (pthread_create(&srv->ca->worker, NULL, worker, srv) == 0)
		srv->ca->worker_started = 1;
	return 0;
}

void
ca_free(struct server *srv)
{
	struct ca_state *st = srv->ca;
	size_t i;

	if (st == NULL)
		return;
	atomic_store(&st->stopping, 1);
	if (st->worker_started)
		pthread_join(st->worker, NULL);
	authority_clear(&st->root);
	for (i = 0; i < CONFIG_MAX_PROVIDERS; i++)
		authority_clear(&st->issuing[i]);
	pthread_mutex_destroy(&st->pki_lock);
	OPENSSL_cleanse(st, sizeof *st);
	free(st);
	srv->ca = NULL;
}

int
ca_enroll_command(struct server *srv, const char *provider_id, const char *cccd,
    const char *name, const char *phone)
{
	struct enrolled e;
	char err[512], msg[256], shown[SIGNPROTO_CODE_LEN + 2];
	int p = -1, rc = 1;

	err[0] = msg[0] = '\0';
	if (ca_open(srv, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		goto out;
	}
	if (provider_id != NULL &&
	    (p = ca_provider_index(srv, provider_id)) == -1) {
		fprintf(stderr, "dvc-server: no provider \"%s\" in the "
		    "configuration\n", provider_id);
		goto out;
	}
	if (enroll(srv, p, cccd, name, phone, 1, &e, msg, sizeof msg) !=
	    STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", msg);
		goto out;
	}
	signproto_code_display(e.code, shown);
	printf("enrolled %s at %s\n", cccd, p >= 0 ? provider_id :
	    "every provider");
	printf("signing PIN:     %s\n", e.pin);
	printf("activation code: %s\n", shown);
	printf("These are shown once; the server keeps only hashes.\n");
	OPENSSL_cleanse(&e, sizeof e);
	rc = 0;
out:
	ca_free(srv);
	return rc;
}
