// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_state_test.c - KUnit tests for the TCP state machine,
 * ns_tcp_state_step() (tcp_state.c): a table of every transition, checked
 * exhaustively (every state, every event, passive or not, and values that
 * are no state: a pair missing from the table must leave the state alone
 * and ask for nothing), then scripted walks: active and passive open and
 * close, simultaneous open and close, a FIN that also acknowledges ours,
 * a reset in each state, timeouts, and TIME-WAIT's expiry.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "kmod/tcp_state.h"

#define CLOSED	NS_TCP_CLOSED
#define LISTEN	NS_TCP_LISTEN
#define SYN_S	NS_TCP_SYN_SENT
#define SYN_R	NS_TCP_SYN_RECEIVED
#define ESTAB	NS_TCP_ESTABLISHED
#define FW1	NS_TCP_FIN_WAIT_1
#define FW2	NS_TCP_FIN_WAIT_2
#define CL_W	NS_TCP_CLOSE_WAIT
#define CLOSING	NS_TCP_CLOSING
#define L_ACK	NS_TCP_LAST_ACK
#define T_W	NS_TCP_TIME_WAIT

#define E_AOPEN	NS_TCP_EV_ACTIVE_OPEN
#define E_POPEN	NS_TCP_EV_PASSIVE_OPEN
#define E_CLOSE	NS_TCP_EV_CLOSE
#define E_ABORT	NS_TCP_EV_ABORT
#define E_SHUT	NS_TCP_EV_SHUTDOWN_WR
#define E_SYN	NS_TCP_EV_SYN
#define E_SYNACK NS_TCP_EV_SYN_ACK
#define E_ACKSYN NS_TCP_EV_ACK_OF_SYN
#define E_ACKFIN NS_TCP_EV_ACK_OF_FIN
#define E_BADACK NS_TCP_EV_BAD_ACK
#define E_FIN	NS_TCP_EV_FIN
#define E_RST	NS_TCP_EV_RST
#define E_RLIM	NS_TCP_EV_RETRANS_LIMIT
#define E_FW2TO	NS_TCP_EV_FIN_WAIT_2_TIMEOUT
#define E_TWEXP	NS_TCP_EV_TIME_WAIT_EXPIRED

#define SYN	NS_TCP_ACT_SEND_SYN
#define SYNACK	NS_TCP_ACT_SEND_SYN_ACK
#define ACK	NS_TCP_ACT_SEND_ACK
#define FIN	NS_TCP_ACT_SEND_FIN
#define RST	NS_TCP_ACT_SEND_RST
#define TW	NS_TCP_ACT_TIME_WAIT
#define CONN	NS_TCP_ACT_CONNECTED
#define REFUSED	NS_TCP_ACT_ERR_REFUSED
#define RESET	NS_TCP_ACT_ERR_RESET
#define PIPE	NS_TCP_ACT_ERR_PIPE
#define TIMEOUT	NS_TCP_ACT_ERR_TIMEDOUT
#define DEL	NS_TCP_ACT_DELETE_TCB

/* Which connections a row is for: both, or only active or passive ones. */
enum { BOTH, ACTIVE, PASSIVE };

struct tcp_state_row {
	u8 state;
	u8 ev;
	u8 who;
	u8 next;
	unsigned int act;
};

