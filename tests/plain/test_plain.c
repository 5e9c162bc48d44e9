/*
 * The line mode (dvc --plain) against a real dvc-server, through pipes:
 * the answers written as the questions appear, the output read as it
 * comes.  A login approved through the phone; "Thông tin tài khoản";
 * --ascii transliterated with no byte above 127; the catalog by field
 * down to a procedure's detail, and the featured; the search without
 * diacritics ("khai sinh"), with "?" help, "\?" typed as text, a filter
 * and Telex; "Tra cứu hồ sơ" with a short CCCD, a wrong one and the
 * right one; "Cập nhật chữ ký": add (a missing image, a wrong phone said
 * by the portal, then right), edit, delete asked first; "Hồ sơ của tôi"
 * with its mark, history, result file and signed declaration (with its
 * receipt) saved; khai sinh as a father fills it, the mother's "Năm
 * sinh" a year; the signing wait through
 * plain_signing() (confirmed on the phone and submitted, due at a
 * working day's 17:00; cancelled after
 * the question); the login's QR code as text decoded by zbarimg, and a
 * cancelled login; the input closed mid-way; the logout; a whole flow
 * with --speech, no time, date, range or code in figures.  No output
 * ever holds an escape byte.
 *
 * Each transcript, masked, must equal docs/examples/NAME.txt (written
 * there by `make examples`).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "clock.h"
#include "image.h"
#include "plain.h"
#include "signproto.h"
#include "testlib.h"
#include "transcript.h"
#include "xmalloc.h"

#define WAIT_MS	TRANSCRIPT_WAIT_MS
#define HOME_Q	"Chọn số (1-6; Enter: 1): "

/* Longer codes than the default: a transcript must not see a new one. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 120, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 60, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 50, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static const char result_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> "
    "endobj\ntrailer << /Root 1 0 R >>\n% Giấy khai sinh\n%%EOF\n";

static struct test_server ts;
static struct test_citizen citizen;
static struct test_phone *phone;
static char *token;
static char sig_id[64];
static char code[32];		/* the dossier returned with a result */
static struct transcript t;
static int running;

/* ---- Helpers. ---- */

/* How many times needle is in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
start(const char *const *extra, const char *const *env)
{
	const char *argv[16];
	size_t n = 0, i;

	argv[n++] = test_build_path("dvc");
	argv[n++] = "--plain";
	argv[n++] = "--portal";
	argv[n++] = ts.url;
	for (i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	assert_int_equal(transcript_start(&t, argv, env), 0);
	running = 1;
}

static void
wait_for(const char *text)
{
	if (transcript_wait(&t, text, WAIT_MS) != 0)
		fail_msg("waited for \"%s\"", text);
}

/* Waits for the question, then answers it. */
static void
answer(const char *question, const char *line)
{
	wait_for(question);
	assert_int_equal(transcript_send(&t, line), 0);
}

/* The number of the menu item that starts with text. */
static void
item(const char *text, char *num, size_t numsz)
{
	char *re = xasprintf("\n([0-9]+)\\. %s", text);

	if (transcript_find(&t, re, num, numsz) != 0)
		fail_msg("no menu item \"%s\" in:\n%s", text,
		    buf_str(&t.text));
	free(re);
}

static void
no_escape(void)
{
	if (t.text.len > 0 && memchr(t.text.data, 0x1b, t.text.len) != NULL)
		fail_msg("an escape byte in the output:\n%s", buf_str(&t.text));
}

/* Waits for the exit (status 0 wanted), then checks the transcript. */
static void
finish(const char *name, int want_status, const char *const *extra)
{
	char *masked;
	int st;

	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != want_status)
		fail_msg("exit status %d, not %d; the output:\n%s",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1, want_status,
		    buf_str(&t.text));
	no_escape();
	/* Whatever the way out, the last line is a whole line. */
	if (t.text.len > 0 && t.text.data[t.text.len - 1] != '\n')
		fail_msg("the output ends inside a line:\n%s",
		    buf_str(&t.text));
	if (name != NULL) {
		masked = transcript_mask(buf_str(&t.text), extra);
		if (transcript_check(name, masked) != 0)
			fail_msg("the transcript %s differs", name);
		free(masked);
	}
	transcript_free(&t);
}

/*
 * A dossier of citizen 0 submitted, then received, processed, finished
 * and returned with a result file; a signature to sign with.
 */
static int
setup(void **state)
{
	char *id = NULL;
	int rc = -1;

	(void)state;
	if (test_server_start(&ts, config, NULL) == -1 ||
	    test_demo_citizen(&ts, 0, &citizen) == -1 ||
	    (token = test_login(&ts, 0)) == NULL ||
	    (phone = test_phone_activate(&ts, 0)) == NULL ||
	    test_signature_add(&ts, token, sig_id, sizeof sig_id) == -1 ||
	    (id = test_signed_dossier(&ts, token, 0, sig_id, phone)) == NULL)
		goto out;
	rc = test_returned_dossier(&ts, token, id, result_pdf, code,
	    sizeof code);
out:
	free(id);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	test_phone_free(&phone);
	free(token);
	test_server_cleanup(&ts);
	return 0;
}

/* After each test: nothing left running. */
static int
stop(void **state)
{
	(void)state;
	if (running)
		transcript_free(&t);
	running = 0;
	return 0;
}

/* ---- Tests. ---- */

/* From home: the search, the procedure, "Nộp hồ sơ trực tuyến". */
static void
to_wizard(void)
{
	char n[8];

	answer(HOME_Q, "3");
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ): ",
	    "xoa dang ky thuong tru");
	wait_for("kết quả, trang 1/");
	wait_for("Chọn số (1-");
	item("Xóa đăng ký thường trú — ", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	wait_for("Mã thủ tục: ");
	answer("Chọn số (1-2; Enter: 2): ", "1");
	wait_for("Trang 1/5: Thông tin người yêu cầu\n");
}

/* The login approved on the phone, then the account's details. */
static void
test_plain_login(void **state)
{
	char ucode[16], *cmd, *out, want[256];
	int st;

	(void)state;
	start(NULL, NULL);
	wait_for("Cổng Dịch vụ công tỉnh Kon Tum\n");
	answer(HOME_Q, "5");
	wait_for("Đang chờ xác nhận trên điện thoại (c: hủy, n: mã mới).\n");
	assert_int_equal(transcript_find(&t, "Mã đăng nhập ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4}) — hết hạn lúc", ucode, sizeof ucode), 0);
	/* Then nothing until the state changes. */
	transcript_pump(&t, 1500);
	assert_int_equal(t.text.len, t.mark);
	transcript_note(&t, "on the phone: dvc-phone login <code> --cccd ... "
	    "--passcode ... approves");
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), ts.url, ucode, citizen.cccd,
	    citizen.passcode);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	free(cmd);
	snprintf(want, sizeof want, "Đăng nhập thành công: %s.\n",
	    citizen.name);
	wait_for(want);
	/* The account is offered first now. */
	snprintf(want, sizeof want, "5. Tài khoản: %s\n", citizen.name);
	wait_for(want);
	answer("Chọn số (1-6; Enter: 5): ", "");
	answer("Chọn số (1-5; Enter: 1): ", "1");
	snprintf(want, sizeof want, "Số CCCD: %s\n", citizen.cccd);
	wait_for(want);
	wait_for("Mức định danh: 2\n");
	answer("Chọn số (1-5; Enter: 1): ", "5");
	answer("Chọn số (1-6; Enter: 5): ", "6");
	finish("login", 0, NULL);
}

