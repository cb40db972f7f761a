/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive-buffer autotuning: the receive buffer, and with it the window
 * offered, grows with the pace of the reader.
 */
#ifndef _NETSTACK_TCP_RCVBUF_H
#define _NETSTACK_TCP_RCVBUF_H

#include <linux/types.h>

struct sock;

/*
 * The shortest measurement period: on a link whose round trip is a few
 * microseconds, one RTT of reading says little about the reader's pace.
 */
#define NS_TCP_RCVBUF_PERIOD_MIN_US	1000

u32 ns_tcp_rcvbuf_target(u32 copied, u32 mss);
void ns_tcp_rcvbuf_start(struct sock *sk);
void ns_tcp_rcvbuf_tune(struct sock *sk);

#endif /* _NETSTACK_TCP_RCVBUF_H */
