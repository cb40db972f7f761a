/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netstack user ABI: the socket family, its socket address and, as the
 * stack grows, its socket options and generic netlink interface.
 *
 * This is the only header user space needs. It can be included before or
 * after the C library's <sys/socket.h> and <netinet/in.h>.
 */
#ifndef _UAPI_LINUX_NETSTACK_H
#define _UAPI_LINUX_NETSTACK_H

#include <linux/types.h>
#include <linux/socket.h>

/*
 * AF_NETSTACK takes the retired AF_WANPIPE slot: no kernel registers it,
 * and a module cannot add numbers beyond AF_MAX. The module parameter
 * "family" (/sys/module/netstack/parameters/family) can move it to another
 * free slot; programs that must follow such a move read it from there.
 */
#define AF_NETSTACK	25
#define PF_NETSTACK	AF_NETSTACK

/**
 * struct sockaddr_ns - netstack IPv4 socket address
 * @sns_family: AF_NETSTACK; AF_INET is accepted on input too
 * @sns_port: port in network byte order
 * @sns_addr: IPv4 address in network byte order
 * @sns_zero: padding, as in struct sockaddr_in
 *
 * It has exactly the layout of struct sockaddr_in, so code written for
 * AF_INET ports by changing the family constant. netstack reports
 * AF_NETSTACK in addresses it returns.
 */
struct sockaddr_ns {
	__kernel_sa_family_t	sns_family;
	__be16			sns_port;
	struct {
		__be32		s_addr;
	}			sns_addr;
	unsigned char		sns_zero[8];
};

#endif /* _UAPI_LINUX_NETSTACK_H */
