// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - error reporting and the argument parsers shared by the objects:
 * IPv4 addresses and prefixes, link-layer addresses, device names, and the
 * formatting of the same for output.
 *
 * Every error is one line on stderr starting with "nsctl: ". Usage errors
 * exit 2 right here (nothing has been opened yet: objects parse all their
 * arguments before the first netlink message); an unknown device exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nsctl.h"

static void ns_verr(const char *fmt, va_list ap)
{
	fputs("nsctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print "nsctl: <message>"; returns -1 for "return ns_err(...)". */
int ns_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ns_verr(fmt, ap);
	va_end(ap);
	return -1;
}

/* A usage error: the message, one hint line (@usage or "nsctl help"), exit 2. */
void ns_usage_err(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ns_verr(fmt, ap);
	va_end(ap);
	if (usage)
		fprintf(stderr, "usage: nsctl %s\n", usage);
	else
		fputs("Try \"nsctl help\".\n", stderr);
	exit(2);
}

bool ns_is_show(const char *arg)
{
	return !strcmp(arg, "show") || !strcmp(arg, "list") || !strcmp(arg, "ls");
}

bool ns_is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* Step from a keyword (at **argv) to its argument, which must exist. */
const char *ns_next_arg(int *argc, char ***argv, const char *usage)
{
	const char *kw = **argv;

	if (*argc < 2)
		ns_usage_err(usage, "missing argument after \"%s\"", kw);
	(*argc)--;
	(*argv)++;
	return **argv;
}

void ns_dup_check(bool seen, const char *kw, const char *usage)
{
	if (seen)
		ns_usage_err(usage, "duplicate \"%s\"", kw);
}

static bool ns_ipv4(const char *s, uint32_t *addr)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return false;
	*addr = in.s_addr;
	return true;
}

/* A dotted quad (no prefix length); returns it in network byte order. */
uint32_t ns_parse_ipv4(const char *what, const char *arg, const char *usage)
{
	uint32_t addr;

	if (!ns_ipv4(arg, &addr))
		ns_usage_err(usage, "invalid %s %s: not an IPv4 address", what, arg);
	return addr;
}

/*
 * A.B.C.D[/N], N in 0..32, a missing /N meaning /32. With @net (a route
 * destination) also "default" (0.0.0.0/0), and no host bits may be set.
 */
void ns_parse_prefix(const char *what, const char *arg, bool net,
		     uint32_t *addr, uint8_t *len, const char *usage)
{
	const char *slash = strchr(arg, '/');
	char buf[INET_ADDRSTRLEN];
	size_t alen = slash ? (size_t)(slash - arg) : strlen(arg);
	unsigned int n = 32;

	if (net && !strcmp(arg, "default")) {
		*addr = 0;
		*len = 0;
		return;
	}
	if (alen >= sizeof(buf))
		ns_usage_err(usage, "invalid %s %s: not an IPv4 address", what, arg);
	memcpy(buf, arg, alen);
	buf[alen] = '\0';
	if (!ns_ipv4(buf, addr))
		ns_usage_err(usage, "invalid %s %s: not an IPv4 address", what, arg);
	if (slash) {
		const char *p = slash + 1;

		if (!*p || strlen(p) > 2 || strspn(p, "0123456789") != strlen(p) ||
		    (n = atoi(p)) > 32)
			ns_usage_err(usage, "invalid %s %s: prefix length must be 0..32",
				     what, arg);
	}
	if (net && n < 32 && (*addr & ~htonl(n ? ~0u << (32 - n) : 0)))
		ns_usage_err(usage, "invalid %s %s: host bits set", what, arg);
	*len = n;
}

static int ns_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* XX:XX:XX:XX:XX:XX, one or two hex digits per byte. */
void ns_parse_lladdr(const char *arg, uint8_t mac[ETH_ALEN_NS], const char *usage)
{
	const char *p = arg;
	int i;

	for (i = 0; i < ETH_ALEN_NS; i++) {
		int hi = ns_hex(*p), lo;

		if (hi < 0)
			break;
		p++;
		lo = ns_hex(*p);
		if (lo >= 0)
			p++;
		mac[i] = lo >= 0 ? hi << 4 | lo : hi;
		if (*p != (i == ETH_ALEN_NS - 1 ? '\0' : ':'))
			break;
		p++;
	}
	if (i != ETH_ALEN_NS)
		ns_usage_err(usage, "invalid lladdr %s: expected XX:XX:XX:XX:XX:XX", arg);
}

/* The index of a device in the caller's network namespace, or exit 1. */
uint32_t ns_dev_index(const char *name)
{
	unsigned int idx = 0;

	if (strlen(name) < IF_NAMESIZE)
		idx = if_nametoindex(name);
	if (!idx) {
		ns_err("cannot find device \"%s\"", name);
		exit(1);
	}
	return idx;
}

const char *ns_fmt_ipv4(uint32_t addr, char buf[16])
{
	struct in_addr in = { .s_addr = addr };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

const char *ns_fmt_lladdr(const uint8_t *mac, char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* The device name of a reply: IFNAME, else if_indextoname(IFINDEX). */
const char *ns_ifname(const struct nlattr *const *tb, char buf[16])
{
	unsigned int idx;

	if (tb[NETSTACK_A_IFNAME])
		return mnl_attr_get_str(tb[NETSTACK_A_IFNAME]);
	if (!tb[NETSTACK_A_IFINDEX])
		return "?";
	idx = mnl_attr_get_u32(tb[NETSTACK_A_IFINDEX]);
	if (if_indextoname(idx, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "if%u", idx);
	return buf;
}
