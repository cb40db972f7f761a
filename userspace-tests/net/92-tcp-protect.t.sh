#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 92-tcp-protect — netstack's TCP protections against Linux over a veth
# (85-tcp's topology): timestamps (RFC 7323) negotiated both ways round,
# seen in Linux's `ss -tin` while data moves; SYN cookies (RFC 4987) with
# net.netstack.tcp_syncookies=2, a Linux client connecting through them
# (window scaling, SACK and timestamps carried in the cookie's TSval);
# with tcp_syncookies=0 and a listener of backlog 1, SYNs are dropped,
# no cookie sent.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ tcp-tool -f $NS_FAMILY          │        │ tcp-tool -f inet, ss -tin   │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# NS_FAMILY=inet: Linux on both sides (tcp-lib.sh); the netstack counter
# and sysctl checks then skip. (ss needs -o to print "ts" and "sack".)
#
# timeout: 600
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 9
need_ns_tcp
BULK=${TCP_PROTECT_BULK:-32M}
tcp_topo_setup
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
diag "netstack's side: NS_FAMILY=$NS_FAMILY"

ping_ok "Linux pings netstack's side: 3/3 answered" 3 "${PING_FAST[@]}" "$NS_IP"

# ns_sysctl NAME VALUE: set net.netstack.NAME (netstack only).
ns_sysctl() {
	[ "$NS_FAMILY" = netstack ] || return 0
	sysctl -qw "net.netstack.$1=$2"
}

# ss_during PORT CLIENT_ARGS...: a Linux tcp-tool client to netstack's
# server on PORT (already started), and Linux's `ss -tin` of that
# connection taken one second into it; sets CLI_OUT, CLI_RC, SS_OUT.
ss_during() {
	local port=$1
	shift
	psh "$(printf '%q ' "$TOOL" -f inet "$1" -p "$NS_IP:$port" "${@:2}") >$OUT/client 2>&1 &
		sleep 1; ss -tinoH dst $NS_IP dport = :$port; wait \$!"
	CLI_RC=$?
	SS_OUT=$PSH_OUT
	CLI_OUT=$(<"$OUT/client")
}

# ss_has NAME WORDS...: ok when each of WORDS is in $SS_OUT and the pair
# moved its data intact (pair_sha_ok's test).
ss_has() {
	local name=$1 w missing=
	shift
	for w in "$@"; do
		[[ " $SS_OUT " =~ [[:space:]]${w}[[:space:]:] ]] || missing+="$w "
	done
	if [ -z "$missing" ]; then
		ok "$name"
		diag "ss: $(echo "$SS_OUT" | tr -s ' \n' ' ' | cut -c1-200)"
	else
		fail "$name" "missing in ss -tin: $missing"$'\n'"ss said: $SS_OUT"
	fi
}

# ---------------------------------------------------------------- timestamps

ns_sysctl tcp_syncookies 1
ns_snap
tool_bg "$OUT/server" -f "$NS_FAMILY" sink-server -b "$NS_IP:9201" -n 1 -T 300
ss_during 9201 send -n "$BULK" -S 1 -T 300
tool_wait 30
SRV_RC=$?
SRV_OUT=$(<"$OUT/server")
PAIR_S=-
pair_sha_ok "Linux client sends $BULK to a netstack sink: SHA-256 match" send: sink:
ss_has "Linux's ss -tin of that connection shows timestamps, SACK, window scaling" ts sack wscale

# The other way round: ss shows Linux's accepted socket.
ns_snap
tool_peer_bg "$OUT/server" -f inet sink-server -b "$PEER_IP:9202" -n 1 -T 300
CLI_OUT=$("$TOOL" -f "$NS_FAMILY" send -p "$PEER_IP:9202" -n "$BULK" -S 2 -T 300 2>&1 &
	sleep 1; psh "ss -tinoH src $PEER_IP sport = :9202" >/dev/null; echo "$PSH_OUT" >"$OUT/ss"; wait $!)
CLI_RC=$?
SS_OUT=$(<"$OUT/ss")
tool_wait 30
SRV_RC=$?
SRV_OUT=$(<"$OUT/server")
pair_sha_ok "netstack client sends $BULK to a Linux sink: SHA-256 match" send: sink:
ss_has "Linux's ss -tin of the accepted connection shows timestamps, SACK, window scaling" ts sack wscale

# ---------------------------------------------------------------- SYN cookies

if [ "$NS_FAMILY" = netstack ]; then
	ns_sysctl tcp_syncookies 2
	ns_snap
	tool_bg "$OUT/server" -f netstack sink-server -b "$NS_IP:9203" -n 1 -T 300
	ss_during 9203 send -n "$BULK" -S 3 -T 300
	tool_wait 30
	SRV_RC=$?
	SRV_OUT=$(<"$OUT/server")
	PAIR_S=-
	pair_sha_ok "tcp_syncookies=2: Linux client connects through a SYN cookie and sends $BULK: SHA-256 match" send: sink:
	ss_has "the cookie carried timestamps, SACK and window scaling (Linux's ss -tin)" ts sack wscale
	sent=$(delta tcp_syncookies_sent) acc=$(delta tcp_syncookies_accepted) rej=$(delta tcp_syncookies_rejected)
	if [ "$sent" -ge 1 ] && [ "$acc" -ge 1 ] && [ "$rej" = 0 ]; then
		ok "counters: tcp_syncookies_sent +$sent, accepted +$acc, rejected +0"
	else
		fail "cookie counters" "$(deltas tcp_syncookies_sent tcp_syncookies_accepted tcp_syncookies_rejected tcp_passive_opens tcp_listen_drops)"
	fi

	# No cookies, backlog 1, 8 connects one at a time: the listener drops
	# SYNs (the clients retry until it accepts), and sends no cookie.
	ns_sysctl tcp_syncookies 0
	ns_snap
	pair "linux>ns" 9204 backlog-server -B 1 -n 8 -i 60000 -T 120 -- backlog -c 8 -B 1 -w 500 -T 120
	drops=$(delta tcp_listen_drops) sent=$(delta tcp_syncookies_sent)
	if [ "$CLI_RC" = 0 ] && [ "$SRV_RC" = 0 ] && [ "$drops" -ge 1 ] && [ "$sent" = 0 ]; then
		ok "tcp_syncookies=0, backlog 1: SYNs dropped (tcp_listen_drops +$drops), no cookie sent, all 8 connect once accepted"
		diag "$(first_line "$CLI_OUT" backlog:)"
	else
		fail "tcp_syncookies=0 drops" "drops $drops, cookies sent $sent"$'\n'"$(pair_diag)"
	fi
	ns_sysctl tcp_syncookies 1
else
	for n in 1 2 3 4; do
		skip "SYN cookie check $n" "NS_FAMILY=inet: netstack's sysctls and counters"
	done
fi

done_testing
