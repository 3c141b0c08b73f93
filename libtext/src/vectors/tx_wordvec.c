/*
 * Word vectors trained on the corpus itself: positive PMI of windowed
 * co-occurrence (with context-distribution smoothing), factored by the
 * randomized SVD; a word's vector is its row of U * sqrt(Sigma). Document
 * vectors are SIF averages (weight a / (a + p(w))) with the corpus's common
 * component removed.
 */
#include "tx_internal.h"
#include "tx_vectors_private.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tx_wordvec_params_init(tx_wordvec_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->dim = 100;
    p->window = 5;
    p->cds_alpha = 0.75;
    p->sif_a = 1e-3;
    p->max_docs = 100000;
}

/* Co-occurrence counts: distinct pair keys (row * V + col, ascending)
 * with their counts. Pairs are gathered in a buffer that is sorted and
 * folded into the counts whenever it fills, so memory follows the number
 * of distinct pairs, not the number of tokens (long documents would
 * otherwise need ten keys per token). */
struct cooc {
    tx_ctx *ctx;
    uint64_t nv;
    uint64_t *key;
    uint64_t *cnt;
    size_t n;
    uint64_t *buf, *tmp;
    size_t nbuf, cap_buf;
    size_t fold_min; /* smallest buffer, in keys */
};

#define COOC_BUF_MIN ((size_t)1 << 20) /* keys (8 MB) */
#define RADIX_BITS 11

