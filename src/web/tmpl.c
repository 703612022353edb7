/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Templates: parsed once into a tree of nodes, rendered with every value
 * escaped.  The syntax is documented in web.h.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

#define TMPL_MAX_FILES 512
#define TMPL_MAX_NAME  64
#define TMPL_MAX_TAG   128

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_MSG };

struct node {
	enum node_kind kind;
	const char *s; /* text, path, template name or message key */
	size_t len;    /* of s */
	struct node *child;
	struct node *next;
};

struct tmpl {
	char name[TMPL_MAX_NAME];
	char *src; /* the file; nodes point into it */
	struct node *root;
};

struct web_tmpl_set {
	struct tmpl *t;
	size_t n;
	const struct web_i18n *cat;
};

static void
nodes_free(struct node *n)
{
	struct node *next;

	for (; n != NULL; n = next) {
		next = n->next;
		nodes_free(n->child);
		free(n);
	}
}

static int
valid_path(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == '.')
		return 1;
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      (c == '.' && s[i - 1] != '.')))
			return 0;
	}
	return 1;
}

struct parser {
	const char *file;
	char *p;
	char *end;
	int line;
	const struct web_i18n *cat;
};

static int
line_of(const char *start, const char *at)
{
	int n = 1;

	for (; start < at; start++)
		n += *start == '\n';
	return n;
}

static struct node *
node_new(enum node_kind k, const char *s, size_t len)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n != NULL) {
		n->kind = k;
		n->s = s;
		n->len = len;
	}
	return n;
}

/*
 * Parses until "{{/close}}" (close != NULL) or the end of the file.  *out
 * is the first node of the list.
 */
static int
parse_list(struct node **out, struct parser *ps, char *src, const char *close,
           size_t close_len, int depth)
{
	struct node *head = NULL, **tail = &head, *n;
	char *open, *shut, *tag, *tend;
	size_t tlen;
	int rc;

	*out = NULL;
	if (depth > WEB_TMPL_MAX_DEPTH) {
		rc = sertel_err(SERTEL_EINVAL, "%s:%d: sections nested deeper than %d",
		                ps->file, line_of(src, ps->p), WEB_TMPL_MAX_DEPTH);
		goto fail;
	}
	for (;;) {
		open = strstr(ps->p, "{{");
		if (open == NULL)
			open = ps->end;
		if (open > ps->p) {
			if ((n = node_new(N_TEXT, ps->p, (size_t)(open - ps->p))) == NULL)
				goto nomem;
			*tail = n;
			tail = &n->next;
		}
		if (open == ps->end) {
			if (close != NULL) {
				rc = sertel_err(SERTEL_EINVAL,
				                "%s: section '%.*s' is never closed",
				                ps->file, (int)close_len, close);
				goto fail;
			}
			ps->p = ps->end;
			break;
		}
		if ((shut = strstr(open + 2, "}}")) == NULL) {
			rc = sertel_err(SERTEL_EINVAL, "%s:%d: '{{' without '}}'",
			                ps->file, line_of(src, open));
			goto fail;
		}
		tag = open + 2;
		tend = shut;
		ps->p = shut + 2;
		if (*tag == '!')
			continue;
		if (*tag == '{' || *tag == '&') {
			rc = sertel_err(SERTEL_EINVAL,
			                "%s:%d: unescaped output is not supported; every "
			                "value is escaped",
			                ps->file, line_of(src, open));
			goto fail;
		}
		{
			char sigil = 0;

			if (strchr("#^/>_", *tag) != NULL)
				sigil = *tag++;
			while (tag < tend && (*tag == ' ' || *tag == '\t'))
				tag++;
			while (tend > tag && (tend[-1] == ' ' || tend[-1] == '\t'))
				tend--;
			tlen = (size_t)(tend - tag);
			if (tlen == 0 || tlen > TMPL_MAX_TAG || !valid_path(tag, tlen)) {
				rc = sertel_err(
				    SERTEL_EINVAL, "%s:%d: bad tag '{{%.*s}}'", ps->file,
				    line_of(src, open), (int)(shut - open - 2), open + 2);
				goto fail;
			}
			if (sigil == '/') {
				if (close == NULL || tlen != close_len ||
				    memcmp(tag, close, tlen) != 0) {
					rc = sertel_err(
					    SERTEL_EINVAL,
					    "%s:%d: '{{/%.*s}}' closes no open section",
					    ps->file, line_of(src, open), (int)tlen, tag);
					goto fail;
				}
				break;
			}
			if (sigil == '_') {
				char key[TMPL_MAX_TAG + 1];

				memcpy(key, tag, tlen);
				key[tlen] = '\0';
				if (web_i18n_get(ps->cat, WEB_LANG_ID, key) == NULL) {
					rc = sertel_err(
					    SERTEL_EINVAL,
					    "%s:%d: no message '%s' in the catalogue",
					    ps->file, line_of(src, open), key);
					goto fail;
				}
			}
			n = node_new(sigil == '#'   ? N_SECTION
			             : sigil == '^' ? N_INVERTED
			             : sigil == '>' ? N_PARTIAL
			             : sigil == '_' ? N_MSG
			                            : N_VAR,
			             tag, tlen);
			if (n == NULL)
				goto nomem;
			*tail = n;
			tail = &n->next;
			if (sigil == '#' || sigil == '^') {
				if ((rc = parse_list(&n->child, ps, src, tag, tlen,
				                     depth + 1)) < 0)
					goto fail;
			}
		}
	}
	*out = head;
	return 0;
nomem:
	rc = sertel_err(SERTEL_ENOMEM, "%s: out of memory", ps->file);
fail:
	nodes_free(head);
	return rc;
}

