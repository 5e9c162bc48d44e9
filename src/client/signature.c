/*
 * Signature settings: parsing, the request body, field errors and the
 * image check; see signature.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "client/oserror.h"
#include "client/refusal.h"
#include "client/signature.h"
#include "image.h"
#include "json.h"
#include "validate.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))
#define MAX_SIGNATURES	200

static const char *const field_keys[SIGNATURE_F__N] = {
	[SIGNATURE_F_IMAGE] = "",
	[SIGNATURE_F_NAME] = "name",
	[SIGNATURE_F_PHONE] = "phone",
	[SIGNATURE_F_KEYWORD] = "keyword",
	[SIGNATURE_F_TYPE] = "type",
	[SIGNATURE_F_ACCOUNT] = "account",
	[SIGNATURE_F_PROVIDER] = "provider",
};

const char *
signature_field_key(enum signature_field f)
{
	return f < SIGNATURE_F__N ? field_keys[f] : "";
}

static char *
get_dup(const cJSON *o, const char *key)
{
	const char *v = NULL;

	json_get_string(o, key, 0, &v, NULL);
	return xstrdup(v != NULL ? v : "");
}

static enum status
read_one(const cJSON *o, struct signature *s, char *err, size_t errsz)
{
	struct json_err je;
	const cJSON *cert = NULL;
	const char *id = NULL, *name = NULL;
	enum status st;

	memset(s, 0, sizeof *s);
	if ((st = json_get_string(o, "id", 1, &id, &je)) ||
	    (st = json_get_string(o, "name", 1, &name, &je))) {
		snprintf(err, errsz, "%s", je.message);
		return st;
	}
	s->id = xstrdup(id);
	s->name = xstrdup(name);
	s->phone = get_dup(o, "phone");
	s->keyword = get_dup(o, "keyword");
	s->account = get_dup(o, "account");
	s->provider = get_dup(o, "provider");
	s->provider_name = get_dup(o, "provider_name");
	s->type_name = get_dup(o, "type_name");
	json_get_bool(o, "has_image", 0, &s->has_image, NULL);
	json_get_object(o, "certificate", 0, &cert, NULL);
	s->valid_to = get_dup(cert, "valid_to");
	json_get_bool(o, "invalid", 0, &s->invalid, NULL);
	if (s->invalid) {
		s->invalid_reason = get_dup(o, "invalid_reason");
		if (s->invalid_reason[0] == '\0') {
			free(s->invalid_reason);
			s->invalid_reason = xstrdup("Chữ ký này không dùng để "
			    "ký được.");
		}
	}
	return STATUS_OK;
}

enum status
signature_list_parse(const char *body, size_t len, struct signature_list *l,
    char *err, size_t errsz)
{
	struct json_err je;
	const cJSON *items = NULL, *it;
	cJSON *root = NULL;
	enum status st;
	int n;

	memset(l, 0, sizeof *l);
	if ((st = json_parse(body, len, &root, err, errsz)) != STATUS_OK)
		return st;
	if ((st = json_get_array(root, "items", 1, &items, &je))) {
		snprintf(err, errsz, "%s", je.message);
		cJSON_Delete(root);
		return st;
	}
	n = cJSON_GetArraySize(items);
	if (n > MAX_SIGNATURES)
		n = MAX_SIGNATURES;
	l->items = xcalloc((size_t)n + 1, sizeof *l->items);
	cJSON_ArrayForEach(it, items) {
		if (l->n == (size_t)n)
			break;
		if ((st = read_one(it, &l->items[l->n], err, errsz))) {
			signature_list_free(l);
			cJSON_Delete(root);
			return st;
		}
		l->n++;
	}
	cJSON_Delete(root);
	return STATUS_OK;
}

void
signature_free(struct signature *s)
{
	free(s->id);
	free(s->name);
	free(s->phone);
	free(s->keyword);
	free(s->account);
	free(s->provider);
	free(s->provider_name);
	free(s->type_name);
	free(s->valid_to);
	free(s->invalid_reason);
	memset(s, 0, sizeof *s);
}

void
signature_list_free(struct signature_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		signature_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

enum status
signature_parse(const char *body, size_t len, struct signature *s, char *err,
    size_t errsz)
{
	cJSON *root = NULL;
	enum status st;

	memset(s, 0, sizeof *s);
	if ((st = json_parse(body, len, &root, err, errsz)) != STATUS_OK)
		return st;
	st = read_one(root, s, err, errsz);
	cJSON_Delete(root);
	return st;
}

char *
signature_input_json(const struct signature_input *in)
{
	const char *const kv[] = {
		"name", in->name, "phone", in->phone, "keyword", in->keyword,
		"type", "neac", "provider", in->provider,
	};
	cJSON *o = cJSON_CreateObject();
	char *out;
	size_t i;

	for (i = 0; i < sizeof kv / sizeof kv[0]; i += 2)
		if (kv[i + 1] != NULL && kv[i + 1][0] != '\0')
			cJSON_AddStringToObject(o, kv[i], kv[i + 1]);
	out = json_print(o);
	cJSON_Delete(o);
	return out;
}

const char *
signature_account_text(const char *cccd, enum lang lang)
{
	static char text[64];

	if (cccd == NULL || cccd[0] == '\0')
		return T(lang, "CCCD theo VNeID", "CCCD from VNeID");
	snprintf(text, sizeof text, "%s: %s", T(lang, "CCCD theo VNeID",
	    "CCCD from VNeID"), cccd);
	return text;
}

/* dvc's words for the portal's refusals in "Cập nhật chữ ký". */
static const struct refusal_words signature_words[] = {
	{ "not_found",
	    "Chữ ký này không còn trên cổng dịch vụ công.",
	    "This signature is no longer at the portal." },
	{ "conflict",
	    "Bạn đã có chữ ký mang tên này; hãy đặt tên khác.",
	    "You have a signature of this name already; choose another "
	    "name." },
	{ "payload_too_large",
	    "Ảnh lớn hơn 2 MB hoặc lớn hơn 2000×2000 điểm ảnh.",
	    "The image is larger than 2 MB or than 2000×2000 pixels." },
	{ "unsupported_media_type",
	    "Ảnh phải là tệp PNG hoặc JPEG còn nguyên vẹn.",
	    "The image must be a whole PNG or JPEG file." },
	{ NULL, NULL, NULL }
};

