#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The audit trail detects tampering done directly in the database.
#
# A trail is built (init, token, three issues, a revocation, a CRL); then
# each kind of tampering is applied with sqlite3/psql to an independent
# copy of the instance (directory + database: see instance_copy), and
# `sertel audit verify` must exit 1 and name the right entry.  The last
# cases play a forger who knows the hash-chain format but not the master
# secret: the chain is rewritten consistently and only the head MAC can
# tell.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
lib_setup audit-tamper

S=$SERTEL_BIN
I=$T/inst
T_START=$(date -u +%s)
make_instance "$I" --org "Pemerintah Kota Palembang" --base-url https://pki.palembang.go.id ||
	die "init: $(cat "$I.init.err")"
pass "init"

# ---- build a trail ----------------------------------------------------------
TOK=$("$S" token create --dir "$I" --name "operator loket" --role operator --json 2>"$T/tok.err") ||
	die "token create: $(cat "$T/tok.err")"
TOKID=$(echo "$TOK" | jq -r .id)
TOKEXP=$(echo "$TOK" | jq -r .expires_at)
SERIALS=()
for n in 1 2 3; do
	make_csr "$T/r$n.csr" ec-p256 "r$n" || die "cannot make a CSR"
	out=$("$S" cert issue --dir "$I" --csr "$T/r$n.csr" --type individu --usage signing \
		--cn "Pegawai $n" --email "pegawai$n@palembang.go.id" --json 2>"$T/issue$n.err") ||
		die "cert issue $n: $(cat "$T/issue$n.err")"
	SERIALS+=("$(echo "$out" | jq -r .serial)")
done
"$S" cert revoke --dir "$I" "${SERIALS[1]}" --reason keyCompromise --note "laptop hilang" >/dev/null 2>"$T/rev.err" ||
	die "cert revoke: $(cat "$T/rev.err")"
"$S" crl --dir "$I" --out "$T/crl.der" >/dev/null 2>"$T/crl.err" || die "crl: $(cat "$T/crl.err")"
T_END=$(date -u +%s)

"$S" audit verify --dir "$I" >"$T/verify.out" 2>"$T/verify.err"
check_eq "audit verify of the untouched trail exits 0" 0 $?
"$S" audit verify --dir "$I" --json >"$T/verify.json" 2>/dev/null
check_eq "audit verify --json: intact" true "$(jq -r .intact "$T/verify.json")"

# ---- audit list --json: who, when, what, which object, why ---------------------
"$S" audit list --dir "$I" --json >"$T/list.json" 2>"$T/list.err"
check_eq "audit list --json exits 0" 0 $?
N=$(jq length "$T/list.json")
check "the trail has entries" test "${N:-0}" -gt 8
check_eq "audit verify counts the same entries as audit list" "$N" "$(jq -r .entries "$T/verify.json")"
check_eq "seq runs 1..N without gaps" "$(seq -s, 1 "$N")" "$(jq -r '[.[].seq] | map(tostring) | join(",")' "$T/list.json")"
check_eq "every entry has string actor, time, action, object, reason" "$N" \
	"$(jq '[.[] | select((.actor|type) == "string" and (.time|type) == "string" and (.action|type) == "string" and (.object|type) == "string" and (.reason|type) == "string" and (.actor|length) > 0 and (.action|length) > 0)] | length' "$T/list.json")"
sel() { jq -c --arg a "$1" "[.[] | select(.action == \$a)]" "$T/list.json"; }
check_eq "token.create: actor, object token:<id>, reason = name, role, expiry" "[{\"actor\":\"$ACTOR\",\"object\":\"token:$TOKID\",\"reason\":\"name operator loket, operator, expires $TOKEXP\"}]" \
	"$(sel token.create | jq -c 'map({actor, object, reason})')"
