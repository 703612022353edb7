#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# CRL generation with a million revoked certificates: `sertel crl` vs
# `openssl ca -gencrl`, on this machine, now.
#   bench/crl/run.sh SERTEL WORK
#
# Prepares (not measured):
#   - a sertel instance (ECDSA P-256 CAs) and, written straight into its
#     SQLite database by gen.py, CRL_ENTRIES revoked certificates of its
#     issuing CA: random 17-octet serials in random order, reason
#     keyCompromise, revocation times over the last 30 days;
#   - an `openssl ca` database (index.txt) with the same entries, and an
#     ECDSA P-256 CA key and certificate made with openssl.
# Then, one after the other:
#   1. sertel    `sertel crl --dir D --out crl.der`
#   2. openssl   `openssl ca -gencrl -config ca.cnf -out crl.pem`
# each under `/usr/bin/time` (wall seconds, peak RSS, user and system
# CPU), with the CPU everything else on the machine used meanwhile.  Each
# CRL is then checked: `openssl crl ... -CAfile <issuer> -noout` says
# "verify OK", and crlcheck.py finds exactly the expected serials, in
# order, each with reason keyCompromise.
#
# Writes WORK/results.env and WORK/results.md and prints the table.  It
# reports; it never fails on slowness.  Exit status 1 only when a target
# could not be measured or a check failed.
#
# Environment: CRL_ENTRIES (1000000) BENCH_WAIT_IDLE (0; see
#   bench/issue/run.sh)
set -eu
SERTEL=$1 WORK=$2
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
N=${CRL_ENTRIES:-1000000}

# Nothing here runs in the background, but a Ctrl-C should still leave
# no half-written results behind as "done".
bench_init crl

