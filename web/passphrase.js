/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal's desk page (web/portal/desk.html): the passphrase rules of
 * passphrase_check (src/pki/seal.c) checked as the applicant types, so a
 * weak passphrase is seen before the form is sent.  The server checks
 * again; without JavaScript the form works the same.  No text lives here:
 * the messages are the page's own (data-weak, data-strong, data-differ).
 */
(function () {
	"use strict";
	var box = document.getElementById("bagian-sandi");
	if (!box) {
		return;
	}
	var pass = document.getElementById("sandi");
	var pass2 = document.getElementById("sandi2");
	var status = document.getElementById("sandi-status");
	var min = parseInt(box.getAttribute("data-min"), 10) || 10;
	var forbid = (box.getAttribute("data-forbid") || "").split("\n").filter(function (s) {
		return s.length >= 4;
	});

	function mark(id, ok) {
		var li = document.getElementById(id);
		li.classList.toggle("ok", ok);
		li.classList.toggle("bad", !ok);
	}

	function check() {
		var v = pass.value;
		var lower = v.toLowerCase();
		var classes = (/[A-Za-z]/.test(v) ? 1 : 0) + (/[0-9]/.test(v) ? 1 : 0) +
			(/[^A-Za-z0-9]/.test(v) ? 1 : 0);
		var length = v.length >= min && v.length <= 1024;
		var mix = classes >= 2;
		var identity = forbid.every(function (f) {
			return lower.indexOf(f.toLowerCase()) < 0;
		});
		var lines = !/[\r\n]/.test(v);
		var same = pass2.value === "" || pass2.value === v;
		mark("aturan-panjang", length);
		mark("aturan-campur", mix);
		mark("aturan-identitas", identity && v.length > 0);
		mark("aturan-baris", lines && v.length > 0);
		if (v.length === 0) {
			status.textContent = "";
			status.className = "strength";
			return;
		}
		var ok = length && mix && identity && lines;
		status.textContent = !same ? box.getAttribute("data-differ")
			: ok ? box.getAttribute("data-strong") : box.getAttribute("data-weak");
		status.className = "strength " + (ok && same ? "ok" : "bad");
	}

	pass.addEventListener("input", check);
	pass2.addEventListener("input", check);
}());
