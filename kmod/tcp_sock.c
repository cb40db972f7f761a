// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_sock.c - the calls of a TCP socket: connect, listen, accept, send,
 * receive, poll, shutdown, close and the TCP-level options, with the
 * errnos, blocking and wake-ups of Linux's TCP (net/ipv4/af_inet.c and
 * tcp.c are the reference for each corner; the userspace tests check them
 * against Linux itself).
 *
 * Each call holds the socket lock, which keeps the connection's work out
 * (tcp_conn.c); a call that waits releases it (sk_wait_event()) and the
 * work moves the connection on meanwhile. Data the user sends goes out at
 * once when the window allows, from the call itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>
#include <asm/ioctls.h>
#include <linux/poll.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "seq.h"
#include "tcp.h"
#include "tcp_isn.h"
#include "tcp_keepalive.h"
#include "tcp_rcvbuf.h"
#include "tcp_window.h"

/* TCP_MAXSEG's range (Linux's TCP_MIN_MSS and MAX_TCP_WINDOW). */
enum {
	NS_TCP_USER_MSS_MIN = 88,
	NS_TCP_USER_MSS_MAX = 32767,
};

/**
 * ns_tcp_readable() - bytes received in order and not yet read
 * @sk: the socket
 *
 * Return: the count, the FIN not included.
 */
u32 ns_tcp_readable(const struct sock *sk)
{
	const struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 end = READ_ONCE(tp->rcv_nxt) - (sock_flag(sk, SOCK_DONE) ? 1 : 0);

	if (sk->sk_state == TCP_LISTEN || sk->sk_state == TCP_SYN_SENT ||
	    (sk->sk_state == TCP_CLOSE && skb_queue_empty_lockless(&sk->sk_receive_queue)))
		return 0;
	return ns_seq_after(end, READ_ONCE(tp->copied_seq)) ? end - tp->copied_seq : 0;
}

/* Acknowledged data freed room: wake writers once a useful amount is free. */
static void ns_tcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

static void ns_tcp_destruct(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	skb_queue_purge(&tp->in_queue);
	ns_tcp_write_queue_purge(sk);
	ns_tcp_ofo_purge(&tp->ofo);
	ns_sock_destruct(sk);
}

static int ns_tcp_init_sock(struct sock *sk)
{
	struct net *net = sock_net(sk);

	sk->sk_rcvbuf = READ_ONCE(net->ipv4.sysctl_tcp_rmem[1]);
	sk->sk_sndbuf = READ_ONCE(net->ipv4.sysctl_tcp_wmem[1]);
	sk->sk_write_space = ns_tcp_write_space;
	sk->sk_destruct = ns_tcp_destruct;
	ns_tcp_conn_init(sk);
	return 0;
}

/* Linux's tcp_need_reset(): the states where an abort tells the peer. */
static bool ns_tcp_need_reset(int state)
{
	return (1 << state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
			       TCPF_FIN_WAIT2 | TCPF_SYN_RECV);
}

/* Forget the connection: connect(AF_UNSPEC), shutdown of a connect. */
static int ns_tcp_disconnect(struct sock *sk, int flags)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int old = sk->sk_state;

	if (old == TCP_LISTEN) {
		ns_tcp_listener_stop(sk);
	} else if (old != TCP_CLOSE) {
		if (ns_tcp_need_reset(old))
			ns_tcp_send_active_reset(sk);
		if (ns_tcp_need_reset(old) || old == TCP_SYN_SENT)
			WRITE_ONCE(sk->sk_err, ECONNRESET);
		ns_tcp_done(sk);
	}
	skb_queue_purge(&sk->sk_receive_queue);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		WRITE_ONCE(sk->sk_rcv_saddr, 0);
		tp->ns.saddr = 0;
	}
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	tp->fin_queued = false;
	tp->ca_state = NS_TCP_CA_OPEN;
	tp->dupacks = 0;
	ns_tcp_cc_init(&tp->cc, tp->cc.ops);
	tp->total_retrans = 0;
	tp->bytes_acked = 0;
	tp->bytes_received = 0;
	tp->retries = 0;
	tp->rcv_wscale = 0;
	tp->snd_wscale = 0;
	ns_tcp_rto_init(&tp->rto, jiffies_to_usecs(1));
	sk_error_report(sk);
	return 0;
}

