/*
 * The bytes a client fetches for the address fields, on the wire (the
 * status line, each header as "Name: value\r\n", the blank line and the
 * body as sent), from the real dvc-server over loopback: the provinces
 * (GET /api/v1/addresses) and a province's wards (Hồ Chí Minh, the most
 * wards, and Quảng Ngãi), each fetched first (200) and again with its
 * ETag (304), without and with gzip; a lookup of an old address (an
 * old district: six wards with their old names); and,
 * for comparison, the whole table with every ward and every old ward, as
 * data/addresses.json holds it, printed compactly and gzipped as the
 * server would (what a client would fetch if the table came whole).
 * Exits 1 when an answer is not the one expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "httpc.h"
#include "json.h"
#include "status.h"
#include "testlib.h"
#include "xmalloc.h"

/* One answer's bytes. */
struct wire {
	size_t	head;		/* status line and headers, blank line */
	size_t	body;		/* as sent */
	long	status;
	char	etag[64];
};

/*
 * GET url with the encoding the client takes ("identity" or "gzip") and
 * If-None-Match etag (NULL: none); its bytes on the wire.  0, or -1 (an
 * answer of the table not encoded as asked, or without an ETag).
 */
static int
fetch(struct httpc *h, const char *url, const char *encoding,
    const char *etag, int cacheable, struct wire *w)
{
	struct httpc_request req;
	struct httpc_response resp;
	char ae[64], inm[96];
	const char *headers[3] = { ae, NULL, NULL }, *v;
	size_t i;
	int rc = -1;

	memset(w, 0, sizeof *w);
	snprintf(ae, sizeof ae, "Accept-Encoding: %s", encoding);
	if (etag != NULL) {
		snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
		headers[1] = inm;
	}
	memset(&req, 0, sizeof req);
	req.url = url;
	req.headers = headers;
	if (httpc_do(h, &req, &resp) != STATUS_OK) {
		printf("%s: %s\n", url, httpc_error(h));
		return -1;
	}
	w->status = resp.status;
	/* "HTTP/1.1 200 OK\r\n" and "HTTP/1.1 304 Not Modified\r\n". */
	w->head = resp.status == 304 ? 27 : 17;
	for (i = 0; i < resp.nheaders; i++)
		w->head += strlen(resp.headers[i].name) + 2 +
		    strlen(resp.headers[i].value) + 2;
	w->head += 2;
	v = httpc_response_header(&resp, "Content-Length");
	w->body = v != NULL ? (size_t)strtoull(v, NULL, 10) : resp.body.len;
	if ((v = httpc_response_header(&resp, "ETag")) != NULL)
		snprintf(w->etag, sizeof w->etag, "%s", v);
	v = httpc_response_header(&resp, "Content-Encoding");
	if (cacheable && resp.status == 200 && (strcmp(encoding, "gzip") ==
	    0) != (v != NULL && strcmp(v, "gzip") == 0))
		printf("%s: Content-Encoding %s for %s\n", url, v != NULL ? v :
		    "none", encoding);
	else if (cacheable && w->etag[0] == '\0')
		printf("%s: no ETag\n", url);
	else
		rc = 0;
	httpc_response_free(&resp);
	return rc;
}

/* A path's four fetches, one line each; their 200 bytes into *first. */
static int
measure(struct httpc *h, const char *base, const char *path, size_t *first)
{
	static const char *const encodings[] = { "identity", "gzip" };
	struct wire w, again;
	char *url = xasprintf("%s%s", base, path);
	size_t e;
	int rc = 0;

	for (e = 0; e < 2 && rc == 0; e++) {
		if (fetch(h, url, encodings[e], NULL, 1, &w) == -1 ||
		    fetch(h, url, encodings[e], w.etag, 1, &again) == -1 ||
		    w.status != 200 || again.status != 304 ||
		    again.body != 0) {
			printf("%s: not 200 then 304\n", path);
			rc = -1;
			break;
		}
		printf("%-26s %-8s first (200) %6zu bytes (headers %3zu, body "
		    "%6zu); again (304) %3zu bytes\n", path, encodings[e],
		    w.head + w.body, w.head, w.body, again.head);
		first[e] = w.head + w.body;
	}
	free(url);
	return rc;
}

/* The gzip size of s as the server makes it (level 6), or 0. */
static size_t
gzip_size(const char *s, size_t len)
{
	z_stream z;
	unsigned char out[65536];
	size_t n = 0;
	int rc;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return 0;
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)len;
	do {
		z.next_out = out;
		z.avail_out = sizeof out;
		rc = deflate(&z, Z_FINISH);
		n += sizeof out - z.avail_out;
	} while (rc == Z_OK);
	deflateEnd(&z);
	return rc == Z_STREAM_END ? n : 0;
}

/* The whole table, compact and gzipped, for comparison. */
static int
whole_table(void)
{
	char *text, *compact;
	size_t len;
	cJSON *doc = NULL;

	text = test_source_read("data/addresses.json", &len);
	if (text == NULL || json_parse(text, len, &doc, NULL, 0) !=
	    STATUS_OK) {
		printf("data/addresses.json cannot be read\n");
		free(text);
		return -1;
	}
	compact = cJSON_PrintUnformatted(doc);
	printf("%-26s whole, compact %7zu bytes; gzipped %6zu bytes\n",
	    "(the table with old wards)", strlen(compact),
	    gzip_size(compact, strlen(compact)));
	cJSON_free(compact);
	cJSON_Delete(doc);
	free(text);
	return 0;
}

int
main(void)
{
	static const char *const paths[] = { "/api/v1/addresses",
	    "/api/v1/addresses/79", "/api/v1/addresses/51",
	    "/api/v1/addresses/lookup?q=qu%E1%BA%ADn%20g%C3%B2%20v%E1%BA%A5p" };
	struct test_server ts;
	struct httpc *h;
	struct wire w;
	size_t first[4][2];
	char *url;
	int failed = 0, p;

	if (test_server_start(&ts, NULL, NULL) == -1) {
		printf("bench_addresses: dvc-server did not start\n");
		test_server_cleanup(&ts);
		return 1;
	}
	printf("== bench_addresses: dvc-server on %s (loopback)\n", ts.url);
	h = httpc_new(NULL);
	for (p = 0; p < 3 && !failed; p++)
		failed = measure(h, ts.url, paths[p], first[p]) == -1;
	/* The lookup: never cached, so a 200 each time. */
	url = xasprintf("%s%s", ts.url, paths[3]);
	for (p = 0; p < 2 && !failed; p++) {
		if (fetch(h, url, p ? "gzip" : "identity", NULL, 0, &w) == -1 ||
		    w.status != 200) {
			failed = 1;
			break;
		}
		printf("%-26s %-8s %6zu bytes (headers %3zu, body %6zu)\n",
		    "lookup \"quận gò vấp\"", p ? "gzip" :
		    "identity", w.head + w.body, w.head, w.body);
	}
	free(url);
	if (!failed) {
		printf("a citizen of Hồ Chí Minh: first visit %zu bytes "
		    "(gzip), %zu (identity)\n", first[0][1] + first[1][1],
		    first[0][0] + first[1][0]);
		failed = whole_table() == -1;
	}
	httpc_free(&h);
	test_server_cleanup(&ts);
	return failed;
}
