/*
 * Rendering a verification report: human text in Bahasa Indonesia
 * (default) or English, and one line of JSON for programs.
 *
 * JSON shape (stable; fields are only ever added):
 *   {"verdict":"valid|invalid|indeterminate","valid":bool,"sha256":hex,
 *    "verified_at":RFC3339,"revisions":n,"unsigned_tail":bool,
 *    "unreadable_signatures":n,"usage_rights_signatures":n,"message":s,
 *    "signatures":[{"verdict","valid","kind":"signature|doc_timestamp|detached",
 *      "field","subject","common_name","nik","nip","issuer","serial",
 *      "signing_time","timestamp_time","validation_time","time_trusted",
 *      "subfilter","digest_alg","sig_alg","reason","location",
 *      "checks":{"byterange","digest","signature","signing_certificate",
 *                "timestamp","chain","revocation","changes"},
 *      "revoked","tsa","chain_message","path":[subject...],
 *      "revision","whole_file","docmdp" (PDF), "unsupported",
 *      "changes":[{"allowed":bool,"what":s}],"message"}]}
 * Times are RFC 3339 UTC strings or null.  "checks" values are true,
 * false, or null when the check does not apply (no timestamp, no
 * signing-certificate attribute).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sign/verify_int.h"

#define REPORT_MAX (8 * 1024 * 1024)

static json_t *jstr(const char *s);
static json_t *jtime(int64_t t);
static json_t *sig_json(const struct verify_sig *s);
static void text_sig(struct buf *b, const struct verify_sig *s, size_t i, int en);
static const char *verdict_text(enum verify_verdict v, int en);
static void line_time(struct buf *b, const char *label, int64_t t);
static const char *yesno(int v, int en);

const char *
verify_verdict_name(enum verify_verdict v)
{
	switch (v) {
	case VERIFY_VALID: return "valid";
	case VERIFY_INVALID: return "invalid";
	default: return "indeterminate";
	}
}

int
verify_report_exit(const struct verify_report *r)
{
	return r != NULL && r->verdict == VERIFY_VALID ? 0 : 1;
}

static const char *
verdict_text(enum verify_verdict v, int en)
{
	switch (v) {
	case VERIFY_VALID: return en ? "VALID" : "SAH";
	case VERIFY_INVALID: return en ? "NOT VALID" : "TIDAK SAH";
	default:
		return en ? "INDETERMINATE (cannot be confirmed)"
		          : "TIDAK DAPAT DIPASTIKAN";
	}
}

static const char *
yesno(int v, int en)
{
	return v ? (en ? "yes" : "ya") : (en ? "no" : "tidak");
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
jtime(int64_t t)
{
	char ts[32];

	if (t == 0)
		return json_null();
	time_fmt(ts, t);
	return json_string(ts);
}

static const char *
kind_name(enum verify_sig_kind k)
{
	switch (k) {
	case VERIFY_KIND_DOC_TIMESTAMP: return "doc_timestamp";
	case VERIFY_KIND_DETACHED: return "detached";
	default: return "signature";
	}
}

static json_t *
sig_json(const struct verify_sig *s)
{
	json_t *o = json_object(), *checks = json_object(), *path = json_array(),
	       *ch = json_array();
	size_t i;

	if (o == NULL || checks == NULL || path == NULL || ch == NULL) {
		json_decref(o);
		json_decref(checks);
		json_decref(path);
		json_decref(ch);
		return NULL;
	}
	json_object_set_new(checks, "byterange", json_boolean(s->byterange_ok));
	json_object_set_new(checks, "digest", json_boolean(s->digest_ok));
	json_object_set_new(checks, "signature", json_boolean(s->signature_ok));
	json_object_set_new(checks, "signing_certificate",
	                    s->ess_present ? json_boolean(s->ess_ok) : json_null());
	json_object_set_new(checks, "timestamp",
	                    s->timestamp_present ? json_boolean(s->timestamp_ok)
	                                         : json_null());
	json_object_set_new(checks, "chain", json_boolean(s->chain_ok));
	json_object_set_new(checks, "revocation", json_boolean(s->revocation_ok));
	json_object_set_new(checks, "changes", json_boolean(s->changes_allowed));
	for (i = 0; i < s->path_len; i++)
		json_array_append_new(path, jstr(s->path[i]));
	for (i = 0; i < s->nchanges; i++)
		json_array_append_new(ch, json_pack("{s:b, s:o}", "allowed",
		                                    s->changes[i].allowed, "what",
		                                    jstr(s->changes[i].what)));
	json_object_set_new(o, "verdict", json_string(verify_verdict_name(s->verdict)));
	json_object_set_new(o, "valid", json_boolean(s->verdict == VERIFY_VALID));
	json_object_set_new(o, "kind", json_string(kind_name(s->kind)));
	json_object_set_new(o, "field", jstr(s->field));
	json_object_set_new(o, "subject", jstr(s->subject));
	json_object_set_new(o, "common_name", jstr(s->common_name));
	json_object_set_new(o, "nik", jstr(s->nik));
	json_object_set_new(o, "nip", jstr(s->nip));
	json_object_set_new(o, "issuer", jstr(s->issuer));
	json_object_set_new(o, "serial", jstr(s->serial_hex));
	json_object_set_new(o, "signing_time", jtime(s->signing_time));
	json_object_set_new(o, "timestamp_time", jtime(s->timestamp_time));
	json_object_set_new(o, "validation_time", jtime(s->validation_time));
	json_object_set_new(o, "time_trusted", json_boolean(s->time_trusted));
	json_object_set_new(o, "subfilter", jstr(s->subfilter));
	json_object_set_new(o, "digest_alg", jstr(s->digest_alg));
	json_object_set_new(o, "sig_alg", jstr(s->sig_alg));
	json_object_set_new(o, "reason", jstr(s->reason));
	json_object_set_new(o, "location", jstr(s->location));
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "revoked", json_boolean(s->revoked));
	json_object_set_new(o, "tsa", jstr(s->tsa));
	json_object_set_new(o, "chain_message", jstr(s->chain_message));
	json_object_set_new(o, "path", path);
	if (s->kind != VERIFY_KIND_DETACHED) {
		json_object_set_new(o, "revision", json_integer((json_int_t)s->revision));
		json_object_set_new(o, "whole_file", json_boolean(s->whole_file));
		json_object_set_new(o, "docmdp", json_integer(s->docmdp));
	}
	/* Detached signatures too: an enveloping or PLAIN-ECDSA CMS. */
	json_object_set_new(o, "unsupported", json_boolean(s->unsupported));
	json_object_set_new(o, "changes", ch);
	json_object_set_new(o, "message", jstr(s->message));
	return o;
}

