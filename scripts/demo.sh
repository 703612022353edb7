#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Creates the demo instance (once) and starts the server in the background.
#   scripts/demo.sh SERTEL DIR ADDR          start
#   scripts/demo.sh --stop SERTEL DIR ADDR   stop
set -eu
stop=0
[ "$1" = --stop ] && { stop=1; shift; }
SERTEL=$(realpath "$1"); DIR=$2; ADDR=$3
PIDF="$DIR/sertel.pid"

running() { [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }

if [ $stop = 1 ]; then
	if running; then kill -TERM "$(cat "$PIDF")"; rm -f "$PIDF"; echo "demo: stopped"; else echo "demo: not running"; fi
	exit 0
fi

if [ ! -f "$DIR/sertel.conf" ]; then
	"$SERTEL" init --dir "$DIR" --org "Pemerintah Kota Demo" --base-url "http://$ADDR"
	"$SERTEL" token create --dir "$DIR" --name demo-admin --role admin > "$DIR/admin.token"
	chmod 600 "$DIR/admin.token"
	# Someone to log in to the portal as (no SMTP server in the demo: the
	# login link waits in the mail queue, `sertel mail show` prints it).
	"$SERTEL" agency add --dir "$DIR" --name "Dinas Kominfo" --domain kominfo.demo.go.id >/dev/null
	"$SERTEL" person add --dir "$DIR" --nik 3274014101920002 --name "Siti Aminah" \
		--email siti@kominfo.demo.go.id --agency "Dinas Kominfo" --roles pemohon >/dev/null
fi
if running; then
	echo "demo: already running (pid $(cat "$PIDF"))"
else
	nohup setsid "$SERTEL" serve --dir "$DIR" --listen "$ADDR" >"$DIR/server.log" 2>&1 </dev/null &
	echo $! > "$PIDF"
	i=0
	until curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 50 ] || ! running; then
			echo "demo: server did not start; see $DIR/server.log" >&2
			cat "$DIR/server.log" >&2
			exit 1
		fi
		sleep 0.1
	done
fi
cat <<MSG

  sertel berjalan / sertel is running:  http://$ADDR/
  health:        curl http://$ADDR/healthz
  portal:        http://$ADDR/portal/   log in as siti@kominfo.demo.go.id; the link:
                 $SERTEL mail list --dir $DIR; $SERTEL mail show --dir $DIR ID
  verifikasi:    http://$ADDR/verifikasi   (upload a signed PDF: the verifier's report)
  e-sign API:    $SERTEL client add --dir $DIR --name app --perms sign,verify
                 then docs/api-bsre.md (BSrE-compatible /api/sign/pdf, /api/v2/...)
  instance:      $DIR   (SQLite, built-in CA)
  admin token:   $DIR/admin.token
  CLI:           $SERTEL cert list --dir $DIR
  stop:          make demo-stop

MSG
