/*
 * Unit tests of the wizard's file picker (ui/filepick.c) on a folder made
 * for each test: what it lists and in which order, hidden files left out,
 * entering a folder and going up, a file chosen from the list or typed,
 * a folder typed, folders that cannot be listed (one that does not
 * exist, a file given as a folder), names in Vietnamese (composed, and
 * decomposed as macOS writes them), a very long name, the keys that
 * move between the path and the list, the list filtered by the name
 * typed and Tab completing it, and a file refused.
 */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "filepick.h"
#include "keymap.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* "Hộ khẩu" and "Hồ sơ" decomposed: letters, then combining marks. */
#define HO_KHAU_NFD	"Ho\xcc\xa3\xcc\x82 kha\xcc\x82\xcc\x89u.pdf"
#define HO_SO_NFD	"Ho\xcc\x82\xcc\x80 so\xcc\x9b"

static char	top[PATH_MAX];		/* the test's folder, no '/' at end */
static char	*long_name;		/* 251 bytes */
static struct filepick fp;

static void
write_file(const char *name, size_t size)
{
	char *path = xasprintf("%s/%s", top, name);
	FILE *f;
	size_t i;

	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	for (i = 0; i < size; i++)
		fputc('x', f);
	fclose(f);
	free(path);
}

static void
make_dir(const char *name)
{
	char *path = xasprintf("%s/%s", top, name);

	if (mkdir(path, 0700) == -1)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	free(path);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char *cwd;
	size_t n = 0;

	(void)state;
	snprintf(top, sizeof top, "%s/filepick-XXXXXX", tmp != NULL ? tmp :
	    "/tmp");
	if (mkdtemp(top) == NULL || chdir(top) == -1)
		return -1;
	/* As the picker will see it, through any link on the way. */
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return -1;
	snprintf(top, sizeof top, "%s", cwd);
	free(cwd);
	/* 247 bytes of "Tờ khai " and x, then ".pdf": 251 in all. */
	long_name = xcalloc(1, 256);
	while (n + 10 <= 247) {
		memcpy(long_name + n, "Tờ khai ", 10);
		n += 10;
	}
	memset(long_name + n, 'x', 247 - n);
	memcpy(long_name + 247, ".pdf", 5);
	write_file("b.pdf", 10);
	write_file("A.PDF", 2048);
	write_file("c.jpg", 1);
	write_file("d.jpeg", 2);
	write_file("e.png", 3);
	write_file("notes.txt", 4);
	write_file("scan", 5);
	write_file(".hidden.pdf", 6);
	write_file("Giấy khai sinh.pdf", 7);
	write_file(HO_KHAU_NFD, 8);
	write_file(long_name, 9);
	make_dir("sub");
	make_dir("Zeta");
	make_dir(".git");
	make_dir("x.pdf");
	make_dir("sub/deeper");
	write_file("sub/inner.png", 11);
	write_file("sub/.inner.png", 12);
	make_dir(HO_SO_NFD);
	write_file(HO_SO_NFD "/don.pdf", 13);
	filepick_init(&fp);
	return 0;
}

static int
remove_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	filepick_free(&fp);
	free(long_name);
	if (chdir("/") == -1)
		return -1;
	return nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A key as the client gives it: its action, then the picker. */
static enum filepick_result
press(struct key k)
{
	return filepick_key(&fp, keymap_action(&k, filepick_in_field(&fp)),
	    &k, LANG_VI);
}

static enum filepick_result
code(enum key_code c)
{
	return press((struct key){ c, 0 });
}

static enum filepick_result
ctrl(char c)
{
	return press((struct key){ KEY_C_CTRL, (uint32_t)c });
}

/* Types s into the path, one character a key, each changing it. */
static void
type(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		uint32_t cp = *p++;

		if (cp >= 0xc0) {
			int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : 1;

			cp &= 0x3f >> more;
			while (more-- > 0)
				cp = cp << 6 | (*p++ & 0x3f);
		}
		if (press((struct key){ KEY_C_CHAR, cp }) != FILEPICK_CHANGED)
			fail_msg("typing U+%04X did nothing", cp);
	}
}

/* The path typed again: from the list to the path, Ctrl-U, then s. */
static void
retype(const char *s)
{
	if (!filepick_in_field(&fp))
		assert_int_equal(ctrl('b'), FILEPICK_CHANGED);
	assert_int_equal(ctrl('u'), FILEPICK_CHANGED);
	assert_string_equal(filepick_path(&fp), "");
	type(s);
	assert_string_equal(filepick_path(&fp), s);
}

