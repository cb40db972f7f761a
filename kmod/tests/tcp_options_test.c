// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_options_test.c - KUnit tests for TCP options (tcp_options.c): option
 * strings as Linux and other stacks send them, every kind of malformed or
 * misplaced option, the exact layouts written, encode-parse round trips
 * over every combination, and seeded random option bytes of every length
 * from 0 to 40. Every parse reads from the end of a kmalloc'ed region of
 * exactly the option length, so that KASAN reports any read past it.
 */
#include <kunit/test.h>
#include <linux/minmax.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kmod/tcp_options.h"
#include "kmod/tcp_window.h"

#define HAS_MSS		NS_TCP_OPT_HAS_MSS
#define HAS_WS		NS_TCP_OPT_HAS_WSCALE
#define HAS_SACK_PERM	NS_TCP_OPT_HAS_SACK_PERM
#define HAS_TS		NS_TCP_OPT_HAS_TS

/* Room for a SACK option of five blocks behind two NOPs. */
#define CASE_BYTES_MAX	44

/* The option bytes of a case and their number. */
#define OPTS(...)	.bytes = { __VA_ARGS__ }, .len = sizeof((u8[]){ __VA_ARGS__ })

/*
 * Parse @len bytes copied to a kmalloc'ed region of exactly @len bytes
 * (ZERO_SIZE_PTR for 0, which faults if touched at all).
 */
static int parse_exact(struct kunit *test, const u8 *bytes, unsigned int len,
		       bool syn, struct ns_tcp_opts *out)
{
	u8 *buf = kmalloc(len, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, bytes, len);
	ret = ns_tcp_options_parse(buf, len, syn, out);
	kfree(buf);
	return ret;
}

/* Every field of @got equals that of @want; fields not present are 0. */
static void expect_opts(struct kunit *test, const char *name,
			const struct ns_tcp_opts *got,
			const struct ns_tcp_opts *want)
{
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, got->present, want->present, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, got->mss, want->mss, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, got->wscale, want->wscale, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, got->tsval, want->tsval, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, got->tsecr, want->tsecr, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, got->nr_sack, want->nr_sack, "%s", name);
	for (i = 0; i < NS_TCP_OPT_SACK_MAX; i++) {
		KUNIT_EXPECT_EQ_MSG(test, got->sack[i].start, want->sack[i].start,
				    "%s: block %u", name, i);
		KUNIT_EXPECT_EQ_MSG(test, got->sack[i].end, want->sack[i].end,
				    "%s: block %u", name, i);
	}
	KUNIT_EXPECT_EQ_MSG(test, got->problems, want->problems, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, got->nr_problems, want->nr_problems, "%s", name);
}

/* @len bytes at @got equal those at @want; the first difference is shown. */
static void expect_bytes(struct kunit *test, const char *name, const u8 *got,
			 const u8 *want, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			KUNIT_FAIL(test, "%s: byte %u is %#04x, not %#04x",
				   name, i, got[i], want[i]);
			return;
		}
	}
}

struct parse_case {
	const char *name;
	u8 bytes[CASE_BYTES_MAX];
	unsigned int len;
	bool syn;
	struct ns_tcp_opts want;
};

static void run_parse_cases(struct kunit *test, const struct parse_case *cases,
			    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct parse_case *c = &cases[i];
		struct ns_tcp_opts got;
		int ret;

		/* Poison, to see that parse clears everything first. */
		memset(&got, 0xa5, sizeof(got));
		ret = parse_exact(test, c->bytes, c->len, c->syn, &got);
		KUNIT_EXPECT_EQ_MSG(test, ret, (int)c->want.problems, "%s", c->name);
		expect_opts(test, c->name, &got, &c->want);
	}
}

