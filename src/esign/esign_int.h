/*
 * Internal interface between the files of src/esign/.
 */
#ifndef SERTEL_ESIGN_INT_H
#define SERTEL_ESIGN_INT_H

#include "esign/esign.h"
#include "pki/pki.h"

void esign_err_set(struct esign_error *err, int code, int http, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The owner's row in esign_owners exists afterwards (inside a tx). */
int esign_owner_row_ensure(struct store *st, const char *nik);

/* Unseals the owner's key with the passphrase: refuses a locked owner,
 * counts a wrong passphrase (locking and notifying at the limit, in its
 * own transaction, so the count survives the failed call) and resets the
 * count after a right one.  *key owned by caller; *cert (the DER of the
 * certificate the key belongs to, may be NULL) owned by caller. */
int esign_owner_unseal(EVP_PKEY **key, struct cert_rec *cert, struct esign_error *err,
                       struct store *st, const struct esign_conf *ec,
                       const struct esign_owner *o, const char *pass, size_t passlen);

/* Counts one wrong secret (what: "passphrase" or "totp") against the
 * owner in its own transaction: audited, locks and notifies at
 * [esign] max_failures.  *failures is the count after it. */
int esign_owner_fail(int *failures, struct store *st, const struct esign_conf *ec,
                     const struct esign_owner *o, const char *what);

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

/* Registers signed documents (one transaction, one audit entry). */
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
};
int esign_register(struct store *st, const char *client, int seal,
                   const struct esign_reg *docs, size_t n);

#endif
