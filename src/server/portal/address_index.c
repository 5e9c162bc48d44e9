/*
 * Old addresses to new wards; see address_index.h.
 *
 * Each name is kept folded and cut into its unit word and the rest
 * ("Quận Gò Vấp": "quan", "go vap").  A ward is known by entries, its
 * own first, then one for each old ward it was formed from; a ward's
 * entries are next to each other, so that once the wards a query names
 * are chosen, the old names that matched are found among their own
 * entries only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "portal/address_index.h"
#include "utf8.h"
#include "xmalloc.h"

#define PARTS_MAX	3		/* ward, district, province */

/* A name folded, its unit word apart: "phuong", "12". */
struct unit {
	char	*kind;		/* "" when it has none */
	char	*name;
};

struct province {
	char		*code;
	char		*title;		/* "Thành phố Hồ Chí Minh" */
	struct unit	 unit;
};

struct ward {
	char		*code;
	char		*title;		/* "Phường An Hội Tây" */
	size_t		 province;	/* in provinces */
	size_t		 first;		/* its entries */
	size_t		 nentries;
};

/* A ward named now (old NULL) or as an old ward of it was. */
struct entry {
	char			*old;		/* "Phường 12, Quận Gò Vấp, ..." */
	struct unit		 ward;
	struct unit		 district;	/* old only */
	const struct unit	*province;	/* the old one, or the new */
	const struct unit	*province_now;
};

struct portal_address_index {
	struct province	*provinces;	/* now */
	size_t		 nprovinces;
	struct province	*old;		/* before 1/7/2025 */
	size_t		 nold;
	struct ward	*wards;
	size_t		 nwards;
	struct entry	*entries;
	size_t		 nentries;
};

/* The unit words, folded, the longer first; each with its full form. */
static const struct {
	const char	*word;
	const char	*kind;
} unit_words[] = {
	{ "thanh pho", "thanh pho" }, { "thi tran", "thi tran" },
	{ "thi xa", "thi xa" }, { "dac khu", "dac khu" },
	{ "phuong", "phuong" }, { "huyen", "huyen" }, { "quan", "quan" },
	{ "tinh", "tinh" }, { "xa", "xa" }, { "tp", "thanh pho" },
	{ "tx", "thi xa" }, { "tt", "thi tran" }, { "p", "phuong" },
	{ "q", "quan" },
};

/* A query's part: as typed, and without its first word as a unit. */
struct part {
	char		*whole;
	struct unit	 split;		/* kind NULL: no unit word */
	int		 last;		/* may be a name's start */
};

/*
 * Folded s (no diacritics, no case), with what is neither a letter nor a
 * digit made a space, spaces single.  NULL when s is not UTF-8.
 */
static char *
fold(const char *s)
{
	char *f, *r, *w;
	int space = 1;

	if (utf8_fold(s, &f) != STATUS_OK)
		return NULL;
	for (r = w = f; *r != '\0'; r++) {
		if ((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9') ||
		    (unsigned char)*r >= 0x80) {
			*w++ = *r;
			space = 0;
		} else if (!space) {
			*w++ = ' ';
			space = 1;
		}
	}
	if (w > f && w[-1] == ' ')
		w--;
	*w = '\0';
	return f;
}

/* The unit word s starts with, followed by a name: its kind, else NULL. */
static const char *
unit_word(const char *s, size_t *len)
{
	size_t i, n;

	for (i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++) {
		n = strlen(unit_words[i].word);
		if (strncmp(s, unit_words[i].word, n) == 0 && s[n] == ' ' &&
		    s[n + 1] != '\0') {
			*len = n + 1;
			return unit_words[i].kind;
		}
	}
	return NULL;
}

/* Folds and cuts a name with its unit ("Quận Gò Vấp"); 0 if not UTF-8. */
static int
unit_set(struct unit *u, const char *s)
{
	const char *kind;
	char *f;
	size_t n;

	if ((f = fold(s)) == NULL)
		return 0;
	if ((kind = unit_word(f, &n)) != NULL) {
		u->kind = xstrdup(kind);
		u->name = xstrdup(f + n);
		free(f);
	} else {
		u->kind = xstrdup("");
		u->name = f;
	}
	return 1;
}

static void
unit_free(struct unit *u)
{
	free(u->kind);
	free(u->name);
}

void
portal_address_index_free(struct portal_address_index **ip)
{
	struct portal_address_index *x = *ip;
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nprovinces; i++) {
		free(x->provinces[i].code);
		free(x->provinces[i].title);
		unit_free(&x->provinces[i].unit);
	}
	for (i = 0; i < x->nold; i++) {
		free(x->old[i].code);
		free(x->old[i].title);
		unit_free(&x->old[i].unit);
	}
	for (i = 0; i < x->nwards; i++) {
		free(x->wards[i].code);
		free(x->wards[i].title);
	}
	for (i = 0; i < x->nentries; i++) {
		free(x->entries[i].old);
		unit_free(&x->entries[i].ward);
		unit_free(&x->entries[i].district);
	}
	free(x->provinces);
	free(x->old);
	free(x->wards);
	free(x->entries);
	free(x);
	*ip = NULL;
}

