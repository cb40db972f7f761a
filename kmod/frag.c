// SPDX-License-Identifier: GPL-2.0
/*
 * frag.c - IPv4 fragment reassembly: the per-namespace table of queues,
 * one queue per datagram being reassembled, its timer, its bounds and its
 * counters.
 *
 * A queue is keyed by (saddr, daddr, id, protocol) (RFC 791) and lives in a
 * fixed hash table whose bucket hash is keyed per table with a random
 * secret. It holds its fragments in an rbtree ordered by offset (skb->rbnode,
 * the fragment's offset and length in skb->cb), so that an adversary's
 * thousands of tiny fragments cost O(log n) each, not O(n).
 *
 * Rules, in the order a fragment meets them:
 *  - an empty fragment, or a non-last one whose payload is not a multiple
 *    of 8, is malformed; so is a last fragment that disagrees with an
 *    earlier last one or ends before data already queued, and a fragment
 *    that ends beyond the known end. A malformed fragment drops its queue.
 *  - a datagram whose total length (the offset-0 fragment's header plus the
 *    payload end) would exceed 65535 bytes drops its queue (oversize).
 *  - a fragment with exactly the offset and length of a queued one is a
 *    duplicate: it is dropped, the queue is kept.
 *  - any other overlap drops the whole queue, as Linux does for IPv4 since
 *    2018 (an overlap is either an attack or a broken sender; RFC 5722 made
 *    the same rule for IPv6).
 *  - a fragment that would take the table's memory (the truesize of every
 *    queued fragment) past its bound is dropped; nothing is evicted.
 *
 * The reassembled datagram is the offset-0 fragment's skb with every other
 * fragment, its header pulled, chained in order on its frag_list.
 *
 * Lifetime of a queue. It is created by its first fragment with two
 * references: the table's (it is in the hash) and its timer's (the timer is
 * pending). It dies (ns_frag_queue_kill()) when it completes, is dropped,
 * expires or the table goes away: it leaves the hash, frees its fragments
 * and drops the table's reference, and the timer's too if timer_delete()
 * caught the timer still pending; otherwise the timer callback is running
 * and drops its own reference after it gets the lock. Every reference is
 * taken and dropped under the table's lock, and the last one frees the
 * queue, so the timer never sees a freed queue and nobody else sees a dead
 * queue's fragments. Queues stay on the table's list until freed, so that
 * ns_frags_exit() can wait for timers that are still running.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/ip.h>
#include <linux/random.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <net/dst.h>
#include <net/ip.h>

#include "checksum.h"
#include "compat.h"
#include "frag.h"

enum {
	NS_FRAG_HASH_BITS = 10,
	NS_FRAG_HASH_SIZE = 1 << NS_FRAG_HASH_BITS,
	NS_FRAG_MAX_DATAGRAM = 0xffff,	/* largest IPv4 total length */
	NS_FRAG_UNIT = 8,		/* the fragment offset counts 8-byte units */
};

/* ns_frag_queue.flags */
enum {
	NS_FRAGQ_FIRST_IN = BIT(0),	/* the offset-0 fragment is queued */
	NS_FRAGQ_LAST_IN = BIT(1),	/* a fragment without MF is queued: the end is known */
};

struct ns_frag_key {
	__be32 saddr;
	__be32 daddr;
	__be16 id;
	u8 protocol;
};

/**
 * struct ns_frag_queue - the fragments of one datagram
 * @node: in the table's hash while the queue is live; unhashed once dead
 * @list: in the table's list of queues until freed
 * @key: the datagram's (saddr, daddr, id, protocol)
 * @frags: the table
 * @timer: expires the queue @frags->timeout after its first fragment
 * @refcnt: the table's reference, the pending timer's, and ns_frags_exit()'s
 *	while it waits for the timer
 * @fragments: the queued fragments by offset (skb->rbnode)
 * @end: payload bytes of the whole datagram, once %NS_FRAGQ_LAST_IN
 * @max_end: the highest end of any queued fragment
 * @meat: payload bytes queued (fragments never overlap, so when it reaches
 *	@end the datagram is complete)
 * @truesize: truesize of the queued fragments, this queue's part of
 *	@frags->mem
 * @first_ihl: header length of the offset-0 fragment, once %NS_FRAGQ_FIRST_IN
 * @flags: %NS_FRAGQ_FIRST_IN, %NS_FRAGQ_LAST_IN
 *
 * Everything but @key, @frags and @timer is protected by @frags->lock.
 */
