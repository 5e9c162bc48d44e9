/*
 * The catalog's search index in memory (search.h).  Each procedure keeps
 * its three columns as arrays of token ids; each token, in byte order,
 * the list of its places (procedure, column, position), so that a prefix
 * is a range of ids.  A query is FTS5's implicit AND of phrases: each
 * phrase's places are found from its first token and checked token by
 * token, each place adding its column's weight to the procedure's
 * frequency for that phrase; bm25 is then computed as FTS5's
 * fts5Bm25Function computes it (k1 1.2, b 0.75, the same expressions in
 * the same order), so that equal inputs give equal doubles.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "portal/search.h"
#include "utf8.h"
#include "xmalloc.h"

#define NCOLS		3	/* code, name, field: the FTS5 table's */
#define MAX_PHRASES	32
#define MAX_TOKENS	64	/* in one phrase */
#define BM25_K1		1.2
#define BM25_B		0.75

/* Whole numbers, so that a sum is exact in any order. */
static const uint32_t col_weight[NCOLS] = { 10, 5, 1 };

struct search_row {
	char		*code, *national_code, *name, *field, *agency, *level;
	int		 featured, rank;
	uint32_t	*tok[NCOLS];	/* token ids, in order */
	uint32_t	 ntok[NCOLS];
	int64_t		 size;		/* tokens in every column */
};

struct search_place {
	uint32_t	 row, col, pos;
};

struct portal_search {
	struct search_row	*rows;
	size_t			 nrows;
	char			**words;	/* the tokens, sorted */
	size_t			 nwords;
	size_t			*first;		/* word i: places[first[i]..] */
	struct search_place	*places;
	double			 avgdl;
};

/* A token while building: its text and place. */
struct raw_token {
	char		*text;
	uint32_t	 row, col, pos;
};

struct build {
	struct portal_search	*s;
	struct raw_token	*raw;
	size_t			 nraw;
	int			 unsupported;
};

/*
 * Splits ASCII text as unicode61 does: runs of letters and digits, lower
 * case.  Calls fn for each; -1 when text holds a byte past ASCII.
 */
static int
split(const char *text, int (*fn)(void *, const char *, size_t), void *ctx)
{
	char tok[256];
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)text; ; p++) {
		if (*p >= 0x80)
			return -1;
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z')) {
			if (n + 1 >= sizeof tok)
				return -1;
			tok[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 :
			    *p);
			continue;
		}
		if (n > 0 && fn(ctx, tok, n) == -1)
			return -1;
		n = 0;
		if (*p == '\0')
			return 0;
	}
}

struct col_ctx {
	struct build	*b;
	uint32_t	 row, col, pos;
};

static int
add_raw(void *ctx, const char *tok, size_t n)
{
	struct col_ctx *c = ctx;
	struct build *b = c->b;

	b->raw = xreallocarray(b->raw, b->nraw + 1, sizeof *b->raw);
	b->raw[b->nraw].text = xstrndup(tok, n);
	b->raw[b->nraw].row = c->row;
	b->raw[b->nraw].col = c->col;
	b->raw[b->nraw].pos = c->pos++;
	b->nraw++;
	return 0;
}

/* Takes one procedure from the store: its summary and its tokens. */
static int
add_entry(void *ctx, const struct portal_catalog_entry *e)
{
	struct build *b = ctx;
	struct portal_search *s = b->s;
	struct search_row *r;
	struct col_ctx c;
	char *codes, *text[NCOLS] = { NULL, NULL, NULL };
	int i, rc = 0;

	s->rows = xreallocarray(s->rows, s->nrows + 1, sizeof *s->rows);
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof *r);
	r->code = xstrdup(e->row.code);
	r->national_code = xstrdup(e->row.national_code);
	r->name = xstrdup(e->row.name);
	r->field = xstrdup(e->row.field);
	r->agency = xstrdup(e->row.agency);
	r->level = xstrdup(e->row.level);
	r->featured = e->row.featured;
	r->rank = e->rank;
	/* The columns as catalog_load.c indexes them. */
	codes = xasprintf("%s %s", e->row.national_code, e->row.code);
	if (utf8_fold(codes, &text[0]) != STATUS_OK ||
	    utf8_fold(e->field_name, &text[2]) != STATUS_OK)
		rc = -1;
	text[1] = xstrdup(e->name_folded);
	for (i = 0; i < NCOLS && rc == 0; i++) {
		c.b = b;
		c.row = (uint32_t)s->nrows;
		c.col = (uint32_t)i;
		c.pos = 0;
		if (split(text[i], add_raw, &c) == -1)
			b->unsupported = 1;
		r->ntok[i] = c.pos;
		r->size += c.pos;
	}
	s->nrows++;
	free(codes);
	for (i = 0; i < NCOLS; i++)
		free(text[i]);
	return rc;
}

