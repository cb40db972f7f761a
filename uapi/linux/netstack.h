/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netstack user ABI: the socket family, its socket address and, as the
 * stack grows, its socket options and generic netlink interface.
 *
 * This is the only header user space needs. It can be included before or
 * after the C library's <sys/socket.h> and <netinet/in.h>.
 *
 * Contents: the socket family and address; TCP socket options; the
 * generic netlink family.
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

/*
 * TCP socket options (level SOL_TCP, names from <linux/tcp.h> or
 * <netinet/tcp.h>) behave as on an AF_INET socket, among them:
 *
 * TCP_CONGESTION   get or set the congestion control by name: "cubic"
 *                  (RFC 9438, the default; net.netstack.tcp_congestion_control
 *                  sets a namespace's default) or "reno" (RFC 5681 with
 *                  NewReno, RFC 6582). Unknown names fail with ENOENT.
 * TCP_INFO         struct tcp_info of <linux/tcp.h>, cut to the length given.
 *                  Filled: tcpi_state, tcpi_ca_state (0 open, 3 recovery,
 *                  4 loss), tcpi_retransmits, tcpi_probes, tcpi_backoff,
 *                  tcpi_options (TCPI_OPT_SACK, TCPI_OPT_WSCALE,
 *                  TCPI_OPT_TIMESTAMPS), tcpi_snd_wscale, tcpi_rcv_wscale,
 *                  tcpi_rto, tcpi_rtt, tcpi_rttvar (microseconds),
 *                  tcpi_snd_mss, tcpi_rcv_mss, tcpi_advmss, tcpi_snd_cwnd,
 *                  tcpi_snd_ssthresh (segments), the SACK scoreboard in
 *                  segments (tcpi_unacked, tcpi_sacked, tcpi_lost,
 *                  tcpi_retrans), tcpi_total_retrans, tcpi_reordering,
 *                  tcpi_last_data_sent (ms), tcpi_bytes_acked,
 *                  tcpi_bytes_received, tcpi_notsent_bytes, tcpi_snd_wnd;
 *                  on a listener tcpi_unacked is the accept queue's length
 *                  and tcpi_sacked its limit. Other fields read 0.
 */

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

/*
 * Generic netlink family NETSTACK_GENL_NAME: configuration of the netstack
 * instance of the caller's network namespace. Commands that change state
 * need CAP_NET_ADMIN in that namespace; every *_GET command dumps.
 * Errors come back as a negative errno with an extended-ack message.
 *
 * Attributes used by each command (request; reply/dump entries):
 *   LINK_ATTACH, LINK_DETACH  IFINDEX
 *   LINK_GET                  ; IFINDEX IFNAME LLADDR MTU LINK_UP
 *   ADDR_ADD, ADDR_DEL        IFINDEX ADDR PREFIXLEN
 *   ADDR_GET                  ; IFINDEX IFNAME ADDR PREFIXLEN
 *   ROUTE_ADD, ROUTE_DEL      DST PREFIXLEN [GATEWAY] [IFINDEX]
 *   ROUTE_GET                 ; DST PREFIXLEN [GATEWAY] IFINDEX IFNAME
 *                               [PREFSRC] ROUTE_ORIGIN
 *   NEIGH_ADD                 IFINDEX ADDR LLADDR (a static entry)
 *   NEIGH_DEL                 ADDR [IFINDEX]
 *   NEIGH_FLUSH               [IFINDEX] (dynamic entries only)
 *   NEIGH_GET                 ; IFINDEX IFNAME ADDR [LLADDR] NEIGH_STATE
 *   STATS_GET                 ; STAT (nested, repeated: STAT_NAME STAT_VALUE)
 *   SOCK_GET                  ; SOCK_PROTO SOCK_STATE SOCK_LADDR SOCK_LPORT
 *                               SOCK_RADDR SOCK_RPORT SOCK_RXQ SOCK_TXQ
 *                               SOCK_DROPS
 * Addresses are IPv4 in network byte order (__be32); link-layer addresses
 * are 6 bytes.
 *
 * SOCK_GET dumps the netstack sockets of the namespace that hold a local
 * port, one message each (like ss -uan). Reading needs no capability.
 * SOCK_PROTO is IPPROTO_UDP (IPPROTO_TCP to come). SOCK_STATE is one of
 * Linux's TCP_* state numbers (<net/tcp_states.h>: 1 ESTABLISHED, 2 SYN_SENT,
 * 3 SYN_RECV, 4 FIN_WAIT1, 5 FIN_WAIT2, 6 TIME_WAIT, 7 CLOSE, 8 CLOSE_WAIT,
 * 9 LAST_ACK, 10 LISTEN, 11 CLOSING); a UDP socket is ESTABLISHED when
 * connected, else CLOSE. SOCK_LADDR is the bound address, or else the
 * source address a connect chose, or 0 (the wildcard); SOCK_RADDR and
 * SOCK_RPORT are the peer's, 0 when there is none. Unlike the addresses,
 * the ports are in host byte order. SOCK_RXQ and SOCK_TXQ are the bytes of
 * receive and send buffer in use (sk_rmem_alloc and sk_wmem_alloc, as
 * ss's Recv-Q and Send-Q for UDP); SOCK_DROPS the datagrams dropped on
 * arrival (a full receive buffer).
 */