struct ns_frag_queue {
	struct hlist_node node;
	struct list_head list;
	struct ns_frag_key key;
	struct ns_frags *frags;
	struct timer_list timer;
	refcount_t refcnt;
	struct rb_root fragments;
	unsigned int end;
	unsigned int max_end;
	unsigned int meat;
	unsigned int truesize;
	unsigned int first_ihl;
	u8 flags;
};

/* What a queued fragment keeps in skb->cb: where its payload goes. */
struct ns_frag_cb {
	u16 offset;
	u16 len;
};

#define NS_FRAG_CB(skb) ((struct ns_frag_cb *)(skb)->cb)
static_assert(sizeof(struct ns_frag_cb) <= sizeof_field(struct sk_buff, cb));

/* A fragment as its header describes it. */
struct ns_frag_desc {
	struct ns_frag_key key;
	unsigned int ihl;	/* header length in bytes */
	unsigned int offset;	/* payload offset in the datagram */
	unsigned int end;	/* offset + payload length */
	bool more;		/* MF */
};

/* What becomes of a fragment. */
enum ns_frag_verdict {
	NS_FRAG_QUEUED,
	NS_FRAG_COMPLETE,	/* queued, and the datagram is whole */
	NS_FRAG_DUPLICATE,
	NS_FRAG_NOMEM,
	NS_FRAG_OVERLAP,
	NS_FRAG_OVERSIZE,
	NS_FRAG_MALFORMED,
};

static bool ns_frag_key_eq(const struct ns_frag_key *a, const struct ns_frag_key *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr &&
	       a->id == b->id && a->protocol == b->protocol;
}

static u32 ns_frag_hash(const struct ns_frags *f, const struct ns_frag_key *k)
{
	u32 id_proto = (u32)(__force u16)k->id << 8 | k->protocol;

	return hsiphash_3u32((__force u32)k->saddr, (__force u32)k->daddr,
			     id_proto, &f->hash_key) & (NS_FRAG_HASH_SIZE - 1);
}

/* Read the fragment's header; the caller validated it (see ns_frags_gather()). */
static enum ns_frag_verdict ns_frag_parse(const struct sk_buff *skb,
					  struct ns_frag_desc *d)
{
	const struct iphdr *iph = ip_hdr(skb);
	u16 frag_off = ntohs(iph->frag_off);
	unsigned int len;

	d->key.saddr = iph->saddr;
	d->key.daddr = iph->daddr;
	d->key.id = iph->id;
	d->key.protocol = iph->protocol;
	d->ihl = iph->ihl * 4;
	d->offset = (frag_off & IP_OFFSET) * NS_FRAG_UNIT;
	d->more = frag_off & IP_MF;
	if (d->ihl < sizeof(*iph) || skb_headlen(skb) < d->ihl)
		return NS_FRAG_MALFORMED;
	len = skb->len - d->ihl;
	d->end = d->offset + len;
	if (!len || (d->more && len % NS_FRAG_UNIT))
		return NS_FRAG_MALFORMED;
	return NS_FRAG_QUEUED;
}

/*
 * Would the datagram exceed the largest total length with this fragment?
 * Its header is the offset-0 fragment's; until that one is in, the
 * smallest header is assumed. @q may be NULL (no queue yet).
 */
