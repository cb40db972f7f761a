#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 70-udp — netstack's UDP sockets against Linux's: the same program
# (userspace-tests/udp-tool) on both ends, AF_NETSTACK on netstack's side,
# AF_INET on Linux's. Echoes of 10 000 datagrams of random sizes each way,
# every byte checked; 4000- and 65 507-byte datagrams fragmented and
# reassembled both ways; ICMP port unreachable turned into ECONNREFUSED on
# connected sockets of both stacks; a receive buffer that overflows drops
# and counts exactly what it cannot hold; and the UDP counters.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ◄───────┼─ veth ─┼──► veth-linux 10.0.0.1/24   │
#   │ udp-tool -f netstack            │  1500  │   udp-tool -f inet          │
#   │  echo-server / echo-client /    │        │    echo-client / echo-server│
#   │  closed / sink                  │        │    closed / flood           │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# A server runs in the background on one side and prints "listening ..."
# once bound; the client runs on the other side, and both print a summary
# line that the checks read ("echo-client: sent N received N bad 0 lost 0").
#
# timeout: 300
. "$(dirname "$0")/lib.sh"
plan 19
topo_setup

[ -x "$TOOL" ] || bail "$TOOL is missing (make userspace)"
OUT=$(mktemp -d /tmp/netstack-udp.XXXXXX)
ECHO_N=${UDP_ECHO_N:-10000}	# datagrams per direction in the big echo runs
UDP_DIAG=(udp_tx udp_rx udp_rx_delivered udp_rx_no_port udp_rx_drop_rcvbuf_full
	udp_rx_drop_no_memory udp_rx_drop_malformed udp_rx_drop_bad_checksum
	ip_rx ip_rx_delivered ip_tx ip_tx_drop_no_memory ip_tx_fragments_created
	ip_reasm_reqds ip_reasm_oks ip_reasm_fails icmp_rx_errors
	icmp_rx_errors_unclaimed icmp_tx_dest_unreachable icmp_tx_rate_limited
	link_tx_errors neigh_queue_drop_full)

# ---------------------------------------------------------------- helpers

# echo_run NAME DIR PORT N CLIENT_ARGS...: one echo exchange of N datagrams,
# a check. DIR "ns>linux": netstack's client, Linux's server; "linux>ns":
# the other way round. The client's summary is shown; the server's and the
# counters too when it fails. ECHO_OUT: the client's output.
ECHO_OUT=
echo_run() {
	local name=$1 dir=$2 port=$3 n=$4 rc srv_rc srv want
	shift 4
	snap
	if [ "$dir" == "ns>linux" ]; then
		tool_peer_bg "$OUT/server" -f inet echo-server -b "$PEER_IP:$port" -n "$n" -i 5000 ||
			{ fail "$name" "Linux's echo server did not start: $(<"$OUT/server")"; return 1; }
		ECHO_OUT=$("$TOOL" -f netstack echo-client -p "$PEER_IP:$port" -n "$n" "$@" 2>&1)
		rc=$?
	else
		tool_bg "$OUT/server" -f netstack echo-server -b "$NS_IP:$port" -n "$n" -i 5000 ||
			{ tool_wait 1; fail "$name" "netstack's echo server did not start: $(<"$OUT/server")"; return 1; }
		tool_peer -f inet echo-client -p "$NS_IP:$port" -n "$n" "$@"
		rc=$?
		ECHO_OUT=$PSH_OUT
	fi
	tool_wait
	srv_rc=$?
	srv=$(<"$OUT/server")
	want="echo-client: sent $n received $n bad 0 lost 0 "
	if [ $rc = 0 ] && [ $srv_rc = 0 ] && [[ $ECHO_OUT == *"$want"* ]]; then
		ok "$name"
		diag "$(first_line "$ECHO_OUT" echo-client:)"
		return 0
	fi
	fail "$name" "client (status $rc):"$'\n'"$ECHO_OUT"$'\n'"server (status $srv_rc):"$'\n'"$srv"$'\n'"$(deltas "${UDP_DIAG[@]}")"
	return 1
}

# ---------------------------------------------------------------- echoes

# Before any UDP: both sides know each other (ARP), so that the first
# datagram is not the one to wait for resolution.
ping_ok "Linux pings netstack: 3/3 answered" 3 "${PING_FAST[@]}" "$NS_IP"

echo_run "netstack client -> Linux echo server: $ECHO_N datagrams of 0-1472 bytes, all echoed intact" \
	"ns>linux" 5001 "$ECHO_N" -s 0:1472 -S 1
expect_eq "... counted: udp_tx +$ECHO_N, udp_rx +$ECHO_N, udp_rx_delivered +$ECHO_N, no drops" \
	"udp_tx=+$ECHO_N udp_rx=+$ECHO_N udp_rx_delivered=+$ECHO_N udp_rx_drop_rcvbuf_full=+0 udp_rx_drop_no_memory=+0" \
	"$(deltas udp_tx udp_rx udp_rx_delivered udp_rx_drop_rcvbuf_full udp_rx_drop_no_memory)" \
	"$(deltas "${UDP_DIAG[@]}")"
