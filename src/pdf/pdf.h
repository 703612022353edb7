/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel PDF: a small, strict PDF object parser and an incremental writer.
 *
 * The parser reads classic cross-reference tables, cross-reference
 * streams, object streams (Flate with PNG predictors) and chains of
 * incremental updates.  It loads objects lazily, so opening a 100 MB file
 * touches only its cross-reference sections.  Damaged or hostile files
 * (reference loops, absurd lengths, offsets out of range, nesting bombs)
 * are refused with SERTEL_EINVAL and a one-line message, never repaired.
 *
 * The writer appends exactly one revision (new and replaced objects, a
 * cross-reference section in the style of the newest one, a trailer with
 * /Prev) and never rewrites a byte of the original, so every earlier
 * signature stays valid.
 *
 * Memory: every object returned by the parser is borrowed from the
 * document and lives until pdf_close().  The document borrows the input
 * bytes: the caller keeps them alive and unchanged until pdf_close().
 */
#ifndef SERTEL_PDF_H
#define SERTEL_PDF_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* Hard limits (hostile input). */
#define PDF_MAX_DEPTH     64                  /* nesting of arrays/dicts */
#define PDF_MAX_OBJECTS   (8 * 1024 * 1024)   /* /Size */
#define PDF_MAX_REVISIONS 4096                /* /Prev chain */
#define PDF_MAX_STREAM    (256 * 1024 * 1024) /* decoded stream bytes */
#define PDF_MAX_PAGES     100000

struct pdf_doc;
struct pdf_obj;

/* ---- decoding budgets (issue 19) ----------------------------------------
 *
 * A pool is shared by concurrent jobs (a process-wide cap, e.g. all public
 * verifications at once); a budget belongs to one job (one request) and
 * bounds the bytes every document it opens may inflate in total, reserved
 * from its pool (and the pool's parent) as they are produced.  The parsed
 * objects of each open document are reserved from the pool too (a small
 * file can parse into much more memory than its size).  A job that cannot
 * reserve is refused at once, never queued.  Decoded bytes go back with
 * pdf_budget_release() when the job is done, parsed ones at pdf_close(). */
struct pdf_pool {
	_Atomic unsigned long long used;
	unsigned long long cap;
	struct pdf_pool *parent; /* also charged, or NULL */
};
void pdf_pool_init(struct pdf_pool *p, unsigned long long cap, struct pdf_pool *parent);

enum {
	PDF_BUDGET_OK = 0,
	PDF_BUDGET_TOTAL = 1, /* max decoded */
	PDF_BUDGET_POOL = 2,  /* the pool could not reserve */
	PDF_BUDGET_PARSE = 3, /* parse_max of one document */
};
struct pdf_budget {
	unsigned long long max;  /* bytes inflated by all documents of the job */
	unsigned long long used; /* so far (reserved from pool) */
	struct pdf_pool *pool;   /* or NULL */
	int exceeded;            /* PDF_BUDGET_*: why decoding was refused */
	/* Parsed objects of one document (its arena; PDF_MAX_ARENA when 0 or
	 * larger), reserved from pool while the document is open. */
	unsigned long long parse_max;
};
void pdf_budget_init(struct pdf_budget *b, unsigned long long max, struct pdf_pool *pool);
void pdf_budget_release(struct pdf_budget *b);

enum pdf_kind {
	PDF_NULL,
	PDF_BOOL,
	PDF_INT,
	PDF_REAL,
	PDF_STRING,
	PDF_NAME,
	PDF_ARRAY,
	PDF_DICT,
	PDF_STREAM,
	PDF_REF
};

/* ---- documents --------------------------------------------------------- */

/* Parses the cross-reference chain of data[0..len).  To look at an older
 * revision, open the same bytes with len = pdf_revision_end(doc, i). */
int pdf_open(struct pdf_doc **out, const unsigned char *data, size_t len);
/* pdf_open() charging every decoded byte to b (borrowed, outlives the
 * document); NULL: the document's own limit (PDF_MAX_DECODE_TOTAL). */
int pdf_open_budget(struct pdf_doc **out, const unsigned char *data, size_t len,
                    struct pdf_budget *b);
