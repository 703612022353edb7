/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The issuer connector's backends (issuer.c: the built-in CA;
 * issuer_upstream.c: an upstream sertel instance over HTTPS), behind one
 * table of operations, as curl's struct Curl_ssl.
 */
#ifndef SERTEL_RA_ISSUER_INT_H
#define SERTEL_RA_ISSUER_INT_H

#include "instance/instance.h"
#include "ra/ra.h"

struct issuer_ops {
	const char *name;
	int (*issue)(struct cert_rec *out, struct issuer *is, struct store *st,
	             const struct issue_req *rq);
	int (*revoke)(struct issuer *is, struct store *st, const char *serial, int reason,
	              const char *actor, const char *why, issuer_also_fn also,
	              void *also_arg);
	void (*free)(struct issuer *is);
};

struct issuer {
	const struct issuer_ops *ops;
	void *impl; /* the backend's own state */
};

/* The upstream backend from [issuer]; dir resolves relative paths. */
int issuer_upstream_open(struct issuer **out, const struct config *cfg, const char *dir);

#endif
