#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One cfssl measurement:
#   cfssl.sh WORK LABEL CSR [db]
#
# A cfssl CA with an ECDSA P-256 key and a profile close to sertel's
# "individu / signing" (digital signature + client auth, 2 years), served by
# `cfssl serve`; wrk posts {"certificate_request": CSR} to
# /api/v1/cfssl/sign with the same settings as for sertel.
#
# With "db", cfssl also records every certificate in its certdb (SQLite,
# cfssl's own schema; SQLite's default rollback journal with
# synchronous=FULL), and the stored rows are counted afterwards like
# sertel's.  Without it, cfssl keeps nothing: the plain sign endpoint.
# Writes WORK/LABEL.env (key=value).
set -eu
WORK=$1 LABEL=$2 CSR=$3 MODE=${4:-}
. "$BENCH_ROOT/lib.sh"

target_init
rm -rf "$dir"
mkdir -p "$dir"

cat >"$dir/ca-csr.json" <<'EOF'
{"CN": "Bench cfssl CA", "key": {"algo": "ecdsa", "size": 256},
 "names": [{"C": "ID", "O": "Bench"}],
 "ca": {"expiry": "87600h"}}
EOF
cat >"$dir/config.json" <<'EOF'
{"signing": {"default": {
  "usages": ["signing", "digital signature", "content commitment", "client auth"],
  "expiry": "17520h"}}}
EOF
(cd "$dir" && cfssl gencert -initca ca-csr.json 2>/dev/null | cfssljson -bare ca) ||
	fail "cfssl gencert -initca failed"

dbflag=""
count_rows() { echo 0; }
if [ "$MODE" = db ]; then
	# cfssl's certdb/sqlite migrations (certificates + ocsp_responses).
	sqlite3 "$dir/certs.db" <<'EOF' || fail "cannot create the certdb"
CREATE TABLE certificates (
  serial_number blob NOT NULL, authority_key_identifier blob NOT NULL,
  ca_label blob, status blob NOT NULL, reason int, created_at timestamp,
  expiry timestamp, revoked_at timestamp, pem blob NOT NULL,
  issued_at timestamp, not_before timestamp, originating_host text,
  sans text, tags text, common_name text, filename text, application_name text,
  PRIMARY KEY (serial_number, authority_key_identifier));
CREATE INDEX certificates_created_at ON certificates (created_at);
CREATE INDEX certificates_revoked_at ON certificates (revoked_at);
CREATE TABLE ocsp_responses (
  serial_number blob NOT NULL, authority_key_identifier blob NOT NULL,
  body blob NOT NULL, expiry timestamp,
  PRIMARY KEY (serial_number, authority_key_identifier),
  FOREIGN KEY (serial_number, authority_key_identifier)
    REFERENCES certificates (serial_number, authority_key_identifier));
EOF
	printf '{"driver": "sqlite3", "data_source": "%s"}\n' "$dir/certs.db" >"$dir/db.json"
	dbflag="-db-config $dir/db.json"
	count_rows() { sqlite3 "$dir/certs.db" 'SELECT count(*) FROM certificates'; }
fi
jq -n --rawfile csr "$CSR" '{certificate_request: $csr}' >"$dir.body.json"

port=$(free_port)
url=http://127.0.0.1:$port
# shellcheck disable=SC2086
cfssl serve -address 127.0.0.1 -port "$port" -ca "$dir/ca.pem" \
	-ca-key "$dir/ca-key.pem" -config "$dir/config.json" $dbflag \
	>"$dir.serve.log" 2>&1 &
srv=$!
track_pid "$srv"
wait_http "$url/api/v1/cfssl/sign" 10 || fail "cfssl serve did not come up (see $dir.serve.log)"

run_wrk "$dir.warmup" "$url" /api/v1/cfssl/sign "$dir.body.json" "" "$WARMUP" ||
	fail "warm-up failed"
[ "$(kv "$dir.warmup" other)" = 0 ] || fail "warm-up got non-200 answers: $(kv "$dir.warmup" codes)"
sleep 0.5
before=$(count_rows)
t0=$(cpu_ticks "$srv")
m0=$(machine_ticks)
run_wrk "$dir.run" "$url" /api/v1/cfssl/sign "$dir.body.json" "" "$DURATION" ||
	fail "measured run failed"
t1=$(cpu_ticks "$srv")
m1=$(machine_ticks)
stop_pid "$srv"
srv=""
after=$(count_rows)

ok=$(kv "$dir.run" ok)
if [ "$(kv "$dir.run" other)" != 0 ]; then
	verdict="FAIL: non-200 answers $(kv "$dir.run" codes)"
elif [ "$MODE" != db ]; then
	verdict="not stored"
elif [ $((after - before)) -lt "$ok" ]; then
	verdict="FAIL: $ok answered 200 but only $((after - before)) stored"
else
	verdict="ok"
fi
dur=$(kv "$dir.run" duration_s)
{
	echo "status=done"
	echo "rate=$(kv "$dir.run" ok_per_s)"
	echo "ok=$ok"
	echo "stored=$((after - before))"
	echo "verify=$verdict"
	echo "p50_ms=$(kv "$dir.run" lat_p50_ms)"
	echo "p99_ms=$(kv "$dir.run" lat_p99_ms)"
	echo "errors=$(( $(kv "$dir.run" errors_socket) + $(kv "$dir.run" errors_timeout) ))"
	load_report "$dir.run" "$dur" $((t1 - t0)) $((m1 - m0))
} >>"$out"
case $verdict in FAIL*) exit 1 ;; *) exit 0 ;; esac
