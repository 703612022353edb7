/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: the OP operator's tools (certificate search, revocation one
 * by one or in bulk with a confirmation, written warnings and revocation
 * proposals, unlocking a locked signer), the e-sign client applications
 * (the Kepala Dinas), and every user's notices.  Every change is the
 * ra_* / esign_* call the CLI and the API make; this file only turns
 * forms into those calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esign/esign.h"
#include "http/web_portal.h"
#include "mail/mail.h"

#define SEARCH_PAGE  50
#define NOTICES_PAGE 50

/* Roles that read every certificate (ra_sees_all) and so may search. */
#define SEARCH_ROLES (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN)

static void
flash_set(struct page *pg, const char *kind, const char *text)
{
	json_object_set_new(pg->ctx, "flash",
	                    json_pack("{s:s, s:s}", "kind", kind, "text", text));
}

static int
form_begin(struct page *pg)
{
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg()), -1;
	return 0;
}

static const char *
form_text(struct page *pg, const char *name)
{
	const char *v = web_form_get(&pg->form, name);

	return v != NULL ? v : "";
}

/* ---- certificate search ---------------------------------------------------- */
struct cert_rows {
	struct page *pg;
	json_t *arr;
	int i;
};

static json_t *
cert_json(struct page *pg, const struct ra_cert_row *c, int i)
{
	char nb[WP_TIME_MAX], na[WP_TIME_MAX], shown[3 * SERIAL_HEX_MAX];

	wp_serial_shown(shown, sizeof(shown), c->serial);
	wp_time(nb, pg, c->not_before, 0);
	wp_time(na, pg, c->not_after, 0);
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "serial",
	    c->serial, "shown", shown, "type", wp_msg(pg, "type.", c->type), "usages",
	    c->usages, "nik", c->nik, "name",
	    c->owner_name[0] ? c->owner_name : c->subject, "agency", c->agency_name,
	    "status", wp_msg(pg, "oper.status.", c->status), "from", nb, "until", na,
	    "status_key", c->status, "valid",
	    strcmp(c->status, "revoked") != 0 && c->nik[0] != '\0', "i", i);
}

static int
cert_row(const struct ra_cert_row *c, void *arg)
{
	struct cert_rows *l = arg;

	json_array_append_new(l->arr, cert_json(l->pg, c, l->i++));
	return 0;
}

static json_t *
causes_json(struct page *pg, const char *chosen)
{
	const char *const *c;
	json_t *arr = json_array();
	int n, i;

	c = ra_operator_causes(&n);
	for (i = 0; i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:b}", "cause", c[i], "label",
		                   wp_msg(pg, "oper.cause.", c[i]), "selected",
		                   chosen != NULL && strcmp(chosen, c[i]) == 0));
	return arr;
}

