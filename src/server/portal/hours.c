/*
 * An agency's working hours and the appointment they give a dossier: the
 * sessions of a working day read from agencies.json, when a dossier
 * counts as received, and when it is due.  Only clock.h's working days
 * and Vietnam time are used, so that every function here gives the same
 * answer for the same instant (tests set the instant).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "clock.h"
#include "json.h"
#include "portal/hours.h"
#include "xmalloc.h"

#define HOURS_DAY	86400
/* A year and more of days off in a row would be a broken holidays file. */
#define HOURS_SEARCH_DAYS	800

const struct portal_hours portal_hours_default = {
	{ { 7 * 3600 + 30 * 60, 11 * 3600 + 30 * 60 },
	  { 13 * 3600 + 30 * 60, 17 * 3600 } }, 2
};

struct hours_entry {
	char			*agency;
	struct portal_hours	 hours;
};

struct portal_hours_table {
	struct portal_hours	 fallback;
	struct hours_entry	*v;
	size_t			 n;
};

int
portal_hours_time(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 3600 + m * 60;
}

/* One session's "open" or "close"; -1 with err set if bad. */
static int
session_time(const cJSON *o, size_t i, const char *key, char *err,
    size_t errsz)
{
	const cJSON *it = cJSON_GetObjectItem(o, key);
	int t;

	if (!cJSON_IsString(it)) {
		snprintf(err, errsz, "sessions[%zu].%s: expected a time HH:MM",
		    i, key);
		return -1;
	}
	if ((t = portal_hours_time(it->valuestring)) == -1)
		snprintf(err, errsz, "sessions[%zu].%s: \"%s\" is not a time "
		    "HH:MM", i, key, it->valuestring);
	return t;
}

/* Only the members named; anything else is a mistake in the file. */
static int
only_members(const cJSON *o, const char *const *keys, char *err,
    size_t errsz, const char *where)
{
	const cJSON *it;
	size_t i;

	cJSON_ArrayForEach(it, o) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(it->string, keys[i]) == 0)
				break;
		if (keys[i] == NULL) {
			snprintf(err, errsz, "%s%s: unknown member", where,
			    it->string);
			return -1;
		}
	}
	return 0;
}

enum status
portal_hours_parse(const cJSON *o, struct portal_hours *h, char *err,
    size_t errsz)
{
	static const char *const top[] = { "sessions", NULL };
	static const char *const sess[] = { "open", "close", NULL };
	const cJSON *list, *it;
	struct portal_session s;
	char where[32];
	size_t i = 0;

	memset(h, 0, sizeof *h);
	if (!cJSON_IsObject(o)) {
		snprintf(err, errsz, "expected an object with \"sessions\"");
		return STATUS_ERR_INVALID;
	}
	if (only_members(o, top, err, errsz, "") == -1)
		return STATUS_ERR_INVALID;
	list = cJSON_GetObjectItem(o, "sessions");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 ||
	    cJSON_GetArraySize(list) > PORTAL_HOURS_SESSIONS_MAX) {
		snprintf(err, errsz, "sessions: expected 1 to %d sessions",
		    PORTAL_HOURS_SESSIONS_MAX);
		return STATUS_ERR_INVALID;
	}
	cJSON_ArrayForEach(it, list) {
		snprintf(where, sizeof where, "sessions[%zu].", i);
		if (!cJSON_IsObject(it)) {
			snprintf(err, errsz, "sessions[%zu]: expected an "
			    "object with \"open\" and \"close\"", i);
			return STATUS_ERR_INVALID;
		}
		if (only_members(it, sess, err, errsz, where) == -1 ||
		    (s.open = session_time(it, i, "open", err, errsz)) == -1 ||
		    (s.close = session_time(it, i, "close", err, errsz)) == -1)
			return STATUS_ERR_INVALID;
		if (s.close <= s.open) {
			snprintf(err, errsz, "sessions[%zu].close: not after "
			    "its opening", i);
			return STATUS_ERR_INVALID;
		}
		if (i > 0 && s.open < h->s[i - 1].close) {
			snprintf(err, errsz, "sessions[%zu].open: before the "
			    "closing of the session before it", i);
			return STATUS_ERR_INVALID;
		}
		h->s[i++] = s;
	}
	h->n = i;
	return STATUS_OK;
}

enum status
portal_hours_rule(const cJSON *pt, struct portal_due_rule *r, char *err,
    size_t errsz)
{
	struct json_err je;
	const char *cutoff = NULL;
	long long days = 0;

	r->days = 0;
	r->cutoff = -1;
	json_err_clear(&je);
	if (!cJSON_IsObject(pt)) {
		snprintf(err, errsz, "processing_time: expected an object");
		return STATUS_ERR_INVALID;
	}
	if (json_get_int(pt, "days", 1, 0, 365, &days, &je) != STATUS_OK ||
	    json_get_string(pt, "cutoff", 0, &cutoff, &je) != STATUS_OK) {
		snprintf(err, errsz, "processing_time: %s", je.message);
		return STATUS_ERR_INVALID;
	}
	r->days = (int)days;
	if (cutoff != NULL && ((r->cutoff = portal_hours_time(cutoff)) == -1 ||
	    r->cutoff == HOURS_DAY)) {
		snprintf(err, errsz, "processing_time.cutoff: \"%s\" is not a "
		    "time HH:MM", cutoff);
		r->cutoff = -1;
		return STATUS_ERR_INVALID;
	}
	return STATUS_OK;
}

