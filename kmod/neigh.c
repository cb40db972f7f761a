// SPDX-License-Identifier: GPL-2.0
/*
 * neigh.c - the neighbour cache: IPv4 next hop -> Ethernet address.
 *
 * Each entry runs the machine of ns_neigh_step():
 *
 *   INCOMPLETE --reply--> REACHABLE --30 s--> STALE --unused 60 s--> (gone)
 *       |  request each second,  ^   ^----reply----|  used: probe; no
 *       |  3 unanswered          |                 |  reply to 3 probes
 *       v                        |                 v
 *     FAILED --3 s--> (gone)     +------reply---- FAILED
 *
 * An output to a FAILED entry starts resolution again. PERMANENT entries
 * (added by the user) never change. Packets to an unresolved neighbour
 * wait in a queue of NS_NEIGH_QUEUE_LEN; when resolution fails they are
 * dropped and counted, and their senders hear of it as of an ICMP Host
 * Unreachable (ns_icmp_local_error()), as on Linux.
 *
 * Lifetimes: entries are freed by RCU after they are unhashed, with their
 * timer shut down and their queue purged; the table lock orders unhashing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_arp.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <kunit/visibility.h>

#include "netstack.h"

/**
 * ns_neigh_step() - advance a neighbour's state machine by one event
 * @fsm: the entry's machine state, updated
 * @ev: what happened
 * @now: the time (jiffies)
 * @delay: set to the timer delay when NS_NEIGH_ACT_ARM_TIMER is returned
 *
 * Return: a mask of enum ns_neigh_action for the caller to carry out.
 */
