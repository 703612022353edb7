/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQLite backend: WAL journal, synchronous=FULL so a committed change
 * survives power loss, a busy timeout so concurrent writers queue instead
 * of failing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db_int.h"

#define SQLITE_BUSY_MS 30000

struct sqlite_stmt {
	sqlite3_stmt *st;
	int64_t changes;
	int cached; /* belongs to the connection's cache: reset, not finalized */
};

/* Prepared statements are kept per connection and reused: the same few
 * SQL texts run for every request, and preparing them is a parse and a
 * plan each time.  Keyed by the SQL text. */
#define SQ_CACHE 48
struct sq_cache_entry {
	char *sql;
	sqlite3_stmt *st;
	int busy;
};
struct sq_conn {
	sqlite3 *h;
	struct sq_cache_entry cache[SQ_CACHE];
	int n;
};
#define SQH(db) (((struct sq_conn *)(db)->conn)->h)

static int
sq_err(struct db *db, const char *what)
{
	return sertel_err(SERTEL_ESTORE, "sqlite: %s: %s", what, sqlite3_errmsg(SQH(db)));
}

/* A database file holds every certificate, person and audit entry: like
 * the master key it is refused when group or others may read or write it
 * (issue 19: [instance] db outside the 0700 instance directory was created
 * 0644).  An existing -wal/-shm of the database is held to the same rule.
 * missing_ok: a file that does not exist is fine. */
static int
sq_mode_check(const char *path, int missing_ok)
{
	struct stat sb;

	if (stat(path, &sb) < 0) {
		if (errno == ENOENT && missing_ok)
			return 0;
		return sertel_err(SERTEL_ESTORE, "sqlite: %s: %s", path, strerror(errno));
	}
	if ((sb.st_mode & 077) != 0)
		return sertel_err(SERTEL_EPERM,
		                  "sqlite: %s: mode %04o is readable or writable by "
		                  "group or others; the database must be mode 0600 "
		                  "(chmod 600 %s)",
		                  path, (unsigned)(sb.st_mode & 07777), path);
	return 0;
}

/* Creates the database file 0600 before SQLite does (SQLite would use
 * 0644 minus the umask), and checks the modes of the file and its WAL
 * companions.  SQLite gives -wal and -shm the mode of the database file,
 * so they are born 0600 too. */
