/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel store: one interface over SQLite (default, embedded) and
 * PostgreSQL (several nodes on one cluster).
 *
 * Two layers:
 *  - db_*: an engine-neutral SQL connection.  SQL is written once with '?'
 *    placeholders; the PostgreSQL backend rewrites them to $n.  Types used
 *    in SQL are TEXT, BIGINT and BLOB (BYTEA on PostgreSQL, rewritten by the
 *    migration runner).
 *  - store_*: the records sertel keeps (issuers, certificates, CRLs,
 *    tokens, encrypted blobs), written once over db_*.
 *
 * A struct store is one connection: use one per thread.
 */
#ifndef SERTEL_STORE_H
#define SERTEL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ---- engine-neutral SQL ---------------------------------------------- */
enum db_engine { DB_SQLITE, DB_PG };

struct db;
struct db_stmt;

/* url: "sqlite:PATH" or "postgresql://..." (also "postgres://"). */
int db_open(struct db **out, const char *url);
void db_close(struct db *db);
enum db_engine db_engine_of(const struct db *db);
/* Runs SQL without parameters (may hold several statements on SQLite). */
int db_exec(struct db *db, const char *sql);
/* BEGIN (IMMEDIATE on SQLite, so writers serialise at the start). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int db_in_tx(const struct db *db);

int db_prepare(struct db_stmt **out, struct db *db, const char *sql);
/* Parameters count from 1.  Text NULL binds SQL NULL.  Values are copied. */
int db_bind_text(struct db_stmt *s, int idx, const char *v);
int db_bind_int(struct db_stmt *s, int idx, int64_t v);
int db_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n);
int db_bind_null(struct db_stmt *s, int idx);
/* 1: a row is ready, 0: done, <0: error. */
int db_step(struct db_stmt *s);
/* Columns count from 0.  Pointers are borrowed until the next step. */
const char *db_col_text(struct db_stmt *s, int col);
int64_t db_col_int(struct db_stmt *s, int col);
const unsigned char *db_col_blob(struct db_stmt *s, int col, size_t *len);
int db_col_null(struct db_stmt *s, int col);
/* Rows changed by the last INSERT/UPDATE/DELETE step. */
int64_t db_changes(struct db_stmt *s);
void db_finalize(struct db_stmt *s);
/* Prepares, binds and steps one statement that returns no rows.  fmt
 * names each parameter: 's' text (NULL binds SQL NULL), 'i' int64_t,
 * 'b' a blob as (const void *, size_t).  Returns the rows changed, or
 * <0 (SERTEL_EEXISTS for a unique-key conflict). */
int64_t db_run(struct db *db, const char *sql, const char *fmt, ...);
/* The first column of the first row of sql, with one text parameter, into
 * out (cut to outsz; "" when there is no row).  1 when a row was found, 0
 * when none, <0 on error. */
int db_get_text(struct db *db, char *out, size_t outsz, const char *sql,
                const char *param);

/* Runs the versioned migrations not yet applied, each in its own
 * transaction; returns the schema version in *version. */
int db_migrate(struct db *db, int *version);
int db_schema_version(struct db *db, int *version);

/* ---- records ----------------------------------------------------------- */
struct store;

/* Opens the database and applies migrations.  master may be NULL for
 * callers that never touch encrypted blobs. */
int store_open(struct store **out, const char *url, const unsigned char *master);
void store_close(struct store *st);
/* A sub-key of the master secret for one purpose (label). */
int store_derive_key(struct store *st, const char *label, unsigned char *out, size_t len);
/* Borrowed. */
struct db *store_db(struct store *st);
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* Runs fn atomically: in its own transaction, or, when a batcher is
 * attached to st, inside the batcher's next group commit (fn then gets
 * the writer's connection).  Returns fn's result once the work is
 * durable or rolled back; sertel_errmsg() says why on failure.  fn must
 * not begin or commit transactions itself. */
typedef int (*store_fn)(struct store *st, void *arg);
int store_atomic(struct store *st, store_fn fn, void *arg);

/* Group commit (batch.c): one writer thread and connection shared by many
 * threads' stores.  *out owned by caller (store_batch_free, which stops
 * the writer after the queued work; free the writer store after it). */
