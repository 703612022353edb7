/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The certificates a PDF signature carries in its CMS SignedData, for the
 * certificateDetails of BSrE's v2 verification answer when the signer's
 * certificate was not issued here (a file signed by BSrE or another CA):
 * BSrE lists the signer's whole chain, its CA included.  Display only:
 * the verdict and the trust decision stay the verifier's (verify_pdf).
 *
 * ISO 32000-1 12.8.1: /ByteRange [0 a b c] leaves out exactly the
 * /Contents hex string, data[a] = '<' .. data[b - 1] = '>'.  A signature
 * dictionary cannot sit in an object stream (its offsets are file
 * offsets), so the file's own bytes are searched for "/ByteRange".
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "esign/esign.h"
#include "sign/sign.h"

#define SIGS_MAX  64 /* signature dictionaries looked at in one file */
#define CHAIN_MAX 10 /* certificates followed from the signer upwards */

/* The four numbers after one "/ByteRange" at p: 0, or -1 when malformed or
 * out of the file. */
static int
byterange_at(size_t br[4], const unsigned char *data, size_t len, size_t p)
{
	char num[24];
	size_t i, k, n;
	long long v;
	char *end;

	p += strlen("/ByteRange");
	while (p < len && strchr(" \t\r\n", data[p]) != NULL)
		p++;
	if (p >= len || data[p] != '[')
		return -1;
	p++;
	for (i = 0; i < 4; i++) {
		while (p < len && strchr(" \t\r\n", data[p]) != NULL)
			p++;
		for (n = 0; p + n < len && n + 1 < sizeof(num) && data[p + n] >= '0' &&
		            data[p + n] <= '9';
		     n++)
			num[n] = (char)data[p + n];
		if (n == 0 || n + 1 >= sizeof(num))
			return -1;
		num[n] = '\0';
		v = strtoll(num, &end, 10);
		if (*end != '\0' || v < 0 || (unsigned long long)v > len)
			return -1;
		br[i] = (size_t)v;
		p += n;
	}
	k = br[1];
	if (br[0] != 0 || k + 2 > br[2] || br[2] > len || data[k] != '<' ||
	    data[br[2] - 1] != '>')
		return -1;
	return 0;
}

/* The CMS in the hex string data[from..to); NULL when it is not one. */
static CMS_ContentInfo *
cms_at(const unsigned char *data, size_t from, size_t to)
{
	unsigned char *der;
	const unsigned char *p;
	size_t i, n = 0;
	CMS_ContentInfo *cms;
	int hi, lo;

	if ((der = malloc((to - from) / 2 + 1)) == NULL)
		return NULL;
	for (i = from; i + 1 < to; i += 2) {
		if ((hi = hex_digit(data[i])) < 0 || (lo = hex_digit(data[i + 1])) < 0)
			break;
		der[n++] = (unsigned char)(hi << 4 | lo);
	}
	p = der;
	cms = n > 0 ? d2i_CMS_ContentInfo(NULL, &p, (long)n) : NULL;
	free(der);
	return cms;
}

static int
serial_is(X509 *x, const char *serial_hex)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
	int same = hex != NULL && strcasecmp(hex, serial_hex) == 0;

	OPENSSL_free(hex);
	BN_free(bn);
	return same;
}

/* certs ordered from the one with serial_hex up its issuers; NULL when
 * that certificate is not among them. */
static STACK_OF(X509) * chain_from(STACK_OF(X509) * certs, const char *serial_hex)
{
	STACK_OF(X509) *out = NULL;
	X509 *cur = NULL, *x;
	int i, n;

	for (i = 0; i < sk_X509_num(certs) && cur == NULL; i++)
		if (serial_is(sk_X509_value(certs, i), serial_hex))
			cur = sk_X509_value(certs, i);
	if (cur == NULL || (out = sk_X509_new_null()) == NULL)
		return NULL;
	for (n = 0; cur != NULL && n < CHAIN_MAX; n++) {
		if (!X509_up_ref(cur))
			break;
		if (!sk_X509_push(out, cur)) {
			X509_free(cur);
			break;
		}
		/* A self-issued certificate ends the chain. */
		if (X509_check_issued(cur, cur) == X509_V_OK)
			break;
		x = cur;
		cur = NULL;
		for (i = 0; i < sk_X509_num(certs) && cur == NULL; i++)
			if (sk_X509_value(certs, i) != x &&
			    X509_check_issued(sk_X509_value(certs, i), x) == X509_V_OK)
				cur = sk_X509_value(certs, i);
	}
	return out;
}