check_eq "cert.issue: one per certificate, by the CLI user" \
	"$(printf '%s\n' "${SERIALS[@]}" | jq -R -c --arg u "$ACTOR" '{actor: $u, object: ("cert:" + .)}' | jq -s -c .)" \
	"$(sel cert.issue | jq -c 'map({actor, object})')"
check_eq "cert.revoke: object, reason keyCompromise with the note" \
	"[{\"actor\":\"$ACTOR\",\"object\":\"cert:${SERIALS[1]}\",\"reason\":\"keyCompromise: laptop hilang\"}]" \
	"$(sel cert.revoke | jq -c 'map({actor, object, reason})')"
ISSUING_ID=$("$S" cert show --dir "$I" "${SERIALS[0]}" --json | jq -r .issuer_id)
CRLNUM=$(printf '%d' "$(openssl crl -inform DER -in "$T/crl.der" -noout -crlnumber | cut -d= -f2)")
check_eq "crl.publish: the last one names the issuing CA and the published CRL number" \
	"{\"actor\":\"$ACTOR\",\"object\":\"crl:$ISSUING_ID\",\"reason\":\"number $CRLNUM\"}" \
	"$(sel crl.publish | jq -c --arg o "crl:$ISSUING_ID" 'map(select(.object == $o)) | last | {actor, object, reason}')"
check_eq "crl.publish: init, revocation and crl each published (issuing CA)" 3 \
	"$(sel crl.publish | jq --arg o "crl:$ISSUING_ID" 'map(select(.object == $o)) | length')"
check "the revocation's CRL publish follows the revocation" test \
	"$(jq '[.[] | select(.action == "cert.revoke")][0].seq' "$T/list.json")" -lt \
	"$(jq --arg o "crl:$ISSUING_ID" '[.[] | select(.action == "crl.publish" and .object == $o)][1].seq' "$T/list.json")"
