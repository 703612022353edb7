/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The BSrE-compatible e-sign API ("Esign Client Service", Juknis v2.0,
 * January 2024) over src/esign, and the public verification pages.
 *
 *   v1 (multipart/form-data, HTTP Basic per client application)
 *     POST /api/sign/pdf                 file, nik, passphrase, tampilan, ...
 *     GET  /api/sign/download/{id}       the signed file (when kept)
 *     POST /api/sign/verify              signed_file
 *     GET  /api/user/status/{nik}
 *   v2 (JSON, files in base64)
 *     POST /api/v2/sign/pdf              {nik|email, passphrase, totp,
 * signatureProperties[], file[]} POST /api/v2/seal/pdf              {idSubscriber,
 * signatureProperties[], file[]} POST /api/v2/sign/get/totp         {nik|email} POST
 * /api/v2/user/check/status     {nik|email} POST /api/v2/verify/pdf            {file}
 *   public, no login
 *     GET  /v/{id}                       the registry entry and its verdict (HTML;
 * ?format=json) GET  /verifikasi                   upload page (web/verifikasi/) POST
 * /api/verifikasi               multipart "file": the verification report
 *
 * Errors keep BSrE's shape, {"error": message, "status_code": code}, so
 * clients written for BSrE (which read `error`, then `message`) work
 * unchanged.  docs/api-bsre.md lists every difference from BSrE.
 *
 * Multipart bodies are parsed with libmicrohttpd's post processor over the
 * body the server core has already bounded ([esign] max_request_bytes for
 * an authenticated client, checked before reading); each field has its
 * own limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "esign/esign.h"
#include "http/http_int.h"

#define FIELD_TEXT_MAX (16 * 1024)
#define WEB_FILE_MAX   (1024 * 1024)

/* ---- the service, made once by http_serve before any request ------------- */
void
api_esign_setup(struct http_ctx *ctx)
{
	int rc;

	if ((ctx->esign_conf = calloc(1, sizeof(*ctx->esign_conf))) == NULL) {
		ctx->esign_rc = sertel_err(SERTEL_ENOMEM, "esign: out of memory");
		log_msg(LOG_ERROR, "%s", sertel_errmsg());
		return;
	}
	if ((rc = esign_conf_load(ctx->esign_conf, ctx->in->cfg, ctx->in->pc.base_url)) <
	        0 ||
	    (rc = esign_ctx_new(&ctx->esign, ctx->in, ctx->esign_conf)) < 0) {
		log_msg(LOG_ERROR, "esign: %s", sertel_errmsg());
		ctx->esign = NULL;
		ctx->esign_rc = rc;
	}
}

void
api_esign_teardown(struct http_ctx *ctx)
{
	esign_ctx_free(ctx->esign);
	ctx->esign = NULL;
	if (ctx->esign_conf != NULL)
		sign_look_free(&ctx->esign_conf->look);
	free(ctx->esign_conf);
	ctx->esign_conf = NULL;
}

static struct esign_ctx *
service(struct http_req *r)
{
	return r->ctx->esign;
}

struct esign_ctx *
api_esign_service(struct http_req *r)
{
	return service(r);
}

/* ---- responses ------------------------------------------------------------- */
/* BSrE's error shape. */
static void
bsre_error(struct http_resp *resp, int http, int code, const char *msg)
{
	http_json(resp, http, json_pack("{s:s, s:i}", "error", msg, "status_code", code));
}

static void
bsre_error_from(struct http_resp *resp, const struct esign_error *e, int rc)
{
	if (e->code != 0) {
		bsre_error(resp, e->http ? e->http : 400, e->code, e->msg);
		return;
	}
	switch (rc) {
	case SERTEL_EINVAL:
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, sertel_errmsg());
		break;
	case SERTEL_ETOOBIG:
		bsre_error(resp, 413, ESIGN_BAD_DOCUMENT, sertel_errmsg());
		break;
	case SERTEL_ENOTFOUND: bsre_error(resp, 404, 404, sertel_errmsg()); break;
	case SERTEL_EPERM: bsre_error(resp, 403, 403, sertel_errmsg()); break;
	default:
		log_msg(LOG_ERROR, "esign: %s", sertel_errmsg());
		bsre_error(resp, 500, 500, "Terjadi kesalahan pada server");
		break;
	}
}

static void
set_body(struct http_resp *resp, int status, const char *ctype, unsigned char *data,
         size_t len)
{
	free(resp->body);
	resp->status = status;
	resp->ctype = ctype;
	resp->body = data;
	resp->len = len;
}

/* ---- HTTP Basic per client application (RFC 7617) --------------------------- */
static void
basic_refuse(struct http_resp *resp, const char *msg)
{
	bsre_error(resp, 401, 401, msg);
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "WWW-Authenticate: Basic realm=\"sertel esign\", charset=\"UTF-8\"\n");
}

static int
client_auth(struct esign_client *out, struct http_req *r, struct http_resp *resp)
{
	const char *h = NULL;
	unsigned char *dec = NULL;
	char *colon, user[80], pass[600], cred[96];
	size_t ulen = 0, plen = 0, dlen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Throttled addresses are refused before anything is checked. */
	if ((rc = http_auth_throttle(r, resp, NULL)) < 0 ||
	    (rc = http_auth_header(&h, r, resp)) < 0)
		return rc;
	if (h == NULL || strncasecmp(h, "Basic ", 6) != 0 || strlen(h + 6) > 512 ||
	    b64_decode(&dec, &dlen, h + 6, strlen(h + 6), 0) < 0 ||
	    memchr(dec, '\0', dlen) != NULL || (colon = memchr(dec, ':', dlen)) == NULL ||
	    (ulen = (size_t)(colon - (char *)dec)) >= sizeof(user) ||
	    (plen = dlen - ulen - 1) >= sizeof(pass)) {
		if (dec != NULL)
			secure_wipe(dec, dlen);
		free(dec);
		basic_refuse(resp,
		             "Unauthorized: kredensial Basic aplikasi klien diperlukan");
		return SERTEL_EAUTH;
	}
	memcpy(user, dec, ulen);
	user[ulen] = '\0';
	memcpy(pass, colon + 1, plen);
	pass[plen] = '\0';
	secure_wipe(dec, dlen);
	free(dec);
	snprintf(cred, sizeof(cred), "esign-client:%s", user);
	if ((rc = http_auth_throttle(r, resp, cred)) == 0) {
		rc = esign_client_auth(out, r->st, user, pass);
		if (rc == SERTEL_EAUTH) {
			http_auth_fail(r, cred, "unknown client or wrong secret");
			basic_refuse(resp,
			             "Unauthorized: aplikasi klien tidak dikenal atau "
			             "sandi salah");
		} else if (rc < 0) {
			http_error_rc(resp, rc);
		}
	}
	secure_wipe(pass, sizeof(pass));
	if (rc < 0)
		return rc;
	if (store_last_use(r->st, "esign_clients", out->id, out->last_used_at,
	                   time_now()) < 0)
		log_msg(LOG_WARN, "client %s: last use not recorded: %s", out->name,
		        sertel_errmsg());
	snprintf(r->actor, sizeof(r->actor), "client:%s", out->name);
	return 0;
}

static int
client_may(const struct esign_client *c, struct http_resp *resp, unsigned perms,
           const char *what)
{
	if (c->perms & perms)
		return 0;
	bsre_error(resp, 403, 403, what);
	return SERTEL_EPERM;
}

/* The start of every client call: the service, the client's Basic
 * credentials and one of perms.  NULL (resp filled) when any fails. */
static struct esign_ctx *
client_begin(struct esign_client *cl, struct http_req *r, struct http_resp *resp,
             unsigned perms, const char *denied)
{
	struct esign_ctx *c = service(r);

	if (c == NULL) {
		http_error_rc(resp, r->ctx->esign_rc);
		return NULL;
	}
	if (client_auth(cl, r, resp) < 0 || client_may(cl, resp, perms, denied) < 0)
		return NULL;
	return c;
}

/* ---- multipart/form-data (http/multipart.c) ---------------------------------- */
/* BSrE's file fields, whatever the client sends as their filename. */
static int
is_file_field(const char *k, const char *filename)
{
	(void)filename;
	return strcmp(k, "file") == 0 || strcmp(k, "imageTTD") == 0 ||
	       strcmp(k, "signed_file") == 0;
}