static bool ns_frag_oversize(const struct ns_frag_queue *q,
			     const struct ns_frag_desc *d)
{
	unsigned int hdr = sizeof(struct iphdr), end = d->end;

	if (!d->offset)
		hdr = d->ihl;
	else if (q && (q->flags & NS_FRAGQ_FIRST_IN))
		hdr = q->first_ihl;
	if (q)
		end = max(end, q->max_end);
	return hdr + end > NS_FRAG_MAX_DATAGRAM;
}

/* Free every fragment of @root; returns their truesize. Not locked itself. */
static unsigned int ns_frag_rb_purge(struct rb_root *root)
{
	struct sk_buff *skb, *tmp;
	unsigned int truesize = 0;

	/* Post-order: a node is freed after its children and never read again. */
	rbtree_postorder_for_each_entry_safe(skb, tmp, root, rbnode) {
		truesize += skb->truesize;
		skb->dev = NULL;	/* shares its place with rbnode */
		kfree_skb(skb);
	}
	*root = RB_ROOT;
	return truesize;
}

/* Drop a reference to @q; the last one frees it. Called with f->lock held. */
static void ns_frag_queue_put(struct ns_frags *f, struct ns_frag_queue *q)
{
	lockdep_assert_held(&f->lock);
	if (refcount_dec_and_test(&q->refcnt)) {
		list_del(&q->list);
		kfree(q);
	}
}

/*
 * Unhash @q, free its fragments, drop the table's reference and, if the
 * timer was still pending, the timer's. A no-op on a dead queue. Called with
 * f->lock held; @q may be freed on return unless the caller holds a
 * reference.
 */
static void ns_frag_queue_kill(struct ns_frags *f, struct ns_frag_queue *q)
{
	lockdep_assert_held(&f->lock);
	if (hlist_unhashed(&q->node))
		return;
	hlist_del_init(&q->node);
	WARN_ON_ONCE(ns_frag_rb_purge(&q->fragments) != q->truesize);
	WRITE_ONCE(f->mem, f->mem - q->truesize);
	q->truesize = 0;
	if (timer_delete(&q->timer))
		ns_frag_queue_put(f, q);	/* the pending timer's */
	ns_frag_queue_put(f, q);		/* the table's */
}

/* The queue's timer: its datagram did not complete in time. Softirq. */
static void ns_frag_queue_expire(struct timer_list *t)
{
	struct ns_frag_queue *q = timer_container_of(q, t, timer);
	struct ns_frags *f = q->frags;

	spin_lock_bh(&f->lock);
	if (!hlist_unhashed(&q->node)) {
		/*
		 * RFC 792/1122 3.3.2 want an ICMP Time Exceeded (code 1,
		 * fragment reassembly time exceeded) sent to the source when
		 * the offset-0 fragment was received; frag.c sends no ICMP,
		 * the caller may want to add it here.
		 */
		atomic_long_inc(&f->stats.reasm_timeout);
		atomic_long_inc(&f->stats.reasm_fails);
		ns_frag_queue_kill(f, q);
	}
	ns_frag_queue_put(f, q);	/* this timer's */
	spin_unlock_bh(&f->lock);
}

static struct ns_frag_queue *ns_frag_lookup(struct ns_frags *f,
					    const struct ns_frag_key *key, u32 hash)
{
	struct ns_frag_queue *q;

	hlist_for_each_entry(q, &f->hash[hash], node)
		if (ns_frag_key_eq(&q->key, key))
			return q;
	return NULL;
}

/* A new, empty queue, hashed, its timer running. Called with f->lock held. */
static struct ns_frag_queue *ns_frag_queue_create(struct ns_frags *f,
						  const struct ns_frag_key *key,
						  u32 hash)
{
	struct ns_frag_queue *q;

	q = kzalloc_obj(*q, GFP_ATOMIC);
	if (!q)
		return NULL;
	q->key = *key;
	q->frags = f;
	q->fragments = RB_ROOT;
	refcount_set(&q->refcnt, 2);	/* the table's and the timer's */
	timer_setup(&q->timer, ns_frag_queue_expire, 0);
	hlist_add_head(&q->node, &f->hash[hash]);
	list_add_tail(&q->list, &f->queues);
	mod_timer(&q->timer, jiffies + f->timeout);
	return q;
}