/* The entries listed are names, "name/" for folders, in this order. */
static void
assert_entries(const char *const *want, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < fp.nents; i++) {
		char *got = xasprintf("%s%s", fp.ents[i].name,
		    fp.ents[i].dir ? "/" : "");

		if (strcmp(got, want[i]) != 0)
			fail_msg("entry %zu is \"%s\", want \"%s\"", i, got,
			    want[i]);
		free(got);
	}
	assert_int_equal(fp.nents, n);
	assert_int_equal(fp.sel.n, n);
	assert_string_equal(fp.error, "");
}

/* Selects the entry called name (moving down from the first). */
static void
select_entry(const char *name)
{
	size_t i;

	assert_int_equal(filepick_in_field(&fp), 0);
	assert_int_equal(code(KEY_C_HOME), FILEPICK_CHANGED);
	for (i = 0; i < fp.nents; i++) {
		if (strcmp(fp.ents[fp.sel.sel].name, name) == 0)
			return;
		assert_int_equal(code(KEY_C_DOWN), FILEPICK_CHANGED);
	}
	fail_msg("no entry \"%s\"", name);
}

/* A path under the test's folder. */
static char *
at(const char *rel)
{
	return xasprintf("%s/%s", top, rel);
}

static void
assert_path(const char *rel)
{
	char *want = at(rel);

	assert_string_equal(filepick_path(&fp), want);
	free(want);
}

static void
assert_folder(const char *rel)
{
	char *want = at(rel);

	assert_non_null(fp.folder);
	assert_string_equal(fp.folder, want);
	free(want);
}

static void
test_listing(void **state)
{
	/*
	 * ".." first, then folders, then files, each group by strcoll: in
	 * the C locale (and C.UTF-8, as the tests run) byte order, capitals
	 * first.  Hidden names, other types and "scan" (no extension) are
	 * left out; a folder named like a PDF is a folder.
	 */
	const char *want[] = {
		"../", HO_SO_NFD "/", "Zeta/", "sub/", "x.pdf/",
		"A.PDF", "Giấy khai sinh.pdf", HO_KHAU_NFD, long_name,
		"b.pdf", "c.jpg", "d.jpeg", "e.png",
	};

	(void)state;
	filepick_open(&fp, LANG_VI);
	/* The working folder first, as a path ending in '/'. */
	assert_path("");
	assert_folder("");
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_int_equal(fp.path.method, TELEX_OFF);
	assert_entries(want, nitems(want));
	assert_int_equal(fp.sel.sel, 0);
	/* Sizes, for the list's "(2 KB)". */
	assert_int_equal(fp.ents[5].size, 2048);
	assert_int_equal(fp.ents[9].size, 10);
	assert_int_equal(fp.ents[2].size, 0);
	assert_int_equal(fp.ents[8].dir, 0);
	assert_int_equal(fp.ents[4].dir, 1);
}

static void
test_enter_and_up(void **state)
{
	const char *in_sub[] = { "../", "deeper/", "inner.png" };
	const char *in_deeper[] = { "../" };

	(void)state;
	filepick_open(&fp, LANG_VI);
	/* Tab goes to the list, Enter on a folder opens it. */
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 0);
	select_entry("sub");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path("sub/");
	assert_folder("sub/");
	assert_entries(in_sub, nitems(in_sub));
	assert_int_equal(fp.sel.sel, 0);
	assert_int_equal(filepick_in_field(&fp), 0);
	select_entry("deeper");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path("sub/deeper/");
	assert_entries(in_deeper, nitems(in_deeper));
	/* ".." goes up, one folder at a time. */
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path("sub/");
	assert_entries(in_sub, nitems(in_sub));
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path("");
	assert_int_equal(fp.nents, 13);
	/* Up from the root stays there. */
	retype("/");
	assert_string_equal(fp.folder, "/");
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_string_equal(fp.ents[0].name, "..");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_string_equal(filepick_path(&fp), "/");
	assert_string_equal(fp.folder, "/");
}

static void
test_choose(void **state)
{
	char *parent;

	(void)state;
	filepick_open(&fp, LANG_VI);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	select_entry("b.pdf");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path("b.pdf");
	/* Opened again: the path kept, its folder listed, the focus on the
	 * path. */
	filepick_open(&fp, LANG_VI);
	assert_path("b.pdf");
	assert_string_equal(fp.folder, top);
	assert_int_equal(filepick_in_field(&fp), 1);
	/* A path typed: the listing follows the folder as it is typed. */
	retype(top);
	parent = xstrndup(top, (size_t)(strrchr(top, '/') - top));
	assert_string_equal(fp.folder, parent);
	free(parent);
	type("/");
	assert_folder("");
	type("sub/");
	assert_folder("sub/");
	assert_int_equal(fp.nents, 3);
	type("inner.png");
	assert_folder("sub");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path("sub/inner.png");
	/* A name without a folder is in the working one. */
	retype("c.jpg");
	assert_string_equal(fp.folder, top);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_string_equal(filepick_path(&fp), "c.jpg");
}

