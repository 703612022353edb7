#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `openssl ca` issuance rate:
#   openssl-ca.sh WORK LABEL CSR
#
# An ECDSA P-256 CA with the same kind of end-entity profile (digital
# signature + non-repudiation, client auth, 2 years, SKI/AKI), its
# index.txt database and serial file; a shell loop runs
#   openssl ca -batch -config ca.cnf -in req.csr
# until OPENSSL_CA_SECONDS have passed or OPENSSL_CA_MAX certificates are
# issued.  One process per certificate, as `openssl ca` is used in scripts.
# index.txt is rewritten (via rename) on every issuance but never fsync'd.
# Writes WORK/LABEL.env (key=value).
set -eu
WORK=$1 LABEL=$2 CSR=$3
. "$BENCH_ROOT/lib.sh"
SECS=${OPENSSL_CA_SECONDS:-10}
MAX=${OPENSSL_CA_MAX:-5000}

target_init
rm -rf "$dir"
mkdir -p "$dir/newcerts"
: >"$dir/index.txt"
echo 1000 >"$dir/serial"
echo "unique_subject = no" >"$dir/index.txt.attr"

cat >"$dir/ca.cnf" <<EOF
[ ca ]
default_ca = bench_ca

[ bench_ca ]
dir = $dir
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
serial = \$dir/serial
default_md = sha256
default_days = 730
policy = bench_policy
unique_subject = no
copy_extensions = none
email_in_dn = no
x509_extensions = bench_ee

[ bench_policy ]
commonName = supplied

[ bench_ee ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ req ]
distinguished_name = dn
[ dn ]
[ bench_ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null ||
	fail "CA key generation failed"
openssl req -new -x509 -config "$dir/ca.cnf" -key "$dir/ca.key" -days 3650 \
	-subj "/C=ID/O=Bench/CN=Bench openssl CA" -extensions bench_ca_ext \
	-out "$dir/ca.pem" 2>/dev/null || fail "CA certificate failed"

times >"$dir/times.0"
m0=$(machine_ticks)
n=0
start=$(now)
stop_at=$(awk -v s="$start" -v d="$SECS" 'BEGIN { printf "%.3f", s + d }')
while [ "$n" -lt "$MAX" ]; do
	openssl ca -batch -config "$dir/ca.cnf" -in "$CSR" -out "$dir/cert.pem" \
		-notext 2>>"$dir/ca.log" || fail "openssl ca failed (see $dir/ca.log)"
	n=$((n + 1))
	# Look at the clock every 10 certificates only (date is a process too).
	if [ $((n % 10)) -eq 0 ] &&
		awk -v t="$(now)" -v s="$stop_at" 'BEGIN { exit !(t >= s) }'; then
		break
	fi
done
secs=$(elapsed "$start")
m1=$(machine_ticks)
times >"$dir/times.1"
c=$(($(times_ticks "$dir/times.1") - $(times_ticks "$dir/times.0")))
stored=$(wc -l <"$dir/index.txt")
[ "$stored" -eq "$n" ] && verdict="ok (index.txt, no fsync)" ||
	verdict="FAIL: $n issued, $stored in index.txt"
openssl verify -CAfile "$dir/ca.pem" "$dir/cert.pem" >/dev/null 2>&1 ||
	verdict="FAIL: last certificate does not verify"
{
	echo "status=done"
	echo "ok=$n"
	echo "stored=$stored"
	echo "seconds=$secs"
	awk -v n="$n" -v s="$secs" 'BEGIN { printf "rate=%.1f\n", n / s }'
	# The loop's processes (openssl, date, awk) are the "server" here.
	awk -v c="$c" -v m=$((m1 - m0)) -v s="$secs" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {
		o = m - c; if (o < 0) o = 0
		printf "cpu_util=%.2f\ncpu_ms_per_cert=%.3f\nother_load=%.2f\n",
			c / hz / s, n ? c * 1000 / hz / n : 0, o / hz / s }'
	echo "verify=$verdict"
} >>"$out"
case $verdict in FAIL*) exit 1 ;; *) exit 0 ;; esac
