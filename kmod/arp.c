// SPDX-License-Identifier: GPL-2.0
/*
 * arp.c - ARP for IPv4 over Ethernet (RFC 826): answering requests for our
 * addresses, learning from what we hear, and sending requests, replies and
 * gratuitous announcements.
 *
 * Learning follows RFC 826's merge rule: an existing entry for the sender
 * is refreshed by any ARP packet; a new entry is made only when the packet
 * is addressed to one of our addresses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>

#include "netstack.h"

/* The Ethernet/IPv4 ARP packet after the fixed header. */
struct ns_arp_eth_ipv4 {
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

#define NS_ARP_LEN (sizeof(struct arphdr) + sizeof(struct ns_arp_eth_ipv4))

/* An address a peer may not claim: none, broadcast, multicast, loopback. */
static bool ns_arp_bogus_ip(__be32 ip)
{
	return ipv4_is_zeronet(ip) || ipv4_is_lbcast(ip) ||
	       ipv4_is_multicast(ip) || ipv4_is_loopback(ip);
}

/**
 * ns_arp_send() - send an ARP packet on a link
 * @link: the link
 * @op: ARPOP_REQUEST or ARPOP_REPLY
 * @sip: sender IPv4 address (ours)
 * @tip: target IPv4 address
 * @tha: target Ethernet address; NULL for a broadcast request
 *
 * Context: any.
 */
void ns_arp_send(struct ns_link *link, u16 op, __be32 sip, __be32 tip,
		 const u8 *tha)
{
	struct net_device *dev = link->dev;
	struct ns_arp_eth_ipv4 *body;
	struct sk_buff *skb;
	struct arphdr *arp;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + NS_ARP_LEN + dev->needed_tailroom,
			GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	arp = skb_put(skb, sizeof(*arp));
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(op);
	body = skb_put(skb, sizeof(*body));
	ether_addr_copy(body->sha, dev->dev_addr);
	body->sip = sip;
	if (tha)
		ether_addr_copy(body->tha, tha);
	else
		eth_zero_addr(body->tha);
	body->tip = tip;
	if (op == ARPOP_REQUEST)
		ns_stat_inc(link->nsn, NS_STAT_ARP_REQUESTS_SENT);
	ns_link_xmit(link, skb, tha ? tha : dev->broadcast, htons(ETH_P_ARP));
}

/**
 * ns_arp_rcv() - handle a received ARP frame
 * @link: the link it came in on
 * @skb: the frame, ARP header at skb->data; consumed
 *
 * Context: softirq, RCU read lock held.
 */
void ns_arp_rcv(struct ns_link *link, struct sk_buff *skb)
{
	struct ns_net *nsn = link->nsn;
	struct ns_arp_eth_ipv4 *body;
	struct arphdr *arp;
	struct ns_addr *ours;
	u16 op;

	ns_stat_inc(nsn, NS_STAT_ARP_RX);
	if (!pskb_may_pull(skb, NS_ARP_LEN))
		goto malformed;
	arp = (struct arphdr *)skb->data;
	body = (struct ns_arp_eth_ipv4 *)(arp + 1);
	op = ntohs(arp->ar_op);
	if (arp->ar_hrd != htons(ARPHRD_ETHER) || arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4 ||
	    (op != ARPOP_REQUEST && op != ARPOP_REPLY))
		goto malformed;
	/* A sender with no address is probing (RFC 5227); nothing to learn. */
	if (!is_valid_ether_addr(body->sha) ||
	    (body->sip && ns_arp_bogus_ip(body->sip)) ||
	    ether_addr_equal(body->sha, link->dev->dev_addr)) {
		ns_stat_inc(nsn, NS_STAT_ARP_RX_DROP_BOGUS_SENDER);
		goto drop;
	}

	ours = ns_addr_find(nsn, body->tip);
	if (ours && ours->link != link)
		ours = NULL;	/* answer only for addresses on this link */
	if (body->sip)
		ns_neigh_confirm(link, body->sip, body->sha, !!ours);
	if (op == ARPOP_REPLY)
		ns_stat_inc(nsn, NS_STAT_ARP_REPLIES_RECEIVED);
	if (ours && op == ARPOP_REQUEST) {
		ns_arp_send(link, ARPOP_REPLY, body->tip, body->sip, body->sha);
		ns_stat_inc(nsn, NS_STAT_ARP_REQUESTS_ANSWERED);
	}
	consume_skb(skb);
	return;

malformed:
	ns_stat_inc(nsn, NS_STAT_ARP_RX_DROP_MALFORMED);
drop:
	kfree_skb(skb);
}
