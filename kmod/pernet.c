// SPDX-License-Identifier: GPL-2.0
/*
 * pernet.c - lifetime of the per-network-namespace netstack instance.
 *
 * Every netns gets a struct ns_net when it is created (or, for those that
 * already exist, when the module loads) and loses it when the netns is
 * dismantled (or the module unloads). A socket uses the instance of the
 * netns it was created in and holds a reference on that netns, so an
 * instance never goes away under an open socket.
 *
 * Teardown: links are detached first (which removes their addresses,
 * routes and neighbours and stops their timers), then the reassembly
 * queues are freed, the local delivery work is cancelled and its queue
 * purged, then /proc and the counters go.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>

#include "netstack.h"
#include "tcp.h"

unsigned int ns_net_id __read_mostly;

static int __net_init ns_net_init(struct net *net)
{
	struct ns_net *nsn = ns_net(net);
	int err;

	nsn->net = net;
	atomic_long_set(&nsn->sockets_created, 0);
	INIT_LIST_HEAD(&nsn->links);
	INIT_LIST_HEAD(&nsn->addrs);
	INIT_LIST_HEAD(&nsn->routes);
	ns_neigh_table_init(&nsn->neigh);
	atomic_set(&nsn->ip_id, get_random_u16());
	spin_lock_init(&nsn->icmp_lock);
	nsn->icmp_tokens = 0;
	nsn->icmp_stamp = 0;
	skb_queue_head_init(&nsn->local_queue);
	INIT_WORK(&nsn->local_work, ns_ipv4_local_work);
	ns_port_table_init(&nsn->udp_ports);
	ns_port_table_init(&nsn->tcp_ports);
	ns_conn_table_init(&nsn->tcp_conns);
	nsn->tcp = (struct ns_tcp_settings) {
		.msl_ms = 30000,	/* TIME-WAIT 60 s, as Linux's */
		.syn_retries = 6,
		.synack_retries = 5,
		.retries2 = 15,
		.cong = ns_tcp_cong_find(NS_TCP_CA_DEFAULT),
		.syncookies = 1,
		.challenge_ack_limit = 1000,
		.ofo_mem_max = 64 << 20,
	};
	ns_rate_limiter_init(&nsn->tcp_challenge);
	atomic_long_set(&nsn->tcp_ofo_mem, 0);

	err = ns_stats_init(nsn);
	if (err)
		return err;
	err = ns_frags_init(&nsn->frags);
	if (err)
		goto free_stats;
	err = ns_proc_net_init(nsn);
	if (err)
		goto free_frags;
	err = ns_sysctl_net_init(nsn);
	if (err)
		goto free_proc;
	return 0;

free_proc:
	ns_proc_net_exit(nsn);
free_frags:
	ns_frags_exit(&nsn->frags);
free_stats:
	ns_stats_exit(nsn);
	return err;
}

static void __net_exit ns_net_exit(struct net *net)
{
	struct ns_net *nsn = ns_net(net);

	/* No link, so no fragment can arrive any more. */
	ns_link_detach_all(nsn);
	ns_tcp_net_exit(nsn);
	ns_frags_exit(&nsn->frags);
	cancel_work_sync(&nsn->local_work);
	skb_queue_purge(&nsn->local_queue);
	/* Entries not tied to a link cannot exist, but flush all the same. */
	ns_neigh_flush(nsn, NULL, true);
	WARN_ON_ONCE(!list_empty(&nsn->addrs) || !list_empty(&nsn->routes));
	ns_sysctl_net_exit(nsn);
	ns_proc_net_exit(nsn);
	ns_stats_exit(nsn);
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