int
esign_sig_certs(STACK_OF(X509) * *out, const unsigned char *data, size_t len,
                const char *serial_hex)
{
	const unsigned char *hit;
	size_t p = 0, br[4];
	int nsig;

	*out = NULL;
	if (serial_hex == NULL || *serial_hex == '\0')
		return sertel_err(SERTEL_ENOTFOUND, "signature certificates: no serial");
	for (nsig = 0; nsig < SIGS_MAX && p < len; nsig++) {
		CMS_ContentInfo *cms;
		STACK_OF(X509) * certs;

		if ((hit = memmem(data + p, len - p, "/ByteRange", 10)) == NULL)
			break;
		p = (size_t)(hit - data) + 10;
		if (byterange_at(br, data, len, (size_t)(hit - data)) < 0 ||
		    (cms = cms_at(data, br[1] + 1, br[2] - 1)) == NULL)
			continue;
		certs = CMS_get1_certs(cms);
		*out = certs != NULL ? chain_from(certs, serial_hex) : NULL;
		sk_X509_pop_free(certs, X509_free);
		CMS_ContentInfo_free(cms);
		if (*out != NULL) {
			ERR_clear_error();
			return 0;
		}
	}
	/* A signature whose CMS cannot be read leaves OpenSSL errors. */
	ERR_clear_error();
	return sertel_err(SERTEL_ENOTFOUND, "signature certificates: serial %s not found",
	                  serial_hex);
}

/* ---- summaries for certificateDetails ------------------------------------ */
static int64_t
asn1_unix(const ASN1_TIME *a)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

static void
summary_of(struct esign_cert_summary *o, X509 *x)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} kus[] = {
	    {KU_DIGITAL_SIGNATURE, "digitalSignature"},
	    {KU_NON_REPUDIATION, "nonRepudiation"},
	    {KU_KEY_ENCIPHERMENT, "keyEncipherment"},
	    {KU_KEY_AGREEMENT, "keyAgreement"},
	    {KU_KEY_CERT_SIGN, "keyCertSign"},
	    {KU_CRL_SIGN, "crlSign"},
	};
	uint32_t k = X509_get_key_usage(x);
	char *dec = NULL;
	size_t i;
	BIGNUM *bn;
	BIO *b;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < sizeof(kus) / sizeof(kus[0]) && o->nku < ESIGN_CERT_KU_MAX; i++)
		if (k & kus[i].bit)
			o->key_usages[o->nku++] = kus[i].name;
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, o->cn,
	                          sizeof(o->cn));
	if ((b = BIO_new(BIO_s_mem())) != NULL) {
		int n;
		X509_NAME_print_ex(b, X509_get_issuer_name(x), 0, XN_FLAG_RFC2253);
		n = BIO_read(b, o->issuer, sizeof(o->issuer) - 1);
		o->issuer[n > 0 ? n : 0] = '\0';
		BIO_free(b);
	}
	OBJ_obj2txt(o->sigalg, sizeof(o->sigalg), X509_get0_tbs_sigalg(x)->algorithm, 0);
	o->not_before = asn1_unix(X509_get0_notBefore(x));
	o->not_after = asn1_unix(X509_get0_notAfter(x));
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) != NULL)
		dec = BN_bn2dec(bn);
	BN_free(bn);
	str_copy(o->serial_dec, sizeof(o->serial_dec), dec ? dec : "");
	OPENSSL_free(dec);
}

static int
summaries_add(struct esign_cert_summary **out, size_t *n, X509 *x)
{
	struct esign_cert_summary *p;

	if ((p = realloc(*out, (*n + 1) * sizeof(*p))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	*out = p;
	summary_of(&p[(*n)++], x);
	return 0;
}

int
esign_cert_chain(struct esign_cert_summary **out, size_t *n, struct store *st,
                 const char *serial_hex, const unsigned char *data, size_t len)
{
	char s[SERIAL_HEX_MAX + 1];
	STACK_OF(X509) *chain = NULL;
	struct cert_rec rec;
	const unsigned char *p;
	size_t i, sl;
	X509 *x;
	int rc = 0;

	*out = NULL;
	*n = 0;
	memset(&rec, 0, sizeof(rec));
	if (serial_hex == NULL || (sl = strlen(serial_hex)) == 0 || sl > SERIAL_HEX_MAX)
		return 0;
	for (i = 0; i <= sl; i++)
		s[i] = (serial_hex[i] >= 'A' && serial_hex[i] <= 'F')
		           ? (char)(serial_hex[i] + 32)
		           : serial_hex[i];
	if (store_cert_get(st, s, &rec) < 0) {
		/* Not issued here: what the signature itself carries. */
		if (data != NULL && esign_sig_certs(&chain, data, len, serial_hex) == 0)
			for (i = 0; rc == 0 && i < (size_t)sk_X509_num(chain); i++)
				rc = summaries_add(out, n, sk_X509_value(chain, (int)i));
		goto out;
	}
	p = rec.der;
	if ((x = d2i_X509(NULL, &p, (long)rec.der_len)) != NULL) {
		rc = summaries_add(out, n, x);
		X509_free(x);
	}
	if (rc == 0 && sign_chain_from_store(&chain, st, rec.issuer_id) == 0)
		for (i = 0; rc == 0 && i < (size_t)sk_X509_num(chain); i++)
			rc = summaries_add(out, n, sk_X509_value(chain, (int)i));
out:
	sk_X509_pop_free(chain, X509_free);
	cert_rec_free(&rec);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	sertel_err_clear();
	return 0;
}
