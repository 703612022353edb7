/* SPDX-License-Identifier: Apache-2.0 */
/*
 * BSrE's further v2 endpoints (issue 12), over src/esign/otp.c:
 *
 *   POST /api/v2/sign/get/totp          {nik|email, data}: a code mailed
 *                                       to the owner's registered address
 *   POST /api/v2/seal/get/activation    {idSubscriber}: an activation code
 *                                       mailed to the seal's address
 *   POST /api/v2/seal/get/totp          {idSubscriber, totp, data}: the
 *                                       activation code activates the seal
 *                                       for this client, then a signing
 *                                       code is mailed
 *   POST /api/v2/seal/revoke/activation {idSubscriber, totp}
 *   POST /api/v2/user/registration      {nik, nama, email, nip, jabatan,
 *        (and /register)                ktp, surat_rekomendasi,
 *                                       surat_pengantar}: a registration
 *                                       request in the OP's queue
 *
 * The rules (who may, validity, single use, the lock) live in src/esign;
 * this file reads the JSON and writes BSrE's answers.  docs/api-bsre.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esign/esign.h"
#include "http/http_int.h"
#include "instance/instance.h"
#include "ra/ra.h"

static void
sent_reply(struct http_resp *resp, const char *msg)
{
	http_json(resp, 200, json_pack("{s:b, s:s}", "success", 1, "message", msg));
}

int
api_esign_v2x_sign_totp(struct http_req *r, struct http_resp *resp)
{
	struct esign_client cl;
	struct esign_error err;
	struct esign_ctx *c;
	const char *nik, *email;
	char nikbuf[24];
	json_t *body;
	int rc;

	if ((c = api_esign_client_begin(&cl, r, resp, ESIGN_PERM_SIGN,
	                                "Aplikasi klien tidak berwenang "
	                                "menandatangani")) == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	nik = api_esign_jnik(body, nikbuf);
	email = api_esign_jstr(body, "email");
	if ((nik == NULL || *nik == '\0') && (email == NULL || *email == '\0')) {
		api_esign_error(resp, 400, ESIGN_BAD_REQUEST,
		                "Field 'nik' atau 'email' wajib diisi");
		goto out;
	}
	if ((rc = esign_otp_send(&err, r->st, esign_ctx_conf(c), r->actor,
	                         nik && *nik ? nik : NULL, email)) < 0) {
		api_esign_error_from(resp, &err, rc);
		goto out;
	}
	sent_reply(resp, rc == 1 ? "Gunakan kode TOTP dari aplikasi autentikator Anda "
	                           "bersama passphrase"
	                         : "Kode TOTP telah dikirim ke alamat e-mail terdaftar");
out:
	json_decref(body);
	return 0;
}

/* The seal calls: a client with the seal permission, a JSON body with
 * idSubscriber (and totp), one rule of otp.c, BSrE's answer. */
enum seal_call { SEAL_ACTIVATION, SEAL_TOTP, SEAL_REVOKE };

static int
seal_call(struct http_req *r, struct http_resp *resp, enum seal_call what)
{
	static const char *const done[] = {
	    "Kode aktivasi segel elektronik telah dikirim ke alamat e-mail segel",
	    "Kode TOTP segel elektronik telah dikirim ke alamat e-mail segel",
	    "Aktivasi segel elektronik dicabut",
	};
	struct esign_client cl;
	struct esign_error err;
	struct esign_ctx *c;
	const char *id;
	json_t *body;
	int rc;

	if ((c = api_esign_client_begin(&cl, r, resp, ESIGN_PERM_SEAL,
	                                "Aplikasi klien tidak berwenang memakai "
	                                "segel elektronik")) == NULL ||
	    (body = http_json_body(r, resp)) == NULL)
		return 0;
	id = api_esign_jstr(body, "idSubscriber");
	if (what == SEAL_ACTIVATION)
		rc = esign_seal_activation_send(&err, r->st, esign_ctx_conf(c), &cl, id);
	else if (what == SEAL_TOTP)
		rc = esign_seal_totp_send(&err, r->st, esign_ctx_conf(c), &cl, id,
		                          api_esign_jstr(body, "totp"));
	else
		rc = esign_seal_activation_revoke(&err, r->st, &cl, id);
	if (rc < 0)
		api_esign_error_from(resp, &err, rc);
	else
		sent_reply(resp, done[what]);
	json_decref(body);
	return 0;
}

int
api_esign_v2x_seal_activation(struct http_req *r, struct http_resp *resp)
{
	return seal_call(r, resp, SEAL_ACTIVATION);
}

int
api_esign_v2x_seal_totp(struct http_req *r, struct http_resp *resp)
{
	return seal_call(r, resp, SEAL_TOTP);
}

