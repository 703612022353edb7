/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing flows (flow.h): several signers in order on the same files.
 * The signature itself is esign_sign's (the one signing path: lock,
 * TOTP, registry, /v/{id}); this file keeps whose turn it is, the files
 * between the turns, and what each change means for the others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/flow.h"
#include "mail/mail.h"

static const char *const state_names[] = {"aktif", "selesai", "ditolak"};
static const char *const step_names[] = {"menunggu", "ditandatangani", "ditolak"};

static const char mail_footer[] =
    "\n\n--\nPesan ini dikirim otomatis oleh layanan Sertifikat Elektronik "
    "(sertel). Jangan membalas pesan ini.\n";

static int
state_of(const char *name, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (name != NULL && strcmp(name, names[i]) == 0)
			return i;
	return 0;
}

static int
id_valid(const char *id)
{
	return hex_id_valid(id, FLOW_ID_LEN);
}

/* The notice to one person (their e-mail from the register), in the
 * transaction of the change it reports. */
static int
flow_notify(struct store *st, const char *nik, const char *kind, const char *subject,
            const char *text, const char *id, const struct esign_flow_env *env)
{
	struct ra_person p;
	char body[2048];
	int rc;

	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc;
	if (p.email[0] == '\0')
		return 0;
	snprintf(body, sizeof(body), "Yth. %s,\n\n%s\n\nBuka: %s%s\n%s", p.name, text,
	         env->link_base ? env->link_base : "", id, mail_footer);
	return mail_enqueue(st, p.email, subject, body, kind);
}

/* ---- reading ---------------------------------------------------------------- */
static int
flow_read(struct esign_flow *f, struct store *st, const char *id)
{
	struct db_stmt *s = NULL;
	struct ra_person p;
	int rc;

	memset(f, 0, sizeof(*f));
	if (!id_valid(id))
		return sertel_err(SERTEL_ENOTFOUND, "signing flow: malformed id");
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT owner_nik, state, step, reason, created_at, "
	         "updated_at, expires_at, version FROM esign_flows WHERE id = ? "
	         "AND expires_at > ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) < 0 || (rc = db_bind_int(s, 2, time_now())) < 0)
		goto out;
	if ((rc = db_step(s)) <= 0) {
		if (rc == 0)
			rc = sertel_err(SERTEL_ENOTFOUND,
			                "signing flow %s: none (or expired)", id);
		goto out;
	}
	str_copy(f->id, sizeof(f->id), id);
	str_copy(f->owner_nik, sizeof(f->owner_nik), db_col_text(s, 0));
	f->state = state_of(db_col_text(s, 1), state_names, 3);
	f->step = (int)db_col_int(s, 2);
	if (!db_col_null(s, 3))
		str_copy(f->reason, sizeof(f->reason), db_col_text(s, 3));
	f->created_at = db_col_int(s, 4);
	f->updated_at = db_col_int(s, 5);
	f->expires_at = db_col_int(s, 6);
	f->version = (int)db_col_int(s, 7);
	db_finalize(s);
	s = NULL;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik, state, at, doc_id FROM esign_flow_signers "
	                     "WHERE flow_id = ? ORDER BY pos")) < 0 ||
	    (rc = db_bind_text(s, 1, id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1 && f->nsigners < FLOW_MAX_SIGNERS) {
		struct esign_flow_signer *g = &f->signers[f->nsigners++];

		str_copy(g->nik, sizeof(g->nik), db_col_text(s, 0));
		g->state = state_of(db_col_text(s, 1), step_names, 3);
		g->at = db_col_null(s, 2) ? 0 : db_col_int(s, 2);
		if (!db_col_null(s, 3))
			str_copy(g->doc_id, sizeof(g->doc_id), db_col_text(s, 3));
	}
	if (rc < 0)
		goto out;
	db_finalize(s);
	s = NULL;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT name FROM esign_flow_docs WHERE flow_id = ? "
	                     "ORDER BY idx")) < 0 ||
	    (rc = db_bind_text(s, 1, id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1 && f->ndocs < FLOW_MAX_DOCS)
		str_copy(f->names[f->ndocs++], FLOW_NAME_MAX, db_col_text(s, 0));
	if (rc < 0)
		goto out;
	/* Names for the page; a person removed since keeps their NIK only. */
	if (ra_person_get(&p, st, f->owner_nik) == 0)
		str_copy(f->owner_name, sizeof(f->owner_name), p.name);
	for (size_t i = 0; i < f->nsigners; i++)
		if (ra_person_get(&p, st, f->signers[i].nik) == 0)
			str_copy(f->signers[i].name, sizeof(f->signers[i].name), p.name);
	sertel_err_clear();
	rc = 0;
out:
	db_finalize(s);
	return rc;
}