/* Parses the buffered body; on failure fills resp with BSrE's error. */
static int
form_parse(struct http_multipart *fm, struct http_req *r, struct http_resp *resp,
           size_t file_max)
{
	char msg[256];
	int rc = http_multipart_parse(fm, r, file_max, FIELD_TEXT_MAX, is_file_field);

	switch (rc == 0 ? HTTP_MP_OK : fm->err) {
	case HTTP_MP_OK: return 0;
	case HTTP_MP_NOT_MULTIPART:
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Content-Type harus multipart/form-data");
		break;
	case HTTP_MP_TOO_MANY:
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, "Terlalu banyak field");
		break;
	case HTTP_MP_DUP:
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, "Field ganda dalam permintaan");
		break;
	case HTTP_MP_TOO_BIG:
		snprintf(msg, sizeof(msg), "Field '%s' melebihi batas ukuran",
		         fm->err_field);
		bsre_error(resp, 413, ESIGN_BAD_DOCUMENT, msg);
		break;
	case HTTP_MP_NUL:
		snprintf(
		    msg, sizeof(msg),
		    "Field '%s' berisi karakter NUL (field '%s' contains a NUL byte)",
		    fm->err_field, fm->err_field);
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, msg);
		break;
	default:
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Badan permintaan multipart tidak sah");
		break;
	}
	return rc;
}

/* ---- small parsers ----------------------------------------------------------- */
static int
parse_num(double *out, const char *s)
{
	char *end = NULL;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || v != v || v < -100000 || v > 100000)
		return -1;
	*out = v;
	return 0;
}

/* A PNG or JPEG by its first bytes. */
static int
is_image(const unsigned char *p, size_t n)
{
	return (n > 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) ||
	       (n > 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff);
}

static int
nik_syntax(const char *nik)
{
	return nik != NULL && strlen(nik) == 16 && strspn(nik, "0123456789") == 16;
}

/* A boolean form field as PHP and Node clients send it: PHP's cURL and
 * Guzzle turn true into "1" and false into "" in multipart forms, HTML
 * checkboxes send "on".  1 true, 0 false or absent, -1 anything else. */
static int
form_bool(const char *s)
{
	static const char *const yes[] = {"true", "1", "on", "yes"};
	static const char *const no[] = {"false", "0", "off", "no", ""};
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

/* width/height of a box placed on tag_koordinat: optional (absent or 0:
 * the default size), else a positive number of points. */
static int
tag_size(struct esign_props *p, const char *w, const char *h, char *msg, size_t msgsz)
{
	const char *k[2] = {w, h};
	static const char *const name[2] = {"width", "height"};
	double v;
	int i;

	for (i = 0; i < 2; i++) {
		if (k[i] == NULL || *k[i] == '\0')
			continue;
		if (parse_num(&v, k[i]) < 0 || v < 0) {
			snprintf(msg, msgsz, "Field '%s' wajib berupa angka yang sah",
			         name[i]);
			return -1;
		}
		p->rect[2 + i] = v;
	}
	return 0;
}

/* ---- v1: POST /api/sign/pdf ------------------------------------------------------ */
static int
v1_props(struct esign_props *p, struct http_multipart *fm, char *msg, size_t msgsz)
{
	const char *tampilan = http_multipart_text(fm, "tampilan"),
	           *image = http_multipart_text(fm, "image");
	const char *page = http_multipart_text(fm, "page"),
	           *halaman = http_multipart_text(fm, "halaman");
	const char *tag = http_multipart_text(fm, "tag_koordinat");
	struct http_part *img = http_multipart_get(fm, "imageTTD");
	double v;
	int i, img_on;

	memset(p, 0, sizeof(*p));
	p->reason = http_multipart_text(fm, "reason");
	p->location = http_multipart_text(fm, "location");
	p->text = http_multipart_text(fm, "text");
	if (tampilan == NULL) {
		snprintf(msg, msgsz,
		         "Field 'tampilan' wajib diisi (visible atau invisible)");
		return -1;
	}
	if (strcasecmp(tampilan, "invisible") == 0)
		return 0;
	if (strcasecmp(tampilan, "visible") != 0) {
		snprintf(msg, msgsz, "Field 'tampilan' harus visible atau invisible");
		return -1;
	}
	p->visible = 1;
	if ((img_on = form_bool(image)) < 0) {
		snprintf(
		    msg, msgsz,
		    "Field 'image' harus true atau false (juga 1/0, on/off, kosong)");
		return -1;
	}
	if (img_on == 1) {
		if (img == NULL || img->val.len == 0) {
			snprintf(msg, msgsz, "image=true memerlukan file 'imageTTD'");
			return -1;
		}
		if (!is_image(img->val.data, img->val.len)) {
			snprintf(msg, msgsz, "'imageTTD' harus PNG atau JPEG");
			return -1;
		}
		p->image = img->val.data;
		p->image_len = img->val.len;
	} else {
		p->want_qr = 1;
		p->qr = http_multipart_text(fm, "linkQR");
	}
	if (tag != NULL && *tag != '\0') {
		/* The guide's tag examples send the box's size too. */
		p->tag = tag;
		return tag_size(p, http_multipart_text(fm, "width"),
		                http_multipart_text(fm, "height"), msg, msgsz);
	}
	if (halaman != NULL) {
		if (strcasecmp(halaman, "pertama") == 0)
			p->page = 0;
		else if (strcasecmp(halaman, "terakhir") == 0)
			p->page = -1;
		else {
			snprintf(msg, msgsz,
			         "Field 'halaman' harus pertama atau terakhir");
			return -1;
		}
	} else if (page != NULL) {
		if (parse_num(&v, page) < 0 || v < 1 || v != (int)v) {
			snprintf(msg, msgsz, "Field 'page' harus bilangan bulat mulai 1");
			return -1;
		}
		p->page = (int)v - 1;
	} else {
		snprintf(msg, msgsz,
		         "tampilan visible memerlukan 'page' atau 'halaman', atau "
		         "'tag_koordinat'");
		return -1;
	}
	{
		static const char *const k[4] = {"xAxis", "yAxis", "width", "height"};
		for (i = 0; i < 4; i++) {
			if (parse_num(&v, http_multipart_text(fm, k[i])) < 0 || v < 0 ||
			    (i >= 2 && v <= 0)) {
				snprintf(msg, msgsz,
				         "Field '%s' wajib berupa angka yang sah", k[i]);
				return -1;
			}
			p->rect[i] = v;
		}
	}
	return 0;
}

int
api_esign_v1_sign(struct http_req *r, struct http_resp *resp)
{
	struct esign_ctx *c;
	struct esign_client cl;
	struct esign_error err;
	struct esign_sign_req rq;
	struct esign_props props;
	struct esign_doc_in doc;
	struct esign_doc_out *out = NULL;
	struct http_multipart fm;
	struct http_part *file;
	const char *nik, *pass;
	char msg[200], disp[400];
	int rc;

	memset(&fm, 0, sizeof(fm));
	if ((c = client_begin(&cl, r, resp, ESIGN_PERM_SIGN,
	                      "Aplikasi klien tidak berwenang menandatangani")) == NULL)
		return 0;
	if (form_parse(&fm, r, resp, esign_ctx_conf(c)->max_file_bytes) < 0)
		return 0;
	file = http_multipart_get(&fm, "file");
	nik = http_multipart_text(&fm, "nik");
	pass = http_multipart_text(&fm, "passphrase");
	if (file == NULL) {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, "Field 'file' wajib diisi");
		goto out;
	}
	if (nik == NULL || *nik == '\0') {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, "Field 'nik' wajib diisi");
		goto out;
	}
	if (pass == NULL || *pass == '\0') {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'passphrase' wajib diisi");
		goto out;
	}
	if (!nik_syntax(nik)) {
		bsre_error(resp, 400, ESIGN_NOT_REGISTERED,
		           "User belum terdaftar (NIK tidak sah)");
		goto out;
	}
	if (v1_props(&props, &fm, msg, sizeof(msg)) < 0) {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, msg);
		goto out;
	}
	memset(&doc, 0, sizeof(doc));
	doc.data = file->val.data;
	doc.len = file->val.len;
	doc.name = file->filename[0] ? file->filename : "dokumen.pdf";
	memset(&rq, 0, sizeof(rq));
	rq.client = &cl;
	rq.nik = nik;
	rq.passphrase = pass;
	rq.passlen = strlen(pass);
	rq.totp = http_multipart_text(&fm, "totp");
	rq.docs = &doc;
	rq.ndocs = 1;
	rq.props = &props;
	rq.nprops = 1;
	if ((rc = esign_sign(&out, &err, c, r->st, &rq)) < 0) {
		bsre_error_from(resp, &err, rc);
		goto out;
	}
	set_body(resp, 200, "application/pdf", out[0].data, out[0].len);
	snprintf(disp, sizeof(disp),
	         "id_dokumen: %s\nAccess-Control-Expose-Headers: id_dokumen\n"
	         "Content-Disposition: attachment; filename=\"%s.pdf\"\n",
	         out[0].id, out[0].id);
	str_copy(resp->extra_headers, sizeof(resp->extra_headers), disp);
	out[0].data = NULL;
	esign_docs_free(out, 1);
