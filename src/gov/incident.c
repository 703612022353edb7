/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Security incidents (Cirebon 24, Denpasar 25): a key or certificate
 * lost, damaged or inaccessible, problems of authentication, data
 * authenticity or non-repudiation, reported by anyone with an account or
 * opened by a loss report through the RA, and notified "at once" to the
 * recipients the instance names ([governance] incident_notify).
 *
 * The notices go through the mail queue in the transaction of the report,
 * so they exist exactly when the incident does; gov_tick (after every
 * delivery round of the notices thread) copies each notice's delivery time
 * from the queue, marks the incident notified when the last recipient's
 * notice was delivered, and flags (to the Kepala Dinas, once) an incident
 * not notified within [governance] incident_notify_within seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "mail/mail.h"

#define SYSTEM_ACTOR "system:gov"
/* Rows one gov_tick round takes at most per step: the rest next round. */
#define TICK_BATCH 100

static const char *const kinds[] = {
    "kunci-hilang",      "kunci-rusak", "kunci-tidak-dapat-diakses",
    "sertifikat-hilang", "autentikasi", "keaslian-data",
    "nirsangkal",        "lainnya",
};
/* What the recipients read (Bahasa Indonesia, the regulations' words). */
static const char *const kind_text[] = {
    "Kunci privat hilang",
    "Kunci privat rusak",
    "Kunci privat tidak dapat diakses",
    "Sertifikat elektronik hilang",
    "Masalah autentikasi",
    "Masalah keaslian data",
    "Masalah nirsangkal (penyangkalan)",
    "Lainnya",
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
static const char *const severities[] = {"rendah", "sedang", "tinggi", "kritis"};
#define NSEVERITIES (sizeof(severities) / sizeof(severities[0]))
static const char *const states[] = {"reported", "notified", "handled", "closed"};
#define NSTATES (sizeof(states) / sizeof(states[0]))

/* The transition table: which action takes which state to which.  The
 * "notified" action is gov_tick's alone (the notices were delivered). */
static const struct transition {
	const char *action;
	const char *from;
	const char *to;
} transitions[] = {
    {"notified", "reported", "notified"},
    {"handle", "reported", "handled"},
    {"handle", "notified", "handled"},
    {"close", "handled", "closed"},
};
#define NTRANSITIONS (sizeof(transitions) / sizeof(transitions[0]))

static const struct transition *
transition_find(const char *action, const char *from)
{
	size_t i;

	for (i = 0; i < NTRANSITIONS; i++)
		if (strcmp(transitions[i].action, action) == 0 &&
		    strcmp(transitions[i].from, from) == 0)
			return &transitions[i];
	return NULL;
}

const char *const *
gov_incident_kinds(int *n)
{
	*n = (int)NKINDS;
	return kinds;
}

const char *const *
gov_incident_severities(int *n)
{
	*n = (int)NSEVERITIES;
	return severities;
}

static int
in_list(const char *v, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- who may do what ------------------------------------------------------ */
/* The Dinas's staff who handle incidents: OP operators, the Kepala Dinas,
 * the local administrator (who runs the instance). */
static int
is_handler(const struct ra_actor *who)
{
	return (who->roles & (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN)) != 0;
}

/* Anyone with an account reports; an auditor reads and changes nothing,
 * and a token bound to nobody (an application's) is nobody to report. */
static int
report_check(const struct ra_actor *who)
{
	if (who->roles & ROLE_AUDITOR)
		return sertel_err(SERTEL_EPERM,
		                  "%s: an auditor reads incidents and changes nothing",
		                  who->label);
	if (who->nik[0] == '\0' && !(who->roles & ROLE_ADMIN))
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: an incident is reported by a person with an account "
		    "(Cirebon 24)",
		    who->label);
	return 0;
}

/* The agency of who when they head one, else "". */
static void
head_agency(char out[17], struct store *st, const struct ra_actor *who)
{
	struct ra_person p;

	out[0] = '\0';
	if ((who->roles & ROLE_KEPALA_PD) && who->nik[0] &&
	    ra_person_get(&p, st, who->nik) == 0)
		str_copy(out, 17, p.agency_id);
}

static int
may_read(struct store *st, const struct ra_actor *who, const struct gov_incident *inc)
{
	char agency[17], theirs[17];

	if (ra_sees_all(who))
		return 1;
	if (who->nik[0] && strcmp(who->nik, inc->reporter_nik) == 0)
		return 1;
	head_agency(agency, st, who);
	if (agency[0] == '\0' || inc->reporter_nik[0] == '\0')
		return 0;
	if (db_get_text(store_db(st), theirs, sizeof(theirs),
	                "SELECT COALESCE(agency_id, '') FROM persons WHERE nik = ?",
	                inc->reporter_nik) != 1)
		return 0;
	return strcmp(theirs, agency) == 0;
}

/* ---- configuration ------------------------------------------------------- */
int64_t
gov_incident_within(const struct config *cfg)
{
	long long v = config_get_int(cfg, "governance", "incident_notify_within",
	                             GOV_INCIDENT_WITHIN_DEFAULT);

	return v >= 1 && v <= 30LL * 86400 ? (int64_t)v : GOV_INCIDENT_WITHIN_DEFAULT;
}

static const char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

int
gov_incident_recipients(struct gov_incident_recipient out[GOV_INCIDENT_RECIPIENTS_MAX],
                        int *n, const struct config *cfg)
{
	const char *v = config_get(cfg, "governance", "incident_notify", "");
	char item[512], *lt, *gt;
	const char *p = v, *end, *label;
	size_t len;
	int rc;

	*n = 0;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		/* An item ends after its '>': a label may hold commas. */
		end = strchr(p, '>');
		lt = end ? memchr(p, '<', (size_t)(end - p)) : NULL;
		if (lt == NULL)
			return sertel_err(
			    SERTEL_EINVAL,
			    "[governance] incident_notify: '%.60s': expected "
			    "Label <address>",
			    p);
		len = (size_t)(end - p) + 1;
		if (len >= sizeof(item))
			return sertel_err(
			    SERTEL_EINVAL,
			    "[governance] incident_notify: an item is too long");
		if (*n == GOV_INCIDENT_RECIPIENTS_MAX)
			return sertel_err(
			    SERTEL_EINVAL,
			    "[governance] incident_notify: at most %d recipients",
			    GOV_INCIDENT_RECIPIENTS_MAX);
		memcpy(item, p, len);
		item[len] = '\0';
		lt = item + (lt - p);
		p = end + 1;
		gt = strchr(lt, '>');
		*lt = '\0';
		*gt = '\0';
		label = trim(item);
		if (*label == '\0' || strlen(label) > GOV_INCIDENT_LABEL_MAX ||
		    mail_text_check(label, 0, "[governance] incident_notify label") < 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "[governance] incident_notify: each recipient needs a "
			    "label of 1 to %d characters (e.g. BSSN <x@bssn.go.id>)",
			    GOV_INCIDENT_LABEL_MAX);
		if ((rc = mail_addr_check(lt + 1)) < 0)
			return sertel_err(rc, "[governance] incident_notify: %s",
			                  sertel_errmsg());
		str_copy(out[*n].label, sizeof(out[*n].label), label);
		str_copy(out[*n].address, sizeof(out[*n].address), lt + 1);
		(*n)++;
	}
	return 0;
}

