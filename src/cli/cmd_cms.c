/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel sign cms FILE --out SIG.p7s (--key F [--pass-file F] --cert F
 *        [--chain F] | --dir DIR --nik NIK --passphrase-file F)
 *        [--tsa URL] [--json]
 *     CAdES-B (B-T with --tsa) detached signature over FILE.
 *
 * Reached as `sertel sign cms ...` through cmd_sign (argv[0] = "cms").
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "cli/cli.h"
#include "sign/sign.h"

#define CMS_USAGE                                                                        \
	"sign cms FILE --out SIG.p7s (--key F [--pass-file F] --cert F [--chain F] | "   \
	"--dir DIR --nik NIK --passphrase-file F) [--tsa URL] [--json]"

/* Digest of a whole file, read in pieces (no size limit needed). */
static int
digest_file(unsigned char *out, unsigned int *outlen, const EVP_MD *md, const char *path)
{
	unsigned char chunk[65536];
	EVP_MD_CTX *ctx = NULL;
	FILE *f = NULL;
	size_t n;
	int rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "digest init failed");
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (EVP_DigestUpdate(ctx, chunk, n) != 1) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO, "digest failed");
			goto out;
		}
	if (ferror(f)) {
		rc = sertel_err(SERTEL_EIO, "%s: read error", path);
		goto out;
	}
	if (EVP_DigestFinal_ex(ctx, out, outlen) != 1)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "digest failed");
out:
	EVP_MD_CTX_free(ctx);
	fclose(f);
	return rc;
}

/* The signer from files (--key/--cert) or from the instance (--nik). */
int
cli_signer_load(struct sign_signer *out, const struct cli_signer_args *a)
{
	unsigned char *pass = NULL;
	size_t plen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (a->nik != NULL) {
		if (a->key != NULL || a->cert != NULL)
			return sertel_err(SERTEL_EINVAL,
			                  "--nik and --key/--cert are alternatives");
		if (a->passphrase_file == NULL)
			return sertel_err(SERTEL_EINVAL, "--nik needs --passphrase-file");
		return sign_signer_load_instance(out, a->dir, a->nik, a->passphrase_file);
	}
	if (a->key == NULL || a->cert == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "a signer is needed: --key and --cert, or --nik with "
		                  "--passphrase-file");
	if (a->pass_file != NULL && (rc = sign_read_pass(&pass, &plen, a->pass_file)) < 0)
		return rc;
	rc = sign_signer_load_files(out, a->key, (const char *)pass, a->cert, a->chain);
	if (pass != NULL) {
		secure_wipe(pass, plen);
		free(pass);
	}
	return rc;
}

int
cli_signer_opt(struct cli_signer_args *a, int c, const char *arg)
{
	switch (c) {
	case 'k': a->key = arg; break;
	case 'p': a->pass_file = arg; break;
	case 'c': a->cert = arg; break;
	case 'C': a->chain = arg; break;
	case 'n': a->nik = arg; break;
	case 'P': a->passphrase_file = arg; break;
	default: return 0;
	}
	return 1;
}

int
cmd_sign_cms(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
	    {"out", required_argument, NULL, 'o'}, CLI_SIGNER_OPTIONS,
	    {"tsa", required_argument, NULL, 't'}, {NULL, 0, NULL, 0},
	};
	struct cli_signer_args a;
	struct sign_signer signer = {NULL, NULL, NULL};
	struct sign_opts so;
	struct buf sig;
	const char *out = NULL, *file;
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char subject[512], hex[2 * EVP_MAX_MD_SIZE + 1];
	int c, json = 0, rc, ex = 0;

	memset(&a, 0, sizeof(a));
	memset(&so, 0, sizeof(so));
	a.dir = cli_default_dir();
	buf_init(&sig, 1 << 20);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a.dir = optarg; break;
		case 'j': json = 1; break;
		case 'o': out = optarg; break;
		case 't': so.tsa_url = optarg; break;
		default:
			if (!cli_signer_opt(&a, c, optarg))
				return cli_badopt(argv, CMS_USAGE);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("%s", optind < argc ? "sign cms: exactly one FILE"
		                                     : CMS_USAGE);
	file = argv[optind];
	if (out == NULL)
		return cli_usage("sign cms: --out SIG.p7s is required");
	so.level = so.tsa_url ? SIGN_LEVEL_T : SIGN_LEVEL_B;
	if ((rc = cli_signer_load(&signer, &a)) < 0 ||
	    (rc = digest_file(dig, &dlen, key_digest(signer.key), file)) < 0 ||
	    (rc = sign_cades_digest(&sig, &signer, dig, dlen, &so)) < 0 ||
	    (rc = file_write(out, sig.data, sig.len, 0644)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	sign_name_rfc2253(subject, sizeof(subject), X509_get_subject_name(signer.cert));
	hex_encode(hex, dig, dlen);
	if (json)
		cli_json_print(
		    json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "file", file, "out",
		              out, "level", so.tsa_url ? "B-T" : "B", "bytes",
		              (json_int_t)sig.len, "signer", subject, "digest_alg",
		              EVP_MD_get0_name(key_digest(signer.key)), "digest", hex));
	else
		printf("Tanda tangan CAdES-%s dibuat / CAdES-%s signature written: %s\n",
		       so.tsa_url ? "B-T" : "B", so.tsa_url ? "B-T" : "B", out);
out:
	sign_signer_free(&signer);
	buf_free(&sig);
	return ex;
}

