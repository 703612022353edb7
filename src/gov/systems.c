/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The register of the region's electronic systems (Denpasar 8(4)): each
 * system's owner agency, its https address and the sistem elektronik
 * certificate it uses; and the TLS probe that checks what the address
 * really presents.  The probe is an outbound connection made by the
 * server, so it is bounded in time, never follows a redirect, and reaches
 * loopback or private addresses only when [governance] probe_private says
 * so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "net/net.h"
#include "pki/pki.h"
#include "pki/validate.h"

#define PURPOSE_CHARS 500
#define REPLY_MAX     8192 /* bytes of the HTTP answer's head read */

static const char *const state_names[] = {"active", "retired"};

const char *
gov_system_state_name(enum gov_system_state s)
{
	return (unsigned)s < 2 ? state_names[s] : "?";
}

int
gov_system_state_parse(enum gov_system_state *out, const char *name)
{
	int i;

	for (i = 0; i < 2; i++)
		if (name != NULL && strcmp(name, state_names[i]) == 0) {
			*out = (enum gov_system_state)i;
			return 0;
		}
	return sertel_err(SERTEL_EINVAL, "system state '%s': active or retired",
	                  name ? name : "");
}

/* ---- the address ------------------------------------------------------- */
int
gov_url_parse(struct gov_url *out, const char *url)
{
	const char *p, *h, *he;
	long long port = 443;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (url == NULL || strncmp(url, "https://", 8) != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "address '%.200s': must be https://HOST[:PORT][/path]",
		                  url ? url : "");
	if (strlen(url) >= GOV_URL_MAX)
		return sertel_err(SERTEL_EINVAL, "address: longer than %d",
		                  GOV_URL_MAX - 1);
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '#')
			return sertel_err(SERTEL_EINVAL,
			                  "address '%.200s': spaces, control characters, "
			                  "a fragment or non-ASCII (use %%-escapes)",
			                  url);
	h = url + 8;
	if (*h == '[') {
		he = strchr(h, ']');
		if (he == NULL)
			return sertel_err(SERTEL_EINVAL, "address '%.200s': ']' missing",
			                  url);
		n = (size_t)(he - h - 1);
		h++;
		p = he + 1;
	} else {
		he = h + strcspn(h, ":/?");
		n = (size_t)(he - h);
		p = he;
	}
	if (n == 0 || n >= sizeof(out->host) || memchr(h, '@', n) != NULL)
		return sertel_err(SERTEL_EINVAL, "address '%.200s': not a host", url);
	memcpy(out->host, h, n);
	out->host[n] = '\0';
	if ((rc = validate_hostname_check(out->host)) < 0)
		return sertel_err(
		    SERTEL_EINVAL,
		    "address '%.200s': '%s' is not a host (a DNS name or an "
		    "IP address)",
		    url, out->host);
	if (*p == ':') {
		char num[8];

		n = strcspn(p + 1, "/?");
		if (n == 0 || n >= sizeof(num))
			return sertel_err(SERTEL_EINVAL, "address '%.200s': bad port",
			                  url);
		memcpy(num, p + 1, n);
		num[n] = '\0';
		if (parse_ll(&port, num, 1, 65535) < 0)
			return sertel_err(SERTEL_EINVAL,
			                  "address '%.200s': port 1 to 65535", url);
		p += 1 + n;
	}
	out->port = (int)port;
	if (*p == '\0')
		str_copy(out->path, sizeof(out->path), "/");
	else if (*p == '/')
		str_copy(out->path, sizeof(out->path), p);
	else /* "?query" right after the host */
		snprintf(out->path, sizeof(out->path), "/%s", p);
	return 0;
}

/* ---- the register ------------------------------------------------------ */
#define SYSTEM_COLS                                                                      \
	"SELECT s.id, s.name, s.agency_id, a.name, s.url, s.purpose, "                   \
	"COALESCE(s.cert_serial, ''), COALESCE(c.not_after, 0), COALESCE(c.revoked, "    \
	"0), "                                                                           \
	"COALESCE(p.agency_id, ''), s.state, s.created_by, s.created_at, s.updated_at "  \
	"FROM gov_systems s JOIN agencies a ON a.id = s.agency_id "                      \
	"LEFT JOIN certs c ON c.serial = s.cert_serial "                                 \
	"LEFT JOIN persons p ON p.nik = c.nik "

