#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Issuance in person at the OP desk, in a real headless Chromium.

usage: desk_flow.py BASE_URL MAILDIR OUTDIR DBFILE TMPDIR AGREEMENT_FILE
                    APP_INDIVIDU APP_JABATAN APP_SISTEM APP_OWN APP_SUBMITTED
                    CSR CADIR FILES

For each type, op1 (logged in by link) opens the approved application,
starts the desk session, reads the code the applicant received from the
real SMTP mailbox, sees the agreement in force in full (compared with
AGREEMENT_FILE and its SHA-256), watches the live passphrase check react,
has a wrong code and an unticked agreement refused (nothing issued, the
passphrase never echoed back), then issues: a generated sealed key for
individu and jabatan, the owner's CSR for sistem (after a file that is not
a CSR is refused).  The receipt PDF is judged by qpdf --check and
pdftotext (the serial); the owner logs in by link, finds the certificate
under /portal/sertifikat, downloads the PEM and openssl verify accepts it.
Raw HTTP then tries every desk route as every role (anonymous, the owner,
another applicant, the witness, another operator, a head of agency, the
Kepala Dinas, an auditor) and counts the store before and after each
refusal.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_by_link, raw, request, set_file, summary, wait_mail  # noqa: E402

OP1 = "op1@kominfo.cirebonkota.go.id"
OP2 = "op2@kominfo.cirebonkota.go.id"
SITI = "siti@kominfo.cirebonkota.go.id"
ANDI = "andi@kominfo.cirebonkota.go.id"
RINA = "rina@kominfo.cirebonkota.go.id"
HEAD = "kepala@kominfo.cirebonkota.go.id"
KADIS = "kadis@kominfo.cirebonkota.go.id"
AUDITOR = "budi@kominfo.cirebonkota.go.id"
STRONG = "Kopi-Tubruk-2026!"
CODE_RE = r"Kode penerbitan: (\d{8})"


class Store:
	"""Counts in the store, read through a second connection."""

	def __init__(self, path):
		self.path = path

	def count(self, sql, *args):
		c = sqlite3.connect("file:%s?mode=ro" % self.path, uri=True, timeout=10)
		try:
			return c.execute(sql, args).fetchone()[0]
		finally:
			c.close()

	def snapshot(self):
		return tuple(self.count("SELECT COUNT(*) FROM " + t)
		             for t in ("desk_sessions", "audit", "certs", "acceptances", "mail_queue"))

	def desk_state(self, desk):
		return self.count("SELECT state || ':' || attempts FROM desk_sessions WHERE id = ?", desk)


def raw_bytes(base, path, cookies):
	st, hd, data = request(base, "GET", path, cookies=cookies)
	return st, dict(hd), data


def multipart(fields, boundary="----deskflow7MA4YWxkTrZu0gW"):
	body = b""
	for name, value in fields:
		if isinstance(value, tuple):
			fname, data = value
			body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
			         "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, fname)).encode()
			body += data + b"\r\n"
		else:
			body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
			         % (boundary, name, value)).encode()
	body += ("--%s--\r\n" % boundary).encode()
	return body, "multipart/form-data; boundary=" + boundary


def codes(maildir, to):
	return [c for b in wait_mail(maildir, to, -1, 1) for c in re.findall(CODE_RE, b)]


def new_code(maildir, to, before):
	deadline = time.monotonic() + 30
	while time.monotonic() < deadline:
		now = codes(maildir, to)
		if len(now) > len(before):
			return now[-1]
		time.sleep(0.3)
	return None


def logout(p, base):
	p.goto(base + "/portal/")
	if p.js("!!document.querySelector('form.logout button')"):
		p.click_and_load("form.logout button")
	p.b.send("Network.clearBrowserCookies")


def session_of(p, base, maildir, email):
	"""Logs email in; its session cookie and CSRF token.  The session before
	is left open (only forgotten by the browser): the raw requests use it."""
	p.b.send("Network.clearBrowserCookies")
	if not check(login_by_link(p, base, maildir, email), "%s logs in by link" % email):
		return None
	return ({"sertel_sesi": p.cookies()["sertel_sesi"]},
	        p.js("document.querySelector('form.logout input[name=csrf]').value"))


def type_into(p, field, text):
	p.js("(function(){var e=document.getElementById(%s);e.value='';e.focus();})()" % json.dumps(field))
	p.type(text)