python3 - "$T/list.json" "$T_START" "$T_END" <<'EOF' >"$T/times.out"
import json, sys, datetime
rows = json.load(open(sys.argv[1]))
lo, hi = int(sys.argv[2]) - 2, int(sys.argv[3]) + 2
prev = None
for r in rows:
    t = datetime.datetime.strptime(r["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    s = t.timestamp()
    if not (lo <= s <= hi):
        print("entry %d: time %s outside the test run" % (r["seq"], r["time"])); sys.exit(1)
    if prev is not None and s < prev:
        print("entry %d: time goes backwards" % r["seq"]); sys.exit(1)
    prev = s
print("ok")
EOF
check_eq "times are RFC 3339 with microseconds, within the run, in order" ok "$(cat "$T/times.out")"

# ---- the forger's tool: the chain format without the master secret -----------
cat >"$T/forge.py" <<'EOF'
# Rows on stdin: seq ts actor action object reason prev_hash hash (0x1f-separated).
#   check              recompute every hash and link; print "ok N" or the first bad seq
#   rewrite K FIELD V  set FIELD of entry K to V and re-chain everything after it;
#                      print the SQL (audit rows and audit_head.hash, not the MAC)
#   append ACTION OBJ REASON  print the SQL for a well-formed entry after the last
#   insert K           print the SQL for a well-formed forged entry at K (rows
#                      from K on must already be renumbered by the caller)
import hashlib, sys
FIELDS = ["seq", "ts", "actor", "action", "object", "reason", "prev_hash", "hash"]
rows = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    v = line.split("\x1f")
    r = dict(zip(FIELDS, v))
    r["seq"], r["ts"] = int(r["seq"]), int(r["ts"])
    rows.append(r)
def h(r):
    m = hashlib.sha256(("%d:%d:" % (r["seq"], r["ts"])).encode())
    for f in ("actor", "action", "object", "reason", "prev_hash"):
        b = r[f].encode()
        m.update(("%d:" % len(b)).encode())
        m.update(b)
    return m.hexdigest()
def q(s):
    return "'" + str(s).replace("'", "''") + "'"
cmd = sys.argv[1]
if cmd == "check":
    prev = "0" * 64
    for r in rows:
        if r["prev_hash"] != prev or h(r) != r["hash"]:
            print("bad %d" % r["seq"]); sys.exit(0)
        prev = r["hash"]
    print("ok %d" % len(rows))
elif cmd == "rewrite":
    k, field, value = int(sys.argv[2]), sys.argv[3], sys.argv[4]
    out, prev = [], "0" * 64
    for r in rows:
        if r["seq"] < k:
            prev = r["hash"]; continue
        if r["seq"] == k:
            r[field] = value
        r["prev_hash"] = prev
        r["hash"] = h(r)
        prev = r["hash"]
        out.append("UPDATE audit SET %s = %s, prev_hash = %s, hash = %s WHERE seq = %d;"
                   % (field, q(r[field]), q(r["prev_hash"]), q(r["hash"]), r["seq"]))
    out.append("UPDATE audit_head SET hash = %s WHERE id = 1;" % q(prev))
    print("\n".join(out))
elif cmd == "append":
    last = rows[-1]
    r = {"seq": last["seq"] + 1, "ts": last["ts"] + 1, "actor": last["actor"],
         "action": sys.argv[2], "object": sys.argv[3], "reason": sys.argv[4],
         "prev_hash": last["hash"]}
    r["hash"] = h(r)
    print("INSERT INTO audit (seq, ts, actor, action, object, reason, prev_hash, hash) "
          "VALUES (%d, %d, %s, %s, %s, %s, %s, %s);" % (r["seq"], r["ts"], q(r["actor"]),
          q(r["action"]), q(r["object"]), q(r["reason"]), q(r["prev_hash"]), q(r["hash"])))
elif cmd == "insert":
    k = int(sys.argv[2])
    before = [r for r in rows if r["seq"] == k - 1][0]
    r = {"seq": k, "ts": before["ts"] + 1, "actor": before["actor"], "action": "cert.revoke",
         "object": "cert:0123456789abcdef", "reason": "keyCompromise", "prev_hash": before["hash"]}
    r["hash"] = h(r)
    print("INSERT INTO audit (seq, ts, actor, action, object, reason, prev_hash, hash) "
          "VALUES (%d, %d, %s, %s, %s, %s, %s, %s);" % (r["seq"], r["ts"], q(r["actor"]),
          q(r["action"]), q(r["object"]), q(r["reason"]), q(r["prev_hash"]), q(r["hash"])))
EOF
rows_of() {
	inst_sql_sep "$1" $'\037' "SELECT seq, ts, actor, action, object, reason, prev_hash, hash FROM audit ORDER BY seq"
}
forge() { local d=$1; shift; rows_of "$d" | python3 "$T/forge.py" "$@"; }
check_eq "the forger's model recomputes every stored hash and link" "ok $N" "$(forge "$I" check)"

# ---- tampering ------------------------------------------------------------------
seq_of() { jq -r --arg a "$1" --arg o "$2" '[.[] | select(.action == $a and .object == $o)][0].seq' "$T/list.json"; }
K_ISSUE=$(seq_of cert.issue "cert:${SERIALS[1]}")
K_REVOKE=$(seq_of cert.revoke "cert:${SERIALS[1]}")
K_TOKEN=$(seq_of token.create "token:$TOKID")
MID=$(((N + 1) / 2))
note "trail of $N entries: token.create=$K_TOKEN cert.issue(S2)=$K_ISSUE cert.revoke=$K_REVOKE middle=$MID"
check "the entries to tamper with are in the middle of the trail" \
	test "$K_TOKEN" -gt 1 -a "$K_ISSUE" -gt 1 -a "$K_REVOKE" -lt "$N" -a "$MID" -gt 1 -a "$MID" -lt "$N"

CASE=0
# tamper NAME WANT_SEQ MESSAGE_REGEX SQL...: applies SQL to a fresh copy;
# `audit verify` must exit 1, say TAMPERED on one stderr line matching
# MESSAGE_REGEX, and --json must name WANT_SEQ as first_bad_seq (WANT_SEQ
# "any": there is no entry left to name, only "not intact" is checked).
tamper() {
	local name=$1 want=$2 pat=$3 sql=$4 c rc
	CASE=$((CASE + 1))
	c=$T/copy$CASE
	instance_copy "$I" "$c" || { fail "$name: cannot copy the instance"; return; }
	# The copy is intact before the damage (and independent of the original).
	if ! "$S" audit verify --dir "$c" >/dev/null 2>&1; then
		fail "$name: the untouched copy does not verify"
		return
	fi
	local before after
	before=$(rows_of "$c"; inst_sql "$c" "SELECT seq, hash, mac FROM audit_head")
	inst_sql "$c" "$sql" >/dev/null 2>"$c.sql.err" || { fail "$name: SQL failed: $(cat "$c.sql.err")"; return; }
	after=$(rows_of "$c"; inst_sql "$c" "SELECT seq, hash, mac FROM audit_head")
	[ "$before" != "$after" ] || { fail "$name: the SQL changed nothing"; return; }
	"$S" audit verify --dir "$c" >"$c.out" 2>"$c.err"
	rc=$?
	check_eq "$name: audit verify exits 1" 1 "$rc"
	if [ "$(line_count "$c.err")" = 1 ] && grep -q 'TAMPERED' "$c.err" && grep -qE -e "$pat" "$c.err"; then
		pass "$name: stderr says so ($(sed 's/^sertel: //' "$c.err" | head -c 160))"
	else
		fail "$name: stderr should be one TAMPERED line matching /$pat/: $(head -c 300 "$c.err" | tr '\n' '|')"
	fi
	"$S" audit verify --dir "$c" --json >"$c.json" 2>/dev/null
	if [ "$want" = any ]; then
		check_eq "$name: --json says not intact" false "$(jq -r .intact "$c.json" 2>/dev/null)"
	else
		check_eq "$name: --json names entry $want" "false $want" "$(jq -r '"\(.intact) \(.first_bad_seq)"' "$c.json" 2>/dev/null)"
	fi
}

tamper "change the actor of an entry" "$K_ISSUE" "entry $K_ISSUE:" \
	"UPDATE audit SET actor = 'cli:mallory' WHERE seq = $K_ISSUE"
tamper "change the reason of the revocation" "$K_REVOKE" "entry $K_REVOKE:" \
	"UPDATE audit SET reason = 'superseded' WHERE seq = $K_REVOKE"
tamper "change the object of the revocation" "$K_REVOKE" "entry $K_REVOKE:" \
	"UPDATE audit SET object = 'cert:${SERIALS[2]}' WHERE seq = $K_REVOKE"
tamper "change the time of an entry" "$K_TOKEN" "entry $K_TOKEN:" \
	"UPDATE audit SET ts = ts - 86400000000 WHERE seq = $K_TOKEN"
tamper "change the role in token.create" "$K_TOKEN" "entry $K_TOKEN:" \
	"UPDATE audit SET reason = 'admin' WHERE seq = $K_TOKEN"
tamper "change a stored hash" "$MID" "entry $MID:" \
	"UPDATE audit SET hash = '$(printf '0%.0s' $(seq 64))' WHERE seq = $MID"
tamper "delete a middle entry" "$MID" "entry $MID:" \
	"DELETE FROM audit WHERE seq = $MID"
tamper "delete the first entry" 1 "entry 1:" \
	"DELETE FROM audit WHERE seq = 1"
tamper "insert an entry, renumbering the rest (naive hash)" "$MID" "entry $MID:" \
	"UPDATE audit SET seq = -seq - 1 WHERE seq >= $MID; UPDATE audit SET seq = -seq WHERE seq < 0;
	 INSERT INTO audit (seq, ts, actor, action, object, reason, prev_hash, hash)
	   SELECT $MID, ts, 'cli:mallory', 'cert.revoke', 'cert:${SERIALS[0]}', 'keyCompromise', prev_hash, hash
	   FROM audit WHERE seq = $((MID + 1))"
INS_SQL=$(forge "$I" insert "$MID")
tamper "insert a well-formed entry, renumbering the rest" "$((MID + 1))" "entry $((MID + 1)):" \
	"UPDATE audit SET seq = -seq - 1 WHERE seq >= $MID; UPDATE audit SET seq = -seq WHERE seq < 0; $INS_SQL"
tamper "append a well-formed entry after the head" "$((N + 1))" "head says $N entries, found $((N + 1))" \
	"$(forge "$I" append cert.revoke "cert:${SERIALS[0]}" keyCompromise)"
tamper "reorder: swap two entries" "$K_ISSUE" "entry $K_ISSUE:" \
	"UPDATE audit SET seq = -1 WHERE seq = $K_ISSUE; UPDATE audit SET seq = $K_ISSUE WHERE seq = $K_REVOKE;
	 UPDATE audit SET seq = $K_REVOKE WHERE seq = -1"
tamper "reorder: swap two adjacent entries" "$MID" "entry $MID:" \
	"UPDATE audit SET seq = -1 WHERE seq = $MID; UPDATE audit SET seq = $MID WHERE seq = $((MID + 1));
	 UPDATE audit SET seq = $((MID + 1)) WHERE seq = -1"
tamper "truncate: delete the last entry" "$N" "head says $N entries, found $((N - 1))" \
	"DELETE FROM audit WHERE seq = $N"
tamper "truncate: delete the last three entries" "$N" "head says $N entries, found $((N - 3))" \
	"DELETE FROM audit WHERE seq > $((N - 3))"
tamper "delete every entry, keep the head" "$N" "head says $N entries, found 0" \
	"DELETE FROM audit"
tamper "delete the head" "$N" "head" \
	"DELETE FROM audit_head"
tamper "rewrite an entry and re-chain everything after it (no master secret)" "$N" "MAC" \
	"$(forge "$I" rewrite "$K_REVOKE" reason superseded)"
tamper "rewrite the first entry and re-chain the whole trail" "$N" "MAC" \
	"$(forge "$I" rewrite 1 actor cli:mallory)"
tamper "re-chain but leave the head's hash" "$N" "head says" \
	"$(forge "$I" rewrite "$K_ISSUE" actor cli:mallory | grep -v audit_head)"
# Truncate and move the head back: seq and hash consistent, MAC stale.
LASTBUT=$(inst_sql "$I" "SELECT hash FROM audit WHERE seq = $((N - 1))")
tamper "truncate and move the head back (no master secret)" "$((N - 1))" "MAC" \
	"DELETE FROM audit WHERE seq = $N; UPDATE audit_head SET seq = $((N - 1)), hash = '$LASTBUT' WHERE id = 1"
# The forged chain really is a consistent chain: only the MAC is wrong.
c=$T/copy-forged
instance_copy "$I" "$c" && inst_sql "$c" "$(forge "$I" rewrite "$K_REVOKE" reason superseded)" >/dev/null 2>&1
check_eq "the forged chain is internally consistent (only the MAC can catch it)" "ok $N" "$(forge "$c" check)"
# Wiping the whole trail (entries and head) is a truncation to nothing:
# an initialised instance always has entries (instance.create, issuers).
tamper "wipe the whole trail (entries and head)" any "entr|head|empty|missing" \
	"DELETE FROM audit; DELETE FROM audit_head"

# ---- the original is untouched --------------------------------------------------
check_eq "the original instance still verifies" 0 "$("$S" audit verify --dir "$I" >/dev/null 2>&1; echo $?)"
check_eq "the original trail still has $N entries" "$N" "$(audit_count "$I")"

finish
