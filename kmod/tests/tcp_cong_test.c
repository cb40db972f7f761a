// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_cong_test.c - KUnit tests for congestion control (tcp_cong.c,
 * tcp_cubic.c): the initial window, slow start and its hand-over to
 * congestion avoidance, Reno's linear growth and halving, the loss window
 * after a timeout, restart after idle, NewReno's inflate/deflate (RFC
 * 6582) on a worked example, and CUBIC (RFC 9438): the cube root, W(t)
 * at hand-computed points, beta and fast convergence, and a trajectory
 * after a loss that must come back to W_max at about K.
 */
#include <kunit/test.h>

#include "kmod/tcp_cong.h"

#define ONE	1024	/* a segment in CUBIC's fixed point */

/* lo <= v <= hi (6.1's KUnit has no KUNIT_EXPECT_IN_RANGE). */
static void expect_in_range(struct kunit *test, u64 v, u64 lo, u64 hi)
{
	KUNIT_EXPECT_GE(test, v, lo);
	KUNIT_EXPECT_LE(test, v, hi);
}

static void tcp_cong_test_find_init(struct kunit *test)
{
	struct ns_tcp_cc cc;

	KUNIT_EXPECT_PTR_EQ(test, ns_tcp_cong_find("reno"), &ns_tcp_reno);
	KUNIT_EXPECT_PTR_EQ(test, ns_tcp_cong_find("cubic"), &ns_tcp_cubic);
	KUNIT_EXPECT_NULL(test, ns_tcp_cong_find("bbr"));
	KUNIT_EXPECT_NULL(test, ns_tcp_cong_find(""));
	KUNIT_EXPECT_NULL(test, ns_tcp_cong_find("cubic "));
	ns_tcp_cc_init(&cc, &ns_tcp_reno);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10);		/* RFC 6928 */
	KUNIT_EXPECT_GT(test, cc.ssthresh, 1000000);	/* none yet */
}

/* Slow start doubles per window of ACKs; the threshold caps it. */
static void tcp_cong_test_slow_start(struct kunit *test)
{
	struct ns_tcp_cc cc;

	ns_tcp_cc_init(&cc, &ns_tcp_reno);
	ns_tcp_cc_on_ack(&cc, 10, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20);
	ns_tcp_cc_on_ack(&cc, 20, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40);
	/* Threshold 45: 5 in slow start, the other 35 of 40 go to avoidance. */
	cc.ssthresh = 45;
	ns_tcp_cc_on_ack(&cc, 40, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 45);
	KUNIT_EXPECT_EQ(test, cc.cwnd_cnt, 35);
	ns_tcp_cc_on_ack(&cc, 10, 0, 0);	/* 45 acked at 45: one more */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 46);
	KUNIT_EXPECT_EQ(test, cc.cwnd_cnt, 0);
}

/*
 * Reno: one segment per window acknowledged; a loss at 40 halves it; a
 * timeout gives the loss window of one segment with the threshold halved.
 */
static void tcp_cong_test_reno(struct kunit *test)
{
	struct ns_tcp_cc cc;
	int i;

	ns_tcp_cc_init(&cc, &ns_tcp_reno);
	cc.cwnd = 20;
	cc.ssthresh = 20;
	for (i = 0; i < 19; i++)
		ns_tcp_cc_on_ack(&cc, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20);
	ns_tcp_cc_on_ack(&cc, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 21);
	/* Three windows' worth in one call: 21 + 22 + 23 = 66 segments. */
	ns_tcp_cc_on_ack(&cc, 66, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 24);

	cc.cwnd = 40;
	ns_tcp_cc_on_loss(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20);
	cc.cwnd = 3;
	ns_tcp_cc_on_loss(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2);	/* never below two */
	cc.cwnd = 40;
	ns_tcp_cc_on_timeout(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 1);
	/* Slow start again from one: 1, 2, 4, ... up to the threshold. */
	ns_tcp_cc_on_ack(&cc, 1, 0, 0);
	ns_tcp_cc_on_ack(&cc, 2, 0, 0);
	ns_tcp_cc_on_ack(&cc, 4, 0, 0);
	ns_tcp_cc_on_ack(&cc, 8, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16);
	ns_tcp_cc_on_ack(&cc, 16, 0, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20);
}

