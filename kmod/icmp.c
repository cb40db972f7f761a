// SPDX-License-Identifier: GPL-2.0
/*
 * icmp.c - ICMP for IPv4 (RFC 792, RFC 1122 3.2.2): echo replies,
 * destination-unreachable errors (rate limited), and received errors
 * handed to the transport that sent the packet they quote.
 *
 * Errors are never sent about ICMP errors, broadcasts, fragments other
 * than the first, or packets from addresses that cannot be answered
 * (RFC 1122 3.2.2). The limiter is a token bucket per namespace:
 * NS_ICMP_RATE errors a second, bursts of NS_ICMP_BURST.
 *
 * A transport takes the errors about its packets by setting a handler for
 * its protocol number (ns_icmp_set_err_handler()); handlers are called
 * under RCU with BHs off, and an error for a protocol without one is
 * counted as unclaimed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>

#include <kunit/visibility.h>

#include "netstack.h"

static const struct ns_icmp_err_handler __rcu *ns_icmp_err_handlers[256];

enum {
	NS_ICMP_RATE = 1000,		/* errors a second */
	NS_ICMP_BURST = 50,
	NS_ICMP_ERROR_MAX = 576,	/* an error datagram's size, RFC 1812 4.3.2.3 */
};

static bool ns_icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

/* Take a token if there is one. */
static bool ns_icmp_rate_allow(struct ns_net *nsn)
{
	unsigned long now = jiffies, elapsed;
	bool allow;

	spin_lock_bh(&nsn->icmp_lock);
	elapsed = now - nsn->icmp_stamp;
	if (elapsed >= HZ / NS_ICMP_RATE || !nsn->icmp_stamp) {
		u64 add = (u64)elapsed * NS_ICMP_RATE / HZ;

		nsn->icmp_tokens = min_t(u64, NS_ICMP_BURST, nsn->icmp_tokens + add);
		nsn->icmp_stamp = now;
	}
	allow = nsn->icmp_tokens > 0;
	if (allow)
		nsn->icmp_tokens--;
	spin_unlock_bh(&nsn->icmp_lock);
	return allow;
}

/* A new skb with room for the headers below ICMP, holding @len bytes. */
static struct sk_buff *ns_icmp_alloc(unsigned int len)
{
	struct sk_buff *skb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + len,
					GFP_ATOMIC);

	if (skb)
		skb_reserve(skb, LL_MAX_HEADER + sizeof(struct iphdr));
	return skb;
}

static void ns_icmp_finish(struct sk_buff *skb)
{
	struct icmphdr *icmph = (struct icmphdr *)skb->data;

	icmph->checksum = 0;
	icmph->checksum = csum_fold(csum_partial(skb->data, skb->len, 0));
}

/**
 * ns_icmp_send_unreach() - answer a packet with Destination Unreachable
 * @nsn: the instance
 * @skb_in: the packet; its network header is set; not consumed
 * @code: ICMP_PROT_UNREACH, ICMP_PORT_UNREACH, ...
 *
 * Context: BHs off, RCU read lock held.
 */
void ns_icmp_send_unreach(struct ns_net *nsn, struct sk_buff *skb_in, u8 code)
{
	const struct iphdr *iph = ip_hdr(skb_in);
	unsigned int quote, in_len;
	struct icmphdr *icmph;
	struct sk_buff *skb;

	if (skb_in->pkt_type != PACKET_HOST || !ns_addr_find(nsn, iph->daddr) ||
	    ipv4_is_zeronet(iph->saddr) || (iph->frag_off & htons(IP_OFFSET)))
		return;
	if (iph->protocol == IPPROTO_ICMP) {
		u8 type;

		if (skb_copy_bits(skb_in, skb_network_offset(skb_in) + iph->ihl * 4,
				  &type, 1) || ns_icmp_is_error(type))
			return;
	}
	if (!ns_icmp_rate_allow(nsn)) {
		ns_stat_inc(nsn, NS_STAT_ICMP_TX_RATE_LIMITED);
		return;
	}
	in_len = skb_tail_pointer(skb_in) - skb_network_header(skb_in) +
		 skb_in->data_len;
	quote = min_t(unsigned int, in_len,
		      NS_ICMP_ERROR_MAX - sizeof(struct iphdr) - sizeof(*icmph));
	skb = ns_icmp_alloc(sizeof(*icmph) + quote);
	if (!skb)
		return;
	icmph = skb_put_zero(skb, sizeof(*icmph));
	icmph->type = ICMP_DEST_UNREACH;
	icmph->code = code;
	if (skb_copy_bits(skb_in, skb_network_offset(skb_in), skb_put(skb, quote),
			  quote)) {
		kfree_skb(skb);
		return;
	}
	ns_icmp_finish(skb);
	ns_stat_inc(nsn, NS_STAT_ICMP_TX_UNREACHABLE);
	ns_ipv4_output(nsn, skb, iph->daddr, iph->saddr, IPPROTO_ICMP, false);
}

