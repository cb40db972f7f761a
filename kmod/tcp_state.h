/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP connection state machine of RFC 9293 (section 3.3.2, figure 5,
 * and the event processing of 3.10) as a pure function: a state and an
 * event in, the next state and what the caller must do out. Segments
 * reach it already checked and classified by the caller (sequence and
 * acknowledgment acceptability, RFC 5961 checks), so that every
 * transition can be tested in KUnit without skbs, sockets or timers.
 */
#ifndef _NETSTACK_TCP_STATE_H
#define _NETSTACK_TCP_STATE_H

#include <linux/bits.h>
#include <linux/types.h>
#include <net/tcp_states.h>

/**
 * enum ns_tcp_state - the connection states
 * @NS_TCP_ESTABLISHED: ESTABLISHED
 * @NS_TCP_SYN_SENT: SYN-SENT
 * @NS_TCP_SYN_RECEIVED: SYN-RECEIVED
 * @NS_TCP_FIN_WAIT_1: FIN-WAIT-1
 * @NS_TCP_FIN_WAIT_2: FIN-WAIT-2
 * @NS_TCP_TIME_WAIT: TIME-WAIT
 * @NS_TCP_CLOSED: CLOSED (no connection; the TCB, if any, is unused)
 * @NS_TCP_CLOSE_WAIT: CLOSE-WAIT
 * @NS_TCP_LAST_ACK: LAST-ACK
 * @NS_TCP_LISTEN: LISTEN
 * @NS_TCP_CLOSING: CLOSING
 *
 * The values are Linux's TCP_* of <net/tcp_states.h>, so that a state can
 * live in sk->sk_state and the generic stream helpers that test it with
 * TCPF_* masks (sk_stream_wait_connect() and friends) work unchanged.
 * 0 is no state.
 */
enum ns_tcp_state {
	NS_TCP_ESTABLISHED = TCP_ESTABLISHED,
	NS_TCP_SYN_SENT = TCP_SYN_SENT,
	NS_TCP_SYN_RECEIVED = TCP_SYN_RECV,
	NS_TCP_FIN_WAIT_1 = TCP_FIN_WAIT1,
	NS_TCP_FIN_WAIT_2 = TCP_FIN_WAIT2,
	NS_TCP_TIME_WAIT = TCP_TIME_WAIT,
	NS_TCP_CLOSED = TCP_CLOSE,
	NS_TCP_CLOSE_WAIT = TCP_CLOSE_WAIT,
	NS_TCP_LAST_ACK = TCP_LAST_ACK,
	NS_TCP_LISTEN = TCP_LISTEN,
	NS_TCP_CLOSING = TCP_CLOSING,
};

#define NS_TCP_STATE_FIRST	NS_TCP_ESTABLISHED	/* the lowest state value */
#define NS_TCP_STATE_LAST	NS_TCP_CLOSING		/* the highest */

/**
 * enum ns_tcp_event - what happens to a connection
 * @NS_TCP_EV_ACTIVE_OPEN: user: connect()
 * @NS_TCP_EV_PASSIVE_OPEN: user: listen()
 * @NS_TCP_EV_CLOSE: user: close() or its equivalent: no more data to send
 *	and the connection is to end. The FIN goes after queued data.
 * @NS_TCP_EV_ABORT: user: close() with SO_LINGER 0 or unread received
 *	data (RFC 2525 2.17), or a listener closing with connections pending
 * @NS_TCP_EV_SHUTDOWN_WR: user: shutdown(SHUT_WR): no more data to send,
 *	still receiving
 * @NS_TCP_EV_SYN: segment: SYN without ACK. In LISTEN a connection
 *	request, in SYN-SENT a simultaneous open, in SYN-RECEIVED the peer
 *	retransmitting its SYN; in a synchronized state any SYN the caller
 *	did not turn into something else (see ns_tcp_state_step())
 * @NS_TCP_EV_SYN_ACK: segment: SYN and an ACK that acknowledges our SYN
 *	(SND.UNA < SEG.ACK <= SND.NXT); in a synchronized state a SYN-ACK
 *	that arrives again
 * @NS_TCP_EV_ACK_OF_SYN: segment: in SYN-RECEIVED, an ACK (no SYN)
 *	acknowledging our SYN
 * @NS_TCP_EV_ACK_OF_FIN: segment: an ACK that acknowledges our FIN
 *	(SEG.ACK == SND.NXT after the FIN was sent)
 * @NS_TCP_EV_BAD_ACK: segment: an ACK that is not acceptable: any ACK in
 *	LISTEN; in SYN-SENT and SYN-RECEIVED one outside (SND.UNA, SND.NXT]
 *	(SND.UNA is still ISS); in a synchronized state one for data not yet
 *	sent (SEG.ACK > SND.NXT). Old duplicate ACKs are not bad, just old.
 * @NS_TCP_EV_FIN: segment: the peer's FIN, in sequence (the caller has
 *	processed any data before it), or a retransmission of a FIN already
 *	received
 * @NS_TCP_EV_RST: segment: an acceptable RST: in SYN-SENT one whose ACK
 *	acknowledges our SYN, otherwise one with SEG.SEQ == RCV.NXT (RFC 5961
 *	3.2; an in-window RST that is not exact earns a challenge ACK, which
 *	is the caller's)
 * @NS_TCP_EV_RETRANS_LIMIT: timer: retransmissions (or zero-window or
 *	keepalive probes) went unanswered up to the limit
 * @NS_TCP_EV_FIN_WAIT_2_TIMEOUT: timer: an orphaned connection stayed in
 *	FIN-WAIT-2 too long (Linux's tcp_fin_timeout); the caller arms it
 *	when a closed socket reaches FIN-WAIT-2
 * @NS_TCP_EV_TIME_WAIT_EXPIRED: timer: 2 MSL in TIME-WAIT are over
 * @NS_TCP_EV_COUNT: the number of events
 */
