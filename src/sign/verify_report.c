/* SPDX-License-Identifier: Apache-2.0 */
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
 *      "changes":[{"allowed":bool,"what":s}],"message",
 *      "result":{"verdict","label":{"id","en"},"changed":bool,
 *                "reasons":[{"code","id","en"}]}}],
 *    "result":{...the same for the document}}
 * "result" (issue 11) is what /v/{id}, /verifikasi and the v1/v2 verify
 * API show too: one verdict, one label, the same reasons.
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

/* Issue 11: the one catalogue of reasons, each a sentence a lay reader
 * understands, in Bahasa Indonesia and English.  Codes are stable (the
 * JSON carries them); texts may be improved. */
static const struct verify_reason reason_catalogue[] = {
    {"no_trust_anchor",
     "Pemeriksa tidak diberi daftar penerbit sertifikat tepercaya, "
     "sehingga penanda tangan tidak dapat dipastikan.",
     "The checker was given no list of trusted certificate issuers, "
     "so the signer cannot be confirmed."},
    {"revoked_before_signing",
     "Sertifikat penanda tangan sudah dicabut sebelum dokumen "
     "ditandatangani, jadi tanda tangan ini tidak berlaku.",
     "The signer's certificate had been revoked before the document "
     "was signed, so this signature does not count."},
    {"not_for_signing", "Sertifikat ini tidak diterbitkan untuk menandatangani dokumen.",
     "This certificate was not issued for signing documents."},
    {"revocation_unknown",
     "Belum dapat diperiksa apakah sertifikat penanda tangan sudah "
     "dicabut: data pencabutannya tidak tersedia saat ini.",
     "Whether the signer's certificate has been revoked cannot be "
     "checked: its revocation data is not available now."},
    {"untrusted_certificate",
     "Sertifikat penanda tangan tidak dapat ditelusuri ke penerbit "
     "yang dipercaya layanan ini, atau sertifikatnya tidak berlaku.",
     "The signer's certificate cannot be traced to an issuer this "
     "service trusts, or it is not valid."},
    {"expired_no_timestamp",
     "Sertifikat penanda tangan sudah habis masa berlakunya dan "
     "tidak ada cap waktu yang membuktikan dokumen ditandatangani "
     "sebelum itu.",
     "The signer's certificate has expired and no timestamp proves "
     "the document was signed before that."},
    {"expired_after_timestamp",
     "Masa berlaku sertifikat sudah habis, tetapi cap waktu "
     "membuktikan dokumen ditandatangani saat sertifikat masih "
     "berlaku; tanda tangan tetap sah.",
     "The certificate has expired since, but a timestamp proves the "
     "document was signed while it was valid; the signature stays "
     "valid."},
    {"revoked_after_timestamp",
     "Sertifikat penanda tangan dicabut sesudah dokumen "
     "ditandatangani; cap waktu membuktikan tanda tangan dibuat "
     "sebelum pencabutan, jadi tanda tangan tetap sah.",
     "The signer's certificate was revoked after the document was "
     "signed; a timestamp proves the signature was made before the "
     "revocation, so it stays valid."},
    {"revoked_no_timestamp",
     "Sertifikat penanda tangan sudah dicabut dan tidak ada cap "
     "waktu yang membuktikan dokumen ditandatangani sebelum "
     "pencabutan.",
     "The signer's certificate has been revoked and no timestamp "
     "proves the document was signed before the revocation."},
    {"unsupported",
     "Bentuk tanda tangan ini tidak dapat diperiksa oleh layanan "
     "ini, sehingga keabsahannya belum dapat dipastikan.",
     "This kind of signature cannot be checked by this service, so "
     "whether it is valid cannot be confirmed."},
    {"timestamp_invalid",
     "Cap waktu pada tanda tangan ini tidak dapat diterima, sehingga "
     "waktu penandatanganan tidak terbukti.",
     "The timestamp on this signature cannot be accepted, so the "
     "time of signing is not proven."},
    {"weak_digest",
     "Tanda tangan ini memakai algoritma lama yang tidak lagi "
     "dianggap aman.",
     "This signature uses an old algorithm that is no longer "
     "considered safe."},
    {"signing_certificate_mismatch",
     "Tanda tangan menyebut sertifikat lain daripada sertifikat yang "
     "dipakai untuk menandatangani.",
     "The signature names a different certificate from the one used "
     "to sign."},
    {"signature_broken",
     "Nilai tanda tangan tidak cocok dengan sertifikat penanda "
     "tangan: tanda tangan ini rusak atau palsu.",
     "The signature value does not match the signer's certificate: "
     "the signature is damaged or forged."},
    {"changed_after_signing",
     "Dokumen diubah sesudah ditandatangani dengan cara yang tidak "
     "diizinkan, sehingga isinya bukan lagi yang ditandatangani.",
     "The document was changed after it was signed in a way that is "
     "not allowed, so its content is no longer what was signed."},
    {"document_changed",
     "Isi berkas ini berbeda dari yang ditandatangani: dokumen telah "
     "diubah sesudah ditandatangani.",
     "The content of this file differs from what was signed: the "
     "document has been changed since it was signed."},
    {"cannot_confirm",
     "Keabsahan tanda tangan ini belum dapat dipastikan dari data "
     "yang tersedia.",
     "Whether this signature is valid cannot be confirmed from the "
     "data available."},
    {"timestamp_valid",
     "Cap waktu dokumen sah: dokumen sudah ada dalam bentuk ini pada "
     "waktu yang tercantum.",
     "The document timestamp is valid: the document existed in this "
     "form at the time shown."},
    {"signature_valid",
     "Tanda tangan sah: dibuat dengan sertifikat yang terpercaya dan "
     "dokumen tidak diubah sesudahnya.",
     "The signature is valid: it was made with a trusted certificate "
     "and the document has not been changed since."},
    {"no_signature",
     "Dokumen ini tidak memiliki tanda tangan elektronik yang dapat "
     "diperiksa.",
     "This document has no electronic signature that can be checked."},
    {"not_checked",
     "Tanda tangan ini tidak diperiksa saat dokumen ditandatangani "
     "dan isinya tidak disimpan, sehingga keabsahannya belum dapat "
     "dipastikan di sini; unggah berkasnya di halaman verifikasi.",
     "This signature was not checked when the document was signed "
     "and its content is not kept, so whether it is valid cannot be "
     "confirmed here; upload the file on the verification page."},
};

