/*
 * Measures catalog search on the real dvc-server over loopback, with a
 * catalog of 2,000 procedures: the real ones of data/catalog and the rest
 * generated from them (real names with a realistic qualifier, and action
 * x object names such as "Gia hạn giấy phép môi trường"), in a copy of
 * the whole seed folder that the server is pointed at ("portal":
 * {"data_dir"}), so that every seed file the server needs is there.
 *
 * Two sets of queries: the 33 below, which repeat (so the portal's cache
 * of answers serves them), and a mix of 10,000 distinct queries made
 * from the 2,000 names with a seeded generator, as people type them: 2
 * to 40 characters of a name, as written or without diacritics, 15% of
 * the draws with a mistake (two letters swapped, one dropped, doubled or
 * replaced; about a quarter of the distinct queries, since a mistake
 * seldom comes twice).
 * No cache of 1,024 answers can stand in for the search on the mix.
 *
 * - the server's start, and the first search each start answers, on a
 *   new connection (3 starts);
 * - every answer checked: a 200 with a JSON page of results, at least one
 *   hit for each of the 33 (a code query must find its code first) and
 *   for each query of the mix typed without a mistake; the catalog's
 *   total must be 2,000;
 * - one request at a time with the project's HTTP client (one kept-alive
 *   handle, which offers gzip like the terminal client): GET /healthz,
 *   the 33 queries cold (each request new to the server) and warm, and
 *   every query of the mix once; p50, p95, p99;
 * - throughput with wrk pinned to one CPU (taskset -c LAST, -t1 -c8,
 *   5 s, --latency, Accept-Encoding: gzip): /healthz, the 33 in turn and
 *   the mix in turn, in two alternating rounds so that a burst of load
 *   hits each; beside each search figure the share of answers the cache
 *   gave, read from the server's log (SIGUSR1 logs its counts).
 *
 * The targets (one at a time on the mix, p99 <= 2 ms; the first search
 * after a start <= 15 ms; under wrk on the mix >= 10,000 searches/s and
 * >= 50% of the /healthz rate) are reported as PASS or MISS; a miss does
 * not fail the benchmark.  It exits 1 when the measurement fails: the
 * server does not start, an answer is not what it must be, wrk is
 * missing or reports errors.  BENCH_QUICK=1 does the same with 3 rounds
 * of the 33, 300 queries of the mix one at a time and 1 s of wrk each.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
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
#include "utf8.h"
#include "xmalloc.h"

/* The quick mode's (BENCH_QUICK) counts are set in main. */
#define CATALOG_SIZE	2000
#define SEQ_ROUNDS	100	/* sequential requests per query */
#define HEALTHZ_REQS	2000	/* sequential /healthz requests */
#define MIX_SIZE	10000	/* distinct queries as typed */
#define MIX_MISSPELT	15	/* percent of them with a mistake */
#define FIRST_STARTS	3	/* starts for the first search */
#define WRK_SECONDS	5
#define WRK_ROUNDS	2
#define WRK_CONNS	8

#define TARGET_P99_US		2000.0	/* one at a time, the mix */
#define TARGET_FIRST_US		15000.0
#define TARGET_RPS		10000.0	/* under wrk, the mix */
#define TARGET_RATIO		0.5

static size_t	seq_rounds, healthz_reqs;
static int	wrk_seconds, wrk_rounds;

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

/* Every procedure's name, real and generated: what the mix is typed from. */
static char	**names;
static size_t	  nnames;