/* ---- sertel smime / sertel protect ---------------------------------------- */

#define SMIME_USAGE                                                                      \
	"smime sign IN --out OUT (--key F [--pass-file F] --cert F [--chain F] | --dir " \
	"DIR "                                                                           \
	"--nik NIK --passphrase-file F) | smime verify IN (--trust ROOTS [--crl CRLS] "  \
	"| --dir DIR) "                                                                  \
	"[--at TIME] | smime encrypt IN --out OUT --to CERT... [--gcm|--cbc] [--oaep] "  \
	"| smime "                                                                       \
	"decrypt IN --out OUT --key F [--pass-file F] [--cert F]  [--json]"
#define PROTECT_USAGE                                                                    \
	"protect encrypt IN --out OUT --to CERT... [--gcm|--cbc] [--oaep] | protect "    \
	"decrypt IN "                                                                    \
	"--out OUT --key F [--pass-file F] [--cert F]  [--json]"

#define MAX_RECIPS 64

struct crypt_args {
	struct cli_signer_args s;
	const char *in, *out, *trust, *crl, *at;
	const char *to[MAX_RECIPS];
	int nto;
	int cbc, gcm, oaep, json;
};

static int
parse_args(struct crypt_args *a, int argc, char **argv, const char *usage)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"out", required_argument, NULL, 'o'},
	    CLI_SIGNER_OPTIONS,
	    {"to", required_argument, NULL, 'T'},
	    {"trust", required_argument, NULL, 'r'},
	    {"crl", required_argument, NULL, 'L'},
	    {"at", required_argument, NULL, 'a'},
	    {"gcm", no_argument, NULL, 'g'},
	    {"cbc", no_argument, NULL, 'b'},
	    {"oaep", no_argument, NULL, 'E'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->s.dir = cli_default_dir();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->s.dir = optarg; break;
		case 'j': a->json = 1; break;
		case 'o': a->out = optarg; break;
		case 'r': a->trust = optarg; break;
		case 'L': a->crl = optarg; break;
		case 'a': a->at = optarg; break;
		case 'g': a->gcm = 1; break;
		case 'b': a->cbc = 1; break;
		case 'E': a->oaep = 1; break;
		case 'T':
			if (a->nto == MAX_RECIPS)
				return cli_usage("at most %d --to", MAX_RECIPS);
			a->to[a->nto++] = optarg;
			break;
		default:
			if (!cli_signer_opt(&a->s, c, optarg))
				return cli_badopt(argv, usage);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("%s: exactly one input file (%s)", argv[0], usage);
	a->in = argv[optind];
	if (a->cbc && a->gcm)
		return cli_usage("--gcm and --cbc are alternatives");
	return 0;
}

