/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The built-in issuer: the instance's CA hierarchy and end-entity
 * issuance and revocation.  Every change happens inside one store
 * transaction together with its audit entry.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "audit/audit.h"
#include "pki/pki_int.h"

#define SERIAL_RETRIES 8
#define CLOCK_SKEW     60 /* notBefore is backdated this much for relying-party clocks */
#define DAY            (24 * 60 * 60)

static revoke_hook_fn revoke_hook;
static void *revoke_hook_arg;

void
ca_set_revoke_hook(revoke_hook_fn fn, void *arg)
{
	revoke_hook = fn;
	revoke_hook_arg = arg;
}

/* ---- serials and ids --------------------------------------------------- */
int
serial_to_hex(char out[SERIAL_HEX_MAX + 1], const ASN1_INTEGER *serial)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
	unsigned char bytes[32];
	int n;

	if (bn == NULL)
		return sertel_err_ossl(SERTEL_EINVAL, "serial: not an integer");
	if (BN_is_negative(bn) || (n = BN_num_bytes(bn)) > 20) {
		BN_free(bn);
		return sertel_err(SERTEL_EINVAL,
		                  "serial: RFC 5280 4.1.2.2: must be positive and at "
		                  "most 20 octets");
	}
	if (n == 0) {
		bytes[0] = 0;
		n = 1;
	} else {
		BN_bn2bin(bn, bytes);
	}
	BN_free(bn);
	hex_encode(out, bytes, (size_t)n);
	return 0;
}

int
serial_normalise(char out[SERIAL_HEX_MAX + 1], char dec[SERIAL_HEX_MAX + 1],
                 const char *in)
{
	char digits[SERIAL_HEX_MAX * 3 + 1];
	size_t n = 0, skip = 0, len;
	int alldec = 1;
	BIGNUM *bn = NULL;

	out[0] = '\0';
	if (dec != NULL)
		dec[0] = '\0';
	if (in == NULL)
		return sertel_err(SERTEL_EINVAL, "serial: empty");
	while (*in == ' ')
		in++;
	if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X')) {
		in += 2;
		alldec = 0;
	}
	for (; *in; in++) {
		if (*in == ':' || *in == ' ' || *in == '-')
			continue;
		if (n >= sizeof(digits) - 2)
			return sertel_err(SERTEL_EINVAL,
			                  "serial: too long (RFC 5280 4.1.2.2: at most "
			                  "20 octets)");
		if (*in >= 'A' && *in <= 'F')
			digits[n++] = (char)(*in - 'A' + 'a');
		else if (*in >= 'a' && *in <= 'f')
			digits[n++] = *in;
		else if (*in >= '0' && *in <= '9')
			digits[n++] = *in;
		else
			return sertel_err(SERTEL_EINVAL,
			                  "serial: '%c' is not a hex or decimal digit",
			                  *in);
		if (!(*in >= '0' && *in <= '9'))
			alldec = 0;
	}
	digits[n] = '\0';
	if (n == 0)
		return sertel_err(SERTEL_EINVAL, "serial: empty");
	/* The decimal reading: at most 20 octets, i.e. 49 decimal digits. */
	if (alldec && dec != NULL && n <= 49 && BN_dec2bn(&bn, digits) > 0) {
		unsigned char bytes[32];
		int nb = BN_num_bytes(bn);

		if (nb == 0) {
			bytes[0] = 0;
			nb = 1;
		} else if (nb <= 20) {
			BN_bn2bin(bn, bytes);
		} else {
			nb = 0;
		}
		if (nb > 0)
			hex_encode(dec, bytes, (size_t)nb);
	}
	BN_free(bn);
	/* The hex reading: whole octets, leading zero octets dropped, as
	 * serial_to_hex writes a positive INTEGER. */
	if (n % 2) {
		memmove(digits + 1, digits, n + 1);
		digits[0] = '0';
		n++;
	}
	while (n - skip > 2 && digits[skip] == '0' && digits[skip + 1] == '0')
		skip += 2;
	len = n - skip;
	if (len / 2 > 20)
		return sertel_err(
		    SERTEL_EINVAL,
		    "serial: too long (RFC 5280 4.1.2.2: at most 20 octets)");
	memcpy(out, digits + skip, len + 1);
	return 0;
}

int
cert_bundle_p7b(unsigned char **out, size_t *outlen, const unsigned char *const *der,
                const size_t *len, int n)
{
	PKCS7 *p7 = NULL;
	PKCS7_SIGNED *sd;
	X509 *x = NULL;
	unsigned char *buf = NULL;
	const unsigned char *p;
	int i, l, rc = SERTEL_ECRYPTO;

	*out = NULL;
	*outlen = 0;
	if ((p7 = PKCS7_new()) == NULL || !PKCS7_set_type(p7, NID_pkcs7_signed) ||
	    (sd = p7->d.sign) == NULL || !ASN1_INTEGER_set(sd->version, 1) ||
	    !PKCS7_content_new(p7, NID_pkcs7_data))
		goto out;
	for (i = 0; i < n; i++) {
		p = der[i];
		if ((x = d2i_X509(NULL, &p, (long)len[i])) == NULL ||
		    p != der[i] + len[i]) {
			rc = sertel_err_ossl(SERTEL_EINVAL,
			                     "p7b: certificate %d is not DER", i);
			goto out;
		}
		if (!PKCS7_add_certificate(p7, x))
			goto out;
		X509_free(x);
		x = NULL;
	}
	if ((l = i2d_PKCS7(p7, &buf)) <= 0)
		goto out;
	*out = malloc((size_t)l);
	if (*out == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "p7b: out of memory");
		goto out;
	}
	memcpy(*out, buf, (size_t)l);
	*outlen = (size_t)l;
	rc = 0;
