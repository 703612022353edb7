/*
 * JSON views of records, shared by the API and the CLI's --json output so
 * both speak the same shape.
 */
#include <stdlib.h>

#include "http/http.h"

json_t *
http_cert_json(const struct cert_rec *r, int with_pem)
{
	char nb[32], na[32], ra[32];
	char *pem = NULL;
	json_t *j;

	time_fmt(nb, r->not_before);
	time_fmt(na, r->not_after);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "serial", r->serial,
		      "status", cert_status_name(cert_rec_status(r, time_now())),
		      "type", r->type, "usages", r->usages, "subject", r->subject,
		      "issuer_id", r->issuer_id, "not_before", nb, "not_after", na);
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
		json_object_set_new(j, "reason", json_string(revoke_reason_name(r->reason)));
	}
	if (with_pem && r->der != NULL &&
	    pem_from_der(&pem, r->der, r->der_len, "CERTIFICATE") == 0) {
		json_object_set_new(j, "certificate", json_string(pem));
		free(pem);
	}
	return j;
}
