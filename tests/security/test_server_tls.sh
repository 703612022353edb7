#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, point 3: the HTTPS listener speaks TLS 1.2 and 1.3 with AEAD
# ciphers only, judged by a real `openssl s_client`; [server]
# tls_priorities changes it, and a string GnuTLS refuses stops the start
# with a clear one-line error.
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/server_lib.sh"
lib_setup sec_tls
I=$T/inst
PORT=$(free_port)
sec_instance "$I" "$PORT" tls || die "instance: $(cat "$I.init.err" 2>/dev/null)"
sec_start "$I" "$PORT" tls || die "the server did not start on TLS: $(tail -n 5 "$T/serve.log")"

# hs ARGS...: the protocol and cipher s_client agreed on ("TLSv1.2
# ECDHE-..."), or "refused" when the handshake failed.
hs() {
	local out
	out=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T/ca/root.pem" "$@" </dev/null 2>&1)
	# "New, V, Cipher is X": V is the cipher's version; the protocol is in
	# the session block, which TLS 1.3 prints only with a ticket.
	local proto
	if grep -q '^New, (NONE)' <<<"$out" || ! grep -q '^New, ' <<<"$out"; then
		echo refused
		return
	fi
	proto=$(sed -n 's/^ *Protocol *: *//p' <<<"$out" | head -n 1)
	[ -n "$proto" ] || proto=$(sed -n 's/^New, \(TLSv1\.3\), .*/\1/p' <<<"$out" | head -n 1)
	printf '%s %s\n' "$proto" "$(sed -n 's/^New, [^,]*, Cipher is //p' <<<"$out" | head -n 1)"
}
# SECLEVEL=0 on the client side: OpenSSL 3 would refuse TLS 1.0/1.1 by
# itself otherwise, and the refusal tested here must be the server's.
check_eq "TLS 1.0 refused by the server" refused "$(hs -tls1 -cipher 'DEFAULT:@SECLEVEL=0')"
check_eq "TLS 1.1 refused by the server" refused "$(hs -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')"
check_eq "TLS 1.2 with CBC-SHA1 (AES128-SHA) refused" refused "$(hs -tls1_2 -cipher 'AES128-SHA:@SECLEVEL=0')"
check_eq "TLS 1.2 with ECDHE-ECDSA-AES128-SHA (CBC) refused" refused "$(hs -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0')"
check_eq "TLS 1.2 with CBC-SHA256 refused" refused "$(hs -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA256')"
check_eq "TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256 accepted" "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256" \
	"$(hs -tls1_2 -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256')"
check_eq "TLS 1.2 with ECDHE-ECDSA-CHACHA20-POLY1305 accepted" "TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305" \
	"$(hs -tls1_2 -cipher 'ECDHE-ECDSA-CHACHA20-POLY1305')"
check "TLS 1.3 accepted" bash -c "[[ '$(hs -tls1_3)' == TLSv1.3\ * ]]"
check_eq "and HTTPS answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/ca/root.pem" "$SERVER_URL/healthz")"
server_stop

# ---- [server] tls_priorities ------------------------------------------------------
printf 'tls_priorities = NORMAL:-VERS-ALL:+VERS-TLS1.3\n' >>"$I/sertel.conf"
sec_start "$I" "$PORT" tls || die "the server did not start with tls_priorities: $(tail -n 5 "$T/serve.log")"
check_eq "tls_priorities = TLS 1.3 only: TLS 1.2 refused" refused "$(hs -tls1_2)"
check "tls_priorities = TLS 1.3 only: TLS 1.3 accepted" bash -c "[[ '$(hs -tls1_3)' == TLSv1.3\ * ]]"
server_stop
sed -i 's/^tls_priorities = .*/tls_priorities = NORMAL:+NO-SUCH-THING/' "$I/sertel.conf"
# (timeout: a server that ignored the setting would run on)
timeout 10 "$SERTEL_BIN" serve --dir "$I" --listen "127.0.0.1:$(free_port)" >"$T/bad.out" 2>"$T/bad.err"
rc=$?
check "an invalid tls_priorities stops the start (exit $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
sed 's/^/#    /' "$T/bad.err"
check "... with one error line naming the setting" grep -q 'tls_priorities' "$T/bad.err"
sed -i 's/^tls_priorities = .*/tls_priorities =/' "$I/sertel.conf"
check_rc "an empty tls_priorities refused (exit 2)" 2 timeout 10 "$SERTEL_BIN" serve --dir "$I" --listen "127.0.0.1:$(free_port)"
finish
