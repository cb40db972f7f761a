// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - "nsctl stats": the counters of the caller's netstack instance
 * (STATS_GET), one "name value" line each, or one JSON object, in the order
 * the kernel sends them.
 */
#include <inttypes.h>

#include "nsctl.h"

static int stats_print(const struct nlmsghdr *nlh, void *data)
{
	static const int need[] = { NETSTACK_A_STAT_NAME, NETSTACK_A_STAT_VALUE, 0 };
	const struct nlattr *tb[NETSTACK_A_MAX + 1];
	const struct nlattr *attr;

	(void)data;
	/* STAT repeats, so walk the attributes rather than index them. */
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		const char *name;
		uint64_t val;

		if (mnl_attr_get_type(attr) != NETSTACK_A_STAT)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0) {
			ns_err("bad reply from the kernel: malformed counter");
			return MNL_CB_ERROR;
		}
		if (ns_genl_attrs_nested(attr, tb) || ns_genl_need(tb, "counter", need))
			return MNL_CB_ERROR;
		name = mnl_attr_get_str(tb[NETSTACK_A_STAT_NAME]);
		val = mnl_attr_get_u64(tb[NETSTACK_A_STAT_VALUE]);
		if (ns_json)
			ns_json_uint(name, val);
		else
			fprintf(ns_out(), "%s %" PRIu64 "\n", name, val);
	}
	return MNL_CB_OK;
}

int ns_stats_main(int argc, char **argv)
{
	if (argc > 0 && ns_is_show(argv[0]))
		argc--, argv++;
	if (argc > 0)
		ns_usage_err("stats", "unexpected argument \"%s\"", argv[0]);
	if (ns_json)
		ns_json_open(NULL, '{');
	if (ns_genl_dump(NETSTACK_CMD_STATS_GET, stats_print, NULL))
		return 1;
	if (ns_json)
		ns_json_close('}');
	return 0;
}
