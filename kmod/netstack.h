/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types and entry points shared by the parts of the netstack module: the
 * per-network-namespace instance, links, addresses, routes, and the calls
 * each layer offers the others.
 *
 * Locking, for everything declared here: configuration (links, addresses,
 * routes, static neighbours) changes under RTNL, as Linux's own does, and
 * the lists are RCU lists, read by the data path under rcu_read_lock().
 */
#ifndef _NETSTACK_H
#define _NETSTACK_H

#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "compat.h"
#include "frag.h"
#include "neigh.h"
#include "rate_limit.h"
#include "stats.h"

/**
 * struct ns_link - a netdev netstack is attached to
 * @node: in ns_net.links
 * @dev: the device, held (netdev_hold) while attached
 * @dev_tracker: tracks that hold
 * @nsn: the instance it belongs to
 * @rcu: frees the link after readers are done
 */
struct ns_link {
	struct list_head node;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct ns_net *nsn;
	struct rcu_head rcu;
};

/**
 * struct ns_addr - an IPv4 address netstack owns
 * @node: in ns_net.addrs
 * @link: the link it is on
 * @addr: the address
 * @prefixlen: its subnet's prefix length
 * @rcu: frees it after readers are done
 */
struct ns_addr {
	struct list_head node;
	struct ns_link *link;
	__be32 addr;
	u8 prefixlen;
	struct rcu_head rcu;
};

/**
 * struct ns_route - a route
 * @node: in ns_net.routes, which is sorted by prefix length, longest first
 * @dst: destination prefix (host bits zero)
 * @prefixlen: its length
 * @gateway: next hop, or 0 for an on-link route
 * @prefsrc: source address for packets using the route, or 0
 * @link: the link packets leave by
 * @origin: enum netstack_route_origin
 * @rcu: frees it after readers are done
 */
struct ns_route {
	struct list_head node;
	__be32 dst;
	u8 prefixlen;
	__be32 gateway;
	__be32 prefsrc;
	struct ns_link *link;
	u8 origin;
	struct rcu_head rcu;
};

/**
 * struct ns_nexthop - where a route lookup says a packet goes
 * @link: the link to send it on
 * @addr: the neighbour to send it to (the gateway, or the destination)
 * @saddr: the source address to use when the sender has none
 */
struct ns_nexthop {
	struct ns_link *link;
	__be32 addr;
	__be32 saddr;
};

/* Local ports (host order): the ephemeral range is Linux's default. */
enum {
	NS_PORT_CHAIN_BITS = 9,
	NS_PORT_EPHEMERAL_MIN = 32768,
	NS_PORT_EPHEMERAL_MAX = 60999,
	NS_PORT_EPHEMERAL_COUNT = NS_PORT_EPHEMERAL_MAX - NS_PORT_EPHEMERAL_MIN + 1,
	NS_PORT_PRIVILEGED_END = 1024,	/* below it, binding needs CAP_NET_BIND_SERVICE */
};

/**
 * struct ns_port_table - the sockets of one transport, by local port
 * @lock: taken (with BHs off) to bind, unbind and look up
 * @chains: sockets by hash of sk_num, linked through sk_bind_node
 * @ephemeral_held: a bit per port of the ephemeral range, set while some
 *	socket holds the port
 */
struct ns_port_table {
	spinlock_t lock;	/* all of it, and sk_num/addresses of its sockets */
	struct hlist_head chains[1 << NS_PORT_CHAIN_BITS];
	DECLARE_BITMAP(ephemeral_held, NS_PORT_EPHEMERAL_COUNT);
};

enum { NS_CONN_CHAIN_BITS = 10 };

/**
 * struct ns_conn_table - connected sockets of one transport, by 4-tuple
 * @lock: taken (with BHs off) to hash, unhash and look up
 * @chains: sockets by hash of their 4-tuple, linked through sk_node
 * @secret: keys that hash, so that peers cannot aim at one chain
 */
struct ns_conn_table {
	spinlock_t lock;	/* @chains */
	struct hlist_head chains[1 << NS_CONN_CHAIN_BITS];
	u32 secret;
};

struct ns_tcp_cong_ops;

