/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Owners of server-held keys: their status as BSrE names it, the count of
 * wrong passphrases and the lock after [esign] max_failures (Palembang
 * 12(2)a-b: the key is under the owner's sole control, so guessing must
 * stop), the OP's unlock, and the passphrase change that needs the old
 * passphrase.  Each change is audited and the owner is told by e-mail
 * (the notice commits with the change: src/mail).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/esign_int.h"
#include "mail/mail.h"

void
esign_err_set(struct esign_error *err, int code, int http, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->code = code;
	err->http = http;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int
esign_conf_load(struct esign_conf *out, const struct config *cfg, const char *base_url)
{
	struct ra_policy pol;
	const char *v;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The same passphrase rule as the desk's (src/ra/policy.c). */
	if ((rc = ra_policy_load(&pol, cfg)) < 0)
		return rc;
	out->pass_min_len = pol.pass_min_len;
	out->max_failures = (int)config_get_int(cfg, "esign", "max_failures", 5);
	out->keep_content = (int)config_get_int(cfg, "esign", "keep_content", 0);
	out->max_file_bytes =
	    (size_t)config_get_int(cfg, "esign", "max_file_bytes", 10 * 1024 * 1024);
	out->max_files = (size_t)config_get_int(cfg, "esign", "max_files", 100);
	out->max_request_bytes =
	    (size_t)config_get_int(cfg, "esign", "max_request_bytes", 64 * 1024 * 1024);
	out->parallel_unseal = (int)config_get_int(cfg, "esign", "parallel_unseal", 2);
	out->totp_window = (int)config_get_int(cfg, "esign", "totp_window", 1);
	if (out->max_failures < 1 || out->max_failures > 100)
		return sertel_err(SERTEL_EINVAL, "[esign] max_failures: 1..100");
	if (out->max_file_bytes < 1024 || out->max_file_bytes > BLOB_MAX)
		return sertel_err(SERTEL_EINVAL, "[esign] max_file_bytes: 1 KiB..64 MiB");
	if (out->max_files < 1 || out->max_files > 1000)
		return sertel_err(SERTEL_EINVAL, "[esign] max_files: 1..1000");
	if (out->max_request_bytes < 64 * 1024 ||
	    out->max_request_bytes > (size_t)1024 * 1024 * 1024)
		return sertel_err(SERTEL_EINVAL,
		                  "[esign] max_request_bytes: 64 KiB..1 GiB");
	if (out->parallel_unseal < 1 || out->parallel_unseal > 64)
		return sertel_err(SERTEL_EINVAL, "[esign] parallel_unseal: 1..64");
	if (out->totp_window < 0 || out->totp_window > 4)
		return sertel_err(SERTEL_EINVAL, "[esign] totp_window: 0..4");
	/* Issue 12: BSrE's codes by e-mail, five minutes, single use. */
	out->otp_sign = (int)config_get_int(cfg, "esign", "otp_sign", 1);
	out->otp_seconds = (int)config_get_int(cfg, "esign", "otp_seconds", 300);
	out->otp_resend_seconds =
	    (int)config_get_int(cfg, "esign", "otp_resend_seconds", 30);
	out->seal_totp = (int)config_get_int(cfg, "esign", "seal_totp", 1);
	if (out->otp_seconds < 1 || out->otp_seconds > 3600)
		return sertel_err(SERTEL_EINVAL, "[esign] otp_seconds: 1..3600");
	if (out->otp_resend_seconds < 0 || out->otp_resend_seconds > 3600)
		return sertel_err(SERTEL_EINVAL, "[esign] otp_resend_seconds: 0..3600");
	v = esign_base_url(cfg, base_url);
	str_copy(out->base_url, sizeof(out->base_url), v);
	/* Palembang 12(4): the footer on every signed document; the link is
	 * the footer's own ({tautan}, or appended: issue 11). */
	if ((rc = sign_footer_template(out->footer, sizeof(out->footer), cfg, 1)) < 0)
		return rc;
	/* Issue 11: B-T with the instance's own TSA unless told otherwise. */
	v = config_get(cfg, "esign", "level", "B-T");
	if (strcmp(v, "B-B") == 0)
		out->level = SIGN_LEVEL_B;
	else if (strcmp(v, "B-T") == 0)
		out->level = SIGN_LEVEL_T;
	else if (strcmp(v, "B-LT") == 0)
		out->level = SIGN_LEVEL_LT;
	else
		return sertel_err(SERTEL_EINVAL, "[esign] level: B-B, B-T or B-LT");
	str_copy(out->tsa_url, sizeof(out->tsa_url),
	         config_get(cfg, "esign", "tsa_url", ""));
	if (out->level > SIGN_LEVEL_B && out->tsa_url[0] == '\0') {
		v = config_get(cfg, "instance", "base_url", base_url);
		if (v == NULL || *v == '\0' ||
		    snprintf(out->tsa_url, sizeof(out->tsa_url), "%s/tsa", v) >=
		        (int)sizeof(out->tsa_url))
			return sertel_err(SERTEL_EINVAL,
			                  "[esign] level %s needs [esign] tsa_url or "
			                  "[instance] base_url (the instance TSA)",
			                  out->level == SIGN_LEVEL_T ? "B-T" : "B-LT");
	}
	out->publish_nip = (int)config_get_int(cfg, "esign", "publish_nip", 0);
	str_copy(out->logo, sizeof(out->logo),
	         config_get(cfg, "esign", "public_logo", ""));
	str_copy(out->org, sizeof(out->org), config_get(cfg, "instance", "org", ""));
	str_copy(out->location, sizeof(out->location),
	         config_get(cfg, "esign", "location", ""));
	out->verify_after_sign =
	    (int)config_get_int(cfg, "esign", "verify_after_sign", 1);
	out->verify_offline = (int)config_get_int(cfg, "esign", "verify_offline", 0);
	if ((rc = verify_conf_load(&out->verify, cfg)) < 0)
		return rc;
	return sign_look_load(&out->look, cfg, config_dir(cfg));
}

static const char *const status_names[] = {
    "ISSUE",  "EXPIRED",        "RENEW",          "WAITING_FOR_VERIFICATION",
    "NEW",    "NO_CERTIFICATE", "NOT_REGISTERED", "SUSPEND",
    "REVOKE",
};

static const char *const status_msgs[] = {
    "User sudah terdaftar dan memiliki sertifikat dengan status ISSUE",
    "Sertifikat user telah kedaluwarsa",
    "Sertifikat user sedang dalam proses pembaruan",
    "Permohonan sertifikat user menunggu verifikasi",
    "User terdaftar dengan permohonan sertifikat baru",
    "User terdaftar tetapi belum memiliki sertifikat untuk tanda tangan",
    "User belum terdaftar",
    "Sertifikat user ditangguhkan (dikunci atau dibekukan)",
    "Sertifikat user telah dicabut",
};

const char *
esign_status_name(enum esign_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0])
	           ? status_names[s]
	           : "UNKNOWN";
}