/* ---- reading --------------------------------------------------------------- */
#define INC_COLS                                                                         \
	"i.id, i.kind, i.severity, i.state, i.title, i.description, i.reporter, "        \
	"COALESCE(i.reporter_nik, ''), COALESCE(i.revocation_request_id, ''), "          \
	"i.reported_at, COALESCE(i.notified_at, 0), COALESCE(i.handled_at, 0), "         \
	"COALESCE(i.closed_at, 0), i.updated_at, COALESCE(i.flag_mailed_at, 0), "        \
	"(SELECT COUNT(*) FROM gov_incident_notices n WHERE n.incident_id = i.id), "     \
	"(SELECT COUNT(*) FROM gov_incident_notices n WHERE n.incident_id = i.id "       \
	"AND n.delivered_at IS NOT NULL)"

static void
inc_row(struct gov_incident *o, struct db_stmt *s, int64_t within, int64_t now)
{
	memset(o, 0, sizeof(*o));
	str_copy(o->id, sizeof(o->id), db_col_text(s, 0));
	str_copy(o->kind, sizeof(o->kind), db_col_text(s, 1));
	str_copy(o->severity, sizeof(o->severity), db_col_text(s, 2));
	str_copy(o->state, sizeof(o->state), db_col_text(s, 3));
	str_copy(o->title, sizeof(o->title), db_col_text(s, 4));
	str_copy(o->description, sizeof(o->description), db_col_text(s, 5));
	str_copy(o->reporter, sizeof(o->reporter), db_col_text(s, 6));
	str_copy(o->reporter_nik, sizeof(o->reporter_nik), db_col_text(s, 7));
	str_copy(o->revocation_request_id, sizeof(o->revocation_request_id),
	         db_col_text(s, 8));
	o->reported_at = db_col_int(s, 9);
	o->notified_at = db_col_int(s, 10);
	o->handled_at = db_col_int(s, 11);
	o->closed_at = db_col_int(s, 12);
	o->updated_at = db_col_int(s, 13);
	o->flag_mailed_at = db_col_int(s, 14);
	o->recipients = (int)db_col_int(s, 15);
	o->delivered = (int)db_col_int(s, 16);
	o->delay = o->notified_at ? o->notified_at - o->reported_at : -1;
	/* Never silently fine: no recipients means nobody was told. */
	o->flagged = o->recipients == 0 ||
	             (o->notified_at ? o->delay > within : now - o->reported_at > within);
}

static int
inc_load(struct gov_incident *out, struct store *st, const char *id, int64_t within)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " INC_COLS " FROM gov_incidents i WHERE i.id = ?")) <
	    0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 && (rc = db_step(s)) == 1) {
		inc_row(out, s, within, time_now());
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "incident %.40s: not found", id);
	}
	db_finalize(s);
	return rc;
}

static int
inc_details(struct gov_incident *o, struct store *st)
{
	struct db_stmt *s = NULL;
	struct gov_incident_notice *n;
	int rc;

	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT serial FROM gov_incident_certs WHERE incident_id = ? "
	                    "ORDER BY serial")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, o->id)) == 0)
		while (o->ncerts < GOV_INCIDENT_CERTS_MAX && (rc = db_step(s)) == 1)
			str_copy(o->certs[o->ncerts++], sizeof(o->certs[0]),
			         db_col_text(s, 0));
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT idx, label, address, mail_id, queued_at, "
	                     "COALESCE(delivered_at, 0) FROM gov_incident_notices "
	                     "WHERE incident_id = ? ORDER BY idx")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, o->id)) == 0)
		while (o->nnotices < GOV_INCIDENT_RECIPIENTS_MAX &&
		       (rc = db_step(s)) == 1) {
			n = &o->notices[o->nnotices++];
			n->idx = (int)db_col_int(s, 0);
			str_copy(n->label, sizeof(n->label), db_col_text(s, 1));
			str_copy(n->address, sizeof(n->address), db_col_text(s, 2));
			str_copy(n->mail_id, sizeof(n->mail_id), db_col_text(s, 3));
			n->queued_at = db_col_int(s, 4);
			n->delivered_at = db_col_int(s, 5);
		}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
