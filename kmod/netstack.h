/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types and limits shared by every part of the netstack module: the
 * per-network-namespace instance and the socket-family entry points.
 */
#ifndef _NETSTACK_H
#define _NETSTACK_H

#include <linux/atomic.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

/**
 * struct ns_net - one netstack instance, one per network namespace
 * @net: the namespace this instance belongs to (not refcounted: the
 *	instance lives exactly as long as the namespace)
 * @proc_dir: /proc/net/netstack of this namespace
 * @sockets_created: netstack sockets ever created in this namespace
 */
struct ns_net {
	struct net *net;
	struct proc_dir_entry *proc_dir;
	atomic_long_t sockets_created;
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

int ns_proc_net_init(struct ns_net *nsn);
void ns_proc_net_exit(struct ns_net *nsn);

int ns_pernet_register(void);
void ns_pernet_unregister(void);

int ns_af_register(int family);
void ns_af_unregister(void);
int ns_af_sockets_open(struct net *net);

#endif /* _NETSTACK_H */