out:
	if (rc == SERTEL_ECRYPTO)
		sertel_err_ossl(rc, "p7b: cannot build the bundle");
	OPENSSL_free(buf);
	X509_free(x);
	PKCS7_free(p7);
	return rc;
}

int
cert_der_serial(char out[SERIAL_HEX_MAX + 1], const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;
	int rc;

	out[0] = '\0';
	if (len == 0 || len > SERTEL_MAX_CERT ||
	    (x = d2i_X509(NULL, &p, (long)len)) == NULL)
		return sertel_err_ossl(SERTEL_EINVAL, "certificate: not DER");
	if (p != der + len) {
		X509_free(x);
		return sertel_err(SERTEL_EINVAL, "certificate: trailing bytes after DER");
	}
	rc = serial_to_hex(out, X509_get0_serialNumber(x));
	X509_free(x);
	return rc;
}

int
serial_generate(ASN1_INTEGER **out, char hex[SERIAL_HEX_MAX + 1])
{
	unsigned char b[17];
	BIGNUM *bn = NULL;
	int rc;

	*out = NULL;
	/* RFC 5280 4.1.2.2 and CA/B BR 7.1: at least 64 bits of CSPRNG
	 * output; we use 128, behind 0x01 so the value is positive and its
	 * length does not vary. */
	b[0] = 0x01;
	if ((rc = rand_bytes(b + 1, 16)) < 0)
		return rc;
	if ((bn = BN_bin2bn(b, sizeof(b), NULL)) == NULL ||
	    (*out = BN_to_ASN1_INTEGER(bn, NULL)) == NULL) {
		BN_free(bn);
		return sertel_err_ossl(SERTEL_ECRYPTO, "serial: encoding failed");
	}
	BN_free(bn);
	hex_encode(hex, b, sizeof(b));
	return 0;
}

int
issuer_id_of(char out[ISSUER_ID_LEN + 1], X509 *cert)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(cert);

	if (ski == NULL || ASN1_STRING_length(ski) < ISSUER_ID_LEN / 2)
		return sertel_err(SERTEL_EINVAL, "issuer: certificate has no "
		                                 "subjectKeyIdentifier");
	hex_encode(out, ASN1_STRING_get0_data(ski), ISSUER_ID_LEN / 2);
	return 0;
}

int
pem_from_der(char **out, const unsigned char *der, size_t len, const char *label)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	*out = NULL;
	if (b == NULL || PEM_write_bio(b, label, "", der, (long)len) <= 0) {
		BIO_free(b);
		return sertel_err_ossl(SERTEL_ECRYPTO, "PEM encoding failed");
	}
	n = BIO_get_mem_data(b, &p);
	if ((*out = malloc((size_t)n + 1)) != NULL) {
		memcpy(*out, p, (size_t)n);
		(*out)[n] = '\0';
	}
	BIO_free(b);
	return *out ? 0 : sertel_err(SERTEL_ENOMEM, "out of memory");
}

/* ---- loading ----------------------------------------------------------- */
/* ---- constant extensions ---------------------------------------------- */
#define EXT_CACHE_MAX 192 /* 3 types x 31 usage sets x 2 key kinds, rounded */

struct ca_ext_cache {
	pthread_mutex_t mu;
	struct {
		unsigned key;
		STACK_OF(X509_EXTENSION) * exts;
	} e[EXT_CACHE_MAX];
	int n;
};

static void
ext_cache_free(struct ca_ext_cache *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		sk_X509_EXTENSION_pop_free(c->e[i].exts, X509_EXTENSION_free);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void
ca_free(struct ca *ca)
{
	if (ca == NULL)
		return;
	ext_cache_free(ca->exts);
	issuer_rec_free(&ca->rec);
	X509_free(ca->cert);
	X509_free(ca->parent);
	EVP_PKEY_free(ca->key);
	free(ca);
}

static int
x509_from_der(X509 **out, const unsigned char *der, size_t len, const char *what)
{
	const unsigned char *p = der;

	*out = d2i_X509(NULL, &p, (long)len);
	if (*out == NULL)
		return sertel_err_ossl(SERTEL_EINVAL, "%s: not a DER certificate", what);
	if (p != der + len) {
		X509_free(*out);
		*out = NULL;
		return sertel_err(SERTEL_EINVAL, "%s: trailing bytes after certificate",
		                  what);
	}
	return 0;
}

int
ca_load(struct ca **out, struct store *st, const char *role,
        const unsigned char master[SECRET_LEN])
{
	struct ca *ca;
	struct issuer_rec parent;
	int rc;

	*out = NULL;
	if ((ca = calloc(1, sizeof(*ca))) == NULL ||
	    (ca->exts = calloc(1, sizeof(*ca->exts))) == NULL) {
		free(ca);
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&ca->exts->mu, NULL);
	if ((rc = store_issuer_by_role(st, role, &ca->rec)) < 0)
		goto fail;
	if ((rc = x509_from_der(&ca->cert, ca->rec.cert_der, ca->rec.cert_len,
	                        ca->rec.id)) < 0)
		goto fail;
	if ((rc = key_unseal(&ca->key, ca->rec.key_pem, master)) < 0)
		goto fail;
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO,
		                     "issuer %s: key does not match certificate",
		                     ca->rec.id);
		goto fail;
	}
	if (ca->rec.parent_id[0] != '\0') {
		if ((rc = store_issuer_get(st, ca->rec.parent_id, &parent)) < 0)
			goto fail;
		rc = x509_from_der(&ca->parent, parent.cert_der, parent.cert_len,
		                   parent.id);
		issuer_rec_free(&parent);
		if (rc < 0)
			goto fail;
	}
	*out = ca;
	return 0;
