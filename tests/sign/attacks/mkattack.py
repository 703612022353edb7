#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds signed PDFs and attack files for the verifier tests.

Plain byte manipulation of classic-xref PDFs (what mutool, podofosign and
pdfsig write): every change is an incremental update appended to the file,
exactly as an attacker would do after the document was signed.

  mkattack.py sign IN OUT --cert C --key K [--chain F] [--field NAME]
              [--gap N] [--signer openssl|sertel] [--sertel BIN] [--tsa URL]
      Appends a signature revision and signs it with `openssl cms` (or
      `sertel sign cms`, which adds a signature timestamp with --tsa).
      --gap N leaves the last N bytes of the revision (startxref and %%EOF)
      outside the ByteRange: a signature whose digest and value hold but
      that does not cover its revision.
  mkattack.py flip IN OUT           one byte of a stream inside the first
                                     signed range changed
  mkattack.py shadow-hide IN OUT    a later revision adds an opaque white
                                     annotation over the page text (hide)
  mkattack.py shadow-replace IN OUT a later revision redefines the page's
                                     content stream object (replace)
  mkattack.py shadow-hide-replace IN OUT
                                     a later revision points the page at a
                                     new content stream (hide-and-replace)
  mkattack.py shadow-font IN OUT    a later revision replaces the page's
                                     /Resources (replace via font)
  mkattack.py overlap IN OUT        a later revision adds a second
                                     signature whose ByteRange and CMS are
                                     copies of the first one's, with the
                                     page content changed
  mkattack.py unsign IN OUT         a later revision drops the signature
                                     field from the form and the page
  mkattack.py mkform - OUT          a one-page form with a text field
  mkattack.py fill IN OUT           form filling: a later revision sets
                                     the text field's /V (allowed unless
                                     DocMDP P=1)
  mkattack.py ap-replace IN OUT     a later revision points the text
                                     field's /AP /N at a new appearance
                                     stream showing other text; /V stays
                                     (issue 18: not form filling)
  mkattack.py fill-ap IN OUT        form filling with an appearance: /V
                                     and /AP change together (allowed
                                     unless DocMDP P=1)
  mkattack.py xref-ws IN OUT        the last startxref points one byte
                                     early, at the end-of-line before
                                     "xref" (what common writers do)
  mkattack.py ltv-rewrite IN OUT    an LTV-style update: the catalog gets
                                     /DSS, /Version /2.0 and /Extensions,
                                     the page is rewritten with its
                                     MediaBox respelled (595 -> 595.0)
  mkattack.py ur3 IN OUT            a usage-rights signature dictionary
                                     added as /Perms /UR3
  mkattack.py hybrid IN OUT         two Word-style hybrid updates: an
                                     object only in an /XRefStm, and both
                                     trailers carrying that same /XRefStm
  sign options for issue 18: --doc-ts --tsa-conf CNF (a /DocTimeStamp
  whose token `openssl ts -reply` makes with the [tsa] section of CNF),
  --ber (the token or CMS re-encoded with indefinite lengths outside),
  --nodetach (an enveloping CMS: the signed bytes inside)
  mkattack.py bytes-after IN OUT    the page content changed in a revision
                                     appended after the signed one, without
                                     a new xref (junk after %%EOF)
