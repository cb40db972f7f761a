// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_ofo_test.c - KUnit tests for the TCP out-of-order queue (tcp_ofo.c),
 * on real skbs, linear and paged: scripted overlaps of every kind, arrival
 * orders, a randomised overlap test against a model of which bytes were
 * covered, the memory limit, dequeue of segments that rcv_nxt passed, clones,
 * and the SACK blocks. Every scenario runs at several bases of the sequence
 * space, some just below 2^32, so that every segment range also wraps.
 *
 * Each payload byte is a function of its absolute sequence number and of a
 * "generation" of the segment that carried it, so that the reassembled
 * stream shows both misplaced bytes and which of two overlapping copies
 * was kept.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kmod/tests/test_util.h"
#include "kmod/seq.h"
#include "kmod/tcp_ofo.h"

enum {
	OFO_HEADROOM = 64 + 20 + 20,	/* link, IPv4 and TCP headers, pulled */
	OFO_LIMIT = 1 << 24,		/* large enough never to refuse */
	OFO_STREAM_MAX = 8192,
	OFO_STEPS_MAX = 8,
	OFO_RUNS_MAX = 6,
	OFO_BLOCKS_MAX = 6,
};

/* The bases each scenario runs at: the first sequence number expected. */
static const u32 ofo_bases[] = {
	0, 1, 1000, 0x7fffff00, 0x80000000, 0xfffffe00, 0xffffff9c, 0xffffffff,
};

/* The byte at sequence number @seq in a segment of generation @gen (0..3). */
static u8 ofo_byte(u32 seq, u8 gen)
{
	u8 b = seq ^ ((seq >> 8) * 7) ^ ((seq >> 16) * 13) ^ ((seq >> 24) * 31);

	return b ^ (gen * 0x55);
}

/*
 * A segment of @len payload bytes starting at @seq, a FIN after them if
 * @fin. Paged: a third of the payload in the linear part, the rest in two
 * page fragments at odd offsets, as a driver receiving into pages builds it.
 */
static struct sk_buff *ofo_skb(struct kunit *test, u32 seq, unsigned int len,
			       bool fin, u8 gen, bool paged)
{
	unsigned int head = paged ? len / 3 : len, i, nfrags = 0;
	struct sk_buff *skb;
	u8 *p;

	skb = alloc_skb(OFO_HEADROOM + head, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, OFO_HEADROOM);
	p = skb_put(skb, head);
	for (i = 0; i < head; i++)
		p[i] = ofo_byte(seq + i, gen);
	while (i < len) {
		unsigned int size = nfrags ? len - i : (len - i + 1) / 2;
		unsigned int off = nfrags ? 7 : 1, j;
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		p = page_address(page) + off;
		for (j = 0; j < size; j++)
			p[j] = ofo_byte(seq + i + j, gen);
		skb_add_rx_frag(skb, nfrags++, page, off, size, PAGE_SIZE);
		i += size;
	}
	ns_tcp_skb_cb_set(skb, seq, fin);
	return skb;
}

/* The queue is ordered, disjoint, and its accounting adds up. */
static void ofo_check(struct kunit *test, const struct ns_tcp_ofo *ofo)
{
	const struct ns_tcp_skb_cb *prev = NULL;
	unsigned int mem = 0, count = 0;
	struct sk_buff *skb;

	ns_tcp_ofo_for_each(skb, ofo) {
		const struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

		KUNIT_EXPECT_EQ(test, cb->end_seq, cb->seq + skb->len + cb->fin);
		KUNIT_EXPECT_TRUE(test, ns_seq_after(cb->end_seq, cb->seq));
		if (prev)
			KUNIT_EXPECT_TRUE_MSG(test, ns_seq_before_eq(prev->end_seq, cb->seq),
					      "[%u, %u) overlaps [%u, %u)", prev->seq,
					      prev->end_seq, cb->seq, cb->end_seq);
		prev = cb;
		mem += skb->truesize;
		count++;
	}
	KUNIT_EXPECT_EQ(test, ofo->mem, mem);
	KUNIT_EXPECT_EQ(test, ofo->count, count);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_empty(ofo), !count);
}

/* What draining the queue from rcv_nxt gave. */
struct ofo_stream {
	u32 rcv_nxt;		/* where draining stopped */
	unsigned int len;	/* bytes in buf */
	bool fin;
	unsigned int dropped;	/* segments dequeue freed */
	u8 *buf;		/* OFO_STREAM_MAX bytes */
};

/* Dequeue everything that is in order, checking each segment handed back. */
static void ofo_drain(struct kunit *test, struct ns_tcp_ofo *ofo, struct ofo_stream *st)
{
	struct sk_buff *skb;

	while ((skb = ns_tcp_ofo_dequeue(ofo, st->rcv_nxt, &st->dropped))) {
		const struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

		KUNIT_EXPECT_EQ(test, cb->seq, st->rcv_nxt);
		KUNIT_EXPECT_EQ(test, cb->end_seq, cb->seq + skb->len + cb->fin);
		KUNIT_EXPECT_FALSE_MSG(test, st->fin, "segment after the FIN");
		KUNIT_EXPECT_NULL(test, skb->next);
		KUNIT_EXPECT_NULL(test, skb->dev);
		if (st->len + skb->len <= OFO_STREAM_MAX)
			KUNIT_EXPECT_EQ(test, skb_copy_bits(skb, 0, st->buf + st->len, skb->len),
					0);
		else
			KUNIT_FAIL(test, "stream longer than %d bytes", OFO_STREAM_MAX);
		st->len += skb->len;
		st->fin |= cb->fin;
		st->rcv_nxt = cb->end_seq;
		kfree_skb(skb);
	}
}

