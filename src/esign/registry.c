/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry of documents signed through the service: a public id per
 * signed file (the QR code and the footer point to /v/{id}), its SHA-256,
 * who signed, when, with which certificate and the verifier's verdict at
 * signing time.  The content itself is kept (encrypted, store_blob_put)
 * only when [esign] keep_content = 1: a registry of hashes does not become
 * an archive of every letter of the region by accident.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/esign_int.h"

struct reg_work {
	const char *client;
	int seal;
	const struct esign_reg *docs;
	size_t n;
	int (*hook)(struct store *st, const char *doc_id, const char *serial, void *arg);
	void *hook_arg;
};

static int
reg_fn(struct store *st, void *arg)
{
	struct reg_work *w = arg;
	char blob_id[33], obj[96], detail[200], actor[96];
	size_t i;
	int64_t rc;
	int64_t now = time_now();

	for (i = 0; i < w->n; i++) {
		const struct esign_reg *d = &w->docs[i];
		int have_blob = 0;
		if (d->content != NULL) {
			if ((rc = store_blob_put(st, "esign-doc", d->content, d->len,
			                         blob_id)) < 0)
				return (int)rc;
			have_blob = 1;
		}
		rc = db_run(
		    store_db(st),
		    d->if_absent
		        ? "INSERT INTO esign_docs (id, sha256, name, signer_nik, "
		          "signer_name, cert_serial, client, seal, signed_at, size, "
		          "verdict, blob_id, ts_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		          "?, "
		          "?, ?, ?) ON CONFLICT (id) DO NOTHING"
		        : "INSERT INTO esign_docs (id, sha256, name, signer_nik, "
		          "signer_name, cert_serial, client, seal, signed_at, size, "
		          "verdict, blob_id, ts_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		          "?, "
		          "?, ?, ?)",
		    "sssssssiiiisi", d->id, d->sha256, d->name ? d->name : "",
		    d->signer_nik, d->signer_name, d->serial, w->client, (int64_t)w->seal,
		    now, (int64_t)d->len, (int64_t)d->verdict, have_blob ? blob_id : NULL,
		    d->ts_time);
		if (rc < 0)
			return (int)rc;
	}
	snprintf(obj, sizeof(obj), "esign-client:%s", w->client);
	snprintf(detail, sizeof(detail), "%zu document(s) %s by %s (cert %s), first %s",
	         w->n, w->seal ? "sealed" : "signed",
	         w->docs[0].signer_nik ? w->docs[0].signer_nik : w->docs[0].signer_name,
	         w->docs[0].serial, w->docs[0].id);
	snprintf(actor, sizeof(actor), "client:%s", w->client);
	if ((rc = audit_append(st, actor, w->seal ? "esign.seal" : "esign.sign", obj,
	                       detail)) < 0)
		return (int)rc;
	return w->hook ? w->hook(st, w->docs[0].id, w->docs[0].serial, w->hook_arg) : 0;
}

int
esign_register(struct store *st, const char *client, int seal,
               const struct esign_reg *docs, size_t n,
               int (*hook)(struct store *st, const char *doc_id, const char *serial,
                           void *arg),
               void *hook_arg)
{
	struct reg_work w = {client, seal, docs, n, hook, hook_arg};

	if (n == 0)
		return 0;
	return store_atomic(st, reg_fn, &w);
}

int
esign_doc_new(char id[33], char *link, size_t linksz, const char *base_url)
{
	unsigned char idb[16];
	int rc;

	if ((rc = rand_bytes(idb, sizeof(idb))) < 0)
		return rc;
	hex_encode(id, idb, sizeof(idb));
	if (snprintf(link, linksz, "%s/v/%s", base_url, id) >= (int)linksz)
		return sertel_err(SERTEL_EINVAL, "base_url: too long for a link");
	return 0;
}

static void
reg_fill(struct esign_reg *d, const char *id, const char *sha256, const char *name,
         const char *signer_nik, const char *signer_name, const char *serial, size_t len,
         int if_absent)
{
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->sha256 = sha256;
	d->name = name;
	d->signer_nik = signer_nik;
	d->signer_name = signer_name;
	d->serial = serial;
	d->verdict = -1; /* not verified at signing time */
	d->len = len;
	d->if_absent = if_absent;
}

int
esign_doc_register(struct store *st, const char *channel, const char *id,
                   const char *sha256, const char *name, const char *signer_nik,
                   const char *signer_name, const char *serial, size_t len)
{
	struct esign_reg d;

	reg_fill(&d, id, sha256, name, signer_nik, signer_name, serial, len, 0);
	return esign_register(st, channel, 0, &d, 1, NULL, NULL);
}