/* The active open: route, source, port, 4-tuple, then the SYN. */
static int ns_tcp_v4_connect(struct sock *sk, struct sockaddr_unsized *uaddr,
			     int addr_len)
{
	DECLARE_SOCKADDR(struct sockaddr_ns *, addr, uaddr);
	struct ns_net *nsn = ns_net(sock_net(sk));
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	__be32 daddr, saddr = tp->ns.saddr;
	bool broadcast, autobound = false;
	int err;

	if (addr_len < sizeof(*addr))
		return -EINVAL;
	if (!ns_af_family_accepted(addr->sns_family))
		return -EAFNOSUPPORT;
	daddr = addr->sns_addr.s_addr;
	if (ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr))
		return -ENETUNREACH;
	err = ns_ipv4_route_output(nsn, daddr, &saddr, &broadcast);
	if (err)
		return err;
	if (broadcast)
		return -ENETUNREACH;
	if (!sk->sk_num) {
		if (ns_port_bind(&nsn->tcp_ports, sk, 0))
			return -EADDRNOTAVAIL;
		autobound = true;
		tp->ns.stale_port = 0;
	}
	spin_lock_bh(&nsn->tcp_ports.lock);
	if (!sk->sk_rcv_saddr)
		sk->sk_rcv_saddr = saddr;
	spin_unlock_bh(&nsn->tcp_ports.lock);
	tp->ns.saddr = sk->sk_rcv_saddr;
	sk->sk_daddr = daddr;
	sk->sk_dport = addr->sns_port;
	if (!ns_tcp_hash(sk)) {
		sk->sk_daddr = 0;
		sk->sk_dport = 0;
		if (autobound)
			ns_port_unbind(&nsn->tcp_ports, sk);
		return -EADDRNOTAVAIL;
	}

	tp->passive = false;
	tp->advmss = ns_tcp_mss_for(nsn, daddr);
	if (tp->user_mss && tp->user_mss < tp->advmss)
		tp->advmss = tp->user_mss;
	tp->mss = tp->advmss;
	tp->iss = ns_tcp_isn(sk->sk_rcv_saddr, htons(sk->sk_num), daddr, sk->sk_dport);
	tp->snd_una = tp->iss;
	tp->snd_nxt = tp->iss;
	tp->write_seq = tp->iss + 1;
	tp->snd_wnd = 0;
	tp->rcv_nxt = 0;
	tp->rcv_adv = 0;
	tp->retries = 0;
	tp->fin_queued = false;
	tp->rtt_timing = false;
	ns_tcp_set_state(sk, NS_TCP_SYN_SENT);
	ns_stat_inc(nsn, NS_STAT_TCP_ACTIVE_OPENS);
	ns_tcp_send_syn(sk);
	return 0;
}

/* Wait while the handshake is on; the time left. */
static long ns_tcp_wait_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		sk_wait_event(sk, &timeo, !((1 << sk->sk_state) &
					    (TCPF_SYN_SENT | TCPF_SYN_RECV)), &wait);
		if (signal_pending(current) || !timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return timeo;
}

