// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_output.c - building and sending TCP segments: SYN and SYN-ACK with
 * their options, data from the write queue as the peer's window allows,
 * ACKs with the window to advertise, FIN, retransmissions, zero-window
 * probes, and resets (for a connection, and for segments no connection
 * takes, RFC 9293 3.10.7.1).
 *
 * The write queue (sk->sk_write_queue) holds the user's data in skbs of at
 * most one MSS of payload each, in page fragments (tcp_sock.c), their
 * control block (tcp_ofo.h) giving the range; they stay queued until
 * acknowledged. A transmission sends a
 * clone whose headers go in the queued skb's headroom, which is the
 * clone's to write (__skb_header_release() at allocation: the queued skb
 * owns only its payload); when an earlier clone is still in flight, or
 * the transmission starts inside the segment (dropping the bytes before
 * it would change the fragment descriptors all clones share), it sends a
 * copy instead. New data in whole segments goes
 * out several at a time as one GSO packet (one skb whose page fragments
 * are the segments') on any link that does scatter-gather: a link with
 * TSO takes it whole, for any other the core splits it just before the
 * driver, as it does for Linux's TCP. sk_wmem_queued
 * counts the queued skbs' truesize against sk_sndbuf. The checksum is
 * left to the device (CHECKSUM_PARTIAL: the core computes it for a device
 * that cannot, and the local delivery path takes it as good).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/tcp.h>

#include "seq.h"
#include "tcp.h"
#include "tcp_delack.h"
#include "tcp_nagle.h"
#include "tcp_options.h"
#include "tcp_timestamps.h"
#include "tcp_window.h"

/**
 * ns_tcp_mss_for() - the MSS to announce for a connection to @daddr
 * @nsn: the instance
 * @daddr: the peer
 *
 * The link's MTU less the IPv4 and TCP headers, at most %NS_TCP_MSS_MAX
 * (about a page); for a local peer, %NS_TCP_MSS_MAX.
 *
 * Return: the MSS; NS_TCP_DEFAULT_MSS without a route.
 */
unsigned int ns_tcp_mss_for(struct ns_net *nsn, __be32 daddr)
{
	unsigned int mtu = ns_ipv4_path_mtu(nsn, daddr);
	unsigned int hdrs = sizeof(struct iphdr) + sizeof(struct tcphdr);

	if (!mtu)
		return NS_TCP_DEFAULT_MSS;
	return clamp_t(unsigned int, mtu - hdrs, 88, NS_TCP_MSS_MAX);
}

/**
 * ns_tcp_window_room() - bytes the receive buffer can still take
 * @sk: the socket
 *
 * Half of what sk_rcvbuf leaves beside the memory queued: the other half
 * covers the skb overhead of that data (Linux's tcp_adv_win_scale 1).
 *
 * Return: the room in bytes.
 */
u32 ns_tcp_window_room(const struct sock *sk)
{
	int room = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc) -
		   (int)ns_tcp_sk(sk)->ofo.mem;

	return room > 0 ? room / 2 : 0;
}

static u32 ns_tcp_current_window(const struct sock *sk, bool syn)
{
	const struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	return ns_tcp_rcv_window(tp->rcv_nxt, tp->rcv_adv, ns_tcp_window_room(sk),
				 READ_ONCE(sk->sk_rcvbuf) / 2, tp->mss,
				 syn ? 0 : tp->rcv_wscale);
}

/* The window to put in the next segment (in bytes), and remember it. */
static u32 ns_tcp_select_window(struct sock *sk, bool syn)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 wnd = ns_tcp_current_window(sk, syn);

	tp->rcv_adv = tp->rcv_nxt + wnd;
	return wnd;
}

/**
 * ns_tcp_window_update() - after the user read: announce the window if
 *	its right edge may move (by enough to avoid silly windows)
 * @sk: the socket, locked
 */
void ns_tcp_window_update(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 edge;

	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	/*
	 * Not for a move of less than the window's granularity: that is the
	 * old edge rounded up, not room the read freed, and announcing it
	 * would ACK every small read before the delayed ACK is due.
	 */
	edge = tp->rcv_nxt + ns_tcp_current_window(sk, false);
	if (ns_seq_after(edge, tp->rcv_adv) && edge - tp->rcv_adv >= (1U << tp->rcv_wscale))
		ns_tcp_send_ack(sk);
}