struct store_batch;
int store_batch_new(struct store_batch **out, struct store *writer);
void store_batch_free(struct store_batch *b);
int store_batch_submit(struct store_batch *b, store_fn fn, void *arg);
void store_set_batch(struct store *st, struct store_batch *b);

/* meta: small instance facts (organisation, created-at, ...). */
int store_meta_set(struct store *st, const char *key, const char *value);
/* *out owned by caller; SERTEL_ENOTFOUND when absent. */
int store_meta_get(struct store *st, const char *key, char **out);

/* Issuers: the CA hierarchy and its service certificates. */
#define ISSUER_ID_LEN 16 /* hex chars: first 8 bytes of the SKI */
struct issuer_rec {
	char id[ISSUER_ID_LEN + 1];
	char role[16];                     /* "root", "issuing", "ocsp", "tsa" */
	char parent_id[ISSUER_ID_LEN + 1]; /* "" for a root */
	char name[SERTEL_MAX_NAME];
	unsigned char *cert_der;
	size_t cert_len;
	char *key_pem; /* encrypted PKCS#8 PEM, or "pkcs11:" URI */
	int64_t created_at;
	int64_t crl_number; /* last CRL number issued */
	int active;
};
void issuer_rec_free(struct issuer_rec *r);
int store_issuer_put(struct store *st, const struct issuer_rec *r);
int store_issuer_get(struct store *st, const char *id, struct issuer_rec *out);
/* The active issuer with that role. */
int store_issuer_by_role(struct store *st, const char *role, struct issuer_rec *out);
/* Increments and returns the CRL number of an issuer (inside a tx). */
int store_issuer_next_crl_number(struct store *st, const char *id, int64_t *out);

/* Certificates issued by this instance. */
#define SERIAL_HEX_MAX 42 /* up to 20 octets as hex, NUL */
enum cert_status { CERT_VALID, CERT_REVOKED, CERT_EXPIRED };
struct cert_rec {
	char serial[SERIAL_HEX_MAX + 1]; /* lowercase hex, even length */
	char issuer_id[ISSUER_ID_LEN + 1];
	char type[16];
	char usages[128];   /* comma-separated */
	char subject[1024]; /* RFC 2253 */
	char email[SERTEL_MAX_NAME];
	char sans[1024]; /* comma-separated DNS:/IP: names */
	char nik[17];    /* bound person, "" when none */
	int64_t not_before;
	int64_t not_after;
	int revoked; /* 1 when revoked */
	int64_t revoked_at;
	int reason; /* RFC 5280 CRLReason, -1 when not revoked */
	int64_t created_at;
	unsigned char *der;
	size_t der_len;
};
void cert_rec_free(struct cert_rec *r);
/* The status as of now (expired is derived from not_after). */
enum cert_status cert_rec_status(const struct cert_rec *r, int64_t now);
const char *cert_status_name(enum cert_status s);
/* Fails with SERTEL_EEXISTS when the serial is taken. */
int store_cert_put(struct store *st, const struct cert_rec *r);
int store_cert_get(struct store *st, const char *serial, struct cert_rec *out);
int store_serial_exists(struct store *st, const char *serial);
/* SERTEL_ESTATE when already revoked. */
int store_cert_revoke(struct store *st, const char *serial, int64_t when, int reason);
int64_t store_cert_count(struct store *st);
/* Calls cb for each certificate matching status (-1: all) in serial
 * order; rec is borrowed for the call.  A non-zero cb return stops. */
typedef int (*cert_iter_fn)(const struct cert_rec *rec, void *arg);
int store_cert_iter(struct store *st, int status, int64_t now, cert_iter_fn cb,
                    void *arg);
/* The certificates bound to one person (nik), newest first. */
int store_cert_iter_nik(struct store *st, const char *nik, cert_iter_fn cb, void *arg);
/* Revoked certificates of one issuer, for CRLs: serial, time, reason only. */
typedef int (*revoked_iter_fn)(const char *serial, int64_t when, int reason, void *arg);
int store_revoked_iter(struct store *st, const char *issuer_id, revoked_iter_fn cb,
                       void *arg);

/* Takes the certificate row's write lock for the rest of the transaction
 * (a no-op UPDATE: portable, and on PostgreSQL it waits for a concurrent
 * revocation to commit).  0 also when the serial is unknown. */
