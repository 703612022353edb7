/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names for the path validator: distinguished name comparison (RFC 5280
 * 7.1), general-name sets for CRL distribution points, and name
 * constraints (RFC 5280 4.2.1.10, 6.1.3(b)(c), 6.1.4(g)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "pki/validate_int.h"

#define VNAME_MAX (64 * 1024)

static int canon_rdn(struct buf *out, const X509_NAME *name, int first, int last);
static int canon_ava(struct buf *out, const X509_NAME_ENTRY *e);
static int canon_value(struct buf *out, const ASN1_STRING *s);
static int is_string_type(int type);
static int utf8_next(const unsigned char *s, size_t len, size_t *pos, unsigned long *cp);
static void utf8_put(unsigned char *out, size_t *pos, unsigned long cp);
static int put_len(struct buf *b, size_t n);
static int ia5_get(const ASN1_STRING *s, const char **out, size_t *len);
static int ci_eq(const char *a, const char *b, size_t n);
static int dns_match(const char *n, size_t nlen, const char *c, size_t clen);
static int email_match(const char *n, size_t nlen, const char *c, size_t clen);
static int uri_host(const char *u, size_t ulen, const char **host, size_t *hlen);
static int uri_match(const char *n, size_t nlen, const char *c, size_t clen);
static int ip_match(const ASN1_OCTET_STRING *n, const ASN1_OCTET_STRING *c);
static const char *gn_form(int type);
static int name_check(const NAME_CONSTRAINTS *nc, int type, const GENERAL_NAME *gn,
                      const struct vname *dn, const char *str, size_t slen,
                      const char *what, char *why, size_t whylen);
static int subtree_match(const GENERAL_SUBTREE *st, int type, const GENERAL_NAME *gn,
                         const struct vname *dn, const char *str, size_t slen, int *cant);

/* ---- distinguished names ---------------------------------------------- */

/*
 * The canonical form: for each RDN, 0x31, the number of AVAs (2 bytes) and
 * the AVAs sorted, each length-prefixed: OID, then 's' and the prepared
 * UTF-8 of a string value (RFC 4518: mapping, ASCII/Latin-1 case folding,
 * insignificant space handling), or 'b', the ASN.1 type and the raw bytes.
 * The encoding is self-delimiting, so RDN-wise prefix is byte prefix.
 */
int
validate_vname_init(struct vname *out, const X509_NAME *name)
{
	struct buf b;
	int i, n, start, set, rc;

	memset(out, 0, sizeof(*out));
	buf_init(&b, VNAME_MAX);
	n = X509_NAME_entry_count(name);
	start = 0;
	for (i = 1; i <= n; i++) {
		if (i < n) {
			set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i));
			if (set == X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i - 1)))
				continue;
		}
		if ((rc = canon_rdn(&b, name, start, i)) < 0)
			goto fail;
		out->nrdn++;
		start = i;
	}
	if ((rc = buf_putc(&b, 0)) < 0) /* keeps b.data non-NULL */
		goto fail;
	out->len = b.len - 1;
	out->b = buf_detach(&b, NULL);
	return 0;
fail:
	buf_free(&b);
	out->nrdn = 0;
	return rc;
}

void
validate_vname_free(struct vname *n)
{
	if (n == NULL)
		return;
	free(n->b);
	memset(n, 0, sizeof(*n));
}

int
validate_vname_eq(const struct vname *a, const struct vname *b)
{
	return a->b != NULL && b->b != NULL && a->len == b->len &&
	       memcmp(a->b, b->b, a->len) == 0;
}

int
validate_vname_within(const struct vname *name, const struct vname *base)
{
	return name->b != NULL && base->b != NULL && base->len <= name->len &&
	       memcmp(name->b, base->b, base->len) == 0;
}

struct ava {
	unsigned char *b;
	size_t len;
};

static int
ava_cmp(const void *pa, const void *pb)
{
	const struct ava *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->b, b->b, n);

	if (r != 0)
		return r;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Entries [first, last) of name form one RDN. */
