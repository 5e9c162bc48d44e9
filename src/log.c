/*
 * Logging with levels.  Lines are formatted into a local buffer, scrubbed of
 * secrets by log_redact(), and written with one fputs under a lock.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "log.h"

static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE		*log_fp;
static int		 log_owned;
static enum log_level	 log_min = LOG_INFO;

static const char *log_names[] = { "debug", "info", "warn", "error", "off" };

/* Key names whose values are secrets: matched as a suffix of the key. */
static const char *secret_keys[] = {
	"token", "password", "passwd", "passcode", "secret", "pin", "otp",
	"private_key", "api_key", "device_code", "activation_code",
	"authorization", "cookie", "user_code", "tran_code", NULL
};

/* The key of log_tag; random for the process until log_tag_key sets it. */
static uint8_t		 tag_key[32];
static int		 tag_key_set;

void
log_open_stream(FILE *fp, enum log_level min)
{
	pthread_mutex_lock(&log_lock);
	log_fp = fp;
	log_owned = 0;
	log_min = min;
	pthread_mutex_unlock(&log_lock);
}

int
log_open_path(const char *path, enum log_level min)
{
	FILE *fp;
	int fd, saved;

	/* Mode 0600 when made here: a log is for the operator alone. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
	    0600);
	if (fd == -1)
		return -1;
	if ((fp = fdopen(fd, "a")) == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	setvbuf(fp, NULL, _IOLBF, 0);
	pthread_mutex_lock(&log_lock);
	if (log_owned && log_fp != NULL)
		fclose(log_fp);
	log_fp = fp;
	log_owned = 1;
	log_min = min;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_owned && log_fp != NULL)
		fclose(log_fp);
	log_fp = NULL;
	log_owned = 0;
	pthread_mutex_unlock(&log_lock);
}

int
log_level_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++)
		if (strcasecmp(s, log_names[i]) == 0)
			return (int)i;
	return -1;
}

int
log_enabled(enum log_level level)
{
	return level >= log_min && log_min != LOG_OFF;
}

void
log_tag_key(const uint8_t *key, size_t len)
{
	pthread_mutex_lock(&log_lock);
	/* Kept as its SHA-256, so that a key of any length fits. */
	EVP_Digest(key, len, tag_key, NULL, EVP_sha256(), NULL);
	tag_key_set = 1;
	pthread_mutex_unlock(&log_lock);
}

