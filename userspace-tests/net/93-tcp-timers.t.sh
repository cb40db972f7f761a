#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 93-tcp-timers — the send and ACK policy and the liveness options of
# netstack's TCP against Linux:
#   - keepalive (SO_KEEPALIVE, TCP_KEEPIDLE/INTVL/CNT 5/1/3) ends an idle
#     connection whose peer went silent with ETIMEDOUT after about
#     idle + cnt * intvl = 8 s;
#   - TCP_USER_TIMEOUT 2000 ends a connection whose data stays
#     unacknowledged after about 2 s (tcp_retries2 would take minutes);
#   - Nagle: 200 writes of 100 bytes leave in far fewer segments than with
#     TCP_NODELAY;
#   - delayed ACKs: a bulk receive (Linux sending plain MSS-sized segments,
#     TSO/GSO off) sends at most two segments for three it receives (Linux, every second), and
#     small messages 100 ms apart are ACKed by the delayed-ACK timer.
# "Silent" is netem loss 100% on Linux's end: what netstack sends still
# arrives, nothing comes back.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns       │  veth  │ qdisc netem loss 100%       │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ tcp-tool hold / send / recv     │        │ tcp-tool echo/sink/source   │
#   │ tcp-tool sink-server :8135      │        │ bash /dev/tcp sender        │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# NS_FAMILY=inet puts Linux's own stack on netstack's side (tcp-lib.sh):
# the same checks then hold for Linux; counter checks use Linux's Tcp
# InSegs/OutSegs, or are skipped where Linux has no such counter.
#
# timeout: 240
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 9
need_ns_tcp
tcp_topo_setup
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
cleanup() { topo_teardown; rm -rf "$OUT"; }
trap cleanup EXIT

# Neighbours first: the checks are about TCP, not ARP.
psh "ping -n -c 2 -i 0.05 -W 2 $NS_IP"

# _seg_delta rx|tx: segments netstack's side received or sent since ns_snap.
_seg_delta() {
	if [ "$NS_FAMILY" = netstack ]; then
		_delta "tcp_$1"
		echo "$DELTA_V"
	elif [ "$1" = rx ]; then
		snmp_delta InSegs
	else
		snmp_delta OutSegs
	fi
}

# _in_range VALUE LOW HIGH: LOW <= VALUE <= HIGH, decimals allowed.
_in_range() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'
}

# _hold_silenced PORT ARGS...: netstack's side connects to a Linux echo
# server with tcp-tool hold ARGS; once connected, Linux goes silent. Sets
# HOLD_OUT (hold's output) and HOLD_S (the seconds it reported).
_hold_silenced() {
	local port=$1 pid
	shift
	HOLD_OUT='(not run)' HOLD_S=
	if ! tool_peer_bg "$OUT/server" -f inet echo-server -b "$PEER_IP:$port" -n 1 -i 30000 -T 60; then
		HOLD_OUT="the Linux echo server did not start: $(<"$OUT/server")"
		return 1
	fi
	: >"$OUT/hold"
	"$TOOL" -f "$NS_FAMILY" hold -p "$PEER_IP:$port" -T 60 "$@" >"$OUT/hold" 2>&1 &
	pid=$!
	wait_for 10 grep -q connected "$OUT/hold"
	psh "tc qdisc add dev $PEER_DEV root netem loss 100%"
	wait "$pid"
	HOLD_RC=$?
	psh "tc qdisc del dev $PEER_DEV root"
	tool_wait 30
	HOLD_OUT=$(<"$OUT/hold")
	[[ $HOLD_OUT =~ after\ ([0-9.]+)\ s ]] && HOLD_S=${BASH_REMATCH[1]}
	return "$HOLD_RC"
}

# ---------------------------------------------------------------- keepalive
ns_snap
if _hold_silenced 8131 -k 5:1:3 -e ETIMEDOUT && _in_range "$HOLD_S" 7.5 11; then
	ok "keepalive 5/1/3 ends a connection to a silent peer with ETIMEDOUT in 7.5-11 s"
	diag "$(first_line "$HOLD_OUT" "hold: E")"
else
	fail "keepalive 5/1/3 ends a connection to a silent peer with ETIMEDOUT in 7.5-11 s" \
		"hold: $HOLD_OUT"$'\n'"$(ns_diag)"
