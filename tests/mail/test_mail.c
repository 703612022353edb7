/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mail queue against a real SMTP server on loopback: Debian's
 * aiosmtpd (python3-aiosmtpd), started by each test on a free port with
 * its Mailbox handler writing a maildir, and killed at the end.  Python's
 * email package, not sertel, decodes what arrived.  Runs on SQLite and on
 * PostgreSQL (test_mail.sqlite, test_mail.pg).
 *
 * Proves: notices commit with the caller's transaction; three notices
 * arrive with the right headers and UTF-8 bodies; a server outage leaves
 * rows queued with backoff and they are delivered exactly once when it
 * returns; two flushers on two connections never send a message twice; a
 * crashed sender's lease is taken over; 5xx refusals of a recipient fail
 * at once, 4xx ones are retried, max_attempts ends in 'failed';
 * STARTTLS required against a server without TLS fails cleanly, and works
 * against one with TLS and a trusted certificate only; header injection,
 * bad addresses, bad UTF-8 and oversize input are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include "fixture.h"

#include "mail/mail.h"

#define FROM_NAME "Sertel Kota Palembang"
#define FROM_ADDR "noreply@palembang.go.id"

/* ---- per-test context ----------------------------------------------- */
static struct {
	char dir[64];      /* temp dir of the test */
	char maildir[128]; /* what aiosmtpd writes */
	int port;
	pid_t smtpd;
	struct mail_conf conf;
} T;

static const char *python;

/* Runs argv, output to /dev/null unless verbose; returns the exit status
 * or -1. */
static int
run(char *const argv[], int verbose)
{
	pid_t pid;
	int status, fd;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if (!verbose && (fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Debian's aiosmtpd lives with /usr/bin/python3, which may not be first
 * on PATH. */
static const char *
find_python(void)
{
	static const char *cands[] = {NULL, "/usr/bin/python3", "python3"};
	size_t i;

	cands[0] = getenv("SERTEL_TEST_PYTHON");
	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		char *argv[] = {(char *)cands[i], "-c", "import aiosmtpd", NULL};

		if (cands[i] != NULL && run(argv, 0) == 0)
			return cands[i];
	}
	return NULL;
}

static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* 1 once something on the port greets with 220 (RFC 5321 4.2). */
static int
smtp_greets(int port)
{
	struct sockaddr_in a;
	struct timeval tv = {2, 0};
	char b[4] = {0};
	int fd, ok = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && read(fd, b, 3) == 3 &&
	    memcmp(b, "220", 3) == 0)
		ok = 1;
	close(fd);
	return ok;
}

/* A refusing server for the 4xx/5xx test: aiosmtpd with a handler that
 * refuses RCPT for tolak@* (550) and nanti@* (451). */
static const char refusing_server[] =
    "import sys, asyncio\n"
    "from aiosmtpd.smtp import SMTP\n"
    "from aiosmtpd.handlers import Mailbox\n"
    "class H(Mailbox):\n"
    "    async def handle_RCPT(self, server, session, envelope, address, opts):\n"
    "        if address.startswith('tolak@'):\n"
    "            return '550 5.1.1 <%s>: mailbox unavailable' % address\n"
    "        if address.startswith('nanti@'):\n"
    "            return '451 4.3.0 try again later'\n"
    "        envelope.rcpt_tos.append(address)\n"
    "        return '250 OK'\n"
    "loop = asyncio.new_event_loop()\n"
    "loop.run_until_complete(loop.create_server(\n"
    "    lambda: SMTP(H(sys.argv[2])), '127.0.0.1', int(sys.argv[1])))\n"
    "loop.run_forever()\n";

enum smtpd_kind { SMTPD_PLAIN, SMTPD_STARTTLS, SMTPD_REFUSING };

/* Starts aiosmtpd on T.port writing T.maildir; waits for its greeting. */
static void
smtpd_start(enum smtpd_kind kind)
{
	char listen[64], port[16], cert[128], key[128], log[128];
	pid_t pid;
	int i, fd;

	assert_int_equal(T.smtpd, 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", T.port);
	snprintf(port, sizeof(port), "%d", T.port);
	snprintf(cert, sizeof(cert), "%s/smtpd.crt", T.dir);
	snprintf(key, sizeof(key), "%s/smtpd.key", T.dir);
	snprintf(log, sizeof(log), "%s/smtpd.log", T.dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Dies with the test binary even if it crashes. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (kind == SMTPD_REFUSING)
			execl(python, python, "-c", refusing_server, port, T.maildir,
			      (char *)NULL);
		else if (kind == SMTPD_STARTTLS)
			execl(python, python, "-m", "aiosmtpd", "-n", "-l", listen,
			      "--tlscert", cert, "--tlskey", key, "-c",
			      "aiosmtpd.handlers.Mailbox", T.maildir, (char *)NULL);
		else
			execl(python, python, "-m", "aiosmtpd", "-n", "-l", listen, "-c",
			      "aiosmtpd.handlers.Mailbox", T.maildir, (char *)NULL);
		_exit(127);
	}
	T.smtpd = pid;
	for (i = 0; i < 200; i++) {
		if (smtp_greets(T.port))
			return;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			T.smtpd = 0;
			fail_msg("aiosmtpd exited at start; see %s", log);
		}
		usleep(50000);
	}
	fail_msg("aiosmtpd did not greet on port %d within 10 s; see %s", T.port, log);
}

static void
smtpd_stop(void)
{
	int i;

	if (T.smtpd <= 0)
		return;
	kill(T.smtpd, SIGTERM);
	for (i = 0; i < 50; i++) {
		if (waitpid(T.smtpd, NULL, WNOHANG) == T.smtpd)
			break;
		usleep(100000);
	}
	if (i == 50) {
		kill(T.smtpd, SIGKILL);
		waitpid(T.smtpd, NULL, 0);
	}
	T.smtpd = 0;
}

/* Writes sertel.conf with [smtp] pointing at T.port plus extra lines and
 * loads it through config_load and mail_conf_load, as the server would.
 * Returns mail_conf_load's result. */
static int
conf_try(struct mail_conf *out, const char *extra)
{
	char path[128], text[2048];
	struct config *cfg = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/sertel.conf", T.dir);
	snprintf(text, sizeof(text), "[server]\nlisten = 127.0.0.1:0\n\n[smtp]\n%s\n",
	         extra);
	assert_int_equal(file_write(path, text, strlen(text), 0600), 0);
	if (config_load(&cfg, path) < 0)
		fail_msg("config_load: %s", sertel_errmsg());
	rc = mail_conf_load(out, cfg);
	config_free(cfg);
	return rc;
}

static void
conf_make(const char *extra)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "host = 127.0.0.1\nport = %d\nfrom = " FROM_NAME " <" FROM_ADDR ">\n"
	         "timeout_seconds = 5\n%s",
	         T.port, extra);
	mail_conf_clear(&T.conf);
	if (conf_try(&T.conf, text) < 0)
		fail_msg("mail_conf_load: %s", sertel_errmsg());
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int
mail_setup(void **state)
{
	if (fixture_store_setup(state) < 0)
		return -1;
	memset(&T, 0, sizeof(T));
	snprintf(T.dir, sizeof(T.dir), "/tmp/sertel-mail-XXXXXX");
	if (mkdtemp(T.dir) == NULL)
		return -1;
	snprintf(T.maildir, sizeof(T.maildir), "%s/maildir", T.dir);
	T.port = free_port();
	conf_make("");
	return 0;
}

