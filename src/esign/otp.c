/* SPDX-License-Identifier: Apache-2.0 */
/*
 * BSrE's one-time codes (issue 12): /api/v2/sign/get/totp mails a code to
 * the owner's registered address, and the code stands in for the
 * passphrase in /api/v2/sign/pdf; /api/v2/seal/get/activation,
 * /seal/get/totp and /seal/revoke/activation do the same for an
 * organisation seal.
 *
 * A code is 6 random digits, valid [esign] otp_seconds (300, BSrE's five
 * minutes), used once.  Only HMAC-SHA-256 of it is stored, under a key
 * derived from the master secret (label "esign-code-v1") over the subject
 * and purpose too: six digits under a plain hash fall to 10^6 guesses, a
 * keyed one does not without the master secret.  The code is never
 * audited or logged; it exists in clear only in the mail queue's body
 * until that notice is delivered (src/mail).
 *
 * How a code can open a key sealed under the passphrase: it cannot, so
 * the owner enrols first (`sertel esign otp enrol`, a choice of its own:
 * enrolling an authenticator for TOTP alone keeps it a second factor): the
 * passphrase unseals the key once and the service wraps a second copy,
 * AES-256-GCM under a key derived from the master secret (label
 * "esign-otp-key-v1", the NIK as associated data).  That copy is what a
 * right code (or RFC 6238 code) opens.  Enrolment is the owner's consent
 * that the service may sign for them on proof of their mailbox or
 * authenticator; `esign otp disable` removes the copy, and [esign]
 * otp_sign = 0 refuses every call without a passphrase.  Every code,
 * wrong or right, is counted against the same lock as wrong passphrases
 * (owner.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "esign/esign_int.h"
#include "mail/mail.h"

#define CODE_LABEL   "esign-code-v1"
#define OTPKEY_LABEL "esign-otp-key-v1"
#define OTPKEY_MAX   (16 * 1024) /* DER of the largest key sertel issues */

/* ---- codes ---------------------------------------------------------------- */
static int
code_mac(unsigned char out[32], struct store *st, const char *subject,
         const char *purpose, const char *code)
{
	unsigned char key[32];
	char msg[256];
	unsigned int n = 0;
	int len, rc;

	if ((rc = store_derive_key(st, CODE_LABEL, key, sizeof(key))) < 0)
		return rc;
	len = snprintf(msg, sizeof(msg), "%s\n%s\n%s", subject, purpose, code);
	rc = len > 0 && (size_t)len < sizeof(msg) &&
	             HMAC(EVP_sha256(), key, sizeof(key), (unsigned char *)msg,
	                  (size_t)len, out, &n) != NULL &&
	             n == 32
	         ? 0
	         : sertel_err(SERTEL_ECRYPTO, "code: HMAC failed");
	secure_wipe(key, sizeof(key));
	secure_wipe(msg, sizeof(msg));
	ERR_clear_error();
	return rc;
}

/* Six uniform digits (rejection sampling: no modulo bias). */
static int
code_new(char out[7])
{
	unsigned char b[4];
	uint32_t v;
	int rc;

	do {
		if ((rc = rand_bytes(b, sizeof(b))) < 0)
			return rc;
		v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
		    ((uint32_t)b[2] << 8) | b[3];
	} while (v >= 4294000000u);
	snprintf(out, 7, "%06u", (unsigned)(v % 1000000u));
	secure_wipe(b, sizeof(b));
	return 0;
}

struct code_send {
	const struct esign_conf *ec;
	const char *subject; /* "nik:..." or "seal:..." */
	const char *purpose; /* "sign", "seal-activation", "seal" */
	const char *actor;
	const char *to;
	const char *mail_subject;
	const char *body; /* with the code */
	const unsigned char *mac;
	int64_t now;
	int64_t wait; /* out: seconds until another code may be sent */
};

/* One outstanding code per subject and purpose: a new one replaces it,
 * not sooner than otp_resend_seconds after the last (no mailbox
 * flooding).  Row, notice and audit entry commit together. */