/* The receipt's id: SHA-256 over a label and the application id (itself
 * 64 random bits), so every copy of one receipt names one /v entry. */
static void
receipt_id(char id[33], const char *app_id)
{
	char label[96], hex[65];
	int n = snprintf(label, sizeof(label), "sertel receipt v1:%s", app_id);

	sha256_hex(hex, label, n > 0 && (size_t)n < sizeof(label) ? (size_t)n : 0);
	memcpy(id, hex, 32);
	id[32] = '\0';
}

const char *
esign_base_url(const struct config *cfg, const char *fallback)
{
	return config_get(cfg, "esign", "base_url", fallback ? fallback : "");
}

int
esign_receipt_pdf(unsigned char **out, size_t *outlen, char id[33], struct store *st,
                  const struct ra_actor *who, const char *app_id, const char *org,
                  const struct time_zone *tz, const char *base_url,
                  enum esign_receipt_mode mode)
{
	struct esign_doc old;
	struct ra_application app;
	char rid[33], link[SERTEL_MAX_NAME + 64], sha[65], name[64], signer[320];
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = ra_get(&app, st, app_id)) < 0)
		return rc;
	receipt_id(rid, app.id);
	if (snprintf(link, sizeof(link), "%s/v/%s", base_url, rid) >= (int)sizeof(link))
		return sertel_err(SERTEL_EINVAL, "base_url: too long for a link");
	if ((rc = ra_receipt_pdf(&pdf, &len, st, who, app.id, org, tz, link)) < 0)
		return rc;
	sha256_hex(sha, pdf, len);
	snprintf(name, sizeof(name), "tanda-terima-%s.pdf", app.id);
	snprintf(signer, sizeof(signer), "Otoritas Pendaftaran %s", org ? org : "");
	/* The receipt's own entry (the id its QR code names) once: asking
	 * again writes nothing.  A copy the hook signed is registered by its
	 * own hash too (a fresh id), in the same transaction, as the
	 * service registers the desk's signed copies. */
	rc = 0;
	if (mode == ESIGN_RECEIPT_SIGNED) {
		struct esign_reg d[2];
		char fid[33], flink[SERTEL_MAX_NAME + 64];

		if ((rc = esign_doc_new(fid, flink, sizeof(flink), base_url)) == 0) {
			reg_fill(&d[0], fid, sha, name, NULL, signer, app.cert_serial,
			         len, 0);
			reg_fill(&d[1], rid, sha, name, NULL, signer, app.cert_serial,
			         len, 1);
			rc = esign_register(st, "receipt", 0, d, 2, NULL, NULL);
		}
	} else if (mode == ESIGN_RECEIPT_UNSIGNED && esign_doc_get(&old, st, rid) < 0) {
		struct esign_reg d;

		reg_fill(&d, rid, sha, name, NULL, signer, app.cert_serial, len, 1);
		rc = esign_register(st, "receipt", 0, &d, 1, NULL, NULL);
	}
	if (rc == 0)
		sertel_err_clear(); /* the lookup's "not registered" */
	if (rc < 0) {
		free(pdf);
		return rc;
	}
	if (id != NULL)
		memcpy(id, rid, sizeof(rid));
	*out = pdf;
	*outlen = len;
	return 0;
}

#define DOC_COLS                                                                         \
	"id, sha256, name, signer_nik, signer_name, cert_serial, client, seal, "         \
	"signed_at, "                                                                    \
	"size, verdict, blob_id, ts_time"

static void
doc_from_row(struct esign_doc *d, struct db_stmt *s)
{
	const char *v;

	memset(d, 0, sizeof(*d));
	str_copy(d->id, sizeof(d->id), db_col_text(s, 0));
	str_copy(d->sha256, sizeof(d->sha256), db_col_text(s, 1));
	str_copy(d->name, sizeof(d->name), db_col_text(s, 2));
	if ((v = db_col_text(s, 3)) != NULL)
		str_copy(d->signer_nik, sizeof(d->signer_nik), v);
	str_copy(d->signer_name, sizeof(d->signer_name), db_col_text(s, 4));
	str_copy(d->serial, sizeof(d->serial), db_col_text(s, 5));
	str_copy(d->client, sizeof(d->client), db_col_text(s, 6));
	d->seal = (int)db_col_int(s, 7);
	d->signed_at = db_col_int(s, 8);
	d->size = db_col_int(s, 9);
	d->verdict = (int)db_col_int(s, 10);
	d->has_content = !db_col_null(s, 11);
	d->ts_time = db_col_int(s, 12);
}

