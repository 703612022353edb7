#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19: with [instance] db outside the 0700 instance directory, the
# SQLite database was created 0644 (readable by every local user).  Now
# the database and its -wal/-shm are 0600 wherever they live, under the
# usual umask 022, and a database file (or an existing -wal) that group or
# others may read is refused with a message naming the file and chmod 600.
. "$(cd "$(dirname "$0")/../interop" && pwd)/lib.sh"
lib_setup db_mode
S=$SERTEL_BIN
umask 022
mkdir -p "$T/shared"
chmod 755 "$T/shared"
DB=$T/shared/sertel.db
"$S" init --dir "$T/inst" --db "sqlite:$DB" --org "Pemerintah Kota Cirebon" >"$T/init.out" 2>"$T/init.err" || die "init failed: $(cat "$T/init.err")"
mode() { stat -c %a "$1" 2>/dev/null; }
check_eq "the database outside the instance directory is 0600 (umask 022)" 600 "$(mode "$DB")"
# A running server keeps its connections open, so -wal and -shm stay.
server_start "$T/inst" || die "sertel serve did not start: $(tail -n 5 "$T/serve.log" 2>/dev/null)"
TOKEN=$("$S" token create --dir "$T/inst" --name reader --role auditor --json | jq -r .token)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$SERVER_URL/api/v1/agencies")
check_eq "the server reads the store" 200 "$code"
check_eq "the -wal file is 0600" 600 "$(mode "$DB-wal")"
check_eq "the -shm file is 0600" 600 "$(mode "$DB-shm")"
server_stop 10
chmod 644 "$DB"
check_rc "a 0644 database is refused: exit 2" 2 "$S" cert list --dir "$T/inst"
"$S" cert list --dir "$T/inst" >/dev/null 2>"$T/err"
check "the message names the file and chmod 600" grep -q "$DB: mode 0644 .*chmod 600 $DB" "$T/err"
chmod 640 "$DB"
check_rc "a group-readable database is refused too" 2 "$S" cert list --dir "$T/inst"
chmod 600 "$DB"
check "mode 0600 again: the instance opens" quiet "$S" cert list --dir "$T/inst"
: >"$DB-wal"
chmod 644 "$DB-wal"
check_rc "an existing 0644 -wal is refused" 2 "$S" cert list --dir "$T/inst"
"$S" cert list --dir "$T/inst" >/dev/null 2>"$T/err"
check "the message names the -wal file" grep -q "$DB-wal: mode 0644" "$T/err"
rm -f "$DB-wal"
check "the audit trail is intact" quiet "$S" audit verify --dir "$T/inst"
finish
