/*
 * Unit tests of Vietnamese text handling: validation, NFC, widths,
 * truncation, folding, ASCII transliteration and alphabetical order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "status.h"
#include "utf8.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* Every Vietnamese vowel with no tone, huyền, hỏi, ngã, sắc and nặng. */
static const struct {
	const char	*lower;
	const char	*upper;
	const char	*ascii;		/* the base letter */
} vowels[] = {
	{ "aàảãáạ", "AÀẢÃÁẠ", "a" },
	{ "ăằẳẵắặ", "ĂẰẲẴẮẶ", "a" },
	{ "âầẩẫấậ", "ÂẦẨẪẤẬ", "a" },
	{ "eèẻẽéẹ", "EÈẺẼÉẸ", "e" },
	{ "êềểễếệ", "ÊỀỂỄẾỆ", "e" },
	{ "iìỉĩíị", "IÌỈĨÍỊ", "i" },
	{ "oòỏõóọ", "OÒỎÕÓỌ", "o" },
	{ "ôồổỗốộ", "ÔỒỔỖỐỘ", "o" },
	{ "ơờởỡớợ", "ƠỜỞỠỚỢ", "o" },
	{ "uùủũúụ", "UÙỦŨÚỤ", "u" },
	{ "ưừửữứự", "ƯỪỬỮỨỰ", "u" },
	{ "yỳỷỹýỵ", "YỲỶỸÝỴ", "y" },
};

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;	/* 0: strlen */
		int		 valid;
	} t[] = {
		{ "", 0, 1 },
		{ "plain ASCII", 0, 1 },
		{ "Nguyễn Văn Đức", 0, 1 },
		{ "Nguye\xcc\x82\xcc\x83n", 0, 1 },	/* combining */
		{ "\xc2\x80", 0, 1 },			/* U+0080 */
		{ "\xdf\xbf", 0, 1 },			/* U+07FF */
		{ "\xe0\xa0\x80", 0, 1 },		/* U+0800 */
		{ "\xed\x9f\xbf", 0, 1 },		/* U+D7FF */
		{ "\xee\x80\x80", 0, 1 },		/* U+E000 */
		{ "\xef\xbf\xbf", 0, 1 },		/* U+FFFF */
		{ "\xf0\x90\x80\x80", 0, 1 },		/* U+10000 */
		{ "\xf4\x8f\xbf\xbf", 0, 1 },		/* U+10FFFF */
		{ "中文 😀", 0, 1 },
		{ "\xc0\x80", 0, 0 },			/* overlong NUL */
		{ "\xc1\xbf", 0, 0 },			/* overlong */
		{ "\xe0\x80\xaf", 0, 0 },		/* overlong '/' */
		{ "\xe0\x9f\xbf", 0, 0 },		/* overlong */
		{ "\xf0\x8f\xbf\xbf", 0, 0 },		/* overlong */
		{ "\xed\xa0\x80", 0, 0 },		/* surrogate */
		{ "\xed\xbf\xbf", 0, 0 },		/* surrogate */
		{ "\xf4\x90\x80\x80", 0, 0 },		/* > U+10FFFF */
		{ "\xf5\x80\x80\x80", 0, 0 },
		{ "\xf8\x88\x80\x80\x80", 0, 0 },	/* 5-byte form */
		{ "\xfe", 0, 0 },
		{ "\xff", 0, 0 },
		{ "\x80", 0, 0 },			/* lone continuation */
		{ "a\xbf", 0, 0 },
		{ "\xc3", 0, 0 },			/* truncated */
		{ "\xe1\xbb", 0, 0 },
		{ "\xf0\x9f\x98", 0, 0 },
		{ "\xc3\x28", 0, 0 },			/* bad continuation */
		{ "\xe1\x28\xa1", 0, 0 },
		{ "Nguy\xe1\xbb\x85n", 6, 0 },		/* len ends inside ễ */
		{ "a\0b", 3, 0 },			/* NUL inside len */
	};
	size_t i, len;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		len = t[i].len != 0 ? t[i].len : strlen(t[i].s);
		if (utf8_valid(t[i].s, len) != t[i].valid)
			fail_msg("case %zu: utf8_valid should be %d", i,
			    t[i].valid);
	}
}

