/*
 * Word vectors trained on the corpus itself: positive PMI of windowed
 * co-occurrence (with context-distribution smoothing), factored by the
 * randomized SVD; a word's vector is its row of U * sqrt(Sigma). Document
 * vectors are SIF averages (weight a / (a + p(w))) with the corpus's common
 * component removed.
 */
#include "tx_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tx_wordvec_params_init(tx_wordvec_params *p)
{
    p->dim = 100;
    p->window = 5;
    p->cds_alpha = 0.75;
    p->sif_a = 1e-3;
    p->max_docs = 100000;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Sorted (row << 32 | col) keys of every co-occurring pair, both ways. */
static int pairs(tx_ctx *ctx, const tx_wordvec_params *p,
                 const tx_tokenizer_params *tp, const tx_vocab *v,
                 const tx_corpus *c, uint64_t **out, size_t *n_out)
{
    tx__term_ids s = {v, NULL, 0, 0, ctx};
    tx_tokenizer *tok = NULL;
    uint64_t *keys = NULL;
    size_t n = 0, cap = 0, d, nd = tx_corpus_size(c), step = 1, i, j;
    int rc = tx_tokenizer_new(ctx, tp, &tok);

    if (p->max_docs && nd > p->max_docs) /* an even sample, in order */
        step = (nd + p->max_docs - 1) / p->max_docs;
    for (d = 0; rc == TX_OK && d < nd; d += step) {
        tx_doc doc;

        tx_corpus_doc(c, d, &doc);
        s.n = 0;
        rc = tx_tokenize(tok, doc.text, doc.len, tx__collect_term_id, &s);
        for (i = 0; rc == TX_OK && i < s.n; i++)
            for (j = i + 1; j < s.n && j <= i + (size_t)p->window; j++) {
                uint32_t a = (uint32_t)s.ids[i], b = (uint32_t)s.ids[j];

                if (a == b)
                    continue;
                if (tx__grow(ctx, (void **)&keys, &cap, n + 2, sizeof *keys)) {
                    rc = TX_ENOMEM;
                    break;
                }
                keys[n++] = (uint64_t)a << 32 | b;
                keys[n++] = (uint64_t)b << 32 | a;
            }
    }
    tx_tokenizer_free(tok);
    tx_free(ctx, s.ids);
    if (rc != TX_OK) {
        tx_free(ctx, keys);
        return rc;
    }
    if (n)
        qsort(keys, n, sizeof *keys, cmp_u64);
    *out = keys;
    *n_out = n;
    return TX_OK;
}

/* PPMI matrix (V x V CSR) from sorted pair keys. */
static int ppmi(tx_ctx *ctx, const tx_wordvec_params *p, size_t nv,
                const uint64_t *keys, size_t n, tx_csr **out)
{
    double *row = tx__calloc(ctx, nv + 1, sizeof *row);
    double *col = tx__calloc(ctx, nv + 1, sizeof *col);
    double total = 0.0, ctotal = 0.0;
    tx_csr *m = tx__calloc(ctx, 1, sizeof *m);
    size_t i, j, nnz = 0;
    int rc = TX_ENOMEM;

    if (!row || !col || !m)
        goto fail;
    m->rows = m->cols = nv;
    m->indptr = tx__calloc(ctx, nv + 1, sizeof *m->indptr);
    m->indices = tx__malloc(ctx, (n + 1) * sizeof *m->indices);
    m->data = tx__malloc(ctx, (n + 1) * sizeof *m->data);
    if (!m->indptr || !m->indices || !m->data)
        goto fail;
    for (i = 0; i < n; i++) {
        row[keys[i] >> 32] += 1.0;
        col[keys[i] & 0xFFFFFFFFu] += 1.0;
        total += 1.0;
    }
    for (j = 0; j < nv; j++) {
        col[j] = pow(col[j], p->cds_alpha);
        ctotal += col[j];
    }
    for (i = 0; i < n;) {
        uint64_t k = keys[i];
        size_t r = k >> 32, cidx = k & 0xFFFFFFFFu;
        double cnt = 0.0, pmi;

        while (i < n && keys[i] == k) {
            cnt += 1.0;
            i++;
        }
        pmi = log(cnt / total) - log(row[r] / total) - log(col[cidx] / ctotal);
        if (pmi > 0.0) {
            m->indices[nnz] = (int32_t)cidx;
            m->data[nnz++] = (float)pmi;
            m->indptr[r + 1]++;
        }
    }
    for (i = 0; i < nv; i++)
        m->indptr[i + 1] += m->indptr[i];
    m->nnz = nnz;
    *out = m;
    m = NULL;
    rc = TX_OK;
fail:
    tx_free(ctx, row);
    tx_free(ctx, col);
    tx_csr_free(ctx, m);
    return rc;
}

int tx_wordvec_train(tx_ctx *ctx, const tx_wordvec_params *p,
                     const tx_tokenizer_params *tp, const tx_vocab *v,
                     const tx_corpus *c, tx_mat **vectors)
{
    tx_wordvec_params def;
    tx_svd_params sp;
    uint64_t *keys = NULL;
    size_t n = 0, i, j;
    tx_csr *m = NULL;
    tx_mat *comp = NULL, *w = NULL;
    float *sigma = NULL;
    int rc;

    if (!ctx || !v || !c || !vectors)
        return TX_EINVAL;
    *vectors = NULL;
    if (!p) {
        tx_wordvec_params_init(&def);
        p = &def;
    }
    if (p->window < 1 || p->dim < 1)
        return TX_EINVAL;
    rc = pairs(ctx, p, tp, v, c, &keys, &n);
    if (rc == TX_OK)
        rc = ppmi(ctx, p, tx_vocab_size(v), keys, n, &m);
    tx_free(ctx, keys);
    if (rc == TX_OK) {
        tx_svd_params_init(&sp);
        sp.rank = p->dim;
        rc = tx_svd_fit(ctx, &sp, m, &comp, &sigma, &w);
    }
    if (rc == TX_OK) /* U Sigma -> U sqrt(Sigma) */
        for (j = 0; j < w->cols; j++) {
            float f = sigma[j] > 0 ? 1.0f / sqrtf(sigma[j]) : 0.0f;

            for (i = 0; i < w->rows; i++)
                w->data[i * w->ld + j] *= f;
        }
    tx_csr_free(ctx, m);
    tx_mat_free(ctx, comp);
    tx_free(ctx, sigma);
    if (rc != TX_OK) {
        tx_mat_free(ctx, w);
        return rc;
    }
    *vectors = w;
    return TX_OK;
}

int tx__sif_weights(tx_ctx *ctx, const tx_csr *counts, double a,
                    float **out)
{
    double *freq = tx__calloc(ctx, counts->cols + 1, sizeof *freq);
    float *w = tx__malloc(ctx, (counts->cols + 1) * sizeof *w);
    double total = 0.0;
    size_t j;
    int64_t k;

    *out = NULL;
    if (!freq || !w) {
        tx_free(ctx, freq);
        tx_free(ctx, w);
        return TX_ENOMEM;
    }
    for (k = 0; k < (int64_t)counts->nnz; k++) {
        freq[counts->indices[k]] += counts->data[k];
        total += counts->data[k];
    }
    for (j = 0; j < counts->cols; j++)
        w[j] = total > 0 ? (float)(a / (a + freq[j] / total)) : 1.0f;
    tx_free(ctx, freq);
    *out = w;
    return TX_OK;
}

int tx__sif_embed(tx_ctx *ctx, const tx_mat *vectors, const float *weights,
                  const float *pc, const tx_csr *counts, tx_mat **out)
{
    tx_mat *x = NULL;
    int rc = tx_mat_new(ctx, counts->rows, vectors->cols, &x);

    *out = NULL;
    if (rc != TX_OK)
        return rc;
    tx__sif_embed_into(vectors, weights, pc, counts, x->data, x->ld);
    *out = x;
    return TX_OK;
}

TX_HOT void tx__sif_embed_into(const tx_mat *vectors, const float *weights,
                        const float *pc, const tx_csr *counts, float *out,
                        size_t ld)
{
    size_t d = vectors->cols, i, j;
    int64_t k;

    for (i = 0; i < counts->rows; i++) {
        float *row = out + i * ld;
        double len = 0.0, dot = 0.0;

        memset(row, 0, d * sizeof *row);
        for (k = counts->indptr[i]; k < counts->indptr[i + 1]; k++) {
            int32_t w = counts->indices[k];
            float wt = counts->data[k] * weights[w];
            const float *v = vectors->data + (size_t)w * vectors->ld;

            len += counts->data[k];
            for (j = 0; j < d; j++)
                row[j] += wt * v[j];
        }
        for (j = 0; len > 0 && j < d; j++)
            row[j] = (float)(row[j] / len);
        if (!pc)
            continue;
        for (j = 0; j < d; j++)
            dot += (double)row[j] * pc[j];
        for (j = 0; j < d; j++)
            row[j] -= (float)(dot * pc[j]);
    }
}

int tx__sif_pc(tx_ctx *ctx, const tx_mat *x, float *pc)
{
    /* An even sample of rows is enough to find one direction. */
    size_t d = x->cols, i, j, it, n = x->rows < 100000 ? x->rows : 100000;
    double *u = tx__calloc(ctx, d, sizeof *u), *t = tx__calloc(ctx, d, sizeof *t);

    if (!u || !t) {
        tx_free(ctx, u);
        tx_free(ctx, t);
        return TX_ENOMEM;
    }
    /* The top right singular vector, by power iteration from a fixed
     * start (deterministic). */
    for (j = 0; j < d; j++)
        u[j] = 1.0 / sqrt((double)d);
    for (it = 0; it < 50; it++) {
        double nrm = 0.0;

        memset(t, 0, d * sizeof *t);
        for (i = 0; i < n; i++) {
            const float *row = x->data + (i * x->rows / n) * x->ld;
            double dot = 0.0;

            for (j = 0; j < d; j++)
                dot += row[j] * u[j];
            for (j = 0; j < d; j++)
                t[j] += dot * row[j];
        }
        for (j = 0; j < d; j++)
            nrm += t[j] * t[j];
        if (nrm <= 0.0)
            break;
        for (j = 0; j < d; j++)
            u[j] = t[j] / sqrt(nrm);
    }
    for (j = 0; j < d; j++)
        pc[j] = (float)u[j];
    tx_free(ctx, u);
    tx_free(ctx, t);
    return TX_OK;
}

int tx_wordvec_embed_docs(tx_ctx *ctx, const tx_wordvec_params *p,
                          const tx_mat *vectors, const tx_csr *counts,
                          tx_mat **docs)
{
    tx_wordvec_params def;
    float *w = NULL, *pc = NULL;
    tx_mat *raw = NULL;
    int rc;

    if (!ctx || !vectors || !counts || !docs ||
        counts->cols != vectors->rows)
        return TX_EINVAL;
    *docs = NULL;
    if (!p) {
        tx_wordvec_params_init(&def);
        p = &def;
    }
    pc = tx__malloc(ctx, vectors->cols * sizeof *pc);
    rc = pc ? tx__sif_weights(ctx, counts, p->sif_a, &w) : TX_ENOMEM;
    if (rc == TX_OK)
        rc = tx__sif_embed(ctx, vectors, w, NULL, counts, &raw);
    if (rc == TX_OK)
        rc = tx__sif_pc(ctx, raw, pc);
    if (rc == TX_OK)
        rc = tx__sif_embed(ctx, vectors, w, pc, counts, docs);
    tx_mat_free(ctx, raw);
    tx_free(ctx, w);
    tx_free(ctx, pc);
    return rc;
}
