#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 80-tcp-closed — TCP segments to netstack's closed ports (it has no TCP
# sockets yet): answered with resets as RFC 9293 3.10.7.1 says, so that a
# Linux connect() fails at once with ECONNREFUSED; resets, corrupted or
# malformed segments and broadcasts are not answered, and all are counted.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ no TCP socket on any port       │        │ connect(); inject.py crafts │
#   └─────────────────────────────────┘        └─────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 9
topo_setup
peer_start

snap
psh "$PY - <<'PYEOF'
import socket, time
t = time.monotonic()
try:
    socket.create_connection(('$NS_IP', 5000), timeout=10)
    print('connected')
except OSError as e:
    print('%s after %.1f s' % (type(e).__name__, time.monotonic() - t))
PYEOF"
if [[ $PSH_OUT =~ ^ConnectionRefusedError\ after\ ([0-9]+)\.[0-9]\ s$ ]] &&
	[ "${BASH_REMATCH[1]}" -lt 3 ]; then
	ok "Linux's connect() to a closed netstack port: ECONNREFUSED at once"
else
	fail "Linux's connect() to a closed netstack port: ECONNREFUSED at once" "$PSH_OUT"$'\n'"$(deltas \
		tcp_rx tcp_rx_no_socket tcp_tx_resets tcp_rx_drop_bad_checksum tcp_rx_drop_malformed)"
fi
expect_eq "... counted: tcp_rx +1, tcp_rx_no_socket +1, tcp_tx_resets +1" \
	"tcp_rx=+1 tcp_rx_no_socket=+1 tcp_tx_resets=+1" \
	"$(deltas tcp_rx tcp_rx_no_socket tcp_tx_resets)"

inject_start
answered tcp-syn-closed "a SYN to a closed port: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>"
answered tcp-data-closed "data with ACK and FIN to a closed port: <SEQ=SEG.ACK><CTL=RST>"
unanswered tcp-rst-closed 2 "a reset to a closed port: not answered, counted" \
	"tcp_rx_no_socket=+2 tcp_tx_resets=+0" tcp_rx_no_socket tcp_tx_resets
unanswered tcp-bad-checksum 2 "a SYN with a bad checksum: dropped (tcp_rx_drop_bad_checksum +2), no reset" \
	"tcp_rx_drop_bad_checksum=+2 tcp_tx_resets=+0" tcp_rx_drop_bad_checksum tcp_tx_resets
unanswered tcp-bad-offset 2 "data offsets past the segment and below 5: dropped as malformed, no reset" \
	"tcp_rx_drop_malformed=+2 tcp_tx_resets=+0" tcp_rx_drop_malformed tcp_tx_resets
unanswered tcp-syn-broadcast 1 "a SYN to the subnet's broadcast address: dropped, no reset (RFC 1122 4.2.3.10)" \
	"tcp_rx_drop_not_unicast=+1 tcp_tx_resets=+0" tcp_rx_drop_not_unicast tcp_tx_resets
ping_ok "after: Linux pings netstack, 5/5 answered" 5 "${PING_FAST[@]}" "$NS_IP"
done_testing