void pdf_close(struct pdf_doc *doc);

const unsigned char *pdf_data(const struct pdf_doc *doc, size_t *len);
/* The newest trailer dictionary (for an xref stream: the stream's dict). */
const struct pdf_obj *pdf_trailer(struct pdf_doc *doc);
/* /Root, resolved; NULL (with the error set) if it is not a dictionary. */
const struct pdf_obj *pdf_catalog(struct pdf_doc *doc);
/* Trailer /Size: the first object number a new revision may use. */
uint32_t pdf_size(const struct pdf_doc *doc);
/* 1 when the newest cross-reference section is a stream, 0 for a table. */
int pdf_xref_is_stream(const struct pdf_doc *doc);
/* Offset of the newest cross-reference section (the startxref value). */
size_t pdf_startxref(const struct pdf_doc *doc);

/* Revisions, oldest first.  pdf_revision_end() is the offset just past the
 * "%%EOF" marker of revision i and its end-of-line, if any. */
size_t pdf_revision_count(const struct pdf_doc *doc);
size_t pdf_revision_end(const struct pdf_doc *doc, size_t i);
/* Object numbers that the cross-reference section(s) of revision i define
 * or free (the objects that revision changed), ascending, without object 0
 * (the head of the free list).  *out is owned by the caller (free()). */
int pdf_revision_objects(uint32_t **out, size_t *n, const struct pdf_doc *doc, size_t i);

/* ---- objects ----------------------------------------------------------- */

/* Object num of the newest revision, resolved (never a PDF_REF).  NULL
 * with the error set when it is missing, free or damaged. */
const struct pdf_obj *pdf_load(struct pdf_doc *doc, uint32_t num);
/* Follows references (bounded); a dangling reference is the null object,
 * as the PDF specification says.  NULL only when the file is damaged. */
const struct pdf_obj *pdf_resolve(struct pdf_doc *doc, const struct pdf_obj *o);
/* pdf_get() then pdf_resolve(); NULL when the key is absent. */
const struct pdf_obj *pdf_getr(struct pdf_doc *doc, const struct pdf_obj *dict,
                               const char *key);

enum pdf_kind pdf_kind(const struct pdf_obj *o);
int pdf_bool(const struct pdf_obj *o, int *out);
int pdf_int(const struct pdf_obj *o, long long *out); /* PDF_INT only */
int pdf_num(const struct pdf_obj *o, double *out);    /* PDF_INT or PDF_REAL */
/* A name without its '/', #xx escapes decoded; NULL if o is not a name. */
const char *pdf_name(const struct pdf_obj *o);
/* Decoded bytes of a literal or hex string; NULL if o is not a string. */
const unsigned char *pdf_str(const struct pdf_obj *o, size_t *len);
/* Elements of an array, entries of a dictionary (or of a stream's dict). */
size_t pdf_len(const struct pdf_obj *o);
const struct pdf_obj *pdf_at(const struct pdf_obj *arr, size_t i);
const char *pdf_key_at(const struct pdf_obj *dict, size_t i);
const struct pdf_obj *pdf_val_at(const struct pdf_obj *dict, size_t i);
/* Dictionary (or stream dictionary) lookup without resolving. */
const struct pdf_obj *pdf_get(const struct pdf_obj *dict, const char *key);
int pdf_ref(const struct pdf_obj *o, uint32_t *num, uint16_t *gen);
/* Where the object's token starts in the file and how long it is (for a
 * string: from '<' or '(' to the closing delimiter; a dictionary: "<<" to
 * ">>"; a stream: "<<" to the end of "endstream"; a reference: "n g R").
 * SERTEL_ENOTFOUND for objects that came out of an object stream. */
int pdf_span(const struct pdf_obj *o, size_t *off, size_t *len);

/* A stream's bytes as stored, and decoded (FlateDecode with or without
 * PNG/TIFF predictors; other filters give SERTEL_EINVAL naming them).
 * pdf_stream_decode() appends to out, at most min(out->max,
 * PDF_MAX_STREAM) bytes (out->max == 0 counts as PDF_MAX_STREAM). */
