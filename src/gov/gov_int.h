/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the governance areas share inside src/gov (not part of gov.h).
 */
#ifndef SERTEL_GOV_INT_H
#define SERTEL_GOV_INT_H

#include <stddef.h>

#include "mail/mail.h"
#include "store/store.h"

/* A user's text: at most max bytes of UTF-8 without control characters
 * other than TAB, CR and LF; NULL or "" is refused only when required.
 * what names the field in the message. */
int gov_text_check(const char *what, const char *s, size_t max, int required);

/* Reads the one row sql selects with key bound to its first nbind
 * parameters into out (outsz bytes, cleared first; key may point into
 * out): row() fills it.  SERTEL_ENOTFOUND "WHAT KEY: MISSING" when there
 * is none. */
struct db_stmt;
typedef void (*gov_row_fn)(void *out, struct db_stmt *s);
int gov_row_get(void *out, size_t outsz, struct store *st, const char *sql,
                const char *key, int nbind, gov_row_fn row, const char *what,
                const char *missing);

#endif
