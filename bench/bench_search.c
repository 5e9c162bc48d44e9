/*
 * Measures catalog search on the real dvc-server over loopback, with a
 * catalog of 2,000 procedures: the 51 real ones of data/catalog and 1,949
 * generated from them (real names with a realistic qualifier, and action x
 * object names such as "Gia hạn giấy phép môi trường"), written to a
 * temporary data folder that the server loads at start ("portal":
 * {"data_dir"}).
 *
 * - the server's start, which loads the 2,000 files in one transaction;
 * - every query once: a 200 with a JSON body whose "total" is at least 1
 *   and whose "items" are not empty (a code query must find its code
 *   first), and the catalog's total must be 2,000;
 * - latency of one request at a time with the project's HTTP client (one
 *   kept-alive handle, which offers gzip like the terminal client):
 *   GET /healthz, then the queries in turn, p50, p95, p99 overall and p50,
 *   p99 per query;
 * - throughput with wrk pinned to one CPU (taskset -c LAST, -t1 -c8,
 *   5 s, --latency, Accept-Encoding: gzip), a Lua script cycling through
 *   the same queries; /healthz by the same script in the same run as the
 *   baseline, in two alternating rounds (healthz, search, healthz,
 *   search) so that a burst of load hits both.
 *
 * The targets (p99 <= 5 ms, >= 3,000 searches/s, >= 50% of the /healthz
 * rate) are reported as PASS or MISS; a miss does not fail the benchmark.
 * It exits 1 when the measurement fails: the server does not start, an
 * answer is not a valid 200, wrk is missing or reports errors.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "httpc.h"
#include "json.h"
#include "status.h"
#include "testlib.h"
#include "xmalloc.h"

#define CATALOG_SIZE	2000
#define SEQ_ROUNDS	100	/* sequential requests per query */
#define HEALTHZ_REQS	2000	/* sequential /healthz requests */
#define WRK_SECONDS	5
#define WRK_ROUNDS	2
#define WRK_CONNS	8

#define TARGET_P99_US		5000.0
#define TARGET_RPS		3000.0
#define TARGET_RATIO		0.5

/*
 * Realistic searches: whole words with and without diacritics, what is
 * typed so far (a prefix on the last word, down to one letter), codes.
 * code, when not NULL, must be the first hit's national code.
 */
static const struct query {
	const char	*q;
	const char	*code;
} queries[] = {
	{ "khai sinh", NULL },
	{ "đăng ký khai sinh", NULL },
	{ "dang ky khai sinh", NULL },
	{ "khai si", NULL },
	{ "kết hôn", NULL },
	{ "ket hon co yeu to nuoc ngoai", NULL },
	{ "hộ chiếu", NULL },
	{ "ho chieu pho thong", NULL },
	{ "giấy phép lái xe", NULL },
	{ "giay phep lai", NULL },
	{ "tạm trú", NULL },
	{ "tam tru", NULL },
	{ "đăng ký thường trú", NULL },
	{ "căn cước", NULL },
	{ "can cuoc cong dan", NULL },
	{ "lý lịch tư pháp", NULL },
	{ "ly lich", NULL },
	{ "hộ kinh doanh", NULL },
	{ "giay phep xay dung", NULL },
	{ "chứng thực bản sao", NULL },
	{ "quyen su dung dat", NULL },
	{ "trợ cấp xã hội", NULL },
	{ "khuyết tật", NULL },
	{ "giám hộ", NULL },
	{ "di chúc", NULL },
	{ "người nước ngoài", NULL },
	{ "gia hạn", NULL },
	{ "cấp lại", NULL },
	{ "kh", NULL },
	{ "d", NULL },
	{ "1.001193", "1.001193" },
	{ "2.000200", "2.000200" },
	{ "9.101234", "9.101234" },
};
#define NQUERIES	(sizeof queries / sizeof queries[0])

/* Qualifiers added to the real names (the first family). */
static const char *const qualifiers[] = {
	"đối với công dân Việt Nam ở trong nước",
	"đối với người nước ngoài",
	"tại cấp xã",
	"tại cấp tỉnh",
	"cho người dân tộc thiểu số",
	"cho trẻ em dưới 6 tuổi",
	"cho người cao tuổi",
	"cho hộ nghèo, hộ cận nghèo",
	"đối với tổ chức",
	"đối với doanh nghiệp nhỏ và vừa",
	"trong khu công nghiệp",
	"tại khu vực biên giới",
	"ở vùng đặc biệt khó khăn",
	"theo thủ tục rút gọn",
	"qua dịch vụ bưu chính công ích",
	"trường hợp bị mất, hư hỏng",
	"trường hợp thay đổi thông tin",
	"cho người có công với cách mạng",
	"cho người Việt Nam định cư ở nước ngoài",
	"khi chuyển nơi cư trú",
};
#define NQUALIFIERS	(sizeof qualifiers / sizeof qualifiers[0])