static u8 *ofo_buf(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, OFO_STREAM_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

/*
 * Scripted scenarios. Each step inserts one segment at an offset from the
 * base (rcv_nxt stays at the base throughout) and expects a verdict. Then
 * the queue's segment count and SACK blocks are checked, it is drained from
 * the base, and the stream must be the runs given (lengths and generations)
 * followed by a FIN if .fin; .left segments must remain.
 */
enum {
	P = BIT(0),	/* paged skb */
	F = BIT(1),	/* FIN */
};

#define Q NS_TCP_OFO_QUEUED
#define O NS_TCP_OFO_OVERLAP
#define D NS_TCP_OFO_DUPLICATE
#define L NS_TCP_OFO_OLD

struct ofo_step {
	int off;
	u16 len;
	u8 flags;
	u8 gen;
	enum ns_tcp_ofo_verdict v;
};

struct ofo_run {
	u16 len;
	u8 gen;
};

struct ofo_scenario {
	const char *name;
	struct ofo_step steps[OFO_STEPS_MAX];	/* up to an all-zero step */
	u8 count;				/* queued after the steps */
	struct { int start, end; } blocks[OFO_BLOCKS_MAX];	/* up to an empty one */
	struct ofo_run runs[OFO_RUNS_MAX];	/* up to an empty one */
	bool fin;
	u8 left;				/* queued after draining */
};

static const struct ofo_scenario ofo_scenarios[] = {
	{ "in-order", { { 0, 100, 0, 0, Q } }, 1, { { 0, 100 } }, { { 100, 0 } } },
	{ "in-order-paged", { { 0, 1000, P, 0, Q } }, 1, { { 0, 1000 } }, { { 1000, 0 } } },
	{ "hole-then-fill", { { 100, 100, 0, 1, Q }, { 0, 100, 0, 0, Q } },
	  2, { { 0, 200 } }, { { 100, 0 }, { 100, 1 } } },
	{ "holes-remain", { { 100, 100, 0, 0, Q }, { 300, 100, P, 0, Q }, { 0, 50, 0, 0, Q } },
	  3, { { 0, 50 }, { 100, 200 }, { 300, 400 } }, { { 50, 0 } }, .left = 2 },
	{ "adjacent-blocks-merge",
	  { { 100, 50, 0, 0, Q }, { 150, 50, 0, 0, Q }, { 300, 10, P, 0, Q },
	    { 310, 10, 0, 0, Q }, { 500, 1, 0, 0, Q } },
	  5, { { 100, 200 }, { 300, 320 }, { 500, 501 } }, .left = 5 },
	/* Duplicates of queued data are dropped: the first copy stays. */
	{ "exact-duplicate", { { 100, 100, 0, 0, Q }, { 100, 100, 0, 1, D }, { 0, 100, 0, 2, Q } },
	  2, { { 0, 200 } }, { { 100, 2 }, { 100, 0 } } },
	{ "exact-duplicate-paged",
	  { { 100, 100, P, 0, Q }, { 100, 100, P, 1, D }, { 0, 100, P, 2, Q } },
	  2, { { 0, 200 } }, { { 100, 2 }, { 100, 0 } } },
	{ "contained", { { 100, 300, 0, 0, Q }, { 150, 50, 0, 1, D }, { 0, 100, 0, 2, Q } },
	  2, { { 0, 400 } }, { { 100, 2 }, { 300, 0 } } },
	{ "contained-same-start", { { 100, 300, 0, 0, Q }, { 100, 50, 0, 1, D } },
	  1, { { 100, 400 } }, .left = 1 },
	{ "contained-same-end", { { 100, 300, 0, 0, Q }, { 350, 50, 0, 1, D } },
	  1, { { 100, 400 } }, .left = 1 },
	{ "covered-by-two", { { 100, 100, 0, 0, Q }, { 200, 100, 0, 1, Q }, { 150, 100, 0, 2, D } },
	  2, { { 100, 300 } }, .left = 2 },
	/* A new segment containing queued ones replaces them. */
	{ "containing", { { 150, 50, 0, 0, Q }, { 100, 300, 0, 1, O }, { 0, 100, 0, 2, Q } },
	  2, { { 0, 400 } }, { { 100, 2 }, { 300, 1 } } },
	{ "containing-same-start",
	  { { 100, 50, 0, 0, Q }, { 100, 100, P, 1, O }, { 0, 100, 0, 2, Q } },
	  2, { { 0, 200 } }, { { 100, 2 }, { 100, 1 } } },
	{ "containing-same-end",
	  { { 150, 50, P, 0, Q }, { 100, 100, 0, 1, O }, { 0, 100, 0, 2, Q } },
	  2, { { 0, 200 } }, { { 100, 2 }, { 100, 1 } } },
	{ "containing-several",
	  { { 110, 10, 0, 0, Q }, { 130, 10, 0, 0, Q }, { 150, 10, P, 0, Q },
	    { 100, 100, 0, 1, O } },
	  1, { { 100, 200 } }, .left = 1 },
	/* Partial overlaps: the queued bytes stay, the new segment is trimmed. */
	{ "left-overlap", { { 100, 100, 0, 0, Q }, { 150, 100, 0, 1, O }, { 0, 100, 0, 2, Q } },
	  3, { { 0, 250 } }, { { 100, 2 }, { 100, 0 }, { 50, 1 } } },
	{ "left-overlap-paged",
	  { { 100, 100, P, 0, Q }, { 110, 150, P, 1, O }, { 0, 100, P, 2, Q } },
	  3, { { 0, 260 } }, { { 100, 2 }, { 100, 0 }, { 60, 1 } } },
	{ "right-overlap", { { 150, 100, 0, 0, Q }, { 100, 100, 0, 1, O }, { 0, 100, 0, 2, Q } },
	  3, { { 0, 250 } }, { { 100, 2 }, { 50, 1 }, { 100, 0 } } },
	{ "right-overlap-paged",
	  { { 190, 100, P, 0, Q }, { 100, 150, P, 1, O }, { 0, 100, P, 2, Q } },
	  3, { { 0, 290 } }, { { 100, 2 }, { 90, 1 }, { 100, 0 } } },
	{ "both-sides-and-contained",
	  { { 100, 50, 0, 0, Q }, { 200, 50, 0, 1, Q }, { 300, 50, 0, 2, Q },
	    { 120, 210, P, 3, O }, { 0, 100, 0, 0, Q } },
	  4, { { 0, 350 } }, { { 150, 0 }, { 150, 3 }, { 50, 2 } } },
	{ "into-a-hole-between",
	  { { 100, 100, 0, 0, Q }, { 250, 50, 0, 1, Q }, { 150, 125, P, 2, O },
	    { 0, 100, 0, 3, Q } },
	  4, { { 0, 300 } }, { { 100, 3 }, { 100, 0 }, { 50, 2 }, { 50, 1 } } },
	/* rcv_nxt: old data is dropped, a straddling segment trimmed. */
	{ "old", { { -100, 100, 0, 0, L }, { -50, 20, P, 0, L }, { -1, 1, 0, 0, L } } },
	{ "straddling", { { -50, 100, 0, 1, O } }, 1, { { 0, 50 } }, { { 50, 1 } } },
	{ "straddling-paged", { { -50, 100, P, 1, O } }, 1, { { 0, 50 } }, { { 50, 1 } } },
	{ "straddling-into-frags", { { -900, 1000, P, 1, O } }, 1, { { 0, 100 } }, { { 100, 1 } } },
	{ "straddling-and-overlap",
	  { { 100, 100, 0, 0, Q }, { -10, 150, P, 1, O } },
	  2, { { 0, 200 } }, { { 100, 1 }, { 100, 0 } } },
	{ "empty", { { 50, 0, 0, 0, D }, { -50, 0, 0, 0, D } } },
	/* FIN: one sequence number after the data. */
	{ "fin-after-hole", { { 100, 100, F, 1, Q }, { 0, 100, 0, 0, Q } },
	  2, { { 0, 201 } }, { { 100, 0 }, { 100, 1 } }, true },
	{ "fin-only", { { 100, 0, F, 0, Q }, { 0, 100, P, 0, Q } },
	  2, { { 0, 101 } }, { { 100, 0 } }, true },
	{ "fin-duplicate", { { 100, 50, F, 0, Q }, { 100, 50, F | P, 1, D }, { 0, 100, 0, 0, Q } },
	  2, { { 0, 151 } }, { { 150, 0 } }, true },
	{ "fin-only-duplicate", { { 100, 0, F, 0, Q }, { 100, 0, F, 0, D } },
	  1, { { 100, 101 } }, .left = 1 },
	{ "fin-replaces-data", { { 150, 50, 0, 0, Q }, { 100, 100, F, 1, O }, { 0, 100, 0, 2, Q } },
	  2, { { 0, 201 } }, { { 100, 2 }, { 100, 1 } }, true },
	{ "fin-cut-by-queued-data",
	  { { 150, 100, 0, 0, Q }, { 100, 100, F | P, 1, O }, { 0, 100, 0, 2, Q } },
	  3, { { 0, 250 } }, { { 100, 2 }, { 50, 1 }, { 100, 0 } } },
	{ "fin-slot-taken",
	  { { 200, 50, 0, 0, Q }, { 100, 100, F, 1, O }, { 0, 100, 0, 2, Q } },
	  3, { { 0, 250 } }, { { 100, 2 }, { 100, 1 }, { 50, 0 } } },
	{ "fin-straddling", { { -100, 100, F, 1, O } }, 1, { { 0, 1 } }, .fin = true },
	{ "fin-straddling-paged", { { -100, 100, F | P, 1, O } }, 1, { { 0, 1 } }, .fin = true },
	{ "fin-old", { { -100, 99, F, 0, L } } },
	{ "fin-in-order", { { 0, 10, F, 0, Q } }, 1, { { 0, 11 } }, { { 10, 0 } }, true },
};

#undef Q
#undef O
#undef D
#undef L

static void ofo_scenario_desc(const struct ofo_scenario *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ofo_scenario, ofo_scenarios, ofo_scenario_desc);

static bool ofo_step_end(const struct ofo_step *st)
{
	return !st->off && !st->len && !st->flags;
}

static void ofo_run_scenario(struct kunit *test, const struct ofo_scenario *s, u32 base)
{
	struct ns_tcp_range blocks[OFO_BLOCKS_MAX + 1];
	struct ofo_stream st = { .rcv_nxt = base, .buf = ofo_buf(test) };
	struct ns_tcp_ofo ofo;
	unsigned int i, j, pos;
	int n, nblocks;

	ns_tcp_ofo_init(&ofo, OFO_LIMIT);
	for (i = 0; i < OFO_STEPS_MAX && !ofo_step_end(&s->steps[i]); i++) {
		const struct ofo_step *step = &s->steps[i];
		struct sk_buff *skb = ofo_skb(test, base + step->off, step->len,
					      step->flags & F, step->gen, step->flags & P);

		KUNIT_EXPECT_EQ_MSG(test, ns_tcp_ofo_insert(&ofo, skb, base), step->v,
				    "base %#x step %u", base, i);
		ofo_check(test, &ofo);
	}
	KUNIT_EXPECT_EQ_MSG(test, ofo.count, s->count, "base %#x", base);

	for (nblocks = 0; nblocks < OFO_BLOCKS_MAX; nblocks++)
		if (s->blocks[nblocks].start == s->blocks[nblocks].end)
			break;
	n = ns_tcp_ofo_blocks(&ofo, base, blocks, ARRAY_SIZE(blocks));
	KUNIT_EXPECT_EQ_MSG(test, n, nblocks, "base %#x", base);
	for (j = 0; j < min(n, nblocks); j++) {
		KUNIT_EXPECT_EQ_MSG(test, blocks[j].start - base, (u32)s->blocks[j].start,
				    "base %#x block %u", base, j);
		KUNIT_EXPECT_EQ_MSG(test, blocks[j].end - base, (u32)s->blocks[j].end,
				    "base %#x block %u", base, j);
	}

	ofo_drain(test, &ofo, &st);
	KUNIT_EXPECT_EQ_MSG(test, st.dropped, 0, "base %#x", base);
	KUNIT_EXPECT_EQ_MSG(test, st.fin, s->fin, "base %#x", base);
	for (pos = 0, i = 0; i < OFO_RUNS_MAX && s->runs[i].len; i++) {
		for (j = 0; j < s->runs[i].len && pos + j < st.len; j++) {
			u8 want = ofo_byte(base + pos + j, s->runs[i].gen);

			if (st.buf[pos + j] != want) {
				KUNIT_FAIL(test, "base %#x byte %u: %#x, expected %#x (gen %u)",
					   base, pos + j, st.buf[pos + j], want, s->runs[i].gen);
				break;
			}
		}
		pos += s->runs[i].len;
	}
	KUNIT_EXPECT_EQ_MSG(test, st.len, pos, "base %#x", base);
	KUNIT_EXPECT_EQ_MSG(test, st.rcv_nxt, base + pos + s->fin, "base %#x", base);
	KUNIT_EXPECT_EQ_MSG(test, ofo.count, s->left, "base %#x", base);
	ofo_check(test, &ofo);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_purge(&ofo), s->left);
	KUNIT_EXPECT_EQ(test, ofo.mem, 0);
	KUNIT_EXPECT_TRUE(test, ns_tcp_ofo_empty(&ofo));
	kunit_kfree(test, st.buf);
}

