#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The operator's tools and the Kepala Dinas's rules in real headless
Chromium, and raw HTTP for every role on every route of the area.

Usage: oper_flow.py BASE MAILDIR SHOTS DBFILE; the people and serials come
in the environment (test_portal_oper.sh)."""
import base64
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_by_link, raw, shown, summary  # noqa: E402

base, maildir, shots, dbfile = sys.argv[1:5]
E = os.environ
os.makedirs(shots, exist_ok=True)
DOM = "kominfo.cirebonkota.go.id"
MAILS = {
	"siti": "siti@" + DOM, "andi": "andi@" + DOM, "kadis": "kadis@" + DOM,
	"op1": "op1@" + DOM, "op2": "op2@" + DOM, "budi": "budi@" + DOM,
	"head": "kepala@" + DOM,
}


def db_one(sql, *args):
	c = sqlite3.connect(dbfile, timeout=10)
	try:
		return c.execute(sql, args).fetchone()[0]
	finally:
		c.close()


def counts():
	"""What a refused request must leave as it was."""
	return (db_one("SELECT COUNT(*) FROM audit"),
	        db_one("SELECT COUNT(*) FROM certs WHERE revoked = 1"),
	        db_one("SELECT COUNT(*) FROM sanctions"),
	        db_one("SELECT COUNT(*) FROM esign_clients WHERE removed = 0"),
	        db_one("SELECT COUNT(*) FROM approval_rules"),
	        db_one("SELECT roles FROM persons WHERE nik = ?", E["OP1"]),
	        db_one("SELECT COUNT(*) FROM esign_owners WHERE locked = 1"))


def csrf_of(sess):
	status, _, body = raw(base, "GET", "/portal/pemberitahuan", cookies=sess)
	m = re.search(r'name="csrf" value="([0-9a-f]{64})"', body)
	return m.group(1) if m else ""


def form(d):
	return urllib.parse.urlencode(d)


def cli(*args):
	r = subprocess.run([E["SERTEL_BIN"]] + list(args) + ["--dir", E["INST_DIR"]],
	                   capture_output=True, text=True, timeout=120)
	return r.returncode, r.stdout, r.stderr


def basic(name, secret, path, body):
	import http.client
	u = urllib.parse.urlsplit(base)
	c = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
	tok = base64.b64encode(("%s:%s" % (name, secret)).encode()).decode()
	c.request("POST", path, body=json.dumps(body),
	          headers={"Authorization": "Basic " + tok, "Content-Type": "application/json"})
	r = c.getresponse()
	data = r.read().decode("utf-8", "replace")
	c.close()
	return r.status, data


p = Page(shots)


def as_user(sess):
	"""The browser becomes the holder of this session."""
	p.b.send("Network.clearBrowserCookies")
	u = urllib.parse.urlsplit(base)
	p.b.send("Network.setCookie", {"name": "sertel_sesi", "value": sess["sertel_sesi"],
	                               "domain": u.hostname, "path": "/portal"})


def fill(sel, value):
	p.js("document.querySelector(%s).value = %s" % (json.dumps(sel), json.dumps(value)))


def rows(table):
	return p.js("document.querySelectorAll('#%s tbody tr').length" % table)


try:
	# ---- a session for every role (the browser logs each in by link) ------------
	S = {}
	for who, mail in MAILS.items():
		ok = login_by_link(p, base, maildir, mail)
		check(ok, "%s logs in by a mailed link" % who)
		S[who] = {"sertel_sesi": p.cookies().get("sertel_sesi", "")}
		p.b.send("Network.clearBrowserCookies")
	ANON = {}

	# Siti submits an application now: the OP operators are told it waits.
	rc, out, err = cli("ra", "apply", "--as", E["SITI"], "--type", "individu", "--usage",
	                   "signing", "--attach", "pengantar=%s/pengantar.pdf" % E["ATT_DIR"],
	                   "--attach", "rekomendasi=%s/rekomendasi.pdf" % E["ATT_DIR"],
	                   "--attach", "ktp=%s/ktp.png" % E["ATT_DIR"], "--json")
	sapp = json.loads(out)["id"] if rc == 0 else ""
	check(rc == 0 and cli("ra", "submit", "--as", E["SITI"], sapp)[0] == 0,
	      "Siti applies and submits", err)
	check(db_one("SELECT COUNT(*) FROM mail_queue WHERE kind = 'waiting' AND to_addr IN "
	             "(?, ?) AND subject LIKE ?", MAILS["op1"], MAILS["op2"],
	             "%" + sapp + "%") == 2,
	      "both OP operators are notified that Siti's application waits")
	check(db_one("SELECT COUNT(*) FROM mail_queue WHERE kind = 'waiting' AND to_addr = ?",
	             MAILS["siti"]) == 0, "the applicant gets no 'waiting for the OP' notice")

	# ---- the search, by each criterion ----------------------------------------------
	as_user(S["op1"])
	p.goto(base + "/portal/cari")
	check(p.js("!!document.getElementById('search')"), "operator: the search form")
	check("Cari sertifikat" in p.text(), "the menu names the search in Bahasa Indonesia")
	p.goto(base + "/portal/cari?nik=" + E["SITI"])
	check(rows("certs") == 2 and shown(E["SITI1"]) in p.text() and shown(E["SITI2"]) in p.text(),
	      "search by NIK finds Siti's two certificates", p.text()[:300])
	check("2 sertifikat ditemukan" in p.text(), "the count is shown")
	p.shot("search")
	p.goto(base + "/portal/cari?nama=aminah")
	check(rows("certs") == 2, "search by part of the name, any case")
	s1 = E["ANDI1"]
	colon = shown(s1).upper()
	spaced = " ".join(s1[i:i + 2] for i in range(0, len(s1), 2))
	decimal = str(int(s1, 16))
	for label, typed in (("hex with colons, upper case", colon),
	                     ("hex with spaces", spaced), ("decimal", decimal)):
		p.goto(base + "/portal/cari")
		fill("#seri", typed)
		p.click_and_load("#cari")
		check(rows("certs") == 1 and shown(s1) in p.text(),
		      "search by serial typed as %s" % label, typed)
	p.shot("search-serial")
	kes = db_one("SELECT id FROM agencies WHERE name = 'Dinas Kesehatan'")
	p.goto(base + "/portal/cari?instansi=" + kes)
	check(rows("certs") == 1 and "Rina Kusuma" in p.text(), "search by agency")
	p.goto(base + "/portal/cari?berakhir=10")
	check(rows("certs") == 1 and shown(E["RINA1"]) in p.text(), "search: ending within 10 days")
	p.goto(base + "/portal/cari?status=valid&nik=" + E["ANDI"])
	check(rows("certs") == 1, "search by status valid")
	p.goto(base + "/portal/cari?status=revoked")
	check("Tidak ada sertifikat yang cocok" in p.text(), "nothing revoked yet")
	status, _, body = raw(base, "GET", "/portal/cari?seri=zz:01", cookies=S["op1"])
	check(status == 400 and "Pencarian tidak dapat dilakukan" in body,
	      "an unreadable serial: 400 with the message in Bahasa Indonesia")
	status, _, body = raw(base, "GET", "/portal/cari?berakhir=-3", cookies=S["op1"])
	check(status == 400, "a negative number of days: 400")
	status, _, body = raw(base, "GET", "/portal/cari?nama=" + "a" * 400, cookies=S["op1"])
	check(status == 400 and "Pencarian tidak dapat dilakukan" in body,
	      "an oversized name: 400, said on the page")
	c0 = counts()
	status, _, body = raw(base, "POST", "/portal/cari/cabut/jalankan",
	                      form({"csrf": csrf_of(S["op1"]), "sebab": "evaluasi-op",
	                            "alasan": "x" * 501, "c_0": E["ANDI1"]}), cookies=S["op1"])
	check(status == 400 and "paling banyak 500" in body and counts() == c0,
	      "a reason over 500 characters: 400, nothing revoked")
	status, _, body = raw(base, "POST", "/portal/cari/cabut",
	                      form({"csrf": csrf_of(S["op1"]), "sebab": "pensiun",
	                            "alasan": "x", "satu": E["ANDI1"]}), cookies=S["op1"])
	check(status == 400 and "sebab pencabutan yang boleh dipakai OP" in body,
	      "a cause that is not the OP's (pensiun) is refused")

	# ---- select all on the page: the confirmation names every row ---------------------
	p.goto(base + "/portal/cari?status=valid&nik=" + E["ANDI"])
	p.js("document.getElementById('semua').click()")
	fill("#alasan", "evaluasi berkala")
	p.click_and_load("#bulk-revoke")
	check(rows("confirm") == 1 and shown(s1) in p.text(), "'select all on this page' confirms each row")
	p.shot("search-all")

	# ---- bulk revocation of Siti's two -------------------------------------------------
	before = db_one("SELECT COUNT(*) FROM certs WHERE revoked = 1")
	p.goto(base + "/portal/cari?nik=" + E["SITI"])
	p.js("document.getElementById('s_0').click(); document.getElementById('s_1').click()")
	p.js("document.getElementById('sebab').value = 'evaluasi-op'")
	p.click_and_load("#bulk-revoke")
	check("Alasan wajib diisi" in p.text(), "bulk revocation without a reason: refused on the page")
	check(db_one("SELECT COUNT(*) FROM certs WHERE revoked = 1") == before,
	      "... and nothing revoked")
	p.goto(base + "/portal/cari?nik=" + E["SITI"])
	p.js("document.getElementById('s_0').click(); document.getElementById('s_1').click()")
	p.js("document.getElementById('sebab').value = 'evaluasi-op'")
	fill("#alasan", "hasil evaluasi OP triwulan")
	p.click_and_load("#bulk-revoke")
	t = p.text()
	check(rows("confirm") == 2 and shown(E["SITI1"]) in t and shown(E["SITI2"]) in t and
	      "Siti Aminah" in t and "Dinas Kominfo" in t,
	      "the confirmation lists each certificate with its owner and agency")
	check("2 sertifikat akan dicabut" in t, "the confirmation says how many")
	check(db_one("SELECT COUNT(*) FROM certs WHERE revoked = 1") == before,
	      "nothing is revoked before the final button")
	p.shot("confirm")
	p.click_and_load("#revoke-final")
	check("2 dicabut, 0 gagal" in p.text(), "the result: two revoked", p.text()[:300])
	check(db_one("SELECT COUNT(*) FROM certs WHERE revoked = 1 AND serial IN (?, ?)",
	             E["SITI1"], E["SITI2"]) == 2, "both are revoked in the store")
	p.shot("result")
	p.goto(base + "/portal/cari?status=revoked")
	check(rows("certs") == 2, "search by status revoked finds them")
	# One fails (already revoked), the other succeeds and stays.
	tok = csrf_of(S["op1"])
	status, _, body = raw(base, "POST", "/portal/cari/cabut/jalankan",
	                      form({"csrf": tok, "sebab": "sanksi", "alasan": "uji",
	                            "c_0": E["SITI1"], "c_1": E["RINA1"]}), cookies=S["op1"])
	check(status == 409 and "1 dicabut, 1 gagal" in body and "Sebagian gagal" in body,
	      "a failure is reported per row and said on the page", body[:200])
	check(db_one("SELECT revoked FROM certs WHERE serial = ?", E["RINA1"]) == 1,
	      "... and the other one stays revoked")
	# The same partial failure through the browser, for its screenshot:
	# a form posted from a portal page (Andi's certificate is valid, the
	# made-up serial is unknown).
	p.goto(base + "/portal/cari")
	seen = len(p.b.events)
	p.js("var f = document.createElement('form'); f.method = 'post';"
	     "f.action = '/portal/cari/cabut/jalankan';"
	     "[['csrf', %s], ['sebab', 'sanksi'], ['alasan', 'uji'], ['c_0', '0a0b0c0d'],"
	     " ['c_1', %s]].forEach(function (kv) { var i = document.createElement('input');"
	     " i.type = 'hidden'; i.name = kv[0]; i.value = kv[1]; f.appendChild(i); });"
	     "document.body.appendChild(f); f.submit();" % (json.dumps(tok), json.dumps(E["SITI2"])))
	p._wait_load(seen)
	check("0 dicabut, 2 gagal" in p.text(), "the browser shows each row's failure", p.text()[:300])
	p.shot("result-partial")

	# ---- warnings up to the threshold (3) and the proposal ---------------------------------
	p.goto(base + "/portal/peringatan?nik=" + E["ANDI"])
	check(p.js("!!document.getElementById('warn')"), "operator: the warning form")
	for i in range(1, 4):
		p.goto(base + "/portal/peringatan?nik=" + E["ANDI"])
		fill("#w-alasan", "pelanggaran ketentuan ke-%d" % i)
		p.click_and_load("#warn-go")
	t = p.text()
	check("jumlah peringatan: 3" in t and "usulan pencabutan baru: 1" in t,
	      "the third warning opens a revocation proposal", t[:300])
	check(rows("warnings") == 3, "the warnings list holds the three")
	check(rows("proposals") == 1 and shown(E["ANDI1"]) in t, "the proposal names Andi's certificate")
	p.shot("warn-proposal")
	p.goto(base + "/portal/peringatan")
	p.shot("warn")
	fill("#w-nik", E["ANDI"])
	p.click_and_load("#warn-go")
	check("Alasan wajib diisi" in p.text(), "a warning without a reason is refused on the page")

	# ---- unlock the signer locked on the e-sign API ------------------------------------------
	p.goto(base + "/portal/kunci")
	check(rows("locked") == 1 and "Lukman Hakim" in p.text(), "the locked owner is listed")
	p.shot("locked")
	p.js("document.querySelector('#locked input[name=alasan]').value = "
	     "'pemilik hadir, identitas diperiksa'")
	p.click_and_load("button.unlock-go")
	check("Kunci dibuka kembali" in p.text(), "unlocked, said on the page")
	check(db_one("SELECT locked FROM esign_owners WHERE nik = ?", E["LUKMAN"]) == 0,
	      "the store says unlocked")
	check(db_one("SELECT COUNT(*) FROM audit WHERE action = 'esign.unlock' AND reason LIKE ?",
	             "%identitas diperiksa%") == 1, "the unlock is audited with its reason")
	p.shot("locked-none")

	# ---- notices ----------------------------------------------------------------------------
	p.goto(base + "/portal/pemberitahuan")
	check("menunggu verifikasi OP" in p.text(), "the operator's notices list the waiting application")
	p.shot("notices")
	as_user(S["siti"])
	p.goto(base + "/portal/pemberitahuan")
	t = p.text()
	check("dicabut" in t and "telah diajukan" in t, "the owner's notices: submitted, revoked")
	first = p.js("document.querySelector('#notices .subject').textContent")
	check("dicabut" in first, "newest first", first)
	p.shot("notices-owner")

	# ---- e-sign client applications (the Kepala Dinas) ------------------------------------
	as_user(S["kadis"])
	p.goto(base + "/portal/klien")
	check("penyiapan" in p.text(), "the clients list shows the one added with the CLI")
	p.shot("clients")
	fill("#k-nama", "srikandi")
	p.js("document.getElementById('izin_verify').click()")
	p.click_and_load("#client-add-go")
	secret = p.js("(document.getElementById('secret')||{}).textContent || ''")
	check(len(secret) >= 20, "the secret is shown after adding")
	p.shot("clients-secret")
	check(db_one("SELECT COUNT(*) FROM esign_clients WHERE secret_hash = ?", secret) == 0 and
	      db_one("SELECT COUNT(*) FROM esign_clients WHERE secret_hash = ?",
	             hashlib.sha256(secret.encode()).hexdigest()) == 1,
	      "only the secret's SHA-256 is stored")
	status, data = basic("srikandi", secret, "/api/v2/user/check/status", {"nik": E["SITI"]})
	check(status == 200, "the secret authenticates to /api/v2/user/check/status", data[:200])
	status, data = basic("srikandi", "x" + secret, "/api/v2/user/check/status",
	                     {"nik": E["SITI"]})
	check(status == 401, "a wrong secret does not")
	p.goto(base + "/portal/klien")
	check(secret not in p.js("document.documentElement.outerHTML") and
	      not p.js("!!document.getElementById('secret')"),
	      "reloading the page does not show the secret again")
	p.js("document.querySelector('button.client-revoke[data-name=srikandi]')"
	     ".closest('form').querySelector('input[name=alasan]').value = 'tidak dipakai lagi'")
	p.click_and_load("button.client-revoke[data-name=srikandi]")
	check("Aplikasi klien dicabut" in p.text() and "srikandi" not in p.text(),
	      "the client is revoked and gone from the list")
	p.shot("clients-revoked")
	status, _ = basic("srikandi", secret, "/api/v2/user/check/status", {"nik": E["SITI"]})
	check(status == 401, "the revoked client's secret no longer authenticates")
	# A new secret for the one added with the CLI: shown once, the old one fails.
	p.js("document.querySelector('button.rotate[data-name=penyiapan]')"
	     ".closest('form').querySelector('input[name=alasan]').value = 'rahasia bocor'")
	p.click_and_load("button.rotate[data-name=penyiapan]")
	fresh = p.js("(document.getElementById('secret')||{}).textContent || ''")
	check(len(fresh) >= 20 and fresh != E["SETUP_SECRET"], "rotation shows a new secret")
	check(basic("penyiapan", fresh, "/api/v2/user/check/status", {"nik": E["SITI"]})[0] == 200,
	      "the new secret authenticates")
	check(basic("penyiapan", E["SETUP_SECRET"], "/api/v2/user/check/status",
	            {"nik": E["SITI"]})[0] == 401, "the old secret no longer does")

	# ---- the Kepala Dinas: every queue, approval rules, dismissal -------------------------------
	p.goto(base + "/portal/antrian")
	t = p.text()
	check(E["RAPP"] in t and sapp in t and "Dinas Kesehatan" in t and "Dinas Kominfo" in t,
	      "the Kepala Dinas sees every agency's queue")
	p.shot("queue-kadis")
	tokk = csrf_of(S["kadis"])
	status, _, body = raw(base, "POST", "/portal/dinas/persetujuan",
	                      form({"csrf": tokk, "jenis": "individu", "jumlah": "3"}),
	                      cookies=S["kadis"])
	check(status == 400 and "ditolak" in body and
	      db_one("SELECT COUNT(*) FROM approval_rules") == 0,
	      "a rule without a reason is refused on the page, nothing stored", body[:200])
	status, _, body = raw(base, "POST", "/portal/dinas/persetujuan",
	                      form({"csrf": tokk, "jenis": "individu", "jumlah": "0",
	                            "alasan": "x"}), cookies=S["kadis"])
	check(status == 400 and "1 sampai 16" in body, "a rule of 0 approvals is refused")
	p.goto(base + "/portal/dinas")
	p.js("document.getElementById('r-jenis').value = 'individu'")
	fill("#r-jumlah", "3")
	fill("#r-alasan", "tiga pengelola untuk individu")
	p.click_and_load("#rule-save")
	check("Aturan persetujuan disimpan" in p.text(), "the rule is saved")
	check(p.js("document.querySelector('#rules td.needed[data-type=individu]').textContent")
	      == "3", "the rules table shows 3 for individu")
	p.shot("dinas-rules")
	rc, out, err = cli("ra", "apply", "--as", E["ANDI"], "--type", "individu", "--usage",
	                   "signing", "--attach", "pengantar=%s/pengantar.pdf" % E["ATT_DIR"],
	                   "--attach", "rekomendasi=%s/rekomendasi.pdf" % E["ATT_DIR"],
	                   "--attach", "ktp=%s/ktp.png" % E["ATT_DIR"], "--json")
	check(rc == 0 and json.loads(out)["approvals_needed"] == 3,
	      "an application made after the change needs 3 approvals", err)
	check(db_one("SELECT approvals_needed FROM applications WHERE id = ?", E["RAPP"]) == 2,
	      "the older one keeps 2")
	# op2 approves Rina's application once (allowed), is dismissed, then refused.
	tok2 = csrf_of(S["op2"])
	status, _, _ = raw(base, "POST", "/portal/permohonan/%s/putuskan" % E["RAPP"],
	                   form({"csrf": tok2, "keputusan": "setujui"}), cookies=S["op2"])
	check(status == 303, "op2 may decide before the dismissal", str(status))
	p.goto(base + "/portal/dinas")
	p.js("var f = document.querySelector('button.dismiss-go[data-nik=\"%s\"]').closest('form');"
	     "f.querySelector('select').value = 'operator-op';"
	     "f.querySelector('input[name=alasan]').value = 'pindah tugas'" % E["OP2"])
	p.click_and_load("button.dismiss-go[data-nik=\"%s\"]" % E["OP2"])
	check("Peran dicabut" in p.text(), "the Kepala Dinas removes op2")
	check("operator-op" not in db_one("SELECT roles FROM persons WHERE nik = ?", E["OP2"]),
	      "op2 holds no operator role in the store")
	p.shot("dinas-dismissed")
	approvals = db_one("SELECT COUNT(*) FROM approvals WHERE application_id = ?", E["RAPP"])
	status, _, body = raw(base, "POST", "/portal/permohonan/%s/putuskan" % E["RAPP"],
	                      form({"csrf": tok2, "keputusan": "setujui"}), cookies=S["op2"])
	check(status == 403, "op2's next decision is refused", "%d %s" % (status, body[:200]))
	check(db_one("SELECT COUNT(*) FROM approvals WHERE application_id = ?", E["RAPP"]) ==
	      approvals, "... and records nothing")
	status, _, _ = raw(base, "GET", "/portal/cari", cookies=S["op2"])
	check(status == 403, "op2 no longer opens the operator's search")

	# ---- an auditor reads, without one mutating control ---------------------------------------
	as_user(S["budi"])
	p.goto(base + "/portal/cari?nik=" + E["SITI"])
	check(rows("certs") == 2, "the auditor reads the search")
	check(p.js("document.querySelectorAll('#bulk-revoke, input[type=checkbox], "
	           "button.revoke-one, form[method=post][action$=\"/cari/cabut\"]').length") == 0,
	      "the auditor sees no revocation control")
	p.shot("search-auditor")
	p.goto(base + "/portal/peringatan")
	check(not p.js("!!document.getElementById('warn')"), "the auditor sees no warning form")
	as_user(S["kadis"])
	p.goto(base + "/portal/cari?nik=" + E["SITI"])
	check(p.js("document.querySelectorAll('#bulk-revoke, button.revoke-one').length") == 0,
	      "the Kepala Dinas reads the search without revocation controls")

	# ---- raw HTTP: every route, every role ------------------------------------------------------
	op_only = ("op1",)
	readers = ("op1", "kadis", "budi")
	kd_only = ("kadis",)
	everyone = tuple(MAILS)
	gets = [("/portal/cari", readers), ("/portal/peringatan", readers),
	        ("/portal/kunci", op_only), ("/portal/klien", kd_only),
	        ("/portal/pemberitahuan", everyone), ("/portal/dinas", kd_only)]
	for path, allowed in gets:
		status, hdrs, _ = raw(base, "GET", path, cookies=ANON)
		check(status == 303 and hdrs.get("Location", "").endswith("/portal/masuk"),
		      "anonymous GET %s: the login redirect" % path)
		for who in MAILS:
			status, _, _ = raw(base, "GET", path, cookies=S[who])
			want = 200 if who in allowed else 403
			if who == "op2" and path == "/portal/pemberitahuan":
				want = 200
			check(status == want, "GET %s as %s: %d" % (path, who, want), str(status))
	posts = [
	    ("/portal/cari/cabut", op_only,
	     {"sebab": "evaluasi-op", "alasan": "uji", "satu": E["ANDI1"]}),
	    ("/portal/cari/cabut/jalankan", op_only,
	     {"sebab": "evaluasi-op", "alasan": "uji", "c_0": E["ANDI1"]}),
	    ("/portal/peringatan", op_only, {"nik": E["SITI"], "alasan": "uji"}),
	    ("/portal/kunci/buka", op_only, {"nik": E["LUKMAN"], "alasan": "uji"}),
	    ("/portal/klien/tambah", kd_only, {"nama": "palsu", "izin_verify": "1"}),
	    ("/portal/klien/cabut", kd_only, {"nama": "penyiapan", "alasan": "uji"}),
	    ("/portal/klien/putar", kd_only, {"nama": "penyiapan", "alasan": "uji"}),
	    ("/portal/dinas/berhentikan", kd_only,
	     {"nik": E["OP1"], "peran": "operator-op", "alasan": "uji"}),
	    ("/portal/dinas/persetujuan", kd_only,
	     {"jenis": "jabatan", "jumlah": "2", "alasan": "uji"}),
	]
	toks = {who: csrf_of(S[who]) for who in MAILS}
	for path, allowed, fields in posts:
		c0 = counts()
		status, hdrs, _ = raw(base, "POST", path, form(fields), cookies=ANON)
		check(status == 303 and hdrs.get("Location", "").endswith("/portal/masuk"),
		      "anonymous POST %s: the login redirect" % path)
		for who in MAILS:
			if who in allowed:
				continue
			status, _, _ = raw(base, "POST", path, form(dict(fields, csrf=toks[who])),
			                   cookies=S[who])
			check(status == 403, "POST %s as %s (with its own token): 403" % (path, who),
			      str(status))
		for who in allowed:
			status, _, _ = raw(base, "POST", path, form(fields), cookies=S[who])
			check(status == 403, "POST %s as %s without the CSRF token: 403" % (path, who),
			      str(status))
			status, _, _ = raw(base, "POST", path, form(dict(fields, csrf="0" * 64)),
			                   cookies=S[who])
			check(status == 403, "POST %s as %s with a forged token: 403" % (path, who))
		check(counts() == c0, "refused POSTs to %s changed nothing" % path, "%s %s" % (c0, counts()))
	# The refusals this flow asks for on purpose are logged as failed loads.
	errs = [e for e in p.errors() if not re.search(r"status of 4\d\d", e)]
	check(not errs, "no console errors", str(errs))
finally:
	p.close()
sys.exit(summary())
