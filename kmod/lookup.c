// SPDX-License-Identifier: GPL-2.0
/*
 * lookup.c - port tables: which socket holds which local port.
 *
 * Each transport has one table per network namespace (UDP now, TCP with
 * the same code later), a hash of chains keyed by the local port. Binding
 * and unbinding take the table's lock; the receive path walks a chain
 * under RCU, which is safe because netstack sockets are freed only after
 * a grace period (SOCK_RCU_FREE).
 *
 * Sharing a port follows Linux's rules: two sockets may hold the same port
 * when their local addresses differ and neither is the wildcard, when both
 * set SO_REUSEADDR (and the holder is not listening), or when both set
 * SO_REUSEPORT and belong to the same user.
 *
 * Ephemeral ports come from Linux's default range by RFC 6056's
 * algorithm 1: start at a random port of the range and take the first
 * free one from there, wrapping around.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/random.h>
#include <net/tcp_states.h>

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
}

/**
 * ns_port_chain() - the chain of a table that holds a port's sockets
 * @table: the table
 * @port: the local port, host order
 *
 * Return: the chain; walk it with hlist_for_each_entry_rcu() over
 * sk_bind_node and compare sk_num, as other ports share it.
 */
struct hlist_head *ns_port_chain(struct ns_port_table *table, u16 port)
{
	return &table->chains[hash_32(port, NS_PORT_CHAIN_BITS)];
}

/* Whether @other, holding the port @sk wants, keeps @sk from having it. */
static bool ns_port_conflict(const struct sock *sk, const struct sock *other)
{
	__be32 addr = READ_ONCE(sk->sk_rcv_saddr);
	__be32 other_addr = READ_ONCE(other->sk_rcv_saddr);

	if (addr && other_addr && addr != other_addr)
		return false;
	if (sk->sk_reuse && other->sk_reuse &&
	    READ_ONCE(other->sk_state) != TCP_LISTEN)
		return false;
	if (sk->sk_reuseport && other->sk_reuseport &&
	    uid_eq(sock_i_uid((struct sock *)sk), sock_i_uid((struct sock *)other)))
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

/* Table lock held: a free ephemeral port for @sk, or 0. */
static u16 ns_port_pick(struct ns_port_table *table, const struct sock *sk)
{
	u32 range = NS_PORT_EPHEMERAL_MAX - NS_PORT_EPHEMERAL_MIN + 1;
	u32 offset = get_random_u32_below(range), i;

	for (i = 0; i < range; i++) {
		u16 port = NS_PORT_EPHEMERAL_MIN + (offset + i) % range;

		if (!ns_port_taken(table, sk, port))
			return port;
	}
	return 0;
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
		port = ns_port_pick(table, sk);
	else if (ns_port_taken(table, sk, port))
		port = 0;
	if (port) {
		WRITE_ONCE(sk->sk_num, port);
		hlist_add_head_rcu(&sk->sk_bind_node, ns_port_chain(table, port));
	} else {
		err = -EADDRINUSE;
	}
	spin_unlock_bh(&table->lock);
	return err;
}

/**
 * ns_port_unbind() - give a socket's port back
 * @table: the table it was bound in
 * @sk: the socket, locked; nothing happens if it holds no port
 *
 * Readers walking the chain may still see it until a grace period ends.
 */
void ns_port_unbind(struct ns_port_table *table, struct sock *sk)
{
	spin_lock_bh(&table->lock);
	if (!hlist_unhashed(&sk->sk_bind_node)) {
		hlist_del_init_rcu(&sk->sk_bind_node);
		WRITE_ONCE(sk->sk_num, 0);
	}
	spin_unlock_bh(&table->lock);
}
