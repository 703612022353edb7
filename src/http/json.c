/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON views of records, shared by the API and the CLI's --json output so
 * both speak the same shape.
 */
#include <stdlib.h>

#include "http/http.h"
#include "ra/ra.h"

json_t *
http_cert_json(const struct cert_rec *r, int with_pem)
{
	char nb[32], na[32], ra[32];
	char *pem = NULL;
	json_t *j;

	time_fmt(nb, r->not_before);
	time_fmt(na, r->not_after);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "serial", r->serial,
	              "status", cert_status_name(cert_rec_status(r, time_now())), "type",
	              r->type, "usages", r->usages, "subject", r->subject, "issuer_id",
	              r->issuer_id, "not_before", nb, "not_after", na);
	if (j == NULL)
		return NULL;
	if (r->email[0])
		json_object_set_new(j, "email", json_string(r->email));
	if (r->sans[0])
		json_object_set_new(j, "sans", json_string(r->sans));
	if (r->nik[0])
		json_object_set_new(j, "nik", json_string(r->nik));
	if (r->revoked) {
		time_fmt(ra, r->revoked_at);
		json_object_set_new(j, "revoked_at", json_string(ra));
		json_object_set_new(j, "reason",
		                    json_string(revoke_reason_name(r->reason)));
	}
	if (with_pem && r->der != NULL &&
	    pem_from_der(&pem, r->der, r->der_len, "CERTIFICATE") == 0) {
		json_object_set_new(j, "certificate", json_string(pem));
		free(pem);
	}
	return j;
}

json_t *
http_agency_json(const struct ra_agency *a)
{
	char at[32];

	time_fmt(at, a->created_at);
	return json_pack("{s:s, s:s, s:s, s:s}", "id", a->id, "name", a->name, "domain",
	                 a->domain, "created_at", at);
}

/* The shape of `sertel person show --json`. */
json_t *
http_person_json(const struct ra_person *p)
{
	char roles[160];

	ra_roles_format(roles, sizeof(roles), p->roles);
	return json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s, s:s?, s:s, s:b}", "nik", p->nik,
	                 "nip", p->nip[0] ? p->nip : NULL, "name", p->name, "email",
	                 p->email, "position", p->position, "agency_id", p->agency_id,
	                 "superior_nik", p->superior_nik[0] ? p->superior_nik : NULL,
	                 "roles", roles, "kepala_daerah", p->kepala_daerah);
}

/* The shape of `sertel ra show --json`, with the system fields and times. */
json_t *
http_app_json(const struct ra_application *a)
{
	char ca[32], ua[32];
	json_t *j;

	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, "
	              "s:i, s:i, s:s?, s:s?}",
	              "id", a->id, "kind", a->kind, "type", a->type, "usages", a->usages,
	              "applicant_nik", a->applicant_nik, "state", ra_state_name(a->state),
	              "cn", a->cn, "email", a->email[0] ? a->email : NULL, "title",
	              a->title[0] ? a->title : NULL, "dns", a->dns[0] ? a->dns : NULL,
	              "ip", a->ip[0] ? a->ip : NULL, "approvals", a->approvals,
	              "approvals_needed", a->approvals_needed, "reasons",
	              a->reasons[0] ? a->reasons : NULL, "cert_serial",
	              a->cert_serial[0] ? a->cert_serial : NULL);
	if (j == NULL)
		return NULL;
	/* A renewal or re-application names the certificate it follows. */
	if (a->renews_serial[0])
		json_object_set_new(j, "renews_serial", json_string(a->renews_serial));
	if (a->system_name[0])
		json_object_set_new(j, "system_name", json_string(a->system_name));
	if (a->system_details[0])
		json_object_set_new(j, "system_details", json_string(a->system_details));
	json_object_set_new(j, "self_issued_letters",
	                    json_boolean(a->self_issued_letters));
	/* Issue 19: what the approving operator must confirm explicitly
	 * (IP addresses are not bound to the agency's domain). */
	{
		char need[sizeof(a->ip) + 64], *p = need, *comma;
		json_t *arr = json_array();

		if (arr != NULL && ra_needs_review(need, sizeof(need), a) == 0)
			for (; *p != '\0'; p = comma + 1) {
				if ((comma = strchr(p, ',')) != NULL)
					*comma = '\0';
				json_array_append_new(arr, json_string(p));
				if (comma == NULL)
					break;
			}
		json_object_set_new(j, "needs_review", arr);
	}
	time_fmt(ca, a->created_at);
	time_fmt(ua, a->updated_at);
	json_object_set_new(j, "created_at", json_string(ca));
	json_object_set_new(j, "updated_at", json_string(ua));
	return j;
}
