/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issuance in person (Cirebon 13): the applicant, and nobody on their
 * behalf, accepts the subscriber agreement and either brings a CSR made on
 * their own device or has sertel generate the key pair and seal it under a
 * passphrase only they know.  The certificate, the application's new
 * state, the agreement acceptance and the sealed key are one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "pki/pki.h"
#include "ra/ra.h"
#include "ra/ra_int.h"

/* Version 1 of the subscriber agreement, used until the Dinas sets its
 * own (Cirebon 16-17: the owner's obligations). */
static const char default_agreement[] =
    "PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK\n\n"
    "Dengan menerima Sertifikat Elektronik ini, saya menyatakan bahwa:\n"
    "1. data yang saya berikan dalam permohonan adalah benar;\n"
    "2. saya tidak akan menyerahkan Sertifikat Elektronik maupun penggunaannya "
    "kepada pihak lain;\n"
    "3. saya menjaga kerahasiaan kunci privat dan passphrase saya, dan tidak "
    "memberitahukannya kepada siapa pun, termasuk petugas;\n"
    "4. saya tidak akan melakukan rekayasa balik terhadap layanan penerbit;\n"
    "5. saya bertanggung jawab atas penggunaan, penyimpanan, pembaruan dan "
    "pemusnahan Sertifikat Elektronik dan kunci privat saya;\n"
    "6. saya segera melaporkan kepada Otoritas Pendaftaran apabila kunci privat "
    "atau passphrase hilang, rusak, tidak dapat diakses, atau diduga diketahui "
    "pihak lain, dan mengajukan pencabutan sertifikat;\n"
    "7. saya memahami bahwa sertifikat yang telah dicabut tidak dapat digunakan "
    "kembali.\n";

int
ra_agreement_current(struct ra_agreement *out, struct store *st)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT version, sha256, created_at FROM "
	                     "agreements ORDER BY version DESC LIMIT 1")) < 0)
		return rc;
	if ((rc = db_step(s)) == 1) {
		out->version = (int)db_col_int(s, 0);
		str_copy(out->sha256, sizeof(out->sha256), db_col_text(s, 1));
		out->created_at = db_col_int(s, 2);
		rc = 0;
	} else if (rc == 0) {
		rc = SERTEL_ENOTFOUND;
	}
	db_finalize(s);
	return rc;
}

