/*
 * Measures the text paths every screen and request goes through: strict
 * JSON parsing of a ~2 KB portal document with Vietnamese strings (and its
 * cost over plain cJSON, as a ratio), folding, transliteration, NFC and
 * Vietnamese ordering of procedure names, and the CCCD and mobile number
 * checks.  Each measurement runs for about half a second on
 * CLOCK_MONOTONIC and prints one line: calls per second and nanoseconds
 * per call.  Exits 1 if any call fails or returns the wrong answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "status.h"
#include "testlib.h"
#include "utf8.h"
#include "validate.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

#define TARGET_NS	500000000ULL	/* each; a tenth when BENCH_QUICK */
#define CALIBRATE_NS	50000000ULL	/* the run that sizes it */
#define RATIO_ROUNDS	10		/* alternating rounds for the ratio */

/* A procedure as the portal describes it, about 2 KB. */
static const char portal_doc[] =
    "{\"id\":\"1.001193\",\"code\":\"1.001193.000.00.00.H34\","
    "\"name\":\"Đăng ký khai sinh\","
    "\"level\":4,\"online\":true,"
    "\"field\":\"Hộ tịch\","
    "\"agency\":{\"id\":\"000.00.12.H34\","
    "\"name\":\"Ủy ban nhân dân xã Đắk Hring, huyện Đắk Hà\","
    "\"province\":\"Kon Tum\",\"phone\":\"0260 3861 234\"},"
    "\"applicants\":[\"Công dân Việt Nam\",\"Người nước ngoài\"],"
    "\"processing_days\":1,\"fee\":{\"amount\":0,\"currency\":\"VND\","
    "\"note\":\"Miễn lệ phí đăng ký khai sinh đúng hạn; "
    "đăng ký quá hạn 8.000 đồng\"},"
    "\"documents\":["
    "{\"id\":\"tk\",\"name\":\"Tờ khai đăng ký khai sinh theo mẫu\","
    "\"original\":1,\"copy\":0,\"required\":true,"
    "\"template\":\"/api/v1/templates/to-khai-khai-sinh.pdf\"},"
    "{\"id\":\"gcs\",\"name\":\"Giấy chứng sinh do cơ sở y tế cấp; "
    "nếu không có thì văn bản của người làm chứng xác nhận việc sinh\","
    "\"original\":1,\"copy\":0,\"required\":true,\"template\":null},"
    "{\"id\":\"uq\",\"name\":\"Văn bản ủy quyền có chứng thực, nếu "
    "người đi đăng ký không phải cha, mẹ, ông, bà\","
    "\"original\":1,\"copy\":0,\"required\":false,\"template\":null},"
    "{\"id\":\"kh\",\"name\":\"Giấy chứng nhận kết hôn của cha, mẹ "
    "(nếu có)\",\"original\":0,\"copy\":1,\"required\":false,"
    "\"template\":null}],"
    "\"steps\":["
    "\"Người yêu cầu nộp hồ sơ trực tuyến trên Cổng Dịch vụ công\","
    "\"Công chức tư pháp - hộ tịch kiểm tra hồ sơ và ghi vào Sổ hộ tịch\","
    "\"Chủ tịch Ủy ban nhân dân cấp xã ký Giấy khai sinh\","
    "\"Trả kết quả qua bưu chính công ích hoặc tại Bộ phận Một cửa\"],"
    "\"legal\":[{\"ref\":\"60/2014/QH13\",\"title\":\"Luật Hộ tịch\"},"
    "{\"ref\":\"123/2015/NĐ-CP\",\"title\":\"Nghị định quy định chi "
    "tiết một số điều và biện pháp thi hành Luật Hộ tịch\"},"
    "{\"ref\":\"04/2020/TT-BTP\",\"title\":\"Thông tư quy định chi tiết "
    "thi hành một số điều của Luật Hộ tịch\"}],"
    "\"result\":\"Giấy khai sinh (bản chính) và bản sao nếu có yêu cầu\","
    "\"conditions\":\"Không\","
    "\"updated\":\"2024-07-01T08:00:00+07:00\","
    "\"tags\":[\"hộ tịch\",\"trẻ em\",\"liên thông\",\"khai sinh\"],"
    "\"related\":[\"1.001022\",\"2.000986\",\"1.004884\"],"
    "\"contact\":{\"hotline\":\"1900 1234\","
    "\"email\":\"motcua.dakhring@kontum.gov.vn\","
    "\"hours\":\"Thứ Hai - Thứ Sáu, 7:00 - 11:30 và 13:00 - 17:00\"}}";

