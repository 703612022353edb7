/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Certificate profiles: the three types of the regulations (Cirebon 6)
 * and the five usages (Cirebon 7(4)), mapped to X.509 extensions.
 *
 * Usage -> extensions (RFC 5280 4.2.1.3 / 4.2.1.12):
 *   signing     KU digitalSignature, nonRepudiation (contentCommitment);
 *               EKU id-kp-documentSigning (RFC 9336) and, when the
 *               certificate names an e-mail address, id-kp-emailProtection
 *               (NSS, hence pdfsig, and Adobe accept a document-signing
 *               certificate only when its EKU includes emailProtection;
 *               without an rfc822Name it would be a false claim).
 *   email       KU digitalSignature + keyEncipherment (RSA) / keyAgreement
 *               (EC); EKU emailProtection (RFC 8550 4.4).
 *   document    KU keyEncipherment + dataEncipherment (RSA) / keyAgreement
 *               (EC); EKU Microsoft Document Encryption 1.3.6.1.4.1.311.80.1:
 *               CMS recipients for document protection, never TLS.
 *   ssl-server  KU digitalSignature (+ keyEncipherment for RSA); EKU serverAuth.
 *   ssl-client  KU digitalSignature; EKU clientAuth.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "pki/pki_int.h"

static const char *type_names[TYPE_COUNT] = {"individu", "jabatan", "sistem"};

static const struct bit_name usage_names[] = {
    {"signing", USAGE_SIGNING},       {"email", USAGE_EMAIL},
    {"document", USAGE_DOCUMENT},     {"ssl-server", USAGE_SSL_SERVER},
    {"ssl-client", USAGE_SSL_CLIENT},
};
#define NUSAGES (sizeof(usage_names) / sizeof(usage_names[0]))

int
profile_type_parse(enum cert_type *out, const char *name)
{
	int i;

	for (i = 0; i < TYPE_COUNT; i++) {
		if (strcmp(name, type_names[i]) == 0) {
			*out = (enum cert_type)i;
			return 0;
		}
	}
	/* The regulations also call the second type wewenang or organisasi. */
	if (strcmp(name, "wewenang") == 0 || strcmp(name, "organisasi") == 0) {
		*out = TYPE_JABATAN;
		return 0;
	}
	return sertel_err(SERTEL_EINVAL,
	                  "type '%s': expected individu, jabatan or sistem", name);
}

const char *
profile_type_name(enum cert_type t)
{
	return (t >= 0 && t < TYPE_COUNT) ? type_names[t] : "unknown";
}

int
profile_usages_parse(unsigned *out, const char *list)
{
	char item[32];
	const char *p = list, *comma;
	unsigned mask = 0;
	size_t n, i;

	*out = 0;
	if (list == NULL || *list == '\0')
		return sertel_err(SERTEL_EINVAL, "usage: at least one of signing, email, "
		                                 "document, ssl-server, ssl-client");
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(item))
			return sertel_err(SERTEL_EINVAL,
			                  "usage list '%s': empty or "
			                  "overlong item",
			                  list);
		memcpy(item, p, n);
		item[n] = '\0';
		for (i = 0; i < NUSAGES; i++)
			if (strcmp(item, usage_names[i].name) == 0)
				break;
		if (i == NUSAGES)
			return sertel_err(
			    SERTEL_EINVAL,
			    "usage '%s': expected signing, email, document, "
			    "ssl-server or ssl-client",
			    item);
		if (mask & usage_names[i].bit)
			return sertel_err(SERTEL_EINVAL, "usage '%s' given twice", item);
		mask |= usage_names[i].bit;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = mask;
	return 0;
}

void
profile_usages_format(char *out, size_t outsz, unsigned usages)
{
	bits_format(out, outsz, usages, usage_names, NUSAGES);
}

int
profile_check(enum cert_type t, unsigned usages)
{
	/* A TLS server certificate names a system: only the sistem type has
	 * DNS/IP names (Bekasi 11(4)c). */
	if ((usages & USAGE_SSL_SERVER) && t != TYPE_SISTEM)
		return sertel_err(SERTEL_EINVAL,
		                  "usage ssl-server is only for type sistem (a %s "
		                  "certificate names a person, not a server)",
		                  profile_type_name(t));
	return 0;
}

int
x509_add_ext_conf(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	if (ext == NULL)
		return sertel_err_ossl(SERTEL_ECRYPTO, "extension %s=%s failed",
		                       OBJ_nid2sn(nid), value);
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (ok != 1)
		return sertel_err_ossl(SERTEL_ECRYPTO, "extension %s: add failed",
		                       OBJ_nid2sn(nid));
	return 0;
}

