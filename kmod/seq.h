/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 32-bit sequence-number arithmetic (RFC 9293 section 3.4): comparisons
 * modulo 2^32, valid while the numbers compared are less than 2^31 apart.
 * Numbers exactly 2^31 apart compare as both before and after each other;
 * TCP never lets a window grow that large.
 */
#ifndef _NETSTACK_SEQ_H
#define _NETSTACK_SEQ_H

#include <linux/types.h>

/* a comes before b. */
static inline bool ns_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a comes after b. */
static inline bool ns_seq_after(u32 a, u32 b)
{
	return ns_seq_before(b, a);
}

/* a comes before b or is b. */
static inline bool ns_seq_before_eq(u32 a, u32 b)
{
	return !ns_seq_after(a, b);
}

/* a comes after b or is b. */
static inline bool ns_seq_after_eq(u32 a, u32 b)
{
	return !ns_seq_before(a, b);
}

/* lo <= seq <= hi, for a range [lo, hi] that does not wrap onto itself. */
static inline bool ns_seq_between(u32 seq, u32 lo, u32 hi)
{
	return seq - lo <= hi - lo;
}

/* seq lies in the window of size bytes starting at start: [start, start + size). */
static inline bool ns_seq_in_window(u32 seq, u32 start, u32 size)
{
	return seq - start < size;
}

/* The later of a and b. */
static inline u32 ns_seq_max(u32 a, u32 b)
{
	return ns_seq_after(a, b) ? a : b;
}

/* The earlier of a and b. */
static inline u32 ns_seq_min(u32 a, u32 b)
{
	return ns_seq_before(a, b) ? a : b;
}

#endif /* _NETSTACK_SEQ_H */
