// SPDX-License-Identifier: GPL-2.0
/*
 * addr.c - "nsctl addr": add and delete IPv4 addresses on attached devices
 * and show them (ADDR_ADD, ADDR_DEL, ADDR_GET).
 */
#include <net/if.h>
#include <string.h>

#include "nsctl.h"

static const char usage_add[] = "addr add A.B.C.D[/N] dev DEV";
static const char usage_del[] = "addr del A.B.C.D[/N] dev DEV";
static const char usage_show[] = "addr show [dev DEV]";

static int addr_change(uint8_t cmd, int argc, char **argv, const char *usage)
{
	const char *dev = NULL, *prefix = NULL;
	char buf[NS_MSG_SIZE];
	struct nlmsghdr *nlh;
	uint32_t addr;
	uint8_t len;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			ns_dup_check(dev, "dev", usage);
			dev = ns_next_arg(&argc, &argv, usage);
		} else if (!prefix) {
			prefix = *argv;
			ns_parse_prefix("address", prefix, false, &addr, &len, usage);
		} else {
			ns_usage_err(usage, "unexpected argument \"%s\"", *argv);
		}
	}
	if (!prefix)
		ns_usage_err(usage, "missing address");
	if (!dev)
		ns_usage_err(usage, "missing \"dev DEV\"");

	nlh = ns_genl_msg(buf, cmd);
	mnl_attr_put_u32(nlh, NETSTACK_A_IFINDEX, ns_dev_index(dev));
	mnl_attr_put_u32(nlh, NETSTACK_A_ADDR, addr);
	mnl_attr_put_u8(nlh, NETSTACK_A_PREFIXLEN, len);
	return ns_genl_change(nlh) ? 1 : 0;
}

static int addr_print(const struct nlmsghdr *nlh, void *data)
{
	static const int need[] = {
		NETSTACK_A_IFINDEX, NETSTACK_A_ADDR, NETSTACK_A_PREFIXLEN, 0
	};
	const struct nlattr *tb[NETSTACK_A_MAX + 1];
	const uint32_t *filter = data;
	char name[IF_NAMESIZE], local[16];
	const char *ifname;
	uint32_t ifindex;
	unsigned int len;

	if (ns_genl_attrs(nlh, tb))
		return MNL_CB_ERROR;
	if (ns_genl_need(tb, "address", need))
		return MNL_CB_ERROR;
	ifindex = mnl_attr_get_u32(tb[NETSTACK_A_IFINDEX]);
	if (*filter && ifindex != *filter)
		return MNL_CB_OK;
	ifname = ns_ifname(tb, name);
	ns_fmt_ipv4(mnl_attr_get_u32(tb[NETSTACK_A_ADDR]), local);
	len = mnl_attr_get_u8(tb[NETSTACK_A_PREFIXLEN]);

	if (ns_json) {
		ns_json_open(NULL, '{');
		ns_json_uint("ifindex", ifindex);
		ns_json_str("ifname", ifname);
		ns_json_str("local", local);
		ns_json_uint("prefixlen", len);
		ns_json_close('}');
	} else {
		fprintf(ns_out(), "%u: %s    inet %s/%u\n", ifindex, ifname, local, len);
	}
	return MNL_CB_OK;
}

static int addr_show(int argc, char **argv)
{
	const char *dev = NULL;
	uint32_t ifindex;

	/* "dev DEV" or, as in iproute2, a bare DEV */
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			ns_dup_check(dev, "dev", usage_show);
			dev = ns_next_arg(&argc, &argv, usage_show);
		} else if (!dev) {
			dev = *argv;
		} else {
			ns_usage_err(usage_show, "unexpected argument \"%s\"", *argv);
		}
	}
	ifindex = dev ? ns_dev_index(dev) : 0;

	if (ns_json)
		ns_json_open(NULL, '[');
	if (ns_genl_dump(NETSTACK_CMD_ADDR_GET, addr_print, &ifindex))
		return 1;
	if (ns_json)
		ns_json_close(']');
	return 0;
}

int ns_addr_main(int argc, char **argv)
{
	if (argc == 0)
		return addr_show(0, argv);
	if (ns_is_show(argv[0]))
		return addr_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "add"))
		return addr_change(NETSTACK_CMD_ADDR_ADD, argc - 1, argv + 1, usage_add);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return addr_change(NETSTACK_CMD_ADDR_DEL, argc - 1, argv + 1, usage_del);
	ns_usage_err(NULL, "unknown command \"%s\" for \"addr\"", argv[0]);
}