static int
canon_rdn(struct buf *out, const X509_NAME *name, int first, int last)
{
	struct ava avas[64];
	struct buf tmp;
	int i, n = last - first, rc = 0;

	if (n > 64)
		return sertel_err(SERTEL_ETOOBIG, "name: RDN with %d values", n);
	memset(avas, 0, sizeof(avas));
	for (i = 0; i < n; i++) {
		buf_init(&tmp, VNAME_MAX);
		rc = canon_ava(&tmp, X509_NAME_get_entry(name, first + i));
		if (rc == 0)
			rc = buf_putc(&tmp, 0);
		if (rc < 0) {
			buf_free(&tmp);
			goto out;
		}
		avas[i].len = tmp.len - 1;
		avas[i].b = buf_detach(&tmp, NULL);
	}
	qsort(avas, (size_t)n, sizeof(avas[0]), ava_cmp);
	if ((rc = buf_putc(out, 0x31)) < 0 ||
	    (rc = buf_putc(out, (unsigned char)(n >> 8))) < 0 ||
	    (rc = buf_putc(out, (unsigned char)n)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((rc = put_len(out, avas[i].len)) < 0 ||
		    (rc = buf_append(out, avas[i].b, avas[i].len)) < 0)
			goto out;
	}
out:
	for (i = 0; i < n; i++)
		free(avas[i].b);
	return rc;
}

static int
canon_ava(struct buf *out, const X509_NAME_ENTRY *e)
{
	const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
	const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
	int rc;

	if ((rc = put_len(out, (size_t)OBJ_length(obj))) < 0 ||
	    (rc = buf_append(out, OBJ_get0_data(obj), OBJ_length(obj))) < 0)
		return rc;
	return canon_value(out, v);
}

static int
is_string_type(int type)
{
	switch (type) {
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_UTF8STRING:
	case V_ASN1_T61STRING:
	case V_ASN1_BMPSTRING:
	case V_ASN1_UNIVERSALSTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_VISIBLESTRING:
	case V_ASN1_NUMERICSTRING: return 1;
	default: return 0;
	}
}

/* RFC 4518 2.2 (map) and 2.6 (insignificant space); case folding is
 * limited to ASCII and Latin-1 (no full Unicode folding or NFKC). */
static int
canon_value(struct buf *out, const ASN1_STRING *s)
{
	unsigned char *u = NULL, *o = NULL;
	unsigned long cp;
	size_t pos = 0, olen = 0, ulen;
	int n, rc, pending_space = 0, any = 0;

	if (is_string_type(ASN1_STRING_type(s)) &&
	    (n = ASN1_STRING_to_UTF8(&u, s)) >= 0) {
		ulen = (size_t)n;
		if ((o = malloc(ulen * 2 + 8)) == NULL) {
			OPENSSL_free(u);
			return sertel_err(SERTEL_ENOMEM, "name: out of memory");
		}
		while (pos < ulen) {
			if (utf8_next(u, ulen, &pos, &cp) < 0)
				goto binary;
			if (cp == 0x09 || cp == 0x0a || cp == 0x0b || cp == 0x0c ||
			    cp == 0x0d || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
			    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
			    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000)
				cp = 0x20;
			if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
			    cp == 0x34f || cp == 0x1806 ||
			    (cp >= 0x180b && cp <= 0x180e) ||
			    (cp >= 0x200b && cp <= 0x200f) ||
			    (cp >= 0x202a && cp <= 0x202e) ||
			    (cp >= 0x2060 && cp <= 0x2064) ||
			    (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
			    cp == 0xfffc)
				continue; /* mapped to nothing */
			if (cp == 0x20) {
				pending_space = any;
				continue;
			}
			if (cp >= 'A' && cp <= 'Z')
				cp += 0x20;
			else if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
				cp += 0x20;
			if (pending_space)
				o[olen++] = ' ';
			pending_space = 0;
			any = 1;
			utf8_put(o, &olen, cp);
		}
		OPENSSL_free(u);
		u = NULL;
		if ((rc = buf_putc(out, 's')) < 0 || (rc = put_len(out, olen)) < 0 ||
		    (rc = buf_append(out, o, olen)) < 0)
			goto done;
		rc = 0;
		goto done;
	}
binary:
	OPENSSL_free(u);
	free(o);
	o = NULL;
	if ((rc = buf_putc(out, 'b')) < 0 ||
	    (rc = buf_putc(out, (unsigned char)ASN1_STRING_type(s))) < 0 ||
	    (rc = put_len(out, (size_t)ASN1_STRING_length(s))) < 0 ||
	    (rc = buf_append(out, ASN1_STRING_get0_data(s),
	                     (size_t)ASN1_STRING_length(s))) < 0)
		return rc;
	return 0;
done:
	free(o);
	return rc;
}

static int
utf8_next(const unsigned char *s, size_t len, size_t *pos, unsigned long *cp)
{
	size_t i = *pos, n, k;
	unsigned long c = s[i];

	if (c < 0x80)
		n = 0;
	else if ((c & 0xe0) == 0xc0)
		n = 1, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 2, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		n = 3, c &= 0x07;
	else
		return -1;
	if (i + n >= len)
		return -1; /* truncated sequence */
	for (k = 1; k <= n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[i + k] & 0x3f);
	}
	*pos = i + n + 1;
	*cp = c;
	return 0;
}