/* connect(2), with the states of Linux's inet_stream_connect(). */
static int ns_tcp_connect(struct socket *sock, struct sockaddr_unsized *uaddr,
			  int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		err = ns_tcp_disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		goto out;
	}
	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = ns_tcp_v4_connect(sk, uaddr, addr_len);
		if (err < 0)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!timeo)
			goto out;
		timeo = ns_tcp_wait_connect(sk, timeo);
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
			if (signal_pending(current))
				err = sock_intr_errno(timeo);
			goto out;
		}
	}
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* listen(2): binds an ephemeral port if unbound; backlog may change. */
static int ns_tcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct ns_port_table *ports = ns_sock_ports(sk);
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED ||
	    (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN))
		goto out;
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (sk->sk_state == TCP_CLOSE) {
		if (!sk->sk_num) {
			err = ns_port_bind(ports, sk, 0);
			if (err)
				goto out;
			ns_sk(sk)->stale_port = 0;
		}
		ns_tcp_set_state(sk, NS_TCP_LISTEN);
		err = ns_port_check_listen(ports, sk);
		if (err) {
			ns_tcp_set_state(sk, NS_TCP_CLOSED);
			goto out;
		}
		WRITE_ONCE(sk->sk_ack_backlog, 0);
		WRITE_ONCE(sk->sk_shutdown, 0);
	}
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* accept(2): the oldest established connection, waiting if none is. */
static int ns_tcp_accept(struct socket *sock, struct socket *newsock,
			 struct proto_accept_arg *arg)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk, *child = NULL;
	struct ns_tcp_sock *tp = ns_tcp_sk(sk), *ctp;
	long timeo;
	int err = 0;

	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, arg->flags & O_NONBLOCK);
	add_wait_queue(sk_sleep(sk), &wait);
	for (;;) {
		if (sk->sk_state != TCP_LISTEN) {
			err = -EINVAL;
			break;
		}
		spin_lock_bh(&tp->accept_lock);
		ctp = list_first_entry_or_null(&tp->accept_queue, struct ns_tcp_sock,
					       child_node);
		if (ctp) {
			list_del_init(&ctp->child_node);
			WRITE_ONCE(ctp->listener, NULL);
			sk_acceptq_removed(sk);
			child = &ctp->ns.sk;
		}
		spin_unlock_bh(&tp->accept_lock);
		if (child)
			break;
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		sk_wait_event(sk, &timeo, sk->sk_state != TCP_LISTEN ||
			      !list_empty(&tp->accept_queue), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	release_sock(sk);
	if (!child)
		return err;

	sock_put(sk);	/* the child's reference on its listener */
	lock_sock(child);
	sock_graft(child, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(child);
	sock_prot_inuse_add(sock_net(child), child->sk_prot, 1);
	return 0;
}

NS_COMPAT_ACCEPT(ns_tcp_accept);

/* Poll as Linux's tcp_poll() reports. */
static __poll_t ns_tcp_poll(struct file *file, struct socket *sock,
			    poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int state = inet_sk_state_load(sk);
	u8 shutdown;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (state == TCP_LISTEN)
		return list_empty_careful(&tp->accept_queue) ? 0 : EPOLLIN | EPOLLRDNORM;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && (state != TCP_SYN_RECV || !tp->passive)) {
		if (ns_tcp_readable(sk) >= max_t(int, READ_ONCE(sk->sk_rcvlowat), 1))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* Set NOSPACE before looking again: pairs with the
				 * write-space wake-up after an ACK freed room.
				 */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* See an error set before the state change that woke us. */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) || !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

/* Grow the send buffer with the peer's window (unless SO_SNDBUF set it). */
static void ns_tcp_sndbuf_expand(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int max = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_wmem[2]);
	u64 want = 4ULL * max_t(u32, tp->snd_wnd, 64 * 1024);

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	if (want > sk->sk_sndbuf)
		WRITE_ONCE(sk->sk_sndbuf, min_t(u64, want, max));
}

/* A new write-queue segment, empty, its data to come in page fragments. */
static struct sk_buff *ns_tcp_alloc_segment(struct sock *sk)
{
	/* A head for the headers only (clones sent push theirs into it). */
	struct sk_buff *skb = alloc_skb(NS_TCP_MAX_HEADER, sk->sk_allocation);

	if (!skb)
		return NULL;
	skb_reserve(skb, NS_TCP_MAX_HEADER);
	__skb_header_release(skb);
	ns_tcp_skb_cb_set(skb, ns_tcp_sk(sk)->write_seq, false);
	return skb;
}

/*
 * Append up to @size bytes from @msg to the write queue; bytes taken.
 *
 * They are copied in one go into the socket's page_frag, as much as its
 * page has room for (Linux's TCP copies so too), then shared out: first
 * to the last queued segment if it is not sent yet and shorter than an
 * MSS, then to new segments of an MSS each. The segments refer to the
 * page (clones sent share it, and a receiver can merge such segments).
 */
static int ns_tcp_queue_data(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct page_frag *pfrag = sk_page_frag(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	unsigned int copied, taken = 0, n;

	if (!sk_page_frag_refill(sk, pfrag))
		return -ENOBUFS;
	copied = copy_from_iter(page_address(pfrag->page) + pfrag->offset,
				min_t(size_t, size, pfrag->size - pfrag->offset),
				&msg->msg_iter);
	if (!copied)
		return -EFAULT;
	/* Room at the tail of a segment not yet sent? */
	if (skb && ns_seq_after_eq(NS_TCP_SKB_CB(skb)->seq, tp->snd_nxt) &&
	    skb->len < tp->mss) {
		n = min_t(unsigned int, copied, tp->mss - skb->len);
		if (ns_tcp_skb_attach(skb, pfrag->page, pfrag->offset, n)) {
			NS_TCP_SKB_CB(skb)->end_seq += n;
			tp->write_seq += n;
			sk_wmem_queued_add(sk, n);
			taken = n;
		}
	}
	while (taken < copied) {
		skb = ns_tcp_alloc_segment(sk);
		if (!skb)
			break;
		n = min_t(unsigned int, copied - taken, tp->mss);
		ns_tcp_skb_attach(skb, pfrag->page, pfrag->offset + taken, n);
		NS_TCP_SKB_CB(skb)->end_seq += n;
		__skb_queue_tail(&sk->sk_write_queue, skb);
		if (!tp->send_head)
			tp->send_head = skb;
		sk_wmem_queued_add(sk, skb->truesize);
		tp->write_seq += n;
		taken += n;
	}
	pfrag->offset += taken;
	/* What was copied and not taken is given back to @msg. */
	iov_iter_revert(&msg->msg_iter, copied - taken);
	return taken ?: -ENOBUFS;
}

/* A write this long is pushed as it is copied, not only at its end. */
#define NS_TCP_SENDMSG_PUSH_BYTES	(64 * 1024)

/*
 * send(2) and friends, and what splice(2) and sendfile(2) hand a socket:
 * from 6.5 on they come here with MSG_SPLICE_PAGES and a bvec iterator
 * over the pipe's pages; on older kernels proto_ops.sendpage is unset, so
 * sock_no_sendpage() calls here with the page in a kvec. Either way the
 * bytes are copied from the iterator like any other write
 * (MSG_SPLICE_PAGES allows the pages to be referenced instead; netstack
 * does not, yet).
 */
static int ns_tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int flags = msg->msg_flags, copied = 0, err, n;
	u32 pushed_seq;
	long timeo;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	WRITE_ONCE(tp->user_cpu, raw_smp_processor_id());
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto error;
	}
	ns_tcp_sndbuf_expand(sk);
	pushed_seq = tp->write_seq;
	while (msg_data_left(msg)) {
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto error;
		if (!sk_stream_memory_free(sk)) {
			ns_tcp_process_in_queue(sk);
			ns_tcp_push(sk);
			if (sk_stream_memory_free(sk))
				continue;
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			err = sk_stream_wait_memory(sk, &timeo);
			if (err)
				goto error;
			continue;
		}
		n = ns_tcp_queue_data(sk, msg, msg_data_left(msg));
		if (n < 0) {
			err = n;
			goto error;
		}
		copied += n;
		/*
		 * A long write starts going out before it is all copied, a
		 * GSO packet's worth at a time: a push per segment would
		 * send each on its own.
		 */
		if (tp->write_seq - pushed_seq >= NS_TCP_SENDMSG_PUSH_BYTES) {
			ns_tcp_process_in_queue(sk);
			ns_tcp_push(sk);
			pushed_seq = tp->write_seq;
		}
	}
	ns_tcp_push(sk);
	release_sock(sk);
	return copied;

error:
	ns_tcp_push(sk);
	if (!copied)
		copied = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return copied;
}

