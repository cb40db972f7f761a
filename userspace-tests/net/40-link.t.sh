#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 40-link — attaching and detaching: while detached, Linux's own stack
# has veth-ns (and no address on it), so pings go unanswered; re-attached,
# they are answered again. Device events while attached: down and up, a
# new MAC (announced to Linux), a new MTU (replies fragmented for it).
# Devices that cannot be attached (loopback, a bridge port) are refused; a
# dummy device can be. Deleting veth-ns while attached, with an address, a
# route and neighbours, leaves nothing behind.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ dummy-spare (10.9.0.1/24)       │        │                             │
#   │ lo, br-test (if the kernel has  │        │                             │
#   │ bridges): refused               │        │                             │
#   └─────────────────────────────────┘        └─────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 21
topo_setup
DUMMY_IP=10.9.0.1

# --- detach and re-attach
snap
check "nsctl link detach $NS_DEV" nsctl link detach "$NS_DEV"
expect_eq "detached: no link, no address, no route" "links=[] addrs=[] routes=[]" \
	"links=$(nsctl -j link show 2>&1) addrs=$(nsctl -j addr show 2>&1) routes=$(nsctl -j route show 2>&1)"
ping_lost "ping $NS_IP while detached: 3/3 lost" 3 "${PING_SHORT[@]}" "$NS_IP"
expect_eq "netstack saw none of it (link_rx +0)" 0 "$(delta link_rx)"
out=$({ nsctl link attach "$NS_DEV" && nsctl addr add "$NS_IP/$PLEN" dev "$NS_DEV"; } 2>&1)
expect_eq "re-attach and addr add" "" "$out"
ping_ok "ping $NS_IP after re-attach: 20/20 answered" 20 "${PING_FAST[@]}" "$NS_IP"

# --- device events while attached: down and up, a new MAC, a new MTU
ip link set "$NS_DEV" down
links=$(nsctl link show 2>&1)
neigh=$(nsctl neigh show 2>&1)
if [[ $links == *": $NS_DEV: <DOWN>"* && $neigh != *" dev $NS_DEV "* ]]; then
	ok "$NS_DEV down: nsctl shows it DOWN, its neighbours flushed"
else
	fail "$NS_DEV down: nsctl shows it DOWN, its neighbours flushed" "$links"$'\n'"$neigh"
fi
ip link set "$NS_DEV" up
wait_for 5 _carrier
ping_ok "$NS_DEV up again: ping $NS_IP 10/10 answered" 10 "${PING_FAST[@]}" "$NS_IP"

new_mac=02:00:00:00:00:22
ip link set "$NS_DEV" address "$new_mac"
# netstack announces the new MAC (gratuitous ARP); Linux's entry follows.
_peer_has_new_mac() {
	psh "ip neigh show $NS_IP dev $PEER_DEV" && [[ $PSH_OUT == *"lladdr $new_mac "* ]]
}
if wait_for 3 _peer_has_new_mac; then
	ok "a new MAC on $NS_DEV is announced: Linux's entry for $NS_IP follows"
else
	fail "a new MAC on $NS_DEV is announced: Linux's entry for $NS_IP follows" "peer: $PSH_OUT"
fi
ping_ok "with the new MAC: ping $NS_IP 10/10 answered" 10 "${PING_FAST[@]}" "$NS_IP"

ip link set "$NS_DEV" mtu 1280
psh "ip link set $PEER_DEV mtu 1280"
snap
ping_ok "MTU 1280 on both ends: 1400-byte pings 10/10 answered" 10 "${PING_FAST[@]}" -s 1400 "$NS_IP"
expect_eq "netstack fragmented its replies for the new MTU (2 each) and shows it" \
	"ip_tx_fragments_created=+20 mtu 1280" \
	"$(deltas ip_tx_fragments_created) $([[ $(nsctl link show 2>&1) =~ $NS_DEV:\ \<UP\>\ (mtu\ [0-9]+) ]] && echo "${BASH_REMATCH[1]}")"

