// SPDX-License-Identifier: GPL-2.0
/*
 * route.c - the IPv4 routing table of an instance: on-link routes made by
 * addresses, static routes through gateways, the default route, and
 * longest-prefix-match lookup with source address selection.
 *
 * The table is a list kept sorted by prefix length, longest first, so the
 * first match is the longest (tables here hold a handful of routes; a trie
 * can replace the list behind the same calls). Writers hold RTNL; lookups
 * walk it under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <kunit/visibility.h>

#include "netstack.h"

/**
 * ns_route_match() - longest-prefix match in a route list
 * @routes: a list of struct ns_route sorted longest prefix first
 * @daddr: the destination
 *
 * Context: RCU read lock or RTNL held.
 * Return: the matching route with the longest prefix, or NULL.
 */
struct ns_route *ns_route_match(struct list_head *routes, __be32 daddr)
{
	struct ns_route *r;

	list_for_each_entry_rcu(r, routes, node, lockdep_rtnl_is_held())
		if (!((daddr ^ r->dst) & inet_make_mask(r->prefixlen)))
			return r;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ns_route_match);

/**
 * ns_route_lookup() - where to send a packet for @daddr
 * @nsn: the instance
 * @daddr: the destination
 * @nh: filled in: link, next hop, and source address
 *
 * Context: RCU read lock held.
 * Return: 0, or -ENETUNREACH when no route matches.
 */
int ns_route_lookup(struct ns_net *nsn, __be32 daddr, struct ns_nexthop *nh)
{
	struct ns_route *r = ns_route_match(&nsn->routes, daddr);

	if (!r)
		return -ENETUNREACH;
	nh->link = r->link;
	nh->addr = r->gateway ? r->gateway : daddr;
	nh->saddr = READ_ONCE(r->prefsrc);
	if (!nh->saddr)
		nh->saddr = ns_addr_select(nsn, r->link, nh->addr);
	return 0;
}

static bool ns_route_same(const struct ns_route *r, __be32 dst, u8 prefixlen,
			  __be32 gateway, const struct ns_link *link)
{
	return r->dst == dst && r->prefixlen == prefixlen &&
	       (!gateway || r->gateway == gateway) && (!link || r->link == link);
}

/**
 * ns_route_add() - add a route
 * @nsn: the instance
 * @dst: destination prefix
 * @prefixlen: its length, 0..32 (0 with @dst 0 is the default route)
 * @gateway: next hop, or 0 for on-link
 * @link: outgoing link; may be NULL with a gateway, which then must be on
 *	a connected subnet, whose link is used
 * @prefsrc: source address to prefer, or 0
 * @origin: enum netstack_route_origin
 * @extack: where to say why it failed
 *
 * Context: process, RTNL held.
 * Return: 0, -EINVAL for host bits set in @dst or a bad length, -EEXIST
 * for a route to the same prefix, -ENETUNREACH for a gateway that is not
 * on a connected subnet, or -ENOMEM.
 */
int ns_route_add(struct ns_net *nsn, __be32 dst, u8 prefixlen, __be32 gateway,
		 struct ns_link *link, __be32 prefsrc, u8 origin,
		 struct netlink_ext_ack *extack)
{
	struct ns_route *r, *pos;

	ASSERT_RTNL();
	if (prefixlen > 32 || (dst & ~inet_make_mask(prefixlen))) {
		NL_SET_ERR_MSG(extack, "invalid prefix: host bits set");
		return -EINVAL;
	}
	if (!gateway && !link) {
		NL_SET_ERR_MSG(extack, "a route needs a gateway or a device");
		return -EINVAL;
	}
	if (gateway) {
		struct ns_route *via = ns_route_match(&nsn->routes, gateway);

		if (!via || via->gateway || (link && via->link != link)) {
			NL_SET_ERR_MSG(extack, "gateway is not on a connected subnet");
			return -ENETUNREACH;
		}
		link = via->link;
	}
	list_for_each_entry(pos, &nsn->routes, node) {
		if (pos->dst == dst && pos->prefixlen == prefixlen) {
			NL_SET_ERR_MSG(extack, "a route to this prefix exists");
			return -EEXIST;
		}
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->dst = dst;
	r->prefixlen = prefixlen;
	r->gateway = gateway;
	r->prefsrc = prefsrc;
	r->link = link;
	r->origin = origin;
	/* Before the first route with a shorter prefix: longest first. */
	list_for_each_entry(pos, &nsn->routes, node)
		if (pos->prefixlen < prefixlen)
			break;
	list_add_tail_rcu(&r->node, &pos->node);
	return 0;
}

static void ns_route_remove(struct ns_route *r)
{
	list_del_rcu(&r->node);
	kfree_rcu(r, rcu);
}

/**
 * ns_route_del() - remove a route
 * @nsn: the instance
 * @dst: destination prefix
 * @prefixlen: its length
 * @gateway: its gateway, or 0 to match any
 * @link: its link, or NULL to match any
 * @extack: where to say why it failed
 *
 * Context: process, RTNL held.
 * Return: 0, or -ESRCH when no route matches.
 */
int ns_route_del(struct ns_net *nsn, __be32 dst, u8 prefixlen, __be32 gateway,
		 struct ns_link *link, struct netlink_ext_ack *extack)
{
	struct ns_route *r;

	ASSERT_RTNL();
	list_for_each_entry(r, &nsn->routes, node) {
		if (ns_route_same(r, dst, prefixlen, gateway, link)) {
			ns_route_remove(r);
			return 0;
		}
	}
	NL_SET_ERR_MSG(extack, "no such route");
	return -ESRCH;
}

/**
 * ns_route_flush_link() - remove every route through a link
 * @nsn: the instance
 * @link: the link, being detached
 *
 * Context: process, RTNL held.
 */
void ns_route_flush_link(struct ns_net *nsn, struct ns_link *link)
{
	struct ns_route *r, *tmp;

	list_for_each_entry_safe(r, tmp, &nsn->routes, node)
		if (r->link == link)
			ns_route_remove(r);
}

/**
 * ns_route_flush_prefsrc() - remove the routes an address brought
 * @nsn: the instance
 * @prefsrc: the address, being removed
 * @heir: another address of the same subnet on the same link that takes
 *	over its on-link route, or 0
 *
 * Static routes through gateways that are no longer on a connected subnet
 * go too.
 *
 * Context: process, RTNL held.
 */
void ns_route_flush_prefsrc(struct ns_net *nsn, __be32 prefsrc, __be32 heir)
{
	struct ns_route *r, *tmp, *via;

	list_for_each_entry_safe(r, tmp, &nsn->routes, node) {
		if (r->prefsrc != prefsrc || r->origin != NETSTACK_ROUTE_LINK)
			continue;
		if (heir)
			WRITE_ONCE(r->prefsrc, heir);
		else
			ns_route_remove(r);
	}
	list_for_each_entry_safe(r, tmp, &nsn->routes, node) {
		if (!r->gateway)
			continue;
		via = ns_route_match(&nsn->routes, r->gateway);
		if (!via || via->gateway || via->link != r->link)
			ns_route_remove(r);
	}
}
