#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Coverage and the register of electronic systems in the portal (issue 13).

In a real headless Chromium: the Kepala Dinas opens /portal/cakupan (table,
the region's line drawn as inline SVG without script or style attributes),
imports a staff CSV with bad rows (every bad row shown with its line,
nothing imported), then a good one, enters a headcount, opens who lacks a
certificate (names and NIPs, never a NIK), registers a system with the
sertel-issued certificate an openssl s_server on 127.0.0.1 presents, probes
it (the registered certificate seen), is refused an address that is not a
host, and retires the system.  The auditor sees everything and no control
that changes anything.

As raw HTTP, each role: the auditor's, another agency head's and an
applicant's requests are refused (403) and change nothing in the audit
trail; the own head reads their agency only; a POST without the CSRF token
is refused.

usage: gov_cover_flow.py BASE MAILDIR OUTDIR SERTEL INST FILES SYS_URL SERIAL
Prints "ok"/"FAIL" lines and a closing "N passed, N failed".
"""
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_lib import Page, check, login_by_link, login_raw, raw, set_file, summary  # noqa: E402

KADIS = "kadis@kominfo.cirebonkota.go.id"
OP1 = "op1@kominfo.cirebonkota.go.id"
AUDITOR = "budi@kominfo.cirebonkota.go.id"
HEAD = "hendra@kominfo.cirebonkota.go.id"
OTHER_HEAD = "dewi@dinkes.cirebonkota.go.id"
SITI = "siti@kominfo.cirebonkota.go.id"
QUIET = ("portal.", "auth.")


def cli(sertel, inst, *args):
	out = subprocess.run([sertel] + list(args) + ["--dir", inst, "--json"],
	                     capture_output=True, check=True).stdout
	return json.loads(out)


def changes(sertel, inst, before):
	seqs = set(e.get("seq") for e in before)
	return [e["action"] for e in cli(sertel, inst, "audit", "list")
	        if e.get("seq") not in seqs and not e["action"].startswith(QUIET)]


def logout(p):
	p.click_and_load("form.logout button[type=submit]")


def no_inline_style(p):
	return p.js("document.querySelectorAll('[style]').length") == 0 and \
	    p.js("document.querySelectorAll('script:not([src])').length") == 0


def kadis_flow(p, base, maildir, files, sys_url, serial, agencies):
	portal = base + "/portal"
	check(login_by_link(p, base, maildir, KADIS), "the Kepala Dinas logs in")
	p.goto(portal + "/cakupan")
	t = p.text()
	check("Cakupan sertifikat ASN" in t, "/portal/cakupan opens in Bahasa Indonesia", t[:200])
	check(p.js("document.querySelectorAll('#agencies tbody tr[data-agency]').length") == 2,
	      "one row per agency")
	check(p.js("!!document.querySelector('svg#chart polyline')"), "the region's line: inline SVG")
	check(p.js("document.querySelectorAll('svg#chart circle').length") == 12,
	      "twelve months drawn")
	check(no_inline_style(p), "no inline style or script (CSP)")
	check(p.js("!!document.querySelector('#import-form') && !!document.querySelector('#headcount-form')"),
	      "the Kepala Dinas has the import and headcount forms")
	p.shot("cakupan")

	# A CSV with bad rows: each shown with its line, nothing imported.
	set_file(p, "#im-berkas", os.path.join(files, "bad.csv"))
	p.js("document.getElementById('im-alasan').value = 'ekspor SIMPEG'")
	p.click_and_load("#import-go")
	lines = p.js("Array.from(document.querySelectorAll('#bad-rows td.line')).map(e => e.textContent).join(',')")
	check(lines == "3,4", "bad rows listed by line", lines)
	check("tidak diimpor" in p.text(), "the error says nothing was imported (Bahasa Indonesia)")
	p.shot("cakupan-impor-salah")
	p.goto(portal + "/cakupan")
	check(p.js("document.querySelector('#agencies tr[data-agency=\"%s\"] .headcount').textContent" %
	           agencies["Dinas Kominfo"]) == "0", "nothing was imported")

	set_file(p, "#im-berkas", os.path.join(files, "staff.csv"))
	p.js("document.getElementById('im-alasan').value = 'ekspor SIMPEG'")
	p.click_and_load("#import-go")
	check("3 baris" in p.js("(document.getElementById('imported')||{}).textContent||''"),
	      "imported: the counts shown", p.text()[:300])
	check(p.js("document.querySelector('#agencies tr[data-agency=\"%s\"] .headcount').textContent" %
	           agencies["Dinas Kominfo"]) == "2", "Kominfo's headcount is its list")
	check(p.js("document.querySelector('#agencies tr[data-agency=\"%s\"] .share').textContent.trim()" %
	           agencies["Dinas Kominfo"]) == "50,00%", "Kominfo: one of two holds (50,00%)")
	check(p.js("document.querySelector('#agencies tr[data-agency=\"%s\"] rect.bar-fg').getAttribute('width')" %
	           agencies["Dinas Kominfo"]) == "50", "its bar is half")

	# A headcount for an agency without a list... Dinkes now has one; the
	# number entered is kept and used once the list goes.
	p.js("document.getElementById('hc-instansi').value = %s" % json.dumps(agencies["Dinas Kesehatan"]))
	p.js("document.getElementById('hc-jumlah').value = '12'")
	p.js("document.getElementById('hc-alasan').value = 'data BKPSDM'")
	p.click_and_load("#headcount-save")
	check("Jumlah ASN dicatat" in p.text(), "headcount recorded")
	p.shot("cakupan-impor")

	p.click_and_load("#agencies tr[data-agency=\"%s\"] a.missing-link" % agencies["Dinas Kominfo"])
	t = p.text()
	check("Budi, Santoso" in t and "Siti Aminah" not in t,
	      "who lacks a certificate: by name (Siti holds one)", t[:300])
	check(not re.search(r"\b3274\d{12}\b", p.js("document.documentElement.outerHTML")),
	      "no NIK anywhere on the page")
	p.shot("cakupan-belum")

	# The register: a system with the certificate the s_server presents.
	p.goto(portal + "/sistem")
	check("Belum ada sistem elektronik" in p.text(), "the register starts empty")
	p.js("document.getElementById('s-nama').value = 'SIMPEG'")
	p.js("document.getElementById('s-instansi').value = %s" % json.dumps(agencies["Dinas Kominfo"]))
	p.js("document.getElementById('s-alamat').value = %s" % json.dumps(sys_url))
	p.js("document.getElementById('s-tujuan').value = 'Kepegawaian'")
	p.js("document.getElementById('s-sertifikat').value = %s" % json.dumps(serial))
	p.js("document.getElementById('s-alasan').value = 'pendaftaran'")
	p.click_and_load("#system-save")
	m = re.search(r"/portal/sistem/([0-9a-f]{16})", p.url())
	check(m is not None and "didaftarkan" in p.text(), "registered: the system's page", p.url())
	sid = m.group(1) if m else ""
	check("Belum pernah diperiksa" in p.text(), "not probed yet")
	p.click_and_load("#probe-go")
	check("sertifikat terdaftar" in p.js("document.getElementById('probe-result').textContent"),
	      "the probe saw the registered certificate", p.text()[:400])
	check(p.js("document.getElementById('probe-chain').textContent") == "Ya",
	      "its chain validates against the instance's CA")
	p.shot("sistem-detail")
	p.goto(portal + "/sistem")
	check(p.js("document.querySelectorAll('#systems tr[data-system]').length") == 1, "one system listed")
	p.shot("sistem")

	# An address that is not a host: the rule's one-line error, on the page.
	p.js("document.getElementById('s-nama').value = 'Salah'")
	p.js("document.getElementById('s-alamat').type = 'text'")
	p.js("document.getElementById('s-alamat').value = 'https://bad_host!/'")
	p.js("document.getElementById('s-alasan').value = 'uji'")
	p.click_and_load("#system-save")
	check("Perubahan ditolak" in p.text() and "not a host" in p.text(),
	      "an address that is not a host is refused on the page", p.text()[:300])
	p.shot("sistem-salah")
	logout(p)
	return sid


def auditor_flow(p, base, maildir, sid):
	portal = base + "/portal"
	check(login_by_link(p, base, maildir, AUDITOR), "the auditor logs in")
	p.goto(portal + "/cakupan")
	check("Cakupan sertifikat ASN" in p.text(), "the auditor reads coverage")
	check(p.js("document.querySelectorAll('form[method=post]:not(.logout)').length") == 0,
	      "the auditor sees no form that changes anything on /cakupan")
	p.shot("cakupan-auditor")
	p.goto(portal + "/cakupan?lang=en")
	check("Certificate coverage of civil servants" in p.text(), "the English switch")
	p.goto(portal + "/cakupan?lang=id")
	p.goto(portal + "/sistem/" + sid)
	check("SIMPEG" in p.text(), "the auditor reads the system")
	check(p.js("document.querySelectorAll('form[method=post]:not(.logout)').length") == 0,
	      "no probe, state or edit form for the auditor")
	logout(p)


def raw_roles(base, maildir, sertel, inst, sid, agencies):
	before = cli(sertel, inst, "audit", "list")
	kom = agencies["Dinas Kominfo"]
	probes0 = len(cli(sertel, inst, "gov", "system", "show", sid)["probes"])
	# The auditor: the route refuses any POST.
	s = login_raw(base, maildir, AUDITOR)
	check(s is not None, "auditor: a raw session")
	if s:
		jar, csrf = s
		st, _, _ = raw(base, "POST", "/portal/sistem/%s/periksa" % sid, "csrf=" + csrf, cookies=jar)
		check(st == 403, "auditor: a forged probe is refused (403)", "status %d" % st)
		st, _, _ = raw(base, "POST", "/portal/cakupan/jumlah",
		               "csrf=%s&instansi=%s&jumlah=5&alasan=x" % (csrf, kom), cookies=jar)
		check(st == 403, "auditor: a forged headcount is refused (403)", "status %d" % st)
	# The head of another agency: reads their own only.
	s = login_raw(base, maildir, OTHER_HEAD)
	check(s is not None, "another agency's head: a raw session")
	if s:
		jar, csrf = s
		st, _, page = raw(base, "GET", "/portal/cakupan", cookies=jar)
		check(st == 200 and "Dinas Kesehatan" in page and 'data-agency="%s"' % kom not in page,
		      "another agency's head sees only their agency", "status %d" % st)
		for path in ("/portal/sistem/" + sid, "/portal/cakupan/belum/" + kom):
			st, _, page = raw(base, "GET", path, cookies=jar)
			check(st == 403 and "ditampilkan" in page, "another agency's head: GET %s refused (403)" % path,
			      "status %d" % st)
		st, _, page = raw(base, "GET", "/portal/sistem", cookies=jar)
		check(st == 200 and sid not in page, "another agency's head: Kominfo's system not listed")
		for path, body in (("/portal/sistem/%s/periksa" % sid, ""),
		                   ("/portal/sistem/%s/pensiun" % sid, "&alasan=x"),
		                   ("/portal/cakupan/jumlah", "&instansi=%s&jumlah=5&alasan=x" % kom)):
			st, _, _ = raw(base, "POST", path, "csrf=" + csrf + body, cookies=jar)
			check(st == 403, "another agency's head: POST %s refused (403)" % path, "status %d" % st)
	# The own head: reads Kominfo; a POST without the CSRF token is refused.
	s = login_raw(base, maildir, HEAD)
	check(s is not None, "the own head: a raw session")
	if s:
		jar, csrf = s
		st, _, page = raw(base, "GET", "/portal/cakupan/belum/" + kom, cookies=jar)
		check(st == 200 and "Budi, Santoso" in page, "the own head reads who lacks a certificate")
		st, _, _ = raw(base, "POST", "/portal/sistem/%s/periksa" % sid, "csrf=", cookies=jar)
		check(st == 403, "a probe without the CSRF token is refused (403)", "status %d" % st)
		st, _, _ = raw(base, "POST", "/portal/cakupan/jumlah",
		               "instansi=%s&jumlah=5&alasan=x" % agencies["Dinas Kesehatan"], cookies=jar)
		check(st == 403, "a headcount without the CSRF token is refused (403)", "status %d" % st)
	# An applicant: no coverage page at all.
	s = login_raw(base, maildir, SITI)
	if s:
		jar, csrf = s
		for path in ("/portal/cakupan", "/portal/sistem"):
			st, _, _ = raw(base, "GET", path, cookies=jar)
			check(st == 403, "an applicant: GET %s refused (403)" % path, "status %d" % st)
	st, hd, _ = raw(base, "GET", "/portal/cakupan")
	check(st == 303 and hd.get("Location", "").endswith("/portal/masuk"),
	      "anonymous: sent to the login page")
	ch = changes(sertel, inst, before)
	check(not ch, "the refusals changed nothing (audit trail)", str(ch[:5]))
	check(len(cli(sertel, inst, "gov", "system", "show", sid)["probes"]) == probes0,
	      "no probe was made by a refused request")


def retire_flow(p, base, maildir, sid):
	check(login_by_link(p, base, maildir, OP1), "an operator logs in")
	p.goto(base + "/portal/sistem/" + sid)
	p.js("document.getElementById('st-alasan').value = 'diganti sistem baru'")
	p.click_and_load("#state-go")
	check(p.js("document.getElementById('system-state').textContent") == "Dihentikan",
	      "the operator retires the system")
	check(not p.js("!!document.getElementById('probe-go')"), "a retired system offers no probe")
	p.shot("sistem-pensiun")
	logout(p)


def main(argv):
	base, maildir, outdir, sertel, inst, files, sys_url, serial = argv[1:9]
	os.makedirs(outdir, exist_ok=True)
	agencies = {a["name"]: a["id"] for a in cli(sertel, inst, "agency", "list")}
	p = Page(outdir)
	try:
		sid = kadis_flow(p, base, maildir, files, sys_url, serial, agencies)
		auditor_flow(p, base, maildir, sid)
		raw_roles(base, maildir, sertel, inst, sid, agencies)
		retire_flow(p, base, maildir, sid)
	except (RuntimeError, TimeoutError, OSError, subprocess.CalledProcessError) as e:
		check(False, "the browser flow ran to its end", str(e))
	finally:
		p.close()
	return summary()


if __name__ == "__main__":
	sys.exit(main(sys.argv))