/* Every transition. A pair that is not here: unchanged, no actions. */
static const struct tcp_state_row tcp_state_table[] = {
	{ CLOSED, E_AOPEN,  BOTH,    SYN_S,   SYN },
	{ CLOSED, E_POPEN,  BOTH,    LISTEN,  0 },

	{ LISTEN, E_CLOSE,  BOTH,    CLOSED,  DEL },
	{ LISTEN, E_ABORT,  BOTH,    CLOSED,  DEL },
	{ LISTEN, E_SYN,    BOTH,    SYN_R,   SYNACK },
	{ LISTEN, E_BADACK, BOTH,    LISTEN,  RST },

	{ SYN_S,  E_CLOSE,  BOTH,    CLOSED,  DEL },
	{ SYN_S,  E_SHUT,   BOTH,    CLOSED,  RESET | DEL },
	{ SYN_S,  E_ABORT,  BOTH,    CLOSED,  DEL },
	{ SYN_S,  E_SYN,    BOTH,    SYN_R,   SYNACK },
	{ SYN_S,  E_SYNACK, BOTH,    ESTAB,   ACK | CONN },
	{ SYN_S,  E_BADACK, BOTH,    SYN_S,   RST },
	{ SYN_S,  E_RST,    BOTH,    CLOSED,  REFUSED | DEL },
	{ SYN_S,  E_RLIM,   BOTH,    CLOSED,  TIMEOUT | DEL },

	{ SYN_R,  E_CLOSE,  BOTH,    FW1,     FIN },
	{ SYN_R,  E_SHUT,   BOTH,    FW1,     FIN },
	{ SYN_R,  E_ABORT,  BOTH,    CLOSED,  RST | DEL },
	{ SYN_R,  E_SYN,    BOTH,    SYN_R,   SYNACK },
	{ SYN_R,  E_SYNACK, BOTH,    ESTAB,   CONN },
	{ SYN_R,  E_ACKSYN, BOTH,    ESTAB,   CONN },
	{ SYN_R,  E_BADACK, BOTH,    SYN_R,   RST },
	{ SYN_R,  E_RST,    ACTIVE,  CLOSED,  REFUSED | DEL },
	{ SYN_R,  E_RST,    PASSIVE, LISTEN,  0 },
	{ SYN_R,  E_RLIM,   ACTIVE,  CLOSED,  TIMEOUT | DEL },
	{ SYN_R,  E_RLIM,   PASSIVE, LISTEN,  0 },

	{ ESTAB,  E_CLOSE,  BOTH,    FW1,     FIN },
	{ ESTAB,  E_SHUT,   BOTH,    FW1,     FIN },
	{ ESTAB,  E_ABORT,  BOTH,    CLOSED,  RST | DEL },
	{ ESTAB,  E_SYN,    BOTH,    ESTAB,   ACK },
	{ ESTAB,  E_SYNACK, BOTH,    ESTAB,   ACK },
	{ ESTAB,  E_BADACK, BOTH,    ESTAB,   ACK },
	{ ESTAB,  E_FIN,    BOTH,    CL_W,    ACK },
	{ ESTAB,  E_RST,    BOTH,    CLOSED,  RESET | DEL },
	{ ESTAB,  E_RLIM,   BOTH,    CLOSED,  TIMEOUT | DEL },

	{ FW1,    E_ABORT,  BOTH,    CLOSED,  RST | DEL },
	{ FW1,    E_SYN,    BOTH,    FW1,     ACK },
	{ FW1,    E_SYNACK, BOTH,    FW1,     ACK },
	{ FW1,    E_BADACK, BOTH,    FW1,     ACK },
	{ FW1,    E_ACKFIN, BOTH,    FW2,     0 },
	{ FW1,    E_FIN,    BOTH,    CLOSING, ACK },
	{ FW1,    E_RST,    BOTH,    CLOSED,  RESET | DEL },
	{ FW1,    E_RLIM,   BOTH,    CLOSED,  TIMEOUT | DEL },

	{ FW2,    E_ABORT,  BOTH,    CLOSED,  RST | DEL },
	{ FW2,    E_SYN,    BOTH,    FW2,     ACK },
	{ FW2,    E_SYNACK, BOTH,    FW2,     ACK },
	{ FW2,    E_BADACK, BOTH,    FW2,     ACK },
	{ FW2,    E_FIN,    BOTH,    T_W,     ACK | TW },
	{ FW2,    E_RST,    BOTH,    CLOSED,  RESET | DEL },
	{ FW2,    E_RLIM,   BOTH,    CLOSED,  TIMEOUT | DEL },
	{ FW2,    E_FW2TO,  BOTH,    CLOSED,  DEL },

	{ CL_W,   E_CLOSE,  BOTH,    L_ACK,   FIN },
	{ CL_W,   E_SHUT,   BOTH,    L_ACK,   FIN },
	{ CL_W,   E_ABORT,  BOTH,    CLOSED,  RST | DEL },
	{ CL_W,   E_SYN,    BOTH,    CL_W,    ACK },
	{ CL_W,   E_SYNACK, BOTH,    CL_W,    ACK },
	{ CL_W,   E_BADACK, BOTH,    CL_W,    ACK },
	{ CL_W,   E_FIN,    BOTH,    CL_W,    ACK },
	{ CL_W,   E_RST,    BOTH,    CLOSED,  PIPE | DEL },
	{ CL_W,   E_RLIM,   BOTH,    CLOSED,  TIMEOUT | DEL },

	{ CLOSING, E_ABORT,  BOTH,   CLOSED,  DEL },
	{ CLOSING, E_SYN,    BOTH,   CLOSING, ACK },
	{ CLOSING, E_SYNACK, BOTH,   CLOSING, ACK },
	{ CLOSING, E_BADACK, BOTH,   CLOSING, ACK },
	{ CLOSING, E_ACKFIN, BOTH,   T_W,     TW },
	{ CLOSING, E_FIN,    BOTH,   CLOSING, ACK },
	{ CLOSING, E_RST,    BOTH,   CLOSED,  DEL },
	{ CLOSING, E_RLIM,   BOTH,   CLOSED,  TIMEOUT | DEL },

	{ L_ACK,  E_ABORT,  BOTH,    CLOSED,  DEL },
	{ L_ACK,  E_SYN,    BOTH,    L_ACK,   ACK },
	{ L_ACK,  E_SYNACK, BOTH,    L_ACK,   ACK },
	{ L_ACK,  E_BADACK, BOTH,    L_ACK,   ACK },
	{ L_ACK,  E_ACKFIN, BOTH,    CLOSED,  DEL },
	{ L_ACK,  E_FIN,    BOTH,    L_ACK,   ACK },
	{ L_ACK,  E_RST,    BOTH,    CLOSED,  DEL },
	{ L_ACK,  E_RLIM,   BOTH,    CLOSED,  TIMEOUT | DEL },

	{ T_W,    E_ABORT,  BOTH,    CLOSED,  DEL },
	{ T_W,    E_SYN,    BOTH,    T_W,     ACK },
	{ T_W,    E_SYNACK, BOTH,    T_W,     ACK },
	{ T_W,    E_BADACK, BOTH,    T_W,     ACK },
	{ T_W,    E_FIN,    BOTH,    T_W,     ACK | TW },
	{ T_W,    E_RST,    BOTH,    CLOSED,  DEL },
	{ T_W,    E_TWEXP,  BOTH,    CLOSED,  DEL },
};

