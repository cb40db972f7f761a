// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_isn_test.c - KUnit tests for RFC 6528 initial sequence numbers
 * (tcp_isn.c): one 4-tuple's numbers advance with the 4-microsecond
 * clock, and different 4-tuples get unrelated numbers.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kernel.h>

#include "kmod/seq.h"
#include "kmod/tcp_isn.h"

#define ISN_ADDR(a, b, c, d)	htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const __be32 isn_local = ISN_ADDR(10, 0, 0, 2), isn_remote = ISN_ADDR(10, 0, 0, 1);

/* The same 4-tuple, 2 ms apart: about 2 ms / 4.096 us = 488 ticks later. */
static void isn_test_clock(struct kunit *test)
{
	u32 first, second, delta;

	first = ns_tcp_isn(isn_local, htons(80), isn_remote, htons(40000));
	usleep_range(2000, 2100);
	second = ns_tcp_isn(isn_local, htons(80), isn_remote, htons(40000));
	KUNIT_EXPECT_TRUE(test, ns_seq_after(second, first));
	delta = second - first;
	/* At least the 2 ms slept; at most a generous scheduling delay. */
	KUNIT_EXPECT_GE(test, delta, 488);
	KUNIT_EXPECT_LT(test, delta, 488 * 500);
}

/* ns_tcp_isn_hash() with the ports in host order. */
static u32 isn_hash(__be32 laddr, u16 lport, __be32 raddr, u16 rport)
{
	return ns_tcp_isn_hash(laddr, htons(lport), raddr, htons(rport));
}

/* The hash is a function of the 4-tuple: repeatable, and each part counts. */
static void isn_test_hash_inputs(struct kunit *test)
{
	u32 base = isn_hash(isn_local, 80, isn_remote, 40000);

	KUNIT_EXPECT_EQ(test, base, isn_hash(isn_local, 80, isn_remote, 40000));
	KUNIT_EXPECT_NE(test, base, isn_hash(ISN_ADDR(10, 0, 0, 3), 80, isn_remote, 40000));
	KUNIT_EXPECT_NE(test, base, isn_hash(isn_local, 81, isn_remote, 40000));
	KUNIT_EXPECT_NE(test, base, isn_hash(isn_local, 80, ISN_ADDR(10, 0, 0, 4), 40000));
	KUNIT_EXPECT_NE(test, base, isn_hash(isn_local, 80, isn_remote, 40001));
	/* Swapping the ends is another 4-tuple. */
	KUNIT_EXPECT_NE(test, base, isn_hash(isn_remote, 40000, isn_local, 80));
}

/*
 * Consecutive source ports, as a client's connections have: the numbers
 * must not follow each other. Count the pairs of neighbours closer than
 * 2^20 (of 2^32): for a good hash, about 1 in 4096 pairs.
 */
static void isn_test_spread(struct kunit *test)
{
	enum { N = 4096 };
	unsigned int i, close = 0, high_bit = 0;
	u32 prev = 0, h;

	for (i = 0; i < N; i++) {
		h = isn_hash(isn_local, 80, isn_remote, 30000 + i);
		if (i && (u32)(h - prev + (1 << 20)) < (2u << 20))
			close++;
		high_bit += h >> 31;
		prev = h;
	}
	KUNIT_EXPECT_LT(test, close, 16);
	/* Half of them have the top bit set, give or take 4 sigma (128). */
	KUNIT_EXPECT_GT(test, high_bit, N / 2 - 128);
	KUNIT_EXPECT_LT(test, high_bit, N / 2 + 128);
}

static struct kunit_case isn_test_cases[] = {
	KUNIT_CASE(isn_test_clock),
	KUNIT_CASE(isn_test_hash_inputs),
	KUNIT_CASE(isn_test_spread),
	{}
};

static struct kunit_suite isn_test_suite = {
	.name = "netstack_tcp_isn",
	.test_cases = isn_test_cases,
};

kunit_test_suite(isn_test_suite);
