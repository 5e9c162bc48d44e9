/*
 * Unit tests of trusted proxies (src/server/proxy.c): addresses and CIDR
 * ranges, IPv4 and IPv6, parsed and refused; and the client's address
 * read from X-Forwarded-For from the right, past the trusted hops, with
 * spaces, many hops, a forged left part and garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "proxy.h"
#include "status.h"

/* Parses the NULL-ended list into nets; the count. */
static size_t
nets_of(const char *const *list, struct proxy_net *nets)
{
	char err[160];
	size_t n;

	for (n = 0; list[n] != NULL; n++)
		assert_int_equal(proxy_net_parse(list[n], &nets[n], err,
		    sizeof err), STATUS_OK);
	return n;
}

static void
test_proxy_parse(void **state)
{
	struct proxy_net net;
	char err[160];

	(void)state;
	assert_int_equal(proxy_net_parse("127.0.0.1", &net, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(net.family, AF_INET);
	assert_int_equal(net.prefix, 32);
	assert_int_equal(proxy_net_parse("10.0.0.0/8", &net, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(net.prefix, 8);
	assert_int_equal(proxy_net_parse("0.0.0.0/0", &net, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(net.prefix, 0);
	assert_int_equal(proxy_net_parse("2001:db8::/32", &net, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(net.family, AF_INET6);
	assert_int_equal(net.prefix, 32);
	assert_int_equal(proxy_net_parse("::1", &net, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(net.prefix, 128);
	/* An IPv4-mapped address and range are the IPv4 ones. */
	assert_int_equal(proxy_net_parse("::ffff:192.0.2.7", &net, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(net.family, AF_INET);
	assert_int_equal(net.prefix, 32);
	assert_int_equal(proxy_net_parse("::ffff:10.0.0.0/104", &net, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(net.family, AF_INET);
	assert_int_equal(net.prefix, 8);
}

static void
test_proxy_parse_refused(void **state)
{
	static const char *const bad[] = {
		"", "localhost", "10.0.0", "10.0.0.256", "10.0.0.0/33",
		"10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8x",
		"10.0.0.0/0008", " 10.0.0.1", "10.0.0.1 ", "10.0.0.1:80",
		"[::1]", "::1/129", "2001:db8::/ 32", "fe80::1%eth0",
		"::ffff:10.0.0.0/95", "10.0.0.0/8/8", "1.2.3.4,5.6.7.8",
		NULL
	};
	struct proxy_net net;
	char err[160];
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		if (proxy_net_parse(bad[i], &net, err, sizeof err) !=
		    STATUS_ERR_INVALID)
			fail_msg("\"%s\" was taken", bad[i]);
		assert_non_null(strstr(err, bad[i]));
	}
	/* Host bits past the prefix: refused, naming the range meant. */
	assert_int_equal(proxy_net_parse("10.1.2.3/8", &net, err, sizeof err),
	    STATUS_ERR_INVALID);
	assert_non_null(strstr(err, "10.0.0.0/8"));
	assert_int_equal(proxy_net_parse("2001:db8::1/32", &net, err,
	    sizeof err), STATUS_ERR_INVALID);
	assert_non_null(strstr(err, "2001:db8::/32"));
}

static void
test_proxy_trusted(void **state)
{
	static const char *const list[] = { "10.0.0.0/8", "192.0.2.7",
	    "2001:db8:a::/48", "172.16.0.0/12", NULL };
	struct proxy_net nets[8];
	size_t n = nets_of(list, nets);

	(void)state;
	assert_true(proxy_trusted(nets, n, "10.0.0.1"));
	assert_true(proxy_trusted(nets, n, "10.255.255.255"));
	assert_false(proxy_trusted(nets, n, "11.0.0.0"));
	assert_false(proxy_trusted(nets, n, "9.255.255.255"));
	assert_true(proxy_trusted(nets, n, "192.0.2.7"));
	assert_false(proxy_trusted(nets, n, "192.0.2.8"));
	assert_true(proxy_trusted(nets, n, "172.31.255.255"));
	assert_false(proxy_trusted(nets, n, "172.32.0.0"));
	assert_true(proxy_trusted(nets, n, "2001:db8:a:ffff::1"));
	assert_true(proxy_trusted(nets, n, "2001:DB8:A::"));
	assert_false(proxy_trusted(nets, n, "2001:db8:b::1"));
	/* A mapped IPv4 address matches its IPv4 range; v4 never v6. */
	assert_true(proxy_trusted(nets, n, "::ffff:10.1.2.3"));
	assert_false(proxy_trusted(nets, n, "::10.1.2.3"));
	assert_false(proxy_trusted(nets, n, "garbage"));
	assert_false(proxy_trusted(nets, n, ""));
	assert_false(proxy_trusted(nets, 0, "10.0.0.1"));
}

/* proxy_client through the nets of list; the answer's status in *st. */
static const char *
client(const char *const *list, const char *peer, const char *xff,
    enum status *st)
{
	static char out[64];
	struct proxy_net nets[8];
	size_t n = nets_of(list, nets);

	*st = proxy_client(nets, n, peer, xff, out, sizeof out);
	return out;
}

static void
test_proxy_client(void **state)
{
	static const char *const lb[] = { "127.0.0.1", NULL };
	static const char *const two[] = { "127.0.0.1", "10.0.0.0/8",
	    "2001:db8::/32", NULL };
	static const char *const none[] = { NULL };
	enum status st;

	(void)state;
	/* Without trusted proxies, or from an untrusted peer: the peer. */
	assert_string_equal(client(none, "127.0.0.1", "198.51.100.1", &st),
	    "127.0.0.1");
	assert_string_equal(client(lb, "127.0.0.2", "198.51.100.1", &st),
	    "127.0.0.2");
	assert_int_equal(st, STATUS_OK);
	/* No header from a trusted peer: the peer. */
	assert_string_equal(client(lb, "127.0.0.1", NULL, &st), "127.0.0.1");
	/* One hop; spaces and tabs around it. */
	assert_string_equal(client(lb, "127.0.0.1", "198.51.100.1", &st),
	    "198.51.100.1");
	assert_string_equal(client(lb, "127.0.0.1", " \t198.51.100.1 \t",
	    &st), "198.51.100.1");
	assert_int_equal(st, STATUS_OK);
	/* A forged left part is never believed: the rightmost untrusted. */
	assert_string_equal(client(lb, "127.0.0.1", "6.6.6.6, 198.51.100.1",
	    &st), "198.51.100.1");
	assert_string_equal(client(lb, "127.0.0.1", "not an address,"
	    "198.51.100.1", &st), "198.51.100.1");
	assert_int_equal(st, STATUS_OK);
	/* Many hops, trusted ones skipped from the right. */
	assert_string_equal(client(two, "127.0.0.1", "6.6.6.6, 203.0.113.9,"
	    " 10.1.1.1,2001:db8::7 , 10.2.2.2", &st), "203.0.113.9");
	/* Every hop trusted: the leftmost. */
	assert_string_equal(client(two, "10.0.0.1", "10.9.9.9, 10.1.1.1",
	    &st), "10.9.9.9");
	/* IPv6 clients, written as inet_ntop writes them. */
	assert_string_equal(client(two, "127.0.0.1", "2001:DB9:0:0::0001",
	    &st), "2001:db9::1");
	assert_string_equal(client(two, "127.0.0.1", "::ffff:198.51.100.1",
	    &st), "198.51.100.1");
	assert_int_equal(st, STATUS_OK);
}

static void
test_proxy_client_garbage(void **state)
{
	static const char *const two[] = { "127.0.0.1", "10.0.0.0/8", NULL };
	static const char *const bad[] = {
		"", " ", ",", "198.51.100.1,", "198.51.100.1, ", "unknown",
		"198.51.100.1:4711", "[2001:db8::1]", "198.51.100.1 10.0.0.1",
		"198.51.100.1, garbage, 10.0.0.1", "198.51.100.1,,10.0.0.1",
		"\"198.51.100.1\"", "198.51.100.1;for=x", "1.2.3",
		NULL
	};
	char *huge;
	enum status st;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		if (strcmp(client(two, "127.0.0.1", bad[i], &st),
		    "127.0.0.1") != 0 || st != STATUS_ERR_INVALID)
			fail_msg("\"%s\" was taken", bad[i]);
	}
	/* Longer than the cap: the peer, even when it would parse. */
	huge = test_malloc(PROXY_MAX_HEADER + 64);
	memset(huge, ' ', PROXY_MAX_HEADER + 32);
	snprintf(huge + PROXY_MAX_HEADER + 16, 32, "198.51.100.1");
	assert_string_equal(client(two, "127.0.0.1", huge, &st), "127.0.0.1");
	assert_int_equal(st, STATUS_ERR_INVALID);
	test_free(huge);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_parse),
		cmocka_unit_test(test_proxy_parse_refused),
		cmocka_unit_test(test_proxy_trusted),
		cmocka_unit_test(test_proxy_client),
		cmocka_unit_test(test_proxy_client_garbage),
	};
	return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
