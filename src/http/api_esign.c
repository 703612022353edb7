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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "esign/esign.h"
#include "http/http_int.h"

#define FIELD_TEXT_MAX (16 * 1024)
#define WEB_FILE_MAX   (1024 * 1024)

/* ---- the service, created on first use ----------------------------------- */
static pthread_once_t esign_once = PTHREAD_ONCE_INIT;
static struct esign_conf esign_conf;
static struct esign_ctx *esign_ctx;
static struct instance *esign_in;
static int esign_init_rc;

static void
esign_init(void)
{
	if ((esign_init_rc = esign_conf_load(&esign_conf, esign_in->cfg,
	                                     esign_in->pc.base_url)) < 0 ||
	    (esign_init_rc = esign_ctx_new(&esign_ctx, esign_in, &esign_conf)) < 0)
		log_msg(LOG_ERROR, "esign: %s", sertel_errmsg());
}

static struct esign_ctx *
service(struct http_req *r)
{
	esign_in = r->ctx->in;
	pthread_once(&esign_once, esign_init);
	return esign_init_rc < 0 ? NULL : esign_ctx;
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
		http_error_rc(resp, esign_init_rc);
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
	int i;

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
	if (image != NULL && strcasecmp(image, "true") == 0) {
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
	} else if (image == NULL || strcasecmp(image, "false") == 0) {
		p->want_qr = 1;
		p->qr = http_multipart_text(fm, "linkQR");
	} else {
		snprintf(msg, msgsz, "Field 'image' harus true atau false");
		return -1;
	}
	if (tag != NULL && *tag != '\0') {
		p->tag = tag;
		return 0;
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
	char hdr[200];
	int rc;

	if (client_begin(&cl, r, resp, ESIGN_PERM_SIGN | ESIGN_PERM_SEAL,
	                 "Aplikasi klien tidak berwenang mengunduh dokumen") == NULL)
		return 0;
	rc = esign_doc_content(&data, &len, r->st, &cl, id);
	if (rc == SERTEL_ENOTFOUND) {
		bsre_error(resp, 404, 404,
		           "Dokumen tidak ditemukan atau isinya tidak disimpan");
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
	         "Content-Disposition: attachment; filename=\"%.40s.pdf\"\n", id);
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
	json_t *details = json_array();
	char t1[32], t2[32], t3[32], validity[80];
	size_t i;

	for (i = 0; i < vr->nsigs; i++) {
		const struct verify_sig *s = &vr->sigs[i];
		struct cert_rec rec;
		int have = cert_lookup(&rec, st, s->serial_hex) == 0;

		validity[0] = '\0';
		if (have) {
			time_plain(t1, rec.not_before);
			time_plain(t2, rec.not_after);
			snprintf(validity, sizeof(validity), "%s to %s", t1, t2);
		}
		time_plain(t3, s->timestamp_time ? s->timestamp_time : s->signing_time);
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
		              "document_integrity",
		              s->byterange_ok && s->digest_ok && s->signature_ok,
		              "signature_value", "signed_in", t3, "location",
		              jstr(s->location), "hash_value"));
		if (have)
			cert_rec_free(&rec);
	}
	return json_pack("{s:s, s:i, s:s, s:s, s:o}", "nama_dokumen",
	                 name ? name : "dokumen.pdf", "jumlah_signature", (int)vr->nsigs,
	                 "notes",
	                 vr->message ? vr->message
	                 : vr->verdict == VERIFY_VALID
	                     ? "Dokumen valid, Sertifikat yang digunakan terpercaya"
	                     : "Dokumen tidak valid",
	                 "summary", verdict_name(vr->verdict), "details", details);
}

