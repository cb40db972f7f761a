/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies (RFC 4987, tcp_syncookie.c): the codec of the initial
 * sequence number of a SYN-ACK sent without keeping state, and of the
 * low bits of its TSval.
 */
#ifndef _NETSTACK_TCP_SYNCOOKIE_H
#define _NETSTACK_TCP_SYNCOOKIE_H

#include <linux/types.h>

/* A cookie's counter ticks every 2^6 = 64 seconds. */
#define NS_TCP_COOKIE_PERIOD_SHIFT	6
/* A cookie is good for the period it was made in and the one after. */
#define NS_TCP_COOKIE_MAX_AGE		1
/* The TSval of a cookie's SYN-ACK says "no window scaling" with this. */
#define NS_TCP_COOKIE_NO_WSCALE		0xf

/**
 * struct ns_tcp_cookie_tuple - the connection a cookie is for
 * @laddr: our address
 * @raddr: the peer's
 * @lport: our port
 * @rport: the peer's
 */
struct ns_tcp_cookie_tuple {
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
};

unsigned int ns_tcp_cookie_mss_count(void);
unsigned int ns_tcp_cookie_mss_index(u16 peer_mss);
u16 ns_tcp_cookie_mss(unsigned int index);
u32 ns_tcp_cookie_counter(void);
u32 ns_tcp_cookie_make(const struct ns_tcp_cookie_tuple *t, u32 peer_isn,
		       u32 counter, unsigned int mss_index);
int ns_tcp_cookie_check(const struct ns_tcp_cookie_tuple *t, u32 peer_isn,
			u32 cookie, u32 counter);
u32 ns_tcp_cookie_ts_make(u32 tsval_now, u8 wscale, bool sack);
bool ns_tcp_cookie_ts_check(u32 tsecr, u32 tsval_now, u8 *wscale, bool *sack);

#endif /* _NETSTACK_TCP_SYNCOOKIE_H */
