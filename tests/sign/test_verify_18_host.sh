#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18: `sertel verify-cert --hostname NAME` (validate_hostname(),
# RFC 9525 / RFC 6125): DNS names against dNSName, IP literals against
# iPAddress, a wildcard only as the whole left-most label (one label, at
# least two after it), the CN only when subjectAltName has no names.
# Certificates made here with openssl; `openssl verify -verify_hostname /
# -verify_ip` judges where it follows the same rules (it accepts partial
# wildcards like f*.example by default, which RFC 9525 6.3 does not).
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verify18host
S=$SERTEL_BIN
command -v openssl >/dev/null 2>&1 || die "openssl is not installed"
cd "$T" || die "cd $T"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
	-subj "/CN=Uji Host Root" -days 3650 -addext "basicConstraints=critical,CA:true" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem 2>/dev/null || die "root"
# leaf NAME CN SAN: a TLS server certificate (no SAN extension when SAN is "").
leaf() {
	printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >$1.ext
	[ -n "$3" ] && printf 'subjectAltName=%s\n' "$3" >>$1.ext
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key \
		-subj "/O=Pemkot Uji/CN=$2" -out $1.csr 2>/dev/null &&
		openssl x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -set_serial $RANDOM -days 300 \
			-extfile $1.ext -out $1.pem 2>/dev/null
}
leaf web "cn-only.example.go.id" \
	"DNS:www.kominfo.example.go.id,DNS:*.apps.example.go.id,IP:10.1.2.3,IP:2001:db8::5" ||
	die "web"
leaf legacy "legacy.example.go.id" "" || die "legacy"
leaf bad "bad.example.go.id" "DNS:f*.bad.example.go.id,DNS:*.id,DNS:a.*.example.org,DNS:*,DNS:10.9.9.9" ||
	die "bad"
leaf uri "uri-only.example.go.id" "URI:https://uri-only.example.go.id/" || die "uri"
check_eq "web carries the four names (the certificate is what it claims)" 4 \
	"$(openssl x509 -in web.pem -noout -ext subjectAltName | tr ',' '\n' | grep -c -E 'DNS:|IP Address:')"

VC="$S verify-cert --trust ca.pem --purpose ssl-server"
# h CERT NAME: sertel's exit code; o CERT NAME: openssl's (0 match).
h() { $VC --hostname "$2" $1.pem >/dev/null 2>&1; echo $?; }
o() {
	case $2 in
	*:* | [0-9]*.[0-9]*.[0-9]*.[0-9]*) openssl verify -CAfile ca.pem -verify_ip "$2" $1.pem ;;
	*) openssl verify -CAfile ca.pem -verify_hostname "$2" $1.pem ;;
	esac >/dev/null 2>&1
	echo $?
}
check_rc "web, no --hostname: valid" 0 $VC web.pem
# name, want (0 match, 1 not), and whether openssl agrees (o) or differs (-).
while read -r cert name want judge what; do
	check_eq "$cert $name: $what" "$want" "$(h $cert "$name")"
	if [ "$judge" = o ]; then
		check_eq "... openssl agrees" "$([ "$want" = 0 ] && echo 0 || echo 2)" "$(o $cert "$name")"
	fi
done <<'EOL'
web www.kominfo.example.go.id 0 o exact dNSName
web WWW.Kominfo.Example.GO.ID. 0 - any case, trailing dot
web portal.apps.example.go.id 0 o wildcard matches one label
web a.b.apps.example.go.id 1 o wildcard does not match two labels
web apps.example.go.id 1 o wildcard does not match the bare domain
web cn-only.example.go.id 1 o no CN fallback when subjectAltName has names
web kominfo.example.go.id 1 o a parent of a dNSName does not match
web 10.1.2.3 0 o IPv4 literal against iPAddress
web 10.1.2.4 1 o another IPv4 address
web 2001:db8:0:0:0:0:0:5 0 o IPv6 literal, any spelling
web 2001:db8::6 1 o another IPv6 address
legacy legacy.example.go.id 0 o no subjectAltName at all: the CN
legacy other.example.go.id 1 o ... and only the CN
bad fbad.bad.example.go.id 1 - partial wildcard f* refused (openssl accepts it)
bad go.id 1 o *.id: a wildcard needs two labels after it
bad localhost 1 - a lone * matches nothing
bad 10.9.9.9 1 o an IP literal does not match a dNSName spelling it
bad a.x.example.org 1 o wildcard not in the left-most label refused
bad bad.example.go.id 1 o no CN fallback (SANs present)
uri uri-only.example.go.id 1 - a URI name present: no CN fallback (RFC 6125 6.4.4)
EOL
check "the reason names the rule and the name" sh -c \
	"$VC --hostname cn-only.example.go.id web.pem | grep -q 'RFC 9525 6.3: cn-only.example.go.id is not among its DNS names (the CN is not used'"
check_eq "--json: hostname object, error class hostname" "false hostname false" \
	"$($VC --hostname nope.example.go.id --json web.pem | jq -r '"\(.valid) \(.error) \(.hostname.matched)"')"
check_eq "--json on a match: how it matched" "true dNSName *.apps.example.go.id" \
	"$($VC --hostname x.apps.example.go.id --json web.pem | jq -r '"\(.valid) \(.hostname.how)"')"
for bad in "" "*.example.go.id" "a..b" "-x.example" "exa_mple.go.id" "$(printf 'x%.0s' $(seq 64)).id"; do
	check_rc "--hostname \"$bad\": a bad name is an input error (exit 2)" 2 $VC --hostname "$bad" web.pem
done
check "... one line naming the rule" sh -c \
	"$VC --hostname 'a..b' web.pem 2>&1 >/dev/null | grep -c . | grep -qx 1"
finish