static int
code_send_fn(struct store *st, void *arg)
{
	struct code_send *w = arg;
	struct db_stmt *s = NULL;
	char obj[96];
	int64_t sent = -1;
	int rc;

	w->wait = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT sent_at FROM esign_codes WHERE subject = ? AND "
	                     "purpose = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->subject)) == 0 &&
	    (rc = db_bind_text(s, 2, w->purpose)) == 0 && (rc = db_step(s)) == 1) {
		sent = db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (sent >= 0 && w->now < sent + w->ec->otp_resend_seconds) {
		w->wait = sent + w->ec->otp_resend_seconds - w->now;
		return 0;
	}
	if (db_run(store_db(st),
	           "DELETE FROM esign_codes WHERE subject = ? AND purpose = ?", "ss",
	           w->subject, w->purpose) < 0 ||
	    db_run(store_db(st),
	           "INSERT INTO esign_codes (subject, purpose, code_mac, expires_at, "
	           "sent_at) VALUES (?, ?, ?, ?, ?)",
	           "ssbii", w->subject, w->purpose, w->mac, (size_t)32,
	           w->now + w->ec->otp_seconds, w->now) < 0)
		return SERTEL_ESTORE;
	snprintf(obj, sizeof(obj), "%s", w->subject);
	if ((rc = audit_append(st, w->actor, "esign.code.send", obj, w->purpose)) < 0)
		return rc;
	return mail_enqueue(st, w->to, w->mail_subject, w->body, "esign-otp");
}

/* Mails a new code; err says why not (2062/429 too soon). */
static int
code_send(struct esign_error *err, struct store *st, const struct esign_conf *ec,
          const char *actor, const char *subject, const char *purpose, const char *to,
          const char *name, const char *what)
{
	struct code_send w;
	unsigned char mac[32];
	char code[7], body[1024], subj[128];
	int rc;

	if ((rc = code_new(code)) < 0 ||
	    (rc = code_mac(mac, st, subject, purpose, code)) < 0)
		goto out;
	snprintf(body, sizeof(body),
	         "Yth. %s,\n\nKode TOTP %s Anda: %s\nKode berlaku %d menit dan hanya "
	         "dapat dipakai satu kali. Jangan berikan kode ini kepada siapa pun, "
	         "termasuk petugas.\nJika Anda tidak memintanya, abaikan pesan ini "
	         "dan hubungi Otoritas Pendaftaran.\n",
	         name, what, code, (ec->otp_seconds + 59) / 60);
	snprintf(subj, sizeof(subj), "Kode TOTP %s", what);
	memset(&w, 0, sizeof(w));
	w.ec = ec;
	w.subject = subject;
	w.purpose = purpose;
	w.actor = actor;
	w.to = to;
	w.mail_subject = subj;
	w.body = body;
	w.mac = mac;
	w.now = time_now();
	if ((rc = store_atomic(st, code_send_fn, &w)) < 0)
		goto out;
	if (w.wait > 0) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 429,
		              "Kode TOTP baru saja dikirim; coba lagi dalam %lld detik",
		              (long long)w.wait);
		rc = sertel_err(SERTEL_ESTATE, "%s: code sent %lld s too early", subject,
		                (long long)w.wait);
	}
out:
	secure_wipe(code, sizeof(code));
	secure_wipe(body, sizeof(body));
	secure_wipe(mac, sizeof(mac));
	return rc;
}

struct code_use {
	const char *subject;
	const char *purpose;
	const unsigned char *mac;
	int64_t now;
	int spend_on_wrong;
	int ok;
};

static int
code_use_fn(struct store *st, void *arg)
{
	struct code_use *w = arg;
	int64_t n;

	/* Compare-and-delete: a code is used at most once, even by two
	 * concurrent calls with the same code. */
	n = db_run(store_db(st),
	           "DELETE FROM esign_codes WHERE subject = ? AND purpose = ? AND "
	           "code_mac = ? AND expires_at > ?",
	           "ssbi", w->subject, w->purpose, w->mac, (size_t)32, w->now);
	if (n < 0)
		return (int)n;
	w->ok = n == 1;
	if (!w->ok && w->spend_on_wrong &&
	    db_run(store_db(st),
	           "DELETE FROM esign_codes WHERE subject = ? AND purpose = ?", "ss",
	           w->subject, w->purpose) < 0)
		return SERTEL_ESTORE;
	return 0;
}

