/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface between the files of src/esign/.
 */
#ifndef SERTEL_ESIGN_INT_H
#define SERTEL_ESIGN_INT_H

#include "esign/esign.h"
#include "pki/pki.h"

void esign_err_set(struct esign_error *err, int code, int http, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* AES-256-GCM with the NIK (or another name) as associated data: enc 1
 * seals len bytes of in into out and writes tag, enc 0 opens and checks
 * tag.  0, or -1 when the tag does not match. */
#define ESIGN_GCM_NONCE 12
#define ESIGN_GCM_TAG   16
int esign_gcm(int enc, unsigned char *out, const unsigned char *in, size_t len,
              const unsigned char key[32], const unsigned char nonce[ESIGN_GCM_NONCE],
              unsigned char tag[ESIGN_GCM_TAG], const char *nik);

/* ---- one-time codes and the key wrapped for them (otp.c) ---- */
/* Opens the owner's key with a code instead of the passphrase: the code
 * mailed by esign_otp_send (single use, unexpired) or, when none is
 * outstanding and the owner enrolled an authenticator, an RFC 6238 code;
 * every code is counted against the lock like a passphrase.  *key and
 * *cert owned by caller. */
int esign_owner_code_unseal(EVP_PKEY **key, struct cert_rec *cert,
                            struct esign_error *err, struct store *st,
                            const struct esign_conf *ec, const struct esign_owner *o,
                            const char *code);
/* /api/v2/seal/pdf: 0 when the seal needs no code ([esign] seal_totp = 0,
 * or no address registered for it) or code is the one mailed for this
 * client's activation (spent either way). */
int esign_seal_code_check(struct esign_error *err, struct store *st,
                          const struct esign_conf *ec, const struct esign_client *cl,
                          const char *seal_id, const char *code);

/* The owner's row in esign_owners exists afterwards (inside a tx). */
int esign_owner_row_ensure(struct store *st, const char *nik);

/* Unseals the owner's key with the passphrase: refuses a locked owner,
 * reserves the attempt in the store before the Argon2id run (refused
 * without unsealing once max_failures attempts are counted, whatever the
 * concurrency), keeps it counted when wrong (locking and notifying at the
 * limit) and resets the count after a right one.  *key owned by caller; *cert (the DER of
 * the certificate the key belongs to, may be NULL) owned by caller. */
int esign_owner_unseal(EVP_PKEY **key, struct cert_rec *cert, struct esign_error *err,
                       struct store *st, const struct esign_conf *ec,
                       const struct esign_owner *o, const char *pass, size_t passlen);

/* Reserves one TOTP attempt before the code is compared (counted at
 * once, in its own transaction, only while the owner is unlocked and
 * below [esign] max_failures).  *attempt is its number; SERTEL_EPERM:
 * locked, compare nothing. */
int esign_owner_attempt(int *attempt, struct store *st, const struct esign_conf *ec,
                        const struct esign_owner *o);
/* The reserved attempt was wrong (what: "passphrase" or "totp"): audited
 * with its number; the one reaching [esign] max_failures locks and
 * notifies.  *failures is the attempt's number. */
int esign_owner_fail(int *failures, struct store *st, const struct esign_conf *ec,
                     const struct esign_owner *o, int attempt, const char *what);
/* The reserved TOTP attempt was right: its count is given back.
 * SERTEL_EPERM when a concurrent wrong attempt locked the owner. */
int esign_owner_right(struct store *st, const struct esign_conf *ec,
                      const struct esign_owner *o, int attempt);

/* 0 when the owner has no TOTP enrolled or code is right (and unused).
 * A wrong or replayed code counts like a wrong passphrase, so the six
 * digits cannot be guessed at HTTP speed. */
int esign_totp_check(struct esign_error *err, struct store *st,
                     const struct esign_conf *ec, const struct esign_owner *o,
                     const char *code);

/* The seal's key and certificate.  *key and *cert_der owned by caller. */
int esign_seal_load(EVP_PKEY **key, unsigned char **cert_der, size_t *cert_len,
                    struct store *st, const char *id,
                    const unsigned char master[SECRET_LEN]);

/* Registers signed documents (one transaction, one audit entry, then
 * hook(st, docs[0].id, docs[0].serial, hook_arg) when hook is set). */
struct esign_reg {
	const char *id;
	const char *sha256;
	const char *name;
	const char *signer_nik; /* NULL for a seal */
	const char *signer_name;
	const char *serial;
	int verdict;
	const unsigned char *content; /* NULL unless keep_content */
	size_t len;
	int64_t ts_time; /* the signature timestamp's time, 0: none (issue 11) */
	/* Issue 11: registered only if that id is not yet (the id a
	 * receipt's QR code names, whichever copy comes first). */
	int if_absent;
};
int esign_register(struct store *st, const char *client, int seal,
                   const struct esign_reg *docs, size_t n,
                   int (*hook)(struct store *st, const char *doc_id, const char *serial,
                               void *arg),
                   void *hook_arg);

#endif
