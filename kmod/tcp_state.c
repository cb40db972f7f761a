// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_state.c - the TCP connection state machine (RFC 9293), a pure
 * function of (state, event, passive). The whole machine:
 *
 *   state         event            next          actions
 *   CLOSED        active open      SYN-SENT      SYN
 *   CLOSED        passive open     LISTEN
 *   LISTEN        SYN              SYN-RECEIVED  SYN-ACK
 *   LISTEN        bad ACK          LISTEN        RST
 *   LISTEN        close, abort     CLOSED        delete
 *   SYN-SENT      SYN-ACK          ESTABLISHED   ACK, connected
 *   SYN-SENT      SYN              SYN-RECEIVED  SYN-ACK (simultaneous open)
 *   SYN-SENT      bad ACK          SYN-SENT      RST
 *   SYN-SENT      RST              CLOSED        ECONNREFUSED, delete
 *   SYN-SENT      close, abort     CLOSED        delete
 *   SYN-SENT      shutdown wr      CLOSED        ECONNRESET, delete (Linux)
 *   SYN-SENT      retrans. limit   CLOSED        ETIMEDOUT, delete
 *   SYN-RECEIVED  ACK of SYN       ESTABLISHED   connected
 *   SYN-RECEIVED  SYN-ACK          ESTABLISHED   connected (simultaneous)
 *   SYN-RECEIVED  SYN              SYN-RECEIVED  SYN-ACK (peer resent SYN)
 *   SYN-RECEIVED  bad ACK          SYN-RECEIVED  RST
 *   SYN-RECEIVED  close, shut. wr  FIN-WAIT-1    FIN
 *   SYN-RECEIVED  abort            CLOSED        RST, delete
 *   SYN-RECEIVED  RST, r. limit    passive: LISTEN; active: CLOSED with
 *                                  ECONNREFUSED (RST) or ETIMEDOUT, delete
 *   ESTABLISHED   close, shut. wr  FIN-WAIT-1    FIN
 *   ESTABLISHED   FIN              CLOSE-WAIT    ACK
 *   FIN-WAIT-1    ACK of FIN       FIN-WAIT-2
 *   FIN-WAIT-1    FIN              CLOSING       ACK (simultaneous close)
 *   FIN-WAIT-2    FIN              TIME-WAIT     ACK, TIME-WAIT timer
 *   FIN-WAIT-2    FIN-WAIT-2 t/o   CLOSED        delete
 *   CLOSE-WAIT    close, shut. wr  LAST-ACK      FIN
 *   CLOSING       ACK of FIN       TIME-WAIT     TIME-WAIT timer
 *   LAST-ACK      ACK of FIN       CLOSED        delete
 *   TIME-WAIT     FIN              TIME-WAIT     ACK, TIME-WAIT timer
 *   TIME-WAIT     2 MSL expired    CLOSED        delete
 *
 * and in every synchronized state (ESTABLISHED to TIME-WAIT):
 *
 *   SYN, SYN-ACK, bad ACK          unchanged     ACK (RFC 5961 4 challenge
 *                                                ACK; 9293 3.10.7.4)
 *   FIN again (CLOSE-WAIT, CLOSING, LAST-ACK)    ACK
 *   RST           ESTABLISHED, FIN-WAIT-1/2: CLOSED, ECONNRESET, delete;
 *                 CLOSE-WAIT: CLOSED, EPIPE, delete (Linux's tcp_reset());
 *                 CLOSING, LAST-ACK, TIME-WAIT: CLOSED, delete
 *   abort         ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: CLOSED, RST,
 *                 delete; CLOSING, LAST-ACK, TIME-WAIT: CLOSED, delete
 *   retrans. limit  all but TIME-WAIT: CLOSED, ETIMEDOUT, delete
 *
 * Any other (state, event) pair leaves the state unchanged and asks for
 * nothing: the event cannot happen there or needs no change (a close in
 * FIN-WAIT-1, a FIN in SYN-SENT whose SEQ cannot be checked, a segment in
 * CLOSED: no TCB, the demultiplexer answers it with a reset). Callers that
 * must fail a user call for such a pair (connect() when connected) check
 * the state themselves, as the socket layer does.
 *
 * A segment that carries several events is fed as several, in RFC 9293's
 * order of processing (3.10.7.4: RST, SYN, ACK, then FIN), each in the
 * state the previous one left: a FIN that also acknowledges our FIN in
 * FIN-WAIT-1 is ACK of FIN (-> FIN-WAIT-2) then FIN (-> TIME-WAIT); a
 * SYN-ACK with a FIN in SYN-SENT is SYN-ACK then FIN; an ACK of our SYN
 * carrying a FIN in SYN-RECEIVED is ACK of SYN then FIN.
 *
 * Passive connections: RFC 9293 returns a SYN-RECEIVED connection that
 * came from LISTEN to LISTEN when it is reset, instead of reporting a
 * refusal; the caller says which it is with @passive, the only place the
 * flag matters. A caller that forks a child TCB per SYN (netstack will)
 * reads "next state LISTEN" on a child as "forget this child quietly":
 * the listener itself never left LISTEN. The same holds when the SYN-ACK
 * is retransmitted to the limit.
 *
 * Choices where RFC 9293 leaves room, with Linux's: a SYN in SYN-RECEIVED
 * gets our SYN-ACK again (tcp_check_req()), the RFC's in-window-SYN reset
 * being covered by the challenge ACK in synchronized states; a RST in
 * TIME-WAIT ends it (RFC 9293; RFC 1337's alternative of ignoring it is
 * the caller's, by not feeding it); shutdown(SHUT_WR) in SYN-SENT aborts
 * the attempt (inet_shutdown()).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <kunit/visibility.h>

#include "tcp_state.h"

#define NS_TCPF(s)	BIT(NS_TCP_##s)

/* States in which both sides' sequence numbers are known (RFC 9293 3.5). */
#define NS_TCPF_SYNCHRONIZED	(NS_TCPF(ESTABLISHED) | NS_TCPF(FIN_WAIT_1) | \
				 NS_TCPF(FIN_WAIT_2) | NS_TCPF(CLOSE_WAIT) | \
				 NS_TCPF(CLOSING) | NS_TCPF(LAST_ACK) | \
				 NS_TCPF(TIME_WAIT))

/* Synchronized states in which the user may still have data to lose. */
#define NS_TCPF_OPEN		(NS_TCPF(ESTABLISHED) | NS_TCPF(FIN_WAIT_1) | \
				 NS_TCPF(FIN_WAIT_2) | NS_TCPF(CLOSE_WAIT))

