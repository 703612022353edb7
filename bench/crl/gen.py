#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Revoked certificates for the CRL benchmark.

    gen.py N DB ISSUER_ID INDEX SERIALS

Adds N revoked certificates to sertel's SQLite database DB: random
serials (0x01 followed by 16 random octets, as sertel's own: 17 octets,
34 hex digits), revoked with reason 1 (keyCompromise) at times spread
over the last 30 days, der = x'00', inserted in random serial order as if
issued over time, each also in serials_used; one transaction, generated
inside SQLite.  Then writes the same entries as an `openssl ca` database
INDEX (index.txt: R, expiry, revocation time,keyCompromise, SERIAL,
unknown, /CN=x) and the sorted lowercase serials to SERIALS (one a line)
for the checks.  Prints revoked=<rows of ISSUER_ID with revoked = 1>.
"""
import sqlite3
import sys
import time

n, db, issuer, index, serials_out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
now = int(time.time())
not_before = now - 60 * 86400
not_after = now + 670 * 86400

con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA busy_timeout = 10000")
# A bulk load, not measured: no fsync, and a page cache that holds the
# whole transaction (with SQLite's default 2 MB it spills to the WAL again
# and again while the random-order inserts touch every index page).
con.execute("PRAGMA synchronous = OFF")
con.execute("PRAGMA cache_size = -1500000")
con.execute("BEGIN IMMEDIATE")
first = con.execute("SELECT coalesce(max(rowid), 0) FROM certs").fetchone()[0]
con.execute(
    "INSERT INTO certs (serial, issuer_id, type, usages, subject, not_before, not_after, "
    "revoked, revoked_at, reason, created_at, der) "
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) "
    "SELECT '01' || lower(hex(randomblob(16))), ?, 'individu', 'signing', 'CN=x', ?, ?, "
    "1, ? - 86400 - abs(random() % 2592000), 1, ?, x'00' FROM c",
    (n, issuer, not_before, not_after, now, not_before))
con.execute("INSERT INTO serials_used (serial) SELECT serial FROM certs WHERE rowid > ?",
            (first,))
con.execute("COMMIT")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

exp = time.strftime("%y%m%d%H%M%SZ", time.gmtime(not_after))
with open(index, "w") as f:
    for s, r in con.execute("SELECT serial, revoked_at FROM certs WHERE rowid > ? "
                            "ORDER BY rowid", (first,)):
        f.write(f"R\t{exp}\t{time.strftime('%y%m%d%H%M%SZ', time.gmtime(r))},keyCompromise"
                f"\t{s.upper()}\tunknown\t/CN=x\n")
with open(serials_out, "w") as f:
    for (s,) in con.execute("SELECT serial FROM certs WHERE rowid > ? ORDER BY serial",
                            (first,)):
        f.write(s + "\n")
got = con.execute("SELECT count(*) FROM certs WHERE issuer_id = ? AND revoked = 1",
                  (issuer,)).fetchone()[0]
con.close()
print(f"revoked={got}")
