/*
 * Unit tests of the text field (ui/widget.c): typing ASCII and
 * Vietnamese, combining marks joined as NFC, Telex and VNI through the
 * field, the cursor by character, Backspace and Delete across multi-byte
 * characters, Ctrl-U and Ctrl-W, the cap on length, what each key says
 * changed, the visible slice of a long value in a narrow width, and text
 * set by the program.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "widget.h"

#define TEXT_CURSOR	(WIDGET_CH_TEXT | WIDGET_CH_CURSOR)
#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static unsigned
press(struct field *f, enum key_code code)
{
	struct key k = { code, 0 };

	return field_handle_key(f, &k);
}

static unsigned
ctrl(struct field *f, char c)
{
	struct key k = { KEY_C_CTRL, (uint32_t)c };

	return field_handle_key(f, &k);
}

static unsigned
typecp(struct field *f, uint32_t cp)
{
	struct key k = { KEY_C_CHAR, cp };

	return field_handle_key(f, &k);
}

/* The code point at *s (valid UTF-8), *s moved past it. */
static uint32_t
decode(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp;
	int n;

	if (p[0] < 0x80) {
		cp = p[0];
		n = 1;
	} else if (p[0] < 0xe0) {
		cp = p[0] & 0x1f;
		n = 2;
	} else if (p[0] < 0xf0) {
		cp = p[0] & 0x0f;
		n = 3;
	} else {
		cp = p[0] & 0x07;
		n = 4;
	}
	for (int i = 1; i < n; i++)
		cp = cp << 6 | (p[i] & 0x3f);
	*s += n;
	return cp;
}

/* Types each character of keys; each must change the text and cursor. */
static void
type(struct field *f, const char *keys)
{
	while (*keys != '\0') {
		const char *at = keys;
		uint32_t cp = decode(&keys);

		if (typecp(f, cp) != TEXT_CURSOR)
			fail_msg("typing U+%04X (\"%.*s\") changed nothing", cp,
			    (int)(keys - at), at);
	}
}

static void
assert_field(const struct field *f, const char *text, size_t cursor)
{
	assert_string_equal(field_text(f), text);
	assert_int_equal(f->len, strlen(text));
	assert_int_equal(f->cursor, cursor);
}

static void
test_ascii(void **state)
{
	struct field f;

	(void)state;
	field_init(&f, 64);
	assert_field(&f, "", 0);
	assert_int_equal(f.method, TELEX_OFF);
	type(&f, "Ha Noi 2026");
	assert_field(&f, "Ha Noi 2026", 11);
	/* Typing in the middle: the cursor stays after what was typed. */
	assert_int_equal(press(&f, KEY_C_HOME), WIDGET_CH_CURSOR);
	assert_int_equal(press(&f, KEY_C_RIGHT), WIDGET_CH_CURSOR);
	assert_int_equal(press(&f, KEY_C_RIGHT), WIDGET_CH_CURSOR);
	type(&f, "_");
	assert_field(&f, "Ha_ Noi 2026", 3);
	field_free(&f);
	assert_null(f.text);
}

static void
test_vietnamese(void **state)
{
	struct field f;

	(void)state;
	field_init(&f, 64);
	/* Precomposed: ễ and ứ take 3 bytes, ă and Đ 2; the cursor is a byte
	 * offset after the last one typed. */
	type(&f, "Nguyễn Văn Đức");
	assert_field(&f, "Nguyễn Văn Đức", 20);
	/* e, combining circumflex, combining tilde: one ễ (U+1EC5). */
	assert_int_equal(ctrl(&f, 'u'), TEXT_CURSOR);
	type(&f, "Nguye\xcc\x82\xcc\x83n");
	assert_field(&f, "Nguy\xe1\xbb\x85n", 8);
	/* A mark typed in the middle joins the letter before the cursor. */
	assert_int_equal(field_set(&f, "ab"), STATUS_OK);
	assert_int_equal(press(&f, KEY_C_LEFT), WIDGET_CH_CURSOR);
	type(&f, "\xcc\x81");
	assert_field(&f, "\xc3\xa1" "b", 2);
	field_free(&f);
}

