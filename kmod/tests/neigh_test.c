// SPDX-License-Identifier: GPL-2.0
/*
 * neigh_test.c - KUnit tests for the neighbour state machine,
 * ns_neigh_step() (neigh.c): a table of single transitions, each tried at
 * several values of jiffies including either side of the wrap, then a scripted
 * life of one entry from creation through failure, resolution, staleness
 * and a confirmed probe, to its removal.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "kmod/neigh.h"

#define INC	NETSTACK_NEIGH_INCOMPLETE
#define REACH	NETSTACK_NEIGH_REACHABLE
#define STALE	NETSTACK_NEIGH_STALE
#define FAILED	NETSTACK_NEIGH_FAILED
#define PERM	NETSTACK_NEIGH_PERMANENT

#define OUTPUT	NS_NEIGH_EV_OUTPUT
#define CONFIRM	NS_NEIGH_EV_CONFIRM
#define TIMER	NS_NEIGH_EV_TIMER

#define XMIT	NS_NEIGH_ACT_XMIT
#define QUEUE	NS_NEIGH_ACT_QUEUE
#define SOLICIT	NS_NEIGH_ACT_SOLICIT
#define FLUSH	NS_NEIGH_ACT_FLUSH_QUEUE
#define FAILQ	NS_NEIGH_ACT_FAIL_QUEUE
#define ARM	NS_NEIGH_ACT_ARM_TIMER
#define DELETE	NS_NEIGH_ACT_DELETE

#define MAXP	NS_NEIGH_MAX_PROBES

/* Set in the entry before a step; a step that keeps a time leaves it. */
#define NEIGH_DELAY_UNSET	0x5a5a5a5aUL

/*
 * One step. The entry's times are given as how long ago they were, so
 * that each case can run at any value of now. The delay is checked only
 * when the step arms the timer.
 */
struct neigh_step_case {
	const char *name;
	u8 state, probes;
	unsigned long confirmed_ago, used_ago;
	enum ns_neigh_event ev;
	u8 want_state, want_probes;
	unsigned int want_act;
	unsigned long want_delay;
	bool want_confirmed_now;	/* else confirmed is unchanged */
	bool want_used_now;		/* else used is not checked */
};

