/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sender's SACK scoreboard (RFC 6675): what the peer reported holding
 * beyond the cumulative ACK, marked on the segments of the write queue,
 * and the rules that follow from it - which segments are lost (IsLost),
 * how much data is still in the network (pipe), and what to retransmit
 * next (NextSeg).
 */
#ifndef _NETSTACK_TCP_SACK_H
#define _NETSTACK_TCP_SACK_H

#include <linux/bits.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include "tcp_options.h"

/* RFC 6675 2: the duplicate ACKs (or SACKed segments) that signal a loss. */
#define NS_TCP_DUP_THRESH	3

/**
 * enum ns_tcp_tx_flag - the state of a segment in the write queue
 * @NS_TCP_TX_SACKED: a SACK block covered the whole segment: the peer
 *	holds it
 * @NS_TCP_TX_LOST: taken for lost (IsLost, or everything after a
 *	retransmission timeout): it is to be retransmitted
 * @NS_TCP_TX_RETRANS: retransmitted since it was last marked lost
 */
enum ns_tcp_tx_flag {
	NS_TCP_TX_SACKED = BIT(0),
	NS_TCP_TX_LOST = BIT(1),
	NS_TCP_TX_RETRANS = BIT(2),
};

/**
 * struct ns_tcp_scoreboard - what a walk of the write queue found
 * @pipe: RFC 6675 "pipe": bytes thought to be in the network
 * @sacked: bytes SACKed
 * @lost: bytes marked lost
 * @retrans: bytes retransmitted and not yet acknowledged
 */
struct ns_tcp_scoreboard {
	u32 pipe;
	u32 sacked;
	u32 lost;
	u32 retrans;
};

u32 ns_tcp_sack_mark(struct sk_buff_head *queue, u32 snd_una, u32 snd_nxt,
		     const struct ns_tcp_sack_block *blocks, unsigned int nr);
void ns_tcp_sack_update_lost(struct sk_buff_head *queue, u32 snd_una,
			     u32 snd_nxt, u32 mss, struct ns_tcp_scoreboard *sb);
void ns_tcp_sack_mark_all_lost(struct sk_buff_head *queue, u32 snd_una,
			       u32 snd_nxt);
void ns_tcp_sack_forget_losses(struct sk_buff_head *queue);

/**
 * ns_tcp_sack_to_resend() - whether a queued segment awaits retransmission
 * @flags: its &ns_tcp_skb_cb.tx_flags
 *
 * Return: true if it is marked lost, not retransmitted since, not SACKed
 * (RFC 6675 NextSeg rule 1).
 */
static inline bool ns_tcp_sack_to_resend(u8 flags)
{
	return (flags & (NS_TCP_TX_SACKED | NS_TCP_TX_LOST | NS_TCP_TX_RETRANS)) ==
	       NS_TCP_TX_LOST;
}

#endif /* _NETSTACK_TCP_SACK_H */
