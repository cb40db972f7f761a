// SPDX-License-Identifier: GPL-2.0
/*
 * addr.c - the IPv4 addresses netstack owns: adding and removing them
 * (with their on-link routes and a gratuitous ARP), finding them, telling
 * our broadcast addresses, and choosing a source address.
 *
 * Writers hold RTNL; readers walk ns_net.addrs under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "netstack.h"

/**
 * ns_addr_find() - an address netstack owns
 * @nsn: the instance
 * @addr: the address
 *
 * Context: RCU read lock or RTNL held.
 * Return: the entry, or NULL.
 */
struct ns_addr *ns_addr_find(struct ns_net *nsn, __be32 addr)
{
	struct ns_addr *a;

	list_for_each_entry_rcu(a, &nsn->addrs, node, lockdep_rtnl_is_held())
		if (a->addr == addr)
			return a;
	return NULL;
}

/**
 * ns_addr_is_broadcast() - whether an address is a broadcast address we hear
 * @nsn: the instance
 * @link: the link the packet came in on, or NULL for any link
 * @addr: the destination address
 *
 * Context: RCU read lock held.
 * Return: true for 255.255.255.255 and for the directed broadcast address
 * of a subnet we have an address in on @link (on any link, for NULL).
 */
bool ns_addr_is_broadcast(struct ns_net *nsn, const struct ns_link *link,
			  __be32 addr)
{
	struct ns_addr *a;

	if (ipv4_is_lbcast(addr))
		return true;
	list_for_each_entry_rcu(a, &nsn->addrs, node) {
		__be32 mask = inet_make_mask(a->prefixlen);

		if ((!link || a->link == link) && a->prefixlen < 31 &&
		    addr == (a->addr | ~mask))
			return true;
	}
	return false;
}

/**
 * ns_addr_select() - the source address for a packet to @dst on @link
 * @nsn: the instance
 * @link: the outgoing link, or NULL
 * @dst: the destination (or next hop)
 *
 * Prefers an address on @link in @dst's subnet, then any address on @link,
 * then any address at all.
 *
 * Context: RCU read lock or RTNL held.
 * Return: the address, or 0 if netstack owns none.
 */
__be32 ns_addr_select(struct ns_net *nsn, const struct ns_link *link, __be32 dst)
{
	__be32 on_link = 0, any = 0;
	struct ns_addr *a;

	list_for_each_entry_rcu(a, &nsn->addrs, node, lockdep_rtnl_is_held()) {
		if (a->link == link) {
			if (!((a->addr ^ dst) & inet_make_mask(a->prefixlen)))
				return a->addr;
			if (!on_link)
				on_link = a->addr;
		}
		if (!any)
			any = a->addr;
	}
	return on_link ? on_link : any;
}

/* Tell the link's neighbours (gratuitous ARP request) that we have it. */
static void ns_addr_announce(struct ns_link *link, __be32 addr)
{
	if (ns_link_usable(link)) {
		local_bh_disable();
		ns_arp_send(link, ARPOP_REQUEST, addr, addr, NULL);
		local_bh_enable();
	}
}

/**
 * ns_addr_announce_link() - announce every address of a link again
 * @nsn: the instance
 * @link: the link, which came up or changed its Ethernet address
 *
 * Context: process, RTNL held.
 */
void ns_addr_announce_link(struct ns_net *nsn, struct ns_link *link)
{
	struct ns_addr *a;

	list_for_each_entry(a, &nsn->addrs, node)
		if (a->link == link)
			ns_addr_announce(link, a->addr);
}

/**
 * ns_addr_add() - give netstack an address on a link
 * @nsn: the instance
 * @link: the link
 * @addr: the address
 * @prefixlen: its subnet's prefix length, 0..32
 * @extack: where to say why it failed
 *
 * Adds the on-link route of the subnet (unless /32) and announces the
 * address with a gratuitous ARP.
 *
 * Context: process, RTNL held.
 * Return: 0, -EINVAL for an address no host may have, -EEXIST if netstack
 * has it already (on any link), or -ENOMEM.
 */
int ns_addr_add(struct ns_net *nsn, struct ns_link *link, __be32 addr,
		u8 prefixlen, struct netlink_ext_ack *extack)
{
	struct ns_addr *a;
	__be32 mask;
	int err;

	ASSERT_RTNL();
	if (prefixlen > 32 || ipv4_is_zeronet(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_multicast(addr) || ipv4_is_loopback(addr)) {
		NL_SET_ERR_MSG(extack, "invalid address for a host");
		return -EINVAL;
	}
	mask = inet_make_mask(prefixlen);
	if (prefixlen < 31 && ((addr & ~mask) == 0 || (addr | mask) == htonl(~0U))) {
		NL_SET_ERR_MSG(extack, "address is the subnet's network or broadcast address");
		return -EINVAL;
	}
	if (ns_addr_find(nsn, addr)) {
		NL_SET_ERR_MSG(extack, "address already assigned");
		return -EEXIST;
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->link = link;
	a->addr = addr;
	a->prefixlen = prefixlen;
	if (prefixlen < 32) {
		err = ns_route_add(nsn, addr & mask, prefixlen, 0, link, addr,
				   NETSTACK_ROUTE_LINK, NULL);
		if (err && err != -EEXIST) {
			kfree(a);
			NL_SET_ERR_MSG(extack, "cannot add the subnet's route");
			return err;
		}
	}
	list_add_tail_rcu(&a->node, &nsn->addrs);
	ns_addr_announce(link, addr);
	return 0;
}

/* Unpublish and free. RTNL held. */
static void ns_addr_remove(struct ns_net *nsn, struct ns_addr *a)
{
	__be32 mask = inet_make_mask(a->prefixlen), heir = 0;
	struct ns_addr *other;

	list_del_rcu(&a->node);
	/* Another address of its subnet on its link keeps the subnet's route. */
	list_for_each_entry(other, &nsn->addrs, node) {
		if (other->link == a->link && other->prefixlen == a->prefixlen &&
		    !((other->addr ^ a->addr) & mask)) {
			heir = other->addr;
			break;
		}
	}
	ns_route_flush_prefsrc(nsn, a->addr, heir);
	kfree_rcu(a, rcu);
}

/**
 * ns_addr_del() - take an address away from netstack
 * @nsn: the instance
 * @link: the link it is on
 * @addr: the address
 * @prefixlen: its prefix length, as added
 * @extack: where to say why it failed
 *
 * Context: process, RTNL held.
 * Return: 0, or -EADDRNOTAVAIL if there is no such address on @link.
 */
int ns_addr_del(struct ns_net *nsn, struct ns_link *link, __be32 addr,
		u8 prefixlen, struct netlink_ext_ack *extack)
{
	struct ns_addr *a = ns_addr_find(nsn, addr);

	ASSERT_RTNL();
	if (!a || a->link != link || a->prefixlen != prefixlen) {
		NL_SET_ERR_MSG(extack, "no such address on this device");
		return -EADDRNOTAVAIL;
	}
	ns_addr_remove(nsn, a);
	return 0;
}

/**
 * ns_addr_flush_link() - remove every address of a link
 * @nsn: the instance
 * @link: the link, being detached
 *
 * Context: process, RTNL held.
 */
void ns_addr_flush_link(struct ns_net *nsn, struct ns_link *link)
{
	struct ns_addr *a, *tmp;

	list_for_each_entry_safe(a, tmp, &nsn->addrs, node)
		if (a->link == link)
			ns_addr_remove(nsn, a);
}
