#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A small OpenID Connect provider for the portal's tests, on loopback only:
discovery, an authorization endpoint that approves the configured user at
once (code flow with PKCE S256 required), a token endpoint with
client_secret_basic, and the JWKS.  ID tokens are signed with keys made by
the openssl command (RS256: an RSA 2048 key; ES256: a P-256 key); python3
here has no JWT library.

usage: oidc_provider.py PORT DIR CLIENT_ID SECRET REDIRECT_URI

GET /_user?nik=..&email=..&alg=RS256|ES256&bad=..&secret=.. sets whom the
next authorization approves and how its token is made (bad: nonce, aud,
sig, none, exp: a token wrong in that way; secret: the client secret the
token endpoint expects).  Writes DIR/provider.ready when listening.
"""
import base64
import hashlib
import http.server
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse

PORT, DIR, CLIENT_ID, SECRET, REDIRECT = sys.argv[1:6]
PORT = int(PORT)
ISS = "http://127.0.0.1:%d" % PORT
USER = {"nik": "", "email": "", "alg": "RS256", "bad": "", "secret": SECRET}
CODES = {}
LOCK = threading.Lock()


def b64u(b):
	return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def ossl(*args, data=None):
	return subprocess.run(["openssl"] + list(args), input=data, capture_output=True,
	                      check=True).stdout


RSA = os.path.join(DIR, "oidc-rsa.pem")
EC = os.path.join(DIR, "oidc-ec.pem")
ossl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", RSA)
ossl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", EC)
n_hex = ossl("rsa", "-in", RSA, "-noout", "-modulus").decode().strip().split("=", 1)[1]
ec_spki = ossl("pkey", "-in", EC, "-pubout", "-outform", "DER")
pt = ec_spki[-65:]  # the uncompressed point ends a P-256 SubjectPublicKeyInfo
JWKS = {"keys": [
    {"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256",
     "n": b64u(bytes.fromhex(n_hex)), "e": "AQAB"},
    {"kty": "EC", "kid": "ec-1", "use": "sig", "alg": "ES256", "crv": "P-256",
     "x": b64u(pt[1:33]), "y": b64u(pt[33:65])},
]}


def der_to_rs(der):
	"""ECDSA-Sig-Value DER to r || s (RFC 7518 3.4)."""
	def integer(b, i):
		assert b[i] == 2
		ln = b[i + 1]
		v = b[i + 2:i + 2 + ln].lstrip(b"\0")
		return v.rjust(32, b"\0"), i + 2 + ln
	i = 2 if der[1] < 0x80 else 3
	r, i = integer(der, i)
	s, _ = integer(der, i)
	return r + s


def id_token(claims, alg, bad):
	hdr = {"alg": "none" if bad == "none" else alg, "typ": "JWT",
	       "kid": "rsa-1" if alg == "RS256" else "ec-1"}
	signing = (b64u(json.dumps(hdr).encode()) + "." + b64u(json.dumps(claims).encode())).encode()
	sig = ossl("dgst", "-sha256", "-sign", RSA if alg == "RS256" else EC, data=signing)
	if alg == "ES256":
		sig = der_to_rs(sig)
	if bad == "sig":
		sig = bytes([sig[0] ^ 1]) + sig[1:]
	return signing.decode() + "." + b64u(sig)


class H(http.server.BaseHTTPRequestHandler):
	def log_message(self, *a):
		pass

	def send(self, code, body, ctype="application/json", headers=()):
		data = body if isinstance(body, bytes) else json.dumps(body).encode()
		self.send_response(code)
		self.send_header("Content-Type", ctype)
		self.send_header("Content-Length", str(len(data)))
		for k, v in headers:
			self.send_header(k, v)
		self.end_headers()
		self.wfile.write(data)

	def do_GET(self):
		u = urllib.parse.urlsplit(self.path)
		q = dict(urllib.parse.parse_qsl(u.query))
		if u.path == "/.well-known/openid-configuration":
			return self.send(200, {
			    "issuer": ISS, "authorization_endpoint": ISS + "/authorize",
			    "token_endpoint": ISS + "/token", "jwks_uri": ISS + "/jwks",
			    "response_types_supported": ["code"],
			    "id_token_signing_alg_values_supported": ["RS256", "ES256"],
			    "code_challenge_methods_supported": ["S256"]})
		if u.path == "/jwks":
			return self.send(200, JWKS)
		if u.path == "/_user":
			with LOCK:
				USER.update({"nik": q.get("nik", ""), "email": q.get("email", ""),
				             "alg": q.get("alg", "RS256"), "bad": q.get("bad", ""),
				             "secret": q.get("secret", SECRET)})
			return self.send(200, {"ok": True})
		if u.path == "/authorize":
			if (q.get("client_id") != CLIENT_ID or q.get("redirect_uri") != REDIRECT or
			        q.get("response_type") != "code" or
			        q.get("code_challenge_method") != "S256" or not q.get("code_challenge") or
			        "openid" not in q.get("scope", "").split() or not q.get("state") or
			        not q.get("nonce")):
				return self.send(400, {"error": "invalid_request"})
			if q.get("prompt") == "deny" or USER.get("bad") == "deny":
				loc = REDIRECT + "?" + urllib.parse.urlencode(
				    {"error": "access_denied", "state": q["state"]})
				return self.send(302, b"", "text/plain", [("Location", loc)])
			code = secrets.token_urlsafe(24)
			with LOCK:
				CODES[code] = {"nonce": q["nonce"], "challenge": q["code_challenge"],
				               "redirect": q["redirect_uri"], "user": dict(USER),
				               "at": time.time()}
			loc = REDIRECT + "?" + urllib.parse.urlencode({"code": code, "state": q["state"]})
			return self.send(302, b"", "text/plain", [("Location", loc)])
		return self.send(404, {"error": "not_found"})

	def do_POST(self):
		u = urllib.parse.urlsplit(self.path)
		body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
		q = dict(urllib.parse.parse_qsl(body.decode()))
		if u.path != "/token":
			return self.send(404, {"error": "not_found"})
		auth = self.headers.get("Authorization", "")
		try:
			idp, _, sec = base64.b64decode(auth[6:]).decode().partition(":")
			idp, sec = urllib.parse.unquote_plus(idp), urllib.parse.unquote_plus(sec)
		except Exception:  # noqa: BLE001 - any malformed header is the same refusal
			idp, sec = "", ""
		with LOCK:
			ent = CODES.pop(q.get("code", ""), None)  # single use
		if not auth.startswith("Basic ") or idp != CLIENT_ID or ent is None or \
		        sec != ent["user"]["secret"]:
			return self.send(401, {"error": "invalid_client"})
		verifier = q.get("code_verifier", "")
		if (q.get("grant_type") != "authorization_code" or q.get("redirect_uri") != ent["redirect"]
		        or b64u(hashlib.sha256(verifier.encode()).digest()) != ent["challenge"]):
			return self.send(400, {"error": "invalid_grant"})
		user, now = ent["user"], int(time.time())
		claims = {"iss": ISS, "sub": "u-" + (user["nik"] or user["email"]), "aud": CLIENT_ID,
		          "exp": now + 300, "iat": now, "nonce": ent["nonce"]}
		if user["nik"]:
			claims["nik"] = user["nik"]
		if user["email"]:
			claims["email"], claims["email_verified"] = user["email"], True
		bad = user["bad"]
		if bad == "nonce":
			claims["nonce"] = "another"
		elif bad == "aud":
			claims["aud"] = "another-client"
		elif bad == "exp":
			claims["exp"] = now - 3600
		tok = id_token(claims, user["alg"], bad)
		return self.send(200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
		                       "expires_in": 300, "id_token": tok},
		                 headers=[("Cache-Control", "no-store")])


srv = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), H)
open(os.path.join(DIR, "provider.ready"), "w").close()
srv.serve_forever()