unsigned int ns_neigh_step(struct ns_neigh_fsm *fsm, enum ns_neigh_event ev,
			   unsigned long now, unsigned long *delay)
{
	unsigned int act = 0;

	switch (fsm->state) {
	case NETSTACK_NEIGH_PERMANENT:
		return ev == NS_NEIGH_EV_OUTPUT ? NS_NEIGH_ACT_XMIT : 0;

	case NETSTACK_NEIGH_INCOMPLETE:
		if (ev == NS_NEIGH_EV_OUTPUT) {
			act = NS_NEIGH_ACT_QUEUE;
			if (fsm->probes == 0) {		/* a new entry */
				fsm->probes = 1;
				act |= NS_NEIGH_ACT_SOLICIT | NS_NEIGH_ACT_ARM_TIMER;
				*delay = NS_NEIGH_RETRANS_TIME;
			}
			return act;
		}
		if (ev == NS_NEIGH_EV_TIMER) {
			if (fsm->probes < NS_NEIGH_MAX_PROBES) {
				fsm->probes++;
				*delay = NS_NEIGH_RETRANS_TIME;
				return NS_NEIGH_ACT_SOLICIT | NS_NEIGH_ACT_ARM_TIMER;
			}
			fsm->state = NETSTACK_NEIGH_FAILED;
			fsm->probes = 0;
			*delay = NS_NEIGH_FAILED_TIME;
			return NS_NEIGH_ACT_FAIL_QUEUE | NS_NEIGH_ACT_ARM_TIMER;
		}
		break;

	case NETSTACK_NEIGH_REACHABLE:
		if (ev == NS_NEIGH_EV_OUTPUT) {
			fsm->used = now;
			return NS_NEIGH_ACT_XMIT;
		}
		if (ev == NS_NEIGH_EV_TIMER) {
			if (time_before(now, fsm->confirmed + NS_NEIGH_REACHABLE_TIME)) {
				*delay = fsm->confirmed + NS_NEIGH_REACHABLE_TIME - now;
				return NS_NEIGH_ACT_ARM_TIMER;
			}
			fsm->state = NETSTACK_NEIGH_STALE;
			fsm->probes = 0;
			*delay = NS_NEIGH_STALE_TIME;
			return NS_NEIGH_ACT_ARM_TIMER;
		}
		break;

	case NETSTACK_NEIGH_STALE:
		if (ev == NS_NEIGH_EV_OUTPUT) {
			fsm->used = now;
			act = NS_NEIGH_ACT_XMIT;
			if (fsm->probes == 0) {		/* check it is still there */
				fsm->probes = 1;
				act |= NS_NEIGH_ACT_SOLICIT | NS_NEIGH_ACT_ARM_TIMER;
				*delay = NS_NEIGH_RETRANS_TIME;
			}
			return act;
		}
		if (ev == NS_NEIGH_EV_TIMER) {
			if (fsm->probes) {
				if (fsm->probes < NS_NEIGH_MAX_PROBES) {
					fsm->probes++;
					*delay = NS_NEIGH_RETRANS_TIME;
					return NS_NEIGH_ACT_SOLICIT | NS_NEIGH_ACT_ARM_TIMER;
				}
				fsm->state = NETSTACK_NEIGH_FAILED;
				fsm->probes = 0;
				*delay = NS_NEIGH_FAILED_TIME;
				return NS_NEIGH_ACT_ARM_TIMER;
			}
			if (time_before(now, fsm->used + NS_NEIGH_STALE_TIME)) {
				*delay = fsm->used + NS_NEIGH_STALE_TIME - now;
				return NS_NEIGH_ACT_ARM_TIMER;
			}
			return NS_NEIGH_ACT_DELETE;
		}
		break;

	case NETSTACK_NEIGH_FAILED:
		if (ev == NS_NEIGH_EV_OUTPUT) {
			fsm->state = NETSTACK_NEIGH_INCOMPLETE;
			fsm->probes = 1;
			*delay = NS_NEIGH_RETRANS_TIME;
			return NS_NEIGH_ACT_QUEUE | NS_NEIGH_ACT_SOLICIT |
			       NS_NEIGH_ACT_ARM_TIMER;
		}
		if (ev == NS_NEIGH_EV_TIMER)
			return NS_NEIGH_ACT_DELETE;
		break;
	}

	if (ev == NS_NEIGH_EV_CONFIRM) {
		/* Heard from: usable and fresh, whatever it was. */
		act = fsm->state == NETSTACK_NEIGH_INCOMPLETE ||
		      fsm->state == NETSTACK_NEIGH_FAILED ?
		      NS_NEIGH_ACT_FLUSH_QUEUE : 0;
		fsm->state = NETSTACK_NEIGH_REACHABLE;
		fsm->probes = 0;
		fsm->confirmed = now;
		*delay = NS_NEIGH_REACHABLE_TIME;
		return act | NS_NEIGH_ACT_ARM_TIMER;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_neigh_step);

/**
 * ns_neigh_state_name() - a state's name as nsctl and /proc print it
 * @state: enum netstack_neigh_state
 *
 * Return: the name.
 */
const char *ns_neigh_state_name(u8 state)
{
	static const char *const names[] = {
		[NETSTACK_NEIGH_INCOMPLETE] = "INCOMPLETE",
		[NETSTACK_NEIGH_REACHABLE] = "REACHABLE",
		[NETSTACK_NEIGH_STALE] = "STALE",
		[NETSTACK_NEIGH_FAILED] = "FAILED",
		[NETSTACK_NEIGH_PERMANENT] = "PERMANENT",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

static struct hlist_head *ns_neigh_bucket(struct ns_neigh_table *tbl,
					  __be32 addr)
{
	return &tbl->buckets[jhash_1word((__force u32)addr, tbl->hash_seed) %
			     NS_NEIGH_BUCKETS];
}

/* RCU or table lock held. */
static struct ns_neigh *ns_neigh_lookup(struct ns_neigh_table *tbl,
					const struct ns_link *link, __be32 addr)
{
	struct ns_neigh *n;

	hlist_for_each_entry_rcu(n, ns_neigh_bucket(tbl, addr), node,
				 lockdep_is_held(&tbl->lock))
		if (n->addr == addr && n->link == link)
			return n;
	return NULL;
}

static void ns_neigh_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ns_neigh, rcu));
}

/* Drop queued packets, telling their senders the neighbour is unreachable. */
static void ns_neigh_fail_queue(struct ns_net *nsn, struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		ns_stat_inc(nsn, NS_STAT_NEIGH_QUEUE_DROP_FAILED);
		ns_icmp_local_error(nsn, skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
		kfree_skb(skb);
	}
}

