/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel sign pdf IN --out OUT [options]        PAdES signature (pades.c)
 * sertel sign pdf IN... --out-dir DIR [options]  several files, one process
 * sertel sign pdf --batch LIST --out-dir DIR     inputs listed one a line
 * sertel sign cms ...                            detached CAdES (cmd_cms.c)
 *
 * The input is mapped, not read: pades_sign() hashes it in place and
 * returns only the bytes it appends, and the output is the input copied
 * by the kernel (copy_file_range) followed by those bytes, written to a
 * temporary file and renamed, so a failure never leaves half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli/cli.h"
#include "esign/esign.h"
#include "instance/instance.h"
#include "sign/sign.h"

#define SIGN_MAX_PDF   (8ULL * 1024 * 1024 * 1024)
#define SIGN_MAX_IMAGE (16 * 1024 * 1024)
#define SIGN_MAX_LIST  (64 * 1024 * 1024)

static const char usage_pdf[] =
    "sign pdf IN --out OUT | IN... --out-dir DIR | --batch LIST --out-dir DIR; "
    "(--key FILE [--pass-file F] --cert FILE [--chain FILE] | --dir DIR --nik NIK "
    "--passphrase-file F) [--level B-B|B-T|B-LT|B-LTA] [--tsa URL] [--reason R] "
    "[--location L] [--contact C] [--certify 1|2|3] [--visible [--page N|first|last] "
    "[--rect x,y,w,h] | --marker TEXT] [--image FILE] [--qr URL] [--text T] "
    "[--footer TEXT] [--time T] [--no-register] [--json]";

/* Small files are read (cheaper than mmap + copy_file_range); larger
 * ones mapped read-only and copied by the kernel. */
#define SIGN_READ_MAX (4 * 1024 * 1024)

/* The file's bytes: *mapped says whether to munmap() or free() them;
 * *fd_out stays open for a mapped file (copy_file_range) and is -1
 * otherwise. */
static int
map_file(unsigned char **out, size_t *len, int *fd_out, int *mapped, const char *path)
{
	struct stat st;
	void *p;
	int fd;

	*out = NULL;
	*len = 0;
	*fd_out = -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sertel_err(SERTEL_EIO, "%s: not a regular file", path);
	}
	if ((unsigned long long)st.st_size > SIGN_MAX_PDF) {
		close(fd);
		return sertel_err(SERTEL_ETOOBIG, "%s: larger than %llu bytes", path,
		                  SIGN_MAX_PDF);
	}
	if (st.st_size == 0) {
		close(fd);
		return sertel_err(SERTEL_EINVAL, "%s: empty file", path);
	}
	*mapped = 0;
	if (st.st_size <= SIGN_READ_MAX) {
		size_t got = 0;

		if ((p = malloc((size_t)st.st_size)) == NULL) {
			close(fd);
			return sertel_err(SERTEL_ENOMEM, "%s: out of memory", path);
		}
		while (got < (size_t)st.st_size) {
			ssize_t n = read(fd, (char *)p + got, (size_t)st.st_size - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				free(p);
				close(fd);
				return sertel_err(SERTEL_EIO, "%s: short read", path);
			}
			got += (size_t)n;
		}
		close(fd);
		*out = p;
		*len = got;
		return 0;
	}
	*mapped = 1;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return sertel_err(SERTEL_EIO, "%s: mmap: %s", path, strerror(errno));
	}
	*out = p;
	*len = (size_t)st.st_size;
	*fd_out = fd;
	return 0;
}

static int
write_all(int fd, const unsigned char *p, size_t len, const char *path)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* OUT = the input (fd/data) followed by tail, via a temporary file and
 * rename(); the SHA-256 of the result in hex when sha_hex is not NULL. */
