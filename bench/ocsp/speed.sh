#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The raw ECDSA P-256 rate of one core, the yardstick for signing on
# demand:
#   speed.sh WORK LABEL
# runs `openssl speed -seconds SPEED_SECONDS ecdsap256` (one process:
# SPEED_SECONDS of signing, then as long verifying) and records sign/s,
# verify/s, the CPU it used and what other processes used meanwhile.
# Writes WORK/LABEL.env.
set -eu
WORK=$1 LABEL=$2
. "$BENCH_ROOT/lib.sh"
SECS=${SPEED_SECONDS:-3}

out=$WORK/$LABEL.env
: >"$out"
fail() {
	echo "status=failed: $*" >>"$out"
	echo "bench[$LABEL]: $*" >&2
	exit 1
}

times >"$WORK/$LABEL.times.0"
m0=$(machine_ticks)
start=$(now)
openssl speed -seconds "$SECS" ecdsap256 >"$WORK/$LABEL.txt" 2>"$WORK/$LABEL.err" ||
	fail "openssl speed failed (see $WORK/$LABEL.err)"
secs=$(elapsed "$start")
m1=$(machine_ticks)
times >"$WORK/$LABEL.times.1"
c=$(($(times_ticks "$WORK/$LABEL.times.1") - $(times_ticks "$WORK/$LABEL.times.0")))
# " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  47900.0  16600.0"
line=$(grep 'ecdsa (nistp256)' "$WORK/$LABEL.txt" | tail -n 1)
[ -n "$line" ] || fail "no nistp256 line in the output of openssl speed"
{
	echo "status=done"
	echo "$line" | awk '{ printf "sign_rate=%s\nverify_rate=%s\n", $(NF - 1), $NF }'
	echo "seconds=$secs"
	awk -v c="$c" -v m=$((m1 - m0)) -v s="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN {
		o = m - c; if (o < 0) o = 0
		printf "cpu_util=%.2f\nother_load=%.2f\n", c / hz / s, o / hz / s }'
	echo "verify=ok"
} >>"$out"
