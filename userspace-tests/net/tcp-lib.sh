# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tcp-lib.sh — sourced after lib.sh by the TCP interop scripts (85-87): the
# switch between netstack and Linux for "netstack's side", and tcp-tool
# run on both sides.
#
# Each script sets NS_FAMILY at its top (NS_FAMILY=${NS_FAMILY:-netstack}):
#   netstack  netstack's side is netstack: nsctl attaches it to the veth end
#             and gives it the address; tcp-tool runs there with -f netstack
#   inet      netstack's side is Linux's own stack in the same place (the
#             address given with "ip addr add", tcp-tool -f inet): the same
#             checks then run Linux against Linux, which proves them
#             before netstack's TCP exists, and shows what Linux does
# Checks of netstack's counters skip when NS_FAMILY=inet.

case ${NS_FAMILY:-} in
netstack | inet) ;;
*) bail "NS_FAMILY must be netstack or inet, not '${NS_FAMILY:-}'" ;;
esac

# lib.sh's background-tool helpers (tool_bg, tool_peer_bg, tool_wait, ...)
# run $TOOL: here that is tcp-tool.
TOOL=$REPO/userspace-tests/tcp-tool
[ -x "$TOOL" ] || bail "$TOOL is missing (make userspace)"
# Long transfers run in the peer shell in one piece.
# shellcheck disable=SC2034	# (lib.sh reads it)
PSH_TIMEOUT=900

# need_ns_tcp: call after plan. With NS_FAMILY=netstack and a netstack
# without TCP yet (tcp-tool probe: listen() says EOPNOTSUPP), every check
# of the script is skipped, saying so, and the script ends; once
# netstack's TCP is there, the checks run with no change here.
need_ns_tcp() {
	local out
	[ "$NS_FAMILY" = netstack ] || return 0
	out=$("$TOOL" -f netstack probe 2>&1) && return 0
	# shellcheck disable=SC2154	# (lib.sh's TAP state)
	while [ "$_tap_n" -lt "$_tap_plan" ]; do
		skip "check $((_tap_n + 1)) of $_tap_plan" \
			"netstack has no TCP yet (${out#probe: }); NS_FAMILY=inet runs these checks Linux against Linux"
	done
	done_testing
}

# TIME-WAIT lasts 2 MSL: net.netstack.tcp_msl_ms for netstack's side.
TCP_MSL_MS=${TCP_MSL_MS:-1000}

# ns_addr_add [-n NETNS] DEV ADDR/PLEN: give netstack's side of DEV the
# address, in this netns or NETNS, the way NS_FAMILY says (for netstack,
# with the MSL above).
ns_addr_add() {
	local pre=()
	if [ "$1" = -n ]; then
		pre=(ip netns exec "$2")
		shift 2
	fi
	if [ "$NS_FAMILY" = netstack ]; then
		# A short MSL: connections left in TIME-WAIT hold netstack
		# (and the guest's rmmod at the end) for 2 MSL.
		"${pre[@]}" sysctl -qw net.netstack.tcp_msl_ms="$TCP_MSL_MS" &&
			"${pre[@]}" "$NSCTL" link attach "$1" && "${pre[@]}" "$NSCTL" addr add "$2" dev "$1"
	else
		"${pre[@]}" ip addr add "$2" dev "$1"
	fi
}

# tcp_topo_setup: lib.sh's topology (see its head), netstack's side made
# per NS_FAMILY; bails out on failure.
tcp_topo_setup() {
	local out
	topo_teardown
	topo_linux || bail "topology setup failed: $TOPO_ERR"
	out=$(ns_addr_add "$NS_DEV" "$NS_IP/$PLEN" 2>&1) || bail "topology setup failed: $out"
	wait_for 5 _carrier || bail "$NS_DEV has no carrier"
}

# ns_tso_off: scatter-gather (and with it TSO) and GSO off on netstack's
# end, so that an impairment on it (netem) or a reader of its packets sees
# segments, not GSO packets of up to 45: netstack, like Linux's TCP, builds
# GSO packets for any link that takes scatter-gather, whatever its tso and
# gso say. A failure is only reported.
ns_tso_off() {
	ethtool -K "$NS_DEV" sg off tso off gso off >/dev/null 2>&1 ||
		diag "ethtool -K $NS_DEV sg off tso off gso off failed: netstack may send GSO packets"
}

# ---------------------------------------------------------------- counters

# ns_snap: remember netstack's counters (lib.sh snap) and, for inet, the
# Tcp line of Linux's /proc/net/snmp on netstack's side.
declare -A _snmp_snap
ns_snap() {
	if [ "$NS_FAMILY" = netstack ]; then
		snap
	else
		_tcp_snmp _snmp_snap
	fi
}