static void
keep_name(const char *name)
{
	names = xreallocarray(names, nnames + 1, sizeof *names);
	names[nnames++] = xstrdup(name != NULL ? name : "");
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
		keep_name(cJSON_GetStringValue(cJSON_GetObjectItem(j,
		    "name")));
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
		keep_name(name);
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

/* What get_checked asks of an answer beyond a 200 with a JSON object. */
enum want {
	WANT_OBJECT,		/* nothing more */
	WANT_HITS,		/* a search's page, at least one hit */
	WANT_PAGE,		/* a search's page, hits or none */
};

/*
 * One GET with h; checks the answer: a 200 with a JSON object, and for
 * WANT_HITS at least one hit (code: the first hit's national code), for
 * WANT_PAGE a total and items.  Returns 0 with the latency, total hits
 * and bytes of the (encoded) body, or -1.
 */
static int
get_checked(struct httpc *h, const char *url, enum want search,
    const char *code,
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
	} else if (search != WANT_OBJECT) {
		items = cJSON_GetObjectItem(j, "items");
		first = cJSON_GetArrayItem(items, 0);
		nc = cJSON_GetStringValue(cJSON_GetObjectItem(first,
		    "national_code"));
		*total = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j,
		    "total"));
		if (search == WANT_PAGE) {
			if (!cJSON_IsArray(items) || !cJSON_IsNumber(
			    cJSON_GetObjectItem(j, "total")) || (*total > 0) !=
			    (first != NULL))
				snprintf(why, sizeof why, "not a page of "
				    "results");
		} else if (!cJSON_IsArray(items) || first == NULL || *total < 1)
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
 * One request at a time on one kept-alive handle: healthz_reqs of
 * /healthz, then seq_rounds rounds of every query.  Prints the figures.
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

	n = healthz_reqs > seq_rounds * NQUERIES ? healthz_reqs :
	    seq_rounds * NQUERIES;
	lat = xreallocarray(NULL, n, sizeof *lat);
	perq = xreallocarray(NULL, seq_rounds * NQUERIES, sizeof *perq);
	/* Opens the connection before the clock starts. */
	if (get_checked(h, hzurl, WANT_OBJECT, NULL, &ns, &total, &wire,
	    &gz) == -1)
		goto out;
	t0 = now_ns();
	for (i = 0; i < healthz_reqs; i++)
		if (get_checked(h, hzurl, WANT_OBJECT, NULL, &lat[i], &total,
		    &wire, &gz) == -1)
			goto out;
	wall = now_ns() - t0;
	qsort(lat, healthz_reqs, sizeof *lat, cmp_u64);
	hz->rps = healthz_reqs / ((double)wall / 1e9);
	hz->p50 = pct_us(lat, healthz_reqs, 50);
	hz->p95 = pct_us(lat, healthz_reqs, 95);
	hz->p99 = pct_us(lat, healthz_reqs, 99);
	hz->max = (double)lat[healthz_reqs - 1] / 1e3;
	printf("one at a time  GET /healthz  %6zu req %6.2f s %7.0f req/s  "
	    "p50 %5.0f us  p95 %5.0f us  p99 %5.0f us  max %6.0f us\n",
	    healthz_reqs, (double)wall / 1e9, hz->rps, hz->p50, hz->p95,
	    hz->p99, hz->max);

	/*
	 * Cold: each request new to the server (per_page 1 to seq_rounds,
	 * so no answer comes from the portal's cache of answers): what the
	 * first citizen to type a query waits.
	 */
	t0 = now_ns();
	for (r = 0; r < seq_rounds; r++)
		for (i = 0; i < NQUERIES; i++) {
			char cold[600];

			if (snprintf(cold, sizeof cold, "%s&per_page=%zu",
			    urls[i], r + 1) >= (int)sizeof cold)
				goto out;
			if (get_checked(h, cold, WANT_HITS, queries[i].code,
			    &perq[i * seq_rounds + r], &total, &wire,
			    &gz) == -1)
				goto out;
		}
	wall = now_ns() - t0;
	n = seq_rounds * NQUERIES;
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
			qsort(perq + i * seq_rounds, seq_rounds, sizeof *perq,
			    cmp_u64);
			worst[i] = pct_us(perq + i * seq_rounds, seq_rounds,
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
			    seq_rounds, seq_rounds, 99));
		printf("\n");
	}

	/* Warm: the same queries again, as citizens ask them again. */
	t0 = now_ns();
	for (r = 0; r < seq_rounds; r++)
		for (i = 0; i < NQUERIES; i++)
			if (get_checked(h, urls[i], WANT_HITS, queries[i].code,
			    &perq[i * seq_rounds + r], &total, &wire,
			    &gz) == -1)
				goto out;
	wall = now_ns() - t0;
	n = seq_rounds * NQUERIES;
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
	printf("per query (%zu requests each): hits, body bytes sent, p50, "
	    "p99\n", seq_rounds);
	for (i = 0; i < NQUERIES; i++) {
		qsort(perq + i * seq_rounds, seq_rounds, sizeof *perq,
		    cmp_u64);
		/* Once more for its size: the answer does not change. */
		if (get_checked(h, urls[i], WANT_HITS, queries[i].code, &ns, &total,
		    &wire, &gz) == -1)
			goto out;
		printf("  q=%s%*s %5ld hits %5zu bytes%s  p50 %5.0f us  "
		    "p99 %5.0f us\n", queries[i].q,
		    32 - columns(queries[i].q), "", total, wire,
		    gz ? " gzip" : "     ",
		    pct_us(perq + i * seq_rounds, seq_rounds, 50),
		    pct_us(perq + i * seq_rounds, seq_rounds, 99));
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

	buf_init(&b, 16 * 1024 * 1024);
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

/* xorshift64*: the mix is the same on every run. */
static uint64_t
next_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 2685821657736338717ULL;
}