#define NETSTACK_GENL_NAME	"netstack"
#define NETSTACK_GENL_VERSION	1

enum netstack_cmd {
	NETSTACK_CMD_UNSPEC,
	NETSTACK_CMD_LINK_ATTACH,
	NETSTACK_CMD_LINK_DETACH,
	NETSTACK_CMD_LINK_GET,
	NETSTACK_CMD_ADDR_ADD,
	NETSTACK_CMD_ADDR_DEL,
	NETSTACK_CMD_ADDR_GET,
	NETSTACK_CMD_ROUTE_ADD,
	NETSTACK_CMD_ROUTE_DEL,
	NETSTACK_CMD_ROUTE_GET,
	NETSTACK_CMD_NEIGH_ADD,
	NETSTACK_CMD_NEIGH_DEL,
	NETSTACK_CMD_NEIGH_FLUSH,
	NETSTACK_CMD_NEIGH_GET,
	NETSTACK_CMD_STATS_GET,
	NETSTACK_CMD_SOCK_GET,
	__NETSTACK_CMD_MAX,
};

#define NETSTACK_CMD_MAX (__NETSTACK_CMD_MAX - 1)

enum netstack_attr {
	NETSTACK_A_UNSPEC,
	NETSTACK_A_IFINDEX,		/* u32 */
	NETSTACK_A_IFNAME,		/* string */
	NETSTACK_A_LLADDR,		/* binary, ETH_ALEN */
	NETSTACK_A_MTU,			/* u32 */
	NETSTACK_A_LINK_UP,		/* u8: 1 when up with carrier */
	NETSTACK_A_ADDR,		/* __be32 */
	NETSTACK_A_PREFIXLEN,		/* u8, 0..32 */
	NETSTACK_A_DST,			/* __be32 */
	NETSTACK_A_GATEWAY,		/* __be32 */
	NETSTACK_A_PREFSRC,		/* __be32 */
	NETSTACK_A_ROUTE_ORIGIN,	/* u8, enum netstack_route_origin */
	NETSTACK_A_NEIGH_STATE,		/* u8, enum netstack_neigh_state */
	NETSTACK_A_STAT,		/* nested: STAT_NAME, STAT_VALUE */
	NETSTACK_A_STAT_NAME,		/* string */
	NETSTACK_A_STAT_VALUE,		/* u64 */
	NETSTACK_A_PAD,
	NETSTACK_A_SOCK_PROTO,		/* u8, IPPROTO_* */
	NETSTACK_A_SOCK_STATE,		/* u8, a Linux TCP_* state number */
	NETSTACK_A_SOCK_LADDR,		/* __be32 */
	NETSTACK_A_SOCK_LPORT,		/* u16, host byte order */
	NETSTACK_A_SOCK_RADDR,		/* __be32 */
	NETSTACK_A_SOCK_RPORT,		/* u16, host byte order */
	NETSTACK_A_SOCK_RXQ,		/* u32, bytes */
	NETSTACK_A_SOCK_TXQ,		/* u32, bytes */
	NETSTACK_A_SOCK_DROPS,		/* u32 */
	__NETSTACK_A_MAX,
};

#define NETSTACK_A_MAX (__NETSTACK_A_MAX - 1)

enum netstack_route_origin {
	NETSTACK_ROUTE_LINK,		/* on-link, from an address */
	NETSTACK_ROUTE_STATIC,		/* added by the user */
};

enum netstack_neigh_state {
	NETSTACK_NEIGH_INCOMPLETE,	/* request sent, no answer yet */
	NETSTACK_NEIGH_REACHABLE,	/* confirmed recently */
	NETSTACK_NEIGH_STALE,		/* usable; confirmed on next use */
	NETSTACK_NEIGH_FAILED,		/* no answer to the requests */
	NETSTACK_NEIGH_PERMANENT,	/* static, added by the user */
};

#endif /* _UAPI_LINUX_NETSTACK_H */