fi
if [ "$NS_FAMILY" = netstack ]; then
	_delta tcp_keepalive_probes
	probes=$DELTA_V
	_delta tcp_keepalive_timeouts
	if [ "$probes" = 3 ] && [ "$DELTA_V" = 1 ]; then
		ok "3 keepalive probes, 1 connection ended by keepalive (counters)"
	else
		fail "3 keepalive probes, 1 connection ended by keepalive (counters)" "$(ns_diag)"
	fi
else
	skip "keepalive counters" "netstack's counters; NS_FAMILY=inet"
fi

# ---------------------------------------------------------------- TCP_USER_TIMEOUT
# 10000 bytes sent 5 s after connecting, when Linux is already silent
# (the peer shell takes a second or two to start tc in the emulated guest).
ns_snap
if _hold_silenced 8132 -U 2000 -w 5000 -n 10000 -e ETIMEDOUT && _in_range "$HOLD_S" 1.5 4.5; then
	ok "TCP_USER_TIMEOUT 2000 ends a connection with unacknowledged data: ETIMEDOUT in 1.5-4.5 s"
	diag "$(first_line "$HOLD_OUT" "hold: E")"
else
	fail "TCP_USER_TIMEOUT 2000 ends a connection with unacknowledged data: ETIMEDOUT in 1.5-4.5 s" \
		"hold: $HOLD_OUT"$'\n'"$(ns_diag)"
fi
if [ "$NS_FAMILY" = netstack ]; then
	if _delta tcp_user_timeouts && [ "$DELTA_V" = 1 ]; then
		ok "tcp_user_timeouts +1"
	else
		fail "tcp_user_timeouts +1" "$(ns_diag)"
	fi
else
	skip "tcp_user_timeouts" "netstack's counter; NS_FAMILY=inet"
fi

# ---------------------------------------------------------------- Nagle
ns_snap
pair "ns>linux" 8133 sink-server -n 1 -T 60 -- send -n 20000 -W 100 -S 133 -T 60
tx_nagle=$(_seg_delta tx)
pair_sha_ok "200 writes of 100 bytes with Nagle reach a Linux sink intact ($tx_nagle segments)" send: sink:
ns_snap
pair "ns>linux" 8134 sink-server -n 1 -T 60 -- send -n 20000 -W 100 -N -S 134 -T 60
tx_nodelay=$(_seg_delta tx)
pair_sha_ok "the same with TCP_NODELAY ($tx_nodelay segments)" send: sink:
if [ "$tx_nagle" -gt 0 ] && [ $((tx_nagle * 3)) -le "$tx_nodelay" ]; then
	ok "Nagle sends at most a third of the segments TCP_NODELAY sends ($tx_nagle vs $tx_nodelay)"
else
	fail "Nagle sends at most a third of the segments TCP_NODELAY sends ($tx_nagle vs $tx_nodelay)"
fi

# ---------------------------------------------------------------- delayed ACKs
# Linux sends plain segments (no TSO/GSO), so that each one is one MSS.
psh "ethtool -K $PEER_DEV tso off gso off"
ns_snap
pair "ns>linux" 8136 source-server -n 1 -m 4M -S 136 -T 120 -- recv -n 4M -T 120
rx=$(_seg_delta rx)
tx=$(_seg_delta tx)
if [ "$CLI_RC" = 0 ] && [ "$rx" -gt 1000 ] && [ $((tx * 3)) -le $((rx * 2)) ]; then
	ok "a 4 MiB bulk receive sends at most 2 segments for 3 received: $tx sent for $rx received"
else
	fail "a 4 MiB bulk receive sends at most 2 segments for 3 received: $tx sent for $rx received" \
		"$(pair_diag)"
fi

# Small messages 100 ms apart, to a server that never answers: past the
# quick-ACK start, each one's ACK waits for the delayed-ACK timer.
if [ "$NS_FAMILY" = netstack ]; then
	ns_snap
	tool_bg "$OUT/sink" -f netstack sink-server -b "$NS_IP:8135" -n 1 -i 30000 -T 60
	psh "exec 7<>/dev/tcp/$NS_IP/8135 && for i in \$(seq 26); do echo line\$i >&7; sleep 0.1; done; exec 7>&-"
	tool_wait 30
	if _delta tcp_delayed_acks && [ "$DELTA_V" -ge 5 ]; then
		ok "26 small messages 100 ms apart: ACKs by the delayed-ACK timer (tcp_delayed_acks +$DELTA_V)"
	else
		fail "26 small messages 100 ms apart: ACKs by the delayed-ACK timer" "$(ns_diag)"
	fi
else
	skip "delayed-ACK timer counter" "netstack's counter; NS_FAMILY=inet"
fi

done_testing
