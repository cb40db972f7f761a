// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_cubic.c - CUBIC congestion control (RFC 9438).
 *
 * After a reduction the window follows W(t) = C (t - K)^3 + W_max: it
 * climbs fast while far below the window where the last loss happened
 * (W_max), flattens near it, and probes beyond it ever faster. C is 0.4
 * segments per second cubed; a loss multiplies the window by beta 0.7;
 * K = cbrt((W_max - cwnd) / C) is when W comes back to W_max. A second
 * estimate W_est grows as Reno would with the same beta (RFC 9438 4.3),
 * and the window never grows slower than it. With fast convergence
 * (4.7), a loss below the previous W_max lowers W_max further, yielding
 * to newer flows.
 *
 * Windows are kept in 1/1024 segments, times in milliseconds.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <kunit/visibility.h>

#include "tcp_cong.h"

#define NS_CUBIC_ONE		1024ULL	/* one segment, in the fixed point */
#define NS_CUBIC_BETA_NUM	7	/* beta = 0.7 */
#define NS_CUBIC_BETA_DEN	10
/* alpha_cubic = 3 (1 - beta) / (1 + beta) = 0.529..., in 1/1024 */
#define NS_CUBIC_ALPHA		542
/*
 * C (t - K)^3 with t - K in ms and C = 0.4 segment/s^3, in 1/1024
 * segments: d^3 * 0.4 * 1024 / 10^9 = d^3 / 2441406.25.
 */
#define NS_CUBIC_DIVISOR	2441406
/* |t - K| beyond this (ms) would overflow d^3: about 35 minutes. */
#define NS_CUBIC_MAX_DELTA_MS	2000000
/* K^3 in ms^3 for a window distance in 1/1024 segments: (1/C) * 10^9 / 1024. */
#define NS_CUBIC_K3_PER_UNIT	2441406

/**
 * ns_tcp_cubic_cbrt() - the integer cube root
 * @x: the value
 *
 * Return: the largest r with r^3 <= @x.
 */
u32 ns_tcp_cubic_cbrt(u64 x)
{
	u32 lo = 0, hi = 2642245;	/* hi^3 > 2^64 - 1 */

	while (lo < hi) {
		u32 mid = lo + (hi - lo + 1) / 2;

		if ((u64)mid * mid * mid <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cubic_cbrt);

/**
 * ns_tcp_cubic_window() - W(t) = C (t - K)^3 + origin (RFC 9438 eq. 1)
 * @origin: the plateau, in 1/1024 segments
 * @k_ms: K, in ms
 * @t_ms: time since the epoch began, in ms
 *
 * Return: the window, in 1/1024 segments, never below 0.
 */
u64 ns_tcp_cubic_window(u64 origin, u32 k_ms, s64 t_ms)
{
	s64 d = clamp_t(s64, t_ms - k_ms, -NS_CUBIC_MAX_DELTA_MS, NS_CUBIC_MAX_DELTA_MS);
	s64 delta = div_s64(d * d * d, NS_CUBIC_DIVISOR);

	if (delta < 0 && (u64)-delta > origin)
		return 0;
	return origin + delta;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cubic_window);

static void ns_tcp_cubic_init(struct ns_tcp_cc *cc)
{
	memset(&cc->cubic, 0, sizeof(cc->cubic));
}

/* RFC 9438 4.6 and 4.7: multiplicative decrease, fast convergence. */
static u32 ns_tcp_cubic_ssthresh(struct ns_tcp_cc *cc)
{
	struct ns_tcp_cubic *c = &cc->cubic;
	u64 cwnd = cc->cwnd * NS_CUBIC_ONE;

	if (cwnd < c->w_max)
		c->w_max = div_u64(cwnd * (NS_CUBIC_BETA_DEN + NS_CUBIC_BETA_NUM),
				   2 * NS_CUBIC_BETA_DEN);
	else
		c->w_max = cwnd;
	c->epoch_start_ms = 0;
	return max(cc->cwnd * NS_CUBIC_BETA_NUM / NS_CUBIC_BETA_DEN, 2U);
}

/* A new epoch: the first ACK in congestion avoidance after a reduction. */
static void ns_tcp_cubic_epoch(struct ns_tcp_cc *cc, u32 now_ms)
{
	struct ns_tcp_cubic *c = &cc->cubic;
	u64 cwnd = cc->cwnd * NS_CUBIC_ONE;

	c->epoch_start_ms = now_ms ?: 1;
	c->w_est = cwnd;
	cc->cwnd_cnt = 0;
	if (c->w_max > cwnd) {
		u64 dist = min_t(u64, c->w_max - cwnd, 1ULL << 30);

		c->k_ms = ns_tcp_cubic_cbrt(dist * NS_CUBIC_K3_PER_UNIT);
		c->origin = c->w_max;
	} else {
		c->k_ms = 0;
		c->origin = cwnd;
	}
}

static void ns_tcp_cubic_cong_avoid(struct ns_tcp_cc *cc, u32 acked, u32 now_ms,
				    u32 rtt_us)
{
	struct ns_tcp_cubic *c = &cc->cubic;
	u64 cwnd = cc->cwnd * NS_CUBIC_ONE, target, alpha;
	s64 t;

	if (!c->epoch_start_ms)
		ns_tcp_cubic_epoch(cc, now_ms);
	t = (s64)(u32)(now_ms - c->epoch_start_ms) + rtt_us / USEC_PER_MSEC;
	target = ns_tcp_cubic_window(c->origin, c->k_ms, t);

	/* The Reno-friendly estimate, alpha 1 once past W_max (4.3). */
	alpha = c->w_est >= c->w_max ? NS_CUBIC_ONE : NS_CUBIC_ALPHA;
	c->w_est += div_u64(alpha * acked, cc->cwnd);
	if (target < c->w_est)
		target = c->w_est;
	target = clamp_t(u64, target, cwnd, cwnd + cwnd / 2);

	/* (target - cwnd) / cwnd more for each segment acknowledged (4.4). */
	cc->cwnd_cnt += div_u64((target - cwnd) * acked, cc->cwnd);
	while (cc->cwnd_cnt >= NS_CUBIC_ONE) {
		cc->cwnd_cnt -= NS_CUBIC_ONE;
		cc->cwnd++;
	}
}

const struct ns_tcp_cong_ops ns_tcp_cubic = {
	.name = "cubic",
	.init = ns_tcp_cubic_init,
	.ssthresh = ns_tcp_cubic_ssthresh,
	.cong_avoid = ns_tcp_cubic_cong_avoid,
};
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cubic);