static int
load_recips(STACK_OF(X509) * *out, const struct crypt_args *a)
{
	STACK_OF(X509) *all = NULL, *one = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	int i, rc = 0;

	*out = NULL;
	if (a->nto == 0)
		return sertel_err(SERTEL_EINVAL, "at least one --to CERT is needed");
	if ((all = sk_X509_new_null()) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	for (i = 0; i < a->nto && rc == 0; i++) {
		if ((rc = file_read(&data, &len, a->to[i], SERTEL_MAX_CERT * 16)) < 0 ||
		    (rc = sign_load_certs(&one, data, len, a->to[i])) < 0)
			break;
		while (sk_X509_num(one) > 0)
			if (!sk_X509_push(all, sk_X509_shift(one)))
				rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		sk_X509_pop_free(one, X509_free);
		one = NULL;
		free(data);
		data = NULL;
	}
	free(data);
	if (rc < 0) {
		sk_X509_pop_free(all, X509_free);
		return rc;
	}
	*out = all;
	return 0;
}

/* The decryption key (and optional certificate) from --key/--pass-file/--cert. */
static int
load_decryptor(EVP_PKEY **key, X509 **cert, const struct crypt_args *a)
{
	unsigned char *pass = NULL;
	size_t plen = 0;
	int rc;

	*key = NULL;
	*cert = NULL;
	if (a->s.key == NULL)
		return sertel_err(SERTEL_EINVAL, "--key is required to decrypt");
	if (a->s.pass_file != NULL &&
	    (rc = sign_read_pass(&pass, &plen, a->s.pass_file)) < 0)
		return rc;
	rc = sign_load_key_file(key, a->s.key, (const char *)pass);
	if (rc == 0 && a->s.cert != NULL)
		rc = sign_load_cert_file(cert, a->s.cert);
	if (pass != NULL) {
		secure_wipe(pass, plen);
		free(pass);
	}
	return rc;
}

static int
write_result(const struct crypt_args *a, const struct buf *b, const char *what)
{
	int rc;

	if (a->out == NULL)
		return sertel_err(SERTEL_EINVAL, "--out FILE is required");
	if ((rc = file_write(a->out, b->data, b->len, 0600)) < 0)
		return rc;
	if (a->json)
		cli_json_print(json_pack("{s:s, s:s, s:s, s:I}", "op", what, "in", a->in,
		                         "out", a->out, "bytes", (json_int_t)b->len));
	else
		printf("%s: %s -> %s (%zu bytes)\n", what, a->in, a->out, b->len);
	return 0;
}

/* Appends the PEM of DER (label) to b. */
static int
append_pem(struct buf *b, const unsigned char *der, size_t len, const char *label)
{
	char *pem = NULL;
	int rc;

	if ((rc = pem_from_der(&pem, der, len, label)) < 0)
		return rc;
	rc = buf_append(b, pem, strlen(pem));
	free(pem);
	return rc;
}

/* Trust anchors and CRLs: --trust FILE [--crl FILE], else the instance's
 * root certificate and the newest CRLs of its root and issuing CAs (then
 * revocation status is required). */
static int
load_trust(struct buf *trust, struct buf *crls, int *require, const struct crypt_args *a)
{
	static const char *roles[] = {"root", "issuing"};
	struct instance *in = NULL;
	struct issuer_rec r;
	unsigned char *der = NULL;
	size_t len = 0, i;
	int64_t next;
	int rc = 0;

	*require = 0;
	if (a->trust != NULL) {
		if ((rc = file_read(&der, &len, a->trust, 4 * 1024 * 1024)) == 0)
			rc = buf_append(trust, der, len);
		free(der);
		der = NULL;
		if (rc == 0 && a->crl != NULL) {
			if ((rc = file_read(&der, &len, a->crl, 32 * 1024 * 1024)) == 0)
				rc = buf_append(crls, der, len);
			free(der);
			*require = 1;
		}
		return rc;
	}
	if ((rc = instance_open(&in, a->s.dir)) < 0)
		return sertel_err(rc, "no --trust given and no instance at %s: %s",
		                  a->s.dir, sertel_errmsg());
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]) && rc == 0; i++) {
		if ((rc = store_issuer_by_role(in->st, roles[i], &r)) < 0)
			break;
		if (i == 0)
			rc = buf_append(trust, r.cert_der, r.cert_len);
		if (rc == 0 &&
		    (rc = store_crl_latest(in->st, r.id, &der, &len, &next)) == 0) {
			rc = append_pem(crls, der, len, "X509 CRL");
			free(der);
			der = NULL;
		}
		issuer_rec_free(&r);
	}
	instance_close(in);
	*require = 1;
	return rc;
}

