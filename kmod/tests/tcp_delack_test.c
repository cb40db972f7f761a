// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_delack_test.c - KUnit tests for the delayed-ACK rule (tcp_delack.c):
 * in-order data below two full segments waits, two full segments or more
 * are ACKed at once, and so are out-of-order data, a filled hole, old
 * data, the FIN and the quick-ACK start, whatever the byte count.
 */
#include <kunit/test.h>

#include "kmod/tcp_delack.h"

#define MSS 1460

static void tcp_delack_test_threshold(struct kunit *test)
{
	struct ns_tcp_ack_facts f = { .rcv_mss = MSS };

	f.unacked = 1;
	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
	f.unacked = MSS;
	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
	f.unacked = 2 * MSS - 1;
	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
	f.unacked = 2 * MSS;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	f.unacked = 64 * 1024;	/* one large (GRO) segment */
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
}

/* "Full-sized" is the peer's: small segments from a small-MSS peer. */
static void tcp_delack_test_rcv_mss(struct kunit *test)
{
	struct ns_tcp_ack_facts f = { .rcv_mss = 536 };

	f.unacked = 2 * 536 - 1;
	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
	f.unacked = 2 * 536;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	/* A zero estimate does not make every byte count as two segments. */
	f.rcv_mss = 0;
	f.unacked = 1;
	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
	f.unacked = 2;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
}

static void tcp_delack_test_immediate(struct kunit *test)
{
	struct ns_tcp_ack_facts f = { .rcv_mss = MSS, .unacked = 100 };

	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
	f.out_of_order = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	f.out_of_order = false;
	f.hole_filled = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	f.hole_filled = false;
	f.duplicate = true;
	f.unacked = 0;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	f.duplicate = false;
	f.unacked = 100;
	f.fin = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	f.fin = false;
	f.quickack = true;
	KUNIT_EXPECT_TRUE(test, ns_tcp_ack_now(&f));
	f.quickack = false;
	KUNIT_EXPECT_FALSE(test, ns_tcp_ack_now(&f));
}

static struct kunit_case tcp_delack_test_cases[] = {
	KUNIT_CASE(tcp_delack_test_threshold),
	KUNIT_CASE(tcp_delack_test_rcv_mss),
	KUNIT_CASE(tcp_delack_test_immediate),
	{}
};

static struct kunit_suite tcp_delack_test_suite = {
	.name = "netstack_tcp_delack",
	.test_cases = tcp_delack_test_cases,
};

kunit_test_suite(tcp_delack_test_suite);
