// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.c - a namespace's netstack settings as sysctls under
 * net.netstack (/proc/sys/net/netstack/), each namespace its own values:
 *
 *   tcp_msl_ms          maximum segment lifetime in ms; TIME-WAIT (and an
 *                       orphan's FIN-WAIT-2) lasts 2 MSL
 *   tcp_syn_retries     SYN retransmissions before connect() fails
 *   tcp_synack_retries  SYN-ACK retransmissions before a half-open
 *                       connection is dropped
 *   tcp_retries2        data retransmissions (or unanswered zero-window
 *                       probes) before a connection is aborted
 *   tcp_congestion_control
 *                       the congestion control of new sockets ("cubic",
 *                       "reno"); TCP_CONGESTION chooses per socket
 *   tcp_available_congestion_control
 *                       the names it may take (read only)
 *   tcp_syncookies      SYN cookies (RFC 4987): 0 never, 1 when a
 *                       listener's SYN queue is full, 2 always
 *   tcp_challenge_ack_limit
 *                       challenge ACKs (RFC 5961) sent per second, all
 *                       connections together; more are suppressed
 *   tcp_ofo_mem_max     bytes (truesize) all connections together may
 *                       hold in out-of-order queues
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "netstack.h"
#include "tcp_cong.h"

static int ns_sysctl_one = 1;
static int ns_sysctl_msl_max = 3600 * 1000;
static int ns_sysctl_retries_max = 127;
static int ns_sysctl_two = 2;

/* tcp_congestion_control: a name in and out, an algorithm kept. */
static int ns_sysctl_congestion(const struct ctl_table *ctl, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	const struct ns_tcp_cong_ops **cur = ctl->data;
	char name[NS_TCP_CA_NAME_MAX];
	struct ctl_table tbl = { .data = name, .maxlen = sizeof(name) };
	const struct ns_tcp_cong_ops *ops;
	int err;

	strscpy(name, READ_ONCE(*cur)->name, sizeof(name));
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	ops = ns_tcp_cong_find(strim(name));
	if (!ops)
		return -ENOENT;
	WRITE_ONCE(*cur, ops);
	return 0;
}

NS_COMPAT_PROC_HANDLER(ns_sysctl_congestion);

static const char ns_sysctl_cong_available[] = "cubic reno";

static const struct ctl_table ns_sysctl_template[] = {
	{
		.procname = "tcp_msl_ms",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &ns_sysctl_one,
		.extra2 = &ns_sysctl_msl_max,
	},
	{
		.procname = "tcp_syn_retries",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &ns_sysctl_one,
		.extra2 = &ns_sysctl_retries_max,
	},
	{
		.procname = "tcp_synack_retries",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &ns_sysctl_one,
		.extra2 = &ns_sysctl_retries_max,
	},
	{
		.procname = "tcp_retries2",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &ns_sysctl_one,
		.extra2 = &ns_sysctl_retries_max,
	},
	{
		.procname = "tcp_congestion_control",
		.maxlen = NS_TCP_CA_NAME_MAX,
		.mode = 0644,
		.proc_handler = NS_COMPAT_PROC_HANDLER_OP(ns_sysctl_congestion),
	},
	{
		.procname = "tcp_available_congestion_control",
		.data = (void *)ns_sysctl_cong_available,
		.maxlen = sizeof(ns_sysctl_cong_available),
		.mode = 0444,
		.proc_handler = proc_dostring,
	},
	{
		.procname = "tcp_syncookies",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &ns_sysctl_two,
	},
	{
		.procname = "tcp_challenge_ack_limit",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
	},
	{
		.procname = "tcp_ofo_mem_max",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
	},
	{ }	/* the end, for kernels before 6.6 (see compat.h); not counted */
};

#define NS_SYSCTL_ENTRIES	(ARRAY_SIZE(ns_sysctl_template) - 1)

/**
 * ns_sysctl_net_init() - register a namespace's net.netstack sysctls
 * @nsn: the instance, its settings initialised
 *
 * Return: 0 or -ENOMEM.
 */
int ns_sysctl_net_init(struct ns_net *nsn)
{
	struct ctl_table *table;

	table = kmemdup(ns_sysctl_template, sizeof(ns_sysctl_template), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &nsn->tcp.msl_ms;
	table[1].data = &nsn->tcp.syn_retries;
	table[2].data = &nsn->tcp.synack_retries;
	table[3].data = &nsn->tcp.retries2;
	table[4].data = &nsn->tcp.cong;
	/* table[5], the available algorithms, is shared and read only */
	table[6].data = &nsn->tcp.syncookies;
	table[7].data = &nsn->tcp.challenge_ack_limit;
	table[8].data = &nsn->tcp.ofo_mem_max;
	nsn->sysctl = register_net_sysctl_sz(nsn->net, "net/netstack", table,
					     NS_SYSCTL_ENTRIES);
	if (!nsn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ns_sysctl_net_exit() - unregister them
 * @nsn: the instance
 */
void ns_sysctl_net_exit(struct ns_net *nsn)
{
	const struct ctl_table *table = nsn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(nsn->sysctl);
	kfree(table);
}
