// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module load and unload.
 *
 * Load order: the per-netns instances first, then the socket family, so
 * that a socket never finds its netns without an instance. Unload undoes
 * it in reverse. No socket can be open at unload: each one holds a
 * reference on this module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <uapi/linux/netstack.h>

#include "netstack.h"

static int ns_family = AF_NETSTACK;
module_param_named(family, ns_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default 25, AF_NETSTACK)");

static int __init ns_module_init(void)
{
	int err;

	err = ns_pernet_register();
	if (err)
		return err;
	err = ns_af_register(ns_family);
	if (err)
		goto unregister_pernet;
	pr_info("loaded: address family %d\n", ns_family);
	return 0;

unregister_pernet:
	ns_pernet_unregister();
	return err;
}

static void __exit ns_module_exit(void)
{
	ns_af_unregister();
	ns_pernet_unregister();
	pr_info("unloaded\n");
}

module_init(ns_module_init);
module_exit(ns_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netstack: an ARP/IPv4/ICMP/UDP/TCP stack offered as the AF_NETSTACK socket family");
MODULE_AUTHOR("The netstack developers");
MODULE_ALIAS_NETPROTO(AF_NETSTACK);
