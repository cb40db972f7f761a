// SPDX-License-Identifier: GPL-2.0
/*
 * frag_test.c - KUnit tests for IPv4 fragment reassembly (frag.c), on real
 * IPv4 fragment skbs: every arrival order and the largest datagram,
 * scripted scenarios (duplicates, overlaps, holes, malformed and oversize
 * fragments), interleaved datagrams, expiry and the memory bound. Every
 * datagram's header and payload are checked, and every test ends with the
 * table's memory back at zero.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ip.h>
#include <linux/jiffies.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ip.h>

#include "kmod/tests/test_util.h"
#include "kmod/frag.h"

enum {
	FRAG_HEADROOM = 64,		/* as a driver would leave for link headers */
	FRAG_PAYLOAD_MAX = 65536 + 64,	/* enough for fragments past the 64 KiB mark */
	FRAG_TTL_FIRST = 64,		/* the offset-0 fragment's TTL ... */
	FRAG_TTL_OTHER = 7,		/* ... differs from the others' */
	FRAG_WAIT_MS = 5000,		/* longest wait for an expiry timer */
};

#define FRAG_SADDR	htonl(0xc0a80001)	/* 192.168.0.1 */
#define FRAG_DADDR	htonl(0xc0a80002)	/* 192.168.0.2 */

struct frag_ctx {
	struct ns_frags frags;
	bool ready;	/* ns_frags_init() succeeded */
	u8 *payload;	/* FRAG_PAYLOAD_MAX bytes of pattern */
};

/* One datagram as the tests send it. */
struct frag_dgram {
	__be32 saddr;
	__be32 daddr;
	u16 id;
	u8 protocol;
	u8 opt_len;		/* bytes of options in the offset-0 fragment */
	const u8 *payload;
	unsigned int len;	/* payload bytes */
};

static struct ns_frags *frags_of(struct kunit *test)
{
	return &((struct frag_ctx *)test->priv)->frags;
}

static struct frag_dgram frag_dgram_default(struct kunit *test, unsigned int len)
{
	struct frag_ctx *ctx = test->priv;

	return (struct frag_dgram){
		.saddr = FRAG_SADDR, .daddr = FRAG_DADDR, .id = 0x1234,
		.protocol = IPPROTO_UDP, .payload = ctx->payload, .len = len,
	};
}

/*
 * An IPv4 fragment of @dg: payload bytes [offset, offset + len) and MF as
 * given, a valid header (options, all NOP, only at offset 0), as the IPv4
 * input path would hand it over.
 */
static struct sk_buff *frag_skb(struct kunit *test, const struct frag_dgram *dg,
				unsigned int offset, unsigned int len, bool mf)
{
	unsigned int ihl = sizeof(struct iphdr) + (offset ? 0 : dg->opt_len);
	struct sk_buff *skb;
	struct iphdr *iph;

	skb = alloc_skb(FRAG_HEADROOM + ihl + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, FRAG_HEADROOM);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, ihl);
	iph->version = 4;
	iph->ihl = ihl / 4;
	iph->tot_len = htons(ihl + len);
	iph->id = htons(dg->id);
	iph->frag_off = htons(offset / 8 | (mf ? IP_MF : 0));
	iph->ttl = offset ? FRAG_TTL_OTHER : FRAG_TTL_FIRST;
	iph->protocol = dg->protocol;
	iph->saddr = dg->saddr;
	iph->daddr = dg->daddr;
	memset(iph + 1, IPOPT_NOOP, ihl - sizeof(*iph));
	iph->check = ip_fast_csum(iph, iph->ihl);
	skb_put_data(skb, dg->payload + offset, len);
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

static struct sk_buff *frag_feed(struct kunit *test, const struct frag_dgram *dg,
				 unsigned int offset, unsigned int len, bool mf)
{
	return ns_frags_gather(frags_of(test), frag_skb(test, dg, offset, len, mf));
}

