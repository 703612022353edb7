/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PDF lexer and object parser (ISO 32000-1 7.2, 7.3): tokens, strings
 * with escapes and balanced parentheses, hex strings, names with #xx,
 * arrays and dictionaries nested at most PDF_MAX_DEPTH deep.  Every object
 * is allocated in the document's arena; objects read straight from the
 * file remember their exact byte span.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

static int lex_string(struct tok *t, struct lex *lx);
static int lex_hexstring(struct tok *t, struct lex *lx);
static int lex_name(struct tok *t, struct lex *lx);
static int lex_number(struct tok *t, struct lex *lx);
static int parse_array(struct pdf_obj **out, struct lex *lx, struct tok *open, int depth);
static int parse_dict(struct pdf_obj **out, struct lex *lx, struct tok *open, int depth);

/* ---- arena -------------------------------------------------------------- */

#define ARENA_CHUNK (64 * 1024)

void
arena_init(struct arena *a, size_t max)
{
	memset(a, 0, sizeof(*a));
	a->max = max;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c;
	size_t cap;

	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	c = a->head;
	if (c != NULL && c->cap - c->used >= n) {
		void *p = c->data + c->used;
		c->used += n;
		return p;
	}
	cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
	if (a->total + cap > a->max) {
		if (a->budget != NULL)
			a->budget->exceeded = PDF_BUDGET_PARSE;
		sertel_err(SERTEL_ETOOBIG, "pdf: more than %zu bytes of parsed objects",
		           a->max);
		return NULL;
	}
	if (a->budget != NULL && pdf_budget_hold(a->budget, cap) < 0)
		return NULL;
	c = malloc(sizeof(*c) + cap);
	if (c == NULL) {
		if (a->budget != NULL)
			pdf_budget_unhold(a->budget, cap);
		sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		return NULL;
	}
	a->total += cap;
	c->cap = cap;
	c->used = n;
	if (a->head != NULL && cap != ARENA_CHUNK) {
		/* a big block: keep using the current chunk for small ones */
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = a->head;
		a->head = c;
	}
	return c->data;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	if (a->budget != NULL)
		pdf_budget_unhold(a->budget, a->total);
	a->head = NULL;
	a->total = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next, *keep = NULL;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL && c->cap == ARENA_CHUNK) {
			keep = c;
			continue;
		}
		free(c);
	}
	if (a->budget != NULL)
		pdf_budget_unhold(a->budget, a->total);
	a->head = keep;
	a->total = 0;
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
		a->total = keep->cap;
	}
}

struct pdf_obj *
obj_new(struct arena *a, enum pdf_kind kind)
{
	struct pdf_obj *o = arena_alloc(a, sizeof(*o));

	if (o == NULL)
		return NULL;
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	return o;
}

/* ---- characters ---------------------------------------------------------- */

/* 7.2.2 Table 1: white-space characters */
int
lex_iswhite(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* 7.2.2 Table 2: delimiter characters */
int
lex_isdelim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
	       c == '{' || c == '}' || c == '/' || c == '%';
}

void
lex_init(struct lex *lx, const unsigned char *p, size_t len, size_t pos, struct arena *a)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = p;
	lx->len = len;
	lx->pos = pos;
	lx->a = a;
	lx->refs = 1;
}

