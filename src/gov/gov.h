/*
 * sertel gov: the Dinas's governance duties beyond issuing certificates
 * (issue 13, REQUIREMENTS.md section 6): needs and planning, the decree,
 * coverage of ASN and electronic systems, security incidents, complaints
 * and technical assistance, published guidance, and the annual evaluation
 * report.  Rules only: the CLI, the REST API and the portal call these
 * functions; every change is audited and role-checked here.
 *
 * The tables are in migration 24 (src/store/migrate.c) and the columns
 * documented there; each area below owns its file in src/gov/.
 */
#ifndef SERTEL_GOV_H
#define SERTEL_GOV_H

#include <stdint.h>

#include "ra/ra.h"

/* ---- coverage (coverage.c): Denpasar 8(3), Samarinda 8(3) ------------- */
/* An agency's ASN and how many of them hold a valid certificate.  The ASN
 * are the agency's imported staff list (gov_staff) or, where no list is
 * imported, the headcount entered (gov_headcounts) with the agency's
 * registered persons as the ones who may hold one.  A holder has an
 * individu or jabatan certificate valid at the moment asked: begun, not
 * expired, not revoked by then (so a past month is computed, not kept). */
struct gov_coverage {
	char agency_id[17]; /* "" for the region */
	int64_t headcount;
	int64_t holders;
};
/* One agency (agency_id) or the region (agency_id NULL: every agency's
 * figures summed). */
int gov_coverage_at(struct gov_coverage *out, struct store *st, const char *agency_id,
                    int64_t at);
/* Every agency at once, in the agencies' name order (one query). */
typedef int (*gov_coverage_fn)(const struct gov_coverage *c, void *arg);
int gov_coverage_iter(struct store *st, int64_t at, gov_coverage_fn cb, void *arg);

/* ---- the background work of every area (tick.c) ------------------------ */
/* Called by the server's notices thread after each delivery of the mail
 * queue (every [smtp] poll_seconds): each area does what is due (its own
 * interval) and returns.  Errors are logged there, never fatal. */
struct config;
int gov_tick(struct store *st, const struct config *cfg, int64_t now);

/* ---- complaints, technical assistance, guidance (ticket.c, guide.c) ------
 * Cirebon 20(3), 22; 3(1)h-i, 19.  A ticket is a person's report of a
 * problem (authentication, data authenticity, repudiation, signing) or a
 * complaint about an OP operator who failed their duty.  The Dinas (OP
 * operators, the Kepala Dinas) handles the first kind; a complaint about an
 * operator goes to that operator's superior and the Kepala Dinas only
 * (gov_ticket_may_read has the rule, applied on every path). */
#define GOV_TICKET_SUBJECT_MAX 200  /* characters */
#define GOV_TICKET_BODY_MAX    8000 /* bytes of a description or a reply */
#define GOV_TICKET_FILES       4    /* attachments at once */
#define GOV_TICKET_FILES_MAX   12   /* attachments of one ticket in all */
#define GOV_TICKET_FILE_MAX    (5 * 1024 * 1024)
#define GOV_TICKET_LIST_MAX    500 /* rows one list returns */

/* Categories: autentikasi, keaslian-data, penyangkalan, penandatanganan,
 * operator (names the operator: about_nik), lainnya. */
int gov_ticket_category_valid(const char *c);
/* States: open, in-progress, escalated, resolved, closed. */
int gov_ticket_state_valid(const char *s);

struct gov_ticket {
	char id[17];
	char category[24];
	char state[16];
	char subject[GOV_TICKET_SUBJECT_MAX * 4 + 1];
	char description[GOV_TICKET_BODY_MAX + 1];
	char person_nik[17];
	char about_nik[17];    /* the operator complained about, or "" */
	char superior_nik[17]; /* their superior when filed, or "" */
	char reason[512];      /* of the last change of state */
	int64_t created_at;
	int64_t escalated_at;
	int64_t resolved_at;
	int64_t closed_at;
	int64_t updated_at;
};

struct gov_ticket_new {
	const char *category;
	const char *subject;
	const char *description;
	const char *about_nik; /* category operator: the operator's NIK */
	const struct ra_file *files;
	int nfiles;
};
/* Filed by a registered person (not the auditor, who changes nothing; not
 * about themselves).  Notices: the Dinas's helpdesk ([governance]
 * helpdesk_to, else every OP operator); for a complaint about an operator
 * the operator's superior and the Kepala Dinas instead.  Audited
 * gov.ticket.open. */
int gov_ticket_open(struct gov_ticket *out, struct store *st, const struct config *cfg,
                    const struct ra_actor *who, const struct gov_ticket_new *t);
/* 1 when who may read t, 0 when not: the person who filed it, the
 * auditor, the Kepala Dinas, the admin; OP operators for every category
 * but operator; for operator, the operator's superior; never the operator
 * complained about. */
int gov_ticket_may_read(const struct ra_actor *who, const struct gov_ticket *t);
/* 1 when who handles t for the Dinas (replies as the Dinas, changes its
 * state, asks the issuer): as may_read, without the person and the auditor. */
int gov_ticket_may_handle(const struct ra_actor *who, const struct gov_ticket *t);
/* SERTEL_ENOTFOUND also when who may not read it (no existence leak). */
int gov_ticket_get(struct gov_ticket *out, struct store *st, const struct ra_actor *who,
                   const char *id);
