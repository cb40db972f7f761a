/*
 * af_netstack.c - the AF_NETSTACK socket family: socket(2) argument checks,
 * the socket object's lifetime and the proto_ops glue: what every
 * transport shares (address checks, bind, names, shutdown) is here, the
 * rest is the transport's struct proto (udp.c).
 *
 * SOCK_DGRAM sockets are UDP (udp.c), SOCK_STREAM sockets TCP (tcp_sock.c).
 *
 * Addresses are struct sockaddr_ns, laid out as sockaddr_in; AF_NETSTACK
 * and AF_INET are accepted in them, AF_NETSTACK is reported. The errnos
 * of bad addresses are those AF_INET gives.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/stddef.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/netstack.h>

#include "netstack.h"
#include "tcp.h"

/**
 * struct ns_transport - a socket type netstack provides
 * @type: SOCK_STREAM or SOCK_DGRAM
 * @protocol: its IPPROTO_ number; 0 in socket(2) selects it too
 * @prot: the struct proto its sockets are allocated from
 * @ops: the proto_ops its sockets use
 */
struct ns_transport {
	int type;
	int protocol;
	struct proto *prot;
	const struct proto_ops *ops;
};

/* Lockdep names the socket locks after the family; ours has no entry. */
static struct lock_class_key ns_sk_lock_key;
static struct lock_class_key ns_slock_key;

/**
 * ns_sock_release_common() - the end of close() every transport shares
 * @sk: the socket, unlocked, its transport state already undone; the
 *	caller's reference is dropped
 */
void ns_sock_release_common(struct sock *sk)
{
	lock_sock(sk);
	sock_orphan(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	release_sock(sk);
	sock_put(sk);
}

/**
 * ns_sock_destruct() - the last reference is gone: free what is queued
 * @sk: the socket
 */
void ns_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
}

/**
 * ns_release() - close(2): the transport's close, given the SO_LINGER time
 * @sock: the socket
 *
 * Return: 0.
 */
int ns_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	long timeout = 0;

	if (!sk)
		return 0;
	if (sock_flag(sk, SOCK_LINGER) && !(current->flags & PF_EXITING))
		timeout = sk->sk_lingertime;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sock->sk = NULL;
	sk->sk_prot->close(sk, timeout);
	return 0;
}

/**
 * ns_bind() - bind(2): the address must be the wildcard, one of ours, or a
 *	broadcast address of one of our subnets; ports below 1024 need
 *	CAP_NET_BIND_SERVICE; a socket binds once
 * @sock: the socket
 * @uaddr: a struct sockaddr_ns
 * @addr_len: its length
 *
 * Return: 0 or the errno AF_INET gives.
 */
int ns_bind(struct socket *sock, struct sockaddr_unsized *uaddr, int addr_len)
{
	DECLARE_SOCKADDR(struct sockaddr_ns *, addr, uaddr);
	struct sock *sk = sock->sk;
	struct ns_net *nsn = ns_net(sock_net(sk));
	bool own, broadcast = false;
	__be32 a;
	u16 port;
	int err;

	if (addr_len < sizeof(*addr))
		return -EINVAL;
	a = addr->sns_addr.s_addr;
	/* AF_UNSPEC with the wildcard, for old programs, as AF_INET allows. */
	if (!ns_af_family_accepted(addr->sns_family) &&
	    (addr->sns_family != AF_UNSPEC || a != htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;
	port = ntohs(addr->sns_port);

	rcu_read_lock();
	own = a == htonl(INADDR_ANY) || ns_addr_find(nsn, a);
	if (!own)
		broadcast = ns_addr_is_broadcast(nsn, NULL, a);
	rcu_read_unlock();
	if (!own && !broadcast)
		return -EADDRNOTAVAIL;
	if (port && port < NS_PORT_PRIVILEGED_END &&
	    !ns_capable(sock_net(sk)->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || sk->sk_num)
		goto out;
	WRITE_ONCE(sk->sk_rcv_saddr, a);
	ns_sk(sk)->saddr = broadcast ? 0 : a;
	err = ns_port_bind(ns_sock_ports(sk), sk, port);
	if (err) {
		WRITE_ONCE(sk->sk_rcv_saddr, 0);
		ns_sk(sk)->saddr = 0;
		goto out;
	}
	ns_sk(sk)->stale_port = 0;
	if (a)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
out:
	release_sock(sk);
	return err;
}

/* connect(2) of a datagram socket: AF_UNSPEC dissolves the association. */
static int ns_dgram_connect(struct socket *sock, struct sockaddr_unsized *uaddr,
			    int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int err;

	if (addr_len < sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC)
		err = sk->sk_prot->disconnect(sk, flags);
	else
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
	release_sock(sk);
	return err;
}

/**
 * ns_getname() - the local address, or the peer's
 * @sock: the socket
 * @uaddr: where to write a struct sockaddr_ns
 * @peer: 1 for the peer's
 *
 * Return: the address length, or -ENOTCONN for a peer there is not (not
 * yet connected, or no more).
 */
int ns_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_ns *, addr, uaddr);
	struct sock *sk = sock->sk;

	memset(addr, 0, sizeof(*addr));
	addr->sns_family = sk->sk_family;
	lock_sock(sk);
	if (peer) {
		if (!sk->sk_dport ||
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT))) {
			release_sock(sk);
			return -ENOTCONN;
		}
		addr->sns_addr.s_addr = sk->sk_daddr;
		addr->sns_port = sk->sk_dport;
	} else {
		addr->sns_addr.s_addr = sk->sk_rcv_saddr ? sk->sk_rcv_saddr :
							   ns_sk(sk)->saddr;
		addr->sns_port = htons(sk->sk_num ?: ns_sk(sk)->stale_port);
	}
	release_sock(sk);
	return sizeof(*addr);
}