int pdf_stream_raw(const struct pdf_obj *o, const unsigned char **out, size_t *len);
int pdf_stream_decode(struct buf *out, struct pdf_doc *doc, const struct pdf_obj *o);

/* Writes o in PDF syntax (references stay references). */
int pdf_serialize(struct buf *out, const struct pdf_obj *o);
/* Writes a dictionary as "<< ... >>" without the keys in skip (NULL
 * terminated), with extra (raw PDF, may be NULL) added before ">>". */
int pdf_serialize_dict(struct buf *out, const struct pdf_obj *dict,
                       const char *const *skip, const char *extra);

/* ---- pages ------------------------------------------------------------- */

int pdf_page_count(struct pdf_doc *doc);
/* Page index (0-based): its dictionary and object number. */
const struct pdf_obj *pdf_page(struct pdf_doc *doc, int index, uint32_t *objnum);
/* An attribute looked up through the page tree (Resources, MediaBox,
 * CropBox, Rotate are inheritable), resolved.  NULL when absent. */
const struct pdf_obj *pdf_page_attr(struct pdf_doc *doc, int index, const char *key);
/* The page's content streams concatenated and decoded. */
int pdf_page_contents(struct buf *out, struct pdf_doc *doc, int index);

/* ---- content streams --------------------------------------------------- */

struct pdf_cs;
int pdf_cs_open(struct pdf_cs **out, const unsigned char *data, size_t len);
/* Next operator and its operands (borrowed until the next call): 1 when
 * one was read, 0 at the end, < 0 on a syntax error.  Inline images (BI
 * ID EI) come back as one operator "BI" with no operands. */
int pdf_cs_next(struct pdf_cs *cs, const char **op,
                const struct pdf_obj *const **operands, size_t *n);
void pdf_cs_free(struct pdf_cs *cs);

/* ---- text (text.c) ----------------------------------------------------- */

/* Finds needle (UTF-8; runs of white space match any space or word gap)
 * in the text of the pages as a reader sees it: Unicode through each
 * font's ToUnicode CMap or encoding, text in form XObjects, positions in
 * default user space.  The first match (pages in order): *page (0-based)
 * and rect (llx, lly, urx, ury: from the baseline to one font size
 * above it).  SERTEL_ENOTFOUND when it is nowhere, SERTEL_EINVAL for an
 * empty needle or bad UTF-8, SERTEL_ETOOBIG when a page exceeds the
 * limits of text.c. */
int pdf_text_find(struct pdf_doc *doc, const char *needle, int *page, double rect[4]);
/* Adobe's Helvetica AFM width (per 1000) of WinAnsi code c: what a reader
 * uses for the standard font without /Widths (9.6.2.2). */
double pdf_helvetica_width(unsigned char c);

/* ---- incremental writer ------------------------------------------------ */

struct pdf_update;
/* Refuses encrypted documents and trailers without a /Root reference. */
int pdf_update_begin(struct pdf_update **out, struct pdf_doc *doc);
/* A new object number for this revision. */
uint32_t pdf_update_alloc(struct pdf_update *u);
/* Sets object num (new or replaced) to body: PDF syntax of what goes
 * between "num gen obj" and "endobj" (a stream body included). */
int pdf_update_put(struct pdf_update *u, uint32_t num, const void *body, size_t len);
int pdf_update_putf(struct pdf_update *u, uint32_t num, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A stream object: dict_entries (raw PDF between << and >>, without
 * /Length and /Filter) and data, Flate-compressed when compress is set. */
int pdf_update_put_stream(struct pdf_update *u, uint32_t num, const char *dict_entries,
                          const void *data, size_t len, int compress);
/* Appends the new revision's bytes to tail: the file after the update is
 * the original bytes followed by tail (the writer starts tail with an
 * end-of-line when the original does not end with one).  tail->max == 0
 * counts as 1 GiB.  Can be called once. */
int pdf_update_finish(struct buf *tail, struct pdf_update *u);
/* Offset in the whole new file of object num's "num gen obj" line, after
 * pdf_update_finish(); 0 when num was not put. */
size_t pdf_update_offset(const struct pdf_update *u, uint32_t num);
void pdf_update_free(struct pdf_update *u);

#endif
