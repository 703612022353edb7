#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The whole lifecycle of a certificate, for each type, only through the
portal's pages in a real headless Chromium: the applicant applies with
uploads, an operator returns it with a reason, the applicant reads it and
resubmits, two operators approve (N-of-M = 2), the certificate is issued in
person at the desk, the owner downloads it, the head of agency requests its
revocation for pensiun (through the confirmation step), and the auditor
finds every step, the revocation too, in the trail and the chain intact.

The applicants log in by the mailed link on the main listener; the
officials (both operators, the head of agency, the auditor) log in with
their own client certificate on the portal's HTTPS listener, each in a
Chromium of their own whose NSS database holds the certificates and whose
profile picks theirs by its subject CN: the session's method must be the
certificate (the store's portal_sessions row) and no login link may be
mailed to them.

usage: lifecycle_flow.py BASE_URL MAILDIR OUTDIR FILES APPLICANTS CADIR TMP
                         PORTAL_URL BROWSER_HOME DBFILE OFFICIALS

APPLICANTS: type=email,... (individu, jabatan, sistem), each applicant
registered in Dinas Kominfo.  OFFICIALS: who=email:cn:name,... for op1,
op2, head and auditor (cn: the subject CN of who's ssl-client certificate,
$TMP/cn.pem).  Writes OUTDIR/lifecycle.json: for each type its application
id (and later its serial), for the shell to check with openssl and the CLI.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import hashlib
import json
import os
import re
import sqlite3
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portal_lib  # noqa: E402
from portal_lib import (Page, cert_page, check, links_seen, login_by_link, pem_serial,  # noqa: E402
                        set_file, summary)
from desk_flow import STRONG, codes, fill, judge_receipt, new_code, owner_downloads  # noqa: E402

LETTERS = {
	"individu": ["pengantar", "rekomendasi", "ktp"],
	"jabatan": ["pengantar", "rekomendasi", "ktp", "sk", "penunjukan"],
	"sistem": ["pengantar", "rekomendasi", "ktp"],
}
# What the trail must hold for each application, and how many times.
STEPS = [("application.create", 1), ("application.attach", 1), ("application.submit", 2),
         ("application.return", 1), ("application.approve", 2), ("application.issue", 1)]
USAGE = {"individu": "signing", "jabatan": "signing,email", "sistem": "ssl-server"}


def logout(p, base):
	p.goto(base + "/portal/")
	p.click_and_load(".logout button")


def letter_file(files, kind):
	return os.path.join(files, "ktp.png" if kind == "ktp" else "pengantar.pdf")


def apply(p, base, maildir, files, kind, email):
	"""Applies for kind with every letter; the new application's id."""
	check(login_by_link(p, base, maildir, email), "%s: the applicant logs in" % kind)
	p.goto(base + "/portal/permohonan/baru?jenis=" + kind)
	p.js("document.querySelector('input[name=penggunaan][value=\"%s\"]').checked = true;"
	     "document.getElementById('pernyataan').checked = true" % USAGE[kind])
	if kind == "sistem":
		p.js("document.getElementById('nama_sistem').value = 'Portal Layanan Perizinan';"
		     "document.getElementById('rincian').value = 'Aplikasi perizinan daring, server di "
		     "pusat data Diskominfo';"
		     "document.getElementById('dns').value = 'izin.kominfo.cirebonkota.go.id'")
	for k in LETTERS[kind]:
		set_file(p, "#lampiran_" + k, letter_file(files, k))
	p.click_and_load("#ajukan")
	ok = check("Diajukan, menunggu verifikasi" in p.text(), "%s: submitted with its letters" % kind,
	           p.text()[:300])
	app = p.url().split("/permohonan/")[1].split("?")[0] if ok else None
	p.shot("lifecycle-%s-submitted" % kind)
	logout(p, base)
	return app


def decide(p, choice, reason=""):
	p.js("document.getElementById(%s).checked = true;"
	     "document.getElementById('alasan').value = %s" % (json.dumps(choice), json.dumps(reason)))
	p.click_and_load("#putuskan")


class Officials:
	"""The officials' browsers: each logs in with their own certificate on
	the portal's listener (never by a mailed link)."""

	def __init__(self, portal, outdir, tmp, bhome, dbfile, maildir, spec):
		self.portal, self.outdir, self.tmp, self.bhome = portal, outdir, tmp, bhome
		self.dbfile, self.maildir = dbfile, maildir
		self.who = {}
		for item in spec.split(","):
			key, rest = item.split("=", 1)
			email, cn, name = rest.split(":", 2)
			self.who[key] = {"email": email, "cn": cn, "name": name, "serial": pem_serial(os.path.join(tmp, cn + ".pem"))}

	def login(self, key):
		"""key's browser, logged in by certificate; RuntimeError when not."""
		w = self.who[key]
		seen = links_seen(self.maildir, w["email"])
		p = cert_page(self.outdir, self.portal, self.tmp, self.bhome, w["cn"])
		try:
			p.goto(self.portal + "/portal/masuk")
			shown = p.js("!!document.getElementById('cert-login')") and \
			    w["serial"] in p.js("document.documentElement.outerHTML")
			if shown:
				p.click_and_load("#cert-login")
			home = p.url().rstrip("/").endswith("/portal") and w["name"] in p.text()
			check(shown and home, "%s logs in with their client certificate (button, home page)" %
			      w["name"], p.url() + " " + p.text()[:200])
			sid = p.cookies().get("sertel_sesi", "")
			db = sqlite3.connect(self.dbfile, timeout=10)
			row = db.execute("SELECT method, cert_serial FROM portal_sessions WHERE id_hash = ?",
			                 (hashlib.sha256(sid.encode()).hexdigest(),)).fetchone()
			db.close()
			check(row is not None and row[0] == "mtls" and
			      (row[1] or "").lower().lstrip("0") == w["serial"].lstrip("0"),
			      "  ... the session's method is the certificate (mtls, its serial)", str(row))
			check(links_seen(self.maildir, w["email"]) == seen,
			      "  ... and no login link was mailed to %s" % w["email"])
			if not (shown and home):
				raise RuntimeError("%s could not log in by certificate" % key)
		except BaseException:
			p.close()
			raise
		return p

	def logout(self, p):
		logout(p, self.portal)
		p.close()




def review(p, off, base, maildir, files, apps, appl):
	"""op1 returns each with a reason, the applicants resubmit, op1 and op2 approve."""
	portal = off.portal
	q = off.login("op1")
	q.goto(portal + "/portal/antrian")
	for kind, app in apps.items():
		check(q.js("!!document.querySelector('#queue a[href$=\"/permohonan/%s\"]')" % app),
		      "%s: in the operator's queue" % kind)
	for kind, app in apps.items():
		q.goto(portal + "/portal/permohonan/" + app)
		if kind == "sistem":
			check(q.js("(document.getElementById('system-dns')||{}).innerText") ==
			      "izin.kominfo.cirebonkota.go.id" and
			      "Portal Layanan Perizinan" in q.text(),
			      "sistem: the operator sees the system's name and address")
			q.shot("lifecycle-sistem-review")
		decide(q, "kembalikan", "Surat pengantar belum ditandatangani (%s)" % kind)
		check("Dikembalikan untuk dilengkapi" in q.text(), "%s: returned with a reason" % kind,
		      q.text()[:300])
	off.logout(q)
	for kind, app in apps.items():
		check(login_by_link(p, base, maildir, appl[kind]), "%s: the applicant again" % kind)
		p.goto(base + "/portal/permohonan/" + app)
		check("Surat pengantar belum ditandatangani (%s)" % kind in
		      (p.js("(document.getElementById('reasons')||{}).innerText") or ""),
		      "%s: the applicant reads the reason" % kind)
		set_file(p, "#lampiran_pengantar", letter_file(files, "pengantar"))
		p.click_and_load("#unggah")
		p.click_and_load("#ajukan")
		check("Diajukan, menunggu verifikasi" in p.text(), "%s: resubmitted" % kind)
		logout(p, base)
	for n, who in ((1, "op1"), (2, "op2")):
		q = off.login(who)
		if n == 2:
			exp = q.js("(document.getElementById('expiring')||{}).innerText") or ""
			check("10 hari lagi" in exp and "ajukan perpanjangan" in exp,
			      "operator 2's home: the certificate that ends in 10 days", exp)
			q.shot("lifecycle-dashboard-expiring")
		for kind, app in apps.items():
			q.goto(portal + "/portal/permohonan/" + app)
			decide(q, "setujui")
			want = "1 / 2" if n == 1 else "Disetujui, menunggu penerbitan"
			check(want in q.text(), "%s: approval %d of 2" % (kind, n), q.text()[:300])
			names = q.js("Array.from(document.querySelectorAll('.approver'))"
			             ".map(function(e){return e.innerText})") or []
			check(len(names) == n and "Operator Satu" in names[0] and
			      (n == 1 or "Operator Dua" in names[1]),
			      "%s: the page shows who has approved" % kind, str(names))
			check(all(re.search(r", \d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) "
			                    r"20\d\d \d\d\.\d\d WIB$", x) for x in names),
			      "%s: and when, as people here write it (WIB)" % kind, str(names))
		if n == 2:
			q.shot("lifecycle-approved")
		off.logout(q)
	for kind in apps:
		check(login_by_link(p, base, maildir, appl[kind]), "%s: the applicant, approved" % kind)
		check("datanglah sendiri ke loket OP" in
		      (p.js("(document.getElementById('approved')||{}).innerText") or ""),
		      "%s: the home page says to come to the desk in person" % kind)
		logout(p, base)


def desk(p, off, base, maildir, tmp, cadir, apps, appl):
	"""op1 issues each at the desk with its applicant present: the code the
	applicant reads from their mailbox, the agreement accepted, a key
	generated here under the applicant's passphrase; the receipt opens as a
	PDF; the owner then downloads the certificate in their own session.
	The serials, by type."""
	serials = {}
	portal = off.portal
	q = off.login("op1")
	op_sess = {"sertel_sesi": q.cookies()["sertel_sesi"]}
	for kind, app in apps.items():
		q.goto(portal + "/portal/permohonan/" + app)
		before = codes(maildir, appl[kind])
		q.click_and_load("#mulai-loket")
		code = new_code(maildir, appl[kind], before)
		check(code is not None, "%s: the applicant reads the desk code from their mailbox" % kind)
		check(q.js("(document.getElementById('teks-perjanjian')||{}).textContent || ''") != "",
		      "%s: the subscriber agreement is shown in full" % kind)
		fill(q, code or "", True, STRONG)
		q.click_and_load("#terbitkan")
		serial = q.js("(function(){var e=document.getElementById('serial');"
		              "return e&&e.dataset.serial})()")
		check(serial is not None and "Sertifikat terbit" in q.text(),
		      "%s: issued at the desk" % kind, q.text()[:200])
		if kind == "individu":
			q.shot("lifecycle-desk-issued")
		serials[kind] = serial
		# The receipt in op1's certificate session, on the portal's listener.
		judge_receipt(portal, tmp, op_sess, app, serial, kind)
	off.logout(q)
	for kind in apps:
		owner_downloads(p, base, maildir, tmp, cadir, appl[kind], serials[kind], kind)
		logout(p, base)
	return serials


REASON = "SK pensiun Nomor 800/%d/BKPSDM/2026"


def head_revokes(off, serials):
	"""The head of agency (Hendra Kusuma) requests revocation for pensiun of
	each certificate from the staff page, through its confirmation step."""
	portal = off.portal
	q = off.login("head")
	try:
		for i, (kind, serial) in enumerate(serials.items()):
			q.goto(portal + "/portal/pegawai")
			link = "#staff-list a.revoke[href$='/pegawai/cabut/%s']" % serial
			if not check(q.js("!!document.querySelector(%s)" % json.dumps(link)),
			             "%s: the head's staff page offers 'Minta pencabutan'" % kind, q.text()[:300]):
				continue
			if i == 0:
				q.shot("lifecycle-head-staff")
			q.click_and_load(link)
			check("Pensiun" in q.text(), "%s: the head's revocation form lists pensiun" % kind)
			q.js("document.querySelector('input[name=sebab][value=pensiun]').checked = true;"
			     "document.getElementById('alasan').value = %s" % json.dumps(REASON % (i + 1)))
			if i == 0:
				q.shot("lifecycle-head-revoke")
			q.click_and_load("#lanjut")
			check("Sertifikat ini akan dicabut dan tidak dapat dipakai lagi" in q.text() and
			      "Pensiun" in q.text(), "%s: the head is asked to confirm first" % kind,
			      q.text()[:300])
			if i == 0:
				q.shot("lifecycle-head-confirm")
			q.click_and_load("#yakin")
			check("ok=dicabut" in q.url(), "%s: revoked once confirmed" % kind, q.url())
			if i == 0:
				q.shot("lifecycle-head-revoked")
		q.goto(portal + "/portal/pegawai")
		rows = q.js("Array.from(document.querySelectorAll('#staff-list ul.certs li'))"
		            ".map(function(li){return li.innerText})") or []
		for kind, serial in serials.items():
			mine = [r for r in rows if serial in r]
			check(len(mine) == 1 and "Dicabut" in mine[0] and
			      not q.js("!!document.querySelector(\"a.revoke[href$='/cabut/%s']\")" % serial),
			      "%s: the staff page shows it revoked, with no revoke link" % kind, str(mine))
	finally:
		off.logout(q)


def audit(off, apps, serials, steps):
	"""The auditor finds every step of each application and each revocation
	in the trail, and the chain intact."""
	portal = off.portal
	head = off.who["head"]["name"]
	q = off.login("auditor")
	try:
		for kind, app in apps.items():
			q.goto(portal + "/portal/audit?objek=application:" + app)
			acts = q.js("Array.from(document.querySelectorAll('#trail tbody tr td:nth-child(4)'))"
			            ".map(function(td){return td.innerText})") or []
			for step, times in steps:
				check(acts.count(step) >= times, "%s: the trail has %s (x%d)" % (kind, step, times),
				      str(acts))
			q.goto(portal + "/portal/permohonan/" + app)
			check(not q.js("!!document.querySelector('main form:not(.logout)')"),
			      "%s: the auditor sees no form that changes anything" % kind)
			q.goto(portal + "/portal/audit?objek=cert:" + (serials.get(kind) or "none"))
			rows = q.js("Array.from(document.querySelectorAll('#trail tbody tr'))"
			            ".map(function(tr){return Array.from(tr.cells).map("
			            "function(td){return td.innerText})})") or []
			rev = [r for r in rows if len(r) == 6 and r[3] == "cert.revoke"]
			check(len(rev) == 1 and "pensiun" in rev[0][5] and
			      "cessationOfOperation" in rev[0][5],
			      "%s: the trail has the revocation (cert.revoke, pensiun, "
			      "cessationOfOperation)" % kind, str(rows))
			check(len(rev) == 1 and (head in rev[0][2] or "3274010707700001" in rev[0][2]),
			      "%s: ... by the head of agency" % kind, str(rev))
			if kind == "individu":
				q.shot("lifecycle-audit-revoke")
		q.goto(portal + "/portal/audit")
		q.click_and_load("#verify")
		check("Rantai utuh" in q.text(), "the auditor verifies the chain: intact", q.text()[:200])
		q.shot("lifecycle-audit")
	finally:
		off.logout(q)


def main(argv):
	base, maildir, outdir, files, appl_arg, cadir, tmp, portal, bhome, dbfile, officials = \
	    argv[1:12]
	appl = dict(kv.split("=", 1) for kv in appl_arg.split(","))
	os.makedirs(outdir, exist_ok=True)
	portal_lib.HTTPS_CONTEXT = ssl.create_default_context(cafile=os.path.join(cadir, "root.pem"))
	off = Officials(portal, outdir, tmp, bhome, dbfile, maildir, officials)
	p = Page(outdir)
	out = {}
	try:
		apps = {}
		for kind in ("individu", "jabatan", "sistem"):
			apps[kind] = apply(p, base, maildir, files, kind, appl[kind])
		if all(apps.values()):
			review(p, off, base, maildir, files, apps, appl)
			out["serials"] = desk(p, off, base, maildir, tmp, cadir, apps, appl)
			head_revokes(off, out["serials"])
			audit(off, apps, out["serials"], STEPS)
		out["applications"] = apps
	except (RuntimeError, TimeoutError, OSError) as e:
		check(False, "the lifecycle flow ran to its end", str(e))
	finally:
		p.close()
		with open(os.path.join(outdir, "lifecycle.json"), "w") as f:
			json.dump(out, f)
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
