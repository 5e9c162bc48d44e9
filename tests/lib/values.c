/*
 * Form values of any length for a declaration (procedure 1.000689's
 * form), for the PDF tests and bench_pdf: the applicant signer, then
 * "Nội dung" of paragraphs sentences and "Ghi chú" of notes notes, so
 * that a declaration runs to one page or several.
 */
#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "testlib.h"

cJSON *
test_pdf_values(const char *signer, size_t paragraphs, size_t notes)
{
	struct buf v;
	cJSON *vals;
	size_t i;

	buf_init(&v, 1 << 20);
	buf_printf(&v, "{\"nyc_ho_ten\": \"%s\", \"nyc_ngay_sinh\":"
	    " \"1985-03-12\", \"nyc_gioi_tinh\": \"male\", \"nyc_cccd\": "
	    "\"062085000001\", \"nyc_dien_thoai\": \"0912345678\", "
	    "\"nyc_dia_chi\": {\"province_code\": \"51\", \"ward_code\": "
	    "\"23293\", \"street\": \"45 Bà Triệu\"}, \"noi_dung\": \"",
	    signer);
	for (i = 0; i < paragraphs; i++)
		buf_printf(&v, "Đoạn %zu: đề nghị xem xét, giải quyết việc cấp "
		    "lại giấy tờ bị mất; ", i + 1);
	buf_addstr(&v, "hết.\", \"ghi_chu\": \"");
	for (i = 0; i < notes; i++)
		buf_printf(&v, "Ghi chú %zu: liên hệ qua số điện thoại trên. ",
		    i + 1);
	buf_addstr(&v, "\"}");
	vals = cJSON_Parse(buf_str(&v));
	buf_free(&v);
	return vals;
}
