#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 50-nsctl — nsctl's errors against the real module: bad input and
# refused changes each give one "nsctl: " line on stderr (a usage error
# may add its "usage: nsctl ..." hint line), nothing on stdout, a non-zero
# status, and leave the configuration as it was. Changes need
# CAP_NET_ADMIN; showing does not.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   │ route 192.168.60.0/24 via       │        │                             │
#   │   10.0.0.1                      │        │                             │
#   │ dummy-spare: not attached       │        │                             │
#   │ nsctl as root, and as nobody    │        │                             │
#   └─────────────────────────────────┘        └─────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 17
topo_setup
out=$({ ip link add "$SPARE_DEV" type dummy && nsctl route add 192.168.60.0/24 via "$PEER_IP"; } 2>&1) ||
	bail "setup: $out"

# The configuration, cheaply: /proc/net/netstack/{links,addrs,routes}
# (a builtin read, no exec) after each command; nsctl's own JSON views
# before the first and after the last.
proc_state() {
	echo "$(</proc/net/netstack/links)"$'\n'"$(</proc/net/netstack/addrs)"$'\n'"$(</proc/net/netstack/routes)"
}

# refused NAME WANT_STATUS 'STDERR GLOB' [-u] ARGS...: nsctl ARGS fails
# as described and changes nothing. -u runs it as nobody, without
# capabilities.
UNPRIV=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
refused() {
	local name=$1 want_rc=$2 want_err=$3 out err rc first rest line before usage=0 problems=
	local -a run=("$NSCTL")
	shift 3
	if [ "$1" == -u ]; then
		run=("${UNPRIV[@]}" "$NSCTL")
		shift
	fi
	before=$(proc_state)
	out=$("${run[@]}" "$@" 2>"$tmp_err")
	rc=$?
	err=$(<"$tmp_err")
	first=${err%%$'\n'*}
	rest=
	[[ $err == *$'\n'* ]] && rest=${err#*$'\n'}
	[ "$rc" == "$want_rc" ] || problems+="status $rc, want $want_rc; "
	[ -z "$out" ] || problems+="stdout not empty; "
	# shellcheck disable=SC2053
	[[ $first == "nsctl: "* && $first == $want_err ]] ||
		problems+="first stderr line is not 'nsctl: ' + '$want_err'; "
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if [[ $want_rc == 2 && $line == "usage: nsctl "* && $usage == 0 ]]; then
			usage=1
			continue
		fi
		problems+="extra stderr line '$line'; "
	done <<<"$rest"
	[ "$(proc_state)" == "$before" ] || problems+="the configuration changed; "
	if [ -z "$problems" ]; then
		ok "$name"
	else
		fail "$name" "nsctl $*: $problems"$'\n'"stderr: $err"$'\n'"stdout: $out"$'\n'"before: $before"$'\n'"after: $(proc_state)"
	fi
}
tmp_err=$(mktemp)
trap 'rm -f "$tmp_err"; topo_teardown' EXIT

json0=$(nsctl_state)
refused "unknown device: status 1, one line" 1 'nsctl: cannot find device "no-such-dev"' \
	addr add 10.0.0.7/24 dev no-such-dev
refused "attach of an unknown device" 1 'nsctl: cannot find device "no-such-dev"' \
	link attach no-such-dev
refused "bad prefix /33: usage error, status 2" 2 'nsctl: invalid address 10.0.0.7/33: *' \
	addr add 10.0.0.7/33 dev "$NS_DEV"
refused "not an IPv4 address: usage error" 2 'nsctl: invalid address 10.0.0.300/24: *' \
	addr add 10.0.0.300/24 dev "$NS_DEV"
refused "duplicate address (EEXIST)" 1 'nsctl: *already*' \
	addr add "$NS_IP/$PLEN" dev "$NS_DEV"
refused "the subnet's broadcast address" 1 'nsctl: *broadcast*' \
	addr add 10.0.0.255/24 dev "$NS_DEV"
refused "address on a device that is not attached" 1 'nsctl: *not attached*' \
	addr add 10.9.9.1/24 dev "$SPARE_DEV"
refused "detach of a device that is not attached" 1 'nsctl: *not attached*' \
	link detach "$SPARE_DEV"
refused "attach of an attached device (EEXIST)" 1 'nsctl: *already attached*' \
	link attach "$NS_DEV"
refused "route via an unreachable gateway" 1 'nsctl: *gateway*' \
	route add 192.168.70.0/24 via 172.16.0.1
refused "route to a prefix that has one already" 1 'nsctl: *exists*' \
	route add 192.168.60.0/24 via "$PEER_IP"
refused "delete of an address that is not there" 1 'nsctl: *no such address*' \
	addr del 10.0.0.99/24 dev "$NS_DEV"
refused "delete of a route that is not there" 1 'nsctl: *no such route*' \
	route del 192.168.99.0/24
expect_eq "nsctl's JSON views unchanged by all of it" "$json0" "$(nsctl_state)"

# --- no permission
priv=$("${UNPRIV[@]}" cat /proc/self/status 2>&1)
if [[ $priv =~ Uid:[[:space:]]+65534[[:space:]] && $priv =~ CapEff:[[:space:]]+0+$'\n' ]]; then
	refused "as nobody: addr add refused (status 1, one line)" 1 'nsctl: *not permitted*' \
		-u addr add 10.0.0.9/24 dev "$NS_DEV"
	refused "as nobody: link detach refused" 1 'nsctl: *not permitted*' \
		-u link detach "$NS_DEV"
else
	fail "as nobody: addr add refused (status 1, one line)" "setpriv did not drop to uid 65534 without capabilities: $priv"
	fail "as nobody: link detach refused" "see above"
fi
want=$(nsctl addr show 2>&1; nsctl route show 2>&1)
got=$("${UNPRIV[@]}" "$NSCTL" addr show 2>&1; "${UNPRIV[@]}" "$NSCTL" route show 2>&1)
expect_eq "as nobody: addr show and route show work and show what root sees" "$want" "$got"

done_testing
