// SPDX-License-Identifier: GPL-2.0
/*
 * lookup_test.c - KUnit tests for the port tables (lookup.c): Linux's rules
 * for sharing a port, checked pair by pair in both binding orders, and the
 * ephemeral ports (in range, distinct, not handed out in sequence, and
 * exhausted cleanly); and the connection table's demultiplexing order
 * (exact 4-tuple, listener on the address, listener on the wildcard). The
 * sockets are bare struct socks with just the fields the tables read.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/uidgid.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "kmod/netstack.h"

#define LK_ADDR(a, b, c, d)	htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

struct lk_sock_spec {
	__be32 addr;
	bool reuseaddr, reuseport, listening;
	u32 uid;
};

struct lk_pair_case {
	const char *name;
	struct lk_sock_spec first, second;
	bool shared;	/* both may hold the port */
};

static const __be32 lk_a = LK_ADDR(10, 0, 0, 2), lk_b = LK_ADDR(10, 0, 0, 3);

static const struct lk_pair_case lk_pair_cases[] = {
	{ "wildcard twice", { 0 }, { 0 }, false },
	{ "same address twice", { lk_a }, { lk_a }, false },
	{ "wildcard and an address", { 0 }, { lk_a }, false },
	{ "two different addresses", { lk_a }, { lk_b }, true },
	{ "SO_REUSEADDR on both", { 0, true }, { 0, true }, true },
	{ "SO_REUSEADDR on one", { 0, true }, { 0 }, false },
	{ "SO_REUSEADDR, holder listening", { 0, true, false, true }, { 0, true }, false },
	{ "SO_REUSEPORT on both, same user", { lk_a, false, true }, { lk_a, false, true }, true },
	{ "SO_REUSEPORT on both, other users",
	  { lk_a, false, true, false, 0 }, { lk_a, false, true, false, 1000 }, false },
	{ "SO_REUSEPORT on one", { lk_a, false, true }, { lk_a }, false },
};

