// SPDX-License-Identifier: GPL-2.0
/*
 * udp.c - UDP (RFC 768): datagram sockets, their input and output, and
 * the ICMP errors about what they sent.
 *
 * Input: a malformed or corrupted datagram is dropped silently (RFC 1122
 * 4.1.3.4) and counted; a zero checksum means the sender computed none.
 * A unicast datagram goes to the one socket that matches it best (the
 * most specific local address and peer; within a SO_REUSEPORT group, one
 * chosen by a hash of the addresses; otherwise the socket bound last), a
 * broadcast to every socket that matches. With no socket, the sender gets
 * an ICMP port unreachable (rate limited by icmp.c).
 *
 * Output: the checksum is always computed; datagrams larger than the link
 * MTU are fragmented by ipv4.c. Sending needs no socket lock beyond the
 * moment it reads the socket's addresses.
 *
 * Errors: an ICMP error quoting one of our datagrams reaches the socket
 * that sent it only if that socket is connected and the error is a hard
 * one (port unreachable -> ECONNREFUSED, ...), as on Linux; its next call
 * returns it (SO_ERROR).
 *
 * Sockets live in the namespace's udp_ports table from bind (explicit, or
 * implicit on connect or the first send) to close. The receive path finds
 * them under the table's lock and holds a reference while it queues.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/jhash.h>
#include <linux/net.h>
#include <linux/sockios.h>
#include <linux/udp.h>
#include <asm/ioctls.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/tcp_states.h>
#include <uapi/linux/netstack.h>

#include "checksum.h"
#include "netstack.h"

enum {
	/* 65535 minus the IPv4 and UDP headers */
	NS_UDP_PAYLOAD_MAX = 0xffff - sizeof(struct iphdr) - sizeof(struct udphdr),
	/* payloads up to this size are copied into the head, larger into pages */
	NS_UDP_LINEAR_MAX = 2048,
};

/* Headroom of a datagram we send: link, IPv4 and UDP headers. */
#define NS_UDP_HEADROOM (LL_MAX_HEADER + sizeof(struct iphdr) + sizeof(struct udphdr))

static u32 ns_udp_hash_secret __read_mostly;

/*
 * How well a socket bound to the datagram's destination port matches it:
 * -1 not at all, more for each of the local address, the peer's address
 * and the peer's port it names.
 */
static int ns_udp_score(const struct sock *sk, __be32 saddr, __be16 sport,
			__be32 daddr, u16 port)
{
	__be32 bound = sk->sk_rcv_saddr;
	__be32 peer = sk->sk_daddr;
	__be16 peer_port = sk->sk_dport;
	int score = 1;

	if (sk->sk_num != port)
		return -1;
	if (bound) {
		if (bound != daddr)
			return -1;
		score += 4;
	}
	if (peer) {
		if (peer != saddr)
			return -1;
		score += 4;
	}
	if (peer_port) {
		if (peer_port != sport)
			return -1;
		score += 4;
	}
	return score;
}

/*
 * The socket a unicast datagram from saddr:sport to daddr:dport goes to,
 * with a reference, or NULL. Also finds the sender of a datagram an ICMP
 * error quotes, with the roles swapped. Context: BHs off.
 */
static struct sock *ns_udp_lookup(struct ns_net *nsn, __be32 saddr,
				  __be16 sport, __be32 daddr, __be16 dport)
{
	u16 port = ntohs(dport);
	struct sock *sk, *best = NULL;
	int score, best_score = -1;
	unsigned int ties = 0;
	u32 flow = 0;

	spin_lock(&nsn->udp_ports.lock);
	hlist_for_each_entry(sk, ns_port_chain(&nsn->udp_ports, port), sk_bind_node) {
		score = ns_udp_score(sk, saddr, sport, daddr, port);
		if (score < 0 || score < best_score)
			continue;
		if (score > best_score) {
			best = sk;
			best_score = score;
			ties = 1;
			continue;
		}
		/* A SO_REUSEPORT group shares the flows out by their hash. */
		if (!best->sk_reuseport || !sk->sk_reuseport)
			continue;
		if (!flow)
			flow = jhash_3words((__force u32)saddr, (__force u32)daddr,
					    (__force u32)sport << 16 | (__force u32)dport,
					    ns_udp_hash_secret) | 1;
		ties++;
		if (!reciprocal_scale(jhash_1word(flow, ties), ties))
			best = sk;
	}
	if (best)
		sock_hold(best);
	spin_unlock(&nsn->udp_ports.lock);
	return best;
}

