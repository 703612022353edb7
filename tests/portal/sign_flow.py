#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The signing page (portal /tandatangan, issue 11) in a real headless Chromium.

usage: sign_flow.py CONFIG.json   (written by test_portal_sign.sh)

Siti uploads two letters, drags the signature box on the first one's
preview with real mouse events (CDP Input.dispatchMouseEvent), places the
second at its "#" marker, signs with her passphrase and downloads both
(a zip; the drop point in PDF points goes to drop.txt for the shell part).
Andi uploads a letter for Siti then the Kepala Dinas: Siti is told by
mail; the Kepala Dinas may not sign before her (409, nothing changed) and
is told by mail after her; the last signature completes the flow and
Andi is told.  People outside the flow get 403 and change nothing;
anonymous requests the login redirect; a POST without the CSRF token 403.
A third flow is declined with a reason: Andi is told, no one signs after.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, request, set_file, summary, wait_mail  # noqa: E402
from desk_flow import ANDI, AUDITOR, KADIS, SITI, session_of, type_into  # noqa: E402
from desk_flow import Store as DeskStore  # noqa: E402

OP2 = "op2@kominfo.cirebonkota.go.id"


class Store(DeskStore):
	"""What a signing or a refusal may change."""

	def snapshot(self):
		return tuple(self.count("SELECT COUNT(*) FROM " + t) for t in (
			"audit", "esign_docs", "blobs", "mail_queue", "esign_flows")) + (
			self.count("SELECT COUNT(*) FROM esign_flow_signers WHERE state <> 'menunggu'"),
			self.count("SELECT COALESCE(SUM(version), 0) FROM esign_flows"))


def mail_with(md, to, after, needle, seconds=30):
	"""True once more than after messages reached to and one holds needle
	(the mailbox lists them in no particular order)."""
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		got = wait_mail(md, to, after, 1)
		if any(needle in b for b in got):
			return True
	return False


def form_post(base, path, cookies, fields):
	return request(base, "POST", path, urllib.parse.urlencode(fields).encode(), cookies=cookies)


def images_loaded(p, seconds=20):
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		if p.js("Array.prototype.every.call(document.querySelectorAll('.sign-page img'),"
		        "function(i){return i.complete && i.naturalWidth > 0})"):
			return True
		time.sleep(0.2)
	return False


def flow_id(p):
	m = re.search(r"/portal/tandatangan/([0-9a-f]{32})", p.url())
	return m.group(1) if m else None


def mouse(p, kind, x, y, buttons):
	p.b.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
	                                      "buttons": buttons, "clickCount": 1 if kind != "mouseMoved" else 0})


def drag_box(p, doc, fx, fy):
	"""Drags doc's box by its centre to (fx, fy) of page 1 (fractions of the
	preview); the drop point in PDF points (from the page's lower-left)."""
	p.js("(function(){var i=document.querySelector('#halaman-%d img');"
	     "window.scrollTo(0, i.getBoundingClientRect().top + window.scrollY - 5);})()" % doc)
	p.b.pump(0.2)
	b = p.js("(function(){var r=document.getElementById('kotak-%d').getBoundingClientRect();"
	         "return [r.left + r.width / 2, r.top + r.height / 2]})()" % doc)
	img = p.js("(function(){var i=document.querySelector('#halaman-%d img'),r=i.getBoundingClientRect();"
	           "return [r.left, r.top, r.width, r.height, parseFloat(i.getAttribute('data-wpt')),"
	           "parseFloat(i.getAttribute('data-hpt'))]})()" % doc)
	tx, ty = img[0] + img[2] * fx, img[1] + img[3] * fy
	mouse(p, "mouseMoved", b[0], b[1], 0)
	mouse(p, "mousePressed", b[0], b[1], 1)
	for k in range(1, 11):
		mouse(p, "mouseMoved", b[0] + (tx - b[0]) * k / 10, b[1] + (ty - b[1]) * k / 10, 1)
	mouse(p, "mouseReleased", tx, ty, 0)
	p.b.pump(0.2)
	s = img[2] / img[4]
	return (tx - img[0]) / s, img[5] - (ty - img[1]) / s