/* --ascii: every byte ASCII, Vietnamese transliterated, never "?". */
static void
test_ascii(void **state)
{
	const char *const args[] = { "--ascii", NULL };
	size_t i;

	(void)state;
	start(args, NULL);
	wait_for("Cong Dich vu cong tinh Kon Tum\n");
	wait_for("1. Dich vu cong truc tuyen\n");
	wait_for("5. Tai khoan: Nguyen Van Duc\n");
	answer("Chon so (1-6; Enter: 1): ", "5");
	/* An answer typed in Vietnamese is echoed transliterated too. */
	answer("Chon so (1-5; Enter: 1): ", "một");
	wait_for("\"mot\" khong phai mot lua chon; hay go mot so tu 1 den 5.\n");
	answer("Chon so (1-5; Enter: 1): ", "1");
	wait_for("Ho va ten: Nguyen Van Duc\n");
	wait_for("Gioi tinh: Nam\n");
	answer("Chon so (1-5; Enter: 1): ", "<");
	answer("Chon so (1-6; Enter: 5): ", "6");
	transcript_finish(&t, WAIT_MS);
	for (i = 0; i < t.text.len; i++)
		if ((unsigned char)t.text.data[i] > 127)
			fail_msg("a byte above 127 at %zu:\n%s", i,
			    buf_str(&t.text));
	/* No "?" but the key the help names: nothing left untransliterated. */
	assert_int_equal(count(buf_str(&t.text), "?"), count(buf_str(&t.text),
	    " ? de nghe tro giup") + count(buf_str(&t.text), ", ? tro giup"));
	finish("ascii", 0, NULL);
}

/* By field down to "Đăng ký khai sinh", its detail; the featured. */
static void
test_catalog(void **state)
{
	char n[8];

	(void)state;
	start(NULL, NULL);
	answer(HOME_Q, "1");
	answer("Chọn số (1-2; Enter: 1): ", "");
	wait_for("Theo lĩnh vực\n");
	wait_for("Chọn số (1-");
	/* Only the fields with a procedure under them. */
	assert_null(strstr(buf_str(&t.text), "Lao động"));
	assert_null(strstr(buf_str(&t.text), " (0)\n"));
	item("Hộ tịch \\(", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	wait_for("Hộ tịch: ");
	wait_for("Chọn số (1-");
	item("Đăng ký khai sinh — ", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	wait_for("\nĐăng ký khai sinh\n");
	wait_for("Lĩnh vực: Hộ tịch\n");
	wait_for("Phí, lệ phí: ");
	wait_for("Thành phần hồ sơ:\n");
	answer("2. Quay lại\nChọn số (1-2; Enter: 2): ", "");
	wait_for("Hộ tịch: ");
	answer("Chọn số (1-", "<");
	answer("Chọn số (1-", "<");
	answer("Chọn số (1-2; Enter: 1): ", "<");
	answer("Chọn số (1-6; Enter: 1): ", "2");
	wait_for("Dịch vụ hành chính công nổi bật\n");
	answer("Chọn số (1-", "<");
	/* By agency: 29 procedures, 15 a page. */
	answer("Chọn số (1-6; Enter: 2): ", "1");
	answer("Chọn số (1-2; Enter: 1): ", "2");
	wait_for("Theo cơ quan\n");
	wait_for("Chọn số (1-");
	assert_null(strstr(buf_str(&t.text), "Sở Tư pháp"));
	assert_null(strstr(buf_str(&t.text), " (0)\n"));
	item("Ủy ban nhân dân xã, phường, đặc khu \\(", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	wait_for(": 29 thủ tục, trang 1/2\n");
	wait_for("16. Trang sau (2/2)\n");
	answer("Chọn số (1-16; Enter: 1): ", "16");
	wait_for(": 29 thủ tục, trang 2/2\n");
	wait_for("15. Trang trước (1/2)\n");
	answer("Chọn số (1-15; Enter: 1): ", "15");
	wait_for(": 29 thủ tục, trang 1/2\n");
	answer("Chọn số (1-16; Enter: 1): ", "<");
	answer("Chọn số (1-", "<");
	answer("Chọn số (1-2; Enter: 2): ", "<");
	answer("Chọn số (1-6; Enter: 1): ", "6");
	finish("catalog", 0, NULL);
}

/* Without diacritics, help, a literal "?", a filter, Telex. */
static void
test_search(void **state)
{
	char n[8];

	(void)state;
	start(NULL, NULL);
	answer(HOME_Q, "3");
	wait_for("Tìm kiếm nâng cao\n");
	/* What the question needs comes before it. */
	wait_for("Tên thủ tục hoặc một phần của nó");
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ): ",
	    "?");
	/* Its help: its own, then only the keys that work here. */
	wait_for("Gõ câu trả lời rồi Enter.\n");
	wait_for("<: quay lại bước trước.\n");
	wait_for("\\ ở đầu dòng: gõ chính ký tự sau nó (\\<, \\?, \\-).\n");
	wait_for("/telex, /vni, /off: kiểu gõ tiếng Việt (đang dùng: tắt).\n");
	/* "\?" is the text "?", not help. */
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ): ",
	    "\\?");
	wait_for("Từ khóa: ?\n");
	item("Từ khóa: ", n, sizeof n);
	answer("Chọn số (1-", n);
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ; "
	    "Enter: ?): ", "khai sinh");
	wait_for("kết quả, trang 1/");
	wait_for("Chọn số (1-");
	item("Đăng ký khai sinh — ", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	wait_for("Mã thủ tục: ");
	answer("Chọn số (1-2; Enter: 2): ", "");
	wait_for("kết quả, trang 1/");
	wait_for("Chọn số (1-");
	item("Mức độ: Tất cả", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	answer("Mức độ: chọn số (1-3; Enter: 1): ", "2");
	wait_for("Mức độ: Toàn trình\n");
	item("Từ khóa: khai sinh", n, sizeof n);
	answer("Chọn số (1-", n);
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ; "
	    "Enter: khai sinh): ", "/telex");
	wait_for("Kiểu gõ tiếng Việt: Telex.\n");
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ; "
	    "Enter: khai sinh; gõ Telex): ", "ddawng kys khai sinh");
	wait_for("Từ khóa: đăng ký khai sinh\n");
	item("Đăng ký khai sinh — Toàn trình", n, sizeof n);
	answer("Chọn số (1-", "<");
	/* The typing is kept for the next run: off again. */
	answer("Chọn số (1-6; Enter: 3): ", "/off");
	wait_for("Kiểu gõ tiếng Việt: tắt.\n");
	answer("Chọn số (1-6; Enter: 3): ", "6");
	finish("search", 0, NULL);
}

/*
 * The typing chosen is the next run's too: /vni in one run, the keyword
 * typed in VNI in the next, then off again.
 */
static void
test_typing_kept(void **state)
{
	char n[8];

	(void)state;
	start(NULL, NULL);
	answer(HOME_Q, "/vni");
	wait_for("Kiểu gõ tiếng Việt: VNI.\n");
	answer(HOME_Q, "6");
	finish(NULL, 0, NULL);
	start(NULL, NULL);
	answer(HOME_Q, "3");
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ; gõ "
	    "VNI): ", "d9a8ng ky1 khai sinh");
	wait_for("Từ khóa: đăng ký khai sinh\n");
	item("Đăng ký khai sinh — Toàn trình", n, sizeof n);
	answer("Chọn số (1-", "<");
	answer("Chọn số (1-6; Enter: 3): ", "/off");
	wait_for("Kiểu gõ tiếng Việt: tắt.\n");
	answer("Chọn số (1-6; Enter: 3): ", "6");
	finish("typing", 0, NULL);
}