static void
test_utf8_nfc(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "Nguye\xcc\x82\xcc\x83n", "Nguyễn" },
		{ "Tra\xcc\x82\xcc\x80n Thi\xcc\xa3 Ngo\xcc\xa3""c",
		    "Trần Thị Ngọc" },
		{ "\xc4\x90" "a\xcc\x86ng ky\xcc\x81", "Đăng ký" },
		/* Marks in either order give the same letter. */
		{ "Vie\xcc\xa3\xcc\x82t", "Việt" },
		{ "Vie\xcc\x82\xcc\xa3t", "Việt" },
		{ "U\xcc\x9b\xcc\x81", "Ứ" },
		{ "Nguyễn", "Nguyễn" },
		{ "ASCII only", "ASCII only" },
		{ "", "" },
	};
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(utf8_nfc(t[i].in, strlen(t[i].in), &out),
		    STATUS_OK);
		assert_string_equal(out, t[i].want);
		free(out);
	}
	/* Only the first len bytes count. */
	assert_int_equal(utf8_nfc("Ve\xcc\x82xyz", 4, &out), STATUS_OK);
	assert_string_equal(out, "Vê");
	free(out);
	out = (char *)"untouched";
	assert_int_equal(utf8_nfc("ab\xc3", 3, &out), STATUS_ERR_UTF8);
	assert_null(out);
	out = (char *)"untouched";
	assert_int_equal(utf8_nfc("\xed\xa0\x80", 3, &out), STATUS_ERR_UTF8);
	assert_null(out);
}

/* Text cut for the screen ends in the mark; what fits is left whole. */
static void
test_utf8_ellipsize(void **state)
{
	static const struct {
		const char	*s;
		size_t		 ncols;
		const char	*mark;
		const char	*want;
	} t[] = {
		{ "Đăng ký khai sinh", 17, "…", "Đăng ký khai sinh" },
		{ "Đăng ký khai sinh", 40, "…", "Đăng ký khai sinh" },
		{ "Đăng ký khai sinh", 16, "…", "Đăng ký khai si…" },
		/* No space left dangling before the mark. */
		{ "Đăng ký khai sinh", 9, "…", "Đăng ký…" },
		{ "Dang ky khai sinh", 9, "...", "Dang k..." },
		/* A combining mark stays with its letter. */
		{ "Nguye\xcc\x82\xcc\x83n Văn", 7, "…",
		    "Nguye\xcc\x82\xcc\x83n…" },
		/* Wide characters are never split. */
		{ "日本語です", 6, "…", "日本…" },
		{ "日本語です", 5, "…", "日本…" },
		{ "abc", 0, "…", "" },
		{ "abcdef", 2, "...", ".." },
		{ "", 3, "…", "" },
	};
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		out = utf8_ellipsize(t[i].s, t[i].ncols, t[i].mark);
		if (strcmp(out, t[i].want) != 0)
			fail_msg("case %zu: \"%s\" in %zu: \"%s\", want \"%s\"",
			    i, t[i].s, t[i].ncols, out, t[i].want);
		assert_true(utf8_width(out) <= t[i].ncols);
		free(out);
	}
}

/* Rows of a wrapped text, joined with '|'. */
static char *
wrapped(const char *s, size_t ncols)
{
	static char out[1024];
	size_t n, next, len = 0;

	out[0] = '\0';
	while (*s != '\0' && len + 2 < sizeof out) {
		n = utf8_wrap(s, ncols, &next);
		assert_true(next > 0);
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s",
		    len > 0 ? "|" : "", (int)n, s);
		assert_true(utf8_width_n(s, n) <= ncols || n <= 4);
		s += next;
	}
	return out;
}

