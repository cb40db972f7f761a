/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernels netstack builds for,
 * from 6.1 (as Debian 12 ships it) to 7.3, in one place.
 *
 * The rule, as WireGuard's compat layer has it: the module is written
 * against the newest kernel's API, and this header makes older kernels
 * look like it -- a shim named after the new function, type or macro
 * where the old kernel lacks it, an adapter where a callback's arguments
 * changed. No other file tests LINUX_VERSION_CODE. Each entry says which
 * kernel brought the change; when the oldest supported kernel has it, the
 * entry goes.
 *
 * What needs no entry, by design:
 * - proto_ops.sendpage (gone in 6.5): netstack leaves it unset; 6.1's
 *   kernel_sendpage() then falls back to sock_no_sendpage(), which hands
 *   the page to sendmsg, as 6.5+ hands it with MSG_SPLICE_PAGES.
 * - struct proto's recvmsg (addr_len argument gone in 7.x) and ioctl
 *   (int *karg from 6.5): netstack's proto_ops call the transport's
 *   function themselves, as MCTP and packet sockets do, so these members
 *   are left unset and the transports' functions have the new form on
 *   every kernel.
 * - sk_stream_wait_close() (no longer exported by 7.3): tcp_sock.c has
 *   its own, ns_tcp_wait_close(), on every kernel.
 * - timer_delete(), timer_delete_sync(), timer_shutdown_sync() (6.2, the
 *   old del_timer*() names gone in 6.15): 6.1.y has them (stable
 *   backport), so the old names are never used.
 *
 * The oldest kernel supported is therefore a 6.1.y with those timer
 * backports, as every Debian 12 kernel is.
 */
#ifndef _NETSTACK_COMPAT_H
#define _NETSTACK_COMPAT_H

#include <linux/module.h>
#include <linux/net.h>
#include <linux/sysctl.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/net_namespace.h>

/*
 * NS_LINUX_BEFORE(6, 12): built for a kernel older than 6.12 (any 6.11.y).
 * It is LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0) without the
 * sublevel, spelt with the kernel's LINUX_VERSION_MAJOR and _PATCHLEVEL
 * so that this header is the one place versions are compared (checkpatch
 * flags each LINUX_VERSION_CODE, rightly so in any other file).
 */
#define NS_LINUX_BEFORE(major, patchlevel)				\
	(KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0) < \
	 KERNEL_VERSION(major, patchlevel, 0))

/*
 * 6.12: <asm/unaligned.h> became <linux/unaligned.h>. Users of
 * get_unaligned_*() and put_unaligned_*() include compat.h for it.
 */
#if !NS_LINUX_BEFORE(6, 12)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.5: the GSO helpers (skb_gso_validate_network_len()) moved to <net/gso.h>. */
#if !NS_LINUX_BEFORE(6, 5)
#include <net/gso.h>
#endif

/*
 * 6.17: a workqueue says whether it is per-CPU (WQ_PERCPU) or unbound;
 * 7.3 warns when it says neither. Before, per-CPU was what no flag meant.
 * (6.12.y has the flag too, by stable backport; 0 there is the same.)
 */
#if NS_LINUX_BEFORE(6, 17)
#define WQ_PERCPU 0
#endif

/* 6.16: from_timer() was renamed timer_container_of(). */
#ifndef timer_container_of
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

/*
 * 6.19: proto_ops.bind and .connect, and struct proto's .connect, take a
 * struct sockaddr_unsized (the length is the addr_len argument, not the
 * type). Before, they took a struct sockaddr; the layout is the same.
 */
#if NS_LINUX_BEFORE(6, 19)
#define sockaddr_unsized sockaddr
#endif

/*
 * 6.10: proto_ops.accept takes its flags in a struct proto_accept_arg.
 * Before, they were arguments; NS_COMPAT_ACCEPT(fn);, after an accept
 * written the new way, defines the adapter the old kernels' ops table
 * names as NS_COMPAT_ACCEPT_OP(fn). Both forms of NS_COMPAT_ACCEPT() end
 * in a static_assert() that the ops table's function has the type the
 * kernel wants, which also takes the caller's semicolon; so do those of
 * NS_COMPAT_PROC_HANDLER().
 */