/*
 * Put a TCP header on @skb (payload at skb->data, @seq its first sequence
 * number) and send it to the connection's peer. Consumes @skb. An ACK
 * reports the out-of-order queue in SACK blocks when the peer allows and
 * the segment stays within the MSS.
 */
static int ns_tcp_transmit(struct sock *sk, struct sk_buff *skb, u32 seq,
			   u8 flags)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_net *nsn = ns_net(sock_net(sk));
	bool syn = flags & TCPHDR_SYN;
	struct ns_tcp_opts opts = {};
	unsigned int opt_len = 0;
	unsigned int ts_len = 0;
	struct tcphdr *th;
	u32 wnd;

	if (syn) {
		/* Deterministic per 4-tuple: resent SYNs keep the same clock. */
		tp->ts_offset = ns_tcp_ts_offset(sk->sk_rcv_saddr, htons(sk->sk_num),
						 sk->sk_daddr, sk->sk_dport);
		opts.present = NS_TCP_OPT_HAS_MSS;
		opts.mss = tp->advmss;
		if (tp->rcv_wscale || !tp->passive) {
			opts.present |= NS_TCP_OPT_HAS_WSCALE;
			opts.wscale = tp->passive ? tp->rcv_wscale : NS_TCP_RCV_WSCALE;
		}
		if (tp->sack_ok || !tp->passive)
			opts.present |= NS_TCP_OPT_HAS_SACK_PERM;
	}
	/* Our SYN offers timestamps; then they go on every segment. */
	if (tp->ts_ok || (syn && !tp->passive)) {
		opts.present |= NS_TCP_OPT_HAS_TS;
		opts.tsval = ns_tcp_tsval(tp);
		opts.tsecr = tp->ts_recent;
		ts_len = NS_TCP_TS_ALIGNED_LEN;
	}
	if (syn) {
		opt_len = ns_tcp_options_size(&opts, true);
	} else if (tp->sack_ok && (flags & TCPHDR_ACK) && !ns_tcp_ofo_empty(&tp->ofo)) {
		struct ns_tcp_range r[NS_TCP_OPT_SACK_MAX];
		int i;

		opts.nr_sack = ns_tcp_ofo_sack_blocks(&tp->ofo, tp->rcv_nxt, tp->sack_recent,
						      r, ARRAY_SIZE(r));
		for (i = 0; i < opts.nr_sack; i++) {
			opts.sack[i].start = r[i].start;
			opts.sack[i].end = r[i].end;
		}
		/* A full segment has no room left for them (tp->mss already
		 * leaves room for the timestamps).
		 */
		while (opts.nr_sack &&
		       (skb_is_gso(skb) ? skb_shinfo(skb)->gso_size : skb->len) +
		       ns_tcp_options_size(&opts, false) > tp->mss + ts_len)
			opts.nr_sack--;
		opt_len = ns_tcp_options_size(&opts, false);
	} else {
		opt_len = ns_tcp_options_size(&opts, false);
	}
	th = skb_push(skb, sizeof(*th) + opt_len);
	memset(th, 0, sizeof(*th));
	th->source = htons(sk->sk_num);
	th->dest = sk->sk_dport;
	th->seq = htonl(seq);
	th->doff = (sizeof(*th) + opt_len) / 4;
	tcp_flag_byte(th) = flags;
	if (opt_len)
		ns_tcp_options_write((u8 *)(th + 1), opt_len, &opts, syn);
	if (flags & TCPHDR_ACK) {
		ns_tcp_ack_sent(sk);
		th->ack_seq = htonl(tp->rcv_nxt);
		tp->last_ack_sent = tp->rcv_nxt;
		wnd = ns_tcp_select_window(sk, syn);
		th->window = htons(syn ? min_t(u32, wnd, U16_MAX) : wnd >> tp->rcv_wscale);
	} else if (syn) {
		th->window = htons(min_t(u32, ns_tcp_window_room(sk), U16_MAX));
	}
	skb_reset_transport_header(skb);
	th->check = ~csum_tcpudp_magic(sk->sk_rcv_saddr, sk->sk_daddr, skb->len,
				       IPPROTO_TCP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	ns_stat_add(nsn, NS_STAT_TCP_TX, skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1);
	return ns_ipv4_output(nsn, skb, sk->sk_rcv_saddr, sk->sk_daddr,
			      IPPROTO_TCP, true);
}