int
verify_report_json(char **out, const struct verify_report *r)
{
	json_t *o = NULL, *sigs = NULL, *sj;
	size_t i;
	int rc = SERTEL_ENOMEM;

	*out = NULL;
	if ((o = json_object()) == NULL || (sigs = json_array()) == NULL)
		goto out;
	for (i = 0; i < r->nsigs; i++) {
		if ((sj = sig_json(&r->sigs[i])) == NULL ||
		    json_array_append_new(sigs, sj) < 0)
			goto out;
	}
	json_object_set_new(o, "verdict", json_string(verify_verdict_name(r->verdict)));
	json_object_set_new(o, "valid", json_boolean(r->verdict == VERIFY_VALID));
	json_object_set_new(o, "sha256", json_string(r->sha256_hex));
	json_object_set_new(o, "verified_at", jtime(r->verified_at));
	json_object_set_new(o, "revisions", json_integer((json_int_t)r->nrevisions));
	json_object_set_new(o, "unsigned_tail", json_boolean(r->unsigned_tail));
	json_object_set_new(o, "unreadable_signatures",
	                    json_integer((json_int_t)r->nunreadable));
	json_object_set_new(o, "usage_rights_signatures",
	                    json_integer((json_int_t)r->nusage_rights));
	json_object_set_new(o, "message", jstr(r->message));
	json_object_set_new(o, "signatures", sigs);
	sigs = NULL;
	if ((*out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)) == NULL)
		goto out;
	rc = 0;
out:
	json_decref(sigs);
	json_decref(o);
	if (rc < 0)
		return sertel_err(rc, "verify: cannot render JSON");
	return 0;
}

static void
line_time(struct buf *b, const char *label, int64_t t)
{
	char ts[32];

	if (t == 0)
		return;
	time_fmt(ts, t);
	buf_appendf(b, "    %-24s %s\n", label, ts);
}

