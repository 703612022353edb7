/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Revocation by cause, loss reports, sanctions and renewal
 * (Cirebon 14-15, Denpasar 16, Samarinda 16, Palembang 10-11, 14(d), 16).
 *
 * Each cause says who may invoke it and which RFC 5280 reason code the CRL
 * and OCSP will carry.  A revocation is final.  A loss or compromise
 * report needs the owner's statement letter, acknowledged by the
 * superior, and the police report, and takes effect at once.  Written
 * warnings accumulate; the configured count opens a revocation proposal
 * that an OP operator carries out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "pki/pki.h"
#include "ra/ra.h"

static int revoke_exec(struct store *st, const struct ra_actor *who, struct issuer *is,
                       const char *serial, const char *cause, int reason, const char *why,
                       const struct ra_file *statement, const struct ra_file *police,
                       const char *ack_by);

enum who_may { BY_OWNER, BY_HEAD, BY_OPERATOR };

static const struct {
	const char *cause;
	int reason; /* RFC 5280 5.3.1 CRLReason */
	enum who_may who;
	const char *text;
} causes[] = {
    /* The owner (Cirebon 15(4); Palembang 11(2)). */
    {"permintaan-pemilik", REVOKE_UNSPECIFIED, BY_OWNER, "owner's request"},
    {"penyalahgunaan", REVOKE_KEY_COMPROMISE, BY_OWNER, "suspected misuse"},
    {"data-salah", REVOKE_AFFILIATION_CHANGED, BY_OWNER, "wrong data in the certificate"},
    {"kunci-bocor", REVOKE_KEY_COMPROMISE, BY_OWNER, "key leaked"},
    /* The head of the owner's agency (Palembang 11(1)). */
    {"mutasi", REVOKE_AFFILIATION_CHANGED, BY_HEAD, "transferred (mutasi)"},
    {"meninggal", REVOKE_CESSATION_OF_OPERATION, BY_HEAD, "died"},
    {"mengundurkan-diri", REVOKE_AFFILIATION_CHANGED, BY_HEAD, "resigned"},
    {"pensiun", REVOKE_CESSATION_OF_OPERATION, BY_HEAD, "retired"},
    {"lainnya", REVOKE_CESSATION_OF_OPERATION, BY_HEAD,
     "another cause that ends the duty"},
    /* The OP (Cirebon 15(1); Palembang 14(d), 16). */
    {"evaluasi-op", REVOKE_PRIVILEGE_WITHDRAWN, BY_OPERATOR, "OP evaluation"},
    {"sanksi", REVOKE_PRIVILEGE_WITHDRAWN, BY_OPERATOR, "sanction"},
};
#define NCAUSES (sizeof(causes) / sizeof(causes[0]))

int
ra_cause_reason(const char *cause)
{
	size_t i;

	for (i = 0; i < NCAUSES; i++)
		if (strcmp(cause, causes[i].cause) == 0)
			return causes[i].reason;
	return sertel_err(SERTEL_EINVAL,
	                  "cause '%s': expected permintaan-pemilik, penyalahgunaan, "
	                  "data-salah, kunci-bocor (owner); mutasi, meninggal, "
	                  "mengundurkan-diri, pensiun, lainnya (head of agency); "
	                  "evaluasi-op, sanksi (OP)",
	                  cause);
}

/* The certificate's owner as registered (the NIK it is bound to). */
static int
owner_of(struct ra_person *out, struct cert_rec *rec, struct store *st,
         const char *serial)
{
	int rc;

	if ((rc = store_cert_get(st, serial, rec)) < 0)
		return rc;
	if (rec->nik[0] == '\0') {
		cert_rec_free(rec);
		return sertel_err(
		    SERTEL_EINVAL,
		    "certificate %s: not bound to a registered person (issued "
		    "outside the RA: revoke it with 'sertel cert revoke')",
		    serial);
	}
	if ((rc = ra_person_get(out, st, rec->nik)) < 0)
		cert_rec_free(rec);
	return rc;
}

