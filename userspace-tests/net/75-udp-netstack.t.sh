#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 75-udp-netstack — netstack talks UDP to netstack: two network namespaces,
# each with its own netstack instance attached to its end of a veth, and
# Linux's stack in neither (it has no address there). Echoes of 1000
# random-size datagrams and of 65 507-byte ones each way, every byte
# checked; both instances fragment and reassemble.
#
#   ┌──── netns "nsa": netstack ──────┐        ┌──── netns "nsb": netstack ──────┐
#   │ nsctl link attach veth-nsa      │  veth  │ nsctl link attach veth-nsb      │
#   │ 10.1.0.1/24 on veth-nsa ◄───────┼────────┼──► veth-nsb 10.1.0.2/24         │
#   │ udp-tool -f netstack            │  1500  │ udp-tool -f netstack            │
#   └─────────────────────────────────┘        └─────────────────────────────────┘
#
# nsctl and udp-tool act on the netns they run in: "ip netns exec nsX".
. "$(dirname "$0")/lib.sh"
plan 7

[ -x "$TOOL" ] || bail "$TOOL is missing (make userspace)"
OUT=$(mktemp -d /tmp/netstack-udp.XXXXXX)

topo_teardown
err=$(ip -batch - 2>&1 <<-EOF
	netns add $NSA
	netns add $NSB
	link add $NSA_DEV netns $NSA type veth peer name $NSB_DEV netns $NSB
EOF
) || bail "topology setup failed: $err"
for side in "$NSA $NSA_DEV $NSA_IP" "$NSB $NSB_DEV $NSB_IP"; do
	read -r ns dev ip <<<"$side"
	err=$(ip netns exec "$ns" bash -c "ip link set lo up && ip link set $dev up &&
		$NSCTL link attach $dev && $NSCTL addr add $ip/24 dev $dev" 2>&1) ||
		bail "topology setup in $ns failed: $err"
done

# in_ns NS CMD...: CMD in netns NS.
in_ns() {
	ip netns exec "$@"
}

# stats_of NS: that instance's counters as "name value" lines.
stats_of() {
	in_ns "$1" cat /proc/net/netstack/stats
}

# stat_delta BEFORE AFTER NAME...: "name=+N ..." between two stats_of outputs.
stat_delta() {
	local -A b a
	local k v out=
	while read -r k v; do b[$k]=$v; done <<<"$1"
	while read -r k v; do a[$k]=$v; done <<<"$2"
	shift 2
	for k in "$@"; do
		out+="$k=+$((${a[$k]:-0} - ${b[$k]:-0})) "
	done
	echo "${out% }"
}

DIAG=(udp_tx udp_rx udp_rx_delivered udp_rx_no_port udp_rx_drop_rcvbuf_full
	ip_rx ip_tx ip_tx_fragments_created ip_reasm_oks ip_reasm_fails
	arp_requests_sent arp_replies_received neigh_queue_drop_full link_tx_errors)

# nn_echo NAME CLIENT_NS SERVER_NS SERVER_IP PORT N CLIENT_ARGS...: N
# datagrams from a netstack client in CLIENT_NS to a netstack echo server
# in SERVER_NS; a check.
nn_echo() {
	local name=$1 cns=$2 sns=$3 sip=$4 port=$5 n=$6 out rc srv_rc sa0 sb0
	shift 6
	sa0=$(stats_of "$NSA")
	sb0=$(stats_of "$NSB")
	if ! TOOL_NETNS=$sns tool_bg "$OUT/server" -f netstack echo-server -b "$sip:$port" -n "$n" -i 5000; then
		tool_wait 1
		fail "$name" "the echo server in $sns did not start: $(<"$OUT/server")"
		return 1
	fi
	out=$(in_ns "$cns" "$TOOL" -f netstack echo-client -p "$sip:$port" -n "$n" "$@" 2>&1)
	rc=$?
	tool_wait
	srv_rc=$?
	if [ $rc = 0 ] && [ $srv_rc = 0 ] && [[ $out == *"echo-client: sent $n received $n bad 0 lost 0 "* ]]; then
		ok "$name"
		diag "$(first_line "$out" echo-client:)"
		return 0
	fi
	fail "$name" "client in $cns (status $rc):"$'\n'"$out"$'\n'"server in $sns (status $srv_rc):"$'\n'"$(<"$OUT/server")"$'\n'"$NSA: $(stat_delta "$sa0" "$(stats_of "$NSA")" "${DIAG[@]}")"$'\n'"$NSB: $(stat_delta "$sb0" "$(stats_of "$NSB")" "${DIAG[@]}")"
	return 1
}

nn_echo "netstack in $NSA -> netstack echo server in $NSB: 1000 datagrams of 0-1472 bytes, all echoed intact" \
	"$NSA" "$NSB" "$NSB_IP" 7001 1000 -s 0:1472 -S 11
nn_echo "netstack in $NSB -> netstack echo server in $NSA (connected, poll): 1000 datagrams, all echoed intact" \
	"$NSB" "$NSA" "$NSA_IP" 7002 1000 -s 0:1472 -S 12 -c -P

# 65 507 bytes: 45 fragments each way. 2 datagrams and 2 echoes each way,
# so each instance fragments 4 datagrams (180 fragments) and reassembles 4.
sa0=$(stats_of "$NSA")
sb0=$(stats_of "$NSB")
nn_echo "netstack in $NSA -> $NSB: 2 x 65507 bytes echoed intact" \
	"$NSA" "$NSB" "$NSB_IP" 7003 2 -s 65507
nn_echo "netstack in $NSB -> $NSA: 2 x 65507 bytes echoed intact" \
	"$NSB" "$NSA" "$NSA_IP" 7004 2 -s 65507 -c
want="udp_tx=+4 udp_rx_delivered=+4 ip_tx_fragments_created=+180 ip_reasm_oks=+4 ip_reasm_fails=+0"
have="udp_tx udp_rx_delivered ip_tx_fragments_created ip_reasm_oks ip_reasm_fails"
# shellcheck disable=SC2086	# (word splitting of $have intended)
expect_eq "$NSA's netstack fragmented 4 datagrams into 180 fragments and reassembled 4" \
	"$want" "$(stat_delta "$sa0" "$(stats_of "$NSA")" $have)"
# shellcheck disable=SC2086
expect_eq "$NSB's netstack did the same" \
	"$want" "$(stat_delta "$sb0" "$(stats_of "$NSB")" $have)"

# Linux's own UDP in both namespaces saw none of it.
snmp=$(in_ns "$NSA" cat /proc/net/snmp; in_ns "$NSB" cat /proc/net/snmp)
udp_lines=()
while IFS= read -r line; do
	[[ $line == Udp:\ [0-9]* ]] && udp_lines+=("${line#Udp: }")
done <<<"$snmp"
# InDatagrams NoPorts InErrors OutDatagrams ...: the first four, both netns.
got=
for l in "${udp_lines[@]}"; do
	read -r in noport inerr outd _ <<<"$l"
	got+="$in $noport $inerr $outd; "
done
expect_eq "Linux's UDP in $NSA and $NSB: no datagram in or out (/proc/net/snmp)" \
	"0 0 0 0; 0 0 0 0; " "$got" "$snmp"

rm -rf "$OUT"
done_testing
