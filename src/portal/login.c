/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How people get into the portal: a one-time link mailed to the address
 * the OP registered for them (applicants, who hold no certificate yet),
 * or a TLS client certificate this instance issued to them (operators,
 * heads of agency, the Kepala Dinas, auditors; Cirebon 20(1) already
 * requires operators to hold one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "mail/mail.h"
#include "pki/pki.h"
#include "portal/portal.h"

/* ---- one-time links -------------------------------------------------- */
/* The person registered with e-mail address email (any case): nik, name
 * and the address as registered; nik "" when nobody has it.  The persons
 * table is the RA's; the portal only reads who has this address
 * (registered addresses are unique). */
static int
person_lookup(char nik[17], char name[SERTEL_MAX_NAME], char to[254], struct store *st,
              const char *email)
{
	struct db_stmt *s = NULL;
	int rc;

	nik[0] = '\0';
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik, name, email FROM persons "
	                     "WHERE lower(email) = lower(?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, email)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(nik, 17, db_col_text(s, 0));
		if (name != NULL)
			str_copy(name, SERTEL_MAX_NAME, db_col_text(s, 1));
		if (to != NULL)
			str_copy(to, 254, db_col_text(s, 2));
		rc = 0;
	}
	db_finalize(s);
	return rc;
}

int
portal_person_by_email(char nik[17], struct store *st, const char *email)
{
	return person_lookup(nik, NULL, NULL, st, email);
}

struct link_work {
	const struct portal_conf *pc;
	const char *email;
	const char *peer;
	char token[PORTAL_ID_HEX + 1];
	int sent;
};

static int
link_fn(struct store *st, void *arg)
{
	struct link_work *w = arg;
	struct db_stmt *s = NULL;
	char nik[17] = "", name[SERTEL_MAX_NAME] = "", to[254] = "", hash[65];
	char obj[32], why[160], body[2048];
	int64_t now = time_now(), open_links = 0;
	int rc;

	w->sent = 0;
	if ((rc = person_lookup(nik, name, to, st, w->email)) < 0)
		return rc;
	if (nik[0] == '\0')
		return 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM portal_links WHERE nik = ? AND "
	                     "used_at IS NULL AND expires_at > ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_bind_int(s, 2, now)) == 0 &&
	    (rc = db_step(s)) == 1) {
		open_links = db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (open_links >= w->pc->max_open_links)
		return sertel_err(
		    SERTEL_EPERM,
		    "Sudah ada %lld tautan masuk yang belum dipakai; periksa "
		    "kotak surat Anda atau tunggu %lld menit / too many open "
		    "login links",
		    (long long)open_links, (long long)(w->pc->link_seconds / 60));
	if ((rc = rand_hex(w->token, PORTAL_ID_HEX / 2)) < 0)
		return rc;
	sha256_hex(hash, w->token, PORTAL_ID_HEX);
	if (db_run(
	        store_db(st),
	        "INSERT INTO portal_links (token_hash, nik, created_at, expires_at, peer)"
	        " VALUES (?, ?, ?, ?, ?)",
	        "ssiis", hash, nik, now, now + w->pc->link_seconds, w->peer) < 0)
		return SERTEL_ESTORE;
	snprintf(body, sizeof(body),
	         "Yth. %s,\n\n"
	         "Gunakan tautan berikut untuk masuk ke portal Sertifikat Elektronik. "
	         "Tautan hanya dapat dipakai satu kali dan berlaku %lld menit:\n\n"
	         "%s/masuk/tautan?t=%s\n\n"
	         "Jika Anda tidak meminta tautan ini, abaikan surel ini; tidak ada yang "
	         "dapat masuk tanpa tautan tersebut.\n\n"
	         "--\n"
	         "Use the link above to log in to the electronic certificate portal. It "
	         "works once, for %lld minutes. If you did not ask for it, ignore this "
	         "message.\n",
	         name, (long long)(w->pc->link_seconds / 60), w->pc->base_url, w->token,
	         (long long)(w->pc->link_seconds / 60));
	if ((rc = mail_enqueue(st, to, "Tautan masuk portal Sertifikat Elektronik", body,
	                       "portal-link")) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "person:%s", nik);
	snprintf(why, sizeof(why), "login link mailed, valid %lld min, peer=%s",
	         (long long)(w->pc->link_seconds / 60), w->peer);
	if ((rc = audit_append(st, "portal:login", "portal.link", obj, why)) < 0)
		return rc;
	w->sent = 1;
	return 0;
}

int
portal_link_request(int *sent, struct store *st, const struct portal_conf *pc,
                    const char *email, const char *peer)
{
	struct link_work w;
	int rc;

	*sent = 0;
	if (email == NULL || mail_addr_check(email) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "Alamat surel tidak sah / not a valid e-mail address");
	memset(&w, 0, sizeof(w));
	w.pc = pc;
	w.email = email;
	w.peer = peer ? peer : "";
	rc = store_atomic(st, link_fn, &w);
	secure_wipe(w.token, sizeof(w.token));
	if (rc == 0)
		*sent = w.sent;
	return rc;
}

struct use_work {
	const char *hash;
	const char *peer;
	char nik[17];
};