/* Table lock held: unhash; the caller kills the entry after unlocking. */
static void ns_neigh_unhash(struct ns_neigh_table *tbl, struct ns_neigh *n)
{
	hlist_del_init_rcu(&n->node);
	tbl->count--;
}

/*
 * Stop the timer, drop the queue, free after RCU. From process context
 * (@sync) the timer is waited for; from the timer itself only a re-arm
 * that raced in is cancelled. Once dead, nothing arms it again.
 */
static void ns_neigh_kill(struct ns_net *nsn, struct ns_neigh *n, bool sync)
{
	struct sk_buff_head q;

	__skb_queue_head_init(&q);
	spin_lock_bh(&n->lock);
	n->dead = true;
	skb_queue_splice_init(&n->queue, &q);
	spin_unlock_bh(&n->lock);
	if (sync)
		timer_delete_sync(&n->timer);
	else
		timer_delete(&n->timer);
	ns_neigh_fail_queue(nsn, &q);
	call_rcu(&n->rcu, ns_neigh_free_rcu);
}

static void ns_neigh_xmit(struct ns_neigh *n, struct sk_buff *skb)
{
	ns_link_xmit(n->link, skb, n->lladdr, htons(ETH_P_IP));
}

/*
 * Carry out a step's actions. Called with n->lock held; drops it. @skb is
 * the packet of an OUTPUT event, or NULL.
 */
static void ns_neigh_act(struct ns_neigh *n, unsigned int act,
			 unsigned long delay, struct sk_buff *skb)
	__releases(&n->lock)
{
	struct ns_net *nsn = n->link->nsn;
	struct sk_buff_head ready, failed;
	struct sk_buff *queued;
	u8 lladdr[ETH_ALEN];
	bool unicast;
	__be32 sip;

	__skb_queue_head_init(&ready);
	__skb_queue_head_init(&failed);
	if (act & NS_NEIGH_ACT_QUEUE) {
		if (skb_queue_len(&n->queue) >= NS_NEIGH_QUEUE_LEN) {
			/* The oldest goes: the newest is likelier still wanted. */
			kfree_skb(__skb_dequeue(&n->queue));
			ns_stat_inc(nsn, NS_STAT_NEIGH_QUEUE_DROP_FULL);
		}
		__skb_queue_tail(&n->queue, skb);
		skb = NULL;
	}
	if (act & NS_NEIGH_ACT_FLUSH_QUEUE)
		skb_queue_splice_init(&n->queue, &ready);
	if (act & NS_NEIGH_ACT_FAIL_QUEUE)
		skb_queue_splice_init(&n->queue, &failed);
	if ((act & NS_NEIGH_ACT_ARM_TIMER) && !n->dead)
		mod_timer(&n->timer, jiffies + delay);
	ether_addr_copy(lladdr, n->lladdr);
	/* A probe of a known neighbour goes to it alone. */
	unicast = n->fsm.state == NETSTACK_NEIGH_STALE;
	spin_unlock_bh(&n->lock);

	if (act & NS_NEIGH_ACT_SOLICIT) {
		sip = ns_addr_select(nsn, n->link, n->addr);
		ns_arp_send(n->link, ARPOP_REQUEST, sip, n->addr,
			    unicast ? lladdr : NULL);
	}
	while ((queued = __skb_dequeue(&ready)))
		ns_link_xmit(n->link, queued, lladdr, htons(ETH_P_IP));
	ns_neigh_fail_queue(nsn, &failed);
	if (skb && (act & NS_NEIGH_ACT_XMIT))
		ns_link_xmit(n->link, skb, lladdr, htons(ETH_P_IP));
	else if (skb)
		kfree_skb(skb);
}