static int
mail_teardown(void **state)
{
	smtpd_stop();
	mail_conf_clear(&T.conf);
	nftw(T.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return fixture_store_teardown(state);
}

/* ---- looking at what arrived ------------------------------------------ */
/* Copies of the message whose Message-ID is <id@...> in the maildir;
 * *total gets the number of messages. */
static int
maildir_count(const char *id, int *total)
{
	static const char *sub[] = {"new", "cur"};
	char path[512], needle[64];
	struct dirent *e;
	unsigned char *data;
	size_t len, i;
	int n = 0, all = 0;
	DIR *d;

	snprintf(needle, sizeof(needle), "\nMessage-ID: <%s@", id ? id : "");
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", T.maildir, sub[i]);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", T.maildir, sub[i],
			         e->d_name);
			assert_int_equal(file_read(&data, &len, path, 1 << 20), 0);
			all++;
			if (id != NULL && strstr((char *)data, needle) != NULL)
				n++;
			free(data);
		}
		closedir(d);
	}
	if (total != NULL)
		*total = all;
	return n;
}

/* Python's email package judges one delivered message. */
static const char check_script[] =
    "import sys, mailbox, email, email.policy, email.utils\n"
    "md, mid, to, subj, body, kind = sys.argv[1:7]\n"
    "frm_name, frm_addr = sys.argv[7:9]\n"
    "box = mailbox.Maildir(md, create=False)\n"
    "hits = []\n"
    "for key in box.keys():\n"
    "    raw = box.get_bytes(key)\n"
    "    m = email.message_from_bytes(raw, policy=email.policy.default)\n"
    "    if str(m.get('Message-ID', '')).startswith('<' + mid + '@'):\n"
    "        hits.append((m, raw))\n"
    "if len(hits) != 1:\n"
    "    print('mail_check: %d copies of %s' % (len(hits), mid)); sys.exit(1)\n"
    "m, raw = hits[0]\n"
    "errs = []\n"
    "def want(what, got, exp):\n"
    "    if got != exp: errs.append('%s: got %r, want %r' % (what, got, exp))\n"
    "want('To', str(m['To']), to)\n"
    "want('Subject', str(m['Subject']), subj)\n"
    "want('From name', m['From'].addresses[0].display_name, frm_name)\n"
    "want('From addr', m['From'].addresses[0].addr_spec, frm_addr)\n"
    "want('envelope sender', str(m['X-MailFrom']), frm_addr)\n"
    "want('envelope recipient', str(m['X-RcptTo']), to)\n"
    "want('MIME-Version', str(m['MIME-Version']), '1.0')\n"
    "want('Content-Type', m.get_content_type(), 'text/plain')\n"
    "want('charset', m.get_content_charset(), 'utf-8')\n"
    "want('Auto-Submitted', str(m['Auto-Submitted']), 'auto-generated')\n"
    "want('X-Sertel-Kind', str(m['X-Sertel-Kind']), kind)\n"
    "want('Message-ID', str(m['Message-ID']), '<%s@%s>' % (mid, "
    "frm_addr.split('@')[1]))\n"
    "try:\n"
    "    email.utils.parsedate_to_datetime(str(m['Date']))\n"
    "except Exception as e:\n"
    "    errs.append('Date %r: %s' % (str(m['Date']), e))\n"
    "norm = lambda s: s.replace('\\r\\n', '\\n').replace('\\r', '\\n').rstrip('\\n')\n"
    "want('body', norm(m.get_content()), norm(body))\n"
    "head = raw.replace(b'\\r\\n', b'\\n').split(b'\\n\\n', 1)[0]\n"
    "for line in head.split(b'\\n'):\n"
    "    if len(line) > 78: errs.append('header line over 78: %r' % line)\n"
    "for line in raw.replace(b'\\r\\n', b'\\n').split(b'\\n'):\n"
    "    if len(line) > 998: errs.append('line over 998 octets')\n"
    "if any(b > 127 for b in raw): errs.append('8-bit octets on the wire')\n"
    "for e in errs: print('mail_check:', e)\n"
    "sys.exit(1 if errs else 0)\n";

