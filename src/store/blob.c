/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encrypted blobs: attachments and documents kept in the database so that
 * every node sharing it sees them.  AES-256-GCM with a key derived from the
 * master secret; the id and kind are authenticated data, so a row moved to
 * another id or kind fails to decrypt instead of being served as something
 * else.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "store/db_int.h"

#define GCM_NONCE 12
#define GCM_TAG   16

const unsigned char *store_blob_key(struct store *st);

static int
blob_aad(EVP_CIPHER_CTX *c, const char *id, const char *kind)
{
	int n;

	return EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)id,
	                        (int)strlen(id)) == 1 &&
	       EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)kind,
	                        (int)strlen(kind) + 1) == 1;
}

int
store_blob_put(struct store *st, const char *kind, const void *data, size_t len,
               char out_id[33])
{
	const unsigned char *key = store_blob_key(st);
	unsigned char nonce[GCM_NONCE], *ct = NULL;
	char id[33], hash[65];
	EVP_CIPHER_CTX *c = NULL;
	struct db_stmt *s = NULL;
	int n, fin, rc;

	if (key == NULL)
		return sertel_err(SERTEL_ECRYPTO,
		                  "blob: store opened without master secret");
	if (len > BLOB_MAX)
		return sertel_err(SERTEL_ETOOBIG, "blob: %zu bytes exceeds %d", len,
		                  BLOB_MAX);
	if ((rc = rand_hex(id, (sizeof(id) - 1) / 2)) < 0 ||
	    (rc = rand_bytes(nonce, sizeof(nonce))) < 0)
		return rc;
	sha256_hex(hash, data, len);
	if ((ct = malloc(len + GCM_TAG)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "blob: out of memory");
	rc = SERTEL_ECRYPTO;
	if ((c = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, nonce) != 1 ||
	    !blob_aad(c, id, kind) || EVP_EncryptUpdate(c, ct, &n, data, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(c, ct + n, &fin) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG, ct + len) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "blob: encryption failed");
		goto out;
	}
	if ((rc = db_prepare(&s, store_db(st),
	                     "INSERT INTO blobs (id, kind, sha256, size, nonce, data, "
	                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (rc = db_bind_text(s, 1, id)) < 0 || (rc = db_bind_text(s, 2, kind)) < 0 ||
	    (rc = db_bind_text(s, 3, hash)) < 0 ||
	    (rc = db_bind_int(s, 4, (int64_t)len)) < 0 ||
	    (rc = db_bind_blob(s, 5, nonce, sizeof(nonce))) < 0 ||
	    (rc = db_bind_blob(s, 6, ct, len + GCM_TAG)) < 0 ||
	    (rc = db_bind_int(s, 7, time_now())) < 0 || (rc = db_step(s)) < 0)
		goto out;
	memcpy(out_id, id, sizeof(id));
	rc = 0;
out:
	db_finalize(s);
	EVP_CIPHER_CTX_free(c);
	free(ct);
	return rc;
}

int
store_blob_get(struct store *st, const char *id, const char *kind, unsigned char **out,
               size_t *outlen)
{
	const unsigned char *key = store_blob_key(st), *nonce, *ct;
	unsigned char *pt = NULL;
	char stored_kind[64], hash[65], want[65];
	EVP_CIPHER_CTX *c = NULL;
	struct db_stmt *s = NULL;
	size_t nlen, clen;
	int n, fin, rc;

	*out = NULL;
	*outlen = 0;
	if (key == NULL)
		return sertel_err(SERTEL_ECRYPTO,
		                  "blob: store opened without master secret");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT kind, sha256, nonce, data "
	                     "FROM blobs WHERE id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "blob %s: not found", id);
		goto out;
	}
	str_copy(stored_kind, sizeof(stored_kind), db_col_text(s, 0));
	str_copy(want, sizeof(want), db_col_text(s, 1));
	if (strcmp(stored_kind, kind) != 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "blob %s: not a %s", id, kind);
		goto out;
	}
	nonce = db_col_blob(s, 2, &nlen);
	if (nlen != GCM_NONCE) {
		rc = sertel_err(SERTEL_ECRYPTO, "blob %s: bad nonce", id);
		goto out;
	}
	{
		unsigned char nbuf[GCM_NONCE];
		memcpy(nbuf, nonce, GCM_NONCE);
		ct = db_col_blob(s, 3, &clen);
		if (clen < GCM_TAG) {
			rc = sertel_err(SERTEL_ECRYPTO, "blob %s: truncated", id);
			goto out;
		}
		if ((pt = malloc(clen - GCM_TAG + 1)) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "blob: out of memory");
			goto out;
		}
		if ((c = EVP_CIPHER_CTX_new()) == NULL ||
		    EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, nbuf) != 1 ||
		    !blob_aad(c, id, kind) ||
		    EVP_DecryptUpdate(c, pt, &n, ct, (int)(clen - GCM_TAG)) != 1 ||
		    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_TAG,
		                        (void *)(ct + clen - GCM_TAG)) != 1 ||
		    EVP_DecryptFinal_ex(c, pt + n, &fin) != 1) {
			ERR_clear_error();
			rc = sertel_err(SERTEL_ECRYPTO,
			                "blob %s: authentication failed (tampered or "
			                "wrong master secret)",
			                id);
			goto out;
		}
	}
	sha256_hex(hash, pt, clen - GCM_TAG);
	if (strcmp(hash, want) != 0) {
		rc = sertel_err(SERTEL_ECRYPTO, "blob %s: hash mismatch", id);
		goto out;
	}
	*outlen = clen - GCM_TAG;
	*out = pt;
	pt = NULL;
	rc = 0;
out:
	db_finalize(s);
	EVP_CIPHER_CTX_free(c);
	free(pt);
	return rc;
}
