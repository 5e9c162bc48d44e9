/*
 * Trusted proxies and the client's address behind them (proxy.h): the
 * parsing of addresses and CIDR ranges, and the walk of X-Forwarded-For
 * from the right.
 */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>

#include "proxy.h"

/* The longest address text taken, with room to spare: IPv6 is 45. */
#define ADDR_MAX	64

/*
 * The address of len bytes at s, whole, into out with its full prefix;
 * an IPv4-mapped IPv6 address becomes the IPv4 one.  0, or -1 when it
 * is not an address.
 */
static int
parse_addr(const char *s, size_t len, struct proxy_net *out)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	char text[ADDR_MAX];

	if (len == 0 || len >= sizeof text)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, text, out->addr) == 1) {
		out->family = AF_INET;
		out->prefix = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, text, out->addr) != 1)
		return -1;
	out->family = AF_INET6;
	out->prefix = 128;
	if (memcmp(out->addr, mapped, sizeof mapped) == 0) {
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = AF_INET;
		out->prefix = 32;
	}
	return 0;
}

/* Do the first bits of a and b agree? */
static int
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static int
net_has(const struct proxy_net *net, const struct proxy_net *a)
{
	return net->family == a->family &&
	    prefix_equal(net->addr, a->addr, net->prefix);
}

static int
any_has(const struct proxy_net *nets, size_t n, const struct proxy_net *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (net_has(&nets[i], a))
			return 1;
	return 0;
}

/* Zeroes the bits of a->addr past a->prefix. */
static void
clear_host_bits(struct proxy_net *a)
{
	unsigned i, bits = a->prefix;

	for (i = 0; i < sizeof a->addr; i++) {
		if (bits >= 8)
			bits -= 8;
		else {
			a->addr[i] &= (uint8_t)(0xff << (8 - bits));
			bits = 0;
		}
	}
}

/* The prefix length after '/': 1 to 3 digits, at most max; -1 if not. */
static int
parse_prefix(const char *s, unsigned max)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9' && i < 3; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (i == 0 || s[i] != '\0' || v > max)
		return -1;
	return (int)v;
}

enum status
proxy_net_parse(const char *s, struct proxy_net *out, char *err,
    size_t errsz)
{
	const char *slash = strchr(s, '/');
	size_t len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	struct proxy_net masked;
	char net[ADDR_MAX];
	int v6, prefix;

	if (parse_addr(s, len, out) == -1) {
		err_printf(err, errsz, "\"%s\" is not an IPv4 or IPv6 address "
		    "or a range such as 10.0.0.0/8", s);
		return STATUS_ERR_INVALID;
	}
	if (slash == NULL)
		return STATUS_OK;
	/* A mapped range (::ffff:10.0.0.0/104) counts its bits after 96. */
	v6 = memchr(s, ':', len) != NULL;
	prefix = parse_prefix(slash + 1, v6 ? 128 : 32);
	if (prefix != -1 && v6 && out->family == AF_INET)
		prefix = prefix >= 96 ? prefix - 96 : -1;
	if (prefix == -1) {
		err_printf(err, errsz, "\"%s\": the prefix after / must be a "
		    "number from %d to %d", s, v6 && out->family == AF_INET ?
		    96 : 0, v6 ? 128 : 32);
		return STATUS_ERR_INVALID;
	}
	out->prefix = (unsigned)prefix;
	masked = *out;
	clear_host_bits(&masked);
	if (memcmp(masked.addr, out->addr, sizeof out->addr) != 0) {
		inet_ntop(out->family, masked.addr, net, sizeof net);
		err_printf(err, errsz, "\"%s\" has bits set past its prefix "
		    "(the range is %s/%d)", s, net, prefix);
		return STATUS_ERR_INVALID;
	}
	return STATUS_OK;
}

int
proxy_trusted(const struct proxy_net *nets, size_t n, const char *addr)
{
	struct proxy_net a;

	if (parse_addr(addr, strlen(addr), &a) == -1)
		return 0;
	return any_has(nets, n, &a);
}

/* The bytes [s, e) without the spaces and tabs around them. */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

enum status
proxy_client(const struct proxy_net *nets, size_t n, const char *peer,
    const char *xff, char *out, size_t outsz)
{
	const char *end, *comma, *s, *e;
	struct proxy_net a;
	char text[ADDR_MAX];

	snprintf(out, outsz, "%s", peer);
	if (n == 0 || xff == NULL || !proxy_trusted(nets, n, peer))
		return STATUS_OK;
	if (strlen(xff) > PROXY_MAX_HEADER)
		return STATUS_ERR_INVALID;
	text[0] = '\0';
	for (end = xff + strlen(xff); ; end = comma) {
		comma = memrchr(xff, ',', (size_t)(end - xff));
		s = comma != NULL ? comma + 1 : xff;
		e = end;
		trim(&s, &e);
		if (parse_addr(s, (size_t)(e - s), &a) == -1) {
			snprintf(out, outsz, "%s", peer);
			return STATUS_ERR_INVALID;
		}
		inet_ntop(a.family, a.addr, text, sizeof text);
		if (!any_has(nets, n, &a) || comma == NULL)
			break;
	}
	snprintf(out, outsz, "%s", text);
	return STATUS_OK;
}