def fill(p, code, agree, pass1=None, pass2=None):
	p.js("document.getElementById('kode').value = %s" % json.dumps(code))
	p.js("document.getElementById('setuju').checked = %s" % ("true" if agree else "false"))
	if pass1 is not None:
		type_into(p, "sandi", pass1)
		type_into(p, "sandi2", pass2 if pass2 is not None else pass1)


def desk_issue(p, base, maildir, store, agreement, app, kind, email, name, csr, files, shots):
	"""op1 issues app at the desk; the serial, or None."""
	portal = base + "/portal"
	p.goto(portal + "/permohonan/" + app)
	if not check(p.js("!!document.getElementById('mulai-loket')"),
	             "%s: the operator sees 'Mulai penerbitan di loket'" % kind):
		return None
	if shots:
		p.shot("app-desk-start")
	before = codes(maildir, email)
	p.click_and_load("#mulai-loket")
	m = re.search(r"/portal/loket/([0-9a-f]{16})", p.url())
	if not check(m is not None, "%s: the desk page opens" % kind, p.url()):
		return None
	desk = m.group(1)
	code = new_code(maildir, email, before)
	check(code is not None, "%s: the code arrived in the applicant's real mailbox" % kind)
	if code is None:
		return None
	check(store.count("SELECT COUNT(*) FROM desk_sessions WHERE code_hash LIKE ?", "%" + code + "%") == 0,
	      "%s: the code is not in the store" % kind)
	text = p.text()
	check(name in text, "%s: the applicant's name is shown" % kind)
	shown = p.js("document.getElementById('teks-perjanjian').textContent")
	check(shown == agreement, "%s: the agreement in force is shown in full" % kind,
	      "%r" % (shown or "")[:80])
	sha = hashlib.sha256(agreement.encode()).hexdigest()
	check("Versi 2" in text and sha in text, "%s: its version and SHA-256 are shown" % kind)
	check(p.js("document.getElementById('setuju').checked") is False,
	      "%s: the agreement box is not pre-ticked" % kind)
	check("versi 2" in p.js("document.querySelector('label[for=setuju]').innerText"),
	      "%s: the box names the version" % kind)
	check(p.js("document.getElementById('sandi').autocomplete") == "new-password" and
	      p.js("document.getElementById('sandi2').autocomplete") == "new-password",
	      "%s: passphrase fields are autocomplete=new-password" % kind)
	# The agreement box is in view at its full length: not cut by a scroll box.
	check(p.js("(function(){var e=document.getElementById('teks-perjanjian');"
	           "return e.scrollHeight <= e.clientHeight + 1})()"),
	      "%s: the agreement is not hidden in a scroll box" % kind)
	if shots:
		p.shot("desk")
	# Live strength check (web/passphrase.js).
	type_into(p, "sandi", "abc")
	weak = p.js("document.getElementById('sandi-status').className")
	check("bad" in weak and "belum" in p.js("document.getElementById('sandi-status').innerText"),
	      "%s: live check: a weak passphrase gets a message" % kind, weak)
	check(p.js("document.getElementById('aturan-panjang').className") == "bad",
	      "%s: live check: the length rule is marked unmet" % kind)
	if shots:
		p.shot("desk-weak")
	type_into(p, "sandi", name + "-2026")
	check(p.js("document.getElementById('aturan-identitas').className") == "bad",
	      "%s: live check: the applicant's name in it is marked" % kind)
	type_into(p, "sandi", STRONG)
	type_into(p, "sandi2", STRONG)
	ok = p.js("document.getElementById('sandi-status').className")
	check("ok" in ok and "memenuhi" in p.js("document.getElementById('sandi-status').innerText"),
	      "%s: live check: a strong passphrase is ok" % kind, ok)
	if shots:
		p.shot("desk-strong")
	certs = store.count("SELECT COUNT(*) FROM certs")
	# A wrong code: refused next to the field, counted, nothing issued.
	wrong = "%08d" % ((int(code) + 1) % 100000000)
	fill(p, wrong, True, STRONG)
	p.click_and_load("#terbitkan")
	check(p.js("!!document.getElementById('kode-err')"), "%s: a wrong code is refused next to the field" % kind)
	check("Kode penerbitan salah" in p.text(), "%s: ... in Bahasa Indonesia" % kind)
	check(p.js("document.getElementById('sandi').value") == "" and
	      STRONG not in p.js("document.documentElement.outerHTML"),
	      "%s: the passphrase is not echoed back" % kind)
	check(store.desk_state(desk) == "open:1", "%s: the wrong code is counted, the session open" % kind,
	      store.desk_state(desk))
	if shots:
		p.shot("desk-wrong-code")
	# The agreement unticked: refused, the session not consumed.
	fill(p, code, False, STRONG)
	p.click_and_load("#terbitkan")
	check(p.js("!!document.getElementById('setuju-err')"),
	      "%s: the agreement unticked is refused next to it" % kind)
	check(store.desk_state(desk) == "open:1", "%s: ... and the session is not consumed" % kind,
	      store.desk_state(desk))
	if shots:
		p.shot("desk-agree")
	if kind == "individu":
		# The server checks the rules again (here: the applicant's name).
		fill(p, code, True, "siti aminah 2026")
		p.click_and_load("#terbitkan")
		check(p.js("!!document.getElementById('sandi-err')"),
		      "individu: a passphrase with the applicant's name is refused by the server")
		fill(p, code, True, STRONG, STRONG + "x")
		p.click_and_load("#terbitkan")
		check(p.js("!!document.getElementById('sandi2-err')"), "individu: two different passphrases refused")
		p.shot("desk-weak-server")
	check(store.count("SELECT COUNT(*) FROM certs") == certs and store.desk_state(desk) == "open:1",
	      "%s: nothing issued by any refusal" % kind)
	if csr:
		# What the certificate will say, as the issuance writes it: with
		# ssl-server its CN is its first DNS name (CA/B BR 7.1.4.3).
		check(p.js("document.getElementById('subjek').textContent") == "layanan.kominfo.cirebonkota.go.id",
		      "sistem: the desk shows the CN the certificate will carry (its DNS name)")
		p.js("document.getElementById('kunci-csr').checked = true")
		set_file(p, "#csr", os.path.join(files, "palsu.pdf"))
		fill(p, code, True)
		p.click_and_load("#terbitkan")
		check(p.js("!!document.getElementById('csr-err')"), "sistem: a file that is no CSR is refused")
		check(p.js("document.getElementById('kunci-csr').checked"), "sistem: the key choice is kept")
		p.shot("desk-csr-bad")
		p.js("document.getElementById('kunci-csr').checked = true")
		set_file(p, "#csr", csr)
		fill(p, code, True)
		p.shot("desk-csr")
	else:
		fill(p, code, True, STRONG)
	p.click_and_load("#terbitkan")
	serial = p.js("(function(){var e=document.getElementById('serial');return e&&e.dataset.serial})()")
	check(serial is not None and "Sertifikat terbit" in p.text(), "%s: 'Sertifikat terbit' with the serial" % kind,
	      p.text()[:200])
	check(store.count("SELECT COUNT(*) FROM certs") == certs + 1, "%s: one certificate issued" % kind)
	check(store.desk_state(desk) == "issued:1", "%s: the desk session is used" % kind, store.desk_state(desk))
	check(store.count("SELECT COUNT(*) FROM sealed_keys WHERE serial = ?", serial or "") == (0 if csr else 1),
	      "%s: %s" % (kind, "no sealed key (the owner's CSR)" if csr else "the key is sealed in the store"))
	check(p.js("!!document.getElementById('masa-berlaku')") and
	      p.js("document.getElementById('tanda-terima').getAttribute('href')") ==
	      "/portal/permohonan/%s/tanda-terima.pdf" % app, "%s: validity and the receipt link" % kind)
	if shots:
		p.shot("desk-done")
	# Replaying the same form: refused, nothing more issued.
	return serial, desk, code


