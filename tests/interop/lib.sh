# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the interop and HTTP shell tests.  Sourced by bash.
#
# Environment (set by tests/CMakeLists.txt, sertel_store_test):
#   SERTEL_BIN      the sertel binary (required)
#   SERTEL_TEST_DB  "sqlite" (default engine) or a fresh PostgreSQL URL
#   SERTEL_BUILD    the build directory (unused here, informative)
#   KEEP=1          keep the temporary directory for inspection
#
# A script does:
#   . "$(dirname "$0")/../interop/lib.sh"
#   lib_setup NAME
#   ... check "what" cmd args... ; pass/fail ...
#   finish
# and its last line of output is exactly "N passed, M failed"; the exit
# status is non-zero when anything failed (or nothing was checked).

set -u

PASS=0
FAIL=0
SERVER_PID=
SERVER_LOG=
SERVER_URL=
PG_DBS=
PG_MAIN_USED=0
T=
FINISHED=0

# ---- counters ----------------------------------------------------------
pass() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
fail() { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }
note() { printf '#    %s\n' "$*"; }

# quiet CMD [ARGS...]: CMD with its output discarded.
quiet() { "$@" >/dev/null 2>&1; }

# check DESC CMD [ARGS...]: pass when CMD exits 0.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# ok DESC CMD [ARGS...]: pass when CMD exits 0; a failure shows CMD's
# stderr.  Its output stays in $T/out and $T/err.
ok() {
	local desc=$1
	shift
	if "$@" >"$T/out" 2>"$T/err"; then pass "$desc"; else fail "$desc: $(cat "$T/err")"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# check_rc DESC EXPECTED_RC CMD [ARGS...] (output discarded)
check_rc() {
	local desc=$1 want=$2 rc
	shift 2
	"$@" >/dev/null 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$desc"; else fail "$desc: exit $rc, expected $want"; fi
}

# Ends the script: the summary is the very last line.
finish() {
	FINISHED=1
	if [ "$FAIL" -gt 0 ] && [ -n "$SERVER_LOG" ] && [ -s "$SERVER_LOG" ]; then
		note "last lines of the server log:"
		tail -n 15 "$SERVER_LOG" | sed 's/^/#      /'
	fi
	lib_cleanup
	echo "$PASS passed, $FAIL failed"
	if [ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]; then exit 0; fi
	exit 1
}

# A fatal setup error: counted as a failure, then the summary.
die() {
	fail "FATAL: $*"
	finish
}

# ---- setup / cleanup ---------------------------------------------------
lib_cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	SERVER_PID=
	local d
	for d in $PG_DBS; do
		psql -X -q "$(pg_admin_url)" -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" \
			>/dev/null 2>&1
	done
	PG_DBS=
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "${KEEP:-0}" = 1 ]; then
			note "kept $T"
		else
			rm -rf "$T"
		fi
	fi
}

on_exit() {
	# An unexpected exit (not through finish): still clean up and report.
	if [ "$FINISHED" = 0 ]; then
		FINISHED=1
		fail "script exited early"
		lib_cleanup
		echo "$PASS passed, $FAIL failed"
		exit 1
	fi
}

lib_setup() {
	local name=$1
	trap on_exit EXIT
	trap 'exit 1' INT TERM
	[ -n "${SERTEL_BIN:-}" ] || die "SERTEL_BIN is not set"
	[ -x "$SERTEL_BIN" ] || die "SERTEL_BIN '$SERTEL_BIN' is not executable"
	SERTEL_TEST_DB=${SERTEL_TEST_DB:-sqlite}
	case $SERTEL_TEST_DB in
	sqlite) ENGINE=sqlite ;;
	postgres://* | postgresql://*) ENGINE=pg ;;
	*) die "SERTEL_TEST_DB '$SERTEL_TEST_DB': expected sqlite or a PostgreSQL URL" ;;
	esac
	local tool
	for tool in openssl jq curl python3; do
		command -v $tool >/dev/null 2>&1 || die "$tool is not installed"
	done
	if [ "$ENGINE" = sqlite ]; then
		command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is not installed"
	else
		command -v psql >/dev/null 2>&1 || die "psql is not installed"
	fi
	T=$(mktemp -d "${TMPDIR:-/tmp}/sertel-$name.XXXXXX") || die "mktemp failed"
	T=$(cd "$T" && pwd -P)
	# The master passphrase must come only from where a test sets it.
	unset SERTEL_MASTER_PASSPHRASE SERTEL_DIR
	ACTOR="cli:$(id -un)"
	note "engine $ENGINE, sertel $SERTEL_BIN, tmp $T"
}

