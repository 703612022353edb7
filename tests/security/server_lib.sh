# SPDX-License-Identifier: Apache-2.0
# Shared set-up of the server security tests (issue 19): sourced after
# tests/interop/lib.sh and lib_setup.

# sec_instance DIR PORT [tls]: an instance whose URLs name PORT; with tls,
# it serves HTTPS with a certificate of its own CA for 127.0.0.1 (the CA
# root in $T/ca/root.pem).  Extra [server] lines come from SEC_SERVER_CONF,
# whole other sections (written before [server]) from SEC_EXTRA_CONF.
sec_instance() {
	local dir=$1 port=$2 scheme=http
	[ "${3:-}" = tls ] && scheme=https
	make_instance "$dir" --org "Pemerintah Kota Uji" --base-url "$scheme://127.0.0.1:$port" ||
		return 1
	"$SERTEL_BIN" ca export --dir "$dir" --out "$T/ca" >/dev/null || return 1
	{
		[ -z "${SEC_EXTRA_CONF:-}" ] || printf '\n%s\n' "$SEC_EXTRA_CONF"
		printf '\n[server]\n'
		printf '%s\n' "${SEC_SERVER_CONF:-}"
	} >>"$dir/sertel.conf"
	[ "$scheme" = https ] || return 0
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$dir/tls.key" -subj /CN=x -out "$T/tls.csr" 2>/dev/null || return 1
	chmod 600 "$dir/tls.key"
	"$SERTEL_BIN" cert issue --dir "$dir" --csr "$T/tls.csr" --type sistem \
		--usage ssl-server --cn 127.0.0.1 --ip 127.0.0.1 --out "$T/tls-leaf.pem" \
		>/dev/null || return 1
	cat "$T/tls-leaf.pem" "$T/ca/issuing.pem" >"$dir/tls.pem"
	printf 'tls_cert = tls.pem\ntls_key = tls.key\n' >>"$dir/sertel.conf"
}

# sec_start DIR PORT [tls]: `sertel serve` on 127.0.0.1:PORT, waits for
# /healthz (over HTTPS with tls).  Sets SERVER_PID, SERVER_URL, SERVER_LOG.
sec_start() {
	local SERVER_CACERT=
	[ "${3:-}" = tls ] && SERVER_CACERT=$T/ca/root.pem
	server_start_port "$1" "$2"
}