/* Options as real stacks send them: all clean. */
static const struct parse_case good_cases[] = {
	{
		.name = "none",
		.syn = true,
	},
	{
		.name = "Linux SYN: MSS, SACK-permitted + TS, NOP + WS",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
		     0x00, 0x0a, 0x4b, 0x1c, 0x00, 0x00, 0x00, 0x00,
		     0x01, 0x03, 0x03, 0x07),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_SACK_PERM | HAS_TS | HAS_WS,
			  .mss = 1460, .wscale = 7, .tsval = 0x000a4b1c },
	},
	{
		.name = "Linux SYN-ACK on loopback",
		OPTS(0x02, 0x04, 0xff, 0xd7, 0x04, 0x02, 0x08, 0x0a,
		     0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a, 0x4b, 0x1c,
		     0x01, 0x03, 0x03, 0x07),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_SACK_PERM | HAS_TS | HAS_WS,
			  .mss = 65495, .wscale = 7, .tsval = 0xdeadbeef,
			  .tsecr = 0x000a4b1c },
	},
	{
		.name = "Linux SYN without timestamps",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02,
		     0x01, 0x03, 0x03, 0x07),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_SACK_PERM | HAS_WS,
			  .mss = 1460, .wscale = 7 },
	},
	{
		.name = "Linux data segment: NOP, NOP, TS",
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
		     0x55, 0x66, 0x77, 0x88),
		.want = { .present = HAS_TS, .tsval = 0x11223344,
			  .tsecr = 0x55667788 },
	},
	{
		.name = "Linux ACK with one SACK block",
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
		     0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x05, 0x0a,
		     0xff, 0xff, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x10),
		.want = { .present = HAS_TS, .tsval = 1, .tsecr = 2,
			  .nr_sack = 1, .sack = { { 0xfffffff0, 0x10 } } },
	},
	{
		.name = "Linux ACK with three SACK blocks (40 bytes)",
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
		     0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x05, 0x1a,
		     0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70,
		     0x00, 0x00, 0x0b, 0xb8, 0x00, 0x00, 0x0f, 0xa0,
		     0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0),
		.want = { .present = HAS_TS, .tsval = 1, .tsecr = 2,
			  .nr_sack = 3, .sack = { { 5000, 6000 }, { 3000, 4000 },
						  { 1000, 2000 } } },
	},
	{
		.name = "four SACK blocks without timestamps",
		OPTS(0x01, 0x01, 0x05, 0x22, 0x00, 0x00, 0x00, 0x0a,
		     0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x1e,
		     0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x32,
		     0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x46,
		     0x00, 0x00, 0x00, 0x50),
		.want = { .nr_sack = 4, .sack = { { 10, 20 }, { 30, 40 },
						  { 50, 60 }, { 70, 80 } } },
	},
	{
		.name = "FreeBSD SYN: MSS, NOP, WS, SACK-permitted, TS",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x06,
		     0x04, 0x02, 0x08, 0x0a, 0x01, 0x02, 0x03, 0x04,
		     0x00, 0x00, 0x00, 0x00),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_SACK_PERM | HAS_TS | HAS_WS,
			  .mss = 1460, .wscale = 6, .tsval = 0x01020304 },
	},
	{
		.name = "macOS SYN: ..., TS, SACK-permitted, EOL, EOL",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x06,
		     0x01, 0x01, 0x08, 0x0a, 0x0b, 0xad, 0xca, 0xfe,
		     0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x00, 0x00),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_SACK_PERM | HAS_TS | HAS_WS,
			  .mss = 1460, .wscale = 6, .tsval = 0x0badcafe },
	},
	{
		.name = "Windows SYN: MSS, NOP, WS, NOP, NOP, SACK-permitted",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x08,
		     0x01, 0x01, 0x04, 0x02),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_SACK_PERM | HAS_WS,
			  .mss = 1460, .wscale = 8 },
	},
	{
		.name = "small stack SYN: MSS 536 only",
		OPTS(0x02, 0x04, 0x02, 0x18),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 536 },
	},
	{
		.name = "NOP padding before and after",
		OPTS(0x01, 0x01, 0x01, 0x02, 0x04, 0x05, 0xb4, 0x01),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460 },
	},
	{
		.name = "only NOPs",
		OPTS(0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
		     0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
		     0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
		     0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
		     0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01),
	},
	{
		.name = "options after EOL are not looked at",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x00, 0x02, 0x04, 0x02,
		     0x18, 0x03, 0x01),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460 },
	},
	{
		.name = "EOL first, garbage after",
		OPTS(0x00, 0x02, 0x00, 0xff, 0x08),
		.syn = true,
	},
	{
		.name = "WS 14 is the largest taken as is",
		OPTS(0x01, 0x03, 0x03, 0x0e),
		.syn = true,
		.want = { .present = HAS_WS, .wscale = 14 },
	},
	{
		.name = "unknown kind 254 (experimental) with a valid length",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0xfe, 0x04, 0xf9, 0x89,
		     0x01, 0x03, 0x03, 0x07),
		.syn = true,
		.want = { .present = HAS_MSS | HAS_WS, .mss = 1460, .wscale = 7,
			  .problems = NS_TCP_OPT_UNKNOWN },
	},
	{
		.name = "TCP Fast Open cookie (34) and MD5 (19) are skipped",
		OPTS(0x22, 0x0a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		     0x07, 0x08, 0x13, 0x12, 0x00, 0x00, 0x00, 0x00,
		     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		     0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a,
		     0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x09),
		.syn = true,
		.want = { .present = HAS_TS, .tsval = 7, .tsecr = 9,
			  .problems = NS_TCP_OPT_UNKNOWN },
	},
	{
		.name = "unknown kind of length 2, ending the buffer",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x1e, 0x02),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_UNKNOWN },
	},
	{
		.name = "SACK-permitted alone, unaligned",
		OPTS(0x04, 0x02),
		.syn = true,
		.want = { .present = HAS_SACK_PERM },
	},
};