static enum ns_tcp_state ns_tcp_go(enum ns_tcp_state next, unsigned int act,
				   unsigned int *actions)
{
	*actions = act;
	return next;
}

/* close() and shutdown(SHUT_WR) where a FIN is due. */
static enum ns_tcp_state ns_tcp_send_fin(enum ns_tcp_state state,
					 unsigned int *actions)
{
	switch (state) {
	case NS_TCP_SYN_RECEIVED:
	case NS_TCP_ESTABLISHED:
		return ns_tcp_go(NS_TCP_FIN_WAIT_1, NS_TCP_ACT_SEND_FIN, actions);
	case NS_TCP_CLOSE_WAIT:
		return ns_tcp_go(NS_TCP_LAST_ACK, NS_TCP_ACT_SEND_FIN, actions);
	default:
		return state;
	}
}

/* An acceptable RST (3.10.7.2 for SYN-SENT, 3.10.7.4 "second"). */
static enum ns_tcp_state ns_tcp_reset(enum ns_tcp_state state, bool passive,
				      unsigned int *actions)
{
	switch (state) {
	case NS_TCP_SYN_SENT:
		return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_ERR_REFUSED |
				 NS_TCP_ACT_DELETE_TCB, actions);
	case NS_TCP_SYN_RECEIVED:
		if (passive)
			return NS_TCP_LISTEN;
		return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_ERR_REFUSED |
				 NS_TCP_ACT_DELETE_TCB, actions);
	case NS_TCP_ESTABLISHED:
	case NS_TCP_FIN_WAIT_1:
	case NS_TCP_FIN_WAIT_2:
		return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_ERR_RESET |
				 NS_TCP_ACT_DELETE_TCB, actions);
	case NS_TCP_CLOSE_WAIT:
		return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_ERR_PIPE |
				 NS_TCP_ACT_DELETE_TCB, actions);
	case NS_TCP_CLOSING:
	case NS_TCP_LAST_ACK:
	case NS_TCP_TIME_WAIT:
		return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_DELETE_TCB, actions);
	default:
		return state;	/* LISTEN ignores resets (3.10.7.2) */
	}
}

