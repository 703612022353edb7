/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Certificate policy processing: RFC 5280 6.1.2(a), 6.1.3(d)-(e),
 * 6.1.4(b) and 6.1.5(g), computed on the policy graph of RFC 9618 rather
 * than the tree of RFC 5280.  The graph keeps one node per policy OID and
 * depth, with several parents, so its size is bounded by the certificates'
 * own contents instead of growing exponentially with the depth; the
 * outcome (and the user-constrained policy set) is the same.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "pki/validate_int.h"

/* Bounds so a hostile certificate cannot make the graph huge. */
#define VPOL_MAX_NODES 4096
#define VPOL_MAX_EDGES 65536

struct pnode {
	const ASN1_OBJECT *oid;  /* NULL: anyPolicy */
	const ASN1_OBJECT **exp; /* expected_policy_set (owned array) */
	size_t nexp;
	int exp_any;     /* anyPolicy is in the expected set */
	size_t *parents; /* indices at depth - 1 (owned) */
	size_t nparents;
	int deleted;
};

struct plevel {
	struct pnode *v;
	size_t n, cap;
};

struct vpolicy {
	struct plevel *lv; /* depths 0..n */
	size_t depth;
	int null;
	size_t nodes, edges;
};

static int is_any(const ASN1_OBJECT *o);
static int exp_has(const struct pnode *p, const ASN1_OBJECT *oid);
static long find(const struct plevel *l, const ASN1_OBJECT *oid);
static int add_node(struct vpolicy *g, size_t depth, const ASN1_OBJECT *oid,
                    const ASN1_OBJECT *const *exp, size_t nexp, int exp_any,
                    const size_t *parents, size_t nparents);
static void prune(struct vpolicy *g, size_t i);

static int
is_any(const ASN1_OBJECT *o)
{
	return o == NULL || OBJ_obj2nid(o) == NID_any_policy;
}

static int
exp_has(const struct pnode *p, const ASN1_OBJECT *oid)
{
	size_t i;

	if (is_any(oid))
		return p->exp_any;
	for (i = 0; i < p->nexp; i++)
		if (OBJ_cmp(p->exp[i], oid) == 0)
			return 1;
	return 0;
}

/* Index of the live node with that valid_policy, or -1. */
static long
find(const struct plevel *l, const ASN1_OBJECT *oid)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].deleted)
			continue;
		if (is_any(oid) ? l->v[i].oid == NULL
		                : (l->v[i].oid != NULL && OBJ_cmp(l->v[i].oid, oid) == 0))
			return (long)i;
	}
	return -1;
}

static int
add_node(struct vpolicy *g, size_t depth, const ASN1_OBJECT *oid,
         const ASN1_OBJECT *const *exp, size_t nexp, int exp_any, const size_t *parents,
         size_t nparents)
{
	struct plevel *l = &g->lv[depth];
	struct pnode *p, *nv;
	size_t cap;

	if (g->nodes + 1 > VPOL_MAX_NODES || g->edges + nparents > VPOL_MAX_EDGES)
		return sertel_err(SERTEL_ETOOBIG,
		                  "RFC 9618: policy graph over its limits");
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 8;
		if ((nv = realloc(l->v, cap * sizeof(*nv))) == NULL)
			return sertel_err(SERTEL_ENOMEM, "policy: out of memory");
		l->v = nv;
		l->cap = cap;
	}
	p = &l->v[l->n];
	memset(p, 0, sizeof(*p));
	p->oid = is_any(oid) ? NULL : oid;
	p->exp_any = exp_any;
	if (nexp > 0) {
		if ((p->exp = calloc(nexp, sizeof(*p->exp))) == NULL)
			return sertel_err(SERTEL_ENOMEM, "policy: out of memory");
		memcpy(p->exp, exp, nexp * sizeof(*p->exp));
		p->nexp = nexp;
	}
	if (nparents > 0) {
		if ((p->parents = calloc(nparents, sizeof(size_t))) == NULL) {
			free(p->exp);
			return sertel_err(SERTEL_ENOMEM, "policy: out of memory");
		}
		memcpy(p->parents, parents, nparents * sizeof(size_t));
		p->nparents = nparents;
	}
	l->n++;
	g->nodes++;
	g->edges += nparents;
	return 0;
}

/* RFC 5280 6.1.3(d)(3): delete nodes of depth i-1 or less without
 * children; the graph is NULL when depth i is left empty. */
static void
prune(struct vpolicy *g, size_t i)
{
	struct plevel *l, *below;
	size_t d, j, k, m;
	int has;

	for (d = i; d-- > 0;) {
		l = &g->lv[d];
		below = &g->lv[d + 1];
		for (j = 0; j < l->n; j++) {
			if (l->v[j].deleted)
				continue;
			has = 0;
			for (k = 0; k < below->n && !has; k++) {
				if (below->v[k].deleted)
					continue;
				for (m = 0; m < below->v[k].nparents; m++)
					if (below->v[k].parents[m] == j) {
						has = 1;
						break;
					}
			}
			if (!has)
				l->v[j].deleted = 1;
		}
	}
	for (j = 0; j < g->lv[i].n; j++)
		if (!g->lv[i].v[j].deleted)
			return;
	g->null = 1;
}

