/* SPDX-License-Identifier: Apache-2.0 */
// Front page: live service status and the CA certificates to download.
(async function () {
  const status = document.getElementById('status');
  try {
    const r = await fetch('/healthz');
    const j = await r.json();
    status.textContent = r.ok ? 'Layanan berjalan normal.' : 'Layanan bermasalah.';
    status.className = r.ok ? 'ok' : 'bad';
  } catch (e) {
    status.textContent = 'Layanan tidak dapat dihubungi.';
    status.className = 'bad';
  }
  const list = document.getElementById('cas');
  try {
    const r = await fetch('/api/v1/ca');
    const j = await r.json();
    list.textContent = '';
    for (const ca of j.issuers) {
      const li = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = ca.name;
      li.appendChild(name);
      li.appendChild(document.createTextNode(' — '));
      const crt = document.createElement('a');
      crt.href = ca.certificate_url; crt.textContent = 'sertifikat';
      li.appendChild(crt);
      li.appendChild(document.createTextNode(' · '));
      const crl = document.createElement('a');
      crl.href = ca.crl_url; crl.textContent = 'CRL';
      li.appendChild(crl);
      list.appendChild(li);
    }
  } catch (e) {
    list.textContent = 'Daftar CA tidak dapat dimuat.';
  }
})();
