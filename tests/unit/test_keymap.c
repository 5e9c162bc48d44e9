/*
 * Unit tests of the keymap (ui/keymap.c): every key dvc reads, in and out
 * of a text field, gives exactly the action of the table below and no
 * other; each key dvc(1) documents does what the page says (the page is
 * read and each sentence looked for); Esc and F1 are never the only way
 * to an action; the keys' names for help and the footer; the labels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "keymap.h"
#include "widget.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#define CTRL(c)		KEY_C_CTRL, c
#define CHAR(c)		KEY_C_CHAR, c
#define CODE(c)		c, 0

/* A key and its actions outside and inside a text field. */
struct bound {
	enum key_code	code;
	uint32_t	ch;
	enum action	out;
	enum action	in;
};

/* Every key with an action; any other key has none. */
static const struct bound table[] = {
	{ CHAR('q'), ACTION_QUIT, ACTION_NONE },
	{ CTRL('q'), ACTION_QUIT, ACTION_QUIT },
	{ CHAR('?'), ACTION_HELP, ACTION_NONE },
	{ CODE(KEY_C_F1), ACTION_HELP, ACTION_HELP },
	{ CTRL('g'), ACTION_HELP, ACTION_HELP },
	{ CODE(KEY_C_UP), ACTION_UP, ACTION_PREV },
	{ CHAR('k'), ACTION_UP, ACTION_NONE },
	{ CODE(KEY_C_DOWN), ACTION_DOWN, ACTION_NEXT },
	{ CHAR('j'), ACTION_DOWN, ACTION_NONE },
	{ CODE(KEY_C_TAB), ACTION_NEXT, ACTION_NEXT },
	{ CODE(KEY_C_BTAB), ACTION_PREV, ACTION_PREV },
	{ CODE(KEY_C_ENTER), ACTION_SELECT, ACTION_SELECT },
	{ CHAR('b'), ACTION_BACK, ACTION_NONE },
	{ CODE(KEY_C_LEFT), ACTION_BACK, ACTION_NONE },
	{ CTRL('b'), ACTION_BACK, ACTION_BACK },
	{ CHAR('h'), ACTION_HOME, ACTION_NONE },
	{ CHAR('l'), ACTION_LOGIN, ACTION_NONE },
	{ CHAR('a'), ACTION_ACCOUNT, ACTION_NONE },
	{ CHAR('r'), ACTION_RETRY, ACTION_NONE },
	{ CHAR('n'), ACTION_NEW_CODE, ACTION_NONE },
	{ CHAR('i'), ACTION_INVERT, ACTION_NONE },
	{ CTRL('t'), ACTION_TELEX, ACTION_TELEX },
	{ CHAR('/'), ACTION_SEARCH, ACTION_NONE },
	{ CODE(KEY_C_PGDN), ACTION_PAGE_NEXT, ACTION_PAGE_NEXT },
	{ CHAR(']'), ACTION_PAGE_NEXT, ACTION_NONE },
	{ CTRL('n'), ACTION_PAGE_NEXT, ACTION_PAGE_NEXT },
	{ CODE(KEY_C_PGUP), ACTION_PAGE_PREV, ACTION_PAGE_PREV },
	{ CHAR('['), ACTION_PAGE_PREV, ACTION_NONE },
	{ CTRL('p'), ACTION_PAGE_PREV, ACTION_PAGE_PREV },
	{ CHAR('+'), ACTION_ADD, ACTION_NONE },
	{ CHAR('e'), ACTION_EDIT, ACTION_NONE },
	{ CHAR('d'), ACTION_DELETE, ACTION_NONE },
	{ CHAR('y'), ACTION_YES, ACTION_NONE },
	{ CHAR('c'), ACTION_CANCEL, ACTION_NONE },
	{ CHAR('g'), ACTION_RESEND, ACTION_NONE },
	{ CHAR('s'), ACTION_APPLY, ACTION_NONE },
	{ CHAR('u'), ACTION_SUPPLEMENT, ACTION_NONE },
	{ CHAR('w'), ACTION_WITHDRAW, ACTION_NONE },
	{ CTRL('l'), ACTION_REDRAW, ACTION_REDRAW },
};