gov_incident_get(struct gov_incident *out, struct store *st, const struct config *cfg,
                 const struct ra_actor *who, const char *id)
{
	int rc;

	if (id == NULL || *id == '\0' || strlen(id) > 16)
		return sertel_err(SERTEL_ENOTFOUND, "incident %.40s: not found",
		                  id ? id : "");
	if ((rc = inc_load(out, st, id, gov_incident_within(cfg))) < 0)
		return rc;
	if (!may_read(st, who, out))
		return sertel_err(SERTEL_EPERM,
		                  "%s: an incident is read by its reporter, the head of "
		                  "their agency, the Dinas and the auditor",
		                  who->label);
	return inc_details(out, st);
}

int
gov_incident_list(struct store *st, const struct config *cfg, const struct ra_actor *who,
                  const struct gov_incident_filter *f, int64_t *total, gov_incident_fn cb,
                  void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_incident *inc = NULL;
	char where[400], sql[1200], agency[17];
	const char *bind[4];
	int nb = 0, i, all = ra_sees_all(who), rc;
	int64_t within = gov_incident_within(cfg), now = time_now();

	*total = 0;
	if (f->limit < 1 || f->limit > 200 || f->offset < 0)
		return sertel_err(SERTEL_EINVAL, "incidents: a page is 1..200 rows");
	if (f->state != NULL && *f->state && in_list(f->state, states, NSTATES) < 0)
		return sertel_err(
		    SERTEL_EINVAL,
		    "incidents: state is reported, notified, handled or closed");
	if (f->severity != NULL && *f->severity &&
	    in_list(f->severity, severities, NSEVERITIES) < 0)
		return sertel_err(
		    SERTEL_EINVAL,
		    "incidents: severity is rendah, sedang, tinggi or kritis");
	head_agency(agency, st, who);
	/* Who sees which: the Dinas and the auditor all, a head of agency
	 * their agency's people's, anyone else their own. */
	str_copy(where, sizeof(where), " WHERE 1 = 1");
	if (!all) {
		bind[nb++] = who->nik[0] ? who->nik : "-";
		if (agency[0]) {
			bind[nb++] = agency;
			strncat(
			    where,
			    " AND (i.reporter_nik = ? OR i.reporter_nik IN (SELECT nik "
			    "FROM persons WHERE agency_id = ?))",
			    sizeof(where) - strlen(where) - 1);
		} else {
			strncat(where, " AND i.reporter_nik = ?",
			        sizeof(where) - strlen(where) - 1);
		}
	}
	if (f->state != NULL && *f->state) {
		bind[nb++] = f->state;
		strncat(where, " AND i.state = ?", sizeof(where) - strlen(where) - 1);
	}
	if (f->severity != NULL && *f->severity) {
		bind[nb++] = f->severity;
		strncat(where, " AND i.severity = ?", sizeof(where) - strlen(where) - 1);
	}
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM gov_incidents i%s", where);
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		return rc;
	for (i = 0; rc == 0 && i < nb; i++)
		rc = db_bind_text(s, i + 1, bind[i]);
	if (rc == 0 && (rc = db_step(s)) == 1) {
		*total = db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
	         "SELECT " INC_COLS
	         " FROM gov_incidents i%s ORDER BY i.reported_at DESC, "
	         "i.id DESC LIMIT ? OFFSET ?",
	         where);
	if ((inc = malloc(sizeof(*inc))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		goto out;
	for (i = 0; rc == 0 && i < nb; i++)
		rc = db_bind_text(s, i + 1, bind[i]);
	if (rc == 0)
		rc = db_bind_int(s, nb + 1, f->limit);
	if (rc == 0)
		rc = db_bind_int(s, nb + 2, f->offset);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		inc_row(inc, s, within, now);
		rc = cb(inc, arg);
	}
	rc = rc < 0 ? rc : 0;
out:
	db_finalize(s);
	free(inc);
	return rc;
}

int
gov_incident_events(struct store *st, const struct config *cfg,
                    const struct ra_actor *who, const char *id, gov_incident_event_fn cb,
                    void *arg)
{
	struct gov_incident *inc = malloc(sizeof(*inc));
	struct gov_incident_event ev;
	struct db_stmt *s = NULL;
	int rc;

	if (inc == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = gov_incident_get(inc, st, cfg, who, id)) < 0)
		goto out;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT seq, at, actor, action, note FROM "
	                     "gov_incident_events WHERE incident_id = ? ORDER BY seq")) <
	    0)
		goto out;
	if ((rc = db_bind_text(s, 1, inc->id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		ev.seq = db_col_int(s, 0);
		ev.at = db_col_int(s, 1);
		ev.actor = db_col_text(s, 2);
		ev.action = db_col_text(s, 3);
		ev.note = db_col_text(s, 4) ? db_col_text(s, 4) : "";
		if ((rc = cb(&ev, arg)) != 0)
			break;
	}
	rc = rc < 0 ? rc : 0;
out:
	db_finalize(s);
	free(inc);
	return rc;
}

/* ---- writing --------------------------------------------------------------- */
/* One line of the timeline, numbered after the last. */
static int
event_add(struct store *st, const char *id, int64_t at, const char *actor,
          const char *action, const char *note)
{
	int64_t n =
	    db_run(store_db(st),
	           "INSERT INTO gov_incident_events (incident_id, seq, at, actor, "
	           "action, note) SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? "
	           "FROM gov_incident_events WHERE incident_id = ?",
	           "sissss", id, at, actor, action, note ? note : "", id);

	return n < 0 ? (int)n : 0;
}

/* A step of the timeline and its audit entry (detail NULL: the note). */
static int
record(struct store *st, const char *id, int64_t at, const char *actor, const char *event,
       const char *verb, const char *note, const char *detail)
{
	char obj[40];
	int rc;

	if ((rc = event_add(st, id, at, actor, event, note)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "incident:%s", id);
	return audit_append(st, actor, verb, obj, detail ? detail : note);
}

static int
text_check(const char *v, size_t max, int multiline, const char *what)
{
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0)
		return sertel_err(SERTEL_EINVAL, "incident: %s is required", what);
	if (n > max)
		return sertel_err(SERTEL_ETOOBIG, "incident: %s: %zu bytes, at most %zu",
		                  what, n, max);
	return mail_text_check(v, multiline, what);
}

struct report_write {
	const struct ra_actor *who;
	const struct gov_incident_new *in;
	const struct config *cfg;
	const struct gov_incident_recipient *rcpt;
	int nrcpt;
	const char *reporter;     /* label */
	const char *reporter_nik; /* NULL for nobody */
	const char *reporter_name;
	const char *request_id; /* the loss report, or NULL */
	int64_t at;
	char id[17];
};

/* The facts the recipients are told: kind, severity, time, certificates,
 * description; never a NIK (the reporter by name only), never a secret. */
static int
notice_body(struct buf *b, const struct report_write *w, int ki)
{
	struct time_zone tz;
	char when[96];
	int i, rc;

	if (config_time_zone(&tz, w->cfg) < 0)
		time_zone_parse(&tz, NULL);
	time_local_fmt(when, sizeof(when), w->at, &tz, time_months_id, 1, '.');
	rc = buf_appendf(
	    b,
	    "Pemberitahuan insiden keamanan Sertifikat Elektronik\n"
	    "(Security incident notice; Cirebon Pasal 24, Denpasar Pasal 25)\n\n"
	    "Nomor insiden   : %s\n"
	    "Jenis           : %s (%s)\n"
	    "Tingkat         : %s\n"
	    "Waktu dilaporkan: %s\n"
	    "Judul           : %s\n"
	    "Dilaporkan oleh : %s\n",
	    w->id, kind_text[ki], w->in->kind, w->in->severity, when, w->in->title,
	    w->reporter_name);
	if (rc == 0 && w->request_id != NULL)
		rc = buf_appendf(b, "Laporan kehilangan: permintaan pencabutan %s\n",
		                 w->request_id);
	if (rc == 0)
		rc = buf_appendf(b, "Sertifikat terdampak:%s\n",
		                 w->in->nserials ? "" : " -");
	for (i = 0; rc == 0 && i < w->in->nserials; i++)
		rc = buf_appendf(b, "  - %s\n", w->in->serials[i]);
	if (rc == 0)
		rc = buf_appendf(b, "\nUraian:\n%s\n", w->in->description);
	if (rc == 0)
		rc = buf_cstr(b);
	return rc;
}

static int
report_fn(struct store *st, void *arg)
{
	struct report_write *w = arg;
	const struct gov_incident_new *in = w->in;
	unsigned char rnd[8];
	char subject[MAIL_SUBJECT_MAX + 1], mail_id[MAIL_ID_LEN + 1], obj[40], note[160];
	struct buf body;
	int64_t n;
	int i, ki, rc;

	buf_init(&body, MAIL_BODY_MAX);
	ki = in_list(in->kind, kinds, NKINDS);
	if ((rc = rand_bytes(rnd, sizeof(rnd))) < 0)
		goto out;
	hex_encode(w->id, rnd, sizeof(rnd));
	n = db_run(store_db(st),
	           "INSERT INTO gov_incidents (id, kind, severity, state, title, "
	           "description, reporter, reporter_nik, revocation_request_id, "
	           "reported_at, updated_at) VALUES (?, ?, ?, 'reported', ?, ?, ?, ?, ?, "
	           "?, ?)",
	           "ssssssssii", w->id, in->kind, in->severity, in->title,
	           in->description, w->reporter, w->reporter_nik, w->request_id, w->at,
	           w->at);
	if (n < 0) {
		rc = (int)n;
		goto out;
	}
	for (i = 0; i < in->nserials; i++)
		if ((n = db_run(store_db(st),
		                "INSERT INTO gov_incident_certs (incident_id, serial) "
		                "VALUES (?, ?)",
		                "ss", w->id, in->serials[i])) < 0) {
			rc = (int)n;
			goto out;
		}
	snprintf(note, sizeof(note), "%s, %s; %d penerima pemberitahuan", in->kind,
	         in->severity, w->nrcpt);
	if ((rc = event_add(st, w->id, w->at, w->reporter, "reported", note)) < 0)
		goto out;
	if (w->nrcpt > 0 && (rc = notice_body(&body, w, ki)) < 0)
		goto out;
	snprintf(subject, sizeof(subject), "[Insiden keamanan] %s, %s: %.120s (%s)",
	         in->severity, in->kind, in->title, w->id);
	for (i = 0; i < w->nrcpt; i++) {
		if ((rc = mail_enqueue_id(mail_id, st, w->rcpt[i].address, subject,
		                          (const char *)body.data, "incident")) < 0)
			goto out;
		if ((n = db_run(
		         store_db(st),
		         "INSERT INTO gov_incident_notices (incident_id, idx, label, "
		         "address, mail_id, queued_at, delivered_at) VALUES (?, ?, ?, "
		         "?, ?, ?, NULL)",
		         "sisssi", w->id, (int64_t)i, w->rcpt[i].label,
		         w->rcpt[i].address, mail_id, w->at)) < 0) {
			rc = (int)n;
			goto out;
		}
	}
	snprintf(obj, sizeof(obj), "incident:%s", w->id);
	rc = audit_append(st, w->who != NULL ? w->who->label : SYSTEM_ACTOR,
	                  "gov.incident.report", obj, note);
out:
	buf_free(&body);
	return rc;
}

/* The facts checked, the certificates named exist and (unless who is the
 * Dinas, or this is a loss report the RA accepted) are the reporter's. */
static int
facts_check(struct store *st, const struct ra_actor *who,
            const struct gov_incident_new *in)
{
	char owner[17];
	int i, j, rc;

	if (in_list(in->kind, kinds, NKINDS) < 0)
		return sertel_err(
		    SERTEL_EINVAL,
		    "incident: kind is one of kunci-hilang, kunci-rusak, "
		    "kunci-tidak-dapat-diakses, sertifikat-hilang, autentikasi, "
		    "keaslian-data, nirsangkal, lainnya (Cirebon 24)");
	if (in_list(in->severity, severities, NSEVERITIES) < 0)
		return sertel_err(
		    SERTEL_EINVAL,
		    "incident: severity is rendah, sedang, tinggi or kritis");
	if ((rc = text_check(in->title, GOV_INCIDENT_TITLE_MAX, 0, "title")) < 0 ||
	    (rc = text_check(in->description, GOV_INCIDENT_DESC_MAX, 1, "description")) <
	        0)
		return rc;
	if (in->nserials < 0 || in->nserials > GOV_INCIDENT_CERTS_MAX)
		return sertel_err(SERTEL_ETOOBIG, "incident: at most %d certificates",
		                  GOV_INCIDENT_CERTS_MAX);
	for (i = 0; i < in->nserials; i++) {
		if (in->serials[i] == NULL || *in->serials[i] == '\0' ||
		    strlen(in->serials[i]) > SERIAL_HEX_MAX)
			return sertel_err(SERTEL_EINVAL,
			                  "incident: a certificate serial is empty "
			                  "or too long");
		for (j = 0; j < i; j++)
			if (strcmp(in->serials[i], in->serials[j]) == 0)
				return sertel_err(SERTEL_EINVAL,
				                  "incident: certificate %s named twice",
				                  in->serials[i]);
		if ((rc = db_get_text(
		         store_db(st), owner, sizeof(owner),
		         "SELECT COALESCE(nik, '') FROM certs WHERE serial = ?",
		         in->serials[i])) < 0)
			return rc;
		if (rc == 0)
			return sertel_err(SERTEL_ENOTFOUND,
			                  "incident: no certificate %.42s",
			                  in->serials[i]);
		if (who != NULL && !is_handler(who) && strcmp(owner, who->nik) != 0)
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: a reporter names only their own certificates "
			    "(%.42s is not theirs); the Dinas names any",
			    who->label, in->serials[i]);
	}
	return 0;
}