fail:
	ca_free(ca);
	return rc;
}

/* ---- building certificates --------------------------------------------- */
static int
name_add(X509_NAME *n, const char *field, const char *value)
{
	if (X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8,
	                               (const unsigned char *)value, -1, -1, 0) != 1)
		return sertel_err_ossl(SERTEL_EINVAL, "subject %s='%s' rejected", field,
		                       value);
	return 0;
}

static int
set_validity(X509 *x, int64_t from, int64_t to)
{
	if (ASN1_TIME_set(X509_getm_notBefore(x), (time_t)from) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)to) == NULL)
		return sertel_err_ossl(SERTEL_ECRYPTO, "validity: cannot set");
	return 0;
}

static int
asn1_time_to_epoch(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return sertel_err(SERTEL_EINVAL, "bad ASN.1 time");
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* The URLs relying parties use to check a certificate of issuer `id`
 * (RFC 5280 4.2.1.13, 4.2.2.1). */
static int
add_distribution_exts(X509 *x, const struct pki_conf *pc, const char *id, int with_ocsp)
{
	char v[768];
	int rc;

	snprintf(v, sizeof(v), "URI:%s/crl/%s.crl", pc->base_url, id);
	if ((rc = x509_add_ext_conf(x, NULL, NID_crl_distribution_points, v)) < 0)
		return rc;
	if (with_ocsp)
		snprintf(v, sizeof(v), "OCSP;URI:%s/ocsp,caIssuers;URI:%s/ca/%s.crt",
		         pc->base_url, pc->base_url, id);
	else
		snprintf(v, sizeof(v), "caIssuers;URI:%s/ca/%s.crt", pc->base_url, id);
	return x509_add_ext_conf(x, NULL, NID_info_access, v);
}

/* certificatePolicies with bare policy OIDs (RFC 5280 4.2.1.4). */
static int
add_policies(X509 *x, const char *const *oids, int n)
{
	CERTIFICATEPOLICIES *cp = sk_POLICYINFO_new_null();
	POLICYINFO *pi = NULL;
	int i, rc = 0;

	if (cp == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if ((pi = POLICYINFO_new()) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		ASN1_OBJECT_free(pi->policyid);
		if ((pi->policyid = OBJ_txt2obj(oids[i], 1)) == NULL) {
			POLICYINFO_free(pi);
			rc =
			    sertel_err(SERTEL_EINVAL, "policy '%s': not an OID", oids[i]);
			goto out;
		}
		if (sk_POLICYINFO_push(cp, pi) <= 0) {
			POLICYINFO_free(pi);
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (X509_add1_ext_i2d(x, NID_certificate_policies, cp, 0, X509V3_ADD_APPEND) != 1)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "certificatePolicies: cannot add");
out:
	CERTIFICATEPOLICIES_free(cp);
	return rc;
}

struct ca_spec {
	const char *role;
	const char *cn;
	int days;
	const char *bc;  /* basicConstraints */
	const char *ku;  /* keyUsage */
	const char *eku; /* extendedKeyUsage or NULL */
	int nocheck;     /* id-pkix-ocsp-nocheck */
};

static int
issuer_cert_build(X509 **out, const struct ca_spec *sp, const struct pki_conf *pc,
                  EVP_PKEY *key, X509 *parent, EVP_PKEY *parent_key,
                  const char *parent_id)
{
	X509 *x = NULL;
	X509_NAME *n = NULL;
	ASN1_INTEGER *serial = NULL;
	char hex[SERIAL_HEX_MAX + 1];
	int64_t now = time_now(), end;
	int rc;

	*out = NULL;
	if ((x = X509_new()) == NULL || (n = X509_NAME_new()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = serial_generate(&serial, hex)) < 0)
		goto out;
	if ((rc = name_add(n, "C", "ID")) < 0 || (rc = name_add(n, "O", pc->org)) < 0 ||
	    (rc = name_add(n, "CN", sp->cn)) < 0)
		goto out;
	end = now + (int64_t)sp->days * DAY;
	if (parent != NULL) {
		int64_t pend = 0;
		if ((rc = asn1_time_to_epoch(&pend, X509_get0_notAfter(parent))) < 0)
			goto out;
		if (end > pend)
			end = pend; /* RFC 5280 6.1.3: never outlive the issuer */
	}
	if (X509_set_version(x, 2) != 1 || X509_set_serialNumber(x, serial) != 1 ||
	    X509_set_subject_name(x, n) != 1 ||
	    X509_set_issuer_name(x, parent ? X509_get_subject_name(parent) : n) != 1 ||
	    X509_set_pubkey(x, key) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "%s: cannot build certificate",
		                     sp->role);
		goto out;
	}
	if ((rc = set_validity(x, now - CLOCK_SKEW, end)) < 0)
		goto out;
	if ((rc = x509_add_ext_conf(x, NULL, NID_basic_constraints, sp->bc)) < 0 ||
	    (rc = x509_add_ext_conf(x, NULL, NID_key_usage, sp->ku)) < 0 ||
	    (rc = x509_add_ext_conf(x, NULL, NID_subject_key_identifier, "hash")) < 0)
		goto out;
	if (parent != NULL) {
		if ((rc = x509_add_ext_conf(x, parent, NID_authority_key_identifier,
		                            "keyid:always")) < 0 ||
		    (rc = add_distribution_exts(x, pc, parent_id, 0)) < 0)
			goto out;
	}
	if (sp->eku != NULL &&
	    (rc = x509_add_ext_conf(x, NULL, NID_ext_key_usage, sp->eku)) < 0)
		goto out;
	if (sp->nocheck &&
	    (rc = x509_add_ext_conf(x, NULL, NID_id_pkix_OCSP_noCheck, "ignored")) < 0)
		goto out;
	if (strcmp(sp->role, "issuing") == 0) {
		/* The issuing CA asserts exactly the instance's three policies,
		 * so validators with an explicit policy set accept its chains. */
		const char *pols[TYPE_COUNT] = {pc->policy_oid[0], pc->policy_oid[1],
		                                pc->policy_oid[2]};
		if ((rc = add_policies(x, pols, TYPE_COUNT)) < 0)
			goto out;
	}
	if (X509_sign(x, parent_key ? parent_key : key,
	              key_digest(parent_key ? parent_key : key)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "%s: signing failed", sp->role);
		goto out;
	}
	*out = x;
	x = NULL;
	rc = 0;
out:
	X509_free(x);
	X509_NAME_free(n);
	ASN1_INTEGER_free(serial);
	return rc;
}

static int
issuer_store(struct store *st, const char *role, X509 *x, EVP_PKEY *key,
             const char *parent_id, const unsigned char master[SECRET_LEN],
             const char *actor, char id_out[ISSUER_ID_LEN + 1])
{
	struct issuer_rec r;
	unsigned char *der = NULL;
	int len, rc;
	const char *cn_txt;
	X509_NAME_ENTRY *e;
	int idx;

	memset(&r, 0, sizeof(r));
	if ((rc = issuer_id_of(r.id, x)) < 0)
		return rc;
	str_copy(r.role, sizeof(r.role), role);
	str_copy(r.parent_id, sizeof(r.parent_id), parent_id ? parent_id : "");
	idx = X509_NAME_get_index_by_NID(X509_get_subject_name(x), NID_commonName, -1);
	e = X509_NAME_get_entry(X509_get_subject_name(x), idx);
	cn_txt =
	    e ? (const char *)ASN1_STRING_get0_data(X509_NAME_ENTRY_get_data(e)) : role;
	str_copy(r.name, sizeof(r.name), cn_txt);
	if ((len = i2d_X509(x, &der)) <= 0)
		return sertel_err_ossl(SERTEL_ECRYPTO, "%s: DER encoding failed", role);
	r.cert_der = der;
	r.cert_len = (size_t)len;
	if ((rc = key_seal(&r.key_pem, key, master)) < 0)
		goto out;
	r.created_at = time_now();
	r.active = 1;
	if ((rc = store_issuer_put(st, &r)) < 0)
		goto out;
	if ((rc = audit_append(st, actor, "issuer.create", r.id, role)) < 0)
		goto out;
	memcpy(id_out, r.id, sizeof(r.id));
out:
	OPENSSL_free(der);
	if (r.key_pem) {
		secure_wipe(r.key_pem, strlen(r.key_pem));
		free(r.key_pem);
	}
	return rc;
}

int
ca_init_hierarchy(struct store *st, const struct pki_conf *pc, const char *algo,
                  const unsigned char master[SECRET_LEN], const char *actor)
{
	char cn[4][SERTEL_MAX_NAME + 32];
	const struct ca_spec specs[4] = {
	    {"root", cn[0], 20 * 365, "critical,CA:TRUE", "critical,keyCertSign,cRLSign",
	     NULL, 0},
	    {"issuing", cn[1], 10 * 365, "critical,CA:TRUE,pathlen:0",
	     "critical,keyCertSign,cRLSign", NULL, 0},
	    /* RFC 6960 4.2.2.2 delegated responder; 4.2.2.2.1 nocheck. */
	    {"ocsp", cn[2], 2 * 365, "critical,CA:FALSE", "critical,digitalSignature",
	     "OCSPSigning", 1},
	    /* RFC 3161 2.3: EKU timeStamping only, critical. */
	    {"tsa", cn[3], 6 * 365, "critical,CA:FALSE", "critical,digitalSignature",
	     "critical,timeStamping", 0},
	};
	EVP_PKEY *keys[4] = {NULL};
	X509 *certs[4] = {NULL};
	char ids[4][ISSUER_ID_LEN + 1];
	struct ca root, issuing;
	int i, rc, in_tx = 0;

	snprintf(cn[0], sizeof(cn[0]), "%.64s Root CA", pc->org);
	snprintf(cn[1], sizeof(cn[1]), "%.64s Issuing CA", pc->org);
	snprintf(cn[2], sizeof(cn[2]), "%.64s OCSP Responder", pc->org);
	snprintf(cn[3], sizeof(cn[3]), "%.64s Time-Stamping Authority", pc->org);
	for (i = 0; i < 4; i++) {
		/* CN is at most 64 characters (X.520 ub-common-name). */
		if (strlen(specs[i].cn) > 64)
			cn[i][64] = '\0';
		if ((rc = key_generate(&keys[i], algo)) < 0)
			goto out;
	}
	if ((rc = issuer_cert_build(&certs[0], &specs[0], pc, keys[0], NULL, NULL,
	                            NULL)) < 0)
		goto out;
	if ((rc = issuer_id_of(ids[0], certs[0])) < 0)
		goto out;
	if ((rc = issuer_cert_build(&certs[1], &specs[1], pc, keys[1], certs[0], keys[0],
	                            ids[0])) < 0)
		goto out;
	if ((rc = issuer_id_of(ids[1], certs[1])) < 0)
		goto out;
	for (i = 2; i < 4; i++)
		if ((rc = issuer_cert_build(&certs[i], &specs[i], pc, keys[i], certs[1],
		                            keys[1], ids[1])) < 0)
			goto out;

	if ((rc = store_begin(st)) < 0)
		goto out;
	in_tx = 1;
	for (i = 0; i < 4; i++)
		if ((rc = issuer_store(st, specs[i].role, certs[i], keys[i],
		                       i == 0   ? NULL
		                       : i == 1 ? ids[0]
		                                : ids[1],
		                       master, actor, ids[i])) < 0)
			goto out;
	/* First CRLs of both CAs, so the distribution points resolve at once. */
	memset(&root, 0, sizeof(root));
	memset(&issuing, 0, sizeof(issuing));
	str_copy(root.rec.id, sizeof(root.rec.id), ids[0]);
	root.cert = certs[0];
	root.key = keys[0];
	str_copy(issuing.rec.id, sizeof(issuing.rec.id), ids[1]);
	issuing.cert = certs[1];
	issuing.key = keys[1];
	issuing.parent = certs[0];
	if ((rc = crl_publish(NULL, NULL, &root, st, pc, actor)) < 0 ||
	    (rc = crl_publish(NULL, NULL, &issuing, st, pc, actor)) < 0)
		goto out;
	rc = store_commit(st);
	in_tx = 0;
out:
	if (in_tx)
		store_rollback(st);
	for (i = 0; i < 4; i++) {
		EVP_PKEY_free(keys[i]);
		X509_free(certs[i]);
	}
	return rc;
}

/* ---- end-entity issuance ------------------------------------------------ */
static int
add_san(X509 *x, const struct issue_req *rq)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *g = NULL;
	ASN1_IA5STRING *ia5 = NULL;
	ASN1_OCTET_STRING *ip = NULL;
	unsigned char addr[16];
	int i, rc = 0, af;

	if (gens == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
#define PUSH_IA5(kind, val)                                                              \
	do {                                                                             \
		if ((ia5 = ASN1_IA5STRING_new()) == NULL ||                              \
		    ASN1_STRING_set(ia5, (val), -1) != 1 ||                              \
		    (g = GENERAL_NAME_new()) == NULL) {                                  \
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");                 \
			goto out;                                                        \
		}                                                                        \
		GENERAL_NAME_set0_value(g, (kind), ia5);                                 \
		ia5 = NULL;                                                              \
		if (sk_GENERAL_NAME_push(gens, g) <= 0) {                                \
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");                 \
			goto out;                                                        \
		}                                                                        \
		g = NULL;                                                                \
	} while (0)
	if (rq->email != NULL && *rq->email != '\0')
		PUSH_IA5(GEN_EMAIL, rq->email);
	for (i = 0; i < rq->ndns; i++)
		PUSH_IA5(GEN_DNS, rq->dns[i]);
#undef PUSH_IA5
	for (i = 0; i < rq->nip; i++) {
		af = strchr(rq->ip[i], ':') ? AF_INET6 : AF_INET;
		if (inet_pton(af, rq->ip[i], addr) != 1) {
			rc = sertel_err(SERTEL_EINVAL,
			                "IP address '%s': not IPv4 or IPv6", rq->ip[i]);
			goto out;
		}
		if ((ip = ASN1_OCTET_STRING_new()) == NULL ||
		    ASN1_OCTET_STRING_set(ip, addr, af == AF_INET ? 4 : 16) != 1 ||
		    (g = GENERAL_NAME_new()) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
		ip = NULL;
		if (sk_GENERAL_NAME_push(gens, g) <= 0) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		g = NULL;
	}
	if (sk_GENERAL_NAME_num(gens) > 0 &&
	    X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_APPEND) != 1)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "subjectAltName: cannot add");
out:
	ASN1_IA5STRING_free(ia5);
	ASN1_OCTET_STRING_free(ip);
	GENERAL_NAME_free(g);
	GENERAL_NAMES_free(gens);
	return rc;
}

