/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Agencies (Perangkat Daerah), people and their roles.
 *
 * Who may register whom follows the regulations: the Dinas (its operators,
 * its head, the administrator) registers people; OP operators are
 * appointed by the Kepala Dinas only (Cirebon 20(1), Denpasar 21(1)), and
 * so are auditors, who oversee the OP (Denpasar 27(2)); a Kepala Dinas is
 * appointed by the administrator.  Every change is audited
 * in its own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "pki/pki.h"
#include "ra/ra.h"
#include "ra/ra_int.h"

static const struct {
	const char *name;
	unsigned bit;
} role_names[] = {
    {"pemohon", ROLE_PEMOHON},
    {"atasan", ROLE_ATASAN},
    {"kepala-perangkat-daerah", ROLE_KEPALA_PD},
    {"operator-op", ROLE_OPERATOR},
    {"kepala-dinas", ROLE_KEPALA_DINAS},
    {"auditor", ROLE_AUDITOR},
    {"admin", ROLE_ADMIN},
};
#define NROLES (sizeof(role_names) / sizeof(role_names[0]))

int
ra_roles_parse(unsigned *out, const char *list)
{
	char item[40];
	const char *p = list, *comma;
	unsigned mask = 0;
	size_t n, i;

	*out = 0;
	if (list == NULL || *list == '\0')
		return sertel_err(SERTEL_EINVAL, "roles: at least one role");
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(item))
			return sertel_err(SERTEL_EINVAL, "roles '%s': empty item", list);
		memcpy(item, p, n);
		item[n] = '\0';
		for (i = 0; i < NROLES; i++)
			if (strcmp(item, role_names[i].name) == 0)
				break;
		if (i == NROLES)
			return sertel_err(
			    SERTEL_EINVAL,
			    "role '%s': expected pemohon, atasan, "
			    "kepala-perangkat-daerah, operator-op, kepala-dinas, "
			    "auditor or admin",
			    item);
		mask |= role_names[i].bit;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = mask;
	return 0;
}

void
ra_roles_format(char *out, size_t outsz, unsigned roles)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < NROLES && len < outsz; i++)
		if (roles & role_names[i].bit)
			len += (size_t)snprintf(out + len, outsz - len, "%s%s",
			                        len ? "," : "", role_names[i].name);
}

void
ra_actor_local(struct ra_actor *out, const char *label)
{
	memset(out, 0, sizeof(*out));
	out->roles = ROLE_ADMIN;
	str_copy(out->name, sizeof(out->name), label);
	str_copy(out->label, sizeof(out->label), label);
}

int
ra_actor_person(struct ra_actor *out, struct store *st, const char *nik)
{
	struct ra_person p;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc == SERTEL_ENOTFOUND
		           ? sertel_err(SERTEL_EAUTH,
		                        "--as %s: no such registered person", nik)
		           : rc;
	ra_actor_of(out, &p);
	return 0;
}

void
ra_actor_of(struct ra_actor *out, const struct ra_person *p)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->nik, sizeof(out->nik), p->nik);
	str_copy(out->name, sizeof(out->name), p->name);
	out->roles = p->roles;
	snprintf(out->label, sizeof(out->label), "nik:%s", p->nik);
}

/* ---- agencies ----------------------------------------------------------- */
struct agency_add {
	struct ra_agency *a;
	const struct ra_actor *who;
};

static int
agency_add_fn(struct store *st, void *arg)
{
	struct agency_add *w = arg;
	char obj[64];
	int64_t n;

	n = db_run(
	    store_db(st),
	    "INSERT INTO agencies (id, name, domain, created_at) VALUES (?, ?, ?, ?)",
	    "sssi", w->a->id, w->a->name, w->a->domain, w->a->created_at);
	if (n == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "agency '%s': already registered",
		                  w->a->name);
	if (n < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "agency:%s", w->a->id);
	return audit_append(st, w->who->label, "agency.add", obj, w->a->name);
}

int
ra_agency_add(struct ra_agency *out, struct store *st, const struct ra_actor *who,
              const char *name, const char *domain)
{
	struct agency_add w = {out, who};
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(who->roles & (ROLE_ADMIN | ROLE_KEPALA_DINAS)))
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: only the admin or a kepala-dinas registers agencies",
		    who->label);
	if ((rc = name_check_text("agency name", name ? name : "", 128)) < 0)
		return rc;
	if (domain == NULL || (rc = name_check_dns(domain)) < 0 || domain[0] == '*')
		return sertel_err(SERTEL_EINVAL,
		                  "agency domain '%s': a fully qualified domain such as "
		                  "kominfo.cirebonkota.go.id",
		                  domain ? domain : "");
	if ((rc = rand_hex(out->id, RA_ID_LEN / 2)) < 0)
		return rc;
	str_copy(out->name, sizeof(out->name), name);
	str_copy(out->domain, sizeof(out->domain), domain);
	for (char *p = out->domain; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	out->created_at = time_now();
	return store_atomic(st, agency_add_fn, &w);
}

