/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The region's ASN per agency (Denpasar 8(3), Samarinda 8(3)): the
 * headcount entered by hand, or the staff list imported from the staffing
 * system's CSV export.  An import is all or nothing: every bad row is
 * reported with its line number and the store is left as it was.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "pki/pki.h"

#define FIELD_MAX  512 /* bytes of one CSV field */
#define NAME_CHARS 128 /* characters of a name or position */
#define REASON_MAX 2048
#define CSV_COLS   5

enum staff_col { COL_NIK, COL_NIP, COL_NAME, COL_AGENCY, COL_POSITION };

/* The header names each column is known by (any case). */
static const char *const col_names[CSV_COLS][3] = {
    {"nik", NULL, NULL},           {"nip", NULL, NULL},
    {"nama", "name", NULL},        {"perangkat daerah", "agency", "unit kerja"},
    {"jabatan", "position", NULL},
};

struct staff_row {
	char nik[17];
	char nip[19];
	char *name;
	char *position;
	int agency; /* index into the agencies read */
	long line;
};

struct staff_import {
	struct gov_staff_result *out;
	const struct ra_actor *who;
	const char *reason;
	struct ra_agency *ag; /* every agency */
	size_t nag, capag;
	unsigned char *in_file; /* per agency: named by a row */
	struct staff_row *rows;
	size_t nrows, caprows;
	size_t *hash; /* open addressing on NIK: row index + 1, 0 empty */
	size_t hashsz;
	int64_t now;
};

/* ---- the CSV reader (RFC 4180, comma or semicolon) ---------------------- */
struct csv {
	const char *p, *end;
	char sep;
	long line; /* of the next character */
};

/* Reads one field into out (NUL-terminated).  *eol is set when the record
 * ended after it.  Returns 0, or SERTEL_EINVAL / SERTEL_ETOOBIG with a
 * message naming the problem (the caller adds the line). */
static int
csv_field(struct csv *c, char *out, size_t outsz, int *eol)
{
	size_t n = 0;
	int quoted = 0, toolong = 0;

	*eol = 0;
	/* Leading blanks of an unquoted field are not part of it. */
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	if (c->p < c->end && *c->p == '"') {
		quoted = 1;
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return sertel_err(SERTEL_EINVAL,
				                  "a quoted field is not closed");
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p++;
				} else {
					c->p++;
					break;
				}
			}
			if (*c->p == '\n')
				c->line++;
			if (n + 1 < outsz)
				out[n++] = *c->p;
			else
				toolong = 1;
			c->p++;
		}
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
			c->p++;
	} else {
		while (c->p < c->end && *c->p != c->sep && *c->p != '\n' &&
		       *c->p != '\r') {
			if (*c->p == '"')
				return sertel_err(SERTEL_EINVAL,
				                  "a quote inside an unquoted field");
			if (n + 1 < outsz)
				out[n++] = *c->p;
			else
				toolong = 1;
			c->p++;
		}
		while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
			n--;
	}
	out[n] = '\0';
	if (c->p >= c->end) {
		*eol = 1;
	} else if (*c->p == c->sep) {
		c->p++;
	} else if (*c->p == '\r' || *c->p == '\n') {
		if (*c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		*eol = 1;
	} else if (quoted) {
		return sertel_err(SERTEL_EINVAL, "text after a closing quote");
	}
	if (toolong)
		return sertel_err(SERTEL_ETOOBIG, "a field is longer than %d bytes",
		                  FIELD_MAX - 1);
	return 0;
}

/* Skips to the start of the next record (after a bad field). */
static void
csv_skip_record(struct csv *c)
{
	int quoted = 0;

	while (c->p < c->end) {
		char ch = *c->p++;

		if (ch == '"')
			quoted = !quoted;
		else if (ch == '\n') {
			c->line++;
			if (!quoted)
				return;
		}
	}
}

