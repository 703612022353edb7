#!/usr/bin/python3
"""The whole lifecycle of a certificate, for each type, only through the
portal's pages in a real headless Chromium: the applicant applies with
uploads, an operator returns it with a reason, the applicant reads it and
resubmits, two operators approve (N-of-M = 2), the certificate is issued in
person at the desk, the owner downloads it, the head of agency has it
revoked, and the auditor finds every step in the trail and the chain intact.

usage: lifecycle_flow.py BASE_URL MAILDIR OUTDIR FILES OP1 OP2 AUDITOR APPLICANTS CADIR TMP

APPLICANTS: type=email,... (individu, jabatan, sistem), each applicant
registered in Dinas Kominfo.  Writes OUTDIR/lifecycle.json: for each type
its application id (and later its serial), for the shell to check with
openssl and the CLI.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_by_link, set_file, summary  # noqa: E402
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


def operator_login(p, base, maildir, email):
	return login_by_link(p, base, maildir, email)


def review(p, base, maildir, files, apps, appl, op1, op2):
	"""op1 returns each with a reason, the applicants resubmit, op1 and op2 approve."""
	check(operator_login(p, base, maildir, op1), "operator 1 logs in")
	p.goto(base + "/portal/antrian")
	for kind, app in apps.items():
		check(p.js("!!document.querySelector('#queue a[href$=\"/permohonan/%s\"]')" % app),
		      "%s: in the operator's queue" % kind)
	for kind, app in apps.items():
		p.goto(base + "/portal/permohonan/" + app)
		if kind == "sistem":
			check(p.js("(document.getElementById('system-dns')||{}).innerText") ==
			      "izin.kominfo.cirebonkota.go.id" and
			      "Portal Layanan Perizinan" in p.text(),
			      "sistem: the operator sees the system's name and address")
			p.shot("lifecycle-sistem-review")
		decide(p, "kembalikan", "Surat pengantar belum ditandatangani (%s)" % kind)
		check("Dikembalikan untuk dilengkapi" in p.text(), "%s: returned with a reason" % kind,
		      p.text()[:300])
	logout(p, base)
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
	for n, op in ((1, op1), (2, op2)):
		check(operator_login(p, base, maildir, op), "operator %d logs in to approve" % n)
		if n == 2:
			exp = p.js("(document.getElementById('expiring')||{}).innerText") or ""
			check("10 hari lagi" in exp and "ajukan perpanjangan" in exp,
			      "operator 2's home: the certificate that ends in 10 days", exp)
			p.shot("lifecycle-dashboard-expiring")
		for kind, app in apps.items():
			p.goto(base + "/portal/permohonan/" + app)
			decide(p, "setujui")
			want = "1 / 2" if n == 1 else "Disetujui, menunggu penerbitan"
			check(want in p.text(), "%s: approval %d of 2" % (kind, n), p.text()[:300])
			names = p.js("Array.from(document.querySelectorAll('.approver'))"
			             ".map(function(e){return e.innerText})") or []
			check(len(names) == n and "Operator Satu" in names[0] and
			      (n == 1 or "Operator Dua" in names[1]),
			      "%s: the page shows who has approved" % kind, str(names))
			check(all(re.search(r", \d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) "
			                    r"20\d\d \d\d\.\d\d WIB$", x) for x in names),
			      "%s: and when, as people here write it (WIB)" % kind, str(names))
		if n == 2:
			p.shot("lifecycle-approved")
		logout(p, base)
	for kind in apps:
		check(login_by_link(p, base, maildir, appl[kind]), "%s: the applicant, approved" % kind)
		check("datanglah sendiri ke loket OP" in
		      (p.js("(document.getElementById('approved')||{}).innerText") or ""),
		      "%s: the home page says to come to the desk in person" % kind)
		logout(p, base)


def desk(p, base, maildir, tmp, cadir, apps, appl, op1):
	"""op1 issues each at the desk with its applicant present: the code the
	applicant reads from their mailbox, the agreement accepted, a key
	generated here under the applicant's passphrase; the receipt opens as a
	PDF; the owner then downloads the certificate in their own session.
	The serials, by type."""
	serials = {}
	check(login_by_link(p, base, maildir, op1), "operator 1 logs in at the desk")
	op_sess = {"sertel_sesi": p.cookies()["sertel_sesi"]}
	for kind, app in apps.items():
		p.goto(base + "/portal/permohonan/" + app)
		before = codes(maildir, appl[kind])
		p.click_and_load("#mulai-loket")
		code = new_code(maildir, appl[kind], before)
		check(code is not None, "%s: the applicant reads the desk code from their mailbox" % kind)
		check(p.js("(document.getElementById('teks-perjanjian')||{}).textContent || ''") != "",
		      "%s: the subscriber agreement is shown in full" % kind)
		fill(p, code or "", True, STRONG)
		p.click_and_load("#terbitkan")
		serial = p.js("(function(){var e=document.getElementById('serial');"
		              "return e&&e.dataset.serial})()")
		check(serial is not None and "Sertifikat terbit" in p.text(),
		      "%s: issued at the desk" % kind, p.text()[:200])
		if kind == "individu":
			p.shot("lifecycle-desk-issued")
		serials[kind] = serial
		judge_receipt(base, tmp, op_sess, app, serial, kind)
	logout(p, base)
	for kind in apps:
		owner_downloads(p, base, maildir, tmp, cadir, appl[kind], serials[kind], kind)
		logout(p, base)
	return serials


def audit(p, base, maildir, auditor, apps, steps):
	"""The auditor finds every step of each application in the trail, and the
	chain intact."""
	check(login_by_link(p, base, maildir, auditor), "the auditor logs in")
	for kind, app in apps.items():
		p.goto(base + "/portal/audit?objek=application:" + app)
		acts = p.js("Array.from(document.querySelectorAll('#trail tbody tr td:nth-child(4)'))"
		            ".map(function(td){return td.innerText})") or []
		for step, times in steps:
			check(acts.count(step) >= times, "%s: the trail has %s (x%d)" % (kind, step, times),
			      str(acts))
		p.goto(base + "/portal/permohonan/" + app)
		check(not p.js("!!document.querySelector('main form:not(.logout)')"),
		      "%s: the auditor sees no form that changes anything" % kind)
	p.goto(base + "/portal/audit")
	p.click_and_load("#verify")
	check("Rantai utuh" in p.text(), "the auditor verifies the chain: intact", p.text()[:200])
	p.shot("lifecycle-audit")
	logout(p, base)


def main(argv):
	base, maildir, outdir, files, op1, op2, auditor, appl_arg, cadir, tmp = argv[1:11]
	appl = dict(kv.split("=", 1) for kv in appl_arg.split(","))
	os.makedirs(outdir, exist_ok=True)
	p = Page(outdir)
	out = {}
	try:
		apps = {}
		for kind in ("individu", "jabatan", "sistem"):
			apps[kind] = apply(p, base, maildir, files, kind, appl[kind])
		if all(apps.values()):
			review(p, base, maildir, files, apps, appl, op1, op2)
			out["serials"] = desk(p, base, maildir, tmp, cadir, apps, appl, op1)
			audit(p, base, maildir, auditor, apps, STEPS)
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
