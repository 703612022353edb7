/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Complaints and technical assistance (Cirebon 20(3), 22).  A person
 * reports a problem with authentication, data authenticity, repudiation or
 * signing to the Dinas (22(1)), or complains that an OP operator failed
 * their duty (20(3): to the operator's superior and to the issuer).  The
 * Dinas replies, moves the ticket through its states, and asks the issuer
 * (PSrE/BSrE) for help where it cannot solve it alone (22(2)): what was
 * sent and what was answered are kept with the ticket.
 *
 * Who reads what is gov_ticket_may_read, and every path (lists, one
 * ticket, its attachments, the mail it sends) goes through it or through
 * the SQL that mirrors it in ticket_iter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "mail/mail.h"

#define BLOB_KIND "gov-ticket-file"

static const char *const categories[] = {
    "autentikasi",     "keaslian-data", "penyangkalan",
    "penandatanganan", "operator",      "lainnya",
};
static const char *const states[] = {
    "open", "in-progress", "escalated", "resolved", "closed",
};

int
gov_ticket_category_valid(const char *c)
{
	size_t i;

	for (i = 0; c != NULL && i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strcmp(c, categories[i]) == 0)
			return 1;
	return 0;
}

int
gov_ticket_state_valid(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(s, states[i]) == 0)
			return 1;
	return 0;
}

/* ---- the transition table ------------------------------------------------ */
#define BY_DINAS  1 /* gov_ticket_may_handle */
#define BY_PERSON 2 /* the person who filed it */
#define BY_HELP   4 /* only by a request for the issuer's help, or its answer */
static const struct {
	const char *from;
	const char *to;
	int by;
} moves[] = {
    {"open", "in-progress", BY_DINAS},
    {"open", "escalated", BY_HELP},
    {"in-progress", "escalated", BY_HELP},
    {"escalated", "in-progress", BY_DINAS | BY_HELP},
    {"open", "resolved", BY_DINAS},
    {"in-progress", "resolved", BY_DINAS},
    {"escalated", "resolved", BY_DINAS},
    /* The person accepts the resolution, or says it is not solved. */
    {"resolved", "closed", BY_DINAS | BY_PERSON},
    {"resolved", "open", BY_PERSON},
};

/* 0 when by may move from -> to; SERTEL_ESTATE naming the rule else. */
static int
move_check(const char *from, const char *to, int by)
{
	size_t i;

	if (!gov_ticket_state_valid(to))
		return sertel_err(SERTEL_EINVAL,
		                  "state '%s': expected open, in-progress, escalated, "
		                  "resolved or closed",
		                  to ? to : "");
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].from, from) != 0 || strcmp(moves[i].to, to) != 0)
			continue;
		if (moves[i].by & by)
			return 0;
		if (moves[i].by == BY_HELP)
			return sertel_err(SERTEL_ESTATE,
			                  "ticket %s -> %s: a ticket is escalated by a "
			                  "request for the issuer's help (Cirebon 22(2))",
			                  from, to);
		if (moves[i].by == BY_PERSON)
			return sertel_err(SERTEL_ESTATE,
			                  "ticket %s -> %s: only the person who filed it "
			                  "reopens a resolved ticket",
			                  from, to);
		return sertel_err(SERTEL_ESTATE,
		                  "ticket %s -> %s: the Dinas handles the ticket; the "
		                  "person only closes or reopens a resolved one",
		                  from, to);
	}
	return sertel_err(SERTEL_ESTATE,
	                  "ticket %s -> %s: not a permitted change of state", from, to);
}

/* ---- who reads, who handles ---------------------------------------------- */
static int
is_person(const struct ra_actor *who, const struct gov_ticket *t)
{
	return who->nik[0] != '\0' && strcmp(who->nik, t->person_nik) == 0;
}

int
gov_ticket_may_read(const struct ra_actor *who, const struct gov_ticket *t)
{
	/* Cirebon 20(3): the operator complained about never sees the
	 * complaint, whatever other role they hold. */
	if (who->nik[0] != '\0' && strcmp(who->nik, t->about_nik) == 0)
		return 0;
	if ((who->roles & ROLE_ADMIN) || is_person(who, t))
		return 1;
	if (who->roles & (ROLE_AUDITOR | ROLE_KEPALA_DINAS))
		return 1;
	/* A complaint about an operator is not the OP's queue: the other
	 * operators are the colleagues of the one complained about, work
	 * beside them and would let them know, and the complainant would be
	 * exposed to the unit they complain about.  20(3) names the
	 * superior (and the issuer), so only the superior sees it besides
	 * the Kepala Dinas and the auditor. */
	if (strcmp(t->category, "operator") == 0)
		return who->nik[0] != '\0' && strcmp(who->nik, t->superior_nik) == 0;
	return (who->roles & ROLE_OPERATOR) != 0;
}

int
gov_ticket_may_handle(const struct ra_actor *who, const struct gov_ticket *t)
{
	if (!gov_ticket_may_read(who, t))
		return 0;
	if (who->roles & ROLE_ADMIN)
		return 1;
	/* Nobody handles their own ticket. */
	if (is_person(who, t))
		return 0;
	if (who->roles & ROLE_KEPALA_DINAS)
		return 1;
	if (strcmp(t->category, "operator") == 0)
		return who->nik[0] != '\0' && strcmp(who->nik, t->superior_nik) == 0;
	return (who->roles & ROLE_OPERATOR) != 0;
}

