// SPDX-License-Identifier: GPL-2.0
/*
 * pernet.c - lifetime of the per-network-namespace netstack instance.
 *
 * Every netns gets a struct ns_net when it is created (or, for those that
 * already exist, when the module loads) and loses it when the netns is
 * dismantled (or the module unloads). A socket uses the instance of the
 * netns it was created in and holds a reference on that netns, so an
 * instance never goes away under an open socket.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "netstack.h"

unsigned int ns_net_id __read_mostly;

static int __net_init ns_net_init(struct net *net)
{
	struct ns_net *nsn = ns_net(net);

	nsn->net = net;
	atomic_long_set(&nsn->sockets_created, 0);
	return ns_proc_net_init(nsn);
}

static void __net_exit ns_net_exit(struct net *net)
{
	ns_proc_net_exit(ns_net(net));
}

static struct pernet_operations ns_net_ops = {
	.init = ns_net_init,
	.exit = ns_net_exit,
	.id = &ns_net_id,
	.size = sizeof(struct ns_net),
};

/**
 * ns_pernet_register() - create the netstack instance of every netns
 *
 * Return: 0 or a negative errno.
 */
int ns_pernet_register(void)
{
	return register_pernet_subsys(&ns_net_ops);
}

/**
 * ns_pernet_unregister() - dismantle the netstack instance of every netns
 */
void ns_pernet_unregister(void)
{
	unregister_pernet_subsys(&ns_net_ops);
}
