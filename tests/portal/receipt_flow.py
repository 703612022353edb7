#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The desk receipt signed by its witness, in a real headless Chromium.

usage: receipt_flow.py CONFIG.json   (written by test_portal_receipt.sh)

op1 (a key sealed on the server under their passphrase) issues Siti's
certificate at the desk; the done page and the application page offer
"Tanda tangani tanda terima" to op1 only.  A wrong passphrase is refused on
the page (never echoed back) and counted in esign_owners as the e-sign API
counts it; the right one returns the signed PDF as an attachment (saved for
pdfsig, qpdf and sertel verify in the shell part, with the unsigned receipt
next to it).  Raw HTTP tries GET and POST /portal/tanda-terima/ID as every
role and without the CSRF token: 403 (the login redirect when anonymous)
and the store unchanged.  op2 (a certificate from a CSR, no sealed key)
witnesses Andi's issuance and reads why they cannot sign.  Once op1 enrols
TOTP the code is asked for; five wrong passphrases lock the key, the page
says so, and the e-sign API refuses op1's right passphrase too (2051).

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import base64
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, request, summary  # noqa: E402
# The desk flow's people and helpers: the desk code from the mailbox, a
# session for raw requests, typing into a field, a multipart body.
from desk_flow import (ANDI, AUDITOR, KADIS, OP1, OP2, SITI, STRONG, codes, multipart,  # noqa: E402
                       new_code, session_of, type_into)
from desk_flow import Store as DeskStore  # noqa: E402
from owner_flow import totp_code  # noqa: E402


class Store(DeskStore):
	"""The desk flow's counts, and what a signing may change."""

	def snapshot(self):
		return tuple(self.count("SELECT COUNT(*) FROM " + t) for t in ("audit", "esign_docs", "blobs")) + (
			self.count("SELECT COALESCE(SUM(failures), 0) || ':' || COALESCE(SUM(locked), 0) FROM esign_owners"),)

	def failures(self, nik):
		return self.count("SELECT COALESCE((SELECT failures FROM esign_owners WHERE nik = ?), 0)", nik)


def desk_issue(p, base, maildir, app, email, who):
	"""The operator logged in issues app at the desk (a generated key)."""
	p.goto(base + "/portal/permohonan/" + app)
	if not check(p.js("!!document.getElementById('mulai-loket')"), "%s starts the desk session" % who):
		return False
	before = codes(maildir, email)
	p.click_and_load("#mulai-loket")
	code = new_code(maildir, email, before)
	if not check(code is not None, "%s: the desk code arrived in the applicant's mailbox" % who):
		return False
	p.js("document.getElementById('kode').value = %s" % json.dumps(code))
	p.js("document.getElementById('setuju').checked = true")
	type_into(p, "sandi", STRONG)
	type_into(p, "sandi2", STRONG)
	p.click_and_load("#terbitkan")
	return check("Sertifikat terbit" in p.text(), "%s: the certificate is issued at the desk" % who,
	             p.text()[:200])


def form_post(base, path, cookies, fields):
	return request(base, "POST", path, urllib.parse.urlencode(fields).encode(), cookies=cookies)


