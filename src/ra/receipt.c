/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The receipt (bukti tanda terima) of an issued application, rebuilt from
 * what the store recorded at issuance: the certificate, the applicant, the
 * agreement version accepted and when, the key's origin and the OP
 * operator whose approval completed the application.  The same bytes
 * whenever it is asked for (receipt_pdf depends only on its input), so the
 * CLI at issuance and GET .../receipt later hand over the same document.
 *
 * Signing with the operator's certificate is a hook (ra_receipt_set_signer)
 * that the PAdES signer fills in; without it the receipt is unsigned.  The
 * portal signs through the e-sign service instead (esign_sign, as the API
 * does): ra_receipt_sign_check says who may, ra_receipt_signed_audit
 * records it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "ra/ra.h"
#include "report/report.h"

static ra_receipt_signer_fn signer;
static void *signer_arg;

void
ra_receipt_set_signer(ra_receipt_signer_fn fn, void *arg)
{
	signer = fn;
	signer_arg = arg;
}

/* Agreement version and time accepted for the application; the
 * agreement's SHA-256. */
static int
acceptance_get(int *version, int64_t *at, char sha[65], struct store *st,
               const char *app_id)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT a.agreement_version, a.at, g.sha256 FROM acceptances a "
	         "JOIN agreements g ON g.version = a.agreement_version "
	         "WHERE a.application_id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) == 0 && (rc = db_step(s)) == 1) {
		*version = (int)db_col_int(s, 0);
		*at = db_col_int(s, 1);
		str_copy(sha, 65, db_col_text(s, 2));
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND,
		                "application %s: no agreement acceptance", app_id);
	}
	db_finalize(s);
	return rc;
}

static int
key_generated(int *out, struct store *st, const char *serial)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM sealed_keys WHERE serial = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, serial)) == 0 && (rc = db_step(s)) == 1) {
		*out = db_col_int(s, 0) > 0;
		rc = 0;
	}
	db_finalize(s);
	return rc;
}

int
ra_receipt_pdf(unsigned char **out, size_t *outlen, struct store *st,
               const struct ra_actor *who, const char *app_id, const char *org,
               const struct time_zone *tz, const char *link)
{
	struct ra_application app;
	struct ra_person p, op;
	struct ra_agency ag;
	struct receipt_info ri;
	struct cert_rec rec;
	unsigned char *pdf = NULL, *signed_pdf = NULL;
	size_t pdflen = 0, signed_len = 0;
	char fpr[65], agsha[65], opnik[17] = "", witness[17] = "";
	int64_t accepted_at = 0;
	int rc, version = 0, generated = 0;

	*out = NULL;
	*outlen = 0;
	memset(&rec, 0, sizeof(rec));
	if ((rc = ra_get(&app, st, app_id)) < 0)
		return rc;
	/* The applicant, and those who read every application. */
	if (strcmp(who->nik, app.applicant_nik) != 0 &&
	    !(who->roles &
	      (ROLE_AUDITOR | ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM, "%s: not the applicant of %s", who->label,
		                  app.id);
	if (app.state != APP_ISSUED)
		return sertel_err(
		    SERTEL_ESTATE,
		    "application %s: is %s; a receipt exists once it is issued", app.id,
		    ra_state_name(app.state));
	if ((rc = store_cert_get(st, app.cert_serial, &rec)) < 0 ||
	    (rc = ra_person_get(&p, st, app.applicant_nik)) < 0 ||
	    (rc = acceptance_get(&version, &accepted_at, agsha, st, app.id)) < 0 ||
	    (rc = key_generated(&generated, st, rec.serial)) < 0 ||
	    (rc = ra_last_approver(st, app.id, opnik)) < 0 ||
	    (rc = ra_desk_witness(st, app.id, witness)) < 0)
		goto out;
	/* Cirebon 13: the operator who handed the certificate over at the
	 * desk, when it was issued there; else the one whose approval
	 * completed it. */
	if (witness[0] != '\0')
		memcpy(opnik, witness, sizeof(opnik));
	memset(&op, 0, sizeof(op));
	if (opnik[0] && (rc = ra_person_get(&op, st, opnik)) < 0)
		goto out;
	memset(&ag, 0, sizeof(ag));
	if (p.agency_id[0] && (rc = ra_agency_get(&ag, st, p.agency_id)) < 0)
		goto out;
	sha256_hex(fpr, rec.der, rec.der_len);
	memset(&ri, 0, sizeof(ri));
	ri.org = org;
	ri.tz = tz;
	ri.applicant_name = p.name;
	ri.nik = p.nik;
	ri.nip = p.nip[0] ? p.nip : NULL;
	ri.position = p.position[0] ? p.position : NULL;
	ri.agency = ag.name[0] ? ag.name : NULL;
	ri.email = p.email;
	ri.cert_type = rec.type;
	ri.usages = rec.usages;
	ri.serial = rec.serial;
	ri.subject = rec.subject;
	ri.not_before = rec.not_before;
	ri.not_after = rec.not_after;
	ri.issued_at = rec.created_at;
	ri.key_origin = generated
	                    ? "dibangkitkan server, disegel dengan passphrase pemilik"
	                    : "CSR dari perangkat pemohon";
	ri.agreement_version = version;
	ri.agreement_sha256 = agsha;
	ri.agreement_accepted_at = accepted_at;
	ri.operator_name = op.name[0] ? op.name : "-";
	ri.operator_nik = opnik[0] ? opnik : NULL;
	ri.application_id = app.id;
	ri.fingerprint_sha256 = fpr;
	ri.verify_url = link;
	if ((rc = receipt_pdf(&pdf, &pdflen, &ri)) < 0)
		goto out;
	if (signer != NULL) {
		if ((rc = signer(&signed_pdf, &signed_len, pdf, pdflen, opnik,
		                 signer_arg)) < 0)
			goto out;
		free(pdf);
		pdf = signed_pdf;
		pdflen = signed_len;
	}
	*out = pdf;
	*outlen = pdflen;
	pdf = NULL;
out:
	free(pdf);
	cert_rec_free(&rec);
	return rc;
}

int
ra_receipt_sign_check(struct store *st, const struct ra_actor *who, const char *app_id)
{
	struct ra_application app;
	char witness[17] = "";
	int rc;

	if ((rc = ra_get(&app, st, app_id)) < 0)
		return rc;
	if (app.state != APP_ISSUED)
		return sertel_err(SERTEL_ESTATE,
		                  "application %s: is %s; only an issued application "
		                  "has a receipt to sign",
		                  app.id, ra_state_name(app.state));
	if ((rc = ra_desk_witness(st, app.id, witness)) < 0)
		return rc;
	if (witness[0] == '\0')
		return sertel_err(SERTEL_ESTATE,
		                  "application %s: not issued at the desk; its receipt "
		                  "has no witness to sign it (Cirebon 13)",
		                  app.id);
	/* The witness, and still an operator: an appointment withdrawn since
	 * the issuance takes the signing with it. */
	if (!(who->roles & ROLE_OPERATOR) || strcmp(who->nik, witness) != 0)
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: only the operator who witnessed the issuance of %s "
		    "signs its receipt (Cirebon 13)",
		    who->label, app.id);
	return 0;
}

int
ra_receipt_signed_audit(struct store *st, const struct ra_actor *who, const char *app_id,
                        const char *serial, const char *doc_id)
{
	char obj[64], detail[200];

	snprintf(obj, sizeof(obj), "application:%s", app_id);
	snprintf(detail, sizeof(detail),
	         "tanda terima ditandatangani; cert %s; document %s", serial, doc_id);
	return audit_append(st, who->label, "receipt.sign", obj, detail);
}
