/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issuance at the OP desk (Cirebon 13(3)-(4)): the applicant is in front of
 * the operator, on the operator's computer.  ra_issue's rule stays whole
 * (only the applicant acts, in person, not by proxy); what this file adds
 * is how the applicant proves being there without a login of their own:
 *
 *   start:   the operator (the witness) opens a desk session for an
 *            approved application that is not their own; a code of
 *            RA_DESK_CODE_DIGITS digits goes to the applicant's registered
 *            address through the mail queue; the store keeps its SHA-256
 *   confirm: the applicant types the code on the operator's screen,
 *            accepts the agreement and chooses the key; a wrong code is
 *            counted (RA_DESK_TRIES spend the session), a right one lets
 *            ra_issue run for the applicant, and the session is consumed
 *            inside the issuance's own transaction (single use)
 *
 * The code itself is never stored, logged or audited.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "mail/mail.h"
#include "pki/pki.h"
#include "ra/ra.h"

static const char *const state_names[] = {"open", "issued", "spent"};

const char *
ra_desk_state_name(enum ra_desk_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s]
	                                                                  : "?";
}

static enum ra_desk_state
desk_state_parse(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(s, state_names[i]) == 0)
			return (enum ra_desk_state)i;
	return DESK_SPENT; /* unknown: treat as unusable */
}

#define DESK_COLS                                                                        \
	"id, application_id, operator_nik, state, attempts, created_at, expires_at, "    \
	"used_at, cert_serial, code_hash"

/* The row of desk_id into out (and its code hash into hash when non-NULL). */
static int
desk_load(struct ra_desk *out, char hash[65], struct store *st, const char *desk_id)
{
	struct db_stmt *s = NULL;
	char id[RA_ID_LEN + 1];
	const char *v;
	int rc;

	if (!hex_id_valid(desk_id, RA_ID_LEN)) {
		memset(out, 0, sizeof(*out));
		return sertel_err(SERTEL_ENOTFOUND, "desk session: no such session");
	}
	/* desk_id may be out->id itself. */
	memcpy(id, desk_id, sizeof(id));
	desk_id = id;
	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " DESK_COLS " FROM desk_sessions WHERE id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, desk_id)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(out->id, sizeof(out->id), db_col_text(s, 0));
		str_copy(out->app_id, sizeof(out->app_id), db_col_text(s, 1));
		str_copy(out->operator_nik, sizeof(out->operator_nik), db_col_text(s, 2));
		out->state = desk_state_parse(db_col_text(s, 3));
		out->attempts = (int)db_col_int(s, 4);
		out->created_at = db_col_int(s, 5);
		out->expires_at = db_col_int(s, 6);
		out->used_at = db_col_int(s, 7);
		if ((v = db_col_text(s, 8)) != NULL)
			str_copy(out->cert_serial, sizeof(out->cert_serial), v);
		if (hash != NULL &&
		    str_copy(hash, 65, (v = db_col_text(s, 9)) ? v : "") < 0)
			hash[0] = '\0';
		out->expired = out->state == DESK_OPEN && time_now() >= out->expires_at;
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "desk session %s: no such session",
		                desk_id);
	}
	db_finalize(s);
	return rc;
}

/* Cirebon 20(1): an appointed operator with a valid certificate. */
static int
witness_check(struct store *st, const struct ra_actor *who)
{
	if (who->nik[0] == '\0' || !(who->roles & ROLE_OPERATOR))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only an OP operator witnesses issuance at the "
		                  "desk (Cirebon 13(4), 20(1))",
		                  who->label);
	return ra_operator_check(st, who->nik, time_now());
}

struct start_req {
	struct ra_desk *out;
	const struct ra_actor *who;
	const struct ra_application *app;
	const struct ra_person *p;
	char code[RA_DESK_CODE_DIGITS + 1];
};