static void
test_utf8_wrap(void **state)
{
	(void)state;
	assert_string_equal(wrapped("Quan hệ với người được khai sinh *", 29),
	    "Quan hệ với người được khai|sinh *");
	assert_string_equal(wrapped("Quan hệ với người được khai sinh *", 40),
	    "Quan hệ với người được khai sinh *");
	/* A word longer than the row is cut. */
	assert_string_equal(wrapped("/tmp/mot-thu-muc-rat-dai/tep.pdf", 10),
	    "/tmp/mot-t|hu-muc-rat|-dai/tep.p|df");
	/* Newlines end rows; spaces between rows are dropped. */
	assert_string_equal(wrapped("Còn thiếu:\n  - Số điện thoại", 40),
	    "Còn thiếu:|  - Số điện thoại");
	assert_string_equal(wrapped("a\n\nb", 40), "a||b");
	assert_string_equal(wrapped("di động,   10 chữ số", 9),
	    "di động,|10 chữ số");
	/* A wide character in a row too narrow for it still moves on. */
	assert_string_equal(wrapped("日本", 1), "日|本");
	assert_string_equal(wrapped("", 10), "");
}

static void
test_utf8_width(void **state)
{
	static const struct {
		const char	*s;
		size_t		 width;
	} t[] = {
		{ "", 0 },
		{ "Nguyễn", 6 },
		{ "Nguye\xcc\x82\xcc\x83n", 6 },
		{ "Đăng ký khai sinh", 17 },
		{ "ĐĂNG KÝ", 7 },
		{ "中", 2 },
		{ "日本語", 6 },
		{ "a中b", 4 },
		{ "\xcc\x81", 0 },			/* lone combining */
		{ "e\xcc\x81", 1 },
		{ "\xe2\x80\x8b", 0 },			/* zero width space */
		{ "“Đã nộp” – xong…", 16 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		if (utf8_width(t[i].s) != t[i].width)
			fail_msg("case %zu \"%s\": width %zu, want %zu", i,
			    t[i].s, utf8_width(t[i].s), t[i].width);
	}
	assert_int_equal(utf8_width_n("Nguyễn", 4), 4);
	assert_int_equal(utf8_width_n("Nguyễn", 7), 5);
	assert_int_equal(utf8_width_n("中文", 3), 2);
}

static void
test_utf8_fit(void **state)
{
	static const struct {
		const char	*s;
		size_t		 ncols;
		size_t		 bytes;
		size_t		 width;
	} t[] = {
		{ "Nguyễn", 4, 4, 4 },
		{ "Nguyễn", 5, 7, 5 },
		{ "Nguyễn", 6, 8, 6 },
		{ "Nguyễn", 60, 8, 6 },
		{ "Nguyễn", 0, 0, 0 },
		/* The combining marks stay with their e. */
		{ "Nguye\xcc\x82\xcc\x83n", 5, 9, 5 },
		{ "中文字", 3, 3, 2 },
		{ "中文字", 4, 6, 4 },
		{ "中文字", 1, 0, 0 },
		{ "a中", 2, 1, 1 },
		{ "", 5, 0, 0 },
	};
	static const char *strings[] = {
		"Nguyễn Văn Đức", "Nguye\xcc\x82\xcc\x83n", "中文 và tiếng Việt",
		"“Đã nộp” – xong…",
	};
	size_t i, n, w, cols;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		n = utf8_fit(t[i].s, t[i].ncols, &w);
		if (n != t[i].bytes || w != t[i].width)
			fail_msg("case %zu: %zu bytes %zu cols, want %zu %zu", i,
			    n, w, t[i].bytes, t[i].width);
	}
	assert_int_equal(utf8_fit("abc", 2, NULL), 2);

	/* No width cuts a character in two. */
	for (i = 0; i < nitems(strings); i++) {
		for (cols = 0; cols <= utf8_width(strings[i]) + 1; cols++) {
			n = utf8_fit(strings[i], cols, &w);
			assert_true(utf8_valid(strings[i], n));
			assert_true(w <= cols);
			assert_int_equal(utf8_width_n(strings[i], n), w);
		}
	}
}