static int
page_search(struct page *pg)
{
	static const char *const statuses[] = {"valid", "revoked", "expired"};
	const char *nik = http_query(pg->r, "nik"), *name = http_query(pg->r, "nama"),
	           *serial = http_query(pg->r, "seri"),
	           *agency = http_query(pg->r, "instansi"),
	           *status = http_query(pg->r, "status"),
	           *days = http_query(pg->r, "berakhir"),
	           *page = http_query(pg->r, "hal");
	struct cert_rows l = {pg, json_array(), 0};
	json_t *agencies = json_array();
	struct ra_cert_filter f;
	long long d = 0, pn = 1;
	int64_t total = 0;
	json_t *st = json_array(), *q;
	size_t i;
	int rc, searched;

	memset(&f, 0, sizeof(f));
	f.nik = nik;
	f.name = name;
	f.serial = serial;
	f.agency_id = agency;
	f.status = status;
	f.limit = SEARCH_PAGE;
	if (days != NULL && *days != '\0' && parse_ll(&d, days, 1, 3650) < 0) {
		json_decref(l.arr);
		json_decref(agencies);
		json_decref(st);
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.days"));
	}
	f.expiring_days = (int)d;
	if (page != NULL && parse_ll(&pn, page, 1, 100000) < 0)
		pn = 1;
	f.offset = (int)((pn - 1) * SEARCH_PAGE);
	searched = (nik && *nik) || (name && *name) || (serial && *serial) ||
	           (agency && *agency) || (status && *status) || d > 0 || page != NULL;
	rc = wp_agency_options(pg, agencies, agency);
	if (rc == 0 && searched)
		rc = ra_cert_query(pg->r->st, &pg->who, &f, &total, cert_row, &l);
	if (rc < 0) {
		json_decref(l.arr);
		json_decref(agencies);
		json_decref(st);
		if (rc == SERTEL_EINVAL || rc == SERTEL_EPERM)
			return wp_rule_error(pg, rc, "oper.bad.search");
		log_msg(LOG_ERROR, "portal: search: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		json_array_append_new(
		    st, json_pack("{s:s, s:s, s:b}", "status", statuses[i], "label",
		                  wp_msg(pg, "oper.status.", statuses[i]), "selected",
		                  status && strcmp(status, statuses[i]) == 0));
	q = json_pack("{s:s, s:s, s:s, s:s}", "nik", nik ? nik : "", "nama",
	              name ? name : "", "seri", serial ? serial : "", "berakhir",
	              days ? days : "");
	json_object_set_new(pg->ctx, "q", q);
	json_object_set_new(pg->ctx, "rows", l.arr);
	json_object_set_new(pg->ctx, "searched", json_boolean(searched));
	json_object_set_new(pg->ctx, "has_rows",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "total", json_integer((json_int_t)total));
	json_object_set_new(pg->ctx, "agencies", agencies);
	json_object_set_new(pg->ctx, "statuses", st);
	json_object_set_new(pg->ctx, "causes", causes_json(pg, NULL));
	/* Only an operator sees the revocation controls (the auditor and the
	 * Kepala Dinas read). */
	json_object_set_new(pg->ctx, "may_revoke",
	                    json_boolean((pg->who.roles & ROLE_OPERATOR) != 0));
	if ((int64_t)pn * SEARCH_PAGE < total) {
		/* The same filters, the next page; every value URL-encoded. */
		static const char *const keys[] = {"nik",      "nama",   "seri",
		                                   "instansi", "status", "berakhir"};
		const char *vals[] = {nik, name, serial, agency, status, days};
		struct buf b;

		buf_init(&b, 2048); /* six filters of a bounded query string */
		buf_appendf(&b, "hal=%lld", pn + 1);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (vals[i] == NULL || *vals[i] == '\0')
				continue;
			buf_appendf(&b, "&%s=", keys[i]);
			web_url_encode(&b, vals[i]);
		}
		if (buf_cstr(&b) == 0)
			json_object_set_new(pg->ctx, "next", json_string((char *)b.data));
		buf_free(&b);
	}
	return wp_render(pg, 200, "oper-search", "oper.search.title");
}

/* The serials a revocation form names: "satu" (one row's button), else
 * the ticked rows s_0.., or every row of the page (p_0..) with "semua". */
static int
form_serials(const char *out[SEARCH_PAGE], struct page *pg, const char *ticked,
             const char *all)
{
	const char *v;
	char key[16];
	int i, n = 0, every = web_form_get(&pg->form, "semua") != NULL;

	if ((v = web_form_get(&pg->form, "satu")) != NULL && *v != '\0') {
		out[0] = v;
		return 1;
	}
	for (i = 0; i < SEARCH_PAGE; i++) {
		snprintf(key, sizeof(key), "%s_%d", every && all ? all : ticked, i);
		if ((v = web_form_get(&pg->form, key)) != NULL && *v != '\0')
			out[n++] = v;
	}
	return n;
}

static int
cause_valid(const char *cause)
{
	const char *const *c;
	int n, i;

	c = ra_operator_causes(&n);
	for (i = 0; i < n; i++)
		if (strcmp(c[i], cause) == 0)
			return 1;
	return 0;
}

