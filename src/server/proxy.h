/*
 * The proxies a server believes: addresses and CIDR ranges, IPv4 and IPv6
 * (http.trusted_proxies), and the client's real address behind them, from
 * the X-Forwarded-For header that each proxy extends with the address it
 * was reached from.
 *
 * The rule is the usual one: only when the peer is a trusted proxy is the
 * header read at all, and then from the right, past every address that is
 * itself a trusted proxy; the first one that is not is the client.  What
 * lies left of it was written by the client and is never believed.
 */
#ifndef DVC_PROXY_H
#define DVC_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* The most entries http.trusted_proxies may hold. */
#define PROXY_MAX_NETS	32
/* The longest X-Forwarded-For read, all its lines joined, in bytes. */
#define PROXY_MAX_HEADER 4096

/* An address with a prefix length: 10.0.0.0/8, ::1/128. */
struct proxy_net {
	int	 family;	/* AF_INET or AF_INET6 */
	uint8_t	 addr[16];	/* 4 bytes for AF_INET */
	unsigned prefix;	/* 0 to 32 or 128 */
};

/*
 * Parses an address ("192.0.2.7", "2001:db8::1": the whole address) or a
 * range ("10.0.0.0/8", "fd00::/8"); an IPv4-mapped IPv6 address
 * (::ffff:192.0.2.7) is taken as the IPv4 one.  Refuses a range with bits
 * set past its prefix (10.0.0.1/8), spaces, and anything else, with
 * STATUS_ERR_INVALID and the reason in err.
 */
enum status	proxy_net_parse(const char *s, struct proxy_net *out,
		    char *err, size_t errsz);
/* Does the address text addr fall in one of the n nets?  0 for garbage. */
int		proxy_trusted(const struct proxy_net *nets, size_t n,
		    const char *addr);
/*
 * The client's address behind the proxies, into out (as inet_ntop writes
 * it, so that one address is always one text): peer (the connection's
 * address, as text) when n is 0, when xff is NULL or when peer is not a
 * trusted proxy; else the rightmost address of xff (X-Forwarded-For, its
 * lines joined with commas) that is not a trusted proxy, or the leftmost
 * when all are.  Spaces and tabs around each address are allowed.  When
 * an address that must be read is not one (empty, a port, a name,
 * garbage), or xff is longer than PROXY_MAX_HEADER, out is peer and the
 * answer STATUS_ERR_INVALID.
 */
enum status	proxy_client(const struct proxy_net *nets, size_t n,
		    const char *peer, const char *xff, char *out,
		    size_t outsz);

#endif
