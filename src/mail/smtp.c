/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMTP delivery with libcurl: the [smtp] configuration, the RFC 5322
 * message, and one session that sends queued notices over a reused
 * connection.  libcurl is used only in this file.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "mail/mail.h"

/* The built message: headers (under 4 KiB) plus the body, which grows at
 * most 3.2 times in quoted-printable (=XX per octet and a soft break per
 * 25 of them, RFC 2045 6.7) and twice for bare LF turned into CRLF. */
#define MAIL_MESSAGE_MAX (16 * 1024 + 4 * MAIL_BODY_MAX)
/* RFC 5322 2.1.1: lines SHOULD stay within 78 characters, MUST within 998. */
#define LINE_SHOULD 78
#define LINE_MUST   998
/* RFC 2047 2: an encoded-word is at most 75 characters; 39 octets of
 * UTF-8 make 52 of base64, 64 with "=?UTF-8?B?" and "?=". */
#define EW_CHUNK          39
#define PASSWORD_FILE_MAX 1024

struct mail_smtp {
	CURL *curl;
	const struct mail_conf *conf;
	char url[640];
	char mail_from[MAIL_ADDR_MAX + 3];
	char errbuf[CURL_ERROR_SIZE];
	/* The dialogue as seen by the debug callback: the command the last
	 * reply answered, its code and its text (no secrets: AUTH arguments
	 * are never copied). */
	char cmd[8];      /* last command sent: "RCPT", ...; "EOD" after 354 */
	char reply_to[8]; /* command the last reply answered */
	int code;
	char reply[256];
};

struct reader {
	const unsigned char *p;
	size_t len;
	size_t off;
};

static int conf_int(int *out, const struct config *cfg, const char *key, long long def,
                    long long min, long long max);
static int conf_host_check(const char *h, const char *what);
static int conf_from_parse(struct mail_conf *c, const char *from);
static int conf_password_read(struct mail_conf *c, const char *path);
static int put_date(struct buf *b, int64_t t);
static int put_words(struct buf *b, const char *s, size_t *col);
static int put_unstructured(struct buf *b, const char *name, const char *value);
static int put_from(struct buf *b, const struct mail_conf *c);
static int put_body(struct buf *b, const char *body);
static int is_ascii(const char *s);

/* ---- configuration ------------------------------------------------------ */
static int
conf_int(int *out, const struct config *cfg, const char *key, long long def,
         long long min, long long max)
{
	const char *v = config_get(cfg, "smtp", key, NULL);
	long long n = def;

	/* config_get_int would quietly fall back to the default on a typo. */
	if (v != NULL && parse_ll(&n, v, min, max) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "sertel.conf [smtp] %s: '%.32s': expected a number "
		                  "from %lld to %lld",
		                  key, v, min, max);
	*out = (int)n;
	return 0;
}

/* A DNS name or an IP literal: it goes into a URL, so nothing else. */
static int
conf_host_check(const char *h, const char *what)
{
	size_t n = strlen(h), i;
	int colon = 0;

	if (n == 0 || n > 253)
		return sertel_err(SERTEL_EINVAL,
		                  "sertel.conf [smtp] %s: 1 to 253 characters", what);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)h[i];
		if (ch == ':')
			colon = 1;
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		           (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
			return sertel_err(
			    SERTEL_EINVAL,
			    "sertel.conf [smtp] %s: character 0x%02x not allowed "
			    "(a host name or IP address)",
			    what, ch);
	}
	if (colon && strspn(h, "0123456789abcdefABCDEF:.") != n)
		return sertel_err(SERTEL_EINVAL,
		                  "sertel.conf [smtp] %s: not an IPv6 address", what);
	if (h[0] == '-' || h[0] == '.')
		return sertel_err(SERTEL_EINVAL, "sertel.conf [smtp] %s: bad host name",
		                  what);
	return 0;
}