static void ofo_test_scenario(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ofo_bases); i++)
		ofo_run_scenario(test, test->param_value, ofo_bases[i]);
}

/*
 * Arrival orders: a stream of segments of varied lengths, the last with a
 * FIN, inserted in some order, then drained; or drained after every
 * insertion, as the connection does.
 */
enum ofo_order { OFO_IN_ORDER, OFO_REVERSE, OFO_RANDOM };

struct ofo_order_case {
	const char *name;
	unsigned int nsegs;
	unsigned int maxlen;	/* segment lengths vary in [1, maxlen] */
	enum ofo_order order;
	u64 seed;
	bool paged;
	bool drain_each;
};

static const struct ofo_order_case ofo_order_cases[] = {
	{ "in-order", 20, 300, OFO_IN_ORDER },
	{ "in-order-drain-each", 20, 300, OFO_IN_ORDER, .drain_each = true },
	{ "reverse", 20, 300, OFO_REVERSE },
	{ "reverse-paged", 20, 300, OFO_REVERSE, .paged = true },
	{ "random-1", 40, 150, OFO_RANDOM, 1 },
	{ "random-2-paged", 40, 150, OFO_RANDOM, 2, true },
	{ "random-3-drain-each", 40, 150, OFO_RANDOM, 3, .drain_each = true },
	{ "random-4-paged-drain-each", 40, 150, OFO_RANDOM, 4, true, true },
	{ "random-tiny", 200, 3, OFO_RANDOM, 5 },
	{ "random-tiny-drain-each", 200, 3, OFO_RANDOM, 6, .drain_each = true },
};

