/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing flows ("alur tanda tangan"): one or more PDFs that several
 * people of the instance sign in the order the uploader named, each
 * signature an incremental update on the previous one (earlier
 * signatures stay valid).  The uploader alone signing is a flow of one.
 *
 * The rules are here, the HTML in src/http/web_portal_sign.c: who may
 * see a flow (its uploader and its signers, nobody else), whose turn it
 * is, what a signature, a refusal ("tolak", with a reason: the flow
 * stops) and the last signature (the flow is complete) change, each with
 * its audit entry and its notice in the mail queue, in one transaction.
 * The files are encrypted blobs (store_blob_put) held only until the
 * flow expires (esign_flow_expire deletes them with the flow).
 */
#ifndef SERTEL_ESIGN_FLOW_H
#define SERTEL_ESIGN_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "esign/esign.h"

#define FLOW_ID_LEN      32
#define FLOW_MAX_SIGNERS 8
#define FLOW_MAX_DOCS    5
#define FLOW_NAME_MAX    128
#define FLOW_REASON_MAX  300

enum flow_state { FLOW_ACTIVE = 0, FLOW_DONE = 1, FLOW_DECLINED = 2 };
enum flow_step_state { FLOW_WAITING = 0, FLOW_SIGNED = 1, FLOW_REFUSED = 2 };

struct esign_flow_signer {
	char nik[17];
	char name[SERTEL_MAX_NAME];
	int state; /* enum flow_step_state */
	int64_t at;
	char doc_id[33]; /* the registry id of their signature (first file) */
};

struct esign_flow {
	char id[FLOW_ID_LEN + 1];
	char owner_nik[17];
	char owner_name[SERTEL_MAX_NAME];
	int state; /* enum flow_state */
	int step;  /* the position whose turn it is (nsigners when complete) */
	size_t nsigners;
	struct esign_flow_signer signers[FLOW_MAX_SIGNERS];
	size_t ndocs;
	char names[FLOW_MAX_DOCS][FLOW_NAME_MAX];
	int version; /* bumped by every signature: previews are per version */
	char reason[FLOW_REASON_MAX];
	int64_t created_at, updated_at, expires_at;
};

/* Where the notices link to (the portal's page of flow id). */
struct esign_flow_env {
	const char *link_base; /* ".../portal/tandatangan/" */
	int64_t ttl;           /* seconds a flow is kept after its last change */
	size_t max_file_bytes;
};

/* Starts a flow: signers (NIKs of registered people, in order, no one
 * twice, 1..FLOW_MAX_SIGNERS) sign docs (1..FLOW_MAX_DOCS PDFs, each at
 * most max_file_bytes).  The first signer is notified unless they are
 * who.  id: FLOW_ID_LEN + 1 bytes. */
int esign_flow_create(char *id, struct store *st, const struct ra_actor *who,
                      const char *const *signers, size_t nsigners,
                      const struct esign_doc_in *docs, size_t ndocs,
                      const struct esign_flow_env *env);
/* The flow for who: its uploader or one of its signers (SERTEL_EPERM
 * otherwise; SERTEL_ENOTFOUND for none, expired included). */
int esign_flow_get(struct esign_flow *out, struct store *st, const struct ra_actor *who,
                   const char *id);
/* 0 when it is who's turn on f; SERTEL_EPERM not a signer of it,
 * SERTEL_ESTATE complete, stopped, or not yet their turn. */
int esign_flow_turn(const struct esign_flow *f, const struct ra_actor *who);
/* File idx as it is now (after the signatures so far).  *out owned. */
int esign_flow_file(unsigned char **out, size_t *len, struct store *st,
                    const struct ra_actor *who, const char *id, size_t idx);
/* who signed every file of flow id at version (files[i] the whole signed
 * PDF, starting with the previous bytes of file i); doc_id the registry
 * id of the first.  Refused (nothing changed) unless it is still who's
 * turn on that version.  The next signer is notified, or, after the
 * last, the uploader. */
int esign_flow_signed(struct store *st, const struct ra_actor *who, const char *id,
                      int version, const unsigned char *const *files, const size_t *lens,
                      size_t n, const char *doc_id, const struct esign_flow_env *env);
/* The signer whose turn it is refuses, with a reason (required): the
 * flow stops and the uploader is told. */
int esign_flow_decline(struct store *st, const struct ra_actor *who, const char *id,
                       const char *reason, const struct esign_flow_env *env);

/* Flows who uploaded or signs (newest change first, at most limit). */
typedef int (*esign_flow_fn)(const struct esign_flow *f, void *arg);
int esign_flow_iter(struct store *st, const struct ra_actor *who, int limit,
                    esign_flow_fn cb, void *arg);
/* Deletes flows (their files and previews) expired at now; *n counts. */
int esign_flow_expire(struct store *st, int64_t now, int *n);

/* Previews of a page of a file at a version, cached (encrypted) with the
 * flow: SERTEL_ENOTFOUND when not cached yet. */
int esign_flow_preview_get(unsigned char **out, size_t *len, struct store *st,
                           const char *id, size_t idx, int version, int page);
int esign_flow_preview_put(struct store *st, const char *id, size_t idx, int version,
                           int page, const unsigned char *png, size_t len);

#endif