static void tcp_options_test_good(struct kunit *test)
{
	run_parse_cases(test, good_cases, ARRAY_SIZE(good_cases));
}

/* Every way of being wrong: what is taken, what is reported. */
static const struct parse_case bad_cases[] = {
	{
		.name = "length 0",
		OPTS(0x02, 0x00, 0x05, 0xb4),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "length 1",
		OPTS(0x02, 0x01, 0x05, 0xb4),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "length byte missing",
		OPTS(0x01, 0x01, 0x01, 0x02),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "length byte missing, one byte only",
		OPTS(0x08),
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "length past the end",
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
		     0x00),
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "length 255",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x03, 0xff, 0x07, 0x01),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "truncated MSS",
		OPTS(0x02, 0x04, 0x05),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "what came before a malformed option is kept",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x05, 0x07),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "nothing after a malformed option is read",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x05, 0x01, 0x03, 0x03,
		     0x07),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "MSS with length 5 is skipped, WS after it taken",
		OPTS(0x02, 0x05, 0x05, 0xb4, 0x00, 0x01, 0x03, 0x03,
		     0x07),
		.syn = true,
		.want = { .present = HAS_WS, .wscale = 7,
			  .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "MSS with length 3",
		OPTS(0x02, 0x03, 0x05, 0x01),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "MSS with length 2",
		OPTS(0x02, 0x02),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "WS 15 is clamped to 14",
		OPTS(0x01, 0x03, 0x03, 0x0f),
		.syn = true,
		.want = { .present = HAS_WS, .wscale = NS_TCP_WSCALE_MAX,
			  .problems = NS_TCP_OPT_WSCALE_CLAMPED,
			  .nr_problems = 1 },
	},
	{
		.name = "WS 255 is clamped to 14",
		OPTS(0x03, 0x03, 0xff, 0x01),
		.syn = true,
		.want = { .present = HAS_WS, .wscale = NS_TCP_WSCALE_MAX,
			  .problems = NS_TCP_OPT_WSCALE_CLAMPED,
			  .nr_problems = 1 },
	},
	{
		.name = "WS with length 4",
		OPTS(0x03, 0x04, 0x07, 0x00),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "SACK-permitted with length 3",
		OPTS(0x04, 0x03, 0x00, 0x01),
		.syn = true,
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "TS with length 8",
		OPTS(0x01, 0x01, 0x08, 0x08, 0x00, 0x00, 0x00, 0x01,
		     0x00, 0x02),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "TS with length 11",
		OPTS(0x08, 0x0b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		     0x00, 0x02, 0x00, 0x01),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "duplicate MSS: the first wins",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x02, 0x04, 0x02, 0x18),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_DUP, .nr_problems = 1 },
	},
	{
		.name = "bad MSS then good MSS: the first valid one wins",
		OPTS(0x02, 0x05, 0x05, 0xb4, 0x00, 0x02, 0x04, 0x02,
		     0x18),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 536,
			  .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "duplicate WS, SACK-permitted and TS",
		OPTS(0x01, 0x03, 0x03, 0x07, 0x01, 0x03, 0x03, 0x02,
		     0x04, 0x02, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00,
		     0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x08, 0x0a,
		     0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04),
		.syn = true,
		.want = { .present = HAS_WS | HAS_SACK_PERM | HAS_TS,
			  .wscale = 7, .tsval = 1, .tsecr = 2,
			  .problems = NS_TCP_OPT_DUP, .nr_problems = 3 },
	},
	{
		.name = "duplicate SACK",
		OPTS(0x05, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		     0x00, 0x02, 0x05, 0x0a, 0x00, 0x00, 0x00, 0x03,
		     0x00, 0x00, 0x00, 0x04),
		.want = { .nr_sack = 1, .sack = { { 1, 2 } },
			  .problems = NS_TCP_OPT_DUP, .nr_problems = 1 },
	},
	{
		.name = "SACK with 3 bytes of block",
		OPTS(0x01, 0x01, 0x05, 0x05, 0x00, 0x00, 0x01, 0x00),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "SACK with 11 bytes of blocks",
		OPTS(0x05, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		     0x00, 0x02, 0x00, 0x00, 0x01),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "SACK with no block",
		OPTS(0x05, 0x02, 0x01, 0x01),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "SACK with 5 blocks (42 bytes, more than a header holds)",
		OPTS(0x01, 0x01, 0x05, 0x2a, 0x00, 0x00, 0x00, 0x0a,
		     0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x1e,
		     0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x32,
		     0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x46,
		     0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x5a,
		     0x00, 0x00, 0x00, 0x64),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "unknown kind with length 0",
		OPTS(0xfe, 0x00, 0x01, 0x01),
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "unknown kind with length 1",
		OPTS(0x01, 0x01, 0x01, 0xfe, 0x01),
		.want = { .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "unknown kind running past the end",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0xfe, 0x08, 0xf9, 0x89),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_MALFORMED, .nr_problems = 1 },
	},
	{
		.name = "several problems, each counted",
		OPTS(0x02, 0x05, 0x05, 0xb4, 0x00, 0x03, 0x03, 0x10,
		     0x03, 0x03, 0x02, 0xfe, 0x02, 0x04, 0x02, 0x04,
		     0x02, 0x02, 0x04),
		.syn = true,
		.want = { .present = HAS_WS | HAS_SACK_PERM,
			  .wscale = NS_TCP_WSCALE_MAX,
			  .problems = NS_TCP_OPT_BAD_LEN | NS_TCP_OPT_DUP |
				      NS_TCP_OPT_WSCALE_CLAMPED |
				      NS_TCP_OPT_UNKNOWN | NS_TCP_OPT_MALFORMED,
			  .nr_problems = 5 },
	},
};

