/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The issuer connector: where an approved application's certificate comes
 * from.  This file holds the dispatch and the built-in CA backend; the
 * upstream (PSrE) backend is issuer_upstream.c.
 */
#include <stdlib.h>
#include <string.h>

#include "ra/issuer_int.h"

struct ca_impl {
	struct ca *ca;
	int owned; /* loaded here (freed with the issuer) or borrowed */
	const struct pki_conf *pc;
};

static int
ca_issue_op(struct cert_rec *out, struct issuer *is, struct store *st,
            const struct issue_req *rq)
{
	struct ca_impl *c = is->impl;

	return ca_issue(out, c->ca, st, c->pc, rq);
}

static int
ca_revoke_op(struct issuer *is, struct store *st, const char *serial, int reason,
             const char *actor, const char *why, issuer_also_fn also, void *also_arg)
{
	struct ca_impl *c = is->impl;

	return ca_revoke_ex(c->ca, st, c->pc, serial, reason, actor, why, also, also_arg);
}

static void
ca_free_op(struct issuer *is)
{
	struct ca_impl *c = is->impl;

	if (c != NULL && c->owned)
		ca_free(c->ca);
	free(c);
}

static const struct issuer_ops ca_ops = {"ca", ca_issue_op, ca_revoke_op, ca_free_op};

int
issuer_open(struct issuer **out, struct instance *in, struct ca *ca)
{
	struct ra_policy pol;
	struct issuer *is = NULL;
	struct ca_impl *c = NULL;
	int rc;

	*out = NULL;
	if ((rc = ra_policy_load(&pol, in->cfg)) < 0)
		return rc;
	if (pol.issuer_upstream)
		return issuer_upstream_open(out, in->cfg, in->dir);
	if ((is = calloc(1, sizeof(*is))) == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		free(is);
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	}
	c->pc = &in->pc;
	if (ca != NULL) {
		c->ca = ca;
	} else {
		if ((rc = ca_load(&c->ca, in->st, "issuing", in->master)) < 0) {
			free(c);
			free(is);
			return rc;
		}
		c->owned = 1;
	}
	is->ops = &ca_ops;
	is->impl = c;
	*out = is;
	return 0;
}

void
issuer_free(struct issuer *is)
{
	if (is == NULL)
		return;
	is->ops->free(is);
	free(is);
}

const char *
issuer_mode(const struct issuer *is)
{
	return is->ops->name;
}

int
issuer_issue(struct cert_rec *out, struct issuer *is, struct store *st,
             const struct issue_req *rq)
{
	return is->ops->issue(out, is, st, rq);
}

int
issuer_revoke(struct issuer *is, struct store *st, const char *serial, int reason,
              const char *actor, const char *why, issuer_also_fn also, void *also_arg)
{
	return is->ops->revoke(is, st, serial, reason, actor, why, also, also_arg);
}

int
issuer_chain_pem(char *out[2], struct store *st, const char *issuer_id)
{
	struct issuer_rec ic, root;
	int rc;

	out[0] = out[1] = NULL;
	memset(&root, 0, sizeof(root));
	if ((rc = store_issuer_get(st, issuer_id, &ic)) < 0)
		return rc;
	if (ic.parent_id[0] == '\0')
		rc = sertel_err(SERTEL_ENOTFOUND, "issuer %s: no parent", issuer_id);
	else if ((rc = store_issuer_get(st, ic.parent_id, &root)) == 0 &&
	         (rc = pem_from_der(&out[0], ic.cert_der, ic.cert_len, "CERTIFICATE")) ==
	             0)
		rc = pem_from_der(&out[1], root.cert_der, root.cert_len, "CERTIFICATE");
	if (rc < 0) {
		free(out[0]);
		out[0] = NULL;
	}
	issuer_rec_free(&ic);
	issuer_rec_free(&root);
	return rc;
}
