#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 86-tcp-netstack — netstack's TCP talks to netstack's TCP: two network
# namespaces, each with its own netstack instance attached to its end of a
# veth, and Linux's stack in neither. Echoes of 1000 messages each way
# round, and 64 MiB each way with SHA-256 match, tcp-tool on both ends.
#
#   ┌──── netns "nsa": netstack ──────┐        ┌──── netns "nsb": netstack ──────┐
#   │ nsctl link attach veth-nsa      │  veth  │ nsctl link attach veth-nsb      │
#   │ 10.1.0.1/24 on veth-nsa ◄───────┼────────┼──► veth-nsb 10.1.0.2/24         │
#   │ tcp-tool -f $NS_FAMILY          │  1500  │ tcp-tool -f $NS_FAMILY          │
#   └─────────────────────────────────┘        └─────────────────────────────────┘
#
# NS_FAMILY=inet: Linux in both namespaces instead (tcp-lib.sh).
#
# timeout: 400
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 6
need_ns_tcp
BULK=${TCP_NN_BULK:-64M}
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
diag "both sides: NS_FAMILY=$NS_FAMILY"

topo_teardown
err=$(ip -batch - 2>&1 <<-EOF
	netns add $NSA
	netns add $NSB
	link add $NSA_DEV netns $NSA type veth peer name $NSB_DEV netns $NSB
EOF
) || bail "topology setup failed: $err"
for side in "$NSA $NSA_DEV $NSA_IP" "$NSB $NSB_DEV $NSB_IP"; do
	read -r ns dev ip <<<"$side"
	err=$({ ip -n "$ns" link set lo up && ip -n "$ns" link set "$dev" up &&
		ns_addr_add -n "$ns" "$dev" "$ip/24"; } 2>&1) ||
		bail "topology setup in $ns failed: $err"
done

# stats_of NS: that side's counters as "name value" lines (netstack), or
# nothing (inet).
stats_of() {
	[ "$NS_FAMILY" = netstack ] || return 0
	ip netns exec "$1" cat "$STATS"
}

# stat_delta BEFORE AFTER: "name=+N ..." for the tcp_* counters that moved.
stat_delta() {
	local -A b a
	local k v out=
	[ "$NS_FAMILY" = netstack ] || { echo "(NS_FAMILY=inet: no netstack counters)"; return; }
	while read -r k v; do [ -z "$k" ] || b[$k]=$v; done <<<"$1"
	while read -r k v; do [ -z "$k" ] || a[$k]=$v; done <<<"$2"
	for k in "${!a[@]}"; do
		[[ $k == tcp_* ]] || continue
		v=$((${a[$k]} - ${b[$k]:-0}))
		[ "$v" = 0 ] || out+="$k=+$v "
	done
	echo "${out:-no tcp_* counter moved}"
}

# nn CLIENT_NS SERVER_NS SERVER_IP PORT SERVER_MODE [ARGS...] --
# CLIENT_MODE [ARGS...]: a tcp-tool server in SERVER_NS and a client in
# CLIENT_NS; sets CLI_OUT, CLI_RC, SRV_OUT, SRV_RC, PAIR_S like pair.
nn() {
	local cns=$1 sns=$2 sip=$3 port=$4 sargs=() sa0 sb0 t0
	shift 4
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		sargs+=("$1")
		shift
	done
	shift
	sa0=$(stats_of "$NSA")
	sb0=$(stats_of "$NSB")
	CLI_OUT="(not run: the server did not start)" CLI_RC=-
	_now_us
	t0=$NOW_US
	if TOOL_NETNS=$sns tool_bg "$OUT/server" -f "$NS_FAMILY" "${sargs[0]}" -b "$sip:$port" "${sargs[@]:1}"; then
		CLI_OUT=$(ip netns exec "$cns" "$TOOL" -f "$NS_FAMILY" "$1" -p "$sip:$port" "${@:2}" 2>&1)
		CLI_RC=$?
	fi
	_now_us
	PAIR_S=$(((NOW_US - t0) / 1000))
	PAIR_S=$((PAIR_S / 1000)).$(printf %03d $((PAIR_S % 1000)))
	tool_wait 30
	SRV_RC=$?
	SRV_OUT=$(<"$OUT/server")
	NN_DIAG="$NSA: $(stat_delta "$sa0" "$(stats_of "$NSA")")"$'\n'"$NSB: $(stat_delta "$sb0" "$(stats_of "$NSB")")"
}