/* A short CCCD, a wrong one, the right one. */
static void
test_lookup(void **state)
{
	char want[256];

	(void)state;
	start(NULL, NULL);
	answer(HOME_Q, "4");
	answer("Mã hồ sơ (bắt buộc; như trên giấy tiếp nhận, "
	    "000.00.20.H34-261127-0001): ", code);
	answer("Số CCCD (bắt buộc; 12 chữ số): ", "0620");
	wait_for("Số CCCD gồm 12 chữ số.\n");
	answer("Số CCCD (bắt buộc; 12 chữ số; Enter: 0620): ", "001099000000");
	wait_for("Không tìm thấy hồ sơ có mã hồ sơ và số CCCD này. Hãy kiểm tra "
	    "lại cả hai.\n");
	answer("Chọn số (1-2; Enter: 1): ", "");
	answer("Mã hồ sơ (bắt buộc; như trên giấy tiếp nhận, "
	    "000.00.20.H34-261127-0001; Enter: ", "");
	answer("Số CCCD (bắt buộc; 12 chữ số; Enter: 001099000000): ",
	    citizen.cccd);
	snprintf(want, sizeof want, "Hồ sơ %s: Đã trả kết quả.\n", code);
	wait_for(want);
	wait_for("Ngày nộp: ");
	answer("Chọn số (1-2; Enter: 1): ", "2");
	answer("Chọn số (1-6; Enter: 4): ", "6");
	finish("lookup", 0, NULL);
}

/* A small PNG at path. */
static void
write_png(const char *path)
{
	uint8_t px[8 * 4 * 4];
	struct buf b;
	FILE *f;

	memset(px, 0x80, sizeof px);
	buf_init(&b, 1 << 20);
	assert_int_equal(image_encode_png(px, 8, 4, &b), STATUS_OK);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	buf_free(&b);
}

/* The account is said, fixed: the citizen's own CCCD from VNeID. */
static void
account_said(void)
{
	char want[128];

	snprintf(want, sizeof want, "Tài khoản (CCCD): CCCD theo VNeID: %s\n",
	    citizen.cccd);
	wait_for(want);
}

/* Answers the form's questions after the name with Enter, then saves. */
static void
rest_of_form(void)
{
	answer("Số điện thoại ký số (bắt buộc; số đã đăng ký ký số với nhà "
	    "cung cấp; Enter: 0987654321): ", "");
	answer("Từ khóa định vị vị trí: chọn số (1-11; Enter: 1): ", "");
	wait_for("Loại chữ ký số: NEAC Sign\n");
	account_said();
	answer("Nhà cung cấp: chọn số (1-3; Enter: 2): ", "");
	answer("Chọn số (1-2; Enter: 1): ", "");
}

/* Add (a missing image, a wrong phone), edit, delete asked first. */
static void
test_signatures(void **state)
{
	char n[8], *png, *missing, want[256];
	const char *extra[3];

	(void)state;
	png = xasprintf("%s/chu-ky.png", ts.dir);
	missing = xasprintf("%s/khong-co.png", ts.dir);
	write_png(png);
	start(NULL, NULL);
	answer(HOME_Q, "5");
	answer("Chọn số (1-5; Enter: 1): ", "2");
	wait_for("2. VNPT — VNPT SmartCA, 0912345678, NGƯỜI YÊU CẦU, có ảnh\n");
	answer("Chọn số (1-2; Enter: 1): ", "");
	answer("Ảnh chữ ký (không bắt buộc; tệp PNG hoặc JPEG, tối đa 2 MB): ",
	    missing);
	wait_for("Không có tệp này.\n");
	answer("Ảnh chữ ký (không bắt buộc; tệp PNG hoặc JPEG, tối đa 2 MB): ",
	    png);
	wait_for("Ảnh: PNG");
	answer("Tên chữ ký (bắt buộc): ", "");
	wait_for("Tên chữ ký là bắt buộc.\n");
	answer("Tên chữ ký (bắt buộc): ", "/telex");
	answer("Tên chữ ký (bắt buộc; gõ Telex): ", "Chuwx kys cuar tooi");
	/* A number too short: said at once, asked again. */
	answer("Số điện thoại ký số (bắt buộc; số đã đăng ký ký số với nhà "
	    "cung cấp): ", "0912");
	wait_for("Số di động gồm 10 chữ số bắt đầu bằng 0 (hoặc +84 và 9 chữ "
	    "số); hãy kiểm tra lại.\n");
	answer("Số điện thoại ký số (bắt buộc; số đã đăng ký ký số với nhà "
	    "cung cấp): ", "0987654321");
	wait_for("1. NGƯỜI YÊU CẦU\n");
	answer("Từ khóa định vị vị trí: chọn số (1-11; Enter: 1): ", "");
	account_said();
	wait_for("3. MISA eSign\n");
	answer("Nhà cung cấp: chọn số (1-3; Enter: 1): ", "2");
	wait_for("Lưu chữ ký \"Chữ ký của tôi\"?\n");
	answer("Chọn số (1-2; Enter: 1): ", "");
	wait_for("Đã lưu chữ ký và ảnh.\n");
	wait_for("Viettel MySign, 0987654321, NGƯỜI YÊU CẦU, có ảnh\n");
	/* Edit: a new name, the rest kept. */
	item("Chữ ký của tôi — ", n, sizeof n);
	answer("Chọn số (1-3; Enter: 1): ", n);
	answer("Chọn số (1-3; Enter: 1): ", "1");
	wait_for("Sửa chữ ký\n");
	/* The image it has, and what a save does with it. */
	wait_for("Ảnh hiện có: PNG ");
	wait_for(". Lưu lại giữ ảnh này; nhập đường dẫn để thay.\n");
	answer("Ảnh chữ ký (không bắt buộc; tệp PNG hoặc JPEG, tối đa 2 MB): ",
	    "");
	answer("Tên chữ ký (bắt buộc; Enter: Chữ ký của tôi; gõ Telex): ",
	    "Chuwx kys mowis");
	rest_of_form();
	wait_for("Đã lưu chữ ký.\n");
	wait_for("Chữ ký mới — Viettel MySign");
	/* Delete: asked first; Enter keeps it. */
	item("Chữ ký mới — ", n, sizeof n);
	answer("Chọn số (1-3; Enter: 1): ", n);
	answer("Chọn số (1-3; Enter: 1): ", "2");
	answer("Xóa chữ ký \"Chữ ký mới\"? (c: có, Enter: không): ", "");
	wait_for("Không xóa.\n");
	answer("Chọn số (1-3; Enter: 1): ", n);
	answer("Chọn số (1-3; Enter: 1): ", "2");
	answer("Xóa chữ ký \"Chữ ký mới\"? (c: có, Enter: không): ", "c");
	wait_for("Đã xóa chữ ký.\n");
	answer("Chọn số (1-2; Enter: 1): ", "<");
	answer("Chọn số (1-5; Enter: 2): ", "<");
	snprintf(want, sizeof want, "Chọn số (1-6; Enter: 5): ");
	answer(want, "/off");
	wait_for("Kiểu gõ tiếng Việt: tắt.\n");
	answer(want, "6");
	extra[0] = ts.dir;
	extra[1] = "<tmp>";
	extra[2] = NULL;
	finish("signatures", 0, extra);
	free(png);
	free(missing);
}

/*
 * A signature an earlier version stored with another citizen's account:
 * listed as unusable with why, nothing of that citizen shown; deleted.
 */
static void
test_signatures_invalid(void **state)
{
	struct test_citizen other;
	char id[64], n[8], *mine, *subject;

	(void)state;
	assert_non_null(mine = test_login(&ts, 0));
	assert_int_equal(test_demo_citizen(&ts, 1, &other), 0);
	subject = xasprintf("C=VN,CN=%s,UID=CCCD:%s", other.name, other.cccd);
	assert_int_equal(test_store_old_signature(&ts, mine, other.cccd,
	    subject, id, sizeof id), 0);
	start(NULL, NULL);
	answer(HOME_Q, "5");
	answer("Chọn số (1-5; Enter: 1): ", "2");
	wait_for("Chữ ký \"Chữ ký cũ\" không dùng được: Tài khoản ký số của "
	    "chữ ký này không phải số CCCD của bạn");
	wait_for("Chữ ký cũ — VNPT SmartCA, 0912345678, NGƯỜI YÊU CẦU (không "
	    "dùng được)\n");
	assert_null(strstr(buf_str(&t.text), other.cccd));
	assert_null(strstr(buf_str(&t.text), other.name));
	item("Chữ ký cũ — ", n, sizeof n);
	answer("Chọn số (1-3; Enter: 1): ", n);
	answer("Chọn số (1-3; Enter: 1): ", "2");
	answer("Xóa chữ ký \"Chữ ký cũ\"? (c: có, Enter: không): ", "c");
	wait_for("Đã xóa chữ ký.\n");
	answer("Chọn số (1-2; Enter: 1): ", "<");
	answer("Chọn số (1-5; Enter: 2): ", "<");
	answer("Chọn số (1-6; Enter: 5): ", "6");
	finish("signatures-invalid", 0, NULL);
	free(subject);
	free(mine);
}


