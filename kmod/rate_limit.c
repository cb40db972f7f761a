// SPDX-License-Identifier: GPL-2.0
/*
 * rate_limit.c - at most a budget of events per second, all callers of
 * one limiter together. Used for RFC 5961 challenge ACKs (section 7:
 * "limit the number of challenge ACKs a receiver sends"). As Linux does
 * since CVE-2016-5696, each second's budget is drawn at random around the
 * limit (half of it to one and a half), so that an off-path attacker
 * cannot count our challenge ACKs against a known limit to learn whether
 * a guessed connection exists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/random.h>
#include <kunit/visibility.h>

#include "rate_limit.h"

/**
 * ns_rate_window_allow() - take one event from a window's budget
 * @win: the window
 * @now_s: the time now, in seconds
 * @budget: the budget a new window (a new second) starts with
 *
 * Return: true if the event may happen, false if this second's budget
 * is spent.
 */
bool ns_rate_window_allow(struct ns_rate_window *win, u32 now_s, u32 budget)
{
	if (win->stamp_s != now_s) {
		win->stamp_s = now_s;
		win->left = budget;
	}
	if (!win->left)
		return false;
	win->left--;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(ns_rate_window_allow);

/**
 * ns_rate_limiter_init() - a limiter whose first window starts now
 * @rl: the limiter
 */
void ns_rate_limiter_init(struct ns_rate_limiter *rl)
{
	spin_lock_init(&rl->lock);
	rl->win.stamp_s = (u32)ktime_get_seconds() - 1;
	rl->win.left = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_rate_limiter_init);

/**
 * ns_rate_limiter_allow() - whether one more event may happen this second
 * @rl: the limiter
 * @limit: events allowed per second on average; 0 allows none
 *
 * Return: true if it may.
 *
 * Context: any; takes @rl's lock with BHs off.
 */
bool ns_rate_limiter_allow(struct ns_rate_limiter *rl, u32 limit)
{
	u32 budget = limit / 2 + get_random_u32_below(limit + 1);
	bool ok;

	spin_lock_bh(&rl->lock);
	ok = ns_rate_window_allow(&rl->win, (u32)ktime_get_seconds(),
				  limit ? budget : 0);
	spin_unlock_bh(&rl->lock);
	return ok;
}
EXPORT_SYMBOL_IF_KUNIT(ns_rate_limiter_allow);
