/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A registration request from an e-sign client application (BSrE's
 * /api/v2/user/registration, issue 12).  BSrE registers a user and lets
 * its RA verify them; here the request is what the RA workflow already
 * knows: the person (role pemohon, at the agency whose registered domain
 * the official e-mail address is under), an application for an
 * individual signing certificate with the attachments Cirebon 10(2)
 * requires, and its submission, so it waits in the OP's queue like any
 * submitted application.  Nothing is issued: an OP operator verifies the
 * identity and approves, and the owner collects the certificate in
 * person (ra issue).  Person, application, attachments, audit entries and
 * the notice are one transaction: a refused request leaves nothing.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pki/pki.h"
#include "ra/ra.h"
#include "ra/ra_int.h"

struct agency_pick {
	const char *domain; /* the e-mail's */
	struct ra_agency best;
	size_t best_len;
};

/* The agency whose domain is the e-mail's or its nearest parent. */
static int
agency_pick_fn(const struct ra_agency *a, void *arg)
{
	struct agency_pick *w = arg;
	size_t n = strlen(a->domain);

	if (n > w->best_len && ra_domain_within(w->domain, a->domain)) {
		w->best = *a;
		w->best_len = n;
	}
	return 0;
}

struct register_work {
	const struct ra_register_req *rq;
	const struct ra_person *p;
	const struct ra_actor *who;
	struct ra_application *out;
	int approvals;
};

static int
register_fn(struct store *st, void *arg)
{
	struct register_work *w = arg;
	struct ra_apply_req ar;
	int rc;

	if ((rc = ra_person_insert_tx(st, w->who, w->p)) < 0)
		return rc;
	memset(&ar, 0, sizeof(ar));
	ar.applicant_nik = w->p->nik;
	ar.type = "individu";
	ar.usages = "signing";
	ar.files = w->rq->files;
	ar.nfiles = w->rq->nfiles;
	if ((rc = ra_apply_tx(w->out, st, w->who, &ar, w->approvals)) < 0)
		return rc;
	return ra_submit_tx(st, w->who, w->out->id);
}

int
ra_register_request(struct ra_application *out, struct store *st,
                    const struct ra_register_req *rq, int approvals_needed)
{
	struct agency_pick pick;
	struct register_work w;
	struct ra_person p;
	struct ra_actor who;
	const char *at;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	if (rq->via == NULL || *rq->via == '\0')
		return sertel_err(SERTEL_EINVAL, "registration: the client is required");
	if ((rc = identity_check(rq->nik, rq->nip && *rq->nip ? rq->nip : NULL)) < 0 ||
	    (rc = name_check_text("name", rq->name ? rq->name : "", 128)) < 0 ||
	    (rc = name_check_email(rq->email ? rq->email : "")) < 0)
		return rc;
	if (rq->position != NULL && *rq->position != '\0' &&
	    (rc = name_check_text("position", rq->position, 128)) < 0)
		return rc;
	if (str_copy(p.nik, sizeof(p.nik), rq->nik) < 0 ||
	    str_copy(p.nip, sizeof(p.nip), rq->nip ? rq->nip : "") < 0 ||
	    str_copy(p.name, sizeof(p.name), rq->name) < 0 ||
	    str_copy(p.email, sizeof(p.email), rq->email) < 0 ||
	    str_copy(p.position, sizeof(p.position), rq->position ? rq->position : "") <
	        0)
		return sertel_err(SERTEL_EINVAL, "registration: a field is too long");
	/* The agency comes from the official address (Cirebon 10: an
	 * address at the agency's registered domain), never from the
	 * client. */
	at = strrchr(p.email, '@');
	memset(&pick, 0, sizeof(pick));
	pick.domain = at + 1;
	if ((rc = ra_agency_iter(st, agency_pick_fn, &pick)) < 0)
		return rc;
	if (pick.best_len == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "e-mail %s: not an official address of any registered "
		                  "agency",
		                  p.email);
	str_copy(p.agency_id, sizeof(p.agency_id), pick.best.id);
	p.roles = ROLE_PEMOHON;
	/* The applicant, through the client application: the trail names
	 * both; the actor has no role beyond the applicant's own. */
	memset(&who, 0, sizeof(who));
	str_copy(who.nik, sizeof(who.nik), p.nik);
	str_copy(who.name, sizeof(who.name), p.name);
	who.roles = ROLE_PEMOHON;
	snprintf(who.label, sizeof(who.label), "%s:nik:%s", rq->via, p.nik);
	w.rq = rq;
	w.p = &p;
	w.who = &who;
	w.out = out;
	w.approvals = approvals_needed;
	return store_atomic(st, register_fn, &w);
}