const struct verify_reason *
verify_reason_get(const char *code)
{
	size_t i;

	for (i = 0;
	     code != NULL && i < sizeof(reason_catalogue) / sizeof(reason_catalogue[0]);
	     i++)
		if (strcmp(reason_catalogue[i].code, code) == 0)
			return &reason_catalogue[i];
	return NULL;
}

const char *
verify_verdict_label(enum verify_verdict v, int en)
{
	switch (v) {
	case VERIFY_VALID: return en ? "VALID" : "SAH";
	case VERIFY_INVALID: return en ? "NOT VALID" : "TIDAK SAH";
	default: return en ? "INDETERMINATE" : "BELUM DAPAT DIPASTIKAN";
	}
}

static const char *
verdict_text(enum verify_verdict v, int en)
{
	return verify_verdict_label(v, en);
}

static json_t *
label_json(enum verify_verdict v)
{
	return json_pack("{s:s, s:s}", "id", verify_verdict_label(v, 0), "en",
	                 verify_verdict_label(v, 1));
}

static int
reasons_add(json_t *arr, const struct verify_sig *s)
{
	size_t i, k;

	for (i = 0; i < s->nreasons; i++) {
		const struct verify_reason *r = &s->reasons[i];
		int dup = 0;

		for (k = 0; k < json_array_size(arr); k++)
			if (strcmp(json_string_value(
			               json_object_get(json_array_get(arr, k), "code")),
			           r->code) == 0)
				dup = 1;
		if (!dup && json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		                                                 "code", r->code, "id",
		                                                 r->id, "en", r->en)) < 0)
			return -1;
	}
	return 0;
}

json_t *
verify_sig_verdict_json(const struct verify_sig *s)
{
	json_t *reasons = json_array();

	if (reasons == NULL || reasons_add(reasons, s) < 0) {
		json_decref(reasons);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:b, s:o}", "verdict",
	                 verify_verdict_name(s->verdict), "label", label_json(s->verdict),
	                 "changed", s->changed, "reasons", reasons);
}

json_t *
verify_report_verdict_json(const struct verify_report *r)
{
	json_t *reasons = json_array();
	size_t i;
	int changed = 0;

	if (reasons == NULL)
		return NULL;
	for (i = 0; i < r->nsigs; i++) {
		changed |= r->sigs[i].changed;
		/* The signatures that decided the document's verdict speak. */
		if (r->sigs[i].verdict == r->verdict &&
		    reasons_add(reasons, &r->sigs[i]) < 0)
			goto fail;
	}
	if (r->nsigs == 0) {
		const struct verify_reason *ns = verify_reason_get("no_signature");

		if (json_array_append_new(reasons,
		                          json_pack("{s:s, s:s, s:s}", "code", ns->code,
		                                    "id", ns->id, "en", ns->en)) < 0)
			goto fail;
	}
	return json_pack("{s:s, s:o, s:b, s:o}", "verdict",
	                 verify_verdict_name(r->verdict), "label", label_json(r->verdict),
	                 "changed", changed, "reasons", reasons);
fail:
	json_decref(reasons);
	return NULL;
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
	/* Issue 11: the same verdict, label and reasons as every surface. */
	json_object_set_new(o, "result", verify_sig_verdict_json(s));
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
	json_object_set_new(o, "result", verify_report_verdict_json(r));
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
	/* One fact for the reader (issue 11); the checks below detail it. */
	buf_appendf(b, "    %-24s %s\n",
	            en ? "Changed after signing:" : "Diubah sesudah ditandatangani:",
	            yesno(s->changed, en));
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
	/* A revocation after a trusted time is not a "no" (issue 11). */
	buf_appendf(b, "    %-24s %s\n", en ? "Revocation:" : "Pencabutan:",
	            s->revoked && s->revocation_ok
	                ? (en ? "revoked after signing (the timestamp is earlier)"
	                      : "dicabut sesudah penandatanganan (cap waktu lebih "
	                        "dulu)")
	            : s->revoked       ? (en ? "REVOKED" : "DICABUT")
	            : s->revocation_ok ? (en ? "not revoked" : "tidak dicabut")
	                               : (en ? "unknown" : "tidak diketahui"));
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
	for (k = 0; k < s->nreasons; k++)
		buf_appendf(b, "    %-24s %s\n", k == 0 ? (en ? "Why:" : "Sebab:") : "",
		            en ? s->reasons[k].en : s->reasons[k].id);
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
