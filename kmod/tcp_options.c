// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_options.c - TCP options: parsing what a received segment carries
 * after its fixed 20-byte header (RFC 9293 3.2 and 3.7.1, RFC 7323 2 and 3,
 * RFC 2018 2 and 3) into a &struct ns_tcp_opts, and writing the options of
 * a segment to send in the word-aligned layouts Linux uses.
 *
 * The parser trusts nothing: every byte it reads is below the length it
 * was given, every option moves it forward by at least one byte, and each
 * problem it meets is reported by kind so that the caller can count it.
 * Whether an option was negotiated (may this connection use SACK blocks or
 * timestamps at all?) is the caller's business; this file only knows which
 * options belong on a SYN and which do not.
 */
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "compat.h"	/* get_unaligned_be16() and friends */
#include "tcp_options.h"
#include "tcp_window.h"

/* Record a problem; returns false so that callers can "return note()". */
static bool ns_tcp_opt_note(struct ns_tcp_opts *out, enum ns_tcp_opt_problem p)
{
	out->problems |= p;
	if (p != NS_TCP_OPT_UNKNOWN && out->nr_problems < U8_MAX)
		out->nr_problems++;
	return false;
}

/*
 * Should an option of a known kind be taken? Checked in this order, and
 * only the first failure is noted: its length, then whether it belongs in
 * this segment, then whether one was taken already.
 */
static bool ns_tcp_opt_take(struct ns_tcp_opts *out, bool len_ok,
			    bool place_ok, bool seen)
{
	if (!len_ok)
		return ns_tcp_opt_note(out, NS_TCP_OPT_BAD_LEN);
	if (!place_ok)
		return ns_tcp_opt_note(out, NS_TCP_OPT_MISPLACED);
	if (seen)
		return ns_tcp_opt_note(out, NS_TCP_OPT_DUP);
	return true;
}

/*
 * One option of @kind whose @olen bytes (kind and length bytes included,
 * 2 <= @olen, all of them inside the buffer) start at @opt.
 */
static void ns_tcp_opt_one(const u8 *opt, u8 kind, unsigned int olen,
			   bool syn, struct ns_tcp_opts *out)
{
	const u8 *val = opt + 2;
	unsigned int i, n;

	switch (kind) {
	case NS_TCP_OPT_KIND_MSS:
		if (!ns_tcp_opt_take(out, olen == NS_TCP_OPT_LEN_MSS, syn,
				     out->present & NS_TCP_OPT_HAS_MSS))
			return;
		out->mss = get_unaligned_be16(val);
		out->present |= NS_TCP_OPT_HAS_MSS;
		return;
	case NS_TCP_OPT_KIND_WSCALE:
		if (!ns_tcp_opt_take(out, olen == NS_TCP_OPT_LEN_WSCALE, syn,
				     out->present & NS_TCP_OPT_HAS_WSCALE))
			return;
		out->wscale = val[0];
		if (out->wscale > NS_TCP_WSCALE_MAX) {
			ns_tcp_opt_note(out, NS_TCP_OPT_WSCALE_CLAMPED);
			out->wscale = NS_TCP_WSCALE_MAX;
		}
		out->present |= NS_TCP_OPT_HAS_WSCALE;
		return;
	case NS_TCP_OPT_KIND_SACK_PERM:
		if (!ns_tcp_opt_take(out, olen == NS_TCP_OPT_LEN_SACK_PERM, syn,
				     out->present & NS_TCP_OPT_HAS_SACK_PERM))
			return;
		out->present |= NS_TCP_OPT_HAS_SACK_PERM;
		return;
	case NS_TCP_OPT_KIND_TS:
		if (!ns_tcp_opt_take(out, olen == NS_TCP_OPT_LEN_TS, true,
				     out->present & NS_TCP_OPT_HAS_TS))
			return;
		out->tsval = get_unaligned_be32(val);
		out->tsecr = get_unaligned_be32(val + 4);
		out->present |= NS_TCP_OPT_HAS_TS;
		return;
	case NS_TCP_OPT_KIND_SACK:
		n = (olen - NS_TCP_OPT_LEN_SACK_BASE) / NS_TCP_OPT_LEN_SACK_BLOCK;
		if (!ns_tcp_opt_take(out,
				     (olen - NS_TCP_OPT_LEN_SACK_BASE) %
				     NS_TCP_OPT_LEN_SACK_BLOCK == 0 &&
				     n >= 1 && n <= NS_TCP_OPT_SACK_MAX,
				     !syn, out->nr_sack))
			return;
		for (i = 0; i < n; i++) {
			out->sack[i].start = get_unaligned_be32(val + 8 * i);
			out->sack[i].end = get_unaligned_be32(val + 8 * i + 4);
		}
		out->nr_sack = n;
		return;
	default:
		ns_tcp_opt_note(out, NS_TCP_OPT_UNKNOWN);
		return;
	}
}

