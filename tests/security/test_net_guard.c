/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP client's guard for URLs taken from documents (issue 19): which
 * addresses count as special (loopback, private, link-local, ... and their
 * IPv6 spellings), the fetch_hosts grammar, and net_http() refusing a
 * host that is not listed, a name that resolves to an unlisted loopback
 * address (checked at connect time), and a spent budget, all before any
 * packet is sent.  Only loopback names are used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "net/net.h"

static void
test_special_addresses(void **state)
{
	static const char *const special[] = {
	    "127.0.0.1",
	    "127.255.255.254",
	    "10.1.2.3",
	    "172.16.0.1",
	    "172.31.255.255",
	    "192.168.1.1",
	    "100.64.0.1",
	    "100.127.255.255",
	    "169.254.169.254",
	    "0.0.0.0",
	    "224.0.0.1",
	    "239.255.255.250",
	    "255.255.255.255",
	    "240.0.0.1",
	    "192.0.2.1",
	    "198.18.0.1",
	    "::1",
	    "::",
	    "[::1]",
	    "fe80::1",
	    "fc00::1",
	    "fd12:3456::1",
	    "ff02::1",
	    "::ffff:127.0.0.1",
	    "::ffff:10.0.0.1",
	    "::ffff:169.254.169.254",
	    "::127.0.0.1",
	    "64:ff9b::a00:1",
	    "2002:7f00:1::1",
	    "2002:a9fe:a9fe::",
	    "2001:db8::1",
	    "fec0::1",
	};
	static const char *const ordinary[] = {
	    "8.8.8.8",        "172.32.0.1",       "100.128.0.1",    "203.0.114.1",
	    "11.0.0.1",       "2606:4700::1111",  "::ffff:8.8.8.8", "2002:808:808::1",
	    "[2a00:1450::1]", "64:ff9b::808:808",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		print_message("special %s\n", special[i]);
		assert_int_equal(net_addr_special(special[i]), 1);
	}
	for (i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		print_message("ordinary %s\n", ordinary[i]);
		assert_int_equal(net_addr_special(ordinary[i]), 0);
	}
	/* Not literals at all: names are judged by what they resolve to. */
	assert_int_equal(net_addr_special("localhost"), SERTEL_EINVAL);
	assert_int_equal(net_addr_special("0x7f000001"), SERTEL_EINVAL);
	assert_int_equal(net_addr_special("127.1"), SERTEL_EINVAL);
	sertel_err_clear();
}

static void
test_allow_grammar(void **state)
{
	static const char *const bad[] = {
	    "http://x/", "b/c",          "*foo.id",   "a.*.id", "1.2.3.4/33",
	    "x:0",       "x:70000",      "x:8a",      "[::1",   "[::1]/129",
	    "host_1",    "10.0.0.0/8/8", "[::1]:1:2",
	};
	struct net_allow a;
	char many[2048] = "";
	size_t i;

	(void)state;
	assert_int_equal(net_allow_parse(&a, "ocsp.example.go.id, *.example.go.id "
	                                     "10.0.0.0/8 [fd00::]/8 127.0.0.1:8080 "
	                                     "[::1]:443 Crl.Example.Go.Id:8443"),
	                 0);
	assert_int_equal(a.n, 7);
	assert_string_equal(a.e[0].name, "ocsp.example.go.id");
	assert_int_equal(a.e[0].port, 0);
	assert_string_equal(a.e[1].name, "*.example.go.id");
	assert_string_equal(a.e[2].name, "");
	assert_int_equal(a.e[2].prefix, 96 + 8);
	assert_int_equal(a.e[3].prefix, 8);
	assert_int_equal(a.e[4].port, 8080);
	assert_int_equal(a.e[4].prefix, 128);
	assert_int_equal(a.e[5].port, 443);
	assert_string_equal(a.e[6].name, "crl.example.go.id");
	assert_int_equal(a.e[6].port, 8443);
	assert_int_equal(net_allow_parse(&a, ""), 0);
	assert_int_equal(a.n, 0);
	assert_int_equal(net_allow_parse(&a, NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("bad %s\n", bad[i]);
		assert_int_equal(net_allow_parse(&a, bad[i]), SERTEL_EINVAL);
		assert_non_null(strstr(sertel_errmsg(), "fetch_hosts"));
	}
	for (i = 0; i <= NET_ALLOW_MAX; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "h%zu.id ", i);
	assert_int_equal(net_allow_parse(&a, many), SERTEL_EINVAL);
	sertel_err_clear();
}

static int
get(const char *url, const struct net_allow *allow, struct net_budget *budget)
{
	struct net_req req;
	struct net_reply r;
	int rc;

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.allow = allow;
	req.budget = budget;
	req.timeout = 2;
	rc = net_http(&r, &req);
	buf_free(&r.body);
	return rc;
}

static void
test_untrusted_refusals(void **state)
{
	struct net_allow a;
	struct net_budget b;

	(void)state;
	/* The zero policy is NET_UNTRUSTED: without an allow-list, nothing. */
	assert_int_equal(get("http://127.0.0.1:9/x", NULL, NULL), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "not in [verify] fetch_hosts"));
	/* Listed by name, but the name resolves to loopback, which is not
	 * listed: refused in the open-socket callback, naming the address. */
	assert_int_equal(net_allow_parse(&a, "localhost:9"), 0);
	assert_int_equal(get("http://localhost:9/x", &a, NULL), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "address"));
	assert_non_null(strstr(sertel_errmsg(), "is loopback"));
	/* Another port than the listed one, and ports 80/443 by default. */
	assert_int_equal(get("http://localhost:10/x", &a, NULL), SERTEL_EPERM);
	assert_int_equal(net_allow_parse(&a, "localhost"), 0);
	assert_int_equal(get("http://localhost:9/x", &a, NULL), SERTEL_EPERM);
	/* Userinfo does not make another host: curl's own parse decides. */
	assert_int_equal(net_allow_parse(&a, "ocsp.example.go.id"), 0);
	assert_int_equal(get("http://ocsp.example.go.id@127.0.0.1/x", &a, NULL),
	                 SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "127.0.0.1"));
	/* A spent budget: nothing is attempted. */
	assert_int_equal(net_allow_parse(&a, "127.0.0.1:9"), 0);
	net_budget_init(&b, 0, 5000);
	assert_int_equal(get("http://127.0.0.1:9/x", &a, &b), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "budget"));
	net_budget_init(&b, 3, 0);
	assert_int_equal(get("http://127.0.0.1:9/x", &a, &b), SERTEL_EPERM);
	assert_int_equal(b.left, 3);
	sertel_err_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_special_addresses),
	    cmocka_unit_test(test_allow_grammar),
	    cmocka_unit_test(test_untrusted_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
