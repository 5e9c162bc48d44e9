/*
 * The identity provider's state: its keys and form secret (idp/keys.c),
 * the check of a passcode with its lockout, and the demo citizens of a
 * fresh data folder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "buf.h"
#include "clock.h"
#include "idp/idp.h"
#include "idp/keys.h"
#include "idp/store.h"
#include "json.h"
#include "jwt.h"
#include "kdf.h"
#include "log.h"
#include "privfile.h"
#include "ratelimit.h"
#include "server.h"
#include "token.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

/*
 * The demo citizens: Kon Tum CCCDs, names with every diacritic they need,
 * and where each lives, by the national codes of data/addresses.json
 * (province, ward), one of them outside Quảng Ngãi.
 */
static const struct {
	const char	*name;
	const char	*birth;
	int		 female;
	int		 level;
	const char	*address[3];	/* province, ward, street */
} demo_citizens[] = {
	{ "Nguyễn Văn Đức", "1985-03-12", 0, 2,
	  { "51", "23293", "12 Trần Hưng Đạo" } },	/* Phường Kon Tum */
	{ "Trần Thị Thu Hằng", "1992-07-25", 1, 2,
	  { "51", "21025", "45 Bà Triệu" } },		/* Phường Cẩm Thành */
	{ "Phạm Ngọc Ánh", "2003-11-02", 1, 1,
	  { "79", "26882", "8 Quang Trung" } },		/* Phường An Hội Tây */
	{ "A Thuận", "1978-09-30", 0, 2,
	  { "51", "23500", "Thôn 3" } },		/* Xã Đăk Hà */
};

static int
make_demo(struct server *srv, char *err, size_t errsz)
{
	struct idp_account a;
	cJSON *root, *list, *c, *addr;
	char passcode[7], tail[7], *text, *path, *sub;
	size_t i;
	int y, rc = -1;

	root = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(root, "citizens");
	for (i = 0; i < sizeof demo_citizens / sizeof demo_citizens[0]; i++) {
		memset(&a, 0, sizeof a);
		y = (int)strtol(demo_citizens[i].birth, NULL, 10);
		if (token_digits(tail, 6) != STATUS_OK ||
		    token_digits(passcode, 6) != STATUS_OK)
			goto out;
		if (snprintf(a.cccd, sizeof a.cccd, "062%d%02d%s",
		    (y >= 2000 ? 2 : 0) + demo_citizens[i].female, y % 100,
		    tail) != 12)
			goto out;
		sub = token_random(16);
		snprintf(a.sub, sizeof a.sub, "%s", sub);
		free(sub);
		a.full_name = (char *)demo_citizens[i].name;
		snprintf(a.birth_date, sizeof a.birth_date, "%s",
		    demo_citizens[i].birth);
		snprintf(a.gender, sizeof a.gender, "%s",
		    demo_citizens[i].female ? "female" : "male");
		a.level = demo_citizens[i].level;
		if (kdf_hash(passcode, &srv->cfg.kdf, &a.passcode_hash) !=
		    STATUS_OK)
			goto out;
		if (idp_account_create(srv->db[SERVER_IDP], &a) != STATUS_OK) {
			free(a.passcode_hash);
			goto out;
		}
		free(a.passcode_hash);
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "cccd", a.cccd);
		cJSON_AddStringToObject(c, "name", a.full_name);
		cJSON_AddStringToObject(c, "birth_date", a.birth_date);
		cJSON_AddStringToObject(c, "gender", a.gender);
		cJSON_AddNumberToObject(c, "level", a.level);
		cJSON_AddStringToObject(c, "passcode", passcode);
		addr = cJSON_AddObjectToObject(c, "address");
		cJSON_AddStringToObject(addr, "province_code",
		    demo_citizens[i].address[0]);
		cJSON_AddStringToObject(addr, "ward_code",
		    demo_citizens[i].address[1]);
		cJSON_AddStringToObject(addr, "street",
		    demo_citizens[i].address[2]);
		cJSON_AddItemToArray(list, c);
	}
	text = cJSON_Print(root);
	path = xasprintf("%s/demo.json", srv->data_dir);
	rc = privfile_write(path, text, strlen(text));
	if (rc == 0)
		log_info("idp: demo citizens written to %s", path);
	else
		snprintf(err, errsz, "cannot write %s: %s", path,
		    strerror(errno));
	free(path);
	cJSON_free(text);