int
gov_incident_report(struct gov_incident *out, struct store *st, const struct config *cfg,
                    const struct ra_actor *who, const struct gov_incident_new *in)
{
	struct gov_incident_recipient rcpt[GOV_INCIDENT_RECIPIENTS_MAX];
	struct report_write w;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = report_check(who)) < 0 || (rc = facts_check(st, who, in)) < 0 ||
	    (rc = gov_incident_recipients(rcpt, &w.nrcpt, cfg)) < 0)
		return rc;
	w.who = who;
	w.in = in;
	w.cfg = cfg;
	w.rcpt = rcpt;
	w.reporter = who->label;
	w.reporter_nik = who->nik[0] ? who->nik : NULL;
	w.reporter_name = who->name[0] ? who->name : who->label;
	w.at = time_now();
	if ((rc = store_atomic(st, report_fn, &w)) < 0)
		return rc;
	if (out != NULL)
		rc = gov_incident_get(out, st, cfg, who, w.id);
	return rc;
}

struct act_write {
	const struct ra_actor *who;
	const struct gov_incident *inc;
	const char *action;
	const struct transition *t; /* NULL for a note */
	const char *note;
	int64_t at;
};

static int
act_fn(struct store *st, void *arg)
{
	struct act_write *w = arg;
	char detail[GOV_INCIDENT_NOTE_MAX + 64];
	int64_t n;

	if (w->t != NULL) {
		/* Compare and set: a concurrent change makes this one refused. */
		n = db_run(store_db(st),
		           strcmp(w->t->to, "handled") == 0
		               ? "UPDATE gov_incidents SET state = ?, handled_at = ?, "
		                 "updated_at = ? WHERE id = ? AND state = ?"
		               : "UPDATE gov_incidents SET state = ?, closed_at = ?, "
		                 "updated_at = ? WHERE id = ? AND state = ?",
		           "siiss", w->t->to, w->at, w->at, w->inc->id, w->t->from);
	} else {
		n = db_run(store_db(st),
		           "UPDATE gov_incidents SET updated_at = ? WHERE id = ? AND "
		           "state = ?",
		           "iss", w->at, w->inc->id, w->inc->state);
	}
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ESTATE,
		                  "incident %s changed meanwhile; try again", w->inc->id);
	snprintf(detail, sizeof(detail), "%s: %s", w->t ? w->t->to : "note", w->note);
	return record(st, w->inc->id, w->at, w->who->label, w->action, "gov.incident.act",
	              w->note, detail);
}