# --- what can and cannot be attached
before=$(nsctl -j link show 2>&1)
out=$(nsctl link attach lo 2>&1)
rc=$?
if [ $rc != 0 ] && [[ $out == "nsctl: "*Ethernet* ]] && [[ $out != *$'\n'* ]] &&
	[ "$(nsctl -j link show 2>&1)" == "$before" ]; then
	ok "nsctl link attach lo: refused (not Ethernet), nothing attached"
else
	fail "nsctl link attach lo: refused (not Ethernet), nothing attached" \
		"status $rc, stderr: $out"$'\n'"links: $(nsctl -j link show 2>&1)"
fi

if out=$(ip link add "$BRIDGE_DEV" type bridge 2>&1); then
	ip -batch - <<-EOF
		link add $SPARE_DEV type dummy
		link set $SPARE_DEV master $BRIDGE_DEV
	EOF
	out=$(nsctl link attach "$SPARE_DEV" 2>&1)
	rc=$?
	if [ $rc != 0 ] && [[ $out == "nsctl: "*rx_handler* ]] && [[ $out != *$'\n'* ]]; then
		ok "nsctl link attach of a bridge port: refused"
	else
		fail "nsctl link attach of a bridge port: refused" "status $rc, stderr: $out"
	fi
	ip link del "$BRIDGE_DEV"
else
	skip "nsctl link attach of a bridge port: refused" "no bridge support in the test kernel ($out)"
	ip link add "$SPARE_DEV" type dummy
fi

out=$({ ip link set "$SPARE_DEV" up && nsctl link attach "$SPARE_DEV" &&
	nsctl addr add "$DUMMY_IP/24" dev "$SPARE_DEV" && nsctl link show; } 2>&1)
if [[ $out == *": $NS_DEV: <UP>"*": $SPARE_DEV: <UP>"* ]]; then
	ok "a dummy device can be attached and given an address"
else
	fail "a dummy device can be attached and given an address" "$out"
fi

# --- delete veth-ns while attached, with an address, a route, neighbours
out=$(nsctl route add 192.168.88.0/24 via "$PEER_IP" 2>&1)
neigh=$(nsctl neigh show 2>&1)
[ -z "$out" ] && [[ $neigh == *"$PEER_IP dev $NS_DEV"* ]] ||
	diag "before the delete: route add said '$out'; neighbours: $neigh"
check "ip link del $NS_DEV while attached" ip link del "$NS_DEV"
links=$(nsctl link show 2>&1)
addrs=$(nsctl addr show 2>&1)
routes=$(nsctl route show 2>&1)
neighs=$(nsctl neigh show 2>&1)
all="links:"$'\n'"$links"$'\n'"addrs:"$'\n'"$addrs"$'\n'"routes:"$'\n'"$routes"$'\n'"neighbours:"$'\n'"$neighs"
if [[ $links$addrs$routes$neighs != *"$NS_DEV"* && $routes != *192.168.88.* && -z $neighs ]]; then
	ok "after the delete: nsctl shows no link, address, route or neighbour of $NS_DEV"
else
	fail "after the delete: nsctl shows no link, address, route or neighbour of $NS_DEV" "$all"
fi
if [[ $links == *": $SPARE_DEV: <UP>"* && $addrs == *"$SPARE_DEV    inet $DUMMY_IP/24" &&
	$routes == *"10.9.0.0/24 dev $SPARE_DEV "* ]]; then
	ok "... and $SPARE_DEV's link, address and route are untouched"
else
	fail "... and $SPARE_DEV's link, address and route are untouched" "$all"
fi

# And the last attached device deleted too: nothing left at all.
check "ip link del $SPARE_DEV while attached" ip link del "$SPARE_DEV"
expect_eq "nothing left: nsctl link, addr, route, neigh show all empty" \
	"links=[] addrs=[] routes=[] neigh=[]" \
	"links=$(nsctl -j link show 2>&1) addrs=$(nsctl -j addr show 2>&1) routes=$(nsctl -j route show 2>&1) neigh=$(nsctl -j neigh show 2>&1)"
expect_eq "/proc/net/netstack/links and addrs: headers only" \
	"ifindex device mac mtu state"$'\n'"address device" \
	"$(</proc/net/netstack/links)"$'\n'"$(</proc/net/netstack/addrs)"

done_testing
