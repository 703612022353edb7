#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Single sign-on with OpenID Connect against tests/portal/oidc_provider.py.
In a real headless Chromium, op1 logs in by the SSO button on the login page
and lands on the home page as the person the nik claim names.  Raw HTTP
then walks the flow by hand for what a browser does not do: a replayed
callback (same code and state), a callback from another browser (another
binding cookie), an unregistered NIK, the provider refusing, a wrong client
secret, ID tokens with a wrong nonce, audience, signature, alg "none" or
expiry, and an ES256 token for the Kepala Dinas.  Each refusal shows its
reason on the page, opens no session and adds one portal.login.refused.

usage: oidc_flow.py BASE_URL PROVIDER_URL OUTDIR DBFILE
"""
import json
import os
import re
import sqlite3
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, summary, url_request  # noqa: E402

OP1 = "3274010101820001"
KADIS = "3274010101750001"


def get(url, cookies=None):
	return url_request(url, cookies=cookies)


def counts(dbfile):
	db = sqlite3.connect(dbfile, timeout=10)
	try:
		return (db.execute("SELECT count(*) FROM portal_sessions").fetchone()[0],
		        db.execute("SELECT count(*) FROM audit WHERE action = 'portal.login.refused'")
		        .fetchone()[0])
	finally:
		db.close()


def provider_user(prov, **kw):
	st, _, _, _ = get(prov + "/_user?" + urllib.parse.urlencode(kw))
	return st == 200


def start(base):
	"""GET /portal/masuk/sso and the provider's authorization: the callback
	URL and the binding cookie."""
	st, hdr, _, setc = get(base + "/portal/masuk/sso")
	loc = hdr.get("Location", "")
	if st != 303 or "sertel_sso" not in setc:
		return None, None, "start: %s %s" % (st, loc)
	q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
	ok = (q.get("code_challenge_method") == "S256" and len(q.get("code_challenge", "")) == 43
	      and len(q.get("state", "")) == 64 and len(q.get("nonce", "")) == 64)
	st, hdr, _, _ = get(loc)
	back = hdr.get("Location", "")
	if st != 302 or "/portal/masuk/sso/kembali?" not in back:
		return None, None, "authorize: %s %s" % (st, back)
	return back, {"sertel_sso": setc["sertel_sso"]}, "" if ok else "no PKCE/state/nonce: %s" % q


def refused(base, prov, dbfile, what, words, **user):
	provider_user(prov, **user)
	back, cookie, err = start(base)
	if back is None:
		return check(False, what, err)
	before = counts(dbfile)
	st, _, body, setc = get(back, cookie)
	after = counts(dbfile)
	check(st == 401 and words in body and "sertel_sesi" not in setc,
	      what + ": refused with a page message", "%s %s" % (st, re.sub(r"\s+", " ", body)[-400:]))
	check(after[0] == before[0] and after[1] == before[1] + 1,
	      "  ... no session, one portal.login.refused entry", "%s -> %s" % (before, after))
	return body


def raw_flow(base, prov, dbfile):
	# A whole login by hand, then its callback replayed.
	provider_user(prov, nik=OP1)
	back, cookie, err = start(base)
	check(back is not None and err == "", "the authorization request carries PKCE S256, state "
	      "and nonce", err)
	if back is None:
		return None
	before = counts(dbfile)
	st, hdr, body, setc = get(back, cookie)
	check(st == 200 and len(setc.get("sertel_sesi", "")) == 64 and
	      hdr.get("Refresh", "").endswith("url=/portal/"),
	      "the callback logs op1 in and moves on to the portal", str(st))
	done = body
	sess = {"sertel_sesi": setc.get("sertel_sesi", "")}
	st, _, body, _ = get(base + "/portal/antrian", sess)
	check(st == 200 and "Antrean" in body, "  ... op1 (an operator) opens the queue", str(st))
	mid = counts(dbfile)
	check(mid[0] == before[0] + 1, "  ... one session more in the store")
	st, _, body, setc = get(back, cookie)
	after = counts(dbfile)
	check(st == 401 and "sudah dipakai" in body and "sertel_sesi" not in setc,
	      "a replayed callback (same code and state) is refused", str(st))
	check(after[0] == mid[0] and after[1] == mid[1] + 1,
	      "  ... no session, one portal.login.refused entry", "%s -> %s" % (mid, after))

	# The callback from another browser (its own binding cookie).
	back, cookie, err = start(base)
	before = counts(dbfile)
	st, _, body, setc = get(back, {"sertel_sso": "0" * 64})
	check(st == 401 and "dari browser lain" in body and counts(dbfile)[0] == before[0],
	      "a callback from another browser is refused", str(st))
	st, _, body, setc = get(back, cookie)
	check(st == 200 and "sertel_sesi" in setc,
	      "  ... while the browser that started it still logs in", str(st))

	refused(base, prov, dbfile, "an unregistered NIK", "tidak terdaftar", nik="3274010101990009")
	refused(base, prov, dbfile, "the provider refusing (access_denied)", "tidak mengizinkan",
	        nik=OP1, bad="deny")
	refused(base, prov, dbfile, "a wrong client secret", "Penyedia SSO menolak", nik=OP1,
	        secret="yang-lain")
	refused(base, prov, dbfile, "an ID token with another nonce", "nonce", nik=OP1, bad="nonce")
	refused(base, prov, dbfile, "an ID token for another client", "aud", nik=OP1, bad="aud")
	refused(base, prov, dbfile, "an ID token with a broken signature", "does not verify",
	        nik=OP1, bad="sig")
	refused(base, prov, dbfile, "an ID token with alg none", "refused", nik=OP1, bad="none")
	refused(base, prov, dbfile, "an expired ID token", "expired", nik=OP1, bad="exp")

	provider_user(prov, nik=KADIS, alg="ES256")
	back, cookie, err = start(base)
	st, _, body, setc = get(back, cookie) if back else (0, {}, "", {})
	check(st == 200 and "sertel_sesi" in setc, "an ES256 ID token logs the Kepala Dinas in",
	      str(st))
	st, _, body, _ = get(base + "/portal/", {"sertel_sesi": setc.get("sertel_sesi", "")})
	check(st == 200 and "Kepala Dinas" in body, "  ... and the home page is the Kepala Dinas's")
	st, _, body, _ = get(base + "/portal/masuk/sso/kembali?state=zz&code=x")
	check(st == 401, "a callback without the binding cookie and a malformed state: 401", str(st))
	return done


def done_page(p, base, done):
	"""The page between the callback and the portal goes by at once (its
	Refresh); shown here from the callback's own HTML, at the portal's
	origin so its style sheet loads."""
	p.goto(base + "/portal/sop")
	frame = p.b.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
	p.b.send("Page.setDocumentContent", {"frameId": frame, "html": done})
	p.b.pump(0.5)
	check("Lanjutkan ke portal" in p.text(), "the page after the callback links to the portal")
	p.shot("sso-done")


def browser_flow(p, base, prov, dbfile):
	provider_user(prov, nik=OP1)
	p.goto(base + "/portal/masuk")
	check(p.js("!!document.getElementById('sso-login')"), "the login page offers single sign-on")
	p.shot("login-sso")
	before = counts(dbfile)
	p.click_and_load("#sso-login")
	deadline = time.monotonic() + 15
	while time.monotonic() < deadline and not p.url().endswith("/portal/"):
		p.b.pump(0.2)
	check(p.url().endswith("/portal/") and "Operator Satu" in p.text(),
	      "Chromium: the SSO button logs op1 in and lands on the home page", p.url())
	check(counts(dbfile)[0] == before[0] + 1, "  ... one session more in the store")
	p.shot("dashboard-sso")
	check(not p.errors(), "no errors in the browser console", str(p.errors()))
	provider_user(prov, nik="3274010101990009")
	p.goto(base + "/portal/masuk/sso")
	deadline = time.monotonic() + 15
	while time.monotonic() < deadline and "tidak terdaftar" not in p.text():
		p.b.pump(0.2)
	check("tidak terdaftar" in p.text(), "Chromium: an unregistered NIK sees why, in Bahasa Indonesia")
	p.shot("sso-refused")


def main(argv):
	base, prov, outdir, dbfile = argv[1:5]
	os.makedirs(outdir, exist_ok=True)
	# The browser first: the refusals below count against 127.0.0.1 and
	# end in the throttle.
	p = Page(outdir)
	try:
		browser_flow(p, base, prov, dbfile)
		done = raw_flow(base, prov, dbfile)
		if done:
			done_page(p, base, done)
		throttle(base)
	except (RuntimeError, TimeoutError, OSError) as e:
		check(False, "the flow ran to its end", repr(e))
	finally:
		p.close()
	return summary()


def throttle(base):
	"""Wrong callbacks count like wrong login links: past [server]
	auth_max_failures the address gets 429 with a page saying so."""
	st = 0
	for _ in range(30):
		st, hdr, body, _ = get(base + "/portal/masuk/sso/kembali?state=%s&code=x" % ("0" * 64))
		if st == 429:
			break
	check(st == 429 and hdr.get("Retry-After") and "<html" in body,
	      "repeated wrong callbacks are throttled (429, Retry-After, a page)", str(st))


if __name__ == "__main__":
	sys.exit(main(sys.argv))