static void tcp_options_test_bad(struct kunit *test)
{
	run_parse_cases(test, bad_cases, ARRAY_SIZE(bad_cases));
}

/* Options where they do not belong: RFC 7323 2.2, RFC 2018 2 and 3. */
static const struct parse_case placement_cases[] = {
	{
		.name = "Linux SYN options on a non-SYN: only TS taken",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
		     0x00, 0x0a, 0x4b, 0x1c, 0x00, 0x00, 0x00, 0x00,
		     0x01, 0x03, 0x03, 0x07),
		.want = { .present = HAS_TS, .tsval = 0x000a4b1c,
			  .problems = NS_TCP_OPT_MISPLACED, .nr_problems = 3 },
	},
	{
		.name = "MSS on a non-SYN",
		OPTS(0x02, 0x04, 0x05, 0xb4),
		.want = { .problems = NS_TCP_OPT_MISPLACED, .nr_problems = 1 },
	},
	{
		.name = "WS 15 on a non-SYN is misplaced, not clamped",
		OPTS(0x01, 0x03, 0x03, 0x0f),
		.want = { .problems = NS_TCP_OPT_MISPLACED, .nr_problems = 1 },
	},
	{
		.name = "SACK-permitted on a non-SYN",
		OPTS(0x01, 0x01, 0x04, 0x02),
		.want = { .problems = NS_TCP_OPT_MISPLACED, .nr_problems = 1 },
	},
	{
		.name = "MSS of the wrong length on a non-SYN: bad length first",
		OPTS(0x02, 0x05, 0x05, 0xb4, 0x00),
		.want = { .problems = NS_TCP_OPT_BAD_LEN, .nr_problems = 1 },
	},
	{
		.name = "SACK blocks on a SYN",
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x05, 0x0a,
		     0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02),
		.syn = true,
		.want = { .present = HAS_MSS, .mss = 1460,
			  .problems = NS_TCP_OPT_MISPLACED, .nr_problems = 1 },
	},
	{
		.name = "timestamps on a SYN",
		OPTS(0x08, 0x0a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00,
		     0x00, 0x06),
		.syn = true,
		.want = { .present = HAS_TS, .tsval = 5, .tsecr = 6 },
	},
};