/* Queue a datagram (skb->data at its payload) on a socket; consumes it. */
static void ns_udp_queue(struct ns_net *nsn, struct sock *sk,
			 struct sk_buff *skb)
{
	int err = sock_queue_rcv_skb(sk, skb);

	if (!err) {
		ns_stat_inc(nsn, NS_STAT_UDP_RX_DELIVERED);
		return;
	}
	if (err == -ENOMEM)
		ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_RCVBUF);
	else if (err == -ENOBUFS)
		ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_NOMEM);
	else
		ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_FILTER);
	kfree_skb(skb);
}

/*
 * A broadcast goes to every socket it matches; consumes it. The table lock
 * is held while queueing (on the socket's own queue lock): broadcasts are
 * rare, and a socket in the table cannot be freed.
 */
static void ns_udp_broadcast(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct udphdr *uh = udp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	u16 port = ntohs(uh->dest);
	struct sock *sk, *prev = NULL;
	struct sk_buff *copy;

	spin_lock(&nsn->udp_ports.lock);
	hlist_for_each_entry(sk, ns_port_chain(&nsn->udp_ports, port), sk_bind_node) {
		if (ns_udp_score(sk, iph->saddr, uh->source, iph->daddr, port) < 0)
			continue;
		if (prev) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (copy)
				ns_udp_queue(nsn, prev, copy);
			else
				ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_NOMEM);
		}
		prev = sk;
	}
	if (prev)
		ns_udp_queue(nsn, prev, skb);
	spin_unlock(&nsn->udp_ports.lock);
	if (!prev) {
		ns_stat_inc(nsn, NS_STAT_UDP_RX_NO_PORT);
		consume_skb(skb);
	}
}

/**
 * ns_udp_rcv() - handle a received UDP datagram
 * @nsn: the instance
 * @skb: the datagram, UDP header at skb->data, network and transport
 *	headers set; consumed
 *
 * Context: BHs off, RCU read lock held.
 */
void ns_udp_rcv(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh;
	unsigned int ulen;
	struct sock *sk;

	ns_stat_inc(nsn, NS_STAT_UDP_RX);
	if (!pskb_may_pull(skb, sizeof(*uh)))
		goto malformed;
	uh = udp_hdr(skb);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len)
		goto malformed;
	/* A zero checksum means the sender computed none (RFC 768). */
	if (uh->check && !ns_csum_l4_ok(skb, 0, ulen, iph->saddr, iph->daddr,
					IPPROTO_UDP)) {
		ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_CHECKSUM);
		goto drop;
	}
	if (pskb_trim_rcsum(skb, ulen))
		goto malformed;
	__skb_pull(skb, sizeof(*uh));
	uh = udp_hdr(skb);
	iph = ip_hdr(skb);

	if (skb->pkt_type == PACKET_BROADCAST && !ns_addr_find(nsn, iph->daddr)) {
		ns_udp_broadcast(nsn, skb);
		return;
	}
	sk = ns_udp_lookup(nsn, iph->saddr, uh->source, iph->daddr, uh->dest);
	if (sk) {
		ns_udp_queue(nsn, sk, skb);
		sock_put(sk);
		return;
	}
	ns_stat_inc(nsn, NS_STAT_UDP_RX_NO_PORT);
	ns_icmp_send_unreach(nsn, skb, ICMP_PORT_UNREACH);
	consume_skb(skb);
	return;

malformed:
	ns_stat_inc(nsn, NS_STAT_UDP_RX_DROP_MALFORMED);
drop:
	kfree_skb(skb);
}

/* An ICMP error about a datagram we sent. BHs off. */
static void ns_udp_err(struct ns_net *nsn, const struct ns_icmp_err *err)
{
	const struct udphdr *uh = (const struct udphdr *)err->l4;
	struct sock *sk;
	bool hard;
	int error;

	sk = ns_udp_lookup(nsn, err->quoted->daddr, uh->dest,
			   err->quoted->saddr, uh->source);
	if (!sk)
		return;
	error = ns_icmp_err_errno(err, &hard);
	/*
	 * Unconnected sockets cannot tell whose error it is (RFC 1122
	 * 4.1.3.3); a connected one was found by its peer, who it is about.
	 */
	if (error && hard && READ_ONCE(sk->sk_state) == TCP_ESTABLISHED) {
		WRITE_ONCE(sk->sk_err, -error);
		sk_error_report(sk);
	}
	sock_put(sk);
}

static const struct ns_icmp_err_handler ns_udp_err_handler = {
	.err = ns_udp_err,
};

