// SPDX-License-Identifier: GPL-2.0
/*
 * ipv4_test.c - KUnit tests for the check of a received IPv4 header,
 * ns_ipv4_check_header() (ipv4.c): a table of good and malformed headers,
 * each built from one template with its checksum recomputed, and handed
 * over in a buffer of exactly the bytes said to be readable, so that KASAN
 * catches a read past them.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ip.h>

#include "kmod/ipv4.h"

#define IPV4_ADDR(a, b, c, d)	((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define IPV4_SRC		IPV4_ADDR(192, 0, 2, 1)
#define IPV4_DST		IPV4_ADDR(192, 0, 2, 2)

enum {
	IPV4_HDR_MAX = 60,	/* IHL 15 */
	IPV4_OPT_MAX = IPV4_HDR_MAX - sizeof(struct iphdr),
	OPT_RA = IPOPT_RA,	/* router alert, RFC 2113: 0x94 4 0 0 */
	OPT_NOP = IPOPT_NOOP,
	OPT_EOL = IPOPT_END,
	OPT_RR = IPOPT_RR,	/* record route, RFC 791: 3 + 4n bytes */
};

/*
 * One header: the template with these fields. The options bytes follow
 * the fixed header; whatever the IHL leaves beyond them is zero (EOL).
 */
struct ipv4_hdr_case {
	const char *name;
	u8 version, ihl;
	u16 tot_len;
	unsigned int frame_len, avail;
	u32 saddr;
	u8 opts[IPV4_OPT_MAX];
	u8 csum_len;	/* bytes the checksum covers; 0: the header (IHL * 4) */
	bool bad_csum;	/* store the checksum plus one */
	enum ns_ipv4_check want;
};

