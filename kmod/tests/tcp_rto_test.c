// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_rto_test.c - KUnit tests for the RFC 6298 estimator (tcp_rto.c):
 * worked examples computed by hand, convergence under constant samples, a
 * spike and its decay, the minimum and maximum clamps, the clock
 * granularity term, and the backoff: doubling, cap, counter, and its reset
 * by a sample. Unless a test says otherwise G = 1 ms.
 */
#include <kunit/test.h>

#include "kmod/tcp_rto.h"

#define MS	1000U		/* microseconds */
#define SEC	1000000U
#define G	(1 * MS)

static void tcp_rto_test_init(struct kunit *test)
{
	struct ns_tcp_rto r;

	memset(&r, 0xa5, sizeof(r));
	ns_tcp_rto_init(&r, G);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 1 * SEC);
	KUNIT_EXPECT_FALSE(test, r.have_sample);
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 0);
	KUNIT_EXPECT_EQ(test, r.granularity_us, G);
}

/*
 * First sample R = 100 ms (2.2):
 *   SRTT = 100000, RTTVAR = 100000 / 2 = 50000
 *   RTO = 100000 + max(1000, 4 * 50000) = 300000
 */
static void tcp_rto_test_first_sample(struct kunit *test)
{
	struct ns_tcp_rto r;

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_TRUE(test, r.have_sample);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 100000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 50000);
	KUNIT_EXPECT_EQ(test, r.srtt_us8, 800000);
	KUNIT_EXPECT_EQ(test, r.rttvar_us8, 400000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 300000);

	/* An odd R halves exactly in eighths: R = 333 us, RTTVAR = 166.5. */
	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 333);
	KUNIT_EXPECT_EQ(test, r.srtt_us8, 333 * 8);
	KUNIT_EXPECT_EQ(test, r.rttvar_us8, 333 * 4);
}

/*
 * Three samples, 100 ms, 200 ms, 50 ms (2.3), by hand:
 *
 * 100 ms: SRTT = 100000, RTTVAR = 50000, RTO = 300000 (above).
 * 200 ms: |SRTT - R| = |100000 - 200000| = 100000
 *         RTTVAR = 3/4 * 50000 + 1/4 * 100000 = 37500 + 25000 = 62500
 *         SRTT   = 7/8 * 100000 + 1/8 * 200000 = 87500 + 25000 = 112500
 *         RTO    = 112500 + 4 * 62500 = 362500
 *  50 ms: |SRTT - R| = |112500 - 50000| = 62500
 *         RTTVAR = 3/4 * 62500 + 1/4 * 62500 = 62500
 *         SRTT   = 7/8 * 112500 + 1/8 * 50000 = 98437.5 + 6250 = 104687.5
 *         RTO    = 104687.5 + 4 * 62500 = 354687.5, rounded up 354688
 * In eighths: SRTT 837500, RTTVAR 500000; srtt_us() rounds down: 104687.
 */
static void tcp_rto_test_worked_example(struct kunit *test)
{
	struct ns_tcp_rto r;

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 300000);

	ns_tcp_rto_sample(&r, 200 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 62500);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 112500);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 362500);

	ns_tcp_rto_sample(&r, 50 * MS);
	KUNIT_EXPECT_EQ(test, r.rttvar_us8, 500000);
	KUNIT_EXPECT_EQ(test, r.srtt_us8, 837500);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 104687);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 354688);
}

/*
 * Constant samples of 2 s. The first gives SRTT = 2 s, RTTVAR = 1 s,
 * RTO = 2 + 4 * 1 = 6 s. Then |SRTT - R| = 0 and RTTVAR shrinks by 1/4 a
 * sample: 0.75 s, RTO = 2 + 3 = 5 s; 0.5625 s, RTO = 4.25 s; 0.421875 s,
 * RTO = 3.6875 s; ... The RTO falls every sample until 4 RTTVAR < G, then
 * rests at SRTT + G = 2001000 us. (RTTVAR stops at a few eighths of a
 * microsecond, where the 1/4 shift rounds to 0: below G, so invisible.)
 */