static void
test_telex_vni(void **state)
{
	struct field f;

	(void)state;
	field_init(&f, 64);
	/* Ctrl-T: off, Telex, VNI, off again; only the indicator changes. */
	assert_int_equal(ctrl(&f, 't'), WIDGET_CH_MODE);
	assert_int_equal(f.method, TELEX_TELEX);
	type(&f, "Nguyeenx Vawn DDuwcs");
	assert_field(&f, "Nguyễn Văn Đức", 20);
	/* The same change twice undoes it and keeps the letter. */
	assert_int_equal(ctrl(&f, 'u'), TEXT_CURSOR);
	type(&f, "ass");
	assert_field(&f, "as", 2);
	assert_int_equal(ctrl(&f, 't'), WIDGET_CH_MODE);
	assert_int_equal(f.method, TELEX_VNI);
	assert_int_equal(ctrl(&f, 'u'), TEXT_CURSOR);
	type(&f, "Vie65t Nam");
	assert_field(&f, "Việt Nam", 10);
	assert_int_equal(ctrl(&f, 't'), WIDGET_CH_MODE);
	assert_int_equal(f.method, TELEX_OFF);
	assert_int_equal(ctrl(&f, 'u'), TEXT_CURSOR);
	type(&f, "Vieetj");
	assert_field(&f, "Vieetj", 6);
	/* Telex in the middle works on the word before the cursor. */
	f.method = TELEX_TELEX;
	assert_int_equal(field_set(&f, "Viet Nam"), STATUS_OK);
	assert_int_equal(press(&f, KEY_C_HOME), WIDGET_CH_CURSOR);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	type(&f, "e");
	assert_field(&f, "Viêt Nam", 4);
	type(&f, "j");
	assert_field(&f, "Việt Nam", 5);
	field_free(&f);
}

static void
test_cursor(void **state)
{
	/* "Việt Nam": V i ệ(3) t ␠ N a m, the offset after each character. */
	static const size_t stops[] = { 0, 1, 2, 5, 6, 7, 8, 9, 10 };
	struct field f;
	size_t i;

	(void)state;
	field_init(&f, 64);
	assert_int_equal(field_set(&f, "Việt Nam"), STATUS_OK);
	assert_int_equal(f.cursor, 10);
	assert_int_equal(press(&f, KEY_C_HOME), WIDGET_CH_CURSOR);
	assert_int_equal(f.cursor, 0);
	/* Left at the start stays, and still says the cursor is drawn. */
	assert_int_equal(press(&f, KEY_C_LEFT), WIDGET_CH_CURSOR);
	assert_int_equal(f.cursor, 0);
	for (i = 1; i < nitems(stops); i++) {
		assert_int_equal(press(&f, KEY_C_RIGHT), WIDGET_CH_CURSOR);
		assert_int_equal(f.cursor, stops[i]);
	}
	assert_int_equal(press(&f, KEY_C_RIGHT), WIDGET_CH_CURSOR);
	assert_int_equal(f.cursor, 10);
	for (i = nitems(stops) - 1; i > 0; i--) {
		assert_int_equal(press(&f, KEY_C_LEFT), WIDGET_CH_CURSOR);
		assert_int_equal(f.cursor, stops[i - 1]);
	}
	assert_int_equal(press(&f, KEY_C_END), WIDGET_CH_CURSOR);
	assert_int_equal(f.cursor, 10);
	assert_int_equal(ctrl(&f, 'a'), WIDGET_CH_CURSOR);
	assert_int_equal(f.cursor, 0);
	assert_int_equal(ctrl(&f, 'e'), WIDGET_CH_CURSOR);
	assert_int_equal(f.cursor, 10);
	assert_string_equal(field_text(&f), "Việt Nam");
	field_free(&f);
}