def judge_receipt(base, tmp, cookies, app, serial, kind):
	st, h, pdf = raw_bytes(base, "/portal/permohonan/%s/tanda-terima.pdf" % app, cookies)
	check(st == 200 and h.get("Content-Type", "").startswith("application/pdf"),
	      "%s: the receipt is a PDF" % kind, "%d %s" % (st, h.get("Content-Type")))
	check("inline" in h.get("Content-Disposition", ""), "%s: the receipt opens inline (for printing)" % kind)
	path = os.path.join(tmp, "receipt-%s.pdf" % kind)
	with open(path, "wb") as f:
		f.write(pdf)
	r = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
	check(r.returncode == 0, "%s: qpdf --check accepts the receipt" % kind, r.stdout[-200:] + r.stderr[-200:])
	r = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True)
	flat = re.sub(r"\s+", "", r.stdout).upper()
	check(serial is not None and serial.upper() in flat, "%s: pdftotext shows the serial" % kind)
	check("3274010101820001" in flat or "OPERATORSATU" in flat,
	      "%s: the receipt names the witness operator" % kind)


def owner_downloads(p, base, maildir, tmp, cadir, email, serial, kind):
	logout(p, base)
	if not check(login_by_link(p, base, maildir, email), "%s: the owner logs in by link" % kind):
		return
	p.goto(base + "/portal/sertifikat")
	check(serial is not None and serial in p.js("document.documentElement.outerHTML"),
	      "%s: the certificate is listed under /portal/sertifikat" % kind)
	# The page's CSP allows no fetch(); the owner's session cookie, as the
	# download link sends it.
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	st, _, data = raw_bytes(base, "/portal/sertifikat/%s.pem" % serial, sess)
	check(st == 200, "%s: the owner downloads the PEM" % kind, "status %d" % st)
	pem = data.decode("ascii", "replace")
	path = os.path.join(tmp, "owner-%s.pem" % kind)
	with open(path, "w") as f:
		f.write(pem or "")
	blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?", pem or "", re.S)
	check(len(blocks) == 3, "%s: the PEM holds the certificate and its chain" % kind, str(len(blocks)))
	if len(blocks) == 3:
		with open(path + ".leaf", "w") as f:
			f.write(blocks[0])
		with open(path + ".chain", "w") as f:
			f.write("".join(blocks[1:]))
		r = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(cadir, "root.pem"),
		                    "-untrusted", path + ".chain", path + ".leaf"], capture_output=True, text=True)
		check(r.returncode == 0, "%s: openssl verify accepts the downloaded certificate" % kind,
		      r.stdout + r.stderr)
		r = subprocess.run(["openssl", "verify", "-CAfile", path + ".chain", path + ".leaf"],
		                   capture_output=True, text=True)
		check(r.returncode == 0, "%s: openssl verify -CAfile chain accepts it" % kind, r.stdout + r.stderr)
	return sess