static const struct tcp_state_row *tcp_state_find(int state, int ev,
						  bool passive)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcp_state_table); i++) {
		const struct tcp_state_row *r = &tcp_state_table[i];

		if (r->state == state && r->ev == ev &&
		    (r->who == BOTH || r->who == (passive ? PASSIVE : ACTIVE)))
			return r;
	}
	return NULL;
}

/* The table itself: no pair twice, at most one error, known values. */
static void tcp_state_test_table_sane(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(tcp_state_table); i++) {
		const struct tcp_state_row *a = &tcp_state_table[i];

		KUNIT_EXPECT_GE(test, a->state, NS_TCP_STATE_FIRST);
		KUNIT_EXPECT_LE(test, a->state, NS_TCP_STATE_LAST);
		KUNIT_EXPECT_LT(test, a->ev, NS_TCP_EV_COUNT);
		KUNIT_EXPECT_LE(test, hweight32(a->act & NS_TCP_ACT_ERR_MASK), 1);
		for (j = i + 1; j < ARRAY_SIZE(tcp_state_table); j++) {
			const struct tcp_state_row *b = &tcp_state_table[j];

			KUNIT_EXPECT_FALSE_MSG(test, a->state == b->state &&
					       a->ev == b->ev &&
					       (a->who == BOTH || b->who == BOTH ||
						a->who == b->who),
					       "rows %u and %u overlap", i, j);
		}
	}
}

