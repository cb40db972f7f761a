/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 fragment reassembly (RFC 791, RFC 1122 3.3.2, RFC 5722's lesson
 * applied to IPv4): the per-network-namespace table of reassembly queues,
 * its bounds and its counters.
 */
#ifndef _NETSTACK_FRAG_H
#define _NETSTACK_FRAG_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Defaults of a table; a test may change mem_limit and timeout (see struct ns_frags). */
#define NS_FRAG_TIMEOUT		(30 * HZ)	/* RFC 1122 3.3.2: 60 s at most; Linux's 30 s */
#define NS_FRAG_MEM_LIMIT	(4UL << 20)	/* bytes of skb truesize queued per table */

/**
 * struct ns_frag_stats - reassembly counters of one table
 * @reasm_reqds: fragments received
 * @reasm_oks: datagrams reassembled
 * @reasm_fails: datagrams given up, for any of the reasons below
 * @reasm_timeout: queues expired
 * @reasm_overlap: queues dropped for overlapping fragments
 * @reasm_duplicate: exact duplicate fragments dropped (queue kept)
 * @reasm_oversize: datagrams that would exceed 65535 bytes of total length
 * @reasm_memory: fragments dropped because the memory bound was reached
 *	(or an allocation failed); the queue, if any, is kept
 * @reasm_malformed: fragments that cannot be part of a valid datagram: a
 *	non-final fragment whose payload is not a multiple of 8, an empty
 *	fragment, a second last fragment with a different end, data beyond
 *	the known end
 */
struct ns_frag_stats {
	atomic_long_t reasm_reqds;
	atomic_long_t reasm_oks;
	atomic_long_t reasm_fails;
	atomic_long_t reasm_timeout;
	atomic_long_t reasm_overlap;
	atomic_long_t reasm_duplicate;
	atomic_long_t reasm_oversize;
	atomic_long_t reasm_memory;
	atomic_long_t reasm_malformed;
};

/**
 * struct ns_frags - the reassembly queues of one network namespace
 * @lock: protects @hash, @queues, @mem and everything inside every queue
 *	(its fragments, its counters, its reference count). Taken with
 *	spin_lock_bh() everywhere: the timers run in softirq context and the
 *	callers of ns_frags_gather() may be in process context (KUnit).
 * @hash: buckets of the live queues, keyed by (saddr, daddr, id, protocol)
 * @queues: every queue not yet freed, live or dead; ns_frags_exit() walks it
 *	to wait for timers still running
 * @hash_key: per-table secret of the bucket hash (remote peers choose keys)
 * @mem: sum of the truesize of the queued fragments, in bytes
 * @mem_limit: bound of @mem; a fragment that would pass it is dropped.
 *	Default %NS_FRAG_MEM_LIMIT; may be changed before the first fragment.
 * @timeout: lifetime of a queue in jiffies, from its first fragment.
 *	Default %NS_FRAG_TIMEOUT; may be changed before the first fragment
 *	(the KUnit tests make it one jiffy to test expiry).
 * @stats: counters, updated without @lock
 */
struct ns_frags {
	spinlock_t lock;	/* queues, hash, mem: see @lock above */
	struct hlist_head *hash;
	struct list_head queues;
	hsiphash_key_t hash_key;
	unsigned long mem;
	unsigned long mem_limit;
	unsigned long timeout;
	struct ns_frag_stats stats;
};

int ns_frags_init(struct ns_frags *f);
void ns_frags_exit(struct ns_frags *f);
struct sk_buff *ns_frags_gather(struct ns_frags *f, struct sk_buff *skb);

/**
 * ns_frags_mem() - memory held by the queued fragments of a table
 * @f: the table
 *
 * Return: the sum of the truesize of every queued fragment, in bytes; a
 * snapshot, read without the table's lock.
 */
static inline unsigned long ns_frags_mem(const struct ns_frags *f)
{
	return READ_ONCE(f->mem);
}

#endif /* _NETSTACK_FRAG_H */