/* dir/CODE.pdf is the signed declaration, dir/CODE.txt its receipt. */
static void
check_declaration(const char *dir)
{
	char *path, *cmd, *out;
	int st;

	path = xasprintf("%s/%s.pdf", dir, code);
	cmd = xasprintf("pdfsig '%s' 2>&1", path);
	out = test_run(cmd, &st);
	if (strstr(out, "Signature #1") == NULL)
		fail_msg("pdfsig %s:\n%s", path, out);
	free(out);
	free(cmd);
	free(path);
	path = xasprintf("%s/%s.txt", dir, code);
	cmd = xasprintf("cat '%s'", path);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, code));
	assert_non_null(strstr(out, "Trạng thái: Đã trả kết quả\n"));
	free(out);
	free(cmd);
	free(path);
}

/* A second dossier of citizen 0, submitted; its code into c2. */
static void
second_dossier(char c2[32])
{
	char *id, *path;
	cJSON *r = NULL;

	id = test_signed_dossier(&ts, token, 0, sig_id, phone);
	assert_non_null(id);
	path = xasprintf("/api/v1/dossiers/%s/submit", id);
	assert_int_equal(test_api(&ts, token, "POST", path, NULL, NULL, 0, &r),
	    201);
	snprintf(c2, 32, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(r,
	    "code")));
	cJSON_Delete(r);
	free(path);
	free(id);
}

/*
 * The list with its mark, the history, the result file saved, the signed
 * declaration saved with its receipt; the list asked for again on the way
 * back, the dossier chosen last offered again; another dossier received
 * by the officer while the citizen reads it, marked with its new status
 * on the list printed when they come back.
 */