const char *
esign_status_message(enum esign_status s)
{
	return (unsigned)s < sizeof(status_msgs) / sizeof(status_msgs[0]) ? status_msgs[s]
	                                                                  : "";
}

static int
usage_has(const char *usages, const char *u)
{
	size_t n = strlen(u);
	const char *p = usages;

	while ((p = strstr(p, u)) != NULL) {
		if ((p == usages || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static int
nik_by_email(char out[17], struct store *st, const char *email)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik FROM persons WHERE email = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, email)) == 0) {
		rc = db_step(s);
		if (rc == 1)
			rc = str_copy(out, 17, db_col_text(s, 0)) < 0 ? SERTEL_EINVAL : 0;
		else if (rc == 0)
			rc = sertel_err(SERTEL_ENOTFOUND, "e-mail %s: not registered",
			                email);
	}
	db_finalize(s);
	return rc;
}

int
esign_owner_get(struct esign_owner *out, struct store *st, const char *nik,
                const char *email, int64_t now)
{
	struct db_stmt *s = NULL;
	char nikbuf[17], best_any[SERIAL_HEX_MAX + 1] = "";
	int rc, have_latest = 0, latest_revoked = 0, latest_reason = -1,
	        latest_expired = 0;
	int valid_sealed = 0, valid_any = 0, pending_wait = 0, pending_new = 0,
	    renewal = 0;

	memset(out, 0, sizeof(*out));
	out->status = ESIGN_ST_NOT_REGISTERED;
	if (nik == NULL || *nik == '\0') {
		if (email == NULL || *email == '\0')
			return sertel_err(SERTEL_EINVAL, "NIK or e-mail required");
		if ((rc = nik_by_email(nikbuf, st, email)) < 0)
			return rc;
		nik = nikbuf;
	}
	if (strlen(nik) != 16)
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: not registered", nik);
	rc = ra_person_get(&out->person, st, nik);
	if (rc == SERTEL_ENOTFOUND || rc == SERTEL_EAUTH)
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: not registered", nik);
	if (rc < 0)
		return rc;

	/* Certificates bound to the person, newest first. */
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT c.serial, c.usages, c.not_before, c.not_after, c.revoked, "
	         "c.reason, k.serial FROM certs c LEFT JOIN sealed_keys k ON "
	         "k.serial = c.serial AND k.nik = c.nik WHERE c.nik = ? "
	         "ORDER BY c.not_before DESC, c.created_at DESC")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		const char *serial = db_col_text(s, 0), *usages = db_col_text(s, 1);
		int64_t nb = db_col_int(s, 2), na = db_col_int(s, 3);
		int revoked = (int)db_col_int(s, 4), sealed = !db_col_null(s, 6);
		int valid = !revoked && nb <= now && now < na && usages != NULL &&
		            usage_has(usages, "signing");

		if (!have_latest) {
			have_latest = 1;
			latest_revoked = revoked;
			latest_reason = db_col_null(s, 5) ? -1 : (int)db_col_int(s, 5);
			latest_expired = now >= na;
		}
		if (valid && sealed && !valid_sealed) {
			valid_sealed = 1;
			str_copy(out->serial, sizeof(out->serial), serial);
		}
		if (valid && !valid_any) {
			valid_any = 1;
			str_copy(best_any, sizeof(best_any), serial);
		}
	}
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	if (!valid_sealed && valid_any)
		str_copy(out->serial, sizeof(out->serial), best_any);
	out->has_sealed_key = valid_sealed;

	/* Applications still under way. */
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT kind, state FROM applications WHERE applicant_nik = ? "
	         "AND state IN ('draft', 'returned', 'submitted', 'approved')")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		const char *kind = db_col_text(s, 0), *state = db_col_text(s, 1);
		if (kind != NULL && strcmp(kind, "renewal") == 0)
			renewal = 1;
		if (strcmp(state, "submitted") == 0 || strcmp(state, "approved") == 0)
			pending_wait = 1;
		else
			pending_new = 1;
	}
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT failures, locked, CASE WHEN totp_secret IS NULL "
	                     "THEN 0 ELSE 1 END FROM "
	                     "esign_owners WHERE nik = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) < 0)
		goto out;
	if ((rc = db_step(s)) == 1) {
		out->failures = (int)db_col_int(s, 0);
		out->locked = (int)db_col_int(s, 1);
		out->totp_enrolled = (int)db_col_int(s, 2);
	}
	if (rc < 0)
		goto out;
	db_finalize(s);
	s = NULL;
	/* A key locked in sealed_keys (by any path) locks the owner too. */
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT COUNT(*) FROM sealed_keys WHERE nik = ? AND locked <> 0")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) < 0)
		goto out;
	if ((rc = db_step(s)) == 1 && db_col_int(s, 0) > 0)
		out->locked = 1;
	if (rc < 0)
		goto out;
	rc = 0;

	if (out->locked)
		out->status = ESIGN_ST_SUSPEND;
	else if (valid_any)
		out->status = renewal ? ESIGN_ST_RENEW : ESIGN_ST_ISSUE;
	else if (pending_wait)
		out->status = ESIGN_ST_WAITING_FOR_VERIFICATION;
	else if (pending_new)
		out->status = ESIGN_ST_NEW;
	else if (have_latest && latest_revoked)
		/* RFC 5280 5.3.1 certificateHold is a suspension. */
		out->status = latest_reason == REVOKE_CERTIFICATE_HOLD ? ESIGN_ST_SUSPEND
		                                                       : ESIGN_ST_REVOKE;
	else if (have_latest && latest_expired)
		out->status = ESIGN_ST_EXPIRED;
	else
		out->status = ESIGN_ST_NO_CERTIFICATE;
