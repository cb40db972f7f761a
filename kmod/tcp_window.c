// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_window.c - TCP window arithmetic: the receive-side segment
 * acceptability test (RFC 9293 3.10.7.4), the send-side ACK classification
 * and window-update rule (same section), the usable send window (RFC 9293
 * 3.8.6.2.1's SND.UNA + SND.WND - SND.NXT) and the receive window to
 * advertise with receiver-side silly-window-syndrome avoidance (RFC 1122
 * 4.2.3.3, RFC 9293 3.8.6.2.2) and window scaling (RFC 7323 2).
 *
 * Everything here is a pure function of its arguments. All sequence
 * arithmetic is modulo 2^32 (seq.h) and assumes, as TCP guarantees, that
 * windows and the bytes in flight stay well below 2^31.
 */
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <kunit/visibility.h>

#include "seq.h"
#include "tcp_window.h"

/**
 * ns_tcp_seq_acceptable() - may a received segment be processed?
 * @rcv_nxt: RCV.NXT, the next sequence number expected
 * @rcv_wnd: RCV.WND, the receive window in bytes (already scaled)
 * @seg_seq: SEG.SEQ, the segment's first sequence number
 * @seg_len: SEG.LEN, the sequence space it occupies: its data, plus one
 *	for SYN and one for FIN
 *
 * The four cases of RFC 9293 3.10.7.4:
 *
 * * SEG.LEN 0, RCV.WND 0: acceptable iff SEG.SEQ = RCV.NXT.
 * * SEG.LEN 0, RCV.WND > 0: acceptable iff RCV.NXT =< SEG.SEQ <
 *   RCV.NXT + RCV.WND.
 * * SEG.LEN > 0, RCV.WND 0: never acceptable.
 * * SEG.LEN > 0, RCV.WND > 0: acceptable iff some of the segment lies in
 *   the window: its first byte (RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND) or
 *   its last (RCV.NXT =< SEG.SEQ + SEG.LEN - 1 < RCV.NXT + RCV.WND) - or,
 *   beyond the RFC's literal text, a segment that starts before the window
 *   and ends after it, which carries RCV.NXT and the whole window and
 *   would otherwise be refused (Linux accepts it too). The caller trims
 *   what lies outside.
 *
 * A segment refused here still has its RST, ACK and URG looked at in the
 * ways RFC 9293 allows for a zero window; that is the caller's business.
 *
 * Return: true if the segment is acceptable.
 */
bool ns_tcp_seq_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq, u32 seg_len)
{
	if (!seg_len) {
		if (!rcv_wnd)
			return seg_seq == rcv_nxt;
		return ns_seq_in_window(seg_seq, rcv_nxt, rcv_wnd);
	}
	if (!rcv_wnd)
		return false;
	/*
	 * Two non-empty ranges overlap iff one of them starts inside the
	 * other: the segment's first byte in the window, or RCV.NXT inside
	 * the segment (which covers "last byte in the window" too).
	 */
	return ns_seq_in_window(seg_seq, rcv_nxt, rcv_wnd) ||
	       ns_seq_in_window(rcv_nxt, seg_seq, seg_len);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_seq_acceptable);

/**
 * ns_tcp_ack_classify() - where does SEG.ACK fall for the send side?
 * @snd_una: SND.UNA, the oldest unacknowledged sequence number
 * @snd_nxt: SND.NXT, the next sequence number to send; at or after
 *	@snd_una, less than 2^31 from it
 * @seg_ack: SEG.ACK of a segment with ACK set
 *
 * RFC 9293 3.10.7.4 in the established states: SEG.ACK =< SND.UNA is a
 * duplicate that can be ignored (split here into %NS_TCP_ACK_OLD and
 * %NS_TCP_ACK_DUP), SND.UNA < SEG.ACK =< SND.NXT acknowledges new data,
 * SEG.ACK > SND.NXT acknowledges something not yet sent (send an ACK, drop
 * the segment). Sequence numbers are circular: the numbers after SND.NXT,
 * up to and including SND.NXT + 2^31, are %NS_TCP_ACK_UNSENT; the rest,
 * before SND.UNA, are %NS_TCP_ACK_OLD.
 *
 * Return: the class of @seg_ack.
 */
enum ns_tcp_ack ns_tcp_ack_classify(u32 snd_una, u32 snd_nxt, u32 seg_ack)
{
	if (seg_ack == snd_una)
		return NS_TCP_ACK_DUP;
	if (seg_ack - snd_una <= snd_nxt - snd_una)
		return NS_TCP_ACK_NEW;
	if (ns_seq_after(seg_ack, snd_nxt))
		return NS_TCP_ACK_UNSENT;
	return NS_TCP_ACK_OLD;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ack_classify);

/**
 * ns_tcp_window_update_ok() - may this segment update SND.WND?
 * @snd_wl1: SND.WL1, SEG.SEQ of the segment that last updated the window
 * @snd_wl2: SND.WL2, SEG.ACK of that segment
 * @seg_seq: SEG.SEQ of the segment at hand
 * @seg_ack: SEG.ACK of the segment at hand
 *
 * RFC 9293 3.10.7.4: the window is taken from the newest segment, newest
 * by SEG.SEQ first and by SEG.ACK second, so that an old, reordered
 * segment cannot bring back an old window: update iff SND.WL1 < SEG.SEQ,
 * or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK. The caller asks only for
 * an ACK with SND.UNA =< SEG.ACK =< SND.NXT (%NS_TCP_ACK_DUP or
 * %NS_TCP_ACK_NEW), and on true sets SND.WND, SND.WL1 and SND.WL2 from
 * the segment.
 *
 * Return: true if SND.WND, SND.WL1 and SND.WL2 should be updated.
 */
