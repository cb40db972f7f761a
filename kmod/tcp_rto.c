// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_rto.c - the retransmission timeout of RFC 6298, in integer
 * arithmetic. With R the round-trip time of one sample:
 *
 *   first sample:   SRTT = R, RTTVAR = R / 2
 *   later samples:  RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|  (old SRTT)
 *                   SRTT   = 7/8 SRTT   + 1/8 R
 *   then:           RTO = SRTT + max(G, 4 RTTVAR), within [min, max]
 *
 * SRTT and RTTVAR are kept in eighths of a microsecond, which makes the
 * 1/2, 1/4 and 1/8 gains shifts that lose less than 1/8 us each (the
 * scaling of Jacobson's "Congestion Avoidance and Control", appendix A,
 * which Linux's tcp_rtt_estimator() also uses); the RTO is rounded up to
 * whole microseconds. Each timeout doubles the RTO (5.5) up to the
 * maximum; the next sample recomputes it and clears the backoff.
 *
 * Karn's algorithm (RFC 6298 section 3) is the caller's: never sample a
 * segment that was retransmitted, since its ACK may answer either copy,
 * unless a timestamp echo (RFC 7323 section 4) says which. Nothing here
 * undoes a backoff except a sample, so a caller that follows the rule
 * keeps the backed-off timeout until an unambiguous sample arrives.
 * RFC 6298 5.7 (data starts with an RTO of 3 s when the handshake was
 * retransmitted and gave no sample; Linux does it in tcp_init_metrics())
 * is not provided yet: it needs a helper here when the handshake code
 * comes, rather than a caller writing @rto_us.
 *
 * Overflow: samples are capped at NS_TCP_RTO_MAX_US (120 s; a longer one
 * can only come from a timer that did fire), so SRTT and RTTVAR stay below
 * 120 s * 8 < 2^30 and their sums below 2^32; the RTO sum uses 64 bits.
 */
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <kunit/visibility.h>

#include "tcp_rto.h"

/*
 * RTO = SRTT + max(G, 4 RTTVAR), rounded up and clamped; in eighths of a
 * microsecond until the rounding.
 */
static u32 ns_tcp_rto_compute(const struct ns_tcp_rto *r)
{
	u64 var8 = max_t(u64, (u64)r->granularity_us * 8,
			 (u64)r->rttvar_us8 * 4);
	u64 rto_us = DIV_ROUND_UP_ULL(r->srtt_us8 + var8, 8);

	return clamp_t(u64, rto_us, NS_TCP_RTO_MIN_US, NS_TCP_RTO_MAX_US);
}

/**
 * ns_tcp_rto_init() - start an estimator with no sample: RTO = 1 s
 * @r: the estimator
 * @granularity_us: G, the granularity of the clock the caller measures
 *	round trips with (1 for ktime in microseconds, a jiffy in
 *	microseconds for jiffies)
 */
void ns_tcp_rto_init(struct ns_tcp_rto *r, u32 granularity_us)
{
	*r = (struct ns_tcp_rto){
		.rto_us = NS_TCP_RTO_INIT_US,
		.granularity_us = granularity_us,
	};
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_rto_init);

/**
 * ns_tcp_rto_sample() - feed one round-trip measurement
 * @r: the estimator
 * @rtt_us: the time from sending a segment to the arrival of the ACK that
 *	first covered it, in microseconds; the segment must not have been
 *	retransmitted (Karn) unless a timestamp echo identifies the copy
 *
 * Updates SRTT and RTTVAR, recomputes the RTO and clears the backoff.
 * Samples above NS_TCP_RTO_MAX_US count as NS_TCP_RTO_MAX_US.
 */
void ns_tcp_rto_sample(struct ns_tcp_rto *r, u32 rtt_us)
{
	u32 rtt = min_t(u32, rtt_us, NS_TCP_RTO_MAX_US);

	if (!r->have_sample) {
		r->srtt_us8 = rtt * 8;			/* SRTT = R */
		r->rttvar_us8 = rtt * 4;		/* RTTVAR = R / 2 */
		r->have_sample = true;
	} else {
		u32 err8 = abs((s32)(rtt * 8 - r->srtt_us8));

		/* RTTVAR += (|SRTT - R| - RTTVAR) / 4, with the old SRTT */
		r->rttvar_us8 = r->rttvar_us8 - (r->rttvar_us8 >> 2) +
				(err8 >> 2);
		/* SRTT += (R - SRTT) / 8 */
		r->srtt_us8 = r->srtt_us8 - (r->srtt_us8 >> 3) + rtt;
	}
	r->backoff = 0;
	r->rto_us = ns_tcp_rto_compute(r);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_rto_sample);

/**
 * ns_tcp_rto_backoff() - the retransmission timer expired: back off
 * @r: the estimator
 *
 * Doubles the RTO, up to NS_TCP_RTO_MAX_US (RFC 6298 5.5), and counts the
 * timeout. The caller compares the count with its retry limit and gives
 * up (ETIMEDOUT) when it is exceeded; otherwise it retransmits and arms
 * the timer with ns_tcp_rto_current().
 *
 * Return: the number of timeouts since the last sample (or since init),
 * saturating at NS_TCP_RTO_BACKOFF_MAX.
 */
unsigned int ns_tcp_rto_backoff(struct ns_tcp_rto *r)
{
	r->rto_us = min_t(u32, r->rto_us, NS_TCP_RTO_MAX_US / 2) * 2;
	if (r->backoff < NS_TCP_RTO_BACKOFF_MAX)
		r->backoff++;
	return r->backoff;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_rto_backoff);
