/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel core: errors, bounded buffers, configuration, logging, small
 * utilities and the instance master secret.  Every other subsystem builds
 * on this header only.
 */
#ifndef SERTEL_CORE_H
#define SERTEL_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- errors ------------------------------------------------------------
 * Library code returns 0 or a negative SERTEL_E* code and records a
 * one-line message saying which object broke which rule.  The message is
 * thread-local; callers print it, never parse it.
 */
enum {
	SERTEL_OK = 0,
	SERTEL_EINVAL = -1, /* bad input from a user or peer */
	SERTEL_ENOTFOUND = -2,
	SERTEL_EEXISTS = -3,
	SERTEL_ESTORE = -4,  /* database failure */
	SERTEL_ECRYPTO = -5, /* OpenSSL failure that is not bad input */
	SERTEL_EIO = -6,
	SERTEL_EPERM = -7, /* authenticated but not allowed */
	SERTEL_ENOMEM = -8,
	SERTEL_EAUTH = -9,    /* not authenticated */
	SERTEL_ESTATE = -10,  /* illegal state transition */
	SERTEL_ETOOBIG = -11, /* input over its size limit */
	SERTEL_EINVALID = -12 /* verification says "not valid" (not an error) */
};

/* Records a message for the current thread and returns code. */
int sertel_err(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* As sertel_err, appending the first OpenSSL error and clearing the queue. */
int sertel_err_ossl(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The current thread's last message (borrowed, never NULL). */
const char *sertel_errmsg(void);
void sertel_err_clear(void);
/* Short name of a code, e.g. "invalid input". */
const char *sertel_errname(int code);

/* ---- bounded growable buffer (curl DYNBUF style) ----------------------- */
struct buf {
	unsigned char *data;
	size_t len;
	size_t cap;
	size_t max; /* hard limit; appends beyond it fail with SERTEL_ETOOBIG */
};

void buf_init(struct buf *b, size_t max);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_appendf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_putc(struct buf *b, unsigned char c);
/* NUL-terminates without counting the NUL in len. */
int buf_cstr(struct buf *b);
void buf_reset(struct buf *b);
/* Wipes and frees. */
void buf_free(struct buf *b);
/* Moves the contents out; the caller owns *out and frees it with free(). */
unsigned char *buf_detach(struct buf *b, size_t *len);

/* ---- files ------------------------------------------------------------- */
/* Reads at most max bytes; larger files fail with SERTEL_ETOOBIG.
 * *out is owned by the caller (NUL-terminated for convenience). */
int file_read(unsigned char **out, size_t *outlen, const char *path, size_t max);
/* Writes atomically (temp file + rename) with the given mode. */
int file_write(const char *path, const void *data, size_t len, int mode);

/* ---- configuration (sertel.conf, ini) ---------------------------------- */
struct config;
int config_load(struct config **out, const char *path);
void config_free(struct config *c);
/* The directory of the file config_load() read (paths in it are relative
 * to it); NULL when unknown.  Borrowed. */
const char *config_dir(const struct config *c);
/* Borrowed; def when the key is absent. */
const char *config_get(const struct config *c, const char *section, const char *key,
                       const char *def);
long long config_get_int(const struct config *c, const char *section, const char *key,
                         long long def);
/* The instance's zone for every local time it shows ([portal] time_zone:
 * WIB by default; time_zone_parse's names).  SERTEL_EINVAL naming the key. */
struct time_zone;
int config_time_zone(struct time_zone *out, const struct config *c);

/* ---- logging ----------------------------------------------------------- */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void log_set_level(enum log_level lvl);
void log_msg(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- utilities --------------------------------------------------------- */
/* Hex encoding into a caller buffer of 2*n+1 bytes. */
void hex_encode(char *out, const unsigned char *in, size_t n);
/* The value of one hex digit (either case), or -1. */
int hex_digit(int c);
/* Decodes exactly outmax bytes or fewer; returns length or <0. */
int hex_decode(unsigned char *out, size_t outmax, const char *hex);
/* The identifiers sertel makes (ids, serials, issuer ids) are lowercase
 * hex: 1 when p[0..n) is n > 0 such digits, else 0. */
int hex_lower_run(const char *p, size_t n);
/* 1 when s is exactly len lowercase hex digits (an id from a URL or a
 * form), else 0; s NULL: 0. */
int hex_id_valid(const char *s, size_t len);
/* Base64 (standard or url alphabet). *out owned by caller. */
int b64_encode(char **out, const unsigned char *in, size_t n, int url);
int b64_decode(unsigned char **out, size_t *outlen, const char *in, size_t inlen,
               int url);
/* Strict decimal parse of a whole string into [min,max]. */
int parse_ll(long long *out, const char *s, long long min, long long max);
/* Time: seconds since the epoch as RFC 3339 UTC ("2026-11-22T07:00:00Z"). */
void time_fmt(char out[32], int64_t t);
/* Parses RFC 3339 / "YYYY-MM-DD[ HH:MM:SS]" UTC, or "@<epoch>". */
int time_parse(int64_t *out, const char *s);
int64_t time_now(void);
/* Issue 11: the instance's zone, one setting ([portal] time_zone) for the
 * portal's pages and the signature box.  Indonesia has three zones and no
 * daylight saving (UU 10/2009 is silent; Keppres 41/1987 fixes them), so
 * an offset and a label are the whole of it. */
struct time_zone {
	char name[8]; /* "WIB", "WITA" or "WIT" */
	int offset;   /* seconds east of UTC */
};
/* s is WIB, WITA, WIT or their IANA names (Asia/Jakarta, Asia/Pontianak,
 * Asia/Makassar, Asia/Jayapura); NULL or "": WIB.  SERTEL_EINVAL else. */
int time_zone_parse(struct time_zone *out, const char *s);
/* The one local-time format: "7 Desember 2026 14.05 WITA" (with_time 0:
 * "7 Desember 2026"); months[12] are the month names of the reader's
 * language, hsep the hour/minute separator ('.' in Indonesian).  out is
 * "" when t is not a positive time or outsz is too small. */
void time_local_fmt(char *out, size_t outsz, int64_t t, const struct time_zone *tz,
                    const char *const months[12], int with_time, char hsep);
/* The month names for time_local_fmt: Bahasa Indonesia and English. */
extern const char *const time_months_id[12];
extern const char *const time_months_en[12];
/* Microseconds since the epoch, for audit ordering. */
int64_t time_now_us(void);
/* CSPRNG bytes from OpenSSL. */
int rand_bytes(unsigned char *out, size_t n);
/* A random identifier: n (at most 32) CSPRNG bytes as 2n hex digits in
 * out[2n + 1]. */
int rand_hex(char *out, size_t n);
/* SHA-256 of data into out[32]. */
void sha256(unsigned char out[32], const void *data, size_t n);
void sha256_hex(char out[65], const void *data, size_t n);
/* Constant-time comparison. */
int ct_equal(const void *a, const void *b, size_t n);
/* Bounded string copy; returns SERTEL_ETOOBIG on truncation. */
int str_copy(char *dst, size_t dstsz, const char *src);
/* Wipes secrets. */
void secure_wipe(void *p, size_t n);

/* ---- named bits: a set of flags written "a,b,c" (bits.c) ---------------- */
struct bit_name {
	const char *name;
	unsigned bit;
};
/* The names of the bits set in bits, in table order, comma-separated (cut
 * short to fit outsz). */
void bits_format(char *out, size_t outsz, unsigned bits, const struct bit_name *t,
                 size_t n);

/* ---- the instance master secret ----------------------------------------
 * 32 random bytes in DIR/master.key (mode 0600), or derived from
 * SERTEL_MASTER_PASSPHRASE when that is set.  Sub-keys for different
 * purposes are derived with HKDF-SHA256 and a label.
 */
#define SECRET_LEN 32
int secret_create(const char *dir);
int secret_load(unsigned char out[SECRET_LEN], const char *dir);
int secret_derive(unsigned char *out, size_t outlen,
                  const unsigned char master[SECRET_LEN], const char *label);

/* Hard limits shared across subsystems. */
#define SERTEL_MAX_CSR     (64 * 1024)
#define SERTEL_MAX_CERT    (64 * 1024)
#define SERTEL_MAX_REQUEST (1024 * 1024)
#define SERTEL_MAX_NAME    256

#endif
