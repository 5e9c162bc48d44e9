/*
 * The clock in Vietnam (UTC+7, no daylight saving time), a clock tests can
 * set, and working days counted against a holidays file.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "xmalloc.h"

#define CLOCK_DAY	86400

enum clock_mode {
	CLOCK_REAL,
	CLOCK_FIXED,
	CLOCK_OFFSET
};

static pthread_mutex_t	clock_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t	clock_once = PTHREAD_ONCE_INIT;
static enum clock_mode	clock_mode = CLOCK_REAL;
static int64_t		clock_value_ms;	/* the fixed time or the offset */

struct holiday {
	int64_t	 day;	/* days since 1970-01-01 */
	int	 work;	/* a make-up working day rather than a day off */
	char	*name;
};

struct holidays {
	struct holiday	*v;
	size_t		 n;
};

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar. */
static int64_t
clock_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The reverse of clock_days_from_civil. */
static void
clock_civil_from_days(int64_t z, int *yp, int *mp, int *dp)
{
	int64_t era, doe, yoe, y, doy, mm;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mm = (5 * doy + 2) / 153;
	*dp = (int)(doy - (153 * mm + 2) / 5 + 1);
	*mp = (int)(mm < 10 ? mm + 3 : mm - 9);
	*yp = (int)(*mp <= 2 ? y + 1 : y);
}