static int
cmp_raw(const void *a, const void *b)
{
	return strcmp(((const struct raw_token *)a)->text,
	    ((const struct raw_token *)b)->text);
}

/* The words, the places by word and each row's token ids, from raw. */
static void
index_tokens(struct build *b)
{
	struct portal_search *s = b->s;
	struct raw_token *t;
	size_t i, w;
	int64_t total = 0;

	qsort(b->raw, b->nraw, sizeof *b->raw, cmp_raw);
	s->words = xreallocarray(NULL, b->nraw + 1, sizeof *s->words);
	s->first = xcalloc(b->nraw + 2, sizeof *s->first);
	s->places = xreallocarray(NULL, b->nraw + 1, sizeof *s->places);
	for (i = 0; i < s->nrows; i++) {
		for (w = 0; w < NCOLS; w++)
			s->rows[i].tok[w] = xreallocarray(NULL,
			    s->rows[i].ntok[w] + 1, sizeof (uint32_t));
		total += s->rows[i].size;
	}
	for (i = 0; i < b->nraw; i++) {
		t = &b->raw[i];
		if (s->nwords == 0 || strcmp(s->words[s->nwords - 1],
		    t->text) != 0) {
			s->first[s->nwords] = i;
			s->words[s->nwords++] = t->text;
		} else
			free(t->text);
		t->text = NULL;
		/* Sorted by text alone: the places of a word in any order. */
		s->places[i].row = t->row;
		s->places[i].col = t->col;
		s->places[i].pos = t->pos;
		s->rows[t->row].tok[t->col][t->pos] = (uint32_t)(s->nwords - 1);
	}
	s->first[s->nwords] = b->nraw;
	/* As FTS5's xColumnTotalSize(-1) / xRowCount. */
	s->avgdl = s->nrows > 0 ? (double)total / (double)(int64_t)s->nrows :
	    0;
}

enum status
portal_search_build(struct db *db, struct portal_search **out)
{
	struct build b;
	enum status st;
	size_t i;

	*out = NULL;
	memset(&b, 0, sizeof b);
	b.s = xcalloc(1, sizeof *b.s);
	st = portal_catalog_store_entries(db, add_entry, &b);
	if (st == STATUS_OK)
		index_tokens(&b);
	for (i = 0; i < b.nraw; i++)
		free(b.raw[i].text);
	free(b.raw);
	if (st != STATUS_OK || b.unsupported) {
		portal_search_free(&b.s);
		return st;
	}
	*out = b.s;
	return STATUS_OK;
}

void
portal_search_free(struct portal_search **sp)
{
	struct portal_search *s = *sp;
	size_t i;
	int c;

	if (s == NULL)
		return;
	for (i = 0; i < s->nrows; i++) {
		free(s->rows[i].code);
		free(s->rows[i].national_code);
		free(s->rows[i].name);
		free(s->rows[i].field);
		free(s->rows[i].agency);
		free(s->rows[i].level);
		for (c = 0; c < NCOLS; c++)
			free(s->rows[i].tok[c]);
	}
	for (i = 0; i < s->nwords; i++)
		free(s->words[i]);
	free(s->rows);
	free(s->words);
	free(s->first);
	free(s->places);
	free(s);
	*sp = NULL;
}

/* A phrase of the query: each token an id range [lo, hi). */
struct phrase {
	uint32_t	 lo[MAX_TOKENS], hi[MAX_TOKENS];
	size_t		 n;
	int		 prefix;	/* its last token is a prefix */
	int		 none;		/* a token no procedure has */
	uint32_t	*freq;		/* by row: its columns' weights */
	uint32_t	*rows;		/* the rows with the phrase */
	int64_t		 hits;		/* how many */
	double		 idf;
};