/* Skips white space and comments (7.2.3). */
void
lex_skip_ws(struct lex *lx)
{
	while (lx->pos < lx->len) {
		unsigned char c = lx->p[lx->pos];
		if (lex_iswhite(c)) {
			lx->pos++;
		} else if (c == '%') {
			while (lx->pos < lx->len && lx->p[lx->pos] != '\r' &&
			       lx->p[lx->pos] != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
}

/* ---- tokens --------------------------------------------------------------- */

int
lex_next(struct tok *t, struct lex *lx)
{
	unsigned char c;

	memset(t, 0, sizeof(*t));
	lex_skip_ws(lx);
	t->start = lx->pos;
	if (lx->pos >= lx->len) {
		t->type = TOK_EOF;
		t->end = lx->pos;
		return 0;
	}
	c = lx->p[lx->pos];
	switch (c) {
	case '(': return lex_string(t, lx);
	case '/': return lex_name(t, lx);
	case '[':
	case ']':
		t->type = c == '[' ? TOK_ARR_OPEN : TOK_ARR_CLOSE;
		t->end = ++lx->pos;
		return 0;
	case '<':
		if (lx->pos + 1 < lx->len && lx->p[lx->pos + 1] == '<') {
			t->type = TOK_DICT_OPEN;
			lx->pos += 2;
			t->end = lx->pos;
			return 0;
		}
		return lex_hexstring(t, lx);
	case '>':
		if (lx->pos + 1 < lx->len && lx->p[lx->pos + 1] == '>') {
			t->type = TOK_DICT_CLOSE;
			lx->pos += 2;
			t->end = lx->pos;
			return 0;
		}
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: stray '>'",
		                  lx->base + lx->pos);
	case ')':
	case '{':
	case '}':
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: unexpected '%c'",
		                  lx->base + lx->pos, c);
	default: break;
	}
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
		return lex_number(t, lx);
	/* a keyword: regular characters up to white space or a delimiter */
	while (lx->pos < lx->len && !lex_iswhite(lx->p[lx->pos]) &&
	       !lex_isdelim(lx->p[lx->pos]))
		lx->pos++;
	t->type = TOK_KW;
	t->end = lx->pos;
	return 0;
}

int
tok_is_kw(const struct lex *lx, const struct tok *t, const char *kw)
{
	size_t n = strlen(kw);

	return t->type == TOK_KW && t->end - t->start == n &&
	       memcmp(lx->p + t->start, kw, n) == 0;
}

int
lex_expect_kw(struct lex *lx, const char *kw)
{
	struct tok t;
	int rc;

	if ((rc = lex_next(&t, lx)) < 0)
		return rc;
	if (!tok_is_kw(lx, &t, kw))
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: expected '%s'",
		                  lx->base + t.start, kw);
	return 0;
}

/* 7.3.3: integers and reals; no exponents, no overflow. */
static int
lex_number(struct tok *t, struct lex *lx)
{
	size_t start = lx->pos;
	int neg = 0, dot = 0, digits = 0;
	unsigned long long iv = 0;
	double frac = 0, scale = 1;

	if (lx->p[lx->pos] == '+' || lx->p[lx->pos] == '-')
		neg = lx->p[lx->pos++] == '-';
	while (lx->pos < lx->len) {
		unsigned char c = lx->p[lx->pos];
		if (c >= '0' && c <= '9') {
			if (!dot) {
				if (iv > (9223372036854775807ULL - 9) / 10)
					return sertel_err(
					    SERTEL_EINVAL,
					    "pdf: offset %zu: number too large",
					    lx->base + start);
				iv = iv * 10 + (unsigned)(c - '0');
			} else if (scale < 1e300) {
				scale *= 10;
				frac += (c - '0') / scale;
			}
			digits++;
		} else if (c == '.' && !dot) {
			dot = 1;
		} else {
			break;
		}
		lx->pos++;
	}
	if (digits == 0 || lx->pos - start > 64 ||
	    (lx->pos < lx->len && !lex_iswhite(lx->p[lx->pos]) &&
	     !lex_isdelim(lx->p[lx->pos])))
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: malformed number",
		                  lx->base + start);
	t->end = lx->pos;
	if (dot) {
		t->type = TOK_REAL;
		t->r = ((double)iv + frac) * (neg ? -1 : 1);
	} else {
		t->type = TOK_INT;
		t->i = neg ? -(long long)iv : (long long)iv;
	}
	return 0;
}

