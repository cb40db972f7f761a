// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_sack_test.c - KUnit tests for the sender's SACK scoreboard
 * (tcp_sack.c, RFC 6675): which blocks mark which segments (whole ones
 * only, none below the cumulative ACK or beyond what was sent, across
 * the 2^32 wrap), IsLost by segment count and by bytes, pipe with lost
 * and retransmitted segments, and the marks after a timeout and after
 * recovery.
 */
#include <kunit/test.h>

#include "kmod/tcp_ofo.h"
#include "kmod/tcp_sack.h"

#define SEG	1000

/* A write queue of @n segments of @len bytes from @seq; freed by the test. */
static void tcp_sack_test_queue(struct kunit *test, struct sk_buff_head *q,
				u32 seq, int n, u32 len)
{
	int i;

	skb_queue_head_init(q);
	for (i = 0; i < n; i++) {
		struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, skb);
		NS_TCP_SKB_CB(skb)->seq = seq + i * len;
		NS_TCP_SKB_CB(skb)->end_seq = seq + (i + 1) * len;
		NS_TCP_SKB_CB(skb)->fin = false;
		NS_TCP_SKB_CB(skb)->tx_flags = 0;
		__skb_queue_tail(q, skb);
	}
}

static u8 tcp_sack_test_flags(struct sk_buff_head *q, int i)
{
	struct sk_buff *skb;

	skb_queue_walk(q, skb)
		if (!i--)
			return NS_TCP_SKB_CB(skb)->tx_flags;
	return 0xff;
}

/* SACK segments [from, to) of a queue starting at @base. */
static u32 tcp_sack_test_block(struct sk_buff_head *q, u32 base, u32 una, u32 nxt,
			       int from, int to)
{
	struct ns_tcp_sack_block b = { base + from * SEG, base + to * SEG };

	return ns_tcp_sack_mark(q, una, nxt, &b, 1);
}

static void tcp_sack_test_mark(struct kunit *test)
{
	struct ns_tcp_sack_block b[4];
	struct sk_buff_head q;
	u32 base = 5000, nxt = base + 10 * SEG;

	tcp_sack_test_queue(test, &q, base, 10, SEG);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_block(&q, base, base, nxt, 3, 5), 2 * SEG);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 2), 0);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 3), NS_TCP_TX_SACKED);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 4), NS_TCP_TX_SACKED);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 5), 0);
	/* The same again: nothing new. */
	KUNIT_EXPECT_EQ(test, tcp_sack_test_block(&q, base, base, nxt, 3, 5), 0);
	/* Half a segment: not marked. */
	b[0] = (struct ns_tcp_sack_block){ base + 6 * SEG, base + 6 * SEG + SEG / 2 };
	/* At or below the cumulative ACK (a D-SACK): ignored. */
	b[1] = (struct ns_tcp_sack_block){ base - SEG, base + SEG };
	/* Beyond what was sent: ignored. */
	b[2] = (struct ns_tcp_sack_block){ base + 9 * SEG, nxt + SEG };
	/* Empty and inverted: ignored. */
	b[3] = (struct ns_tcp_sack_block){ base + 8 * SEG, base + 7 * SEG };
	KUNIT_EXPECT_EQ(test, ns_tcp_sack_mark(&q, base, nxt, b, 4), 0);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 0), 0);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 6), 0);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 9), 0);
	/* Two blocks in one ACK, one of them spanning three segments. */
	b[0] = (struct ns_tcp_sack_block){ base + 9 * SEG, nxt };
	b[1] = (struct ns_tcp_sack_block){ base + 5 * SEG, base + 8 * SEG };
	KUNIT_EXPECT_EQ(test, ns_tcp_sack_mark(&q, base, nxt, b, 2), 4 * SEG);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 7), NS_TCP_TX_SACKED);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 8), 0);
	__skb_queue_purge(&q);
}

/* Sequence numbers across 2^32. */
static void tcp_sack_test_wrap(struct kunit *test)
{
	u32 base = 0U - 3 * SEG, nxt = base + 6 * SEG;
	struct sk_buff_head q;

	tcp_sack_test_queue(test, &q, base, 6, SEG);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_block(&q, base, base, nxt, 2, 4), 2 * SEG);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 2), NS_TCP_TX_SACKED);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 3), NS_TCP_TX_SACKED);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 4), 0);
	__skb_queue_purge(&q);
}

/*
 * IsLost: three SACKed segments above, or more than two segments' worth
 * of bytes. pipe: not SACKed and not lost once, retransmitted once more.
 */