static void
system_row(struct gov_system *o, struct db_stmt *s)
{
	memset(o, 0, sizeof(*o));
	str_copy(o->id, sizeof(o->id), db_col_text(s, 0));
	str_copy(o->name, sizeof(o->name), db_col_text(s, 1));
	str_copy(o->agency_id, sizeof(o->agency_id), db_col_text(s, 2));
	str_copy(o->agency_name, sizeof(o->agency_name), db_col_text(s, 3));
	str_copy(o->url, sizeof(o->url), db_col_text(s, 4));
	str_copy(o->purpose, sizeof(o->purpose), db_col_text(s, 5));
	str_copy(o->cert_serial, sizeof(o->cert_serial), db_col_text(s, 6));
	o->cert_not_after = db_col_int(s, 7);
	o->cert_revoked = (int)db_col_int(s, 8);
	str_copy(o->cert_agency_id, sizeof(o->cert_agency_id), db_col_text(s, 9));
	if (gov_system_state_parse(&o->state, db_col_text(s, 10)) < 0)
		o->state = GOV_SYSTEM_RETIRED;
	sertel_err_clear();
	str_copy(o->created_by, sizeof(o->created_by), db_col_text(s, 11));
	o->created_at = db_col_int(s, 12);
	o->updated_at = db_col_int(s, 13);
}

static int
system_load(struct gov_system *out, struct store *st, const char *id)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st), SYSTEM_COLS "WHERE s.id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 && (rc = db_step(s)) == 1)
		system_row(out, s);
	db_finalize(s);
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "system %.40s: not registered", id);
	return rc < 0 ? rc : 0;
}

