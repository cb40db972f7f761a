// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_ofo.c - the out-of-order queue of one TCP connection: segments that
 * arrived beyond a hole in the sequence space, held until the hole is
 * filled, then handed back in order.
 *
 * The queue is an rbtree of skbs (skb->rbnode) ordered by their first
 * sequence number, not a sorted list: the peer chooses where the holes are,
 * and a sender of many tiny segments into a wide window would make every
 * insertion into a list cost O(n) — quadratic work per window, the lesson
 * of Linux's CVE-2018-5390 ("SegmentSmack"). Insertion, lookup of the
 * overlapping neighbours and removal of the head are O(log n).
 *
 * Sequence numbers are compared modulo 2^32 (seq.h). That is a total order
 * on the queue because everything in it lies within one receive window
 * (less than 2^31) of rcv_nxt: the caller checks each segment's
 * acceptability (RFC 9293 3.10.7.4) before it offers it here.
 *
 * Rules, in the order a segment meets them (ns_tcp_ofo_insert()):
 *  - a segment that occupies no sequence space is a duplicate;
 *  - one that ends at or before rcv_nxt is old; the part of one that lies
 *    before rcv_nxt is trimmed off;
 *  - queued segments never overlap, and queued data is never rewritten:
 *    where the new segment overlaps a queued one only partly, the queued
 *    bytes are kept and the new segment is trimmed (front or end);
 *  - a new segment that lies entirely inside queued data (an exact
 *    duplicate included) is dropped;
 *  - queued segments that lie entirely inside the new segment are freed
 *    and the new segment takes their place: the bytes are the same
 *    sequence numbers, one skb holds them instead of several, and no
 *    segment ever needs splitting (an insertion adds at most one skb);
 *  - a segment that would take the queue's memory (truesize) past its
 *    limit is refused, and nothing queued is touched. Choosing what to
 *    evict to make room (Linux prunes from the highest sequence number
 *    down) is the caller's policy, not this queue's.
 * Adjacent segments are not merged here, where they may still be trimmed
 * or replaced; in-order data is merged as it joins the receive queue
 * (tcp_input.c).
 *
 * A FIN is one sequence number after the segment's data (struct
 * ns_tcp_skb_cb). Trimming a segment's end before that number drops the
 * FIN with it; the peer retransmits it. Data queued beyond a FIN means a
 * broken or hostile peer; the caller, which sees the FIN come out of
 * ns_tcp_ofo_dequeue(), stops there and purges the rest.
 *
 * Trimming uses pskb_pull() and pskb_trim(), which handle non-linear and
 * cloned skbs: pulling bytes that lie in page fragments first copies them
 * into the linear part (that costs memory and can fail, which drops the
 * segment as %NS_TCP_OFO_NOMEM). Only partial overlaps, i.e. retransmissions
 * that straddle received data, need it. The payload's checksum has been
 * verified before a segment comes here; trimming does not maintain
 * skb->csum.
 */
#include <kunit/visibility.h>
#include <linux/rbtree.h>
#include <linux/skbuff.h>

#include "seq.h"
#include "tcp_ofo.h"

static enum skb_drop_reason ns_tcp_ofo_drop_reason(enum ns_tcp_ofo_verdict v)
{
	switch (v) {
	case NS_TCP_OFO_OLD:
		return SKB_DROP_REASON_TCP_OLD_DATA;
	case NS_TCP_OFO_DUPLICATE:
		return SKB_DROP_REASON_TCP_OFOMERGE;
	default:
		return SKB_DROP_REASON_NOMEM;
	}
}

/* Take @skb out of the tree and the accounting; the caller frees or returns it. */
static void ns_tcp_ofo_unlink(struct ns_tcp_ofo *ofo, struct sk_buff *skb)
{
	rb_erase(&skb->rbnode, &ofo->root);
	/* rbnode shares its place with next, prev and dev. */
	skb->next = NULL;
	skb->prev = NULL;
	skb->dev = NULL;
	ofo->mem -= skb->truesize;
	if (ofo->shared_mem)
		atomic_long_sub(skb->truesize, ofo->shared_mem);
	ofo->count--;
}

/*
 * Drop the first @len bytes of the segment's sequence space (never its
 * FIN: the caller keeps @len below end_seq - seq). False if memory was
 * short.
 */
static bool ns_tcp_ofo_trim_front(struct sk_buff *skb, u32 len)
{
	if (!pskb_pull(skb, len))
		return false;
	NS_TCP_SKB_CB(skb)->seq += len;
	return true;
}

