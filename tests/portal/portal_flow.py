#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The portal in a real headless Chromium (DevTools protocol, tests/web/cdp.py's
Browser), as an applicant uses it: log in with a one-time link read from a
real SMTP server's mailbox, see the home page, switch language, log out;
plus the refusals a browser never shows (replayed link, forms without their
token) sent as raw HTTP.  Screenshots of every page at 1280x900 and 390x844
go to OUTDIR.

usage: portal_flow.py BASE_URL MAILDIR OUTDIR EMAIL NAME AUDITOR_EMAIL DBFILE OTHER_EMAIL FILES OP1 OP2

The operators' part (N-of-M = 2 for individu): the queue with its filters,
documents shown inline, a return without reasons refused, a return with
reasons the applicant reads and answers by replacing the scan and
resubmitting, two approvals by two operators; an applicant's and an
auditor's forged decisions refused.

The applicant's part: an individu application with three uploads submitted
at once, another saved as a draft, completed through the upload form and
submitted; a file that is not what its name says refused; another
applicant refused the first one's application and its documents.  FILES
holds pengantar.pdf, rekomendasi.pdf, ktp.png and palsu.pdf.

The auditor's part: the audit trail page, its filters and paging, the
"verify the chain" button (intact, then after DBFILE is tampered with by
sqlite3, broken), and an applicant refused there.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_by_link, raw, request, set_file, summary, wait_mail  # noqa: E402,F401


def main(argv):
	base, maildir, outdir, email, name, auditor, dbfile, other, files, op1, op2, kadis = argv[1:13]
	os.makedirs(outdir, exist_ok=True)
	p = Page(outdir)
	try:
		flow(p, base, maildir, email, name)
		first = app_flow(p, base, maildir, email, other, files)
		decide_flow(p, base, maildir, email, auditor, op1, op2, files, first)
		dinas_flow(p, base, maildir, kadis, op1, other)
		audit_flow(p, base, maildir, email, auditor, dbfile)
	except (RuntimeError, TimeoutError, OSError) as e:
		check(False, "the browser flow ran to its end", str(e))
	finally:
		p.close()
	return summary()