out:
	db_finalize(s);
	return rc;
}

int
esign_owner_row_ensure(struct store *st, const char *nik)
{
	struct db_stmt *s = NULL;
	int rc, found = 0;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT 1 FROM esign_owners WHERE nik = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_step(s)) >= 0) {
		found = rc == 1;
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0 || found)
		return rc;
	return db_run(store_db(st),
	              "INSERT INTO esign_owners (nik, updated_at) VALUES (?, ?)", "si",
	              nik, time_now()) < 0
	           ? SERTEL_ESTORE
	           : 0;
}

/* ---- wrong and right passphrases ------------------------------------------
 * Every attempt is reserved in the store BEFORE the passphrase (or TOTP
 * code) is checked: one conditional UPDATE counts it only while the owner
 * is not locked and below [esign] max_failures, so however many requests
 * run at once, at most max_failures guesses are ever evaluated (Palembang
 * 12(2)a-b).  A wrong guess then keeps its count (and locks at the
 * maximum); a right one resets the count.  A request that dies between
 * the two leaves its attempt counted: fail safe. */
struct attempt_work {
	const struct esign_owner *o;
	const char *serial; /* the sealed key tried; NULL: a TOTP code */
	const char *what;   /* "passphrase" or "totp" */
	int max;
	int n;          /* this attempt's number (1..max); 0: refused, locked */
	int locked_now; /* this (wrong) attempt locked the owner */
	int still_locked;
};

