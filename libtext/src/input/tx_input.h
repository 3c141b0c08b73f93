/* What the input stage offers the stages after it: corpora made from
 * other corpora. Never installed. */
#ifndef TX_INPUT_H
#define TX_INPUT_H

#include "tx_internal.h"

/* A corpus of c's documents in the order perm[0..n) (borrowed strings). */
int tx__corpus_view(const tx_corpus *c, const size_t *perm, size_t n,
                    tx_corpus **out);

/* Appends a document: metadata from `meta` (borrowed), id and text
 * copied. For corpora built from spans of another corpus. */
int tx__corpus_add_text(tx_corpus *c, const tx_doc *meta, const char *id,
                        const char *text, size_t n);

/* The context a corpus was made with (for helpers outside tx_corpus.c). */
tx_ctx *tx__corpus_ctx(const tx_corpus *c);

#endif
