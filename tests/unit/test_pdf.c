/*
 * Unit tests of the declaration PDF (pdf.h), checked with independent
 * tools: pdftotext gives back every diacritic, pdftotext -bbox says where
 * the keyword really is on the page (the stamp must be just under its
 * last occurrence), pdfinfo counts the pages and pdfimages the images,
 * and qpdf --check finds no errors.  Forms and values come from the seed
 * catalog (data/catalog/procedures).
 */
#include <sys/types.h>

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "form_check.h"
#include "form_parse.h"
#include "json.h"
#include "pdf.h"
#include "procedure_address.h"
#include "testlib.h"
#include "xmalloc.h"

#define WHEN	1795744800	/* 2026-11-27 09:00 in Vietnam */

static struct form_addresses *addresses;

static cJSON *
load_json(const char *rel)
{
	char err[256];
	cJSON *doc = NULL;

	if (json_load_file(test_source_path(rel), 8u << 20, &doc, err,
	    sizeof err) != STATUS_OK)
		fail_msg("%s: %s", rel, err);
	return doc;
}

static cJSON *
parse_str(const char *s)
{
	cJSON *v = cJSON_Parse(s);

	if (v == NULL)
		fail_msg("bad JSON in the test: %s", s);
	return v;
}

/* A procedure's form from the seed; its name into *name (static). */
static struct form *
load_form(const char *code, char *name, size_t namesz)
{
	char rel[128], err[256];
	cJSON *p;
	struct form *f;

	snprintf(rel, sizeof rel, "data/catalog/procedures/%s.json", code);
	p = load_json(rel);
	f = form_parse(cJSON_GetObjectItem(p, "form"), err, sizeof err);
	if (f == NULL)
		fail_msg("%s: %s", code, err);
	snprintf(name, namesz, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(p, "name")));
	cJSON_Delete(p);
	return f;
}

/* Validated values, so the renderer sees what the portal stores. */
static cJSON *
values_for(const struct form *f, const char *json)
{
	cJSON *v = parse_str(json), *norm = NULL, *errs = NULL;
	char *e;

	if (form_validate(f, addresses, v, 0, LANG_VI, NULL, &norm, &errs) !=
	    STATUS_OK) {
		e = cJSON_PrintUnformatted(errs);
		fail_msg("values refused: %s", e);
	}
	cJSON_Delete(v);
	return norm;
}

static const char *
tmp_path(const char *name)
{
	static char path[4][1024];
	static int k;
	const char *t = getenv("TMPDIR");

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", t != NULL ? t : "/tmp",
	    name);
	return path[k];
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Runs a command; its output, caller frees; fails the test on exit != 0. */
static char *
run_ok(const char *fmt, ...)
{
	char cmd[4096], *out;
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	out = test_run(cmd, &st);
	if (st != 0)
		fail_msg("%s: exit %d\n%s", cmd, st, out);
	return out;
}

static void
check_qpdf(const char *path)
{
	char *out = run_ok("qpdf --check '%s' 2>&1", path);

	assert_non_null(strstr(out, "No syntax or stream encoding errors"));
	free(out);
}

static int
page_count(const char *path)
{
	char *out = run_ok("pdfinfo '%s'", path), *p;
	int n;

	p = strstr(out, "Pages:");
	assert_non_null(p);
	n = (int)strtol(p + 6, NULL, 10);
	free(out);
	return n;
}

/* A word of pdftotext -bbox: page from 0, top-left coordinates. */
struct word {
	int	page;
	double	x0, y0, x1, y1;
	char	text[128];
};

