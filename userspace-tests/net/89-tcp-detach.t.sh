#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 89-tcp-detach — a netstack connection whose link is detached under it:
# the connection stays (as a Linux connection stays when its route goes),
# its FIN after close is retransmitted into the void, and the connection
# ends after net.netstack.tcp_retries2 timeouts, leaving nothing behind
# (vm/run then checks the kernel log and unloads the module).
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns,      │  veth  │                             │
#   │ later nsctl link detach veth-ns │        │                             │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ tcp-tool echo-server :8071      │        │ bash: exec 7<>/dev/tcp/...  │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# timeout: 120
# shellcheck disable=SC2034	# (tcp-lib.sh reads it)
NS_FAMILY=netstack
. "$(dirname "$0")/lib.sh"
. "$NET_DIR/tcp-lib.sh"
plan 5
need_ns_tcp
tcp_topo_setup
OUT=$(mktemp -d /tmp/netstack-tcp.XXXXXX)
old_retries=$(sysctl -n net.netstack.tcp_retries2)
restore() { sysctl -qw net.netstack.tcp_retries2="$old_retries"; topo_teardown; rm -rf "$OUT"; }
trap restore EXIT

# _tcp_rows: netstack's TCP sockets, one line each, no heading.
_tcp_rows() { nsctl sockets tcp | grep -v '^Netid'; }
# _no_conn: no TCP socket left but the listener's.
_no_conn() { ! _tcp_rows | grep -qv LISTEN; }

check "net.netstack.tcp_retries2 set to 3" sysctl -qw net.netstack.tcp_retries2=3
tool_bg "$OUT/server" -f netstack echo-server -b "$NS_IP:8071" -n 1 -i 60000 -T 60
psh "exec 7<>/dev/tcp/$NS_IP/8071 && echo hello >&7 && read -r -t 10 l <&7 && echo \"\$l\""
expect_eq "Linux's bash connects to netstack's echo server; 'hello' comes back" hello "$PSH_OUT"

check "nsctl link detach veth-ns" nsctl link detach "$NS_DEV"
rows=$(_tcp_rows)
if [[ $rows =~ ESTAB.*$NS_IP:8071 ]]; then
	ok "the connection stays ESTAB without its link"
else
	fail "the connection stays ESTAB without its link" "nsctl sockets tcp:"$'\n'"$rows"
fi

# The server process ends: its socket closes, the FIN goes unanswered.
ns_snap
kill "$TOOL_PID" 2>/dev/null
wait "$TOOL_PID" 2>/dev/null
TOOL_PID=
if wait_for 30 _no_conn; then
	_delta tcp_timeouts
	ok "closed, its FIN unanswered: gone after the retries (tcp_timeouts +$DELTA_V)"
else
	fail "closed, its FIN unanswered: gone after the retries" \
		"nsctl sockets tcp after 30 s:"$'\n'"$(_tcp_rows)"$'\n'"$(ns_diag)"
fi
psh "exec 7>&-"

done_testing