int
gov_system_get(struct gov_system *out, struct store *st, const struct ra_actor *who,
               const char *id)
{
	int rc;

	if ((rc = system_load(out, st, id ? id : "")) < 0)
		return rc;
	if ((rc = gov_cover_access(st, who, out->agency_id, 0)) < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int
gov_system_iter(struct store *st, const struct ra_actor *who, const char *agency_id,
                gov_system_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_system sys;
	char own[17] = "";
	int rc;

	/* A head of agency asking for all sees their own agency's. */
	if (agency_id == NULL && !ra_sees_all(who)) {
		if ((rc = gov_cover_own_agency(own, st, who)) < 0)
			return rc;
		if (own[0] != '\0')
			agency_id = own;
	}
	if ((rc = gov_cover_access(st, who, agency_id, 0)) < 0)
		return rc;
	rc = db_prepare(&s, store_db(st),
	                agency_id != NULL ? SYSTEM_COLS "WHERE s.agency_id = ? ORDER BY "
	                                                "a.name, s.name, s.id"
	                                  : SYSTEM_COLS "ORDER BY a.name, s.name, s.id");
	if (rc == 0 && agency_id != NULL)
		rc = db_bind_text(s, 1, agency_id);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		system_row(&sys, s);
		rc = cb(&sys, arg);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

struct system_save {
	const struct ra_actor *who;
	struct gov_system *sys;
	int add;
	const char *reason;
};

static int
system_save_fn(struct store *st, void *arg)
{
	struct system_save *w = arg;
	struct gov_system *y = w->sys;
	char obj[64], detail[2600];
	int64_t n;

	if (w->add)
		n = db_run(
		    store_db(st),
		    "INSERT INTO gov_systems (id, name, agency_id, url, purpose, "
		    "cert_serial, created_by, created_at, updated_at, state) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
		    "sssssssii", y->id, y->name, y->agency_id, y->url, y->purpose,
		    y->cert_serial[0] ? y->cert_serial : NULL, w->who->label,
		    y->created_at, y->updated_at);
	else
		n = db_run(
		    store_db(st),
		    "UPDATE gov_systems SET name = ?, agency_id = ?, url = ?, "
		    "purpose = ?, cert_serial = ?, updated_at = ? WHERE id = ? AND "
		    "state = 'active'",
		    "sssssis", y->name, y->agency_id, y->url, y->purpose,
		    y->cert_serial[0] ? y->cert_serial : NULL, y->updated_at, y->id);
	if (n == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "address %s: already registered",
		                  y->url);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(
		    SERTEL_ESTATE,
		    "system %s: retired systems are not changed (activate it "
		    "first)",
		    y->id);
	snprintf(obj, sizeof(obj), "gov_system:%s", y->id);
	snprintf(detail, sizeof(detail), "%s %s cert=%s agency=%s: %s", y->name, y->url,
	         y->cert_serial[0] ? y->cert_serial : "-", y->agency_id, w->reason);
	return audit_append(st, w->who->label,
	                    w->add ? "gov.system.add" : "gov.system.update", obj, detail);
}

/* The certificate a system names: issued here, of type sistem. */
static int
system_cert_check(struct gov_system *y, char *warn, size_t warnsz, struct store *st,
                  const char *serial)
{
	struct cert_rec rec;
	struct ra_person owner;
	char hex[SERIAL_HEX_MAX + 1];
	int rc;

	memset(&rec, 0, sizeof(rec));
	if (serial[0] == '\0') {
		y->cert_serial[0] = '\0';
		return 0;
	}
	if (serial_normalise(hex, NULL, serial) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "certificate '%.60s': not a serial number", serial);
	if ((rc = store_cert_get(st, hex, &rec)) == SERTEL_ENOTFOUND)
		return sertel_err(SERTEL_EINVAL,
		                  "certificate %s: not issued by this instance", hex);
	if (rc < 0)
		return rc;
	if (strcmp(rec.type, "sistem") != 0) {
		rc = sertel_err(
		    SERTEL_EINVAL,
		    "certificate %s: type %s, a system uses a sistem elektronik "
		    "certificate (Denpasar 8(4))",
		    hex, rec.type);
		goto out;
	}
	str_copy(y->cert_serial, sizeof(y->cert_serial), hex);
	if (warn != NULL && rec.nik[0] != '\0' &&
	    ra_person_get(&owner, st, rec.nik) == 0 &&
	    strcmp(owner.agency_id, y->agency_id) != 0)
		snprintf(
		    warn, warnsz,
		    "certificate %s belongs to another agency's person (the system is "
		    "%s's)",
		    hex, y->agency_name);
	else if (warn != NULL && cert_rec_status(&rec, time_now()) != CERT_VALID)
		snprintf(warn, warnsz, "certificate %s is %s", hex,
		         cert_status_name(cert_rec_status(&rec, time_now())));
	sertel_err_clear();
	rc = 0;
out:
	cert_rec_free(&rec);
	return rc;
}

int
gov_system_save(struct gov_system *out, char *warn, size_t warnsz, struct store *st,
                const struct ra_actor *who, const char *id,
                const struct gov_system_req *rq, const char *reason)
{
	struct system_save w = {who, out, id == NULL, reason};
	struct gov_url u;
	struct ra_agency ag;
	const char *v;
	int rc;

	if (warn != NULL && warnsz > 0)
		warn[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (id != NULL) {
		if ((rc = system_load(out, st, id)) < 0)
			return rc;
		/* Who may change it now, before any change of owner. */
		if ((rc = gov_cover_access(st, who, out->agency_id, 1)) < 0)
			return rc;
		if (out->state != GOV_SYSTEM_ACTIVE)
			return sertel_err(SERTEL_ESTATE,
			                  "system %s: retired systems are not changed "
			                  "(activate it first)",
			                  out->id);
	} else if (rq->name == NULL || rq->agency_id == NULL || rq->url == NULL) {
		return sertel_err(SERTEL_EINVAL, "system: name, agency and address are "
		                                 "required");
	}
	if ((rc = gov_reason_check(reason)) < 0)
		return rc;
	if (rq->agency_id != NULL) {
		if ((rc = ra_agency_get(&ag, st, rq->agency_id)) == SERTEL_ENOTFOUND)
			return sertel_err(SERTEL_EINVAL, "agency '%.60s': no such agency",
			                  rq->agency_id);
		if (rc < 0)
			return rc;
		str_copy(out->agency_id, sizeof(out->agency_id), ag.id);
		str_copy(out->agency_name, sizeof(out->agency_name), ag.name);
	}
	if ((rc = gov_cover_access(st, who, out->agency_id, 1)) < 0)
		return rc;
	if (rq->name != NULL) {
		if ((rc = name_check_text("system name", rq->name, 128)) < 0)
			return rc;
		str_copy(out->name, sizeof(out->name), rq->name);
	}
	if (rq->url != NULL) {
		if ((rc = gov_url_parse(&u, rq->url)) < 0)
			return rc;
		str_copy(out->url, sizeof(out->url), rq->url);
	}
	if ((v = rq->purpose) != NULL) {
		if (v[0] != '\0' &&
		    (rc = name_check_text("purpose", v, PURPOSE_CHARS)) < 0)
			return rc;
		str_copy(out->purpose, sizeof(out->purpose), v);
	}
	if (rq->cert_serial != NULL &&
	    (rc = system_cert_check(out, warn, warnsz, st, rq->cert_serial)) < 0)
		return rc;
	out->updated_at = time_now();
	if (id == NULL) {
		if ((rc = rand_hex(out->id, 8)) < 0)
			return rc;
		out->created_at = out->updated_at;
		out->state = GOV_SYSTEM_ACTIVE;
		str_copy(out->created_by, sizeof(out->created_by), who->label);
	}
	if ((rc = store_atomic(st, system_save_fn, &w)) < 0)
		return rc;
	{
		char sid[17];

		str_copy(sid, sizeof(sid), out->id);
		return system_load(out, st, sid);
	}
}

struct system_state {
	const struct ra_actor *who;
	const char *id;
	enum gov_system_state from, to;
	const char *reason;
};

static int
system_state_fn(struct store *st, void *arg)
{
	struct system_state *w = arg;
	char obj[64];
	int64_t n;

	n = db_run(store_db(st),
	           "UPDATE gov_systems SET state = ?, state_reason = ?, updated_at = ? "
	           "WHERE id = ? AND state = ?",
	           "ssiss", gov_system_state_name(w->to), w->reason, time_now(), w->id,
	           gov_system_state_name(w->from));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ESTATE, "system %s: changed meanwhile", w->id);
	snprintf(obj, sizeof(obj), "gov_system:%s", w->id);
	return audit_append(st, w->who->label,
	                    w->to == GOV_SYSTEM_RETIRED ? "gov.system.retire"
	                                                : "gov.system.activate",
	                    obj, w->reason);
}

int
gov_system_set_state(struct store *st, const struct ra_actor *who, const char *id,
                     enum gov_system_state to, const char *reason)
{
	/* The transitions: active -> retired, retired -> active. */
	static const int allowed[2][2] = {{0, 1}, {1, 0}};
	struct system_state w = {who, id, GOV_SYSTEM_ACTIVE, to, reason};
	struct gov_system y;
	int rc;

	if ((rc = system_load(&y, st, id ? id : "")) < 0)
		return rc;
	if ((rc = gov_cover_access(st, who, y.agency_id, 1)) < 0)
		return rc;
	if ((unsigned)to > 1 || !allowed[y.state][to])
		return sertel_err(SERTEL_ESTATE,
		                  "system %s: already %s (active <-> retired)", y.id,
		                  gov_system_state_name(y.state));
	if ((rc = gov_reason_check(reason)) < 0)
		return rc;
	w.from = y.state;
	return store_atomic(st, system_state_fn, &w);
}

/* ---- the probe --------------------------------------------------------- */
static int64_t
ms_left(int64_t deadline_us)
{
	int64_t left = (deadline_us - time_now_us()) / 1000;

	return left > 0 ? left : 0;
}

/* Waits for fd to be ready for ev within the deadline: 1 ready, 0 timed out. */
static int
fd_wait(int fd, short ev, int64_t deadline_us)
{
	struct pollfd p = {fd, ev, 0};
	int r;

	for (;;) {
		int64_t ms = ms_left(deadline_us);

		if (ms == 0)
			return 0;
		r = poll(&p, 1, (int)ms);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return 0;
	}
}

/* Connects to the first address of host:port that answers, within the
 * deadline; special addresses only when allowed. */
static int
probe_connect(int *fd_out, char *err, size_t errsz, const struct gov_url *u,
              int allow_private, int64_t deadline_us)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[8], addr[INET6_ADDRSTRLEN];
	int fd = -1, rc, soerr;
	socklen_t sl;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", u->port);
	if ((rc = getaddrinfo(u->host, port, &hints, &res)) != 0) {
		snprintf(err, errsz, "%.120s: %.100s", u->host, gai_strerror(rc));
		return -1;
	}
	snprintf(err, errsz, "%.120s: no address", u->host);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		const void *a =
		    ai->ai_family == AF_INET
		        ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
		        : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

		if (inet_ntop(ai->ai_family, a, addr, sizeof(addr)) == NULL)
			continue;
		/* Checked on the address connected to, so a name that resolves
		 * to a private address is refused alike. */
		if (!allow_private && net_addr_special(addr) != 0) {
			snprintf(err, errsz,
			         "%s: a loopback, private or special address, not probed "
			         "([governance] probe_private is off)",
			         addr);
			continue;
		}
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS && fd_wait(fd, POLLOUT, deadline_us)) {
			sl = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 &&
			    soerr == 0)
				break;
			errno = soerr;
		} else if (errno == EINPROGRESS) {
			errno = ETIMEDOUT;
		}
		snprintf(err, errsz, "connect %s port %d: %.100s", addr, u->port,
		         strerror(errno));
		close(fd);
		fd = -1;
		if (ms_left(deadline_us) == 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return -1;
	*fd_out = fd;
	return 0;
}

/* Runs one non-blocking SSL step (handshake, read, write) to completion. */
static int
ssl_step(SSL *ssl, int fd, int r, int64_t deadline_us)
{
	int e = SSL_get_error(ssl, r);

	if (e == SSL_ERROR_WANT_READ)
		return fd_wait(fd, POLLIN, deadline_us) ? 1 : -1;
	if (e == SSL_ERROR_WANT_WRITE)
		return fd_wait(fd, POLLOUT, deadline_us) ? 1 : -1;
	return -2;
}

static void
ssl_error_text(char *err, size_t errsz, const char *what, int step)
{
	unsigned long e = ERR_get_error();
	char buf[200];

	if (step == -1)
		snprintf(err, errsz, "%s: timed out", what);
	else if (e != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		snprintf(err, errsz, "%.40s: %.200s", what, buf);
	} else
		snprintf(err, errsz, "%s: the connection closed", what);
	ERR_clear_error();
}

/* What the leaf says, and whether it is the registered certificate and
 * validates against this instance's CA. */
static void
probe_leaf(struct gov_probe *out, struct store *st, const struct gov_system *sys,
           const struct gov_url *u, X509 *leaf, STACK_OF(X509) * chain)
{
	struct validate_input *vin = NULL;
	struct validate_params vp;
	struct validate_result vr;
	struct issuer_rec rec;
	struct cert_rec reg;
	unsigned char *der = NULL;
	X509 *x = NULL;
	struct tm tm;
	int len, i;

	memset(&rec, 0, sizeof(rec));
	memset(&reg, 0, sizeof(reg));
	memset(&vr, 0, sizeof(vr));
	serial_to_hex(out->serial, X509_get0_serialNumber(leaf));
	if ((len = i2d_X509(leaf, &der)) > 0)
		sha256_hex(out->sha256, der, (size_t)len);
	if (ASN1_TIME_to_tm(X509_get0_notAfter(leaf), &tm) == 1)
		out->not_after = (int64_t)timegm(&tm);
	if (sys->cert_serial[0] != '\0' &&
	    store_cert_get(st, sys->cert_serial, &reg) == 0 && len > 0 &&
	    (size_t)len == reg.der_len && memcmp(der, reg.der, reg.der_len) == 0)
		out->matches = 1;
	out->name_ok = validate_hostname(NULL, 0, leaf, u->host) == 0;
	if (validate_input_new(&vin) < 0)
		goto out;
	if (store_issuer_by_role(st, "root", &rec) == 0 &&
	    (x = pki_x509_from_der(rec.cert_der, rec.cert_len)) != NULL &&
	    validate_input_add_anchor_x509(vin, x) == 0) {
		X509_free(x);
		x = NULL;
		issuer_rec_free(&rec);
		memset(&rec, 0, sizeof(rec));
		if (store_issuer_by_role(st, "issuing", &rec) == 0 &&
		    (x = pki_x509_from_der(rec.cert_der, rec.cert_len)) != NULL)
			validate_input_add_untrusted_x509(vin, x);
		for (i = 0; chain != NULL && i < sk_X509_num(chain); i++)
			if (sk_X509_value(chain, i) != leaf)
				validate_input_add_untrusted_x509(
				    vin, sk_X509_value(chain, i));
		validate_params_init(&vp);
		vp.input = vin;
		vp.purpose = VALIDATE_PURPOSE_SSL_SERVER;
		out->chain_ok = validate_cert_x509(&vr, leaf, &vp) == 0 && vr.valid;
		validate_result_free(&vr);
	}
out:
	sertel_err_clear();
	X509_free(x);
	validate_input_free(vin);
	issuer_rec_free(&rec);
	cert_rec_free(&reg);
	OPENSSL_free(der);
}

/* The host of a Location value: "" for a relative reference. */
static void
location_host(char *out, size_t outsz, const char *loc)
{
	const char *h = strstr(loc, "://"), *e;
	size_t n;

	out[0] = '\0';
	if (strncmp(loc, "//", 2) == 0)
		h = loc;
	else if (h == NULL)
		return;
	h += h == loc ? 2 : 3;
	e = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(e - h)) != NULL)
		h = (const char *)memchr(h, '@', (size_t)(e - h)) + 1;
	if (*h == '[') {
		const char *b = strchr(h, ']');

		if (b != NULL && b < e) {
			h++;
			e = b;
		}
	} else {
		const char *c = memchr(h, ':', (size_t)(e - h));

		if (c != NULL)
			e = c;
	}
	n = (size_t)(e - h) < outsz - 1 ? (size_t)(e - h) : outsz - 1;
	memcpy(out, h, n);
	out[n] = '\0';
}