out : {
	struct http_part *pf = http_multipart_get(&fm, "passphrase");
	if (pf != NULL && pf->val.data != NULL)
		secure_wipe(pf->val.data, pf->val.len);
}
	http_multipart_free(&fm);
	return 0;
}

/* ---- v1: GET /api/sign/download/{id} ------------------------------------------------
 */
int
api_esign_v1_download(struct http_req *r, struct http_resp *resp)
{
	struct esign_client cl;
	unsigned char *data = NULL;
	size_t len = 0;
	const char *id = r->path + strlen("/api/sign/download/");
	char hdr[320];
	int rc;

	if (client_begin(&cl, r, resp, ESIGN_PERM_SIGN | ESIGN_PERM_SEAL,
	                 "Aplikasi klien tidak berwenang mengunduh dokumen") == NULL)
		return 0;
	rc = esign_doc_content(&data, &len, r->st, &cl, id);
	if (rc == SERTEL_ENOTFOUND) {
		/* BSrE's answer to a second download of the same id. */
		bsre_error(
		    resp, 404, ESIGN_NOT_AVAILABLE,
		    "File tidak tersedia, pastikan bahwa dokumen belum di download");
		return 0;
	}
	if (rc == SERTEL_EPERM) {
		bsre_error(resp, 403, 403,
		           "Dokumen ditandatangani melalui aplikasi klien lain");
		return 0;
	}
	if (rc < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	set_body(resp, 200, "application/pdf", data, len);
	snprintf(hdr, sizeof(hdr),
	         "id_dokumen: %.40s\nAccess-Control-Expose-Headers: id_dokumen\n"
	         "Content-Disposition: attachment; filename=\"%.40s.pdf\"\n",
	         id, id);
	str_copy(resp->extra_headers, sizeof(resp->extra_headers), hdr);
	return 0;
}

/* ---- verification reports in BSrE's two shapes ------------------------------------ */
static void
time_plain(char out[32], int64_t t)
{
	char *p;

	time_fmt(out, t);
	if ((p = strchr(out, 'T')) != NULL)
		*p = ' ';
	if ((p = strchr(out, 'Z')) != NULL)
		*p = '\0';
}

/* BSrE's v1 time: "2018-10-17 10:57:04.00" (UTC). */
static void
time_v1(char out[40], int64_t t)
{
	char plain[32];

	time_plain(plain, t);
	snprintf(out, 40, "%.24s.00", plain);
}

/* BSrE's v2 time: "2024-01-15T10:20:30.000+00:00" (UTC). */
static void
time_v2(char out[40], int64_t t)
{
	char iso[32], *z;

	time_fmt(iso, t);
	if ((z = strchr(iso, 'Z')) != NULL)
		*z = '\0';
	snprintf(out, 40, "%.24s.000+00:00", iso);
}

static const char *
verdict_name(enum verify_verdict v)
{
	return v == VERIFY_VALID ? "VALID" : v == VERIFY_INVALID ? "INVALID" : "WARNING";
}

/* The certificate record, when the certificate was issued here. */
static int
cert_lookup(struct cert_rec *out, struct store *st, const char *serial_hex)
{
	char s[SERIAL_HEX_MAX + 2];
	size_t i, n;

	memset(out, 0, sizeof(*out));
	if (serial_hex == NULL || (n = strlen(serial_hex)) == 0 || n > SERIAL_HEX_MAX)
		return -1;
	for (i = 0; i < n; i++)
		s[i] = (serial_hex[i] >= 'A' && serial_hex[i] <= 'F')
		           ? (char)(serial_hex[i] + 32)
		           : serial_hex[i];
	s[n] = '\0';
	if (store_cert_get(st, s, out) < 0) {
		sertel_err_clear();
		return -1;
	}
	return 0;
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
report_v1(const struct verify_report *vr, struct store *st, const char *name)
{
	json_t *details = json_array(), *j;
	char t1[40], t2[40], t3[40], validity[100];
	size_t i;

	for (i = 0; i < vr->nsigs; i++) {
		const struct verify_sig *s = &vr->sigs[i];
		struct cert_rec rec;
		int have = cert_lookup(&rec, st, s->serial_hex) == 0;

		validity[0] = '\0';
		if (have) {
			time_v1(t1, rec.not_before);
			time_v1(t2, rec.not_after);
			snprintf(validity, sizeof(validity), "%s to %s", t1, t2);
		}
		time_v1(t3, s->timestamp_time ? s->timestamp_time : s->signing_time);
		json_array_append_new(
		    details,
		    json_pack("{s:{s:o, s:n}, s:o, s:{s:o, s:o, s:o, s:o, s:b}, "
		              "s:{s:b, s:o, s:b, s:n, s:s, s:o, s:n}}",
		              "info_tsa", "name",
		              s->timestamp_time ? json_string("Otoritas Cap Waktu (TSA)")
		                                : json_null(),
		              "tsa_cert_validity", "signature_field", jstr(s->field),
		              "info_signer", "issuer_dn", jstr(s->issuer), "signer_name",
		              jstr(s->common_name), "signer_cert_validity",
		              have ? json_string(validity) : json_null(), "signer_dn",
		              jstr(s->subject), "cert_user_certified", s->chain_ok,
		              "signature_document", "signed_using_tsa",
		              s->timestamp_time != 0, "reason", jstr(s->reason),
		              "document_integrity", !s->changed, "signature_value",
		              "signed_in", t3, "location", jstr(s->location),
		              "hash_value"));
		/* Issue 11 (verdict): the verdict and reasons every surface shows. */
		json_object_set_new(json_array_get(details, json_array_size(details) - 1),
		                    "result", verify_sig_verdict_json(s));
		if (have)
			cert_rec_free(&rec);
	}
	/* BSrE's summary has two values; an indeterminate verdict is not a
	 * valid one.  An unsigned PDF: BSrE's null answer, no summary.  The
	 * verdict and its reasons, as every surface shows them: "result". */
	j = json_pack(
	    "{s:s, s:i, s:s, s:s, s:o, s:o}", "nama_dokumen", name ? name : "dokumen.pdf",
	    "jumlah_signature", (int)vr->nsigs, "notes",
	    vr->message ? vr->message
	    : vr->verdict == VERIFY_VALID
	        ? "Dokumen valid, Sertifikat yang digunakan terpercaya"
	        : "Dokumen tidak valid",
	    "summary",
	    vr->verdict == VERIFY_VALID ? "DOCUMENT VALID !!!" : "DOCUMENT NOT VALID !!!",
	    "details", details, "result", verify_report_verdict_json(vr));
	if (j != NULL && vr->nsigs == 0) {
		json_object_set_new(j, "notes", json_null());
		json_object_set_new(j, "summary", json_null());
	}
	return j;
}

/* The signer's chain as BSrE's certificateDetails entries: serial in
 * decimal, dates in BSrE's v2 format (esign_cert_chain). */
static void
cert_chain_v2(json_t *certs, struct store *st, const char *serial_hex,
              const unsigned char *data, size_t len)
{
	struct esign_cert_summary *cs = NULL;
	char id[112], nb[40], na[40];
	json_t *ku;
	size_t i, n = 0;
	int k;

	if (esign_cert_chain(&cs, &n, st, serial_hex, data, len) < 0) {
		log_msg(LOG_ERROR, "esign: certificate details: %s", sertel_errmsg());
		return;
	}
	for (i = 0; i < n; i++) {
		ku = json_array();
		for (k = 0; k < cs[i].nku; k++)
			json_array_append_new(ku, json_string(cs[i].key_usages[k]));
		time_v2(nb, cs[i].not_before);
		time_v2(na, cs[i].not_after);
		snprintf(id, sizeof(id), "C-%s", cs[i].serial_dec);
		json_array_append_new(
		    certs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", id,
		                     "commonName", cs[i].cn, "issuerName", cs[i].issuer,
		                     "serialNumber", cs[i].serial_dec, "notBeforeDate",
		                     nb, "notAfterDate", na, "signatureAlgoritm",
		                     cs[i].sigalg, "keyUsages", ku));
	}
	free(cs);
}

/* BSrE's signatureFormat from the signature's SubFilter (ISO 32000-2
 * 12.8.3): only ETSI.CAdES.detached is PAdES. */
static const char *
sig_format(const struct verify_sig *s)
{
	if (s->subfilter != NULL && strcmp(s->subfilter, "ETSI.CAdES.detached") == 0)
		return s->timestamp_time ? "PAdES-BASELINE-T" : "PAdES-BASELINE-B";
	if (s->subfilter != NULL && strcmp(s->subfilter, "ETSI.RFC3161") == 0)
		return "PDF-TIMESTAMP";
	if (s->subfilter != NULL && strncmp(s->subfilter, "adbe.pkcs7.", 11) == 0)
		return s->timestamp_time ? "PKCS7-T" : "PKCS7-B";
	return "PDF-NOT-ETSI";
}

/* data: the verified file, for the certificates of foreign signers; NULL
 * when only the store's are listed. */
static json_t *
report_v2_file(const struct verify_report *vr, struct store *st,
               const unsigned char *data, size_t len)
{
	json_t *infos = json_array();
	char id[96], ts[40], sd[40], tsid[96];
	size_t i;

	for (i = 0; i < vr->nsigs; i++) {
		const struct verify_sig *s = &vr->sigs[i];
		json_t *certs = json_array(), *tsinfo;

		cert_chain_v2(certs, st, s->serial_hex, data, len);
		snprintf(id, sizeof(id), "S-%zu-%s", i + 1,
		         s->serial_hex ? s->serial_hex : "");
		time_v2(sd, s->signing_time ? s->signing_time : s->timestamp_time);
		if (s->timestamp_time) {
			time_v2(ts, s->timestamp_time);
			snprintf(tsid, sizeof(tsid), "T-%zu", i + 1);
			tsinfo = json_pack("{s:s, s:s, s:s}", "id", tsid, "signerName",
			                   s->tsa ? s->tsa : "Otoritas Cap Waktu (TSA)",
			                   "timestampDate", ts);
		} else {
			tsinfo = json_null();
		}
		json_array_append_new(
		    infos,
		    json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:o, "
		              "s:o, s:b, "
		              "s:b, s:b, s:b, s:b, s:s}",
		              "id", id, "signatureFormat", sig_format(s), "signerName",
		              jstr(s->common_name), "signatureDate", sd, "fieldName",
		              jstr(s->field), "reason", jstr(s->reason), "location",
		              jstr(s->location), "certLevelCode", 0, "signatureAlgorithm",
		              jstr(s->sig_alg), "digestAlgorithm", jstr(s->digest_alg),
		              "timestampInfomation", tsinfo, "certificateDetails", certs,
		              "integrityValid", !s->changed, "certificateTrusted",
		              s->chain_ok && s->revocation_ok, "lastSignature",
		              i + 1 == vr->nsigs, "modified", s->changed, "ltv", 0,
		              "verdict", verdict_name(s->verdict)));
		/* Issue 11 (verdict): the verdict and reasons every surface shows. */
		json_object_set_new(json_array_get(infos, json_array_size(infos) - 1),
		                    "result", verify_sig_verdict_json(s));
	}
	return json_pack(
	    "{s:s, s:s, s:i, s:o, s:o}", "conclusion",
	    vr->nsigs == 0 ? "NO_SIGNATURE" : verdict_name(vr->verdict), "description",
	    vr->message      ? vr->message
	    : vr->nsigs == 0 ? "Dokumen tidak memiliki tanda tangan elektronik"
	    : vr->verdict == VERIFY_VALID
	        ? "Dokumen valid, Sertifikat yang digunakan terpercaya"
	        : "Dokumen tidak valid",
	    "signatureCount", (int)vr->nsigs, "signatureInformations", infos, "result",
	    verify_report_verdict_json(vr));
}

