#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Logging in to the portal with a TLS client certificate, on the portal's own
listener.  Raw HTTPS (python ssl, from loopback) for what the rule decides:
an operator's ssl-client certificate logs in and opens the queue; an
applicant's signing-only certificate, a certificate bound to nobody and one
from another CA are refused with a page message and open no session; a form
without its token is refused; without a certificate the link login works; a
revoked certificate's open session ends and the certificate is refused.
Then a real headless Chromium, whose NSS database (in a HOME of its own)
holds op1's key and certificate, logs in by the button on the login page.

usage: mtls_flow.py PORTAL_URL MAIN_URL T MAILDIR OUTDIR DBFILE SERTEL INSTANCE BROWSER_HOME SITI_EMAIL

T holds NAME.pem / NAME.key for op1-tls, op2-tls, siti-sign, nobody-tls,
foreign and ca/root.pem.  Prints "ok"/"FAIL" lines and a closing summary.
"""
import os
import re
import sqlite3
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portal_lib  # noqa: E402
from portal_lib import check, summary, wait_mail  # noqa: E402

T = ""


def https(base, method, path, cert=None, body=None, cookies=None):
	"""One request on a fresh TLS connection, presenting cert (a name in T)."""
	ctx = ssl.create_default_context(cafile=os.path.join(T, "ca", "root.pem"))
	if cert:
		ctx.load_cert_chain(os.path.join(T, cert + ".pem"), os.path.join(T, cert + ".key"))
	return portal_lib.url_request(base + path, method, body, cookies, ctx)


def counts(dbfile):
	db = sqlite3.connect(dbfile, timeout=10)
	try:
		return (db.execute("SELECT count(*) FROM portal_sessions").fetchone()[0],
		        db.execute("SELECT count(*) FROM audit").fetchone()[0],
		        db.execute("SELECT count(*) FROM audit WHERE action = 'portal.login.refused'")
		        .fetchone()[0])
	finally:
		db.close()


def serial_of(name):
	return portal_lib.pem_serial(os.path.join(T, name + ".pem"))


def login_page(portal, cert):
	"""The login page as cert's holder sees it: (status, body, pre-login token)."""
	st, _, body, setc = https(portal, "GET", "/portal/masuk", cert=cert)
	m = re.search(r'name="pra" value="([0-9a-f]{64})"', body)
	pra = m.group(1) if m else ""
	return st, body, pra, setc.get("sertel_pra", pra)


def cert_login(portal, cert, with_token=True):
	_, _, pra, cookie = login_page(portal, cert)
	form = {"pra": pra} if with_token else {}
	return https(portal, "POST", "/portal/masuk/sertifikat", cert=cert, body=form,
	             cookies={"sertel_pra": cookie})


