// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_input.c - TCP (RFC 9293) input.
 *
 * In softirq (ns_tcp_rcv()): the header checks every segment passes
 * (length, data offset, checksum, unicast destination), then the demux -
 * the connection with the exact 4-tuple, else a listener on the local
 * address, else a listener on any address - and the segment joins that
 * socket's bounded in_queue for its work item. A segment nobody takes is
 * answered with a reset as RFC 9293 3.10.7.1 says for CLOSED.
 *
 * In the connection's work (ns_tcp_process()): the event processing of
 * RFC 9293 3.10.7, state by state: LISTEN creates a child connection in
 * SYN-RECEIVED for each acceptable SYN; SYN-SENT completes the active
 * open; the synchronized states check sequence acceptability, resets
 * (RFC 5961 3.2: only an exact one acts, others earn a challenge ACK),
 * SYNs (challenge ACK), the ACK (what it acknowledges, the send window),
 * then the text and the FIN: the next segment goes straight to the
 * receive queue (its data added to the last skb there where it fits),
 * any other through the out-of-order queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "checksum.h"
#include "seq.h"
#include "tcp.h"
#include "tcp_delack.h"
#include "tcp_isn.h"
#include "tcp_options.h"
#include "tcp_rcvbuf.h"
#include "tcp_syncookie.h"
#include "tcp_window.h"

/* Segments waiting for one connection's work; beyond, they are dropped. */
#define NS_TCP_IN_QUEUE_MAX 2048

/* The smallest MSS we accept from a peer (Linux's TCP_MIN_SND_MSS). */
#define NS_TCP_MIN_SND_MSS 48

/**
 * ns_tcp_rcv() - handle a received TCP segment
 * @nsn: the instance
 * @skb: the segment, TCP header at skb->data, network and transport
 *	headers set; consumed
 *
 * Context: BHs off, RCU read lock held.
 */
void ns_tcp_rcv(struct ns_net *nsn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct ns_tcp_sock *tp;
	unsigned int hlen;
	struct sock *sk;

	ns_stat_inc(nsn, NS_STAT_TCP_RX);
	if (!pskb_may_pull(skb, sizeof(*th)))
		goto malformed;
	th = tcp_hdr(skb);
	hlen = th->doff * 4;
	if (hlen < sizeof(*th) || hlen > skb->len || !pskb_may_pull(skb, hlen))
		goto malformed;
	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	if (!ns_csum_l4_ok(skb, 0, skb->len, iph->saddr, iph->daddr, IPPROTO_TCP)) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_CHECKSUM);
		goto drop;
	}
	if (skb->pkt_type != PACKET_HOST) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_NOT_UNICAST);
		goto drop;
	}
	sk = ns_conn_lookup(&nsn->tcp_conns, &nsn->tcp_ports, iph->saddr,
			    th->source, iph->daddr, th->dest);
	if (!sk) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_NO_SOCKET);
		if (!th->rst)
			ns_tcp_send_reset(nsn, skb);
		consume_skb(skb);
		return;
	}
	tp = ns_tcp_sk(sk);
	if (skb_queue_len(&tp->in_queue) >= NS_TCP_IN_QUEUE_MAX) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_QUEUE_FULL);
		kfree_skb(skb);
	} else {
		skb->dev = NULL;	/* not held: the link may go meanwhile */
		skb_queue_tail(&tp->in_queue, skb);
		ns_tcp_kick(sk);
	}
	sock_put(sk);
	return;

malformed:
	ns_stat_inc(nsn, NS_STAT_TCP_RX_DROP_MALFORMED);
drop:
	kfree_skb(skb);
}

/* Options of any segment; problems are counted. */
static void ns_tcp_parse_options(struct ns_net *nsn, const struct tcphdr *th,
				 struct ns_tcp_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	ns_tcp_options_parse((const u8 *)(th + 1), th->doff * 4 - sizeof(*th),
			     th->syn, opts);
	if (opts->nr_problems)
		ns_stat_inc(nsn, NS_STAT_TCP_RX_BAD_OPTIONS);
}

/* The peer's TSval @tsval becomes TS.Recent. */
static void ns_tcp_ts_recent_set(struct ns_tcp_sock *tp, u32 tsval)
{
	tp->ts_recent = tsval;
	tp->ts_recent_stamp = (u32)ktime_get_seconds();
}

/*
 * What a SYN's options say for the connection: MSS, window scaling, SACK,
 * timestamps (our SYN always offers them, our SYN-ACK when the peer's
 * SYN did, so the peer's SYN decides).
 */