/* 0 Sunday to 6 Saturday; 1970-01-01 was a Thursday. */
static int
clock_weekday(int64_t days)
{
	int64_t w;

	w = (days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int64_t
clock_floor_div(int64_t a, int64_t b)
{
	int64_t q;

	q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* The Vietnam date of t, as days since 1970-01-01. */
static int64_t
clock_vn_day(int64_t t)
{
	return clock_floor_div(t + CLOCK_VN_OFFSET, CLOCK_DAY);
}

static int
clock_days_in_month(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int
clock_valid_date(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= clock_days_in_month(y, m);
}

static int64_t
clock_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Parses exactly n digits at s. */
static int
clock_digits(const char *s, int n, int *out)
{
	int i, v;

	v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parses "YYYY-MM-DD" at s, checking the date exists. */
static int
clock_parse_date(const char *s, int *y, int *m, int *d)
{
	if (clock_digits(s, 4, y) != 0 || s[4] != '-' ||
	    clock_digits(s + 5, 2, m) != 0 || s[7] != '-' ||
	    clock_digits(s + 8, 2, d) != 0)
		return -1;
	if (!clock_valid_date(*y, *m, *d))
		return -1;
	return 0;
}

enum status
clock_parse_iso8601(const char *s, int64_t *out)
{
	struct vn_time vt;
	int64_t t;
	int zone, zh, zm, sign;

	memset(&vt, 0, sizeof vt);
	if (s == NULL || strlen(s) < 10 ||
	    clock_parse_date(s, &vt.y, &vt.mo, &vt.d) != 0)
		return STATUS_ERR_INVALID;
	s += 10;
	zone = CLOCK_VN_OFFSET;
	if (*s == '\0')
		goto done;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return STATUS_ERR_INVALID;
	s++;
	if (clock_digits(s, 2, &vt.h) != 0 || s[2] != ':' ||
	    clock_digits(s + 3, 2, &vt.mi) != 0)
		return STATUS_ERR_INVALID;
	s += 5;
	if (*s == ':') {
		if (clock_digits(s + 1, 2, &vt.s) != 0)
			return STATUS_ERR_INVALID;
		s += 3;
		if (*s == '.' || *s == ',') {
			s++;
			if (!isdigit((unsigned char)*s))
				return STATUS_ERR_INVALID;
			while (isdigit((unsigned char)*s))
				s++;
		}
	}
	if (vt.h > 23 || vt.mi > 59 || vt.s > 60)
		return STATUS_ERR_INVALID;
	if (*s == 'Z' || *s == 'z') {
		zone = 0;
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		s++;
		if (clock_digits(s, 2, &zh) != 0)
			return STATUS_ERR_INVALID;
		s += 2;
		if (*s == ':')
			s++;
		if (clock_digits(s, 2, &zm) != 0)
			return STATUS_ERR_INVALID;
		s += 2;
		if (zh > 23 || zm > 59)
			return STATUS_ERR_INVALID;
		zone = sign * (zh * 3600 + zm * 60);
	}
	if (*s != '\0')
		return STATUS_ERR_INVALID;
done:
	t = clock_from_vn(&vt);
	*out = t + CLOCK_VN_OFFSET - zone;
	return STATUS_OK;
}

/* Parses $DVC_FAKE_NOW's value: Unix seconds or ISO 8601. */
static enum status
clock_parse_fake(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (isdigit((unsigned char)*s) || (*s == '-' &&
	    isdigit((unsigned char)s[1]))) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0') {
			*out = v;
			return STATUS_OK;
		}
	}
	return clock_parse_iso8601(s, out);
}

enum status
clock_init_from_env(void)
{
	const char *s;
	int64_t t;
	enum status st;

	st = STATUS_OK;
	pthread_mutex_lock(&clock_lock);
	clock_mode = CLOCK_REAL;
	clock_value_ms = 0;
	s = getenv("DVC_FAKE_NOW");
	if (s != NULL && *s != '\0') {
		st = clock_parse_fake(s, &t);
		if (st == STATUS_OK) {
			clock_mode = CLOCK_OFFSET;
			clock_value_ms = t * 1000 - clock_real_ms();
		}
	}
	pthread_mutex_unlock(&clock_lock);
	return st;
}

static void
clock_once_init(void)
{
	clock_init_from_env();
}

int64_t
clock_now_ms(void)
{
	int64_t ms;

	pthread_once(&clock_once, clock_once_init);
	pthread_mutex_lock(&clock_lock);
	switch (clock_mode) {
	case CLOCK_FIXED:
		ms = clock_value_ms;
		break;
	case CLOCK_OFFSET:
		ms = clock_real_ms() + clock_value_ms;
		break;
	default:
		ms = clock_real_ms();
		break;
	}
	pthread_mutex_unlock(&clock_lock);
	return ms;
}

int64_t
clock_now(void)
{
	return clock_floor_div(clock_now_ms(), 1000);
}

void
clock_set_fixed(int64_t t)
{
	pthread_once(&clock_once, clock_once_init);
	pthread_mutex_lock(&clock_lock);
	clock_mode = CLOCK_FIXED;
	clock_value_ms = t * 1000;
	pthread_mutex_unlock(&clock_lock);
}

void
clock_set_offset(int64_t delta)
{
	pthread_once(&clock_once, clock_once_init);
	pthread_mutex_lock(&clock_lock);
	clock_mode = CLOCK_OFFSET;
	clock_value_ms = delta * 1000;
	pthread_mutex_unlock(&clock_lock);
}

void
clock_reset(void)
{
	pthread_once(&clock_once, clock_once_init);
	pthread_mutex_lock(&clock_lock);
	clock_mode = CLOCK_REAL;
	clock_value_ms = 0;
	pthread_mutex_unlock(&clock_lock);
}

void
clock_to_vn(int64_t t, struct vn_time *vt)
{
	int64_t day, sec;

	day = clock_vn_day(t);
	sec = t + CLOCK_VN_OFFSET - day * CLOCK_DAY;
	clock_civil_from_days(day, &vt->y, &vt->mo, &vt->d);
	vt->h = (int)(sec / 3600);
	vt->mi = (int)(sec / 60 % 60);
	vt->s = (int)(sec % 60);
	vt->wday = clock_weekday(day);
}

int64_t
clock_from_vn(const struct vn_time *vt)
{
	int64_t day;

	day = clock_days_from_civil(vt->y, vt->mo, vt->d);
	return day * CLOCK_DAY + (int64_t)vt->h * 3600 + (int64_t)vt->mi * 60 +
	    vt->s - CLOCK_VN_OFFSET;
}

enum status
clock_format_vn(int64_t t, char *out, size_t outsz, const char *style)
{
	struct vn_time vt;
	int n;

	clock_to_vn(t, &vt);
	if (strcmp(style, "dd/mm/yyyy") == 0)
		n = snprintf(out, outsz, "%02d/%02d/%04d", vt.d, vt.mo, vt.y);
	else if (strcmp(style, "dd/mm/yyyy HH:MM") == 0)
		n = snprintf(out, outsz, "%02d/%02d/%04d %02d:%02d", vt.d,
		    vt.mo, vt.y, vt.h, vt.mi);
	else if (strcmp(style, "HH:MM") == 0)
		n = snprintf(out, outsz, "%02d:%02d", vt.h, vt.mi);
	else if (strcmp(style, "yyyy-mm-dd") == 0)
		n = snprintf(out, outsz, "%04d-%02d-%02d", vt.y, vt.mo, vt.d);
	else if (strcmp(style, "iso8601") == 0)
		n = snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d+07:00",
		    vt.y, vt.mo, vt.d, vt.h, vt.mi, vt.s);
	else {
		if (outsz > 0)
			out[0] = '\0';
		return STATUS_ERR_INVALID;
	}
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return STATUS_ERR_TOOBIG;
	}
	return STATUS_OK;
}

static int
holidays_cmp(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

static const struct holiday *
holidays_find(const struct holidays *h, int64_t day)
{
	struct holiday key;

	if (h == NULL || h->n == 0)
		return NULL;
	key.day = day;
	return bsearch(&key, h->v, h->n, sizeof *h->v, holidays_cmp);
}

void
holidays_free(struct holidays **hp)
{
	struct holidays *h = *hp;
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++)
		free(h->v[i].name);
	free(h->v);
	free(h);
	*hp = NULL;
}

/* Parses one line into hd; returns -1 with a reason in why if bad. */
static int
holidays_parse_line(char *line, struct holiday *hd, int *skip,
    const char **why)
{
	char *p, *e;
	int y, m, d;

	*skip = 0;
	p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	if (*p == '\0' || *p == '#') {
		*skip = 1;
		return 0;
	}
	if (strlen(p) < 10 || clock_parse_date(p, &y, &m, &d) != 0) {
		*why = "expected a date as YYYY-MM-DD";
		return -1;
	}
	p += 10;
	if (*p != '\0' && *p != ' ' && *p != '\t') {
		*why = "expected a space after the date";
		return -1;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if ((e = strchr(p, '#')) != NULL) {
		*e = '\0';
		while (e > p && isspace((unsigned char)e[-1]))
			*--e = '\0';
	}
	hd->day = clock_days_from_civil(y, m, d);
	hd->work = 0;
	if (strncmp(p, "work", 4) == 0 && (p[4] == '\0' || p[4] == ' ' ||
	    p[4] == '\t')) {
		hd->work = 1;
		p += 4;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	hd->name = xstrdup(p);
	return 0;
}

struct holidays *
holidays_load(const char *path, char *err, size_t errsz)
{
	struct holidays *h = NULL;
	struct holiday hd;
	FILE *fp;
	char *line = NULL;
	const char *why;
	size_t cap = 0, alloc = 0, i, lineno = 0;
	int skip, bad = 1;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "cannot open %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	h = xcalloc(1, sizeof *h);
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		why = NULL;
		if (holidays_parse_line(line, &hd, &skip, &why) != 0) {
			snprintf(err, errsz, "%s:%zu: %s", path, lineno, why);
			goto out;
		}
		if (skip)
			continue;
		if (h->n == alloc) {
			alloc = alloc == 0 ? 64 : alloc * 2;
			h->v = xreallocarray(h->v, alloc, sizeof *h->v);
		}
		h->v[h->n++] = hd;
	}
	if (ferror(fp)) {
		snprintf(err, errsz, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	qsort(h->v, h->n, sizeof *h->v, holidays_cmp);
	for (i = 1; i < h->n; i++) {
		if (h->v[i].day == h->v[i - 1].day) {
			int y, m, d;

			clock_civil_from_days(h->v[i].day, &y, &m, &d);
			snprintf(err, errsz, "%s: %04d-%02d-%02d is listed "
			    "twice", path, y, m, d);
			goto out;
		}
	}
	bad = 0;
out:
	free(line);
	fclose(fp);
	if (bad)
		holidays_free(&h);
	return h;
}

const char *
holidays_name(const struct holidays *h, int y, int m, int d)
{
	const struct holiday *hd;

	if (!clock_valid_date(y, m, d))
		return NULL;
	hd = holidays_find(h, clock_days_from_civil(y, m, d));
	if (hd == NULL || hd->work)
		return NULL;
	return hd->name;
}

static int
clock_is_working_daynum(const struct holidays *h, int64_t day)
{
	const struct holiday *hd;
	int w;

	if ((hd = holidays_find(h, day)) != NULL)
		return hd->work;
	w = clock_weekday(day);
	return w != 0 && w != 6;
}

int
clock_is_working_day(const struct holidays *h, int y, int m, int d)
{
	if (!clock_valid_date(y, m, d))
		return 0;
	return clock_is_working_daynum(h, clock_days_from_civil(y, m, d));
}

int64_t
clock_add_working_days(const struct holidays *h, int64_t start, int days)
{
	int64_t day, tod;
	int step;

	day = clock_vn_day(start);
	tod = start + CLOCK_VN_OFFSET - day * CLOCK_DAY;
	step = days < 0 ? -1 : 1;
	while (days != 0) {
		day += step;
		if (clock_is_working_daynum(h, day))
			days -= step;
	}
	return day * CLOCK_DAY + tod - CLOCK_VN_OFFSET;
}

int
clock_working_days_between(const struct holidays *h, int64_t from,
    int64_t to)
{
	int64_t a, b, day;
	int n = 0;

	a = clock_vn_day(from);
	b = clock_vn_day(to);
	if (b < a)
		return -clock_working_days_between(h, to, from);
	for (day = a + 1; day <= b; day++)
		n += clock_is_working_daynum(h, day);
	return n;
}