static int
mail_check(const char *id, const char *to, const char *subject, const char *body,
           const char *kind)
{
	char *argv[] = {(char *)python,  "-c",         (char *)check_script,
	                T.maildir,       (char *)id,   (char *)to,
	                (char *)subject, (char *)body, (char *)kind,
	                FROM_NAME,       FROM_ADDR,    NULL};

	return run(argv, 1);
}

/* ---- looking at the queue --------------------------------------------- */
struct row {
	char id[33];
	char state[16];
	int64_t attempts;
	int64_t next_at;
	char last_error[MAIL_ERROR_MAX + 1];
	int64_t sent_at;
	int found;
};

static void
row_get(struct store *st, const char *to, struct row *r)
{
	struct db_stmt *s = NULL;

	memset(r, 0, sizeof(*r));
	assert_int_equal(
	    db_prepare(&s, store_db(st),
	               "SELECT id, state, attempts, next_attempt_at, last_error, sent_at"
	               " FROM mail_queue WHERE to_addr = ?"),
	    0);
	assert_int_equal(db_bind_text(s, 1, to), 0);
	if (db_step(s) == 1) {
		r->found = 1;
		str_copy(r->id, sizeof(r->id), db_col_text(s, 0));
		str_copy(r->state, sizeof(r->state), db_col_text(s, 1));
		r->attempts = db_col_int(s, 2);
		r->next_at = db_col_int(s, 3);
		str_copy(r->last_error, sizeof(r->last_error),
		         db_col_null(s, 4) ? "" : db_col_text(s, 4));
		r->sent_at = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
		assert_int_equal(db_step(s), 0); /* one row per address in these tests */
	}
	db_finalize(s);
}

static int
count_cb(const struct mail_rec *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int
queue_count(struct store *st, const char *state)
{
	int n = 0;

	assert_int_equal(mail_list(st, state, count_cb, &n), 0);
	return n;
}

/* Moves every row's clock back, as if time had passed. */
static void
time_passes(int64_t seconds)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
	         "UPDATE mail_queue SET next_attempt_at = next_attempt_at - %lld",
	         (long long)seconds);
	fixture_sql(sql);
}

static void
flush_expect(struct store *st, int want_sent, int want_failed)
{
	int sent = -1, failed = -1;

	if (mail_flush(st, &T.conf, &sent, &failed) < 0)
		fail_msg("mail_flush: %s", sertel_errmsg());
	if (sent != want_sent || failed != want_failed)
		fail_msg("mail_flush: sent %d failed %d, want %d and %d (%s)", sent,
		         failed, want_sent, want_failed, sertel_errmsg());
}