/*
 * Every (state, event, passive), plus one value below and one above the
 * states, against the table. The actions are preset to garbage to check
 * that a step always writes them.
 */
static void tcp_state_test_exhaustive(struct kunit *test)
{
	unsigned int checked = 0, transitions = 0;
	int state, ev, passive;

	for (passive = 0; passive <= 1; passive++) {
		for (state = 0; state <= NS_TCP_STATE_LAST + 1; state++) {
			for (ev = 0; ev < NS_TCP_EV_COUNT; ev++) {
				const struct tcp_state_row *r =
					tcp_state_find(state, ev, passive);
				unsigned int act = 0xdead;
				int next;

				next = ns_tcp_state_step(state, ev, passive, &act);
				KUNIT_EXPECT_EQ_MSG(test, next, r ? r->next : state,
						    "%s + event %d (%s): next state %s",
						    ns_tcp_state_name(state), ev,
						    passive ? "passive" : "active",
						    ns_tcp_state_name(next));
				KUNIT_EXPECT_EQ_MSG(test, act, r ? r->act : 0,
						    "%s + event %d (%s): actions",
						    ns_tcp_state_name(state), ev,
						    passive ? "passive" : "active");
				checked++;
				transitions += !!r;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, checked, 2 * (NS_TCP_STATE_LAST + 2) * NS_TCP_EV_COUNT);
	/* Each row counted once per kind of connection it applies to. */
	KUNIT_EXPECT_EQ(test, transitions, 2 * ARRAY_SIZE(tcp_state_table) - 4);
	/* An event value beyond the enum changes nothing either. */
	{
		unsigned int act = 0xdead;

		KUNIT_EXPECT_EQ(test, ns_tcp_state_step(ESTAB, NS_TCP_EV_COUNT,
							false, &act), ESTAB);
		KUNIT_EXPECT_EQ(test, act, 0);
	}
}

/* One step of a walk: an event and what it must lead to. */
struct tcp_walk_step {
	u8 ev;
	u8 next;
	unsigned int act;
};

#define WALK(test, start, passive, ...) ({				\
	static const struct tcp_walk_step steps[] = { __VA_ARGS__ };	\
	tcp_state_walk(test, #start " " #__VA_ARGS__, start, passive,	\
		       steps, ARRAY_SIZE(steps));			\
})

static int tcp_state_walk(struct kunit *test, const char *what, int state,
			  bool passive, const struct tcp_walk_step *steps,
			  unsigned int n)
{
	unsigned int i, act;

	for (i = 0; i < n; i++) {
		int next = ns_tcp_state_step(state, steps[i].ev, passive, &act);

		KUNIT_EXPECT_EQ_MSG(test, next, steps[i].next,
				    "%s: step %u from %s: got %s", what, i,
				    ns_tcp_state_name(state),
				    ns_tcp_state_name(next));
		KUNIT_EXPECT_EQ_MSG(test, act, steps[i].act,
				    "%s: step %u from %s: actions", what, i,
				    ns_tcp_state_name(state));
		state = next;
	}
	return state;
}

/* connect(), the peer accepts; we close first and wait out TIME-WAIT. */
static void tcp_state_test_active_open_close(struct kunit *test)
{
	WALK(test, CLOSED, false,
	     { E_AOPEN,  SYN_S,  SYN },
	     { E_SYNACK, ESTAB,  ACK | CONN },
	     { E_CLOSE,  FW1,    FIN },
	     { E_ACKFIN, FW2,    0 },
	     { E_FIN,    T_W,    ACK | TW },
	     { E_TWEXP,  CLOSED, DEL });
}

