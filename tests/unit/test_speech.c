/*
 * The line mode's words for a speech synthesiser (client/speech.h): each
 * rule on the lines the line mode writes, what it must leave alone
 * (money, years in words, web addresses, paths, words), and English.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/speech.h"

static void
said(const char *in, const char *want, enum lang lang)
{
	char *got = speech_text(in, lang);

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" read \"%s\", not \"%s\"", in, got, want);
	free(got);
}

#define VI(in, want)	said(in, want, LANG_VI)
#define EN(in, want)	said(in, want, LANG_EN)

static void
test_dates_and_times(void **state)
{
	(void)state;
	VI("Ngày nộp: 07/12/2026 14:50", "Ngày nộp: ngày 7 tháng 12 năm 2026 "
	    "lúc 14 giờ 50");
	VI("Ngày hẹn trả: 9/1/2027.", "Ngày hẹn trả: ngày 9 tháng 1 năm 2027.");
	VI("hết hạn lúc 10:05.", "hết hạn lúc 10 giờ 5.");
	VI("hết hạn lúc 9:00.", "hết hạn lúc 9 giờ.");
	VI("2026-12-07", "ngày 7 tháng 12 năm 2026");
	VI("Kon Tum, ngày 07 tháng 05 năm 2026",
	    "Kon Tum, ngày 7 tháng 5 năm 2026");
	VI("Ngày sinh (dd/mm/yyyy; Enter: 01/02/1990): ", "Ngày sinh (ngày gạch "
	    "chéo tháng gạch chéo năm; Enter: ngày 1 tháng 2 năm 1990): ");
	/* Not a date or a time. */
	VI("32/13/2026", "32/13/2026");
	VI("25:70", "25:70");
	VI("1/2", "1/2");
	EN("Submitted: 07/12/2026 14:50", "Submitted: 7 December 2026 at "
	    "14:50");
}

static void
test_ranges(void **state)
{
	(void)state;
	VI("Chọn số (1-6; Enter: 1): ", "Chọn số (từ 1 đến 6; Enter: 1): ");
	VI("Chọn số (1-34)", "Chọn số (từ 1 đến 34)");
	EN("Number (1-6; Enter: 1): ", "Number (1 to 6; Enter: 1): ");
	/* Falling, zero-led or chained: not a range. */
	VI("6-1", "6-1");
	VI("0912-345-678", "0 9 1 2, 3 4 5, 6 7 8");
	VI("01-06", "01-06");
}

static void
test_codes(void **state)
{
	(void)state;
	VI("Mã kiểm tra 4821 — 3 tài liệu, hết hạn lúc 14:50, VNPT SmartCA:",
	    "Mã kiểm tra 4 8 2 1, 3 tài liệu, hết hạn lúc 14 giờ 50, VNPT "
	    "SmartCA:");
	VI("Mã đăng nhập WDJB-MJHT — hết hạn lúc 10:35.", "Mã đăng nhập "
	    "W D J B, M J H T, hết hạn lúc 10 giờ 35.");
	VI("  1. K7M2-P9QX  Tờ khai", "  1. K 7 M 2, P 9 Q X  Tờ khai");
	VI("Hồ sơ 000.00.20.H34-261127-0001: Đã trả kết quả.", "Hồ sơ "
	    "0 0 0, 0 0, 2 0, H 3 4, 2 6 1 1 2 7, 0 0 0 1: Đã trả kết quả.");
	VI("Mã thủ tục: 1.003197.000.00.00.H34 (1.003197)", "Mã thủ tục: "
	    "1, 0 0 3 1 9 7, 0 0 0, 0 0, 0 0, H 3 4 (1, 0 0 3 1 9 7)");
	VI("Số điện thoại: 0912345678", "Số điện thoại: 0 9 1 2 3 4 5 6 7 8");
	VI("Số CCCD: 001099000001", "Số CCCD: 0 0 1 0 9 9 0 0 0 0 0 1");
	/* Masked: the digits spelled, the stars counted. */
	VI("CCCD theo VNeID: 001******001", "CCCD theo VNeID: 0 0 1, 6 số ẩn, "
	    "0 0 1");
	VI("Số điện thoại: ******5678.", "Số điện thoại: 6 số ẩn, 5 6 7 8.");
	VI("0912****", "0 9 1 2, 4 số ẩn");
	EN("CCCD from VNeID: 001******001", "CCCD from VNeID: 0 0 1, 6 hidden "
	    "digits, 0 0 1");
	/* One star, or stars alone: not a mask. */
	VI("thay đổi (*), 5*3", "thay đổi (dấu sao), 5*3");
	VI("******", "******");
	EN("Control code 4821 — 2 documents", "Control code 4 8 2 1, 2 "
	    "documents");
	/* Not codes: money, a year, words in capitals, a four-digit count. */
	VI("Phí, lệ phí: 1.000.000 đ", "Phí, lệ phí: 1.000.000 đ");
	VI("năm 2026", "năm 2026");
	VI("tối đa 2000 ký tự", "tối đa 2000 ký tự");
	VI("TP.HCM, VNPT", "TP.HCM, VNPT");
	VI("VNeID-ABCD", "VNeID-ABCD");
}