/* ---- tests ------------------------------------------------------------- */
static void
enqueue_refuses_injection_and_bad_input(void **state)
{
	struct store *st = *state;
	static const char *bad_addr[] = {
	    "",
	    "no-at-sign",
	    "@palembang.go.id",
	    "pemohon@",
	    "a..b@palembang.go.id",
	    ".a@palembang.go.id",
	    "a.@palembang.go.id",
	    "pemohon@localhost",
	    "pemohon@-x.go.id",
	    "pemohon@x-.go.id",
	    "pemohon@x..go.id",
	    "pe mohon@x.go.id",
	    "\"quoted\"@x.go.id",
	    "pemohon@[127.0.0.1]",
	    "<pemohon@x.go.id>",
	    "pemohon@x.go.id>",
	    "pem\xc3\xb6hon@x.go.id",
	    "pemohon@x_y.go.id",
	    "a@b.go.id,c@d.go.id",
	    "pemohon@x.go.id\r\nBcc: korban@contoh.id",
	    "pemohon@x.go.id\nBcc: korban@contoh.id",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@x.go.id"};
	static const char *bad_subject[] = {"",
	                                    "Permohonan\r\nBcc: korban@contoh.id",
	                                    "Permohonan\nBcc: korban@contoh.id",
	                                    "Permohonan\rBcc: x",
	                                    "Tab\there",
	                                    "Bell\x07",
	                                    "bad \xc3\x28 utf8",
	                                    "overlong \xc0\xaf",
	                                    "surrogate \xed\xa0\x80",
	                                    "C1 \xc2\x85 control",
	                                    "cut \xe2\x82"};
	static const char *bad_kind[] = {"", "Issued", "is sued", "issued\n",
	                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
	char subject[MAIL_SUBJECT_MAX + 2], *body;
	size_t i;

	for (i = 0; i < sizeof(bad_addr) / sizeof(bad_addr[0]); i++) {
		if (mail_enqueue(st, bad_addr[i], "Subjek", "Isi", "issued") !=
		    SERTEL_EINVAL)
			fail_msg("address %zu '%s' was accepted", i, bad_addr[i]);
	}
	for (i = 0; i < sizeof(bad_subject) / sizeof(bad_subject[0]); i++) {
		if (mail_enqueue(st, "pemohon@palembang.go.id", bad_subject[i], "Isi",
		                 "issued") != SERTEL_EINVAL)
			fail_msg("subject %zu was accepted", i);
	}
	for (i = 0; i < sizeof(bad_kind) / sizeof(bad_kind[0]); i++)
		assert_int_equal(
		    mail_enqueue(st, "pemohon@palembang.go.id", "S", "B", bad_kind[i]),
		    SERTEL_EINVAL);
	assert_int_equal(mail_enqueue(st, "pemohon@palembang.go.id", "S",
	                              "nul-free but \x01", "issued"),
	                 SERTEL_EINVAL);
	assert_int_equal(
	    mail_enqueue(st, "pemohon@palembang.go.id", "S", "bad \xff", "issued"),
	    SERTEL_EINVAL);
	/* Sizes: subject 200 bytes, body 64 KiB. */
	memset(subject, 'a', sizeof(subject) - 1);
	subject[MAIL_SUBJECT_MAX + 1] = '\0';
	assert_int_equal(
	    mail_enqueue(st, "pemohon@palembang.go.id", subject, "B", "issued"),
	    SERTEL_ETOOBIG);
	body = malloc(MAIL_BODY_MAX + 2);
	assert_non_null(body);
	memset(body, 'b', MAIL_BODY_MAX + 1);
	body[MAIL_BODY_MAX + 1] = '\0';
	assert_int_equal(mail_enqueue(st, "pemohon@palembang.go.id", "S", body, "issued"),
	                 SERTEL_ETOOBIG);
	assert_int_equal(queue_count(st, NULL), 0);

	/* The limits themselves are accepted. */
	subject[MAIL_SUBJECT_MAX] = '\0';
	body[MAIL_BODY_MAX] = '\0';
	assert_int_equal(
	    mail_enqueue(st, "pemohon@palembang.go.id", subject, body, "issued"), 0);
	free(body);
	assert_int_equal(mail_enqueue(st, "o'brien+tag@dinas-kominfo.palembang.go.id",
	                              "Sertifikat untuk Ni Luh Ayu Dewi Pértiwi", "Isi\n",
	                              "issued"),
	                 0);
	assert_int_equal(mail_enqueue(st, "A.B_c-d@X1.GO.ID", "S", "", "expiring"), 0);
	assert_int_equal(queue_count(st, "queued"), 3);
}

/* A row edited in the database to carry a header is not sent: the
 * message is checked again when it is built, and the row fails for good. */
static void
tampered_row_is_not_sent(void **state)
{
	struct store *st = *state;
	struct db_stmt *s = NULL;
	struct row r;
	int total;

	smtpd_start(SMTPD_PLAIN);
	assert_int_equal(mail_enqueue(st, "pemohon@palembang.go.id", "S", "B", "issued"),
	                 0);
	assert_int_equal(
	    db_prepare(&s, store_db(st), "UPDATE mail_queue SET subject = ?"), 0);
	assert_int_equal(db_bind_text(s, 1, "S\r\nBcc: korban@contoh.id"), 0);
	assert_int_equal(db_step(s), 0);
	db_finalize(s);
	flush_expect(st, 0, 1);
	row_get(st, "pemohon@palembang.go.id", &r);
	assert_string_equal(r.state, "failed");
	assert_non_null(strstr(r.last_error, "CR/LF"));
	assert_int_equal(maildir_count(NULL, &total), 0);
	assert_int_equal(total, 0);
}

static int
enqueue_then_fail(struct store *st, void *arg)
{
	int rc;

	if ((rc = mail_enqueue(st, arg, "Permohonan ditolak", "Isi", "rejected")) < 0)
		return rc;
	return sertel_err(SERTEL_ESTATE, "the state change failed after the notice");
}

static int
enqueue_ok(struct store *st, void *arg)
{
	return mail_enqueue(st, arg, "Permohonan disetujui", "Isi", "approved");
}

static void
notice_commits_with_the_callers_transaction(void **state)
{
	struct store *st = *state;
	struct row r;
	int64_t before = time_now(), after;

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(mail_enqueue(st, "satu@palembang.go.id", "S", "B", "submitted"),
	                 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(queue_count(st, NULL), 0);

	assert_int_equal(store_atomic(st, enqueue_then_fail, "dua@palembang.go.id"),
	                 SERTEL_ESTATE);
	assert_int_equal(queue_count(st, NULL), 0);

	assert_int_equal(store_atomic(st, enqueue_ok, "tiga@palembang.go.id"), 0);
	after = time_now();
	row_get(st, "tiga@palembang.go.id", &r);
	assert_true(r.found);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 0);
	assert_true(r.next_at >= before && r.next_at <= after);
	assert_int_equal(strlen(r.id), 32);
	assert_int_equal(queue_count(st, NULL), 1);

	/* Flushing inside a transaction would hold its locks over SMTP. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(mail_flush(st, &T.conf, NULL, NULL), SERTEL_ESTATE);
	assert_int_equal(store_rollback(st), 0);
}

static void
three_notices_arrive_with_headers_and_utf8(void **state)
{
	struct store *st = *state;
	static const char *to[3] = {"pemohon1@palembang.go.id",
	                            "siti.nurhaliza@palembang.go.id",
	                            "kepala.dinas@kominfo.palembang.go.id"};
	static const char *subject[3] = {
	    "Permohonan sertifikat elektronik diterima",
	    /* Non-ASCII across encoded-word boundaries, long enough to fold. */
	    "Sertifikat diterbitkan untuk Siti Nurhaliza Müller — Dinas Komunikasi dan "
	    "Informatika 日本語テキスト ✓",
	    "Persetujuan atasan diperlukan untuk permohonan nomor 2026/11/000123 atas "
	    "nama "
	    "Bapak Ahmad Fauzi, S.Kom., M.T. dari Badan Kepegawaian dan Pengembangan "
	    "SDM"};
	char body1200[1400], body[3][4096];
	const char *kind[3] = {"submitted", "issued", "approved"};
	struct row r;
	int i, total;

	memset(body1200, 'x', 1200);
	body1200[1200] = '\0';
	snprintf(
	    body[0], sizeof(body[0]),
	    "Yth. Bapak/Ibu,\n\nPermohonan Anda telah kami terima.\n\nHormat kami,\n");
	snprintf(body[1], sizeof(body[1]),
	         "Yth. Ibu Siti Nurhaliza Müller,\n"
	         "Nama: Ñoño Ærø 日本語 — ✓ €100\n"
	         ".\n"
	         ". titik di awal baris\n"
	         "tanda = sama dengan =3D\n"
	         "spasi di akhir baris   \n"
	         "tab di akhir\t\n"
	         "%s\n"
	         "ü%s\n",
	         body1200, body1200 + 900);
	snprintf(body[2], sizeof(body[2]),
	         "Baris CRLF\r\n.\r\nBaris terakhir tanpa akhir baris");

	smtpd_start(SMTPD_PLAIN);
	for (i = 0; i < 3; i++)
		assert_int_equal(mail_enqueue(st, to[i], subject[i], body[i], kind[i]),
		                 0);
	flush_expect(st, 3, 0);
	for (i = 0; i < 3; i++) {
		row_get(st, to[i], &r);
		assert_string_equal(r.state, "sent");
		assert_int_equal(r.attempts, 1);
		assert_true(r.sent_at > 0);
		assert_string_equal(r.last_error, "");
		assert_int_equal(maildir_count(r.id, NULL), 1);
		if (mail_check(r.id, to[i], subject[i], body[i], kind[i]) != 0)
			fail_msg("message %d: python's email package disagrees (above)",
			         i);
	}
	assert_int_equal(maildir_count(NULL, &total), 0);
	assert_int_equal(total, 3);
	/* Nothing left to do. */
	flush_expect(st, 0, 0);
	assert_int_equal(queue_count(st, "sent"), 3);
}

/* The limits (200-byte subject, 64 KiB body) in their worst encoding:
 * every octet non-ASCII, so every one is =XX or base64. */
static void
largest_notice_is_delivered(void **state)
{
	struct store *st = *state;
	const char *to = "pemohon@palembang.go.id";
	char subject[MAIL_SUBJECT_MAX + 1], *body;
	struct row r;
	size_t i;

	for (i = 0; i + 2 <= MAIL_SUBJECT_MAX; i += 2)
		memcpy(subject + i, "\xc3\xa9", 2); /* e with acute */
	subject[i] = '\0';
	body = malloc(MAIL_BODY_MAX + 1);
	assert_non_null(body);
	for (i = 0; i + 2 <= MAIL_BODY_MAX; i += 2)
		memcpy(body + i, i % 200 == 198 ? "\n\n" : "\xc3\xbc", 2);
	body[i] = '\0';
	assert_int_equal(strlen(body), MAIL_BODY_MAX);

	smtpd_start(SMTPD_PLAIN);
	assert_int_equal(mail_enqueue(st, to, subject, body, "issued"), 0);
	flush_expect(st, 1, 0);
	row_get(st, to, &r);
	assert_string_equal(r.state, "sent");
	if (mail_check(r.id, to, subject, body, "issued") != 0)
		fail_msg("python's email package disagrees (above)");
	free(body);
}

static void
outage_keeps_rows_queued_then_delivers_once(void **state)
{
	struct store *st = *state;
	const char *to = "pemohon@palembang.go.id";
	struct row r;
	int64_t t0;
	int total;

	assert_int_equal(
	    mail_enqueue(st, to, "Sertifikat Anda dicabut", "Isi", "revoked"), 0);
	/* Nobody listens on T.port. */
	t0 = time_now();
	flush_expect(st, 0, 1);
	row_get(st, to, &r);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 1);
	assert_true(r.next_at >= t0 + MAIL_BACKOFF_BASE &&
	            r.next_at <= time_now() + MAIL_BACKOFF_BASE);
	assert_true(r.last_error[0] != '\0');
	assert_null(strpbrk(r.last_error, "\r\n"));
	assert_non_null(strstr(r.last_error, "127.0.0.1"));
	/* Not due yet: the backoff holds even once the server is back. */
	flush_expect(st, 0, 0);
	smtpd_start(SMTPD_PLAIN);
	flush_expect(st, 0, 0);
	assert_int_equal(maildir_count(NULL, &total), 0);
	assert_int_equal(total, 0);

	time_passes(MAIL_BACKOFF_BASE);
	flush_expect(st, 1, 0);
	row_get(st, to, &r);
	assert_string_equal(r.state, "sent");
	assert_int_equal(r.attempts, 2);
	assert_string_equal(r.last_error, "");
	time_passes(24 * 3600);
	flush_expect(st, 0, 0);
	assert_int_equal(maildir_count(r.id, &total), 1);
	assert_int_equal(total, 1);
}

