/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Core: bounded buffers, encodings, strict parsing, time, secrets.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "core/core.h"

static void
buf_enforces_its_maximum(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "12345678", 8), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_append(&b, "9", 1), SERTEL_ETOOBIG);
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_appendf(&b, "%d", 1), SERTEL_ETOOBIG);
	buf_free(&b);
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_appendf(&b, "%04d", i), 0);
	assert_int_equal(b.len, 4000);
	assert_memory_equal(b.data + 3996, "0999", 4);
	buf_free(&b);
}

static void
hex_round_trip_and_rejects_bad_digits(void **state)
{
	unsigned char in[4] = {0x00, 0x1a, 0xff, 0x80}, out[4];
	char hex[9];

	hex_encode(hex, in, 4);
	assert_string_equal(hex, "001aff80");
	assert_int_equal(hex_decode(out, sizeof(out), hex), 4);
	assert_memory_equal(in, out, 4);
	assert_true(hex_decode(out, sizeof(out), "0g") < 0);
	assert_true(hex_decode(out, sizeof(out), "abc") < 0);
	assert_true(hex_decode(out, 1, "abcd") < 0);
	/* sertel's own identifiers: lowercase hex only, of the exact length. */
	assert_int_equal(hex_lower_run("0a9f", 4), 1);
	assert_int_equal(hex_lower_run("0a9f/rest", 4), 1);
	assert_int_equal(hex_lower_run("0A9f", 4), 0);
	assert_int_equal(hex_lower_run("0a9g", 4), 0);
	assert_int_equal(hex_lower_run("", 0), 0);
	assert_int_equal(hex_id_valid("00ff00ff00ff00ff", 16), 1);
	assert_int_equal(hex_id_valid("00ff00ff00ff00f", 16), 0);
	assert_int_equal(hex_id_valid("00ff00ff00ff00ff0", 16), 0);
	assert_int_equal(hex_id_valid("00ff00ff00ff00fF", 16), 0);
	assert_int_equal(hex_id_valid(NULL, 16), 0);
}

static void
base64_both_alphabets(void **state)
{
	const unsigned char data[] = {0xfb, 0xff, 0xfe, 'a', 'b'};
	unsigned char *dec = NULL;
	size_t n;
	char *s = NULL;

	assert_int_equal(b64_encode(&s, data, sizeof(data), 0), 0);
	assert_string_equal(s, "+//+YWI=");
	assert_int_equal(b64_decode(&dec, &n, s, strlen(s), 0), 0);
	assert_int_equal(n, sizeof(data));
	assert_memory_equal(dec, data, n);
	free(s);
	free(dec);
	assert_int_equal(b64_encode(&s, data, sizeof(data), 1), 0);
	assert_string_equal(s, "-__-YWI");
	assert_int_equal(b64_decode(&dec, &n, s, strlen(s), 1), 0);
	assert_memory_equal(dec, data, sizeof(data));
	free(s);
	free(dec);
	assert_true(b64_decode(&dec, &n, "abc", 3, 0) < 0);
	assert_true(b64_decode(&dec, &n, "a!==", 4, 0) < 0);
}

static void
parse_ll_is_strict(void **state)
{
	long long v;

	assert_int_equal(parse_ll(&v, "42", 0, 100), 0);
	assert_int_equal(v, 42);
	assert_true(parse_ll(&v, "42x", 0, 100) < 0);
	assert_true(parse_ll(&v, "", 0, 100) < 0);
	assert_true(parse_ll(&v, "101", 0, 100) < 0);
	assert_true(parse_ll(&v, "-1", 0, 100) < 0);
	assert_true(parse_ll(&v, "99999999999999999999999", 0, 100) < 0);
}

static void
time_parse_and_format(void **state)
{
	int64_t t;
	char s[32];

	assert_int_equal(time_parse(&t, "2026-01-02T03:04:05Z"), 0);
	assert_int_equal(t, 1767323045);
	time_fmt(s, t);
	assert_string_equal(s, "2026-01-02T03:04:05Z");
	assert_int_equal(time_parse(&t, "2026-01-02"), 0);
	assert_int_equal(t, 1767312000);
	assert_int_equal(time_parse(&t, "@86400"), 0);
	assert_int_equal(t, 86400);
	assert_true(time_parse(&t, "yesterday") < 0);
	assert_true(time_parse(&t, "2026-01-02T03:04:05Zjunk") < 0);
}

static void
str_copy_refuses_truncation(void **state)
{
	char small[4];

	assert_int_equal(str_copy(small, sizeof(small), "abc"), 0);
	assert_string_equal(small, "abc");
	assert_int_equal(str_copy(small, sizeof(small), "abcd"), SERTEL_ETOOBIG);
	assert_string_equal(small, "abc");
}

