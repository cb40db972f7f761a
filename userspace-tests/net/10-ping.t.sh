#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 10-ping — Linux pings netstack: small, near-MTU, fragmented and
# largest-possible echo requests all answered; both neighbour tables learn
# the other side; a static neighbour entry is obeyed, kept by a flush,
# and deleted.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ 02:00:00:00:00:02               │  1500  │   02:00:00:00:00:01   ping  │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# 4000-byte payloads: Linux fragments each request into 3, netstack
# reassembles, answers, and fragments its reply into 3, which Linux
# reassembles and ping checks byte for byte.
. "$(dirname "$0")/lib.sh"
plan 20
topo_setup

# peer_reasm_oks: Ip ReasmOKs of /proc/net/snmp in the Linux netns.
peer_reasm_oks() {
	local line names=() vals=() i
	psh 'echo "$(</proc/net/snmp)"'
	while IFS= read -r line; do
		[[ $line == Ip:* ]] || continue
		if [ ${#names[@]} = 0 ]; then
			read -r -a names <<<"$line"
		else
			read -r -a vals <<<"$line"
		fi
	done <<<"$PSH_OUT"
	for i in "${!names[@]}"; do
		[ "${names[$i]}" == ReasmOKs ] && echo "${vals[$i]}"
	done
}

snap
peer_oks0=$(peer_reasm_oks)
ping_ok "Linux pings netstack, 64-byte payload: 20/20 answered" 20 "${PING_FAST[@]}" -s 64 "$NS_IP"
ping_ok "Linux pings netstack, 1400-byte payload: 20/20 answered" 20 "${PING_FAST[@]}" -s 1400 "$NS_IP"
snap_frag_oks=$(stat ip_reasm_oks)
snap_frag_tx=$(stat ip_tx_fragments_created)
ping_ok "Linux pings netstack, 4000-byte payload (fragmented both ways): 20/20 answered" \
	20 "${PING_FAST[@]}" -s 4000 "$NS_IP"
frag_diag=$(deltas ip_reasm_reqds ip_reasm_oks ip_reasm_fails ip_tx_fragments_created ip_tx)

expect_eq "netstack reassembled the 20 fragmented requests (ip_reasm_oks +20)" \
	20 $(($(stat ip_reasm_oks) - snap_frag_oks)) "$frag_diag"
expect_eq "netstack fragmented its 20 replies into 3 each (ip_tx_fragments_created +60)" \
	60 $(($(stat ip_tx_fragments_created) - snap_frag_tx)) "$frag_diag"
peer_oks1=$(peer_reasm_oks)
expect_eq "Linux reassembled netstack's 20 fragmented replies (peer Ip ReasmOKs +20)" \
	20 $((peer_oks1 - peer_oks0))
expect_eq "netstack counted 60 echo requests and 60 replies" \
	"icmp_rx_echo_requests=+60 icmp_tx_echo_replies=+60" \
	"$(deltas icmp_rx_echo_requests icmp_tx_echo_replies)" \
	"$(deltas ip_rx ip_rx_delivered icmp_rx icmp_rx_drop_bad_checksum ip_rx_drop_bad_checksum)"

# Boundary sizes: the largest unfragmented payload (1472), the smallest
# fragmented one (1473: a 1-byte last fragment), the largest datagram
# (65507: 45 fragments each way).
for size in 1472 1473 65507; do
	ping_ok "Linux pings netstack, $size-byte payload: 3/3 answered" 3 -i 0.05 -W 3 -s $size "$NS_IP"
done

# Linux's neighbour table: netstack's address with veth-ns's MAC, usable.
ns_mac=$(mac_of "$NS_DEV")
peer_mac=$(peer_mac_of "$PEER_DEV")
line=$(in_peer ip neigh show "$NS_IP" dev "$PEER_DEV")
if [[ $line =~ lladdr\ ([0-9a-f:]+)\ (REACHABLE|STALE|DELAY|PROBE) ]] &&
	[ "${BASH_REMATCH[1]}" == "$ns_mac" ]; then
	ok "Linux's neighbour table has $NS_IP at veth-ns's MAC ($ns_mac)"
else
	fail "Linux's neighbour table has $NS_IP at veth-ns's MAC ($ns_mac)" \
		"ip -n peer neigh show $NS_IP: '$line'"
fi

# netstack's neighbour table: Linux's address with veth-linux's MAC.
neigh=$(nsctl neigh show 2>&1)
want="$PEER_IP dev $NS_DEV lladdr $peer_mac REACHABLE"
if has_line "$neigh" "$want"; then
	ok "nsctl neigh show: $want"
else
	fail "nsctl neigh show: $want" "nsctl neigh show:"$'\n'"$neigh"
fi
expect_eq "/proc/net/netstack/neigh agrees" \
	"$PEER_IP $NS_DEV $peer_mac REACHABLE" \
	"$(first_line "$(</proc/net/netstack/neigh)" "$PEER_IP ")"

# One python for both checks (each start costs seconds under emulation):
# line 1 says whether it parsed, line 2 whether the entry is in it.
json=$(nsctl -j neigh show 2>&1)
verdict=$("$PY" -c '
import json, sys
try:
    got = json.loads(sys.argv[4])
except ValueError as e:
    sys.exit("not JSON: %s" % e)
print("parsed")
want = {"dst": sys.argv[1], "dev": sys.argv[2], "lladdr": sys.argv[3], "state": ["REACHABLE"]}
print("found" if want in got else "missing")' "$PEER_IP" "$NS_DEV" "$peer_mac" "$json" 2>&1)
if [[ $verdict == parsed* ]]; then
	ok "nsctl -j neigh show is JSON"
else
	fail "nsctl -j neigh show is JSON" "$verdict"$'\n'"$json"
fi
expect_eq "nsctl -j neigh show: $PEER_IP, lladdr $peer_mac, state [\"REACHABLE\"]" \
	found "${verdict#*$'\n'}" "$json"

# A static entry with a wrong MAC: netstack answers, to that MAC, and Linux
# never sees the replies; a flush keeps it; once deleted, netstack asks
# again and Linux gets its replies.
wrong_mac=02:00:00:00:00:99
check "nsctl neigh add $PEER_IP lladdr $wrong_mac dev $NS_DEV" \
	nsctl neigh add "$PEER_IP" lladdr "$wrong_mac" dev "$NS_DEV"
snap
ping_lost "replies sent to $wrong_mac: ping 3/3 lost" 3 "${PING_SHORT[@]}" "$NS_IP"
nsctl neigh flush dev "$NS_DEV" >/dev/null 2>&1
expect_eq "netstack answered all 3, to the static entry's MAC, which a flush keeps" \
	"icmp_tx_echo_replies=+3 $PEER_IP dev $NS_DEV lladdr $wrong_mac PERMANENT" \
	"$(deltas icmp_tx_echo_replies) $(first_line "$(nsctl neigh show 2>&1)" "$PEER_IP ")"
check "nsctl neigh del $PEER_IP dev $NS_DEV" nsctl neigh del "$PEER_IP" dev "$NS_DEV"
ping_ok "static entry gone: ping 10/10 answered" 10 "${PING_FAST[@]}" "$NS_IP"

done_testing
