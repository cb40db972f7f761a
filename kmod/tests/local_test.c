// SPDX-License-Identifier: GPL-2.0
/*
 * local_test.c - KUnit test of local delivery (ipv4.c): a packet from one
 * of our addresses to another never needs a link; it is received through
 * the instance's local queue, and the answer it earns comes back the same
 * way. Driven with an ICMP echo request from 10.0.0.7 to 10.0.0.7.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/skbuff.h>
#include <net/checksum.h>

#include "kmod/netstack.h"

static u64 local_test_stat(struct ns_net *nsn, const char *name)
{
	unsigned int i;

	for (i = 0; i < ns_stats_count(); i++)
		if (!strcmp(ns_stats_name(i), name))
			return ns_stats_value(nsn, i);
	return U64_MAX;
}

static void local_test_echo(struct kunit *test)
{
	static const char payload[] = "to myself";
	struct ns_net *nsn = kunit_kzalloc(test, sizeof(*nsn), GFP_KERNEL);
	struct ns_addr *addr = kunit_kzalloc(test, sizeof(*addr), GFP_KERNEL);
	const __be32 self = htonl(0x0a000007);
	struct icmphdr *icmph;
	struct sk_buff *skb;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, nsn);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	KUNIT_ASSERT_EQ(test, ns_stats_init(nsn), 0);
	INIT_LIST_HEAD(&nsn->links);
	INIT_LIST_HEAD(&nsn->addrs);
	INIT_LIST_HEAD(&nsn->routes);
	skb_queue_head_init(&nsn->local_queue);
	INIT_WORK(&nsn->local_work, ns_ipv4_local_work);
	/* An address on no link: no route, no neighbour, no device. */
	addr->addr = self;
	addr->prefixlen = 32;
	list_add_rcu(&addr->node, &nsn->addrs);

	skb = alloc_skb(MAX_HEADER + sizeof(*icmph) + sizeof(payload), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_HEADER);
	icmph = skb_put_zero(skb, sizeof(*icmph));
	icmph->type = ICMP_ECHO;
	icmph->un.echo.id = htons(7);
	skb_put_data(skb, payload, sizeof(payload));
	icmph->checksum = csum_fold(csum_partial(skb->data, skb->len, 0));

	KUNIT_EXPECT_EQ(test, ns_ipv4_output(nsn, skb, 0, self, IPPROTO_ICMP, true), 0);
	/* The request, then the reply it earns: each a pass of the work. */
	for (i = 0; i < 3; i++)
		flush_work(&nsn->local_work);

	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "ip_tx_delivered_locally"), 2ull);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "icmp_rx_echo_requests"), 1ull);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "icmp_tx_echo_replies"), 1ull);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "icmp_rx"), 2ull);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "ip_rx_delivered"), 2ull);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "ip_tx"), 0ull);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "link_tx"), 0ull);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&nsn->local_queue), 0u);

	/* Without the address, the same packet has nowhere to go. */
	list_del_rcu(&addr->node);
	synchronize_rcu();
	skb = alloc_skb(MAX_HEADER + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_HEADER);
	skb_put_zero(skb, 8);
	KUNIT_EXPECT_EQ(test, ns_ipv4_output(nsn, skb, 0, self, IPPROTO_ICMP, true),
			-ENETUNREACH);
	KUNIT_EXPECT_EQ(test, local_test_stat(nsn, "ip_tx_drop_no_route"), 1ull);
	cancel_work_sync(&nsn->local_work);
	skb_queue_purge(&nsn->local_queue);
	ns_stats_exit(nsn);
}

static struct kunit_case local_test_cases[] = {
	KUNIT_CASE(local_test_echo),
	{}
};

static struct kunit_suite local_test_suite = {
	.name = "netstack_local",
	.test_cases = local_test_cases,
};

kunit_test_suite(local_test_suite);