# ---- PostgreSQL databases ----------------------------------------------
# The URL of SERTEL_TEST_DB with another database name.
pg_url_for() {
	local base=${SERTEL_TEST_DB%%\?*} query=
	case $SERTEL_TEST_DB in *\?*) query="?${SERTEL_TEST_DB#*\?}" ;; esac
	printf '%s/%s%s\n' "${base%/*}" "$1" "$query"
}
pg_main_db() {
	local base=${SERTEL_TEST_DB%%\?*}
	printf '%s\n' "${base##*/}"
}
pg_admin_url() { pg_url_for postgres; }

# pg_new_db SUFFIX [TEMPLATE]: creates "<main>_SUFFIX" (dropped on exit)
# and prints its URL.  Call it directly, not in $(...), so the database is
# remembered for cleanup: the URL is also left in PG_NEW_URL.
pg_new_db() {
	local name
	name="$(pg_main_db)_$1"
	name=$(printf '%s' "$name" | tr -c 'a-zA-Z0-9_\n' '_' | cut -c1-63)
	if [ $# -ge 2 ]; then
		psql -X -q -v ON_ERROR_STOP=1 "$(pg_admin_url)" \
			-c "CREATE DATABASE \"$name\" TEMPLATE \"$2\"" >/dev/null || return 1
	else
		psql -X -q -v ON_ERROR_STOP=1 "$(pg_admin_url)" \
			-c "CREATE DATABASE \"$name\"" >/dev/null || return 1
	fi
	PG_DBS="$PG_DBS $name"
	PG_NEW_URL=$(pg_url_for "$name")
}

# ---- instances ---------------------------------------------------------
# make_instance DIR [init options...]: `sertel init` on the engine under
# test.  On PostgreSQL the first instance gets SERTEL_TEST_DB, later ones
# a new database each.  Returns init's exit status; stderr to DIR.init.err.
make_instance() {
	local dir=$1
	shift
	if [ "$ENGINE" = sqlite ]; then
		"$SERTEL_BIN" init --dir "$dir" "$@" >"$dir.init.out" 2>"$dir.init.err"
		return
	fi
	local url
	if [ "$PG_MAIN_USED" = 0 ]; then
		PG_MAIN_USED=1
		url=$SERTEL_TEST_DB
	else
		pg_new_db "$(basename "$dir")" || return 1
		url=$PG_NEW_URL
	fi
	"$SERTEL_BIN" init --dir "$dir" --db "$url" "$@" >"$dir.init.out" 2>"$dir.init.err"
}

# The database URL an instance uses (from its sertel.conf).
inst_db_url() {
	sed -n 's/^db *= *//p' "$1/sertel.conf" | head -n 1
}

# inst_sql DIR SQL: runs SQL on the instance's database; rows are printed
# one a line, columns separated by '|', no headers (both engines alike).
inst_sql() {
	local url
	url=$(inst_db_url "$1")
	case $url in
	sqlite:*) sqlite3 -batch -bail -cmd '.timeout 5000' "${url#sqlite:}" "$2" ;;
	*) psql -X -q -At -F '|' -v ON_ERROR_STOP=1 "$url" -c "$2" ;;
	esac
}

# inst_sql_sep DIR SEP SQL: as inst_sql with a custom column separator.
inst_sql_sep() {
	local url
	url=$(inst_db_url "$1")
	case $url in
	sqlite:*) sqlite3 -batch -bail -separator "$2" "${url#sqlite:}" "$3" ;;
	*) psql -X -q -At -F "$2" -v ON_ERROR_STOP=1 "$url" -c "$3" ;;
	esac
}

# instance_copy SRC DST: an independent copy of an instance (directory,
# master secret and database), so a test can damage the copy.
instance_copy() {
	local src=$1 dst=$2 url
	url=$(inst_db_url "$src")
	rm -rf "$dst"
	cp -a "$src" "$dst" || return 1
	case $url in
	sqlite:*)
		sed -i "s|^db *=.*|db = sqlite:$dst/sertel.db|" "$dst/sertel.conf" || return 1
		;;
	*)
		local srcdb=${url%%\?*}
		srcdb=${srcdb##*/}
		pg_new_db "$(basename "$dst")" "$srcdb" || return 1
		sed -i "s|^db *=.*|db = $PG_NEW_URL|" "$dst/sertel.conf" || return 1
		;;
	esac
	[ "$(inst_db_url "$dst")" != "$url" ]
}