/* Everything about a request that can be refused before any key or store
 * work, so bad input never reaches the database. */
static int
issue_req_check(const struct issue_req *rq, enum cert_type *type, unsigned *usages)
{
	int rc;

	if ((rc = profile_type_parse(type, rq->type ? rq->type : "")) < 0 ||
	    (rc = profile_usages_parse(usages, rq->usages)) < 0 ||
	    (rc = profile_check(*type, *usages)) < 0)
		return rc;
	if (rq->cn == NULL)
		return sertel_err(SERTEL_EINVAL, "cn: a name is required");
	if ((rc = name_check_text("cn", rq->cn, 64)) < 0)
		return rc;
	if (rq->ou != NULL && (rc = name_check_text("ou", rq->ou, 64)) < 0)
		return rc;
	if (rq->email != NULL && (rc = name_check_email(rq->email)) < 0)
		return rc;
	if ((*usages & USAGE_EMAIL) && rq->email == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "usage email: an e-mail address is required (--email)");
	if (*type == TYPE_JABATAN) {
		if (rq->title == NULL)
			return sertel_err(
			    SERTEL_EINVAL,
			    "type jabatan: the position is required (--title)");
		if ((rc = name_check_text("title", rq->title, 64)) < 0)
			return rc;
	} else if (rq->title != NULL) {
		return sertel_err(SERTEL_EINVAL, "title: only for type jabatan");
	}
	if (rq->ndns > ISSUE_MAX_NAMES || rq->nip > ISSUE_MAX_NAMES)
		return sertel_err(SERTEL_EINVAL, "at most %d DNS and %d IP names",
		                  ISSUE_MAX_NAMES, ISSUE_MAX_NAMES);
	if (*type == TYPE_SISTEM && rq->ndns + rq->nip == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "type sistem: at least one --dns or --ip name of the "
		                  "system is required");
	if (*type != TYPE_SISTEM && rq->ndns + rq->nip > 0)
		return sertel_err(SERTEL_EINVAL, "DNS/IP names are only for type sistem");
	if ((rc = name_check_sans(rq->dns, rq->ndns, rq->ip, rq->nip)) < 0)
		return rc;
	/* CA/B BR 7.1.4.3: a TLS server certificate's CN is one of its
	 * subjectAltName values (issue 18). */
	if (*usages & USAGE_SSL_SERVER) {
		int k, in_sans = 0;

		for (k = 0; k < rq->ndns && !in_sans; k++)
			in_sans = strcasecmp(rq->cn, rq->dns[k]) == 0;
		for (k = 0; k < rq->nip && !in_sans; k++)
			in_sans = strcasecmp(rq->cn, rq->ip[k]) == 0;
		if (!in_sans)
			return sertel_err(
			    SERTEL_EINVAL,
			    "usage ssl-server: the CN '%s' must be one of the "
			    "certificate's --dns or --ip names (CA/B BR 7.1.4.3)",
			    rq->cn);
	}
	if (rq->subject_nip != NULL && (strlen(rq->subject_nip) != 18 ||
	                                strspn(rq->subject_nip, "0123456789") != 18))
		return sertel_err(SERTEL_EINVAL, "NIP '%s': must be 18 digits",
		                  rq->subject_nip);
	if (rq->nik != NULL && *rq->nik != '\0') {
		if (strlen(rq->nik) != 16 || strspn(rq->nik, "0123456789") != 16)
			return sertel_err(SERTEL_EINVAL, "NIK '%s': must be 16 digits",
			                  rq->nik);
	}
	return 0;
}