static void
test_utf8_fold(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "Đăng ký khai sinh", "dang ky khai sinh" },
		{ "ĐĂNG KÝ", "dang ky" },
		{ "đĐ", "dd" },
		{ "Ðăng ký", "dang ky" },		/* Ð (eth) for Đ */
		{ "  Hà   Nội\t\n", "ha noi" },
		{ "Hà\xc2\xa0Nội", "ha noi" },		/* no-break space */
		{ "Tra\xcc\x82\xcc\x80n", "tran" },	/* decomposed */
		{ "Thủ tục hành chính công", "thu tuc hanh chinh cong" },
		{ "Sở Tư pháp TP. Hồ Chí Minh", "so tu phap tp. ho chi minh" },
		{ "zero\xe2\x80\x8bwidth", "zerowidth" },
		{ "Straße", "straße" },
		{ "ÆØ Ñandú", "æø nandu" },
		{ "ΕΛΛΆΔΑ", "ελλαδα" },
		{ "中文", "中文" },
		{ "", "" },
		{ " \t ", "" },
	};
	char *out, want[8];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(utf8_fold(t[i].in, &out), STATUS_OK);
		assert_string_equal(out, t[i].want);
		free(out);
	}
	for (i = 0; i < nitems(vowels); i++) {
		memset(want, vowels[i].ascii[0], 6);
		want[6] = '\0';
		assert_int_equal(utf8_fold(vowels[i].lower, &out), STATUS_OK);
		assert_string_equal(out, want);
		free(out);
		assert_int_equal(utf8_fold(vowels[i].upper, &out), STATUS_OK);
		assert_string_equal(out, want);
		free(out);
	}
	out = (char *)"untouched";
	assert_int_equal(utf8_fold("bad \xff", &out), STATUS_ERR_UTF8);
	assert_null(out);
}

/* The words as FTS5's unicode61 finds them (checked with fts5vocab). */
static void
test_utf8_words(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "1.001193", "1 001193" },
		{ "tp. ho chi minh", "tp ho chi minh" },
		{ "\xe2\x80\x9ckhai sinh\xe2\x80\x9d \xe2\x80\x93 ho tich",
		    "khai sinh ho tich" },		/* quotes, a dash */
		{ "a_b-c", "a b c" },
		{ "x\xc2\xb2 \xe2\x85\xbb", "x\xc2\xb2 \xe2\x85\xbb" }, /* x² ⅻ */
		{ "中文 ελλαδα", "中文 ελλαδα" },
		{ "\xe2\x82\xac" "5 x\xe2\x86\x92y", "5 x y" },	/* €5 x→y */
		{ "a\xee\x80\x80" "b", "a\xee\x80\x80" "b" },	/* private use */
		{ "  ...  ", "" },
		{ "", "" },
	};
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(utf8_words(t[i].in, &out), STATUS_OK);
		assert_string_equal(out, t[i].want);
		free(out);
	}
	out = (char *)"untouched";
	assert_int_equal(utf8_words("bad \xff", &out), STATUS_ERR_UTF8);
	assert_null(out);
}