def raw_flow(portal, maildir, dbfile, sertel, inst, siti):
	st, body, pra, _ = login_page(portal, None)
	check(st == 200 and 'action="/portal/masuk/tautan"' in body,
	      "without a certificate the login page offers the link login", str(st))
	check('id="cert-login"' not in body, "without a certificate there is no certificate button")
	st, body, pra, _ = login_page(portal, "op1-tls")
	check(st == 200 and 'id="cert-login"' in body and serial_of("op1-tls") in body,
	      "with op1's certificate the login page shows the button and its serial")

	before = counts(dbfile)
	st, _, body, setc = cert_login(portal, "op1-tls", with_token=False)
	check(st == 403 and "sertel_sesi" not in setc, "a certificate login without the form token: 403",
	      str(st))
	check(counts(dbfile) == before, "  ... and it changed nothing (sessions, audit)")

	st, hdr, body, setc = cert_login(portal, "op1-tls")
	check(st == 303 and hdr.get("Location") == "/portal/" and len(setc.get("sertel_sesi", "")) == 64,
	      "op1's ssl-client certificate logs in (303 home, a session cookie)", str(st))
	sess = {"sertel_sesi": setc.get("sertel_sesi", "")}
	check(counts(dbfile)[0] == before[0] + 1, "  ... one session more in the store")
	st, _, body, _ = https(portal, "GET", "/portal/antrian", cookies=sess)
	check(st == 200 and "Antrean" in body, "  ... and op1 opens the queue", str(st))

	# Each official's own certificate opens their own pages, and only
	# those: the auditor reads the trail but not the Kepala Dinas's page,
	# the Kepala Dinas opens both.
	for cert, who, allowed, refused_path in (
	        ("budi-tls", "Budi Auditor", "/portal/audit", "/portal/dinas"),
	        ("kadis-tls", "Kepala Dinas", "/portal/dinas", None)):
		st, _, body, setc = cert_login(portal, cert)
		s2 = {"sertel_sesi": setc.get("sertel_sesi", "")}
		st, _, home, _ = https(portal, "GET", "/portal/", cookies=s2)
		st2, _, _, _ = https(portal, "GET", allowed, cookies=s2)
		check(st == 200 and who in home and st2 == 200,
		      "%s logs in by certificate and opens %s" % (who, allowed), "%s %s" % (st, st2))
		if refused_path:
			st, _, body, _ = https(portal, "GET", refused_path, cookies=s2)
			check(st == 403, "  ... and is refused %s (403)" % refused_path, str(st))

	for cert, words, what in (
	        ("siti-sign", "tidak untuk autentikasi klien", "an applicant's signing-only certificate"),
	        ("nobody-tls", "tidak terikat pada orang terdaftar", "a certificate bound to nobody"),
	        ("foreign", "tidak diterbitkan oleh instansi ini", "a certificate from another CA")):
		before = counts(dbfile)
		try:
			st, _, body, setc = cert_login(portal, cert)
		except (ssl.SSLError, OSError) as e:
			st, body, setc = -1, "TLS refused: %s" % e, {}
		after = counts(dbfile)
		check(st == 401 and words in body and "sertel_sesi" not in setc,
		      "%s is refused with a page message in Bahasa Indonesia" % what, "%s %s" % (st, body[-300:]))
		check(after[0] == before[0] and after[2] == before[2] + 1,
		      "  ... no session, one portal.login.refused entry", "%s -> %s" % (before, after))

	st, _, body, _ = https(portal, "POST", "/portal/masuk/sertifikat", body={"pra": pra},
	                       cookies={"sertel_pra": pra})
	check(st == 400 and "tidak menunjukkan sertifikat klien" in body,
	      "the certificate button without a certificate: 400 with a message", str(st))

	# The link login still works on the portal's listener, without any
	# certificate (an applicant holds none).
	old = len(wait_mail(maildir, siti, -1, 1))
	st, body, pra, _ = login_page(portal, None)
	st, _, body, _ = https(portal, "POST", "/portal/masuk/tautan", body={"pra": pra, "email": siti},
	                       cookies={"sertel_pra": pra})
	check(st == 200, "a login link is requested on the portal listener", str(st))
	mails = wait_mail(maildir, siti, old)
	tok = re.findall(r"/masuk/tautan\?t=([0-9a-f]{64})", mails[-1] if len(mails) > old else "")
	st, hdr, body, setc = https(portal, "POST", "/portal/masuk/tautan/pakai",
	                            body={"pra": pra, "t": tok[0] if tok else ""},
	                            cookies={"sertel_pra": pra})
	check(st == 303 and len(setc.get("sertel_sesi", "")) == 64,
	      "  ... and the mailed link logs Siti in without a certificate", str(st))

	# Revocation ends the session the certificate opened, at once.
	st, _, _, setc = cert_login(portal, "op2-tls")
	sess2 = {"sertel_sesi": setc.get("sertel_sesi", "")}
	st, _, body, _ = https(portal, "GET", "/portal/antrian", cookies=sess2)
	check(st == 200, "op2 logs in by certificate and opens the queue", str(st))
	rv = subprocess.run([sertel, "cert", "revoke", "--dir", inst, serial_of("op2-tls"),
	                     "--reason", "keyCompromise"], capture_output=True, text=True)
	check(rv.returncode == 0, "sertel cert revoke op2's certificate", rv.stderr)
	st, hdr, body, _ = https(portal, "GET", "/portal/antrian", cookies=sess2)
	check(st == 303 and hdr.get("Location") == "/portal/masuk",
	      "  ... op2's open session ends (the next page is the login)", str(st))
	before = counts(dbfile)
	st, _, body, setc = cert_login(portal, "op2-tls")
	check(st == 401 and "sudah dicabut" in body and "sertel_sesi" not in setc,
	      "  ... and the revoked certificate is refused", str(st))
	check(counts(dbfile)[0] == before[0], "  ... no session opened")

	# An expired certificate: the store's validity is what counts (the
	# certificate's own end is years away, so the row is moved back).
	_, _, _, setc = cert_login(portal, "kadis-tls")
	sess3 = {"sertel_sesi": setc.get("sertel_sesi", "")}
	db = sqlite3.connect(dbfile, timeout=10)
	db.execute("UPDATE certs SET not_after = ? WHERE serial = ?",
	           (int(time.time()) - 60, serial_of("kadis-tls")))
	db.commit()
	db.close()
	st, hdr, _, _ = https(portal, "GET", "/portal/", cookies=sess3)
	check(st == 303 and hdr.get("Location") == "/portal/masuk",
	      "an expired certificate's open session ends", str(st))
	st, _, body, setc = cert_login(portal, "kadis-tls")
	check(st == 401 and "sudah kedaluwarsa" in body and "sertel_sesi" not in setc,
	      "  ... and the expired certificate is refused", str(st))
	return sess


def browser_flow(portal, outdir, bhome):
	"""op1 logs in by the button, in Chromium presenting the certificate
	from the NSS database in bhome (its HOME: nothing outside the test's
	folder is written)."""
	p = portal_lib.cert_page(outdir, portal, T, bhome)
	try:
		p.goto(portal + "/portal/masuk")
		has = p.js("!!document.getElementById('cert-login')")
		check(has, "Chromium presents op1's certificate: the login page shows the button",
		      p.text()[:300])
		p.shot("login-cert")
		if not has:
			return
		p.click_and_load("#cert-login")
		check(p.url().rstrip("/").endswith("/portal") and "Operator Satu" in p.text(),
		      "  ... the button logs op1 in (home page)", p.url())
		p.shot("dashboard-cert")
		p.goto(portal + "/portal/antrian")
		check("Antrean" in p.text(), "  ... and the queue opens in the browser")
		p.shot("queue-cert")
		check(not p.errors(), "no errors in the browser console", str(p.errors()))
	finally:
		p.close()


def main(argv):
	global T
	portal, main_url, T, maildir, outdir, dbfile, sertel, inst, bhome, siti = argv[1:11]
	os.makedirs(outdir, exist_ok=True)
	try:
		raw_flow(portal, maildir, dbfile, sertel, inst, siti)
		browser_flow(portal, outdir, bhome)
	except (RuntimeError, TimeoutError, OSError, ssl.SSLError) as e:
		check(False, "the flow ran to its end", repr(e))
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
