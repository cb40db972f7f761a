// SPDX-License-Identifier: GPL-2.0
/*
 * ipv4.c - IPv4 (RFC 791, RFC 1122): checking and accepting received
 * packets, handing them to ICMP, UDP and TCP, and sending
 * packets: header, route, fragmentation, neighbour resolution, or local
 * delivery when the destination is one of our own addresses.
 *
 * Local delivery (the seed's HandleLocal) never touches a wire: packets go
 * on ns_net.local_queue, bounded by NS_LOCAL_QUEUE_LEN, and local_work
 * receives them in process context with BHs off, as if they had arrived.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <net/ip.h>
#include <kunit/visibility.h>

#include "ipv4.h"
#include "netstack.h"

enum {
	NS_IP_TTL = 64,
	NS_LOCAL_QUEUE_LEN = 1000,
};

static const enum ns_stat ns_ipv4_check_stat[] = {
	[NS_IPV4_TRUNCATED] = NS_STAT_IP_RX_DROP_TRUNCATED,
	[NS_IPV4_BAD_VERSION] = NS_STAT_IP_RX_DROP_VERSION,
	[NS_IPV4_BAD_IHL] = NS_STAT_IP_RX_DROP_IHL,
	[NS_IPV4_BAD_LENGTH] = NS_STAT_IP_RX_DROP_LENGTH,
	[NS_IPV4_BAD_CHECKSUM] = NS_STAT_IP_RX_DROP_CHECKSUM,
	[NS_IPV4_BAD_OPTIONS] = NS_STAT_IP_RX_DROP_OPTIONS,
	[NS_IPV4_BAD_SOURCE] = NS_STAT_IP_RX_DROP_SOURCE,
};

/* Options are skipped, but each must fit in the header. */
static bool ns_ipv4_options_fit(const u8 *opt, unsigned int len)
{
	unsigned int i = 0;

	while (i < len) {
		if (opt[i] == IPOPT_END)
			return true;
		if (opt[i] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || opt[i + 1] > len - i)
			return false;
		i += opt[i + 1];
	}
	return true;
}

/**
 * ns_ipv4_check_header() - check a received IPv4 header
 * @hdr: the header's first byte
 * @avail: bytes readable at @hdr (at least the header, or all of the frame)
 * @frame_len: bytes in the frame from @hdr on
 *
 * Return: NS_IPV4_VALID, or what is wrong with it.
 */
enum ns_ipv4_check ns_ipv4_check_header(const void *hdr, unsigned int avail,
					unsigned int frame_len)
{
	const struct iphdr *iph = hdr;
	unsigned int hlen, tot_len;

	if (frame_len < sizeof(*iph) || avail < sizeof(*iph))
		return NS_IPV4_TRUNCATED;
	if (iph->version != 4)
		return NS_IPV4_BAD_VERSION;
	hlen = iph->ihl * 4;
	if (iph->ihl < 5 || hlen > frame_len)
		return NS_IPV4_BAD_IHL;
	if (hlen > avail)
		return NS_IPV4_TRUNCATED;
	tot_len = ntohs(iph->tot_len);
	if (tot_len < hlen || tot_len > frame_len)
		return NS_IPV4_BAD_LENGTH;
	if (ip_fast_csum(iph, iph->ihl))
		return NS_IPV4_BAD_CHECKSUM;
	if (!ns_ipv4_options_fit((const u8 *)(iph + 1), hlen - sizeof(*iph)))
		return NS_IPV4_BAD_OPTIONS;
	/* Sources no reply could go to (RFC 1122 3.2.1.3): 0/8 included. */
	if (!(iph->saddr & htonl(0xff000000)) || ipv4_is_multicast(iph->saddr) ||
	    ipv4_is_lbcast(iph->saddr) || ipv4_is_loopback(iph->saddr))
		return NS_IPV4_BAD_SOURCE;
	return NS_IPV4_VALID;
}
EXPORT_SYMBOL_IF_KUNIT(ns_ipv4_check_header);

/*
 * Hand a packet addressed to us to its transport. skb->data and the
 * network header are at the IPv4 header. Context: BHs off, RCU held.
 */
static void ns_ipv4_deliver(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	__skb_pull(skb, iph->ihl * 4);
	skb_reset_transport_header(skb);
	ns_stat_inc(nsn, NS_STAT_IP_RX_DELIVERED);
	switch (iph->protocol) {
	case IPPROTO_ICMP:
		ns_icmp_rcv(nsn, skb);
		return;
	case IPPROTO_UDP:
		ns_udp_rcv(nsn, skb);
		return;
	case IPPROTO_TCP:
		ns_tcp_rcv(nsn, skb);
		return;
	default:
		ns_stat_inc(nsn, NS_STAT_IP_RX_DROP_NO_PROTOCOL);
		ns_icmp_send_unreach(nsn, skb, ICMP_PROT_UNREACH);
		break;
	}
	kfree_skb(skb);
}