static void ofo_order_desc(const struct ofo_order_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ofo_order, ofo_order_cases, ofo_order_desc);

static void ofo_run_order(struct kunit *test, const struct ofo_order_case *c, u32 base,
			  unsigned int *perm, unsigned int *offs)
{
	struct ofo_stream st = { .rcv_nxt = base, .buf = ofo_buf(test) };
	unsigned int i, total = 0;
	struct ns_tcp_ofo ofo;

	for (i = 0; i < c->nsegs; i++) {
		offs[i] = total;
		total += 1 + (i * 97 + 13) % c->maxlen;
		perm[i] = c->order == OFO_REVERSE ? c->nsegs - 1 - i : i;
	}
	offs[c->nsegs] = total;
	if (c->order == OFO_RANDOM)
		ns_test_shuffle(perm, c->nsegs, c->seed);

	ns_tcp_ofo_init(&ofo, OFO_LIMIT);
	for (i = 0; i < c->nsegs; i++) {
		unsigned int k = perm[i];
		struct sk_buff *skb = ofo_skb(test, base + offs[k], offs[k + 1] - offs[k],
					      k == c->nsegs - 1, 0, c->paged);

		KUNIT_EXPECT_EQ_MSG(test, ns_tcp_ofo_insert(&ofo, skb, st.rcv_nxt),
				    NS_TCP_OFO_QUEUED, "base %#x segment %u", base, k);
		if (c->drain_each)
			ofo_drain(test, &ofo, &st);
	}
	ofo_check(test, &ofo);
	ofo_drain(test, &ofo, &st);

	KUNIT_EXPECT_EQ_MSG(test, st.len, total, "base %#x", base);
	KUNIT_EXPECT_TRUE_MSG(test, st.fin, "base %#x", base);
	KUNIT_EXPECT_EQ(test, st.rcv_nxt, base + total + 1);
	KUNIT_EXPECT_EQ(test, st.dropped, 0);
	for (i = 0; i < min(st.len, total); i++) {
		if (st.buf[i] != ofo_byte(base + i, 0)) {
			KUNIT_FAIL(test, "base %#x: byte %u differs", base, i);
			break;
		}
	}
	KUNIT_EXPECT_TRUE(test, ns_tcp_ofo_empty(&ofo));
	KUNIT_EXPECT_EQ(test, ofo.mem, 0);
	ns_tcp_ofo_purge(&ofo);
	kunit_kfree(test, st.buf);
}

