/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal declarations of the PDF parser and writer.  Nothing here is
 * public: other subsystems use pdf/pdf.h only.
 */
#ifndef SERTEL_PDF_INT_H
#define SERTEL_PDF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf.h"

/* Further internal limits. */
#define PDF_MAX_RESOLVE      32      /* hops of "n g R" -> "m g R" -> ... */
#define PDF_MAX_OBJSTM_N     1000000 /* objects in one object stream */
#define PDF_MAX_ARENA        (1024UL * 1024 * 1024) /* parsed objects per document */
#define PDF_MAX_CACHE        (512UL * 1024 * 1024)  /* decoded object streams kept */
#define PDF_MAX_OPERANDS     4096                   /* operands of one content operator */
#define PDF_TAIL_SEARCH      4096 /* startxref must be this close to the end */
#define PDF_MAX_DECODE_TOTAL (2ULL * 1024 * 1024 * 1024) /* inflated per document */

/* ---- arena: every parsed object lives until pdf_close() ---------------- */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	unsigned char data[];
};

struct arena {
	struct arena_chunk *head;
	size_t total, max;
	/* Chunks are also reserved from this budget's pool (and given back
	 * by arena_free()); NULL: none. */
	struct pdf_budget *budget;
};

void arena_init(struct arena *a, size_t max);
void *arena_alloc(struct arena *a, size_t n);
void arena_free(struct arena *a);
/* Frees everything allocated, keeping one chunk for reuse. */
void arena_reset(struct arena *a);

/* ---- objects ------------------------------------------------------------ */
struct pdf_obj {
	enum pdf_kind kind;
	unsigned char hex; /* string was written <...> */
	unsigned char has_span;
	size_t off, len; /* span in the file (has_span) */
	union {
		int b;
		long long i;
		double r;
		struct {
			unsigned char *p; /* NUL-terminated (names, strings) */
			size_t len;
		} s;
		struct {
			struct pdf_obj **items;
			size_t n;
		} a;
		struct {
			char **keys;
			struct pdf_obj **vals;
			size_t n;
			const unsigned char *data; /* PDF_STREAM: raw bytes */
			size_t datalen;
		} d;
		struct {
			uint32_t num;
			uint16_t gen;
		} ref;
	} u;
};

/* ---- lexer ------------------------------------------------------------- */
enum tok_type {
	TOK_EOF,
	TOK_INT,
	TOK_REAL,
	TOK_STR,
	TOK_NAME,
	TOK_ARR_OPEN,
	TOK_ARR_CLOSE,
	TOK_DICT_OPEN,
	TOK_DICT_CLOSE,
	TOK_KW /* a bare word: true, obj, stream, an operator... */
};

struct tok {
	enum tok_type type;
	size_t start, end; /* positions in the lexer's buffer */
	long long i;
	double r;
	unsigned char *s; /* TOK_STR, TOK_NAME: decoded, in the arena */
	size_t slen;
	int hex;
};

struct lex {
	const unsigned char *p;
	size_t len, pos;
	size_t base; /* file offset of p[0], for spans */
	int spans;   /* record spans (objects read straight from the file) */
	int refs;    /* "n g R" is a reference (not in content streams) */
	struct arena *a;
};

void lex_init(struct lex *lx, const unsigned char *p, size_t len, size_t pos,
              struct arena *a);
int lex_iswhite(int c);
int lex_isdelim(int c);
void lex_skip_ws(struct lex *lx);
int lex_next(struct tok *out, struct lex *lx);
/* Reads the next token and checks it is keyword kw. */
int lex_expect_kw(struct lex *lx, const char *kw);
/* Parses one object.  A keyword other than true/false/null is returned as
 * SERTEL_ENOTFOUND with the lexer left before it. */
int lex_obj(struct pdf_obj **out, struct lex *lx, int depth);
/* Like lex_obj, but the token was already read. */
int lex_obj_from(struct pdf_obj **out, struct lex *lx, struct tok *t, int depth);
int tok_is_kw(const struct lex *lx, const struct tok *t, const char *kw);

/* Parses "num gen obj <object> [stream...] endobj" at pos. */
struct pdf_doc;
int parse_indirect(struct pdf_obj **out, struct pdf_doc *doc, size_t pos, uint32_t num,
                   uint16_t gen, int direct_length);

/* ---- document ----------------------------------------------------------- */
enum xref_type { XREF_UNSET = 0, XREF_FREE, XREF_USED, XREF_COMPRESSED };
enum load_state { LOAD_NONE = 0, LOAD_BUSY, LOAD_DONE, LOAD_FAILED };

struct xref_entry {
	uint64_t off; /* XREF_USED: file offset; COMPRESSED: object stream */
	uint32_t idx; /* COMPRESSED: index in the object stream */
	uint32_t rev; /* walk position of the section that set it (+1) */
	uint16_t gen;
	uint8_t type;       /* enum xref_type */
	uint8_t state;      /* enum load_state */
	uint8_t soft;       /* a table's free entry an XRefStm may override */
	uint8_t stm_failed; /* as an object stream: could not be decoded */
	struct pdf_obj *obj;
	struct objstm *stm; /* when this object is an object stream, decoded */
};

struct objstm {
	unsigned char *data;
	size_t len;
	size_t n;
	uint32_t *nums;
	size_t *offs;
};