def flow(p, base, maildir, email, name):
	portal = base + "/portal"
	# Not logged in: the home page leads to the login page.
	p.goto(portal + "/")
	check(p.url().endswith("/portal/masuk"), "home without a session redirects to /masuk",
	      p.url())
	check(p.js("document.documentElement.lang") == "id", "Bahasa Indonesia first")
	check("Kirim tautan masuk" in p.text(), "login page offers the e-mail link")
	check(p.js("!!document.querySelector('label[for=email]')"), "the e-mail field has a label")
	p.shot("login")

	# Keyboard only: Tab to the field, type, Enter.
	check(p.tab_to("email"), "the e-mail field is reachable with Tab")
	p.type(email)
	seen = len(p.b.events)
	p.key("Enter")
	p._wait_load(seen)
	check("Periksa kotak surat Anda" in p.text(), "Enter submits: 'check your mailbox' page",
	      p.text()[:200])
	p.shot("link-sent")
	bodies = wait_mail(maildir, email, 0)
	check(len(bodies) == 1, "one login link mailed to %s" % email, "%d mails" % len(bodies))
	m = re.search(r"(https?://\S+/portal/masuk/tautan\?t=([0-9a-f]{64}))", bodies[0] if bodies else "")
	check(m is not None, "the mail carries a link with a 256-bit token")
	if m is None:
		return
	link = m.group(1).replace("https://", "http://") if base.startswith("http://") else m.group(1)

	# The link opens a page with a button (a mail scanner's GET spends nothing).
	status, _, body = raw(base, "GET", urllib.parse.urlsplit(link).path + "?" +
	                      urllib.parse.urlsplit(link).query)
	check(status == 200 and "Masuk ke portal" in body, "GET of the link only shows a button")
	p.goto(link)
	check("Lanjutkan masuk" in p.text(), "link page asks to continue")
	p.shot("link-confirm")
	p.click_and_load("#masuk")
	check(p.url().rstrip("/").endswith("/portal"), "after the link: the home page", p.url())
	check(("Selamat datang, %s" % name) in p.text(), "home page greets %s" % name,
	      p.text()[:200])
	check("Anda belum mempunyai permohonan" in p.text(), "no applications yet")
	ck = p.cookies()
	check("sertel_sesi" in ck and re.fullmatch("[0-9a-f]{64}", ck["sertel_sesi"]) is not None,
	      "session cookie set")
	p.shot("dashboard")

	# The same link again: refused.
	status, _, body = raw(base, "POST", "/portal/masuk/tautan/pakai",
	                      "pra=%s&t=%s" % ("a" * 64, m.group(2)),
	                      cookies={"sertel_pra": "a" * 64})
	check(status == 401 and "tidak berlaku" in body, "a used link is refused (401)",
	      "status %d" % status)

	# Forms without their token change nothing.
	sess = {"sertel_sesi": ck["sertel_sesi"]}
	status, _, _ = raw(base, "POST", "/portal/keluar", "csrf=" + "0" * 64, cookies=sess)
	check(status == 403, "logout without the CSRF token: 403", "status %d" % status)
	status, _, body = raw(base, "GET", "/portal/", cookies=sess)
	check(status == 200 and name in body, "the session survived the forged logout")
	status, _, _ = raw(base, "POST", "/portal/masuk/tautan", "email=" + email)
	check(status == 403, "link request without the form token: 403", "status %d" % status)
	status, _, _ = raw(base, "POST", "/portal/masuk/tautan", '{"email":"x"}',
	                   cookies={"sertel_pra": "b" * 64}, ctype="application/json")
	check(status == 400, "a JSON body to a form: 400", "status %d" % status)
	status, _, _ = raw(base, "GET", "/portal/", cookies={"sertel_sesi": "f" * 64})
	check(status == 303, "an unknown session id: back to login (303)", "status %d" % status)

	# English and back; the choice is remembered.
	p.click_and_load("a.lang")
	check(("Welcome, %s" % name) in p.text(), "English switch", p.text()[:120])
	check(p.js("document.documentElement.lang") == "en", "html lang follows")
	p.goto(portal + "/sop")
	check("Owners' duties" in p.text(), "the choice is remembered on the next page")
	p.shot("sop-en")
	p.click_and_load("a.lang")
	check("Kewajiban pemilik" in p.text(), "back to Bahasa Indonesia")
	p.shot("sop")

	# Unknown page: a page, not a JSON error.
	p.goto(portal + "/tidak-ada")
	check("Halaman tidak ditemukan" in p.text(), "unknown page says so in Bahasa Indonesia")
	p.shot("error-404")

	# Log out with the button.
	p.goto(portal + "/")
	p.click_and_load(".logout button")
	check(p.url().startswith(portal + "/masuk"), "logout leads to the login page", p.url())
	p.goto(portal + "/")
	check(p.url().endswith("/portal/masuk"), "after logout the home page needs a login again")
	status, _, _ = raw(base, "GET", "/portal/", cookies=sess)
	check(status == 303, "the old session cookie no longer works", "status %d" % status)

	# An address nobody registered: the same page, and no mail.
	p.goto(portal + "/masuk")
	p.js("document.getElementById('email').value = 'orang.lain@example.go.id'")
	p.click_and_load("form button[type=submit]")
	check("Periksa kotak surat Anda" in p.text(), "unknown address: the same answer")
	# A malformed address: the message next to the field.
	p.goto(portal + "/masuk")
	p.js("document.getElementById('email').value = 'bukan alamat'")
	p.click_and_load("form button[type=submit]")
	check(p.js("!!document.querySelector('.field.invalid #email-err')"),
	      "a malformed address: an error next to the field")
	p.shot("login-error")
	errs = [e for e in p.errors() if "status of 4" not in e]
	check(not errs, "no console errors or CSP violations", "; ".join(errs[:3]))