static struct word *
words_of(const char *path, size_t *n)
{
	char *out = run_ok("pdftotext -bbox '%s' -", path), *p, *q;
	struct word *w = NULL;
	size_t alloc = 0;
	int page = -1;

	*n = 0;
	for (p = out; (p = strchr(p, '<')) != NULL; p++) {
		if (strncmp(p, "<page ", 6) == 0)
			page++;
		if (strncmp(p, "<word ", 6) != 0)
			continue;
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			w = xreallocarray(w, alloc, sizeof *w);
		}
		w[*n].page = page;
		assert_int_equal(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" "
		    "xMax=\"%lf\" yMax=\"%lf\">", &w[*n].x0, &w[*n].y0,
		    &w[*n].x1, &w[*n].y1), 4);
		p = strchr(p, '>') + 1;
		q = strstr(p, "</word>");
		assert_non_null(q);
		snprintf(w[*n].text, sizeof w[*n].text, "%.*s", (int)(q - p),
		    p);
		(*n)++;
	}
	free(out);
	return w;
}

/*
 * The box of the last occurrence of the words of phrase (split on
 * spaces) in the PDF's text; fails the test when there is none.
 */
static struct word
last_phrase(const char *path, const char *phrase)
{
	struct word *w, box;
	char *copy = xstrdup(phrase), *tok[16], *save = NULL, *t;
	size_t n, k = 0, i, j;
	int found = 0;

	for (t = strtok_r(copy, " ", &save); t != NULL && k < 16;
	    t = strtok_r(NULL, " ", &save))
		tok[k++] = t;
	w = words_of(path, &n);
	memset(&box, 0, sizeof box);
	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k && strcmp(w[i + j].text, tok[j]) == 0; j++)
			;
		if (j < k)
			continue;
		box = w[i];
		for (j = 1; j < k; j++) {
			box.x0 = fmin(box.x0, w[i + j].x0);
			box.y0 = fmin(box.y0, w[i + j].y0);
			box.x1 = fmax(box.x1, w[i + j].x1);
			box.y1 = fmax(box.y1, w[i + j].y1);
		}
		found = 1;
	}
	free(w);
	free(copy);
	if (!found)
		fail_msg("\"%s\" is not in %s", phrase, path);
	return box;
}

static const char khai_sinh_values[] =
    "{\"nyc_ho_ten\": \"Nguyễn Văn Đức\", \"nyc_ngay_sinh\": \"1985-03-12\","
    " \"nyc_gioi_tinh\": \"male\", \"nyc_cccd\": \"062085000001\","
    " \"nyc_dien_thoai\": \"0912345678\", \"nyc_dia_chi\": "
    "{\"province_code\": \"51\", \"ward_code\": \"23293\", \"street\": "
    "\"45 Bà Triệu\"}, \"nyc_quan_he\": \"cha\", \"ks_ho_ten\": "
    "\"Nguyễn Minh Khang\", \"ks_ngay_sinh\": \"2026-11-18\", "
    "\"ks_gioi_tinh\": \"male\", \"ks_dan_toc\": \"Kinh\", "
    "\"ks_quoc_tich\": \"Việt Nam\", \"ks_noi_sinh\": "
    "\"Bệnh viện Đa khoa tỉnh Kon Tum\", \"ks_que_quan\": "
    "\"xã Đắk Hà, tỉnh Quảng Ngãi\", \"me_ho_ten\": \"Trần Thị Thu Hằng\","
    " \"me_ngay_sinh\": \"1992\", \"me_dan_toc\": \"Ba Na\", "
    "\"me_quoc_tich\": \"Việt Nam\", \"me_dia_chi\": {\"province_code\": "
    "\"51\", \"ward_code\": \"23293\", \"street\": \"45 Bà Triệu\"}}";

