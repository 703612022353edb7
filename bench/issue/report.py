#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown report of bench/issue: report.py results.env > results.md"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import load, num, run_line, versions  # noqa: E402

TARGET = 3.0  # sertel must issue at least 3x what cfssl's sign endpoint does
NOISY = 0.25  # cores used by other processes during a run that make it noisy

ROWS = [
    ("openssl-ca", "`openssl ca -batch` loop", "index.txt (no fsync)"),
    ("cfssl", "`cfssl serve` /api/v1/cfssl/sign", "none (not stored)"),
    ("cfssl-db", "`cfssl serve` /api/v1/cfssl/sign + certdb", "SQLite, rollback journal, synchronous=FULL"),
    ("sertel", "`sertel serve` POST /api/v1/certificates", "SQLite, WAL, synchronous=FULL, + audit entry"),
    ("sertel-pg", "`sertel serve` POST /api/v1/certificates", "PostgreSQL, fsync=on, + audit entry"),
]






def main():
    r = load(sys.argv[1])
    g = r.get
    out = []
    w = out.append
    w(run_line(g, f"; {g('fs')}, one 4 KiB write+fdatasync {g('fsync_us')} us"))
    w("")
    w(f"{versions(g)}, cfssl {g('cfssl')}, SQLite {g('sqlite')}, PostgreSQL {g('postgresql')}, "
      f"{g('wrk')}.")
    w("")
    w(f"Load: wrk -t{g('wrk_threads')} -c{g('wrk_conns')}, {g('warmup')} s warm-up "
      f"then {g('duration')} s measured, same CSR (ECDSA P-256) every request; "
      f"sertel `[server] threads = {g('sertel.threads', '?')}`; "
      f"all CAs ECDSA P-256 / SHA-256, 2-year end-entity certificates. "
      f"Whole run: {g('bench_seconds')} s.")
    w("")
    w("| system | storage | certs/s | p50 ms | p99 ms | server CPU (cores) | CPU ms/cert | other load (cores) | stored check |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key, name, storage in ROWS:
        st = g(f"{key}.status")
        if st is None:
            continue
        if st != "done":
            w(f"| {name} | {storage} | - | - | - | - | - | - | {st} |")
            continue
        rate = num(g(f"{key}.rate"))
        stored = g(f"{key}.stored")
        ok = g(f"{key}.ok")
        check = g(f"{key}.verify", "")
        if key in ("sertel", "sertel-pg", "cfssl-db") and check == "ok":
            check = f"ok: {ok} answered, {stored} stored"
        elif key == "openssl-ca":
            check = f"{check}: {ok} issued in {g(key + '.seconds')} s"
        cpu = g(f"{key}.cpu_util", "-")
        ms = g(f"{key}.cpu_ms_per_cert", "-")
        if (num(g(f"{key}.db_cpu")) or 0) > 0:
            cpu += f" + {g(key + '.db_cpu')} db"
            ms += f" + {g(key + '.db_ms_per_cert')} db"
        w("| {} | {} | **{:.0f}** | {} | {} | {} | {} | {} | {} |".format(
            name, storage, rate or 0,
            g(f"{key}.p50_ms", "-"), g(f"{key}.p99_ms", "-"),
            cpu, ms, g(f"{key}.other_load", "-"), check))
    w("")
    s = num(g("sertel.rate"))
    spg = num(g("sertel-pg.rate"))
    c = num(g("cfssl.rate"))
    cdb = num(g("cfssl-db.rate"))
    o = num(g("openssl-ca.rate"))

    def ratio(a, b):
        return f"{a / b:.2f}x" if a and b else "n/a"

    w("Server CPU: the server process's user+system time over the measured "
      "run (for PostgreSQL also its backends', \"db\"); other load: CPU used "
      "meanwhile by anything else on the machine (not the server, its "
      "database or wrk). On a shared 2-core machine a high other load "
      "means that row is pessimistic.")
    w("")
    noisy = [k for k, _, _ in ROWS if (num(g(f"{k}.other_load")) or 0) > NOISY]
    if noisy:
        w(f"**Noisy run**: other work used more than {NOISY:g} core during "
          f"{', '.join(noisy)}; those numbers are pessimistic and the ratios "
          f"uncertain. Re-run on an idle machine.")
        w("")
    w("| ratio | value |")
    w("| --- | ---: |")
    w(f"| sertel (SQLite) / cfssl sign | **{ratio(s, c)}** |")
    w(f"| sertel (SQLite) / openssl ca | {ratio(s, o)} |")
    if cdb:
        w(f"| sertel (SQLite) / cfssl sign + certdb | {ratio(s, cdb)} |")
    sm = num(g("sertel.cpu_ms_per_cert"))
    cm = num(g("cfssl.cpu_ms_per_cert"))
    if sm and cm:
        w(f"| CPU per certificate, cfssl / sertel (SQLite): less sensitive to other load | {ratio(cm, sm)} |")
    if spg:
        w(f"| sertel (PostgreSQL) / cfssl sign | {ratio(spg, c)} |")
        w(f"| sertel (PostgreSQL) / openssl ca | {ratio(spg, o)} |")
    w("")
    if s and c:
        verdict = "met" if s / c >= TARGET else "NOT met"
        w(f"Target: sertel issues at least {TARGET:g}x cfssl's rate "
          f"({TARGET * c:.0f} certs/s here): **{verdict}** "
          f"({s:.0f} certs/s, {s / c:.2f}x).")
    else:
        w(f"Target: sertel issues at least {TARGET:g}x cfssl's rate: not measured.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