/*
 * As for AF_INET: a socket that is not connected answers ENOTCONN, yet the
 * directions are shut all the same, so that pollers see it (Linux does
 * this to let other threads learn of the shutdown).
 */
static int ns_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD, SHUT_WR, SHUT_RDWR (0, 1, 2) become the masks 1, 2, 3. */
	if ((unsigned int)how > SHUT_RDWR)
		return -EINVAL;
	lock_sock(sk);
	if (sk->sk_state == TCP_CLOSE)
		err = -ENOTCONN;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | (how + 1));
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

static int ns_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;

	return sk->sk_prot->sendmsg(sk, msg, len);
}

static int ns_dgram_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			    int flags)
{
	return ns_udp_recvmsg(sock->sk, msg, len, flags);
}

static int ns_dgram_ioctl(struct socket *sock, unsigned int cmd,
			  unsigned long arg)
{
	return ns_sock_ioctl(sock->sk, cmd, arg, ns_udp_ioctl);
}

/**
 * ns_sock_ioctl() - an ioctl whose answer is an int, as the transports'
 *	ioctl functions give it
 * @sk: the socket
 * @cmd: the request
 * @arg: the user's pointer to the int
 * @ioctl: the transport's function; it fills in *karg or returns an errno
 *
 * The transports' functions have the form struct proto.ioctl has from
 * 6.5 on (the caller copies the answer out), on every kernel: netstack's
 * proto_ops call them directly, not through struct proto.
 *
 * Return: 0, the transport's errno, or -EFAULT.
 */
int ns_sock_ioctl(struct sock *sk, unsigned int cmd, unsigned long arg,
		  int (*ioctl)(struct sock *sk, int cmd, int *karg))
{
	int karg = 0, err;

	err = ioctl(sk, cmd, &karg);
	if (err)
		return err;
	return put_user(karg, (int __user *)arg);
}

/*
 * No protocol-level options yet; SOL_SOCKET is handled by the core. (On
 * 6.1 that includes refusing SO_REUSEPORT with EOPNOTSUPP: the core allows
 * it only for AF_INET and AF_INET6 sockets, and never asks the family.)
 */
static int ns_setsockopt(struct socket *sock, int level, int optname,
			 sockptr_t optval, unsigned int optlen)
{
	return -ENOPROTOOPT;
}

static int ns_getsockopt(struct socket *sock, int level, int optname,
			 char __user *optval, int __user *optlen)
{
	return -ENOPROTOOPT;
}

/*
 * The family is a load-time choice (the "family" parameter); the core does
 * not read proto_ops.family, so the ops keep the default and everything
 * that reports the family uses sk->sk_family, set at sk_alloc().
 */
static const struct proto_ops ns_dgram_ops = {
	.family = AF_NETSTACK,
	.owner = THIS_MODULE,
	.release = ns_release,
	.bind = ns_bind,
	.connect = ns_dgram_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = ns_getname,
	.poll = datagram_poll,
	.ioctl = ns_dgram_ioctl,
	.gettstamp = sock_gettstamp,
	.listen = sock_no_listen,
	.shutdown = ns_shutdown,
	.setsockopt = ns_setsockopt,
	.getsockopt = ns_getsockopt,
	.sendmsg = ns_sendmsg,
	.recvmsg = ns_dgram_recvmsg,
	.mmap = sock_no_mmap,
};

static const struct ns_transport ns_transports[] = {
	{ SOCK_STREAM, IPPROTO_TCP, &ns_tcp_prot, &ns_tcp_ops },
	{ SOCK_DGRAM, IPPROTO_UDP, &ns_udp_prot, &ns_dgram_ops },
};

/*
 * Pick the transport for socket(2)'s type and protocol with the errors
 * AF_INET gives: an unknown type is ESOCKTNOSUPPORT, a known type with a
 * protocol it does not carry is EPROTONOSUPPORT.
 */
static const struct ns_transport *ns_transport_find(int type, int protocol,
						    int *err)
{
	const struct ns_transport *t;

	*err = -ESOCKTNOSUPPORT;
	for (t = ns_transports; t < ns_transports + ARRAY_SIZE(ns_transports); t++) {
		if (t->type != type)
			continue;
		if (protocol == 0 || protocol == t->protocol)
			return t;
		*err = -EPROTONOSUPPORT;
	}
	return NULL;
}

