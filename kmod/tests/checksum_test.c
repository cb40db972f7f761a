// SPDX-License-Identifier: GPL-2.0
/*
 * checksum_test.c - KUnit tests for the Internet checksum helpers
 * (checksum.c): known vectors, then every length and alignment against a
 * plain RFC 1071 reference, then the TCP/UDP pseudo-header checksum over
 * linear and paged skbs split at odd places.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "kmod/checksum.h"

/* RFC 1071 done the slow, obvious way: 16-bit big-endian words, odd byte padded. */
static u32 ref_sum(u32 sum, const u8 *p, int len)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static __sum16 ref_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__force __sum16)htons(~sum & 0xffff);
}

/* A checksum as the 16-bit value it puts on the wire, for comparisons. */
static u16 wire16(__sum16 sum)
{
	return ntohs((__force __be16)sum);
}

static void fill_pattern(u8 *buf, int len, u32 seed)
{
	int i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = seed >> 16;
	}
}

struct csum_vector {
	const char *name;
	u8 data[20];
	int len;
	u16 csum;
};

static const struct csum_vector csum_vectors[] = {
	/* The worked example of RFC 1071 section 3: sum 0xddf2. */
	{ "rfc1071", { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 }, 8, 0x220d },
	/* An IPv4 header (UDP, 192.168.0.1 -> 192.168.0.199) with its checksum zeroed. */
	{ "ipv4-header", { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 },
	  20, 0xb861 },
	/* The same header carrying that checksum verifies to zero. */
	{ "ipv4-verify", { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			   0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 },
	  20, 0x0000 },
	{ "empty", { 0 }, 0, 0xffff },
	{ "one-byte", { 0xab }, 1, 0x54ff },
	{ "all-ones", { 0xff, 0xff, 0xff, 0xff }, 4, 0x0000 },
	/* Carries out of the top bit must wrap round (end-around carry). */
	{ "carry", { 0xff, 0xff, 0x00, 0x01 }, 4, 0xfffe },
};

static void csum_test_vectors(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(csum_vectors); i++) {
		const struct csum_vector *v = &csum_vectors[i];

		KUNIT_EXPECT_EQ_MSG(test, wire16(ns_csum_buf(v->data, v->len)),
				    v->csum, "vector %s", v->name);
	}
}

/* Every length up to 257 bytes at every alignment within 8 bytes. */
static void csum_test_lengths_offsets(struct kunit *test)
{
	const int max_len = 257, max_off = 8;
	int len, off;
	u8 *buf;

	buf = kunit_kmalloc(test, max_len + max_off, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	fill_pattern(buf, max_len + max_off, 1);

	for (off = 0; off < max_off; off++) {
		for (len = 0; len <= max_len; len++) {
			__sum16 want = ref_fold(ref_sum(0, buf + off, len));

			KUNIT_EXPECT_EQ_MSG(test, wire16(ns_csum_buf(buf + off, len)),
					    wire16(want), "len %d offset %d", len, off);
		}
	}
}

/* Sum of the IPv4 pseudo header of RFC 768 / RFC 9293. */
static u32 ref_pseudo(__be32 saddr, __be32 daddr, u8 proto, int len)
{
	u32 s = ntohl(saddr), d = ntohl(daddr);

	return (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff) + proto + len;
}

/*
 * Build an skb holding data[0..len) with the first head_len bytes in the
 * linear part and the rest in one page fragment starting at page_off.
 */
static struct sk_buff *build_skb_split(struct kunit *test, const u8 *data,
				       int len, int head_len, int page_off)
{
	struct sk_buff *skb;
	struct page *page;
	int frag_len = len - head_len;

	skb = alloc_skb(head_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, data, head_len);
	if (frag_len) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page) + page_off, data + head_len, frag_len);
		skb_fill_page_desc(skb, 0, page, page_off, frag_len);
		skb->len += frag_len;
		skb->data_len += frag_len;
		skb->truesize += PAGE_SIZE;
	}
	return skb;
}

struct csum_l4_case {
	int len;	/* bytes in the skb */
	int offset;	/* where the transport header starts */
	int head_len;	/* bytes in the linear part */
	int page_off;	/* where the fragment starts in its page */
};