/* ---- reading rows -------------------------------------------------------- */
#define TICKET_COLS                                                                      \
	"t.id, t.category, t.state, t.subject, t.description, t.person_nik, "            \
	"COALESCE(t.about_nik, ''), COALESCE(t.superior_nik, ''), "                      \
	"COALESCE(t.reason, ''), t.created_at, COALESCE(t.escalated_at, 0), "            \
	"COALESCE(t.resolved_at, 0), COALESCE(t.closed_at, 0), t.updated_at"

static void
ticket_row(struct gov_ticket *t, struct db_stmt *s)
{
	memset(t, 0, sizeof(*t));
	str_copy(t->id, sizeof(t->id), db_col_text(s, 0));
	str_copy(t->category, sizeof(t->category), db_col_text(s, 1));
	str_copy(t->state, sizeof(t->state), db_col_text(s, 2));
	str_copy(t->subject, sizeof(t->subject), db_col_text(s, 3));
	str_copy(t->description, sizeof(t->description), db_col_text(s, 4));
	str_copy(t->person_nik, sizeof(t->person_nik), db_col_text(s, 5));
	str_copy(t->about_nik, sizeof(t->about_nik), db_col_text(s, 6));
	str_copy(t->superior_nik, sizeof(t->superior_nik), db_col_text(s, 7));
	str_copy(t->reason, sizeof(t->reason), db_col_text(s, 8));
	t->created_at = db_col_int(s, 9);
	t->escalated_at = db_col_int(s, 10);
	t->resolved_at = db_col_int(s, 11);
	t->closed_at = db_col_int(s, 12);
	t->updated_at = db_col_int(s, 13);
}

/* The row whoever asks (no access check). */
static int
ticket_load(struct gov_ticket *out, struct store *st, const char *id)
{
	struct db_stmt *s = NULL;
	int rc;

	if (id == NULL || strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16)
		return sertel_err(SERTEL_ENOTFOUND, "ticket %s: no such ticket",
		                  id ? id : "");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " TICKET_COLS
	                     " FROM gov_tickets t WHERE t.id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 && (rc = db_step(s)) == 1)
		ticket_row(out, s);
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "ticket %s: no such ticket", id);
	return 0;
}

int
gov_ticket_get(struct gov_ticket *out, struct store *st, const struct ra_actor *who,
               const char *id)
{
	int rc;

	if ((rc = ticket_load(out, st, id)) < 0)
		return rc;
	/* The same answer as for a ticket that does not exist: whoever may
	 * not read it learns nothing, not even that a complaint was made. */
	if (!gov_ticket_may_read(who, out)) {
		memset(out, 0, sizeof(*out));
		return sertel_err(SERTEL_ENOTFOUND, "ticket %s: no such ticket", id);
	}
	return 0;
}