int
gov_incident_act(struct gov_incident *out, struct store *st, const struct config *cfg,
                 const struct ra_actor *who, const char *id, const char *action,
                 const char *note)
{
	struct gov_incident *inc = malloc(sizeof(*inc));
	struct act_write w;
	int rc, is_note;

	if (inc == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	memset(&w, 0, sizeof(w));
	if (action == NULL ||
	    (strcmp(action, "handle") != 0 && strcmp(action, "close") != 0 &&
	     strcmp(action, "note") != 0)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "incident: action is handle, close or note");
		goto out;
	}
	is_note = strcmp(action, "note") == 0;
	if ((rc = gov_incident_get(inc, st, cfg, who, id)) < 0)
		goto out;
	/* Cirebon 24: the Dinas handles; the reporter may add what they know. */
	if (!is_handler(who) &&
	    !(is_note && who->nik[0] && strcmp(who->nik, inc->reporter_nik) == 0 &&
	      !(who->roles & ROLE_AUDITOR))) {
		rc = sertel_err(
		    SERTEL_EPERM,
		    "%s: OP operators and the Kepala Dinas handle and close an "
		    "incident (Cirebon 24); the reporter adds notes",
		    who->label);
		goto out;
	}
	if ((rc = text_check(note, GOV_INCIDENT_NOTE_MAX, 1, "note")) < 0)
		goto out;
	if (is_note) {
		if (strcmp(inc->state, "closed") == 0) {
			rc = sertel_err(
			    SERTEL_ESTATE,
			    "incident %s is closed: a closed incident takes no notes",
			    inc->id);
			goto out;
		}
	} else if ((w.t = transition_find(action, inc->state)) == NULL) {
		rc = sertel_err(
		    SERTEL_ESTATE,
		    strcmp(action, "close") == 0
		        ? "incident %s is %s: only a handled incident is closed"
		        : "incident %s is %s: only a reported or notified "
		          "incident is handled",
		    inc->id, inc->state);
		goto out;
	}
	w.who = who;
	w.inc = inc;
	w.action = action;
	w.note = note;
	w.at = time_now();
	if ((rc = store_atomic(st, act_fn, &w)) < 0)
		goto out;
	if (out != NULL)
		rc = gov_incident_get(out, st, cfg, who, inc->id);
out:
	free(inc);
	return rc;
}