static const struct csum_l4_case csum_l4_cases[] = {
	{ 28, 20, 28, 0 },	/* linear: IPv4 + empty UDP */
	{ 29, 20, 29, 0 },	/* linear, odd length */
	{ 1500, 20, 1500, 0 },
	{ 1500, 20, 21, 0 },	/* split inside the transport header, odd */
	{ 1501, 20, 20, 1 },	/* whole segment paged, odd page offset */
	{ 1501, 20, 777, 3 },
	{ 1024, 33, 64, 3071 },	/* odd offset, odd page offset */
	{ 8, 0, 1, 7 },
};

static void csum_test_l4(struct kunit *test)
{
	const __be32 saddr = htonl(0xc0a80001), daddr = htonl(0x0a0000fe);
	unsigned int i;
	u8 *data;

	data = kunit_kmalloc(test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);

	for (i = 0; i < ARRAY_SIZE(csum_l4_cases); i++) {
		const struct csum_l4_case *c = &csum_l4_cases[i];
		int seg_len = c->len - c->offset;
		u8 proto = i & 1 ? IPPROTO_UDP : IPPROTO_TCP;
		struct sk_buff *skb;
		__sum16 want, got;

		fill_pattern(data, c->len, i + 7);
		if (seg_len >= 2)	/* the checksum field, in the first word */
			memset(data + c->offset, 0, 2);
		want = ref_fold(ref_sum(ref_pseudo(saddr, daddr, proto, seg_len),
					data + c->offset, seg_len));
		skb = build_skb_split(test, data, c->len, c->head_len, c->page_off);
		got = ns_csum_l4(skb, c->offset, seg_len, saddr, daddr, proto);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ_MSG(test, wire16(got), wire16(want), "case %u", i);
		if (seg_len < 2)
			continue;

		/* Stored in its field, the checksum verifies to 0. */
		memcpy(data + c->offset, &want, sizeof(want));
		skb = build_skb_split(test, data, c->len, c->head_len, c->page_off);
		got = ns_csum_l4(skb, c->offset, seg_len, saddr, daddr, proto);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ_MSG(test, wire16(got), 0, "case %u verify", i);
	}
}

/* Offloaded or device-checked segments are taken as they are; others are checked. */
static void csum_test_l4_ok(struct kunit *test)
{
	const __be32 saddr = htonl(0x0a000001), daddr = htonl(0x0a000002);
	static const u8 summed[] = { CHECKSUM_NONE, CHECKSUM_COMPLETE,
				     CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY };
	u8 data[64];
	__sum16 good;
	unsigned int i;

	fill_pattern(data, sizeof(data), 3);
	memset(data + 6, 0, 2);		/* UDP's checksum field */
	good = ref_fold(ref_sum(ref_pseudo(saddr, daddr, IPPROTO_UDP, sizeof(data)),
				data, sizeof(data)));
	for (i = 0; i < ARRAY_SIZE(summed); i++) {
		bool trusted = summed[i] == CHECKSUM_PARTIAL ||
			       summed[i] == CHECKSUM_UNNECESSARY;
		struct sk_buff *skb;

		memcpy(data + 6, &good, sizeof(good));
		skb = build_skb_split(test, data, sizeof(data), 20, 5);
		skb->ip_summed = summed[i];
		KUNIT_EXPECT_TRUE_MSG(test, ns_csum_l4_ok(skb, 0, sizeof(data), saddr,
							  daddr, IPPROTO_UDP),
				      "ip_summed %u, good checksum", summed[i]);
		kfree_skb(skb);

		data[40] ^= 0x10;	/* corrupt the payload */
		skb = build_skb_split(test, data, sizeof(data), 20, 5);
		skb->ip_summed = summed[i];
		KUNIT_EXPECT_EQ_MSG(test, ns_csum_l4_ok(skb, 0, sizeof(data), saddr,
							daddr, IPPROTO_UDP), trusted,
				    "ip_summed %u, corrupted", summed[i]);
		kfree_skb(skb);
		data[40] ^= 0x10;
	}
}

static struct kunit_case csum_test_cases[] = {
	KUNIT_CASE(csum_test_vectors),
	KUNIT_CASE(csum_test_lengths_offsets),
	KUNIT_CASE(csum_test_l4),
	KUNIT_CASE(csum_test_l4_ok),
	{}
};

static struct kunit_suite csum_test_suite = {
	.name = "netstack_checksum",
	.test_cases = csum_test_cases,
};

kunit_test_suite(csum_test_suite);