/* Every key dvc's terminal layer can produce (ui/app.c read_key). */
static size_t
all_keys(struct key *out)
{
	size_t n = 0;
	uint32_t c;
	int code;

	for (code = KEY_C_NONE; code <= KEY_C_RESIZE; code++)
		if (code != KEY_C_CHAR && code != KEY_C_CTRL)
			out[n++] = (struct key){ (enum key_code)code, 0 };
	for (c = 0x20; c < 0x7f; c++)
		out[n++] = (struct key){ KEY_C_CHAR, c };
	/* Letters typed in Vietnamese: never an action. */
	out[n++] = (struct key){ KEY_C_CHAR, 0x1ec7 };	/* ệ */
	out[n++] = (struct key){ KEY_C_CHAR, 0x0111 };	/* đ */
	out[n++] = (struct key){ KEY_C_CHAR, 0x00a0 };
	for (c = 'a'; c <= 'z'; c++)
		out[n++] = (struct key){ KEY_C_CTRL, c };
	return n;
}

static const struct bound *
find(const struct key *k)
{
	size_t i;

	for (i = 0; i < nitems(table); i++)
		if (table[i].code == k->code && table[i].ch == k->ch)
			return &table[i];
	return NULL;
}

static const char *
key_name(const struct key *k)
{
	static char s[32];

	if (k->code == KEY_C_CHAR)
		snprintf(s, sizeof s, "'%c' (U+%04X)", k->ch < 0x7f ?
		    (int)k->ch : '?', k->ch);
	else if (k->code == KEY_C_CTRL)
		snprintf(s, sizeof s, "Ctrl-%c", (int)k->ch - 'a' + 'A');
	else
		snprintf(s, sizeof s, "key code %d", k->code);
	return s;
}

static void
test_every_key(void **state)
{
	struct key keys[256];
	size_t i, n = all_keys(keys), found = 0;
	enum action got;

	(void)state;
	assert_true(n < nitems(keys));
	for (i = 0; i < n; i++) {
		const struct bound *b = find(&keys[i]);
		enum action out = b != NULL ? b->out : ACTION_NONE;
		enum action in = b != NULL ? b->in : ACTION_NONE;

		found += b != NULL;
		if ((got = keymap_action(&keys[i], 0)) != out)
			fail_msg("%s outside a field: action %d, want %d",
			    key_name(&keys[i]), got, out);
		if ((got = keymap_action(&keys[i], 1)) != in)
			fail_msg("%s in a field: action %d, want %d",
			    key_name(&keys[i]), got, in);
	}
	/* Every key of the table was among those tried. */
	assert_int_equal(found, nitems(table));
}

/*
 * No action needs Esc or a function key alone: in each place, an action
 * reached by one of them is also reached by a letter or a Ctrl key.
 */
static void
test_no_esc_or_fkey_alone(void **state)
{
	struct key keys[256];
	size_t i, j, n = all_keys(keys);
	int in_field;

	(void)state;
	for (in_field = 0; in_field <= 1; in_field++) {
		struct key esc = { KEY_C_ESC, 0 };

		assert_int_equal(keymap_action(&esc, in_field), ACTION_NONE);
		for (i = 0; i < n; i++) {
			enum action a;
			int other = 0;

			if (keys[i].code != KEY_C_F1)
				continue;
			a = keymap_action(&keys[i], in_field);
			assert_int_not_equal(a, ACTION_NONE);
			for (j = 0; j < n; j++)
				if ((keys[j].code == KEY_C_CHAR ||
				    keys[j].code == KEY_C_CTRL) &&
				    keymap_action(&keys[j], in_field) == a)
					other = 1;
			if (!other)
				fail_msg("action %d needs F1 alone %s", a,
				    in_field ? "in a field" : "outside fields");
		}
	}
}

