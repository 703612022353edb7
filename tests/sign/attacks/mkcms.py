#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Rewrites a detached CMS SignedData (DER, one SignerInfo) made by
`openssl cms -sign` into the foreign shapes of issue 18.

  mkcms.py sigalg OID IN OUT        SignerInfo signatureAlgorithm := OID
                                     (the signature bytes stay)
  mkcms.py digalg OID IN OUT        SignerInfo digestAlgorithm := OID
  mkcms.py unsorted KEY IN OUT      signed attributes in reverse (not DER)
                                     order, signed again over that order
                                     with KEY (an RSA key, PKCS#1 v1.5)
  mkcms.py resign KEY IN OUT        signed attributes kept (DER order),
                                     signed again (control for unsorted)
  mkcms.py ess-extra CERT KEY IN OUT
                                     a second ESSCertIDv2 (of CERT) after
                                     the signer's in signing-certificate-v2,
                                     attributes re-sorted and signed again
  mkcms.py ess-front CERT KEY IN OUT
                                     the same with CERT's ESSCertIDv2 first
                                     (the signer's second: must not pass)

  mkcms.py add-crls CRL... IN OUT   the CRLs (PEM or DER files) into the
                                     SignedData's crls [1] (unsigned)

Only definite-length DER is handled; the tree is re-encoded with new
lengths.
"""
import hashlib
import subprocess
import sys
import tempfile


def die(msg):
    sys.stderr.write("mkcms: %s\n" % msg)
    sys.exit(2)


def parse(b, off=0, end=None):
    """A list of [tag, value] where value is bytes (primitive) or a list
    (constructed)."""
    end = len(b) if end is None else end
    out = []
    while off < end:
        tag = b[off]
        off += 1
        n = b[off]
        off += 1
        if n == 0x80:
            die("indefinite length is not handled")
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[off:off + k], "big")
            off += k
        v = b[off:off + n]
        out.append([tag, parse(v) if tag & 0x20 else v])
        off += n
    return out


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(s)]) + s


def enc(node):
    tag, v = node
    body = b"".join(enc(c) for c in v) if isinstance(v, list) else v
    return bytes([tag]) + enc_len(len(body)) + body


def oid(dotted):
    p = [int(x) for x in dotted.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        s = [x & 0x7F]
        x >>= 7
        while x:
            s.append(0x80 | (x & 0x7F))
            x >>= 7
        out += bytes(reversed(s))
    return out


def signer_info(tree):
    sd = tree[0][1][1][1][0][1]  # ContentInfo [0] SignedData
    sis = [n for n in sd if n[0] == 0x31][-1]  # the last SET: signerInfos
    return sis[1][0][1]


def fields(si):
    """Indexes of digestAlgorithm, signedAttrs, signatureAlgorithm,
    signature in a SignerInfo's children."""
    i = 2
    d = i
    a = i + 1 if si[i + 1][0] == 0xA0 else None
    s = (a if a is not None else d) + 1
    return d, a, s, s + 1


def sign(key, data):
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        r = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key, f.name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            die("openssl dgst -sign: %s" % r.stderr.decode(errors="replace"))
        return r.stdout


def resign(si, key, order):
    d, a, s, g = fields(si)
    attrs = si[a][1]
    if order == "reverse":
        attrs.reverse()
        if [enc(x) for x in attrs] == sorted(enc(x) for x in attrs):
            die("the attributes are in DER order either way")
    else:
        attrs.sort(key=enc)
    si[g][1] = sign(key, enc([0x31, attrs]))


def main():
    a = sys.argv[1:]
    if len(a) < 3:
        die("usage: see the module comment")
    cmd = a[0]
    inp, out = a[-2], a[-1]
    tree = parse(open(inp, "rb").read())
    si = signer_info(tree)
    d, at, s, g = fields(si)
    if cmd == "sigalg":
        si[s][1] = [[0x06, oid(a[1])]] + [x for x in si[s][1][1:]]
    elif cmd == "digalg":
        si[d][1] = [[0x06, oid(a[1])]] + [x for x in si[d][1][1:]]
    elif cmd == "unsorted":
        resign(si, a[1], "reverse")
    elif cmd == "resign":
        resign(si, a[1], "der")
    elif cmd == "add-crls":
        sd = tree[0][1][1][1][0][1]
        crls = []
        for f in a[1:-2]:
            crls += parse(subprocess.run(["openssl", "crl", "-in", f, "-outform", "DER"],
                                         stdout=subprocess.PIPE, check=True).stdout)
        k = max(i for i, n in enumerate(sd) if n[0] in (0x30, 0xA0)) + 1
        sd.insert(k, [0xA1, crls])
    elif cmd in ("ess-extra", "ess-front"):
        cert_der = subprocess.run(["openssl", "x509", "-in", a[1], "-outform", "DER"],
                                  stdout=subprocess.PIPE, check=True).stdout
        want = oid("1.2.840.113549.1.9.16.2.47")
        for attr in si[at][1]:
            if attr[1][0][1] == want:
                scv2 = attr[1][1][1][0]  # SET { SigningCertificateV2 }
                certs = scv2[1][0]
                # ESSCertIDv2 with the default hash (SHA-256), no issuerSerial
                e = [0x30, [[0x04, hashlib.sha256(cert_der).digest()]]]
                certs[1].insert(len(certs[1]) if cmd == "ess-extra" else 0, e)
                break
        else:
            die("no signing-certificate-v2 (sign with -cades)")
        resign(si, a[2], "der")
    else:
        die("unknown command %s" % cmd)
    open(out, "wb").write(enc(tree[0]))


if __name__ == "__main__":
    main()