/* May `who` invoke this cause for this owner? */
static int
cause_allowed(struct store *st, const struct ra_actor *who, const struct ra_person *owner,
              enum who_may may, const char *cause)
{
	struct ra_person head;
	int rc;

	switch (may) {
	case BY_OWNER:
		if (strcmp(who->nik, owner->nik) == 0)
			return 0;
		return sertel_err(SERTEL_EPERM,
		                  "%s: cause %s is for the owner to request", who->label,
		                  cause);
	case BY_HEAD:
		if (!(who->roles & ROLE_KEPALA_PD) || who->nik[0] == '\0')
			return sertel_err(SERTEL_EPERM,
			                  "%s: cause %s is requested by the head of the "
			                  "owner's agency (Palembang 11(1))",
			                  who->label, cause);
		if ((rc = ra_person_get(&head, st, who->nik)) < 0)
			return rc;
		if (strcmp(head.agency_id, owner->agency_id) != 0)
			return sertel_err(SERTEL_EPERM,
			                  "%s: heads another agency than the owner's",
			                  who->label);
		return 0;
	case BY_OPERATOR:
		if (!(who->roles & ROLE_OPERATOR) || who->nik[0] == '\0')
			return sertel_err(SERTEL_EPERM,
			                  "%s: cause %s is the OP's decision", who->label,
			                  cause);
		return ra_operator_check(st, who->nik, time_now());
	}
	return SERTEL_EPERM;
}

struct request_write {
	const char *serial;
	const char *cause;
	int reason;
	const struct ra_actor *who;
	const char *state;
	const char *note;
	const char *statement_blob;
	const char *police_blob;
	const char *ack_by;
};

/* Records a revocation request (inside the caller's transaction). */
static int
request_insert(struct store *st, const struct request_write *w)
{
	struct db_stmt *s = NULL;
	char id[17];
	int rc;

	if ((rc = rand_hex(id, (sizeof(id) - 1) / 2)) < 0)
		return rc;
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "INSERT INTO revocation_requests (id, serial, cause, reason_code, "
	         "requested_by, state, note, statement_blob, police_blob, "
	         "acknowledged_by, created_at, decided_at) VALUES "
	         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 &&
	    (rc = db_bind_text(s, 2, w->serial)) == 0 &&
	    (rc = db_bind_text(s, 3, w->cause)) == 0 &&
	    (rc = db_bind_int(s, 4, w->reason)) == 0 &&
	    (rc = db_bind_text(s, 5, w->who->label)) == 0 &&
	    (rc = db_bind_text(s, 6, w->state)) == 0 &&
	    (rc = db_bind_text(s, 7, w->note && *w->note ? w->note : NULL)) == 0 &&
	    (rc = db_bind_text(s, 8, w->statement_blob)) == 0 &&
	    (rc = db_bind_text(s, 9, w->police_blob)) == 0 &&
	    (rc = db_bind_text(s, 10, w->ack_by)) == 0 &&
	    (rc = db_bind_int(s, 11, time_now())) == 0)
		rc = strcmp(w->state, "done") == 0 ? db_bind_int(s, 12, time_now())
		                                   : db_bind_null(s, 12);
	if (rc == 0)
		rc = db_step(s);
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

static int
close_proposals(struct store *st, const char *serial)
{
	int64_t n =
	    db_run(store_db(st),
	           "UPDATE revocation_requests SET state = 'done', decided_at = ? "
	           "WHERE serial = ? AND state = 'requested'",
	           "is", time_now(), serial);

	return n < 0 ? (int)n : 0;
}