static void
text_sig(struct buf *b, const struct verify_sig *s, size_t i, int en)
{
	size_t k;
	const char *kind;

	kind = s->kind == VERIFY_KIND_DOC_TIMESTAMP
	           ? (en ? "Document timestamp" : "Cap waktu dokumen")
	           : (en ? "Signature" : "Tanda tangan");
	buf_appendf(b, "\n%s #%zu%s%s%s: %s\n", kind, i + 1, s->field != NULL ? " (" : "",
	            s->field != NULL ? s->field : "", s->field != NULL ? ")" : "",
	            verdict_text(s->verdict, en));
	if (s->subject != NULL)
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Signer:" : "Penanda tangan:", s->subject);
	if (s->nik != NULL)
		buf_appendf(b, "    %-24s %s\n", "NIK:", s->nik);
	if (s->nip != NULL)
		buf_appendf(b, "    %-24s %s\n", "NIP:", s->nip);
	if (s->issuer != NULL)
		buf_appendf(b, "    %-24s %s\n", en ? "Issuer:" : "Penerbit:", s->issuer);
	if (s->serial_hex != NULL)
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Serial:" : "Nomor seri:", s->serial_hex);
	line_time(b,
	          en ? "Claimed signing time:" : "Waktu yang diklaim:", s->signing_time);
	line_time(b, en ? "Timestamp:" : "Cap waktu:", s->timestamp_time);
	if (s->tsa != NULL)
		buf_appendf(b, "    %-24s %s\n", "TSA:", s->tsa);
	line_time(b, en ? "Checked at:" : "Diperiksa pada waktu:", s->validation_time);
	if (s->reason != NULL)
		buf_appendf(b, "    %-24s %s\n", en ? "Reason:" : "Alasan:", s->reason);
	if (s->location != NULL)
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Location:" : "Lokasi:", s->location);
	if (s->subfilter != NULL)
		buf_appendf(b, "    %-24s %s\n", "SubFilter:", s->subfilter);
	if (s->digest_alg != NULL)
		buf_appendf(b, "    %-24s %s / %s\n",
		            en ? "Algorithms:" : "Algoritma:", s->digest_alg,
		            s->sig_alg != NULL ? s->sig_alg : "?");
	if (s->kind != VERIFY_KIND_DETACHED) {
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Byte range complete:" : "ByteRange lengkap:",
		            yesno(s->byterange_ok, en));
		buf_appendf(b, "    %-24s %zu%s\n",
		            en ? "Signed revision:" : "Revisi yang ditandatangani:",
		            s->revision + 1,
		            s->whole_file
		                ? (en ? " (the whole file)" : " (seluruh berkas)")
		                : "");
	}
	buf_appendf(b, "    %-24s %s\n",
	            en ? "Digest matches:" : "Hash cocok:", yesno(s->digest_ok, en));
	buf_appendf(b, "    %-24s %s\n", en ? "Signature holds:" : "Tanda tangan utuh:",
	            yesno(s->signature_ok, en));
	if (s->ess_present)
		buf_appendf(b, "    %-24s %s\n",
		            "signing-certificate-v2:", yesno(s->ess_ok, en));
	if (s->timestamp_present)
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Timestamp valid:" : "Cap waktu sah:",
		            yesno(s->timestamp_ok, en));
	buf_appendf(b, "    %-24s %s\n", en ? "Certificate path:" : "Jalur sertifikat:",
	            yesno(s->chain_ok, en));
	for (k = 0; k < s->path_len; k++)
		buf_appendf(b, "      [%zu] %s\n", k, s->path[k]);
	buf_appendf(b, "    %-24s %s\n",
	            en ? "Not revoked:" : "Tidak dicabut:", yesno(s->revocation_ok, en));
	if (s->kind != VERIFY_KIND_DETACHED) {
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Later changes allowed:" : "Perubahan sesudahnya:",
		            s->nchanges == 0 ? (en ? "none" : "tidak ada")
		            : s->changes_allowed
		                ? (en ? "allowed" : "diizinkan")
		                : (en ? "NOT ALLOWED" : "TIDAK DIIZINKAN"));
		for (k = 0; k < s->nchanges; k++)
			buf_appendf(b, "      %s %s\n", s->changes[k].allowed ? "+" : "!",
			            s->changes[k].what != NULL ? s->changes[k].what : "");
	}
	if (s->message != NULL)
		buf_appendf(b, "    %-24s %s\n",
		            en ? "Explanation:" : "Keterangan:", s->message);
}

int
verify_report_text(char **out, const struct verify_report *r, const char *lang)
{
	struct buf b;
	size_t i, len;
	int en = lang != NULL && strcmp(lang, "en") == 0;

	*out = NULL;
	buf_init(&b, REPORT_MAX);
	buf_appendf(&b, "%s %s\n",
	            en ? "Document:" : "Dokumen:", verdict_text(r->verdict, en));
	buf_appendf(&b, "SHA-256: %s\n", r->sha256_hex);
	if (r->nrevisions > 0)
		buf_appendf(&b, "%s %zu, %s %zu\n",
		            en ? "Revisions:" : "Revisi:", r->nrevisions,
		            en ? "signatures:" : "tanda tangan:", r->nsigs);
	if (r->message != NULL && *r->message != '\0')
		buf_appendf(&b, "%s %s\n",
		            en ? "Explanation:" : "Keterangan:", r->message);
	if (r->nusage_rights > 0)
		buf_appendf(&b, "%s %zu\n",
		            en ? "Usage-rights signatures (/Perms /UR3, not a signer's; "
		                 "not checked):"
		               : "Tanda tangan hak penggunaan (/Perms /UR3, bukan "
		                 "penanda tangan; tidak diperiksa):",
		            r->nusage_rights);
	for (i = 0; i < r->nsigs; i++)
		text_sig(&b, &r->sigs[i], i, en);
	if (buf_cstr(&b) < 0) {
		buf_free(&b);
		return sertel_err(SERTEL_ETOOBIG, "verify: report too long");
	}
	*out = (char *)buf_detach(&b, &len);
	return 0;
}
