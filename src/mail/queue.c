/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mail queue: rows in mail_queue (schema v3) written inside the
 * caller's transaction and delivered later by mail_flush().
 *
 * States: queued -> sending -> sent, or back to queued with a later
 * next_attempt_at, or failed.  While a row is 'sending', next_attempt_at
 * is the end of the sender's lease: a row whose lease ran out (its sender
 * crashed) is due again.  Every transition is a compare-and-swap UPDATE on
 * the values read (state, next_attempt_at, attempts) checked with
 * db_changes() == 1, which both engines serialise on the row, so two
 * flushers never both own a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"

static int kind_check(const char *kind);
static void error_line(char *out, size_t outsz, const char *msg);
static int64_t lease_seconds(const struct mail_conf *c);
static int flush_one(struct store *st, const struct mail_conf *c, struct mail_smtp *smtp,
                     const char *id, const char *state, int64_t next_at, int64_t attempts,
                     int *sent, int *failed);

/* ---- checks ----------------------------------------------------------- */
static int
is_atext(int c)
{
	/* RFC 5322 3.2.3 atext */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static int
is_ldh(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

int
mail_addr_check(const char *addr)
{
	const char *at, *p, *label;
	size_t n, llen;
	int dots = 0;

	if (addr == NULL || *addr == '\0')
		return sertel_err(SERTEL_EINVAL, "mail address: empty");
	n = strlen(addr);
	if (strpbrk(addr, "\r\n") != NULL)
		return sertel_err(
		    SERTEL_EINVAL,
		    "mail address: CR/LF refused (RFC 5322 2.2: header injection)");
	if (n > MAIL_ADDR_MAX)
		return sertel_err(
		    SERTEL_EINVAL,
		    "mail address: %zu octets: RFC 5321 4.5.3.1.3: path over 256", n);
	if ((at = strrchr(addr, '@')) == NULL || at == addr)
		return sertel_err(
		    SERTEL_EINVAL,
		    "mail address: RFC 5322 3.4.1: no local part '@' domain");
	/* Local part: dot-atom (RFC 5322 3.2.3), at most 64 octets (RFC 5321
	 * 4.5.3.1.1).  Quoted strings are legal but never needed here. */
	if ((size_t)(at - addr) > 64)
		return sertel_err(
		    SERTEL_EINVAL,
		    "mail address: RFC 5321 4.5.3.1.1: local part over 64 octets");
	for (p = addr; p < at; p++) {
		if (*p == '.') {
			if (p == addr || p + 1 == at || p[1] == '.')
				return sertel_err(SERTEL_EINVAL,
				                  "mail address: RFC 5322 3.2.3: "
				                  "misplaced '.' in local part");
		} else if (!is_atext((unsigned char)*p)) {
			return sertel_err(SERTEL_EINVAL,
			                  "mail address: RFC 5322 3.2.3: character "
			                  "0x%02x not allowed in local part",
			                  (unsigned char)*p);
		}
	}
	/* Domain: LDH labels of 1-63 octets, no leading or trailing hyphen
	 * (RFC 5321 4.1.2, RFC 1035 2.3.1), at least two labels, at most 255
	 * octets (RFC 5321 4.5.3.1.2). */
	p = at + 1;
	if (strlen(p) > 255 || *p == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "mail address: RFC 5321 4.5.3.1.2: bad domain length");
	label = p;
	for (;; p++) {
		if (*p == '.' || *p == '\0') {
			llen = (size_t)(p - label);
			if (llen == 0 || llen > 63 || label[0] == '-' || p[-1] == '-')
				return sertel_err(
				    SERTEL_EINVAL,
				    "mail address: RFC 5321 4.1.2: bad domain label");
			if (*p == '\0')
				break;
			dots++;
			label = p + 1;
		} else if (!is_ldh((unsigned char)*p)) {
			return sertel_err(SERTEL_EINVAL,
			                  "mail address: RFC 5321 4.1.2: character "
			                  "0x%02x not allowed in domain",
			                  (unsigned char)*p);
		}
	}
	if (dots == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "mail address: domain is not a dotted name");
	return 0;
}

int
mail_text_check(const char *s, int multiline, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int n, i;

	for (; *p != '\0'; p += n) {
		if (*p < 0x80) {
			n = 1;
			if (*p == '\r' || *p == '\n') {
				if (!multiline)
					return sertel_err(SERTEL_EINVAL,
					                  "%s: CR/LF refused (RFC 5322 "
					                  "2.2: header injection)",
					                  what);
			} else if (*p == '\t') {
				if (!multiline)
					return sertel_err(SERTEL_EINVAL,
					                  "%s: TAB refused", what);
			} else if (*p < 0x20 || *p == 0x7f) {
				return sertel_err(SERTEL_EINVAL,
				                  "%s: control character 0x%02x refused",
				                  what, *p);
			}
			continue;
		}
		/* RFC 3629 4: shortest form, no surrogates, at most U+10FFFF. */
		if (*p >= 0xc2 && *p <= 0xdf) {
			n = 2;
			cp = *p & 0x1f;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			n = 3;
			cp = *p & 0x0f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 4;
			cp = *p & 0x07;
		} else {
			return sertel_err(SERTEL_EINVAL,
			                  "%s: RFC 3629: invalid UTF-8 lead byte 0x%02x",
			                  what, *p);
		}
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return sertel_err(
				    SERTEL_EINVAL,
				    "%s: RFC 3629: truncated UTF-8 sequence", what);
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return sertel_err(
			    SERTEL_EINVAL,
			    "%s: RFC 3629: overlong, surrogate or out-of-range UTF-8",
			    what);
		/* C1 controls (U+0080..U+009F) are as unwelcome as C0 ones. */
		if (cp < 0xa0)
			return sertel_err(SERTEL_EINVAL,
			                  "%s: control character U+%04X refused", what,
			                  cp);
	}
	return 0;
}

static int
kind_check(const char *kind)
{
	size_t n, i;

	if (kind == NULL || (n = strlen(kind)) == 0 || n > MAIL_KIND_MAX)
		return sertel_err(SERTEL_EINVAL, "mail kind: 1 to %d characters",
		                  MAIL_KIND_MAX);
	for (i = 0; i < n; i++) {
		if (!((kind[i] >= 'a' && kind[i] <= 'z') ||
		      (kind[i] >= '0' && kind[i] <= '9') || kind[i] == '_' ||
		      kind[i] == '-'))
			return sertel_err(SERTEL_EINVAL,
			                  "mail kind: only [a-z0-9_-] allowed");
	}
	return 0;
}

/* ---- enqueue ----------------------------------------------------------- */
int
mail_enqueue(struct store *st, const char *to, const char *subject, const char *body,
             const char *kind)
{
	char id[MAIL_ID_LEN + 1];

	return mail_enqueue_id(id, st, to, subject, body, kind);
}

int
mail_enqueue_id(char id[MAIL_ID_LEN + 1], struct store *st, const char *to,
                const char *subject, const char *body, const char *kind)
{
	unsigned char rnd[MAIL_ID_LEN / 2];
	int64_t now, n;
	size_t len;
	int rc;

	if ((rc = mail_addr_check(to)) < 0)
		return rc;
	if (subject == NULL || *subject == '\0')
		return sertel_err(SERTEL_EINVAL, "mail subject: empty");
	if ((len = strlen(subject)) > MAIL_SUBJECT_MAX)
		return sertel_err(SERTEL_ETOOBIG, "mail subject: %zu bytes, at most %d",
		                  len, MAIL_SUBJECT_MAX);
	if ((rc = mail_text_check(subject, 0, "mail subject")) < 0)
		return rc;
	if (body == NULL)
		return sertel_err(SERTEL_EINVAL, "mail body: missing");
	if ((len = strlen(body)) > MAIL_BODY_MAX)
		return sertel_err(SERTEL_ETOOBIG, "mail body: %zu bytes, at most %d", len,
		                  MAIL_BODY_MAX);
	if ((rc = mail_text_check(body, 1, "mail body")) < 0)
		return rc;
	if ((rc = kind_check(kind)) < 0)
		return rc;
	if ((rc = rand_bytes(rnd, sizeof(rnd))) < 0)
		return rc;
	hex_encode(id, rnd, sizeof(rnd));
	now = time_now();
	n = db_run(store_db(st),
	           "INSERT INTO mail_queue (id, to_addr, subject, body, kind, state,"
	           " attempts, next_attempt_at, last_error, created_at, sent_at)"
	           " VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, NULL, ?, NULL)",
	           "sssssii", id, to, subject, body, kind, now, now);
	if (n < 0)
		return (int)n;
	return 0;
}

/* ---- flush ------------------------------------------------------------- */
int64_t
mail_backoff(int64_t attempts)
{
	int64_t d = MAIL_BACKOFF_BASE;

	while (--attempts > 0 && d < MAIL_BACKOFF_MAX)
		d *= 2;
	return d < MAIL_BACKOFF_MAX ? d : MAIL_BACKOFF_MAX;
}

/* How long a claim holds: one send is bounded by curl's timeouts
 * (connect + transfer), with room for the database writes around it. */
static int64_t
lease_seconds(const struct mail_conf *c)
{
	return 3 * (int64_t)c->timeout_seconds + 60;
}

/* Keeps last_error one line of printable ASCII: it is shown to operators,
 * may quote a remote server, and must be valid text for either engine. */
static void
error_line(char *out, size_t outsz, const char *msg)
{
	size_t i, j = 0;

	for (i = 0; msg[i] != '\0' && j + 1 < outsz; i++) {
		unsigned char ch = (unsigned char)msg[i];
		out[j++] = (ch < 0x20 || ch == 0x7f) ? ' ' : ch >= 0x80 ? '?' : (char)ch;
	}
	out[j] = '\0';
}

struct due {
	char id[33];
	char state[8];
	int64_t next_at;
	int64_t attempts;
};

int
mail_flush(struct store *st, const struct mail_conf *c, int *sent, int *failed)
{
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	struct mail_smtp *smtp = NULL;
	struct due *due = NULL;
	int ndue = 0, nsent = 0, nfailed = 0, rc, i;

	if (sent != NULL)
		*sent = 0;
	if (failed != NULL)
		*failed = 0;
	if (!c->enabled)
		return sertel_err(SERTEL_EINVAL, "mail: [smtp] host is not configured");
	/* SMTP takes seconds: it must not hold a transaction's locks. */
	if (db_in_tx(db))
		return sertel_err(SERTEL_ESTATE,
		                  "mail_flush: called inside a transaction");
	if ((due = calloc(MAIL_FLUSH_BATCH, sizeof(*due))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "mail: out of memory");
	if ((rc = db_prepare(&s, db,
	                     "SELECT id, state, next_attempt_at, attempts FROM mail_queue"
	                     " WHERE (state = 'queued' OR state = 'sending')"
	                     " AND next_attempt_at <= ?"
	                     " ORDER BY next_attempt_at, id LIMIT ?")) < 0)
		goto out;
	if ((rc = db_bind_int(s, 1, time_now())) < 0 ||
	    (rc = db_bind_int(s, 2, MAIL_FLUSH_BATCH)) < 0)
		goto out;
	while (ndue < MAIL_FLUSH_BATCH && (rc = db_step(s)) == 1) {
		const char *v;

		if ((v = db_col_text(s, 0)) == NULL ||
		    str_copy(due[ndue].id, sizeof(due[0].id), v) < 0 ||
		    (v = db_col_text(s, 1)) == NULL ||
		    str_copy(due[ndue].state, sizeof(due[0].state), v) < 0)
			continue; /* not a row mail_enqueue wrote: leave it */
		due[ndue].next_at = db_col_int(s, 2);
		due[ndue].attempts = db_col_int(s, 3);
		ndue++;
	}
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		goto out;
	rc = 0;
	if (ndue == 0)
		goto out;
	/* Open the session before claiming anything, so a local failure here
	 * leaves no row waiting for its lease to run out. */
	if ((rc = mail_smtp_open(&smtp, c)) < 0)
		goto out;
	for (i = 0; i < ndue; i++) {
		if ((rc = flush_one(st, c, smtp, due[i].id, due[i].state, due[i].next_at,
		                    due[i].attempts, &nsent, &nfailed)) < 0)
			goto out;
	}
	rc = 0;
out:
	db_finalize(s);
	mail_smtp_close(smtp);
	free(due);
	if (sent != NULL)
		*sent = nsent;
	if (failed != NULL)
		*failed = nfailed;
	return rc;
}

/* Claims, sends and settles one row.  Returns <0 only when the store
 * fails; SMTP failures are recorded in the row. */
static int
flush_one(struct store *st, const struct mail_conf *c, struct mail_smtp *smtp,
          const char *id, const char *state, int64_t next_at, int64_t attempts, int *sent,
          int *failed)
{
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	struct mail_msg m;
	char *to = NULL, *subject = NULL, *body = NULL, *kind = NULL;
	char err[MAIL_ERROR_MAX + 1];
	int64_t lease, n, now;
	int rc, permanent = 0;

	if (attempts >= c->max_attempts) {
		/* Its last attempt never settled (the sender died holding the
		 * lease), or max_attempts was lowered: give up on it. */
		snprintf(
		    err, sizeof(err), "gave up after %lld attempts (max_attempts %d)%s",
		    (long long)attempts, c->max_attempts,
		    strcmp(state, "sending") == 0 ? "; the last one never finished" : "");
		n = db_run(db,
		           "UPDATE mail_queue SET state = 'failed', last_error = ?"
		           " WHERE id = ? AND state = ? AND next_attempt_at = ? AND "
		           "attempts = ?",
		           "sssii", err, id, state, next_at, attempts);
		if (n == 1)
			log_msg(LOG_WARN, "mail %s: %s", id, err);
		return n < 0 ? (int)n : 0;
	}

	/* Claim: the row must still be exactly as read, so of two flushers
	 * that read it only one UPDATE changes it. */
	lease = time_now() + lease_seconds(c);
	n = db_run(db,
	           "UPDATE mail_queue SET state = 'sending', attempts = attempts + 1,"
	           " next_attempt_at = ?"
	           " WHERE id = ? AND state = ? AND next_attempt_at = ? AND attempts = ?",
	           "issii", lease, id, state, next_at, attempts);
	if (n < 0)
		return (int)n;
	if (n != 1)
		return 0; /* another flusher has it */
	attempts++;
	if (strcmp(state, "sending") == 0)
		log_msg(LOG_WARN, "mail %s: lease expired, taking it over (attempt %lld)",
		        id, (long long)attempts);

	if ((rc = db_prepare(
	         &s, db,
	         "SELECT to_addr, subject, body, kind, created_at FROM mail_queue"
	         " WHERE id = ?")) < 0)
		goto out;
	if ((rc = db_bind_text(s, 1, id)) < 0)
		goto out;
	if ((rc = db_step(s)) != 1) {
		if (rc == 0)
			rc = sertel_err(SERTEL_ENOTFOUND,
			                "mail %s: vanished while claimed", id);
		goto out;
	}
	to = strdup(db_col_text(s, 0) ? db_col_text(s, 0) : "");
	subject = strdup(db_col_text(s, 1) ? db_col_text(s, 1) : "");
	body = strdup(db_col_text(s, 2) ? db_col_text(s, 2) : "");
	kind = strdup(db_col_text(s, 3) ? db_col_text(s, 3) : "");
	m.created_at = db_col_int(s, 4);
	db_finalize(s);
	s = NULL;
	if (to == NULL || subject == NULL || body == NULL || kind == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "mail: out of memory");
		goto out;
	}
	m.id = id;
	m.to = to;
	m.subject = subject;
	m.body = body;
	m.kind = kind;

	if ((rc = mail_smtp_send(&permanent, smtp, &m)) == 0) {
		n = db_run(
		    db,
		    "UPDATE mail_queue SET state = 'sent', sent_at = ?, last_error = NULL"
		    " WHERE id = ? AND state = 'sending' AND next_attempt_at = ? AND "
		    "attempts = ?",
		    "isii", time_now(), id, lease, attempts);
		if (n < 0) {
			/* Delivered but not recorded: the row is sent again when
			 * the lease runs out (at-least-once, see docs/MAIL.md). */
			rc = (int)n;
			goto out;
		}
		if (n != 1)
			log_msg(LOG_WARN,
			        "mail %s: delivered after its lease ran out; "
			        "another node may deliver it again",
			        id);
		log_msg(LOG_INFO, "mail %s: sent (%s, attempt %lld)", id, kind,
		        (long long)attempts);
		(*sent)++;
		rc = 0;
		goto out;
	}

	error_line(err, sizeof(err), sertel_errmsg());
	now = time_now();
	if (permanent || attempts >= c->max_attempts) {
		n = db_run(db,
		           "UPDATE mail_queue SET state = 'failed', last_error = ?"
		           " WHERE id = ? AND state = 'sending' AND next_attempt_at = ? "
		           "AND attempts = ?",
		           "ssii", err, id, lease, attempts);
		log_msg(LOG_WARN, "mail %s: failed for good after %lld attempt(s): %s",
		        id, (long long)attempts, err);
	} else {
		n = db_run(db,
		           "UPDATE mail_queue SET state = 'queued', last_error = ?, "
		           "next_attempt_at = ?"
		           " WHERE id = ? AND state = 'sending' AND next_attempt_at = ? "
		           "AND attempts = ?",
		           "sisii", err, now + mail_backoff(attempts), id, lease,
		           attempts);
		log_msg(LOG_WARN, "mail %s: attempt %lld failed, retry in %lld s: %s", id,
		        (long long)attempts, (long long)mail_backoff(attempts), err);
	}
	if (n < 0) {
		rc = (int)n;
		goto out;
	}
	(*failed)++;
	rc = 0;
out:
	db_finalize(s);
	free(to);
	free(subject);
	free(body);
	free(kind);
	return rc;
}

/* ---- operators --------------------------------------------------------- */
static int
state_check(const char *state)
{
	if (strcmp(state, "queued") == 0 || strcmp(state, "sending") == 0 ||
	    strcmp(state, "sent") == 0 || strcmp(state, "failed") == 0)
		return 0;
	return sertel_err(SERTEL_EINVAL,
	                  "mail state '%.16s': expected queued, sending, sent "
	                  "or failed",
	                  state);
}

static const char *
col_or_empty(struct db_stmt *s, int col)
{
	const char *v = db_col_text(s, col);

	return v != NULL ? v : "";
}

/* One row of a mail_queue SELECT in the column order of MAIL_COLS. */
#define MAIL_COLS                                                                        \
	"id, to_addr, subject, body, kind, state, attempts, next_attempt_at, "           \
	"last_error, created_at, sent_at"

/* Calls cb for each row of the prepared and bound SELECT s (MAIL_COLS),
 * then finalises s; a non-zero cb return stops and is returned. */
static int mail_walk(struct db_stmt *s, mail_iter_fn cb, void *arg);

static void
mail_row(struct mail_rec *r, struct db_stmt *s)
{
	r->id = col_or_empty(s, 0);
	r->to = col_or_empty(s, 1);
	r->subject = col_or_empty(s, 2);
	r->body = col_or_empty(s, 3);
	r->kind = col_or_empty(s, 4);
	r->state = col_or_empty(s, 5);
	r->attempts = db_col_int(s, 6);
	r->next_attempt_at = db_col_int(s, 7);
	r->last_error = col_or_empty(s, 8);
	r->created_at = db_col_int(s, 9);
	r->sent_at = db_col_null(s, 10) ? 0 : db_col_int(s, 10);
}

static int
mail_walk(struct db_stmt *s, mail_iter_fn cb, void *arg)
{
	struct mail_rec r;
	int rc;

	while ((rc = db_step(s)) == 1) {
		mail_row(&r, s);
		if ((rc = cb(&r, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc;
}

int
mail_list(struct store *st, const char *state, mail_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	int rc;

	if (state != NULL && (rc = state_check(state)) < 0)
		return rc;
	rc = db_prepare(&s, store_db(st),
	                state != NULL ? "SELECT " MAIL_COLS " FROM mail_queue"
	                                " WHERE state = ? ORDER BY created_at, id"
	                              : "SELECT " MAIL_COLS " FROM mail_queue"
	                                " ORDER BY created_at, id");
	if (rc < 0)
		goto out;
	if (state != NULL && (rc = db_bind_text(s, 1, state)) < 0)
		goto out;
	return mail_walk(s, cb, arg);
out:
	db_finalize(s);
	return rc;
}

int
mail_list_to(struct store *st, const char *to, int limit, int offset, int64_t *total,
             mail_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	int rc;

	*total = 0;
	if (to == NULL || *to == '\0' || strlen(to) > MAIL_ADDR_MAX)
		return sertel_err(SERTEL_EINVAL, "notices: an address is required");
	if (limit < 1 || limit > 200 || offset < 0)
		return sertel_err(SERTEL_EINVAL, "notices: a page is 1..200 rows");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM mail_queue WHERE to_addr = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, to)) == 0 && (rc = db_step(s)) == 1)
		*total = db_col_int(s, 0);
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " MAIL_COLS " FROM mail_queue WHERE to_addr = ? "
	                     "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, to)) < 0 || (rc = db_bind_int(s, 2, limit)) < 0 ||
	    (rc = db_bind_int(s, 3, offset)) < 0) {
		db_finalize(s);
		return rc;
	}
	return mail_walk(s, cb, arg);
}

int
mail_sent_at(struct store *st, const char *id, int64_t *sent_at)
{
	struct db_stmt *s = NULL;
	int rc;

	*sent_at = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT state, sent_at FROM mail_queue WHERE id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 && (rc = db_step(s)) == 1) {
		if (strcmp(col_or_empty(s, 0), "sent") == 0 && !db_col_null(s, 1))
			*sent_at = db_col_int(s, 1);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "mail %.40s: no such notice", id);
	}
	db_finalize(s);
	return rc;
}

int
mail_retry(struct store *st, const char *id)
{
	int64_t n;

	n = db_run(
	    store_db(st),
	    "UPDATE mail_queue SET state = 'queued', attempts = 0, next_attempt_at = ?"
	    " WHERE id = ? AND state = 'failed'",
	    "is", time_now(), id);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "mail %.40s: no failed notice with this id", id);
	return 0;
}