/* "Display Name <addr>", "\"Display Name\" <addr>" or "addr". */
static int
conf_from_parse(struct mail_conf *c, const char *from)
{
	char tmp[sizeof(c->from)];
	char *lt, *gt, *name, *end;
	int rc;

	if ((rc = str_copy(tmp, sizeof(tmp), from)) < 0)
		return sertel_err(SERTEL_EINVAL, "sertel.conf [smtp] from: too long");
	if ((rc = mail_text_check(tmp, 0, "sertel.conf [smtp] from")) < 0)
		return rc;
	str_copy(c->from, sizeof(c->from), from);
	gt = tmp + strlen(tmp);
	while (gt > tmp && gt[-1] == ' ')
		*--gt = '\0';
	if (gt > tmp && gt[-1] == '>') {
		if ((lt = strrchr(tmp, '<')) == NULL)
			return sertel_err(SERTEL_EINVAL,
			                  "sertel.conf [smtp] from: '>' without '<'");
		gt[-1] = '\0';
		*lt = '\0';
		if (str_copy(c->from_addr, sizeof(c->from_addr), lt + 1) < 0)
			return sertel_err(SERTEL_EINVAL,
			                  "sertel.conf [smtp] from: address too long");
		name = tmp;
		while (*name == ' ')
			name++;
		end = name + strlen(name);
		while (end > name && end[-1] == ' ')
			*--end = '\0';
		if (end - name >= 2 && name[0] == '"' && end[-1] == '"') {
			end[-1] = '\0';
			name++;
		}
		if (strpbrk(name, "\"\\<>") != NULL)
			return sertel_err(SERTEL_EINVAL,
			                  "sertel.conf [smtp] from: display name may "
			                  "not contain '\"', '\\', '<' or '>'");
		if (str_copy(c->from_name, sizeof(c->from_name), name) < 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "sertel.conf [smtp] from: display name too long");
	} else {
		if (str_copy(c->from_addr, sizeof(c->from_addr), tmp) < 0)
			return sertel_err(SERTEL_EINVAL,
			                  "sertel.conf [smtp] from: address too long");
	}
	if ((rc = mail_addr_check(c->from_addr)) < 0)
		return sertel_err(rc, "sertel.conf [smtp] from: %s", sertel_errmsg());
	return 0;
}

static int
conf_password_read(struct mail_conf *c, const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	struct stat sb;
	int rc;

	if (stat(path, &sb) < 0) {
		rc = sertel_err(SERTEL_EIO,
		                "sertel.conf [smtp] password_file %s: cannot stat", path);
		goto out;
	}
	/* Like ssh with its keys: a password others can read is refused. */
	if (sb.st_mode & (S_IROTH | S_IWOTH)) {
		rc = sertel_err(SERTEL_EPERM,
		                "sertel.conf [smtp] password_file %s: readable or "
		                "writable by others (chmod 600 or 640)",
		                path);
		goto out;
	}
	if ((rc = file_read(&data, &len, path, PASSWORD_FILE_MAX)) < 0)
		goto out;
	/* One line: a trailing newline is not part of the password. */
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = '\0';
	if (len == 0 || len >= sizeof(c->password) || memchr(data, '\0', len) != NULL ||
	    memchr(data, '\n', len) != NULL || memchr(data, '\r', len) != NULL) {
		rc = sertel_err(SERTEL_EINVAL,
		                "sertel.conf [smtp] password_file %s: expected one "
		                "non-empty line under %zu bytes",
		                path, sizeof(c->password));
		goto out;
	}
	memcpy(c->password, data, len);
	c->password[len] = '\0';
	rc = 0;
out:
	if (data != NULL) {
		secure_wipe(data, len);
		free(data);
	}
	return rc;
}

