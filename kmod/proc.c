// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - read-only views of a netstack instance under /proc/net/netstack/.
 *
 *   stats	one "name value" pair per line, the instance's counters
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "netstack.h"

static int ns_proc_stats_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	const struct ns_net *nsn = ns_net(net);

	seq_printf(seq, "sockets_open %d\n", ns_af_sockets_open(net));
	seq_printf(seq, "sockets_created %ld\n",
		   atomic_long_read(&nsn->sockets_created));
	return 0;
}

/**
 * ns_proc_net_init() - create /proc/net/netstack/ for one instance
 * @nsn: the instance, whose netns is being set up
 *
 * Return: 0 or -ENOMEM.
 */
int ns_proc_net_init(struct ns_net *nsn)
{
	if (!IS_ENABLED(CONFIG_PROC_FS))
		return 0;
	nsn->proc_dir = proc_net_mkdir(nsn->net, "netstack", nsn->net->proc_net);
	if (!nsn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, nsn->proc_dir,
				    ns_proc_stats_show, NULL)) {
		remove_proc_subtree("netstack", nsn->net->proc_net);
		return -ENOMEM;
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