static void
utf8_put(unsigned char *out, size_t *pos, unsigned long cp)
{
	size_t i = *pos;

	if (cp < 0x80) {
		out[i++] = (unsigned char)cp;
	} else if (cp < 0x800) {
		out[i++] = (unsigned char)(0xc0 | cp >> 6);
		out[i++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[i++] = (unsigned char)(0xe0 | cp >> 12);
		out[i++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[i++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		out[i++] = (unsigned char)(0xf0 | cp >> 18);
		out[i++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		out[i++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[i++] = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*pos = i;
}

static int
put_len(struct buf *b, size_t n)
{
	unsigned char l[4];

	if (n > 0xffffffffu)
		return sertel_err(SERTEL_ETOOBIG, "name: value too long");
	l[0] = (unsigned char)(n >> 24);
	l[1] = (unsigned char)(n >> 16);
	l[2] = (unsigned char)(n >> 8);
	l[3] = (unsigned char)n;
	return buf_append(b, l, 4);
}

/* ---- general-name sets -------------------------------------------------- */

void
validate_gnset_free(struct vgnset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].b);
	s->n = 0;
}

static int
gnset_push(struct vgnset *s, int type, unsigned char *b, size_t len)
{
	if (s->n >= VGN_MAX) {
		free(b); /* the rest is ignored: bounded like every input */
		return 0;
	}
	s->v[s->n].type = type;
	s->v[s->n].b = b;
	s->v[s->n].len = len;
	s->n++;
	return 0;
}

int
validate_gnset_add(struct vgnset *s, const GENERAL_NAMES *gens)
{
	const GENERAL_NAME *gn;
	struct vname vn;
	unsigned char *b = NULL;
	int i, len, rc;

	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		gn = sk_GENERAL_NAME_value(gens, i);
		if (gn->type == GEN_DIRNAME) {
			if ((rc = validate_vname_init(&vn, gn->d.dirn)) < 0)
				return rc;
			rc = gnset_push(s, GEN_DIRNAME, vn.b, vn.len);
			if (rc < 0)
				return rc;
			continue;
		}
		if ((len = i2d_GENERAL_NAME(gn, &b)) < 0)
			return sertel_err_ossl(SERTEL_ECRYPTO,
			                       "name: cannot encode a name");
		if ((rc = gnset_push(s, gn->type, b, (size_t)len)) < 0)
			return rc;
		b = NULL;
	}
	return 0;
}

int
validate_gnset_add_relative(struct vgnset *s, const X509_NAME *base,
                            const STACK_OF(X509_NAME_ENTRY) * rdn)
{
	X509_NAME *n = NULL;
	struct vname vn;
	int i, rc;

	memset(&vn, 0, sizeof(vn));
	if ((n = X509_NAME_dup(base)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "name: out of memory");
		goto out;
	}
	for (i = 0; i < sk_X509_NAME_ENTRY_num(rdn); i++) {
		/* set 0 starts a new RDN, -1 joins the previous one */
		if (!X509_NAME_add_entry(n, sk_X509_NAME_ENTRY_value(rdn, i), -1,
		                         i == 0 ? 0 : -1)) {
			rc = sertel_err_ossl(SERTEL_ENOMEM, "name: cannot build a name");
			goto out;
		}
	}
	if ((rc = validate_vname_init(&vn, n)) < 0)
		goto out;
	rc = gnset_push(s, GEN_DIRNAME, vn.b, vn.len);
out:
	X509_NAME_free(n);
	return rc;
}

int
validate_gnset_intersects(const struct vgnset *a, const struct vgnset *b)
{
	size_t i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (a->v[i].type == b->v[j].type && a->v[i].len == b->v[j].len &&
			    memcmp(a->v[i].b, b->v[j].b, a->v[i].len) == 0)
				return 1;
	return 0;
}

int
validate_gnset_has_dn(const struct vgnset *s, const struct vname *dn)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].type == GEN_DIRNAME && s->v[i].len == dn->len &&
		    memcmp(s->v[i].b, dn->b, dn->len) == 0)
			return 1;
	return 0;
}

