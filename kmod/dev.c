// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - links: attaching netstack to Ethernet netdevs, receiving their
 * frames through an rx_handler, transmitting with dev_queue_xmit(), and
 * following the device through up/down, address and MTU changes and
 * unregistration.
 *
 * Receive policy: ARP and IPv4 frames addressed to the device's own
 * Ethernet address, and broadcast ARP and IPv4, are netstack's (consumed);
 * everything else is passed to Linux unchanged.
 *
 * Lifetime of a link: created by ns_link_attach() under RTNL, published on
 * ns_net.links and as the device's rx_handler_data. ns_link_detach(), under
 * RTNL, unhooks it in this order: off the list, its addresses and routes
 * removed, rx_handler unregistered (which waits for packets in flight),
 * its neighbours removed (timers stopped, queues dropped), a grace period
 * for their readers, then the device reference dropped and the link freed
 * after another grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "netstack.h"

static rx_handler_result_t ns_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct ns_link *link = rcu_dereference(skb->dev->rx_handler_data);
	struct ns_net *nsn = link->nsn;
	__be16 proto = skb->protocol;

	if (proto != htons(ETH_P_ARP) && proto != htons(ETH_P_IP))
		goto pass;
	if (skb->pkt_type != PACKET_HOST && skb->pkt_type != PACKET_BROADCAST)
		goto pass;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	ns_stat_inc(nsn, NS_STAT_LINK_RX);
	if (proto == htons(ETH_P_ARP))
		ns_arp_rcv(link, skb);
	else
		ns_ipv4_rcv(link, skb);
	return RX_HANDLER_CONSUMED;

pass:
	ns_stat_inc(nsn, NS_STAT_LINK_RX_PASSED);
	return RX_HANDLER_PASS;
}

/**
 * ns_link_from_dev() - the link of a device netstack is attached to
 * @dev: the device
 *
 * Context: RTNL or RCU read lock held.
 * Return: the link, or NULL if netstack is not attached to @dev.
 */
struct ns_link *ns_link_from_dev(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != ns_rx_handler)
		return NULL;
	return rcu_dereference_rtnl(dev->rx_handler_data);
}

/**
 * ns_link_usable() - whether a link can carry packets now
 * @link: the link
 *
 * Return: true when its device is up and has carrier.
 */
bool ns_link_usable(const struct ns_link *link)
{
	return netif_running(link->dev) && netif_carrier_ok(link->dev);
}

/**
 * ns_link_xmit() - send a frame on a link
 * @link: the link
 * @skb: the packet, network header at skb->data; consumed
 * @dst_mac: the destination Ethernet address
 * @proto: the EtherType, network order
 *
 * A device that is down swallows the packet (counted). Context: any.
 */
void ns_link_xmit(struct ns_link *link, struct sk_buff *skb, const u8 *dst_mac,
		  __be16 proto)
{
	struct net_device *dev = link->dev;
	struct ns_net *nsn = link->nsn;
	int err;

	if (!netif_running(dev)) {
		ns_stat_inc(nsn, NS_STAT_LINK_TX_DROP_DOWN);
		kfree_skb(skb);
		return;
	}
	skb->dev = dev;
	skb->protocol = proto;
	skb_reset_network_header(skb);
	if (dev_hard_header(skb, dev, ntohs(proto), dst_mac, dev->dev_addr,
			    skb->len) < 0) {
		ns_stat_inc(nsn, NS_STAT_LINK_TX_ERRORS);
		kfree_skb(skb);
		return;
	}
	err = dev_queue_xmit(skb);
	ns_stat_inc(nsn, err == NET_XMIT_SUCCESS ? NS_STAT_LINK_TX :
						  NS_STAT_LINK_TX_ERRORS);
}

/**
 * ns_link_attach() - attach netstack to a device
 * @nsn: the instance of the device's namespace
 * @dev: the device
 * @extack: where to say why it failed
 *
 * Context: process, RTNL held.
 * Return: 0, -EOPNOTSUPP for a device that is not Ethernet, -EEXIST if
 * attached already, -EBUSY if another rx_handler (bridge, bond, ...) has
 * it, or -ENOMEM.
 */