static int ns_tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			  int flags)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	bool peek = flags & MSG_PEEK;
	u32 peek_seq, *seq;
	struct sk_buff *skb;
	int copied = 0, target, err;
	long timeo;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	WRITE_ONCE(tp->user_cpu, raw_smp_processor_id());
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = tp->copied_seq;
	seq = peek ? &peek_seq : &tp->copied_seq;

	while (copied < len) {
		u32 offset, avail;
		bool found = false;

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

			if (ns_seq_before_eq(cb->seq + skb->len, *seq))
				continue;
			offset = *seq - cb->seq;
			avail = min_t(size_t, skb->len - offset, len - copied);
			err = skb_copy_datagram_msg(skb, offset, msg, avail);
			if (err) {
				if (!copied)
					copied = -EFAULT;
				goto out;
			}
			*seq += avail;
			copied += avail;
			found = true;
			break;
		}
		if (found) {
			/* Free what has been read in full. */
			while (!peek && (skb = skb_peek(&sk->sk_receive_queue)) &&
			       ns_seq_before_eq(NS_TCP_SKB_CB(skb)->seq + skb->len,
						tp->copied_seq)) {
				skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);
			}
			continue;
		}
		if (ns_tcp_process_in_queue(sk)) {
			ns_tcp_push(sk);
			continue;
		}
		if (copied >= target)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		if (!peek)
			ns_tcp_window_update(sk);
		sk_wait_data(sk, &timeo, NULL);
	}
	if (!peek && copied > 0) {
		ns_tcp_rcvbuf_tune(sk);
		ns_tcp_window_update(sk);
	}
