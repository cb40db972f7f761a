// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_conn.c - the life of a TCP connection: its work item, its timers,
 * its state changes and its end.
 *
 * Each connection (and each listener) has a work_struct on ns_tcp_wq. The
 * softirq receive path queues segments on the connection's in_queue and
 * kicks the work; timers set an event bit and kick it. The work takes the
 * socket lock, runs the events, processes a bounded batch of segments
 * (then requeues itself if more wait), sends what the window allows and
 * the ACK that is due. Socket calls take the same lock, so the work and
 * the calls never run at once on one connection. A send or receive call
 * that holds the lock processes waiting segments itself, as Linux's TCP
 * takes its backlog on release_sock(); and the work runs on the CPU of
 * the last such call, so that a reader's or a writer's TCP work is done
 * where it reads or writes, not on the CPU that the peer's packets
 * happened to arrive on.
 *
 * Timers, each stopped by ns_tcp_done() and synchronously at netns exit:
 * rtx_timer (retransmission, SYN, persist: ns_tcp_rtx_timeout()),
 * delack_timer (the delayed ACK is due: tcp_delack.c), keepalive_timer
 * (probe a silent peer: tcp_keepalive.c), sk->sk_timer (TIME-WAIT,
 * FIN-WAIT-2).
 *
 * References: a queued work item holds one, an armed timer one (as
 * sk_reset_timer() does), the connection table one while the connection
 * is hashed (from connect or SYN until it is over), the owner one (the
 * file, or for a child not yet accepted the listener's queue). A closed
 * socket whose connection goes on (FIN-WAIT, TIME-WAIT...) lives on the
 * table's reference and is freed when ns_tcp_done() unhashes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/tcp_states.h>

#include "seq.h"
#include "tcp.h"
#include "tcp_delack.h"
#include "tcp_keepalive.h"

/* Segments one work run processes before it lets others run. */
#define NS_TCP_BATCH 64

struct workqueue_struct *ns_tcp_wq;

/**
 * ns_tcp_kick() - have the connection's work run
 * @sk: the socket
 *
 * It runs on the CPU of the last send or receive call (ns_tcp_sock.user_cpu).
 *
 * Context: any.
 */
void ns_tcp_kick(struct sock *sk)
{
	int cpu = READ_ONCE(ns_tcp_sk(sk)->user_cpu);

	if (cpu < 0 || !cpu_online(cpu))
		cpu = WORK_CPU_UNBOUND;
	sock_hold(sk);
	if (!queue_work_on(cpu, ns_tcp_wq, &ns_tcp_sk(sk)->work))
		sock_put(sk);
}

/**
 * ns_tcp_msl_jiffies() - the namespace's maximum segment lifetime
 * @sk: a socket of the namespace
 *
 * Return: MSL in jiffies.
 */
u32 ns_tcp_msl_jiffies(const struct sock *sk)
{
	return msecs_to_jiffies(READ_ONCE(ns_net(sock_net(sk))->tcp.msl_ms));
}

/**
 * ns_tcp_arm_rtx() - (re)arm the retransmission timer with the current RTO
 * @sk: the socket, locked
 */
void ns_tcp_arm_rtx(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	tp->persist = false;
	sk_reset_timer(sk, &tp->rtx_timer, jiffies +
		       ns_tcp_user_timeout_clamp(sk,
						 usecs_to_jiffies(ns_tcp_rto_current(&tp->rto))));
}

/**
 * ns_tcp_stop_rtx() - stop the retransmission (or persist) timer
 * @sk: the socket, locked
 */
void ns_tcp_stop_rtx(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	tp->persist = false;
	sk_stop_timer(sk, &tp->rtx_timer);
}

/**
 * ns_tcp_arm_state_timer() - arm the TIME-WAIT / FIN-WAIT-2 timer
 * @sk: the socket, locked
 * @delay: in jiffies
 */
void ns_tcp_arm_state_timer(struct sock *sk, unsigned long delay)
{
	sk_reset_timer(sk, &sk->sk_timer, jiffies + delay);
}

static void ns_tcp_timer_event(struct sock *sk, enum ns_tcp_work_event bit)
{
	set_bit(bit, &ns_tcp_sk(sk)->events);
	ns_tcp_kick(sk);
	sock_put(sk);	/* the timer's */
}

static void ns_tcp_rtx_timer_fn(struct timer_list *t)
{
	struct ns_tcp_sock *tp = timer_container_of(tp, t, rtx_timer);

	ns_tcp_timer_event(&tp->ns.sk, NS_TCP_EV_BIT_RTX);
}

static void ns_tcp_delack_timer_fn(struct timer_list *t)
{
	struct ns_tcp_sock *tp = timer_container_of(tp, t, delack_timer);

	ns_tcp_timer_event(&tp->ns.sk, NS_TCP_EV_BIT_DELACK);
}

static void ns_tcp_keepalive_timer_fn(struct timer_list *t)
{
	struct ns_tcp_sock *tp = timer_container_of(tp, t, keepalive_timer);

	ns_tcp_timer_event(&tp->ns.sk, NS_TCP_EV_BIT_KEEPALIVE);
}

static void ns_tcp_state_timer_fn(struct timer_list *t)
{
	struct sock *sk = timer_container_of(sk, t, sk_timer);

	ns_tcp_timer_event(sk, NS_TCP_EV_BIT_STATE_TIMER);
}

/**
 * ns_tcp_set_state() - change the connection's state
 * @sk: the socket, locked
 * @state: the new state
 */
void ns_tcp_set_state(struct sock *sk, enum ns_tcp_state state)
{
	/* Not inet_sk_set_state(): its tracepoint reads struct inet_sock. */
	WRITE_ONCE(sk->sk_state, state);
}

/**
 * ns_tcp_hash() - enter a connection in the namespace's connection table
 * @sk: the socket, locked, its 4-tuple set
 *
 * Return: true, or false when another connection has the same 4-tuple.
 */
bool ns_tcp_hash(struct sock *sk)
{
	struct ns_net *nsn = ns_net(sock_net(sk));

	if (ns_conn_insert_unique(&nsn->tcp_conns, sk))
		return false;
	sock_hold(sk);	/* the table's */
	return true;
}

/**
 * ns_tcp_child_unlink() - take a child out of its listener's queues
 * @child: a connection created by a listener, locked
 *
 * Drops the queue's reference on @child (the caller holds another) and
 * the child's on the listener. Nothing when the listener let it go first.
 */
void ns_tcp_child_unlink(struct sock *child)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(child);
	struct sock *lsk = READ_ONCE(tp->listener);
	struct ns_tcp_sock *ltp;
	bool unlinked = false;

	if (!lsk)
		return;
	ltp = ns_tcp_sk(lsk);
	spin_lock_bh(&ltp->accept_lock);
	if (tp->listener == lsk) {
		list_del_init(&tp->child_node);
		if (child->sk_state == TCP_SYN_RECV)
			ltp->syn_count--;
		else
			sk_acceptq_removed(lsk);
		WRITE_ONCE(tp->listener, NULL);
		unlinked = true;
	}
	spin_unlock_bh(&ltp->accept_lock);
	if (unlinked) {
		sock_put(lsk);
		ns_tcp_orphan(child);
		sock_put(child);
	}
}