/**
 * ns_ipv4_rcv() - handle a received IPv4 frame
 * @link: the link it came in on
 * @skb: the frame, IPv4 header at skb->data; consumed
 *
 * Context: softirq, RCU read lock held.
 */
void ns_ipv4_rcv(struct ns_link *link, struct sk_buff *skb)
{
	struct ns_net *nsn = link->nsn;
	enum ns_ipv4_check verdict;
	const struct iphdr *iph;

	ns_stat_inc(nsn, NS_STAT_IP_RX);
	if (!pskb_may_pull(skb, sizeof(*iph))) {
		verdict = NS_IPV4_TRUNCATED;
		goto bad;
	}
	iph = (const struct iphdr *)skb->data;
	if (iph->ihl > 5 && iph->ihl * 4 <= skb->len &&
	    !pskb_may_pull(skb, iph->ihl * 4)) {
		verdict = NS_IPV4_TRUNCATED;
		goto bad;
	}
	iph = (const struct iphdr *)skb->data;
	verdict = ns_ipv4_check_header(iph, skb_headlen(skb), skb->len);
	if (verdict != NS_IPV4_VALID)
		goto bad;
	/* Ethernet may have padded a short packet: drop what lies past it. */
	if (pskb_trim_rcsum(skb, ntohs(iph->tot_len))) {
		verdict = NS_IPV4_TRUNCATED;
		goto bad;
	}
	iph = (const struct iphdr *)skb->data;
	skb_reset_network_header(skb);

	/*
	 * A subnet's broadcast address is no sender either, and one of our
	 * own addresses cannot come from the wire (Linux's martian source).
	 */
	if (ns_addr_is_broadcast(nsn, link, iph->saddr) ||
	    ns_addr_find(nsn, iph->saddr)) {
		verdict = NS_IPV4_BAD_SOURCE;
		goto bad;
	}
	/* The transports tell broadcasts by PACKET_BROADCAST (whatever the MAC). */
	if (!ns_addr_find(nsn, iph->daddr)) {
		if (!ns_addr_is_broadcast(nsn, link, iph->daddr)) {
			ns_stat_inc(nsn, NS_STAT_IP_RX_DROP_NOT_LOCAL);
			kfree_skb(skb);
			return;
		}
		skb->pkt_type = PACKET_BROADCAST;
	}
	if (ip_is_fragment(iph)) {
		skb = ns_frags_gather(&nsn->frags, skb);
		if (!skb)
			return;		/* queued, or dropped and counted */
		skb_reset_network_header(skb);
	}
	ns_ipv4_deliver(nsn, skb);
	return;

bad:
	ns_stat_inc(nsn, ns_ipv4_check_stat[verdict]);
	kfree_skb(skb);
}

/**
 * ns_ipv4_local_work() - receive the packets sent from us to us
 * @work: ns_net.local_work
 */