int
ra_revoke(struct store *st, const struct ra_actor *who, struct issuer *is,
          const char *serial, const char *cause, const char *note)
{
	struct ra_person owner;
	struct cert_rec rec;
	char why[600];
	size_t i;
	int rc;

	for (i = 0; i < NCAUSES; i++)
		if (strcmp(cause, causes[i].cause) == 0)
			break;
	if (i == NCAUSES)
		return ra_cause_reason(cause);
	if (note != NULL && *note && (rc = name_check_text("note", note, 500)) < 0)
		return rc;
	if ((rc = owner_of(&owner, &rec, st, serial)) < 0)
		return rc;
	cert_rec_free(&rec);
	if ((rc = cause_allowed(st, who, &owner, causes[i].who, cause)) < 0)
		return rc;
	snprintf(why, sizeof(why), "%s (%s)%s%.450s", cause, causes[i].text,
	         note && *note ? ": " : "", note ? note : "");
	return revoke_exec(st, who, is, serial, cause, causes[i].reason, why, NULL, NULL,
	                   NULL);
}

/* Our bookkeeping inside the revocation's own transaction: the letters of
 * a loss report, the request record, and the closing of open proposals. */
struct exec_hook {
	struct request_write req;
	const struct ra_file *statement;
	const struct ra_file *police;
	char statement_id[33];
	char police_id[33];
};

static int
exec_book(struct store *st, const struct cert_rec *rec, void *arg)
{
	struct exec_hook *h = arg;
	int rc;

	if (h->statement != NULL) {
		if ((rc = store_blob_put(st, "loss-statement", h->statement->data,
		                         h->statement->len, h->statement_id)) < 0 ||
		    (rc = store_blob_put(st, "police-report", h->police->data,
		                         h->police->len, h->police_id)) < 0)
			return rc;
		h->req.statement_blob = h->statement_id;
		h->req.police_blob = h->police_id;
	}
	if ((rc = close_proposals(st, rec->serial)) < 0 ||
	    (rc = request_insert(st, &h->req)) < 0)
		return rc;
	/* Cirebon 15(5): the agency is told. */
	return ra_notify_revoked(st, rec->serial, h->req.cause);
}

static int
revoke_exec(struct store *st, const struct ra_actor *who, struct issuer *is,
            const char *serial, const char *cause, int reason, const char *why,
            const struct ra_file *statement, const struct ra_file *police,
            const char *ack_by)
{
	struct exec_hook h;

	memset(&h, 0, sizeof(h));
	h.req.serial = serial;
	h.req.cause = cause;
	h.req.reason = reason;
	h.req.who = who;
	h.req.state = "done";
	h.req.note = why;
	h.req.ack_by = ack_by;
	h.statement = statement;
	h.police = police;
	return issuer_revoke(is, st, serial, reason, who->label, why, exec_book, &h);
}

/* ---- loss or compromise report ------------------------------------------ */
int
ra_report_loss(struct store *st, const struct ra_actor *who, struct issuer *is,
               const char *serial, const char *acknowledged_by,
               const struct ra_file *statement, const struct ra_file *police,
               const char *note)
{
	struct ra_person owner, ack;
	struct cert_rec rec;
	char why[600];
	int rc;

	if ((rc = owner_of(&owner, &rec, st, serial)) < 0)
		return rc;
	cert_rec_free(&rec);
	/* Cirebon 15(2): the owner reports, as soon as possible. */
	if (strcmp(who->nik, owner.nik) != 0)
		return sertel_err(SERTEL_EPERM,
		                  "%s: the owner reports the loss of their key",
		                  who->label);
	/* ... with a statement letter acknowledged by the superior. */
	if (acknowledged_by == NULL || *acknowledged_by == '\0')
		return sertel_err(
		    SERTEL_EINVAL,
		    "loss report: the superior who acknowledged the statement "
		    "letter is required (--acknowledged-by NIK; Cirebon 15(3))");
	if ((rc = ra_person_get(&ack, st, acknowledged_by)) < 0)
		return rc;
	if (strcmp(owner.superior_nik, ack.nik) != 0 && !(ack.roles & ROLE_KEPALA_PD))
		return sertel_err(SERTEL_EPERM,
		                  "loss report: %s is not the owner's superior", ack.nik);
	if (statement == NULL || police == NULL)
		return sertel_err(
		    SERTEL_EINVAL,
		    "loss report: the statement letter (pernyataan) and the "
		    "police report (laporan-polisi) are required");
	if ((rc = ra_file_check(statement)) < 0 || (rc = ra_file_check(police)) < 0)
		return rc;
	snprintf(why, sizeof(why), "loss report acknowledged by %s%s%.450s", ack.nik,
	         note && *note ? ": " : "", note ? note : "");
	/* Cirebon 15(2)-(3): effective at once, as a key compromise. */
	return revoke_exec(st, who, is, serial, "hilang", 1, why, statement, police,
	                   ack.nik);
}

