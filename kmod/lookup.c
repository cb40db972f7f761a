// SPDX-License-Identifier: GPL-2.0
/*
 * lookup.c - port tables: which socket holds which local port; and
 * connection tables: which connected socket has which 4-tuple.
 *
 * Each transport has one table per network namespace (UDP now, TCP with
 * the same code later), a hash of chains keyed by the local port. Binding,
 * unbinding and lookups all take the table's lock, and a lookup takes a
 * reference on the socket it returns before dropping it; so a socket is
 * never found once close() has unbound it, and is freed as soon as its
 * last reference goes. (Freeing sockets after an RCU grace period instead
 * would keep the module pinned for that long after the last close, and
 * rmmod right after a program exits would fail.)
 *
 * Sharing a port follows Linux's rules: two sockets may hold the same port
 * when their local addresses differ and neither is the wildcard, when both
 * set SO_REUSEADDR (and the holder is not listening), or when both set
 * SO_REUSEPORT and were created by the same user. (Linux 6.1's socket core
 * refuses SO_REUSEPORT to non-inet families, so netstack sockets cannot
 * set it yet; the rule is here for when they can.)
 *
 * Ephemeral ports come from Linux's default range by RFC 6056's
 * algorithm 1: start at a random port of the range and take the first
 * free one from there, wrapping around. A bitmap of the held ports of the
 * range makes that a scan of words rather than of chains, so that binding
 * stays cheap (with BHs off) however many sockets there are; a port some
 * socket holds is never handed out as an ephemeral one, even if it could
 * be shared.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "netstack.h"

/**
 * ns_port_table_init() - start an empty port table
 * @table: the table
 */
void ns_port_table_init(struct ns_port_table *table)
{
	unsigned int i;

	spin_lock_init(&table->lock);
	for (i = 0; i < ARRAY_SIZE(table->chains); i++)
		INIT_HLIST_HEAD(&table->chains[i]);
	bitmap_zero(table->ephemeral_held, NS_PORT_EPHEMERAL_COUNT);
}
EXPORT_SYMBOL_IF_KUNIT(ns_port_table_init);

/**
 * ns_port_chain() - the chain of a table that holds a port's sockets
 * @table: the table
 * @port: the local port, host order
 *
 * Return: the chain; walk it under the table's lock with
 * hlist_for_each_entry() over sk_bind_node and compare sk_num, as other
 * ports share it.
 */
struct hlist_head *ns_port_chain(struct ns_port_table *table, u16 port)
{
	return &table->chains[hash_32(port, NS_PORT_CHAIN_BITS)];
}

/* Whether @other, holding the port @sk wants, keeps @sk from having it. */
static bool ns_port_conflict(const struct sock *sk, const struct sock *other)
{
	__be32 addr = sk->sk_rcv_saddr;
	__be32 other_addr = other->sk_rcv_saddr;

	if (addr && other_addr && addr != other_addr)
		return false;
	if (sk->sk_reuse && other->sk_reuse &&
	    READ_ONCE(other->sk_state) != TCP_LISTEN)
		return false;
	if (sk->sk_reuseport && other->sk_reuseport && uid_eq(sk->sk_uid, other->sk_uid))
		return false;
	return true;
}

/* Table lock held. */
static bool ns_port_taken(struct ns_port_table *table, const struct sock *sk,
			  u16 port)
{
	struct sock *other;

	hlist_for_each_entry(other, ns_port_chain(table, port), sk_bind_node)
		if (other != sk && other->sk_num == port &&
		    ns_port_conflict(sk, other))
			return true;
	return false;
}

/* Table lock held: a port of the ephemeral range no socket holds, or 0. */
static u16 ns_port_pick(struct ns_port_table *table)
{
	unsigned long start = get_random_u32_below(NS_PORT_EPHEMERAL_COUNT);
	unsigned long bit;

	bit = find_next_zero_bit(table->ephemeral_held, NS_PORT_EPHEMERAL_COUNT, start);
	if (bit >= NS_PORT_EPHEMERAL_COUNT) {
		bit = find_first_zero_bit(table->ephemeral_held, start);
		if (bit >= start)
			return 0;
	}
	return NS_PORT_EPHEMERAL_MIN + bit;
}

static bool ns_port_ephemeral(u16 port)
{
	return port >= NS_PORT_EPHEMERAL_MIN && port <= NS_PORT_EPHEMERAL_MAX;
}

/**
 * ns_port_bind() - give a socket a local port
 * @table: its transport's table in its namespace
 * @sk: the socket, locked, holding no port; its sk_rcv_saddr, SO_REUSEADDR
 *	and SO_REUSEPORT settings decide what it may share
 * @port: the port (host order), or 0 for an ephemeral one
 *
 * Return: 0 with sk->sk_num set; -EADDRINUSE when @port is held by a
 * socket it cannot be shared with, or no ephemeral port is free.
 */
