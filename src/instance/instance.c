/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creating and opening instances.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "instance/instance.h"

#define CONF_NAME "sertel.conf"
#define CONF_MAX  (256 * 1024)

static int
path_join(char *out, size_t outsz, const char *dir, const char *name)
{
	if (snprintf(out, outsz, "%s/%s", dir, name) >= (int)outsz)
		return sertel_err(SERTEL_EINVAL, "%s: path too long", dir);
	return 0;
}

static int
mkdir_p(const char *dir)
{
	char tmp[1024], *p;

	if (str_copy(tmp, sizeof(tmp), dir) < 0)
		return sertel_err(SERTEL_EINVAL, "%s: path too long", dir);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return sertel_err(SERTEL_EIO, "%s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return sertel_err(SERTEL_EIO, "%s: %s", tmp, strerror(errno));
	return 0;
}

/* ini values end at the line: refuse anything that would break the file. */
static int
conf_value_check(const char *what, const char *v)
{
	if (strpbrk(v, "\r\n;#") != NULL || strlen(v) > 200)
		return sertel_err(SERTEL_EINVAL,
		                  "%s: no line breaks, ';' or '#', at most 200 bytes",
		                  what);
	return 0;
}

void
instance_cli_actor(char *out, size_t outsz)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, outsz, "cli:%s", pw ? pw->pw_name : "unknown");
}

int
instance_create(const struct instance_params *p)
{
	char absdir[PATH_MAX], conf[PATH_MAX + 32], key[PATH_MAX + 32],
	    dbpath[PATH_MAX + 32], url[PATH_MAX + 64];
	const char *org = p->org ? p->org : "Pemerintah Daerah";
	const char *base = p->base_url ? p->base_url : "http://127.0.0.1:8080";
	const char *algo = p->algo ? p->algo : "ec-p256";
	struct config *cfg = NULL;
	struct pki_conf pc;
	struct store *st = NULL;
	struct issuer_rec existing;
	unsigned char master[SECRET_LEN];
	struct buf b;
	int rc, wrote_key = 0, made_db = 0, made_dir;
	size_t n;

	buf_init(&b, CONF_MAX);
	if (!key_algo_valid(algo))
		return sertel_err(SERTEL_EINVAL,
		                  "--algo %s: expected ec-p256, ec-p384, rsa-2048, "
		                  "rsa-3072 or rsa-4096",
		                  algo);
	if ((rc = conf_value_check("--org", org)) < 0 ||
	    (rc = conf_value_check("--base-url", base)) < 0 ||
	    (rc = name_check_text("--org", org, 64)) < 0)
		return rc;
	/* X.520 ub-state-name / ub-locality-name: 128 */
	if ((p->state != NULL &&
	     ((rc = conf_value_check("--state", p->state)) < 0 ||
	      (rc = name_check_text("--state", p->state, 128)) < 0)) ||
	    (p->locality != NULL &&
	     ((rc = conf_value_check("--locality", p->locality)) < 0 ||
	      (rc = name_check_text("--locality", p->locality, 128)) < 0)))
		return rc;
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "--base-url '%s': expected http:// or "
		                  "https:// URL",
		                  base);
	n = strlen(base);
	if (n > 0 && base[n - 1] == '/')
		return sertel_err(SERTEL_EINVAL, "--base-url '%s': no trailing '/'",
		                  base);
	if (p->db != NULL && (rc = conf_value_check("--db", p->db)) < 0)
		return rc;
	made_dir = access(p->dir, F_OK) != 0;
	if ((rc = mkdir_p(p->dir)) < 0)
		return rc;
	if (realpath(p->dir, absdir) == NULL)
		return sertel_err(SERTEL_EIO, "%s: %s", p->dir, strerror(errno));
	if ((rc = path_join(conf, sizeof(conf), absdir, CONF_NAME)) < 0 ||
	    (rc = path_join(key, sizeof(key), absdir, "master.key")) < 0 ||
	    (rc = path_join(dbpath, sizeof(dbpath), absdir, "sertel.db")) < 0)
		return rc;
	if (access(conf, F_OK) == 0 || access(key, F_OK) == 0)
		return sertel_err(SERTEL_EEXISTS,
		                  "%s: an instance exists here already (refusing to "
		                  "overwrite it)",
		                  absdir);
	if (p->db == NULL) {
		if (access(dbpath, F_OK) == 0)
			return sertel_err(SERTEL_EEXISTS,
			                  "%s: database exists already (refusing to "
			                  "overwrite it)",
			                  dbpath);
		snprintf(url, sizeof(url), "sqlite:%s", dbpath);
		made_db = 1;
	} else {
		if (str_copy(url, sizeof(url), p->db) < 0)
			return sertel_err(SERTEL_EINVAL, "--db: too long");
		made_db = strncmp(url, "sqlite:", 7) == 0 && access(url + 7, F_OK) != 0;
	}

	if ((rc = buf_appendf(
	         &b,
	         "; sertel instance configuration\n"
	         "[instance]\norg = %s\n%s%s%s%s%s%sbase_url = %s\ndb = %s\n"
	         "algo = %s\n\n"
	         "[server]\nlisten = 127.0.0.1:8080\nthreads = 32\n"
	         "max_request_bytes = 1048576\n\n"
	         "; days, per certificate type (Palembang 10(1): 2 years);\n"
	         "; tls: at most, for ssl-server certificates (browsers: 398)\n"
	         "[validity]\nindividu = 730\njabatan = 730\nsistem = 730\n"
	         "tls = 398\n\n"
	         "[crl]\nnext_update_hours = 24\n\n"
	         "[ocsp]\nvalidity_hours = 24\n\n"
	         "[tsa]\naccuracy_ms = 1000\n",
	         org, p->state ? "state = " : "", p->state ? p->state : "",
	         p->state ? "\n" : "", p->locality ? "locality = " : "",
	         p->locality ? p->locality : "", p->locality ? "\n" : "", base, url,
	         algo)) < 0)
		goto out;
	/* Parse what we are about to write, so init and open agree. */
	{
		char tmpconf[PATH_MAX + 64];
		snprintf(tmpconf, sizeof(tmpconf), "%s.new", conf);
		if ((rc = file_write(tmpconf, b.data, b.len, 0600)) < 0)
			goto out;
		rc = config_load(&cfg, tmpconf);
		unlink(tmpconf);
		if (rc < 0)
			goto out;
	}
	if ((rc = pki_conf_load(&pc, cfg)) < 0)
		goto out;
	if ((rc = secret_create(absdir)) < 0)
		goto out;
	wrote_key = getenv("SERTEL_MASTER_PASSPHRASE") == NULL;
	if ((rc = secret_load(master, absdir)) < 0)
		goto out;
	if ((rc = store_open(&st, url, master)) < 0)
		goto out;
	if (store_issuer_by_role(st, "root", &existing) == 0) {
		issuer_rec_free(&existing);
		made_db = 0;
		rc = sertel_err(SERTEL_EEXISTS,
		                "%s: the database holds an instance already (refusing "
		                "to overwrite it)",
		                url);
		goto out;
	}
	if (!p->ra_only && (rc = ca_init_hierarchy(st, &pc, algo, master,
	                                           p->actor ? p->actor : "system")) < 0)
		goto out;
	/* RA-only: the config names the upstream to fill in (sertel.conf). */
	if (p->ra_only &&
	    (rc = buf_appendf(&b, "\n; RA-only: certificates come from an upstream "
	                          "sertel instance (PSrE)\n[issuer]\nmode = upstream\n"
	                          ";url = https://psre.example:8443\n"
	                          ";token_file = upstream.token\n"
	                          ";ca_file = upstream-root.pem\n")) < 0)
		goto out;
	if ((rc = store_begin(st)) < 0 || (rc = store_meta_set(st, "org", org)) < 0 ||
	    (rc = audit_append(st, p->actor ? p->actor : "system", "instance.create",
	                       absdir, p->ra_only ? "RA-only" : org)) < 0) {
		store_rollback(st);
		goto out;
	}
	if ((rc = store_commit(st)) < 0)
		goto out;
	/* The config goes last: its presence marks a complete instance. */
	rc = file_write(conf, b.data, b.len, 0600);