static void
backoff_doubles_caps_and_gives_up(void **state)
{
	struct store *st = *state;
	const char *to = "pemohon@palembang.go.id";
	struct row r;
	int i, total;

	assert_int_equal(mail_backoff(1), 30);
	assert_int_equal(mail_backoff(2), 60);
	assert_int_equal(mail_backoff(3), 120);
	assert_int_equal(mail_backoff(7), 1920);
	assert_int_equal(mail_backoff(8), 3600);
	assert_int_equal(mail_backoff(12), 3600);
	assert_int_equal(mail_backoff(1000), 3600);

	conf_make("max_attempts = 3\n");
	assert_int_equal(
	    mail_enqueue(st, to, "Sertifikat akan kedaluwarsa", "Isi", "expiring"), 0);
	for (i = 1; i <= 3; i++) {
		int64_t t0 = time_now();

		flush_expect(st, 0, 1);
		row_get(st, to, &r);
		assert_int_equal(r.attempts, i);
		if (i < 3) {
			assert_string_equal(r.state, "queued");
			assert_true(r.next_at >= t0 + mail_backoff(i) &&
			            r.next_at <= time_now() + mail_backoff(i));
		}
		time_passes(MAIL_BACKOFF_MAX);
	}
	assert_string_equal(r.state, "failed");
	assert_true(r.last_error[0] != '\0');
	flush_expect(st, 0, 0);
	assert_int_equal(queue_count(st, "failed"), 1);

	/* The operator fixes the relay and puts it back. */
	assert_int_equal(mail_retry(st, r.id), 0);
	assert_int_equal(mail_retry(st, r.id), SERTEL_ENOTFOUND);
	assert_int_equal(mail_retry(st, "0123456789abcdef0123456789abcdef"),
	                 SERTEL_ENOTFOUND);
	row_get(st, to, &r);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 0);
	smtpd_start(SMTPD_PLAIN);
	flush_expect(st, 1, 0);
	assert_int_equal(maildir_count(r.id, &total), 1);
	assert_int_equal(total, 1);
}