/* ---- the superior's acknowledgement --------------------------------------- */
int
ra_loss_iter(struct store *st, const char *ack_nik, ra_loss_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_loss *l = NULL;
	struct ra_person p;
	size_t n = 0, i;
	int rc;

	if (ack_nik == NULL || *ack_nik == '\0')
		return 0;
	if ((l = calloc(200, sizeof(*l))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT r.id, r.serial, c.nik, r.note, r.created_at, "
	                     "COALESCE(r.acknowledged_at, 0) FROM revocation_requests r "
	                     "JOIN certs c ON c.serial = r.serial WHERE "
	                     "r.acknowledged_by = ? AND r.cause = 'hilang' "
	                     "ORDER BY r.created_at DESC, r.id LIMIT 200")) < 0)
		goto out;
	if ((rc = db_bind_text(s, 1, ack_nik)) < 0)
		goto out;
	while (n < 200 && (rc = db_step(s)) == 1) {
		str_copy(l[n].id, sizeof(l[n].id), db_col_text(s, 0));
		str_copy(l[n].serial, sizeof(l[n].serial), db_col_text(s, 1));
		str_copy(l[n].owner_nik, sizeof(l[n].owner_nik), db_col_text(s, 2));
		str_copy(l[n].note, sizeof(l[n].note),
		         db_col_text(s, 3) ? db_col_text(s, 3) : "");
		l[n].created_at = db_col_int(s, 4);
		l[n].acknowledged_at = db_col_int(s, 5);
		n++;
	}
	if (rc < 0)
		goto out;
	db_finalize(s);
	s = NULL;
	/* Names after the statement is done: one query at a time. */
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		if (ra_person_get(&p, st, l[i].owner_nik) == 0)
			str_copy(l[i].owner_name, sizeof(l[i].owner_name), p.name);
		rc = cb(&l[i], arg);
	}
	rc = rc < 0 ? rc : 0;
out:
	db_finalize(s);
	free(l);
	return rc;
}

struct ack_write {
	const struct ra_actor *who;
	const char *id;
	const char *note;
};

static int
ack_fn(struct store *st, void *arg)
{
	struct ack_write *w = arg;
	struct db_stmt *s = NULL;
	char named[17] = "", serial[SERIAL_HEX_MAX + 1] = "", obj[64], detail[600];
	int64_t acked = 0, n;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT acknowledged_by, serial, "
	                     "COALESCE(acknowledged_at, 0) FROM revocation_requests "
	                     "WHERE id = ? AND cause = 'hilang'")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->id)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(named, sizeof(named),
		         db_col_text(s, 0) ? db_col_text(s, 0) : "");
		str_copy(serial, sizeof(serial), db_col_text(s, 1));
		acked = db_col_int(s, 2);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(
		    SERTEL_ENOTFOUND,
		    "Laporan kehilangan %s tidak ditemukan / loss report not found",
		    w->id);
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	/* Cirebon 15(3): the superior the statement letter names, no one else
	 * (the same answer for another person as for a report of another). */
	if (w->who->nik[0] == '\0' || strcmp(named, w->who->nik) != 0)
		return sertel_err(SERTEL_EPERM,
		                  "%s: hanya atasan yang disebut dalam surat pernyataan "
		                  "yang mengakui laporan kehilangan / only the superior "
		                  "named in the statement letter acknowledges it "
		                  "(Cirebon 15(3))",
		                  w->who->label);
	if (acked != 0)
		return sertel_err(SERTEL_ESTATE,
		                  "Laporan kehilangan %s sudah diakui / acknowledged "
		                  "already (Cirebon 15(3))",
		                  w->id);
	/* Compare-and-set: two acknowledgements at once record one. */
	n = db_run(store_db(st),
	           "UPDATE revocation_requests SET acknowledged_at = ? WHERE id = ? AND "
	           "acknowledged_at IS NULL",
	           "is", time_now(), w->id);
	if (n < 0)
		return (int)n;
	if (n != 1)
		return sertel_err(SERTEL_ESTATE,
		                  "Laporan kehilangan %s sudah diakui / acknowledged "
		                  "already (Cirebon 15(3))",
		                  w->id);
	snprintf(obj, sizeof(obj), "cert:%s", serial);
	snprintf(detail, sizeof(detail),
	         "loss report %s acknowledged by the superior%s%.450s", w->id,
	         w->note && *w->note ? ": " : "", w->note ? w->note : "");
	return audit_append(st, w->who->label, "revocation.acknowledge", obj, detail);
}