/* 1 when code is the outstanding, unexpired code (now spent), 0 when not. */
static int
code_use(struct store *st, const char *subject, const char *purpose, const char *code,
         int spend_on_wrong)
{
	struct code_use w;
	unsigned char mac[32];
	long long v;
	int rc;

	if (code == NULL || strlen(code) != 6 || parse_ll(&v, code, 0, 999999) < 0) {
		sertel_err_clear();
		memset(mac, 0, sizeof(mac)); /* matches nothing: still spends */
	} else if ((rc = code_mac(mac, st, subject, purpose, code)) < 0) {
		return rc;
	}
	memset(&w, 0, sizeof(w));
	w.subject = subject;
	w.purpose = purpose;
	w.mac = mac;
	w.now = time_now();
	w.spend_on_wrong = spend_on_wrong;
	rc = store_atomic(st, code_use_fn, &w);
	secure_wipe(mac, sizeof(mac));
	return rc < 0 ? rc : w.ok;
}

/* 1 when an unexpired code is outstanding. */
static int
code_pending(struct store *st, const char *subject, const char *purpose)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT 1 FROM esign_codes WHERE subject = ? AND purpose = ? "
	                    "AND expires_at > ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, subject)) == 0 &&
	    (rc = db_bind_text(s, 2, purpose)) == 0 &&
	    (rc = db_bind_int(s, 3, time_now())) == 0)
		rc = db_step(s);
	db_finalize(s);
	return rc;
}

/* ---- owners: the key wrapped for the service at enrolment ----------------- */
struct otpkey_put {
	const char *nik;
	const char *serial;
	const unsigned char *sealed; /* nonce || ciphertext || tag */
	size_t sealed_len;
	const char *actor;
	int on; /* 0: remove */
};

static int
otpkey_put_fn(struct store *st, void *arg)
{
	struct otpkey_put *w = arg;
	char obj[64];
	int64_t n;
	int rc;

	if ((rc = esign_owner_row_ensure(st, w->nik)) < 0)
		return rc;
	if (w->on)
		n = db_run(store_db(st),
		           "UPDATE esign_owners SET otp_key = ?, otp_serial = ?, "
		           "updated_at = ? WHERE nik = ?",
		           "bsis", w->sealed, w->sealed_len, w->serial, time_now(),
		           w->nik);
	else
		n = db_run(store_db(st),
		           "UPDATE esign_owners SET otp_key = NULL, otp_serial = NULL, "
		           "updated_at = ? WHERE nik = ? AND otp_key IS NOT NULL",
		           "is", time_now(), w->nik);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "NIK %s: signing with a code is not enrolled", w->nik);
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	return audit_append(st, w->actor, w->on ? "esign.otp.enrol" : "esign.otp.disable",
	                    obj,
	                    w->on ? "key wrapped for signing with an e-mailed or TOTP "
	                            "code (passphrase shown)"
	                          : "");
}

/* Wraps the owner's key for the service (signing with a code), bound to
 * the certificate serial; audited.  key borrowed. */
static int
otpkey_wrap(struct store *st, const char *nik, const char *serial, EVP_PKEY *key)
{
	unsigned char k[32], *der = NULL, *p, *sealed = NULL;
	struct otpkey_put w;
	int dlen, rc;

	if ((dlen = i2d_PrivateKey(key, NULL)) <= 0 || dlen > OTPKEY_MAX) {
		ERR_clear_error();
		return sertel_err(SERTEL_ECRYPTO, "NIK %s: key does not encode", nik);
	}
	if ((der = malloc((size_t)dlen)) == NULL ||
	    (sealed = malloc((size_t)dlen + ESIGN_GCM_NONCE + ESIGN_GCM_TAG)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	p = der;
	if (i2d_PrivateKey(key, &p) != dlen) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "NIK %s: key does not encode", nik);
		goto out;
	}
	if ((rc = rand_bytes(sealed, ESIGN_GCM_NONCE)) < 0 ||
	    (rc = store_derive_key(st, OTPKEY_LABEL, k, sizeof(k))) < 0)
		goto out;
	if (esign_gcm(1, sealed + ESIGN_GCM_NONCE, der, (size_t)dlen, k, sealed,
	              sealed + ESIGN_GCM_NONCE + dlen, nik) < 0) {
		rc = sertel_err(SERTEL_ECRYPTO, "NIK %s: key wrapping failed", nik);
		goto out;
	}
	w.nik = nik;
	w.serial = serial;
	w.sealed = sealed;
	w.sealed_len = (size_t)dlen + ESIGN_GCM_NONCE + ESIGN_GCM_TAG;
	w.actor = "esign:owner";
	w.on = 1;
	rc = store_atomic(st, otpkey_put_fn, &w);
out:
	secure_wipe(k, sizeof(k));
	if (der != NULL)
		secure_wipe(der, (size_t)dlen);
	free(der);
	free(sealed);
	return rc;
}

