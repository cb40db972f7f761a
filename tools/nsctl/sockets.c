// SPDX-License-Identifier: GPL-2.0
/*
 * sockets.c - "nsctl sockets": the netstack sockets of the caller's
 * network namespace (SOCK_GET), one line each as "ss -uan"/"ss -tan" show
 * them, or JSON; optionally only those of some protocols (filtered here:
 * the kernel always sends them all).
 */
#include <netinet/in.h>
#include <string.h>

#include "nsctl.h"

static const char usage_show[] = "sockets [show] [udp] [tcp]";

/* ss's names of Linux's TCP_* states (<net/tcp_states.h>), by number. */
static const char *const sock_states[] = {
	[1] = "ESTAB",
	[2] = "SYN-SENT",
	[3] = "SYN-RECV",
	[4] = "FIN-WAIT-1",
	[5] = "FIN-WAIT-2",
	[6] = "TIME-WAIT",
	[7] = "UNCONN",
	[8] = "CLOSE-WAIT",
	[9] = "LAST-ACK",
	[10] = "LISTEN",
	[11] = "CLOSING",
};

/* Which protocols to show; none set means all. */
struct sock_filter {
	bool udp, tcp;
};

static const char *sock_netid(unsigned int proto, char buf[4])
{
	if (proto == IPPROTO_UDP)
		return "udp";
	if (proto == IPPROTO_TCP)
		return "tcp";
	snprintf(buf, 4, "%u", proto);
	return buf;
}

static const char *sock_state(unsigned int state, char buf[4])
{
	if (state < sizeof(sock_states) / sizeof(sock_states[0]) && sock_states[state])
		return sock_states[state];
	snprintf(buf, 4, "%u", state);
	return buf;
}

static uint32_t sock_u32(const struct nlattr *const *tb, int type)
{
	return tb[type] ? mnl_attr_get_u32(tb[type]) : 0;
}

static uint16_t sock_u16(const struct nlattr *const *tb, int type)
{
	return tb[type] ? mnl_attr_get_u16(tb[type]) : 0;
}

/* "ADDR:PORT", the port "*" when 0 (as ss prints it). */
static const char *sock_endpoint(uint32_t addr, uint16_t port, char buf[22])
{
	char ip[16];

	ns_fmt_ipv4(addr, ip);
	if (port)
		snprintf(buf, 22, "%s:%u", ip, port);
	else
		snprintf(buf, 22, "%s:*", ip);
	return buf;
}

static int sock_print(const struct nlmsghdr *nlh, void *data)
{
	static const int need[] = { NETSTACK_A_SOCK_PROTO, NETSTACK_A_SOCK_STATE,
				    NETSTACK_A_SOCK_LADDR, NETSTACK_A_SOCK_LPORT, 0 };
	const struct nlattr *tb[NETSTACK_A_MAX + 1];
	const struct sock_filter *f = data;
	char nbuf[4], sbuf[4], lip[16], rip[16], local[22], peer[22];
	const char *netid, *state;
	unsigned int proto;
	uint32_t laddr, raddr, rxq, txq;
	uint16_t lport, rport;

	if (ns_genl_attrs(nlh, tb) || ns_genl_need(tb, "socket", need))
		return MNL_CB_ERROR;
	proto = mnl_attr_get_u8(tb[NETSTACK_A_SOCK_PROTO]);
	if ((f->udp || f->tcp) &&
	    !((f->udp && proto == IPPROTO_UDP) || (f->tcp && proto == IPPROTO_TCP)))
		return MNL_CB_OK;
	netid = sock_netid(proto, nbuf);
	state = sock_state(mnl_attr_get_u8(tb[NETSTACK_A_SOCK_STATE]), sbuf);
	laddr = mnl_attr_get_u32(tb[NETSTACK_A_SOCK_LADDR]);
	lport = mnl_attr_get_u16(tb[NETSTACK_A_SOCK_LPORT]);
	raddr = sock_u32(tb, NETSTACK_A_SOCK_RADDR);
	rport = sock_u16(tb, NETSTACK_A_SOCK_RPORT);
	rxq = sock_u32(tb, NETSTACK_A_SOCK_RXQ);
	txq = sock_u32(tb, NETSTACK_A_SOCK_TXQ);

	if (ns_json) {
		ns_json_open(NULL, '{');
		ns_json_str("netid", netid);
		ns_json_str("state", state);
		ns_json_uint("recv_q", rxq);
		ns_json_uint("send_q", txq);
		ns_json_str("local", ns_fmt_ipv4(laddr, lip));
		ns_json_uint("local_port", lport);
		ns_json_str("peer", ns_fmt_ipv4(raddr, rip));
		ns_json_uint("peer_port", rport);
		ns_json_uint("drops", sock_u32(tb, NETSTACK_A_SOCK_DROPS));
		ns_json_close('}');
		return MNL_CB_OK;
	}
	fprintf(ns_out(), "%-6s %-7s %-7u %-7u %-21s %s\n", netid, state, rxq, txq,
		sock_endpoint(laddr, lport, local), sock_endpoint(raddr, rport, peer));
	return MNL_CB_OK;
}

static int sock_show(int argc, char **argv)
{
	struct sock_filter f = { 0 };

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "udp")) {
			ns_dup_check(f.udp, "udp", usage_show);
			f.udp = true;
		} else if (!strcmp(*argv, "tcp")) {
			ns_dup_check(f.tcp, "tcp", usage_show);
			f.tcp = true;
		} else {
			ns_usage_err(usage_show, "unexpected argument \"%s\"", *argv);
		}
	}
	if (ns_json)
		ns_json_open(NULL, '[');
	else
		fprintf(ns_out(), "%-6s %-7s %-7s %-7s %-21s %s\n", "Netid", "State",
			"Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port");
	if (ns_genl_dump(NETSTACK_CMD_SOCK_GET, sock_print, &f))
		return 1;
	if (ns_json)
		ns_json_close(']');
	return 0;
}

int ns_sockets_main(int argc, char **argv)
{
	if (argc > 0 && ns_is_show(argv[0]))
		return sock_show(argc - 1, argv + 1);
	return sock_show(argc, argv);
}