/* Renders code with values to TMPDIR/file; returns the rectangle. */
static struct pdf_rect
render_to(const char *code, const char *values, const char *keyword,
    const struct pdf_stamp *st, const char *file, int *found, size_t *size)
{
	struct form *f;
	struct form_context ctx = { NULL, "Ủy ban nhân dân phường Kon Tum",
	    { 2026, 11, 27 }, NULL };
	struct pdf_rect r;
	struct buf out;
	char name[256], err[256];
	cJSON *v;

	f = load_form(code, name, sizeof name);
	ctx.procedure_name = name;
	ctx.addresses = addresses;
	v = values_for(f, values);
	if (pdf_render_declaration(f, v, &ctx, keyword, st, &out, &r, found,
	    err, sizeof err) != STATUS_OK)
		fail_msg("render %s: %s", code, err);
	assert_true(out.len > 1000);
	assert_memory_equal(out.data, "%PDF-1.5", 8);
	write_file(tmp_path(file), out.data, out.len);
	if (size != NULL)
		*size = out.len;
	buf_free(&out);
	cJSON_Delete(v);
	form_free(&f);
	return r;
}

static int
setup(void **state)
{
	cJSON *j;
	char err[256];

	(void)state;
	j = load_json("data/addresses.json");
	addresses = form_addresses_parse(j, err, sizeof err);
	cJSON_Delete(j);
	return addresses != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	form_addresses_free(&addresses);
	return 0;
}

/* pdftotext gives back the declaration, every diacritic included. */
static void
test_render_text_back(void **state)
{
	struct pdf_stamp st = { "Nguyễn Văn Đức", WHEN, NULL, 0, 0 };
	const char *path = tmp_path("khai-sinh.pdf");
	static const char *const expect[] = {
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"TỜ KHAI ĐĂNG KÝ KHAI SINH",
		"Kính gửi: Ủy ban nhân dân phường Kon Tum",
		"Họ, chữ đệm, tên: Nguyễn Văn Đức",
		"Số định danh cá nhân (CCCD): 062085000001",
		"Nơi cư trú: 45 Bà Triệu, Phường Kon Tum, tỉnh Quảng Ngãi",
		"Quan hệ với người được khai sinh: Cha",
		"Ngày, tháng, năm sinh: 18/11/2026",
		"Nơi sinh: Bệnh viện Đa khoa tỉnh Kon Tum",
		"Quê quán: xã Đắk Hà, tỉnh Quảng Ngãi",
		"Trần Thị Thu Hằng",
		"Trần Thị Thu Hằng; năm sinh: 1992;",
		"Kon Tum, ngày 27 tháng 11 năm 2026",
		"NGƯỜI YÊU CẦU",
		"(Ký, ghi rõ họ, chữ đệm, tên)",
		"Ký bởi: Nguyễn Văn Đức",
		"Ký ngày: 27/11/2026 09:00",
	};
	char *text;
	size_t i;
	int found;

	(void)state;
	render_to("1.001193", khai_sinh_values, "NGƯỜI YÊU CẦU", &st,
	    "khai-sinh.pdf", &found, NULL);
	assert_int_equal(found, 1);
	text = run_ok("pdftotext -enc UTF-8 '%s' -", path);
	for (i = 0; i < sizeof expect / sizeof expect[0]; i++)
		if (strstr(text, expect[i]) == NULL)
			fail_msg("\"%s\" is not in the text:\n%s", expect[i],
			    text);
	free(text);
	check_qpdf(path);
	assert_int_equal(page_count(path), 1);
	/* The fonts are embedded as subsets. */
	text = run_ok("pdffonts '%s'", path);
	assert_non_null(strstr(text, "+DejaVuSerif"));
	assert_null(strstr(text, " no  "));	/* emb column */
	free(text);
}

/*
 * The keyword, typed without diacritics, is found after folding; the
 * stamp is just under its last occurrence: under the title and the note,
 * centred on the title, on its page.
 */
