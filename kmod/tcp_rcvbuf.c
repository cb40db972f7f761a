// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_rcvbuf.c - receive-buffer autotuning, in the spirit of Linux's
 * tcp_moderate_rcvbuf ("dynamic right-sizing"). A connection starts with
 * tcp_rmem[1] of buffer, which offers a window of half that
 * (ns_tcp_window_room()). Once per measurement period (the smoothed RTT,
 * at least NS_TCP_RCVBUF_PERIOD_MIN_US) the bytes the reader took in it
 * are counted; the buffer grows to offer a window twice that, plus some
 * segments of slack, up to tcp_rmem[2]. A sender held back by the window
 * has its whole window read each period, so the window doubles until the
 * reader or the path is the limit; a slow reader takes little, and the
 * buffer stays as it is. It never shrinks. SO_RCVBUF (SOCK_RCVBUF_LOCK)
 * and net.ipv4.tcp_moderate_rcvbuf = 0 turn it off.
 */
#include <kunit/visibility.h>
#include <net/sock.h>

#include "tcp.h"
#include "tcp_rcvbuf.h"

/* Segments of slack above twice the bytes read: scheduling jitter. */
#define NS_TCP_RCVBUF_SLACK_SEGS	16

/**
 * ns_tcp_rcvbuf_target() - the receive buffer a reader's pace calls for
 * @copied: bytes the reader took in one measurement period
 * @mss: the connection's segment size
 *
 * A window of twice @copied plus %NS_TCP_RCVBUF_SLACK_SEGS segments, and
 * twice that in buffer: the window offered is half the buffer, the other
 * half covering the skbs' overhead.
 *
 * Return: the buffer size in bytes (at most U32_MAX).
 */
u32 ns_tcp_rcvbuf_target(u32 copied, u32 mss)
{
	u64 window = 2ULL * copied + (u64)NS_TCP_RCVBUF_SLACK_SEGS * mss;

	return min_t(u64, 2 * window, U32_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_rcvbuf_target);

/**
 * ns_tcp_rcvbuf_start() - start the first measurement period
 * @sk: the socket, its receive side just set up by the peer's SYN
 */
void ns_tcp_rcvbuf_start(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	tp->rcvq_seq = tp->copied_seq;
	tp->rcvq_start_us = ns_tcp_clock_us();
}

/**
 * ns_tcp_rcvbuf_tune() - after the reader took data: grow the buffer if
 *	a measurement period is over and the reader's pace asks for more
 * @sk: the socket, locked
 */
void ns_tcp_rcvbuf_tune(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	const struct net *net = sock_net(sk);
	u64 now = ns_tcp_clock_us();
	u32 period = max_t(u32, ns_tcp_rto_srtt_us(&tp->rto),
			   NS_TCP_RCVBUF_PERIOD_MIN_US);
	u32 want;
	int max;

	if (now - tp->rcvq_start_us < period)
		return;
	want = ns_tcp_rcvbuf_target(tp->copied_seq - tp->rcvq_seq, tp->mss);
	tp->rcvq_seq = tp->copied_seq;
	tp->rcvq_start_us = now;
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) ||
	    !READ_ONCE(net->ipv4.sysctl_tcp_moderate_rcvbuf))
		return;
	max = READ_ONCE(net->ipv4.sysctl_tcp_rmem[2]);
	want = min_t(u32, want, max_t(int, max, 0));
	if (want <= READ_ONCE(sk->sk_rcvbuf))
		return;
	WRITE_ONCE(sk->sk_rcvbuf, want);
	tp->ofo.limit = want;
}
