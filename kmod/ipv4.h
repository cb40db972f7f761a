/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 header checking as a pure function of the header bytes and the
 * frame length, so that KUnit can run it over a table of good and
 * malformed headers without skbs.
 */
#ifndef _NETSTACK_IPV4_H
#define _NETSTACK_IPV4_H

#include <linux/types.h>

/* The verdict on a received IPv4 header. */
enum ns_ipv4_check {
	NS_IPV4_VALID,
	NS_IPV4_TRUNCATED,	/* frame shorter than a minimal header */
	NS_IPV4_BAD_VERSION,
	NS_IPV4_BAD_IHL,	/* IHL < 5, or header longer than the frame */
	NS_IPV4_BAD_LENGTH,	/* total length < header or > frame */
	NS_IPV4_BAD_CHECKSUM,
	NS_IPV4_BAD_OPTIONS,	/* an option runs past the header */
	NS_IPV4_BAD_SOURCE,	/* multicast, broadcast or loopback source */
};

enum ns_ipv4_check ns_ipv4_check_header(const void *hdr, unsigned int avail,
					unsigned int frame_len);

#endif /* _NETSTACK_IPV4_H */
