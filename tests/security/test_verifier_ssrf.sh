#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, point 2: the verifier fetches no URL an uploader chose.
#
# A PDF signed by a self-made CA whose certificate carries AIA caIssuers,
# OCSP and CRL URLs that point at a loopback listener recording every
# connection (tests/security/listener.py), in several spellings of
# loopback, plus the cloud metadata address.  POST /api/verifikasi must
# make no connection at all, also when [verify] fetch_hosts names the host
# but not its loopback address; the CLI verifies offline unless
# --fetch-host names the host, and then stays within its budget (4
# requests, 5 s).  Positive controls (the listed address, an authenticated
# route) show the listener does see fetches, so the zero counts mean
# something.
#
# SKIP_LINKLOCAL=1 leaves out the 169.254.169.254 case (set it only when
# running this script against a build without the fix, which would send
# a packet there).
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/lib_verifier.sh"
lib_setup verifier-ssrf
HERE=$(cd "$(dirname "$0")" && pwd)
S=$SERTEL_BIN
cd "$T" || die "cd $T"

# ---- the listener ----------------------------------------------------------
python3 "$HERE/listener.py" "$T/conn.log" "$T/lport" 600 >listener.out 2>&1 &
LPID=$!
for i in $(seq 1 50); do [ -s lport ] && break; sleep 0.1; done
[ -s lport ] || die "listener did not start: $(cat listener.out)"
read -r LP FAMS <lport
touch conn.log
note "listener on port $LP ($FAMS)"
stop_listener() { kill "$LPID" 2>/dev/null; wait "$LPID" 2>/dev/null; }
trap 'stop_listener; on_exit' EXIT
conns() { wc -l <"$T/conn.log" | tr -d ' '; }
# since N: the connections recorded after the first N
since() { tail -n +"$(($1 + 1))" "$T/conn.log"; }

# ---- a self-made CA and signers whose URLs point anywhere ------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout evil-root.key \
	-out evil-root.pem -subj "/CN=Bukan CA Pemerintah" -days 30 \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	2>/dev/null || die "root"
python3 "$HERE/../esign/mkpdf.py" base.pdf || die "mkpdf"

# leaf NAME EXT-LINES: NAME.key, NAME.pem and NAME.pdf (signed, B-B).
leaf() {
	local n=$1
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n%s\n' "$2" >$n.ext
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key \
		-subj "/CN=Penanda $n" -out $n.csr 2>/dev/null &&
		openssl x509 -req -in $n.csr -CA evil-root.pem -CAkey evil-root.key -CAcreateserial \
			-days 30 -extfile $n.ext -out $n.pem 2>/dev/null &&
		"$S" sign pdf base.pdf --out $n.pdf --key $n.key --cert $n.pem >/dev/null 2>$n.err
}
# urls URL: AIA caIssuers + OCSP and a CRL distribution point under URL.
urls() {
	printf 'authorityInfoAccess=caIssuers;URI:%s/ca,OCSP;URI:%s/ocsp\ncrlDistributionPoints=URI:%s/crl' "$1" "$1" "$1"
}
VARIANTS="v4 name v6 hex short"
url_of() {
	case $1 in
	v4) echo "http://127.0.0.1:$LP" ;;
	name) echo "http://localhost:$LP" ;;
	v6) echo "http://[::1]:$LP" ;;
	hex) echo "http://0x7f000001:$LP" ;;
	short) echo "http://127.1:$LP" ;;
	meta) echo "http://169.254.169.254" ;;
	esac
}
[ "${SKIP_LINKLOCAL:-0}" = 1 ] || VARIANTS="$VARIANTS meta"
for v in $VARIANTS; do
	leaf $v "$(urls "$(url_of $v)")" || die "signer $v: $(cat $v.err 2>/dev/null)"
