// SPDX-License-Identifier: GPL-2.0
/*
 * route.c - "nsctl route": add and delete static IPv4 routes and show the
 * routing table, on-link routes included (ROUTE_ADD, ROUTE_DEL, ROUTE_GET).
 */
#include <net/if.h>
#include <string.h>

#include "nsctl.h"

static const char usage_add[] = "route add PREFIX|default [via GW] [dev DEV]";
static const char usage_del[] = "route del PREFIX|default [via GW] [dev DEV]";
static const char usage_show[] = "route show";

static int route_change(uint8_t cmd, int argc, char **argv, const char *usage)
{
	const char *dev = NULL, *via = NULL, *prefix = NULL;
	char buf[NS_MSG_SIZE];
	struct nlmsghdr *nlh;
	uint32_t dst, gw = 0;
	uint8_t len;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			ns_dup_check(dev, "dev", usage);
			dev = ns_next_arg(&argc, &argv, usage);
		} else if (!strcmp(*argv, "via")) {
			ns_dup_check(via, "via", usage);
			via = ns_next_arg(&argc, &argv, usage);
			gw = ns_parse_ipv4("gateway", via, usage);
		} else if (!prefix) {
			prefix = *argv;
			ns_parse_prefix("prefix", prefix, true, &dst, &len, usage);
		} else {
			ns_usage_err(usage, "unexpected argument \"%s\"", *argv);
		}
	}
	if (!prefix)
		ns_usage_err(usage, "missing prefix");
	if (cmd == NETSTACK_CMD_ROUTE_ADD && !via && !dev)
		ns_usage_err(usage, "route add needs \"via GW\" or \"dev DEV\"");

	nlh = ns_genl_msg(buf, cmd);
	mnl_attr_put_u32(nlh, NETSTACK_A_DST, dst);
	mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, len);
	if (via)
		mnl_attr_put_u32(nlh, NETSTACK_A_GATEWAY, gw);
	if (dev)
		mnl_attr_put_u32(nlh, NETSTACK_A_IFINDEX, ns_dev_index(dev));
	return ns_genl_change(nlh) ? 1 : 0;
}

/* "default", "A.B.C.D" for a /32, else "A.B.C.D/N", as iproute2 prints it. */
static const char *route_dst(uint32_t dst, unsigned int len, char buf[20])
{
	char addr[16];

	if (len == 0 && dst == 0)
		return "default";
	ns_fmt_ipv4(dst, addr);
	if (len == 32)
		snprintf(buf, 20, "%s", addr);
	else
		snprintf(buf, 20, "%s/%u", addr, len);
	return buf;
}

static int route_print(const struct nlmsghdr *nlh, void *data)
{
	static const int need[] = { NETSTACK_A_DST, NETSTACK_A_PREFIXLEN, 0 };
	const struct nlattr *tb[NETSTACK_A_MAX + 1];
	char dbuf[20], name[IF_NAMESIZE], gw[16], src[16], pbuf[4];
	const char *dst, *dev = NULL, *proto = NULL, *scope = NULL;

	(void)data;
	if (ns_genl_attrs(nlh, tb) || ns_genl_need(tb, "route", need))
		return MNL_CB_ERROR;
	dst = route_dst(mnl_attr_get_u32(tb[NETSTACK_A_DST]),
			mnl_attr_get_u8(tb[NETSTACK_A_PREFIXLEN]), dbuf);
	if (tb[NETSTACK_A_GATEWAY])
		ns_fmt_ipv4(mnl_attr_get_u32(tb[NETSTACK_A_GATEWAY]), gw);
	if (tb[NETSTACK_A_IFINDEX] || tb[NETSTACK_A_IFNAME])
		dev = ns_ifname(tb, name);
	if (tb[NETSTACK_A_PREFSRC])
		ns_fmt_ipv4(mnl_attr_get_u32(tb[NETSTACK_A_PREFSRC]), src);
	if (tb[NETSTACK_A_ROUTE_ORIGIN]) {
		unsigned int origin = mnl_attr_get_u8(tb[NETSTACK_A_ROUTE_ORIGIN]);

		if (origin == NETSTACK_ROUTE_LINK) {
			proto = "kernel";
			scope = "link";
		} else if (origin == NETSTACK_ROUTE_STATIC) {
			proto = "static";
		} else {
			snprintf(pbuf, sizeof(pbuf), "%u", origin);
			proto = pbuf;
		}
	}

	if (ns_json) {
		ns_json_open(NULL, '{');
		ns_json_str("dst", dst);
		if (tb[NETSTACK_A_GATEWAY])
			ns_json_str("gateway", gw);
		if (dev)
			ns_json_str("dev", dev);
		if (proto)
			ns_json_str("protocol", proto);
		if (scope)
			ns_json_str("scope", scope);
		if (tb[NETSTACK_A_PREFSRC])
			ns_json_str("prefsrc", src);
		ns_json_close('}');
		return MNL_CB_OK;
	}
	fputs(dst, ns_out());
	if (tb[NETSTACK_A_GATEWAY])
		fprintf(ns_out(), " via %s", gw);
	if (dev)
		fprintf(ns_out(), " dev %s", dev);
	if (proto)
		fprintf(ns_out(), " proto %s", proto);
	if (scope)
		fprintf(ns_out(), " scope %s", scope);
	if (tb[NETSTACK_A_PREFSRC])
		fprintf(ns_out(), " src %s", src);
	fputc('\n', ns_out());
	return MNL_CB_OK;
}

static int route_show(int argc, char **argv)
{
	if (argc > 0)
		ns_usage_err(usage_show, "unexpected argument \"%s\"", argv[0]);
	if (ns_json)
		ns_json_open(NULL, '[');
	if (ns_genl_dump(NETSTACK_CMD_ROUTE_GET, route_print, NULL))
		return 1;
	if (ns_json)
		ns_json_close(']');
	return 0;
}

int ns_route_main(int argc, char **argv)
{
	if (argc == 0)
		return route_show(0, argv);
	if (ns_is_show(argv[0]))
		return route_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "add"))
		return route_change(NETSTACK_CMD_ROUTE_ADD, argc - 1, argv + 1, usage_add);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return route_change(NETSTACK_CMD_ROUTE_DEL, argc - 1, argv + 1, usage_del);
	ns_usage_err(NULL, "unknown command \"%s\" for \"route\"", argv[0]);
}
