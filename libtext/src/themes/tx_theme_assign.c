/*
 * Assigning documents to a fitted (or loaded) model's themes.
 */
#include "tx_themes_private.h"

#include <string.h>

int tx_themes_assign(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                     const tx_mat *embeddings, int32_t *themes, float *scores,
                     int32_t *subthemes)
{
    tx_csr *counts = NULL, *sub = NULL;
    size_t n, i, m = 0, *rows = NULL;
    tx_mat *x = NULL;
    int32_t *lab = NULL, *subs = NULL;
    float *sc = NULL;
    int rc;

    if (!ctx || !th || !c || !themes || !th->cent)
        return TX_EINVAL;
    if (th->ext_dim && (!embeddings || embeddings->cols != th->ext_dim ||
                        embeddings->rows != tx_corpus_rows(c)))
        return TX_EINVAL;
    n = tx_corpus_size(c);
    rc = tx_vocab_transform(ctx, &th->p.tok, th->vocab, c, &counts);
    if (rc == TX_OK) {
        rows = tx__malloc(ctx, (n + 1) * sizeof *rows);
        rc = rows ? TX_OK : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < n; i++) {
        tx_doc d;

        themes[i] = -1;
        if (subthemes)
            subthemes[i] = -1;
        if (scores)
            scores[i] = 0.0f;
        tx_corpus_doc(c, i, &d);
        if (counts->indptr[i + 1] > counts->indptr[i] &&
            !tx_text_is_non_answer(d.text, d.len)) /* as the fit */
            rows[m++] = i;
    }
    if (rc == TX_OK && m) {
        rc = tx__csr_rows(ctx, counts, rows, m, &sub);
        if (rc == TX_OK && th->ext_dim)
            rc = tx__theme_gather_external(ctx, c, embeddings, rows, m, &x);
        else if (rc == TX_OK)
            rc = tx__theme_embed(ctx, th, sub, &x);
        lab = tx__malloc(ctx, m * sizeof *lab);
        sc = tx__malloc(ctx, m * sizeof *sc);
        if (rc == TX_OK && (!lab || !sc))
            rc = TX_ENOMEM;
        if (rc == TX_OK)
            rc = tx_kmeans_assign(ctx, th->cent, th->p.kmeans.spherical, x,
                                  lab, sc);
        if (rc == TX_OK && subthemes && th->n_sub) {
            subs = tx__malloc(ctx, m * sizeof *subs);
            rc = subs ? tx__theme_assign_sub(ctx, th, x, lab, subs, NULL)
                     : TX_ENOMEM;
        }
        for (i = 0; rc == TX_OK && i < m; i++) {
            themes[rows[i]] = lab[i];
            if (scores)
                scores[rows[i]] = sc[i];
            if (subs)
                subthemes[rows[i]] = subs[i];
        }
    }
    tx_csr_free(counts);
    tx_csr_free(sub);
    tx_mat_free(x);
    tx_free(ctx, rows);
    tx_free(ctx, lab);
    tx_free(ctx, sc);
    tx_free(ctx, subs);
    return rc;
}
