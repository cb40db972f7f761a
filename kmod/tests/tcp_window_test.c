// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_window_test.c - KUnit tests for TCP window arithmetic (tcp_window.c):
 * the segment acceptability table of RFC 9293 3.10.7.4, ACK classes, the
 * window-update rule and the usable send window, each table tried with
 * the 2^32 wrap moved across every number it mentions; worked examples of
 * the receive window to advertise (silly-window avoidance, scaling), and
 * its invariants over many seeded random runs of a receive buffer.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/prandom.h>

#include "kmod/seq.h"
#include "kmod/tcp_window.h"

/*
 * The tables are written around 1000; each case is tried unshifted, shifted
 * by these, and shifted so that every number from WRAP_FIRST to WRAP_LAST
 * in turn becomes 0: first byte, last byte, one past - the wrap falls on
 * each of them and between each pair.
 */
static const u32 tcp_window_shifts[] = { 0, 0x7fffffff, 0x80000000, 0xffffffff };

enum {
	WRAP_FIRST = 880,
	WRAP_LAST = 1320,
	NSHIFTS = ARRAY_SIZE(tcp_window_shifts) + WRAP_LAST - WRAP_FIRST + 1,
};

static u32 tcp_window_shift(unsigned int i)
{
	if (i < ARRAY_SIZE(tcp_window_shifts))
		return tcp_window_shifts[i];
	return 0u - (WRAP_FIRST + (i - ARRAY_SIZE(tcp_window_shifts)));
}

struct acceptable_case {
	u32 rcv_nxt, rcv_wnd, seg_seq, seg_len;
	bool ok;
};

/* The window is [1000, 1100), or empty at 1000. */
static const struct acceptable_case acceptable_cases[] = {
	/* SEG.LEN 0, RCV.WND 0: only SEG.SEQ = RCV.NXT */
	{ 1000, 0, 1000, 0, true },
	{ 1000, 0, 999, 0, false },
	{ 1000, 0, 1001, 0, false },
	/* SEG.LEN 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND */
	{ 1000, 100, 999, 0, false },
	{ 1000, 100, 1000, 0, true },		/* first byte of the window */
	{ 1000, 100, 1050, 0, true },
	{ 1000, 100, 1099, 0, true },		/* last byte */
	{ 1000, 100, 1100, 0, false },		/* one past */
	/* SEG.LEN > 0, RCV.WND 0: never */
	{ 1000, 0, 1000, 1, false },
	{ 1000, 0, 1000, 100, false },
	{ 1000, 0, 999, 2, false },		/* even covering RCV.NXT */
	{ 1000, 0, 999, 1, false },
	/* SEG.LEN > 0, RCV.WND > 0: some of the segment in the window */
	{ 1000, 100, 1000, 1, true },
	{ 1000, 100, 1000, 100, true },		/* exactly the window */
	{ 1000, 100, 1050, 10, true },
	{ 1000, 100, 1099, 1, true },		/* first byte is the last in window */
	{ 1000, 100, 1099, 50, true },		/* ... and the rest beyond */
	{ 1000, 100, 1100, 1, false },		/* first byte one past */
	{ 1000, 100, 1100, 50, false },
	{ 999, 100, 1099, 1, false },
	{ 1000, 100, 999, 1, false },		/* last byte one before */
	{ 1000, 100, 950, 50, false },
	{ 1000, 100, 950, 51, true },		/* last byte is the first in window */
	{ 1000, 100, 950, 100, true },
	{ 1000, 100, 900, 300, true },		/* covers the window and more */
	{ 1000, 100, 999, 102, true },		/* one byte either side */
	{ 1000, 1, 1000, 1, true },		/* one-byte window */
	{ 1000, 1, 999, 2, true },
	{ 1000, 1, 1001, 1, false },
	{ 1000, 1, 999, 1, false },
	{ 1000, 100, 1000u + 0x7fffffff, 1, false },	/* far away either way */
	{ 1000, 100, 1000 + 0x80000000, 1, false },
	{ 1000, 100, 1000 - 0x7fffffff, 1, false },
	{ 1000, 0x3fffc000, 1000 + 0x3fffbfff, 1, true },	/* largest window */
	{ 1000, 0x3fffc000, 1000 + 0x3fffc000, 1, false },
};