static void tcp_sack_test_is_lost_pipe(struct kunit *test)
{
	u32 base = 1, nxt = base + 10 * SEG;
	struct ns_tcp_scoreboard sb;
	struct sk_buff_head q;

	tcp_sack_test_queue(test, &q, base, 10, SEG);
	ns_tcp_sack_update_lost(&q, base, nxt, SEG, &sb);
	KUNIT_EXPECT_EQ(test, sb.pipe, 10 * SEG);
	KUNIT_EXPECT_EQ(test, sb.lost, 0);

	/* Two SACKed (2 * SMSS bytes, not more): nothing lost yet. */
	tcp_sack_test_block(&q, base, base, nxt, 5, 7);
	ns_tcp_sack_update_lost(&q, base, nxt, SEG, &sb);
	KUNIT_EXPECT_EQ(test, sb.lost, 0);
	KUNIT_EXPECT_EQ(test, sb.sacked, 2 * SEG);
	KUNIT_EXPECT_EQ(test, sb.pipe, 8 * SEG);

	/* A third: 0-4 are lost; 7 has two above (8, 9 not SACKed): no. */
	tcp_sack_test_block(&q, base, base, nxt, 9, 10);
	ns_tcp_sack_update_lost(&q, base, nxt, SEG, &sb);
	KUNIT_EXPECT_EQ(test, sb.lost, 5 * SEG);
	KUNIT_EXPECT_EQ(test, sb.sacked, 3 * SEG);
	KUNIT_EXPECT_EQ(test, sb.pipe, 2 * SEG);	/* 7 and 8 */
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 4), NS_TCP_TX_LOST);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 7), 0);
	KUNIT_EXPECT_TRUE(test, ns_tcp_sack_to_resend(tcp_sack_test_flags(&q, 0)));
	KUNIT_EXPECT_FALSE(test, ns_tcp_sack_to_resend(tcp_sack_test_flags(&q, 5)));

	/* The first resent: it counts in pipe again, and is not to resend. */
	NS_TCP_SKB_CB(skb_peek(&q))->tx_flags |= NS_TCP_TX_RETRANS;
	ns_tcp_sack_update_lost(&q, base, nxt, SEG, &sb);
	KUNIT_EXPECT_EQ(test, sb.pipe, 3 * SEG);
	KUNIT_EXPECT_EQ(test, sb.retrans, SEG);
	KUNIT_EXPECT_FALSE(test, ns_tcp_sack_to_resend(tcp_sack_test_flags(&q, 0)));

	/* Half of the first acknowledged: only the rest counts. */
	ns_tcp_sack_update_lost(&q, base + SEG / 2, nxt, SEG, &sb);
	KUNIT_EXPECT_EQ(test, sb.pipe, 2 * SEG + SEG / 2);
	__skb_queue_purge(&q);
}

/* Small segments: the count rule (3 above) before the byte rule. */
static void tcp_sack_test_is_lost_count(struct kunit *test)
{
	u32 base = 100, nxt = base + 6 * 300;
	struct ns_tcp_scoreboard sb;
	struct sk_buff_head q;
	struct ns_tcp_sack_block b = { base + 3 * 300, base + 6 * 300 };

	tcp_sack_test_queue(test, &q, base, 6, 300);
	ns_tcp_sack_mark(&q, base, nxt, &b, 1);
	ns_tcp_sack_update_lost(&q, base, nxt, 1460, &sb);	/* 900 bytes < 2 MSS */
	KUNIT_EXPECT_EQ(test, sb.lost, 3 * 300);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 2), NS_TCP_TX_LOST);
	__skb_queue_purge(&q);
}

/* A timeout: all not SACKed lost, none retransmitted; recovery's end. */
static void tcp_sack_test_timeout_and_forget(struct kunit *test)
{
	u32 base = 7, nxt = base + 5 * SEG;
	struct ns_tcp_scoreboard sb;
	struct sk_buff_head q;

	tcp_sack_test_queue(test, &q, base, 6, SEG);	/* the 6th unsent */
	tcp_sack_test_block(&q, base, base, nxt, 2, 3);
	NS_TCP_SKB_CB(skb_peek(&q))->tx_flags |= NS_TCP_TX_LOST | NS_TCP_TX_RETRANS;
	ns_tcp_sack_mark_all_lost(&q, base, nxt);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 0), NS_TCP_TX_LOST);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 1), NS_TCP_TX_LOST);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 2), NS_TCP_TX_SACKED);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 4), NS_TCP_TX_LOST);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 5), 0);	/* never sent */
	ns_tcp_sack_update_lost(&q, base, nxt, SEG, &sb);
	KUNIT_EXPECT_EQ(test, sb.pipe, 0);
	KUNIT_EXPECT_EQ(test, sb.lost, 4 * SEG);
	ns_tcp_sack_forget_losses(&q);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 0), 0);
	KUNIT_EXPECT_EQ(test, tcp_sack_test_flags(&q, 2), NS_TCP_TX_SACKED);
	__skb_queue_purge(&q);
}

static struct kunit_case tcp_sack_test_cases[] = {
	KUNIT_CASE(tcp_sack_test_mark),
	KUNIT_CASE(tcp_sack_test_wrap),
	KUNIT_CASE(tcp_sack_test_is_lost_pipe),
	KUNIT_CASE(tcp_sack_test_is_lost_count),
	KUNIT_CASE(tcp_sack_test_timeout_and_forget),
	{}
};

static struct kunit_suite tcp_sack_test_suite = {
	.name = "netstack_tcp_sack",
	.test_cases = tcp_sack_test_cases,
};

kunit_test_suite(tcp_sack_test_suite);