out:
	release_sock(sk);
	return copied;
}

/* shutdown(SHUT_WR) and the like: the FIN after queued data. */
static void ns_tcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_RECV | TCPF_CLOSE_WAIT))
		ns_tcp_event(sk, NS_TCP_EV_SHUTDOWN_WR);
}

static int ns_tcp_shutdown_op(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;	/* SHUT_RD, SHUT_WR, SHUT_RDWR become 1, 2, 3 */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		fallthrough;	/* the directions are shut all the same, as Linux */
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		ns_tcp_shutdown(sk, how);
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		fallthrough;
	case TCP_SYN_SENT:
		err = ns_tcp_disconnect(sk, O_NONBLOCK);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/*
 * Socket locked. close(2) with SO_LINGER: wait up to @timeout while our
 * FIN is not yet acknowledged (FIN-WAIT-1, CLOSING, LAST-ACK), or until a
 * signal. (Linux's TCP has sk_stream_wait_close() for this; 7.x no longer
 * exports it.)
 */
static void ns_tcp_wait_close(struct sock *sk, long timeout)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	do {
		if (sk_wait_event(sk, &timeout,
				  !((1 << READ_ONCE(sk->sk_state)) &
				    (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)),
				  &wait))
			break;
	} while (!signal_pending(current) && timeout);
	remove_wait_queue(sk_sleep(sk), &wait);
}

/* close(2): FIN, or RST when data was left unread or SO_LINGER is {1, 0}. */
static void ns_tcp_close(struct sock *sk, long timeout)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	bool unread;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN) {
		ns_tcp_listener_stop(sk);
	} else if (sk->sk_state != TCP_CLOSE) {
		unread = ns_tcp_readable(sk) > 0;
		skb_queue_purge(&sk->sk_receive_queue);
		if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime))
			ns_tcp_event(sk, NS_TCP_EV_ABORT);
		else
			ns_tcp_event(sk, NS_TCP_EV_CLOSE);
		if (timeout)
			ns_tcp_wait_close(sk, timeout);
	}
	ns_tcp_orphan(sk);
	if (sk->sk_state == TCP_CLOSE)
		ns_port_unbind(&nsn->tcp_ports, sk);
	else if (sk->sk_state == TCP_FIN_WAIT2)
		ns_tcp_arm_state_timer(sk, 2 * ns_tcp_msl_jiffies(sk));
	skb_queue_purge(&sk->sk_receive_queue);
	release_sock(sk);
	sock_put(sk);
}

static int ns_tcp_ioctl(struct sock *sk, int cmd, int *karg)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = ns_tcp_readable(sk);
		release_sock(sk);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE) ?
		       0 : READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE) ?
		       0 : READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_nxt);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	*karg = answ;
	return 0;
}

static int ns_tcp_ioctl_op(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return ns_sock_ioctl(sock->sk, cmd, arg, ns_tcp_ioctl);
}

/* Send queued partial segments now, whatever Nagle says (uncork, nodelay). */
static void ns_tcp_push_now(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	tp->nagle_push = true;
	ns_tcp_push(sk);
	tp->nagle_push = false;
}

/* The TCP-level options: Nagle and cork, keepalive, timeouts, MSS;
 * TCP_CONGESTION.
 */