/* The distinct queries, as citizens type them. */
struct mix {
	char	**q;
	int	 *misspelt;
	size_t	  n;
	char	**seen;		/* an open table of every query, by hash */
	size_t	  nseen;
};

/* Adds q to the table unless there; 1 when it was new. */
static int
mix_add_seen(struct mix *m, const char *q)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;
	size_t i;

	for (p = q; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = h % m->nseen; m->seen[i] != NULL; i = (i + 1) % m->nseen)
		if (strcmp(m->seen[i], q) == 0)
			return 0;
	m->seen[i] = xstrdup(q);
	return 1;
}

/*
 * One mistake at an ASCII letter past the first character: two letters
 * swapped, one dropped, one doubled or one replaced.  0, or -1 when q has
 * no such letter.
 */
static int
misspell(char *q, uint64_t *rng)
{
	size_t len = strlen(q), at[256], n = 0, i, k;

	for (i = 1; i < len && n < 256; i++)
		if (q[i] >= 'a' && q[i] <= 'z')
			at[n++] = i;
	if (n == 0)
		return -1;
	k = at[next_rand(rng) % n];
	switch (next_rand(rng) % 4) {
	case 0:
		if (k + 1 < len && q[k + 1] >= 'a' && q[k + 1] <= 'z' &&
		    q[k + 1] != q[k]) {
			char c = q[k];

			q[k] = q[k + 1];
			q[k + 1] = c;
			break;
		}
		/* FALLTHROUGH */
	case 1:
		memmove(q + k, q + k + 1, len - k);
		break;
	case 2:
		memmove(q + k + 1, q + k, len - k + 1);
		break;
	default:
		q[k] = (char)('a' + (q[k] - 'a' + 1 +
		    (int)(next_rand(rng) % 25)) % 26);
		break;
	}
	return 0;
}

/*
 * What is typed so far of a name: 2 to 40 characters, ending on a letter
 * or digit, as written or without diacritics (folded), a MIX_MISSPELT
 * share with a mistake.  In buf (at least 256 bytes); 1 when misspelt,
 * -1 when this draw gives nothing to keep.
 */