static void ns_tcp_apply_syn_options(struct ns_tcp_sock *tp,
				     const struct ns_tcp_opts *opts)
{
	u16 peer_mss = NS_TCP_DEFAULT_MSS;

	if (opts->present & NS_TCP_OPT_HAS_MSS)
		peer_mss = max_t(u16, opts->mss, NS_TCP_MIN_SND_MSS);
	tp->mss = min(peer_mss, tp->advmss);
	if (opts->present & NS_TCP_OPT_HAS_WSCALE) {
		tp->snd_wscale = opts->wscale;
		tp->rcv_wscale = NS_TCP_RCV_WSCALE;
	} else {
		tp->snd_wscale = 0;
		tp->rcv_wscale = 0;
	}
	tp->sack_ok = opts->present & NS_TCP_OPT_HAS_SACK_PERM;
	tp->ts_ok = opts->present & NS_TCP_OPT_HAS_TS;
	if (tp->ts_ok) {
		ns_tcp_ts_recent_set(tp, opts->tsval);
		/* Every segment carries them: less room for data. */
		tp->mss = max_t(int, tp->mss - NS_TCP_TS_ALIGNED_LEN,
				NS_TCP_MIN_SND_MSS);
	}
}

/*
 * A round-trip sample for an ACK of new data: the segment timed, if this
 * ACK covers it; else, with timestamps, the TSecr the ACK echoes - valid
 * even for retransmitted data (RFC 7323 4.1), where Karn forbids timing.
 */
static void ns_tcp_rtt_sample(struct ns_tcp_sock *tp, u32 ack)
{
	s64 ts_rtt_us;
	u64 now;

	if (!tp->rtt_timing || ns_seq_before(ack, tp->rtt_seq)) {
		if (tp->rtt_timing || !tp->ts_ok)
			return;
		ts_rtt_us = ns_tcp_ts_rtt_us(ns_tcp_tsval(tp), tp->rcv_tsecr);
		if (ts_rtt_us > 0)
			ns_tcp_rto_sample(&tp->rto, ts_rtt_us);
		return;
	}
	tp->rtt_timing = false;
	now = ns_tcp_clock_us();
	ns_tcp_rto_sample(&tp->rto, max_t(u64, now - tp->rtt_start_us, 1));
}

/* The peer's SYN, sequence number @seq, starts our receive side. */
static void ns_tcp_rcv_init(struct ns_tcp_sock *tp, u32 seq)
{
	tp->irs = seq;
	tp->rcv_nxt = seq + 1;
	tp->rcv_adv = tp->rcv_nxt;
	tp->copied_seq = tp->rcv_nxt;
	ns_tcp_rcvbuf_start(&tp->ns.sk);
}

/* Our SYN is acknowledged (by SEG.ACK @ack of SEG.SEQ @seq, window @wnd). */
static void ns_tcp_syn_acked(struct sock *sk, u32 seq, u32 ack, u32 wnd)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	tp->snd_una = ack;
	tp->snd_wnd = wnd;
	tp->snd_wl1 = seq;
	tp->snd_wl2 = ack;
	ns_tcp_rtt_sample(tp, ack);
	tp->retries = 0;
	tp->ca_state = NS_TCP_CA_OPEN;
	tp->recover = ack;
	ns_tcp_stop_rtx(sk);
}

/*
 * A new child in SYN-RECEIVED of listener @lsk, in its SYN queue, for the
 * segment @skb (a SYN, or the ACK of a cookie): the peer's ISN @irs, ours
 * @iss, the peer's SYN options @opts. Not hashed yet: the caller sends
 * the SYN-ACK or takes the ACK, then hands the child to its work.
 */