static void ns_neigh_timer(struct timer_list *t)
{
	struct ns_neigh *n = timer_container_of(n, t, timer);
	struct ns_net *nsn = n->link->nsn;
	struct ns_neigh_table *tbl = &nsn->neigh;
	unsigned long delay = 0;
	unsigned int act;

	spin_lock_bh(&n->lock);
	if (n->dead) {
		spin_unlock_bh(&n->lock);
		return;
	}
	act = ns_neigh_step(&n->fsm, NS_NEIGH_EV_TIMER, jiffies, &delay);
	if (act & NS_NEIGH_ACT_DELETE) {
		spin_unlock_bh(&n->lock);
		spin_lock_bh(&tbl->lock);
		/* A racing flush may have unhashed it already. */
		if (!hlist_unhashed(&n->node)) {
			ns_neigh_unhash(tbl, n);
			spin_unlock_bh(&tbl->lock);
			ns_neigh_kill(nsn, n, false);
		} else {
			spin_unlock_bh(&tbl->lock);
		}
		return;
	}
	ns_neigh_act(n, act, delay, NULL);
}

/* Find or create the entry for (link, addr). RCU read lock held. */
static struct ns_neigh *ns_neigh_get(struct ns_link *link, __be32 addr,
				     bool create)
{
	struct ns_net *nsn = link->nsn;
	struct ns_neigh_table *tbl = &nsn->neigh;
	struct ns_neigh *n, *old;

	n = ns_neigh_lookup(tbl, link, addr);
	if (n || !create)
		return n;

	n = kzalloc_obj(*n, GFP_ATOMIC);
	if (!n)
		return NULL;
	n->link = link;
	n->addr = addr;
	spin_lock_init(&n->lock);
	skb_queue_head_init(&n->queue);
	timer_setup(&n->timer, ns_neigh_timer, 0);
	n->fsm.state = NETSTACK_NEIGH_INCOMPLETE;
	n->fsm.used = jiffies;

	spin_lock_bh(&tbl->lock);
	old = ns_neigh_lookup(tbl, link, addr);
	if (old || tbl->count >= NS_NEIGH_MAX_ENTRIES) {
		spin_unlock_bh(&tbl->lock);
		if (!old)
			ns_stat_inc(nsn, NS_STAT_NEIGH_TABLE_FULL);
		kfree(n);
		return old;
	}
	hlist_add_head_rcu(&n->node, ns_neigh_bucket(tbl, addr));
	tbl->count++;
	spin_unlock_bh(&tbl->lock);
	return n;
}

/**
 * ns_neigh_output() - send an IPv4 packet to a neighbour, resolving it first
 * @link: the link to send on
 * @nexthop: the neighbour's IPv4 address
 * @skb: the packet, network header at skb->data; consumed
 *
 * Context: softirq or process, RCU read lock held.
 * Return: 0 if sent or queued, a negative errno if dropped.
 */
