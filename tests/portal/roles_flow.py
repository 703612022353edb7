#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Every route of the portal tried with every role, as raw HTTP (what a
forged request sends, which no browser shows).  The routes come from the
server's own tables (`sertel portal routes --json`), so a route added
later is tried too.

For each role (anonymous and each person given on the command line):
  - a route that needs a session: anonymous is sent to the login page
    (303), GET and POST alike;
  - a route whose roles the person does not hold: 403, GET and POST (the
    POST with the person's valid CSRF token, so it is the role that is
    refused) -- paths ending in '/' are tried with an id below them;
  - a page the person may open (GET, not below a prefix): 200;
  - a POST to a route the person may use, without the CSRF token: 403;
and after all of it the audit trail holds no new entry other than logins
and refusals: nothing changed.  Then: a made-up session cookie, and a
session cookie kept after logout, are sent to the login page.

The policy is tests/portal/roles.txt, written down apart from the server:
the server's routes must be exactly those, with the same roles.

usage: roles_flow.py BASE_URL MAILDIR SERTEL DIR NAME=EMAIL:ROLES ...
ROLES: comma-separated role names as `sertel portal routes` prints them.

Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import check, login_raw, raw, summary  # noqa: E402

# Entries a refused or read-only request may leave: logins, refusals.
QUIET = ("portal.", "auth.")


def trail(sertel, inst):
	out = subprocess.run([sertel, "audit", "list", "--dir", inst, "--json"],
	                     capture_output=True, check=True).stdout
	return json.loads(out)


def changes(before, after):
	seqs = set(e.get("seq") for e in before)
	return [e["action"] for e in after
	        if e.get("seq") not in seqs and not e["action"].startswith(QUIET)]


def try_route(base, rt, who, roles, jar, csrf):
	method, path = rt["method"], rt["path"]
	url = "/portal" + (path + "x0x0" if path.endswith("/") and path != "/" else path)
	allowed = rt["roles"] in ("anyone", "logged-in") or bool(roles & set(rt["roles"].split(",")))
	tag = "%s %s %s" % (who, method, "/portal" + path)
	body = None if method == "GET" else "csrf=%s" % (csrf or "")
	if not rt["login"]:
		return
	if jar is None:
		st, hd, _ = raw(base, method, url, body)
		check(st == 303 and hd.get("Location", "").endswith("/portal/masuk"),
		      "%s: anonymous is sent to the login page" % tag, "status %d" % st)
		return
	if not allowed:
		st, _, page = raw(base, method, url, body, cookies=jar)
		check(st == 403 and "Peran Anda tidak mengizinkan" in page,
		      "%s: refused (403)" % tag, "status %d" % st)
		return
	if method == "GET" and not path.endswith("/") or path == "/":
		st, _, _ = raw(base, "GET", url, cookies=jar)
		check(st == 200, "%s: opens (200)" % tag, "status %d" % st)
	elif method == "POST" and not path.endswith("/"):
		st, _, _ = raw(base, "POST", url, "csrf=", cookies=jar)
		if st == 400:
			# A page that takes file uploads reads multipart only: the same
			# without a token, in its encoding.
			b = "sertelbatas"
			mp = ("--%s\r\nContent-Disposition: form-data; name=\"jenis\"\r\n\r\n"
			      "individu\r\n--%s--\r\n" % (b, b))
			st, _, _ = raw(base, "POST", url, mp, cookies=jar,
			               ctype="multipart/form-data; boundary=" + b)
		check(st == 403, "%s: without the CSRF token: 403" % tag, "status %d" % st)


def main(argv):
	base, maildir, sertel, inst = argv[1:5]
	people = []
	for spec in argv[5:]:
		name, rest = spec.split("=", 1)
		email, roles = rest.split(":", 1)
		people.append((name, email, set(roles.split(","))))
	routes = json.loads(subprocess.run([sertel, "portal", "routes", "--json"],
	                                   capture_output=True, check=True).stdout)
	check(len(routes) >= 15, "the server lists its routes", str(len(routes)))
	policy = {}
	with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "roles.txt")) as f:
		for line in f:
			if line.strip() and not line.startswith("#"):
				m, pth, who = line.split()
				policy[(m, pth)] = who
	served = {(rt["method"], rt["path"]): rt["roles"] for rt in routes}
	for key in sorted(set(policy) | set(served)):
		check(policy.get(key) == served.get(key), "policy of %s /portal%s: %s" % (
		      key[0], key[1], policy.get(key)), "the server says %s" % served.get(key))
	# From here on the roles tried are the policy's, not the server's claim.
	for rt in routes:
		rt["roles"] = policy.get((rt["method"], rt["path"]), rt["roles"])
	sessions = {}
	for name, email, _ in people:
		s = login_raw(base, maildir, email)
		check(s is not None, "%s logs in (raw HTTP, one-time link)" % name)
		sessions[name] = s
	before = trail(sertel, inst)
	for rt in routes:
		try_route(base, rt, "anonymous", set(), None, None)
		for name, _, roles in people:
			if sessions.get(name):
				jar, csrf = sessions[name]
				try_route(base, rt, name, roles, jar, csrf)
	after = trail(sertel, inst)
	ch = changes(before, after)
	check(not ch, "nothing changed: no new audit entry but logins and refusals", str(ch[:5]))

	# A session id nobody was given, and one kept after logout.
	st, hd, _ = raw(base, "GET", "/portal/", cookies={"sertel_sesi": "0" * 64})
	check(st == 303 and hd.get("Location", "").endswith("/portal/masuk"),
	      "a made-up session id: sent to the login page", "status %d" % st)
	name = people[0][0]
	if sessions.get(name):
		jar, csrf = sessions[name]
		st, _, _ = raw(base, "POST", "/portal/keluar", "csrf=%s" % csrf, cookies=jar)
		check(st == 303, "%s logs out" % name, "status %d" % st)
		st, hd, _ = raw(base, "GET", "/portal/", cookies=jar)
		check(st == 303 and hd.get("Location", "").endswith("/portal/masuk"),
		      "the session cookie kept after logout: sent to the login page", "status %d" % st)
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
