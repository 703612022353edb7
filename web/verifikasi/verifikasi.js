/* SPDX-License-Identifier: Apache-2.0 */
// Uploads one PDF to POST /api/verifikasi and shows the report in Bahasa
// Indonesia, or in English with ?lang=en.  The verdict, its label and the
// reasons come from the answer's "result" (the same ones sertel verify
// and /v/{id} show, issue 11).  Text is inserted with textContent only (no
// HTML from the server or the file reaches innerHTML).
"use strict";

(function () {
  var form = document.getElementById("form");
  var out = document.getElementById("hasil");
  var en = /(^|[?&])lang=en(&|$)/.test(window.location.search);
  var hdr = document.querySelector("header.pemda");
  var maxMb = hdr ? parseInt(hdr.getAttribute("data-max-mb"), 10) || 10 : 10;
  var tzOff = hdr ? parseInt(hdr.getAttribute("data-tz-offset"), 10) || 25200 : 25200;
  var tzName = (hdr && hdr.getAttribute("data-tz-name")) || "WIB";
  var months = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"]
  };

  // An ISO 8601 time of the answer as the instance's region reads it:
  // "7 Desember 2026 20.53 WIB" (the same form as /v/{id}).
  function localTime(iso) {
    var t = iso ? Date.parse(iso) : NaN;
    if (isNaN(t)) return iso;
    var d = new Date(t + tzOff * 1000);
    var m = months[en ? "en" : "id"][d.getUTCMonth()];
    var hh = ("0" + d.getUTCHours()).slice(-2), mm = ("0" + d.getUTCMinutes()).slice(-2);
    return d.getUTCDate() + " " + m + " " + d.getUTCFullYear() + " " + hh +
      (en ? ":" : ".") + mm + " " + tzName;
  }

  var T = {
    id: {
      checking: "Memeriksa...", failed: "Gagal memeriksa dokumen: ",
      unreadable: "jawaban server tidak dapat dibaca (HTTP ",
      unreachable: "server tidak dapat dihubungi.",
      tooBig: "berkas lebih dari " + maxMb + " MB",
      busy: "server sedang sibuk; coba lagi sebentar lagi.",
      sha: "SHA-256 berkas", count: "Jumlah tanda tangan",
      registered: "Terdaftar di layanan ini", sig: "Tanda tangan ",
      signer: "Penanda tangan", time: "Waktu", reason: "Alasan",
      location: "Lokasi", intact: "Keutuhan dokumen",
      intactYes: "utuh", intactNo: "TIDAK UTUH",
      changed: "Diubah sesudah ditandatangani", yes: "YA", no: "tidak",
      cert: "Sertifikat", trusted: "terpercaya", untrusted: "TIDAK TERPERCAYA",
      ts: "Cap waktu", why: "Sebab", noSig: "Dokumen tidak memiliki tanda tangan elektronik"
    },
    en: {
      checking: "Checking...", failed: "The document could not be checked: ",
      unreadable: "the server's answer cannot be read (HTTP ",
      unreachable: "the server cannot be reached.",
      tooBig: "the file is larger than " + maxMb + " MB",
      busy: "the server is busy; try again in a moment.",
      sha: "SHA-256 of the file", count: "Signatures",
      registered: "Registered with this service", sig: "Signature ",
      signer: "Signer", time: "Time", reason: "Reason",
      location: "Location", intact: "Document integrity",
      intactYes: "unchanged", intactNo: "CHANGED",
      changed: "Changed after signing", yes: "YES", no: "no",
      cert: "Certificate", trusted: "trusted", untrusted: "NOT TRUSTED",
      ts: "Timestamp", why: "Why", noSig: "The document has no electronic signature"
    }
  }[en ? "en" : "id"];

  if (en) {
    document.documentElement.lang = "en";
    Array.prototype.forEach.call(document.querySelectorAll("[data-en]"), function (e) {
      e.textContent = e.getAttribute("data-en");
    });
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function row(tbl, k, v, code) {
    var tr = el("tr");
    tr.appendChild(el("th", k));
    var td = el("td");
    var txt = v === null || v === undefined || v === "" ? "-" : v;
    if (code) td.appendChild(el("code", txt, "wrap")); else td.textContent = String(txt);
    tr.appendChild(td);
    tbl.appendChild(tr);
  }

  function label(res) {
    return res && res.label ? (en ? res.label.en : res.label.id) : "";
  }

  function reasons(res) {
    var ul = el("ul", null, "reasons");
    ((res && res.reasons) || []).forEach(function (x) {
      ul.appendChild(el("li", en ? x.en : x.id));
    });
    return ul;
  }

  function show(r) {
    out.textContent = "";
    var res = r.result || {};
    out.appendChild(el("p", r.conclusion === "NO_SIGNATURE" ? T.noSig : label(res),
                       res.verdict === "valid" ? "ok verdict" : "bad verdict"));
    out.appendChild(reasons(res));
    var t = el("table");
    row(t, T.sha, r.sha256, true);
    row(t, T.count, r.signatureCount);
    if (r.id_dokumen) {
      var tr = el("tr");
      tr.appendChild(el("th", T.registered));
      var td = el("td");
      var a = el("a", r.id_dokumen);
      a.href = "/v/" + encodeURIComponent(r.id_dokumen) + (en ? "?lang=en" : "");
      a.className = "wrap";
      td.appendChild(a);
      tr.appendChild(td);
      t.appendChild(tr);
    }
    out.appendChild(t);
    (r.signatureInformations || []).forEach(function (s, i) {
      var sr = s.result || {};
      out.appendChild(el("h2", T.sig + (i + 1) + ": " + label(sr)));
      out.appendChild(reasons(sr));
      var st = el("table");
      row(st, T.signer, s.signerName);
      row(st, T.time, localTime(s.signatureDate));
      row(st, T.reason, s.reason);
      row(st, T.location, s.location);
      // One fact (result.changed) for both integrity lines (issue 11).
      row(st, T.intact, sr.changed ? T.intactNo : T.intactYes);
      row(st, T.changed, sr.changed ? T.yes : T.no);
      row(st, T.cert, s.certificateTrusted ? T.trusted : T.untrusted);
      row(st, T.ts, s.timestampInfomation ? localTime(s.timestampInfomation.timestampDate) : null);
      out.appendChild(st);
    });
  }

  function gagal(msg) {
    out.textContent = "";
    out.appendChild(el("p", T.failed + msg, "bad"));
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = document.getElementById("file").files[0];
    if (!f) return;
    if (f.size > maxMb * 1024 * 1024) { gagal(T.tooBig); return; }
    var fd = new FormData();
    fd.append("file", f, f.name);
    out.textContent = T.checking;
    fetch("/api/verifikasi", { method: "POST", body: fd })
      .then(function (res) {
        // The size limit and a busy server are told in the reader's
        // language, whatever the server's own wording.
        if (res.status === 413) return { error: T.tooBig };
        if (res.status === 503) return { error: T.busy };
        // An answer that is not JSON (a proxy's error page, say) is a
        // failure of the check, not of the connection.
        return res.json().catch(function () {
          return { error: T.unreadable + res.status + ")" };
        });
      })
      .then(function (r) {
        if (r.error) { gagal(r.error); return; }
        show(r);
      })
      .catch(function () { gagal(T.unreachable); });
  });
})();