/* listen(), a peer connects, closes first; we close and await its ACK. */
static void tcp_state_test_passive_open_close(struct kunit *test)
{
	WALK(test, CLOSED, true,
	     { E_POPEN,  LISTEN, 0 },
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_ACKSYN, ESTAB,  CONN },
	     { E_FIN,    CL_W,   ACK },
	     { E_CLOSE,  L_ACK,  FIN },
	     { E_ACKFIN, CLOSED, DEL });
}

/*
 * Both connect() at once (RFC 9293 figure 8): each SYN crosses the other;
 * each side answers with a SYN-ACK, and the other's SYN-ACK (or a plain
 * ACK of our SYN) establishes. The peer retransmitting its SYN meanwhile
 * gets our SYN-ACK again.
 */
static void tcp_state_test_simultaneous_open(struct kunit *test)
{
	WALK(test, CLOSED, false,
	     { E_AOPEN,  SYN_S,  SYN },
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_SYNACK, ESTAB,  CONN },
	     { E_SYNACK, ESTAB,  ACK });		/* resent: ACK again */
	WALK(test, SYN_S, false,
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_ACKSYN, ESTAB,  CONN });
}

/*
 * Both close() at once (RFC 9293 figure 13): our FIN crosses theirs,
 * FIN-WAIT-1 -> CLOSING, then the ACK of our FIN -> TIME-WAIT. Also the
 * common case where the peer's FIN segment acknowledges ours as well: fed
 * as two events, ACK first (RFC 9293 3.10.7.4, "fifth" before "eighth").
 */
static void tcp_state_test_simultaneous_close(struct kunit *test)
{
	WALK(test, ESTAB, false,
	     { E_CLOSE,  FW1,     FIN },
	     { E_FIN,    CLOSING, ACK },
	     { E_FIN,    CLOSING, ACK },		/* their FIN resent */
	     { E_ACKFIN, T_W,     TW },
	     { E_TWEXP,  CLOSED,  DEL });
	WALK(test, ESTAB, false,
	     { E_CLOSE,  FW1,     FIN },
	     { E_ACKFIN, FW2,     0 },			/* one segment: FIN+ACK */
	     { E_FIN,    T_W,     ACK | TW });
}

/*
 * shutdown(SHUT_WR), keep reading, then the peer closes: half-close from
 * both ends without close() until the end.
 */
static void tcp_state_test_half_close(struct kunit *test)
{
	WALK(test, ESTAB, true,
	     { E_SHUT,   FW1,    FIN },
	     { E_SHUT,   FW1,    0 },			/* again: nothing */
	     { E_ACKFIN, FW2,    0 },
	     { E_CLOSE,  FW2,    0 },			/* orphaned: caller's timer */
	     { E_FW2TO,  CLOSED, DEL });
	WALK(test, ESTAB, true,
	     { E_FIN,    CL_W,   ACK },
	     { E_SHUT,   L_ACK,  FIN },
	     { E_CLOSE,  L_ACK,  0 },
	     { E_ACKFIN, CLOSED, DEL });
}

/*
 * A reset in each state, reached by a walk from CLOSED, with the errno
 * the user is told. From a passive open, SYN-RECEIVED returns to LISTEN
 * and a new SYN is served as before.
 */