def pick(p, base, names):
	"""Chooses the next signers on the page by name, in order (the picker's
	search and its "Tambahkan" links, no NIK typed)."""
	p.goto(base + "/portal/tandatangan")
	for name in names:
		p.js("document.getElementById('cari').value = %s" % json.dumps(name))
		p.click_and_load("#cari-kirim")
		link = p.js("(function(){var l=[].filter.call(document.querySelectorAll('#hasil-cari li'),"
		            "function(e){return e.querySelector('.name').textContent==%s});"
		            "return l.length==1?l[0].querySelector('a.pick-add').href:''})()" % json.dumps(name))
		if not link:
			return False
		p.goto(link)
	return True


def upload(p, base, files, signers=()):
	if not pick(p, base, signers):
		return None
	for k, f in enumerate(files, 1):
		set_file(p, "#berkas%d" % k, f)
	p.click_and_load("#unggah-kirim")
	return flow_id(p)


def set_field(p, field, value):
	p.js("(function(){var e=document.getElementById(%s);e.value=%s;"
	     "e.dispatchEvent(new Event('change'));})()" % (json.dumps(field), json.dumps(str(value))))


def main():
	cfg = json.load(open(sys.argv[1]))
	base, md, tmp, pw, files = cfg["base"], cfg["maildir"], cfg["tmp"], cfg["pw"], cfg["files"]
	nik = cfg["nik"]
	store = Store(cfg["db"])
	p = Page(cfg["shots"])
	try:
		# ---- Siti signs two letters on her own -------------------------------
		siti = session_of(p, base, md, SITI)
		if siti is None:
			return
		p.goto(base + "/portal/")
		check(p.js("!!document.querySelector('nav a[href$=\"/tandatangan\"]')"),
		      "the menu offers 'Tanda tangan dokumen'")
		p.goto(base + "/portal/tandatangan")
		check("Tanda tangan dokumen" in p.text() and p.js("!!document.getElementById('form-unggah')"),
		      "the signing page: the upload form, in Bahasa Indonesia")
		p.shot("sign-list")
		# Not a PDF: refused on the page, nothing stored.
		before = store.snapshot()
		fid = upload(p, base, [os.path.join(files, "palsu.pdf")])
		check(fid is None and "bukan PDF" in p.text(), "a file that is not a PDF is refused on the page",
		      p.text()[:200])
		check(store.snapshot() == before, "... nothing stored")
		fid = upload(p, base, [os.path.join(files, "surat-a.pdf"), os.path.join(files, "surat-b.pdf")])
		if not check(fid is not None, "two letters uploaded: the flow's page", p.url()):
			return
		check(images_loaded(p), "the pages are shown (server-side previews, PNG)")
		check(p.js("document.querySelectorAll('.sign-page img').length") == 2,
		      "one preview per page of each letter")
		st, hd, png = request(base, "GET", "/portal/tandatangan/%s/halaman/0/1.png" % fid, cookies=siti[0])
		check(st == 200 and dict(hd).get("Content-Type") == "image/png" and png.startswith(b"\x89PNG"),
		      "a preview is a PNG", str(st))
		w = int.from_bytes(png[16:20], "big") if len(png) > 24 else 0
		h = int.from_bytes(png[20:24], "big") if len(png) > 24 else 0
		check(0 < max(w, h) <= 900, "a preview's longer side is at most 900 px (%dx%d)" % (w, h))
		check(store.count("SELECT COUNT(*) FROM esign_flow_pages WHERE flow_id = ?", fid) == 2,
		      "previews are cached with the flow (encrypted blobs)")
		p.shot("sign-flow")
		drop = drag_box(p, 0, 0.45, 0.35)
		vals = [p.js("document.getElementById('%s_0').value" % k) for k in ("hal", "x", "y")]
		check(vals[0] == "1" and abs(float(vals[1]) - (drop[0] - 90)) < 1.5 and
		      abs(float(vals[2]) - (drop[1] - 36)) < 1.5,
		      "dragging the box fills page and position (its lower-left corner)", "%r %r" % (vals, drop))
		open(os.path.join(tmp, "drop.txt"), "w").write("%.2f %.2f\n" % drop)
		set_field(p, "penanda_1", "#")
		p.shot("sign-placed")
		type_into(p, "sandi", pw)
		p.click_and_load("#tandatangani")
		check("sudah ditandatangani semua" in p.text(), "signed: the page says the documents are signed",
		      p.text()[:300])
		check("Teh-Poci" not in p.js("document.documentElement.outerHTML"), "the passphrase is not echoed")
		p.js("window.scrollTo(0, 0)")
		p.shot("sign-done")
		st, hd, body = request(base, "GET", "/portal/tandatangan/%s/unduh" % fid, cookies=siti[0])
		hd = dict(hd)
		check(st == 200 and hd.get("Content-Type") == "application/zip" and body.startswith(b"PK\x03\x04"),
		      "two documents download as one zip", "%s %s" % (st, hd.get("Content-Type")))
		check(hd.get("Cache-Control") == "no-store" and "attachment" in hd.get("Content-Disposition", ""),
		      "the download is an attachment, never cached")
		open(os.path.join(tmp, "solo.zip"), "wb").write(body)

		# ---- a flow for two signers in order ---------------------------------
		andi = session_of(p, base, md, ANDI)
		kadis_mails = len(wait_mail(md, KADIS, -1, 1))
		siti_mails = len(wait_mail(md, SITI, -1, 1))
		andi_mails = len(wait_mail(md, ANDI, -1, 1))
		flow = upload(p, base, [os.path.join(files, "surat-c.pdf")], ["Siti Aminah", "Kepala Dinas"])
		if not check(flow is not None, "Andi uploads a letter for Siti, then the Kepala Dinas", p.text()[:200]):
			return
		check("Siti Aminah" in p.text() and "Kepala Dinas" in p.text() and
		      not p.js("!!document.getElementById('form-tandatangan')"),
		      "Andi sees the signers in order and no signing form (not his turn)")
		check(mail_with(md, SITI, siti_mails, "/portal/tandatangan/" + flow),
		      "Siti is told by mail that it is her turn (with the link)")
		time.sleep(1.5)
		check(not any(flow in b for b in wait_mail(md, KADIS, -1, 1)), "the Kepala Dinas is not told yet")
		path = "/portal/tandatangan/%s/tandatangani" % flow
		kadis = session_of(p, base, md, KADIS)
		auditor = session_of(p, base, md, AUDITOR)
		op2 = session_of(p, base, md, OP2)
		fields = {"versi": "0", "sandi": pw, "hal_0": "1", "x_0": "100", "y_0": "100"}
		before = store.snapshot()
		st, _, _ = form_post(base, path, kadis[0], dict(fields, csrf=kadis[1]))
		check(st == 409, "the Kepala Dinas before Siti: 409 (not yet their turn)", str(st))
		st, _, _ = form_post(base, path, andi[0], dict(fields, csrf=andi[1]))
		check(st == 403, "Andi (the uploader, not a signer) signing: 403", str(st))
		for name, s in (("the auditor", auditor), ("op2 (outside the flow)", op2)):
			st, _, _ = request(base, "GET", "/portal/tandatangan/" + flow, cookies=s[0])
			check(st == 403, "%s opening the flow: 403" % name, str(st))
			st, _, _ = request(base, "GET", "/portal/tandatangan/%s/unduh" % flow, cookies=s[0])
			check(st == 403, "%s downloading it: 403" % name, str(st))
			st, _, _ = request(base, "GET", "/portal/tandatangan/%s/halaman/0/1.png" % flow, cookies=s[0])
			check(st == 403, "%s reading its preview: 403" % name, str(st))
			st, _, _ = form_post(base, path, s[0], dict(fields, csrf=s[1]))
			check(st == 403, "%s signing it: 403" % name, str(st))
			st, _, _ = form_post(base, "/portal/tandatangan/%s/tolak" % flow, s[0],
			                     {"csrf": s[1], "alasan": "coba"})
			check(st == 403, "%s declining it: 403" % name, str(st))
			st, _, body = request(base, "GET", "/portal/tandatangan", cookies=s[0])
			check(st == 200 and flow.encode() not in body, "%s: the flow is not in their list" % name)
		st, _, _ = form_post(base, path, siti[0], dict(fields))
		check(st == 403, "Siti without the CSRF token: 403", str(st))
		st, hd, _ = request(base, "GET", "/portal/tandatangan/" + flow)
		check(st in (302, 303) and "/portal/masuk" in dict(hd).get("Location", ""),
		      "anonymous GET: the login redirect", str(st))
		st, hd, _ = form_post(base, path, None, fields)
		check(st in (302, 303, 403), "anonymous POST: refused (%d)" % st)
		st, hd, _ = request(base, "GET", "/portal/tandatangan")
		check(st in (302, 303) and "/portal/masuk" in dict(hd).get("Location", ""),
		      "anonymous GET of the list: the login redirect", str(st))
		check(store.snapshot() == before, "... every refusal left the store unchanged",
		      "%r %r" % (before, store.snapshot()))

		# Siti signs first (in the browser), the Kepala Dinas is told.
		session_of(p, base, md, SITI)
		p.goto(base + "/portal/tandatangan")
		check(p.js("!!document.querySelector('a[href$=\"%s\"]')" % flow) and "Giliran Anda" in p.text(),
		      "the flow is in Siti's list, marked 'Giliran Anda'")
		p.goto(base + "/portal/tandatangan/" + flow)
		images_loaded(p)
		set_field(p, "x_0", "60")
		set_field(p, "y_0", "520")
		type_into(p, "sandi", pw)
		p.click_and_load("#tandatangani")
		check("penanda tangan berikutnya diberi tahu" in p.text(), "Siti signed; the next signer is told",
		      p.text()[:300])
		st, hd, body = request(base, "GET", "/portal/tandatangan/%s/unduh" % flow, cookies=siti[0])
		check(st == 200 and dict(hd).get("Content-Type") == "application/pdf" and body.startswith(b"%PDF-"),
		      "one document downloads as a PDF", str(st))
		open(os.path.join(tmp, "flow-first.pdf"), "wb").write(body)
		check(mail_with(md, KADIS, kadis_mails, "/portal/tandatangan/" + flow),
		      "the Kepala Dinas is told by mail after Siti signed")
		st, _, _ = form_post(base, path, siti[0], dict(fields, csrf=siti[1], versi="1"))
		check(st == 409, "Siti a second time: 409", str(st))
		# The Kepala Dinas signs last.
		session_of(p, base, md, KADIS)
		p.goto(base + "/portal/tandatangan/" + flow)
		images_loaded(p)
		check(p.js("!!document.getElementById('form-tandatangan')"), "the Kepala Dinas's turn: the form")
		p.shot("sign-turn")
		set_field(p, "x_0", "330")
		set_field(p, "y_0", "520")
		type_into(p, "sandi", pw)
		p.click_and_load("#tandatangani")
		check("sudah ditandatangani semua" in p.text(), "the last signature completes the flow", p.text()[:300])
		check(mail_with(md, ANDI, andi_mails, "Semua penanda tangan"),
		      "Andi is told the document is complete")
		st, hd, body = request(base, "GET", "/portal/tandatangan/%s/unduh" % flow, cookies=andi[0])
		check(st == 200 and body.startswith(b"%PDF-"), "the uploader downloads the signed file", str(st))
		open(os.path.join(tmp, "flow.pdf"), "wb").write(body)
		st, _, body2 = request(base, "GET", "/portal/tandatangan/%s/unduh" % flow, cookies=siti[0])
		check(st == 200 and body2 == body, "each signer downloads the same file")

		# ---- a refusal stops the flow ------------------------------------------
		session_of(p, base, md, ANDI)
		andi_mails = len(wait_mail(md, ANDI, -1, 1))
		third = upload(p, base, [os.path.join(files, "surat-d.pdf")], ["Siti Aminah"])
		session_of(p, base, md, SITI)
		p.goto(base + "/portal/tandatangan/%s" % third)
		images_loaded(p)
		type_into(p, "alasan", "Nomor surat salah")
		p.click_and_load("#tolak-kirim")
		check("Ditolak" in p.text() and "Nomor surat salah" in p.text(), "Siti declines with a reason",
		      p.text()[:300])
		p.shot("sign-declined")
		check(mail_with(md, ANDI, andi_mails, "Nomor surat salah"), "Andi is told, with the reason")
		before = store.snapshot()
		st, _, _ = form_post(base, "/portal/tandatangan/%s/tandatangani" % third, siti[0],
		                     dict(fields, csrf=siti[1]))
		check(st == 409, "signing after the refusal: 409", str(st))
		check(store.snapshot() == before, "... the store unchanged")
		# The refused upload's 400 is the only failed load expected.
		errs = [e for e in p.errors() if "status of 400" not in e]
		check(not errs, "no script errors on the pages", repr(errs[:3]))
	finally:
		p.close()


if __name__ == "__main__":
	main()
	sys.exit(summary())