static int
tmpl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

static const struct tmpl *
tmpl_find(const struct web_tmpl_set *set, const char *name, size_t len)
{
	struct tmpl probe;

	if (set->n == 0 || len >= sizeof(probe.name))
		return NULL;
	memcpy(probe.name, name, len);
	probe.name[len] = '\0';
	return bsearch(&probe, set->t, set->n, sizeof(*set->t), tmpl_cmp);
}

/* Every {{> name}} names a template of the set. */
static int
check_partials(const struct web_tmpl_set *set, const struct tmpl *t, const struct node *n)
{
	int rc;

	for (; n != NULL; n = n->next) {
		if (n->kind == N_PARTIAL && tmpl_find(set, n->s, n->len) == NULL)
			return sertel_err(SERTEL_EINVAL, "%s.html: no template '%.*s'",
			                  t->name, (int)n->len, n->s);
		if ((rc = check_partials(set, t, n->child)) < 0)
			return rc;
	}
	return 0;
}

int
web_tmpl_load(struct web_tmpl_set **out, const char *dir, const struct web_i18n *cat)
{
	struct web_tmpl_set *set = NULL;
	struct dirent *de;
	DIR *d = NULL;
	char path[1400];
	size_t len, nl, i;
	int rc = 0;

	*out = NULL;
	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    (set->t = calloc(TMPL_MAX_FILES, sizeof(*set->t))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "templates: out of memory");
		goto out;
	}
	set->cat = cat;
	if ((d = opendir(dir)) == NULL) {
		rc = sertel_err(SERTEL_EIO, "templates: cannot read %s", dir);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		struct tmpl *t;
		struct parser ps;

		nl = strlen(de->d_name);
		if (nl <= 5 || strcmp(de->d_name + nl - 5, ".html") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if (nl - 5 >= TMPL_MAX_NAME ||
		    strspn(de->d_name, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
		        nl - 5) {
			rc =
			    sertel_err(SERTEL_EINVAL,
			               "%s/%s: template names are [a-z0-9_-], at most %d",
			               dir, de->d_name, TMPL_MAX_NAME - 1);
			goto out;
		}
		if (set->n == TMPL_MAX_FILES) {
			rc = sertel_err(SERTEL_ETOOBIG, "%s: more than %d templates", dir,
			                TMPL_MAX_FILES);
			goto out;
		}
		t = &set->t[set->n];
		memcpy(t->name, de->d_name, nl - 5);
		t->name[nl - 5] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((rc = file_read((unsigned char **)&t->src, &len, path,
		                    WEB_TMPL_MAX_FILE)) < 0)
			goto out;
		set->n++;
		if (memchr(t->src, '\0', len) != NULL) {
			rc =
			    sertel_err(SERTEL_EINVAL, "%s: NUL byte in a template", path);
			goto out;
		}
		ps.file = path;
		ps.p = t->src;
		ps.end = t->src + len;
		ps.cat = cat;
		if ((rc = parse_list(&t->root, &ps, t->src, NULL, 0, 0)) < 0)
			goto out;
	}
	qsort(set->t, set->n, sizeof(*set->t), tmpl_cmp);
	for (i = 0; i < set->n; i++) {
		if ((rc = check_partials(set, &set->t[i], set->t[i].root)) < 0)
			goto out;
	}
	*out = set;
	set = NULL;
out:
	if (d != NULL)
		closedir(d);
	web_tmpl_free(set);
	return rc;
}

void
web_tmpl_free(struct web_tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		nodes_free(set->t[i].root);
		free(set->t[i].src);
	}
	free(set->t);
	free(set);
}