/* One GET of the path, only its head read (REPLY_MAX); the status and a
 * redirect's host, never followed. */
static void
probe_http(struct gov_probe *out, SSL *ssl, int fd, const struct gov_url *u,
           int64_t deadline_us)
{
	char req[GOV_URL_MAX + 400], reply[REPLY_MAX + 1], host[260], *loc, *eol;
	size_t got = 0;
	int n, r, w, step;

	if (strchr(u->host, ':') != NULL)
		snprintf(host, sizeof(host), "[%s]", u->host);
	else
		snprintf(host, sizeof(host), "%s", u->host);
	if (u->port != 443) {
		size_t hl = strlen(host);

		snprintf(host + hl, sizeof(host) - hl, ":%d", u->port);
	}
	n = snprintf(req, sizeof(req),
	             "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: sertel-probe\r\n"
	             "Connection: close\r\n\r\n",
	             u->path, host);
	for (w = 0; w < n;) {
		r = SSL_write(ssl, req + w, n - w);
		if (r > 0) {
			w += r;
			continue;
		}
		if ((step = ssl_step(ssl, fd, r, deadline_us)) < 0) {
			ssl_error_text(out->error, sizeof(out->error), "HTTP request",
			               step);
			return;
		}
	}
	while (got < REPLY_MAX) {
		r = SSL_read(ssl, reply + got, (int)(REPLY_MAX - got));
		if (r > 0) {
			got += (size_t)r;
			reply[got] = '\0';
			if (strstr(reply, "\r\n\r\n") != NULL)
				break;
			continue;
		}
		if (SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN)
			break;
		if ((step = ssl_step(ssl, fd, r, deadline_us)) < 0) {
			if (got > 0)
				break;
			ssl_error_text(out->error, sizeof(out->error), "HTTP answer",
			               step);
			return;
		}
	}
	reply[got] = '\0';
	if (strncmp(reply, "HTTP/1.", 7) != 0 || got < 12 || reply[8] != ' ') {
		snprintf(out->error, sizeof(out->error), "HTTP answer: not HTTP/1.x");
		return;
	}
	out->http_status = (int)strtol(reply + 9, NULL, 10);
	if (out->http_status < 100 || out->http_status > 599) {
		out->http_status = 0;
		snprintf(out->error, sizeof(out->error), "HTTP answer: no status");
		return;
	}
	/* A redirect is never followed; one to another host is recorded. */
	for (loc = reply; (loc = strstr(loc, "\r\n")) != NULL; loc += 2) {
		if (strncasecmp(loc + 2, "Location:", 9) != 0)
			continue;
		loc += 11;
		while (*loc == ' ' || *loc == '\t')
			loc++;
		if ((eol = strstr(loc, "\r\n")) != NULL)
			*eol = '\0';
		location_host(out->redirect_host, sizeof(out->redirect_host), loc);
		if (out->redirect_host[0] != '\0' &&
		    strcasecmp(out->redirect_host, u->host) == 0)
			out->redirect_host[0] = '\0';
		if (out->redirect_host[0] != '\0')
			snprintf(out->error, sizeof(out->error),
			         "redirect to another host (%.200s), not followed",
			         out->redirect_host);
		break;
	}
}