/* Stable LSD radix sort of the low `bits` bits of b[0, n), via tmp. */
static void radix_sort(uint64_t *b, uint64_t *tmp, size_t n, unsigned bits)
{
    size_t count[1u << RADIX_BITS];
    unsigned shift;
    size_t i;

    for (shift = 0; shift < bits; shift += RADIX_BITS) {
        size_t sum = 0, mask = (1u << RADIX_BITS) - 1;
        uint64_t *t;

        memset(count, 0, sizeof count);
        for (i = 0; i < n; i++)
            count[(b[i] >> shift) & mask]++;
        for (i = 0; i <= mask; i++) {
            size_t c = count[i];

            count[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            tmp[count[(b[i] >> shift) & mask]++] = b[i];
        t = b, b = tmp, tmp = t;
    }
    /* An odd number of passes left the result in the other array. */
    if ((bits + RADIX_BITS - 1) / RADIX_BITS % 2)
        memcpy(tmp, b, n * sizeof *b);
}

/* Merges the sorted counts (k2, c2, n2) into c's, summing shared keys.
 * The counts grow in place and are merged from the top down, so the old
 * and the merged counts are never held side by side (they are most of
 * the word vectors' memory). */
static int cooc_merge(struct cooc *c, const uint64_t *k2, const uint64_t *c2,
                      size_t n2)
{
    size_t total = c->n + n2, i = c->n, j = n2, o = total;
    uint64_t *key = tx__realloc(c->ctx, c->key, (total + 1) * sizeof *key);
    uint64_t *cnt;

    if (!key)
        return TX_ENOMEM;
    c->key = key;
    if (!(cnt = tx__realloc(c->ctx, c->cnt, (total + 1) * sizeof *cnt)))
        return TX_ENOMEM;
    c->cnt = cnt;
    /* The write position never falls below the read position i. */
    while (j > 0) {
        if (i > 0 && key[i - 1] > k2[j - 1]) {
            i--;
            key[--o] = key[i];
            cnt[o] = cnt[i];
        } else if (i > 0 && key[i - 1] == k2[j - 1]) {
            i--, j--;
            key[--o] = key[i];
            cnt[o] = cnt[i] + c2[j];
        } else {
            j--;
            key[--o] = k2[j];
            cnt[o] = c2[j];
        }
    }
    /* The first i counts are in place; shared keys left a gap above them. */
    if (o > i) {
        memmove(key + i, key + o, (total - o) * sizeof *key);
        memmove(cnt + i, cnt + o, (total - o) * sizeof *cnt);
    }
    c->n = i + (total - o);
    return TX_OK;
}

/* Sorts the buffer and merges its runs into the counts. */
static int cooc_fold(struct cooc *c)
{
    unsigned bits = 1;
    size_t i, runs = 0;

    if (!c->nbuf)
        return TX_OK;
    while (bits < 64 && (c->nv * c->nv - 1) >> bits)
        bits++;
    radix_sort(c->buf, c->tmp, c->nbuf, bits);
    for (i = 0; i < c->nbuf; i++) /* run-length in place */
        if (!i || c->buf[i] != c->buf[runs - 1]) {
            c->buf[runs] = c->buf[i];
            c->tmp[runs++] = 1;
        } else {
            c->tmp[runs - 1]++;
        }
    c->nbuf = 0;
    return cooc_merge(c, c->buf, c->tmp, runs);
}

/* Adds the pair (a, b); folds when the buffer is full. The buffer grows to
 * half the number of distinct pairs, so a fold (linear in the counts) is
 * paid for by at least that many new pairs. */
static int cooc_add(struct cooc *c, uint32_t a, uint32_t b)
{
    if (c->nbuf == c->cap_buf) {
        int rc = cooc_fold(c);
        size_t want = c->n / 2 > c->fold_min ? c->n / 2 : c->fold_min;

        if (rc != TX_OK)
            return rc;
        if (want > c->cap_buf) {
            tx_free(c->ctx, c->buf);
            tx_free(c->ctx, c->tmp);
            c->buf = tx__malloc(c->ctx, want * sizeof *c->buf);
            c->tmp = tx__malloc(c->ctx, want * sizeof *c->tmp);
            c->cap_buf = c->buf && c->tmp ? want : 0;
            if (!c->cap_buf)
                return TX_ENOMEM;
        }
    }
    c->buf[c->nbuf++] = (uint64_t)a * c->nv + b;
    return TX_OK;
}

static void cooc_free(struct cooc *c)
{
    tx_free(c->ctx, c->key);
    tx_free(c->ctx, c->cnt);
    tx_free(c->ctx, c->buf);
    tx_free(c->ctx, c->tmp);
}

/* One block of the document sample, counted by one thread. */
struct pair_job {
    const tx_wordvec_params *p;
    const tx_tokenizer_params *tp;
    const tx_vocab *v;
    const tx_corpus *c;
    const tx__seqs *seqs; /* the sample's sequences, or NULL: tokenize */
    size_t step, n_sample, n_blocks;
    struct cooc *co; /* one per block */
};

static int count_block(void *arg, size_t blk)
{
    const struct pair_job *jb = arg;
    struct cooc *co = &jb->co[blk];
    tx__term_ids s = {jb->v, NULL, 0, 0, co->ctx};
    tx_tokenizer *tok = NULL;
    size_t k = jb->n_sample * blk / jb->n_blocks, i, j;
    size_t k1 = jb->n_sample * (blk + 1) / jb->n_blocks;
    size_t w = (size_t)jb->p->window, len;
    const int32_t *ids;
    int rc = jb->seqs ? TX_OK : tx_tokenizer_new(co->ctx, jb->tp, &tok);

    for (; rc == TX_OK && k < k1; k++) {
        tx_doc doc;

        if (jb->seqs) {
            ids = jb->seqs->ids + jb->seqs->ptr[k];
            len = jb->seqs->ptr[k + 1] - jb->seqs->ptr[k];
        } else {
            tx_corpus_doc(jb->c, k * jb->step, &doc);
            s.n = 0;
            rc = tx_tokenize(tok, doc.text, doc.len, tx__collect_term_id, &s);
            ids = s.ids;
            len = s.n;
        }
        for (i = 0; rc == TX_OK && i < len; i++)
            for (j = i + 1; j < len && j <= i + w; j++) {
                uint32_t a = (uint32_t)ids[i], b = (uint32_t)ids[j];

                if (a == b)
                    continue;
                if ((rc = cooc_add(co, a, b)) != TX_OK ||
                    (rc = cooc_add(co, b, a)) != TX_OK)
                    break;
            }
    }
    tx_tokenizer_free(tok);
    tx_free(co->ctx, s.ids);
    return rc == TX_OK ? cooc_fold(co) : rc;
}

/* Counts of every co-occurring pair of terms within the window, both
 * ways, over an even sample of at most max_docs documents: one block of
 * the sample per thread, the blocks' counts then summed (integers, so the
 * result is the same for any number of threads). */
size_t tx__wordvec_step(const tx_wordvec_params *p, size_t n)
{
    /* an even sample, in order */
    return p->max_docs && n > p->max_docs
               ? (n + p->max_docs - 1) / p->max_docs : 1;
}

static int pairs(tx_ctx *ctx, const tx_wordvec_params *p,
                 const tx_tokenizer_params *tp, const tx_vocab *v,
                 const tx_corpus *c, const tx__seqs *seqs, size_t fold_min,
                 struct cooc *co)
{
    struct pair_job jb = {p, tp, v, c, seqs, 1, 0, 1, NULL};
    size_t b;
    int rc;

    memset(co, 0, sizeof *co);
    co->ctx = ctx;
    co->nv = tx_vocab_size(v);
    co->fold_min = fold_min ? fold_min : COOC_BUF_MIN;
    if (seqs) {
        jb.step = seqs->step;
        jb.n_sample = seqs->n;
    } else {
        size_t nd = tx_corpus_size(c);

        jb.step = tx__wordvec_step(p, nd);
        jb.n_sample = (nd + jb.step - 1) / jb.step;
    }
    jb.n_blocks = (size_t)tx_ctx_threads(ctx);
    if (jb.n_blocks > jb.n_sample)
        jb.n_blocks = jb.n_sample ? jb.n_sample : 1;
    jb.co = tx__calloc(ctx, jb.n_blocks, sizeof *jb.co);
    if (!jb.co)
        return TX_ENOMEM;
    for (b = 0; b < jb.n_blocks; b++)
        jb.co[b] = *co;
    rc = tx__parallel(ctx, jb.n_blocks, count_block, &jb);
    /* Block 0's counts become the result; the others are added to them. */
    *co = jb.co[0];
    for (b = 1; b < jb.n_blocks; b++) {
        if (rc == TX_OK)
            rc = cooc_merge(co, jb.co[b].key, jb.co[b].cnt, jb.co[b].n);
        cooc_free(&jb.co[b]);
    }
    tx_free(ctx, jb.co);
    tx_free(ctx, co->buf); /* the counts are all that is needed now */
    tx_free(ctx, co->tmp);
    co->buf = co->tmp = NULL;
    co->cap_buf = 0;
    return rc;
}

/* PPMI matrix (V x V CSR) from the pair counts. */
static int ppmi(tx_ctx *ctx, const tx_wordvec_params *p,
                const struct cooc *co, tx_csr **out)
{
    size_t nv = (size_t)co->nv, n = co->n;
    double *row = tx__calloc(ctx, nv + 1, sizeof *row);
    double *col = tx__calloc(ctx, nv + 1, sizeof *col);
    double total = 0.0, ctotal = 0.0;
    tx_csr *m = tx__csr_new(ctx);
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
        double k = (double)co->cnt[i];

        row[co->key[i] / nv] += k;
        col[co->key[i] % nv] += k;
        total += k;
    }
    for (j = 0; j < nv; j++) {
        col[j] = pow(col[j], p->cds_alpha);
        ctotal += col[j];
    }
    for (i = 0; i < n; i++) {
        size_t r = (size_t)(co->key[i] / nv), cidx = (size_t)(co->key[i] % nv);
        double pmi = log((double)co->cnt[i] / total) - log(row[r] / total) -
                     log(col[cidx] / ctotal);

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
    tx_csr_free(m);
    return rc;
}

int tx__wordvec_ppmi(tx_ctx *ctx, const tx_wordvec_params *p,
                     const tx_tokenizer_params *tp, const tx_vocab *v,
                     const tx_corpus *c, const tx__seqs *seqs,
                     size_t fold_min, tx_csr **out)
{
    struct cooc co;
    int rc = pairs(ctx, p, tp, v, c, seqs, fold_min, &co);

    *out = NULL;
    if (rc == TX_OK)
        rc = ppmi(ctx, p, &co, out);
    cooc_free(&co);
    return rc;
}

static int train(tx_ctx *ctx, const tx_wordvec_params *p,
                 const tx_tokenizer_params *tp, const tx_vocab *v,
                 const tx_corpus *c, const tx__seqs *seqs, tx_mat **vectors);

int tx_wordvec_train(tx_ctx *ctx, const tx_wordvec_params *p,
                     const tx_tokenizer_params *tp, const tx_vocab *v,
                     const tx_corpus *c, tx_mat **vectors)
{
    if (!c)
        return TX_EINVAL;
    return train(ctx, p, tp, v, c, NULL, vectors);
}

int tx__wordvec_train_seqs(tx_ctx *ctx, const tx_wordvec_params *p,
                           const tx_vocab *v, const tx__seqs *seqs,
                           tx_mat **vectors)
{
    if (!seqs)
        return TX_EINVAL;
    return train(ctx, p, NULL, v, NULL, seqs, vectors);
}

static int train(tx_ctx *ctx, const tx_wordvec_params *p,
                 const tx_tokenizer_params *tp, const tx_vocab *v,
                 const tx_corpus *c, const tx__seqs *seqs, tx_mat **vectors)
{
    tx_wordvec_params def;
    tx_svd_params sp;
    size_t i, j;
    tx_csr *m = NULL;
    tx_mat *comp = NULL, *w = NULL;
    float *sigma = NULL;
    int rc;

    if (!ctx || !v || !vectors)
        return TX_EINVAL;
    *vectors = NULL;
    tx_wordvec_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (p->window < 1 || p->dim < 1)
        return TX_EINVAL;
    rc = tx__wordvec_ppmi(ctx, p, tp, v, c, seqs, 0, &m);
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
    tx_csr_free(m);
    tx_mat_free(comp);
    tx_free(ctx, sigma);
    if (rc != TX_OK) {
        tx_mat_free(w);
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

/* The weighted average of row r's word vectors, into out (d floats). */
static inline void embed_row(const tx_mat *vectors, const float *weights,
                             const tx_csr *counts, size_t r, float *out)
{
    size_t d = vectors->cols, j;
    double len = 0.0;
    int64_t k;

    memset(out, 0, d * sizeof *out);
    for (k = counts->indptr[r]; k < counts->indptr[r + 1]; k++) {
        int32_t w = counts->indices[k];
        float wt = counts->data[k] * weights[w];
        const float *v = vectors->data + (size_t)w * vectors->ld;

        len += counts->data[k];
        for (j = 0; j < d; j++)
            out[j] += wt * v[j];
    }
    for (j = 0; len > 0 && j < d; j++)
        out[j] = (float)(out[j] / len);
}

TX_HOT void tx__sif_embed_into(const tx_mat *vectors, const float *weights,
                        const float *pc, const tx_csr *counts, float *out,
                        size_t ld)
{
    size_t d = vectors->cols, i, j;

    for (i = 0; i < counts->rows; i++) {
        float *row = out + i * ld;
        double dot = 0.0;

        embed_row(vectors, weights, counts, i, row);
        if (!pc)
            continue;
        for (j = 0; j < d; j++)
            dot += (double)row[j] * pc[j];
        for (j = 0; j < d; j++)
            row[j] -= (float)(dot * pc[j]);
    }
}

/* The principal direction is found from the sample's Gram matrix
 * X^T X (d x d), summed over fixed blocks of rows, so the sample's
 * vectors are never held at once: each block is embedded, multiplied
 * (float SSYRK) and dropped, and the blocks' results are added in
 * double in block order, the same for any number of threads. */
#define PC_SAMPLE 100000
#define PC_BLOCK 4096

struct pc_job {
    const tx_mat *vectors;
    const float *weights;
    const tx_csr *counts;
    size_t n;   /* sample rows: row i * counts->rows / n */
    float *out; /* per block, d x d (upper triangle) */
    tx_ctx *ctx;
};

static int pc_block(void *arg, size_t b)
{
    const struct pc_job *j = arg;
    size_t d = j->vectors->cols, i0 = b * PC_BLOCK, i;
    size_t m = j->n - i0 < PC_BLOCK ? j->n - i0 : PC_BLOCK;
    float *x = tx__malloc(j->ctx, m * d * sizeof *x);

    if (!x)
        return TX_ENOMEM;
    for (i = 0; i < m; i++)
        embed_row(j->vectors, j->weights, j->counts,
                  (i0 + i) * j->counts->rows / j->n, x + i * d);
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)d, (int)m, 1.0f,
                x, (int)d, 0.0f, j->out + b * d * d, (int)d);
    tx_free(j->ctx, x);
    return TX_OK;
}

int tx__sif_pc(tx_ctx *ctx, const tx_mat *vectors, const float *weights,
               const tx_csr *counts, float *pc)
{
    size_t d = vectors->cols, i, k, b, it;
    size_t n = counts->rows < PC_SAMPLE ? counts->rows : PC_SAMPLE;
    size_t nb = (n + PC_BLOCK - 1) / PC_BLOCK;
    struct pc_job j = {vectors, weights, counts, n, NULL, ctx};
    double *g = tx__calloc(ctx, d * d, sizeof *g);
    double *u = tx__calloc(ctx, d, sizeof *u), *t = tx__calloc(ctx, d, sizeof *t);
    int rc = g && u && t ? TX_OK : TX_ENOMEM;

    if (rc == TX_OK && nb) {
        j.out = tx__malloc(ctx, nb * d * d * sizeof *j.out);
        rc = j.out ? tx__parallel(ctx, nb, pc_block, &j) : TX_ENOMEM;
    }
    if (rc != TX_OK)
        goto done;
    for (b = 0; b < nb; b++)
        for (i = 0; i < d; i++)
            for (k = i; k < d; k++)
                g[i * d + k] += j.out[(b * d + i) * d + k];
    for (i = 0; i < d; i++)
        for (k = 0; k < i; k++)
            g[i * d + k] = g[k * d + i];
    /* The top eigenvector of X^T X (the top right singular vector of X),
     * by power iteration from a fixed start. */
    for (i = 0; i < d; i++)
        u[i] = 1.0 / sqrt((double)d);
    for (it = 0; it < 50; it++) {
        double nrm = 0.0;

        for (i = 0; i < d; i++) {
            double sum = 0.0;

            for (k = 0; k < d; k++)
                sum += g[i * d + k] * u[k];
            t[i] = sum;
            nrm += sum * sum;
        }
        if (nrm <= 0.0)
            break;
        for (i = 0; i < d; i++)
            u[i] = t[i] / sqrt(nrm);
    }
    for (i = 0; i < d; i++)
        pc[i] = (float)u[i];
done:
    tx_free(ctx, j.out);
    tx_free(ctx, g);
    tx_free(ctx, u);
    tx_free(ctx, t);
    return rc;
}

int tx_wordvec_embed_docs(tx_ctx *ctx, const tx_wordvec_params *p,
                          const tx_mat *vectors, const tx_csr *counts,
                          tx_mat **docs)
{
    tx_wordvec_params def;
    float *w = NULL, *pc = NULL;
    int rc;

    if (!ctx || !vectors || !counts || !docs ||
        counts->cols != vectors->rows)
        return TX_EINVAL;
    *docs = NULL;
    tx_wordvec_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    pc = tx__malloc(ctx, vectors->cols * sizeof *pc);
    rc = pc ? tx__sif_weights(ctx, counts, p->sif_a, &w) : TX_ENOMEM;
    if (rc == TX_OK)
        rc = tx__sif_pc(ctx, vectors, w, counts, pc);
    if (rc == TX_OK)
        rc = tx__sif_embed(ctx, vectors, w, pc, counts, docs);
    tx_free(ctx, w);
    tx_free(ctx, pc);
    return rc;
}