const char *
log_tag(const char *id, char out[LOG_TAG_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	uint8_t key[sizeof tag_key];
	int i;

	pthread_mutex_lock(&log_lock);
	if (!tag_key_set && RAND_bytes(tag_key, sizeof tag_key) == 1)
		tag_key_set = 1;
	memcpy(key, tag_key, sizeof key);
	pthread_mutex_unlock(&log_lock);
	HMAC(EVP_sha256(), key, (int)sizeof key, (const unsigned char *)id,
	    strlen(id), mac, &n);
	OPENSSL_cleanse(key, sizeof key);
	for (i = 0; i < 4; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[8] = '\0';
	return out;
}

const char *
log_cccd(const char *cccd, char out[LOG_CCCD_LEN])
{
	size_t n = strlen(cccd);

	if (n == 12 && strspn(cccd, "0123456789") == 12)
		snprintf(out, LOG_CCCD_LEN, "%.3s******%s", cccd, cccd + 9);
	else {
		n = n < LOG_CCCD_LEN - 1 ? n : LOG_CCCD_LEN - 1;
		memset(out, '*', n);
		out[n] = '\0';
	}
	return out;
}

static int
is_key_char(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Does the key that ends just before s+end (exclusive) name a secret? */
static int
key_is_secret(const char *s, size_t start, size_t end)
{
	size_t n, kl, i;

	n = end - start;
	for (i = 0; secret_keys[i] != NULL; i++) {
		kl = strlen(secret_keys[i]);
		if (n >= kl && strncasecmp(s + end - kl, secret_keys[i], kl) == 0)
			return 1;
	}
	return 0;
}

/* Overwrites s[from..to) with "[redacted]" or stars, shifting the rest left. */
static size_t
blank(char *s, size_t from, size_t to)
{
	static const char mark[] = "[redacted]";
	size_t n = to - from, ml = sizeof mark - 1;

	if (n >= ml) {
		memcpy(s + from, mark, ml);
		memmove(s + from + ml, s + to, strlen(s + to) + 1);
		return from + ml;
	}
	memset(s + from, '*', n);
	return to;
}

static int
is_b64url(int c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '=';
}

void
log_redact(char *s)
{
	size_t i, ks, v, e;
	int quoted;

	for (i = 0; s[i] != '\0'; i++) {
		/* Twelve digits, no more and no fewer: maybe a CCCD. */
		if (isdigit((unsigned char)s[i]) && (i == 0 ||
		    !isdigit((unsigned char)s[i - 1]))) {
			e = i + strspn(s + i, "0123456789");
			if (e - i == 12) {
				memset(s + i + 3, '*', 6);
				i = e - 1;
				continue;
			}
		}
		/* A JWT: three base64url parts, the first starting "eyJ". */
		if (strncmp(s + i, "eyJ", 3) == 0 && (i == 0 || !is_b64url(s[i - 1]))) {
			e = i;
			while (is_b64url(s[e]) || s[e] == '.')
				e++;
			i = blank(s, i, e) - 1;
			continue;
		}
		if (strncasecmp(s + i, "Bearer ", 7) == 0 ||
		    strncasecmp(s + i, "Basic ", 6) == 0) {
			v = i + (strncasecmp(s + i, "Bearer ", 7) == 0 ? 7 : 6);
			e = v;
			while (s[e] != '\0' && !isspace((unsigned char)s[e]) &&
			    s[e] != '"' && s[e] != ',')
				e++;
			if (e > v)
				i = blank(s, v, e) - 1;
			continue;
		}
		if (!is_key_char(s[i]) || (i > 0 && is_key_char(s[i - 1])))
			continue;
		/* A key: letters, digits, '_' and '-'. */
		ks = i;
		e = i;
		while (is_key_char(s[e]))
			e++;
		v = e;
		if (s[v] == '"')
			v++;
		if (s[v] == '=' || s[v] == ':') {
			v++;
			while (s[v] == ' ')
				v++;
		} else {
			i = e - 1;
			continue;
		}
		if (!key_is_secret(s, ks, e)) {
			i = e - 1;
			continue;
		}
		quoted = s[v] == '"';
		if (quoted)
			v++;
		if (strncasecmp(s + v, "Bearer ", 7) == 0)
			v += 7;
		else if (strncasecmp(s + v, "Basic ", 6) == 0)
			v += 6;
		e = v;
		if (quoted) {
			while (s[e] != '\0' && s[e] != '"') {
				if (s[e] == '\\' && s[e + 1] != '\0')
					e++;
				e++;
			}
		} else {
			while (s[e] != '\0' && !isspace((unsigned char)s[e]) &&
			    s[e] != '&' && s[e] != ',' && s[e] != ';' &&
			    s[e] != '}')
				e++;
		}
		if (e > v)
			i = blank(s, v, e);
		else
			i = e;
		if (s[i] == '\0')
			break;
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[4096], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;
	int saved = errno;

	if (!log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	n = (size_t)snprintf(line, sizeof line, "%s.%03ldZ %s ", stamp,
	    ts.tv_nsec / 1000000, log_names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	log_redact(line + n);
	/* One line per call: control characters become spaces. */
	for (; line[n] != '\0'; n++)
		if (line[n] == '\n' || line[n] == '\r')
			line[n] = ' ';
	pthread_mutex_lock(&log_lock);
	fprintf(log_fp != NULL ? log_fp : stderr, "%s\n", line);
	pthread_mutex_unlock(&log_lock);
	errno = saved;
}