static int
reserve_fn(struct store *st, void *arg)
{
	struct attempt_work *w = arg;
	struct db_stmt *s = NULL;
	const char *nik = w->o->person.nik;
	int64_t n;
	int rc;

	w->n = 0;
	if ((rc = esign_owner_row_ensure(st, nik)) < 0)
		return rc;
	n = db_run(store_db(st),
	           "UPDATE esign_owners SET failures = failures + 1, updated_at = ? "
	           "WHERE nik = ? AND locked = 0 AND failures < ?",
	           "isi", time_now(), nik, (int64_t)w->max);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return 0; /* locked, or max_failures attempts already counted */
	/* sealed_keys.failures in step; a key locked by another path refuses
	 * (the error rolls this reservation back). */
	if (w->serial != NULL) {
		n = db_run(store_db(st),
		           "UPDATE sealed_keys SET failures = failures + 1 WHERE "
		           "serial = ? AND nik = ? AND locked = 0",
		           "ss", w->serial, nik);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return sertel_err(SERTEL_EPERM, "sealed key %s: locked",
			                  w->serial);
	}
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT failures FROM esign_owners WHERE nik = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_step(s)) == 1) {
		w->n = (int)db_col_int(s, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ESTORE, "NIK %s: owner row vanished", nik);
	}
	db_finalize(s);
	return rc;
}

/* Reserves one attempt: 0 with w->n > 0 to go on, SERTEL_EPERM when the
 * owner is locked (or every allowed attempt is taken). */
static int
attempt_reserve(struct attempt_work *w, struct store *st)
{
	int rc = store_atomic(st, reserve_fn, w);

	if (rc < 0)
		return rc;
	if (w->n == 0)
		return sertel_err(SERTEL_EPERM,
		                  "NIK %s: locked (%d wrong attempts counted)",
		                  w->o->person.nik, w->max);
	return 0;
}

