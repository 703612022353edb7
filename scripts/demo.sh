#!/bin/sh
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
  verifikasi:    http://$ADDR/verifikasi   (upload a signed PDF: the verifier's report)
  e-sign API:    $SERTEL client add --dir $DIR --name app --perms sign,verify
                 then docs/api-bsre.md (BSrE-compatible /api/sign/pdf, /api/v2/...)
  instance:      $DIR   (SQLite, built-in CA)
  admin token:   $DIR/admin.token
  CLI:           $SERTEL cert list --dir $DIR
  stop:          make demo-stop

MSG