int
web_tmpl_has(const struct web_tmpl_set *set, const char *name)
{
	return set != NULL && tmpl_find(set, name, strlen(name)) != NULL;
}

/* ---- rendering ------------------------------------------------------------ */
int
web_escape(struct buf *out, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *ent;
	int rc;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '`': ent = "&#96;"; break;
		case '=': ent = "&#61;"; break;
		default: continue;
		}
		if ((rc = buf_append(out, s + run, i - run)) < 0 ||
		    (rc = buf_append(out, ent, strlen(ent))) < 0)
			return rc;
		run = i + 1;
	}
	return buf_append(out, s + run, n - run);
}

struct render {
	const struct web_tmpl_set *set;
	struct buf *out;
	int lang;
	json_t *stack[2 * WEB_TMPL_MAX_DEPTH + 2];
	int depth;
};

/* The value at path (borrowed), innermost context first; NULL if absent. */
static json_t *
lookup(const struct render *r, const char *path, size_t len)
{
	const char *dot, *seg = path, *end = path + len;
	char key[TMPL_MAX_TAG + 1];
	json_t *v = NULL;
	size_t sl;
	int i;

	if (len == 1 && path[0] == '.')
		return r->stack[r->depth - 1];
	dot = memchr(seg, '.', len);
	sl = (size_t)((dot ? dot : end) - seg);
	memcpy(key, seg, sl);
	key[sl] = '\0';
	for (i = r->depth - 1; i >= 0 && v == NULL; i--) {
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], key);
	}
	while (v != NULL && dot != NULL) {
		seg = dot + 1;
		dot = memchr(seg, '.', (size_t)(end - seg));
		sl = (size_t)((dot ? dot : end) - seg);
		memcpy(key, seg, sl);
		key[sl] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static int
truthy(json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return 1;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return 1;
	default: return 0;
	}
}

static int
put_value(struct render *r, json_t *v)
{
	char num[64];

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return web_escape(r->out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return buf_append(r->out, num, strlen(num));
	case JSON_REAL:
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		return buf_append(r->out, num, strlen(num));
	case JSON_TRUE: return buf_append(r->out, "true", 4);
	case JSON_FALSE: return buf_append(r->out, "false", 5);
	default: return 0;
	}
}