static struct sock *ns_tcp_child_create(struct sock *lsk, struct sk_buff *skb,
					u32 irs, u32 iss,
					const struct ns_tcp_opts *opts)
{
	struct ns_net *nsn = ns_net(sock_net(lsk));
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_sock *ltp = ns_tcp_sk(lsk), *tp;
	struct sock *child;

	child = sk_alloc(sock_net(lsk), lsk->sk_family, GFP_KERNEL, lsk->sk_prot, 0);
	if (!child) {
		ns_stat_inc(nsn, NS_STAT_TCP_LISTEN_DROPS);
		return NULL;
	}
	sock_init_data(NULL, child);
	ns_sock_setup(child, IPPROTO_TCP);
	child->sk_prot->init(child);
	tp = ns_tcp_sk(child);

	child->sk_uid = lsk->sk_uid;
	child->sk_mark = lsk->sk_mark;
	child->sk_priority = lsk->sk_priority;
	child->sk_reuse = lsk->sk_reuse;
	child->sk_rcvbuf = lsk->sk_rcvbuf;
	child->sk_sndbuf = lsk->sk_sndbuf;
	child->sk_userlocks = lsk->sk_userlocks & (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
	child->sk_rcvtimeo = lsk->sk_rcvtimeo;
	child->sk_sndtimeo = lsk->sk_sndtimeo;
	child->sk_rcvlowat = lsk->sk_rcvlowat;
	child->sk_lingertime = lsk->sk_lingertime;
	if (sock_flag(lsk, SOCK_KEEPOPEN))
		sock_set_flag(child, SOCK_KEEPOPEN);
	if (sock_flag(lsk, SOCK_LINGER))
		sock_set_flag(child, SOCK_LINGER);
	tp->nodelay = ltp->nodelay;
	ns_tcp_cong_set(child, ltp->cc.ops);
	tp->cork = ltp->cork;
	tp->keepidle = ltp->keepidle;
	tp->keepintvl = ltp->keepintvl;
	tp->keepcnt = ltp->keepcnt;
	tp->user_timeout = ltp->user_timeout;
	tp->user_mss = ltp->user_mss;
	tp->ofo.limit = child->sk_rcvbuf;

	child->sk_rcv_saddr = iph->daddr;
	tp->ns.saddr = iph->daddr;
	child->sk_daddr = iph->saddr;
	child->sk_dport = th->source;
	if (ns_port_inherit(&nsn->tcp_ports, child, lsk)) {
		sock_put(child);
		return NULL;
	}

	tp->passive = true;
	ns_tcp_rcv_init(tp, irs);
	tp->iss = iss;
	tp->snd_una = tp->iss;
	tp->snd_nxt = tp->iss;
	tp->write_seq = tp->iss + 1;
	tp->snd_wnd = ntohs(th->window);
	tp->snd_wl1 = tp->irs;
	tp->snd_wl2 = tp->iss;
	tp->advmss = ns_tcp_mss_for(nsn, iph->saddr);
	if (tp->user_mss && tp->user_mss < tp->advmss)
		tp->advmss = tp->user_mss;
	ns_tcp_apply_syn_options(tp, opts);
	ns_tcp_set_state(child, NS_TCP_SYN_RECEIVED);

	/* The child's first reference is the queue's, until accept(). */
	sock_hold(lsk);
	tp->listener = lsk;
	spin_lock_bh(&ltp->accept_lock);
	list_add_tail(&tp->child_node, &ltp->syn_queue);
	ltp->syn_count++;
	spin_unlock_bh(&ltp->accept_lock);

	ns_stat_inc(nsn, NS_STAT_TCP_PASSIVE_OPENS);
	return child;
}

/*
 * Hand a new child to its work; from here on the listener touches it no
 * more. False if it could not be hashed (and is gone).
 */
static bool ns_tcp_child_start(struct sock *child)
{
	if (ns_tcp_hash(child))
		return true;
	lock_sock_nested(child, SINGLE_DEPTH_NESTING);
	ns_tcp_done(child);
	release_sock(child);
	return false;
}

/* A SYN the listener keeps state for: a child answers with a SYN-ACK. */
static void ns_tcp_child_syn(struct sock *lsk, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_opts opts;
	struct sock *child;

	ns_tcp_parse_options(ns_net(sock_net(lsk)), th, &opts);
	child = ns_tcp_child_create(lsk, skb, ntohl(th->seq),
				    ns_tcp_isn(iph->daddr, th->dest, iph->saddr, th->source),
				    &opts);
	if (!child)
		return;
	ns_tcp_send_syn(child);
	ns_tcp_child_start(child);
}

/* The window a cookie SYN-ACK announces, and its child assumes it did. */
static u16 ns_tcp_cookie_window(const struct sock *lsk)
{
	return min_t(u32, ns_tcp_window_room(lsk), U16_MAX);
}

static void ns_tcp_cookie_tuple(const struct sk_buff *skb,
				struct ns_tcp_cookie_tuple *t)
{
	t->laddr = ip_hdr(skb)->daddr;
	t->raddr = ip_hdr(skb)->saddr;
	t->lport = tcp_hdr(skb)->dest;
	t->rport = tcp_hdr(skb)->source;
}

/* Answer a SYN with a cookie SYN-ACK, keeping nothing (RFC 4987). */
static void ns_tcp_cookie_syn(struct sock *lsk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(lsk));
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_cookie_tuple t;
	struct ns_tcp_opts peer, out = {};
	u16 peer_mss = NS_TCP_DEFAULT_MSS;
	unsigned int index;
	u32 cookie;

	ns_tcp_parse_options(nsn, th, &peer);
	if (peer.present & NS_TCP_OPT_HAS_MSS)
		peer_mss = peer.mss;
	index = ns_tcp_cookie_mss_index(peer_mss);
	ns_tcp_cookie_tuple(skb, &t);
	cookie = ns_tcp_cookie_make(&t, ntohl(th->seq), ns_tcp_cookie_counter(), index);

	out.present = NS_TCP_OPT_HAS_MSS;
	out.mss = ns_tcp_mss_for(nsn, t.raddr);
	/* Without timestamps, nothing carries window scaling and SACK. */
	if (peer.present & NS_TCP_OPT_HAS_TS) {
		out.present |= NS_TCP_OPT_HAS_TS;
		out.tsecr = peer.tsval;
		out.tsval = ns_tcp_cookie_ts_make(ns_tcp_ts_clock_ms() +
						  ns_tcp_ts_offset(t.laddr, t.lport,
								   t.raddr, t.rport),
						  peer.present & NS_TCP_OPT_HAS_WSCALE ?
						  peer.wscale : NS_TCP_COOKIE_NO_WSCALE,
						  peer.present & NS_TCP_OPT_HAS_SACK_PERM);
		if (peer.present & NS_TCP_OPT_HAS_WSCALE) {
			out.present |= NS_TCP_OPT_HAS_WSCALE;
			out.wscale = NS_TCP_RCV_WSCALE;
		}
		if (peer.present & NS_TCP_OPT_HAS_SACK_PERM)
			out.present |= NS_TCP_OPT_HAS_SACK_PERM;
	}
	ns_stat_inc(nsn, NS_STAT_TCP_SYNCOOKIES_SENT);
	ns_tcp_send_synack_stateless(nsn, skb, cookie, &out,
				     ns_tcp_cookie_window(lsk));
}

