#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 20-wire — bad input on the wire: hand-built broken Ethernet, IPv4, ARP,
# ICMP frames and fragment floods sent at netstack through a raw AF_PACKET
# socket on Linux's end; each class must be dropped and counted under its
# own counter, and netstack must still answer pings afterwards. Odd but
# valid frames (Ethernet padding, IP options, TTL 0, fragments in reverse,
# UDP to a closed port, an unknown protocol) must get the right answer,
# which inject.py receives and checks; frames from invalid sources and UDP
# that is broken or broadcast must get none.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ◄───────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ default via 10.0.0.1            │        │   inject.py (AF_PACKET,     │
#   │ /proc/net/netstack/stats        │        │   --serve), ping            │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# inject.py runs once, as a server: this script writes "CLASS COUNT" to it
# and reads "sent CLASS COUNT" back, then reads the counters. The 2005
# incomplete datagrams it leaves expire 30 s later; 90-wire-expiry checks
# that at the end of the run (the file $FRAG_STATE says what to expect),
# so that nobody waits for it.
. "$(dirname "$0")/lib.sh"
plan 43
topo_setup
rm -f "$FRAG_STATE"
# A default route, so that an answer to an odd source has somewhere to go
# and shows on the wire.
nsctl route add default via "$PEER_IP" || bail "nsctl route add default via $PEER_IP failed"

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

# The control: a valid echo request built by inject.py is answered, so
# what the classes below break is the only thing wrong with them.
answered icmp-echo "control: inject.py's well-formed echo request is answered, correctly"

replies0=$(stat icmp_tx_echo_replies)
_now_us
flood_t=$NOW_US
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
# For 90-wire-expiry: when, from what count, how many datagrams to expire.
echo "FLOOD_T=$flood_t TIMEOUTS0=$timeouts0 EXPIRING=$((FLOOD + 5))" >"$FRAG_STATE"
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

answered icmp-echo-ttl0 "an echo request that arrived with TTL 0: answered (RFC 1122 3.2.1.7)"

# Invalid sources (RFC 1122 3.2.1.3: a host MUST silently discard them).
unanswered ip-src-zero 2 "echo requests from 0.0.0.0 and 0.1.2.3: dropped (ip_rx_drop_bad_source +2), unanswered" \
	"ip_rx_drop_bad_source=+2 icmp_tx_echo_replies=+0" ip_rx_drop_bad_source icmp_tx_echo_replies
unanswered ip-src-subnet-broadcast 1 "an echo request from 10.0.0.255: dropped (ip_rx_drop_bad_source +1), unanswered" \
	"ip_rx_drop_bad_source=+1 icmp_tx_echo_replies=+0" ip_rx_drop_bad_source icmp_tx_echo_replies
# UDP that earns no port unreachable.
unanswered udp-bad-checksum 1 "UDP with a bad checksum to a closed port: no ICMP error (RFC 1122 4.1.3.4)" \
	"icmp_tx_dest_unreachable=+0" icmp_tx_dest_unreachable
unanswered udp-bad-length 1 "UDP whose length runs past the packet: no ICMP error" \
	"icmp_tx_dest_unreachable=+0" icmp_tx_dest_unreachable
unanswered udp-broadcast 1 "UDP to the subnet's broadcast, closed port: no ICMP error (RFC 1122 3.2.2)" \
	"icmp_tx_dest_unreachable=+0" icmp_tx_dest_unreachable

ping_ok "after: Linux pings netstack, 20/20 answered" 20 "${PING_FAST[@]}" "$NS_IP"
oks0=$(stat ip_reasm_oks)
ping_ok "after, with $FLOOD+ incomplete datagrams queued: 4000-byte pings, 10/10 answered" \
	10 "${PING_FAST[@]}" -s 4000 "$NS_IP"
expect_eq "... and reassembled (ip_reasm_oks +10)" 10 $(($(stat ip_reasm_oks) - oks0))

done_testing