static void ofo_test_order(struct kunit *test)
{
	const struct ofo_order_case *c = test->param_value;
	unsigned int *perm, *offs, i;

	perm = kunit_kmalloc_array(test, c->nsegs, sizeof(*perm), GFP_KERNEL);
	offs = kunit_kmalloc_array(test, c->nsegs + 1, sizeof(*offs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, perm);
	KUNIT_ASSERT_NOT_NULL(test, offs);
	for (i = 0; i < ARRAY_SIZE(ofo_bases); i++)
		ofo_run_order(test, c, ofo_bases[i], perm, offs);
}

/*
 * Random segments of every generation, overlapping one another and rcv_nxt
 * every possible way, plus a tiling of [0, OFO_FUZZ_SPAN) in generation 0,
 * all in one random order, drained at random moments. A model records
 * which generations covered each byte: the stream must be exactly the
 * covered prefix, each byte from one of the generations that covered it.
 */
enum {
	OFO_FUZZ_SPAN = 3000,
	OFO_FUZZ_RANDOM = 300,
	OFO_FUZZ_TILE = 100,
	OFO_FUZZ_SEGS = OFO_FUZZ_RANDOM + OFO_FUZZ_SPAN / OFO_FUZZ_TILE,
	OFO_FUZZ_BEFORE = 200,		/* random segments may start this far before 0 */
	OFO_FUZZ_MAXLEN = 400,
	OFO_FUZZ_ROUNDS = 4,		/* seeds per base */
};

struct ofo_fuzz_seg {
	int off;
	u16 len;
	u8 gen;
	bool paged;
};

static void ofo_run_fuzz(struct kunit *test, u32 base, u64 seed,
			 struct ofo_fuzz_seg *segs, unsigned int *perm, u8 *cover)
{
	struct ofo_stream st = { .rcv_nxt = base, .buf = ofo_buf(test) };
	unsigned int counts[NS_TCP_OFO_NOMEM + 1] = {};
	unsigned int i, covered;
	struct ns_tcp_ofo ofo;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, seed);
	memset(cover, 0, OFO_STREAM_MAX);
	for (i = 0; i < OFO_FUZZ_SEGS; i++) {
		struct ofo_fuzz_seg *s = &segs[i];
		int j;

		if (i < OFO_FUZZ_RANDOM) {
			s->off = prandom_u32_state(&rnd) % (OFO_FUZZ_SPAN + OFO_FUZZ_BEFORE) -
				 OFO_FUZZ_BEFORE;
			s->len = prandom_u32_state(&rnd) % (OFO_FUZZ_MAXLEN + 1);
			s->gen = prandom_u32_state(&rnd) % 4;
		} else {
			s->off = (i - OFO_FUZZ_RANDOM) * OFO_FUZZ_TILE;
			s->len = OFO_FUZZ_TILE;
			s->gen = 0;
		}
		s->paged = prandom_u32_state(&rnd) % 2;
		for (j = max(s->off, 0); j < s->off + s->len; j++)
			cover[j] |= BIT(s->gen);
		perm[i] = i;
	}
	ns_test_shuffle(perm, OFO_FUZZ_SEGS, seed);
	for (covered = 0; covered < OFO_STREAM_MAX && cover[covered]; covered++)
		;

	ns_tcp_ofo_init(&ofo, OFO_LIMIT);
	for (i = 0; i < OFO_FUZZ_SEGS; i++) {
		const struct ofo_fuzz_seg *s = &segs[perm[i]];
		struct sk_buff *skb = ofo_skb(test, base + s->off, s->len, false, s->gen,
					      s->paged);

		counts[ns_tcp_ofo_insert(&ofo, skb, st.rcv_nxt)]++;
		ofo_check(test, &ofo);
		if (prandom_u32_state(&rnd) % 4 == 0)
			ofo_drain(test, &ofo, &st);
	}
	ofo_drain(test, &ofo, &st);

	KUNIT_EXPECT_EQ_MSG(test, st.len, covered, "base %#x seed %llu", base, seed);
	KUNIT_EXPECT_EQ(test, st.rcv_nxt, base + st.len);
	KUNIT_EXPECT_FALSE(test, st.fin);
	KUNIT_EXPECT_EQ(test, counts[NS_TCP_OFO_NOMEM], 0);
	/* Every kind of overlap occurred. */
	KUNIT_EXPECT_GT(test, counts[NS_TCP_OFO_QUEUED], 0);
	KUNIT_EXPECT_GT(test, counts[NS_TCP_OFO_OVERLAP], 0);
	KUNIT_EXPECT_GT(test, counts[NS_TCP_OFO_DUPLICATE], 0);
	KUNIT_EXPECT_GT(test, counts[NS_TCP_OFO_OLD], 0);
	for (i = 0; i < min(st.len, covered); i++) {
		u8 gen_bits = st.buf[i] ^ ofo_byte(base + i, 0);
		u8 gen = gen_bits / 0x55;

		if (gen_bits % 0x55 || !(cover[i] & BIT(gen))) {
			KUNIT_FAIL(test, "base %#x seed %llu byte %u: %#x, covered by %#x",
				   base, seed, i, st.buf[i], cover[i]);
			break;
		}
	}
	ofo_check(test, &ofo);
	ns_tcp_ofo_purge(&ofo);
	kunit_kfree(test, st.buf);
}

