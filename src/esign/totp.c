/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TOTP (RFC 6238) as the second factor of an owner: HMAC-SHA-1 over the
 * 30-second step count (RFC 4226 dynamic truncation), 6 digits, a window
 * of [esign] totp_window steps either side for clock drift, and each step
 * accepted once (the last used step is stored, so a code cannot be
 * replayed).
 *
 * The shared secret is 20 random bytes kept encrypted with AES-256-GCM
 * under a key derived from the master secret (label "esign-totp-v1"),
 * the owner's NIK as associated data: a copy of the database alone
 * reveals no secret, and a secret moved to another owner fails to open.
 * Enrolment needs the owner's passphrase, so only the owner enrols.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "audit/audit.h"
#include "esign/esign.h"
#include "esign/esign_int.h"

#define TOTP_STEP  30
#define TOTP_NONCE ESIGN_GCM_NONCE
#define TOTP_TAG   ESIGN_GCM_TAG
#define TOTP_LABEL "esign-totp-v1"

int
totp_code(uint32_t *out, const unsigned char *secret, size_t len, int64_t t, int digits)
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	uint64_t counter;
	uint32_t bin, mod = 1;
	int i, off;

	*out = 0;
	if (digits < 6 || digits > 8 || t < 0)
		return sertel_err(SERTEL_EINVAL, "totp: digits 6..8, time >= 0");
	counter = (uint64_t)t / TOTP_STEP;
	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(counter & 0xff);
		counter >>= 8;
	}
	if (HMAC(EVP_sha1(), secret, (int)len, msg, sizeof(msg), mac, &maclen) == NULL ||
	    maclen < 20)
		return sertel_err_ossl(SERTEL_ECRYPTO, "totp: HMAC failed");
	/* RFC 4226 5.3: dynamic truncation. */
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	      ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
	for (i = 0; i < digits; i++)
		mod *= 10;
	*out = bin % mod;
	return 0;
}

int
base32_encode(char **out, const unsigned char *in, size_t n)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t i, o = 0, cap = (n * 8 + 4) / 5 + 1;
	unsigned buf = 0;
	int bits = 0;
	char *s;

	if ((s = malloc(cap)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			s[o++] = alpha[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		s[o++] = alpha[(buf << (5 - bits)) & 31];
	s[o] = '\0';
	*out = s;
	return 0;
}

int
esign_gcm(int enc, unsigned char *out, const unsigned char *in, size_t len,
          const unsigned char key[32], const unsigned char nonce[ESIGN_GCM_NONCE],
          unsigned char tag[ESIGN_GCM_TAG], const char *nik)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0, ok;

	ok = c != NULL &&
	     EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, nonce, enc) == 1 &&
	     EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)nik,
	                      (int)strlen(nik)) == 1 &&
	     EVP_CipherUpdate(c, out, &n, in, (int)len) == 1 &&
	     (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TOTP_TAG, tag) == 1) &&
	     EVP_CipherFinal_ex(c, out + n, &fin) == 1 &&
	     (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TOTP_TAG, tag) == 1);
	EVP_CIPHER_CTX_free(c);
	ERR_clear_error();
	return ok ? 0 : -1;
}

struct totp_put {
	const char *nik;
	const unsigned char *sealed; /* ciphertext || tag */
	size_t sealed_len;
	const unsigned char *nonce;
};

static int
totp_put_fn(struct store *st, void *arg)
{
	struct totp_put *w = arg;
	char obj[64];
	int rc;

	if ((rc = esign_owner_row_ensure(st, w->nik)) < 0)
		return rc;
	if (db_run(
	        store_db(st),
	        "UPDATE esign_owners SET totp_secret = ?, totp_nonce = ?, totp_last = 0, "
	        "updated_at = ? WHERE nik = ?",
	        "bbis", w->sealed, w->sealed_len, w->nonce, (size_t)TOTP_NONCE,
	        time_now(), w->nik) < 0)
		return SERTEL_ESTORE;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	return audit_append(st, "esign:owner", "esign.totp.enrol", obj,
	                    "second factor enrolled by the owner (passphrase shown)");
}

