// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_recovery.c - the sender's congestion control and loss recovery:
 * how much may be in flight (the congestion window, tcp_cong.c, against
 * the data in the network), and what the ACKs and the retransmission
 * timer do to it.
 *
 * States (enum ns_tcp_ca_state):
 * - OPEN: ACKs of new data grow the window, when the window is what
 *   limits the sender. Duplicate ACKs are counted; the third (RFC 5681
 *   3.2), or with SACK a segment that IsLost (RFC 6675), starts fast
 *   recovery - unless the ACK is still below the point where the last
 *   recovery began (RFC 6582 4.1).
 * - RECOVERY: the algorithm's threshold is the new window, the first
 *   unacknowledged segment is retransmitted at once. With SACK (RFC 6675)
 *   the scoreboard marks the lost segments, and the push sends lost ones
 *   then new data while pipe stays below the window. Without SACK,
 *   NewReno (RFC 6582): the window is inflated by the duplicate ACKs,
 *   each partial ACK retransmits the next hole and deflates it. Recovery
 *   ends when everything sent before it began is acknowledged.
 * - LOSS: after a retransmission timeout everything outstanding is taken
 *   as lost; the window restarts at one segment and the push resends in
 *   slow start until what was outstanding at the timeout is acknowledged.
 */
#include <net/tcp.h>

#include "seq.h"
#include "tcp.h"

/**
 * ns_tcp_in_flight() - bytes thought to be in the network
 * @sk: the socket, locked
 *
 * In recovery with SACK and after a timeout, RFC 6675's pipe (which also
 * marks what IsLost says is lost); otherwise all that is unacknowledged.
 *
 * Return: the bytes.
 */
u32 ns_tcp_in_flight(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	if (tp->ca_state == NS_TCP_CA_OPEN ||
	    (tp->ca_state == NS_TCP_CA_RECOVERY && !tp->sack_ok))
		return tp->snd_nxt - tp->snd_una;
	ns_tcp_sack_update_lost(&sk->sk_write_queue, tp->snd_una, tp->snd_nxt,
				tp->mss, &tp->sb);
	return tp->sb.pipe;
}

static u32 ns_tcp_now_ms(void)
{
	return jiffies_to_msecs(jiffies);
}

static u32 ns_tcp_srtt_or_zero(const struct ns_tcp_sock *tp)
{
	return tp->rto.have_sample ? ns_tcp_rto_srtt_us(&tp->rto) : 0;
}

/* Fast retransmit and the start of fast recovery. */
static void ns_tcp_enter_recovery(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_FAST_RETRANSMITS);
	tp->recover = tp->snd_nxt;
	if (tp->sack_ok)
		ns_tcp_cc_on_loss(&tp->cc);
	else
		ns_tcp_newreno_enter(&tp->cc);
	tp->ca_state = NS_TCP_CA_RECOVERY;
	ns_tcp_retransmit_head(sk);
}

/* Whether the ACK just processed starts fast recovery. */
static bool ns_tcp_loss_detected(struct sock *sk, u32 newly_sacked)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *head;

	if (ns_seq_before(tp->snd_una, tp->recover))
		return false;
	if (tp->dupacks >= NS_TCP_DUP_THRESH)
		return true;
	if (!tp->sack_ok || !newly_sacked)
		return false;
	ns_tcp_sack_update_lost(&sk->sk_write_queue, tp->snd_una, tp->snd_nxt,
				tp->mss, &tp->sb);
	head = skb_peek(&sk->sk_write_queue);
	return head && (NS_TCP_SKB_CB(head)->tx_flags & NS_TCP_TX_LOST);
}

static void ns_tcp_exit_recovery(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	if (tp->ca_state == NS_TCP_CA_RECOVERY && !tp->sack_ok)
		ns_tcp_newreno_full(&tp->cc, DIV_ROUND_UP(tp->snd_nxt - tp->snd_una,
							  tp->mss));
	tp->ca_state = NS_TCP_CA_OPEN;
	tp->dupacks = 0;
	ns_tcp_sack_forget_losses(&sk->sk_write_queue);
}

/**
 * ns_tcp_recovery_ack() - what an ACK means for the window and recovery
 * @sk: the socket, locked, the ACK processed (snd_una moved, the SACK
 *	blocks marked)
 * @prior_una: snd_una before the ACK
 * @acked_segs: segments the ACK took off the write queue
 * @newly_sacked: bytes its SACK blocks newly covered
 * @dupack: it is a duplicate ACK (RFC 5681 2, or one with new SACK
 *	information, RFC 6675 2); tp->dupacks counts it already
 */