static int
smime_verify_cmd(const struct crypt_args *a, const unsigned char *msg, size_t len)
{
	struct smime_result r;
	struct smime_verify_opts vo;
	struct buf trust, crls;
	char when[32] = "";
	int rc;

	memset(&vo, 0, sizeof(vo));
	if (a->at != NULL && time_parse(&vo.at, a->at) < 0)
		return cli_usage("--at '%s': expected RFC 3339 time", a->at);
	buf_init(&trust, 8 * 1024 * 1024);
	buf_init(&crls, 64 * 1024 * 1024);
	if ((rc = load_trust(&trust, &crls, &vo.require_revocation, a)) < 0) {
		buf_free(&trust);
		buf_free(&crls);
		return cli_fail(rc);
	}
	vo.trust = trust.data;
	vo.trust_len = trust.len;
	vo.crls = crls.len ? crls.data : NULL;
	vo.crls_len = crls.len;
	rc = smime_verify(&r, msg, len, &vo);
	buf_free(&trust);
	buf_free(&crls);
	if (rc < 0 && rc != SERTEL_EINVALID)
		return cli_fail(rc);
	if (r.signing_time)
		time_fmt(when, r.signing_time);
	if (a->json)
		cli_json_print(json_pack(
		    "{s:s, s:b, s:b, s:b, s:b, s:b, s:s, s:s, s:s, s:s, s:s}", "verdict",
		    r.valid ? "valid" : "invalid", "valid", r.valid, "signature_ok",
		    r.signature_ok, "chain_ok", r.chain_ok, "from_ok", r.from_ok,
		    "revocation_checked", r.revocation_checked, "subject", r.subject,
		    "email", r.email, "from", r.from, "signing_time", when, "message",
		    r.message));
	else
		printf("%s\n%s%s%s%s\n", r.message,
		       r.subject[0] ? "penanda tangan / signer: " : "", r.subject,
		       when[0] ? "\nwaktu / signing time: " : "", when);
	return r.valid ? 0 : EXIT_INVALID;
}

static int
crypt_cmd(int argc, char **argv, int smime)
{
	const char *usage = smime ? SMIME_USAGE : PROTECT_USAGE, *op;
	struct crypt_args a;
	struct sign_signer signer = {NULL, NULL, NULL};
	STACK_OF(X509) *recips = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	struct buf res;
	enum protect_cipher cipher;
	unsigned flags;
	int rc, ex = 0;

	buf_init(&res, 0);
	if (argc < 2)
		return cli_usage("%s", usage);
	op = argv[1];
	if (strcmp(op, "--help") == 0 || strcmp(op, "-h") == 0 ||
	    strcmp(op, "help") == 0) {
		printf("usage: sertel %s\n", usage);
		return 0;
	}
	argc--;
	argv++;
	if ((rc = parse_args(&a, argc, argv, usage)) != 0)
		return rc;
	cipher = a.cbc ? PROTECT_AES256_CBC : PROTECT_AES256_GCM;
	flags = a.oaep ? PROTECT_RSA_OAEP : 0;
	if ((rc = file_read(&data, &len, a.in, smime ? SMIME_MAX : PROTECT_MAX)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (smime && strcmp(op, "verify") == 0) {
		ex = smime_verify_cmd(&a, data, len);
		goto out;
	}
	if (a.out == NULL) {
		ex = cli_usage("%s %s: --out FILE is required",
		               smime ? "smime" : "protect", op);
		goto out;
	}
	if (smime && strcmp(op, "sign") == 0) {
		if ((rc = cli_signer_load(&signer, &a.s)) < 0 ||
		    (rc = smime_sign(&res, &signer, data, len)) < 0)
			goto fail;
	} else if (strcmp(op, "encrypt") == 0) {
		if ((rc = load_recips(&recips, &a)) < 0)
			goto fail;
		rc = smime ? smime_encrypt(&res, recips, data, len, cipher, flags)
		           : protect_encrypt(&res, recips, data, len, cipher, flags);
		if (rc < 0)
			goto fail;
	} else if (strcmp(op, "decrypt") == 0) {
		if ((rc = load_decryptor(&key, &cert, &a)) < 0)
			goto fail;
		rc = smime ? smime_decrypt(&res, key, cert, data, len)
		           : protect_decrypt(&res, key, cert, data, len);
		if (rc < 0)
			goto fail;
	} else {
		ex = cli_usage("unknown subcommand '%s' (%s)", op, usage);
		goto out;
	}
	if ((rc = write_result(&a, &res, op)) < 0)
		goto fail;
	goto out;
fail:
	ex = cli_fail(rc);
out:
	if (data != NULL) {
		secure_wipe(data, len);
		free(data);
	}
	buf_free(&res);
	sign_signer_free(&signer);
	sk_X509_pop_free(recips, X509_free);
	EVP_PKEY_free(key);
	X509_free(cert);
	return ex;
}

int
cmd_smime(int argc, char **argv)
{
	return crypt_cmd(argc, argv, 1);
}

int
cmd_protect(int argc, char **argv)
{
	return crypt_cmd(argc, argv, 0);
}