#if NS_LINUX_BEFORE(6, 10)
struct proto_accept_arg {
	int flags;
	int err;
	int is_empty;
	bool kern;
};

#define NS_COMPAT_ACCEPT(fn)						\
static int fn##_compat(struct socket *sock, struct socket *newsock,	\
		       int flags, bool kern)				\
{									\
	struct proto_accept_arg arg = { .flags = flags, .kern = kern };	\
									\
	return fn(sock, newsock, &arg);					\
}									\
static_assert(__same_type(&fn##_compat, ((const struct proto_ops *)0)->accept))

#define NS_COMPAT_ACCEPT_OP(fn) fn##_compat
#else
#define NS_COMPAT_ACCEPT(fn) \
	static_assert(__same_type(&(fn), ((const struct proto_ops *)0)->accept))
#define NS_COMPAT_ACCEPT_OP(fn) fn
#endif

/*
 * 6.11: a proc_handler is given a const struct ctl_table. Before, the
 * table was not const; NS_COMPAT_PROC_HANDLER(fn);, after a handler
 * written the new way, defines the adapter the old kernels' sysctl table
 * names as NS_COMPAT_PROC_HANDLER_OP(fn).
 */
#if NS_LINUX_BEFORE(6, 11)
#define NS_COMPAT_PROC_HANDLER(fn)					\
static int fn##_compat(struct ctl_table *table, int write, void *buffer, \
		       size_t *lenp, loff_t *ppos)			\
{									\
	return fn(table, write, buffer, lenp, ppos);			\
}									\
static_assert(__same_type(&fn##_compat, proc_handler *))

#define NS_COMPAT_PROC_HANDLER_OP(fn) fn##_compat
#else
#define NS_COMPAT_PROC_HANDLER(fn) static_assert(__same_type(&(fn), proc_handler *))
#define NS_COMPAT_PROC_HANDLER_OP(fn) fn
#endif

/*
 * 6.6: register_net_sysctl_sz() is told the table's size. Before, the
 * table ended at an empty entry, so tables keep one after the entries
 * they count.
 */
#if NS_LINUX_BEFORE(6, 6)
#define register_net_sysctl_sz(net, path, table, table_size) \
	((void)(table_size), register_net_sysctl(net, path, table))
#endif

/*
 * 6.13: symbol namespaces are string literals. Before, MODULE_IMPORT_NS()
 * stringified its argument.
 */
#if NS_LINUX_BEFORE(6, 13)
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns) MODULE_INFO(import_ns, ns)
#endif

/*
 * kzalloc_obj(var_or_type, gfp) allocates one zeroed object of the type it
 * names (7.3 has it, 6.12 does not; checkpatch asks for it). Before, the
 * size was spelt out for kzalloc().
 */
#ifndef kzalloc_obj
#define kzalloc_obj(P, gfp) kzalloc(sizeof(P), gfp)
#endif

/*
 * A socket that holds no reference on its namespace (sk_net_refcnt 0, as a
 * kernel socket) holds a passive one from 6.12 on (7.3 has it, and so has
 * Debian's 6.12, by a stable backport; 6.1 does not), which the socket's
 * destructor drops. ns_sock_net_release() gives up a socket's reference on
 * its namespace for such a passive one where the kernel will drop it, and
 * plainly before.
 */
#if NS_LINUX_BEFORE(6, 12)
static inline void ns_sock_net_release(struct sock *sk)
{
	put_net_track(sock_net(sk), &sk->ns_tracker);
}
#else
static inline void ns_sock_net_release(struct sock *sk)
{
	struct net *net = sock_net(sk);

	net_passive_inc(net);
	put_net_track(net, &sk->ns_tracker);
	__netns_tracker_alloc(net, &sk->ns_tracker, false, GFP_ATOMIC);
}
#endif

#endif /* _NETSTACK_COMPAT_H */