static void
test_erase(void **state)
{
	struct field f;

	(void)state;
	field_init(&f, 64);
	/* Backspace after ệ takes its three bytes. */
	assert_int_equal(field_set(&f, "Việt Nam"), STATUS_OK);
	press(&f, KEY_C_HOME);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	assert_int_equal(f.cursor, 5);
	assert_int_equal(press(&f, KEY_C_BACKSPACE), TEXT_CURSOR);
	assert_field(&f, "Vit Nam", 2);
	/* Delete before Đ takes its two; the cursor stays. */
	assert_int_equal(field_set(&f, "Đức"), STATUS_OK);
	press(&f, KEY_C_HOME);
	assert_int_equal(press(&f, KEY_C_DELETE), TEXT_CURSOR);
	assert_field(&f, "ức", 0);
	assert_int_equal(press(&f, KEY_C_DELETE), TEXT_CURSOR);
	assert_field(&f, "c", 0);
	/* Nothing before or after: only the cursor is reported. */
	assert_int_equal(press(&f, KEY_C_BACKSPACE), WIDGET_CH_CURSOR);
	assert_field(&f, "c", 0);
	press(&f, KEY_C_END);
	assert_int_equal(press(&f, KEY_C_DELETE), WIDGET_CH_CURSOR);
	assert_field(&f, "c", 1);
	assert_int_equal(press(&f, KEY_C_BACKSPACE), TEXT_CURSOR);
	assert_field(&f, "", 0);
	/* Ctrl-W: the word before the cursor and the spaces after it. */
	assert_int_equal(field_set(&f, "Nguyễn Văn Đức"), STATUS_OK);
	assert_int_equal(ctrl(&f, 'w'), TEXT_CURSOR);
	assert_field(&f, "Nguyễn Văn ", 14);
	assert_int_equal(ctrl(&f, 'w'), TEXT_CURSOR);
	assert_field(&f, "Nguyễn ", 9);
	assert_int_equal(ctrl(&f, 'w'), TEXT_CURSOR);
	assert_field(&f, "", 0);
	/* In a word: only its part before the cursor. */
	assert_int_equal(field_set(&f, "Nguyễn Văn Đức"), STATUS_OK);
	f.cursor = 12;			/* after "Vă" */
	assert_int_equal(ctrl(&f, 'w'), TEXT_CURSOR);
	assert_field(&f, "Nguyễn n Đức", 9);
	/* Ctrl-U empties the field from anywhere. */
	press(&f, KEY_C_HOME);
	assert_int_equal(ctrl(&f, 'u'), TEXT_CURSOR);
	assert_field(&f, "", 0);
	assert_int_equal(f.scroll, 0);
	field_free(&f);
}

static void
test_cap(void **state)
{
	struct field f;

	(void)state;
	field_init(&f, 6);
	type(&f, "abcdef");
	assert_field(&f, "abcdef", 6);
	/* Full: nothing is typed, the cursor is drawn again. */
	assert_int_equal(typecp(&f, 'g'), WIDGET_CH_CURSOR);
	assert_field(&f, "abcdef", 6);
	/* The cap counts bytes: ệ (3 bytes) fits after 3, not after 4. */
	ctrl(&f, 'u');
	type(&f, "abcệ");
	assert_field(&f, "abcệ", 6);
	ctrl(&f, 'u');
	type(&f, "abcd");
	assert_int_equal(typecp(&f, 0x1ec7), WIDGET_CH_CURSOR);
	assert_field(&f, "abcd", 4);
	/* A Telex change that would grow past the cap is refused alike. */
	f.method = TELEX_TELEX;
	assert_int_equal(field_set(&f, "abcdea"), STATUS_OK);
	assert_int_equal(typecp(&f, 'a'), WIDGET_CH_CURSOR);
	assert_field(&f, "abcdea", 6);
	/* Setting more than the cap is refused and changes nothing. */
	assert_int_equal(field_set(&f, "abcdefg"), STATUS_ERR_TOOBIG);
	assert_field(&f, "abcdea", 6);
	assert_int_equal(field_set(&f, "Việt"), STATUS_OK);
	assert_field(&f, "Việt", 6);
	field_free(&f);
}