/* The first word >= key, or nwords. */
static size_t
lower_bound(const struct portal_search *s, const char *key)
{
	size_t lo = 0, hi = s->nwords, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(s->words[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The tokens of a phrase's text, each ended by a NUL, in toks. */
struct tokens {
	char	 text[512];
	size_t	 len, n;
};

static int
add_query_token(void *ctx, const char *tok, size_t n)
{
	struct tokens *t = ctx;

	if (t->n == MAX_TOKENS || t->len + n + 1 > sizeof t->text)
		return -1;
	memcpy(t->text + t->len, tok, n);
	t->text[t->len + n] = '\0';
	t->len += n + 1;
	t->n++;
	return 0;
}

/*
 * A phrase from its text: each token the id of its word, the last one,
 * for a prefix, the range of the words it begins.  -1 when the text is
 * not ASCII or holds no token (what FTS5 would do then is not ours).
 */
static int
phrase_resolve(const struct portal_search *s, const char *text, int prefix,
    struct phrase *ph)
{
	struct tokens t;
	const char *tok;
	size_t i, lo, hi, n;

	memset(&t, 0, sizeof t);
	if (split(text, add_query_token, &t) == -1 || t.n == 0)
		return -1;
	ph->n = t.n;
	ph->prefix = prefix;
	for (i = 0, tok = t.text; i < t.n; i++, tok += strlen(tok) + 1) {
		n = strlen(tok);
		lo = lower_bound(s, tok);
		hi = lo;
		if (prefix && i == t.n - 1)
			while (hi < s->nwords && strncmp(s->words[hi], tok,
			    n) == 0)
				hi++;
		else if (lo < s->nwords && strcmp(s->words[lo], tok) == 0)
			hi = lo + 1;
		if (hi == lo)
			ph->none = 1;
		ph->lo[i] = (uint32_t)lo;
		ph->hi[i] = (uint32_t)hi;
	}
	return 0;
}

/*
 * The phrases of an FTS5 query as portal_catalog_match_query writes it:
 * "word" "word" ... "word"*, a quote inside doubled.  -1 for anything
 * else, or a phrase the index cannot resolve.
 */
static int
parse_match(const struct portal_search *s, const char *m,
    struct phrase *ph, size_t *nph)
{
	char text[256];
	size_t n;

	*nph = 0;
	for (;;) {
		while (*m == ' ')
			m++;
		if (*m == '\0')
			break;
		if (*m++ != '"' || *nph == MAX_PHRASES)
			return -1;
		for (n = 0; *m != '\0'; m++) {
			if (*m == '"' && m[1] != '"')
				break;
			if (*m == '"')
				m++;
			if (n + 1 >= sizeof text)
				return -1;
			text[n++] = *m;
		}
		if (*m++ != '"')
			return -1;
		text[n] = '\0';
		memset(&ph[*nph], 0, sizeof ph[*nph]);
		if (phrase_resolve(s, text, *m == '*', &ph[*nph]) == -1)
			return -1;
		if (*m == '*' && *++m != '\0')
			return -1;	/* only the last word is a prefix */
		(*nph)++;
	}
	return *nph > 0 ? 0 : -1;
}

/* Whether token id w is what token i of ph asks for. */
static int
token_is(const struct phrase *ph, size_t i, uint32_t w)
{
	return w >= ph->lo[i] && w < ph->hi[i];
}

/*
 * Every place of the phrase in the catalog: from the places of its first
 * token, the others checked after it in the same column; each adds its
 * column's weight to the row's frequency (FTS5's xInst, as bm25 counts).
 */
static void
phrase_places(const struct portal_search *s, struct phrase *ph,
    uint32_t *freq, uint32_t *rows)
{
	const struct search_place *pl;
	const struct search_row *r;
	size_t w, k, i;

	ph->freq = freq;
	ph->rows = rows;
	if (ph->none)
		return;
	for (w = ph->lo[0]; w < ph->hi[0]; w++)
		for (k = s->first[w]; k < s->first[w + 1]; k++) {
			pl = &s->places[k];
			r = &s->rows[pl->row];
			if (pl->pos + ph->n > r->ntok[pl->col])
				continue;
			for (i = 1; i < ph->n; i++)
				if (!token_is(ph, i,
				    r->tok[pl->col][pl->pos + i]))
					break;
			if (i < ph->n)
				continue;
			if (ph->freq[pl->row] == 0)
				ph->rows[ph->hits++] = pl->row;
			ph->freq[pl->row] += col_weight[pl->col];
		}
	/* As fts5Bm25Function's IDF. */
	ph->idf = log(((int64_t)s->nrows - ph->hits + 0.5) /
	    (ph->hits + 0.5));
	if (ph->idf <= 0.0)
		ph->idf = 1e-6;
}

struct hit {
	double		 score;
	int		 rank;
	uint32_t	 row;
};

static int
cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Whether row r passes the query's filters (the statement's FILTERS). */
static int
row_passes(const struct search_row *r, const struct portal_catalog_query *q)
{
	return (q->field == NULL || strcmp(r->field, q->field) == 0) &&
	    (q->agency == NULL || strcmp(r->agency, q->agency) == 0) &&
	    (q->level == NULL || strcmp(r->level, q->level) == 0) &&
	    (!q->featured_only || r->featured);
}

/* bm25 of row r, as fts5Bm25Function computes it. */
static double
bm25(const struct portal_search *s, const struct phrase *ph, size_t nph,
    uint32_t r)
{
	double score = 0.0, D = (double)s->rows[r].size, f;
	/* As FTS5 sums the weights, a double each. */
	size_t i;

	for (i = 0; i < nph; i++) {
		f = (double)ph[i].freq[r];
		score += (ph[i].idf * ((f * (BM25_K1 + 1.0)) /
		    (f + BM25_K1 * (1 - BM25_B + BM25_B * D / s->avgdl))));
	}
	return -1.0 * score;
}

enum status
portal_search_query(const struct portal_search *s,
    const struct portal_catalog_query *q, portal_catalog_row_fn fn,
    void *ctx, int64_t *total)
{
	struct phrase ph[MAX_PHRASES];
	struct portal_catalog_row out;
	struct hit *hits = NULL;
	const struct search_row *r;
	size_t nph, nhits = 0, i, k, rarest = 0, n = s->nrows + 1;
	uint32_t row, *work;

	*total = 0;
	if (q->match == NULL || q->initial != NULL ||
	    parse_match(s, q->match, ph, &nph) == -1)
		return STATUS_ERR_INVALID;
	/* One block for every phrase's frequencies and rows. */
	work = xcalloc(2 * nph * n, sizeof *work);
	for (i = 0; i < nph; i++) {
		phrase_places(s, &ph[i], work + 2 * i * n,
		    work + (2 * i + 1) * n);
		if (ph[i].hits < ph[rarest].hits)
			rarest = i;
	}
	hits = xreallocarray(NULL, (size_t)ph[rarest].hits + 1, sizeof *hits);
	/* The rows of the rarest phrase that have every other. */
	for (i = 0; i < (size_t)ph[rarest].hits; i++) {
		row = ph[rarest].rows[i];
		for (k = 0; k < nph && ph[k].freq[row] > 0; k++)
			continue;
		if (k < nph || !row_passes(&s->rows[row], q))
			continue;
		hits[nhits].score = bm25(s, ph, nph, row);
		hits[nhits].rank = s->rows[row].rank;
		hits[nhits++].row = row;
	}
	qsort(hits, nhits, sizeof *hits, cmp_hit);
	*total = (int64_t)nhits;
	for (i = (size_t)q->offset; i < nhits && i < (size_t)q->offset +
	    (size_t)q->limit; i++) {
		r = &s->rows[hits[i].row];
		out.code = r->code;
		out.national_code = r->national_code;
		out.name = r->name;
		out.field = r->field;
		out.agency = r->agency;
		out.level = r->level;
		out.featured = r->featured;
		fn(ctx, &out);
	}
	free(work);
	free(hits);
	return STATUS_OK;
}
