#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A small Chrome DevTools Protocol driver for the browser tests.

Starts a real headless Chromium, talks to it over --remote-debugging-pipe
(fd 3 in, fd 4 out, messages separated by NUL), opens one page and prints
one JSON object describing what the browser rendered:

  {"url": ..., "status": HTTP status of the main document (or null),
   "text": document.body.innerText, "lang": <html lang>,
   "errors": [console errors, uncaught exceptions, error log entries],
   "eval": [results of each --eval expression, in order]}

usage: cdp.py URL [--wait JS] [--upload SELECTOR FILE] [--click SELECTOR]
              [--then-wait JS] [--eval JS]... [--timeout SECONDS]

  --wait JS       poll until JS is truthy after the load event
  --upload S F    set file F on the <input type=file> matching S
                  (DOM.setFileInputFiles, as if the user had chosen it)
  --click S       click the element matching S (HTMLElement.click())
  --then-wait JS  poll until JS is truthy after the click
  --eval JS       evaluate JS at the end; the value goes to "eval"

Exits 0 when the page was driven to the end (the caller judges the
content), 2 on a usage error, 3 when Chromium or a step failed (the JSON,
with "failure" set, is still printed when the page could be read).
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class Browser:
	def __init__(self, timeout):
		self.timeout = timeout
		self.prof = tempfile.mkdtemp(prefix="sertel-cdp-")
		self.events = []
		self.next_id = 0
		self.buf = b""
		to_r, self.to_w = os.pipe()    # we write, Chromium reads fd 3
		self.from_r, from_w = os.pipe()  # Chromium writes fd 4, we read

		def fds():
			# Out of the way first, in case a pipe end already is 3 or 4.
			a, b = os.dup(to_r), os.dup(from_w)
			os.dup2(a, 3)
			os.dup2(b, 4)
			os.set_inheritable(3, True)
			os.set_inheritable(4, True)

		self.proc = subprocess.Popen(
		    [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
		     "--disable-dev-shm-usage", "--disable-background-networking",
		     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
		     "--remote-debugging-pipe", "--user-data-dir=" + self.prof,
		     "about:blank"],
		    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
		    stderr=subprocess.DEVNULL, preexec_fn=fds, pass_fds=(3, 4))
		os.close(to_r)
		os.close(from_w)
		self.session = None

	def close(self):
		try:
			self.send("Browser.close", session=False, wait=False)
		except OSError:
			pass
		try:
			self.proc.wait(5)
		except subprocess.TimeoutExpired:
			self.proc.kill()
			self.proc.wait()
		os.close(self.to_w)
		os.close(self.from_r)
		shutil.rmtree(self.prof, ignore_errors=True)

	def _read_msg(self, deadline):
		while b"\0" not in self.buf:
			if time.monotonic() > deadline:
				raise TimeoutError("no message from Chromium")

			r, _, _ = select.select([self.from_r], [], [], 0.2)
			if r:
				chunk = os.read(self.from_r, 65536)
				if not chunk:
					raise RuntimeError("Chromium closed the pipe")
				self.buf += chunk
		msg, self.buf = self.buf.split(b"\0", 1)
		return json.loads(msg)

	def send(self, method, params=None, session=True, wait=True):
		self.next_id += 1
		m = {"id": self.next_id, "method": method, "params": params or {}}
		if session and self.session:
			m["sessionId"] = self.session
		os.write(self.to_w, json.dumps(m).encode() + b"\0")
		if not wait:
			return None
		deadline = time.monotonic() + self.timeout
		while True:
			r = self._read_msg(deadline)
			if r.get("id") == self.next_id:
				if "error" in r:
					raise RuntimeError("%s: %s" % (method, r["error"]))
				return r.get("result", {})
			if "method" in r:
				self.events.append(r)

	def pump(self, seconds):
		"""Collects events for up to SECONDS."""
		deadline = time.monotonic() + seconds
		try:
			while True:
				r = self._read_msg(deadline)
				if "method" in r:
					self.events.append(r)
		except TimeoutError:
			pass

	def wait_event(self, method):
		deadline = time.monotonic() + self.timeout
		seen = len(self.events)
		while True:
			for e in self.events[seen:]:
				if e["method"] == method:
					return e
			seen = len(self.events)
			r = self._read_msg(deadline)
			if "method" in r:
				self.events.append(r)

	def attach(self):
		targets = self.send("Target.getTargets", session=False)["targetInfos"]
		page = [t for t in targets if t["type"] == "page"][0]
		self.session = self.send("Target.attachToTarget",
		                         {"targetId": page["targetId"], "flatten": True},
		                         session=False)["sessionId"]
		for dom in ("Page", "Runtime", "Log", "Network", "DOM"):
			self.send(dom + ".enable")

	def evaluate(self, expr):
		r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
		                                   "awaitPromise": True})
		if "exceptionDetails" in r:
			raise RuntimeError("evaluate %r: %s" % (expr, r["exceptionDetails"].get("text")))
		return r["result"].get("value")

	def poll(self, expr):
		deadline = time.monotonic() + self.timeout
		while time.monotonic() < deadline:
			if self.evaluate("!!(%s)" % expr):
				return True
			self.pump(0.1)
		raise TimeoutError("waited %ss for %s" % (self.timeout, expr))

	def errors(self):
		out = []
		for e in self.events:
			p = e.get("params", {})
			if e["method"] == "Runtime.exceptionThrown":
				d = p["exceptionDetails"]
				ex = d.get("exception", {}).get("description") or d.get("text")
				out.append("exception: %s" % ex)
			elif e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
				out.append("console.%s: %s" % (p["type"], " ".join(
				    str(a.get("value", a.get("description", ""))) for a in p["args"])))
			elif e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
				ent = p["entry"]
				out.append("log(%s): %s %s" % (ent.get("source"), ent.get("text"),
				                               ent.get("url", "")))
		return out

	def doc_status(self, url):
		st = None
		for e in self.events:
			if e["method"] == "Network.responseReceived" and e["params"]["type"] == "Document":
				if e["params"]["response"]["url"] == url:
					st = e["params"]["response"]["status"]
		return st