/* Whether a request alternates two fonts (.BR, .RB, .IR ...). */
static int
alternates(const char *req)
{
	return strlen(req) == 3 && strchr("BRI", req[1]) != NULL &&
	    strchr("BRI", req[2]) != NULL;
}

/* The words of a request's line, quotes taken off; joined or spaced. */
static void
man_args(struct buf *b, const char *p, int join)
{
	int quoted = 0, first = 1;

	for (; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ' ' && !quoted) {
			if (!join && !first)
				buf_add(b, " ", 1);
			while (p[1] == ' ')
				p++;
		} else {
			buf_add(b, p, 1);
			first = 0;
		}
	}
}

/*
 * dvc.1 as the reader sees it, on one line: the font requests' words
 * joined or spaced as they are shown, \- and \e as - and \, other
 * escapes as '?', one space between words.  Caller frees.
 */
static char *
man_text(void)
{
	const char *dir = getenv("DVC_SOURCE_DIR");
	char path[4096], line[1024], req[8], *raw, *out, *q;
	const char *p;
	struct buf b;
	FILE *fp;

	snprintf(path, sizeof path, "%s/docs/man/dvc.1", dir != NULL ? dir :
	    ".");
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b, 1 << 20);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '.')
			buf_add(&b, line, strlen(line));
		else if ((p = strchr(line, ' ')) != NULL &&
		    (size_t)(p - line) < sizeof req) {
			memcpy(req, line, (size_t)(p - line));
			req[p - line] = '\0';
			man_args(&b, p + 1, alternates(req));
		}
		buf_add(&b, " ", 1);
	}
	fclose(fp);
	raw = buf_detach(&b, NULL);
	/* Escapes, and runs of spaces as one. */
	out = q = xmalloc(strlen(raw) + 1);
	for (p = raw; *p != '\0'; p++) {
		if (p[0] == '\\' && (p[1] == '-' || p[1] == 'e'))
			*q++ = *++p == '-' ? '-' : '\\';
		else if (p[0] == '\\' && p[1] == '(' && p[2] != '\0' &&
		    p[3] != '\0') {
			*q++ = '?';
			p += 3;
		} else if (*p != ' ' || (q > out && q[-1] != ' '))
			*q++ = *p;
	}
	*q = '\0';
	free(raw);
	return out;
}

/* A sentence of dvc(1) and the keys it names. */
struct documented {
	const char	*says;
	int		 in_field;
	struct key	 keys[4];
	enum action	 action;
};