static void
test_typed_folder(void **state)
{
	const char *in_sub[] = { "../", "deeper/", "inner.png" };
	char *p = at("sub");

	(void)state;
	filepick_open(&fp, LANG_VI);
	/* Enter on a folder's path opens it, '/' or not. */
	retype(p);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path("sub/");
	assert_entries(in_sub, nitems(in_sub));
	assert_int_equal(filepick_in_field(&fp), 0);
	free(p);
	p = at("sub/");
	retype(p);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path("sub/");
	assert_int_equal(filepick_in_field(&fp), 0);
	free(p);
}

static void
test_cannot_list(void **state)
{
	const char *in_sub[] = { "../", "deeper/", "inner.png" };
	char *p;

	(void)state;
	filepick_open(&fp, LANG_VI);
	retype("/nonexistent-dvc-folder/");
	assert_int_equal(fp.nents, 0);
	assert_int_equal(fp.sel.n, 0);
	/* Why, in the UI's language, not strerror's English. */
	assert_string_equal(fp.error, "Không mở được thư mục: không có tệp "
	    "hoặc thư mục này.");
	/* Enter and Tab stay on the path: nothing to go to. */
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_int_equal(code(KEY_C_DOWN), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	/* A file given as a folder, in English. */
	assert_int_equal(ctrl('u'), FILEPICK_CHANGED);
	p = at("b.pdf/");
	for (const char *s = p; *s != '\0'; s++) {
		struct key k = { KEY_C_CHAR, (unsigned char)*s };

		assert_int_equal(filepick_key(&fp, ACTION_NONE, &k, LANG_EN),
		    FILEPICK_CHANGED);
	}
	free(p);
	assert_string_equal(fp.error, "Cannot open the folder: a part of the "
	    "path is not a folder.");
	assert_int_equal(fp.nents, 0);
	/* A good folder again: the error goes. */
	p = at("sub/");
	retype(p);
	free(p);
	assert_entries(in_sub, nitems(in_sub));
}

static void
test_vietnamese_names(void **state)
{
	const char *in_ho_so[] = { "../", "don.pdf" };
	struct stat sb;

	(void)state;
	filepick_open(&fp, LANG_VI);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	select_entry("Giấy khai sinh.pdf");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path("Giấy khai sinh.pdf");
	assert_int_equal(stat(filepick_path(&fp), &sb), 0);
	assert_int_equal(sb.st_size, 7);
	/* Decomposed names are kept as they are on disk, or the file
	 * chosen would not be found. */
	filepick_open(&fp, LANG_VI);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	select_entry(HO_KHAU_NFD);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path(HO_KHAU_NFD);
	assert_int_equal(stat(filepick_path(&fp), &sb), 0);
	assert_int_equal(sb.st_size, 8);
	/* And a folder so named opens. */
	filepick_open(&fp, LANG_VI);
	ctrl('u');
	type(top);
	type("/");
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	select_entry(HO_SO_NFD);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHANGED);
	assert_path(HO_SO_NFD "/");
	assert_entries(in_ho_so, nitems(in_ho_so));
	select_entry("don.pdf");
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path(HO_SO_NFD "/don.pdf");
	assert_int_equal(stat(filepick_path(&fp), &sb), 0);
	assert_int_equal(sb.st_size, 13);
	/* Typing after such a path leaves the rest of it as it was. */
	filepick_open(&fp, LANG_VI);
	assert_int_equal(code(KEY_C_BACKSPACE), FILEPICK_CHANGED);
	type("f");
	assert_path(HO_SO_NFD "/don.pdf");
	assert_folder(HO_SO_NFD);
	assert_entries(in_ho_so + 1, nitems(in_ho_so) - 1);
}

/*
 * The list follows the name typed (diacritics and case aside), and Tab
 * completes it as far as the entries agree: a single one whole, a
 * folder with its '/'; when they agree no further, Tab goes to the list.
 */
