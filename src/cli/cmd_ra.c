/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel ra apply | attach | submit | list | show | approve | return | reject |
 *   issue | receipt | renew | revoke | report-loss | warn | remind | agreement |
 *   attachment | email-verify
 *
 * Every subcommand acts as a registered person (--as NIK) or, without
 * --as, as the local administrator.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "esign/esign.h"
#include "gov/gov.h"
#include "ra/ra.h"
#include "report/report.h"
#include "sign/sign.h"

#define MAX_ATTACH 8

struct attach_arg {
	char kind[32];
	const char *path;
	unsigned char *data;
	size_t len;
};

/* KIND=FILE, read and bounded before anything is stored, so a bad file
 * refuses the whole command. */
static int
attach_load(struct attach_arg *a, const char *spec)
{
	const char *eq = strchr(spec, '=');
	int rc;

	if (eq == NULL || eq == spec || (size_t)(eq - spec) >= sizeof(a->kind) || !eq[1])
		return sertel_err(SERTEL_EINVAL, "--attach '%s': expected KIND=FILE",
		                  spec);
	memcpy(a->kind, spec, (size_t)(eq - spec));
	a->kind[eq - spec] = '\0';
	a->path = eq + 1;
	if ((rc = file_read(&a->data, &a->len, a->path, RA_ATTACH_MAX)) < 0)
		return rc;
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static int
app_one(const struct ra_application *a, void *arg)
{
	json_t *arr = arg;

	if (arr != NULL) {
		json_array_append_new(arr, http_app_json(a));
		return 0;
	}
	printf("%s  %-9s %-8s %-8s %s  %s\n", a->id, ra_state_name(a->state), a->kind,
	       a->type, a->applicant_nik, a->cn);
	return 0;
}

/* sertel ra issue ID --as NIK --accept-agreement (--csr FILE |
 *   --generate-key --passphrase-file F) [--out CERT] [--receipt PDF] */
static int
ra_issue_cmd(struct instance *in, const struct ra_actor *who,
             const struct ra_application *app, int accept, const char *csr, int generate,
             const char *passfile, const char *out_cert, const char *receipt, int json)
{
	struct ra_issue_req rq;
	struct ra_issued info;
	struct ra_policy pol;
	struct cert_rec rec;
	struct issuer *is = NULL;
	unsigned char *csrdata = NULL, *pass = NULL, *pdf = NULL;
	size_t csrlen = 0, passlen = 0, pdflen = 0;
	char *pem = NULL, nb[32];
	int rc, ex = 0;

	memset(&rq, 0, sizeof(rq));
	memset(&rec, 0, sizeof(rec));
	if (csr != NULL && generate)
		return cli_usage("ra issue: --csr or --generate-key, not both");
	if (csr == NULL && !generate)
		return cli_usage(
		    "ra issue: --csr FILE or --generate-key --passphrase-file F");
	if (generate && passfile == NULL)
		return cli_usage("ra issue: --generate-key needs --passphrase-file F");
	if (csr != NULL && (rc = file_read(&csrdata, &csrlen, csr, SERTEL_MAX_CSR)) < 0)
		return cli_fail(rc);
	if (passfile != NULL) {
		if ((rc = file_read(&pass, &passlen, passfile, 4096)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		/* One trailing newline is the file's, not the passphrase's. */
		while (passlen > 0 &&
		       (pass[passlen - 1] == '\n' || pass[passlen - 1] == '\r'))
			pass[--passlen] = '\0';
	}
	rq.app_id = app->id;
	rq.accept_agreement = accept;
	rq.csr = csrdata;
	rq.csr_len = csrlen;
	rq.passphrase = (const char *)pass;
	rq.passlen = passlen;
	if ((rc = ra_policy_load(&pol, in->cfg)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	rq.pass_min_len = pol.pass_min_len;
	rq.algo = pol.algo;
	if ((rc = issuer_open(&is, in, NULL)) < 0 ||
	    (rc = ra_issue(&rec, &info, in->st, who, is, &rq)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if ((rc = pem_from_der(&pem, rec.der, rec.der_len, "CERTIFICATE")) < 0 ||
	    (out_cert != NULL &&
	     (rc = file_write(out_cert, pem, strlen(pem), 0644)) < 0)) {
		fprintf(stderr, "sertel: certificate %s issued, but: %s\n", rec.serial,
		        sertel_errmsg());
		ex = EXIT_ERROR;
		goto out;
	}
	if (receipt != NULL &&
	    ((rc =
	          esign_receipt_pdf(&pdf, &pdflen, NULL, in->st, who, app->id, in->pc.org,
	                            &in->tz, esign_base_url(in->cfg, in->pc.base_url),
	                            ESIGN_RECEIPT_UNSIGNED)) < 0 ||
	     (rc = file_write(receipt, pdf, pdflen, 0644)) < 0)) {
		fprintf(stderr, "sertel: certificate %s issued, receipt failed: %s\n",
		        rec.serial, sertel_errmsg());
		ex = EXIT_ERROR;
		goto out;
	}
	if (json) {
		json_t *j = http_cert_json(&rec, 1);
		json_object_set_new(j, "application_id", json_string(app->id));
		json_object_set_new(j, "agreement_version",
		                    json_integer(info.agreement.version));
		json_object_set_new(j, "key_generated", json_boolean(info.generated));
		cli_json_print(j);
	} else {
		time_fmt(nb, rec.not_after);
		printf("Sertifikat diterbitkan / certificate issued: %s (berlaku s.d. "
		       "%s)%s%s\n",
		       rec.serial, nb, out_cert ? " -> " : "", out_cert ? out_cert : "");
		if (out_cert == NULL)
			fputs(pem, stdout);
	}
out:
	if (pass != NULL) {
		secure_wipe(pass, passlen);
		free(pass);
	}
	free(csrdata);
	free(pem);
	free(pdf);
	cert_rec_free(&rec);
	issuer_free(is);
	return ex;
}

static const struct ra_file *
file_of(const struct ra_file *files, int n, const char *kind)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i].kind, kind) == 0)
			return &files[i];
	return NULL;
}

/* renew SERIAL | revoke SERIAL --cause C | report-loss SERIAL
 * --acknowledged-by NIK --attach pernyataan=F --attach laporan-polisi=F |
 * warn NIK --reason R [--serial S] */
static int
ra_cert_cmd(struct instance *in, const struct ra_actor *who, const char *sub,
            const char *arg, const char *cause, const char *text, const char *ackby,
            const char *serial, const struct ra_file *files, int nfiles, int json)
{
	struct ra_application app;
	struct issuer *is = NULL;
	char key[32], incident[17] = "";
	int rc, warnings = 0, proposals = 0, needed = 1;

	if (arg == NULL)
		return cli_usage("ra %s: exactly one %s", sub,
		                 strcmp(sub, "warn") == 0 ? "NIK" : "certificate SERIAL");
	if (strcmp(sub, "renew") == 0) {
		struct cert_rec rec;
		if ((rc = store_cert_get(in->st, arg, &rec)) < 0)
			return cli_fail(rc);
		snprintf(key, sizeof(key), "%s", rec.type);
		cert_rec_free(&rec);
		if ((rc = ra_approval_rule(&needed, NULL, in->st, in->cfg, key)) < 0 ||
		    (rc = ra_renew(&app, in->st, who, arg, needed)) < 0)
			return cli_fail(rc);
		if (json)
			cli_json_print(http_app_json(&app));
		else
			printf("Permohonan %s / application %s: %s for %s\n", app.kind,
			       app.id, ra_state_name(app.state), arg);
		return 0;
	}
	if (strcmp(sub, "warn") == 0) {
		struct ra_policy pol;
		if ((rc = ra_policy_load(&pol, in->cfg)) == 0)
			rc = ra_warn(in->st, who, arg, serial, text,
			             pol.sanction_warnings, &warnings, &proposals);
		if (rc < 0)
			return cli_fail(rc);
		if (json)
			cli_json_print(json_pack("{s:s, s:i, s:i}", "nik", arg,
			                         "warnings", warnings,
			                         "revocation_proposals", proposals));
		else
			printf("Teguran tertulis / written warning %d for %s%s\n",
			       warnings, arg, proposals ? "; revocation proposed" : "");
		return 0;
	}
	if (strcmp(sub, "revoke") == 0 && cause == NULL)
		return cli_usage("ra revoke: --cause is required");
	if ((rc = issuer_open(&is, in, NULL)) < 0)
		return cli_fail(rc);
	if (strcmp(sub, "revoke") == 0) {
		rc = ra_revoke(in->st, who, is, arg, cause, text);
	} else {
		/* The loss report opens its security incident (Cirebon 24). */
		rc = gov_report_loss(in->st, in->cfg, who, is, arg, ackby,
		                     file_of(files, nfiles, "pernyataan"),
		                     file_of(files, nfiles, "laporan-polisi"), text,
		                     incident);
	}
	issuer_free(is);
	if (rc < 0)
		return cli_fail(rc);
	if (json)
		cli_json_print(json_pack("{s:s, s:s, s:s, s:s?}", "serial", arg, "status",
		                         "revoked", "cause", cause ? cause : "hilang",
		                         "incident_id", incident[0] ? incident : NULL));
	else
		printf("Sertifikat dicabut / certificate revoked: %s (%s)%s%s\n", arg,
		       cause ? cause : "hilang", incident[0] ? "; insiden " : "",
		       incident);
	return 0;
}

/* The receipt signed by the OP operator (Cirebon 13: the receipt of the
 * in-person step): a PAdES B-B approval signature made with the signer
 * ra receipt --sign loaded, invisible, with the instance's footer
 * (Palembang 12(4), as every signed document). */
struct receipt_signer {
	struct sign_signer *signer;
	char footer[2048];
};

static int
receipt_sign(unsigned char **out, size_t *outlen, const unsigned char *pdf, size_t len,
             const char *opnik, void *arg)
{
	const struct receipt_signer *rs = arg;
	const struct sign_signer *signer = rs->signer;
	struct pades_opts po;
	struct buf tail;
	unsigned char *p = NULL;
	int rc;

	memset(&po, 0, sizeof(po));
	memset(&tail, 0, sizeof(tail));
	po.sig.level = SIGN_LEVEL_B;
	po.reason = "Bukti tanda terima sertifikat elektronik (Otoritas Pendaftaran)";
	po.footer = rs->footer;
	if ((rc = pades_sign(&tail, pdf, len, signer, &po)) < 0)
		goto out;
	if ((p = malloc(len + tail.len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "receipt: out of memory");
		goto out;
	}
	memcpy(p, pdf, len);
	memcpy(p + len, tail.data, tail.len);
	*out = p;
	*outlen = len + tail.len;
out:
	buf_free(&tail);
	return rc;
}

int
cmd_ra(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"as", required_argument, NULL, 'a'},
	    {"applicant", required_argument, NULL, 'A'},
	    {"type", required_argument, NULL, 't'},
	    {"usage", required_argument, NULL, 'u'},
	    {"cn", required_argument, NULL, 'n'},
	    {"email", required_argument, NULL, 'e'},
	    {"title", required_argument, NULL, 'T'},
	    {"dns", required_argument, NULL, 'D'},
	    {"ip", required_argument, NULL, 'I'},
	    {"system-name", required_argument, NULL, 'S'},
	    {"system-details", required_argument, NULL, 'X'},
	    {"self-issued-letters", no_argument, NULL, 'L'},
	    {"attach", required_argument, NULL, 'F'},
	    {"reason", required_argument, NULL, 'r'},
	    {"note", required_argument, NULL, 'N'},
	    {"state", required_argument, NULL, 's'},
	    {"accept-agreement", no_argument, NULL, 'G'},
	    {"csr", required_argument, NULL, 'C'},
	    {"generate-key", no_argument, NULL, 'K'},
	    {"passphrase-file", required_argument, NULL, 'P'},
	    {"out", required_argument, NULL, 'O'},
	    {"receipt", required_argument, NULL, 'R'},
	    {"cause", required_argument, NULL, 'c'},
	    {"acknowledged-by", required_argument, NULL, 'k'},
	    {"serial", required_argument, NULL, 'z'},
	    {"sign", no_argument, NULL, 256},
	    {"sign-key", required_argument, NULL, 257},
	    {"sign-pass-file", required_argument, NULL, 258},
	    {"sign-cert", required_argument, NULL, 259},
	    {"sign-chain", required_argument, NULL, 260},
	    {"reviewed", required_argument, NULL, 261},
	    {"code", required_argument, NULL, 262},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = cli_default_dir(), *as = NULL, *sub, *reason = NULL,
	           *note = NULL, *state = NULL, *csr = NULL, *passfile = NULL,
	           *out_cert = NULL, *receipt = NULL;
	const char *cause = NULL, *ackby = NULL, *serial = NULL, *reviewed = NULL,
	           *code = NULL;
	int accept = 0, generate = 0, sign = 0;
	struct cli_signer_args sa;
	struct sign_signer signer;
	struct receipt_signer rsig;
	struct attach_arg att[MAX_ATTACH];
	struct ra_file files[MAX_ATTACH];
	struct ra_apply_req rq;
	struct ra_application app;
	struct instance *in = NULL;
	struct ra_actor who;
	enum ra_state sfilter;
	json_t *arr = NULL;
	int c, json = 0, rc = 0, natt = 0, i, approved = 0, approvals;

	if (argc < 2)
		return cli_usage(
		    "ra: expected apply, attach, submit, list, show, approve, "
		    "return or reject");
	sub = argv[1];
	argc--;
	argv++;
	memset(&rq, 0, sizeof(rq));
	memset(att, 0, sizeof(att));
	memset(&sa, 0, sizeof(sa));
	memset(&signer, 0, sizeof(signer));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'a': as = optarg; break;
		case 'A': rq.applicant_nik = optarg; break;
		case 't': rq.type = optarg; break;
		case 'u': rq.usages = optarg; break;
		case 'n': rq.cn = optarg; break;
		case 'e': rq.email = optarg; break;
		case 'T': rq.title = optarg; break;
		case 'D':
			if (rq.ndns >= 16)
				return cli_usage("ra apply: at most 16 --dns");
			rq.dns[rq.ndns++] = optarg;
			break;
		case 'I':
			if (rq.nip >= 16)
				return cli_usage("ra apply: at most 16 --ip");
			rq.ip[rq.nip++] = optarg;
			break;
		case 'S': rq.system_name = optarg; break;
		case 'X': rq.system_details = optarg; break;
		case 'L': rq.self_issued_letters = 1; break;
		case 'F':
			if (natt >= MAX_ATTACH) {
				rc = cli_usage("ra: at most %d --attach", MAX_ATTACH);
				goto out;
			}
			if ((rc = attach_load(&att[natt], optarg)) < 0) {
				rc = cli_fail(rc);
				goto out;
			}
			files[natt].kind = att[natt].kind;
			files[natt].data = att[natt].data;
			files[natt].len = att[natt].len;
			files[natt].filename = base_name(att[natt].path);
			natt++;
			break;
		case 'r': reason = optarg; break;
		case 'N': note = optarg; break;
		case 's': state = optarg; break;
		case 'G': accept = 1; break;
		case 'C': csr = optarg; break;
		case 'K': generate = 1; break;
		case 'P': passfile = optarg; break;
		case 'O': out_cert = optarg; break;
		case 'R': receipt = optarg; break;
		case 'c': cause = optarg; break;
		case 'k': ackby = optarg; break;
		case 'z': serial = optarg; break;
		case 256: sign = 1; break;
		case 257: sa.key = optarg; break;
		case 258: sa.pass_file = optarg; break;
		case 259: sa.cert = optarg; break;
		case 260: sa.chain = optarg; break;
		case 261: reviewed = optarg; break;
		case 262: code = optarg; break;
		default:
			rc = cli_badopt(argv,
			                "see 'sertel --help' and docs for ra options");
			goto out;
		}
	}
	if ((rc = instance_open(&in, dir)) < 0 || (rc = cli_actor(&who, in, as)) < 0) {
		rc = cli_fail(rc);
		goto out;
	}
	if (strcmp(sub, "agreement") == 0) {
		/* ra agreement [--attach text=FILE]: show the version in force, or
		 * set a new one from a UTF-8 text file. */
		struct ra_agreement ag;
		if (natt == 1 && strcmp(att[0].kind, "text") == 0) {
			char *text = (char *)att[0].data;
			text[att[0].len] = '\0';
			rc = ra_agreement_set(&ag, in->st, &who, text);
		} else if (natt == 0) {
			/* The version in force; the built-in version 1 before
			 * anything is stored. */
			char *text = NULL;
			rc = ra_agreement_text(&text, &ag, in->st, 0);
			free(text);
		} else {
			rc = cli_usage("ra agreement: [--attach text=FILE]");
			goto out;
		}
		if (rc < 0) {
			rc = cli_fail(rc);
			goto out;
		}
		if (json)
			cli_json_print(json_pack("{s:i, s:s}", "version", ag.version,
			                         "sha256", ag.sha256));
		else
			printf("Perjanjian / agreement version %d sha256:%s\n",
			       ag.version, ag.sha256);
		rc = 0;
		goto out;
	}
	if (strcmp(sub, "email-verify") == 0) {
		/* ra email-verify --email ADDR [--applicant NIK]: mails a code;
		 * ra email-verify --email ADDR --code DIGITS: confirms it. */
		int64_t expires = 0;
		char at[32];
		if (optind != argc || rq.email == NULL) {
			rc = cli_usage("ra email-verify: --email ADDR [--applicant NIK] "
			               "[--code DIGITS]");
			goto out;
		}
		rc = code ? ra_email_verify_confirm(in->st, &who, rq.applicant_nik,
		                                    rq.email, code)
		          : ra_email_verify_request(&expires, in->st, &who,
		                                    rq.applicant_nik, rq.email);
		if (rc < 0) {
			rc = cli_fail(rc);
			goto out;
		}
		time_fmt(at, expires);
		if (json)
			cli_json_print(code ? json_pack("{s:s, s:b}", "email", rq.email,
			                                "verified", 1)
			                    : json_pack("{s:s, s:s}", "email", rq.email,
			                                "expires_at", at));
		else if (code)
			printf("Alamat terverifikasi / verified: %s\n", rq.email);
		else
			printf("Kode dikirim ke / code mailed to %s (berlaku sampai / "
			       "valid until %s)\n",
			       rq.email, at);
		rc = 0;
		goto out;
	}
	if (strcmp(sub, "attachment") == 0) {
		/* ra attachment ID KIND --out FILE */
		unsigned char *doc = NULL;
		size_t dlen = 0;
		char mime[64];
		if (optind + 2 != argc || out_cert == NULL) {
			rc = cli_usage("ra attachment: ID KIND --out FILE");
			goto out;
		}
		if ((rc = ra_attachment_get(&doc, &dlen, mime, in->st, &who, argv[optind],
		                            argv[optind + 1])) < 0 ||
		    (rc = file_write(out_cert, doc, dlen, 0600)) < 0) {
			free(doc);
			rc = cli_fail(rc);
			goto out;
		}
		free(doc);
		if (json)
			cli_json_print(json_pack("{s:s, s:I}", "mime", mime, "bytes",
			                         (json_int_t)dlen));
		else
			printf("%s (%zu bytes) -> %s\n", mime, dlen, out_cert);
		rc = 0;
		goto out;
	}
	if (strcmp(sub, "receipt") == 0) {
		/* ra receipt ID --out FILE: the receipt of an issued application */
		unsigned char *pdf = NULL;
		size_t plen = 0;
		if (optind + 1 != argc || out_cert == NULL) {
			rc = cli_usage(
			    "ra receipt: ID --out FILE [--sign (--passphrase-file F "
			    "| --sign-key F [--sign-pass-file F] --sign-cert F "
			    "[--sign-chain F])]");
			goto out;
		}
		if (!sign && (sa.key || sa.cert || sa.pass_file || sa.chain)) {
			rc = cli_usage("ra receipt: --sign-* options need --sign");
			goto out;
		}
		if (sign) {
			/* Only an OP operator signs receipts, with their own
			 * certificate: a key file, or the key sealed here under
			 * their passphrase. */
			if (!(who.roles & ROLE_OPERATOR)) {
				rc = cli_fail(sertel_err(
				    SERTEL_EPERM,
				    "ra receipt --sign: %s is not an OP operator",
				    who.label));
				goto out;
			}
			sa.dir = dir;
			if (sa.key == NULL) {
				sa.nik = who.nik;
				sa.passphrase_file = passfile;
			}
			rsig.signer = &signer;
			if ((rc = cli_signer_load(&signer, &sa)) < 0 ||
			    (rc = sign_footer_template(rsig.footer, sizeof(rsig.footer),
			                               in->cfg, 0)) < 0) {
				rc = cli_fail(rc);
				goto out;
			}
			ra_receipt_set_signer(receipt_sign, &rsig);
		}
		rc = esign_receipt_pdf(
		    &pdf, &plen, NULL, in->st, &who, argv[optind], in->pc.org, &in->tz,
		    esign_base_url(in->cfg, in->pc.base_url),
		    sign ? ESIGN_RECEIPT_SIGNED : ESIGN_RECEIPT_UNSIGNED);
		ra_receipt_set_signer(NULL, NULL);
		if (rc < 0 || (rc = file_write(out_cert, pdf, plen, 0644)) < 0) {
			free(pdf);
			rc = cli_fail(rc);
			goto out;
		}
		free(pdf);
		if (json)
			cli_json_print(json_pack("{s:s, s:I}", "receipt", out_cert,
			                         "bytes", (json_int_t)plen));
		else
			printf("Tanda terima / receipt (%zu bytes) -> %s\n", plen,
			       out_cert);
		rc = 0;
		goto out;
	}
	if (strcmp(sub, "remind") == 0) {
		struct ra_policy pol;
		int sent = 0;
		if (optind != argc) {
			rc = cli_usage("ra remind: no arguments");
			goto out;
		}
		if ((rc = ra_policy_load(&pol, in->cfg)) < 0 ||
		    (rc = ra_remind(in->st, who.label, pol.reminder_days, &sent)) < 0) {
			rc = cli_fail(rc);
			goto out;
		}
		if (json)
			cli_json_print(json_pack("{s:i}", "reminders", sent));
		else
			printf("Pengingat / reminders queued: %d\n", sent);
		rc = 0;
		goto out;
	}
	if (strcmp(sub, "renew") == 0 || strcmp(sub, "revoke") == 0 ||
	    strcmp(sub, "report-loss") == 0 || strcmp(sub, "warn") == 0) {
		rc = ra_cert_cmd(in, &who, sub, optind + 1 == argc ? argv[optind] : NULL,
		                 cause, note ? note : reason, ackby, serial, files, natt,
		                 json);
		goto out;
	}
	if (strcmp(sub, "apply") == 0) {
		if (optind != argc) {
			rc =
			    cli_usage("ra apply: unexpected argument '%s'", argv[optind]);
			goto out;
		}
		if (rq.type == NULL || rq.usages == NULL) {
			rc = cli_usage("ra apply: --type and --usage are required");
			goto out;
		}
		rq.files = files;
		rq.nfiles = natt;
		if ((rc = ra_approval_rule(&approvals, NULL, in->st, in->cfg, rq.type)) <
		        0 ||
		    (rc = ra_apply(&app, in->st, &who, &rq, approvals)) < 0) {
			rc = cli_fail(rc);
			goto out;
		}
	} else if (optind + 1 == argc && strcmp(sub, "list") != 0) {
		if ((rc = ra_get(&app, in->st, argv[optind])) < 0) {
			rc = cli_fail(rc);
			goto out;
		}
	} else if (strcmp(sub, "list") != 0) {
		rc = cli_usage("ra %s: exactly one application ID", sub);
		goto out;
	}
	if (natt > 0 && strcmp(sub, "apply") != 0 && strcmp(sub, "attach") != 0) {
		rc = cli_usage("ra %s: --attach is for apply and attach", sub);
		goto out;
	}
	if (strcmp(sub, "apply") == 0) {
		rc = 0;
	} else if (strcmp(sub, "attach") == 0) {
		if (natt == 0) {
			rc = cli_usage("ra attach: at least one --attach KIND=FILE");
			goto out;
		}
		rc = ra_attach(in->st, &who, app.id, files, natt);
	} else if (strcmp(sub, "submit") == 0) {
		rc = ra_submit(in->st, &who, app.id);
	} else if (strcmp(sub, "approve") == 0) {
		rc = ra_approve(in->st, &who, app.id, note, reviewed, &approved);
	} else if (strcmp(sub, "return") == 0 || strcmp(sub, "reject") == 0) {
		if (reason == NULL) {
			rc = cli_usage("ra %s: --reason TEXT is required (Cirebon 11(2))",
			               sub);
			goto out;
		}
		rc = sub[2] == 't' ? ra_return(in->st, &who, app.id, reason)
		                   : ra_reject(in->st, &who, app.id, reason);
	} else if (strcmp(sub, "issue") == 0) {
		rc = ra_issue_cmd(in, &who, &app, accept, csr, generate, passfile,
		                  out_cert, receipt, json);
		goto out;
	} else if (strcmp(sub, "show") == 0) {
		rc = 0;
	} else if (strcmp(sub, "list") == 0) {
		if (optind != argc) {
			rc = cli_usage("ra list: unexpected argument '%s'", argv[optind]);
			goto out;
		}
		if (state != NULL && (rc = ra_state_parse(&sfilter, state)) < 0) {
			rc = cli_fail(rc);
			goto out;
		}
		if (json)
			arr = json_array();
		if ((rc = ra_iter(in->st, state ? (int)sfilter : -1, rq.applicant_nik,
		                  app_one, arr)) < 0) {
			rc = cli_fail(rc);
			goto out;
		}
		if (json) {
			cli_json_print(arr);
			arr = NULL;
		}
		goto out;
	} else {
		rc = cli_usage("ra: unknown subcommand '%s'", sub);
		goto out;
	}
	if (rc < 0) {
		rc = cli_fail(rc);
		goto out;
	}
	/* Show the application as it is now. */
	if ((rc = ra_get(&app, in->st, app.id)) < 0) {
		rc = cli_fail(rc);
		goto out;
	}
	if (json)
		cli_json_print(http_app_json(&app));
	else {
		char need[sizeof(app.ip) + 64];
		printf("Permohonan / application %s: %s (%d/%d approvals)%s%s\n", app.id,
		       ra_state_name(app.state), app.approvals, app.approvals_needed,
		       app.reasons[0] ? " -- " : "", app.reasons);
		/* Issue 19: what an approval must cover explicitly. */
		if (ra_needs_review(need, sizeof(need), &app) == 0 && need[0])
			printf("  PERLU DIPERIKSA / needs review: %s (ra approve "
			       "--reviewed %s)\n",
			       need, need);
	}
	rc = 0;
out:
	json_decref(arr);
	for (i = 0; i < MAX_ATTACH; i++)
		free(att[i].data);
	sign_signer_free(&signer);
	instance_close(in);
	return rc;
}