/* Time the round trip of what ends at @end_seq, unless one is timed. */
static void ns_tcp_rtt_start(struct ns_tcp_sock *tp, u32 end_seq)
{
	if (tp->rtt_timing)
		return;
	tp->rtt_timing = true;
	tp->rtt_seq = end_seq;
	tp->rtt_start_us = ns_tcp_clock_us();
}

/* An skb with header room and no payload. */
static struct sk_buff *ns_tcp_alloc_control(void)
{
	struct sk_buff *skb = alloc_skb(NS_TCP_MAX_HEADER, GFP_ATOMIC);

	if (skb)
		skb_reserve(skb, NS_TCP_MAX_HEADER);
	return skb;
}

/* A segment with no payload. */
static void ns_tcp_send_control(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = ns_tcp_alloc_control();

	if (skb)
		ns_tcp_transmit(sk, skb, seq, flags);
}

/**
 * ns_tcp_send_syn() - send (or resend) our SYN, or SYN-ACK when passive
 * @sk: the socket, locked, in SYN-SENT or SYN-RECEIVED
 *
 * Return: what the IPv4 layer said.
 */
int ns_tcp_send_syn(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb = ns_tcp_alloc_control();
	u8 flags = TCPHDR_SYN;

	if (!skb)
		return -ENOBUFS;
	if (sk->sk_state == TCP_SYN_RECV)
		flags |= TCPHDR_ACK;
	/* The first SYN is timed; a resent one is not (Karn). */
	if (tp->snd_nxt != tp->iss + 1) {
		tp->snd_nxt = tp->iss + 1;
		ns_tcp_rtt_start(tp, tp->snd_nxt);
	}
	if (!timer_pending(&tp->rtx_timer))
		ns_tcp_arm_rtx(sk);
	return ns_tcp_transmit(sk, skb, tp->iss, flags);
}

/**
 * ns_tcp_send_ack() - send an ACK now
 * @sk: the socket, locked, synchronized
 */
void ns_tcp_send_ack(struct sock *sk)
{
	ns_tcp_send_control(sk, ns_tcp_sk(sk)->snd_nxt, TCPHDR_ACK);
}

/**
 * ns_tcp_send_probe() - a zero-window probe: an old sequence number, so
 *	that the peer answers with an ACK carrying its window
 * @sk: the socket, locked
 */
void ns_tcp_send_probe(struct sock *sk)
{
	ns_tcp_send_control(sk, ns_tcp_sk(sk)->snd_una - 1, TCPHDR_ACK);
}

/**
 * ns_tcp_send_active_reset() - reset the connection (user abort)
 * @sk: the socket, locked
 *
 * <SEQ=SND.NXT><CTL=RST,ACK> (RFC 9293 3.10.4 ABORT; Linux sets ACK too).
 */
void ns_tcp_send_active_reset(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_TX_RST);
	ns_tcp_send_control(sk, tp->snd_nxt, TCPHDR_RST | TCPHDR_ACK);
}

/* Send @len bytes of the queued segment @skb from sequence number @seq. */
static int ns_tcp_send_data(struct sock *sk, struct sk_buff *skb, u32 seq,
			    u32 len)
{
	struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
	u32 off = seq - cb->seq;
	struct sk_buff *copy;
	u8 flags = TCPHDR_ACK;

	if (off || skb_cloned(skb))
		copy = pskb_copy(skb, GFP_ATOMIC);
	else
		copy = skb_clone(skb, GFP_ATOMIC);
	if (!copy)
		return -ENOBUFS;
	if ((off && !pskb_pull(copy, off)) || pskb_trim(copy, len)) {
		kfree_skb(copy);
		return -ENOBUFS;
	}
	if (seq + len == cb->end_seq)
		flags |= TCPHDR_PSH;
	return ns_tcp_transmit(sk, copy, seq, flags);
}

/**
 * ns_tcp_skb_attach() - add @len bytes at @off in @page to @skb's page
 *	fragments, continuing its last one where they follow it
 * @skb: a write-queue segment, or a GSO packet being built from them
 * @page: the page; a reference is taken for a new fragment
 * @off: where the bytes start in @page
 * @len: how many
 *
 * Return: false when @skb has no fragment left for them (nothing added).
 */