static void
test_dossiers(void **state)
{
	char *dir, *saved, *body, *cmd, want[256], n[8], c2[32], key[128];
	const char *extra[3];
	int st;

	(void)state;
	second_dossier(c2);
	assert_int_equal(test_read_officer_key(&ts, key, sizeof key), 0);
	dir = xasprintf("%s/tai-ve", ts.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	start(NULL, NULL);
	answer(HOME_Q, "5");
	answer("Chọn số (1-5; Enter: 1): ", "3");
	wait_for("Hồ sơ của tôi: 1 hồ sơ có thay đổi từ lần xem trước (*)\n");
	/* By the procedure's name, the code after it. */
	wait_for(". * Đăng ký khai sinh — Đã trả kết quả, ");
	snprintf(want, sizeof want, " — mã %s\n", code);
	wait_for(want);
	item("\\* Đăng ký khai sinh — Đã trả kết quả", n, sizeof n);
	snprintf(want, sizeof want, "Chọn số (1-2; Enter: 1): ");
	answer(want, n);
	snprintf(want, sizeof want, "Hồ sơ %s: Đã trả kết quả.\n", code);
	wait_for(want);
	wait_for("Quá trình xử lý:\n");
	wait_for("Mới đăng ký — ");
	wait_for("Đã trả kết quả — ");
	wait_for("1. Lưu tệp kết quả ket-qua.pdf (1 KB)\n");
	wait_for("2. Lưu tờ khai đã ký (PDF)…\n");
	answer("Chọn số (1-3; Enter: 3): ", "1");
	answer("Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: ket-qua.pdf): ",
	    dir);
	wait_for("Đã lưu vào ");
	saved = xasprintf("%s/ket-qua.pdf", dir);
	cmd = xasprintf("cat '%s'", saved);
	body = test_run(cmd, &st);
	assert_string_equal(body, result_pdf);
	free(body);
	free(cmd);
	/* A second save never replaces the first. */
	answer("Chọn số (1-3; Enter: 3): ", "1");
	answer("Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: ket-qua.pdf): ",
	    dir);
	wait_for("Đã có tệp ");
	/* The signed declaration, its receipt beside it. */
	answer("Chọn số (1-3; Enter: 3): ", "2");
	answer("Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: thư mục hiện "
	    "tại): ", dir);
	wait_for("Đã lưu tờ khai đã ký vào ");
	wait_for("; biên nhận vào ");
	check_declaration(dir);
	answer("Chọn số (1-3; Enter: 3): ", "");
	/* Seen now: the mark is gone; Enter offers the same dossier. */
	wait_for("Hồ sơ của tôi\n");
	wait_for(". Đăng ký khai sinh — Đã trả kết quả, ");
	snprintf(want, sizeof want, "Chọn số (1-2; Enter: %s): ", n);
	wait_for(want);
	/* The other one; the officer receives it while it is read. */
	item("Đăng ký khai sinh — Mới đăng ký", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	snprintf(want, sizeof want, "Hồ sơ %s: Mới đăng ký.\n", c2);
	wait_for(want);
	wait_for("Rút hồ sơ\n");
	assert_int_equal(test_officer(&ts, key, c2, "receive", NULL), 200);
	answer("Chọn số (1-3; Enter: 3): ", "");
	wait_for("Hồ sơ của tôi: 1 hồ sơ có thay đổi từ lần xem trước (*)\n");
	wait_for("1. * Đăng ký khai sinh — Được tiếp nhận, ");
	snprintf(want, sizeof want, " — mã %s\n", c2);
	wait_for(want);
	answer("Chọn số (1-2; Enter: 1): ", "<");
	answer("Chọn số (1-5; Enter: 3): ", "<");
	answer("Chọn số (1-6; Enter: 5): ", "6");
	extra[0] = ts.dir;
	extra[1] = "<tmp>";
	extra[2] = NULL;
	finish("dossiers", 0, extra);
	free(saved);
	free(dir);
}

/*
 * plain_signing() in a child on pipes, as the wizard will call it; its
 * result as the exit status and a last line.
 */
static void
start_signing(const char *id, int change_after_review)
{
	struct plain_options o;
	struct plain *p;
	char err[256], etag[80], *dcode = NULL, *tok;
	int rc;
	pid_t pid;

	/* The declaration as the wizard's review shows it, and its ETag. */
	tok = test_login(&ts, 0);
	assert_non_null(tok);
	assert_int_equal(test_declaration(&ts, tok, id, NULL, etag,
	    sizeof etag), 200);
	if (change_after_review) {
		/* Changed elsewhere after the review: another name. */
		char *path = xasprintf("/api/v1/dossiers/%s", id);
		const char *patch = "{\"data\":{\"ks_ho_ten\":\"Nguyễn Ngọc "
		    "Bích\"}}";

		assert_int_equal(test_api(&ts, tok, "PATCH", path,
		    "application/json", patch, strlen(patch), NULL), 200);
		free(path);
	}
	free(tok);
	pid = transcript_fork(&t);
	assert_int_not_equal(pid, -1);
	if (pid == 0) {
		memset(&o, 0, sizeof o);
		o.portal = ts.url;
		o.lang = LANG_VI;
		p = plain_new(&o, err, sizeof err);
		if (p == NULL)
			_exit(100);
		rc = plain_signing(p, id, sig_id, etag, 0, &dcode);
		plain_say(p, "# plain_signing() returned %s%s%s", rc ==
		    PLAIN_OK ? "PLAIN_OK, code " : rc == PLAIN_OTHER ?
		    "PLAIN_OTHER" : rc == PLAIN_BACK ? "PLAIN_BACK" :
		    "PLAIN_QUIT", dcode != NULL ? dcode : "", "");
		plain_free(&p);
		free(dcode);
		_exit(rc);
	}
	running = 1;
}

/* A complete draft of citizen 0 (a token of its own: they live 5 s). */
static char *
draft(void)
{
	char *tok = test_login(&ts, 0), *id;

	assert_non_null(tok);
	id = test_complete_draft(&ts, tok, 0);
	free(tok);
	return id;
}

/*
 * "Nộp hồ sơ" in lines: the identity's data said, not asked ("theo
 * VNeID"), each other field one question with its rule, a wrong phone
 * said and asked again, a province outside Quảng Ngãi taken from the one
 * match its filter leaves, and said, the ward from the numbered list of
 * those its filter leaves, the street in Telex, a file by its path, the
 * review, the signature, the wait and the receipt.
 */
static void
test_wizard(void **state)
{
	const char *extra[] = { ts.dir, "<dir>", NULL };
	char n[8], rid[64], cc[5], *pdf, *missing;
	FILE *fp;

	(void)state;
	pdf = xasprintf("%s/giay-to.pdf", ts.dir);
	missing = xasprintf("%s/khong-co.pdf", ts.dir);
	fp = fopen(pdf, "w");
	assert_non_null(fp);
	fputs(result_pdf, fp);
	fclose(fp);
	start(NULL, NULL);
	to_wizard();
	wait_for("Họ, chữ đệm, tên: Nguyễn Văn Đức (theo VNeID)\n");
	wait_for("Ngày, tháng, năm sinh: 12/03/1985 (theo VNeID)\n");
	wait_for("Giới tính: Nam (theo VNeID)\n");
	wait_for("Số định danh cá nhân (CCCD): ");
	answer("Số điện thoại (bắt buộc; di động, 10 chữ số", "12345");
	wait_for("Số di động");
	answer("Số điện thoại (bắt buộc; di động, 10 chữ số", "0912 345 678");
	/* Outside Quảng Ngãi: only that province's wards are fetched. */
	answer("Nơi cư trú — Tỉnh, thành phố (bắt buộc; gõ vài chữ",
	    "ho chi minh");
	wait_for("Nơi cư trú — Tỉnh, thành phố: thành phố Hồ Chí Minh (mục duy "
	    "nhất khớp).\n");
	/* Several match: a numbered list of those, naming the field. */
	answer("Nơi cư trú — Phường, xã, đặc khu (bắt buộc; gõ vài chữ",
	    "an hoi");
	wait_for("3 mục khớp \"an hoi\":\n");
	wait_for("Phường An Hội Tây\n");
	item("Phường An Hội Tây", n, sizeof n);
	answer("Nơi cư trú — Phường, xã, đặc khu: chọn số (1", n);
	answer("Nơi cư trú — Số nhà, đường, thôn, tổ (", "/telex");
	answer("gõ Telex): ", "12 Hai Baf Truwng");
	answer("Thư điện tử (", "");
	wait_for("Trang 2/5: Nội dung đề nghị\n");
	answer("Nội dung đề nghị (", "Chuyeenr ddi nowi khacs");
	answer("Ghi chú (", "");
	wait_for("Trang 3/5: Thành phần hồ sơ\n");
	/* A file that is not there: why, in Vietnamese, and asked again. */
	answer("Giấy tờ chứng minh", missing);
	wait_for("Không mở được tệp: không có tệp hoặc thư mục này.\n");
	answer("Giấy tờ chứng minh", pdf);
	wait_for("Đã đính kèm giay-to.pdf");
	wait_for("Trang 4/5: Xem lại tờ khai\n");
	wait_for("Hồ sơ đã đủ.\n");
	wait_for("Kính gửi: Công an phường An Hội Tây, thành phố Hồ Chí "
	    "Minh\n");
	wait_for("Nguyễn Văn Đức");
	wait_for("Chuyển đi nơi khác");
	answer("Chọn số (1-4; Enter: 1): ", "");
	wait_for("Trang 5/5: Ký số và nộp hồ sơ\n");
	answer("Chọn số (1-", "1");
	wait_for("Đang chờ xác nhận trên điện thoại; kiểm tra mã kiểm tra "
	    "khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, cc,
	    10), 0);
	transcript_note(&t, "on the phone: the same control code; confirmed "
	    "with the PIN");
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	wait_for("Đã ký số thành công.\n");
	answer("Chọn số (1-2; Enter: 1): ", "");
	wait_for("Đã nộp hồ sơ thành công.\n");
	wait_for("Mã hồ sơ: ");
	wait_for("Ghi lại mã hồ sơ để tra cứu.\n");
	/* Nothing saved: Enter is "Xong". */
	wait_for("1. Lưu tờ khai đã ký (PDF)…\n2. Xong\n");
	answer("Chọn số (1-2; Enter: 2): ", "");
	/* Back where it started: the search's results, then home. */
	answer("Chọn số (1-5; Enter: 1): ", "<");
	answer("Chọn số (1-6; Enter: 3): ", "/off");
	wait_for("Kiểu gõ tiếng Việt: tắt.\n");
	answer("Chọn số (1-6; Enter: 3): ", "6");
	finish("wizard", 0, extra);
	free(pdf);
	free(missing);
}

/*
 * The input closed in the middle of the form: the next run goes on at
 * the question where it was, with what was answered; an address of
 * before 1/7/2025 typed gives its new ward; the draft is then deleted
 * from the review, after a question.
 */
static void
test_wizard_resume(void **state)
{
	(void)state;
	start(NULL, NULL);
	to_wizard();
	answer("Số điện thoại (", "0912345678");
	wait_for("Tỉnh, thành phố (bắt buộc; gõ vài chữ");
	transcript_close(&t);
	finish(NULL, 0, NULL);

	start(NULL, NULL);
	wait_for("Tiếp tục hồ sơ đang soạn: Xóa đăng ký thường trú.\n");
	wait_for("Trang 1/5: Thông tin người yêu cầu\n");
	/* At the province, the phone kept (the form is whole at the end). */
	/* An address of before: the new ward it became, both set. */
	answer("Tỉnh, thành phố (bắt buộc; gõ vài chữ", "Phuong 12, Quan Go "
	    "Vap, TP Ho Chi Minh");
	wait_for("Tỉnh, thành phố: Phường An Hội Tây, Thành phố Hồ Chí Minh "
	    "(trước đây: Phường 12, Quận Gò Vấp, Thành phố Hồ Chí Minh) (mục "
	    "duy nhất khớp).\n");
	answer("Phường, xã, đặc khu (bắt buộc; gõ vài chữ của tên, không cần "
	    "dấu, hoặc địa chỉ trước 1/7/2025; *: cả 168 mục; Enter: giữ Phường "
	    "An Hội Tây): ", "");
	answer("Số nhà, đường, thôn, tổ", "1 Le Loi");
	answer("Thư điện tử (", "");
	answer("Nội dung đề nghị (", "x");
	wait_for("Cần ít nhất 5 ký tự.\n");
	answer("Nội dung đề nghị (bắt buộc; từ 5 đến 2000 ký tự): ",
	    "Chuyen di");
	answer("Ghi chú (", "");
	answer("(không bắt buộc; đường dẫn tệp; Enter: bỏ qua): ", "");
	wait_for("Hồ sơ đã đủ.\n");
	answer("Chọn số (1-4; Enter: 1): ", "3");
	answer("Xóa bản nháp này? (c: có, Enter: không): ", "c");
	wait_for("Đã xóa bản nháp.\n");
	answer(HOME_Q, "6");
	finish("wizard-resume", 0, NULL);
}

/* From home: "Đăng ký khai sinh" found, "Nộp hồ sơ trực tuyến". */
static void
to_khai_sinh(void)
{
	char n[8];

	answer(HOME_Q, "3");
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; - để bỏ): ",
	    "dang ky khai sinh");
	wait_for("kết quả, trang 1/");
	wait_for("Chọn số (1-");
	item("Đăng ký khai sinh — ", n, sizeof n);
	assert_int_equal(transcript_send(&t, n), 0);
	wait_for("Mã thủ tục: ");
	answer("Chọn số (1-2; Enter: 2): ", "1");
	wait_for("Trang 1/7: Thông tin người yêu cầu\n");
}