static void tcp_rto_test_converge(struct kunit *test)
{
	static const u32 first[] = { 6000000, 5000000, 4250000, 3687500 };
	struct ns_tcp_rto r;
	u32 prev;
	int i;

	ns_tcp_rto_init(&r, G);
	for (i = 0; i < ARRAY_SIZE(first); i++) {
		ns_tcp_rto_sample(&r, 2 * SEC);
		KUNIT_EXPECT_EQ_MSG(test, ns_tcp_rto_current(&r), first[i],
				    "sample %d", i + 1);
	}
	prev = ns_tcp_rto_current(&r);
	for (i = 0; i < 100; i++) {
		ns_tcp_rto_sample(&r, 2 * SEC);
		KUNIT_EXPECT_LE(test, ns_tcp_rto_current(&r), prev);
		KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 2 * SEC);
		prev = ns_tcp_rto_current(&r);
	}
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 2 * SEC + G);
	KUNIT_EXPECT_LT(test, r.rttvar_us8, 4);

	/*
	 * From a first sample of 1 s, 2 s samples pull SRTT up 1/8 of the gap
	 * each time, and in eighths of a microsecond it lands on 2 s exactly.
	 */
	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 1 * SEC);
	ns_tcp_rto_sample(&r, 2 * SEC);
	/* SRTT = 7/8 * 1 + 1/8 * 2 = 1.125 s; RTTVAR = 3/4 * 0.5 + 1/4 * 1 */
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 1125000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 625000);
	for (i = 0; i < 300; i++)
		ns_tcp_rto_sample(&r, 2 * SEC);
	KUNIT_EXPECT_EQ(test, r.srtt_us8, 2 * SEC * 8);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 2 * SEC + G);
}

/*
 * Steady at 100 ms (RTO at the 200 ms floor), then one 1 s sample:
 *   |SRTT - R| = 900000, RTTVAR = 3/4 * ~0 + 900000 / 4 = 225000
 *   SRTT = 7/8 * 100000 + 1000000 / 8 = 87500 + 125000 = 212500
 *   RTO = 212500 + 4 * 225000 = 1112500
 * The residue of RTTVAR (3/8 us after the steady run, see converge) adds
 * 4 * 3/8 = 1.5 us: 1112501.5, rounded up 1112502. Then back at 100 ms
 * the RTO decays every sample down to the floor again.
 */
static void tcp_rto_test_spike(struct kunit *test)
{
	struct ns_tcp_rto r;
	u32 prev;
	int i;

	ns_tcp_rto_init(&r, G);
	for (i = 0; i < 60; i++)
		ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MIN_US);
	KUNIT_EXPECT_EQ(test, r.rttvar_us8, 3);

	ns_tcp_rto_sample(&r, 1 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 212500);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 225000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 1112502);

	/*
	 * Next 100 ms sample: |212500 - 100000| = 112500,
	 * RTTVAR = 3/4 * 225000.375 + 112500 / 4 = 168750.28 + 28125,
	 * SRTT = 7/8 * 212500 + 12500 = 198437.5: the RTO falls to about
	 * 198437.5 + 787501 = 985938.6.
	 */
	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 198437);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 196875);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 985939);

	prev = ns_tcp_rto_current(&r);
	for (i = 0; i < 40 && ns_tcp_rto_current(&r) > NS_TCP_RTO_MIN_US; i++) {
		ns_tcp_rto_sample(&r, 100 * MS);
		KUNIT_EXPECT_LT(test, ns_tcp_rto_current(&r), prev);
		prev = ns_tcp_rto_current(&r);
	}
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MIN_US);
}

/*
 * The floor: R = 1 ms gives 1000 + max(1000, 4 * 500) = 3000 us, raised
 * to 200 ms. R = 0 gives max(G, 0) = 1000, also raised. Just above it:
 * R = 100 ms, RTTVAR = 50 ms, gives 300 ms (first_sample); R = 66668 us,
 * RTTVAR = 33334, gives 66668 + 133336 = 200004, kept.
 */
static void tcp_rto_test_min(struct kunit *test)
{
	struct ns_tcp_rto r;

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 1 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 1000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MIN_US);

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MIN_US);

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 66668);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 200004);
}

/*
 * The ceiling: R = 60 s gives 60 + 4 * 30 = 180 s, lowered to 120 s.
 * R = 30 s gives 30 + 60 = 90 s, kept. A sample above 120 s counts as
 * 120 s: SRTT = 120 s, and U32_MAX does not overflow anything.
 */
static void tcp_rto_test_max(struct kunit *test)
{
	struct ns_tcp_rto r;
	int i;

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 60 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MAX_US);

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 30 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 90 * SEC);

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, U32_MAX);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 120 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 60 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MAX_US);

	/* Alternating extremes: the largest |SRTT - R| and RTTVAR. */
	for (i = 0; i < 50; i++) {
		ns_tcp_rto_sample(&r, i & 1 ? U32_MAX : 0);
		KUNIT_EXPECT_LE(test, ns_tcp_rto_srtt_us(&r), 120 * SEC);
		KUNIT_EXPECT_LE(test, ns_tcp_rto_rttvar_us(&r), 120 * SEC);
		KUNIT_EXPECT_GE(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MIN_US);
		KUNIT_EXPECT_LE(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MAX_US);
	}
	/* SRTT 0 then U32_MAX -> 120 s: RTTVAR = 3/4 V + 30 s > 30 s. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MAX_US);
}

/*
 * G dominates when 4 RTTVAR < G: with G = 300 ms, R = 100 ms gives
 * 100000 + max(300000, 200000) = 400000; with G = 1 ms it was 300000.
 * With G = 0, constant samples of 1 s converge to SRTT itself, 1 s.
 */