int
mail_conf_load(struct mail_conf *out, const struct config *cfg)
{
	const char *v, *pwfile;
	int rc;

	memset(out, 0, sizeof(*out));
	out->port = 25;
	out->starttls = MAIL_STARTTLS_TRY;
	out->timeout_seconds = 20;
	out->max_attempts = 12;
	if (config_get(cfg, "smtp", "password", NULL) != NULL) {
		rc = sertel_err(SERTEL_EINVAL,
		                "sertel.conf [smtp] password: refused; put the "
		                "password in a file named by password_file");
		goto fail;
	}
	v = config_get(cfg, "smtp", "host", NULL);
	if (v == NULL || *v == '\0')
		return 0; /* mail disabled: notices wait in the queue */
	if ((rc = conf_host_check(v, "host")) < 0)
		goto fail;
	str_copy(out->host, sizeof(out->host), v);
	if ((rc = conf_int(&out->port, cfg, "port", 25, 1, 65535)) < 0 ||
	    (rc = conf_int(&out->timeout_seconds, cfg, "timeout_seconds", 20, 1, 600)) <
	        0 ||
	    (rc = conf_int(&out->max_attempts, cfg, "max_attempts", 12, 1, 100)) < 0)
		goto fail;
	v = config_get(cfg, "smtp", "starttls", "try");
	if (strcmp(v, "none") == 0) {
		out->starttls = MAIL_STARTTLS_NONE;
	} else if (strcmp(v, "try") == 0) {
		out->starttls = MAIL_STARTTLS_TRY;
	} else if (strcmp(v, "required") == 0) {
		out->starttls = MAIL_STARTTLS_REQUIRED;
	} else {
		rc = sertel_err(SERTEL_EINVAL,
		                "sertel.conf [smtp] starttls: '%.32s': expected "
		                "none, try or required",
		                v);
		goto fail;
	}
	if ((v = config_get(cfg, "smtp", "helo", NULL)) != NULL && *v != '\0') {
		if ((rc = conf_host_check(v, "helo")) < 0)
			goto fail;
		str_copy(out->helo, sizeof(out->helo), v);
	}
	if ((v = config_get(cfg, "smtp", "ca_file", NULL)) != NULL && *v != '\0') {
		if (str_copy(out->ca_file, sizeof(out->ca_file), v) < 0 ||
		    access(v, R_OK) < 0) {
			rc = sertel_err(SERTEL_EIO,
			                "sertel.conf [smtp] ca_file %.200s: cannot read",
			                v);
			goto fail;
		}
	}
	v = config_get(cfg, "smtp", "username", NULL);
	pwfile = config_get(cfg, "smtp", "password_file", NULL);
	if ((v != NULL && *v != '\0') != (pwfile != NULL && *pwfile != '\0')) {
		rc = sertel_err(SERTEL_EINVAL,
		                "sertel.conf [smtp]: username and password_file go "
		                "together");
		goto fail;
	}
	if (v != NULL && *v != '\0') {
		if ((rc = mail_text_check(v, 0, "sertel.conf [smtp] username")) < 0)
			goto fail;
		if (str_copy(out->username, sizeof(out->username), v) < 0) {
			rc = sertel_err(SERTEL_EINVAL,
			                "sertel.conf [smtp] username: too long");
			goto fail;
		}
		/* RFC 4954 4 and RFC 8314: credentials only inside TLS; with
		 * "try" an active attacker can strip STARTTLS. */
		if (out->starttls != MAIL_STARTTLS_REQUIRED) {
			rc = sertel_err(SERTEL_EINVAL,
			                "sertel.conf [smtp]: username needs starttls "
			                "= required (credentials never travel in clear)");
			goto fail;
		}
		if ((rc = conf_password_read(out, pwfile)) < 0)
			goto fail;
	}
	if ((v = config_get(cfg, "smtp", "from", NULL)) == NULL || *v == '\0') {
		rc = sertel_err(SERTEL_EINVAL,
		                "sertel.conf [smtp] from: required when host is set");
		goto fail;
	}
	if ((rc = conf_from_parse(out, v)) < 0)
		goto fail;
	out->enabled = 1;
	return 0;
fail:
	mail_conf_clear(out);
	return rc;
}

void
mail_conf_clear(struct mail_conf *c)
{
	if (c == NULL)
		return;
	secure_wipe(c->password, sizeof(c->password));
	c->enabled = 0;
}

/* ---- the message (RFC 5322, MIME RFC 2045-2047) ------------------------ */
static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* RFC 5322 3.3 date-time, in UTC and without locale. */
static int
put_date(struct buf *b, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
	                                   "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return sertel_err(SERTEL_EINVAL, "mail: date %lld out of range",
		                  (long long)t);
	return buf_appendf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	                   days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	                   tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* s as RFC 2047 "B" encoded-words in UTF-8, each holding whole characters
 * (RFC 2047 5: an encoded-word must not split a multi-octet character),
 * folded so lines stay within 78.  *col is the current line's length. */