/**
 * ns_tcp_options_parse() - parse the options of a received segment
 * @opts: the option bytes: the TCP header after its fixed 20 bytes
 * @len: how many there are (doff * 4 - 20; normally at most
 *	%NS_TCP_OPT_MAX_LEN, but any length is handled). Nothing at or
 *	beyond @opts + @len is ever read, and with @len 0 nothing at all.
 * @syn: the segment has SYN set
 * @out: where the options go; cleared first
 *
 * Walks the options of RFC 9293 3.2: EOL ends the list (whatever follows
 * it is padding and is not looked at); NOP is skipped; every other option
 * has a length byte that counts its kind and length bytes too.
 *
 * * A length byte that is missing, less than 2 or running past @len
 *   stops parsing (%NS_TCP_OPT_MALFORMED). What came before is kept.
 * * A known option of the wrong length for its kind is skipped
 *   (%NS_TCP_OPT_BAD_LEN): MSS not 4 bytes, window scale not 3,
 *   SACK-permitted not 2, timestamps not 10, SACK not 2 + 8n, n = 1..4.
 * * MSS, window scale and SACK-permitted count only on a SYN (RFC 9293
 *   3.7.1, RFC 7323 2.2, RFC 2018 2), SACK blocks only without one (there
 *   is nothing to acknowledge selectively before the handshake); the
 *   others are skipped (%NS_TCP_OPT_MISPLACED). Timestamps count on any
 *   segment.
 * * Of two valid options of one kind, the first wins and the later one is
 *   skipped (%NS_TCP_OPT_DUP). (Linux lets the last one win; either is
 *   allowed, and "first" cannot be changed by bytes appended later.)
 * * A window scale shift above %NS_TCP_WSCALE_MAX is taken as
 *   %NS_TCP_WSCALE_MAX (RFC 7323 2.3, %NS_TCP_OPT_WSCALE_CLAMPED).
 * * Options of other kinds are skipped by their length
 *   (%NS_TCP_OPT_UNKNOWN, not a problem).
 *
 * None of these makes the segment unacceptable: as Linux does, the caller
 * counts each problem kind and goes on with the segment's fixed header and
 * with whatever options were taken.
 *
 * Return: @out->problems, a mask of &enum ns_tcp_opt_problem, 0 if the
 * options were clean. Never negative.
 */
int ns_tcp_options_parse(const u8 *opts, unsigned int len, bool syn,
			 struct ns_tcp_opts *out)
{
	unsigned int i = 0, olen;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		u8 kind = opts[i];

		if (kind == NS_TCP_OPT_KIND_EOL)
			break;
		if (kind == NS_TCP_OPT_KIND_NOP) {
			i++;
			continue;
		}
		/* The length byte, then the option, must lie below len. */
		if (len - i < 2) {
			ns_tcp_opt_note(out, NS_TCP_OPT_MALFORMED);
			break;
		}
		olen = opts[i + 1];
		if (olen < 2 || olen > len - i) {
			ns_tcp_opt_note(out, NS_TCP_OPT_MALFORMED);
			break;
		}
		ns_tcp_opt_one(opts + i, kind, olen, syn, out);
		i += olen;
	}
	return out->problems;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_options_parse);