/* Actions and objects (the second family). */
static const char *const actions[] = {
	"Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi",
	"Xác nhận", "Công nhận", "Thẩm định", "Đăng ký", "Chấp thuận",
	"Phê duyệt",
};
#define NACTIONS	(sizeof actions / sizeof actions[0])

static const struct object {
	const char	*name, *field, *agency;
} objects[] = {
	{ "giấy phép kinh doanh dịch vụ lữ hành", "dang-ky-kinh-doanh",
	    "000.00.15.H34" },
	{ "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
	    "dang-ky-kinh-doanh", "000.00.18.H34" },
	{ "chứng chỉ hành nghề khám bệnh, chữa bệnh", "lao-dong",
	    "000.00.18.H34" },
	{ "giấy phép lao động cho người nước ngoài", "lao-dong",
	    "000.00.17.H34" },
	{ "giấy phép hoạt động cơ sở giáo dục mầm non", "giao-duc",
	    "000.00.16.H34" },
	{ "bằng tốt nghiệp trung học phổ thông", "giao-duc",
	    "000.00.16.H34" },
	{ "chứng chỉ ngoại ngữ, tin học", "giao-duc", "000.00.16.H34" },
	{ "giấy phép khai thác nước dưới đất", "dat-dai", "000.00.13.H34" },
	{ "giấy phép môi trường", "dat-dai", "000.00.13.H34" },
	{ "quyền sử dụng đất nông nghiệp", "dat-dai", "000.00.14.H34" },
	{ "biến động đất đai, tài sản gắn liền với đất", "dat-dai",
	    "000.00.14.H34" },
	{ "giấy phép sửa chữa, cải tạo công trình", "xay-dung",
	    "000.00.12.H34" },
	{ "chứng chỉ hành nghề hoạt động xây dựng", "xay-dung",
	    "000.00.12.H34" },
	{ "giấy phép di dời công trình", "xay-dung", "000.00.12.H34" },
	{ "giấy đăng ký xe mô tô, xe gắn máy", "duong-bo",
	    "000.00.11.H34" },
	{ "biển số xe ô tô", "duong-bo", "000.00.11.H34" },
	{ "giấy phép lái xe quốc tế", "duong-bo", "000.00.11.H34" },
	{ "thị thực cho người nước ngoài", "xuat-nhap-canh",
	    "000.00.11.H34" },
	{ "thẻ tạm trú cho người nước ngoài", "xuat-nhap-canh",
	    "000.00.11.H34" },
	{ "giấy thông hành biên giới", "xuat-nhap-canh", "000.00.11.H34" },
	{ "thẻ căn cước cho người dưới 14 tuổi", "can-cuoc",
	    "000.00.11.H34" },
	{ "giấy chứng nhận căn cước", "can-cuoc", "000.00.11.H34" },
	{ "thông tin hộ gia đình", "cu-tru", "000.00.21.H34" },
	{ "nơi ở hiện tại", "cu-tru", "000.00.21.H34" },
	{ "hộ kinh doanh ngành nghề có điều kiện", "ho-kinh-doanh",
	    "000.00.20.H34" },
	{ "địa điểm kinh doanh của hộ kinh doanh", "ho-kinh-doanh",
	    "000.00.20.H34" },
	{ "doanh nghiệp tư nhân", "dang-ky-kinh-doanh", "000.00.15.H34" },
	{ "công ty trách nhiệm hữu hạn một thành viên",
	    "dang-ky-kinh-doanh", "000.00.15.H34" },
	{ "hợp tác xã nông nghiệp", "dang-ky-kinh-doanh", "000.00.15.H34" },
	{ "trợ cấp thất nghiệp", "lao-dong", "000.00.17.H34" },
	{ "trợ giúp xã hội khẩn cấp", "bao-tro-xa-hoi", "000.00.20.H34" },
	{ "chế độ người cao tuổi", "bao-tro-xa-hoi", "000.00.20.H34" },
	{ "hỗ trợ học phí cho học sinh", "giao-duc", "000.00.20.H34" },
	{ "việc nuôi con nuôi trong nước", "ho-tich", "000.00.20.H34" },
	{ "việc thay đổi họ, chữ đệm, tên", "ho-tich", "000.00.20.H34" },
	{ "quốc tịch Việt Nam", "ho-tich", "000.00.10.H34" },
	{ "bản dịch giấy tờ, văn bản", "chung-thuc", "000.00.20.H34" },
	{ "hợp đồng mua bán nhà ở", "chung-thuc", "000.00.20.H34" },
	{ "văn bản thỏa thuận phân chia di sản", "chung-thuc",
	    "000.00.20.H34" },
	{ "Phiếu lý lịch tư pháp số 2", "ly-lich-tu-phap",
	    "000.00.11.H34" },
};
#define NOBJECTS	(sizeof objects / sizeof objects[0])

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_code(const void *a, const void *b)
{
	const char *x = cJSON_GetStringValue(cJSON_GetObjectItem(
	    *(cJSON *const *)a, "national_code"));
	const char *y = cJSON_GetStringValue(cJSON_GetObjectItem(
	    *(cJSON *const *)b, "national_code"));

	return strcmp(x != NULL ? x : "", y != NULL ? y : "");
}

