/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The out-of-order queue of one TCP connection (RFC 9293 3.10.7.4, "seventh,
 * process the segment text"; RFC 5681 4.2 for the ACKs it calls for): the
 * segments received beyond a hole, kept until the hole is filled, and the
 * per-segment control block TCP keeps in skb->cb.
 */
#ifndef _NETSTACK_TCP_OFO_H
#define _NETSTACK_TCP_OFO_H

#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <linux/types.h>

/**
 * struct ns_tcp_skb_cb - what TCP keeps in skb->cb of a received segment
 * @seq: sequence number of the first byte of payload (or of the FIN when
 *	there is no payload); skb->data points at that byte
 * @end_seq: @seq + payload length (skb->len) + 1 if @fin: the first
 *	sequence number after the segment. SYN is never counted here: the
 *	receive path handles it before the segment gets a control block.
 * @fin: the segment carries a FIN, which occupies the sequence number
 *	after the last payload byte (@end_seq - 1)
 * @tx_flags: write queue only: what the sender knows of the segment, a
 *	mask of &enum ns_tcp_tx_flag (tcp_sack.h); zero when queued
 *
 * Set it with ns_tcp_skb_cb_set(), which keeps @end_seq consistent. The
 * receive path owns skb->cb from the moment TCP takes the segment.
 */
struct ns_tcp_skb_cb {
	u32 seq;
	u32 end_seq;
	bool fin;
	u8 tx_flags;
};

#define NS_TCP_SKB_CB(skb) ((struct ns_tcp_skb_cb *)&((skb)->cb[0]))
static_assert(sizeof(struct ns_tcp_skb_cb) <= sizeof_field(struct sk_buff, cb));

/**
 * ns_tcp_skb_cb_set() - describe a received segment in its control block
 * @skb: the segment, skb->data at its first payload byte, skb->len bytes
 *	of payload
 * @seq: sequence number of that byte
 * @fin: whether the segment carries a FIN
 */
static inline void ns_tcp_skb_cb_set(struct sk_buff *skb, u32 seq, bool fin)
{
	struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

	cb->seq = seq;
	cb->end_seq = seq + skb->len + fin;
	cb->fin = fin;
	cb->tx_flags = 0;
}

/**
 * struct ns_tcp_range - a range of sequence space, [@start, @end) mod 2^32
 * @start: first sequence number in the range
 * @end: first sequence number after it
 */
struct ns_tcp_range {
	u32 start;
	u32 end;
};

/**
 * struct ns_tcp_ofo - the out-of-order queue of one connection
 * @root: the queued segments by sequence number (skb->rbnode). They never
 *	overlap one another.
 * @mem: the sum of the truesize of the queued segments, in bytes
 * @limit: bound of @mem: a segment that would take it past @limit is
 *	refused. Set by ns_tcp_ofo_init(); the owner may change it at any time
 *	(a smaller value refuses new segments, it frees nothing).
 * @count: number of queued segments
 * @shared_mem: NULL, or a total of several queues' @mem (the namespace's)
 *	that this queue adds to; see ns_tcp_ofo_share()
 * @shared_max: the bound of *@shared_mem
 *
 * Not locked: it belongs to its connection, whose work item is the only
 * one to touch it (see DESIGN.md 2, per-connection work).
 */
struct ns_tcp_ofo {
	struct rb_root root;
	u32 mem;
	u32 limit;
	u32 count;
	atomic_long_t *shared_mem;
	const int *shared_max;
};

/**
 * enum ns_tcp_ofo_verdict - what ns_tcp_ofo_insert() did with a segment
 * @NS_TCP_OFO_QUEUED: queued whole; it overlapped nothing
 * @NS_TCP_OFO_OVERLAP: queued, but part of its sequence space had already
 *	been received or queued: it was trimmed to what is new, and queued
 *	segments lying entirely inside it were freed (RFC 2883 would report
 *	a D-SACK)
 * @NS_TCP_OFO_DUPLICATE: freed: every sequence number of it is already
 *	queued (an exact or covered duplicate), or it occupies none
 * @NS_TCP_OFO_OLD: freed: it lies entirely before rcv_nxt (already received)
 * @NS_TCP_OFO_NOMEM: freed: queueing it would pass the memory limit, or
 *	trimming it needed memory that could not be had. Nothing queued was
 *	touched.
 *
 * Every verdict but %NS_TCP_OFO_QUEUED calls for an immediate ACK anyway
 * (RFC 5681 4.2: every out-of-order segment does); the caller counts the
 * drops.
 */
enum ns_tcp_ofo_verdict {
	NS_TCP_OFO_QUEUED,
	NS_TCP_OFO_OVERLAP,
	NS_TCP_OFO_DUPLICATE,
	NS_TCP_OFO_OLD,
	NS_TCP_OFO_NOMEM,
};

void ns_tcp_ofo_init(struct ns_tcp_ofo *ofo, u32 limit);
void ns_tcp_ofo_share(struct ns_tcp_ofo *ofo, atomic_long_t *shared_mem,
		      const int *shared_max);
enum ns_tcp_ofo_verdict ns_tcp_ofo_insert(struct ns_tcp_ofo *ofo,
					  struct sk_buff *skb, u32 rcv_nxt);
struct sk_buff *ns_tcp_ofo_dequeue(struct ns_tcp_ofo *ofo, u32 rcv_nxt,
				   unsigned int *dropped);
unsigned int ns_tcp_ofo_purge(struct ns_tcp_ofo *ofo);
int ns_tcp_ofo_blocks(const struct ns_tcp_ofo *ofo, u32 rcv_nxt,
		      struct ns_tcp_range *out, int max);
int ns_tcp_ofo_sack_blocks(const struct ns_tcp_ofo *ofo, u32 rcv_nxt,
			   u32 recent, struct ns_tcp_range *out, int max);

/**
 * ns_tcp_ofo_empty() - whether nothing is queued
 * @ofo: the queue
 *
 * Return: true if no segment is queued.
 */
static inline bool ns_tcp_ofo_empty(const struct ns_tcp_ofo *ofo)
{
	return RB_EMPTY_ROOT(&ofo->root);
}

/**
 * ns_tcp_ofo_for_each() - walk the queued segments in sequence order
 * @skb: struct sk_buff * cursor
 * @ofo: the queue
 *
 * The segments may not be changed or freed during the walk; read each
 * one's range with NS_TCP_SKB_CB(). Segments that rcv_nxt has passed since
 * they were queued stay until ns_tcp_ofo_dequeue() drops them.
 */
#define ns_tcp_ofo_for_each(skb, ofo) skb_rbtree_walk(skb, &(ofo)->root)

#endif /* _NETSTACK_TCP_OFO_H */
