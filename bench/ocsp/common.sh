# SPDX-License-Identifier: Apache-2.0
# Helpers of the OCSP benchmark (POSIX sh; sourced after ../lib.sh).

# ocsp_wrk OUT URL PATH BODYFILE SECONDS
#   run_wrk (../lib.sh) with the same wrk settings but ocsp/post.lua,
#   which posts a DER OCSPRequest and counts only successful OCSP answers.
#   Writes OUT (key=value, plus wrk_ticks) and OUT.wrk.
ocsp_wrk() {
	(
		BENCH_OUT=$1 BENCH_PATH=$3 BENCH_BODY=$4 \
			timeout --foreground -k 5 $(($5 + 30)) \
			wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$5"s --timeout 10s \
			-s "$BENCH_ROOT/ocsp/post.lua" "$2" >"$1.wrk" 2>&1 || true
		times >"$1.times" # the subshell's children: wrk (and timeout)
	)
	[ -s "$1" ] || { echo "bench: wrk produced no summary, see $1.wrk" >&2; return 1; }
	echo "wrk_ticks=$(times_ticks "$1.times")" >>"$1"
}

# ocsp_measure OUT URL PATH BODYFILE PID
#   The measured run against server PID: wrk for DURATION seconds, the
#   server's CPU and everything else's; prints key=value lines.
ocsp_measure() {
	_t0=$(cpu_ticks "$5")
	_m0=$(machine_ticks)
	ocsp_wrk "$1" "$2" "$3" "$4" "$DURATION" || return 1
	_t1=$(cpu_ticks "$5")
	_m1=$(machine_ticks)
	kill -0 "$5" 2>/dev/null || { echo "bench: the server died during the run" >&2; return 1; }
	echo "rate=$(kv "$1" ok_per_s)"
	echo "ok=$(kv "$1" ok)"
	echo "other=$(kv "$1" other)"
	echo "codes=$(kv "$1" codes)"
	echo "resp_bytes=$(kv "$1" resp_bytes)"
	echo "p50_ms=$(kv "$1" lat_p50_ms)"
	echo "p99_ms=$(kv "$1" lat_p99_ms)"
	echo "errors=$(($(kv "$1" errors_socket) + $(kv "$1" errors_timeout)))"
	load_report "$1" "$(kv "$1" duration_s)" $((_t1 - _t0)) $((_m1 - _m0))
}

# ocsp_nonce FILE req|resp: the nonce extension's value (hex) in a DER
#   request or response, "" when there is none.
ocsp_nonce() {
	if [ "$2" = req ]; then
		openssl ocsp -reqin "$1" -req_text 2>/dev/null
	else
		openssl ocsp -respin "$1" -resp_text -noverify 2>/dev/null
	fi | awk '/OCSP Nonce:/ { getline; gsub(/[ \t]/, ""); print; exit }'
}

# ocsp_check URL PATH REQ ISSUER EE CAFILE WORKPREFIX
#   Sends REQ twice and checks the answer the way a client would:
#   `openssl ocsp -respin ... -CAfile` says "Response verify OK" and
#   "EE: good"; a request with a nonce gets it back, one without gets
#   none.  Prints a one-line verdict ("ok: ..." or "FAIL: ..."); the
#   answers are kept as WORKPREFIX.resp1.der / .resp2.der.
ocsp_check() {
	_url=$1 _path=$2 _req=$3 _iss=$4 _ee=$5 _ca=$6 _p=$7
	for _i in 1 2; do
		python3 "$BENCH_ROOT/ocsp/fetch.py" "$_url$_path" "$_req" "$_p.resp$_i.der" \
			>"$_p.fetch$_i.log" 2>&1 || {
			echo "FAIL: sample request: $(tail -n 1 "$_p.fetch$_i.log")"
			return 1
		}
	done
	openssl ocsp -respin "$_p.resp1.der" -issuer "$_iss" -cert "$_ee" -CAfile "$_ca" \
		-no_nonce >"$_p.check.txt" 2>&1 || true
	grep -q '^Response verify OK' "$_p.check.txt" || {
		echo "FAIL: response does not verify (see $_p.check.txt)"
		return 1
	}
	grep -qF "$_ee: good" "$_p.check.txt" || {
		echo "FAIL: status is not good (see $_p.check.txt)"
		return 1
	}
	_rn=$(ocsp_nonce "$_req" req)
	_an=$(ocsp_nonce "$_p.resp1.der" resp)
	if [ -n "$_rn" ] && [ "$_rn" != "$_an" ]; then
		echo "FAIL: nonce not echoed (request $_rn, response ${_an:-none})"
		return 1
	fi
	if [ -z "$_rn" ] && [ -n "$_an" ]; then
		echo "FAIL: response carries a nonce the request did not send"
		return 1
	fi
	_v="ok: verify OK, good"
	[ -n "$_rn" ] && _v="$_v, nonce echoed"
	if cmp -s "$_p.resp1.der" "$_p.resp2.der"; then
		_v="$_v, same bytes twice (cached)"
	else
		_v="$_v, signed per request"
	fi
	echo "$_v"
}
