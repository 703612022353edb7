#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Issue 11 (verdict): /v/{id} and /verifikasi (with a result) in a real
headless Chromium, at 1280x900 and 390x844.  Fails when a page overflows
the phone's width (a long serial or hash running off the screen), when the
verdict shown is not the one expected, or on a console error.

usage: verdict_shots.py BASE_URL ID_BT ID_BB BT_PDF FLIP_PDF OUTDIR"""
import re
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "portal"))
from portal_lib import Page, check, set_file, summary  # noqa: E402


def no_overflow(p, what):
	p.size("phone")
	p.b.pump(0.3)
	w = p.js("document.documentElement.scrollWidth")
	wide = p.js("Array.from(document.querySelectorAll('main *')).filter(function(e){"
	            "var r=e.getBoundingClientRect();return r.right>window.innerWidth+1})"
	            ".map(function(e){return e.tagName+' '+e.textContent.slice(0,40)}).slice(0,3)")
	check(w <= 390 and not wide, "%s: nothing wider than 390 px on a phone" % what,
	      "scrollWidth %s, %s" % (w, wide))
	p.size("desktop")


def result(p, want, seconds=20):
	end = time.monotonic() + seconds
	while time.monotonic() < end:
		t = p.js("document.getElementById('hasil').textContent")
		if t and t not in ("Memeriksa...", "Checking..."):
			break
		p.b.pump(0.2)
	return p.js("(document.querySelector('#hasil p.verdict')||{}).textContent||''") == want


def main():
	base, bt, bb, bt_pdf, flip_pdf, out = sys.argv[1:7]
	p = Page(out)
	try:
		for name, doc, want in (("v-bt", bt, "SAH"), ("v-bb", bb, "BELUM DAPAT DIPASTIKAN")):
			p.goto("%s/v/%s" % (base, doc))
			check(p.js("document.querySelector('p.verdict strong').textContent") == want,
			      "/v/{id} %s: verdict %s" % (name, want))
			no_overflow(p, "/v/{id} " + name)
			p.shot(name)
		for name, f, want, lang in (("verifikasi-bt", bt_pdf, "SAH", ""),
		                            ("verifikasi-flip", flip_pdf, "TIDAK SAH", ""),
		                            ("verifikasi-bt-en", bt_pdf, "VALID", "?lang=en")):
			p.goto("%s/verifikasi%s" % (base, lang))
			set_file(p, "#file", f)
			p.js("document.querySelector('button[type=submit]').click()")
			check(result(p, want), "/verifikasi%s %s: verdict %s" % (lang, name, want),
			      p.js("document.getElementById('hasil').textContent")[:200])
			# Times as the region's clock reads them, never ISO UTC.
			txt = p.js("document.getElementById('hasil').textContent")
			check(re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d \d\d[.:]\d\d WIB", txt) is not None and
			      "+00:00" not in txt, "/verifikasi%s %s: times in WIB, not ISO UTC" % (lang, name), txt[:300])
			no_overflow(p, "/verifikasi " + name)
			p.shot(name)
		check(not p.errors(), "no console errors", str(p.errors()))
	finally:
		p.close()
	return summary()


if __name__ == "__main__":
	sys.exit(main())