static int
doc_query(struct esign_doc *out, char *blob, size_t blobsz, struct store *st,
          const char *sql, const char *arg)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, arg)) == 0) {
		rc = db_step(s);
		if (rc == 1) {
			doc_from_row(out, s);
			if (blob != NULL && !db_col_null(s, 11))
				str_copy(blob, blobsz, db_col_text(s, 11));
			rc = 0;
		} else if (rc == 0) {
			rc = sertel_err(SERTEL_ENOTFOUND, "document %s: not registered",
			                arg);
		}
	}
	db_finalize(s);
	return rc;
}

int
esign_doc_get(struct esign_doc *out, struct store *st, const char *id)
{
	size_t i, n = strlen(id);

	/* Ids are 32 hex characters: refuse anything else before the query. */
	if (n != 32)
		return sertel_err(SERTEL_ENOTFOUND, "document: malformed id");
	for (i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return sertel_err(SERTEL_ENOTFOUND, "document: malformed id");
	return doc_query(out, NULL, 0, st,
	                 "SELECT " DOC_COLS " FROM esign_docs WHERE id = ?", id);
}

int
esign_doc_by_hash(struct esign_doc *out, struct store *st, const char *sha256_hex)
{
	return doc_query(out, NULL, 0, st,
	                 "SELECT " DOC_COLS " FROM esign_docs WHERE sha256 = ? ORDER BY "
	                 "signed_at LIMIT 1",
	                 sha256_hex);
}

/* The download, in one transaction: the content is read, the link from
 * the registry entry and the encrypted blob itself are removed, and the
 * download is audited, or nothing is. */
struct take_work {
	const struct esign_client *client;
	const char *id;
	unsigned char *data;
	size_t len;
};

static int
take_fn(struct store *st, void *arg)
{
	struct take_work *w = arg;
	struct esign_doc d;
	char blob[64] = "", obj[96], actor[96];
	int64_t n;
	int rc;

	if ((rc = doc_query(&d, blob, sizeof(blob), st,
	                    "SELECT " DOC_COLS " FROM esign_docs WHERE id = ?", w->id)) <
	    0)
		return rc;
	if (strcmp(d.client, w->client->name) != 0)
		return sertel_err(SERTEL_EPERM,
		                  "document %s: signed through another client", w->id);
	if (blob[0] == '\0')
		return sertel_err(SERTEL_ENOTFOUND,
		                  "document %s: content not kept ([esign] keep_content = "
		                  "0) or already downloaded",
		                  w->id);
	if ((rc = store_blob_get(st, blob, "esign-doc", &w->data, &w->len)) < 0)
		return rc;
	/* A parallel download of the same id changes no row: only one wins. */
	if ((n = db_run(
	         store_db(st),
	         "UPDATE esign_docs SET blob_id = NULL WHERE id = ? AND blob_id = ?",
	         "ss", w->id, blob)) < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND, "document %s: already downloaded",
		                  w->id);
	if ((n = db_run(store_db(st), "DELETE FROM blobs WHERE id = ?", "s", blob)) < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "esign-doc:%s", w->id);
	snprintf(actor, sizeof(actor), "client:%s", w->client->name);
	return audit_append(st, actor, "esign.download", obj,
	                    "signed file downloaded; content removed (downloads once)");
}

int
esign_doc_public_content(unsigned char **out, size_t *len, struct store *st,
                         const char *id)
{
	struct esign_doc d;
	char blob[64] = "";
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = esign_doc_get(&d, st, id)) < 0 ||
	    (rc = doc_query(&d, blob, sizeof(blob), st,
	                    "SELECT " DOC_COLS " FROM esign_docs WHERE id = ?", id)) < 0)
		return rc;
	if (blob[0] == '\0')
		return sertel_err(
		    SERTEL_ENOTFOUND,
		    "document %s: content not kept ([esign] keep_content = 0)", id);
	return store_blob_get(st, blob, "esign-doc", out, len);
}

int
esign_doc_content(unsigned char **out, size_t *len, struct store *st,
                  const struct esign_client *client, const char *id)
{
	struct esign_doc d;
	struct take_work w = {client, id, NULL, 0};
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = esign_doc_get(&d, st, id)) < 0)
		return rc;
	if ((rc = store_atomic(st, take_fn, &w)) < 0) {
		if (w.data != NULL)
			secure_wipe(w.data, w.len);
		free(w.data);
		return rc;
	}
	*out = w.data;
	*len = w.len;
	return 0;
}