/*
 * Check @skb against what @q holds and queue it. The skb is the queue's
 * only on %NS_FRAG_QUEUED and %NS_FRAG_COMPLETE. Called with f->lock held.
 */
static enum ns_frag_verdict ns_frag_queue_add(struct ns_frags *f,
					      struct ns_frag_queue *q,
					      struct sk_buff *skb,
					      const struct ns_frag_desc *d)
{
	struct rb_node **link = &q->fragments.rb_node, *parent = NULL;
	unsigned int len = d->end - d->offset;

	lockdep_assert_held(&f->lock);
	if (!d->more) {
		if (((q->flags & NS_FRAGQ_LAST_IN) && d->end != q->end) ||
		    d->end < q->max_end)
			return NS_FRAG_MALFORMED;
	} else if ((q->flags & NS_FRAGQ_LAST_IN) && d->end > q->end) {
		return NS_FRAG_MALFORMED;
	}
	if (ns_frag_oversize(q, d))
		return NS_FRAG_OVERSIZE;

	/*
	 * Queued fragments are disjoint and ordered, so the descent meets
	 * any fragment that overlaps [offset, end).
	 */
	while (*link) {
		const struct ns_frag_cb *cb = NS_FRAG_CB(rb_to_skb(*link));
		unsigned int start = cb->offset, stop = cb->offset + cb->len;

		parent = *link;
		if (d->end <= start)
			link = &parent->rb_left;
		else if (d->offset >= stop)
			link = &parent->rb_right;
		else if (d->offset == start && d->end == stop)
			return NS_FRAG_DUPLICATE;
		else
			return NS_FRAG_OVERLAP;
	}

	if (f->mem + skb->truesize > f->mem_limit)
		return NS_FRAG_NOMEM;

	NS_FRAG_CB(skb)->offset = d->offset;
	NS_FRAG_CB(skb)->len = len;
	rb_link_node(&skb->rbnode, parent, link);
	rb_insert_color(&skb->rbnode, &q->fragments);
	q->meat += len;
	q->truesize += skb->truesize;
	WRITE_ONCE(f->mem, f->mem + skb->truesize);
	q->max_end = max(q->max_end, d->end);
	if (!d->more) {
		q->flags |= NS_FRAGQ_LAST_IN;
		q->end = d->end;
	}
	if (!d->offset) {
		q->flags |= NS_FRAGQ_FIRST_IN;
		q->first_ihl = d->ihl;
	}
	if ((q->flags & NS_FRAGQ_LAST_IN) && q->meat == q->end)
		return NS_FRAG_COMPLETE;
	return NS_FRAG_QUEUED;
}

/*
 * Build the datagram from the complete, detached fragments in @root (no
 * lock needed: they belong to nobody else). @dev is the device the last
 * fragment came in on. Returns NULL, having freed the fragments, if the
 * offset-0 fragment cannot be made private.
 */
static struct sk_buff *ns_frag_reasm(struct rb_root *root, struct net_device *dev)
{
	struct sk_buff *head, *skb, **tail;
	struct rb_node *node;
	struct iphdr *iph;

	head = rb_to_skb(rb_first(root));
	rb_erase(&head->rbnode, root);
	skb_mark_not_on_list(head);	/* rbnode shares its place with next, prev, dev */
	head->prev = NULL;
	head->dev = dev;

	/* Its header and frag_list are about to change: no clone may share them. */
	if (skb_unclone(head, GFP_ATOMIC)) {
		kfree_skb_reason(head, SKB_DROP_REASON_NOMEM);
		ns_frag_rb_purge(root);
		return NULL;
	}

