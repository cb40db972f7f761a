// SPDX-License-Identifier: GPL-2.0
/*
 * neigh.c - "nsctl neigh": the ARP cache. Add static entries, delete
 * entries, flush the dynamic ones, show them all (NEIGH_ADD, NEIGH_DEL,
 * NEIGH_FLUSH, NEIGH_GET).
 */
#include <net/if.h>
#include <string.h>

#include "nsctl.h"

static const char usage_add[] = "neigh add A.B.C.D lladdr XX:XX:XX:XX:XX:XX dev DEV";
static const char usage_del[] = "neigh del A.B.C.D [dev DEV]";
static const char usage_flush[] = "neigh flush [dev DEV]";
static const char usage_show[] = "neigh show [dev DEV]";

static const char *const neigh_states[] = {
	[NETSTACK_NEIGH_INCOMPLETE]	= "INCOMPLETE",
	[NETSTACK_NEIGH_REACHABLE]	= "REACHABLE",
	[NETSTACK_NEIGH_STALE]		= "STALE",
	[NETSTACK_NEIGH_FAILED]		= "FAILED",
	[NETSTACK_NEIGH_PERMANENT]	= "PERMANENT",
};

/* The arguments of any neigh command; which are allowed depends on it. */
struct neigh_args {
	const char *addr, *lladdr, *dev;
	uint32_t ip;
	uint8_t mac[ETH_ALEN_NS];
};

static void neigh_parse(int argc, char **argv, bool want_addr, bool want_lladdr,
			const char *usage, struct neigh_args *a)
{
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			ns_dup_check(a->dev, "dev", usage);
			a->dev = ns_next_arg(&argc, &argv, usage);
		} else if (want_lladdr && !strcmp(*argv, "lladdr")) {
			ns_dup_check(a->lladdr, "lladdr", usage);
			a->lladdr = ns_next_arg(&argc, &argv, usage);
			ns_parse_lladdr(a->lladdr, a->mac, usage);
		} else if (want_addr && !a->addr) {
			a->addr = *argv;
			a->ip = ns_parse_ipv4("address", a->addr, usage);
		} else {
			ns_usage_err(usage, "unexpected argument \"%s\"", *argv);
		}
	}
	if (want_addr && !a->addr)
		ns_usage_err(usage, "missing address");
}

static int neigh_add(int argc, char **argv)
{
	struct neigh_args a = { 0 };
	char buf[NS_MSG_SIZE];
	struct nlmsghdr *nlh;

	neigh_parse(argc, argv, true, true, usage_add, &a);
	if (!a.lladdr)
		ns_usage_err(usage_add, "missing \"lladdr XX:XX:XX:XX:XX:XX\"");
	if (!a.dev)
		ns_usage_err(usage_add, "missing \"dev DEV\"");
	nlh = ns_genl_msg(buf, NETSTACK_CMD_NEIGH_ADD);
	mnl_attr_put_u32(nlh, NETSTACK_A_IFINDEX, ns_dev_index(a.dev));
	mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, a.ip);
	mnl_attr_put(nlh, NETSTACK_A_LLADDR, ETH_ALEN_NS, a.mac);
	return ns_genl_change(nlh) ? 1 : 0;
}

/* del (@want_addr) and flush: ADDR and/or an optional IFINDEX. */
static int neigh_del_flush(uint8_t cmd, bool want_addr, int argc, char **argv,
			   const char *usage)
{
	struct neigh_args a = { 0 };
	char buf[NS_MSG_SIZE];
	struct nlmsghdr *nlh;

	neigh_parse(argc, argv, want_addr, false, usage, &a);
	nlh = ns_genl_msg(buf, cmd);
	if (want_addr)
		mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, a.ip);
	if (a.dev)
		mnl_attr_put_u32(nlh, NETSTACK_A_IFINDEX, ns_dev_index(a.dev));
	return ns_genl_change(nlh) ? 1 : 0;
}

static int neigh_print(const struct nlmsghdr *nlh, void *data)
{
	static const int need[] = { NETSTACK_A_ADDR, 0 };
	const struct nlattr *tb[NETSTACK_A_MAX + 1];
	const uint32_t *filter = data;
	char name[IF_NAMESIZE], dst[16], mac[18], sbuf[4];
	const char *dev = NULL, *state = NULL;

	if (ns_genl_attrs(nlh, tb) || ns_genl_need(tb, "neighbour", need))
		return MNL_CB_ERROR;
	if (*filter && (!tb[NETSTACK_A_IFINDEX] ||
			mnl_attr_get_u32(tb[NETSTACK_A_IFINDEX]) != *filter))
		return MNL_CB_OK;
	ns_fmt_ipv4(mnl_attr_get_u32(tb[NETSTACK_A_ADDR]), dst);
	if (tb[NETSTACK_A_IFINDEX] || tb[NETSTACK_A_IFNAME])
		dev = ns_ifname(tb, name);
	if (tb[NETSTACK_A_LLADDR])
		ns_fmt_lladdr(mnl_attr_get_payload(tb[NETSTACK_A_LLADDR]), mac);
	if (tb[NETSTACK_A_NEIGH_STATE]) {
		unsigned int s = mnl_attr_get_u8(tb[NETSTACK_A_NEIGH_STATE]);

		if (s < sizeof(neigh_states) / sizeof(neigh_states[0])) {
			state = neigh_states[s];
		} else {
			snprintf(sbuf, sizeof(sbuf), "%u", s);
			state = sbuf;
		}
	}

	if (ns_json) {
		ns_json_open(NULL, '{');
		ns_json_str("dst", dst);
		if (dev)
			ns_json_str("dev", dev);
		if (tb[NETSTACK_A_LLADDR])
			ns_json_str("lladdr", mac);
		if (state) {
			ns_json_open("state", '[');
			ns_json_str(NULL, state);
			ns_json_close(']');
		}
		ns_json_close('}');
		return MNL_CB_OK;
	}
	fputs(dst, ns_out());
	if (dev)
		fprintf(ns_out(), " dev %s", dev);
	if (tb[NETSTACK_A_LLADDR])
		fprintf(ns_out(), " lladdr %s", mac);
	if (state)
		fprintf(ns_out(), " %s", state);
	fputc('\n', ns_out());
	return MNL_CB_OK;
}

static int neigh_show(int argc, char **argv)
{
	struct neigh_args a = { 0 };
	uint32_t ifindex;

	neigh_parse(argc, argv, false, false, usage_show, &a);
	ifindex = a.dev ? ns_dev_index(a.dev) : 0;
	if (ns_json)
		ns_json_open(NULL, '[');
	if (ns_genl_dump(NETSTACK_CMD_NEIGH_GET, neigh_print, &ifindex))
		return 1;
	if (ns_json)
		ns_json_close(']');
	return 0;
}

int ns_neigh_main(int argc, char **argv)
{
	if (argc == 0)
		return neigh_show(0, argv);
	if (ns_is_show(argv[0]))
		return neigh_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "add"))
		return neigh_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return neigh_del_flush(NETSTACK_CMD_NEIGH_DEL, true, argc - 1, argv + 1,
				       usage_del);
	if (!strcmp(argv[0], "flush"))
		return neigh_del_flush(NETSTACK_CMD_NEIGH_FLUSH, false, argc - 1, argv + 1,
				       usage_flush);
	ns_usage_err(NULL, "unknown command \"%s\" for \"neigh\"", argv[0]);
}