def app_flow(p, base, maildir, email, other, files):
	portal = base + "/portal"
	check(login_by_link(p, base, maildir, email), "applicant logs in for an application")
	p.click_and_load("#baru")
	check("Sertifikat individu" in p.text() and "Pindaian e-KTP" in p.text(),
	      "the type page lists the types and their letters")
	p.shot("app-type")
	p.click_and_load("#jenis-individu")
	check(p.js("document.querySelectorAll('input[name=penggunaan]').length") >= 6,
	      "the form offers the usage sets of the registration form")
	check("Siti Aminah" in p.text(), "the form shows the registered name (not a field)")
	check(not p.js("!!document.querySelector('input[name=cn]')"), "no field for the name")
	p.shot("app-new")
	# Without the declaration (the browser's own check switched off, so the
	# server's is what is tried): refused, nothing stored.
	p.js("document.querySelector('input[value=signing]').checked = true;"
	     "document.querySelector('form.card').noValidate = true")
	p.click_and_load("#ajukan")
	check("Centang pernyataan" in p.text(), "no declaration: the form says so",
	      p.text()[:200])
	# Complete: usage, three letters, the declaration; submitted at once.
	p.js("document.querySelector('input[value=signing]').checked = true;"
	     "document.getElementById('pernyataan').checked = true")
	set_file(p, "#lampiran_pengantar", os.path.join(files, "pengantar.pdf"))
	set_file(p, "#lampiran_rekomendasi", os.path.join(files, "rekomendasi.pdf"))
	set_file(p, "#lampiran_ktp", os.path.join(files, "ktp.png"))
	p.click_and_load("#ajukan")
	check("Diajukan, menunggu verifikasi" in p.text(), "submitted with its letters",
	      p.text()[:300])
	check(p.js("document.querySelectorAll('#attachments tbody tr').length") == 3,
	      "three letters listed")
	first = p.url().split("/permohonan/")[1].split("?")[0]
	href = p.js("document.querySelector('#attachments a[href$=\"/lampiran/ktp\"]').getAttribute('href')")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	status, hdrs, _ = raw(base, "GET", href, cookies=sess)
	check(status == 200 and hdrs.get("Content-Type") == "image/png",
	      "the scan is served back as image/png", "%d %s" % (status, hdrs.get("Content-Type")))
	p.shot("app-submitted")

	# A draft with one letter: saved, what is missing shown, completed.
	p.goto(portal + "/permohonan/baru?jenis=individu")
	p.js("document.querySelector('input[value=email]').checked = true;"
	     "document.getElementById('pernyataan').checked = true")
	set_file(p, "#lampiran_ktp", os.path.join(files, "ktp.png"))
	p.click_and_load("#konsep")
	check("Konsep" in p.text() and "Belum lengkap" in p.text(), "a draft shows what is missing")
	p.shot("app-draft")
	# A text file named .pdf: refused by its content, nothing changed.
	set_file(p, "#lampiran_pengantar", os.path.join(files, "palsu.pdf"))
	p.click_and_load("#unggah")
	check(p.js("!!document.querySelector('.flash.bad')") and
	      p.js("document.querySelectorAll('#attachments tbody tr').length") == 1,
	      "a file that is not a PDF is refused, nothing added", p.text()[:300])
	p.goto(p.url().split("?")[0].replace("/lampiran", ""))
	set_file(p, "#lampiran_pengantar", os.path.join(files, "pengantar.pdf"))
	set_file(p, "#lampiran_rekomendasi", os.path.join(files, "rekomendasi.pdf"))
	p.click_and_load("#unggah")
	check("Berkas diunggah" in p.text() and not p.js("!!document.getElementById('missing')"),
	      "the missing letters uploaded")
	p.click_and_load("#ajukan")
	check("Diajukan, menunggu verifikasi" in p.text(), "the completed draft is submitted")
	# Forged: a submit without the CSRF token.
	status, _, _ = raw(base, "POST", "/portal/permohonan/%s/ajukan" % first, "csrf=x", cookies=sess)
	check(status == 403, "submit without the CSRF token: 403", "status %d" % status)
	p.goto(portal + "/")
	check(p.js("document.querySelectorAll('table.list tbody tr').length") == 2,
	      "the home page lists both applications")
	p.click_and_load(".logout button")

	# Another applicant: neither the application nor its documents.
	check(login_by_link(p, base, maildir, other), "another applicant logs in")
	osess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	status, _, body = raw(base, "GET", "/portal/permohonan/%s" % first, cookies=osess)
	check(status == 403 and "Siti" not in body, "another applicant: the application is 403",
	      "status %d" % status)
	status, _, _ = raw(base, "GET", href, cookies=osess)
	check(status == 403, "another applicant: the scan is 403", "status %d" % status)
	status, _, _ = raw(base, "GET", "/portal/permohonan/%s" % ("0" * 16), cookies=osess)
	check(status == 404, "an unknown application: 404", "status %d" % status)
	p.goto(portal + "/")
	p.click_and_load(".logout button")
	return first


