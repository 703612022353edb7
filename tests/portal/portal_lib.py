# SPDX-License-Identifier: Apache-2.0
"""What every portal browser test shares: check() with its counters, a
Page on a real headless Chromium (tests/web/cdp.py), the mailbox of the
loopback SMTP server, raw HTTP for what a browser never sends, and logging
in with a mailed one-time link."""
import base64
import http.client
import json
import mailbox
import os
import re
import subprocess
import sys
import time
import urllib.parse
from email import policy
from email.parser import BytesParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "web"))
from cdp import Browser  # noqa: E402

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


COUNT = {"pass": 0, "fail": 0}


def check(cond, what, detail=""):
	if cond:
		COUNT["pass"] += 1
		print("ok   %s" % what)
	else:
		COUNT["fail"] += 1
		print("FAIL %s%s" % (what, (": " + detail) if detail else ""))
	sys.stdout.flush()
	return cond


class Page:
	def __init__(self, outdir):
		self.b = Browser(20.0)
		self.b.attach()
		self.outdir = outdir
		self.size("desktop")

	def size(self, kind):
		w, h = SIZES[kind]
		self.b.send("Emulation.setDeviceMetricsOverride",
		            {"width": w, "height": h, "deviceScaleFactor": 1,
		             "mobile": kind == "phone"})

	def goto(self, url):
		self.b.send("Page.navigate", {"url": url})
		self.b.wait_event("Page.loadEventFired")

	def js(self, expr):
		return self.b.evaluate(expr)

	def text(self):
		return self.js("document.body ? document.body.innerText : ''")

	def url(self):
		return self.js("location.href")

	def click_and_load(self, selector):
		"""Clicks and waits for the page the click leads to."""
		seen = len(self.b.events)
		ok = self.js("(function(){var e=document.querySelector(%s);if(!e)return false;"
		             "e.click();return true})()" % json.dumps(selector))
		if not ok:
			raise RuntimeError("no element %s" % selector)
		self._wait_load(seen)

	def _wait_load(self, seen):
		deadline = time.monotonic() + 20
		while time.monotonic() < deadline:
			if any(e["method"] == "Page.loadEventFired" for e in self.b.events[seen:]):
				return
			self.b.pump(0.1)
		raise TimeoutError("no page load")

	def key(self, key, code=None, text=None):
		p = {"type": "keyDown", "key": key, "code": code or key}
		if text:
			p["text"] = text
		if key == "Enter":
			p.update({"windowsVirtualKeyCode": 13, "text": "\r"})
		if key == "Tab":
			p["windowsVirtualKeyCode"] = 9
		self.b.send("Input.dispatchKeyEvent", p)
		self.b.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": key,
		                                       "code": code or key})

	def tab_to(self, element_id, most=15):
		for _ in range(most):
			self.key("Tab")
			if self.js("document.activeElement && document.activeElement.id") == element_id:
				return True
		return False

	def type(self, s):
		self.b.send("Input.insertText", {"text": s})

	def shot(self, name):
		for kind in ("desktop", "phone"):
			self.size(kind)
			self.b.pump(0.2)
			# The whole page in a viewport as tall as it: capturing beyond
			# the viewport instead lays the page out without the scroll
			# bar but crops the image by its width.
			w, h = SIZES[kind]
			full = self.js("Math.max(document.documentElement.scrollHeight, %d)" % h)
			self.b.send("Emulation.setDeviceMetricsOverride",
			            {"width": w, "height": int(full), "deviceScaleFactor": 1,
			             "mobile": kind == "phone"})
			self.b.pump(0.1)
			r = self.b.send("Page.captureScreenshot", {"format": "png"})
			with open(os.path.join(self.outdir, "%s-%s.png" % (name, kind)), "wb") as f:
				f.write(base64.b64decode(r["data"]))
		self.size("desktop")
		self.b.pump(0.1)

	def cookies(self):
		return {c["name"]: c["value"]
		        for c in self.b.send("Network.getAllCookies")["cookies"]}

	def errors(self):
		return self.b.errors()

	def close(self):
		self.b.close()