/**
 * struct ns_tcp_settings - a namespace's TCP settings (sysctl.c)
 * @msl_ms: maximum segment lifetime; TIME-WAIT lasts twice that
 * @syn_retries: SYN retransmissions before connect() gives up
 * @synack_retries: SYN-ACK retransmissions before a half-open connection
 *	is dropped
 * @retries2: retransmissions of data (or unanswered window probes)
 *	before the connection is aborted with ETIMEDOUT
 * @cong: the congestion control algorithm of new sockets
 * @syncookies: SYN cookies: 0 never, 1 when the SYN queue is full,
 *	2 always (Linux's tcp_syncookies)
 * @challenge_ack_limit: challenge ACKs allowed per second (RFC 5961 7)
 * @ofo_mem_max: bound of @ns_net.tcp_ofo_mem, in bytes
 */
struct ns_tcp_settings {
	int msl_ms;
	int syn_retries;
	int synack_retries;
	int retries2;
	const struct ns_tcp_cong_ops *cong;
	int syncookies;
	int challenge_ack_limit;
	int ofo_mem_max;
};

/**
 * struct ns_sock - a netstack socket
 * @sk: the generic socket; must stay first (sk_alloc() allocates this).
 *	Its sk_rcv_saddr and sk_num are the local address and port,
 *	sk_daddr and sk_dport the peer's once connected.
 * @saddr: the source address of what it sends, or 0 to choose one per
 *	destination (unbound, or bound to the wildcard or a broadcast address)
 * @stale_port: TCP: the port a connection had that ended and gave it
 *	back; getsockname() still reports it, as Linux does
 */
struct ns_sock {
	struct sock sk;
	__be32 saddr;
	u16 stale_port;
};

/**
 * ns_sk() - the netstack socket around a struct sock
 * @sk: a socket of the netstack family
 *
 * Return: its struct ns_sock.
 */
static inline struct ns_sock *ns_sk(const struct sock *sk)
{
	return (struct ns_sock *)sk;
}

/**
 * struct ns_net - one netstack instance, one per network namespace
 * @net: the namespace this instance belongs to (not refcounted: the
 *	instance lives exactly as long as the namespace)
 * @proc_dir: /proc/net/netstack of this namespace
 * @sockets_created: netstack sockets ever created in this namespace
 * @stats: per-CPU counters
 * @links: attached links (RTNL, RCU)
 * @addrs: owned addresses (RTNL, RCU)
 * @routes: routes, longest prefix first (RTNL, RCU)
 * @neigh: the neighbour cache
 * @frags: IPv4 reassembly queues
 * @ip_id: IPv4 identification of the next datagram sent
 * @icmp_lock: protects the ICMP error rate limiter's fields below
 * @icmp_tokens: ICMP errors that may be sent now
 * @icmp_stamp: when the tokens were last refilled (jiffies)
 * @local_queue: packets from one of our addresses to another, waiting to
 *	be received (never sent on a wire); bounded
 * @local_work: receives @local_queue in process context
 * @udp_ports: UDP sockets by local port
 * @tcp_ports: TCP sockets by local port (bound, listening, connected)
 * @tcp_conns: TCP connections by 4-tuple
 * @tcp: TCP settings (sysctl net.netstack.*)
 * @sysctl: the registration of those settings
 * @tcp_challenge: the rate limiter of challenge ACKs
 * @tcp_ofo_mem: the memory (truesize) in all out-of-order queues, bytes
 */
struct ns_net {
	struct net *net;
	struct proc_dir_entry *proc_dir;
	atomic_long_t sockets_created;
	struct ns_stats __percpu *stats;
	struct list_head links;
	struct list_head addrs;
	struct list_head routes;
	struct ns_neigh_table neigh;
	struct ns_frags frags;
	atomic_t ip_id;
	spinlock_t icmp_lock;	/* icmp_tokens, icmp_stamp */
	unsigned int icmp_tokens;
	unsigned long icmp_stamp;
	struct sk_buff_head local_queue;
	struct work_struct local_work;
	struct ns_port_table udp_ports;
	struct ns_port_table tcp_ports;
	struct ns_conn_table tcp_conns;
	struct ns_tcp_settings tcp;
	struct ctl_table_header *sysctl;
	struct ns_rate_limiter tcp_challenge;
	atomic_long_t tcp_ofo_mem;
};

extern unsigned int ns_net_id;

/**
 * ns_net() - the netstack instance of a network namespace
 * @net: network namespace
 *
 * Return: the instance; valid while @net is alive.
 */
static inline struct ns_net *ns_net(const struct net *net)
{
	return net_generic(net, ns_net_id);
}

