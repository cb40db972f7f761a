/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP options (RFC 9293 3.2, RFC 7323 window scale and timestamps, RFC 2018
 * SACK): parsing the option bytes of a received segment into a small
 * descriptor, and writing the options of a segment to send. Pure functions
 * on byte buffers: no skbs, no sockets, no locks.
 */
#ifndef _NETSTACK_TCP_OPTIONS_H
#define _NETSTACK_TCP_OPTIONS_H

#include <linux/bits.h>
#include <linux/types.h>

/* The most option bytes a TCP header can carry: (15 - 5) 32-bit words. */
#define NS_TCP_OPT_MAX_LEN	40
/* The most SACK blocks an option can carry: (40 - 2) / 8. */
#define NS_TCP_OPT_SACK_MAX	4

/**
 * enum ns_tcp_opt_kind - option kinds (the IANA "TCP Option Kind Numbers")
 * @NS_TCP_OPT_KIND_EOL: end of option list, one byte (RFC 9293)
 * @NS_TCP_OPT_KIND_NOP: no operation, one byte, used as padding (RFC 9293)
 * @NS_TCP_OPT_KIND_MSS: maximum segment size, SYN only (RFC 9293)
 * @NS_TCP_OPT_KIND_WSCALE: window scale shift, SYN only (RFC 7323)
 * @NS_TCP_OPT_KIND_SACK_PERM: SACK permitted, SYN only (RFC 2018)
 * @NS_TCP_OPT_KIND_SACK: SACK blocks, not on SYN (RFC 2018)
 * @NS_TCP_OPT_KIND_TS: timestamps TSval and TSecr (RFC 7323)
 */
enum ns_tcp_opt_kind {
	NS_TCP_OPT_KIND_EOL = 0,
	NS_TCP_OPT_KIND_NOP = 1,
	NS_TCP_OPT_KIND_MSS = 2,
	NS_TCP_OPT_KIND_WSCALE = 3,
	NS_TCP_OPT_KIND_SACK_PERM = 4,
	NS_TCP_OPT_KIND_SACK = 5,
	NS_TCP_OPT_KIND_TS = 8,
};

/*
 * Option lengths, kind and length bytes included. A SACK option is
 * NS_TCP_OPT_LEN_SACK_BASE + n * NS_TCP_OPT_LEN_SACK_BLOCK long, n = 1..4.
 */
enum {
	NS_TCP_OPT_LEN_MSS = 4,
	NS_TCP_OPT_LEN_WSCALE = 3,
	NS_TCP_OPT_LEN_SACK_PERM = 2,
	NS_TCP_OPT_LEN_TS = 10,
	NS_TCP_OPT_LEN_SACK_BASE = 2,
	NS_TCP_OPT_LEN_SACK_BLOCK = 8,
};

/**
 * enum ns_tcp_opt_present - which options a &struct ns_tcp_opts carries
 * @NS_TCP_OPT_HAS_MSS: @mss is set
 * @NS_TCP_OPT_HAS_WSCALE: @wscale is set
 * @NS_TCP_OPT_HAS_SACK_PERM: SACK is permitted
 * @NS_TCP_OPT_HAS_TS: @tsval and @tsecr are set
 *
 * SACK blocks have no bit: &ns_tcp_opts.nr_sack says how many there are.
 */
enum ns_tcp_opt_present {
	NS_TCP_OPT_HAS_MSS = BIT(0),
	NS_TCP_OPT_HAS_WSCALE = BIT(1),
	NS_TCP_OPT_HAS_SACK_PERM = BIT(2),
	NS_TCP_OPT_HAS_TS = BIT(3),
};

/**
 * enum ns_tcp_opt_problem - what ns_tcp_options_parse() found wrong
 * @NS_TCP_OPT_MALFORMED: an option's length byte is missing, less than 2,
 *	or runs past the end of the options; parsing stopped there. What
 *	was parsed before is kept, and the segment's fixed header is still
 *	good (Linux does the same).
 * @NS_TCP_OPT_BAD_LEN: a known option had the wrong length for its kind
 *	(or a SACK option not 2 + 8n bytes, n = 1..4); it was skipped
 * @NS_TCP_OPT_DUP: a second valid option of a kind already taken; the
 *	first one wins, the later one was skipped
 * @NS_TCP_OPT_MISPLACED: MSS, window scale or SACK-permitted outside a
 *	SYN, or SACK blocks on a SYN; skipped (RFC 7323 2.2, RFC 2018 2/3)
 * @NS_TCP_OPT_WSCALE_CLAMPED: a window scale shift above
 *	%NS_TCP_WSCALE_MAX was received and taken as %NS_TCP_WSCALE_MAX
 *	(RFC 7323 2.3 says to log this)
 * @NS_TCP_OPT_UNKNOWN: an option of a kind not handled here was skipped
 *	by its length. Not a problem, just news: not counted in
 *	&ns_tcp_opts.nr_problems.
 *
 * Each bit says that something happened at least once; the caller counts
 * each kind of problem in its own counter.
 */
enum ns_tcp_opt_problem {
	NS_TCP_OPT_MALFORMED = BIT(0),
	NS_TCP_OPT_BAD_LEN = BIT(1),
	NS_TCP_OPT_DUP = BIT(2),
	NS_TCP_OPT_MISPLACED = BIT(3),
	NS_TCP_OPT_WSCALE_CLAMPED = BIT(4),
	NS_TCP_OPT_UNKNOWN = BIT(5),
};

/**
 * struct ns_tcp_sack_block - one SACK block: received bytes [start, end)
 * @start: the first sequence number of the block
 * @end: the sequence number just past the block
 */
struct ns_tcp_sack_block {
	u32 start;
	u32 end;
};

/**
 * struct ns_tcp_opts - the options of one segment, received or to send
 * @tsval: TSval, valid with %NS_TCP_OPT_HAS_TS
 * @tsecr: TSecr, valid with %NS_TCP_OPT_HAS_TS
 * @sack: the SACK blocks in the order they appear on the wire (the first
 *	the most recent, RFC 2018 4); not checked against each other or
 *	the send window here
 * @mss: the MSS option's value, valid with %NS_TCP_OPT_HAS_MSS; as
 *	received, even 0 (the caller decides what to make of silly values)
 * @wscale: the window scale shift, valid with %NS_TCP_OPT_HAS_WSCALE;
 *	never more than %NS_TCP_WSCALE_MAX after parsing
 * @present: a mask of &enum ns_tcp_opt_present
 * @nr_sack: how many of @sack are valid, 0..%NS_TCP_OPT_SACK_MAX
 * @problems: after parsing, a mask of &enum ns_tcp_opt_problem
 * @nr_problems: after parsing, how many problems were found (each
 *	problem counts, not each kind; %NS_TCP_OPT_UNKNOWN does not)
 */
struct ns_tcp_opts {
	u32 tsval;
	u32 tsecr;
	struct ns_tcp_sack_block sack[NS_TCP_OPT_SACK_MAX];
	u16 mss;
	u8 wscale;
	u8 present;
	u8 nr_sack;
	u8 problems;
	u8 nr_problems;
};

int ns_tcp_options_parse(const u8 *opts, unsigned int len, bool syn,
			 struct ns_tcp_opts *out);
unsigned int ns_tcp_options_size(const struct ns_tcp_opts *opts, bool syn);
unsigned int ns_tcp_options_write(u8 *buf, unsigned int room,
				  const struct ns_tcp_opts *opts, bool syn);

#endif /* _NETSTACK_TCP_OPTIONS_H */