/* Answer an echo request (skb->data at its ICMP header) with a copy. */
static void ns_icmp_echo(struct ns_net *nsn, struct sk_buff *skb_in)
{
	const struct iphdr *iph = ip_hdr(skb_in);
	struct icmphdr *icmph;
	struct sk_buff *skb;

	ns_stat_inc(nsn, NS_STAT_ICMP_RX_ECHO_REQUESTS);
	/* Not to broadcasts (RFC 1122 3.2.2.6 allows silence; Linux's default). */
	if (skb_in->pkt_type != PACKET_HOST || !ns_addr_find(nsn, iph->daddr))
		return;
	skb = ns_icmp_alloc(skb_in->len);
	if (!skb)
		return;
	if (skb_copy_bits(skb_in, 0, skb_put(skb, skb_in->len), skb_in->len)) {
		kfree_skb(skb);
		return;
	}
	icmph = (struct icmphdr *)skb->data;
	icmph->type = ICMP_ECHOREPLY;
	ns_icmp_finish(skb);
	ns_stat_inc(nsn, NS_STAT_ICMP_TX_ECHO_REPLIES);
	ns_ipv4_output(nsn, skb, iph->daddr, iph->saddr, IPPROTO_ICMP, false);
}

/**
 * ns_icmp_set_err_handler() - take the ICMP errors about a protocol's packets
 * @protocol: the IPPROTO_ number of the transport
 * @handler: its err() is called for each error quoting a packet of
 *	@protocol; NULL to stop, which waits for calls in flight to end
 *
 * Context: process.
 */
void ns_icmp_set_err_handler(u8 protocol,
			     const struct ns_icmp_err_handler *handler)
{
	rcu_assign_pointer(ns_icmp_err_handlers[protocol], handler);
	if (!handler)
		synchronize_rcu();
}
EXPORT_SYMBOL_IF_KUNIT(ns_icmp_set_err_handler);

/*
 * An error about a packet we sent: check the quoted header and the start
 * of its transport header, and give them to the transport that sent it.
 */
static void ns_icmp_error(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct icmphdr *icmph = (const struct icmphdr *)skb->data;
	const struct ns_icmp_err_handler *handler;
	struct ns_icmp_err err;

	ns_stat_inc(nsn, NS_STAT_ICMP_RX_ERRORS);
	if (!pskb_may_pull(skb, sizeof(*icmph) + sizeof(struct iphdr)))
		goto malformed;
	icmph = (const struct icmphdr *)skb->data;
	err.quoted = (const struct iphdr *)(icmph + 1);
	if (err.quoted->version != 4 || err.quoted->ihl < 5 ||
	    !pskb_may_pull(skb, sizeof(*icmph) + err.quoted->ihl * 4 +
			   NS_ICMP_QUOTED_L4))
		goto malformed;
	icmph = (const struct icmphdr *)skb->data;
	err.quoted = (const struct iphdr *)(icmph + 1);
	err.l4 = (const u8 *)err.quoted + err.quoted->ihl * 4;
	err.type = icmph->type;
	err.code = icmph->code;
	err.info = ntohl(icmph->un.gateway);

	handler = rcu_dereference(ns_icmp_err_handlers[err.quoted->protocol]);
	if (!handler) {
		ns_stat_inc(nsn, NS_STAT_ICMP_RX_ERRORS_UNCLAIMED);
		return;
	}
	handler->err(nsn, &err);
	return;

malformed:
	ns_stat_inc(nsn, NS_STAT_ICMP_RX_DROP_MALFORMED);
}

/*
 * What each Destination Unreachable code means to a sender; the hard ones
 * end what a connected socket is doing (RFC 1122 4.2.3.9 and Linux).
 */