static void tcp_window_test_seq_acceptable(struct kunit *test)
{
	unsigned int i, s;

	for (s = 0; s < NSHIFTS; s++) {
		u32 d = tcp_window_shift(s);

		for (i = 0; i < ARRAY_SIZE(acceptable_cases); i++) {
			const struct acceptable_case *c = &acceptable_cases[i];
			u32 nxt = c->rcv_nxt + d, seq = c->seg_seq + d;

			KUNIT_EXPECT_EQ_MSG(test,
					    ns_tcp_seq_acceptable(nxt, c->rcv_wnd,
								  seq, c->seg_len),
					    c->ok, "acceptable(nxt %#x, wnd %u, seq %#x, len %u)",
					    nxt, c->rcv_wnd, seq, c->seg_len);
		}
	}
}

struct ack_case {
	u32 snd_una, snd_nxt, seg_ack;
	enum ns_tcp_ack class;
};

static const struct ack_case ack_cases[] = {
	{ 1000, 1100, 999, NS_TCP_ACK_OLD },
	{ 1000, 1100, 1000, NS_TCP_ACK_DUP },
	{ 1000, 1100, 1001, NS_TCP_ACK_NEW },
	{ 1000, 1100, 1050, NS_TCP_ACK_NEW },
	{ 1000, 1100, 1100, NS_TCP_ACK_NEW },
	{ 1000, 1100, 1101, NS_TCP_ACK_UNSENT },
	{ 1000, 1100, 1100u + 0x7fffffff, NS_TCP_ACK_UNSENT },
	{ 1000, 1100, 1100 + 0x80000000, NS_TCP_ACK_UNSENT },
	{ 1000, 1100, 1100 + 0x80000001, NS_TCP_ACK_OLD },
	{ 1000, 1100, 1000 - 0x7fffff00, NS_TCP_ACK_OLD },
	/* nothing outstanding */
	{ 1000, 1000, 999, NS_TCP_ACK_OLD },
	{ 1000, 1000, 1000, NS_TCP_ACK_DUP },
	{ 1000, 1000, 1001, NS_TCP_ACK_UNSENT },
	/* only a SYN or a FIN outstanding */
	{ 1000, 1001, 1001, NS_TCP_ACK_NEW },
	{ 1000, 1001, 1002, NS_TCP_ACK_UNSENT },
};

static void tcp_window_test_ack_classify(struct kunit *test)
{
	unsigned int i, s;

	for (s = 0; s < NSHIFTS; s++) {
		u32 d = tcp_window_shift(s);

		for (i = 0; i < ARRAY_SIZE(ack_cases); i++) {
			const struct ack_case *c = &ack_cases[i];
			u32 una = c->snd_una + d, nxt = c->snd_nxt + d;
			u32 ack = c->seg_ack + d;

			KUNIT_EXPECT_EQ_MSG(test, ns_tcp_ack_classify(una, nxt, ack),
					    c->class, "classify(una %#x, nxt %#x, ack %#x)",
					    una, nxt, ack);
		}
	}
}

struct wnd_update_case {
	u32 snd_wl1, snd_wl2, seg_seq, seg_ack;
	bool ok;
};

static const struct wnd_update_case wnd_update_cases[] = {
	{ 1000, 1000, 1001, 1000, true },	/* newer SEG.SEQ ... */
	{ 1000, 1000, 1001, 999, true },	/* ... whatever SEG.ACK */
	{ 1000, 1000, 1000u + 0x7fffffff, 1000, true },
	{ 1000, 1000, 1000, 1000, true },	/* same SEG.SEQ: SEG.ACK decides */
	{ 1000, 1000, 1000, 1001, true },
	{ 1000, 1000, 1000, 999, false },
	{ 1000, 1000, 1000, 1000 - 0x7fffffff, false },
	{ 1000, 1000, 999, 1000, false },	/* older SEG.SEQ: never */
	{ 1000, 1000, 999, 1100, false },
	{ 1000, 1000, 1000 - 0x7fffffff, 1100, false },
};

static void tcp_window_test_window_update(struct kunit *test)
{
	static const u32 ack_shifts[] = {
		0, 0x7fffffff, 0x80000000, 0xffffffff, 0u - 1000, 0u - 1001,
	};
	unsigned int i, s, t;

	/* The two directions' sequence spaces are shifted independently. */
	for (s = 0; s < NSHIFTS; s++) {
		for (t = 0; t < ARRAY_SIZE(ack_shifts); t++) {
			u32 d = tcp_window_shift(s), e = ack_shifts[t];

			for (i = 0; i < ARRAY_SIZE(wnd_update_cases); i++) {
				const struct wnd_update_case *c = &wnd_update_cases[i];
				u32 wl1 = c->snd_wl1 + d, seq = c->seg_seq + d;
				u32 wl2 = c->snd_wl2 + e, ack = c->seg_ack + e;

				KUNIT_EXPECT_EQ_MSG(test,
						    ns_tcp_window_update_ok(wl1, wl2, seq, ack),
						    c->ok,
						    "update_ok(wl1 %#x, wl2 %#x, seq %#x, ack %#x)",
						    wl1, wl2, seq, ack);
			}
		}
	}
}

