/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Profiles: type and usage parsing and the keyUsage / extendedKeyUsage
 * each usage sets, for EC and RSA subject keys.
 */
#include "testutil.h"

#include <openssl/x509v3.h>

#include "pki/pki.h"

int profile_add_usage_exts(X509 *x, unsigned usages, EVP_PKEY *subject_key,
                           int has_email);

static EVP_PKEY *ec_key, *rsa_key;

static int
setup(void **state)
{
	if (key_generate(&ec_key, "ec-p256") < 0 ||
	    key_generate(&rsa_key, "rsa-2048") < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(rsa_key);
	return 0;
}

static void
types_parse_and_refuse_unknown(void **state)
{
	enum cert_type t;

	assert_int_equal(profile_type_parse(&t, "individu"), 0);
	assert_int_equal(t, TYPE_INDIVIDU);
	assert_int_equal(profile_type_parse(&t, "jabatan"), 0);
	assert_int_equal(t, TYPE_JABATAN);
	assert_int_equal(profile_type_parse(&t, "organisasi"), 0);
	assert_int_equal(t, TYPE_JABATAN);
	assert_int_equal(profile_type_parse(&t, "sistem"), 0);
	assert_int_equal(t, TYPE_SISTEM);
	assert_int_equal(profile_type_parse(&t, "server"), SERTEL_EINVAL);
	assert_int_equal(profile_type_parse(&t, ""), SERTEL_EINVAL);
}

static void
usages_parse_strictly(void **state)
{
	unsigned u;
	char s[128];

	assert_int_equal(profile_usages_parse(&u, "signing,ssl-client"), 0);
	assert_int_equal(u, USAGE_SIGNING | USAGE_SSL_CLIENT);
	profile_usages_format(s, sizeof(s), u);
	assert_string_equal(s, "signing,ssl-client");
	assert_int_equal(profile_usages_parse(&u, "signing,signing"), SERTEL_EINVAL);
	assert_int_equal(profile_usages_parse(&u, "signing,"), SERTEL_EINVAL);
	assert_int_equal(profile_usages_parse(&u, "codesigning"), SERTEL_EINVAL);
	assert_int_equal(profile_usages_parse(&u, ""), SERTEL_EINVAL);
	assert_int_equal(profile_check(TYPE_INDIVIDU, USAGE_SSL_SERVER), SERTEL_EINVAL);
	assert_int_equal(profile_check(TYPE_SISTEM, USAGE_SSL_SERVER), 0);
}

/* keyUsage bits and EKU NIDs of a fresh certificate with that profile. */
static int with_email = 1; /* exts_of: an rfc822Name in the certificate */

static void
exts_of(unsigned usages, EVP_PKEY *key, uint32_t *ku, uint32_t *xku, int *has_doc)
{
	X509 *x = X509_new();
	EXTENDED_KEY_USAGE *eku;
	int i;

	X509_NAME *n = X509_NAME_new();

	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (unsigned char *)"t", -1, -1,
	                           0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME_free(n);
	assert_int_equal(profile_add_usage_exts(x, usages, key, with_email), 0);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	*ku = X509_get_key_usage(x);
	*xku = X509_get_extended_key_usage(x);
	*has_doc = 0;
	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++) {
		char oid[64];
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		if (strcmp(oid, "1.3.6.1.5.5.7.3.36") == 0)
			*has_doc = 1;
	}
	EXTENDED_KEY_USAGE_free(eku);
	assert_int_equal(X509_check_ca(x), 0);
	X509_free(x);
}

/* Issue 18: no emailProtection without an rfc822Name. */
static void
signing_without_email_has_no_email_protection(void **state)
{
	uint32_t ku, xku;
	int doc;

	with_email = 0;
	exts_of(USAGE_SIGNING, ec_key, &ku, &xku, &doc);
	with_email = 1;
	assert_int_equal(ku, KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION);
	assert_int_equal(xku & XKU_SMIME, 0);
	assert_true(doc);
}

static void
signing_sets_non_repudiation_and_document_signing(void **state)
{
	uint32_t ku, xku;
	int doc;

	exts_of(USAGE_SIGNING, ec_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION);
	assert_int_equal(xku, XKU_SMIME);
	assert_true(doc);
}

