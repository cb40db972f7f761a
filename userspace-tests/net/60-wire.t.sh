#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 60-wire — bad input on the wire: hand-built broken Ethernet, IPv4, ARP,
# ICMP frames and fragment floods sent at netstack through a raw AF_PACKET
# socket on Linux's end; each class must be dropped and counted under its
# own counter, and netstack must still answer pings afterwards. Odd but
# valid frames (Ethernet padding, IP options, fragments in reverse, UDP to
# a closed port, an unknown protocol) must get the right answer, which
# inject.py receives and checks.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ◄───────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ /proc/net/netstack/stats        │        │   inject.py (AF_PACKET,     │
#   │                                 │        │   --serve), ping            │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# inject.py runs once, as a server: this script writes "CLASS COUNT" to it
# and reads "sent CLASS COUNT" back, then reads the counters. The fragment
# flood goes first so that its 2000 queues time out (30 s) while the other
# classes run; the last check waits for that.
. "$(dirname "$0")/lib.sh"
plan 38
topo_setup

INJ_PID=
inject_start() {
	exec {inj_w}<> <(:) {inj_r}<> <(:)
	ip netns exec "$PEER" "$PY" -u "$NET_DIR/inject.py" --serve \
		"$PEER_DEV" "$NS_MAC" "$PEER_IP" "$NS_IP" <&"$inj_w" >&"$inj_r" 2>&1 &
	INJ_PID=$!
}

inject_stop() {
	[ -n "$INJ_PID" ] || return 0
	echo quit >&"$inj_w"
	kill "$INJ_PID" 2>/dev/null
	wait "$INJ_PID" 2>/dev/null
	INJ_PID=
}
trap 'inject_stop; topo_teardown' EXIT

# inject CLASS COUNT: send; the injector's answer in INJ_ANSWER ("sent
# CLASS COUNT", and for classes that must be answered, what became of it).
INJ_ANSWER=
inject() {
	INJ_ANSWER=
	echo "$1 $2" >&"$inj_w"
	IFS= read -r -t 60 INJ_ANSWER <&"$inj_r"
	[[ $INJ_ANSWER == "sent $1 $2" || $INJ_ANSWER == "sent $1 $2 "* ]]
}

# drop_class CLASS COUNT COUNTER: COUNT frames of CLASS grow COUNTER by
# exactly COUNT.
drop_class() {
	local class=$1 count=$2 counter=$3 name="$1 x$2: $3 +$2"
	snap
	if ! inject "$class" "$count"; then
		fail "$name" "injector: ${INJ_ANSWER:-no answer}"
		return
	fi
	wait_delta "$counter" "$count"
	_delta "$counter"
	if [ "$DELTA_V" == "$count" ]; then
		ok "$name"
	else
		fail "$name" "$counter grew by $DELTA_V"$'\n'"$(deltas link_rx link_rx_passed_to_linux \
			ip_rx arp_rx icmp_rx ip_rx_delivered ip_rx_drop_truncated ip_rx_drop_bad_version \
			ip_rx_drop_bad_ihl ip_rx_drop_bad_total_length ip_rx_drop_bad_checksum \
			ip_rx_drop_bad_options ip_rx_drop_bad_source icmp_rx_drop_bad_checksum \
			arp_rx_drop_malformed arp_rx_drop_bogus_sender ip_reasm_reqds ip_reasm_fails \
			ip_reasm_overlap ip_reasm_duplicate ip_reasm_malformed ip_reasm_oversize)"
	fi
}

peer_mac=$(peer_mac_of "$PEER_DEV")
ping_ok "before: Linux pings netstack, 10/10 answered" 10 "${PING_FAST[@]}" "$NS_IP"

inject_start
# answered CLASS NAME: one frame of CLASS gets its answer from netstack,
# and inject.py found the answer right (checksums, lengths, echoed data or
# quoted header).
answered() {
	local class=$1 name=$2
	snap
	if inject "$class" 1 && [[ $INJ_ANSWER == "sent $class 1 replied" ]]; then
		ok "$name"
	else
		fail "$name" "injector: ${INJ_ANSWER:-no answer}"$'\n'"$(deltas ip_rx ip_rx_delivered \
			ip_rx_drop_bad_options icmp_rx icmp_rx_echo_requests icmp_tx_echo_replies \
			icmp_tx_dest_unreachable icmp_tx_rate_limited ip_reasm_oks ip_tx link_tx)"
	fi
}

# The control: a valid echo request built by inject.py is answered, so
# what the classes below break is the only thing wrong with them.
answered icmp-echo "control: inject.py's well-formed echo request is answered, correctly"

replies0=$(stat icmp_tx_echo_replies)
timeouts0=$(stat ip_reasm_timeout)