struct section {
	size_t off;     /* of "xref" or of the xref stream object */
	size_t xrefstm; /* hybrid: XRefStm offset, or 0 */
	int is_stream;
	uint32_t *nums; /* objects this section (and its XRefStm) lists */
	size_t nnums, capnums;
};

struct revision {
	size_t end; /* just past %%EOF and its end-of-line */
	uint32_t *nums;
	size_t n;
};

struct page_ref {
	uint32_t num;
	const struct pdf_obj *dict;
};

struct pdf_doc {
	const unsigned char *data;
	size_t len;
	struct arena arena;
	struct xref_entry *xref;
	size_t nxref;  /* allocated entries */
	uint32_t size; /* newest trailer /Size */
	const struct pdf_obj *trailer;
	size_t startxref;
	int newest_is_stream;
	struct section *sections; /* newest first */
	size_t nsections;
	struct revision *revs; /* oldest first */
	size_t nrevs;
	size_t cache_bytes;        /* decoded object streams kept */
	struct pdf_budget own;     /* when the caller gave none */
	struct pdf_budget *budget; /* &own or the caller's */
	struct page_ref *pages;
	int npages;     /* -1: not walked yet */
	int load_depth; /* nested load_obj() calls */
};

/* Decodes a stream's data with its filters, at most max bytes. */
int pdf_decode(struct buf *out, struct pdf_doc *doc, const struct pdf_obj *stm,
               size_t max);
/* Reserves n bytes of parsed objects from b's pool (0), or refuses
 * (SERTEL_ETOOBIG, b->exceeded = PDF_BUDGET_POOL); pdf_budget_unhold()
 * gives them back. */
int pdf_budget_hold(struct pdf_budget *b, size_t n);
void pdf_budget_unhold(struct pdf_budget *b, size_t n);
/* zlib inflate of in into out, at most max bytes. */
int pdf_inflate(struct buf *out, const unsigned char *in, size_t len, size_t max,
                int *over);
/* xref.c */
int xref_read_chain(struct pdf_doc *doc);

/* helpers */
struct pdf_obj *obj_new(struct arena *a, enum pdf_kind kind);
int pdf_name_is(const struct pdf_obj *o, const char *name);

/* ---- fonts for text extraction (font.c, text.c) ------------------------- */
#define PDF_CMAP_MAX_DST    8                    /* code points of one code */
#define PDF_CMAP_MAX_SPACES 64                   /* codespace ranges */
#define PDF_CMAP_MAX_MAPS   (1024 * 1024)        /* mappings of one CMap, /W entries */
#define PDF_CMAP_MAX_BYTES  (16UL * 1024 * 1024) /* decoded CMap stream */

enum pdf_encoding {
	PDF_ENC_NONE, /* the font's built-in encoding: unknown */
	PDF_ENC_STANDARD,
	PDF_ENC_WINANSI,
	PDF_ENC_MACROMAN,
};
/* Annex D: the Unicode of code c in a standard encoding; 0 if none. */
uint32_t pdf_encoding_unicode(enum pdf_encoding enc, unsigned char c);
/* Adobe Glyph List (Latin part), uniXXXX, uXXXX[XX]; "a.sc" as "a".
 * 0 for a name it does not know. */
uint32_t pdf_glyph_unicode(const char *name);

/* A CMap (9.7.5 and 9.10.3): codespace ranges, bfchar/bfrange (to
 * Unicode) or cidchar/cidrange (to CIDs).  *out is owned by the caller. */
struct pdf_cmap;
int pdf_cmap_parse(struct pdf_cmap **out, const unsigned char *data, size_t len);
void pdf_cmap_free(struct pdf_cmap *cm);
/* The code at s[0..len) (len >= 1) by the codespace ranges: its length
 * in bytes; *code 0xFFFFFFFF when no range takes it (one byte). */
size_t pdf_cmap_code(const struct pdf_cmap *cm, const unsigned char *s, size_t len,
                     uint32_t *code);
/* What code (n bytes) maps to: dst[0..return) (at most PDF_CMAP_MAX_DST);
 * 0 when unmapped. */
size_t pdf_cmap_map(const struct pdf_cmap *cm, uint32_t code, size_t n, uint32_t *dst);

/* Makes room for element n of *p (capacity *cap, elements of size bytes),
 * doubling, never beyond max elements (SERTEL_ETOOBIG naming what). */
int pdf_grow(void **p, size_t *cap, size_t n, size_t size, size_t max, const char *what);

/* A font resource decoded for text.  *out is owned by the caller; a
 * missing or damaged dictionary gives Helvetica metrics. */
struct pdf_font;
int pdf_font_load(struct pdf_font **out, struct pdf_doc *doc, const struct pdf_obj *font);
void pdf_font_free(struct pdf_font *f);
/* The next code of s[0..len) (len >= 1): the bytes it takes, its Unicode
 * cp[0..*ncp) (*ncp 0: no mapping), its advance *w (text space, font size
 * 1) and whether it is the single-byte code 32 (word spacing). */
size_t pdf_font_next(const struct pdf_font *f, const unsigned char *s, size_t len,
                     uint32_t *cp, size_t *ncp, double *w, int *space);

#endif