/* A reserved attempt turned out wrong: audited with its number; the one
 * that reaches the maximum locks. */
static int
wrong_fn(struct store *st, void *arg)
{
	struct attempt_work *w = arg;
	char obj[64], detail[128], body[1024];
	const struct ra_person *p = &w->o->person;
	int64_t n;
	int rc;

	w->locked_now = 0;
	snprintf(obj, sizeof(obj), "person:%s", p->nik);
	snprintf(detail, sizeof(detail), "wrong %s %d of %d", w->what, w->n, w->max);
	if ((rc = audit_append(st, "esign:service",
	                       strcmp(w->what, "totp") == 0 ? "esign.totp.wrong"
	                                                    : "esign.passphrase.wrong",
	                       obj, detail)) < 0)
		return rc;
	if (w->n < w->max)
		return 0;
	/* sealed_keys.locked too: every other path that unseals
	 * (sign_signer_load_sealed, `sertel sign pdf --nik`) refuses it. */
	n = db_run(store_db(st),
	           "UPDATE esign_owners SET locked = 1, locked_at = ? WHERE nik = ? "
	           "AND locked = 0",
	           "is", time_now(), p->nik);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return 0; /* locked already */
	w->locked_now = 1;
	if (db_run(store_db(st), "UPDATE sealed_keys SET locked = 1 WHERE nik = ?", "s",
	           p->nik) < 0)
		return SERTEL_ESTORE;
	if ((rc = audit_append(st, "esign:service", "esign.lock", obj,
	                       "locked after too many wrong passphrases")) < 0)
		return rc;
	snprintf(
	    body, sizeof(body),
	    "Yth. %s,\n\nPenggunaan kunci tanda tangan elektronik Anda (NIK %s) "
	    "dikunci setelah %d kali percobaan passphrase yang salah.\n"
	    "Jika bukan Anda yang mencoba, segera hubungi Otoritas Pendaftaran (OP). "
	    "Kunci dapat dibuka kembali oleh operator OP setelah verifikasi.\n",
	    p->name, p->nik, w->n);
	return mail_enqueue(st, p->email, "Kunci tanda tangan elektronik Anda dikunci",
	                    body, "esign-locked");
}

/* A reserved attempt turned out right, unless a concurrent wrong attempt
 * locked the owner meanwhile: a right passphrase resets the count to 0; a
 * right TOTP code only gives its own attempt back (the second factor
 * alone must not wipe out wrong passphrases). */
static int
ok_fn(struct store *st, void *arg)
{
	struct attempt_work *w = arg;
	const char *nik = w->o->person.nik;
	char obj[64];
	int64_t n;

	w->still_locked = 0;
	n = db_run(store_db(st),
	           w->serial != NULL
	               ? "UPDATE esign_owners SET failures = 0, updated_at = ? "
	                 "WHERE nik = ? AND locked = 0"
	               : "UPDATE esign_owners SET failures = CASE WHEN failures > 0 "
	                 "THEN failures - 1 ELSE 0 END, updated_at = ? WHERE nik = ? "
	                 "AND locked = 0",
	           "is", time_now(), nik);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		w->still_locked = 1;
		return 0;
	}
	if (w->serial == NULL)
		return 0;
	n = db_run(store_db(st),
	           "UPDATE sealed_keys SET failures = 0 WHERE nik = ? AND locked = 0 "
	           "AND failures > 0",
	           "s", nik);
	if (n < 0)
		return (int)n;
	/* Only this attempt was counted: nothing to tell the trail. */
	if (w->n <= 1)
		return 0;
	snprintf(obj, sizeof(obj), "person:%s", nik);
	return audit_append(st, "esign:service", "esign.passphrase.ok", obj,
	                    "right passphrase: failure count reset");
}

static void
err_locked(struct esign_error *err)
{
	esign_err_set(err, ESIGN_LOCKED, 403,
	              "Akun dikunci setelah terlalu banyak passphrase salah; hubungi "
	              "Otoritas Pendaftaran untuk membukanya");
}