void
signature_errors_parse(const char *body, size_t len, long http_status,
    enum lang lang, struct signature_errors *e)
{
	const struct refusal_field *f;
	struct refusal rf;
	char *extra = NULL, *joined, key[64];
	size_t i, j;

	memset(e, 0, sizeof *e);
	refusal_read(&rf, body, len, http_status, signature_words, lang);
	for (j = 0; j < rf.nfields; j++) {
		f = &rf.fields[j];
		for (i = 1; i < SIGNATURE_F__N; i++)
			if (refusal_field_key(f->path, NULL, key, sizeof key) &&
			    strcmp(key, field_keys[i]) == 0)
				break;
		if (i < SIGNATURE_F__N) {
			if (e->fields[i] == NULL)
				e->fields[i] = xstrdup(f->words);
			continue;
		}
		joined = xasprintf("%s%s%s: %s", extra != NULL ? extra : "",
		    extra != NULL ? "; " : "", f->path, f->words);
		free(extra);
		extra = joined;
	}
	if (extra != NULL) {
		e->message = xasprintf("%s (%s)", rf.words, extra);
		free(extra);
	} else
		e->message = xstrdup(rf.words);
	refusal_free(&rf);
}

void
signature_errors_free(struct signature_errors *e)
{
	size_t i;

	free(e->message);
	for (i = 0; i < SIGNATURE_F__N; i++)
		free(e->fields[i]);
	memset(e, 0, sizeof *e);
}

int
signature_errors_any(const struct signature_errors *e)
{
	size_t i;

	for (i = 0; i < SIGNATURE_F__N; i++)
		if (e->fields[i] != NULL)
			return 1;
	return 0;
}

