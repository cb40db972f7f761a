// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - the per-network-namespace counters: per-CPU, summed on read,
 * followed by those the reassembly table keeps itself. Readers walk them
 * all by index: ns_stats_count(), ns_stats_name(), ns_stats_value().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>

#include "netstack.h"

static const char *const ns_stat_names[NS_STAT_COUNT] = {
	[NS_STAT_LINK_RX] = "link_rx",
	[NS_STAT_LINK_RX_PASSED] = "link_rx_passed_to_linux",
	[NS_STAT_LINK_TX] = "link_tx",
	[NS_STAT_LINK_TX_DROP_DOWN] = "link_tx_drop_link_down",
	[NS_STAT_LINK_TX_ERRORS] = "link_tx_errors",
	[NS_STAT_ARP_RX] = "arp_rx",
	[NS_STAT_ARP_RX_DROP_MALFORMED] = "arp_rx_drop_malformed",
	[NS_STAT_ARP_RX_DROP_BOGUS_SENDER] = "arp_rx_drop_bogus_sender",
	[NS_STAT_ARP_REQUESTS_ANSWERED] = "arp_requests_answered",
	[NS_STAT_ARP_REQUESTS_SENT] = "arp_requests_sent",
	[NS_STAT_ARP_REPLIES_RECEIVED] = "arp_replies_received",
	[NS_STAT_NEIGH_QUEUE_DROP_FULL] = "neigh_queue_drop_full",
	[NS_STAT_NEIGH_QUEUE_DROP_FAILED] = "neigh_queue_drop_resolution_failed",
	[NS_STAT_NEIGH_TABLE_FULL] = "neigh_table_full",
	[NS_STAT_IP_RX] = "ip_rx",
	[NS_STAT_IP_RX_DROP_TRUNCATED] = "ip_rx_drop_truncated",
	[NS_STAT_IP_RX_DROP_VERSION] = "ip_rx_drop_bad_version",
	[NS_STAT_IP_RX_DROP_IHL] = "ip_rx_drop_bad_ihl",
	[NS_STAT_IP_RX_DROP_LENGTH] = "ip_rx_drop_bad_total_length",
	[NS_STAT_IP_RX_DROP_CHECKSUM] = "ip_rx_drop_bad_checksum",
	[NS_STAT_IP_RX_DROP_OPTIONS] = "ip_rx_drop_bad_options",
	[NS_STAT_IP_RX_DROP_SOURCE] = "ip_rx_drop_bad_source",
	[NS_STAT_IP_RX_DROP_NOT_LOCAL] = "ip_rx_drop_not_for_us",
	[NS_STAT_IP_RX_DROP_NO_PROTOCOL] = "ip_rx_drop_unknown_protocol",
	[NS_STAT_IP_RX_DELIVERED] = "ip_rx_delivered",
	[NS_STAT_IP_TX] = "ip_tx",
	[NS_STAT_IP_TX_DROP_NO_ROUTE] = "ip_tx_drop_no_route",
	[NS_STAT_IP_TX_LOCAL] = "ip_tx_delivered_locally",
	[NS_STAT_IP_TX_FRAGMENTS] = "ip_tx_fragments_created",
	[NS_STAT_IP_TX_DROP_FRAG_NEEDED] = "ip_tx_drop_fragmentation_needed",
	[NS_STAT_IP_TX_DROP_NOMEM] = "ip_tx_drop_no_memory",
	[NS_STAT_IP_LOCAL_QUEUE_DROP_FULL] = "ip_local_queue_drop_full",
	[NS_STAT_UDP_RX] = "udp_rx",
	[NS_STAT_UDP_RX_DROP_MALFORMED] = "udp_rx_drop_malformed",
	[NS_STAT_UDP_RX_DROP_CHECKSUM] = "udp_rx_drop_bad_checksum",
	[NS_STAT_UDP_RX_NO_PORT] = "udp_rx_no_port",
	[NS_STAT_UDP_RX_DELIVERED] = "udp_rx_delivered",
	[NS_STAT_UDP_RX_DROP_RCVBUF] = "udp_rx_drop_rcvbuf_full",
	[NS_STAT_UDP_RX_DROP_NOMEM] = "udp_rx_drop_no_memory",
	[NS_STAT_UDP_RX_DROP_FILTER] = "udp_rx_drop_socket_filter",
	[NS_STAT_UDP_TX] = "udp_tx",
	[NS_STAT_TCP_RX] = "tcp_rx",
	[NS_STAT_TCP_RX_DROP_MALFORMED] = "tcp_rx_drop_malformed",
	[NS_STAT_TCP_RX_DROP_CHECKSUM] = "tcp_rx_drop_bad_checksum",
	[NS_STAT_TCP_RX_DROP_NOT_UNICAST] = "tcp_rx_drop_not_unicast",
	[NS_STAT_TCP_RX_NO_SOCKET] = "tcp_rx_no_socket",
	[NS_STAT_TCP_TX_RST] = "tcp_tx_resets",
	[NS_STAT_TCP_TX] = "tcp_tx",
	[NS_STAT_TCP_ACTIVE_OPENS] = "tcp_active_opens",
	[NS_STAT_TCP_PASSIVE_OPENS] = "tcp_passive_opens",
	[NS_STAT_TCP_LISTEN_DROPS] = "tcp_listen_drops",
	[NS_STAT_TCP_RETRANSMITS] = "tcp_retransmits",
	[NS_STAT_TCP_TIMEOUTS] = "tcp_timeouts",
	[NS_STAT_TCP_FAST_RETRANSMITS] = "tcp_fast_retransmits",
	[NS_STAT_TCP_RX_DROP_QUEUE_FULL] = "tcp_rx_drop_queue_full",
	[NS_STAT_TCP_RX_BAD_OPTIONS] = "tcp_rx_bad_options",
	[NS_STAT_TCP_RX_OUT_OF_WINDOW] = "tcp_rx_out_of_window",
	[NS_STAT_TCP_RX_DUPLICATE] = "tcp_rx_duplicate",
	[NS_STAT_TCP_RCV_COALESCE] = "tcp_rcv_coalesce",
	[NS_STAT_TCP_RX_DROP_OFO_FULL] = "tcp_rx_drop_ofo_full",
	[NS_STAT_TCP_CHALLENGE_ACKS] = "tcp_challenge_acks",
	[NS_STAT_TCP_RX_PAWS_REJECTED] = "tcp_rx_paws_rejected",
	[NS_STAT_TCP_CHALLENGE_ACKS_SUPPRESSED] = "tcp_challenge_acks_suppressed",
	[NS_STAT_TCP_SYNCOOKIES_SENT] = "tcp_syncookies_sent",
	[NS_STAT_TCP_SYNCOOKIES_ACCEPTED] = "tcp_syncookies_accepted",
	[NS_STAT_TCP_SYNCOOKIES_REJECTED] = "tcp_syncookies_rejected",
	[NS_STAT_TCP_DELAYED_ACKS] = "tcp_delayed_acks",
	[NS_STAT_TCP_KEEPALIVE_PROBES] = "tcp_keepalive_probes",
	[NS_STAT_TCP_KEEPALIVE_TIMEOUTS] = "tcp_keepalive_timeouts",
	[NS_STAT_TCP_USER_TIMEOUTS] = "tcp_user_timeouts",
	[NS_STAT_ICMP_RX] = "icmp_rx",
	[NS_STAT_ICMP_RX_DROP_MALFORMED] = "icmp_rx_drop_malformed",
	[NS_STAT_ICMP_RX_DROP_CHECKSUM] = "icmp_rx_drop_bad_checksum",
	[NS_STAT_ICMP_RX_ECHO_REQUESTS] = "icmp_rx_echo_requests",
	[NS_STAT_ICMP_RX_ERRORS] = "icmp_rx_errors",
	[NS_STAT_ICMP_RX_ERRORS_UNCLAIMED] = "icmp_rx_errors_unclaimed",
	[NS_STAT_ICMP_TX_ECHO_REPLIES] = "icmp_tx_echo_replies",
	[NS_STAT_ICMP_TX_UNREACHABLE] = "icmp_tx_dest_unreachable",
	[NS_STAT_ICMP_TX_RATE_LIMITED] = "icmp_tx_rate_limited",
};

