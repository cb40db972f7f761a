/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP timestamps (RFC 7323 3-5, tcp_timestamps.c): the TSval clock with
 * its per-connection offset, when TS.Recent may be updated, PAWS, and
 * round-trip samples from TSecr. Pure functions but for the clock.
 */
#ifndef _NETSTACK_TCP_TIMESTAMPS_H
#define _NETSTACK_TCP_TIMESTAMPS_H

#include <linux/types.h>

/* RFC 7323 5.5: a TS.Recent idle this long (24 days) is no longer valid. */
#define NS_TCP_PAWS_IDLE_S	(24 * 24 * 60 * 60)

/*
 * An older TSval by this much (one tick of a millisecond clock) is not yet
 * taken for an old duplicate: segments sent close together on different
 * CPUs arrive in either order (Linux allows the same).
 */
#define NS_TCP_PAWS_SLACK	1

/* The bytes the timestamps option takes in a segment other than a SYN. */
#define NS_TCP_TS_ALIGNED_LEN	12

u32 ns_tcp_ts_clock_ms(void);
u32 ns_tcp_ts_offset(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport);
bool ns_tcp_ts_recent_update_ok(u32 seq, u32 last_ack_sent, u32 tsval,
				u32 ts_recent);
bool ns_tcp_paws_reject(u32 tsval, u32 ts_recent, u32 ts_recent_stamp_s,
			u32 now_s);
bool ns_tcp_paws_disordered_ok(u32 tsval, u32 ts_recent, bool pure_ack,
			       u32 rto_ms);
s64 ns_tcp_ts_rtt_us(u32 tsval_now, u32 tsecr);

#endif /* _NETSTACK_TCP_TIMESTAMPS_H */