int
api_esign_v2x_seal_revoke(struct http_req *r, struct http_resp *resp)
{
	return seal_call(r, resp, SEAL_REVOKE);
}

/* ---- POST /api/v2/user/registration (and /register) ------------------------------ */
/* An attachment in base64 under any of BSrE's names for it; 0 when
 * absent, -1 (resp filled) when not base64 or too large. */
static int
reg_file(struct ra_file *f, unsigned char **buf, json_t *body, const char *kind,
         const char *const *names, struct http_resp *resp)
{
	const char *v = NULL;
	char msg[160];
	size_t n = 0;
	int i;

	for (i = 0; names[i] != NULL && (v == NULL || *v == '\0'); i++)
		v = api_esign_jstr(body, names[i]);
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) > (size_t)RA_ATTACH_MAX / 3 * 4 + 8 ||
	    b64_decode(buf, &n, v, strlen(v), 0) < 0) {
		snprintf(msg, sizeof(msg),
		         "Lampiran '%s' harus berkas base64 (paling besar %d byte)",
		         names[0], RA_ATTACH_MAX);
		api_esign_error(resp, 400, ESIGN_BAD_REQUEST, msg);
		return -1;
	}
	f->kind = kind;
	f->data = *buf;
	f->len = n;
	f->filename = names[0];
	return 1;
}

int
api_esign_v2x_register(struct http_req *r, struct http_resp *resp)
{
	static const char *const ktp[] = {"ktp", "image_ktp", "imageKtp", NULL};
	static const char *const rek[] = {"surat_rekomendasi", "rekomendasi",
	                                  "image_surat_rekomendasi", NULL};
	static const char *const pgt[] = {"surat_pengantar", "pengantar", NULL};
	const char *const *names[3] = {ktp, rek, pgt};
	static const char *const kinds[3] = {"ktp", "rekomendasi", "pengantar"};
	struct esign_client cl;
	struct ra_application app;
	struct ra_register_req rq;
	struct ra_file files[3];
	unsigned char *bufs[3] = {NULL, NULL, NULL};
	char nikbuf[24], msg[400];
	json_t *body;
	int i, nf = 0, rc, approvals = 1;

	if (api_esign_client_begin(&cl, r, resp, ESIGN_PERM_REGISTER,
	                           "Aplikasi klien tidak berwenang mendaftarkan user") ==
	    NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	memset(&rq, 0, sizeof(rq));
	rq.nik = api_esign_jnik(body, nikbuf);
	rq.name = api_esign_jstr(body, "nama");
	if (rq.name == NULL)
		rq.name = api_esign_jstr(body, "name");
	rq.email = api_esign_jstr(body, "email");
	rq.nip = api_esign_jstr(body, "nip");
	rq.position = api_esign_jstr(body, "jabatan");
	if (rq.nik == NULL || *rq.nik == '\0' || rq.name == NULL || *rq.name == '\0' ||
	    rq.email == NULL || *rq.email == '\0') {
		api_esign_error(resp, 400, ESIGN_BAD_REQUEST,
		                "Field 'nik', 'nama' dan 'email' wajib diisi");
		goto out;
	}
	for (i = 0; i < 3; i++) {
		if ((rc = reg_file(&files[nf], &bufs[i], body, kinds[i], names[i],
		                   resp)) < 0)
			goto out;
		nf += rc;
	}
	rq.files = files;
	rq.nfiles = nf;
	rq.via = r->actor;
	if ((rc = ra_approval_rule(&approvals, NULL, r->st, r->ctx->in->cfg,
	                           "individu")) < 0 ||
	    (rc = ra_register_request(&app, r->st, &rq, approvals)) < 0) {
		snprintf(msg, sizeof(msg), "%s%s",
		         rc == SERTEL_EEXISTS ? "User sudah terdaftar: " : "",
		         sertel_errmsg());
		if (rc == SERTEL_EINVAL || rc == SERTEL_EEXISTS || rc == SERTEL_ETOOBIG)
			api_esign_error(resp, 400, ESIGN_BAD_REQUEST, msg);
		else if (rc == SERTEL_ENOTFOUND || rc == SERTEL_EPERM)
			api_esign_error(resp, 400, ESIGN_BAD_REQUEST, msg);
		else
			http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200,
	          json_pack("{s:b, s:s, s:s, s:s}", "success", 1, "message",
	                    "Permohonan pendaftaran diterima dan menunggu verifikasi "
	                    "Otoritas Pendaftaran",
	                    "status", "WAITING_FOR_VERIFICATION", "id_permohonan",
	                    app.id));
out:
	for (i = 0; i < 3; i++)
		free(bufs[i]);
	json_decref(body);
	return 0;
}