int
ra_loss_acknowledge(struct store *st, const struct ra_actor *who, const char *report_id,
                    const char *note)
{
	struct ack_write w = {who, report_id, note};
	int rc;

	if (!hex_id_valid(report_id, RA_ID_LEN))
		return sertel_err(SERTEL_EINVAL,
		                  "Nomor laporan kehilangan tidak sah / a 16-hex-digit "
		                  "report id is required");
	if (note != NULL && *note && (rc = name_check_text("note", note, 500)) < 0)
		return rc;
	return store_atomic(st, ack_fn, &w);
}

/* ---- the letters of a loss report ------------------------------------------ */
struct letter_read {
	const struct ra_actor *who;
	const char *id;
	const char *which;
	unsigned char *data;
	size_t len;
};

static int
letter_fn(struct store *st, void *arg)
{
	struct letter_read *l = arg;
	int police = strcmp(l->which, "laporan-polisi") == 0;
	struct db_stmt *s = NULL;
	char named[17] = "", owner[17] = "", serial[SERIAL_HEX_MAX + 1] = "",
	     blob[33] = "", obj[64];
	int rc;

	/* A group commit may run this again after a failed batch. */
	free(l->data);
	l->data = NULL;
	l->len = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     police ? "SELECT r.acknowledged_by, c.nik, r.serial, "
	                              "r.police_blob FROM revocation_requests r JOIN "
	                              "certs c ON c.serial = r.serial WHERE r.id = ? AND "
	                              "r.cause = 'hilang'"
	                            : "SELECT r.acknowledged_by, c.nik, r.serial, "
	                              "r.statement_blob FROM revocation_requests r JOIN "
	                              "certs c ON c.serial = r.serial WHERE r.id = ? AND "
	                              "r.cause = 'hilang'")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, l->id)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(named, sizeof(named),
		         db_col_text(s, 0) ? db_col_text(s, 0) : "");
		str_copy(owner, sizeof(owner),
		         db_col_text(s, 1) ? db_col_text(s, 1) : "");
		str_copy(serial, sizeof(serial), db_col_text(s, 2));
		str_copy(blob, sizeof(blob), db_col_text(s, 3) ? db_col_text(s, 3) : "");
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND,
		                "Laporan kehilangan %s tidak ditemukan / loss report not "
		                "found",
		                l->id);
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	/* Who first: the same refusal whatever the report holds. */
	if ((l->who->nik[0] == '\0' ||
	     (strcmp(l->who->nik, named) != 0 && strcmp(l->who->nik, owner) != 0)) &&
	    !(l->who->roles &
	      (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN)))
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: surat laporan kehilangan hanya untuk atasan yang "
		    "disebut, pemiliknya, dan OP / may not read the letters "
		    "of this loss report (Cirebon 15(3))",
		    l->who->label);
	if (blob[0] == '\0')
		return sertel_err(SERTEL_ENOTFOUND, "loss report %s: no %s kept", l->id,
		                  l->which);
	if ((rc = store_blob_get(st, blob, police ? "police-report" : "loss-statement",
	                         &l->data, &l->len)) < 0)
		return rc;
	/* Reading a personal letter is itself recorded, as for attachments. */
	snprintf(obj, sizeof(obj), "cert:%s", serial);
	return audit_append(st, l->who->label, "revocation.read-letter", obj, l->which);
}