# The client's unconnected socket was bound to an ephemeral port on send.
if [[ $ECHO_OUT =~ local\ 0\.0\.0\.0:([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 1024 ]; then
	ok "... netstack's client got an ephemeral port (${BASH_REMATCH[1]})"
else
	fail "... netstack's client got an ephemeral port" "$ECHO_OUT"
fi

echo_run "Linux client -> netstack echo server: $ECHO_N datagrams of 0-1472 bytes, all echoed intact" \
	"linux>ns" 5002 "$ECHO_N" -s 0:1472 -S 2
expect_eq "... counted: udp_rx +$ECHO_N, udp_rx_delivered +$ECHO_N, udp_tx +$ECHO_N, no drops" \
	"udp_tx=+$ECHO_N udp_rx=+$ECHO_N udp_rx_delivered=+$ECHO_N udp_rx_drop_rcvbuf_full=+0 udp_rx_drop_no_memory=+0" \
	"$(deltas udp_tx udp_rx udp_rx_delivered udp_rx_drop_rcvbuf_full udp_rx_drop_no_memory)" \
	"$(deltas "${UDP_DIAG[@]}")"

# Connected clients (connect, send, recv), waiting with poll() this time.
echo_run "connected netstack client (poll) -> Linux echo server: 1000 datagrams, all echoed intact" \
	"ns>linux" 5003 1000 -s 0:1472 -S 3 -c -P
echo_run "connected Linux client -> netstack echo server (poll): 1000 datagrams, all echoed intact" \
	"linux>ns" 5004 1000 -s 0:1472 -S 4 -c -P

# ---------------------------------------------------------------- big ones

# 65 507 bytes (the largest: 45 fragments of 1480 bytes) and 4000 bytes
# (3 fragments), 3 and 5 of each, each way: in each direction one side
# fragments 8 datagrams into 150 fragments and the other reassembles them,
# then the echo goes back the same way round.
big_run() {	# big_run NAME DIR PORT
	local name=$1 dir=$2 port=$3 rc1 rc2 out srv srv_rc
	if [ "$dir" == "ns>linux" ]; then
		tool_peer_bg "$OUT/server" -f inet echo-server -b "$PEER_IP:$port" -n 8 -i 5000 ||
			{ fail "$name" "Linux's echo server did not start: $(<"$OUT/server")"; return; }
		out=$("$TOOL" -f netstack echo-client -p "$PEER_IP:$port" -n 3 -s 65507 2>&1)
		rc1=$?
		out+=$'\n'$("$TOOL" -f netstack echo-client -p "$PEER_IP:$port" -n 5 -s 4000 -c 2>&1)
		rc2=$?
	else
		tool_bg "$OUT/server" -f netstack echo-server -b "$NS_IP:$port" -n 8 -i 5000 ||
			{ tool_wait 1; fail "$name" "netstack's echo server did not start: $(<"$OUT/server")"; return; }
		psh "$TOOL -f inet echo-client -p $NS_IP:$port -n 3 -s 65507"
		rc1=$?
		out=$PSH_OUT
		psh "$TOOL -f inet echo-client -p $NS_IP:$port -n 5 -s 4000 -c"
		rc2=$?
		out+=$'\n'$PSH_OUT
	fi
	tool_wait
	srv_rc=$?
	srv=$(<"$OUT/server")
	if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ $srv_rc = 0 ] &&
		[[ $out == *"sent 3 received 3 bad 0 lost 0 bytes 196521 "* ]] &&
		[[ $out == *"sent 5 received 5 bad 0 lost 0 bytes 20000 "* ]]; then
		ok "$name"
	else
		fail "$name" "clients (status $rc1, $rc2):"$'\n'"$out"$'\n'"server (status $srv_rc):"$'\n'"$srv"$'\n'"$(deltas "${UDP_DIAG[@]}")"
	fi
}

snap
big_run "netstack client -> Linux: 3 x 65507 and 5 x 4000 bytes echoed intact" "ns>linux" 5005
big_run "Linux client -> netstack: 3 x 65507 and 5 x 4000 bytes echoed intact" "linux>ns" 5006
# 16 datagrams sent by netstack (8 requests, 8 echoes), 150 fragments for
# each 8; and 16 received and reassembled.
expect_eq "netstack fragmented 16 datagrams into 300 fragments and reassembled 16 (udp and ip counters)" \
	"udp_tx=+16 udp_rx_delivered=+16 ip_tx_fragments_created=+300 ip_reasm_oks=+16 ip_reasm_fails=+0" \
	"$(deltas udp_tx udp_rx_delivered ip_tx_fragments_created ip_reasm_oks ip_reasm_fails)" \
	"$(deltas "${UDP_DIAG[@]}")"

# ---------------------------------------------------------------- closed ports

# Port 9 (discard) is closed on both sides. A connected socket that sends
# there gets the ICMP port unreachable as ECONNREFUSED on its next recv.
snap
tool_peer -f inet closed -p "$NS_IP:9"
rc=$?
if [ $rc = 0 ] && [[ $PSH_OUT == *"recv: ECONNREFUSED"* ]]; then
	ok "connected Linux socket -> closed netstack port: ECONNREFUSED"
else
	fail "connected Linux socket -> closed netstack port: ECONNREFUSED" \
		"status $rc: $PSH_OUT"$'\n'"$(deltas "${UDP_DIAG[@]}")"
fi
expect_eq "... netstack counted it and answered (udp_rx_no_port +1, icmp_tx_dest_unreachable +1)" \
	"udp_rx_no_port=+1 icmp_tx_dest_unreachable=+1" \
	"$(deltas udp_rx_no_port icmp_tx_dest_unreachable)"

snap
out=$("$TOOL" -f netstack closed -p "$PEER_IP:9" 2>&1)
rc=$?
if [ $rc = 0 ] && [[ $out == *"recv: ECONNREFUSED"* ]]; then
	ok "connected netstack socket -> closed Linux port: ECONNREFUSED"
else
	fail "connected netstack socket -> closed Linux port: ECONNREFUSED" \
		"status $rc: $out"$'\n'"$(deltas "${UDP_DIAG[@]}")"
fi
expect_eq "... the ICMP error reached the socket (icmp_rx_errors +1, none unclaimed)" \
	"icmp_rx_errors=+1 icmp_rx_errors_unclaimed=+0" \
	"$(deltas icmp_rx_errors icmp_rx_errors_unclaimed)"

# ---------------------------------------------------------------- overflow

# Linux floods a netstack socket that does not read, with a small
# SO_RCVBUF: whatever netstack's UDP got (udp_rx) and the sink could not
# hold is dropped and counted (udp_rx_drop_rcvbuf_full); the sink then
# reads the rest. Datagrams lost before netstack's UDP (a full veth
# backlog) are in neither count, hence udp_rx and not the number sent.
FLOOD_N=2000
snap
exec {sink_w}<> <(:)
if TOOL_STDIN=/dev/fd/$sink_w tool_bg "$OUT/sink" -f netstack sink -b "$NS_IP:6000" -r 4096 -W -s 1000 -i 500; then
	tool_peer -f inet flood -p "$NS_IP:6000" -n $FLOOD_N -s 1000
	flood_rc=$?
	flood_out=$PSH_OUT
	# Wait until netstack's UDP has stopped counting (the backlog drained).
	prev=-1
	for ((i = 0; i < 50; i++)); do
		_delta udp_rx
		[ "$DELTA_V" == "$prev" ] && break
		prev=$DELTA_V
		nap 0.2
	done
	echo go >&"$sink_w"
	tool_wait
	sink_rc=$?
else
	flood_rc=- flood_out="not run" sink_rc=-
	tool_wait 1
fi
exec {sink_w}>&-
sink_out=$(<"$OUT/sink")
_delta udp_rx
rx=$DELTA_V
_delta udp_rx_drop_rcvbuf_full
full=$DELTA_V
_delta udp_rx_delivered
delivered=$DELTA_V
got=-1
[[ $sink_out =~ sink:\ received\ ([0-9]+)\ .*bad\ 0\ errors\ 0 ]] && got=${BASH_REMATCH[1]}
flood_diag="flood (status $flood_rc): $flood_out"$'\n'"sink (status $sink_rc): $sink_out"$'\n'"$(deltas "${UDP_DIAG[@]}")"
if [ "$flood_rc" = 0 ] && [ "$sink_rc" = 0 ] && [ "$got" -gt 0 ] && [ "$got" -lt "$rx" ]; then
	ok "Linux floods a netstack sink with SO_RCVBUF 4096: it overflows (sink read $got of $rx)"
else
	fail "Linux floods a netstack sink with SO_RCVBUF 4096: it overflows" "$flood_diag"
fi
expect_eq "... udp_rx_drop_rcvbuf_full grew by udp_rx - received ($rx - $got), udp_rx_delivered by received" \
	"udp_rx_drop_rcvbuf_full=+$((rx - got)) udp_rx_delivered=+$got" \
	"udp_rx_drop_rcvbuf_full=+$full udp_rx_delivered=+$delivered" "$flood_diag"

ping_ok "after the flood: Linux pings netstack, 5/5 answered" 5 "${PING_FAST[@]}" "$NS_IP"
echo_run "after the flood: Linux client -> netstack echo server, 100 datagrams echoed" \
	"linux>ns" 5007 100 -s 0:1472 -S 7

rm -rf "$OUT"
done_testing