static struct sock *lk_sock(struct kunit *test, const struct lk_sock_spec *spec)
{
	struct sock *sk = kunit_kzalloc(test, sizeof(*sk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sk);
	sk->sk_rcv_saddr = spec->addr;
	sk->sk_reuse = spec->reuseaddr ? SK_CAN_REUSE : SK_NO_REUSE;
	sk->sk_reuseport = spec->reuseport;
	sk->sk_state = spec->listening ? TCP_LISTEN : TCP_CLOSE;
	sk->sk_uid = make_kuid(&init_user_ns, spec->uid);
	refcount_set(&sk->sk_refcnt, 1);
	return sk;
}

static void lookup_test_sharing(struct kunit *test)
{
	struct ns_port_table *table;
	unsigned int i, order;

	table = kunit_kzalloc(test, sizeof(*table), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, table);
	ns_port_table_init(table);
	for (i = 0; i < ARRAY_SIZE(lk_pair_cases); i++) {
		const struct lk_pair_case *c = &lk_pair_cases[i];

		for (order = 0; order < 2; order++) {
			const struct lk_sock_spec *s1 = order ? &c->second : &c->first;
			const struct lk_sock_spec *s2 = order ? &c->first : &c->second;
			struct sock *sk1 = lk_sock(test, s1), *sk2 = lk_sock(test, s2);
			int err;

			/* A listener's rule is about the holder only. */
			if (order && (s1->listening || s2->listening))
				continue;
			KUNIT_ASSERT_EQ(test, ns_port_bind(table, sk1, 5000), 0);
			KUNIT_EXPECT_EQ(test, sk1->sk_num, 5000);
			err = ns_port_bind(table, sk2, 5000);
			KUNIT_EXPECT_EQ_MSG(test, err, c->shared ? 0 : -EADDRINUSE,
					    "%s, order %u", c->name, order);
			/* Another port is always free. */
			if (err)
				KUNIT_EXPECT_EQ(test, ns_port_bind(table, sk2, 5001), 0);
			ns_port_unbind(table, sk2);
			ns_port_unbind(table, sk1);
			KUNIT_EXPECT_EQ(test, sk1->sk_num, 0);
		}
	}
}

/* An unbound port can be taken again at once. */
static void lookup_test_unbind_frees(struct kunit *test)
{
	static const struct lk_sock_spec wild = { 0 };
	struct ns_port_table *table;
	struct sock *sk1, *sk2;

	table = kunit_kzalloc(test, sizeof(*table), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, table);
	ns_port_table_init(table);
	sk1 = lk_sock(test, &wild);
	sk2 = lk_sock(test, &wild);
	KUNIT_ASSERT_EQ(test, ns_port_bind(table, sk1, 7), 0);
	KUNIT_EXPECT_EQ(test, ns_port_bind(table, sk2, 7), -EADDRINUSE);
	ns_port_unbind(table, sk1);
	ns_port_unbind(table, sk1);	/* twice is harmless */
	KUNIT_EXPECT_EQ(test, ns_port_bind(table, sk2, 7), 0);
	ns_port_unbind(table, sk2);
}

enum { LK_EPHEMERAL = NS_PORT_EPHEMERAL_COUNT };

/*
 * Every ephemeral port once: each in range, none twice, not in sequence;
 * then the range is exhausted and a port-0 bind fails with EADDRINUSE; a
 * port given back is the one handed out next.
 */
static void lookup_test_ephemeral(struct kunit *test)
{
	static const struct lk_sock_spec wild = { 0 };
	struct ns_port_table *table;
	unsigned long *seen;
	struct sock **socks;
	unsigned int i, in_sequence = 0;
	struct sock *extra;
	u16 port;

	table = kunit_kzalloc(test, sizeof(*table), GFP_KERNEL);
	socks = kunit_kcalloc(test, LK_EPHEMERAL, sizeof(*socks), GFP_KERNEL);
	seen = kunit_kcalloc(test, BITS_TO_LONGS(65536), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, table);
	KUNIT_ASSERT_NOT_NULL(test, socks);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	ns_port_table_init(table);

	for (i = 0; i < LK_EPHEMERAL; i++) {
		socks[i] = lk_sock(test, &wild);
		KUNIT_ASSERT_EQ_MSG(test, ns_port_bind(table, socks[i], 0), 0,
				    "bind %u of %u", i, LK_EPHEMERAL);
		port = socks[i]->sk_num;
		KUNIT_ASSERT_GE(test, port, NS_PORT_EPHEMERAL_MIN);
		KUNIT_ASSERT_LE(test, port, NS_PORT_EPHEMERAL_MAX);
		KUNIT_ASSERT_FALSE_MSG(test, test_and_set_bit(port, seen),
				       "port %u handed out twice", port);
		if (i && port == socks[i - 1]->sk_num + 1)
			in_sequence++;
	}
	/*
	 * Walking on from a random start, a bind lands right after the
	 * previous one only when their runs of taken ports join: far from
	 * every time. A plain counter would score LK_EPHEMERAL - 1.
	 */
	KUNIT_EXPECT_LT(test, in_sequence, LK_EPHEMERAL / 2);
	extra = lk_sock(test, &wild);
	KUNIT_EXPECT_EQ(test, ns_port_bind(table, extra, 0), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, extra->sk_num, 0);
	/* A fixed port outside the range is still free. */
	KUNIT_EXPECT_EQ(test, ns_port_bind(table, extra, 8080), 0);
	ns_port_unbind(table, extra);
	i = LK_EPHEMERAL / 3;
	port = socks[i]->sk_num;
	ns_port_unbind(table, socks[i]);
	KUNIT_EXPECT_EQ(test, ns_port_bind(table, extra, 0), 0);
	KUNIT_EXPECT_EQ(test, extra->sk_num, port);
	ns_port_unbind(table, extra);
	for (i = 0; i < LK_EPHEMERAL; i++)
		ns_port_unbind(table, socks[i]);
}

/* The first 20 ephemeral ports of an empty table are not consecutive. */
static void lookup_test_ephemeral_random(struct kunit *test)
{
	static const struct lk_sock_spec wild = { 0 };
	struct ns_port_table *table;
	struct sock *socks[20];
	unsigned int i, in_sequence = 0;

	table = kunit_kzalloc(test, sizeof(*table), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, table);
	ns_port_table_init(table);
	for (i = 0; i < ARRAY_SIZE(socks); i++) {
		socks[i] = lk_sock(test, &wild);
		KUNIT_ASSERT_EQ(test, ns_port_bind(table, socks[i], 0), 0);
		if (i && socks[i]->sk_num == socks[i - 1]->sk_num + 1)
			in_sequence++;
	}
	/* Chance of even one step of 1 among 19 random ports: about 1 in 1500. */
	KUNIT_EXPECT_LE(test, in_sequence, 1);
	for (i = 0; i < ARRAY_SIZE(socks); i++)
		ns_port_unbind(table, socks[i]);
}

/* A connected socket: 10.0.0.2:@lport <-> 10.0.0.9:@rport. */
static struct sock *lk_conn(struct kunit *test, u16 lport, u16 rport)
{
	static const struct lk_sock_spec spec = { lk_a };
	struct sock *sk = lk_sock(test, &spec);