/* A message with "{path}" placeholders filled from the context. */
static int
put_message(struct render *r, const struct node *n)
{
	char key[TMPL_MAX_TAG + 1];
	const char *m, *open, *shut;
	int rc;

	memcpy(key, n->s, n->len);
	key[n->len] = '\0';
	if ((m = web_i18n_get(r->set->cat, r->lang, key)) == NULL &&
	    (m = web_i18n_get(r->set->cat, WEB_LANG_ID, key)) == NULL)
		return sertel_err(SERTEL_ENOTFOUND, "no message '%s'", key);
	while ((open = strchr(m, '{')) != NULL &&
	       (shut = strchr(open + 1, '}')) != NULL &&
	       (size_t)(shut - open - 1) <= TMPL_MAX_TAG &&
	       valid_path(open + 1, (size_t)(shut - open - 1))) {
		if ((rc = web_escape(r->out, m, (size_t)(open - m))) < 0 ||
		    (rc = put_value(r, lookup(r, open + 1, (size_t)(shut - open - 1)))) <
		        0)
			return rc;
		m = shut + 1;
	}
	return web_escape(r->out, m, strlen(m));
}

static int render_list(struct render *r, const struct node *n);

static int
push(struct render *r, json_t *v)
{
	if (r->depth >= (int)(sizeof(r->stack) / sizeof(r->stack[0])))
		return sertel_err(SERTEL_ETOOBIG, "template: nested deeper than %d",
		                  (int)(sizeof(r->stack) / sizeof(r->stack[0])));
	r->stack[r->depth++] = v;
	return 0;
}

static int
render_section(struct render *r, const struct node *n)
{
	json_t *v = lookup(r, n->s, n->len), *e;
	size_t i;
	int rc = 0;

	if (n->kind == N_INVERTED)
		return truthy(v) ? 0 : render_list(r, n->child);
	if (!truthy(v))
		return 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
		{
			if ((rc = push(r, e)) < 0)
				return rc;
			rc = render_list(r, n->child);
			r->depth--;
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	if ((rc = push(r, v)) < 0)
		return rc;
	rc = render_list(r, n->child);
	r->depth--;
	return rc;
}

static int
render_list(struct render *r, const struct node *n)
{
	const struct tmpl *t;
	int rc = 0;

	for (; n != NULL && rc == 0; n = n->next) {
		switch (n->kind) {
		case N_TEXT: rc = buf_append(r->out, n->s, n->len); break;
		case N_VAR: rc = put_value(r, lookup(r, n->s, n->len)); break;
		case N_MSG: rc = put_message(r, n); break;
		case N_SECTION:
		case N_INVERTED: rc = render_section(r, n); break;
		case N_PARTIAL:
			if ((t = tmpl_find(r->set, n->s, n->len)) == NULL)
				return sertel_err(SERTEL_ENOTFOUND, "no template '%.*s'",
				                  (int)n->len, n->s);
			/* A partial that includes itself stops here. */
			if ((rc = push(r, r->stack[r->depth - 1])) < 0)
				return rc;
			rc = render_list(r, t->root);
			r->depth--;
			break;
		}
	}
	return rc;
}

int
web_render(struct buf *out, const struct web_tmpl_set *set, const char *name, json_t *ctx,
           int lang)
{
	const struct tmpl *t = set ? tmpl_find(set, name, strlen(name)) : NULL;
	struct render r;
	size_t start = out->len;
	int rc;

	if (t == NULL)
		return sertel_err(SERTEL_ENOTFOUND, "no template '%s'", name);
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.lang = lang >= 0 && lang < WEB_NLANGS ? lang : WEB_LANG_ID;
	r.stack[r.depth++] = ctx;
	if ((rc = render_list(&r, t->root)) < 0)
		out->len = start; /* nothing half-written */
	if (rc == SERTEL_ETOOBIG)
		rc = sertel_err(SERTEL_ETOOBIG, "page '%s' exceeds %zu bytes", name,
		                out->max);
	return rc;
}