# Fragments of datagrams that never complete: 2000 first fragments of
# distinct datagrams, then 5 datagrams with a duplicate fragment.
FLOOD=2000
snap
if inject frag-flood $FLOOD && wait_delta ip_reasm_reqds $FLOOD 20; then
	expect_eq "frag-flood x$FLOOD: all queued (ip_reasm_reqds +$FLOOD, no oks, fails or memory drops)" \
		"ip_reasm_reqds=+$FLOOD ip_reasm_oks=+0 ip_reasm_fails=+0 ip_reasm_memory=+0" \
		"$(deltas ip_reasm_reqds ip_reasm_oks ip_reasm_fails ip_reasm_memory)"
else
	fail "frag-flood x$FLOOD: all queued (ip_reasm_reqds +$FLOOD, no oks, fails or memory drops)" \
		"injector: ${INJ_ANSWER:-no answer}; $(deltas ip_reasm_reqds ip_reasm_oks ip_reasm_fails ip_reasm_memory)"
fi
drop_class frag-duplicate 5 ip_reasm_duplicate
drop_class frag-overlap 5 ip_reasm_overlap
drop_class frag-malformed 6 ip_reasm_malformed
drop_class frag-oversize 4 ip_reasm_oversize

drop_class ip-truncated 8 ip_rx_drop_truncated
drop_class ip-bad-checksum 8 ip_rx_drop_bad_checksum
drop_class ip-ihl-short 10 ip_rx_drop_bad_ihl
drop_class ip-ihl-long 10 ip_rx_drop_bad_ihl
drop_class ip-totlen-long 8 ip_rx_drop_bad_total_length
drop_class ip-totlen-short 8 ip_rx_drop_bad_total_length
drop_class ip-bad-version 4 ip_rx_drop_bad_version
drop_class ip-bad-options 4 ip_rx_drop_bad_options
drop_class ip-bad-source 3 ip_rx_drop_bad_source
drop_class icmp-bad-checksum 8 icmp_rx_drop_bad_checksum

drop_class arp-bad-hrd 3 arp_rx_drop_malformed
drop_class arp-bad-pro 2 arp_rx_drop_malformed
drop_class arp-bad-len 4 arp_rx_drop_malformed
drop_class arp-bad-op 4 arp_rx_drop_malformed
drop_class arp-truncated 4 arp_rx_drop_malformed
drop_class arp-mcast-sender 4 arp_rx_drop_bogus_sender
drop_class arp-bogus-sender-ip 3 arp_rx_drop_bogus_sender
drop_class arp-own-mac 2 arp_rx_drop_bogus_sender

expect_eq "no echo reply to any of it" 0 $(($(stat icmp_tx_echo_replies) - replies0))
# The bogus ARP claimed 10.0.0.1 from other MACs: the entry must not move.
line=$(first_line "$(nsctl neigh show 2>&1)" "$PEER_IP ")
if [[ $line =~ ^$PEER_IP\ dev\ $NS_DEV\ lladdr\ $peer_mac\ (REACHABLE|STALE)$ ]]; then
	ok "netstack's entry for $PEER_IP still has Linux's MAC"
else
	fail "netstack's entry for $PEER_IP still has Linux's MAC" "nsctl neigh show: '$line'"
fi

# Odd but valid: answered, and right.
answered icmp-echo-padded "an echo request with bytes past its total length: answered without them"
answered icmp-echo-options "an echo request with IP options: answered"
answered frag-echo-reversed "an echo request in 3 fragments sent last first: reassembled and answered"
answered udp-closed-port "UDP to a closed port: ICMP port unreachable, quoting the datagram"
expect_eq "... counted (icmp_tx_dest_unreachable +1)" 1 "$(delta icmp_tx_dest_unreachable)"
answered ip-unknown-protocol "an unknown protocol: ICMP protocol unreachable, quoting the datagram"
expect_eq "... counted (ip_rx_drop_unknown_protocol +1, icmp_tx_dest_unreachable +1)" \
	"ip_rx_drop_unknown_protocol=+1 icmp_tx_dest_unreachable=+1" \
	"$(deltas ip_rx_drop_unknown_protocol icmp_tx_dest_unreachable)"

ping_ok "after: Linux pings netstack, 20/20 answered" 20 "${PING_FAST[@]}" "$NS_IP"
oks0=$(stat ip_reasm_oks)
ping_ok "after, with $FLOOD+ incomplete datagrams queued: 4000-byte pings, 10/10 answered" \
	10 "${PING_FAST[@]}" -s 4000 "$NS_IP"
expect_eq "... and reassembled (ip_reasm_oks +10)" 10 $(($(stat ip_reasm_oks) - oks0))

# The flood's and the duplicates' queues expire 30 s after they were made.
want=$((FLOOD + 5))
wait_for 45 eval '[ $(($(stat ip_reasm_timeout) - timeouts0)) -ge $want ]'
expect_eq "the $want incomplete datagrams expired (ip_reasm_timeout +$want)" \
	"$want" $(($(stat ip_reasm_timeout) - timeouts0))

done_testing