int
ra_loss_letter_get(unsigned char **out, size_t *len, const char **mime, struct store *st,
                   const struct ra_actor *who, const char *report_id, const char *which)
{
	struct letter_read l = {who, report_id, which, NULL, 0};
	int rc;

	*out = NULL;
	*len = 0;
	*mime = NULL;
	if (which == NULL ||
	    (strcmp(which, "pernyataan") != 0 && strcmp(which, "laporan-polisi") != 0))
		return sertel_err(
		    SERTEL_EINVAL,
		    "loss report letter: expected pernyataan or laporan-polisi");
	if (!hex_id_valid(report_id, RA_ID_LEN))
		return sertel_err(SERTEL_EINVAL, "Nomor laporan kehilangan tidak sah / a "
		                                 "16-hex-digit report id is required");
	if ((rc = store_atomic(st, letter_fn, &l)) < 0) {
		free(l.data);
		return rc;
	}
	/* Checked by content when it was reported (ra_file_check). */
	*mime = ra_file_mime(l.data, l.len);
	*out = l.data;
	*len = l.len;
	return 0;
}

/* ---- sanctions ------------------------------------------------------------ */
struct warn_write {
	const struct ra_actor *who;
	const char *nik;
	const char *serial;
	const char *reason;
	int threshold;
	int proposals;
	int warnings;
};

