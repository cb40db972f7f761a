// SPDX-License-Identifier: GPL-2.0
/*
 * link.c - "nsctl link": attach netstack to a device, detach it, and show
 * the attached devices (LINK_ATTACH, LINK_DETACH, LINK_GET).
 */
#include <net/if.h>
#include <string.h>

#include "nsctl.h"

static const char usage_attach[] = "link attach DEV";
static const char usage_detach[] = "link detach DEV";
static const char usage_show[] = "link show [DEV]";

/* The optional "[dev] DEV" all link commands take. */
static const char *link_dev_arg(int argc, char **argv, const char *usage)
{
	const char *dev = NULL;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			ns_dup_check(dev, "dev", usage);
			dev = ns_next_arg(&argc, &argv, usage);
		} else if (!dev) {
			dev = *argv;
		} else {
			ns_usage_err(usage, "unexpected argument \"%s\"", *argv);
		}
	}
	return dev;
}

static int link_change(uint8_t cmd, int argc, char **argv, const char *usage)
{
	const char *dev = link_dev_arg(argc, argv, usage);
	char buf[NS_MSG_SIZE];
	struct nlmsghdr *nlh;

	if (!dev)
		ns_usage_err(usage, "missing device");
	nlh = ns_genl_msg(buf, cmd);
	mnl_attr_put_u32(nlh, NETSTACK_A_IFINDEX, ns_dev_index(dev));
	return ns_genl_change(nlh) ? 1 : 0;
}

struct link_filter {
	uint32_t ifindex;	/* 0: all */
	bool found;
};

static int link_print(const struct nlmsghdr *nlh, void *data)
{
	static const int need[] = { NETSTACK_A_IFINDEX, 0 };
	const struct nlattr *tb[NETSTACK_A_MAX + 1];
	struct link_filter *f = data;
	char name[IF_NAMESIZE], mac[18];
	const char *ifname, *flag;
	uint32_t ifindex;

	if (ns_genl_attrs(nlh, tb))
		return MNL_CB_ERROR;
	if (ns_genl_need(tb, "link", need))
		return MNL_CB_ERROR;
	ifindex = mnl_attr_get_u32(tb[NETSTACK_A_IFINDEX]);
	if (f->ifindex && ifindex != f->ifindex)
		return MNL_CB_OK;
	f->found = true;
	ifname = ns_ifname(tb, name);
	flag = tb[NETSTACK_A_LINK_UP] && mnl_attr_get_u8(tb[NETSTACK_A_LINK_UP]) ?
	       "UP" : "DOWN";
	if (tb[NETSTACK_A_LLADDR])
		ns_fmt_lladdr(mnl_attr_get_payload(tb[NETSTACK_A_LLADDR]), mac);

	if (ns_json) {
		ns_json_open(NULL, '{');
		ns_json_uint("ifindex", ifindex);
		ns_json_str("ifname", ifname);
		ns_json_open("flags", '[');
		ns_json_str(NULL, flag);
		ns_json_close(']');
		if (tb[NETSTACK_A_MTU])
			ns_json_uint("mtu", mnl_attr_get_u32(tb[NETSTACK_A_MTU]));
		if (tb[NETSTACK_A_LLADDR])
			ns_json_str("address", mac);
		ns_json_close('}');
		return MNL_CB_OK;
	}
	fprintf(ns_out(), "%u: %s: <%s>", ifindex, ifname, flag);
	if (tb[NETSTACK_A_MTU])
		fprintf(ns_out(), " mtu %u", mnl_attr_get_u32(tb[NETSTACK_A_MTU]));
	fputc('\n', ns_out());
	if (tb[NETSTACK_A_LLADDR])
		fprintf(ns_out(), "    link/ether %s\n", mac);
	return MNL_CB_OK;
}

static int link_show(int argc, char **argv)
{
	const char *dev = link_dev_arg(argc, argv, usage_show);
	struct link_filter f = { .ifindex = dev ? ns_dev_index(dev) : 0 };

	if (ns_json)
		ns_json_open(NULL, '[');
	if (ns_genl_dump(NETSTACK_CMD_LINK_GET, link_print, &f))
		return 1;
	if (ns_json)
		ns_json_close(']');
	if (dev && !f.found)
		return ns_err("device \"%s\" is not attached to netstack", dev), 1;
	return 0;
}

int ns_link_main(int argc, char **argv)
{
	if (argc == 0)
		return link_show(0, argv);
	if (ns_is_show(argv[0]))
		return link_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "attach"))
		return link_change(NETSTACK_CMD_LINK_ATTACH, argc - 1, argv + 1, usage_attach);
	if (!strcmp(argv[0], "detach"))
		return link_change(NETSTACK_CMD_LINK_DETACH, argc - 1, argv + 1, usage_detach);
	ns_usage_err(NULL, "unknown command \"%s\" for \"link\"", argv[0]);
}