/**
 * ns_tcp_orphan() - the socket has no owner any more; its connection may
 *	go on (FIN-WAIT, TIME-WAIT...)
 * @sk: the socket, locked
 *
 * It stops holding its network namespace, as Linux's TIME-WAIT sockets
 * do not: a namespace can go away under orphans, and ns_tcp_net_exit()
 * ends them then.
 */
void ns_tcp_orphan(struct sock *sk)
{
	struct net *net = sock_net(sk);

	sock_orphan(sk);
	if (sk->sk_net_refcnt) {
		sk->sk_net_refcnt = 0;
		sock_inuse_add(net, -1);
		ns_sock_net_release(sk);
	}
}

/**
 * ns_tcp_net_exit() - end every connection of a namespace going away
 * @nsn: the instance; no socket with an owner is left in it (each holds
 *	the namespace), only orphans and the children of closed listeners
 */
void ns_tcp_net_exit(struct ns_net *nsn)
{
	struct ns_conn_table *table = &nsn->tcp_conns;
	struct sock *sk;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table->chains); i++) {
		for (;;) {
			spin_lock_bh(&table->lock);
			sk = hlist_empty(&table->chains[i]) ? NULL :
			     hlist_entry(table->chains[i].first, struct sock, sk_node);
			if (sk)
				sock_hold(sk);
			spin_unlock_bh(&table->lock);
			if (!sk)
				break;
			lock_sock(sk);
			skb_queue_purge(&ns_tcp_sk(sk)->in_queue);
			if (!hlist_unhashed(&sk->sk_node))
				ns_tcp_done(sk);
			release_sock(sk);
			timer_delete_sync(&ns_tcp_sk(sk)->rtx_timer);
			timer_delete_sync(&ns_tcp_sk(sk)->delack_timer);
			timer_delete_sync(&ns_tcp_sk(sk)->keepalive_timer);
			timer_delete_sync(&sk->sk_timer);
			sock_put(sk);
		}
	}
	/* Work already queued for them finds them CLOSED, and does nothing. */
	flush_workqueue(ns_tcp_wq);
}

