/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the KUnit suites.
 */
#ifndef _NETSTACK_TEST_UTIL_H
#define _NETSTACK_TEST_UTIL_H

#include <linux/minmax.h>
#include <linux/prandom.h>

/* Fisher-Yates, reproducible: the same @seed gives the same order. */
static inline void ns_test_shuffle(unsigned int *a, unsigned int n, u64 seed)
{
	struct rnd_state rnd;
	unsigned int i, j;

	prandom_seed_state(&rnd, seed);
	for (i = n; i > 1; i--) {
		j = prandom_u32_state(&rnd) % i;
		swap(a[i - 1], a[j]);
	}
}

#endif /* _NETSTACK_TEST_UTIL_H */