/* 1 when who is the uploader or one of the signers. */
static int
flow_party(const struct esign_flow *f, const struct ra_actor *who)
{
	size_t i;

	if (who->nik[0] == '\0')
		return 0;
	if (strcmp(f->owner_nik, who->nik) == 0)
		return 1;
	for (i = 0; i < f->nsigners; i++)
		if (strcmp(f->signers[i].nik, who->nik) == 0)
			return 1;
	return 0;
}

int
esign_flow_get(struct esign_flow *out, struct store *st, const struct ra_actor *who,
               const char *id)
{
	int rc;

	if ((rc = flow_read(out, st, id)) < 0)
		return rc;
	/* A letter in a signing flow is for the people named in it: not
	 * operators, not auditors (Palembang 12(2): sole control). */
	if (!flow_party(out, who)) {
		memset(out, 0, sizeof(*out));
		return sertel_err(
		    SERTEL_EPERM,
		    "signing flow %s: only its uploader and signers may open it", id);
	}
	return 0;
}

int
esign_flow_turn(const struct esign_flow *f, const struct ra_actor *who)
{
	size_t i;
	int named = 0;

	for (i = 0; i < f->nsigners; i++)
		if (strcmp(f->signers[i].nik, who->nik) == 0)
			named = 1;
	if (!named || who->nik[0] == '\0')
		return sertel_err(SERTEL_EPERM,
		                  "signing flow %s: you are not one of its signers",
		                  f->id);
	if (f->state == FLOW_DONE)
		return sertel_err(SERTEL_ESTATE, "signing flow %s: already complete",
		                  f->id);
	if (f->state == FLOW_DECLINED)
		return sertel_err(SERTEL_ESTATE,
		                  "signing flow %s: stopped (a signer declined)", f->id);
	if (f->step < 0 || (size_t)f->step >= f->nsigners ||
	    strcmp(f->signers[f->step].nik, who->nik) != 0)
		return sertel_err(
		    SERTEL_ESTATE,
		    "signing flow %s: not your turn (signers sign in the order "
		    "the uploader named)",
		    f->id);
	return 0;
}

int
esign_flow_file(unsigned char **out, size_t *len, struct store *st,
                const struct ra_actor *who, const char *id, size_t idx)
{
	struct esign_flow f;
	char blob[40] = "";
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = esign_flow_get(&f, st, who, id)) < 0)
		return rc;
	if (idx >= f.ndocs)
		return sertel_err(SERTEL_ENOTFOUND, "signing flow %s: no file %zu", id,
		                  idx + 1);
	{
		struct db_stmt *s = NULL;

		if ((rc = db_prepare(
		         &s, store_db(st),
		         "SELECT blob_id FROM esign_flow_docs WHERE flow_id = ? "
		         "AND idx = ?")) < 0)
			return rc;
		if ((rc = db_bind_text(s, 1, id)) == 0 &&
		    (rc = db_bind_int(s, 2, (int64_t)idx)) == 0 && (rc = db_step(s)) == 1)
			str_copy(blob, sizeof(blob), db_col_text(s, 0));
		db_finalize(s);
		if (rc < 0)
			return rc;
	}
	if (blob[0] == '\0')
		return sertel_err(SERTEL_ENOTFOUND, "signing flow %s: no file %zu", id,
		                  idx + 1);
	return store_blob_get(st, blob, "esign-flow", out, len);
}

/* ---- creating ---------------------------------------------------------------- */
struct create_work {
	const char *id;
	const struct ra_actor *who;
	const char *const *signers;
	size_t nsigners;
	const struct esign_doc_in *docs;
	size_t ndocs;
	const struct esign_flow_env *env;
};

