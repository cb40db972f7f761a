// SPDX-License-Identifier: GPL-2.0
/*
 * checksum.c - the Internet checksum as netstack's headers need it.
 *
 * The arithmetic is the kernel's (csum_partial() and friends, optimised per
 * architecture); this file fixes how netstack applies it: folded and
 * complemented results, and the TCP/UDP pseudo header over data that may
 * sit anywhere in a linear or paged skb.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/skbuff.h>
#include <net/checksum.h>

#include "checksum.h"

/**
 * ns_csum_buf() - Internet checksum of a buffer
 * @buf: the data, at any alignment
 * @len: its length in bytes, odd lengths included
 *
 * Computing over a header whose checksum field is zero gives the value to
 * store there; computing over a header with a correct checksum gives 0.
 *
 * Return: the folded, complemented 16-bit checksum.
 */
__sum16 ns_csum_buf(const void *buf, int len)
{
	return csum_fold(csum_partial(buf, len, 0));
}
EXPORT_SYMBOL_IF_KUNIT(ns_csum_buf);

/**
 * ns_csum_l4() - TCP or UDP checksum over the pseudo header and a segment
 * @skb: the packet; may be non-linear
 * @offset: where the transport header starts in @skb
 * @len: length of transport header plus payload
 * @saddr: IPv4 source address
 * @daddr: IPv4 destination address
 * @proto: IPPROTO_TCP or IPPROTO_UDP
 *
 * Return: the checksum to store (with the checksum field zero) or, over a
 * segment whose checksum is correct, 0. UDP's rule that a computed 0 is
 * sent as 0xffff is the caller's.
 */
__sum16 ns_csum_l4(const struct sk_buff *skb, int offset, int len,
		   __be32 saddr, __be32 daddr, u8 proto)
{
	__wsum sum = skb_checksum(skb, offset, len, 0);

	return csum_tcpudp_magic(saddr, daddr, len, proto, sum);
}
EXPORT_SYMBOL_IF_KUNIT(ns_csum_l4);

/**
 * ns_csum_l4_ok() - whether a received TCP or UDP segment's checksum holds
 * @skb: the packet; may be non-linear
 * @offset: where the transport header starts in @skb
 * @len: length of transport header plus payload
 * @saddr: IPv4 source address
 * @daddr: IPv4 destination address
 * @proto: IPPROTO_TCP or IPPROTO_UDP
 *
 * A packet sent by this host's own stack over a veth arrives with its
 * checksum left to offload (CHECKSUM_PARTIAL: the field holds only the
 * pseudo header's sum), and a device may have checked it already
 * (CHECKSUM_UNNECESSARY); both are taken as correct. Anything else is
 * computed here.
 *
 * Return: true if the checksum is correct or need not be checked.
 */
bool ns_csum_l4_ok(const struct sk_buff *skb, int offset, int len,
		   __be32 saddr, __be32 daddr, u8 proto)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL ||
	    skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	return !ns_csum_l4(skb, offset, len, saddr, daddr, proto);
}
EXPORT_SYMBOL_IF_KUNIT(ns_csum_l4_ok);