int
esign_otp_enrol(struct esign_error *err, struct store *st, const struct esign_conf *ec,
                const char *nik, const char *pass, size_t passlen)
{
	struct esign_owner o;
	struct cert_rec rec;
	EVP_PKEY *key = NULL;
	int rc;

	memset(err, 0, sizeof(*err));
	memset(&rec, 0, sizeof(rec));
	if ((rc = esign_owner_get(&o, st, nik, NULL, time_now())) < 0) {
		esign_err_set(err, ESIGN_NOT_REGISTERED, 404, "NIK tidak terdaftar");
		return rc;
	}
	/* The owner proves the passphrase; wrong ones count like signing. */
	if ((rc = esign_owner_unseal(&key, &rec, err, st, ec, &o, pass, passlen)) < 0)
		return rc;
	rc = otpkey_wrap(st, o.person.nik, rec.serial, key);
	EVP_PKEY_free(key);
	cert_rec_free(&rec);
	return rc;
}

int
esign_otp_disable(struct store *st, const struct ra_actor *who, const char *nik)
{
	struct otpkey_put w;
	int rc;

	/* Who may remove it: as for the TOTP secret (totp.c). */
	if (!(who->roles & ROLE_ADMIN) && strcmp(who->nik, nik) != 0) {
		if (!(who->roles & ROLE_OPERATOR))
			return sertel_err(SERTEL_EPERM,
			                  "%s: only the owner, an OP operator or the "
			                  "administrator removes signing with a code",
			                  who->label);
		if ((rc = ra_operator_check(st, who->nik, time_now())) < 0)
			return rc;
	}
	memset(&w, 0, sizeof(w));
	w.nik = nik;
	w.actor = who->label;
	return store_atomic(st, otpkey_put_fn, &w);
}

/* The wrapped copy and the serial it belongs to; 0 when none. */
static int
otpkey_load(unsigned char **out, size_t *len, char serial[SERIAL_HEX_MAX + 1],
            struct store *st, const char *nik)
{
	struct db_stmt *s = NULL;
	const unsigned char *p;
	size_t n = 0;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT otp_key, otp_serial FROM esign_owners WHERE nik = ? "
	                     "AND otp_key IS NOT NULL")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_step(s)) == 1) {
		p = db_col_blob(s, 0, &n);
		if (p == NULL || n <= ESIGN_GCM_NONCE + ESIGN_GCM_TAG ||
		    n > OTPKEY_MAX + ESIGN_GCM_NONCE + ESIGN_GCM_TAG ||
		    str_copy(serial, SERIAL_HEX_MAX + 1,
		             db_col_text(s, 1) ? db_col_text(s, 1) : "") < 0) {
			rc = sertel_err(SERTEL_ESTORE, "NIK %s: wrapped key malformed",
			                nik);
		} else if ((*out = malloc(n)) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		} else {
			memcpy(*out, p, n);
			*len = n;
			rc = 1;
		}
	}
	db_finalize(s);
	return rc;
}