static const struct neigh_step_case neigh_step_cases[] = {
	/* INCOMPLETE: resolving, packets wait. */
	{ "incomplete new entry output", INC, 0, 0, 0, OUTPUT,
	  INC, 1, QUEUE | SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "incomplete output while resolving", INC, 1, 0, HZ / 2, OUTPUT,
	  INC, 1, QUEUE },
	{ "incomplete output after last request", INC, MAXP, 0, HZ / 2, OUTPUT,
	  INC, MAXP, QUEUE },
	{ "incomplete timer, 1 request sent", INC, 1, 0, HZ, TIMER,
	  INC, 2, SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "incomplete timer, max-1 requests sent", INC, MAXP - 1, 0, 2 * HZ, TIMER,
	  INC, MAXP, SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "incomplete timer, max requests sent", INC, MAXP, 0, 3 * HZ, TIMER,
	  FAILED, 0, FAILQ | ARM, NS_NEIGH_FAILED_TIME },
	{ "incomplete confirm", INC, 2, 0, HZ, CONFIRM,
	  REACH, 0, FLUSH | ARM, NS_NEIGH_REACHABLE_TIME, true },

	/* REACHABLE: used freely until NS_NEIGH_REACHABLE_TIME after confirm. */
	{ "reachable output", REACH, 0, 5 * HZ, 10 * HZ, OUTPUT,
	  REACH, 0, XMIT, 0, false, true },
	{ "reachable timer early", REACH, 0, 10 * HZ, 10 * HZ, TIMER,
	  REACH, 0, ARM, NS_NEIGH_REACHABLE_TIME - 10 * HZ },
	{ "reachable timer just confirmed", REACH, 0, 0, 0, TIMER,
	  REACH, 0, ARM, NS_NEIGH_REACHABLE_TIME },
	{ "reachable timer one jiffy early", REACH, 0,
	  NS_NEIGH_REACHABLE_TIME - 1, 0, TIMER,
	  REACH, 0, ARM, 1 },
	{ "reachable timer at expiry", REACH, 0, NS_NEIGH_REACHABLE_TIME, 0, TIMER,
	  STALE, 0, ARM, NS_NEIGH_STALE_TIME },
	{ "reachable timer late", REACH, 0, NS_NEIGH_REACHABLE_TIME + 7 * HZ,
	  NS_NEIGH_REACHABLE_TIME + 7 * HZ, TIMER,
	  STALE, 0, ARM, NS_NEIGH_STALE_TIME },
	{ "reachable confirm", REACH, 0, 10 * HZ, HZ, CONFIRM,
	  REACH, 0, ARM, NS_NEIGH_REACHABLE_TIME, true },

	/* STALE: usable; the first use probes, unanswered probes fail it. */
	{ "stale output, first use", STALE, 0, 40 * HZ, 40 * HZ, OUTPUT,
	  STALE, 1, XMIT | SOLICIT | ARM, NS_NEIGH_RETRANS_TIME, false, true },
	{ "stale output while probing", STALE, 1, 40 * HZ, HZ / 2, OUTPUT,
	  STALE, 1, XMIT, 0, false, true },
	{ "stale output after last probe", STALE, MAXP, 40 * HZ, HZ / 2, OUTPUT,
	  STALE, MAXP, XMIT, 0, false, true },
	{ "stale timer, 1 probe sent", STALE, 1, 40 * HZ, HZ, TIMER,
	  STALE, 2, SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "stale timer, max-1 probes sent", STALE, MAXP - 1, 40 * HZ, 2 * HZ, TIMER,
	  STALE, MAXP, SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "stale timer, max probes sent", STALE, MAXP, 40 * HZ, 3 * HZ, TIMER,
	  FAILED, 0, ARM, NS_NEIGH_FAILED_TIME },
	{ "stale timer, used recently", STALE, 0, 60 * HZ, 10 * HZ, TIMER,
	  STALE, 0, ARM, NS_NEIGH_STALE_TIME - 10 * HZ },
	{ "stale timer, used one jiffy short of stale time", STALE, 0, 90 * HZ,
	  NS_NEIGH_STALE_TIME - 1, TIMER,
	  STALE, 0, ARM, 1 },
	{ "stale timer, unused for stale time", STALE, 0, 90 * HZ,
	  NS_NEIGH_STALE_TIME, TIMER,
	  STALE, 0, DELETE },
	{ "stale timer, unused for long", STALE, 0, 200 * HZ, 150 * HZ, TIMER,
	  STALE, 0, DELETE },
	{ "stale confirm while probing", STALE, 2, 40 * HZ, HZ, CONFIRM,
	  REACH, 0, ARM, NS_NEIGH_REACHABLE_TIME, true },
	{ "stale confirm, not probing", STALE, 0, 40 * HZ, 40 * HZ, CONFIRM,
	  REACH, 0, ARM, NS_NEIGH_REACHABLE_TIME, true },

	/* FAILED: output resolves again, the timer removes it. */
	{ "failed output", FAILED, 0, 100 * HZ, HZ, OUTPUT,
	  INC, 1, QUEUE | SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "failed timer", FAILED, 0, 100 * HZ, 5 * HZ, TIMER,
	  FAILED, 0, DELETE },
	{ "failed confirm", FAILED, 0, 100 * HZ, HZ, CONFIRM,
	  REACH, 0, FLUSH | ARM, NS_NEIGH_REACHABLE_TIME, true },

	/* PERMANENT: nothing changes it. */
	{ "permanent output", PERM, 0, 100 * HZ, 100 * HZ, OUTPUT,
	  PERM, 0, XMIT },
	{ "permanent confirm", PERM, 0, 100 * HZ, 100 * HZ, CONFIRM,
	  PERM, 0, 0 },
	{ "permanent timer", PERM, 0, 100 * HZ, 100 * HZ, TIMER,
	  PERM, 0, 0 },
};

/* Values of now: ordinary, just past the wrap, and just before it. */
static const unsigned long neigh_nows[] = {
	1000000,
	5 * HZ,			/* times in the past are before the wrap */
	ULONG_MAX - 10 * HZ,	/* deadlines lie past the wrap */
	ULONG_MAX,
};