/* The network part: fills out (error on failure); never touches the store
 * except to read the registered certificate and the CA. */
static void
probe_run(struct gov_probe *out, struct store *st, const struct gov_system *sys,
          const struct gov_probe_opts *o)
{
	int64_t start = time_now_us(), deadline = start + (int64_t)o->timeout * 1000000;
	struct gov_url u;
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	X509 *leaf = NULL;
	int fd = -1, r, step;
	unsigned char ip[16];

	if (gov_url_parse(&u, sys->url) < 0) {
		snprintf(out->error, sizeof(out->error), "%s", sertel_errmsg());
		goto out;
	}
	if (probe_connect(&fd, out->error, sizeof(out->error), &u, o->allow_private,
	                  deadline) < 0)
		goto out;
	out->error[0] = '\0';
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    (ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1) {
		ssl_error_text(out->error, sizeof(out->error), "TLS", -2);
		goto out;
	}
	/* We judge the certificate ourselves, after the handshake. */
	SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
	/* RFC 6066 3: SNI carries DNS names only, never an IP literal. */
	if (inet_pton(AF_INET, u.host, ip) != 1 && inet_pton(AF_INET6, u.host, ip) != 1)
		SSL_set_tlsext_host_name(ssl, u.host);
	while ((r = SSL_connect(ssl)) != 1)
		if ((step = ssl_step(ssl, fd, r, deadline)) < 0) {
			ssl_error_text(out->error, sizeof(out->error), "TLS handshake",
			               step);
			goto out;
		}
	if ((leaf = SSL_get1_peer_certificate(ssl)) == NULL) {
		snprintf(out->error, sizeof(out->error), "TLS: no certificate presented");
		goto out;
	}
	probe_leaf(out, st, sys, &u, leaf, SSL_get_peer_cert_chain(ssl));
	probe_http(out, ssl, fd, &u, deadline);
	out->ok = out->http_status > 0;
out:
	out->elapsed_ms = (time_now_us() - start) / 1000;
	ERR_clear_error();
	X509_free(leaf);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
}