static double
pct_us(const uint64_t *sorted, size_t n, int pct)
{
	return (double)sorted[(n - 1) * (size_t)pct / 100] / 1e3;
}

static int
write_text(const char *path, const char *text, size_t len)
{
	FILE *fp;

	fp = fopen(path, "w");
	if (fp == NULL || fwrite(text, 1, len, fp) != len ||
	    fclose(fp) == EOF) {
		printf("bench_search: cannot write %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_json(const char *path, const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	int rc;

	rc = write_text(path, s, strlen(s));
	free(s);
	return rc;
}

static void
set_string(cJSON *o, const char *key, const char *value)
{
	cJSON_ReplaceItemInObjectCaseSensitive(o, key,
	    cJSON_CreateString(value));
}

/*
 * The data folder under dir: a copy of the whole seed folder the server
 * would find by itself (data/ of the source tree), so that a seed file
 * added later is there too; its procedures are then read back and
 * generated ones added up to CATALOG_SIZE.  0 or -1 with a message.
 */
static int
make_catalog(const char *dir, size_t *nreal)
{
	cJSON **real = NULL, *j;
	char *from, *to, *src, *cmd, *out, err[256], name[512];
	char national[32], local[64];
	DIR *d = NULL;
	struct dirent *e;
	size_t n = 0, i, len, k, q, a, o;
	int rc = -1, st;

	cmd = xasprintf("mkdir -m 700 '%s' && cp -R '%s/.' '%s' 2>&1", dir,
	    test_source_path("data"), dir);
	out = test_run(cmd, &st);
	if (st != 0)
		printf("bench_search: %s: %s\n", cmd, out);
	free(cmd);
	free(out);
	if (st != 0)
		return -1;
	src = xasprintf("%s/catalog/procedures", dir);
	d = opendir(src);
	if (d == NULL) {
		printf("bench_search: cannot open %s: %s\n", src,
		    strerror(errno));
		free(src);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		from = xasprintf("%s/%s", src, e->d_name);
		*err = '\0';
		if (json_load_file(from, 4 * 1024 * 1024, &j, err,
		    sizeof err) != STATUS_OK) {
			printf("bench_search: %s\n", err);
			free(from);
			goto out;
		}
		free(from);
		real = xreallocarray(real, n + 1, sizeof *real);
		real[n++] = j;
	}
	*nreal = n;
	/* In the order of their codes, whatever the folder's order. */
	qsort(real, n, sizeof *real, cmp_code);
	if (n == 0 || n >= CATALOG_SIZE) {
		printf("bench_search: %zu real procedures in %s\n", n, src);
		goto out;
	}
	/*
	 * The first family: every real procedure with each qualifier in
	 * turn; the second: action x object, with and without a qualifier.
	 */
	for (k = 0; n + k < CATALOG_SIZE; k++) {
		if (k < n * NQUALIFIERS) {
			j = cJSON_Duplicate(real[k % n], 1);
			q = k / n;
			snprintf(name, sizeof name, "%s %s",
			    cJSON_GetStringValue(cJSON_GetObjectItem(j,
			    "name")), qualifiers[q]);
		} else {
			i = k - n * NQUALIFIERS;
			a = i % NACTIONS;
			o = (i / NACTIONS) % NOBJECTS;
			q = i / (NACTIONS * NOBJECTS);
			j = cJSON_Duplicate(real[(a + o) % n], 1);
			if (q == 0)
				snprintf(name, sizeof name, "%s %s",
				    actions[a], objects[o].name);
			else
				snprintf(name, sizeof name, "%s %s %s",
				    actions[a], objects[o].name,
				    qualifiers[(q * 7 + o) % NQUALIFIERS]);
			set_string(j, "field", objects[o].field);
			set_string(j, "agency", objects[o].agency);
		}
		snprintf(national, sizeof national, "9.1%05zu", k);
		snprintf(local, sizeof local, "%s.000.00.00.H34", national);
		set_string(j, "national_code", national);
		set_string(j, "local_code", local);
		set_string(j, "name", name);
		cJSON_ReplaceItemInObjectCaseSensitive(j, "featured",
		    cJSON_CreateFalse());
		to = xasprintf("%s/catalog/procedures/%s.json", dir,
		    national);
		rc = write_json(to, j);
		free(to);
		cJSON_Delete(j);
		if (rc == -1)
			goto out;
	}
	rc = 0;
out:
	closedir(d);
	free(src);
	for (i = 0; i < n; i++)
		cJSON_Delete(real[i]);
	free(real);
	return rc;
}

/* Percent-encodes s into out (a URL query value). */
static void
url_encode(const char *s, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	unsigned char c;

	for (; *s != '\0' && n + 4 < outsz; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
}

/*
 * One GET with h; checks the answer: a 200 with a JSON object, and for a
 * search at least one hit (code: the first hit's national code).  Returns
 * 0 with the latency, total hits and bytes of the (encoded) body, or -1.
 */
static int
get_checked(struct httpc *h, const char *url, int search, const char *code,
    uint64_t *ns, long *total, size_t *wire, int *gz)
{
	struct httpc_response resp;
	cJSON *j = NULL, *items, *first;
	const char *cl, *nc;
	uint64_t t0;
	char why[256];
	int rc = -1;

	t0 = now_ns();
	if (httpc_get(h, url, &resp) != STATUS_OK) {
		*ns = now_ns() - t0;
		printf("bench_search: %s: %s\n", url, httpc_error(h));
		httpc_response_free(&resp);
		return -1;
	}
	*ns = now_ns() - t0;
	why[0] = '\0';
	if (resp.status != 200)
		snprintf(why, sizeof why, "status %ld", resp.status);
	else if (resp.content_type == NULL ||
	    strncmp(resp.content_type, "application/json", 16) != 0 ||
	    json_parse(buf_str(&resp.body), resp.body.len, &j, why,
	    sizeof why) != STATUS_OK || !cJSON_IsObject(j)) {
		if (why[0] == '\0')
			snprintf(why, sizeof why, "not a JSON object");
	} else if (search) {
		items = cJSON_GetObjectItem(j, "items");
		first = cJSON_GetArrayItem(items, 0);
		nc = cJSON_GetStringValue(cJSON_GetObjectItem(first,
		    "national_code"));
		*total = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j,
		    "total"));
		if (!cJSON_IsArray(items) || first == NULL || *total < 1)
			snprintf(why, sizeof why, "no hits (total %ld)",
			    *total);
		else if (code != NULL && (nc == NULL || strcmp(nc, code)))
			snprintf(why, sizeof why, "first hit %s, not %s",
			    nc != NULL ? nc : "(none)", code);
	}
	if (why[0] != '\0') {
		printf("bench_search: %s: %s\n", url, why);
		goto out;
	}
	cl = httpc_response_header(&resp, "Content-Length");
	*wire = cl != NULL ? (size_t)strtoull(cl, NULL, 10) : resp.body.len;
	*gz = httpc_response_header(&resp, "Content-Encoding") != NULL;
	rc = 0;
out:
	cJSON_Delete(j);
	httpc_response_free(&resp);
	return rc;
}

/* Checks the catalog's size: GET /api/v1/procedures?per_page=1. */
static int
check_catalog(const char *base)
{
	struct httpc *h = httpc_new(NULL);
	struct httpc_response resp;
	cJSON *j = NULL;
	char *url = xasprintf("%s/api/v1/procedures?per_page=1", base);
	char why[200];
	double total = -1;
	int rc = -1;

	if (httpc_get(h, url, &resp) == STATUS_OK && resp.status == 200 &&
	    json_parse(buf_str(&resp.body), resp.body.len, &j, why,
	    sizeof why) == STATUS_OK)
		total = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "total"));
	if (total != CATALOG_SIZE)
		printf("bench_search: the catalog holds %.0f procedures, not "
		    "%d (status %ld)\n", total, CATALOG_SIZE, resp.status);
	else
		rc = 0;
	cJSON_Delete(j);
	httpc_response_free(&resp);
	httpc_free(&h);
	free(url);
	return rc;
}