static const char *
str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A kind as a title begins ("tỉnh" -> "Tỉnh"), for a province or not. */
static const char *
kind_title(const char *kind, int province)
{
	static const char *const provinces[][2] = {
		{ "tỉnh", "Tỉnh" }, { "thành phố", "Thành phố" },
	};
	static const char *const wards[][2] = {
		{ "phường", "Phường" }, { "xã", "Xã" },
		{ "đặc khu", "Đặc khu" },
	};
	size_t i;

	for (i = 0; kind != NULL && province && i < 2; i++)
		if (strcmp(kind, provinces[i][0]) == 0)
			return provinces[i][1];
	for (i = 0; kind != NULL && !province && i < 3; i++)
		if (strcmp(kind, wards[i][0]) == 0)
			return wards[i][1];
	return NULL;
}

/* A province, now or old, from {code, name, kind}; 0 when malformed. */
static int
province_set(struct province *p, const cJSON *o)
{
	const char *title = kind_title(str(o, "kind"), 1);

	if (str(o, "code") == NULL || str(o, "name") == NULL || title == NULL)
		return 0;
	p->code = xstrdup(str(o, "code"));
	p->title = xasprintf("%s %s", title, str(o, "name"));
	return unit_set(&p->unit, p->title);
}

static const struct province *
old_province(const struct portal_address_index *x, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < x->nold; i++)
		if (strcmp(x->old[i].code, code) == 0)
			return &x->old[i];
	return NULL;
}

/* The entry of an old ward {name, district, province} of ward w. */
static int
entry_old(struct portal_address_index *x, struct ward *w, const cJSON *o)
{
	struct entry *e = &x->entries[x->nentries];
	const struct province *op = old_province(x, str(o, "province"));
	const char *name = str(o, "name"), *district = str(o, "district");

	if (op == NULL || name == NULL || district == NULL)
		return 0;
	memset(e, 0, sizeof *e);
	x->nentries++;
	w->nentries++;
	e->old = xasprintf("%s, %s, %s", name, district, op->title);
	e->province = &op->unit;
	e->province_now = &x->provinces[w->province].unit;
	return unit_set(&e->ward, name) && unit_set(&e->district, district);
}

/* A ward {code, name, kind, formerly} of province p, with its entries. */
static int
ward_add(struct portal_address_index *x, size_t p, const cJSON *o)
{
	struct ward *w = &x->wards[x->nwards];
	struct entry *e;
	const cJSON *f, *formerly = cJSON_GetObjectItem(o, "formerly");
	const char *title = kind_title(str(o, "kind"), 0);

	if (str(o, "code") == NULL || str(o, "name") == NULL || title == NULL)
		return 0;
	x->nwards++;
	w->code = xstrdup(str(o, "code"));
	w->title = xasprintf("%s %s", title, str(o, "name"));
	w->province = p;
	w->first = x->nentries;
	e = &x->entries[x->nentries++];
	memset(e, 0, sizeof *e);
	w->nentries = 1;
	e->province = e->province_now = &x->provinces[p].unit;
	if (!unit_set(&e->ward, w->title))
		return 0;
	cJSON_ArrayForEach(f, formerly)
		if (!entry_old(x, w, f))
			return 0;
	return 1;
}