static void
test_utf8_to_ascii(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "Nguyễn Văn Đức", "Nguyen Van Duc" },
		{ "TRẦN THỊ ĐÀO", "TRAN THI DAO" },
		/* Every Vietnamese letter, upper and lower case. */
		{ "Aa Ăă Ââ Bb Cc Dd Đđ Ee Êê Gg Hh Ii Kk Ll Mm Nn Oo Ôô Ơơ "
		  "Pp Qq Rr Ss Tt Uu Ưư Vv Xx Yy",
		  "Aa Aa Aa Bb Cc Dd Dd Ee Ee Gg Hh Ii Kk Ll Mm Nn Oo Oo Oo "
		  "Pp Qq Rr Ss Tt Uu Uu Vv Xx Yy" },
		{ "Ông Đặng Quốc Bảo nộp hồ sơ “Đăng ký khai sinh” – đã "
		  "xong… → chờ ‘duyệt’ — 100.000₫",
		  "Ong Dang Quoc Bao nop ho so \"Dang ky khai sinh\" - da "
		  "xong... -> cho 'duyet' - 100.000d" },
		{ "Hà\xc2\xa0Nội", "Ha Noi" },		/* no-break space */
		{ "• Bước 1", "* Buoc 1" },
		{ "Nguye\xcc\x82\xcc\x83n", "Nguyen" },	/* decomposed */
		{ "ﬁle ½ Ｈà", "file 1/2 Ha" },		/* compatibility */
		{ "soft\xc2\xadhyphen", "softhyphen" },
		{ "中文", "__" },
		{ "😀 ok", "_ ok" },
		{ "Straße Œuvre", "Strasse OEuvre" },
		{ "", "" },
	};
	char *out, want[8];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(utf8_to_ascii(t[i].in, &out), STATUS_OK);
		assert_string_equal(out, t[i].want);
		free(out);
	}
	for (i = 0; i < nitems(vowels); i++) {
		memset(want, vowels[i].ascii[0], 6);
		want[6] = '\0';
		assert_int_equal(utf8_to_ascii(vowels[i].lower, &out),
		    STATUS_OK);
		assert_string_equal(out, want);
		free(out);
		memset(want, vowels[i].ascii[0] - 'a' + 'A', 6);
		assert_int_equal(utf8_to_ascii(vowels[i].upper, &out),
		    STATUS_OK);
		assert_string_equal(out, want);
		assert_null(strchr(out, '?'));
		free(out);
	}
	out = (char *)"untouched";
	assert_int_equal(utf8_to_ascii("\xc0\xaf", &out), STATUS_ERR_UTF8);
	assert_null(out);
}

static int
cmp_vi(const void *a, const void *b)
{
	return utf8_vi_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* Checks that sorting in shuffled order gives want, and the order holds. */
static void
check_order(const char **want, size_t n)
{
	const char *v[64];
	size_t i, j;

	assert_true(n <= nitems(v));
	for (i = 0; i < n; i++)
		v[i] = want[n - 1 - i];
	qsort(v, n, sizeof v[0], cmp_vi);
	for (i = 0; i < n; i++)
		assert_string_equal(v[i], want[i]);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (i < j)
				assert_true(utf8_vi_cmp(want[i], want[j]) < 0);
			else if (i > j)
				assert_true(utf8_vi_cmp(want[i], want[j]) > 0);
			else
				assert_int_equal(utf8_vi_cmp(want[i], want[j]),
				    0);
		}
	}
}