bool ns_tcp_skb_attach(struct sk_buff *skb, struct page *page,
		       unsigned int off, unsigned int len)
{
	int i = skb_shinfo(skb)->nr_frags;

	if (skb_can_coalesce(skb, i, page, off)) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], len);
	} else {
		if (i >= MAX_SKB_FRAGS)
			return false;
		skb_fill_page_desc(skb, i, page, off, len);
		get_page(page);
	}
	skb->len += len;
	skb->data_len += len;
	skb->truesize += len;
	return true;
}

/*
 * New data going out as one GSO packet: whole queued segments in a row,
 * all of @size payload but the last, which may be shorter. The packet
 * refers to their page fragments, @nr_frags descriptors once those that
 * continue each other are merged (consecutive segments mostly fill one
 * page fragment end to end).
 */
struct ns_tcp_gso_run {
	struct sk_buff *first;
	u32 seq;
	u32 len;
	u32 size;
	unsigned int nr;
	unsigned int max_nr;	/* 1: the link takes no GSO packets */
	u32 max_len;
	unsigned int nr_frags;
	const skb_frag_t *last_frag;	/* the run's last, to merge with */
};

/* The limits of the path to the peer, for an empty @run. */
static void ns_tcp_gso_run_init(struct sock *sk, struct ns_tcp_gso_run *run)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	unsigned int max_segs = 0;
	unsigned int size;

	size = ns_ipv4_gso_max_size(ns_net(sock_net(sk)), sk->sk_daddr, &max_segs);
	if (size <= NS_TCP_MAX_HEADER + tp->mss)
		return;
	run->max_len = size - NS_TCP_MAX_HEADER;
	run->max_nr = clamp_t(unsigned int, max_segs, 1, run->max_len / tp->mss);
}

/* Whether @next continues @prev in the same page. */
static bool ns_tcp_frag_continues(const skb_frag_t *prev, const skb_frag_t *next)
{
	return skb_frag_page(prev) == skb_frag_page(next) &&
	       skb_frag_off(prev) + skb_frag_size(prev) == skb_frag_off(next);
}

/* The descriptors @skb's fragments add to @run. */
static unsigned int ns_tcp_gso_run_new_frags(const struct ns_tcp_gso_run *run,
					     const struct sk_buff *skb)
{
	unsigned int nr = skb_shinfo(skb)->nr_frags;

	if (nr && run->last_frag &&
	    ns_tcp_frag_continues(run->last_frag, &skb_shinfo(skb)->frags[0]))
		nr--;
	return nr;
}

/* Whether @len bytes from @seq of the queued @skb can join @run. */
static bool ns_tcp_gso_run_fits(const struct ns_tcp_gso_run *run,
				const struct sk_buff *skb, u32 seq, u32 len)
{
	if (run->max_nr < 2 || seq != NS_TCP_SKB_CB(skb)->seq || len != skb->len ||
	    skb_headlen(skb))
		return false;	/* no GSO, a part of a segment, or not in pages */
	if (run->nr_frags + ns_tcp_gso_run_new_frags(run, skb) > MAX_SKB_FRAGS)
		return false;
	if (!run->nr)
		return true;
	return run->nr < run->max_nr && run->len + len <= run->max_len &&
	       run->len == run->nr * run->size && len <= run->size;
}

/* Add the queued @skb, whole (ns_tcp_gso_run_fits()), to @run. */
static void ns_tcp_gso_run_add(struct ns_tcp_gso_run *run, struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);

	if (!run->nr++) {
		run->first = skb;
		run->seq = NS_TCP_SKB_CB(skb)->seq;
		run->size = skb->len;
	}
	run->len += skb->len;
	run->nr_frags += ns_tcp_gso_run_new_frags(run, skb);
	if (shinfo->nr_frags)
		run->last_frag = &shinfo->frags[shinfo->nr_frags - 1];
}

/* Empty @run. */
static void ns_tcp_gso_run_reset(struct ns_tcp_gso_run *run)
{
	run->nr = 0;
	run->len = 0;
	run->nr_frags = 0;
	run->last_frag = NULL;
}

/*
 * Send @run: one segment as it is; more as one GSO packet, a header skb
 * whose page fragments are the queued segments' (a reference each, as a
 * clone would hold; the link, or the core for a link that needs it,
 * splits it). One skb per packet, as Linux's TCP sends: a receiver frees
 * one, not one per segment, and can merge its fragments into its queue.
 */