/* Check a reassembled datagram against @dg, then free it. */
static void frag_check_dgram(struct kunit *test, struct sk_buff *skb,
			     const struct frag_dgram *dg)
{
	unsigned int ihl = sizeof(struct iphdr) + dg->opt_len;
	const struct iphdr *iph;
	u8 *buf;
	int i;

	KUNIT_ASSERT_NOT_NULL_MSG(test, skb, "no datagram");
	KUNIT_EXPECT_EQ(test, skb->len, ihl + dg->len);
	KUNIT_EXPECT_GE(test, skb_headlen(skb), ihl);
	if (skb->len != ihl + dg->len || skb_headlen(skb) < ihl)
		goto out;
	iph = (const struct iphdr *)skb->data;
	KUNIT_EXPECT_PTR_EQ(test, (const void *)iph, (const void *)skb_network_header(skb));
	KUNIT_EXPECT_EQ(test, (int)iph->version, 4);
	KUNIT_EXPECT_EQ(test, iph->ihl * 4, ihl);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), ihl + dg->len);
	KUNIT_EXPECT_EQ(test, ntohs(iph->frag_off), 0);
	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(iph, iph->ihl), 0);
	KUNIT_EXPECT_EQ(test, ntohs(iph->id), dg->id);
	KUNIT_EXPECT_EQ(test, iph->protocol, dg->protocol);
	KUNIT_EXPECT_EQ(test, ntohl(iph->saddr), ntohl(dg->saddr));
	KUNIT_EXPECT_EQ(test, ntohl(iph->daddr), ntohl(dg->daddr));
	KUNIT_EXPECT_EQ_MSG(test, iph->ttl, FRAG_TTL_FIRST, "header not the offset-0 fragment's");
	for (i = sizeof(*iph); i < ihl; i++)
		KUNIT_EXPECT_EQ(test, skb->data[i], IPOPT_NOOP);

	buf = kunit_kmalloc(test, dg->len, GFP_KERNEL);
	if (!buf)
		goto out;
	KUNIT_EXPECT_EQ(test, skb_copy_bits(skb, ihl, buf, dg->len), 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, dg->payload, dg->len), 0, "payload differs");
	kunit_kfree(test, buf);
out:
	kfree_skb(skb);
}

struct frag_counts {
	long reqds, oks, fails, timeout, overlap, duplicate, oversize, memory, malformed;
};

static void frag_expect_count(struct kunit *test, const char *name,
			      const atomic_long_t *count, long want)
{
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(count), want, "%s", name);
}

static void frag_expect_counts(struct kunit *test, const struct frag_counts *want)
{
	const struct ns_frag_stats *s = &frags_of(test)->stats;

	frag_expect_count(test, "reqds", &s->reasm_reqds, want->reqds);
	frag_expect_count(test, "oks", &s->reasm_oks, want->oks);
	frag_expect_count(test, "fails", &s->reasm_fails, want->fails);
	frag_expect_count(test, "timeout", &s->reasm_timeout, want->timeout);
	frag_expect_count(test, "overlap", &s->reasm_overlap, want->overlap);
	frag_expect_count(test, "duplicate", &s->reasm_duplicate, want->duplicate);
	frag_expect_count(test, "oversize", &s->reasm_oversize, want->oversize);
	frag_expect_count(test, "memory", &s->reasm_memory, want->memory);
	frag_expect_count(test, "malformed", &s->reasm_malformed, want->malformed);
}

/* Arrival orders: every fragment of one datagram, in some order. */
enum frag_order { FRAG_IN_ORDER, FRAG_REVERSE, FRAG_RANDOM };

struct frag_order_case {
	const char *name;
	unsigned int len;	/* datagram payload */
	unsigned int size;	/* payload per fragment, a multiple of 8 */
	u8 opt_len;		/* options in the offset-0 fragment */
	enum frag_order order;
};

static const struct frag_order_case frag_order_cases[] = {
	{ "in-order", 4000, 1480, 0, FRAG_IN_ORDER },
	{ "reverse", 4000, 1480, 0, FRAG_REVERSE },
	{ "random", 10000, 512, 0, FRAG_RANDOM },
	{ "random-8-byte-fragments", 3001, 8, 0, FRAG_RANDOM },
	{ "one-byte-tail-reverse", 1481, 1480, 0, FRAG_REVERSE },
	{ "options-in-order", 3000, 1000, 12, FRAG_IN_ORDER },
	{ "options-reverse", 3000, 1000, 40, FRAG_REVERSE },
	/* 65535 bytes: 44 fragments of 1480 and one of 395, plus 20 bytes of header. */
	{ "max-datagram-in-order", 65515, 1480, 0, FRAG_IN_ORDER },
	{ "max-datagram-reverse", 65515, 1480, 0, FRAG_REVERSE },
	{ "max-datagram-random", 65515, 1480, 0, FRAG_RANDOM },
	{ "max-datagram-options-random", 65475, 1480, 40, FRAG_RANDOM },
};