/* ---- loss reports through the RA -------------------------------------------- */
/* Opens the incident of loss report request_id unless it has one.  The
 * unique index on revocation_request_id makes a second opening (the
 * caller and gov_tick at once) fail instead of doubling: 0 then. */
static int
loss_open(struct store *st, const struct config *cfg, const struct ra_actor *who,
          const char *request_id, char incident_id[17])
{
	struct gov_incident_recipient rcpt[GOV_INCIDENT_RECIPIENTS_MAX];
	struct gov_incident_new in;
	struct report_write w;
	struct db_stmt *s = NULL;
	struct ra_person owner;
	char serial[SERIAL_HEX_MAX + 1] = "", by[96] = "", nik[17] = "", title[160],
	                             desc[800];
	const char *serials[1];
	int64_t at = 0;
	int rc, found = 0;

	memset(&w, 0, sizeof(w));
	if (incident_id != NULL)
		incident_id[0] = '\0';
	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT r.serial, r.requested_by, r.created_at, "
	                    "COALESCE(c.nik, '') FROM revocation_requests r "
	                    "LEFT JOIN certs c ON c.serial = r.serial WHERE r.id = ? AND "
	                    "r.cause = 'hilang'")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, request_id)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(serial, sizeof(serial), db_col_text(s, 0));
		str_copy(by, sizeof(by), db_col_text(s, 1));
		at = db_col_int(s, 2);
		str_copy(nik, sizeof(nik), db_col_text(s, 3));
		found = 1;
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (!found)
		return sertel_err(SERTEL_ENOTFOUND, "loss report %.40s: not found",
		                  request_id);
	if ((rc = gov_incident_recipients(rcpt, &w.nrcpt, cfg)) < 0)
		return rc;
	snprintf(title, sizeof(title), "Laporan kehilangan kunci, sertifikat %s", serial);
	/* The request's note holds the superior's NIK: not for the recipients. */
	snprintf(desc, sizeof(desc),
	         "Pemilik melaporkan kehilangan atau kompromi kunci privat melalui "
	         "Otoritas Pendaftaran (Cirebon Pasal 15 ayat (2)-(3)); sertifikat %s "
	         "dicabut seketika (keyCompromise).",
	         serial);
	memset(&in, 0, sizeof(in));
	serials[0] = serial;
	in.kind = "kunci-hilang";
	in.severity = "tinggi";
	in.title = title;
	in.description = desc;
	in.serials = serials;
	in.nserials = 1;
	w.who = who; /* NULL: gov_tick's catch-up, audited as the system */
	w.in = &in;
	w.cfg = cfg;
	w.rcpt = rcpt;
	w.reporter = by;
	w.reporter_nik = nik[0] ? nik : NULL;
	w.reporter_name = nik[0] && ra_person_get(&owner, st, nik) == 0 ? owner.name : by;
	w.request_id = request_id;
	/* Reported when the owner reported, so the delay counts from then. */
	w.at = at;
	rc = store_atomic(st, report_fn, &w);
	if (rc == SERTEL_EEXISTS)
		return 0;
	if (rc == 0 && incident_id != NULL)
		str_copy(incident_id, 17, w.id);
	return rc;
}