/**
 * ns_stat_inc() - count one event
 * @nsn: the instance
 * @id: the counter
 */
static inline void ns_stat_inc(struct ns_net *nsn, enum ns_stat id)
{
	this_cpu_inc(nsn->stats->v[id]);
}

/**
 * ns_stat_add() - count @n events
 * @nsn: the instance
 * @id: the counter
 * @n: how many
 */
static inline void ns_stat_add(struct ns_net *nsn, enum ns_stat id, unsigned int n)
{
	this_cpu_add(nsn->stats->v[id], n);
}

/* pernet.c */
int ns_pernet_register(void);
void ns_pernet_unregister(void);

/* proc.c */
int ns_proc_net_init(struct ns_net *nsn);
void ns_proc_net_exit(struct ns_net *nsn);

/* af_netstack.c */
int ns_af_register(int family);
void ns_af_unregister(void);
int ns_af_sockets_open(struct net *net);
bool ns_af_family_accepted(int family);
void ns_sock_release_common(struct sock *sk);
void ns_sock_destruct(struct sock *sk);
int ns_release(struct socket *sock);
int ns_bind(struct socket *sock, struct sockaddr_unsized *uaddr, int addr_len);
int ns_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
void ns_sock_setup(struct sock *sk, int protocol);
int ns_sock_ioctl(struct sock *sk, unsigned int cmd, unsigned long arg,
		  int (*ioctl)(struct sock *sk, int cmd, int *karg));

/* dev.c: links */
int ns_dev_register(void);
void ns_dev_unregister(void);
int ns_link_attach(struct ns_net *nsn, struct net_device *dev,
		   struct netlink_ext_ack *extack);
int ns_link_detach(struct ns_net *nsn, struct net_device *dev,
		   struct netlink_ext_ack *extack);
void ns_link_detach_all(struct ns_net *nsn);
struct ns_link *ns_link_from_dev(const struct net_device *dev);
bool ns_link_usable(const struct ns_link *link);
void ns_link_xmit(struct ns_link *link, struct sk_buff *skb, const u8 *dst_mac,
		  __be16 proto);

/* addr.c: owned addresses */
int ns_addr_add(struct ns_net *nsn, struct ns_link *link, __be32 addr,
		u8 prefixlen, struct netlink_ext_ack *extack);
int ns_addr_del(struct ns_net *nsn, struct ns_link *link, __be32 addr,
		u8 prefixlen, struct netlink_ext_ack *extack);
void ns_addr_flush_link(struct ns_net *nsn, struct ns_link *link);
struct ns_addr *ns_addr_find(struct ns_net *nsn, __be32 addr);
bool ns_addr_is_broadcast(struct ns_net *nsn, const struct ns_link *link,
			  __be32 addr);
__be32 ns_addr_select(struct ns_net *nsn, const struct ns_link *link,
		      __be32 dst);
void ns_addr_announce_link(struct ns_net *nsn, struct ns_link *link);

/* route.c */
int ns_route_add(struct ns_net *nsn, __be32 dst, u8 prefixlen, __be32 gateway,
		 struct ns_link *link, __be32 prefsrc, u8 origin,
		 struct netlink_ext_ack *extack);
int ns_route_del(struct ns_net *nsn, __be32 dst, u8 prefixlen, __be32 gateway,
		 struct ns_link *link, struct netlink_ext_ack *extack);
void ns_route_flush_link(struct ns_net *nsn, struct ns_link *link);
void ns_route_flush_prefsrc(struct ns_net *nsn, __be32 prefsrc, __be32 heir);
struct ns_route *ns_route_match(struct list_head *routes, __be32 daddr);
int ns_route_lookup(struct ns_net *nsn, __be32 daddr, struct ns_nexthop *nh);

/* arp.c */
void ns_arp_rcv(struct ns_link *link, struct sk_buff *skb);
void ns_arp_send(struct ns_link *link, u16 op, __be32 sip, __be32 tip,
		 const u8 *tha);

/* ipv4.c */
void ns_ipv4_rcv(struct ns_link *link, struct sk_buff *skb);
int ns_ipv4_route_output(struct ns_net *nsn, __be32 daddr, __be32 *saddr,
			 bool *broadcast);
unsigned int ns_ipv4_path_mtu(struct ns_net *nsn, __be32 daddr);
unsigned int ns_ipv4_gso_max_size(struct ns_net *nsn, __be32 daddr,
				  unsigned int *max_segs);