int
esign_owner_attempt(int *attempt, struct store *st, const struct esign_conf *ec,
                    const struct esign_owner *o)
{
	struct attempt_work w = {o, NULL, "totp", ec->max_failures, 0, 0, 0};
	int rc = attempt_reserve(&w, st);

	*attempt = w.n;
	return rc;
}

int
esign_owner_fail(int *failures, struct store *st, const struct esign_conf *ec,
                 const struct esign_owner *o, int attempt, const char *what)
{
	struct attempt_work w = {o, NULL, what, ec->max_failures, attempt, 0, 0};
	int rc = store_atomic(st, wrong_fn, &w);

	*failures = attempt;
	return rc;
}

int
esign_owner_right(struct store *st, const struct esign_conf *ec,
                  const struct esign_owner *o, int attempt)
{
	struct attempt_work w = {o, NULL, "totp", ec->max_failures, attempt, 0, 0};
	int rc = store_atomic(st, ok_fn, &w);

	if (rc < 0)
		return rc;
	if (w.still_locked)
		return sertel_err(SERTEL_EPERM, "NIK %s: locked", o->person.nik);
	return 0;
}

int
esign_owner_unseal(EVP_PKEY **key, struct cert_rec *cert, struct esign_error *err,
                   struct store *st, const struct esign_conf *ec,
                   const struct esign_owner *o, const char *pass, size_t passlen)
{
	struct sign_sealed_ref ref;
	struct attempt_work w;
	int rc;

	*key = NULL;
	if (cert != NULL)
		memset(cert, 0, sizeof(*cert));
	memset(&ref, 0, sizeof(ref));
	if (o->locked) {
		err_locked(err);
		return sertel_err(SERTEL_EPERM, "NIK %s: locked", o->person.nik);
	}
	if (!o->has_sealed_key) {
		esign_err_set(
		    err, ESIGN_NO_CERTIFICATE, 400,
		    "Tidak ada sertifikat tanda tangan yang kuncinya disimpan di server "
		    "untuk NIK ini");
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: no usable sealed key",
		                  o->person.nik);
	}
	if (pass == NULL || passlen == 0) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400, "Passphrase wajib diisi");
		return sertel_err(SERTEL_EINVAL, "passphrase missing");
	}
	/* The same key sign_signer_load_sealed() would use. */
	if ((rc = sign_sealed_find(&ref, st, o->person.nik, time_now())) < 0) {
		esign_err_set(
		    err, ESIGN_NO_CERTIFICATE, 400,
		    "Tidak ada sertifikat tanda tangan yang kuncinya disimpan di server "
		    "untuk NIK ini");
		return rc;
	}
	if (ref.locked) {
		rc = sertel_err(SERTEL_EPERM, "NIK %s: locked", o->person.nik);
		err_locked(err);
		goto out;
	}
	memset(&w, 0, sizeof(w));
	w.o = o;
	w.serial = ref.serial;
	w.what = "passphrase";
	w.max = ec->max_failures;
	if ((rc = attempt_reserve(&w, st)) < 0) {
		if (rc == SERTEL_EPERM)
			err_locked(err);
		goto out;
	}
	rc = unseal_key(key, &ref.key, pass, passlen);
	if (rc == SERTEL_EAUTH) {
		if ((rc = store_atomic(st, wrong_fn, &w)) < 0)
			goto out;
		if (w.n >= w.max)
			esign_err_set(err, ESIGN_WRONG_PASSPHRASE, 400,
			              "Passphrase anda salah; akun dikunci setelah %d "
			              "kali percobaan, "
			              "hubungi Otoritas Pendaftaran",
			              w.n);
		else
			esign_err_set(err, ESIGN_WRONG_PASSPHRASE, 400,
			              "Passphrase anda salah");
		rc = sertel_err(SERTEL_EAUTH, "NIK %s: wrong passphrase (%d of %d)",
		                o->person.nik, w.n, w.max);
		goto out;
	}
	if (rc < 0)
		goto out;
	if ((rc = store_atomic(st, ok_fn, &w)) < 0)
		goto out;
	if (w.still_locked) {
		esign_err_set(err, ESIGN_LOCKED, 403,
		              "Akun dikunci; hubungi Otoritas Pendaftaran");
		rc = sertel_err(SERTEL_EPERM, "NIK %s: locked", o->person.nik);
		goto out;
	}
	if (cert != NULL)
		rc = store_cert_get(st, ref.serial, cert);
