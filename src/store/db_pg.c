/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PostgreSQL backend over libpq.  '?' placeholders become $1..$n; blobs
 * travel as binary parameters, results come back as text (bytea decoded
 * from PostgreSQL's hex output).  Each connection prepares a statement the
 * first time its SQL is stepped and then only executes it (PQprepare,
 * PQexecPrepared): planning cost more than running the short look-ups
 * most pages make (bench/portal: 0.1 ms of planning per query).  Past
 * PG_CACHE statements, or when preparing fails, a statement is sent with
 * PQexecParams as before.  Prepared statements outlive transactions and
 * PostgreSQL replans them itself after schema changes.
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db_int.h"

#define PG_MAX_PARAMS 32

#define PG_MAX_COLS 64

/* Distinct SQL texts prepared per connection: every value is a parameter,
 * so the texts are the program's own, a few hundred at most. */
#define PG_CACHE 256

/* What db->conn points to. */
struct pg_conn {
	PGconn *c;
	int n;
	char *sql[PG_CACHE]; /* prepared as "s<index>" */
};

#define PGC(db) (((struct pg_conn *)(db)->conn)->c)

struct pg_stmt {
	char *sql;
	int nparams;
	char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS];
	int formats[PG_MAX_PARAMS];
	PGresult *res;
	int row; /* current row, -1 before the first step */
	int done;
	int64_t changes;
	/* Decoded bytea per column of the current row: each stays valid until
	 * the next step, as store.h promises for every column. */
	unsigned char *blob[PG_MAX_COLS];
};

#define P(s) ((struct pg_stmt *)(s)->impl)

static int
pg_open(struct db *db, const char *url)
{
	PGconn *c = PQconnectdb(url);
	struct pg_conn *pc;
	PGresult *r;

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		sertel_err(SERTEL_ESTORE, "postgresql: %s",
		           c ? PQerrorMessage(c) : "cannot connect");
		PQfinish(c);
		return SERTEL_ESTORE;
	}
	/* Quiet NOTICEs (e.g. "relation already exists, skipping"). */
	r = PQexec(c, "SET client_min_messages TO warning");
	PQclear(r);
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		PQfinish(c);
		return sertel_err(SERTEL_ENOMEM, "postgresql: out of memory");
	}
	pc->c = c;
	db->conn = pc;
	return 0;
}

static void
pg_close(struct db *db)
{
	struct pg_conn *pc = db->conn;
	int i;

	if (pc == NULL)
		return;
	PQfinish(pc->c);
	for (i = 0; i < pc->n; i++)
		free(pc->sql[i]);
	free(pc);
	db->conn = NULL;
}

/* The name sql is prepared under on this connection, preparing it the
 * first time: 1 when prepared, 0 when it is not cached (cache full, out of
 * memory: the caller sends it unprepared), -1 when PostgreSQL refused it,
 * with *err its answer (owned by the caller): a refused Parse also aborts
 * an open transaction, so it is reported as the statement's own error. */
static int
pg_prepared(char name[16], PGresult **err, struct db *db, const char *sql, int nparams)
{
	struct pg_conn *pc = db->conn;
	PGresult *r;
	char *copy;
	int i;

	*err = NULL;
	for (i = 0; i < pc->n; i++)
		if (strcmp(pc->sql[i], sql) == 0) {
			snprintf(name, 16, "s%d", i);
			return 1;
		}
	if (pc->n >= PG_CACHE || (copy = strdup(sql)) == NULL)
		return 0;
	snprintf(name, 16, "s%d", pc->n);
	r = PQprepare(pc->c, name, sql, nparams, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		free(copy);
		*err = r;
		return -1;
	}
	PQclear(r);
	pc->sql[pc->n++] = copy;
	return 1;
}

/* Strips libpq's trailing newline so the message stays one line. */
static int
pg_err(struct db *db, const char *what, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char msg[400];
	size_t n;

	str_copy(msg, sizeof(msg), PQerrorMessage(PGC(db)));
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* 23505 unique_violation: the caller can tell a duplicate apart. */
	if (state != NULL && strcmp(state, "23505") == 0)
		return sertel_err(SERTEL_EEXISTS, "postgresql: %s: %s", what, msg);
	return sertel_err(SERTEL_ESTORE, "postgresql: %s: %s", what, msg);
}

static int
pg_exec(struct db *db, const char *sql)
{
	PGresult *r = PQexec(PGC(db), sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_err(db, "exec", r);
	PQclear(r);
	return rc;
}

static int
pg_prepare(struct db_stmt *s, const char *sql)
{
	struct pg_stmt *q;
	struct buf b;
	const char *p;
	int n = 0, rc, inquote = 0;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "postgresql: out of memory");
	buf_init(&b, 1 << 20);
	for (p = sql; *p != '\0'; p++) {
		if (*p == '\'')
			inquote = !inquote;
		if (*p == '?' && !inquote) {
			if (++n > PG_MAX_PARAMS) {
				rc = sertel_err(SERTEL_ESTORE,
				                "postgresql: too many parameters");
				goto fail;
			}
			rc = buf_appendf(&b, "$%d", n);
		} else {
			rc = buf_putc(&b, (unsigned char)*p);
		}
		if (rc < 0)
			goto fail;
	}
	if ((rc = buf_cstr(&b)) < 0)
		goto fail;
	q->sql = (char *)buf_detach(&b, NULL);
	q->nparams = n;
	q->row = -1;
	s->impl = q;
	return 0;
fail:
	buf_free(&b);
	free(q);
	return rc;
}

