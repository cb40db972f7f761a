// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_nagle.c - Nagle's algorithm and TCP_CORK. A full segment always
 * leaves (as the window allows, which is ns_tcp_push()'s concern). A
 * partial one - the tail of the write queue, which later writes still
 * fill up (tcp_sock.c appends to a tail segment not yet sent) - leaves
 * when it is the last before our FIN; when the user pushes (uncork, or
 * TCP_NODELAY set); while corked, not otherwise; with TCP_NODELAY at once;
 * else only when nothing is in flight (RFC 896: one small segment
 * unacknowledged at most; RFC 1122 4.2.3.4).
 */
#include <kunit/visibility.h>

#include "tcp.h"
#include "tcp_nagle.h"

/**
 * ns_tcp_nagle_may_send() - whether the next segment may leave now
 * @f: what the sender knows about it
 *
 * Return: true to send it, false to wait (for an ACK, or the uncork).
 */
bool ns_tcp_nagle_may_send(const struct ns_tcp_nagle_facts *f)
{
	if (f->len >= f->mss || f->fin_follows || f->push)
		return true;
	if (f->corked)
		return false;
	return f->nodelay || f->idle;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_nagle_may_send);

/**
 * ns_tcp_nagle_allows() - whether ns_tcp_push() may send the next segment
 * @sk: the socket, locked
 * @len: the segment's payload
 * @last: it ends the write queue
 *
 * Return: true to send it.
 */
bool ns_tcp_nagle_allows(struct sock *sk, u32 len, bool last)
{
	const struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_tcp_nagle_facts f = {
		.len = len,
		.mss = tp->mss,
		.nodelay = tp->nodelay,
		.corked = tp->cork,
		.push = tp->nagle_push,
		.fin_follows = last && tp->fin_queued,
		.idle = tp->snd_una == tp->snd_nxt,
	};

	return ns_tcp_nagle_may_send(&f);
}
