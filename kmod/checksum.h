/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internet checksum (RFC 1071) helpers used by IPv4, ICMP, UDP and TCP.
 */
#ifndef _NETSTACK_CHECKSUM_H
#define _NETSTACK_CHECKSUM_H

#include <linux/skbuff.h>
#include <linux/types.h>

__sum16 ns_csum_buf(const void *buf, int len);
__sum16 ns_csum_l4(const struct sk_buff *skb, int offset, int len,
		   __be32 saddr, __be32 daddr, u8 proto);
bool ns_csum_l4_ok(const struct sk_buff *skb, int offset, int len,
		   __be32 saddr, __be32 daddr, u8 proto);

#endif /* _NETSTACK_CHECKSUM_H */