static void frag_order_desc(const struct frag_order_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(frag_order, frag_order_cases, frag_order_desc);

static void frag_test_order(struct kunit *test)
{
	const struct frag_order_case *c = test->param_value;
	struct frag_dgram dg = frag_dgram_default(test, c->len);
	unsigned int n = DIV_ROUND_UP(c->len, c->size), i;
	struct sk_buff *skb = NULL;
	unsigned int *perm;

	dg.opt_len = c->opt_len;
	perm = kunit_kmalloc_array(test, n, sizeof(*perm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, perm);
	for (i = 0; i < n; i++)
		perm[i] = c->order == FRAG_REVERSE ? n - 1 - i : i;
	if (c->order == FRAG_RANDOM)
		ns_test_shuffle(perm, n, c->len);

	for (i = 0; i < n; i++) {
		unsigned int offset = perm[i] * c->size;
		unsigned int len = min(c->size, c->len - offset);

		skb = frag_feed(test, &dg, offset, len, offset + len < c->len);
		if (i < n - 1 && skb) {
			KUNIT_FAIL(test, "datagram after %u of %u fragments", i + 1, n);
			kfree_skb(skb);
			return;
		}
	}
	frag_check_dgram(test, skb, &dg);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(frags_of(test)), 0);
	frag_expect_counts(test, &(struct frag_counts){ .reqds = n, .oks = 1 });
}

/*
 * Scripted scenarios on one datagram: each step sends one fragment and says
 * whether the datagram (of dgram_len bytes) must come out of it; then the
 * counters, and whether fragments are still queued.
 */
enum {
	FRAG_STEP_MF = BIT(0),		/* more fragments */
	FRAG_STEP_DGRAM = BIT(1),	/* this step completes the datagram */
	FRAG_STEPS_MAX = 8,
};

struct frag_step {
	u16 offset;
	u16 len;
	u8 flags;
};

struct frag_scenario {
	const char *name;
	struct frag_step steps[FRAG_STEPS_MAX];	/* up to an all-zero step */
	unsigned int dgram_len;
	u8 opt_len;
	bool leftover;				/* fragments still queued at the end */
	struct frag_counts counts;		/* .reqds is counted from the steps */
};

#define MF FRAG_STEP_MF
#define DGRAM FRAG_STEP_DGRAM

static const struct frag_scenario frag_scenarios[] = {
	/* Exact duplicates are dropped; the queue survives and completes. */
	{ "duplicate-middle",
	  { { 0, 1480, MF }, { 1480, 1480, MF }, { 1480, 1480, MF }, { 2960, 40, DGRAM } },
	  3000, .counts = { .oks = 1, .duplicate = 1 } },
	{ "duplicate-last",
	  { { 2960, 40, 0 }, { 2960, 40, 0 }, { 0, 1480, MF }, { 1480, 1480, MF | DGRAM } },
	  3000, .counts = { .oks = 1, .duplicate = 1 } },
	{ "duplicate-first-twice",
	  { { 0, 1480, MF }, { 0, 1480, MF }, { 2960, 40, 0 }, { 0, 1480, MF },
	    { 1480, 1480, MF | DGRAM } },
	  3000, .counts = { .oks = 1, .duplicate = 2 } },
	/* Any other overlap drops the queue; the rest starts a new one, which never completes. */
	{ "overlap-left",
	  { { 0, 1480, MF }, { 1472, 16, MF }, { 1480, 1480, MF }, { 2960, 40, 0 } },
	  .leftover = true, .counts = { .fails = 1, .overlap = 1 } },
	{ "overlap-right",
	  { { 1480, 1480, MF }, { 1472, 16, MF }, { 0, 1480, MF }, { 2960, 40, 0 } },
	  .leftover = true, .counts = { .fails = 1, .overlap = 1 } },
	{ "overlap-inside",
	  { { 0, 2960, MF }, { 8, 16, MF }, { 2960, 40, 0 } },
	  .leftover = true, .counts = { .fails = 1, .overlap = 1 } },
	{ "overlap-covering",
	  { { 8, 16, MF }, { 2960, 40, 0 }, { 0, 1480, MF }, { 1480, 1480, MF } },
	  .leftover = true, .counts = { .fails = 1, .overlap = 1 } },
	{ "overlap-same-offset-longer",
	  { { 0, 1480, MF }, { 0, 2960, MF }, { 1480, 1480, MF }, { 2960, 40, 0 } },
	  .leftover = true, .counts = { .fails = 1, .overlap = 1 } },
	{ "overlap-same-end-last",
	  { { 2960, 40, 0 }, { 2952, 48, 0 }, { 0, 1480, MF }, { 1480, 1480, MF } },
	  .leftover = true, .counts = { .fails = 1, .overlap = 1 } },
	/* A hole: no datagram, nothing counted but the fragments. */
	{ "hole",
	  { { 0, 1480, MF }, { 2960, 40, 0 } },
	  .leftover = true },
	{ "hole-at-start",
	  { { 1480, 1480, MF }, { 2960, 40, 0 } },
	  .leftover = true },
	/* Malformed fragments drop their queue. */
	{ "malformed-unaligned-middle",
	  { { 0, 1480, MF }, { 1480, 1476, MF }, { 2960, 40, 0 } },
	  .leftover = true, .counts = { .fails = 1, .malformed = 1 } },
	{ "malformed-unaligned-alone",
	  { { 0, 1481, MF } },
	  .counts = { .fails = 1, .malformed = 1 } },
	{ "malformed-empty",
	  { { 0, 1480, MF }, { 1480, 0, MF } },
	  .counts = { .fails = 1, .malformed = 1 } },
	{ "malformed-second-last",
	  { { 2960, 40, 0 }, { 2960, 48, 0 }, { 0, 1480, MF }, { 1480, 1480, MF } },
	  .leftover = true, .counts = { .fails = 1, .malformed = 1 } },
	{ "malformed-beyond-end",
	  { { 0, 1480, MF }, { 2960, 40, 0 }, { 3000, 8, MF }, { 1480, 1480, MF } },
	  .leftover = true, .counts = { .fails = 1, .malformed = 1 } },
	{ "malformed-last-before-data",
	  { { 1480, 1480, MF }, { 0, 1000, 0 }, { 0, 1480, MF } },
	  .leftover = true, .counts = { .fails = 1, .malformed = 1 } },
	/* More than 65535 bytes of total length drops the queue. */
	{ "oversize-offset",
	  { { 0, 1480, MF }, { 65528, 16, MF } },
	  .counts = { .fails = 1, .oversize = 1 } },
	{ "oversize-last-alone",
	  { { 65512, 8, 0 } },
	  .counts = { .fails = 1, .oversize = 1 } },
	{ "oversize-by-first-header",	/* 65515 bytes fit a 20-byte header, not a 60-byte one */
	  { { 64000, 1515, 0 }, { 0, 1480, MF }, { 1480, 1480, MF } },
	  .opt_len = 40, .leftover = true, .counts = { .fails = 1, .oversize = 1 } },
	{ "largest-offset-fits",
	  { { 65512, 3, 0 }, { 0, 65512, MF | DGRAM } },
	  65515, .counts = { .oks = 1 } },
};

#undef MF
#undef DGRAM

static void frag_scenario_desc(const struct frag_scenario *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(frag_scenario, frag_scenarios, frag_scenario_desc);

static void frag_test_scenario(struct kunit *test)
{
	const struct frag_scenario *s = test->param_value;
	struct frag_dgram dg = frag_dgram_default(test, s->dgram_len);
	struct frag_counts counts = s->counts;
	unsigned int i;

	dg.opt_len = s->opt_len;
	for (i = 0; i < FRAG_STEPS_MAX; i++) {
		const struct frag_step *st = &s->steps[i];
		struct sk_buff *skb;

		if (!st->offset && !st->len && !st->flags)
			break;
		skb = frag_feed(test, &dg, st->offset, st->len, st->flags & FRAG_STEP_MF);
		if (st->flags & FRAG_STEP_DGRAM) {
			frag_check_dgram(test, skb, &dg);
		} else if (skb) {
			KUNIT_FAIL(test, "unexpected datagram at step %u", i);
			kfree_skb(skb);
		}
	}
	counts.reqds = i;
	frag_expect_counts(test, &counts);
	if (s->leftover)
		KUNIT_EXPECT_NE(test, ns_frags_mem(frags_of(test)), 0);
	else
		KUNIT_EXPECT_EQ(test, ns_frags_mem(frags_of(test)), 0);
}

/*
 * Four datagrams whose keys differ in one field each (id, source address,
 * protocol), fragments shuffled together: each comes out whole, once.
 */
static void frag_test_interleaved(struct kunit *test)
{
	enum { NDG = 4, LEN = 3000, SIZE = 1000, NFRAG = NDG * 3 };
	struct frag_dgram dgs[NDG];
	unsigned int order[NFRAG], done = 0, i;

	for (i = 0; i < NDG; i++) {
		dgs[i] = frag_dgram_default(test, LEN);
		dgs[i].payload += i * 7;	/* different bytes per datagram */
	}
	dgs[1].id = 0x1235;
	dgs[2].saddr = htonl(0xc0a80003);
	dgs[3].protocol = IPPROTO_TCP;

	for (i = 0; i < NFRAG; i++)
		order[i] = i;
	ns_test_shuffle(order, NFRAG, 42);

	for (i = 0; i < NFRAG; i++) {
		const struct frag_dgram *dg = &dgs[order[i] / 3];
		unsigned int offset = order[i] % 3 * SIZE;
		struct sk_buff *skb;

		skb = frag_feed(test, dg, offset, SIZE, offset + SIZE < LEN);
		if (skb) {
			frag_check_dgram(test, skb, dg);
			done++;
		}
	}
	KUNIT_EXPECT_EQ(test, done, NDG);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(frags_of(test)), 0);
	frag_expect_counts(test, &(struct frag_counts){ .reqds = NFRAG, .oks = NDG });
}

/* Wait for a counter to reach @want, at most FRAG_WAIT_MS. */
static long frag_wait_count(atomic_long_t *count, long want)
{
	unsigned long until = jiffies + msecs_to_jiffies(FRAG_WAIT_MS);

	while (atomic_long_read(count) < want && time_before(jiffies, until))
		msleep(20);
	return atomic_long_read(count);
}

/*
 * Expiry, with the table's timeout cut to a quarter second (long enough
 * for the queues to be seen held on a loaded emulator; one jiffy was
 * not): the queues are freed by their timers and counted; fragments sent
 * afterwards start afresh.
 */
static void frag_test_timeout(struct kunit *test)
{
	struct ns_frags *f = frags_of(test);
	struct frag_dgram dg = frag_dgram_default(test, 3000);
	struct frag_dgram other = dg;

	other.id++;
	f->timeout = msecs_to_jiffies(250);
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 0, 1480, true));
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 2960, 40, false));
	KUNIT_EXPECT_NULL(test, frag_feed(test, &other, 1480, 1480, true));
	KUNIT_EXPECT_NE(test, ns_frags_mem(f), 0);

	KUNIT_EXPECT_EQ(test, frag_wait_count(&f->stats.reasm_timeout, 2), 2);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), 0);
	frag_expect_counts(test, &(struct frag_counts){ .reqds = 3, .fails = 2, .timeout = 2 });

	/* The old queue is gone: the missing middle alone completes nothing. */
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 1480, 1480, true));
	KUNIT_EXPECT_EQ(test, frag_wait_count(&f->stats.reasm_timeout, 3), 3);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->stats.reasm_oks), 0);
}