static void tcp_state_test_reset_everywhere(struct kunit *test)
{
	static const struct {
		struct tcp_walk_step path[4];
		unsigned int len;
		bool passive;
		int err;
	} cases[] = {
		{ { { E_AOPEN, SYN_S, SYN } }, 1, false, -ECONNREFUSED },
		{ { { E_AOPEN, SYN_S, SYN }, { E_SYN, SYN_R, SYNACK } },
		  2, false, -ECONNREFUSED },
		{ { { E_AOPEN, SYN_S, SYN }, { E_SYNACK, ESTAB, ACK | CONN } },
		  2, false, -ECONNRESET },
		{ { { E_POPEN, LISTEN, 0 }, { E_SYN, SYN_R, SYNACK },
		    { E_ACKSYN, ESTAB, CONN }, { E_CLOSE, FW1, FIN } },
		  4, true, -ECONNRESET },
		{ { { E_AOPEN, SYN_S, SYN }, { E_SYNACK, ESTAB, ACK | CONN },
		    { E_CLOSE, FW1, FIN }, { E_ACKFIN, FW2, 0 } },
		  4, false, -ECONNRESET },
		{ { { E_AOPEN, SYN_S, SYN }, { E_SYNACK, ESTAB, ACK | CONN },
		    { E_FIN, CL_W, ACK } },
		  3, false, -EPIPE },
		{ { { E_AOPEN, SYN_S, SYN }, { E_SYNACK, ESTAB, ACK | CONN },
		    { E_CLOSE, FW1, FIN }, { E_FIN, CLOSING, ACK } },
		  4, false, 0 },
		{ { { E_AOPEN, SYN_S, SYN }, { E_SYNACK, ESTAB, ACK | CONN },
		    { E_FIN, CL_W, ACK }, { E_CLOSE, L_ACK, FIN } },
		  4, false, 0 },
		{ { { E_POPEN, LISTEN, 0 }, { E_SYN, SYN_R, SYNACK },
		    { E_CLOSE, FW1, FIN }, { E_ACKFIN, FW2, 0 } },
		  4, true, -ECONNRESET },
	};
	unsigned int i, act;
	int state, next;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		state = tcp_state_walk(test, "to reset", CLOSED,
				       cases[i].passive, cases[i].path,
				       cases[i].len);
		next = ns_tcp_state_step(state, E_RST, cases[i].passive, &act);
		KUNIT_EXPECT_EQ_MSG(test, next, CLOSED, "RST in %s",
				    ns_tcp_state_name(state));
		KUNIT_EXPECT_TRUE_MSG(test, act & DEL, "RST in %s",
				      ns_tcp_state_name(state));
		KUNIT_EXPECT_FALSE_MSG(test, act & (RST | ACK | FIN),
				       "RST in %s: never answered",
				       ns_tcp_state_name(state));
		KUNIT_EXPECT_EQ_MSG(test, ns_tcp_state_errno(act), cases[i].err,
				    "RST in %s", ns_tcp_state_name(state));
	}

	/* TIME-WAIT: no error, the connection was over (RFC 9293). */
	state = WALK(test, CLOSED, false,
		     { E_AOPEN,  SYN_S,  SYN },
		     { E_SYNACK, ESTAB,  ACK | CONN },
		     { E_CLOSE,  FW1,    FIN },
		     { E_ACKFIN, FW2,    0 },
		     { E_FIN,    T_W,    ACK | TW },
		     { E_RST,    CLOSED, DEL });
	KUNIT_EXPECT_EQ(test, state, CLOSED);

	/* Passive SYN-RECEIVED: back to LISTEN, quietly; serve the next. */
	WALK(test, CLOSED, true,
	     { E_POPEN,  LISTEN, 0 },
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_RST,    LISTEN, 0 },
	     { E_RST,    LISTEN, 0 },			/* LISTEN ignores RST */
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_ACKSYN, ESTAB,  CONN });
}