void
gov_probe_opts_load(struct gov_probe_opts *out, const struct config *cfg)
{
	const char *priv = config_get(cfg, "governance", "probe_private", "no");

	out->timeout =
	    (int)config_get_int(cfg, "governance", "probe_timeout", GOV_PROBE_TIMEOUT);
	if (out->timeout < 1 || out->timeout > 60)
		out->timeout = GOV_PROBE_TIMEOUT;
	out->min_gap =
	    (int)config_get_int(cfg, "governance", "probe_min_gap", GOV_PROBE_MIN_GAP);
	if (out->min_gap < 0 || out->min_gap > 86400)
		out->min_gap = GOV_PROBE_MIN_GAP;
	out->allow_private = strcmp(priv, "yes") == 0 || strcmp(priv, "true") == 0 ||
	                     strcmp(priv, "on") == 0 || strcmp(priv, "1") == 0;
}

struct probe_put {
	const struct ra_actor *who;
	struct gov_probe *p;
};

static int
probe_put_fn(struct store *st, void *arg)
{
	struct probe_put *w = arg;
	struct gov_probe *p = w->p;
	char obj[64], detail[600], last[32] = "";
	int64_t n;

	/* Two probes in one second: the later one takes the next second (the
	 * key is the system and the time). */
	if (db_get_text(store_db(st), last, sizeof(last),
	                "SELECT COALESCE(MAX(at), 0) FROM gov_probes WHERE system_id = ?",
	                p->system_id) < 0)
		return SERTEL_ESTORE;
	if (strtoll(last, NULL, 10) >= p->at)
		p->at = strtoll(last, NULL, 10) + 1;
	n = db_run(
	    store_db(st),
	    "INSERT INTO gov_probes (system_id, at, ok, serial_seen, sha256_seen, "
	    "not_after_seen, matches, error, chain_ok, name_ok, http_status, "
	    "redirect_host, elapsed_ms, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?)",
	    "siissiisiiisis", p->system_id, p->at, (int64_t)p->ok,
	    p->serial[0] ? p->serial : NULL, p->sha256[0] ? p->sha256 : NULL,
	    p->not_after, (int64_t)p->matches, p->error[0] ? p->error : NULL,
	    (int64_t)p->chain_ok, (int64_t)p->name_ok, (int64_t)p->http_status,
	    p->redirect_host[0] ? p->redirect_host : NULL, p->elapsed_ms, p->via);
	if (n < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "gov_system:%s", p->system_id);
	snprintf(detail, sizeof(detail), "%s ok=%d matches=%d chain=%d status=%d%s%.300s",
	         p->via, p->ok, p->matches, p->chain_ok, p->http_status,
	         p->error[0] ? " " : "", p->error);
	return audit_append(st, w->who->label, "gov.system.probe", obj, detail);
}

