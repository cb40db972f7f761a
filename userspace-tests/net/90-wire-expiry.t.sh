#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# 90-wire-expiry — the incomplete datagrams 20-wire left in netstack's
# reassembly table (a flood of 2000 first fragments and 5 datagrams with a
# duplicate fragment) expire 30 s after they came, each counted once in
# ip_reasm_timeout. The table is the initial netns's, so it outlives
# 20-wire's topology; running last, this script rarely waits. Run alone
# (no $FRAG_STATE from 20-wire in this boot), it floods by itself first.
#
#   ┌──── initial netns: netstack ────┐        ┌──── netns "peer": Linux ────┐
#   │ reassembly table: 2005 queues   │        │ (only when run alone:       │
#   │ waiting for fragments that      │ ◄──────┼─  inject.py frag-flood)     │
#   │ never come                      │        │                             │
#   └─────────────────────────────────┘        └─────────────────────────────┘
. "$(dirname "$0")/lib.sh"
plan 1
FRAG_TIMEOUT_S=30

if [ -r "$FRAG_STATE" ]; then
	read -r state <"$FRAG_STATE"
	rm -f "$FRAG_STATE"
	eval "$state"	# FLOOD_T TIMEOUTS0 EXPIRING, written by 20-wire
	diag "20-wire queued $EXPIRING incomplete datagrams $(((${EPOCHREALTIME/[.,]/} - FLOOD_T) / 1000000)) s ago"
else
	topo_setup
	inject_start
	_now_us
	FLOOD_T=$NOW_US
	TIMEOUTS0=$(stat ip_reasm_timeout)
	EXPIRING=2005
	inject frag-flood 2000 && inject frag-duplicate 5 ||
		bail "injector: ${INJ_ANSWER:-no answer}"
	topo_teardown
	diag "queued $EXPIRING incomplete datagrams"
fi

# Wait until 15 s past their timeout at most.
_now_us
left=$((FRAG_TIMEOUT_S + 15 - (NOW_US - FLOOD_T) / 1000000))
[ $left -gt 0 ] || left=1
wait_for $left eval '[ $(($(stat ip_reasm_timeout) - TIMEOUTS0)) -ge $EXPIRING ]'
expect_eq "the $EXPIRING incomplete datagrams expired (ip_reasm_timeout +$EXPIRING)" \
	"$EXPIRING" $(($(stat ip_reasm_timeout) - TIMEOUTS0)) \
	"$(grep '^ip_reasm' "$STATS")"

done_testing
