#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 30-address — netstack answers only for the addresses it owns: an address
# of the subnet nobody has gets no ARP answer and no echo reply, even when
# Linux sends straight to veth-ns's MAC; broadcast echo requests are not
# answered; removing 10.0.0.2 stops the replies, adding it back restores
# them.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ (10.0.0.3: nobody's)            │        │   ping 10.0.0.3, 10.0.0.2   │
#   └─────────────────────────────────┘        └─────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 17
topo_setup
OTHER_IP=10.0.0.3

# Nobody has 10.0.0.3: not netstack, not Linux on either side.
owners="netstack: $(nsctl addr show 2>&1)"$'\n'"linux: $(ip -o -4 addr show 2>&1)"$'\n'"peer: $(in_peer ip -o -4 addr show)"
if [[ $owners == *"$OTHER_IP/"* ]]; then
	fail "nobody owns $OTHER_IP" "$owners"
else
	ok "nobody owns $OTHER_IP"
fi

# Linux asks for it by ARP: netstack hears the requests, answers none.
snap
ping_lost "ping $OTHER_IP (ARP unanswered): 3/3 lost" 3 "${PING_SHORT[@]}" "$OTHER_IP"
wait_delta arp_rx 1 2
expect_eq "netstack heard ARP requests for $OTHER_IP and answered none" \
	"answered=+0 heard" "answered=+$(delta arp_requests_answered) $([ "$(delta arp_rx)" -ge 1 ] && echo heard)" \
	"$(deltas arp_rx arp_requests_answered)"

# Linux sends the echo requests to veth-ns's MAC anyway: netstack drops them.
in_peer ip neigh replace "$OTHER_IP" lladdr "$NS_MAC" dev "$PEER_DEV" nud permanent >/dev/null
snap
ping_lost "ping $OTHER_IP sent to veth-ns's MAC: 3/3 lost" 3 "${PING_SHORT[@]}" "$OTHER_IP"
expect_eq "netstack dropped them as not its own (ip_rx_drop_not_for_us +3, no reply)" \
	"ip_rx_drop_not_for_us=+3 icmp_tx_echo_replies=+0" \
	"$(deltas ip_rx_drop_not_for_us icmp_tx_echo_replies)" "$(deltas ip_rx link_rx link_rx_passed_to_linux)"

# Echo requests to the subnet's broadcast address are heard, not answered
# (RFC 1122 3.2.2.6 allows either; Linux's default is silence too).
snap
ping_lost "ping -b 10.0.0.255 (the subnet's broadcast): no answer" 3 -b "${PING_SHORT[@]}" 10.0.0.255
expect_eq "netstack heard the 3 broadcast echo requests, answered none" \
	"icmp_rx_echo_requests=+3 icmp_tx_echo_replies=+0" \
	"$(deltas icmp_rx_echo_requests icmp_tx_echo_replies)" "$(deltas link_rx ip_rx ip_rx_drop_not_for_us)"

# Remove 10.0.0.2: its subnet route goes with it, pings go unanswered.
# (Pinged first, so that Linux has its MAC and keeps sending to it.)
ping_ok "ping $NS_IP before addr del: 5/5 answered" 5 "${PING_FAST[@]}" "$NS_IP"
check "nsctl addr del $NS_IP/$PLEN dev $NS_DEV" nsctl addr del "$NS_IP/$PLEN" dev "$NS_DEV"
expect_eq "no address and no route left" "addrs=[] routes=[]" \
	"addrs=$(nsctl -j addr show 2>&1) routes=$(nsctl -j route show 2>&1)"
snap
ping_lost "ping $NS_IP after addr del: 3/3 lost" 3 "${PING_SHORT[@]}" "$NS_IP"
expect_eq "netstack dropped them as not its own (ip_rx_drop_not_for_us +3, no reply)" \
	"ip_rx_drop_not_for_us=+3 icmp_tx_echo_replies=+0" \
	"$(deltas ip_rx_drop_not_for_us icmp_tx_echo_replies)"

# Add it back: replies again.
check "nsctl addr add $NS_IP/$PLEN dev $NS_DEV (again)" nsctl addr add "$NS_IP/$PLEN" dev "$NS_DEV"
ping_ok "ping $NS_IP after addr add: 20/20 answered" 20 "${PING_FAST[@]}" "$NS_IP"

# Two addresses of one subnet share its route: deleting the first must
# leave the second reachable, the route now with the second as source.
SECOND_IP=10.0.0.4
check "nsctl addr add $SECOND_IP/$PLEN dev $NS_DEV (same subnet)" \
	nsctl addr add "$SECOND_IP/$PLEN" dev "$NS_DEV"
check "nsctl addr del $NS_IP/$PLEN dev $NS_DEV (the first)" nsctl addr del "$NS_IP/$PLEN" dev "$NS_DEV"
ping_ok "ping $SECOND_IP after the first address went: 10/10 answered" 10 "${PING_FAST[@]}" "$SECOND_IP"

done_testing