/*
 * The layouts, all made of whole 32-bit words so that no padding is ever
 * needed and every value sits aligned (as Linux's tcp_options_write()
 * lays them out):
 *
 *   SYN:  MSS                   02 04 <mss:2>
 *         SACK-permitted + TS   04 02 08 0a <tsval:4> <tsecr:4>
 *      or TS alone              01 01 08 0a <tsval:4> <tsecr:4>
 *         SACK-permitted alone  01 01 04 02
 *         window scale          01 03 03 <shift:1>
 *   else: TS                    01 01 08 0a <tsval:4> <tsecr:4>
 *         SACK, n blocks        01 01 05 <2 + 8n> n x (<start:4> <end:4>)
 *
 * each present only if asked for, in this order. Linux's own SYN with
 * everything is thus 02 04 05 b4 04 02 08 0a ... 01 03 03 07.
 */
enum {
	NS_TCP_OPT_WORD = 4,
	NS_TCP_OPT_SYN_MSS = NS_TCP_OPT_WORD,
	NS_TCP_OPT_SYN_TS = 12,
	NS_TCP_OPT_SYN_SACK_PERM = NS_TCP_OPT_WORD,
	NS_TCP_OPT_SYN_WSCALE = NS_TCP_OPT_WORD,
	NS_TCP_OPT_ALIGNED_TS = 12,
	NS_TCP_OPT_ALIGNED_SACK_BASE = NS_TCP_OPT_WORD,
};

/*
 * The bytes that ns_tcp_options_write() would write in @room (capped at
 * %NS_TCP_OPT_MAX_LEN), and how many SACK blocks would fit in them; 0 if
 * even the options other than SACK blocks do not fit.
 */
static unsigned int ns_tcp_opt_layout(const struct ns_tcp_opts *opts,
				      bool syn, unsigned int room,
				      unsigned int *nr_sack)
{
	unsigned int size = 0, n;

	room = min_t(unsigned int, room, NS_TCP_OPT_MAX_LEN);
	*nr_sack = 0;
	if (syn) {
		if (opts->present & NS_TCP_OPT_HAS_MSS)
			size += NS_TCP_OPT_SYN_MSS;
		if (opts->present & NS_TCP_OPT_HAS_TS)
			size += NS_TCP_OPT_SYN_TS;
		else if (opts->present & NS_TCP_OPT_HAS_SACK_PERM)
			size += NS_TCP_OPT_SYN_SACK_PERM;
		if (opts->present & NS_TCP_OPT_HAS_WSCALE)
			size += NS_TCP_OPT_SYN_WSCALE;
		return size <= room ? size : 0;
	}
	if (opts->present & NS_TCP_OPT_HAS_TS)
		size += NS_TCP_OPT_ALIGNED_TS;
	if (size > room)
		return 0;
	n = min_t(unsigned int, opts->nr_sack, NS_TCP_OPT_SACK_MAX);
	if (n && room - size >= NS_TCP_OPT_ALIGNED_SACK_BASE +
				NS_TCP_OPT_LEN_SACK_BLOCK) {
		n = min(n, (room - size - NS_TCP_OPT_ALIGNED_SACK_BASE) /
			   NS_TCP_OPT_LEN_SACK_BLOCK);
		size += NS_TCP_OPT_ALIGNED_SACK_BASE +
			n * NS_TCP_OPT_LEN_SACK_BLOCK;
		*nr_sack = n;
	}
	return size;
}

/**
 * ns_tcp_options_size() - how many option bytes a segment will carry
 * @opts: the options to send (see ns_tcp_options_write())
 * @syn: the segment has SYN set
 *
 * What ns_tcp_options_write() writes given %NS_TCP_OPT_MAX_LEN bytes of
 * room, for reserving header space before writing.
 *
 * Return: the size in bytes: a multiple of 4, at most %NS_TCP_OPT_MAX_LEN.
 */
unsigned int ns_tcp_options_size(const struct ns_tcp_opts *opts, bool syn)
{
	unsigned int nr_sack;

	return ns_tcp_opt_layout(opts, syn, NS_TCP_OPT_MAX_LEN, &nr_sack);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_options_size);

static u8 *ns_tcp_opt_put_word(u8 *p, u8 a, u8 b, u8 c, u8 d)
{
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return p + NS_TCP_OPT_WORD;
}