void ns_ipv4_local_work(struct work_struct *work)
{
	struct ns_net *nsn = container_of(work, struct ns_net, local_work);
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&nsn->local_queue))) {
		local_bh_disable();
		rcu_read_lock();
		ns_ipv4_deliver(nsn, skb);
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(ns_ipv4_local_work);

static void ns_ipv4_local_output(struct ns_net *nsn, struct sk_buff *skb)
{
	if (skb_queue_len(&nsn->local_queue) >= NS_LOCAL_QUEUE_LEN) {
		ns_stat_inc(nsn, NS_STAT_IP_LOCAL_QUEUE_DROP_FULL);
		kfree_skb(skb);
		return;
	}
	ns_stat_inc(nsn, NS_STAT_IP_TX_LOCAL);
	skb_queue_tail(&nsn->local_queue, skb);
	schedule_work(&nsn->local_work);
}

/* Send one packet that fits the link: broadcast, or through a neighbour. */
static void ns_ipv4_link_output(struct ns_net *nsn, struct ns_nexthop *nh,
				struct sk_buff *skb)
{
	__be32 daddr = ip_hdr(skb)->daddr;

	ns_stat_inc(nsn, NS_STAT_IP_TX);
	if (ns_addr_is_broadcast(nsn, nh->link, daddr))
		ns_link_xmit(nh->link, skb, nh->link->dev->broadcast, htons(ETH_P_IP));
	else
		ns_neigh_output(nh->link, nh->addr, skb);
}

/*
 * Split a packet too big for the link into fragments of at most @mtu
 * bytes (RFC 791): each carries a copy of the header (netstack sends no
 * options) and a multiple of 8 bytes of payload, the last one the rest.
 */
static int ns_ipv4_fragment(struct ns_net *nsn, struct ns_nexthop *nh,
			    struct sk_buff *skb, unsigned int mtu)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = iph->ihl * 4;
	unsigned int left = skb->len - hlen, offset = 0;
	unsigned int chunk_max = (mtu - hlen) & ~7U;
	struct net_device *dev = nh->link->dev;
	int err = 0;

	while (left) {
		unsigned int chunk = min(left, chunk_max);
		struct sk_buff *frag;
		struct iphdr *fiph;

		frag = alloc_skb(LL_RESERVED_SPACE(dev) + hlen + chunk +
				 dev->needed_tailroom, GFP_ATOMIC);
		if (!frag) {
			ns_stat_inc(nsn, NS_STAT_IP_TX_DROP_NOMEM);
			err = -ENOBUFS;
			break;
		}
		skb_reserve(frag, LL_RESERVED_SPACE(dev));
		skb_reset_network_header(frag);
		fiph = skb_put_data(frag, iph, hlen);
		if (skb_copy_bits(skb, hlen + offset, skb_put(frag, chunk), chunk)) {
			kfree_skb(frag);
			err = -EFAULT;
			break;
		}
		if (skb->sk)	/* charge the fragments to the sender */
			skb_set_owner_w(frag, skb->sk);
		fiph->tot_len = htons(hlen + chunk);
		fiph->frag_off = htons((offset >> 3) | (left > chunk ? IP_MF : 0));
		ip_send_check(fiph);
		ns_stat_inc(nsn, NS_STAT_IP_TX_FRAGMENTS);
		ns_ipv4_link_output(nsn, nh, frag);
		offset += chunk;
		left -= chunk;
	}
	consume_skb(skb);
	return err;
}

/*
 * RCU held: where a packet to @daddr goes — to one of our own addresses
 * (*@local set, @nh untouched) or through @nh. Fills *@saddr when it is 0.
 */
static int ns_ipv4_route(struct ns_net *nsn, __be32 daddr, __be32 *saddr,
			 struct ns_nexthop *nh, bool *local)
{
	int err;

	*local = ns_addr_find(nsn, daddr);
	if (*local) {
		if (!*saddr)
			*saddr = daddr;
		return 0;
	}
	err = ns_route_lookup(nsn, daddr, nh);
	if (err)
		return err;
	if (!*saddr)
		*saddr = nh->saddr;
	return *saddr ? 0 : -EADDRNOTAVAIL;
}

/**
 * ns_ipv4_route_output() - how a packet to @daddr would leave
 * @nsn: the instance
 * @daddr: the destination
 * @saddr: the source address the sender has, or 0; set to the one the
 *	route gives when 0
 * @broadcast: set to whether @daddr is a broadcast address of the link
 *	the packet would leave by (senders need SO_BROADCAST for those)
 *
 * Context: any; takes the RCU read lock.
 * Return: 0, -ENETUNREACH without a route, or -EADDRNOTAVAIL when the
 * route gives no source address.
 */
int ns_ipv4_route_output(struct ns_net *nsn, __be32 daddr, __be32 *saddr,
			 bool *broadcast)
{
	struct ns_nexthop nh = {};
	bool local;
	int err;

	rcu_read_lock();
	err = ns_ipv4_route(nsn, daddr, saddr, &nh, &local);
	*broadcast = !err && !local && ns_addr_is_broadcast(nsn, nh.link, daddr);
	rcu_read_unlock();
	return err;
}

/**
 * ns_ipv4_path_mtu() - the MTU towards @daddr
 * @nsn: the instance
 * @daddr: the destination
 *
 * Return: the MTU of the link the route to @daddr uses, IP_MAX_MTU for
 * one of our own addresses (never on a wire), or 0 without a route.
 */
unsigned int ns_ipv4_path_mtu(struct ns_net *nsn, __be32 daddr)
{
	struct ns_nexthop nh = {};
	unsigned int mtu = 0;
	__be32 saddr = 0;
	bool local;

	rcu_read_lock();
	if (!ns_ipv4_route(nsn, daddr, &saddr, &nh, &local))
		mtu = local ? IP_MAX_MTU : READ_ONCE(nh.link->dev->mtu);
	rcu_read_unlock();
	return mtu;
}

