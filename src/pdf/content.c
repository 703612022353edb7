/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Content stream scanner (ISO 32000-1 7.8.2, 8.9.7): operands followed by
 * an operator, inline images skipped as one "BI" operator.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

#define PDF_CS_ARENA (64UL * 1024 * 1024)

struct pdf_cs {
	struct arena arena;
	struct lex lx;
	const struct pdf_obj **ops;
	size_t nops;
	char op[64];
};

int
pdf_cs_open(struct pdf_cs **out, const unsigned char *data, size_t len)
{
	struct pdf_cs *cs;

	*out = NULL;
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	if ((cs->ops = calloc(PDF_MAX_OPERANDS, sizeof(*cs->ops))) == NULL) {
		free(cs);
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	}
	arena_init(&cs->arena, PDF_CS_ARENA);
	lex_init(&cs->lx, data, len, 0, &cs->arena);
	cs->lx.refs = 0;
	*out = cs;
	return 0;
}

void
pdf_cs_free(struct pdf_cs *cs)
{
	if (cs == NULL)
		return;
	arena_free(&cs->arena);
	free(cs->ops);
	free(cs);
}

/* 8.9.7: after "ID" and one white-space byte, binary data up to "EI"
 * standing alone between white space (or the end). */
static int
skip_inline_image(struct pdf_cs *cs, size_t bi)
{
	struct lex *lx = &cs->lx;
	struct tok t;
	size_t i;
	int rc;

	/* the image dictionary: key/value pairs up to ID */
	for (;;) {
		if ((rc = lex_next(&t, lx)) < 0)
			return rc;
		if (t.type == TOK_EOF)
			return sertel_err(SERTEL_EINVAL,
			                  "content: offset %zu: inline image without ID",
			                  bi);
		if (tok_is_kw(lx, &t, "ID"))
			break;
		if (t.type == TOK_KW && !tok_is_kw(lx, &t, "true") &&
		    !tok_is_kw(lx, &t, "false") && !tok_is_kw(lx, &t, "null"))
			return sertel_err(
			    SERTEL_EINVAL,
			    "content: offset %zu: operator inside inline image "
			    "dictionary",
			    t.start);
		if (t.type == TOK_ARR_OPEN || t.type == TOK_DICT_OPEN) {
			struct pdf_obj *o;
			if ((rc = lex_obj_from(&o, lx, &t, 0)) < 0)
				return rc;
		}
	}
	i = lx->pos + 1;
	for (; i + 2 <= lx->len; i++) {
		if (lx->p[i] == 'E' && lx->p[i + 1] == 'I' && lex_iswhite(lx->p[i - 1]) &&
		    (i + 2 == lx->len || lex_iswhite(lx->p[i + 2]))) {
			lx->pos = i + 2;
			return 0;
		}
	}
	return sertel_err(SERTEL_EINVAL, "content: offset %zu: inline image without EI",
	                  bi);
}

int
pdf_cs_next(struct pdf_cs *cs, const char **op, const struct pdf_obj *const **operands,
            size_t *n)
{
	struct lex *lx = &cs->lx;
	struct pdf_obj *o;
	struct tok t;
	size_t len;
	int rc;

	*op = NULL;
	*operands = NULL;
	*n = 0;
	/* operands of the previous operator are no longer needed */
	arena_reset(&cs->arena);
	cs->nops = 0;
	for (;;) {
		if ((rc = lex_next(&t, lx)) < 0)
			return rc;
		if (t.type == TOK_EOF) {
			if (cs->nops > 0)
				return sertel_err(
				    SERTEL_EINVAL,
				    "content: operands without an operator at the end");
			return 0;
		}
		if (t.type == TOK_KW && !tok_is_kw(lx, &t, "true") &&
		    !tok_is_kw(lx, &t, "false") && !tok_is_kw(lx, &t, "null"))
			break;
		if ((rc = lex_obj_from(&o, lx, &t, 0)) < 0) {
			if (rc == SERTEL_ENOTFOUND)
				rc = sertel_err(SERTEL_EINVAL,
				                "content: offset %zu: bad operand",
				                t.start);
			return rc;
		}
		if (cs->nops >= PDF_MAX_OPERANDS)
			return sertel_err(SERTEL_EINVAL,
			                  "content: offset %zu: more than %d operands",
			                  t.start, PDF_MAX_OPERANDS);
		cs->ops[cs->nops++] = o;
	}
	len = t.end - t.start;
	if (len >= sizeof(cs->op))
		return sertel_err(SERTEL_EINVAL, "content: offset %zu: operator too long",
		                  t.start);
	memcpy(cs->op, lx->p + t.start, len);
	cs->op[len] = '\0';
	if (strcmp(cs->op, "BI") == 0) {
		if ((rc = skip_inline_image(cs, t.start)) < 0)
			return rc;
		cs->nops = 0;
	}
	*op = cs->op;
	*operands = cs->ops;
	*n = cs->nops;
	return 1;
}
