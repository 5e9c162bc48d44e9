/*
 * A dossier's draft, its journal and its requests; see draft.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "buf.h"
#include "client/draft.h"
#include "client/files.h"
#include "client/refusal.h"
#include "client/session.h"
#include "field_error.h"
#include "form_check.h"
#include "form_parse.h"
#include "httpc.h"
#include "json.h"
#include "utf8.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

/* Documents made by the portal itself (the declaration) are not uploaded. */
static int
uploaded(const struct catalog_document *doc)
{
	return doc->key != NULL && doc->key[0] != '\0' &&
	    strcmp(doc->kind, "electronic") != 0;
}

static void
add_item(struct draft_page *pg, const struct form_field *f, enum draft_part p)
{
	pg->items = xreallocarray(pg->items, pg->nitems + 1,
	    sizeof *pg->items);
	pg->items[pg->nitems].field = f;
	pg->items[pg->nitems].part = p;
	pg->nitems++;
}

static void
add_field(struct draft_page *pg, const struct form_field *f)
{
	if (f->type == FORM_ADDRESS) {
		add_item(pg, f, DRAFT_PART_PROVINCE);
		add_item(pg, f, DRAFT_PART_WARD);
		add_item(pg, f, DRAFT_PART_STREET);
	} else
		add_item(pg, f, DRAFT_PART_VALUE);
}

static struct draft_page *
new_page(struct draft *d, enum draft_page_kind kind, const char *title)
{
	struct draft_page *pg;

	d->pages = xreallocarray(d->pages, d->npages + 1, sizeof *d->pages);
	pg = &d->pages[d->npages++];
	memset(pg, 0, sizeof *pg);
	pg->kind = kind;
	pg->title = title;
	return pg;
}

/* The pages: ungrouped fields, each group, documents, review, sign. */
static void
build_pages(struct draft *d)
{
	const struct form_field *f;
	const struct form_group *g;
	struct draft_page *pg = NULL;
	size_t i, j, n = form_field_count(d->form);

	for (i = 0; i < n; i++) {
		f = form_field_at(d->form, i);
		if (f->group != NULL)
			continue;
		if (pg == NULL)
			pg = new_page(d, DRAFT_PAGE_FIELDS, form_title(d->form));
		add_field(pg, f);
	}
	for (j = 0; j < form_group_count(d->form); j++) {
		g = form_group_at(d->form, j);
		pg = NULL;
		for (i = 0; i < n; i++) {
			f = form_field_at(d->form, i);
			if (f->group == NULL || strcmp(f->group, g->key) != 0)
				continue;
			if (pg == NULL)
				pg = new_page(d, DRAFT_PAGE_FIELDS, g->label);
			add_field(pg, f);
		}
	}
	if (d->ndocs > 0)
		new_page(d, DRAFT_PAGE_DOCUMENTS, T(d->lang,
		    "Thành phần hồ sơ", "Documents"));
	new_page(d, DRAFT_PAGE_REVIEW, T(d->lang, "Xem lại tờ khai",
	    "Review the declaration"));
	new_page(d, DRAFT_PAGE_SIGN, T(d->lang, "Ký số và nộp hồ sơ",
	    "Sign and submit"));
}