static int ns_tcp_gso_run_send(struct sock *sk, struct ns_tcp_gso_run *run)
{
	struct sk_buff *head, *skb = run->first;
	struct skb_shared_info *hinfo;
	unsigned int i, f;

	if (run->nr == 1)
		return ns_tcp_send_data(sk, skb, run->seq, run->len);
	head = ns_tcp_alloc_control();
	if (!head)
		return -ENOBUFS;
	hinfo = skb_shinfo(head);
	for (i = 0; i < run->nr; i++) {
		const struct skb_shared_info *sinfo;

		if (i)
			skb = skb_queue_next(&sk->sk_write_queue, skb);
		sinfo = skb_shinfo(skb);
		for (f = 0; f < sinfo->nr_frags; f++) {
			const skb_frag_t *frag = &sinfo->frags[f];

			/* ns_tcp_gso_run_fits() kept the count in bounds. */
			if (!ns_tcp_skb_attach(head, skb_frag_page(frag), skb_frag_off(frag),
					       skb_frag_size(frag))) {
				kfree_skb(head);
				return -ENOBUFS;
			}
		}
	}
	hinfo->gso_size = run->size;
	hinfo->gso_type = SKB_GSO_TCPV4;
	hinfo->gso_segs = run->nr;
	return ns_tcp_transmit(sk, head, run->seq, TCPHDR_ACK | TCPHDR_PSH);
}

/*
 * The first queued segment not yet sent in full, or NULL: from the hint
 * forward (snd_nxt only grows, so the hint is never past it), which keeps
 * a push O(1) however much is queued unsent.
 */
static struct sk_buff *ns_tcp_send_head(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb = tp->send_head;

	while (skb && ns_seq_before_eq(NS_TCP_SKB_CB(skb)->end_seq, tp->snd_nxt))
		skb = skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL :
		      skb_queue_next(&sk->sk_write_queue, skb);
	tp->send_head = skb;
	return skb;
}

static bool ns_tcp_can_send(const struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/*
 * Resend, lowest first, the segments marked lost and not resent yet, as
 * far as @room (bytes the congestion window allows) goes.
 */
static void ns_tcp_retransmit_lost(struct sock *sk, u32 *room)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb;
	u32 len;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);

		if (!ns_seq_before(cb->seq, tp->snd_nxt))
			break;
		if (!ns_tcp_sack_to_resend(cb->tx_flags))
			continue;
		len = ns_seq_min(cb->end_seq, tp->snd_nxt) - ns_seq_max(cb->seq, tp->snd_una);
		if (len > *room) {
			tp->cwnd_limited = true;
			break;
		}
		if (ns_tcp_retransmit_skb(sk, skb))
			break;
		*room -= len;
	}
}

/*
 * Send the gathered @run and empty it. What it held counts as sent
 * already (snd_nxt is past it); when it cannot go, snd_nxt comes back to
 * its start, as if the loop had stopped there.
 */
static int ns_tcp_push_run(struct sock *sk, struct ns_tcp_gso_run *run)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	int err = ns_tcp_gso_run_send(sk, run);

	if (err) {
		tp->snd_nxt = run->seq;
		if (tp->rtt_timing && ns_seq_after(tp->rtt_seq, tp->snd_nxt))
			tp->rtt_timing = false;
	}
	ns_tcp_gso_run_reset(run);
	return err;
}

/**
 * ns_tcp_push() - send what the windows allow: lost segments in
 *	recovery, then new data, then the FIN if it is due, then an ACK if
 *	one is owed and nothing carried it
 * @sk: the socket, locked
 *
 * New data goes out while both the peer's window and the congestion
 * window (ns_tcp_cwnd_room()) have room for it.
 */