/* Procedure names as people search for them. */
static const char *const names[] = {
	"Đăng ký khai sinh",
	"Cấp đổi thẻ Căn cước",
	"Đăng ký thường trú",
	"Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
	"Đăng ký kết hôn có yếu tố nước ngoài",
	"Cấp giấy phép xây dựng nhà ở riêng lẻ",
	"Trợ cấp thất nghiệp",
	"Chứng thực bản sao từ bản chính giấy tờ, văn bản",
	"Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản",
	"Cấp giấy phép lái xe quốc tế",
	"Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
	"Thủ tục hưởng chế độ thai sản",
};

/* The same names with decomposed tone marks, as some keyboards send them. */
static const char *const decomposed[] = {
	"\304\220a\314\206ng ky\314\201 khai sinh",
	"Ca\314\202\314\201p \304\221o\314\202\314\211i the\314\211 "
	    "Ca\314\206n cu\314\233o\314\233\314\201c",
	"Tro\314\233\314\243 ca\314\202\314\201p "
	    "tha\314\202\314\201t nghie\314\243\314\202p",
	"Thu\314\211 tu\314\243c hu\314\233o\314\233\314\211ng "
	    "che\314\202\314\201 \304\221o\314\243\314\202 "
	    "thai sa\314\211n",
};
/* Which name each decomposed one is. */
static const size_t decomposed_of[] = { 0, 1, 6, 11 };

static const char *const cccds[] = {
	"001099012345", "079305001234", "048186000321", "092201009876",
};
static const struct date births[] = {
	{ 1999, 5, 12 }, { 2005, 1, 30 }, { 1986, 11, 2 }, { 2001, 7, 19 },
};
static const enum cccd_gender genders[] = {
	CCCD_MALE, CCCD_FEMALE, CCCD_FEMALE, CCCD_MALE,
};

static const char *const phones[] = {
	"0912 345 678", "+84 912.345.678", "0084-912-345-678",
	"84 0912345678",
};

/* What a measured call may not optimise away. */
static volatile size_t sink;
static int failed;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* One call of what is measured, on the i-th input; 0, or -1 if it failed. */
typedef int (*bench_fn)(uint64_t i);

static int
do_json_parse(uint64_t i)
{
	cJSON *doc;
	enum status st;

	(void)i;
	st = json_parse(portal_doc, sizeof portal_doc - 1, &doc, NULL, 0);
	if (st != STATUS_OK || doc == NULL)
		return -1;
	sink += (size_t)cJSON_GetArraySize(doc);
	cJSON_Delete(doc);
	return 0;
}

static int
do_cjson_parse(uint64_t i)
{
	cJSON *doc;

	(void)i;
	doc = cJSON_ParseWithLength(portal_doc, sizeof portal_doc - 1);
	if (doc == NULL)
		return -1;
	sink += (size_t)cJSON_GetArraySize(doc);
	cJSON_Delete(doc);
	return 0;
}

static int
do_fold(uint64_t i)
{
	char *out;

	if (utf8_fold(names[i % nitems(names)], &out) != STATUS_OK)
		return -1;
	sink += strlen(out);
	free(out);
	return 0;
}

static int
do_to_ascii(uint64_t i)
{
	char *out;

	if (utf8_to_ascii(names[i % nitems(names)], &out) != STATUS_OK)
		return -1;
	sink += strlen(out);
	free(out);
	return 0;
}

