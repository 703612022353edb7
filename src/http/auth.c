/*
 * Authentication and roles of the HTTP API: bearer tokens (only their
 * SHA-256 is stored), who a token stands for in the RA, and the one
 * permission table every role check goes through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http_int.h"

/* ---- authentication and roles ------------------------------------------ */
int
http_role_valid(const char *role)
{
	return strcmp(role, "admin") == 0 || strcmp(role, "operator") == 0 ||
	       strcmp(role, "auditor") == 0;
}

/* Who the token stands for in the RA: a person's token is that person
 * with the roles they hold now; an admin token is the local
 * administrator; an auditor token reads; an operator token is nobody
 * there (OP operators act as themselves). */
static int
auth_ra_actor(struct http_req *r, const char *name, const char *nik)
{
	char label[96];
	int rc;

	snprintf(label, sizeof(label), "token:%s", name);
	if (nik != NULL) {
		if ((rc = ra_actor_person(&r->ra, r->st, nik)) == SERTEL_EAUTH)
			return sertel_err(SERTEL_EAUTH,
			                  "token %s: NIK %s is no longer registered",
			                  name, nik);
		return rc;
	}
	memset(&r->ra, 0, sizeof(r->ra));
	if (strcmp(r->role, "admin") == 0) {
		ra_actor_local(&r->ra, label);
	} else if (strcmp(r->role, "auditor") == 0) {
		r->ra.roles = ROLE_AUDITOR;
		str_copy(r->ra.name, sizeof(r->ra.name), label);
		str_copy(r->ra.label, sizeof(r->ra.label), label);
	}
	return 0;
}

int
http_auth(struct http_req *r, struct http_resp *resp)
{
	const char *h = http_header(r, "Authorization");
	char hash[65], *name = NULL, *role = NULL, *nik = NULL;
	int rc;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) < 8 ||
	    strlen(h + 7) > 128) {
		http_error(resp, 401, "unauthorized",
		           "missing or malformed 'Authorization: Bearer TOKEN'");
		return SERTEL_EAUTH;
	}
	sha256_hex(hash, h + 7, strlen(h + 7));
	rc = store_token_find_nik(r->st, hash, &name, &role, &nik);
	if (rc == SERTEL_EAUTH) {
		http_error(resp, 401, "unauthorized", "unknown or revoked token");
		return rc;
	}
	if (rc < 0) {
		http_error_rc(resp, rc);
		return rc;
	}
	snprintf(r->actor, sizeof(r->actor), "token:%s", name);
	str_copy(r->role, sizeof(r->role), role);
	if ((rc = auth_ra_actor(r, name, nik)) < 0)
		http_error_rc(resp, rc);
	free(name);
	free(role);
	free(nik);
	return rc;
}

/* Which roles may do what.  Every entry is exercised by the role tests,
 * allowed and denied. */
static const struct {
	const char *perm;
	const char *roles; /* comma-separated */
} permissions[] = {
    {"cert.issue", "admin,operator"},
    {"cert.revoke", "admin,operator"},
};

int
http_allow(struct http_req *r, struct http_resp *resp, const char *perm)
{
	size_t i, n = strlen(r->role);
	const char *p;

	for (i = 0; i < sizeof(permissions) / sizeof(permissions[0]); i++) {
		if (strcmp(permissions[i].perm, perm) != 0)
			continue;
		for (p = permissions[i].roles; (p = strstr(p, r->role)) != NULL; p += n) {
			if ((p == permissions[i].roles || p[-1] == ',') &&
			    (p[n] == ',' || p[n] == '\0'))
				return 0;
		}
	}
	http_error(resp, 403, "forbidden", "role %s may not %s", r->role, perm);
	return SERTEL_EPERM;
}