struct send_window_case {
	u32 snd_una, snd_nxt, snd_wnd, usable;
};

static const struct send_window_case send_window_cases[] = {
	{ 1000, 1000, 100, 100 },	/* nothing in flight */
	{ 1000, 1050, 100, 50 },
	{ 1000, 1099, 100, 1 },
	{ 1000, 1100, 100, 0 },		/* at the right edge */
	{ 1000, 1150, 100, 0 },		/* beyond it: the window shrank */
	{ 1000, 1000, 0, 0 },		/* zero window */
	{ 1000, 1001, 0, 0 },		/* zero window, a probe in flight */
	{ 1000, 999, 100, 0 },		/* SND.NXT before SND.UNA: nonsense */
	{ 1000, 1000, 0x3fffc000, 0x3fffc000 },	/* largest scaled window */
	{ 1000, 1000 + 0x3fffbfff, 0x3fffc000, 1 },
	{ 1000, 1000 + 0x3fffc000, 0x3fffc000, 0 },
};

static void tcp_window_test_send_window(struct kunit *test)
{
	unsigned int i, s;

	for (s = 0; s < NSHIFTS; s++) {
		u32 d = tcp_window_shift(s);

		for (i = 0; i < ARRAY_SIZE(send_window_cases); i++) {
			const struct send_window_case *c = &send_window_cases[i];
			u32 una = c->snd_una + d, nxt = c->snd_nxt + d;

			KUNIT_EXPECT_EQ_MSG(test,
					    ns_tcp_send_window(una, nxt, c->snd_wnd),
					    c->usable, "send_window(una %#x, nxt %#x, wnd %u)",
					    una, nxt, c->snd_wnd);
		}
	}
}

/*
 * A 16 KiB buffer, full, with a zero window out, drained one byte at a
 * time: the edge moves in exact MSS steps (min(16384 / 2, 1460) = 1460),
 * and the last 324 bytes, less than an MSS, are held back. RCV.NXT sits
 * just before the wrap.
 */
static void tcp_window_test_rcv_mss_steps(struct kunit *test)
{
	const u32 buf = 16384, mss = 1460;
	u32 nxt = 0xffffff00, adv = nxt, used = 0, wnd;
	unsigned int moves = 0;

	wnd = ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0);
	KUNIT_ASSERT_EQ(test, wnd, buf);		/* empty buffer: all of it */
	adv = nxt + wnd;

	nxt += buf;					/* the peer fills it */
	used = buf;
	wnd = ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0);
	KUNIT_ASSERT_EQ(test, wnd, 0u);
	adv = nxt + wnd;

	while (used) {
		used--;
		wnd = ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0);
		KUNIT_ASSERT_EQ_MSG(test, wnd, (buf - used) / mss * mss,
				    "free %u", buf - used);
		if (nxt + wnd != adv)
			moves++;
		adv = nxt + wnd;
	}
	KUNIT_EXPECT_EQ(test, wnd, 11 * mss);
	KUNIT_EXPECT_EQ(test, moves, 11u);
}

/* Reads smaller than an MSS leave the right edge where it is. */
static void tcp_window_test_rcv_small_reads(struct kunit *test)
{
	const u32 buf = 16384, mss = 1460, start = 0xfffffc00;
	u32 nxt = start, adv = start + buf, used = 0;

	/* The peer sends 1000: the window is what is left of the offer. */
	nxt += 1000;
	used += 1000;
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0),
			buf - 1000);
	/* Reading 500, then 500 more, opens no more than that. */
	used -= 500;
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0),
			buf - 1000);
	used -= 500;
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0),
			buf - 1000);
	/* 459 more in and read: the edge could move 1459, still too little. */
	nxt += 459;
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, adv, buf, buf, mss, 0),
			buf - 1459);
	/* One more byte, still unread: 1459 again. */
	nxt += 1;
	used = 1;
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0),
			buf - 1460);
	/* Read: now it moves by exactly one MSS, to the whole buffer. */
	used = 0;
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, adv, buf - used, buf, mss, 0),
			buf);
	KUNIT_EXPECT_EQ(test, nxt + buf - adv, mss);
}