/* The parts every draft has, from its procedure. */
static struct draft *
draft_build(struct store *st, const char *portal,
    const struct catalog_procedure *p, enum lang lang, char *err,
    size_t errsz)
{
	struct draft *d;
	char ferr[200];
	size_t i;

	if (p->form == NULL) {
		snprintf(err, errsz, "%s", T(lang, "Thủ tục này chưa có biểu "
		    "mẫu nộp trực tuyến.", "This procedure has no online "
		    "form."));
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	d->form = form_parse(p->form, ferr, sizeof ferr);
	if (d->form == NULL) {
		snprintf(err, errsz, T(lang, "Biểu mẫu của thủ tục bị lỗi: %s",
		    "The procedure's form is broken: %s"), ferr);
		free(d);
		return NULL;
	}
	d->store = st;
	d->lang = lang;
	d->portal = xstrdup(portal);
	d->procedure = xstrdup(p->code);
	d->title = xstrdup(p->name);
	d->agency = xstrdup(p->agency != NULL ? p->agency : "");
	d->docs = xcalloc(p->ndocuments + 1, sizeof *d->docs);
	for (i = 0; i < p->ndocuments; i++) {
		if (!uploaded(&p->documents[i]))
			continue;
		d->docs[d->ndocs].key = xstrdup(p->documents[i].key);
		d->docs[d->ndocs].name = xstrdup(p->documents[i].name);
		d->docs[d->ndocs].required = p->documents[i].required;
		d->ndocs++;
	}
	d->errors = cJSON_CreateObject();
	build_pages(d);
	return d;
}

struct draft *
draft_new(struct store *st, const char *portal,
    const struct catalog_procedure *p, enum lang lang, char *err,
    size_t errsz)
{
	struct draft *d;
	unsigned char rnd[12];
	char id[2 * sizeof rnd + 1];
	size_t i;

	if ((d = draft_build(st, portal, p, lang, err, errsz)) == NULL)
		return NULL;
	if (RAND_bytes(rnd, sizeof rnd) != 1) {
		snprintf(err, errsz, "%s", T(lang, "Không tạo được mã bản nháp.",
		    "Could not make a draft id."));
		draft_free(&d);
		return NULL;
	}
	for (i = 0; i < sizeof rnd; i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	d->local_id = xstrdup(id);
	d->values = cJSON_CreateObject();
	d->pending = cJSON_CreateObject();
	d->phase = STORE_PHASE_FORM;
	if (draft_save(d) != STATUS_OK) {
		snprintf(err, errsz, "%s", T(lang, "Không ghi được bản nháp vào "
		    "kho cục bộ.", "Could not write the draft to the local "
		    "store."));
		draft_free(&d);
		return NULL;
	}
	return d;
}

static cJSON *
object_or_empty(const char *json)
{
	cJSON *o = NULL;

	if (json == NULL || json_parse(json, strlen(json), &o, NULL, 0) !=
	    STATUS_OK || !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		o = cJSON_CreateObject();
	}
	return o;
}

struct draft *
draft_load(struct store *st, const struct store_draft *j,
    const struct catalog_procedure *p, enum lang lang, char *err,
    size_t errsz)
{
	struct draft *d;

	if ((d = draft_build(st, j->portal, p, lang, err, errsz)) == NULL)
		return NULL;
	d->local_id = xstrdup(j->local_id);
	if (j->dossier_id != NULL && j->dossier_id[0] != '\0')
		d->dossier_id = xstrdup(j->dossier_id);
	d->values = object_or_empty(j->values);
	d->pending = object_or_empty(j->pending);
	d->focus = j->focus != NULL ? xstrdup(j->focus) : NULL;
	d->phase = j->phase;
	return d;
}

struct draft *
draft_open(struct store *st, const char *portal,
    const struct catalog_procedure *p, const struct store_draft *j,
    const char *dossier_id, int supplement, enum lang lang, int *identity,
    char *err, size_t errsz)
{
	struct store_draft found;
	struct draft *d;

	*identity = 0;
	if (j != NULL)
		d = draft_load(st, j, p, lang, err, errsz);
	else if (dossier_id != NULL && store_draft_by_dossier(st, portal,
	    dossier_id, &found) == STATUS_OK) {
		d = draft_load(st, &found, p, lang, err, errsz);
		store_draft_free(&found);
	} else {
		d = draft_new(st, portal, p, lang, err, errsz);
		if (d != NULL && dossier_id != NULL)
			d->dossier_id = xstrdup(dossier_id);
		*identity = d != NULL && dossier_id == NULL;
	}
	if (d == NULL)
		return NULL;
	if (supplement || (j != NULL && j->supplement))
		draft_supplement(d);
	if (d->phase != STORE_PHASE_SIGNING)
		d->phase = STORE_PHASE_FORM;
	return d;
}

void
draft_free(struct draft **dp)
{
	struct draft *d;
	size_t i;

	if (dp == NULL || (d = *dp) == NULL)
		return;
	for (i = 0; i < d->ndocs; i++) {
		free(d->docs[i].key);
		free(d->docs[i].name);
		free(d->docs[i].file);
		free(d->docs[i].error);
	}
	free(d->docs);
	for (i = 0; i < d->npages; i++)
		free(d->pages[i].items);
	free(d->pages);
	form_free(&d->form);
	cJSON_Delete(d->values);
	cJSON_Delete(d->pending);
	cJSON_Delete(d->sending);
	cJSON_Delete(d->errors);
	cJSON_Delete(d->missing);
	cJSON_Delete(d->active_signing);
	review_clear(&d->review);
	free(d->local_id);
	free(d->portal);
	free(d->procedure);
	free(d->title);
	free(d->agency);
	free(d->dossier_id);
	free(d->focus);
	for (i = 0; i < 4; i++)
		free(d->who[i]);
	free(d);
	*dp = NULL;
}

enum status
draft_save(struct draft *d)
{
	struct store_draft j;
	enum status s;

	memset(&j, 0, sizeof j);
	j.local_id = d->local_id;
	j.portal = d->portal;
	j.procedure = d->procedure;
	j.title = d->title;
	j.dossier_id = d->dossier_id;
	j.values = json_print(d->values);
	j.pending = json_print(d->pending);
	j.focus = d->focus;
	j.phase = d->phase;
	j.supplement = d->supplementing;
	s = store_draft_put(d->store, &j);
	free(j.values);
	free(j.pending);
	return s;
}

void
draft_forget(struct draft *d)
{
	store_draft_forget(d->store, d->local_id);
}

/* A field's value, or NULL when absent. */
static const cJSON *
value_of(const struct draft *d, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(d->values, key);

	if (v == NULL || cJSON_IsNull(v) || (cJSON_IsString(v) &&
	    v->valuestring[0] == '\0'))
		return NULL;
	return v;
}

static const char *
member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Checks one field's value as the portal will; the message or NULL. */
static void
check(struct draft *d, const struct form_field *f)
{
	const cJSON *v = value_of(d, f->key), *e;
	cJSON *one, *errs = NULL;
	const char *msg;

	cJSON_DeleteItemFromObjectCaseSensitive(d->errors, f->key);
	if (v == NULL)
		return;
	/* An address is checked once both codes are chosen. */
	if (f->type == FORM_ADDRESS && (member(v, "province_code") == NULL ||
	    member(v, "ward_code") == NULL))
		return;
	one = cJSON_CreateObject();
	cJSON_AddItemToObject(one, f->key, cJSON_Duplicate(v, 1));
	if (form_validate(d->form, d->addr, one, 1, d->lang, NULL, NULL,
	    &errs) == STATUS_ERR_INVALID &&
	    (e = field_error_find(errs, f->key)) != NULL &&
	    (msg = member(e, "message")) != NULL)
		cJSON_AddStringToObject(d->errors, f->key, msg);
	cJSON_Delete(errs);
	cJSON_Delete(one);
}

/* Sets key to v (owned; NULL removes it), pending, and checks it. */
static void
set_value(struct draft *d, const struct form_field *f, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(d->values, f->key);
	cJSON_DeleteItemFromObjectCaseSensitive(d->pending, f->key);
	review_clear(&d->review);	/* reviewed again before signing */
	if (v != NULL) {
		cJSON_AddItemToObject(d->pending, f->key,
		    cJSON_Duplicate(v, 1));
		cJSON_AddItemToObject(d->values, f->key, v);
	} else
		cJSON_AddNullToObject(d->pending, f->key);
	check(d, f);
}

/* The identity the draft holds, as the form's checks read it. */
static void
person(const struct draft *d, struct form_person *p)
{
	p->name = d->who[0];
	p->cccd = d->who[1];
	p->birthdate = d->who[2];
	p->gender = d->who[3];
}

/* Each field that takes the identity gets it where it differs. */
static size_t
refill(struct draft *d)
{
	const struct form_field *f;
	const cJSON *v;
	struct form_person p;
	const char *own;
	char buf[256];
	size_t i, n = 0;

	person(d, &p);
	for (i = 0; i < form_field_count(d->form); i++) {
		f = form_field_at(d->form, i);
		if (d->supplementing || !form_identity_applies(f, d->values) ||
		    (own = form_identity_of(f, &p, buf, sizeof buf)) == NULL ||
		    (f->type == FORM_SELECT && form_option_label(f, own) ==
		    NULL))
			continue;
		v = value_of(d, f->key);
		if (cJSON_IsString(v) && strcmp(v->valuestring, own) == 0)
			continue;
		set_value(d, f, cJSON_CreateString(own));
		n++;
	}
	return n;
}

size_t
draft_fill_identity(struct draft *d, const char *name, const char *cccd,
    const char *birthdate, const char *gender)
{
	const char *v[4] = { name, cccd, birthdate, gender };
	size_t i;

	for (i = 0; i < 4; i++) {
		free(d->who[i]);
		d->who[i] = v[i] != NULL && v[i][0] != '\0' ? xstrdup(v[i]) :
		    NULL;
	}
	return refill(d);
}

size_t
draft_fill_defaults(struct draft *d, const cJSON *defaults)
{
	const struct form_field *f;
	const cJSON *v;
	size_t i, n = 0;

	if (d->supplementing)
		return 0;
	for (i = 0; i < form_field_count(d->form); i++) {
		f = form_field_at(d->form, i);
		if (f->prefill == FORM_PREFILL_PHONE)
			v = cJSON_GetObjectItem(defaults, "phone");
		else if (f->prefill == FORM_PREFILL_ADDRESS)
			v = cJSON_GetObjectItem(defaults, "address");
		else
			continue;
		if (!form_value_absent(value_of(d, f->key)) ||
		    form_value_absent(v) || (f->type == FORM_ADDRESS) !=
		    cJSON_IsObject(v) || (f->type != FORM_ADDRESS &&
		    !cJSON_IsString(v)))
			continue;
		set_value(d, f, cJSON_Duplicate(v, 1));
		n++;
	}
	return n;
}

const char *
draft_fixed_words(const struct draft *d)
{
	return T(d->lang, "Thông tin này lấy theo VNeID, không sửa được.",
	    "This comes from VNeID and cannot be changed.");
}

int
draft_item_fixed(const struct draft *d, const struct draft_item *it)
{
	struct form_person p;
	char buf[256];

	if (it->part != DRAFT_PART_VALUE || d->supplementing ||
	    !form_identity_applies(it->field, d->values))
		return 0;
	person(d, &p);
	return form_identity_of(it->field, &p, buf, sizeof buf) != NULL;
}

int
draft_item_typed(const struct draft_item *it)
{
	if (it->part == DRAFT_PART_PROVINCE || it->part == DRAFT_PART_WARD)
		return 0;
	return it->field->type != FORM_SELECT;
}

int
draft_item_words(const struct draft_item *it)
{
	return it->part == DRAFT_PART_STREET || it->field->type == FORM_TEXT ||
	    it->field->type == FORM_TEXTAREA;
}

const char *
draft_item_label(const struct draft *d, const struct draft_item *it)
{
	switch (it->part) {
	case DRAFT_PART_PROVINCE:
		return T(d->lang, "Tỉnh, thành phố", "Province or city");
	case DRAFT_PART_WARD:
		return T(d->lang, "Phường, xã, đặc khu", "Ward or commune");
	case DRAFT_PART_STREET:
		return T(d->lang, "Số nhà, đường, thôn, tổ", "House, street, "
		    "hamlet");
	default:
		return it->field->label;
	}
}

void
draft_item_rule(const struct draft *d, const struct draft_item *it,
    char *out, size_t outsz)
{
	const struct form_field *f = it->field;

	out[0] = '\0';
	if (it->part == DRAFT_PART_PROVINCE || it->part == DRAFT_PART_WARD) {
		snprintf(out, outsz, "%s", T(d->lang, "chọn trong danh sách; "
		    "gõ để lọc, cả địa chỉ trước 1/7/2025", "choose from the "
		    "list; type to filter, an address of before 1/7/2025 too"));
		return;
	}
	if (it->part != DRAFT_PART_VALUE)
		return;
	switch (f->type) {
	case FORM_CCCD:
		snprintf(out, outsz, "%s", T(d->lang, "12 chữ số", "12 digits"));
		break;
	case FORM_PHONE:
		snprintf(out, outsz, "%s", T(d->lang, "di động, 10 chữ số",
		    "mobile, 10 digits"));
		break;
	case FORM_DATE:
		snprintf(out, outsz, "dd/mm/yyyy");
		break;
	case FORM_YEAR:
		snprintf(out, outsz, "%s", T(d->lang, "năm, 4 chữ số, ví dụ "
		    "1992", "a year, 4 digits, such as 1992"));
		break;
	case FORM_EMAIL:
		snprintf(out, outsz, "%s", T(d->lang, "dạng ten@mien.vn",
		    "like name@domain.vn"));
		break;
	case FORM_NUMBER:
		if (f->has_min && f->has_max)
			snprintf(out, outsz, T(d->lang, "số từ %g đến %g",
			    "a number from %g to %g"), f->min, f->max);
		else
			snprintf(out, outsz, "%s", T(d->lang, "một số",
			    "a number"));
		break;
	case FORM_SELECT:
		snprintf(out, outsz, "%s", T(d->lang, "chọn trong danh sách",
		    "choose from the list"));
		break;
	default:
		if (f->min_length > 1 && f->max_length > 0)
			snprintf(out, outsz, T(d->lang, "từ %zu đến %zu ký tự",
			    "%zu to %zu characters"), f->min_length,
			    f->max_length);
		else if (f->max_length > 0)
			snprintf(out, outsz, T(d->lang, "tối đa %zu ký tự",
			    "at most %zu characters"), f->max_length);
		break;
	}
}

/* "2020-03-04" as "04/03/2020"; anything else as it is. */
static char *
date_text(const char *iso)
{
	int y, m, dd;
	char tail;

	if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3)
		return xasprintf("%02d/%02d/%04d", dd, m, y);
	return xstrdup(iso);
}

/* "4/3/2020", "04-03-2020", "04.03.2020" or "2020-03-04" as ISO. */
static char *
date_iso(const char *s)
{
	int y, m, dd;
	char sep1, sep2, tail;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 && y > 999)
		return xasprintf("%04d-%02d-%02d", y, m, dd);
	if (sscanf(s, "%2d%c%2d%c%4d%c", &dd, &sep1, &m, &sep2, &y,
	    &tail) == 5 && sep1 == sep2 && strchr("/-.", sep1) != NULL &&
	    y > 999)
		return xasprintf("%04d-%02d-%02d", y, m, dd);
	return NULL;
}