static void neigh_step_desc(const struct neigh_step_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(neigh_step, neigh_step_cases, neigh_step_desc);

static void neigh_test_step(struct kunit *test)
{
	const struct neigh_step_case *c = test->param_value;
	unsigned int t;

	for (t = 0; t < ARRAY_SIZE(neigh_nows); t++) {
		unsigned long now = neigh_nows[t];
		struct ns_neigh_fsm fsm = {
			.state = c->state,
			.probes = c->probes,
			.confirmed = now - c->confirmed_ago,
			.used = now - c->used_ago,
		};
		unsigned long delay = NEIGH_DELAY_UNSET;
		unsigned int act;

		act = ns_neigh_step(&fsm, c->ev, now, &delay);
		KUNIT_EXPECT_EQ_MSG(test, act, c->want_act,
				    "%s, now %#lx: actions", c->name, now);
		KUNIT_EXPECT_EQ_MSG(test, fsm.state, c->want_state,
				    "%s, now %#lx: state", c->name, now);
		KUNIT_EXPECT_EQ_MSG(test, fsm.probes, c->want_probes,
				    "%s, now %#lx: probes", c->name, now);
		if (c->want_act & ARM)
			KUNIT_EXPECT_EQ_MSG(test, delay, c->want_delay,
					    "%s, now %#lx: delay", c->name, now);
		KUNIT_EXPECT_EQ_MSG(test, fsm.confirmed,
				    c->want_confirmed_now ? now :
				    now - c->confirmed_ago,
				    "%s, now %#lx: confirmed", c->name, now);
		if (c->want_used_now)
			KUNIT_EXPECT_EQ_MSG(test, fsm.used, now,
					    "%s, now %#lx: used", c->name, now);
	}
}

/*
 * One step of a life: time passes by @advance (NEIGH_AFTER_DELAY: by the
 * delay the previous step armed, as the timer would), then @ev happens.
 */
struct neigh_life_step {
	const char *what;
	unsigned long advance;
	enum ns_neigh_event ev;
	u8 want_state, want_probes;
	unsigned int want_act;
	unsigned long want_delay;
};

#define NEIGH_AFTER_DELAY	ULONG_MAX

static const struct neigh_life_step neigh_life[] = {
	{ "first packet", 0, OUTPUT,
	  INC, 1, QUEUE | SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "second packet waits", HZ / 10, OUTPUT, INC, 1, QUEUE },
	{ "no reply: second request", NEIGH_AFTER_DELAY, TIMER,
	  INC, 2, SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "no reply: third request", NEIGH_AFTER_DELAY, TIMER,
	  INC, 3, SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "no reply: failed", NEIGH_AFTER_DELAY, TIMER,
	  FAILED, 0, FAILQ | ARM, NS_NEIGH_FAILED_TIME },
	{ "packet to the failed entry", HZ, OUTPUT,
	  INC, 1, QUEUE | SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "reply", HZ / 5, CONFIRM,
	  REACH, 0, FLUSH | ARM, NS_NEIGH_REACHABLE_TIME },
	{ "used while reachable", 10 * HZ, OUTPUT, REACH, 0, XMIT },
	{ "reachable time over: stale", 20 * HZ, TIMER,
	  STALE, 0, ARM, NS_NEIGH_STALE_TIME },
	{ "used while stale: probe", 5 * HZ, OUTPUT,
	  STALE, 1, XMIT | SOLICIT | ARM, NS_NEIGH_RETRANS_TIME },
	{ "used again while probing", HZ / 10, OUTPUT, STALE, 1, XMIT },
	{ "probe answered", HZ / 10, CONFIRM,
	  REACH, 0, ARM, NS_NEIGH_REACHABLE_TIME },
	{ "reachable time over again: stale", NEIGH_AFTER_DELAY, TIMER,
	  STALE, 0, ARM, NS_NEIGH_STALE_TIME },
	{ "stale and unused: deleted", NEIGH_AFTER_DELAY, TIMER,
	  STALE, 0, DELETE },
};

static void neigh_test_life(struct kunit *test)
{
	/* A start far from the wrap, and one the life crosses it from. */
	static const unsigned long starts[] = { 1000000, ULONG_MAX - 20 * HZ };
	unsigned int i, s;

	for (s = 0; s < ARRAY_SIZE(starts); s++) {
		unsigned long now = starts[s], delay = 0;
		struct ns_neigh_fsm fsm = {
			.state = NETSTACK_NEIGH_INCOMPLETE,
			.used = now,	/* as ns_neigh_get() creates it */
		};

		for (i = 0; i < ARRAY_SIZE(neigh_life); i++) {
			const struct neigh_life_step *st = &neigh_life[i];
			unsigned int act;

			now += st->advance == NEIGH_AFTER_DELAY ? delay : st->advance;
			delay = NEIGH_DELAY_UNSET;
			act = ns_neigh_step(&fsm, st->ev, now, &delay);
			KUNIT_EXPECT_EQ_MSG(test, act, st->want_act,
					    "start %#lx, step %u (%s): actions",
					    starts[s], i, st->what);
			KUNIT_EXPECT_EQ_MSG(test, fsm.state, st->want_state,
					    "start %#lx, step %u (%s): state",
					    starts[s], i, st->what);
			KUNIT_EXPECT_EQ_MSG(test, fsm.probes, st->want_probes,
					    "start %#lx, step %u (%s): probes",
					    starts[s], i, st->what);
			if (st->want_act & ARM)
				KUNIT_EXPECT_EQ_MSG(test, delay, st->want_delay,
						    "start %#lx, step %u (%s): delay",
						    starts[s], i, st->what);
		}
	}
}

static struct kunit_case neigh_test_cases[] = {
	KUNIT_CASE_PARAM(neigh_test_step, neigh_step_gen_params),
	KUNIT_CASE(neigh_test_life),
	{}
};

static struct kunit_suite neigh_test_suite = {
	.name = "netstack_neigh",
	.test_cases = neigh_test_cases,
};

kunit_test_suite(neigh_test_suite);