def main(argv):
	if len(argv) < 2:
		print(__doc__, file=sys.stderr)
		return 2
	url = argv[1]
	steps, evals, timeout = [], [], 15.0
	i = 2
	try:
		while i < len(argv):
			a = argv[i]
			if a in ("--wait", "--click", "--then-wait"):
				steps.append((a, argv[i + 1]))
				i += 2
			elif a == "--upload":
				steps.append((a, (argv[i + 1], argv[i + 2])))
				i += 3
			elif a == "--eval":
				evals.append(argv[i + 1])
				i += 2
			elif a == "--timeout":
				timeout = float(argv[i + 1])
				i += 2
			else:
				raise IndexError(a)
	except (IndexError, ValueError) as e:
		print("cdp.py: bad argument %s" % e, file=sys.stderr)
		return 2
	b = Browser(timeout)
	failure = None
	try:
		b.attach()
		b.send("Page.navigate", {"url": url})
		b.wait_event("Page.loadEventFired")
		for kind, arg in steps:
			if kind in ("--wait", "--then-wait"):
				b.poll(arg)
			elif kind == "--click":
				if not b.evaluate("(function(){var e=document.querySelector(%s);"
				                  "if(!e)return false;e.click();return true})()"
				                  % json.dumps(arg)):
					raise RuntimeError("no element %s to click" % arg)
			elif kind == "--upload":
				root = b.send("DOM.getDocument")["root"]["nodeId"]
				node = b.send("DOM.querySelector", {"nodeId": root, "selector": arg[0]})
				if not node.get("nodeId"):
					raise RuntimeError("no element %s" % arg[0])
				b.send("DOM.setFileInputFiles",
				       {"files": [os.path.abspath(arg[1])], "nodeId": node["nodeId"]})
	except (RuntimeError, TimeoutError, OSError) as e:
		failure = str(e)
		print("cdp.py: %s" % e, file=sys.stderr)
	try:
		# Late console messages and failed loads still count.  What the
		# page shows is reported even after a failed step, so the caller
		# judges the real page (and its errors), not an empty file.
		b.pump(0.3)
		out = {
		    "url": url,
		    "status": b.doc_status(url),
		    "lang": b.evaluate("document.documentElement.lang"),
		    "text": b.evaluate("document.body ? document.body.innerText : ''"),
		    "eval": [b.evaluate(e) for e in evals] if failure is None else [],
		    "failure": failure,
		}
		out["errors"] = b.errors()
		print(json.dumps(out, ensure_ascii=False))
		return 0 if failure is None else 3
	except (RuntimeError, TimeoutError, OSError) as e:
		print("cdp.py: %s" % e, file=sys.stderr)
		return 3
	finally:
		b.close()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
