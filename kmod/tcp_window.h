/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP window arithmetic (RFC 9293, RFC 1122 4.2.3.3, RFC 7323 2): which
 * received segments and ACKs are acceptable, when the send window may be
 * updated, how much may be sent, and which receive window to advertise.
 * Pure functions of sequence numbers and byte counts: no skbs, no sockets,
 * no locks, so that every rule can be tested in KUnit on its own.
 */
#ifndef _NETSTACK_TCP_WINDOW_H
#define _NETSTACK_TCP_WINDOW_H

#include <linux/types.h>

/* RFC 7323 2.3: the largest window-scale shift; larger ones count as this. */
#define NS_TCP_WSCALE_MAX	14

/**
 * enum ns_tcp_ack - where a segment's SEG.ACK falls for the send side
 * @NS_TCP_ACK_OLD: before SND.UNA: acknowledges nothing still outstanding
 * @NS_TCP_ACK_DUP: equal to SND.UNA: acknowledges no new data (a duplicate
 *	ACK in the sense of RFC 5681 2 if it carries no data and does not
 *	change the window)
 * @NS_TCP_ACK_NEW: SND.UNA < SEG.ACK <= SND.NXT: acknowledges new data
 * @NS_TCP_ACK_UNSENT: after SND.NXT: acknowledges data never sent
 *
 * RFC 9293 3.10.7.4 treats OLD and DUP alike ("can be ignored"); they are
 * told apart for duplicate-ACK counting.
 */
enum ns_tcp_ack {
	NS_TCP_ACK_OLD,
	NS_TCP_ACK_DUP,
	NS_TCP_ACK_NEW,
	NS_TCP_ACK_UNSENT,
};

bool ns_tcp_seq_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq, u32 seg_len);
enum ns_tcp_ack ns_tcp_ack_classify(u32 snd_una, u32 snd_nxt, u32 seg_ack);
bool ns_tcp_window_update_ok(u32 snd_wl1, u32 snd_wl2, u32 seg_seq,
			     u32 seg_ack);
u32 ns_tcp_send_window(u32 snd_una, u32 snd_nxt, u32 snd_wnd);
u32 ns_tcp_rcv_window(u32 rcv_nxt, u32 rcv_adv, u32 free_space, u32 buf_size,
		      u32 mss, unsigned int wscale);

#endif /* _NETSTACK_TCP_WINDOW_H */