static json_t *
report_v2(const struct verify_report *vr, struct store *st)
{
	return report_v2_file(vr, st, NULL, 0);
}

/* Adds the registry entry of this exact file, when there is one. */
static void
add_registry(json_t *j, struct store *st, const char *sha256_hex, const char *base_url)
{
	struct esign_doc d;
	char link[600];

	if (esign_doc_by_hash(&d, st, sha256_hex) < 0) {
		sertel_err_clear();
		return;
	}
	snprintf(link, sizeof(link), "%s/v/%s", base_url, d.id);
	json_object_set_new(j, "id_dokumen", json_string(d.id));
	json_object_set_new(j, "link_verifikasi", json_string(link));
}

/* The PDF in the multipart field name, verified: 0, or -1 with the answer
 * (400 or the verification refusal) in resp.  fm is freed by the caller,
 * also on failure. */
static int
verify_field(struct verify_report **vr, struct http_part **f, struct http_multipart *fm,
             struct esign_ctx *c, struct http_req *r, struct http_resp *resp,
             const char *name, int public_route)
{
	struct esign_error err;
	char msg[64];
	int rc;

	memset(fm, 0, sizeof(*fm));
	if (form_parse(fm, r, resp, esign_ctx_conf(c)->max_file_bytes) < 0)
		return -1;
	if ((*f = http_multipart_get(fm, name)) == NULL) {
		snprintf(msg, sizeof(msg), "Field '%s' wajib diisi", name);
		bsre_error(resp, 400, ESIGN_BAD_REQUEST, msg);
		return -1;
	}
	if ((rc = esign_verify(vr, &err, c, r->st, (*f)->val.data, (*f)->val.len,
	                       public_route)) < 0) {
		bsre_error_from(resp, &err, rc);
		return -1;
	}
	return 0;
}

/* ---- v1: POST /api/sign/verify ---------------------------------------------------- */
int
api_esign_v1_verify(struct http_req *r, struct http_resp *resp)
{
	struct esign_ctx *c;
	struct esign_client cl;
	struct verify_report *vr = NULL;
	struct http_multipart fm;
	struct http_part *f;
	json_t *j;

	if ((c = client_begin(&cl, r, resp, ESIGN_PERM_VERIFY,
	                      "Aplikasi klien tidak berwenang memverifikasi")) == NULL)
		return 0;
	if (verify_field(&vr, &f, &fm, c, r, resp, "signed_file", 0) < 0)
		goto out;
	j = report_v1(vr, r->st, f->filename[0] ? f->filename : NULL);
	add_registry(j, r->st, vr->sha256_hex, esign_ctx_conf(c)->base_url);
	http_json(resp, 200, j);
out:
	verify_report_free(vr);
	http_multipart_free(&fm);
	return 0;
}

/* ---- statuses -----------------------------------------------------------------------
 */
/* 200 with the status of the owner of nik (or email), 500 when the store
 * fails. */
static void
status_reply(struct http_resp *resp, struct store *st, const char *nik, const char *email)
{
	struct esign_owner o;
	int rc = esign_owner_get(&o, st, nik, email, time_now());
	json_t *j;

	if (rc == SERTEL_ENOTFOUND || rc == SERTEL_EINVAL) {
		sertel_err_clear();
		j = json_pack("{s:i, s:s, s:s}", "status_code", 1110, "status",
		              "NOT_REGISTERED", "message",
		              esign_status_message(ESIGN_ST_NOT_REGISTERED));
	} else if (rc < 0) {
		j = NULL;
	} else {
		j = json_pack("{s:i, s:s, s:s}", "status_code", 1111, "status",
		              esign_status_name(o.status), "message",
		              esign_status_message(o.status));
	}
	if (j == NULL) {
		http_error_rc(resp, SERTEL_ESTORE);
		return;
	}
	http_json(resp, 200, j);
}

int
api_esign_v1_status(struct http_req *r, struct http_resp *resp)
{
	struct esign_client cl;
	const char *nik = r->path + strlen("/api/user/status/");

	if (client_begin(&cl, r, resp,
	                 ESIGN_PERM_SIGN | ESIGN_PERM_VERIFY | ESIGN_PERM_SEAL,
	                 "Aplikasi klien tidak berwenang") == NULL)
		return 0;
	status_reply(resp, r->st, nik, NULL);
	return 0;
}

/* ---- v2 (JSON) ------------------------------------------------------------------------
 */
static const char *
jget_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The v2 "nik": a string, or a JSON number as PHP's json_encode writes an
 * int (a NIK never starts with 0: its first two digits are the province
 * code, 11..94).  buf holds the number's digits; NULL when absent. */
