#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# stock-smoke.sh — the smoke test vm/stock runs in a guest booted from one
# of Debian's own kernels, with netstack installed from the packages
# (netstack-dkms built by dkms for that kernel, netstack-tools). TAP on
# stdout. Not the full suite: does the packaged module load, load itself on
# demand, talk to Linux, and unload.
#
#   +---- netns "peer" (Linux) ----+        +---- initial netns ------------+
#   | veth-linux 10.0.0.1/24       +--------+ veth-ns  netstack 10.0.0.2/24 |
#   +------------------------------+        +-------------------------------+
#
# The UDP and TCP programs are the repo's udp-tool and tcp-tool, built by
# vm/stock against the installed <linux/netstack.h> (STOCK_TOOLS, their
# directory). Every step that could block has a time limit.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
tools=${STOCK_TOOLS:?STOCK_TOOLS: the directory of udp-tool and tcp-tool}
py=/usr/bin/python3
tmp=$(mktemp -d)
n=0 failed=0

ok() {	# ok STATUS NAME [DIAGNOSTIC...]: one TAP result
	local status=$1 name=$2
	shift 2
	n=$((n + 1))
	if [ "$status" = 0 ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		local line
		for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
	fi
}
loaded() { grep -q '^netstack ' /proc/modules; }
unload() { loaded && timeout 30 rmmod netstack; ! loaded; }
# wait_listening FILE: until a server's output says "listening" (10 s).
wait_listening() {
	local _
	for _ in $(seq 100); do
		grep -q '^listening' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

echo "1..13"
echo "# kernel $(uname -r)"

# 1-3: loading: by hand, and on demand by the two aliases the module has.
out=$(timeout 60 modprobe netstack 2>&1)
ok $? "modprobe netstack" "$out"
path=$(modinfo -n netstack 2>&1)
aliases=$(modinfo -F alias netstack 2>&1 | tr '\n' ' ')
echo "# module: $path; version magic: $(modinfo -F vermagic netstack 2>&1)"
echo "# aliases: $aliases"
[[ $path == */updates/dkms/netstack.ko* ]]
ok $? "the module is the one dkms installed (updates/dkms)" "modinfo -n: $path"

unload
out=$(timeout 60 $py -c 'import socket; socket.socket(25, socket.SOCK_DGRAM)' 2>&1)
loaded
ok $? "socket(AF_NETSTACK, SOCK_DGRAM, 0) loads netstack (alias net-pf-25)" "$out" "aliases: $aliases"

unload
out=$(timeout 60 nsctl link show 2>&1)
loaded
ok $? "nsctl loads netstack (generic netlink family \"netstack\")" "$out" "aliases: $aliases"

# 5: the link, configured with nsctl.
out=$({
	ip netns add peer &&
		ip link add veth-ns type veth peer name veth-linux &&
		ip link set veth-linux netns peer &&
		ip link set veth-ns up &&
		ip -n peer link set veth-linux up &&
		ip -n peer addr add 10.0.0.1/24 dev veth-linux &&
		timeout 10 nsctl link attach veth-ns &&
		timeout 10 nsctl addr add 10.0.0.2/24 dev veth-ns &&
		sysctl -qw net.netstack.tcp_msl_ms=500 &&
		timeout 10 nsctl addr show | grep -q '10\.0\.0\.2/24'
} 2>&1)
ok $? "nsctl attaches veth-ns and gives netstack 10.0.0.2/24" "$out"

out=$(timeout 30 ip netns exec peer ping -c 3 -i 0.2 -W 5 10.0.0.2 2>&1 &&
	timeout 30 ip netns exec peer ping -c 2 -i 0.2 -W 5 -s 4000 10.0.0.2 2>&1)
ok $? "Linux pings netstack (56 and 4000 bytes, fragmented both ways)" "$out"

# 7-8: UDP echo both ways, every byte of every echo checked by udp-tool.
udp=$tools/udp-tool
timeout 60 "$udp" -f netstack echo-server -b 10.0.0.2:7 -n 50 -i 20000 >"$tmp/server" 2>&1 &
server=$!
wait_listening "$tmp/server"
out=$(timeout 60 ip netns exec peer "$udp" -f inet echo-client -p 10.0.0.2:7 -n 50 -s 1:4000 2>&1)
status=$?
wait $server || status=1
ok $status "UDP: netstack echoes 50 datagrams from Linux (1-4000 bytes)" "$out" "$(cat "$tmp/server")"

timeout 60 ip netns exec peer "$udp" -f inet echo-server -b 10.0.0.1:7 -n 50 -i 20000 >"$tmp/server" 2>&1 &
server=$!
wait_listening "$tmp/server"
out=$(timeout 60 "$udp" -f netstack echo-client -p 10.0.0.1:7 -n 50 -s 1:4000 2>&1)
status=$?
wait $server || status=1
ok $status "UDP: Linux echoes 50 datagrams from netstack (1-4000 bytes)" "$out" "$(cat "$tmp/server")"

# 9-10: 8 MiB over TCP each way; the SHA-256 of what arrived must match.
tcp=$tools/tcp-tool
head -c 8M /dev/urandom >"$tmp/file"
want=$(sha256sum <"$tmp/file" | cut -c1-64)
echo "# 8 MiB file, sha256 $want"
transfer() {	# transfer NAME SERVER_NETNS SERVER_FAMILY ADDR CLIENT_NETNS CLIENT_FAMILY
	local name=$1 sns=$2 sfam=$3 addr=$4 cns=$5 cfam=$6 spre=() cpre=() status got
	[ "$sns" = - ] || spre=(ip netns exec "$sns")
	[ "$cns" = - ] || cpre=(ip netns exec "$cns")
	rm -f "$tmp/got"
	timeout 120 "${spre[@]}" "$tcp" -f "$sfam" file-server -T 110 -b "$addr" -F "$tmp/file" \
		>"$tmp/server" 2>&1 &
	server=$!
	wait_listening "$tmp/server"
	out=$(timeout 120 "${cpre[@]}" "$tcp" -f "$cfam" fetch -T 110 -p "$addr" -F "$tmp/got" 2>&1)
	status=$?
	wait $server || status=1
	got=
	[ -f "$tmp/got" ] && got=$(sha256sum <"$tmp/got" | cut -c1-64)
	[ "$got" = "$want" ] || status=1
	ok $status "$name (sha256 ${got:0:16}...)" "$out" "$(cat "$tmp/server")" \
		"sha256 sent $want" "sha256 got  ${got:-nothing}"
}
transfer "TCP: netstack serves 8 MiB, Linux receives it intact" - netstack 10.0.0.2:8080 peer inet
transfer "TCP: Linux serves 8 MiB, netstack receives it intact" peer inet 10.0.0.1:8081 - netstack

# 11: the man pages netstack-tools installed.
out=$( { timeout 120 man -P cat 7 netstack | grep -q . &&
	timeout 120 man -P cat 8 nsctl | grep -q .; } 2>&1)
ok $? "man 7 netstack and man 8 nsctl render" "$out"

# 12-13: take it all down; the module must unload.
out=$({
	timeout 10 nsctl link detach veth-ns
	ip link del veth-ns
	ip netns del peer
} 2>&1)
ok $? "nsctl detaches veth-ns; the veth and the netns go" "$out"
sleep 1.5	# (TIME-WAIT: 2 x 500 ms)
out=$(timeout 30 rmmod netstack 2>&1)
! loaded
ok $? "rmmod netstack" "$out" "$(grep '^netstack ' /proc/modules)"

rm -rf "$tmp"
[ $failed = 0 ]