/**
 * ns_tcp_done() - the connection is over (RFC 9293: delete the TCB)
 * @sk: the socket, locked; the caller holds a reference besides the
 *	table's, which this drops
 *
 * The state becomes CLOSED, timers stop, the connection leaves the table,
 * queued output and out-of-order data are freed. A port the user did not
 * bind is released (getsockname still shows it, as Linux does). A socket
 * with an owner is woken; an orphan is freed when the last reference goes.
 */
void ns_tcp_done(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_net *nsn = ns_net(sock_net(sk));
	bool hashed = !hlist_unhashed(&sk->sk_node);

	if (sk->sk_state == TCP_SYN_RECV && tp->passive)
		ns_tcp_child_unlink(sk);
	ns_tcp_set_state(sk, NS_TCP_CLOSED);
	ns_tcp_stop_rtx(sk);
	sk_stop_timer(sk, &tp->delack_timer);
	sk_stop_timer(sk, &tp->keepalive_timer);
	sk_stop_timer(sk, &sk->sk_timer);
	if (hashed)
		ns_conn_unhash(&nsn->tcp_conns, sk);
	ns_tcp_write_queue_purge(sk);
	ns_tcp_ofo_purge(&tp->ofo);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_num && (sock_flag(sk, SOCK_DEAD) ||
			   !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))) {
		tp->ns.stale_port = sk->sk_num;
		ns_port_unbind(&nsn->tcp_ports, sk);
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	if (hashed)
		sock_put(sk);
}

/* Moves a child that just got established to its listener's accept queue. */
static void ns_tcp_child_established(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sock *lsk = READ_ONCE(tp->listener);
	struct ns_tcp_sock *ltp;

	if (!lsk)
		return;
	ltp = ns_tcp_sk(lsk);
	spin_lock_bh(&ltp->accept_lock);
	if (tp->listener == lsk) {
		list_move_tail(&tp->child_node, &ltp->accept_queue);
		ltp->syn_count--;
		sk_acceptq_added(lsk);
	}
	spin_unlock_bh(&ltp->accept_lock);
	lsk->sk_data_ready(lsk);
}

/**
 * ns_tcp_event() - step the state machine and carry out what it asks
 * @sk: the socket, locked
 * @ev: the event
 *
 * Resets in reply to a segment are the caller's (it has the segment); a
 * reset this does send is an abort's, <SEQ=SND.NXT>.
 */