/* 7.3.4.2: literal strings, escapes, balanced parentheses, EOL -> LF. */
static int
lex_string(struct tok *t, struct lex *lx)
{
	size_t start = lx->pos, n = 0, depth = 1, k;
	unsigned char *s;
	int rc = 0;

	/* the decoded string is never longer than the raw one */
	lx->pos++;
	for (k = lx->pos; k < lx->len && depth > 0; k++) {
		if (lx->p[k] == '\\')
			k++;
		else if (lx->p[k] == '(')
			depth++;
		else if (lx->p[k] == ')')
			depth--;
	}
	if (depth != 0)
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: unterminated string",
		                  lx->base + start);
	if ((s = arena_alloc(lx->a, k - start)) == NULL)
		return SERTEL_ENOMEM;
	depth = 1;
	while (lx->pos < lx->len) {
		unsigned char c = lx->p[lx->pos++];
		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth == 0)
				break;
		} else if (c == '\r') {
			if (lx->pos < lx->len && lx->p[lx->pos] == '\n')
				lx->pos++;
			c = '\n';
		} else if (c == '\\') {
			if (lx->pos >= lx->len)
				break;
			c = lx->p[lx->pos++];
			switch (c) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case '\r':
				if (lx->pos < lx->len && lx->p[lx->pos] == '\n')
					lx->pos++;
				continue;
			case '\n': continue;
			default:
				if (c >= '0' && c <= '7') {
					unsigned v = (unsigned)(c - '0');
					int d;
					for (d = 1; d < 3 && lx->pos < lx->len &&
					            lx->p[lx->pos] >= '0' &&
					            lx->p[lx->pos] <= '7';
					     d++)
						v = v * 8 +
						    (unsigned)(lx->p[lx->pos++] - '0');
					c = (unsigned char)(v & 0xff);
				}
				/* any other escaped character stands for itself */
				break;
			}
		}
		s[n++] = c;
	}
	s[n] = '\0';
	t->type = TOK_STR;
	t->s = s;
	t->slen = n;
	t->end = lx->pos;
	return rc;
}

/* 7.3.4.3: hexadecimal strings; white space ignored, odd digit padded. */
static int
lex_hexstring(struct tok *t, struct lex *lx)
{
	size_t start = lx->pos, k, n = 0;
	unsigned char *s;
	int hi = -1;

	for (k = lx->pos + 1; k < lx->len && lx->p[k] != '>'; k++)
		;
	if (k >= lx->len)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: offset %zu: unterminated hex string",
		                  lx->base + start);
	if ((s = arena_alloc(lx->a, (k - start) / 2 + 2)) == NULL)
		return SERTEL_ENOMEM;
	for (lx->pos++; lx->pos < k; lx->pos++) {
		unsigned char c = lx->p[lx->pos];
		int v;
		if (lex_iswhite(c))
			continue;
		if ((v = hex_digit(c)) < 0)
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: offset %zu: bad character in hex string",
			                  lx->base + lx->pos);
		if (hi < 0) {
			hi = v;
		} else {
			s[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		s[n++] = (unsigned char)(hi << 4);
	s[n] = '\0';
	lx->pos = k + 1;
	t->type = TOK_STR;
	t->hex = 1;
	t->s = s;
	t->slen = n;
	t->end = lx->pos;
	return 0;
}

/* 7.3.5: names, #xx escapes decoded; a NUL byte is refused. */
static int
lex_name(struct tok *t, struct lex *lx)
{
	size_t start = lx->pos, k, n = 0;
	unsigned char *s;

	for (k = start + 1;
	     k < lx->len && !lex_iswhite(lx->p[k]) && !lex_isdelim(lx->p[k]); k++)
		;
	if (k - start > 65536)
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: name too long",
		                  lx->base + start);
	if ((s = arena_alloc(lx->a, k - start + 1)) == NULL)
		return SERTEL_ENOMEM;
	for (lx->pos = start + 1; lx->pos < k; lx->pos++) {
		unsigned char c = lx->p[lx->pos];
		if (c == '#') {
			int h, l;
			if (lx->pos + 2 >= k || (h = hex_digit(lx->p[lx->pos + 1])) < 0 ||
			    (l = hex_digit(lx->p[lx->pos + 2])) < 0)
				return sertel_err(
				    SERTEL_EINVAL,
				    "pdf: offset %zu: bad #xx escape in name",
				    lx->base + lx->pos);
			c = (unsigned char)(h << 4 | l);
			if (c == 0)
				return sertel_err(SERTEL_EINVAL,
				                  "pdf: offset %zu: NUL in name",
				                  lx->base + lx->pos);
			lx->pos += 2;
		}
		s[n++] = c;
	}
	s[n] = '\0';
	t->type = TOK_NAME;
	t->s = s;
	t->slen = n;
	t->end = lx->pos;
	return 0;
}