static json_t *
cert_detail_v2(const struct cert_rec *rec, X509 *x)
{
	char id[80], nb[32], na[32], cn[256] = "", issuer[512] = "", sigalg[80] = "";
	json_t *ku = json_array();
	uint32_t k = X509_get_key_usage(x);
	static const struct {
		uint32_t bit;
		const char *name;
	} kus[] = {
	    {KU_DIGITAL_SIGNATURE, "digitalSignature"},
	    {KU_NON_REPUDIATION, "nonRepudiation"},
	    {KU_KEY_ENCIPHERMENT, "keyEncipherment"},
	    {KU_KEY_AGREEMENT, "keyAgreement"},
	    {KU_KEY_CERT_SIGN, "keyCertSign"},
	    {KU_CRL_SIGN, "crlSign"},
	};
	size_t i;
	BIO *b;

	for (i = 0; i < sizeof(kus) / sizeof(kus[0]); i++)
		if (k & kus[i].bit)
			json_array_append_new(ku, json_string(kus[i].name));
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn,
	                          sizeof(cn));
	if ((b = BIO_new(BIO_s_mem())) != NULL) {
		int n;
		X509_NAME_print_ex(b, X509_get_issuer_name(x), 0, XN_FLAG_RFC2253);
		n = BIO_read(b, issuer, sizeof(issuer) - 1);
		issuer[n > 0 ? n : 0] = '\0';
		BIO_free(b);
	}
	OBJ_obj2txt(sigalg, sizeof(sigalg), X509_get0_tbs_sigalg(x)->algorithm, 0);
	time_fmt(nb, rec->not_before);
	time_fmt(na, rec->not_after);
	snprintf(id, sizeof(id), "C-%s", rec->serial);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", id,
	                 "commonName", cn, "issuerName", issuer, "serialNumber",
	                 rec->serial, "notBeforeDate", nb, "notAfterDate", na,
	                 "signatureAlgoritm", sigalg, "keyUsages", ku);
}

static json_t *
report_v2(const struct verify_report *vr, struct store *st)
{
	json_t *infos = json_array();
	char id[96], ts[32], sd[32], tsid[96];
	size_t i;

	for (i = 0; i < vr->nsigs; i++) {
		const struct verify_sig *s = &vr->sigs[i];
		struct cert_rec rec;
		json_t *certs = json_array(), *tsinfo;
		int have = cert_lookup(&rec, st, s->serial_hex) == 0;

		if (have) {
			const unsigned char *p = rec.der;
			X509 *x = d2i_X509(NULL, &p, (long)rec.der_len);
			if (x != NULL) {
				json_array_append_new(certs, cert_detail_v2(&rec, x));
				X509_free(x);
			}
			cert_rec_free(&rec);
		}
		snprintf(id, sizeof(id), "S-%zu-%s", i + 1,
		         s->serial_hex ? s->serial_hex : "");
		time_fmt(sd, s->signing_time ? s->signing_time : s->timestamp_time);
		if (s->timestamp_time) {
			time_fmt(ts, s->timestamp_time);
			snprintf(tsid, sizeof(tsid), "T-%zu", i + 1);
			tsinfo =
			    json_pack("{s:s, s:s, s:s}", "id", tsid, "signerName",
			              "Otoritas Cap Waktu (TSA)", "timestampDate", ts);
		} else {
			tsinfo = json_null();
		}
		json_array_append_new(
		    infos,
		    json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:o, "
		              "s:o, s:b, "
		              "s:b, s:b, s:b, s:b, s:s}",
		              "id", id, "signatureFormat",
		              s->timestamp_time ? "PAdES-BASELINE-T" : "PAdES-BASELINE-B",
		              "signerName", jstr(s->common_name), "signatureDate", sd,
		              "fieldName", jstr(s->field), "reason", jstr(s->reason),
		              "location", jstr(s->location), "certLevelCode", 0,
		              "signatureAlgorithm", jstr(s->sig_alg), "digestAlgorithm",
		              jstr(s->digest_alg), "timestampInfomation", tsinfo,
		              "certificateDetails", certs, "integrityValid",
		              s->byterange_ok && s->digest_ok && s->signature_ok,
		              "certificateTrusted", s->chain_ok && s->revocation_ok,
		              "lastSignature", i + 1 == vr->nsigs, "modified",
		              !s->changes_allowed, "ltv", 0, "verdict",
		              verdict_name(s->verdict)));
	}
	return json_pack(
	    "{s:s, s:s, s:i, s:o}", "conclusion",
	    vr->nsigs == 0 ? "NO_SIGNATURE" : verdict_name(vr->verdict), "description",
	    vr->message      ? vr->message
	    : vr->nsigs == 0 ? "Dokumen tidak memiliki tanda tangan elektronik"
	    : vr->verdict == VERIFY_VALID
	        ? "Dokumen valid, Sertifikat yang digunakan terpercaya"
	        : "Dokumen tidak valid",
	    "signatureCount", (int)vr->nsigs, "signatureInformations", infos);
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