static int ns_create(struct net *net, struct socket *sock, int protocol,
		     int kern);

/**
 * ns_sock_setup() - what every new netstack socket gets, after
 *	sock_init_data(): its lock class, protocol and destructor
 * @sk: the socket
 * @protocol: IPPROTO_TCP or IPPROTO_UDP
 */
void ns_sock_setup(struct sock *sk, int protocol)
{
	sock_lock_init_class_and_name(sk, "slock-AF_NETSTACK", &ns_slock_key,
				      "sk_lock-AF_NETSTACK", &ns_sk_lock_key);
	sk->sk_protocol = protocol;
	sk->sk_destruct = ns_sock_destruct;
}

/* The family number is filled in at load, from the module parameter. */
static struct net_proto_family ns_family_ops __ro_after_init = {
	.create = ns_create,
	.owner = THIS_MODULE,
};

/**
 * ns_af_family_accepted() - whether an address's family names netstack
 * @family: sa_family of an address from user space
 *
 * Return: true for the family netstack registered and for AF_INET.
 */
bool ns_af_family_accepted(int family)
{
	return family == ns_family_ops.family || family == AF_INET;
}

static int ns_create(struct net *net, struct socket *sock, int protocol,
		     int kern)
{
	const struct ns_transport *t;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	t = ns_transport_find(sock->type, protocol, &err);
	if (!t)
		return err;

	sk = sk_alloc(net, ns_family_ops.family, GFP_KERNEL, t->prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = t->ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	ns_sock_setup(sk, t->protocol);
	if (t->prot->init) {
		err = t->prot->init(sk);
		if (err) {
			sk_common_release(sk);
			return err;
		}
	}

	sock_prot_inuse_add(net, t->prot, 1);
	atomic_long_inc(&ns_net(net)->sockets_created);
	return 0;
}

static int ns_protos_register(void)
{
	int err;

	err = proto_register(&ns_tcp_prot, 1);
	if (err)
		return err;
	err = proto_register(&ns_udp_prot, 1);
	if (err)
		proto_unregister(&ns_tcp_prot);
	return err;
}

static void ns_protos_unregister(void)
{
	proto_unregister(&ns_udp_prot);
	proto_unregister(&ns_tcp_prot);
}

/**
 * ns_af_sockets_open() - netstack sockets open in a network namespace
 * @net: the namespace
 *
 * Return: the number of sockets created and not yet released, all types.
 */
int ns_af_sockets_open(struct net *net)
{
	const struct ns_transport *t;
	int open = 0;

	for (t = ns_transports; t < ns_transports + ARRAY_SIZE(ns_transports); t++)
		open += sock_prot_inuse_get(net, t->prot);
	return open;
}

/**
 * ns_af_register() - offer netstack sockets to user space
 * @family: the address family number to register (AF_NETSTACK unless the
 *	module parameter chose another)
 *
 * Return: 0; -EINVAL for a number outside 1..AF_MAX-1; -EEXIST, with a
 * message saying so, when another protocol already has that number; or
 * another negative errno.
 */
int ns_af_register(int family)
{
	int err;

	BUILD_BUG_ON(sizeof(struct sockaddr_ns) != sizeof(struct sockaddr_in));
	BUILD_BUG_ON(offsetof(struct sockaddr_ns, sns_family) !=
		     offsetof(struct sockaddr_in, sin_family));
	BUILD_BUG_ON(offsetof(struct sockaddr_ns, sns_port) !=
		     offsetof(struct sockaddr_in, sin_port));
	BUILD_BUG_ON(offsetof(struct sockaddr_ns, sns_addr) !=
		     offsetof(struct sockaddr_in, sin_addr));

	if (family <= 0 || family >= NPROTO) {
		pr_err("family=%d is not an address family number (1..%d)\n",
		       family, NPROTO - 1);
		return -EINVAL;
	}
	ns_family_ops.family = family;

	err = ns_protos_register();
	if (err)
		return err;
	err = sock_register(&ns_family_ops);
	if (err == -EEXIST) {
		pr_err("address family %d is already registered by another protocol; load netstack with family=N for a free N\n",
		       family);
		/*
		 * Not EEXIST: finit_module() returns that for "this module is
		 * loaded", which modprobe takes for success (7.3's module loader
		 * turns it into EBUSY itself; 6.1's does not).
		 */
		err = -EBUSY;
	}
	if (err)
		ns_protos_unregister();
	return err;
}

/**
 * ns_af_unregister() - stop offering netstack sockets
 *
 * Called only when no netstack socket is left: each holds a reference on
 * the module.
 */
void ns_af_unregister(void)
{
	/* Waits for socket() calls already inside ns_create() to leave. */
	sock_unregister(ns_family_ops.family);
	ns_protos_unregister();
}