/* With a buffer smaller than two MSS, half the buffer is the step. */
static void tcp_window_test_rcv_small_buffer(struct kunit *test)
{
	const u32 buf = 2000, mss = 1460;

	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(5000, 5000, 999, buf, mss, 0), 0u);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(5000, 5000, 1000, buf, mss, 0), 1000u);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(5000, 6000, 1999, buf, mss, 0), 1000u);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(5000, 6000, 2000, buf, mss, 0), 2000u);
}

/* A full buffer closes the window, but never under a promise. */
static void tcp_window_test_rcv_full(struct kunit *test)
{
	const u32 nxt = 0xfffffff0;

	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 0, 65536, 1460, 0), 0u);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 0, 1 << 20, 1460, 7), 0u);
	/* Less free than one unit of the scale is nothing to offer. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 127, 1 << 20, 1, 7), 0u);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 128, 1 << 20, 1, 7), 128u);
	/* 5000 bytes were offered; the buffer filled otherwise: keep them. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt + 5000, 0, 65536, 1460, 0),
			5000u);
	/* The buffer shrank below the offer: keep it too. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt + 5000, 3000, 4096, 1460, 0),
			5000u);
	/* An edge already behind RCV.NXT counts as nothing offered. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt - 10, 0, 65536, 1460, 0), 0u);
}

/* Scale shift 7: windows in units of 128 bytes, up to 65535 * 128. */
static void tcp_window_test_rcv_scaled(struct kunit *test)
{
	const u32 buf = 1 << 20, mss = 1460, start = 0xfff00000;
	u32 nxt = start, adv = start, wnd;

	/* 1000000 free rounds down to 7812 units. */
	wnd = ns_tcp_rcv_window(nxt, adv, 1000000, buf, mss, 7);
	KUNIT_EXPECT_EQ(test, wnd, 7812u * 128);
	adv = nxt + wnd;

	/*
	 * 100 bytes arrive: 999836 are left of the offer, 999900 free. That
	 * is not a multiple of 128: 7811 units would shrink the edge by 28,
	 * so it is 7812, and the edge moves 100 - over the 999900 free.
	 */
	nxt += 100;
	wnd = ns_tcp_rcv_window(nxt, adv, 999900, buf, mss, 7);
	KUNIT_EXPECT_EQ(test, wnd, 7812u * 128);
	KUNIT_EXPECT_EQ(test, nxt + wnd - adv, 100u);
	adv = nxt + wnd;

	/* Reading the 100 leaves 7812 units: nothing to move. */
	wnd = ns_tcp_rcv_window(nxt, adv, 1000000, buf, mss, 7);
	KUNIT_EXPECT_EQ(test, wnd, 7812u * 128);
	KUNIT_EXPECT_EQ(test, nxt + wnd, adv);

	/* The whole buffer, 8192 units. */
	wnd = ns_tcp_rcv_window(nxt, adv, buf, buf, mss, 7);
	KUNIT_EXPECT_EQ(test, wnd, 8192u * 128);
	adv = nxt + wnd;

	/*
	 * 1000 arrive and are read at once: the edge could move 1000, less
	 * than an MSS, so it stays; the 1047576 left round up to 8185 units.
	 */
	nxt += 1000;
	wnd = ns_tcp_rcv_window(nxt, adv, buf, buf, mss, 7);
	KUNIT_EXPECT_EQ(test, wnd, 8185u * 128);
	KUNIT_EXPECT_EQ(test, nxt + wnd - adv, 8185u * 128 - 1047576);

	/* The field's limit: 65535 units of the scale, whatever is free. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 16 << 20, 16 << 20, mss, 7),
			65535u << 7);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 100000, 100000, mss, 0),
			65535u);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, U32_MAX, U32_MAX, mss, 14),
			65535u << 14);
	/* Shifts beyond 14 count as 14 (RFC 7323 2.3). */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, U32_MAX, U32_MAX, mss, 15),
			65535u << 14);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcv_window(nxt, nxt, 20000, 1 << 30, mss, 14),
			16384u);
}

enum {
	RCV_RUNS = 200,
	RCV_STEPS = 500,
	RCV_SEED = 0x6e657473,		/* "nets" */
};