static void tcp_cong_test_idle_restart(struct kunit *test)
{
	struct ns_tcp_cc cc;

	ns_tcp_cc_init(&cc, &ns_tcp_cubic);
	cc.cwnd = 80;
	ns_tcp_cc_after_idle(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10);
	cc.cwnd = 4;
	ns_tcp_cc_after_idle(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 4);	/* never raised */
}

/*
 * RFC 6582 worked through: 20 segments out, the 1st and 9th lost.
 * Three duplicate ACKs: ssthresh 10, cwnd 10 + 3 = 13. Five more
 * duplicates (segments 5-8 and 10... arrive): 18. The retransmission of
 * the 1st gets a partial ACK for 8 segments: 18 - 8 + 1 = 11. The full
 * ACK with 4 segments sent since still out: min(10, 4 + 1) = 5.
 */
static void tcp_cong_test_newreno(struct kunit *test)
{
	struct ns_tcp_cc cc;
	int i;

	ns_tcp_cc_init(&cc, &ns_tcp_reno);
	cc.cwnd = 20;
	ns_tcp_newreno_enter(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 13);
	for (i = 0; i < 5; i++)
		ns_tcp_newreno_dupack(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 18);
	ns_tcp_newreno_partial(&cc, 8);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11);
	ns_tcp_newreno_partial(&cc, 50);	/* never below one, plus one */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2);
	cc.cwnd = 11;
	ns_tcp_newreno_full(&cc, 4);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 5);
	cc.cwnd = 11;
	ns_tcp_newreno_full(&cc, 30);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10);
	cc.cwnd = 11;
	ns_tcp_newreno_full(&cc, 0);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2);
}

static void tcp_cong_test_cbrt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(0), 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(1), 1);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(7), 1);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(8), 2);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(26), 2);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(27), 3);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(999999999999999999ULL), 999999);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(1000000000000000000ULL), 1000000);
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_cbrt(U64_MAX), 2642245);
}

/*
 * W(t) = 0.4 (t - K)^3 + W_max with W_max = 100, K = 4.217 s (the K of a
 * loss at 100 segments: cbrt(30 / 0.4)):
 * W(0) = 100 - 0.4 * 75 = 70; W(K) = 100; W(K + 1 s) = 100.4;
 * W(1 s) = 100 - 0.4 * 3.217^3 = 86.68; W(K + 5 s) = 150.
 */
static void tcp_cong_test_cubic_window(struct kunit *test)
{
	u64 origin = 100 * ONE;
	u32 k = 4217;

	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_window(origin, k, k), origin);
	expect_in_range(test, ns_tcp_cubic_window(origin, k, 0), 70 * ONE - 20, 70 * ONE + 20);
	expect_in_range(test, ns_tcp_cubic_window(origin, k, k + 1000),
			100 * ONE + 405, 100 * ONE + 415);
	expect_in_range(test, ns_tcp_cubic_window(origin, k, 1000),
			86 * ONE + 680, 86 * ONE + 715);
	expect_in_range(test, ns_tcp_cubic_window(origin, k, k + 5000),
			150 * ONE - 5, 150 * ONE + 5);
	/* Far below zero clamps at zero; far in the future does not wrap. */
	KUNIT_EXPECT_EQ(test, ns_tcp_cubic_window(10 * ONE, 100000, 0), 0);
	KUNIT_EXPECT_GT(test, ns_tcp_cubic_window(origin, 0, 10000000), origin);
}

/* beta 0.7, W_max recorded; a loss below W_max lowers it (4.7). */
static void tcp_cong_test_cubic_decrease(struct kunit *test)
{
	struct ns_tcp_cc cc;

	ns_tcp_cc_init(&cc, &ns_tcp_cubic);
	cc.cwnd = 100;
	ns_tcp_cc_on_loss(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 70);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 70);
	KUNIT_EXPECT_EQ(test, cc.cubic.w_max, 100 * ONE);
	cc.cwnd = 80;
	ns_tcp_cc_on_loss(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 56);
	KUNIT_EXPECT_EQ(test, cc.cubic.w_max, 68 * ONE);	/* 80 * 1.7 / 2 */
	cc.cwnd = 2;
	ns_tcp_cc_on_timeout(&cc);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 1);
}

