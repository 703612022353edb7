/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small utilities: encodings, strict parsing, time, randomness and hashing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/core.h"

void
hex_encode(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hex_lower_run(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return n > 0;
}

int
hex_id_valid(const char *s, size_t len)
{
	return s != NULL && strlen(s) == len && hex_lower_run(s, len);
}

int
hex_decode(unsigned char *out, size_t outmax, const char *hex)
{
	size_t n = strlen(hex), i;
	int hi, lo;

	if (n % 2 != 0 || n / 2 > outmax)
		return sertel_err(SERTEL_EINVAL, "hex: bad length");
	for (i = 0; i < n / 2; i++) {
		hi = hex_digit((unsigned char)hex[2 * i]);
		lo = hex_digit((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return sertel_err(SERTEL_EINVAL, "hex: bad digit");
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

int
b64_encode(char **out, const unsigned char *in, size_t n, int url)
{
	size_t olen = 4 * ((n + 2) / 3) + 1, i, j;
	char *s;

	*out = NULL;
	if ((s = malloc(olen)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "base64: out of memory");
	EVP_EncodeBlock((unsigned char *)s, in, (int)n);
	if (url) {
		for (i = 0, j = 0; s[i] != '\0'; i++) {
			if (s[i] == '=')
				continue;
			s[j++] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
		}
		s[j] = '\0';
	}
	*out = s;
	return 0;
}

int
b64_decode(unsigned char **out, size_t *outlen, const char *in, size_t inlen, int url)
{
	char *tmp = NULL;
	unsigned char *o = NULL;
	size_t i, j = 0, pad = 0;
	int n, rc = SERTEL_EINVAL;

	*out = NULL;
	*outlen = 0;
	if ((tmp = malloc(inlen + 4)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "base64: out of memory");
	for (i = 0; i < inlen; i++) {
		char c = in[i];
		if (c == '\r' || c == '\n' || c == ' ' || c == '\t')
			continue;
		if (url && c == '-')
			c = '+';
		else if (url && c == '_')
			c = '/';
		tmp[j++] = c;
	}
	while (j % 4 != 0) {
		if (!url) {
			sertel_err(SERTEL_EINVAL, "base64: bad length");
			goto out;
		}
		tmp[j++] = '=';
	}
	tmp[j] = '\0';
	if (j >= 1 && tmp[j - 1] == '=')
		pad++;
	if (j >= 2 && tmp[j - 2] == '=')
		pad++;
	if ((o = malloc(j / 4 * 3 + 1)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "base64: out of memory");
		goto out;
	}
	n = EVP_DecodeBlock(o, (unsigned char *)tmp, (int)j);
	if (n < 0 || (size_t)n < pad) {
		sertel_err(SERTEL_EINVAL, "base64: bad encoding");
		goto out;
	}
	*outlen = (size_t)n - pad;
	*out = o;
	o = NULL;
	rc = 0;
out:
	free(o);
	free(tmp);
	return rc;
}

int
parse_ll(long long *out, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return sertel_err(SERTEL_EINVAL, "number: empty");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return sertel_err(SERTEL_EINVAL, "'%s' is not a whole number", s);
	if (v < min || v > max)
		return sertel_err(SERTEL_EINVAL, "%lld is out of range %lld..%lld", v,
		                  min, max);
	*out = v;
	return 0;
}

void
time_fmt(char out[32], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
time_zone_parse(struct time_zone *out, const char *s)
{
	static const struct {
		const char *name, *iana;
		int hours;
	} zones[] = {{"WIB", "Asia/Jakarta", 7},
	             {"WIB", "Asia/Pontianak", 7},
	             {"WITA", "Asia/Makassar", 8},
	             {"WIT", "Asia/Jayapura", 9}};
	size_t z;

	if (s == NULL || *s == '\0')
		s = "WIB";
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		if (strcmp(s, zones[z].name) == 0 || strcmp(s, zones[z].iana) == 0) {
			str_copy(out->name, sizeof(out->name), zones[z].name);
			out->offset = zones[z].hours * 3600;
			return 0;
		}
	}
	return sertel_err(SERTEL_EINVAL,
	                  "time zone '%s': WIB (Asia/Jakarta), WITA (Asia/Makassar) "
	                  "or WIT (Asia/Jayapura)",
	                  s);
}

const char *const time_months_id[12] = {"Januari",   "Februari", "Maret",    "April",
                                        "Mei",       "Juni",     "Juli",     "Agustus",
                                        "September", "Oktober",  "November", "Desember"};
const char *const time_months_en[12] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};

void
time_local_fmt(char *out, size_t outsz, int64_t t, const struct time_zone *tz,
               const char *const months[12], int with_time, char hsep)
{
	time_t local;
	struct tm tm;
	int n;

	if (outsz == 0)
		return;
	out[0] = '\0';
	local = (time_t)(t + tz->offset);
	if (t <= 0 || gmtime_r(&local, &tm) == NULL)
		return;
	if (with_time)
		n = snprintf(out, outsz, "%d %.12s %d %02d%c%02d %.7s", tm.tm_mday,
		             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, hsep,
		             tm.tm_min, tz->name);
	else
		n = snprintf(out, outsz, "%d %.12s %d", tm.tm_mday, months[tm.tm_mon],
		             tm.tm_year + 1900);
	if (n < 0 || (size_t)n >= outsz)
		out[0] = '\0';
}

int
time_parse(int64_t *out, const char *s)
{
	struct tm tm;
	long long v;
	const char *p;

	if (s != NULL && s[0] == '@')
		return parse_ll((long long *)out, s + 1, 0, 253402300799LL);
	memset(&tm, 0, sizeof(tm));
	if (s == NULL)
		return sertel_err(SERTEL_EINVAL, "time: empty");
	p = strptime(s, "%Y-%m-%d", &tm);
	if (p == NULL)
		goto bad;
	if (*p == 'T' || *p == ' ') {
		p = strptime(p + 1, "%H:%M:%S", &tm);
		if (p == NULL)
			goto bad;
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0')
		goto bad;
	v = (long long)timegm(&tm);
	*out = v;
	return 0;
bad:
	return sertel_err(SERTEL_EINVAL, "time '%s': expected YYYY-MM-DD[THH:MM:SS[Z]]",
	                  s);
}

int64_t
time_now(void)
{
	return (int64_t)time(NULL);
}

int64_t
time_now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int
rand_bytes(unsigned char *out, size_t n)
{
	if (RAND_bytes(out, (int)n) != 1)
		return sertel_err_ossl(SERTEL_ECRYPTO, "random: CSPRNG failed");
	return 0;
}

int
rand_hex(char *out, size_t n)
{
	unsigned char r[32];
	int rc;

	if (n > sizeof(r))
		return sertel_err(SERTEL_EINVAL, "rand_hex: %zu bytes is over %zu", n,
		                  sizeof(r));
	if ((rc = rand_bytes(r, n)) < 0)
		return rc;
	hex_encode(out, r, n);
	return 0;
}

void
sha256(unsigned char out[32], const void *data, size_t n)
{
	unsigned int len = 32;

	EVP_Digest(data, n, out, &len, EVP_sha256(), NULL);
}

void
sha256_hex(char out[65], const void *data, size_t n)
{
	unsigned char md[32];

	sha256(md, data, n);
	hex_encode(out, md, 32);
}

int
ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int
str_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (dstsz == 0)
		return SERTEL_ETOOBIG;
	if (n >= dstsz) {
		memcpy(dst, src, dstsz - 1);
		dst[dstsz - 1] = '\0';
		return sertel_err(SERTEL_ETOOBIG, "string too long (%zu bytes)", n);
	}
	memcpy(dst, src, n + 1);
	return 0;
}

void
secure_wipe(void *p, size_t n)
{
	if (p != NULL)
		OPENSSL_cleanse(p, n);
}

int
file_read(unsigned char **out, size_t *outlen, const char *path, size_t max)
{
	struct buf b;
	unsigned char tmp[65536];
	ssize_t n;
	int fd, rc = 0;

	*out = NULL;
	*outlen = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	buf_init(&b, max);
	while ((n = read(fd, tmp, sizeof(tmp))) > 0) {
		if ((rc = buf_append(&b, tmp, (size_t)n)) < 0) {
			rc = sertel_err(SERTEL_ETOOBIG, "%s: larger than %zu bytes", path,
			                max);
			break;
		}
	}
	if (n < 0 && rc == 0)
		rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	close(fd);
	if (rc == 0 && (rc = buf_cstr(&b)) == 0) {
		*out = buf_detach(&b, outlen);
		return 0;
	}
	buf_free(&b);
	return rc;
}

int
file_write(const char *path, const void *data, size_t len, int mode)
{
	char tmp[4096];
	struct stat sb;
	int fd, rc = 0;
	const unsigned char *p = data;
	ssize_t n;
	int special;

	/*
	 * A device or a pipe (/dev/stdout, /dev/null, a FIFO) is written in
	 * place: the temp-file-and-rename dance would replace the device node
	 * with a regular file.
	 */
	special = stat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
	if (special) {
		if (S_ISDIR(sb.st_mode))
			return sertel_err(SERTEL_EINVAL, "%s: is a directory", path);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	} else {
		if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
		    (int)sizeof(tmp))
			return sertel_err(SERTEL_EINVAL, "%s: path too long", path);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd < 0)
			return sertel_err(SERTEL_EIO, "%s: %s", tmp, strerror(errno));
	}
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (special) {
		close(fd);
		return rc;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	return rc;
}
