#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 85-tcp — netstack's TCP against Linux's over a veth, both ways round
# (netstack's client to Linux's server, and Linux's client to netstack's
# server), with tcp-tool on both ends: echoes, bulk transfers with SHA-256
# match, 200 concurrent connections, half-close, refused connects, resets
# for unread data, backlog overflow, non-blocking connect and accept.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns       │  veth  │                             │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ tcp-tool -f $NS_FAMILY          │        │ tcp-tool -f inet            │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# NS_FAMILY=inet puts Linux's own stack where netstack is (tcp-lib.sh):
# Linux against Linux, the proof of the checks themselves.
#
# Every check runs a tcp-tool server in the background and a client on
# the other side; each of them checks what it sees (every byte of every
# stream, SHA-256 of it, errno values) and exits non-zero otherwise.
#
# timeout: 1800
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 27
need_ns_tcp
BULK=${TCP_BULK:-256M}		# each bulk transfer
CONC_BYTES=${TCP_CONC_BYTES:-512K}	# each way, each of the 200 connections
tcp_topo_setup
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
diag "netstack's side: NS_FAMILY=$NS_FAMILY"

check "tcp-tool selftest: SHA-256 test vectors, the stream" "$TOOL" selftest
# Both sides know each other (ARP) before the first SYN.
ping_ok "Linux pings netstack's side: 3/3 answered" 3 "${PING_FAST[@]}" "$NS_IP"

# ---------------------------------------------------------------- echo

ns_snap
pair "ns>linux" 8001 echo-server -n 1 -T 300 -- echo -n 1000 -s 1:65536 -S 1 -T 300
pair_ok "netstack client -> Linux echo server: 1000 messages of 1-65536 bytes echoed intact" echo
ns_snap
pair "linux>ns" 8002 echo-server -n 1 -T 300 -- echo -n 1000 -s 1:65536 -S 2 -T 300
pair_ok "Linux client -> netstack echo server: 1000 messages of 1-65536 bytes echoed intact" echo

# ---------------------------------------------------------------- bulk
#
# Each data direction with each side as the client: the client sends to a
# sink (which answers with the SHA-256 of what it read), or reads a
# source's stream to its EOF.

ns_snap
pair "ns>linux" 8011 sink-server -n 1 -T 800 -- send -n "$BULK" -S 11 -T 800
pair_sha_ok "netstack client sends $BULK to a Linux sink: SHA-256 match" send: sink:
# Where the link takes TSO (veth's default), a bulk send leaves as GSO
# packets of many segments each, up to 45: a push per segment copied
# would send most alone.
# gso_packets_ok NAME: netstack handed the link 8 or more segments per
# packet since ns_snap.
gso_packets_ok() {
	local segs pkts
	segs=$(delta tcp_tx) pkts=$(delta link_tx)
	if [ "$pkts" -gt 0 ] && [ $((segs / pkts)) -ge 8 ]; then
		ok "$1"
		diag "tcp_tx +$segs segments in link_tx +$pkts packets"
	else
		fail "$1" "tcp_tx +$segs segments in link_tx +$pkts packets"
	fi
}
name="netstack's bulk send: at least 8 segments per packet on a TSO link"
if [ "$NS_FAMILY" != netstack ]; then
	skip "$name" "NS_FAMILY=$NS_FAMILY"
elif ! ethtool -k "$NS_DEV" 2>/dev/null | grep -q '^tcp-segmentation-offload: on'; then
	skip "$name" "TSO is off on $NS_DEV"
else
	gso_packets_ok "$name"