out:
	if (rc < 0) {
		EVP_PKEY_free(*key);
		*key = NULL;
	}
	sign_sealed_ref_free(&ref);
	return rc < 0 ? rc : 0;
}

/* ---- unlock ------------------------------------------------------------ */
struct unlock_work {
	const struct ra_person *p;
	const struct ra_actor *who;
	const char *reason;
};

static int
unlock_fn(struct store *st, void *arg)
{
	struct unlock_work *w = arg;
	char obj[64], body[1024];
	int64_t n;
	int rc;

	int64_t k;

	n = db_run(store_db(st),
	           "UPDATE esign_owners SET locked = 0, failures = 0, locked_at = NULL, "
	           "updated_at = ? WHERE nik = ? AND (locked = 1 OR failures > 0)",
	           "is", time_now(), w->p->nik);
	if (n < 0)
		return (int)n;
	k = db_run(store_db(st),
	           "UPDATE sealed_keys SET locked = 0, failures = 0 WHERE nik = ? AND "
	           "(locked = 1 OR failures > 0)",
	           "s", w->p->nik);
	if (k < 0)
		return (int)k;
	if (n == 0 && k == 0)
		return sertel_err(SERTEL_ESTATE, "NIK %s: not locked", w->p->nik);
	snprintf(obj, sizeof(obj), "person:%s", w->p->nik);
	if ((rc = audit_append(st, w->who->label, "esign.unlock", obj, w->reason)) < 0)
		return rc;
	snprintf(body, sizeof(body),
	         "Yth. %s,\n\nKunci tanda tangan elektronik Anda (NIK %s) telah dibuka "
	         "kembali "
	         "oleh Otoritas Pendaftaran.\nAlasan: %s\n",
	         w->p->name, w->p->nik, w->reason);
	return mail_enqueue(st, w->p->email,
	                    "Kunci tanda tangan elektronik Anda dibuka kembali", body,
	                    "esign-unlocked");
}

int
esign_unlock(struct store *st, const struct ra_actor *who, const char *nik,
             const char *reason)
{
	struct ra_person p;
	struct unlock_work w;
	int rc;

	if (reason == NULL || *reason == '\0')
		return sertel_err(SERTEL_EINVAL, "unlock: a reason is required");
	if (!(who->roles & ROLE_ADMIN)) {
		if (!(who->roles & ROLE_OPERATOR))
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: only an OP operator (operator-op) or the administrator "
			    "unlocks a key",
			    who->label);
		if ((rc = ra_operator_check(st, who->nik, time_now())) < 0)
			return rc;
		if (strcmp(who->nik, nik) == 0)
			return sertel_err(SERTEL_EPERM,
			                  "%s: an operator does not unlock their own key",
			                  who->label);
	}
	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc;
	w.p = &p;
	w.who = who;
	w.reason = reason;
	return store_atomic(st, unlock_fn, &w);
}

/* ---- passphrase change --------------------------------------------------- */
struct repass_work {
	const struct esign_owner *o;
	const struct sealed_key *sk;
	const char *serial;
};