def wait_mail(maildir, to, after_count, seconds=30):
	"""The bodies of the messages to `to`, once there are more than after_count."""
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		found = []
		if os.path.isdir(os.path.join(maildir, "new")):
			for key, msg in mailbox.Maildir(maildir, factory=None).items():
				m = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
				if to.lower() in str(m["To"]).lower():
					found.append(m.get_body(("plain",)).get_content())
		if len(found) > after_count:
			return found
		time.sleep(0.3)
	return []


# The ssl context of an https:// request that names none (a flow sets it
# to one trusting the instance's root, for helpers written for plain HTTP).
HTTPS_CONTEXT = None


def request(base, method, path, body=None, cookies=None, ctype=None, headers=None,
            source=None, timeout=15, context=None):
	"""One request as a script sends it, on a fresh connection (HTTPS when base
	is https://, with the ssl context given): (status, [(header, value)] with
	every repeated header kept, body bytes)."""
	u = urllib.parse.urlsplit(base)
	src = (source, 0) if source else None
	if u.scheme == "https":
		c = http.client.HTTPSConnection(u.hostname, u.port, timeout=timeout,
		                                source_address=src, context=context or HTTPS_CONTEXT)
	else:
		c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout,
		                               source_address=src)
	h = dict(headers or {})
	if cookies:
		h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
	if body is not None:
		h["Content-Type"] = ctype or "application/x-www-form-urlencoded"
	c.request(method, path, body=body, headers=h)
	r = c.getresponse()
	out = (r.status, r.getheaders(), r.read())
	c.close()
	return out


def raw(base, method, path, body=None, cookies=None, ctype=None, source=None):
	"""request() with the headers as a dict and the body as text."""
	st, hd, data = request(base, method, path, body, cookies, ctype, source=source)
	return st, dict(hd), data.decode("utf-8", "replace")


LINK_RE = r"https?://\S+/portal/masuk/tautan\?t=([0-9a-f]{64})"


def links_seen(maildir, email):
	"""The login-link tokens already mailed to email."""
	return set(t for b in wait_mail(maildir, email, -1, 1) for t in re.findall(LINK_RE, b))


def new_link(maildir, email, seen):
	"""The one login-link token mailed to email that is not in seen, waiting up
	to 30 s (other notices, submitted, returned, ..., may arrive meanwhile);
	None unless exactly one."""
	deadline = time.monotonic() + 30
	new = []
	while time.monotonic() < deadline and not new:
		new = [t for t in links_seen(maildir, email) if t not in seen]
		if not new:
			time.sleep(0.3)
	return new[0] if len(new) == 1 else None


def login_by_link(p, base, maildir, email):
	"""Logs in through the login page and the mailed link; True on success."""
	seen = links_seen(maildir, email)
	p.goto(base + "/portal/masuk")
	p.js("document.getElementById('email').value = %s" % json.dumps(email))
	p.click_and_load("form button[type=submit]")
	token = new_link(maildir, email, seen)
	if token is None:
		return False
	p.goto(base + "/portal/masuk/tautan?t=" + token)
	p.click_and_load("#masuk")
	return p.url().rstrip("/").endswith("/portal")


def shown(serial):
	"""A serial as the portal shows it (and certificate viewers do): 01:ad:4a:..."""
	return ":".join(serial[i:i + 2] for i in range(0, len(serial), 2))


def set_cookies(headers):
	"""The cookies a response sets, from request()'s header list."""
	out = {}
	for k, v in headers:
		if k.lower() == "set-cookie":
			name, _, rest = v.partition("=")
			out[name.strip()] = rest.split(";", 1)[0]
	return out


def login_raw(base, maildir, email):
	"""A session by one-time link, all in raw HTTP: (cookies, csrf), or None."""
	seen = links_seen(maildir, email)
	st, hd, body = request(base, "GET", "/portal/masuk")
	pra = re.search(r'name="pra" value="([0-9a-f]+)"', body.decode("utf-8", "replace"))
	if st != 200 or not pra:
		return None
	jar = {"sertel_pra": pra.group(1)}
	request(base, "POST", "/portal/masuk/tautan",
	        urllib.parse.urlencode({"email": email, "pra": pra.group(1)}), jar)
	token = new_link(maildir, email, seen)
	if token is None:
		return None
	st, hd, _ = request(base, "POST", "/portal/masuk/tautan/pakai",
	                    urllib.parse.urlencode({"t": token, "pra": pra.group(1)}), jar)
	sid = set_cookies(hd).get("sertel_sesi")
	if st != 303 or not sid:
		return None
	jar = {"sertel_sesi": sid}
	st, _, body = raw(base, "GET", "/portal/", cookies=jar)
	csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', body)
	return (jar, csrf.group(1)) if st == 200 and csrf else None