	tail = &skb_shinfo(head)->frag_list;
	while (*tail)
		tail = &(*tail)->next;
	while ((node = rb_first(root))) {
		skb = rb_to_skb(node);
		rb_erase(node, root);
		skb_mark_not_on_list(skb);
		skb->prev = NULL;
		skb->dev = NULL;
		__skb_pull(skb, ip_hdrlen(skb));
		*tail = skb;
		tail = &skb->next;
		head->len += skb->len;
		head->data_len += skb->len;
		head->truesize += skb->truesize;
	}

	iph = ip_hdr(head);
	iph->tot_len = htons(head->len);
	iph->frag_off = 0;
	iph->check = 0;
	iph->check = ns_csum_buf(iph, iph->ihl * 4);
	/* The fragments' checksum states do not add up; the L4 layer sums in software. */
	head->ip_summed = CHECKSUM_NONE;
	head->csum_valid = 0;
	memset(head->cb, 0, sizeof(head->cb));
	return head;
}

static enum skb_drop_reason ns_frag_drop_reason(enum ns_frag_verdict v)
{
	switch (v) {
	case NS_FRAG_NOMEM:
		return SKB_DROP_REASON_NOMEM;
	case NS_FRAG_OVERSIZE:
		return SKB_DROP_REASON_PKT_TOO_BIG;
	case NS_FRAG_MALFORMED:
		return SKB_DROP_REASON_IP_INHDR;
	default:
		return SKB_DROP_REASON_NOT_SPECIFIED;
	}
}

/**
 * ns_frags_gather() - add an IPv4 fragment to its datagram
 * @f: the table of the namespace the fragment arrived in
 * @skb: an IPv4 fragment (MF set or offset not 0), owned by the caller and
 *	not shared (skb_share_check() done); its header validated:
 *	skb->data and the network header at the IPv4 header, which is in the
 *	linear part, and skb->len == ntohs(tot_len)
 *
 * Softirq or process context; takes @f->lock with spin_lock_bh(). The skb
 * is consumed whatever happens: queued, or dropped and counted in @f->stats.
 * skb->cb is frag.c's while the fragment is queued.
 *
 * The datagram returned is the skb of the offset-0 fragment: skb->data at
 * its IPv4 header (options included), tot_len the datagram's, frag_off 0,
 * the header checksum recomputed. Its linear part holds that header and the
 * first fragment's payload; the payload of every other fragment follows, in
 * order, one skb per fragment on skb_shinfo(skb)->frag_list (read it with
 * skb_header_pointer(), skb_copy_bits() or pskb_may_pull()). ip_summed is
 * CHECKSUM_NONE, skb->cb is zeroed, skb->dev is the last fragment's device.
 *
 * Return: the reassembled datagram when @skb completed one, otherwise NULL.
 */
