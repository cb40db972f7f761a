/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP connection (RFC 9293): its control block and the calls the
 * parts of TCP make on one another.
 *
 * Serialisation: everything in struct ns_tcp_sock below the queue and
 * event fields belongs to whoever owns the socket lock (lock_sock): the
 * connection's work item (tcp_conn.c) or a socket call (tcp_sock.c).
 * Softirq code never touches it: received segments go to @in_queue and
 * timers set a bit in @events, and both queue the work.
 */
#ifndef _NETSTACK_TCP_H
#define _NETSTACK_TCP_H

#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "netstack.h"
#include "tcp_cong.h"
#include "tcp_ofo.h"
#include "tcp_rto.h"
#include "tcp_sack.h"
#include "tcp_state.h"
#include "tcp_timestamps.h"

/* Header room of every segment we build: link + IPv4 + TCP with options. */
#define NS_TCP_MAX_HEADER	(LL_MAX_HEADER + 20 + 60)

/* The largest MSS we use: a page less the headers. */
#define NS_TCP_MSS_MAX		(SKB_MAX_HEAD(NS_TCP_MAX_HEADER) & ~7U)

/* The window scale shift we offer (Linux's usual one). */
#define NS_TCP_RCV_WSCALE	7

/* RFC 9293 3.7.1: the MSS to assume when the peer sends none. */
#define NS_TCP_DEFAULT_MSS	536

/**
 * enum ns_tcp_ca_state - where the sender is in loss recovery
 * @NS_TCP_CA_OPEN: no loss outstanding
 * @NS_TCP_CA_RECOVERY: fast recovery after duplicate ACKs or SACK showed
 *	a loss: SACK-based (RFC 6675) when the peer sends SACK blocks, else
 *	NewReno (RFC 6582); ends when @recover is acknowledged
 * @NS_TCP_CA_LOSS: after a retransmission timeout: everything outstanding
 *	is resent in slow start until @recover is acknowledged
 *
 * The values are Linux's TCP_CA_Open, TCP_CA_Recovery and TCP_CA_Loss, as
 * TCP_INFO reports them.
 */
enum ns_tcp_ca_state {
	NS_TCP_CA_OPEN = 0,
	NS_TCP_CA_RECOVERY = 3,
	NS_TCP_CA_LOSS = 4,
};

/**
 * enum ns_tcp_work_event - what a work run has to do besides segments
 * @NS_TCP_EV_BIT_RTX: the retransmission (or persist) timer fired
 * @NS_TCP_EV_BIT_STATE_TIMER: the TIME-WAIT or FIN-WAIT-2 timer fired
 * @NS_TCP_EV_BIT_ABORT: the listener this connection waited in went away
 * @NS_TCP_EV_BIT_ICMP: an ICMP error for the connection arrived
 * @NS_TCP_EV_BIT_DELACK: the delayed-ACK timer fired
 * @NS_TCP_EV_BIT_KEEPALIVE: the keepalive timer fired
 */
enum ns_tcp_work_event {
	NS_TCP_EV_BIT_RTX,
	NS_TCP_EV_BIT_STATE_TIMER,
	NS_TCP_EV_BIT_ABORT,
	NS_TCP_EV_BIT_ICMP,
	NS_TCP_EV_BIT_DELACK,
	NS_TCP_EV_BIT_KEEPALIVE,
};