bool ns_tcp_window_update_ok(u32 snd_wl1, u32 snd_wl2, u32 seg_seq,
			     u32 seg_ack)
{
	if (ns_seq_before(snd_wl1, seg_seq))
		return true;
	return snd_wl1 == seg_seq && ns_seq_before_eq(snd_wl2, seg_ack);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_window_update_ok);

/**
 * ns_tcp_send_window() - how many new bytes may be sent now?
 * @snd_una: SND.UNA, the oldest unacknowledged sequence number
 * @snd_nxt: SND.NXT, the next sequence number to send
 * @snd_wnd: SND.WND, the peer's window in bytes (already scaled), which
 *	starts at @snd_una
 *
 * The usable window SND.UNA + SND.WND - SND.NXT of RFC 9293 3.8.6.2.1,
 * computed modulo 2^32. It is 0 when @snd_nxt is at or beyond the right
 * edge, as after the peer shrank its window, and also when @snd_nxt is
 * before @snd_una, which a caller should never let happen. Congestion
 * control and the sender's silly-window avoidance come on top of this.
 *
 * Return: the number of bytes beyond @snd_nxt the peer's window allows.
 */
u32 ns_tcp_send_window(u32 snd_una, u32 snd_nxt, u32 snd_wnd)
{
	u32 in_flight = snd_nxt - snd_una;

	return in_flight < snd_wnd ? snd_wnd - in_flight : 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_send_window);

/**
 * ns_tcp_rcv_window() - the receive window to advertise now
 * @rcv_nxt: RCV.NXT, the next sequence number expected
 * @rcv_adv: the right edge last advertised: RCV.NXT + RCV.WND as they were
 *	when the last window went out (equal to @rcv_nxt before the first)
 * @free_space: bytes the receive buffer can still take, beyond what is
 *	queued and not yet read (RCV.BUFF - RCV.USER of RFC 1122)
 * @buf_size: the whole receive buffer in bytes (RCV.BUFF)
 * @mss: the effective MSS of segments the peer sends us (Eff.snd.MSS)
 * @wscale: the window-scale shift we announced (RFC 7323), 0 if none;
 *	more than %NS_TCP_WSCALE_MAX counts as %NS_TCP_WSCALE_MAX
 *
 * With G = 2^@wscale the granularity of the 16-bit window field and
 * MAX = 65535 * G the largest window it can carry, let OPEN be the part of
 * the last advertisement still unfilled, @rcv_adv - @rcv_nxt (0 if
 * @rcv_adv is not after @rcv_nxt, at most MAX), KEEP be OPEN rounded up
 * to a multiple of G, and OFFER be min(@free_space, MAX) rounded down to a
 * multiple of G. Then the result is:
 *
 * * OFFER, if OFFER > OPEN and OFFER - OPEN >= min(@buf_size / 2, @mss):
 *   the right edge moves forward by at least that much, the
 *   receiver-side silly-window-syndrome avoidance of RFC 1122 4.2.3.3
 *   (RCV.BUFF - RCV.USER - RCV.WND >= min(Fr * RCV.BUFF, Eff.snd.MSS),
 *   Fr = 1/2), and never by more than @free_space allows;
 * * KEEP otherwise: the right edge stays where it was, or moves forward
 *   by less than G where the old edge cannot be expressed in units of G.
 *   KEEP may exceed @free_space - the buffer has shrunk under a promise,
 *   or by the rounding - since a window once offered is never withdrawn
 *   (RFC 9293 3.8.6.2.2, RFC 7323 2.4).
 *
 * So the result is a multiple of G and at most MAX, the new right edge
 * @rcv_nxt + result is never before @rcv_adv, and a full buffer with the
 * old window used up gives 0. The caller puts result >> @wscale into the
 * header (unscaled for SYN segments, RFC 7323 2.2) and remembers
 * @rcv_nxt + result as the next @rcv_adv.
 *
 * Return: the window in bytes, RCV.WND from now on.
 */
u32 ns_tcp_rcv_window(u32 rcv_nxt, u32 rcv_adv, u32 free_space, u32 buf_size,
		      u32 mss, unsigned int wscale)
{
	u32 gran, max_wnd, open, keep, offer;

	wscale = min_t(unsigned int, wscale, NS_TCP_WSCALE_MAX);
	gran = 1U << wscale;
	max_wnd = (u32)U16_MAX << wscale;

	open = ns_seq_after(rcv_adv, rcv_nxt) ? rcv_adv - rcv_nxt : 0;
	open = min(open, max_wnd);
	/* MAX is a multiple of G, so neither rounding can pass it. */
	keep = round_up(open, gran);
	offer = round_down(min(free_space, max_wnd), gran);

	if (offer > open && offer - open >= min(buf_size / 2, mss))
		return offer;
	return keep;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_rcv_window);