static int
v2_props(struct esign_props *p, json_t *o, unsigned char **img, char *msg, size_t msgsz)
{
	const char *t = jget_str(o, "tampilan"), *b64 = jget_str(o, "imageBase64"),
	           *tag = jget_str(o, "tag_koordinat"), *pw = jget_str(o, "pdfPassword");
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
	if (pw != NULL && *pw != '\0') {
		snprintf(msg, msgsz, "PDF terenkripsi (pdfPassword) belum didukung");
		return -1;
	}
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
	char msg[200];
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
	nik = jget_str(body, "nik");
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
		if (v2_props(&props[i], json_array_get(jp, i), &imgs[i], msg,
		             sizeof(msg)) < 0) {
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
api_esign_v2_totp(struct http_req *r, struct http_resp *resp)
{
	struct esign_client cl;
	struct esign_owner o;
	json_t *body;
	int rc;

	if (client_begin(&cl, r, resp, ESIGN_PERM_SIGN,
	                 "Aplikasi klien tidak berwenang menandatangani") == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	rc = esign_owner_get(&o, r->st, jget_str(body, "nik"), jget_str(body, "email"),
	                     time_now());
	json_decref(body);
	if (rc == SERTEL_ENOTFOUND || rc == SERTEL_EINVAL) {
		bsre_error(resp, 400, ESIGN_NOT_REGISTERED, "User belum terdaftar");
		return 0;
	}
	if (rc < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	/* RFC 6238 codes come from the owner's authenticator app: nothing is
	 * sent, the call only says whether a code will be asked for. */
	if (!o.totp_enrolled) {
		bsre_error(
		    resp, 400, ESIGN_WRONG_TOTP,
		    "User belum mendaftarkan TOTP; tanda tangan cukup dengan passphrase");
		return 0;
	}
	http_json(
	    resp, 200,
	    json_pack(
	        "{s:b, s:s}", "success", 1, "message",
	        "Gunakan kode TOTP dari aplikasi autentikator Anda bersama passphrase"));
	return 0;
}

int
api_esign_v2_status(struct http_req *r, struct http_resp *resp)
{
	struct esign_client cl;
	json_t *body;

	if (client_begin(&cl, r, resp,
	                 ESIGN_PERM_SIGN | ESIGN_PERM_VERIFY | ESIGN_PERM_SEAL,
	                 "Aplikasi klien tidak berwenang") == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	if (jget_str(body, "nik") == NULL && jget_str(body, "email") == NULL) {
		json_decref(body);
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'nik' atau 'email' wajib diisi");
		return 0;
	}
	status_reply(resp, r->st, jget_str(body, "nik"), jget_str(body, "email"));
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
	const char *pw;
	int rc;

	if ((c = client_begin(&cl, r, resp, ESIGN_PERM_VERIFY,
	                      "Aplikasi klien tidak berwenang memverifikasi")) == NULL)
		return 0;
	if ((body = http_json_body(r, resp)) == NULL)
		return 0;
	jf = json_object_get(body, "file");
	if (json_is_array(jf) && json_array_size(jf) == 1)
		jf = json_array_get(jf, 0);
	pw = jget_str(body, "password");
	if (pw != NULL && *pw != '\0') {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "PDF terenkripsi (password) belum didukung");
		goto out;
	}
	if (!json_is_string(jf) || b64_file(&data, &len, json_string_value(jf)) < 0) {
		bsre_error(resp, 400, ESIGN_BAD_REQUEST,
		           "Field 'file' wajib berupa base64");
		goto out;
	}
	if ((rc = esign_verify(&vr, &err, c, r->st, data, len, 0)) < 0) {
		bsre_error_from(resp, &err, rc);
		goto out;
	}
	j = report_v2(vr, r->st);
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

static const char *
verdict_text(int v)
{
	switch (v) {
	case VERIFY_VALID: return "SAH: tanda tangan valid saat ditandatangani";
	case VERIFY_INVALID: return "TIDAK SAH: tanda tangan tidak valid";
	case VERIFY_INDETERMINATE: return "BELUM DAPAT DIPASTIKAN";
	default: return "tidak diperiksa saat penandatanganan";
	}
}

/* The certificate's status now: "berlaku", "dicabut", "kedaluwarsa". */
static const char *
cert_now(struct store *st, const char *serial)
{
	struct cert_rec rec;
	const char *s;

	if (cert_lookup(&rec, st, serial) < 0)
		return "tidak diketahui";
	switch (cert_rec_status(&rec, time_now())) {
	case CERT_VALID: s = "berlaku"; break;
	case CERT_REVOKED: s = "dicabut"; break;
	default: s = "kedaluwarsa"; break;
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

int
api_esign_public_doc(struct http_req *r, struct http_resp *resp)
{
	const char *id = r->path + strlen("/v/"), *fmt = http_query(r, "format");
	struct esign_doc d;
	struct buf b;
	char t[32];
	const char *now;
	int rc;

	if (service(r) == NULL) {
		http_error_rc(resp, esign_init_rc);
		return 0;
	}
	rc = esign_doc_get(&d, r->st, id);
	if (rc < 0 && rc != SERTEL_ENOTFOUND) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (fmt != NULL && strcmp(fmt, "json") == 0) {
		if (rc < 0) {
			bsre_error(resp, 404, 404, "Dokumen tidak terdaftar");
			return 0;
		}
		time_fmt(t, d.signed_at);
		http_json(
		    resp, 200,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:I, s:s, s:s}",
		              "id_dokumen", d.id, "sha256", d.sha256, "nama_dokumen",
		              d.name, "penanda_tangan", d.signer_name, "nik",
		              d.signer_nik, "nomor_seri", d.serial, "segel", d.seal,
		              "waktu", t, "ukuran", (json_int_t)d.size, "hasil",
		              d.verdict == VERIFY_VALID     ? "VALID"
		              : d.verdict == VERIFY_INVALID ? "INVALID"
		              : d.verdict < 0               ? "UNCHECKED"
		                                            : "WARNING",
		              "sertifikat_saat_ini", cert_now(r->st, d.serial)));
		return 0;
	}
	buf_init(&b, 64 * 1024);
	buf_appendf(
	    &b, "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	        "<title>Verifikasi Dokumen</title>"
	        "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
	        "<link rel=\"stylesheet\" href=\"/static/sertel.css\"></head><body><main>"
	        "<h1>Verifikasi Dokumen Elektronik</h1>");
	if (rc < 0) {
		buf_appendf(
		    &b, "<p class=\"bad\"><strong>Dokumen tidak terdaftar.</strong> Kode "
		        "dokumen ini tidak dikenal oleh layanan tanda tangan ini. "
		        "Dokumen yang "
		        "ditunjuk kode QR ini tidak dapat dipastikan keasliannya.</p>");
	} else {
		now = cert_now(r->st, d.serial);
		time_fmt(t, d.signed_at);
		buf_appendf(&b, "<p class=\"%s\"><strong>",
		            d.verdict == VERIFY_VALID ? "ok" : "bad");
		html_esc(&b, verdict_text(d.verdict));
		buf_appendf(&b, "</strong></p><table>");
		buf_appendf(&b, "<tr><th>Kode dokumen</th><td>");
		html_esc(&b, d.id);
		buf_appendf(&b, "</td></tr><tr><th>Nama dokumen</th><td>");
		html_esc(&b, d.name);
		buf_appendf(&b, "</td></tr><tr><th>%s</th><td>",
		            d.seal ? "Segel elektronik" : "Penanda tangan");
		html_esc(&b, d.signer_name);
		buf_appendf(&b, "</td></tr><tr><th>Waktu penandatanganan (UTC)</th><td>");
		html_esc(&b, t);
		buf_appendf(&b, "</td></tr><tr><th>Nomor seri sertifikat</th><td>");
		html_esc(&b, d.serial);
		buf_appendf(&b, "</td></tr><tr><th>Status sertifikat saat ini</th><td>");
		html_esc(&b, now);
		buf_appendf(
		    &b,
		    "</td></tr><tr><th>SHA-256 dokumen bertanda tangan</th><td><code>");
		html_esc(&b, d.sha256);
		buf_appendf(
		    &b,
		    "</code></td></tr><tr><th>Ukuran</th><td>%lld byte</td></tr></table>"
		    "<p>Halaman ini menunjukkan catatan layanan untuk versi dokumen yang "
		    "ditandatangani. Pastikan berkas yang Anda pegang sama: unggah di "
		    "<a href=\"/verifikasi\">halaman verifikasi</a> dan bandingkan nilai "
		    "SHA-256-nya.</p>",
		    (long long)d.size);
	}
	buf_appendf(&b, "</main></body></html>\n");
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

int
api_esign_public_page(struct http_req *r, struct http_resp *resp)
{
	if (strcmp(r->path, "/verifikasi") == 0 || strcmp(r->path, "/verifikasi/") == 0)
		return serve_web(r, resp, "index.html", "text/html; charset=utf-8");
	if (strcmp(r->path, "/verifikasi/verifikasi.js") == 0)
		return serve_web(r, resp, "verifikasi.js",
		                 "text/javascript; charset=utf-8");
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
		http_error_rc(resp, esign_init_rc);
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
