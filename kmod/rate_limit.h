/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A per-second budget of events shared by a namespace's connections
 * (rate_limit.c): RFC 5961 challenge ACKs.
 */
#ifndef _NETSTACK_RATE_LIMIT_H
#define _NETSTACK_RATE_LIMIT_H

#include <linux/spinlock.h>
#include <linux/types.h>

/**
 * struct ns_rate_window - the budget of the current one-second window
 * @stamp_s: the second the window is for
 * @left: events still allowed in it
 */
struct ns_rate_window {
	u32 stamp_s;
	u32 left;
};

/**
 * struct ns_rate_limiter - a &struct ns_rate_window shared under a lock
 * @lock: protects @win
 * @win: the window
 */
struct ns_rate_limiter {
	spinlock_t lock;	/* win */
	struct ns_rate_window win;
};

bool ns_rate_window_allow(struct ns_rate_window *win, u32 now_s, u32 budget);
void ns_rate_limiter_init(struct ns_rate_limiter *rl);
bool ns_rate_limiter_allow(struct ns_rate_limiter *rl, u32 limit);

#endif /* _NETSTACK_RATE_LIMIT_H */