static void ofo_test_fuzz(struct kunit *test)
{
	struct ofo_fuzz_seg *segs;
	unsigned int *perm, i, r;
	u8 *cover;

	segs = kunit_kmalloc_array(test, OFO_FUZZ_SEGS, sizeof(*segs), GFP_KERNEL);
	perm = kunit_kmalloc_array(test, OFO_FUZZ_SEGS, sizeof(*perm), GFP_KERNEL);
	cover = kunit_kmalloc(test, OFO_STREAM_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, segs);
	KUNIT_ASSERT_NOT_NULL(test, perm);
	KUNIT_ASSERT_NOT_NULL(test, cover);
	for (i = 0; i < ARRAY_SIZE(ofo_bases); i++)
		for (r = 0; r < OFO_FUZZ_ROUNDS; r++)
			ofo_run_fuzz(test, ofo_bases[i], i * 100 + r, segs, perm, cover);
}

/* The truesize of a segment as ofo_skb() builds it. */
static unsigned int ofo_truesize(struct kunit *test, unsigned int len, bool paged)
{
	struct sk_buff *skb = ofo_skb(test, 0, len, false, 0, paged);
	unsigned int truesize = skb->truesize;

	kfree_skb(skb);
	return truesize;
}

static enum ns_tcp_ofo_verdict ofo_put(struct kunit *test, struct ns_tcp_ofo *ofo,
				       u32 base, int off, unsigned int len, bool paged)
{
	return ns_tcp_ofo_insert(ofo, ofo_skb(test, base + off, len, false, 0, paged), base);
}

/*
 * The memory limit: a segment that would pass it is refused and nothing
 * queued is touched; one that replaces queued segments is charged only the
 * difference; the limit may be met exactly.
 */
static void ofo_test_memory(struct kunit *test)
{
	unsigned int ts = ofo_truesize(test, 100, false);
	unsigned int big = ofo_truesize(test, 300, true);
	struct ns_tcp_range blocks[4];
	struct ns_tcp_ofo ofo;
	u32 base = 0xffffff00;

	KUNIT_ASSERT_GT(test, big, 3 * ts);
	KUNIT_ASSERT_EQ(test, ofo_truesize(test, 101, false), ts);
	ns_tcp_ofo_init(&ofo, 2 * ts + ts / 2);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 100, 100, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 300, 100, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo.mem, 2 * ts);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 500, 100, false), NS_TCP_OFO_NOMEM);
	KUNIT_EXPECT_EQ(test, ofo.mem, 2 * ts);
	KUNIT_EXPECT_EQ(test, ofo.count, 2);

	/* Replacing the first segment by one of the same truesize fits. */
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 100, 101, false), NS_TCP_OFO_OVERLAP);
	KUNIT_EXPECT_EQ(test, ofo.mem, 2 * ts);

	/* Replacing both by a paged one that costs more is refused; both stay. */
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 100, 300, true), NS_TCP_OFO_NOMEM);
	KUNIT_EXPECT_EQ(test, ofo.count, 2);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, base, blocks, 4), 2);
	KUNIT_EXPECT_EQ(test, blocks[0].start, base + 100);
	KUNIT_EXPECT_EQ(test, blocks[0].end, base + 201);
	ofo_check(test, &ofo);

	/* ... until the limit allows it, exactly. */
	ofo.limit = big;
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 100, 300, true), NS_TCP_OFO_OVERLAP);
	KUNIT_EXPECT_EQ(test, ofo.mem, big);
	KUNIT_EXPECT_EQ(test, ofo.count, 1);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 500, 1, false), NS_TCP_OFO_NOMEM);

	/* A duplicate or old segment is such whatever the memory. */
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 150, 10, false), NS_TCP_OFO_DUPLICATE);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, -10, 10, false), NS_TCP_OFO_OLD);
	ofo_check(test, &ofo);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_purge(&ofo), 1);
	KUNIT_EXPECT_EQ(test, ofo.mem, 0);

	/* A limit of zero refuses everything. */
	ns_tcp_ofo_init(&ofo, 0);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 0, 1, false), NS_TCP_OFO_NOMEM);
	KUNIT_EXPECT_TRUE(test, ns_tcp_ofo_empty(&ofo));
}

/*
 * Queues sharing a total bound (a namespace's): each segment is charged
 * to the total too, refused past it whatever the queue's own limit, and
 * given back by dequeue and purge.
 */