char *
draft_item_text(const struct draft *d, const struct draft_item *it)
{
	const struct form_field *f = it->field;
	const cJSON *v = value_of(d, f->key);
	const char *s, *prov;

	if (v == NULL)
		return xstrdup("");
	switch (it->part) {
	case DRAFT_PART_PROVINCE:
		if ((s = member(v, "province_code")) == NULL)
			return xstrdup("");
		prov = d->addr != NULL ? form_address_province_full(d->addr, s) :
		    NULL;
		return xstrdup(prov != NULL ? prov : s);
	case DRAFT_PART_WARD:
		if ((s = member(v, "ward_code")) == NULL)
			return xstrdup("");
		prov = member(v, "province_code");
		s = d->addr != NULL && prov != NULL ? form_address_ward(d->addr,
		    prov, s) : NULL;
		return xstrdup(s != NULL ? s : member(v, "ward_code"));
	case DRAFT_PART_STREET:
		s = member(v, "street");
		return xstrdup(s != NULL ? s : "");
	default:
		break;
	}
	if (cJSON_IsNumber(v))
		return xasprintf("%.15g", v->valuedouble);
	if (!cJSON_IsString(v))
		return xstrdup("");
	if (f->type == FORM_DATE)
		return date_text(v->valuestring);
	if (f->type == FORM_SELECT && (s = form_option_label(f,
	    v->valuestring)) != NULL)
		return xstrdup(s);
	return xstrdup(v->valuestring);
}