/* Characters of a UTF-8 string, to align columns. */
static int
columns(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

struct seq {
	double	p50, p95, p99, max;	/* microseconds */
	double	rps;
	double	cold_p50, cold_p99;	/* answers not cached */
};

/*
 * One request at a time on one kept-alive handle: HEALTHZ_REQS of
 * /healthz, then SEQ_ROUNDS rounds of every query.  Prints the figures.
 */
static int
sequential(const char *base, char urls[][512], struct seq *hz,
    struct seq *se)
{
	struct httpc *h = httpc_new(NULL);
	uint64_t *lat, *perq, t0, wall, ns;
	char *hzurl = xasprintf("%s/healthz", base);
	size_t n, i, r, wire;
	long total;
	int gz, rc = -1;

	n = HEALTHZ_REQS > SEQ_ROUNDS * NQUERIES ? HEALTHZ_REQS :
	    SEQ_ROUNDS * NQUERIES;
	lat = xreallocarray(NULL, n, sizeof *lat);
	perq = xreallocarray(NULL, SEQ_ROUNDS * NQUERIES, sizeof *perq);
	/* Opens the connection before the clock starts. */
	if (get_checked(h, hzurl, 0, NULL, &ns, &total, &wire, &gz) == -1)
		goto out;
	t0 = now_ns();
	for (i = 0; i < HEALTHZ_REQS; i++)
		if (get_checked(h, hzurl, 0, NULL, &lat[i], &total, &wire,
		    &gz) == -1)
			goto out;
	wall = now_ns() - t0;
	qsort(lat, HEALTHZ_REQS, sizeof *lat, cmp_u64);
	hz->rps = HEALTHZ_REQS / ((double)wall / 1e9);
	hz->p50 = pct_us(lat, HEALTHZ_REQS, 50);
	hz->p95 = pct_us(lat, HEALTHZ_REQS, 95);
	hz->p99 = pct_us(lat, HEALTHZ_REQS, 99);
	hz->max = (double)lat[HEALTHZ_REQS - 1] / 1e3;
	printf("one at a time  GET /healthz  %6d req %6.2f s %7.0f req/s  "
	    "p50 %5.0f us  p95 %5.0f us  p99 %5.0f us  max %6.0f us\n",
	    HEALTHZ_REQS, (double)wall / 1e9, hz->rps, hz->p50, hz->p95,
	    hz->p99, hz->max);

	/*
	 * Cold: each request new to the server (per_page 1 to SEQ_ROUNDS,
	 * so no answer comes from the portal's cache of answers): what the
	 * first citizen to type a query waits.
	 */
	t0 = now_ns();
	for (r = 0; r < SEQ_ROUNDS; r++)
		for (i = 0; i < NQUERIES; i++) {
			char cold[600];

			if (snprintf(cold, sizeof cold, "%s&per_page=%zu",
			    urls[i], r + 1) >= (int)sizeof cold)
				goto out;
			if (get_checked(h, cold, 1, queries[i].code,
			    &perq[i * SEQ_ROUNDS + r], &total, &wire,
			    &gz) == -1)
				goto out;
		}
	wall = now_ns() - t0;
	n = SEQ_ROUNDS * NQUERIES;
	memcpy(lat, perq, n * sizeof *lat);
	qsort(lat, n, sizeof *lat, cmp_u64);
	se->cold_p50 = pct_us(lat, n, 50);
	se->cold_p99 = pct_us(lat, n, 99);
	printf("one at a time  search, cold  %6zu req %6.2f s %7.0f req/s  "
	    "p50 %5.0f us  p95 %5.0f us  p99 %5.0f us  max %6.0f us\n",
	    n, (double)wall / 1e9, (double)n / ((double)wall / 1e9),
	    se->cold_p50, pct_us(lat, n, 95), se->cold_p99,
	    (double)lat[n - 1] / 1e3);

	/* The slowest queries when cold, by p50. */
	{
		double worst[NQUERIES];
		size_t order[NQUERIES], j, k, tmp;

		for (i = 0; i < NQUERIES; i++) {
			qsort(perq + i * SEQ_ROUNDS, SEQ_ROUNDS, sizeof *perq,
			    cmp_u64);
			worst[i] = pct_us(perq + i * SEQ_ROUNDS, SEQ_ROUNDS,
			    50);
			order[i] = i;
		}
		for (j = 0; j < NQUERIES; j++)
			for (k = j + 1; k < NQUERIES; k++)
				if (worst[order[k]] > worst[order[j]]) {
					tmp = order[j];
					order[j] = order[k];
					order[k] = tmp;
				}
		printf("slowest cold queries (p50, p99):");
		for (j = 0; j < 5 && j < NQUERIES; j++)
			printf(" q=%s %.0f/%.0f us;", queries[order[j]].q,
			    worst[order[j]], pct_us(perq + order[j] *
			    SEQ_ROUNDS, SEQ_ROUNDS, 99));
		printf("\n");
	}

	/* Warm: the same queries again, as citizens ask them again. */
	t0 = now_ns();
	for (r = 0; r < SEQ_ROUNDS; r++)
		for (i = 0; i < NQUERIES; i++)
			if (get_checked(h, urls[i], 1, queries[i].code,
			    &perq[i * SEQ_ROUNDS + r], &total, &wire,
			    &gz) == -1)
				goto out;
	wall = now_ns() - t0;
	n = SEQ_ROUNDS * NQUERIES;
	memcpy(lat, perq, n * sizeof *lat);
	qsort(lat, n, sizeof *lat, cmp_u64);
	se->rps = (double)n / ((double)wall / 1e9);
	se->p50 = pct_us(lat, n, 50);
	se->p95 = pct_us(lat, n, 95);
	se->p99 = pct_us(lat, n, 99);
	se->max = (double)lat[n - 1] / 1e3;
	printf("one at a time  search, warm  %6zu req %6.2f s %7.0f req/s  "
	    "p50 %5.0f us  p95 %5.0f us  p99 %5.0f us  max %6.0f us\n",
	    n, (double)wall / 1e9, se->rps, se->p50, se->p95, se->p99,
	    se->max);
	printf("per query (%d requests each): hits, body bytes sent, p50, "
	    "p99\n", SEQ_ROUNDS);
	for (i = 0; i < NQUERIES; i++) {
		qsort(perq + i * SEQ_ROUNDS, SEQ_ROUNDS, sizeof *perq,
		    cmp_u64);
		/* Once more for its size: the answer does not change. */
		if (get_checked(h, urls[i], 1, queries[i].code, &ns, &total,
		    &wire, &gz) == -1)
			goto out;
		printf("  q=%s%*s %5ld hits %5zu bytes%s  p50 %5.0f us  "
		    "p99 %5.0f us\n", queries[i].q,
		    32 - columns(queries[i].q), "", total, wire,
		    gz ? " gzip" : "     ",
		    pct_us(perq + i * SEQ_ROUNDS, SEQ_ROUNDS, 50),
		    pct_us(perq + i * SEQ_ROUNDS, SEQ_ROUNDS, 99));
	}
	rc = 0;
out:
	free(lat);
	free(perq);
	free(hzurl);
	httpc_free(&h);
	return rc;
}

/* The wrk script: cycles through paths, prints a summary line. */
static int
write_lua(const char *path, const char *const *paths, size_t n)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, 1024 * 1024);
	buf_printf(&b, "-- written by bench_search\n"
	    "local paths = {\n");
	for (i = 0; i < n; i++)
		buf_printf(&b, "  \"%s\",\n", paths[i]);
	buf_printf(&b, "}\n"
	    "local reqs, i = {}, 0\n"
	    "wrk.headers[\"Accept-Encoding\"] = \"gzip\"\n"
	    "init = function(args)\n"
	    "  for k, p in ipairs(paths) do reqs[k] = wrk.format(nil, p) end\n"
	    "end\n"
	    "request = function()\n"
	    "  i = i %% #reqs + 1\n"
	    "  return reqs[i]\n"
	    "end\n"
	    "done = function(s, lat, req)\n"
	    "  io.write(string.format(\"BENCH requests=%%d duration_us=%%d "
	    "p50=%%d p90=%%d p99=%%d max=%%d connect=%%d read=%%d "
	    "write=%%d status=%%d timeout=%%d\\n\", s.requests, s.duration,\n"
	    "    lat:percentile(50), lat:percentile(90), lat:percentile(99),\n"
	    "    lat.max, s.errors.connect, s.errors.read, s.errors.write,\n"
	    "    s.errors.status, s.errors.timeout))\n"
	    "end\n");
	rc = write_text(path, buf_str(&b), b.len);
	buf_free(&b);
	return rc;
}