/* ---- name constraints ---------------------------------------------------- */

static const char *
gn_form(int type)
{
	switch (type) {
	case GEN_OTHERNAME: return "otherName";
	case GEN_EMAIL: return "rfc822Name";
	case GEN_DNS: return "dNSName";
	case GEN_X400: return "x400Address";
	case GEN_DIRNAME: return "directoryName";
	case GEN_EDIPARTY: return "ediPartyName";
	case GEN_URI: return "uniformResourceIdentifier";
	case GEN_IPADD: return "iPAddress";
	case GEN_RID: return "registeredID";
	default: return "unknown name form";
	}
}

/* An IA5String without embedded NULs; -1 otherwise. */
static int
ia5_get(const ASN1_STRING *s, const char **out, size_t *len)
{
	const unsigned char *d = ASN1_STRING_get0_data(s);
	int n = ASN1_STRING_length(s);

	if (n < 0 || memchr(d, '\0', (size_t)n) != NULL)
		return -1;
	*out = (const char *)d;
	*len = (size_t)n;
	return 0;
}

static int
subtrees_supported(const STACK_OF(GENERAL_SUBTREE) * sts, char *why, size_t whylen)
{
	const GENERAL_SUBTREE *st;
	const char *s;
	size_t n;
	int i, len;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(sts); i++) {
		st = sk_GENERAL_SUBTREE_value(sts, i);
		if ((st->minimum != NULL && ASN1_INTEGER_get(st->minimum) != 0) ||
		    st->maximum != NULL) {
			validate_fmt(why, whylen,
			             "RFC 5280 4.2.1.10: name constraint with "
			             "minimum other than 0 or with maximum");
			return -1;
		}
		switch (st->base->type) {
		case GEN_IPADD:
			len = ASN1_STRING_length(st->base->d.iPAddress);
			if (len != 8 && len != 32) {
				validate_fmt(why, whylen,
				             "RFC 5280 4.2.1.10: iPAddress "
				             "constraint of %d octets",
				             len);
				return -1;
			}
			break;
		case GEN_EMAIL:
		case GEN_DNS:
		case GEN_URI:
			if (ia5_get(st->base->d.ia5, &s, &n) < 0) {
				validate_fmt(why, whylen,
				             "RFC 5280 4.2.1.10: %s constraint "
				             "with a NUL",
				             gn_form(st->base->type));
				return -1;
			}
			break;
		default: break;
		}
	}
	return 0;
}

int
validate_nc_supported(const NAME_CONSTRAINTS *nc, char *why, size_t whylen)
{
	if (subtrees_supported(nc->permittedSubtrees, why, whylen) < 0 ||
	    subtrees_supported(nc->excludedSubtrees, why, whylen) < 0)
		return -1;
	return 0;
}