/* The address value to change: a copy of the current one, or a new one. */
static cJSON *
address_copy(const struct draft *d, const struct form_field *f)
{
	const cJSON *v = value_of(d, f->key);

	return cJSON_IsObject(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateObject();
}

static void
address_set(cJSON *o, const char *key, const char *s)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	if (s != NULL && s[0] != '\0')
		cJSON_AddStringToObject(o, key, s);
}

const char *
draft_set_text(struct draft *d, const struct draft_item *it,
    const char *text)
{
	const struct form_field *f = it->field;
	cJSON *v;
	char *iso, *end;
	double n;

	if (draft_item_fixed(d, it))
		return draft_fixed_words(d);
	if (it->part == DRAFT_PART_STREET) {
		v = address_copy(d, f);
		address_set(v, "street", text);
		set_value(d, f, cJSON_GetArraySize(v) > 0 ? v : NULL);
		if (cJSON_GetArraySize(v) == 0)
			cJSON_Delete(v);
		return draft_error(d, f->key);
	}
	if (text == NULL || text[0] == '\0') {
		set_value(d, f, NULL);
		return NULL;
	}
	if ((f->type == FORM_DATE || f->type == FORM_YEAR) &&
	    (iso = date_iso(text)) != NULL) {
		/* A whole date typed where a year is asked keeps its year. */
		if (f->type == FORM_YEAR)
			iso[4] = '\0';
		set_value(d, f, cJSON_CreateString(iso));
		free(iso);
		return draft_error(d, f->key);
	}
	if (f->type == FORM_NUMBER && (n = strtod(text, &end),
	    *end == '\0' && end != text))
		set_value(d, f, cJSON_CreateNumber(n));
	else
		set_value(d, f, cJSON_CreateString(text));
	if (f->type == FORM_DATE) {
		/* Kept as typed, so nothing is lost, but not sent. */
		cJSON_DeleteItemFromObjectCaseSensitive(d->errors, f->key);
		cJSON_AddStringToObject(d->errors, f->key, T(d->lang, "Ngày "
		    "viết theo dạng dd/mm/yyyy, ví dụ 05/09/2024.", "Write the "
		    "date as dd/mm/yyyy, such as 05/09/2024."));
	}
	return draft_error(d, f->key);
}