void ns_tcp_event(struct sock *sk, enum ns_tcp_event ev)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	enum ns_tcp_state old = sk->sk_state, next;
	unsigned int act;
	int err;

	next = ns_tcp_state_step(old, ev, tp->passive, &act);
	if (act & NS_TCP_ACT_SEND_RST && ev != NS_TCP_EV_BAD_ACK)
		ns_tcp_send_active_reset(sk);
	/* A child in SYN-RECEIVED going "back to LISTEN" simply ends. */
	if (old == NS_TCP_SYN_RECEIVED && next == NS_TCP_LISTEN) {
		ns_tcp_done(sk);
		return;
	}
	if (next != old)
		ns_tcp_set_state(sk, next);
	if (act & NS_TCP_ACT_SEND_ACK)
		ns_tcp_send_ack(sk);
	if (act & NS_TCP_ACT_SEND_FIN) {
		tp->fin_queued = true;
		ns_tcp_push(sk);
	}
	if (act & NS_TCP_ACT_TIME_WAIT) {
		ns_tcp_stop_rtx(sk);
		ns_tcp_arm_state_timer(sk, 2 * ns_tcp_msl_jiffies(sk));
	}
	if (act & NS_TCP_ACT_CONNECTED) {
		if (tp->passive)
			ns_tcp_child_established(sk);
		ns_tcp_keepalive_start(sk);
		sk->sk_state_change(sk);
		sk->sk_write_space(sk);
	}
	/*
	 * The error is reported once the connection is done with (as Linux's
	 * tcp_reset() does): a poll it wakes sees CLOSED with both
	 * directions shut, readable, not an error alone.
	 */
	err = ns_tcp_state_errno(act);
	if (err)
		WRITE_ONCE(sk->sk_err, -err);
	if (act & NS_TCP_ACT_DELETE_TCB)
		ns_tcp_done(sk);
	else if (next == NS_TCP_FIN_WAIT_2 && sock_flag(sk, SOCK_DEAD))
		ns_tcp_arm_state_timer(sk, 2 * ns_tcp_msl_jiffies(sk));
	if (err && !sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

/* The retransmission timer: SYN, SYN-ACK, data or FIN, or a window probe. */
static void ns_tcp_rtx_timeout(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_net *nsn;
	int limit;

	/* A CLOSED socket's namespace may be gone: look at the state first. */
	if (timer_pending(&tp->rtx_timer) || sk->sk_state == TCP_CLOSE)
		return;		/* re-armed since it fired, or over */
	nsn = ns_net(sock_net(sk));
	limit = READ_ONCE(nsn->tcp.retries2);
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		limit = READ_ONCE(nsn->tcp.syn_retries);
		break;
	case TCP_SYN_RECV:
		limit = READ_ONCE(nsn->tcp.synack_retries);
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		break;
	default:
		return;
	}
	if ((tp->snd_una != tp->snd_nxt || tp->persist) &&
	    ns_tcp_user_timeout_expired(sk)) {
		ns_tcp_event(sk, NS_TCP_EV_RETRANS_LIMIT);
		return;
	}
	if (tp->snd_una == tp->snd_nxt) {
		/* Nothing outstanding: the persist timer. */
		if (!tp->persist)
			return;
		if (tp->retries++ >= limit) {
			ns_tcp_event(sk, NS_TCP_EV_RETRANS_LIMIT);
			return;
		}
		ns_tcp_send_probe(sk);
		ns_tcp_rto_backoff(&tp->rto);
		ns_tcp_arm_rtx(sk);
		tp->persist = true;
		return;
	}
	if (tp->retries++ >= limit) {
		ns_tcp_event(sk, NS_TCP_EV_RETRANS_LIMIT);
		return;
	}
	ns_stat_inc(nsn, NS_STAT_TCP_TIMEOUTS);
	ns_tcp_rto_backoff(&tp->rto);
	tp->rtt_timing = false;
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV) {
		/* A SYN was lost: the data starts in one segment (RFC 5681 3.1). */
		tp->cc.cwnd = 1;
		tp->total_retrans++;
		ns_tcp_send_syn(sk);
	} else {
		ns_tcp_enter_loss(sk);
		ns_tcp_retransmit_head(sk);
	}
	ns_tcp_arm_rtx(sk);
}

static void ns_tcp_state_timeout(struct sock *sk)
{
	if (timer_pending(&sk->sk_timer))
		return;
	if (sk->sk_state == TCP_TIME_WAIT)
		ns_tcp_event(sk, NS_TCP_EV_TIME_WAIT_EXPIRED);
	else if (sk->sk_state == TCP_FIN_WAIT2)
		ns_tcp_event(sk, NS_TCP_EV_FIN_WAIT_2_TIMEOUT);
}