/* A province of the table and the old provinces it was formed from. */
static int
province_add(struct portal_address_index *x, const cJSON *o, char *err,
    size_t errsz)
{
	const cJSON *f;
	size_t p = x->nprovinces++;

	if (!province_set(&x->provinces[p], o)) {
		err_printf(err, errsz, "addresses: province %zu is malformed",
		    p);
		return 0;
	}
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(o, "formerly")) {
		if (!province_set(&x->old[x->nold++], f)) {
			err_printf(err, errsz, "addresses: province %s: an old "
			    "province is malformed", x->provinces[p].code);
			return 0;
		}
	}
	return 1;
}

/* The wards of the p-th province. */
static int
wards_add(struct portal_address_index *x, size_t p, const cJSON *o, char *err,
    size_t errsz)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, cJSON_GetObjectItem(o, "wards")) {
		if (!ward_add(x, p, w)) {
			err_printf(err, errsz, "addresses: province %s: ward "
			    "%s or an old ward of it is malformed",
			    x->provinces[p].code, str(w, "code") != NULL ?
			    str(w, "code") : "?");
			return 0;
		}
	}
	return 1;
}

struct portal_address_index *
portal_address_index_new(const cJSON *table, char *err, size_t errsz)
{
	struct portal_address_index *x = xcalloc(1, sizeof *x);
	const cJSON *provinces, *o, *w;
	size_t nold = 0, nwards = 0, nentries = 0, p = 0;

	provinces = cJSON_GetObjectItem(table, "provinces");
	if (!cJSON_IsArray(provinces) || cJSON_GetArraySize(provinces) == 0) {
		err_printf(err, errsz, "addresses: no provinces");
		goto fail;
	}
	cJSON_ArrayForEach(o, provinces) {
		nold += (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(o,
		    "formerly"));
		cJSON_ArrayForEach(w, cJSON_GetObjectItem(o, "wards")) {
			nwards++;
			nentries += 1 + (size_t)cJSON_GetArraySize(
			    cJSON_GetObjectItem(w, "formerly"));
		}
	}
	/* Sized once: the entries point into these. */
	x->provinces = xcalloc((size_t)cJSON_GetArraySize(provinces),
	    sizeof *x->provinces);
	x->old = xcalloc(nold + 1, sizeof *x->old);
	x->wards = xcalloc(nwards + 1, sizeof *x->wards);
	x->entries = xcalloc(nentries + 1, sizeof *x->entries);
	cJSON_ArrayForEach(o, provinces)
		if (!province_add(x, o, err, errsz))
			goto fail;
	cJSON_ArrayForEach(o, provinces)
		if (!wards_add(x, p++, o, err, errsz))
			goto fail;
	return x;
fail:
	portal_address_index_free(&x);
	return NULL;
}

/* ---- Matching ---- */

static void
parts_free(struct part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(parts[i].whole);
		free(parts[i].split.kind);
		free(parts[i].split.name);
	}
}

/* The characters of s. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* q cut at its commas into its last PARTS_MAX parts, folded. */
static enum status
parts_make(const char *q, struct part *parts, size_t *n)
{
	const char *p, *kind;
	char *piece, *f;
	size_t len, k;

	*n = 0;
	if (!utf8_valid(q, strlen(q)))
		return STATUS_ERR_UTF8;
	if (chars(q) > PORTAL_ADDRESS_QUERY_MAX)
		return STATUS_ERR_TOOBIG;
	for (p = q; *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		piece = xstrndup(p, len);
		f = fold(piece);
		free(piece);
		if (f == NULL)
			return STATUS_ERR_UTF8;
		if (f[0] == '\0') {
			free(f);
			continue;
		}
		if (*n == PARTS_MAX) {
			/* A house and street before the three: left out. */
			parts_free(parts, 1);
			memmove(parts, parts + 1, (PARTS_MAX - 1) *
			    sizeof *parts);
			(*n)--;
		}
		memset(&parts[*n], 0, sizeof parts[*n]);
		parts[*n].whole = f;
		if ((kind = unit_word(f, &k)) != NULL) {
			parts[*n].split.kind = xstrdup(kind);
			parts[*n].split.name = xstrdup(f + k);
		}
		(*n)++;
	}
	if (*n == 0)
		return STATUS_ERR_INVALID;
	parts[*n - 1].last = 1;
	return STATUS_OK;
}