/**
 * ns_tcp_options_write() - write the options of a segment to send
 * @buf: where the options go, right after the fixed 20-byte header
 * @room: bytes available at @buf; more than %NS_TCP_OPT_MAX_LEN is
 *	treated as %NS_TCP_OPT_MAX_LEN
 * @opts: what to send: @opts->present and the values it covers, and
 *	@opts->nr_sack blocks of @opts->sack; @opts->problems is ignored
 * @syn: the segment has SYN set
 *
 * On a SYN: MSS, SACK-permitted, timestamps and window scale, each if
 * present, in the layout Linux sends (see the table above
 * ns_tcp_opt_layout() in this file); SACK blocks are not written. Without
 * SYN: timestamps if present, then as many of the SACK blocks, first ones
 * first, as fit in @room and in the 40 bytes of a TCP header: 3 with
 * timestamps, 4 without. MSS, window scale and SACK-permitted are not
 * written. A window scale shift above %NS_TCP_WSCALE_MAX is sent as
 * %NS_TCP_WSCALE_MAX.
 *
 * Every option is aligned to 32 bits and padded in front with NOPs, so
 * the result is always whole words and needs no EOL.
 *
 * Return: the bytes written, a multiple of 4, at most
 * min(@room, %NS_TCP_OPT_MAX_LEN); 0, with nothing written, if the
 * options other than SACK blocks do not fit in @room.
 */
unsigned int ns_tcp_options_write(u8 *buf, unsigned int room,
				  const struct ns_tcp_opts *opts, bool syn)
{
	unsigned int size, nr_sack, i;
	u8 *p = buf;

	size = ns_tcp_opt_layout(opts, syn, room, &nr_sack);
	if (!size)
		return 0;

	if (syn && (opts->present & NS_TCP_OPT_HAS_MSS)) {
		p = ns_tcp_opt_put_word(p, NS_TCP_OPT_KIND_MSS,
					NS_TCP_OPT_LEN_MSS, 0, 0);
		put_unaligned_be16(opts->mss, p - 2);
	}
	if (opts->present & NS_TCP_OPT_HAS_TS) {
		if (syn && (opts->present & NS_TCP_OPT_HAS_SACK_PERM))
			p = ns_tcp_opt_put_word(p, NS_TCP_OPT_KIND_SACK_PERM,
						NS_TCP_OPT_LEN_SACK_PERM,
						NS_TCP_OPT_KIND_TS,
						NS_TCP_OPT_LEN_TS);
		else
			p = ns_tcp_opt_put_word(p, NS_TCP_OPT_KIND_NOP,
						NS_TCP_OPT_KIND_NOP,
						NS_TCP_OPT_KIND_TS,
						NS_TCP_OPT_LEN_TS);
		put_unaligned_be32(opts->tsval, p);
		put_unaligned_be32(opts->tsecr, p + 4);
		p += 8;
	} else if (syn && (opts->present & NS_TCP_OPT_HAS_SACK_PERM)) {
		p = ns_tcp_opt_put_word(p, NS_TCP_OPT_KIND_NOP,
					NS_TCP_OPT_KIND_NOP,
					NS_TCP_OPT_KIND_SACK_PERM,
					NS_TCP_OPT_LEN_SACK_PERM);
	}
	if (syn && (opts->present & NS_TCP_OPT_HAS_WSCALE))
		p = ns_tcp_opt_put_word(p, NS_TCP_OPT_KIND_NOP,
					NS_TCP_OPT_KIND_WSCALE,
					NS_TCP_OPT_LEN_WSCALE,
					min_t(u8, opts->wscale,
					      NS_TCP_WSCALE_MAX));
	if (nr_sack) {
		p = ns_tcp_opt_put_word(p, NS_TCP_OPT_KIND_NOP,
					NS_TCP_OPT_KIND_NOP,
					NS_TCP_OPT_KIND_SACK,
					NS_TCP_OPT_LEN_SACK_BASE +
					nr_sack * NS_TCP_OPT_LEN_SACK_BLOCK);
		for (i = 0; i < nr_sack; i++) {
			put_unaligned_be32(opts->sack[i].start, p);
			put_unaligned_be32(opts->sack[i].end, p + 4);
			p += NS_TCP_OPT_LEN_SACK_BLOCK;
		}
	}
	return size;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_options_write);