#define K(x)		{ x }
static const struct documented documented[] = {
	/* "Keys" */
	{ "Outside text fields letters act: q quits,", 0,
	    { K(CHAR('q')) }, ACTION_QUIT },
	{ "? (or F1) lists the keys of the current screen,", 0,
	    { K(CHAR('?')), K(CODE(KEY_C_F1)) }, ACTION_HELP },
	{ "j/k or the arrows move,", 0,
	    { K(CHAR('j')), K(CODE(KEY_C_DOWN)) }, ACTION_DOWN },
	{ "j/k or the arrows move,", 0,
	    { K(CHAR('k')), K(CODE(KEY_C_UP)) }, ACTION_UP },
	{ "Enter chooses,", 0, { K(CODE(KEY_C_ENTER)) }, ACTION_SELECT },
	{ "b (or Left) goes back,", 0,
	    { K(CHAR('b')), K(CODE(KEY_C_LEFT)) }, ACTION_BACK },
	{ "h goes home,", 0, { K(CHAR('h')) }, ACTION_HOME },
	{ "l logs in,", 0, { K(CHAR('l')) }, ACTION_LOGIN },
	{ "a opens the account menu,", 0, { K(CHAR('a')) },
	    ACTION_ACCOUNT },
	{ "r tries again after an error (and, as Làm mới, asks again for "
	    "the list or the dossier shown),", 0, { K(CHAR('r')) },
	    ACTION_RETRY },
	{ "/ opens the advanced search,", 0, { K(CHAR('/')) },
	    ACTION_SEARCH },
	{ "PgDn/PgUp (or ]/[) change pages,", 0,
	    { K(CODE(KEY_C_PGDN)), K(CHAR(']')) }, ACTION_PAGE_NEXT },
	{ "PgDn/PgUp (or ]/[) change pages,", 0,
	    { K(CODE(KEY_C_PGUP)), K(CHAR('[')) }, ACTION_PAGE_PREV },
	{ "+, e, d add, edit and delete signatures,", 0,
	    { K(CHAR('+')) }, ACTION_ADD },
	{ "+, e, d add, edit and delete signatures,", 0,
	    { K(CHAR('e')) }, ACTION_EDIT },
	{ "+, e, d add, edit and delete signatures,", 0,
	    { K(CHAR('d')) }, ACTION_DELETE },
	{ "s applies for the procedure shown,", 0, { K(CHAR('s')) },
	    ACTION_APPLY },
	{ "u and w supplement and withdraw a dossier,", 0,
	    { K(CHAR('u')) }, ACTION_SUPPLEMENT },
	{ "u and w supplement and withdraw a dossier,", 0,
	    { K(CHAR('w')) }, ACTION_WITHDRAW },
	{ "c cancels a signing,", 0, { K(CHAR('c')) }, ACTION_CANCEL },
	{ "g sends a signing request again,", 0, { K(CHAR('g')) },
	    ACTION_RESEND },
	/* The keys of every screen, and what they do there. */
	{ "/, l and a work from every screen", 0, { K(CHAR('/')) },
	    ACTION_SEARCH },
	{ "l and a open the login, or once logged in the account menu.", 0,
	    { K(CHAR('l')) }, ACTION_LOGIN },
	{ "l and a open the login, or once logged in the account menu.", 0,
	    { K(CHAR('a')) }, ACTION_ACCOUNT },
	{ "The typing chosen with Ctrl-T", 1, { K(CTRL('t')) },
	    ACTION_TELEX },
	{ "and y confirms;", 0, { K(CHAR('y')) }, ACTION_YES },
	{ "Ctrl-L redraws.", 0, { K(CTRL('l')) }, ACTION_REDRAW },
	{ "Tab, Shift-Tab, Enter, the arrows and Ctrl keys move and act", 1,
	    { K(CODE(KEY_C_TAB)), K(CODE(KEY_C_DOWN)) }, ACTION_NEXT },
	{ "Tab, Shift-Tab, Enter, the arrows and Ctrl keys move and act", 1,
	    { K(CODE(KEY_C_BTAB)), K(CODE(KEY_C_UP)) }, ACTION_PREV },
	{ "Tab, Shift-Tab, Enter, the arrows and Ctrl keys move and act", 1,
	    { K(CODE(KEY_C_ENTER)) }, ACTION_SELECT },
	{ "(Ctrl-Q quits,", 1, { K(CTRL('q')) }, ACTION_QUIT },
	{ "Ctrl-G or F1 lists the keys,", 1,
	    { K(CTRL('g')), K(CODE(KEY_C_F1)) }, ACTION_HELP },
	{ "Ctrl-T switches Telex, VNI and plain typing,", 1,
	    { K(CTRL('t')) }, ACTION_TELEX },
	{ "Ctrl-N and Ctrl-P turn the wizard's pages,", 1,
	    { K(CTRL('n')) }, ACTION_PAGE_NEXT },
	{ "Ctrl-N and Ctrl-P turn the wizard's pages,", 1,
	    { K(CTRL('p')) }, ACTION_PAGE_PREV },
	{ "Ctrl-B goes back, Ctrl-L redraws).", 1, { K(CTRL('b')) },
	    ACTION_BACK },
	{ "Ctrl-B goes back, Ctrl-L redraws).", 1, { K(CTRL('l')) },
	    ACTION_REDRAW },
	/* "Login" */
	{ "i inverts the QR code on terminals without colour;", 0,
	    { K(CHAR('i')) }, ACTION_INVERT },
	{ "n asks for a new code.", 0, { K(CHAR('n')) }, ACTION_NEW_CODE },
	/* "The catalog", "Tìm kiếm nâng cao" */
	{ "15 a page (PgDn or ] for the next page, PgUp or [ for the "
	    "previous one)", 0, { K(CODE(KEY_C_PGDN)), K(CHAR(']')) },
	    ACTION_PAGE_NEXT },
	{ "15 a page (PgDn or ] for the next page, PgUp or [ for the "
	    "previous one)", 0, { K(CODE(KEY_C_PGUP)), K(CHAR('[')) },
	    ACTION_PAGE_PREV },
	{ "(or / from any screen, outside a text field)", 0,
	    { K(CHAR('/')) }, ACTION_SEARCH },
	{ "the keyword field has Telex and VNI typing (Ctrl-T;", 1,
	    { K(CTRL('t')) }, ACTION_TELEX },
	{ "Tab and Shift-Tab (or the arrows) move between the keyword, the "
	    "filters and the results;", 1,
	    { K(CODE(KEY_C_TAB)), K(CODE(KEY_C_DOWN)) }, ACTION_NEXT },
	{ "Tab and Shift-Tab (or the arrows) move between the keyword, the "
	    "filters and the results;", 1,
	    { K(CODE(KEY_C_BTAB)), K(CODE(KEY_C_UP)) }, ACTION_PREV },
	/* "Signatures" */
	{ "+ (or Enter on + Thêm chữ ký) adds one", 0, { K(CHAR('+')) },
	    ACTION_ADD },
	{ "e edits the selected signature (", 0, { K(CHAR('e')) },
	    ACTION_EDIT },
	{ "d deletes it after asking (y confirms,", 0, { K(CHAR('d')) },
	    ACTION_DELETE },
	{ "d deletes it after asking (y confirms,", 0, { K(CHAR('y')) },
	    ACTION_YES },
	/* "Applying for a service", "Following a dossier" */
	{ "s on a procedure's detail (Nộp hồ sơ trực tuyến;", 0,
	    { K(CHAR('s')) }, ACTION_APPLY },
	{ "Ctrl-N and Ctrl-P (or PgDn and PgUp, or ] and [) turn the page;",
	    1, { K(CTRL('n')), K(CODE(KEY_C_PGDN)) }, ACTION_PAGE_NEXT },
	{ "Ctrl-N and Ctrl-P (or PgDn and PgUp, or ] and [) turn the page;",
	    1, { K(CTRL('p')), K(CODE(KEY_C_PGUP)) }, ACTION_PAGE_PREV },
	{ "Ctrl-N and Ctrl-P (or PgDn and PgUp, or ] and [) turn the page;",
	    0, { K(CHAR(']')) }, ACTION_PAGE_NEXT },
	{ "Ctrl-N and Ctrl-P (or PgDn and PgUp, or ] and [) turn the page;",
	    0, { K(CHAR('[')) }, ACTION_PAGE_PREV },
	{ "PgDn and PgUp read on and back,", 0,
	    { K(CODE(KEY_C_PGDN)) }, ACTION_PAGE_NEXT },
	{ "PgDn and PgUp read on and back,", 0,
	    { K(CODE(KEY_C_PGUP)) }, ACTION_PAGE_PREV },
	{ "and Tab completes it as far as those names agree", 1,
	    { K(CODE(KEY_C_TAB)) }, ACTION_NEXT },
	{ "Ctrl-B goes back a page,", 1, { K(CTRL('b')) }, ACTION_BACK },
	{ "d removes an attached file after asking.", 0, { K(CHAR('d')) },
	    ACTION_DELETE },
	{ "c cancels after asking.", 0, { K(CHAR('c')) }, ACTION_CANCEL },
	{ "Ctrl-B goes back from inside the path.", 1, { K(CTRL('b')) },
	    ACTION_BACK },
	{ "and with r (Làm mới), the statuses as they are then,", 0,
	    { K(CHAR('r')) }, ACTION_RETRY },
	{ "u opens its files in the wizard,", 0, { K(CHAR('u')) },
	    ACTION_SUPPLEMENT },
	{ "w withdraws a dossier that is not finished,", 0,
	    { K(CHAR('w')) }, ACTION_WITHDRAW },
};