static void
errors_carry_one_line(void **state)
{
	assert_int_equal(sertel_err(SERTEL_EINVAL, "cert %s: %s", "0x1", "bad"),
	                 SERTEL_EINVAL);
	assert_string_equal(sertel_errmsg(), "cert 0x1: bad");
	assert_string_equal(sertel_errname(SERTEL_EPERM), "forbidden");
}

static void
secret_file_is_private_and_derivation_separates_labels(void **state)
{
	char dir[] = "/tmp/sertel-secret-XXXXXX", path[64];
	unsigned char m1[SECRET_LEN], m2[SECRET_LEN], a[32], b[32], c[32];
	struct stat st;

	unsetenv("SERTEL_MASTER_PASSPHRASE");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(secret_create(dir), 0);
	snprintf(path, sizeof(path), "%s/master.key", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A second create must not overwrite the first. */
	assert_true(secret_create(dir) < 0);
	assert_int_equal(secret_load(m1, dir), 0);
	assert_int_equal(secret_load(m2, dir), 0);
	assert_memory_equal(m1, m2, SECRET_LEN);
	assert_int_equal(secret_derive(a, 32, m1, "one"), 0);
	assert_int_equal(secret_derive(b, 32, m1, "two"), 0);
	assert_int_equal(secret_derive(c, 32, m1, "one"), 0);
	assert_memory_not_equal(a, b, 32);
	assert_memory_equal(a, c, 32);
	/* A group- or world-readable file is refused. */
	chmod(path, 0644);
	assert_int_equal(secret_load(m2, dir), SERTEL_EPERM);
	unlink(path);
	rmdir(dir);
}

static void
secret_from_passphrase_is_deterministic(void **state)
{
	unsigned char m1[SECRET_LEN], m2[SECRET_LEN];

	setenv("SERTEL_MASTER_PASSPHRASE", "correct horse battery staple", 1);
	assert_int_equal(secret_load(m1, "/nonexistent"), 0);
	assert_int_equal(secret_load(m2, "/nonexistent"), 0);
	assert_memory_equal(m1, m2, SECRET_LEN);
	setenv("SERTEL_MASTER_PASSPHRASE", "short", 1);
	assert_int_equal(secret_load(m1, "/nonexistent"), SERTEL_EINVAL);
	unsetenv("SERTEL_MASTER_PASSPHRASE");
}

static void
file_read_is_bounded(void **state)
{
	char path[] = "/tmp/sertel-file-XXXXXX";
	unsigned char *data = NULL;
	size_t n;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(file_read(&data, &n, path, 10), 0);
	assert_int_equal(n, 10);
	free(data);
	assert_int_equal(file_read(&data, &n, path, 9), SERTEL_ETOOBIG);
	assert_null(data);
	unlink(path);
	assert_int_equal(file_read(&data, &n, path, 9), SERTEL_EIO);
}

/* A device or FIFO named as the output is written in place, never
 * replaced by a regular file (a root user's "--out /dev/null" once turned
 * /dev/null into a file). */
static void
file_write_keeps_a_fifo_a_fifo(void **state)
{
	char dir[] = "/tmp/sertel-fifo-XXXXXX";
	char path[64], got[8] = {0};
	struct stat sb;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* Our own read end (O_RDWR never blocks on Linux), so the writer's
	 * open does not wait and the bytes stay in the pipe buffer. */
	fd = open(path, O_RDWR | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(file_write(path, "fifo", 4, 0600), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISFIFO(sb.st_mode));
	assert_int_equal(read(fd, got, sizeof(got)), 4);
	assert_memory_equal(got, "fifo", 4);
	close(fd);
	unlink(path);
	/* A directory is refused, not replaced. */
	assert_int_equal(file_write(dir, "x", 1, 0600), SERTEL_EINVAL);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf_enforces_its_maximum),
	    cmocka_unit_test(hex_round_trip_and_rejects_bad_digits),
	    cmocka_unit_test(base64_both_alphabets),
	    cmocka_unit_test(parse_ll_is_strict),
	    cmocka_unit_test(time_parse_and_format),
	    cmocka_unit_test(str_copy_refuses_truncation),
	    cmocka_unit_test(errors_carry_one_line),
	    cmocka_unit_test(secret_file_is_private_and_derivation_separates_labels),
	    cmocka_unit_test(secret_from_passphrase_is_deterministic),
	    cmocka_unit_test(file_read_is_bounded),
	    cmocka_unit_test(file_write_keeps_a_fifo_a_fifo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
