// SPDX-License-Identifier: GPL-2.0
/*
 * seq_test.c - KUnit tests for 32-bit sequence-number arithmetic (seq.h),
 * table-driven, with every case also tried across the 2^32 wrap.
 */
#include <kunit/test.h>

#include "kmod/seq.h"

struct seq_order_case {
	u32 a, b;
	bool before, after, before_eq, after_eq;
};

static const struct seq_order_case seq_order_cases[] = {
	{ 0, 0, false, false, true, true },
	{ 1, 2, true, false, true, false },
	{ 2, 1, false, true, false, true },
	{ 0xffffffff, 0, true, false, true, false },		/* across the wrap */
	{ 0, 0xffffffff, false, true, false, true },
	{ 0xfffffff0, 0x10, true, false, true, false },
	{ 0x10, 0xfffffff0, false, true, false, true },
	{ 0, 0x7fffffff, true, false, true, false },		/* 2^31 - 1 apart: still ordered */
	{ 0x7fffffff, 0, false, true, false, true },
	{ 0x80000000, 0xffffffff, true, false, true, false },
	{ 0, 0x80000000, true, true, false, false },		/* exactly 2^31 apart: ambiguous */
	{ 0x80000000, 0, true, true, false, false },
};

static void seq_test_order(struct kunit *test)
{
	static const u32 shifts[] = { 0, 0x7fffffff, 0x80000000, 0xfffffff8 };
	unsigned int i, s;

	for (s = 0; s < ARRAY_SIZE(shifts); s++) {
		for (i = 0; i < ARRAY_SIZE(seq_order_cases); i++) {
			const struct seq_order_case *c = &seq_order_cases[i];
			u32 a = c->a + shifts[s], b = c->b + shifts[s];

			KUNIT_EXPECT_EQ_MSG(test, ns_seq_before(a, b), c->before,
					    "before(%#x, %#x)", a, b);
			KUNIT_EXPECT_EQ_MSG(test, ns_seq_after(a, b), c->after,
					    "after(%#x, %#x)", a, b);
			KUNIT_EXPECT_EQ_MSG(test, ns_seq_before_eq(a, b),
					    c->before_eq, "before_eq(%#x, %#x)",
					    a, b);
			KUNIT_EXPECT_EQ_MSG(test, ns_seq_after_eq(a, b),
					    c->after_eq, "after_eq(%#x, %#x)",
					    a, b);
		}
	}
}

static void seq_test_min_max(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ns_seq_max(0xfffffff0, 0x10), 0x10u);
	KUNIT_EXPECT_EQ(test, ns_seq_min(0xfffffff0, 0x10), 0xfffffff0u);
	KUNIT_EXPECT_EQ(test, ns_seq_max(5, 7), 7u);
	KUNIT_EXPECT_EQ(test, ns_seq_min(5, 7), 5u);
	KUNIT_EXPECT_EQ(test, ns_seq_max(9, 9), 9u);
}

struct seq_range_case {
	u32 seq, lo, hi;
	bool between;
};

static const struct seq_range_case seq_between_cases[] = {
	{ 5, 5, 5, true },
	{ 5, 1, 10, true },
	{ 1, 1, 10, true },
	{ 10, 1, 10, true },
	{ 0, 1, 10, false },
	{ 11, 1, 10, false },
	{ 0xffffffff, 0xfffffff0, 0x10, true },	/* range across the wrap */
	{ 0, 0xfffffff0, 0x10, true },
	{ 0x10, 0xfffffff0, 0x10, true },
	{ 0x11, 0xfffffff0, 0x10, false },
	{ 0xffffffef, 0xfffffff0, 0x10, false },
	{ 0x80000000, 0, 0x7fffffff, false },
};

static void seq_test_between(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(seq_between_cases); i++) {
		const struct seq_range_case *c = &seq_between_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, ns_seq_between(c->seq, c->lo, c->hi),
				    c->between, "between(%#x, %#x, %#x)",
				    c->seq, c->lo, c->hi);
	}
}

struct seq_window_case {
	u32 seq, start, size;
	bool inside;
};

static const struct seq_window_case seq_window_cases[] = {
	{ 100, 100, 0, false },			/* an empty window holds nothing */
	{ 100, 100, 1, true },
	{ 101, 100, 1, false },
	{ 99, 100, 10, false },
	{ 109, 100, 10, true },
	{ 110, 100, 10, false },		/* the end is exclusive */
	{ 0xffffffff, 0xfffffffe, 4, true },	/* window across the wrap */
	{ 0, 0xfffffffe, 4, true },
	{ 1, 0xfffffffe, 4, true },
	{ 2, 0xfffffffe, 4, false },
	{ 0xfffffffd, 0xfffffffe, 4, false },
	{ 0x3fffffff, 0, 0x40000000, true },	/* a 2^30 window, the TCP maximum */
	{ 0x40000000, 0, 0x40000000, false },
};

static void seq_test_in_window(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(seq_window_cases); i++) {
		const struct seq_window_case *c = &seq_window_cases[i];

		KUNIT_EXPECT_EQ_MSG(test,
				    ns_seq_in_window(c->seq, c->start, c->size),
				    c->inside, "in_window(%#x, %#x, %u)",
				    c->seq, c->start, c->size);
	}
}

static struct kunit_case seq_test_cases[] = {
	KUNIT_CASE(seq_test_order),
	KUNIT_CASE(seq_test_min_max),
	KUNIT_CASE(seq_test_between),
	KUNIT_CASE(seq_test_in_window),
	{}
};

static struct kunit_suite seq_test_suite = {
	.name = "netstack_seq",
	.test_cases = seq_test_cases,
};

kunit_test_suite(seq_test_suite);