int ns_link_attach(struct ns_net *nsn, struct net_device *dev,
		   struct netlink_ext_ack *extack)
{
	struct ns_link *link;
	int err;

	ASSERT_RTNL();
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    (dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack, "only Ethernet devices can be attached");
		return -EOPNOTSUPP;
	}
	if (ns_link_from_dev(dev)) {
		NL_SET_ERR_MSG(extack, "device is already attached to netstack");
		return -EEXIST;
	}
	if (netdev_is_rx_handler_busy(dev)) {
		NL_SET_ERR_MSG(extack,
			       "device already has an rx_handler (bridge port, bond or team member, macvlan lower, ...)");
		return -EBUSY;
	}
	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->dev = dev;
	link->nsn = nsn;
	netdev_hold(dev, &link->dev_tracker, GFP_KERNEL);
	err = netdev_rx_handler_register(dev, ns_rx_handler, link);
	if (err) {
		netdev_put(dev, &link->dev_tracker);
		kfree(link);
		NL_SET_ERR_MSG(extack, "device's rx_handler is taken");
		return err;
	}
	list_add_tail_rcu(&link->node, &nsn->links);
	return 0;
}

static void ns_link_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ns_link, rcu));
}

/* The teardown order of the file comment. RTNL held. */
static void ns_link_destroy(struct ns_net *nsn, struct ns_link *link)
{
	list_del_rcu(&link->node);
	ns_addr_flush_link(nsn, link);
	ns_route_flush_link(nsn, link);
	/*
	 * Waits for receivers and senders that may still use this link
	 * (synchronize_net); after it no new neighbour entry can appear.
	 */
	netdev_rx_handler_unregister(link->dev);
	ns_neigh_flush(nsn, link, true);
	/* Readers of the flushed entries (/proc) may still look at the device. */
	synchronize_net();
	netdev_put(link->dev, &link->dev_tracker);
	call_rcu(&link->rcu, ns_link_free_rcu);
}

/**
 * ns_link_detach() - detach netstack from a device
 * @nsn: the instance
 * @dev: the device
 * @extack: where to say why it failed
 *
 * Its addresses, their routes, routes through it and its neighbours go.
 *
 * Context: process, RTNL held.
 * Return: 0, or -ENODEV if netstack is not attached to @dev.
 */
int ns_link_detach(struct ns_net *nsn, struct net_device *dev,
		   struct netlink_ext_ack *extack)
{
	struct ns_link *link = ns_link_from_dev(dev);

	ASSERT_RTNL();
	if (!link || link->nsn != nsn) {
		NL_SET_ERR_MSG(extack, "device is not attached to netstack");
		return -ENODEV;
	}
	ns_link_destroy(nsn, link);
	return 0;
}

/**
 * ns_link_detach_all() - detach every link of an instance
 * @nsn: the instance, whose namespace is going away
 *
 * Context: process; takes RTNL.
 */
void ns_link_detach_all(struct ns_net *nsn)
{
	struct ns_link *link, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(link, tmp, &nsn->links, node)
		ns_link_destroy(nsn, link);
	rtnl_unlock();
}

static int ns_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ns_link *link = ns_link_from_dev(dev);

	if (!link)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UNREGISTER:
		/* Also sent when the device leaves for another namespace. */
		ns_link_destroy(link->nsn, link);
		break;
	case NETDEV_DOWN:
		/* What was learned may be wrong when it comes back. */
		ns_neigh_flush(link->nsn, link, false);
		break;
	case NETDEV_UP:
	case NETDEV_CHANGEADDR:
		ns_addr_announce_link(link->nsn, link);
		break;
	}
	/* MTU changes need nothing: the MTU is read per packet. */
	return NOTIFY_DONE;
}

static struct notifier_block ns_netdev_notifier = {
	.notifier_call = ns_netdev_event,
};

/**
 * ns_dev_register() - follow device events
 *
 * Return: 0 or a negative errno.
 */
int ns_dev_register(void)
{
	return register_netdevice_notifier(&ns_netdev_notifier);
}

/**
 * ns_dev_unregister() - stop following device events
 */
void ns_dev_unregister(void)
{
	unregister_netdevice_notifier(&ns_netdev_notifier);
}
