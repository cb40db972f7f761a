/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsctl.h - what the nsctl sources share: error and usage reporting,
 * argument parsers (parse.c), the generic netlink helpers (genl.c), the
 * buffered output and its JSON writer (json.c), and one entry point per
 * object (link.c, addr.c, route.c, neigh.c, stats.c, sockets.c).
 *
 * Flow of a command: main.c picks the object; the object parses its
 * arguments completely (usage errors exit 2 before any netlink traffic),
 * builds one request, and hands it to ns_genl_change() or ns_genl_dump().
 */
#ifndef NSCTL_H
#define NSCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netstack.h>

#define ETH_ALEN_NS	6	/* link-layer address length in the ABI */

/* main.c: global options and output */
extern bool ns_json;		/* -j given */
FILE *ns_out(void);		/* buffered stdout, written only on success */

/* parse.c: errors, usage, argument parsers */
int ns_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ns_usage_err(const char *usage, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
bool ns_is_show(const char *arg);
bool ns_is_help(const char *arg);
const char *ns_next_arg(int *argc, char ***argv, const char *usage);
void ns_dup_check(bool seen, const char *kw, const char *usage);
uint32_t ns_parse_ipv4(const char *what, const char *arg, const char *usage);
void ns_parse_prefix(const char *what, const char *arg, bool net,
		     uint32_t *addr, uint8_t *len, const char *usage);
void ns_parse_lladdr(const char *arg, uint8_t mac[ETH_ALEN_NS],
		     const char *usage);
uint32_t ns_dev_index(const char *name);
const char *ns_fmt_ipv4(uint32_t addr, char buf[16]);
const char *ns_fmt_lladdr(const uint8_t *mac, char buf[18]);
const char *ns_ifname(const struct nlattr *const *tb, char buf[16]);

/* genl.c: the "netstack" generic netlink family */
struct nlmsghdr *ns_genl_msg(void *buf, uint8_t cmd);
int ns_genl_change(struct nlmsghdr *nlh);
int ns_genl_dump(uint8_t cmd, mnl_cb_t cb, void *data);
int ns_genl_attrs(const struct nlmsghdr *nlh,
		  const struct nlattr *tb[NETSTACK_A_MAX + 1]);
int ns_genl_attrs_nested(const struct nlattr *nest,
			 const struct nlattr *tb[NETSTACK_A_MAX + 1]);
int ns_genl_need(const struct nlattr *const *tb, const char *what,
		 const int *need);
void ns_genl_close(void);

#define NS_MSG_SIZE	512	/* every request fits */

/* json.c: a minimal streaming JSON writer on ns_out() */
void ns_json_open(const char *key, char bracket);
void ns_json_close(char bracket);
void ns_json_str(const char *key, const char *val);
void ns_json_uint(const char *key, unsigned long long val);

/* the objects; each returns the exit status */
int ns_link_main(int argc, char **argv);
int ns_addr_main(int argc, char **argv);
int ns_route_main(int argc, char **argv);
int ns_neigh_main(int argc, char **argv);
int ns_stats_main(int argc, char **argv);
int ns_sockets_main(int argc, char **argv);

#endif /* NSCTL_H */