static int
put_words(struct buf *b, const char *s, size_t *col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), off = 0, n, wlen;
	char *enc = NULL;
	int rc = 0, first = 1;

	while (off < len) {
		n = len - off < EW_CHUNK ? len - off : EW_CHUNK;
		/* Back up to the start of a character. */
		while (off + n < len && n > 0 && (p[off + n] & 0xc0) == 0x80)
			n--;
		if ((rc = b64_encode(&enc, p + off, n, 0)) < 0)
			goto out;
		wlen = strlen(enc) + 12;
		if (!first) {
			/* Whitespace between encoded-words is not displayed
			 * (RFC 2047 6.2), so folding here changes nothing. */
			if (*col + 1 + wlen > LINE_SHOULD) {
				rc = buf_append(b, "\r\n ", 3);
				*col = 1;
			} else {
				rc = buf_putc(b, ' ');
				(*col)++;
			}
			if (rc < 0)
				goto out;
		}
		if ((rc = buf_appendf(b, "=?UTF-8?B?%s?=", enc)) < 0)
			goto out;
		*col += wlen;
		free(enc);
		enc = NULL;
		off += n;
		first = 0;
	}
out:
	free(enc);
	return rc;
}

/* An unstructured field (RFC 5322 3.2.5): ASCII folded before a space
 * when the line would pass 78 characters (3.2.2: folding inserts CRLF
 * before existing whitespace, and no line may be only whitespace), other
 * text as encoded-words. */
static int
put_unstructured(struct buf *b, const char *name, const char *value)
{
	size_t col, i, w;
	int rc;

	if ((rc = buf_appendf(b, "%s: ", name)) < 0)
		return rc;
	col = strlen(name) + 2;
	if (!is_ascii(value)) {
		if ((rc = put_words(b, value, &col)) < 0)
			return rc;
		return buf_append(b, "\r\n", 2);
	}
	for (i = 0; value[i] != '\0'; i++) {
		if (value[i] == ' ' && i > 0 && value[i - 1] != ' ') {
			/* Length of the run of spaces and the word after it. */
			w = strspn(value + i, " ");
			if (value[i + w] != '\0') {
				w += strcspn(value + i + w, " ");
				if (col + w > LINE_SHOULD && col > strlen(name) + 2) {
					if ((rc = buf_append(b, "\r\n", 2)) < 0)
						return rc;
					col = 0;
				}
			}
		}
		if ((rc = buf_putc(b, (unsigned char)value[i])) < 0)
			return rc;
		col++;
	}
	return buf_append(b, "\r\n", 2);
}

static int
put_from(struct buf *b, const struct mail_conf *c)
{
	const char *p;
	size_t col = 6;
	int rc, atoms = 1;

	if ((rc = buf_append(b, "From: ", 6)) < 0)
		return rc;
	if (c->from_name[0] != '\0') {
		if (!is_ascii(c->from_name)) {
			/* RFC 2047 5(3): encoded-words may stand for a phrase. */
			if ((rc = put_words(b, c->from_name, &col)) < 0)
				return rc;
		} else {
			for (p = c->from_name; *p != '\0'; p++)
				if (*p != ' ' &&
				    strchr("!#$%&'*+-/=?^_`{|}~", *p) == NULL &&
				    !((*p >= 'a' && *p <= 'z') ||
				      (*p >= 'A' && *p <= 'Z') ||
				      (*p >= '0' && *p <= '9')))
					atoms = 0;
			/* A phrase of atoms goes as is, anything else as a
			 * quoted-string (RFC 5322 3.2.4; '"' and '\\' were
			 * refused when the configuration was read). */
			rc = atoms ? buf_appendf(b, "%s", c->from_name)
			           : buf_appendf(b, "\"%s\"", c->from_name);
			if (rc < 0)
				return rc;
			col += strlen(c->from_name) + (atoms ? 0 : 2);
		}
		if (col + 3 + strlen(c->from_addr) > LINE_SHOULD)
			rc = buf_append(b, "\r\n", 2);
		if (rc < 0 || (rc = buf_appendf(b, " <%s>\r\n", c->from_addr)) < 0)
			return rc;
		return 0;
	}
	return buf_appendf(b, "%s\r\n", c->from_addr);
}

