/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The server's side of the previews (render.h): each call spawns
 * `sertel render-page` with the PDF on its stdin (a sealed memfd, so no
 * writer can block on a child that stops reading) and its answer on a
 * pipe.  The child limits itself (cmd_render.c); here the wall clock and
 * the answer's size are bounded, and the child is always reaped, killed
 * first when it is over a limit, so no zombie stays behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "render/render.h"

/* The child's environment: none of the server's (database URLs, tokens),
 * only what poppler and fontconfig read, and a sanitizer build's options. */
static void
child_env(char **env, char store[][1024], size_t max)
{
	static const char *const keep[] = {"FONTCONFIG_FILE", "FONTCONFIG_PATH",
	                                   "ASAN_OPTIONS", "UBSAN_OPTIONS",
	                                   "LSAN_OPTIONS"};
	size_t n = 0, i;
	const char *v;

	env[n++] = (char *)"PATH=/usr/bin:/bin";
	env[n++] = (char *)"LANG=C.UTF-8";
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]) && n + 1 < max; i++)
		if ((v = getenv(keep[i])) != NULL &&
		    (size_t)snprintf(store[n], sizeof(store[n]), "%s=%s", keep[i], v) <
		        sizeof(store[n])) {
			env[n] = store[n];
			n++;
		}
	env[n] = NULL;
}

#define INFO_MAX (64 * 1024) /* the page list's text */

static _Thread_local const char *reason;
static _Thread_local int reason_seconds;

const char *
render_reason(int *seconds)
{
	if (seconds != NULL)
		*seconds = reason_seconds;
	return reason != NULL ? reason : "render.why.unknown";
}

