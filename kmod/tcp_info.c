// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_info.c - what a TCP socket tells of itself and the options that
 * choose its congestion control: getsockopt TCP_INFO (Linux's struct
 * tcp_info, the fields netstack keeps filled in, the others zero) and
 * TCP_CONGESTION (get and set, by the Linux names "cubic" and "reno").
 */
#include <linux/tcp.h>
#include <net/tcp.h>

#include "seq.h"
#include "tcp.h"

/* Segments of the write queue outstanding, SACKed, lost, retransmitted. */
static void ns_tcp_info_count(struct sock *sk, struct tcp_info *info)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		u8 flags = NS_TCP_SKB_CB(skb)->tx_flags;

		if (!ns_seq_before(NS_TCP_SKB_CB(skb)->seq, tp->snd_nxt))
			break;
		info->tcpi_unacked++;
		if (flags & NS_TCP_TX_SACKED)
			info->tcpi_sacked++;
		else if (flags & NS_TCP_TX_LOST)
			info->tcpi_lost++;
		if (flags & NS_TCP_TX_RETRANS)
			info->tcpi_retrans++;
	}
}

static u32 ns_tcp_info_ms_since(unsigned long stamp)
{
	return stamp ? jiffies_to_msecs(jiffies - stamp) : 0;
}

/* Fill @info from the socket, locked. */
static void ns_tcp_info_fill(struct sock *sk, struct tcp_info *info)
{
	struct ns_tcp_sock *tp = ns_tcp_sk(sk);

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->sk_state;
	if (sk->sk_state == TCP_LISTEN) {
		info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		return;
	}
	info->tcpi_ca_state = tp->ca_state;
	info->tcpi_retransmits = tp->persist ? 0 : tp->retries;
	info->tcpi_probes = tp->persist ? tp->retries : 0;
	info->tcpi_backoff = tp->rto.backoff;
	if (tp->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (tp->ts_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tp->rcv_wscale) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tp->snd_wscale;
		info->tcpi_rcv_wscale = tp->rcv_wscale;
	}
	info->tcpi_rto = ns_tcp_rto_current(&tp->rto);
	info->tcpi_snd_mss = tp->mss;
	info->tcpi_rcv_mss = tp->advmss;
	info->tcpi_advmss = tp->advmss;
	ns_tcp_info_count(sk, info);
	info->tcpi_last_data_sent = ns_tcp_info_ms_since(tp->lsndtime);
	info->tcpi_rtt = ns_tcp_rto_srtt_us(&tp->rto);
	info->tcpi_rttvar = ns_tcp_rto_rttvar_us(&tp->rto);
	info->tcpi_snd_ssthresh = tp->cc.ssthresh;
	info->tcpi_snd_cwnd = tp->cc.cwnd;
	info->tcpi_reordering = NS_TCP_DUP_THRESH;
	info->tcpi_total_retrans = tp->total_retrans;
	info->tcpi_bytes_acked = tp->bytes_acked;
	info->tcpi_bytes_received = tp->bytes_received;
	if (ns_seq_after(tp->write_seq, tp->snd_nxt))
		info->tcpi_notsent_bytes = tp->write_seq - tp->snd_nxt;
	info->tcpi_snd_wnd = tp->snd_wnd;
}

/**
 * ns_tcp_get_info() - getsockopt(SOL_TCP, TCP_INFO)
 * @sk: the socket
 * @optval: the user's buffer
 * @optlen: its length; set to the bytes written (at most a struct tcp_info)
 *
 * Return: 0, -EFAULT or -EINVAL (a negative length).
 */
int ns_tcp_get_info(struct sock *sk, char __user *optval, int __user *optlen)
{
	struct tcp_info info;
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	lock_sock(sk);
	ns_tcp_info_fill(sk, &info);
	release_sock(sk);
	len = min_t(unsigned int, len, sizeof(info));
	if (put_user(len, optlen) || copy_to_user(optval, &info, len))
		return -EFAULT;
	return 0;
}

/**
 * ns_tcp_get_congestion() - getsockopt(SOL_TCP, TCP_CONGESTION)
 * @sk: the socket
 * @optval: the user's buffer
 * @optlen: its length; set to the bytes written
 *
 * The name, zero padded to %NS_TCP_CA_NAME_MAX, cut to the buffer (as
 * Linux does).
 *
 * Return: 0, -EFAULT or -EINVAL.
 */
int ns_tcp_get_congestion(struct sock *sk, char __user *optval, int __user *optlen)
{
	char name[NS_TCP_CA_NAME_MAX] = {};
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	strscpy(name, READ_ONCE(ns_tcp_sk(sk)->cc.ops)->name, sizeof(name));
	len = min_t(unsigned int, len, sizeof(name));
	if (put_user(len, optlen) || copy_to_user(optval, name, len))
		return -EFAULT;
	return 0;
}

/**
 * ns_tcp_set_congestion() - setsockopt(SOL_TCP, TCP_CONGESTION)
 * @sk: the socket
 * @optval: the algorithm's name, not necessarily terminated
 * @optlen: its length
 *
 * Return: 0, -EINVAL (empty), -EFAULT, or -ENOENT (no such algorithm).
 */
int ns_tcp_set_congestion(struct sock *sk, sockptr_t optval, unsigned int optlen)
{
	const struct ns_tcp_cong_ops *ops;
	char name[NS_TCP_CA_NAME_MAX];

	if (optlen < 1)
		return -EINVAL;
	optlen = min_t(unsigned int, optlen, sizeof(name) - 1);
	if (copy_from_sockptr(name, optval, optlen))
		return -EFAULT;
	name[optlen] = 0;
	ops = ns_tcp_cong_find(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	ns_tcp_cong_set(sk, ops);
	release_sock(sk);
	return 0;
}
