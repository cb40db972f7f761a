// SPDX-License-Identifier: GPL-2.0
/*
 * icmp_test.c - KUnit tests for received ICMP errors (icmp.c): an error
 * quoting one of our packets reaches the handler its transport set, with
 * the quoted header and ports; malformed, corrupted and unclaimed errors
 * are counted and reach no one.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "kmod/netstack.h"

static struct {
	int calls;
	u8 type, code;
	u32 info;
	__be32 daddr;
	__be16 dport;
} seen;

static void icmp_test_handler(struct ns_net *nsn, const struct ns_icmp_err *err)
{
	seen.calls++;
	seen.type = err->type;
	seen.code = err->code;
	seen.info = err->info;
	seen.daddr = err->quoted->daddr;
	seen.dport = ((const struct udphdr *)err->l4)->dest;
}

static const struct ns_icmp_err_handler icmp_test_udp = {
	.err = icmp_test_handler,
};

/* An ICMP error quoting a UDP datagram 10.0.0.2:5000 -> 10.0.0.1:53. */
static struct sk_buff *icmp_test_error(u8 type, u8 code, u32 info,
				       unsigned int quote_l4, bool corrupt)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct icmphdr *icmph;
	struct udphdr udph = {
		.source = htons(5000), .dest = htons(53), .len = htons(8),
	};
	struct iphdr *iph;

	if (!skb)
		return NULL;
	icmph = skb_put_zero(skb, sizeof(*icmph));
	icmph->type = type;
	icmph->code = code;
	icmph->un.gateway = htonl(info);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->tot_len = htons(sizeof(*iph) + sizeof(udph));
	iph->saddr = htonl(0x0a000002);
	iph->daddr = htonl(0x0a000001);
	ip_send_check(iph);
	skb_put_data(skb, &udph, quote_l4);
	icmph->checksum = csum_fold(csum_partial(skb->data, skb->len, 0));
	if (corrupt)
		icmph->checksum = (__force __sum16)((__force u16)icmph->checksum ^ 1);
	return skb;
}

static u64 icmp_test_stat(struct ns_net *nsn, const char *name)
{
	unsigned int i;

	for (i = 0; i < ns_stats_count(); i++)
		if (!strcmp(ns_stats_name(i), name))
			return ns_stats_value(nsn, i);
	return U64_MAX;
}

struct icmp_case {
	const char *name;
	u8 type, code;
	u32 info;
	unsigned int quote_l4;	/* bytes of the UDP header quoted */
	bool corrupt;		/* ICMP checksum wrong */
	bool handled;		/* the UDP handler sees it */
	const char *counter;	/* ...or this counter goes up */
};

static const struct icmp_case icmp_cases[] = {
	{ "port unreachable", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 8, false, true, NULL },
	{ "frag needed, mtu", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1280, 8, false, true, NULL },
	{ "time exceeded", ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0, 8, false, true, NULL },
	{ "bad checksum", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 8, true, false,
	  "icmp_rx_drop_bad_checksum" },
	{ "quote too short", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 4, false, false,
	  "icmp_rx_drop_malformed" },
};

static void icmp_test_errors(struct kunit *test)
{
	struct ns_net *nsn = kunit_kzalloc(test, sizeof(*nsn), GFP_KERNEL);
	struct sk_buff *skb;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, nsn);
	KUNIT_ASSERT_EQ(test, ns_stats_init(nsn), 0);
	ns_icmp_set_err_handler(IPPROTO_UDP, &icmp_test_udp);

	for (i = 0; i < ARRAY_SIZE(icmp_cases); i++) {
		const struct icmp_case *c = &icmp_cases[i];
		u64 before = c->counter ? icmp_test_stat(nsn, c->counter) : 0;

		memset(&seen, 0, sizeof(seen));
		skb = icmp_test_error(c->type, c->code, c->info, c->quote_l4, c->corrupt);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		rcu_read_lock();
		ns_icmp_rcv(nsn, skb);
		rcu_read_unlock();

		KUNIT_EXPECT_EQ_MSG(test, seen.calls, c->handled ? 1 : 0, "%s", c->name);
		if (c->handled) {
			KUNIT_EXPECT_EQ_MSG(test, seen.type, c->type, "%s", c->name);
			KUNIT_EXPECT_EQ_MSG(test, seen.code, c->code, "%s", c->name);
			KUNIT_EXPECT_EQ_MSG(test, seen.info, c->info, "%s", c->name);
			KUNIT_EXPECT_EQ_MSG(test, ntohs(seen.dport), 53, "%s", c->name);
			KUNIT_EXPECT_EQ_MSG(test, ntohl(seen.daddr), 0x0a000001u, "%s", c->name);
		}
		if (c->counter)
			KUNIT_EXPECT_EQ_MSG(test, icmp_test_stat(nsn, c->counter), before + 1,
					    "%s: %s", c->name, c->counter);
	}

	/* Without a handler the error is counted as unclaimed. */
	ns_icmp_set_err_handler(IPPROTO_UDP, NULL);
	memset(&seen, 0, sizeof(seen));
	skb = icmp_test_error(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 8, false);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	rcu_read_lock();
	ns_icmp_rcv(nsn, skb);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, seen.calls, 0);
	KUNIT_EXPECT_EQ(test, icmp_test_stat(nsn, "icmp_rx_errors_unclaimed"), 1ull);
	KUNIT_EXPECT_EQ(test, icmp_test_stat(nsn, "icmp_rx"), (u64)ARRAY_SIZE(icmp_cases) + 1);
	ns_stats_exit(nsn);
}

static struct kunit_case icmp_test_cases[] = {
	KUNIT_CASE(icmp_test_errors),
	{}
};

static struct kunit_suite icmp_test_suite = {
	.name = "netstack_icmp",
	.test_cases = icmp_test_cases,
};

kunit_test_suite(icmp_test_suite);
