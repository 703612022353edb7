#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The owner's and the head of agency's pages in a real headless Chromium
(tests/web/cdp.py's Browser), logged in with one-time links read from a
real SMTP server's mailbox, plus raw HTTP for every route as every role.

usage: owner_flow.py CONFIG.json   (written by test_portal_owner.sh)

The owner Rina: her certificate page, renewal (a draft with the carried
attachments), passphrase change (a wrong old one refused and counted, a
weak new one refused, then changed: the new one signs through POST
/api/v2/sign/pdf, the old one no longer), TOTP enrolment (the QR code drawn
by the server, the secret once; a later signing without the code refused,
with the RFC 6238 code computed here accepted), her own revocation with a
confirmation step.  The owner Dedi: a loss report (a file that is not what
it says refused, then the statement letter and the police report).  The
head: the staff with masked NIKs, the loss report acknowledged, Wati's
certificate revoked for pensiun with a confirmation step.  Every refusal
leaves the store as it was (row and audit counts compared).

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import base64
import hashlib
import hmac
import json
import os
import re
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_by_link, login_raw, request, set_file, summary  # noqa: E402



# ---- raw HTTP ------------------------------------------------------------------
def req(base, method, path, body=None, cookies=None, ctype=None, headers=None, binary=False):
	"""(status, [(header, value)], body text, or bytes when binary) of one request."""
	st, hd, data = request(base, method, path, body, cookies, ctype, headers, timeout=30)
	return st, hd, data if binary else data.decode("utf-8", "replace")


def hget(headers, name):
	return [v for k, v in headers if k.lower() == name.lower()]


class Session:
	"""A portal session opened through the one-time link, by raw HTTP."""

	def __init__(self, cfg, who):
		self.base = cfg["base"]
		email = cfg["mail"][who]
		got = login_raw(self.base, cfg["maildir"], email)
		if got is None:
			raise RuntimeError("no session for %s by one-time link" % email)
		self.cookies, self.csrf = got

	def get(self, path, binary=False):
		return req(self.base, "GET", path, cookies=self.cookies, binary=binary)

	def post(self, path, fields, csrf=True):
		f = dict(fields)
		if csrf:
			f["csrf"] = self.csrf
		return req(self.base, "POST", path, urllib.parse.urlencode(f), self.cookies)


def anon_post(cfg, path, fields):
	return req(cfg["base"], "POST", path, urllib.parse.urlencode(fields))


def multipart(fields, files):
	"""A multipart/form-data body: fields {name: value}, files {name: (filename, bytes, type)}."""
	b = "----sertel%d" % int(time.time() * 1000)
	out = []
	for k, v in fields.items():
		out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
	for k, (fn, data, ct) in files.items():
		out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		            "Content-Type: %s\r\n\r\n" % (b, k, fn, ct)).encode() + data + b"\r\n")
	out.append(("--%s--\r\n" % b).encode())
	return b"".join(out), "multipart/form-data; boundary=" + b


# ---- the store, read as the judge ------------------------------------------------
class Store:
	def __init__(self, path):
		self.path = path

	def one(self, sql, *args):
		c = sqlite3.connect("file:%s?mode=ro" % self.path, uri=True, timeout=10)
		try:
			r = c.execute(sql, args).fetchone()
		finally:
			c.close()
		return r[0] if r and len(r) == 1 else r

	def snapshot(self):
		"""What a refused request must leave unchanged."""
		return (self.one("SELECT COUNT(*) FROM audit"),
		        self.one("SELECT COUNT(*) FROM applications"),
		        self.one("SELECT COUNT(*) FROM revocation_requests"),
		        self.one("SELECT COUNT(*) FROM certs WHERE revoked = 1"),
		        self.one("SELECT COUNT(*) FROM revocation_requests WHERE acknowledged_at IS NOT NULL"),
		        self.one("SELECT group_concat(nik || ':' || failures || ':' || (totp_secret IS NOT NULL), ',') "
		                 "FROM esign_owners"),
		        self.one("SELECT group_concat(serial || ':' || hex(sealed), ',') FROM sealed_keys"))