def decide(p, choice, reason=""):
	p.js("document.getElementById(%s).checked = true;"
	     "document.getElementById('alasan').value = %s" % (json.dumps(choice), json.dumps(reason)))
	p.click_and_load("#putuskan")


def certs_flow(p, base):
	"""The logged-in operator's own certificate: listed, and each download
	judged by openssl."""
	import subprocess
	import tempfile
	p.click_and_load('a[href$="/sertifikat"]')
	check(p.js("document.querySelectorAll('#certs tbody tr').length") == 1 and "Berlaku" in p.text(),
	      "my certificates: one, valid")
	p.shot("certs")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	pem_href = p.js("document.querySelector('#certs a.pem').getAttribute('href')")
	serial = pem_href.rsplit("/", 1)[1][:-4]
	d = tempfile.mkdtemp(prefix="sertel-portal-certs-")
	got = {}
	for ext in ("pem", "der", "p7b"):
		st, _, data = request(base, "GET", pem_href[:-3] + ext, cookies=sess)
		got[ext] = (st, data)
		with open(os.path.join(d, "c." + ext), "wb") as f:
			f.write(got[ext][1])
	check(all(v[0] == 200 for v in got.values()), "PEM, DER and P7B download",
	      str({k: v[0] for k, v in got.items()}))
	blocks = re.findall(rb"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?",
	                    got["pem"][1], re.S)
	check(len(blocks) == 3, "the PEM holds the certificate, the issuing CA and the root",
	      "%d blocks" % len(blocks))
	if len(blocks) == 3:
		for i, n in enumerate(("leaf", "issuing", "root")):
			with open(os.path.join(d, n + ".pem"), "wb") as f:
				f.write(blocks[i])
		r = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(d, "root.pem"),
		                    "-untrusted", os.path.join(d, "issuing.pem"),
		                    os.path.join(d, "leaf.pem")], capture_output=True, text=True)
		check(r.returncode == 0 and ": OK" in r.stdout, "openssl verify accepts the chain",
		      r.stdout + r.stderr)
	r = subprocess.run(["openssl", "x509", "-inform", "DER", "-in", os.path.join(d, "c.der"),
	                    "-noout", "-serial"], capture_output=True, text=True)
	check(r.returncode == 0 and r.stdout.strip().lower() == "serial=" + serial,
	      "the DER is the certificate with that serial", r.stdout + r.stderr)
	r = subprocess.run(["openssl", "pkcs7", "-inform", "DER", "-in", os.path.join(d, "c.p7b"),
	                    "-print_certs", "-noout"], capture_output=True, text=True)
	check(r.returncode == 0 and r.stdout.count("subject=") == 3, "the P7B holds the chain (openssl pkcs7)",
	      r.stdout + r.stderr)
	return serial