/* name is want, or, for the part being typed, starts with it. */
static int
name_match(const char *name, const char *want, int last, int *exact)
{
	if (strcmp(name, want) == 0)
		return 1;
	if (last && strncmp(name, want, strlen(want)) == 0) {
		*exact = 0;
		return 1;
	}
	return 0;
}

/* Does part p name u?  Its unit word, if given, must be u's. */
static int
part_match(const struct part *p, const struct unit *u, int *exact)
{
	int ex = 1;

	if (p->split.kind != NULL && strcmp(p->split.kind, u->kind) == 0 &&
	    name_match(u->name, p->split.name, p->last, &ex)) {
		*exact &= ex;
		return 1;
	}
	ex = 1;
	if (name_match(u->name, p->whole, p->last, &ex)) {
		*exact &= ex;
		return 1;
	}
	return 0;
}

/* Does a level of the entry match the part?  Province: old or new. */
static int
level_match(const struct entry *e, int level, const struct part *p,
    int *exact)
{
	if (level == 0)
		return part_match(p, &e->ward, exact);
	if (level == 1)
		return e->old != NULL && part_match(p, &e->district, exact);
	return part_match(p, e->province, exact) ||
	    (e->province_now != e->province &&
	    part_match(p, e->province_now, exact));
}

/*
 * The entry's rank for the parts (lower is better), or -1 when they do
 * not name it: each part a level of it, in order, the finest first.  A
 * name whole before a name's start, the finest level the first part
 * names, the name now before a name of before.
 */
static int
entry_rank(const struct entry *e, const struct part *parts, size_t n)
{
	int level = 0, first = -1, exact = 1;
	size_t i;

	for (i = 0; i < n; i++, level++) {
		while (level < PARTS_MAX && !level_match(e, level, &parts[i],
		    &exact))
			level++;
		if (level == PARTS_MAX)
			return -1;
		if (first < 0)
			first = level;
	}
	return (exact ? 0 : 100) + first * 10 + (e->old != NULL);
}

/* A ward that matched, with its best rank, for sorting. */
struct found {
	size_t	ward;
	int	rank;
};

static int
by_rank(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->ward < y->ward ? -1 : x->ward > y->ward;
}

/* The hit of ward w, with the old names among its entries that match. */
static void
hit_fill(const struct portal_address_index *x, size_t w, const struct part *parts,
    size_t n, struct portal_address_hit *h)
{
	const struct ward *wd = &x->wards[w];
	const struct entry *e;
	size_t i;

	memset(h, 0, sizeof *h);
	h->province_code = x->provinces[wd->province].code;
	h->province = x->provinces[wd->province].title;
	h->ward_code = wd->code;
	h->ward = wd->title;
	for (i = 0; i < wd->nentries; i++) {
		e = &x->entries[wd->first + i];
		if (e->old != NULL && h->nformerly < PORTAL_ADDRESS_OLD_MAX &&
		    entry_rank(e, parts, n) >= 0)
			h->formerly[h->nformerly++] = e->old;
	}
}

enum status
portal_address_index_find(const struct portal_address_index *x, const char *q,
    struct portal_address_hit *hits, size_t max, size_t *n, size_t *total)
{
	struct part parts[PARTS_MAX];
	struct found *found;
	size_t nparts = 0, nfound = 0, w, i;
	enum status s;
	int r, best;

	*n = *total = 0;
	if ((s = parts_make(q, parts, &nparts)) != STATUS_OK) {
		parts_free(parts, nparts);
		return s;
	}
	found = xcalloc(x->nwards + 1, sizeof *found);
	for (w = 0; w < x->nwards; w++) {
		best = -1;
		for (i = 0; i < x->wards[w].nentries; i++) {
			r = entry_rank(&x->entries[x->wards[w].first + i],
			    parts, nparts);
			if (r >= 0 && (best < 0 || r < best))
				best = r;
		}
		if (best >= 0) {
			found[nfound].ward = w;
			found[nfound++].rank = best;
		}
	}
	qsort(found, nfound, sizeof *found, by_rank);
	for (i = 0; i < nfound && i < max; i++)
		hit_fill(x, found[i].ward, parts, nparts, &hits[i]);
	*n = i;
	*total = nfound;
	free(found);
	parts_free(parts, nparts);
	return STATUS_OK;
}