static void
test_keyword_placement(void **state)
{
	struct pdf_stamp st = { "Nguyễn Văn Đức", WHEN, NULL, 0, 0 };
	struct pdf_rect r;
	struct word kw;
	double top, cx;
	int found = -1;

	(void)state;
	r = render_to("1.001193", khai_sinh_values, "nguoi yeu cau", &st,
	    "kw.pdf", &found, NULL);
	assert_int_equal(found, 1);
	kw = last_phrase(tmp_path("kw.pdf"), "NGƯỜI YÊU CẦU");
	assert_int_equal(r.page, kw.page);
	top = PDF_PAGE_H - (r.y + r.h);
	cx = r.x + r.w / 2;
	/* under the keyword, within the note's height and a little */
	assert_true(top >= kw.y1 - 0.5);
	assert_true(top - kw.y1 < 40);
	assert_true(cx > kw.x0 && cx < kw.x1);
	assert_true(r.w > 40 && r.w < 200 && r.h > 10 && r.h < 100);
}

/*
 * Two signature blocks side by side (kết hôn): the note occurs under both,
 * and its last occurrence is the right-hand one; the left title is found
 * by its own keyword.
 */
static void
test_keyword_last_occurrence(void **state)
{
	struct pdf_stamp st = { "Lê Thị Hoa", WHEN, NULL, 0, 0 };
	static const char values[] =
	    "{\"nyc_ho_ten\": \"Lê Thị Hoa\", \"nyc_cccd\": \"062198000002\","
	    " \"nyc_dien_thoai\": \"0912345678\","
	    " \"nu_ho_ten\": \"Lê Thị Hoa\", \"nu_ngay_sinh\": \"1998-02-03\","
	    " \"nu_dan_toc\": \"Kinh\", \"nu_quoc_tich\": \"Việt Nam\","
	    " \"nu_cccd\": \"062198000002\", \"nu_dia_chi\": "
	    "{\"province_code\": \"51\", \"ward_code\": \"23293\"},"
	    " \"nu_lan_ket_hon\": \"lan_dau\","
	    " \"nam_ho_ten\": \"Phạm Quốc Bảo\", \"nam_ngay_sinh\": "
	    "\"1996-09-10\", \"nam_dan_toc\": \"Kinh\", \"nam_quoc_tich\": "
	    "\"Việt Nam\", \"nam_cccd\": \"062096000003\", \"nam_dia_chi\": "
	    "{\"province_code\": \"51\", \"ward_code\": \"23293\"},"
	    " \"nam_lan_ket_hon\": \"lan_dau\"}";
	struct pdf_rect r;
	struct word kw;
	double cx;
	int found;

	(void)state;
	r = render_to("1.000894", values, "(ky, ghi ro ho, chu dem, ten)", &st,
	    "kh1.pdf", &found, NULL);
	assert_int_equal(found, 1);
	kw = last_phrase(tmp_path("kh1.pdf"), "(Ký, ghi rõ họ, chữ đệm, tên)");
	cx = r.x + r.w / 2;
	assert_true(cx > PDF_PAGE_W / 2);
	assert_true(cx > kw.x0 && cx < kw.x1);
	assert_true(PDF_PAGE_H - (r.y + r.h) >= kw.y1 - 0.5);

	r = render_to("1.000894", values, "Bên nữ", &st, "kh2.pdf", &found,
	    NULL);
	assert_int_equal(found, 1);
	kw = last_phrase(tmp_path("kh2.pdf"), "Bên nữ");
	cx = r.x + r.w / 2;
	assert_true(cx < PDF_PAGE_W / 2);
	assert_true(cx > kw.x0 && cx < kw.x1);
	check_qpdf(tmp_path("kh2.pdf"));
}

/* A keyword that does not occur: bottom right of the last page. */
static void
test_keyword_absent(void **state)
{
	struct pdf_stamp st = { "Nguyễn Văn Đức", WHEN, NULL, 0, 0 };
	struct pdf_rect r;
	int found = -1;

	(void)state;
	r = render_to("1.001193", khai_sinh_values, "CHỦ TỊCH HỘI ĐỒNG", &st,
	    "absent.pdf", &found, NULL);
	assert_int_equal(found, 0);
	assert_int_equal(r.page, page_count(tmp_path("absent.pdf")) - 1);
	assert_true(fabs(r.x + r.w - (PDF_PAGE_W - 50)) < 1);
	assert_true(fabs(r.y - 56) < 1);
	/* no keyword at all is the same */
	r = render_to("1.001193", khai_sinh_values, NULL, &st, "absent2.pdf",
	    &found, NULL);
	assert_int_equal(found, 0);
	assert_true(fabs(r.y - 56) < 1);
}