/* Socket locked: take an ephemeral port unless it has one. */
static int ns_udp_autobind(struct sock *sk)
{
	if (sk->sk_num)
		return 0;
	/* Linux's answer when no ephemeral port is left. */
	if (ns_port_bind(ns_sock_ports(sk), sk, 0))
		return -EAGAIN;
	return 0;
}

/*
 * A datagram of @len payload bytes from the user, UDP header in front of
 * it, checksummed for saddr -> daddr.
 */
static struct sk_buff *ns_udp_build(struct sock *sk, struct msghdr *msg,
				    size_t len, __be32 saddr, __be32 daddr,
				    __be16 sport, __be16 dport, int *err)
{
	size_t linear = len <= NS_UDP_LINEAR_MAX ? len : 0;
	struct sk_buff *skb;
	struct udphdr *uh;
	__wsum csum = 0;

	skb = sock_alloc_send_pskb(sk, NS_UDP_HEADROOM + linear, len - linear,
				   msg->msg_flags & MSG_DONTWAIT, err,
				   PAGE_ALLOC_COSTLY_ORDER);
	if (!skb)
		return NULL;
	skb_reserve(skb, NS_UDP_HEADROOM - sizeof(*uh));
	uh = skb_put(skb, sizeof(*uh));
	if (linear) {
		/* One pass: copy and checksum together. */
		if (!csum_and_copy_from_iter_full(skb_put(skb, linear), linear,
						  &csum, &msg->msg_iter))
			goto fault;
	} else {
		skb->data_len = len;
		skb->len += len;
		if (skb_copy_datagram_from_iter(skb, sizeof(*uh), &msg->msg_iter, len))
			goto fault;
		csum = skb_checksum(skb, sizeof(*uh), len, 0);
	}
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	csum = csum_partial(uh, sizeof(*uh), csum);
	uh->check = csum_tcpudp_magic(saddr, daddr, skb->len, IPPROTO_UDP, csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	return skb;

fault:
	kfree_skb(skb);
	*err = -EFAULT;
	return NULL;
}

static int ns_udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct sockaddr_ns *, to, msg->msg_name);
	struct ns_net *nsn = ns_net(sock_net(sk));
	__be16 sport, dport;
	__be32 saddr, daddr;
	bool broadcast, connected;
	struct sk_buff *skb;
	int err;

	/* As on Linux, the socket gets its port before anything is checked. */
	lock_sock(sk);
	err = ns_udp_autobind(sk);
	connected = sk->sk_state == TCP_ESTABLISHED;
	daddr = sk->sk_daddr;
	dport = sk->sk_dport;
	saddr = ns_sk(sk)->saddr;
	sport = htons(sk->sk_num);
	release_sock(sk);
	if (err)
		return err;

	if (len > 0xffff)
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (to) {
		if (msg->msg_namelen < sizeof(*to))
			return -EINVAL;
		if (!ns_af_family_accepted(to->sns_family) &&
		    to->sns_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		daddr = to->sns_addr.s_addr;
		dport = to->sns_port;
		if (!dport)
			return -EINVAL;
	} else if (!connected) {
		return -EDESTADDRREQ;
	}

	err = ns_ipv4_route_output(nsn, daddr, &saddr, &broadcast);
	if (err)
		return err;
	if (broadcast && !sock_flag(sk, SOCK_BROADCAST))
		return -EACCES;
	if (len > NS_UDP_PAYLOAD_MAX)
		return -EMSGSIZE;

	skb = ns_udp_build(sk, msg, len, saddr, daddr, sport, dport, &err);
	if (!skb)
		return err;
	err = ns_ipv4_output(nsn, skb, saddr, daddr, IPPROTO_UDP, false);
	if (err)
		return err;
	ns_stat_inc(nsn, NS_STAT_UDP_TX);
	return len;
}

/**
 * ns_udp_recvmsg() - recvmsg(2) of a UDP socket
 * @sk: the socket
 * @msg: where the datagram goes, and its sender's address (msg_name,
 *	msg_namelen)
 * @len: room in @msg
 * @flags: MSG_* flags
 *
 * Return: the bytes copied (the datagram's length with MSG_TRUNC), or an
 * errno.
 */
