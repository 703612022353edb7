#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Complaints, the issuer's help and published guidance (issue 13) in real
headless Chromium, and raw HTTP / the REST API / the CLI for every role.

Usage: gov_ticket_flow.py BASE MAILDIR SHOTS DBFILE; the people and tokens
come in the environment (test_portal_gov_ticket.sh)."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import (Page, check, login_by_link, login_raw, raw, request,  # noqa: E402
                        set_file, summary, wait_mail)

base, maildir, shots, dbfile = sys.argv[1:5]
E = os.environ
os.makedirs(shots, exist_ok=True)
DOM = "kominfo.cirebonkota.go.id"
MAIL = {n: "%s@%s" % (n, DOM) for n in ("siti", "andi", "kadis", "op1", "op2", "op3",
                                           "kabid", "budi")}
HELPDESK = "helpdesk@" + DOM
ISSUER = "bantuan@bsre.test"
PDF = os.path.join(E["ATT_DIR"], "pengantar.pdf")


def db_one(sql, *args):
	c = sqlite3.connect(dbfile, timeout=10)
	try:
		return c.execute(sql, args).fetchone()[0]
	finally:
		c.close()


def counts():
	"""What a refused request must leave as it was."""
	return tuple(db_one(q) for q in (
	    "SELECT COUNT(*) FROM audit WHERE action NOT LIKE 'portal.%' AND action NOT LIKE 'auth.%'",
	    "SELECT COUNT(*) FROM gov_tickets", "SELECT COUNT(*) FROM gov_ticket_replies",
	    "SELECT COUNT(*) FROM gov_ticket_files", "SELECT COUNT(*) FROM gov_help_requests",
	    "SELECT COUNT(*) FROM gov_publications", "SELECT COUNT(*) FROM mail_queue",
	    "SELECT group_concat(state) FROM gov_tickets"))


def mails_to(addr):
	"""Bodies (with headers) of every message delivered to addr so far."""
	return wait_mail(maildir, addr, -1, 1)


def queued_to(addr, needle):
	"""Queued or sent notices to addr whose subject or body names needle."""
	return db_one("SELECT COUNT(*) FROM mail_queue WHERE to_addr = ? AND "
	              "(subject LIKE ? OR body LIKE ?)", addr, "%" + needle + "%",
	              "%" + needle + "%")


def form(d):
	return urllib.parse.urlencode(d)


def multipart(fields, files):
	b = "sertelbatas%d" % int(time.time() * 1000)
	out = b""
	for k, v in fields.items():
		out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
		        % (b, k, v)).encode()
	for k, (name, data) in files.items():
		out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		        "Content-Type: application/octet-stream\r\n\r\n" % (b, k, name)).encode()
		out += data + b"\r\n"
	out += ("--%s--\r\n" % b).encode()
	return out, "multipart/form-data; boundary=" + b


def api(token, method, path, body=None):
	h = {"Authorization": "Bearer " + token}
	st, _, data = request(base, method, path, json.dumps(body) if body is not None else None,
	                      ctype="application/json", headers=h)
	try:
		return st, json.loads(data.decode() or "null")
	except ValueError:
		return st, None


def cli(*args):
	r = subprocess.run([E["SERTEL_BIN"]] + list(args) + ["--dir", E["INST_DIR"]],
	                   capture_output=True, text=True)
	return r.returncode, r.stdout, r.stderr


def refused(tag, who, method, path, body, jar, status, ctype=None):
	"""A refused request: its status and nothing changed."""
	before = counts()
	st, _, page = raw(base, method, path, body, cookies=jar, ctype=ctype)
	check(st == status, "%s: %s %s refused (%d)" % (tag, who, method, status), "status %d" % st)
	check(counts() == before, "%s: %s: nothing changed" % (tag, who))
	return page


def switch(p, who):
	"""The browser as another person: the old session's cookie dropped."""
	p.b.send("Network.clearBrowserCookies")
	return login_by_link(p, base, maildir, MAIL[who])


def ticket_id_of(url):
	m = re.search(r"/portal/pengaduan/([0-9a-f]{16})", url)
	return m.group(1) if m else ""


