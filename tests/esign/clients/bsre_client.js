// A Pemda app's BSrE client in Node (axios + form-data), written the way
// the public Node integrations call BSrE: booleans from the language,
// sizes with tags, the document downloaded once.  Only the base URL and
// the credentials point at sertel.
//
// usage: node bsre_client.js BASE_URL USER SECRET NIK PASSPHRASE PDF PNG OUTDIR
// Writes OUTDIR/*.pdf and OUTDIR/result.json (what each call answered).
const fs = require('fs');
const axios = require('axios');
const FormData = require('form-data');

const [base, user, secret, nik, pass, pdf, png, out] = process.argv.slice(2);
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
	fs.writeFileSync(out + '/result.json', JSON.stringify(res, null, 1) + '\n');
}
main().catch((e) => { console.error(e.message); process.exit(1); });
