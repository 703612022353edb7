#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bad input is refused: exit code 2, exactly one line on stderr, and
# nothing stored (certificate count and audit entry count unchanged, as
# the CLI and the database both report them).
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
lib_setup bad-input

S=$SERTEL_BIN
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Palembang" --base-url https://pki.palembang.go.id ||
	die "init: $(cat "$I.init.err")"
pass "init"

# ---- request material ----------------------------------------------------
# csr_sig_ok FILE [DER|PEM]: openssl checks the CSR's self-signature
# (`openssl req -verify` exits 0 either way in 3.0: read its verdict).
csr_sig_ok() {
	openssl req -inform "${2:-PEM}" -in "$1" -noout -verify 2>&1 | grep -q 'self-signature verify OK'
}
make_csr "$T/good.csr" ec-p256 good || die "cannot make a CSR"
openssl req -in "$T/good.csr" -outform DER -out "$T/good.der" 2>/dev/null || die "cannot convert CSR"

# A DER CSR whose signature has one byte flipped (the last byte of the
# file is inside the signature BIT STRING).
python3 - "$T/good.der" "$T/badsig.der" <<'EOF' || die "cannot flip a byte"
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[-1] ^= 0x01
open(sys.argv[2], 'wb').write(bytes(d))
EOF
openssl req -inform DER -in "$T/badsig.der" -out "$T/badsig.pem" 2>/dev/null
check "precondition: the flipped CSR still parses" quiet openssl req -inform DER -in "$T/badsig.der" -noout
if csr_sig_ok "$T/badsig.der" DER; then
	fail "precondition: openssl says the flipped CSR's signature verifies"
else
	pass "precondition: openssl rejects the flipped CSR's signature"
fi
check "precondition: the good CSR verifies" csr_sig_ok "$T/good.csr"

openssl req -new -newkey rsa:1024 -nodes -keyout "$T/rsa1024.key" -subj /CN=x -out "$T/rsa1024.csr" 2>/dev/null
check "precondition: RSA-1024 CSR is well-formed" csr_sig_ok "$T/rsa1024.csr"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:secp256k1 -nodes -keyout "$T/k1.key" -subj /CN=x -out "$T/k1.csr" 2>/dev/null
check "precondition: secp256k1 CSR is well-formed" csr_sig_ok "$T/k1.csr"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:brainpoolP256r1 -nodes -keyout "$T/bp.key" -subj /CN=x -out "$T/bp.csr" 2>/dev/null
check "precondition: brainpoolP256r1 CSR is well-formed" csr_sig_ok "$T/bp.csr"
openssl req -new -newkey ed25519 -nodes -keyout "$T/ed.key" -subj /CN=x -out "$T/ed.csr" 2>/dev/null
check "precondition: Ed25519 CSR is well-formed" csr_sig_ok "$T/ed.csr"

head -c 3000 /dev/urandom >"$T/garbage.bin"
printf -- '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NSIGF0IGFsbA==\n-----END CERTIFICATE REQUEST-----\n' >"$T/garbage.pem"
: >"$T/empty.csr"
# A genuine, well-signed CSR over 64 KiB (many SAN entries).
python3 - "$T/big.cnf" <<'EOF'
import sys
names = ",".join("DNS:host%04d.sub.palembang.go.id" % i for i in range(2400))
open(sys.argv[1], "w").write(
    "[req]\ndistinguished_name=dn\nreq_extensions=ext\nprompt=no\n[dn]\nCN=big\n"
    "[ext]\nsubjectAltName=" + names + "\n")
EOF
openssl req -new -key "$T/good.csr.key" -config "$T/big.cnf" -out "$T/big.csr" 2>/dev/null
check "precondition: the big CSR is over 64 KiB" test "$(stat -c %s "$T/big.csr")" -gt 65536
check "precondition: the big CSR verifies" csr_sig_ok "$T/big.csr"
# A certificate where a CSR belongs.
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null 2>&1
check "precondition: CA exported" test -s "$T/ca/root.pem"

# ---- the control: good input is accepted ----------------------------------
"$S" cert issue --dir "$I" --csr "$T/good.csr" --type individu --usage signing --cn "Budi Santoso" \
	--email budi@palembang.go.id --out "$T/ctl1.pem" >/dev/null 2>"$T/ctl1.err"
check_eq "control: a good request is issued" 0 $?
SERIAL=$(openssl x509 -in "$T/ctl1.pem" -noout -serial 2>/dev/null | cut -d= -f2 | tr 'A-F' 'a-f')
check "control: serial known" test -n "$SERIAL"