/*
 * Quảng Ngãi chosen after the filter "quang ngai", and its ward after
 * "cam thanh".
 */
static void
ward_cam_thanh(void)
{
	answer("Tỉnh, thành phố (", "quang ngai");
	wait_for("Tỉnh, thành phố: tỉnh Quảng Ngãi (mục duy nhất khớp).\n");
	answer("Phường, xã, đặc khu (", "cam thanh");
	wait_for("Phường, xã, đặc khu: Phường Cẩm Thành (mục duy nhất "
	    "khớp).\n");
}

/*
 * Khai sinh as a father fills it in: his own data fixed, his name and
 * year on the father's page too; the mother's "Năm sinh" is a year
 * (its rule says so; two digits are refused, 1992 is taken) and the
 * declaration says "năm sinh: 1992"; the draft is kept for later.
 */
static void
test_forms(void **state)
{
	(void)state;
	start(NULL, NULL);
	to_khai_sinh();
	answer("Số điện thoại (", "0912345678");
	ward_cam_thanh();
	answer("Số nhà, đường, thôn, tổ", "12 Le Loi");
	answer("Thư điện tử (", "");
	answer("chọn số (1-5): ", "1");
	wait_for("Trang 2/7: Người được khai sinh\n");
	answer("Họ, chữ đệm, tên (", "Nguyễn Minh Khang");
	answer("Ngày, tháng, năm sinh (", "18/11/2026");
	answer("chọn số (1-2): ", "1");
	answer("Dân tộc (", "Kinh");
	answer("Quốc tịch (", "Việt Nam");
	answer("Nơi sinh (", "Bệnh viện Đa khoa tỉnh Kon Tum");
	answer("Quê quán (", "");
	wait_for("Trang 3/7: Thông tin người mẹ\n");
	answer("Họ, chữ đệm, tên người mẹ (", "Trần Thị Thu Hằng");
	answer("Năm sinh (bắt buộc; năm, 4 chữ số, ví dụ 1992): ", "92");
	wait_for("Năm gồm 4 chữ số, ví dụ 1992.\n");
	answer("Năm sinh (bắt buộc; năm, 4 chữ số, ví dụ 1992", "1992");
	answer("Dân tộc (", "Kinh");
	answer("Quốc tịch (", "Việt Nam");
	answer("Số định danh cá nhân (CCCD) (", "");
	ward_cam_thanh();
	answer("Số nhà, đường, thôn, tổ", "12 Le Loi");
	wait_for("Trang 4/7: Thông tin người cha\n");
	/* The applicant is the father: his name, year and CCCD are fixed. */
	wait_for("Họ, chữ đệm, tên người cha: Nguyễn Văn Đức (theo VNeID)\n");
	wait_for("Năm sinh: 1985 (theo VNeID)\n");
	answer("Dân tộc (", "");
	answer("Quốc tịch (", "");
	wait_for("Số định danh cá nhân (CCCD): ");
	ward_cam_thanh();
	answer("Số nhà, đường, thôn, tổ", "12 Le Loi");
	wait_for("Trang 5/7: Thành phần hồ sơ\n");
	answer("Giấy chứng sinh", "");
	answer("Thẻ căn cước", "");
	answer("Văn bản ủy quyền", "");
	wait_for("Trang 6/7: Xem lại tờ khai\n");
	wait_for("Trần Thị Thu Hằng; năm sinh: 1992;");
	/* Kept: "Lưu và quay lại". */
	answer("Chọn số (1-4; Enter: ", "4");
	answer("Chọn số (1-", "<");
	answer("Chọn số (1-6; Enter: 3): ", "6");
	finish("forms", 0, NULL);
}

/* The text with every path under the test's folder taken out. */
static char *
without_paths(const char *text)
{
	struct buf b;
	const char *p = text, *at;
	char *r;

	buf_init(&b, 1 << 24);
	while ((at = strstr(p, ts.dir)) != NULL) {
		buf_add(&b, p, (size_t)(at - p));
		buf_addstr(&b, "<path>");
		p = at + strcspn(at, " \n");
	}
	buf_addstr(&b, p);
	r = buf_detach(&b, NULL);
	return r != NULL ? r : xstrdup("");
}

/* Fails when the extended regex re matches anywhere in text. */
static void
never(const char *text, const char *re, const char *what)
{
	regex_t rx;
	regmatch_t m;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED), 0);
	if (regexec(&rx, text, 1, &m, 0) == 0) {
		fprintf(stderr, "%s\n", text);
		fail_msg("--speech wrote %s as \"%.*s\" (the output above), "
		    "after \"%.60s\"", what, (int)(m.rm_eo - m.rm_so), text +
		    m.rm_so, text + (m.rm_so > 60 ? m.rm_so - 60 : 0));
	}
	regfree(&rx);
}

/*
 * What --speech may not write, over the whole output: a time, a date or
 * a range in figures, a control code, a login code or a document id not
 * spelled, a code with dots and dashes, five digits or more at once,
 * "…", an arrow, box drawing or a block.
 */
static void
speech_checked(const char *all)
{
	char *text = without_paths(all);

	never(text, "[0-9]:[0-9]{2}", "a time");
	never(text, "[0-9]/[0-9]{1,2}/[0-9]{4}", "a date");
	never(text, "[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date");
	never(text, "[0-9] ?(-|–) ?[0-9]", "a range");
	never(text, "[Mm]ã kiểm tra [0-9]{2}", "a control code");
	never(text, "[A-Z0-9]{4}-[A-Z0-9]{4}", "a login code or document id");
	never(text, "[0-9A-Z]\\.[0-9A-Z]+[.-][0-9A-Z]", "a code");
	never(text, "[0-9]{5}", "a long number");
	never(text, "[0-9]\\*|\\*[0-9]|\\*\\*", "a masked number");
	never(text, "…|→|↓|─|│|┌|┐|└|┘|▀|▄|█", "a glyph");
	free(text);
}

/*
 * --speech through a whole flow: a search, the wizard, the signing, the
 * receipt and its signed declaration saved, "Hồ sơ của tôi" with a
 * dossier's history; everything written checked by speech_checked.
 */