static int
use_fn(struct store *st, void *arg)
{
	struct use_work *w = arg;
	struct db_stmt *s = NULL;
	char obj[32], why[96];
	int64_t now = time_now(), changed;
	int rc;

	/* Spend first, then read: of two requests racing with one link, the
	 * second changes no row. */
	changed = db_run(store_db(st),
	                 "UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND "
	                 "used_at IS NULL AND expires_at > ?",
	                 "isi", now, w->hash, now);
	if (changed < 0)
		return SERTEL_ESTORE;
	if (changed == 0)
		return sertel_err(
		    SERTEL_EAUTH,
		    "Tautan masuk tidak berlaku: sudah dipakai, kedaluwarsa, "
		    "atau salah; minta tautan baru / login link used, expired "
		    "or unknown");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik FROM portal_links WHERE token_hash = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->hash)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(w->nik, sizeof(w->nik), db_col_text(s, 0));
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ESTORE, "portal: spent link vanished");
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	snprintf(why, sizeof(why), "peer=%s", w->peer);
	return audit_append(st, "portal:login", "portal.link.used", obj, why);
}

int
portal_link_use(char nik[17], struct store *st, const char *token, const char *peer)
{
	struct use_work w;
	char hash[65];
	int rc;

	nik[0] = '\0';
	if (!hex_id_valid(token, PORTAL_ID_HEX))
		return sertel_err(SERTEL_EAUTH,
		                  "Tautan masuk tidak berlaku; minta tautan baru / "
		                  "malformed login link");
	sha256_hex(hash, token, PORTAL_ID_HEX);
	memset(&w, 0, sizeof(w));
	w.hash = hash;
	w.peer = peer ? peer : "";
	if ((rc = store_atomic(st, use_fn, &w)) == 0)
		str_copy(nik, 17, w.nik);
	return rc;
}

/* ---- client certificates ---------------------------------------------- */
int
portal_cert_login(char serial[SERIAL_HEX_MAX + 1], char nik[17], struct store *st,
                  const unsigned char *der, size_t len)
{
	struct cert_rec cr;
	int64_t now = time_now();
	unsigned usages = 0;
	int rc;

	serial[0] = nik[0] = '\0';
	memset(&cr, 0, sizeof(cr));
	if ((rc = cert_der_serial(serial, der, len)) < 0)
		return sertel_err(SERTEL_EAUTH, "Sertifikat klien tidak dapat dibaca / "
		                                "unreadable client certificate");
	if ((rc = store_cert_get(st, serial, &cr)) < 0) {
		if (rc == SERTEL_ENOTFOUND)
			rc = sertel_err(
			    SERTEL_EAUTH,
			    "Sertifikat %s tidak diterbitkan oleh instansi ini / "
			    "not issued here",
			    serial);
		goto out;
	}
	/* The exact bytes we issued: a certificate with our serial made by
	 * someone else (another CA, a forged signature) differs somewhere. */
	if (cr.der_len != len || memcmp(cr.der, der, len) != 0) {
		rc = sertel_err(SERTEL_EAUTH,
		                "Sertifikat %s tidak sama dengan yang diterbitkan / "
		                "differs from the certificate issued under that serial",
		                serial);
		goto out;
	}
	switch (cert_rec_status(&cr, now)) {
	case CERT_REVOKED:
		rc = sertel_err(SERTEL_EAUTH, "Sertifikat %s sudah dicabut / revoked",
		                serial);
		goto out;
	case CERT_EXPIRED:
		rc = sertel_err(SERTEL_EAUTH, "Sertifikat %s sudah kedaluwarsa / expired",
		                serial);
		goto out;
	default: break;
	}
	if (now < cr.not_before) {
		rc = sertel_err(SERTEL_EAUTH,
		                "Sertifikat %s belum berlaku / not yet valid", serial);
		goto out;
	}
	if (profile_usages_parse(&usages, cr.usages) < 0 ||
	    !(usages & USAGE_SSL_CLIENT)) {
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "Sertifikat %s tidak untuk autentikasi klien (SSL client) / "
		    "not issued for TLS client authentication",
		    serial);
		goto out;
	}
	if (cr.nik[0] == '\0') {
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "Sertifikat %s tidak terikat pada orang terdaftar / not bound "
		    "to a registered person",
		    serial);
		goto out;
	}
	str_copy(nik, 17, cr.nik);
	rc = 0;
out:
	if (rc < 0)
		nik[0] = '\0';
	cert_rec_free(&cr);
	return rc;
}

struct refused_work {
	const char *method, *claimed, *why, *peer;
};

static int
refused_fn(struct store *st, void *arg)
{
	const struct refused_work *w = arg;
	char obj[160], why[512];

	snprintf(obj, sizeof(obj), "login:%s:%.120s", w->method, w->claimed);
	snprintf(why, sizeof(why), "%.420s; peer=%s", w->why, w->peer);
	return audit_append(st, "portal:login", "portal.login.refused", obj, why);
}

int
portal_login_refused(struct store *st, const char *method, const char *claimed,
                     const char *why, const char *peer)
{
	struct refused_work w = {method, claimed ? claimed : "", why ? why : "",
	                         peer ? peer : ""};

	return store_atomic(st, refused_fn, &w);
}