static int
otpkey_open(EVP_PKEY **key, struct store *st, const char *nik, const unsigned char *w,
            size_t wlen)
{
	unsigned char k[32], *der = NULL;
	const unsigned char *p;
	size_t dlen = wlen - ESIGN_GCM_NONCE - ESIGN_GCM_TAG;
	int rc;

	*key = NULL;
	if ((der = malloc(dlen)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = store_derive_key(st, OTPKEY_LABEL, k, sizeof(k))) < 0)
		goto out;
	if (esign_gcm(0, der, w + ESIGN_GCM_NONCE, dlen, k, w,
	              (unsigned char *)w + ESIGN_GCM_NONCE + dlen, nik) < 0) {
		rc = sertel_err(SERTEL_ECRYPTO, "NIK %s: wrapped key does not open", nik);
		goto out;
	}
	p = der;
	if ((*key = d2i_AutoPrivateKey(NULL, &p, (long)dlen)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "NIK %s: wrapped key does not parse",
		                     nik);
		goto out;
	}
	rc = 0;
out:
	secure_wipe(k, sizeof(k));
	secure_wipe(der, dlen);
	free(der);
	ERR_clear_error();
	return rc;
}

int
esign_owner_code_unseal(EVP_PKEY **key, struct cert_rec *cert, struct esign_error *err,
                        struct store *st, const struct esign_conf *ec,
                        const struct esign_owner *o, const char *code)
{
	const char *nik = o->person.nik;
	char subject[32], serial[SERIAL_HEX_MAX + 1] = "";
	unsigned char *w = NULL;
	size_t wlen = 0;
	int rc, attempt = 0, failures = 0, mailed;

	*key = NULL;
	memset(cert, 0, sizeof(*cert));
	if (!ec->otp_sign) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400,
		              "Field 'passphrase' wajib diisi (tanda tangan dengan kode "
		              "TOTP saja dimatikan: [esign] otp_sign = 0)");
		return sertel_err(SERTEL_EINVAL, "passphrase missing (otp_sign = 0)");
	}
	if (o->locked) {
		esign_err_set(err, ESIGN_LOCKED, 403,
		              "Akun dikunci setelah terlalu banyak percobaan salah; "
		              "hubungi Otoritas Pendaftaran untuk membukanya");
		return sertel_err(SERTEL_EPERM, "NIK %s: locked", nik);
	}
	if ((rc = otpkey_load(&w, &wlen, serial, st, nik)) < 0)
		return rc;
	if (rc == 0 || strcmp(serial, o->serial) != 0) {
		/* Never enrolled, or the certificate was renewed since. */
		esign_err_set(err, ESIGN_WRONG_TOTP, 400,
		              "Tanda tangan dengan kode TOTP belum diaktifkan untuk "
		              "sertifikat ini; kirim passphrase, atau aktifkan dahulu "
		              "(sertel esign otp enrol)");
		rc =
		    sertel_err(SERTEL_ENOTFOUND, "NIK %s: no key wrapped for codes", nik);
		goto out;
	}
	snprintf(subject, sizeof(subject), "nik:%s", nik);
	if ((mailed = code_pending(st, subject, "sign")) < 0) {
		rc = mailed;
		goto out;
	}
	if (!mailed && o->totp_enrolled) {
		/* An authenticator app's code (RFC 6238), counted the same way. */
		if ((rc = esign_totp_check(err, st, ec, o, code)) < 0)
			goto out;
	} else {
		if ((rc = esign_owner_attempt(&attempt, st, ec, o)) < 0) {
			if (rc == SERTEL_EPERM)
				esign_err_set(
				    err, ESIGN_LOCKED, 403,
				    "Akun dikunci setelah terlalu banyak percobaan "
				    "salah; hubungi Otoritas Pendaftaran");
			goto out;
		}
		if ((rc = code_use(st, subject, "sign", code, 0)) < 0)
			goto out;
		if (rc == 0) {
			if ((rc = esign_owner_fail(&failures, st, ec, o, attempt,
			                           "totp")) < 0)
				goto out;
			esign_err_set(err, ESIGN_WRONG_TOTP, 400,
			              "Kode TOTP salah, kedaluwarsa atau sudah dipakai%s",
			              failures >= ec->max_failures ? "; akun dikunci"
			                                           : "");
			rc = sertel_err(SERTEL_EAUTH,
			                "NIK %s: wrong, expired or used code (%d of %d)",
			                nik, failures, ec->max_failures);
			goto out;
		}
		if ((rc = esign_owner_right(st, ec, o, attempt)) < 0) {
			if (rc == SERTEL_EPERM)
				esign_err_set(
				    err, ESIGN_LOCKED, 403,
				    "Akun dikunci; hubungi Otoritas Pendaftaran");
			goto out;
		}
	}
	if ((rc = otpkey_open(key, st, nik, w, wlen)) < 0 ||
	    (rc = store_cert_get(st, serial, cert)) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		EVP_PKEY_free(*key);
		*key = NULL;
	}
	if (w != NULL)
		secure_wipe(w, wlen);
	free(w);
	return rc;
}