void ns_tcp_push(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_tcp_gso_run run = { .max_nr = 1 };
	u32 usable, len, seq, room;
	bool fits;
	struct sk_buff *skb;

	if (!ns_tcp_can_send(sk))
		goto ack;
	room = ns_tcp_cwnd_room(sk);
	if (tp->ca_state != NS_TCP_CA_OPEN)
		ns_tcp_retransmit_lost(sk, &room);
	skb = ns_tcp_send_head(sk);
	if (skb)	/* (a route lookup: not for a push with nothing new) */
		ns_tcp_gso_run_init(sk, &run);
	for (; skb;
	     skb = skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL :
		   skb_queue_next(&sk->sk_write_queue, skb)) {
		seq = ns_seq_max(tp->snd_nxt, NS_TCP_SKB_CB(skb)->seq);
		len = NS_TCP_SKB_CB(skb)->end_seq - seq;
		usable = ns_tcp_send_window(tp->snd_una, tp->snd_nxt, tp->snd_wnd);
		if (usable < len) {
			/* Part of a segment only when nothing else is out. */
			if (!usable || tp->snd_una != tp->snd_nxt) {
				if (tp->snd_una == tp->snd_nxt && !tp->persist) {
					ns_tcp_arm_rtx(sk);
					tp->persist = true;
					tp->retries = 0;
				}
				break;
			}
			len = usable;
		}
		if (len > room) {
			tp->cwnd_limited = true;
			break;
		}
		if (!ns_tcp_nagle_allows(sk, len, skb_queue_is_last(&sk->sk_write_queue, skb)))
			break;
		/* Gathered into a run as long as they fit, sent when one does not. */
		fits = ns_tcp_gso_run_fits(&run, skb, seq, len);
		if (run.nr && !fits) {
			if (ns_tcp_push_run(sk, &run))
				break;
			fits = ns_tcp_gso_run_fits(&run, skb, seq, len);
		}
		if (fits)
			ns_tcp_gso_run_add(&run, skb);
		else if (ns_tcp_send_data(sk, skb, seq, len))
			break;
		room -= len;
		tp->lsndtime = jiffies;
		ns_tcp_rtt_start(tp, seq + len);
		tp->snd_nxt = seq + len;
		if (!timer_pending(&tp->rtx_timer) || tp->persist)
			ns_tcp_arm_rtx(sk);
		if (tp->snd_nxt != NS_TCP_SKB_CB(skb)->end_seq)
			break;		/* a part only: the window is full */
	}
	if (run.nr)
		ns_tcp_push_run(sk, &run);
	if (!skb)
		tp->cwnd_limited = false;	/* all sent: the application limits */
	/* All data sent (snd_nxt reached write_seq): the FIN's turn. */
	if (tp->fin_queued && tp->snd_nxt == tp->write_seq) {
		ns_tcp_send_control(sk, tp->snd_nxt, TCPHDR_FIN | TCPHDR_ACK);
		tp->snd_nxt++;
		if (!timer_pending(&tp->rtx_timer) || tp->persist)
			ns_tcp_arm_rtx(sk);
	}
ack:
	if (tp->ack_pending && sk->sk_state != TCP_CLOSE &&
	    sk->sk_state != TCP_LISTEN && sk->sk_state != TCP_SYN_SENT) {
		tp->ack_pending = false;
		ns_tcp_send_ack(sk);
	}
}

/**
 * ns_tcp_retransmit_skb() - resend what of a queued segment is sent and
 *	not acknowledged, and mark it retransmitted
 * @sk: the socket, locked, synchronized
 * @skb: the segment, in the write queue, partly or wholly outstanding
 *
 * A retransmission ends the round trip being timed (Karn).
 *
 * Return: 0, or what the sending said.
 */
int ns_tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
	u32 seq = ns_seq_max(cb->seq, tp->snd_una);
	u32 end = ns_seq_min(cb->end_seq, tp->snd_nxt);
	int err;

	err = ns_tcp_send_data(sk, skb, seq, end - seq);
	if (err)
		return err;
	cb->tx_flags |= NS_TCP_TX_RETRANS;
	ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_RETRANSMITS);
	tp->total_retrans++;
	tp->rtt_timing = false;
	tp->lsndtime = jiffies;
	if (!timer_pending(&tp->rtx_timer))
		ns_tcp_arm_rtx(sk);
	return 0;
}

/**
 * ns_tcp_retransmit_head() - resend the oldest unacknowledged segment (it
 *	is lost: fast retransmit, partial ACK, timeout), or the FIN
 * @sk: the socket, locked, synchronized, with data or FIN outstanding
 *
 * The congestion window does not hold it back.
 */
