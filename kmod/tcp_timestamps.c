// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_timestamps.c - TCP timestamps (RFC 7323).
 *
 * TSval is a millisecond clock plus a per-connection offset, a keyed hash
 * (SipHash, secret chosen at random when first needed) of the 4-tuple, as
 * Linux does: an observer learns neither the host's uptime nor how two
 * connections' clocks relate. TS.Recent, the peer's last TSval worth
 * echoing, is updated only from segments that cover Last.ACK.sent
 * (4.3); PAWS (5.3) drops a segment whose TSval is older than TS.Recent
 * unless TS.Recent has been idle more than 24 days (5.5). The TSecr of an
 * ACK of new data gives a round-trip sample, even for retransmitted data
 * (4.1): it echoes the TSval of the segment that actually arrived.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/siphash.h>
#include <kunit/visibility.h>

#include "seq.h"
#include "tcp_timestamps.h"

static siphash_aligned_key_t ns_tcp_ts_key;

/**
 * ns_tcp_ts_clock_ms() - the timestamp clock, without offset
 *
 * Return: milliseconds of the monotonic clock, modulo 2^32.
 */
u32 ns_tcp_ts_clock_ms(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ts_clock_ms);

/**
 * ns_tcp_ts_offset() - a connection's TSval offset
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: the offset added to ns_tcp_ts_clock_ms() for TSval: a keyed
 * hash of the 4-tuple, unpredictable without the key, the same for every
 * call with the same 4-tuple.
 */
u32 ns_tcp_ts_offset(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport)
{
	net_get_random_once(&ns_tcp_ts_key, sizeof(ns_tcp_ts_key));
	return siphash_3u32((__force u32)laddr, (__force u32)raddr,
			    (u32)(__force u16)lport << 16 | (__force u16)rport,
			    &ns_tcp_ts_key);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ts_offset);

/**
 * ns_tcp_ts_recent_update_ok() - whether a segment's TSval becomes
 *	TS.Recent (RFC 7323 4.3)
 * @seq: SEG.SEQ
 * @last_ack_sent: the acknowledgment number we last sent
 * @tsval: SEG.TSval
 * @ts_recent: TS.Recent
 *
 * Only a segment that covers Last.ACK.sent (SEG.SEQ <= Last.ACK.sent)
 * and is not older than TS.Recent: so that a delayed ACK echoes the
 * earliest unacknowledged segment's time, and an old one cannot move
 * TS.Recent back.
 *
 * Return: true to copy @tsval to TS.Recent.
 */
bool ns_tcp_ts_recent_update_ok(u32 seq, u32 last_ack_sent, u32 tsval,
				u32 ts_recent)
{
	return ns_seq_before_eq(seq, last_ack_sent) &&
	       (s32)(tsval - ts_recent) >= 0;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ts_recent_update_ok);

/**
 * ns_tcp_paws_reject() - PAWS: whether a segment is an old duplicate
 *	(RFC 7323 5.3 R1)
 * @tsval: SEG.TSval of a segment that is not a reset
 * @ts_recent: TS.Recent
 * @ts_recent_stamp_s: when TS.Recent was set, in seconds
 * @now_s: the time now, same clock
 *
 * Timestamps compare modulo 2^32 (5.2). A TS.Recent older than 24 days
 * proves nothing any more (5.5): then nothing is rejected.
 *
 * Return: true if the segment must be dropped (and answered with an ACK).
 */
bool ns_tcp_paws_reject(u32 tsval, u32 ts_recent, u32 ts_recent_stamp_s,
			u32 now_s)
{
	if ((s32)(tsval - ts_recent) >= 0)
		return false;
	return now_s - ts_recent_stamp_s <= NS_TCP_PAWS_IDLE_S;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_paws_reject);

/**
 * ns_tcp_paws_disordered_ok() - whether a segment PAWS would reject is
 *	only reordered, and taken after all
 * @tsval: SEG.TSval, older than @ts_recent
 * @ts_recent: TS.Recent
 * @pure_ack: the segment carries no data, SYN or FIN
 * @rto_ms: the connection's retransmission timeout, in milliseconds
 *
 * A peer sends from several CPUs, and its segments may pass each other on
 * the way: an ACK sent a little before the data that set TS.Recent comes
 * after it. Within %NS_TCP_PAWS_SLACK any segment passes; a pure ACK
 * passes when it is less than an RTO older, as an old duplicate from a
 * wrapped sequence space is far older than that, and a pure ACK cannot put
 * old data in the stream (its ACK field is checked as any other).
 *
 * Return: true to process the segment despite PAWS.
 */
bool ns_tcp_paws_disordered_ok(u32 tsval, u32 ts_recent, bool pure_ack,
			       u32 rto_ms)
{
	u32 age = ts_recent - tsval;

	return age <= NS_TCP_PAWS_SLACK || (pure_ack && age <= rto_ms);
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_paws_disordered_ok);

/**
 * ns_tcp_ts_rtt_us() - a round-trip sample from an echoed timestamp
 *	(RFC 7323 4.1)
 * @tsval_now: the TSval we would send now
 * @tsecr: SEG.TSecr of an ACK of new data; 0 carries no time
 *
 * A round trip under one millisecond counts as one (the clock's tick).
 *
 * Return: the sample in microseconds, or -1 when @tsecr is 0 or in the
 * future or absurdly old (more than 2^31 / 1000 ms: not one of ours).
 */
s64 ns_tcp_ts_rtt_us(u32 tsval_now, u32 tsecr)
{
	u32 delta = tsval_now - tsecr;

	if (!tsecr || delta >= S32_MAX / USEC_PER_MSEC)
		return -1;
	return (s64)max_t(u32, delta, 1) * USEC_PER_MSEC;
}
EXPORT_SYMBOL_IF_KUNIT(ns_tcp_ts_rtt_us);
