#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh — the network tests: netstack against Linux's own stack over a
# veth, in the test guest:
#
#   vm/run -- userspace-tests/net/run.sh [-t] [PATTERN...]
#
# Runs every NN-*.t.sh here in order (with PATTERNs, those whose name
# contains one of them), each with a time limit, and prints one TAP stream:
# "TAP version 13", "1..N" (the sum of the scripts' plans), then every
# check renumbered, "# ..." diagnostics. A script that ends early, or runs
# out of time (120 s, or what its "# timeout: N" line says), has its
# missing checks reported as "not ok". After each script the topology is
# torn down whatever the script left. Exits 1 if any check failed. -t
# appends to each check the time it took, "(N ms)".
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ 10.0.0.2/24 on veth-ns  ────────┼─ veth ─┼── veth-linux 10.0.0.1/24    │
#   └─────────────────────────────────┘        └─────────────────────────────┘
set -u
shopt -s lastpipe
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
trap - EXIT
SCRIPT_TIMEOUT=${NET_SCRIPT_TIMEOUT:-120}

timing=0
if [ "${1:-}" == -t ]; then
	timing=1
	shift
fi

scripts=()
for s in "$here"/[0-9]*.t.sh; do
	name=$(basename "$s" .t.sh)
	if [ $# -gt 0 ]; then
		want=0
		for p in "$@"; do
			[[ $name == *"$p"* ]] && want=1
		done
		[ $want = 1 ] || continue
	fi
	scripts+=("$s")
done
if [ ${#scripts[@]} = 0 ]; then
	echo "run.sh: no test script matches: $*" >&2
	exit 2
fi

# Each script's "plan N" line, and its time limit: SCRIPT_TIMEOUT, or the
# seconds a "# timeout: N" line before the plan line asks for (unless
# NET_SCRIPT_TIMEOUT is set). Read with builtins: no exec per script.
total=0
declare -A planned limit
for s in "${scripts[@]}"; do
	p='' t=''
	while IFS= read -r line; do
		if [[ $line =~ ^plan\ ([0-9]+)$ ]]; then
			p=${BASH_REMATCH[1]}
			break
		fi
		[[ $line =~ ^#\ timeout:\ ([0-9]+)$ ]] && t=${BASH_REMATCH[1]}
	done <"$s"
	if [ -z "$p" ]; then
		echo "run.sh: $s has no \"plan N\" line" >&2
		exit 2
	fi
	planned[$s]=$p
	limit[$s]=$SCRIPT_TIMEOUT
	[ -z "$t" ] || [ -n "${NET_SCRIPT_TIMEOUT:-}" ] || limit[$s]=$t
	total=$((total + p))
done

echo "TAP version 13"
echo "1..$total"
n=0
pass=0
failn=0
skipn=0
status=0
_now_us
start=$NOW_US
topo_teardown

for s in "${scripts[@]}"; do
	name=$(basename "$s" .t.sh)
	echo "# $name"
	got=0
	_now_us
	t0=$NOW_US
	last=$NOW_US
	# Renumber the script's checks; anything not TAP is a diagnostic.
	# timeout runs the script in a process group of its own: once the
	# script has ended, whatever it left running there is killed, so that
	# nothing holds this pipe open past the script.
	{
		timeout -k 5 "${limit[$s]}" bash "$s" 2>&1 &
		tpid=$!
		wait "$tpid"
		trc=$?
		kill -9 -- "-$tpid" 2>/dev/null
		exit "$trc"
	} | while IFS= read -r line; do
		case $line in
		"TAP version"* | 1..*) ;;
		"ok "* | "not ok "*)
			n=$((n + 1))
			got=$((got + 1))
			rest=
			[[ $line =~ ^(not )?ok\ [0-9]+(.*)$ ]] && rest=${BASH_REMATCH[2]}
			if [ $timing = 1 ]; then
				_now_us
				rest+=" ($(((NOW_US - last) / 1000)) ms)"
				last=$NOW_US
			fi
			if [[ $line == not* ]]; then
				echo "not ok $n$rest"
				failn=$((failn + 1))
				status=1
			else
				echo "ok $n$rest"
				if [[ $rest == *"# SKIP"* ]]; then
					skipn=$((skipn + 1))
				else
					pass=$((pass + 1))
				fi
			fi
			;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done
	rc=${PIPESTATUS[0]}
	[ "$rc" = 124 ] && echo "# $name: killed after ${limit[$s]}s"
	while [ "$got" -lt "${planned[$s]}" ]; do
		n=$((n + 1))
		got=$((got + 1))
		failn=$((failn + 1))
		echo "not ok $n - $name: check $got of ${planned[$s]} not made (script exited with status $rc)"
		status=1
	done
	if [ "$got" -gt "${planned[$s]}" ]; then
		echo "# $name: made $got checks, planned ${planned[$s]}"
		status=1
	fi
	[ "$rc" = 0 ] || status=1
	topo_teardown
	_now_us
	echo "# $name: status $rc, $(((NOW_US - t0) / 1000)) ms"
done

_now_us
echo "# $pass passed, $failn failed, $skipn skipped in $(((NOW_US - start) / 1000000)) s"
exit $status