def dinas_flow(p, base, maildir, kadis, op1, other):
	"""The Kepala Dinas appoints an operator and sets a new agreement
	version; an operator's forged appointment is refused."""
	portal = base + "/portal"
	check(login_by_link(p, base, maildir, op1), "an operator, for the Kepala Dinas's page")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	check(not p.js("!!document.querySelector('a[href$=\"/dinas\"]')"), "operator: no OP management in the menu")
	csrf = p.js("document.querySelector('form.logout input[name=csrf]').value")
	status, _, _ = raw(base, "POST", "/portal/dinas/angkat", "csrf=%s&nik=3274010101850001" % csrf,
	                   cookies=sess)
	check(status == 403, "operator: a forged appointment is 403", "status %d" % status)
	p.goto(portal + "/")
	p.click_and_load(".logout button")
	check(login_by_link(p, base, maildir, kadis), "the Kepala Dinas logs in")
	p.click_and_load('a[href$="/dinas"]')
	check("Versi 1" in p.text(), "the agreement in force is shown (version 1)")
	p.shot("dinas")
	p.click_and_load('button.appoint[data-nik="3274010101850001"]')
	check("Pengelola OP diangkat" in p.text(), "the Kepala Dinas appoints an operator")
	row = p.js("Array.from(document.querySelectorAll('#people tbody tr')).map(function(r){return r.innerText})"
	           ".filter(function(t){return t.indexOf('Andi Wijaya') >= 0})[0]")
	check(row is not None and "Pengelola OP" in row, "the new operator's role is listed", str(row))
	p.js("document.getElementById('teks').value = 'Perjanjian pemilik sertifikat, versi kedua.'")
	p.click_and_load("#perjanjian")
	check("Versi 2" in p.text() and "versi kedua" in p.text(), "a new agreement version is in force")
	p.goto(portal + "/")
	p.click_and_load(".logout button")


