// SPDX-License-Identifier: GPL-2.0
/*
 * udp.c - UDP (RFC 768) input. There are no UDP sockets yet, so every
 * port is closed: a well-formed datagram earns an ICMP port unreachable,
 * a malformed or corrupted one is dropped silently (RFC 1122 4.1.3.4) and
 * counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include "checksum.h"
#include "netstack.h"

/**
 * ns_udp_rcv() - handle a received UDP datagram
 * @nsn: the instance
 * @skb: the datagram, UDP header at skb->data, network header set; consumed
 *
 * Context: BHs off, RCU read lock held.
 */
void ns_udp_rcv(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh;
	unsigned int ulen;

	ns_stat_inc(nsn, NS_STAT_UDP_RX);
	if (!pskb_may_pull(skb, sizeof(*uh)))
		goto malformed;
	uh = udp_hdr(skb);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len)
		goto malformed;
	/* A zero checksum means the sender computed none (RFC 768). */
	if (uh->check && ns_csum_l4(skb, 0, ulen, iph->saddr, iph->daddr,
				    IPPROTO_UDP)) {
		ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_CHECKSUM);
		goto drop;
	}
	ns_stat_inc(nsn, NS_STAT_UDP_RX_NO_PORT);
	ns_icmp_send_unreach(nsn, skb, ICMP_PORT_UNREACH);
	goto drop;

malformed:
	ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_MALFORMED);
drop:
	kfree_skb(skb);
}
