#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 88-tcp-connect-errors — how a netstack connect() fails when nothing
# answers: the SYN is retransmitted with exponential backoff from 1 s and
# the connect fails with ETIMEDOUT after the retry limit; a destination on
# the link whose address ARP cannot resolve fails with EHOSTUNREACH. Each
# blocking and non-blocking (EINPROGRESS, then SO_ERROR when epoll says so).
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns       │  veth  │                             │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ tcp_syn_retries 2               │        │ netem loss 100% (egress)    │
#   │ 10.0.0.1: a permanent neighbour │        │                             │
#   │ tcp-tool -f $NS_FAMILY          │        │                             │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#   (10.0.0.99: nobody)
#
# With 2 retries the SYNs leave at 0, 1 and 3 s and the connect gives up
# at 7 s (1 + 2 + 4), as Linux does with net.ipv4.tcp_syn_retries = 2.
# NS_FAMILY=inet runs the same checks against Linux (tcp-lib.sh).
#
# timeout: 120
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 7
need_ns_tcp
tcp_topo_setup
NOBODY_IP=10.0.0.99

if [ "$NS_FAMILY" = netstack ]; then
	retries_knob=net.netstack.tcp_syn_retries
else
	retries_knob=net.ipv4.tcp_syn_retries
fi
old_retries=$(sysctl -n "$retries_knob")
restore() { sysctl -qw "$retries_knob=$old_retries"; topo_teardown; }
trap restore EXIT

# connect_fails NAME ADDR ERRNO MIN_S MAX_S: tcp-tool's refused mode
# expecting ERRNO from both connects, the blocking one taking MIN_S to
# MAX_S seconds.
connect_fails() {
	local name=$1 addr=$2 err=$3 min=$4 max=$5 out rc t
	ns_snap
	out=$("$TOOL" -f "$NS_FAMILY" refused -e "$err" -p "$addr" -T 60 2>&1)
	rc=$?
	t=-
	[[ $out =~ blocking\ connect:\ [A-Z]+\ \(([0-9]+)\.([0-9]+)\ s\) ]] &&
		t=$((10#${BASH_REMATCH[1]} * 100 + 10#${BASH_REMATCH[2]}))
	if [ $rc = 0 ] && [ "$t" != - ] && [ "$t" -ge $((min * 100)) ] &&
		[ "$t" -le $((max * 100)) ]; then
		ok "$name"
		diag "$out"
	else
		fail "$name" "status $rc (want 0), blocking connect in $t/100 s (want $min-$max s): $out"$'\n'"$(ns_diag)"
	fi
}

check "tcp_syn_retries set to 2 ($retries_knob)" sysctl -qw "$retries_knob=2"
ping_ok "Linux pings netstack's side: 3/3 answered" 3 "${PING_FAST[@]}" "$NS_IP"
# What is lost below must be TCP, not ARP: the loss drops ARP replies too,
# and Linux would otherwise find the peer unreachable (EHOSTUNREACH)
# once its entry went stale during the first connect's 7 s.
if [ "$NS_FAMILY" = netstack ]; then
	check "a permanent neighbour entry for $PEER_IP (nsctl neigh add)" \
		nsctl neigh add "$PEER_IP" lladdr "$PEER_MAC" dev "$NS_DEV"
else
	check "a permanent neighbour entry for $PEER_IP (ip neigh replace)" \
		ip neigh replace "$PEER_IP" lladdr "$PEER_MAC" dev "$NS_DEV" nud permanent
fi
psh "tc qdisc add dev $PEER_DEV root netem loss 100%"
expect_eq "netem loss 100% on $PEER_DEV: no SYN-ACK, no RST comes back" 0 "$?"

connect_fails "connect to a peer that never answers: ETIMEDOUT after 1 + 2 + 4 s, blocking and non-blocking" \
	"$PEER_IP:9" ETIMEDOUT 6 10
if [ "$NS_FAMILY" = netstack ]; then
	_delta tcp_timeouts
	n=$DELTA_V
	if [ "$n" -ge 4 ]; then
		ok "netstack counted the SYN timeouts: tcp_timeouts +$n (2 per connect, 2 connects)"
	else
		fail "netstack counted the SYN timeouts: tcp_timeouts +$n (want >= 4)" "$(ns_diag)"
	fi
else
	skip "netstack counted the SYN timeouts" "NS_FAMILY=inet: no netstack"
fi
connect_fails "connect to $NOBODY_IP, which ARP cannot resolve: EHOSTUNREACH, blocking and non-blocking" \
	"$NOBODY_IP:80" EHOSTUNREACH 1 10

done_testing