static void
test_not_for_it(void **state)
{
	static const enum key_code codes[] = {
		KEY_C_NONE, KEY_C_ENTER, KEY_C_TAB, KEY_C_BTAB, KEY_C_UP,
		KEY_C_DOWN, KEY_C_PGUP, KEY_C_PGDN, KEY_C_ESC, KEY_C_F1,
		KEY_C_RESIZE,
	};
	static const char ctrls[] = "qbnplgx";
	static const uint32_t chars[] = {
		0x00, 0x09, 0x1b, 0x1f, 0x7f, 0xd800, 0xdfff, 0x110000,
	};
	struct field f;
	size_t i;

	(void)state;
	field_init(&f, 64);
	assert_int_equal(field_set(&f, "Hà Nội"), STATUS_OK);
	f.cursor = 3;
	for (i = 0; i < nitems(codes); i++)
		if (press(&f, codes[i]) != 0)
			fail_msg("key code %d was taken by the field",
			    codes[i]);
	for (i = 0; ctrls[i] != '\0'; i++)
		if (ctrl(&f, ctrls[i]) != 0)
			fail_msg("Ctrl-%c was taken by the field", ctrls[i]);
	for (i = 0; i < nitems(chars); i++)
		if (typecp(&f, chars[i]) != 0)
			fail_msg("U+%04X was typed", chars[i]);
	assert_field(&f, "Hà Nội", 3);
	assert_int_equal(f.method, TELEX_OFF);
	field_free(&f);
}

static void
assert_view(struct field *f, size_t width, size_t start, size_t len,
    size_t col)
{
	size_t s = 99, l = 99, c = 99;

	field_view(f, width, &s, &l, &c);
	assert_int_equal(s, start);
	assert_int_equal(l, len);
	assert_int_equal(c, col);
}

static void
test_view(void **state)
{
	struct field f;
	int i;

	(void)state;
	field_init(&f, 256);
	/* 14 columns, 20 bytes: all of it in 20 columns. */
	assert_int_equal(field_set(&f, "Nguyễn Văn Đức"), STATUS_OK);
	assert_view(&f, 20, 0, 20, 14);
	/* In 6 columns the cursor at the end keeps its own column: the last
	 * 5 characters, "n Đức" (8 bytes from byte 12), the cursor at 5. */
	assert_view(&f, 6, 12, 8, 5);
	/* Moving left inside the window does not scroll. */
	press(&f, KEY_C_LEFT);
	press(&f, KEY_C_LEFT);
	assert_int_equal(f.cursor, 16);
	assert_view(&f, 6, 12, 8, 3);
	/* Home scrolls back: "Nguyễn" fills the 6 columns. */
	press(&f, KEY_C_HOME);
	assert_view(&f, 6, 0, 8, 0);
	/* Moving right keeps the start until the cursor reaches the edge. */
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	press(&f, KEY_C_RIGHT);
	assert_view(&f, 6, 0, 8, 5);
	press(&f, KEY_C_RIGHT);		/* after "Nguyễn" */
	assert_view(&f, 6, 1, 8, 5);
	press(&f, KEY_C_END);
	assert_view(&f, 6, 12, 8, 5);
	/* Erasing at the end brings back what is on the left: the cursor
	 * never sits alone at the left edge beside hidden text. */
	for (i = 0; i < 5; i++)
		assert_int_equal(press(&f, KEY_C_BACKSPACE), TEXT_CURSOR);
	assert_field(&f, "Nguyễn Vă", 12);
	assert_view(&f, 6, 4, 8, 5);
	/* Wide characters take two columns each; a wider field (a larger
	 * window) shows again what now fits. */
	assert_int_equal(field_set(&f, "漢字漢字"), STATUS_OK);
	assert_view(&f, 5, 6, 6, 4);
	assert_view(&f, 9, 0, 12, 8);
	/* No room: the field still answers, with nothing shown. */
	assert_int_equal(field_set(&f, "abc"), STATUS_OK);
	assert_view(&f, 0, 3, 0, 0);
	field_free(&f);
}

