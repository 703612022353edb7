/*
 * What the governance areas share inside src/gov (not part of gov.h).
 */
#ifndef SERTEL_GOV_INT_H
#define SERTEL_GOV_INT_H

#include <stddef.h>

#include "mail/mail.h"

/* A user's text: at most max bytes of UTF-8 without control characters
 * other than TAB, CR and LF; NULL or "" is refused only when required.
 * what names the field in the message. */
int gov_text_check(const char *what, const char *s, size_t max, int required);

#endif