/*
 * An ACK reaching listener @lsk with no connection: if it brings back a
 * good cookie, the child is made from it, in SYN-RECEIVED as if it had
 * sent that SYN-ACK, and the ACK goes to it (which establishes it and
 * moves it to the accept queue). False if the cookie is not good; the
 * ACK is then the caller's.
 */
static bool ns_tcp_cookie_ack(struct sock *lsk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(lsk));
	const struct tcphdr *th = tcp_hdr(skb);
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	struct ns_tcp_cookie_tuple t;
	struct ns_tcp_opts opts, syn = {};
	struct ns_tcp_sock *tp;
	struct sock *child;
	int index;

	if (th->syn || th->rst)
		return false;
	ns_tcp_cookie_tuple(skb, &t);
	index = ns_tcp_cookie_check(&t, seq - 1, ack - 1, ns_tcp_cookie_counter());
	if (index < 0)
		goto bad;
	syn.present = NS_TCP_OPT_HAS_MSS;
	syn.mss = ns_tcp_cookie_mss(index);
	ns_tcp_parse_options(nsn, th, &opts);
	if (opts.present & NS_TCP_OPT_HAS_TS) {
		bool sack;
		u8 wscale;

		if (!ns_tcp_cookie_ts_check(opts.tsecr,
					    ns_tcp_ts_clock_ms() +
					    ns_tcp_ts_offset(t.laddr, t.lport, t.raddr, t.rport),
					    &wscale, &sack))
			goto bad;
		syn.present |= NS_TCP_OPT_HAS_TS;
		syn.tsval = opts.tsval;
		if (wscale != NS_TCP_COOKIE_NO_WSCALE) {
			syn.present |= NS_TCP_OPT_HAS_WSCALE;
			syn.wscale = wscale;
		}
		if (sack)
			syn.present |= NS_TCP_OPT_HAS_SACK_PERM;
	}
	if (sk_acceptq_is_full(lsk)) {
		ns_stat_inc(nsn, NS_STAT_TCP_LISTEN_DROPS);
		consume_skb(skb);
		return true;
	}
	child = ns_tcp_child_create(lsk, skb, seq - 1, ack - 1, &syn);
	if (!child) {
		consume_skb(skb);
		return true;
	}
	ns_stat_inc(nsn, NS_STAT_TCP_SYNCOOKIES_ACCEPTED);
	/* What the stateless SYN-ACK did: */
	tp = ns_tcp_sk(child);
	tp->ts_offset = ns_tcp_ts_offset(t.laddr, t.lport, t.raddr, t.rport);
	tp->snd_nxt = tp->iss + 1;
	tp->last_ack_sent = tp->rcv_nxt;
	tp->rcv_adv = tp->rcv_nxt + ns_tcp_cookie_window(lsk);
	/* Should the ACK not establish it, the SYN-ACK is resent. */
	ns_tcp_arm_rtx(child);
	if (!ns_tcp_child_start(child)) {
		consume_skb(skb);
		return true;
	}
	skb_queue_tail(&tp->in_queue, skb);
	ns_tcp_kick(child);
	return true;

bad:
	ns_stat_inc(nsn, NS_STAT_TCP_SYNCOOKIES_REJECTED);
	return false;
}

/* LISTEN (3.10.7.2): SYNs make children; anything else is refused. */
static void ns_tcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	bool syn_queue_full;
	struct sock *child;
	int cookies;

	/* A segment that raced its connection's creation goes there now. */
	child = ns_conn_find(&nsn->tcp_conns, iph->daddr, ntohs(th->dest),
			     iph->saddr, th->source);
	if (child) {
		skb_queue_tail(&ns_tcp_sk(child)->in_queue, skb);
		ns_tcp_kick(child);
		sock_put(child);
		return;
	}
	if (th->rst)
		goto drop;
	cookies = READ_ONCE(nsn->tcp.syncookies);
	if (th->ack) {
		if (cookies && ns_tcp_cookie_ack(sk, skb))
			return;
		ns_tcp_send_reset(nsn, skb);
		goto drop;
	}
	if (!th->syn)
		goto drop;
	if (sk_acceptq_is_full(sk)) {
		ns_stat_inc(nsn, NS_STAT_TCP_LISTEN_DROPS);
		goto drop;
	}
	syn_queue_full = tp->syn_count >= max_t(u32, READ_ONCE(sk->sk_max_ack_backlog), 1);
	if (cookies == 2 || (cookies == 1 && syn_queue_full)) {
		ns_tcp_cookie_syn(sk, skb);
		goto drop;
	}
	if (syn_queue_full) {
		ns_stat_inc(nsn, NS_STAT_TCP_LISTEN_DROPS);
		goto drop;
	}
	ns_tcp_child_syn(sk, skb);