/* The i-th province of the table. */
static const char *
province_at(const struct draft *d, size_t i, const char **code)
{
	if (d->addr == NULL)
		return NULL;
	return form_address_province_at(d->addr, i, code, NULL);
}

size_t
draft_choice_count(const struct draft *d, const struct draft_item *it)
{
	size_t n = 0;

	if (it->part == DRAFT_PART_PROVINCE) {
		while (province_at(d, n, NULL) != NULL)
			n++;
	} else if (it->part == DRAFT_PART_WARD) {
		while (draft_choice(d, it, n) != NULL)
			n++;
	} else if (it->field->type == FORM_SELECT)
		n = it->field->noptions;
	return n;
}

const char *
draft_choice(const struct draft *d, const struct draft_item *it, size_t i)
{
	const cJSON *v = value_of(d, it->field->key);
	const char *prov;

	if (it->part == DRAFT_PART_PROVINCE)
		return province_at(d, i, NULL);
	if (it->part == DRAFT_PART_WARD) {
		prov = member(v, "province_code");
		if (d->addr == NULL || prov == NULL)
			return NULL;
		return form_address_ward_at(d->addr, prov, i, NULL);
	}
	if (it->field->type == FORM_SELECT && i < it->field->noptions)
		return it->field->options[i].label;
	return NULL;
}

/* The code or value of choice i. */
static const char *
choice_value(const struct draft *d, const struct draft_item *it, size_t i)
{
	const char *code = NULL, *prov;

	if (it->part == DRAFT_PART_PROVINCE) {
		province_at(d, i, &code);
		return code;
	}
	if (it->part == DRAFT_PART_WARD) {
		prov = member(value_of(d, it->field->key), "province_code");
		if (d->addr != NULL && prov != NULL)
			form_address_ward_at(d->addr, prov, i, &code);
		return code;
	}
	if (it->field->type == FORM_SELECT && i < it->field->noptions)
		return it->field->options[i].value;
	return NULL;
}

long
draft_choice_current(const struct draft *d, const struct draft_item *it)
{
	const cJSON *v = value_of(d, it->field->key);
	const char *cur, *c;
	size_t i;

	if (it->part == DRAFT_PART_PROVINCE)
		cur = member(v, "province_code");
	else if (it->part == DRAFT_PART_WARD)
		cur = member(v, "ward_code");
	else
		cur = cJSON_IsString(v) ? v->valuestring : NULL;
	if (cur == NULL)
		return -1;
	for (i = 0; (c = choice_value(d, it, i)) != NULL; i++)
		if (strcmp(c, cur) == 0)
			return (long)i;
	return -1;
}

void
draft_choose(struct draft *d, const struct draft_item *it, size_t i)
{
	const char *c = choice_value(d, it, i), *prov;
	cJSON *v;

	if (c == NULL || draft_item_fixed(d, it))
		return;
	if (it->part == DRAFT_PART_VALUE) {
		set_value(d, it->field, cJSON_CreateString(c));
		refill(d);		/* the relation may say whose data */
		return;
	}
	v = address_copy(d, it->field);
	if (it->part == DRAFT_PART_PROVINCE) {
		/* Another province: its ward was of the one before. */
		prov = member(v, "province_code");
		if (prov == NULL || strcmp(prov, c) != 0)
			address_set(v, "ward_code", NULL);
		address_set(v, "province_code", c);
	} else
		address_set(v, "ward_code", c);
	set_value(d, it->field, v);
}

void
draft_choose_address(struct draft *d, const struct draft_item *it,
    const char *province, const char *ward)
{
	cJSON *v;

	if (it->field->type != FORM_ADDRESS)
		return;
	v = address_copy(d, it->field);
	address_set(v, "province_code", province);
	address_set(v, "ward_code", ward);
	set_value(d, it->field, v);
}

size_t
draft_address_provinces(const struct draft *d, const char **codes,
    size_t max)
{
	const struct form_field *f;
	const char *c;
	size_t i, j, n = 0;

	for (i = 0; i < form_field_count(d->form) && n < max; i++) {
		f = form_field_at(d->form, i);
		if (f->type != FORM_ADDRESS || (c = member(value_of(d, f->key),
		    "province_code")) == NULL)
			continue;
		for (j = 0; j < n && strcmp(codes[j], c) != 0; j++)
			;
		if (j == n)
			codes[n++] = c;
	}
	return n;
}

void
draft_addresses_loaded(struct draft *d)
{
	const struct form_field *f;
	size_t i;

	for (i = 0; i < form_field_count(d->form); i++) {
		f = form_field_at(d->form, i);
		if (f->type == FORM_ADDRESS)
			check(d, f);
	}
}

/* qsort has no context: the list being sorted. */
static const struct draft	*sort_draft;
static const struct draft_item	*sort_item;

static int
by_label(const void *a, const void *b)
{
	return utf8_vi_cmp(draft_choice(sort_draft, sort_item,
	    *(const size_t *)a), draft_choice(sort_draft, sort_item,
	    *(const size_t *)b));
}