static int
create_fn(struct store *st, void *arg)
{
	struct create_work *w = arg;
	int64_t now = time_now(), rc;
	char blob[33], obj[64], detail[400];
	size_t i;

	rc = db_run(
	    store_db(st),
	    "INSERT INTO esign_flows (id, owner_nik, state, step, reason, "
	    "created_at, updated_at, expires_at, version) VALUES (?, ?, 'aktif', 0, "
	    "NULL, ?, ?, ?, 0)",
	    "ssiii", w->id, w->who->nik, now, now, now + w->env->ttl);
	if (rc < 0)
		return (int)rc;
	for (i = 0; i < w->nsigners; i++)
		if ((rc = db_run(
		         store_db(st),
		         "INSERT INTO esign_flow_signers (flow_id, pos, nik, state) "
		         "VALUES (?, ?, ?, 'menunggu')",
		         "sis", w->id, (int64_t)i, w->signers[i])) < 0)
			return (int)rc;
	for (i = 0; i < w->ndocs; i++) {
		if ((rc = store_blob_put(st, "esign-flow", w->docs[i].data,
		                         w->docs[i].len, blob)) < 0)
			return (int)rc;
		if ((rc = db_run(
		         store_db(st),
		         "INSERT INTO esign_flow_docs (flow_id, idx, name, blob_id, "
		         "size) VALUES (?, ?, ?, ?, ?)",
		         "sissi", w->id, (int64_t)i, w->docs[i].name, blob,
		         (int64_t)w->docs[i].len)) < 0)
			return (int)rc;
	}
	snprintf(obj, sizeof(obj), "esign-flow:%s", w->id);
	snprintf(detail, sizeof(detail),
	         "%zu file(s), %zu signer(s) in order, first nik:%s", w->ndocs,
	         w->nsigners, w->signers[0]);
	if ((rc = audit_append(st, w->who->label, "esign.flow.create", obj, detail)) < 0)
		return (int)rc;
	if (strcmp(w->signers[0], w->who->nik) == 0)
		return 0;
	return flow_notify(
	    st, w->signers[0], "flow-turn", "Giliran Anda menandatangani dokumen",
	    "Ada dokumen yang menunggu tanda tangan elektronik Anda.", w->id, w->env);
}

int
esign_flow_create(char *id, struct store *st, const struct ra_actor *who,
                  const char *const *signers, size_t nsigners,
                  const struct esign_doc_in *docs, size_t ndocs,
                  const struct esign_flow_env *env)
{
	struct create_work w;
	struct ra_person p;
	size_t i, j;
	int rc;

	id[0] = '\0';
	if (who->nik[0] == '\0')
		return sertel_err(SERTEL_EPERM,
		                  "signing flow: only a registered person uploads");
	if (nsigners == 0 || nsigners > FLOW_MAX_SIGNERS)
		return sertel_err(SERTEL_EINVAL, "signing flow: 1 to %d signers, not %zu",
		                  FLOW_MAX_SIGNERS, nsigners);
	if (ndocs == 0 || ndocs > FLOW_MAX_DOCS)
		return sertel_err(SERTEL_EINVAL, "signing flow: 1 to %d files, not %zu",
		                  FLOW_MAX_DOCS, ndocs);
	for (i = 0; i < nsigners; i++) {
		if ((rc = ra_person_get(&p, st, signers[i])) < 0)
			return rc == SERTEL_ENOTFOUND
			           ? sertel_err(SERTEL_EINVAL,
			                        "signing flow: signer %zu is not "
			                        "registered here",
			                        i + 1)
			           : rc;
		for (j = 0; j < i; j++)
			if (strcmp(signers[i], signers[j]) == 0)
				return sertel_err(SERTEL_EINVAL,
				                  "signing flow: %s is named twice",
				                  p.name);
	}
	for (i = 0; i < ndocs; i++) {
		/* The files are checked again by esign_sign; here only what a
		 * flow can hold: a PDF, within the size one signing takes. */
		if (docs[i].len < 5 || memcmp(docs[i].data, "%PDF-", 5) != 0)
			return sertel_err(SERTEL_EINVAL,
			                  "signing flow: file %zu is not a PDF", i + 1);
		if (docs[i].len > env->max_file_bytes)
			return sertel_err(SERTEL_ETOOBIG,
			                  "signing flow: file %zu is over %zu bytes",
			                  i + 1, env->max_file_bytes);
		if (docs[i].name == NULL || docs[i].name[0] == '\0' ||
		    strlen(docs[i].name) >= FLOW_NAME_MAX)
			return sertel_err(SERTEL_EINVAL,
			                  "signing flow: file %zu has no usable name",
			                  i + 1);
	}
	if ((rc = rand_hex(id, FLOW_ID_LEN / 2)) < 0)
		return rc;
	w.id = id;
	w.who = who;
	w.signers = signers;
	w.nsigners = nsigners;
	w.docs = docs;
	w.ndocs = ndocs;
	w.env = env;
	if ((rc = store_atomic(st, create_fn, &w)) < 0)
		id[0] = '\0';
	return rc;
}

