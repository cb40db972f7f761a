// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "netstack" generic netlink family: configuration of the
 * instance of the caller's network namespace (links, addresses, routes,
 * neighbours) and dumps of it, of the counters and of the sockets. The ABI
 * is documented in uapi/linux/netstack.h.
 *
 * Changes need CAP_NET_ADMIN in the namespace's user namespace
 * (GENL_UNS_ADMIN_PERM) and run under RTNL; each is one call into the
 * layer that owns the object, which applies all of it or nothing. Dumps
 * need no capability and run under RTNL too (the neighbours under RCU, the
 * sockets under their port table's lock), one object per message,
 * resuming where cb->args say the last part stopped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netstack.h"
#include "tcp.h"

static struct genl_family ns_genl_family;

static const struct nla_policy ns_genl_policy[NETSTACK_A_MAX + 1] = {
	[NETSTACK_A_IFINDEX] = { .type = NLA_U32 },
	[NETSTACK_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[NETSTACK_A_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[NETSTACK_A_MTU] = { .type = NLA_U32 },
	[NETSTACK_A_LINK_UP] = { .type = NLA_U8 },
	[NETSTACK_A_ADDR] = { .type = NLA_BE32 },
	[NETSTACK_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[NETSTACK_A_DST] = { .type = NLA_BE32 },
	[NETSTACK_A_GATEWAY] = { .type = NLA_BE32 },
	[NETSTACK_A_PREFSRC] = { .type = NLA_BE32 },
	[NETSTACK_A_ROUTE_ORIGIN] = { .type = NLA_U8 },
	[NETSTACK_A_NEIGH_STATE] = { .type = NLA_U8 },
	[NETSTACK_A_STAT] = { .type = NLA_NESTED },
	[NETSTACK_A_STAT_NAME] = { .type = NLA_NUL_STRING },
	[NETSTACK_A_STAT_VALUE] = { .type = NLA_U64 },
	[NETSTACK_A_SOCK_PROTO] = { .type = NLA_U8 },
	[NETSTACK_A_SOCK_STATE] = { .type = NLA_U8 },
	[NETSTACK_A_SOCK_LADDR] = { .type = NLA_BE32 },
	[NETSTACK_A_SOCK_LPORT] = { .type = NLA_U16 },
	[NETSTACK_A_SOCK_RADDR] = { .type = NLA_BE32 },
	[NETSTACK_A_SOCK_RPORT] = { .type = NLA_U16 },
	[NETSTACK_A_SOCK_RXQ] = { .type = NLA_U32 },
	[NETSTACK_A_SOCK_TXQ] = { .type = NLA_U32 },
	[NETSTACK_A_SOCK_DROPS] = { .type = NLA_U32 },
};

static struct ns_net *ns_genl_nsn(struct genl_info *info)
{
	return ns_net(genl_info_net(info));
}

/* The attached link named by NETSTACK_A_IFINDEX. RTNL held. */
static struct ns_link *ns_genl_link(struct genl_info *info, bool required,
				    int *err)
{
	struct net_device *dev;
	struct ns_link *link;

	*err = 0;
	if (!info->attrs[NETSTACK_A_IFINDEX]) {
		if (required) {
			NL_SET_ERR_MSG(info->extack, "a device is required");
			*err = -EINVAL;
		}
		return NULL;
	}
	dev = __dev_get_by_index(genl_info_net(info),
				 nla_get_u32(info->attrs[NETSTACK_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NETSTACK_A_IFINDEX],
				    "no such device");
		*err = -ENODEV;
		return NULL;
	}
	link = ns_link_from_dev(dev);
	if (!link) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NETSTACK_A_IFINDEX],
				    "device is not attached to netstack");
		*err = -ENODEV;
	}
	return link;
}

/* 0 if the request has @attr, else -EINVAL with @msg (a string literal). */
#define NS_GENL_REQUIRE(info, attr, msg)					\
	({									\
		struct genl_info *info_ = (info);				\
		int err_ = 0;							\
		if (!info_->attrs[attr]) {					\
			NL_SET_ERR_MSG(info_->extack, msg);			\
			err_ = -EINVAL;						\
		}								\
		err_;								\
	})

static int ns_genl_link_change(struct sk_buff *skb, struct genl_info *info)
{
	struct ns_net *nsn = ns_genl_nsn(info);
	struct net_device *dev;
	int err;

	err = NS_GENL_REQUIRE(info, NETSTACK_A_IFINDEX, "a device is required");
	if (err)
		return err;
	rtnl_lock();
	dev = __dev_get_by_index(genl_info_net(info),
				 nla_get_u32(info->attrs[NETSTACK_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG(info->extack, "no such device");
		err = -ENODEV;
	} else if (info->genlhdr->cmd == NETSTACK_CMD_LINK_ATTACH) {
		err = ns_link_attach(nsn, dev, info->extack);
	} else {
		err = ns_link_detach(nsn, dev, info->extack);
	}
	rtnl_unlock();
	return err;
}

static int ns_genl_addr_change(struct sk_buff *skb, struct genl_info *info)
{
	struct ns_net *nsn = ns_genl_nsn(info);
	struct ns_link *link;
	__be32 addr;
	u8 plen;
	int err;

	err = NS_GENL_REQUIRE(info, NETSTACK_A_ADDR, "an address is required") ?:
	      NS_GENL_REQUIRE(info, NETSTACK_A_PREFIXLEN, "a prefix length is required");
	if (err)
		return err;
	addr = nla_get_be32(info->attrs[NETSTACK_A_ADDR]);
	plen = nla_get_u8(info->attrs[NETSTACK_A_PREFIXLEN]);
	rtnl_lock();
	link = ns_genl_link(info, true, &err);
	if (link) {
		if (info->genlhdr->cmd == NETSTACK_CMD_ADDR_ADD)
			err = ns_addr_add(nsn, link, addr, plen, info->extack);
		else
			err = ns_addr_del(nsn, link, addr, plen, info->extack);
	}
	rtnl_unlock();
	return err;
}

static int ns_genl_route_change(struct sk_buff *skb, struct genl_info *info)
{
	struct ns_net *nsn = ns_genl_nsn(info);
	struct ns_link *link;
	__be32 dst, gw = 0;
	u8 plen;
	int err;

	err = NS_GENL_REQUIRE(info, NETSTACK_A_DST, "a destination is required") ?:
	      NS_GENL_REQUIRE(info, NETSTACK_A_PREFIXLEN, "a prefix length is required");
	if (err)
		return err;
	dst = nla_get_be32(info->attrs[NETSTACK_A_DST]);
	plen = nla_get_u8(info->attrs[NETSTACK_A_PREFIXLEN]);
	if (info->attrs[NETSTACK_A_GATEWAY])
		gw = nla_get_be32(info->attrs[NETSTACK_A_GATEWAY]);
	rtnl_lock();
	link = ns_genl_link(info, false, &err);
	if (!err) {
		if (info->genlhdr->cmd == NETSTACK_CMD_ROUTE_ADD)
			err = ns_route_add(nsn, dst, plen, gw, link, 0,
					   NETSTACK_ROUTE_STATIC, info->extack);
		else
			err = ns_route_del(nsn, dst, plen, gw, link, info->extack);
	}
	rtnl_unlock();
	return err;
}

static int ns_genl_neigh_change(struct sk_buff *skb, struct genl_info *info)
{
	struct ns_net *nsn = ns_genl_nsn(info);
	u8 cmd = info->genlhdr->cmd;
	struct ns_link *link;
	__be32 addr = 0;
	int err;

	if (cmd != NETSTACK_CMD_NEIGH_FLUSH) {
		err = NS_GENL_REQUIRE(info, NETSTACK_A_ADDR, "an address is required");
		if (err)
			return err;
		addr = nla_get_be32(info->attrs[NETSTACK_A_ADDR]);
	}
	if (cmd == NETSTACK_CMD_NEIGH_ADD) {
		err = NS_GENL_REQUIRE(info, NETSTACK_A_LLADDR, "a link-layer address is required");
		if (err)
			return err;
		if (!is_valid_ether_addr(nla_data(info->attrs[NETSTACK_A_LLADDR]))) {
			NL_SET_ERR_MSG(info->extack, "invalid link-layer address");
			return -EINVAL;
		}
	}
	rtnl_lock();
	link = ns_genl_link(info, cmd == NETSTACK_CMD_NEIGH_ADD, &err);
	if (!err) {
		if (cmd == NETSTACK_CMD_NEIGH_ADD) {
			err = ns_neigh_add_static(nsn, link, addr,
						  nla_data(info->attrs[NETSTACK_A_LLADDR]));
		} else if (cmd == NETSTACK_CMD_NEIGH_DEL) {
			err = ns_neigh_del(nsn, link, addr);
			if (err)
				NL_SET_ERR_MSG(info->extack, "no such neighbour entry");
		} else {
			ns_neigh_flush(nsn, link, false);
		}
	}
	rtnl_unlock();
	return err;
}

/* Start a dump message; NULL when the skb is full. */
static void *ns_genl_dump_start(struct sk_buff *skb, struct netlink_callback *cb)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &ns_genl_family, NLM_F_MULTI,
			   ((struct genlmsghdr *)nlmsg_data(cb->nlh))->cmd);
}

static int ns_genl_put_dev(struct sk_buff *skb, const struct ns_link *link)
{
	return nla_put_u32(skb, NETSTACK_A_IFINDEX, link->dev->ifindex) ?:
	       nla_put_string(skb, NETSTACK_A_IFNAME, link->dev->name);
}

static int ns_genl_fill_link(struct sk_buff *skb, void *obj)
{
	struct ns_link *link = obj;

	return ns_genl_put_dev(skb, link) ?:
	       nla_put(skb, NETSTACK_A_LLADDR, ETH_ALEN, link->dev->dev_addr) ?:
	       nla_put_u32(skb, NETSTACK_A_MTU, link->dev->mtu) ?:
	       nla_put_u8(skb, NETSTACK_A_LINK_UP, ns_link_usable(link));
}

static int ns_genl_fill_addr(struct sk_buff *skb, void *obj)
{
	struct ns_addr *a = obj;

	return ns_genl_put_dev(skb, a->link) ?:
	       nla_put_be32(skb, NETSTACK_A_ADDR, a->addr) ?:
	       nla_put_u8(skb, NETSTACK_A_PREFIXLEN, a->prefixlen);
}

static int ns_genl_fill_route(struct sk_buff *skb, void *obj)
{
	struct ns_route *r = obj;

	return ns_genl_put_dev(skb, r->link) ?:
	       nla_put_be32(skb, NETSTACK_A_DST, r->dst) ?:
	       nla_put_u8(skb, NETSTACK_A_PREFIXLEN, r->prefixlen) ?:
	       (r->gateway ? nla_put_be32(skb, NETSTACK_A_GATEWAY, r->gateway) : 0) ?:
	       (r->prefsrc ? nla_put_be32(skb, NETSTACK_A_PREFSRC, r->prefsrc) : 0) ?:
	       nla_put_u8(skb, NETSTACK_A_ROUTE_ORIGIN, r->origin);
}

static int ns_genl_fill_neigh(struct sk_buff *skb, void *obj)
{
	struct ns_neigh *n = obj;
	u8 lladdr[ETH_ALEN];
	u8 state;

	spin_lock_bh(&n->lock);
	state = n->fsm.state;
	ether_addr_copy(lladdr, n->lladdr);
	spin_unlock_bh(&n->lock);
	return ns_genl_put_dev(skb, n->link) ?:
	       nla_put_be32(skb, NETSTACK_A_ADDR, n->addr) ?:
	       (state != NETSTACK_NEIGH_INCOMPLETE && state != NETSTACK_NEIGH_FAILED ?
		nla_put(skb, NETSTACK_A_LLADDR, ETH_ALEN, lladdr) : 0) ?:
	       nla_put_u8(skb, NETSTACK_A_NEIGH_STATE, state);
}

/* Put one object as a dump message. Returns false when the skb is full. */
static bool ns_genl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			     int (*fill)(struct sk_buff *, void *), void *obj)
{
	void *hdr = ns_genl_dump_start(skb, cb);

	if (!hdr)
		return false;
	if (fill(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return false;
	}
	genlmsg_end(skb, hdr);
	return true;
}

/*
 * Dump the objects of a list, from index cb->args[0] on; @node_offset is
 * where each object's list_head sits in it.
 */
static void ns_genl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			      struct list_head *head, size_t node_offset,
			      int (*fill)(struct sk_buff *, void *))
{
	struct list_head *pos;
	long idx = 0;

	list_for_each(pos, head) {
		if (idx++ < cb->args[0])
			continue;
		if (!ns_genl_dump_one(skb, cb, fill, (void *)pos - node_offset)) {
			idx--;
			break;
		}
	}
	cb->args[0] = idx;
}