/**
 * struct ns_tcp_sock - a TCP socket and its connection
 * @ns: the netstack socket; must stay first
 * @work: the connection's work item on ns_tcp_wq
 * @user_cpu: the CPU of the last send or receive call, where @work is
 *	queued (-1 before the first: the CPU that queues it)
 * @in_queue: received segments waiting for @work, or for a socket call
 *	that holds the lock (its own lock)
 * @events: enum ns_tcp_work_event bits, set from any context
 * @icmp_err: the errno (positive) of the last ICMP error, for @work
 * @rtx_timer: retransmission, SYN, persist timer; sk->sk_timer is the
 *	TIME-WAIT / FIN-WAIT-2 timer
 * @delack_timer: the delayed-ACK timer (tcp_delack.c)
 * @keepalive_timer: the keepalive timer (tcp_keepalive.c)
 * @iss: our initial sequence number
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send (never moves back)
 * @snd_wnd: the peer's window, scaled
 * @snd_wl1: SEG.SEQ of the segment that last updated @snd_wnd
 * @snd_wl2: SEG.ACK of that segment
 * @write_seq: sequence number after the last byte queued by the user
 * @send_head: the first write-queue skb not yet sent in full, or NULL when
 *	all is sent (a hint ns_tcp_send_head() moves forward; tcp_output.c)
 * @recover: snd_nxt when the last recovery (or loss) began; a new fast
 *	recovery starts only once it is acknowledged (RFC 6582 4.1)
 * @irs: the peer's initial sequence number
 * @rcv_nxt: next sequence number expected
 * @rcv_adv: right edge of the last window we advertised
 * @copied_seq: next sequence number the user will read
 * @rcvq_seq: @copied_seq when the receive-buffer tuning period began
 * @rcvq_start_us: when that period began (tcp_rcvbuf.c)
 * @rtt_seq: the segment being timed ends here
 * @rtt_start_us: when it was sent
 * @mss: the most payload a segment we send carries
 * @advmss: the MSS we announced
 * @snd_wscale: the peer's window scale shift
 * @rcv_wscale: ours (0 unless both sides sent the option)
 * @dupacks: duplicate ACKs in a row
 * @retries: retransmissions (or probes) of the current timeout series
 * @rtt_timing: a round trip is being timed (Karn: never a retransmission)
 * @ca_state: &enum ns_tcp_ca_state
 * @cwnd_limited: the last push left data unsent for want of congestion
 *	window: ACKs may grow the window (RFC 7661)
 * @fin_queued: the user is done sending: a FIN follows the queued data
 * @persist: @rtx_timer is the persist timer (zero window)
 * @passive: the connection came from a listener
 * @nodelay: TCP_NODELAY: no Nagle (tcp_nagle.c)
 * @ack_pending: an ACK is owed now; the next segment sent carries it (a
 *	delayed one is owed while @delack_timer is pending)
 * @sack_ok: both SYNs carried SACK-permitted: our ACKs report the blocks
 *	of the out-of-order queue (RFC 2018); the peer's blocks are not
 *	used yet
 * @sack_recent: the sequence number of the last segment queued out of
 *	order: its block is reported first
 * @ts_ok: both SYNs carried timestamps (RFC 7323): every segment carries
 *	TSval and TSecr, PAWS applies, TSecr gives round-trip samples
 * @ts_offset: added to the millisecond clock for our TSval
 * @ts_recent: TS.Recent, the peer's TSval we echo
 * @ts_recent_stamp: when @ts_recent was set (seconds, for PAWS's 24 days)
 * @last_ack_sent: the acknowledgment number we last sent (RFC 7323 4.3)
 * @rcv_tsecr: TSecr of the segment being processed, 0 if it had none
 * @keepidle: TCP_KEEPIDLE in seconds, 0 for the default
 * @keepintvl: TCP_KEEPINTVL in seconds, 0 for the default
 * @keepcnt: TCP_KEEPCNT, 0 for the default
 * @cork: TCP_CORK: partial segments wait for the uncork (or the FIN)
 * @nagle_push: one push sends partial segments whatever Nagle says (the
 *	uncork, TCP_NODELAY set)
 * @quickack: data segments still to be ACKed at once (connection start)
 * @keepalive_probes: keepalive probes sent and not answered
 * @rcv_mss: the largest payload received (at most @advmss): "full-sized"
 *	for the delayed-ACK rule
 * @user_mss: TCP_MAXSEG, 0 when not set: clamps @advmss and @mss
 * @rcv_acked: @rcv_nxt as our last ACK reported it
 * @user_timeout: TCP_USER_TIMEOUT in milliseconds, 0 for none
 * @rcv_tstamp: jiffies when the last segment arrived (keepalive)
 * @rtx_start: jiffies when the data of the current retransmission series
 *	was first sent, about (TCP_USER_TIMEOUT)
 * @rto: the retransmission timeout estimator
 * @cc: the congestion window and its algorithm
 * @lsndtime: jiffies when data was last sent (restart after idle)
 * @total_retrans: segments retransmitted over the connection's life
 * @bytes_acked: bytes of ours the peer acknowledged (TCP_INFO)
 * @bytes_received: bytes of the peer's received in order (TCP_INFO)
 * @sb: the SACK scoreboard as last counted (TCP_INFO)
 * @ofo: out-of-order segments
 * @listener: while in a listener's queues, the listener (held)
 * @child_node: in the listener's @syn_queue or @accept_queue
 * @accept_lock: listener: protects @syn_queue, @accept_queue, @syn_count,
 *	and the @listener and @child_node of the children in them
 * @syn_queue: listener: children in SYN-RECEIVED
 * @accept_queue: listener: children established, not accepted yet
 * @syn_count: listener: length of @syn_queue
 */
struct ns_tcp_sock {
	struct ns_sock ns;
	struct work_struct work;
	int user_cpu;
	struct sk_buff_head in_queue;
	unsigned long events;
	int icmp_err;
	struct timer_list rtx_timer;
	struct timer_list delack_timer;
	struct timer_list keepalive_timer;

	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 write_seq;
	struct sk_buff *send_head;
	u32 recover;
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_adv;
	u32 copied_seq;
	u32 rcvq_seq;
	u64 rcvq_start_us;
	u32 rtt_seq;
	u64 rtt_start_us;
	u16 mss;
	u16 advmss;
	u8 snd_wscale;
	u8 rcv_wscale;
	u8 dupacks;
	u8 retries;
	bool rtt_timing;
	u8 ca_state;
	bool cwnd_limited;
	bool fin_queued;
	bool persist;
	bool passive;
	bool nodelay;
	bool ack_pending;
	bool sack_ok;
	u32 sack_recent;
	bool ts_ok;
	u32 ts_offset;
	u32 ts_recent;
	u32 ts_recent_stamp;
	u32 last_ack_sent;
	u32 rcv_tsecr;
	u16 keepidle;
	u16 keepintvl;
	u8 keepcnt;
	bool cork;
	bool nagle_push;
	u8 quickack;
	u8 keepalive_probes;
	u16 rcv_mss;
	u16 user_mss;
	u32 rcv_acked;
	u32 user_timeout;
	unsigned long rcv_tstamp;
	unsigned long rtx_start;
	struct ns_tcp_rto rto;
	struct ns_tcp_cc cc;
	unsigned long lsndtime;
	u32 total_retrans;
	u64 bytes_acked;
	u64 bytes_received;
	struct ns_tcp_scoreboard sb;
	struct ns_tcp_ofo ofo;