size_t
draft_choices(const struct draft *d, const struct draft_item *it,
    const char *filter, size_t **order)
{
	size_t i, n = draft_choice_count(d, it), k = 0;
	char *ff = NULL, *lf;

	*order = xcalloc(n + 1, sizeof **order);
	if (filter != NULL && filter[0] != '\0' &&
	    utf8_fold(filter, &ff) != STATUS_OK)
		ff = NULL;
	for (i = 0; i < n; i++) {
		if (ff != NULL) {
			if (utf8_fold(draft_choice(d, it, i), &lf) !=
			    STATUS_OK)
				continue;
			if (strstr(lf, ff) == NULL) {
				free(lf);
				continue;
			}
			free(lf);
		}
		(*order)[k++] = i;
	}
	free(ff);
	if (it->part != DRAFT_PART_VALUE) {
		sort_draft = d;
		sort_item = it;
		qsort(*order, k, sizeof **order, by_label);
	}
	return k;
}

const char *
draft_error(const struct draft *d, const char *key)
{
	return member(d->errors, key);
}

/* ---- The requests and their answers. ---- */

enum draft_req
draft_next_request(struct draft *d, struct request *req)
{
	memset(req, 0, sizeof *req);
	if (d->sending != NULL)
		return DRAFT_REQ_NONE;
	if (d->dossier_id == NULL) {
		draft_create_request(d, req);
		return DRAFT_REQ_CREATE;
	}
	if (!d->loaded && draft_get_request(d, req))
		return DRAFT_REQ_GET;
	if (draft_patch_request(d, req))
		return DRAFT_REQ_PATCH;
	return DRAFT_REQ_NONE;
}

void
draft_dropped(struct draft *d, enum draft_req k)
{
	if (k == DRAFT_REQ_PATCH) {
		cJSON_Delete(d->sending);
		d->sending = NULL;
	}
}

void
draft_create_request(const struct draft *d, struct request *req)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "procedure", d->procedure);
	request_init(req, "POST", REQUEST_AUTH, "/api/v1/dossiers");
	request_json(req, o);
	request_idempotency_key(req, d->local_id);
}

int
draft_get_request(const struct draft *d, struct request *req)
{
	memset(req, 0, sizeof *req);
	if (d->dossier_id == NULL)
		return 0;
	request_init(req, "GET", REQUEST_AUTH, "/api/v1/dossiers/%s",
	    d->dossier_id);
	return 1;
}

/* Whether a pending change may go: it is not known to be wrong. */
static int
sendable(const struct draft *d, const cJSON *v)
{
	if (draft_error(d, v->string) != NULL)
		return 0;
	if (cJSON_IsObject(v) && (member(v, "province_code") == NULL ||
	    member(v, "ward_code") == NULL))
		return 0;
	return 1;
}

int
draft_patch_request(struct draft *d, struct request *req)
{
	const cJSON *v;
	cJSON *o, *data;

	memset(req, 0, sizeof *req);
	if (d->dossier_id == NULL || d->sending != NULL)
		return 0;
	data = cJSON_CreateObject();
	cJSON_ArrayForEach(v, d->pending)
		if (sendable(d, v))
			cJSON_AddItemToObject(data, v->string,
			    cJSON_Duplicate(v, 1));
	if (cJSON_GetArraySize(data) == 0) {
		cJSON_Delete(data);
		return 0;
	}
	d->sending = cJSON_Duplicate(data, 1);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "data", data);
	request_init(req, "PATCH", REQUEST_AUTH, "/api/v1/dossiers/%s",
	    d->dossier_id);
	request_json(req, o);
	return 1;
}

int
draft_delete_request(const struct draft *d, struct request *req)
{
	memset(req, 0, sizeof *req);
	if (d->dossier_id == NULL)
		return 0;
	request_init(req, "DELETE", REQUEST_AUTH, "/api/v1/dossiers/%s",
	    d->dossier_id);
	return 1;
}

/* dvc's words for the portal's refusals of a draft. */
static const struct refusal_words draft_words[] = {
	{ "not_found",
	    "Cổng không còn hồ sơ này.",
	    "The portal no longer has this dossier." },
	{ "conflict",
	    "Hồ sơ không còn là bản nháp (có thể đã được nộp ở nơi khác) nên "
	    "không sửa được nữa.",
	    "The dossier is no longer a draft (it may have been submitted "
	    "elsewhere), so it cannot be changed." },
	{ "unsupported_media_type",
	    "Tệp phải là PDF, JPEG hoặc PNG còn nguyên vẹn.",
	    "The file must be a whole PDF, JPEG or PNG." },
	{ "payload_too_large",
	    "Tệp lớn hơn 10 MB.",
	    "The file is larger than 10 MB." },
	{ NULL, NULL, NULL }
};

/*
 * Why r is not the answer hoped for: the transfer's error, or dvc's
 * words for the portal's refusal.
 */
static void
portal_message(const struct draft *d, const struct session_reply *r,
    char *err, size_t errsz)
{
	session_reply_words(r, draft_words, d->lang, err, errsz);
}

static void
doc_set_file(struct draft_doc *doc, const char *name, long long size)
{
	free(doc->file);
	doc->file = name != NULL ? xstrdup(name) : NULL;
	doc->size = size;
	free(doc->error);
	doc->error = NULL;
}

static struct draft_doc *
doc_find(struct draft *d, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < d->ndocs; i++)
		if (strcmp(d->docs[i].key, key) == 0)
			return &d->docs[i];
	return NULL;
}

/* The portal's data, then what it has not taken yet. */
static void
take_values(struct draft *d, const cJSON *data)
{
	const cJSON *it;
	cJSON *vals;

	vals = data != NULL ? cJSON_Duplicate(data, 1) : cJSON_CreateObject();
	cJSON_ArrayForEach(it, d->pending) {
		cJSON_DeleteItemFromObjectCaseSensitive(vals, it->string);
		if (!cJSON_IsNull(it))
			cJSON_AddItemToObject(vals, it->string,
			    cJSON_Duplicate(it, 1));
	}
	cJSON_Delete(d->values);
	d->values = vals;
}