/* Make the segment end at @end_seq, which lies after its seq and not after its end_seq. */
static bool ns_tcp_ofo_trim_end(struct sk_buff *skb, u32 end_seq)
{
	struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
	u32 len = end_seq - cb->seq;

	if (end_seq == cb->end_seq)
		return true;
	/* What remains ends before the FIN's number: the FIN goes. */
	cb->fin = false;
	if (pskb_trim(skb, len))
		return false;
	cb->end_seq = end_seq;
	return true;
}

/* The queued segment with the greatest seq strictly before @seq, or NULL. */
static struct sk_buff *ns_tcp_ofo_before(const struct ns_tcp_ofo *ofo, u32 seq)
{
	struct rb_node *node = ofo->root.rb_node;
	struct sk_buff *pred = NULL;

	while (node) {
		struct sk_buff *skb = rb_to_skb(node);

		if (ns_seq_before(NS_TCP_SKB_CB(skb)->seq, seq)) {
			pred = skb;
			node = node->rb_right;
		} else {
			node = node->rb_left;
		}
	}
	return pred;
}

/* Link @skb into the tree at its place; nothing queued overlaps it. */
static void ns_tcp_ofo_link(struct ns_tcp_ofo *ofo, struct sk_buff *skb)
{
	struct rb_node **link = &ofo->root.rb_node, *parent = NULL;
	u32 seq = NS_TCP_SKB_CB(skb)->seq;

	while (*link) {
		parent = *link;
		if (ns_seq_before(seq, NS_TCP_SKB_CB(rb_to_skb(parent))->seq))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, link);
	rb_insert_color(&skb->rbnode, &ofo->root);
	ofo->mem += skb->truesize;
	if (ofo->shared_mem)
		atomic_long_add(skb->truesize, ofo->shared_mem);
	ofo->count++;
}

/**
 * ns_tcp_ofo_insert() - queue a segment received beyond rcv_nxt
 * @ofo: the connection's queue
 * @skb: the segment, owned by the caller and not shared: skb->data at its
 *	first payload byte, skb->len bytes of payload, its control block set
 *	(ns_tcp_skb_cb_set()), its checksum verified; acceptable in the
 *	receive window (it ends no more than a window beyond @rcv_nxt)
 * @rcv_nxt: the next sequence number the connection expects
 *
 * Applies the rules in the comment at the top of tcp_ofo.c. The segment is
 * consumed whatever the verdict: queued (possibly trimmed, its control
 * block updated to match) or freed. A segment starting at @rcv_nxt is
 * queued like any other; ns_tcp_ofo_dequeue() hands it back at once.
 *
 * Return: what became of it, see enum ns_tcp_ofo_verdict.
 */
enum ns_tcp_ofo_verdict ns_tcp_ofo_insert(struct ns_tcp_ofo *ofo,
					  struct sk_buff *skb, u32 rcv_nxt)
{
	struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
	enum ns_tcp_ofo_verdict v = NS_TCP_OFO_QUEUED;
	struct sk_buff *pred, *next, *first_inside = NULL;
	u32 freed = 0;

	DEBUG_NET_WARN_ON_ONCE(cb->end_seq != cb->seq + skb->len + cb->fin);
	if (cb->end_seq == cb->seq) {
		v = NS_TCP_OFO_DUPLICATE;
		goto drop;
	}
	if (ns_seq_before_eq(cb->end_seq, rcv_nxt)) {
		v = NS_TCP_OFO_OLD;
		goto drop;
	}
	if (ns_seq_before(cb->seq, rcv_nxt)) {
		v = NS_TCP_OFO_OVERLAP;
		if (!ns_tcp_ofo_trim_front(skb, rcv_nxt - cb->seq))
			goto nomem;
	}

	/* A queued segment covering our first number keeps its bytes. */
	pred = ns_tcp_ofo_before(ofo, cb->seq);
	if (pred && ns_seq_after(NS_TCP_SKB_CB(pred)->end_seq, cb->seq)) {
		u32 pred_end = NS_TCP_SKB_CB(pred)->end_seq;

		if (ns_seq_after_eq(pred_end, cb->end_seq)) {
			v = NS_TCP_OFO_DUPLICATE;
			goto drop;
		}
		v = NS_TCP_OFO_OVERLAP;
		if (!ns_tcp_ofo_trim_front(skb, pred_end - cb->seq))
			goto nomem;
	}