struct wrk_result {
	long	requests, duration_us;
	long	p50, p90, p99, max;	/* microseconds */
	long	connect, read, write, status, timeout;
};

/* Runs cmd (a wrk with our script) and reads its summary. */
static int
run_wrk(const char *label, const char *cmd, struct wrk_result *w)
{
	char *out, *p;
	int st;

	memset(w, 0, sizeof *w);
	out = test_run(cmd, &st);
	p = strstr(out, "BENCH requests=");
	if (st != 0 || p == NULL || sscanf(p, "BENCH requests=%ld "
	    "duration_us=%ld p50=%ld p90=%ld p99=%ld max=%ld connect=%ld "
	    "read=%ld write=%ld status=%ld timeout=%ld", &w->requests,
	    &w->duration_us, &w->p50, &w->p90, &w->p99, &w->max, &w->connect,
	    &w->read, &w->write, &w->status, &w->timeout) != 11) {
		printf("bench_search: %s failed (exit %d):\n%s\n", cmd, st,
		    out);
		free(out);
		return -1;
	}
	free(out);
	if (w->requests <= 0 || w->duration_us <= 0 || w->connect ||
	    w->read || w->write || w->status || w->timeout) {
		printf("bench_search: %s: %ld requests, errors: connect %ld, "
		    "read %ld, write %ld, status >= 400 %ld, timeout %ld\n",
		    label, w->requests, w->connect, w->read, w->write,
		    w->status, w->timeout);
		return -1;
	}
	printf("wrk %-14s %7ld req %5.2f s %7.0f req/s  p50 %5.0f us  "
	    "p90 %5.0f us  p99 %5.0f us  max %6.0f us\n", label,
	    w->requests, (double)w->duration_us / 1e6,
	    (double)w->requests / ((double)w->duration_us / 1e6),
	    (double)w->p50, (double)w->p90, (double)w->p99, (double)w->max);
	return 0;
}