int
esign_otp_send(struct esign_error *err, struct store *st, const struct esign_conf *ec,
               const char *client, const char *nik, const char *email)
{
	struct esign_owner o;
	char subject[32], serial[SERIAL_HEX_MAX + 1];
	unsigned char *w = NULL;
	size_t wlen = 0;
	int rc;

	memset(err, 0, sizeof(*err));
	rc = esign_owner_get(&o, st, nik, email, time_now());
	if (rc == SERTEL_ENOTFOUND || rc == SERTEL_EINVAL) {
		esign_err_set(err, ESIGN_NOT_REGISTERED, 400, "User belum terdaftar");
		return rc;
	}
	if (rc < 0)
		return rc;
	if (o.locked) {
		esign_err_set(err, ESIGN_LOCKED, 403,
		              "Akun dikunci setelah terlalu banyak percobaan salah; "
		              "hubungi Otoritas Pendaftaran untuk membukanya");
		return sertel_err(SERTEL_EPERM, "NIK %s: locked", o.person.nik);
	}
	if (o.status != ESIGN_ST_ISSUE && o.status != ESIGN_ST_RENEW) {
		esign_err_set(err, ESIGN_NO_CERTIFICATE, 400,
		              "User belum memiliki sertifikat untuk tanda tangan (%s)",
		              esign_status_name(o.status));
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: no certificate",
		                  o.person.nik);
	}
	if ((rc = otpkey_load(&w, &wlen, serial, st, o.person.nik)) < 0)
		return rc;
	free(w);
	if ((rc == 0 || !ec->otp_sign) && o.totp_enrolled)
		return 1; /* the authenticator's code, with the passphrase */
	if (rc == 0 || !ec->otp_sign) {
		/* A code that could open nothing is not sent. */
		esign_err_set(err, ESIGN_WRONG_TOTP, 400,
		              "Tanda tangan dengan kode TOTP belum diaktifkan untuk user "
		              "ini; gunakan passphrase");
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: no key wrapped for codes",
		                  o.person.nik);
	}
	snprintf(subject, sizeof(subject), "nik:%s", o.person.nik);
	return code_send(err, st, ec, client, subject, "sign", o.person.email,
	                 o.person.name, "tanda tangan elektronik");
}

/* ---- seals ------------------------------------------------------------------ */
struct seal_mail {
	const char *id;
	const char *email;
	const char *actor;
};

static int
seal_email_fn(struct store *st, void *arg)
{
	struct seal_mail *w = arg;
	char obj[96];
	int64_t n;

	n = db_run(store_db(st), "UPDATE esign_seals SET email = ? WHERE id = ?", "ss",
	           w->email, w->id);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND, "seal '%s': not registered", w->id);
	snprintf(obj, sizeof(obj), "esign-seal:%s", w->id);
	return audit_append(st, w->actor, "esign.seal.email", obj, w->email);
}

int
esign_seal_email_set(struct store *st, const char *actor, const char *id,
                     const char *email)
{
	struct seal_mail w = {id, email, actor};
	int rc;

	if (email == NULL || (rc = mail_addr_check(email)) < 0 ||
	    (rc = name_check_email(email)) < 0)
		return email == NULL ? sertel_err(SERTEL_EINVAL, "seal e-mail: missing")
		                     : rc;
	return store_atomic(st, seal_email_fn, &w);
}

/* The seal's address ("" when none); SERTEL_ENOTFOUND for no such seal. */
static int
seal_email(char out[MAIL_ADDR_MAX + 1], struct store *st, const char *id)
{
	struct db_stmt *s = NULL;
	const char *e;
	int rc;

	out[0] = '\0';
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT email FROM esign_seals WHERE id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0) {
		rc = db_step(s);
		if (rc == 1) {
			e = db_col_text(s, 0);
			str_copy(out, MAIL_ADDR_MAX + 1, e ? e : "");
			rc = 0;
		} else if (rc == 0) {
			rc =
			    sertel_err(SERTEL_ENOTFOUND, "seal '%s': not registered", id);
		}
	}
	db_finalize(s);
	return rc;
}