/* Unanswered retransmissions and segments that must be answered. */
static void tcp_state_test_timeouts_and_bad_acks(struct kunit *test)
{
	unsigned int act;

	WALK(test, CLOSED, false,
	     { E_AOPEN,  SYN_S,  SYN },
	     { E_BADACK, SYN_S,  RST },
	     { E_RLIM,   CLOSED, TIMEOUT | DEL });
	WALK(test, CLOSED, true,
	     { E_POPEN,  LISTEN, 0 },
	     { E_BADACK, LISTEN, RST },
	     { E_SYN,    SYN_R,  SYNACK },
	     { E_RLIM,   LISTEN, 0 });
	WALK(test, ESTAB, false,
	     { E_BADACK, ESTAB,  ACK },
	     { E_RLIM,   CLOSED, TIMEOUT | DEL });
	ns_tcp_state_step(ESTAB, E_RLIM, false, &act);
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(act), -ETIMEDOUT);
	/* A user abort resets the peer and reports nothing. */
	WALK(test, ESTAB, false,
	     { E_ABORT,  CLOSED, RST | DEL },
	     { E_ABORT,  CLOSED, 0 },
	     { E_RST,    CLOSED, 0 });
}

/*
 * TIME-WAIT: a retransmitted FIN is acknowledged and restarts the 2 MSL
 * timer; only the timer's expiry (or a reset) ends it; nothing else moves.
 */
static void tcp_state_test_time_wait(struct kunit *test)
{
	WALK(test, T_W, false,
	     { E_FIN,    T_W,    ACK | TW },
	     { E_FIN,    T_W,    ACK | TW },
	     { E_ACKFIN, T_W,    0 },
	     { E_CLOSE,  T_W,    0 },
	     { E_RLIM,   T_W,    0 },
	     { E_SYN,    T_W,    ACK },
	     { E_TWEXP,  CLOSED, DEL },
	     { E_TWEXP,  CLOSED, 0 });
}

static void tcp_state_test_errno(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(0), 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(SYN | ACK | FIN | RST | TW |
						 CONN | DEL), 0);
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(REFUSED | DEL), -ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(RESET | DEL), -ECONNRESET);
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(PIPE | DEL), -EPIPE);
	KUNIT_EXPECT_EQ(test, ns_tcp_state_errno(TIMEOUT | DEL), -ETIMEDOUT);
}

/* ss(8)'s names, and the values of Linux's TCP_* for sk_state. */
static void tcp_state_test_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(ESTAB), "ESTAB");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(SYN_S), "SYN-SENT");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(SYN_R), "SYN-RECV");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(FW1), "FIN-WAIT-1");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(FW2), "FIN-WAIT-2");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(T_W), "TIME-WAIT");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(CLOSED), "UNCONN");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(CL_W), "CLOSE-WAIT");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(L_ACK), "LAST-ACK");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(LISTEN), "LISTEN");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(CLOSING), "CLOSING");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(0), "?");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(-1), "?");
	KUNIT_EXPECT_STREQ(test, ns_tcp_state_name(NS_TCP_STATE_LAST + 1), "?");

	KUNIT_EXPECT_EQ(test, ESTAB, 1);
	KUNIT_EXPECT_EQ(test, CLOSED, 7);
	KUNIT_EXPECT_EQ(test, LISTEN, 10);
	KUNIT_EXPECT_EQ(test, NS_TCP_STATE_LAST, 11);
}

static struct kunit_case tcp_state_test_cases[] = {
	KUNIT_CASE(tcp_state_test_table_sane),
	KUNIT_CASE(tcp_state_test_exhaustive),
	KUNIT_CASE(tcp_state_test_active_open_close),
	KUNIT_CASE(tcp_state_test_passive_open_close),
	KUNIT_CASE(tcp_state_test_simultaneous_open),
	KUNIT_CASE(tcp_state_test_simultaneous_close),
	KUNIT_CASE(tcp_state_test_half_close),
	KUNIT_CASE(tcp_state_test_reset_everywhere),
	KUNIT_CASE(tcp_state_test_timeouts_and_bad_acks),
	KUNIT_CASE(tcp_state_test_time_wait),
	KUNIT_CASE(tcp_state_test_errno),
	KUNIT_CASE(tcp_state_test_names),
	{}
};

static struct kunit_suite tcp_state_test_suite = {
	.name = "netstack_tcp_state",
	.test_cases = tcp_state_test_cases,
};

kunit_test_suite(tcp_state_test_suite);
