// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_rcvbuf_test.c - KUnit tests for the receive-buffer autotuning rule
 * (tcp_rcvbuf.c): the buffer a reader's pace calls for offers a window of
 * twice what it read plus slack, so a window-limited sender's window
 * doubles each period, and the arithmetic saturates instead of wrapping.
 */
#include <kunit/test.h>

#include "kmod/tcp_rcvbuf.h"

#define MSS 1448

static void tcp_rcvbuf_test_slack(struct kunit *test)
{
	/* A reader that took nothing still warrants 16 segments of window. */
	KUNIT_EXPECT_EQ(test, ns_tcp_rcvbuf_target(0, MSS), 2 * 16 * MSS);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcvbuf_target(0, 536), 2 * 16 * 536);
}

static void tcp_rcvbuf_test_doubling(struct kunit *test)
{
	u32 rcvbuf = 131072, i;

	KUNIT_EXPECT_EQ(test, ns_tcp_rcvbuf_target(100000, MSS),
			2 * (2 * 100000 + 16 * MSS));
	/*
	 * A window-limited sender: the reader takes the whole window (half
	 * the buffer) each period, and the next buffer offers at least twice
	 * as much window.
	 */
	for (i = 0; i < 8; i++) {
		u32 next = ns_tcp_rcvbuf_target(rcvbuf / 2, MSS);

		KUNIT_EXPECT_GE(test, next / 2, rcvbuf);
		KUNIT_EXPECT_LE(test, next / 2, rcvbuf + 16 * MSS);
		rcvbuf = next;
	}
}

static void tcp_rcvbuf_test_saturates(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ns_tcp_rcvbuf_target(U32_MAX, MSS), U32_MAX);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcvbuf_target(U32_MAX / 4, 65535), U32_MAX);
	KUNIT_EXPECT_EQ(test, ns_tcp_rcvbuf_target(U32_MAX / 8, 0), U32_MAX / 8 * 4);
}

static struct kunit_case tcp_rcvbuf_test_cases[] = {
	KUNIT_CASE(tcp_rcvbuf_test_slack),
	KUNIT_CASE(tcp_rcvbuf_test_doubling),
	KUNIT_CASE(tcp_rcvbuf_test_saturates),
	{}
};

static struct kunit_suite tcp_rcvbuf_test_suite = {
	.name = "netstack_tcp_rcvbuf",
	.test_cases = tcp_rcvbuf_test_cases,
};

kunit_test_suite(tcp_rcvbuf_test_suite);
