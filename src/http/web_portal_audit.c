/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: the audit trail, read-only (auditors, the Kepala Dinas).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/web_portal.h"

/* ---- the audit trail (auditors, the Kepala Dinas) -------------------------- */
#define AUDIT_PAGE 100

struct audit_rows {
	json_t *arr;
	int n;
	int64_t last_seq;
};

static int
audit_row(const struct audit_entry *e, void *arg)
{
	struct audit_rows *a = arg;
	char when[32], local[32], shown[48];

	/* The datetime attribute in UTC; shown to the second in the
	 * instance's zone, like every other time on the portal:
	 * "2026-12-06 21:32:45 WIB". */
	time_fmt(when, e->ts_us / 1000000);
	time_fmt(local, e->ts_us / 1000000 + wp_conf()->tz.offset);
	if (strlen(local) >= 19)
		local[19] = '\0';
	if (local[0] != '\0')
		local[10] = ' ';
	snprintf(shown, sizeof(shown), "%s %s", local, wp_conf()->tz.name);
	json_array_append_new(a->arr,
	                      json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
	                                (json_int_t)e->seq, "time", when, "shown", shown,
	                                "actor", e->actor, "action", e->action, "object",
	                                e->object, "reason", e->reason));
	a->n++;
	a->last_seq = e->seq;
	return 0;
}

/* A date filter "YYYY-MM-DD" into microseconds (0 when empty); end: the
 * day after. */
static int
audit_date(int64_t *out, const char *v, int end)
{
	int64_t t;

	*out = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) != 10 || time_parse(&t, v) < 0)
		return SERTEL_EINVAL;
	/* A day in the instance's zone, as the times are shown. */
	*out = (t - wp_conf()->tz.offset + (end ? 86400 : 0)) * 1000000;
	return 0;
}

static int
page_audit(struct page *pg)
{
	static const char *const fields[] = {"dari", "sampai", "pelaku", "tindakan",
	                                     "objek"};
	struct audit_rows rows = {json_array(), 0, 0};
	struct audit_filter f;
	const char *v, *before = http_query(pg->r, "sebelum");
	long long bs = 0;
	json_t *filter = json_object();
	struct buf more;
	size_t i;
	int rc;

	memset(&f, 0, sizeof(f));
	f.limit = AUDIT_PAGE;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = http_query(pg->r, fields[i]);
		json_object_set_new(filter, fields[i], json_string(v ? v : ""));
	}
	json_object_set_new(pg->ctx, "filter", filter);
	if (audit_date(&f.since_us, http_query(pg->r, "dari"), 0) < 0 ||
	    audit_date(&f.until_us, http_query(pg->r, "sampai"), 1) < 0) {
		json_decref(rows.arr);
		json_object_set_new(pg->ctx, "date_error", json_true());
		json_object_set_new(pg->ctx, "entries", json_array());
		return wp_render(pg, 400, "audit", "audit.title");
	}
	if (before != NULL && parse_ll(&bs, before, 1, INT64_MAX) == 0)
		f.before_seq = bs;
	f.actor = http_query(pg->r, "pelaku");
	f.action = http_query(pg->r, "tindakan");
	f.object = http_query(pg->r, "objek");
	if ((rc = audit_query(pg->r->st, &f, audit_row, &rows)) < 0) {
		json_decref(rows.arr);
		log_msg(LOG_ERROR, "portal: audit: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "entries", rows.arr);
	json_object_set_new(pg->ctx, "has_entries", json_boolean(rows.n > 0));
	if (rows.n == AUDIT_PAGE && rows.last_seq > 1) {
		/* The same filters, one page older. */
		buf_init(&more, 2048);
		buf_appendf(&more, "sebelum=%lld", (long long)rows.last_seq);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			v = http_query(pg->r, fields[i]);
			if (v == NULL || *v == '\0')
				continue;
			buf_appendf(&more, "&%s=", fields[i]);
			web_url_encode(&more, v);
		}
		if (buf_cstr(&more) == 0)
			json_object_set_new(pg->ctx, "older",
			                    json_string((char *)more.data));
		buf_free(&more);
	}
	return wp_render(pg, 200, "audit", "audit.title");
}

static int
page_audit_verify(struct page *pg)
{
	int64_t bad = 0, count = 0;
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	rc = audit_verify(pg->r->st, &bad, &count);
	if (rc < 0 && rc != SERTEL_EINVALID) {
		log_msg(LOG_ERROR, "portal: audit verify: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "verified",
	                    json_pack("{s:b, s:I, s:I, s:s}", "ok", rc == 0, "count",
	                              (json_int_t)count, "bad_seq", (json_int_t)bad,
	                              "detail", rc == 0 ? "" : sertel_errmsg()));
	return page_audit(pg);
}

WP_ROUTES(wp_routes_audit,
          {"GET", "/audit", 1, ROLE_AUDITOR | ROLE_KEPALA_DINAS | ROLE_ADMIN, page_audit,
           "nav.audit"},
          {"POST", "/audit/verifikasi", 1, ROLE_AUDITOR | ROLE_KEPALA_DINAS | ROLE_ADMIN,
           page_audit_verify, NULL}, );
