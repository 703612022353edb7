/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backend table behind db_*: one implementation per engine, as curl's
 * struct Curl_ssl.  Only src/store/ sees this header.
 */
#ifndef SERTEL_DB_INT_H
#define SERTEL_DB_INT_H

#include "store/store.h"

struct db_ops {
	const char *name;
	int (*open)(struct db *db, const char *target);
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	int (*prepare)(struct db_stmt *s, const char *sql);
	int (*bind_text)(struct db_stmt *s, int idx, const char *v);
	int (*bind_int)(struct db_stmt *s, int idx, int64_t v);
	int (*bind_blob)(struct db_stmt *s, int idx, const void *p, size_t n);
	int (*bind_null)(struct db_stmt *s, int idx);
	int (*step)(struct db_stmt *s);
	const char *(*col_text)(struct db_stmt *s, int col);
	int64_t (*col_int)(struct db_stmt *s, int col);
	const unsigned char *(*col_blob)(struct db_stmt *s, int col, size_t *len);
	int (*col_null)(struct db_stmt *s, int col);
	int64_t (*changes)(struct db_stmt *s);
	void (*finalize)(struct db_stmt *s);
};

struct db {
	const struct db_ops *ops;
	enum db_engine engine;
	int in_tx;
	void *conn; /* sqlite3 * or PGconn * */
};

struct db_stmt {
	struct db *db;
	void *impl; /* backend statement state */
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