static void
test_utf8_vi_order(void **state)
{
	static const char *names[] = {
		"An", "Ăn", "Ân", "Bé", "Dân", "Đăng", "Em", "Zô",
	};
	static const char *tones[] = {
		"ma", "mà", "mả", "mã", "má", "mạ",
	};
	static const char *alphabet[] = {
		"a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h",
		"i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r",
		"s", "t", "u", "ư", "v", "w", "x", "y", "z",
	};
	static const char *words[] = {
		"An Giang", "Anh", "Ba", "bà", "Bà Rịa–Vũng Tàu", "Bạc Liêu",
		"Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Cà Mau",
		"Cần Thơ", "Điện Biên", "Đồng Nai", "Gia Lai", "Hà Giang",
		"Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng",
		"Hòa Bình", "Sóc Trăng", "Sơn La",
	};
	/* Word by word: the first word's tone decides before later words. */
	static const char *syllables[] = {
		"ma", "ma sát", "mà", "má ơi", "mạ",
	};
	/* Case comes after letters and tones, lower case first. */
	static const char *cases[] = {
		"an", "An", "AN", "ăn", "Ăn", "ma", "Ma", "mà",
	};

	(void)state;
	check_order(names, nitems(names));
	check_order(tones, nitems(tones));
	check_order(alphabet, nitems(alphabet));
	check_order(words, nitems(words));
	check_order(syllables, nitems(syllables));
	check_order(cases, nitems(cases));

	assert_true(utf8_vi_cmp("D", "Đ") < 0);
	assert_true(utf8_vi_cmp("Đ", "E") < 0);
	assert_true(utf8_vi_cmp("Đ", "Z") < 0);
	assert_true(utf8_vi_cmp("Ð", "E") < 0);		/* eth as Đ */
	assert_true(utf8_vi_cmp("2 Tháng", "An") < 0);	/* digits first */
	assert_true(utf8_vi_cmp(NULL, "a") < 0);
	assert_int_equal(utf8_vi_cmp(NULL, ""), 0);
	/* Decomposed and precomposed differ only in their bytes. */
	assert_true(utf8_vi_cmp("Nguye\xcc\x82\xcc\x83n", "Nguyễm") > 0);
	assert_true(utf8_vi_cmp("Nguye\xcc\x82\xcc\x83n", "Nguyễo") < 0);
	assert_int_not_equal(utf8_vi_cmp("Nguye\xcc\x82\xcc\x83n", "Nguyễn"),
	    0);
	/* Invalid bytes do not crash and still give an order. */
	assert_true(utf8_vi_cmp("a\xff", "a\xff") == 0);
	assert_true(utf8_vi_cmp("a\xff", "b") < 0);
}

static void
test_utf8_vi_collate(void **state)
{
	static const char *want[] = {
		"An", "Ăn", "Ân", "Bé", "Dân", "Đăng", "Em", "Zô",
	};
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t i;

	(void)state;
	/* Lengths, not terminators, end the strings. */
	assert_true(utf8_vi_collate(NULL, 4, "Đănxx", 4, "Dânzz") > 0);
	assert_int_equal(utf8_vi_collate(NULL, 2, "Emma", 2, "Em"), 0);
	assert_true(utf8_vi_collate(NULL, 0, "", 2, "Em") < 0);

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_create_collation(db, "vi", SQLITE_UTF8, NULL,
	    utf8_vi_collate), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (name TEXT);"
	    "INSERT INTO t VALUES ('Dân'),('Đăng'),('Em'),('Zô'),('Ăn'),"
	    "('An'),('Ân'),('Bé');", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT name FROM t ORDER BY name COLLATE vi", -1, &st, NULL),
	    SQLITE_OK);
	for (i = 0; i < nitems(want); i++) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
		    want[i]);
	}
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A title shortened to a byte limit: never cut in a character. */
static void
test_utf8_shorten(void **state)
{
	char *t;
	size_t max;

	(void)state;
	t = utf8_shorten("Đăng ký khai sinh", 100);
	assert_string_equal(t, "Đăng ký khai sinh");
	free(t);
	/* "Đ" is 2 bytes, "ă" 2: 6 bytes leave 3 for the text before "…". */
	t = utf8_shorten("Đăng ký", 6);
	assert_string_equal(t, "Đ…");
	free(t);
	t = utf8_shorten("Đăng ký", 7);
	assert_string_equal(t, "Đă…");
	free(t);
	/* Every limit: valid UTF-8, within it, ending in "…" when cut. */
	for (max = 3; max < 40; max++) {
		t = utf8_shorten("Giấy chứng sinh hoặc giấy tờ thay thế", max);
		assert_true(strlen(t) <= max);
		assert_true(utf8_valid(t, strlen(t)));
		assert_non_null(strstr(t, "…"));
		free(t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_shorten),
		cmocka_unit_test(test_utf8_nfc),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_utf8_fit),
		cmocka_unit_test(test_utf8_ellipsize),
		cmocka_unit_test(test_utf8_wrap),
		cmocka_unit_test(test_utf8_fold),
		cmocka_unit_test(test_utf8_words),
		cmocka_unit_test(test_utf8_to_ascii),
		cmocka_unit_test(test_utf8_vi_order),
		cmocka_unit_test(test_utf8_vi_collate),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
