// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_input.c - TCP (RFC 9293) input: the header checks every segment
 * passes, then the socket it belongs to. There are no TCP sockets yet, so
 * every port is closed: a well-formed segment is answered with a reset as
 * RFC 9293 3.10.7.1 says for the CLOSED state (a reset itself is not), a
 * malformed or corrupted one is dropped and counted, and segments to a
 * broadcast address are dropped (RFC 1122 4.2.3.10).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/tcp.h>

#include "checksum.h"
#include "netstack.h"

/**
 * ns_tcp_rcv() - handle a received TCP segment
 * @nsn: the instance
 * @skb: the segment, TCP header at skb->data, network and transport
 *	headers set; consumed
 *
 * Context: BHs off, RCU read lock held.
 */
void ns_tcp_rcv(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	unsigned int hlen;

	ns_stat_inc(nsn, NS_STAT_TCP_RX);
	if (!pskb_may_pull(skb, sizeof(*th)))
		goto malformed;
	th = tcp_hdr(skb);
	hlen = th->doff * 4;
	if (hlen < sizeof(*th) || hlen > skb->len)
		goto malformed;
	if (!ns_csum_l4_ok(skb, 0, skb->len, iph->saddr, iph->daddr, IPPROTO_TCP)) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_CHECKSUM);
		goto drop;
	}
	if (skb->pkt_type != PACKET_HOST) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_NOT_UNICAST);
		goto drop;
	}
	ns_stat_inc(nsn, NS_STAT_TCP_RX_NO_SOCKET);
	if (!th->rst)
		ns_tcp_send_reset(nsn, skb);
	consume_skb(skb);
	return;

malformed:
	ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_MALFORMED);
drop:
	kfree_skb(skb);
}
