/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Engine dispatch for db_*: parses the URL, picks the backend and keeps the
 * transaction flag so callers can assert they run inside one.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db_int.h"

int
db_open(struct db **out, const char *url)
{
	struct db *db;
	const char *target;
	int rc;

	*out = NULL;
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "db: out of memory");
	if (strncmp(url, "sqlite:", 7) == 0) {
		db->ops = &db_sqlite_ops;
		db->engine = DB_SQLITE;
		target = url + 7;
	} else if (strncmp(url, "postgresql://", 13) == 0 ||
	           strncmp(url, "postgres://", 11) == 0) {
		db->ops = &db_pg_ops;
		db->engine = DB_PG;
		target = url;
	} else {
		free(db);
		return sertel_err(SERTEL_EINVAL,
		                  "database URL '%s': expected sqlite:PATH or "
		                  "postgresql://...",
		                  url);
	}
	if ((rc = db->ops->open(db, target)) < 0) {
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->in_tx)
		db_rollback(db);
	db->ops->close(db);
	free(db);
}

enum db_engine
db_engine_of(const struct db *db)
{
	return db->engine;
}

int
db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

int
db_begin(struct db *db)
{
	int rc;

	if (db->in_tx)
		return sertel_err(SERTEL_ESTORE, "db: nested transaction");
	rc = db->ops->exec(db, db->engine == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	if (rc == 0)
		db->in_tx = 1;
	return rc;
}

int
db_commit(struct db *db)
{
	int rc;

	if (!db->in_tx)
		return sertel_err(SERTEL_ESTORE, "db: commit outside a transaction");
	rc = db->ops->exec(db, "COMMIT");
	if (rc < 0) {
		char msg[512];
		/* Keep the commit error, not the rollback's. */
		str_copy(msg, sizeof(msg), sertel_errmsg());
		db->ops->exec(db, "ROLLBACK");
		sertel_err(rc, "%s", msg);
	}
	db->in_tx = 0;
	return rc;
}

int
db_rollback(struct db *db)
{
	char msg[512];

	if (!db->in_tx)
		return 0;
	/* A rollback must not overwrite the error that caused it. */
	str_copy(msg, sizeof(msg), sertel_errmsg());
	db->in_tx = 0;
	db->ops->exec(db, "ROLLBACK");
	sertel_err(0, "%s", msg);
	return 0;
}

int
db_in_tx(const struct db *db)
{
	return db->in_tx;
}

int
db_prepare(struct db_stmt **out, struct db *db, const char *sql)
{
	struct db_stmt *s;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "db: out of memory");
	s->db = db;
	if ((rc = db->ops->prepare(s, sql)) < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int
db_bind_text(struct db_stmt *s, int idx, const char *v)
{
	if (v == NULL)
		return s->db->ops->bind_null(s, idx);
	return s->db->ops->bind_text(s, idx, v);
}

int
db_bind_int(struct db_stmt *s, int idx, int64_t v)
{
	return s->db->ops->bind_int(s, idx, v);
}

int
db_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n)
{
	return s->db->ops->bind_blob(s, idx, p, n);
}

int
db_bind_null(struct db_stmt *s, int idx)
{
	return s->db->ops->bind_null(s, idx);
}

int
db_step(struct db_stmt *s)
{
	return s->db->ops->step(s);
}

const char *
db_col_text(struct db_stmt *s, int col)
{
	return s->db->ops->col_text(s, col);
}

int64_t
db_col_int(struct db_stmt *s, int col)
{
	return s->db->ops->col_int(s, col);
}

const unsigned char *
db_col_blob(struct db_stmt *s, int col, size_t *len)
{
	return s->db->ops->col_blob(s, col, len);
}

int
db_col_null(struct db_stmt *s, int col)
{
	return s->db->ops->col_null(s, col);
}

int64_t
db_changes(struct db_stmt *s)
{
	return s->db->ops->changes(s);
}

void
db_finalize(struct db_stmt *s)
{
	if (s == NULL)
		return;
	s->db->ops->finalize(s);
	free(s);
}

int
db_get_text(struct db *db, char *out, size_t outsz, const char *sql, const char *param)
{
	struct db_stmt *s = NULL;
	int rc;

	out[0] = '\0';
	if ((rc = db_prepare(&s, db, sql)) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, param)) == 0 && (rc = db_step(s)) == 1)
		str_copy(out, outsz, db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

int64_t
db_run(struct db *db, const char *sql, const char *fmt, ...)
{
	struct db_stmt *s = NULL;
	va_list ap;
	int rc, i;
	int64_t changes;

	if ((rc = db_prepare(&s, db, sql)) < 0)
		return rc;
	va_start(ap, fmt);
	for (i = 0; fmt[i] != '\0' && rc == 0; i++) {
		if (fmt[i] == 's') {
			rc = db_bind_text(s, i + 1, va_arg(ap, const char *));
		} else if (fmt[i] == 'i') {
			rc = db_bind_int(s, i + 1, va_arg(ap, int64_t));
		} else {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = db_bind_blob(s, i + 1, p, n);
		}
	}
	va_end(ap);
	if (rc == 0)
		rc = db_step(s);
	changes = rc < 0 ? rc : db_changes(s);
	db_finalize(s);
	return changes;
}
