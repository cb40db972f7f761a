// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_syncookie.c - SYN cookies (RFC 4987 3.6).
 *
 * When a listener cannot (or, by tcp_syncookies=2, will not) keep state
 * for a SYN, its SYN-ACK carries the state in the initial sequence
 * number, and the peer's ACK brings it back in SEG.ACK - 1:
 *
 *   bits 31..24  the low 8 bits of a counter that ticks every 64 s
 *   bits 23..0   a keyed hash (SipHash, key chosen at random when first
 *                needed) of the 4-tuple, the peer's ISN and the counter,
 *                plus the index of the peer's MSS in a small table
 *
 * The check recomputes the hash for the counter the cookie names, if it
 * is the current period or the one before, and accepts when the
 * difference is a valid table index: an attacker who does not know the
 * key passes with probability 4 in 2^24 per guess.
 *
 * Window scaling and SACK-permitted do not fit there. When the SYN
 * carried timestamps, they go in the low 5 bits of our TSval instead (bits
 * 3..0 the window scale shift, 15 for none; bit 4 SACK-permitted), and
 * come back in the ACK's TSecr. The TSval is lowered to carry them, never
 * raised, so the timestamps a connection sends afterwards stay monotonic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/siphash.h>
#include <kunit/visibility.h>

#include "seq.h"
#include "tcp_syncookie.h"
#include "tcp_window.h"

#define NS_TCP_COOKIE_HASH_BITS		24
#define NS_TCP_COOKIE_HASH_MASK		((1U << NS_TCP_COOKIE_HASH_BITS) - 1)
#define NS_TCP_COOKIE_TS_BITS		5
#define NS_TCP_COOKIE_TS_MASK		((1U << NS_TCP_COOKIE_TS_BITS) - 1)
#define NS_TCP_COOKIE_TS_WSCALE_MASK	0xf
#define NS_TCP_COOKIE_TS_SACK		BIT(4)
/* The TSval of a cookie still good is at most this old (two periods). */
#define NS_TCP_COOKIE_TS_MAX_AGE_MS \
	(((NS_TCP_COOKIE_MAX_AGE + 1) << NS_TCP_COOKIE_PERIOD_SHIFT) * MSEC_PER_SEC)

/* The MSS values a cookie can say, ascending (the usual ones on IPv4). */
static const u16 ns_tcp_cookie_mss_table[] = { 536, 1300, 1440, 1460 };

static siphash_aligned_key_t ns_tcp_cookie_key;

/**
 * ns_tcp_cookie_mss_count() - the size of the MSS table
 *
 * Return: how many MSS values a cookie can carry.
 */
unsigned int ns_tcp_cookie_mss_count(void)
{
	return ARRAY_SIZE(ns_tcp_cookie_mss_table);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_mss_count);

/**
 * ns_tcp_cookie_mss_index() - the table entry to use for a peer's MSS
 * @peer_mss: the MSS the SYN announced (536 without the option)
 *
 * Return: the index of the largest table value not above @peer_mss (the
 * smallest entry if none is).
 */
unsigned int ns_tcp_cookie_mss_index(u16 peer_mss)
{
	unsigned int i = ARRAY_SIZE(ns_tcp_cookie_mss_table) - 1;

	while (i && ns_tcp_cookie_mss_table[i] > peer_mss)
		i--;
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_mss_index);

/**
 * ns_tcp_cookie_mss() - the MSS an index stands for
 * @index: below ns_tcp_cookie_mss_count()
 *
 * Return: the MSS.
 */
u16 ns_tcp_cookie_mss(unsigned int index)
{
	return ns_tcp_cookie_mss_table[index];
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_mss);

/**
 * ns_tcp_cookie_counter() - the current period's counter
 *
 * Return: the monotonic seconds divided by 64.
 */
u32 ns_tcp_cookie_counter(void)
{
	return (u32)(ktime_get_seconds() >> NS_TCP_COOKIE_PERIOD_SHIFT);
}