/* ---- signing, declining ----------------------------------------------------- */
struct step_work {
	const struct ra_actor *who;
	const char *id;
	int version;
	const unsigned char *const *files;
	const size_t *lens;
	size_t n;
	const char *doc_id;
	const char *reason; /* decline */
	const struct esign_flow_env *env;
};

/* Re-reads the flow inside the transaction: whose turn it is now. */
static int
step_check(struct esign_flow *f, struct store *st, const struct step_work *w)
{
	int rc;

	if ((rc = flow_read(f, st, w->id)) < 0)
		return rc;
	if ((rc = esign_flow_turn(f, w->who)) < 0)
		return rc;
	if (w->version >= 0 && f->version != w->version)
		return sertel_err(
		    SERTEL_ESTATE,
		    "signing flow %s: the files changed since you opened them", w->id);
	return 0;
}

/* The step at pos, still waiting, becomes state (signed or declined):
 * SERTEL_ESTATE when it is not waiting any more (a second submission). */
static int
step_mark(struct store *st, const char *id, int pos, const char *state, int64_t now,
          const char *doc_id)
{
	int64_t rc = db_run(store_db(st),
	                    "UPDATE esign_flow_signers SET state = ?, at = ?, doc_id = ? "
	                    "WHERE flow_id = ? AND pos = ? AND state = 'menunggu'",
	                    "sissi", state, now, doc_id, id, (int64_t)pos);

	if (rc < 0)
		return (int)rc;
	if (rc != 1)
		return sertel_err(SERTEL_ESTATE, "signing flow %s: step %d already %s",
		                  id, pos + 1, "decided");
	return 0;
}

static int
signed_fn(struct store *st, void *arg)
{
	struct step_work *w = arg;
	struct esign_flow f;
	char blob[33], obj[64], detail[200];
	int64_t now = time_now(), rc;
	size_t i;
	int last;

	if ((rc = step_check(&f, st, w)) < 0)
		return (int)rc;
	if (w->n != f.ndocs)
		return sertel_err(SERTEL_EINVAL, "signing flow %s: %zu files, not %zu",
		                  w->id, f.ndocs, w->n);
	for (i = 0; i < w->n; i++) {
		if ((rc = store_blob_put(st, "esign-flow", w->files[i], w->lens[i],
		                         blob)) < 0)
			return (int)rc;
		/* The old content goes with its row: held no longer than needed. */
		if ((rc = db_run(store_db(st),
		                 "DELETE FROM blobs WHERE id = (SELECT blob_id FROM "
		                 "esign_flow_docs WHERE flow_id = ? AND idx = ?)",
		                 "si", w->id, (int64_t)i)) < 0 ||
		    (rc = db_run(store_db(st),
		                 "UPDATE esign_flow_docs SET blob_id = ?, size = ? WHERE "
		                 "flow_id = ? AND idx = ?",
		                 "sisi", blob, (int64_t)w->lens[i], w->id, (int64_t)i)) <
		        0)
			return (int)rc;
	}
	last = (size_t)f.step + 1 == f.nsigners;
	if ((rc = step_mark(st, w->id, f.step, "ditandatangani", now, w->doc_id)) < 0)
		return (int)rc;
	if ((rc = db_run(
	         store_db(st),
	         "UPDATE esign_flows SET step = ?, state = ?, version = version + 1, "
	         "updated_at = ?, expires_at = ? WHERE id = ? AND version = ?",
	         "isiisi", (int64_t)f.step + 1, last ? "selesai" : "aktif", now,
	         now + w->env->ttl, w->id, (int64_t)f.version)) < 0)
		return (int)rc;
	if (rc != 1)
		return sertel_err(SERTEL_ESTATE, "signing flow %s: changed meanwhile",
		                  w->id);
	if ((rc = db_run(store_db(st),
	                 "DELETE FROM blobs WHERE id IN (SELECT blob_id FROM "
	                 "esign_flow_pages WHERE flow_id = ?)",
	                 "s", w->id)) < 0 ||
	    (rc = db_run(store_db(st), "DELETE FROM esign_flow_pages WHERE flow_id = ?",
	                 "s", w->id)) < 0)
		return (int)rc;
	snprintf(obj, sizeof(obj), "esign-flow:%s", w->id);
	snprintf(detail, sizeof(detail), "signer %d of %zu signed; document %s%s",
	         f.step + 1, f.nsigners, w->doc_id ? w->doc_id : "",
	         last ? "; complete" : "");
	if ((rc = audit_append(st, w->who->label,
	                       last ? "esign.flow.complete" : "esign.flow.sign", obj,
	                       detail)) < 0)
		return (int)rc;
	if (last) {
		if (strcmp(f.owner_nik, w->who->nik) == 0)
			return 0;
		return flow_notify(
		    st, f.owner_nik, "flow-done", "Dokumen selesai ditandatangani",
		    "Semua penanda tangan telah menandatangani dokumen Anda.", w->id,
		    w->env);
	}
	return flow_notify(
	    st, f.signers[f.step + 1].nik, "flow-turn",
	    "Giliran Anda menandatangani dokumen",
	    "Ada dokumen yang menunggu tanda tangan elektronik Anda; penanda "
	    "tangan sebelumnya sudah menandatangani.",
	    w->id, w->env);
}