	/*
	 * The segments that start inside ours: those it contains are
	 * replaced, the one that runs past our end (at most one, the last)
	 * keeps its bytes and cuts our end short.
	 */
	next = pred ? skb_rb_next(pred) : skb_rb_first(&ofo->root);
	for (; next && ns_seq_before(NS_TCP_SKB_CB(next)->seq, cb->end_seq);
	     next = skb_rb_next(next)) {
		const struct ns_tcp_skb_cb *ncb = NS_TCP_SKB_CB(next);

		if (ncb->seq == cb->seq && ns_seq_after_eq(ncb->end_seq, cb->end_seq)) {
			v = NS_TCP_OFO_DUPLICATE;
			goto drop;
		}
		v = NS_TCP_OFO_OVERLAP;
		if (ns_seq_after(ncb->end_seq, cb->end_seq)) {
			if (!ns_tcp_ofo_trim_end(skb, ncb->seq))
				goto nomem;
			break;
		}
		if (!first_inside)
			first_inside = next;
		freed += next->truesize;
	}

	if ((u64)ofo->mem - freed + skb->truesize > ofo->limit)
		goto nomem;
	if (ofo->shared_mem &&
	    atomic_long_read(ofo->shared_mem) - (long)freed + (long)skb->truesize >
	    (long)READ_ONCE(*ofo->shared_max))
		goto nomem;

	/* Free the contained segments: they run from first_inside up to our end. */
	while (first_inside &&
	       ns_seq_before(NS_TCP_SKB_CB(first_inside)->seq, cb->end_seq)) {
		next = skb_rb_next(first_inside);
		ns_tcp_ofo_unlink(ofo, first_inside);
		kfree_skb_reason(first_inside, SKB_DROP_REASON_TCP_OFOMERGE);
		first_inside = next;
	}
	ns_tcp_ofo_link(ofo, skb);
	return v;

nomem:
	v = NS_TCP_OFO_NOMEM;
drop:
	kfree_skb_reason(skb, ns_tcp_ofo_drop_reason(v));
	return v;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_insert);

/**
 * ns_tcp_ofo_dequeue() - take the next in-order segment off the queue
 * @ofo: the connection's queue
 * @rcv_nxt: the next sequence number the connection expects
 * @dropped: if not NULL, the number of segments this call freed is added
 *	to it: segments that @rcv_nxt has passed since they were queued, and
 *	(rarely) a straddling one whose trimming found no memory
 *
 * Queued segments that end at or before @rcv_nxt are freed on the way. A
 * segment straddling @rcv_nxt is trimmed to start at it. Call again after
 * advancing rcv_nxt to the returned segment's end_seq to drain everything
 * that became in order.
 *
 * Return: the segment starting exactly at @rcv_nxt, now the caller's
 * (skb->dev cleared, control block describing what is left of it), or NULL
 * if the queue is empty or begins with a hole.
 */
struct sk_buff *ns_tcp_ofo_dequeue(struct ns_tcp_ofo *ofo, u32 rcv_nxt,
				   unsigned int *dropped)
{
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&ofo->root))) {
		struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

		if (ns_seq_after(cb->seq, rcv_nxt))
			return NULL;
		ns_tcp_ofo_unlink(ofo, skb);
		if (ns_seq_after(cb->end_seq, rcv_nxt) &&
		    (cb->seq == rcv_nxt ||
		     ns_tcp_ofo_trim_front(skb, rcv_nxt - cb->seq)))
			return skb;
		kfree_skb_reason(skb, ns_seq_after(cb->end_seq, rcv_nxt) ?
				 SKB_DROP_REASON_NOMEM : SKB_DROP_REASON_TCP_OLD_DATA);
		if (dropped)
			(*dropped)++;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_dequeue);

/**
 * ns_tcp_ofo_purge() - free every queued segment
 * @ofo: the queue; empty, with no memory charged, on return
 *
 * Return: the number of segments freed, for the caller's drop counters.
 */
unsigned int ns_tcp_ofo_purge(struct ns_tcp_ofo *ofo)
{
	unsigned int n = ofo->count;
	struct sk_buff *skb, *tmp;

	/* Post-order: a node is freed after its children and never read again. */
	rbtree_postorder_for_each_entry_safe(skb, tmp, &ofo->root, rbnode) {
		skb->dev = NULL;	/* shares its place with rbnode */
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE);
	}
	ofo->root = RB_ROOT;
	if (ofo->shared_mem)
		atomic_long_sub(ofo->mem, ofo->shared_mem);
	ofo->mem = 0;
	ofo->count = 0;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_purge);