/**
 * ns_ipv4_gso_max_size() - how large a TCP packet to @daddr may be when
 *	it goes as one GSO packet (SKB_GSO_TCPV4, its segments' data in
 *	page fragments)
 * @nsn: the instance
 * @daddr: the destination
 * @max_segs: set to the most segments the link takes in one
 *
 * A link that takes such a packet whole (TSO, as veth and dummy have)
 * sends it as it is; for any other, the core splits it in
 * software just before the driver (validate_xmit_skb()), as it does for
 * Linux's own TCP, which always builds GSO packets. That costs a header
 * per segment but no copy when the link does scatter-gather: the
 * segments' data stays in the write queue's page fragments. A link
 * without scatter-gather gets single segments.
 *
 * Return: the largest IPv4 packet, or 0 for none (local destination, no
 * route, or a link without scatter-gather).
 */
unsigned int ns_ipv4_gso_max_size(struct ns_net *nsn, __be32 daddr,
				  unsigned int *max_segs)
{
	struct ns_nexthop nh = {};
	unsigned int size = 0;
	netdev_features_t features;
	__be32 saddr = 0;
	bool local;

	rcu_read_lock();
	if (!ns_ipv4_route(nsn, daddr, &saddr, &nh, &local) && !local) {
		features = READ_ONCE(nh.link->dev->features);
		if (features & NETIF_F_SG) {
			size = min(READ_ONCE(nh.link->dev->gso_max_size), IP_MAX_MTU);
			*max_segs = READ_ONCE(nh.link->dev->gso_max_segs);
		}
	}
	rcu_read_unlock();
	return size;
}

/**
 * ns_ipv4_output() - send an IPv4 packet
 * @nsn: the instance
 * @skb: the transport header and payload at skb->data, with headroom for
 *	the IPv4 and link headers; consumed
 * @saddr: source address, or 0 to choose one from the route
 * @daddr: destination address
 * @proto: the IPPROTO_ of the payload
 * @df: set Don't Fragment: a packet too big for the link is refused
 *	instead of fragmented
 *
 * Context: any; takes the RCU read lock.
 * Return: 0 when sent, queued for resolution or delivered locally;
 * -ENETUNREACH without a route, -EADDRNOTAVAIL without a source address,
 * -ENETDOWN when the link is down, -EMSGSIZE when @df and too big, or
 * -ENOBUFS.
 */
int ns_ipv4_output(struct ns_net *nsn, struct sk_buff *skb, __be32 saddr,
		   __be32 daddr, u8 proto, bool df)
{
	unsigned int segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	struct ns_nexthop nh = {};
	struct iphdr *iph;
	unsigned int mtu;
	bool local;
	int err;

	rcu_read_lock();
	err = ns_ipv4_route(nsn, daddr, &saddr, &nh, &local);
	if (err) {
		ns_stat_inc(nsn, NS_STAT_IP_TX_DROP_NO_ROUTE);
		goto drop;
	}

	if (skb_cow_head(skb, sizeof(*iph) + LL_MAX_HEADER)) {
		ns_stat_inc(nsn, NS_STAT_IP_TX_DROP_NOMEM);
		err = -ENOBUFS;
		goto drop;
	}
	skb_reset_transport_header(skb);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->tot_len = htons(skb->len);
	/* A GSO packet's segments take the IDs from its own on. */
	iph->id = htons((u16)(atomic_add_return(segs, &nsn->ip_id) - segs + 1));
	iph->frag_off = df ? htons(IP_DF) : 0;
	iph->ttl = NS_IP_TTL;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);

	if (local) {
		ns_ipv4_local_output(nsn, skb);
		rcu_read_unlock();
		return 0;
	}
	if (!ns_link_usable(nh.link)) {
		ns_stat_inc(nsn, NS_STAT_LINK_TX_DROP_DOWN);
		err = -ENETDOWN;
		goto drop;
	}
	mtu = READ_ONCE(nh.link->dev->mtu);
	if (skb_is_gso(skb) && !skb_gso_validate_network_len(skb, mtu)) {
		/* The MTU shrank below the connection's segments. */
		ns_stat_inc(nsn, NS_STAT_IP_TX_DROP_FRAG_NEEDED);
		err = -EMSGSIZE;
		goto drop;
	}
	if (skb->len > mtu && !skb_is_gso(skb)) {
		if (df || mtu < 68) {
			ns_stat_inc(nsn, NS_STAT_IP_TX_DROP_FRAG_NEEDED);
			err = -EMSGSIZE;
			goto drop;
		}
		err = ns_ipv4_fragment(nsn, &nh, skb, mtu);
	} else {
		ns_ipv4_link_output(nsn, &nh, skb);
		err = 0;
	}
	rcu_read_unlock();
	return err;

drop:
	rcu_read_unlock();
	kfree_skb(skb);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(ns_ipv4_output);