/* The truesize of one fragment as frag_skb() builds it. */
static unsigned int frag_truesize(struct kunit *test, const struct frag_dgram *dg,
				  unsigned int offset, unsigned int len)
{
	struct sk_buff *skb = frag_skb(test, dg, offset, len, true);
	unsigned int truesize = skb->truesize;

	kfree_skb(skb);
	return truesize;
}

/*
 * A bound of two and a half fragments: the third fragment, and the first
 * of another datagram, are dropped and counted; nothing is evicted.
 */
static void frag_test_memory_bound(struct kunit *test)
{
	struct ns_frags *f = frags_of(test);
	struct frag_dgram dg = frag_dgram_default(test, 3 * 1480);
	struct frag_dgram other = dg;
	unsigned int ts = frag_truesize(test, &dg, 0, 1480);

	other.id++;
	f->mem_limit = 2 * ts + ts / 2;
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 0, 1480, true));
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 1480, 1480, true));
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), 2 * ts);
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 2960, 1480, false));
	KUNIT_EXPECT_NULL(test, frag_feed(test, &other, 0, 1480, true));
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), 2 * ts);
	frag_expect_counts(test, &(struct frag_counts){ .reqds = 4, .memory = 2 });
}

/* A bound of exactly three fragments is met, not passed: the datagram completes. */
static void frag_test_memory_exact(struct kunit *test)
{
	struct ns_frags *f = frags_of(test);
	struct frag_dgram dg = frag_dgram_default(test, 3 * 1480);
	unsigned int ts = frag_truesize(test, &dg, 0, 1480);

	f->mem_limit = 3 * ts;
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 1480, 1480, true));
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 2960, 1480, false));
	frag_check_dgram(test, frag_feed(test, &dg, 0, 1480, true), &dg);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), 0);
	/* The memory is back: the next datagram fits again. */
	dg.id++;
	KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 0, 1480, true));
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), ts);
	frag_expect_counts(test, &(struct frag_counts){ .reqds = 4, .oks = 1 });
}

