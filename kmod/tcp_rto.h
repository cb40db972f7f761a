/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP retransmission timeout (RFC 6298): a smoothed round-trip time
 * and its variation, from which the timeout is computed, and the
 * exponential backoff applied while retransmissions go unanswered. Pure
 * arithmetic on one struct: no timers, no locks, no time source. The
 * caller measures round trips, arms the timer with ns_tcp_rto_current()
 * and serialises calls (the connection's worker).
 */
#ifndef _NETSTACK_TCP_RTO_H
#define _NETSTACK_TCP_RTO_H

#include <linux/types.h>

/*
 * Times in microseconds. RFC 6298 (2.4) asks for a 1 s minimum; like
 * Linux (TCP_RTO_MIN) we use 200 ms. The maximum is Linux's TCP_RTO_MAX,
 * above RFC 6298's "at least 60 s" (2.5).
 */
enum {
	NS_TCP_RTO_INIT_US = 1000000,	/* before any sample (2.1) */
	NS_TCP_RTO_MIN_US = 200000,
	NS_TCP_RTO_MAX_US = 120000000,
	NS_TCP_RTO_BACKOFF_MAX = 255,	/* the backoff counter saturates */
};

/**
 * struct ns_tcp_rto - one connection's retransmission-timeout estimator
 * @srtt_us8: SRTT in units of 1/8 us (fixed point, 3 fractional bits), so
 *	that the 1/8 gain of each sample keeps its precision
 * @rttvar_us8: RTTVAR in units of 1/8 us
 * @rto_us: the timeout to arm now: the computed RTO, doubled for each
 *	backoff, within [NS_TCP_RTO_MIN_US, NS_TCP_RTO_MAX_US]
 * @granularity_us: G of RFC 6298, the clock granularity of the samples
 * @backoff: timeouts since the last sample (retries of the oldest segment)
 * @have_sample: a sample was taken; until then @rto_us derives from
 *	NS_TCP_RTO_INIT_US and @srtt_us8, @rttvar_us8 are zero
 */
struct ns_tcp_rto {
	u32 srtt_us8;
	u32 rttvar_us8;
	u32 rto_us;
	u32 granularity_us;
	u8 backoff;
	bool have_sample;
};

void ns_tcp_rto_init(struct ns_tcp_rto *r, u32 granularity_us);
void ns_tcp_rto_sample(struct ns_tcp_rto *r, u32 rtt_us);
unsigned int ns_tcp_rto_backoff(struct ns_tcp_rto *r);

/**
 * ns_tcp_rto_current() - the timeout to arm the retransmission timer with
 * @r: the estimator
 *
 * Return: the timeout in microseconds, backoff included.
 */
static inline u32 ns_tcp_rto_current(const struct ns_tcp_rto *r)
{
	return r->rto_us;
}

/**
 * ns_tcp_rto_srtt_us() - the smoothed round-trip time, for TCP_INFO-like use
 * @r: the estimator
 *
 * Return: SRTT in microseconds, rounded down; 0 before any sample.
 */
static inline u32 ns_tcp_rto_srtt_us(const struct ns_tcp_rto *r)
{
	return r->srtt_us8 >> 3;
}

/**
 * ns_tcp_rto_rttvar_us() - the round-trip time variation
 * @r: the estimator
 *
 * Return: RTTVAR in microseconds, rounded down; 0 before any sample.
 */
static inline u32 ns_tcp_rto_rttvar_us(const struct ns_tcp_rto *r)
{
	return r->rttvar_us8 >> 3;
}

#endif /* _NETSTACK_TCP_RTO_H */