/* Reads at most max bytes of path; -1 with errno (EFBIG: too big). */
static int
read_file(const char *path, size_t max, char **data, size_t *len)
{
	struct stat sb;
	ssize_t r;
	size_t n = 0;
	char *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	if ((size_t)sb.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	p = xmalloc((size_t)sb.st_size + 1);
	while (n < (size_t)sb.st_size) {
		r = read(fd, p + n, (size_t)sb.st_size - n);
		if (r <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	*data = p;
	*len = n;
	return 0;
}

/* "PNG 400×120, 12 KB". */
static void
image_describe(const struct image_info *ii, size_t n, char *msg,
    size_t msgsz)
{
	snprintf(msg, msgsz, "%s %u×%u, %zu KB", image_type_name(ii->type),
	    (unsigned)ii->width, (unsigned)ii->height, (n + 1023) / 1024);
}

enum status
signature_phone_check(const char *v, int typing, enum lang lang, char *msg,
    size_t msgsz)
{
	enum validate_err ve;
	char norm[11];
	size_t digits = 0;
	const char *s;

	msg[0] = '\0';
	if ((ve = phone_normalize(v != NULL ? v : "", norm)) ==
	    VALIDATE_ERR_OK)
		return STATUS_OK;
	if (typing && (ve == VALIDATE_ERR_PHONE_EMPTY ||
	    ve == VALIDATE_ERR_PHONE_LENGTH)) {
		for (s = v; *s != '\0'; s++)
			if (*s >= '0' && *s <= '9')
				digits++;
		/* Still being typed: not yet as long as "84" and 9 digits. */
		if (digits < 11)
			return STATUS_OK;
	}
	snprintf(msg, msgsz, "%s", validate_message(ve, lang));
	return STATUS_ERR_INVALID;
}

enum status
signature_image_check(const char *path, enum lang lang, char *msg,
    size_t msgsz, char **data, size_t *len)
{
	struct image_info ii;
	char *bytes = NULL, detail[256], why[128];
	size_t n = 0;
	enum status st;

	if (data != NULL) {
		*data = NULL;
		*len = 0;
	}
	msg[0] = '\0';
	if (path == NULL || path[0] == '\0')
		return STATUS_OK;
	if (read_file(path, IMAGE_DEFAULT_MAX_BYTES, &bytes, &n) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			snprintf(msg, msgsz, "%s", T(lang, "Không có tệp này.",
			    "No such file."));
		else if (errno == EISDIR)
			snprintf(msg, msgsz, "%s", T(lang, "Đây là thư mục, "
			    "không phải tệp ảnh.", "This is a folder, not an "
			    "image file."));
		else if (errno == EFBIG)
			snprintf(msg, msgsz, "%s", T(lang, "Tệp lớn hơn 2 MB.",
			    "The file is larger than 2 MB."));
		else
			snprintf(msg, msgsz, T(lang, "Không đọc được tệp: %s.",
			    "Cannot read the file: %s."), oserror_str(errno, lang,
			    why, sizeof why));
		return errno == EFBIG ? STATUS_ERR_TOOBIG : STATUS_ERR_IO;
	}
	st = image_check(bytes, n, NULL, &ii, detail, sizeof detail);
	if (st != STATUS_OK) {
		if (image_sniff(bytes, n) == IMAGE_UNKNOWN)
			snprintf(msg, msgsz, "%s", T(lang, "Không phải ảnh PNG "
			    "hoặc JPEG.", "Not a PNG or JPEG image."));
		else if (st == STATUS_ERR_TOOBIG)
			snprintf(msg, msgsz, "%s", T(lang, "Ảnh quá lớn (tối đa "
			    "2000×2000).", "The image is too large (at most "
			    "2000×2000)."));
		else
			snprintf(msg, msgsz, T(lang, "Ảnh bị hỏng (%s).",
			    "The image is damaged (%s)."), detail);
		free(bytes);
		return st;
	}
	image_describe(&ii, n, msg, msgsz);
	if (data != NULL) {
		*data = bytes;
		*len = n;
	} else
		free(bytes);
	return STATUS_OK;
}

void
signature_list_request(struct request *req)
{
	request_init(req, "GET", REQUEST_AUTH, "/api/v1/signatures");
}

void
signature_save_request(struct request *req, const char *id,
    const struct signature_input *in)
{
	char *body = signature_input_json(in);

	if (id != NULL)
		request_init(req, "PUT", REQUEST_AUTH, "/api/v1/signatures/%s",
		    id);
	else
		request_init(req, "POST", REQUEST_AUTH, "/api/v1/signatures");
	request_body(req, "application/json", body, strlen(body));
	free(body);
}

void
signature_image_request(struct request *req, const char *id,
    const char *data, size_t len)
{
	request_init(req, "PUT", REQUEST_AUTH, "/api/v1/signatures/%s/image",
	    id);
	request_body(req, image_sniff(data, len) == IMAGE_PNG ? "image/png" :
	    "image/jpeg", data, len);
}

void
signature_image_get_request(struct request *req, const char *id)
{
	request_init(req, "GET", REQUEST_AUTH, "/api/v1/signatures/%s/image",
	    id);
}

void
signature_delete_request(struct request *req, const char *id)
{
	request_init(req, "DELETE", REQUEST_AUTH, "/api/v1/signatures/%s", id);
}

/* The list and a delete from it, as a flow. */

void
signature_listing_init(struct signature_listing *l, enum lang lang)
{
	memset(l, 0, sizeof *l);
	l->lang = lang;
}

void
signature_listing_free(struct signature_listing *l)
{
	signature_list_free(&l->list);
	free(l->delete_id);
	memset(l, 0, sizeof *l);
}

void
signature_listing_load(struct signature_listing *l)
{
	l->state = SIGNATURE_WANTED;
}

int
signature_listing_delete(struct signature_listing *l, size_t i)
{
	if (i >= l->list.n || l->deleting == SIGNATURE_WANTED)
		return 0;
	free(l->delete_id);
	l->delete_id = xstrdup(l->list.items[i].id);
	l->delete_message[0] = '\0';
	l->deleting = SIGNATURE_WANTED;
	return 1;
}

static int
listing_next(void *flow, struct request *req)
{
	struct signature_listing *l = flow;

	/* The delete first: the list asked with it would be stale. */
	if (l->deleting == SIGNATURE_WANTED) {
		signature_delete_request(req, l->delete_id);
		l->deleting = SIGNATURE_LOADING;
		l->sending_delete = 1;
		return 1;
	}
	if (l->state != SIGNATURE_WANTED)
		return 0;
	signature_list_request(req);
	l->state = SIGNATURE_LOADING;
	l->sending_delete = 0;
	return 1;
}

static void
listing_deleted(struct signature_listing *l, const struct session_reply *r)
{
	if (r->status == STATUS_OK && (r->http == 204 || r->http == 200)) {
		l->deleting = SIGNATURE_READY;
		/* A list on the way now would not know of the delete. */
		l->state = SIGNATURE_WANTED;
	} else {
		session_reply_words(r, signature_words, l->lang,
		    l->delete_message, sizeof l->delete_message);
		l->deleting = SIGNATURE_FAILED;
	}
}

static unsigned
listing_reply(void *flow, const struct session_reply *r)
{
	struct signature_listing *l = flow;

	if (l->sending_delete) {
		l->sending_delete = 0;
		listing_deleted(l, r);
		return SESSION_CH_REPLY;
	}
	signature_list_free(&l->list);
	l->answers++;
	if (r->status == STATUS_OK && r->http == 200) {
		if (signature_list_parse(r->body, r->len, &l->list, l->message,
		    sizeof l->message) == STATUS_OK) {
			l->message[0] = '\0';
			l->state = SIGNATURE_READY;
			return SESSION_CH_REPLY;
		}
	} else
		session_reply_words(r, signature_words, l->lang, l->message,
		    sizeof l->message);
	l->state = SIGNATURE_FAILED;
	return SESSION_CH_REPLY;
}

const struct flow_ops signature_listing_flow = {
	listing_next, listing_reply
};

/* The form, as a flow. */

#define FORM_STEP_SAVE		0
#define FORM_STEP_IMAGE		1
#define FORM_STEP_CURRENT	2	/* the image the signature has */

void
signature_form_init(struct signature_form *fm, enum lang lang)
{
	size_t i;

	memset(fm, 0, sizeof *fm);
	fm->lang = lang;
	fm->image_ok = 1;
	for (i = 0; i < SIGNATURE_F__N; i++)
		fm->v[i] = xstrdup("");
}

void
signature_form_free(struct signature_form *fm)
{
	size_t i;

	free(fm->id);
	for (i = 0; i < SIGNATURE_F__N; i++)
		free(fm->v[i]);
	free(fm->image);
	free(fm->current);
	signature_errors_free(&fm->errors);
	request_free(&fm->want);
	memset(fm, 0, sizeof *fm);
}

void
signature_form_edit(struct signature_form *fm, const struct signature *sig,
    const struct api_info *info)
{
	enum lang lang = fm->lang;
	size_t i;

	signature_form_free(fm);
	signature_form_init(fm, lang);
	if (sig == NULL)
		return;
	fm->id = xstrdup(sig->id);
	signature_form_set(fm, SIGNATURE_F_NAME, sig->name);
	signature_form_set(fm, SIGNATURE_F_PHONE, sig->phone);
	signature_form_set(fm, SIGNATURE_F_KEYWORD, sig->keyword);
	for (i = 0; info != NULL && i < info->nproviders; i++)
		if (strcmp(info->providers[i].id, sig->provider) == 0)
			fm->provider = i;
	if (!sig->has_image)
		return;
	/* The image it has, to be shown and kept. */
	fm->current_state = SIGNATURE_WANTED;
	signature_image_get_request(&fm->want, fm->id);
	fm->step = FORM_STEP_CURRENT;
	fm->state = SIGNATURE_WANTED;
}

/* Checks the image's path again; whether it is "" or good. */
static int
form_check_image(struct signature_form *fm)
{
	free(fm->image);
	fm->image = NULL;
	fm->image_len = 0;
	fm->image_ok = signature_image_check(fm->v[SIGNATURE_F_IMAGE],
	    fm->lang, fm->image_msg, sizeof fm->image_msg, &fm->image,
	    &fm->image_len) == STATUS_OK;
	return fm->image_ok;
}

/*
 * Checks the phone number as typed (typing: a number still too short is
 * let be) or whole; whether it is good.  The portal's words about it go.
 */
static int
form_check_phone(struct signature_form *fm, int typing)
{
	char msg[256];

	free(fm->errors.fields[SIGNATURE_F_PHONE]);
	fm->errors.fields[SIGNATURE_F_PHONE] = NULL;
	if (signature_phone_check(fm->v[SIGNATURE_F_PHONE], typing, fm->lang,
	    msg, sizeof msg) == STATUS_OK)
		return 1;
	fm->errors.fields[SIGNATURE_F_PHONE] = xstrdup(msg);
	return 0;
}

void
signature_form_set(struct signature_form *fm, enum signature_field f,
    const char *v)
{
	if (f >= SIGNATURE_F__N)
		return;
	free(fm->v[f]);
	fm->v[f] = xstrdup(v != NULL ? v : "");
	free(fm->errors.fields[f]);
	fm->errors.fields[f] = NULL;
	if (f == SIGNATURE_F_IMAGE)
		form_check_image(fm);
	if (f == SIGNATURE_F_PHONE)
		form_check_phone(fm, 1);
}

int
signature_form_saving(const struct signature_form *fm)
{
	return fm->save_after || (fm->step != FORM_STEP_CURRENT &&
	    (fm->state == SIGNATURE_WANTED || fm->state == SIGNATURE_LOADING));
}

void
signature_form_leave(struct signature_form *fm, enum signature_field f)
{
	if (f == SIGNATURE_F_PHONE)
		form_check_phone(fm, 0);
}

int
signature_form_save(struct signature_form *fm, const struct api_info *info)
{
	struct signature_input in;

	int fetching = fm->step == FORM_STEP_CURRENT;

	if ((fm->state == SIGNATURE_WANTED || fm->state == SIGNATURE_LOADING) &&
	    !fetching)
		return 0;
	/* The file may have changed since its path was typed. */
	if (!form_check_image(fm) || !form_check_phone(fm, 0))
		return 0;
	memset(&in, 0, sizeof in);
	in.name = fm->v[SIGNATURE_F_NAME];
	in.phone = fm->v[SIGNATURE_F_PHONE];
	in.keyword = fm->v[SIGNATURE_F_KEYWORD];
	in.provider = info != NULL && fm->provider < info->nproviders ?
	    info->providers[fm->provider].id : NULL;
	request_free(&fm->want);
	signature_save_request(&fm->want, fm->id, &in);
	signature_errors_free(&fm->errors);
	fm->message[0] = '\0';
	fm->image_sent = fm->image_failed = 0;
	/* Asked while the image it has is on the way: the save follows. */
	if (fetching && fm->state == SIGNATURE_LOADING) {
		fm->save_after = 1;
		return 1;
	}
	if (fetching)
		fm->current_state = SIGNATURE_IDLE;
	fm->step = FORM_STEP_SAVE;
	fm->state = SIGNATURE_WANTED;
	return 1;
}

void
signature_form_image_note(const struct signature_form *fm, char *out,
    size_t outsz)
{
	enum lang lang = fm->lang;
	int typed = fm->v[SIGNATURE_F_IMAGE][0] != '\0';

	out[0] = '\0';
	if (fm->id == NULL || fm->current_state == SIGNATURE_IDLE)
		return;
	if (fm->current_state == SIGNATURE_WANTED ||
	    fm->current_state == SIGNATURE_LOADING)
		snprintf(out, outsz, "%s", T(lang, "Đang tải ảnh hiện có…",
		    "Loading the current image…"));
	else if (typed && fm->image_ok)
		snprintf(out, outsz, "%s", T(lang, "Lưu lại sẽ thay ảnh hiện "
		    "có bằng ảnh này.", "Saving replaces the current image "
		    "with this one."));
	else if (typed)
		snprintf(out, outsz, "%s", T(lang, "Ảnh hiện có được giữ cho "
		    "đến khi chọn được ảnh mới hợp lệ.", "The current image "
		    "is kept until a valid new one is chosen."));
	else if (fm->current_state == SIGNATURE_READY)
		snprintf(out, outsz, T(lang, "Ảnh hiện có: %s. Lưu lại giữ "
		    "ảnh này; nhập đường dẫn để thay.", "Current image: %s. "
		    "Saving keeps it; type a path to replace it."),
		    fm->current_desc);
	else
		snprintf(out, outsz, "%s", T(lang, "Chữ ký có ảnh nhưng không "
		    "tải được để xem; Lưu lại vẫn giữ ảnh đó.", "The signature "
		    "has an image that could not be loaded to show; saving "
		    "keeps it."));
}

int
signature_form_wrong(const struct signature_form *fm)
{
	static const enum signature_field order[] = {
		SIGNATURE_F_IMAGE, SIGNATURE_F_NAME, SIGNATURE_F_PHONE,
		SIGNATURE_F_KEYWORD, SIGNATURE_F_ACCOUNT, SIGNATURE_F_PROVIDER
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (fm->errors.fields[order[i]] != NULL)
			return (int)order[i];
	return -1;
}

static int
form_next(void *flow, struct request *req)
{
	struct signature_form *fm = flow;

	if (fm->state != SIGNATURE_WANTED)
		return 0;
	*req = fm->want;
	memset(&fm->want, 0, sizeof fm->want);
	fm->state = SIGNATURE_LOADING;
	return 1;
}

/* The answer to POST or PUT: saved, then the image; or refused. */
static void
form_saved(struct signature_form *fm, const struct session_reply *r)
{
	struct signature sig;
	char err[160];

	if (r->status == STATUS_OK && (r->http == 200 || r->http == 201) &&
	    signature_parse(r->body, r->len, &sig, err, sizeof err) ==
	    STATUS_OK) {
		free(fm->id);
		fm->id = xstrdup(sig.id);
		signature_free(&sig);
		if (fm->image == NULL) {
			fm->state = SIGNATURE_READY;
			return;
		}
		signature_image_request(&fm->want, fm->id, fm->image,
		    fm->image_len);
		fm->step = FORM_STEP_IMAGE;
		fm->state = SIGNATURE_WANTED;
		return;
	}
	if (r->status != STATUS_OK)
		session_reply_message(r, fm->lang, fm->message,
		    sizeof fm->message);
	else {
		signature_errors_parse(r->body, r->len, r->http, fm->lang,
		    &fm->errors);
		snprintf(fm->message, sizeof fm->message, "%s",
		    fm->errors.message);
	}
	fm->state = SIGNATURE_FAILED;
}

/* The image the signature has: kept to be shown, when it is one. */
static void
form_current(struct signature_form *fm, const struct session_reply *r)
{
	struct image_info ii;
	char detail[128];

	fm->current_state = SIGNATURE_FAILED;
	if (r->status == STATUS_OK && r->http == 200 && image_check(r->body,
	    r->len, NULL, &ii, detail, sizeof detail) == STATUS_OK) {
		fm->current = xmalloc(r->len);
		memcpy(fm->current, r->body, r->len);
		fm->current_len = r->len;
		image_describe(&ii, r->len, fm->current_desc,
		    sizeof fm->current_desc);
		fm->current_state = SIGNATURE_READY;
	}
	if (fm->save_after) {
		fm->save_after = 0;
		fm->step = FORM_STEP_SAVE;
		fm->state = SIGNATURE_WANTED;
	} else {
		fm->step = FORM_STEP_SAVE;
		fm->state = SIGNATURE_IDLE;
	}
}

static unsigned
form_reply(void *flow, const struct session_reply *r)
{
	struct signature_form *fm = flow;

	if (fm->state != SIGNATURE_LOADING)
		return 0;	/* started again since: nobody waits for it */
	if (fm->step == FORM_STEP_CURRENT) {
		form_current(fm, r);
		return SESSION_CH_REPLY;
	}
	if (fm->step == FORM_STEP_SAVE) {
		form_saved(fm, r);
		return SESSION_CH_REPLY;
	}
	/* The signature is saved either way; the image may not be. */
	fm->state = SIGNATURE_READY;
	if (r->status == STATUS_OK && r->http == 200)
		fm->image_sent = 1;
	else {
		fm->image_failed = 1;
		fm->image_ok = 0;
		session_reply_words(r, signature_words, fm->lang,
		    fm->image_msg, sizeof fm->image_msg);
	}
	return SESSION_CH_REPLY;
}

const struct flow_ops signature_form_flow = { form_next, form_reply };

/* The list and the form on one run. */

void
signature_settings_init(struct signature_settings *ss, enum lang lang)
{
	memset(ss, 0, sizeof *ss);
	signature_listing_init(&ss->list, lang);
	signature_form_init(&ss->form, lang);
}

void
signature_settings_free(struct signature_settings *ss)
{
	signature_listing_free(&ss->list);
	signature_form_free(&ss->form);
	memset(ss, 0, sizeof *ss);
}

static int
settings_next(void *flow, struct request *req)
{
	struct signature_settings *ss = flow;

	ss->sending_form = form_next(&ss->form, req);
	if (ss->sending_form)
		return 1;
	return listing_next(&ss->list, req);
}

static unsigned
settings_reply(void *flow, const struct session_reply *r)
{
	struct signature_settings *ss = flow;
	unsigned ch;

	if (!ss->sending_form)
		return listing_reply(&ss->list, r);
	ss->sending_form = 0;
	ch = form_reply(&ss->form, r);
	/* Saved: the list as the portal has it now. */
	if (ch != 0 && ss->form.state == SIGNATURE_READY)
		signature_listing_load(&ss->list);
	return ch | SESSION_CH_REPLY;
}

const struct flow_ops signature_settings_flow = {
	settings_next, settings_reply
};