static const struct {
	u8 err;
	bool hard;
} ns_icmp_unreach_errnos[] = {
	[ICMP_NET_UNREACH] = { ENETUNREACH, false },
	[ICMP_HOST_UNREACH] = { EHOSTUNREACH, false },
	[ICMP_PROT_UNREACH] = { ENOPROTOOPT, true },
	[ICMP_PORT_UNREACH] = { ECONNREFUSED, true },
	[ICMP_FRAG_NEEDED] = { EMSGSIZE, true },	/* DF was set: too big */
	[ICMP_SR_FAILED] = { EOPNOTSUPP, false },
	[ICMP_NET_UNKNOWN] = { ENETUNREACH, true },
	[ICMP_HOST_UNKNOWN] = { EHOSTDOWN, true },
	[ICMP_HOST_ISOLATED] = { ENONET, true },
	[ICMP_NET_ANO] = { ENETUNREACH, true },
	[ICMP_HOST_ANO] = { EHOSTUNREACH, true },
	[ICMP_NET_UNR_TOS] = { ENETUNREACH, false },
	[ICMP_HOST_UNR_TOS] = { EHOSTUNREACH, false },
	[ICMP_PKT_FILTERED] = { EHOSTUNREACH, true },
	[ICMP_PREC_VIOLATION] = { EHOSTUNREACH, true },
	[ICMP_PREC_CUTOFF] = { EHOSTUNREACH, true },
};

/**
 * ns_icmp_err_errno() - the errno an ICMP error means to a sender
 * @err: the error
 * @hard: set to whether it is a hard error, one that a connected socket
 *	reports to its user (the others are only hints, e.g. for TCP)
 *
 * Return: a negative errno; 0 for a message no socket should hear of.
 */
int ns_icmp_err_errno(const struct ns_icmp_err *err, bool *hard)
{
	*hard = false;
	switch (err->type) {
	case ICMP_DEST_UNREACH:
		if (err->code >= ARRAY_SIZE(ns_icmp_unreach_errnos) ||
		    !ns_icmp_unreach_errnos[err->code].err)
			return -EHOSTUNREACH;
		*hard = ns_icmp_unreach_errnos[err->code].hard;
		return -ns_icmp_unreach_errnos[err->code].err;
	case ICMP_TIME_EXCEEDED:
		return -EHOSTUNREACH;
	case ICMP_PARAMETERPROB:
		*hard = true;
		return -EPROTO;
	default:		/* source quench, redirect */
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ns_icmp_err_errno);

/**
 * ns_icmp_local_error() - tell the sender of a packet that it could not go
 * @nsn: the instance
 * @skb: the packet, not sent: its network header is set and its transport
 *	header follows it in the linear data; not consumed
 * @type: the ICMP type a router would have answered with
 * @code: and its code
 *
 * The transport hears of it as of an ICMP error quoting the packet, as on
 * Linux, where a failed neighbour resolution reports Host Unreachable to
 * the sender. Fragments after the first are ignored: they quote no ports.
 *
 * Context: any but hard IRQ.
 */
void ns_icmp_local_error(struct ns_net *nsn, struct sk_buff *skb, u8 type,
			 u8 code)
{
	const struct ns_icmp_err_handler *handler;
	struct ns_icmp_err err = { .type = type, .code = code };

	err.quoted = ip_hdr(skb);
	if ((err.quoted->frag_off & htons(IP_OFFSET)) ||
	    skb_headlen(skb) < skb_network_offset(skb) + err.quoted->ihl * 4 +
			       NS_ICMP_QUOTED_L4)
		return;
	err.l4 = (const u8 *)err.quoted + err.quoted->ihl * 4;
	local_bh_disable();
	rcu_read_lock();
	handler = rcu_dereference(ns_icmp_err_handlers[err.quoted->protocol]);
	if (handler)
		handler->err(nsn, &err);
	rcu_read_unlock();
	local_bh_enable();
}

/**
 * ns_icmp_rcv() - handle a received ICMP message
 * @nsn: the instance
 * @skb: the packet, ICMP header at skb->data, network header set; consumed
 *
 * Context: BHs off, RCU read lock held.
 */
void ns_icmp_rcv(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct icmphdr *icmph;

	ns_stat_inc(nsn, NS_STAT_ICMP_RX);
	if (!pskb_may_pull(skb, sizeof(*icmph))) {
		ns_stat_inc(nsn, NS_STAT_ICMP_RX_DROP_MALFORMED);
		goto out;
	}
	if (csum_fold(skb_checksum(skb, 0, skb->len, 0))) {
		ns_stat_inc(nsn, NS_STAT_ICMP_RX_DROP_CHECKSUM);
		goto out;
	}
	icmph = (const struct icmphdr *)skb->data;
	if (icmph->type == ICMP_ECHO)
		ns_icmp_echo(nsn, skb);
	else if (ns_icmp_is_error(icmph->type))
		ns_icmp_error(nsn, skb);
out:
	consume_skb(skb);
}
EXPORT_SYMBOL_IF_KUNIT(ns_icmp_rcv);
