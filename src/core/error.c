/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thread-local error messages.  A failing function records what broke and
 * returns a negative code; the caller decides how to present it.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "core/core.h"

static _Thread_local char errmsg[512];

int
sertel_err(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return code;
}

int
sertel_err_ossl(int code, const char *fmt, ...)
{
	va_list ap;
	unsigned long e;
	size_t len;
	char ebuf[256];

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	/* The first error is the root cause; later ones are context. */
	e = ERR_peek_error();
	if (e != 0) {
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
		len = strlen(errmsg);
		snprintf(errmsg + len, sizeof(errmsg) - len, " (%s)", ebuf);
	}
	ERR_clear_error();
	return code;
}

const char *
sertel_errmsg(void)
{
	return errmsg;
}

void
sertel_err_clear(void)
{
	errmsg[0] = '\0';
}

const char *
sertel_errname(int code)
{
	switch (code) {
	case SERTEL_OK: return "ok";
	case SERTEL_EINVAL: return "invalid input";
	case SERTEL_ENOTFOUND: return "not found";
	case SERTEL_EEXISTS: return "already exists";
	case SERTEL_ESTORE: return "store error";
	case SERTEL_ECRYPTO: return "crypto error";
	case SERTEL_EIO: return "i/o error";
	case SERTEL_EPERM: return "forbidden";
	case SERTEL_ENOMEM: return "out of memory";
	case SERTEL_EAUTH: return "unauthorized";
	case SERTEL_ESTATE: return "illegal state";
	case SERTEL_ETOOBIG: return "too large";
	case SERTEL_EINVALID: return "not valid";
	default: return "error";
	}
}