/* A long value wraps and runs onto a second page, text intact. */
static void
test_long_form(void **state)
{
	struct pdf_stamp st = { "Nguyễn Văn Đức", WHEN, NULL, 0, 0 };
	struct buf v;
	struct pdf_rect r;
	struct word kw;
	char *text, *flat, *p, *q;
	int found, i;

	(void)state;
	buf_init(&v, 1 << 20);
	buf_addstr(&v, "{\"nyc_ho_ten\": \"Nguyễn Văn Đức\", \"nyc_ngay_sinh\":"
	    " \"1985-03-12\", \"nyc_gioi_tinh\": \"male\", \"nyc_cccd\": "
	    "\"062085000001\", \"nyc_dien_thoai\": \"0912345678\", "
	    "\"nyc_dia_chi\": {\"province_code\": \"51\", \"ward_code\": "
	    "\"23293\", \"street\": \"45 Bà Triệu\"}, \"noi_dung\": \"");
	for (i = 0; i < 26; i++)
		buf_printf(&v, "Đoạn %d: đề nghị xem xét, giải quyết việc cấp lại "
		    "giấy tờ bị mất; ", i + 1);
	buf_addstr(&v, "HẾT NỘI DUNG.\", \"ghi_chu\": \"");
	for (i = 0; i < 20; i++)
		buf_printf(&v, "Ghi chú %d: liên hệ qua số điện thoại trên. ",
		    i + 1);
	buf_addstr(&v, "\"}");
	r = render_to("1.000689", buf_str(&v), "NGƯỜI LÀM ĐƠN", &st,
	    "long.pdf", &found, NULL);
	buf_free(&v);
	assert_int_equal(found, 1);
	assert_true(page_count(tmp_path("long.pdf")) >= 2);
	kw = last_phrase(tmp_path("long.pdf"), "NGƯỜI LÀM ĐƠN");
	assert_int_equal(r.page, kw.page);
	assert_true(r.page >= 1);
	check_qpdf(tmp_path("long.pdf"));
	/* every word of the long value comes back, in order */
	text = run_ok("pdftotext -enc UTF-8 '%s' -", tmp_path("long.pdf"));
	flat = xstrdup(text);
	for (p = text, q = flat; *p != '\0'; p++)
		if (*p != '\n' && *p != '\f')
			*q++ = *p;
		else if (q > flat && q[-1] != ' ')
			*q++ = ' ';
	*q = '\0';
	assert_non_null(strstr(flat, "Đoạn 1: đề nghị xem xét"));
	assert_non_null(strstr(flat, "Đoạn 26: đề nghị xem xét, giải quyết "
	    "việc cấp lại giấy tờ bị mất; HẾT NỘI DUNG."));
	assert_non_null(strstr(flat, "Ghi chú 20: liên hệ"));
	free(flat);
	free(text);
}