/* The extensions shared by every certificate of (type, usages, key kind)
 * from this CA: basicConstraints, keyUsage, extendedKeyUsage, AKI,
 * certificatePolicies, CRL distribution point and AIA.  Built on a scratch
 * certificate with the same code as before, then reused; X509_add_ext
 * copies them into each certificate. */
static int
ca_const_exts(STACK_OF(X509_EXTENSION) * *out, struct ca *ca, const struct pki_conf *pc,
              enum cert_type type, unsigned usages, EVP_PKEY *pub, int has_email)
{
	struct ca_ext_cache *c = ca->exts;
	unsigned key = (unsigned)has_email << 12 | (unsigned)type << 8 | usages << 1 |
	               (EVP_PKEY_is_a(pub, "RSA") ? 1u : 0u);
	STACK_OF(X509_EXTENSION) *exts = NULL;
	X509 *tmp = NULL;
	int i, rc = 0;

	pthread_mutex_lock(&c->mu);
	for (i = 0; i < c->n; i++) {
		if (c->e[i].key == key) {
			*out = c->e[i].exts;
			pthread_mutex_unlock(&c->mu);
			return 0;
		}
	}
	if ((tmp = X509_new()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = profile_add_usage_exts(tmp, usages, pub, has_email)) < 0 ||
	    (rc = x509_add_ext_conf(tmp, ca->cert, NID_authority_key_identifier,
	                            "keyid:always")) < 0 ||
	    (rc = add_policies(tmp, (const char *const[]){pc->policy_oid[type]}, 1)) <
	        0 ||
	    (rc = add_distribution_exts(tmp, pc, ca->rec.id, 1)) < 0)
		goto out;
	exts = sk_X509_EXTENSION_deep_copy(X509_get0_extensions(tmp), X509_EXTENSION_dup,
	                                   X509_EXTENSION_free);
	if (exts == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if (c->n < EXT_CACHE_MAX) {
		c->e[c->n].key = key;
		c->e[c->n].exts = exts;
		c->n++;
		*out = exts;
		exts = NULL;
	} else {
		rc = sertel_err(SERTEL_ENOMEM, "extension cache full");
	}
out:
	pthread_mutex_unlock(&c->mu);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_free(tmp);
	return rc;
}

static int
ee_cert_build(X509 **out, char serial_hex[SERIAL_HEX_MAX + 1], struct ca *ca,
              const struct pki_conf *pc, const struct issue_req *rq, enum cert_type type,
              unsigned usages, const struct csr *csr, int64_t now)
{
	X509 *x = NULL;
	X509_NAME *n = NULL;
	ASN1_INTEGER *serial = NULL;
	STACK_OF(X509_EXTENSION) *exts = NULL; /* borrowed from the cache */
	int64_t end, ca_end = 0;
	int i, rc;

	*out = NULL;
	if ((x = X509_new()) == NULL || (n = X509_NAME_new()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = serial_generate(&serial, serial_hex)) < 0)
		goto out;
	/* CA/B BR 7.1.4.2.2: with O, the subject carries L and/or ST (from
	 * [instance] state / locality; issue 18). */
	if ((rc = name_add(n, "C", "ID")) < 0 ||
	    (pc->state[0] != '\0' && (rc = name_add(n, "ST", pc->state)) < 0) ||
	    (pc->locality[0] != '\0' && (rc = name_add(n, "L", pc->locality)) < 0) ||
	    (rc = name_add(n, "O", pc->org)) < 0)
		goto out;
	if (rq->ou != NULL && (rc = name_add(n, "OU", rq->ou)) < 0)
		goto out;
	if (type == TYPE_JABATAN && (rc = name_add(n, "title", rq->title)) < 0)
		goto out;
	if ((rc = name_add(n, "CN", rq->cn)) < 0)
		goto out;
	if (rq->subject_nip != NULL &&
	    (rc = name_add(n, "serialNumber", rq->subject_nip)) < 0)
		goto out;
	/* Palembang 10(1): validity per type from config (default 2 years),
	 * cut at the issuing CA's own notAfter. */
	end = now + (int64_t)pc->validity_days[type] * DAY;
	/* CA/B BR 6.3.2: a TLS server certificate at most 398 days
	 * ([validity] tls, issue 18). */
	if ((usages & USAGE_SSL_SERVER) && end > now + (int64_t)pc->tls_days * DAY)
		end = now + (int64_t)pc->tls_days * DAY;
	if ((rc = asn1_time_to_epoch(&ca_end, X509_get0_notAfter(ca->cert))) < 0)
		goto out;
	if (end > ca_end)
		end = ca_end;
	if (X509_set_version(x, 2) != 1 || X509_set_serialNumber(x, serial) != 1 ||
	    X509_set_subject_name(x, n) != 1 ||
	    X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "certificate: cannot build");
		goto out;
	}
	if ((rc = csr_copy_pubkey(x, csr)) < 0 ||
	    (rc = set_validity(x, now - CLOCK_SKEW, end)) < 0 ||
	    (rc = ca_const_exts(&exts, ca, pc, type, usages, csr_pubkey(csr),
	                        rq->email != NULL && *rq->email != '\0')) < 0)
		goto out;
	for (i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		if (X509_add_ext(x, sk_X509_EXTENSION_value(exts, i), -1) != 1) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO, "certificate: extension");
			goto out;
		}
	}
	if ((rc = x509_add_ext_conf(x, NULL, NID_subject_key_identifier, "hash")) < 0 ||
	    (rc = add_san(x, rq)) < 0)
		goto out;
	if (X509_sign(x, ca->key, key_digest(ca->key)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "certificate: signing failed");
		goto out;
	}
	*out = x;
	x = NULL;
	rc = 0;
