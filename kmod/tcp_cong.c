// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_cong.c - the congestion window (RFC 5681) and Reno.
 *
 * A connection starts with the initial window of RFC 6928 and an infinite
 * slow start threshold. Each ACK of new data grows the window: by the
 * segments acknowledged while below the threshold (slow start), then as
 * the algorithm says (congestion avoidance). A loss detected by duplicate
 * ACKs or SACK sets the threshold by the algorithm and the window to it
 * (recovery then works in that window); a retransmission timeout sets the
 * threshold likewise and the window to one segment (the loss window).
 * After an idle period the window restarts at no more than the initial
 * one (RFC 5681 4.1).
 *
 * Reno is RFC 5681's congestion avoidance: one segment more per window of
 * segments acknowledged, half the window after a loss. CUBIC is in
 * tcp_cubic.c.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "tcp_cong.h"

/* Linux's TCP_INFINITE_SSTHRESH: no threshold yet. */
#define NS_TCP_INFINITE_SSTHRESH	0x7fffffff

static const struct ns_tcp_cong_ops *const ns_tcp_cong_all[] = {
	&ns_tcp_cubic,
	&ns_tcp_reno,
};

/**
 * ns_tcp_cong_find() - the algorithm of a name
 * @name: "reno" or "cubic", as Linux names them
 *
 * Return: the algorithm, or NULL if there is none of that name.
 */
const struct ns_tcp_cong_ops *ns_tcp_cong_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ns_tcp_cong_all); i++)
		if (!strcmp(ns_tcp_cong_all[i]->name, name))
			return ns_tcp_cong_all[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cong_find);

/**
 * ns_tcp_cc_init() - a new connection's window, or a change of algorithm
 * @cc: the state to set
 * @ops: the algorithm
 */
void ns_tcp_cc_init(struct ns_tcp_cc *cc, const struct ns_tcp_cong_ops *ops)
{
	cc->ops = ops;
	cc->cwnd = NS_TCP_INIT_CWND;
	cc->ssthresh = NS_TCP_INFINITE_SSTHRESH;
	cc->cwnd_cnt = 0;
	ops->init(cc);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cc_init);

/**
 * ns_tcp_cc_on_ack() - new data was acknowledged while the window limited
 *	the sender
 * @cc: the state
 * @acked: segments newly acknowledged
 * @now_ms: the time, in milliseconds (any origin; only differences count)
 * @rtt_us: the smoothed round-trip time, 0 if none yet
 *
 * Slow start up to the threshold (RFC 5681 3.1: at most the segments
 * acknowledged), what is left in congestion avoidance.
 */
void ns_tcp_cc_on_ack(struct ns_tcp_cc *cc, u32 acked, u32 now_ms, u32 rtt_us)
{
	if (cc->cwnd < cc->ssthresh) {
		u32 room = cc->ssthresh - cc->cwnd;
		u32 grow = min(acked, room);

		cc->cwnd += grow;
		acked -= grow;
	}
	if (acked)
		cc->ops->cong_avoid(cc, acked, now_ms, rtt_us);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cc_on_ack);

/**
 * ns_tcp_cc_on_loss() - a loss found by duplicate ACKs or SACK: the
 *	threshold as the algorithm says, and the window down to it
 * @cc: the state
 */
void ns_tcp_cc_on_loss(struct ns_tcp_cc *cc)
{
	cc->ssthresh = cc->ops->ssthresh(cc);
	cc->cwnd = cc->ssthresh;
	cc->cwnd_cnt = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cc_on_loss);

/**
 * ns_tcp_cc_on_timeout() - a retransmission timeout: the threshold as
 *	the algorithm says, the window one segment (RFC 5681 3.1)
 * @cc: the state
 */
void ns_tcp_cc_on_timeout(struct ns_tcp_cc *cc)
{
	cc->ssthresh = cc->ops->ssthresh(cc);
	cc->cwnd = 1;
	cc->cwnd_cnt = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cc_on_timeout);

/**
 * ns_tcp_cc_after_idle() - sending again after more than an RTO of
 *	silence: the window restarts at most at the initial window
 * @cc: the state
 */
void ns_tcp_cc_after_idle(struct ns_tcp_cc *cc)
{
	cc->cwnd = min_t(u32, cc->cwnd, NS_TCP_INIT_CWND);
	cc->cwnd_cnt = 0;
	cc->cubic.epoch_start_ms = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cc_after_idle);

/**
 * ns_tcp_reno_cong_avoid() - Reno's congestion avoidance: one segment
 *	more for each window of segments acknowledged
 * @cc: the state
 * @acked: segments acknowledged
 */
void ns_tcp_reno_cong_avoid(struct ns_tcp_cc *cc, u32 acked)
{
	cc->cwnd_cnt += acked;
	while (cc->cwnd_cnt >= cc->cwnd) {
		cc->cwnd_cnt -= cc->cwnd;
		cc->cwnd++;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_reno_cong_avoid);

/**
 * ns_tcp_newreno_enter() - fast retransmit without SACK (RFC 6582 3.2
 *	step 2): the threshold, and the window inflated by the three
 *	segments the duplicate ACKs say have left the network
 * @cc: the state
 */
void ns_tcp_newreno_enter(struct ns_tcp_cc *cc)
{
	ns_tcp_cc_on_loss(cc);
	cc->cwnd += 3;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_newreno_enter);

/**
 * ns_tcp_newreno_dupack() - a further duplicate ACK in NewReno recovery:
 *	one more segment has left the network (step 4)
 * @cc: the state
 */
void ns_tcp_newreno_dupack(struct ns_tcp_cc *cc)
{
	cc->cwnd++;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_newreno_dupack);

/**
 * ns_tcp_newreno_partial() - a partial ACK in NewReno recovery (step 5):
 *	deflate the window by what it acknowledged, add one segment back
 * @cc: the state
 * @acked: segments it acknowledged
 */
void ns_tcp_newreno_partial(struct ns_tcp_cc *cc, u32 acked)
{
	cc->cwnd -= min(acked, cc->cwnd - 1);
	if (acked)
		cc->cwnd++;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_newreno_partial);

/**
 * ns_tcp_newreno_full() - the full ACK ending NewReno recovery (step 3,
 *	option 1): min(ssthresh, max(FlightSize, 1) + 1) segments
 * @cc: the state
 * @flight: segments outstanding after the ACK
 */
void ns_tcp_newreno_full(struct ns_tcp_cc *cc, u32 flight)
{
	cc->cwnd = min(cc->ssthresh, max(flight, 1U) + 1);
	cc->cwnd_cnt = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_newreno_full);

static void ns_tcp_reno_init(struct ns_tcp_cc *cc)
{
}

/* RFC 5681 (3.1, eq. 4), with the window standing for the flight size. */
static u32 ns_tcp_reno_ssthresh(struct ns_tcp_cc *cc)
{
	return max(cc->cwnd / 2, 2U);
}

static void ns_tcp_reno_ca(struct ns_tcp_cc *cc, u32 acked, u32 now_ms, u32 rtt_us)
{
	ns_tcp_reno_cong_avoid(cc, acked);
}

const struct ns_tcp_cong_ops ns_tcp_reno = {
	.name = "reno",
	.init = ns_tcp_reno_init,
	.ssthresh = ns_tcp_reno_ssthresh,
	.cong_avoid = ns_tcp_reno_ca,
};
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_reno);