drop:
	consume_skb(skb);
}

/* SYN-SENT (3.10.7.3). */
static void ns_tcp_syn_sent_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	struct ns_tcp_opts opts;

	if (th->ack && ns_tcp_ack_classify(tp->snd_una, tp->snd_nxt, ack) != NS_TCP_ACK_NEW) {
		if (!th->rst)
			ns_tcp_send_reset(nsn, skb);
		goto drop;
	}
	if (th->rst) {
		if (th->ack)
			ns_tcp_event(sk, NS_TCP_EV_RST);
		goto drop;
	}
	if (!th->syn)
		goto drop;

	ns_tcp_rcv_init(tp, seq);
	ns_tcp_parse_options(nsn, th, &opts);
	ns_tcp_apply_syn_options(tp, &opts);
	tp->rcv_tsecr = tp->ts_ok ? opts.tsecr : 0;
	if (th->ack) {
		/* A SYN's window is never scaled (RFC 7323 2.2). */
		ns_tcp_syn_acked(sk, seq, ack, ntohs(th->window));
		ns_tcp_event(sk, NS_TCP_EV_SYN_ACK);
	} else {
		/* Simultaneous open: SYN-ACK from SYN-RECEIVED. */
		tp->snd_wnd = ntohs(th->window);
		tp->snd_wl1 = seq;
		tp->snd_wl2 = tp->snd_una;
		ns_tcp_event(sk, NS_TCP_EV_SYN);
		ns_tcp_send_syn(sk);
	}
drop:
	consume_skb(skb);
}

/*
 * A new cumulative ACK: the acknowledged data leaves the write queue.
 * Return: the segments that left.
 */
static u32 ns_tcp_ack_new(struct sock *sk, u32 ack)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb;
	u32 freed = 0;

	tp->snd_una = ack;
	while ((skb = skb_peek(&sk->sk_write_queue)) &&
	       ns_seq_before_eq(NS_TCP_SKB_CB(skb)->end_seq, ack)) {
		if (tp->send_head == skb)	/* sent in full: not the head */
			tp->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
					NULL : skb->next;
		__skb_unlink(skb, &sk->sk_write_queue);
		sk_wmem_queued_add(sk, -skb->truesize);
		consume_skb(skb);
		freed++;
	}
	ns_tcp_rtt_sample(tp, ack);
	tp->retries = 0;
	tp->dupacks = 0;
	if (tp->snd_una == tp->snd_nxt)
		ns_tcp_stop_rtx(sk);
	else
		ns_tcp_arm_rtx(sk);
	if (freed)
		sk->sk_write_space(sk);
	return freed;
}

/* Whether our FIN went out and everything up to it is acknowledged. */
static bool ns_tcp_fin_acked(const struct ns_tcp_sock *tp)
{
	return tp->fin_queued && tp->snd_nxt == tp->write_seq + 1 &&
	       tp->snd_una == tp->snd_nxt;
}

/*
 * The ACK field of a segment in a synchronized state, and its SACK
 * blocks (@opts); false: drop the segment.
 */