def set_file(p, selector, path):
	root = p.b.send("DOM.getDocument")["root"]["nodeId"]
	node = p.b.send("DOM.querySelector", {"nodeId": root, "selector": selector})
	if not node.get("nodeId"):
		raise RuntimeError("no element %s" % selector)
	p.b.send("DOM.setFileInputFiles", {"files": [os.path.abspath(path)],
	                                   "nodeId": node["nodeId"]})




def summary():
	"""The closing line ctest's reader counts; the exit status."""
	print("%d passed, %d failed" % (COUNT["pass"], COUNT["fail"]))
	return 0 if COUNT["fail"] == 0 else 1



def url_request(url, method="GET", form=None, cookies=None, context=None):
	"""request() by a whole URL (HTTPS with the ssl context given, e.g. one
	presenting a client certificate), form urlencoded. Returns (status,
	headers as a dict, body text, the cookies the answer sets)."""
	u = urllib.parse.urlsplit(url)
	body = urllib.parse.urlencode(form) if form is not None else None
	st, hd, data = request(url, method, u.path + ("?" + u.query if u.query else ""),
	                       body, cookies, context=context)
	return st, dict(hd), data.decode("utf-8", "replace"), set_cookies(hd)


CERT_WRAPPER = """#!/bin/sh
# Chromium with this test's profile setting: for the portal's origin,
# present the client certificate the filter picks without asking (headless
# Chromium has no dialog to ask with and would wait for ever).  The content
# setting AutoSelectCertificateForUrls is also a policy, but policies on
# Linux are read only from /etc/chromium/policies (the whole machine); as a
# setting it lives in the per-test --user-data-dir.
for a in "$@"; do
	case $a in --user-data-dir=*) prof=${a#--user-data-dir=} ;; esac
done
mkdir -p "$prof/Default"
cat >"$prof/Default/Preferences" <<PREFS
{"profile":{"content_settings":{"exceptions":{"auto_select_certificate":
 {"%s,*":{"last_modified":"13300000000000000","setting":{"filters":[%s]}}}}}}}
PREFS
exec "%s" "$@"
"""


def pem_serial(path):
	"""The serial of the certificate in the PEM file path, lower-case hex as
	openssl prints it (leading zero bytes kept)."""
	out = subprocess.run(["openssl", "x509", "-noout", "-serial", "-in", path],
	                     capture_output=True, text=True)
	return out.stdout.strip().split("=", 1)[-1].lower()


def cert_page(outdir, portal, tmp, bhome, cn=None):
	"""A Page on a Chromium whose NSS database is the one in bhome (its HOME:
	nothing outside the test's folder is written) and which presents, to the
	portal's origin, the client certificate whose subject CN is cn (any
	certificate when cn is None) without a dialog."""
	import cdp  # tests/web, on the path set above
	flt = json.dumps({"SUBJECT": {"CN": cn}} if cn else {})
	wrapper = os.path.join(tmp, "chromium-cert-%s" % re.sub(r"[^A-Za-z0-9-]", "_", cn or "any"))
	real = os.environ.get("CHROMIUM", "/usr/bin/chromium")
	with open(wrapper, "w") as f:
		f.write(CERT_WRAPPER % (portal, flt, real))
	os.chmod(wrapper, 0o755)
	saved = (cdp.CHROMIUM, os.environ.get("HOME"))
	cdp.CHROMIUM, os.environ["HOME"] = wrapper, bhome
	try:
		return Page(outdir)
	finally:
		cdp.CHROMIUM = saved[0]
		if saved[1] is None:
			del os.environ["HOME"]
		else:
			os.environ["HOME"] = saved[1]