void ns_tcp_retransmit_head(struct sock *sk)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (skb && ns_seq_before(tp->snd_una, NS_TCP_SKB_CB(skb)->end_seq) &&
	    ns_seq_before(NS_TCP_SKB_CB(skb)->seq, tp->snd_nxt)) {
		NS_TCP_SKB_CB(skb)->tx_flags |= NS_TCP_TX_LOST;
		ns_tcp_retransmit_skb(sk, skb);
	} else if (tp->fin_queued && tp->snd_nxt == tp->write_seq + 1) {
		ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_RETRANSMITS);
		tp->total_retrans++;
		ns_tcp_send_control(sk, tp->write_seq, TCPHDR_FIN | TCPHDR_ACK);
	}
}

/**
 * ns_tcp_write_queue_purge() - free all queued output
 * @sk: the socket, locked
 */
void ns_tcp_write_queue_purge(struct sock *sk)
{
	struct sk_buff *skb;

	ns_tcp_sk(sk)->send_head = NULL;
	while ((skb = __skb_dequeue(&sk->sk_write_queue))) {
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
}

/**
 * ns_tcp_send_reset() - answer a segment with a reset (RFC 9293 3.10.7.1)
 * @nsn: the instance
 * @skb_in: the segment, TCP header at its transport header; not consumed.
 *	It must not be a reset itself.
 *
 * The reset goes back from the segment's destination to its source, ports
 * swapped: <SEQ=SEG.ACK><CTL=RST> if the segment has an ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SEG.LEN counting SYN and FIN.
 *
 * Context: BHs off, or process context.
 */
void ns_tcp_send_reset(struct ns_net *nsn, const struct sk_buff *skb_in)
{
	const struct tcphdr *in = tcp_hdr(skb_in);
	const struct iphdr *iph = ip_hdr(skb_in);
	unsigned int in_len = skb_in->len - (skb_transport_header(skb_in) - skb_in->data);
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + sizeof(*th), GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER + sizeof(struct iphdr));
	th = skb_put_zero(skb, sizeof(*th));
	th->source = in->dest;
	th->dest = in->source;
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	if (in->ack) {
		th->seq = in->ack_seq;
	} else {
		th->ack = 1;
		th->ack_seq = htonl(ntohl(in->seq) + in_len - in->doff * 4 +
				    in->syn + in->fin);
	}
	th->check = csum_tcpudp_magic(iph->daddr, iph->saddr, sizeof(*th),
				      IPPROTO_TCP, csum_partial(th, sizeof(*th), 0));
	ns_stat_inc(nsn, NS_STAT_TCP_TX_RST);
	ns_ipv4_output(nsn, skb, iph->daddr, iph->saddr, IPPROTO_TCP, true);
}

/**
 * ns_tcp_send_synack_stateless() - answer a SYN with a SYN-ACK that no
 *	connection keeps (a SYN cookie's, RFC 4987)
 * @nsn: the instance
 * @syn: the SYN, TCP header at its transport header; not consumed
 * @iss: our initial sequence number (the cookie)
 * @opts: the options to send (MSS, and SACK-permitted, timestamps and
 *	window scale as the SYN asked)
 * @window: the window to announce (a SYN's is never scaled)
 *
 * Context: process context or BHs off.
 */
void ns_tcp_send_synack_stateless(struct ns_net *nsn, const struct sk_buff *syn,
				  u32 iss, const struct ns_tcp_opts *opts,
				  u16 window)
{
	const struct tcphdr *in = tcp_hdr(syn);
	const struct iphdr *iph = ip_hdr(syn);
	unsigned int opt_len = ns_tcp_options_size(opts, true);
	unsigned int len = sizeof(struct tcphdr) + opt_len;
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = ns_tcp_alloc_control();
	if (!skb)
		return;
	th = skb_push(skb, len);
	memset(th, 0, sizeof(*th));
	th->source = in->dest;
	th->dest = in->source;
	th->seq = htonl(iss);
	th->ack_seq = htonl(ntohl(in->seq) + 1);
	th->doff = len / 4;
	tcp_flag_byte(th) = TCPHDR_SYN | TCPHDR_ACK;
	th->window = htons(window);
	ns_tcp_options_write((u8 *)(th + 1), opt_len, opts, true);
	skb_reset_transport_header(skb);
	th->check = csum_tcpudp_magic(iph->daddr, iph->saddr, len, IPPROTO_TCP,
				      csum_partial(th, len, 0));
	ns_stat_inc(nsn, NS_STAT_TCP_TX);
	ns_ipv4_output(nsn, skb, iph->daddr, iph->saddr, IPPROTO_TCP, true);
}