fi
# With TSO and GSO off but scatter-gather on (the benchmark's per-packet
# parity), netstack builds GSO packets all the same, as Linux's TCP does,
# and the core splits them in software before the driver: the stream
# arrives intact, and netstack handed the link far fewer packets than
# segments.
ethtool -K "$NS_DEV" tso off gso off >/dev/null 2>&1
ns_snap
pair "ns>linux" 8015 sink-server -n 1 -T 800 -- send -n "$BULK" -S 15 -T 800
pair_sha_ok "tso and gso off: netstack client sends $BULK to a Linux sink: SHA-256 match" send: sink:
name="tso and gso off: netstack's bulk send still leaves as GSO packets (8+ segments each), split by the core"
if [ "$NS_FAMILY" != netstack ]; then
	skip "$name" "NS_FAMILY=$NS_FAMILY"
else
	gso_packets_ok "$name"
fi
ethtool -K "$NS_DEV" tso on gso on >/dev/null 2>&1
ns_snap
pair "linux>ns" 8012 sink-server -n 1 -T 800 -- send -n "$BULK" -S 12 -T 800
pair_sha_ok "Linux client sends $BULK to a netstack sink: SHA-256 match" send: sink:
# Segments that arrive in order while earlier data waits unread join the
# receive queue's last skb (Linux's TCPRcvCoalesce), so that the reader
# walks and frees one skb per run of them.
name="netstack's bulk receive: in-order segments joined waiting data (tcp_rcv_coalesce)"
if [ "$NS_FAMILY" != netstack ]; then
	skip "$name" "NS_FAMILY=$NS_FAMILY"
else
	coalesced=$(delta tcp_rcv_coalesce) segs=$(delta tcp_rx)
	if [ "$coalesced" -gt 0 ] && [ $((coalesced * 4)) -ge "$segs" ]; then
		ok "$name"
		diag "tcp_rcv_coalesce +$coalesced of tcp_rx +$segs segments"
	else
		fail "$name" "tcp_rcv_coalesce +$coalesced of tcp_rx +$segs segments"
	fi
fi
ns_snap
pair "ns>linux" 8013 source-server -n 1 -m "$BULK" -S 13 -T 800 -- recv -n "$BULK" -T 800
pair_sha_ok "netstack client receives $BULK from a Linux source: SHA-256 match" recv: source:
ns_snap
pair "linux>ns" 8014 source-server -n 1 -m "$BULK" -S 14 -T 800 -- recv -n "$BULK" -T 800
pair_sha_ok "Linux client receives $BULK from a netstack source: SHA-256 match" recv: source:

# ---------------------------------------------------------------- concurrency
#
# 200 connections opened at once by one process (non-blocking connects,
# epoll), each moving 1 MiB: 512 KiB through an echo server and back,
# every byte checked. (200 Linux flows on one emulated CPU see RTOs stall
# a flow for tens of seconds: hence the servers' long idle time.)

ns_snap
pair "ns>linux" 8021 echo-server -n 200 -i 300000 -T 900 -- concurrent -c 200 -n "$CONC_BYTES" -d both -S 21 -T 900
pair_ok "netstack client: 200 concurrent connections to a Linux echo server, $CONC_BYTES each way each" concurrent
ns_snap
pair "linux>ns" 8022 echo-server -n 200 -i 300000 -T 900 -- concurrent -c 200 -n "$CONC_BYTES" -d both -S 22 -T 900
pair_ok "Linux client: 200 concurrent connections to a netstack echo server, $CONC_BYTES each way each" concurrent

# ---------------------------------------------------------------- half-close
#
# The client sends 1 MiB and shuts down writing (a send then fails with
# EPIPE); the server reads to that EOF and only then sends 4 MiB and closes.
# The SHA-256 each way is compared between the two ends.