/* The body with CRLF line endings (RFC 5322 2.3): 7bit when it is ASCII
 * with lines within 998 octets, quoted-printable otherwise (RFC 2045
 * 6.7), so no 8BITMIME support is needed from the relay (RFC 6152). */
static int
put_body(struct buf *b, const char *body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)body, *line;
	size_t n, k, col, linelen;
	int rc, qp = 0;

	for (line = p; *line != '\0'; line += linelen) {
		linelen = strcspn((const char *)line, "\r\n");
		if (linelen > LINE_MUST)
			qp = 1;
		for (k = 0; k < linelen; k++)
			if (line[k] >= 0x80)
				qp = 1;
		if (line[linelen] == '\r' && line[linelen + 1] == '\n')
			linelen += 2;
		else if (line[linelen] != '\0')
			linelen++;
	}
	if ((rc = buf_appendf(b, "Content-Transfer-Encoding: %s\r\n\r\n",
	                      qp ? "quoted-printable" : "7bit")) < 0)
		return rc;
	while (*p != '\0') {
		n = strcspn((const char *)p, "\r\n");
		if (!qp) {
			rc = buf_append(b, p, n);
		} else {
			for (k = 0, col = 0, rc = 0; k < n && rc == 0; k++) {
				unsigned char ch = p[k];
				int lit = (ch >= 33 && ch <= 126 && ch != '=') ||
				          ((ch == ' ' || ch == '\t') && k + 1 < n);
				size_t t = lit ? 1 : 3;

				/* Soft line break: lines stay within 76
				 * characters, the '=' included. */
				if (col + t > 75) {
					if ((rc = buf_append(b, "=\r\n", 3)) < 0)
						break;
					col = 0;
				}
				if (lit) {
					rc = buf_putc(b, ch);
				} else {
					char e[3] = {'=', hex[ch >> 4], hex[ch & 15]};
					rc = buf_append(b, e, 3);
				}
				col += t;
			}
		}
		if (rc < 0 || (rc = buf_append(b, "\r\n", 2)) < 0)
			return rc;
		p += n;
		if (p[0] == '\r' && p[1] == '\n')
			p += 2;
		else if (*p != '\0')
			p++;
	}
	return 0;
}

int
mail_message_build(struct buf *out, const struct mail_conf *c, const struct mail_msg *m)
{
	const char *domain = strrchr(c->from_addr, '@');
	int rc;

	if (domain == NULL)
		return sertel_err(SERTEL_EINVAL, "mail: no from address configured");
	/* The queue checked these on the way in; the database is not trusted
	 * to still hold what was checked. */
	if ((rc = mail_addr_check(m->to)) < 0 ||
	    (rc = mail_text_check(m->subject, 0, "mail subject")) < 0 ||
	    (rc = mail_text_check(m->body, 1, "mail body")) < 0 ||
	    (rc = mail_text_check(m->kind, 0, "mail kind")) < 0 || !is_ascii(m->kind) ||
	    strlen(m->kind) > MAIL_KIND_MAX || !hex_lower_run(m->id, strlen(m->id)))
		return rc < 0 ? rc
		              : sertel_err(SERTEL_EINVAL, "mail %.40s: bad kind or id",
		                           m->id);
	if ((rc = put_date(out, m->created_at)) < 0 || (rc = put_from(out, c)) < 0 ||
	    (rc = buf_appendf(out, "To: %s\r\n", m->to)) < 0 ||
	    (rc = put_unstructured(out, "Subject", m->subject)) < 0 ||
	    /* RFC 5322 3.6.4: the queue id is unique and stays the same on
	     * every retry, so a rare second delivery shows as a duplicate. */
	    (rc = buf_appendf(out, "Message-ID: <%s%s>\r\n", m->id, domain)) < 0 ||
	    /* RFC 3834 5: no auto-replies to machine-made notices. */
	    (rc = buf_append(out, "Auto-Submitted: auto-generated\r\n", 32)) < 0 ||
	    (rc = buf_appendf(out, "X-Sertel-Kind: %s\r\n", m->kind)) < 0 ||
	    (rc = buf_append(out, "MIME-Version: 1.0\r\n", 19)) < 0 ||
	    (rc = buf_append(out, "Content-Type: text/plain; charset=UTF-8\r\n", 41)) <
	        0 ||
	    (rc = put_body(out, m->body)) < 0)
		return rc;
	return 0;
}

