/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel render-page: the one place poppler runs (render.h).  Hidden (not
 * in --help): the server spawns it for every preview of the signing page.
 *
 *   sertel render-page --cpu S --memory MB --info MAXPAGES   < PDF
 *       "N\n" then "w_pt h_pt w_px h_px\n" for the first MAXPAGES pages
 *   sertel render-page --cpu S --memory MB --page P --max-px M < PDF
 *       page P (0-based) as a PNG on stdout
 *
 * The limits are set before the PDF is read, so nothing the file makes
 * poppler do escapes them: RLIMIT_CPU (SIGXCPU at S seconds, SIGKILL one
 * later), RLIMIT_AS, RLIMIT_FSIZE 0 (no file written: fontconfig's cache
 * writes fail instead of landing on disk), RLIMIT_NOFILE small, RLIMIT_CORE
 * 0.  Every descriptor but 0..2 is closed first: the server's sockets
 * and database never reach poppler.  Exit 0, 2 (bad input), 3 (a limit).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"
#include "render/render.h"

#define RENDER_INPUT_MAX   ((size_t)64 * 1024 * 1024) /* over any upload limit */
#define RENDER_NOFILE      16 /* 0..2, fonts fontconfig opens one at a time */
#define INFO_OUT_MAX       (64 * 1024)
#define RENDER_PNG_OUT_MAX ((size_t)16 * 1024 * 1024) /* the server bounds it lower */

static int
limit_set(int what, rlim_t soft, rlim_t hard)
{
	struct rlimit r = {.rlim_cur = soft, .rlim_max = hard};

	return setrlimit(what, &r);
}

static int
limits_apply(long cpu, long mem_mb)
{
	/* close_range: the server's descriptors (sockets, database, log)
	 * are not the child's business, close-on-exec or not. */
	if (close_range(3, ~0U, 0) < 0)
		return -1;
	/* A write over RLIMIT_FSIZE fails with EFBIG instead of killing. */
	signal(SIGXFSZ, SIG_IGN);
	if (limit_set(RLIMIT_CPU, (rlim_t)cpu, (rlim_t)cpu + 1) < 0 ||
	    limit_set(RLIMIT_FSIZE, 0, 0) < 0 || limit_set(RLIMIT_CORE, 0, 0) < 0 ||
	    limit_set(RLIMIT_NOFILE, RENDER_NOFILE, RENDER_NOFILE) < 0)
		return -1;
#if !defined(__SANITIZE_ADDRESS__)
	/* AddressSanitizer reserves terabytes of shadow address space: a
	 * sanitizer build of the child runs without the memory cap. */
	if (limit_set(RLIMIT_AS, (rlim_t)mem_mb * 1024 * 1024,
	              (rlim_t)mem_mb * 1024 * 1024) < 0)
		return -1;
#else
	(void)mem_mb;
#endif
	return 0;
}

static int
num(long *out, const char *s, long lo, long hi)
{
	char *end;

	if (s == NULL)
		return -1;
	errno = 0;
	*out = strtol(s, &end, 10);
	return end == s || *end != '\0' || errno != 0 || *out < lo || *out > hi ? -1 : 0;
}

static int
write_all(const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(1, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_input(struct buf *in)
{
	unsigned char chunk[65536];
	ssize_t r;

	for (;;) {
		if ((r = read(0, chunk, sizeof(chunk))) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 0;
		if (buf_append(in, chunk, (size_t)r) < 0)
			return -1;
	}
}

int
cmd_render(int argc, char **argv)
{
	const char *cpu_s = NULL, *mem_s = NULL, *info_s = NULL, *page_s = NULL,
	           *px_s = NULL;
	struct render_page pages[RENDER_MAX_PAGES];
	unsigned char *png = NULL;
	struct buf in, out;
	long cpu, mem, info = -1, page = 0, px = RENDER_MAX_PIXELS;
	size_t len = 0;
	int i, n = 0, rc = EXIT_ERROR;

	buf_init(&in, RENDER_INPUT_MAX);
	buf_init(&out, INFO_OUT_MAX);
	for (i = 1; i + 1 < argc; i += 2) {
		const char **to = strcmp(argv[i], "--cpu") == 0      ? &cpu_s
		                  : strcmp(argv[i], "--memory") == 0 ? &mem_s
		                  : strcmp(argv[i], "--info") == 0   ? &info_s
		                  : strcmp(argv[i], "--page") == 0   ? &page_s
		                  : strcmp(argv[i], "--max-px") == 0 ? &px_s
		                                                     : NULL;
		if (to == NULL)
			break;
		*to = argv[i + 1];
	}
	if (i != argc || num(&cpu, cpu_s, 1, 300) < 0 ||
	    num(&mem, mem_s, 64, 16384) < 0 ||
	    (info_s != NULL && num(&info, info_s, 0, RENDER_MAX_PAGES) < 0) ||
	    (page_s != NULL && num(&page, page_s, 0, RENDER_MAX_PAGES - 1) < 0) ||
	    (px_s != NULL && num(&px, px_s, 1, RENDER_MAX_PIXELS) < 0) ||
	    (info_s == NULL) == (page_s == NULL)) {
		rc =
		    cli_usage("usage: render-page --cpu S --memory MB (--info MAXPAGES | "
		              "--page P [--max-px M]) < PDF");
		goto out;
	}
	if (limits_apply(cpu, mem) < 0) {
		rc = cli_usage("render-page: limits not set: %s", strerror(errno));
		goto out;
	}
	if (read_input(&in) < 0) {
		rc = cli_usage("render-page: input unreadable or over %zu bytes",
		               RENDER_INPUT_MAX);
		goto out;
	}
	if (info >= 0) {
		if (render_draw_info(&n, pages, (int)info, in.data, in.len) < 0) {
			rc = cli_fail(SERTEL_EINVAL);
			goto out;
		}
		buf_appendf(&out, "%d\n", n);
		for (i = 0; i < n && i < info; i++)
			buf_appendf(&out, "%.3f %.3f %d %d\n", pages[i].w_pt,
			            pages[i].h_pt, pages[i].w_px, pages[i].h_px);
		rc = write_all(out.data, out.len) < 0 ? EXIT_ERROR : 0;
		goto out;
	}
	if (render_draw_png(&png, &len, in.data, in.len, (int)page, (int)px,
	                    RENDER_PNG_OUT_MAX) < 0) {
		rc = cli_fail(SERTEL_EINVAL);
		goto out;
	}
	rc = write_all(png, len) < 0 ? EXIT_ERROR : 0;
out:
	free(png);
	buf_free(&in);
	buf_free(&out);
	/* A throwaway process: nothing to tear down, and at-exit work
	 * (poppler's and fontconfig's caches, a sanitizer's leak report on
	 * them) is not this command's answer. */
	fflush(stderr);
	_exit(rc);
}