static void
test_documented(void **state)
{
	char *man = man_text();
	size_t i, j;

	(void)state;
	for (i = 0; i < nitems(documented); i++) {
		const struct documented *d = &documented[i];

		if (strstr(man, d->says) == NULL)
			fail_msg("dvc.1 no longer says \"%s\"", d->says);
		for (j = 0; j < nitems(d->keys) && d->keys[j].code !=
		    KEY_C_NONE; j++)
			if (keymap_action(&d->keys[j], d->in_field) !=
			    d->action)
				fail_msg("\"%s\": %s %s gives action %d, "
				    "not %d", d->says, key_name(&d->keys[j]),
				    d->in_field ? "in a field" : "outside",
				    keymap_action(&d->keys[j], d->in_field),
				    d->action);
	}
	free(man);
}

/*
 * "Inside text fields letters are text", and the field's own keys as
 * dvc(1) names them: no action, so the field gets them.
 */
static void
test_field_keys(void **state)
{
	static const char *says[] = {
		"Inside text fields letters are text;",
		"In a text field Left and Right move the cursor a character, "
		    "Home and End (or Ctrl-A and Ctrl-E) go to either end, "
		    "Backspace and Delete erase a character, Ctrl-W the word "
		    "before the cursor and Ctrl-U the whole field.",
		"No action needs Esc or a function key alone;",
	};
	static const struct key edit[] = {
		K(CODE(KEY_C_LEFT)), K(CODE(KEY_C_RIGHT)),
		K(CODE(KEY_C_HOME)), K(CODE(KEY_C_END)),
		K(CTRL('a')), K(CTRL('e')), K(CODE(KEY_C_BACKSPACE)),
		K(CODE(KEY_C_DELETE)), K(CTRL('w')), K(CTRL('u')),
	};
	/* What each of edit[] does to "Hà Nội" with the cursor after "Hà". */
	static const struct {
		const char	*text;
		size_t		 cursor;
	} after[] = {
		{ "Hà Nội", 1 }, { "Hà Nội", 4 }, { "Hà Nội", 0 },
		{ "Hà Nội", 9 }, { "Hà Nội", 0 }, { "Hà Nội", 9 },
		{ "H Nội", 1 }, { "HàNội", 3 }, { " Nội", 0 }, { "", 0 },
	};
	struct field f;
	char *man = man_text();
	struct key k;
	uint32_t c;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(says); i++)
		if (strstr(man, says[i]) == NULL)
			fail_msg("dvc.1 no longer says \"%s\"", says[i]);
	free(man);
	for (c = 0x21; c < 0x7f; c++) {
		k = (struct key){ KEY_C_CHAR, c };
		if (keymap_action(&k, 1) != ACTION_NONE)
			fail_msg("'%c' acts in a field", (int)c);
	}
	field_init(&f, 64);
	for (i = 0; i < nitems(edit); i++) {
		assert_int_equal(keymap_action(&edit[i], 1), ACTION_NONE);
		assert_int_equal(field_set(&f, "Hà Nội"), STATUS_OK);
		f.cursor = 3;
		assert_int_not_equal(field_handle_key(&f, &edit[i]), 0);
		assert_string_equal(field_text(&f), after[i].text);
		assert_int_equal(f.cursor, after[i].cursor);
	}
	/* Ctrl-T both acts and reaches the field, which changes method. */
	k = (struct key){ CTRL('t') };
	assert_int_equal(keymap_action(&k, 1), ACTION_TELEX);
	assert_int_equal(field_handle_key(&f, &k), WIDGET_CH_MODE);
	assert_int_equal(f.method, TELEX_TELEX);
	field_free(&f);
}

