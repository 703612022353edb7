#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issuance, profiles, revocation and CRLs, judged by openssl.
#
# For an EC P-256 instance (EC P-256 requests, plus one P-384 and one RSA
# request) and an RSA-2048 instance (RSA-2048 requests), every type
# (individu, jabatan, sistem) is issued with every usage alone and every
# combination Palembang's form allows; each certificate must verify with
# `openssl verify` against the exported root and issuing CA, pass exactly
# the purposes its key usages allow, and carry exactly the extensions the
# profile (src/pki/profile.c) documents.  Then: revocation and CRLs, init
# refusing an existing instance, master.key mode, encrypted issuer keys and
# SERTEL_MASTER_PASSPHRASE.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
lib_setup issue

S=$SERTEL_BIN
ORG="Pemerintah Kota Palembang"
# The default policy OIDs (src/pki/profile.c, pki_conf_load), one per type.
POLICY_individu=2.25.265016592438374105406425356356063524147.1.1
POLICY_jabatan=2.25.265016592438374105406425356356063524147.1.2
POLICY_sistem=2.25.265016592438374105406425356356063524147.1.3
VALIDITY_DAYS=730
TLS_DAYS=398

# The usage lists of the form: alone and the allowed combinations.
COMBOS="email ssl-client signing,ssl-client document signing document,ssl-client email,ssl-client email,signing"
SISTEM_EXTRA="ssl-server ssl-server,ssl-client"

# ---- helpers -----------------------------------------------------------
export LC_ALL=C
has_usage() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }

# Sorted, comma-joined set from a "a, b, c" list (pure bash: this runs
# thousands of times).
set_of() {
	local -a parts=() items=()
	local item i j tmp
	IFS=, read -ra parts <<<"$1"
	for item in "${parts[@]}"; do
		item="${item#"${item%%[![:space:]]*}"}"
		item="${item%"${item##*[![:space:]]}"}"
		[ -n "$item" ] && items+=("$item")
	done
	for ((i = 1; i < ${#items[@]}; i++)); do
		tmp=${items[i]}
		for ((j = i - 1; j >= 0; j--)); do
			[[ ${items[j]} > $tmp ]] || break
			items[j + 1]=${items[j]}
		done
		items[j + 1]=$tmp
	done
	local IFS=,
	echo "${items[*]}"
}

# Expected key usage per the profile: usages ($1) and RSA subject key ($2).
expect_ku() {
	local u=$1 rsa=$2 ds=0 nr=0 ke=0 de=0 ka=0 out=
	if has_usage "$u" signing; then ds=1; nr=1; fi
	if has_usage "$u" email; then ds=1; if [ "$rsa" = 1 ]; then ke=1; else ka=1; fi; fi
	if has_usage "$u" document; then if [ "$rsa" = 1 ]; then ke=1; de=1; else ka=1; fi; fi
	if has_usage "$u" ssl-server; then ds=1; [ "$rsa" = 1 ] && ke=1; fi
	if has_usage "$u" ssl-client; then ds=1; fi
	[ $ds = 1 ] && out="$out,Digital Signature"
	[ $nr = 1 ] && out="$out,Non Repudiation"
	[ $ke = 1 ] && out="$out,Key Encipherment"
	[ $de = 1 ] && out="$out,Data Encipherment"
	[ $ka = 1 ] && out="$out,Key Agreement"
	set_of "$out"
}
# expect_eku USAGES HAS_EMAIL: emailProtection only with an rfc822Name,
# document gets Microsoft Document Encryption (issue 18).
expect_eku() {
	local u=$1 mail=$2 out=
	has_usage "$u" signing && out="$out,1.3.6.1.5.5.7.3.36"
	if [ "$mail" = 1 ] && { has_usage "$u" signing || has_usage "$u" email; }; then out="$out,E-mail Protection"; fi
	has_usage "$u" document && out="$out,1.3.6.1.4.1.311.80.1"
	has_usage "$u" ssl-server && out="$out,TLS Web Server Authentication"
	has_usage "$u" ssl-client && out="$out,TLS Web Client Authentication"
	set_of "$out"
}
# OpenSSL's purpose rules (crypto/x509/v3_purp.c) applied to the expected
# KU/EKU: prints 1 when `openssl verify -purpose P` must accept.
expect_purpose() {
	local p=$1 ku=",$2," eku=",$3," ok=0
	case $p in
	sslserver) { [ "$eku" = ",," ] || [[ $eku == *",TLS Web Server Authentication,"* ]]; } && ok=1
		[[ $ku == *",Digital Signature,"* || $ku == *",Key Encipherment,"* || $ku == *",Key Agreement,"* ]] || ok=0 ;;
	sslclient) { [ "$eku" = ",," ] || [[ $eku == *",TLS Web Client Authentication,"* ]]; } && ok=1
		[[ $ku == *",Digital Signature,"* || $ku == *",Key Agreement,"* ]] || ok=0 ;;
	smimesign) { [ "$eku" = ",," ] || [[ $eku == *",E-mail Protection,"* ]]; } && ok=1
		[[ $ku == *",Digital Signature,"* || $ku == *",Non Repudiation,"* ]] || ok=0 ;;
	smimeencrypt) { [ "$eku" = ",," ] || [[ $eku == *",E-mail Protection,"* ]]; } && ok=1
		[[ $ku == *",Key Encipherment,"* ]] || ok=0 ;;
	esac
	echo $ok
}