	sk->sk_num = lport;
	sk->sk_daddr = LK_ADDR(10, 0, 0, 9);
	sk->sk_dport = htons(rport);
	sk->sk_state = TCP_ESTABLISHED;
	return sk;
}

/* What a segment from 10.0.0.9:@rport to @daddr:@lport finds (reference dropped). */
static struct sock *lk_demux(struct ns_conn_table *conns, struct ns_port_table *ports,
			     __be32 daddr, u16 lport, u16 rport)
{
	struct sock *sk;

	/* As in the receive path: the table locks are taken with BHs off. */
	local_bh_disable();
	sk = ns_conn_lookup(conns, ports, LK_ADDR(10, 0, 0, 9), htons(rport),
			    daddr, htons(lport));
	local_bh_enable();
	if (sk)
		__sock_put(sk);
	return sk;
}

static void lookup_test_demux_order(struct kunit *test)
{
	static const struct lk_sock_spec listen_any = { 0, true, false, true };
	static const struct lk_sock_spec listen_a = { lk_a, true, false, true };
	static const struct lk_sock_spec closed_a = { lk_a, true };
	struct ns_conn_table *conns = kunit_kzalloc(test, sizeof(*conns), GFP_KERNEL);
	struct ns_port_table *ports = kunit_kzalloc(test, sizeof(*ports), GFP_KERNEL);
	struct sock *any, *on_a, *bound, *conn;

	KUNIT_ASSERT_NOT_NULL(test, conns);
	KUNIT_ASSERT_NOT_NULL(test, ports);
	ns_conn_table_init(conns);
	ns_port_table_init(ports);
	any = lk_sock(test, &listen_any);
	on_a = lk_sock(test, &listen_a);
	bound = lk_sock(test, &closed_a);
	conn = lk_conn(test, 80, 40000);

	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), NULL);
	/*
	 * Bound with SO_REUSEADDR before they listen (a listener bars a
	 * second bind to its port; how two come to share one is TCP's).
	 */
	any->sk_state = TCP_CLOSE;
	on_a->sk_state = TCP_CLOSE;
	KUNIT_ASSERT_EQ(test, ns_port_bind(ports, bound, 80), 0);
	KUNIT_ASSERT_EQ(test, ns_port_bind(ports, any, 80), 0);
	KUNIT_ASSERT_EQ(test, ns_port_bind(ports, on_a, 80), 0);
	/* A bound socket that is not listening takes no segments. */
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), NULL);
	any->sk_state = TCP_LISTEN;
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), any);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_b, 80, 40000), any);
	on_a->sk_state = TCP_LISTEN;
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), on_a);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_b, 80, 40000), any);
	ns_conn_hash(conns, conn);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), conn);
	/* Any other 4-tuple is the listeners'. */
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40001), on_a);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_b, 80, 40000), any);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 81, 40000), NULL);
	ns_conn_unhash(conns, conn);
	ns_conn_unhash(conns, conn);	/* twice is harmless */
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), on_a);
	ns_port_unbind(ports, on_a);
	ns_port_unbind(ports, any);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 80, 40000), NULL);
	ns_port_unbind(ports, bound);
	KUNIT_EXPECT_EQ(test, refcount_read(&conn->sk_refcnt), 1);
}

/* Many connections on one local port: each segment finds its own. */
static void lookup_test_demux_many(struct kunit *test)
{
	enum { N = 2000 };
	struct ns_conn_table *conns = kunit_kzalloc(test, sizeof(*conns), GFP_KERNEL);
	struct ns_port_table *ports = kunit_kzalloc(test, sizeof(*ports), GFP_KERNEL);
	struct sock **socks = kunit_kcalloc(test, N, sizeof(*socks), GFP_KERNEL);
	unsigned int i, wrong = 0;

	KUNIT_ASSERT_NOT_NULL(test, conns);
	KUNIT_ASSERT_NOT_NULL(test, ports);
	KUNIT_ASSERT_NOT_NULL(test, socks);
	ns_conn_table_init(conns);
	ns_port_table_init(ports);
	for (i = 0; i < N; i++) {
		socks[i] = lk_conn(test, 443, 20000 + i);
		ns_conn_hash(conns, socks[i]);
	}
	for (i = 0; i < N; i++)
		wrong += lk_demux(conns, ports, lk_a, 443, 20000 + i) != socks[i];
	KUNIT_EXPECT_EQ(test, wrong, 0);
	KUNIT_EXPECT_PTR_EQ(test, lk_demux(conns, ports, lk_a, 443, 20000 + N), NULL);
	for (i = 0; i < N; i += 2)
		ns_conn_unhash(conns, socks[i]);
	for (i = 0; i < N; i++)
		wrong += lk_demux(conns, ports, lk_a, 443, 20000 + i) != (i % 2 ? socks[i] : NULL);
	KUNIT_EXPECT_EQ(test, wrong, 0);
	for (i = 1; i < N; i += 2)
		ns_conn_unhash(conns, socks[i]);
}

static struct kunit_case lookup_test_cases[] = {
	KUNIT_CASE(lookup_test_sharing),
	KUNIT_CASE(lookup_test_unbind_frees),
	KUNIT_CASE(lookup_test_ephemeral),
	KUNIT_CASE(lookup_test_ephemeral_random),
	KUNIT_CASE(lookup_test_demux_order),
	KUNIT_CASE(lookup_test_demux_many),
	{}
};

static struct kunit_suite lookup_test_suite = {
	.name = "netstack_lookup",
	.test_cases = lookup_test_cases,
};

kunit_test_suite(lookup_test_suite);