done
# Many URLs (the budget counts requests, not certificates) and slow ones.
many=""
crls=""
for i in $(seq 1 10); do
	many="$many,OCSP;URI:http://127.0.0.1:$LP/ocsp$i"
	crls="$crls,URI:http://127.0.0.1:$LP/crl$i"
done
leaf many "authorityInfoAccess=${many#,}
crlDistributionPoints=${crls#,}" || die "signer many"
slow=""
for i in 1 2 3 4; do slow="$slow,OCSP;URI:http://127.0.0.1:$LP/slow$i"; done
leaf slow "authorityInfoAccess=${slow#,}
crlDistributionPoints=URI:http://127.0.0.1:$LP/slowcrl" || die "signer slow"

# ---- the CLI: offline unless --fetch-host ----------------------------------
for v in $VARIANTS; do
	n=$(conns)
	"$S" verify $v.pdf --trust evil-root.pem --json >cli-$v.json 2>cli-$v.err
	check_eq "CLI, $(url_of $v): no connection without --fetch-host" 0 "$(since $n | wc -l)"
	check_eq "CLI, $(url_of $v): indeterminate, not valid" indeterminate "$(jq -r .verdict cli-$v.json)"
done
check "CLI: the verdict says revocation could not be checked" \
	grep -q "status pencabutan sertifikat tidak dapat dipastikan" cli-v4.json
for v in name v6 hex short; do
	n=$(conns)
	"$S" verify $v.pdf --trust evil-root.pem --fetch-host "localhost:$LP" --json >/dev/null 2>&1
	check_eq "CLI --fetch-host localhost:PORT, $(url_of $v): loopback address not listed, no connection" \
		0 "$(since $n | wc -l)"
done
n=$(conns)
"$S" verify v4.pdf --trust evil-root.pem --fetch-host "127.0.0.1:$LP" --json >pos.json 2>pos.err
check_eq "CLI --fetch-host 127.0.0.1:PORT (positive control): OCSP then CRL fetched" \
	"v4 POST /ocsp HTTP/1.1|v4 GET /crl HTTP/1.1" "$(since $n | sort -r | paste -sd'|')"
check_eq "CLI --fetch-host with another port: no connection" 0 \
	"$(n=$(conns); "$S" verify v4.pdf --trust evil-root.pem --fetch-host "127.0.0.1:$((LP == 65535 ? 1 : LP + 1))" >/dev/null 2>&1; since $n | wc -l)"
n=$(conns)
"$S" verify many.pdf --trust evil-root.pem --fetch-host "127.0.0.1:$LP" >/dev/null 2>&1
got=$(since $n | wc -l)
check "CLI, 10 OCSP + 10 CRL URLs: fetched, but at most 4 requests (got $got)" test "$got" -ge 1 -a "$got" -le 4
n=$(conns)
t0=$(date +%s%N)
"$S" verify slow.pdf --trust evil-root.pem --fetch-host "127.0.0.1:$LP" >/dev/null 2>&1
ms=$((($(date +%s%N) - t0) / 1000000))
check "CLI, 5 URLs answering after 3 s each: within the 5 s budget (took ${ms} ms, $(since $n | wc -l) requests)" \
	test "$ms" -lt 9000 -a "$(since $n | wc -l)" -ge 1
check_rc "CLI --fetch-host with a bad entry: exit 2" 2 "$S" verify v4.pdf --fetch-host "a b/c"

# ---- the server ------------------------------------------------------------
verifier_instance
verify_conf "# defaults"
# The instance's own signer: valid offline, from its own CRL (no fetch).
"$S" agency add --dir inst --name "Dinas Kominfo" --domain kominfo.example.go.id >/dev/null || die "agency"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout own.key -subj /CN=x \
	-out own.csr 2>/dev/null || die "csr"
"$S" cert issue --dir inst --csr own.csr --type individu --usage signing \
	--email own@kominfo.example.go.id --cn "Pegawai Uji" --out own.pem >/dev/null || die "issue"
"$S" ca export --dir inst --out ca/ >/dev/null || die "ca export"
"$S" sign pdf base.pdf --out own.pdf --key own.key --cert own.pem --chain ca/chain.pem >/dev/null ||
	die "sign own"
check_eq "public: the instance's own signer is VALID offline (its own CRL)" "200 VALID" \
	"$(public own.pdf own.json) $(jq -r .conclusion own.json)"
n=$(conns)
"$S" verify v4.pdf --dir inst --trust evil-root.pem --json >dir0.json 2>&1
check_eq "CLI --dir, instance [verify] defaults: no connection, indeterminate" "0 indeterminate" \
	"$(since $n | wc -l) $(jq -r .verdict dir0.json)"
for v in $VARIANTS; do
	n=$(conns)
	code=$(public $v.pdf pub-$v.json)
	check_eq "public, $(url_of $v): 200, not VALID, no connection" "200 true 0" \
		"$code $(jq '.conclusion != "VALID"' pub-$v.json) $(since $n | wc -l)"
done

# Allow-listed by name only: the name resolves to loopback, which is not
# listed, so the connect-time check refuses (no DNS-rebinding escape).
verify_conf "public_fetch = allowlist" "fetch_hosts = localhost:$LP"
for v in name v4 v6; do
	n=$(conns)
	code=$(public $v.pdf pubn-$v.json)
	check_eq "public_fetch allowlist, fetch_hosts localhost:PORT, $(url_of $v): no connection" \
		"200 0" "$code $(since $n | wc -l)"
done

# Positive control: the loopback address listed itself.
verify_conf "public_fetch = allowlist" "fetch_hosts = 127.0.0.1:$LP"
n=$(conns)
code=$(public v4.pdf pubp.json)
check_eq "public_fetch allowlist, fetch_hosts 127.0.0.1:PORT (positive control): the caIssuers fetch" \
	"200 v4 GET /ca HTTP/1.1" "$code $(since $n | paste -sd'|')"
n=$(conns)
public many.pdf /dev/null >/dev/null
check "public, allow-listed, many URLs: at most 4 requests" test "$(since $n | wc -l)" -le 4

# Authenticated client routes fetch with [verify] fetch; the public one not.
verify_conf "fetch = allowlist" "public_fetch = off" "fetch_hosts = 127.0.0.1:$LP"
SECRET=$("$S" client add --dir inst --name portal --perms verify) || die "client add"
n=$(conns)
code=$(public v4.pdf pubc.json)
check_eq "fetch allowlist, public_fetch off: public route makes no connection" "200 0" "$code $(since $n | wc -l)"
jq -n --arg f "$(base64 -w0 v4.pdf)" '{file:$f}' >v2.json
n=$(conns)
code=$(curl -s -o v2.out -w '%{http_code}' -u "portal:$SECRET" -H 'Content-Type: application/json' \
	--data-binary @v2.json "$U/api/v2/verify/pdf")
check_eq "fetch allowlist: the authenticated v2 route fetches from the listed address" \
	"200 v4 GET /ca HTTP/1.1" "$code $(since $n | paste -sd'|')"
n=$(conns)
code=$(curl -s -o v1.out -w '%{http_code}' -u "portal:$SECRET" -F "signed_file=@name.pdf" "$U/api/sign/verify")
check_eq "fetch allowlist: v1 route, localhost URL (address not listed): no connection" "200 0" \
	"$code $(since $n | wc -l)"
n=$(conns)
"$S" verify v4.pdf --dir inst --trust evil-root.pem >/dev/null 2>&1
check_eq "CLI --dir, instance [verify] fetch allowlist 127.0.0.1:PORT: OCSP then CRL fetched" \
	"v4 POST /ocsp HTTP/1.1|v4 GET /crl HTTP/1.1" "$(since $n | sort -r | paste -sd'|')"
server_stop
stop_listener
finish
