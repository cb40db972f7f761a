#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 91-tcp-impair — netstack's TCP against Linux's over an impaired veth
# (tc netem): 1 % and 5 % loss, 25 % reordering, 1 % duplication, 50 ms
# delay. Per impairment, TCP_IMPAIR_BYTES (64 MiB by default) each way,
# SHA-256 match, and how each sender recovered: netstack's tcp_timeouts
# against tcp_fast_retransmits when it sends, Linux's TcpExt TCPTimeouts
# against TCPFastRetrans (and TCPLossProbes) when Linux sends. The counts
# are reported, not judged (SACK recovery should keep RTOs rare); a check
# passes when the SHA-256 matches and the sender's counters were read.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns       │  veth  │                             │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ qdisc netem IMPAIRMENT (egress) │        │ qdisc netem IMPAIRMENT      │
#   │ tcp-tool -f $NS_FAMILY          │        │ tcp-tool -f inet, no TSO/GSO│
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# As in 87, the impairment is on both ends by default: on Linux's end alone
# it would hit only Linux's data and the ACKs of netstack's data, and
# netstack's sender would hardly ever have to recover (netstack transmits
# through dev_queue_xmit(), so a netem qdisc on veth-ns applies to it).
# TCP_IMPAIR_ENDS=linux keeps to Linux's end. TSO/GSO are off on both
# veths, so that netem impairs segments and not 64 KiB GSO packets (one
# lost GSO packet would be some 45 segments lost at once); netstack sends
# GSO packets only where the link has TSO.
#
# Under emulation 8 MiB each way takes some 10 minutes for the ten
# transfers (two of which stall on main, see the report); 64 MiB some 8
# times that: `vm/run --timeout 3600 -- userspace-tests/net/run.sh 91`.
#
# NS_FAMILY=inet puts Linux's own stack where netstack is (tcp-lib.sh);
# netstack's counters are then Linux's TcpExt on that side.
#
# timeout: 3600
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
IMPAIRMENTS=("loss 1%" "loss 5%" "delay 10ms reorder 25%" "duplicate 1%" "delay 50ms")
plan 10
need_ns_tcp
BYTES=${TCP_IMPAIR_BYTES:-64M}
ENDS=${TCP_IMPAIR_ENDS:-both}	# both | linux
tcp_topo_setup
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
diag "netstack's side: NS_FAMILY=$NS_FAMILY; $BYTES each way; netem on: $ENDS"

# Neighbours first, without impairment: the checks are about TCP, not ARP.
psh "ping -n -c 2 -i 0.05 -W 2 $NS_IP; ethtool -K $PEER_DEV tso off gso off"
ns_tso_off

# _tcpext ARRAY TEXT: the TcpExt counters by name from TEXT (what
# /proc/net/netstat said).
_tcpext() {
	local -n _tx=$1
	local names=() vals=() i l
	_tx=()
	while read -r -a l; do
		[ "${l[0]}" = TcpExt: ] || continue
		if [ ${#names[@]} = 0 ]; then
			names=("${l[@]}")
		else
			vals=("${l[@]}")
		fi
	done <<<"$2"
	for ((i = 1; i < ${#names[@]}; i++)); do
		_tx["${names[i]}"]=${vals[i]}
	done
}

# Counters before and after: Linux's end (lx), netstack's side when it is
# Linux too (ns, NS_FAMILY=inet).
# shellcheck disable=SC2034	# (used through namerefs)
declare -A lx0 lx1 ns0 ns1
SENDER=''

# sender_snap DIR: remember the sending side's counters.
sender_snap() {
	if [ "$1" = "ns>linux" ]; then
		if [ "$NS_FAMILY" = netstack ]; then
			snap
		else
			_tcpext ns0 "$(cat /proc/net/netstat)"
		fi
	else
		psh "cat /proc/net/netstat"
		_tcpext lx0 "$PSH_OUT"
	fi
}

# sender_counts DIR: what the sending side counted since sender_snap, in
# SENDER; 1 if the counters could not be read.
sender_counts() {
	local k
	if [ "$1" = "ns>linux" ] && [ "$NS_FAMILY" = netstack ]; then
		SENDER="netstack sender:"
		for k in tcp_timeouts tcp_fast_retransmits tcp_retransmits; do
			_delta "$k" || { SENDER="$STATS: $DELTA_V"; return 1; }
			SENDER+=" $k +$DELTA_V"
		done
		return 0
	fi
	if [ "$1" = "ns>linux" ]; then
		SENDER="Linux (NS_FAMILY=inet) sender:"
		_tcpext ns1 "$(cat /proc/net/netstat)"
		local -n _a=ns0 _b=ns1
	else
		SENDER="Linux sender:"
		psh "cat /proc/net/netstat" || { SENDER="/proc/net/netstat in $PEER: $PSH_OUT"; return 1; }
		_tcpext lx1 "$PSH_OUT"
		local -n _a=lx0 _b=lx1
	fi
	for k in TCPTimeouts TCPFastRetrans TCPLossProbes; do
		[ -n "${_b[$k]:-}" ] || { SENDER="no TcpExt $k in /proc/net/netstat"; return 1; }
		# shellcheck disable=SC2004	# (the default needs the ${})
		SENDER+=" $k +$((_b[$k] - ${_a[$k]:-0}))"
	done
}

# netem_set IMPAIRMENT: the qdisc on the ends ENDS says (replacing any);
# its errors in NETEM_ERR.
NETEM_ERR=''
netem_set() {
	psh "tc qdisc replace dev $PEER_DEV root netem $1" || { NETEM_ERR=$PSH_OUT; return 1; }
	[ "$ENDS" = both ] || return 0
	# shellcheck disable=SC2086	# (IMPAIRMENT is netem's words)
	NETEM_ERR=$(tc qdisc replace dev "$NS_DEV" root netem $1 2>&1)
}

# transfer DIR PORT IMP: BYTES one way, SHA-256 compared, sender's counters.
transfer() {
	local dir=$1 port=$2 imp=$3 name
	name="$([ "$dir" = "ns>linux" ] && echo "netstack -> Linux" || echo "Linux -> netstack"): $BYTES over netem $imp ($ENDS)"
	sender_snap "$dir"
	ns_snap
	pair "$dir" "$port" sink-server -n 1 -T 900 -- send -n "$BYTES" -S "$port" -T 900
	if ! sender_counts "$dir"; then
		fail "$name: SHA-256 match, sender's counters read" "counters: $SENDER"$'\n'"$(pair_diag)"
		return
	fi
	pair_sha_ok "$name: SHA-256 match" send: sink:
	diag "$SENDER"
}

port=9101
for imp in "${IMPAIRMENTS[@]}"; do
	if ! netem_set "$imp"; then
		fail "netstack -> Linux over netem $imp" "tc qdisc netem $imp: $NETEM_ERR"
		fail "Linux -> netstack over netem $imp" "tc qdisc netem $imp: $NETEM_ERR"
		port=$((port + 2))
		continue
	fi
	transfer "ns>linux" "$port" "$imp"
	transfer "linux>ns" $((port + 1)) "$imp"
	port=$((port + 2))
done

rm -rf "$OUT"
done_testing