/**
 * ns_tcp_state_step() - advance a connection's state machine by one event
 * @state: the current state
 * @ev: what happened; a segment's parts in RFC 9293's order, one by one
 * @passive: the connection came from a passive open (LISTEN); looked at
 *	only in SYN-RECEIVED
 * @actions: set to a mask of enum ns_tcp_action for the caller, 0 when
 *	the pair is not a transition of the machine
 *
 * The transitions are listed atop tcp_state.c. A pair not listed there
 * returns @state unchanged with no actions.
 *
 * Return: the next state.
 */
enum ns_tcp_state ns_tcp_state_step(enum ns_tcp_state state,
				    enum ns_tcp_event ev, bool passive,
				    unsigned int *actions)
{
	unsigned long sf;

	*actions = 0;
	if (state < NS_TCP_STATE_FIRST || state > NS_TCP_STATE_LAST)
		return state;
	sf = BIT(state);

	switch (ev) {
	case NS_TCP_EV_ACTIVE_OPEN:
		if (state == NS_TCP_CLOSED)
			return ns_tcp_go(NS_TCP_SYN_SENT, NS_TCP_ACT_SEND_SYN,
					 actions);
		break;

	case NS_TCP_EV_PASSIVE_OPEN:
		if (state == NS_TCP_CLOSED)
			return NS_TCP_LISTEN;
		break;

	case NS_TCP_EV_CLOSE:
		if (sf & (NS_TCPF(LISTEN) | NS_TCPF(SYN_SENT)))
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_DELETE_TCB,
					 actions);
		return ns_tcp_send_fin(state, actions);

	case NS_TCP_EV_SHUTDOWN_WR:
		if (state == NS_TCP_SYN_SENT)
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_ERR_RESET |
					 NS_TCP_ACT_DELETE_TCB, actions);
		return ns_tcp_send_fin(state, actions);

	case NS_TCP_EV_ABORT:
		/* 3.10.5: a reset only where the peer holds a connection */
		if (sf & (NS_TCPF(SYN_RECEIVED) | NS_TCPF_OPEN))
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_SEND_RST |
					 NS_TCP_ACT_DELETE_TCB, actions);
		if (state != NS_TCP_CLOSED)
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_DELETE_TCB,
					 actions);
		break;

	case NS_TCP_EV_SYN:
		if (sf & (NS_TCPF(LISTEN) | NS_TCPF(SYN_SENT) |
			  NS_TCPF(SYN_RECEIVED)))
			return ns_tcp_go(NS_TCP_SYN_RECEIVED,
					 NS_TCP_ACT_SEND_SYN_ACK, actions);
		if (sf & NS_TCPF_SYNCHRONIZED)		/* challenge ACK */
			return ns_tcp_go(state, NS_TCP_ACT_SEND_ACK, actions);
		break;

	case NS_TCP_EV_SYN_ACK:
		if (state == NS_TCP_SYN_SENT)
			return ns_tcp_go(NS_TCP_ESTABLISHED, NS_TCP_ACT_SEND_ACK |
					 NS_TCP_ACT_CONNECTED, actions);
		if (state == NS_TCP_SYN_RECEIVED)	/* simultaneous open */
			return ns_tcp_go(NS_TCP_ESTABLISHED,
					 NS_TCP_ACT_CONNECTED, actions);
		if (sf & NS_TCPF_SYNCHRONIZED)
			return ns_tcp_go(state, NS_TCP_ACT_SEND_ACK, actions);
		break;

	case NS_TCP_EV_ACK_OF_SYN:
		if (state == NS_TCP_SYN_RECEIVED)
			return ns_tcp_go(NS_TCP_ESTABLISHED,
					 NS_TCP_ACT_CONNECTED, actions);
		break;

	case NS_TCP_EV_ACK_OF_FIN:
		if (state == NS_TCP_FIN_WAIT_1)
			return NS_TCP_FIN_WAIT_2;
		if (state == NS_TCP_CLOSING)
			return ns_tcp_go(NS_TCP_TIME_WAIT, NS_TCP_ACT_TIME_WAIT,
					 actions);
		if (state == NS_TCP_LAST_ACK)
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_DELETE_TCB,
					 actions);
		break;

	case NS_TCP_EV_BAD_ACK:
		if (sf & (NS_TCPF(LISTEN) | NS_TCPF(SYN_SENT) |
			  NS_TCPF(SYN_RECEIVED)))
			return ns_tcp_go(state, NS_TCP_ACT_SEND_RST, actions);
		if (sf & NS_TCPF_SYNCHRONIZED)
			return ns_tcp_go(state, NS_TCP_ACT_SEND_ACK, actions);
		break;

	case NS_TCP_EV_FIN:
		switch (state) {
		case NS_TCP_ESTABLISHED:
			return ns_tcp_go(NS_TCP_CLOSE_WAIT, NS_TCP_ACT_SEND_ACK,
					 actions);
		case NS_TCP_FIN_WAIT_1:			/* simultaneous close */
			return ns_tcp_go(NS_TCP_CLOSING, NS_TCP_ACT_SEND_ACK,
					 actions);
		case NS_TCP_FIN_WAIT_2:
		case NS_TCP_TIME_WAIT:			/* restarts 2 MSL */
			return ns_tcp_go(NS_TCP_TIME_WAIT, NS_TCP_ACT_SEND_ACK |
					 NS_TCP_ACT_TIME_WAIT, actions);
		case NS_TCP_CLOSE_WAIT:			/* a FIN resent */
		case NS_TCP_CLOSING:
		case NS_TCP_LAST_ACK:
			return ns_tcp_go(state, NS_TCP_ACT_SEND_ACK, actions);
		default:
			break;
		}
		break;

	case NS_TCP_EV_RST:
		return ns_tcp_reset(state, passive, actions);

	case NS_TCP_EV_RETRANS_LIMIT:
		if (state == NS_TCP_SYN_RECEIVED && passive)
			return NS_TCP_LISTEN;
		if (sf & (NS_TCPF(SYN_SENT) | NS_TCPF(SYN_RECEIVED) |
			  (NS_TCPF_SYNCHRONIZED & ~NS_TCPF(TIME_WAIT))))
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_ERR_TIMEDOUT |
					 NS_TCP_ACT_DELETE_TCB, actions);
		break;

	case NS_TCP_EV_FIN_WAIT_2_TIMEOUT:
		if (state == NS_TCP_FIN_WAIT_2)
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_DELETE_TCB,
					 actions);
		break;

	case NS_TCP_EV_TIME_WAIT_EXPIRED:
		if (state == NS_TCP_TIME_WAIT)
			return ns_tcp_go(NS_TCP_CLOSED, NS_TCP_ACT_DELETE_TCB,
					 actions);
		break;

	default:
		break;
	}
	return state;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_state_step);