def roles_flow(p, base, maildir, store, apps, own, sub, issued_app, tmp):
	"""Every desk route as every role, with raw HTTP."""
	who = {}
	for name, email in (("owner", SITI), ("other applicant", ANDI), ("witness", OP1),
	                    ("other operator", OP2), ("head of agency", HEAD), ("Kepala Dinas", KADIS),
	                    ("auditor", AUDITOR)):
		s = session_of(p, base, maildir, email)
		if s is None:
			return
		who[name] = s
		# Whoever is no operator sees no start button on an approved application.
		p.goto(base + "/portal/permohonan/" + own)
		has = p.js("!!document.getElementById('mulai-loket')")
		if name == "other operator":
			check(has, "%s: sees the start button on op1's application" % name)
		elif name in ("auditor", "Kepala Dinas"):
			check(not has and p.js("document.querySelectorAll('form[method=post]').length") == 1,
			      "%s: no mutating control on an approved application (only logout)" % name)
		else:
			check(not has, "%s: no start button" % name)
	p.b.send("Network.clearBrowserCookies")

	def refused(name, method, path, body=None, ctype=None, want=(403,), cookies="x", what=""):
		snap = store.snapshot()
		c = who[name][0] if cookies == "x" else cookies
		st, h, _ = raw(base, method, path, body, cookies=c, ctype=ctype)
		if name == "anonymous":
			ok = st == 303 and h.get("Location", "").endswith("/portal/masuk")
		else:
			ok = st in want
		check(ok, "%s: %s %s %s refused" % (name, method, path, what), "status %d" % st)
		check(store.snapshot() == snap, "%s: %s %s %s changed nothing" % (name, method, path, what))

	# POST /portal/loket (start).
	for name in ("owner", "other applicant", "head of agency", "Kepala Dinas", "auditor"):
		refused(name, "POST", "/portal/loket", "csrf=%s&permohonan=%s" % (who[name][1], own))
	who["anonymous"] = ({}, "")
	refused("anonymous", "POST", "/portal/loket", "csrf=x&permohonan=%s" % own, cookies={})
	refused("witness", "POST", "/portal/loket", "permohonan=%s" % own, what="without the CSRF token")
	refused("witness", "POST", "/portal/loket", "csrf=%s&permohonan=%s" % (who["witness"][1], own),
	        what="for their own application (no self-issuance)")
	refused("witness", "POST", "/portal/loket", "csrf=%s&permohonan=%s" % (who["witness"][1], sub),
	        want=(409,), what="for an application not approved")
	refused("witness", "POST", "/portal/loket", "csrf=%s&permohonan=%s" % (who["witness"][1], issued_app),
	        want=(409,), what="for an issued application")
	snap = store.snapshot()
	st, h, _ = raw(base, "POST", "/portal/loket", "csrf=%s&permohonan=%s" % (who["other operator"][1], own),
	               cookies=who["other operator"][0])
	m = re.search(r"/portal/loket/([0-9a-f]{16})", h.get("Location", ""))
	check(st == 303 and m, "other operator: starts a desk session for op1's application", "status %d" % st)
	check(store.snapshot()[0] == snap[0] + 1, "other operator: one desk session recorded")
	if not m:
		return
	desk = m.group(1)
	# GET /portal/loket/{id}: the witness only.
	st, _, body = raw(base, "GET", "/portal/loket/" + desk, cookies=who["other operator"][0])
	check(st == 200 and "teks-perjanjian" in body, "the witness opens the desk page", "status %d" % st)
	for name in ("witness", "owner", "other applicant", "head of agency", "Kepala Dinas", "auditor"):
		st, _, body = raw(base, "GET", "/portal/loket/" + desk, cookies=who[name][0])
		check(st == 403 and "teks-perjanjian" not in body, "%s: GET the desk page refused" % name,
		      "status %d" % st)
	st, h, _ = raw(base, "GET", "/portal/loket/" + desk)
	check(st == 303 and h.get("Location", "").endswith("/portal/masuk"), "anonymous: GET the desk page → login")
	# POST /portal/loket/{id} (confirm): nobody but the witness, never without the token.
	form, ctype = multipart([("csrf", who["witness"][1]), ("kode", "12345678"), ("setuju", "2"),
	                         ("kunci", "buat"), ("sandi", STRONG), ("sandi2", STRONG)])
	refused("witness", "POST", "/portal/loket/" + desk, form, ctype, what="(not the witness)")
	for name in ("owner", "other applicant", "head of agency", "Kepala Dinas", "auditor"):
		form, ctype = multipart([("csrf", who[name][1]), ("kode", "12345678"), ("setuju", "2"),
		                         ("kunci", "buat"), ("sandi", STRONG), ("sandi2", STRONG)])
		refused(name, "POST", "/portal/loket/" + desk, form, ctype)
	refused("anonymous", "POST", "/portal/loket/" + desk, form, ctype, cookies={})
	form, ctype = multipart([("kode", "12345678"), ("setuju", "2"), ("kunci", "buat"),
	                         ("sandi", STRONG), ("sandi2", STRONG)])
	refused("other operator", "POST", "/portal/loket/" + desk, form, ctype, what="without the CSRF token")
	check(store.desk_state(desk) == "open:0", "the session is untouched by all that", store.desk_state(desk))
	# Five wrong codes spend it; the page says so and offers a new session.
	for i in range(5):
		form, ctype = multipart([("csrf", who["other operator"][1]), ("kode", "0000000%d" % i),
		                         ("setuju", "2"), ("kunci", "buat"), ("sandi", STRONG), ("sandi2", STRONG)])
		st, _, body = raw(base, "POST", "/portal/loket/" + desk, form, cookies=who["other operator"][0],
		                  ctype=ctype)
	check(st == 400 and STRONG not in body, "a wrong code is a 400 and the passphrase is not echoed", "status %d" % st)
	check(store.desk_state(desk) == "spent:5", "five wrong codes spend the session", store.desk_state(desk))
	p.b.send("Network.clearBrowserCookies")
	if check(login_by_link(p, base, maildir, OP2), "the other operator logs in in the browser"):
		p.goto(base + "/portal/loket/" + desk)
		check("tidak berlaku lagi" in p.text() and p.js("!!document.getElementById('mulai-lagi')") and
		      not p.js("!!document.getElementById('terbitkan')"),
		      "a spent session says so and offers a new one, no issuance form")
		p.shot("desk-spent")
	# GET /portal/permohonan/{id}/tanda-terima.pdf.
	for name in ("owner", "witness", "other operator", "Kepala Dinas", "auditor"):
		st, h, pdf = raw_bytes(base, "/portal/permohonan/%s/tanda-terima.pdf" % issued_app, who[name][0])
		check(st == 200 and pdf.startswith(b"%PDF-"), "%s: the receipt opens" % name, "status %d" % st)
	for name in ("other applicant", "head of agency"):
		st, _, pdf = raw_bytes(base, "/portal/permohonan/%s/tanda-terima.pdf" % issued_app, who[name][0])
		check(st == 403 and not pdf.startswith(b"%PDF-"), "%s: the receipt is refused" % name, "status %d" % st)
	st, h, _ = raw(base, "GET", "/portal/permohonan/%s/tanda-terima.pdf" % issued_app)
	check(st == 303 and h.get("Location", "").endswith("/portal/masuk"), "anonymous: the receipt → login")
	st, _, _ = raw(base, "GET", "/portal/permohonan/%s/tanda-terima.pdf" % sub, cookies=who["witness"][0])
	check(st == 409, "a receipt for an application not issued is 409", "status %d" % st)


