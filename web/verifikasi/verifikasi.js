// Uploads one PDF to POST /api/verifikasi and shows the report in Bahasa
// Indonesia.  Text is inserted with textContent only (no HTML from the
// server or the file reaches innerHTML).
"use strict";

(function () {
  var form = document.getElementById("form");
  var out = document.getElementById("hasil");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function row(tbl, k, v) {
    var tr = el("tr");
    tr.appendChild(el("th", k));
    tr.appendChild(el("td", v === null || v === undefined || v === "" ? "-" : v));
    tbl.appendChild(tr);
  }

  var judul = {
    VALID: "SAH: semua tanda tangan valid dan sertifikatnya terpercaya",
    INVALID: "TIDAK SAH: ada tanda tangan yang tidak valid atau dokumen telah diubah",
    WARNING: "BELUM DAPAT DIPASTIKAN: periksa rincian di bawah",
    NO_SIGNATURE: "Dokumen tidak memiliki tanda tangan elektronik"
  };

  function show(r) {
    out.textContent = "";
    out.appendChild(el("p", judul[r.conclusion] || r.conclusion,
                       r.conclusion === "VALID" ? "ok" : "bad"));
    if (r.description) out.appendChild(el("p", r.description));
    var t = el("table");
    row(t, "SHA-256 berkas", r.sha256);
    row(t, "Jumlah tanda tangan", r.signatureCount);
    if (r.id_dokumen) {
      var tr = el("tr");
      tr.appendChild(el("th", "Terdaftar di layanan ini"));
      var td = el("td");
      var a = el("a", r.id_dokumen);
      a.href = "/v/" + encodeURIComponent(r.id_dokumen);
      td.appendChild(a);
      tr.appendChild(td);
      t.appendChild(tr);
    }
    out.appendChild(t);
    (r.signatureInformations || []).forEach(function (s, i) {
      out.appendChild(el("h2", "Tanda tangan " + (i + 1)));
      var st = el("table");
      row(st, "Penanda tangan", s.signerName);
      row(st, "Waktu", s.signatureDate);
      row(st, "Alasan", s.reason);
      row(st, "Lokasi", s.location);
      row(st, "Keutuhan dokumen", s.integrityValid ? "utuh" : "TIDAK UTUH");
      row(st, "Sertifikat", s.certificateTrusted ? "terpercaya" : "TIDAK TERPERCAYA");
      row(st, "Diubah setelah ditandatangani", s.modified ? "YA" : "tidak");
      row(st, "Cap waktu", s.timestampInfomation ? s.timestampInfomation.timestampDate : null);
      out.appendChild(st);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = document.getElementById("file").files[0];
    if (!f) return;
    var fd = new FormData();
    fd.append("file", f, f.name);
    out.textContent = "Memeriksa...";
    function gagal(msg) {
      out.textContent = "";
      out.appendChild(el("p", "Gagal memeriksa dokumen: " + msg, "bad"));
    }
    fetch("/api/verifikasi", { method: "POST", body: fd })
      .then(function (res) {
        // An answer that is not JSON (a proxy's error page, say) is a
        // failure of the check, not of the connection.
        return res.json().catch(function () {
          return { error: "jawaban server tidak dapat dibaca (HTTP " + res.status + ")" };
        });
      })
      .then(function (r) {
        if (r.error) { gagal(r.error); return; }
        show(r);
      })
      .catch(function () { gagal("server tidak dapat dihubungi."); });
  });
})();