out:
	if (rc == -1 && err[0] == '\0')
		snprintf(err, errsz, "idp: cannot create the demo citizens");
	cJSON_Delete(root);
	return rc;
}

int
idp_init(struct server *srv, int demo, char *err, size_t errsz)
{
	struct idp_state *st;
	int64_t n;

	err[0] = '\0';
	st = xcalloc(1, sizeof *st);
	srv->idp = st;
	if (idp_keys_init(srv, err, errsz) == -1)
		return -1;
	/* Unknown accounts cost as much to check as known ones. */
	if (kdf_hash("000000", &srv->cfg.kdf, &st->dummy_hash) != STATUS_OK) {
		snprintf(err, errsz, "idp: the KDF does not work");
		return -1;
	}
	if (demo) {
		if (idp_account_count(srv->db[SERVER_IDP], &n) != STATUS_OK) {
			snprintf(err, errsz, "idp: cannot read the accounts");
			return -1;
		}
		if (n == 0 && make_demo(srv, err, errsz) == -1)
			return -1;
	}
	idp_store_purge(srv->db[SERVER_IDP], clock_now());
	return 0;
}

void
idp_free(struct server *srv)
{
	struct idp_state *st = srv->idp;

	if (st == NULL)
		return;
	idp_keys_free(srv);
	free(st->dummy_hash);
	free(st->issuer);
	free(st);
	srv->idp = NULL;
}

const char *
idp_issuer(struct server *srv)
{
	struct idp_state *st = srv->idp;

	/* Set once the server listens (server_start_roles); never changes. */
	return st->issuer != NULL ? st->issuer : "";
}

enum status
idp_authenticate(struct server *srv, const char *client, const char *cccd,
    const char *passcode, struct idp_account *acct, unsigned *retry_after,
    char *msg, size_t msgsz)
{
	struct idp_state *st = srv->idp;
	enum lang lang = LANG_VI;
	enum validate_err ve;
	enum status s;
	char key[128], account[64];
	int match = 0, known;
	unsigned used, left, wait;

	memset(acct, 0, sizeof *acct);
	*retry_after = 0;
	ve = cccd_check(cccd, NULL, CCCD_GENDER_ANY, NULL);
	if (ve == VALIDATE_ERR_OK)
		ve = validate_passcode(passcode);
	if (ve != VALIDATE_ERR_OK) {
		snprintf(msg, msgsz, "%s", validate_message(ve, lang));
		return STATUS_ERR_INVALID;
	}
	snprintf(key, sizeof key, "passcode|%s|%s", cccd, client);
	snprintf(account, sizeof account, "passcode|%s", cccd);
	if (ratelimit_check(srv->limiter, key, clock_now(), retry_after) !=
	    STATUS_OK) {
		snprintf(msg, msgsz, "Tài khoản tạm khóa do nhập sai mật mã "
		    "nhiều lần; hãy thử lại sau %u giây.", *retry_after);
		return STATUS_ERR_LOCKED;
	}
	/* In backoff even the right passcode waits its turn, unchecked. */
	if (ratelimit_backoff_turn(srv->backoff, account, clock_now(),
	    retry_after) != STATUS_OK) {
		snprintf(msg, msgsz, "Tài khoản vừa bị nhập sai mật mã nhiều "
		    "lần; để bảo vệ tài khoản, hãy chờ %u giây rồi thử lại.",
		    *retry_after);
		return STATUS_ERR_LOCKED;
	}
	s = idp_account_by_cccd(srv->db[SERVER_IDP], cccd, acct);
	if (s != STATUS_OK && s != STATUS_ERR_NOTFOUND) {
		snprintf(msg, msgsz, "Lỗi hệ thống; hãy thử lại.");
		return s;
	}
	known = s == STATUS_OK;
	if (kdf_verify(passcode, known ? acct->passcode_hash : st->dummy_hash,
	    &match) != STATUS_OK)
		match = 0;
	if (known && match) {
		ratelimit_success(srv->limiter, key);
		return STATUS_OK;
	}
	idp_account_clear(acct);
	ratelimit_backoff_fail(srv->backoff, account, clock_now(), &wait);
	if (ratelimit_fail(srv->limiter, key, clock_now(), retry_after) !=
	    STATUS_OK) {
		snprintf(msg, msgsz, "Sai số định danh hoặc mật mã quá %u lần; "
		    "tài khoản tạm khóa, hãy thử lại sau %u giây.",
		    srv->cfg.lockout_failures, *retry_after);
		return STATUS_ERR_LOCKED;
	}
	used = ratelimit_failures(srv->limiter, key);
	left = used < srv->cfg.lockout_failures ?
	    srv->cfg.lockout_failures - used : 0;
	if (wait > 0)
		snprintf(msg, msgsz, "Số định danh hoặc mật mã không đúng; còn "
		    "%u lần thử, lần sau hãy chờ %u giây.", left, wait);
	else
		snprintf(msg, msgsz, "Số định danh hoặc mật mã không đúng; còn "
		    "%u lần thử.", left);
	return STATUS_ERR_AUTH;
}

