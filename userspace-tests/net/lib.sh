# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh — sourced by every userspace-tests/net/*.t.sh: the topology, TAP
# output, netstack's counters, ping, nsctl and bounded waits. The scripts
# run as root in the test guest (vm/run), netstack loaded, the repo at the
# host's path; run.sh runs them in order in one guest.
#
# The topology every script starts from (topo_setup):
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ nsctl link attach veth-ns       │  veth  │                             │
#   │ 10.0.0.2/24 on veth-ns  ────────┼────────┼── veth-linux 10.0.0.1/24    │
#   │ 02:00:00:00:00:02               │        │   02:00:00:00:00:01         │
#   └─────────────────────────────────┘        └─────────────────────────────┘
#
# Linux's own stack in the initial netns has no address on veth-ns, so
# whatever answers there is netstack. Each script draws its own variant.
#
# TAP: `plan N` first, then one check per ok/fail/skip/expect_* call; each
# script is a TAP stream of its own (run.sh renumbers them into one) and
# exits 1 if a check failed or the count differs from the plan.

NET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$NET_DIR/../.." && pwd)
NSCTL=$REPO/tools/nsctl/nsctl
PY=/usr/bin/python3		# Debian's, not a pyenv shim (DESIGN §5)
STATS=/proc/net/netstack/stats

PEER=peer			# the Linux side's netns
NS_DEV=veth-ns			# netstack's end, initial netns
PEER_DEV=veth-linux		# Linux's end, netns $PEER
NS_IP=10.0.0.2
PEER_IP=10.0.0.1
PLEN=24
NS_MAC=02:00:00:00:00:02
PEER_MAC=02:00:00:00:00:01
SPARE_DEV=dummy-spare		# a device netstack is not attached to
BRIDGE_DEV=br-test

# netstack on both ends (75-udp-netstack): a veth between two netns, each
# end attached to that netns's netstack instance.
NSA=nsa
NSB=nsb
NSA_DEV=veth-nsa
NSB_DEV=veth-nsb
NSA_IP=10.1.0.1
NSB_IP=10.1.0.2

# ---------------------------------------------------------------- TAP

_tap_n=0
_tap_plan=0
_tap_failed=0

# plan N: the number of checks this script makes.
plan() {
	_tap_plan=$1
	echo "TAP version 13"
	echo "1..$1"
}

# diag TEXT...: diagnostics, every line prefixed "# ".
diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

# fail NAME [DIAG...]
fail() {
	local name=$1
	shift
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $name"
	[ $# -eq 0 ] || diag "$*"
}

# skip NAME REASON
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# check NAME CMD...: ok when CMD succeeds; its output is shown when it fails.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		fail "$name" "failed ($?): $*"$'\n'"$out"
	fi
}

# expect_eq NAME WANT GOT [DIAG]
expect_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		fail "$1" "want: $2"$'\n'"got:  $3${4:+$'\n'$4}"
	fi
}

# bail REASON: the script cannot go on; run.sh reports the checks not made.
bail() {
	diag "cannot continue: $*"
	exit 1
}

# done_testing: the end of a script; its exit status.
done_testing() {
	if [ "$_tap_n" != "$_tap_plan" ]; then
		diag "planned $_tap_plan checks, made $_tap_n"
		exit 1
	fi
	[ "$_tap_failed" = 0 ]
	exit $?
}

# ---------------------------------------------------------------- text