static void
test_set(void **state)
{
	struct field f;

	(void)state;
	field_init(&f, 64);
	/* Decomposed text is kept composed (NFC), the cursor at its end. */
	assert_int_equal(field_set(&f, "Nguye\xcc\x82\xcc\x83n"), STATUS_OK);
	assert_field(&f, "Nguyễn", 8);
	assert_int_equal(f.scroll, 0);
	/* Setting starts the view again from the left. */
	assert_int_equal(field_set(&f, "Nguyễn Văn Đức"), STATUS_OK);
	assert_view(&f, 6, 12, 8, 5);
	assert_int_equal(field_set(&f, "Lê"), STATUS_OK);
	assert_int_equal(f.scroll, 0);
	assert_field(&f, "Lê", 3);
	/* Not UTF-8: refused, the text kept. */
	assert_int_equal(field_set(&f, "L\xff"), STATUS_ERR_UTF8);
	assert_field(&f, "Lê", 3);
	assert_int_equal(field_set(&f, ""), STATUS_OK);
	assert_field(&f, "", 0);
	/* Longer than the first allocation. */
	assert_int_equal(field_set(&f, "Ủy ban nhân dân phường Bến Thành, "
	    "TP. Hồ Chí Minh"), STATUS_OK);
	assert_field(&f, "Ủy ban nhân dân phường Bến Thành, TP. Hồ Chí Minh",
	    strlen("Ủy ban nhân dân phường Bến Thành, TP. Hồ Chí Minh"));
	field_free(&f);
}

static void
test_set_raw(void **state)
{
	/* "Hộ khẩu" decomposed, as macOS names files. */
	static const char nfd[] = "Ho\xcc\xa3\xcc\x82 kha\xcc\x82\xcc\x89u";
	struct field f;

	(void)state;
	field_init(&f, 32);
	assert_int_equal(field_set_raw(&f, nfd), STATUS_OK);
	assert_field(&f, nfd, strlen(nfd));
	assert_int_equal(f.scroll, 0);
	/* Typing leaves the rest of the text as it is... */
	type(&f, ".pdf");
	assert_field(&f, "Ho\xcc\xa3\xcc\x82 kha\xcc\x82\xcc\x89u.pdf",
	    strlen(nfd) + 4);
	/* ...and a mark still composes with the character before it. */
	assert_int_equal(press(&f, KEY_C_HOME), WIDGET_CH_CURSOR);
	type(&f, "e\xcc\x82");
	assert_field(&f, "\xc3\xaaHo\xcc\xa3\xcc\x82 kha\xcc\x82\xcc\x89u.pdf",
	    2);
	/* Bytes that are not UTF-8 (an old Latin-1 name) are kept too. */
	assert_int_equal(field_set_raw(&f, "Ho\xe0.pdf"), STATUS_OK);
	assert_field(&f, "Ho\xe0.pdf", 7);
	/* The cap holds: 33 bytes in 32. */
	assert_int_equal(field_set_raw(&f, "012345678901234567890123456789012"),
	    STATUS_ERR_TOOBIG);
	assert_int_equal(field_set_raw(&f, "01234567890123456789012345678901"),
	    STATUS_OK);
	assert_int_equal(field_set_raw(&f, "Ho\xe0.pdf"), STATUS_OK);
	assert_field(&f, "Ho\xe0.pdf", 7);
	field_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_vietnamese),
		cmocka_unit_test(test_telex_vni),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_not_for_it),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_set_raw),
	};
	return cmocka_run_group_tests_name("widget_field", tests, NULL, NULL);
}