int
gov_report_loss(struct store *st, const struct config *cfg, const struct ra_actor *who,
                struct issuer *is, const char *serial, const char *acknowledged_by,
                const struct ra_file *statement, const struct ra_file *police,
                const char *note, char incident_id[17])
{
	char req[17];
	int rc;

	if (incident_id != NULL)
		incident_id[0] = '\0';
	if ((rc = ra_report_loss(st, who, is, serial, acknowledged_by, statement, police,
	                         note)) < 0)
		return rc;
	/* A certificate is revoked once: its loss report is the one request. */
	if (db_get_text(store_db(st), req, sizeof(req),
	                "SELECT id FROM revocation_requests WHERE serial = ? AND "
	                "cause = 'hilang' ORDER BY created_at DESC, id DESC",
	                serial) != 1 ||
	    loss_open(st, cfg, who, req, incident_id) < 0)
		log_msg(
		    LOG_WARN,
		    "incident for the loss report of %s: %s (gov_tick opens it later)",
		    serial, sertel_errmsg());
	return 0;
}

/* ---- gov_tick's part ---------------------------------------------------------- */
struct id_list {
	char id[TICK_BATCH][33];
	int64_t v[TICK_BATCH];
	int n;
};

static int
ids_query(struct id_list *l, struct store *st, const char *sql, int64_t param)
{
	struct db_stmt *s = NULL;
	int rc;

	l->n = 0;
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		return rc;
	if (param >= 0 && (rc = db_bind_int(s, 1, param)) < 0)
		goto out;
	while (l->n < TICK_BATCH && (rc = db_step(s)) == 1) {
		str_copy(l->id[l->n], sizeof(l->id[0]), db_col_text(s, 0));
		l->v[l->n] = db_col_int(s, 1);
		l->n++;
	}
	rc = rc < 0 ? rc : 0;
out:
	db_finalize(s);
	return rc;
}

struct notified_write {
	const char *id;
	int64_t now;
};

static int
notified_fn(struct store *st, void *arg)
{
	struct notified_write *w = arg;
	struct gov_incident *inc = malloc(sizeof(*inc));
	const struct transition *t;
	char note[200];
	int64_t n;
	int rc;

	if (inc == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = inc_load(inc, st, w->id, GOV_INCIDENT_WITHIN_DEFAULT)) < 0)
		goto out;
	/* The state moves only from reported; handled before the mail came
	 * back stays handled, with the time of notice recorded all the same. */
	t = transition_find("notified", inc->state);
	n = db_run(
	    store_db(st),
	    "UPDATE gov_incidents SET notified_at = (SELECT MAX(delivered_at) FROM "
	    "gov_incident_notices WHERE incident_id = ?), state = ?, updated_at = ? "
	    "WHERE id = ? AND notified_at IS NULL",
	    "ssis", w->id, t ? t->to : inc->state, w->now, w->id);
	if (n <= 0) {
		rc = (int)n;
		goto out;
	}
	if ((rc = inc_load(inc, st, w->id, GOV_INCIDENT_WITHIN_DEFAULT)) < 0)
		goto out;
	snprintf(note, sizeof(note),
	         "pemberitahuan diterima %d penerima; jeda %lld detik sejak dilaporkan",
	         inc->recipients, (long long)inc->delay);
	rc = record(st, w->id, inc->notified_at, SYSTEM_ACTOR, "notified",
	            "gov.incident.notified", note, NULL);
out:
	free(inc);
	return rc;
}

struct kadis_list {
	char email[GOV_INCIDENT_RECIPIENTS_MAX][255];
	int n;
};

static int
kadis_one(const struct ra_person *p, void *arg)
{
	struct kadis_list *k = arg;

	if ((p->roles & ROLE_KEPALA_DINAS) && p->email[0] &&
	    k->n < GOV_INCIDENT_RECIPIENTS_MAX)
		str_copy(k->email[k->n++], sizeof(k->email[0]), p->email);
	return 0;
}

struct flag_write {
	const char *id;
	int64_t now;
	int64_t within;
	const struct kadis_list *k;
	const struct config *cfg;
};