static int
write_signed(char sha_hex[65], const char *path, int infd, const unsigned char *data,
             size_t len, const struct buf *tail)
{
	char tmp[4096];
	unsigned char dig[32];
	EVP_MD_CTX *md = NULL;
	struct stat st;
	size_t done = 0;
	int fd, rc = 0;

	/* rename() would replace a device such as /dev/null with the file. */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return sertel_err(SERTEL_EINVAL, "%s: exists and is not a regular file",
		                  path);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return sertel_err(SERTEL_EINVAL, "%s: path too long", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return sertel_err(SERTEL_EIO, "%s: %s", tmp, strerror(errno));
	/* The kernel copies a mapped original (no read into user space). */
	while (infd >= 0 && done < len) {
		loff_t inoff = (loff_t)done;
		ssize_t n = copy_file_range(infd, &inoff, fd, NULL, len - done, 0);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			/* Not supported here: write from the mapping. */
			rc = write_all(fd, data + done, len - done, path);
			done = len;
			break;
		}
		done += (size_t)n;
	}
	if (rc == 0 && done < len)
		rc = write_all(fd, data + done, len - done, path);
	if (rc == 0)
		rc = write_all(fd, tail->data, tail->len, path);
	if (close(fd) < 0 && rc == 0)
		rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) < 0)
		rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	if (sha_hex == NULL)
		return 0;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, data, len) != 1 ||
	    EVP_DigestUpdate(md, tail->data, tail->len) != 1 ||
	    EVP_DigestFinal_ex(md, dig, NULL) != 1)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "sha256");
	else
		hex_encode(sha_hex, dig, sizeof(dig));
	EVP_MD_CTX_free(md);
	return rc;
}

static int
parse_level(enum sign_level *out, const char *s)
{
	if (strcmp(s, "B-B") == 0 || strcmp(s, "B") == 0)
		*out = SIGN_LEVEL_B;
	else if (strcmp(s, "B-T") == 0 || strcmp(s, "T") == 0)
		*out = SIGN_LEVEL_T;
	else if (strcmp(s, "B-LT") == 0 || strcmp(s, "LT") == 0)
		*out = SIGN_LEVEL_LT;
	else if (strcmp(s, "B-LTA") == 0 || strcmp(s, "LTA") == 0)
		*out = SIGN_LEVEL_LTA;
	else
		return -1;
	return 0;
}

static const char *
level_name(enum sign_level l)
{
	static const char *const n[] = {"B-B", "B-T", "B-LT", "B-LTA"};

	return n[l];
}

/* "x,y,w,h" in points. */
static int
parse_rect(double r[4], const char *s)
{
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		errno = 0;
		r[i] = strtod(s, &end);
		if (errno != 0 || end == s || (i < 3 && *end != ',') ||
		    (i == 3 && *end != '\0'))
			return -1;
		s = end + 1;
	}
	return r[2] > 0 && r[3] > 0 && r[2] < 14400 && r[3] < 14400 ? 0 : -1;
}

/* Issue 11: where a file signed with an instance is registered, so that
 * its QR code and footer resolve (/v/{id}); st NULL: --no-register. */
struct sign_reg {
	struct store *st;
	const char *base_url;
	const char *nik; /* --nik, else NULL */
	int user_qr;     /* --qr given: the box shows that URL */
};

/* The certificate's subject CN and serial in hex, for the registry. */
static void
cert_names(char *name, size_t namesz, char serial[SERIAL_HEX_MAX + 1], X509 *x)
{
	name[0] = '\0';
	serial[0] = '\0';
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, name,
	                              (int)namesz) < 0)
		name[0] = '\0';
	(void)serial_to_hex(serial, X509_get_serialNumber(x));
}

