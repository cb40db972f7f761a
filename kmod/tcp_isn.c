// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_isn.c - initial sequence numbers (RFC 6528): ISN = M + F(4-tuple),
 * where M is a clock ticking every 4 microseconds (RFC 9293 3.4.1) and F
 * a keyed hash (SipHash) of the local and remote addresses and ports with
 * a secret chosen at random when the module loads. Connections of one
 * 4-tuple get increasing numbers, so a new incarnation starts above the
 * old one's; an off-path attacker can predict none of them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/siphash.h>
#include <kunit/visibility.h>

#include "tcp_isn.h"

static siphash_aligned_key_t ns_tcp_isn_key;

/* M: nanoseconds / 4096, a tick of about 4 microseconds. */
static u32 ns_tcp_isn_clock(void)
{
	return (u32)(ktime_get_ns() >> 12);
}

/**
 * ns_tcp_isn_hash() - F of RFC 6528: the keyed hash of a 4-tuple
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: a value an attacker who does not know the key cannot predict.
 */
u32 ns_tcp_isn_hash(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport)
{
	net_get_random_once(&ns_tcp_isn_key, sizeof(ns_tcp_isn_key));
	return siphash_3u32((__force u32)laddr, (__force u32)raddr,
			    (u32)(__force u16)lport << 16 | (__force u16)rport,
			    &ns_tcp_isn_key);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_isn_hash);

/**
 * ns_tcp_isn() - the initial sequence number of a new connection
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: M + F(laddr, lport, raddr, rport), RFC 6528.
 */
u32 ns_tcp_isn(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport)
{
	return ns_tcp_isn_clock() + ns_tcp_isn_hash(laddr, lport, raddr, rport);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_isn);