static int
typed_prefix(uint64_t *rng, char *buf, size_t bufsz)
{
	const char *name = names[next_rand(rng) % nnames];
	char *folded = NULL;
	const char *src = name;
	size_t chars, want, i, end = 0;
	int bad = 0;

	if (next_rand(rng) % 2 == 0 && utf8_fold(name, &folded) == STATUS_OK)
		src = folded;
	want = 2 + (size_t)(next_rand(rng) % 39);
	for (i = 0, chars = 0; src[i] != '\0' && chars < want; i++)
		if (((unsigned char)src[i] & 0xC0) != 0x80) {
			chars++;
			end = i;
		}
	/* end: the start of the last character kept; take it whole. */
	for (end++; ((unsigned char)src[end] & 0xC0) == 0x80; end++)
		continue;
	if (chars < 2 || end + 2 >= bufsz || end > 200 ||
	    strchr(" ,.;:()-/", src[end - 1]) != NULL) {
		free(folded);
		return -1;
	}
	memcpy(buf, src, end);
	buf[end] = '\0';
	free(folded);
	if (next_rand(rng) % 100 < MIX_MISSPELT) {
		if (misspell(buf, rng) == -1)
			return -1;
		bad = 1;
	}
	return bad;
}

/* MIX_SIZE distinct queries, none of them one of the 33. */
static void
mix_make(struct mix *m)
{
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	char buf[256];
	size_t i;
	int bad;

	memset(m, 0, sizeof *m);
	m->nseen = 4 * (MIX_SIZE + NQUERIES);
	m->seen = xcalloc(m->nseen, sizeof *m->seen);
	m->q = xcalloc(MIX_SIZE, sizeof *m->q);
	m->misspelt = xcalloc(MIX_SIZE, sizeof *m->misspelt);
	for (i = 0; i < NQUERIES; i++)
		mix_add_seen(m, queries[i].q);
	while (m->n < MIX_SIZE) {
		if ((bad = typed_prefix(&rng, buf, sizeof buf)) == -1 ||
		    !mix_add_seen(m, buf))
			continue;
		m->misspelt[m->n] = bad;
		m->q[m->n++] = xstrdup(buf);
	}
}

static void
mix_free(struct mix *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->q[i]);
	for (i = 0; i < m->nseen; i++)
		free(m->seen[i]);
	free(m->q);
	free(m->misspelt);
	free(m->seen);
}

/* The path of a search for q: /api/v1/procedures?q=...; caller frees. */
static char *
search_path(const char *q)
{
	char enc[800];

	url_encode(q, enc, sizeof enc);
	return xasprintf("/api/v1/procedures?q=%s", enc);
}

/*
 * The first n queries of the mix one at a time, each once: every answer
 * a page of results, and one with a hit unless the query is misspelt.
 * The p99 in *p99_us.
 */
static int
mix_sequential(const char *base, const struct mix *m, size_t n,
    double *p99_us)
{
	struct httpc *h = httpc_new(NULL);
	uint64_t *lat = xcalloc(n + 1, sizeof *lat), t0, wall;
	size_t i, wire, misses = 0, hitless = 0;
	char *path, *url;
	long total = 0;
	int gz, rc = -1;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		path = search_path(m->q[i]);
		url = xasprintf("%s%s", base, path);
		rc = get_checked(h, url, m->misspelt[i] ? WANT_PAGE :
		    WANT_HITS, NULL, &lat[i], &total, &wire, &gz);
		free(path);
		free(url);
		if (rc == -1)
			goto out;
		misses += m->misspelt[i];
		hitless += total == 0;
	}
	wall = now_ns() - t0;
	qsort(lat, n, sizeof *lat, cmp_u64);
	*p99_us = pct_us(lat, n, 99);
	printf("one at a time  search, mix   %6zu req %6.2f s %7.0f req/s  "
	    "p50 %5.0f us  p95 %5.0f us  p99 %5.0f us  max %6.0f us\n",
	    n, (double)wall / 1e9, (double)n / ((double)wall / 1e9),
	    pct_us(lat, n, 50), pct_us(lat, n, 95), *p99_us,
	    (double)lat[n - 1] / 1e3);
	printf("  (%zu distinct queries, %zu misspelt, %zu found nothing)\n",
	    n, misses, hitless);
	rc = 0;
