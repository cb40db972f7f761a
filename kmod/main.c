// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module load and unload.
 *
 * Load order: the per-netns instances first, then device events, the
 * configuration family and the socket family, so that nothing finds a
 * netns without an instance. Unload undoes it in reverse, except that
 * device events are followed until every link is detached. No socket can
 * be open at unload: each one holds a reference on this module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>
#include <uapi/linux/netstack.h>

#include "netstack.h"

static int ns_family = AF_NETSTACK;
module_param_named(family, ns_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default 25, AF_NETSTACK)");

static int __init ns_module_init(void)
{
	int err;

	/* First: a namespace's exit waits for TCP's work (ns_tcp_net_exit()). */
	err = ns_tcp_register();
	if (err)
		return err;
	err = ns_pernet_register();
	if (err)
		goto unregister_tcp;
	err = ns_dev_register();
	if (err)
		goto unregister_pernet;
	err = ns_netlink_register();
	if (err)
		goto unregister_dev;
	ns_udp_register();
	err = ns_af_register(ns_family);
	if (err)
		goto unregister_udp;
	pr_info("loaded: address family %d\n", ns_family);
	return 0;

unregister_udp:
	ns_udp_unregister();
	ns_netlink_unregister();
unregister_dev:
	ns_dev_unregister();
unregister_pernet:
	ns_pernet_unregister();
unregister_tcp:
	ns_tcp_unregister();
	return err;
}

static void __exit ns_module_exit(void)
{
	ns_af_unregister();
	ns_udp_unregister();
	ns_netlink_unregister();
	/* Detaches every link; device events must still be heard meanwhile. */
	ns_pernet_unregister();
	ns_dev_unregister();
	/* Every TCP socket is gone (each held the module); their work too. */
	ns_tcp_unregister();
	/* Let RCU callbacks in this module's text (neighbours, links) run. */
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(ns_module_init);
module_exit(ns_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netstack: an ARP/IPv4/ICMP/UDP/TCP stack offered as the AF_NETSTACK socket family");
MODULE_AUTHOR("The netstack developers");
MODULE_ALIAS_NETPROTO(AF_NETSTACK);
MODULE_ALIAS_GENL_FAMILY(NETSTACK_GENL_NAME);