static bool ns_tcp_ack_rcv(struct sock *sk, struct sk_buff *skb, u32 seq,
			   unsigned int plen, const struct ns_tcp_opts *opts)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 ack = ntohl(th->ack_seq), prior_una = tp->snd_una;
	u32 acked_segs = 0, newly_sacked = 0;
	bool dupack = false;
	enum ns_tcp_ack cls;
	u32 wnd, old_wnd = tp->snd_wnd;

	cls = ns_tcp_ack_classify(tp->snd_una, tp->snd_nxt, ack);
	if (sk->sk_state == TCP_SYN_RECV) {
		if (cls != NS_TCP_ACK_NEW) {
			ns_tcp_send_reset(nsn, skb);
			return false;
		}
		if (tp->passive && READ_ONCE(tp->listener) &&
		    sk_acceptq_is_full(tp->listener)) {
			/* No room to accept it: as if the ACK were lost. */
			ns_stat_inc(nsn, NS_STAT_TCP_LISTEN_DROPS);
			return false;
		}
		ns_tcp_syn_acked(sk, seq, ack, (u32)ntohs(th->window) << tp->snd_wscale);
		ns_tcp_event(sk, NS_TCP_EV_ACK_OF_SYN);
		return sk->sk_state != TCP_CLOSE;
	}
	if (cls == NS_TCP_ACK_UNSENT) {
		ns_tcp_send_ack(sk);
		return false;
	}
	if (cls != NS_TCP_ACK_OLD &&
	    ns_tcp_window_update_ok(tp->snd_wl1, tp->snd_wl2, seq, ack)) {
		wnd = (u32)ntohs(th->window) << tp->snd_wscale;
		tp->snd_wnd = wnd;
		tp->snd_wl1 = seq;
		tp->snd_wl2 = ack;
		if (wnd && tp->persist) {
			ns_tcp_stop_rtx(sk);
			tp->retries = 0;
		}
	}
	if (cls == NS_TCP_ACK_NEW)
		acked_segs = ns_tcp_ack_new(sk, ack);
	if (tp->sack_ok && opts->nr_sack)
		newly_sacked = ns_tcp_sack_mark(&sk->sk_write_queue, tp->snd_una,
						tp->snd_nxt, opts->sack, opts->nr_sack);
	/* RFC 5681 2 (DUPLICATE ACKNOWLEDGMENT), RFC 6675 2 (new SACK news). */
	if (cls == NS_TCP_ACK_DUP && tp->snd_una != tp->snd_nxt &&
	    (newly_sacked || (!plen && !th->fin && tp->snd_wnd == old_wnd))) {
		dupack = true;
		if (tp->dupacks < U8_MAX)
			tp->dupacks++;
	}
	if (cls == NS_TCP_ACK_NEW || dupack || newly_sacked)
		ns_tcp_recovery_ack(sk, prior_una, acked_segs, newly_sacked, dupack);
	if (tp->persist && !tp->snd_wnd)
		tp->retries = 0;	/* the peer answers its probes */
	if (ns_tcp_fin_acked(tp))
		ns_tcp_event(sk, NS_TCP_EV_ACK_OF_FIN);
	return sk->sk_state != TCP_CLOSE;
}

/*
 * Append an in-order segment's data to the last skb of the receive queue
 * (its page fragments move over, or a few bytes are copied into the
 * tailroom), as Linux's TCP does: the reader then walks, copies from and
 * frees one skb per run of segments instead of one per segment. False
 * when it does not fit (no queued skb, too many fragments, a shared head).
 */
static bool ns_tcp_coalesce_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);
	bool fragstolen;
	int delta;

	if (!tail || !skb_try_coalesce(tail, skb, &fragstolen, &delta))
		return false;
	/* The tail's owner accounting grows with its truesize. */
	atomic_add(delta, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, delta);
	NS_TCP_SKB_CB(tail)->end_seq = NS_TCP_SKB_CB(skb)->end_seq;
	kfree_skb_partial(skb, fragstolen);
	ns_stat_inc(ns_net(sock_net(sk)), NS_STAT_TCP_RCV_COALESCE);
	return true;
}

/* An in-order segment (or the FIN) for the reader. */
static void ns_tcp_deliver(struct sock *sk, struct sk_buff *skb)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct ns_tcp_skb_cb *cb = NS_TCP_SKB_CB(skb);
	bool fin = cb->fin;

	tp->rcv_nxt = cb->end_seq;
	tp->bytes_received += skb->len;
	if (skb->len) {
		skb_orphan(skb);
		if (!ns_tcp_coalesce_rcv(sk, skb)) {
			skb_set_owner_r(skb, sk);
			skb_queue_tail(&sk->sk_receive_queue, skb);
		}
	} else {
		consume_skb(skb);
	}
	if (fin) {
		ns_tcp_ofo_purge(&tp->ofo);
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sock_set_flag(sk, SOCK_DONE);
		ns_tcp_event(sk, NS_TCP_EV_FIN);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
	}
}

/*
 * A segment whose buffer is far larger than its payload (a part of a
 * large one, a small one in a page) would eat the receive buffer, which
 * is counted in truesize, and close the window: keep a compact copy.
 */
static struct sk_buff *ns_tcp_compact(struct sk_buff *skb)
{
	struct sk_buff *copy;

	if (!skb->len || skb->truesize <= 2 * skb->len + SKB_TRUESIZE(256))
		return skb;
	copy = alloc_skb(skb->len, GFP_ATOMIC);
	if (!copy)
		return skb;
	if (skb_copy_bits(skb, 0, skb_put(copy, skb->len), skb->len)) {
		kfree_skb(copy);
		return skb;
	}
	consume_skb(skb);
	return copy;
}

/*
 * A segment that is not simply the next one: through the out-of-order
 * queue, then whatever that queue now has in order. True if anything
 * reached the reader.
 */