/*
 * A receive buffer under random traffic: the peer sends what the window
 * and the buffer allow (sometimes all of it), the application reads
 * random amounts, sometimes memory pressure makes less room than the
 * buffer has. After every step the advertised window must keep the
 * contract of ns_tcp_rcv_window(). The runs take the scale shifts 0..14
 * in turn; seeded, so every run is the same.
 */
static void tcp_window_test_rcv_random(struct kunit *test)
{
	unsigned int run, step, moves = 0, zeros = 0, promises = 0, wraps = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, RCV_SEED);
	for (run = 0; run < RCV_RUNS; run++) {
		unsigned int ws = run % (NS_TCP_WSCALE_MAX + 1);	/* every shift */
		u32 buf = 1 + prandom_u32_state(&rnd) % (4 << 20);
		u32 mss = 1 + prandom_u32_state(&rnd) % 9000;
		u32 gran = 1U << ws, max_wnd = 65535U << ws, sws = min(buf / 2, mss);
		u32 nxt = 0u - prandom_u32_state(&rnd) % (8 * buf);
		u32 adv = nxt, used = 0;

		for (step = 0; step < RCV_STEPS; step++) {
			u32 r = prandom_u32_state(&rnd), open, free, wnd, n;

			open = adv - nxt;
			if (r & 1) {		/* the peer sends */
				n = min(open, buf - used);
				if (r & 6)
					n = prandom_u32_state(&rnd) % (n + 1);
				if (nxt + n < nxt)
					wraps++;
				nxt += n;
				used += n;
				open -= n;
			}
			if (r & 8)		/* the application reads */
				used -= prandom_u32_state(&rnd) % (used + 1);
			free = buf - used;
			if ((r & 0x70) == 0x70)	/* memory pressure */
				free = prandom_u32_state(&rnd) % (free + 1);

			wnd = ns_tcp_rcv_window(nxt, adv, free, buf, mss, ws);

			KUNIT_ASSERT_EQ_MSG(test, wnd % gran, 0u, "run %u step %u", run, step);
			KUNIT_ASSERT_LE_MSG(test, wnd, max_wnd, "run %u step %u", run, step);
			/* The right edge never moves left. */
			KUNIT_ASSERT_TRUE_MSG(test, ns_seq_after_eq(nxt + wnd, adv),
					      "run %u step %u: edge %#x, was %#x",
					      run, step, nxt + wnd, adv);
			/* More than is free only to keep (a rounding of) a promise. */
			if (wnd > free) {
				KUNIT_ASSERT_LT_MSG(test, wnd - open, gran,
						    "run %u step %u", run, step);
				promises++;
			}
			/* The edge moves by at least the SWS step, or rounding only. */
			if (wnd - open >= gran) {
				KUNIT_ASSERT_GE_MSG(test, wnd - open, sws,
						    "run %u step %u", run, step);
			}
			/* And it does move when there is room beyond rounding. */
			if (min(free, max_wnd) >= (u64)open + max(sws, 1u) + gran) {
				KUNIT_ASSERT_GT_MSG(test, wnd, open,
						    "run %u step %u", run, step);
			}
			if (!free && !open)
				KUNIT_ASSERT_EQ(test, wnd, 0u);

			if (wnd != open)
				moves++;
			if (!wnd)
				zeros++;
			adv = nxt + wnd;
		}
	}
	/* The runs did exercise what they check. */
	KUNIT_EXPECT_GT(test, moves, 1000u);
	KUNIT_EXPECT_GT(test, zeros, 100u);
	KUNIT_EXPECT_GT(test, promises, 100u);
	KUNIT_EXPECT_GT(test, wraps, 10u);
}

static struct kunit_case tcp_window_test_cases[] = {
	KUNIT_CASE(tcp_window_test_seq_acceptable),
	KUNIT_CASE(tcp_window_test_ack_classify),
	KUNIT_CASE(tcp_window_test_window_update),
	KUNIT_CASE(tcp_window_test_send_window),
	KUNIT_CASE(tcp_window_test_rcv_mss_steps),
	KUNIT_CASE(tcp_window_test_rcv_small_reads),
	KUNIT_CASE(tcp_window_test_rcv_small_buffer),
	KUNIT_CASE(tcp_window_test_rcv_full),
	KUNIT_CASE(tcp_window_test_rcv_scaled),
	KUNIT_CASE(tcp_window_test_rcv_random),
	{}
};

static struct kunit_suite tcp_window_test_suite = {
	.name = "netstack_tcp_window",
	.test_cases = tcp_window_test_cases,
};

kunit_test_suite(tcp_window_test_suite);
