/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The neighbour cache (IPv4 address -> Ethernet address, learned by ARP)
 * and its state machine. The machine is a pure function of (state, event,
 * time), so that KUnit can drive it without packets or timers.
 */
#ifndef _NETSTACK_NEIGH_H
#define _NETSTACK_NEIGH_H

#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <uapi/linux/netstack.h>

/* Limits and times; RFC 1122 2.3.2.1 asks for at most one request a second. */
enum {
	NS_NEIGH_BUCKETS = 64,
	NS_NEIGH_MAX_ENTRIES = 1024,	/* per namespace */
	NS_NEIGH_QUEUE_LEN = 16,	/* packets waiting for resolution */
	NS_NEIGH_MAX_PROBES = 3,	/* requests before giving up */
};

#define NS_NEIGH_RETRANS_TIME	(1 * HZ)	/* between requests */
#define NS_NEIGH_REACHABLE_TIME	(30 * HZ)	/* confirmed -> stale */
#define NS_NEIGH_STALE_TIME	(60 * HZ)	/* unused stale entry is removed */
#define NS_NEIGH_FAILED_TIME	(3 * HZ)	/* failed entry is removed */

/* What happens to an entry. */
enum ns_neigh_event {
	NS_NEIGH_EV_OUTPUT,	/* a packet is to be sent to the neighbour */
	NS_NEIGH_EV_CONFIRM,	/* the neighbour's address was heard (ARP) */
	NS_NEIGH_EV_TIMER,	/* the entry's timer fired */
};

/* What the caller must do after a step; several may be set. */
enum ns_neigh_action {
	NS_NEIGH_ACT_XMIT = BIT(0),	  /* send the packet now */
	NS_NEIGH_ACT_QUEUE = BIT(1),	  /* queue the packet until resolved */
	NS_NEIGH_ACT_SOLICIT = BIT(2),	  /* send an ARP request */
	NS_NEIGH_ACT_FLUSH_QUEUE = BIT(3), /* send what was queued */
	NS_NEIGH_ACT_FAIL_QUEUE = BIT(4),  /* drop what was queued: unreachable */
	NS_NEIGH_ACT_ARM_TIMER = BIT(5),  /* (re)arm the timer for the delay */
	NS_NEIGH_ACT_DELETE = BIT(6),	  /* remove the entry */
};

/**
 * struct ns_neigh_fsm - the state an entry's machine works on
 * @state: enum netstack_neigh_state
 * @probes: requests sent in the current round of resolution or probing
 * @confirmed: when the neighbour was last heard (jiffies)
 * @used: when a packet was last sent to it (jiffies)
 */
struct ns_neigh_fsm {
	u8 state;
	u8 probes;
	unsigned long confirmed;
	unsigned long used;
};

unsigned int ns_neigh_step(struct ns_neigh_fsm *fsm, enum ns_neigh_event ev,
			   unsigned long now, unsigned long *delay);

struct ns_link;
struct ns_net;

/**
 * struct ns_neigh - a neighbour cache entry
 * @node: in its table bucket (table lock; RCU readers)
 * @link: the link the neighbour is on
 * @addr: its IPv4 address
 * @lock: protects @fsm, @lladdr, @queue and the timer's arming
 * @fsm: the state machine's state
 * @lladdr: its Ethernet address, valid unless INCOMPLETE/FAILED
 * @queue: packets waiting for resolution
 * @timer: the machine's timer
 * @dead: unhashed; the timer must not rearm
 * @rcu: frees the entry after readers are done
 */
struct ns_neigh {
	struct hlist_node node;
	struct ns_link *link;
	__be32 addr;
	spinlock_t lock;	/* fsm, lladdr, queue, timer arming */
	struct ns_neigh_fsm fsm;
	u8 lladdr[ETH_ALEN];
	struct sk_buff_head queue;
	struct timer_list timer;
	bool dead;
	struct rcu_head rcu;
};

/**
 * struct ns_neigh_table - the neighbour cache of one namespace
 * @lock: protects the buckets and @count (writers; readers use RCU)
 * @buckets: hash of entries by address
 * @count: entries in the table
 * @hash_seed: seeds the bucket hash
 */
struct ns_neigh_table {
	spinlock_t lock;	/* buckets (writers), count */
	struct hlist_head buckets[NS_NEIGH_BUCKETS];
	unsigned int count;
	u32 hash_seed;
};

void ns_neigh_table_init(struct ns_neigh_table *tbl);
void ns_neigh_flush(struct ns_net *nsn, struct ns_link *link, bool all);
int ns_neigh_output(struct ns_link *link, __be32 nexthop, struct sk_buff *skb);
void ns_neigh_confirm(struct ns_link *link, __be32 addr, const u8 *lladdr,
		      bool create);
int ns_neigh_add_static(struct ns_net *nsn, struct ns_link *link, __be32 addr,
			const u8 *lladdr);
int ns_neigh_del(struct ns_net *nsn, struct ns_link *link, __be32 addr);
const char *ns_neigh_state_name(u8 state);

#endif /* _NETSTACK_NEIGH_H */
