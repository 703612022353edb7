/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the RA's store tests build again and again: a CSR of a fresh key,
 * a registered person.  Include after testutil.h (or fixture.h).
 */
#ifndef SERTEL_TEST_FIXTURE_RA_H
#define SERTEL_TEST_FIXTURE_RA_H

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pki/pki.h"
#include "ra/ra.h"

/* A PEM PKCS#10 request of a fresh P-256 key (caller frees). */
static inline char *
fixture_csr_pem(void)
{
	EVP_PKEY *key = NULL;
	X509_REQ *req = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out;
	long len;

	assert_int_equal(key_generate(&key, "ec-p256"), 0);
	assert_int_equal(X509_REQ_set_pubkey(req, key), 1);
	assert_true(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509_REQ(b, req), 1);
	len = BIO_get_mem_data(b, &data);
	assert_non_null(out = strndup(data, (size_t)len));
	BIO_free(b);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return out;
}

/* A CA hierarchy (Kota Cirebon, ec-p256) in st, its settings in *pc and
 * the issuing CA loaded into *ca; -1 with the reason on stderr. */
static inline int
fixture_ca(struct ca **ca, struct pki_conf *pc, struct store *st,
           const unsigned char *master)
{
	if (pki_conf_load(pc, NULL) < 0)
		return -1;
	snprintf(pc->org, sizeof(pc->org), "Pemerintah Kota Cirebon");
	snprintf(pc->base_url, sizeof(pc->base_url), "http://ca.test");
	if (ca_init_hierarchy(st, pc, "ec-p256", master, "test") < 0 ||
	    ca_load(ca, st, "issuing", master) < 0) {
		fprintf(stderr, "init: %s\n", sertel_errmsg());
		return -1;
	}
	return 0;
}

/* Registers a person with a superior (NULL: none; who registers: the
 * admin or a kepala-dinas); the test fails when the RA refuses. */
static inline void
fixture_person_under(struct store *st, const struct ra_actor *who, const char *nik,
                     const char *name, const char *mail, const char *agency,
                     unsigned roles, const char *superior)
{
	struct ra_person p;

	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), nik);
	str_copy(p.name, sizeof(p.name), name);
	str_copy(p.email, sizeof(p.email), mail);
	str_copy(p.agency_id, sizeof(p.agency_id), agency);
	str_copy(p.superior_nik, sizeof(p.superior_nik), superior ? superior : "");
	p.roles = roles;
	if (ra_person_add(st, who, &p) < 0)
		fail_msg("person %s: %s", nik, sertel_errmsg());
}

static inline void
fixture_person(struct store *st, const struct ra_actor *who, const char *nik,
               const char *name, const char *mail, const char *agency, unsigned roles)
{
	fixture_person_under(st, who, nik, name, mail, agency, roles, NULL);
}

#endif
