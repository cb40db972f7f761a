// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_keepalive_test.c - KUnit tests for the keepalive decision
 * (tcp_keepalive.c), in seconds: idle 10, interval 2, count 3. Nothing
 * before the idle time; then a probe per interval; giving up after the
 * count of unanswered probes, or with TCP_USER_TIMEOUT once that much
 * silence passed and a probe went unanswered; nothing while data is in
 * flight.
 */
#include <kunit/test.h>

#include "kmod/tcp_keepalive.h"

static const struct ns_tcp_keepalive_facts base = {
	.keepidle = 10, .keepintvl = 2, .keepcnt = 3,
};

static void tcp_keepalive_test_idle(struct kunit *test)
{
	struct ns_tcp_keepalive_facts f = base;
	u32 next = 0;

	f.idle = 0;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_WAIT);
	KUNIT_EXPECT_EQ(test, next, 10);
	/* Something arrived 4 s ago: 6 s left. */
	f.idle = 4;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_WAIT);
	KUNIT_EXPECT_EQ(test, next, 6);
	f.idle = 9;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_WAIT);
	KUNIT_EXPECT_EQ(test, next, 1);
}

/* Silent peer: probes at 10, 12, 14; gone at 16 = idle + count * interval. */
static void tcp_keepalive_test_probes(struct kunit *test)
{
	struct ns_tcp_keepalive_facts f = base;
	u32 next = 0;

	for (f.probes = 0; f.probes < 3; f.probes++) {
		f.idle = 10 + 2 * f.probes;
		KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next),
				NS_TCP_KEEPALIVE_PROBE);
		KUNIT_EXPECT_EQ(test, next, 2);
	}
	f.idle = 16;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_GIVE_UP);
}

static void tcp_keepalive_test_busy(struct kunit *test)
{
	struct ns_tcp_keepalive_facts f = base;
	u32 next = 0;

	f.busy = true;
	f.idle = 100;
	f.probes = 5;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_WAIT);
	KUNIT_EXPECT_EQ(test, next, 10);
}

/* TCP_USER_TIMEOUT 13 s replaces the count (Linux's tcp_keepalive_timer). */
static void tcp_keepalive_test_user_timeout(struct kunit *test)
{
	struct ns_tcp_keepalive_facts f = base;
	u32 next = 0;

	f.user_timeout = 13;
	/* Past the timeout but no probe sent yet: probe first. */
	f.idle = 20;
	f.probes = 0;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_PROBE);
	/* Below the timeout the count does not end it. */
	f.idle = 12;
	f.probes = 5;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_PROBE);
	f.idle = 13;
	f.probes = 1;
	KUNIT_EXPECT_EQ(test, ns_tcp_keepalive_decide(&f, &next), NS_TCP_KEEPALIVE_GIVE_UP);
}

static struct kunit_case tcp_keepalive_test_cases[] = {
	KUNIT_CASE(tcp_keepalive_test_idle),
	KUNIT_CASE(tcp_keepalive_test_probes),
	KUNIT_CASE(tcp_keepalive_test_busy),
	KUNIT_CASE(tcp_keepalive_test_user_timeout),
	{}
};

static struct kunit_suite tcp_keepalive_test_suite = {
	.name = "netstack_tcp_keepalive",
	.test_cases = tcp_keepalive_test_cases,
};

kunit_test_suite(tcp_keepalive_test_suite);