/* ---- objects ------------------------------------------------------------- */

static void
set_span(struct pdf_obj *o, const struct lex *lx, size_t start, size_t end)
{
	if (!lx->spans)
		return;
	o->has_span = 1;
	o->off = lx->base + start;
	o->len = end - start;
}

int
lex_obj(struct pdf_obj **out, struct lex *lx, int depth)
{
	struct tok t;
	size_t save = lx->pos;
	int rc;

	if ((rc = lex_next(&t, lx)) < 0)
		return rc;
	rc = lex_obj_from(out, lx, &t, depth);
	if (rc == SERTEL_ENOTFOUND)
		lx->pos = save;
	return rc;
}

int
lex_obj_from(struct pdf_obj **out, struct lex *lx, struct tok *t, int depth)
{
	struct pdf_obj *o = NULL;

	if (depth > PDF_MAX_DEPTH)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: offset %zu: nesting deeper than %d",
		                  lx->base + t->start, PDF_MAX_DEPTH);
	switch (t->type) {
	case TOK_EOF:
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: offset %zu: unexpected end of data",
		                  lx->base + t->start);
	case TOK_ARR_OPEN: return parse_array(out, lx, t, depth + 1);
	case TOK_DICT_OPEN: return parse_dict(out, lx, t, depth + 1);
	case TOK_ARR_CLOSE:
	case TOK_DICT_CLOSE:
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: unexpected '%c'",
		                  lx->base + t->start, lx->p[t->start]);
	case TOK_STR:
	case TOK_NAME:
		if ((o = obj_new(lx->a, t->type == TOK_STR ? PDF_STRING : PDF_NAME)) ==
		    NULL)
			return SERTEL_ENOMEM;
		o->u.s.p = t->s;
		o->u.s.len = t->slen;
		o->hex = (unsigned char)t->hex;
		break;
	case TOK_REAL:
		if ((o = obj_new(lx->a, PDF_REAL)) == NULL)
			return SERTEL_ENOMEM;
		o->u.r = t->r;
		break;
	case TOK_INT:
		if (lx->refs && t->i >= 0 && t->i <= UINT32_MAX) {
			/* "num gen R": look ahead two tokens */
			size_t save = lx->pos;
			struct tok g, r;
			if (lex_next(&g, lx) == 0 && g.type == TOK_INT && g.i >= 0 &&
			    g.i <= 65535 && lex_next(&r, lx) == 0 &&
			    tok_is_kw(lx, &r, "R")) {
				if ((o = obj_new(lx->a, PDF_REF)) == NULL)
					return SERTEL_ENOMEM;
				o->u.ref.num = (uint32_t)t->i;
				o->u.ref.gen = (uint16_t)g.i;
				set_span(o, lx, t->start, r.end);
				*out = o;
				return 0;
			}
			sertel_err_clear();
			lx->pos = save;
		}
		if ((o = obj_new(lx->a, PDF_INT)) == NULL)
			return SERTEL_ENOMEM;
		o->u.i = t->i;
		break;
	case TOK_KW:
		if (tok_is_kw(lx, t, "true") || tok_is_kw(lx, t, "false")) {
			if ((o = obj_new(lx->a, PDF_BOOL)) == NULL)
				return SERTEL_ENOMEM;
			o->u.b = lx->p[t->start] == 't';
		} else if (tok_is_kw(lx, t, "null")) {
			if ((o = obj_new(lx->a, PDF_NULL)) == NULL)
				return SERTEL_ENOMEM;
		} else {
			return SERTEL_ENOTFOUND;
		}
		break;
	}
	set_span(o, lx, t->start, t->end);
	*out = o;
	return 0;
}

/* Growable vector of object pointers used while parsing one container. */
struct vec {
	struct pdf_obj **v;
	size_t n, cap;
};

static int
vec_push(struct vec *v, struct pdf_obj *o)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 16;
		struct pdf_obj **p = realloc(v->v, ncap * sizeof(*p));
		if (p == NULL)
			return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		v->v = p;
		v->cap = ncap;
	}
	v->v[v->n++] = o;
	return 0;
}