def main():
	cfg = json.load(open(sys.argv[1]))
	base, md, tmp, pw = cfg["base"], cfg["maildir"], cfg["tmp"], cfg["pw"]
	app, app2 = cfg["app_siti"], cfg["app_andi"]
	op1_nik = cfg["nik"]["op1"]
	store = Store(cfg["db"])
	sign_path = "/portal/tanda-terima/" + app
	p = Page(cfg["shots"])
	try:
		# ---- op1 witnesses Siti's issuance --------------------------------
		op1, op1_csrf = session_of(p, base, md, OP1)
		if op1 is None or not desk_issue(p, base, md, app, SITI, "op1"):
			return
		check(p.js("!!document.getElementById('form-tanda-tangan')"),
		      "done page: the witness sees 'Tanda tangani tanda terima'")
		check("Tanda tangani tanda terima" in p.text(), "done page: ... in Bahasa Indonesia")
		check(p.js("document.getElementById('form-tanda-tangan').getAttribute('autocomplete')") == "off" and
		      p.js("document.getElementById('sandi-ttd').getAttribute('autocomplete')") == "off" and
		      p.js("document.getElementById('sandi-ttd').type") == "password",
		      "the passphrase field is a password field, autocomplete=off")
		check(not p.js("!!document.getElementById('totp-ttd')"), "no TOTP field before op1 enrols TOTP")
		p.shot("receipt-done")
		# A wrong passphrase: on the page, counted as the API counts it.
		before = store.snapshot()
		type_into(p, "sandi-ttd", "Salah-Sekali-99")
		p.click_and_load("#tanda-tangani")
		check("Passphrase anda salah" in p.text(), "a wrong passphrase is refused on the page",
		      p.text()[:300])
		check(p.js("document.getElementById('sandi-ttd').value") == "" and
		      "Salah-Sekali-99" not in p.js("document.documentElement.outerHTML"),
		      "the wrong passphrase is not echoed back")
		check(store.failures(op1_nik) == 1, "the wrong passphrase is counted (esign_owners.failures = 1)",
		      str(store.failures(op1_nik)))
		check(store.count("SELECT COUNT(*) FROM esign_docs") == before[1], "nothing signed by the refusal")
		p.shot("receipt-wrong")
		# The right one: the signed PDF, an attachment with a clear name.
		st, _, unsigned = request(base, "GET", "/portal/permohonan/%s/tanda-terima.pdf" % app, cookies=op1)
		check(st == 200 and unsigned.startswith(b"%PDF-"), "the unsigned receipt is served", str(st))
		open(os.path.join(tmp, "unsigned.pdf"), "wb").write(unsigned)
		audits = store.count("SELECT COUNT(*) FROM audit")
		st, hd, body = form_post(base, sign_path, op1, {"csrf": op1_csrf, "sandi": pw})
		hd = dict(hd)
		check(st == 200 and hd.get("Content-Type", "").startswith("application/pdf"),
		      "the right passphrase returns a PDF", "%s %s %r" % (st, hd.get("Content-Type"), body[:200]))
		check(hd.get("Content-Disposition") == 'attachment; filename="tanda-terima-%s-ditandatangani.pdf"' % app,
		      "Content-Disposition: attachment, a clear file name", hd.get("Content-Disposition", ""))
		check(hd.get("Cache-Control") == "no-store", "the signed receipt is not cached")
		open(os.path.join(tmp, "signed.pdf"), "wb").write(body)
		check(body.startswith(unsigned), "the signed file starts with the receipt's bytes")
		check(store.failures(op1_nik) == 0, "a right passphrase resets the count, as in the API")
		c = sqlite3.connect("file:%s?mode=ro" % cfg["db"], uri=True, timeout=10)
		new = [r[0] for r in c.execute("SELECT action FROM audit ORDER BY seq LIMIT -1 OFFSET ?", (audits,))]
		c.close()
		# esign.passphrase.ok: the count reset after the wrong one, as in the API.
		check(new == ["esign.passphrase.ok", "esign.sign", "receipt.sign"],
		      "the trail: the count's reset, then esign.sign and receipt.sign (one transaction)", repr(new))
		check(store.count("SELECT COUNT(*) FROM audit WHERE action = 'receipt.sign' AND object = ? AND actor = ? "
		                  "AND reason LIKE 'tanda terima ditandatangani; cert %'",
		                  "application:" + app, "nik:" + op1_nik) == 1, "receipt.sign: actor, application, reason")
		# The application page and the signing page offer the same.
		p.goto(base + "/portal/permohonan/" + app)
		check(p.js("!!document.getElementById('form-tanda-tangan')") and p.js("!!document.getElementById('tanda-terima')"),
		      "application page: the witness sees the receipt link and the signing form")
		p.shot("receipt-app")
		p.goto(base + sign_path)
		check(p.js("!!document.getElementById('form-tanda-tangan')") and "Tanda tangani tanda terima" in p.text(),
		      "GET /portal/tanda-terima/ID: the signing page")
		p.shot("receipt-page")
		# Without the CSRF token, and a forged token: refused, nothing changed.
		before = store.snapshot()
		st, _, _ = form_post(base, sign_path, op1, {"sandi": pw})
		check(st == 403, "op1 without the CSRF token: 403", str(st))
		st, _, _ = form_post(base, sign_path, op1, {"csrf": "0" * 64, "sandi": pw})
		check(st == 403, "op1 with a forged CSRF token: 403", str(st))
		check(store.snapshot() == before, "... the store unchanged", "%r %r" % (before, store.snapshot()))

		# ---- every other role ---------------------------------------------
		sessions = {}
		for name, email in (("Siti (the owner)", SITI), ("Andi (another applicant)", ANDI),
		                    ("op2 (another operator)", OP2), ("the Kepala Dinas", KADIS),
		                    ("the auditor", AUDITOR)):
			c, t = session_of(p, base, md, email)
			sessions[name] = (c, t)
			p.goto(base + "/portal/permohonan/" + app)
			check(not p.js("!!document.getElementById('tanda-tangan')") and
			      not p.js("!!document.getElementById('sandi-ttd')"),
			      "%s: no signing form on the application page" % name)
		before = store.snapshot()
		st, hd, _ = request(base, "GET", sign_path)
		check(st in (302, 303) and "/portal/masuk" in dict(hd).get("Location", ""),
		      "anonymous GET: the login redirect", str(st))
		st, hd, _ = form_post(base, sign_path, None, {"sandi": pw})
		check(st in (302, 303, 403), "anonymous POST: refused (%d)" % st)
		for name, (c, t) in sessions.items():
			if c is None:
				continue
			st, _, _ = request(base, "GET", sign_path, cookies=c)
			check(st == 403, "%s GET: 403" % name, str(st))
			# With their own valid token and the witness's right passphrase.
			st, hd, body = form_post(base, sign_path, c, {"csrf": t, "sandi": pw})
			check(st == 403 and not body.startswith(b"%PDF"), "%s forged POST: 403" % name, str(st))
		check(store.snapshot() == before, "every refusal left the store as it was",
		      "%r %r" % (before, store.snapshot()))
		st, _, _ = form_post(base, "/portal/tanda-terima/0123456789abcdef", op1, {"csrf": op1_csrf, "sandi": pw})
		check(st == 404, "an unknown application: 404", str(st))
		st, _, _ = form_post(base, "/portal/tanda-terima/..%2f..", op1, {"csrf": op1_csrf, "sandi": pw})
		check(st in (400, 404), "a malformed id: refused", str(st))

		# ---- op2 witnesses Andi's issuance, with no sealed key ------------
		op2, op2_csrf = sessions["op2 (another operator)"]
		p.b.send("Network.clearBrowserCookies")
		op2, op2_csrf = session_of(p, base, md, OP2)
		if op2 is not None and desk_issue(p, base, md, app2, ANDI, "op2"):
			check(p.js("!!document.getElementById('tanpa-kunci')") and
			      not p.js("!!document.getElementById('form-tanda-tangan')") and
			      not p.js("!!document.getElementById('tanda-tangani')"),
			      "op2 without a sealed key: a sentence why, no form, no button")
			check("tidak disimpan" in p.js("document.getElementById('tanpa-kunci').innerText"),
			      "... in Bahasa Indonesia")
			p.shot("receipt-nokey")
			before = store.snapshot()
			st, _, body = form_post(base, "/portal/tanda-terima/" + app2, op2, {"csrf": op2_csrf, "sandi": pw})
			check(st == 400 and b"tidak disimpan di server" in body,
			      "op2's POST anyway: refused with the e-sign service's reason", str(st))
			check(store.snapshot() == before, "... the store unchanged")

		# ---- TOTP, once enrolled, is asked for -------------------------------
		p.b.send("Network.clearBrowserCookies")
		op1, op1_csrf = session_of(p, base, md, OP1)
		r = subprocess.run([cfg["bin"], "esign", "totp", "enrol", "--dir", cfg["dir"], "--nik", op1_nik,
		                    "--passphrase-file", os.path.join(tmp, "pass.txt"), "--json"],
		                   capture_output=True, text=True)
		secret = json.loads(r.stdout)["secret"] if r.returncode == 0 else None
		if check(secret is not None, "op1 enrols TOTP (sertel esign totp enrol)", r.stderr[-200:]):
			p.goto(base + "/portal/permohonan/" + app)
			check(p.js("!!document.getElementById('totp-ttd')"), "the form now asks for the TOTP code")
			p.shot("receipt-totp")
			before = store.snapshot()
			st, _, body = form_post(base, sign_path, op1, {"csrf": op1_csrf, "sandi": pw})
			check(st in (400, 401, 403) and not body.startswith(b"%PDF") and b"TOTP" in body,
			      "without the code: refused on the page", str(st))
			check(store.count("SELECT COUNT(*) FROM esign_docs") == before[1], "... nothing signed")
			st, hd, body = form_post(base, sign_path, op1, {"csrf": op1_csrf, "sandi": pw,
			                                                "totp": totp_code(secret)})
			check(st == 200 and body.startswith(unsigned), "with the code: the signed receipt", str(st))
			open(os.path.join(tmp, "signed-totp.pdf"), "wb").write(body)
			r = subprocess.run([cfg["bin"], "esign", "totp", "disable", "--dir", cfg["dir"], "--nik", op1_nik],
			                   capture_output=True, text=True)
			check(r.returncode == 0, "TOTP disabled again (sertel esign totp disable)", r.stderr[-200:])

		# ---- the lock: the API's, shared -------------------------------------
		fails = store.failures(op1_nik)
		for i in range(5):
			st, _, body = form_post(base, sign_path, op1, {"csrf": op1_csrf, "sandi": "Salah-Lagi-%d" % i})
		check(store.failures(op1_nik) >= 5 and
		      store.count("SELECT locked FROM esign_owners WHERE nik = ?", op1_nik) == 1,
		      "five wrong passphrases lock op1's key ([esign] max_failures)",
		      "%s -> %s" % (fails, store.failures(op1_nik)))
		check(b"dikunci" in body, "the last refusal says the key is locked")
		p.goto(base + "/portal/permohonan/" + app)
		check(p.js("!!document.getElementById('terkunci')") and not p.js("!!document.getElementById('sandi-ttd')"),
		      "the application page says the key is locked, no form")
		p.shot("receipt-locked")
		st, _, body = form_post(base, sign_path, op1, {"csrf": op1_csrf, "sandi": pw})
		check(st == 403 and not body.startswith(b"%PDF"), "locked: even the right passphrase is refused", str(st))
		# The e-sign API sees the same lock.
		r = subprocess.run([cfg["bin"], "client", "add", "--dir", cfg["dir"], "--name", "uji-kuitansi",
		                    "--perms", "sign"], capture_output=True, text=True)
		secret = r.stdout.strip().split()[-1] if r.returncode == 0 and r.stdout.strip() else ""
		mp, ctype = multipart([("nik", op1_nik), ("passphrase", pw), ("tampilan", "invisible"),
		                       ("file", ("a.pdf", unsigned))])
		auth = base64.b64encode(("uji-kuitansi:" + secret).encode()).decode()
		st, _, body = request(base, "POST", "/api/sign/pdf", mp, ctype=ctype,
		                      headers={"Authorization": "Basic " + auth})
		try:
			code = json.loads(body).get("status_code")
		except ValueError:
			code = None
		check(st == 403 and code == 2051, "the e-sign API refuses op1's right passphrase too (2051, locked)",
		      "%s %r" % (st, body[:200]))
	finally:
		# Refusals load with their 4xx status; anything else is an error.
		errs = [e for e in p.errors() if not re.search(r"status of 4\d\d", e)]
		check(not errs, "no JavaScript errors", "; ".join(errs)[:300])
		p.close()


if __name__ == "__main__":
	main()
	sys.exit(summary())