int
profile_add_usage_exts(X509 *x, unsigned usages, EVP_PKEY *subject_key, int has_email)
{
	char ku[160] = "critical", eku[160] = "";
	int rsa = EVP_PKEY_is_a(subject_key, "RSA");
	int ds = 0, nr = 0, ke = 0, de = 0, ka = 0, rc;

	if (usages & USAGE_SIGNING) {
		ds = nr = 1;
	}
	if (usages & USAGE_EMAIL) {
		ds = 1;
		if (rsa)
			ke = 1;
		else
			ka = 1;
	}
	if (usages & USAGE_DOCUMENT) {
		if (rsa)
			ke = de = 1;
		else
			ka = 1;
	}
	if (usages & USAGE_SSL_SERVER) {
		ds = 1;
		if (rsa)
			ke = 1;
	}
	if (usages & USAGE_SSL_CLIENT)
		ds = 1;

#define KU_ADD(flag, name)                                                               \
	do {                                                                             \
		if (flag) {                                                              \
			size_t l_ = strlen(ku);                                          \
			snprintf(ku + l_, sizeof(ku) - l_, ",%s", name);                 \
		}                                                                        \
	} while (0)
	KU_ADD(ds, "digitalSignature");
	KU_ADD(nr, "nonRepudiation");
	KU_ADD(ke, "keyEncipherment");
	KU_ADD(de, "dataEncipherment");
	KU_ADD(ka, "keyAgreement");
#undef KU_ADD

#define EKU_ADD(cond, name)                                                              \
	do {                                                                             \
		if ((cond) && strstr(eku, name) == NULL) {                               \
			size_t l_ = strlen(eku);                                         \
			snprintf(eku + l_, sizeof(eku) - l_, "%s%s", l_ ? "," : "",      \
			         name);                                                  \
		}                                                                        \
	} while (0)
	EKU_ADD(usages & USAGE_SIGNING, "1.3.6.1.5.5.7.3.36");
	/* RFC 8550 4.4.2 / CA/B S/MIME BR 7.1.2.3: emailProtection only for
	 * a certificate that names a mailbox (issue 18). */
	EKU_ADD(has_email && (usages & (USAGE_SIGNING | USAGE_EMAIL)), "emailProtection");
	/* Microsoft's Document Encryption (szOID_DOCUMENT_ENCRYPTION, what
	 * Protect-CmsMessage asks for): a document-only certificate then has
	 * an EKU, which excludes TLS for every verifier (issue 18). */
	EKU_ADD(usages & USAGE_DOCUMENT, "1.3.6.1.4.1.311.80.1");
	EKU_ADD(usages & USAGE_SSL_SERVER, "serverAuth");
	EKU_ADD(usages & USAGE_SSL_CLIENT, "clientAuth");
#undef EKU_ADD

	if ((rc = x509_add_ext_conf(x, NULL, NID_basic_constraints,
	                            "critical,CA:FALSE")) < 0 ||
	    (rc = x509_add_ext_conf(x, NULL, NID_key_usage, ku)) < 0)
		return rc;
	if (eku[0] != '\0' &&
	    (rc = x509_add_ext_conf(x, NULL, NID_ext_key_usage, eku)) < 0)
		return rc;
	return 0;
}

int
name_check_sans(const char *const *dns, int ndns, const char *const *ip, int nip)
{
	unsigned char addr[16];
	int i, rc;

	for (i = 0; i < ndns; i++)
		if ((rc = name_check_dns(dns[i])) < 0)
			return rc;
	for (i = 0; i < nip; i++)
		if (inet_pton(strchr(ip[i], ':') ? AF_INET6 : AF_INET, ip[i], addr) != 1)
			return sertel_err(SERTEL_EINVAL,
			                  "IP address '%s': not IPv4 or IPv6", ip[i]);
	return 0;
}

/* RFC 1035 / 5280 4.2.1.6 preferred name syntax; one leading "*." label
 * is allowed for wildcard server certificates. */
int
name_check_dns(const char *dns)
{
	const char *p = dns, *label;
	size_t n = strlen(dns), len;

	if (n == 0 || n > 253)
		return sertel_err(SERTEL_EINVAL, "DNS name '%s': length must be 1..253",
		                  dns);
	if (strncmp(p, "*.", 2) == 0)
		p += 2;
	if (strchr(p, '.') == NULL)
		return sertel_err(SERTEL_EINVAL, "DNS name '%s': must be fully qualified",
		                  dns);
	while (*p != '\0') {
		label = p;
		while (*p != '\0' && *p != '.') {
			if (!isalnum((unsigned char)*p) && *p != '-')
				return sertel_err(
				    SERTEL_EINVAL,
				    "DNS name '%s': character '%c' not allowed", dns, *p);
			p++;
		}
		len = (size_t)(p - label);
		if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
			return sertel_err(
			    SERTEL_EINVAL,
			    "DNS name '%s': bad label (1..63 letters, digits, "
			    "inner hyphens)",
			    dns);
		if (*p == '.')
			p++;
		if (*p == '\0' && p[-1] == '.')
			return sertel_err(SERTEL_EINVAL, "DNS name '%s': trailing dot",
			                  dns);
	}
	return 0;
}