static void ofo_test_shared(struct kunit *test)
{
	unsigned int ts = ofo_truesize(test, 100, false), dropped = 0;
	atomic_long_t total = ATOMIC_LONG_INIT(0);
	int max = 3 * ts;
	struct ns_tcp_ofo a, b;
	struct sk_buff *skb;
	u32 base = 0xffffffc0;

	ns_tcp_ofo_init(&a, OFO_LIMIT);
	ns_tcp_ofo_init(&b, OFO_LIMIT);
	ns_tcp_ofo_share(&a, &total, &max);
	ns_tcp_ofo_share(&b, &total, &max);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &a, base, 100, 100, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &a, base, 300, 100, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &b, base, 100, 100, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&total), 3 * ts);
	/* Full: b's next segment is refused, nothing changes. */
	KUNIT_EXPECT_EQ(test, ofo_put(test, &b, base, 300, 100, false), NS_TCP_OFO_NOMEM);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&total), 3 * ts);
	KUNIT_EXPECT_EQ(test, b.count, 1);

	/* a's first segment is delivered: its memory is free for b. */
	skb = ns_tcp_ofo_dequeue(&a, base + 100, &dropped);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&total), 2 * ts);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &b, base, 300, 100, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&total), 3 * ts);

	/* A smaller bound refuses new segments and frees nothing. */
	max = 0;
	KUNIT_EXPECT_EQ(test, ofo_put(test, &a, base, 500, 1, false), NS_TCP_OFO_NOMEM);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_purge(&a), 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&total), 2 * ts);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_purge(&b), 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&total), 0);
}

/*
 * rcv_nxt moved on while segments were queued (in-order data covered
 * them): dequeue drops those it passed and trims the one it is inside of.
 */
static void ofo_test_dequeue_passed(struct kunit *test)
{
	static const struct { u16 off, len; bool paged; } segs[] = {
		{ 100, 100, true }, { 200, 100, false }, { 300, 300, true }, { 700, 10, false },
	};
	unsigned int b, dropped;

	for (b = 0; b < ARRAY_SIZE(ofo_bases); b++) {
		u32 base = ofo_bases[b];
		struct ns_tcp_ofo ofo;
		struct sk_buff *skb;
		u8 buf[120];
		int i;

		ns_tcp_ofo_init(&ofo, OFO_LIMIT);
		for (i = 0; i < ARRAY_SIZE(segs); i++)
			KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, segs[i].off, segs[i].len,
						      segs[i].paged), NS_TCP_OFO_QUEUED);

		/* Before the first segment: nothing, nothing dropped. */
		dropped = 0;
		KUNIT_EXPECT_NULL(test, ns_tcp_ofo_dequeue(&ofo, base + 99, &dropped));
		KUNIT_EXPECT_EQ(test, dropped, 0);
		KUNIT_EXPECT_EQ(test, ofo.count, 4);

		/* Deep inside the third segment, past its linear part. */
		skb = ns_tcp_ofo_dequeue(&ofo, base + 480, &dropped);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, dropped, 2);
		KUNIT_EXPECT_EQ(test, NS_TCP_SKB_CB(skb)->seq, base + 480);
		KUNIT_EXPECT_EQ(test, NS_TCP_SKB_CB(skb)->end_seq, base + 600);
		KUNIT_EXPECT_EQ(test, skb->len, 120);
		KUNIT_EXPECT_EQ(test, skb_copy_bits(skb, 0, buf, 120), 0);
		for (i = 0; i < 120; i++)
			if (buf[i] != ofo_byte(base + 480 + i, 0))
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, 120, "base %#x", base);
		kfree_skb(skb);

		/* The hole [600, 700) remains; past the last segment, all go. */
		KUNIT_EXPECT_NULL(test, ns_tcp_ofo_dequeue(&ofo, base + 600, &dropped));
		KUNIT_EXPECT_NULL(test, ns_tcp_ofo_dequeue(&ofo, base + 710, NULL));
		KUNIT_EXPECT_TRUE(test, ns_tcp_ofo_empty(&ofo));
		KUNIT_EXPECT_EQ(test, ofo.mem, 0);
		KUNIT_EXPECT_EQ(test, ofo.count, 0);
		KUNIT_EXPECT_NULL(test, ns_tcp_ofo_dequeue(&ofo, base, NULL));
	}
}

/*
 * Cloned segments (a tap or a retransmission queue may hold the same data):
 * trimming them for the queue, front and end, into their page fragments,
 * must leave the other copy's bytes alone.
 */
static void ofo_test_clones(struct kunit *test)
{
	static const struct { u32 seq; u16 len; } o[] = { { 850, 350 }, { 1100, 300 } };
	struct ofo_stream st = { .rcv_nxt = 1000, .buf = ofo_buf(test) };
	struct sk_buff *orig[2], *skb;
	struct ns_tcp_ofo ofo;
	unsigned int i, k;
	u8 buf[350];

	ns_tcp_ofo_init(&ofo, OFO_LIMIT);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, 1000, 300, 300, false), NS_TCP_OFO_QUEUED);
	/*
	 * The first straddles rcv_nxt (pulled past its linear part); the
	 * second overlaps the first at its front and [1300, 1600) at its end.
	 */
	for (k = 0; k < 2; k++) {
		orig[k] = ofo_skb(test, o[k].seq, o[k].len, false, k + 1, true);
		skb = skb_clone(orig[k], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, ns_tcp_ofo_insert(&ofo, skb, 1000), NS_TCP_OFO_OVERLAP);
	}
	ofo_check(test, &ofo);
	KUNIT_EXPECT_EQ(test, ofo.count, 3);
	ofo_drain(test, &ofo, &st);
	KUNIT_EXPECT_EQ(test, st.len, 600);
	KUNIT_EXPECT_TRUE(test, ns_tcp_ofo_empty(&ofo));
	for (i = 0; i < min(st.len, 600U); i++) {
		u8 gen = i < 200 ? 1 : i < 300 ? 2 : 0;

		if (st.buf[i] != ofo_byte(1000 + i, gen)) {
			KUNIT_FAIL(test, "byte %u differs", i);
			break;
		}
	}
	for (k = 0; k < 2; k++) {
		KUNIT_EXPECT_EQ(test, orig[k]->len, o[k].len);
		KUNIT_EXPECT_EQ(test, NS_TCP_SKB_CB(orig[k])->seq, o[k].seq);
		KUNIT_EXPECT_EQ(test, skb_copy_bits(orig[k], 0, buf, o[k].len), 0);
		for (i = 0; i < o[k].len; i++)
			if (buf[i] != ofo_byte(o[k].seq + i, k + 1))
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, o[k].len, "original %u changed", k);
		kfree_skb(orig[k]);
	}
	kunit_kfree(test, st.buf);
}