# ext_load FILE: reads the extensions of an `openssl x509 -text` dump into
# EXTV[name] (value lines joined with ", ") and EXTH[name] (the header
# after the colon, e.g. "critical"); EXTN is the sorted list of names.
declare -A EXTV EXTH
ext_load() {
	local name flag value
	EXTV=() EXTH=() EXTN=
	while IFS=$'\037' read -r name flag value; do
		EXTV[$name]=$value
		EXTH[$name]=$flag
		EXTN="$EXTN,$name"
	done < <(awk '
		/^        X509v3 extensions:/ { inx = 1; next }
		!inx { next }
		{ match($0, /^ */); ind = RLENGTH }
		ind < 12 { inx = 0; flush(); next }
		ind == 12 { flush(); sub(/^ +/, ""); cur = $0; sub(/:.*/, "", cur)
			fl = $0; sub(/^[^:]*: */, "", fl); sub(/ +$/, "", fl); val = ""; next }
		{ sub(/^ +/, ""); sub(/ +$/, ""); val = val (val == "" ? "" : ", ") $0 }
		function flush() { if (cur != "") printf "%s\037%s\037%s\n", cur, fl, val; cur = "" }
		END { flush() }' "$1")
	EXTN=$(set_of "$EXTN")
}
ski_id() { # the issuer id: first 8 bytes of the SKI, lower-case hex
	ext_load "$1"
	local v=${EXTV[X509v3 Subject Key Identifier]:-}
	v=${v//:/}
	v=${v,,}
	echo "${v:0:16}"
}

# Certificates issued so far, for the batched `openssl verify` runs:
# lines "label<TAB>file<TAB>type<TAB>usages<TAB>rsa".
ISSUED=

# issue_and_check INST CA BASE LABEL TYPE USAGES KEYSPEC RSA CN OU TITLE EMAIL "DNS..." "IP..."
# KEYSPEC: ec-p256 | ec-p384 | a key file (reused).  Issues one
# certificate and checks what can be checked on it alone.
issue_and_check() {
	local inst=$1 ca=$2 base=$3 label=$4 type=$5 usages=$6 keyspec=$7 rsa=$8
	local cn=$9 ou=${10} title=${11} email=${12} dnsl=${13} ipl=${14}
	local f=$T/$label rc n
	local -a opt=()
	make_csr "$f.csr" "$keyspec" "ignored by the CA" || { fail "$label: cannot make CSR"; return; }
	opt=(--dir "$inst" --csr "$f.csr" --type "$type" --usage "$usages" --cn "$cn" --out "$f.pem" --json)
	[ -n "$ou" ] && opt+=(--ou "$ou")
	[ -n "$title" ] && opt+=(--title "$title")
	[ -n "$email" ] && opt+=(--email "$email")
	for n in $dnsl; do opt+=(--dns "$n"); done
	for n in $ipl; do opt+=(--ip "$n"); done
	"$S" cert issue "${opt[@]}" >"$f.json" 2>"$f.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$label: cert issue exit $rc: $(head -c 300 "$f.err")"
		return
	fi
	openssl x509 -in "$f.pem" -noout -serial -subject -issuer -startdate -enddate -pubkey -text \
		-nameopt RFC2253,-esc_msb,utf8 >"$f.txt" 2>/dev/null ||
		{ fail "$label: openssl cannot parse the certificate"; return; }
	ISSUED="$ISSUED$label	$f.pem	$type	$usages	$rsa	$([ -n "$email" ] && echo 1 || echo 0)
"
	# Serial and PEM in the JSON output match the certificate.
	local serial js jpem
	serial=$(sed -n 's/^serial=//p' "$f.txt")
	serial=${serial,,}
	{ read -r js; jpem=$(cat); } < <(jq -r '.serial, .certificate' "$f.json")
	check_eq "$label: JSON serial is the certificate's" "$serial" "$js"
	check_eq "$label: JSON certificate is the PEM written" "$(<"$f.pem")" "$jpem"
	check_eq "$label: serial has >= 64 random bits (17 bytes)" 34 "${#serial}"
	check_eq "$label: subject key is the CSR's key" "$(openssl req -in "$f.csr" -noout -pubkey)" \
		"$(sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' "$f.txt")"

	# Extensions: exactly the profile's, with the profile's values.
	local ku_exp eku_exp names_exp san_exp pol
	ku_exp=$(expect_ku "$usages" "$rsa")
	eku_exp=$(expect_eku "$usages" "$([ -n "$email" ] && echo 1 || echo 0)")
	eval "pol=\$POLICY_$type"
	ext_load "$f.txt"
	names_exp="Authority Information Access,X509v3 Authority Key Identifier,X509v3 Basic Constraints,X509v3 CRL Distribution Points,X509v3 Certificate Policies,X509v3 Key Usage,X509v3 Subject Key Identifier"
	[ -n "$eku_exp" ] && names_exp="$names_exp,X509v3 Extended Key Usage"
	[ -n "$email$dnsl$ipl" ] && names_exp="$names_exp,X509v3 Subject Alternative Name"
	check_eq "$label: exactly the profile's extensions" "$(set_of "$names_exp")" "$EXTN"
	check_eq "$label: basicConstraints critical CA:FALSE" "critical|CA:FALSE" \
		"${EXTH[X509v3 Basic Constraints]:-}|${EXTV[X509v3 Basic Constraints]:-}"
	check_eq "$label: keyUsage is critical" critical "${EXTH[X509v3 Key Usage]:-}"
	check_eq "$label: keyUsage ($usages, $([ "$rsa" = 1 ] && echo RSA || echo EC) key)" "$ku_exp" \
		"$(set_of "${EXTV[X509v3 Key Usage]:-}")"
	local eku=${EXTV[X509v3 Extended Key Usage]:-}
	check_eq "$label: extendedKeyUsage ($usages)" "$eku_exp" "$(set_of "${eku//Document Signing/1.3.6.1.5.5.7.3.36}")"
	[ -n "$eku_exp" ] && check_eq "$label: extendedKeyUsage not critical" "" "${EXTH[X509v3 Extended Key Usage]:-}"
	san_exp=
	[ -n "$email" ] && san_exp="$san_exp,email:$email"
	for n in $dnsl; do san_exp="$san_exp,DNS:$n"; done
	for n in $ipl; do san_exp="$san_exp,IP Address:$n"; done
	check_eq "$label: subjectAltName" "$(set_of "$san_exp")" "$(set_of "${EXTV[X509v3 Subject Alternative Name]:-}")"
	check_eq "$label: certificatePolicies = the $type policy" "Policy: $pol" "${EXTV[X509v3 Certificate Policies]:-}"
	check_eq "$label: CRL distribution point from --base-url" "Full Name:, URI:$base/crl/$ISSUING_ID.crl" \
		"${EXTV[X509v3 CRL Distribution Points]:-}"
	check_eq "$label: AIA (OCSP, caIssuers) from --base-url" "OCSP - URI:$base/ocsp, CA Issuers - URI:$base/ca/$ISSUING_ID.crt" \
		"${EXTV[Authority Information Access]:-}"
	local aki=${EXTV[X509v3 Authority Key Identifier]:-}
	check_eq "$label: AKI is the issuing CA's SKI" "$ISSUING_SKI" "${aki#keyid:}"

	# Subject: C=ID, O=org, OU, title (jabatan), CN, in RFC 2253 order.
	local subj_exp="CN=$cn"
	[ -n "$title" ] && subj_exp="$subj_exp,title=$title"
	[ -n "$ou" ] && subj_exp="$subj_exp,OU=$ou"
	subj_exp="$subj_exp,O=$ORG,C=ID"
	check_eq "$label: subject" "$subj_exp" "$(sed -n 's/^subject=//p' "$f.txt")"
	check_eq "$label: issuer is the issuing CA" "$ISSUING_SUBJECT" "$(sed -n 's/^issuer=//p' "$f.txt")"

	# Validity: from now (backdated at most 3 minutes) for VALIDITY_DAYS,
	# ssl-server at most TLS_DAYS (CA/B BR 6.3.2, issue 18).
	local nb na now VALIDITY_DAYS=$VALIDITY_DAYS
	has_usage "$usages" ssl-server && [ "$TLS_DAYS" -lt "$VALIDITY_DAYS" ] && VALIDITY_DAYS=$TLS_DAYS
	now=$(date -u +%s)
	{ read -r nb; read -r na; } < <(sed -n 's/^notBefore=//p; s/^notAfter=//p' "$f.txt" | date -u -f - +%s)
	if [ "$nb" -le "$now" ] && [ "$nb" -ge $((now - 180)) ] &&
		[ $((na - now)) -le $((VALIDITY_DAYS * 86400 + 120)) ] &&
		[ $((na - now)) -ge $((VALIDITY_DAYS * 86400 - 180)) ]; then
		pass "$label: validity $VALIDITY_DAYS days from now"
	else
		fail "$label: validity notBefore=$nb notAfter=$na now=$now"
	fi

	# The store agrees: cert show --json.
	local tuple spem
	{ read -r tuple; spem=$(cat); } < <("$S" cert show --dir "$inst" "$serial" --json 2>/dev/null |
		jq -r '"\(.type)|\(.usages)|\(.status)", .certificate')
	check_eq "$label: cert show: type|usages|status" "$type|$(set_of "$usages")|valid" \
		"${tuple%%|*}|$(set_of "$(echo "$tuple" | cut -d'|' -f2)")|${tuple##*|}"
	check_eq "$label: cert show: same certificate" "$(<"$f.pem")" "$spem"
}

# verify_files DESC WANT_FILE OUT OPENSSL_VERIFY_ARGS...: one `openssl
# verify` run over many files; WANT_FILE holds "file<TAB>0|1<TAB>label"
# lines, the wanted outcome per file ("file: OK" or not).
verify_files() {
	local desc=$1 want_file=$2 out=$3
	shift 3
	openssl verify "$@" >"$out" 2>&1
	local file want got
	while IFS=$'\t' read -r file want label; do
		if grep -qxF "$file: OK" "$out"; then got=1; else got=0; fi
		if [ "$want" = "$got" ]; then
			pass "$label: $desc $([ "$want" = 1 ] && echo accepted || echo rejected)"
		else
			fail "$label: $desc: expected $([ "$want" = 1 ] && echo accept || echo reject): $(grep -F "$file" "$out" | head -n 2 | tr '\n' ' ')"
		fi
	done <"$want_file"
}
# verify_batch CA: runs `openssl verify` once per purpose (and per type
# policy) over every certificate in ISSUED, and checks each file's result.
verify_batch() {
	local ca=$1 label file type usages rsa p ku eku want pol other t
	local -a files=()
	: >"$T/want.strict"
	for p in smimesign sslserver sslclient smimeencrypt; do : >"$T/want.$p"; done
	for t in individu jabatan sistem; do : >"$T/want.pol.$t"; : >"$T/want.npol.$t"; done
	while IFS=$'\t' read -r label file type usages rsa mail; do
		[ -n "$label" ] || continue
		files+=("$file")
		printf '%s\t1\t%s\n' "$file" "$label" >>"$T/want.strict"
		ku=$(expect_ku "$usages" "$rsa")
		eku=$(expect_eku "$usages" "$mail")
		# Each usage needs its purpose; the model must agree before we trust it.
		if { has_usage "$usages" signing && [ "$mail" = 1 ]; } || has_usage "$usages" email; then
			check_eq "$label: model: smimesign required" 1 "$(expect_purpose smimesign "$ku" "$eku")"
		fi
		has_usage "$usages" ssl-server && check_eq "$label: model: sslserver required" 1 "$(expect_purpose sslserver "$ku" "$eku")"
		has_usage "$usages" ssl-client && check_eq "$label: model: sslclient required" 1 "$(expect_purpose sslclient "$ku" "$eku")"
		for p in smimesign sslserver sslclient smimeencrypt; do
			printf '%s\t%s\t%s\n' "$file" "$(expect_purpose $p "$ku" "$eku")" "$label" >>"$T/want.$p"
		done
		printf '%s\t1\t%s\n' "$file" "$label" >>"$T/want.pol.$type"
		printf '%s\t0\t%s\n' "$file" "$label" >>"$T/want.npol.$type"
	done <<<"$ISSUED"
	[ ${#files[@]} -gt 0 ] || { fail "verify_batch: no certificates"; return; }
	verify_files "openssl verify -x509_strict" "$T/want.strict" "$T/v.strict" \
		-x509_strict -CAfile "$ca/root.pem" -untrusted "$ca/issuing.pem" "${files[@]}"
	for p in smimesign sslserver sslclient smimeencrypt; do
		verify_files "-purpose $p" "$T/want.$p" "$T/v.$p" \
			-purpose $p -CAfile "$ca/root.pem" -untrusted "$ca/issuing.pem" "${files[@]}"
	done
	# Per-type policy: accepted under its own policy, refused under another's.
	for t in individu jabatan sistem; do
		[ -s "$T/want.pol.$t" ] || continue
		eval "pol=\$POLICY_$t"
		case $t in individu) other=$POLICY_sistem ;; *) other=$POLICY_individu ;; esac
		local -a tf=()
		mapfile -t tf < <(cut -f1 "$T/want.pol.$t")
		verify_files "-explicit_policy -policy <$t policy>" "$T/want.pol.$t" "$T/v.pol.$t" \
			-policy_check -explicit_policy -policy "$pol" -CAfile "$ca/root.pem" -untrusted "$ca/issuing.pem" "${tf[@]}"
		verify_files "-explicit_policy -policy <another type's policy>" "$T/want.npol.$t" "$T/v.npol.$t" \
			-policy_check -explicit_policy -policy "$other" -CAfile "$ca/root.pem" -untrusted "$ca/issuing.pem" "${tf[@]}"
	done
	ISSUED=
}

# check_ca INST CA BASE ALGO: the exported hierarchy.  Sets ISSUING_ID,
# ISSUING_SKI and ISSUING_SUBJECT for the end-entity checks.
check_ca() {
	local inst=$1 ca=$2 base=$3 algo=$4 f rootid
	"$S" ca export --dir "$inst" --out "$ca" >/dev/null 2>"$ca.err"
	check_eq "$algo: ca export exits 0" 0 $?
	for f in root issuing ocsp tsa chain; do
		check "$algo: ca export wrote $f.pem" test -s "$ca/$f.pem"
	done
	check_eq "$algo: chain.pem is issuing then root" "$(cat "$ca/issuing.pem" "$ca/root.pem")" "$(cat "$ca/chain.pem")"
	check "$algo: root is self-signed and verifies" \
		quiet openssl verify -x509_strict -CAfile "$ca/root.pem" "$ca/root.pem"
	check "$algo: issuing CA verifies under root" \
		quiet openssl verify -x509_strict -CAfile "$ca/root.pem" "$ca/issuing.pem"
	check "$algo: OCSP responder cert verifies (-purpose ocsphelper)" \
		quiet openssl verify -purpose ocsphelper -CAfile "$ca/root.pem" -untrusted "$ca/issuing.pem" "$ca/ocsp.pem"
	check "$algo: TSA cert verifies (-purpose timestampsign)" \
		quiet openssl verify -purpose timestampsign -CAfile "$ca/root.pem" -untrusted "$ca/issuing.pem" "$ca/tsa.pem"
	for f in root issuing; do
		openssl x509 -in "$ca/$f.pem" -noout -subject -text -nameopt RFC2253,-esc_msb,utf8 >"$ca/$f.txt" 2>/dev/null
	done
	check_eq "$algo: root subject" "subject=CN=$ORG Root CA,O=$ORG,C=ID" "$(grep '^subject=' "$ca/root.txt")"
	check_eq "$algo: issuing CA subject" "subject=CN=$ORG Issuing CA,O=$ORG,C=ID" "$(grep '^subject=' "$ca/issuing.txt")"
	ext_load "$ca/root.txt"
	rootid=$(ski_id "$ca/root.txt")
	check_eq "$algo: root basicConstraints/keyUsage" "critical|CA:TRUE|critical|$(set_of "Certificate Sign, CRL Sign")" \
		"${EXTH[X509v3 Basic Constraints]}|${EXTV[X509v3 Basic Constraints]}|${EXTH[X509v3 Key Usage]}|$(set_of "${EXTV[X509v3 Key Usage]}")"
	ext_load "$ca/issuing.txt"
	check_eq "$algo: issuing CA basicConstraints critical pathlen:0" "critical|CA:TRUE, pathlen:0" \
		"${EXTH[X509v3 Basic Constraints]}|${EXTV[X509v3 Basic Constraints]}"
	check_eq "$algo: issuing CA keyUsage" "critical|$(set_of "Certificate Sign, CRL Sign")" \
		"${EXTH[X509v3 Key Usage]}|$(set_of "${EXTV[X509v3 Key Usage]}")"
	check_eq "$algo: issuing CA asserts the three type policies" \
		"Policy: $POLICY_individu, Policy: $POLICY_jabatan, Policy: $POLICY_sistem" \
		"${EXTV[X509v3 Certificate Policies]:-}"
	check_eq "$algo: issuing CA CRL DP from --base-url" "Full Name:, URI:$base/crl/$rootid.crl" \
		"${EXTV[X509v3 CRL Distribution Points]:-}"
	check_eq "$algo: issuing CA AIA caIssuers from --base-url" "CA Issuers - URI:$base/ca/$rootid.crt" \
		"${EXTV[Authority Information Access]:-}"
	ISSUING_SKI=${EXTV[X509v3 Subject Key Identifier]}
	ISSUING_ID=$(ski_id "$ca/issuing.txt")
	ISSUING_SUBJECT=$(sed -n 's/^subject=//p' "$ca/issuing.txt")
	check "$algo: issuing CA id is 16 hex digits" test ${#ISSUING_ID} -eq 16
	case $algo in
	ec-p256) check "$algo: issuing CA key is P-256" grep -q 'NIST CURVE: P-256' "$ca/issuing.txt"
		check "$algo: root key is P-256" grep -q 'NIST CURVE: P-256' "$ca/root.txt" ;;
	rsa-2048) check "$algo: issuing CA key is RSA 2048" grep -q 'Public-Key: (2048 bit)' "$ca/issuing.txt"
		check "$algo: root key is RSA 2048" grep -q 'Public-Key: (2048 bit)' "$ca/root.txt"
		check "$algo: CA signs with sha256WithRSAEncryption" grep -q 'Signature Algorithm: sha256WithRSAEncryption' "$ca/issuing.txt" ;;
	esac
}

# check_keys_encrypted INST LABEL: issuer keys at rest are encrypted PKCS#8.
check_keys_encrypted() {
	local inst=$1 label=$2 n heads
	n=$(inst_sql "$inst" "SELECT count(*) FROM issuers")
	check_eq "$label: four issuers in the database" 4 "$n"
	heads=$(inst_sql "$inst" "SELECT substr(key_pem, 1, 37) FROM issuers" | sort -u)
	check_eq "$label: every issuer key_pem begins with ENCRYPTED PRIVATE KEY" \
		"-----BEGIN ENCRYPTED PRIVATE KEY-----" "$heads"
	n=$(inst_sql "$inst" "SELECT count(*) FROM issuers WHERE key_pem LIKE '%BEGIN PRIVATE KEY%' OR key_pem LIKE '%BEGIN EC PRIVATE KEY%' OR key_pem LIKE '%BEGIN RSA PRIVATE KEY%'")
	check_eq "$label: no plaintext private key in issuers" 0 "$n"
	inst_sql "$inst" "SELECT key_pem FROM issuers WHERE role = 'issuing'" >"$T/$label.keypem"
	if openssl asn1parse -in "$T/$label.keypem" 2>/dev/null | grep -q 'PBES2'; then
		pass "$label: issuing key is PKCS#8 EncryptedPrivateKeyInfo (PBES2)"
	else
		fail "$label: issuing key is not a PBES2 EncryptedPrivateKeyInfo"
	fi
	if openssl pkey -in "$T/$label.keypem" -passin pass:not-the-secret -noout >/dev/null 2>&1; then
		fail "$label: issuing key opens with a wrong passphrase"
	else
		pass "$label: issuing key does not open without the sealing key"
	fi
}

# run_matrix INST CA BASE PREFIX KEYSPEC RSA: every type x usage list.
run_matrix() {
	local inst=$1 ca=$2 base=$3 pfx=$4 keyspec=$5 rsa=$6 i=0 type u email ou dns ip title cn
	for type in individu jabatan sistem; do
		local list=$COMBOS
		[ $type = sistem ] && list="$list $SISTEM_EXTRA"
		for u in $list; do
			i=$((i + 1))
			email='' ou='' dns='' ip='' title=''
			cn="Pegawai Nomor $i"
			# People with a signing or e-mail usage carry an address; the
			# others (and every third OU) are left out to see absence too.
			if has_usage "$u" email || { [ $type != sistem ] && has_usage "$u" signing; }; then
				email="pegawai$i@palembang.go.id"
			fi
			[ $((i % 3)) != 0 ] && ou="Dinas Komunikasi dan Informatika"
			[ $type = jabatan ] && title="Kepala Bidang $i"
			if [ $type = sistem ]; then
				cn="app$i.palembang.go.id"
				dns="app$i.palembang.go.id www.app$i.palembang.go.id"
				ip="10.20.30.$i"
			fi
			issue_and_check "$inst" "$ca" "$base" "$pfx-$type-${u//,/+}" "$type" "$u" "$keyspec" "$rsa" \
				"$cn" "$ou" "$title" "$email" "$dns" "$ip"
		done
	done
}

# ==== EC P-256 instance =================================================
EC=$T/ec
BASE_EC=https://pki.palembang.go.id
make_instance "$EC" --org "$ORG" --base-url "$BASE_EC" --algo ec-p256 ||
	die "init ec-p256: $(cat "$EC.init.err")"
pass "init ec-p256 instance"
check_ca "$EC" "$T/ec-ca" "$BASE_EC" ec-p256
run_matrix "$EC" "$T/ec-ca" "$BASE_EC" ec ec-p256 0
# Other accepted keys on the EC instance: KU follows the subject key.
issue_and_check "$EC" "$T/ec-ca" "$BASE_EC" ec-p384-individu-signing individu signing ec-p384 0 \
	"Ni Luh Śrī Ayu" "Dinas Pekerjaan Umum & Penataan Ruang" "" "ayu@palembang.go.id" "" ""
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa1.key" 2>/dev/null ||
	die "cannot generate an RSA key"
issue_and_check "$EC" "$T/ec-ca" "$BASE_EC" ec-rsakey-individu-email+document individu email,document "$T/rsa1.key" 1 \
	"Budi Santoso" "" "" "budi@palembang.go.id" "" ""
issue_and_check "$EC" "$T/ec-ca" "$BASE_EC" ec-sistem-ipv6 sistem ssl-server ec-p256 0 \
	"api.palembang.go.id" "" "" "" "api.palembang.go.id" "2001:DB8:0:0:0:0:0:1"
verify_batch "$T/ec-ca"

# Three distinct policy OIDs.
if [ "$POLICY_individu" != "$POLICY_jabatan" ] && [ "$POLICY_jabatan" != "$POLICY_sistem" ] &&
	[ "$POLICY_individu" != "$POLICY_sistem" ]; then
	pass "three distinct policy OIDs"
else
	fail "policy OIDs are not distinct"
fi

# ---- revocation and CRLs -----------------------------------------------
CA=$T/ec-ca
REV=$(openssl x509 -in "$T/ec-individu-signing.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
KEEP_OK=$(openssl x509 -in "$T/ec-jabatan-signing.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
crl_number() { openssl crl -inform DER -in "$1" -noout -crlnumber 2>/dev/null | sed -n 's/^crlNumber=//p'; }
dec() { [ -n "$1" ] && printf '%d' "$1"; }

"$S" crl --dir "$EC" --out "$T/crl0.der" >/dev/null 2>"$T/crl0.err"
check_rc "crl --out before revocation" 0 test -s "$T/crl0.der"
N0=$(dec "$(crl_number "$T/crl0.der")")
check "CRL 0 has a CRL number" test -n "$N0"
if openssl crl -inform DER -in "$T/crl0.der" -noout -text 2>/dev/null | grep -q 'No Revoked Certificates'; then
	pass "CRL before revocation lists nothing"
else
	fail "CRL before revocation is not empty"
fi

A0=$(audit_count "$EC")
"$S" cert revoke --dir "$EC" "$REV" --reason keyCompromise >"$T/rev.out" 2>"$T/rev.err"
check_eq "cert revoke --reason keyCompromise exits 0" 0 $?
A1=$(audit_count "$EC")
check "revocation is audited" test "${A1:-0}" -gt "${A0:-0}"

"$S" crl --dir "$EC" --out "$T/crl1.der" >/dev/null 2>"$T/crl1.err"
check_rc "crl --out after revocation" 0 test -s "$T/crl1.der"
N1=$(dec "$(crl_number "$T/crl1.der")")
if openssl crl -inform DER -in "$T/crl1.der" -CAfile "$CA/issuing.pem" -noout >"$T/crl1.v" 2>&1 && grep -q 'verify OK' "$T/crl1.v"; then
	pass "openssl crl -CAfile issuing.pem: verify OK"
else
	fail "openssl crl -CAfile issuing.pem: $(tr '\n' ' ' <"$T/crl1.v")"
fi
if openssl crl -inform DER -in "$T/crl1.der" -CAfile "$CA/root.pem" -noout >/dev/null 2>&1; then
	fail "CRL verifies under the root (must be signed by the issuing CA)"
else
	pass "CRL does not verify under the wrong CA"
fi
check_eq "CRL issuer is the issuing CA" \
	"$(openssl x509 -in "$CA/issuing.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" \
	"$(openssl crl -inform DER -in "$T/crl1.der" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')"
openssl crl -inform DER -in "$T/crl1.der" -noout -text >"$T/crl1.txt" 2>/dev/null
REVU=$(echo "$REV" | tr 'a-f' 'A-F')
REASON=$(awk -v s="Serial Number: $REVU" '
	index($0, s) { hit = 1; next }
	hit && /Serial Number:/ { hit = 0 }
	hit && /CRL Reason Code/ { getline; sub(/^ +/, ""); print; exit }' "$T/crl1.txt")
check_eq "revoked serial is on the CRL with reason Key Compromise" "Key Compromise" "$REASON"
check_eq "CRL lists exactly one certificate" 1 "$(grep -c 'Serial Number:' "$T/crl1.txt")"
check "CRL has an authority key identifier" grep -q 'X509v3 Authority Key Identifier' "$T/crl1.txt"
check "CRL number increased (revocation publish)" test "${N1:-0}" -gt "${N0:-0}"

"$S" crl --dir "$EC" --out "$T/crl2.der" >/dev/null 2>&1
N2=$(dec "$(crl_number "$T/crl2.der")")
check "CRL number increases on each publish ($N1 -> $N2)" test "${N2:-0}" -gt "${N1:-0}"
"$S" crl --dir "$EC" --out "$T/crl3.der" >/dev/null 2>&1
N3=$(dec "$(crl_number "$T/crl3.der")")
check "CRL number increases again ($N2 -> $N3)" test "${N3:-0}" -gt "${N2:-0}"
check "crl --json without --out gives the DER in base64" \
	quiet bash -c '"$1" crl --dir "$2" --json | jq -r .crl_der_base64 | base64 -d | openssl crl -inform DER -noout' _ "$S" "$EC"

openssl crl -inform DER -in "$T/crl2.der" -out "$T/crl.pem" 2>/dev/null
if openssl verify -crl_check -CRLfile "$T/crl.pem" -CAfile "$CA/root.pem" -untrusted "$CA/issuing.pem" \
	"$T/ec-individu-signing.pem" >"$T/crlv.out" 2>&1; then
	fail "openssl verify -crl_check accepts the revoked certificate"
else
	if grep -q 'certificate revoked' "$T/crlv.out"; then
		pass "openssl verify -crl_check: revoked certificate rejected (certificate revoked)"
	else
		fail "openssl verify -crl_check rejected for another reason: $(tr '\n' ' ' <"$T/crlv.out")"
	fi
fi
check "openssl verify -crl_check accepts a non-revoked certificate" \
	quiet openssl verify -crl_check -CRLfile "$T/crl.pem" -CAfile "$CA/root.pem" -untrusted "$CA/issuing.pem" \
	"$T/ec-jabatan-signing.pem"

"$S" cert list --dir "$EC" --status revoked --json >"$T/revoked.json" 2>/dev/null
check_eq "cert list --status revoked shows exactly the revoked serial" "$REV" "$(jq -r '.[].serial' "$T/revoked.json" | paste -sd' ' -)"
check_eq "cert list --status revoked: reason keyCompromise" "keyCompromise" "$(jq -r '.[0].reason' "$T/revoked.json")"
"$S" cert list --dir "$EC" --status valid --json >"$T/valid.json" 2>/dev/null
check_eq "cert list --status valid no longer shows it" 0 "$(jq --arg s "$REV" '[.[] | select(.serial == $s)] | length' "$T/valid.json")"
check_eq "cert list --status valid still shows the others" 1 "$(jq --arg s "$KEEP_OK" '[.[] | select(.serial == $s)] | length' "$T/valid.json")"
check_eq "cert show: status revoked" revoked "$("$S" cert show --dir "$EC" "$REV" --json | jq -r .status)"

A2=$(audit_count "$EC")
"$S" cert revoke --dir "$EC" "$REV" --reason superseded >/dev/null 2>"$T/rev2.err"
check_eq "revoking again fails with exit 2" 2 $?
check_eq "revoking again: one line on stderr" 1 "$(line_count "$T/rev2.err")"
check_eq "revoking again changes nothing in the audit trail" "$A2" "$(audit_count "$EC")"
check_eq "revoking again keeps reason keyCompromise" keyCompromise "$("$S" cert show --dir "$EC" "$REV" --json | jq -r .reason)"
# Colon form and upper case of the serial are the same serial.
COLON=$(openssl x509 -in "$T/ec-individu-signing.pem" -noout -serial | cut -d= -f2 | sed 's/../&:/g; s/:$//')
check_rc "revoking again by colon/upper-case serial also fails with exit 2" 2 \
	"$S" cert revoke --dir "$EC" "$COLON" --reason keyCompromise

"$S" crl --dir "$EC" --issuer root --out "$T/rootcrl.der" >/dev/null 2>&1
check "root CRL verifies with root.pem" \
	bash -c 'openssl crl -inform DER -in "$1" -CAfile "$2" -noout 2>&1 | grep -q "verify OK"' _ "$T/rootcrl.der" "$CA/root.pem"

# ---- init refuses an existing instance -----------------------------------
inst_fingerprint() {
	local d=$1
	{
		sha256sum "$d/sertel.conf" "$d/master.key" 2>&1 | sed "s|$d/||"
		[ "$ENGINE" = sqlite ] && sha256sum "$d/sertel.db" 2>&1 | sed "s|$d/||"
		# Every file: name, mode, size, modification time (not the
		# directory's own times: reading the database touches those).
		find "$d" -maxdepth 1 -type f -printf '%f %m %s %T@\n' | LC_ALL=C sort
		inst_sql "$d" "SELECT id, role, key_pem FROM issuers ORDER BY id" | sha256sum
		inst_sql "$d" "SELECT seq, hash FROM audit ORDER BY seq" | sha256sum
		inst_sql "$d" "SELECT serial FROM certs ORDER BY serial" | sha256sum
	}
}
FP0=$(inst_fingerprint "$EC")
if [ "$ENGINE" = sqlite ]; then
	"$S" init --dir "$EC" --org "Other" >/dev/null 2>"$T/reinit.err"
else
	"$S" init --dir "$EC" --org "Other" --db "$(inst_db_url "$EC")" >/dev/null 2>"$T/reinit.err"
fi
check_eq "init on an existing instance exits 2" 2 $?
check_eq "init on an existing instance: one line on stderr" 1 "$(line_count "$T/reinit.err")"
check_eq "init on an existing instance changed nothing" "$FP0" "$(inst_fingerprint "$EC")"
# A new directory pointed at the same database is refused too, and leaves
# no half-made instance behind.
"$S" init --dir "$T/ec-again" --db "$(inst_db_url "$EC")" >/dev/null 2>"$T/reinit2.err"
check_eq "init of a new dir on an existing database exits 2" 2 $?
check_eq "init on an existing database: one line on stderr" 1 "$(line_count "$T/reinit2.err")"
check "init on an existing database leaves no directory behind" test ! -e "$T/ec-again"
check_eq "init on an existing database changed nothing" "$FP0" "$(inst_fingerprint "$EC")"
check_eq "instance still works after refused inits (audit verify)" 0 \
	"$("$S" audit verify --dir "$EC" >/dev/null 2>&1; echo $?)"

check_eq "master.key is mode 0600" 600 "$(stat -c %a "$EC/master.key")"
check_eq "master.key holds 32 bytes" 32 "$(stat -c %s "$EC/master.key")"
check_keys_encrypted "$EC" ec

# ==== RSA-2048 instance ==================================================
RSA=$T/rsa
BASE_RSA=http://ca.pemkot.example
make_instance "$RSA" --org "$ORG" --base-url "$BASE_RSA" --algo rsa-2048 ||
	die "init rsa-2048: $(cat "$RSA.init.err")"
pass "init rsa-2048 instance"
check_ca "$RSA" "$T/rsa-ca" "$BASE_RSA" rsa-2048
run_matrix "$RSA" "$T/rsa-ca" "$BASE_RSA" rsa "$T/rsa1.key" 1
verify_batch "$T/rsa-ca"
check_eq "rsa: master.key is mode 0600" 600 "$(stat -c %a "$RSA/master.key")"
check_keys_encrypted "$RSA" rsa

# ==== SERTEL_MASTER_PASSPHRASE instead of master.key =======================
PP=$T/pp
PHRASE="kunci rahasia kota palembang 2026"
SERTEL_MASTER_PASSPHRASE=$PHRASE make_instance "$PP" --org "$ORG" --base-url "$BASE_EC"
check_eq "init with SERTEL_MASTER_PASSPHRASE exits 0" 0 $?
check "no master.key written when the passphrase is used" test ! -e "$PP/master.key"
make_csr "$T/pp.csr" ec-p256 pp
SERTEL_MASTER_PASSPHRASE=$PHRASE "$S" cert issue --dir "$PP" --csr "$T/pp.csr" --type individu \
	--usage signing --cn "Dewi Lestari" --email dewi@palembang.go.id --out "$T/pp.pem" >/dev/null 2>"$T/pp.err"
check_eq "issue with SERTEL_MASTER_PASSPHRASE exits 0" 0 $?
SERTEL_MASTER_PASSPHRASE=$PHRASE "$S" ca export --dir "$PP" --out "$T/pp-ca" >/dev/null 2>&1
check "passphrase instance: certificate verifies" \
	quiet openssl verify -purpose smimesign -CAfile "$T/pp-ca/root.pem" -untrusted "$T/pp-ca/issuing.pem" "$T/pp.pem"
PPC=$(SERTEL_MASTER_PASSPHRASE=$PHRASE cert_count "$PP")
check_eq "passphrase instance holds one certificate" 1 "$PPC"
check_keys_encrypted "$PP" pp
"$S" cert issue --dir "$PP" --csr "$T/pp.csr" --type individu --usage signing --cn x \
	--email x@palembang.go.id >/dev/null 2>"$T/pp2.err"
check_eq "without the passphrase (and no master.key) issue fails with exit 2" 2 $?
check_eq "  ... with one line on stderr" 1 "$(line_count "$T/pp2.err")"
SERTEL_MASTER_PASSPHRASE="a wrong passphrase of some length" "$S" cert issue --dir "$PP" --csr "$T/pp.csr" \
	--type individu --usage signing --cn x --email x@palembang.go.id >/dev/null 2>"$T/pp3.err"
check_eq "a wrong passphrase cannot issue (exit 2)" 2 $?
SERTEL_MASTER_PASSPHRASE=$PHRASE "$S" audit verify --dir "$PP" >/dev/null 2>&1
check_eq "passphrase instance: audit verify exits 0" 0 $?
check_eq "failed attempts stored nothing" 1 "$(SERTEL_MASTER_PASSPHRASE=$PHRASE cert_count "$PP")"
SERTEL_MASTER_PASSPHRASE=short "$S" init --dir "$T/pp-short" >/dev/null 2>"$T/pps.err"
check_eq "a passphrase under 12 characters is refused (exit 2)" 2 $?

finish