int
esign_flow_signed(struct store *st, const struct ra_actor *who, const char *id,
                  int version, const unsigned char *const *files, const size_t *lens,
                  size_t n, const char *doc_id, const struct esign_flow_env *env)
{
	struct step_work w;

	memset(&w, 0, sizeof(w));
	w.who = who;
	w.id = id;
	w.version = version;
	w.files = files;
	w.lens = lens;
	w.n = n;
	w.doc_id = doc_id;
	w.env = env;
	return store_atomic(st, signed_fn, &w);
}

static int
decline_fn(struct store *st, void *arg)
{
	struct step_work *w = arg;
	struct esign_flow f;
	char obj[64], detail[FLOW_REASON_MAX + 64], text[FLOW_REASON_MAX + 200];
	int64_t now = time_now(), rc;

	if ((rc = step_check(&f, st, w)) < 0)
		return (int)rc;
	if ((rc = step_mark(st, w->id, f.step, "ditolak", now, NULL)) < 0)
		return (int)rc;
	if ((rc = db_run(
	         store_db(st),
	         "UPDATE esign_flows SET state = 'ditolak', reason = ?, updated_at = ?, "
	         "expires_at = ? WHERE id = ? AND state = 'aktif'",
	         "siis", w->reason, now, now + w->env->ttl, w->id)) < 0)
		return (int)rc;
	snprintf(obj, sizeof(obj), "esign-flow:%s", w->id);
	snprintf(detail, sizeof(detail), "signer %d of %zu declined: %s", f.step + 1,
	         f.nsigners, w->reason);
	if ((rc = audit_append(st, w->who->label, "esign.flow.decline", obj, detail)) < 0)
		return (int)rc;
	if (strcmp(f.owner_nik, w->who->nik) == 0)
		return 0;
	snprintf(text, sizeof(text),
	         "%s menolak menandatangani dokumen Anda; alur tanda tangan berhenti.\n"
	         "Alasan: %s",
	         f.signers[f.step].name[0] ? f.signers[f.step].name : "Penanda tangan",
	         w->reason);
	return flow_notify(st, f.owner_nik, "flow-declined",
	                   "Dokumen ditolak penanda tangan", text, w->id, w->env);
}

int
esign_flow_decline(struct store *st, const struct ra_actor *who, const char *id,
                   const char *reason, const struct esign_flow_env *env)
{
	struct step_work w;
	const char *p;

	if (reason == NULL || *reason == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "signing flow: a refusal needs its reason");
	if (strlen(reason) >= FLOW_REASON_MAX - 1)
		return sertel_err(SERTEL_ETOOBIG,
		                  "signing flow: reason over %d characters",
		                  FLOW_REASON_MAX - 2);
	for (p = reason; *p; p++)
		if ((unsigned char)*p < 0x20)
			return sertel_err(
			    SERTEL_EINVAL,
			    "signing flow: reason must be one line of text");
	memset(&w, 0, sizeof(w));
	w.who = who;
	w.id = id;
	w.version = -1;
	w.reason = reason;
	w.env = env;
	return store_atomic(st, decline_fn, &w);
}