int ns_port_bind(struct ns_port_table *table, struct sock *sk, u16 port)
{
	int err = 0;

	spin_lock_bh(&table->lock);
	if (!port)
		port = ns_port_pick(table);
	else if (ns_port_taken(table, sk, port))
		port = 0;
	if (port) {
		sk->sk_num = port;
		hlist_add_head(&sk->sk_bind_node, ns_port_chain(table, port));
		if (ns_port_ephemeral(port))
			__set_bit(port - NS_PORT_EPHEMERAL_MIN, table->ephemeral_held);
	} else {
		err = -EADDRINUSE;
	}
	spin_unlock_bh(&table->lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(ns_port_bind);

/**
 * ns_port_unbind() - give a socket's port back
 * @table: the table it was bound in
 * @sk: the socket, locked; nothing happens if it holds no port
 */
void ns_port_unbind(struct ns_port_table *table, struct sock *sk)
{
	struct sock *other;
	u16 port = sk->sk_num;
	bool held = false;

	spin_lock_bh(&table->lock);
	if (!hlist_unhashed(&sk->sk_bind_node)) {
		hlist_del_init(&sk->sk_bind_node);
		sk->sk_num = 0;
		if (ns_port_ephemeral(port)) {
			hlist_for_each_entry(other, ns_port_chain(table, port), sk_bind_node)
				held |= other->sk_num == port;
			if (!held)
				__clear_bit(port - NS_PORT_EPHEMERAL_MIN, table->ephemeral_held);
		}
	}
	spin_unlock_bh(&table->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ns_port_unbind);

/**
 * ns_port_inherit() - give a connection its listener's port
 * @table: the port table
 * @sk: the new connection, unbound
 * @parent: the listener it came from, bound
 *
 * The connection shares the port without the sharing rules: it holds it
 * as long as it lives, as Linux's do.
 *
 * Return: 0, or -EADDRNOTAVAIL if @parent lost its port meanwhile.
 */
int ns_port_inherit(struct ns_port_table *table, struct sock *sk,
		    const struct sock *parent)
{
	u16 port = parent->sk_num;
	int err = -EADDRNOTAVAIL;

	spin_lock_bh(&table->lock);
	if (port && !hlist_unhashed(&parent->sk_bind_node)) {
		sk->sk_num = port;
		hlist_add_head(&sk->sk_bind_node, ns_port_chain(table, port));
		if (ns_port_ephemeral(port))
			__set_bit(port - NS_PORT_EPHEMERAL_MIN, table->ephemeral_held);
		err = 0;
	}
	spin_unlock_bh(&table->lock);
	return err;
}

/**
 * ns_port_check_listen() - whether a bound socket may start listening
 * @table: the port table
 * @sk: the socket, bound, its state already TCP_LISTEN
 *
 * A socket that shares its port by SO_REUSEADDR may not listen while
 * another sharer listens (Linux's rule; the listener is what the rule
 * protects).
 *
 * Return: 0 or -EADDRINUSE.
 */
int ns_port_check_listen(struct ns_port_table *table, struct sock *sk)
{
	int err;

	spin_lock_bh(&table->lock);
	err = ns_port_taken(table, sk, sk->sk_num) ? -EADDRINUSE : 0;
	spin_unlock_bh(&table->lock);
	return err;
}

/*
 * Connections (TCP): a second table per namespace holds connected sockets
 * by their 4-tuple, linked through sk_node; listeners stay in the port
 * table. A segment goes to the connection with its exact 4-tuple, else to
 * a listener on its destination address and port, else to a listener on
 * the wildcard address and that port (the seed's findEndpointLocked order).
 */

/**
 * ns_conn_table_init() - start an empty connection table
 * @table: the table
 */
void ns_conn_table_init(struct ns_conn_table *table)
{
	unsigned int i;

	spin_lock_init(&table->lock);
	for (i = 0; i < ARRAY_SIZE(table->chains); i++)
		INIT_HLIST_HEAD(&table->chains[i]);
	table->secret = get_random_u32();
}
EXPORT_SYMBOL_IF_KUNIT(ns_conn_table_init);

static struct hlist_head *ns_conn_chain(struct ns_conn_table *table,
					__be32 laddr, u16 lport,
					__be32 raddr, __be16 rport)
{
	u32 ports = (u32)lport << 16 | ntohs(rport);
	u32 h = jhash_3words((__force u32)laddr, (__force u32)raddr, ports,
			     table->secret);

	return &table->chains[h >> (32 - NS_CONN_CHAIN_BITS)];
}

/* Conns lock held: the connection with this 4-tuple, or NULL. */
static struct sock *__ns_conn_find(struct ns_conn_table *table, __be32 laddr,
				   u16 lport, __be32 raddr, __be16 rport)
{
	struct sock *sk;

	hlist_for_each_entry(sk, ns_conn_chain(table, laddr, lport, raddr, rport), sk_node)
		if (sk->sk_rcv_saddr == laddr && sk->sk_num == lport &&
		    sk->sk_daddr == raddr && sk->sk_dport == rport)
			return sk;
	return NULL;
}

/**
 * ns_conn_insert_unique() - hash a connection unless its 4-tuple is taken
 * @table: the connection table
 * @sk: the socket, its addresses and ports set
 *
 * Return: 0, or -EADDRNOTAVAIL when another connection has the 4-tuple.
 */
int ns_conn_insert_unique(struct ns_conn_table *table, struct sock *sk)
{
	int err = 0;

	spin_lock_bh(&table->lock);
	if (__ns_conn_find(table, sk->sk_rcv_saddr, sk->sk_num, sk->sk_daddr,
			   sk->sk_dport))
		err = -EADDRNOTAVAIL;
	else
		hlist_add_head(&sk->sk_node, ns_conn_chain(table, sk->sk_rcv_saddr,
							   sk->sk_num, sk->sk_daddr,
							   sk->sk_dport));
	spin_unlock_bh(&table->lock);
	return err;
}

/**
 * ns_conn_find() - the connection with a 4-tuple, exactly
 * @conns: the connection table
 * @laddr: local address
 * @lport: local port, host order
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: the socket with a reference the caller drops, or NULL.
 */
struct sock *ns_conn_find(struct ns_conn_table *conns, __be32 laddr, u16 lport,
			  __be32 raddr, __be16 rport)
{
	struct sock *sk;

	spin_lock_bh(&conns->lock);
	sk = __ns_conn_find(conns, laddr, lport, raddr, rport);
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&conns->lock);
	return sk;
}

/**
 * ns_conn_hash() - enter a connected socket in the connection table
 * @table: its transport's table in its namespace
 * @sk: the socket, with its 4-tuple set (sk_rcv_saddr, sk_num, sk_daddr,
 *	sk_dport) and not in the table
 */
void ns_conn_hash(struct ns_conn_table *table, struct sock *sk)
{
	spin_lock_bh(&table->lock);
	hlist_add_head(&sk->sk_node, ns_conn_chain(table, sk->sk_rcv_saddr, sk->sk_num,
						   sk->sk_daddr, sk->sk_dport));
	spin_unlock_bh(&table->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ns_conn_hash);

/**
 * ns_conn_unhash() - take a socket out of the connection table
 * @table: the table it is in
 * @sk: the socket; nothing happens if it is not in it
 */
void ns_conn_unhash(struct ns_conn_table *table, struct sock *sk)
{
	spin_lock_bh(&table->lock);
	if (!hlist_unhashed(&sk->sk_node))
		hlist_del_init(&sk->sk_node);
	spin_unlock_bh(&table->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ns_conn_unhash);

/* Ports table lock held: the listener on @port for @daddr, most specific first. */
static struct sock *ns_listener_find(struct ns_port_table *ports, __be32 daddr,
				     u16 port)
{
	struct sock *sk, *wildcard = NULL;

	hlist_for_each_entry(sk, ns_port_chain(ports, port), sk_bind_node) {
		if (sk->sk_num != port || sk->sk_state != TCP_LISTEN)
			continue;
		if (sk->sk_rcv_saddr == daddr)
			return sk;
		if (!sk->sk_rcv_saddr && !wildcard)
			wildcard = sk;
	}
	return wildcard;
}

/**
 * ns_conn_lookup() - the socket a segment belongs to
 * @conns: the transport's connection table
 * @ports: its port table, where listeners are
 * @saddr: the segment's source address (the peer)
 * @sport: its source port
 * @daddr: its destination address (ours)
 * @dport: its destination port
 *
 * Context: BHs off.
 * Return: the connection with exactly this 4-tuple, else the listener on
 * @daddr:@dport, else the listener on the wildcard address and @dport,
 * with a reference the caller puts; or NULL.
 */
struct sock *ns_conn_lookup(struct ns_conn_table *conns,
			    struct ns_port_table *ports, __be32 saddr,
			    __be16 sport, __be32 daddr, __be16 dport)
{
	u16 port = ntohs(dport);
	struct sock *sk;

	spin_lock(&conns->lock);
	sk = __ns_conn_find(conns, daddr, port, saddr, sport);
	if (sk) {
		sock_hold(sk);
		spin_unlock(&conns->lock);
		return sk;
	}
	spin_unlock(&conns->lock);

	spin_lock(&ports->lock);
	sk = ns_listener_find(ports, daddr, port);
	if (sk)
		sock_hold(sk);
	spin_unlock(&ports->lock);
	return sk;
}
EXPORT_SYMBOL_IF_KUNIT(ns_conn_lookup);