/* An ICMP error: fatal while opening (as Linux), remembered otherwise. */
static void ns_tcp_icmp(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int err = READ_ONCE(tp->icmp_err);

	if (sk->sk_state == TCP_SYN_SENT ||
	    (sk->sk_state == TCP_SYN_RECV && !tp->passive)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
		ns_tcp_done(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/**
 * ns_tcp_process_in_queue() - process a batch of the segments the softirq
 *	path queued
 * @sk: the socket, locked
 *
 * The work item does this, and so do socket calls that hold the lock
 * while segments wait: a sender takes the ACKs that free its buffer, a
 * reader the data it waits for, at once and without a switch to the work
 * (which, when it gets the lock, finds the queue empty).
 *
 * Return: how many segments were processed, at most NS_TCP_BATCH.
 */
int ns_tcp_process_in_queue(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb;
	int n;

	for (n = 0; n < NS_TCP_BATCH; n++) {
		skb = skb_dequeue(&tp->in_queue);
		if (!skb)
			break;
		ns_tcp_process(sk, skb);
	}
	return n;
}

static void ns_tcp_work_fn(struct work_struct *work)
{
	struct ns_tcp_sock *tp = container_of(work, struct ns_tcp_sock, work);
	struct sock *sk = &tp->ns.sk;
	unsigned long events;

	lock_sock(sk);
	events = xchg(&tp->events, 0);
	if (events & BIT(NS_TCP_EV_BIT_ABORT))
		ns_tcp_event(sk, NS_TCP_EV_ABORT);
	if (events & BIT(NS_TCP_EV_BIT_ICMP))
		ns_tcp_icmp(sk);
	if (events & BIT(NS_TCP_EV_BIT_RTX))
		ns_tcp_rtx_timeout(sk);
	if (events & BIT(NS_TCP_EV_BIT_STATE_TIMER))
		ns_tcp_state_timeout(sk);
	if (events & BIT(NS_TCP_EV_BIT_DELACK))
		ns_tcp_delack_timeout(sk);
	if (events & BIT(NS_TCP_EV_BIT_KEEPALIVE))
		ns_tcp_keepalive_timeout(sk);
	ns_tcp_process_in_queue(sk);
	ns_tcp_push(sk);
	release_sock(sk);
	if (!skb_queue_empty_lockless(&tp->in_queue))
		ns_tcp_kick(sk);
	sock_put(sk);	/* the work's */
}

/**
 * ns_tcp_listener_stop() - stop listening: the socket becomes CLOSED
 * @sk: the listener, locked
 *
 * Connections waiting in its queues are reset, by their own work items.
 */
void ns_tcp_listener_stop(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk), *child;
	struct ns_net *nsn = ns_net(sock_net(sk));
	LIST_HEAD(children);

	ns_tcp_set_state(sk, NS_TCP_CLOSED);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) || sock_flag(sk, SOCK_DEAD)) {
		tp->ns.stale_port = sk->sk_num;
		ns_port_unbind(&nsn->tcp_ports, sk);
	}
	spin_lock_bh(&tp->accept_lock);
	list_splice_init(&tp->syn_queue, &children);
	list_splice_init(&tp->accept_queue, &children);
	list_for_each_entry(child, &children, child_node)
		WRITE_ONCE(child->listener, NULL);
	tp->syn_count = 0;
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	spin_unlock_bh(&tp->accept_lock);

	while (!list_empty(&children)) {
		child = list_first_entry(&children, struct ns_tcp_sock, child_node);
		list_del_init(&child->child_node);
		lock_sock_nested(&child->ns.sk, SINGLE_DEPTH_NESTING);
		ns_tcp_orphan(&child->ns.sk);
		release_sock(&child->ns.sk);
		set_bit(NS_TCP_EV_BIT_ABORT, &child->events);
		ns_tcp_kick(&child->ns.sk);
		sock_put(sk);			/* the child's on us */
		sock_put(&child->ns.sk);	/* the queue's on the child */
	}
	sk->sk_state_change(sk);
}

/**
 * ns_tcp_conn_init() - set up the connection part of a new TCP socket
 * @sk: the socket, not yet visible to anyone
 */
void ns_tcp_conn_init(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	INIT_WORK(&tp->work, ns_tcp_work_fn);
	skb_queue_head_init(&tp->in_queue);
	tp->user_cpu = -1;
	tp->events = 0;
	timer_setup(&tp->rtx_timer, ns_tcp_rtx_timer_fn, 0);
	timer_setup(&tp->delack_timer, ns_tcp_delack_timer_fn, 0);
	timer_setup(&tp->keepalive_timer, ns_tcp_keepalive_timer_fn, 0);
	timer_setup(&sk->sk_timer, ns_tcp_state_timer_fn, 0);
	ns_tcp_rto_init(&tp->rto, jiffies_to_usecs(1));
	ns_tcp_ofo_init(&tp->ofo, sk->sk_rcvbuf);
	ns_tcp_ofo_share(&tp->ofo, &ns_net(sock_net(sk))->tcp_ofo_mem,
			 &ns_net(sock_net(sk))->tcp.ofo_mem_max);
	INIT_LIST_HEAD(&tp->child_node);
	spin_lock_init(&tp->accept_lock);
	INIT_LIST_HEAD(&tp->syn_queue);
	INIT_LIST_HEAD(&tp->accept_queue);
	tp->mss = NS_TCP_DEFAULT_MSS;
	tp->advmss = NS_TCP_DEFAULT_MSS;
	ns_tcp_cc_init(&tp->cc, READ_ONCE(ns_net(sock_net(sk))->tcp.cong));
	tp->rcv_mss = NS_TCP_DEFAULT_MSS;
	tp->quickack = NS_TCP_QUICKACK_SEGS;
}