def decide_flow(p, base, maildir, applicant, auditor, op1, op2, files, first):
	portal = base + "/portal"
	app = portal + "/permohonan/" + first
	check(login_by_link(p, base, maildir, op1), "operator 1 logs in")
	check("2 permohonan menunggu verifikasi" in p.text(), "operator's home: what waits (2)",
	      p.text()[:300])
	p.shot("dashboard-operator")
	p.click_and_load('a[href$="/antrian"]')
	rows = p.js("document.querySelectorAll('#queue tbody tr').length")
	check(rows == 2, "the queue lists the two submitted applications", "%s rows" % rows)
	check("Siti Aminah" in p.text() and "Dinas Kominfo" in p.text(), "with name and agency")
	p.shot("queue")
	p.goto(portal + "/antrian?jenis=sistem")
	check("Tidak ada permohonan" in p.text(), "the type filter")
	p.goto(app)
	check(p.js("!!document.querySelector('img.doc')") and
	      p.js("document.querySelectorAll('iframe.doc').length") == 2,
	      "the documents are shown in the page (the scan and two PDFs)")
	check(p.js("document.querySelector('img.doc').naturalWidth") == 40,
	      "the scan really renders (40 px wide)")
	p.shot("app-decide")
	decide(p, "kembalikan", "")
	check("reasons are required" in p.text() and "Diajukan, menunggu verifikasi" in p.text(),
	      "a return without reasons is refused, nothing changed", p.text()[:300])
	decide(p, "kembalikan", "Pindaian e-KTP buram, mohon unggah ulang")
	check("dikembalikan kepada pemohon" in p.text() and "Dikembalikan untuk dilengkapi" in p.text(),
	      "returned with reasons")
	p.goto(portal + "/")
	p.click_and_load(".logout button")

	check(login_by_link(p, base, maildir, applicant), "the applicant logs in again")
	check("1 permohonan Anda dikembalikan" in p.text(), "applicant's home: one returned",
	      p.text()[:300])
	p.goto(app)
	check("Pindaian e-KTP buram" in (p.js("(document.getElementById('reasons')||{}).innerText") or ""),
	      "the applicant reads the operator's reasons")
	p.shot("app-returned")
	set_file(p, "#lampiran_ktp", os.path.join(files, "ktp.png"))
	p.click_and_load("#unggah")
	p.click_and_load("#ajukan")
	check("Diajukan, menunggu verifikasi" in p.text(), "the applicant resubmits")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	status, _, _ = raw(base, "POST", "/portal/permohonan/%s/putuskan" % first,
	                   "csrf=%s&keputusan=setujui" % p.js("document.querySelector('input[name=csrf]').value"),
	                   cookies=sess)
	check(status == 403, "the applicant cannot decide (a forged POST: 403)", "status %d" % status)
	p.goto(portal + "/")
	p.click_and_load(".logout button")

	check(login_by_link(p, base, maildir, op1), "operator 1 again")
	p.goto(app)
	decide(p, "setujui")
	check("masih menunggu persetujuan operator lain" in p.text() and "1 / 2" in p.text(),
	      "one approval of two", p.text()[:300])
	p.goto(portal + "/")
	p.click_and_load(".logout button")
	check(login_by_link(p, base, maildir, op2), "operator 2 logs in")
	p.goto(app)
	decide(p, "setujui")
	check("Disetujui, menunggu penerbitan" in p.text(), "the second approval approves", p.text()[:300])
	p.shot("app-approved")
	op_serial = certs_flow(p, base)
	p.goto(portal + "/")
	p.click_and_load(".logout button")

	# An applicant asks for the operator's certificate file: as if none.
	check(login_by_link(p, base, maildir, applicant), "the applicant, for someone else's certificate")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	p.click_and_load('a[href$="/sertifikat"]')
	check("belum mempunyai sertifikat" in p.text(), "the applicant has none yet")
	status, _, _ = raw(base, "GET", "/portal/sertifikat/%s.pem" % op_serial, cookies=sess)
	check(status == 404, "someone else's certificate file: 404", "status %d" % status)
	p.goto(portal + "/")
	p.click_and_load(".logout button")

	# An auditor reads the queue and the application, and decides nothing.
	check(login_by_link(p, base, maildir, auditor), "auditor logs in (queue)")
	p.goto(portal + "/antrian")
	check(p.js("document.querySelectorAll('#queue tbody tr').length") == 1, "auditor reads the queue")
	second = p.js("document.querySelector('#queue tbody a').getAttribute('href')")
	p.goto(base + second)
	check(not p.js("!!document.getElementById('keputusan')"), "auditor: no decision form")
	csrf = p.js("document.querySelector('form.logout input[name=csrf]').value")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	status, _, _ = raw(base, "POST", second + "/putuskan", "csrf=%s&keputusan=tolak&alasan=x" % csrf,
	                   cookies=sess)
	check(status == 403, "auditor: a forged decision is 403", "status %d" % status)
	p.goto(base + second)
	check("Diajukan, menunggu verifikasi" in p.text(), "auditor: and nothing changed")
	# Every application, in any state, not only what waits: the approved one.
	p.goto(portal + "/antrian?status=approved")
	rows = p.js("document.querySelectorAll('#queue tbody tr').length")
	href = p.js("(document.querySelector('#queue tbody a') || {}).href || ''")
	check(rows == 1 and href.endswith(app[app.index("/permohonan/"):]) and
	      "berstatus: Disetujui, menunggu penerbitan" in p.text(),
	      "auditor: the list by state shows the approved application", "%s rows %s" % (rows, href))
	check(p.js("document.getElementById('status').value") == "approved",
	      "auditor: the state chosen stays selected")
	p.shot("queue-approved")
	p.goto(portal + "/antrian?status=issued")
	check("Tidak ada permohonan dengan status ini" in p.text(), "auditor: none issued yet")
	p.goto(portal + "/antrian?status=nonsense")
	check(p.js("document.getElementById('status').value") == "submitted",
	      "an unknown state lists what waits")
	p.goto(portal + "/")
	p.click_and_load(".logout button")