static void
agency_row(struct ra_agency *a, struct db_stmt *s)
{
	memset(a, 0, sizeof(*a));
	str_copy(a->id, sizeof(a->id), db_col_text(s, 0));
	str_copy(a->name, sizeof(a->name), db_col_text(s, 1));
	str_copy(a->domain, sizeof(a->domain), db_col_text(s, 2));
	a->created_at = db_col_int(s, 3);
}

int
ra_agency_get(struct ra_agency *out, struct store *st, const char *id_or_name)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT id, name, domain, created_at "
	                     "FROM agencies WHERE id = ? OR name = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id_or_name)) == 0 &&
	    (rc = db_bind_text(s, 2, id_or_name)) == 0)
		rc = db_step(s);
	if (rc == 1) {
		agency_row(out, s);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "agency '%s': not registered",
		                id_or_name);
	}
	db_finalize(s);
	return rc;
}

int
ra_agency_iter(struct store *st, ra_agency_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_agency a;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT id, name, domain, created_at "
	                     "FROM agencies ORDER BY name")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		agency_row(&a, s);
		if ((rc = cb(&a, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc;
}

/* ---- people ------------------------------------------------------------- */
#define PERSON_COLS                                                                      \
	"nik, nip, name, email, position, agency_id, superior_nik, roles, "              \
	"kepala_daerah, appointed_by, created_at"

static void
person_row(struct ra_person *p, struct db_stmt *s)
{
	const char *v;

	memset(p, 0, sizeof(*p));
	str_copy(p->nik, sizeof(p->nik), db_col_text(s, 0));
	str_copy(p->nip, sizeof(p->nip), (v = db_col_text(s, 1)) ? v : "");
	str_copy(p->name, sizeof(p->name), db_col_text(s, 2));
	str_copy(p->email, sizeof(p->email), db_col_text(s, 3));
	str_copy(p->position, sizeof(p->position), db_col_text(s, 4));
	str_copy(p->agency_id, sizeof(p->agency_id), (v = db_col_text(s, 5)) ? v : "");
	str_copy(p->superior_nik, sizeof(p->superior_nik),
	         (v = db_col_text(s, 6)) ? v : "");
	ra_roles_parse(&p->roles, db_col_text(s, 7));
	p->kepala_daerah = (int)db_col_int(s, 8);
	str_copy(p->appointed_by, sizeof(p->appointed_by),
	         (v = db_col_text(s, 9)) ? v : "");
	p->created_at = db_col_int(s, 10);
}

int
ra_person_get(struct ra_person *out, struct store *st, const char *nik)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " PERSON_COLS " FROM persons WHERE nik = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0)
		rc = db_step(s);
	if (rc == 1) {
		person_row(out, s);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "NIK %s: not registered", nik);
	}
	db_finalize(s);
	return rc;
}

