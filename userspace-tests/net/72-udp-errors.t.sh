#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 72-udp-errors — what ICMP errors about netstack's UDP datagrams do to
# the sockets that sent them, and broadcasts in both directions.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ udp_peer.py netstack-* (libc)   │        │ udp_peer.py icmp-responder: │
#   │                                 │        │ raw UDP in, crafted ICMP out│
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# The responder answers each datagram "icmp TYPE CODE" with that error,
# quoting it. As on Linux (RFC 1122 4.1.3.3), a connected socket's next
# call fails with the hard errors (port unreachable ECONNREFUSED, host
# prohibited EHOSTUNREACH, parameter problem EPROTO, fragmentation needed
# EMSGSIZE) and hears nothing of the soft ones (host unreachable, time
# exceeded); an unconnected socket hears nothing.
. "$(dirname "$0")/lib.sh"
plan 14
topo_setup
peer_start
UDP_PEER=$NET_DIR/udp_peer.py
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"; topo_teardown' EXIT

# peer_bg NAME ARGS...: udp_peer.py ARGS in netns peer, in the background,
# output in $OUT/NAME, its pid in BG_PID; waits until it says "ready".
BG_PID=
peer_bg() {
	local name=$1
	shift
	ip netns exec "$PEER" "$PY" -u "$UDP_PEER" "$@" >"$OUT/$name" 2>&1 &
	BG_PID=$!
	wait_for 20 grep -q '^ready' "$OUT/$name"
}

snap
peer_bg responder icmp-responder 9999 || bail "the ICMP responder did not start: $(<"$OUT/responder")"
errors=$("$PY" "$UDP_PEER" netstack-errors "$PEER_IP" 9999 2>&1)
wait "$BG_PID"
check_line() {
	if has_line "$errors" "$2"; then
		ok "$1"
	else
		fail "$1" "want the line: $2"$'\n'"got:"$'\n'"$errors"
	fi
}
check_line "host prohibited (3/10): connected socket's next recv fails EHOSTUNREACH, SO_ERROR then 0" \
	"connected host-prohibited EHOSTUNREACH so_error 0"
check_line "port unreachable (3/3): ECONNREFUSED" \
	"connected port-unreachable ECONNREFUSED so_error 0"
check_line "parameter problem (12/0): EPROTO" \
	"connected parameter-problem EPROTO so_error 0"
check_line "fragmentation needed (3/4): EMSGSIZE" \
	"connected frag-needed EMSGSIZE so_error 0"
check_line "host unreachable (3/1) is soft: no error, recv times out (EAGAIN)" \
	"connected host-unreachable EAGAIN so_error 0"
check_line "time exceeded (11/0) is soft: no error" \
	"connected time-exceeded EAGAIN so_error 0"
check_line "an unconnected socket hears no port unreachable" \
	"unconnected port-unreachable EAGAIN so_error 0"
_delta icmp_rx_errors
expect_eq "netstack received the 7 ICMP errors (icmp_rx_errors +7)" 7 "$DELTA_V" \
	"$(deltas icmp_rx icmp_rx_errors icmp_rx_errors_unclaimed icmp_rx_drop_malformed)"

# Broadcasts from Linux: to the subnet's and to the limited broadcast
# address, heard by a socket on the wildcard, not by one on 10.0.0.2.
for dst in 10.0.0.255 255.255.255.255; do
	"$PY" -u "$UDP_PEER" netstack-broadcast-rx "$dst" 7000 "$NS_IP" 5 >"$OUT/bcast" 2>&1 &
	rx=$!
	wait_for 20 grep -q '^ready' "$OUT/bcast"
	psh "$PY $UDP_PEER linux-broadcast $dst 7000 5 $PEER_DEV" ||
		diag "linux-broadcast: $PSH_OUT"
	wait $rx
	got=$(<"$OUT/bcast")
	if has_line "$got" "wildcard 5" && has_line "$got" "own 0"; then
		ok "Linux broadcasts 5 datagrams to $dst: the wildcard socket gets 5, the one on $NS_IP none"
	else
		fail "Linux broadcasts 5 datagrams to $dst" "$got"$'\n'"$(deltas udp_rx udp_rx_delivered udp_rx_no_port)"
	fi
done

# Broadcasts from netstack: SO_BROADCAST needed, and Linux hears them.
peer_bg lrx linux-broadcast-rx 7001 || bail "the Linux receiver did not start"
tx=$("$PY" "$UDP_PEER" netstack-broadcast-tx 10.0.0.255 7001 2>&1)
wait "$BG_PID"
if has_line "$tx" "without-so_broadcast EACCES"; then
	ok "netstack: sendto 10.0.0.255 without SO_BROADCAST fails EACCES"
else
	fail "netstack: sendto 10.0.0.255 without SO_BROADCAST fails EACCES" "$tx"
fi
if has_line "$tx" "with-so_broadcast sent"; then
	ok "netstack: with SO_BROADCAST the broadcast is sent"
else
	fail "netstack: with SO_BROADCAST the broadcast is sent" "$tx"
fi
lrx=$(<"$OUT/lrx")
if has_line "$lrx" "got nsbcast from $NS_IP"; then
	ok "Linux on 0.0.0.0:7001 receives netstack's broadcast"
else
	fail "Linux on 0.0.0.0:7001 receives netstack's broadcast" "$lrx"
fi
_delta udp_rx_drop_bad_checksum
expect_eq "no datagram was dropped for its checksum (udp_rx_drop_bad_checksum +0)" 0 "$DELTA_V"
done_testing
