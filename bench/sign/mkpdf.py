#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a valid PDF of about SIZE bytes: PAGES pages, each showing one
text line and one image XObject of random (incompressible) RGB samples,
with a classic cross-reference table.

  mkpdf.py OUT SIZE_BYTES [PAGES]
"""
import os
import sys

out, size = sys.argv[1], int(sys.argv[2])
pages = int(sys.argv[3]) if len(sys.argv) > 3 else 1
per_page = max(3 * 16, size // pages)
side = 1
while 3 * (side + 1) * (side + 1) <= per_page:
    side += 1

objs = {}
objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
objs[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
kids = []
n = 4
for p in range(pages):
    page, content, image = n, n + 1, n + 2
    n += 3
    kids.append(b"%d 0 R" % page)
    objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                  b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                  % (content, image))
    text = b"q 400 0 0 400 97 300 cm /Im1 Do Q BT /F1 12 Tf 72 760 Td (Halaman %d) Tj ET" % (p + 1)
    objs[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    data = os.urandom(3 * side * side)
    objs[image] = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                   b"/DeviceRGB /BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(data))
                   + data + b"\nendstream")
objs[2] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(kids))

with open(out + ".tmp", "wb") as f:
    f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for num in sorted(objs):
        offs[num] = f.tell()
        f.write(b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n")
    xref = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f \n" % n)
    for num in range(1, n):
        f.write(b"%010d 00000 n \n" % offs[num])
    f.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref))
os.replace(out + ".tmp", out)
