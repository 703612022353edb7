#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown report of bench/sign: report.py results.env > results.md

Each part writes its own keys; a part that did not run leaves its rows
out, so a later part (verification) adds a section here without touching
the others."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import load, num, run_line, versions  # noqa: E402

TARGET_PER_S = 1000.0  # B-B ECDSA P-256 signatures per second, batch mode
TARGET_RATIO = 1.5     # 100 MB PDF: at most 1.5 x sha256sum
TARGET_MARKER = 2.0    # marker placement: at most 2 x pdftotext of the same file

SIGN_ROWS = [
    ("sertel", "`sertel sign pdf --batch LIST --out-dir D` (one process)",
     "PAdES B-B, ETSI.CAdES.detached, footer on the page"),
    ("sertel_rsa", "the same, RSA 2048 key (as pdfsig)",
     "PAdES B-B, footer on the page, RSA 2048"),
    ("podofo", "`podofosign -in F -out O -cert C -pkey K -digest SHA256` per file",
     "adbe.pkcs7.detached"),
    ("pdfsig", "`pdfsig -add-signature -nick N F O` per file (NSS database), RSA 2048 key: "
     "poppler 22.12 cannot sign with EC keys",
     "adbe.pkcs7.detached, RSA 2048"),
]


def section_sign(r, w):
    g = r.get
    if g("sertel_per_s") is None:
        return
    w(f"### Signatures per second (one-page PDF of {g('one_pdf_bytes')} bytes, ECDSA P-256)")
    w("")
    w("| tool | command | signature | files | seconds | signatures/s | check |")
    w("|---|---|---|---:|---:|---:|---|")
    for key, cmd, what in SIGN_ROWS:
        if g(f"{key}_per_s") is None:
            continue
        w(f"| {key} | {cmd} | {what} | {g(key + '_made')} | {g(key + '_seconds')} | "
          f"{g(key + '_per_s')} | {g(key + '_check')} |")
    w("")
    ps = num(g("sertel_per_s")) or 0
    verdict = "met" if ps >= TARGET_PER_S else "NOT met"
    w(f"Target {TARGET_PER_S:,.0f} signatures/s (sertel, batch): {verdict} ({ps:,.0f}/s).")
    w("")


def section_big(r, w):
    g = r.get
    if g("big_ratio") is None:
        if g("big_check"):
            w(f"100 MB signing: {g('big_check')}")
            w("")
        return
    mb = (num(g("big_bytes")) or 0) / 1e6
    w(f"### A {mb:.0f} MB PDF (best of {g('repeat')} runs, page cache warm)")
    w("")
    w("| command | seconds |")
    w("|---|---:|")
    w(f"| `sha256sum big.pdf` | {g('big_sha256sum_seconds')} |")
    w(f"| `sertel sign pdf big.pdf --out signed.pdf` | {g('big_sertel_seconds')} |")
    w("")
    ratio = num(g("big_ratio")) or 0
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    w(f"Ratio {ratio:.2f} x sha256sum; target {TARGET_RATIO} x: {verdict}. "
      f"Check: {g('big_check')}.")
    w("")


def section_marker(r, w):
    g = r.get
    if g("marker_ratio") is None:
        if g("marker_check"):
            w(f"Marker placement: {g('marker_check')}")
            w("")
        return
    kb = (num(g("marker_doc_bytes")) or 0) / 1e3
    w(f"### Marker placement: a {g('marker_doc_pages')}-page LibreOffice letter ({kb:.0f} kB), "
      f"marker on the last page (best of {g('repeat')} runs)")
    w("")
    w("| command | seconds |")
    w("|---|---:|")
    w(f"| `pdftotext letter.pdf letter.txt` | {g('marker_pdftotext_seconds')} |")
    w(f"| `sertel sign pdf letter.pdf --marker '${{ttd}}'` | {g('marker_sertel_seconds')} |")
    w(f"| `sertel sign pdf letter.pdf --visible` (no search, for scale) | {g('marker_fixed_seconds')} |")
    w("")
    ratio = num(g("marker_ratio")) or 0
    verdict = "met" if ratio <= TARGET_MARKER else "NOT met"
    w(f"Ratio {ratio:.2f} x pdftotext; target {TARGET_MARKER} x: {verdict}. "
      f"Check: {g('marker_check')}.")
    w("")


SECTIONS = [section_sign, section_big, section_marker]


def main():
    r = load(sys.argv[1])
    g = r.get
    out = []
    w = out.append
    w(run_line(g, f"; {g('fs')}"))
    w("")
    w(f"{versions(g)}, poppler {g('poppler')}, podofo {g('podofo')}. Parts: {g('parts')}. "
      f"Whole run, with setup and checks: {g('bench_seconds')} s.")
    w("")
    for s in SECTIONS:
        s(r, w)
    print("\n".join(out).rstrip("\n"))


if __name__ == "__main__":
    main()
