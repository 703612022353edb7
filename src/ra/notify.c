/* SPDX-License-Identifier: Apache-2.0 */
/*
 * E-mail notices of the RA workflow (submitted, returned, rejected,
 * approved, issued, expiring, revoked), in Bahasa Indonesia.  Each is
 * queued inside the transaction of the change it reports (mail.h), so a
 * notice exists exactly when the change committed, and a mail outage
 * loses nothing.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "mail/mail.h"
#include "ra/ra.h"

static const char footer[] =
    "\n\n--\nPesan ini dikirim otomatis oleh layanan Sertifikat Elektronik "
    "(sertel) Otoritas Pendaftaran. Jangan membalas pesan ini.\n";

static int
send_to(struct store *st, const char *to, const char *kind, const char *subject,
        const char *body)
{
	char full[4096];

	if (to == NULL || *to == '\0')
		return 0;
	snprintf(full, sizeof(full), "%s%s", body, footer);
	return mail_enqueue(st, to, subject, full, kind);
}

/* An application that waits for the OP: every OP operator is told (the
 * OP of the Dinas decides for every agency, Cirebon 20(1)), except the
 * applicant, who may not decide their own application. */
static int
notify_operators(struct store *st, const struct ra_application *a)
{
	struct ra_person p;
	struct db_stmt *s = NULL;
	char subject[200], body[2048], to[256];
	const char *agency = "";
	struct ra_agency ag;
	int rc;

	memset(&ag, 0, sizeof(ag));
	if (ra_person_get(&p, st, a->applicant_nik) == 0 &&
	    ra_agency_get(&ag, st, p.agency_id) == 0)
		agency = ag.name;
	snprintf(subject, sizeof(subject), "Permohonan %s menunggu verifikasi OP", a->id);
	snprintf(body, sizeof(body),
	         "Yth. Pengelola Otoritas Pendaftaran,\n\nPermohonan Sertifikat "
	         "Elektronik jenis %s (nomor %s) dari %s (%s) telah diajukan dan "
	         "menunggu verifikasi. Buka antrean di portal untuk memutuskannya.",
	         a->type, a->id, a->cn, agency);
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik, email, roles FROM persons WHERE nik <> ? "
	                     "ORDER BY nik")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, a->applicant_nik)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		unsigned roles = 0;

		ra_roles_parse(&roles, db_col_text(s, 2));
		if (!(roles & ROLE_OPERATOR))
			continue;
		str_copy(to, sizeof(to), db_col_text(s, 1));
		if ((rc = send_to(st, to, "waiting", subject, body)) < 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
ra_notify_application(struct store *st, const char *app_id, const char *kind)
{
	struct ra_application a;
	char subject[200], body[2048];
	int rc;

	if ((rc = ra_get(&a, st, app_id)) < 0)
		return rc;
	if (strcmp(kind, "submitted") == 0) {
		snprintf(subject, sizeof(subject),
		         "Permohonan sertifikat %s telah diajukan", a.id);
		snprintf(
		    body, sizeof(body),
		    "Yth. %s,\n\nPermohonan Sertifikat Elektronik jenis %s (nomor %s) "
		    "telah diajukan dan akan diverifikasi oleh Otoritas Pendaftaran.",
		    a.cn, a.type, a.id);
	} else if (strcmp(kind, "returned") == 0) {
		snprintf(subject, sizeof(subject), "Permohonan %s belum dapat diterima",
		         a.id);
		snprintf(body, sizeof(body),
		         "Yth. %s,\n\nPermohonan %s dikembalikan untuk dilengkapi.\n"
		         "Alasan: %s\n\nSilakan lengkapi dan ajukan kembali.",
		         a.cn, a.id, a.reasons);
	} else if (strcmp(kind, "rejected") == 0) {
		snprintf(subject, sizeof(subject), "Permohonan %s ditolak", a.id);
		snprintf(body, sizeof(body),
		         "Yth. %s,\n\nPermohonan %s ditolak.\nAlasan: %s", a.cn, a.id,
		         a.reasons);
	} else if (strcmp(kind, "approved") == 0) {
		snprintf(subject, sizeof(subject), "Permohonan %s disetujui", a.id);
		snprintf(
		    body, sizeof(body),
		    "Yth. %s,\n\nPermohonan %s telah disetujui. Penerbitan dilakukan "
		    "secara langsung oleh Anda sendiri (tidak dapat diwakilkan) di "
		    "Otoritas Pendaftaran, dengan menyetujui Perjanjian Pemilik "
		    "Sertifikat.",
		    a.cn, a.id);
	} else if (strcmp(kind, "issued") == 0) {
		snprintf(subject, sizeof(subject),
		         "Sertifikat Elektronik Anda telah terbit");
		snprintf(
		    body, sizeof(body),
		    "Yth. %s,\n\nSertifikat Elektronik nomor seri %s telah diterbitkan "
		    "(permohonan %s). Jaga kerahasiaan kunci privat dan passphrase Anda "
		    "dan segera laporkan bila hilang atau diketahui orang lain.",
		    a.cn, a.cert_serial, a.id);
	} else {
		return sertel_err(SERTEL_EINVAL, "notice kind '%s'", kind);
	}
	if ((rc = send_to(st, a.email, kind, subject, body)) < 0)
		return rc;
	return strcmp(kind, "submitted") == 0 ? notify_operators(st, &a) : 0;
}

/* The owner, and the head(s) of the owner's agency (Cirebon 15(5): the
 * agency is notified by letter or e-mail). */
int
ra_notify_revoked(struct store *st, const char *serial, const char *cause)
{
	struct cert_rec rec;
	struct ra_person owner;
	struct db_stmt *s = NULL;
	char subject[200], body[2048], to[256];
	int rc;

	if ((rc = store_cert_get(st, serial, &rec)) < 0)
		return rc;
	cert_rec_free(&rec);
	if (rec.nik[0] == '\0' || ra_person_get(&owner, st, rec.nik) < 0)
		return 0; /* not an RA certificate: nobody registered to tell */
	snprintf(subject, sizeof(subject), "Sertifikat Elektronik %s dicabut", serial);
	snprintf(body, sizeof(body),
	         "Sertifikat Elektronik milik %s (NIK %s), nomor seri %s, telah dicabut "
	         "(%s). Sertifikat yang dicabut tidak dapat digunakan kembali.",
	         owner.name, owner.nik, serial, cause);
	if ((rc = send_to(st, owner.email, "revoked", subject, body)) < 0)
		return rc;
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT email, roles FROM persons WHERE agency_id = ? AND nik <> ?")) <
	    0)
		return rc;
	if ((rc = db_bind_text(s, 1, owner.agency_id)) < 0 ||
	    (rc = db_bind_text(s, 2, owner.nik)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		unsigned roles = 0;
		ra_roles_parse(&roles, db_col_text(s, 1));
		if (!(roles & ROLE_KEPALA_PD))
			continue;
		str_copy(to, sizeof(to), db_col_text(s, 0));
		if ((rc = send_to(st, to, "revoked", subject, body)) < 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

struct remind_ctx {
	const char *actor;
	int days;
	int sent;
};

static int
remind_fn(struct store *st, void *arg)
{
	struct remind_ctx *c = arg;
	struct db_stmt *s = NULL, *ins = NULL;
	char serial[SERIAL_HEX_MAX + 1], nik[17], subject[200], body[2048], end[32];
	char obj[64], detail[64];
	struct ra_person p;
	int64_t now = time_now(), na;
	int rc;

	/* Valid, bound to a person, expiring within c->days, not yet told. */
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT serial, nik, not_after FROM certs WHERE revoked = 0 AND "
	         "nik IS NOT NULL AND not_after > ? AND not_after <= ? AND serial "
	         "NOT IN (SELECT serial FROM reminders_sent WHERE days = ?)")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, now)) < 0 ||
	    (rc = db_bind_int(s, 2, now + (int64_t)c->days * 86400)) < 0 ||
	    (rc = db_bind_int(s, 3, c->days)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		str_copy(serial, sizeof(serial), db_col_text(s, 0));
		str_copy(nik, sizeof(nik), db_col_text(s, 1));
		na = db_col_int(s, 2);
		if ((rc = ra_person_get(&p, st, nik)) < 0)
			goto out;
		time_fmt(end, na);
		snprintf(subject, sizeof(subject),
		         "Sertifikat Elektronik Anda berakhir dalam %d hari",
		         (int)((na - now + 86399) / 86400));
		snprintf(
		    body, sizeof(body),
		    "Yth. %s,\n\nSertifikat Elektronik nomor seri %s berlaku sampai "
		    "%.10s. "
		    "Ajukan pembaruan sebelum masa berlakunya habis (persyaratan sama "
		    "dengan permohonan baru).",
		    p.name, serial, end);
		if ((rc = send_to(st, p.email, "expiring", subject, body)) < 0)
			goto out;
		if ((rc = db_prepare(&ins, store_db(st),
		                     "INSERT INTO reminders_sent (serial, "
		                     "days, at) VALUES (?, ?, ?)")) < 0)
			goto out;
		if ((rc = db_bind_text(ins, 1, serial)) == 0 &&
		    (rc = db_bind_int(ins, 2, c->days)) == 0 &&
		    (rc = db_bind_int(ins, 3, now)) == 0)
			rc = db_step(ins);
		db_finalize(ins);
		ins = NULL;
		if (rc < 0)
			goto out;
		snprintf(obj, sizeof(obj), "cert:%s", serial);
		snprintf(detail, sizeof(detail), "expiry reminder, %d days", c->days);
		if ((rc = audit_append(st, c->actor, "cert.remind", obj, detail)) < 0)
			goto out;
		c->sent++;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
ra_remind(struct store *st, const char *actor, const char *days_list, int *sent)
{
	char item[16];
	const char *p = days_list, *comma;
	long long d;
	size_t n;
	int rc;

	*sent = 0;
	/* Largest first, so a certificate inside 7 days gets only the 7-day
	 * notice when the job first runs (the wider ones are marked too). */
	for (;;) {
		struct remind_ctx c = {actor, 0, 0};
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(item))
			return sertel_err(SERTEL_EINVAL, "reminder days '%s'", days_list);
		memcpy(item, p, n);
		item[n] = '\0';
		if ((rc = parse_ll(&d, item, 1, 365)) < 0)
			return sertel_err(SERTEL_EINVAL, "reminder days '%s': 1..365",
			                  item);
		c.days = (int)d;
		if ((rc = store_atomic(st, remind_fn, &c)) < 0)
			return rc;
		*sent += c.sent;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}