/* ---- two flushers ----------------------------------------------------- */
#define RACE_MAILS 40
static pthread_barrier_t race_barrier;

struct flusher {
	int sent, failed, rounds, rc;
	char err[256];
};

static void *
flusher_run(void *arg)
{
	struct flusher *f = arg;
	struct store *st = NULL;
	int s, fl;

	if ((f->rc = store_open(&st, test_url, NULL)) < 0) {
		str_copy(f->err, sizeof(f->err), sertel_errmsg());
		pthread_barrier_wait(&race_barrier);
		return NULL;
	}
	pthread_barrier_wait(&race_barrier);
	do {
		if ((f->rc = mail_flush(st, &T.conf, &s, &fl)) < 0) {
			str_copy(f->err, sizeof(f->err), sertel_errmsg());
			break;
		}
		f->sent += s;
		f->failed += fl;
		f->rounds++;
	} while (s + fl > 0);
	store_close(st);
	return NULL;
}

static int
row_delivered_once(const struct mail_rec *r, void *arg)
{
	int total;

	if (strcmp(r->state, "sent") != 0 || r->attempts != 1)
		fail_msg("mail %s: state %s attempts %lld", r->id, r->state,
		         (long long)r->attempts);
	if (maildir_count(r->id, &total) != 1)
		fail_msg("mail %s: %d copies arrived", r->id, maildir_count(r->id, NULL));
	(*(int *)arg)++;
	return 0;
}

static void
two_flushers_never_send_twice(void **state)
{
	struct store *st = *state;
	struct flusher f[2];
	pthread_t t[2];
	char to[64];
	int i, n = 0, total;

	smtpd_start(SMTPD_PLAIN);
	for (i = 0; i < RACE_MAILS; i++) {
		snprintf(to, sizeof(to), "pemohon%02d@palembang.go.id", i);
		assert_int_equal(
		    mail_enqueue(st, to, "Permohonan diterima", "Isi", "submitted"), 0);
	}
	memset(f, 0, sizeof(f));
	assert_int_equal(pthread_barrier_init(&race_barrier, NULL, 2), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, flusher_run, &f[i]), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&race_barrier);
	for (i = 0; i < 2; i++)
		if (f[i].rc < 0)
			fail_msg("flusher %d: %s", i, f[i].err);
	print_message("flushers sent %d and %d (rounds %d, %d)\n", f[0].sent, f[1].sent,
	              f[0].rounds, f[1].rounds);
	assert_int_equal(f[0].failed + f[1].failed, 0);
	assert_int_equal(f[0].sent + f[1].sent, RACE_MAILS);
	assert_int_equal(mail_list(st, NULL, row_delivered_once, &n), 0);
	assert_int_equal(n, RACE_MAILS);
	maildir_count(NULL, &total);
	assert_int_equal(total, RACE_MAILS);
}

static void
expired_lease_is_taken_over(void **state)
{
	struct store *st = *state;
	struct row r;
	char sql[256];
	int total;

	smtpd_start(SMTPD_PLAIN);
	assert_int_equal(mail_enqueue(st, "a@palembang.go.id", "S", "B", "issued"), 0);
	assert_int_equal(mail_enqueue(st, "b@palembang.go.id", "S", "B", "issued"), 0);
	/* Another node claimed both and holds the lease. */
	snprintf(sql, sizeof(sql),
	         "UPDATE mail_queue SET state = 'sending', attempts = 1, next_attempt_at "
	         "= %lld",
	         (long long)time_now() + 600);
	fixture_sql(sql);
	flush_expect(st, 0, 0);
	assert_int_equal(maildir_count(NULL, &total), 0);
	assert_int_equal(total, 0);
	/* It crashed: once the lease runs out the rows are taken over; one of
	 * them had used its last attempt and is given up instead. */
	fixture_sql(
	    "UPDATE mail_queue SET attempts = 12 WHERE to_addr = 'b@palembang.go.id'");
	time_passes(601);
	flush_expect(st, 1, 0);
	row_get(st, "a@palembang.go.id", &r);
	assert_string_equal(r.state, "sent");
	assert_int_equal(r.attempts, 2);
	assert_int_equal(maildir_count(r.id, NULL), 1);
	row_get(st, "b@palembang.go.id", &r);
	assert_string_equal(r.state, "failed");
	assert_non_null(strstr(r.last_error, "never finished"));
	assert_int_equal(maildir_count(r.id, &total), 0);
	assert_int_equal(total, 1);
}

static void
refusals_5xx_fail_at_once_4xx_retry(void **state)
{
	struct store *st = *state;
	struct row r;
	int total;

	smtpd_start(SMTPD_REFUSING);
	assert_int_equal(mail_enqueue(st, "tolak@palembang.go.id", "S", "B", "issued"),
	                 0);
	assert_int_equal(mail_enqueue(st, "nanti@palembang.go.id", "S", "B", "issued"),
	                 0);
	assert_int_equal(mail_enqueue(st, "terima@palembang.go.id", "S", "B", "issued"),
	                 0);
	flush_expect(st, 1, 2);
	row_get(st, "tolak@palembang.go.id", &r);
	print_message("last_error: %s\n", r.last_error);
	assert_string_equal(r.state, "failed");
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(r.last_error, "550"));
	row_get(st, "nanti@palembang.go.id", &r);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(r.last_error, "451"));
	row_get(st, "terima@palembang.go.id", &r);
	assert_string_equal(r.state, "sent");
	assert_int_equal(maildir_count(r.id, &total), 1);
	assert_int_equal(total, 1);
}