static int
probe_one(struct gov_probe *out, struct store *st, const struct ra_actor *who,
          const struct gov_system *sys, const struct gov_probe_opts *o, const char *via)
{
	struct probe_put w = {who, out};
	int rc;

	memset(out, 0, sizeof(*out));
	str_copy(out->system_id, sizeof(out->system_id), sys->id);
	str_copy(out->via, sizeof(out->via), via);
	out->at = time_now();
	probe_run(out, st, sys, o);
	rc = store_atomic(st, probe_put_fn, &w);
	/* Another probe of the system took that second meanwhile (two
	 * workers at once on PostgreSQL): the next free second, once. */
	if (rc == SERTEL_EEXISTS)
		rc = store_atomic(st, probe_put_fn, &w);
	return rc;
}

int
gov_system_probe(struct gov_probe *out, struct store *st, const struct ra_actor *who,
                 const char *id, const struct gov_probe_opts *o)
{
	struct gov_system sys;
	char last[32] = "";
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = system_load(&sys, st, id ? id : "")) < 0)
		return rc;
	/* Who may register the system may also probe it. */
	if ((rc = gov_cover_access(st, who, sys.agency_id, 1)) < 0)
		return rc;
	if (sys.state != GOV_SYSTEM_ACTIVE)
		return sertel_err(SERTEL_ESTATE,
		                  "system %s: retired systems are not probed", sys.id);
	/* On demand at most once per probe_min_gap seconds per system, so the
	 * button cannot make the server hammer an address. */
	if ((rc = db_get_text(
	         store_db(st), last, sizeof(last),
	         "SELECT COALESCE(MAX(at), 0) FROM gov_probes WHERE system_id = ?",
	         sys.id)) < 0)
		return rc;
	if (o->min_gap > 0 && strtoll(last, NULL, 10) > 0 &&
	    strtoll(last, NULL, 10) > time_now() - o->min_gap)
		return sertel_err(SERTEL_ESTATE,
		                  "system %s: probed less than %d seconds ago "
		                  "([governance] probe_min_gap)",
		                  sys.id, o->min_gap);
	return probe_one(out, st, who, &sys, o, "manual");
}