static bool ns_tcp_data_via_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	unsigned int dropped = 0;
	enum ns_tcp_ofo_verdict v;
	bool delivered = false;
	struct sk_buff *next;

	v = ns_tcp_ofo_insert(&tp->ofo, skb, tp->rcv_nxt);
	if (v == NS_TCP_OFO_QUEUED || v == NS_TCP_OFO_OVERLAP)
		tp->sack_recent = NS_TCP_SKB_CB(skb)->seq;
	if (v != NS_TCP_OFO_QUEUED && v != NS_TCP_OFO_OVERLAP)
		ns_stat_inc(nsn, v == NS_TCP_OFO_NOMEM ? NS_STAT_TCP_RX_DROP_OFO_FULL :
			    NS_STAT_TCP_RX_DUPLICATE);
	while (sk->sk_state != TCP_CLOSE &&
	       (next = ns_tcp_ofo_dequeue(&tp->ofo, tp->rcv_nxt, &dropped))) {
		ns_tcp_deliver(sk, next);
		delivered = true;
	}
	return delivered;
}

/* The text and FIN of a segment. */
static void ns_tcp_data_rcv(struct sock *sk, struct sk_buff *skb, u32 seq)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 wnd_end = tp->rcv_adv;
	bool fin = th->fin, delivered;
	bool had_ofo = !ns_tcp_ofo_empty(&tp->ofo);
	struct ns_tcp_ack_facts facts = {};

	__skb_pull(skb, th->doff * 4);
	if (skb->len > tp->rcv_mss)
		tp->rcv_mss = min_t(u32, skb->len, tp->advmss);
	/* Beyond the window: keep what fits (the FIN does not). */
	if (ns_seq_after(seq + skb->len, wnd_end)) {
		if (pskb_trim(skb, ns_seq_after(wnd_end, seq) ? wnd_end - seq : 0)) {
			kfree_skb(skb);
			return;
		}
		fin = false;
	}
	skb = ns_tcp_compact(skb);
	ns_tcp_skb_cb_set(skb, seq, fin);
	if (seq == tp->rcv_nxt && !had_ofo && NS_TCP_SKB_CB(skb)->end_seq != seq) {
		/* The common case, the next segment and no hole: straight in. */
		ns_tcp_deliver(sk, skb);
		delivered = true;
	} else {
		delivered = ns_tcp_data_via_ofo(sk, skb);
	}
	facts.unacked = tp->rcv_nxt - tp->rcv_acked;
	facts.rcv_mss = tp->rcv_mss;
	facts.out_of_order = !ns_tcp_ofo_empty(&tp->ofo);
	facts.hole_filled = had_ofo && delivered;
	facts.duplicate = !delivered;
	facts.fin = fin && delivered;
	facts.quickack = tp->quickack && delivered;
	if (facts.out_of_order || facts.duplicate) {
		ns_tcp_send_ack(sk);	/* for the sender's fast retransmit */
	} else if (facts.unacked && sk->sk_state != TCP_CLOSE) {
		/* (Nothing is owed when the FIN's ACK reported it all.) */
		if (ns_tcp_ack_now(&facts)) {
			tp->ack_pending = true;	/* at the end of this work run */
			if (facts.quickack)
				tp->quickack--;
		} else {
			ns_tcp_delack_schedule(sk);
		}
	}
	if (delivered && !sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
}

/* RFC 5961: answer a suspicious RST or SYN with an ACK, rate limited (7). */
static void ns_tcp_challenge_ack(struct sock *sk)
{
	struct ns_net *nsn = ns_net(sock_net(sk));

	if (!ns_rate_limiter_allow(&nsn->tcp_challenge,
				   READ_ONCE(nsn->tcp.challenge_ack_limit))) {
		ns_stat_inc(nsn, NS_STAT_TCP_CHALLENGE_ACKS_SUPPRESSED);
		return;
	}
	ns_stat_inc(nsn, NS_STAT_TCP_CHALLENGE_ACKS);
	ns_tcp_send_ack(sk);
}

