#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown report of bench/crl: report.py results.env > results.md"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import load, num, run_line, versions  # noqa: E402

TARGET_S = 5.0     # sertel crl with 1,000,000 entries: under 5 s
TARGET_MB = 500.0  # and under 500 MB peak memory
NOISY = 0.25       # cores used by other processes that make a run noisy

ROWS = [
    ("sertel", "`sertel crl --dir D --out crl.der`",
     "SQLite (WAL); CRL kept in the database and written to a DER file"),
    ("openssl", "`openssl ca -gencrl -config ca.cnf -out crl.pem`",
     "index.txt; CRL written to a PEM file"),
]






def main():
    r = load(sys.argv[1])
    g = r.get
    n = int(num(g("entries")) or 0)
    out = []
    w = out.append
    w(run_line(g, f"; {g('fs')}"))
    w("")
    w(f"{versions(g)}, SQLite {g('sqlite')}.")
    w("")
    w(f"Input: {n:,} revoked certificates of one ECDSA P-256 CA (random 17-octet "
      f"serials, reason keyCompromise), the same entries for both; each CRL signed "
      f"ECDSA P-256 / SHA-256. Whole run, with setup and checks: {g('bench_seconds')} s.")
    w("")
    w("| system | storage / output | entries | seconds | peak RSS MB | CPU s (user + sys) "
      "| other load (cores) | CRL MB (DER) | check |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key, name, what in ROWS:
        st = g(f"{key}.status")
        if st is None:
            continue
        if st != "done":
            w(f"| {name} | {what} | - | - | - | - | - | - | {st} |")
            continue
        ent = int(num(g(f"{key}.entries")) or 0)
        w("| {} | {} | {:,} | **{:.2f}** | **{:.0f}** | {:.2f} + {:.2f} | {} | {} | {} |".format(
            name, what, ent, num(g(f"{key}.seconds")) or 0,
            (num(g(f"{key}.rss_kb")) or 0) / 1024, num(g(f"{key}.user_s")) or 0,
            num(g(f"{key}.sys_s")) or 0, g(f"{key}.other_load", "-"),
            f"{(num(g(f'{key}.crl_bytes')) or 0) / 1e6:.1f}", g(f"{key}.verify", "")))
    w("")
    w("Seconds: wall-clock time of the whole command (`/usr/bin/time`: start-up, "
      "loading the CA key, reading the entries, encoding, signing, storing and "
      "writing the CRL); peak RSS: its maximum resident set (MB = 2^20 bytes); "
      "other load: CPU used meanwhile by anything else on the machine.")
    w("")
    noisy = [k for k, _, _ in ROWS if (num(g(f"{k}.other_load")) or 0) > NOISY]
    if noisy:
        w(f"**Noisy run**: other work used more than {NOISY:g} core during "
          f"{', '.join(noisy)}; those numbers are pessimistic. Re-run on an idle machine.")
        w("")

    def done(k):
        return g(f"{k}.status") == "done"

    s = num(g("sertel.seconds")) if done("sertel") else None
    o = num(g("openssl.seconds")) if done("openssl") else None
    sm = (num(g("sertel.rss_kb")) or 0) / 1024 if done("sertel") else None
    om = (num(g("openssl.rss_kb")) or 0) / 1024 if done("openssl") else None
    if s and o:
        w("| ratio | value |")
        w("| --- | ---: |")
        w(f"| time, openssl ca / sertel | {o / s:.2f}x |")
        if sm and om:
            w(f"| peak memory, openssl ca / sertel | {om / sm:.2f}x |")
        w("")
    if s is not None and sm is not None:
        t_ok, m_ok = s < TARGET_S, sm < TARGET_MB
        v = "met" if t_ok and m_ok else "NOT met"
        w(f"Target: `sertel crl` with {n:,} entries in under {TARGET_S:g} s and under "
          f"{TARGET_MB:g} MB: **{v}** ({s:.2f} s: {'ok' if t_ok else 'over'}; "
          f"{sm:.0f} MB: {'ok' if m_ok else 'over'}).")
    else:
        w(f"Target: `sertel crl` in under {TARGET_S:g} s and under {TARGET_MB:g} MB: "
          "not measured.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