static void
test_speech(void **state)
{
	const char *const args[] = { "--speech", NULL };
	const char *extra[] = { ts.dir, "<dir>", NULL };
	char n[8], rid[64], cc[5], *pdf, *dir;
	FILE *fp;

	(void)state;
	pdf = xasprintf("%s/giay-to.pdf", ts.dir);
	fp = fopen(pdf, "w");
	assert_non_null(fp);
	fputs(result_pdf, fp);
	fclose(fp);
	dir = xasprintf("%s/noi-luu", ts.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	start(args, NULL);
	answer("Chọn số (từ 1 đến 6; Enter: 1): ", "3");
	answer("Từ khóa (không bắt buộc; có dấu hoặc không dấu; dấu trừ để "
	    "bỏ): ", "xoa dang ky thuong tru");
	wait_for("Xóa đăng ký thường trú, Toàn trình\n");
	item("Xóa đăng ký thường trú, ", n, sizeof n);
	answer("Chọn số (từ 1 đến ", n);
	wait_for("Mã thủ tục: 1, 0 0 3 1 9 7, 0 0 0, 0 0, 0 0, H 3 4");
	answer("Chọn số (từ 1 đến 2; Enter: 2): ", "1");
	/* The identity's data said, in words, not asked. */
	wait_for("Họ, chữ đệm, tên: Nguyễn Văn Đức (theo VNeID)\n");
	wait_for("Ngày, tháng, năm sinh: ngày 12 tháng 3 năm 1985 (theo "
	    "VNeID)\n");
	wait_for("Số định danh cá nhân (CCCD): ");
	/* The phone given before, offered, its digits said one by one. */
	answer("Số điện thoại (bắt buộc; di động, 10 chữ số; Enter: 0 9 1 2 3 "
	    "4 5 6 7 8): ", "0912345678");
	answer("Tỉnh, thành phố (bắt buộc; gõ vài chữ", "quang ngai");
	answer("Phường, xã, đặc khu (bắt buộc; gõ vài chữ", "cam thanh");
	answer("Số nhà, đường, thôn, tổ (", "12 Hai Ba Trung");
	answer("Thư điện tử (", "");
	answer("Nội dung đề nghị (", "Chuyen di noi khac");
	answer("Ghi chú (", "");
	answer("Giấy tờ chứng minh", pdf);
	wait_for("Hồ sơ đã đủ.\n");
	answer("Chọn số (từ 1 đến 4; Enter: 1): ", "");
	answer("Chọn số (từ 1 đến ", "1");
	wait_for("kiểm tra mã kiểm tra khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, cc,
	    10), 0);
	transcript_note(&t, "on the phone: the same control code; confirmed "
	    "with the PIN");
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	wait_for("Đã ký số thành công.\n");
	answer("Chọn số (từ 1 đến 2; Enter: 1): ", "");
	wait_for("Ghi lại mã hồ sơ để tra cứu.\n");
	answer("Chọn số (từ 1 đến 2; Enter: 2): ", "1");
	answer("Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: thư mục hiện "
	    "tại): ", dir);
	wait_for("; biên nhận vào ");
	answer("Chọn số (từ 1 đến 2; Enter: 2): ", "");
	answer("Chọn số (từ 1 đến 5; Enter: 1): ", "<");
	answer("Chọn số (từ 1 đến 6; Enter: 3): ", "5");
	answer("Chọn số (từ 1 đến 5; Enter: 1): ", "3");
	wait_for("1. Xóa đăng ký thường trú, Mới đăng ký, ngày ");
	answer("Chọn số (từ 1 đến ", "1");
	wait_for("Quá trình xử lý:\n");
	wait_for("Mới đăng ký, ngày ");
	answer("Chọn số (từ 1 đến 3; Enter: 3): ", "");
	answer("Chọn số (từ 1 đến ", "<");
	answer("Chọn số (từ 1 đến 5; Enter: 3): ", "<");
	answer("Chọn số (từ 1 đến 6; Enter: 5): ", "6");
	wait_for("Tạm biệt.\n");
	speech_checked(buf_str(&t.text));
	finish("speech", 0, extra);
	free(dir);
	free(pdf);
}

/*
 * The line mode lists the documents of request rid as the phone does:
 * "N tài liệu" and a numbered line for each, its id and title.
 */
static void
same_documents(const char *rid)
{
	const cJSON *docs, *d;
	char want[512], id[16];
	cJSON *r;
	int n, i = 0;

	assert_non_null(r = test_phone_request(phone, rid));
	docs = cJSON_GetObjectItem(r, "documents");
	n = cJSON_GetArraySize(docs);
	assert_true(n >= 2);
	snprintf(want, sizeof want, " — %d tài liệu, hết hạn lúc ", n);
	assert_non_null(strstr(buf_str(&t.text), want));
	cJSON_ArrayForEach(d, docs) {
		signproto_code_display(cJSON_GetStringValue(
		    cJSON_GetObjectItem(d, "doc_id")), id);
		snprintf(want, sizeof want, "\n  %d. %s  %s\n", ++i, id,
		    cJSON_GetStringValue(cJSON_GetObjectItem(d, "doc_name")));
		if (strstr(buf_str(&t.text), want) == NULL)
			fail_msg("no \"%s\" in: %s", want, buf_str(&t.text));
	}
	cJSON_Delete(r);
}

/*
 * The signed declaration saved from the receipt into a folder: CODE.pdf,
 * signed once (pdfsig), and the receipt beside it, CODE.txt.
 */
static void
saved_beside(const char *dir)
{
	char dcode[64], *cmd, *out;
	int st;

	if (transcript_find(&t, "Mã hồ sơ: ([0-9.A-Z-]+)", dcode,
	    sizeof dcode) != 0)
		fail_msg("no code in:\n%s", buf_str(&t.text));
	cmd = xasprintf("pdfsig '%s/%s.pdf' 2>&1 | grep -c 'Signature #1'",
	    dir, dcode);
	out = test_run(cmd, &st);
	assert_int_equal(strtol(out, NULL, 10), 1);
	free(out);
	free(cmd);
	cmd = xasprintf("grep -c 'Mã hồ sơ: %s' '%s/%s.txt'", dcode, dir,
	    dcode);
	out = test_run(cmd, &st);
	assert_int_equal(strtol(out, NULL, 10), 1);
	free(out);
	free(cmd);
}

/*
 * Khai sinh is done within the working day: its receipt's appointment,
 * whenever it was submitted, is a working day's closing, 17:00, never a
 * time the desk is closed (docs/lifecycle.md).
 */
static void
due_at_closing(const char *text)
{
	const char *label = "Ngày hẹn trả kết quả: ", *p;
	struct holidays *h;
	char err[200], *end;
	long d, m, y;

	p = strstr(text, label);
	assert_non_null(p);
	p += strlen(label);
	d = strtol(p, &end, 10);
	assert_true(*end == '/');
	m = strtol(end + 1, &end, 10);
	assert_true(*end == '/');
	y = strtol(end + 1, &end, 10);
	assert_int_equal(strncmp(end, " 17:00\n", 7), 0);
	h = holidays_load(test_source_path("data/holidays.txt"), err,
	    sizeof err);
	assert_non_null(h);
	assert_true(clock_is_working_day(h, (int)y, (int)m, (int)d));
	holidays_free(&h);
}

/*
 * Confirmed on the phone, then submitted: the receipt, and the signed
 * declaration saved into a folder with the receipt beside it, once: a
 * second save replaces nothing.
 */
static void
test_signing(void **state)
{
	const char *extra[3];
	char rid[64], cc[5], want[256], *id, *dir;

	(void)state;
	id = draft();
	assert_non_null(id);
	start_signing(id, 0);
	wait_for("Ký số hồ sơ\n");
	wait_for("Đang chờ xác nhận trên điện thoại; kiểm tra mã kiểm tra "
	    "khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, cc,
	    10), 0);
	/* The code first on its line, the same as on the phone... */
	snprintf(want, sizeof want, "\nMã kiểm tra %s — ", cc);
	assert_non_null(strstr(buf_str(&t.text), want));
	/* ...and the same documents, counted, each by id and title. */
	same_documents(rid);
	transcript_pump(&t, 1000);
	assert_int_equal(t.text.len, t.mark);	/* nothing while waiting */
	transcript_note(&t, "on the phone: the same control code; confirmed "
	    "with the PIN");
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	wait_for("Đã ký số thành công.\n");
	wait_for("1. Nộp hồ sơ\n2. Quay lại\n");
	answer("Chọn số (1-2; Enter: 1): ", "");
	wait_for("Đã nộp hồ sơ thành công.\n");
	wait_for("Mã hồ sơ: ");
	wait_for("Ghi lại mã hồ sơ để tra cứu.\n");
	due_at_closing(buf_str(&t.text));
	dir = xasprintf("%s/da-nop", ts.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	answer("Chọn số (1-2; Enter: 2): ", "1");
	answer("Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: thư mục hiện "
	    "tại): ", dir);
	wait_for("Đã lưu tờ khai đã ký vào ");
	wait_for("; biên nhận vào ");
	saved_beside(dir);
	/* Back from the save, a heading says where it is. */
	wait_for("Biên nhận hồ sơ ");
	answer("Chọn số (1-2; Enter: 2): ", "1");
	answer("Lưu vào (bắt buộc; đường dẫn hoặc thư mục; Enter: thư mục hiện "
	    "tại): ", dir);
	wait_for("Đã có tệp ");
	answer("Chọn số (1-2; Enter: 2): ", "");
	wait_for("# plain_signing() returned PLAIN_OK, code ");
	extra[0] = ts.dir;
	extra[1] = "<tmp>";
	extra[2] = NULL;
	finish("signing", PLAIN_OK, extra);
	free(dir);
	free(id);
}

