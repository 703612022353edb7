/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the owner's pages (web_portal_owner.c) and the head of agency's
 * (web_portal_agency.c) share: a revocation form offering one party's
 * causes, each in words, and its confirmation step.  The causes and who
 * may invoke them are ra_revoke's; these only show them.
 */
#ifndef SERTEL_HTTP_WEB_PORTAL_OWNER_H
#define SERTEL_HTTP_WEB_PORTAL_OWNER_H

#include "http/web_portal.h"

/* 1 when cause is one of causes[0..n). */
int wp_cause_in(const char *const *causes, size_t n, const char *cause);
/* The form's fields (template partial owner-causes): causes as
 * {value, label, about, checked} from the messages cause.NAME and
 * cause.about.NAME, the reason typed so far, and error when not NULL. */
void wp_cause_form(struct page *pg, const char *const *causes, size_t n,
                   const char *error);
/* The confirmation's fields (partials owner-confirm, owner-confirm-fields): the cause in
 * words and the reason, carried to the final POST with yakin=1. */
void wp_cause_confirm(struct page *pg, const char *cause, const char *why);
/* Wipes every value of the posted form and the raw body (passphrases). */
void wp_form_wipe(struct page *pg);
/* An esign call's failure as a page shows it (its Bahasa Indonesia line;
 * a refused input with the rule broken). */
struct esign_error;
const char *wp_esign_msg(char *out, size_t outsz, const struct esign_error *e);

#endif