static int
sq_file_prepare(const char *path)
{
	static const char *const companions[] = {"-wal", "-shm", "-journal"};
	char side[4096];
	size_t i;
	int fd, rc;

	/* In-memory and URI databases are not files of ours. */
	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return 0;
	/* Only a file that does not exist yet is opened here: closing any
	 * descriptor of a file drops every POSIX lock this process holds on
	 * it, including the locks of SQLite connections already open on it
	 * (the server's other threads), so an existing file is only stat'ed. */
	if (access(path, F_OK) != 0) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return sertel_err(SERTEL_ESTORE, "sqlite: %s: %s", path,
			                  strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if ((rc = sq_mode_check(path, 0)) < 0)
		return rc;
	for (i = 0; i < sizeof(companions) / sizeof(companions[0]); i++) {
		if (snprintf(side, sizeof(side), "%s%s", path, companions[i]) >=
		    (int)sizeof(side))
			return sertel_err(SERTEL_EINVAL, "sqlite: path too long");
		if ((rc = sq_mode_check(side, 1)) < 0)
			return rc;
	}
	return 0;
}

static int
sq_open(struct db *db, const char *path)
{
	sqlite3 *h = NULL;
	int rc;

	if (*path == '\0')
		return sertel_err(SERTEL_EINVAL, "sqlite: empty path");
	if ((rc = sq_file_prepare(path)) < 0)
		return rc;
	rc = sqlite3_open_v2(
	    path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		sertel_err(SERTEL_ESTORE, "sqlite: %s: %s", path,
		           h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close(h);
		return SERTEL_ESTORE;
	}
	if ((db->conn = calloc(1, sizeof(struct sq_conn))) == NULL) {
		sqlite3_close(h);
		return sertel_err(SERTEL_ENOMEM, "sqlite: out of memory");
	}
	SQH(db) = h;
	sqlite3_busy_timeout(h, SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(h, 1);
	if (db->ops->exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	                      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;") < 0) {
		sqlite3_close(h);
		free(db->conn);
		db->conn = NULL;
		return SERTEL_ESTORE;
	}
	return 0;
}

static void
sq_close(struct db *db)
{
	struct sq_conn *c = db->conn;
	int i;

	for (i = 0; i < c->n; i++) {
		sqlite3_finalize(c->cache[i].st);
		free(c->cache[i].sql);
	}
	sqlite3_close_v2(c->h);
	free(c);
}

static int sq_prepare(struct db_stmt *s, const char *sql);
static int sq_step(struct db_stmt *s);
static void sq_finalize(struct db_stmt *s);

static int
sq_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	/* One statement (BEGIN, COMMIT, SAVEPOINT, ...): through the cache,
	 * as these run for every write. */
	if (strchr(sql, ';') == NULL) {
		struct db_stmt st = {db, NULL};
		int rc;

		if ((rc = sq_prepare(&st, sql)) < 0)
			return rc;
		while ((rc = sq_step(&st)) == 1)
			;
		sq_finalize(&st);
		return rc < 0 ? rc : 0;
	}
	if (sqlite3_exec(SQH(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
		sertel_err(SERTEL_ESTORE, "sqlite: %s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return SERTEL_ESTORE;
	}
	return 0;
}

static int
sq_prepare(struct db_stmt *s, const char *sql)
{
	struct sq_conn *c = s->db->conn;
	struct sqlite_stmt *q;
	int i;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "sqlite: out of memory");
	for (i = 0; i < c->n; i++) {
		if (!c->cache[i].busy && strcmp(c->cache[i].sql, sql) == 0) {
			c->cache[i].busy = 1;
			q->st = c->cache[i].st;
			q->cached = 1;
			s->impl = q;
			return 0;
		}
	}
	if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->st, NULL) !=
	    SQLITE_OK) {
		free(q);
		return sq_err(s->db, "prepare");
	}
	if (c->n < SQ_CACHE && (c->cache[c->n].sql = strdup(sql)) != NULL) {
		c->cache[c->n].st = q->st;
		c->cache[c->n].busy = 1;
		c->n++;
		q->cached = 1;
	}
	s->impl = q;
	return 0;
}

#define Q(s) ((struct sqlite_stmt *)(s)->impl)

static int
sq_bind_text(struct db_stmt *s, int idx, const char *v)
{
	if (sqlite3_bind_text(Q(s)->st, idx, v, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		return sq_err(s->db, "bind");
	return 0;
}

static int
sq_bind_int(struct db_stmt *s, int idx, int64_t v)
{
	if (sqlite3_bind_int64(Q(s)->st, idx, v) != SQLITE_OK)
		return sq_err(s->db, "bind");
	return 0;
}

static int
sq_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n)
{
	/* A zero-length blob must stay a blob, not NULL. */
	if (sqlite3_bind_blob64(Q(s)->st, idx, n ? p : "", n, SQLITE_TRANSIENT) !=
	    SQLITE_OK)
		return sq_err(s->db, "bind");
	return 0;
}

static int
sq_bind_null(struct db_stmt *s, int idx)
{
	if (sqlite3_bind_null(Q(s)->st, idx) != SQLITE_OK)
		return sq_err(s->db, "bind");
	return 0;
}

static int
sq_step(struct db_stmt *s)
{
	int rc = sqlite3_step(Q(s)->st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		Q(s)->changes = sqlite3_changes64(SQH(s->db));
		return 0;
	}
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return sertel_err(SERTEL_EEXISTS, "sqlite: %s",
		                  sqlite3_errmsg(SQH(s->db)));
	return sq_err(s->db, "step");
}

static const char *
sq_col_text(struct db_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(Q(s)->st, col);
}

static int64_t
sq_col_int(struct db_stmt *s, int col)
{
	return sqlite3_column_int64(Q(s)->st, col);
}

static const unsigned char *
sq_col_blob(struct db_stmt *s, int col, size_t *len)
{
	const unsigned char *p = sqlite3_column_blob(Q(s)->st, col);

	*len = (size_t)sqlite3_column_bytes(Q(s)->st, col);
	return p;
}

static int
sq_col_null(struct db_stmt *s, int col)
{
	return sqlite3_column_type(Q(s)->st, col) == SQLITE_NULL;
}

static int64_t
sq_changes(struct db_stmt *s)
{
	return Q(s)->changes;
}

static void
sq_finalize(struct db_stmt *s)
{
	struct sq_conn *c = s->db->conn;
	int i;

	if (s->impl == NULL)
		return;
	if (Q(s)->cached) {
		sqlite3_reset(Q(s)->st);
		sqlite3_clear_bindings(Q(s)->st);
		for (i = 0; i < c->n; i++)
			if (c->cache[i].st == Q(s)->st)
				c->cache[i].busy = 0;
	} else {
		sqlite3_finalize(Q(s)->st);
	}
	free(s->impl);
}

const struct db_ops db_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_blob = sq_col_blob,
    .col_null = sq_col_null,
    .changes = sq_changes,
    .finalize = sq_finalize,
};