# _tcp_snmp ARRAY [TEXT]: Linux's Tcp counters by name, from TEXT (what
# /proc/net/snmp said) or this netns's /proc/net/snmp.
_tcp_snmp() {
	local -n _to=$1
	local names=() vals=() i l
	_to=()
	while read -r -a l; do
		[ "${l[0]}" = Tcp: ] || continue
		if [ ${#names[@]} = 0 ]; then
			names=("${l[@]}")
		else
			vals=("${l[@]}")
		fi
	done < <(if [ $# -gt 1 ]; then printf '%s\n' "$2"; else cat /proc/net/snmp; fi)
	for ((i = 1; i < ${#names[@]}; i++)); do
		_to["${names[i]}"]=${vals[i]}
	done
}

# snmp_delta NAME: the growth of Linux's Tcp counter NAME since ns_snap.
snmp_delta() {
	local -A now
	_tcp_snmp now
	echo $((${now[$1]:-0} - ${_snmp_snap[$1]:-0}))
}

# ns_diag: what netstack's side counted since ns_snap, for a failure's
# diagnostics: every tcp_* counter that moved (netstack), or Linux's Tcp
# counters that moved (inet).
ns_diag() {
	local k out='' v
	if [ "$NS_FAMILY" = netstack ]; then
		[ -r "$STATS" ] || { echo "(no $STATS)"; return; }
		_read_stats _now
		# shellcheck disable=SC2154	# (lib.sh declares _now)
		for k in "${!_now[@]}"; do
			[[ $k == tcp_* || $k == ip_rx* || $k == link_tx_errors ]] || continue
			v=$((${_now[$k]} - ${_snap[$k]:-0}))
			[ "$v" = 0 ] || out+="$k=+$v "
		done
		echo "netstack counters since the start of the check: ${out:-none moved}"
	else
		local -A now
		_tcp_snmp now
		for k in "${!now[@]}"; do
			v=$((${now[$k]} - ${_snmp_snap[$k]:-0}))
			[ "$v" = 0 ] || out+="$k=+$v "
		done
		echo "Linux Tcp counters on netstack's side since the start of the check: ${out:-none moved}"
	fi
}

# ---------------------------------------------------------------- tcp-tool pairs

# pair DIR PORT SERVER_MODE [SERVER_ARGS...] -- CLIENT_MODE [CLIENT_ARGS...]:
# a tcp-tool server and client, the server in the background. DIR
# "ns>linux": netstack's side is the client, Linux's the server (bound to
# $PEER_IP:PORT); "linux>ns": the other way round. Sets CLI_OUT, CLI_RC,
# SRV_OUT, SRV_RC ("-" when not run) and PAIR_S (seconds, the client's
# run). Run ns_snap first for ns_diag.
CLI_OUT='' CLI_RC='' SRV_OUT='' SRV_RC='' PAIR_S=''
pair() {
	local dir=$1 port=$2 sargs=() cargs=() t0
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		sargs+=("$1")
		shift
	done
	shift
	cargs=("$@")
	CLI_OUT="(not run: the server did not start)" CLI_RC=- SRV_RC=-
	_now_us
	t0=$NOW_US
	if [ "$dir" = "ns>linux" ]; then
		if tool_peer_bg "$OUT/server" -f inet "${sargs[0]}" -b "$PEER_IP:$port" "${sargs[@]:1}"; then
			CLI_OUT=$("$TOOL" -f "$NS_FAMILY" "${cargs[0]}" -p "$PEER_IP:$port" "${cargs[@]:1}" 2>&1)
			CLI_RC=$?
		fi
	else
		if tool_bg "$OUT/server" -f "$NS_FAMILY" "${sargs[0]}" -b "$NS_IP:$port" "${sargs[@]:1}"; then
			# (psh waits as long as the client's own limit, -T, allows)
			_limit_of "${cargs[@]}"
			PSH_TIMEOUT=$((LIMIT_V + 30)) \
				psh "$(printf '%q ' "$TOOL" -f inet "${cargs[0]}" -p "$NS_IP:$port" "${cargs[@]:1}")"
			CLI_RC=$?
			CLI_OUT=$PSH_OUT
		fi
	fi
	_now_us
	PAIR_S=$(((NOW_US - t0) / 1000))
	PAIR_S=$((PAIR_S / 1000)).$(printf %03d $((PAIR_S % 1000)))
	tool_wait 30
	SRV_RC=$?
	SRV_OUT=$(<"$OUT/server")
}

# _limit_of ARGS...: the time limit tcp-tool ARGS runs with (-T N, else
# 120), in LIMIT_V.
_limit_of() {
	LIMIT_V=120
	while [ $# -gt 0 ]; do
		[ "$1" != -T ] || LIMIT_V=${2:-120}
		shift
	done
}

# pair_diag: both outputs and the counters, for a failure.
pair_diag() {
	printf 'client (status %s):\n%s\nserver (status %s):\n%s\n%s' \
		"$CLI_RC" "$CLI_OUT" "$SRV_RC" "$SRV_OUT" "$(ns_diag)"
}

# pair_ok NAME CLIENT_MODE: ok when the client and the server both exit 0
# (each checks what it saw); the client's result line as a diagnostic.
pair_ok() {
	if [ "$CLI_RC" = 0 ] && [ "$SRV_RC" = 0 ]; then
		ok "$1"
		diag "$(first_line "$CLI_OUT" "$2:") [${PAIR_S} s]"
		return 0
	fi
	fail "$1" "$(pair_diag)"
	return 1
}

# sha_of TEXT PREFIX: the SHA-256 on the first line of TEXT that starts
# with PREFIX ("-" if none).
sha_of() {
	local line
	line=$(first_line "$1" "$2") && [[ $line =~ sha256\ ([0-9a-f]{64}) ]] &&
		echo "${BASH_REMATCH[1]}" && return
	echo -
}

# pair_sha_ok NAME CLIENT_PREFIX SERVER_PREFIX: pair_ok, and the SHA-256
# the client printed equals the one the server printed (what one side sent
# is what the other read), both being on lines with those prefixes.
pair_sha_ok() {
	local cs ss
	cs=$(sha_of "$CLI_OUT" "$2")
	ss=$(sha_of "$SRV_OUT" "$3")
	if [ "$CLI_RC" = 0 ] && [ "$SRV_RC" = 0 ] && [ "$cs" != - ] && [ "$cs" = "$ss" ]; then
		ok "$1"
		diag "$(first_line "$CLI_OUT" "$2") [${PAIR_S} s]"
		return 0
	fi
	fail "$1" "SHA-256: client $cs, server $ss"$'\n'"$(pair_diag)"
	return 1
}