static int ns_tcp_setsockopt(struct socket *sock, int level, int optname,
			     sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int val;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION)
		return ns_tcp_set_congestion(sk, optval, optlen);
	switch (optname) {
	case TCP_NODELAY:
	case TCP_CORK:
	case TCP_MAXSEG:
	case TCP_USER_TIMEOUT:
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		tp->nodelay = !!val;
		if (val)
			ns_tcp_push_now(sk);
		break;
	case TCP_CORK:
		tp->cork = !!val;
		if (!val)
			ns_tcp_push_now(sk);
		break;
	case TCP_MAXSEG:
		/* Takes effect at connect() or listen(), as Linux. */
		if (val && (val < NS_TCP_USER_MSS_MIN || val > NS_TCP_USER_MSS_MAX))
			goto inval;
		tp->user_mss = val;
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			goto inval;
		WRITE_ONCE(tp->user_timeout, val);
		break;
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE)
			goto inval;
		tp->keepidle = val;
		ns_tcp_keepalive_idle_changed(sk);
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			goto inval;
		tp->keepintvl = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			goto inval;
		tp->keepcnt = val;
		break;
	}
	release_sock(sk);
	return 0;
inval:
	release_sock(sk);
	return -EINVAL;
}

static int ns_tcp_getsockopt(struct socket *sock, int level, int optname,
			     char __user *optval, int __user *optlen)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sock->sk);
	int val, len;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_INFO)
		return ns_tcp_get_info(sock->sk, optval, optlen);
	if (optname == TCP_CONGESTION)
		return ns_tcp_get_congestion(sock->sk, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case TCP_NODELAY:
		val = tp->nodelay;
		break;
	case TCP_CORK:
		val = tp->cork;
		break;
	case TCP_MAXSEG:
		/* Before a connection, the value set (Linux's user_mss). */
		val = tp->mss;
		if (tp->user_mss && ((1 << sock->sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			val = tp->user_mss;
		break;
	case TCP_USER_TIMEOUT:
		val = READ_ONCE(tp->user_timeout);
		break;
	case TCP_KEEPIDLE:
		val = tp->keepidle ?: NS_TCP_KEEPIDLE_DEFAULT;
		break;
	case TCP_KEEPINTVL:
		val = tp->keepintvl ?: NS_TCP_KEEPINTVL_DEFAULT;
		break;
	case TCP_KEEPCNT:
		val = tp->keepcnt ?: NS_TCP_KEEPCNT_DEFAULT;
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static int ns_tcp_sendmsg_op(struct socket *sock, struct msghdr *msg, size_t len)
{
	return ns_tcp_sendmsg(sock->sk, msg, len);
}

static int ns_tcp_recvmsg_op(struct socket *sock, struct msghdr *msg, size_t len,
			     int flags)
{
	return ns_tcp_recvmsg(sock->sk, msg, len, flags);
}

/* recvmsg and ioctl are called by the proto_ops directly (see compat.h). */
struct proto ns_tcp_prot = {
	.name = "NETSTACK-TCP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct ns_tcp_sock),
	.init = ns_tcp_init_sock,
	.close = ns_tcp_close,
	.disconnect = ns_tcp_disconnect,
	.shutdown = ns_tcp_shutdown,
	.keepalive = ns_tcp_keepalive_set,
	.sendmsg = ns_tcp_sendmsg,
};

const struct proto_ops ns_tcp_ops = {
	.family = AF_NETSTACK,
	.owner = THIS_MODULE,
	.release = ns_release,
	.bind = ns_bind,
	.connect = ns_tcp_connect,
	.socketpair = sock_no_socketpair,
	.accept = NS_COMPAT_ACCEPT_OP(ns_tcp_accept),
	.getname = ns_getname,
	.poll = ns_tcp_poll,
	.ioctl = ns_tcp_ioctl_op,
	.gettstamp = sock_gettstamp,
	.listen = ns_tcp_listen,
	.shutdown = ns_tcp_shutdown_op,
	.setsockopt = ns_tcp_setsockopt,
	.getsockopt = ns_tcp_getsockopt,
	.sendmsg = ns_tcp_sendmsg_op,
	.recvmsg = ns_tcp_recvmsg_op,
	.mmap = sock_no_mmap,
};