static const struct ipv4_hdr_case ipv4_hdr_cases[] = {
	/* Valid. */
	{ "minimal", 4, 5, 20, 20, 20, IPV4_SRC, {}, 0, false, NS_IPV4_VALID },
	{ "with payload", 4, 5, 84, 84, 84, IPV4_SRC, {}, 0, false, NS_IPV4_VALID },
	{ "payload not readable", 4, 5, 1500, 1500, 20, IPV4_SRC, {}, 0, false,
	  NS_IPV4_VALID },
	{ "router alert only", 4, 6, 24, 24, 24, IPV4_SRC, { OPT_RA, 4, 0, 0 }, 0,
	  false, NS_IPV4_VALID },
	{ "NOP, router alert, NOPs", 4, 7, 28, 28, 28, IPV4_SRC,
	  { OPT_NOP, OPT_RA, 4, 0, 0, OPT_NOP, OPT_NOP, OPT_NOP }, 0, false,
	  NS_IPV4_VALID },
	{ "router alert, EOL, padding", 4, 7, 40, 40, 28, IPV4_SRC,
	  { OPT_RA, 4, 0, 0, OPT_EOL }, 0, false, NS_IPV4_VALID },
	{ "EOL then garbage", 4, 6, 24, 24, 24, IPV4_SRC,
	  { OPT_EOL, 0xff, 1, OPT_RA }, 0, false, NS_IPV4_VALID },
	{ "IHL 15, NOPs", 4, 15, 60, 60, 60, IPV4_SRC,
	  { [0 ... IPV4_OPT_MAX - 1] = OPT_NOP }, 0, false, NS_IPV4_VALID },
	{ "IHL 15, record route and EOL filling it", 4, 15, 60, 60, 60, IPV4_SRC,
	  { OPT_RR, IPV4_OPT_MAX - 1, 4 }, 0, false, NS_IPV4_VALID },
	{ "Ethernet padding", 4, 5, 28, 46, 46, IPV4_SRC, {}, 0, false,
	  NS_IPV4_VALID },
	{ "Ethernet padding, options", 4, 6, 32, 46, 46, IPV4_SRC,
	  { OPT_RA, 4, 0, 0 }, 0, false, NS_IPV4_VALID },
	/* "This network" (RFC 1122 3.2.1.3): no reply could reach it. */
	{ "source 0.0.0.0", 4, 5, 20, 20, 20, IPV4_ADDR(0, 0, 0, 0), {}, 0,
	  false, NS_IPV4_BAD_SOURCE },
	{ "source 0.1.2.3", 4, 5, 20, 20, 20, IPV4_ADDR(0, 1, 2, 3), {}, 0,
	  false, NS_IPV4_BAD_SOURCE },
	{ "source subnet broadcast", 4, 5, 20, 20, 20,
	  IPV4_ADDR(192, 0, 2, 255), {}, 0, false, NS_IPV4_VALID },

	/* Too short to hold a header. */
	{ "empty frame", 4, 5, 20, 0, 0, IPV4_SRC, {}, 0, false,
	  NS_IPV4_TRUNCATED },
	{ "frame 19 bytes", 4, 5, 19, 19, 19, IPV4_SRC, {}, 0, false,
	  NS_IPV4_TRUNCATED },
	{ "19 bytes readable", 4, 5, 20, 20, 19, IPV4_SRC, {}, 0, false,
	  NS_IPV4_TRUNCATED },
	{ "options not readable", 4, 6, 100, 100, 20, IPV4_SRC,
	  { OPT_RA, 4, 0, 0 }, 0, false, NS_IPV4_TRUNCATED },
	{ "IHL 15, 40 bytes readable", 4, 15, 1500, 1500, 40, IPV4_SRC,
	  { [0 ... IPV4_OPT_MAX - 1] = OPT_NOP }, 0, false, NS_IPV4_TRUNCATED },

	/* Version and IHL. */
	{ "version 6", 6, 5, 20, 20, 20, IPV4_SRC, {}, 0, false,
	  NS_IPV4_BAD_VERSION },
	{ "version 0", 0, 5, 20, 20, 20, IPV4_SRC, {}, 0, false,
	  NS_IPV4_BAD_VERSION },
	{ "IHL 4", 4, 4, 20, 20, 20, IPV4_SRC, {}, 0, false, NS_IPV4_BAD_IHL },
	{ "IHL 0", 4, 0, 20, 20, 20, IPV4_SRC, {}, 0, false, NS_IPV4_BAD_IHL },
	{ "IHL 15, 40-byte frame", 4, 15, 40, 40, 40, IPV4_SRC,
	  { [0 ... IPV4_OPT_MAX - 1] = OPT_NOP }, 0, false, NS_IPV4_BAD_IHL },
	{ "IHL 6, 20-byte frame", 4, 6, 20, 20, 20, IPV4_SRC, {}, 0, false,
	  NS_IPV4_BAD_IHL },

	/* Total length. */
	{ "total length 19", 4, 5, 19, 20, 20, IPV4_SRC, {}, 0, false,
	  NS_IPV4_BAD_LENGTH },
	{ "total length 0", 4, 5, 0, 20, 20, IPV4_SRC, {}, 0, false,
	  NS_IPV4_BAD_LENGTH },
	{ "total length inside the options", 4, 6, 20, 24, 24, IPV4_SRC,
	  { OPT_RA, 4, 0, 0 }, 0, false, NS_IPV4_BAD_LENGTH },
	{ "total length past the frame", 4, 5, 41, 40, 40, IPV4_SRC, {}, 0,
	  false, NS_IPV4_BAD_LENGTH },
	{ "total length 65535, 1500-byte frame", 4, 5, 65535, 1500, 20,
	  IPV4_SRC, {}, 0, false, NS_IPV4_BAD_LENGTH },

	/* Checksum. */
	{ "bad checksum", 4, 5, 20, 20, 20, IPV4_SRC, {}, 0, true,
	  NS_IPV4_BAD_CHECKSUM },
	{ "bad checksum, options", 4, 6, 24, 24, 24, IPV4_SRC,
	  { OPT_RA, 4, 0, 0 }, 0, true, NS_IPV4_BAD_CHECKSUM },
	{ "checksum leaves out the options", 4, 6, 24, 24, 24, IPV4_SRC,
	  { OPT_RA, 4, 0, 0 }, 20, false, NS_IPV4_BAD_CHECKSUM },

	/* Options that do not fit. */
	{ "option length 0", 4, 6, 24, 24, 24, IPV4_SRC, { OPT_RA, 0, 0, 0 }, 0,
	  false, NS_IPV4_BAD_OPTIONS },
	{ "option length 1", 4, 6, 24, 24, 24, IPV4_SRC, { OPT_RA, 1, 0, 0 }, 0,
	  false, NS_IPV4_BAD_OPTIONS },
	{ "option past the header", 4, 6, 24, 24, 24, IPV4_SRC,
	  { OPT_RA, 8, 0, 0 }, 0, false, NS_IPV4_BAD_OPTIONS },
	{ "option past the header by one", 4, 6, 24, 24, 24, IPV4_SRC,
	  { OPT_NOP, OPT_RA, 4, 0 }, 0, false, NS_IPV4_BAD_OPTIONS },
	{ "option type in the last byte", 4, 6, 24, 24, 24, IPV4_SRC,
	  { OPT_NOP, OPT_NOP, OPT_NOP, OPT_RA }, 0, false, NS_IPV4_BAD_OPTIONS },
	{ "second option past the header", 4, 7, 28, 28, 28, IPV4_SRC,
	  { OPT_RA, 4, 0, 0, OPT_RR, 7, 4, 0 }, 0, false, NS_IPV4_BAD_OPTIONS },
	{ "IHL 15, record route one too long", 4, 15, 60, 60, 60, IPV4_SRC,
	  { OPT_RR, IPV4_OPT_MAX + 1, 4 }, 0, false, NS_IPV4_BAD_OPTIONS },

	/* Sources no one may send from. */
	{ "source 224.0.0.1", 4, 5, 20, 20, 20, IPV4_ADDR(224, 0, 0, 1), {}, 0,
	  false, NS_IPV4_BAD_SOURCE },
	{ "source 239.255.255.255", 4, 5, 20, 20, 20,
	  IPV4_ADDR(239, 255, 255, 255), {}, 0, false, NS_IPV4_BAD_SOURCE },
	{ "source 255.255.255.255", 4, 5, 20, 20, 20,
	  IPV4_ADDR(255, 255, 255, 255), {}, 0, false, NS_IPV4_BAD_SOURCE },
	{ "source 127.0.0.1", 4, 5, 20, 20, 20, IPV4_ADDR(127, 0, 0, 1), {}, 0,
	  false, NS_IPV4_BAD_SOURCE },
	{ "source 127.255.255.254", 4, 5, 20, 20, 20,
	  IPV4_ADDR(127, 255, 255, 254), {}, 0, false, NS_IPV4_BAD_SOURCE },
	{ "source 127.0.0.1, options", 4, 6, 24, 24, 24, IPV4_ADDR(127, 0, 0, 1),
	  { OPT_RA, 4, 0, 0 }, 0, false, NS_IPV4_BAD_SOURCE },
};