/* ---- checks ------------------------------------------------------------- */
static void
row_error(struct gov_staff_result *out, long line, const char *fmt, const char *detail)
{
	if (out->nerrors < GOV_STAFF_ERRORS) {
		out->errors[out->nerrors].line = line;
		snprintf(out->errors[out->nerrors].reason,
		         sizeof(out->errors[out->nerrors].reason), fmt, detail);
	}
	out->nerrors++;
}

static size_t
nik_hash(const char *nik, size_t sz)
{
	size_t h = 5381;

	while (*nik)
		h = h * 33 + (unsigned char)*nik++;
	return h & (sz - 1);
}

/* The row index + 1 of nik in the file, or 0 (and where it would go). */
static size_t
nik_find(const struct staff_import *w, const char *nik, size_t *slot)
{
	size_t i = nik_hash(nik, w->hashsz);

	while (w->hash[i] != 0) {
		if (strcmp(w->rows[w->hash[i] - 1].nik, nik) == 0)
			break;
		i = (i + 1) & (w->hashsz - 1);
	}
	*slot = i;
	return w->hash[i];
}

static int
agency_collect(const struct ra_agency *a, void *arg)
{
	struct staff_import *w = arg;

	if (w->nag == w->capag) {
		size_t cap = w->capag ? w->capag * 2 : 64;
		struct ra_agency *n = realloc(w->ag, cap * sizeof(*n));

		if (n == NULL)
			return sertel_err(SERTEL_ENOMEM, "staff import: out of memory");
		w->ag = n;
		w->capag = cap;
	}
	w->ag[w->nag++] = *a;
	return 0;
}

static int
agency_find(const struct staff_import *w, const char *id_or_name)
{
	size_t i;

	for (i = 0; i < w->nag; i++)
		if (strcmp(w->ag[i].id, id_or_name) == 0 ||
		    strcmp(w->ag[i].name, id_or_name) == 0)
			return (int)i;
	return -1;
}