/*
 * The default 4 MiB bound, filled with first fragments of distinct
 * datagrams until one is refused: the table then holds as many as fit.
 */
static void frag_test_memory_default(struct kunit *test)
{
	struct ns_frags *f = frags_of(test);
	struct frag_dgram dg = frag_dgram_default(test, 3000);
	unsigned int ts = frag_truesize(test, &dg, 0, 1480);
	unsigned long queued = 0, max = NS_FRAG_MEM_LIMIT / ts + 1;

	KUNIT_ASSERT_EQ(test, f->mem_limit, NS_FRAG_MEM_LIMIT);
	while (!atomic_long_read(&f->stats.reasm_memory) && queued <= max) {
		dg.saddr = htonl(0x0a000000 + queued);
		KUNIT_EXPECT_NULL(test, frag_feed(test, &dg, 0, 1480, true));
		queued++;
	}
	KUNIT_EXPECT_EQ(test, queued - 1, NS_FRAG_MEM_LIMIT / ts);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(f), (queued - 1) * ts);
	frag_expect_counts(test, &(struct frag_counts){ .reqds = queued, .memory = 1 });
}

static int frag_test_init(struct kunit *test)
{
	struct frag_ctx *ctx;
	int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->payload = kunit_kmalloc(test, FRAG_PAYLOAD_MAX, GFP_KERNEL);
	if (!ctx->payload)
		return -ENOMEM;
	for (i = 0; i < FRAG_PAYLOAD_MAX; i++)
		ctx->payload[i] = (i * 131 + (i >> 8)) & 0xff;
	test->priv = ctx;
	if (ns_frags_init(&ctx->frags))
		return -ENOMEM;
	ctx->ready = true;
	return 0;
}

/* Every test ends with the table torn down and its memory back at zero. */
static void frag_test_exit(struct kunit *test)
{
	struct frag_ctx *ctx = test->priv;

	if (!ctx || !ctx->ready)
		return;
	ns_frags_exit(&ctx->frags);
	KUNIT_EXPECT_EQ(test, ns_frags_mem(&ctx->frags), 0);
}

static struct kunit_case frag_test_cases[] = {
	KUNIT_CASE_PARAM(frag_test_order, frag_order_gen_params),
	KUNIT_CASE_PARAM(frag_test_scenario, frag_scenario_gen_params),
	KUNIT_CASE(frag_test_interleaved),
	KUNIT_CASE(frag_test_timeout),
	KUNIT_CASE(frag_test_memory_bound),
	KUNIT_CASE(frag_test_memory_exact),
	KUNIT_CASE(frag_test_memory_default),
	{}
};

static struct kunit_suite frag_test_suite = {
	.name = "netstack_frag",
	.init = frag_test_init,
	.exit = frag_test_exit,
	.test_cases = frag_test_cases,
};

kunit_test_suite(frag_test_suite);