/**
 * ns_tcp_state_errno() - the error a step asks to report to the user
 * @actions: a mask returned by ns_tcp_state_step()
 *
 * Return: -ECONNREFUSED, -ECONNRESET, -EPIPE or -ETIMEDOUT (the caller
 * stores its negation in sk->sk_err), or 0 when @actions reports none.
 */
int ns_tcp_state_errno(unsigned int actions)
{
	if (actions & NS_TCP_ACT_ERR_REFUSED)
		return -ECONNREFUSED;
	if (actions & NS_TCP_ACT_ERR_RESET)
		return -ECONNRESET;
	if (actions & NS_TCP_ACT_ERR_PIPE)
		return -EPIPE;
	if (actions & NS_TCP_ACT_ERR_TIMEDOUT)
		return -ETIMEDOUT;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_state_errno);

/**
 * ns_tcp_state_name() - a state's name as nsctl and /proc print it
 * @state: enum ns_tcp_state
 *
 * The names are those of ss(8), CLOSED included ("UNCONN"), so that the
 * two tools' listings read alike.
 *
 * Return: the name, "?" for a value that is no state.
 */
const char *ns_tcp_state_name(int state)
{
	static const char *const names[] = {
		[NS_TCP_ESTABLISHED] = "ESTAB",
		[NS_TCP_SYN_SENT] = "SYN-SENT",
		[NS_TCP_SYN_RECEIVED] = "SYN-RECV",
		[NS_TCP_FIN_WAIT_1] = "FIN-WAIT-1",
		[NS_TCP_FIN_WAIT_2] = "FIN-WAIT-2",
		[NS_TCP_TIME_WAIT] = "TIME-WAIT",
		[NS_TCP_CLOSED] = "UNCONN",
		[NS_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[NS_TCP_LAST_ACK] = "LAST-ACK",
		[NS_TCP_LISTEN] = "LISTEN",
		[NS_TCP_CLOSING] = "CLOSING",
	};

	if (state < 0 || state >= ARRAY_SIZE(names) || !names[state])
		return "?";
	return names[state];
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_state_name);
