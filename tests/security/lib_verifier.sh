# SPDX-License-Identifier: Apache-2.0
# Shared steps of the verifier's security tests, sourced after
# tests/interop/lib.sh (uses $T, $SERTEL_BIN).
#
# verifier_instance: an instance in $T/inst whose base URL is a free
#   loopback port $SP; its sertel.conf is kept as $T/sertel.conf.orig.
# verify_conf LINES...: that instance with a [verify] section of LINES,
#   server (re)started on $SP; sets U.
# public FILE OUT: POST FILE to /api/verifikasi, the reply in OUT; prints
#   the HTTP status.
verifier_instance() {
	SP=$(free_port) || die "no free port"
	make_instance "$T/inst" --org "Pemkot Uji" --base-url "http://127.0.0.1:$SP" ||
		die "init: $(cat "$T/inst.init.err")"
	cp "$T/inst/sertel.conf" "$T/sertel.conf.orig"
}
verify_conf() {
	[ -n "$SERVER_PID" ] && server_stop
	{
		cat "$T/sertel.conf.orig"
		printf '\n[verify]\n'
		printf '%s\n' "$@"
	} >"$T/inst/sertel.conf"
	server_start_port "$T/inst" "$SP" || die "server did not start: $(tail -3 "$T/serve.log")"
	U=$SERVER_URL
}
public() { curl -s -o "$2" -w '%{http_code}' --max-time 120 -F "file=@$1" "$U/api/verifikasi"; }
