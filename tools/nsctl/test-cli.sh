#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test-cli.sh - host-side tests of nsctl (no netstack module needed):
#   1. usage errors: exit 2, one "nsctl: " line plus at most a hint line,
#      nothing on stdout, and (with strace) no netlink socket opened;
#   2. without the module: every command says it is not loaded, exit 1;
#   3. against test-fakegenl.c (a preloaded stand-in for the kernel): the
#      requests each command sends, the text and JSON output, extack errors.
# Prints one line per failure and a summary; exits 1 if anything failed.
set -u
cd "$(dirname "$0")" || exit 1
NSCTL=./nsctl
[ -x "$NSCTL" ] || { echo "test-cli.sh: build nsctl first (make -C tools/nsctl)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
NOMOD='nsctl: the netstack module is not loaded (no generic netlink family "netstack")'

bad() {
	fail=$((fail + 1))
	printf 'FAIL: nsctl %.300s\n' "$*"
}

# run ARGS...: nsctl with stdout, stderr and status in $tmp (and $rc)
run() {
	if [ -n "${STRACE:-}" ]; then
		strace -f -qq -o "$tmp/trace" -e trace=socket $NSCTL "$@" >"$tmp/out" 2>"$tmp/err"
	else
		$NSCTL "$@" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
}

# expect RC 'FIRST STDERR LINE' ARGS...: a failing command
expect() {
	want_rc=$1
	want_err=$2
	shift 2
	run "$@"
	first=$(head -n 1 "$tmp/err")
	lines=$(wc -l <"$tmp/err")
	second=$(sed -n 2p "$tmp/err")
	if [ "$rc" != "$want_rc" ] || [ "$first" != "$want_err" ]; then
		bad "$* -> rc $rc, stderr '$first' (want $want_rc, '$want_err')"
	elif [ -s "$tmp/out" ]; then
		bad "$* -> wrote to stdout on error"
	elif [ "$rc" = 1 ] && [ "$lines" != 1 ]; then
		bad "$* -> $lines lines on stderr"
	elif [ "$rc" = 2 ] && { [ "$lines" -gt 2 ] ||
		! echo "$second" | grep -Eq '^(usage: nsctl |Try "nsctl help"\.$)'; }; then
		bad "$* -> bad usage hint '$second'"
	elif [ -n "${STRACE:-}" ] && grep -q AF_NETLINK "$tmp/trace"; then
		bad "$* -> opened a netlink socket"
	else
		pass=$((pass + 1))
	fi
}

# expect_out 'STDOUT' ARGS...: a succeeding command and its exact output
expect_out() {
	want=$1
	shift
	run "$@"
	if [ "$rc" != 0 ] || [ -s "$tmp/err" ]; then
		bad "$* -> rc $rc, stderr '$(head -n 1 "$tmp/err")'"
	elif [ "$(cat "$tmp/out")" != "$want" ]; then
		bad "$* -> '$(cat "$tmp/out")' (want '$want')"
	else
		pass=$((pass + 1))
	fi
}

# expect_req 'REQUEST LOG LINE' ARGS...: a change, silent, sends exactly this
expect_req() {
	want_req=$1
	shift
	rm -f "$FAKEGENL_LOG"
	expect_out '' "$@"
	got=$(cat "$FAKEGENL_LOG" 2>/dev/null)
	if [ "$got" != "$want_req" ]; then
		pass=$((pass - 1))
		bad "$* -> sent '$got' (want '$want_req')"
	fi
}

# expect_dump 'REQUEST LOG LINE' ARGS...: a show command sends exactly this
expect_dump() {
	want_req=$1
	shift
	rm -f "$FAKEGENL_LOG"
	run "$@"
	got=$(cat "$FAKEGENL_LOG" 2>/dev/null)
	if [ "$rc" != 0 ] || [ -s "$tmp/err" ]; then
		bad "$* -> rc $rc, stderr '$(head -n 1 "$tmp/err")'"
	elif [ "$got" != "$want_req" ]; then
		bad "$* -> sent '$got' (want '$want_req')"
	else
		pass=$((pass + 1))
	fi
}

# --- 1. usage errors: exit 2, no netlink --------------------------------
if command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null; then
	STRACE=1
else
	echo "note: strace unusable, not checking for netlink traffic"
fi
expect 2 'nsctl: missing object (link, addr, route, neigh, stats or sockets)'
expect 2 'nsctl: unknown option "-x"' -x link
expect 2 'nsctl: unknown object "foo"' foo
expect 2 'nsctl: unknown object "foo"' -j foo show
expect 2 'nsctl: unknown command "frob" for "link"' link frob
expect 2 'nsctl: unknown command "frob" for "addr"' addr frob
expect 2 'nsctl: unknown command "frob" for "route"' route frob
expect 2 'nsctl: unknown command "frob" for "neigh"' neigh frob
expect 2 'nsctl: unexpected argument "frob"' stats frob
expect 2 'nsctl: missing device' link attach
expect 2 'nsctl: missing device' link detach
expect 2 'nsctl: unexpected argument "lo"' link attach lo lo
expect 2 'nsctl: duplicate "dev"' link attach lo dev lo
expect 2 'nsctl: missing argument after "dev"' link show dev
expect 2 'nsctl: invalid address 10.0.0.300/24: not an IPv4 address' addr add 10.0.0.300/24 dev lo
expect 2 'nsctl: invalid address 10.0.0.1/33: prefix length must be 0..32' addr add 10.0.0.1/33 dev lo
expect 2 'nsctl: invalid address 10.0.0.1/: prefix length must be 0..32' addr add 10.0.0.1/ dev lo
expect 2 'nsctl: invalid address 10.0.0.1/2x: prefix length must be 0..32' addr del 10.0.0.1/2x dev lo
expect 2 'nsctl: invalid address 10.0.0/24: not an IPv4 address' addr add 10.0.0/24 dev lo
expect 2 'nsctl: invalid address default: not an IPv4 address' addr add default dev lo
expect 2 'nsctl: missing "dev DEV"' addr add 10.0.0.1/24
expect 2 'nsctl: missing "dev DEV"' addr del 10.0.0.1/24
expect 2 'nsctl: missing address' addr add dev lo
expect 2 'nsctl: unexpected argument "10.0.0.2"' addr add 10.0.0.1 10.0.0.2 dev lo
expect 2 'nsctl: missing argument after "dev"' addr show dev
expect 2 'nsctl: invalid prefix 10.0.0.300/24: not an IPv4 address' route add 10.0.0.300/24 dev lo
expect 2 'nsctl: invalid prefix 10.0.0.0/33: prefix length must be 0..32' route add 10.0.0.0/33 dev lo
expect 2 'nsctl: invalid prefix 10.0.0.1/24: host bits set' route add 10.0.0.1/24 dev lo
expect 2 'nsctl: invalid prefix 0.0.0.1/0: host bits set' route del 0.0.0.1/0
expect 2 'nsctl: invalid gateway 10.0.0.256: not an IPv4 address' route add default via 10.0.0.256
expect 2 'nsctl: route add needs "via GW" or "dev DEV"' route add 10.0.0.0/24
expect 2 'nsctl: missing prefix' route add via 10.0.0.1
expect 2 'nsctl: missing prefix' route del
expect 2 'nsctl: duplicate "via"' route add default via 1.1.1.1 via 1.1.1.2
expect 2 'nsctl: unexpected argument "x"' route show x
expect 2 'nsctl: missing "lladdr XX:XX:XX:XX:XX:XX"' neigh add 10.0.0.2 dev lo
expect 2 'nsctl: missing "dev DEV"' neigh add 10.0.0.2 lladdr 00:11:22:33:44:55
expect 2 'nsctl: missing address' neigh add lladdr 00:11:22:33:44:55 dev lo
expect 2 'nsctl: invalid lladdr 00:11:22:33:44: expected XX:XX:XX:XX:XX:XX' neigh add 10.0.0.2 lladdr 00:11:22:33:44 dev lo
expect 2 'nsctl: invalid lladdr 00:11:22:33:44:555: expected XX:XX:XX:XX:XX:XX' neigh add 10.0.0.2 lladdr 00:11:22:33:44:555 dev lo
expect 2 'nsctl: invalid lladdr 00:11:22:33:44:5g: expected XX:XX:XX:XX:XX:XX' neigh add 10.0.0.2 lladdr 00:11:22:33:44:5g dev lo
expect 2 'nsctl: invalid address 10.0.0.2/32: not an IPv4 address' neigh del 10.0.0.2/32
expect 2 'nsctl: missing address' neigh del dev lo
expect 2 'nsctl: unexpected argument "10.0.0.2"' neigh flush 10.0.0.2
expect 2 'nsctl: unexpected argument "x"' neigh show x
expect 2 'nsctl: unexpected argument "frob"' sockets frob
expect 2 'nsctl: unexpected argument "udpx"' sock show udpx
expect 2 'nsctl: duplicate "udp"' sockets udp tcp udp
expect 2 'nsctl: unexpected argument "show"' sockets udp show
expect 2 'nsctl: unexpected argument "dev"' -j socket dev lo
# a usage error wins over an unknown device; an unknown device is exit 1
expect 2 'nsctl: invalid address 10.0.0.300/24: not an IPv4 address' addr add 10.0.0.300/24 dev nosuchdev
for cmd in "link attach nosuchdev" "link detach nosuchdev" "link show nosuchdev" \
	   "addr add 10.0.0.1/24 dev nosuchdev" "addr del 10.0.0.1 dev nosuchdev" \
	   "addr show dev nosuchdev" "route add default dev nosuchdev" \
	   "route del 10.0.0.0/8 via 10.0.0.1 dev nosuchdev" \
	   "neigh add 10.0.0.2 lladdr 0:1:2:3:4:5 dev nosuchdev" \
	   "neigh del 10.0.0.2 dev nosuchdev" "neigh flush dev nosuchdev" \
	   "neigh show dev nosuchdev"; do
	# shellcheck disable=SC2086
	expect 1 'nsctl: cannot find device "nosuchdev"' $cmd
done
expect 1 'nsctl: cannot find device "averyveryverylongname"' link attach averyveryverylongname
for h in help -h --help "link help" "route help"; do
	# shellcheck disable=SC2086
	run $h
	if [ "$rc" != 0 ] || [ -s "$tmp/err" ] || ! head -n 1 "$tmp/out" | grep -q '^Usage: nsctl'; then
		bad "$h -> rc $rc"
	else
		pass=$((pass + 1))
	fi
done
STRACE=

# --- 2. no module: every command that gets past parsing ------------------
if [ -d /sys/module/netstack ]; then
	echo "note: netstack is loaded here, skipping the no-module checks"
else
	for cmd in "link" "link show" "link ls lo" "-j link list" "link attach lo" \
		   "link detach lo" "addr" "addr show dev lo" "-j addr ls lo" \
		   "addr add 10.0.0.1/24 dev lo" "addr del 10.0.0.1 dev lo" \
		   "route" "-j route show" "route add default via 10.0.0.254" \
		   "route add 10.0.0.0/24 dev lo" "route del default" \
		   "neigh" "neigh show dev lo" "neigh flush" "neigh flush dev lo" \
		   "neigh add 10.0.0.2 lladdr 00:11:22:33:44:55 dev lo" \
		   "neigh del 10.0.0.2" "stats" "-j stats" "stats show" \
		   "sockets" "-j sock" "sockets show udp"; do
		# shellcheck disable=SC2086
		expect 1 "$NOMOD" $cmd
	done
fi

# --- 3. against the fake kernel -------------------------------------------
if ! ${CC:-cc} -O2 -Wall -Wextra -Werror -std=gnu11 -I../../uapi -fPIC -shared \
	-o "$tmp/fakegenl.so" test-fakegenl.c -lmnl; then
	bad "(cannot build test-fakegenl.so)"
else
	export LD_PRELOAD="$tmp/fakegenl.so" FAKEGENL_LOG="$tmp/log"
	# GENL version 1; changes ask for an ack, the attributes are the ABI's
	expect_req 'cmd=1 v=1 ack ifindex=1' link attach lo
	expect_req 'cmd=2 v=1 ack ifindex=1' link detach dev lo
	expect_req 'cmd=4 v=1 ack ifindex=1 addr=10.0.0.1 prefixlen=24' addr add 10.0.0.1/24 dev lo
	expect_req 'cmd=4 v=1 ack ifindex=1 addr=10.0.0.1 prefixlen=24' -j addr add dev lo 10.0.0.1/24
	expect_req 'cmd=5 v=1 ack ifindex=1 addr=10.0.0.1 prefixlen=32' addr del 10.0.0.1 dev lo
	expect_req 'cmd=7 v=1 ack dst=0.0.0.0 prefixlen=0 gateway=10.0.0.254' route add default via 10.0.0.254
	expect_req 'cmd=7 v=1 ack dst=10.1.0.0 prefixlen=16 gateway=10.0.0.254 ifindex=1' route add 10.1.0.0/16 via 10.0.0.254 dev lo
	expect_req 'cmd=7 v=1 ack dst=10.1.2.3 prefixlen=32 ifindex=1' route add 10.1.2.3 dev lo
	expect_req 'cmd=8 v=1 ack dst=10.1.0.0 prefixlen=16' route del 10.1.0.0/16
	expect_req 'cmd=10 v=1 ack ifindex=1 addr=10.0.0.9 lladdr=0a:0b:0c:dd:0e:0f(len 6)' neigh add 10.0.0.9 lladdr A:b:0c:DD:e:f dev lo
	expect_req 'cmd=11 v=1 ack addr=10.0.0.9' neigh del 10.0.0.9
	expect_req 'cmd=11 v=1 ack addr=10.0.0.9 ifindex=1' neigh delete 10.0.0.9 dev lo
	expect_req 'cmd=12 v=1 ack' neigh flush
	expect_req 'cmd=12 v=1 ack ifindex=1' neigh flush dev lo

	expect_out '2: veth0: <UP> mtu 1500
    link/ether aa:bb:cc:dd:ee:ff
1: lo: <DOWN> mtu 65536
    link/ether 02:00:00:00:00:01' link
	expect_out '1: lo: <DOWN> mtu 65536
    link/ether 02:00:00:00:00:01' link show lo
	expect_out '[{"ifindex":2,"ifname":"veth0","flags":["UP"],"mtu":1500,"address":"aa:bb:cc:dd:ee:ff"},{"ifindex":1,"ifname":"lo","flags":["DOWN"],"mtu":65536,"address":"02:00:00:00:00:01"}]' -j link
	expect_out '2: veth0    inet 10.0.0.1/24
1: lo    inet 192.168.7.7/32' addr list
	expect_out '[{"ifindex":1,"ifname":"lo","local":"192.168.7.7","prefixlen":32}]' -j addr show dev lo
	expect_out 'default via 10.0.0.254 dev veth0 proto static
10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1
10.9.9.9 via 10.0.0.2 dev veth0 proto static' route
	expect_out '[{"dst":"default","gateway":"10.0.0.254","dev":"veth0","protocol":"static"},{"dst":"10.0.0.0/24","dev":"veth0","protocol":"kernel","scope":"link","prefsrc":"10.0.0.1"},{"dst":"10.9.9.9","gateway":"10.0.0.2","dev":"veth0","protocol":"static"}]' -j route
	expect_out '10.0.0.2 dev veth0 lladdr aa:bb:cc:dd:ee:ff REACHABLE
10.0.0.3 dev veth0 INCOMPLETE
127.0.0.9 dev lo lladdr 02:00:00:00:00:01 PERMANENT' neigh
	expect_out '[{"dst":"127.0.0.9","dev":"lo","lladdr":"02:00:00:00:00:01","state":["PERMANENT"]}]' -j neigh show dev lo
	expect_out 'ip_in_receives 12
ip_out_requests 0
arp_rx "quoted" 18446744073709551615' stats
	expect_out '{"ip_in_receives":12,"ip_out_requests":0,"arp_rx \"quoted\"":18446744073709551615}' -j stats
	# sockets: a dump (no ack asked) of SOCK_GET = 15, protocols filtered here
	for cmd in "sockets" "sock" "socket show" "sockets ls udp" "-j sockets tcp udp"; do
		# shellcheck disable=SC2086
		expect_dump 'cmd=15 v=1 dump' $cmd
	done
	SOCK_HEAD='Netid  State   Recv-Q  Send-Q  Local Address:Port    Peer Address:Port'
	SOCK_UDP='udp    UNCONN  0       0       0.0.0.0:7             0.0.0.0:*
udp    ESTAB   2304    768     10.0.0.2:40000        10.0.0.1:7'
	SOCK_TCP='tcp    LISTEN  0       0       10.0.0.2:80           0.0.0.0:*'
	expect_out "$SOCK_HEAD
$SOCK_UDP
$SOCK_TCP" sockets
	expect_out "$SOCK_HEAD
$SOCK_UDP
$SOCK_TCP" sock show tcp udp
	expect_out "$SOCK_HEAD
$SOCK_UDP" sockets udp
	expect_out "$SOCK_HEAD
$SOCK_TCP" socket list tcp
	expect_out '[{"netid":"udp","state":"UNCONN","recv_q":0,"send_q":0,"local":"0.0.0.0","local_port":7,"peer":"0.0.0.0","peer_port":0,"drops":0},{"netid":"udp","state":"ESTAB","recv_q":2304,"send_q":768,"local":"10.0.0.2","local_port":40000,"peer":"10.0.0.1","peer_port":7,"drops":3}]' -j sockets udp
	expect_out '[{"netid":"tcp","state":"LISTEN","recv_q":0,"send_q":0,"local":"10.0.0.2","local_port":80,"peer":"0.0.0.0","peer_port":0,"drops":0}]' -j sock tcp
	if command -v jq >/dev/null; then
		for obj in link addr route neigh stats sockets; do
			if $NSCTL -j $obj | jq -e . >/dev/null; then
				pass=$((pass + 1))
			else
				bad "-j $obj -> not valid JSON"
			fi
		done
	fi

	# errors: extack message, bare errno, EPERM, with and without CAP_ACK
	export FAKEGENL_ERR='17:address 10.0.0.1/24 already exists on lo'
	expect 1 'nsctl: address 10.0.0.1/24 already exists on lo' addr add 10.0.0.1/24 dev lo
	FAKEGENL_NOCAP=1 expect 1 'nsctl: address 10.0.0.1/24 already exists on lo' addr add 10.0.0.1/24 dev lo
	expect 1 'nsctl: address 10.0.0.1/24 already exists on lo' -j link
	export FAKEGENL_ERR=1
	expect 1 'nsctl: operation not permitted (needs CAP_NET_ADMIN)' link attach lo
	FAKEGENL_ERR='1:only root may do that' expect 1 'nsctl: only root may do that' link attach lo
	export FAKEGENL_ERR=19
	FAKEGENL_NOCAP=1 expect 1 'nsctl: No such device' link detach lo
	unset FAKEGENL_ERR
	FAKEGENL_DUMPERR='5:the dump went wrong' expect 1 'nsctl: the dump went wrong' -j neigh
	FAKEGENL_DUMPERR=5 expect 1 'nsctl: Input/output error' route
	FAKEGENL_INTR=1 expect 1 'nsctl: the dump was interrupted by a change; try again' addr
	# (the header too is dropped when the dump fails)
	FAKEGENL_DUMPERR='5:the dump went wrong' expect 1 'nsctl: the dump went wrong' sockets
	export FAKEGENL_EMPTY=1
	expect 1 'nsctl: device "lo" is not attached to netstack' link show lo
	expect_out '' link
	expect_out '[]' -j link
	expect_out '[]' -j addr show lo
	expect_out '[]' -j route
	expect_out '[]' -j neigh
	expect_out '{}' -j stats
	expect_out "$SOCK_HEAD" sockets
	expect_out '[]' -j sockets udp
	unset FAKEGENL_EMPTY
	unset LD_PRELOAD FAKEGENL_LOG
fi

echo "test-cli.sh: $pass passed, $fail failed"
[ "$fail" = 0 ]