int ns_udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags)
{
	DECLARE_SOCKADDR(struct sockaddr_ns *, from, msg->msg_name);
	struct sk_buff *skb;
	size_t copied;
	int err;

	/* Nothing is ever queued on the error queue (no IP_RECVERR). */
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = min_t(size_t, len, skb->len);
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto out;
	sock_recv_cmsgs(msg, sk, skb);
	if (from) {
		memset(from, 0, sizeof(*from));
		from->sns_family = sk->sk_family;
		from->sns_port = udp_hdr(skb)->source;
		from->sns_addr.s_addr = ip_hdr(skb)->saddr;
		msg->msg_namelen = sizeof(*from);
	}
	err = flags & MSG_TRUNC ? skb->len : copied;
out:
	skb_free_datagram(sk, skb);
	return err;
}

/*
 * Socket locked: set the addresses receivers match it by, under the table
 * lock they read them with.
 */
static void ns_udp_set_addrs(struct sock *sk, __be32 local, __be32 peer,
			     __be16 peer_port, int state)
{
	struct ns_port_table *ports = ns_sock_ports(sk);

	spin_lock_bh(&ports->lock);
	sk->sk_rcv_saddr = local;
	sk->sk_daddr = peer;
	sk->sk_dport = peer_port;
	WRITE_ONCE(sk->sk_state, state);
	spin_unlock_bh(&ports->lock);
}

/*
 * Socket locked. As on Linux, the socket gets its port first, so that even
 * a connect() that fails leaves it bound.
 */
static int ns_udp_connect(struct sock *sk, struct sockaddr_unsized *uaddr,
			  int addr_len)
{
	DECLARE_SOCKADDR(struct sockaddr_ns *, to, uaddr);
	struct ns_sock *ns = ns_sk(sk);
	__be32 saddr = ns->saddr;
	bool broadcast;
	int err;

	err = ns_udp_autobind(sk);
	if (err)
		return err;
	if (addr_len < sizeof(*to))
		return -EINVAL;
	if (!ns_af_family_accepted(to->sns_family))
		return -EAFNOSUPPORT;
	err = ns_ipv4_route_output(ns_net(sock_net(sk)), to->sns_addr.s_addr,
				   &saddr, &broadcast);
	if (err)
		return err;
	if (broadcast && !sock_flag(sk, SOCK_BROADCAST))
		return -EACCES;
	if (!ns->saddr)
		ns->saddr = saddr;
	ns_udp_set_addrs(sk, sk->sk_rcv_saddr ? sk->sk_rcv_saddr : saddr,
			 to->sns_addr.s_addr, to->sns_port, TCP_ESTABLISHED);
	return 0;
}

/*
 * Socket locked: forget the peer, and what connect() chose for the socket
 * rather than the user (its local address, its port).
 */
static int ns_udp_disconnect(struct sock *sk, int flags)
{
	__be32 local = sk->sk_rcv_saddr;

	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		ns_sk(sk)->saddr = 0;
		local = 0;
	}
	ns_udp_set_addrs(sk, local, 0, 0, TCP_CLOSE);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		ns_port_unbind(ns_sock_ports(sk), sk);
	return 0;
}

/**
 * ns_udp_ioctl() - the ioctls of a UDP socket, as for Linux UDP
 * @sk: the socket
 * @cmd: SIOCINQ (FIONREAD: the size of the next datagram) or SIOCOUTQ
 * @karg: the answer
 *
 * Return: 0, or -ENOIOCTLCMD for other requests.
 */
int ns_udp_ioctl(struct sock *sk, int cmd, int *karg)
{
	struct sk_buff *skb;
	int amount = 0;

	switch (cmd) {
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		break;
	case SIOCINQ:
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb)
			amount = skb->len;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	*karg = amount;
	return 0;
}

static void ns_udp_close(struct sock *sk, long timeout)
{
	lock_sock(sk);
	ns_port_unbind(ns_sock_ports(sk), sk);
	release_sock(sk);
	ns_sock_release_common(sk);
}

/* recvmsg and ioctl are called by the proto_ops directly (see compat.h). */
struct proto ns_udp_prot = {
	.name = "NETSTACK-UDP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct ns_sock),
	.close = ns_udp_close,
	.connect = ns_udp_connect,
	.disconnect = ns_udp_disconnect,
	.sendmsg = ns_udp_sendmsg,
};

/**
 * ns_udp_register() - start taking the ICMP errors about UDP datagrams
 */
void ns_udp_register(void)
{
	ns_udp_hash_secret = get_random_u32();
	ns_icmp_set_err_handler(IPPROTO_UDP, &ns_udp_err_handler);
}

/**
 * ns_udp_unregister() - stop taking them; waits for handlers in flight
 */
void ns_udp_unregister(void)
{
	ns_icmp_set_err_handler(IPPROTO_UDP, NULL);
}