static void
starttls_required_without_tls_fails_cleanly(void **state)
{
	struct store *st = *state;
	struct row r;
	int total;

	smtpd_start(SMTPD_PLAIN);
	conf_make("starttls = required\n");
	assert_int_equal(mail_enqueue(st, "pemohon@palembang.go.id", "S", "B", "issued"),
	                 0);
	flush_expect(st, 0, 1);
	row_get(st, "pemohon@palembang.go.id", &r);
	assert_string_equal(r.state, "queued");
	assert_int_equal(r.attempts, 1);
	print_message("last_error: %s\n", r.last_error);
	assert_true(strstr(r.last_error, "SSL") != NULL ||
	            strstr(r.last_error, "TLS") != NULL);
	assert_int_equal(maildir_count(NULL, &total), 0);
	assert_int_equal(total, 0);

	/* "try" falls back to plain SMTP on the same server. */
	conf_make("starttls = try\n");
	time_passes(MAIL_BACKOFF_BASE);
	flush_expect(st, 1, 0);
	assert_int_equal(maildir_count(r.id, &total), 1);
}

static void
starttls_required_with_tls_checks_the_certificate(void **state)
{
	struct store *st = *state;
	char cert[128], key[128], extra[256];
	struct row r;
	int total;
	char *gen[] = {"openssl",
	               "req",
	               "-x509",
	               "-newkey",
	               "ec",
	               "-pkeyopt",
	               "ec_paramgen_curve:P-256",
	               "-nodes",
	               "-days",
	               "2",
	               "-subj",
	               "/CN=127.0.0.1",
	               "-addext",
	               "subjectAltName=IP:127.0.0.1,DNS:localhost",
	               "-keyout",
	               key,
	               "-out",
	               cert,
	               NULL};

	snprintf(cert, sizeof(cert), "%s/smtpd.crt", T.dir);
	snprintf(key, sizeof(key), "%s/smtpd.key", T.dir);
	assert_int_equal(run(gen, 0), 0);
	smtpd_start(SMTPD_STARTTLS);
	assert_int_equal(mail_enqueue(st, "pemohon@palembang.go.id", "Sertifikat terbit",
	                              "Isi", "issued"),
	                 0);
	/* An untrusted certificate is a failure, not a reason to go plain. */
	conf_make("starttls = required\n");
	flush_expect(st, 0, 1);
	row_get(st, "pemohon@palembang.go.id", &r);
	assert_string_equal(r.state, "queued");
	print_message("last_error: %s\n", r.last_error);
	assert_int_equal(maildir_count(NULL, &total), 0);
	assert_int_equal(total, 0);

	snprintf(extra, sizeof(extra), "starttls = required\nca_file = %s\n", cert);
	conf_make(extra);
	time_passes(MAIL_BACKOFF_BASE);
	flush_expect(st, 1, 0);
	assert_int_equal(maildir_count(r.id, &total), 1);
	assert_int_equal(total, 1);
	if (mail_check(r.id, "pemohon@palembang.go.id", "Sertifikat terbit", "Isi",
	               "issued") != 0)
		fail_msg("python's email package disagrees (above)");
}

