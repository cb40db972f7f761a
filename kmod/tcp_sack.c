// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_sack.c - the sender's SACK scoreboard (RFC 6675).
 *
 * The write queue holds every segment sent and not yet cumulatively
 * acknowledged. A SACK block marks the segments it covers in full as
 * SACKed (a part covered is left alone: the block edges a receiver
 * reports are segment edges unless segments were merged). From the marks
 * follow RFC 6675's rules: a segment is lost when DupThresh segments, or
 * more than (DupThresh - 1) * SMSS bytes, above it are SACKed (IsLost);
 * pipe counts each byte not SACKed once if not lost, and once more if
 * retransmitted (SetPipe); the next retransmission is the lowest segment
 * lost and not retransmitted yet (NextSeg rule 1).
 *
 * Pure functions of the queue and the sequence numbers given: the caller
 * holds the connection (its socket lock).
 */
#include <kunit/visibility.h>

#include "seq.h"
#include "tcp_ofo.h"
#include "tcp_sack.h"

/* The bytes of @skb in [snd_una, snd_nxt): sent and not acknowledged. */
static u32 ns_tcp_sack_outstanding(const struct sk_buff *skb, u32 snd_una,
				   u32 snd_nxt)
{
	const struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
	u32 start = ns_seq_max(cb->seq, snd_una);
	u32 end = ns_seq_min(cb->end_seq, snd_nxt);

	return ns_seq_after(end, start) ? end - start : 0;
}

/**
 * ns_tcp_sack_mark() - mark what SACK blocks of an ACK cover
 * @queue: the write queue
 * @snd_una: the cumulative ACK (after this ACK)
 * @snd_nxt: the next sequence number to send
 * @blocks: the ACK's SACK blocks
 * @nr: how many
 *
 * Blocks not wholly within (@snd_una, @snd_nxt] are ignored: below, they
 * are D-SACKs (RFC 2883) or stale; beyond, bogus.
 *
 * Return: the bytes newly SACKed.
 */
u32 ns_tcp_sack_mark(struct sk_buff_head *queue, u32 snd_una, u32 snd_nxt,
		     const struct ns_tcp_sack_block *blocks, unsigned int nr)
{
	struct sk_buff *skb;
	u32 newly = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		u32 start = blocks[i].start, end = blocks[i].end;

		if (!ns_seq_after(start, snd_una) || !ns_seq_after(end, start) ||
		    ns_seq_after(end, snd_nxt))
			continue;
		skb_queue_walk(queue, skb) {
			struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

			if (ns_seq_after_eq(cb->seq, end))
				break;
			if (ns_seq_before(cb->seq, start) ||
			    ns_seq_after(cb->end_seq, end) ||
			    (cb->tx_flags & NS_TCP_TX_SACKED))
				continue;
			cb->tx_flags |= NS_TCP_TX_SACKED;
			newly += cb->end_seq - cb->seq;
		}
	}
	return newly;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_sack_mark);

/**
 * ns_tcp_sack_update_lost() - mark the segments IsLost says are lost, and
 *	count the scoreboard
 * @queue: the write queue
 * @snd_una: the cumulative ACK
 * @snd_nxt: the next sequence number to send
 * @mss: the sender's maximum segment size
 * @sb: filled with pipe and the byte counts
 */
void ns_tcp_sack_update_lost(struct sk_buff_head *queue, u32 snd_una,
			     u32 snd_nxt, u32 mss, struct ns_tcp_scoreboard *sb)
{
	u32 sacked_above = 0, sacked_segs_above = 0;
	struct sk_buff *skb;

	memset(sb, 0, sizeof(*sb));
	skb_queue_reverse_walk(queue, skb) {
		struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
		u32 len = ns_tcp_sack_outstanding(skb, snd_una, snd_nxt);

		if (!len)
			continue;
		if (cb->tx_flags & NS_TCP_TX_SACKED) {
			sacked_above += len;
			sacked_segs_above++;
			sb->sacked += len;
			continue;
		}
		if (sacked_segs_above >= NS_TCP_DUP_THRESH ||
		    sacked_above > (NS_TCP_DUP_THRESH - 1) * mss)
			cb->tx_flags |= NS_TCP_TX_LOST;
		if (cb->tx_flags & NS_TCP_TX_LOST)
			sb->lost += len;
		else
			sb->pipe += len;
		if (cb->tx_flags & NS_TCP_TX_RETRANS) {
			sb->pipe += len;
			sb->retrans += len;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_sack_update_lost);

/**
 * ns_tcp_sack_mark_all_lost() - after a retransmission timeout: every
 *	segment outstanding and not SACKed is lost, none retransmitted
 * @queue: the write queue
 * @snd_una: the cumulative ACK
 * @snd_nxt: the next sequence number to send
 */
void ns_tcp_sack_mark_all_lost(struct sk_buff_head *queue, u32 snd_una,
			       u32 snd_nxt)
{
	struct sk_buff *skb;

	skb_queue_walk(queue, skb) {
		struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

		if (!ns_tcp_sack_outstanding(skb, snd_una, snd_nxt))
			break;
		cb->tx_flags &= ~NS_TCP_TX_RETRANS;
		if (!(cb->tx_flags & NS_TCP_TX_SACKED))
			cb->tx_flags |= NS_TCP_TX_LOST;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_sack_mark_all_lost);

/**
 * ns_tcp_sack_forget_losses() - recovery is over: clear the lost and
 *	retransmitted marks (SACKed ones stay: the peer still holds those)
 * @queue: the write queue
 */
void ns_tcp_sack_forget_losses(struct sk_buff_head *queue)
{
	struct sk_buff *skb;

	skb_queue_walk(queue, skb)
		NS_TCP_SKB_CB(skb)->tx_flags &= ~(NS_TCP_TX_LOST | NS_TCP_TX_RETRANS);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_sack_forget_losses);
