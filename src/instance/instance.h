/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel instance: one directory holding sertel.conf and the master
 * secret (and, with SQLite, the database).  Binds configuration, master
 * secret, PKI settings and a store connection together.
 */
#ifndef SERTEL_INSTANCE_H
#define SERTEL_INSTANCE_H

#include "core/core.h"
#include "pki/pki.h"
#include "store/store.h"

struct instance {
	char dir[1024];
	char db_url[1200];
	struct config *cfg;
	struct pki_conf pc;
	struct time_zone tz; /* [portal] time_zone: every local time shown */
	unsigned char master[SECRET_LEN];
	struct store *st; /* the opening thread's connection */
};

struct instance_params {
	const char *dir;
	const char *db;       /* NULL: sqlite:DIR/sertel.db */
	const char *org;      /* NULL: "Pemerintah Daerah" */
	const char *base_url; /* NULL: http://127.0.0.1:8080 */
	const char *algo;     /* NULL: ec-p256 */
	/* [instance] state / locality: ST and L of every end-entity subject
	 * (CA/B BR 7.1.4.2: an O needs them; issue 18).  NULL: left out. */
	const char *state;
	const char *locality;
	const char *actor;
	/* An RA-only instance: no CA hierarchy of its own; certificates come
	 * from an upstream sertel instance ([issuer] mode = upstream). */
	int ra_only;
};

/* Creates a new instance; refuses to touch an existing one. */
int instance_create(const struct instance_params *p);
/* *out owned by caller (instance_close). */
int instance_open(struct instance **out, const char *dir);
void instance_close(struct instance *in);
/* Another connection to the instance's database, e.g. for a worker
 * thread.  *out owned by caller (store_close). */
int instance_store_open(struct instance *in, struct store **out);
/* The acting user for CLI audit entries: "cli:<login>". */
void instance_cli_actor(char *out, size_t outsz);

#endif
