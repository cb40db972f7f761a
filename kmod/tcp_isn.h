/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP initial sequence numbers, RFC 6528 (tcp_isn.c).
 */
#ifndef _NETSTACK_TCP_ISN_H
#define _NETSTACK_TCP_ISN_H

#include <linux/types.h>

u32 ns_tcp_isn_hash(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport);
u32 ns_tcp_isn(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport);

#endif /* _NETSTACK_TCP_ISN_H */