# ---- e-sign through the API ------------------------------------------------------
def sign(cfg, nik, passphrase, totp=None):
	pdf = open(os.path.join(cfg["files"], "pengantar.pdf"), "rb").read()
	body = {"nik": nik, "passphrase": passphrase, "file": [base64.b64encode(pdf).decode()],
	        "signatureProperties": [{"tampilan": "INVISIBLE", "reason": "Uji portal", "location": "Cirebon"}]}
	if totp is not None:
		body["totp"] = totp
	auth = base64.b64encode(cfg["client"].encode()).decode()
	st, hd, out = req(cfg["base"], "POST", "/api/v2/sign/pdf", json.dumps(body), ctype="application/json",
	                   headers={"Authorization": "Basic " + auth})
	try:
		j = json.loads(out)
	except ValueError:
		j = {}
	return st, j


def totp_code(secret_b32, t=None):
	"""RFC 6238: HMAC-SHA-1 over the 30-second step, 6 digits."""
	key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
	step = int((t if t is not None else time.time()) // 30)
	d = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
	o = d[-1] & 15
	return "%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7fffffff) % 1000000)


# ---- the browser -------------------------------------------------------------------
def browser_login(p, cfg, who):
	p.b.send("Network.clearBrowserCookies")
	if not login_by_link(p, cfg["base"], cfg["maildir"], cfg["mail"][who]):
		raise RuntimeError("browser login for %s failed" % who)


def fill(p, sel, value):
	p.js("document.querySelector(%s).value = %s" % (json.dumps(sel), json.dumps(value)))


def html(p):
	return p.js("document.documentElement.outerHTML")


def status_of(p):
	return p.b.doc_status(p.url()) if hasattr(p.b, "doc_status") else None


def main(argv):
	cfg = json.load(open(argv[1]))
	os.makedirs(cfg["shots"], exist_ok=True)
	db = Store(cfg["db"])
	p = Page(cfg["shots"])
	try:
		owner_flow(p, cfg, db)
		loss_flow(p, cfg, db)
		roles(cfg, db)
		head_flow(p, cfg, db)
	except (RuntimeError, TimeoutError, OSError, AttributeError, KeyError) as e:
		check(False, "the browser flow ran to its end", repr(e))
	finally:
		p.close()
	return summary()


def owner_flow(p, cfg, db):
	base, ser, nik = cfg["base"] + "/portal", cfg["serial"]["rina"], cfg["nik"]["rina"]
	browser_login(p, cfg, "rina")
	p.goto(base + "/sertifikat")
	check(p.js("!!document.querySelector('a.manage[href$=\"/pemilik/%s\"]')" % ser),
	      "my certificates: each row links to its page")
	p.shot("owner-certs")
	p.click_and_load("a.manage[href$='/pemilik/%s']" % ser)
	t = p.text()
	check("Berlaku" in t and ser in t, "the certificate page shows status and serial", t[:300])
	check(p.js("!!document.getElementById('perpanjang') && !!document.getElementById('cabut') && "
	           "!!document.getElementById('hilang')"), "renewal, revocation and loss report offered")
	check(p.js("!!document.querySelector('a.pem') && !!document.querySelector('a.p7b')"),
	      "the certificate files are linked")
	p.shot("owner-cert")

	# Renewal: a new draft with the first application's letters.
	apps = db.one("SELECT COUNT(*) FROM applications WHERE applicant_nik = ?", nik)
	p.click_and_load("#perpanjang")
	m = re.search(r"/portal/permohonan/([0-9a-f]+)\?ok=perpanjang", p.url())
	check(m is not None, "renewal leads to the new draft's page", p.url())
	t = p.text()
	check("Konsep perpanjangan dibuat" in t, "the draft page says what happened", t[:300])
	check("pengantar.pdf" in t and "rekomendasi.pdf" in t and "ktp.png" in t,
	      "the carried attachments are shown", t[:600])
	if m:
		row = db.one("SELECT kind || '|' || state || '|' || renews_serial FROM applications WHERE id = ?",
		             m.group(1))
		check(row == "renewal|0|%s" % ser or (row or "").startswith("renewal|") and (row or "").endswith(ser),
		      "the store holds a renewal draft of this certificate", str(row))
	check(db.one("SELECT COUNT(*) FROM applications WHERE applicant_nik = ?", nik) == apps + 1,
	      "exactly one application added")
	p.shot("owner-renewed")

	# Passphrase change.
	p.goto(base + "/pemilik/keamanan")
	check(p.js("!!document.getElementById('baru-help')") and "Paling sedikit 10 karakter" in p.text(),
	      "the strength rules are shown")
	p.shot("owner-security")
	before = db.one("SELECT failures FROM esign_owners WHERE nik = ?", nik) or 0
	wrong = "Salah-Sekali-123"
	fill(p, "#lama", wrong)
	fill(p, "#baru", cfg["newpw"])
	fill(p, "#ulang", cfg["newpw"])
	p.click_and_load("#ganti")
	t, h = p.text(), html(p)
	check(p.js("!!document.getElementById('pass-error')"), "a wrong old passphrase is refused on the page", t[:300])
	check(wrong not in h and cfg["newpw"] not in h, "no passphrase echoed back into the page")
	check(p.js("document.getElementById('lama').value === '' && document.getElementById('baru').value === ''"),
	      "the passphrase fields come back empty")
	check(db.one("SELECT failures FROM esign_owners WHERE nik = ?", nik) == before + 1,
	      "the wrong old passphrase counts toward the lock, as in the API")
	p.shot("owner-pass-wrong")
	fill(p, "#lama", cfg["pw"])
	fill(p, "#baru", "aaaaaaaaaaaaaa")
	fill(p, "#ulang", "aaaaaaaaaaaaaa")
	sealed = db.one("SELECT hex(sealed) FROM sealed_keys WHERE serial = ?", ser)
	p.click_and_load("#ganti")
	check("terlalu lemah" in p.text(), "a weak new passphrase is refused with the rule", p.text()[:300])
	check(db.one("SELECT hex(sealed) FROM sealed_keys WHERE serial = ?", ser) == sealed,
	      "the key stays sealed as it was")
	p.shot("owner-pass-weak")
	fill(p, "#lama", cfg["pw"])
	fill(p, "#baru", cfg["newpw"])
	fill(p, "#ulang", cfg["newpw"])
	p.click_and_load("#ganti")
	check("Passphrase diganti" in p.text(), "the passphrase is changed", p.text()[:300])
	check(db.one("SELECT hex(sealed) FROM sealed_keys WHERE serial = ?", ser) != sealed,
	      "the key is sealed again")
	p.shot("owner-pass-ok")
	st, j = sign(cfg, nik, cfg["newpw"])
	check(st == 200 and j.get("file"), "the new passphrase signs (POST /api/v2/sign/pdf)", "%d %s" % (st, str(j)[:200]))
	st, j = sign(cfg, nik, cfg["pw"])
	check(st in (400, 401, 403) and j.get("status_code") == 2031, "the old passphrase no longer signs",
	      "%d %s" % (st, str(j)[:200]))

	# TOTP: the QR code and the secret, once.
	p.goto(base + "/pemilik/keamanan")
	check(p.js("!!document.getElementById('totp-off')"), "TOTP off before enrolment")
	fill(p, "#totp-pass", cfg["newpw"])
	p.click_and_load("#daftar-totp")
	src = p.js("(document.getElementById('qr') || {}).src || ''")
	check(src.startswith("data:image/svg+xml;base64,"), "the QR code is an image drawn by the server", src[:60])
	svg = base64.b64decode(src.split(",", 1)[1]).decode() if "," in src else ""
	check(svg.startswith("<svg") and "<path" in svg and "M4 4h7" in svg,
	      "the QR image is an SVG with its finder pattern", svg[:120])
	check(p.js("document.getElementById('qr').naturalWidth > 0"), "the browser renders the QR code (CSP allows it)")
	secret = p.js("(document.getElementById('secret') || {}).textContent || ''").strip()
	uri = p.js("(document.getElementById('uri') || {}).textContent || ''").strip()
	check(re.fullmatch(r"[A-Z2-7]{32}", secret) is not None, "the base32 secret is shown", secret)
	check(uri.startswith("otpauth://totp/") and ("secret=" + secret) in uri, "the otpauth URI carries it", uri[:80])
	check(cfg["newpw"] not in html(p), "the passphrase is not in the page")
	# The QR code as a phone's camera reads it: the rendered image, decoded
	# by zbarimg, is the otpauth URI.
	r = p.js("JSON.stringify(document.getElementById('qr').getBoundingClientRect())")
	r = json.loads(r)
	shot = p.b.send("Page.captureScreenshot", {"format": "png", "clip": {
		"x": r["x"], "y": r["y"], "width": r["width"], "height": r["height"], "scale": 2}})
	qrfile = os.path.join(cfg["shots"], "owner-totp-qr.png")
	with open(qrfile, "wb") as f:
		f.write(base64.b64decode(shot["data"]))
	try:
		dec = subprocess.run(["zbarimg", "--raw", "-q", qrfile], capture_output=True, text=True,
		                     timeout=30).stdout.strip()
	except OSError as e:
		dec = "zbarimg: %s" % e
	check(dec == uri, "the QR code on the page decodes (zbarimg) to the otpauth URI", dec[:80])
	p.shot("owner-totp")
	p.goto(base + "/pemilik/keamanan?lang=en")
	check(p.js("document.documentElement.lang") == "en" and "Change the passphrase" in p.text(),
	      "the English switch works on the owner's pages")
	p.goto(base + "/pemilik/keamanan?lang=id")
	check(p.js("!!document.getElementById('totp-on')") and secret not in html(p),
	      "later the page says TOTP is on and never shows the secret again")
	p.shot("owner-security-totp")
	st, j = sign(cfg, nik, cfg["newpw"])
	check(st != 200 and j.get("status_code") == 2052, "signing without the TOTP code is refused",
	      "%d %s" % (st, str(j)[:200]))
	# A step not used yet (the refused call used none).
	st, j = sign(cfg, nik, cfg["newpw"], totp_code(secret))
	if st != 200 and j.get("status_code") == 2052:
		time.sleep(31)
		st, j = sign(cfg, nik, cfg["newpw"], totp_code(secret))
	check(st == 200 and j.get("file"), "signing with the RFC 6238 code (computed here) works",
	      "%d %s" % (st, str(j)[:200]))

	# The scanned signature for the box (issue 11): a file that is no
	# image refused next to the form and nothing stored; a PNG stored for
	# this person; removed again.
	files = cfg["files"]
	p.goto(base + "/pemilik/keamanan")
	check(p.js("!!document.getElementById('sigimg-off')"), "signature image: none yet, the page says so")
	set_file(p, "#gambar", os.path.join(files, "palsu.pdf"))
	p.click_and_load("#unggah-ttd")
	check(p.js("!!document.getElementById('sigimg-error')") and "PNG atau JPEG" in p.text(),
	      "signature image: a file that is no image is refused in Bahasa Indonesia")
	check(db.one("SELECT COUNT(*) FROM person_signature_images WHERE nik = ?", nik) == 0,
	      "signature image: ... and nothing is stored")
	set_file(p, "#gambar", os.path.join(files, "ktp.png"))
	p.click_and_load("#unggah-ttd")
	check("ok=gambar-ttd" in p.url() and p.js("!!document.getElementById('sigimg-on')"),
	      "signature image: a PNG is stored and the page says so", p.url())
	check(db.one("SELECT COUNT(*) FROM person_signature_images WHERE nik = ?", nik) == 1,
	      "signature image: the store holds it for this person")
	check(db.one("SELECT COUNT(*) FROM audit WHERE action = 'person.signature_image' AND object LIKE ?",
	             "%" + nik + "%") >= 1, "signature image: the change is in the audit trail")
	p.shot("owner-sigimg")
	p.click_and_load("#hapus-ttd")
	check("ok=gambar-ttd-hapus" in p.url() and
	      db.one("SELECT COUNT(*) FROM person_signature_images WHERE nik = ?", nik) == 0,
	      "signature image: removed again", p.url())

	# Own revocation, with the confirmation step.
	p.goto(base + "/pemilik/%s/cabut" % ser)
	t = p.text()
	check(all(w in t for w in ("Permintaan saya sendiri", "Dugaan penyalahgunaan", "Data dalam sertifikat salah",
	                           "Kunci bocor")), "the owner's four causes in plain Indonesian", t[:400])
	check(not any(c in t for c in ("permintaan-pemilik", "kunci-bocor", "data-salah")), "no cause code shown")
	check(not any(c in t for c in ("Pensiun", "Mutasi")), "the head's causes are not offered to the owner")
	p.shot("owner-revoke")
	p.js("document.querySelector('input[name=sebab][value=permintaan-pemilik]').checked = true")
	fill(p, "#alasan", "Tidak lagi bertugas di bidang persuratan")
	p.click_and_load("#lanjut")
	t = p.text()
	check("Sertifikat ini akan dicabut dan tidak dapat dipakai lagi" in t, "a confirmation page first", t[:300])
	check("Permintaan saya sendiri" in t and "Tidak lagi bertugas" in t, "it repeats the cause and reason")
	check(db.one("SELECT revoked FROM certs WHERE serial = ?", ser) == 0, "nothing revoked before the confirmation")
	p.shot("owner-revoke-confirm")
	p.click_and_load("#yakin")
	check("ok=dicabut" in p.url() and "Dicabut" in p.text(), "revoked after the confirmation", p.url())
	check(db.one("SELECT revoked || ':' || reason FROM certs WHERE serial = ?", ser) == "1:0",
	      "the store: revoked, reason unspecified (owner's request)")
	check(not p.js("!!document.getElementById('cabut')"), "a revoked certificate offers no revocation")
	p.shot("owner-revoked")


def loss_flow(p, cfg, db):
	base, ser, files = cfg["base"] + "/portal", cfg["serial"]["dedi"], cfg["files"]
	browser_login(p, cfg, "dedi")
	p.goto(base + "/pemilik/%s" % ser)
	p.click_and_load("#hilang")
	check("Sertifikat ini akan dicabut dan tidak dapat dipakai lagi" in p.text(),
	      "the loss report starts with the warning", p.text()[:300])
	check(not p.js("!!document.querySelector('input[type=file]')"), "no form before the owner goes on")
	p.shot("owner-loss-confirm")
	p.click_and_load("#lanjut")
	check(p.js("!!document.getElementById('pernyataan') && !!document.getElementById('laporan_polisi')"),
	      "the form asks for the statement letter and the police report")
	opts = p.js("Array.from(document.querySelectorAll('#atasan option')).map(o => o.textContent).join('|')")
	check("Kepala Kominfo" in opts, "the head of the agency is offered as the superior", opts)
	check(cfg["nik"]["head"] not in html(p), "no superior's NIK in the page")
	p.shot("owner-loss")
	snap = db.snapshot()
	set_file(p, "#pernyataan", os.path.join(files, "palsu.pdf"))
	set_file(p, "#laporan_polisi", os.path.join(files, "ktp.png"))
	p.js("document.getElementById('atasan').selectedIndex = 1")
	p.click_and_load("#laporkan")
	check(p.js("!!document.getElementById('form-error')"), "a file that is not what it says is refused on the page",
	      p.text()[:300])
	check(db.snapshot() == snap, "nothing stored, nothing revoked")
	p.shot("owner-loss-bad")
	set_file(p, "#pernyataan", os.path.join(files, "pengantar.pdf"))
	set_file(p, "#laporan_polisi", os.path.join(files, "ktp.png"))
	p.js("document.getElementById('atasan').selectedIndex = 1")
	fill(p, "#catatan", "Laptop dinas hilang di kereta")
	p.click_and_load("#laporkan")
	check("ok=hilang" in p.url() and "Laporan diterima" in p.text(), "the loss report is accepted", p.url())
	check(db.one("SELECT revoked || ':' || reason FROM certs WHERE serial = ?", ser) == "1:1",
	      "revoked at once as keyCompromise")
	row = db.one("SELECT acknowledged_by || ':' || (acknowledged_at IS NULL) || ':' || (statement_blob IS NOT NULL) "
	             "|| ':' || (police_blob IS NOT NULL) FROM revocation_requests WHERE serial = ?", ser)
	check(row == "%s:1:1:1" % cfg["nik"]["head"], "both letters kept, the superior named, not yet acknowledged",
	      str(row))
	p.shot("owner-loss-done")


def roles(cfg, db):
	"""Every route, every role, raw HTTP: allowed ones work, the rest are refused and change nothing."""
	wati, rina = cfg["serial"]["wati"], cfg["serial"]["rina"]
	s = {w: Session(cfg, w) for w in ("rina", "other", "operator", "head", "head2", "kadis", "auditor")}
	report = db.one("SELECT id FROM revocation_requests WHERE serial = ?", cfg["serial"]["dedi"])

	def refused(what, fn, want=(403,)):
		snap = db.snapshot()
		st, hd, body = fn()
		check(st in want, "%s: refused (%s)" % (what, "/".join(map(str, want))), "got %d" % st)
		check(db.snapshot() == snap, "%s: nothing changed" % what)
		return body

	# Anonymous: the login page, for pages and forms alike.
	for path in ("/portal/pemilik/%s" % wati, "/portal/pemilik/keamanan", "/portal/pegawai",
	             "/portal/pegawai/cabut/%s" % wati, "/portal/pegawai/laporan/%s/pernyataan" % report):
		st, hd, _ = req(cfg["base"], "GET", path)
		check(st == 303 and hget(hd, "Location") == ["/portal/masuk"], "anonymous GET %s: to the login page" % path)
	for path, f in (("/portal/pemilik/%s/cabut" % wati, {"sebab": "permintaan-pemilik", "alasan": "x", "yakin": "1"}),
	                ("/portal/pemilik/%s/perpanjang" % wati, {}),
	                ("/portal/pemilik/passphrase", {"lama": "a", "baru": "b", "ulang": "b"}),
	                ("/portal/pemilik/totp", {"passphrase": "a"}), ("/portal/pemilik/totp/hapus", {"yakin": "1"}),
	                ("/portal/pegawai/cabut/%s" % wati, {"sebab": "pensiun", "alasan": "x", "yakin": "1"}),
	                ("/portal/pegawai/laporan/%s/akui" % report, {})):
		refused("anonymous POST %s" % path, lambda: anon_post(cfg, path, f), (303,))

	# Someone else's certificate: only its owner opens or acts on it.
	for who in ("other", "operator", "head", "kadis", "auditor", "rina"):
		body = refused("%s opens Wati's certificate page" % who, lambda: s[who].get("/portal/pemilik/%s" % wati))
		check("bukan milik Anda" in body and wati not in re.sub(r"<[^>]+>", "", body),
		      "%s: the refusal says why, in Bahasa Indonesia, and shows nothing of it" % who)
		refused("%s revokes Wati's certificate as its owner" % who,
		        lambda: s[who].post("/portal/pemilik/%s/cabut" % wati,
		                            {"sebab": "permintaan-pemilik", "alasan": "coba", "yakin": "1"}))
		refused("%s renews Wati's certificate" % who,
		        lambda: s[who].post("/portal/pemilik/%s/perpanjang" % wati, {}))
		b, ct = multipart({"csrf": s[who].csrf, "atasan_nik": cfg["nik"]["head"]},
		                  {"pernyataan": ("p.pdf", open(os.path.join(cfg["files"], "pengantar.pdf"), "rb").read(),
		                                  "application/pdf"),
		                   "laporan_polisi": ("k.png", open(os.path.join(cfg["files"], "ktp.png"), "rb").read(),
		                                      "image/png")})
		refused("%s reports Wati's key lost" % who,
		        lambda: req(cfg["base"], "POST", "/portal/pemilik/%s/hilang" % wati, b, s[who].cookies, ct))

	# Forms without the CSRF token: refused, nothing changed.
	refused("the owner's revocation without the CSRF token",
	        lambda: s["rina"].post("/portal/pemilik/%s/perpanjang" % rina, {}, csrf=False))
	refused("a passphrase change without the CSRF token",
	        lambda: s["rina"].post("/portal/pemilik/passphrase",
	                               {"lama": cfg["newpw"], "baru": "Lain-Lagi-2026x", "ulang": "Lain-Lagi-2026x"},
	                               csrf=False))
	refused("a TOTP enrolment without the CSRF token",
	        lambda: s["rina"].post("/portal/pemilik/totp", {"passphrase": cfg["newpw"]}, csrf=False))
	refused("turning TOTP off without the CSRF token",
	        lambda: s["rina"].post("/portal/pemilik/totp/hapus", {"yakin": "1"}, csrf=False))
	refused("the head's revocation without the CSRF token",
	        lambda: s["head"].post("/portal/pegawai/cabut/%s" % wati,
	                               {"sebab": "pensiun", "alasan": "x", "yakin": "1"}, csrf=False))
	refused("an acknowledgement without the CSRF token",
	        lambda: s["head"].post("/portal/pegawai/laporan/%s/akui" % report, {}, csrf=False))
	# A passphrase field is never echoed, even when refused.
	st, _, body = s["rina"].post("/portal/pemilik/passphrase",
	                             {"lama": "Tebakan-Salah-99", "baru": "abc", "ulang": "abd"})
	check(st == 400 and "Tebakan-Salah-99" not in body and "tidak sama" in body,
	      "two different new passphrases: refused before anything is tried, nothing echoed", str(st))

	# The security page: an auditor (no sealed key) sees no control that changes anything.
	st, _, body = s["auditor"].get("/portal/pemilik/keamanan")
	forms = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', body)
	check(st == 200 and forms == ["/portal/keluar"], "the auditor's security page has no mutating form", str(forms))
	refused("the auditor's forged passphrase change",
	        lambda: s["auditor"].post("/portal/pemilik/passphrase",
	                                  {"lama": "Apa-Saja-2026", "baru": "Apa-Lagi-2026", "ulang": "Apa-Lagi-2026"}),
	        (400, 403, 404))
	refused("the auditor's forged TOTP enrolment",
	        lambda: s["auditor"].post("/portal/pemilik/totp", {"passphrase": "Apa-Saja-2026"}), (400, 403, 404))
	body = refused("the auditor's forged TOTP removal",
	               lambda: s["auditor"].post("/portal/pemilik/totp/hapus", {"yakin": "1"}), (409,))
	check("TOTP belum aktif" in body, "the auditor is told there is nothing to turn off")
	# The owner turns TOTP off: allowed, recorded.
	st, hd, _ = s["rina"].post("/portal/pemilik/totp/hapus", {"yakin": "1"})
	check(st == 303 and hget(hd, "Location") == ["/portal/pemilik/keamanan?ok=totp-hapus"],
	      "the owner turns TOTP off", str(st))
	check(db.one("SELECT totp_secret IS NULL FROM esign_owners WHERE nik = ?", cfg["nik"]["rina"]) == 1,
	      "the TOTP secret is gone from the store")
	st, j = sign(cfg, cfg["nik"]["rina"], cfg["newpw"])
	check(st != 200 and j.get("status_code") != 2052, "signing no longer asks for a code (the certificate is revoked)",
	      "%d %s" % (st, str(j)[:200]))

	# The head's page: heads and superiors only.
	for who in ("other", "operator", "kadis", "auditor", "rina"):
		refused("%s opens the staff page" % who, lambda: s[who].get("/portal/pegawai"))
		refused("%s requests a revocation as a head" % who,
		        lambda: s[who].post("/portal/pegawai/cabut/%s" % wati,
		                            {"sebab": "pensiun", "alasan": "x", "yakin": "1"}))
		refused("%s acknowledges the loss report" % who,
		        lambda: s[who].post("/portal/pegawai/laporan/%s/akui" % report, {}))
		refused("%s reads the loss report's statement letter" % who,
		        lambda: s[who].get("/portal/pegawai/laporan/%s/pernyataan" % report))
	st, _, body = s["head2"].get("/portal/pegawai")
	check(st == 200 and "Wati Sulastri" not in body and "Dedi Kurnia" not in body,
	      "the other agency's head sees no staff of Kominfo")
	refused("a head revokes outside their agency",
	        lambda: s["head2"].post("/portal/pegawai/cabut/%s" % wati,
	                                {"sebab": "pensiun", "alasan": "x", "yakin": "1"}))
	refused("a head acknowledges a report that does not name them",
	        lambda: s["head2"].post("/portal/pegawai/laporan/%s/akui" % report, {}))
	refused("a head reads the letters of a report that does not name them",
	        lambda: s["head2"].get("/portal/pegawai/laporan/%s/laporan-polisi" % report))
	# The superior named reads both letters, as they were uploaded; each read audited.
	reads = db.one("SELECT COUNT(*) FROM audit WHERE action = 'revocation.read-letter'")
	for which, name, ctype in (("pernyataan", "pengantar.pdf", "application/pdf"),
	                           ("laporan-polisi", "ktp.png", "image/png")):
		st, hd, data = s["head"].get("/portal/pegawai/laporan/%s/%s" % (report, which), binary=True)
		check(st == 200 and hget(hd, "Content-Type") == [ctype] and
		      data == open(os.path.join(cfg["files"], name), "rb").read(),
		      "the superior named reads the %s as uploaded (%s)" % (which, ctype), str(st))
		check(hget(hd, "X-Content-Type-Options") == ["nosniff"] and
		      hget(hd, "Cache-Control") == ["no-store"], "the %s is never sniffed nor cached" % which)
	check(db.one("SELECT COUNT(*) FROM audit WHERE action = 'revocation.read-letter'") == reads + 2,
	      "each read of a letter is in the audit trail")
	body = refused("the head uses an owner's cause",
	               lambda: s["head"].post("/portal/pegawai/cabut/%s" % wati,
	                                      {"sebab": "permintaan-pemilik", "alasan": "x", "yakin": "1"}), (400, 403))
	check("Pilih salah satu sebab" in body, "the head is told to choose one of the head's causes")
	refused("the head uses the OP's cause",
	        lambda: s["head"].post("/portal/pegawai/cabut/%s" % wati,
	                               {"sebab": "sanksi", "alasan": "x", "yakin": "1"}), (400, 403))
	st, _, body = s["auditor"].get("/portal/sertifikat")
	check(st == 200 and 'class="manage"' not in body and "/perpanjang" not in body,
	      "the auditor's certificate list offers no owner action")


def head_flow(p, cfg, db):
	base, wati, dedi = cfg["base"] + "/portal", cfg["serial"]["wati"], cfg["serial"]["dedi"]
	browser_login(p, cfg, "head")
	p.goto(base + "/pegawai")
	t, h = p.text(), html(p)
	check(all(n in t for n in ("Rina Lestari", "Dedi Kurnia", "Wati Sulastri")), "the head lists the staff", t[:400])
	check(wati in t and "Dicabut" in t and "Berlaku" in t, "with each one's certificates and their status")
	check("3274********0004" in t and cfg["nik"]["wati"] not in h and cfg["nik"]["rina"] not in h,
	      "NIKs masked, nowhere in the page")
	check(p.js("document.querySelectorAll('#loss-list button.akui').length") == 1, "one loss report to acknowledge")
	p.shot("agency")
	p.click_and_load("#loss-list button.akui")
	check("Laporan diakui" in p.text() and "Diakui" in p.text(), "the acknowledgement is recorded", p.text()[:300])
	check(db.one("SELECT acknowledged_at IS NOT NULL FROM revocation_requests WHERE serial = ?", dedi) == 1,
	      "the store holds the time of the acknowledgement")
	p.shot("agency-acked")
	s = Session(cfg, "head")
	report = db.one("SELECT id FROM revocation_requests WHERE serial = ?", dedi)
	snap = db.snapshot()
	st, _, body = s.post("/portal/pegawai/laporan/%s/akui" % report, {})
	check(st == 409 and "sudah diakui" in body, "a second acknowledgement is refused (409), in Bahasa Indonesia",
	      str(st))
	check(db.snapshot() == snap, "a second acknowledgement changes nothing")

	p.click_and_load("a.revoke[href$='/pegawai/cabut/%s']" % wati)
	t = p.text()
	check(all(w in t for w in ("Mutasi", "Meninggal dunia", "Mengundurkan diri", "Pensiun")),
	      "the head's causes in plain Indonesian", t[:400])
	check("mengundurkan-diri" not in t and "permintaan-pemilik" not in t, "no cause code shown")
	p.shot("agency-revoke")
	p.js("document.querySelector('input[name=sebab][value=pensiun]').checked = true")
	fill(p, "#alasan", "SK pensiun Nomor 800/123/BKPSDM/2026")
	p.click_and_load("#lanjut")
	check("Sertifikat ini akan dicabut dan tidak dapat dipakai lagi" in p.text() and "Pensiun" in p.text(),
	      "the head confirms first", p.text()[:300])
	check(db.one("SELECT revoked FROM certs WHERE serial = ?", wati) == 0, "nothing revoked before the confirmation")
	p.shot("agency-revoke-confirm")
	p.click_and_load("#yakin")
	check("ok=dicabut" in p.url(), "revoked after the confirmation", p.url())
	check(db.one("SELECT revoked || ':' || reason FROM certs WHERE serial = ?", wati) == "1:5",
	      "the store: revoked, cessationOfOperation")
	p.shot("agency-revoked")
	# The 403 page as a browser shows it.
	browser_login(p, cfg, "rina")
	p.goto(base + "/pemilik/%s" % wati)
	check("bukan milik Anda" in p.text(), "the owner's refusal page in the browser", p.text()[:200])
	p.shot("error-403-owner")


if __name__ == "__main__":
	sys.exit(main(sys.argv))