static void
test_glyphs(void **state)
{
	(void)state;
	VI("Lưu tờ khai đã ký (PDF)…", "Lưu tờ khai đã ký (PDF)");
	VI("Đang gửi tệp…", "Đang gửi tệp");
	VI("Thư điện tử: …", "Thư điện tử: trống");
	EN("E-mail: …\n", "E-mail: blank\n");
	VI("Phường A → Phường B", "Phường A đến Phường B");
	VI("↓ còn nữa", " còn nữa");
	VI("█▀▄ ▀█", " ");
	VI("┌──┐", "");
	VI("Đăng ký khai sinh — Toàn trình", "Đăng ký khai sinh, Toàn trình");
}

static void
test_keys(void **state)
{
	(void)state;
	VI("Trang chủ: 1–6, ? trợ giúp", "Trang chủ: từ 1 đến 6, dấu hỏi trợ "
	    "giúp");
	VI("<: quay lại bước trước.", "dấu nhỏ hơn: quay lại bước trước.");
	VI("Từ khóa (có dấu hoặc không dấu; - để bỏ): ", "Từ khóa (có dấu "
	    "hoặc không dấu; dấu trừ để bỏ): ");
	VI("Chọn số (1; Enter: 1): <", "Chọn số (1; Enter: 1): dấu nhỏ hơn");
	VI("thay đổi (*)", "thay đổi (dấu sao)");
	VI("-: để trống.", "dấu trừ: để trống.");
	VI("Ghi chú (không bắt buộc): -", "Ghi chú (không bắt buộc): dấu trừ");
	/* A bullet says nothing; a dash between words is a pause. */
	VI("Thành phần hồ sơ:\n- Tờ khai (CT01)\n- Giấy tờ",
	    "Thành phần hồ sơ:\nTờ khai (CT01)\nGiấy tờ");
	VI("Độc lập - Tự do - Hạnh phúc", "Độc lập, Tự do, Hạnh phúc");
	EN("?: this help.", "question mark: this help.");
	/* Not alone: as it is. */
	VI("\\?, <<, a-b, x?", "\\?, <<, a-b, x?");
}

static void
test_left_alone(void **state)
{
	(void)state;
	VI("Mở http://127.0.0.1:8080/d trên điện thoại",
	    "Mở http://127.0.0.1:8080/d trên điện thoại");
	VI("Đã lưu vào /tmp/x/000.00.20.H34-261127-0001.pdf.",
	    "Đã lưu vào /tmp/x/000.00.20.H34-261127-0001.pdf.");
	VI("/telex", "/telex");
	VI("Nguyễn Văn Đức, 12 Hai Bà Trưng", "Nguyễn Văn Đức, 12 Hai Bà "
	    "Trưng");
	VI("", "");
	VI("ABC123", "ABC123");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_and_times),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_glyphs),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_left_alone),
	};
	return cmocka_run_group_tests_name("speech", tests, NULL, NULL);
}
