/*
 * Assigning documents to a fitted (or loaded) model's themes.
 */
#include "tx_themes_private.h"
#include "input/tx_input.h"

#include <string.h>

/* Each document on its own: its terms, its vector, the nearest centre.
 * Every document keeps its row in the vectors (one with no terms is a
 * zero row, its result unused): the centres are compared with fixed
 * blocks of rows in one matrix product each, and a product's rows can
 * differ in the last bit with the block they are in, so a document is
 * in the same block at the same place in one process and on any rank
 * (whose share starts at a block; see assign_shared). */
static int assign_docs(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                       const tx_mat *embeddings, int32_t *themes,
                       float *scores, int32_t *subthemes)
{
    tx_csr *counts = NULL;
    size_t n, i;
    tx_mat *x = NULL;
    int32_t *lab = NULL, *subs = NULL;
    float *sc = NULL;
    bool *themed = NULL;
    int rc;

    n = tx_corpus_size(c);
    rc = tx_vocab_transform(ctx, &th->p.tok, th->vocab, c, &counts);
    if (rc == TX_OK) {
        themed = tx__malloc(ctx, (n + 1) * sizeof *themed);
        rc = themed ? TX_OK : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < n; i++) {
        tx_doc d;

        themes[i] = -1;
        if (subthemes)
            subthemes[i] = -1;
        if (scores)
            scores[i] = 0.0f;
        tx_corpus_doc(c, i, &d);
        themed[i] = counts->indptr[i + 1] > counts->indptr[i] &&
                    !tx_text_is_non_answer(d.text, d.len); /* as the fit */
    }
    if (rc == TX_OK && n) {
        rc = th->ext_dim
                 ? tx__theme_gather_external(ctx, c, embeddings, NULL, n, &x)
                 : tx__theme_embed(ctx, th, counts, NULL, n, false, &x);
        lab = tx__malloc(ctx, n * sizeof *lab);
        sc = tx__malloc(ctx, n * sizeof *sc);
        if (rc == TX_OK && (!lab || !sc))
            rc = TX_ENOMEM;
        if (rc == TX_OK)
            rc = tx_kmeans_assign(ctx, th->cent, th->p.kmeans.spherical, x,
                                  lab, sc);
        if (rc == TX_OK && subthemes && th->n_sub) {
            subs = tx__malloc(ctx, n * sizeof *subs);
            rc = subs ? tx__theme_assign_sub(ctx, th, x, lab, subs, NULL)
                     : TX_ENOMEM;
        }
        for (i = 0; rc == TX_OK && i < n; i++) {
            if (!themed[i])
                continue;
            themes[i] = lab[i];
            if (scores)
                scores[i] = sc[i];
            if (subs)
                subthemes[i] = subs[i];
        }
    }
    tx_csr_free(counts);
    tx_mat_free(x);
    tx_free(ctx, themed);
    tx_free(ctx, lab);
    tx_free(ctx, sc);
    tx_free(ctx, subs);
    return rc;
}

/* Several ranks: each assigns its share of the documents into the
 * caller's arrays, and the ranks exchange their parts of them. Shares
 * start at a block of assign_docs' products, so the split changes no
 * bit. */
static int assign_shared(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                         const tx_mat *embeddings, int32_t *themes,
                         float *scores, int32_t *subthemes)
{
    size_t n = tx_corpus_size(c), from, to, i;
    size_t *perm;
    tx_corpus *part = NULL;
    void *arrays[3] = {themes, scores, subthemes};
    size_t sizes[3] = {sizeof *themes, sizeof *scores, sizeof *subthemes};
    int rc;

    tx__comm_items(ctx, n, TX__HELD_BLOCK, &from, &to);
    perm = tx__malloc(ctx, (to - from + 1) * sizeof *perm);
    rc = perm ? TX_OK : TX_ENOMEM;
    for (i = from; rc == TX_OK && i < to; i++)
        perm[i - from] = i;
    if (rc == TX_OK)
        rc = tx__corpus_view(c, perm, to - from, &part);
    tx__comm_solo(ctx, true);
    if (rc == TX_OK)
        rc = assign_docs(ctx, th, part, embeddings, themes + from,
                         scores ? scores + from : NULL,
                         subthemes ? subthemes + from : NULL);
    tx__comm_solo(ctx, false);
    rc = tx__comm_share_items(ctx, rc, n, TX__HELD_BLOCK, arrays, sizes, 3);
    tx_corpus_free(part);
    tx_free(ctx, perm);
    return rc;
}

int tx_themes_assign(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                     const tx_mat *embeddings, int32_t *themes, float *scores,
                     int32_t *subthemes)
{
    if (!ctx || !th || !c || !themes || !th->cent || tx__corpus_is_share(c))
        return TX_EINVAL;
    if (th->ext_dim && (!embeddings || embeddings->cols != th->ext_dim ||
                        embeddings->rows != tx_corpus_rows(c)))
        return TX_EINVAL;
    return tx__comm_many(ctx)
               ? assign_shared(ctx, th, c, embeddings, themes, scores,
                               subthemes)
               : assign_docs(ctx, th, c, embeddings, themes, scores,
                             subthemes);
}
