// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - read-only views of a netstack instance under /proc/net/netstack/,
 * for a quick look without nsctl:
 *
 *   stats	"name value" per line: sockets, then every counter
 *   links	ifindex, device, Ethernet address, MTU, state
 *   addrs	address/prefix and device
 *   routes	prefix, gateway, device, source, origin
 *   neigh	address, device, Ethernet address, state
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "netstack.h"

static int ns_proc_stats_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	const struct ns_net *nsn = ns_net(net);
	unsigned int i;

	seq_printf(seq, "sockets_open %d\n", ns_af_sockets_open(net));
	seq_printf(seq, "sockets_created %ld\n",
		   atomic_long_read(&nsn->sockets_created));
	for (i = 0; i < ns_stats_count(); i++)
		seq_printf(seq, "%s %llu\n", ns_stats_name(i), ns_stats_value(nsn, i));
	return 0;
}

static int ns_proc_links_show(struct seq_file *seq, void *v)
{
	struct ns_net *nsn = ns_net(seq_file_single_net(seq));
	struct ns_link *link;

	seq_puts(seq, "ifindex device mac mtu state\n");
	rcu_read_lock();
	list_for_each_entry_rcu(link, &nsn->links, node)
		seq_printf(seq, "%d %s %pM %u %s\n", link->dev->ifindex,
			   link->dev->name, link->dev->dev_addr, link->dev->mtu,
			   ns_link_usable(link) ? "UP" : "DOWN");
	rcu_read_unlock();
	return 0;
}

static int ns_proc_addrs_show(struct seq_file *seq, void *v)
{
	struct ns_net *nsn = ns_net(seq_file_single_net(seq));
	struct ns_addr *a;

	seq_puts(seq, "address device\n");
	rcu_read_lock();
	list_for_each_entry_rcu(a, &nsn->addrs, node)
		seq_printf(seq, "%pI4/%u %s\n", &a->addr, a->prefixlen,
			   a->link->dev->name);
	rcu_read_unlock();
	return 0;
}

static int ns_proc_routes_show(struct seq_file *seq, void *v)
{
	struct ns_net *nsn = ns_net(seq_file_single_net(seq));
	struct ns_route *r;

	seq_puts(seq, "prefix gateway device source origin\n");
	rcu_read_lock();
	list_for_each_entry_rcu(r, &nsn->routes, node)
		seq_printf(seq, "%pI4/%u %pI4 %s %pI4 %s\n", &r->dst, r->prefixlen,
			   &r->gateway, r->link->dev->name, &r->prefsrc,
			   r->origin == NETSTACK_ROUTE_LINK ? "link" : "static");
	rcu_read_unlock();
	return 0;
}

static int ns_proc_neigh_show(struct seq_file *seq, void *v)
{
	struct ns_net *nsn = ns_net(seq_file_single_net(seq));
	struct ns_neigh *n;
	int i;

	seq_puts(seq, "address device mac state\n");
	rcu_read_lock();
	for (i = 0; i < NS_NEIGH_BUCKETS; i++)
		hlist_for_each_entry_rcu(n, &nsn->neigh.buckets[i], node)
			seq_printf(seq, "%pI4 %s %pM %s\n", &n->addr,
				   n->link->dev->name, n->lladdr,
				   ns_neigh_state_name(READ_ONCE(n->fsm.state)));
	rcu_read_unlock();
	return 0;
}

static const struct {
	const char *name;
	int (*show)(struct seq_file *seq, void *v);
} ns_proc_files[] = {
	{ "stats", ns_proc_stats_show },
	{ "links", ns_proc_links_show },
	{ "addrs", ns_proc_addrs_show },
	{ "routes", ns_proc_routes_show },
	{ "neigh", ns_proc_neigh_show },
};

/**
 * ns_proc_net_init() - create /proc/net/netstack/ for one instance
 * @nsn: the instance, whose netns is being set up
 *
 * Return: 0 or -ENOMEM.
 */
int ns_proc_net_init(struct ns_net *nsn)
{
	unsigned int i;

	if (!IS_ENABLED(CONFIG_PROC_FS))
		return 0;
	nsn->proc_dir = proc_net_mkdir(nsn->net, "netstack", nsn->net->proc_net);
	if (!nsn->proc_dir)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(ns_proc_files); i++) {
		if (!proc_create_net_single(ns_proc_files[i].name, 0444,
					    nsn->proc_dir, ns_proc_files[i].show,
					    NULL)) {
			remove_proc_subtree("netstack", nsn->net->proc_net);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * ns_proc_net_exit() - remove /proc/net/netstack/ of one instance
 * @nsn: the instance, whose netns is being dismantled
 */
void ns_proc_net_exit(struct ns_net *nsn)
{
	remove_proc_subtree("netstack", nsn->net->proc_net);
}