/* ---- transport ---------------------------------------------------------- */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void
curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t
read_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;

	if (n > r->len - r->off)
		n = r->len - r->off;
	memcpy(ptr, r->p + r->off, n);
	r->off += n;
	return n;
}

/* Follows the SMTP dialogue so a failure can be told apart: a 5xx reply
 * to RCPT or to the end of DATA concerns this message, anything else the
 * relay or the configuration.  Command arguments are never copied (AUTH
 * carries the credentials). */
static int
debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	static const char *const verbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH",
	                                    "MAIL", "RCPT", "DATA",     "RSET",
	                                    "QUIT", "NOOP", "VRFY"};
	struct mail_smtp *s = arg;
	size_t i, n;

	if (type == CURLINFO_HEADER_OUT) {
		for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
			n = strlen(verbs[i]);
			if (size >= n && strncmp(data, verbs[i], n) == 0 &&
			    (size == n || data[n] == ' ' || data[n] == '\r')) {
				str_copy(s->cmd, sizeof(s->cmd),
				         i == 2 ? "STLS" : verbs[i]);
				return 0;
			}
		}
		/* Not a verb: an AUTH continuation; s->cmd stays "AUTH". */
		return 0;
	}
	if (type != CURLINFO_HEADER_IN || size < 3 || data[0] < '2' || data[0] > '5' ||
	    data[1] < '0' || data[1] > '9' || data[2] < '0' || data[2] > '9')
		return 0;
	/* curl says QUIT when it gives up on a connection: keep the reply
	 * that made it give up. */
	if (strcmp(s->cmd, "QUIT") == 0)
		return 0;
	s->code = (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
	str_copy(s->reply_to, sizeof(s->reply_to), s->cmd);
	n = size < sizeof(s->reply) - 1 ? size : sizeof(s->reply) - 1;
	for (i = 0; i < n && data[i] != '\r' && data[i] != '\n'; i++)
		s->reply[i] =
		    ((unsigned char)data[i] < 0x20 || (unsigned char)data[i] >= 0x7f)
		        ? '?'
		        : data[i];
	s->reply[i] = '\0';
	/* RFC 5321 4.1.1.4: after 354 the next reply answers the end of data. */
	if (strcmp(s->cmd, "DATA") == 0 && s->code == 354)
		str_copy(s->cmd, sizeof(s->cmd), "EOD");
	return 0;
}

int
mail_smtp_open(struct mail_smtp **out, const struct mail_conf *c)
{
	struct mail_smtp *s = NULL;
	CURLcode cc = CURLE_OK;
	int rc;

	*out = NULL;
	if (!c->enabled)
		return sertel_err(SERTEL_EINVAL, "mail: [smtp] host is not configured");
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return sertel_err(SERTEL_EIO, "mail: curl_global_init: %s",
		                  curl_easy_strerror(curl_init_rc));
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "mail: out of memory");
	s->conf = c;
	/* RFC 5321 4.1.2 / curl: the path of an smtp:// URL is the EHLO name. */
	if (snprintf(s->url, sizeof(s->url),
	             strchr(c->host, ':') ? "smtp://[%s]:%d/%s" : "smtp://%s:%d/%s",
	             c->host, c->port, c->helo) >= (int)sizeof(s->url) ||
	    snprintf(s->mail_from, sizeof(s->mail_from), "<%s>", c->from_addr) >=
	        (int)sizeof(s->mail_from)) {
		rc = sertel_err(SERTEL_EINVAL, "mail: SMTP URL too long");
		goto fail;
	}
	if ((s->curl = curl_easy_init()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "mail: curl_easy_init failed");
		goto fail;
	}
