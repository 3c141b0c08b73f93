/*
 * The fitted model as the later stages read it (themes/tx_themes_read.h).
 */
#include "tx_themes_private.h"
#include "tx_themes_read.h"

tx_ctx *tx__themes_ctx(const tx_themes *th) { return th->ctx; }
const tx_corpus *tx__themes_corpus(const tx_themes *th) { return th->corpus; }
const tx_themes_params *tx__themes_params(const tx_themes *th)
{
    return &th->p;
}
bool tx__themes_has_word_vectors(const tx_themes *th) { return th->wv != NULL; }
const tx_vocab *tx__themes_vocab(const tx_themes *th) { return th->vocab; }
const char *tx__theme_label(const tx_themes *th, size_t t)
{
    return th->themes[t].label;
}
double tx__theme_share(const tx_themes *th, size_t t)
{
    return th->themes[t].share;
}
size_t tx__themes_merge_a(const tx_themes *th, size_t s)
{
    return th->merge_a[s];
}
size_t tx__themes_merge_b(const tx_themes *th, size_t s)
{
    return th->merge_b[s];
}
double tx__themes_merge_sim(const tx_themes *th, size_t s)
{
    return th->merge_sim[s];
}
const tx_csr *tx__themes_doc_counts(const tx_themes *th,
                                    const size_t **doc_row)
{
    *doc_row = th->doc_row;
    return th->doc_counts;
}
const int32_t *tx__themes_doc_themes(const tx_themes *th)
{
    return th->doc_theme;
}
const float *tx__themes_doc_scores(const tx_themes *th)
{
    return th->doc_score;
}

const int32_t *tx__themes_doc_subthemes(const tx_themes *th)
{
    return th->n_sub ? th->doc_sub : NULL;
}