/* An image stamp: scaled with its aspect kept, embedded once. */
static void
test_image_stamp(void **state)
{
	struct pdf_stamp st = { "Nguyễn Văn Đức", WHEN, NULL, 800, 200 };
	struct pdf_rect r;
	uint8_t *px;
	size_t i, size;
	char *out;
	int found;

	(void)state;
	px = xmalloc((size_t)st.image_w * st.image_h * 4);
	for (i = 0; i < (size_t)st.image_w * st.image_h; i++) {
		px[4 * i] = 10;
		px[4 * i + 1] = 30;
		px[4 * i + 2] = (uint8_t)(120 + i % 100);
		px[4 * i + 3] = (i / st.image_w + i % st.image_w) % 7 ? 0 : 255;
	}
	st.image_rgba = px;
	r = render_to("1.001193", khai_sinh_values, "NGƯỜI YÊU CẦU", &st,
	    "image.pdf", &found, &size);
	assert_int_equal(found, 1);
	/* 800×200 into 150×60: 150×37.5, then two lines of text */
	assert_true(r.w >= 150 && r.w < 175);
	assert_true(r.h > 37.5 && r.h < 37.5 + 30);
	out = run_ok("pdfimages -list '%s'", tmp_path("image.pdf"));
	assert_non_null(strstr(out, "image"));
	assert_non_null(strstr(out, "smask"));
	free(out);
	check_qpdf(tmp_path("image.pdf"));
	assert_true(size < 100 * 1024);
	free(px);
}

/*
 * The picture kept for a stamp: scaled down to 150 dpi at its printed
 * size, each pixel the mean of those it covers; a small one copied.
 */
static void
test_stamp_picture(void **state)
{
	uint8_t *px, *out;
	uint32_t w, h, x, y;
	size_t i;

	(void)state;
	/* 600×200: its left half opaque blue, its right half transparent */
	px = xcalloc(600 * 200, 4);
	for (i = 0; i < 600 * 200; i++) {
		px[4 * i + 2] = 160;
		px[4 * i + 3] = i % 600 < 300 ? 255 : 0;
	}
	pdf_stamp_picture(px, 600, 200, &out, &w, &h);
	/* 150 × 50 points at 150 dpi */
	assert_int_equal(w, 313);
	assert_int_equal(h, 105);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			const uint8_t *p = out + 4 * ((size_t)y * w + x);

			if (x < 155) {
				assert_int_equal(p[2], 160);
				assert_int_equal(p[3], 255);
			} else if (x > 157)
				assert_int_equal(p[3], 0);
		}
	free(out);
	/* a picture no larger than it prints is kept as it is */
	for (i = 0; i < 100 * 40; i++)
		px[4 * i] = (uint8_t)i;
	pdf_stamp_picture(px, 100, 40, &out, &w, &h);
	assert_int_equal(w, 100);
	assert_int_equal(h, 40);
	assert_memory_equal(out, px, 100 * 40 * 4);
	free(out);
	free(px);
}

/* Bad stamps are refused with a reason. */
static void
test_bad_stamp(void **state)
{
	struct form *f;
	struct pdf_stamp st = { "\xff\xfe", WHEN, NULL, 0, 0 };
	struct pdf_rect r;
	struct buf out;
	char name[256], err[256];
	int found;
	uint8_t px[4] = { 0, 0, 0, 255 };

	(void)state;
	f = load_form("1.001193", name, sizeof name);
	assert_int_equal(pdf_render_declaration(f, NULL, NULL, "x", &st, &out,
	    &r, &found, err, sizeof err), STATUS_ERR_INVALID);
	assert_non_null(strstr(err, "UTF-8"));
	assert_null(out.data);
	st.signer_name = "A";
	st.image_rgba = px;
	st.image_w = 0;
	st.image_h = 1;
	assert_int_equal(pdf_render_declaration(f, NULL, NULL, "x", &st, &out,
	    &r, &found, err, sizeof err), STATUS_ERR_INVALID);
	/* no values at all: every value shows as "…" */
	assert_int_equal(pdf_render_declaration(f, NULL, NULL, "x", NULL, &out,
	    &r, &found, err, sizeof err), STATUS_OK);
	buf_free(&out);
	form_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_text_back),
		cmocka_unit_test(test_keyword_placement),
		cmocka_unit_test(test_keyword_last_occurrence),
		cmocka_unit_test(test_keyword_absent),
		cmocka_unit_test(test_long_form),
		cmocka_unit_test(test_image_stamp),
		cmocka_unit_test(test_stamp_picture),
		cmocka_unit_test(test_bad_stamp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