/* The client may use this seal, and the seal has an address for codes. */
static int
seal_subject(char subject[96], char email[MAIL_ADDR_MAX + 1], char actor[96],
             struct esign_error *err, struct store *st, const struct esign_client *cl,
             const char *id)
{
	int rc;

	if (id == NULL || *id == '\0') {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400,
		              "Field 'idSubscriber' wajib diisi");
		return sertel_err(SERTEL_EINVAL, "idSubscriber missing");
	}
	if (!(cl->perms & ESIGN_PERM_SEAL) || strcmp(cl->seal_id, id) != 0) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 403,
		              "Aplikasi klien ini tidak berwenang memakai segel "
		              "elektronik '%s'",
		              id);
		return sertel_err(SERTEL_EPERM, "client %s: seal not allowed", cl->name);
	}
	if ((rc = seal_email(email, st, id)) < 0) {
		esign_err_set(err, ESIGN_NO_CERTIFICATE, 400,
		              "Segel elektronik tidak terdaftar");
		return rc;
	}
	if (email[0] == '\0') {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400,
		              "Segel elektronik '%s' belum memiliki alamat e-mail untuk "
		              "kode TOTP (sertel esign seal email)",
		              id);
		return sertel_err(SERTEL_ENOTFOUND, "seal %s: no e-mail address", id);
	}
	snprintf(subject, 96, "seal:%s:%s", id, cl->id);
	snprintf(actor, 96, "client:%s", cl->name);
	return 0;
}

struct seal_act {
	const char *seal_id;
	const char *client;
	const char *actor;
	const char *subject; /* revoking: the codes mailed under it die too */
	int on;
	int64_t n;
};

static int
seal_act_fn(struct store *st, void *arg)
{
	struct seal_act *w = arg;
	char obj[96];

	if (w->on) {
		if (db_run(store_db(st),
		           "DELETE FROM esign_seal_activations WHERE seal_id = ? AND "
		           "client = ?",
		           "ss", w->seal_id, w->client) < 0)
			return SERTEL_ESTORE;
		w->n = db_run(store_db(st),
		              "INSERT INTO esign_seal_activations (seal_id, client, "
		              "activated_at) VALUES (?, ?, ?)",
		              "ssi", w->seal_id, w->client, time_now());
	} else {
		w->n = db_run(store_db(st),
		              "DELETE FROM esign_seal_activations WHERE seal_id = ? AND "
		              "client = ?",
		              "ss", w->seal_id, w->client);
	}
	if (w->n < 0)
		return (int)w->n;
	if (w->n == 0)
		return 0;
	if (!w->on && db_run(store_db(st), "DELETE FROM esign_codes WHERE subject = ?",
	                     "s", w->subject) < 0)
		return SERTEL_ESTORE;
	snprintf(obj, sizeof(obj), "esign-seal:%s", w->seal_id);
	return audit_append(st, w->actor,
	                    w->on ? "esign.seal.activate" : "esign.seal.deactivate", obj,
	                    w->client);
}

/* Activates (on) or ends this client's activation of the seal; *n is
 * the rows changed (0: nothing to end). */
static int
seal_act_run(int64_t *n, struct store *st, const struct esign_client *cl,
             const char *seal_id, const char *actor, const char *subject, int on)
{
	struct seal_act a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.seal_id = seal_id;
	a.client = cl->id;
	a.actor = actor;
	a.subject = subject;
	a.on = on;
	rc = store_atomic(st, seal_act_fn, &a);
	*n = a.n;
	return rc;
}

static int
seal_active(struct store *st, const char *seal_id, const char *client)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT 1 FROM esign_seal_activations WHERE seal_id = ? AND "
	                     "client = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, seal_id)) == 0 &&
	    (rc = db_bind_text(s, 2, client)) == 0)
		rc = db_step(s);
	db_finalize(s);
	return rc;
}