out:
	free(lat);
	httpc_free(&h);
	return rc;
}

/*
 * The first search a server answers after its start, on a new
 * connection (the query new to it too): the worst of `starts` starts, the
 * server started again before each but the first.  ts is left running.
 */
static int
first_search(struct test_server *ts, const struct mix *m, int starts,
    double *worst_us)
{
	struct httpc *h;
	uint64_t ns;
	size_t wire;
	long total;
	char *path, *url;
	int i, gz, rc = 0;

	*worst_us = 0;
	for (i = 0; i < starts && rc == 0; i++) {
		if (i > 0 && test_server_restart(ts) != 0) {
			printf("bench_search: dvc-server did not start again; "
			    "log %s\n", ts->log);
			return -1;
		}
		h = httpc_new(NULL);
		path = search_path(m->q[MIX_SIZE - 1 - (size_t)i]);
		url = xasprintf("%s%s", ts->url, path);
		rc = get_checked(h, url, m->misspelt[MIX_SIZE - 1 - (size_t)i] ?
		    WANT_PAGE : WANT_HITS, NULL, &ns, &total, &wire, &gz);
		if (rc == 0 && (double)ns / 1e3 > *worst_us)
			*worst_us = (double)ns / 1e3;
		if (rc == 0)
			printf("first search after start #%d  %8.2f ms  q=%s\n",
			    i + 1, (double)ns / 1e6, m->q[MIX_SIZE - 1 -
			    (size_t)i]);
		free(path);
		free(url);
		httpc_free(&h);
	}
	return rc;
}

/*
 * The server's log from byte off to its end (caller frees), or NULL: a
 * wrk round logs a line a request, so that the whole log soon outgrows
 * what test_server_log reads.
 */
static char *
log_since(const char *path, long off)
{
	FILE *fp = fopen(path, "r");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (fp == NULL)
		return NULL;
	buf_init(&b, 64 * 1024 * 1024);
	if (fseek(fp, off, SEEK_SET) == 0)
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			if (buf_add(&b, chunk, n) != STATUS_OK)
				break;
	fclose(fp);
	return buf_detach(&b, NULL);
}

/*
 * The catalog cache's counts from the server's log: SIGUSR1, then the
 * "catalog cache: N hits, M misses" line it writes.  0, or -1 when none
 * came.
 */
static int
cache_counts(struct test_server *ts, unsigned long long *hits,
    unsigned long long *misses)
{
	struct stat sb;
	char *log, *p;
	long off;
	int i, found;

	off = stat(ts->log, &sb) == 0 ? (long)sb.st_size : 0;
	kill(ts->pid, SIGUSR1);
	for (i = 0; i < 500; i++) {
		log = log_since(ts->log, off);
		p = log != NULL ? strstr(log, "catalog cache: ") : NULL;
		found = p != NULL && sscanf(p, "catalog cache: %llu hits, "
		    "%llu misses", hits, misses) == 2;
		free(log);
		if (found)
			return 0;
		usleep(10000);
	}
	printf("bench_search: no count of the catalog cache in %s\n",
	    ts->log);
	return -1;
}

/* One wrk run of script against the server, with the cache's hit rate. */
static int
wrk_round(struct test_server *ts, const char *label, const char *script,
    int cpu, struct wrk_result *w, double *hit_pct)
{
	unsigned long long h0, m0, h1, m1;
	char *cmd;
	int rc;

	if (cache_counts(ts, &h0, &m0) == -1)
		return -1;
	cmd = xasprintf("taskset -c %d wrk -t1 -c%d -d%ds --latency -s %s %s "
	    "2>&1", cpu, WRK_CONNS, wrk_seconds, script, ts->url);
	rc = run_wrk(label, cmd, w);
	free(cmd);
	if (rc == -1 || cache_counts(ts, &h1, &m1) == -1)
		return -1;
	*hit_pct = h1 + m1 > h0 + m0 ? 100.0 * (double)(h1 - h0) /
	    (double)(h1 - h0 + m1 - m0) : 0;
	if (strncmp(label, "/healthz", 8) != 0)
		printf("    catalog cache hits in that run: %.1f%% of %llu "
		    "requests\n", *hit_pct, h1 - h0 + m1 - m0);
	return 0;
}

