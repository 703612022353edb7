/* SPDX-License-Identifier: Apache-2.0 */
// A Pemda app's BSrE client in Node (axios + form-data), written the way
// the public Node integrations call BSrE: booleans from the language,
// sizes with tags, the document downloaded once.  Only the base URL and
// the credentials point at sertel.
//
// usage: node bsre_client.js BASE_URL USER SECRET NIK PASSPHRASE PDF PNG OUTDIR MAILDIR EMAIL
// Writes OUTDIR/*.pdf and OUTDIR/result.json (what each call answered).
// MAILDIR is the loopback SMTP server's mailbox, where the owner (EMAIL)
// reads the code BSrE's get/totp mails; the app gets it as a user types it.
const fs = require('fs');
const axios = require('axios');
const FormData = require('form-data');

const [base, user, secret, nik, pass, pdf, png, out, maildir, email] = process.argv.slice(2);

// The newest code mailed to email, waiting up to seconds; the mail read
// is removed (a person reads it once).
async function mailedCode(seconds) {
	const end = Date.now() + seconds * 1000;
	do {
		for (const sub of ['new', 'cur']) {
			let names = [];
			try { names = fs.readdirSync(maildir + '/' + sub); } catch (e) { continue; }
			for (const n of names) {
				const f = maildir + '/' + sub + '/' + n;
				const m = fs.readFileSync(f, 'latin1');
				const cut = m.search(/\r?\n\r?\n/);
				const head = m.slice(0, cut);
				let body = m.slice(cut);
				if (!new RegExp('^To:.*' + email.replace(/[.]/g, '\\.'), 'mi').test(head)) continue;
				if (/^Content-Transfer-Encoding:\s*quoted-printable/mi.test(head))
					body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
						(_, h) => String.fromCharCode(parseInt(h, 16)));
				const hit = body.match(/Anda: (\d{6})/);
				if (hit) { fs.unlinkSync(f); return hit[1]; }
			}
		}
		await new Promise((ok) => setTimeout(ok, 200));
	} while (Date.now() < end);
	return null;
}
const api = axios.create({baseURL: base, auth: {username: user, password: secret},
                          validateStatus: () => true, maxBodyLength: Infinity, timeout: 60000});

async function main() {
	const res = {};
	// v1 visible on the "#" tag, 70 x 70, image from a boolean.
	let form = new FormData();
	form.append('file', fs.createReadStream(pdf), 'surat.pdf');
	form.append('nik', nik);
	form.append('passphrase', pass);
	form.append('tampilan', 'VISIBLE');
	form.append('image', String(true));
	form.append('imageTTD', fs.createReadStream(png), 'ttd.png');
	form.append('tag_koordinat', '#');
	form.append('width', 70);
	form.append('height', 70);
	let r = await api.post('/api/sign/pdf', form, {headers: form.getHeaders(), responseType: 'arraybuffer'});
	res.v1_status = r.status;
	res.v1_id = r.headers['id_dokumen'] || '';
	fs.writeFileSync(out + '/node-v1.pdf', Buffer.from(r.data));

	r = await api.get('/api/sign/download/' + res.v1_id, {responseType: 'arraybuffer'});
	res.download_status = r.status;
	fs.writeFileSync(out + '/node-download.pdf', Buffer.from(r.data));
	r = await api.get('/api/sign/download/' + res.v1_id);
	res.download2_status = r.status;
	res.download2_code = r.data && r.data.status_code;

	// v2 with originX/originY from the top-left (the guide's figure).
	r = await api.post('/api/v2/sign/pdf', {
		nik: nik, passphrase: pass,
		signatureProperties: [{tampilan: 'VISIBLE', imageBase64: fs.readFileSync(png).toString('base64'),
		                       page: 1, originX: 45, originY: 30, width: 90, height: 45}],
		file: [fs.readFileSync(pdf).toString('base64')],
	});
	res.v2_status = r.status;
	fs.writeFileSync(out + '/node-v2.pdf', Buffer.from((r.data.file || [''])[0], 'base64'));

	form = new FormData();
	form.append('signed_file', fs.createReadStream(out + '/node-v2.pdf'), 'node-v2.pdf');
	r = await api.post('/api/sign/verify', form, {headers: form.getHeaders()});
	res.v1_verify_summary = r.data.summary;
	r = await api.post('/api/v2/verify/pdf', {file: fs.readFileSync(out + '/node-v2.pdf').toString('base64')});
	res.v2_verify_conclusion = r.data.conclusion;
	r = await api.get('/api/v2/tidak-ada');
	res.unknown_status_code = r.data && r.data.status_code;

	// TOTP by e-mail (BSrE's v2 flow, last: its wrong codes count toward
	// the owner's lock): ask for a code, read it from the owner's mailbox,
	// sign with it instead of the passphrase; the same code again and a
	// wrong one are refused with BSrE's {"error", "status_code"}.
	r = await api.post('/api/v2/sign/get/totp', {nik: nik, data: 1});
	res.totp_get_status = r.status;
	res.totp_get_success = r.data && r.data.success;
	const code = await mailedCode(30);
	res.totp_code_len = (code || '').length;
	res.totp_code = code; // for the test's own checks (log, audit)
	const totpSign = {nik: nik, totp: code,
	                  signatureProperties: [{tampilan: 'INVISIBLE', reason: 'Disetujui dengan kode e-mail'}],
	                  file: [fs.readFileSync(pdf).toString('base64')]};
	r = await api.post('/api/v2/sign/pdf', totpSign);
	res.totp_sign_status = r.status;
	fs.writeFileSync(out + '/node-totp.pdf', Buffer.from((r.data.file || [''])[0], 'base64'));
	const bsreError = (x) => [x.status, x.data && x.data.status_code, typeof (x.data && x.data.error) === 'string'];
	[res.totp_reuse_status, res.totp_reuse_code, res.totp_reuse_error] =
		bsreError(await api.post('/api/v2/sign/pdf', totpSign));
	await api.post('/api/v2/sign/get/totp', {nik: nik});
	const fresh = await mailedCode(30);
	[res.totp_wrong_status, res.totp_wrong_code, res.totp_wrong_error] =
		bsreError(await api.post('/api/v2/sign/pdf', Object.assign({}, totpSign,
			{totp: fresh === '000000' ? '111111' : '000000'})));
	fs.writeFileSync(out + '/result.json', JSON.stringify(res, null, 1) + '\n');
}
main().catch((e) => { console.error(e.message); process.exit(1); });