int
name_check_email(const char *email)
{
	const char *at = strchr(email, '@'), *p;
	size_t n = strlen(email);

	if (n < 3 || n > 254 || at == NULL || at == email || strchr(at + 1, '@'))
		return sertel_err(SERTEL_EINVAL, "e-mail '%s': expected local@domain",
		                  email);
	for (p = email; p < at; p++)
		if (!isgraph((unsigned char)*p) || *p == ',' || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\')
			return sertel_err(SERTEL_EINVAL,
			                  "e-mail '%s': bad character in local part",
			                  email);
	if (name_check_dns(at + 1) < 0)
		return sertel_err(SERTEL_EINVAL, "e-mail '%s': bad domain", email);
	return 0;
}

/* Text attributes: valid UTF-8, no control characters, within the X.520
 * upper bound (64 for CN, O, OU, title). */
int
name_check_text(const char *field, const char *v, size_t max)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t chars = 0;
	int extra;

	if (*p == '\0')
		return sertel_err(SERTEL_EINVAL, "%s: must not be empty", field);
	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return sertel_err(SERTEL_EINVAL, "%s: control character", field);
		if (*p < 0x80)
			extra = 0;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			extra = 1;
		else if ((*p & 0xf0) == 0xe0)
			extra = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			extra = 3;
		else
			return sertel_err(SERTEL_EINVAL, "%s: not valid UTF-8", field);
		p++;
		while (extra-- > 0) {
			if ((*p & 0xc0) != 0x80)
				return sertel_err(SERTEL_EINVAL, "%s: not valid UTF-8",
				                  field);
			p++;
		}
		chars++;
	}
	if (chars > max)
		return sertel_err(SERTEL_EINVAL, "%s: %zu characters (at most %zu)",
		                  field, chars, max);
	return 0;
}

int
pki_conf_load(struct pki_conf *out, const struct config *cfg)
{
	/* An OID arc under 2.25 (ITU-T X.667 UUID-based, no registration
	 * needed); instances that own an arc set their own in sertel.conf. */
	static const char *def_policy[TYPE_COUNT] = {
	    "2.25.265016592438374105406425356356063524147.1.1",
	    "2.25.265016592438374105406425356356063524147.1.2",
	    "2.25.265016592438374105406425356356063524147.1.3",
	};
	ASN1_OBJECT *o;
	int i, rc;

	memset(out, 0, sizeof(*out));
	if ((rc = str_copy(out->org, sizeof(out->org),
	                   config_get(cfg, "instance", "org", "Pemerintah Daerah"))) <
	        0 ||
	    (rc = str_copy(out->state, sizeof(out->state),
	                   config_get(cfg, "instance", "state", ""))) < 0 ||
	    (rc = str_copy(out->locality, sizeof(out->locality),
	                   config_get(cfg, "instance", "locality", ""))) < 0 ||
	    (rc = str_copy(
	         out->base_url, sizeof(out->base_url),
	         config_get(cfg, "instance", "base_url", "http://127.0.0.1:8080"))) < 0)
		return rc;
	for (i = 0; i < TYPE_COUNT; i++) {
		out->validity_days[i] =
		    (int)config_get_int(cfg, "validity", type_names[i], 730);
		if (out->validity_days[i] < 1 || out->validity_days[i] > 3650)
			return sertel_err(SERTEL_EINVAL,
			                  "sertel.conf [validity] %s: 1..3650 days",
			                  type_names[i]);
		if ((rc = str_copy(
		         out->policy_oid[i], sizeof(out->policy_oid[i]),
		         config_get(cfg, "policy", type_names[i], def_policy[i]))) < 0)
			return rc;
		if ((o = OBJ_txt2obj(out->policy_oid[i], 1)) == NULL)
			return sertel_err(SERTEL_EINVAL,
			                  "sertel.conf [policy] %s: '%s' is not an OID",
			                  type_names[i], out->policy_oid[i]);
		ASN1_OBJECT_free(o);
	}
	/* CA/B BR 6.3.2: TLS subscriber certificates at most 398 days. */
	out->tls_days = (int)config_get_int(cfg, "validity", "tls", 398);
	if (out->tls_days < 1 || out->tls_days > 3650)
		return sertel_err(SERTEL_EINVAL,
		                  "sertel.conf [validity] tls: 1..3650 days");
	if ((out->state[0] != '\0' &&
	     (rc = name_check_text("sertel.conf [instance] state", out->state, 128)) <
	         0) ||
	    (out->locality[0] != '\0' &&
	     (rc = name_check_text("sertel.conf [instance] locality", out->locality,
	                           128)) < 0))
		return rc;
	out->crl_next_update_hours =
	    (int)config_get_int(cfg, "crl", "next_update_hours", 24);
	if (out->crl_next_update_hours < 1 || out->crl_next_update_hours > 24 * 31)
		return sertel_err(SERTEL_EINVAL,
		                  "sertel.conf [crl] next_update_hours: 1..744");
	return 0;
}