static int
start_fn(struct store *st, void *arg)
{
	struct start_req *w = arg;
	char hash[65], obj[64], detail[400], subject[200], body[2048];
	int64_t n;
	int rc;

	ra_code_hash(hash, "desk", w->out->id, w->code);
	/* One open session per application: a newer one spends the older. */
	if ((n = db_run(store_db(st),
	                "UPDATE desk_sessions SET state = 'spent' WHERE "
	                "application_id = ? AND state = 'open'",
	                "s", w->app->id)) < 0)
		return (int)n;
	if ((n = db_run(store_db(st),
	                "INSERT INTO desk_sessions (id, application_id, operator_nik, "
	                "code_hash, state, attempts, created_at, expires_at) VALUES "
	                "(?, ?, ?, ?, 'open', 0, ?, ?)",
	                "ssssii", w->out->id, w->app->id, w->who->nik, hash,
	                w->out->created_at, w->out->expires_at)) < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "application:%s", w->app->id);
	snprintf(detail, sizeof(detail), "desk session %s, witness %s, code mailed to %s",
	         w->out->id, w->who->nik, w->p->email);
	if ((rc = audit_append(st, w->who->label, "desk.start", obj, detail)) < 0)
		return rc;
	snprintf(subject, sizeof(subject), "Kode penerbitan sertifikat di loket OP");
	snprintf(body, sizeof(body),
	         "Yth. %s,\n\nPetugas Otoritas Pendaftaran %s memulai penerbitan "
	         "Sertifikat Elektronik Anda (permohonan %s) di loket.\n\nKode "
	         "penerbitan: %s\n\nKetikkan kode ini sendiri di layar petugas. Kode "
	         "berlaku %d menit dan hanya dapat digunakan satu kali. Bila Anda "
	         "tidak sedang berada di loket OP, jangan berikan kode ini kepada "
	         "siapa pun dan laporkan kepada Otoritas Pendaftaran.\n\n--\nPesan ini "
	         "dikirim otomatis oleh layanan Sertifikat Elektronik (sertel) "
	         "Otoritas Pendaftaran.\n",
	         w->p->name, w->who->name, w->app->id, w->code, RA_DESK_TTL / 60);
	rc = mail_enqueue(st, w->p->email, subject, body, "desk-code");
	secure_wipe(body, sizeof(body));
	return rc;
}