# Counts: certificates as `cert list --json` shows them, audit entries as
# `audit list --json` shows them.  Print nothing and fail when either
# cannot be read, so a broken instance never compares equal to itself.
cert_count() {
	local n
	n=$("$SERTEL_BIN" cert list --dir "$1" --json 2>/dev/null | jq 'length' 2>/dev/null) || return 1
	case $n in '' | *[!0-9]*) return 1 ;; esac
	echo "$n"
}
audit_count() {
	local n
	n=$("$SERTEL_BIN" audit list --dir "$1" --json 2>/dev/null | jq 'length' 2>/dev/null) || return 1
	case $n in '' | *[!0-9]*) return 1 ;; esac
	echo "$n"
}
# snapshot DIR: "certs=N audit=M db=..." from `cert list --json`,
# `audit list --json` and the database tables; fails (prints nothing) on
# any error, so a broken instance never compares equal to itself.
snapshot() {
	local c a db f=${T:-/tmp}/.snap.$$
	"$SERTEL_BIN" cert list --dir "$1" --json >"$f.c" 2>/dev/null || return 1
	"$SERTEL_BIN" audit list --dir "$1" --json >"$f.a" 2>/dev/null || return 1
	read -r c a < <(jq -s -r 'map(length) | join(" ")' "$f.c" "$f.a" 2>/dev/null)
	rm -f "$f.c" "$f.a"
	case "$c$a" in '' | *[!0-9]*) return 1 ;; esac
	[ -n "$c" ] && [ -n "$a" ] || return 1
	db=$(inst_sql "$1" "SELECT (SELECT count(*) FROM certs) || ',' || (SELECT count(*) FROM audit) || ',' || (SELECT count(*) FROM serials_used) || ',' || (SELECT seq FROM audit_head WHERE id = 1)" 2>/dev/null) || return 1
	[ -n "$db" ] || return 1
	echo "certs=$c audit=$a db=$db"
}

# ---- processes, ports, server ------------------------------------------
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# server_start DIR: runs `sertel serve` on a free loopback port and waits
# until /healthz answers 200.  Sets SERVER_PID, SERVER_URL, SERVER_LOG.
server_start() {
	local dir=$1 port try
	for try in 1 2 3; do
		port=$(free_port) || return 1
		# Died (port taken?) or never became healthy: try again.
		server_start_port "$dir" "$port" && return 0
	done
	return 1
}

# server_start_port DIR PORT: `sertel serve` on a given PORT (the one an
# instance's --base-url names, so the URLs inside its certificates answer)
# and waits until /healthz answers 200.  Sets SERVER_PID, SERVER_URL,
# SERVER_LOG.  SERVER_CACERT=FILE: the server speaks HTTPS, FILE its root.
server_start_port() {
	local dir=$1 port=$2 i code
	SERVER_LOG=$T/serve.log
	"$SERTEL_BIN" serve --dir "$dir" --listen "127.0.0.1:$port" >>"$SERVER_LOG" 2>&1 &
	SERVER_PID=$!
	SERVER_URL="http${SERVER_CACERT:+s}://127.0.0.1:$port"
	for i in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 ${SERVER_CACERT:+--cacert "$SERVER_CACERT"} "$SERVER_URL/healthz" 2>/dev/null)
		[ "$code" = 200 ] && return 0
		sleep 0.1
	done
	kill -KILL "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	return 1
}

# server_stop [SECONDS]: SIGTERM, then waits up to SECONDS (default 5).
# Sets SERVER_RC to the exit status and SERVER_STOP_OK=1 if it exited in
# time; a server that does not exit is killed (SERVER_STOP_OK=0).
server_stop() {
	local limit=${1:-5} i n
	SERVER_STOP_OK=0
	SERVER_RC=
	[ -n "$SERVER_PID" ] || return 1
	kill -TERM "$SERVER_PID" 2>/dev/null
	n=$((limit * 10))
	for i in $(seq 1 "$n"); do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			SERVER_STOP_OK=1
			break
		fi
		# A zombie still answers kill -0: reap it via wait below.
		if [ "$(ps -o stat= -p "$SERVER_PID" 2>/dev/null | cut -c1)" = Z ]; then
			SERVER_STOP_OK=1
			break
		fi
		sleep 0.1
	done
	if [ "$SERVER_STOP_OK" = 0 ]; then
		kill -KILL "$SERVER_PID" 2>/dev/null
	fi
	wait "$SERVER_PID"
	SERVER_RC=$?
	SERVER_PID=
	return 0
}