/* RFC 5280 6.1.2(a): a root anyPolicy node at depth 0. */
int
validate_policy_new(struct vpolicy **out, size_t n)
{
	struct vpolicy *g = NULL;
	int rc;

	*out = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->lv = calloc(n + 1, sizeof(*g->lv))) == NULL) {
		free(g);
		return sertel_err(SERTEL_ENOMEM, "policy: out of memory");
	}
	g->depth = n + 1;
	if ((rc = add_node(g, 0, NULL, NULL, 0, 1, NULL, 0)) < 0) {
		validate_policy_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void
validate_policy_free(struct vpolicy *g)
{
	size_t d, j;

	if (g == NULL)
		return;
	for (d = 0; d < g->depth; d++) {
		for (j = 0; j < g->lv[d].n; j++) {
			free(g->lv[d].v[j].exp);
			free(g->lv[d].v[j].parents);
		}
		free(g->lv[d].v);
	}
	free(g->lv);
	free(g);
}

int
validate_policy_is_null(const struct vpolicy *g)
{
	return g->null;
}

int
validate_policy_cert(struct vpolicy *g, size_t i, const CERTIFICATEPOLICIES *cp,
                     int any_allowed)
{
	const struct plevel *prev;
	const POLICYINFO *pi;
	const ASN1_OBJECT *oid, *v;
	size_t *parents = NULL, np, j, k, m;
	long a;
	int idx, has_any = 0, rc = 0;

	if (g->null || i >= g->depth)
		return 0;
	if (cp == NULL) { /* 6.1.3(e) */
		g->null = 1;
		return 0;
	}
	prev = &g->lv[i - 1];
	if ((parents = calloc(prev->n + 1, sizeof(size_t))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "policy: out of memory");

	/* 6.1.3(d)(1) */
	for (idx = 0; idx < sk_POLICYINFO_num(cp); idx++) {
		pi = sk_POLICYINFO_value(cp, idx);
		oid = pi->policyid;
		if (is_any(oid)) {
			has_any = 1;
			continue;
		}
		np = 0;
		for (j = 0; j < prev->n; j++) /* (i) */
			if (!prev->v[j].deleted && exp_has(&prev->v[j], oid))
				parents[np++] = j;
		if (np == 0 && (a = find(prev, NULL)) >= 0) /* (ii) */
			parents[np++] = (size_t)a;
		if (np == 0)
			continue;
		if ((rc = add_node(g, i, oid, &oid, 1, 0, parents, np)) < 0)
			goto out;
	}

	/* 6.1.3(d)(2): anyPolicy asserted and not inhibited (or a
	 * self-issued intermediate): each expected policy of depth i-1 that
	 * has no node at depth i gets one. */
	if (has_any && any_allowed) {
		for (j = 0; j < prev->n; j++) {
			if (prev->v[j].deleted)
				continue;
			for (k = 0; k < prev->v[j].nexp + 1; k++) {
				if (k == prev->v[j].nexp) {
					if (!prev->v[j].exp_any)
						break;
					v = NULL;
				} else {
					v = prev->v[j].exp[k];
				}
				if (find(&g->lv[i], v) >= 0)
					continue;
				np = 0;
				for (m = 0; m < prev->n; m++)
					if (!prev->v[m].deleted &&
					    exp_has(&prev->v[m], v))
						parents[np++] = m;
				rc = add_node(g, i, v, v ? &v : NULL, v ? 1 : 0,
				              v == NULL, parents, np);
				if (rc < 0)
					goto out;
			}
		}
	}

	/* 6.1.3(d)(3) */
	prune(g, i);
out:
	free(parents);
	return rc;
}

int
validate_policy_map(struct vpolicy *g, size_t i, const POLICY_MAPPINGS *pm,
                    int mapping_allowed)
{
	const POLICY_MAPPING *m, *m2;
	const ASN1_OBJECT **subj = NULL;
	struct plevel *l;
	size_t ns;
	long at, a;
	int j, k, seen, rc = 0;

	if (g->null || pm == NULL || i >= g->depth)
		return 0;
	l = &g->lv[i];
	if ((subj = calloc((size_t)sk_POLICY_MAPPING_num(pm) + 1, sizeof(*subj))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "policy: out of memory");
	for (j = 0; j < sk_POLICY_MAPPING_num(pm); j++) {
		m = sk_POLICY_MAPPING_value(pm, j);
		/* each issuerDomainPolicy once, at its first mapping */
		seen = 0;
		for (k = 0; k < j && !seen; k++)
			if (OBJ_cmp(sk_POLICY_MAPPING_value(pm, k)->issuerDomainPolicy,
			            m->issuerDomainPolicy) == 0)
				seen = 1;
		if (seen)
			continue;
		ns = 0;
		for (k = j; k < sk_POLICY_MAPPING_num(pm); k++) {
			m2 = sk_POLICY_MAPPING_value(pm, k);
			if (OBJ_cmp(m2->issuerDomainPolicy, m->issuerDomainPolicy) == 0)
				subj[ns++] = m2->subjectDomainPolicy;
		}
		at = find(l, m->issuerDomainPolicy);
		if (!mapping_allowed) { /* 6.1.4(b)(2) */
			if (at >= 0)
				l->v[at].deleted = 1;
			continue;
		}
		/* 6.1.4(b)(1) */
		if (at >= 0) {
			free(l->v[at].exp);
			l->v[at].exp = NULL;
			l->v[at].nexp = 0;
			l->v[at].exp_any = 0;
			if ((l->v[at].exp = calloc(ns, sizeof(*subj))) == NULL) {
				rc = sertel_err(SERTEL_ENOMEM, "policy: out of memory");
				goto out;
			}
			memcpy(l->v[at].exp, subj, ns * sizeof(*subj));
			l->v[at].nexp = ns;
		} else if ((a = find(l, NULL)) >= 0) {
			/* a child of the anyPolicy node of depth i-1, i.e.
			 * the parents of the anyPolicy node of depth i */
			rc = add_node(g, i, m->issuerDomainPolicy, subj, ns, 0,
			              l->v[a].parents, l->v[a].nparents);
			if (rc < 0)
				goto out;
		}
	}
	if (!mapping_allowed)
		prune(g, i);
out:
	free(subj);
	return rc;
}

static int
out_add(char out[][64], size_t outmax, size_t *nout, const ASN1_OBJECT *o)
{
	char txt[64];
	size_t j;

	if (o == NULL)
		validate_fmt(txt, sizeof(txt), "2.5.29.32.0");
	else if (OBJ_obj2txt(txt, sizeof(txt), o, 1) <= 0)
		return 0;
	for (j = 0; j < *nout; j++)
		if (strcmp(out[j], txt) == 0)
			return 0;
	if (*nout < outmax) {
		memcpy(out[*nout], txt, sizeof(txt));
		(*nout)++;
	}
	return 0;
}

/* A node of depth >= 1 that is not anyPolicy and whose parent is anyPolicy:
 * the "valid_policy_node_set" of RFC 5280 6.1.5(g)(iii)(1). */
static int
boundary(const struct vpolicy *g, size_t d, size_t j)
{
	const struct pnode *p = &g->lv[d].v[j];
	size_t k;

	if (p->deleted || p->oid == NULL)
		return 0;
	for (k = 0; k < p->nparents; k++)
		if (g->lv[d - 1].v[p->parents[k]].oid == NULL)
			return 1;
	return 0;
}

int
validate_policy_final(const struct vpolicy *g, ASN1_OBJECT *const *user, size_t nuser,
                      char out[][64], size_t outmax, size_t *nout)
{
	size_t n = g->depth - 1, d, j, u;
	int found, any_n;

	*nout = 0;
	if (g->null) /* 6.1.5(g)(i) */
		return 0;
	any_n = find(&g->lv[n], NULL) >= 0;
	if (nuser == 0) { /* (ii): user set is anyPolicy */
		for (d = 1; d <= n; d++)
			for (j = 0; j < g->lv[d].n; j++)
				if (boundary(g, d, j))
					out_add(out, outmax, nout, g->lv[d].v[j].oid);
		if (any_n)
			out_add(out, outmax, nout, NULL);
		return 1;
	}
	/* (iii)(1)(2): boundary nodes survive only for user policies */
	found = 0;
	for (d = 1; d <= n; d++)
		for (j = 0; j < g->lv[d].n; j++) {
			if (!boundary(g, d, j))
				continue;
			for (u = 0; u < nuser; u++)
				if (OBJ_cmp(g->lv[d].v[j].oid, user[u]) == 0) {
					found = 1;
					out_add(out, outmax, nout, user[u]);
				}
		}
	/* (iii)(3): anyPolicy at depth n stands for every user policy that
	 * no boundary node names */
	if (any_n) {
		for (u = 0; u < nuser; u++) {
			int named = 0;

			for (d = 1; d <= n && !named; d++)
				for (j = 0; j < g->lv[d].n; j++)
					if (boundary(g, d, j) &&
					    OBJ_cmp(g->lv[d].v[j].oid, user[u]) == 0) {
						named = 1;
						break;
					}
			if (!named) {
				found = 1;
				out_add(out, outmax, nout, user[u]);
			}
		}
	}
	return found;
}