def audit_flow(p, base, maildir, applicant, auditor, dbfile):
	portal = base + "/portal"
	# An applicant: no link to the trail, and the page itself refused.
	check(login_by_link(p, base, maildir, applicant), "applicant logs in again")
	check(not p.js("!!document.querySelector('a[href$=\"/audit\"]')"),
	      "applicant: no audit trail in the menu")
	p.goto(portal + "/audit")
	check("Peran Anda tidak mengizinkan" in p.text(), "applicant: the trail is refused")
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	status, _, _ = raw(base, "GET", "/portal/audit", cookies=sess)
	check(status == 403, "applicant: GET /portal/audit is 403", "status %d" % status)
	p.goto(portal + "/")
	p.click_and_load(".logout button")

	check(login_by_link(p, base, maildir, auditor), "auditor logs in")
	check(p.js("!!document.querySelector('a[href$=\"/audit\"]')"), "auditor: trail in the menu")
	p.click_and_load('a[href$="/audit"]')
	rows = p.js("document.querySelectorAll('#trail tbody tr').length")
	check(rows >= 5, "the trail lists entries", "%s rows" % rows)
	check("portal.login" in p.text() and "portal.link.used" in p.text(),
	      "the logins are in the trail")
	p.shot("audit")
	# Filters: only portal.link entries.
	p.goto(portal + "/audit?tindakan=portal.link.used")
	acts = p.js("Array.from(document.querySelectorAll('#trail tbody tr td:nth-child(4)'))"
	            ".map(function(td){return td.innerText})")
	check(acts and all(a == "portal.link.used" for a in acts), "filter by action", str(acts))
	p.goto(portal + "/audit?dari=31-12-2026")
	check(p.js("!!document.querySelector('.field.invalid #dari')"), "a bad date is shown at the field")
	# Verify: intact.
	p.goto(portal + "/audit")
	p.click_and_load("#verify")
	check("Rantai utuh" in p.text(), "verify: the chain is intact", p.text()[:200])
	p.shot("audit-verified")
	# Without the CSRF token the button's POST is refused.
	sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	status, _, _ = raw(base, "POST", "/portal/audit/verifikasi", "csrf=", cookies=sess)
	check(status == 403, "verify without CSRF token: 403", "status %d" % status)
	# Someone with database access changes one reason: the button says so.
	import sqlite3
	db = sqlite3.connect(dbfile)
	db.execute("UPDATE audit SET reason = reason || ' (diubah)' WHERE seq = 3")
	db.commit()
	db.close()
	p.goto(portal + "/audit")
	p.click_and_load("#verify")
	check("Rantai RUSAK mulai catatan nomor 3" in p.text(), "verify: tampering is found at entry 3",
	      p.text()[:300])
	p.shot("audit-broken")

	# Guessing links from one address: after 10 wrong ones, a 429 page for
	# that address only (another address still gets the ordinary answer).
	pre = {"sertel_pra": "c" * 64}
	codes = []
	for i in range(11):
		status, hdrs, body = raw(base, "POST", "/portal/masuk/tautan/pakai",
		                         "pra=%s&t=%064x" % ("c" * 64, i), cookies=pre,
		                         source="127.0.0.2")
		codes.append(status)
	check(codes[:10] == [401] * 10 and codes[10] == 429, "the 11th wrong link from one address: 429",
	      str(codes))
	check("Terlalu banyak percobaan" in body and hdrs.get("Retry-After") == "60",
	      "the 429 page says why and when to retry")
	status, _, _ = raw(base, "POST", "/portal/masuk/tautan/pakai",
	                   "pra=%s&t=%064x" % ("c" * 64, 99), cookies=pre, source="127.0.0.3")
	check(status == 401, "another address is not blocked", "status %d" % status)


if __name__ == "__main__":
	sys.exit(main(sys.argv))