static int
do_nfc(uint64_t i)
{
	const char *s = decomposed[i % nitems(decomposed)];
	char *out;

	if (utf8_nfc(s, strlen(s), &out) != STATUS_OK)
		return -1;
	sink += strlen(out);
	free(out);
	return 0;
}

static int
do_vi_cmp(uint64_t i)
{
	size_t n = nitems(names);

	sink += (size_t)utf8_vi_cmp(names[i % n], names[(i + 1) % n]);
	return 0;
}

static int
do_cccd(uint64_t i)
{
	struct cccd_info info;
	size_t k = i % nitems(cccds);

	if (cccd_check(cccds[k], &births[k], genders[k], &info) !=
	    VALIDATE_ERR_OK)
		return -1;
	sink += (size_t)info.birth_year;
	return 0;
}

static int
do_phone(uint64_t i)
{
	char out[11];

	if (phone_normalize(phones[i % nitems(phones)], out) !=
	    VALIDATE_ERR_OK)
		return -1;
	sink += (size_t)out[9];
	return 0;
}

/* Runs fn n times; the elapsed nanoseconds, or 0 if a call failed. */
static uint64_t
run_n(bench_fn fn, uint64_t n)
{
	uint64_t i, t0, t;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (fn(i) == -1)
			return 0;
	t = now_ns() - t0;
	return t > 0 ? t : 1;
}

/* How many calls take about target_ns, from a short run; 0 on failure. */
static uint64_t
calibrate(bench_fn fn, uint64_t target_ns)
{
	uint64_t n = 16, t;

	for (;;) {
		if ((t = run_n(fn, n)) == 0)
			return 0;
		if (t >= CALIBRATE_NS / 2 || n >= (1ULL << 40))
			break;
		n *= 4;
	}
	n = (uint64_t)((double)n * (double)target_ns / (double)t);
	return n > 0 ? n : 1;
}

static void
report(const char *what, uint64_t n, uint64_t t)
{
	double ns = (double)t / (double)n;

	printf("%-34s %10llu calls %8.3f s %12.0f calls/s %10.1f ns/call\n",
	    what, (unsigned long long)n, (double)t / 1e9, 1e9 / ns, ns);
}

/* The time of each measurement: TARGET_NS, a tenth in the quick mode. */
static uint64_t
target_ns(void)
{
	return (uint64_t)test_bench_n(TARGET_NS, TARGET_NS / 10);
}