static int
parse_array(struct pdf_obj **out, struct lex *lx, struct tok *open, int depth)
{
	struct vec v = {0};
	struct pdf_obj *o = NULL, *e;
	struct tok t;
	int rc;

	for (;;) {
		if ((rc = lex_next(&t, lx)) < 0)
			goto out;
		if (t.type == TOK_ARR_CLOSE)
			break;
		if ((rc = lex_obj_from(&e, lx, &t, depth)) < 0) {
			if (rc == SERTEL_ENOTFOUND)
				rc =
				    sertel_err(SERTEL_EINVAL,
				               "pdf: offset %zu: keyword inside an array",
				               lx->base + t.start);
			goto out;
		}
		if ((rc = vec_push(&v, e)) < 0)
			goto out;
	}
	rc = SERTEL_ENOMEM;
	if ((o = obj_new(lx->a, PDF_ARRAY)) == NULL)
		goto out;
	if (v.n > 0) {
		if ((o->u.a.items = arena_alloc(lx->a, v.n * sizeof(*v.v))) == NULL)
			goto out;
		memcpy(o->u.a.items, v.v, v.n * sizeof(*v.v));
	}
	o->u.a.n = v.n;
	set_span(o, lx, open->start, t.end);
	*out = o;
	rc = 0;
out:
	free(v.v);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
parse_dict(struct pdf_obj **out, struct lex *lx, struct tok *open, int depth)
{
	struct vec keys = {0}, vals = {0};
	struct pdf_obj *o = NULL, *k, *e;
	struct tok t;
	size_t i, j;
	int rc;

	for (;;) {
		if ((rc = lex_next(&t, lx)) < 0)
			goto out;
		if (t.type == TOK_DICT_CLOSE)
			break;
		if (t.type != TOK_NAME) {
			rc = sertel_err(SERTEL_EINVAL,
			                "pdf: offset %zu: dictionary key is not a name",
			                lx->base + t.start);
			goto out;
		}
		if ((rc = lex_obj_from(&k, lx, &t, depth)) < 0)
			goto out;
		if ((rc = lex_obj(&e, lx, depth)) < 0) {
			if (rc == SERTEL_ENOTFOUND)
				rc = sertel_err(
				    SERTEL_EINVAL,
				    "pdf: offset %zu: keyword as a dictionary value",
				    lx->base + lx->pos);
			goto out;
		}
		if ((rc = vec_push(&keys, k)) < 0 || (rc = vec_push(&vals, e)) < 0)
			goto out;
	}
	/* a repeated key makes the dictionary ambiguous (readers differ) */
	if (keys.n > 1) {
		char **sorted = malloc(keys.n * sizeof(char *));
		if (sorted == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
			goto out;
		}
		for (i = 0; i < keys.n; i++)
			sorted[i] = (char *)keys.v[i]->u.s.p;
		qsort(sorted, keys.n, sizeof(char *), cmp_str);
		for (j = 1; j < keys.n; j++)
			if (strcmp(sorted[j - 1], sorted[j]) == 0)
				break;
		if (j < keys.n) {
			rc = sertel_err(SERTEL_EINVAL,
			                "pdf: offset %zu: duplicate key /%s",
			                lx->base + open->start, sorted[j]);
			free(sorted);
			goto out;
		}
		free(sorted);
	}
	rc = SERTEL_ENOMEM;
	if ((o = obj_new(lx->a, PDF_DICT)) == NULL)
		goto out;
	if (keys.n > 0) {
		if ((o->u.d.keys = arena_alloc(lx->a, keys.n * sizeof(char *))) == NULL ||
		    (o->u.d.vals = arena_alloc(lx->a, keys.n * sizeof(*vals.v))) == NULL)
			goto out;
		for (i = 0; i < keys.n; i++)
			o->u.d.keys[i] = (char *)keys.v[i]->u.s.p;
		memcpy(o->u.d.vals, vals.v, vals.n * sizeof(*vals.v));
	}
	o->u.d.n = keys.n;
	set_span(o, lx, open->start, t.end);
	*out = o;
	rc = 0;
out:
	free(keys.v);
	free(vals.v);
	return rc;
}