/* POST /cari/cabut: the confirmation page listing each certificate. */
static int
page_revoke_confirm(struct page *pg)
{
	const char *serials[SEARCH_PAGE], *cause, *reason;
	struct cert_rows l = {pg, NULL, 0};
	int n, i, rc;

	if (form_begin(pg) < 0)
		return 0;
	cause = form_text(pg, "sebab");
	reason = form_text(pg, "alasan");
	if ((n = form_serials(serials, pg, "s", "p")) == 0)
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.none"));
	if (!cause_valid(cause))
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.cause"));
	if (*reason == '\0' || strlen(reason) > 500)
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.reason"));
	l.arr = json_array();
	for (i = 0; i < n; i++) {
		struct ra_cert_filter f;
		int64_t total = 0;
		int before = (int)json_array_size(l.arr);

		memset(&f, 0, sizeof(f));
		f.serial = serials[i];
		f.limit = 1;
		if ((rc = ra_cert_query(pg->r->st, &pg->who, &f, &total, cert_row, &l)) <
		    0) {
			json_decref(l.arr);
			return wp_rule_error(pg, rc, "oper.bad.search");
		}
		if ((int)json_array_size(l.arr) == before) {
			json_decref(l.arr);
			return wp_error(pg, 404, wp_msg(pg, "", "oper.bad.unknown"));
		}
	}
	json_object_set_new(pg->ctx, "rows", l.arr);
	json_object_set_new(pg->ctx, "count", json_integer(n));
	json_object_set_new(pg->ctx, "cause", json_string(cause));
	json_object_set_new(pg->ctx, "cause_label",
	                    json_string(wp_msg(pg, "oper.cause.", cause)));
	json_object_set_new(pg->ctx, "reason", json_string(reason));
	return wp_render(pg, 200, "oper-confirm", "oper.confirm.title");
}

/* POST /cari/cabut/jalankan: each certificate through ra_revoke, one
 * transaction (and one audit entry) each.  Not all-or-nothing: the issuer
 * publishes a CRL with every revocation, and an upstream issuer has
 * revoked before our transaction starts, so a later failure cannot undo
 * an earlier success; the page says which ones failed and why.  The page
 * is the answer to the POST (not a redirect): the outcome per row is what
 * the operator must read, and a resubmission revokes nothing twice
 * (revocation is one-way, ra_revoke refuses a revoked certificate). */
static int
page_revoke_run(struct page *pg)
{
	const char *serials[SEARCH_PAGE], *cause, *reason;
	json_t *arr;
	int n, i, ok = 0, rc;

	if (form_begin(pg) < 0)
		return 0;
	cause = form_text(pg, "sebab");
	reason = form_text(pg, "alasan");
	if ((n = form_serials(serials, pg, "c", NULL)) == 0)
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.none"));
	if (!cause_valid(cause))
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.cause"));
	if (*reason == '\0' || strlen(reason) > 500)
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.reason"));
	arr = json_array();
	for (i = 0; i < n; i++) {
		char shown[3 * SERIAL_HEX_MAX];

		wp_serial_shown(shown, sizeof(shown), serials[i]);
		rc = ra_revoke(pg->r->st, &pg->who, pg->r->ctx->issuer, serials[i], cause,
		               reason);
		if (rc == 0)
			ok++;
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:b, s:s}", "serial",
		                                serials[i], "shown", shown, "ok", rc == 0,
		                                "error", rc == 0 ? "" : sertel_errmsg()));
	}
	json_object_set_new(pg->ctx, "rows", arr);
	json_object_set_new(pg->ctx, "done", json_integer(ok));
	json_object_set_new(pg->ctx, "failed", json_integer(n - ok));
	json_object_set_new(pg->ctx, "some_failed", json_boolean(ok < n));
	/* 200 when every one succeeded; 409 tells scripts some did not. */
	return wp_render(pg, ok == n ? 200 : 409, "oper-result", "oper.result.title");
}

/* ---- warnings and sanction proposals ---------------------------------------- */
static int
warning_row(const struct ra_warning *w, void *arg)
{
	struct cert_rows *l = arg;
	char at[WP_TIME_MAX], shown[3 * SERIAL_HEX_MAX];

	wp_time(at, l->pg, w->created_at, 0);
	wp_serial_shown(shown, sizeof(shown), w->serial);
	json_array_append_new(l->arr,
	                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "nik", w->nik,
	                                "name", w->name, "serial", w->serial, "shown",
	                                shown, "reason", w->reason, "at", at));
	return 0;
}

static int
proposal_row(const struct ra_proposal *p, void *arg)
{
	struct cert_rows *l = arg;
	char at[WP_TIME_MAX], shown[3 * SERIAL_HEX_MAX];

	wp_time(at, l->pg, p->created_at, 0);
	wp_serial_shown(shown, sizeof(shown), p->serial);
	json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	                                        "serial", p->serial, "shown", shown,
	                                        "nik", p->nik, "name", p->name, "cause",
	                                        wp_msg(l->pg, "oper.cause.", p->cause),
	                                        "note", p->note, "at", at));
	return 0;
}