	struct sock *listener;
	struct list_head child_node;
	spinlock_t accept_lock;	/* the queues of a listener */
	struct list_head syn_queue;
	struct list_head accept_queue;
	u32 syn_count;
};

/**
 * ns_tcp_sk() - the TCP socket around a struct sock
 * @sk: a netstack TCP socket
 *
 * Return: its struct ns_tcp_sock.
 */
static inline struct ns_tcp_sock *ns_tcp_sk(const struct sock *sk)
{
	return (struct ns_tcp_sock *)sk;
}

/**
 * ns_tcp_clock_us() - the microsecond clock of RTT timing and of the
 *	receive-buffer tuning periods
 *
 * Return: monotonic time in microseconds.
 */
static inline u64 ns_tcp_clock_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/**
 * ns_tcp_tsval() - the TSval to send now
 * @tp: the connection
 *
 * Return: the millisecond clock plus the connection's offset.
 */
static inline u32 ns_tcp_tsval(const struct ns_tcp_sock *tp)
{
	return ns_tcp_ts_clock_ms() + tp->ts_offset;
}

/*
 * Control block of a segment in the write queue: the same struct as for
 * received ones (tcp_ofo.h), @seq/@end_seq its payload's range.
 */

/* tcp_conn.c: the work item, timers, state changes */
extern struct workqueue_struct *ns_tcp_wq;
void ns_tcp_kick(struct sock *sk);
int ns_tcp_process_in_queue(struct sock *sk);
void ns_tcp_conn_init(struct sock *sk);
void ns_tcp_set_state(struct sock *sk, enum ns_tcp_state state);
void ns_tcp_event(struct sock *sk, enum ns_tcp_event ev);
void ns_tcp_done(struct sock *sk);
void ns_tcp_orphan(struct sock *sk);
void ns_tcp_net_exit(struct ns_net *nsn);
void ns_tcp_arm_rtx(struct sock *sk);
void ns_tcp_stop_rtx(struct sock *sk);
void ns_tcp_arm_state_timer(struct sock *sk, unsigned long delay);
bool ns_tcp_hash(struct sock *sk);
void ns_tcp_child_unlink(struct sock *child);
void ns_tcp_listener_stop(struct sock *sk);
u32 ns_tcp_msl_jiffies(const struct sock *sk);

/* tcp_input.c */
void ns_tcp_process(struct sock *sk, struct sk_buff *skb);

/* tcp_output.c */
int ns_tcp_send_syn(struct sock *sk);
void ns_tcp_send_ack(struct sock *sk);
void ns_tcp_send_active_reset(struct sock *sk);
void ns_tcp_push(struct sock *sk);
void ns_tcp_retransmit_head(struct sock *sk);
int ns_tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
void ns_tcp_send_probe(struct sock *sk);
u32 ns_tcp_window_room(const struct sock *sk);
void ns_tcp_window_update(struct sock *sk);
void ns_tcp_write_queue_purge(struct sock *sk);
bool ns_tcp_skb_attach(struct sk_buff *skb, struct page *page,
		       unsigned int off, unsigned int len);
unsigned int ns_tcp_mss_for(struct ns_net *nsn, __be32 daddr);
struct ns_tcp_opts;
void ns_tcp_send_synack_stateless(struct ns_net *nsn, const struct sk_buff *syn,
				  u32 iss, const struct ns_tcp_opts *opts,
				  u16 window);

/* tcp_recovery.c: congestion control and loss recovery of the sender */
u32 ns_tcp_in_flight(struct sock *sk);
void ns_tcp_recovery_ack(struct sock *sk, u32 prior_una, u32 acked_segs,
			 u32 newly_sacked, bool dupack);
void ns_tcp_enter_loss(struct sock *sk);
u32 ns_tcp_cwnd_room(struct sock *sk);
void ns_tcp_cong_set(struct sock *sk, const struct ns_tcp_cong_ops *ops);

/* tcp_info.c */
int ns_tcp_get_info(struct sock *sk, char __user *optval, int __user *optlen);
int ns_tcp_get_congestion(struct sock *sk, char __user *optval, int __user *optlen);
int ns_tcp_set_congestion(struct sock *sk, sockptr_t optval, unsigned int optlen);

/* tcp_sock.c */
extern const struct proto_ops ns_tcp_ops;
extern struct proto ns_tcp_prot;
u32 ns_tcp_readable(const struct sock *sk);

#endif /* _NETSTACK_TCP_H */
