# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the benchmark scripts (POSIX sh; sourced, not run).
#
# The caller sets BENCH_ROOT (the bench/ directory) and BENCH_PIDS (a file
# listing, one per line, the process ids of every server it started, so
# whoever cleans up stops exactly those and nothing else).

# Tunables, shared by every HTTP target so they all get the same load.
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-16}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}

now() { date +%s.%N; }

# elapsed START [END]: seconds between two now() stamps.
elapsed() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.3f", b - a }'; }

# A free TCP port on loopback.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A process's start time (clock ticks since boot): with the pid, it names
# the process exactly, even if the pid is later reused.
start_time() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null || true; }

# Remember a server we started, so cleanup stops it (and only it).
track_pid() { echo "$1 $(start_time "$1")" >>"$BENCH_PIDS"; }

# stop_pid PID: SIGTERM, up to 10 s for a graceful exit, then SIGKILL.
stop_pid() {
	_p=$1
	kill -0 "$_p" 2>/dev/null || return 0
	kill -TERM "$_p" 2>/dev/null || true
	_i=0
	while kill -0 "$_p" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 "$_p" 2>/dev/null; then
		echo "bench: pid $_p did not stop on SIGTERM; killing it" >&2
		kill -KILL "$_p" 2>/dev/null || true
	fi
	return 0
}

# Stops every server listed in BENCH_PIDS, one by one, by id.
stop_tracked() {
	[ -f "$BENCH_PIDS" ] || return 0
	while read -r _p _st; do
		if [ -n "$_p" ] && [ "$(start_time "$_p")" = "$_st" ]; then
			stop_pid "$_p"
		fi
	done <"$BENCH_PIDS"
	: >"$BENCH_PIDS"
}

# wait_http URL [SECONDS]: until URL answers at all (any HTTP status).
wait_http() {
	_n=0
	_max=$(( ${2:-10} * 10 ))
	while [ $_n -lt $_max ]; do
		_code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null || true)
		case $_code in
		000 | "") ;;
		*) return 0 ;;
		esac
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}

# CPU time (user+system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# CPU ticks of PID and its direct children (a PostgreSQL postmaster and
# its backends); children that exit meanwhile are not counted.
tree_ticks() {
	_t=$(cpu_ticks "$1")
	for _c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		_t=$((_t + $(cpu_ticks "$_c")))
	done
	echo "$_t"
}

# Busy CPU time of the whole machine so far (clock ticks, all CPUs):
# user + nice + system + irq + softirq + steal from /proc/stat.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# times_ticks FILE: the CPU time (ticks) in the output of `times` saved to
# FILE, whose second line is the user and system time of the shell's
# waited-for children, as "0m1.500000s 0m0.200000s".
times_ticks() {
	awk -v hz="$(getconf CLK_TCK)" 'END {
		n = 0
		for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2]); n += a[1] * 60 + a[2]
		}
		printf "%d\n", n * hz + 0.5
	}' "$1"
}

# wait_idle SECONDS: on a shared machine, wait up to SECONDS for two quiet
# seconds in a row (other work below 0.15 core), so a measurement does not
# compete with someone's build.  Returns at once for SECONDS = 0.
wait_idle() {
	_left=${1:-0}
	_quiet=0
	while [ "$_left" -gt 0 ] && [ "$_quiet" -lt 2 ]; do
		_a=$(machine_ticks)
		sleep 1
		_b=$(machine_ticks)
		if [ $((_b - _a)) -lt $(($(getconf CLK_TCK) * 15 / 100)) ]; then
			_quiet=$((_quiet + 1))
		else
			_quiet=0
		fi
		_left=$((_left - 1))
	done
	return 0
}