inst=$WORK/sertel-inst
ossl=$WORK/openssl-ca
rm -rf "$inst" "$WORK/sertel-ca" "$ossl" "$WORK"/*.env
facts=$WORK/facts.env
{
	sh "$BENCH_ROOT/ocsp/facts.sh" "$SERTEL" "$WORK"
	echo "entries=$N"
} >"$facts"

# ---- sertel instance with N revoked certificates -------------------------
"$SERTEL" init --dir "$inst" --algo ec-p256 >"$WORK/init.log" 2>&1 ||
	die "sertel init (see $WORK/init.log)"
"$SERTEL" ca export --dir "$inst" --out "$WORK/sertel-ca" >>"$WORK/init.log" 2>&1 ||
	die "sertel ca export (see $WORK/init.log)"
issuer=$("$SERTEL" ca export --dir "$inst" --json | jq -r .issuing.id) ||
	die "sertel ca export --json"
mkdir -p "$ossl"
t0=$(now)
python3 "$BENCH_ROOT/crl/gen.py" "$N" "$inst/sertel.db" "$issuer" "$ossl/index.txt" \
	"$WORK/serials.txt" >"$WORK/gen.out" 2>&1 || die "gen.py (see $WORK/gen.out)"
[ "$(kv "$WORK/gen.out" revoked)" = "$N" ] ||
	die "the database holds $(kv "$WORK/gen.out" revoked) revoked certificates, not $N"
log "setup: $N revoked certificates in sertel's database and index.txt in $(elapsed "$t0") s"

# ---- openssl ca with the same entries -------------------------------------
echo "unique_subject = no" >"$ossl/index.txt.attr"
echo 1000 >"$ossl/crlnumber"
cat >"$ossl/ca.cnf" <<CNF
[ ca ]
default_ca = bench_ca

[ bench_ca ]
dir = $ossl
database = \$dir/index.txt
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
crlnumber = \$dir/crlnumber
default_md = sha256
default_crl_days = 1
unique_subject = no
crl_extensions = bench_crl_ext

[ bench_crl_ext ]
authorityKeyIdentifier = keyid:always

[ req ]
distinguished_name = dn
[ dn ]
[ bench_ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
CNF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ossl/ca.key" \
	2>/dev/null || die "openssl genpkey"
openssl req -new -x509 -config "$ossl/ca.cnf" -key "$ossl/ca.key" -days 3650 \
	-subj "/C=ID/O=Bench/CN=Bench openssl CRL CA" -extensions bench_ca_ext \
	-out "$ossl/ca.pem" 2>/dev/null || die "openssl req -x509"

# ---- the measurements -------------------------------------------------------
# measure LABEL CRLFILE INFORM CAFILE -- COMMAND...: runs COMMAND under
# /usr/bin/time, then checks CRLFILE; writes WORK/LABEL.env.
measure() {
	label=$1 crl=$2 inform=$3 cafile=$4
	shift 5
	out=$WORK/$label.env
	: >"$out"
	rm -f "$crl"
	m0=$(machine_ticks)
	if ! /usr/bin/time -f '%e %M %U %S' -o "$WORK/$label.time" "$@" \
		>"$WORK/$label.log" 2>&1; then
		echo "status=failed: command failed (see $WORK/$label.log)" >>"$out"
		return 1
	fi
	m1=$(machine_ticks)
	verify=ok
	if ! openssl crl -inform "$inform" -in "$crl" -CAfile "$cafile" -noout \
		>"$WORK/$label.verify" 2>&1 || ! grep -q '^verify OK' "$WORK/$label.verify"; then
		verify="FAIL: openssl crl -CAfile: $(head -n 1 "$WORK/$label.verify")"
	fi
	python3 "$BENCH_ROOT/crl/crlcheck.py" "$crl" "$WORK/serials.txt" \
		>"$WORK/$label.check" 2>&1 || true
	if [ "$verify" = ok ]; then
		if [ "$(kv "$WORK/$label.check" match)" != yes ]; then
			verify="FAIL: $(kv "$WORK/$label.check" entries) entries, not exactly the $N serials"
		elif [ "$(kv "$WORK/$label.check" sorted)" != yes ]; then
			verify="FAIL: entries not in serial order"
		elif [ "$(kv "$WORK/$label.check" reason_keycompromise)" != "$N" ]; then
			verify="FAIL: $(kv "$WORK/$label.check" reason_keycompromise) of $N entries with reason keyCompromise"
		else
			verify="ok: verify OK, exactly the $N serials, sorted, reason keyCompromise"
		fi
	fi
	{
		echo "status=done"
		tail -n 1 "$WORK/$label.time" | awk -v m=$((m1 - m0)) -v hz="$(getconf CLK_TCK)" '{
			printf "seconds=%s\nrss_kb=%s\nuser_s=%s\nsys_s=%s\n", $1, $2, $3, $4
			w = $1 > 0 ? $1 : 1
			o = m / hz - $3 - $4; if (o < 0) o = 0
			printf "cpu_util=%.2f\nother_load=%.2f\n", ($3 + $4) / w, o / w }'
		echo "entries=$(kv "$WORK/$label.check" entries)"
		echo "crl_bytes=$(kv "$WORK/$label.check" crl_bytes)"
		echo "file_bytes=$(wc -c <"$crl")"
		echo "verify=$verify"
	} >>"$out"
	case $verify in ok*) return 0 ;; *) return 1 ;; esac
}

failed=0
run() {
	label=$1
	shift
	if [ "${BENCH_WAIT_IDLE:-0}" -gt 0 ]; then
		wait_idle "$BENCH_WAIT_IDLE"
	fi
	log "$label"
	if ! measure "$label" "$@"; then
		failed=1
		log "$label: FAILED ($(kv "$WORK/$label.env" status) $(kv "$WORK/$label.env" verify))"
	fi
}

run sertel "$WORK/crl.der" DER "$WORK/sertel-ca/issuing.pem" -- \
	"$SERTEL" crl --dir "$inst" --out "$WORK/crl.der"
run openssl "$WORK/crl.pem" PEM "$ossl/ca.pem" -- \
	openssl ca -gencrl -config "$ossl/ca.cnf" -out "$WORK/crl.pem"
total=$(elapsed "$bench_start")
log "done in ${total}s"

# ---- results -------------------------------------------------------------------
res=$WORK/results.env
{
	cat "$facts"
	echo "bench_seconds=$total"
	for t in sertel openssl; do
		[ -f "$WORK/$t.env" ] || continue
		sed "s/^/$t./" "$WORK/$t.env"
	done
} >"$res"
python3 "$BENCH_ROOT/crl/report.py" "$res" >"$WORK/results.md"
cat "$WORK/results.md"
exit $failed