static void
probe_row(struct gov_probe *p, struct db_stmt *s)
{
	const char *t;

	memset(p, 0, sizeof(*p));
	str_copy(p->system_id, sizeof(p->system_id), db_col_text(s, 0));
	p->at = db_col_int(s, 1);
	p->ok = (int)db_col_int(s, 2);
	if ((t = db_col_text(s, 3)) != NULL)
		str_copy(p->serial, sizeof(p->serial), t);
	if ((t = db_col_text(s, 4)) != NULL)
		str_copy(p->sha256, sizeof(p->sha256), t);
	p->not_after = db_col_int(s, 5);
	p->matches = (int)db_col_int(s, 6);
	if ((t = db_col_text(s, 7)) != NULL)
		str_copy(p->error, sizeof(p->error), t);
	p->chain_ok = (int)db_col_int(s, 8);
	p->name_ok = (int)db_col_int(s, 9);
	p->http_status = (int)db_col_int(s, 10);
	if ((t = db_col_text(s, 11)) != NULL)
		str_copy(p->redirect_host, sizeof(p->redirect_host), t);
	p->elapsed_ms = db_col_int(s, 12);
	str_copy(p->via, sizeof(p->via), db_col_text(s, 13));
}

int
gov_probe_iter(struct store *st, const struct ra_actor *who, const char *id, int limit,
               gov_probe_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_system sys;
	struct gov_probe p;
	int rc;

	if ((rc = gov_system_get(&sys, st, who, id)) < 0)
		return rc;
	if (limit <= 0 || limit > 1000)
		limit = 50;
	rc = db_prepare(
	    &s, store_db(st),
	    "SELECT system_id, at, ok, serial_seen, sha256_seen, "
	    "COALESCE(not_after_seen, 0), matches, error, chain_ok, name_ok, "
	    "COALESCE(http_status, 0), redirect_host, COALESCE(elapsed_ms, 0), "
	    "via FROM gov_probes WHERE system_id = ? ORDER BY at DESC LIMIT ?");
	if (rc == 0 && (rc = db_bind_text(s, 1, sys.id)) == 0)
		rc = db_bind_int(s, 2, limit);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		probe_row(&p, s);
		rc = cb(&p, arg);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
gov_probe_due(struct store *st, const struct config *cfg, int64_t now)
{
	struct gov_probe_opts o;
	struct gov_system sys;
	struct gov_probe p;
	struct ra_actor sched;
	struct db_stmt *s = NULL;
	long long interval, per;
	char ids[32][17];
	int n = 0, i, rc;

	gov_probe_opts_load(&o, cfg);
	interval =
	    config_get_int(cfg, "governance", "probe_interval", GOV_PROBE_INTERVAL);
	per = config_get_int(cfg, "governance", "probe_per_tick", GOV_PROBE_PER_TICK);
	if (interval <= 0 || per <= 0)
		return 0; /* scheduled probes switched off */
	if (per > 32)
		per = 32;
	/* The longest unprobed first: the day's probes spread over the ticks. */
	rc = db_prepare(&s, store_db(st),
	                "SELECT s.id FROM gov_systems s LEFT JOIN (SELECT system_id, "
	                "MAX(at) AS last FROM gov_probes GROUP BY system_id) l ON "
	                "l.system_id = s.id WHERE s.state = 'active' AND "
	                "COALESCE(l.last, 0) <= ? ORDER BY COALESCE(l.last, 0), s.id "
	                "LIMIT ?");
	if (rc == 0 && (rc = db_bind_int(s, 1, now - interval)) == 0)
		rc = db_bind_int(s, 2, per);
	while (rc == 0 && n < (int)per && (rc = db_step(s)) == 1) {
		str_copy(ids[n++], sizeof(ids[0]), db_col_text(s, 0));
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	ra_actor_local(&sched, "gov:schedule");
	for (i = 0; i < n; i++)
		if (system_load(&sys, st, ids[i]) == 0 &&
		    (rc = probe_one(&p, st, &sched, &sys, &o, "schedule")) < 0)
			return rc;
	return 0;
}