static void tcp_options_test_placement(struct kunit *test)
{
	run_parse_cases(test, placement_cases, ARRAY_SIZE(placement_cases));
}

struct write_case {
	const char *name;
	struct ns_tcp_opts opts;
	bool syn;
	unsigned int room;
	u8 bytes[NS_TCP_OPT_MAX_LEN];
	unsigned int len;
};

#define ALL_SYN_OPTS	.present = HAS_MSS | HAS_WS | HAS_SACK_PERM | HAS_TS, \
			.mss = 1460, .wscale = 7, .tsval = 0x000a4b1c
#define FOUR_BLOCKS	.nr_sack = 4, .sack = { { 10, 20 }, { 30, 40 }, \
						{ 50, 60 }, { 70, 80 } }

static const struct write_case write_cases[] = {
	{
		.name = "nothing",
		.syn = true,
		.room = 40,
	},
	{
		.name = "Linux's SYN",
		.opts = { ALL_SYN_OPTS },
		.syn = true,
		.room = 40,
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
		     0x00, 0x0a, 0x4b, 0x1c, 0x00, 0x00, 0x00, 0x00,
		     0x01, 0x03, 0x03, 0x07),
	},
	{
		.name = "SYN without timestamps",
		.opts = { .present = HAS_MSS | HAS_WS | HAS_SACK_PERM,
			  .mss = 1460, .wscale = 7 },
		.syn = true,
		.room = 40,
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02,
		     0x01, 0x03, 0x03, 0x07),
	},
	{
		.name = "SYN without SACK-permitted",
		.opts = { .present = HAS_MSS | HAS_WS | HAS_TS, .mss = 1460,
			  .wscale = 7, .tsval = 1, .tsecr = 2 },
		.syn = true,
		.room = 40,
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x08, 0x0a,
		     0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
		     0x01, 0x03, 0x03, 0x07),
	},
	{
		.name = "SYN with MSS only",
		.opts = { .present = HAS_MSS, .mss = 536 },
		.syn = true,
		.room = 40,
		OPTS(0x02, 0x04, 0x02, 0x18),
	},
	{
		.name = "SYN with a shift of 20 sends 14, SACK blocks not sent",
		.opts = { .present = HAS_WS, .wscale = 20, FOUR_BLOCKS },
		.syn = true,
		.room = 40,
		OPTS(0x01, 0x03, 0x03, 0x0e),
	},
	{
		.name = "SYN in exactly its room",
		.opts = { ALL_SYN_OPTS },
		.syn = true,
		.room = 20,
		OPTS(0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
		     0x00, 0x0a, 0x4b, 0x1c, 0x00, 0x00, 0x00, 0x00,
		     0x01, 0x03, 0x03, 0x07),
	},
	{
		.name = "SYN in too little room: nothing",
		.opts = { ALL_SYN_OPTS },
		.syn = true,
		.room = 19,
	},
	{
		.name = "non-SYN: SYN options not sent, TS sent",
		.opts = { ALL_SYN_OPTS },
		.room = 40,
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x0a, 0x4b, 0x1c,
		     0x00, 0x00, 0x00, 0x00),
	},
	{
		.name = "non-SYN: TS and three of four blocks",
		.opts = { .present = HAS_TS, .tsval = 1, .tsecr = 2,
			  FOUR_BLOCKS },
		.room = 40,
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
		     0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x05, 0x1a,
		     0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x14,
		     0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x28,
		     0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00, 0x3c),
	},
	{
		.name = "non-SYN: four blocks without TS",
		.opts = { FOUR_BLOCKS },
		.room = 40,
		OPTS(0x01, 0x01, 0x05, 0x22, 0x00, 0x00, 0x00, 0x0a,
		     0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x1e,
		     0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x32,
		     0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x46,
		     0x00, 0x00, 0x00, 0x50),
	},
	{
		.name = "non-SYN: a bogus count of 9 blocks sends 4",
		.opts = { .nr_sack = 9, .sack = { { 10, 20 }, { 30, 40 },
						  { 50, 60 }, { 70, 80 } } },
		.room = 400,
		OPTS(0x01, 0x01, 0x05, 0x22, 0x00, 0x00, 0x00, 0x0a,
		     0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x1e,
		     0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x32,
		     0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x46,
		     0x00, 0x00, 0x00, 0x50),
	},
	{
		.name = "non-SYN: one block",
		.opts = { .nr_sack = 1, .sack = { { 0xffffff00, 0x100 } } },
		.room = 40,
		OPTS(0x01, 0x01, 0x05, 0x0a, 0xff, 0xff, 0xff, 0x00,
		     0x00, 0x00, 0x01, 0x00),
	},
	{
		.name = "non-SYN: blocks cut to the room",
		.opts = { .present = HAS_TS, .tsval = 1, .tsecr = 2,
			  FOUR_BLOCKS },
		.room = 35,
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
		     0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x05, 0x12,
		     0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x14,
		     0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x28),
	},
	{
		.name = "non-SYN: no room for a block, TS only",
		.opts = { .present = HAS_TS, .tsval = 1, .tsecr = 2,
			  FOUR_BLOCKS },
		.room = 23,
		OPTS(0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
		     0x00, 0x00, 0x00, 0x02),
	},
	{
		.name = "non-SYN: no room for TS, nothing",
		.opts = { .present = HAS_TS, .tsval = 1, .tsecr = 2,
			  FOUR_BLOCKS },
		.room = 11,
	},
	{
		.name = "non-SYN: no room at all",
		.opts = { FOUR_BLOCKS },
		.room = 0,
	},
};

