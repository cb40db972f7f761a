// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_syncookie_test.c - KUnit tests for the SYN cookie codec
 * (tcp_syncookie.c): round trips of every MSS index and of every window
 * scale / SACK combination through the TSval, and the rejection of
 * forged, expired and misdirected cookies.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "kmod/tcp_syncookie.h"
#include "kmod/tcp_window.h"

#define CK_ADDR(a, b, c, d)	htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const struct ns_tcp_cookie_tuple ck_tuple = {
	.laddr = CK_ADDR(10, 0, 0, 2),
	.raddr = CK_ADDR(10, 0, 0, 1),
	.lport = cpu_to_be16(80),
	.rport = cpu_to_be16(40000),
};

/* Every MSS index comes back, in the period made and the one after. */
static void ck_test_mss_round_trip(struct kunit *test)
{
	u32 counters[] = { 0, 1, 255, 256, 0x12345678, U32_MAX };
	unsigned int i, c;
	u32 cookie, isn;

	KUNIT_ASSERT_EQ(test, ns_tcp_cookie_mss_count(), 4);
	for (c = 0; c < ARRAY_SIZE(counters); c++) {
		for (i = 0; i < ns_tcp_cookie_mss_count(); i++) {
			isn = 0x9abc0000u + i * 7919 + c;
			cookie = ns_tcp_cookie_make(&ck_tuple, isn, counters[c], i);
			KUNIT_EXPECT_EQ(test, ns_tcp_cookie_check(&ck_tuple, isn, cookie,
								  counters[c]), (int)i);
			KUNIT_EXPECT_EQ(test, ns_tcp_cookie_check(&ck_tuple, isn, cookie,
								  counters[c] + 1), (int)i);
		}
	}
}

/* The MSS table: the largest entry not above the peer's MSS. */
static void ck_test_mss_index(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_mss(ns_tcp_cookie_mss_index(1460)), 1460);
	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_mss(ns_tcp_cookie_mss_index(65495)), 1460);
	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_mss(ns_tcp_cookie_mss_index(1459)), 1440);
	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_mss(ns_tcp_cookie_mss_index(1300)), 1300);
	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_mss(ns_tcp_cookie_mss_index(536)), 536);
	/* Below the smallest: the smallest. */
	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_mss(ns_tcp_cookie_mss_index(100)), 536);
}

/* Two periods later, or from the future, a cookie is no good. */
static void ck_test_expired(struct kunit *test)
{
	u32 cookie = ns_tcp_cookie_make(&ck_tuple, 1000, 500, 3);

	KUNIT_EXPECT_EQ(test, ns_tcp_cookie_check(&ck_tuple, 1000, cookie, 501), 3);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&ck_tuple, 1000, cookie, 502), 0);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&ck_tuple, 1000, cookie, 500 + 256), 0);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&ck_tuple, 1000, cookie, 499), 0);
}

/* Another 4-tuple or another peer ISN: rejected. */
static void ck_test_other_connection(struct kunit *test)
{
	struct ns_tcp_cookie_tuple other;
	u32 cookie = ns_tcp_cookie_make(&ck_tuple, 1000, 77, 2);

	other = ck_tuple;
	other.rport = cpu_to_be16(40001);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&other, 1000, cookie, 77), 0);
	other = ck_tuple;
	other.raddr = CK_ADDR(10, 0, 0, 9);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&other, 1000, cookie, 77), 0);
	other = ck_tuple;
	other.lport = cpu_to_be16(81);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&other, 1000, cookie, 77), 0);
	KUNIT_EXPECT_LT(test, ns_tcp_cookie_check(&ck_tuple, 1001, cookie, 77), 0);
}

/*
 * Forged cookies: the right counter bits and every value of the low 24
 * bits in a sample. About 4 in 2^24 pass; of 65536 tries, expect none
 * but the one we made (allow a couple for chance).
 */
static void ck_test_forged(struct kunit *test)
{
	u32 good = ns_tcp_cookie_make(&ck_tuple, 4242, 9, 1);
	unsigned int i, passed = 0;
	u32 forged;

	for (i = 0; i < 65536; i++) {
		forged = (9u << 24) | ((i * 257u + 12345u) & 0xffffff);
		if (forged != good && ns_tcp_cookie_check(&ck_tuple, 4242, forged, 9) >= 0)
			passed++;
	}
	KUNIT_EXPECT_LE(test, passed, 2);
	/* One bit of the hash part off (bits 2..23: not just another index). */
	passed = 0;
	for (i = 2; i < 24; i++)
		passed += ns_tcp_cookie_check(&ck_tuple, 4242, good ^ BIT(i), 9) >= 0;
	KUNIT_EXPECT_LE(test, passed, 1);
}

/* Window scale and SACK through the TSval, which never goes up. */
static void ck_test_ts_round_trip(struct kunit *test)
{
	u32 nows[] = { 0, 31, 32, 1000, 0x7fffffe0u, U32_MAX };
	unsigned int n, w, sack;
	u8 wscale_out;
	bool sack_out;
	u32 ts;

	for (n = 0; n < ARRAY_SIZE(nows); n++) {
		for (w = 0; w <= NS_TCP_WSCALE_MAX + 1; w++) {
			u8 wscale = w > NS_TCP_WSCALE_MAX ? NS_TCP_COOKIE_NO_WSCALE : w;

			for (sack = 0; sack < 2; sack++) {
				ts = ns_tcp_cookie_ts_make(nows[n], wscale, sack);
				KUNIT_EXPECT_TRUE(test, (s32)(nows[n] - ts) >= 0);
				KUNIT_EXPECT_LT(test, nows[n] - ts, 32);
				KUNIT_EXPECT_TRUE(test, ns_tcp_cookie_ts_check(ts, nows[n] + 5000,
									       &wscale_out,
									       &sack_out));
				KUNIT_EXPECT_EQ(test, wscale_out, wscale);
				KUNIT_EXPECT_EQ(test, sack_out, (bool)sack);
			}
		}
	}
}

/* A TSecr from the future, or older than a cookie lives, is not ours. */
static void ck_test_ts_age(struct kunit *test)
{
	u8 wscale;
	bool sack;

	KUNIT_EXPECT_TRUE(test, ns_tcp_cookie_ts_check(100000, 100000, &wscale, &sack));
	KUNIT_EXPECT_TRUE(test, ns_tcp_cookie_ts_check(100000, 100000 + 127999,
						       &wscale, &sack));
	KUNIT_EXPECT_FALSE(test, ns_tcp_cookie_ts_check(100000, 100000 + 128001,
							&wscale, &sack));
	KUNIT_EXPECT_FALSE(test, ns_tcp_cookie_ts_check(100001, 100000, &wscale, &sack));
	/* Across the wrap. */
	KUNIT_EXPECT_TRUE(test, ns_tcp_cookie_ts_check(0xfffffff0u, 16, &wscale, &sack));
}

static struct kunit_case ck_test_cases[] = {
	KUNIT_CASE(ck_test_mss_round_trip),
	KUNIT_CASE(ck_test_mss_index),
	KUNIT_CASE(ck_test_expired),
	KUNIT_CASE(ck_test_other_connection),
	KUNIT_CASE(ck_test_forged),
	KUNIT_CASE(ck_test_ts_round_trip),
	KUNIT_CASE(ck_test_ts_age),
	{}
};

static struct kunit_suite ck_test_suite = {
	.name = "netstack_tcp_syncookie",
	.test_cases = ck_test_cases,
};

kunit_test_suite(ck_test_suite);