int
ra_person_iter(struct store *st, const char *agency_id, ra_person_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_person p;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     agency_id ? "SELECT " PERSON_COLS " FROM persons WHERE "
	                                 "agency_id = ? ORDER BY name"
	                               : "SELECT " PERSON_COLS
	                                 " FROM persons ORDER BY name")) < 0)
		return rc;
	if (agency_id && (rc = db_bind_text(s, 1, agency_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		person_row(&p, s);
		if ((rc = cb(&p, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc;
}

int
ra_domain_within(const char *name, const char *domain)
{
	size_t nl = strlen(name), dl = strlen(domain);

	if (nl == dl)
		return strcasecmp(name, domain) == 0;
	return nl > dl && name[nl - dl - 1] == '.' &&
	       strcasecmp(name + nl - dl, domain) == 0;
}

/* The address must be at the agency's official domain or below it. */
static int
email_in_domain(const char *email, const char *domain)
{
	const char *at = strrchr(email, '@');

	return at != NULL && ra_domain_within(at + 1, domain);
}

struct person_add {
	const struct ra_person *p;
	const struct ra_actor *who;
};

static int
person_add_fn(struct store *st, void *arg)
{
	struct person_add *w = arg;
	const struct ra_person *p = w->p;
	struct db_stmt *s = NULL;
	char roles[160], obj[64];
	int64_t now = time_now();
	int rc;

	ra_roles_format(roles, sizeof(roles), p->roles);
	if ((rc = db_prepare(&s, store_db(st),
	                     "INSERT INTO persons (" PERSON_COLS ", updated_at) VALUES "
	                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, p->nik)) == 0 &&
	    (rc = db_bind_text(s, 2, p->nip[0] ? p->nip : NULL)) == 0 &&
	    (rc = db_bind_text(s, 3, p->name)) == 0 &&
	    (rc = db_bind_text(s, 4, p->email)) == 0 &&
	    (rc = db_bind_text(s, 5, p->position)) == 0 &&
	    (rc = db_bind_text(s, 6, p->agency_id)) == 0 &&
	    (rc = db_bind_text(s, 7, p->superior_nik[0] ? p->superior_nik : NULL)) == 0 &&
	    (rc = db_bind_text(s, 8, roles)) == 0 &&
	    (rc = db_bind_int(s, 9, p->kepala_daerah)) == 0 &&
	    (rc = db_bind_int(s, 10, now)) == 0 && (rc = db_bind_int(s, 11, now)) == 0)
		rc = db_step(s);
	db_finalize(s);
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS,
		                  "NIK %s: a person with this NIK, NIP or e-mail is "
		                  "registered already",
		                  p->nik);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "person:%s", p->nik);
	return audit_append(st, w->who->label, "person.add", obj, roles);
}

int
ra_person_insert_tx(struct store *st, const struct ra_actor *who,
                    const struct ra_person *p)
{
	struct person_add w = {p, who};

	return person_add_fn(st, &w);
}

int
ra_person_add(struct store *st, const struct ra_actor *who, const struct ra_person *p)
{
	struct person_add w = {p, who};
	struct ra_agency ag;
	struct ra_person sup;
	int rc;

	if (!(who->roles & (ROLE_ADMIN | ROLE_KEPALA_DINAS | ROLE_OPERATOR)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only the Dinas (admin, kepala-dinas, operator-op) "
		                  "registers people",
		                  who->label);
	if ((rc = identity_check(p->nik, p->nip)) < 0 ||
	    (rc = name_check_text("name", p->name, 128)) < 0 ||
	    (rc = name_check_email(p->email)) < 0)
		return rc;
	if (p->position[0] != '\0' &&
	    (rc = name_check_text("position", p->position, 128)) < 0)
		return rc;
	if (p->roles == 0)
		return sertel_err(SERTEL_EINVAL, "roles: at least one role");
	if (p->roles & (ROLE_OPERATOR | ROLE_KEPALA_DINAS))
		return sertel_err(SERTEL_EPERM,
		                  "roles operator-op and kepala-dinas are given by "
		                  "appointment ('sertel person appoint'), not at "
		                  "registration (Cirebon 20(1))");
	if ((p->roles & ROLE_ADMIN) && !(who->roles & ROLE_ADMIN))
		return sertel_err(SERTEL_EPERM, "%s: only an admin grants the admin role",
		                  who->label);
	/* Issue 19: an OP operator registered an auditor.  Auditors oversee
	 * the OP, so the OP's operators (and the administrator, who runs
	 * it) must not choose them: only the Kepala Dinas appoints them. */
	if ((p->roles & ROLE_AUDITOR) && !(who->roles & ROLE_KEPALA_DINAS))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only a kepala-dinas appoints auditors (role "
		                  "auditor), at registration or by 'sertel person "
		                  "appoint'",
		                  who->label);
	if (p->agency_id[0] == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "agency: every person belongs to an agency");
	if ((rc = ra_agency_get(&ag, st, p->agency_id)) < 0)
		return rc;
	if (!email_in_domain(p->email, ag.domain))
		return sertel_err(SERTEL_EINVAL,
		                  "e-mail %s: must be an official address of %s (@%s)",
		                  p->email, ag.name, ag.domain);
	if (p->superior_nik[0] != '\0') {
		if (strcmp(p->superior_nik, p->nik) == 0)
			return sertel_err(SERTEL_EINVAL,
			                  "superior: a person is not their "
			                  "own superior");
		if ((rc = ra_person_get(&sup, st, p->superior_nik)) < 0)
			return rc;
	}
	{
		/* Store the agency's id even when it was given by name. */
		struct ra_person copy = *p;
		str_copy(copy.agency_id, sizeof(copy.agency_id), ag.id);
		w.p = &copy;
		return store_atomic(st, person_add_fn, &w);
	}
}

struct appoint {
	const struct ra_actor *who;
	const char *nik;
	unsigned role;
};

static int
appoint_fn(struct store *st, void *arg)
{
	struct appoint *w = arg;
	struct ra_person p;
	struct db_stmt *s = NULL;
	char roles[160], obj[64];
	int rc;

	if ((rc = ra_person_get(&p, st, w->nik)) < 0)
		return rc;
	if (p.roles & w->role)
		return sertel_err(SERTEL_ESTATE, "NIK %s: holds that role already",
		                  w->nik);
	ra_roles_format(roles, sizeof(roles), p.roles | w->role);
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "UPDATE persons SET roles = ?, appointed_by = ?, updated_at = ? "
	         "WHERE nik = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, roles)) == 0 &&
	    (rc = db_bind_text(s, 2, w->who->nik[0] ? w->who->nik : w->who->label)) ==
	        0 &&
	    (rc = db_bind_int(s, 3, time_now())) == 0 &&
	    (rc = db_bind_text(s, 4, w->nik)) == 0)
		rc = db_step(s);
	db_finalize(s);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	ra_roles_format(roles, sizeof(roles), w->role);
	return audit_append(st, w->who->label, "person.appoint", obj, roles);
}

int
ra_person_appoint(struct store *st, const struct ra_actor *who, const char *nik,
                  unsigned role)
{
	struct appoint w = {who, nik, role};

	if (role == ROLE_OPERATOR && !(who->roles & ROLE_KEPALA_DINAS))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only a kepala-dinas appoints OP operators "
		                  "(Cirebon 20(1))",
		                  who->label);
	if (role == ROLE_KEPALA_DINAS && !(who->roles & ROLE_ADMIN))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only the admin appoints a kepala-dinas",
		                  who->label);
	if (role == ROLE_AUDITOR && !(who->roles & ROLE_KEPALA_DINAS))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only a kepala-dinas appoints auditors",
		                  who->label);
	if (role != ROLE_OPERATOR && role != ROLE_KEPALA_DINAS && role != ROLE_AUDITOR)
		return sertel_err(SERTEL_EINVAL,
		                  "appoint: operator-op, kepala-dinas or auditor");
	return store_atomic(st, appoint_fn, &w);
}