static void tcp_options_test_write(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(write_cases); i++) {
		const struct write_case *c = &write_cases[i];
		struct ns_tcp_opts opts = c->opts;
		u8 buf[NS_TCP_OPT_MAX_LEN + 8];
		unsigned int len;

		memset(buf, 0xa5, sizeof(buf));
		len = ns_tcp_options_write(buf, c->room, &opts, c->syn);
		KUNIT_EXPECT_EQ_MSG(test, len, c->len, "%s", c->name);
		expect_bytes(test, c->name, buf, c->bytes, min(len, c->len));
		/* Not a byte beyond what was reported. */
		for (j = len; j < sizeof(buf); j++)
			KUNIT_EXPECT_EQ_MSG(test, buf[j], 0xa5, "%s: byte %u",
					    c->name, j);
		if (c->room >= NS_TCP_OPT_MAX_LEN)
			KUNIT_EXPECT_EQ_MSG(test, ns_tcp_options_size(&opts, c->syn),
					    c->len, "%s", c->name);
	}
}

/*
 * Every combination of options and SACK block counts, with random values,
 * written and parsed back: what the layout carries must come back as it
 * was, cleanly; what it does not carry must not come back at all.
 */
static void tcp_options_test_round_trip(struct kunit *test)
{
	static const u8 shifts[] = { 0, 1, 7, 14, 15, 255 };
	const unsigned int nshifts = ARRAY_SIZE(shifts);
	const unsigned int nsacks = NS_TCP_OPT_SACK_MAX + 1;
	struct rnd_state rnd;
	unsigned int k, i;

	prandom_seed_state(&rnd, 7323);
	/* k runs over (syn, present, nr, s) = 2 x 16 x 5 x 6 combinations. */
	for (k = 0; k < 2 * 16 * nsacks * nshifts; k++) {
		unsigned int s = k % nshifts, nr = k / nshifts % nsacks;
		unsigned int present = k / nshifts / nsacks % 16;
		bool syn = k / nshifts / nsacks / 16;
		struct ns_tcp_opts in = {}, want = {}, got;
		u8 buf[NS_TCP_OPT_MAX_LEN], again[NS_TCP_OPT_MAX_LEN];
		unsigned int len, max_sack;
		char name[64];

		snprintf(name, sizeof(name), "syn %d present %#x sack %u ws %u",
			 syn, present, nr, shifts[s]);
		in.present = present;
		in.mss = prandom_u32_state(&rnd);
		in.wscale = shifts[s];
		in.tsval = prandom_u32_state(&rnd);
		in.tsecr = prandom_u32_state(&rnd);
		in.nr_sack = nr;
		for (i = 0; i < nr; i++) {
			in.sack[i].start = prandom_u32_state(&rnd);
			in.sack[i].end = prandom_u32_state(&rnd);
		}

		len = ns_tcp_options_write(buf, sizeof(buf), &in, syn);
		KUNIT_EXPECT_EQ_MSG(test, len, ns_tcp_options_size(&in, syn),
				    "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, len % 4, 0u, "%s", name);
		KUNIT_EXPECT_LE_MSG(test, len, NS_TCP_OPT_MAX_LEN, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, parse_exact(test, buf, len, syn, &got),
				    0, "%s", name);

		if (syn) {
			want.present = in.present;
			if (present & HAS_MSS)
				want.mss = in.mss;
			if (present & HAS_WS)
				want.wscale = min_t(u8, in.wscale,
						    NS_TCP_WSCALE_MAX);
		} else {
			want.present = in.present & HAS_TS;
			max_sack = present & HAS_TS ? 3 : 4;
			want.nr_sack = min(nr, max_sack);
			memcpy(want.sack, in.sack,
			       want.nr_sack * sizeof(want.sack[0]));
		}
		if (present & HAS_TS) {
			want.tsval = in.tsval;
			want.tsecr = in.tsecr;
		}
		expect_opts(test, name, &got, &want);

		/* What was parsed writes the same bytes again. */
		KUNIT_EXPECT_EQ_MSG(test,
				    ns_tcp_options_write(again, sizeof(again),
							 &got, syn),
				    len, "%s", name);
		expect_bytes(test, name, again, buf, len);
	}
}

enum {
	FUZZ_SEED = 9293,
	FUZZ_RUNS = 1000,	/* per length */
};

/*
 * Fill @len bytes with random options: a quarter of the time a whole
 * option with the right length for its kind (cut short by the end of the
 * buffer), else a random byte biased towards the kinds and lengths that
 * matter, so that valid, duplicate and almost-valid options all turn up
 * often.
 */
static void fuzz_fill(struct rnd_state *rnd, u8 *bytes, unsigned int len)
{
	static const u8 interesting[] = {
		0, 1, 2, 3, 4, 5, 8, 34, 254,		/* kinds */
		0, 1, 2, 3, 4, 10, 18, 26, 34, 42, 255,	/* lengths */
	};
	static const u8 whole[][2] = {
		{ NS_TCP_OPT_KIND_MSS, NS_TCP_OPT_LEN_MSS },
		{ NS_TCP_OPT_KIND_WSCALE, NS_TCP_OPT_LEN_WSCALE },
		{ NS_TCP_OPT_KIND_SACK_PERM, NS_TCP_OPT_LEN_SACK_PERM },
		{ NS_TCP_OPT_KIND_TS, NS_TCP_OPT_LEN_TS },
		{ NS_TCP_OPT_KIND_SACK, 10 }, { NS_TCP_OPT_KIND_SACK, 18 },
		{ NS_TCP_OPT_KIND_SACK, 26 }, { NS_TCP_OPT_KIND_SACK, 34 },
		{ 254, 4 },
	};
	unsigned int i = 0, j;

	while (i < len) {
		u32 r = prandom_u32_state(rnd);

		if (r % 4 == 0) {
			const u8 *w = whole[(r >> 8) % ARRAY_SIZE(whole)];

			bytes[i++] = w[0];
			if (i < len)
				bytes[i++] = w[1];
			for (j = 2; j < w[1] && i < len; j++)
				bytes[i++] = prandom_u32_state(rnd);
		} else if (r % 4 == 1) {
			bytes[i++] = interesting[(r >> 8) % ARRAY_SIZE(interesting)];
		} else {
			bytes[i++] = r >> 8;
		}
	}
}

/*
 * Random option bytes of every length from 0 to 40, on SYNs and not: the
 * parse must stay inside the buffer (KASAN watches the kmalloc'ed region
 * of exactly that length), terminate, and leave a descriptor that keeps
 * every promise of the API; writing the descriptor and parsing that again
 * must give it back.
 */
static void tcp_options_test_fuzz(struct kunit *test)
{
	const u8 misplaced = HAS_MSS | HAS_WS | HAS_SACK_PERM;
	unsigned int len, run, i, seen = 0, valid[4] = {}, sacks = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, FUZZ_SEED);
	for (len = 0; len <= NS_TCP_OPT_MAX_LEN; len++) {
		for (run = 0; run < FUZZ_RUNS; run++) {
			bool syn = run & 1;
			struct ns_tcp_opts got, twice, back;
			u8 bytes[NS_TCP_OPT_MAX_LEN], buf[NS_TCP_OPT_MAX_LEN];
			unsigned int n;
			int ret;

			fuzz_fill(&rnd, bytes, len);
			ret = parse_exact(test, bytes, len, syn, &got);

			KUNIT_ASSERT_GE_MSG(test, ret, 0, "len %u run %u", len, run);
			KUNIT_ASSERT_EQ_MSG(test, ret, (int)got.problems,
					    "len %u run %u", len, run);
			KUNIT_ASSERT_EQ_MSG(test,
					    !!(got.problems & ~NS_TCP_OPT_UNKNOWN),
					    !!got.nr_problems, "len %u run %u",
					    len, run);
			KUNIT_ASSERT_LE_MSG(test, got.nr_problems, (len + 1) / 2,
					    "len %u run %u", len, run);
			KUNIT_ASSERT_LE_MSG(test, got.wscale, NS_TCP_WSCALE_MAX,
					    "len %u run %u", len, run);
			KUNIT_ASSERT_LE_MSG(test, got.nr_sack, NS_TCP_OPT_SACK_MAX,
					    "len %u run %u", len, run);
			if (syn)
				KUNIT_ASSERT_EQ_MSG(test, got.nr_sack, 0,
						    "len %u run %u", len, run);
			else
				KUNIT_ASSERT_EQ_MSG(test, got.present & misplaced, 0,
						    "len %u run %u", len, run);

			/* The same bytes parse the same way. */
			parse_exact(test, bytes, len, syn, &twice);
			KUNIT_ASSERT_EQ_MSG(test, memcmp(&got, &twice, sizeof(got)), 0,
					    "len %u run %u", len, run);

			/* What was taken survives a write and a parse. */
			n = ns_tcp_options_write(buf, sizeof(buf), &got, syn);
			KUNIT_ASSERT_EQ_MSG(test, parse_exact(test, buf, n, syn, &back),
					    0, "len %u run %u", len, run);
			got.problems = 0;
			got.nr_problems = 0;
			if (!syn && (got.present & HAS_TS) && got.nr_sack > 3) {
				/* With timestamps, the fourth block does not fit. */
				got.nr_sack = 3;
				got.sack[3].start = 0;
				got.sack[3].end = 0;
			}
			KUNIT_ASSERT_EQ_MSG(test, memcmp(&got, &back, sizeof(got)), 0,
					    "len %u run %u", len, run);

			seen |= twice.problems;
			for (i = 0; i < ARRAY_SIZE(valid); i++)
				if (got.present & BIT(i))
					valid[i]++;
			if (got.nr_sack)
				sacks++;
		}
		cond_resched();
	}
	/* The runs did exercise what they check. */
	KUNIT_EXPECT_EQ(test, seen, (unsigned int)(NS_TCP_OPT_MALFORMED |
		NS_TCP_OPT_BAD_LEN | NS_TCP_OPT_DUP | NS_TCP_OPT_MISPLACED |
		NS_TCP_OPT_WSCALE_CLAMPED | NS_TCP_OPT_UNKNOWN));
	for (i = 0; i < ARRAY_SIZE(valid); i++)
		KUNIT_EXPECT_GT_MSG(test, valid[i], 100u, "present bit %u", i);
	KUNIT_EXPECT_GT(test, sacks, 100u);
}

static struct kunit_case tcp_options_test_cases[] = {
	KUNIT_CASE(tcp_options_test_good),
	KUNIT_CASE(tcp_options_test_bad),
	KUNIT_CASE(tcp_options_test_placement),
	KUNIT_CASE(tcp_options_test_write),
	KUNIT_CASE(tcp_options_test_round_trip),
	KUNIT_CASE(tcp_options_test_fuzz),
	{}
};

static struct kunit_suite tcp_options_test_suite = {
	.name = "netstack_tcp_options",
	.test_cases = tcp_options_test_cases,
};

kunit_test_suite(tcp_options_test_suite);
