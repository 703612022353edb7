/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Electronic seals: an organisation (jabatan / organisasi) certificate
 * whose key the instance holds, sealed under the master secret like the
 * issuer keys (pki/key.c), for client applications given the seal
 * permission and that seal's id.  BSrE calls these seal subscribers
 * (idSubscriber).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "audit/audit.h"
#include "esign/esign_int.h"

struct seal_put {
	const char *id;
	const char *actor;
	const unsigned char *der;
	size_t der_len;
	const char *key_pem;
	const char *subject;
};

static int
seal_put_fn(struct store *st, void *arg)
{
	struct seal_put *w = arg;
	char obj[96];
	int64_t rc;

	rc = db_run(store_db(st),
	            "INSERT INTO esign_seals (id, cert_der, key_pem, created_at) VALUES "
	            "(?, ?, ?, ?)",
	            "sbsi", w->id, w->der, w->der_len, w->key_pem, time_now());
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "seal '%s': id taken", w->id);
	if (rc < 0)
		return (int)rc;
	snprintf(obj, sizeof(obj), "esign-seal:%s", w->id);
	return audit_append(st, w->actor, "esign.seal.add", obj, w->subject);
}

int
esign_seal_add(struct store *st, const char *actor, const char *id,
               const unsigned char *key_pem, size_t key_len,
               const unsigned char *cert_pem, size_t cert_len,
               const unsigned char master[SECRET_LEN])
{
	BIO *b = NULL;
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	unsigned char *der = NULL;
	char *sealed = NULL, subject[512];
	struct seal_put w;
	uint32_t ku;
	int dlen = 0, rc;

	if (id == NULL || *id == '\0' || strlen(id) > 64)
		return sertel_err(SERTEL_EINVAL, "seal id: 1 to 64 characters");
	if ((b = BIO_new_mem_buf(cert_pem, (int)cert_len)) == NULL ||
	    (cert = PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL) {
		rc =
		    sertel_err_ossl(SERTEL_EINVAL, "seal %s: certificate is not PEM", id);
		goto out;
	}
	BIO_free(b);
	if ((b = BIO_new_mem_buf(key_pem, (int)key_len)) == NULL ||
	    (key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) == NULL) {
		rc = sertel_err_ossl(SERTEL_EINVAL,
		                     "seal %s: key is not an unencrypted PEM key", id);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		rc = sertel_err_ossl(SERTEL_EINVAL,
		                     "seal %s: key does not match the certificate", id);
		goto out;
	}
	ku = X509_get_key_usage(cert);
	if (!(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		rc = sertel_err(SERTEL_EINVAL,
		                "seal %s: certificate does not allow signing (key usage)",
		                id);
		goto out;
	}
	if ((dlen = i2d_X509(cert, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "seal %s: cannot encode certificate",
		                     id);
		goto out;
	}
	if ((rc = key_seal(&sealed, key, master)) < 0)
		goto out;
	X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
	w.id = id;
	w.actor = actor;
	w.der = der;
	w.der_len = (size_t)dlen;
	w.key_pem = sealed;
	w.subject = subject;
	rc = store_atomic(st, seal_put_fn, &w);
out:
	BIO_free(b);
	X509_free(cert);
	EVP_PKEY_free(key);
	OPENSSL_free(der);
	if (sealed != NULL) {
		secure_wipe(sealed, strlen(sealed));
		free(sealed);
	}
	ERR_clear_error();
	return rc;
}

int
esign_seal_load(EVP_PKEY **key, unsigned char **cert_der, size_t *cert_len,
                struct store *st, const char *id, const unsigned char master[SECRET_LEN])
{
	struct db_stmt *s = NULL;
	const unsigned char *p;
	size_t n;
	int rc;

	*key = NULL;
	*cert_der = NULL;
	*cert_len = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT cert_der, key_pem FROM esign_seals WHERE id = ?")) <
	    0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) < 0)
		goto out;
	if ((rc = db_step(s)) != 1) {
		if (rc == 0)
			rc =
			    sertel_err(SERTEL_ENOTFOUND, "seal '%s': not registered", id);
		goto out;
	}
	p = db_col_blob(s, 0, &n);
	if (n == 0 || (*cert_der = malloc(n)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "seal %s: certificate", id);
		goto out;
	}
	memcpy(*cert_der, p, n);
	*cert_len = n;
	rc = key_unseal(key, db_col_text(s, 1), master);
out:
	db_finalize(s);
	if (rc < 0) {
		free(*cert_der);
		*cert_der = NULL;
		*cert_len = 0;
	}
	return rc;
}