static int ns_genl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ns_net *nsn = ns_net(sock_net(skb->sk));

	rtnl_lock();
	ns_genl_dump_list(skb, cb, &nsn->links, offsetof(struct ns_link, node),
			  ns_genl_fill_link);
	rtnl_unlock();
	return skb->len;
}

static int ns_genl_addr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ns_net *nsn = ns_net(sock_net(skb->sk));

	rtnl_lock();
	ns_genl_dump_list(skb, cb, &nsn->addrs, offsetof(struct ns_addr, node),
			  ns_genl_fill_addr);
	rtnl_unlock();
	return skb->len;
}

static int ns_genl_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ns_net *nsn = ns_net(sock_net(skb->sk));

	rtnl_lock();
	ns_genl_dump_list(skb, cb, &nsn->routes, offsetof(struct ns_route, node),
			  ns_genl_fill_route);
	rtnl_unlock();
	return skb->len;
}

static int ns_genl_neigh_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ns_net *nsn = ns_net(sock_net(skb->sk));
	struct ns_neigh *n;
	long idx = 0;
	int i;

	rcu_read_lock();
	for (i = 0; i < NS_NEIGH_BUCKETS; i++) {
		hlist_for_each_entry_rcu(n, &nsn->neigh.buckets[i], node) {
			if (idx++ < cb->args[0])
				continue;
			if (!ns_genl_dump_one(skb, cb, ns_genl_fill_neigh, n)) {
				idx--;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int ns_genl_fill_stats(struct sk_buff *skb, void *obj)
{
	const struct ns_net *nsn = obj;
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < ns_stats_count(); i++) {
		nest = nla_nest_start(skb, NETSTACK_A_STAT);
		if (!nest ||
		    nla_put_string(skb, NETSTACK_A_STAT_NAME, ns_stats_name(i)) ||
		    nla_put_u64_64bit(skb, NETSTACK_A_STAT_VALUE,
				      ns_stats_value(nsn, i), NETSTACK_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* All counters in one message (they fit in a dump skb). */
static int ns_genl_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ns_net *nsn = ns_net(sock_net(skb->sk));

	if (cb->args[0])
		return 0;
	if (!ns_genl_dump_one(skb, cb, ns_genl_fill_stats, nsn))
		return -EMSGSIZE;
	cb->args[0] = 1;
	return skb->len;
}

/*
 * The tables a socket dump walks, in this order: each transport's port
 * table, which holds every socket of it that has a local port (a TCP
 * connection shares its listener's port, and keeps its own until it is
 * over, TIME-WAIT included).
 */
static const struct {
	u8 proto;
	size_t offset;		/* of the struct ns_port_table in struct ns_net */
} ns_genl_sock_tables[] = {
	{ IPPROTO_TCP, offsetof(struct ns_net, tcp_ports) },
	{ IPPROTO_UDP, offsetof(struct ns_net, udp_ports) },
};

/* What a socket dump entry is filled from. */
struct ns_genl_sock {
	const struct sock *sk;
	u8 proto;
};

/* The port table's lock held: its sockets' ports and addresses are stable. */
static int ns_genl_fill_sock(struct sk_buff *skb, void *obj)
{
	const struct ns_genl_sock *s = obj;
	const struct sock *sk = s->sk;
	__be32 laddr = sk->sk_rcv_saddr;
	u32 rxq = sk_rmem_alloc_get(sk), txq = sk_wmem_alloc_get(sk);

	/* TCP, as ss shows it: bytes unread and unacknowledged, or a
	 * listener's accept queue and backlog.
	 */
	if (s->proto == IPPROTO_TCP) {
		const struct ns_tcp_sock *tp = ns_tcp_sk(sk);

		if (READ_ONCE(sk->sk_state) == TCP_LISTEN) {
			rxq = READ_ONCE(sk->sk_ack_backlog);
			txq = READ_ONCE(sk->sk_max_ack_backlog);
		} else {
			rxq = ns_tcp_readable(sk);
			txq = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
			if ((1 << READ_ONCE(sk->sk_state)) &
			    (TCPF_CLOSE | TCPF_SYN_SENT | TCPF_SYN_RECV))
				txq = 0;
		}
	}

	/* Bound to the wildcard: the source address a connect chose, if any. */
	if (!laddr)
		laddr = READ_ONCE(ns_sk(sk)->saddr);
	return nla_put_u8(skb, NETSTACK_A_SOCK_PROTO, s->proto) ?:
	       nla_put_u8(skb, NETSTACK_A_SOCK_STATE, READ_ONCE(sk->sk_state)) ?:
	       nla_put_be32(skb, NETSTACK_A_SOCK_LADDR, laddr) ?:
	       nla_put_u16(skb, NETSTACK_A_SOCK_LPORT, sk->sk_num) ?:
	       nla_put_be32(skb, NETSTACK_A_SOCK_RADDR, sk->sk_daddr) ?:
	       nla_put_u16(skb, NETSTACK_A_SOCK_RPORT, ntohs(sk->sk_dport)) ?:
	       nla_put_u32(skb, NETSTACK_A_SOCK_RXQ, rxq) ?:
	       nla_put_u32(skb, NETSTACK_A_SOCK_TXQ, txq) ?:
	       nla_put_u32(skb, NETSTACK_A_SOCK_DROPS, atomic_read(&sk->sk_drops));
}

/*
 * Dump one port table's sockets, from chain cb->args[1], skipping the
 * first cb->args[2] sockets of that chain; false when the skb filled up
 * (cb->args then say where to go on).
 */
static bool ns_genl_sock_dump_table(struct sk_buff *skb, struct netlink_callback *cb,
				    struct ns_port_table *table, u8 proto)
{
	struct ns_genl_sock s = { .proto = proto };
	unsigned long chain;
	bool more = true;
	struct sock *sk;
	long idx;

	spin_lock_bh(&table->lock);
	for (chain = cb->args[1]; chain < ARRAY_SIZE(table->chains); chain++) {
		idx = 0;
		sk_for_each_bound(sk, &table->chains[chain]) {
			if (idx++ < cb->args[2])
				continue;
			s.sk = sk;
			if (!ns_genl_dump_one(skb, cb, ns_genl_fill_sock, &s)) {
				cb->args[2] = idx - 1;
				more = false;
				goto out;
			}
		}
		cb->args[2] = 0;
	}
out:
	cb->args[1] = chain;
	spin_unlock_bh(&table->lock);
	return more;
}

/*
 * The sockets of every table in turn: cb->args[0] is the table, [1] the
 * chain in it and [2] the sockets of that chain already dumped. (Sockets
 * bound or closed between two parts may be missed or shown twice, as
 * with the other dumps.)
 */
static int ns_genl_sock_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ns_net *nsn = ns_net(sock_net(skb->sk));

	for (; cb->args[0] < ARRAY_SIZE(ns_genl_sock_tables); cb->args[0]++) {
		if (!ns_genl_sock_dump_table(skb, cb, (void *)nsn +
					     ns_genl_sock_tables[cb->args[0]].offset,
					     ns_genl_sock_tables[cb->args[0]].proto))
			break;
		cb->args[1] = 0;
		cb->args[2] = 0;
	}
	return skb->len;
}

static const struct genl_small_ops ns_genl_ops[] = {
	{ .cmd = NETSTACK_CMD_LINK_ATTACH, .doit = ns_genl_link_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_LINK_DETACH, .doit = ns_genl_link_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_LINK_GET, .dumpit = ns_genl_link_dump },
	{ .cmd = NETSTACK_CMD_ADDR_ADD, .doit = ns_genl_addr_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_ADDR_DEL, .doit = ns_genl_addr_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_ADDR_GET, .dumpit = ns_genl_addr_dump },
	{ .cmd = NETSTACK_CMD_ROUTE_ADD, .doit = ns_genl_route_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_ROUTE_DEL, .doit = ns_genl_route_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_ROUTE_GET, .dumpit = ns_genl_route_dump },
	{ .cmd = NETSTACK_CMD_NEIGH_ADD, .doit = ns_genl_neigh_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_NEIGH_DEL, .doit = ns_genl_neigh_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_NEIGH_FLUSH, .doit = ns_genl_neigh_change,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NETSTACK_CMD_NEIGH_GET, .dumpit = ns_genl_neigh_dump },
	{ .cmd = NETSTACK_CMD_STATS_GET, .dumpit = ns_genl_stats_dump },
	{ .cmd = NETSTACK_CMD_SOCK_GET, .dumpit = ns_genl_sock_dump },
};

static struct genl_family ns_genl_family __ro_after_init = {
	.name = NETSTACK_GENL_NAME,
	.version = NETSTACK_GENL_VERSION,
	.maxattr = NETSTACK_A_MAX,
	.policy = ns_genl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = ns_genl_ops,
	.n_small_ops = ARRAY_SIZE(ns_genl_ops),
	.resv_start_op = NETSTACK_CMD_STATS_GET + 1,
};

/**
 * ns_netlink_register() - offer the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int ns_netlink_register(void)
{
	return genl_register_family(&ns_genl_family);
}

/**
 * ns_netlink_unregister() - withdraw the generic netlink family
 */
void ns_netlink_unregister(void)
{
	genl_unregister_family(&ns_genl_family);
}