/* Signs one file. */
static int
sign_one(json_t *results, const char *in, const char *out,
         const struct sign_signer *signer, const struct pades_opts *opts, int json,
         const struct sign_reg *reg)
{
	struct pades_result res;
	struct pades_opts po = *opts;
	struct buf tail;
	unsigned char *data = NULL;
	size_t len = 0;
	char hex[65], id[33] = "", link[SERTEL_MAX_NAME + 64] = "", cn[256],
	              serial[SERIAL_HEX_MAX + 1];
	const char *base;
	int fd = -1, mapped = 0, rc;

	buf_init(&tail, 0);
	if (reg->st != NULL) {
		if ((rc = esign_doc_new(id, link, sizeof(link), reg->base_url)) < 0)
			goto out;
		po.verify_url = link;
		if (!reg->user_qr && (po.visible || po.marker != NULL))
			po.qr_url = link;
	}
	if ((rc = map_file(&data, &len, &fd, &mapped, in)) < 0)
		goto out;
	if ((rc = pades_sign_ex(&tail, &res, data, len, signer, &po)) < 0) {
		/* Name the file in the message. */
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", sertel_errmsg());
		rc = sertel_err(rc, "%s: %s", in, msg);
		goto out;
	}
	if ((rc = write_signed(json || reg->st ? hex : NULL, out, fd, data, len, &tail)) <
	    0)
		goto out;
	if (reg->st != NULL) {
		cert_names(cn, sizeof(cn), serial, signer->cert);
		base = strrchr(out, '/');
		if ((rc = esign_doc_register(reg->st, "cli", id, hex,
		                             base ? base + 1 : out, reg->nik, cn, serial,
		                             len + tail.len)) < 0) {
			/* A file whose QR code leads nowhere is not handed out. */
			unlink(out);
			goto out;
		}
	}
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "file", out,
		                      "input", in, "field", res.field, "sha256", hex,
		                      "bytes", (json_int_t)(len + tail.len), "level",
		                      level_name(po.sig.level));

		if (o != NULL && id[0] != '\0') {
			json_object_set_new(o, "id", json_string(id));
			json_object_set_new(o, "url", json_string(link));
		}
		json_array_append_new(results, o);
	} else {
		printf("Ditandatangani / signed: %s (%s, %s)\n", out, res.field,
		       level_name(po.sig.level));
		if (id[0] != '\0')
			printf("Terdaftar / registered: %s\n", link);
	}
out:
	if (data != NULL && mapped)
		munmap(data, len);
	else
		free(data);
	if (fd >= 0)
		close(fd);
	buf_free(&tail);
	return rc;
}

/* The output path for in under dir: same base name. */
static int
out_path(char *o, size_t osz, const char *dir, const char *in)
{
	const char *base = strrchr(in, '/');

	base = base ? base + 1 : in;
	if (*base == '\0' || snprintf(o, osz, "%s/%s", dir, base) >= (int)osz)
		return sertel_err(SERTEL_EINVAL, "%s: bad input name", in);
	return 0;
}