# ---- refusals -------------------------------------------------------------
N=0
LAST_SNAP=
# refuse DESC PATTERN ARGS...: `sertel ARGS` must exit 2 with one stderr
# line that says why (matches the extended regex PATTERN, ignoring case)
# and leave the certificate and audit counts as they were.
refuse() {
	local desc=$1 pat=$2 before after rc lines
	shift 2
	N=$((N + 1))
	# The previous case's "after" is this one's "before": nothing runs between.
	before=${LAST_SNAP:-}
	[ -n "$before" ] || before=$(snapshot "$I") || { fail "$desc: cannot read the counts before"; return; }
	"$S" "$@" >"$T/out.$N" 2>"$T/err.$N"
	rc=$?
	LAST_SNAP=
	after=$(snapshot "$I") || { fail "$desc: cannot read the counts after"; return; }
	LAST_SNAP=$after
	lines=$(line_count "$T/err.$N")
	if [ "$rc" -eq 2 ]; then pass "$desc: exit 2"; else fail "$desc: exit $rc, expected 2"; fi
	if [ "$lines" -eq 1 ] && [ -n "$(tr -d '[:space:]' <"$T/err.$N")" ]; then
		pass "$desc: one line on stderr ($(head -c 150 "$T/err.$N"))"
	else
		fail "$desc: $lines lines on stderr: $(head -c 400 "$T/err.$N" | tr '\n' '|')"
	fi
	if grep -qiE -e "$pat" "$T/err.$N"; then
		pass "$desc: the message names the problem (/$pat/)"
	else
		fail "$desc: the message does not match /$pat/"
	fi
	check_eq "$desc: nothing stored" "$before" "$after"
}
ISSUE=(cert issue --dir "$I")
PERSON=(--cn "Budi Santoso" --email budi@palembang.go.id)

