// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_delack.c - delayed ACKs. Received in-order data is not ACKed
 * segment by segment: the ACK waits until two full-sized segments are
 * unacknowledged (RFC 5681 4.2 "at least every second full-sized
 * segment"), or for NS_TCP_DELACK_MS (RFC 1122 4.2.3.2: less than 500 ms;
 * Linux waits at least 40 ms), or for a segment we send anyway, which
 * carries it. Out-of-order data, data that fills a hole, old data and the
 * FIN are ACKed at once (RFC 5681 4.2, 3.2: the sender's fast retransmit
 * and recovery depend on these), and so are the first data segments of a
 * connection (Linux's quick-ACK start: the peer's slow start must not
 * wait for our timer).
 *
 * The delayed-ACK timer (tcp_conn.c) only sets NS_TCP_EV_BIT_DELACK; the
 * connection's work then calls ns_tcp_delack_timeout().
 */
#include <kunit/visibility.h>
#include <net/tcp_states.h>

#include "tcp.h"
#include "tcp_delack.h"

/**
 * ns_tcp_ack_now() - whether received data must be ACKed at once
 * @f: what the receive side knows
 *
 * Return: true to ACK at once, false when the ACK may be delayed.
 */
bool ns_tcp_ack_now(const struct ns_tcp_ack_facts *f)
{
	if (f->out_of_order || f->hole_filled || f->duplicate || f->fin ||
	    f->quickack)
		return true;
	return f->unacked >= 2 * max_t(u32, f->rcv_mss, 1);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ack_now);

/**
 * ns_tcp_delack_schedule() - an ACK is owed, but may wait
 * @sk: the socket, locked
 *
 * Arms the delayed-ACK timer unless it is armed: the wait is counted
 * from the first data it covers.
 */
void ns_tcp_delack_schedule(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	if (!timer_pending(&tp->delack_timer))
		sk_reset_timer(sk, &tp->delack_timer,
			       jiffies + msecs_to_jiffies(NS_TCP_DELACK_MS));
}

/**
 * ns_tcp_delack_timeout() - the delayed-ACK timer fired: the ACK is due
 * @sk: the socket, locked
 *
 * The work run's push (ns_tcp_push()) sends it.
 */
void ns_tcp_delack_timeout(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	if (timer_pending(&tp->delack_timer))
		return;		/* re-armed since it fired */
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	if (tp->rcv_nxt == tp->rcv_acked || tp->ack_pending)
		return;		/* some segment carried it meanwhile */
	tp->ack_pending = true;
	ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_DELAYED_ACKS);
}

/**
 * ns_tcp_ack_sent() - a segment with ACK is going out: nothing is owed
 * @sk: the socket, locked
 */
void ns_tcp_ack_sent(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	tp->ack_pending = false;
	tp->rcv_acked = tp->rcv_nxt;
	if (timer_pending(&tp->delack_timer))
		sk_stop_timer(sk, &tp->delack_timer);
}
