// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - nsctl, the iproute2-like configuration CLI of netstack: global
 * options, help, dispatch to the objects, and the output buffer.
 *
 * Output goes to a memory buffer that reaches stdout only when the command
 * succeeds, so a failure never leaves half a listing or half a JSON
 * document behind. Exit status: 0, 1 (kernel or run-time error), 2 (usage).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nsctl.h"

bool ns_json;

static FILE *ns_out_file;
static char *ns_out_buf;
static size_t ns_out_len;

FILE *ns_out(void)
{
	if (!ns_out_file) {
		ns_out_file = open_memstream(&ns_out_buf, &ns_out_len);
		if (!ns_out_file) {
			ns_err("out of memory");
			exit(1);
		}
	}
	return ns_out_file;
}

/* Write the buffered output to stdout if @ok, else drop it; 0 or -1. */
static int ns_out_finish(bool ok)
{
	int ret = 0;

	if (ns_out_file) {
		if (fclose(ns_out_file))
			ret = ns_err("out of memory");
		else if (ok)
			fwrite(ns_out_buf, 1, ns_out_len, stdout);
		free(ns_out_buf);
		ns_out_file = NULL;
	}
	if (ok && (fflush(stdout) || ferror(stdout)))
		ret = ns_err("write error: %s", strerror(errno));
	return ret;
}

static const char help_text[] =
	"Usage: nsctl [-j] OBJECT [COMMAND [ARGS]]\n"
	"       nsctl link  { show [DEV] | attach DEV | detach DEV }\n"
	"       nsctl addr  { show [dev DEV] | add A.B.C.D[/N] dev DEV |\n"
	"                     del A.B.C.D[/N] dev DEV }\n"
	"       nsctl route { show | add PREFIX [via GW] [dev DEV] |\n"
	"                     del PREFIX [via GW] [dev DEV] }\n"
	"       nsctl neigh { show [dev DEV] | flush [dev DEV] | del A.B.C.D [dev DEV] |\n"
	"                     add A.B.C.D lladdr XX:XX:XX:XX:XX:XX dev DEV }\n"
	"       nsctl stats\n"
	"       nsctl sockets [show] [udp] [tcp]\n"
	"       nsctl help\n"
	"PREFIX := A.B.C.D[/N] | default    (no /N means /32)\n"
	"-j: JSON output. \"show\" may be written \"list\" or \"ls\", and is the\n"
	"default command. Changes need CAP_NET_ADMIN in the network namespace.\n";

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} ns_objects[] = {
	{ "link", ns_link_main },
	{ "addr", ns_addr_main },
	{ "address", ns_addr_main },
	{ "route", ns_route_main },
	{ "neigh", ns_neigh_main },
	{ "neighbor", ns_neigh_main },
	{ "neighbour", ns_neigh_main },
	{ "stats", ns_stats_main },
	{ "sockets", ns_sockets_main },
	{ "socket", ns_sockets_main },
	{ "sock", ns_sockets_main },
};

int main(int argc, char **argv)
{
	size_t i;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			ns_json = true;
		} else if (ns_is_help(argv[0])) {
			fputs(help_text, stdout);
			return 0;
		} else {
			ns_usage_err(NULL, "unknown option \"%s\"", argv[0]);
		}
	}
	if (argc == 0)
		ns_usage_err(NULL, "missing object (link, addr, route, neigh, stats or sockets)");
	if (ns_is_help(argv[0]) || (argc > 1 && ns_is_help(argv[1]))) {
		fputs(help_text, stdout);
		return 0;
	}
	for (i = 0; i < sizeof(ns_objects) / sizeof(ns_objects[0]); i++)
		if (!strcmp(argv[0], ns_objects[i].name))
			break;
	if (i == sizeof(ns_objects) / sizeof(ns_objects[0]))
		ns_usage_err(NULL, "unknown object \"%s\"", argv[0]);

	ret = ns_objects[i].main(argc - 1, argv + 1);
	ns_genl_close();
	if (ns_out_finish(ret == 0))
		ret = 1;
	return ret;
}