void ns_tcp_recovery_ack(struct sock *sk, u32 prior_una, u32 acked_segs,
			 u32 newly_sacked, bool dupack)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 prior_flight = tp->snd_nxt - prior_una;
	bool new_ack = tp->snd_una != prior_una;
	u64 cwnd_bytes = (u64)tp->cc.cwnd * tp->mss;

	if (new_ack)
		tp->bytes_acked += tp->snd_una - prior_una;
	switch (tp->ca_state) {
	case NS_TCP_CA_OPEN:
		if (new_ack && (tp->cwnd_limited || 2ULL * prior_flight >= cwnd_bytes))
			ns_tcp_cc_on_ack(&tp->cc, max(acked_segs, 1U), ns_tcp_now_ms(),
					 ns_tcp_srtt_or_zero(tp));
		else if (!new_ack && (dupack || newly_sacked) &&
			 ns_tcp_loss_detected(sk, newly_sacked))
			ns_tcp_enter_recovery(sk);
		break;
	case NS_TCP_CA_RECOVERY:
		if (ns_seq_after_eq(tp->snd_una, tp->recover)) {
			ns_tcp_exit_recovery(sk);
		} else if (new_ack && !tp->sack_ok) {
			ns_tcp_newreno_partial(&tp->cc, acked_segs);
			ns_tcp_retransmit_head(sk);	/* the next hole */
		} else if (dupack && !tp->sack_ok) {
			ns_tcp_newreno_dupack(&tp->cc);
		}
		break;
	case NS_TCP_CA_LOSS:
		if (ns_seq_after_eq(tp->snd_una, tp->recover))
			ns_tcp_exit_recovery(sk);
		if (new_ack)
			ns_tcp_cc_on_ack(&tp->cc, max(acked_segs, 1U), ns_tcp_now_ms(),
					 ns_tcp_srtt_or_zero(tp));
		break;
	}
}

/**
 * ns_tcp_enter_loss() - a retransmission timeout of data: the loss
 *	window, everything outstanding lost (the caller resends the first)
 * @sk: the socket, locked, synchronized
 *
 * A timeout that repeats before the first is recovered from does not
 * lower the threshold again.
 */
void ns_tcp_enter_loss(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	if (tp->ca_state != NS_TCP_CA_LOSS) {
		ns_tcp_cc_on_timeout(&tp->cc);
	} else {
		tp->cc.cwnd = 1;
		tp->cc.cwnd_cnt = 0;
	}
	ns_tcp_sack_mark_all_lost(&sk->sk_write_queue, tp->snd_una, tp->snd_nxt);
	tp->recover = tp->snd_nxt;
	tp->dupacks = 0;
	tp->ca_state = NS_TCP_CA_LOSS;
}

/**
 * ns_tcp_cwnd_room() - bytes the congestion window lets the push send
 * @sk: the socket, locked
 *
 * After more than an RTO without sending (and nothing outstanding), the
 * window restarts (RFC 5681 4.1) first. With nothing in flight there is
 * always room for a segment.
 *
 * Return: the room in bytes.
 */
u32 ns_tcp_cwnd_room(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u64 cwnd_bytes;
	u32 flight;

	if (tp->snd_una == tp->snd_nxt && tp->ca_state == NS_TCP_CA_OPEN &&
	    time_after(jiffies, tp->lsndtime +
		       usecs_to_jiffies(ns_tcp_rto_current(&tp->rto))))
		ns_tcp_cc_after_idle(&tp->cc);
	flight = ns_tcp_in_flight(sk);
	cwnd_bytes = (u64)tp->cc.cwnd * tp->mss;
	if (!flight)
		return max_t(u64, cwnd_bytes, tp->mss);
	return cwnd_bytes > flight ? min_t(u64, cwnd_bytes - flight, U32_MAX) : 0;
}

/**
 * ns_tcp_cong_set() - change a socket's congestion control algorithm
 * @sk: the socket, locked
 * @ops: the new algorithm
 *
 * The window stays; the algorithm starts from its own initial state.
 */
void ns_tcp_cong_set(struct sock *sk, const struct ns_tcp_cong_ops *ops)
{
	struct ns_tcp_cc *cc = &ns_tcp_sk(sk)->cc;

	if (cc->ops == ops)
		return;
	cc->ops = ops;
	cc->cwnd_cnt = 0;
	ops->init(cc);
}