/* The synchronized states, SYN-RECEIVED included (3.10.7.4). */
static void ns_tcp_sync_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	const struct tcphdr *th = tcp_hdr(skb);
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	u32 seq = ntohl(th->seq);
	unsigned int plen = skb->len - th->doff * 4;
	u32 rcv_wnd = ns_seq_after(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
	struct ns_tcp_opts opts;
	bool has_ts;

	ns_tcp_parse_options(nsn, th, &opts);
	has_ts = tp->ts_ok && (opts.present & NS_TCP_OPT_HAS_TS);
	tp->rcv_tsecr = has_ts ? opts.tsecr : 0;

	/* The peer resending its SYN: it missed our SYN-ACK. */
	if (sk->sk_state == TCP_SYN_RECV && th->syn && !th->ack && !th->rst &&
	    seq == tp->irs) {
		ns_tcp_send_syn(sk);
		goto drop;
	}
	/* PAWS (RFC 7323 5.3): an old duplicate, before the window check. */
	if (has_ts && !th->rst &&
	    ns_tcp_paws_reject(opts.tsval, tp->ts_recent, tp->ts_recent_stamp,
			       (u32)ktime_get_seconds()) &&
	    !ns_tcp_paws_disordered_ok(opts.tsval, tp->ts_recent,
				       !plen && !th->syn && !th->fin,
				       ns_tcp_rto_current(&tp->rto) / USEC_PER_MSEC)) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_PAWS_REJECTED);
		ns_tcp_send_ack(sk);
		goto drop;
	}
	if (!ns_tcp_seq_acceptable(tp->rcv_nxt, rcv_wnd, seq,
				   plen + th->syn + th->fin)) {
		ns_stat_inc(nsn, NS_STAT_TCP_RX_OUT_OF_WINDOW);
		if (!th->rst)
			ns_tcp_send_ack(sk);
		goto drop;
	}
	if (th->rst) {
		if (seq == tp->rcv_nxt)
			ns_tcp_event(sk, NS_TCP_EV_RST);
		else
			ns_tcp_challenge_ack(sk);
		goto drop;
	}
	if (th->syn) {
		ns_tcp_challenge_ack(sk);
		goto drop;
	}
	if (!th->ack)
		goto drop;
	if (has_ts && ns_tcp_ts_recent_update_ok(seq, tp->last_ack_sent,
						 opts.tsval, tp->ts_recent))
		ns_tcp_ts_recent_set(tp, opts.tsval);
	if (!ns_tcp_ack_rcv(sk, skb, seq, plen, &opts))
		goto drop;

	if (!plen && !th->fin)
		goto drop;
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		/* Data after we stopped reading and sent our FIN: reset. */
		if (plen && (sk->sk_shutdown & RCV_SHUTDOWN) &&
		    sk->sk_state != TCP_ESTABLISHED &&
		    ns_seq_after(seq + plen, tp->rcv_nxt)) {
			ns_tcp_event(sk, NS_TCP_EV_ABORT);
			goto drop;
		}
		ns_tcp_data_rcv(sk, skb, seq);
		return;
	default:
		/* After the peer's FIN: only a resent FIN, which we ACK. */
		if (th->fin)
			ns_tcp_event(sk, NS_TCP_EV_FIN);
		break;
	}
drop:
	consume_skb(skb);
}

/**
 * ns_tcp_process() - process one segment in the connection's work
 * @sk: the socket, locked
 * @skb: the segment from in_queue, TCP header at skb->data; consumed
 */
void ns_tcp_process(struct sock *sk, struct sk_buff *skb)
{
	struct ns_net *nsn = ns_net(sock_net(sk));
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	/* The peer is alive: keepalive starts counting again. */
	tp->rcv_tstamp = jiffies;
	tp->keepalive_probes = 0;

	switch (sk->sk_state) {
	case TCP_LISTEN:
		ns_tcp_listen_rcv(sk, skb);
		break;
	case TCP_SYN_SENT:
		ns_tcp_syn_sent_rcv(sk, skb);
		break;
	case TCP_CLOSE:
		/* The connection ended while the segment waited. */
		if (!tcp_hdr(skb)->rst)
			ns_tcp_send_reset(nsn, skb);
		consume_skb(skb);
		break;
	default:
		ns_tcp_sync_rcv(sk, skb);
		break;
	}
}

/* An ICMP error quoting one of our segments: the connection's work acts. */
static void ns_tcp_err(struct ns_net *nsn, const struct ns_icmp_err *err)
{
	const struct tcphdr *th = (const struct tcphdr *)err->l4;
	struct ns_tcp_sock *tp;
	struct sock *sk;
	bool hard;
	int errno;

	sk = ns_conn_find(&nsn->tcp_conns, err->quoted->saddr, ntohs(th->source),
			  err->quoted->daddr, th->dest);
	if (!sk)
		return;
	tp = ns_tcp_sk(sk);
	errno = ns_icmp_err_errno(err, &hard);
	/* Path MTU discovery is not done: a "fragmentation needed" is news only. */
	if (errno && errno != -EMSGSIZE &&
	    ns_seq_between(ntohl(th->seq), READ_ONCE(tp->snd_una), READ_ONCE(tp->snd_nxt))) {
		WRITE_ONCE(tp->icmp_err, -errno);
		set_bit(NS_TCP_EV_BIT_ICMP, &tp->events);
		ns_tcp_kick(sk);
	}
	sock_put(sk);
}

static const struct ns_icmp_err_handler ns_tcp_err_handler = {
	.err = ns_tcp_err,
};

/**
 * ns_tcp_register() - start TCP: its workqueue and ICMP error handler
 *
 * Return: 0 or -ENOMEM.
 */
int ns_tcp_register(void)
{
	/* Per-CPU: a connection's work runs on the CPU queue_work_on() names. */
	ns_tcp_wq = alloc_workqueue("netstack_tcp",
				    WQ_PERCPU | WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!ns_tcp_wq)
		return -ENOMEM;
	ns_icmp_set_err_handler(IPPROTO_TCP, &ns_tcp_err_handler);
	return 0;
}

/**
 * ns_tcp_unregister() - stop TCP; no TCP socket is left
 */
void ns_tcp_unregister(void)
{
	ns_icmp_set_err_handler(IPPROTO_TCP, NULL);
	destroy_workqueue(ns_tcp_wq);
}
