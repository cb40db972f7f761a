/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Delayed ACKs (RFC 1122 4.2.3.2, RFC 5681 4.2): when received data is
 * ACKed at once and when the ACK may wait for the delayed-ACK timer.
 */
#ifndef _NETSTACK_TCP_DELACK_H
#define _NETSTACK_TCP_DELACK_H

#include <linux/types.h>

struct sock;

/* How long an ACK may wait (Linux's TCP_DELACK_MIN; RFC 1122: < 500 ms). */
#define NS_TCP_DELACK_MS	40

/* Data segments ACKed at once when a connection starts (Linux's quickack). */
#define NS_TCP_QUICKACK_SEGS	16

/**
 * struct ns_tcp_ack_facts - what the receive side knows after taking in
 *	a segment with data (or FIN)
 * @unacked: bytes received in order that no ACK of ours reported yet
 * @rcv_mss: the size of a full segment from this peer
 * @out_of_order: out-of-order data waits in the queue (a hole is open)
 * @hole_filled: the segment delivered queued out-of-order data
 * @duplicate: the segment brought nothing new (old data)
 * @fin: the segment carried the peer's FIN
 * @quickack: the connection is in its quick-ACK start
 */
struct ns_tcp_ack_facts {
	u32 unacked;
	u32 rcv_mss;
	bool out_of_order;
	bool hole_filled;
	bool duplicate;
	bool fin;
	bool quickack;
};

bool ns_tcp_ack_now(const struct ns_tcp_ack_facts *f);
void ns_tcp_delack_schedule(struct sock *sk);
void ns_tcp_delack_timeout(struct sock *sk);
void ns_tcp_ack_sent(struct sock *sk);

#endif /* _NETSTACK_TCP_DELACK_H */
