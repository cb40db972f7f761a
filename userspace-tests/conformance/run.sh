#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh — packet-level conformance of netstack's TCP, in the test guest:
#
#   vm/run --timeout 900 -- userspace-tests/conformance/run.sh [-t] [PATTERN...]
#
# cases.py (one Python process) plays a crafted TCP peer with scapy on a
# raw socket on veth-linux and drives netstack's sockets on veth-ns; each
# case checks exact fields of what netstack sends (flags, seq/ack,
# options, SACK blocks, timing). With PATTERNs, only the cases whose
# function name or title contains one of them run.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer" ──────────────┐
#   │ nsctl link attach veth-ns       │  veth  │ veth-linux: up, NO IPv4 address │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── AF_PACKET socket of cases.py │
#   │ neigh 10.0.0.1 02:..:01 (perm.) │        │   (plays 10.0.0.1, 02:..:01)   │
#   │ cases.py's netstack sockets     │        │                                │
#   └─────────────────────────────────┘        └────────────────────────────────┘
#
# Linux in netns peer has no address on veth-linux, so it takes none of
# this traffic for itself and never answers netstack's segments with an
# RST; the crafted peer answers ARP itself (netstack also gets a permanent
# neighbour entry, so that no ARP round trip skews a timing check). TSO
# is off on veth-ns: the crafted peer sees segments as a wire carries
# them, not netstack's GSO packets of several.
#
# Output: one TAP stream as userspace-tests/net/run.sh prints it
# ("TAP version 13", "1..N", "ok"/"not ok" lines, "# " diagnostics), with
# the cases a crash left unmade reported "not ok", and a last line
# "# N passed, N failed, N skipped in S s". -t appends each case's time.
# Exits 1 if any case failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../net/lib.sh
. "$here/../net/lib.sh"

timing=0
if [ "${1:-}" == -t ]; then
	timing=1
	shift
fi

# conf_topo: the topology above; bails out (lib.sh) on failure.
conf_topo() {
	local out
	topo_teardown
	out=$(ip -batch - 2>&1 <<-EOF
		netns add $PEER
		link add $NS_DEV address $NS_MAC type veth peer name $PEER_DEV address $PEER_MAC netns $PEER
		link set $NS_DEV up
		netns exec $PEER ip link set lo up
		netns exec $PEER ip link set $PEER_DEV up
	EOF
	) || bail "topology setup failed: $out"
	out=$({ ethtool -K "$NS_DEV" tso off gso off &&
		sysctl -qw net.netstack.tcp_msl_ms=1000 &&
		nsctl link attach "$NS_DEV" &&
		nsctl addr add "$NS_IP/$PLEN" dev "$NS_DEV" &&
		nsctl neigh add "$PEER_IP" lladdr "$PEER_MAC" dev "$NS_DEV"; } 2>&1) ||
		bail "topology setup failed: $out"
	wait_for 5 _carrier || bail "$NS_DEV has no carrier"
}

"$PY" -c "import scapy" 2>/dev/null ||
	bail "$PY has no scapy: scripts/deps tests (python3-scapy)"
conf_topo

_now_us
start=$NOW_US
last=$NOW_US
planned='' n=0 pass=0 failn=0 skipn=0 status=0
# cases.py ends each case at its own time limit (CASE_TIMEOUT, 60 s, by
# SIGALRM) and says so; should it fall silent for SILENCE_S (stuck where
# its alarm cannot reach), it is killed, and the cases it did not make are
# reported below.
SILENCE_S=${CONF_SILENCE_S:-150}
coproc CASES_PY { exec "$PY" -u "$here/cases.py" "$@" 2>&1; }
cases_pid=$CASES_PY_PID
exec {cases_out}<&"${CASES_PY[0]}"
# Python's stdout line by line: "ok"/"not ok" counted, the rest passed on.
while :; do
	IFS= read -r -t "$SILENCE_S" line <&"$cases_out" || {
		rc=$?
		if [ $rc -gt 128 ]; then
			echo "# cases.py: silent for $SILENCE_S s, killed"
			kill -9 "$cases_pid" 2>/dev/null
		fi
		[ -z "$line" ] || [ $rc -gt 128 ] || echo "# $line"
		break
	}
	case $line in
	"TAP version"*) echo "$line" ;;
	1..*)
		planned=${line#1..}
		echo "$line"
		;;
	"ok "* | "not ok "*)
		n=$((n + 1))
		if [ $timing = 1 ]; then
			_now_us
			line+=" ($(((NOW_US - last) / 1000)) ms)"
			last=$NOW_US
		fi
		echo "$line"
		if [[ $line == not* ]]; then
			failn=$((failn + 1))
			status=1
		elif [[ $line == *"# SKIP"* ]]; then
			skipn=$((skipn + 1))
		else
			pass=$((pass + 1))
		fi
		;;
	"#"*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done
exec {cases_out}<&-
wait "$cases_pid"
echo "# cases.py: status $?"

if [ -z "$planned" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 - cases.py printed no plan"
	failn=1 status=1
fi
while [ -n "$planned" ] && [ "$n" -lt "$planned" ]; do
	n=$((n + 1))
	failn=$((failn + 1))
	status=1
	echo "not ok $n - case $n of $planned not made (cases.py ended early)"
done
topo_teardown
_now_us
echo "# $pass passed, $failn failed, $skipn skipped in $(((NOW_US - start) / 1000000)) s"
exit $status
