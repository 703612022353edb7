#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes small one-page PDFs for the e-sign tests and benchmark.

usage: mkpdf.py OUT [TEXT] [--count N]   (with --count, OUT is a prefix:
OUT-000.pdf ...).  Each file has one A4 page with TEXT (default a letter
with a "#" marker for tag_koordinat) and a correct classic xref table.
"""
import sys


def pdf(text: str) -> bytes:
    content = ("BT /F1 12 Tf 72 760 Td (%s) Tj ET\n"
               "BT /F1 12 Tf 72 700 Td (Kepala Dinas, tanda tangan: #) Tj ET\n" % text).encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def main() -> None:
    args = sys.argv[1:]
    count = None
    if "--count" in args:
        i = args.index("--count")
        count = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    text = args[1] if len(args) > 1 else "Surat Keputusan Nomor 1 Tahun 2026"
    if count is None:
        open(out, "wb").write(pdf(text))
    else:
        for n in range(count):
            open("%s-%03d.pdf" % (out, n), "wb").write(pdf("%s (%d)" % (text, n)))


main()