int
esign_seal_activation_send(struct esign_error *err, struct store *st,
                           const struct esign_conf *ec, const struct esign_client *cl,
                           const char *seal_id)
{
	char subject[96], email[MAIL_ADDR_MAX + 1], actor[96];
	int rc;

	memset(err, 0, sizeof(*err));
	if ((rc = seal_subject(subject, email, actor, err, st, cl, seal_id)) < 0)
		return rc;
	return code_send(err, st, ec, actor, subject, "seal-activation", email, seal_id,
	                 "aktivasi segel elektronik");
}

int
esign_seal_totp_send(struct esign_error *err, struct store *st,
                     const struct esign_conf *ec, const struct esign_client *cl,
                     const char *seal_id, const char *activation_code)
{
	char subject[96], email[MAIL_ADDR_MAX + 1], actor[96];
	int64_t n = 0;
	int rc;

	memset(err, 0, sizeof(*err));
	if ((rc = seal_subject(subject, email, actor, err, st, cl, seal_id)) < 0)
		return rc;
	if ((rc = seal_active(st, seal_id, cl->id)) < 0)
		return rc;
	if (rc == 0) {
		/* Not active for this client: the activation code activates it
		 * (a wrong one spends the code: one guess per mailed code). */
		if ((rc = code_use(st, subject, "seal-activation", activation_code, 1)) <
		    0)
			return rc;
		if (rc == 0) {
			esign_err_set(err, ESIGN_WRONG_TOTP, 400,
			              "Kode aktivasi segel salah, kedaluwarsa atau sudah "
			              "dipakai; minta kode baru (seal/get/activation)");
			return sertel_err(SERTEL_EAUTH, "seal %s: wrong activation code",
			                  seal_id);
		}
		if ((rc = seal_act_run(&n, st, cl, seal_id, actor, subject, 1)) < 0)
			return rc;
	}
	return code_send(err, st, ec, actor, subject, "seal", email, seal_id,
	                 "segel elektronik");
}

int
esign_seal_activation_revoke(struct esign_error *err, struct store *st,
                             const struct esign_client *cl, const char *seal_id)
{
	char subject[96], email[MAIL_ADDR_MAX + 1], actor[96];
	int64_t n = 0;
	int rc;

	memset(err, 0, sizeof(*err));
	if ((rc = seal_subject(subject, email, actor, err, st, cl, seal_id)) < 0)
		return rc;
	if ((rc = seal_act_run(&n, st, cl, seal_id, actor, subject, 0)) < 0)
		return rc;
	if (n == 0) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400,
		              "Segel elektronik '%s' tidak sedang aktif untuk aplikasi "
		              "klien ini",
		              seal_id);
		return sertel_err(SERTEL_ESTATE, "seal %s: not active", seal_id);
	}
	return 0;
}

int
esign_seal_code_check(struct esign_error *err, struct store *st,
                      const struct esign_conf *ec, const struct esign_client *cl,
                      const char *seal_id, const char *code)
{
	char subject[96], email[MAIL_ADDR_MAX + 1], actor[96];
	int rc;

	if (!ec->seal_totp)
		return 0;
	if ((rc = seal_email(email, st, seal_id)) < 0)
		return rc;
	/* A seal without an address cannot be sent codes: its authorised
	 * client alone signs with it (seals registered before issue 12). */
	if (email[0] == '\0')
		return 0;
	if ((rc = seal_subject(subject, email, actor, err, st, cl, seal_id)) < 0)
		return rc;
	if ((rc = seal_active(st, seal_id, cl->id)) < 0)
		return rc;
	if (rc == 0) {
		esign_err_set(
		    err, ESIGN_WRONG_TOTP, 400,
		    "Segel elektronik belum diaktifkan untuk aplikasi klien ini "
		    "(seal/get/activation, lalu seal/get/totp)");
		return sertel_err(SERTEL_EAUTH, "seal %s: not activated", seal_id);
	}
	if ((rc = code_use(st, subject, "seal", code, 1)) < 0)
		return rc;
	if (rc == 0) {
		esign_err_set(err, ESIGN_WRONG_TOTP, 400,
		              "Kode TOTP segel salah, kedaluwarsa atau sudah dipakai; "
		              "minta kode baru (seal/get/totp)");
		return sertel_err(SERTEL_EAUTH, "seal %s: wrong or used code", seal_id);
	}
	return 0;
}
