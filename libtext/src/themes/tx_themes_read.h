/* What the stages after themes (analysis, report) read of a fitted model
 * beyond the public accessors. The model's struct stays private to the
 * themes stage. Never installed. */
#ifndef TX_THEMES_READ_H
#define TX_THEMES_READ_H

#include "tx_internal.h"

tx_ctx *tx__themes_ctx(const tx_themes *th);
/* The corpus the model was fitted on (NULL for a loaded model). */
const tx_corpus *tx__themes_corpus(const tx_themes *th);
const tx_themes_params *tx__themes_params(const tx_themes *th);
bool tx__themes_has_word_vectors(const tx_themes *th);
const tx_vocab *tx__themes_vocab(const tx_themes *th);
/* Theme t's label and share (t < k). */
const char *tx__theme_label(const tx_themes *th, size_t t);
double tx__theme_share(const tx_themes *th, size_t t);
/* Merge s's two nodes (s < k - 1). */
size_t tx__themes_merge_a(const tx_themes *th, size_t s);
size_t tx__themes_merge_b(const tx_themes *th, size_t s);
double tx__themes_merge_sim(const tx_themes *th, size_t s);
/* Fitted models: the documents' term counts (rows in the fit's order) and
 * each document's row; NULL for a loaded model. */
const tx_csr *tx__themes_doc_counts(const tx_themes *th,
                                    const size_t **doc_row);
/* The per-document theme and score arrays of the fit. */
const int32_t *tx__themes_doc_themes(const tx_themes *th);
const float *tx__themes_doc_scores(const tx_themes *th);
/* The distinct themes (sub: sub-themes) fitted document i speaks of: its
 * primary one first, then those its mentions name; returns how many (0 for
 * a document with no theme). `out` has room for every theme (sub-theme). */
size_t tx__themes_doc_speaks(const tx_themes *th, size_t i, bool sub,
                             int32_t *out);
/* Per-document sub-themes of the fit, or NULL when there are none. */
const int32_t *tx__themes_doc_subthemes(const tx_themes *th);

#endif