static int
sanction_threshold(struct page *pg)
{
	/* As `sertel ra warn` and POST /api/v1/persons/{nik}/warn. */
	return pg->r->ctx->policy.sanction_warnings;
}

static int
page_warn(struct page *pg)
{
	const char *nik = http_query(pg->r, "nik"), *serial = http_query(pg->r, "seri"),
	           *ok = http_query(pg->r, "ok");
	struct cert_rows w = {pg, json_array(), 0}, p = {pg, json_array(), 0};
	struct ra_person person;
	int rc;

	if (nik != NULL && *nik == '\0')
		nik = NULL;
	if (nik != NULL && ra_person_get(&person, pg->r->st, nik) < 0) {
		json_decref(w.arr);
		json_decref(p.arr);
		return wp_error(pg, 404, wp_msg(pg, "", "oper.bad.person"));
	}
	if ((rc = ra_warning_iter(pg->r->st, &pg->who, nik, warning_row, &w)) < 0 ||
	    (rc = ra_proposal_iter(pg->r->st, &pg->who, proposal_row, &p)) < 0) {
		json_decref(w.arr);
		json_decref(p.arr);
		return wp_rule_error(pg, rc, "oper.bad.search");
	}
	if (nik != NULL)
		json_object_set_new(
		    pg->ctx, "person",
		    json_pack("{s:s, s:s}", "nik", person.nik, "name", person.name));
	json_object_set_new(pg->ctx, "nik", json_string(nik ? nik : ""));
	json_object_set_new(pg->ctx, "seri", json_string(serial ? serial : ""));
	json_object_set_new(pg->ctx, "warnings", w.arr);
	json_object_set_new(pg->ctx, "has_warnings",
	                    json_boolean(json_array_size(w.arr)));
	json_object_set_new(pg->ctx, "proposals", p.arr);
	json_object_set_new(pg->ctx, "has_proposals",
	                    json_boolean(json_array_size(p.arr)));
	json_object_set_new(pg->ctx, "threshold", json_integer(sanction_threshold(pg)));
	json_object_set_new(pg->ctx, "may_warn",
	                    json_boolean((pg->who.roles & ROLE_OPERATOR) != 0));
	if (ok != NULL && strcmp(ok, "1") == 0) {
		const char *n = http_query(pg->r, "n"), *np = http_query(pg->r, "p");
		char text[300];

		snprintf(text, sizeof(text), "%s (%s: %s, %s: %s)",
		         wp_msg(pg, "", "oper.warn.ok"),
		         wp_msg(pg, "", "oper.warn.count"), n ? n : "?",
		         wp_msg(pg, "", "oper.warn.proposed"), np ? np : "0");
		flash_set(pg, "ok", text);
	}
	return wp_render(pg, 200, "oper-warn", "oper.warn.title");
}

static int
page_warn_post(struct page *pg)
{
	const char *nik, *serial, *reason;
	char loc[160];
	int rc, warnings = 0, proposals = 0;

	if (form_begin(pg) < 0)
		return 0;
	nik = form_text(pg, "nik");
	serial = form_text(pg, "seri");
	reason = form_text(pg, "alasan");
	if (*nik == '\0')
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.person"));
	if (*reason == '\0')
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.reason"));
	if ((rc = ra_warn(pg->r->st, &pg->who, nik, *serial ? serial : NULL, reason,
	                  sanction_threshold(pg), &warnings, &proposals)) < 0)
		return wp_rule_error(pg, rc, "oper.warn.refused");
	snprintf(loc, sizeof(loc), "/peringatan?nik=%.16s&ok=1&n=%d&p=%d", nik, warnings,
	         proposals);
	return wp_redirect(pg, loc);
}

/* ---- locked signers ----------------------------------------------------------- */
static int
locked_row(const struct esign_locked *k, void *arg)
{
	struct cert_rows *l = arg;
	char at[WP_TIME_MAX];

	wp_time(at, l->pg, k->locked_at, 1);
	json_array_append_new(
	    l->arr, json_pack("{s:s, s:s, s:s, s:i, s:s}", "nik", k->nik, "name", k->name,
	                      "agency", k->agency, "failures", k->failures, "at", at));
	return 0;
}