enum ns_tcp_event {
	NS_TCP_EV_ACTIVE_OPEN,
	NS_TCP_EV_PASSIVE_OPEN,
	NS_TCP_EV_CLOSE,
	NS_TCP_EV_ABORT,
	NS_TCP_EV_SHUTDOWN_WR,
	NS_TCP_EV_SYN,
	NS_TCP_EV_SYN_ACK,
	NS_TCP_EV_ACK_OF_SYN,
	NS_TCP_EV_ACK_OF_FIN,
	NS_TCP_EV_BAD_ACK,
	NS_TCP_EV_FIN,
	NS_TCP_EV_RST,
	NS_TCP_EV_RETRANS_LIMIT,
	NS_TCP_EV_FIN_WAIT_2_TIMEOUT,
	NS_TCP_EV_TIME_WAIT_EXPIRED,
	NS_TCP_EV_COUNT
};

/**
 * enum ns_tcp_action - what the caller must do after a step; several may
 * be set, and the caller carries them out in this order
 * @NS_TCP_ACT_SEND_SYN: send a SYN (ISS chosen, retransmit timer armed)
 * @NS_TCP_ACT_SEND_SYN_ACK: send (or resend) our SYN-ACK
 * @NS_TCP_ACT_SEND_ACK: send an ACK now (for a FIN, or a challenge ACK)
 * @NS_TCP_ACT_SEND_FIN: queue a FIN after any queued data and send it
 *	when the window allows
 * @NS_TCP_ACT_SEND_RST: send a RST: in reply to the segment (RFC 9293
 *	3.10.7: <SEQ=SEG.ACK> if it had an ACK, else <SEQ=0><ACK=SEG.SEQ+
 *	SEG.LEN>), or for a user abort <SEQ=SND.NXT>
 * @NS_TCP_ACT_TIME_WAIT: stop the other timers and (re)arm the 2 MSL
 *	TIME-WAIT timer
 * @NS_TCP_ACT_CONNECTED: the connection is established: wake connect(),
 *	or queue it for accept()
 * @NS_TCP_ACT_ERR_REFUSED: report ECONNREFUSED to the user (sk_err, wake)
 * @NS_TCP_ACT_ERR_RESET: report ECONNRESET
 * @NS_TCP_ACT_ERR_PIPE: report EPIPE (a reset in CLOSE-WAIT, as Linux)
 * @NS_TCP_ACT_ERR_TIMEDOUT: report ETIMEDOUT
 * @NS_TCP_ACT_DELETE_TCB: the connection is over: stop its timers, unhash
 *	it, flush its queues; the socket itself is the caller's
 *
 * At most one NS_TCP_ACT_ERR_* is set; ns_tcp_state_errno() maps it.
 */
enum ns_tcp_action {
	NS_TCP_ACT_SEND_SYN = BIT(0),
	NS_TCP_ACT_SEND_SYN_ACK = BIT(1),
	NS_TCP_ACT_SEND_ACK = BIT(2),
	NS_TCP_ACT_SEND_FIN = BIT(3),
	NS_TCP_ACT_SEND_RST = BIT(4),
	NS_TCP_ACT_TIME_WAIT = BIT(5),
	NS_TCP_ACT_CONNECTED = BIT(6),
	NS_TCP_ACT_ERR_REFUSED = BIT(7),
	NS_TCP_ACT_ERR_RESET = BIT(8),
	NS_TCP_ACT_ERR_PIPE = BIT(9),
	NS_TCP_ACT_ERR_TIMEDOUT = BIT(10),
	NS_TCP_ACT_DELETE_TCB = BIT(11),
};

#define NS_TCP_ACT_ERR_MASK	(NS_TCP_ACT_ERR_REFUSED | NS_TCP_ACT_ERR_RESET | \
				 NS_TCP_ACT_ERR_PIPE | NS_TCP_ACT_ERR_TIMEDOUT)

enum ns_tcp_state ns_tcp_state_step(enum ns_tcp_state state,
				    enum ns_tcp_event ev, bool passive,
				    unsigned int *actions);
int ns_tcp_state_errno(unsigned int actions);
const char *ns_tcp_state_name(int state);

#endif /* _NETSTACK_TCP_STATE_H */