static int
cmd_sign_pdf(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"out", required_argument, NULL, 'o'},
	    {"out-dir", required_argument, NULL, 'O'},
	    {"batch", required_argument, NULL, 'B'},
	    CLI_SIGNER_OPTIONS,
	    {"level", required_argument, NULL, 'l'},
	    {"tsa", required_argument, NULL, 't'},
	    {"reason", required_argument, NULL, 'r'},
	    {"location", required_argument, NULL, 'L'},
	    {"contact", required_argument, NULL, 'K'},
	    {"certify", required_argument, NULL, 'M'},
	    {"visible", no_argument, NULL, 'v'},
	    {"page", required_argument, NULL, 'g'},
	    {"rect", required_argument, NULL, 'R'},
	    {"marker", required_argument, NULL, 'm'},
	    {"image", required_argument, NULL, 'i'},
	    {"qr", required_argument, NULL, 'q'},
	    {"text", required_argument, NULL, 'x'},
	    {"footer", required_argument, NULL, 'f'},
	    {"time", required_argument, NULL, 'T'},
	    {"no-register", no_argument, NULL, 'N'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_signer_args a;
	struct sign_signer signer = {NULL, NULL, NULL};
	struct pades_opts po;
	struct config *cfg = NULL;
	struct instance *inst = NULL;
	struct sign_look look;
	struct esign_conf ec;
	struct sign_reg reg;
	int no_register = 0;
	unsigned char *sigimg = NULL;
	size_t sigimglen = 0;
	const char *out = NULL, *out_dir = NULL, *batch = NULL, *footer = NULL,
	           *image = NULL;
	const char *level = NULL, *page = NULL, *rect = NULL;
	unsigned char *img = NULL, *list = NULL;
	size_t imglen = 0, listlen = 0;
	char path[4096], tsa[1200], footer_buf[2048];
	json_t *results = NULL;
	int c, json = 0, dir_given = 0, rc = 0, ex = 0, nfiles = 0, i;
	long long v;

	memset(&a, 0, sizeof(a));
	memset(&po, 0, sizeof(po));
	memset(&look, 0, sizeof(look));
	memset(&ec, 0, sizeof(ec));
	memset(&reg, 0, sizeof(reg));
	a.dir = cli_default_dir();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a.dir = optarg;
			dir_given = 1;
			break;
		case 'j': json = 1; break;
		case 'o': out = optarg; break;
		case 'O': out_dir = optarg; break;
		case 'B': batch = optarg; break;
		case 'l': level = optarg; break;
		case 't': po.sig.tsa_url = optarg; break;
		case 'r': po.reason = optarg; break;
		case 'L': po.location = optarg; break;
		case 'K': po.contact = optarg; break;
		case 'M':
			if (parse_ll(&v, optarg, 1, 3) < 0)
				return cli_usage(
				    "sign pdf: --certify '%s': expected 1, 2 or 3",
				    optarg);
			po.docmdp = (int)v;
			break;
		case 'v': po.visible = 1; break;
		case 'g': page = optarg; break;
		case 'R': rect = optarg; break;
		case 'm': po.marker = optarg; break;
		case 'i': image = optarg; break;
		case 'q': po.qr_url = optarg; break;
		case 'x': po.text = optarg; break;
		case 'f': footer = optarg; break;
		case 'N': no_register = 1; break;
		case 'T':
			if (time_parse(&po.sig.signing_time, optarg) < 0)
				return cli_usage(
				    "sign pdf: --time '%s': expected RFC 3339", optarg);
			break;
		default:
			if (!cli_signer_opt(&a, c, optarg))
				return cli_badopt(argv, usage_pdf);
		}
	}
	nfiles = argc - optind;
	if (batch != NULL && nfiles > 0)
		return cli_usage("sign pdf: --batch and input files are alternatives");
	if (batch == NULL && nfiles == 0)
		return cli_usage("sign pdf: no input file (%s)", usage_pdf);
	if (out != NULL && (out_dir != NULL || batch != NULL || nfiles != 1))
		return cli_usage(
		    "sign pdf: --out takes exactly one input; use --out-dir for "
		    "several");
	if (out == NULL && out_dir == NULL)
		return cli_usage("sign pdf: --out FILE or --out-dir DIR is required");
	if (level != NULL && parse_level(&po.sig.level, level) < 0)
		return cli_usage(
		    "sign pdf: --level '%s': expected B-B, B-T, B-LT or B-LTA", level);
	if (po.marker != NULL && (po.visible || page != NULL || rect != NULL))
		return cli_usage(
		    "sign pdf: --marker and --visible/--page/--rect are alternatives");
	if (po.marker != NULL && po.marker[0] == '\0')
		return cli_usage("sign pdf: --marker is empty");
	if ((page != NULL || rect != NULL) && !po.visible)
		return cli_usage("sign pdf: --page and --rect need --visible");
	if (page != NULL) {
		if (strcmp(page, "first") == 0)
			po.page = 0;
		else if (strcmp(page, "last") == 0)
			po.page = -1;
		else if (parse_ll(&v, page, 1, 100000) == 0)
			po.page = (int)v - 1;
		else
			return cli_usage(
			    "sign pdf: --page '%s': expected N (from 1), first or last",
			    page);
	}
	if (rect != NULL && parse_rect(po.rect, rect) < 0)
		return cli_usage(
		    "sign pdf: --rect '%s': expected x,y,w,h in points (w, h > 0)", rect);
	if ((image != NULL || po.qr_url != NULL || po.text != NULL) && !po.visible &&
	    po.marker == NULL)
		return cli_usage(
		    "sign pdf: --image, --qr and --text need --visible or --marker");

	/* The instance (when --dir is given) sets the footer and the TSA. */
	if (dir_given) {
		if (snprintf(path, sizeof(path), "%s/sertel.conf", a.dir) >=
		    (int)sizeof(path))
			return cli_usage("sign pdf: --dir too long");
		if (access(path, R_OK) == 0 && (rc = config_load(&cfg, path)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
	}
	/* Palembang 12(4): the footer is on every signed document; --footer
	 * words it differently, never removes it. */
	if (footer != NULL && *footer == '\0') {
		ex = cli_usage("sign pdf: --footer cannot be empty: every signed "
		               "document carries a footer (Palembang 12(4))");
		goto out;
	}
	if (footer == NULL &&
	    (rc = sign_footer_template(footer_buf, sizeof(footer_buf), cfg, 0)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	po.footer = footer != NULL ? footer : footer_buf;
	/* Issue 11: with an instance, its box template and zone, and every
	 * file registered so that its QR code and footer resolve (/v/{id},
	 * the base URL the service uses) unless --no-register. */
	if (cfg != NULL) {
		if ((rc = sign_look_load(&look, cfg, a.dir)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		po.look = &look;
	}
	if (cfg != NULL && !no_register) {
		if ((rc = instance_open(&inst, a.dir)) < 0 ||
		    (rc = esign_conf_load(&ec, inst->cfg, inst->pc.base_url)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if (ec.base_url[0] == '\0') {
			ex = cli_usage(
			    "sign pdf: the instance has no base URL for /v links "
			    "([esign] base_url or [instance] base_url); use "
			    "--no-register");
			goto out;
		}
		reg.st = inst->st;
		reg.base_url = ec.base_url;
		/* The signer's scanned signature, for the template's image. */
		if (a.nik != NULL &&
		    ra_sigimg_get(&sigimg, &sigimglen, inst->st, a.nik) == 0) {
			po.sig_image = sigimg;
			po.sig_image_len = sigimglen;
		}
		sertel_err_clear();
		reg.nik = a.nik;
		reg.user_qr = po.qr_url != NULL;
	}
	if (po.sig.level > SIGN_LEVEL_B && po.sig.tsa_url == NULL && cfg != NULL) {
		const char *base = config_get(cfg, "instance", "base_url", NULL);

		if (base != NULL &&
		    snprintf(tsa, sizeof(tsa), "%s/tsa", base) < (int)sizeof(tsa))
			po.sig.tsa_url = tsa;
	}
	if (po.sig.level > SIGN_LEVEL_B && po.sig.tsa_url == NULL) {
		ex = cli_usage(
		    "sign pdf: --level %s needs --tsa URL (or --dir of an instance)",
		    level);
		goto out;
	}
	if (image != NULL) {
		if ((rc = file_read(&img, &imglen, image, SIGN_MAX_IMAGE)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		po.image = img;
		po.image_len = imglen;
	}
	if (batch != NULL &&
	    (rc = file_read(&list, &listlen, batch, SIGN_MAX_LIST)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if ((rc = cli_signer_load(&signer, &a)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (json && (results = json_array()) == NULL) {
		ex = cli_fail(sertel_err(SERTEL_ENOMEM, "json"));
		goto out;
	}
	if (out != NULL) {
		if ((rc = sign_one(results, argv[optind], out, &signer, &po, json,
		                   &reg)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
	} else if (batch == NULL) {
		for (i = optind; i < argc; i++) {
			if ((rc = out_path(path, sizeof(path), out_dir, argv[i])) < 0 ||
			    (rc = sign_one(results, argv[i], path, &signer, &po, json,
			                   &reg)) < 0) {
				ex = cli_fail(rc);
				goto out;
			}
		}
	} else {
		char *save = NULL, *line;

		for (line = strtok_r((char *)list, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			size_t n = strlen(line);

			if (n > 0 && line[n - 1] == '\r')
				line[--n] = '\0';
			if (n == 0 || line[0] == '#')
				continue;
			if ((rc = out_path(path, sizeof(path), out_dir, line)) < 0 ||
			    (rc = sign_one(results, line, path, &signer, &po, json,
			                   &reg)) < 0) {
				ex = cli_fail(rc);
				goto out;
			}
		}
	}
	if (json) {
		if (out != NULL) {
			cli_json_print(json_incref(json_array_get(results, 0)));
		} else {
			cli_json_print(json_incref(results));
		}
	}
out:
	json_decref(results);
	sign_signer_free(&signer);
	sign_look_free(&look);
	sign_look_free(&ec.look);
	free(sigimg);
	instance_close(inst);
	config_free(cfg);
	free(img);
	free(list);
	return ex;
}

int
cmd_sign(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("sign: expected 'pdf' or 'cms' (%s)", usage_pdf);
	if (strcmp(argv[1], "pdf") == 0)
		return cmd_sign_pdf(argc - 1, argv + 1);
	if (strcmp(argv[1], "cms") == 0)
		return cmd_sign_cms(argc - 1, argv + 1);
	return cli_usage("sign: unknown subcommand '%s': expected 'pdf' or 'cms'",
	                 argv[1]);
}