static void tcp_rto_test_granularity(struct kunit *test)
{
	struct ns_tcp_rto r;
	int i;

	ns_tcp_rto_init(&r, 300 * MS);
	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 400000);

	ns_tcp_rto_init(&r, 0);
	for (i = 0; i < 200; i++)
		ns_tcp_rto_sample(&r, 1 * SEC);
	/* 1 s + 4 * (3/8 us residue) = 1000001.5, rounded up */
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 1 * SEC + 2);
}

/*
 * Backoff from the initial 1 s: 2, 4, 8, 16, 32, 64 s, then 128 s capped
 * at 120 s, and 120 s from then on. The counter is returned and kept, and
 * saturates at NS_TCP_RTO_BACKOFF_MAX.
 */
static void tcp_rto_test_backoff(struct kunit *test)
{
	static const u32 want[] = {
		2 * SEC, 4 * SEC, 8 * SEC, 16 * SEC, 32 * SEC, 64 * SEC,
		120 * SEC, 120 * SEC, 120 * SEC,
	};
	struct ns_tcp_rto r;
	unsigned int i;

	ns_tcp_rto_init(&r, G);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), i + 1);
		KUNIT_EXPECT_EQ_MSG(test, ns_tcp_rto_current(&r), want[i],
				    "after %u timeouts", i + 1);
		KUNIT_EXPECT_EQ(test, r.backoff, i + 1);
	}
	KUNIT_EXPECT_FALSE(test, r.have_sample);

	for (i = ARRAY_SIZE(want); i < 300; i++)
		ns_tcp_rto_backoff(&r);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), NS_TCP_RTO_BACKOFF_MAX);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MAX_US);

	/* From a measured 300 ms: 600, 1200 ms; from 90 s: straight to 120. */
	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), 1);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 600000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), 2);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 1200000);
	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 30 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), 1);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), NS_TCP_RTO_MAX_US);

	/* Backing off leaves the estimate alone. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_srtt_us(&r), 30 * SEC);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_rttvar_us(&r), 15 * SEC);
}

/*
 * A sample after timeouts recomputes the RTO from the estimate and clears
 * the counter. 100 ms measured (RTO 300 ms), three timeouts (2.4 s), then
 * a 100 ms sample: |SRTT - R| = 0, RTTVAR = 3/4 * 50000 = 37500,
 * RTO = 100000 + 150000 = 250000; the next timeout doubles from there.
 */
static void tcp_rto_test_sample_resets_backoff(struct kunit *test)
{
	struct ns_tcp_rto r;

	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_sample(&r, 100 * MS);
	ns_tcp_rto_backoff(&r);
	ns_tcp_rto_backoff(&r);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), 3);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 2400000);

	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 250000);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_backoff(&r), 1);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 500000);

	/*
	 * A first sample after SYN timeouts (e.g. from a timestamp echo):
	 * 1 s backed off to 4 s, then R = 100 ms gives 300 ms, count 0.
	 */
	ns_tcp_rto_init(&r, G);
	ns_tcp_rto_backoff(&r);
	ns_tcp_rto_backoff(&r);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 4 * SEC);
	ns_tcp_rto_sample(&r, 100 * MS);
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_rto_current(&r), 300000);
}

static struct kunit_case tcp_rto_test_cases[] = {
	KUNIT_CASE(tcp_rto_test_init),
	KUNIT_CASE(tcp_rto_test_first_sample),
	KUNIT_CASE(tcp_rto_test_worked_example),
	KUNIT_CASE(tcp_rto_test_converge),
	KUNIT_CASE(tcp_rto_test_spike),
	KUNIT_CASE(tcp_rto_test_min),
	KUNIT_CASE(tcp_rto_test_max),
	KUNIT_CASE(tcp_rto_test_granularity),
	KUNIT_CASE(tcp_rto_test_backoff),
	KUNIT_CASE(tcp_rto_test_sample_resets_backoff),
	{}
};

static struct kunit_suite tcp_rto_test_suite = {
	.name = "netstack_tcp_rto",
	.test_cases = tcp_rto_test_cases,
};

kunit_test_suite(tcp_rto_test_suite);