static int
page_locked(struct page *pg)
{
	struct cert_rows l = {pg, json_array(), 0};
	const char *ok = http_query(pg->r, "ok");
	int rc;

	if ((rc = esign_locked_iter(pg->r->st, &pg->who, locked_row, &l)) < 0) {
		json_decref(l.arr);
		return wp_rule_error(pg, rc, "oper.bad.search");
	}
	json_object_set_new(pg->ctx, "rows", l.arr);
	json_object_set_new(pg->ctx, "has_rows", json_boolean(json_array_size(l.arr)));
	if (ok != NULL && strcmp(ok, "1") == 0)
		flash_set(pg, "ok", wp_msg(pg, "", "oper.locked.ok"));
	return wp_render(pg, 200, "oper-locked", "oper.locked.title");
}

static int
page_unlock(struct page *pg)
{
	const char *nik, *reason;
	int rc;

	if (form_begin(pg) < 0)
		return 0;
	nik = form_text(pg, "nik");
	reason = form_text(pg, "alasan");
	if (*reason == '\0')
		return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.reason"));
	if ((rc = esign_unlock(pg->r->st, &pg->who, nik, reason)) < 0)
		return wp_rule_error(pg, rc, "oper.locked.refused");
	return wp_redirect(pg, "/kunci?ok=1");
}

/* ---- e-sign client applications ---------------------------------------------- */
static int
client_row(const struct esign_client *c, void *arg)
{
	struct cert_rows *l = arg;
	char perms[64], made[WP_TIME_MAX], used[WP_TIME_MAX] = "";

	esign_perms_format(perms, sizeof(perms), c->perms);
	wp_time(made, l->pg, c->created_at, 0);
	if (c->last_used_at > 0)
		wp_time(used, l->pg, c->last_used_at, 1);
	json_array_append_new(l->arr,
	                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "name", c->name,
	                                "perms", perms, "seal", c->seal_id, "created",
	                                made, "used", used, "i", l->i));
	l->i++;
	return 0;
}

/* The list; with secret (after add or rotate) that secret once, in this
 * response only: it is never stored (only its SHA-256 is) nor put in a
 * URL, and Cache-Control: no-store keeps it out of the browser's cache. */
static int
clients_render(struct page *pg, int status, const char *name, const char *secret)
{
	struct cert_rows l = {pg, json_array(), 0};
	const char *ok = http_query(pg->r, "ok");
	int rc;

	if ((rc = esign_client_iter(pg->r->st, client_row, &l)) < 0) {
		json_decref(l.arr);
		log_msg(LOG_ERROR, "portal: clients: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "rows", l.arr);
	json_object_set_new(pg->ctx, "has_rows", json_boolean(json_array_size(l.arr)));
	if (secret != NULL)
		json_object_set_new(
		    pg->ctx, "secret",
		    json_pack("{s:s, s:s}", "name", name, "value", secret));
	if (ok != NULL && strcmp(ok, "cabut") == 0)
		flash_set(pg, "ok", wp_msg(pg, "", "oper.clients.revoked"));
	return wp_render(pg, status, "oper-clients", "oper.clients.title");
}

static int
page_clients(struct page *pg)
{
	int rc;

	if ((rc = esign_client_manage_check(&pg->who)) < 0)
		return wp_rule_error(pg, rc, "oper.clients.refused");
	return clients_render(pg, 200, NULL, NULL);
}

static int
page_clients_post(struct page *pg)
{
	const char *what = pg->sub + strlen("/klien/"), *name, *reason, *seal;
	struct esign_client cl;
	char *secret = NULL;
	unsigned perms = 0;
	int rc;

	if (form_begin(pg) < 0)
		return 0;
	if ((rc = esign_client_manage_check(&pg->who)) < 0)
		return wp_rule_error(pg, rc, "oper.clients.refused");
	name = form_text(pg, "nama");
	reason = form_text(pg, "alasan");
	if (*name == '\0')
		return wp_error(pg, 400, wp_msg(pg, "", "oper.clients.noname"));
	if (strcmp(what, "tambah") == 0) {
		seal = form_text(pg, "segel");
		if (web_form_get(&pg->form, "izin_sign") != NULL)
			perms |= ESIGN_PERM_SIGN;
		if (web_form_get(&pg->form, "izin_verify") != NULL)
			perms |= ESIGN_PERM_VERIFY;
		if (web_form_get(&pg->form, "izin_seal") != NULL)
			perms |= ESIGN_PERM_SEAL;
		if (perms == 0)
			return wp_error(pg, 400, wp_msg(pg, "", "oper.clients.noperm"));
		rc = esign_client_add(&cl, &secret, pg->r->st, pg->who.label, name, perms,
		                      *seal ? seal : NULL);
	} else if (strcmp(what, "putar") == 0) {
		if (*reason == '\0')
			return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.reason"));
		rc = esign_client_rotate(&secret, pg->r->st, pg->who.label, name, reason);
	} else if (strcmp(what, "cabut") == 0) {
		if (*reason == '\0')
			return wp_error(pg, 400, wp_msg(pg, "", "oper.bad.reason"));
		if ((rc = esign_client_revoke(pg->r->st, pg->who.label, name, reason)) <
		    0)
			return wp_rule_error(pg, rc, "oper.clients.refused");
		return wp_redirect(pg, "/klien?ok=cabut");
	} else {
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	}
	if (rc < 0)
		return wp_rule_error(pg, rc, "oper.clients.refused");
	rc = clients_render(pg, 200, name, secret);
	secure_wipe(secret, strlen(secret));
	free(secret);
	return rc;
}

/* ---- notices ------------------------------------------------------------------- */
static int
notice_row(const struct mail_rec *m, void *arg)
{
	struct cert_rows *l = arg;
	char at[WP_TIME_MAX];

	wp_time(at, l->pg, m->created_at, 1);
	json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "subject",
	                                        m->subject, "at", at, "state",
	                                        wp_msg(l->pg, "oper.mail.", m->state),
	                                        "state_key", m->state, "body", m->body));
	return 0;
}