static int
ci_eq(const char *a, const char *b, size_t n)
{
	size_t i;
	int x, y;

	for (i = 0; i < n; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

/* RFC 5280 4.2.1.10: zero or more labels added on the left; a leading
 * period (common practice) means subdomains only. */
static int
dns_match(const char *n, size_t nlen, const char *c, size_t clen)
{
	if (clen == 0)
		return 1;
	if (c[0] == '.')
		return nlen > clen && ci_eq(n + nlen - clen, c, clen);
	if (nlen == clen)
		return ci_eq(n, c, clen);
	return nlen > clen && n[nlen - clen - 1] == '.' &&
	       ci_eq(n + nlen - clen, c, clen);
}

/* RFC 5280 4.2.1.10: a mailbox, all mailboxes on a host, or (leading
 * period) all mailboxes in a domain.  Local parts are case-sensitive. */
static int
email_match(const char *n, size_t nlen, const char *c, size_t clen)
{
	const char *at = NULL, *cat = NULL, *dom;
	size_t i, dlen;

	for (i = 0; i < nlen; i++)
		if (n[i] == '@')
			at = n + i;
	if (at == NULL)
		return -1;
	dom = at + 1;
	dlen = nlen - (size_t)(dom - n);
	for (i = 0; i < clen; i++)
		if (c[i] == '@')
			cat = c + i;
	if (cat != NULL) {
		size_t cl = (size_t)(cat - c), nl = (size_t)(at - n);

		return cl == nl && memcmp(n, c, nl) == 0 && clen - cl == nlen - nl &&
		       ci_eq(cat + 1, at + 1, clen - cl - 1);
	}
	if (clen > 0 && c[0] == '.')
		return dlen > clen && ci_eq(dom + dlen - clen, c, clen);
	return dlen == clen && ci_eq(dom, c, clen);
}

/* The host of an RFC 3986 URI with an authority; -1 when there is none or
 * it is an IP literal (not a host name the constraint can apply to). */
static int
uri_host(const char *u, size_t ulen, const char **host, size_t *hlen)
{
	size_t i = 0, start, end, j;

	while (i < ulen && u[i] != ':' && u[i] != '/' && u[i] != '?' && u[i] != '#')
		i++;
	if (i == 0 || i >= ulen || u[i] != ':')
		return -1;
	if (i + 2 >= ulen || u[i + 1] != '/' || u[i + 2] != '/')
		return -1;
	start = i + 3;
	end = start;
	while (end < ulen && u[end] != '/' && u[end] != '?' && u[end] != '#')
		end++;
	for (j = start; j < end; j++)
		if (u[j] == '@')
			start = j + 1;
	if (start < end && u[start] == '[')
		return -1;
	for (j = start; j < end; j++)
		if (u[j] == ':') {
			end = j;
			break;
		}
	if (end == start)
		return -1;
	*host = u + start;
	*hlen = end - start;
	return 0;
}

static int
uri_match(const char *n, size_t nlen, const char *c, size_t clen)
{
	const char *h;
	size_t hlen;

	if (uri_host(n, nlen, &h, &hlen) < 0)
		return -1;
	if (clen > 0 && c[0] == '.')
		return hlen > clen && ci_eq(h + hlen - clen, c, clen);
	return hlen == clen && ci_eq(h, c, clen);
}

static int
ip_match(const ASN1_OCTET_STRING *n, const ASN1_OCTET_STRING *c)
{
	const unsigned char *a = ASN1_STRING_get0_data(n);
	const unsigned char *b = ASN1_STRING_get0_data(c);
	int len = ASN1_STRING_length(n), i;

	if (len * 2 != ASN1_STRING_length(c))
		return 0; /* the other address family */
	for (i = 0; i < len; i++)
		if ((a[i] & b[len + i]) != (b[i] & b[len + i]))
			return 0;
	return 1;
}

/* 1 if the name lies in the subtree, 0 if not; *cant when the form cannot
 * be compared. */
static int
subtree_match(const GENERAL_SUBTREE *st, int type, const GENERAL_NAME *gn,
              const struct vname *dn, const char *str, size_t slen, int *cant)
{
	struct vname base;
	const char *c;
	size_t clen;
	int r;

	switch (type) {
	case GEN_DIRNAME:
		if (validate_vname_init(&base, st->base->d.dirn) < 0) {
			*cant = 1;
			return 0;
		}
		r = validate_vname_within(dn, &base);
		validate_vname_free(&base);
		return r;
	case GEN_EMAIL:
	case GEN_DNS:
	case GEN_URI:
		if (ia5_get(st->base->d.ia5, &c, &clen) < 0) {
			*cant = 1;
			return 0;
		}
		if (type == GEN_DNS)
			r = dns_match(str, slen, c, clen);
		else if (type == GEN_EMAIL)
			r = email_match(str, slen, c, clen);
		else
			r = uri_match(str, slen, c, clen);
		if (r < 0) {
			*cant = 1;
			return 0;
		}
		return r;
	case GEN_IPADD: return ip_match(gn->d.iPAddress, st->base->d.iPAddress);
	default: *cant = 1; return 0;
	}
}

/* One name of the certificate against one certificate's constraints. */
static int
name_check(const NAME_CONSTRAINTS *nc, int type, const GENERAL_NAME *gn,
           const struct vname *dn, const char *str, size_t slen, const char *what,
           char *why, size_t whylen)
{
	const GENERAL_SUBTREE *st;
	int i, has = 0, in = 0, cant = 0;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); i++) {
		st = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, i);
		if (st->base->type != type)
			continue;
		has = 1;
		if (subtree_match(st, type, gn, dn, str, slen, &cant))
			in = 1;
		if (cant)
			goto cannot;
	}
	if (has && !in) {
		validate_fmt(why, whylen, "%s %s is not within the permitted subtrees",
		             what, gn_form(type));
		return -1;
	}
	for (i = 0; i < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); i++) {
		st = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, i);
		if (st->base->type != type)
			continue;
		if (subtree_match(st, type, gn, dn, str, slen, &cant)) {
			validate_fmt(why, whylen, "%s %s is within an excluded subtree",
			             what, gn_form(type));
			return -1;
		}
		if (cant)
			goto cannot;
	}
	return 0;
