// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_keepalive.c - giving up on a silent peer.
 *
 * Keepalive (RFC 1122 4.2.3.6, with Linux's semantics): with SO_KEEPALIVE,
 * in ESTABLISHED, CLOSE-WAIT and FIN-WAIT-2, once nothing has been
 * received for TCP_KEEPIDLE seconds and nothing is in flight, a probe
 * <SEQ=SND.UNA-1><ACK> (old data: the peer must answer) goes every
 * TCP_KEEPINTVL seconds; any segment received answers them all; after
 * TCP_KEEPCNT unanswered probes the connection is reset and ends with
 * ETIMEDOUT. With TCP_USER_TIMEOUT set, that timeout replaces the count:
 * the connection ends once it has been silent that long and at least one
 * probe went unanswered.
 *
 * TCP_USER_TIMEOUT (RFC 5482, Linux's semantics): data, a SYN or zero-
 * window probes left unacknowledged for that many milliseconds end the
 * connection with ETIMEDOUT, before tcp_retries2 would; the retransmission
 * timer is clamped so that it fires then.
 *
 * The keepalive timer (tcp_conn.c) only sets NS_TCP_EV_BIT_KEEPALIVE; the
 * connection's work then calls ns_tcp_keepalive_timeout(). The timer is
 * not moved by every segment received: it looks at @rcv_tstamp when it
 * fires and sleeps again for what is left.
 */
#include <kunit/visibility.h>
#include <net/tcp_states.h>

#include "tcp.h"
#include "tcp_keepalive.h"

/**
 * ns_tcp_keepalive_decide() - the keepalive timer's decision
 * @f: what it knows
 * @next: set to when to look again, for WAIT and PROBE
 *
 * Return: enum ns_tcp_keepalive_action.
 */
enum ns_tcp_keepalive_action
ns_tcp_keepalive_decide(const struct ns_tcp_keepalive_facts *f, u32 *next)
{
	if (f->busy) {
		*next = f->keepidle;
		return NS_TCP_KEEPALIVE_WAIT;
	}
	if (f->idle < f->keepidle) {
		*next = f->keepidle - f->idle;
		return NS_TCP_KEEPALIVE_WAIT;
	}
	if (f->user_timeout ? f->idle >= f->user_timeout && f->probes :
			      f->probes >= f->keepcnt)
		return NS_TCP_KEEPALIVE_GIVE_UP;
	*next = f->keepintvl;
	return NS_TCP_KEEPALIVE_PROBE;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_keepalive_decide);

static u32 ns_tcp_keepidle_jiffies(const struct ns_tcp_sock *tp)
{
	return (tp->keepidle ?: NS_TCP_KEEPIDLE_DEFAULT) * HZ;
}

static bool ns_tcp_keepalive_state(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT2);
}

static void ns_tcp_keepalive_arm(struct sock *sk, unsigned long delay)
{
	sk_reset_timer(sk, &ns_tcp_sk(sk)->keepalive_timer, jiffies + delay);
}

/**
 * ns_tcp_keepalive_start() - the connection is established: with
 *	SO_KEEPALIVE, start watching it
 * @sk: the socket, locked
 */
void ns_tcp_keepalive_start(struct sock *sk)
{
	if (sock_flag(sk, SOCK_KEEPOPEN))
		ns_tcp_keepalive_arm(sk, ns_tcp_keepidle_jiffies(ns_tcp_sk(sk)));
}

/**
 * ns_tcp_keepalive_set() - SO_KEEPALIVE is being set (struct proto's
 *	keepalive; SOCK_KEEPOPEN changes after this)
 * @sk: the socket, locked
 * @on: the new value
 */
void ns_tcp_keepalive_set(struct sock *sk, int on)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	if (on && !sock_flag(sk, SOCK_KEEPOPEN))
		ns_tcp_keepalive_arm(sk, ns_tcp_keepidle_jiffies(tp));
	else if (!on)
		sk_stop_timer(sk, &tp->keepalive_timer);
}

