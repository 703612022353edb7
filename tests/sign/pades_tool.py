#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Pulls signatures apart for tests/sign/test_pades.sh, so that openssl can
judge them: the CMS of a PDF signature, the bytes its /ByteRange covers,
and the signature timestamp token inside a CMS.

  pades_tool.py count PDF                 number of /ByteRange entries
  pades_tool.py cms PDF N OUT             DER in /Contents of signature N (0-based)
  pades_tool.py signed PDF N OUT          the bytes /ByteRange N covers
  pades_tool.py gap PDF N                 "ok" when range N covers the whole file
                                          but exactly its own /Contents string
  pades_tool.py tst CMS TOKEN SIGVALUE    signatureTimeStampToken and the
                                          signature value it stamps

It reads no PDF objects: it finds "/ByteRange [a b c d]" and uses the
offsets, exactly as a verifier does.
"""
import re
import sys

BR = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
# id-aa-signatureTimeStampToken 1.2.840.113549.1.9.16.2.14
OID_TST = bytes.fromhex("060b2a864886f70d010910020e")


def ranges(data):
    return [tuple(int(x) for x in m.groups()) for m in BR.finditer(data)]


def tlv(b, i):
    """(tag, value start, end) of the TLV at i."""
    tag = b[i]
    n = b[i + 1]
    j = i + 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[j:j + k], "big")
        j += k
    return tag, j, j + n


def children(b, start, end):
    out = []
    i = start
    while i < end:
        tag, vs, ve = tlv(b, i)
        out.append((tag, i, vs, ve))
        i = ve
    return out


def contents(data, r):
    a, b, c, d = r
    if data[a + b:a + b + 1] != b"<" or data[c - 1:c] != b">":
        raise SystemExit("gap is not a hex string")
    raw = bytes.fromhex(data[a + b + 1:c - 1].decode())
    _, vs, ve = tlv(raw, 0)
    return raw[:ve]


def main():
    cmd = sys.argv[1]
    if cmd == "tst":
        der = open(sys.argv[2], "rb").read()
        ci = children(der, *tlv(der, 0)[1:])
        sd = children(der, ci[1][2], ci[1][3])  # [0] EXPLICIT
        sd = children(der, sd[0][2], sd[0][3])
        infos = [c for c in sd if c[0] == 0x31][-1]
        si = children(der, infos[2], infos[3])[0]
        parts = children(der, si[2], si[3])
        sig = [p for p in parts if p[0] == 0x04][0]
        unsigned = [p for p in parts if p[0] == 0xA1]
        if not unsigned:
            raise SystemExit("no unsigned attributes")
        for attr in children(der, unsigned[0][2], unsigned[0][3]):
            oid, vals = children(der, attr[2], attr[3])
            if der[oid[1]:oid[3]] == OID_TST:
                tok = children(der, vals[2], vals[3])[0]
                open(sys.argv[3], "wb").write(der[tok[1]:tok[3]])
                open(sys.argv[4], "wb").write(der[sig[2]:sig[3]])
                return
        raise SystemExit("no signature timestamp")
    data = open(sys.argv[2], "rb").read()
    rs = ranges(data)
    if cmd == "count":
        print(len(rs))
        return
    r = rs[int(sys.argv[3])]
    if cmd == "cms":
        open(sys.argv[4], "wb").write(contents(data, r))
    elif cmd == "signed":
        a, b, c, d = r
        open(sys.argv[4], "wb").write(data[a:a + b] + data[c:c + d])
    elif cmd == "gap":
        a, b, c, d = r
        # A signature covers its whole revision: its second range ends
        # where some %%EOF ends, and the gap is exactly "<...>".
        end = c + d
        tail = data[end - 7:end]
        ok = a == 0 and b < c and end <= len(data) and b"%%EOF" in tail
        ok = ok and data[a + b:a + b + 1] == b"<" and data[c - 1:c] == b">"
        print("ok" if ok else "bad")
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
