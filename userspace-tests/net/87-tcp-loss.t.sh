#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 87-tcp-loss — netstack's TCP against Linux's over a veth that loses 2 %
# of the frames (tc netem): 64 MiB each way and echoes arrive intact
# (SHA-256 match), and netstack's counters show that it retransmitted.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns       │  veth  │                             │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ qdisc netem loss 2% (egress)    │        │ qdisc netem loss 2% (egress)│
#   │ tcp-tool -f $NS_FAMILY          │        │ tcp-tool -f inet            │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# Loss on Linux's end alone drops only what Linux sends: Linux's data, and
# the ACKs for netstack's data, which later cumulative ACKs make up for,
# so netstack itself would seldom have to retransmit anything. netstack
# transmits through dev_queue_xmit(), so a netem qdisc on veth-ns drops
# its segments too; TSO is off on veth-ns so that it drops segments and
# not netstack's 64 KiB GSO packets. TCP_LOSS_ENDS=linux keeps to Linux's
# end alone.
#
# NS_FAMILY=inet puts Linux's own stack where netstack is (tcp-lib.sh); the
# counter check is then skipped, with what Linux counted (RetransSegs).
#
# timeout: 600
NS_FAMILY=${NS_FAMILY:-netstack}
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 6
need_ns_tcp
BULK=${TCP_LOSS_BULK:-64M}
LOSS=${TCP_LOSS:-2%}
LOSS_ENDS=${TCP_LOSS_ENDS:-both}	# both | linux
tcp_topo_setup
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
diag "netstack's side: NS_FAMILY=$NS_FAMILY; loss $LOSS on: $LOSS_ENDS"

# Neighbours first, without loss: the checks are about TCP, not ARP.
psh "ping -n -c 2 -i 0.05 -W 2 $NS_IP"
ns_tso_off

psh "tc qdisc add dev $PEER_DEV root netem loss $LOSS"
rc=$?
out=$PSH_OUT
if [ $rc = 0 ] && [ "$LOSS_ENDS" = both ]; then
	out=$(tc qdisc add dev "$NS_DEV" root netem loss "$LOSS" 2>&1)
	rc=$?
fi
if [ $rc = 0 ]; then
	ok "netem loss $LOSS on $PEER_DEV$([ "$LOSS_ENDS" = both ] && echo " and $NS_DEV")"
else
	fail "netem loss $LOSS on $PEER_DEV$([ "$LOSS_ENDS" = both ] && echo " and $NS_DEV")" "$out"
	bail "no loss, nothing to test"
fi

# The retransmissions of all that follows count at the end.
ns_snap
psh "cat /proc/net/snmp"
declare -A peer0 peer1
_tcp_snmp peer0 "$PSH_OUT"

pair "ns>linux" 8101 sink-server -n 1 -T 500 -- send -n "$BULK" -S 101 -T 500
pair_sha_ok "netstack client sends $BULK to a Linux sink over $LOSS loss: SHA-256 match" send: sink:
pair "linux>ns" 8102 sink-server -n 1 -T 500 -- send -n "$BULK" -S 102 -T 500
pair_sha_ok "Linux client sends $BULK to a netstack sink over $LOSS loss: SHA-256 match" send: sink:
# Small messages: a lost one has no later segment to reveal it.
pair "ns>linux" 8103 echo-server -n 1 -T 300 -- echo -n 200 -s 1:4000 -S 103 -T 300
pair_ok "netstack client -> Linux echo server over $LOSS loss: 200 messages echoed intact" echo
pair "linux>ns" 8104 echo-server -n 1 -T 300 -- echo -n 200 -s 1:4000 -S 104 -T 300
pair_ok "Linux client -> netstack echo server over $LOSS loss: 200 messages echoed intact" echo

# Linux's RetransSegs on its end, for the record.
psh "cat /proc/net/snmp"
_tcp_snmp peer1 "$PSH_OUT"
diag "Linux in netns $PEER retransmitted $((${peer1[RetransSegs]:-0} - ${peer0[RetransSegs]:-0})) segments (Tcp RetransSegs)"

if [ "$NS_FAMILY" = netstack ]; then
	if _delta tcp_retransmits; then
		n=$DELTA_V
		if [ "$n" -gt 0 ]; then
			ok "netstack counted its retransmissions: tcp_retransmits +$n"
		else
			fail "netstack counted its retransmissions: tcp_retransmits +$n" \
				"netstack's TCP retransmitted nothing that it counted over $LOSS loss"$'\n'"$(ns_diag)"
		fi
	else
		fail "netstack counted its retransmissions (tcp_retransmits)" \
			"$STATS has no tcp_retransmits counter; its tcp_* counters: $(grep '^tcp_' "$STATS" | tr '\n' ' ')"
	fi
else
	skip "netstack counted its retransmissions (tcp_retransmits)" \
		"NS_FAMILY=inet, no netstack; Linux on that side: Tcp RetransSegs +$(snmp_delta RetransSegs)"
fi

rm -rf "$OUT"
done_testing