int
esign_totp_enrol(struct esign_error *err, char **secret_b32, char **uri, struct store *st,
                 const struct esign_conf *ec, const char *nik, const char *pass,
                 size_t passlen)
{
	unsigned char secret[TOTP_SECRET_LEN], key[32], nonce[TOTP_NONCE];
	unsigned char sealed[TOTP_SECRET_LEN + TOTP_TAG];
	struct esign_owner o;
	struct totp_put w;
	EVP_PKEY *pkey = NULL;
	char *b32 = NULL, *u = NULL;
	size_t ulen;
	int rc;

	*secret_b32 = NULL;
	*uri = NULL;
	memset(err, 0, sizeof(*err));
	if ((rc = esign_owner_get(&o, st, nik, NULL, time_now())) < 0) {
		esign_err_set(err, ESIGN_NOT_REGISTERED, 404, "NIK tidak terdaftar");
		return rc;
	}
	/* The owner proves the passphrase; wrong ones count like signing. */
	if ((rc = esign_owner_unseal(&pkey, NULL, err, st, ec, &o, pass, passlen)) < 0)
		return rc;
	EVP_PKEY_free(pkey);
	if ((rc = rand_bytes(secret, sizeof(secret))) < 0 ||
	    (rc = rand_bytes(nonce, sizeof(nonce))) < 0 ||
	    (rc = store_derive_key(st, TOTP_LABEL, key, sizeof(key))) < 0)
		goto out;
	if (esign_gcm(1, sealed, secret, sizeof(secret), key, nonce,
	              sealed + TOTP_SECRET_LEN, o.person.nik) < 0) {
		rc = sertel_err(SERTEL_ECRYPTO, "totp: encryption failed");
		goto out;
	}
	w.nik = o.person.nik;
	w.sealed = sealed;
	w.sealed_len = sizeof(sealed);
	w.nonce = nonce;
	if ((rc = base32_encode(&b32, secret, sizeof(secret))) < 0 ||
	    (rc = store_atomic(st, totp_put_fn, &w)) < 0)
		goto out;
	ulen = strlen(b32) + strlen(o.person.nik) + 128;
	if ((u = malloc(ulen)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	/* Key URI format of authenticator apps (issuer:account, SHA1, 6, 30). */
	snprintf(u, ulen,
	         "otpauth://totp/sertel:%s?secret=%s&issuer=sertel&digits=6&period=30",
	         o.person.nik, b32);
	*secret_b32 = b32;
	*uri = u;
	b32 = NULL;
	u = NULL;
	rc = 0;
	(void)ec;
out:
	secure_wipe(secret, sizeof(secret));
	secure_wipe(key, sizeof(key));
	if (b32 != NULL) {
		secure_wipe(b32, strlen(b32));
		free(b32);
	}
	free(u);
	return rc;
}

struct totp_off {
	const char *nik;
	const struct ra_actor *who;
};

static int
totp_off_fn(struct store *st, void *arg)
{
	struct totp_off *w = arg;
	char obj[64];
	int64_t n;

	n = db_run(
	    store_db(st),
	    "UPDATE esign_owners SET totp_secret = NULL, totp_nonce = NULL, "
	    "totp_last = 0, updated_at = ? WHERE nik = ? AND totp_secret IS NOT NULL",
	    "is", time_now(), w->nik);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: no TOTP enrolled", w->nik);
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	return audit_append(st, w->who->label, "esign.totp.disable", obj, "");
}

int
esign_totp_disable(struct store *st, const struct ra_actor *who, const char *nik)
{
	struct totp_off w = {nik, who};
	int rc;

	if (!(who->roles & ROLE_ADMIN) && strcmp(who->nik, nik) != 0) {
		if (!(who->roles & ROLE_OPERATOR))
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: only the owner, an OP operator or the administrator "
			    "removes a second factor",
			    who->label);
		if ((rc = ra_operator_check(st, who->nik, time_now())) < 0)
			return rc;
	}
	return store_atomic(st, totp_off_fn, &w);
}

struct totp_use {
	const char *nik;
	int64_t step;
	int ok;
};

static int
totp_use_fn(struct store *st, void *arg)
{
	struct totp_use *w = arg;
	int64_t n;

	/* Compare-and-set: a step is used at most once, even by two
	 * concurrent calls with the same code. */
	n = db_run(
	    store_db(st),
	    "UPDATE esign_owners SET totp_last = ? WHERE nik = ? AND totp_last < ?",
	    "isi", w->step, w->nik, w->step);
	if (n < 0)
		return (int)n;
	w->ok = n == 1;
	return 0;
}

int
esign_totp_check(struct esign_error *err, struct store *st, const struct esign_conf *ec,
                 const struct esign_owner *o, const char *code)
{
	const char *nik = o->person.nik;
	struct db_stmt *s = NULL;
	unsigned char key[32], secret[TOTP_SECRET_LEN],
	    sealed[TOTP_SECRET_LEN + TOTP_TAG], nonce[TOTP_NONCE];
	const unsigned char *p, *q;
	size_t plen = 0, qlen = 0;
	int64_t now = time_now(), last = 0, step, hit = -1;
	uint32_t want, v;
	long long given;
	struct totp_use u;
	int rc, have = 0, k, failures = 0, attempt = 0;

	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT totp_secret, totp_nonce, totp_last FROM esign_owners "
	                    "WHERE nik = ? AND totp_secret IS NOT NULL")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_step(s)) == 1) {
		/* Copy each blob before reading the next: a backend may reuse
		 * one buffer per statement (db_pg.c does). */
		p = db_col_blob(s, 0, &plen);
		if (p != NULL && plen == sizeof(sealed))
			memcpy(sealed, p, plen);
		q = db_col_blob(s, 1, &qlen);
		if (q != NULL && qlen == sizeof(nonce))
			memcpy(nonce, q, qlen);
		if (plen == sizeof(sealed) && qlen == sizeof(nonce)) {
			last = db_col_int(s, 2);
			have = 1;
		}
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (!have)
		return 0; /* not enrolled: no second factor asked */
	/* HTTP 400 like BSrE's wrong passphrase (2031): 401 is for the client
	 * application's own credentials, and clients retry those. */
	if (code == NULL || strlen(code) != 6 || parse_ll(&given, code, 0, 999999) < 0) {
		esign_err_set(
		    err, ESIGN_WRONG_TOTP, 400,
		    "Kode TOTP wajib diisi (6 digit dari aplikasi autentikator)");
		return sertel_err(SERTEL_EAUTH, "NIK %s: TOTP missing or malformed", nik);
	}
	/* Reserved before the code is compared, as passphrases are (owner.c):
	 * parallel calls never get more than max_failures guesses. */
	if ((rc = esign_owner_attempt(&attempt, st, ec, o)) < 0) {
		if (rc == SERTEL_EPERM)
			esign_err_set(err, ESIGN_LOCKED, 403,
			              "Akun dikunci setelah terlalu banyak percobaan "
			              "salah; hubungi Otoritas Pendaftaran");
		return rc;
	}
	if ((rc = store_derive_key(st, TOTP_LABEL, key, sizeof(key))) < 0)
		return rc;
	if (esign_gcm(0, secret, sealed, TOTP_SECRET_LEN, key, nonce,
	              sealed + TOTP_SECRET_LEN, nik) < 0) {
		secure_wipe(key, sizeof(key));
		return sertel_err(SERTEL_ECRYPTO, "NIK %s: TOTP secret does not open",
		                  nik);
	}
	secure_wipe(key, sizeof(key));
	want = (uint32_t)given;
	for (k = -ec->totp_window; k <= ec->totp_window; k++) {
		int64_t t = now + (int64_t)k * TOTP_STEP;
		if (t < 0 || totp_code(&v, secret, sizeof(secret), t, 6) < 0)
			continue;
		step = t / TOTP_STEP;
		/* Constant-time on the value; the loop runs the same for all. */
		if (ct_equal(&v, &want, sizeof(v)) && step > last)
			hit = step;
	}
	secure_wipe(secret, sizeof(secret));
	if (hit < 0) {
		if ((rc = esign_owner_fail(&failures, st, ec, o, attempt, "totp")) < 0)
			return rc;
		esign_err_set(err, ESIGN_WRONG_TOTP, 400,
		              "Kode TOTP salah atau sudah dipakai%s",
		              failures >= ec->max_failures ? "; akun dikunci" : "");
		return sertel_err(SERTEL_EAUTH, "NIK %s: wrong or reused TOTP (%d of %d)",
		                  nik, failures, ec->max_failures);
	}
	u.nik = nik;
	u.step = hit;
	u.ok = 0;
	if ((rc = store_atomic(st, totp_use_fn, &u)) < 0)
		return rc;
	if (!u.ok) {
		/* The same code won a race with another call: a replay. */
		if ((rc = esign_owner_fail(&failures, st, ec, o, attempt, "totp")) < 0)
			return rc;
		esign_err_set(err, ESIGN_WRONG_TOTP, 400, "Kode TOTP sudah dipakai");
		return sertel_err(SERTEL_EAUTH, "NIK %s: TOTP replayed", nik);
	}
	if ((rc = esign_owner_right(st, ec, o, attempt)) == SERTEL_EPERM)
		esign_err_set(err, ESIGN_LOCKED, 403,
		              "Akun dikunci; hubungi Otoritas Pendaftaran");
	return rc;
}