static void
email_depends_on_key_type(void **state)
{
	uint32_t ku, xku;
	int doc;

	exts_of(USAGE_EMAIL, ec_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT);
	assert_int_equal(xku, XKU_SMIME);
	assert_false(doc);
	exts_of(USAGE_EMAIL, rsa_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
}

static void
document_protection_is_encryption_only(void **state)
{
	uint32_t ku, xku;
	int doc;

	exts_of(USAGE_DOCUMENT, rsa_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT);
	/* Issue 18: an EKU (Microsoft Document Encryption) and nothing
	 * OpenSSL knows, so no TLS or S/MIME purpose. */
	assert_int_equal(xku, 0);
	exts_of(USAGE_DOCUMENT, ec_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_KEY_AGREEMENT);
}

static void
tls_usages(void **state)
{
	uint32_t ku, xku;
	int doc;

	exts_of(USAGE_SSL_SERVER | USAGE_SSL_CLIENT, ec_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_DIGITAL_SIGNATURE);
	assert_int_equal(xku, XKU_SSL_SERVER | XKU_SSL_CLIENT);
	exts_of(USAGE_SSL_SERVER, rsa_key, &ku, &xku, &doc);
	assert_int_equal(ku, KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
	assert_int_equal(xku, XKU_SSL_SERVER);
	exts_of(USAGE_SIGNING | USAGE_SSL_CLIENT, ec_key, &ku, &xku, &doc);
	assert_int_equal(xku, XKU_SMIME | XKU_SSL_CLIENT);
	assert_true(doc);
}

static void
names_are_checked(void **state)
{
	assert_int_equal(name_check_dns("srikandi.cirebonkota.go.id"), 0);
	assert_int_equal(name_check_dns("*.cirebonkota.go.id"), 0);
	assert_int_equal(name_check_dns("localhost"), SERTEL_EINVAL);
	assert_int_equal(name_check_dns("-bad.go.id"), SERTEL_EINVAL);
	assert_int_equal(name_check_dns("a..b"), SERTEL_EINVAL);
	assert_int_equal(name_check_dns("a_b.go.id"), SERTEL_EINVAL);
	assert_int_equal(name_check_dns("go.id."), SERTEL_EINVAL);
	assert_int_equal(name_check_email("budi@cirebonkota.go.id"), 0);
	assert_int_equal(name_check_email("budi"), SERTEL_EINVAL);
	assert_int_equal(name_check_email("a@b@c.id"), SERTEL_EINVAL);
	assert_int_equal(name_check_email("a,b@c.id"), SERTEL_EINVAL);
	assert_int_equal(name_check_text("cn", "Budi Santoso, S.Kom.", 64), 0);
	assert_int_equal(name_check_text("cn", "Dr. I Gusti Ayu \xc3\x89", 64), 0);
	assert_int_equal(name_check_text("cn", "bad\xff", 64), SERTEL_EINVAL);
	assert_int_equal(name_check_text("cn", "line\nbreak", 64), SERTEL_EINVAL);
	assert_int_equal(name_check_text("cn", "", 64), SERTEL_EINVAL);
	char longname[80];
	memset(longname, 'a', 65);
	longname[65] = '\0';
	assert_int_equal(name_check_text("cn", longname, 64), SERTEL_EINVAL);
}

static void
key_policy(void **state)
{
	EVP_PKEY *k;

	assert_int_equal(key_check_public(ec_key, "t"), 0);
	assert_int_equal(key_check_public(rsa_key, "t"), 0);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	assert_non_null(k);
	assert_int_equal(key_check_public(k, "t"), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "2048"));
	EVP_PKEY_free(k);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
	assert_non_null(k);
	assert_int_equal(key_check_public(k, "t"), SERTEL_EINVAL);
	EVP_PKEY_free(k);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_int_equal(key_check_public(k, "t"), SERTEL_EINVAL);
	EVP_PKEY_free(k);
	assert_int_equal(key_generate(&k, "dsa-1024"), SERTEL_EINVAL);
}

static void
sealed_keys_need_the_master_secret(void **state)
{
	unsigned char m1[SECRET_LEN] = {1}, m2[SECRET_LEN] = {2};
	EVP_PKEY *back = NULL;
	char *pem = NULL;

	assert_int_equal(key_seal(&pem, ec_key, m1), 0);
	assert_true(strncmp(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) == 0);
	assert_int_equal(key_unseal(&back, pem, m1), 0);
	assert_int_equal(EVP_PKEY_eq(back, ec_key), 1);
	EVP_PKEY_free(back);
	back = NULL;
	assert_int_equal(key_unseal(&back, pem, m2), SERTEL_ECRYPTO);
	assert_null(back);
	free(pem);
	assert_int_equal(key_unseal(&back, "-----BEGIN PRIVATE KEY-----\n", m1),
	                 SERTEL_ECRYPTO);
}

static void
revocation_reasons(void **state)
{
	int r;

	assert_int_equal(revoke_reason_parse(&r, "keyCompromise"), 0);
	assert_int_equal(r, 1);
	assert_int_equal(revoke_reason_parse(&r, "affiliation-changed"), 0);
	assert_int_equal(r, 3);
	assert_int_equal(revoke_reason_parse(&r, "9"), 0);
	assert_int_equal(r, 9);
	/* Not final, or not for end-entity certificates. */
	assert_int_equal(revoke_reason_parse(&r, "certificateHold"), SERTEL_EINVAL);
	assert_int_equal(revoke_reason_parse(&r, "6"), SERTEL_EINVAL);
	assert_int_equal(revoke_reason_parse(&r, "removeFromCRL"), SERTEL_EINVAL);
	assert_int_equal(revoke_reason_parse(&r, "cACompromise"), SERTEL_EINVAL);
	assert_int_equal(revoke_reason_parse(&r, "lost"), SERTEL_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(types_parse_and_refuse_unknown),
	    cmocka_unit_test(usages_parse_strictly),
	    cmocka_unit_test(signing_sets_non_repudiation_and_document_signing),
	    cmocka_unit_test(signing_without_email_has_no_email_protection),
	    cmocka_unit_test(email_depends_on_key_type),
	    cmocka_unit_test(document_protection_is_encryption_only),
	    cmocka_unit_test(tls_usages),
	    cmocka_unit_test(names_are_checked),
	    cmocka_unit_test(key_policy),
	    cmocka_unit_test(sealed_keys_need_the_master_secret),
	    cmocka_unit_test(revocation_reasons),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
