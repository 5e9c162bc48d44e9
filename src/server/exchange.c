/*
 * The exchange record: a test-only JSON-lines file of every answer the
 * server sends (exchange.h).  A line is written with one write(2) under a
 * lock, so the lines of a server's threads never mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "buf.h"
#include "exchange.h"
#include "jwt.h"
#include "log.h"
#include "xmalloc.h"

/* The largest body kept once gzip is undone. */
#define EXCHANGE_MAX_BODY (64 * 1024 * 1024)

struct exchange_log {
	int		 fd;
	pthread_mutex_t	 lock;
};

enum status
exchange_log_open(struct exchange_log **out, char *err, size_t errsz)
{
	const char *dir = getenv("DVC_TEST_EXCHANGES");
	struct exchange_log *l;
	char *path;
	int fd;

	*out = NULL;
	if (dir == NULL || *dir == '\0')
		return STATUS_OK;
	path = xasprintf("%s/exchanges-%ld.jsonl", dir, (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(err, errsz, "cannot open the exchange record %s: %s",
		    path, strerror(errno));
		free(path);
		return STATUS_ERR_IO;
	}
	free(path);
	l = xcalloc(1, sizeof *l);
	l->fd = fd;
	pthread_mutex_init(&l->lock, NULL);
	*out = l;
	return STATUS_OK;
}

/* Undoes gzip into out; -1 when the body is not gzip. */
static int
gunzip(const void *data, size_t len, struct buf *out)
{
	z_stream z;
	unsigned char chunk[16384];
	int rc;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = inflate(&z, Z_NO_FLUSH);
		if ((rc != Z_OK && rc != Z_STREAM_END) || buf_add(out, chunk,
		    sizeof chunk - z.avail_out) != STATUS_OK) {
			inflateEnd(&z);
			return -1;
		}
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
	return 0;
}

/* The line of one exchange, newline included; caller frees. */
static char *
exchange_line(const struct exchange *x)
{
	cJSON *o = cJSON_CreateObject();
	struct buf plain;
	const void *body = x->body;
	size_t len = x->len;
	char *b64, *s, *line;

	buf_init(&plain, EXCHANGE_MAX_BODY);
	cJSON_AddStringToObject(o, "method", x->method);
	if (x->route != NULL)
		cJSON_AddStringToObject(o, "route", x->route);
	else
		cJSON_AddNullToObject(o, "route");
	cJSON_AddStringToObject(o, "path", x->path);
	cJSON_AddNumberToObject(o, "status", x->status);
	if (x->content_type != NULL)
		cJSON_AddStringToObject(o, "type", x->content_type);
	else
		cJSON_AddNullToObject(o, "type");
	if (x->len > 0 && x->encoding != NULL &&
	    strcmp(x->encoding, "gzip") == 0) {
		if (gunzip(x->body, x->len, &plain) == 0) {
			body = plain.data != NULL ? plain.data : "";
			len = plain.len;
		} else
			cJSON_AddStringToObject(o, "error", "bad gzip");
	}
	b64 = jwt_b64url_encode(body != NULL ? body : "", len);
	cJSON_AddStringToObject(o, "body", b64);
	free(b64);
	buf_free(&plain);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	line = xasprintf("%s\n", s);
	cJSON_free(s);
	return line;
}

void
exchange_log_write(struct exchange_log *l, const struct exchange *x)
{
	char *line;
	size_t len, off = 0;
	ssize_t n;

	if (l == NULL)
		return;
	line = exchange_line(x);
	len = strlen(line);
	pthread_mutex_lock(&l->lock);
	while (off < len) {
		n = write(l->fd, line + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_warn("exchange record: %s", strerror(errno));
			break;
		}
		off += (size_t)n;
	}
	pthread_mutex_unlock(&l->lock);
	free(line);
}

void
exchange_log_close(struct exchange_log **lp)
{
	struct exchange_log *l = *lp;

	if (l == NULL)
		return;
	close(l->fd);
	pthread_mutex_destroy(&l->lock);
	free(l);
	*lp = NULL;
}