static int
repass_fn(struct store *st, void *arg)
{
	struct repass_work *w = arg;
	char kdf[64], obj[64], body[1024];
	int64_t n;
	int rc;

	snprintf(kdf, sizeof(kdf), "argon2id$%llu$%zu", w->sk->params.opslimit,
	         w->sk->params.memlimit);
	n = db_run(
	    store_db(st),
	    "UPDATE sealed_keys SET kdf = ?, salt = ?, nonce = ?, sealed = ? WHERE "
	    "serial = ? AND nik = ?",
	    "sbbbss", kdf, w->sk->salt, (size_t)SEAL_SALT, w->sk->nonce,
	    (size_t)SEAL_NONCE, w->sk->sealed, w->sk->sealed_len, w->o->serial,
	    w->o->person.nik);
	if (n < 0)
		return (int)n;
	if (n != 1)
		return sertel_err(SERTEL_ESTATE, "cert %s: sealed key gone", w->serial);
	snprintf(obj, sizeof(obj), "person:%s", w->o->person.nik);
	if ((rc = audit_append(st, "esign:owner", "esign.passphrase.change", obj,
	                       "key sealed again under a new passphrase")) < 0)
		return rc;
	snprintf(
	    body, sizeof(body),
	    "Yth. %s,\n\nPassphrase kunci tanda tangan elektronik Anda (NIK %s) telah "
	    "diganti. Jika bukan Anda yang menggantinya, segera hubungi Otoritas "
	    "Pendaftaran.\n",
	    w->o->person.name, w->o->person.nik);
	return mail_enqueue(st, w->o->person.email,
	                    "Passphrase tanda tangan elektronik diganti", body,
	                    "esign-passphrase");
}

int
esign_passphrase_change(struct esign_error *err, struct store *st,
                        const struct esign_conf *ec, const char *nik,
                        const char *old_pass, size_t old_len, const char *new_pass,
                        size_t new_len)
{
	struct esign_owner o;
	struct sealed_key sk;
	struct seal_params sp;
	struct repass_work w;
	struct cert_rec rec;
	EVP_PKEY *key = NULL;
	const char *forbid[4];
	int rc;

	memset(err, 0, sizeof(*err));
	memset(&sk, 0, sizeof(sk));
	if ((rc = esign_owner_get(&o, st, nik, NULL, time_now())) < 0) {
		esign_err_set(err, ESIGN_NOT_REGISTERED, 404, "NIK tidak terdaftar");
		return rc;
	}
	forbid[0] = o.person.nik;
	forbid[1] = o.person.nip;
	forbid[2] = o.person.email;
	forbid[3] = o.person.name;
	if ((rc = passphrase_check(new_pass, new_len, ec->pass_min_len, forbid, 4)) < 0) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400,
		              "Passphrase baru terlalu lemah");
		return rc;
	}
	if ((rc = esign_owner_unseal(&key, &rec, err, st, ec, &o, old_pass, old_len)) < 0)
		return rc;
	seal_params_default(&sp);
	if ((rc = seal_key(&sk, key, new_pass, new_len, &sp)) < 0)
		goto out;
	w.o = &o;
	w.sk = &sk;
	w.serial = rec.serial;
	rc = store_atomic(st, repass_fn, &w);
out:
	cert_rec_free(&rec);
	EVP_PKEY_free(key);
	sealed_key_free(&sk);
	return rc;
}

int
esign_locked_iter(struct store *st, const struct ra_actor *who, esign_locked_fn cb,
                  void *arg)
{
	struct db_stmt *s = NULL;
	struct esign_locked l;
	const char *t;
	int rc;

	if (!(who->roles & (ROLE_ADMIN | ROLE_OPERATOR)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: locked keys are listed for the OP operators who "
		                  "unlock them",
		                  who->label);
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT o.nik, p.name, a.name, o.failures, o.locked_at "
	                     "FROM esign_owners o JOIN persons p ON p.nik = o.nik "
	                     "LEFT JOIN agencies a ON a.id = p.agency_id WHERE "
	                     "o.locked = 1 ORDER BY o.locked_at, o.nik LIMIT 500")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		l.nik = db_col_text(s, 0);
		l.name = db_col_text(s, 1);
		l.agency = (t = db_col_text(s, 2)) != NULL ? t : "";
		l.failures = (int)db_col_int(s, 3);
		l.locked_at = db_col_null(s, 4) ? 0 : db_col_int(s, 4);
		if ((rc = cb(&l, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
