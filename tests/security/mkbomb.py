#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Small PDFs that decompress to a lot (issue 19, point 4).

usage: mkbomb.py KIND OUT [MIB] [COUNT]

  double   MIB   the form fields in an object stream under
                 [/FlateDecode /FlateDecode], decoding to MIB MiB (an 8 KB
                 file for 200 MiB)
  flatehex MIB   the same under [/FlateDecode /ASCIIHexDecode]: the inflate
                 runs before the unsupported filter is met
  hexflate MIB   [/ASCIIHexDecode /FlateDecode]: refused at the first filter
  manystm  MIB N N object streams of MIB MiB each, one field in each
  dss      MIB N N DSS certificate streams of MIB MiB each (each under the
                 4 MiB a DSS entry may have), all read by the verifier
  xref     MIB   the cross-reference stream itself, double Flate
  array    MIB   no compression: /Fields is one array of MIB MiB of "0 ",
                 which parses into some 40 times its size
  plain          the same structure with nothing big: must still verify

Every file has a classic page tree, an AcroForm and a cross-reference
stream (object streams need one).
"""
import binascii
import sys
import zlib

MIB = 1 << 20


def enc(data, filters):
    # Decoding applies the filters in array order, so encode in reverse.
    for f in reversed(filters):
        if f == "FlateDecode":
            data = zlib.compress(data, 9)
        elif f == "ASCIIHexDecode":
            data = binascii.hexlify(data) + b">"
    return data


def fdict(filters):
    return b"/Filter [" + b" ".join(b"/" + f.encode() for f in filters) + b"]"


def stream(extra, data):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def objstm(objs, pad, filters):
    header, body = [], b""
    for num, text in objs:
        header.append(b"%d %d" % (num, len(body)))
        body += text + b"\n"
    head = b" ".join(header) + b"\n"
    data = head + body + b" " * pad
    return stream(b"/Type /ObjStm /N %d /First %d %s" % (len(objs), len(head), fdict(filters)),
                  enc(data, filters))


def build(kind, mib, count):
    plain = {}   # num -> object text
    instm = {}   # num -> (stream number, index)
    nfields = count if kind == "manystm" else 1
    fields = list(range(10, 10 + nfields))
    dss = []
    plain[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    plain[3] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    nxt = 10 + nfields
    field = lambda n: b"<< /FT /Sig /T (ttd%d) >>" % n
    if kind in ("double", "flatehex", "hexflate"):
        filters = {"double": ["FlateDecode", "FlateDecode"],
                   "flatehex": ["FlateDecode", "ASCIIHexDecode"],
                   "hexflate": ["ASCIIHexDecode", "FlateDecode"]}[kind]
        pad = mib * MIB
        if kind == "flatehex":
            pad //= 2  # the hex text is twice the size
        plain[nxt] = objstm([(fields[0], field(fields[0]))], pad, filters)
        instm[fields[0]] = (nxt, 0)
        nxt += 1
    elif kind == "manystm":
        for i, f in enumerate(fields):
            plain[nxt] = objstm([(f, field(f))], mib * MIB, ["FlateDecode"])
            instm[f] = (nxt, 0)
            nxt += 1
    else:
        plain[fields[0]] = field(fields[0])
    if kind == "dss":
        z = zlib.compress(b"\0" * (mib * MIB), 9)
        for i in range(count):
            plain[nxt] = stream(b"/Filter /FlateDecode", z)
            dss.append(nxt)
            nxt += 1
    refs = b" ".join(b"%d 0 R" % f for f in fields)
    if kind == "array":
        refs += b" " + b"0 " * (mib * MIB // 2)
    cat = b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >>" % refs
    if dss:
        cat += b" /DSS << /Certs [%s] >>" % b" ".join(b"%d 0 R" % d for d in dss)
    plain[1] = cat + b" >>"
    xnum = nxt
    size = xnum + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for num in sorted(plain):
        offs[num] = len(out)
        out += b"%d 0 obj\n" % num + plain[num] + b"\nendobj\n"
    offs[xnum] = len(out)
    rows = b""
    for num in range(size):
        if num in offs:
            rows += bytes([1]) + offs[num].to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif num in instm:
            s, i = instm[num]
            rows += bytes([2]) + s.to_bytes(4, "big") + i.to_bytes(2, "big")
        else:
            rows += bytes([0]) + (0).to_bytes(4, "big") + (0xFFFF if num == 0 else 0).to_bytes(2, "big")
    extra = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % size
    if kind == "xref":
        data = enc(rows + b"\0" * (mib * MIB), ["FlateDecode", "FlateDecode"])
        extra += b" " + fdict(["FlateDecode", "FlateDecode"])
    else:
        data = rows
    out += b"%d 0 obj\n" % xnum + stream(extra, data) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offs[xnum]
    return bytes(out)


def main():
    kind, out = sys.argv[1], sys.argv[2]
    mib = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    open(out, "wb").write(build(kind, mib, count))


if __name__ == "__main__":
    main()