/* Whether the comma-separated usage list has usage. */
static int
ra_usage_has(const char *list, const char *usage)
{
	size_t n = strlen(usage);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, usage, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Adds a version (inside the caller's transaction). */
static int
agreement_add(struct ra_agreement *out, struct store *st, const char *who,
              const char *text)
{
	struct ra_agreement cur;
	struct db_stmt *s = NULL;
	char obj[32];
	int rc, version = 1;

	if ((rc = ra_agreement_current(&cur, st)) == 0)
		version = cur.version + 1;
	else if (rc != SERTEL_ENOTFOUND)
		return rc;
	memset(out, 0, sizeof(*out));
	out->version = version;
	sha256_hex(out->sha256, text, strlen(text));
	out->created_at = time_now();
	if ((rc = db_prepare(&s, store_db(st),
	                     "INSERT INTO agreements (version, text, "
	                     "sha256, created_at) VALUES (?, ?, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, version)) == 0 &&
	    (rc = db_bind_text(s, 2, text)) == 0 &&
	    (rc = db_bind_text(s, 3, out->sha256)) == 0 &&
	    (rc = db_bind_int(s, 4, out->created_at)) == 0)
		rc = db_step(s);
	db_finalize(s);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "agreement:%d", version);
	return audit_append(st, who, "agreement.create", obj, out->sha256);
}

struct agreement_set {
	struct ra_agreement *out;
	const char *who;
	const char *text;
};

/* The built-in text is version 1: a new text first records it, so the
 * version numbers mean the same everywhere. */
static int
agreement_set_fn(struct store *st, void *arg)
{
	struct agreement_set *w = arg;
	int rc = ra_agreement_current(w->out, st);

	if (rc == SERTEL_ENOTFOUND)
		rc = agreement_add(w->out, st, w->who, default_agreement);
	if (rc < 0)
		return rc;
	return agreement_add(w->out, st, w->who, w->text);
}

int
ra_agreement_text(char **out, struct ra_agreement *ag, struct store *st, int version)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = NULL;
	memset(ag, 0, sizeof(*ag));
	if ((rc =
	         db_prepare(&s, store_db(st),
	                    version > 0 ? "SELECT version, sha256, created_at, text FROM "
	                                  "agreements WHERE version = ?"
	                                : "SELECT version, sha256, created_at, text FROM "
	                                  "agreements WHERE ? = 0 ORDER BY version DESC "
	                                  "LIMIT 1")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, version)) == 0 && (rc = db_step(s)) == 1) {
		ag->version = (int)db_col_int(s, 0);
		str_copy(ag->sha256, sizeof(ag->sha256), db_col_text(s, 1));
		ag->created_at = db_col_int(s, 2);
		*out = strdup(db_col_text(s, 3));
		rc = *out ? 0 : sertel_err(SERTEL_ENOMEM, "out of memory");
	} else if (rc == 0) {
		db_finalize(s);
		s = NULL;
		if ((rc = ra_agreement_current(ag, st)) == SERTEL_ENOTFOUND &&
		    version <= 1) {
			/* Nothing stored yet: version 1 is the built-in text. */
			ag->version = 1;
			sha256_hex(ag->sha256, default_agreement,
			           strlen(default_agreement));
			ag->created_at = 0;
			*out = strdup(default_agreement);
			rc = *out ? 0 : sertel_err(SERTEL_ENOMEM, "out of memory");
		} else {
			rc = sertel_err(SERTEL_ENOTFOUND, "agreement version %d: none",
			                version);
		}
	}
	db_finalize(s);
	return rc;
}

int
ra_agreement_set(struct ra_agreement *out, struct store *st, const struct ra_actor *who,
                 const char *text)
{
	struct agreement_set w = {out, who->label, text};

	if (!(who->roles & (ROLE_ADMIN | ROLE_KEPALA_DINAS)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only the admin or a kepala-dinas sets "
		                  "the subscriber agreement",
		                  who->label);
	if (text == NULL || strlen(text) < 20 || strlen(text) > 64 * 1024)
		return sertel_err(SERTEL_EINVAL, "agreement: 20 bytes to 64 KiB of text");
	return store_atomic(st, agreement_set_fn, &w);
}

static int
agreement_ensure_fn(struct store *st, void *arg)
{
	struct agreement_set *w = arg;
	int rc = ra_agreement_current(w->out, st);

	if (rc != SERTEL_ENOTFOUND)
		return rc;
	return agreement_add(w->out, st, w->who, default_agreement);
}

static int
split_names(const char **out, int *n, char *list)
{
	char *p = list, *comma;

	*n = 0;
	while (*p != '\0') {
		if (*n >= ISSUE_MAX_NAMES)
			return sertel_err(SERTEL_EINVAL, "too many names");
		out[(*n)++] = p;
		if ((comma = strchr(p, ',')) == NULL)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return 0;
}

/* The CN the certificate of application a will carry: the registered name,
 * except with ssl-server, where CA/B BR 7.1.4.3 (issue 18) wants one of
 * its names: the first DNS name, or the first IP address.  The issuance
 * and every page that shows what will be issued call this. */
void
ra_subject_cn(char *out, size_t outsz, const struct ra_application *a)
{
	const char *names = a->dns[0] != '\0' ? a->dns : a->ip;
	size_t n;

	if (!ra_usage_has(a->usages, "ssl-server") || names[0] == '\0') {
		str_copy(out, outsz, a->cn);
		return;
	}
	n = strcspn(names, ",");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, names, n);
	out[n] = '\0';
}

struct issue_also {
	const struct ra_application *app;
	const struct ra_actor *who;
	struct ra_agreement *agreement;
	const struct sealed_key *sealed; /* NULL: the owner's own CSR */
	int64_t accepted_at;
	const struct ra_issue_req *rq;
};

/* Runs in the certificate's own transaction. */
static int
issue_also_fn(struct store *st, const struct cert_rec *rec, void *arg)
{
	struct issue_also *w = arg;
	struct agreement_set ens = {w->agreement, w->who->label, NULL};
	struct db_stmt *s = NULL;
	char obj[64], detail[160], kdf[64];
	int64_t now = time_now();
	int rc;

	/* The agreement in force (version 1 on first use), in this same
	 * transaction, so a failed issuance records nothing. */
	if ((rc = agreement_ensure_fn(st, &ens)) < 0)
		return rc;
	/* Cirebon 13(3): what is accepted is the text the applicant read. */
	if (w->rq->agreement_version > 0 &&
	    w->rq->agreement_version != w->agreement->version)
		return sertel_err(SERTEL_ESTATE,
		                  "the subscriber agreement in force is version %d, not "
		                  "the version %d shown; read it again (Cirebon 13(3))",
		                  w->agreement->version, w->rq->agreement_version);

	/* Still approved, and nobody issued it meanwhile. */
	if ((rc = ra_app_count_move(st, w->app->id, "issued")) < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "UPDATE applications SET state = 'issued', cert_serial = ?, "
	                     "updated_at = ?, issued_at = ? WHERE id = ? AND state = "
	                     "'approved'")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, rec->serial)) == 0 &&
	    (rc = db_bind_int(s, 2, now)) == 0 && (rc = db_bind_int(s, 3, now)) == 0 &&
	    (rc = db_bind_text(s, 4, w->app->id)) == 0)
		rc = db_step(s);
	if (rc == 0 && db_changes(s) != 1)
		rc = sertel_err(SERTEL_ESTATE, "application %s: no longer approved",
		                w->app->id);
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "INSERT INTO acceptances (application_id, "
	                     "nik, agreement_version, at) VALUES (?, ?, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->app->id)) == 0 &&
	    (rc = db_bind_text(s, 2, w->who->nik)) == 0 &&
	    (rc = db_bind_int(s, 3, w->agreement->version)) == 0 &&
	    (rc = db_bind_int(s, 4, w->accepted_at)) == 0)
		rc = db_step(s);
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	if (w->sealed != NULL) {
		snprintf(kdf, sizeof(kdf), "argon2id$%llu$%zu",
		         w->sealed->params.opslimit, w->sealed->params.memlimit);
		if ((rc = db_prepare(
		         &s, store_db(st),
		         "INSERT INTO sealed_keys (serial, nik, kdf, salt, nonce, "
		         "sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0)
			return rc;
		if ((rc = db_bind_text(s, 1, rec->serial)) == 0 &&
		    (rc = db_bind_text(s, 2, w->who->nik)) == 0 &&
		    (rc = db_bind_text(s, 3, kdf)) == 0 &&
		    (rc = db_bind_blob(s, 4, w->sealed->salt, SEAL_SALT)) == 0 &&
		    (rc = db_bind_blob(s, 5, w->sealed->nonce, SEAL_NONCE)) == 0 &&
		    (rc = db_bind_blob(s, 6, w->sealed->sealed, w->sealed->sealed_len)) ==
		        0 &&
		    (rc = db_bind_int(s, 7, time_now())) == 0)
			rc = db_step(s);
		db_finalize(s);
		if (rc < 0)
			return rc;
	}
	snprintf(obj, sizeof(obj), "application:%s", w->app->id);
	snprintf(detail, sizeof(detail), "cert %s, agreement v%d accepted, key %s",
	         rec->serial, w->agreement->version,
	         w->sealed ? "generated and sealed" : "from the owner's CSR");
	if ((rc = audit_append(st, w->who->label, "application.issue", obj, detail)) < 0)
		return rc;
	if ((rc = ra_notify_application(st, w->app->id, "issued")) < 0)
		return rc;
	if (w->rq->also != NULL) {
		struct ra_issued info;

		memset(&info, 0, sizeof(info));
		str_copy(info.app_id, sizeof(info.app_id), w->app->id);
		info.agreement = *w->agreement;
		info.accepted_at = w->accepted_at;
		info.generated = w->sealed != NULL;
		return w->rq->also(st, rec, &info, w->rq->also_arg);
	}
	return 0;
}

int
ra_issue(struct cert_rec *out, struct ra_issued *info, struct store *st,
         const struct ra_actor *who, struct issuer *is, const struct ra_issue_req *rq)
{
	struct ra_application app;
	struct ra_person p;
	struct ra_agency agency;
	struct ra_agreement ag;
	struct issue_req irq;
	struct issue_also also;
	struct sealed_key sealed;
	struct seal_params sp;
	char *gen_csr = NULL, dns[sizeof(app.dns)], ip[sizeof(app.ip)],
	     cn[sizeof(app.cn) + 256];
	const char *forbid[4];
	int rc;

	memset(out, 0, sizeof(*out));
	memset(info, 0, sizeof(*info));
	memset(&sealed, 0, sizeof(sealed));
	if ((rc = ra_get(&app, st, rq->app_id)) < 0)
		return rc;
	/* Cirebon 13(4): in person, not by proxy. */
	if (who->nik[0] == '\0' || strcmp(who->nik, app.applicant_nik) != 0)
		return sertel_err(SERTEL_EPERM,
		                  "%s: only the applicant performs the issuance step, in "
		                  "person and not by proxy (Cirebon 13(4))",
		                  who->label);
	if (app.state != APP_APPROVED)
		return sertel_err(SERTEL_ESTATE, "application %s: is %s, not approved",
		                  app.id, ra_state_name(app.state));
	if (!rq->accept_agreement)
		return sertel_err(SERTEL_EINVAL,
		                  "the subscriber agreement must be accepted at issuance "
		                  "(--accept-agreement; Cirebon 13(3))");
	if ((rq->csr == NULL) == (rq->passphrase == NULL))
		return sertel_err(
		    SERTEL_EINVAL,
		    "either a CSR made on your own device or a generated key "
		    "sealed with your passphrase, not both");
	if ((rc = ra_person_get(&p, st, app.applicant_nik)) < 0)
		return rc;
	if (rq->passphrase != NULL) {
		forbid[0] = p.nik;
		forbid[1] = p.nip;
		forbid[2] = p.email;
		forbid[3] = p.name;
		if ((rc = passphrase_check(rq->passphrase, rq->passlen, rq->pass_min_len,
		                           forbid, 4)) < 0)
			return rc;
	}
	memset(&ag, 0, sizeof(ag));
	if (rq->passphrase != NULL) {
		seal_params_default(&sp);
		if ((rc = key_generate_sealed(&sealed, &gen_csr,
		                              rq->algo ? rq->algo : "ec-p256",
		                              rq->passphrase, rq->passlen, &sp)) < 0)
			goto out;
	}
	memset(&irq, 0, sizeof(irq));
	irq.csr = rq->csr ? rq->csr : (const unsigned char *)gen_csr;
	irq.csr_len = rq->csr ? rq->csr_len : strlen(gen_csr);
	irq.type = app.type;
	irq.usages = app.usages;
	/* Issue 19: who the certificate names is the person record's: the
	 * name and position fixed at application (ra_apply), the agency and
	 * the NIP read now. */
	if ((rc = ra_agency_get(&agency, st, p.agency_id)) < 0)
		goto out;
	irq.ou = agency.name;
	irq.email = app.email[0] ? app.email : NULL;
	irq.title = app.title[0] ? app.title : NULL;
	/* The upstream's certificate API takes no NIP (it is the PSrE's
	 * subject rule there); the built-in CA puts it in serialNumber. */
	irq.subject_nip = p.nip[0] && strcmp(issuer_mode(is), "ca") == 0 ? p.nip : NULL;
	str_copy(dns, sizeof(dns), app.dns);
	str_copy(ip, sizeof(ip), app.ip);
	if ((rc = split_names(irq.dns, &irq.ndns, dns)) < 0 ||
	    (rc = split_names(irq.ip, &irq.nip, ip)) < 0)
		goto out;
	/* CA/B BR 7.1.4.3 (issue 18): with ssl-server, one of its names. */
	ra_subject_cn(cn, sizeof(cn), &app);
	irq.cn = cn;
	irq.nik = app.applicant_nik;
	irq.actor = who->label;
	irq.reason = "application";
	also.app = &app;
	also.who = who;
	also.agreement = &ag;
	also.sealed = rq->passphrase ? &sealed : NULL;
	also.accepted_at = time_now();
	also.rq = rq;
	irq.also = issue_also_fn;
	irq.also_arg = &also;
	if ((rc = issuer_issue(out, is, st, &irq)) < 0)
		goto out;
	info->agreement = ag;
	info->accepted_at = also.accepted_at;
	info->generated = rq->passphrase != NULL;
	str_copy(info->app_id, sizeof(info->app_id), app.id);
out:
	sealed_key_free(&sealed);
	free(gen_csr);
	return rc;
}

int
ra_last_approver(struct store *st, const char *app_id, char out[17])
{
	int rc = db_get_text(store_db(st), out, 17,
	                     "SELECT operator_nik FROM approvals WHERE "
	                     "application_id = ? ORDER BY at DESC, "
	                     "operator_nik LIMIT 1",
	                     app_id);

	return rc < 0 ? rc : 0;
}