"""
import os
import re
import subprocess
import sys
import tempfile
import time


def die(msg):
    sys.stderr.write("mkattack: %s\n" % msg)
    sys.exit(2)


def last_startxref(data):
    i = data.rfind(b"startxref")
    if i < 0:
        die("no startxref")
    m = re.match(rb"startxref\s+(\d+)", data[i:])
    return int(m.group(1))


def trailer(data):
    """The newest trailer dictionary (classic xref tables only)."""
    i = data.rfind(b"trailer")
    if i < 0:
        die("no trailer (xref streams are not handled here)")
    m = re.match(rb"trailer\s*<<(.*?)>>\s*startxref", data[i:], re.S)
    if not m:
        die("cannot parse the trailer")
    t = m.group(1)
    size = int(re.search(rb"/Size\s+(\d+)", t).group(1))
    root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", t).group(1))
    info = re.search(rb"/Info\s+(\d+)\s+0\s+R", t)
    ident = re.search(rb"/ID\s*\[[^\]]*\]", t)
    return size, root, info.group(1) if info else None, ident.group(0) if ident else None


def obj_body(data, num):
    """The newest definition of object num: the bytes between 'obj' and
    'endobj'."""
    best = None
    for m in re.finditer(rb"(?<![0-9])%d\s+0\s+obj\b" % num, data):
        best = m
    if best is None:
        die("object %d not found" % num)
    end = data.find(b"endobj", best.end())
    return data[best.end():end].strip()


def first_page(data, root):
    cat = obj_body(data, root)
    pages = int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", cat).group(1))
    kids = re.search(rb"/Kids\s*\[\s*(\d+)\s+0\s+R", obj_body(data, pages))
    return int(kids.group(1))


def page_contents(page):
    m = re.search(rb"/Contents\s*\[?\s*(\d+)\s+0\s+R", page)
    if not m:
        die("page /Contents is not a reference or an array of them")
    return int(m.group(1))


class Update:
    """One incremental update: objects (new or replaced), xref, trailer."""

    def __init__(self, data):
        self.data = data
        self.size, self.root, self.info, self.ident = trailer(data)
        self.prev = last_startxref(data)
        self.objs = {}

    def alloc(self):
        n = self.size
        self.size += 1
        return n

    def put(self, num, body):
        self.objs[num] = body

    def build(self):
        out = bytearray(self.data)
        if not out.endswith(b"\n"):
            out += b"\n"
        offs = {}
        for num in sorted(self.objs):
            offs[num] = len(out)
            out += b"%d 0 obj\n" % num + self.objs[num] + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n"
        for num in sorted(offs):
            out += b"%d 1\n%010d 00000 n \n" % (num, offs[num])
        t = b"/Size %d /Root %d 0 R /Prev %d" % (self.size, self.root, self.prev)
        if self.info:
            t += b" /Info " + self.info + b" 0 R"
        if self.ident:
            t += b" " + self.ident
        out += b"trailer\n<< " + t + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def add_annot(u, page_num, annot_num):
    page = obj_body(u.data, page_num)
    m = re.search(rb"/Annots\s*\[([^\]]*)\]", page)
    if m:
        page = page[:m.end() - 1] + b" %d 0 R" % annot_num + page[m.end() - 1:]
    elif re.search(rb"/Annots\s+\d+\s+0\s+R", page):
        die("indirect /Annots arrays are not handled")
    else:
        page = page[:-2] + b"/Annots [%d 0 R]>>" % annot_num
    u.put(page_num, page)


def add_field(u, field_num):
    cat = obj_body(u.data, u.root)
    fields = []
    m = re.search(rb"/AcroForm\s+(\d+)\s+0\s+R", cat)
    if m:
        af = obj_body(u.data, int(m.group(1)))
        f = re.search(rb"/Fields\s*\[([^\]]*)\]", af)
        if f:
            fields = re.findall(rb"\d+\s+0\s+R", f.group(1))
        af_num = int(m.group(1))
    else:
        m2 = re.search(rb"/AcroForm\s*<<", cat)
        if m2:
            die("a direct /AcroForm dictionary is not handled")
        af_num = u.alloc()
        cat = cat[:-2] + b"/AcroForm %d 0 R>>" % af_num
        u.put(u.root, cat)
    fields.append(b"%d 0 R" % field_num)
    u.put(af_num, b"<</Fields [" + b" ".join(fields) + b"] /SigFlags 3>>")


def pdf_now():
    return time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime())


def make_cms(content, a):
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "content")
        out = os.path.join(d, "sig.p7s")
        with open(inp, "wb") as f:
            f.write(content)
        if a.signer == "sertel":
            cmd = [a.sertel, "sign", "cms", inp, "--out", out, "--key", a.key,
                   "--cert", a.cert]
            if a.chain:
                cmd += ["--chain", a.chain]
            if a.tsa:
                cmd += ["--tsa", a.tsa]
        elif a.doc_ts:
            q = os.path.join(d, "q.tsq")
            r = subprocess.run(["openssl", "ts", "-query", "-data", inp, "-sha256",
                                "-cert", "-out", q], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            if r.returncode != 0:
                die("ts -query failed: %s" % r.stderr.decode(errors="replace").strip())
            cmd = ["openssl", "ts", "-reply", "-config", a.tsa_conf, "-queryfile", q,
                   "-token_out", "-out", out]
        else:
            cmd = ["openssl", "cms", "-sign", "-binary", "-in", inp, "-signer", a.cert,
                   "-inkey", a.key, "-outform", "DER", "-out", out, "-md", "sha256"]
            if a.chain:
                cmd += ["-certfile", a.chain]
            if a.nodetach:
                cmd += ["-nodetach"]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            die("signing failed: %s" % r.stderr.decode(errors="replace").strip())
        with open(out, "rb") as f:
            der = f.read()
        return to_ber(der) if a.ber else der


def der_head(b, off):
    """(header length, content length) of the DER TLV at off."""
    n = b[off + 1]
    if n < 0x80:
        return 2, n
    k = n & 0x7F
    return 2 + k, int.from_bytes(b[off + 2:off + 2 + k], "big")


def to_ber(der):
    """ContentInfo SEQUENCE, its [0] and the SEQUENCE inside with
    indefinite lengths (BER, X.690 8.1.3.6): what some TSAs send.  The
    signed parts (TSTInfo, signed attributes) keep their bytes."""
    h0, _ = der_head(der, 0)
    oid_len = sum(der_head(der, h0))
    h1, _ = der_head(der, h0 + oid_len)
    inner = der[h0 + oid_len + h1:]
    h2, n2 = der_head(inner, 0)
    body = inner[h2:h2 + n2]
    return (b"\x30\x80" + der[h0:h0 + oid_len] + b"\xa0\x80" + bytes([inner[0]]) + b"\x80" +
            body + b"\x00" * 6)


def cmd_sign(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    field = u.alloc()
    sig = u.alloc()
    add_annot(u, page, field)
    add_field(u, field)
    u.put(field, b"<</FT /Sig /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 "
          b"/T (%s) /P %d 0 R /V %d 0 R>>" % (a.field.encode(), page, sig))
    placeholder = b"0" * (2 * 16384)
    kind = (b"/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 "
            if a.doc_ts else b"/Type /Sig /Filter /Adobe.PPKLite /SubFilter /" +
            a.subfilter.encode() + b" ")
    u.put(sig, b"<<" + kind + b"/M (" + pdf_now().encode() + b") /ByteRange [0 0000000000 0000000000 0000000000] "
          b"/Contents <" + placeholder + b">>>")
    out = bytearray(u.build())
    br = out.rfind(b"/ByteRange [0 0000000000")
    lt = out.find(b"/Contents <", br) + len(b"/Contents ")
    gt = out.find(b">", lt) + 1
    end = len(out) - a.gap
    rng = b"[0 %010d %010d %010d]" % (lt, gt, end - gt)
    out[br + len(b"/ByteRange "):br + len(b"/ByteRange ") + len(rng)] = rng
    cms = make_cms(bytes(out[:lt]) + bytes(out[gt:end]), a)
    hx = cms.hex().encode()
    if len(hx) > len(placeholder):
        die("signature larger than the placeholder")
    out[lt + 1:lt + 1 + len(hx)] = hx
    open(a.out, "wb").write(out)


def signed_ranges(data):
    """ByteRanges of the signatures in file order."""
    return [tuple(int(x) for x in m.groups()) for m in
            re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)]


def cmd_flip(a):
    data = bytearray(open(a.inp, "rb").read())
    rng = signed_ranges(data)
    if not rng:
        die("no signature")
    m = re.search(rb"stream\r?\n", data)
    if not m or m.end() + 8 >= rng[0][1]:
        die("no stream inside the signed range")
    data[m.end() + 4] ^= 0x01
    open(a.out, "wb").write(data)


def white_box_stream(u):
    body = b"q 1 1 1 rg 60 680 480 70 re f Q"
    return b"<</Length %d>>\nstream\n" % len(body) + body + b"\nendstream"


def replaced_text():
    body = (b"BT /F1 24 Tf 72 720 Td (Surat Keputusan Nomor 1) Tj ET\n"
            b"BT /F1 14 Tf 72 690 Td (Membayar Rp 9.000.000 kepada Mallory) Tj ET")
    return b"<</Length %d>>\nstream\n" % len(body) + body + b"\nendstream"


def cmd_shadow_hide(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    annot = u.alloc()
    ap = u.alloc()
    add_annot(u, page, annot)
    u.put(ap, b"<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d>>\nstream\n"
          % len(b"q 1 1 1 rg 60 680 480 70 re f Q") + b"q 1 1 1 rg 60 680 480 70 re f Q"
          + b"\nendstream")
    u.put(annot, b"<</Type /Annot /Subtype /Square /Rect [60 680 540 750] /F 4 /IC [1 1 1] "
          b"/C [1 1 1] /P %d 0 R /AP <</N %d 0 R>>>>" % (page, ap))
    open(a.out, "wb").write(u.build())


def cmd_shadow_replace(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    u.put(page_contents(obj_body(data, page)), replaced_text())
    open(a.out, "wb").write(u.build())


def cmd_shadow_hide_replace(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    body = obj_body(data, page)
    new = u.alloc()
    u.put(new, replaced_text())
    body = re.sub(rb"/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)", b"/Contents %d 0 R" % new, body)
    u.put(page, body)
    open(a.out, "wb").write(u.build())


def cmd_shadow_font(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    body = obj_body(data, page)
    font = u.alloc()
    res = u.alloc()
    u.put(font, b"<</Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats>>")
    u.put(res, b"<</Font <</F1 %d 0 R>>>>" % font)
    body2 = re.sub(rb"/Resources\s+\d+\s+0\s+R", b"/Resources %d 0 R" % res, body)
    if body2 == body:
        die("page /Resources is not one reference")
    u.put(page, body2)
    open(a.out, "wb").write(u.build())


def cmd_overlap(a):
    data = open(a.inp, "rb").read()
    rng = signed_ranges(data)
    if not rng:
        die("no signature")
    r0 = rng[0]
    contents = data[r0[1]:r0[2]]  # the first signature's <hex>
    u = Update(data)
    page = first_page(data, u.root)
    u.put(page_contents(obj_body(data, page)), replaced_text())
    field = u.alloc()
    sig = u.alloc()
    add_annot(u, page, field)
    add_field(u, field)
    u.put(field, b"<</FT /Sig /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 "
          b"/T (Overlap) /P %d 0 R /V %d 0 R>>" % (page, sig))
    u.put(sig, b"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
          b"/ByteRange [%d %d %d %d] /Contents " % r0 + contents + b">>")
    open(a.out, "wb").write(u.build())


def cmd_unsign(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    cat = obj_body(data, u.root)
    m = re.search(rb"/AcroForm\s+(\d+)\s+0\s+R", cat)
    if not m:
        die("no indirect /AcroForm")
    u.put(int(m.group(1)), b"<</Fields []>>")
    body = obj_body(data, page)
    u.put(page, re.sub(rb"/Annots\s*\[[^\]]*\]", b"/Annots []", body))
    open(a.out, "wb").write(u.build())


def cmd_mkform(a):
    """A one-page PDF with one text field (widget merged), from scratch."""
    content = (b"BT /F1 14 Tf 72 720 Td (Formulir permohonan) Tj ET\n"
               b"BT /F1 12 Tf 72 690 Td (Nama:) Tj ET")
    objs = [
        b"<</Type /Catalog /Pages 2 0 R /AcroForm 6 0 R>>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R "
        b"/Contents 5 0 R /Annots [7 0 R]>>",
        b"<</Font <</F1 8 0 R>>>>",
        b"<</Length %d>>\nstream\n" % len(content) + content + b"\nendstream",
        b"<</Fields [7 0 R] /DA (/F1 12 Tf 0 g) /DR 4 0 R>>",
        b"<</FT /Tx /Type /Annot /Subtype /Widget /T (nama) /V (Budi) /Rect [120 685 400 705] "
        b"/P 3 0 R /F 4 /DA (/F1 12 Tf 0 g)>>",
        b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(a.out, "wb").write(out)


def cmd_fill(a):
    """Form filling: a later revision sets the text field's value."""
    data = open(a.inp, "rb").read()
    u = Update(data)
    m = None
    for m in re.finditer(rb"(\d+)\s+0\s+obj\s*<<\s*/FT\s*/Tx", data):
        pass
    if m is None:
        die("no text field")
    num = int(m.group(1))
    body = obj_body(data, num)
    u.put(num, re.sub(rb"/V\s*\([^)]*\)", b"/V (Mallory)", body))
    open(a.out, "wb").write(u.build())


