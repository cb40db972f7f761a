// SPDX-License-Identifier: GPL-2.0
/*
 * rate_limit_test.c - KUnit tests for the per-second event budget
 * (rate_limit.c) that limits RFC 5961 challenge ACKs.
 */
#include <kunit/test.h>

#include "kmod/rate_limit.h"

/* A second's budget is spent, then refused, then renewed next second. */
static void rate_test_window(struct kunit *test)
{
	struct ns_rate_window win = { .stamp_s = 99, .left = 0 };
	unsigned int i, allowed = 0;

	for (i = 0; i < 10; i++)
		allowed += ns_rate_window_allow(&win, 100, 3);
	KUNIT_EXPECT_EQ(test, allowed, 3);
	KUNIT_EXPECT_TRUE(test, ns_rate_window_allow(&win, 101, 3));
	/* The seconds clock wraps. */
	win.stamp_s = U32_MAX;
	win.left = 0;
	KUNIT_EXPECT_FALSE(test, ns_rate_window_allow(&win, U32_MAX, 3));
	KUNIT_EXPECT_TRUE(test, ns_rate_window_allow(&win, 0, 3));
}

/* A budget of 0 allows nothing. */
static void rate_test_zero(struct kunit *test)
{
	struct ns_rate_window win = { .stamp_s = 0, .left = 0 };

	KUNIT_EXPECT_FALSE(test, ns_rate_window_allow(&win, 5, 0));
	KUNIT_EXPECT_FALSE(test, ns_rate_window_allow(&win, 6, 0));
}

/*
 * The shared limiter: in a burst, between half and one and a half times
 * the limit pass (two windows at most if the second turns meanwhile).
 */
static void rate_test_limiter(struct kunit *test)
{
	struct ns_rate_limiter rl;
	unsigned int i, allowed = 0;

	ns_rate_limiter_init(&rl);
	for (i = 0; i < 10000; i++)
		allowed += ns_rate_limiter_allow(&rl, 1000);
	KUNIT_EXPECT_GE(test, allowed, 500);
	KUNIT_EXPECT_LE(test, allowed, 3000);
	ns_rate_limiter_init(&rl);
	KUNIT_EXPECT_FALSE(test, ns_rate_limiter_allow(&rl, 0));
}

static struct kunit_case rate_test_cases[] = {
	KUNIT_CASE(rate_test_window),
	KUNIT_CASE(rate_test_zero),
	KUNIT_CASE(rate_test_limiter),
	{}
};

static struct kunit_suite rate_test_suite = {
	.name = "netstack_rate_limit",
	.test_cases = rate_test_cases,
};

kunit_test_suite(rate_test_suite);