refuse "CSR with a bad self-signature (DER)" 'self-signature' "${ISSUE[@]}" --csr "$T/badsig.der" --type individu --usage signing "${PERSON[@]}"
refuse "CSR with a bad self-signature (PEM)" 'self-signature' "${ISSUE[@]}" --csr "$T/badsig.pem" --type individu --usage signing "${PERSON[@]}"
refuse "RSA-1024 CSR" '1024' "${ISSUE[@]}" --csr "$T/rsa1024.csr" --type individu --usage signing "${PERSON[@]}"
refuse "unsupported curve secp256k1" 'secp256k1' "${ISSUE[@]}" --csr "$T/k1.csr" --type individu --usage signing "${PERSON[@]}"
refuse "unsupported curve brainpoolP256r1" 'brainpoolP256r1' "${ISSUE[@]}" --csr "$T/bp.csr" --type individu --usage signing "${PERSON[@]}"
refuse "unsupported key type Ed25519" 'ed25519' "${ISSUE[@]}" --csr "$T/ed.csr" --type individu --usage signing "${PERSON[@]}"
refuse "unknown type" 'pegawai' "${ISSUE[@]}" --csr "$T/good.csr" --type pegawai --usage signing "${PERSON[@]}"
refuse "unknown usage" 'encrypt' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing,encrypt "${PERSON[@]}"
refuse "usage given twice" 'twice' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing,signing "${PERSON[@]}"
refuse "empty usage list" 'usage' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage "" "${PERSON[@]}"
refuse "sistem without --dns/--ip" 'dns' "${ISSUE[@]}" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app.palembang.go.id
refuse "ssl-server for individu" 'ssl-server' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage ssl-server "${PERSON[@]}"
refuse "ssl-server for jabatan" 'ssl-server' "${ISSUE[@]}" --csr "$T/good.csr" --type jabatan --usage ssl-server,ssl-client "${PERSON[@]}" --title "Kepala Dinas"
refuse "jabatan without --title" 'title' "${ISSUE[@]}" --csr "$T/good.csr" --type jabatan --usage signing "${PERSON[@]}"
refuse "--title on individu" 'title' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing "${PERSON[@]}" --title "Kepala Dinas"
refuse "--dns on individu" 'dns' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing "${PERSON[@]}" --dns budi.palembang.go.id
refuse "bad DNS name (underscore)" 'bad_name' "${ISSUE[@]}" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app --dns bad_name.palembang.go.id
refuse "bad DNS name (leading hyphen)" '-app[.]palembang' "${ISSUE[@]}" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app --dns -app.palembang.go.id
refuse "bad DNS name (empty label)" 'app[.][.]palembang' "${ISSUE[@]}" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app --dns app..palembang.go.id
refuse "bad DNS name (not qualified)" 'intranet' "${ISSUE[@]}" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app --dns intranet
refuse "bad IP address" '10[.]0[.]0[.]256' "${ISSUE[@]}" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app --ip 10.0.0.256
refuse "bad e-mail (no @)" 'budi[.]palembang[.]go[.]id' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage email --cn "Budi" --email budi.palembang.go.id
refuse "bad e-mail (two @)" 'budi@x@' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage email --cn "Budi" --email "budi@x@palembang.go.id"
refuse "bad e-mail (space)" 'bu di@' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage email --cn "Budi" --email "bu di@palembang.go.id"
refuse "bad e-mail (bad domain)" 'budi@palembang' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage email --cn "Budi" --email "budi@palembang"
refuse "email usage without --email" 'e-?mail' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage email --cn "Budi"
refuse "CN over 64 characters" 'cn' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing --cn "$(printf 'x%.0s' $(seq 65))"
refuse "garbage file as CSR" 'CSR' "${ISSUE[@]}" --csr "$T/garbage.bin" --type individu --usage signing "${PERSON[@]}"
refuse "garbage inside a PEM CSR armour" 'CSR' "${ISSUE[@]}" --csr "$T/garbage.pem" --type individu --usage signing "${PERSON[@]}"
refuse "a certificate instead of a CSR" 'CSR' "${ISSUE[@]}" --csr "$T/ca/root.pem" --type individu --usage signing "${PERSON[@]}"
refuse "empty file as CSR" 'empty' "${ISSUE[@]}" --csr "$T/empty.csr" --type individu --usage signing "${PERSON[@]}"
refuse "CSR over 64 KiB" '65536|64 ?KiB|too (large|big)|larger' "${ISSUE[@]}" --csr "$T/big.csr" --type individu --usage signing "${PERSON[@]}"
refuse "nonexistent CSR file" 'no-such-file' "${ISSUE[@]}" --csr "$T/no-such-file.csr" --type individu --usage signing "${PERSON[@]}"
refuse "missing --csr" '--csr' "${ISSUE[@]}" --type individu --usage signing "${PERSON[@]}"
refuse "unknown command" 'frobnicate' frobnicate --dir "$I"
refuse "unknown subcommand" 'frobnicate' cert frobnicate --dir "$I"
refuse "unknown option (cert issue)" 'bogus' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing "${PERSON[@]}" --bogus
refuse "unknown option (cert list)" 'bogus' cert list --dir "$I" --bogus
refuse "option missing its argument" '--ou|argument' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing "${PERSON[@]}" --ou
refuse "unexpected argument" 'extra' "${ISSUE[@]}" --csr "$T/good.csr" --type individu --usage signing "${PERSON[@]}" extra
refuse "cert revoke of an unknown serial" 'not found' cert revoke --dir "$I" 0123456789abcdef0123456789abcdef01 --reason keyCompromise
refuse "cert revoke of a non-hex serial" 'hex' cert revoke --dir "$I" not-a-serial --reason keyCompromise
refuse "unknown revocation reason" 'bogus' cert revoke --dir "$I" "$SERIAL" --reason bogus
refuse "revocation reason certificateHold (not final)" 'certificateHold' cert revoke --dir "$I" "$SERIAL" --reason certificateHold
refuse "revocation without --reason" 'reason' cert revoke --dir "$I" "$SERIAL"
refuse "cert show of an unknown serial" 'not found' cert show --dir "$I" 0123456789abcdef0123456789abcdef01
refuse "cert list --status bogus" 'bogus' cert list --dir "$I" --status bogus
refuse "--dir without an instance" 'nowhere' cert list --dir "$T/nowhere"

check_eq "the certificate refused revocation is still valid" valid \
	"$("$S" cert show --dir "$I" "$SERIAL" --json 2>/dev/null | jq -r .status)"

# ---- the control again, and the trail is intact ----------------------------
"$S" cert issue --dir "$I" --csr "$T/good.csr" --type sistem --usage ssl-server --cn app.palembang.go.id \
	--dns app.palembang.go.id --out "$T/ctl2.pem" >/dev/null 2>"$T/ctl2.err"
check_eq "control: a good request is still issued" 0 $?
check_eq "two certificates in all" 2 "$(cert_count "$I")"
check_eq "audit verify exits 0" 0 "$("$S" audit verify --dir "$I" >/dev/null 2>&1; echo $?)"
check_eq "the audit trail records exactly the two issues" 2 \
	"$("$S" audit list --dir "$I" --json | jq '[.[] | select(.action == "cert.issue")] | length')"

finish