struct sk_buff *ns_frags_gather(struct ns_frags *f, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct rb_root done = RB_ROOT;
	struct ns_frag_queue *q;
	enum ns_frag_verdict v;
	struct ns_frag_desc d;
	u32 hash;

	atomic_long_inc(&f->stats.reasm_reqds);
	v = ns_frag_parse(skb, &d);
	if (v == NS_FRAG_QUEUED && ns_frag_oversize(NULL, &d))
		v = NS_FRAG_OVERSIZE;
	/* A queued fragment pins no socket and no route for up to 30 s. */
	skb_orphan(skb);
	skb_dst_drop(skb);
	hash = ns_frag_hash(f, &d.key);

	spin_lock_bh(&f->lock);
	q = ns_frag_lookup(f, &d.key, hash);
	if (v == NS_FRAG_QUEUED && !q) {
		if (f->mem + skb->truesize > f->mem_limit)
			v = NS_FRAG_NOMEM;
		else
			q = ns_frag_queue_create(f, &d.key, hash);
		if (!q)
			v = NS_FRAG_NOMEM;
	}
	if (v == NS_FRAG_QUEUED)
		v = ns_frag_queue_add(f, q, skb, &d);

	switch (v) {
	case NS_FRAG_QUEUED:
		break;
	case NS_FRAG_COMPLETE:
		/* Take the fragments out of the queue, then retire it. */
		done = q->fragments;
		q->fragments = RB_ROOT;
		WRITE_ONCE(f->mem, f->mem - q->truesize);
		q->truesize = 0;
		ns_frag_queue_kill(f, q);
		break;
	case NS_FRAG_DUPLICATE:
		atomic_long_inc(&f->stats.reasm_duplicate);
		break;
	case NS_FRAG_NOMEM:
		atomic_long_inc(&f->stats.reasm_memory);
		break;
	case NS_FRAG_OVERLAP:
	case NS_FRAG_OVERSIZE:
	case NS_FRAG_MALFORMED:
		if (v == NS_FRAG_OVERLAP)
			atomic_long_inc(&f->stats.reasm_overlap);
		else if (v == NS_FRAG_OVERSIZE)
			atomic_long_inc(&f->stats.reasm_oversize);
		else
			atomic_long_inc(&f->stats.reasm_malformed);
		atomic_long_inc(&f->stats.reasm_fails);
		if (q)
			ns_frag_queue_kill(f, q);
		break;
	}
	spin_unlock_bh(&f->lock);

	if (v == NS_FRAG_QUEUED)
		return NULL;
	if (v != NS_FRAG_COMPLETE) {
		kfree_skb_reason(skb, ns_frag_drop_reason(v));
		return NULL;
	}
	skb = ns_frag_reasm(&done, dev);
	if (!skb) {
		atomic_long_inc(&f->stats.reasm_fails);
		return NULL;
	}
	atomic_long_inc(&f->stats.reasm_oks);
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(ns_frags_gather);

/**
 * ns_frags_init() - set up the reassembly table of a namespace
 * @f: the table, in memory the caller owns
 *
 * Defaults: %NS_FRAG_TIMEOUT, %NS_FRAG_MEM_LIMIT; the caller may change
 * @f->timeout and @f->mem_limit before it passes the first fragment.
 *
 * Return: 0 or -ENOMEM.
 */
int ns_frags_init(struct ns_frags *f)
{
	f->hash = kcalloc(NS_FRAG_HASH_SIZE, sizeof(*f->hash), GFP_KERNEL);
	if (!f->hash)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	INIT_LIST_HEAD(&f->queues);
	get_random_bytes(&f->hash_key, sizeof(f->hash_key));
	f->mem = 0;
	f->mem_limit = NS_FRAG_MEM_LIMIT;
	f->timeout = NS_FRAG_TIMEOUT;
	memset(&f->stats, 0, sizeof(f->stats));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_frags_init);

/**
 * ns_frags_exit() - free every queue of a table and stop every timer
 * @f: the table; no ns_frags_gather() call may be running or come
 *
 * Process context; may sleep (it waits for running timers).
 */
void ns_frags_exit(struct ns_frags *f)
{
	struct ns_frag_queue *q;

	might_sleep();
	/*
	 * Teardown, one queue at a time: hold it, kill it (unhash, free its
	 * fragments, stop its timer if still pending), then, unlocked, wait
	 * with timer_shutdown_sync() for a callback that may be running
	 * (it needs the lock, then drops its reference), and drop the hold,
	 * which frees the queue and takes it off the list. When the list is
	 * empty no timer can run, and the memory in use is zero.
	 */
	spin_lock_bh(&f->lock);
	while ((q = list_first_entry_or_null(&f->queues, struct ns_frag_queue, list))) {
		refcount_inc(&q->refcnt);
		ns_frag_queue_kill(f, q);
		spin_unlock_bh(&f->lock);
		timer_shutdown_sync(&q->timer);
		spin_lock_bh(&f->lock);
		ns_frag_queue_put(f, q);
	}
	spin_unlock_bh(&f->lock);
	WARN_ON_ONCE(f->mem);
	kfree(f->hash);
	f->hash = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ns_frags_exit);
