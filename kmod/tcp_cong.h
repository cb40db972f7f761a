/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control (RFC 5681, RFC 9438): the congestion window of a
 * connection and the algorithms that move it. The window is counted in
 * segments, as Linux counts it. An algorithm is a &struct ns_tcp_cong_ops
 * found by its Linux name ("reno", "cubic"); the functions here are pure
 * arithmetic on &struct ns_tcp_cc so that KUnit can drive them with
 * worked examples.
 */
#ifndef _NETSTACK_TCP_CONG_H
#define _NETSTACK_TCP_CONG_H

#include <linux/types.h>

/* RFC 6928: the initial window, in segments. */
#define NS_TCP_INIT_CWND	10
/* The longest algorithm name (Linux's TCP_CA_NAME_MAX). */
#define NS_TCP_CA_NAME_MAX	16
/* The default algorithm of a new namespace. */
#define NS_TCP_CA_DEFAULT	"cubic"

struct ns_tcp_cong_ops;

/**
 * struct ns_tcp_cubic - the state of CUBIC (RFC 9438) between losses
 * @w_max: the window before the last reduction, in 1/1024 segments
 * @origin: W_max of the cubic function this epoch, in 1/1024 segments
 * @w_est: the Reno-friendly estimate (RFC 9438 4.3), in 1/1024 segments
 * @k_ms: K, the time the function takes to climb back to @origin, ms
 * @epoch_start_ms: when the current congestion avoidance epoch began
 *	(the first ACK after a reduction); 0: none began yet
 */
struct ns_tcp_cubic {
	u64 w_max;
	u64 origin;
	u64 w_est;
	u32 k_ms;
	u32 epoch_start_ms;
};

/**
 * struct ns_tcp_cc - a connection's congestion window and its algorithm
 * @ops: the algorithm
 * @cwnd: the congestion window, in segments (at least 1)
 * @ssthresh: the slow start threshold, in segments
 * @cwnd_cnt: segments acknowledged toward the next increase of @cwnd in
 *	congestion avoidance
 * @cubic: CUBIC's state (unused by Reno)
 */
struct ns_tcp_cc {
	const struct ns_tcp_cong_ops *ops;
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_cnt;
	struct ns_tcp_cubic cubic;
};

/**
 * struct ns_tcp_cong_ops - a congestion control algorithm
 * @name: its name, as Linux names it
 * @init: reset the algorithm's own state (the window is set by the caller)
 * @ssthresh: the slow start threshold after a loss, in segments, given
 *	the window when the loss was detected; may record what it needs
 * @cong_avoid: congestion avoidance: @acked segments were acknowledged
 *	at @now_ms, @rtt_us the smoothed round-trip time (0 if none yet)
 */
struct ns_tcp_cong_ops {
	const char *name;
	void (*init)(struct ns_tcp_cc *cc);
	u32 (*ssthresh)(struct ns_tcp_cc *cc);
	void (*cong_avoid)(struct ns_tcp_cc *cc, u32 acked, u32 now_ms, u32 rtt_us);
};

extern const struct ns_tcp_cong_ops ns_tcp_reno;
extern const struct ns_tcp_cong_ops ns_tcp_cubic;

const struct ns_tcp_cong_ops *ns_tcp_cong_find(const char *name);
void ns_tcp_cc_init(struct ns_tcp_cc *cc, const struct ns_tcp_cong_ops *ops);
void ns_tcp_cc_on_ack(struct ns_tcp_cc *cc, u32 acked, u32 now_ms, u32 rtt_us);
void ns_tcp_cc_on_loss(struct ns_tcp_cc *cc);
void ns_tcp_cc_on_timeout(struct ns_tcp_cc *cc);
void ns_tcp_cc_after_idle(struct ns_tcp_cc *cc);
void ns_tcp_reno_cong_avoid(struct ns_tcp_cc *cc, u32 acked);
void ns_tcp_newreno_enter(struct ns_tcp_cc *cc);
void ns_tcp_newreno_dupack(struct ns_tcp_cc *cc);
void ns_tcp_newreno_partial(struct ns_tcp_cc *cc, u32 acked);
void ns_tcp_newreno_full(struct ns_tcp_cc *cc, u32 flight);
u32 ns_tcp_cubic_cbrt(u64 x);
u64 ns_tcp_cubic_window(u64 origin, u32 k_ms, s64 t_ms);

#endif /* _NETSTACK_TCP_CONG_H */