halfclose_check() {	# NAME
	local line cs=() ss=()
	line=$(first_line "$CLI_OUT" halfclose:)
	[[ $line =~ sha256\ ([0-9a-f]{64}).*sha256\ ([0-9a-f]{64}) ]] &&
		cs=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
	line=$(first_line "$SRV_OUT" "halfclose: connection")
	[[ $line =~ sha256\ ([0-9a-f]{64}).*sha256\ ([0-9a-f]{64}) ]] &&
		ss=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
	if [ "$CLI_RC" = 0 ] && [ "$SRV_RC" = 0 ] && [ ${#cs[@]} = 2 ] &&
		[ "${cs[*]}" = "${ss[*]}" ]; then
		ok "$1"
		diag "$(first_line "$CLI_OUT" halfclose:) [${PAIR_S} s]"
	else
		fail "$1" "SHA-256 sent/received: client ${cs[*]:--}, server ${ss[*]:--}"$'\n'"$(pair_diag)"
	fi
}
ns_snap
pair "ns>linux" 8031 halfclose-server -n 1 -m 4M -S 31 -- halfclose -n 1M -m 4M -S 32
halfclose_check "netstack client shuts down writing after 1 MiB; Linux then sends 4 MiB: all arrives, EOF"
ns_snap
pair "linux>ns" 8032 halfclose-server -n 1 -m 4M -S 33 -- halfclose -n 1M -m 4M -S 34
halfclose_check "Linux client shuts down writing after 1 MiB; netstack then sends 4 MiB: all arrives, EOF"

# ---------------------------------------------------------------- refused
#
# Port 9 is closed on both sides: the blocking connect fails with
# ECONNREFUSED, the non-blocking one with EINPROGRESS and then SO_ERROR
# ECONNREFUSED when epoll reports it.

ns_snap
out=$("$TOOL" -f "$NS_FAMILY" refused -p "$PEER_IP:9" -T 30 2>&1)
rc=$?
if [ $rc = 0 ]; then
	ok "netstack connects to a closed Linux port: ECONNREFUSED, blocking and non-blocking"
	diag "$out"
else
	fail "netstack connects to a closed Linux port: ECONNREFUSED, blocking and non-blocking" \
		"status $rc: $out"$'\n'"$(ns_diag)"
fi
ns_snap
psh "$TOOL -f inet refused -p $NS_IP:9 -T 30"
rc=$?
if [ $rc = 0 ]; then
	ok "Linux connects to a closed netstack port: ECONNREFUSED, blocking and non-blocking"
	diag "$PSH_OUT"
else
	fail "Linux connects to a closed netstack port: ECONNREFUSED, blocking and non-blocking" \
		"status $rc: $PSH_OUT"$'\n'"$(ns_diag)"
fi

# ---------------------------------------------------------------- reset
#
# The client sends 1000 bytes; the server, once they arrived, closes without
# reading them, which resets the connection (RFC 2525 2.17): the client's
# recv fails with ECONNRESET, a send after it with EPIPE.

ns_snap
pair "ns>linux" 8041 unread-server -n 1 -T 60 -- reset -n 1000 -T 60
pair_ok "netstack client's data left unread by Linux's close: recv ECONNRESET, then send EPIPE" reset
ns_snap
pair "linux>ns" 8042 unread-server -n 1 -T 60 -- reset -n 1000 -T 60
pair_ok "Linux client's data left unread by netstack's close: recv ECONNRESET, then send EPIPE" reset

# ---------------------------------------------------------------- backlog
#
# listen(fd, 1) and no accept: 8 connects, one at a time, each given
# 500 ms. Linux completes backlog + 1 = 2 of them and drops the SYNs of the
# rest (no reset), which then retry; once the server accepts (a connection
# to PORT+1 tells it to), all 8 complete and carry data.

backlog_check() {	# NAME
	local line
	line=$(first_line "$CLI_OUT" backlog:)
	if [ "$CLI_RC" = 0 ] && [ "$SRV_RC" = 0 ]; then
		ok "$1"
		diag "$line [${PAIR_S} s]"
	else
		fail "$1" "$(pair_diag)"
	fi
}
ns_snap
pair "ns>linux" 8051 backlog-server -B 1 -n 8 -i 60000 -T 120 -- backlog -c 8 -B 1 -w 500 -T 120
backlog_check "netstack client, Linux listener with backlog 1: 1-2 of 8 connect, none refused; all 8 once it accepts"
ns_snap
pair "linux>ns" 8053 backlog-server -B 1 -n 8 -i 60000 -T 120 -- backlog -c 8 -B 1 -w 500 -T 120
backlog_check "Linux client, netstack listener with backlog 1: 1-2 of 8 connect, none refused; all 8 once it accepts"

# ---------------------------------------------------------------- non-blocking
#
# 20 non-blocking connects at once, driven by epoll: each EINPROGRESS,
# then EPOLLOUT with SO_ERROR 0 and the right getpeername, then 100 000
# bytes echoed; the server accepts non-blocking (accept4 SOCK_NONBLOCK)
# when epoll says the listener is readable.

ns_snap
pair "ns>linux" 8061 echo-server -n 20 -T 120 -- nbconnect -c 20 -n 100000 -S 61 -T 120
pair_ok "netstack: 20 non-blocking connects with epoll (EINPROGRESS, EPOLLOUT, SO_ERROR 0) to Linux's epoll server" nbconnect
ns_snap
pair "linux>ns" 8062 echo-server -n 20 -T 120 -- nbconnect -c 20 -n 100000 -S 62 -T 120
pair_ok "Linux: 20 non-blocking connects with epoll to netstack's epoll server (non-blocking accept4)" nbconnect

# ---------------------------------------------------------------- nsctl sockets
#
# A netstack echo server and a connection to it from Linux's bash
# (/dev/tcp), held open: nsctl sockets tcp lists the listener and the
# accepted connection, whose peer port is the one ss shows on Linux's end.

if [ "$NS_FAMILY" = netstack ]; then
	tool_bg "$OUT/server" -f netstack echo-server -b "$NS_IP:8071" -n 1 -T 60
	psh "exec 7<>/dev/tcp/$NS_IP/8071 && ss -tnH state established '( dport = :8071 )'"
	lport=-
	[[ $PSH_OUT =~ $PEER_IP:([0-9]+)[[:space:]]+$NS_IP:8071 ]] && lport=${BASH_REMATCH[1]}
	rows=$(nsctl sockets tcp 2>&1)
	if [ "$lport" != - ] &&
		[[ $rows =~ tcp\ +LISTEN\ +0\ +[0-9]+\ +$NS_IP:8071\ +0\.0\.0\.0:\* ]] &&
		[[ $rows =~ tcp\ +ESTAB\ +[0-9]+\ +[0-9]+\ +$NS_IP:8071\ +$PEER_IP:$lport ]]; then
		ok "nsctl sockets tcp: the listener on $NS_IP:8071 and the connection from $PEER_IP:$lport (ss's port)"
	else
		fail "nsctl sockets tcp: the listener on $NS_IP:8071 and the connection from Linux's port" \
			"ss on Linux's end: $PSH_OUT"$'\n'"nsctl sockets tcp:"$'\n'"$rows"
	fi
	psh "exec 7>&-"
	tool_wait 30 || diag "the echo server: $(<"$OUT/server")"
else
	skip "nsctl sockets tcp: the listener and the connection" "NS_FAMILY=inet: no netstack"
fi

# ---------------------------------------------------------------- after

ping_ok "after: Linux pings netstack's side, 5/5 answered" 5 "${PING_FAST[@]}" "$NS_IP"
if [ "$NS_FAMILY" = netstack ]; then
	# Nothing but TIME-WAIT may be left of all these connections.
	left=$(nsctl sockets tcp 2>&1 | grep -v -e TIME-WAIT -e '^State' -e '^Netid')
	expect_eq "netstack has no TCP socket left but those in TIME-WAIT (nsctl sockets tcp)" "" "$left"
else
	skip "netstack has no TCP socket left but those in TIME-WAIT" "NS_FAMILY=inet: no netstack"
fi

rm -rf "$OUT"
done_testing