static void
conf_load_rules(void **state)
{
	struct mail_conf c;
	char path[128], extra[512];
	int i;
	static const char *bad[] = {
	    "host = 127.0.0.1\nfrom = a@x.go.id\npassword = rahasia\n",
	    "host = 127.0.0.1\n",
	    "host = 127.0.0.1\nfrom = Bad <not-an-address>\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\nport = 25x\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\nport = 70000\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\nstarttls = maybe\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\ntimeout_seconds = 0\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\nmax_attempts = -1\n",
	    "host = evil/path?x\nfrom = a@x.go.id\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\nusername = u\n",
	    "host = 127.0.0.1\nfrom = a@x.go.id\nstarttls = required\nca_file = "
	    "/nonexistent\n",
	};

	/* No [smtp] host: disabled, flush says so, enqueue still works. */
	assert_int_equal(conf_try(&c, "# nothing\n"), 0);
	assert_int_equal(c.enabled, 0);
	assert_int_equal(mail_flush(*state, &c, NULL, NULL), SERTEL_EINVAL);
	assert_int_equal(mail_conf_load(&c, NULL), 0);
	assert_int_equal(c.enabled, 0);

	/* Defaults. */
	assert_int_equal(
	    conf_try(&c, "host = mail.palembang.go.id\nfrom = noreply@x.go.id\n"), 0);
	assert_int_equal(c.enabled, 1);
	assert_int_equal(c.port, 25);
	assert_int_equal(c.starttls, MAIL_STARTTLS_TRY);
	assert_int_equal(c.timeout_seconds, 20);
	assert_int_equal(c.max_attempts, 12);
	assert_string_equal(c.from_addr, "noreply@x.go.id");
	assert_string_equal(c.from_name, "");

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++)
		if (conf_try(&c, bad[i]) >= 0)
			fail_msg("configuration %d accepted:\n%s", i, bad[i]);

	assert_int_equal(conf_try(&c, "host = ::1\nfrom = \"Dinas, Kota\" <a@x.go.id>\n"
	                              "starttls = none\n"),
	                 0);
	assert_string_equal(c.from_name, "Dinas, Kota");
	assert_string_equal(c.from_addr, "a@x.go.id");
	assert_int_equal(c.starttls, MAIL_STARTTLS_NONE);

	/* The password comes from a file nobody else can read, and only
	 * with TLS required. */
	snprintf(path, sizeof(path), "%s/smtp.pw", T.dir);
	assert_int_equal(file_write(path, "s3cr3t-Sandi\n", 13, 0644), 0);
	assert_int_equal(chmod(path, 0644), 0);
	snprintf(extra, sizeof(extra),
	         "host = 127.0.0.1\nfrom = a@x.go.id\nstarttls = required\n"
	         "username = sertel\npassword_file = %s\n",
	         path);
	assert_int_equal(conf_try(&c, extra), SERTEL_EPERM);
	assert_null(strstr(sertel_errmsg(), "s3cr3t"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(conf_try(&c, extra), 0);
	assert_string_equal(c.username, "sertel");
	assert_string_equal(c.password, "s3cr3t-Sandi");
	mail_conf_clear(&c);
	assert_string_equal(c.password, "");
	snprintf(extra, sizeof(extra),
	         "host = 127.0.0.1\nfrom = a@x.go.id\nstarttls = try\n"
	         "username = sertel\npassword_file = %s\n",
	         path);
	assert_int_equal(conf_try(&c, extra), SERTEL_EINVAL);
}

/* Every line of the message ends in CRLF, stays within limits and is
 * ASCII; encoded-words are at most 75 characters (RFC 2047 2). */
static void
message_is_well_formed(void **state)
{
	struct mail_msg m = {
	    .id = "00112233445566778899aabbccddeeff",
	    .to = "pemohon@palembang.go.id",
	    .subject = "Sertifikat diterbitkan — Ñoño Ærø 日本語テキスト 日本語テキスト "
	               "日本語テキスト ✓",
	    .body = "Baris satu\nü\n",
	    .kind = "issued",
	    .created_at = 1795849200, /* 2026-11-28T07:00:00Z */
	};
	struct buf b;
	const char *p, *nl, *w;
	size_t i;
	int words = 0;

	buf_init(&b, 1 << 20);
	assert_int_equal(mail_message_build(&b, &T.conf, &m), 0);
	assert_int_equal(buf_cstr(&b), 0);
	for (i = 0; i < b.len; i++)
		assert_true(b.data[i] < 0x80 && b.data[i] != 0);
	for (p = (const char *)b.data; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(nl > p && nl[-1] == '\r');
		assert_true(nl - p - 1 <= 78);
		assert_null(memchr(p, '\r', (size_t)(nl - p - 1)));
	}
	for (w = (const char *)b.data; (w = strstr(w, "=?UTF-8?B?")) != NULL; w++) {
		const char *end = strstr(w + 10, "?=");
		unsigned char *dec = NULL;
		size_t declen;
		char word[80];

		assert_non_null(end);
		assert_true(end - w + 2 <= 75);
		/* RFC 2047 5: each word holds whole characters on its own. */
		assert_int_equal(
		    b64_decode(&dec, &declen, w + 10, (size_t)(end - w - 10), 0), 0);
		assert_true(declen < sizeof(word));
		memcpy(word, dec, declen);
		word[declen] = '\0';
		free(dec);
		if (mail_text_check(word, 0, "encoded-word") < 0)
			fail_msg("encoded-word splits a character: %s", sertel_errmsg());
		words++;
	}
	assert_true(words >= 3);
	assert_non_null(
	    strstr((char *)b.data, "Date: Sat, 28 Nov 2026 07:00:00 +0000\r\n"));
	assert_non_null(
	    strstr((char *)b.data,
	           "Message-ID: <00112233445566778899aabbccddeeff@palembang.go.id>\r\n"));
	assert_non_null(
	    strstr((char *)b.data, "From: Sertel Kota Palembang <" FROM_ADDR ">\r\n"));
	assert_non_null(
	    strstr((char *)b.data, "Content-Transfer-Encoding: quoted-printable\r\n"));
	assert_non_null(strstr((char *)b.data, "\r\n\r\nBaris satu\r\n=C3=BC\r\n"));
	buf_free(&b);
}

static int
list_stop(const struct mail_rec *r, void *arg)
{
	(*(int *)arg)++;
	return 7;
}

static void
list_by_state(void **state)
{
	struct store *st = *state;
	int n = 0;

	assert_int_equal(mail_enqueue(st, "a@palembang.go.id", "S", "B", "issued"), 0);
	assert_int_equal(mail_enqueue(st, "b@palembang.go.id", "S", "B", "issued"), 0);
	assert_int_equal(mail_enqueue(st, "c@palembang.go.id", "S", "B", "issued"), 0);
	fixture_sql("UPDATE mail_queue SET state = 'sent', sent_at = 1 WHERE to_addr = "
	            "'a@palembang.go.id'");
	fixture_sql(
	    "UPDATE mail_queue SET state = 'failed' WHERE to_addr = 'b@palembang.go.id'");
	assert_int_equal(queue_count(st, NULL), 3);
	assert_int_equal(queue_count(st, "queued"), 1);
	assert_int_equal(queue_count(st, "sent"), 1);
	assert_int_equal(queue_count(st, "failed"), 1);
	assert_int_equal(queue_count(st, "sending"), 0);
	assert_int_equal(mail_list(st, "queued' OR 1=1 --", count_cb, &n), SERTEL_EINVAL);
	assert_int_equal(mail_list(st, NULL, list_stop, &n), 7);
	assert_int_equal(n, 1);
}

#define M(f) cmocka_unit_test_setup_teardown(f, mail_setup, mail_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    M(enqueue_refuses_injection_and_bad_input),
	    M(tampered_row_is_not_sent),
	    M(notice_commits_with_the_callers_transaction),
	    M(three_notices_arrive_with_headers_and_utf8),
	    M(largest_notice_is_delivered),
	    M(outage_keeps_rows_queued_then_delivers_once),
	    M(backoff_doubles_caps_and_gives_up),
	    M(two_flushers_never_send_twice),
	    M(expired_lease_is_taken_over),
	    M(refusals_5xx_fail_at_once_4xx_retry),
	    M(starttls_required_without_tls_fails_cleanly),
	    M(starttls_required_with_tls_checks_the_certificate),
	    M(conf_load_rules),
	    M(message_is_well_formed),
	    M(list_by_state),
	};

	log_set_level(LOG_ERROR);
	if ((python = find_python()) == NULL) {
		fprintf(
		    stderr,
		    "test_mail: no python3 with aiosmtpd (apt install python3-aiosmtpd, "
		    "or set SERTEL_TEST_PYTHON)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