/* One window of ACKs, one at a time, at @now_ms. */
static void tcp_cong_test_round(struct ns_tcp_cc *cc, u32 now_ms, u32 rtt_ms)
{
	u32 n = cc->cwnd, i;

	for (i = 0; i < n; i++)
		ns_tcp_cc_on_ack(cc, 1, now_ms, rtt_ms * 1000);
}

/*
 * After a loss at 100 segments, RTT 100 ms: the window follows W(t + RTT)
 * - concave, about 87 at 1 s, back at W_max near K = 4.2 s, growing slowly
 * there, then convex beyond (about 102 at 6 s, 150 near 9.2 s).
 */
static void tcp_cong_test_cubic_trajectory(struct kunit *test)
{
	u32 t, start = 5000, last, step_early, step_plateau;
	struct ns_tcp_cc cc;

	ns_tcp_cc_init(&cc, &ns_tcp_cubic);
	cc.cwnd = 100;
	ns_tcp_cc_on_loss(&cc);
	last = cc.cwnd;
	tcp_cong_test_round(&cc, start, 100);
	step_early = cc.cwnd - last;
	KUNIT_EXPECT_EQ(test, cc.cubic.k_ms, 4217);
	for (t = 100; t < 1000; t += 100)
		tcp_cong_test_round(&cc, start + t, 100);
	expect_in_range(test, cc.cwnd, 85, 91);
	for (; t < 4200; t += 100)
		tcp_cong_test_round(&cc, start + t, 100);
	expect_in_range(test, cc.cwnd, 98, 102);
	last = cc.cwnd;
	tcp_cong_test_round(&cc, start + t, 100);
	step_plateau = cc.cwnd - last;
	KUNIT_EXPECT_LT(test, step_plateau, step_early);
	for (t += 100; t < 6000; t += 100)
		tcp_cong_test_round(&cc, start + t, 100);
	expect_in_range(test, cc.cwnd, 101, 106);
	for (; t < 9200; t += 100)
		tcp_cong_test_round(&cc, start + t, 100);
	expect_in_range(test, cc.cwnd, 140, 160);
}

/*
 * A short RTT: the cubic function, a function of time, climbs only 17
 * segments in the first second after a loss at 100 (to W(1 s) = 86.7),
 * while Reno at RTT 10 ms would gain 0.53 per round, 1 per round past
 * W_max: 100 rounds give 70 + 30 + 43 = 143. The Reno-friendly estimate
 * (4.3) must carry the window well past what the cubic function gives.
 */
static void tcp_cong_test_cubic_reno_friendly(struct kunit *test)
{
	struct ns_tcp_cc cc;
	u32 t;

	ns_tcp_cc_init(&cc, &ns_tcp_cubic);
	cc.cwnd = 100;
	ns_tcp_cc_on_loss(&cc);
	for (t = 0; t < 1000; t += 10)
		tcp_cong_test_round(&cc, 100 + t, 10);
	expect_in_range(test, cc.cwnd, 115, 150);
}

static struct kunit_case tcp_cong_test_cases[] = {
	KUNIT_CASE(tcp_cong_test_find_init),
	KUNIT_CASE(tcp_cong_test_slow_start),
	KUNIT_CASE(tcp_cong_test_reno),
	KUNIT_CASE(tcp_cong_test_idle_restart),
	KUNIT_CASE(tcp_cong_test_newreno),
	KUNIT_CASE(tcp_cong_test_cbrt),
	KUNIT_CASE(tcp_cong_test_cubic_window),
	KUNIT_CASE(tcp_cong_test_cubic_decrease),
	KUNIT_CASE(tcp_cong_test_cubic_trajectory),
	KUNIT_CASE(tcp_cong_test_cubic_reno_friendly),
	{}
};

static struct kunit_suite tcp_cong_test_suite = {
	.name = "netstack_tcp_cong",
	.test_cases = tcp_cong_test_cases,
};

kunit_test_suite(tcp_cong_test_suite);