static const char *
verdict(int ok)
{
	return ok ? "PASS" : "MISS";
}

int
main(void)
{
	struct test_server ts;
	struct seq hz, se;
	struct wrk_result w;
	static char urls[NQUERIES][512];
	const char *paths[NQUERIES], *hzpath[] = { "/healthz" };
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL, *config = NULL, *lua_s = NULL, *lua_h = NULL;
	char *cmd, enc[400], label[32];
	cJSON *cfg = NULL, *portal;
	long hz_req = 0, hz_us = 0, se_req = 0, se_us = 0, worst_p99 = 0;
	double hz_rps, se_rps;
	size_t nreal = 0, i;
	uint64_t t0;
	long ncpu;
	int r, cpu, failed = 1, started = 0;

	memset(&ts, 0, sizeof ts);
	dir = xasprintf("%s/search-data", tmp != NULL ? tmp : "/tmp");
	t0 = now_ns();
	if (make_catalog(dir, &nreal) == -1)
		goto out;
	printf("== bench_search: %d procedures (%zu real, %zu generated) "
	    "written in %.2f s\n", CATALOG_SIZE, nreal,
	    CATALOG_SIZE - nreal, (double)(now_ns() - t0) / 1e9);

	cfg = cJSON_Parse(test_config_default());
	portal = cJSON_AddObjectToObject(cfg, "portal");
	cJSON_AddStringToObject(portal, "data_dir", dir);
	config = cJSON_Print(cfg);
	t0 = now_ns();
	if (test_server_start(&ts, config, NULL) == -1) {
		printf("bench_search: dvc-server did not start; log %s\n",
		    ts.log);
		ts.dir[0] = '\0';	/* keep the log */
		goto out;
	}
	started = 1;
	printf("dvc-server on %s (loopback) started in %.2f s, loading the "
	    "catalog\n", ts.url, (double)(now_ns() - t0) / 1e9);
	if (check_catalog(ts.url) == -1)
		goto out;
	for (i = 0; i < NQUERIES; i++) {
		url_encode(queries[i].q, enc, sizeof enc);
		snprintf(urls[i], sizeof urls[i], "%s/api/v1/procedures?q=%s",
		    ts.url, enc);
		paths[i] = urls[i] + strlen(ts.url);
	}
	if (sequential(ts.url, urls, &hz, &se) == -1)
		goto out;

	lua_s = xasprintf("%s/search.lua", tmp != NULL ? tmp : "/tmp");
	lua_h = xasprintf("%s/healthz.lua", tmp != NULL ? tmp : "/tmp");
	if (write_lua(lua_s, paths, NQUERIES) == -1 ||
	    write_lua(lua_h, hzpath, 1) == -1)
		goto out;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu = ncpu > 1 ? (int)ncpu - 1 : 0;
	printf("wrk: taskset -c %d wrk -t1 -c%d -d%ds --latency -s "
	    "{healthz,search}.lua %s (%zu queries in turn, Accept-Encoding: "
	    "gzip); server not pinned\n", cpu, WRK_CONNS, WRK_SECONDS,
	    ts.url, NQUERIES);
	for (r = 1; r <= WRK_ROUNDS; r++) {
		cmd = xasprintf("taskset -c %d wrk -t1 -c%d -d%ds --latency "
		    "-s %s %s 2>&1", cpu, WRK_CONNS, WRK_SECONDS, lua_h,
		    ts.url);
		snprintf(label, sizeof label, "/healthz  #%d", r);
		if (run_wrk(label, cmd, &w) == -1) {
			free(cmd);
			goto out;
		}
		free(cmd);
		hz_req += w.requests;
		hz_us += w.duration_us;
		cmd = xasprintf("taskset -c %d wrk -t1 -c%d -d%ds --latency "
		    "-s %s %s 2>&1", cpu, WRK_CONNS, WRK_SECONDS, lua_s,
		    ts.url);
		snprintf(label, sizeof label, "search    #%d", r);
		if (run_wrk(label, cmd, &w) == -1) {
			free(cmd);
			goto out;
		}
		free(cmd);
		se_req += w.requests;
		se_us += w.duration_us;
		if (w.p99 > worst_p99)
			worst_p99 = w.p99;
	}
	hz_rps = (double)hz_req / ((double)hz_us / 1e6);
	se_rps = (double)se_req / ((double)se_us / 1e6);
	printf("wrk over %d rounds: search %.0f req/s, /healthz %.0f req/s, "
	    "search / healthz %.2f\n", WRK_ROUNDS, se_rps, hz_rps,
	    se_rps / hz_rps);
	printf("one at a time: search / healthz p50 latency %.2fx, req/s "
	    "%.2f\n", se.p50 / hz.p50, se.rps / hz.rps);
	printf("target p99 <= 5 ms, one request at a time, warm: %s "
	    "(%.0f us)\n", verdict(se.p99 <= TARGET_P99_US), se.p99);
	printf("target p99 <= 5 ms, one request at a time, cold: %s "
	    "(%.0f us)\n", verdict(se.cold_p99 <= TARGET_P99_US),
	    se.cold_p99);
	printf("target p99 <= 5 ms, under wrk (%d connections, worst round): "
	    "%s (%ld us)\n", WRK_CONNS, verdict(worst_p99 <= TARGET_P99_US),
	    worst_p99);
	printf("target >= %.0f searches/s: %s (%.0f)\n", TARGET_RPS,
	    verdict(se_rps >= TARGET_RPS), se_rps);
	printf("target >= %.0f%% of the /healthz rate: %s (%.0f%%)\n",
	    TARGET_RATIO * 100, verdict(se_rps >= TARGET_RATIO * hz_rps),
	    100 * se_rps / hz_rps);
	failed = 0;
out:
	if (started && test_server_stop(&ts) != 0) {
		printf("bench_search: dvc-server did not exit cleanly; log "
		    "%s\n", ts.log);
		failed = 1;
		ts.dir[0] = '\0';	/* keep the log */
	}
	if (started || ts.dir[0] != '\0')
		test_server_cleanup(&ts);
	cJSON_Delete(cfg);
	free(config);
	free(lua_s);
	free(lua_h);
	free(dir);
	return failed;
}