struct gov_ticket_filter {
	const char *state; /* NULL: any */
	const char *q;     /* words in subject or description, NULL: none */
	int mine;          /* 1: filed by who; -1: not filed by who; 0: both */
};
/* The tickets who may read, newest first, at most GOV_TICKET_LIST_MAX. */
typedef int (*gov_ticket_fn)(const struct gov_ticket *t, void *arg);
int gov_ticket_iter(struct store *st, const struct ra_actor *who,
                    const struct gov_ticket_filter *f, gov_ticket_fn cb, void *arg);
/* A reply (the person on their own ticket, or a handler), with files;
 * not on a closed ticket.  The other side is told by mail. */
int gov_ticket_reply(struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id, const char *body,
                     const struct ra_file *files, int nfiles);
/* A change of state by the transition table in ticket.c (the person only
 * closes or reopens a resolved ticket); SERTEL_ESTATE naming the rule for
 * a refused one.  The person is told by mail. */
int gov_ticket_set_state(struct store *st, const struct config *cfg,
                         const struct ra_actor *who, const char *id, const char *state,
                         const char *reason);
/* The states who may move t to now, by the same table (for the forms that
 * offer them): at most max names into out; returns how many. */
int gov_ticket_moves(const char **out, int max, const struct ra_actor *who,
                     const struct gov_ticket *t);
/* The timeline: replies and changes of state in order (kind "reply" or
 * "state"); author_nik "" for the admin. */
struct gov_ticket_reply_info {
	int seq;
	int64_t at;
	const char *kind;
	const char *actor;
	const char *author_nik;
	const char *author_name;
	int from_person; /* written by the person who filed the ticket */
	const char *body;
};
typedef int (*gov_reply_fn)(const struct gov_ticket_reply_info *r, void *arg);
int gov_ticket_replies(struct store *st, const struct gov_ticket *t, gov_reply_fn cb,
                       void *arg);
struct gov_ticket_file_info {
	int idx;
	int reply_seq; /* 0: with the ticket */
	const char *filename;
	const char *mime;
	const char *sha256;
	int64_t size;
	int64_t created_at;
};
typedef int (*gov_file_fn)(const struct gov_ticket_file_info *f, void *arg);
int gov_ticket_files(struct store *st, const struct gov_ticket *t, gov_file_fn cb,
                     void *arg);
/* One attachment decrypted, for whoever may read the ticket (SERTEL_ENOTFOUND
 * otherwise); each read audited gov.ticket.file.  *out owned by caller. */
int gov_ticket_file_get(unsigned char **out, size_t *len, char mime[32],
                        char filename[256], struct store *st, const struct ra_actor *who,
                        const char *id, int idx);

/* Requests for the issuer's help (Cirebon 22(2)): sent by mail to
 * [governance] issuer_help_to by an OP operator, the Kepala Dinas or the
 * admin (for a ticket: whoever handles it), recorded with what was sent;
 * the ticket is escalated while an answer is awaited. */
#define GOV_HELP_BODY_MAX 8000
struct gov_help {
	char id[17];
	char ticket_id[17]; /* "" when standalone */
	char sent_to[256];
	char body[GOV_HELP_BODY_MAX + 1];
	char sent_by[96];
	int64_t sent_at;
	char answer[GOV_HELP_BODY_MAX + 1];
	char answered_by[96];
	int64_t answered_at; /* 0 while waiting */
};
int gov_help_request(struct gov_help *out, struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *ticket_id, const char *body);
/* Records the issuer's answer once (SERTEL_ESTATE when answered already);
 * the ticket leaves escalated when nothing else is awaited. */
int gov_help_answer(struct store *st, const struct ra_actor *who, const char *help_id,
                    const char *answer);
/* Requests of one ticket (ticket_id) or standalone ones (ticket_id ""),
 * oldest first; standalone ones for the Dinas and the auditor only. */
typedef int (*gov_help_fn)(const struct gov_help *h, void *arg);
int gov_help_iter(struct store *st, const struct ra_actor *who, const char *ticket_id,
                  gov_help_fn cb, void *arg);

/* Published guidance (guide.c; Cirebon 3(1)h-i, 19): kinds sop,
 * hak-kewajiban (the owner's rights and duties), pengaduan (the complaint
 * procedure); each version kept, never edited in place. */
#define GOV_GUIDE_TITLE_MAX 200
#define GOV_GUIDE_BODY_MAX  (64 * 1024)
int gov_guide_kind_valid(const char *kind);
struct gov_guide {
	char kind[24];
	int version;
	char title[GOV_GUIDE_TITLE_MAX * 4 + 1];
	char *body; /* owned (gov_guide_free); NULL from gov_guide_versions */
	char sha256[65];
	char published_by[96];
	int64_t published_at;
};
void gov_guide_free(struct gov_guide *g);
/* The Kepala Dinas (or the admin) publishes the next version of kind.
 * Audited gov.guide.publish with the version and its sha256. */
int gov_guide_publish(struct gov_guide *out, struct store *st, const struct ra_actor *who,
                      const char *kind, const char *title, const char *body,
                      const char *reason);
/* A version (0: the latest); SERTEL_ENOTFOUND when none. Public. */
int gov_guide_get(struct gov_guide *out, struct store *st, const char *kind, int version);
/* Every version of kind, newest first, without bodies. */
typedef int (*gov_guide_fn)(const struct gov_guide *g, void *arg);
int gov_guide_versions(struct store *st, const char *kind, gov_guide_fn cb, void *arg);
/* The body as blocks for a page: a paragraph (blank-line separated) or a
 * list item (a line starting "- "); text is borrowed for the call, its
 * line breaks kept.  Nothing is markup: the page escapes it. */
typedef int (*gov_guide_block_fn)(int item, const char *text, size_t len, void *arg);
int gov_guide_blocks(const char *body, gov_guide_block_fn cb, void *arg);

#endif