static void
assert_keys(enum action a, int in_field, int ascii, const char *want)
{
	char out[64];

	memset(out, 'x', sizeof out);
	keymap_keys(a, in_field, ascii, out, sizeof out);
	assert_string_equal(out, want);
}

static void
test_key_names(void **state)
{
	char out[16];

	(void)state;
	assert_keys(ACTION_HELP, 0, 0, "?, F1, Ctrl-G");
	assert_keys(ACTION_HELP, 1, 0, "F1, Ctrl-G");
	assert_keys(ACTION_QUIT, 0, 0, "q, Ctrl-Q");
	assert_keys(ACTION_QUIT, 1, 0, "Ctrl-Q");
	assert_keys(ACTION_UP, 0, 0, "↑, k");
	assert_keys(ACTION_UP, 0, 1, "Up, k");
	assert_keys(ACTION_UP, 1, 0, "");
	assert_keys(ACTION_NEXT, 1, 0, "Tab, ↓");
	assert_keys(ACTION_NEXT, 1, 1, "Tab, Down");
	assert_keys(ACTION_PREV, 0, 0, "Shift-Tab, ↑");
	assert_keys(ACTION_BACK, 0, 0, "b, ←, Ctrl-B");
	assert_keys(ACTION_BACK, 0, 1, "b, Left, Ctrl-B");
	assert_keys(ACTION_BACK, 1, 0, "Ctrl-B");
	assert_keys(ACTION_PAGE_NEXT, 0, 0, "PgDn, ], Ctrl-N");
	assert_keys(ACTION_PAGE_PREV, 1, 0, "PgUp, Ctrl-P");
	assert_keys(ACTION_NONE, 0, 0, "");
	/* Only whole names: never half of one, nor half of ↓. */
	keymap_keys(ACTION_NEXT, 1, 0, out, 9);
	assert_string_equal(out, "Tab, ↓");
	keymap_keys(ACTION_NEXT, 1, 0, out, 8);
	assert_string_equal(out, "Tab");
	keymap_keys(ACTION_NEXT, 1, 0, out, 7);
	assert_string_equal(out, "Tab");
	keymap_keys(ACTION_NEXT, 1, 0, out, 4);
	assert_string_equal(out, "Tab");
	keymap_keys(ACTION_NEXT, 1, 0, out, 3);
	assert_string_equal(out, "");
	out[0] = 'x';
	keymap_keys(ACTION_NEXT, 1, 0, out, 0);
	assert_int_equal(out[0], 'x');
}