/* Which column of the file holds each field; -1 when absent. */
static int
header_read(struct csv *c, int map[CSV_COLS], struct gov_staff_result *out)
{
	char f[FIELD_MAX];
	int col = 0, eol = 0, i, k, rc;
	const char *q;

	for (i = 0; i < CSV_COLS; i++)
		map[i] = -1;
	/* An optional UTF-8 byte order mark (spreadsheet exports). */
	if (c->end - c->p >= 3 && memcmp(c->p, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
	/* The separator: the first comma or semicolon of the header line. */
	c->sep = ',';
	for (q = c->p; q < c->end && *q != '\n'; q++)
		if (*q == ',' || *q == ';') {
			c->sep = *q;
			break;
		}
	while (!eol) {
		if ((rc = csv_field(c, f, sizeof(f), &eol)) < 0) {
			row_error(out, 1, "header: %s", sertel_errmsg());
			return SERTEL_EINVAL;
		}
		for (i = 0; i < CSV_COLS; i++)
			for (k = 0; k < 3 && col_names[i][k] != NULL; k++)
				if (strcasecmp(f, col_names[i][k]) == 0)
					map[i] = col;
		col++;
	}
	for (i = 0; i < CSV_COLS; i++)
		if (map[i] < 0) {
			row_error(out, 1,
			          "header: column %s missing (expected NIK, NIP, Nama, "
			          "Perangkat Daerah, Jabatan)",
			          col_names[i][0]);
			return SERTEL_EINVAL;
		}
	return 0;
}

/* Reads, checks and keeps one data row; bad rows are reported. */
static int
row_read(struct staff_import *w, struct csv *c, const int map[CSV_COLS])
{
	char f[CSV_COLS][FIELD_MAX], tmp[FIELD_MAX];
	long line = c->line;
	int col = 0, eol = 0, i, rc, ag, bad = 0, any = 0;
	struct staff_row *r;
	size_t slot, dup;

	for (i = 0; i < CSV_COLS; i++)
		f[i][0] = '\0';
	while (!eol) {
		char *dst = tmp;

		for (i = 0; i < CSV_COLS; i++)
			if (map[i] == col)
				dst = f[i];
		rc = csv_field(c, dst, FIELD_MAX, &eol);
		col++;
		if (rc == SERTEL_EINVAL) {
			row_error(w->out, line, "%.190s", sertel_errmsg());
			csv_skip_record(c);
			bad = any = 1;
			break;
		}
		if (rc < 0 && !bad) /* too long: reported once, the row read on */
			row_error(w->out, line, "%.190s", sertel_errmsg());
		if (rc < 0)
			bad = 1;
		if (dst[0] != '\0')
			any = 1;
	}
	if (!any)
		return 0; /* an empty line */
	w->out->rows++;
	if (w->out->rows > GOV_STAFF_ROWS_MAX)
		return sertel_err(SERTEL_ETOOBIG, "staff CSV: more than %d rows",
		                  GOV_STAFF_ROWS_MAX);
	if (bad)
		return 0;
	if (f[COL_NIK][0] == '\0' || f[COL_NAME][0] == '\0' || f[COL_AGENCY][0] == '\0') {
		row_error(w->out, line, "field %s missing",
		          f[COL_NIK][0] == '\0'    ? "NIK"
		          : f[COL_NAME][0] == '\0' ? "Nama"
		                                   : "Perangkat Daerah");
		return 0;
	}
	if (identity_check(f[COL_NIK], f[COL_NIP]) < 0) {
		row_error(w->out, line, "%.190s", sertel_errmsg());
		return 0;
	}
	if (name_check_text("Nama", f[COL_NAME], NAME_CHARS) < 0 ||
	    (f[COL_POSITION][0] != '\0' &&
	     name_check_text("Jabatan", f[COL_POSITION], NAME_CHARS) < 0)) {
		row_error(w->out, line, "%.190s", sertel_errmsg());
		return 0;
	}
	if ((ag = agency_find(w, f[COL_AGENCY])) < 0) {
		row_error(w->out, line, "unknown agency (Perangkat Daerah) '%.120s'",
		          f[COL_AGENCY]);
		return 0;
	}
	if ((dup = nik_find(w, f[COL_NIK], &slot)) != 0) {
		char first[24];

		snprintf(first, sizeof(first), "%ld", w->rows[dup - 1].line);
		row_error(w->out, line, "duplicate NIK in the file (first on line %s)",
		          first);
		return 0;
	}
	if (w->nrows == w->caprows) {
		size_t cap = w->caprows ? w->caprows * 2 : 256;
		struct staff_row *n = realloc(w->rows, cap * sizeof(*n));

		if (n == NULL)
			return sertel_err(SERTEL_ENOMEM, "staff import: out of memory");
		w->rows = n;
		w->caprows = cap;
	}
	r = &w->rows[w->nrows];
	memset(r, 0, sizeof(*r));
	str_copy(r->nik, sizeof(r->nik), f[COL_NIK]);
	str_copy(r->nip, sizeof(r->nip), f[COL_NIP]);
	r->name = strdup(f[COL_NAME]);
	r->position = strdup(f[COL_POSITION]);
	if (r->name == NULL || r->position == NULL) {
		free(r->name);
		free(r->position);
		return sertel_err(SERTEL_ENOMEM, "staff import: out of memory");
	}
	r->agency = ag;
	r->line = line;
	w->nrows++;
	w->hash[slot] = w->nrows;
	w->in_file[ag] = 1;
	return 0;
}

/* ---- the transaction ---------------------------------------------------- */
static int
import_fn(struct store *st, void *arg)
{
	struct staff_import *w = arg;
	struct gov_staff_result *out = w->out;
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	char detail[REASON_MAX + 160];
	size_t i, slot, hit;
	int64_t n;
	int rc;

	/* The counts: what the store holds now against the file. */
	if ((rc = db_prepare(&s, db,
	                     "SELECT nik, COALESCE(nip, ''), name, agency_id, position "
	                     "FROM gov_staff")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		const char *nik = db_col_text(s, 0);
		int ag = agency_find(w, db_col_text(s, 3));

		hit = nik_find(w, nik, &slot);
		if (hit == 0) {
			if (ag >= 0 && w->in_file[ag])
				out->removed++;
			continue;
		}
		{
			const struct staff_row *r = &w->rows[hit - 1];

			if (strcmp(r->nip, db_col_text(s, 1)) == 0 &&
			    strcmp(r->name, db_col_text(s, 2)) == 0 && ag == r->agency &&
			    strcmp(r->position, db_col_text(s, 4)) == 0)
				out->unchanged++;
			else
				out->changed++;
		}
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	out->added = (int64_t)w->nrows - out->changed - out->unchanged;
	/* The file is each named agency's whole list: replace those lists.  A
	 * person the file moves from another agency is taken over by the
	 * upsert. */
	for (i = 0; i < w->nag; i++) {
		if (!w->in_file[i])
			continue;
		out->agencies++;
		if ((n = db_run(db, "DELETE FROM gov_staff WHERE agency_id = ?", "s",
		                w->ag[i].id)) < 0)
			return (int)n;
	}
	for (i = 0; i < w->nrows; i++) {
		const struct staff_row *r = &w->rows[i];

		n = db_run(
		    db,
		    "INSERT INTO gov_staff (nik, nip, name, agency_id, position, "
		    "imported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nik) DO "
		    "UPDATE SET nip = excluded.nip, name = excluded.name, "
		    "agency_id = excluded.agency_id, position = excluded.position, "
		    "imported_at = excluded.imported_at",
		    "sssssi", r->nik, r->nip[0] ? r->nip : NULL, r->name,
		    w->ag[r->agency].id, r->position, w->now);
		if (n < 0)
			return (int)n;
	}
	/* Counts only: the trail never carries the staff's NIKs. */
	snprintf(detail, sizeof(detail),
	         "rows=%lld agencies=%d added=%lld removed=%lld changed=%lld: %s",
	         (long long)out->rows, out->agencies, (long long)out->added,
	         (long long)out->removed, (long long)out->changed, w->reason);
	return audit_append(st, w->who->label, "gov.cover.import", "gov_staff", detail);
}

int
gov_reason_check(const char *reason)
{
	if (reason == NULL || reason[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "a reason is required (the audit trail "
		                                 "records why)");
	return name_check_text("reason", reason, 500);
}

int
gov_staff_import(struct gov_staff_result *out, struct store *st,
                 const struct ra_actor *who, const char *csv, size_t len, size_t max,
                 const char *reason)
{
	struct staff_import w;
	struct csv c;
	int map[CSV_COLS], rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (!(who->roles & (ROLE_KEPALA_DINAS | ROLE_OPERATOR | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: the staff list is imported by the Kepala Dinas or "
		                  "an OP operator (Denpasar 8(3))",
		                  who->label);
	if ((rc = gov_reason_check(reason)) < 0)
		return rc;
	if (max == 0)
		max = GOV_STAFF_CSV_MAX;
	if (len > max)
		return sertel_err(SERTEL_ETOOBIG, "staff CSV: %zu bytes, more than %zu",
		                  len, max);
	w.out = out;
	w.who = who;
	w.reason = reason;
	w.now = time_now();
	/* A table twice the largest file, a power of two. */
	for (w.hashsz = 1024; w.hashsz < 2 * GOV_STAFF_ROWS_MAX && w.hashsz < 2 * len;)
		w.hashsz *= 2;
	if ((rc = ra_agency_iter(st, agency_collect, &w)) < 0)
		goto out;
	w.hash = calloc(w.hashsz, sizeof(*w.hash));
	w.in_file = calloc(w.nag + 1, 1);
	if (w.hash == NULL || w.in_file == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "staff import: out of memory");
		goto out;
	}
	c.p = csv;
	c.end = csv + len;
	c.line = 1;
	if (len == 0 || header_read(&c, map, out) < 0) {
		if (out->nerrors == 0)
			row_error(out, 1, "%s",
			          "the file is empty (a header row is required)");
		rc = SERTEL_EINVAL;
		goto bad;
	}
	while (c.p < c.end)
		if ((rc = row_read(&w, &c, map)) < 0)
			goto out;
	if (out->nerrors > 0) {
		rc = SERTEL_EINVAL;
		goto bad;
	}
	if (w.nrows == 0) {
		row_error(out, 2, "%s", "no data rows");
		rc = SERTEL_EINVAL;
		goto bad;
	}
	rc = store_atomic(st, import_fn, &w);
	if (rc < 0) {
		/* Nothing was imported: the counts of a rolled-back try go. */
		int64_t rows = out->rows;

		memset(out, 0, sizeof(*out));
		out->rows = rows;
	}
	goto out;
bad:
	sertel_err(SERTEL_EINVAL,
	           "staff CSV: %d bad row%s, nothing imported (line %ld: %s)",
	           out->nerrors, out->nerrors == 1 ? "" : "s", out->errors[0].line,
	           out->errors[0].reason);
out:
	for (i = 0; i < w.nrows; i++) {
		free(w.rows[i].name);
		free(w.rows[i].position);
	}
	free(w.rows);
	free(w.hash);
	free(w.in_file);
	free(w.ag);
	return rc;
}

/* ---- the headcount entered ---------------------------------------------- */
struct headcount_set {
	const struct ra_actor *who;
	const char *agency_id;
	int64_t n;
	const char *reason;
};

static int
headcount_fn(struct store *st, void *arg)
{
	struct headcount_set *w = arg;
	char obj[64], detail[REASON_MAX + 64], was[32] = "";
	int64_t n;

	if (db_get_text(store_db(st), was, sizeof(was),
	                "SELECT n FROM gov_headcounts WHERE agency_id = ?",
	                w->agency_id) < 0)
		return SERTEL_ESTORE;
	n = db_run(store_db(st),
	           "INSERT INTO gov_headcounts (agency_id, n, updated_by, updated_at) "
	           "VALUES (?, ?, ?, ?) ON CONFLICT (agency_id) DO UPDATE SET "
	           "n = excluded.n, updated_by = excluded.updated_by, "
	           "updated_at = excluded.updated_at",
	           "sisi", w->agency_id, w->n, w->who->label, time_now());
	if (n < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "agency:%s", w->agency_id);
	snprintf(detail, sizeof(detail), "n=%lld (was %s): %s", (long long)w->n,
	         was[0] ? was : "none", w->reason);
	return audit_append(st, w->who->label, "gov.cover.headcount", obj, detail);
}

int
gov_headcount_set(struct store *st, const struct ra_actor *who, const char *agency_id,
                  int64_t n, const char *reason)
{
	struct headcount_set w = {who, NULL, n, reason};
	struct ra_agency ag;
	int rc;

	if (agency_id == NULL ||
	    (rc = ra_agency_get(&ag, st, agency_id)) == SERTEL_ENOTFOUND)
		return sertel_err(SERTEL_EINVAL, "agency '%s': no such agency",
		                  agency_id ? agency_id : "");
	if (rc < 0)
		return rc;
	if ((rc = gov_cover_access(st, who, ag.id, 1)) < 0)
		return rc;
	if (n < 0 || n > GOV_HEADCOUNT_MAX)
		return sertel_err(SERTEL_EINVAL, "headcount %lld: must be 0 to %d",
		                  (long long)n, GOV_HEADCOUNT_MAX);
	if ((rc = gov_reason_check(reason)) < 0)
		return rc;
	w.agency_id = ag.id;
	return store_atomic(st, headcount_fn, &w);
}
