/*
 * Requests from a chosen loopback address with headers of the test's own,
 * and counting a log's lines (cluster.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "cluster.h"

static size_t
keep(char *p, size_t size, size_t n, void *ctx)
{
	return buf_add(ctx, p, size * n) == STATUS_OK ? size * n : 0;
}

long
test_send_from(const char *url, const char *from, const char *const *headers,
    const char *body, struct buf *out)
{
	struct curl_slist *hdrs = NULL, *h;
	struct buf scratch;
	long status = 0;
	CURLcode rc;
	CURL *e;
	size_t i;

	if (out == NULL)
		out = &scratch;
	buf_init(out, 1024 * 1024);
	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		if ((h = curl_slist_append(hdrs, headers[i])) != NULL)
			hdrs = h;
	if (body != NULL && (h = curl_slist_append(hdrs,
	    "Content-Type: application/json")) != NULL)
		hdrs = h;
	if ((e = curl_easy_init()) == NULL)
		goto out;
	curl_easy_setopt(e, CURLOPT_URL, url);
	if (from != NULL)
		curl_easy_setopt(e, CURLOPT_INTERFACE, from);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	if (body != NULL)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 20000L);
	rc = curl_easy_perform(e);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	else if (rc == CURLE_INTERFACE_FAILED)
		status = -1;
	else
		fprintf(stderr, "test: %s %s from %s: %s\n", body != NULL ?
		    "POST" : "GET", url, from != NULL ? from : "any",
		    curl_easy_strerror(rc));
	curl_easy_cleanup(e);
out:
	curl_slist_free_all(hdrs);
	if (out == &scratch)
		buf_free(&scratch);
	return status;
}

int
test_log_count(const char *path, const char *const *needles)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, i;
	int n = 0;

	if (fp == NULL)
		return 0;
	while (getline(&line, &cap, fp) != -1) {
		for (i = 0; needles[i] != NULL; i++)
			if (strstr(line, needles[i]) == NULL)
				break;
		if (needles[i] == NULL)
			n++;
	}
	free(line);
	fclose(fp);
	return n;
}