cannot:
	/* RFC 5280 4.2.1.10: process the constraint or reject. */
	validate_fmt(why, whylen, "%s: cannot apply a %s name constraint to it", what,
	             gn_form(type));
	return -1;
}

static void
quote(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < len && j + 5 < outsz; i++)
		out[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len && j + 4 < outsz) {
		out[j++] = '.';
		out[j++] = '.';
		out[j++] = '.';
	}
	out[j] = '\0';
}

int
validate_nc_check(const NAME_CONSTRAINTS *nc, const struct vcert *x, char *why,
                  size_t whylen)
{
	const X509_NAME *subj = X509_get_subject_name(x->x);
	const X509_NAME_ENTRY *e;
	const GENERAL_NAME *gn;
	struct vname dn;
	const char *s;
	size_t slen;
	char what[VLABEL_MAX + 48], q[96];
	int i, loc, rc;

	/* The subject DN, unless empty (then subjectAltName carries the
	 * names, RFC 5280 4.1.2.6). */
	if (x->subj.nrdn > 0) {
		validate_fmt(what, sizeof(what), "subject");
		if (name_check(nc, GEN_DIRNAME, NULL, &x->subj, NULL, 0, what, why,
		               whylen) < 0)
			return -1;
	}
	/* RFC 5280 4.2.1.10: rfc822Name constraints apply to emailAddress
	 * attributes of the subject (applied whether or not there is a
	 * subjectAltName, which is the stricter reading). */
	loc = -1;
	while ((loc = X509_NAME_get_index_by_NID(subj, NID_pkcs9_emailAddress, loc)) >=
	       0) {
		e = X509_NAME_get_entry(subj, loc);
		if (ia5_get(X509_NAME_ENTRY_get_data(e), &s, &slen) < 0) {
			validate_fmt(why, whylen, "subject emailAddress is malformed");
			return -1;
		}
		quote(q, sizeof(q), s, slen);
		validate_fmt(what, sizeof(what), "subject emailAddress '%s'", q);
		if (name_check(nc, GEN_EMAIL, NULL, NULL, s, slen, what, why, whylen) < 0)
			return -1;
	}
	for (i = 0; i < sk_GENERAL_NAME_num(x->san); i++) {
		gn = sk_GENERAL_NAME_value(x->san, i);
		switch (gn->type) {
		case GEN_DIRNAME:
			if (validate_vname_init(&dn, gn->d.dirn) < 0) {
				validate_fmt(why, whylen,
				             "subjectAltName directoryName "
				             "cannot be read");
				return -1;
			}
			validate_fmt(what, sizeof(what), "subjectAltName");
			rc = name_check(nc, GEN_DIRNAME, gn, &dn, NULL, 0, what, why,
			                whylen);
			validate_vname_free(&dn);
			if (rc < 0)
				return -1;
			break;
		case GEN_EMAIL:
		case GEN_DNS:
		case GEN_URI:
			if (ia5_get(gn->d.ia5, &s, &slen) < 0) {
				validate_fmt(why, whylen,
				             "subjectAltName %s is malformed",
				             gn_form(gn->type));
				return -1;
			}
			quote(q, sizeof(q), s, slen);
			validate_fmt(what, sizeof(what), "subjectAltName '%s'", q);
			if (name_check(nc, gn->type, gn, NULL, s, slen, what, why,
			               whylen) < 0)
				return -1;
			break;
		case GEN_IPADD:
			slen = (size_t)ASN1_STRING_length(gn->d.iPAddress);
			if (slen != 4 && slen != 16) {
				validate_fmt(why, whylen,
				             "subjectAltName iPAddress of %zu "
				             "octets",
				             slen);
				return -1;
			}
			validate_fmt(what, sizeof(what), "subjectAltName");
			if (name_check(nc, GEN_IPADD, gn, NULL, NULL, 0, what, why,
			               whylen) < 0)
				return -1;
			break;
		default:
			validate_fmt(what, sizeof(what), "subjectAltName");
			if (name_check(nc, gn->type, gn, NULL, NULL, 0, what, why,
			               whylen) < 0)
				return -1;
			break;
		}
	}
	return 0;
}
