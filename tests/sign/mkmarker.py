#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hand-made PDFs for the marker tests (tests/sign/test_marker.sh).

usage: mkmarker.py subset|title|form OUT.pdf

subset: a title in a subset font whose code 0x24 is the letter "A" (its
        ToUnicode CMap says so), then "Tanda tangan: ${ttd}" in Helvetica.
title:  the title alone: a "$" marker must not be found in it.
form:   the page header drawn as a form XObject (with its own /Matrix and
        resources) holding "[ttd_kadis]" over three show operators, and a
        line whose TJ has a wide gap inside "#TT D#".
"""
import sys
import zlib

TOUNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<24> <0041>
<20> <0020>
endbfchar
2 beginbfrange
<25> <27> <0042>
<28> <2a> [<004B> <0055> <0052>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def stream(body, extra=b""):
    z = zlib.compress(body)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(z), extra) + z + b"\nendstream"


def write(path, objs):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    open(path, "wb").write(out)


HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# The subset font: codes 0x24.. are glyphs A, B, C, D, K, U, R (its own
# built-in order), as a subsetting writer numbers them.
SUBSET = (b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Helvetica-Bold /FirstChar 32 "
          b"/LastChar 42 /Widths [278 0 0 0 722 722 722 722 722 722 722] "
          b"/Encoding << /Differences [32 /space 36 /A /B /C /D /K /U /R] >> /ToUnicode 6 0 R >>")


def page_doc(path, content, fonts, extra_objs=()):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
        + fonts + b" >> /XObject << /Hdr 8 0 R >> >> /Contents 4 0 R >>",
        stream(content),
        HELV,
        stream(TOUNICODE),
        SUBSET,
    ]
    objs += list(extra_objs)
    write(path, objs)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    # "$" (0x24) in the title reads "A": "$%&' ()*" is "ABCD KUR"
    title = b"BT /F2 20 Tf 72 760 Td (\\$%&' \\(\\)*) Tj ET\n"
    body = (b"BT /F1 12 Tf 72 600 Td (Wali Kota Cirebon,) Tj 0 -40 Td "
            b"(Tanda tangan: ) Tj (${ttd}) Tj 0 -40 Td (Dr. Hj. Siti Nurhaliza, S.Kom., M.T.) Tj ET\n")
    fonts = b"/F1 5 0 R /F2 7 0 R"
    form = stream(b"BT /F1 11 Tf 0 0 Td (Kepala Dinas: ) Tj ([ttd_) Tj (ka) Tj (dis]) Tj ET",
                  b"/Type /XObject /Subtype /Form /BBox [0 0 400 40] /Matrix [1 0 0 1 10 5] "
                  b"/Resources << /Font << /F1 5 0 R >> >>")
    if kind == "subset":
        page_doc(path, title + body, fonts, [form])
    elif kind == "title":
        page_doc(path, title, fonts, [form])
    elif kind == "form":
        content = (b"q 1 0 0 1 50 700 cm /Hdr Do Q\n"
                   b"BT /F1 12 Tf 72 500 Td [(Paraf: #TT) -2000 (D#)] TJ 0 -30 Td "
                   b"[(Wali ) 30 (Kota ) -20 (Cire) 15 (bon)] TJ ET\n")
        page_doc(path, content, fonts, [form])
    else:
        sys.exit("mkmarker.py: unknown kind " + kind)


main()