# run_wrk OUT URL PATH BODYFILE AUTH SECONDS
#   Writes OUT (key=value summary from post.lua, plus wrk_ticks: the CPU
#   time wrk itself used) and OUT.wrk (wrk's output).
run_wrk() {
	(
		BENCH_OUT=$1 BENCH_PATH=$3 BENCH_BODY=$4 BENCH_AUTH=$5 \
			timeout --foreground -k 5 $(($6 + 30)) \
			wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$6"s --timeout 10s \
			-s "$BENCH_ROOT/issue/post.lua" "$2" >"$1.wrk" 2>&1 || true
		times >"$1.times" # the subshell's children: wrk (and timeout)
	)
	[ -s "$1" ] || { echo "bench: wrk produced no summary, see $1.wrk" >&2; return 1; }
	echo "wrk_ticks=$(times_ticks "$1.times")" >>"$1"
}

# load_report OUT DURATION SERVER_TICKS MACHINE_TICKS_DELTA [DB_TICKS]
#   Prints cpu_util / other_load lines for a measured run: what the server
#   (and its database server, if any) used, and what everything else on
#   the machine (not the server, not its database, not wrk) used
#   meanwhile, in cores.  A large other_load means a noisy result.
load_report() {
	awk -v s="$3" -v m="$4" -v db="${5:-0}" -v w="$(kv "$1" wrk_ticks)" -v d="$2" \
		-v hz="$(getconf CLK_TCK)" -v n="$(kv "$1" ok)" 'BEGIN {
		o = m - s - db - w; if (o < 0) o = 0
		printf "cpu_util=%.2f\n", s / hz / d
		printf "cpu_ms_per_cert=%.3f\n", n ? s * 1000 / hz / n : 0
		printf "db_cpu=%.2f\n", db / hz / d
		printf "db_ms_per_cert=%.3f\n", n ? db * 1000 / hz / n : 0
		printf "wrk_cores=%.2f\n", w / hz / d
		printf "other_load=%.2f\n", o / hz / d
	}'
}

# kv FILE KEY: the value of KEY in a key=value file ("" if absent).
kv() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1; }

# bench_init NAME: the start every bench/*/run.sh shares, once WORK is set:
# WORK made absolute, BENCH_PIDS (WORK/pids) emptied, the servers it lists
# stopped on exit or Ctrl-C, bench_start stamped for log and die.
bench_init() {
	BENCH_NAME=$1
	mkdir -p "$WORK"
	WORK=$(cd "$WORK" && pwd)
	BENCH_PIDS=$WORK/pids
	export BENCH_PIDS
	: >"$BENCH_PIDS"
	trap stop_tracked EXIT
	trap 'stop_tracked; exit 130' INT TERM
	bench_start=$(now)
}
# log MSG / die MSG: a line on stderr with NAME and the seconds since
# bench_init; die ends the benchmark (exit 1) as a failed setup.
log() { echo "bench: [$BENCH_NAME $(elapsed "$bench_start")s] $*" >&2; }
die() {
	log "setup failed: $*"
	exit 1
}

# copy_files N FILE DIR: N copies of FILE in DIR (DIR/d1.pdf ..., the
# extension is FILE's), listed one a line in DIR.list.
copy_files() {
	_n=$1 _f=$2 _d=$3 _i=1
	mkdir -p "$_d"
	while [ $_i -le "$_n" ]; do
		cp "$_f" "$_d/d$_i.${_f##*.}"
		_i=$((_i + 1))
	done
	ls "$_d"/d*."${_f##*.}" >"$_d.list"
}

# target_init: the start every target script (bench/*/sertel.sh,
# cfssl.sh, ...) shares, once WORK and LABEL are set: dir (WORK/LABEL),
# out (WORK/LABEL.env, emptied), srv (a server's pid, stopped on exit and
# on Ctrl-C), and fail MSG, which records the failure in out and exits 1.
target_init() {
	dir=$WORK/$LABEL
	out=$WORK/$LABEL.env
	: >"$out"
	srv=""
	trap target_cleanup EXIT
	trap 'target_cleanup; exit 130' INT TERM
}
target_cleanup() { [ -n "$srv" ] && stop_pid "$srv"; srv=""; }
fail() {
	echo "status=failed: $*" >>"$out"
	echo "bench[$LABEL]: $*" >&2
	exit 1
}