#define SETOPT(o, v)                                                                     \
	do {                                                                             \
		if (cc == CURLE_OK)                                                      \
			cc = curl_easy_setopt(s->curl, o, v);                            \
	} while (0)
	SETOPT(CURLOPT_URL, s->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SETOPT(CURLOPT_PROTOCOLS_STR, "smtp");
#else
	SETOPT(CURLOPT_PROTOCOLS, (long)CURLPROTO_SMTP);
#endif
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_CONNECTTIMEOUT, (long)c->timeout_seconds);
	SETOPT(CURLOPT_TIMEOUT, (long)c->timeout_seconds);
	SETOPT(CURLOPT_ERRORBUFFER, s->errbuf);
	SETOPT(CURLOPT_USE_SSL,
	       c->starttls == MAIL_STARTTLS_REQUIRED ? (long)CURLUSESSL_ALL
	       : c->starttls == MAIL_STARTTLS_TRY    ? (long)CURLUSESSL_TRY
	                                             : (long)CURLUSESSL_NONE);
	if (c->ca_file[0] != '\0')
		SETOPT(CURLOPT_CAINFO, c->ca_file);
	if (c->username[0] != '\0') {
		SETOPT(CURLOPT_USERNAME, c->username);
		SETOPT(CURLOPT_PASSWORD, c->password);
	}
	SETOPT(CURLOPT_MAIL_FROM, s->mail_from);
	SETOPT(CURLOPT_UPLOAD, 1L);
	SETOPT(CURLOPT_READFUNCTION, read_cb);
	/* VERBOSE only feeds debug_cb; nothing goes to stderr. */
	SETOPT(CURLOPT_DEBUGFUNCTION, debug_cb);
	SETOPT(CURLOPT_DEBUGDATA, s);
	SETOPT(CURLOPT_VERBOSE, 1L);
#undef SETOPT
	if (cc != CURLE_OK) {
		rc = sertel_err(SERTEL_EIO, "mail: curl_easy_setopt: %s",
		                curl_easy_strerror(cc));
		goto fail;
	}
	*out = s;
	return 0;
fail:
	mail_smtp_close(s);
	return rc;
}

void
mail_smtp_close(struct mail_smtp *s)
{
	if (s == NULL)
		return;
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	free(s);
}

int
mail_smtp_send(int *permanent, struct mail_smtp *s, const struct mail_msg *m)
{
	struct curl_slist *rcpt = NULL;
	struct reader r;
	struct buf msg;
	char to[MAIL_ADDR_MAX + 3];
	CURLcode cc;
	int rc;

	*permanent = 0;
	buf_init(&msg, MAIL_MESSAGE_MAX);
	if ((rc = mail_message_build(&msg, s->conf, m)) < 0) {
		/* The row itself is bad (edited in the database): retrying
		 * cannot help. */
		*permanent = 1;
		goto out;
	}
	snprintf(to, sizeof(to), "<%s>", m->to);
	if ((rcpt = curl_slist_append(NULL, to)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "mail: out of memory");
		goto out;
	}
	r.p = msg.data;
	r.len = msg.len;
	r.off = 0;
	s->errbuf[0] = '\0';
	s->cmd[0] = s->reply_to[0] = s->reply[0] = '\0';
	s->code = 0;
	cc = curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(s->curl, CURLOPT_READDATA, &r);
	/* RFC 1870: lets the relay refuse an oversize message up front. */
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE,
		                      (curl_off_t)msg.len);
	if (cc == CURLE_OK)
		cc = curl_easy_perform(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, NULL);
	if (cc != CURLE_OK) {
		/* RFC 5321 4.2.1: 5yz is permanent, but only a refusal of this
		 * recipient or this content is this message's fault; a 5xx to
		 * MAIL or AUTH is the relay's configuration and is retried. */
		*permanent = s->code / 100 == 5 && (strcmp(s->reply_to, "RCPT") == 0 ||
		                                    strcmp(s->reply_to, "EOD") == 0);
		rc = sertel_err(
		    SERTEL_EIO, "smtp %s:%d: %s%s%s%s%s%s", s->conf->host, s->conf->port,
		    curl_easy_strerror(cc), s->errbuf[0] ? ": " : "", s->errbuf,
		    s->reply[0] ? " (server: " : "", s->reply, s->reply[0] ? ")" : "");
		goto out;
	}
	rc = 0;
out:
	curl_slist_free_all(rcpt);
	buf_free(&msg);
	return rc;
}
