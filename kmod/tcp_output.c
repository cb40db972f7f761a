// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_output.c - building and sending TCP segments. So far: resets.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/checksum.h>

#include "netstack.h"

/**
 * ns_tcp_send_reset() - answer a segment with a reset (RFC 9293 3.10.7.1)
 * @nsn: the instance
 * @skb_in: the segment, TCP header at its transport header; not consumed.
 *	It must not be a reset itself.
 *
 * The reset goes back from the segment's destination to its source, ports
 * swapped: <SEQ=SEG.ACK><CTL=RST> if the segment has an ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SEG.LEN counting SYN and FIN.
 *
 * Context: BHs off.
 */
void ns_tcp_send_reset(struct ns_net *nsn, const struct sk_buff *skb_in)
{
	const struct tcphdr *in = tcp_hdr(skb_in);
	const struct iphdr *iph = ip_hdr(skb_in);
	unsigned int in_len = skb_in->len - (skb_transport_header(skb_in) - skb_in->data);
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + sizeof(*th), GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER + sizeof(struct iphdr));
	th = skb_put_zero(skb, sizeof(*th));
	th->source = in->dest;
	th->dest = in->source;
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	if (in->ack) {
		th->seq = in->ack_seq;
	} else {
		th->ack = 1;
		th->ack_seq = htonl(ntohl(in->seq) + in_len - in->doff * 4 +
				    in->syn + in->fin);
	}
	th->check = csum_tcpudp_magic(iph->daddr, iph->saddr, sizeof(*th),
				      IPPROTO_TCP, csum_partial(th, sizeof(*th), 0));
	ns_stat_inc(nsn, NS_STAT_TCP_TX_RST);
	ns_ipv4_output(nsn, skb, iph->daddr, iph->saddr, IPPROTO_TCP, true);
}
