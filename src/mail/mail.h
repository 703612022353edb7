/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel mail: e-mail notices to applicants and agencies (submitted,
 * returned, rejected, approved, issued, expiring, revoked).
 *
 * A notice is a row in the store's mail_queue, written by mail_enqueue()
 * inside the transaction of the state change it reports, so it exists
 * exactly when that change committed.  mail_flush() later delivers due
 * rows over SMTP (RFC 5321) with libcurl and retries with exponential
 * backoff, so a mail outage delays notices but loses none.  Several nodes
 * may flush the same queue: a row is claimed with a compare-and-swap
 * UPDATE and a lease before it is sent.  docs/MAIL.md has the details.
 */
#ifndef SERTEL_MAIL_H
#define SERTEL_MAIL_H

#include <stdint.h>

#include "core/core.h"
#include "store/store.h"

/* RFC 5321 4.5.3.1.3: a path is at most 256 octets including "<>". */
#define MAIL_ADDR_MAX    254
#define MAIL_SUBJECT_MAX 200         /* bytes of UTF-8 */
#define MAIL_BODY_MAX    (64 * 1024) /* bytes of UTF-8 */
#define MAIL_KIND_MAX    32
#define MAIL_ERROR_MAX   400 /* last_error is cut to this many bytes */
/* Rows one mail_flush() call takes at most. */
#define MAIL_FLUSH_BATCH 50
/* Retry delay after the n-th failed attempt: 30 s * 2^(n-1), at most 1 h. */
#define MAIL_BACKOFF_BASE 30
#define MAIL_BACKOFF_MAX  3600

/* ---- configuration: sertel.conf [smtp] -------------------------------- */
enum mail_starttls {
	MAIL_STARTTLS_NONE,    /* plain SMTP only */
	MAIL_STARTTLS_TRY,     /* STARTTLS when offered (RFC 3207) */
	MAIL_STARTTLS_REQUIRED /* refuse to send without TLS */
};

struct mail_conf {
	int enabled; /* 0 when [smtp] host is absent: nothing is delivered */
	char host[256];
	int port;
	enum mail_starttls starttls;
	char helo[256];     /* EHLO name; "" lets libcurl pick */
	char ca_file[1024]; /* CA bundle for the relay's certificate; "" system */
	char username[256]; /* "" when the relay takes no AUTH */
	char password[256]; /* read from password_file; wiped by mail_conf_clear */
	char from[512];     /* as configured, e.g. "sertel <noreply@x.go.id>" */
	char from_addr[MAIL_ADDR_MAX + 1];
	char from_name[256]; /* UTF-8 display name, may be "" */
	int timeout_seconds;
	int max_attempts;
};

/* Reads [smtp] from cfg (cfg may be NULL: mail disabled).  Refuses a
 * "password" key (the password lives only in password_file, which must not
 * be world-readable) and credentials without starttls = required.  The
 * caller owns *out and calls mail_conf_clear() when done. */
int mail_conf_load(struct mail_conf *out, const struct config *cfg);
/* Wipes the password. */
void mail_conf_clear(struct mail_conf *c);

/* ---- checks ----------------------------------------------------------- */
/* 0 when addr is a plain addr-spec sertel will send to: dot-atom local
 * part (RFC 5322 3.4.1, 3.2.3) of at most 64 octets, a dotted LDH domain
 * (RFC 5321 4.1.2) of at most 255, ASCII only, no address literals, no
 * quoted local parts; SERTEL_EINVAL otherwise. */
int mail_addr_check(const char *addr);
/* 0 when s is valid UTF-8 (RFC 3629) without control characters; with
 * multiline, TAB, CR and LF are allowed.  SERTEL_EINVAL otherwise; what
 * names the field in the message. */
int mail_text_check(const char *s, int multiline, const char *what);

/* ---- the queue -------------------------------------------------------- */
/* Queues one notice: state 'queued', due now.  Call it inside the
 * transaction (store_begin or a store_atomic fn) of the state change it
 * reports, so the notice commits or rolls back with the change; outside a
 * transaction the INSERT commits on its own.  to must pass
 * mail_addr_check; subject (one line, <= MAIL_SUBJECT_MAX bytes) and body
 * (<= MAIL_BODY_MAX bytes) must be UTF-8; CR or LF in to or subject is
 * refused (header injection); kind is a token [a-z0-9_-]{1,32}, e.g.
 * "submitted", "issued". */