/* "%word%" for LIKE, lowered, with the LIKE metacharacters escaped. */
static int
like_pattern(char *out, size_t outsz, const char *q)
{
	size_t n = 0;

	if (outsz < 3)
		return SERTEL_ETOOBIG;
	out[n++] = '%';
	for (; *q != '\0'; q++) {
		char c = *q;

		if (n + 4 > outsz)
			return sertel_err(SERTEL_ETOOBIG,
			                  "search: at most %zu characters", outsz / 2);
		if (c == '%' || c == '_' || c == '\\')
			out[n++] = '\\';
		out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[n++] = '%';
	out[n] = '\0';
	return 0;
}

int
gov_ticket_iter(struct store *st, const struct ra_actor *who,
                const struct gov_ticket_filter *f, gov_ticket_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_ticket *t = NULL;
	char sql[1536], pat[260] = "";
	int all = (who->roles & ROLE_ADMIN) != 0, i = 1, n = 0, rc;

	if (f->state != NULL && !gov_ticket_state_valid(f->state))
		return move_check("open", f->state, 0);
	if (f->q != NULL && *f->q != '\0' &&
	    ((rc = like_pattern(pat, sizeof(pat), f->q)) < 0 ||
	     (rc = mail_text_check(f->q, 0, "search")) < 0))
		return rc;
	/* The SQL mirrors gov_ticket_may_read (checked again per row). */
	snprintf(sql, sizeof(sql),
	         "SELECT " TICKET_COLS " FROM gov_tickets t WHERE 1 = 1%s%s%s%s%s "
	         "ORDER BY t.created_at DESC, t.id LIMIT %d",
	         all ? ""
	             : " AND COALESCE(t.about_nik, '') <> ? AND (t.person_nik = ? OR "
	               "? = 1 OR (t.category = 'operator' AND t.superior_nik = ?) OR "
	               "(t.category <> 'operator' AND ? = 1))",
	         f->mine > 0   ? " AND t.person_nik = ?"
	         : f->mine < 0 ? " AND t.person_nik <> ?"
	                       : "",
	         f->state ? " AND t.state = ?" : "",
	         pat[0] ? " AND (LOWER(t.subject) LIKE ? ESCAPE '\\' OR "
	                  "LOWER(t.description) LIKE ? ESCAPE '\\')"
	                : "",
	         "", GOV_TICKET_LIST_MAX);
	if ((t = malloc(sizeof(*t))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		goto out;
	if (!all) {
		rc = db_bind_text(s, i++, who->nik);
		if (rc == 0)
			rc = db_bind_text(s, i++, who->nik);
		if (rc == 0)
			rc = db_bind_int(
			    s, i++,
			    (who->roles & (ROLE_AUDITOR | ROLE_KEPALA_DINAS)) != 0);
		if (rc == 0)
			rc = db_bind_text(s, i++, who->nik);
		if (rc == 0)
			rc = db_bind_int(s, i++, (who->roles & ROLE_OPERATOR) != 0);
	}
	if (rc == 0 && f->mine != 0)
		rc = db_bind_text(s, i++, who->nik);
	if (rc == 0 && f->state)
		rc = db_bind_text(s, i++, f->state);
	if (rc == 0 && pat[0]) {
		rc = db_bind_text(s, i++, pat);
		if (rc == 0)
			rc = db_bind_text(s, i++, pat);
	}
	while (rc == 0 && (rc = db_step(s)) == 1 && n < GOV_TICKET_LIST_MAX) {
		ticket_row(t, s);
		if (!gov_ticket_may_read(who, t))
			continue;
		n++;
		if ((rc = cb(t, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	free(t);
	return rc < 0 ? rc : 0;
}

/* ---- mail ---------------------------------------------------------------- */
static const char footer[] =
    "\n\n--\nPesan ini dikirim otomatis oleh layanan Sertifikat Elektronik "
    "(sertel). Buka portal, menu Pengaduan, untuk menanggapi.\n";

static int
send_one(struct store *st, const char *to, const char *kind, const char *subject,
         const char *body)
{
	char full[4096];

	if (to == NULL || *to == '\0')
		return 0;
	snprintf(full, sizeof(full), "%s%s", body, footer);
	return mail_enqueue(st, to, subject, full, kind);
}

/* Each address of a comma-separated list ("a@x, b@y"). */
static int
send_list(struct store *st, const char *list, const char *kind, const char *subject,
          const char *body)
{
	char to[256];
	const char *p = list, *comma;
	size_t n;
	int rc;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && n < sizeof(to)) {
			memcpy(to, p, n);
			to[n] = '\0';
			if ((rc = send_one(st, to, kind, subject, body)) < 0)
				return rc;
		}
		p = comma;
	}
	return 0;
}

/* Every person holding role, but never skip1 or skip2 (the person who
 * filed it, the operator complained about). */
static int
send_role(struct store *st, unsigned role, const char *skip1, const char *skip2,
          const char *kind, const char *subject, const char *body)
{
	struct db_stmt *s = NULL;
	char to[256];
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik, email, roles FROM persons ORDER BY nik")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		unsigned roles = 0;

		ra_roles_parse(&roles, db_col_text(s, 2));
		if (!(roles & role) || strcmp(db_col_text(s, 0), skip1) == 0 ||
		    strcmp(db_col_text(s, 0), skip2) == 0)
			continue;
		str_copy(to, sizeof(to), db_col_text(s, 1));
		if ((rc = send_one(st, to, kind, subject, body)) < 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The ones who handle t: for a complaint about an operator its superior
 * and the Kepala Dinas, never the helpdesk address (a shared mailbox the
 * operators read) nor any operator; otherwise the helpdesk, else every OP
 * operator. */
static int
notify_handlers(struct store *st, const struct config *cfg, const struct gov_ticket *t,
                const char *subject, const char *body)
{
	struct ra_person sup;
	const char *desk;
	int rc;

	if (strcmp(t->category, "operator") == 0) {
		if (t->superior_nik[0] != '\0' &&
		    ra_person_get(&sup, st, t->superior_nik) == 0 &&
		    strcmp(sup.nik, t->about_nik) != 0 &&
		    (rc = send_one(st, sup.email, "ticket", subject, body)) < 0)
			return rc;
		return send_role(st, ROLE_KEPALA_DINAS, t->person_nik, t->about_nik,
		                 "ticket", subject, body);
	}
	desk = cfg ? config_get(cfg, "governance", "helpdesk_to", NULL) : NULL;
	if (desk != NULL && *desk != '\0')
		return send_list(st, desk, "ticket", subject, body);
	return send_role(st, ROLE_OPERATOR, t->person_nik, "", "ticket", subject, body);
}

static int
notify_person(struct store *st, const struct gov_ticket *t, const char *what)
{
	struct ra_person p;
	char subject[160], body[2048];

	if (ra_person_get(&p, st, t->person_nik) < 0)
		return 0;
	snprintf(subject, sizeof(subject), "Pengaduan %s: %s", t->id, what);
	snprintf(body, sizeof(body),
	         "Yth. %s,\n\nPengaduan Anda nomor %s (\"%s\") %s.\nStatus saat ini: %s.",
	         p.name, t->id, t->subject, what, t->state);
	return send_one(st, p.email, "ticket", subject, body);
}

/* ---- text checks ---------------------------------------------------------- */
static int
body_check(const char *what, const char *body, size_t max)
{
	if (body == NULL || *body == '\0')
		return sertel_err(SERTEL_EINVAL, "%s: required", what);
	if (strlen(body) > max)
		return sertel_err(SERTEL_ETOOBIG, "%s: at most %zu bytes", what, max);
	return mail_text_check(body, 1, what);
}

static int
files_check(const struct ra_file *files, int nfiles)
{
	int i, rc;

	if (nfiles < 0 || nfiles > GOV_TICKET_FILES)
		return sertel_err(SERTEL_EINVAL, "attachments: at most %d at once",
		                  GOV_TICKET_FILES);
	for (i = 0; i < nfiles; i++) {
		if (files[i].len > GOV_TICKET_FILE_MAX)
			return sertel_err(SERTEL_ETOOBIG,
			                  "attachment %s: %zu bytes exceeds %d",
			                  files[i].filename ? files[i].filename : "",
			                  files[i].len, GOV_TICKET_FILE_MAX);
		/* PDF, JPEG or PNG by content, a name that does not disguise it. */
		if ((rc = ra_file_check(&files[i])) < 0)
			return rc;
	}
	return 0;
}

/* Stores files (encrypted) after the ticket's existing ones, inside the
 * caller's transaction. */
static int
files_store(struct store *st, const struct ra_actor *who, const char *id, int seq,
            const struct ra_file *files, int nfiles)
{
	char blob[33], hash[65], have[16];
	const char *mime;
	long long n = 0;
	int i, rc;

	if (nfiles == 0)
		return 0;
	if ((rc = db_get_text(store_db(st), have, sizeof(have),
	                      "SELECT COUNT(*) FROM gov_ticket_files WHERE ticket_id = ?",
	                      id)) < 0 ||
	    parse_ll(&n, have, 0, 1000000) < 0)
		return rc < 0 ? rc : sertel_err(SERTEL_ESTORE, "attachment count");
	if (n + nfiles > GOV_TICKET_FILES_MAX)
		return sertel_err(SERTEL_ETOOBIG,
		                  "ticket %s: at most %d attachments in all", id,
		                  GOV_TICKET_FILES_MAX);
	for (i = 0; i < nfiles; i++) {
		mime = ra_file_mime(files[i].data, files[i].len);
		sha256_hex(hash, files[i].data, files[i].len);
		if ((rc = store_blob_put(st, BLOB_KIND, files[i].data, files[i].len,
		                         blob)) < 0)
			return rc;
		if ((rc = (int)db_run(
		         store_db(st),
		         "INSERT INTO gov_ticket_files (ticket_id, idx, reply_seq, "
		         "filename, mime, size, sha256, blob_id, uploaded_by, "
		         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		         "siississsi", id, (int64_t)(n + i + 1), (int64_t)seq,
		         files[i].filename, mime, (int64_t)files[i].len, hash, blob,
		         who->label, time_now())) < 0)
			return rc;
	}
	return 0;
}

/* The next seq of the ticket's timeline, and the entry. */
static int
timeline_add(struct store *st, const struct ra_actor *who, const char *id,
             const char *kind, const char *body, int *seq_out)
{
	char have[24];
	long long seq = 0;
	int rc;

	if ((rc = db_get_text(store_db(st), have, sizeof(have),
	                      "SELECT COALESCE(MAX(seq), 0) FROM gov_ticket_replies "
	                      "WHERE ticket_id = ?",
	                      id)) < 0)
		return rc;
	if (parse_ll(&seq, have, 0, 1000000000) < 0)
		return sertel_err(SERTEL_ESTORE, "ticket %s: timeline", id);
	seq++;
	if ((rc =
	         (int)db_run(store_db(st),
	                     "INSERT INTO gov_ticket_replies (ticket_id, seq, at, actor, "
	                     "body, author_nik, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                     "siissss", id, (int64_t)seq, time_now(), who->label, body,
	                     who->nik[0] ? who->nik : NULL, kind)) < 0)
		return rc;
	if (seq_out)
		*seq_out = (int)seq;
	return 0;
}

/* ---- opening a ticket ---------------------------------------------------- */
struct open_work {
	struct gov_ticket *t;
	const struct config *cfg;
	const struct ra_actor *who;
	const struct gov_ticket_new *in;
};

static int
open_fn(struct store *st, void *arg)
{
	struct open_work *w = arg;
	struct gov_ticket *t = w->t;
	char obj[32], detail[300], subject[160], body[2048];
	int64_t now = time_now();
	int rc;

	if ((rc = (int)db_run(store_db(st),
	                      "INSERT INTO gov_tickets (id, category, state, subject, "
	                      "description, person_nik, about_nik, superior_nik, "
	                      "created_at, updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?, "
	                      "?, ?, ?)",
	                      "sssssssii", t->id, t->category, t->subject, t->description,
	                      t->person_nik, t->about_nik[0] ? t->about_nik : NULL,
	                      t->superior_nik[0] ? t->superior_nik : NULL, now, now)) < 0)
		return rc;
	t->created_at = t->updated_at = now;
	if ((rc = files_store(st, w->who, t->id, 0, w->in->files, w->in->nfiles)) < 0)
		return rc;
	snprintf(subject, sizeof(subject), "Pengaduan baru %s (%s)", t->id, t->category);
	snprintf(body, sizeof(body),
	         "Yth. Pengelola Layanan Sertifikat Elektronik,\n\nPengaduan baru nomor "
	         "%s, kategori %s, telah diterima:\n\"%s\"\n\nBuka portal untuk "
	         "menanganinya (Cirebon Pasal 22).",
	         t->id, t->category, t->subject);
	if ((rc = notify_handlers(st, w->cfg, t, subject, body)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "ticket:%s", t->id);
	/* No names and no text here: the ticket row holds them, for those
	 * who may read it. */
	snprintf(detail, sizeof(detail), "category %s, %d attachment(s)", t->category,
	         w->in->nfiles);
	return audit_append(st, w->who->label, "gov.ticket.open", obj, detail);
}

int
gov_ticket_open(struct gov_ticket *out, struct store *st, const struct config *cfg,
                const struct ra_actor *who, const struct gov_ticket_new *in)
{
	struct open_work w = {out, cfg, who, in};
	struct ra_person op;
	int rc;

	memset(out, 0, sizeof(*out));
	if (who->nik[0] == '\0')
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: a ticket is filed by a registered person (--as NIK)",
		    who->label);
	if (who->roles & ROLE_AUDITOR)
		return sertel_err(SERTEL_EPERM,
		                  "%s: the auditor reads and changes nothing",
		                  who->label);
	if (!gov_ticket_category_valid(in->category))
		return sertel_err(SERTEL_EINVAL,
		                  "category '%s': expected autentikasi, keaslian-data, "
		                  "penyangkalan, penandatanganan, operator or lainnya",
		                  in->category ? in->category : "");
	if (in->subject == NULL || *in->subject == '\0')
		return sertel_err(SERTEL_EINVAL, "subject: required");
	if ((rc = name_check_text("subject", in->subject, GOV_TICKET_SUBJECT_MAX)) < 0 ||
	    (rc = body_check("description", in->description, GOV_TICKET_BODY_MAX)) < 0 ||
	    (rc = files_check(in->files, in->nfiles)) < 0)
		return rc;
	if (strcmp(in->category, "operator") == 0) {
		/* Cirebon 20(3): the complaint names the operator. */
		if (in->about_nik == NULL || *in->about_nik == '\0')
			return sertel_err(
			    SERTEL_EINVAL,
			    "category operator: name the OP operator (NIK)");
		if ((rc = ra_person_get(&op, st, in->about_nik)) < 0)
			return rc;
		if (!(op.roles & ROLE_OPERATOR))
			return sertel_err(SERTEL_EINVAL, "NIK %s: not an OP operator",
			                  in->about_nik);
		if (strcmp(op.nik, who->nik) == 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "a complaint about an operator is not filed by that "
			    "operator");
		str_copy(out->about_nik, sizeof(out->about_nik), op.nik);
		/* A superior complaining about their own operator does not
		 * also handle it: the Kepala Dinas does. */
		if (strcmp(op.superior_nik, who->nik) != 0)
			str_copy(out->superior_nik, sizeof(out->superior_nik),
			         op.superior_nik);
	} else if (in->about_nik != NULL && *in->about_nik != '\0') {
		return sertel_err(SERTEL_EINVAL,
		                  "category %s: an operator is named only in category "
		                  "operator",
		                  in->category);
	}
	if ((rc = rand_hex(out->id, 8)) < 0)
		return rc;
	str_copy(out->category, sizeof(out->category), in->category);
	str_copy(out->state, sizeof(out->state), "open");
	str_copy(out->subject, sizeof(out->subject), in->subject);
	str_copy(out->description, sizeof(out->description), in->description);
	str_copy(out->person_nik, sizeof(out->person_nik), who->nik);
	if ((rc = store_atomic(st, open_fn, &w)) < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* ---- replies and states --------------------------------------------------- */
struct change_work {
	const struct config *cfg;
	const struct ra_actor *who;
	const char *id;
	const char *body;
	const struct ra_file *files;
	int nfiles;
	const char *state;
	int by;
};

static int
reply_fn(struct store *st, void *arg)
{
	struct change_work *w = arg;
	struct gov_ticket t;
	char obj[32], detail[64], subject[160], body[1024];
	int seq = 0, rc, person;

	/* Read again in the transaction: a ticket closed meanwhile takes no
	 * reply. */
	if ((rc = ticket_load(&t, st, w->id)) < 0)
		return rc;
	if (strcmp(t.state, "closed") == 0)
		return sertel_err(SERTEL_ESTATE,
		                  "ticket %s: closed; a closed ticket takes no "
		                  "reply (file a new one)",
		                  t.id);
	person = is_person(w->who, &t);
	if ((rc = timeline_add(st, w->who, t.id, "reply", w->body, &seq)) < 0 ||
	    (rc = files_store(st, w->who, t.id, seq, w->files, w->nfiles)) < 0)
		return rc;
	if ((rc = (int)db_run(store_db(st),
	                      "UPDATE gov_tickets SET updated_at = ? WHERE id = ?", "is",
	                      time_now(), t.id)) < 0)
		return rc;
	if (person) {
		snprintf(subject, sizeof(subject), "Tanggapan pelapor pada pengaduan %s",
		         t.id);
		snprintf(
		    body, sizeof(body),
		    "Pelapor menanggapi pengaduan nomor %s (\"%s\"). Buka portal untuk "
		    "membacanya.",
		    t.id, t.subject);
		rc = notify_handlers(st, w->cfg, &t, subject, body);
	} else {
		rc = notify_person(st, &t, "mendapat tanggapan dari Dinas");
	}
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "ticket:%s", t.id);
	snprintf(detail, sizeof(detail), "reply %d, %d attachment(s)", seq, w->nfiles);
	return audit_append(st, w->who->label, "gov.ticket.reply", obj, detail);
}

int
gov_ticket_reply(struct store *st, const struct config *cfg, const struct ra_actor *who,
                 const char *id, const char *body, const struct ra_file *files,
                 int nfiles)
{
	struct change_work w = {cfg, who, id, body, files, nfiles, NULL, 0};
	struct gov_ticket t;
	int rc;

	if ((rc = gov_ticket_get(&t, st, who, id)) < 0)
		return rc;
	if (!is_person(who, &t) && !gov_ticket_may_handle(who, &t))
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: replies on a ticket are the person's and the Dinas's "
		    "who handle it (the auditor reads only)",
		    who->label);
	if ((rc = body_check("reply", body, GOV_TICKET_BODY_MAX)) < 0 ||
	    (rc = files_check(files, nfiles)) < 0)
		return rc;
	return store_atomic(st, reply_fn, &w);
}

static const char *
state_said(const char *s)
{
	return strcmp(s, "in-progress") == 0 ? "sedang ditangani"
	       : strcmp(s, "escalated") == 0 ? "diteruskan ke penyelenggara sertifikasi"
	       : strcmp(s, "resolved") == 0  ? "dinyatakan selesai"
	       : strcmp(s, "closed") == 0    ? "ditutup"
	                                     : "dibuka kembali";
}

/* Moves t to state inside the caller's transaction: the row, the timeline
 * entry, the person's notice and the audit entry. */
static int
state_apply(struct store *st, const struct ra_actor *who, struct gov_ticket *t,
            const char *state, const char *reason, int by)
{
	char obj[32], detail[600], line[700];
	int64_t now = time_now();
	int rc;

	if ((rc = move_check(t->state, state, by)) < 0)
		return rc;
	snprintf(line, sizeof(line), "%s -> %s%s%.500s", t->state, state,
	         reason && *reason ? ": " : "", reason ? reason : "");
	rc = (int)db_run(
	    store_db(st),
	    "UPDATE gov_tickets SET state = ?, reason = ?, updated_at = ?, "
	    "escalated_at = CASE WHEN ? = 'escalated' THEN ? ELSE escalated_at "
	    "END, resolved_at = CASE WHEN ? = 'resolved' THEN ? WHEN ? = 'open' "
	    "THEN NULL ELSE resolved_at END, closed_at = CASE WHEN ? = 'closed' "
	    "THEN ? ELSE closed_at END WHERE id = ? AND state = ?",
	    "ssisisississ", state, reason ? reason : "", now, state, now, state, now,
	    state, state, now, t->id, t->state);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_ESTATE,
		                  "ticket %s: changed meanwhile; try again", t->id);
	if ((rc = timeline_add(st, who, t->id, "state", line, NULL)) < 0)
		return rc;
	str_copy(t->state, sizeof(t->state), state);
	if ((rc = notify_person(st, t, state_said(state))) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "ticket:%s", t->id);
	snprintf(detail, sizeof(detail), "%.590s", line);
	return audit_append(st, who->label, "gov.ticket.state", obj, detail);
}

static int
state_fn(struct store *st, void *arg)
{
	struct change_work *w = arg;
	struct gov_ticket t;
	int rc;

	if ((rc = ticket_load(&t, st, w->id)) < 0)
		return rc;
	return state_apply(st, w->who, &t, w->state, w->body, w->by);
}

int
gov_ticket_set_state(struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id, const char *state,
                     const char *reason)
{
	struct change_work w = {cfg, who, id, reason, NULL, 0, state, 0};
	struct gov_ticket t;
	int rc;

	if ((rc = gov_ticket_get(&t, st, who, id)) < 0)
		return rc;
	if (gov_ticket_may_handle(who, &t))
		w.by |= BY_DINAS;
	if (is_person(who, &t))
		w.by |= BY_PERSON;
	if (w.by == 0)
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: the state of a ticket is the Dinas's who handle it "
		    "(the auditor reads only)",
		    who->label);
	/* An empty reason is no reason (an optional form field left blank). */
	if (reason != NULL && *reason == '\0')
		w.body = reason = NULL;
	if (reason != NULL && (rc = name_check_text("reason", reason, 500)) < 0)
		return rc;
	if ((rc = move_check(t.state, state, w.by)) < 0)
		return rc;
	return store_atomic(st, state_fn, &w);
}

int
gov_ticket_moves(const char **out, int max, const struct ra_actor *who,
                 const struct gov_ticket *t)
{
	size_t i;
	int by = 0, n = 0;

	if (gov_ticket_may_handle(who, t))
		by |= BY_DINAS;
	if (is_person(who, t))
		by |= BY_PERSON;
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]) && n < max; i++)
		if (strcmp(moves[i].from, t->state) == 0 && (moves[i].by & by))
			out[n++] = moves[i].to;
	return n;
}

/* ---- the timeline and the attachments ------------------------------------ */
int
gov_ticket_replies(struct store *st, const struct gov_ticket *t, gov_reply_fn cb,
                   void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_ticket_reply_info r;
	int rc;

	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT r.seq, r.at, r.kind, r.actor, COALESCE(r.author_nik, "
	                    "''), COALESCE(p.name, ''), r.body FROM gov_ticket_replies r "
	                    "LEFT JOIN persons p ON p.nik = r.author_nik WHERE "
	                    "r.ticket_id = ? ORDER BY r.seq")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, t->id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		memset(&r, 0, sizeof(r));
		r.seq = (int)db_col_int(s, 0);
		r.at = db_col_int(s, 1);
		r.kind = db_col_text(s, 2);
		r.actor = db_col_text(s, 3);
		r.author_nik = db_col_text(s, 4);
		r.author_name = db_col_text(s, 5);
		r.from_person = strcmp(r.author_nik, t->person_nik) == 0;
		r.body = db_col_text(s, 6);
		if ((rc = cb(&r, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
gov_ticket_files(struct store *st, const struct gov_ticket *t, gov_file_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_ticket_file_info f;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT idx, reply_seq, filename, mime, sha256, size, "
	                     "created_at FROM gov_ticket_files WHERE ticket_id = ? ORDER "
	                     "BY idx")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, t->id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		f.idx = (int)db_col_int(s, 0);
		f.reply_seq = (int)db_col_int(s, 1);
		f.filename = db_col_text(s, 2);
		f.mime = db_col_text(s, 3);
		f.sha256 = db_col_text(s, 4);
		f.size = db_col_int(s, 5);
		f.created_at = db_col_int(s, 6);
		if ((rc = cb(&f, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

struct file_read {
	const struct ra_actor *who;
	const char *id;
	int idx;
};

static int
file_read_fn(struct store *st, void *arg)
{
	struct file_read *w = arg;
	char obj[32], detail[32];

	snprintf(obj, sizeof(obj), "ticket:%s", w->id);
	snprintf(detail, sizeof(detail), "attachment %d read", w->idx);
	return audit_append(st, w->who->label, "gov.ticket.file", obj, detail);
}

int
gov_ticket_file_get(unsigned char **out, size_t *len, char mime[32], char filename[256],
                    struct store *st, const struct ra_actor *who, const char *id, int idx)
{
	struct file_read w = {who, id, idx};
	struct gov_ticket t;
	struct db_stmt *s = NULL;
	char blob[33] = "";
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = gov_ticket_get(&t, st, who, id)) < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT blob_id, mime, filename FROM gov_ticket_files WHERE "
	                     "ticket_id = ? AND idx = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, t.id)) == 0 && (rc = db_bind_int(s, 2, idx)) == 0 &&
	    (rc = db_step(s)) == 1) {
		str_copy(blob, sizeof(blob), db_col_text(s, 0));
		str_copy(mime, 32, db_col_text(s, 1));
		str_copy(filename, 256, db_col_text(s, 2));
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "ticket %s: no attachment %d", t.id,
		                  idx);
	/* Each read is on the record, as the RA's attachments are. */
	if ((rc = store_atomic(st, file_read_fn, &w)) < 0)
		return rc;
	return store_blob_get(st, blob, BLOB_KIND, out, len);
}

/* ---- the issuer's help ---------------------------------------------------- */
#define HELP_COLS                                                                        \
	"id, COALESCE(ticket_id, ''), sent_to, body, sent_by, sent_at, "                 \
	"COALESCE(answer, ''), COALESCE(answered_by, ''), COALESCE(answered_at, 0)"

static void
help_row(struct gov_help *h, struct db_stmt *s)
{
	memset(h, 0, sizeof(*h));
	str_copy(h->id, sizeof(h->id), db_col_text(s, 0));
	str_copy(h->ticket_id, sizeof(h->ticket_id), db_col_text(s, 1));
	str_copy(h->sent_to, sizeof(h->sent_to), db_col_text(s, 2));
	str_copy(h->body, sizeof(h->body), db_col_text(s, 3));
	str_copy(h->sent_by, sizeof(h->sent_by), db_col_text(s, 4));
	h->sent_at = db_col_int(s, 5);
	str_copy(h->answer, sizeof(h->answer), db_col_text(s, 6));
	str_copy(h->answered_by, sizeof(h->answered_by), db_col_text(s, 7));
	h->answered_at = db_col_int(s, 8);
}

/* The Dinas's side of a standalone request: operators, the Kepala Dinas,
 * the admin (the auditor reads only). */
static int
dinas_check(const struct ra_actor *who)
{
	if (who->roles & (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN))
		return 0;
	return sertel_err(SERTEL_EPERM,
	                  "%s: the Dinas (an OP operator or the Kepala Dinas) asks the "
	                  "issuer for help (Cirebon 22(2))",
	                  who->label);
}

struct help_work {
	struct gov_help *h;
	const struct ra_actor *who;
};

static int
help_fn(struct store *st, void *arg)
{
	struct help_work *w = arg;
	struct gov_help *h = w->h;
	struct gov_ticket t;
	char obj[32], detail[320], subject[160];
	int rc;

	if (h->ticket_id[0] != '\0') {
		if ((rc = ticket_load(&t, st, h->ticket_id)) < 0)
			return rc;
		if (strcmp(t.state, "open") != 0 && strcmp(t.state, "in-progress") != 0 &&
		    strcmp(t.state, "escalated") != 0)
			return sertel_err(
			    SERTEL_ESTATE,
			    "ticket %s: %s; the issuer is asked while a ticket "
			    "is open, in progress or escalated",
			    t.id, t.state);
		if (strcmp(t.state, "escalated") != 0 &&
		    (rc = state_apply(st, w->who, &t, "escalated",
		                      "bantuan teknis diminta dari penyelenggara",
		                      BY_HELP)) < 0)
			return rc;
	}
	if ((rc = (int)db_run(
	         store_db(st),
	         "INSERT INTO gov_help_requests (id, ticket_id, sent_to, body, "
	         "sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
	         "sssssi", h->id, h->ticket_id[0] ? h->ticket_id : NULL, h->sent_to,
	         h->body, h->sent_by, h->sent_at)) < 0)
		return rc;
	/* The reference in the subject, then what the Dinas wrote. */
	snprintf(subject, sizeof(subject), "Permintaan bantuan teknis %s%s%s%s", h->id,
	         h->ticket_id[0] ? " (pengaduan " : "", h->ticket_id,
	         h->ticket_id[0] ? ")" : "");
	if ((rc = send_list(st, h->sent_to, "help", subject, h->body)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "help:%s", h->id);
	snprintf(detail, sizeof(detail), "to %.255s%s%s", h->sent_to,
	         h->ticket_id[0] ? ", ticket " : "", h->ticket_id);
	return audit_append(st, w->who->label, "gov.help.request", obj, detail);
}

int
gov_help_request(struct gov_help *out, struct store *st, const struct config *cfg,
                 const struct ra_actor *who, const char *ticket_id, const char *body)
{
	struct help_work w = {out, who};
	struct gov_ticket t;
	const char *to =
	    cfg ? config_get(cfg, "governance", "issuer_help_to", NULL) : NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ticket_id != NULL && *ticket_id != '\0') {
		if ((rc = gov_ticket_get(&t, st, who, ticket_id)) < 0)
			return rc;
		if (!gov_ticket_may_handle(who, &t))
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: the issuer is asked by the Dinas who handle the "
			    "ticket (Cirebon 22(2))",
			    who->label);
		str_copy(out->ticket_id, sizeof(out->ticket_id), t.id);
	} else if ((rc = dinas_check(who)) < 0) {
		return rc;
	}
	if ((rc = body_check("request", body, GOV_HELP_BODY_MAX)) < 0)
		return rc;
	if (to == NULL || *to == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "[governance] issuer_help_to is not set: the issuer's "
		                  "address for technical help (Cirebon 22(2))");
	if ((rc = str_copy(out->sent_to, sizeof(out->sent_to), to)) < 0)
		return sertel_err(SERTEL_EINVAL, "[governance] issuer_help_to: too long");
	if ((rc = rand_hex(out->id, 8)) < 0)
		return rc;
	str_copy(out->body, sizeof(out->body), body);
	str_copy(out->sent_by, sizeof(out->sent_by), who->label);
	out->sent_at = time_now();
	if ((rc = store_atomic(st, help_fn, &w)) < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

static int
help_load(struct gov_help *h, struct store *st, const char *id)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " HELP_COLS
	                     " FROM gov_help_requests WHERE id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id ? id : "")) == 0 && (rc = db_step(s)) == 1)
		help_row(h, s);
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "help request %s: no such request",
		                  id ? id : "");
	return 0;
}

struct answer_work {
	const struct ra_actor *who;
	const char *id;
	const char *answer;
};

static int
answer_fn(struct store *st, void *arg)
{
	struct answer_work *w = arg;
	struct gov_help h;
	struct gov_ticket t;
	char obj[32], waiting[16] = "";
	int rc;

	if ((rc = help_load(&h, st, w->id)) < 0)
		return rc;
	rc = (int)db_run(store_db(st),
	                 "UPDATE gov_help_requests SET answer = ?, answered_by = ?, "
	                 "answered_at = ? WHERE id = ? AND answered_at IS NULL",
	                 "ssis", w->answer, w->who->label, time_now(), h.id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(
		    SERTEL_ESTATE,
		    "help request %s: answered already; an answer is recorded "
		    "once",
		    h.id);
	/* The ticket waits no more once no request of it is unanswered. */
	if (h.ticket_id[0] != '\0') {
		if ((rc = db_get_text(
		         store_db(st), waiting, sizeof(waiting),
		         "SELECT COUNT(*) FROM gov_help_requests WHERE ticket_id "
		         "= ? AND answered_at IS NULL",
		         h.ticket_id)) < 0 ||
		    (rc = ticket_load(&t, st, h.ticket_id)) < 0)
			return rc;
		if (strcmp(waiting, "0") == 0 && strcmp(t.state, "escalated") == 0 &&
		    (rc = state_apply(st, w->who, &t, "in-progress",
		                      "jawaban penyelenggara diterima", BY_HELP)) < 0)
			return rc;
	}
	snprintf(obj, sizeof(obj), "help:%s", h.id);
	return audit_append(st, w->who->label, "gov.help.answer", obj,
	                    h.ticket_id[0] ? h.ticket_id : "standalone");
}

int
gov_help_answer(struct store *st, const struct ra_actor *who, const char *help_id,
                const char *answer)
{
	struct answer_work w = {who, help_id, answer};
	struct gov_help h;
	struct gov_ticket t;
	int rc;

	if ((rc = help_load(&h, st, help_id)) < 0)
		return rc;
	if (h.ticket_id[0] != '\0') {
		if ((rc = gov_ticket_get(&t, st, who, h.ticket_id)) < 0)
			return sertel_err(SERTEL_ENOTFOUND,
			                  "help request %s: no such request", help_id);
		if (!gov_ticket_may_handle(who, &t))
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: the answer is recorded by the Dinas who handle "
			    "the ticket",
			    who->label);
	} else if ((rc = dinas_check(who)) < 0) {
		return rc;
	}
	if ((rc = body_check("answer", answer, GOV_HELP_BODY_MAX)) < 0)
		return rc;
	return store_atomic(st, answer_fn, &w);
}

int
gov_help_iter(struct store *st, const struct ra_actor *who, const char *ticket_id,
              gov_help_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_help *h = NULL;
	struct gov_ticket t;
	int rc, standalone = ticket_id == NULL || *ticket_id == '\0';

	if (standalone) {
		if (!(who->roles &
		      (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN | ROLE_AUDITOR)))
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: the Dinas's requests are read by the Dinas and "
			    "the auditor",
			    who->label);
	} else if ((rc = gov_ticket_get(&t, st, who, ticket_id)) < 0) {
		return rc;
	}
	if ((h = malloc(sizeof(*h))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	rc = db_prepare(&s, store_db(st),
	                standalone ? "SELECT " HELP_COLS " FROM gov_help_requests WHERE "
	                             "ticket_id IS NULL ORDER BY sent_at, id LIMIT 500"
	                           : "SELECT " HELP_COLS " FROM gov_help_requests WHERE "
	                             "ticket_id = ? ORDER BY sent_at, id LIMIT 500");
	if (rc == 0 && !standalone)
		rc = db_bind_text(s, 1, t.id);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		help_row(h, s);
		if ((rc = cb(h, arg)) != 0)
			break;
	}
	db_finalize(s);
	free(h);
	return rc < 0 ? rc : 0;
}
