/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel web: the HTML layer.  Templates are files under web/ (kept out of
 * C so that a page can be read and changed without reading code), parsed
 * once at start-up and rendered against a JSON value (jansson) with every
 * value HTML-escaped: there is no way to write an unescaped value from a
 * template, so a name, a reason or a file name typed by a user can never
 * become markup.  Messages a user reads come from the catalogues under
 * web/i18n/ (Bahasa Indonesia first, English as the switch).
 *
 * Template syntax (a small, strict subset of Mustache):
 *   {{a.b}}          the value at path a.b, escaped; null or absent: nothing
 *   {{#a}}..{{/a}}   a section: once per element of an array (the element
 *                    becomes the context), once with an object as context,
 *                    once for true / a non-empty string / a non-zero number,
 *                    never for false, null, absent, "" , 0 or []
 *   {{^a}}..{{/a}}   the inverse: only when {{#a}} would render nothing
 *   {{.}}            the current context itself (inside a section)
 *   {{> name}}       another template, same context (at most 16 deep)
 *   {{_ key}}        the message KEY in the page's language; "{name}" in
 *                    the message is replaced by the escaped value at path
 *                    name in the context
 *   {{! ...}}        a comment
 * A name is looked up in the innermost context first, then outwards.
 * Unknown tags, unbalanced sections and unknown message keys are errors at
 * load time (file:line), never at render time.
 */
#ifndef SERTEL_WEB_H
#define SERTEL_WEB_H

#include <jansson.h>

#include "core/core.h"

#define WEB_TMPL_MAX_FILE  (256 * 1024)      /* one template file */
#define WEB_TMPL_MAX_OUT   (8 * 1024 * 1024) /* one rendered page */
#define WEB_TMPL_MAX_DEPTH 16                /* nested partials and sections */

/* ---- message catalogues ---------------------------------------------------- */
struct web_i18n;

/* The languages sertel speaks; the first is the default. */
#define WEB_LANG_ID 0
#define WEB_LANG_EN 1
#define WEB_NLANGS  2
/* "id" or "en" (borrowed). */
const char *web_lang_code(int lang);
/* The language named by code ("id", "en", "en-US", ...), or -1. */
int web_lang_parse(const char *code);

/*
 * Loads DIR/id.txt and DIR/en.txt ("key = text" lines, '#' comments).
 * Every key must be in both files: a message missing in one language is
 * a load error, so no page ever shows a bare key.  *out is the caller's
 * (web_i18n_free()).
 */
int web_i18n_load(struct web_i18n **out, const char *dir);
void web_i18n_free(struct web_i18n *c);
/* The message (borrowed) or NULL when the key is unknown. */
const char *web_i18n_get(const struct web_i18n *c, int lang, const char *key);

/* ---- templates -------------------------------------------------------------- */
struct web_tmpl_set;

/*
 * Parses every *.html file in DIR (not recursive) as a template named by
 * its file name without ".html".  Every {{_ key}} must name a message of
 * cat, and every {{> name}} a template of the set.  *out is the caller's.
 */
int web_tmpl_load(struct web_tmpl_set **out, const char *dir, const struct web_i18n *cat);
void web_tmpl_free(struct web_tmpl_set *set);
/* 1 when the set has a template of that name. */
int web_tmpl_has(const struct web_tmpl_set *set, const char *name);

/*
 * Renders template name against ctx in language lang, appending to out
 * (whose max bounds the page).  SERTEL_ENOTFOUND for an unknown template,
 * SERTEL_ETOOBIG when the page would exceed out->max.
 */
int web_render(struct buf *out, const struct web_tmpl_set *set, const char *name,
               json_t *ctx, int lang);

/* ---- forms (application/x-www-form-urlencoded) ------------------------------ */
#define WEB_FORM_MAX_FIELDS 64
#define WEB_FORM_MAX_VALUE  (64 * 1024)

struct web_form {
	int n;
	char *name[WEB_FORM_MAX_FIELDS];
	char *value[WEB_FORM_MAX_FIELDS];
};

/*
 * Parses a urlencoded body (or a query string) into out: '+' is a space,
 * %XX a byte.  Refused (SERTEL_EINVAL, a message naming the field): a
 * malformed escape, a NUL byte or invalid UTF-8 in a name or value, a
 * field given twice, more than WEB_FORM_MAX_FIELDS fields or a value over
 * WEB_FORM_MAX_VALUE bytes.  out is the caller's (web_form_free()).
 */
int web_form_parse(struct web_form *out, const char *s, size_t len);
void web_form_free(struct web_form *f);
/* The value of a field (borrowed) or NULL. */
const char *web_form_get(const struct web_form *f, const char *name);

/* Appends s percent-encoded for a query string (unreserved characters as
 * they are). */
int web_url_encode(struct buf *out, const char *s);

/* Appends s[0..n) HTML-escaped (& < > " ' ` =). */
int web_escape(struct buf *out, const char *s, size_t n);

#endif