# ---- CSRs and certificates ---------------------------------------------
# make_csr OUT KEYSPEC [CN]: KEYSPEC is ec-p256, ec-p384, rsa-2048, ...
# or a key file to reuse.
make_csr() {
	local out=$1 spec=$2 cn=${3:-requester}
	case $spec in
	ec-p256) openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$out.key" -subj "/CN=$cn" -out "$out" 2>/dev/null ;;
	ec-p384) openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes \
		-keyout "$out.key" -subj "/CN=$cn" -out "$out" 2>/dev/null ;;
	rsa-*) openssl req -new -newkey "rsa:${spec#rsa-}" -nodes \
		-keyout "$out.key" -subj "/CN=$cn" -out "$out" 2>/dev/null ;;
	*) openssl req -new -key "$spec" -subj "/CN=$cn" -out "$out" 2>/dev/null ;;
	esac
}

# Number of lines in a file (0 for an empty file, counting a last line
# without newline).
line_count() {
	awk 'END { print NR }' "$1"
}

# ---- a real SMTP server on loopback (aiosmtpd) -----------------------------
# smtp_start PORT MAILDIR: aiosmtpd delivering into the Maildir MAILDIR;
# waits until it accepts connections.  Sets SMTP_PID; the caller's EXIT
# trap calls smtp_stop.
smtp_start() {
	local port=$1 md=$2 py=${PY:-python3}
	"$py" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$md" >"$T/smtp.log" 2>&1 &
	SMTP_PID=$!
	for _ in $(seq 50); do
		"$py" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
smtp_stop() { [ -n "${SMTP_PID:-}" ] && kill "$SMTP_PID" 2>/dev/null; wait "$SMTP_PID" 2>/dev/null; SMTP_PID=; }

# smtp_conf CONF PORT FROM: appends an [smtp] section for the loopback
# server of smtp_start (no TLS, 5 s timeout) to the config file CONF.
smtp_conf() {
	printf '\n[smtp]\nhost = 127.0.0.1\nport = %s\nstarttls = none\nfrom = %s\ntimeout_seconds = 5\n' "$2" "$3" >>"$1"
}

# ---- the HTTP API with curl -------------------------------------------------
# call TOKEN METHOD PATH [curl args...]: prints the status; the body goes
# to $T/body.  TOKEN "-" sends no Authorization header.
call() {
	local tok=$1 method=$2 path=$3
	shift 3
	local h=()
	[ "$tok" = - ] || h=(-H "Authorization: Bearer $tok")
	curl -sS --max-time 120 -o "$T/body" -w '%{http_code}' -X "$method" "${h[@]}" "$@" \
		"$SERVER_URL$path" 2>"$T/curlerr"
}
is_json_error() { jq -e '(.error | type) == "string" and (.error | length) > 0 and (.code | type) == "string"' "$T/body" >/dev/null 2>&1; }

# allowed DESC WANT TOKEN METHOD PATH [curl args...]: the status; the body
# stays in $T/body (and $T/ok.json).
allowed() {
	local desc=$1 want=$2 code
	shift 2
	code=$(call "$@")
	cp "$T/body" "$T/ok.json" 2>/dev/null
	if [ "$code" = "$want" ]; then
		pass "$desc: $code"
	else
		fail "$desc: HTTP $code, expected $want: $(head -c 300 "$T/body")"
	fi
}

# pdfsig_trust ROOT_PEM: an NSS database in $T/nss trusting ROOT_PEM, for
# pdfsig (sets NSS).
pdfsig_trust() {
	NSS=$T/nss
	mkdir -p "$NSS"
	certutil -N --empty-password -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -N"
	certutil -A -t CT,C,C -n root -i "$1" -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -A"
}

# pdfsig_ok FILE [N]: pdfsig lists N signatures (default: however many there
# are, at least one), every one "Signature is Valid" with "Certificate is
# Trusted" by the database of pdfsig_trust.
pdfsig_ok() {
	local out n
	out=$(pdfsig -nssdir "sql:$NSS" "$1" 2>&1)
	n=$(grep -c '^Signature #' <<<"$out")
	if [ "$n" -lt 1 ] || { [ -n "${2:-}" ] && [ "$n" != "$2" ]; }; then
		note "pdfsig: $n signature(s), expected ${2:-at least 1}"
		sed 's/^/#      /' <<<"$out"
		return 1
	fi
	[ "$(grep -c 'Signature Validation: Signature is Valid.' <<<"$out")" = "$n" ] &&
		[ "$(grep -c 'Certificate Validation: Certificate is Trusted.' <<<"$out")" = "$n" ] ||
		{ sed 's/^/#      /' <<<"$out" | grep -E 'Signature #|Validation'; return 1; }
}
