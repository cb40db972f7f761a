// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_timestamps_test.c - KUnit tests for RFC 7323 timestamps
 * (tcp_timestamps.c): PAWS with wraparound and the 24-day rule, when
 * TS.Recent is updated, round-trip samples from TSecr, the offset.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kernel.h>

#include "kmod/tcp_timestamps.h"

#define TS_ADDR(a, b, c, d)	htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void ts_test_paws_basic(struct kunit *test)
{
	/* Newer and equal TSvals pass; an older one is dropped. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_reject(1001, 1000, 50, 60));
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_reject(1000, 1000, 50, 60));
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_reject(999, 1000, 50, 60));
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_reject(0, 1000, 50, 60));
}

/* Timestamps compare modulo 2^32 (RFC 7323 5.2). */
static void ts_test_paws_wrap(struct kunit *test)
{
	/* Just past the wrap is newer than just before it. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_reject(5, 0xfffffff0u, 0, 1));
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_reject(0xfffffff0u, 5, 0, 1));
	/* Half the space ahead is still newer; beyond, older. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_reject(0x7fffffffu, 0, 0, 1));
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_reject(0x80000001u, 0, 0, 1));
}

/* Reordered, not old: one tick for anything, an RTO for a pure ACK. */
static void ts_test_paws_disordered(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_disordered_ok(999, 1000, false, 200));
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_disordered_ok(998, 1000, false, 200));
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_disordered_ok(998, 1000, true, 200));
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_disordered_ok(800, 1000, true, 200));
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_disordered_ok(799, 1000, true, 200));
	/* Across the wrap. */
	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_disordered_ok(0xfffffff0u, 5, true, 200));
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_disordered_ok(0xfffffff0u, 5, false, 200));
	/* An old duplicate from long ago is no reordering. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_disordered_ok(0, 0x40000000u, true, 120000));
}

/* A TS.Recent idle more than 24 days proves nothing (RFC 7323 5.5). */
static void ts_test_paws_idle(struct kunit *test)
{
	u32 stamp = 0xfffff000u;	/* the seconds clock wraps too */

	KUNIT_EXPECT_TRUE(test, ns_tcp_paws_reject(10, 1000, stamp,
						   stamp + NS_TCP_PAWS_IDLE_S));
	KUNIT_EXPECT_FALSE(test, ns_tcp_paws_reject(10, 1000, stamp,
						    stamp + NS_TCP_PAWS_IDLE_S + 1));
	KUNIT_EXPECT_EQ(test, NS_TCP_PAWS_IDLE_S, 24 * 86400);
}

/* RFC 7323 4.3: only segments covering Last.ACK.sent, never backwards. */
static void ts_test_recent_update(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ns_tcp_ts_recent_update_ok(1000, 1000, 7, 5));
	KUNIT_EXPECT_TRUE(test, ns_tcp_ts_recent_update_ok(900, 1000, 5, 5));
	/* Beyond Last.ACK.sent: a later segment of a delayed-ACK pair. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_ts_recent_update_ok(1001, 1000, 7, 5));
	/* An older TSval never moves TS.Recent back. */
	KUNIT_EXPECT_FALSE(test, ns_tcp_ts_recent_update_ok(1000, 1000, 4, 5));
	/* Sequence numbers wrap. */
	KUNIT_EXPECT_TRUE(test, ns_tcp_ts_recent_update_ok(0xffffff00u, 0x10, 7, 5));
	KUNIT_EXPECT_FALSE(test, ns_tcp_ts_recent_update_ok(0x10, 0xffffff00u, 7, 5));
}

/* RFC 7323 4.1: RTT = now - TSecr, in ms, reported in us. */
static void ts_test_rtt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ns_tcp_ts_rtt_us(1050, 1000), 50000);
	/* Under one tick counts as one. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ts_rtt_us(1000, 1000), 1000);
	/* Across the wrap. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ts_rtt_us(10, 0xfffffff6u), 20000);
	/* No time echoed, or an echo from the future or from nowhere. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ts_rtt_us(1000, 0), -1);
	KUNIT_EXPECT_EQ(test, ns_tcp_ts_rtt_us(1000, 1001), -1);
	KUNIT_EXPECT_EQ(test, ns_tcp_ts_rtt_us(0x80000000u, 1), -1);
}

/* The offset is per 4-tuple and the clock counts milliseconds. */
static void ts_test_offset_clock(struct kunit *test)
{
	__be32 a = TS_ADDR(10, 0, 0, 1), b = TS_ADDR(10, 0, 0, 2);
	u32 base = ns_tcp_ts_offset(a, htons(80), b, htons(40000));
	u32 t0, t1;

	KUNIT_EXPECT_EQ(test, base, ns_tcp_ts_offset(a, htons(80), b, htons(40000)));
	KUNIT_EXPECT_NE(test, base, ns_tcp_ts_offset(a, htons(80), b, htons(40001)));
	KUNIT_EXPECT_NE(test, base, ns_tcp_ts_offset(b, htons(40000), a, htons(80)));
	t0 = ns_tcp_ts_clock_ms();
	msleep(20);
	t1 = ns_tcp_ts_clock_ms();
	KUNIT_EXPECT_GE(test, t1 - t0, 20);
	KUNIT_EXPECT_LT(test, t1 - t0, 2000);
}

static struct kunit_case ts_test_cases[] = {
	KUNIT_CASE(ts_test_paws_basic),
	KUNIT_CASE(ts_test_paws_wrap),
	KUNIT_CASE(ts_test_paws_idle),
	KUNIT_CASE(ts_test_paws_disordered),
	KUNIT_CASE(ts_test_recent_update),
	KUNIT_CASE(ts_test_rtt),
	KUNIT_CASE(ts_test_offset_clock),
	{}
};

static struct kunit_suite ts_test_suite = {
	.name = "netstack_tcp_timestamps",
	.test_cases = ts_test_cases,
};

kunit_test_suite(ts_test_suite);