/* Measures fn for about target_ns() and prints a line; ns per call or -1. */
static double
measure(const char *what, bench_fn fn)
{
	uint64_t n, t;

	if ((n = calibrate(fn, target_ns())) == 0 || (t = run_n(fn, n)) == 0) {
		printf("%-34s FAILED\n", what);
		failed = 1;
		return -1;
	}
	report(what, n, t);
	return (double)t / (double)n;
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* One ratio round of fn, n calls: keeps the least wall and CPU time. */
static int
ratio_round(bench_fn fn, uint64_t n, uint64_t *wall_best, uint64_t *cpu_best)
{
	uint64_t c0, t, c;

	c0 = cpu_ns();
	if ((t = run_n(fn, n)) == 0)
		return -1;
	c = cpu_ns() - c0;
	if (*wall_best == 0 || t < *wall_best)
		*wall_best = t;
	if (*cpu_best == 0 || c < *cpu_best)
		*cpu_best = c;
	return 0;
}

/*
 * The cost of json_parse's strict checks: both parsers in alternating
 * short rounds, so that a burst of load elsewhere on the machine hits
 * both, and the fastest round of each.  The ratio is given by the wall
 * clock (CLOCK_MONOTONIC) and by the thread's CPU time, which time spent
 * waiting for a CPU does not inflate; when the two disagree, the machine
 * was busy.
 */
static void
json_ratio(void)
{
	uint64_t ns, nr, ws = 0, wr = 0, cs = 0, cr = 0;
	double strict, raw;
	int round;

	ns = calibrate(do_json_parse, target_ns() / RATIO_ROUNDS);
	nr = calibrate(do_cjson_parse, target_ns() / RATIO_ROUNDS);
	if (ns == 0 || nr == 0)
		goto fail;
	for (round = 0; round < RATIO_ROUNDS; round++) {
		if (ratio_round(do_json_parse, ns, &ws, &cs) == -1 ||
		    ratio_round(do_cjson_parse, nr, &wr, &cr) == -1)
			goto fail;
	}
	report("json_parse (strict, best round)", ns, ws);
	report("cJSON_ParseWithLength (best round)", nr, wr);
	strict = (double)ws / (double)ns;
	raw = (double)wr / (double)nr;
	printf("ratio json_parse / cJSON_ParseWithLength: %.2fx wall, "
	    "%.2fx CPU time (%.1f MB/s strict)\n", strict / raw,
	    ((double)cs / (double)ns) / ((double)cr / (double)nr),
	    (double)(sizeof portal_doc - 1) / strict * 1e3);
	return;
fail:
	printf("json_parse ratio FAILED\n");
	failed = 1;
}

/* The answers the measured calls must give, checked once beforehand. */
static int
check_answers(void)
{
	cJSON *doc;
	const cJSON *docs;
	const char *name;
	char *out, phone[11];
	struct json_err e;
	size_t i;
	int ok = 1;

	if (json_parse(portal_doc, sizeof portal_doc - 1, &doc, NULL, 0) !=
	    STATUS_OK)
		return -1;
	if (json_get_string(doc, "name", 1, &name, &e) != STATUS_OK ||
	    strcmp(name, "Đăng ký khai sinh") != 0 ||
	    json_get_array(doc, "documents", 1, &docs, &e) != STATUS_OK ||
	    cJSON_GetArraySize(docs) != 4)
		ok = 0;
	cJSON_Delete(doc);
	if (utf8_fold(names[0], &out) != STATUS_OK)
		return -1;
	ok &= strcmp(out, "dang ky khai sinh") == 0;
	free(out);
	if (utf8_to_ascii(names[1], &out) != STATUS_OK)
		return -1;
	ok &= strcmp(out, "Cap doi the Can cuoc") == 0;
	free(out);
	for (i = 0; i < nitems(decomposed); i++) {
		if (utf8_nfc(decomposed[i], strlen(decomposed[i]), &out) !=
		    STATUS_OK)
			return -1;
		ok &= strcmp(out, names[decomposed_of[i]]) == 0;
		free(out);
	}
	ok &= utf8_vi_cmp("Đăng ký", "Dương") > 0;
	for (i = 0; i < nitems(phones); i++) {
		ok &= phone_normalize(phones[i], phone) == VALIDATE_ERR_OK &&
		    strcmp(phone, "0912345678") == 0;
	}
	for (i = 0; i < nitems(cccds); i++)
		ok &= cccd_check(cccds[i], &births[i], genders[i], NULL) ==
		    VALIDATE_ERR_OK;
	return ok ? 0 : -1;
}

int
main(void)
{
	printf("== bench_text: %zu-byte portal document, %zu procedure "
	    "names, ~%.1f s per line\n", sizeof portal_doc - 1, nitems(names),
	    (double)target_ns() / 1e9);
	if (check_answers() == -1) {
		printf("bench_text: a measured call gives the wrong answer\n");
		return 1;
	}
	json_ratio();
	measure("utf8_fold (procedure name)", do_fold);
	measure("utf8_to_ascii (procedure name)", do_to_ascii);
	measure("utf8_nfc (decomposed name)", do_nfc);
	measure("utf8_vi_cmp (two names)", do_vi_cmp);
	measure("cccd_check (with birth, gender)", do_cccd);
	measure("phone_normalize", do_phone);
	if (sink == 0)
		failed = 1;
	return failed;
}