# nn_ok NAME CLIENT_PREFIX [SERVER_PREFIX]: both exited 0; with
# SERVER_PREFIX, the SHA-256s on the two lines are the same.
nn_ok() {
	local cs=x ss=x
	if [ $# = 3 ]; then
		cs=$(sha_of "$CLI_OUT" "$2")
		ss=$(sha_of "$SRV_OUT" "$3")
		[ "$cs" != - ] || ss=y
	fi
	if [ "$CLI_RC" = 0 ] && [ "$SRV_RC" = 0 ] && [ "$cs" = "$ss" ]; then
		ok "$1"
		diag "$(first_line "$CLI_OUT" "$2") [${PAIR_S} s]"
	else
		fail "$1" "client (status $CLI_RC):"$'\n'"$CLI_OUT"$'\n'"server (status $SRV_RC):"$'\n'"$SRV_OUT"$'\n'"$NN_DIAG"
	fi
}

# The first SYN resolves the address (ARP), and a closed port answers it
# with a reset: a connect there fails with ECONNREFUSED. (ping would use
# Linux's stack, which has no address here when NS_FAMILY=netstack.)
check "$NSA connects to a closed port in $NSB: ECONNREFUSED, blocking and non-blocking" \
	ip netns exec "$NSA" "$TOOL" -f "$NS_FAMILY" refused -p "$NSB_IP:9" -T 30

nn "$NSA" "$NSB" "$NSB_IP" 9001 echo-server -n 1 -T 300 -- echo -n 1000 -s 1:65536 -S 1 -T 300
nn_ok "$NSA client -> $NSB echo server: 1000 messages of 1-65536 bytes echoed intact" echo:
nn "$NSB" "$NSA" "$NSA_IP" 9002 echo-server -n 1 -T 300 -- echo -n 1000 -s 1:65536 -S 2 -T 300
nn_ok "$NSB client -> $NSA echo server: 1000 messages of 1-65536 bytes echoed intact" echo:

nn "$NSA" "$NSB" "$NSB_IP" 9011 sink-server -n 1 -T 300 -- send -n "$BULK" -S 11 -T 300
nn_ok "$NSA client sends $BULK to a sink in $NSB: SHA-256 match" send: sink:
nn "$NSA" "$NSB" "$NSB_IP" 9012 source-server -n 1 -m "$BULK" -S 12 -T 300 -- recv -n "$BULK" -T 300
nn_ok "$NSA client receives $BULK from a source in $NSB: SHA-256 match" recv: source:

# Linux's TCP in both namespaces saw none of it (netstack; with inet it
# carried all of it).
if [ "$NS_FAMILY" = netstack ]; then
	snmp=$(ip netns exec "$NSA" cat /proc/net/snmp; ip netns exec "$NSB" cat /proc/net/snmp)
	got=
	while read -r -a l; do
		# Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens
		# AttemptFails EstabResets CurrEstab InSegs OutSegs ...
		[[ ${l[0]} == Tcp: && ${l[1]} =~ ^[0-9]+$ ]] && got+="${l[5]} ${l[6]} ${l[10]} ${l[11]}; "
	done <<<"$snmp"
	expect_eq "Linux's TCP in $NSA and $NSB: no connection, no segment (/proc/net/snmp)" \
		"0 0 0 0; 0 0 0 0; " "$got" "$snmp"
else
	skip "Linux's TCP in $NSA and $NSB: no connection, no segment" "NS_FAMILY=inet: Linux's TCP carried it all"
fi

rm -rf "$OUT"
done_testing