int ns_ipv4_output(struct ns_net *nsn, struct sk_buff *skb, __be32 saddr,
		   __be32 daddr, u8 proto, bool df);
void ns_ipv4_local_work(struct work_struct *work);

/* icmp.c */

/* Bytes of the quoted transport header an ICMP error must carry (RFC 792). */
#define NS_ICMP_QUOTED_L4 8

/**
 * struct ns_icmp_err - a received ICMP error, as its transport sees it
 * @type: ICMP type (ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED, ...)
 * @code: ICMP code
 * @info: the 32 bits after the checksum (the next-hop MTU of
 *	ICMP_FRAG_NEEDED in the low 16, the pointer of a parameter problem)
 * @quoted: the IPv4 header of the packet we sent, as quoted
 * @l4: the first NS_ICMP_QUOTED_L4 bytes of its transport header
 */
struct ns_icmp_err {
	u8 type;
	u8 code;
	u32 info;
	const struct iphdr *quoted;
	const u8 *l4;
};

/**
 * struct ns_icmp_err_handler - a transport's taker of ICMP errors
 * @err: called with an error quoting one of its packets; BHs off, RCU held
 */
struct ns_icmp_err_handler {
	void (*err)(struct ns_net *nsn, const struct ns_icmp_err *err);
};

void ns_icmp_set_err_handler(u8 protocol,
			     const struct ns_icmp_err_handler *handler);
void ns_icmp_rcv(struct ns_net *nsn, struct sk_buff *skb);
int ns_icmp_err_errno(const struct ns_icmp_err *err, bool *hard);
void ns_icmp_local_error(struct ns_net *nsn, struct sk_buff *skb, u8 type,
			 u8 code);
void ns_icmp_send_unreach(struct ns_net *nsn, struct sk_buff *skb_in, u8 code);

/**
 * ns_sock_ports() - the port table a socket binds in
 * @sk: a netstack socket
 *
 * Return: its transport's table in its namespace.
 */
static inline struct ns_port_table *ns_sock_ports(const struct sock *sk)
{
	struct ns_net *nsn = ns_net(sock_net(sk));

	return sk->sk_protocol == IPPROTO_TCP ? &nsn->tcp_ports : &nsn->udp_ports;
}

/* lookup.c: port tables */
void ns_port_table_init(struct ns_port_table *table);
struct hlist_head *ns_port_chain(struct ns_port_table *table, u16 port);
int ns_port_bind(struct ns_port_table *table, struct sock *sk, u16 port);
void ns_port_unbind(struct ns_port_table *table, struct sock *sk);
int ns_port_inherit(struct ns_port_table *table, struct sock *sk,
		    const struct sock *parent);
int ns_port_check_listen(struct ns_port_table *table, struct sock *sk);
void ns_conn_table_init(struct ns_conn_table *table);
int ns_conn_insert_unique(struct ns_conn_table *table, struct sock *sk);
struct sock *ns_conn_find(struct ns_conn_table *conns, __be32 laddr, u16 lport,
			  __be32 raddr, __be16 rport);
void ns_conn_hash(struct ns_conn_table *table, struct sock *sk);
void ns_conn_unhash(struct ns_conn_table *table, struct sock *sk);
struct sock *ns_conn_lookup(struct ns_conn_table *conns,
			    struct ns_port_table *ports, __be32 saddr,
			    __be16 sport, __be32 daddr, __be16 dport);

/* udp.c */
extern struct proto ns_udp_prot;
void ns_udp_rcv(struct ns_net *nsn, struct sk_buff *skb);
int ns_udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags);
int ns_udp_ioctl(struct sock *sk, int cmd, int *karg);
void ns_udp_register(void);
void ns_udp_unregister(void);

/* tcp_input.c, tcp_output.c, tcp_sock.c */
void ns_tcp_rcv(struct ns_net *nsn, struct sk_buff *skb);
void ns_tcp_send_reset(struct ns_net *nsn, const struct sk_buff *skb_in);
int ns_tcp_register(void);
void ns_tcp_unregister(void);

/* sysctl.c */
int ns_sysctl_net_init(struct ns_net *nsn);
void ns_sysctl_net_exit(struct ns_net *nsn);

/* netlink.c */
int ns_netlink_register(void);
void ns_netlink_unregister(void);

#endif /* _NETSTACK_H */
