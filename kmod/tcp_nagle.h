/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nagle's algorithm (RFC 896, RFC 1122 4.2.3.4) and TCP_CORK: when a
 * segment smaller than the MSS may leave.
 */
#ifndef _NETSTACK_TCP_NAGLE_H
#define _NETSTACK_TCP_NAGLE_H

#include <linux/types.h>

struct sock;

/* A corked partial segment leaves after this long anyway (Linux, tcp(7)). */
#define NS_TCP_CORK_MAX_MS	200

/**
 * struct ns_tcp_nagle_facts - what the sender knows about the next segment
 * @len: its payload
 * @mss: the most a segment may carry
 * @nodelay: TCP_NODELAY
 * @corked: TCP_CORK
 * @push: the user asked to send now (uncork, TCP_NODELAY set)
 * @fin_follows: it is the last data before our FIN
 * @idle: nothing we sent is unacknowledged
 */
struct ns_tcp_nagle_facts {
	u32 len;
	u32 mss;
	bool nodelay;
	bool corked;
	bool push;
	bool fin_follows;
	bool idle;
};

bool ns_tcp_nagle_may_send(const struct ns_tcp_nagle_facts *f);
bool ns_tcp_nagle_allows(struct sock *sk, u32 len, bool last);

#endif /* _NETSTACK_TCP_NAGLE_H */
