/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel audit trail: an append-only hash chain.  Every state change calls
 * audit_append() inside the transaction that makes the change, so the
 * change and its record commit or vanish together.
 *
 * Entry n stores SHA-256(fields of n || hash of n-1).  The chain head
 * (last seq and hash) is kept with an HMAC under a key derived from the
 * master secret, so someone with write access to the database alone can
 * neither rewrite the chain nor cut its tail off unnoticed.
 */
#ifndef SERTEL_AUDIT_H
#define SERTEL_AUDIT_H

#include <stdint.h>

#include "store/store.h"

struct audit_entry {
	int64_t seq;
	int64_t ts_us; /* microseconds since the epoch */
	const char *actor;
	const char *action;
	const char *object;
	const char *reason;
	const char *prev_hash;
	const char *hash;
};

/* Must run inside a store transaction.  reason may be "". */
int audit_append(struct store *st, const char *actor, const char *action,
                 const char *object, const char *reason);

/* 0 when intact.  An empty trail counts as tampered: an instance always
 * records its creation.  SERTEL_EINVALID when tampered: *bad_seq is the first bad
 * entry (0 for the head) and the message says what is wrong. */
int audit_verify(struct store *st, int64_t *bad_seq, int64_t *count);

/* Entries with ts >= since_us in order; e is borrowed for the call. */
typedef int (*audit_iter_fn)(const struct audit_entry *e, void *arg);
int audit_iter(struct store *st, int64_t since_us, audit_iter_fn cb, void *arg);

/* What audit_query() selects; zero / NULL fields select everything. */
struct audit_filter {
	int64_t since_us;   /* ts >= since_us */
	int64_t until_us;   /* ts < until_us (0: no end) */
	int64_t before_seq; /* seq < before_seq (0: from the newest) */
	const char *actor;  /* exactly this actor */
	const char *action; /* actions starting with this ("ra." for the RA) */
	const char *object; /* objects starting with this */
	int limit;          /* at most this many (0: 100; at most 1000) */
};

/* Entries matching f, newest first; e is borrowed for the call.  A
 * non-zero cb return stops. */
int audit_query(struct store *st, const struct audit_filter *f, audit_iter_fn cb,
                void *arg);

#endif