def text_field(data):
    m = None
    for m in re.finditer(rb"(\d+)\s+0\s+obj\s*<<\s*/FT\s*/Tx", data):
        pass
    if m is None:
        die("no text field")
    return int(m.group(1))


def appearance(u, text):
    body = b"/Tx BMC BT /F1 12 Tf 0 g 2 5 Td (" + text + b") Tj ET EMC"
    n = u.alloc()
    u.put(n, b"<</Type /XObject /Subtype /Form /BBox [0 0 280 20] "
          b"/Resources <</Font <</F1 8 0 R>>>> /Length %d>>\nstream\n" % len(body)
          + body + b"\nendstream")
    return n


def set_ap(body, ap):
    body = re.sub(rb"/AP\s*(<<[^>]*>>|\d+\s+0\s+R)", b"", body)
    return body[:-2] + b"/AP <</N %d 0 R>>>>" % ap


def cmd_ap_replace(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    num = text_field(data)
    u.put(num, set_ap(obj_body(data, num), appearance(u, b"Mallory")))
    open(a.out, "wb").write(u.build())


def cmd_fill_ap(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    num = text_field(data)
    body = re.sub(rb"/V\s*\([^)]*\)", b"/V (Mallory)", obj_body(data, num))
    u.put(num, set_ap(body, appearance(u, b"Mallory")))
    open(a.out, "wb").write(u.build())


def cmd_xref_ws(a):
    data = open(a.inp, "rb").read()
    i = data.rfind(b"startxref")
    n = last_startxref(data)
    if data[n - 1:n] not in (b"\n", b"\r", b" "):
        die("no white space before the last xref")
    m = re.match(rb"startxref\s+\d+", data[i:])
    new = b"startxref\n%d" % (n - 1)
    open(a.out, "wb").write(data[:i] + new + data[i + m.end():])


def cmd_ltv_rewrite(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    page = first_page(data, u.root)
    dss = u.alloc()
    u.put(dss, b"<</Type /DSS /Certs []>>")
    cat = obj_body(data, u.root)
    cat = re.sub(rb"/Version\s*/[0-9.]+", b"", cat)
    cat = cat[:-2] + (b"/DSS %d 0 R /Version /2.0 /Extensions <</ESIC <</BaseVersion /1.7 "
                      b"/ExtensionLevel 5>>>>>>" % dss)
    u.put(u.root, cat)
    body = obj_body(data, page)
    body2 = re.sub(rb"/MediaBox\s*\[([^\]]*)\]",
                   lambda m: b"/MediaBox [" + b" ".join(
                       x + b".0" if re.fullmatch(rb"\d+", x) else x
                       for x in m.group(1).split()) + b"]", body)
    if body2 == body:
        die("page has no /MediaBox to respell")
    u.put(page, body2)
    open(a.out, "wb").write(u.build())


def cmd_ur3(a):
    data = open(a.inp, "rb").read()
    u = Update(data)
    ur = u.alloc()
    u.put(ur, b"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
          b"/ByteRange [0 0 0 0] /Contents <00> /Reference [<</Type /SigRef "
          b"/TransformMethod /UR3 /TransformParams <</Type /TransformParams /V /2.2 "
          b"/Document [/FullSave]>>>>]>>")
    cat = obj_body(data, u.root)
    u.put(u.root, cat[:-2] + b"/Perms <</UR3 %d 0 R>>>>" % ur)
    open(a.out, "wb").write(u.build())


def cmd_hybrid(a):
    data = open(a.inp, "rb").read()
    size, root, info, ident = trailer(data)
    prev = last_startxref(data)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    # Update 1: object `hid` is listed only in the cross-reference stream
    # `xs` (ISO 32000-1 7.5.8.4); the table lists the stream itself.
    hid, xs = size, size + 1
    off_h = len(out)
    out += b"%d 0 obj\n<</Producer (Microsoft Word hybrid)>>\nendobj\n" % hid
    off_x = len(out)
    row = b"\x01" + off_h.to_bytes(4, "big") + b"\x00\x00"
    out += (b"%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Index [%d 1] /Root %d 0 R "
            b"/Length %d>>\nstream\n" % (xs, xs + 1, hid, root, len(row)) + row +
            b"\nendstream\nendobj\n")
    t1 = len(out)
    tail = b" /Info %d 0 R" % hid + (b" " + ident if ident else b"")
    out += (b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R /Prev %d "
            b"/XRefStm %d" % (xs, off_x, xs + 1, root, prev, off_x) + tail +
            b" >>\nstartxref\n%d\n%%%%EOF\n" % t1)
    # Update 2: the page's /Info again, its trailer repeating /XRefStm.
    off_c = len(out)
    cat = obj_body(bytes(out), root)
    out += b"%d 0 obj\n" % root + cat + b"\nendobj\n"
    t2 = len(out)
    out += (b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R /Prev %d "
            b"/XRefStm %d" % (root, off_c, xs + 1, root, t1, off_x) + tail +
            b" >>\nstartxref\n%d\n%%%%EOF\n" % t2)
    open(a.out, "wb").write(out)


def cmd_bytes_after(a):
    data = open(a.inp, "rb").read()
    # A replacement content stream after %%EOF, without xref: viewers that
    # repair files may pick it up; the signed revision must not move.
    open(a.out, "wb").write(data + b"5 0 obj\n" + replaced_text() + b"\nendobj\n")


def main():
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("inp")
    p.add_argument("out")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--chain")
    p.add_argument("--field", default="Tanda_Tangan")
    p.add_argument("--gap", type=int, default=0)
    p.add_argument("--signer", default="openssl")
    p.add_argument("--sertel")
    p.add_argument("--tsa")
    p.add_argument("--subfilter", default="adbe.pkcs7.detached")
    p.add_argument("--doc-ts", action="store_true")
    p.add_argument("--tsa-conf")
    p.add_argument("--ber", action="store_true")
    p.add_argument("--nodetach", action="store_true")
    a = p.parse_args()
    cmds = {"sign": cmd_sign, "flip": cmd_flip, "shadow-hide": cmd_shadow_hide,
            "shadow-replace": cmd_shadow_replace,
            "shadow-hide-replace": cmd_shadow_hide_replace,
            "shadow-font": cmd_shadow_font, "overlap": cmd_overlap,
            "bytes-after": cmd_bytes_after, "unsign": cmd_unsign,
            "mkform": cmd_mkform, "fill": cmd_fill,
            "ap-replace": cmd_ap_replace, "fill-ap": cmd_fill_ap,
            "xref-ws": cmd_xref_ws, "ltv-rewrite": cmd_ltv_rewrite, "ur3": cmd_ur3,
            "hybrid": cmd_hybrid}
    if a.cmd not in cmds:
        die("unknown command %s" % a.cmd)
    if a.cmd == "sign" and a.doc_ts and not a.tsa_conf:
        die("sign --doc-ts needs --tsa-conf")
    if a.cmd == "sign" and not a.doc_ts and (not a.cert or not a.key):
        die("sign needs --cert and --key")
    cmds[a.cmd](a)


if __name__ == "__main__":
    main()