static int
pg_set(struct db_stmt *s, int idx, char *v, int len, int fmt)
{
	struct pg_stmt *q = P(s);

	if (idx < 1 || idx > q->nparams) {
		free(v);
		return sertel_err(SERTEL_ESTORE, "postgresql: bind index %d out of range",
		                  idx);
	}
	free(q->values[idx - 1]);
	q->values[idx - 1] = v;
	q->lengths[idx - 1] = len;
	q->formats[idx - 1] = fmt;
	return 0;
}

static int
pg_bind_text(struct db_stmt *s, int idx, const char *v)
{
	char *c = strdup(v);

	if (c == NULL)
		return sertel_err(SERTEL_ENOMEM, "postgresql: out of memory");
	return pg_set(s, idx, c, 0, 0);
}

static int
pg_bind_int(struct db_stmt *s, int idx, int64_t v)
{
	char tmp[32];
	char *c;

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	if ((c = strdup(tmp)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "postgresql: out of memory");
	return pg_set(s, idx, c, 0, 0);
}

static int
pg_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n)
{
	char *c;

	if (n > INT32_MAX)
		return sertel_err(SERTEL_ETOOBIG, "postgresql: blob too large");
	if ((c = malloc(n ? n : 1)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "postgresql: out of memory");
	if (n)
		memcpy(c, p, n);
	return pg_set(s, idx, c, (int)n, 1);
}

static int
pg_bind_null(struct db_stmt *s, int idx)
{
	return pg_set(s, idx, NULL, 0, 0);
}

static void
pg_blobs_free(struct pg_stmt *q)
{
	int i;

	for (i = 0; i < PG_MAX_COLS; i++) {
		PQfreemem(q->blob[i]);
		q->blob[i] = NULL;
	}
}

static int
pg_step(struct db_stmt *s)
{
	struct pg_stmt *q = P(s);
	ExecStatusType st;
	const char *ct;
	char name[16];
	int prep;

	if (q->res == NULL && !q->done) {
		prep = pg_prepared(name, &q->res, s->db, q->sql, q->nparams);
		if (prep == 1)
			q->res = PQexecPrepared(PGC(s->db), name, q->nparams,
			                        (const char *const *)q->values,
			                        q->lengths, q->formats, 0);
		else if (prep == 0)
			q->res = PQexecParams(PGC(s->db), q->sql, q->nparams, NULL,
			                      (const char *const *)q->values, q->lengths,
			                      q->formats, 0);
		st = PQresultStatus(q->res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			int rc = pg_err(s->db, "step", q->res);
			PQclear(q->res);
			q->res = NULL;
			q->done = 1;
			return rc;
		}
		ct = PQcmdTuples(q->res);
		q->changes = (ct && *ct) ? strtoll(ct, NULL, 10) : 0;
		q->row = -1;
	}
	if (q->res == NULL)
		return 0;
	pg_blobs_free(q);
	q->row++;
	if (q->row < PQntuples(q->res))
		return 1;
	PQclear(q->res);
	q->res = NULL;
	q->done = 1;
	return 0;
}

static const char *
pg_col_text(struct db_stmt *s, int col)
{
	struct pg_stmt *q = P(s);

	if (q->res == NULL || PQgetisnull(q->res, q->row, col))
		return NULL;
	return PQgetvalue(q->res, q->row, col);
}

static int64_t
pg_col_int(struct db_stmt *s, int col)
{
	const char *v = pg_col_text(s, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

static const unsigned char *
pg_col_blob(struct db_stmt *s, int col, size_t *len)
{
	struct pg_stmt *q = P(s);
	const char *v = pg_col_text(s, col);
	size_t n;

	*len = 0;
	if (v == NULL || col < 0 || col >= PG_MAX_COLS)
		return NULL;
	PQfreemem(q->blob[col]);
	q->blob[col] = PQunescapeBytea((const unsigned char *)v, &n);
	if (q->blob[col] == NULL)
		return NULL;
	*len = n;
	return q->blob[col];
}

static int
pg_col_null(struct db_stmt *s, int col)
{
	struct pg_stmt *q = P(s);

	return q->res == NULL || PQgetisnull(q->res, q->row, col);
}

static int64_t
pg_changes(struct db_stmt *s)
{
	return P(s)->changes;
}

static void
pg_finalize(struct db_stmt *s)
{
	struct pg_stmt *q = P(s);
	int i;

	if (q == NULL)
		return;
	for (i = 0; i < PG_MAX_PARAMS; i++) {
		free(q->values[i]);
	}
	PQclear(q->res);
	pg_blobs_free(q);
	free(q->sql);
	free(q);
}

const struct db_ops db_pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_blob = pg_col_blob,
    .col_null = pg_col_null,
    .changes = pg_changes,
    .finalize = pg_finalize,
};