/**
 * ns_tcp_ofo_blocks() - the contiguous blocks of queued sequence space
 * @ofo: the queue
 * @rcv_nxt: the next sequence number the connection expects: space at or
 *	before it is left out (segments it has passed, a straddling part)
 * @out: array receiving the blocks, in ascending sequence order
 * @max: its size
 *
 * Adjacent segments (one's end_seq the next one's seq) form one block, as
 * SACK (RFC 2018) reports them; a FIN's number is part of its block. The
 * SACK code chooses which blocks to send and in what order.
 *
 * Return: the number of blocks written, at most @max; those beyond @max
 * are left out.
 */
int ns_tcp_ofo_blocks(const struct ns_tcp_ofo *ofo, u32 rcv_nxt,
		      struct ns_tcp_range *out, int max)
{
	struct sk_buff *skb;
	int n = 0;

	if (max <= 0)
		return 0;
	ns_tcp_ofo_for_each(skb, ofo) {
		const struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
		u32 start = cb->seq;

		if (ns_seq_before_eq(cb->end_seq, rcv_nxt))
			continue;
		if (ns_seq_before(start, rcv_nxt))
			start = rcv_nxt;
		if (n && out[n - 1].end == start) {
			out[n - 1].end = cb->end_seq;
			continue;
		}
		if (n == max)
			break;
		out[n].start = start;
		out[n].end = cb->end_seq;
		n++;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_blocks);

/* The most blocks ns_tcp_ofo_sack_blocks() looks at, the lowest ones. */
#define NS_TCP_OFO_SACK_SCAN	16

/**
 * ns_tcp_ofo_sack_blocks() - the blocks to report in SACK, in their order
 * @ofo: the queue
 * @rcv_nxt: the next sequence number the connection expects
 * @recent: a sequence number of the segment queued last
 * @out: array receiving the blocks
 * @max: its size (a SACK option carries 4 at most)
 *
 * RFC 2018 4: the first block holds the segment received last; then the
 * others, here from the highest down (the ones nearest the newest
 * arrivals, which the sender most likely has not heard of). Only the
 * lowest %NS_TCP_OFO_SACK_SCAN blocks of the queue are looked at.
 *
 * Return: the number of blocks written, at most @max.
 */
int ns_tcp_ofo_sack_blocks(const struct ns_tcp_ofo *ofo, u32 rcv_nxt,
			   u32 recent, struct ns_tcp_range *out, int max)
{
	struct ns_tcp_range r[NS_TCP_OFO_SACK_SCAN];
	int n, i, first = -1, k = 0;

	n = ns_tcp_ofo_blocks(ofo, rcv_nxt, r, ARRAY_SIZE(r));
	for (i = 0; i < n; i++)
		if (!ns_seq_before(recent, r[i].start) && ns_seq_before(recent, r[i].end))
			first = i;
	if (first >= 0 && k < max)
		out[k++] = r[first];
	for (i = n - 1; i >= 0 && k < max; i--)
		if (i != first)
			out[k++] = r[i];
	return k;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_sack_blocks);

/**
 * ns_tcp_ofo_init() - set up an empty out-of-order queue
 * @ofo: the queue, in memory the caller owns
 * @limit: bound of the truesize of the queued segments, in bytes
 */
void ns_tcp_ofo_init(struct ns_tcp_ofo *ofo, u32 limit)
{
	ofo->root = RB_ROOT;
	ofo->mem = 0;
	ofo->limit = limit;
	ofo->count = 0;
	ofo->shared_mem = NULL;
	ofo->shared_max = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_init);

/**
 * ns_tcp_ofo_share() - bound the queue also by a total shared with others
 * @ofo: the queue, empty
 * @shared_mem: the memory of all queues sharing the bound, in bytes; this
 *	queue's segments are added and taken off as they come and go
 * @shared_max: the bound of *@shared_mem; read at each insertion
 *
 * An insertion that would take *@shared_mem past *@shared_max is refused
 * like one past the queue's own limit (%NS_TCP_OFO_NOMEM).
 */
void ns_tcp_ofo_share(struct ns_tcp_ofo *ofo, atomic_long_t *shared_mem,
		      const int *shared_max)
{
	ofo->shared_mem = shared_mem;
	ofo->shared_max = shared_max;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ofo_share);