/**
 * ns_stats_init() - allocate an instance's counters, all zero
 * @nsn: the instance
 *
 * Return: 0 or -ENOMEM.
 */
int ns_stats_init(struct ns_net *nsn)
{
	int i;

	for (i = 0; i < NS_STAT_COUNT; i++)
		if (WARN_ON_ONCE(!ns_stat_names[i]))
			return -EINVAL;
	nsn->stats = alloc_percpu(struct ns_stats);
	return nsn->stats ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(ns_stats_init);

/**
 * ns_stats_exit() - free an instance's counters
 * @nsn: the instance
 */
void ns_stats_exit(struct ns_net *nsn)
{
	free_percpu(nsn->stats);
}
EXPORT_SYMBOL_IF_KUNIT(ns_stats_exit);

#define NS_FRAG_STAT(field) { "ip_" #field, offsetof(struct ns_frag_stats, field) }
static const struct {
	const char *name;
	size_t offset;
} ns_frag_stats[] = {
	NS_FRAG_STAT(reasm_reqds),
	NS_FRAG_STAT(reasm_oks),
	NS_FRAG_STAT(reasm_fails),
	NS_FRAG_STAT(reasm_timeout),
	NS_FRAG_STAT(reasm_overlap),
	NS_FRAG_STAT(reasm_duplicate),
	NS_FRAG_STAT(reasm_oversize),
	NS_FRAG_STAT(reasm_memory),
	NS_FRAG_STAT(reasm_malformed),
};

#undef NS_FRAG_STAT

/**
 * ns_stats_count() - how many counters an instance shows
 *
 * Return: the number.
 */
unsigned int ns_stats_count(void)
{
	return NS_STAT_COUNT + ARRAY_SIZE(ns_frag_stats);
}
EXPORT_SYMBOL_IF_KUNIT(ns_stats_count);

/**
 * ns_stats_name() - a counter's name
 * @i: its index, below ns_stats_count()
 *
 * Return: the name.
 */
const char *ns_stats_name(unsigned int i)
{
	return i < NS_STAT_COUNT ? ns_stat_names[i] :
	       ns_frag_stats[i - NS_STAT_COUNT].name;
}
EXPORT_SYMBOL_IF_KUNIT(ns_stats_name);

/**
 * ns_stats_value() - a counter's value
 * @nsn: the instance
 * @i: its index, below ns_stats_count()
 *
 * Return: the value, summed over CPUs for the per-CPU ones.
 */
u64 ns_stats_value(const struct ns_net *nsn, unsigned int i)
{
	const atomic_long_t *frag;
	u64 sum = 0;
	int cpu;

	if (i >= NS_STAT_COUNT) {
		frag = (const void *)&nsn->frags.stats +
		       ns_frag_stats[i - NS_STAT_COUNT].offset;
		return atomic_long_read(frag);
	}
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(nsn->stats, cpu)->v[i];
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(ns_stats_value);