out:
	secure_wipe(master, sizeof(master));
	store_close(st);
	config_free(cfg);
	buf_free(&b);
	if (rc < 0) {
		char msg[512];
		str_copy(msg, sizeof(msg), sertel_errmsg());
		if (wrote_key)
			unlink(key);
		if (made_db) {
			char side[PATH_MAX + 64];
			const char *dbf = url + 7;
			unlink(dbf);
			snprintf(side, sizeof(side), "%s-wal", dbf);
			unlink(side);
			snprintf(side, sizeof(side), "%s-shm", dbf);
			unlink(side);
		}
		if (made_dir)
			rmdir(absdir);
		sertel_err(rc, "%s", msg);
	}
	return rc;
}

int
instance_open(struct instance **out, const char *dir)
{
	struct instance *in;
	char conf[PATH_MAX + 32];
	const char *url;
	int rc;

	*out = NULL;
	if ((in = calloc(1, sizeof(*in))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = str_copy(in->dir, sizeof(in->dir), dir)) < 0)
		goto fail;
	if ((rc = path_join(conf, sizeof(conf), dir, CONF_NAME)) < 0)
		goto fail;
	if (access(conf, F_OK) != 0) {
		rc = sertel_err(SERTEL_ENOTFOUND,
		                "%s: no sertel instance here (run 'sertel init --dir "
		                "%s' first)",
		                dir, dir);
		goto fail;
	}
	if ((rc = config_load(&in->cfg, conf)) < 0)
		goto fail;
	url = config_get(in->cfg, "instance", "db", NULL);
	if (url == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "%s: [instance] db is missing", conf);
		goto fail;
	}
	if ((rc = str_copy(in->db_url, sizeof(in->db_url), url)) < 0)
		goto fail;
	if ((rc = pki_conf_load(&in->pc, in->cfg)) < 0 ||
	    (rc = config_time_zone(&in->tz, in->cfg)) < 0)
		goto fail;
	if ((rc = secret_load(in->master, dir)) < 0)
		goto fail;
	if ((rc = store_open(&in->st, in->db_url, in->master)) < 0)
		goto fail;
	*out = in;
	return 0;
fail:
	instance_close(in);
	return rc;
}

void
instance_close(struct instance *in)
{
	if (in == NULL)
		return;
	store_close(in->st);
	config_free(in->cfg);
	secure_wipe(in->master, sizeof(in->master));
	free(in);
}

int
instance_store_open(struct instance *in, struct store **out)
{
	return store_open(out, in->db_url, in->master);
}
