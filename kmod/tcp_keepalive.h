/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When a silent connection is given up: keepalive probing (RFC 1122
 * 4.2.3.6, SO_KEEPALIVE, TCP_KEEPIDLE/KEEPINTVL/KEEPCNT) and
 * TCP_USER_TIMEOUT (RFC 5482), which bounds both keepalive and
 * retransmissions.
 */
#ifndef _NETSTACK_TCP_KEEPALIVE_H
#define _NETSTACK_TCP_KEEPALIVE_H

#include <linux/types.h>

struct sock;

/* Linux's defaults (net.ipv4.tcp_keepalive_time, _intvl, _probes). */
enum {
	NS_TCP_KEEPIDLE_DEFAULT = 7200,
	NS_TCP_KEEPINTVL_DEFAULT = 75,
	NS_TCP_KEEPCNT_DEFAULT = 9,
};

/**
 * enum ns_tcp_keepalive_action - what the keepalive timer does
 * @NS_TCP_KEEPALIVE_WAIT: nothing yet; look again later
 * @NS_TCP_KEEPALIVE_PROBE: send a probe, look again after the interval
 * @NS_TCP_KEEPALIVE_GIVE_UP: the peer is gone: end the connection
 */
enum ns_tcp_keepalive_action {
	NS_TCP_KEEPALIVE_WAIT,
	NS_TCP_KEEPALIVE_PROBE,
	NS_TCP_KEEPALIVE_GIVE_UP,
};

/**
 * struct ns_tcp_keepalive_facts - what the keepalive timer knows; all
 *	times in one unit (jiffies in the module)
 * @idle: since the last segment received
 * @keepidle: TCP_KEEPIDLE
 * @keepintvl: TCP_KEEPINTVL
 * @keepcnt: TCP_KEEPCNT
 * @probes: probes sent and not answered
 * @user_timeout: TCP_USER_TIMEOUT, 0 for none
 * @busy: data is queued or in flight (retransmissions watch the peer)
 */
struct ns_tcp_keepalive_facts {
	u32 idle;
	u32 keepidle;
	u32 keepintvl;
	u32 keepcnt;
	u32 probes;
	u32 user_timeout;
	bool busy;
};

enum ns_tcp_keepalive_action
ns_tcp_keepalive_decide(const struct ns_tcp_keepalive_facts *f, u32 *next);
void ns_tcp_keepalive_start(struct sock *sk);
void ns_tcp_keepalive_set(struct sock *sk, int on);
void ns_tcp_keepalive_idle_changed(struct sock *sk);
void ns_tcp_keepalive_timeout(struct sock *sk);
bool ns_tcp_user_timeout_expired(struct sock *sk);
unsigned long ns_tcp_user_timeout_clamp(struct sock *sk, unsigned long delay);

#endif /* _NETSTACK_TCP_KEEPALIVE_H */
