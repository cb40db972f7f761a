#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 55-nsctl-sockets — "nsctl sockets" against the real module: netstack's
# UDP sockets of this network namespace, unconnected and connected, with
# a datagram waiting in one's receive queue; the protocol filter and JSON;
# the same for a user without capabilities; none of another namespace's;
# and 500 sockets at once, more than one part of a dump holds, each
# listed once.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ udp-tool -f netstack            │        │   udp-tool -f inet          │
#   │  sink 10.0.0.2:7777 (unread)  ◄─┼────────┼── flood (one datagram)      │
#   │  closed 0.0.0.0:40000 ──────────┼────────┼─► sink 10.0.0.1:7778        │
#   │   (connected, waits)            │        │   (unread)                  │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#   ┌──── netns "nsa": netstack, no address ────┐
#   │ udp-tool -f netstack sink 0.0.0.0:7779    │
#   └───────────────────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 12
topo_setup
[ -x "$TOOL" ] || bail "$TOOL is missing (make userspace)"
OUT=$(mktemp -d /tmp/netstack-socks.XXXXXX)
PIDS=()
PEER_PID=
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=()
	[ -z "$PEER_PID" ] || psh "kill -9 $PEER_PID; wait $PEER_PID" 2>/dev/null
	PEER_PID=
}
trap 'cleanup; rm -rf "$OUT"; topo_teardown' EXIT

HEAD='Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port'
UNCONN='udp UNCONN 0 0 10.0.0.2:7777 0.0.0.0:*'
ESTAB='udp ESTAB 0 0 10.0.0.2:40000 10.0.0.1:7778'

# socks [-n NETNS] [ARGS...]: "nsctl sockets ARGS" (in NETNS), each line's
# columns joined by one space, in SOCKS; 1 if nsctl failed.
SOCKS=
socks() {
	local -a pre=() f
	local raw line out=
	if [ "${1:-}" == -n ]; then
		pre=(ip netns exec "$2")
		shift 2
	fi
	raw=$("${pre[@]}" "$NSCTL" sockets "$@" 2>&1) || { SOCKS=$raw; return 1; }
	while IFS= read -r line; do
		read -ra f <<<"$line"
		out+="${f[*]}"$'\n'
	done <<<"$raw"
	SOCKS=${out%$'\n'}
}

# _socks_has LINE: nsctl sockets lists LINE.
# shellcheck disable=SC2317	# (called through wait_for)
_socks_has() {
	socks && has_line "$SOCKS" "$1"
}

# bg_tool FILE ARGS...: udp-tool ARGS in the background here (or in netns
# $TOOL_NETNS), output in FILE; 1 if it does not say "listening" in 10 s.
bg_tool() {
	local file=$1 pre=()
	shift
	[ -z "${TOOL_NETNS:-}" ] || pre=(ip netns exec "$TOOL_NETNS")
	"${pre[@]}" "$TOOL" "$@" </dev/null >"$file" 2>&1 &
	PIDS+=($!)
	wait_for 10 _listening "$file"
}

socks
expect_eq "no netstack socket: only the header" "$HEAD" "$SOCKS"

# --- an unconnected socket, bound to our address; it does not read
bg_tool "$OUT/sink" -f netstack sink -b "$NS_IP:7777" -w 60000 ||
	bail "netstack's sink did not start: $(<"$OUT/sink")"
socks
expect_eq "a bound socket: UNCONN with its address and port, no peer" \
	"$HEAD"$'\n'"$UNCONN" "$SOCKS"

# --- a datagram for it waits in its receive queue
# shellcheck disable=SC2317	# (called through wait_for)
_queued() {
	local -a f
	socks || return 1
	while read -ra f; do
		[ "${f[4]:-}" == "$NS_IP:7777" ] && [ "${f[1]}" == UNCONN ] &&
			[[ ${f[2]} =~ ^[1-9][0-9]*$ ]] && [ "${f[3]}" == 0 ] && return 0
	done <<<"$SOCKS"
	return 1
}
tool_peer -f inet flood -p "$NS_IP:7777" -n 1 -s 100 || diag "flood: $PSH_OUT"
if wait_for 5 _queued; then
	ok "a datagram it has not read: Recv-Q > 0"
else
	fail "a datagram it has not read: Recv-Q > 0" "$SOCKS"
fi

# --- a connected socket: bound to the wildcard, connected to Linux's sink
psh "$(printf '%q ' "$TOOL") -f inet sink -b $PEER_IP:7778 -w 60000 >$OUT/psink 2>&1 & echo \$!"
PEER_PID=$PSH_OUT
wait_for 10 _listening "$OUT/psink" || bail "Linux's sink did not start: $(<"$OUT/psink")"
"$TOOL" -f netstack closed -b "0.0.0.0:40000" -p "$PEER_IP:7778" -e timeout -t 60000 \
	</dev/null >"$OUT/closed" 2>&1 &