int store_cert_lock(struct store *st, const char *serial);
/* Status only (no DER), for OCSP: SERTEL_ENOTFOUND when never issued. */
int store_cert_status(struct store *st, const char *serial,
                      char issuer_id[ISSUER_ID_LEN + 1], int *revoked,
                      int64_t *revoked_at, int *reason);

/* Pre-signed OCSP responses.  get: SERTEL_ENOTFOUND when absent or when
 * fewer than min_left seconds remain before its nextUpdate; *der owned
 * by caller. */
int store_ocsp_get(struct store *st, const char *issuer_id, const char *serial,
                   const char *certid_md, int64_t now, int64_t min_left,
                   unsigned char **der, size_t *len, int64_t *this_update,
                   int64_t *next_update);
int store_ocsp_put(struct store *st, const char *issuer_id, const char *serial,
                   const char *certid_md, int64_t this_update, int64_t next_update,
                   const unsigned char *der, size_t len);
/* Drops every cached response for a certificate (inside its revocation). */
int store_ocsp_drop(struct store *st, const char *issuer_id, const char *serial);

/* CRLs as published. */
int store_crl_put(struct store *st, const char *issuer_id, int64_t number,
                  int64_t this_update, int64_t next_update, const unsigned char *der,
                  size_t len);
/* Drops stored CRLs of an issuer numbered below keep_from. */
int store_crl_prune(struct store *st, const char *issuer_id, int64_t keep_from);
/* The newest CRL of an issuer; *der owned by caller. */
int store_crl_latest(struct store *st, const char *issuer_id, unsigned char **der,
                     size_t *len, int64_t *next_update);

/* API tokens: only the SHA-256 hash is stored. */
struct token_rec {
	char id[17];
	char name[65];
	char role[32];
	char nik[17]; /* "" : bound to nobody */
	int64_t created_at;
	int64_t expires_at;   /* 0: no expiry (made before migration 7) */
	int64_t last_used_at; /* 0: never used */
	int revoked;
	int64_t revoked_at;
	char revoked_reason[256];
};
int store_token_put(struct store *st, const char *id, const char *name, const char *role,
                    const char *hash_hex);
/* A token bound to a registered person (person_nik; NULL: none), who acts
 * with that person's roles; expires_at 0: never. */
int store_token_put_nik(struct store *st, const char *id, const char *name,
                        const char *role, const char *person_nik, const char *hash_hex,
                        int64_t expires_at);
/* The token with that hash, whatever its state (revoked, expired):
 * SERTEL_EAUTH when there is none. */
int store_token_get(struct token_rec *out, struct store *st, const char *hash_hex);
/* 0 when t may be used at now; otherwise SERTEL_EAUTH with a message
 * saying why (revoked, expired). */
int store_token_usable(const struct token_rec *t, int64_t now);
/* *role and *name owned by caller; refuses revoked and expired tokens. */
int store_token_find(struct store *st, const char *hash_hex, char **name, char **role);
/* As store_token_find; *person_nik (owned by caller) is NULL for a token
 * bound to nobody. */
int store_token_find_nik(struct store *st, const char *hash_hex, char **name, char **role,
                         char **person_nik);
/* Every token, by name; stops at fn's first non-zero answer. */
typedef int (*store_token_fn)(const struct token_rec *t, void *arg);
int store_token_iter(struct store *st, store_token_fn fn, void *arg);
/* Revokes the token called name (inside the caller's transaction), its
 * id into id_out: SERTEL_ENOTFOUND when there is none, SERTEL_ESTATE when
 * revoked already. */
int store_token_revoke(char id_out[17], struct store *st, const char *name,
                       const char *reason, int64_t now);
/* Records a use of a row of "tokens" or "esign_clients" (by id) at now,
 * but writes only when the last one recorded is a minute old or more:
 * no write per request.  Through store_atomic. */
int store_last_use(struct store *st, const char *table, const char *id,
                   int64_t last_used_at, int64_t now);

/* Encrypted blobs (attachments, documents): AES-256-GCM under a key
 * derived from the master secret, bound to id and kind as AAD. */
#define BLOB_MAX (64 * 1024 * 1024)
int store_blob_put(struct store *st, const char *kind, const void *data, size_t len,
                   char out_id[33]);
/* *out owned by caller; kind must match the stored kind. */
int store_blob_get(struct store *st, const char *id, const char *kind,
                   unsigned char **out, size_t *len);

#endif