/* Midnight in Vietnam of t's day. */
static int64_t
day_start(int64_t t)
{
	struct vn_time vt;

	clock_to_vn(t, &vt);
	vt.h = vt.mi = vt.s = 0;
	return clock_from_vn(&vt);
}

static int
working(const struct holidays *hol, int64_t day)
{
	struct vn_time vt;

	clock_to_vn(day, &vt);
	return clock_is_working_day(hol, vt.y, vt.mo, vt.d);
}

int64_t
portal_hours_received(const struct portal_hours *h,
    const struct holidays *hol, int64_t t)
{
	int64_t day = day_start(t), tod = t - day;
	size_t i;
	int n;

	for (n = 0; n < HOURS_SEARCH_DAYS; n++) {
		if (working(hol, day))
			for (i = 0; i < h->n; i++)
				if (tod < h->s[i].close)
					return day + (tod > h->s[i].open ?
					    tod : h->s[i].open);
		day += HOURS_DAY;
		tod = 0;
	}
	return t;
}

int64_t
portal_hours_appointment(const struct portal_hours *h,
    const struct holidays *hol, const struct portal_due_rule *r, int64_t t)
{
	int64_t rec, day;

	rec = portal_hours_received(h, hol, t);
	day = day_start(rec);
	if (r->cutoff >= 0 && rec - day > r->cutoff)
		rec = portal_hours_received(h, hol, day + HOURS_DAY);
	if (r->days <= 0)
		return day_start(rec) + h->s[h->n - 1].close;
	return portal_hours_normalise(h, hol, clock_add_working_days(hol, rec,
	    r->days));
}

int64_t
portal_hours_normalise(const struct portal_hours *h,
    const struct holidays *hol, int64_t t)
{
	int64_t day = day_start(t), tod = t - day;
	size_t i;

	if (working(hol, day))
		for (i = 0; i < h->n; i++)
			if (tod >= h->s[i].open && tod <= h->s[i].close)
				return t;
	return portal_hours_received(h, hol, t);
}

/* One agency's entry; -1 with err naming the agency. */
static int
table_add(struct portal_hours_table *tb, const cJSON *agency, char *err,
    size_t errsz)
{
	const cJSON *wh = cJSON_GetObjectItem(agency, "working_hours");
	const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(agency,
	    "code"));
	struct portal_hours h;
	char why[160];

	if (wh == NULL)
		return 0;
	if (code == NULL) {
		snprintf(err, errsz, "an agency with working_hours has no "
		    "code");
		return -1;
	}
	if (portal_hours_parse(wh, &h, why, sizeof why) != STATUS_OK) {
		snprintf(err, errsz, "agency %s: working_hours.%s", code, why);
		return -1;
	}
	tb->v = xreallocarray(tb->v, tb->n + 1, sizeof *tb->v);
	tb->v[tb->n].agency = xstrdup(code);
	tb->v[tb->n].hours = h;
	tb->n++;
	return 0;
}

struct portal_hours_table *
portal_hours_table_parse(const cJSON *doc, char *err, size_t errsz)
{
	struct portal_hours_table *tb;
	const cJSON *wh, *agency;
	char why[160];

	tb = xcalloc(1, sizeof *tb);
	wh = cJSON_GetObjectItem(doc, "working_hours");
	if (wh == NULL) {
		snprintf(err, errsz, "working_hours: missing (the hours of "
		    "every agency without its own)");
		goto fail;
	}
	if (portal_hours_parse(wh, &tb->fallback, why, sizeof why) !=
	    STATUS_OK) {
		snprintf(err, errsz, "working_hours.%s", why);
		goto fail;
	}
	cJSON_ArrayForEach(agency, cJSON_GetObjectItem(doc, "agencies"))
		if (table_add(tb, agency, err, errsz) == -1)
			goto fail;
	return tb;
fail:
	portal_hours_table_free(&tb);
	return NULL;
}

void
portal_hours_table_free(struct portal_hours_table **tp)
{
	struct portal_hours_table *tb = *tp;
	size_t i;

	if (tb == NULL)
		return;
	for (i = 0; i < tb->n; i++)
		free(tb->v[i].agency);
	free(tb->v);
	free(tb);
	*tp = NULL;
}

const struct portal_hours *
portal_hours_of(const struct portal_hours_table *tb, const char *agency)
{
	size_t i;

	if (tb == NULL)
		return &portal_hours_default;
	for (i = 0; agency != NULL && i < tb->n; i++)
		if (strcmp(tb->v[i].agency, agency) == 0)
			return &tb->v[i].hours;
	return &tb->fallback;
}

static void
describe_hours(struct buf *b, const struct portal_hours *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		buf_printf(b, " %02d:%02d-%02d:%02d", h->s[i].open / 3600,
		    h->s[i].open / 60 % 60, h->s[i].close / 3600,
		    h->s[i].close / 60 % 60);
}

char *
portal_hours_table_describe(const struct portal_hours_table *tb)
{
	struct buf b;
	size_t i;

	buf_init(&b, 64 * 1024);
	buf_printf(&b, "default");
	describe_hours(&b, portal_hours_of(tb, NULL));
	for (i = 0; tb != NULL && i < tb->n; i++) {
		buf_printf(&b, "; %s", tb->v[i].agency);
		describe_hours(&b, &tb->v[i].hours);
	}
	return buf_detach(&b, NULL);
}