struct dismiss {
	const struct ra_actor *who;
	const char *nik;
	unsigned role;
	const char *reason;
};

static int
dismiss_fn(struct store *st, void *arg)
{
	struct dismiss *w = arg;
	struct ra_person p;
	char roles[160], obj[64], detail[700];
	int64_t n;
	int rc;

	if ((rc = ra_person_get(&p, st, w->nik)) < 0)
		return rc;
	if (!(p.roles & w->role))
		return sertel_err(SERTEL_ESTATE, "NIK %s: does not hold that role",
		                  w->nik);
	ra_roles_format(roles, sizeof(roles), p.roles & ~w->role);
	/* Inside the transaction: the roles read above are the ones replaced. */
	n = db_run(store_db(st),
	           "UPDATE persons SET roles = ?, updated_at = ? WHERE nik = ?", "sis",
	           roles, time_now(), w->nik);
	if (n < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	ra_roles_format(roles, sizeof(roles), w->role);
	snprintf(detail, sizeof(detail), "%s: %.500s", roles, w->reason);
	return audit_append(st, w->who->label, "person.dismiss", obj, detail);
}

int
ra_person_dismiss(struct store *st, const struct ra_actor *who, const char *nik,
                  unsigned role, const char *reason)
{
	struct dismiss w = {who, nik, role, reason};
	int rc;

	/* Cirebon 20(1): the one who appoints is the one who dismisses. */
	if (role == ROLE_KEPALA_DINAS) {
		if (!(who->roles & ROLE_ADMIN))
			return sertel_err(SERTEL_EPERM,
			                  "%s: only the admin dismisses a kepala-dinas",
			                  who->label);
	} else if (role == ROLE_OPERATOR || role == ROLE_AUDITOR ||
	           role == ROLE_KEPALA_PD) {
		if (!(who->roles & ROLE_KEPALA_DINAS))
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: only a kepala-dinas dismisses OP operators, "
			    "heads of agency and auditors (Cirebon 20(1))",
			    who->label);
	} else {
		return sertel_err(
		    SERTEL_EINVAL,
		    "dismiss: operator-op, kepala-perangkat-daerah, auditor "
		    "or kepala-dinas");
	}
	if (reason == NULL || *reason == '\0')
		return sertel_err(SERTEL_EINVAL, "dismiss: a reason is required");
	if ((rc = name_check_text("reason", reason, 500)) < 0)
		return rc;
	if (who->nik[0] != '\0' && strcmp(who->nik, nik) == 0)
		return sertel_err(SERTEL_EPERM, "%s: does not dismiss themselves",
		                  who->label);
	return store_atomic(st, dismiss_fn, &w);
}

int
ra_operator_check(struct store *st, const char *nik, int64_t now)
{
	struct ra_person p;
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc;
	if (!(p.roles & ROLE_OPERATOR))
		return sertel_err(SERTEL_EPERM, "NIK %s: not an appointed OP operator",
		                  nik);
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT 1 FROM certs WHERE nik = ? AND revoked = 0 AND "
	                     "not_before <= ? AND not_after > ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_bind_int(s, 2, now)) == 0 &&
	    (rc = db_bind_int(s, 3, now)) == 0)
		rc = db_step(s);
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(
		    SERTEL_EPERM,
		    "NIK %s: an OP operator must hold a valid certificate of "
		    "their own before deciding (Cirebon 20(1))",
		    nik);
	return 0;
}
