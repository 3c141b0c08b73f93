/* What the input stage offers the stages after it: corpora made from
 * other corpora, and an order of documents that ignores the row order.
 * Never installed. */
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

/* The documents' indices sorted by (text, id): an order that depends only
 * on the documents, not on the order of the input rows, so sums taken in
 * it give the same bytes for shuffled input. `*out` is tx_free'd. */
int tx__corpus_canonical_order(const tx_corpus *c, size_t **out);

/* Whether c holds only this rank's share of the rows (several ranks,
 * before tx_corpus_gather): the stages that learn from a whole corpus
 * refuse it. */
bool tx__corpus_is_share(const tx_corpus *c);

/* Asks the processor for the start of document i's text (none past the
 * last document) before it is read: a pass in the canonical order reads texts scattered over memory,
 * and waiting on each one's first line was most of a short text's cost. */
void tx__corpus_prefetch(const tx_corpus *c, size_t i);

/* Documents ahead of the one being read whose texts are prefetched. */
#define PREFETCH_AHEAD 8

/* The context a corpus was made with (for helpers outside tx_corpus.c). */
tx_ctx *tx__corpus_ctx(const tx_corpus *c);

#endif