static int fail(int rc, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The page's reason (why: a message key) and the log's line (fmt). */
static int
fail(int rc, const char *why, const char *fmt, ...)
{
	char line[300];
	va_list ap;

	reason = why;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return sertel_err(rc, "preview: %s", line);
}

void
render_limits_load(struct render_limits *out, const struct config *cfg)
{
	const char *bin = cfg != NULL ? config_get(cfg, "render", "binary", "") : "";
	long long v;

	memset(out, 0, sizeof(*out));
	v = cfg != NULL ? config_get_int(cfg, "render", "cpu_seconds", 5) : 5;
	out->cpu_seconds = v >= 1 && v <= 300 ? (int)v : 5;
	v = cfg != NULL ? config_get_int(cfg, "render", "memory_mb", 512) : 512;
	out->memory_mb = v >= 64 && v <= 16384 ? (int)v : 512;
	v = cfg != NULL ? config_get_int(cfg, "render", "wall_seconds", 10) : 10;
	out->wall_seconds = v >= 1 && v <= 600 ? (int)v : 10;
	v = cfg != NULL ? config_get_int(cfg, "render", "max_png_kb", 8192) : 8192;
	out->max_png = (size_t)(v >= 64 && v <= 65536 ? v : 8192) * 1024;
	str_copy(out->binary, sizeof(out->binary), bin != NULL ? bin : "");
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The PDF as a sealed in-memory file: the child's stdin. */
static int
input_fd(const unsigned char *pdf, size_t len)
{
	size_t off = 0;
	ssize_t w;
	int fd = memfd_create("sertel-render", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	while (off < len) {
		if ((w = write(fd, pdf + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0 ||
	    fcntl(fd, F_ADD_SEALS,
	          F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Runs the child with args (after "render-page") on pdf; its stdout into
 * out (at most max bytes).  The child is reaped on every path. */
static int
child_run(struct buf *out, size_t max, const char *const *args, size_t nargs,
          const unsigned char *pdf, size_t len, const struct render_limits *l, int page)
{
	posix_spawn_file_actions_t fa;
	char cpu[16], mem[16], *argv[16], *env[8], envs[8][1024];
	char chunk[16384], err[256];
	const char *bin = l->binary[0] ? l->binary : "/proc/self/exe";
	int in = -1, po[2] = {-1, -1}, pe[2] = {-1, -1}, fa_ok = 0, status = 0;
	int killed = 0, overflow = 0, rc = 0;
	size_t na = 0, errlen = 0, i;
	pid_t pid = -1;
	int64_t deadline = mono_ms() + (int64_t)l->wall_seconds * 1000;

	err[0] = '\0';
	snprintf(cpu, sizeof(cpu), "%d", l->cpu_seconds);
	snprintf(mem, sizeof(mem), "%d", l->memory_mb);
	argv[na++] = (char *)"sertel";
	argv[na++] = (char *)"render-page";
	argv[na++] = (char *)"--cpu";
	argv[na++] = cpu;
	argv[na++] = (char *)"--memory";
	argv[na++] = mem;
	for (i = 0; i < nargs && na < 15; i++)
		argv[na++] = (char *)args[i];
	argv[na] = NULL;
	child_env(env, envs, sizeof(env) / sizeof(env[0]));
	if ((in = input_fd(pdf, len)) < 0 || pipe2(po, O_CLOEXEC) < 0 ||
	    pipe2(pe, O_CLOEXEC) < 0) {
		rc = fail(SERTEL_EIO, "render.why.spawn", "no pipe: %s", strerror(errno));
		goto out;
	}
	/* dup2 onto 0..2 clears close-on-exec there; everything else the
	 * server holds is close-on-exec, and the child closes what is not. */
	if (posix_spawn_file_actions_init(&fa) != 0) {
		rc = fail(SERTEL_EIO, "render.why.spawn", "spawn actions");
		goto out;
	}
	fa_ok = 1;
	if (posix_spawn_file_actions_adddup2(&fa, in, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, po[1], 1) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, pe[1], 2) != 0 ||
	    (errno = posix_spawn(&pid, bin, &fa, NULL, argv, env)) != 0) {
		pid = -1;
		rc = fail(SERTEL_EIO, "render.why.spawn", "spawn %s: %s", bin,
		          strerror(errno));
		goto out;
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	/* Read both pipes until the child closes them or a limit is hit. */
	while (po[0] >= 0 || pe[0] >= 0) {
		struct pollfd pf[2];
		int64_t left = deadline - mono_ms();
		int np = 0, k;

		if (left <= 0) {
			killed = 1;
			break;
		}
		if (po[0] >= 0)
			pf[np++] = (struct pollfd){.fd = po[0], .events = POLLIN};
		if (pe[0] >= 0)
			pf[np++] = (struct pollfd){.fd = pe[0], .events = POLLIN};
		k = poll(pf, (nfds_t)np, (int)(left > 1000 ? 1000 : left));
		if (k < 0 && errno != EINTR) {
			killed = 1;
			break;
		}
		for (i = 0; k > 0 && i < (size_t)np; i++) {
			ssize_t r;

			if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(pf[i].fd, chunk, sizeof(chunk));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(pf[i].fd);
				if (pf[i].fd == po[0])
					po[0] = -1;
				else
					pe[0] = -1;
				continue;
			}
			if (pf[i].fd == pe[0]) {
				size_t c = (size_t)r < sizeof(err) - 1 - errlen
				               ? (size_t)r
				               : sizeof(err) - 1 - errlen;
				memcpy(err + errlen, chunk, c);
				errlen += c;
				err[errlen] = '\0';
			} else if (out->len + (size_t)r > max ||
			           buf_append(out, chunk, (size_t)r) < 0) {
				overflow = 1;
			}
		}
		if (overflow)
			break;
	}
	if (killed || overflow)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pid = -1;
	err[strcspn(err, "\n")] = '\0';
	if (killed) {
		rc = fail(SERTEL_ETOOBIG, "render.why.time",
		          "page %d: killed after %d s (wall clock)", page + 1,
		          l->wall_seconds);
		reason_seconds = l->wall_seconds;
	} else if (overflow) {
		rc = fail(SERTEL_ETOOBIG, "render.why.size",
		          "page %d: output over %zu bytes", page + 1, max);
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		/* SIGXCPU at the soft CPU limit, SIGKILL at the hard one; any
		 * other signal is a limit poppler ran into (an allocation
		 * refused by RLIMIT_AS aborts in glib). */
		rc = fail(SERTEL_ETOOBIG,
		          sig == SIGXCPU || sig == SIGKILL ? "render.why.time"
		                                           : "render.why.limit",
		          "page %d: child killed by signal %d", page + 1, sig);
		reason_seconds = l->cpu_seconds;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = fail(SERTEL_EINVAL, "render.why.unreadable",
		          "page %d: child exit %d: %s", page + 1,
		          WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		          err[0] ? err : "no message");
	}
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (in >= 0)
		close(in);
	for (i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return rc;
}

static int
parse_int(const char **p, long lo, long hi, long *v)
{
	char *end;

	*v = strtol(*p, &end, 10);
	if (end == *p || *v < lo || *v > hi)
		return -1;
	*p = end;
	return 0;
}

static int
parse_double(const char **p, double *v)
{
	char *end;

	*v = strtod(*p, &end);
	if (end == *p || !(*v > 0 && *v < 1e6))
		return -1;
	*p = end;
	return 0;
}

int
render_doc_info(int *n, struct render_page *pages, int maxpages, const unsigned char *pdf,
                size_t len, const struct render_limits *l)
{
	struct buf b;
	char maxs[16];
	const char *args[] = {"--info", maxs};
	const char *p;
	long v;
	int i, rc;

	*n = 0;
	reason = NULL;
	reason_seconds = 0;
	if (maxpages > RENDER_MAX_PAGES)
		maxpages = RENDER_MAX_PAGES;
	if (maxpages < 0)
		maxpages = 0;
	snprintf(maxs, sizeof(maxs), "%d", maxpages);
	buf_init(&b, INFO_MAX);
	if ((rc = child_run(&b, INFO_MAX, args, 2, pdf, len, l, 0)) < 0)
		goto out;
	if ((rc = buf_cstr(&b)) < 0)
		goto out;
	/* "N\n" then "w_pt h_pt w_px h_px\n" per page. */
	p = (const char *)b.data;
	if (parse_int(&p, 1, 1000000, &v) < 0)
		goto bad;
	*n = (int)v;
	for (i = 0; i < *n && i < maxpages; i++) {
		long w, h;

		if (parse_double(&p, &pages[i].w_pt) < 0 ||
		    parse_double(&p, &pages[i].h_pt) < 0 ||
		    parse_int(&p, 1, RENDER_MAX_PIXELS, &w) < 0 ||
		    parse_int(&p, 1, RENDER_MAX_PIXELS, &h) < 0)
			goto bad;
		pages[i].w_px = (int)w;
		pages[i].h_px = (int)h;
	}
	rc = 0;
	goto out;
bad:
	*n = 0;
	rc = fail(SERTEL_EINVAL, "render.why.unreadable", "child answer malformed");
out:
	buf_free(&b);
	return rc;
}

int
render_page_png(unsigned char **png, size_t *len, const unsigned char *pdf, size_t pdflen,
                int page, int max_px, const struct render_limits *l)
{
	struct buf b;
	char ps[16], px[16];
	const char *args[] = {"--page", ps, "--max-px", px};
	int rc;

	*png = NULL;
	*len = 0;
	reason = NULL;
	reason_seconds = 0;
	if (max_px <= 0 || max_px > RENDER_MAX_PIXELS)
		max_px = RENDER_MAX_PIXELS;
	snprintf(ps, sizeof(ps), "%d", page);
	snprintf(px, sizeof(px), "%d", max_px);
	buf_init(&b, l->max_png);
	if ((rc = child_run(&b, l->max_png, args, 4, pdf, pdflen, l, page)) < 0)
		goto out;
	if (b.len < 8 || memcmp(b.data, "\x89PNG\r\n\x1a\n", 8) != 0) {
		rc = fail(SERTEL_EINVAL, "render.why.unreadable",
		          "page %d: the child's answer is not a PNG", page + 1);
		goto out;
	}
	*png = buf_detach(&b, len);
out:
	buf_free(&b);
	return rc;
}