def main():
	pdf = open(PDF, "rb").read()
	p = Page(shots)
	sess = {}
	for n in ("siti", "andi", "op1", "op3", "kabid", "kadis", "budi"):
		sess[n] = login_raw(base, maildir, MAIL[n])
		check(sess[n] is not None, "%s logs in (raw HTTP)" % n)
	jar = {n: s[0] for n, s in sess.items()}
	csrf = {n: s[1] for n, s in sess.items()}

	# ---- Siti files a ticket in the browser -------------------------------
	check(login_by_link(p, base, maildir, MAIL["siti"]), "Siti logs in (browser)")
	p.goto(base + "/portal/pengaduan")
	check("Pengaduan" in p.js("[...document.querySelectorAll('nav a')].map(a => a.textContent).join('|')"),
	      "the navigation bar has Pengaduan")
	check(p.js("!!document.querySelector('#procedure[href$=\"/sop#pengaduan\"]')"),
	      "the complaints page links the complaint procedure")
	p.shot("ticket-list")
	p.js("document.getElementById('kategori').value = 'autentikasi'")
	p.js("document.getElementById('perihal').value = 'Tautan masuk tidak berfungsi'")
	p.js("document.getElementById('uraian').value = 'Tautan masuk kedaluwarsa sebelum dibuka.\\nSudah dicoba dua kali.'")
	set_file(p, "#lampiran1", PDF)
	desk_before = len(mails_to(HELPDESK))
	p.click_and_load("#kirim")
	t1 = ticket_id_of(p.url())
	check(t1 != "", "the new ticket opens on its own page", p.url())
	check("Pengaduan diterima" in p.text(), "the page says it was received")
	check("Tautan masuk tidak berfungsi" in p.text() and "pengantar.pdf" in p.text(),
	      "the page shows the subject and the attachment")
	p.shot("ticket-new")
	check(len(wait_mail(maildir, HELPDESK, desk_before)) > desk_before,
	      "the helpdesk ([governance] helpdesk_to) is mailed")
	check(queued_to(MAIL["op1"], t1) == 0, "with a helpdesk address, operators are not mailed one by one")

	# Who sees Siti's ticket.
	path = "/portal/pengaduan/" + t1
	st, hd, _ = raw(base, "GET", path)
	check(st == 303 and hd.get("Location", "").endswith("/portal/masuk"), "anonymous: login page")
	for n, want in (("siti", 200), ("op1", 200), ("kadis", 200), ("budi", 200),
	                ("andi", 404), ("kabid", 404)):
		st, _, page = raw(base, "GET", path, cookies=jar[n])
		check(st == want, "%s opens Siti's ticket: %d" % (n, want), "status %d" % st)
	st, _, page = raw(base, "GET", path, cookies=jar["budi"])
	check('id="reply"' not in page and 'id="move"' not in page and 'id="ask-help"' not in page,
	      "the auditor sees no control that changes anything")
	st, hd, data = request(base, "GET", path + "/lampiran/1", cookies=jar["siti"])
	check(st == 200 and data == pdf and dict(hd).get("Content-Type") == "application/pdf",
	      "Siti downloads her attachment (the same bytes)")
	st, _, _ = raw(base, "GET", path + "/lampiran/1", cookies=jar["andi"])
	check(st == 404, "another person: the attachment is 404", "status %d" % st)

	# Refused changes: no CSRF token, the auditor, another person, the
	# person moving it on, a transition not in the table.
	refused("status", "op1 without CSRF", "POST", path + "/status", form({"status": "in-progress"}),
	        jar["op1"], 403)
	refused("status", "budi", "POST", path + "/status",
	        form({"csrf": csrf["budi"], "status": "in-progress"}), jar["budi"], 403)
	body, ct = multipart({"csrf": csrf["andi"], "isi": "x"}, {})
	refused("reply", "andi", "POST", path + "/balas", body, jar["andi"], 404, ctype=ct)
	page = refused("status", "siti (open -> in-progress)", "POST", path + "/status",
	               form({"csrf": csrf["siti"], "status": "in-progress"}), jar["siti"], 409)
	check("Dinas" in page, "the refusal names the rule", page[-300:])
	body, ct = multipart({"isi": "tanpa token"}, {})
	refused("reply", "siti without CSRF", "POST", path + "/balas", body, jar["siti"], 403, ctype=ct)
	refused("help", "siti (the person)", "POST", path + "/bantuan",
	        form({"csrf": csrf["siti"], "isi": "tolong"}), jar["siti"], 403)
	refused("help", "budi (auditor)", "POST", path + "/bantuan",
	        form({"csrf": csrf["budi"], "isi": "tolong"}), jar["budi"], 403)
	body, ct = multipart({"csrf": csrf["budi"], "kategori": "lainnya", "perihal": "x",
	                      "uraian": "y"}, {})
	refused("file a ticket", "budi (auditor)", "POST", "/portal/pengaduan", body, jar["budi"], 403,
	        ctype=ct)
	body, ct = multipart({"csrf": csrf["siti"], "kategori": "lainnya", "perihal": "x",
	                      "uraian": "y"}, {"lampiran1": ("foto.pdf", b"bukan PDF")})
	page = refused("file a ticket", "siti (a text file named .pdf)", "POST", "/portal/pengaduan",
	               body, jar["siti"], 400, ctype=ct)
	check("not a PDF, JPEG or PNG" in page, "the refusal says why", page[-300:])
	refused("status", "op1 (open -> closed)", "POST", path + "/status",
	        form({"csrf": csrf["op1"], "status": "closed"}), jar["op1"], 409)

	# The Dinas works on it.
	st, _, _ = raw(base, "POST", path + "/status",
	               form({"csrf": csrf["op1"], "status": "in-progress", "alasan": "diperiksa"}),
	               cookies=jar["op1"])
	check(st == 303, "op1 takes it on", "status %d" % st)
	body, ct = multipart({"csrf": csrf["op1"], "isi": "Silakan minta tautan baru."}, {})
	st, _, _ = raw(base, "POST", path + "/balas", body, cookies=jar["op1"], ctype=ct)
	check(st == 303, "op1 replies", "status %d" % st)
	check(queued_to(MAIL["siti"], t1) >= 2, "Siti is told of the change and the reply")
	issuer_before = len(mails_to(ISSUER))
	st, _, _ = raw(base, "POST", path + "/bantuan",
	               form({"csrf": csrf["op1"], "isi": "Mohon bantuan: tautan masuk kedaluwarsa."}),
	               cookies=jar["op1"])
	check(st == 303, "op1 asks the issuer for help", "status %d" % st)
	check(db_one("SELECT state FROM gov_tickets WHERE id = ?", t1) == "escalated",
	      "the ticket is escalated while waiting")
	got = wait_mail(maildir, ISSUER, issuer_before)
	check(len(got) > issuer_before and any("tautan masuk kedaluwarsa" in m for m in got),
	      "the request reaches [governance] issuer_help_to by mail")
	help_id = db_one("SELECT id FROM gov_help_requests WHERE ticket_id = ?", t1)
	p.goto(base + path)
	check("Menunggu jawaban" in p.text(), "Siti sees the request and that it waits")
	p.shot("ticket-escalated")
	st, _, _ = raw(base, "POST", path + "/jawaban",
	               form({"csrf": csrf["op1"], "bantuan": help_id,
	                     "isi": "Jam server OP terlambat; sudah disesuaikan."}), cookies=jar["op1"])
	check(st == 303, "op1 records the issuer's answer", "status %d" % st)
	check(db_one("SELECT state FROM gov_tickets WHERE id = ?", t1) == "in-progress",
	      "answered: back in progress")
	refused("answer twice", "op1", "POST", path + "/jawaban",
	        form({"csrf": csrf["op1"], "bantuan": help_id, "isi": "lagi"}), jar["op1"], 409)
	st, _, _ = raw(base, "POST", path + "/status",
	               form({"csrf": csrf["op1"], "status": "resolved"}), cookies=jar["op1"])
	check(st == 303, "op1 resolves it", "status %d" % st)
	# Siti closes it in the browser.
	p.goto(base + path)
	check(p.js("[...document.querySelectorAll('#status option')].map(o => o.value).join(',')")
	      == "closed,open", "Siti is offered close or reopen only")
	p.js("document.getElementById('status').value = 'closed'")
	p.click_and_load("#ubah")
	check("Ditutup" in p.text() and "Jam server OP terlambat" in p.text(),
	      "closed; the issuer's answer is shown")
	check(p.js("!document.querySelector('#reply')"), "a closed ticket offers no reply")
	p.shot("ticket-closed")

	# ---- Andi complains about op3 (raw multipart) ----------------------------
	p.goto(base + "/portal/pengaduan")
	st, _, page = raw(base, "GET", "/portal/pengaduan", cookies=jar["andi"])
	m = re.search(r'<option value="(\d+)">Operator Tiga</option>', page)
	check(m is not None, "the form lists the operators by name (no NIK)")
	check(E["OP3"] not in page, "no operator's NIK in the form")
	kabid_before = len(mails_to(MAIL["kabid"]))
	body, ct = multipart({"csrf": csrf["andi"], "kategori": "operator",
	                      "operator": m.group(1) if m else "0",
	                      "perihal": "Operator menolak tanpa alasan",
	                      "uraian": "Permohonan saya dikembalikan tanpa alasan tertulis."},
	                     {"lampiran1": ("bukti.pdf", pdf)})
	st, hd, _ = raw(base, "POST", "/portal/pengaduan", body, cookies=jar["andi"], ctype=ct)
	t2 = ticket_id_of(hd.get("Location", ""))
	check(st == 303 and t2, "Andi files a complaint about op3", "status %d" % st)
	cpath = "/portal/pengaduan/" + t2
	check(len(wait_mail(maildir, MAIL["kabid"], kabid_before)) > kabid_before,
	      "op3's superior is mailed")
	check(queued_to(MAIL["kadis"], t2) == 1, "the Kepala Dinas is told")
	for n in ("op3", "op1", "op2"):
		check(queued_to(MAIL[n], t2) == 0, "no notice of it to %s" % n)
	check(queued_to(HELPDESK, t2) == 0, "nor to the helpdesk mailbox the operators read")
	# Every path for op3 (and op1): page, list, search, attachment.
	for n in ("op3", "op1"):
		st, _, _ = raw(base, "GET", cpath, cookies=jar[n])
		check(st == 404, "%s: the complaint page is 404" % n, "status %d" % st)
		st, _, page = raw(base, "GET", "/portal/pengaduan", cookies=jar[n])
		check(t2 not in page and "Operator menolak" not in page, "%s: not in the list" % n)
		st, _, page = raw(base, "GET", "/portal/pengaduan?q=menolak", cookies=jar[n])
		check(t2 not in page, "%s: not found by search" % n)
		st, _, _ = raw(base, "GET", cpath + "/lampiran/1", cookies=jar[n])
		check(st == 404, "%s: its attachment is 404" % n, "status %d" % st)
		refused("complaint state", n, "POST", cpath + "/status",
		        form({"csrf": csrf[n], "status": "in-progress"}), jar[n], 404)
	# The API and the CLI, for op3.
	st, j = api(E["TOK_OP3"], "GET", "/api/v1/gov/tickets/" + t2)
	check(st == 404 and j and "error" in j, "API: op3 gets 404 for the complaint", str(st))
	st, j = api(E["TOK_OP3"], "GET", "/api/v1/gov/tickets?q=menolak")
	check(st == 200 and not any(x["id"] == t2 for x in j), "API: op3's list and search lack it")
	st, _ = api(E["TOK_OP3"], "GET", "/api/v1/gov/tickets/%s/attachments/1" % t2)
	check(st == 404, "API: op3 gets 404 for its attachment", str(st))
	rc, out, err = cli("gov", "ticket", "show", t2, "--as", E["OP3"])
	check(rc == 2 and "no such ticket" in err, "CLI: op3 cannot show it", err)
	rc, out, _ = cli("gov", "ticket", "list", "--as", E["OP3"], "--json")
	check(rc == 0 and t2 not in out, "CLI: op3's list lacks it")
	# Its superior and the Kepala Dinas handle it; the auditor reads.
	st, j = api(E["TOK_KABID"], "GET", "/api/v1/gov/tickets/" + t2)
	check(st == 200 and j["about"] == "Operator Tiga" and j.get("person_nik") is None,
	      "API: the superior reads it (names, not NIKs)")
	st, _, page = raw(base, "GET", "/portal/pengaduan", cookies=jar["kabid"])
	check(t2 in page, "the superior's list shows it")
	st, _, _ = raw(base, "POST", cpath + "/status",
	               form({"csrf": csrf["kabid"], "status": "in-progress", "alasan": "diperiksa"}),
	               cookies=jar["kabid"])
	check(st == 303, "the superior takes it on", "status %d" % st)
	body, ct = multipart({"csrf": csrf["kabid"], "isi": "Operator sudah ditegur."}, {})
	st, _, _ = raw(base, "POST", cpath + "/balas", body, cookies=jar["kabid"], ctype=ct)
	check(st == 303, "the superior replies", "status %d" % st)
	for n in ("op3", "op1", "op2"):
		check(queued_to(MAIL[n], t2) == 0, "still no notice of it to %s" % n)
	for n in ("kadis", "budi"):
		st, _, _ = raw(base, "GET", cpath, cookies=jar[n])
		check(st == 200, "%s reads the complaint" % n, "status %d" % st)
	body, ct = multipart({"csrf": csrf["budi"], "isi": "x"}, {})
	refused("complaint reply", "budi", "POST", cpath + "/balas", body, jar["budi"], 403, ctype=ct)
	check(switch(p, "kabid"), "Kabid logs in (browser)")
	p.goto(base + cpath)
	check("Operator sudah ditegur" in p.text(), "the superior's page shows the timeline")
	p.shot("complaint-superior")
	check(switch(p, "op1"), "op1 logs in (browser)")
	p.goto(base + "/portal/pengaduan")
	check("Operator menolak" not in p.text(), "op1's queue in the browser lacks the complaint")
	p.shot("ticket-queue")
	st, j = api(E["TOK_SITI"], "POST", "/api/v1/gov/tickets",
	            {"category": "penandatanganan", "subject": "Tanda tangan gagal",
	             "description": "Pesan galat saat menandatangani."})
	check(st == 201 and j["state"] == "open", "API: Siti files a ticket", str(j))
	t3 = j["id"] if st == 201 else ""
	st, j = api(E["TOK_SITI"], "POST", "/api/v1/gov/tickets", {"category": "x", "subject": "s",
	                                                           "description": "d"})
	check(st == 400 and j.get("code") == "invalid_input", "API: a bad category is 400", str(j))

	# ---- published guidance ---------------------------------------------------
	for n, want in (("op1", 403), ("siti", 403), ("budi", 200), ("kadis", 200)):
		st, _, page = raw(base, "GET", "/portal/panduan", cookies=jar[n])
		check(st == want, "%s opens /portal/panduan: %d" % (n, want), "status %d" % st)
	st, _, page = raw(base, "GET", "/portal/panduan", cookies=jar["budi"])
	check('terbitkan-sop' not in page, "the auditor sees no publish form")
	refused("publish", "budi", "POST", "/portal/panduan",
	        form({"csrf": csrf["budi"], "jenis": "sop", "judul": "x", "isi": "y"}), jar["budi"], 403)
	refused("publish", "kadis without CSRF", "POST", "/portal/panduan",
	        form({"jenis": "sop", "judul": "x", "isi": "y"}), jar["kadis"], 403)
	st, _, page = raw(base, "GET", "/portal/sop")
	check(st == 200 and "Langkah pendaftaran" in page, "nothing published: the built-in SOP")
	check(switch(p, "kadis"), "the Kepala Dinas logs in (browser)")
	p.goto(base + "/portal/panduan")
	p.shot("guide-admin")
	p.js("document.getElementById('judul-sop').value = 'SOP Pendaftaran 2026'")
	p.js("document.getElementById('isi-sop').value = 'Versi pertama.'")
	p.click_and_load("#terbitkan-sop")
	check("Versi baru diterbitkan" in p.text(), "the Kepala Dinas publishes the SOP")
	st, _, _ = raw(base, "POST", "/portal/panduan",
	               form({"csrf": csrf["kadis"], "jenis": "sop", "judul": "SOP Pendaftaran 2026",
	                     "isi": "Paragraf satu.\n\n- Datang sendiri ke OP\n- Bawa e-KTP\n\n"
	                            "<script>alert(1)</script>"}), cookies=jar["kadis"])
	check(st == 303, "and a second version", "status %d" % st)
	p.goto(base + "/portal/sop")
	txt = p.text()
	check("SOP Pendaftaran 2026" in txt and "Versi 2" in txt and "Datang sendiri ke OP" in txt,
	      "the public page shows the latest version with its number")
	check(p.js("document.querySelectorAll('#sop li.prewrap').length") == 2,
	      "its '- ' lines are a list")
	check(p.js("!document.querySelector('#sop script')") and "<script>" in txt,
	      "markup in the text is shown, never run")
	check("Kewajiban pemilik" in txt, "the parts not published keep the built-in text")
	p.shot("sop-published")
	p.goto(base + "/portal/sop?jenis=sop&versi=1#sop")
	check("Versi pertama." in p.text() and "versi lama" in p.text(), "the older version on request")
	p.shot("sop-old")
	st, _, _ = raw(base, "GET", "/portal/sop?jenis=sop&versi=9")
	check(st == 404, "a version that does not exist: 404", "status %d" % st)
	check(db_one("SELECT COUNT(*) FROM gov_publications WHERE kind = 'sop'") == 2 and
	      db_one("SELECT body FROM gov_publications WHERE kind = 'sop' AND version = 1") ==
	      "Versi pertama.", "version 1 is kept as it was")
	# The application pages link the SOP and the rights.
	st, _, page = raw(base, "GET", "/portal/permohonan/baru?jenis=individu", cookies=jar["siti"])
	check(st == 200 and 'href="/portal/sop#sop"' in page and
	      'href="/portal/sop#hak-kewajiban"' in page, "the application form links the SOP and rights")
	# The API for the Dinas's side and guidance.
	st, j = api(E["TOK_OP1"], "POST", "/api/v1/gov/tickets/%s/state" % t3, {"state": "in-progress"})
	check(st == 200 and j["state"] == "in-progress", "API: op1 takes Siti's ticket on", str(j))
	before = counts()
	st, j = api(E["TOK_BUDI"], "POST", "/api/v1/gov/tickets/%s/state" % t3, {"state": "resolved"})
	check(st == 403 and j.get("code") == "forbidden", "API: the auditor changes nothing (403)", str(j))
	st, j = api(E["TOK_SITI"], "POST", "/api/v1/gov/tickets/%s/state" % t3, {"state": "closed"})
	check(st == 409 and j.get("code") == "conflict", "API: a move not in the table is 409", str(j))
	st, j = api(E["TOK_SITI"], "POST", "/api/v1/gov/tickets/%s/help" % t3, {"body": "x"})
	check(st == 403, "API: the person does not ask the issuer", str(j))
	check(counts() == before, "API: the refusals changed nothing")
	st, j = api(E["TOK_OP1"], "POST", "/api/v1/gov/tickets/%s/help" % t3,
	            {"body": "Mohon cek log penandatanganan."})
	check(st == 201 and j["sent_to"] == ISSUER, "API: op1 asks the issuer", str(j))
	hid = j.get("id", "") if j else ""
	st, j = api(E["TOK_OP1"], "POST", "/api/v1/gov/help/%s/answer" % hid, {"answer": "Sudah dicek."})
	check(st == 200, "API: op1 records the answer", str(j))
	st, j = api(E["TOK_SITI"], "GET", "/api/v1/gov/tickets/" + t3)
	check(st == 200 and j["state"] == "in-progress" and j["help"][0]["answer"] == "Sudah dicek.",
	      "API: Siti sees the request and its answer")
	st, j = api(E["TOK_SITI"], "GET", "/api/v1/gov/guides")
	check(st == 200 and any(g["kind"] == "sop" and g["version"] == 2 for g in j),
	      "API: the latest guidance")
	st, j = api(E["TOK_SITI"], "GET", "/api/v1/gov/guides/sop?version=1")
	check(st == 200 and j["body"] == "Versi pertama.", "API: an older version")
	for n in ("TOK_OP1", "TOK_BUDI"):
		st, j = api(E[n], "POST", "/api/v1/gov/guides/sop", {"title": "x", "body": "y"})
		check(st == 403, "API: %s does not publish guidance" % n, str(j))
	check(not p.errors(), "no console errors", str(p.errors()))
	p.close()
	return summary()


if __name__ == "__main__":
	sys.exit(main())