enum status
idp_user_code_allowed(struct server *srv, const char *client,
    unsigned *retry_after)
{
	char key[96];

	snprintf(key, sizeof key, "usercode|%s", client);
	return ratelimit_check(srv->limiter, key, clock_now(), retry_after);
}

enum status
idp_user_code_failed(struct server *srv, const char *client,
    unsigned *retry_after)
{
	char key[96];

	snprintf(key, sizeof key, "usercode|%s", client);
	return ratelimit_fail(srv->limiter, key, clock_now(), retry_after);
}

static const struct jwt_key *
lookup_key(void *ctx, const char *kid)
{
	return idp_keys_find(ctx, kid);
}

enum status
idp_verify_access(struct server *srv, const char *token, cJSON **claims,
    char *err, size_t errsz)
{
	struct jwt_expect ex;
	enum jwt_fault fault = JWT_FAULT_NONE;
	enum status s;
	size_t i = 0;

	memset(&ex, 0, sizeof ex);
	ex.iss = idp_issuer(srv);
	ex.aud = srv->cfg.client_id;
	ex.now = clock_now();
	ex.leeway = 5;
	ex.fault = &fault;
	/* A token of any client this idp knows: dvc's, then the web ones. */
	for (;;) {
		s = jwt_verify(token, lookup_key, srv, &ex, claims, err, errsz);
		if (s == STATUS_OK || fault != JWT_FAULT_AUDIENCE ||
		    i == srv->cfg.nclients)
			return s;
		ex.aud = srv->cfg.clients[i++].id;
	}
}

int
idp_demo_print(const char *data_dir, int json)
{
	struct buf b;
	FILE *fp;
	char chunk[4096], *path, *line, *name, *pin, *phone, *code;
	cJSON *root = NULL;
	const cJSON *list = NULL, *c;
	size_t n, w;
	int rc = 1;

	path = xasprintf("%s/demo.json", data_dir);
	buf_init(&b, 1024 * 1024);
	fp = fopen(path, "r");
	if (fp == NULL) {
		fprintf(stderr, "dvc-server: no demo citizens in %s: %s; a "
		    "fresh data folder gets them unless --no-demo is given\n",
		    data_dir, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&b, chunk, n) != STATUS_OK)
			break;
	fclose(fp);
	if (json_parse(buf_str(&b), b.len, &root, NULL, 0) != STATUS_OK ||
	    json_get_array(root, "citizens", 1, &list, NULL) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s is damaged\n", path);
		goto out;
	}
	/* 78 columns with make run's indent; the rest is in --json. */
	if (!json)
		printf("%-12s  %s%*s  %s  %s  %-10s  %s\n", "CCCD",
		    "Họ và tên", 22 - 9, "", "Mật mã", "PIN ký", "Điện thoại",
		    "Mã kích hoạt");
	cJSON_ArrayForEach(c, list) {
		if (json) {
			line = cJSON_PrintUnformatted(c);
			printf("%s\n", line);
			cJSON_free(line);
			continue;
		}
		name = cJSON_GetStringValue(cJSON_GetObjectItem(c, "name"));
		if (name == NULL)
			continue;
		w = utf8_width(name);
		/* The signing fields come from the ca role, when it runs. */
		pin = cJSON_GetStringValue(cJSON_GetObjectItem(c,
		    "signing_pin"));
		phone = cJSON_GetStringValue(cJSON_GetObjectItem(c, "phone"));
		code = cJSON_GetStringValue(cJSON_GetObjectItem(c,
		    "activation_code"));
		printf("%-12s  %s%*s  %-6s  %-6s  %-10s  %s\n",
		    cJSON_GetStringValue(cJSON_GetObjectItem(c, "cccd")),
		    name, (int)(w < 22 ? 22 - w : 0), "",
		    cJSON_GetStringValue(cJSON_GetObjectItem(c, "passcode")),
		    pin != NULL ? pin : "-", phone != NULL ? phone : "-",
		    code != NULL ? code : "-");
	}
	rc = 0;
out:
	cJSON_Delete(root);
	buf_free(&b);
	free(path);
	return rc;
}