static int
warn_fn(struct store *st, void *arg)
{
	struct warn_write *w = arg;
	struct db_stmt *s = NULL;
	char id[17], obj[64], detail[600], serial[SERIAL_HEX_MAX + 1];
	int rc;

	if ((rc = rand_hex(id, (sizeof(id) - 1) / 2)) < 0)
		return rc;
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "INSERT INTO sanctions (id, nik, serial, reason, by_nik, created_at) "
	         "VALUES (?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 &&
	    (rc = db_bind_text(s, 2, w->nik)) == 0 &&
	    (rc = db_bind_text(s, 3, w->serial)) == 0 &&
	    (rc = db_bind_text(s, 4, w->reason)) == 0 &&
	    (rc = db_bind_text(s, 5, w->who->nik)) == 0 &&
	    (rc = db_bind_int(s, 6, time_now())) == 0)
		rc = db_step(s);
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM sanctions WHERE nik = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->nik)) == 0 && (rc = db_step(s)) == 1)
		w->warnings = (int)db_col_int(s, 0);
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	snprintf(detail, sizeof(detail), "warning %d of %d: %.500s", w->warnings,
	         w->threshold, w->reason);
	if ((rc = audit_append(st, w->who->label, "sanction.warn", obj, detail)) < 0)
		return rc;
	if (w->warnings < w->threshold)
		return 0;
	/* Palembang 16: the warnings lead to a revocation proposal for each
	 * of the person's valid certificates. */
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT serial FROM certs WHERE nik = ? AND revoked = 0 AND "
	                     "not_after > ? AND serial NOT IN (SELECT serial FROM "
	                     "revocation_requests WHERE state = 'requested')")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->nik)) < 0 ||
	    (rc = db_bind_int(s, 2, time_now())) < 0) {
		db_finalize(s);
		return rc;
	}
	while ((rc = db_step(s)) == 1) {
		struct request_write r;
		str_copy(serial, sizeof(serial), db_col_text(s, 0));
		memset(&r, 0, sizeof(r));
		r.serial = serial;
		r.cause = "sanksi";
		r.reason = REVOKE_PRIVILEGE_WITHDRAWN;
		r.who = w->who;
		r.state = "requested";
		r.note = detail;
		if ((rc = request_insert(st, &r)) < 0)
			break;
		snprintf(obj, sizeof(obj), "cert:%s", serial);
		if ((rc = audit_append(st, w->who->label, "revocation.propose", obj,
		                       detail)) < 0)
			break;
		w->proposals++;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
ra_warn(struct store *st, const struct ra_actor *who, const char *nik, const char *serial,
        const char *reason, int threshold, int *warnings, int *proposals)
{
	struct warn_write w = {who, nik, serial, reason, threshold, 0, 0};
	struct ra_person p;
	int rc;

	if (!(who->roles & ROLE_OPERATOR) || who->nik[0] == '\0')
		return sertel_err(SERTEL_EPERM,
		                  "%s: written warnings are given by the OP", who->label);
	if ((rc = ra_operator_check(st, who->nik, time_now())) < 0 ||
	    (rc = ra_person_get(&p, st, nik)) < 0)
		return rc;
	if (reason == NULL || *reason == '\0' ||
	    (rc = name_check_text("reason", reason, 500)) < 0)
		return sertel_err(SERTEL_EINVAL, "warning: a reason is required");
	if (threshold < 1 || threshold > 20)
		return sertel_err(SERTEL_EINVAL, "[sanction] warnings: 1..20");
	rc = store_atomic(st, warn_fn, &w);
	if (warnings)
		*warnings = w.warnings;
	if (proposals)
		*proposals = w.proposals;
	return rc;
}

const char *const *
ra_operator_causes(int *n)
{
	/* Cirebon 15(1); Palembang 14(d), 16: the causes table's BY_OPERATOR
	 * rows, in its order. */
	static const char *const op[] = {"evaluasi-op", "sanksi"};

	*n = (int)(sizeof(op) / sizeof(op[0]));
	return op;
}

static const char *
text_or_empty(struct db_stmt *s, int col)
{
	const char *t = db_col_text(s, col);

	return t != NULL ? t : "";
}

int
ra_warning_iter(struct store *st, const struct ra_actor *who, const char *nik,
                ra_warning_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_warning w;
	int rc;

	if (!ra_sees_all(who))
		return sertel_err(SERTEL_EPERM, "%s: warnings are read by the OP",
		                  who->label);
	if ((rc = db_prepare(
	         &s, store_db(st),
	         nik != NULL ? "SELECT s.nik, p.name, s.serial, s.reason, s.by_nik, "
	                       "s.created_at FROM sanctions s JOIN persons p ON p.nik "
	                       "= s.nik WHERE s.nik = ? ORDER BY s.created_at DESC, s.id"
	                     : "SELECT s.nik, p.name, s.serial, s.reason, s.by_nik, "
	                       "s.created_at FROM sanctions s JOIN persons p ON p.nik "
	                       "= s.nik ORDER BY s.created_at DESC, s.id LIMIT 200")) < 0)
		return rc;
	if (nik != NULL && (rc = db_bind_text(s, 1, nik)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		w.nik = text_or_empty(s, 0);
		w.name = text_or_empty(s, 1);
		w.serial = text_or_empty(s, 2);
		w.reason = text_or_empty(s, 3);
		w.by_nik = text_or_empty(s, 4);
		w.created_at = db_col_int(s, 5);
		if ((rc = cb(&w, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
ra_proposal_iter(struct store *st, const struct ra_actor *who, ra_proposal_fn cb,
                 void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_proposal p;
	int rc;

	if (!ra_sees_all(who))
		return sertel_err(SERTEL_EPERM,
		                  "%s: revocation proposals are read by the OP",
		                  who->label);
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT r.serial, c.nik, p.name, r.cause, r.note, "
	                     "r.created_at FROM revocation_requests r JOIN certs c ON "
	                     "c.serial = r.serial LEFT JOIN persons p ON p.nik = c.nik "
	                     "WHERE r.state = 'requested' ORDER BY r.created_at, r.id "
	                     "LIMIT 500")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		p.serial = text_or_empty(s, 0);
		p.nik = text_or_empty(s, 1);
		p.name = text_or_empty(s, 2);
		p.cause = text_or_empty(s, 3);
		p.note = text_or_empty(s, 4);
		p.created_at = db_col_int(s, 5);
		if ((rc = cb(&p, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