/* RFC 1071 over @len bytes, as the value to store in the header. */
static u16 ipv4_ref_csum(const u8 *p, unsigned int len)
{
	u32 sum = 0;
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* The header of @c in @buf (IPV4_HDR_MAX bytes). */
static void ipv4_build(const struct ipv4_hdr_case *c, u8 *buf)
{
	struct iphdr *iph = (struct iphdr *)buf;
	unsigned int hlen = clamp_t(unsigned int, c->ihl * 4, sizeof(*iph),
				    IPV4_HDR_MAX);
	u16 csum;

	memset(buf, 0, IPV4_HDR_MAX);
	iph->version = c->version;
	iph->ihl = c->ihl;
	iph->tot_len = htons(c->tot_len);
	iph->id = htons(0x1234);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = htonl(c->saddr);
	iph->daddr = htonl(IPV4_DST);
	memcpy(buf + sizeof(*iph), c->opts, hlen - sizeof(*iph));
	csum = ipv4_ref_csum(buf, c->csum_len ?: hlen);
	if (c->bad_csum)
		csum++;
	iph->check = (__force __sum16)htons(csum);
}

static void ipv4_hdr_desc(const struct ipv4_hdr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ipv4_hdr, ipv4_hdr_cases, ipv4_hdr_desc);

static void ipv4_test_check_header(struct kunit *test)
{
	const struct ipv4_hdr_case *c = test->param_value;
	u8 hdr[IPV4_HDR_MAX] __aligned(4);
	enum ns_ipv4_check got;
	u8 *buf;

	ipv4_build(c, hdr);
	/* Exactly the readable bytes: the header, then zero payload. */
	buf = kunit_kzalloc(test, max(c->avail, 1U), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, hdr, min_t(unsigned int, c->avail, IPV4_HDR_MAX));
	got = ns_ipv4_check_header(buf, c->avail, c->frame_len);
	KUNIT_EXPECT_EQ_MSG(test, got, c->want, "%s", c->name);
}

static struct kunit_case ipv4_test_cases[] = {
	KUNIT_CASE_PARAM(ipv4_test_check_header, ipv4_hdr_gen_params),
	{}
};

static struct kunit_suite ipv4_test_suite = {
	.name = "netstack_ipv4_header",
	.test_cases = ipv4_test_cases,
};

kunit_test_suite(ipv4_test_suite);