/**
 * ns_tcp_keepalive_idle_changed() - TCP_KEEPIDLE changed: the first probe
 *	goes that long after the last segment received (or now, if it is past)
 * @sk: the socket, locked
 */
void ns_tcp_keepalive_idle_changed(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 idle = jiffies - tp->rcv_tstamp, when = ns_tcp_keepidle_jiffies(tp);

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		return;
	ns_tcp_keepalive_arm(sk, when > idle ? when - idle : 0);
}

/**
 * ns_tcp_keepalive_timeout() - the keepalive timer fired
 * @sk: the socket, locked
 */
void ns_tcp_keepalive_timeout(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_net *nsn;
	struct ns_tcp_keepalive_facts f;
	u32 next;

	if (timer_pending(&tp->keepalive_timer))
		return;		/* re-armed since it fired */
	if (!sock_flag(sk, SOCK_KEEPOPEN) || !ns_tcp_keepalive_state(sk))
		return;
	nsn = ns_net(sock_net(sk));
	f = (struct ns_tcp_keepalive_facts){
		.idle = jiffies - tp->rcv_tstamp,
		.keepidle = ns_tcp_keepidle_jiffies(tp),
		.keepintvl = (tp->keepintvl ?: NS_TCP_KEEPINTVL_DEFAULT) * HZ,
		.keepcnt = tp->keepcnt ?: NS_TCP_KEEPCNT_DEFAULT,
		.probes = tp->keepalive_probes,
		.user_timeout = msecs_to_jiffies(READ_ONCE(tp->user_timeout)),
		.busy = tp->snd_una != tp->snd_nxt ||
			!skb_queue_empty(&sk->sk_write_queue),
	};
	switch (ns_tcp_keepalive_decide(&f, &next)) {
	case NS_TCP_KEEPALIVE_GIVE_UP:
		ns_stat_inc(nsn, NS_STAT_TCP_KEEPALIVE_TIMEOUTS);
		ns_tcp_send_active_reset(sk);
		ns_tcp_event(sk, NS_TCP_EV_RETRANS_LIMIT);
		return;
	case NS_TCP_KEEPALIVE_PROBE:
		ns_stat_inc(nsn, NS_STAT_TCP_KEEPALIVE_PROBES);
		ns_tcp_send_probe(sk);
		tp->keepalive_probes++;
		break;
	case NS_TCP_KEEPALIVE_WAIT:
		break;
	}
	ns_tcp_keepalive_arm(sk, next);
}

/**
 * ns_tcp_user_timeout_expired() - at a retransmission (or probe) timeout:
 *	whether TCP_USER_TIMEOUT has passed since the data was first sent
 * @sk: the socket, locked; tp->retries counts the timeouts before this
 *	one of the series
 *
 * The series' start is taken at its first timeout: one RTO before it.
 *
 * Return: true when the connection must end.
 */
bool ns_tcp_user_timeout_expired(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 timeout = READ_ONCE(tp->user_timeout);

	if (!tp->retries)
		tp->rtx_start = jiffies - usecs_to_jiffies(ns_tcp_rto_current(&tp->rto));
	if (!timeout)
		return false;
	if (!time_after_eq(jiffies, tp->rtx_start + msecs_to_jiffies(timeout)))
		return false;
	ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_USER_TIMEOUTS);
	return true;
}

/**
 * ns_tcp_user_timeout_clamp() - the retransmission timer's delay, cut so
 *	that it fires when TCP_USER_TIMEOUT runs out
 * @sk: the socket, locked
 * @delay: the RTO, in jiffies
 *
 * Return: the delay to use.
 */
unsigned long ns_tcp_user_timeout_clamp(struct sock *sk, unsigned long delay)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 timeout = READ_ONCE(tp->user_timeout);
	long left;

	if (!timeout || !tp->retries)
		return delay;
	left = (long)(tp->rtx_start + msecs_to_jiffies(timeout) - jiffies);
	return clamp_t(long, left, 1, delay);
}
