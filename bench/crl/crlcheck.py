#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a CRL's revoked list against the serials that should be on it.

    crlcheck.py CRL SERIALS

CRL is DER or PEM; SERIALS the sorted lowercase hex serials, one a line.
Walks the DER (no OpenSSL object per entry) and prints key=value lines:
entries, reason_keycompromise (entries with CRLReason keyCompromise),
sorted (serials in ascending order), match (the CRL lists exactly those
serials), crl_bytes.  Exit status 1 when match is no."""
import base64
import sys


def tlv(b, i):
    """(tag, content start, content end) of the TLV at b[i]."""
    tag = b[i]
    l = b[i + 1]
    i += 2
    if l & 0x80:
        k = l & 0x7F
        l = int.from_bytes(b[i:i + k], "big")
        i += k
    return tag, i, i + l


def main():
    data = open(sys.argv[1], "rb").read()
    if data.startswith(b"-----BEGIN"):
        body = b"".join(l for l in data.splitlines() if not l.startswith(b"-----"))
        data = base64.b64decode(body)
    want = [l.strip() for l in open(sys.argv[2]) if l.strip()]
    _, s, _ = tlv(data, 0)                 # CertificateList
    _, i, tbs_end = tlv(data, s)           # TBSCertList
    got = []
    keycomp = 0
    while i < tbs_end:
        tag, cs, ce = tlv(data, i)
        # revokedCertificates: the SEQUENCE whose elements are SEQUENCEs
        # starting with an INTEGER (the signature AlgorithmIdentifier's
        # first element is an OID, the issuer's a SET).
        if tag == 0x30 and cs < ce and data[cs] == 0x30:
            _, es, _ = tlv(data, cs)
            if data[es] == 0x02:
                j = cs
                while j < ce:
                    _, ecs, ece = tlv(data, j)
                    _, ss, se = tlv(data, ecs)
                    got.append(data[ss:se].lstrip(b"\x00").hex())
                    if data.find(b"\x06\x03\x55\x1d\x15\x04\x03\x0a\x01\x01", se, ece) >= 0:
                        keycomp += 1
                    j = ece
        i = ce
    srt = all(int(got[k], 16) < int(got[k + 1], 16) for k in range(len(got) - 1)) if got else True
    match = sorted(got) == want
    print(f"entries={len(got)}")
    print(f"reason_keycompromise={keycomp}")
    print(f"sorted={'yes' if srt else 'no'}")
    print(f"match={'yes' if match else 'no'}")
    print(f"crl_bytes={len(data)}")
    sys.exit(0 if match else 1)


if __name__ == "__main__":
    main()