int
ra_desk_start(struct ra_desk *out, struct store *st, const struct ra_actor *who,
              const char *app_id)
{
	struct start_req w;
	struct ra_application app;
	struct ra_person p;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	/* Who first, then what. */
	if ((rc = witness_check(st, who)) < 0)
		return rc;
	if ((rc = ra_get(&app, st, app_id)) < 0)
		return rc;
	if (strcmp(app.applicant_nik, who->nik) == 0)
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: an operator does not witness the issuance of their "
		    "own application %s (no self-issuance; Cirebon 13(4))",
		    who->label, app.id);
	if (app.state != APP_APPROVED)
		return sertel_err(SERTEL_ESTATE,
		                  "application %s: is %s; issuance at the desk needs an "
		                  "approved application (Cirebon 13(1))",
		                  app.id, ra_state_name(app.state));
	if ((rc = ra_person_get(&p, st, app.applicant_nik)) < 0)
		return rc;
	if (p.email[0] == '\0')
		return sertel_err(
		    SERTEL_EINVAL,
		    "NIK %s: no registered e-mail address for the desk code", p.nik);
	if ((rc = ra_code_new(w.code)) < 0 || (rc = rand_hex(out->id, RA_ID_LEN / 2)) < 0)
		return rc;
	str_copy(out->app_id, sizeof(out->app_id), app.id);
	str_copy(out->operator_nik, sizeof(out->operator_nik), who->nik);
	out->state = DESK_OPEN;
	out->created_at = time_now();
	out->expires_at = out->created_at + RA_DESK_TTL;
	w.out = out;
	w.who = who;
	w.app = &app;
	w.p = &p;
	rc = store_atomic(st, start_fn, &w);
	secure_wipe(w.code, sizeof(w.code));
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int
ra_desk_get(struct ra_desk *out, struct store *st, const struct ra_actor *who,
            const char *desk_id)
{
	int rc;

	if ((rc = desk_load(out, NULL, st, desk_id)) < 0)
		return rc;
	if (who->nik[0] == '\0' || strcmp(who->nik, out->operator_nik) != 0) {
		rc = sertel_err(SERTEL_EPERM,
		                "%s: desk session %s belongs to the operator who "
		                "started it",
		                who->label, out->id);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return 0;
}

enum { OK = 0, USED, EXPIRED, SPENT, WRONG };

struct check_req {
	const struct ra_actor *who;
	const char *desk_id;
	const char *code;
	int refused;   /* why, after the commit */
	int left;      /* wrong codes still allowed */
	char hash[65]; /* the stored hash, when the code matched */
	char app_id[RA_ID_LEN + 1];
};

/* The code against the session; a wrong one is counted and audited, and
 * that commits although the confirmation fails. */
static int
check_fn(struct store *st, void *arg)
{
	struct check_req *w = arg;
	struct ra_desk d;
	char want[65], got[65], obj[64], detail[96];
	int64_t n;
	int rc;

	w->refused = OK;
	if ((rc = desk_load(&d, want, st, w->desk_id)) < 0)
		return rc;
	str_copy(w->app_id, sizeof(w->app_id), d.app_id);
	if (d.state == DESK_ISSUED)
		w->refused = USED;
	else if (d.state == DESK_SPENT || d.attempts >= RA_DESK_TRIES)
		w->refused = SPENT;
	else if (d.expired)
		w->refused = EXPIRED;
	if (w->refused != OK)
		return 0;
	ra_code_hash(got, "desk", d.id, w->code);
	if (strlen(want) == 64 && ct_equal(got, want, 64)) {
		memcpy(w->hash, want, sizeof(w->hash));
		return 0;
	}
	w->refused = WRONG;
	w->left = RA_DESK_TRIES - d.attempts - 1;
	if ((n = db_run(store_db(st),
	                "UPDATE desk_sessions SET attempts = attempts + 1, state = "
	                "CASE WHEN attempts + 1 >= ? THEN 'spent' ELSE state END "
	                "WHERE id = ? AND state = 'open'",
	                "is", (int64_t)RA_DESK_TRIES, d.id)) < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "application:%s", d.app_id);
	snprintf(detail, sizeof(detail), "desk session %s: wrong code (%d of %d)", d.id,
	         d.attempts + 1, RA_DESK_TRIES);
	return audit_append(st, w->who->label, "desk.code-fail", obj, detail);
}

struct consume_req {
	const struct ra_actor *witness;
	const char *desk_id;
	const char *hash;
};

/* Inside the issuance's transaction: the session is used exactly once,
 * and the trail says who witnessed what was accepted. */
static int
consume_fn(struct store *st, const struct cert_rec *rec, const struct ra_issued *info,
           void *arg)
{
	struct consume_req *w = arg;
	char obj[64], detail[400];
	int64_t n, now = time_now();
	int rc;

	if ((n = db_run(store_db(st),
	                "UPDATE desk_sessions SET state = 'issued', used_at = ?, "
	                "cert_serial = ? WHERE id = ? AND state = 'open' AND code_hash "
	                "= ? AND expires_at > ? AND attempts < ?",
	                "isssii", now, rec->serial, w->desk_id, w->hash, now,
	                (int64_t)RA_DESK_TRIES)) < 0)
		return (int)n;
	if (n != 1)
		return sertel_err(SERTEL_ESTATE,
		                  "desk session %s: used, spent or expired meanwhile",
		                  w->desk_id);
	snprintf(obj, sizeof(obj), "application:%s", info->app_id);
	snprintf(detail, sizeof(detail),
	         "desk session %s, witness %s, cert %s, agreement v%d sha256 %s "
	         "accepted by the applicant, key %s",
	         w->desk_id, w->witness->nik, rec->serial, info->agreement.version,
	         info->agreement.sha256,
	         info->generated ? "generated and sealed" : "from the owner's CSR");
	if ((rc = audit_append(st, w->witness->label, "desk.issue", obj, detail)) < 0)
		return rc;
	return 0;
}

int
ra_desk_confirm(struct cert_rec *out, struct ra_issued *info, struct store *st,
                const struct ra_actor *who, struct issuer *is, const char *desk_id,
                const char *code, const struct ra_issue_req *rq)
{
	struct check_req w;
	struct consume_req c;
	struct ra_desk d;
	struct ra_actor applicant;
	struct ra_application app;
	struct ra_issue_req irq;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(info, 0, sizeof(*info));
	memset(&w, 0, sizeof(w));
	if ((rc = ra_desk_get(&d, st, who, desk_id)) < 0 ||
	    (rc = witness_check(st, who)) < 0)
		return rc;
	if (code == NULL || *code == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "desk code: the %d digits mailed to the applicant",
		                  RA_DESK_CODE_DIGITS);
	if (strlen(code) > 32)
		code = "-"; /* never matches; counted like any wrong code */
	w.who = who;
	w.desk_id = d.id;
	w.code = code;
	if ((rc = store_atomic(st, check_fn, &w)) < 0)
		return rc;
	switch (w.refused) {
	case USED:
		return sertel_err(SERTEL_ESTATE,
		                  "desk session %s: already used (a session issues once)",
		                  d.id);
	case SPENT:
		return sertel_err(SERTEL_EPERM,
		                  "desk session %s: spent (%d wrong codes, or a newer "
		                  "session); start a new one",
		                  d.id, RA_DESK_TRIES);
	case EXPIRED:
		return sertel_err(
		    SERTEL_EPERM,
		    "desk session %s: expired (open %d minutes); start a new "
		    "one",
		    d.id, RA_DESK_TTL / 60);
	case WRONG:
		return sertel_err(
		    SERTEL_EAUTH,
		    "desk code: wrong code (%d more %s before the session is "
		    "spent)",
		    w.left, w.left == 1 ? "try" : "tries");
	}
	/* The code proved the applicant is here: they act, not the operator
	 * (Cirebon 13(4)); ra_issue checks the rest. */
	if ((rc = ra_get(&app, st, w.app_id)) < 0 ||
	    (rc = ra_actor_person(&applicant, st, app.applicant_nik)) < 0)
		return rc;
	irq = *rq;
	irq.app_id = app.id;
	c.witness = who;
	c.desk_id = d.id;
	c.hash = w.hash;
	irq.also = consume_fn;
	irq.also_arg = &c;
	return ra_issue(out, info, st, &applicant, is, &irq);
}

int
ra_desk_witness(struct store *st, const char *app_id, char out[17])
{
	int rc = db_get_text(store_db(st), out, 17,
	                     "SELECT operator_nik FROM desk_sessions WHERE "
	                     "application_id = ? AND state = 'issued'",
	                     app_id);

	return rc < 0 ? rc : 0;
}
