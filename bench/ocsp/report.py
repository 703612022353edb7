#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown report of bench/ocsp: report.py results.env > results.md"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import load, num, run_line, versions  # noqa: E402

CACHED_TARGET = 20000.0  # sertel cached answers per second
SIGN_TARGET = 0.5        # sertel nonce'd answers / raw P-256 sign rate of one core
NOISY = 0.25             # cores used by other processes that make a run noisy

ROWS = [
    ("sertel", "`sertel serve` POST /ocsp", "no nonce: pre-signed cache (SQLite)"),
    ("sertel-nonce", "`sertel serve` POST /ocsp", "nonce: signed on demand"),
    ("openssl", "`openssl ocsp -port` (1 process)", "no nonce: signed per request"),
    ("openssl-nonce", "`openssl ocsp -port` (1 process)", "nonce: signed per request"),
    ("cfssl", "`cfssl ocspserve`", "no nonce: pre-signed file, in memory"),
]






def main():
    r = load(sys.argv[1])
    g = r.get
    out = []
    w = out.append
    w(run_line(g))
    w("")
    w(f"{versions(g)}, cfssl {g('cfssl')}, SQLite {g('sqlite')}, {g('wrk')}.")
    w("")
    w(f"Load: wrk -t{g('wrk_threads')} -c{g('wrk_conns')}, {g('warmup')} s warm-up then "
      f"{g('duration')} s measured, the same DER request every time (SHA-1 CertID, one "
      f"certificate; with a 16-octet nonce or none); sertel `[server] threads = "
      f"{g('sertel.threads', '?')}`; every responder signs with a delegated ECDSA P-256 "
      f"key (SHA-256) and includes its certificate. Whole run: {g('bench_seconds')} s.")
    w("")
    w("| responder | request / answer | responses/s | p50 ms | p99 ms | server CPU (cores) "
      "| CPU us/response | other load (cores) | bytes | check |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key, name, what in ROWS:
        st = g(f"{key}.status")
        if st is None:
            continue
        if st != "done":
            w(f"| {name} | {what} | - | - | - | - | - | - | - | {st} |")
            continue
        ms = num(g(f"{key}.cpu_ms_per_cert"))
        check = g(f"{key}.verify", "")
        err = int(num(g(f"{key}.errors")) or 0)
        if err:
            check += f"; {err} socket errors/timeouts"
        w("| {} | {} | **{:.0f}** | {} | {} | {} | {} | {} | {} | {} |".format(
            name, what, num(g(f"{key}.rate")) or 0,
            g(f"{key}.p50_ms", "-"), g(f"{key}.p99_ms", "-"), g(f"{key}.cpu_util", "-"),
            f"{ms * 1000:.1f}" if ms is not None else "-",
            g(f"{key}.other_load", "-"), g(f"{key}.resp_bytes", "-"), check))
    w("")
    sign = num(g("speed.sign_rate"))
    if g("speed.status") == "done":
        w(f"Raw signing rate: `openssl speed -seconds {g('speed_seconds')} ecdsap256`, one "
          f"process: **{sign:.0f} sign/s** ({1e6 / sign:.1f} us per signature), "
          f"{num(g('speed.verify_rate')):.0f} verify/s; it used {g('speed.cpu_util')} core, "
          f"other load {g('speed.other_load')} core.")
    else:
        w(f"Raw signing rate: not measured ({g('speed.status')}).")
    w("")
    w("Server CPU: the responder process's user+system time over the measured run; "
      "other load: CPU used meanwhile by anything else on the machine (not the "
      "responder, not wrk). On a shared 2-core machine a high other load means "
      "that row is pessimistic. wrk itself needs a good part of the second core.")
    w("")
    keys = ["speed"] + [k for k, _, _ in ROWS]
    noisy = [k for k in keys if (num(g(f"{k}.other_load")) or 0) > NOISY]
    if noisy:
        w(f"**Noisy run**: other work used more than {NOISY:g} core during "
          f"{', '.join(noisy)}; those numbers are pessimistic and the ratios "
          f"uncertain. Re-run on an idle machine.")
        w("")

    def rate(k):
        return num(g(f"{k}.rate")) if g(f"{k}.status") == "done" else None

    def ratio(a, b):
        return f"{a / b:.2f}x" if a and b else "n/a"

    s, sn = rate("sertel"), rate("sertel-nonce")
    o, on, c = rate("openssl"), rate("openssl-nonce"), rate("cfssl")
    w("| ratio | value |")
    w("| --- | ---: |")
    w(f"| sertel cached / cfssl ocspserve (pre-signed) | {ratio(s, c)} |")
    w(f"| sertel cached / openssl ocsp, no nonce | {ratio(s, o)} |")
    w(f"| sertel nonce'd / openssl ocsp, nonce | {ratio(sn, on)} |")
    w(f"| sertel nonce'd / raw sign rate of one core | **{ratio(sn, sign)}** |")
    snm = num(g("sertel-nonce.cpu_ms_per_cert"))
    if snm and sign:
        w(f"| signature's share of sertel's CPU per nonce'd response "
          f"({1e6 / sign:.1f} of {snm * 1000:.1f} us) | {1e3 / sign / snm * 100:.0f}% |")
    w("")
    if s:
        v = "met" if s >= CACHED_TARGET else "NOT met"
        w(f"Target: at least {CACHED_TARGET:,.0f} cached responses/s: **{v}** "
          f"({s:,.0f}/s, {s / CACHED_TARGET:.2f}x the target).")
    else:
        w(f"Target: at least {CACHED_TARGET:,.0f} cached responses/s: not measured.")
    w("")
    if sn and sign:
        v = "met" if sn >= SIGN_TARGET * sign else "NOT met"
        w(f"Target: signed on demand at least {SIGN_TARGET:.0%} of the raw one-core sign "
          f"rate ({SIGN_TARGET * sign:,.0f}/s here): **{v}** ({sn:,.0f}/s, "
          f"{sn / sign:.0%}).")
    else:
        w(f"Target: signed on demand at least {SIGN_TARGET:.0%} of the raw sign rate: "
          f"not measured.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