int ns_neigh_output(struct ns_link *link, __be32 nexthop, struct sk_buff *skb)
{
	unsigned long delay = 0;
	struct ns_neigh *n;
	unsigned int act;

	n = ns_neigh_get(link, nexthop, true);
	if (!n) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	spin_lock_bh(&n->lock);
	if (n->dead) {
		spin_unlock_bh(&n->lock);
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	act = ns_neigh_step(&n->fsm, NS_NEIGH_EV_OUTPUT, jiffies, &delay);
	ns_neigh_act(n, act, delay, skb);
	return 0;
}

/**
 * ns_neigh_confirm() - a neighbour was heard from, with its Ethernet address
 * @link: the link it was heard on
 * @addr: its IPv4 address
 * @lladdr: its Ethernet address
 * @create: make an entry if there is none (for ARP addressed to us)
 *
 * Context: softirq, RCU read lock held.
 */
void ns_neigh_confirm(struct ns_link *link, __be32 addr, const u8 *lladdr,
		      bool create)
{
	unsigned long delay = 0;
	struct ns_neigh *n;
	unsigned int act;

	n = ns_neigh_get(link, addr, create);
	if (!n)
		return;
	spin_lock_bh(&n->lock);
	if (n->dead || n->fsm.state == NETSTACK_NEIGH_PERMANENT) {
		spin_unlock_bh(&n->lock);
		return;
	}
	ether_addr_copy(n->lladdr, lladdr);
	act = ns_neigh_step(&n->fsm, NS_NEIGH_EV_CONFIRM, jiffies, &delay);
	ns_neigh_act(n, act, delay, NULL);
}

/**
 * ns_neigh_add_static() - add or replace a PERMANENT entry
 * @nsn: the instance
 * @link: the link the neighbour is on
 * @addr: its IPv4 address
 * @lladdr: its Ethernet address
 *
 * Context: process, RTNL held.
 * Return: 0 or -ENOBUFS.
 */
int ns_neigh_add_static(struct ns_net *nsn, struct ns_link *link, __be32 addr,
			const u8 *lladdr)
{
	struct sk_buff_head ready;
	struct ns_neigh *n;
	struct sk_buff *skb;

	rcu_read_lock();
	n = ns_neigh_get(link, addr, true);
	if (!n) {
		rcu_read_unlock();
		return -ENOBUFS;
	}
	__skb_queue_head_init(&ready);
	spin_lock_bh(&n->lock);
	ether_addr_copy(n->lladdr, lladdr);
	n->fsm.state = NETSTACK_NEIGH_PERMANENT;
	skb_queue_splice_init(&n->queue, &ready);
	spin_unlock_bh(&n->lock);
	local_bh_disable();
	while ((skb = __skb_dequeue(&ready)))
		ns_neigh_xmit(n, skb);
	local_bh_enable();
	rcu_read_unlock();
	return 0;
}

/**
 * ns_neigh_del() - remove an entry, static or not
 * @nsn: the instance
 * @link: its link, or NULL for any
 * @addr: its IPv4 address
 *
 * Context: process, RTNL held.
 * Return: 0 or -ENOENT.
 */
int ns_neigh_del(struct ns_net *nsn, struct ns_link *link, __be32 addr)
{
	struct ns_neigh_table *tbl = &nsn->neigh;
	struct ns_neigh *n, *found = NULL;

	spin_lock_bh(&tbl->lock);
	hlist_for_each_entry(n, ns_neigh_bucket(tbl, addr), node) {
		if (n->addr == addr && (!link || n->link == link)) {
			found = n;
			ns_neigh_unhash(tbl, n);
			break;
		}
	}
	spin_unlock_bh(&tbl->lock);
	if (!found)
		return -ENOENT;
	ns_neigh_kill(nsn, found, true);
	return 0;
}

/* Table lock held: the first entry a flush should remove, or NULL. */
static struct ns_neigh *ns_neigh_flush_next(struct ns_neigh_table *tbl,
					    const struct ns_link *link, bool all)
{
	struct ns_neigh *n;
	int i;

	for (i = 0; i < NS_NEIGH_BUCKETS; i++)
		hlist_for_each_entry(n, &tbl->buckets[i], node)
			if ((!link || n->link == link) &&
			    (all || n->fsm.state != NETSTACK_NEIGH_PERMANENT))
				return n;
	return NULL;
}

/**
 * ns_neigh_flush() - remove entries
 * @nsn: the instance
 * @link: only this link's entries, or NULL for every link
 * @all: static entries too (when a link goes away)
 *
 * Context: process. Flushes are rare and tables small, so each entry is
 * found afresh: killing one needs the table unlocked.
 */
void ns_neigh_flush(struct ns_net *nsn, struct ns_link *link, bool all)
{
	struct ns_neigh_table *tbl = &nsn->neigh;
	struct ns_neigh *n;

	for (;;) {
		spin_lock_bh(&tbl->lock);
		n = ns_neigh_flush_next(tbl, link, all);
		if (n)
			ns_neigh_unhash(tbl, n);
		spin_unlock_bh(&tbl->lock);
		if (!n)
			break;
		ns_neigh_kill(nsn, n, true);
	}
}

/**
 * ns_neigh_table_init() - set up an empty neighbour cache
 * @tbl: the table
 */
void ns_neigh_table_init(struct ns_neigh_table *tbl)
{
	int i;

	spin_lock_init(&tbl->lock);
	for (i = 0; i < NS_NEIGH_BUCKETS; i++)
		INIT_HLIST_HEAD(&tbl->buckets[i]);
	tbl->count = 0;
	tbl->hash_seed = get_random_u32();
}
