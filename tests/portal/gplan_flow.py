#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Needs, the master plan and the decree (issue 13) in a real headless
Chromium, then every action with every role as raw HTTP.

The head of Dinas Kominfo states the agency's needs for a year (a negative
count refused on the page), submits them; an OP operator analyses each
item; the Kepala Dinas plans them and sees the region's totals; the
Kepala Dinas makes the five-year plan, sets a year's targets, uploads its
RPJMD as PDF, records a review; records the decree with its PDF and puts
the agency in scope.  The review moved a year into the past (SQL on the
store) shows the late banner and mails the Kepala Dinas once.  An auditor
sees every page without a control that changes anything.

Raw HTTP: anonymous is sent to the login page, an applicant is refused
403, every POST by a role the rule refuses answers 403 and changes nothing
(rows and audit entries counted in the store), a POST without its CSRF
token is refused; the head of another agency reads nothing of this one.
The REST API: the same rules with person-bound tokens, JSON errors.

usage: gplan_flow.py BASE MAILDIR OUTDIR DBFILE FILES TOKENS HEADA HEADB OP KADIS AUDITOR SITI
"""
import base64
import json
import os
import re
import sqlite3
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import (Page, check, login_by_link, login_raw, raw, request,  # noqa: E402
                        set_file, summary, wait_mail)

YEAR = time.gmtime().tm_year
NEED_YEAR = YEAR + 1


def db(dbfile, sql, args=()):
	c = sqlite3.connect("file:%s?mode=ro" % dbfile, uri=True, timeout=10)
	try:
		return c.execute(sql, args).fetchall()
	finally:
		c.close()


def db_write(dbfile, sql, args=()):
	c = sqlite3.connect(dbfile, timeout=10)
	try:
		c.execute(sql, args)
		c.commit()
	finally:
		c.close()


SNAP = ("SELECT (SELECT COUNT(*) FROM audit), (SELECT COUNT(*) FROM gov_needs), "
        "(SELECT group_concat(state) FROM (SELECT state FROM gov_needs ORDER BY id)), "
        "(SELECT COUNT(*) FROM gov_need_items), "
        "(SELECT COUNT(*) FROM gov_need_items WHERE priority IS NOT NULL), "
        "(SELECT COUNT(*) FROM gov_plans), (SELECT SUM(asn_bp + systems + services) FROM "
        "gov_plan_targets), (SELECT group_concat(refs) FROM gov_plans), "
        "(SELECT COUNT(*) FROM gov_plan_docs), (SELECT COUNT(*) FROM gov_plan_reviews), "
        "(SELECT COUNT(*) FROM gov_decrees), (SELECT COUNT(*) FROM gov_scope)")


def snap(dbfile):
	return db(dbfile, SNAP)[0]


def logout(p):
	p.click_and_load("form.logout button[type=submit]")


def submit(p, form_sel):
	p.click_and_load(form_sel + " button[type=submit]")


def fill(p, values):
	for sel, v in values.items():
		p.js("(function(){var e=document.querySelector(%s);e.value=%s;"
		     "e.dispatchEvent(new Event('change'))})()" % (json.dumps(sel), json.dumps(v)))


def mutating_forms(p):
	"""POST forms on the page other than the logout button."""
	return p.js("Array.from(document.querySelectorAll('form[method=post]'))"
	            ".filter(function(f){return !f.classList.contains('logout')}).length")


def multipart(fields, files, boundary="gplanbatas"):
	out = []
	for k, v in fields.items():
		out.append("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
		           % (boundary, k, v))
	body = "".join(out).encode()
	for k, (name, data) in files.items():
		body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		         "Content-Type: application/pdf\r\n\r\n" % (boundary, k, name)).encode()
		body += data + b"\r\n"
	body += ("--%s--\r\n" % boundary).encode()
	return body, "multipart/form-data; boundary=" + boundary


def post(base, sess, path, form, with_csrf=True):
	jar, csrf = sess
	f = dict(form)
	if with_csrf:
		f["csrf"] = csrf
	st, hd, page = raw(base, "POST", path, urllib.parse.urlencode(f), cookies=jar)
	return st, hd, page


def api(base, token, method, path, body=None):
	h = {"Authorization": "Bearer " + token}
	st, _, data = request(base, method, path,
	                      json.dumps(body) if body is not None else None,
	                      ctype="application/json", headers=h)
	try:
		return st, json.loads(data.decode() or "null")
	except ValueError:
		return st, data


def main(argv):
	(base, maildir, outdir, dbfile, files, tokens, heada, headb, op, kadis, auditor,
	 siti) = argv[1:13]
	tokens = json.load(open(tokens))
	os.makedirs(outdir, exist_ok=True)
	pdf = os.path.join(files, "pengantar.pdf")
	png = os.path.join(files, "ktp.png")
	kominfo = db(dbfile, "SELECT id FROM agencies WHERE name = 'Dinas Kominfo'")[0][0]
	dinkes = db(dbfile, "SELECT id FROM agencies WHERE name = 'Dinas Kesehatan'")[0][0]

	p = Page(outdir)
	# ---- the head of agency: the needs of a year --------------------------------
	check(login_by_link(p, base, maildir, heada), "the head of Dinas Kominfo logs in")
	p.goto(base + "/portal/kebutuhan?tahun=%d" % NEED_YEAR)
	check("Kebutuhan sertifikat elektronik" in p.text(), "the needs page opens (Bahasa Indonesia)")
	check(p.js("!!document.getElementById('need-create')"), "the head is offered the create form")
	p.shot("needs-head")
	submit(p, "#need-create")
	check("/portal/kebutuhan/" in p.url() and "Draf" in p.text(), "the draft is created", p.url())
	need_a = re.search(r"/kebutuhan/([0-9a-f]{16})", p.url()).group(1)
	fill(p, {"#i-jenis": "individu", "#i-guna": "signing", "#i-jumlah": "40",
	         "#i-alasan": "Penandatanganan naskah dinas"})
	submit(p, "#item-form")
	check("Butir ditambahkan" in p.text(), "an item is added")
	fill(p, {"#i-jenis": "sistem", "#i-guna": "ssl-server", "#i-jumlah": "2",
	         "#i-sistem": "SIMPEG", "#i-alasan": "Layanan kepegawaian"})
	submit(p, "#item-form")
	fill(p, {"#i-jenis": "individu", "#i-guna": "signing", "#i-jumlah": "-5"})
	submit(p, "#item-form")
	check("0 atau lebih" in p.text() and p.js("!!document.getElementById('form-error')"),
	      "a negative count is refused on the page", p.text()[:300])
	p.shot("needs-error")
	fill(p, {"#i-jenis": "individu", "#i-guna": "ssl-server", "#i-jumlah": "1"})
	submit(p, "#item-form")
	check(p.js("!!document.getElementById('form-error')") and "Tidak dapat diproses" in p.text(),
	      "a usage the type does not allow is refused on the page", p.text()[:300])
	check(db(dbfile, "SELECT COUNT(*) FROM gov_need_items WHERE need_id = ?", (need_a,))[0][0] == 2,
	      "only the two good items are stored")
	p.goto(base + "/portal/kebutuhan/" + need_a)
	p.shot("needs-draft")
	submit(p, "#submit-form")
	check("Diajukan" in p.text() and not p.js("!!document.getElementById('item-form')"),
	      "submitted: the items cannot change any more")
	p.shot("needs-submitted")
	logout(p)

	# ---- the OP operator analyses each item ----------------------------------
	check(login_by_link(p, base, maildir, op), "the OP operator logs in")
	p.goto(base + "/portal/kebutuhan/" + need_a)
	check(p.js("document.querySelectorAll('form.analyse-form').length") == 2,
	      "the operator is offered the analysis of each item")
	check(not p.js("!!document.getElementById('plan-form')"), "the operator cannot plan")
	p.shot("needs-analyse")
	fill(p, {"#p-1": "1", "#y-1": str(NEED_YEAR), "#q-1": "2", "#b-1": "60000000", "#s-1": "APBD"})
	submit(p, "#item-1 form.analyse-form")
	fill(p, {"#p-2": "2", "#y-2": str(NEED_YEAR - 1), "#q-2": "1", "#b-2": "15000000"})
	submit(p, "#item-2 form.analyse-form")
	check("tidak sebelum" in p.text() or "not before" in p.text(),
	      "a planned year before the needs' year is refused", p.text()[:200])
	fill(p, {"#p-2": "2", "#y-2": str(NEED_YEAR), "#q-2": "3", "#b-2": "15000000"})
	submit(p, "#item-2 form.analyse-form")
	check("Dianalisis" in p.text(), "every item analysed: the needs are analysed")
	logout(p)

	# ---- the Kepala Dinas plans them and reads the region's totals ---------------
	check(login_by_link(p, base, maildir, kadis), "the Kepala Dinas logs in")
	p.goto(base + "/portal/kebutuhan/" + need_a)
	submit(p, "#plan-form")
	check("Direncanakan" in p.text(), "the Kepala Dinas plans the needs")
	p.shot("needs-planned")
	p.goto(base + "/portal/kebutuhan?tahun=%d" % NEED_YEAR)
	tot = p.js("Array.from(document.querySelectorAll('#totals td.count')).map(function(e)"
	           "{return e.textContent}).join(',')")
	check(tot == "40,2", "the totals per type and usage", tot)
	p.shot("needs-list-dinas")

	# ---- the master plan ------------------------------------------------------
	p.goto(base + "/portal/rencana")
	check(p.js("!!document.getElementById('plan-none')"), "no plan yet")
	p.shot("plan-empty")
	fill(p, {"#n-judul": "Rencana Induk Sertifikat Elektronik", "#n-mulai": str(YEAR - 1),
	         "#n-acuan": "RPJMD Kota Cirebon; Rencana Induk SPBE",
	         "#n-alasan": "Perwali Pasal 9"})
	submit(p, "#plan-create")
	check("Rencana induk dibuat" in p.text() and p.js(
	      "document.querySelectorAll('#targets tbody tr').length") == 5,
	      "a plan of five years with a road map row per year")
	plan = db(dbfile, "SELECT id FROM gov_plans")[0][0]
	fill(p, {"#t-tahun": str(YEAR), "#t-asn": "45,5", "#t-sistem": "6", "#t-layanan": "20",
	         "#t-kegiatan": "Sosialisasi dan penerbitan massal", "#t-alasan": "Target tahun ini"})
	submit(p, "#target-form")
	check(db(dbfile, "SELECT asn_bp FROM gov_plan_targets WHERE year = ?", (YEAR,))[0][0] == 4550,
	      "45,5 % is kept as 4550 basis points")
	check("45,50%" in p.text(), "the share is shown as 45,50%")
	set_file(p, "#d-berkas", png)
	fill(p, {"#d-alasan": "RPJMD"})
	submit(p, "#doc-form")
	check("PDF" in p.text() and db(dbfile, "SELECT COUNT(*) FROM gov_plan_docs")[0][0] == 0,
	      "a PNG is refused as the plan's document", p.text()[:200])
	p.goto(base + "/portal/rencana")
	set_file(p, "#d-berkas", pdf)
	fill(p, {"#d-alasan": "RPJMD"})
	submit(p, "#doc-form")
	check("Dokumen diunggah" in p.text(), "the RPJMD PDF is uploaded")
	href = p.js("document.querySelector('a.doc-link').getAttribute('href')")
	jar = p.cookies()
	st, hd, data = request(base, "GET", href, cookies={"sertel_sesi": jar.get("sertel_sesi", "")})
	check(st == 200 and data == open(pdf, "rb").read(), "the document downloads as uploaded")
	fill(p, {"#r-tanggal": time.strftime("%Y-%m-%d", time.gmtime()),
	         "#r-hasil": "Target tahun berjalan on track"})
	submit(p, "#review-form")
	check("Reviu dicatat" in p.text() and "Tepat waktu" in p.text(), "a review: status ok")
	p.shot("plan")

	# ---- the decree --------------------------------------------------------------
	p.goto(base + "/portal/keputusan")
	fill(p, {"#k-nomor": "188.45/Kep.12-Diskominfo/2026", "#k-tanggal": "2026-01-05",
	         "#k-judul": "Perangkat daerah pengguna sertifikat elektronik"})
	set_file(p, "#k-berkas", pdf)
	submit(p, "#decree-form")
	check("Keputusan dicatat" in p.text(), "the decree is recorded with its PDF")
	fill(p, {"#s-instansi": kominfo})
	submit(p, "#scope-form")
	check("dimasukkan ke cakupan" in p.text() and "Dinas Kominfo" in p.js(
	      "document.getElementById('scope').innerText"), "Dinas Kominfo is in scope")
	p.shot("decree")
	p.goto(base + "/portal/kebutuhan?tahun=%d" % NEED_YEAR)
	check("188.45/Kep.12-Diskominfo/2026" in p.text(), "the needs list shows the decree's number")

	# ---- the review a year late: banner and notice --------------------------------
	seen = len(wait_mail(maildir, kadis, -1, 1))
	old = int(time.time()) - 400 * 86400
	db_write(dbfile, "UPDATE gov_plan_reviews SET reviewed_at = ?", (old - old % 86400,))
	db_write(dbfile, "UPDATE gov_plans SET created_at = ?", (old,))
	p.goto(base + "/portal/rencana")
	check(p.js("!!document.getElementById('review-banner')") and "terlambat" in p.text(),
	      "the late review banner on the plan page")
	p.shot("plan-late")
	p.goto(base + "/portal/keputusan")
	check(p.js("!!document.getElementById('review-banner')"), "the banner on the decree page too")
	mails = wait_mail(maildir, kadis, seen, 20)
	check(any("direviu" in m for m in mails[seen:]) or any("direviu" in m for m in mails),
	      "the Kepala Dinas is mailed that the review is late")
	time.sleep(2.5)
	again = wait_mail(maildir, kadis, -1, 1)
	check(len([m for m in again if "direviu" in m]) == 1, "mailed once, not at every round",
	      str(len(again)))
	logout(p)

	# ---- the auditor reads, changes nothing ----------------------------------------
	check(login_by_link(p, base, maildir, auditor), "the auditor logs in")
	for path, shot in (("/portal/kebutuhan?tahun=%d" % NEED_YEAR, "needs-auditor"),
	                   ("/portal/rencana", "plan-auditor"), ("/portal/keputusan", "decree-auditor"),
	                   ("/portal/kebutuhan/" + need_a, None)):
		p.goto(base + path)
		check(mutating_forms(p) == 0, "the auditor sees no control that changes %s" % path,
		      str(mutating_forms(p)))
		if shot:
			p.shot(shot)
	# The 400 answers to the refused forms above are the only ones expected.
	errs = [e for e in p.errors() if "status of 400" not in e]
	check(not errs, "no script errors", str(errs[:3]))
	p.close()

	# ---- every action with every role, raw HTTP ----------------------------------
	people = {}
	for name, email in (("heada", heada), ("headb", headb), ("op", op), ("kadis", kadis),
	                    ("auditor", auditor), ("siti", siti)):
		people[name] = login_raw(base, maildir, email)
		check(people[name] is not None, "%s logs in (raw HTTP)" % name)
	for path in ("/portal/kebutuhan", "/portal/kebutuhan/" + need_a, "/portal/rencana",
	             "/portal/keputusan"):
		st, hd, _ = raw(base, "GET", path)
		check(st == 303 and hd.get("Location", "").endswith("/portal/masuk"),
		      "anonymous GET %s: sent to the login page" % path, str(st))
		st, _, _ = raw(base, "GET", path, cookies=people["siti"][0])
		check(st == 403, "an applicant GET %s: 403" % path, str(st))
		for who in ("heada", "op", "kadis", "auditor"):
			st, _, _ = raw(base, "GET", path, cookies=people[who][0])
			check(st == 200, "%s GET %s: 200" % (who, path), str(st))
	st, _, _ = raw(base, "GET", "/portal/kebutuhan/" + need_a, cookies=people["headb"][0])
	check(st == 403, "the head of another agency cannot read Kominfo's needs", str(st))
	st, _, page = raw(base, "GET", "/portal/kebutuhan?tahun=%d" % NEED_YEAR,
	                  cookies=people["headb"][0])
	check(st == 200 and "Dinas Kominfo" not in page, "the other head's list holds only their own")

	def refused(who, path, form, status=403, csrf=True, what=None):
		before = snap(dbfile)
		st, _, page = post(base, people[who], path, form, csrf)
		after = snap(dbfile)
		check(st == status and before == after, "%s POST %s refused (%d), nothing changed" % (
		      who, what or path, status), "status %d, %s -> %s" % (st, before, after))

	def allowed(who, path, form, what=None):
		before = snap(dbfile)
		st, hd, page = post(base, people[who], path, form)
		check(st == 303 and snap(dbfile) != before, "%s POST %s works" % (who, what or path),
		      "status %d %s" % (st, page[:300]))
		return hd.get("Location", "")

	y2 = NEED_YEAR + 1
	create = {"instansi": kominfo, "tahun": str(y2)}
	for who in ("siti", "headb", "op", "kadis", "auditor"):
		refused(who, "/portal/kebutuhan/baru", create, what="create Kominfo's needs")
	refused("heada", "/portal/kebutuhan/baru", create, csrf=False, what="create without CSRF")
	loc = allowed("heada", "/portal/kebutuhan/baru", create, "create Kominfo's needs")
	n2 = re.search(r"/kebutuhan/([0-9a-f]{16})", loc).group(1)
	item = {"jenis": "jabatan", "penggunaan": "signing,email", "jumlah": "3"}
	for who in ("headb", "op", "kadis", "auditor"):
		refused(who, "/portal/kebutuhan/%s/butir" % n2, item, what="add an item")
	refused("heada", "/portal/kebutuhan/%s/butir" % n2, dict(item, jumlah="-1"), status=400,
	        what="add a negative count")
	allowed("heada", "/portal/kebutuhan/%s/butir" % n2, item, "add an item")
	for who in ("headb", "op", "kadis", "auditor"):
		refused(who, "/portal/kebutuhan/%s/ajukan" % n2, {}, what="submit")
	refused("kadis", "/portal/kebutuhan/%s/rencanakan" % n2, {}, status=409, what="plan a draft")
	allowed("heada", "/portal/kebutuhan/%s/ajukan" % n2, {}, "submit")
	refused("heada", "/portal/kebutuhan/%s/ajukan" % n2, {}, status=409, what="submit twice")
	an = {"butir": "1", "prioritas": "3", "tahun": str(y2), "triwulan": "4", "anggaran": "9000000",
	      "sumber": "APBD"}
	for who in ("heada", "headb", "auditor"):
		refused(who, "/portal/kebutuhan/%s/analisis" % n2, an, what="analyse")
	allowed("op", "/portal/kebutuhan/%s/analisis" % n2, an, "analyse")
	for who in ("heada", "op", "auditor"):
		refused(who, "/portal/kebutuhan/%s/rencanakan" % n2, {}, what="plan")
		refused(who, "/portal/kebutuhan/%s/tolak" % n2, {"alasan": "x"}, what="reject")
	refused("kadis", "/portal/kebutuhan/%s/tolak" % n2, {}, status=400, what="reject without reason")
	allowed("kadis", "/portal/kebutuhan/%s/tolak" % n2, {"alasan": "Anggaran belum tersedia"},
	        "reject")
	for who in ("headb", "op", "kadis", "auditor"):
		refused(who, "/portal/kebutuhan/%s/buka" % n2, {"alasan": "x"}, what="reopen")
	allowed("heada", "/portal/kebutuhan/%s/buka" % n2, {"alasan": "Jumlah dikurangi"}, "reopen")

	target = {"tahun": str(YEAR), "asn": "50", "sistem": "7", "layanan": "21", "alasan": "r"}
	plan_forms = (("/portal/rencana/%s/target" % plan, target, "set a target"),
	              ("/portal/rencana/%s/reviu" % plan,
	               {"tanggal": time.strftime("%Y-%m-%d", time.gmtime()), "hasil": "ok"}, "review"),
	              ("/portal/rencana/%s/ubah" % plan, {"acuan": "RPJMD baru", "alasan": "r"},
	               "change the references"),
	              ("/portal/rencana/baru", {"judul": "X", "mulai": str(YEAR + 10), "alasan": "r"},
	               "create a plan"))
	for path, form, what in plan_forms:
		for who in ("heada", "op", "auditor"):
			refused(who, path, form, what=what)
		refused("kadis", path, form, csrf=False, what=what + " without CSRF")
		allowed("kadis", path, form, what)
	refused("kadis", "/portal/rencana/%s/target" % plan, dict(target, asn="100,01"), status=400,
	        what="a share over 100 %")
	refused("kadis", "/portal/rencana/baru", {"judul": "Y", "mulai": str(YEAR), "alasan": "r"},
	        status=409, what="an overlapping plan")
	pdfdata = open(pdf, "rb").read()
	for who in ("op", "auditor", "heada"):
		before = snap(dbfile)
		body, ct = multipart({"csrf": people[who][1], "alasan": "x"}, {"berkas": ("a.pdf", pdfdata)})
		st, _, _ = raw(base, "POST", "/portal/rencana/%s/dokumen" % plan, body,
		               cookies=people[who][0], ctype=ct)
		check(st == 403 and snap(dbfile) == before, "%s uploads a plan document: 403" % who, str(st))
		body, ct = multipart({"csrf": people[who][1], "nomor": "X/%s" % who,
		                      "tanggal": "2026-02-01"}, {})
		st, _, _ = raw(base, "POST", "/portal/keputusan/baru", body, cookies=people[who][0],
		               ctype=ct)
		check(st == 403 and snap(dbfile) == before, "%s records a decree: 403" % who, str(st))
	before = snap(dbfile)
	body, ct = multipart({"nomor": "X/nocsrf", "tanggal": "2026-02-01"}, {})
	st, _, _ = raw(base, "POST", "/portal/keputusan/baru", body, cookies=people["kadis"][0], ctype=ct)
	check(st == 403 and snap(dbfile) == before, "a decree without the CSRF token: 403", str(st))
	body, ct = multipart({"csrf": people["kadis"][1], "nomor": "X/bad", "tanggal": "2026-02-30"}, {})
	st, _, page = raw(base, "POST", "/portal/keputusan/baru", body, cookies=people["kadis"][0],
	                  ctype=ct)
	check(st == 400 and snap(dbfile) == before and "YYYY-MM-DD" in page,
	      "a decree dated 30 February: 400, nothing stored", str(st))
	decree = db(dbfile, "SELECT id FROM gov_decrees")[0][0]
	for who in ("heada", "op", "auditor"):
		refused(who, "/portal/keputusan/cakupan", {"instansi": dinkes, "keputusan": decree},
		        what="put an agency in scope")
		refused(who, "/portal/keputusan/keluarkan", {"instansi": kominfo, "alasan": "x"},
		        what="remove an agency from scope")
	allowed("kadis", "/portal/keputusan/cakupan", {"instansi": dinkes, "keputusan": decree},
	        "put Dinas Kesehatan in scope")
	refused("kadis", "/portal/keputusan/cakupan", {"instansi": dinkes, "keputusan": decree},
	        status=409, what="put it in scope twice")
	refused("kadis", "/portal/keputusan/keluarkan", {"instansi": dinkes}, status=400,
	        what="remove without a reason")
	allowed("kadis", "/portal/keputusan/keluarkan", {"instansi": dinkes, "alasan": "Digabung"},
	        "remove Dinas Kesehatan from scope")

	# ---- the REST API --------------------------------------------------------------
	st, j = api(base, tokens["siti"], "GET", "/api/v1/gov/needs")
	check(st == 403 and isinstance(j, dict) and "error" in j and "code" in j,
	      "API: an applicant reads no needs (403, JSON error)", "%d %s" % (st, j))
	st, j = api(base, tokens["heada"], "GET", "/api/v1/gov/needs?year=%d" % NEED_YEAR)
	check(st == 200 and len(j["needs"]) == 1 and "totals" not in j,
	      "API: a head reads their own agency's needs, no region totals", str(j)[:200])
	st, j = api(base, tokens["op"], "GET", "/api/v1/gov/needs?year=%d" % NEED_YEAR)
	check(st == 200 and sum(t["count"] for t in j["totals"]) == 42, "API: the Dinas reads the totals",
	      str(j)[:300])
	before = snap(dbfile)
	st, j = api(base, tokens["headb"], "POST", "/api/v1/gov/needs",
	            {"agency": kominfo, "year": YEAR + 5})
	check(st == 403 and snap(dbfile) == before, "API: the head of another agency: 403", str(st))
	st, j = api(base, tokens["heada"], "POST", "/api/v1/gov/needs",
	            {"agency": kominfo, "year": YEAR + 5, "colour": "red"})
	check(st == 400 and snap(dbfile) == before, "API: an unknown field: 400", str(j))
	st, j = api(base, tokens["heada"], "POST", "/api/v1/gov/needs",
	            {"agency": "nope", "year": YEAR + 5})
	check(st == 404 and "no such agency" in j.get("error", ""), "API: unknown agency: 404", str(j))
	st, j = api(base, tokens["heada"], "POST", "/api/v1/gov/needs",
	            {"agency": kominfo, "year": YEAR + 5, "justification": "API"})
	check(st == 201 and j["state"] == "draft", "API: the head creates a draft", str(j)[:200])
	nid = j["id"]
	st, j = api(base, tokens["heada"], "POST", "/api/v1/gov/needs/%s/items" % nid,
	            {"type": "individu", "usage": "signing", "count": -2})
	check(st == 400 and "0 or more" in j.get("error", ""), "API: negative count: 400", str(j))
	st, j = api(base, tokens["heada"], "POST", "/api/v1/gov/needs/%s/items" % nid,
	            {"type": "individu", "usage": "signing", "count": 2})
	check(st == 200 and j["items"] == 1, "API: an item", str(j)[:200])
	st, j = api(base, tokens["kadis"], "POST", "/api/v1/gov/needs/%s/plan" % nid, {})
	check(st == 409, "API: planning a draft: 409", str(j))
	st, j = api(base, tokens["heada"], "POST", "/api/v1/gov/needs/%s/submit" % nid, {})
	check(st == 200 and j["state"] == "submitted", "API: submitted", str(j)[:200])
	st, j = api(base, tokens["auditor"], "POST", "/api/v1/gov/needs/%s/items/1/analysis" % nid,
	            {"priority": 1, "planned_year": YEAR + 5, "planned_quarter": 1,
	             "budget_amount": 100, "budget_source": "APBD"})
	check(st == 403, "API: the auditor cannot analyse", str(j))
	st, j = api(base, tokens["op"], "POST", "/api/v1/gov/needs/%s/items/1/analysis" % nid,
	            {"priority": 1, "planned_year": YEAR + 5, "planned_quarter": 1,
	             "budget_amount": 100, "budget_source": "APBD"})
	check(st == 200 and j["state"] == "analysed", "API: analysed", str(j)[:200])
	st, j = api(base, tokens["kadis"], "POST", "/api/v1/gov/needs/%s/plan" % nid, {})
	check(st == 200 and j["state"] == "planned", "API: planned", str(j)[:200])
	st, j = api(base, tokens["kadis"], "GET", "/api/v1/gov/plans/%s" % plan)
	check(st == 200 and len(j["targets"]) == 5 and j["review_status"] in ("ok", "due", "late"),
	      "API: the plan with its road map and review status", str(j)[:200])
	st, j = api(base, tokens["op"], "POST", "/api/v1/gov/plans/%s/targets/%d" % (plan, YEAR),
	            {"asn_percent": "60", "systems": 1, "services": 1, "reason": "x"})
	check(st == 403, "API: an operator sets no target", str(j))
	st, j = api(base, tokens["kadis"], "POST", "/api/v1/gov/plans/%s/targets/%d" % (plan, YEAR),
	            {"asn_percent": "60.25", "systems": 8, "services": 30, "reason": "revisi"})
	check(st == 200 and [t for t in j["targets"] if t["year"] == YEAR][0]["asn_bp"] == 6025,
	      "API: the Kepala Dinas sets a target (60.25 % = 6025 bp)", str(j)[:200])
	st, j = api(base, tokens["kadis"], "POST", "/api/v1/gov/plans/%s/documents" % plan,
	            {"file": {"filename": "ktp.pdf",
	                      "data": base64.b64encode(open(png, "rb").read()).decode()},
	             "reason": "x"})
	check(st == 400, "API: a PNG named .pdf is refused", str(j))
	st, j = api(base, tokens["kadis"], "POST", "/api/v1/gov/decrees",
	            {"number": "188.45/Kep.12-Diskominfo/2026", "date": "2026-03-01"})
	check(st == 409, "API: a decree number twice: 409", str(j))
	st, j = api(base, tokens["heada"], "GET", "/api/v1/gov/scope/%s" % kominfo)
	check(st == 200 and j.get("in_scope") is True and j.get("number", "").startswith("188.45"),
	      "API: an agency's scope with the decree's number", str(j))
	st, j = api(base, tokens["siti"], "GET", "/api/v1/gov/scope")
	check(st == 403, "API: an applicant reads no scope", str(j))
	st, j = api(base, tokens["kadis"], "POST", "/api/v1/gov/scope/%s/remove" % kominfo, {})
	check(st == 400, "API: a removal without reason: 400", str(j))
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