static void
test_filter_complete(void **state)
{
	const char *g[] = { "Giấy khai sinh.pdf" };
	const char *ho[] = { HO_SO_NFD "/", HO_KHAU_NFD };
	const char *forms[] = { "don-1.pdf", "don-2.pdf" };
	const char *in_zeta[] = { "../" };

	(void)state;
	make_dir("forms");
	write_file("forms/don-1.pdf", 1);
	write_file("forms/don-2.pdf", 2);
	write_file("forms/khac.png", 3);
	filepick_open(&fp, LANG_VI);
	assert_int_equal(fp.nents, 14);
	type("g");
	assert_entries(g, nitems(g));
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_path("Giấy khai sinh.pdf");
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	/* Typed without diacritics, a name written decomposed is found. */
	retype(top);
	type("/ho");
	assert_entries(ho, nitems(ho));
	/* They agree on "Ho" alone: Tab goes to the list. */
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 0);
	assert_path("ho");
	assert_int_equal(ctrl('b'), FILEPICK_CHANGED);
	/* A folder completed opens. */
	assert_int_equal(code(KEY_C_BACKSPACE), FILEPICK_CHANGED);
	assert_int_equal(code(KEY_C_BACKSPACE), FILEPICK_CHANGED);
	type("z");
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_path("Zeta/");
	assert_folder("Zeta/");
	assert_entries(in_zeta, nitems(in_zeta));
	/* Two names: as far as they agree, then the list. */
	retype(top);
	type("/forms/D");
	assert_entries(forms, nitems(forms));
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_path("forms/don-");
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_entries(forms, nitems(forms));
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 0);
	assert_int_equal(code(KEY_C_DOWN), FILEPICK_CHANGED);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path("forms/don-2.pdf");
	/* Nothing begins so: an empty list, the path keeps the focus. */
	filepick_open(&fp, LANG_VI);
	type("x");
	assert_int_equal(fp.nents, 0);
	assert_int_equal(fp.nall, 4);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	/* A file that cannot be taken says why until the path changes. */
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	filepick_refuse(&fp, "Không mở được tệp: không có tệp hoặc thư mục "
	    "này.");
	assert_string_equal(fp.refused, "Không mở được tệp: không có tệp "
	    "hoặc thư mục này.");
	assert_int_equal(code(KEY_C_BACKSPACE), FILEPICK_CHANGED);
	assert_string_equal(fp.refused, "");
}

static void
test_long_name(void **state)
{
	size_t start, len, col;
	struct stat sb;

	(void)state;
	assert_int_equal(strlen(long_name), 251);
	filepick_open(&fp, LANG_VI);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	select_entry(long_name);
	assert_int_equal(code(KEY_C_ENTER), FILEPICK_CHOSEN);
	assert_path(long_name);
	assert_int_equal(stat(filepick_path(&fp), &sb), 0);
	assert_int_equal(sb.st_size, 9);
	/* The path field shows its end, the cursor after it. */
	field_view(&fp.path, 40, &start, &len, &col);
	assert_int_equal(col, 39);
	assert_int_equal(start + len, strlen(filepick_path(&fp)));
	assert_string_equal(fp.path.text + start + len - 8, "xxxx.pdf");
}

static void
test_keys(void **state)
{
	(void)state;
	filepick_open(&fp, LANG_VI);
	/* Down from the path goes to the list too. */
	assert_int_equal(code(KEY_C_DOWN), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 0);
	/* Letters in the list are no one's. */
	assert_int_equal(press((struct key){ KEY_C_CHAR, 'x' }),
	    FILEPICK_NONE);
	assert_int_equal(press((struct key){ KEY_C_CHAR, 'q' }),
	    FILEPICK_NONE);
	/* Tab and Shift-Tab move in the list; Shift-Tab on the first entry
	 * goes back to the path, and only there. */
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 2);
	assert_int_equal(code(KEY_C_BTAB), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 1);
	assert_int_equal(filepick_in_field(&fp), 0);
	assert_int_equal(code(KEY_C_BTAB), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 0);
	assert_int_equal(filepick_in_field(&fp), 0);
	assert_int_equal(code(KEY_C_BTAB), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 0);
	assert_int_equal(filepick_in_field(&fp), 1);
	/* Up in the list wraps; End and Home. */
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(code(KEY_C_UP), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 12);
	assert_int_equal(code(KEY_C_HOME), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 0);
	assert_int_equal(code(KEY_C_END), FILEPICK_CHANGED);
	assert_int_equal(fp.sel.sel, 12);
	/* Ctrl-B (or b, or Left) leaves the list, then the picker. */
	assert_int_equal(ctrl('b'), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(press((struct key){ KEY_C_CHAR, 'b' }),
	    FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	assert_int_equal(code(KEY_C_TAB), FILEPICK_CHANGED);
	assert_int_equal(code(KEY_C_LEFT), FILEPICK_CHANGED);
	assert_int_equal(filepick_in_field(&fp), 1);
	/* In the path, b is a letter and Left a cursor move. */
	assert_int_equal(code(KEY_C_LEFT), FILEPICK_CHANGED);
	assert_int_equal(fp.path.cursor, strlen(top));
	assert_int_equal(ctrl('t'), FILEPICK_CHANGED);
	assert_int_equal(fp.path.method, TELEX_TELEX);
	assert_int_equal(ctrl('b'), FILEPICK_CLOSED);
	/* Keys for no one: nothing changes. */
	assert_int_equal(code(KEY_C_PGDN), FILEPICK_NONE);
	assert_int_equal(code(KEY_C_F1), FILEPICK_NONE);
	assert_path("");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_and_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_choose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_folder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cannot_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vietnamese_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filter_complete, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
	};
	return cmocka_run_group_tests_name("filepick", tests, NULL, NULL);
}