/* Cancelled from the line mode, after its question. */
static void
test_signing_cancel(void **state)
{
	char rid[64], cc[5], *id;

	(void)state;
	id = draft();
	assert_non_null(id);
	start_signing(id, 0);
	wait_for("khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, cc,
	    10), 0);
	/* Enter says the code and the state again. */
	assert_int_equal(transcript_send(&t, ""), 0);
	wait_for("khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(transcript_send(&t, "c"), 0);
	answer("Hủy giao dịch ký số? (c: có, Enter: không): ", "");
	wait_for("Vẫn chờ xác nhận trên điện thoại.\n");
	assert_int_equal(transcript_send(&t, "c"), 0);
	answer("Hủy giao dịch ký số? (c: có, Enter: không): ", "c");
	wait_for("Đã hủy giao dịch ký.\n");
	wait_for("1. Ký lại\n2. Chọn chữ ký khác\n3. Quay lại\n");
	answer("Chọn số (1-3; Enter: 1): ", "2");
	wait_for("# plain_signing() returned PLAIN_OTHER");
	finish("signing-cancel", PLAIN_OTHER, NULL);
	free(id);
}

/*
 * The draft changed after the review: the portal refuses the start, the
 * line mode says why and offers only the way back to the review.
 */
static void
test_signing_changed(void **state)
{
	char *id;

	(void)state;
	id = draft();
	assert_non_null(id);
	start_signing(id, 1);
	wait_for("Tờ khai đã thay đổi từ khi bạn xem lại");
	wait_for("1. Quay lại\n");
	answer("Chọn số (1; Enter: 1): ", "");
	wait_for("# plain_signing() returned PLAIN_BACK");
	finish("signing-changed", PLAIN_BACK, NULL);
	free(id);
}

/* Renders the QR rows of the text as a PGM, light glyphs as white. */
static void
write_qr_pgm(const char *text, const char *path)
{
	const char *p = text, *nl, *c;
	int rows = 0, cols = 0, w, y, x, s = 4, top, bot;
	unsigned char *px;
	FILE *f;

	px = xcalloc(400 * 400, 1);
	for (; *p != '\0' && rows < 200; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if ((size_t)(nl - p) < 40 || strspn(p, " ") == (size_t)(nl - p) ||
		    (strstr(p, "█") == NULL || strstr(p, "█") > nl))
			continue;
		for (w = 0, c = p; c < nl && w < 200; w++) {
			if (*c == ' ') {
				top = bot = 0;
				c++;
			} else {
				top = strncmp(c, "▀", 3) == 0 ||
				    strncmp(c, "█", 3) == 0;
				bot = strncmp(c, "▄", 3) == 0 ||
				    strncmp(c, "█", 3) == 0;
				c += 3;
			}
			px[(rows * 2) * 400 + w] = top ? 255 : 0;
			px[(rows * 2 + 1) * 400 + w] = bot ? 255 : 0;
		}
		if (w > cols)
			cols = w;
		rows++;
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "P5\n%d %d\n255\n", cols * s, rows * 2 * s);
	for (y = 0; y < rows * 2 * s; y++)
		for (x = 0; x < cols * s; x++)
			fputc(px[(y / s) * 400 + x / s], f);
	fclose(f);
	free(px);
}

/* --qr: the QR code as text scans; the login cancelled; then EOF. */
static void
test_qr(void **state)
{
	char ucode[16], home[PATH_MAX + 32], *env[2], *pgm, *cmd, *out;
	char want[256];
	const char *const args[] = { "--qr", NULL };
	int st;

	(void)state;
	snprintf(home, sizeof home, "XDG_DATA_HOME=%s/qr-home", ts.dir);
	env[0] = home;
	env[1] = NULL;
	start(args, (const char *const *)env);
	answer(HOME_Q, "5");
	wait_for("(hoặc quét mã QR bằng ứng dụng VNeID)");
	wait_for("(c: hủy, n: mã mới).\n");
	assert_int_equal(transcript_find(&t, "Mã đăng nhập ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4})", ucode, sizeof ucode), 0);
	pgm = xasprintf("%s/qr.pgm", ts.dir);
	write_qr_pgm(buf_str(&t.text), pgm);
	cmd = xasprintf("zbarimg --raw -q '%s'", pgm);
	out = test_run(cmd, &st);
	snprintf(want, sizeof want, "%s/d/%.4s%.4s\n", ts.url, ucode,
	    ucode + 5);
	if (st != 0 || strcmp(out, want) != 0)
		fail_msg("zbarimg read \"%s\" (status %d), not \"%s\"", out, st,
		    want);
	free(out);
	free(cmd);
	free(pgm);
	/* "c", then a question first. */
	assert_int_equal(transcript_send(&t, "c"), 0);
	answer("Hủy đăng nhập? (c: có, Enter: không): ", "c");
	wait_for("Đã hủy đăng nhập.\n");
	/* The same home as before: one short line for it. */
	wait_for("Trang chủ: 1–6, ? trợ giúp\n");
	wait_for("Chọn số (1-6; Enter: 5): ");
	/* The end of input: a clean exit. */
	transcript_close(&t);
	finish("qr", 0, NULL);
}

/* The input closed mid-way, at a menu and inside a question. */
static void
test_eof(void **state)
{
	(void)state;
	start(NULL, NULL);
	answer(HOME_Q, "1");
	wait_for("Chọn số (1-2; Enter: 1): ");
	transcript_close(&t);
	finish(NULL, 0, NULL);
	start(NULL, NULL);
	answer(HOME_Q, "4");
	wait_for("Mã hồ sơ (");
	/* A last line with no newline is an answer too. */
	assert_int_equal(write(t.in, "000.00.20", 9), 9);
	transcript_close(&t);
	finish("eof", 0, NULL);
}

/* "Đăng xuất": the account gone from the menus, the login back. */
static void
test_logout(void **state)
{
	(void)state;
	start(NULL, NULL);
	answer(HOME_Q, "5");
	wait_for("4. Đăng xuất\n");
	answer("Chọn số (1-5; Enter: 1): ", "4");
	wait_for("Đã đăng xuất.\n");
	/* Nothing of the account's is offered any more: home again. */
	wait_for("5. Đăng nhập\n");
	answer("Chọn số (1-6; Enter: 5): ", "6");
	finish("logout", 0, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_plain_login, stop),
		cmocka_unit_test_teardown(test_ascii, stop),
		cmocka_unit_test_teardown(test_catalog, stop),
		cmocka_unit_test_teardown(test_search, stop),
		cmocka_unit_test_teardown(test_typing_kept, stop),
		cmocka_unit_test_teardown(test_lookup, stop),
		cmocka_unit_test_teardown(test_signatures, stop),
		cmocka_unit_test_teardown(test_signatures_invalid, stop),
		cmocka_unit_test_teardown(test_dossiers, stop),
		cmocka_unit_test_teardown(test_signing, stop),
		cmocka_unit_test_teardown(test_signing_cancel, stop),
		cmocka_unit_test_teardown(test_signing_changed, stop),
		cmocka_unit_test_teardown(test_wizard, stop),
		cmocka_unit_test_teardown(test_wizard_resume, stop),
		cmocka_unit_test_teardown(test_forms, stop),
		cmocka_unit_test_teardown(test_speech, stop),
		cmocka_unit_test_teardown(test_qr, stop),
		cmocka_unit_test_teardown(test_eof, stop),
		cmocka_unit_test_teardown(test_logout, stop),
	};
	return cmocka_run_group_tests_name("plain", tests, setup, teardown);
}