static const char *
jget_nik(json_t *o, char buf[24])
{
	json_t *v = json_object_get(o, "nik");

	if (json_is_integer(v) && json_integer_value(v) > 0) {
		snprintf(buf, 24, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A number given as a JSON number or a numeric string (clients do both). */
static int
jget_num(double *out, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (json_is_string(v))
		return parse_num(out, json_string_value(v));
	return v == NULL || json_is_null(v) ? 1 : -1;
}

/* Base64 with an optional data: URL prefix; *out owned. */
static int
b64_file(unsigned char **out, size_t *len, const char *s)
{
	const char *comma;

	if (strncmp(s, "data:", 5) == 0 && (comma = strchr(s, ',')) != NULL)
		s = comma + 1;
	return b64_decode(out, len, s, strlen(s), 0);
}

/* top_left: originY measured from the page's top (BSrE's guide), unless
 * the client is set to the lower-left origin (`sertel client origin`). */
static int
v2_props(struct esign_props *p, json_t *o, int top_left, unsigned char **img, char *msg,
         size_t msgsz)
{
	const char *t = jget_str(o, "tampilan"), *b64 = jget_str(o, "imageBase64"),
	           *tag = jget_str(o, "tag_koordinat");
	static const char *const k[4] = {"originX", "originY", "width", "height"};
	json_t *image = json_object_get(o, "image");
	double v;
	size_t ilen = 0;
	int i, rc;

	memset(p, 0, sizeof(*p));
	*img = NULL;
	if (!json_is_object(o)) {
		snprintf(msg, msgsz, "signatureProperties: setiap entri harus objek");
		return -1;
	}
	p->reason = jget_str(o, "reason");
	p->location = jget_str(o, "location");
	p->text = jget_str(o, "text");
	/* pdfPassword is not read: BSrE ignores it for an unencrypted PDF,
	 * and the PDF writer refuses an encrypted one (2061); sertel never
	 * decrypts. */
	if (t == NULL) {
		snprintf(msg, msgsz, "signatureProperties: 'tampilan' wajib diisi");
		return -1;
	}
	if (strcasecmp(t, "INVISIBLE") == 0)
		return 0;
	if (strcasecmp(t, "VISIBLE") != 0) {
		snprintf(msg, msgsz,
		         "signatureProperties: 'tampilan' harus VISIBLE atau INVISIBLE");
		return -1;
	}
	p->visible = 1;
	if (b64 != NULL && *b64 != '\0' && !json_is_false(image)) {
		if (b64_file(img, &ilen, b64) < 0 || !is_image(*img, ilen)) {
			free(*img);
			*img = NULL;
			snprintf(msg, msgsz,
			         "'imageBase64' harus gambar PNG atau JPEG dalam base64");
			return -1;
		}
		p->image = *img;
		p->image_len = ilen;
	} else {
		p->want_qr = 1;
		p->qr = jget_str(o, "linkQR");
	}
	if (tag != NULL && *tag != '\0') {
		p->tag = tag;
		for (i = 2; i < 4; i++) {
			if ((rc = jget_num(&v, o, k[i])) < 0 || (rc == 0 && v < 0)) {
				snprintf(msg, msgsz,
				         "signatureProperties: '%s' wajib berupa angka "
				         "yang sah",
				         k[i]);
				return -1;
			}
			p->rect[i] = rc == 0 ? v : 0;
		}
		return 0;
	}
	if ((rc = jget_num(&v, o, "page")) < 0 || (rc == 0 && (v < 1 || v != (int)v))) {
		snprintf(msg, msgsz,
		         "signatureProperties: 'page' harus bilangan bulat mulai 1");
		return -1;
	}
	p->page = rc == 0 ? (int)v - 1 : 0;
	for (i = 0; i < 4; i++) {
		if (jget_num(&v, o, k[i]) != 0 || v < 0 || (i >= 2 && v <= 0)) {
			snprintf(msg, msgsz,
			         "signatureProperties: '%s' wajib berupa angka yang sah",
			         k[i]);
			return -1;
		}
		p->rect[i] = v;
	}
	p->top_left = top_left;
	return 0;
}

static int
v2_sign_common(struct http_req *r, struct http_resp *resp, int seal)
{
	struct esign_ctx *c;
	struct esign_client cl;
	struct esign_error err;
	struct esign_sign_req rq;
	struct esign_props *props = NULL;
	struct esign_doc_in *docs = NULL;
	struct esign_doc_out *out = NULL;
	unsigned char **imgs = NULL, **files = NULL;
	json_t *body = NULL, *jf, *jp, *arr = NULL;
	const char *nik, *email, *pass, *sub;
	char msg[200], nikbuf[24];
	size_t nf = 0, np = 0, i;
	int64_t t0 = time_now_us();
	int rc;

	c = seal ? client_begin(&cl, r, resp, ESIGN_PERM_SEAL,
	                        "Aplikasi klien tidak berwenang memakai segel elektronik")
	         : client_begin(&cl, r, resp, ESIGN_PERM_SIGN,
	                        "Aplikasi klien tidak berwenang menandatangani");
	if (c == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	nik = jget_nik(body, nikbuf);
	email = jget_str(body, "email");
	pass = jget_str(body, "passphrase");
	sub = jget_str(body, "idSubscriber");
	jf = json_object_get(body, "file");
	jp = json_object_get(body, "signatureProperties");
	if (json_is_string(jf)) {
		/* Some clients send one file as a plain string. */
		arr = json_array();
		json_array_append(arr, jf);
		jf = arr;
	}
	if (!json_is_array(jf) || (nf = json_array_size(jf)) == 0) {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'file' wajib berupa array base64");
		goto out;
	}
	if (!json_is_array(jp) || (np = json_array_size(jp)) == 0) {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'signatureProperties' wajib diisi");
		goto out;
	}
	if (seal) {
		if (sub == NULL || *sub == '\0') {
			bsre_error(resp, 400, ESIGN_BAD_REQUEST,
			           "Field 'idSubscriber' wajib diisi");
			goto out;
		}
	} else {
		if ((nik == NULL || *nik == '\0') && (email == NULL || *email == '\0')) {
			bsre_error(resp, 400, ESIGN_BAD_REQUEST,
			           "Field 'nik' atau 'email' wajib diisi");
			goto out;
		}
		/* A missing passphrase: esign_sign takes BSrE's code (totp)
		 * instead, or refuses (issue 12, src/esign/otp.c). */
		if (nik != NULL && *nik != '\0' && !nik_syntax(nik)) {
			bsre_error(resp, 400, ESIGN_NOT_REGISTERED,
			           "User belum terdaftar (NIK tidak sah)");
			goto out;
		}
	}
	if (nf > esign_ctx_conf(c)->max_files) {
		snprintf(msg, sizeof(msg), "Paling banyak %zu dokumen per panggilan",
		         esign_ctx_conf(c)->max_files);
		bsre_error(resp, 413, ESIGN_BAD_REQUEST, msg);
		goto out;
	}
	if ((docs = calloc(nf, sizeof(*docs))) == NULL ||
	    (files = calloc(nf, sizeof(*files))) == NULL ||
	    (props = calloc(np, sizeof(*props))) == NULL ||
	    (imgs = calloc(np, sizeof(*imgs))) == NULL) {
		http_error_rc(resp, SERTEL_ENOMEM);
		goto out;
	}
	for (i = 0; i < nf; i++) {
		json_t *v = json_array_get(jf, i);
		if (!json_is_string(v) ||
		    b64_file(&files[i], &docs[i].len, json_string_value(v)) < 0) {
			snprintf(msg, sizeof(msg), "file[%zu] bukan base64 yang sah", i);
			bsre_error(resp, 400, ESIGN_BAD_DOCUMENT, msg);
			goto out;
		}
		docs[i].data = files[i];
	}
	for (i = 0; i < np; i++) {
		if (v2_props(&props[i], json_array_get(jp, i), !cl.v2_bottom_left,
		             &imgs[i], msg, sizeof(msg)) < 0) {
			bsre_error(resp, 400, ESIGN_BAD_REQUEST, msg);
			goto out;
		}
	}
	memset(&rq, 0, sizeof(rq));
	rq.client = &cl;
	rq.nik = nik && *nik ? nik : NULL;
	rq.email = email;
	rq.passphrase = pass;
	rq.passlen = pass ? strlen(pass) : 0;
	rq.totp = jget_str(body, "totp");
	rq.seal_id = seal ? sub : NULL;
	rq.docs = docs;
	rq.ndocs = nf;
	rq.props = props;
	rq.nprops = np;
	if ((rc = esign_sign(&out, &err, c, r->st, &rq)) < 0) {
		bsre_error_from(resp, &err, rc);
		goto out;
	}
	{
		json_t *fa = json_array(), *ids = json_array();
		char *b = NULL;
		for (i = 0; i < nf; i++) {
			if (b64_encode(&b, out[i].data, out[i].len, 0) < 0) {
				json_decref(fa);
				json_decref(ids);
				http_error_rc(resp, SERTEL_ENOMEM);
				goto out;
			}
			json_array_append_new(fa, json_string(b));
			json_array_append_new(ids, json_string(out[i].id));
			free(b);
			b = NULL;
		}
		http_json(resp, 200,
		          json_pack("{s:I, s:o, s:o}", "time",
		                    (json_int_t)((time_now_us() - t0) / 1000), "file", fa,
		                    "id_dokumen", ids));
	}
out:
	if (pass != NULL)
		secure_wipe((char *)pass, strlen(pass));
	esign_docs_free(out, nf);
	for (i = 0; files != NULL && i < nf; i++)
		free(files[i]);
	for (i = 0; imgs != NULL && i < np; i++)
		free(imgs[i]);
	free(files);
	free(imgs);
	free(docs);
	free(props);
	json_decref(arr);
	json_decref(body);
	return 0;
}

int
api_esign_v2_sign(struct http_req *r, struct http_resp *resp)
{
	return v2_sign_common(r, resp, 0);
}

int
api_esign_v2_seal(struct http_req *r, struct http_resp *resp)
{
	return v2_sign_common(r, resp, 1);
}

int
api_esign_v2_status(struct http_req *r, struct http_resp *resp)
{
	struct esign_client cl;
	json_t *body;
	char nikbuf[24];

	if (client_begin(&cl, r, resp,
	                 ESIGN_PERM_SIGN | ESIGN_PERM_VERIFY | ESIGN_PERM_SEAL,
	                 "Aplikasi klien tidak berwenang") == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	if (jget_nik(body, nikbuf) == NULL && jget_str(body, "email") == NULL) {
		json_decref(body);
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'nik' atau 'email' wajib diisi");
		return 0;
	}
	status_reply(resp, r->st, jget_nik(body, nikbuf), jget_str(body, "email"));
	json_decref(body);
	return 0;
}

int
api_esign_v2_verify(struct http_req *r, struct http_resp *resp)
{
	struct esign_ctx *c;
	struct esign_client cl;
	struct esign_error err;
	struct verify_report *vr = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	json_t *body = NULL, *jf, *j;
	int rc;

	if ((c = client_begin(&cl, r, resp, ESIGN_PERM_VERIFY,
	                      "Aplikasi klien tidak berwenang memverifikasi")) == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	jf = json_object_get(body, "file");
	if (json_is_array(jf) && json_array_size(jf) == 1)
		jf = json_array_get(jf, 0);
	/* password is not read: ignored for an unencrypted PDF, as BSrE
	 * does (docs/api-bsre.md). */
	if (!json_is_string(jf) || b64_file(&data, &len, json_string_value(jf)) < 0) {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'file' wajib berupa base64");
		goto out;
	}
	if ((rc = esign_verify(&vr, &err, c, r->st, data, len, 0)) < 0) {
		bsre_error_from(resp, &err, rc);
		goto out;
	}
	j = report_v2_file(vr, r->st, data, len);
	add_registry(j, r->st, vr->sha256_hex, esign_ctx_conf(c)->base_url);
	http_json(resp, 200, j);
out:
	verify_report_free(vr);
	free(data);
	json_decref(body);
	return 0;
}

/* ---- public pages: /v/{id}, /verifikasi ------------------------------------------- */
static void
html_esc(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '<': buf_append(b, "&lt;", 4); break;
		case '>': buf_append(b, "&gt;", 4); break;
		case '&': buf_append(b, "&amp;", 5); break;
		case '"': buf_append(b, "&quot;", 6); break;
		case '\'': buf_append(b, "&#39;", 5); break;
		default: buf_putc(b, (unsigned char)*s); break;
		}
	}
}

/* The registered signature in a report: the one made with the registered
 * certificate (the last such), else the last signature; NULL if none. */
static const struct verify_sig *
doc_sig(const struct verify_report *vr, const char *serial)
{
	size_t i;

	for (i = vr->nsigs; i > 0; i--)
		if (vr->sigs[i - 1].serial_hex != NULL &&
		    strcasecmp(vr->sigs[i - 1].serial_hex, serial) == 0)
			return &vr->sigs[i - 1];
	return vr->nsigs > 0 ? &vr->sigs[vr->nsigs - 1] : NULL;
}

/* Issue 11: the verdict of a registered document now, never the one
 * frozen at signing time: the kept content verified again (public
 * limits), or, without it, the registered verdict with the certificate's
 * revocation checked again against the signature timestamp the registry
 * recorded.  *out (owned) is verify_sig_verdict_json's shape. */
static json_t *
doc_verdict_now(struct esign_ctx *c, struct store *st, const struct esign_doc *d)
{
	struct verify_sig s;
	struct verify_report *vr = NULL;
	struct esign_error err;
	struct cert_rec rec;
	unsigned char *data = NULL;
	size_t len = 0;
	json_t *j = NULL;
	const struct verify_sig *vs;

	if (d->has_content && esign_doc_public_content(&data, &len, st, d->id) == 0 &&
	    esign_verify(&vr, &err, c, st, data, len, 1) == 0 &&
	    (vs = doc_sig(vr, d->serial)) != NULL) {
		j = verify_sig_verdict_json(vs);
		goto out;
	}
	sertel_err_clear();
	memset(&s, 0, sizeof(s));
	s.byterange_ok = s.digest_ok = s.signature_ok = s.changes_allowed = 1;
	s.verdict =
	    d->verdict < 0 ? VERIFY_INDETERMINATE : (enum verify_verdict)d->verdict;
	if (d->verdict < 0)
		verify_reason_add(&s, "not_checked");
	if (cert_lookup(&rec, st, d->serial) == 0) {
		if (rec.revoked && d->ts_time != 0 && rec.revoked_at > d->ts_time) {
			verify_reason_add(&s, "revoked_after_timestamp");
		} else if (rec.revoked && d->ts_time != 0) {
			s.verdict = VERIFY_INVALID;
			verify_reason_first(&s, "revoked_before_signing");
		} else if (rec.revoked) {
			if (s.verdict == VERIFY_VALID)
				s.verdict = VERIFY_INDETERMINATE;
			verify_reason_first(&s, "revoked_no_timestamp");
		}
		cert_rec_free(&rec);
	}
	if (s.verdict == VERIFY_VALID)
		verify_reason_first(&s, "signature_valid");
	j = verify_sig_verdict_json(&s);
out:
	verify_report_free(vr);
	free(data);
	return j;
}

/* The NIP as the public pages show it: all but the last 4 digits masked,
 * unless [esign] publish_nip = 1. */
static void
nip_public(char *out, size_t outsz, const char *nip, int publish)
{
	size_t i, n = strlen(nip);

	if (publish || n <= 4) {
		str_copy(out, outsz, publish ? nip : "****");
		return;
	}
	for (i = 0; i < n && i + 1 < outsz; i++)
		out[i] = i + 4 < n ? '*' : nip[i];
	out[i < outsz ? i : outsz - 1] = '\0';
}

/* The NIP of the person who signed (none for a seal), masked: "" if none. */
static void
doc_nip(char *out, size_t outsz, struct store *st, const struct esign_doc *d, int publish)
{
	struct ra_person p;

	out[0] = '\0';
	if (d->seal || d->signer_nik[0] == '\0')
		return;
	if (ra_person_get(&p, st, d->signer_nik) == 0 && p.nip[0] != '\0')
		nip_public(out, outsz, p.nip, publish);
	sertel_err_clear();
}

/* Sizes as people read them: "1,2 MB", "340 KB" (issue 11). */
static void
size_human(char *out, size_t outsz, long long n, int en)
{
	if (n >= 1024 * 1024)
		snprintf(out, outsz, "%lld%c%lld MB", n / (1024 * 1024), en ? '.' : ',',
		         (n % (1024 * 1024)) * 10 / (1024 * 1024));
	else if (n >= 1024)
		snprintf(out, outsz, "%lld KB", (n + 1023) / 1024);
	else
		snprintf(out, outsz, "%lld byte%s", n, en && n != 1 ? "s" : "");
}

/* The certificate's status now: "berlaku", "dicabut", "kedaluwarsa". */
static const char *
cert_now(struct store *st, const char *serial, int en)
{
	struct cert_rec rec;
	const char *s;

	if (cert_lookup(&rec, st, serial) < 0)
		return en ? "unknown" : "tidak diketahui";
	switch (cert_rec_status(&rec, time_now())) {
	case CERT_VALID: s = en ? "valid" : "berlaku"; break;
	case CERT_REVOKED: s = en ? "revoked" : "dicabut"; break;
	default: s = en ? "expired" : "kedaluwarsa"; break;
	}
	cert_rec_free(&rec);
	return s;
}

/* The pages and files of /v and /verifikasi: never cached, only this
 * origin's scripts, never framed. */
static void
web_headers(struct http_resp *resp)
{
	str_copy(resp->extra_headers, sizeof(resp->extra_headers),
	         "Cache-Control: no-cache\nContent-Security-Policy: default-src 'self'\n"
	         "X-Frame-Options: DENY\n");
}

static int
want_en(struct http_req *r)
{
	const char *l = http_query(r, "lang");

	return l != NULL && strcmp(l, "en") == 0;
}

/* The page head and the Pemda's name and logo ([instance] org, [esign]
 * public_logo), the language switch keeping path. */
static void
page_head(struct buf *b, const struct esign_conf *ec, const char *path, int en)
{
	buf_appendf(b,
	            "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, "
	            "initial-scale=1\"><title>%s</title>"
	            "<link rel=\"icon\" href=\"/static/favicon.svg\" "
	            "type=\"image/svg+xml\"><link rel=\"stylesheet\" "
	            "href=\"/static/sertel.css\"></head><body><main class=\"pub\">"
	            "<header class=\"pemda\">",
	            en ? "en" : "id",
	            en ? "Document verification" : "Verifikasi Dokumen");
	if (ec->logo[0] != '\0')
		buf_appendf(b, "<img src=\"/verifikasi/logo\" alt=\"\" width=\"48\" "
		               "height=\"48\">");
	buf_appendf(b, "<span>");
	html_esc(b, ec->org[0] ? ec->org : "");
	buf_appendf(b, "</span><a class=\"lang\" href=\"");
	html_esc(b, path);
	buf_appendf(b, "%s\" hreflang=\"%s\">%s</a></header>", en ? "" : "?lang=en",
	            en ? "id" : "en", en ? "Bahasa Indonesia" : "English");
}

static void
row_start(struct buf *b, const char *th)
{
	buf_appendf(b, "<tr><th>");
	html_esc(b, th);
	buf_appendf(b, "</th><td>");
}

static void
row_text(struct buf *b, const char *th, const char *td, int code)
{
	row_start(b, th);
	if (code)
		buf_appendf(b, "<code class=\"wrap\">");
	html_esc(b, td);
	buf_appendf(b, code ? "</code></td></tr>" : "</td></tr>");
}

static void
page_verdict(struct buf *b, json_t *res, int en)
{
	json_t *rs = json_object_get(res, "reasons"), *it;
	const char *v = json_string_value(json_object_get(res, "verdict"));
	size_t i;

	buf_appendf(b, "<p class=\"%s verdict\"><strong>",
	            v != NULL && strcmp(v, "valid") == 0 ? "ok" : "bad");
	html_esc(b, json_string_value(json_object_get(json_object_get(res, "label"),
	                                              en ? "en" : "id")));
	buf_appendf(b, "</strong></p><ul class=\"reasons\">");
	json_array_foreach(rs, i, it)
	{
		buf_appendf(b, "<li>");
		html_esc(b, json_string_value(json_object_get(it, en ? "en" : "id")));
		buf_appendf(b, "</li>");
	}
	buf_appendf(b, "</ul>");
}

int
api_esign_public_doc(struct http_req *r, struct http_resp *resp)
{
	const char *id = r->path + strlen("/v/"), *fmt = http_query(r, "format");
	struct esign_ctx *c;
	const struct esign_conf *ec;
	struct esign_doc d;
	struct buf b;
	char t[64], iso[32], nip[32], sz[32], path[64];
	json_t *res = NULL;
	int rc, en = want_en(r);

	if ((c = service(r)) == NULL) {
		http_error_rc(resp, r->ctx->esign_rc);
		return 0;
	}
	ec = esign_ctx_conf(c);
	rc = esign_doc_get(&d, r->st, id);
	if (rc < 0 && rc != SERTEL_ENOTFOUND) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (fmt != NULL && strcmp(fmt, "pdf") == 0) {
		unsigned char *data = NULL;
		size_t len = 0;

		/* The signed file, when the instance keeps content (issue 11). */
		if (rc < 0 || esign_doc_public_content(&data, &len, r->st, d.id) < 0) {
			sertel_err_clear();
			bsre_error(
			    resp, 404, 404,
			    en ? "The signed file is not kept by this service"
			       : "Berkas bertanda tangan tidak disimpan layanan ini");
			return 0;
		}
		set_body(resp, 200, "application/pdf", data, len);
		web_headers(resp);
		return 0;
	}
	if (rc == 0) {
		res = doc_verdict_now(c, r->st, &d);
		/* A citizen reads the instance's local time (WIB/WITA/WIT);
		 * the JSON keeps ISO 8601 UTC. */
		time_fmt(iso, d.signed_at);
		time_local_fmt(t, sizeof(t), d.signed_at, &ec->look.tz,
		               en ? time_months_en : time_months_id, 1, en ? ':' : '.');
		doc_nip(nip, sizeof(nip), r->st, &d, ec->publish_nip);
	}
	if (fmt != NULL && strcmp(fmt, "json") == 0) {
		const char *v;

		if (rc < 0) {
			bsre_error(resp, 404, 404, "Dokumen tidak terdaftar");
			return 0;
		}
		/* No NIK, ever: a public page is no directory of citizens. */
		v = json_string_value(json_object_get(res, "verdict"));
		http_json(
		    resp, 200,
		    json_pack(
		        "{s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:s, s:I, s:s, s:s, s:b, "
		        "s:o, s:o}",
		        "id_dokumen", d.id, "sha256", d.sha256, "nama_dokumen", d.name,
		        "penanda_tangan", d.signer_name, "nip",
		        nip[0] ? json_string(nip) : json_null(), "nomor_seri", d.serial,
		        "segel", d.seal, "waktu", iso, "ukuran", (json_int_t)d.size,
		        "hasil",
		        v == NULL                   ? "WARNING"
		        : strcmp(v, "valid") == 0   ? "VALID"
		        : strcmp(v, "invalid") == 0 ? "INVALID"
		                                    : "WARNING",
		        "sertifikat_saat_ini", cert_now(r->st, d.serial, 0), "unduh",
		        d.has_content, "result",
		        res != NULL ? json_incref(res) : json_null(), "pemda",
		        ec->org[0] ? json_string(ec->org) : json_null()));
		json_decref(res);
		return 0;
	}
	snprintf(path, sizeof(path), "/v/%s", rc == 0 ? d.id : "");
	buf_init(&b, 64 * 1024);
	page_head(&b, ec, path, en);
	buf_appendf(&b, "<h1>%s</h1>",
	            en ? "Electronic document verification"
	               : "Verifikasi Dokumen Elektronik");
	if (rc < 0) {
		buf_appendf(
		    &b, "<p class=\"bad\"><strong>%s</strong> %s</p>",
		    en ? "Document not registered." : "Dokumen tidak terdaftar.",
		    en ? "This service does not know this document code, so the "
		         "document the QR code points to cannot be confirmed as "
		         "genuine."
		       : "Kode dokumen ini tidak dikenal oleh layanan tanda tangan "
		         "ini. Dokumen yang ditunjuk kode QR ini tidak dapat "
		         "dipastikan keasliannya.");
	} else {
		if (res != NULL)
			page_verdict(&b, res, en);
		buf_appendf(&b, "<table class=\"doc\">");
		row_text(&b, en ? "Document code" : "Kode dokumen", d.id, 1);
		row_text(&b, en ? "Document name" : "Nama dokumen", d.name, 0);
		row_text(&b,
		         d.seal ? (en ? "Electronic seal" : "Segel elektronik")
		                : (en ? "Signer" : "Penanda tangan"),
		         d.signer_name, 0);
		if (nip[0] != '\0')
			row_text(&b, "NIP", nip, 1);
		row_text(&b, en ? "Signed at" : "Waktu penandatanganan", t, 0);
		if (d.ts_time != 0) {
			char ts[64];

			time_local_fmt(ts, sizeof(ts), d.ts_time, &ec->look.tz,
			               en ? time_months_en : time_months_id, 1,
			               en ? ':' : '.');
			row_text(&b, en ? "Timestamp" : "Cap waktu", ts, 0);
		}
		row_text(&b, en ? "Certificate serial number" : "Nomor seri sertifikat",
		         d.serial, 1);
		row_text(&b, en ? "Certificate status now" : "Status sertifikat saat ini",
		         cert_now(r->st, d.serial, en), 0);
		row_text(&b,
		         en ? "SHA-256 of the signed document"
		            : "SHA-256 dokumen bertanda tangan",
		         d.sha256, 1);
		size_human(sz, sizeof(sz), (long long)d.size, en);
		row_text(&b, en ? "Size" : "Ukuran", sz, 0);
		buf_appendf(&b, "</table>");
		if (d.has_content) {
			buf_appendf(&b, "<p><a class=\"button\" href=\"/v/");
			html_esc(&b, d.id);
			buf_appendf(&b, "?format=pdf\" download>%s</a></p>",
			            en ? "Download the signed document"
			               : "Unduh dokumen bertanda tangan");
		}
		buf_appendf(
		    &b, "<p>%s <a href=\"/verifikasi%s\">%s</a>%s</p>",
		    en ? "This page shows the service's record of the signed version. To "
		         "be sure the file you hold is the same, upload it on the"
		       : "Halaman ini menunjukkan catatan layanan untuk versi dokumen "
		         "yang "
		         "ditandatangani. Pastikan berkas yang Anda pegang sama: unggah "
		         "di",
		    en ? "?lang=en" : "", en ? "verification page" : "halaman verifikasi",
		    en ? " and compare its SHA-256."
		       : " dan bandingkan nilai SHA-256-nya.");
	}
	buf_appendf(&b, "</main></body></html>\n");
	json_decref(res);
	if (buf_cstr(&b) < 0) {
		buf_free(&b);
		http_error_rc(resp, SERTEL_ENOMEM);
		return 0;
	}
	{
		size_t n;
		unsigned char *p = buf_detach(&b, &n);
		set_body(resp, rc < 0 ? 404 : 200, "text/html; charset=utf-8", p, n);
	}
	web_headers(resp);
	return 0;
}

static int
serve_web(struct http_req *r, struct http_resp *resp, const char *name, const char *ctype)
{
	char path[1400];
	unsigned char *data = NULL;
	size_t len = 0;
	const char *root =
	    config_get(r->ctx->in->cfg, "server", "web_root", SERTEL_WEB_DIR);

	snprintf(path, sizeof(path), "%s/verifikasi/%s", root, name);
	if (file_read(&data, &len, path, WEB_FILE_MAX) < 0) {
		sertel_err_clear();
		http_error(resp, 404, "not_found", "no such file");
		return 0;
	}
	set_body(resp, 200, ctype, data, len);
	web_headers(resp);
	return 0;
}

/* /verifikasi: the static page with the Pemda's header and the upload
 * limit put in where it says <!--pemda--> (the page's script reads the
 * limit from data-max-mb and the language from ?lang=). */
static int
serve_index(struct http_req *r, struct http_resp *resp, struct esign_ctx *c)
{
	char path[1400];
	unsigned char *data = NULL;
	size_t len = 0, n;
	const char *root =
	               config_get(r->ctx->in->cfg, "server", "web_root", SERTEL_WEB_DIR),
	           *mark;
	const struct esign_conf *ec = esign_ctx_conf(c);
	struct buf b;
	unsigned char *p;
	int en = want_en(r);

	snprintf(path, sizeof(path), "%s/verifikasi/index.html", root);
	if (file_read(&data, &len, path, WEB_FILE_MAX) < 0) {
		sertel_err_clear();
		http_error(resp, 404, "not_found", "no such file");
		return 0;
	}
	buf_init(&b, WEB_FILE_MAX + 64 * 1024);
	mark = memmem(data, len, "<!--pemda-->", 12);
	if (mark == NULL) {
		set_body(resp, 200, "text/html; charset=utf-8", data, len);
		web_headers(resp);
		return 0;
	}
	buf_append(&b, data, (size_t)(mark - (const char *)data));
	/* The limit and the instance's zone, for the page's script: sizes
	 * in MB, times as the reader's clock in that region shows them. */
	buf_appendf(&b,
	            "<header class=\"pemda\" data-max-mb=\"%zu\" data-tz-offset=\"%d\" "
	            "data-tz-name=\"",
	            (ec->max_file_bytes + 1024 * 1024 - 1) / (1024 * 1024),
	            ec->look.tz.offset);
	html_esc(&b, ec->look.tz.name);
	buf_appendf(&b, "\">");
	if (ec->logo[0] != '\0')
		buf_appendf(&b, "<img src=\"/verifikasi/logo\" alt=\"\" width=\"48\" "
		                "height=\"48\">");
	buf_appendf(&b, "<span>");
	html_esc(&b, ec->org);
	buf_appendf(&b,
	            "</span><a class=\"lang\" href=\"/verifikasi%s\" "
	            "hreflang=\"%s\">%s</a></header>",
	            en ? "" : "?lang=en", en ? "id" : "en",
	            en ? "Bahasa Indonesia" : "English");
	mark += 12;
	buf_append(&b, mark, len - (size_t)(mark - (const char *)data));
	free(data);
	if (buf_cstr(&b) < 0) {
		buf_free(&b);
		http_error_rc(resp, SERTEL_ENOMEM);
		return 0;
	}
	p = buf_detach(&b, &n);
	set_body(resp, 200, "text/html; charset=utf-8", p, n);
	web_headers(resp);
	return 0;
}

/* The Pemda's logo ([esign] public_logo): PNG or SVG, at most 256 KiB. */
static int
serve_logo(struct http_resp *resp, const struct esign_conf *ec)
{
	unsigned char *data = NULL;
	size_t len = 0;
	const char *ctype;

	if (ec->logo[0] == '\0' || file_read(&data, &len, ec->logo, 256 * 1024) < 0) {
		sertel_err_clear();
		http_error(resp, 404, "not_found", "no logo configured");
		return 0;
	}
	if (len > 8 && memcmp(data, "\x89PNG", 4) == 0)
		ctype = "image/png";
	else if (len > 4 && memmem(data, len < 512 ? len : 512, "<svg", 4) != NULL)
		ctype = "image/svg+xml";
	else {
		free(data);
		http_error(resp, 404, "not_found", "the logo is neither PNG nor SVG");
		return 0;
	}
	set_body(resp, 200, ctype, data, len);
	web_headers(resp);
	return 0;
}

int
api_esign_public_page(struct http_req *r, struct http_resp *resp)
{
	struct esign_ctx *c = service(r);

	if (c == NULL) {
		http_error_rc(resp, r->ctx->esign_rc);
		return 0;
	}
	if (strcmp(r->path, "/verifikasi") == 0 || strcmp(r->path, "/verifikasi/") == 0)
		return serve_index(r, resp, c);
	if (strcmp(r->path, "/verifikasi/verifikasi.js") == 0)
		return serve_web(r, resp, "verifikasi.js",
		                 "text/javascript; charset=utf-8");
	if (strcmp(r->path, "/verifikasi/logo") == 0)
		return serve_logo(resp, esign_ctx_conf(c));
	http_error(resp, 404, "not_found", "no such resource: %s", r->path);
	return 0;
}

/* POST /api/verifikasi: anyone, one PDF in field "file". */
int
api_esign_public_verify(struct http_req *r, struct http_resp *resp)
{
	struct esign_ctx *c = service(r);
	struct verify_report *vr = NULL;
	struct http_multipart fm;
	struct http_part *f;
	json_t *j;

	if (c == NULL) {
		http_error_rc(resp, r->ctx->esign_rc);
		return 0;
	}
	/* Anyone: offline unless [verify] public_fetch, public decode limits. */
	if (verify_field(&vr, &f, &fm, c, r, resp, "file", 1) < 0)
		goto out;
	j = report_v2(vr, r->st);
	json_object_set_new(j, "sha256", json_string(vr->sha256_hex));
	add_registry(j, r->st, vr->sha256_hex, esign_ctx_conf(c)->base_url);
	http_json(resp, 200, j);
out:
	verify_report_free(vr);
	http_multipart_free(&fm);
	return 0;
}

/* ---- body limits, decided before the body is read -----------------------------------
 */
int
api_esign_path(const char *url)
{
	return strncmp(url, "/api/sign/", 10) == 0 || strncmp(url, "/api/v2/", 8) == 0 ||
	       strcmp(url, "/api/verifikasi") == 0;
}

/* Clients written for BSrE read `error` and `status_code` from every
 * answer, an unknown route's included. */
int
api_esign_not_found(struct http_resp *resp, const char *url)
{
	char msg[200];

	if (strncmp(url, "/api/sign/", 10) != 0 && strncmp(url, "/api/v2/", 8) != 0 &&
	    strncmp(url, "/api/user/", 10) != 0)
		return 0;
	snprintf(msg, sizeof(msg), "Endpoint tidak ditemukan: %.120s", url);
	bsre_error(resp, 404, 404, msg);
	return 1;
}

size_t
api_esign_body_limit(struct http_ctx *ctx, void *conn, const char *url)
{
	struct http_req req;
	struct http_resp resp;
	struct esign_client cl;
	size_t limit = ctx->max_body;
	struct esign_ctx *c;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.conn = conn;
	req.ctx = ctx;
	req.path = url;
	if ((c = service(&req)) == NULL)
		return limit;
	/* The public upload: one PDF and its multipart framing. */
	if (strcmp(url, "/api/verifikasi") == 0)
		return esign_ctx_conf(c)->max_file_bytes + 64 * 1024;
	/* A client application that authenticates gets the API's own limit;
	 * nobody unauthenticated makes a worker hold more than max_body. */
	if (http_thread_store(&req.st, ctx) == 0 && client_auth(&cl, &req, &resp) == 0)
		limit = esign_ctx_conf(c)->max_request_bytes;
	free(resp.body);
	sertel_err_clear();
	return limit;
}

/* ---- shared with api_esign_v2x.c (issue 12: BSrE's further endpoints) ---------------
 */
void
api_esign_error(struct http_resp *resp, int http, int code, const char *msg)
{
	bsre_error(resp, http, code, msg);
}

void
api_esign_error_from(struct http_resp *resp, const struct esign_error *e, int rc)
{
	bsre_error_from(resp, e, rc);
}

struct esign_ctx *
api_esign_client_begin(struct esign_client *cl, struct http_req *r,
                       struct http_resp *resp, unsigned perms, const char *denied)
{
	return client_begin(cl, r, resp, perms, denied);
}

const char *
api_esign_jstr(json_t *o, const char *k)
{
	return jget_str(o, k);
}

const char *
api_esign_jnik(json_t *o, char buf[24])
{
	return jget_nik(o, buf);
}
