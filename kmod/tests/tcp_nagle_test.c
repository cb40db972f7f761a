// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_nagle_test.c - KUnit tests for Nagle's rule and TCP_CORK
 * (tcp_nagle.c): full segments always leave; a partial one leaves when
 * nothing is in flight, with TCP_NODELAY, before the FIN or on a push;
 * corked, only before the FIN or on a push.
 */
#include <kunit/test.h>

#include "kmod/tcp_nagle.h"

#define MSS 1460

static void tcp_nagle_test_full(struct kunit *test)
{
	struct ns_tcp_nagle_facts f = { .len = MSS, .mss = MSS };

	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
	f.corked = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
	f.len = MSS - 1;
	KUNIT_EXPECT_FALSE(test, ns_tcp_nagle_may_send(&f));
}

static void tcp_nagle_test_partial(struct kunit *test)
{
	struct ns_tcp_nagle_facts f = { .len = 1, .mss = MSS };

	/* Something in flight: wait for its ACK. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_nagle_may_send(&f));
	f.idle = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
	f.idle = false;
	f.nodelay = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
	f.nodelay = false;
	f.fin_follows = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
	f.fin_follows = false;
	f.push = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
}

static void tcp_nagle_test_cork(struct kunit *test)
{
	struct ns_tcp_nagle_facts f = { .len = 100, .mss = MSS, .corked = true };

	/* Corked: neither idleness nor TCP_NODELAY lets a partial go. */
	f.idle = true;
	KUNIT_EXPECT_FALSE(test, ns_tcp_nagle_may_send(&f));
	f.nodelay = true;
	KUNIT_EXPECT_FALSE(test, ns_tcp_nagle_may_send(&f));
	/* The FIN and the uncork's push do. */
	f.fin_follows = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
	f.fin_follows = false;
	f.push = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_nagle_may_send(&f));
}

static struct kunit_case tcp_nagle_test_cases[] = {
	KUNIT_CASE(tcp_nagle_test_full),
	KUNIT_CASE(tcp_nagle_test_partial),
	KUNIT_CASE(tcp_nagle_test_cork),
	{}
};

static struct kunit_suite tcp_nagle_test_suite = {
	.name = "netstack_tcp_nagle",
	.test_cases = tcp_nagle_test_cases,
};

kunit_test_suite(tcp_nagle_test_suite);
