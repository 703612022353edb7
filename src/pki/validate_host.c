/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Server identity check (RFC 9525, which obsoletes RFC 6125): whether a
 * certificate is for a host name or an IP address.  One function, so
 * verify-cert --hostname, the e-sign client and ACME decide alike.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "pki/validate.h"
#include "pki/validate_int.h"

#define HOST_MAX 253 /* RFC 1035 2.3.4, without the trailing dot */

static int host_check_ref(char *out, size_t outsz, const char *name);
static int host_label_ok(const char *s, size_t n);
static int host_match(const char *ref, const unsigned char *p, size_t plen);
static int host_ieq(const char *a, const unsigned char *b, size_t n);
static void host_subject(char *out, size_t outsz, const X509 *cert);

/* out (outsz >= HOST_MAX + 1) gets name without its trailing dot, or an
 * error is recorded: every label 1..63 letters, digits or hyphens, not
 * starting or ending with a hyphen (RFC 1123 2.1; A-labels are LDH). */
static int
host_check_ref(char *out, size_t outsz, const char *name)
{
	size_t n = strlen(name), i, start = 0;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > HOST_MAX || n >= outsz)
		return sertel_err(SERTEL_EINVAL,
		                  "host name \"%s\": empty or longer than %d", name,
		                  HOST_MAX);
	for (i = 0; i <= n; i++)
		if (i == n || name[i] == '.') {
			if (!host_label_ok(name + start, i - start))
				return sertel_err(SERTEL_EINVAL,
				                  "host name \"%s\": not a DNS name "
				                  "(labels of 1-63 letters, digits and "
				                  "hyphens) nor an IP address",
				                  name);
			start = i + 1;
		}
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

static int
host_label_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int
host_ieq(const char *a, const unsigned char *b, size_t n)
{
	size_t i;
	unsigned char x, y;

	for (i = 0; i < n; i++) {
		x = (unsigned char)a[i];
		y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* RFC 9525 6.3: a presented DNS identifier p (dNSName, or the CN when
 * that is allowed) against the checked reference ref.  Case-insensitive;
 * a trailing dot on p ignored.  A wildcard only as the whole left-most
 * label ("*.example.go.id"), matching exactly one label, and only with at
 * least two labels after it (no "*.go.id" matching every agency, no
 * "*.com"); "f*.example", "*x.example" and "a.*.example" match nothing. */
static int
host_match(const char *ref, const unsigned char *p, size_t plen)
{
	size_t rlen = strlen(ref), i, dots = 0;
	const char *rest;

	if (plen > 0 && p[plen - 1] == '.')
		plen--;
	if (plen == 0 || memchr(p, '\0', plen) != NULL)
		return 0;
	if (p[0] != '*') {
		if (memchr(p, '*', plen) != NULL)
			return 0;
		return plen == rlen && host_ieq(ref, p, plen);
	}
	if (plen < 2 || p[1] != '.' || memchr(p + 1, '*', plen - 1) != NULL)
		return 0;
	for (i = 2; i < plen; i++)
		dots += p[i] == '.';
	if (dots < 1)
		return 0;
	/* The reference's first label is replaced by the wildcard. */
	rest = strchr(ref, '.');
	if (rest == NULL || rest == ref)
		return 0;
	return strlen(rest) == plen - 1 && host_ieq(rest, p + 1, plen - 1);
}

static void
host_subject(char *out, size_t outsz, const X509 *cert)
{
	const X509_NAME *n = X509_get_subject_name(cert);

	out[0] = '\0';
	if (n != NULL)
		validate_name_text(out, outsz, n);
}

int
validate_hostname_check(const char *name)
{
	unsigned char ip[16];
	char ref[HOST_MAX + 2];

	if (name == NULL)
		return sertel_err(SERTEL_EINVAL, "no host name");
	if (inet_pton(AF_INET, name, ip) == 1 || inet_pton(AF_INET6, name, ip) == 1)
		return 0;
	return host_check_ref(ref, sizeof(ref), name);
}

int
validate_hostname(char *how, size_t howsz, const X509 *cert, const char *name)
{
	GENERAL_NAMES *gens = NULL;
	const GENERAL_NAME *g;
	unsigned char ip[16];
	char ref[HOST_MAX + 2], subj[VALIDATE_SUBJECT_MAX];
	size_t iplen = 0;
	int i, n, rc, crit = 0, ids = 0, found = 0;

	if (how != NULL && howsz > 0)
		how[0] = '\0';
	if (cert == NULL || name == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "validate_hostname: no certificate or name");
	/* An IP literal is matched against iPAddress only (RFC 9525 6.2). */
	if (inet_pton(AF_INET, name, ip) == 1)
		iplen = 4;
	else if (inet_pton(AF_INET6, name, ip) == 1)
		iplen = 16;
	else if ((rc = host_check_ref(ref, sizeof(ref), name)) < 0)
		return rc;
	host_subject(subj, sizeof(subj), cert);
	gens = X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, NULL);
	if (gens == NULL && crit != -1) {
		/* -1: absent; otherwise present but unreadable or duplicated */
		return sertel_err(SERTEL_EINVALID,
		                  "cert %s: subjectAltName cannot be read", subj);
	}
	n = gens != NULL ? sk_GENERAL_NAME_num(gens) : 0;
	for (i = 0; i < n && !found; i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS || g->type == GEN_IPADD || g->type == GEN_URI)
			ids++;
		if (iplen > 0 && g->type == GEN_IPADD &&
		    (size_t)ASN1_STRING_length(g->d.iPAddress) == iplen &&
		    memcmp(ASN1_STRING_get0_data(g->d.iPAddress), ip, iplen) == 0) {
			found = 1;
			if (how != NULL)
				snprintf(how, howsz, "iPAddress %s", name);
		} else if (iplen == 0 && g->type == GEN_DNS &&
		           host_match(ref, ASN1_STRING_get0_data(g->d.dNSName),
		                      (size_t)ASN1_STRING_length(g->d.dNSName))) {
			found = 1;
			if (how != NULL)
				snprintf(
				    how, howsz, "dNSName %.*s",
				    ASN1_STRING_length(g->d.dNSName),
				    (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		}
	}
	GENERAL_NAMES_free(gens);
	if (found)
		return 0;
	/* RFC 6125 6.4.4: the CN only when the certificate presents no DNS,
	 * IP or URI identifier at all, and only for DNS names (RFC 9525 has
	 * dropped it; sertel's own certificates never need it). */
	if (ids == 0 && iplen == 0) {
		X509_NAME *sn = X509_get_subject_name(cert);
		int last = -1, k = -1;
		const ASN1_STRING *cn;

		while ((k = X509_NAME_get_index_by_NID(sn, NID_commonName, k)) >= 0)
			last = k;
		if (last >= 0 &&
		    (cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(sn, last))) !=
		        NULL &&
		    ASN1_STRING_type(cn) != V_ASN1_BMPSTRING &&
		    ASN1_STRING_type(cn) != V_ASN1_UNIVERSALSTRING &&
		    host_match(ref, ASN1_STRING_get0_data(cn),
		               (size_t)ASN1_STRING_length(cn))) {
			if (how != NULL)
				snprintf(how, howsz, "subject CN (no subjectAltName)");
			return 0;
		}
	}
	return sertel_err(
	    SERTEL_EINVALID, "cert %s: RFC 9525 6.3: %s is not among its %s%s", subj,
	    name, iplen > 0 ? "iPAddress names" : "DNS names",
	    ids > 0 ? " (the CN is not used when subjectAltName has names)" : "");
}