/* ---- lists, expiry, previews ---------------------------------------------- */
int
esign_flow_iter(struct store *st, const struct ra_actor *who, int limit, esign_flow_fn cb,
                void *arg)
{
	struct db_stmt *s = NULL;
	char ids[64][FLOW_ID_LEN + 1];
	struct esign_flow f;
	int n = 0, i, rc;

	if (limit <= 0 || limit > 64)
		limit = 64;
	if (who->nik[0] == '\0')
		return 0;
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT id FROM esign_flows WHERE expires_at > ? AND (owner_nik "
	         "= ? OR id IN (SELECT flow_id FROM esign_flow_signers WHERE "
	         "nik = ?)) ORDER BY updated_at DESC, id LIMIT ?")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, time_now())) == 0 &&
	    (rc = db_bind_text(s, 2, who->nik)) == 0 &&
	    (rc = db_bind_text(s, 3, who->nik)) == 0 &&
	    (rc = db_bind_int(s, 4, limit)) == 0)
		while ((rc = db_step(s)) == 1 && n < limit)
			str_copy(ids[n++], sizeof(ids[0]), db_col_text(s, 0));
	db_finalize(s);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = flow_read(&f, st, ids[i])) == SERTEL_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		if ((rc = cb(&f, arg)) != 0)
			return rc;
	}
	return 0;
}

static int
expire_fn(struct store *st, void *arg)
{
	int64_t now = *(int64_t *)arg, rc;
	static const char *const sql[] = {
	    "DELETE FROM blobs WHERE id IN (SELECT d.blob_id FROM esign_flow_docs d JOIN "
	    "esign_flows f ON f.id = d.flow_id WHERE f.expires_at <= ?)",
	    "DELETE FROM blobs WHERE id IN (SELECT p.blob_id FROM esign_flow_pages p "
	    "JOIN "
	    "esign_flows f ON f.id = p.flow_id WHERE f.expires_at <= ?)",
	    "DELETE FROM esign_flow_pages WHERE flow_id IN (SELECT id FROM esign_flows "
	    "WHERE expires_at <= ?)",
	    "DELETE FROM esign_flow_docs WHERE flow_id IN (SELECT id FROM esign_flows "
	    "WHERE expires_at <= ?)",
	    "DELETE FROM esign_flow_signers WHERE flow_id IN (SELECT id FROM esign_flows "
	    "WHERE expires_at <= ?)",
	};
	size_t i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if ((rc = db_run(store_db(st), sql[i], "i", now)) < 0)
			return (int)rc;
	rc = db_run(store_db(st), "DELETE FROM esign_flows WHERE expires_at <= ?", "i",
	            now);
	if (rc < 0)
		return (int)rc;
	*(int64_t *)arg = rc;
	return 0;
}

int
esign_flow_expire(struct store *st, int64_t now, int *n)
{
	int64_t v = now;
	int rc;

	if ((rc = store_atomic(st, expire_fn, &v)) < 0)
		return rc;
	if (n != NULL)
		*n = (int)v;
	return 0;
}

int
esign_flow_preview_get(unsigned char **out, size_t *len, struct store *st, const char *id,
                       size_t idx, int version, int page)
{
	char blob[40] = "";
	struct db_stmt *s = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT blob_id FROM esign_flow_pages WHERE flow_id = ? AND "
	                     "idx = ? AND version = ? AND page = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 &&
	    (rc = db_bind_int(s, 2, (int64_t)idx)) == 0 &&
	    (rc = db_bind_int(s, 3, version)) == 0 &&
	    (rc = db_bind_int(s, 4, page)) == 0 && (rc = db_step(s)) == 1)
		str_copy(blob, sizeof(blob), db_col_text(s, 0));
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (blob[0] == '\0')
		return sertel_err(SERTEL_ENOTFOUND, "preview: not cached");
	return store_blob_get(st, blob, "esign-flow-page", out, len);
}

struct preview_work {
	const char *id;
	size_t idx;
	int version, page;
	const unsigned char *png;
	size_t len;
};

static int
preview_fn(struct store *st, void *arg)
{
	struct preview_work *w = arg;
	char blob[33];
	int64_t rc;

	if ((rc = store_blob_put(st, "esign-flow-page", w->png, w->len, blob)) < 0)
		return (int)rc;
	rc = db_run(store_db(st),
	            "INSERT INTO esign_flow_pages (flow_id, idx, version, page, blob_id) "
	            "VALUES (?, ?, ?, ?, ?)",
	            "siiis", w->id, (int64_t)w->idx, (int64_t)w->version,
	            (int64_t)w->page, blob);
	return rc < 0 ? (int)rc : 0;
}

int
esign_flow_preview_put(struct store *st, const char *id, size_t idx, int version,
                       int page, const unsigned char *png, size_t len)
{
	struct preview_work w = {id, idx, version, page, png, len};
	int rc;

	rc = store_atomic(st, preview_fn, &w);
	/* Two requests rendering the same page at once: the first one's is kept. */
	if (rc == SERTEL_EEXISTS) {
		sertel_err_clear();
		rc = 0;
	}
	return rc;
}
