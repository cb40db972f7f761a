#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 60-route — routes through a gateway: Linux pings netstack from an
# address beyond its subnet (192.168.77.1 on the peer's loopback), which
# netstack can only answer through a route via 10.0.0.1. Without the
# route, no answer; through a gateway nobody has (10.0.0.3), no answer
# either, and netstack is seen asking for that gateway.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ default via 10.0.0.1            │        │   lo 192.168.77.1/32        │
#   │                                 │        │   ping -I 192.168.77.1      │
#   └─────────────────────────────────┘        └─────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 14
topo_setup
FAR_IP=192.168.77.1
GONE_GW=10.0.0.3
in_peer ip addr add "$FAR_IP/32" dev lo >/dev/null || bail "cannot add $FAR_IP on the peer's lo"
# Linux would name 192.168.77.1 as the sender of its ARP requests for
# 10.0.0.2 (arp_announce 0), and netstack would learn it from them; with 2
# it names 10.0.0.1, so any entry for 192.168.77.1 is netstack's own doing.
psh "echo 2 >/proc/sys/net/ipv4/conf/all/arp_announce" || bail "arp_announce: $PSH_OUT"

# No route to 192.168.77.1 yet: the reply has nowhere to go.
snap
ping_lost "no route: ping -I $FAR_IP gets no answer" 3 "${PING_SHORT[@]}" -I "$FAR_IP" "$NS_IP"
expect_eq "... dropped for want of a route (ip_tx_drop_no_route +3)" 3 "$(delta ip_tx_drop_no_route)" \
	"$(deltas icmp_rx_echo_requests icmp_tx_echo_replies ip_tx)"

check "nsctl route add default via $PEER_IP" nsctl route add default via "$PEER_IP"
routes=$(nsctl route show 2>&1)
if has_line "$routes" "default via $PEER_IP dev $NS_DEV proto static" &&
	has_line "$routes" "10.0.0.0/24 dev $NS_DEV proto kernel scope link src $NS_IP"; then
	ok "nsctl route show: the default route and the subnet's"
else
	fail "nsctl route show: the default route and the subnet's" "$routes"
fi
json=$(nsctl -j route show 2>&1)
expect_eq "nsctl -j route show: the default route" \
	yes "$([[ $json == *'{"dst":"default","gateway":"'$PEER_IP'","dev":"'$NS_DEV'","protocol":"static"}'* ]] && echo yes)" "$json"

ping_ok "default via $PEER_IP: ping -I $FAR_IP answered 20/20" 20 "${PING_FAST[@]}" -I "$FAR_IP" "$NS_IP"
neigh=$(nsctl neigh show 2>&1)
if [[ $neigh != *"$FAR_IP"* && $neigh == *"$PEER_IP dev $NS_DEV lladdr "* ]]; then
	ok "netstack sent them to the gateway, has no neighbour entry for $FAR_IP"
else
	fail "netstack sent them to the gateway, has no neighbour entry for $FAR_IP" "$neigh"
fi
ping_ok "the subnet still answered directly: ping $NS_IP 10/10" 10 "${PING_FAST[@]}" "$NS_IP"

# A longer prefix through a gateway nobody has wins over the default.
check "nsctl route add $FAR_IP via $GONE_GW" nsctl route add "$FAR_IP" via "$GONE_GW"
snap
ping_lost "via $GONE_GW (nobody's): ping -I $FAR_IP gets no answer" 3 "${PING_SHORT[@]}" -I "$FAR_IP" "$NS_IP"
wait_delta arp_requests_sent 1 2
line=$(first_line "$(nsctl neigh show 2>&1)" "$GONE_GW ")
if [[ $line =~ ^$GONE_GW\ dev\ $NS_DEV\ (INCOMPLETE|FAILED)$ && $(delta arp_requests_sent) -ge 1 ]]; then
	ok "netstack asked for the gateway $GONE_GW ($line)"
else
	fail "netstack asked for the gateway $GONE_GW" "neighbour: '$line'; $(deltas arp_requests_sent neigh_queue_drop_full neigh_queue_drop_resolution_failed)"
fi
nsctl route del "$FAR_IP" >/dev/null

# Default route removed: no answer again.
check "nsctl route del default" nsctl route del default
snap
ping_lost "default route gone: ping -I $FAR_IP gets no answer" 3 "${PING_SHORT[@]}" -I "$FAR_IP" "$NS_IP"
expect_eq "... dropped for want of a route (ip_tx_drop_no_route +3), no default left" \
	"3 no-default" "$(delta ip_tx_drop_no_route) $([[ $(nsctl route show 2>&1) != *default* ]] && echo no-default)"

done_testing