/* Blocks: clipped at rcv_nxt, cut at max, adjacent ones merged across the wrap. */
static void ofo_test_blocks(struct kunit *test)
{
	struct ns_tcp_range r[4];
	struct ns_tcp_ofo ofo;
	u32 base = 0xffffffe0;

	ns_tcp_ofo_init(&ofo, OFO_LIMIT);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 0, 16, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 16, 32, true), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 100, 10, false), NS_TCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 200, 10, false), NS_TCP_OFO_QUEUED);

	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, base, r, 4), 3);
	KUNIT_EXPECT_EQ(test, r[0].start, base);
	KUNIT_EXPECT_EQ(test, r[0].end, 16);	/* across 2^32 */
	KUNIT_EXPECT_EQ(test, r[1].start, 68);
	KUNIT_EXPECT_EQ(test, r[2].end, 178);

	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, base, r, 2), 2);
	KUNIT_EXPECT_EQ(test, r[1].end, 78);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, base, r, 0), 0);

	/* rcv_nxt inside the first block clips it; past it, the block goes. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, 5, r, 4), 3);
	KUNIT_EXPECT_EQ(test, r[0].start, 5);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, 16, r, 4), 2);
	KUNIT_EXPECT_EQ(test, r[0].start, 68);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_purge(&ofo), 4);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_blocks(&ofo, base, r, 4), 0);
}

/*
 * SACK order (RFC 2018 4): the block of the segment queued last first,
 * then the others from the highest down; at most max; the recent block
 * clipped by rcv_nxt or gone with it; across 2^32.
 */
static void ofo_test_sack_blocks(struct kunit *test)
{
	struct ns_tcp_range r[4];
	struct ns_tcp_ofo ofo;
	u32 base = 0xffffff00;
	int i;

	ns_tcp_ofo_init(&ofo, OFO_LIMIT);
	/* Blocks at 100, 300, 500, 700, 900 (+10 each) from base. */
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, ofo_put(test, &ofo, base, 100 + 200 * i, 10, false),
				NS_TCP_OFO_QUEUED);

	/* The recent one (300) first, then 900, 700, 500: four. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base, base + 305, r, 4), 4);
	KUNIT_EXPECT_EQ(test, r[0].start, base + 300);
	KUNIT_EXPECT_EQ(test, r[0].end, base + 310);
	KUNIT_EXPECT_EQ(test, r[1].start, base + 900);	/* past 2^32 */
	KUNIT_EXPECT_EQ(test, r[2].start, base + 700);
	KUNIT_EXPECT_EQ(test, r[3].start, base + 500);

	/* The highest is the recent one: no repeat. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base, base + 900, r, 4), 4);
	KUNIT_EXPECT_EQ(test, r[0].start, base + 900);
	KUNIT_EXPECT_EQ(test, r[1].start, base + 700);
	KUNIT_EXPECT_EQ(test, r[3].start, base + 300);

	/* max cuts the list; 0 writes nothing. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base, base + 100, r, 2), 2);
	KUNIT_EXPECT_EQ(test, r[0].start, base + 100);
	KUNIT_EXPECT_EQ(test, r[1].start, base + 900);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base, base + 100, r, 0), 0);

	/* recent in no block (a gap, or passed by rcv_nxt): highest first. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base, base + 200, r, 4), 4);
	KUNIT_EXPECT_EQ(test, r[0].start, base + 900);
	KUNIT_EXPECT_EQ(test, r[3].start, base + 300);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base + 110, base + 105, r, 4), 4);
	KUNIT_EXPECT_EQ(test, r[0].start, base + 900);
	KUNIT_EXPECT_EQ(test, r[3].start, base + 300);

	/* rcv_nxt inside the recent block clips it. */
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base + 305, base + 308, r, 4), 4);
	KUNIT_EXPECT_EQ(test, r[0].start, base + 305);
	KUNIT_EXPECT_EQ(test, r[0].end, base + 310);

	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_purge(&ofo), 5);
	KUNIT_EXPECT_EQ(test, ns_tcp_ofo_sack_blocks(&ofo, base, base, r, 4), 0);
}

static struct kunit_case ofo_test_cases[] = {
	KUNIT_CASE_PARAM(ofo_test_scenario, ofo_scenario_gen_params),
	KUNIT_CASE_PARAM(ofo_test_order, ofo_order_gen_params),
	KUNIT_CASE(ofo_test_fuzz),
	KUNIT_CASE(ofo_test_memory),
	KUNIT_CASE(ofo_test_shared),
	KUNIT_CASE(ofo_test_dequeue_passed),
	KUNIT_CASE(ofo_test_clones),
	KUNIT_CASE(ofo_test_blocks),
	KUNIT_CASE(ofo_test_sack_blocks),
	{}
};

static struct kunit_suite ofo_test_suite = {
	.name = "netstack_tcp_ofo",
	.test_cases = ofo_test_cases,
};

kunit_test_suite(ofo_test_suite);