int mail_enqueue(struct store *st, const char *to, const char *subject, const char *body,
                 const char *kind);
/* The same, with the queued row's id (MAIL_ID_LEN hex digits) in id, for
 * a caller that follows the notice's delivery (mail_sent_at). */
#define MAIL_ID_LEN 32
int mail_enqueue_id(char id[MAIL_ID_LEN + 1], struct store *st, const char *to,
                    const char *subject, const char *body, const char *kind);
/* When notice id was delivered: *sent_at is the time of its delivery, or
 * 0 while it is still queued, sending or failed.  SERTEL_ENOTFOUND when
 * no row has that id. */
int mail_sent_at(struct store *st, const char *id, int64_t *sent_at);

/* Delivers at most MAIL_FLUSH_BATCH due rows (queued, or 'sending' with an
 * expired lease) and returns 0 unless the store failed.  *sent counts rows
 * delivered, *failed rows whose attempt failed (each then waits for its
 * backoff, or becomes 'failed' after max_attempts or a permanent 5xx
 * refusal of the recipient or content).  Either pointer may be NULL.
 * Must not be called inside a transaction; st is used in autocommit, so
 * give the flusher its own store connection. */
int mail_flush(struct store *st, const struct mail_conf *c, int *sent, int *failed);

/* Seconds to wait after the attempts-th failed attempt (attempts >= 1). */
int64_t mail_backoff(int64_t attempts);

/* One row of the queue, borrowed for the callback. */
struct mail_rec {
	const char *id;
	const char *to;
	const char *subject;
	const char *body;
	const char *kind;
	const char *state; /* queued, sending, sent, failed */
	int64_t attempts;
	int64_t next_attempt_at;
	const char *last_error; /* "" when none */
	int64_t created_at;
	int64_t sent_at; /* 0 until sent */
};
typedef int (*mail_iter_fn)(const struct mail_rec *rec, void *arg);
/* Calls cb for each row in state (NULL: all) oldest first; a non-zero cb
 * return stops the walk and is returned. */
int mail_list(struct store *st, const char *state, mail_iter_fn cb, void *arg);
/* The notices sent (or queued) to one address, newest first, a page at a
 * time (limit 1..200), with *total the number of them: the portal's
 * "notices I received".  The address is compared as stored (lower case
 * as the RA registers it). */
int mail_list_to(struct store *st, const char *to, int limit, int offset, int64_t *total,
                 mail_iter_fn cb, void *arg);
/* Puts a 'failed' row back in the queue with attempts 0, due now (for an
 * operator once the cause is fixed).  SERTEL_ENOTFOUND when no failed row
 * has that id. */
int mail_retry(struct store *st, const char *id);

/* ---- SMTP transport (smtp.c; libcurl lives only there) ----------------- */
struct mail_msg {
	const char *id; /* queue id: the Message-ID is <id@from-domain> */
	const char *to;
	const char *subject;
	const char *body;
	const char *kind;
	int64_t created_at; /* the Date: field */
};

/* The RFC 5322 message for m, CRLF line endings, 7bit or quoted-printable
 * body, RFC 2047 encoded-words for non-ASCII header text.  out is a
 * buf_init'ed buffer; its contents are the caller's. */
int mail_message_build(struct buf *out, const struct mail_conf *c,
                       const struct mail_msg *m);

/* An SMTP session: one connection reused across sends.  *out owned by the
 * caller (mail_smtp_close). */
struct mail_smtp;
int mail_smtp_open(struct mail_smtp **out, const struct mail_conf *c);
void mail_smtp_close(struct mail_smtp *s);
/* Sends one message.  On failure returns SERTEL_EIO with a one-line
 * reason in sertel_errmsg() and sets *permanent when the server refused
 * the recipient or the content with a 5xx reply (RFC 5321 4.2.1: the
 * client SHOULD NOT repeat the request). */
int mail_smtp_send(int *permanent, struct mail_smtp *s, const struct mail_msg *m);

#endif