/* The files the portal holds, by their documents. */
static void
take_attachments(struct draft *d, const cJSON *atts)
{
	const char *key, *name;
	struct draft_doc *doc;
	const cJSON *it;
	long long size;
	size_t i;

	for (i = 0; i < d->ndocs; i++)
		doc_set_file(&d->docs[i], NULL, 0);
	cJSON_ArrayForEach(it, atts) {
		key = name = NULL;
		size = 0;
		json_get_string(it, "document", 0, &key, NULL);
		json_get_string(it, "name", 0, &name, NULL);
		json_get_int(it, "size", 0, 0, 1LL << 40, &size, NULL);
		if ((doc = doc_find(d, key)) != NULL)
			doc_set_file(doc, name != NULL ? name : key, size);
	}
}

/* What is missing (field keys, then document keys), and the flags. */
static void
take_state(struct draft *d, const cJSON *root)
{
	const cJSON *missing = NULL, *it, *sg;
	static const char *const lists[] = { "fields", "documents" };
	size_t i;
	int b;

	cJSON_Delete(d->missing);
	d->missing = cJSON_CreateArray();
	json_get_object(root, "missing", 0, &missing, NULL);
	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
		    missing, lists[i]))
			if (cJSON_IsString(it))
				cJSON_AddItemToArray(d->missing,
				    cJSON_CreateString(it->valuestring));
	b = 0;
	json_get_bool(root, "complete", 0, &b, NULL);
	d->complete = b;
	b = 0;
	json_get_bool(root, "signed", 0, &b, NULL);
	d->is_signed = b;
	cJSON_Delete(d->active_signing);
	d->active_signing = NULL;
	sg = cJSON_GetObjectItemCaseSensitive(root, "active_signing");
	if (cJSON_IsObject(sg))
		d->active_signing = cJSON_Duplicate(sg, 1);
}

/* A dossier in an answer (create, get, PATCH). */
static enum status
on_dossier(struct draft *d, const struct session_reply *r, char *err,
    size_t errsz)
{
	const cJSON *data = NULL, *atts = NULL;
	const char *id = NULL;
	cJSON *root = NULL;

	if (r->status != STATUS_OK || (r->http != 200 && r->http != 201)) {
		portal_message(d, r, err, errsz);
		return r->status != STATUS_OK ? r->status : r->http == 404 ?
		    STATUS_ERR_NOTFOUND : STATUS_ERR_HTTP;
	}
	if (json_parse(r->body, r->len, &root, NULL, 0) != STATUS_OK ||
	    json_get_string(root, "id", 1, &id, NULL) != STATUS_OK ||
	    json_get_object(root, "data", 0, &data, NULL) != STATUS_OK ||
	    json_get_array(root, "attachments", 0, &atts, NULL) != STATUS_OK) {
		snprintf(err, errsz, "%s", T(d->lang, "Cổng trả lời hồ sơ không "
		    "đúng dạng.", "The portal's dossier is malformed."));
		cJSON_Delete(root);
		return STATUS_ERR_HTTP;
	}
	if (d->dossier_id == NULL)
		d->dossier_id = xstrdup(id);
	take_values(d, data);
	take_attachments(d, atts);
	take_state(d, root);
	d->loaded = 1;
	cJSON_Delete(root);
	return STATUS_OK;
}

/*
 * A 400's fields by the form's fields they name (paths under "data"),
 * in dvc's words; every field sent when none is named.
 */