PIDS+=($!)
if wait_for 5 _socks_has "$ESTAB"; then
	ok "a connected socket: ESTAB, the local address the connect chose, the peer"
else
	fail "a connected socket: ESTAB, the local address the connect chose, the peer" \
		"want a line: $ESTAB"$'\n'"$SOCKS"$'\n'"closed: $(<"$OUT/closed")"
fi

socks tcp
expect_eq "\"sockets tcp\": none of the UDP sockets" "$HEAD" "$SOCKS"
socks udp
all=$SOCKS
socks
expect_eq "\"sockets udp\" and \"sockets\": the same two" "$all" "$SOCKS"

json=$(nsctl -j sockets udp 2>&1)
want='{"netid":"udp","state":"ESTAB","recv_q":0,"send_q":0,"local":"10.0.0.2","local_port":40000,"peer":"10.0.0.1","peer_port":7778,"drops":0}'
if [[ $json == "["*"$want"*"]" && $json == *'"state":"UNCONN"'*'"local_port":7777,"peer":"0.0.0.0","peer_port":0'* ]]; then
	ok "-j: both sockets as JSON"
else
	fail "-j: both sockets as JSON" "want both, the connected one as $want"$'\n'"got: $json"
fi

want=$(nsctl sockets 2>&1)
got=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$NSCTL" sockets 2>&1)
expect_eq "as nobody: the same list (reading needs no capability)" "$want" "$got"

# --- another namespace has its own netstack instance and sockets
ip netns add "$NSA" || bail "cannot create netns $NSA"
socks -n "$NSA"
expect_eq "another netns: none of these sockets" "$HEAD" "$SOCKS"
TOOL_NETNS=$NSA bg_tool "$OUT/nsa" -f netstack sink -b "0.0.0.0:7779" -w 60000 ||
	bail "netstack's sink in $NSA did not start: $(<"$OUT/nsa")"
socks -n "$NSA"
nsa=$SOCKS
socks
if [ "$nsa" == "$HEAD"$'\n''udp UNCONN 0 0 0.0.0.0:7779 0.0.0.0:*' ] &&
	[[ $SOCKS != *7779* ]]; then
	ok "a socket in the other netns: listed there only"
else
	fail "a socket in the other netns: listed there only" "$NSA:"$'\n'"$nsa"$'\n'"here:"$'\n'"$SOCKS"
fi

# --- 500 sockets on ephemeral ports: the dump comes in several parts
# (each resumed where the last stopped), and has every socket exactly once
MANY=500
"$PY" -u -c '
import ctypes, resource, socket, struct, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
libc = ctypes.CDLL(None, use_errno=True)
fam = int(open("/sys/module/netstack/parameters/family").read())
socks, ports = [], []
for i in range(int(sys.argv[1])):
    s = socket.socket(fam, socket.SOCK_DGRAM, 0)
    sin = struct.pack("=H2s4s8x", fam, b"\0\0", b"\0\0\0\0")
    if libc.bind(s.fileno(), sin, len(sin)) < 0:
        sys.exit("bind: errno %d" % ctypes.get_errno())
    name = bytearray(16)
    ln = ctypes.c_uint32(16)
    buf = (ctypes.c_char * 16).from_buffer(name)
    if libc.getsockname(s.fileno(), buf, ctypes.byref(ln)) < 0:
        sys.exit("getsockname: errno %d" % ctypes.get_errno())
    socks.append(s)
    ports.append(struct.unpack("!H", name[2:4])[0])
with open(sys.argv[2], "w") as f:
    f.write("".join("%d\n" % p for p in sorted(ports)))
print("listening", len(socks))
time.sleep(120)
' "$MANY" "$OUT/ports" </dev/null >"$OUT/many" 2>&1 &
PIDS+=($!)
wait_for 30 _listening "$OUT/many" || bail "the $MANY sockets were not made: $(<"$OUT/many")"
socks
listed=$(while read -ra f; do
	[[ ${f[4]:-} == 0.0.0.0:* && ${f[1]} == UNCONN ]] && echo "${f[4]#0.0.0.0:}"
done <<<"$SOCKS" | sort -n)
made=$(<"$OUT/ports")
if [ "$(wc -l <<<"$made")" == "$MANY" ] && [ "$listed" == "$made" ]; then
	ok "$MANY sockets: each listed once, with its port"
else
	fail "$MANY sockets: each listed once, with its port" \
		"made $(wc -l <<<"$made"), listed $(wc -l <<<"$listed")"$'\n'"$(diff <(echo "$made") <(echo "$listed") | head -20)"
fi

# --- gone once closed
cleanup
socks
expect_eq "all closed: only the header again" "$HEAD" "$SOCKS"

done_testing