def main(argv):
	(base, maildir, outdir, dbfile, tmp, agreement_file, app_ind, app_jab, app_sis, app_own, app_sub,
	 csr, cadir, files) = argv[1:15]
	os.makedirs(outdir, exist_ok=True)
	with open(agreement_file) as f:
		agreement = f.read()
	store = Store(dbfile)
	p = Page(outdir)
	try:
		issued = {}
		check(login_by_link(p, base, maildir, OP1), "op1 logs in by link")
		for app, kind, email, name, use_csr in ((app_ind, "individu", SITI, "Siti Aminah", None),
		                                        (app_jab, "jabatan", RINA, "Rina Kartika", None),
		                                        (app_sis, "sistem", ANDI, "Andi Wijaya", csr)):
			r = desk_issue(p, base, maildir, store, agreement, app, kind, email, name, use_csr, files,
			               kind == "individu")
			if r is None:
				continue
			issued[kind] = (app, email, r[0])
			# The same form sent again (a double click, a replay): refused.
			snap = store.snapshot()
			csrf = p.js("document.querySelector('form.logout input[name=csrf]').value")
			form, ctype = multipart([("csrf", csrf), ("kode", r[2]), ("setuju", "2"), ("kunci", "buat"),
			                         ("sandi", STRONG), ("sandi2", STRONG)])
			st, _, _ = raw(base, "POST", "/portal/loket/" + r[1], form, cookies={"sertel_sesi": p.cookies()["sertel_sesi"]},
			               ctype=ctype)
			check(st == 409 and store.snapshot()[2] == snap[2],
			      "%s: the used desk session issues nothing more" % kind, "status %d" % st)
			judge_receipt(base, tmp, {"sertel_sesi": p.cookies()["sertel_sesi"]}, app, r[0], kind)
		# Refused forms answer 4xx on purpose; what must not be there is a
		# script error (passphrase.js) or a blocked resource.
		errs = [e for e in p.errors() if not re.match(r"log\(network\): Failed to load resource: the "
		                                              r"server responded with a status of 4\d\d", e)]
		check(errs == [], "no script errors in the desk pages", "; ".join(errs))
		for kind, (app, email, serial) in issued.items():
			sess = owner_downloads(p, base, maildir, tmp, cadir, email, serial, kind)
			if sess:
				st, _, pdf = raw_bytes(base, "/portal/permohonan/%s/tanda-terima.pdf" % app, sess)
				check(st == 200 and pdf.startswith(b"%PDF-"), "%s: the owner opens their receipt" % kind)
		if "individu" in issued:
			roles_flow(p, base, maildir, store, issued, app_own, app_sub, issued["individu"][0], tmp)
	except (RuntimeError, TimeoutError, OSError, sqlite3.Error) as e:
		check(False, "the browser flow ran to its end", str(e))
	finally:
		p.close()
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