static int
page_notices(struct page *pg)
{
	struct cert_rows l = {pg, json_array(), 0};
	const char *page = http_query(pg->r, "hal");
	struct ra_person p;
	long long pn = 1;
	int64_t total = 0;
	char next[32];
	int rc;

	if (page != NULL && parse_ll(&pn, page, 1, 100000) < 0)
		pn = 1;
	/* A person's notices go to the address the OP registered. */
	if ((rc = ra_person_get(&p, pg->r->st, pg->who.nik)) < 0 ||
	    (rc = mail_list_to(pg->r->st, p.email, NOTICES_PAGE,
	                       (int)((pn - 1) * NOTICES_PAGE), &total, notice_row, &l)) <
	        0) {
		json_decref(l.arr);
		log_msg(LOG_ERROR, "portal: notices: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "rows", l.arr);
	json_object_set_new(pg->ctx, "has_rows", json_boolean(json_array_size(l.arr)));
	json_object_set_new(pg->ctx, "total", json_integer((json_int_t)total));
	if ((int64_t)pn * NOTICES_PAGE < total) {
		snprintf(next, sizeof(next), "%lld", pn + 1);
		json_object_set_new(pg->ctx, "next", json_string(next));
	}
	return wp_render(pg, 200, "oper-notices", "oper.notices.title");
}

WP_ROUTES(wp_routes_oper, {"GET", "/cari", 1, SEARCH_ROLES, page_search, "nav.search"},
          {"POST", "/cari/cabut", 1, ROLE_OPERATOR, page_revoke_confirm, NULL},
          {"POST", "/cari/cabut/jalankan", 1, ROLE_OPERATOR, page_revoke_run, NULL},
          {"GET", "/peringatan", 1, SEARCH_ROLES, page_warn, "nav.warn"},
          {"POST", "/peringatan", 1, ROLE_OPERATOR, page_warn_post, NULL},
          {"GET", "/kunci", 1, ROLE_OPERATOR | ROLE_ADMIN, page_locked, "nav.locked"},
          {"POST", "/kunci/buka", 1, ROLE_OPERATOR | ROLE_ADMIN, page_unlock, NULL},
          {"GET", "/klien", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_clients,
           "nav.clients"},
          {"POST", "/klien/", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_clients_post, NULL},
          {"GET", "/pemberitahuan", 1, 0, page_notices, "nav.notices"}, );