const struct oidc_client *
idp_client_find(struct server *srv, const char *client_id)
{
	size_t i;

	for (i = 0; i < srv->cfg.nclients; i++)
		if (strcmp(srv->cfg.clients[i].id, client_id) == 0)
			return &srv->cfg.clients[i];
	return NULL;
}

int
idp_client_known(struct server *srv, const char *client_id)
{
	return strcmp(client_id, srv->cfg.client_id) == 0 ||
	    idp_client_find(srv, client_id) != NULL;
}

/*
 * The scopes a client may ask for; "openid" when it names none.  A refresh
 * token comes with every login, so offline_access (OpenID Connect Core
 * §11) is taken and changes nothing.
 */
int
idp_scope_ok(const char *scope)
{
	static const char *const known[] = { "openid", "profile",
	    "offline_access", NULL };
	const char *p = scope, *e;
	size_t n, i;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		e = p + strcspn(p, " ");
		n = (size_t)(e - p);
		for (i = 0; n > 0 && known[i] != NULL; i++)
			if (strlen(known[i]) == n && strncmp(p, known[i], n) == 0)
				break;
		if (n > 0 && known[i] == NULL)
			return 0;
		p = e;
	}
	return 1;
}

/* The user of "Authorization: Basic" whose password is empty, or NULL. */
static char *
basic_client(struct http_req *req)
{
	const char *a = http_req_header(req, "Authorization");
	unsigned char raw[192];
	char *colon, *id = NULL;
	size_t n;
	int len;

	if (a == NULL || strncasecmp(a, "Basic ", 6) != 0)
		return NULL;
	a += 6;
	n = strlen(a);
	if (n == 0 || n % 4 != 0 || n / 4 * 3 >= sizeof raw)
		return NULL;
	len = EVP_DecodeBlock(raw, (const unsigned char *)a, (int)n);
	if (len <= 0)
		return NULL;
	while (len > 0 && n > 0 && a[--n] == '=')
		len--;	/* the padding decodes to zero bytes */
	raw[len] = '\0';
	colon = memchr(raw, ':', (size_t)len);
	if (colon != NULL && colon[1] == '\0' && colon > (char *)raw &&
	    strlen((char *)raw) == (size_t)len) {
		*colon = '\0';
		id = xstrdup((char *)raw);
	}
	return id;
}

char *
idp_request_client(struct http_req *req)
{
	char *id = http_req_form(req, "client_id");

	return id != NULL ? id : basic_client(req);
}

int
idp_form_once(struct http_req *req, struct http_resp *resp)
{
	char key[64], msg[128];

	if (!http_req_form_repeated(req, key, sizeof key))
		return 0;
	snprintf(msg, sizeof msg, "the parameter %s is given twice", key);
	http_error(req, resp, 400, "invalid_request", NULL, msg, NULL);
	return -1;
}