out:
	X509_free(x);
	X509_NAME_free(n);
	ASN1_INTEGER_free(serial);
	return rc;
}

static void
sans_format(char *out, size_t outsz, const struct issue_req *rq)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < rq->ndns && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%sDNS:%s",
		                        len ? "," : "", rq->dns[i]);
	for (i = 0; i < rq->nip && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%sIP:%s", len ? "," : "",
		                        rq->ip[i]);
}

struct issue_write {
	const struct cert_rec *rec;
	const char *actor;
	const char *reason;
	const struct issue_req *rq;
};

/* The stored part of an issuance: certificate and audit entry together. */
static int
issue_write(struct store *st, void *arg)
{
	struct issue_write *w = arg;
	char obj[64];
	int rc;

	if ((rc = store_cert_put(st, w->rec)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "cert:%s", w->rec->serial);
	if ((rc = audit_append(st, w->actor, "cert.issue", obj, w->reason)) < 0)
		return rc;
	return w->rq->also ? w->rq->also(st, w->rec, w->rq->also_arg) : 0;
}

int
ca_issue(struct cert_rec *out, struct ca *ca, struct store *st, const struct pki_conf *pc,
         const struct issue_req *rq)
{
	struct csr *req = NULL;
	X509 *x = NULL;
	unsigned char *der = NULL;
	enum cert_type type;
	unsigned usages;
	struct cert_rec r;
	struct issue_write w;
	int64_t now = time_now(), nb = 0, na = 0;
	int rc, len, attempt;
	BIO *mem = NULL;
	char *subj;
	long sl;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if ((rc = issue_req_check(rq, &type, &usages)) < 0)
		return rc;
	if ((rc = csr_parse(&req, rq->csr, rq->csr_len)) < 0)
		return rc;

	for (attempt = 0; attempt < SERIAL_RETRIES; attempt++) {
		X509_free(x);
		x = NULL;
		OPENSSL_free(der);
		der = NULL;
		if ((rc = ee_cert_build(&x, r.serial, ca, pc, rq, type, usages, req,
		                        now)) < 0)
			goto out;
		if ((len = i2d_X509(x, &der)) <= 0) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO, "certificate: DER failed");
			goto out;
		}
		str_copy(r.issuer_id, sizeof(r.issuer_id), ca->rec.id);
		str_copy(r.type, sizeof(r.type), profile_type_name(type));
		profile_usages_format(r.usages, sizeof(r.usages), usages);
		if ((mem = BIO_new(BIO_s_mem())) == NULL ||
		    X509_NAME_print_ex(mem, X509_get_subject_name(x), 0,
		                       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO, "subject: cannot print");
			goto out;
		}
		sl = BIO_get_mem_data(mem, &subj);
		if ((size_t)sl >= sizeof(r.subject))
			sl = (long)sizeof(r.subject) - 1;
		memcpy(r.subject, subj, (size_t)sl);
		r.subject[sl] = '\0';
		BIO_free(mem);
		mem = NULL;
		str_copy(r.email, sizeof(r.email), rq->email ? rq->email : "");
		sans_format(r.sans, sizeof(r.sans), rq);
		str_copy(r.nik, sizeof(r.nik), rq->nik ? rq->nik : "");
		if ((rc = asn1_time_to_epoch(&nb, X509_get0_notBefore(x))) < 0 ||
		    (rc = asn1_time_to_epoch(&na, X509_get0_notAfter(x))) < 0)
			goto out;
		r.not_before = nb;
		r.not_after = na;
		r.reason = -1;
		r.created_at = now;
		r.der = der;
		r.der_len = (size_t)len;

		w.rec = &r;
		w.rq = rq;
		w.actor = rq->actor ? rq->actor : "system";
		w.reason = rq->reason ? rq->reason : "";
		rc = store_atomic(st, issue_write, &w);
		/* A 128-bit collision: astronomically rare, but the rule is
		 * "unique, never reused", so draw again. */
		if (rc == SERTEL_EEXISTS)
			continue;
		if (rc < 0)
			goto out;
		break;
	}
	if (attempt == SERIAL_RETRIES) {
		rc = sertel_err(SERTEL_ECRYPTO, "serial: %d collisions in a row",
		                SERIAL_RETRIES);
		goto out;
	}
	/* Hand the DER over to the caller. */
	*out = r;
	if ((out->der = malloc((size_t)len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(out->der, der, (size_t)len);
	rc = 0;
out:
	BIO_free(mem);
	OPENSSL_free(der);
	X509_free(x);
	csr_free(req);
	return rc;
}

/* ---- revocation -------------------------------------------------------- */
/* RFC 5280 5.3.1, every code.  Only the final reasons that apply to an
 * end-entity certificate are accepted for a revocation (ee): cACompromise
 * and aACompromise concern CA certificates; certificateHold and
 * removeFromCRL are not final, and a revoked certificate can never be used
 * again (Cirebon 15). */
static const struct {
	int code;
	const char *name;
	const char *alias;
	int ee;
} reasons[] = {
    {REVOKE_UNSPECIFIED, "unspecified", "unspecified", 1},
    {REVOKE_KEY_COMPROMISE, "keyCompromise", "key-compromise", 1},
    {REVOKE_CA_COMPROMISE, "cACompromise", "ca-compromise", 0},
    {REVOKE_AFFILIATION_CHANGED, "affiliationChanged", "affiliation-changed", 1},
    {REVOKE_SUPERSEDED, "superseded", "superseded", 1},
    {REVOKE_CESSATION_OF_OPERATION, "cessationOfOperation", "cessation-of-operation", 1},
    {REVOKE_CERTIFICATE_HOLD, "certificateHold", "certificate-hold", 0},
    {REVOKE_REMOVE_FROM_CRL, "removeFromCRL", "remove-from-crl", 0},
    {REVOKE_PRIVILEGE_WITHDRAWN, "privilegeWithdrawn", "privilege-withdrawn", 1},
    {REVOKE_AA_COMPROMISE, "aACompromise", "aa-compromise", 0},
};
#define NREASONS (sizeof(reasons) / sizeof(reasons[0]))

int
revoke_reason_parse(int *out, const char *s)
{
	size_t i;
	long long n = -1;

	if (parse_ll(&n, s, 0, 10) < 0)
		n = -1;
	for (i = 0; i < NREASONS; i++) {
		if (reasons[i].ee &&
		    (strcasecmp(s, reasons[i].name) == 0 ||
		     strcasecmp(s, reasons[i].alias) == 0 || reasons[i].code == n)) {
			*out = reasons[i].code;
			return 0;
		}
	}
	return sertel_err(SERTEL_EINVAL,
	                  "reason '%s': expected unspecified, keyCompromise, "
	                  "affiliationChanged, superseded, cessationOfOperation or "
	                  "privilegeWithdrawn (RFC 5280 5.3.1)",
	                  s);
}

const char *
revoke_reason_name(int reason)
{
	size_t i;

	for (i = 0; i < NREASONS; i++)
		if (reasons[i].code == reason)
			return reasons[i].name;
	return "unknown";
}

struct revoke_write {
	struct ca *ca;
	const struct pki_conf *pc;
	const char *serial;
	int reason;
	const char *actor;
	const char *why;
	int (*also)(struct store *st, const struct cert_rec *rec, void *arg);
	void *also_arg;
};

static int
revoke_write(struct store *st, void *arg)
{
	struct revoke_write *w = arg;
	struct cert_rec rec;
	char obj[64], detail[600];
	int rc;

	memset(&rec, 0, sizeof(rec));
	if ((rc = store_cert_get(st, w->serial, &rec)) < 0)
		goto out;
	if (strcmp(rec.issuer_id, w->ca->rec.id) != 0) {
		rc = sertel_err(SERTEL_EINVAL,
		                "certificate %s: issued by %s, not by the active "
		                "issuing CA %s",
		                w->serial, rec.issuer_id, w->ca->rec.id);
		goto out;
	}
	if ((rc = store_cert_revoke(st, w->serial, time_now(), w->reason)) < 0)
		goto out;
	/* No pre-signed "good" may outlive the revocation, on any node. */
	if ((rc = store_ocsp_drop(st, w->ca->rec.id, w->serial)) < 0)
		goto out;
	snprintf(obj, sizeof(obj), "cert:%s", w->serial);
	snprintf(detail, sizeof(detail), "%s%s%.500s", revoke_reason_name(w->reason),
	         w->why && *w->why ? ": " : "", w->why ? w->why : "");
	if ((rc = audit_append(st, w->actor, "cert.revoke", obj, detail)) < 0)
		goto out;
	cert_rec_free(&rec);
	if ((rc = store_cert_get(st, w->serial, &rec)) < 0)
		goto out;
	if (revoke_hook != NULL && (rc = revoke_hook(st, &rec, revoke_hook_arg)) < 0)
		goto out;
	if (w->also != NULL && (rc = w->also(st, &rec, w->also_arg)) < 0)
		goto out;
	rc = crl_publish(NULL, NULL, w->ca, st, w->pc, w->actor);
out:
	cert_rec_free(&rec);
	return rc;
}

int
ca_revoke(struct ca *ca, struct store *st, const struct pki_conf *pc, const char *serial,
          int reason, const char *actor, const char *why)
{
	return ca_revoke_ex(ca, st, pc, serial, reason, actor, why, NULL, NULL);
}

int
ca_revoke_ex(struct ca *ca, struct store *st, const struct pki_conf *pc,
             const char *serial, int reason, const char *actor, const char *why,
             int (*also)(struct store *st, const struct cert_rec *rec, void *arg),
             void *also_arg)
{
	struct revoke_write w = {ca, pc, serial, reason, actor, why, also, also_arg};

	if (strlen(serial) > SERIAL_HEX_MAX || !hex_lower_run(serial, strlen(serial)))
		return sertel_err(SERTEL_EINVAL, "serial '%s': expected lowercase hex",
		                  serial);
	return store_atomic(st, revoke_write, &w);
}