static void
test_labels(void **state)
{
	char keys[64];
	int a;

	(void)state;
	assert_string_equal(keymap_action_label(ACTION_QUIT, LANG_VI),
	    "Thoát");
	assert_string_equal(keymap_action_label(ACTION_QUIT, LANG_EN), "Quit");
	assert_string_equal(keymap_action_label(ACTION_TELEX, LANG_VI),
	    "Bật/tắt gõ Telex/VNI");
	assert_string_equal(keymap_action_label(ACTION_REDRAW, LANG_EN),
	    "Redraw the screen");
	assert_string_equal(keymap_action_label(ACTION_NONE, LANG_VI), "");
	assert_string_equal(keymap_action_label(ACTION__MAX, LANG_VI), "");
	/* Each action has both labels and a key outside fields. */
	for (a = ACTION_NONE + 1; a < ACTION__MAX; a++) {
		assert_true(keymap_action_label((enum action)a,
		    LANG_VI)[0] != '\0');
		assert_true(keymap_action_label((enum action)a,
		    LANG_EN)[0] != '\0');
		keymap_keys((enum action)a, 0, 1, keys, sizeof keys);
		if (keys[0] == '\0')
			fail_msg("action %d has no key", a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_no_esc_or_fkey_alone),
		cmocka_unit_test(test_documented),
		cmocka_unit_test(test_field_keys),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_labels),
	};
	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