static u32 ns_tcp_cookie_hash(const struct ns_tcp_cookie_tuple *t,
			      u32 peer_isn, u32 counter)
{
	struct {
		u32 laddr;
		u32 raddr;
		u32 ports;
		u32 peer_isn;
		u32 counter;
	} in = {
		.laddr = (__force u32)t->laddr,
		.raddr = (__force u32)t->raddr,
		.ports = (u32)(__force u16)t->lport << 16 | (__force u16)t->rport,
		.peer_isn = peer_isn,
		.counter = counter,
	};

	net_get_random_once(&ns_tcp_cookie_key, sizeof(ns_tcp_cookie_key));
	return (u32)siphash(&in, sizeof(in), &ns_tcp_cookie_key);
}

/**
 * ns_tcp_cookie_make() - the ISN of a cookie SYN-ACK
 * @t: the connection
 * @peer_isn: the SYN's sequence number
 * @counter: ns_tcp_cookie_counter() now
 * @mss_index: from ns_tcp_cookie_mss_index()
 *
 * Return: the cookie.
 */
u32 ns_tcp_cookie_make(const struct ns_tcp_cookie_tuple *t, u32 peer_isn,
		       u32 counter, unsigned int mss_index)
{
	return counter << NS_TCP_COOKIE_HASH_BITS |
	       ((ns_tcp_cookie_hash(t, peer_isn, counter) + mss_index) &
		NS_TCP_COOKIE_HASH_MASK);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_make);

/**
 * ns_tcp_cookie_check() - validate the cookie an ACK brings back
 * @t: the connection
 * @peer_isn: the ACK's SEG.SEQ - 1
 * @cookie: the ACK's SEG.ACK - 1
 * @counter: ns_tcp_cookie_counter() now
 *
 * Return: the MSS index the cookie carries, or -EINVAL if it was not made
 * for this connection and peer ISN in the last %NS_TCP_COOKIE_MAX_AGE + 1
 * periods.
 */
int ns_tcp_cookie_check(const struct ns_tcp_cookie_tuple *t, u32 peer_isn,
			u32 cookie, u32 counter)
{
	u32 age = (counter - (cookie >> NS_TCP_COOKIE_HASH_BITS)) & 0xff;
	u32 index;

	if (age > NS_TCP_COOKIE_MAX_AGE)
		return -EINVAL;
	index = (cookie - ns_tcp_cookie_hash(t, peer_isn, counter - age)) &
		NS_TCP_COOKIE_HASH_MASK;
	if (index >= ARRAY_SIZE(ns_tcp_cookie_mss_table))
		return -EINVAL;
	return index;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_check);

/**
 * ns_tcp_cookie_ts_make() - the TSval of a cookie SYN-ACK
 * @tsval_now: the TSval we would send now
 * @wscale: the window scale shift the peer's SYN asked for (at most
 *	%NS_TCP_WSCALE_MAX), or %NS_TCP_COOKIE_NO_WSCALE
 * @sack: the SYN carried SACK-permitted
 *
 * Return: a TSval at or below @tsval_now (by less than 32 ms) whose low
 * 5 bits carry @wscale and @sack.
 */
u32 ns_tcp_cookie_ts_make(u32 tsval_now, u8 wscale, bool sack)
{
	u32 bits = (wscale & NS_TCP_COOKIE_TS_WSCALE_MASK) |
		   (sack ? NS_TCP_COOKIE_TS_SACK : 0);
	u32 ts = (tsval_now & ~NS_TCP_COOKIE_TS_MASK) | bits;

	if (ns_seq_after(ts, tsval_now))
		ts -= NS_TCP_COOKIE_TS_MASK + 1;
	return ts;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_ts_make);

/**
 * ns_tcp_cookie_ts_check() - what the TSecr of a cookie's ACK says
 * @tsecr: the ACK's TSecr
 * @tsval_now: the TSval we would send now on that connection
 * @wscale: the window scale shift, or %NS_TCP_COOKIE_NO_WSCALE
 * @sack: whether SACK was permitted
 *
 * Return: false if @tsecr cannot be the TSval of a SYN-ACK of ours whose
 * cookie is still good: from the future, or older than two periods.
 */
bool ns_tcp_cookie_ts_check(u32 tsecr, u32 tsval_now, u8 *wscale, bool *sack)
{
	*wscale = tsecr & NS_TCP_COOKIE_TS_WSCALE_MASK;
	*sack = tsecr & NS_TCP_COOKIE_TS_SACK;
	return tsval_now - tsecr <= NS_TCP_COOKIE_TS_MAX_AGE_MS;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_cookie_ts_check);