static int
flag_fn(struct store *st, void *arg)
{
	struct flag_write *w = arg;
	struct gov_incident *inc = malloc(sizeof(*inc));
	struct time_zone tz;
	char note[240], subject[MAIL_SUBJECT_MAX + 1], body[1400], when[96];
	int64_t n;
	int i, rc = 0;

	if (inc == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	n = db_run(store_db(st),
	           "UPDATE gov_incidents SET flag_mailed_at = ? WHERE id = ? AND "
	           "flag_mailed_at IS NULL AND notified_at IS NULL",
	           "is", w->now, w->id);
	if (n <= 0) {
		rc = (int)n;
		goto out;
	}
	if ((rc = inc_load(inc, st, w->id, w->within)) < 0)
		goto out;
	if (config_time_zone(&tz, w->cfg) < 0)
		time_zone_parse(&tz, NULL);
	time_local_fmt(when, sizeof(when), inc->reported_at, &tz, time_months_id, 1, '.');
	snprintf(subject, sizeof(subject),
	         "[Insiden keamanan] BELUM diberitahukan: %.100s (%s)", inc->title,
	         inc->id);
	snprintf(body, sizeof(body),
	         "Insiden %s (%s, %s) yang dilaporkan %s belum diberitahukan kepada "
	         "penerima yang ditetapkan dalam %lld detik (%d dari %d pemberitahuan "
	         "terkirim%s).\n\nSegera periksa antrean surel dan beri tahu penerima "
	         "secara langsung bila perlu (Cirebon Pasal 24, Denpasar Pasal 25).\n\n"
	         "(Security incident %s was not notified within %lld seconds.)\n",
	         inc->id, inc->kind, inc->severity, when, (long long)w->within,
	         inc->delivered, inc->recipients,
	         inc->recipients == 0 ? "; tidak ada penerima yang dikonfigurasi "
	                                "([governance] incident_notify)"
	                              : "",
	         inc->id, (long long)w->within);
	for (i = 0; i < w->k->n; i++)
		if ((rc = mail_enqueue(st, w->k->email[i], subject, body,
		                       "incident-flag")) < 0)
			goto out;
	snprintf(note, sizeof(note),
	         "belum diberitahukan dalam %lld detik; surel ke %d Kepala Dinas",
	         (long long)w->within, w->k->n);
	rc = record(st, w->id, w->now, SYSTEM_ACTOR, "flagged", "gov.incident.flag", note,
	            NULL);
out:
	free(inc);
	return rc;
}

int
gov_incident_tick(struct store *st, const struct config *cfg, int64_t now)
{
	struct id_list *l = malloc(sizeof(*l));
	struct kadis_list k;
	struct notified_write nw;
	struct flag_write fw;
	int64_t sent_at, within = gov_incident_within(cfg);
	int i, rc, first = 0;

	if (l == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	memset(&k, 0, sizeof(k));
	/* 1. Loss reports the RA took since incidents exist (migration 27)
	 * that have no incident: the caller crashed between the two. */
	if ((rc = ids_query(l, st,
	                    "SELECT r.id, r.created_at FROM revocation_requests r WHERE "
	                    "r.cause = 'hilang' AND r.created_at >= (SELECT applied_at "
	                    "FROM schema_version WHERE version = 27) AND NOT EXISTS "
	                    "(SELECT 1 FROM gov_incidents i WHERE "
	                    "i.revocation_request_id = r.id) ORDER BY r.created_at, r.id",
	                    -1)) < 0)
		goto out;
	for (i = 0; i < l->n; i++)
		if ((rc = loss_open(st, cfg, NULL, l->id[i], NULL)) < 0 && first == 0)
			first = rc;
	/* 2. The notices delivered since the last round: their time. */
	if ((rc = ids_query(l, st,
	                    "SELECT mail_id, idx FROM gov_incident_notices WHERE "
	                    "delivered_at IS NULL ORDER BY queued_at",
	                    -1)) < 0)
		goto out;
	for (i = 0; i < l->n; i++) {
		if ((rc = mail_sent_at(st, l->id[i], &sent_at)) < 0 || sent_at == 0)
			continue;
		if ((rc = (int)db_run(store_db(st),
		                      "UPDATE gov_incident_notices SET delivered_at = ? "
		                      "WHERE mail_id = ? AND delivered_at IS NULL",
		                      "is", sent_at, l->id[i])) < 0 &&
		    first == 0)
			first = rc;
	}
	/* 3. Notified: every recipient's notice delivered. */
	if ((rc = ids_query(l, st,
	                    "SELECT i.id, i.reported_at FROM gov_incidents i WHERE "
	                    "i.notified_at IS NULL AND EXISTS (SELECT 1 FROM "
	                    "gov_incident_notices n WHERE n.incident_id = i.id) AND NOT "
	                    "EXISTS (SELECT 1 FROM gov_incident_notices n WHERE "
	                    "n.incident_id = i.id AND n.delivered_at IS NULL) ORDER BY "
	                    "i.reported_at",
	                    -1)) < 0)
		goto out;
	for (i = 0; i < l->n; i++) {
		nw.id = l->id[i];
		nw.now = now;
		if ((rc = store_atomic(st, notified_fn, &nw)) < 0 && first == 0)
			first = rc;
	}
	/* 4. Late: not notified within the time, the Kepala Dinas told once. */
	if ((rc =
	         ids_query(l, st,
	                   "SELECT id, reported_at FROM gov_incidents WHERE notified_at "
	                   "IS NULL AND flag_mailed_at IS NULL AND state <> 'closed' AND "
	                   "reported_at <= ? ORDER BY reported_at",
	                   now - within)) < 0)
		goto out;
	if (l->n > 0 && (rc = ra_person_iter(st, NULL, kadis_one, &k)) < 0)
		goto out;
	for (i = 0; i < l->n; i++) {
		fw.id = l->id[i];
		fw.now = now;
		fw.within = within;
		fw.k = &k;
		fw.cfg = cfg;
		if ((rc = store_atomic(st, flag_fn, &fw)) < 0 && first == 0)
			first = rc;
	}
	rc = first;
out:
	free(l);
	return rc;
}