static void
refused_fields(struct draft *d, const cJSON *sent,
    const struct session_reply *r, const char *err)
{
	const cJSON *it;
	struct refusal rf;
	char key[128];
	size_t i;
	int named = 0;

	refusal_read(&rf, r->body, r->len, r->http, draft_words, d->lang);
	for (i = 0; i < rf.nfields; i++) {
		if (!refusal_field_key(rf.fields[i].path, "data", key,
		    sizeof key) || cJSON_GetObjectItemCaseSensitive(sent,
		    key) == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(d->errors, key);
		cJSON_AddStringToObject(d->errors, key, rf.fields[i].words);
		named++;
	}
	refusal_free(&rf);
	/* Refused as a whole: none of it goes again as it is. */
	if (named == 0)
		cJSON_ArrayForEach(it, sent)
			if (draft_error(d, it->string) == NULL)
				cJSON_AddStringToObject(d->errors, it->string,
				    err);
}

static enum status
on_patched(struct draft *d, const struct session_reply *r, char *err,
    size_t errsz)
{
	cJSON *sent = d->sending;
	const cJSON *it, *p;
	enum status s;

	d->sending = NULL;
	if (r->status == STATUS_OK && r->http == 200) {
		/* Taken: off the journal, unless changed again meanwhile. */
		cJSON_ArrayForEach(it, sent) {
			p = cJSON_GetObjectItemCaseSensitive(d->pending,
			    it->string);
			if (p != NULL && cJSON_Compare(p, it, 1))
				cJSON_DeleteItemFromObjectCaseSensitive(
				    d->pending, it->string);
		}
		cJSON_Delete(sent);
		return on_dossier(d, r, err, errsz);
	}
	portal_message(d, r, err, errsz);
	s = r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
	if (r->status == STATUS_OK && r->http == 400) {
		refused_fields(d, sent, r, err);
		s = STATUS_ERR_INVALID;
	}
	cJSON_Delete(sent);
	return s;
}

enum status
draft_answer(struct draft *d, enum draft_req k, const struct session_reply *r,
    char *err, size_t errsz)
{
	if (k == DRAFT_REQ_PATCH)
		return on_patched(d, r, err, errsz);
	return on_dossier(d, r, err, errsz);
}

enum status
draft_attach_request(struct draft *d, size_t i, const char *path,
    struct request *req, char *err, size_t errsz)
{
	struct draft_doc *doc = &d->docs[i];
	const char *base, *type, *kv[3];
	struct buf q;
	enum status s;
	char *data;
	size_t len;

	memset(req, 0, sizeof *req);
	if (d->dossier_id == NULL) {
		snprintf(err, errsz, "%s", T(d->lang, "Bản nháp chưa được tạo "
		    "trên cổng; hãy thử lại.", "The draft is not made at the "
		    "portal yet; try again."));
		return STATUS_ERR_CONFLICT;
	}
	if ((s = files_read_upload(path, d->lang, &data, &len, &type, err,
	    errsz)) != STATUS_OK) {
		free(doc->error);
		doc->error = xstrdup(err);
		return s;
	}
	base = strrchr(path, '/');
	kv[0] = "name";
	kv[1] = base != NULL ? base + 1 : path;
	kv[2] = NULL;
	buf_init(&q, 4096);
	httpc_form_encode(kv, &q);
	request_init(req, "PUT", REQUEST_AUTH,
	    "/api/v1/dossiers/%s/attachments/%s?%q", d->dossier_id, doc->key,
	    buf_str(&q));
	buf_free(&q);
	request_body(req, type, data, len);
	free(data);
	return STATUS_OK;
}

int
draft_detach_request(const struct draft *d, size_t i, struct request *req)
{
	memset(req, 0, sizeof *req);
	if (d->dossier_id == NULL || i >= d->ndocs || d->docs[i].file == NULL)
		return 0;
	request_init(req, "DELETE", REQUEST_AUTH,
	    "/api/v1/dossiers/%s/attachments/%s", d->dossier_id,
	    d->docs[i].key);
	return 1;
}

enum status
draft_attached_answer(struct draft *d, size_t i,
    const struct session_reply *r, char *err, size_t errsz)
{
	struct draft_doc *doc = &d->docs[i];
	cJSON *root = NULL;
	const char *name = NULL;
	long long size = 0;

	if (r->status == STATUS_OK && r->http == 200) {
		if (json_parse(r->body, r->len, &root, NULL, 0) == STATUS_OK) {
			json_get_string(root, "name", 0, &name, NULL);
			json_get_int(root, "size", 0, 0, 1LL << 40, &size,
			    NULL);
		}
		doc_set_file(doc, name != NULL ? name : doc->key, size);
		cJSON_Delete(root);
		return STATUS_OK;
	}
	portal_message(d, r, err, errsz);
	free(doc->error);
	doc->error = xstrdup(err);
	return r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
}

enum status
draft_detached_answer(struct draft *d, size_t i,
    const struct session_reply *r, char *err, size_t errsz)
{
	if (r->status == STATUS_OK && (r->http == 204 || r->http == 404)) {
		if (i < d->ndocs)
			doc_set_file(&d->docs[i], NULL, 0);
		return STATUS_OK;
	}
	portal_message(d, r, err, errsz);
	return r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
}

enum status
draft_deleted_answer(const struct draft *d, const struct session_reply *r,
    char *err, size_t errsz)
{
	if (r->status == STATUS_OK && (r->http == 204 || r->http == 404))
		return STATUS_OK;
	portal_message(d, r, err, errsz);
	return r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
}

int
draft_has_pending(const struct draft *d)
{
	return cJSON_GetArraySize(d->pending) > 0;
}

char *
draft_missing_text(const struct draft *d)
{
	const struct form_field *f;
	struct draft_doc *doc;
	const cJSON *it;
	struct buf b;

	buf_init(&b, 65536);
	cJSON_ArrayForEach(it, d->missing) {
		if (!cJSON_IsString(it))
			continue;
		if ((f = form_field_find(d->form, it->valuestring)) != NULL)
			buf_printf(&b, "- %s\n", f->label);
		else if ((doc = doc_find((struct draft *)d,
		    it->valuestring)) != NULL)
			buf_printf(&b, "- %s\n", doc->name);
	}
	return b.data != NULL ? buf_detach(&b, NULL) : xstrdup("");
}

void
draft_supplement(struct draft *d)
{
	size_t i;

	for (i = 0; i < d->npages; i++)
		free(d->pages[i].items);
	free(d->pages);
	d->pages = NULL;
	d->npages = 0;
	d->supplementing = 1;
	new_page(d, DRAFT_PAGE_DOCUMENTS, T(d->lang, "Bổ sung hồ sơ",
	    "Supplement the dossier"));
	/* What is signed again is reviewed again. */
	new_page(d, DRAFT_PAGE_REVIEW, T(d->lang, "Xem lại tờ khai",
	    "Review the declaration"));
	new_page(d, DRAFT_PAGE_SIGN, T(d->lang, "Ký số và gửi bổ sung",
	    "Sign and send the supplement"));
}

void
draft_set_focus(struct draft *d, size_t page, size_t item)
{
	free(d->focus);
	d->focus = xasprintf("%zu:%zu", page, item);
}

void
draft_get_focus(const struct draft *d, size_t *page, size_t *item)
{
	size_t p = 0, i = 0;

	*page = *item = 0;
	if (d->focus == NULL || sscanf(d->focus, "%zu:%zu", &p, &i) != 2 ||
	    p >= d->npages)
		return;
	*page = p;
	if (d->pages[p].kind == DRAFT_PAGE_FIELDS && i < d->pages[p].nitems)
		*item = i;
	else if (d->pages[p].kind == DRAFT_PAGE_DOCUMENTS && i < d->ndocs)
		*item = i;
}