# has_line TEXT LINE: TEXT has LINE as one of its lines (grep -qxF, no exec).
has_line() {
	[[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]
}

# first_line TEXT PREFIX: print TEXT's first line that starts with PREFIX.
first_line() {
	local line
	while IFS= read -r line; do
		if [[ $line == "$2"* ]]; then
			printf '%s\n' "$line"
			return 0
		fi
	done <<<"$1"
	return 1
}

# ---------------------------------------------------------------- waits
#
# Under emulation every exec costs 0.2-0.6 s and every fork some 50 ms, so
# the helpers below use bash builtins where they can: time from
# EPOCHREALTIME, sleeps as read timeouts on a pipe nobody writes to.

# _now_us: the time in microseconds, in $NOW_US (no fork).
_now_us() {
	NOW_US=${EPOCHREALTIME/[.,]/}
}

exec {_sleep_fd}<> <(:)
# nap SECONDS: sleep (decimals allowed) without an exec.
nap() {
	read -r -t "$1" -u "$_sleep_fd" _
	return 0
}

# wait_for TIMEOUT_S CMD...: run CMD every 0.1 s until it succeeds; 1 if it
# still fails after TIMEOUT_S seconds (decimals allowed).
wait_for() {
	local timeout=$1 frac=0 deadline
	shift
	if [[ $timeout == *.* ]]; then
		frac=${timeout#*.}000000
		frac=$((10#${frac:0:6}))
	fi
	_now_us
	deadline=$((NOW_US + ${timeout%.*} * 1000000 + frac))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		_now_us
		[ "$NOW_US" -lt "$deadline" ] || return 1
		nap 0.1
	done
}

# ---------------------------------------------------------------- counters
#
# /proc/net/netstack/stats of the initial netns: "name value" lines. The
# underscore helpers set a variable instead of printing, so that callers
# need no $(...) fork.

# _stats_text: the counters file, read whole in one go. A line-by-line
# read seeks back after each line, and a seek makes the kernel print the
# file afresh: with counters moving, the offset then falls mid-line.
_stats_text() {
	STATS_TEXT=$(<"$STATS")
}

# _stat NAME: the counter's value in STAT_V; 1 if there is no such counter.
_stat() {
	local k v
	_stats_text
	while read -r k v; do
		if [ "$k" == "$1" ]; then
			STAT_V=$v
			return 0
		fi
	done <<<"$STATS_TEXT"
	STAT_V=
	return 1
}

# stat NAME: print a counter's value (it shadows stat(1), which these
# scripts do not use).
stat() {
	_stat "$1" && echo "$STAT_V"
}

# snap: remember every counter; delta NAME is then its growth since.
declare -A _snap _now
_read_stats() {
	local -n _into=$1
	local k v
	_into=()
	_stats_text
	while read -r k v; do
		_into[$k]=$v
	done <<<"$STATS_TEXT"
}

snap() {
	_read_stats _snap
}

# _delta NAME: the growth in DELTA_V; 1 if there is no such counter.
_delta() {
	_stat "$1" || { DELTA_V="no-counter-$1"; return 1; }
	DELTA_V=$((STAT_V - ${_snap[$1]:-0}))
}

delta() {
	_delta "$1"
	echo "$DELTA_V"
}

# deltas NAME...: "name=+N ..." for each, for diagnostics.
deltas() {
	local n out=
	_read_stats _now
	for n in "$@"; do
		out+="$n=+$((${_now[$n]:-0} - ${_snap[$n]:-0})) "
	done
	echo "${out% }"
}

# _delta_ge NAME MIN: for wait_for.
_delta_ge() {
	_delta "$1" && [ "$DELTA_V" -ge "$2" ]
}

# wait_delta NAME MIN [TIMEOUT_S]: wait (5 s by default) until the counter
# grew by MIN since snap; 1 if it did not.
wait_delta() {
	wait_for "${3:-5}" _delta_ge "$1" "$2"
}

# ---------------------------------------------------------------- tools

nsctl() {
	"$NSCTL" "$@"
}

# The Linux side's commands run in one long-lived bash inside netns peer
# (peer_start), which saves an "ip netns exec" per command.
PEER_SH_PID=
PSH_OUT=

# peer_start: start that shell; netns $PEER must exist.
peer_start() {
	local fds
	# (coproc sets PEER_SH_PID.)
	coproc PEER_SH { exec ip netns exec "$PEER" bash --norc --noprofile; }
	# Own copies of its pipes, which subshells ($(...)) inherit too.
	exec {_psh_in}>&"${PEER_SH[1]}" {_psh_out}<&"${PEER_SH[0]}"
	fds="${PEER_SH[1]}>&- ${PEER_SH[0]}<&-"
	eval "exec $fds"
}

# peer_stop: end that shell, if any.
peer_stop() {
	[ -n "$PEER_SH_PID" ] || return 0
	exec {_psh_in}>&- {_psh_out}<&-
	kill "$PEER_SH_PID" 2>/dev/null
	wait "$PEER_SH_PID" 2>/dev/null
	PEER_SH_PID=
}

# psh 'COMMAND LINE': run it in the peer shell, stdout and stderr in
# PSH_OUT (without the last newline); returns its status. A command line
# still running after PSH_TIMEOUT seconds (90, or what the caller sets for
# the call: PSH_TIMEOUT=N psh ...) is killed: what it started is ended
# with SIGKILL, psh returns 124 and PSH_OUT ends "(psh: killed after N s)",
# so that the check it was for fails and the script goes on. Only a peer
# shell that does not answer even then ends the script.
PSH_TIMEOUT=90
psh() {
	local limit=$PSH_TIMEOUT deadline since
	[ -n "$PEER_SH_PID" ] || bail "psh: the peer shell is not running"
	PSH_OUT=
	_uptime_cs
	since=$UPTIME_CS
	_now_us
	deadline=$((NOW_US + limit * 1000000))
	printf '{ %s\n} </dev/null 2>&1; printf "\\n__psh_done %%d\\n" $?\n' "$1" >&"$_psh_in"
	while _psh_line "$deadline"; do
		if [[ $PSH_LINE =~ ^__psh_done\ ([0-9]+)$ ]]; then
			PSH_OUT=${PSH_OUT%$'\n'}
			PSH_OUT=${PSH_OUT%$'\n'}
			return "${BASH_REMATCH[1]}"
		fi
		PSH_OUT+=$PSH_LINE$'\n'
	done
	diag "psh: still running after ${limit} s, killed: $1"
	_kill_started_by "$PEER_SH_PID" "$since"
	_now_us
	while _psh_line $((NOW_US + 10000000)); do
		if [[ $PSH_LINE =~ ^__psh_done\ ([0-9]+)$ ]]; then
			PSH_OUT+="(psh: killed after ${limit} s)"
			return 124
		fi
		PSH_OUT+=$PSH_LINE$'\n'
	done
	bail "the peer shell gave no answer in ${limit} s to: $1 (nor 10 s after it was killed)"
}

# _psh_line DEADLINE_US: the peer shell's next line in PSH_LINE; 1 if none
# came by the deadline.
_psh_line() {
	local left frac
	_now_us
	left=$(($1 - NOW_US))
	[ "$left" -gt 0 ] || return 1
	printf -v frac %06d $((left % 1000000))
	IFS= read -r -t "$((left / 1000000)).$frac" PSH_LINE <&"$_psh_out"
}

# _uptime_cs: the time since boot in hundredths of a second, in UPTIME_CS:
# the unit of a process's start time in /proc/PID/stat (USER_HZ 100).
_uptime_cs() {
	local up
	read -r up _ </proc/uptime
	UPTIME_CS=$((10#${up%.*} * 100 + 10#${up#*.}))
}

# _kill_started_by PID SINCE_CS: SIGKILL the processes PID started at or
# after SINCE_CS (uptime, 1/100 s), and theirs, down to the third
# generation; PID's older children (servers started earlier) are spared.
_kill_started_by() {
	local gen parents=" $1 " next f stat rest fields pid victims=()
	for gen in 1 2 3; do
		next=" "
		for f in /proc/[0-9]*/stat; do
			read -r stat <"$f" 2>/dev/null || continue
			pid=${stat%% *}
			rest=${stat##*) }
			read -ra fields <<<"$rest"
			# fields: state ppid pgrp ... starttime is field 22 of stat,
			# here index 19.
			[[ $parents == *" ${fields[1]} "* ]] || continue
			[ "$gen" -gt 1 ] || [ "${fields[19]}" -ge "$2" ] || continue
			next+="$pid "
			victims+=("$pid")
		done
		parents=$next
	done
	[ ${#victims[@]} = 0 ] || kill -9 "${victims[@]}" 2>/dev/null
	return 0
}

# in_peer CMD ARGS...: run one command in netns $PEER, print its output
# (stdout and stderr), return its status.
in_peer() {
	local rc
	psh "$(printf '%q ' "$@")"
	rc=$?
	[ -z "$PSH_OUT" ] || printf '%s\n' "$PSH_OUT"
	return $rc
}

# mac_of DEV: a device's Ethernet address (initial netns), from sysfs.
mac_of() {
	local mac
	read -r mac <"/sys/class/net/$1/address" && echo "$mac"
}

# peer_mac_of DEV: the same in netns $PEER.
peer_mac_of() {
	psh "read -r m </sys/class/net/$1/address && echo \$m" && echo "$PSH_OUT"
}

# nsctl_state: links, addresses and routes as nsctl shows them in JSON
# (neighbours change on their own, so they are not part of it).
nsctl_state() {
	echo "links: $(nsctl -j link show 2>&1)"
	echo "addrs: $(nsctl -j addr show 2>&1)"
	echo "routes: $(nsctl -j route show 2>&1)"
}

# ---------------------------------------------------------------- inject.py

# inject_start: inject.py as a server in netns $PEER, sending from
# veth-linux to netstack (veth-ns's MAC, 10.0.0.1 -> 10.0.0.2). It talks
# over two pipes that both sides hold open (no coproc: bash keeps one).
INJ_PID=
inject_start() {
	exec {_inj_w}<> <(:) {_inj_r}<> <(:)
	ip netns exec "$PEER" "$PY" -u "$NET_DIR/inject.py" --serve \
		"$PEER_DEV" "$NS_MAC" "$PEER_IP" "$NS_IP" <&"$_inj_w" >&"$_inj_r" 2>&1 &
	INJ_PID=$!
}

inject_stop() {
	[ -n "$INJ_PID" ] || return 0
	echo quit >&"$_inj_w"
	kill "$INJ_PID" 2>/dev/null
	wait "$INJ_PID" 2>/dev/null
	INJ_PID=
}

# inject CLASS COUNT: send COUNT frames of CLASS (inject.py list); its
# answer in INJ_ANSWER: "sent CLASS COUNT", and for classes that must be
# answered, what became of the answer (" replied" when right).
INJ_ANSWER=
inject() {
	INJ_ANSWER=
	echo "$1 $2" >&"$_inj_w"
	IFS= read -r -t 60 INJ_ANSWER <&"$_inj_r"
	[[ $INJ_ANSWER == "sent $1 $2" || $INJ_ANSWER == "sent $1 $2 "* ]]
}

# answered CLASS NAME: one frame of CLASS gets its answer from netstack,
# and inject.py found the answer right (checksums, lengths, echoed data or
# quoted header).
answered() {
	local class=$1 name=$2
	snap
	if inject "$class" 1 && [[ $INJ_ANSWER == "sent $class 1 replied" ]]; then
		ok "$name"
	else
		fail "$name" "injector: ${INJ_ANSWER:-no answer}"$'\n'"$(deltas ip_rx ip_rx_delivered \
			ip_rx_drop_bad_options icmp_rx icmp_rx_echo_requests icmp_tx_echo_replies \
			icmp_tx_dest_unreachable icmp_tx_rate_limited ip_reasm_oks tcp_rx \
			tcp_rx_no_socket tcp_tx_resets ip_tx link_tx)"
	fi
}

# unanswered CLASS COUNT NAME 'WANT' COUNTER...: COUNT frames of CLASS get
# no answer on the wire (inject.py watches), and the COUNTERS grow as
# WANT says ("name=+N ...", as deltas prints them).
unanswered() {
	local class=$1 count=$2 name=$3 want=$4 got
	shift 4
	snap
	inject "$class" "$count"	# (which watches for 0.5 s: time enough to count)
	got=$(deltas "$@")
	if [[ $INJ_ANSWER == "sent $class $count unanswered" && $got == "$want" ]]; then
		ok "$name"
	else
		fail "$name" "injector: ${INJ_ANSWER:-no answer}"$'\n'"want: $want"$'\n'"got:  $got"$'\n'"$(deltas \
			ip_rx ip_rx_delivered ip_rx_drop_bad_source icmp_tx_echo_replies \
			icmp_tx_dest_unreachable tcp_rx tcp_tx_resets ip_tx ip_tx_drop_no_route link_tx)"
	fi
}

# Where 20-wire leaves what 90-wire-expiry is to check.
FRAG_STATE=/tmp/netstack-net-frag-state

# ---------------------------------------------------------------- udp-tool
#
# userspace-tests/udp-tool (its usage says more): servers run in the
# background, one at a time, and print "listening ADDR:PORT" once bound;
# every mode ends with a one-line summary.

TOOL=$REPO/userspace-tests/udp-tool
TOOL_PID=
TOOL_SIDE=

# _listening FILE: the server writing FILE is bound (its first line).
# shellcheck disable=SC2317	# (called through wait_for)
_listening() {
	local line
	read -r line <"$1" 2>/dev/null && [[ $line == listening* ]]
}

# tool_bg FILE ARGS...: udp-tool ARGS in the background, in this netns or in
# netns $TOOL_NETNS, output in FILE, stdin from $TOOL_STDIN (/dev/null by
# default); sets TOOL_PID. 1 if it does not say "listening" within 10 s.
tool_bg() {
	local f=$1 pre=()
	shift
	[ -z "${TOOL_NETNS:-}" ] || pre=(ip netns exec "$TOOL_NETNS")
	: >"$f"
	# (ip netns exec execs udp-tool: $! is udp-tool's pid.)
	"${pre[@]}" "$TOOL" "$@" <"${TOOL_STDIN:-/dev/null}" >"$f" 2>&1 &
	TOOL_PID=$!
	TOOL_SIDE=here
	wait_for 10 _started "$f"
	_listening "$f"
}

# tool_peer_bg FILE ARGS...: the same in netns $PEER (a child of the peer
# shell).
tool_peer_bg() {
	local f=$1
	shift
	: >"$f"
	psh "$(printf '%q ' "$TOOL" "$@") >$f 2>&1 & echo \$!"
	TOOL_PID=$PSH_OUT
	TOOL_SIDE=peer
	wait_for 10 _started "$f"
	_listening "$f"
}

# shellcheck disable=SC2317	# (called through wait_for)
_tool_gone() {
	if [ "$TOOL_SIDE" = here ]; then
		! kill -0 "$TOOL_PID" 2>/dev/null
	else
		psh "kill -0 $TOOL_PID 2>/dev/null" && return 1
		return 0
	fi
}

# _started FILE: the background udp-tool is listening, or has ended.
# shellcheck disable=SC2317	# (called through wait_for)
_started() {
	_listening "$1" || _tool_gone
}

# tool_wait [TIMEOUT_S]: wait (15 s by default) for the background udp-tool
# to end, kill it if it does not; its exit status (137 if killed).
tool_wait() {
	local rc
	[ -n "$TOOL_PID" ] || return 0
	if ! wait_for "${1:-15}" _tool_gone; then
		diag "udp-tool (pid $TOOL_PID, $TOOL_SIDE) still running after ${1:-15} s: killed"
		if [ "$TOOL_SIDE" = here ]; then
			kill -9 "$TOOL_PID" 2>/dev/null
		else
			psh "kill -9 $TOOL_PID"
		fi
	fi
	if [ "$TOOL_SIDE" = here ]; then
		wait "$TOOL_PID"
	else
		psh "wait $TOOL_PID"
	fi
	rc=$?
	TOOL_PID=
	return $rc
}

# tool_peer ARGS...: udp-tool ARGS in netns $PEER; its output in PSH_OUT.
tool_peer() {
	psh "$(printf '%q ' "$TOOL" "$@")"
}

# ---------------------------------------------------------------- ping

PING_TX=
PING_RX=

# ping_peer ARGS...: ping -n from netns $PEER; sets PSH_OUT (its output),
# PING_TX and PING_RX (packets sent and answered, "?" when its summary is
# missing). Always returns 0.
ping_peer() {
	psh "ping -n $(printf '%q ' "$@")"
	if [[ $PSH_OUT =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]]; then
		PING_TX=${BASH_REMATCH[1]}
		PING_RX=${BASH_REMATCH[2]}
	else
		PING_TX='?'
		PING_RX='?'
	fi
	return 0
}

# ping_ok NAME COUNT PING_ARGS...: COUNT pings, COUNT answers (0% loss),
# none duplicated, truncated or with other data than was sent (ping checks).
ping_ok() {
	local name=$1 count=$2
	shift 2
	ping_peer -c "$count" "$@"
	if [ "$PING_TX" == "$count" ] && [ "$PING_RX" == "$count" ] &&
		! [[ $PSH_OUT =~ DUP!|wrong\ data|truncated|wrong\ total\ length ]]; then
		ok "$name"
	else
		fail "$name" "ping -c $count $*: sent $PING_TX, answered $PING_RX (want $count/$count)"$'\n'"$PSH_OUT"
	fi
}

# ping_lost NAME COUNT PING_ARGS...: COUNT pings, no answer (100% loss).
ping_lost() {
	local name=$1 count=$2
	shift 2
	ping_peer -c "$count" "$@"
	if [ "$PING_TX" == "$count" ] && [ "$PING_RX" == 0 ]; then
		ok "$name"
	else
		fail "$name" "ping -c $count $*: sent $PING_TX, answered $PING_RX (want $count/0)"$'\n'"$PSH_OUT"
	fi
}

# Fast, bounded ping runs: a burst that must all be answered, and a short
# one that must all be lost.
PING_FAST=(-i 0.05 -W 2)
PING_SHORT=(-i 0.1 -W 1)

# ---------------------------------------------------------------- topology

# topo_linux: the veth pair, the peer shell, the Linux side configured;
# netstack not attached yet. On failure, says why in TOPO_ERR.
TOPO_ERR=
topo_linux() {
	TOPO_ERR=$(ip -batch - 2>&1 <<-EOF
		netns add $PEER
		link add $NS_DEV address $NS_MAC type veth peer name $PEER_DEV address $PEER_MAC netns $PEER
		link set $NS_DEV up
	EOF
	) || return 1
	peer_start
	psh "ip -batch - <<EOF
link set lo up
addr add $PEER_IP/$PLEN dev $PEER_DEV
link set $PEER_DEV up
EOF" || { TOPO_ERR=$PSH_OUT; return 1; }
}

_carrier() {
	local c
	read -r c <"/sys/class/net/$NS_DEV/carrier" && [ "$c" = 1 ]
}

# topo_setup: the whole topology of the file comment; bails out on failure.
topo_setup() {
	local out
	topo_teardown
	topo_linux || bail "topology setup failed: $TOPO_ERR"
	out=$({ nsctl link attach "$NS_DEV" &&
		nsctl addr add "$NS_IP/$PLEN" dev "$NS_DEV"; } 2>&1) ||
		bail "topology setup failed: $out"
	# veth has carrier once both ends are up.
	wait_for 5 _carrier || bail "$NS_DEV has no carrier"
}

# topo_teardown: remove everything any script makes; quiet, idempotent.
# Deleting veth-ns (which takes its peer along) detaches netstack from it
# at once; deleting the netns first would leave that to an asynchronous
# netns cleanup, racing the next script's setup.
topo_teardown() {
	local dev cmds=
	inject_stop
	[ "$TOOL_SIDE" != here ] || [ -z "$TOOL_PID" ] || kill -9 "$TOOL_PID" 2>/dev/null
	peer_stop
	for dev in "$NS_DEV" "$SPARE_DEV" "$BRIDGE_DEV"; do
		[ -e "/sys/class/net/$dev" ] && cmds+="link del $dev"$'\n'
	done
	[ -e "/run/netns/$PEER" ] && cmds+="netns del $PEER"$'\n'
	# nsa/nsb: their veth first (both ends go with it), for the same reason.
	if [ -e "/run/netns/$NSA" ]; then
		ip -n "$NSA" link del "$NSA_DEV" >/dev/null 2>&1
		cmds+="netns del $NSA"$'\n'
	fi
	[ -e "/run/netns/$NSB" ] && cmds+="netns del $NSB"$'\n'
	[ -z "$cmds" ] || ip -force -batch - <<<"$cmds" >/dev/null 2>&1
	return 0
}

# Every script leaves the guest as it found it, however it ends.
trap topo_teardown EXIT
trap 'exit 143' TERM INT
