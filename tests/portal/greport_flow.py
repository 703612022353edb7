#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The governance hub and the annual report page in a real headless Chromium.

usage: greport_flow.py CONFIG.json   (written by test_portal_greport.sh)

The Kepala Dinas opens "Tata kelola" from the navigation bar: today's
figures and the nine areas; the report page of this year: the figures,
JSON / CSV / draft downloads; a wrong passphrase is refused on the page;
the right one returns the signed PDF (raw HTTP with the page's session:
a download) which is then listed on the page.  The head of agency sees
their agency's coverage and no report link; the auditor reads the report
without a signing form.  Raw HTTP as every role: anonymous -> the login
redirect; the roles that may not open a page -> 403; a signing by anyone
but the Kepala Dinas, or without the CSRF token -> 403 and the store
unchanged.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_raw, request, summary  # noqa: E402
from desk_flow import ANDI, AUDITOR, HEAD, KADIS, SITI, Store, session_of, type_into  # noqa: E402

OP1 = "op1@kominfo.cirebonkota.go.id"


class ReportStore(Store):
	def snapshot(self):
		return tuple(self.count("SELECT COUNT(*) FROM " + t) for t in ("audit", "esign_docs", "mail_queue"))


def main(argv):
	cfg = json.load(open(argv[1]))
	base, md, shots, tmp, pw, year = (cfg["base"], cfg["maildir"], cfg["shots"], cfg["tmp"], cfg["pw"],
	                                  cfg["year"])
	store = ReportStore(cfg["db"])
	p = Page(shots)
	try:
		s = session_of(p, base, md, KADIS)
		if s is None:
			return summary()
		kjar, kcsrf = s
		p.goto(base + "/portal/")
		check(p.js("!!document.querySelector('nav a[href=\"/portal/tata-kelola\"]')"),
		      "the Kepala Dinas: one nav entry Tata kelola")
		p.click_and_load("nav a[href=\"/portal/tata-kelola\"]")
		t = p.text()
		check("Keadaan hari ini" in t and "Cakupan ASN daerah" in t, "the hub: today's figures", t[:200])
		links = p.js("Array.prototype.map.call(document.querySelectorAll('#areas a'),"
		             "function(a){return a.getAttribute('href')}).join(' ')")
		for area in ("kebutuhan", "rencana", "keputusan", "cakupan", "sistem", "insiden", "pengaduan",
		             "panduan", "laporan"):
			check("/portal/" + area in links, "the hub links /portal/" + area + " for the Kepala Dinas")
		p.shot("gov-hub-kadis")
		p.click_and_load("#areas a[href=\"/portal/laporan\"]")
		p.goto(base + "/portal/laporan?tahun=" + year)
		t = p.text()
		check("Laporan evaluasi tahunan" in t and "Sertifikat: jumlah" in t and "Diterbitkan" in t,
		      "the report page: the figures of " + year)
		check(p.js("!!document.getElementById('sign-form')"), "the Kepala Dinas: the signing form")
		p.shot("gov-report-kadis")
		for fmt, want in (("json", b'"figures"'), ("csv", b"section,dimension,key,value"), ("draf", b"%PDF-")):
			st, hd, body = request(base, "GET", "/portal/laporan/unduh?tahun=%s&format=%s" % (year, fmt),
			                       cookies=kjar)
			check(st == 200 and want in body[:200], "download %s: 200" % fmt, str(st))
		st, _, body = request(base, "GET", "/portal/laporan/unduh?tahun=%s&format=xml" % year, cookies=kjar)
		check(st == 400 and "Format unduhan tidak dikenal" in body.decode("utf-8", "replace"),
		      "download of an unknown format: refused on the page", str(st))
		st, _, body = request(base, "GET", "/portal/laporan?tahun=1999", cookies=kjar)
		check(st == 400 and "Tahun tidak sah" in body.decode("utf-8", "replace"),
		      "a year out of range: refused on the page", str(st))

		# A wrong passphrase typed in the page: refused there, nothing signed.
		snap = store.snapshot()
		type_into(p, "sandi", "salah-sandi-2026")
		p.click_and_load("#sign-go")
		t = p.text()
		check("Laporan tidak ditandatangani" in t, "a wrong passphrase: refused on the page", t[:300])
		check("salah-sandi-2026" not in p.js("document.documentElement.outerHTML"),
		      "the passphrase is not echoed back")
		check(store.count("SELECT COUNT(*) FROM esign_docs") == snap[1], "a wrong passphrase: nothing registered")
		p.shot("gov-report-wrong-pass")

		# Signing, as the page's form posts it (the answer is a download).
		form = urllib.parse.urlencode({"csrf": kcsrf, "tahun": year, "sandi": pw}).encode()
		st, hd, body = request(base, "POST", "/portal/laporan/tandatangan", form, cookies=kjar)
		doc = dict((k.lower(), v) for k, v in hd).get("x-document-id", "")
		check(st == 200 and body.startswith(b"%PDF-") and re.fullmatch(r"[0-9a-f]{32}", doc),
		      "the Kepala Dinas signs: the PDF with its document id", str(st))
		with open(os.path.join(tmp, "signed.pdf"), "wb") as f:
			f.write(body)
		check(store.count("SELECT COUNT(*) FROM audit WHERE action = 'gov.report.sign'") == 1,
		      "the signing audited (gov.report.sign)")
		p.goto(base + "/portal/laporan?tahun=" + year)
		check(p.js("!!document.querySelector('#signed a[href^=\"/v/\"]')"), "the signed report is listed")
		p.shot("gov-report-signed")
		st, _, _ = request(base, "GET", "/v/" + doc)
		check(st == 200, "its /v/{id} answers", str(st))

		# The head of agency: the agency's coverage, no report link.
		s = session_of(p, base, md, HEAD)
		if s is not None:
			p.goto(base + "/portal/tata-kelola")
			t = p.text()
			check("Cakupan ASN Dinas Kominfo" in t, "the head of agency: their agency's coverage", t[:200])
			check(not p.js("!!document.querySelector('#areas a[href=\"/portal/laporan\"]')") and
			      not p.js("!!document.querySelector('#areas a[href=\"/portal/panduan\"]')"),
			      "the head of agency: no report or guidance link")
			p.shot("gov-hub-head")
		# The auditor reads, and has no signing control.
		s = session_of(p, base, md, AUDITOR)
		if s is not None:
			p.goto(base + "/portal/laporan?tahun=" + year)
			check("Sertifikat: jumlah" in p.text(), "the auditor reads the report")
			check(not p.js("!!document.querySelector('#sign-form, button.primary')"),
			      "the auditor: no mutating control")
			p.shot("gov-report-auditor")

		# Raw HTTP, every role.
		people = {"siti": SITI, "andi": ANDI, "op1": OP1, "head": HEAD, "auditor": AUDITOR}
		sess = {k: login_raw(base, md, v) for k, v in people.items()}
		sess["kadis"] = (kjar, kcsrf)
		want = {  # hub, report
			"siti": (403, 403), "andi": (403, 403), "op1": (200, 200), "head": (200, 403),
			"auditor": (200, 200), "kadis": (200, 200)}
		for who, (hub, rep) in want.items():
			if not check(sess[who] is not None, who + " has a session"):
				continue
			jar = sess[who][0]
			st, _, _ = request(base, "GET", "/portal/tata-kelola", cookies=jar)
			check(st == hub, "%s GET /portal/tata-kelola: %d" % (who, hub), str(st))
			st, _, _ = request(base, "GET", "/portal/laporan?tahun=" + year, cookies=jar)
			check(st == rep, "%s GET /portal/laporan: %d" % (who, rep), str(st))
			st, _, _ = request(base, "GET", "/portal/laporan/unduh?format=csv&tahun=" + year, cookies=jar)
			check(st == rep, "%s GET /portal/laporan/unduh: %d" % (who, rep), str(st))
			if who == "kadis":
				continue
			snap = store.snapshot()
			form = urllib.parse.urlencode({"csrf": sess[who][1], "tahun": year, "sandi": pw}).encode()
			st, _, _ = request(base, "POST", "/portal/laporan/tandatangan", form, cookies=jar)
			check(st == 403 and store.snapshot() == snap, "%s may not sign: 403, nothing changed" % who,
			      str(st))
		for path in ("/portal/tata-kelola", "/portal/laporan"):
			st, hd, _ = request(base, "GET", path)
			check(st in (302, 303) and "/portal/masuk" in dict(hd).get("Location", ""),
			      "anonymous GET %s: the login redirect" % path, str(st))
		snap = store.snapshot()
		st, _, _ = request(base, "POST", "/portal/laporan/tandatangan",
		                   urllib.parse.urlencode({"tahun": year, "sandi": pw}).encode(), cookies=kjar)
		check(st == 403 and store.snapshot() == snap, "a signing without the CSRF token: 403, nothing changed",
		      str(st))
		# The refused passphrase's page is a 400 on purpose.
		errs = [e for e in p.errors() if "/portal/laporan/tandatangan" not in e]
		check(not errs, "no console errors", "; ".join(errs[:3]))
	finally:
		p.close()
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
