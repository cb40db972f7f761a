/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace counters: every packet dropped is counted here by
 * reason, and every layer counts what it received and sent. Shown by
 * /proc/net/netstack/stats and `nsctl stats`.
 */
#ifndef _NETSTACK_STATS_H
#define _NETSTACK_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

/* The counters; their names are in stats.c, in the same order. */
enum ns_stat {
	NS_STAT_LINK_RX,
	NS_STAT_LINK_RX_PASSED,
	NS_STAT_LINK_TX,
	NS_STAT_LINK_TX_DROP_DOWN,
	NS_STAT_LINK_TX_ERRORS,
	NS_STAT_ARP_RX,
	NS_STAT_ARP_RX_DROP_MALFORMED,
	NS_STAT_ARP_RX_DROP_BOGUS_SENDER,
	NS_STAT_ARP_REQUESTS_ANSWERED,
	NS_STAT_ARP_REQUESTS_SENT,
	NS_STAT_ARP_REPLIES_RECEIVED,
	NS_STAT_NEIGH_QUEUE_DROP_FULL,
	NS_STAT_NEIGH_QUEUE_DROP_FAILED,
	NS_STAT_NEIGH_TABLE_FULL,
	NS_STAT_IP_RX,
	NS_STAT_IP_RX_DROP_TRUNCATED,
	NS_STAT_IP_RX_DROP_VERSION,
	NS_STAT_IP_RX_DROP_IHL,
	NS_STAT_IP_RX_DROP_LENGTH,
	NS_STAT_IP_RX_DROP_CHECKSUM,
	NS_STAT_IP_RX_DROP_OPTIONS,
	NS_STAT_IP_RX_DROP_SOURCE,
	NS_STAT_IP_RX_DROP_NOT_LOCAL,
	NS_STAT_IP_RX_DROP_NO_PROTOCOL,
	NS_STAT_IP_RX_DELIVERED,
	NS_STAT_IP_TX,
	NS_STAT_IP_TX_DROP_NO_ROUTE,
	NS_STAT_IP_TX_LOCAL,
	NS_STAT_IP_TX_FRAGMENTS,
	NS_STAT_IP_TX_DROP_FRAG_NEEDED,
	NS_STAT_IP_TX_DROP_NOMEM,
	NS_STAT_IP_LOCAL_QUEUE_DROP_FULL,
	NS_STAT_UDP_RX,
	NS_STAT_UDP_RX_DROP_MALFORMED,
	NS_STAT_UDP_RX_DROP_CHECKSUM,
	NS_STAT_UDP_RX_NO_PORT,
	NS_STAT_UDP_RX_DELIVERED,
	NS_STAT_UDP_RX_DROP_RCVBUF,
	NS_STAT_UDP_RX_DROP_NOMEM,
	NS_STAT_UDP_RX_DROP_FILTER,
	NS_STAT_UDP_TX,
	NS_STAT_ICMP_RX,
	NS_STAT_ICMP_RX_DROP_MALFORMED,
	NS_STAT_ICMP_RX_DROP_CHECKSUM,
	NS_STAT_ICMP_RX_ECHO_REQUESTS,
	NS_STAT_ICMP_RX_ERRORS,
	NS_STAT_ICMP_RX_ERRORS_UNCLAIMED,
	NS_STAT_ICMP_TX_ECHO_REPLIES,
	NS_STAT_ICMP_TX_UNREACHABLE,
	NS_STAT_ICMP_TX_RATE_LIMITED,
	NS_STAT_COUNT
};

/**
 * struct ns_stats - one CPU's counters
 * @v: indexed by enum ns_stat
 */
struct ns_stats {
	u64 v[NS_STAT_COUNT];
};

struct ns_net;

int ns_stats_init(struct ns_net *nsn);
void ns_stats_exit(struct ns_net *nsn);
unsigned int ns_stats_count(void);
const char *ns_stats_name(unsigned int i);
u64 ns_stats_value(const struct ns_net *nsn, unsigned int i);

#endif /* _NETSTACK_STATS_H */