/* The figures of a kind of wrk run over its rounds. */
struct wrk_sum {
	long	requests, duration_us, worst_p99;
	double	hit_pct;	/* the last round's */
};

static void
wrk_add(struct wrk_sum *sum, const struct wrk_result *w, double hit_pct)
{
	sum->requests += w->requests;
	sum->duration_us += w->duration_us;
	if (w->p99 > sum->worst_p99)
		sum->worst_p99 = w->p99;
	sum->hit_pct = hit_pct;
}

static double
wrk_rate(const struct wrk_sum *sum)
{
	return (double)sum->requests / ((double)sum->duration_us / 1e6);
}

/* The paths of the mix for wrk, to its script at path. */
static int
write_mix_lua(const char *path, const struct mix *m)
{
	char **paths = xcalloc(m->n, sizeof *paths);
	size_t i;
	int rc;

	for (i = 0; i < m->n; i++)
		paths[i] = search_path(m->q[i]);
	rc = write_lua(path, (const char *const *)paths, m->n);
	for (i = 0; i < m->n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

/*
 * Throughput under wrk: /healthz, the 33 queries (which the cache
 * answers) and the distinct mix (which it cannot), in alternating
 * rounds.  Prints the figures and the targets on the mix.
 */
static int
throughput(struct test_server *ts, const char *const *paths,
    const struct mix *m, const char *tmp)
{
	static const char *const hzpath[] = { "/healthz" };
	struct wrk_result w;
	struct wrk_sum hz, se, mx;
	char *lua_h, *lua_s, *lua_m, label[32];
	double pct, hz_rps, mx_rps;
	long ncpu;
	int r, cpu, rc = -1;

	memset(&hz, 0, sizeof hz);
	memset(&se, 0, sizeof se);
	memset(&mx, 0, sizeof mx);
	lua_h = xasprintf("%s/healthz.lua", tmp);
	lua_s = xasprintf("%s/search.lua", tmp);
	lua_m = xasprintf("%s/mix.lua", tmp);
	if (write_lua(lua_h, hzpath, 1) == -1 ||
	    write_lua(lua_s, paths, NQUERIES) == -1 ||
	    write_mix_lua(lua_m, m) == -1)
		goto out;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu = ncpu > 1 ? (int)ncpu - 1 : 0;
	printf("wrk: taskset -c %d wrk -t1 -c%d -d%ds --latency -s "
	    "{healthz,search,mix}.lua %s (the 33 queries in turn, then the "
	    "%zu of the mix in turn, Accept-Encoding: gzip); server not "
	    "pinned\n", cpu, WRK_CONNS, wrk_seconds, ts->url, m->n);
	for (r = 1; r <= wrk_rounds; r++) {
		snprintf(label, sizeof label, "/healthz  #%d", r);
		if (wrk_round(ts, label, lua_h, cpu, &w, &pct) == -1)
			goto out;
		wrk_add(&hz, &w, 0);
		snprintf(label, sizeof label, "search 33 #%d", r);
		if (wrk_round(ts, label, lua_s, cpu, &w, &pct) == -1)
			goto out;
		wrk_add(&se, &w, pct);
		snprintf(label, sizeof label, "search mix #%d", r);
		if (wrk_round(ts, label, lua_m, cpu, &w, &pct) == -1)
			goto out;
		wrk_add(&mx, &w, pct);
	}
	hz_rps = wrk_rate(&hz);
	mx_rps = wrk_rate(&mx);
	printf("wrk over %d rounds: /healthz %.0f req/s; the 33 queries "
	    "%.0f req/s (%.2f of /healthz, cache hits %.1f%%); the mix %.0f "
	    "req/s (%.2f of /healthz, cache hits %.1f%%, p99 %ld us)\n",
	    wrk_rounds, hz_rps, wrk_rate(&se), wrk_rate(&se) / hz_rps,
	    se.hit_pct, mx_rps, mx_rps / hz_rps, mx.hit_pct, mx.worst_p99);
	printf("target >= %.0f searches/s under wrk, distinct mix: %s (%.0f; "
	    "cache hits %.1f%%)\n", TARGET_RPS, verdict(mx_rps >= TARGET_RPS),
	    mx_rps, mx.hit_pct);
	printf("target >= %.0f%% of the /healthz rate, distinct mix: %s "
	    "(%.0f%%; cache hits %.1f%%)\n", TARGET_RATIO * 100,
	    verdict(mx_rps >= TARGET_RATIO * hz_rps), 100 * mx_rps / hz_rps,
	    mx.hit_pct);
	rc = 0;
out:
	free(lua_h);
	free(lua_s);
	free(lua_m);
	return rc;
}

int
main(void)
{
	struct test_server ts;
	struct seq hz, se;
	struct mix mix;
	static char urls[NQUERIES][512];
	const char *paths[NQUERIES];
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL, *config = NULL, enc[400];
	cJSON *cfg = NULL, *portal;
	double first_us = 0, mix_p99 = 0;
	size_t nreal = 0, i, nmix;
	uint64_t t0;
	int failed = 1, started = 0, quick = test_bench_quick();

	seq_rounds = (size_t)test_bench_n(SEQ_ROUNDS, 3);
	healthz_reqs = (size_t)test_bench_n(HEALTHZ_REQS, 200);
	wrk_seconds = (int)test_bench_n(WRK_SECONDS, 1);
	wrk_rounds = (int)test_bench_n(WRK_ROUNDS, 1);
	nmix = (size_t)test_bench_n(MIX_SIZE, 300);
	if (tmp == NULL)
		tmp = "/tmp";
	memset(&ts, 0, sizeof ts);
	dir = xasprintf("%s/search-data", tmp);
	t0 = now_ns();
	if (make_catalog(dir, &nreal) == -1)
		goto out;
	mix_make(&mix);
	printf("== bench_search%s: %d procedures (%zu real, %zu generated) "
	    "written in %.2f s; a mix of %d distinct queries typed from "
	    "their names\n", quick ? " (quick mode)" : "", CATALOG_SIZE,
	    nreal, CATALOG_SIZE - nreal, (double)(now_ns() - t0) / 1e9,
	    MIX_SIZE);

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
	if (first_search(&ts, &mix, quick ? 1 : FIRST_STARTS,
	    &first_us) == -1 || check_catalog(ts.url) == -1)
		goto out;
	for (i = 0; i < NQUERIES; i++) {
		url_encode(queries[i].q, enc, sizeof enc);
		snprintf(urls[i], sizeof urls[i], "%s/api/v1/procedures?q=%s",
		    ts.url, enc);
		paths[i] = urls[i] + strlen(ts.url);
	}
	if (sequential(ts.url, urls, &hz, &se) == -1 ||
	    mix_sequential(ts.url, &mix, nmix, &mix_p99) == -1 ||
	    throughput(&ts, paths, &mix, tmp) == -1)
		goto out;
	printf("target p99 <= 2 ms, one request at a time, warm, distinct "
	    "mix: %s (%.0f us)\n", verdict(mix_p99 <= TARGET_P99_US),
	    mix_p99);
	printf("target first search after start <= 15 ms (worst of %d "
	    "starts): %s (%.0f us)\n", quick ? 1 : FIRST_STARTS,
	    verdict(first_us <= TARGET_FIRST_US), first_us);
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
	if (mix.q != NULL)
		mix_free(&mix);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	cJSON_Delete(cfg);
	free(config);
	free(dir);
	return failed;
}
