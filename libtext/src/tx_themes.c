/*
 * Themes: the pipeline from a corpus to described themes, and the model
 * that assigns new documents.
 *
 * corpus (canonical order) -> counts -> TF-IDF -> LSA coordinates
 *   (+ SIF word-vector document vectors) -> unit rows -> k-means
 *   -> labels (contrastive log-odds), quotes (central and varied),
 *      stability, merge tree.
 * Every document embedding goes through embed(), for the fit and for
 * tx_themes_assign alike, so fitted documents always get their own theme
 * back.
 */
#include "tx_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tx_themes_params_init(tx_themes_params *p)
{
    memset(p, 0, sizeof *p);
    tx_tokenizer_params_init(&p->tok);
    tx_vocab_params_init(&p->vocab);
    p->vocab.min_df = 2;
    tx_tfidf_params_init(&p->tfidf);
    tx_svd_params_init(&p->svd);
    p->use_wordvec = 1;
    tx_wordvec_params_init(&p->wordvec);
    tx_kmeans_params_init(&p->kmeans);
    p->kmeans.k = 0;
    p->method = TX_THEMES_KMEANS;
    tx_dmm_params_init(&p->dmm);
    p->granularity = 1.0;
    p->n_terms = 10;
    p->n_quotes = 4;
    p->prior = 500.0;
}

void tx__themes_free(struct tx_themes *th)
{
    size_t t, i;

    if (!th)
        return;
    for (t = 0; th->themes && t < th->k; t++) {
        struct tx__theme *x = &th->themes[t];

        tx_free(th->ctx, x->label);
        for (i = 0; i < x->n_terms; i++)
            tx_free(th->ctx, x->terms[i]);
        tx_free(th->ctx, x->terms);
        tx_free(th->ctx, x->scores);
        tx_free(th->ctx, x->quotes);
    }
    tx_free(th->ctx, th->themes);
    for (i = 0; th->stop && th->stop[i]; i++)
        tx_free(th->ctx, th->stop[i]);
    tx_free(th->ctx, th->stop);
    tx_vocab_free(th->vocab);
    tx_free(th->ctx, th->idf);
    tx_mat_free(th->ctx, th->comp);
    tx_mat_free(th->ctx, th->wv);
    tx_free(th->ctx, th->sif_w);
    tx_free(th->ctx, th->pc);
    tx_mat_free(th->ctx, th->cent);
    tx_free(th->ctx, th->merge_a);
    tx_free(th->ctx, th->merge_b);
    tx_free(th->ctx, th->merge_sim);
    tx_free(th->ctx, th->doc_theme);
    tx_free(th->ctx, th->doc_score);
    tx_free(th->ctx, th->lang);
    tx_free(th->ctx, th);
}

void tx_themes_free(tx_themes *th)
{
    tx__themes_free(th);
}

/* ---- canonical order ---- */

struct keyed {
    uint64_t hash;
    const char *text;
    size_t len, index;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c;

    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    c = memcmp(x->text, y->text, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Documents sorted by (hash of text, text): an order that depends only on
 * the texts, so shuffled input gives identical arithmetic. Identical texts
 * are interchangeable. */
static int canonical_order(tx_ctx *ctx, const tx_corpus *c, size_t **out)
{
    size_t n = tx_corpus_size(c), i;
    struct keyed *k = tx__malloc(ctx, (n + 1) * sizeof *k);
    size_t *perm = tx__malloc(ctx, (n + 1) * sizeof *perm);

    if (!k || !perm) {
        tx_free(ctx, k);
        tx_free(ctx, perm);
        return TX_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        k[i] = (struct keyed){tx__hash(d.text, d.len), d.text, d.len, i};
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    for (i = 0; i < n; i++)
        perm[i] = k[i].index;
    tx_free(ctx, k);
    *out = perm;
    return TX_OK;
}

/* ---- embedding ---- */

/* Unit rows of m's columns [c0, c0 + w), in place. */
static void normalize_part(tx_mat *m, size_t c0, size_t w)
{
    tx_mat part = {m->rows, w, m->ld, m->data + c0};

    tx_mat_normalize_rows(&part);
}

/* Rows of `counts` as unit vectors of the model's space: LSA coordinates
 * and SIF vectors, each of unit length, side by side (equal weight), the
 * pair again of unit length. Written straight into one matrix, so the
 * largest buffer is the result itself. */
static int embed(tx_ctx *ctx, const tx_themes *th, const tx_csr *counts,
                 tx_mat **out)
{
    size_t dl = th->comp->rows, ds = th->wv ? th->wv->cols : 0;
    tx_csr *w = NULL;
    tx_mat *x = NULL;
    int rc;

    *out = NULL;
    rc = tx_mat_new(ctx, counts->rows, dl + ds, &x);
    if (rc == TX_OK)
        rc = tx_tfidf_apply(ctx, &th->p.tfidf, th->idf, counts, &w);
    if (rc == TX_OK)
        rc = tx__svd_project_into(ctx, th->comp, w, x->data, x->ld);
    tx_csr_free(ctx, w);
    if (rc != TX_OK) {
        tx_mat_free(ctx, x);
        return rc;
    }
    normalize_part(x, 0, dl);
    if (ds) {
        tx__sif_embed_into(th->wv, th->sif_w, th->pc, counts, x->data + dl,
                           x->ld);
        normalize_part(x, dl, ds);
        tx_mat_normalize_rows(x);
    }
    *out = x;
    return TX_OK;
}

/* Rows of `m` listed in `rows` (a new CSR). */
static int csr_rows(tx_ctx *ctx, const tx_csr *m, const size_t *rows,
                    size_t n, tx_csr **out)
{
    tx_csr *s = tx__calloc(ctx, 1, sizeof *s);
    size_t i, nnz = 0;

    *out = NULL;
    if (!s)
        return TX_ENOMEM;
    for (i = 0; i < n; i++)
        nnz += (size_t)(m->indptr[rows[i] + 1] - m->indptr[rows[i]]);
    s->rows = n;
    s->cols = m->cols;
    s->nnz = nnz;
    s->indptr = tx__malloc(ctx, (n + 1) * sizeof *s->indptr);
    s->indices = tx__malloc(ctx, (nnz + 1) * sizeof *s->indices);
    s->data = tx__malloc(ctx, (nnz + 1) * sizeof *s->data);
    if (!s->indptr || !s->indices || !s->data) {
        tx_csr_free(ctx, s);
        return TX_ENOMEM;
    }
    s->indptr[0] = 0;
    for (i = 0; i < n; i++) {
        int64_t a = m->indptr[rows[i]], b = m->indptr[rows[i] + 1];

        memcpy(s->indices + s->indptr[i], m->indices + a,
               (size_t)(b - a) * sizeof *s->indices);
        memcpy(s->data + s->indptr[i], m->data + a,
               (size_t)(b - a) * sizeof *s->data);
        s->indptr[i + 1] = s->indptr[i] + (b - a);
    }
    *out = s;
    return TX_OK;
}

/* Unit rows of external document vectors for the documents doc[0..n):
 * the matrix has one row per input row (tx_doc.row). */
static int gather_external(tx_ctx *ctx, const tx_corpus *c, const tx_mat *e,
                           const size_t *doc, size_t n, tx_mat **out)
{
    size_t i;
    int rc = tx_mat_new(ctx, n, e->cols, out);

    for (i = 0; rc == TX_OK && i < n; i++) {
        tx_doc d;

        tx_corpus_doc(c, doc[i], &d);
        memcpy((*out)->data + i * (*out)->ld, e->data + d.row * e->ld,
               e->cols * sizeof(float));
    }
    if (rc == TX_OK)
        tx_mat_normalize_rows(*out);
    return rc;
}

/* ---- automatic k ---- */

/* Mean silhouette (cosine distance) of a labelled sample of rows, and
 * its standard error (the spread of the rows' values over sqrt(n)). */
static int silhouette(tx_ctx *ctx, const tx_mat *x, const int32_t *lab,
                      size_t k, double *out, double *se)
{
    size_t n = x->rows, i, j, c;
    float *g = tx__malloc(ctx, n * n * sizeof *g);
    double *sum = tx__malloc(ctx, k * sizeof *sum), total = 0.0, sq = 0.0;
    size_t *size = tx__calloc(ctx, k, sizeof *size);

    if (!g || !sum || !size) {
        tx_free(ctx, g);
        tx_free(ctx, sum);
        tx_free(ctx, size);
        return TX_ENOMEM;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n,
                (int)x->cols, 1.0f, x->data, (int)x->ld, x->data, (int)x->ld,
                0.0f, g, (int)n);
    for (i = 0; i < n; i++)
        size[lab[i]]++;
    for (i = 0; i < n; i++) {
        double a, b = INFINITY;

        memset(sum, 0, k * sizeof *sum);
        for (j = 0; j < n; j++)
            if (j != i)
                sum[lab[j]] += 1.0 - g[i * n + j];
        if (size[lab[i]] < 2)
            continue; /* a singleton's silhouette is 0 */
        a = sum[lab[i]] / (double)(size[lab[i]] - 1);
        for (c = 0; c < k; c++)
            if ((int32_t)c != lab[i] && size[c] && sum[c] / (double)size[c] < b)
                b = sum[c] / (double)size[c];
        if (b < INFINITY && (a > b ? a : b) > 0) {
            double v = (b - a) / (a > b ? a : b);

            total += v;
            sq += v * v;
        }
    }
    *out = total / (double)n;
    *se = n > 1 ? sqrt(fmax(sq / (double)n - *out * *out, 0.0) /
                       (double)(n - 1))
                : 0.0;
    tx_free(ctx, g);
    tx_free(ctx, sum);
    tx_free(ctx, size);
    return TX_OK;
}

/* Chooses k by the mean silhouette of k-means solutions on an even sample
 * of at most 3000 rows, over a geometric grid of k: the smallest k whose
 * silhouette is within one standard error of the best (the one-standard-
 * error rule: where the curve is flat, finer splits are not supported by
 * the sample, and a flat curve's maximum moves with the seed). The result
 * is scaled by the granularity. */
static int auto_k(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                  size_t *out)
{
    size_t n = x->rows, s = n < 3000 ? n : 3000, i, kmax, k, m = 0, best = 0;
    size_t grid_k[64], n_grid = 0;
    double grid_sil[64], grid_se[64], kk;
    tx_mat *sample = NULL;
    int rc = tx_mat_new(ctx, s, x->cols, &sample);

    if (rc != TX_OK)
        return rc;
    for (i = 0; i < s; i++)
        memcpy(sample->data + i * sample->ld, x->data + (i * n / s) * x->ld,
               x->cols * sizeof(float));
    kmax = p->k_max ? p->k_max : n / 10 < 200 ? n / 10 : 200;
    if (kmax > s / 5)
        kmax = s / 5;
    if (kmax < 2)
        kmax = 2;
    for (kk = 2.0; (size_t)kk <= kmax && n_grid < 64; kk *= 1.25)
        if (!n_grid || grid_k[n_grid - 1] != (size_t)kk)
            grid_k[n_grid++] = (size_t)kk;
    for (m = 0; rc == TX_OK && m < n_grid; m++) {
        tx_kmeans_params kp = p->kmeans;
        tx_kmeans *km = NULL;

        kp.k = grid_k[m];
        kp.n_init = 2;
        rc = tx__progress(ctx, "choosing k", m, n_grid);
        if (rc == TX_OK)
            rc = tx__kmeans_fit(ctx, &kp, sample, NULL, &km);
        if (rc == TX_OK)
            rc = silhouette(ctx, sample, tx_kmeans_labels(km),
                            tx_kmeans_k(km), &grid_sil[m], &grid_se[m]);
        if (rc == TX_OK && grid_sil[m] > grid_sil[best])
            best = m;
        tx_kmeans_free(km);
    }
    tx_mat_free(ctx, sample);
    if (rc != TX_OK)
        return rc;
    /* the grid always holds k = 2; the scan stops at `best` at the latest */
    for (i = 0; grid_sil[i] < grid_sil[best] - grid_se[best]; i++)
        ;
    k = (size_t)((double)grid_k[i] *
                     (p->granularity > 0 ? p->granularity : 1.0) +
                 0.5);
    *out = k < 1 ? 1 : k;
    return TX_OK;
}

/* ---- descriptions ---- */

/* True for terms that must not be shown: placeholders in any position. */
static bool hidden_term(const char *t)
{
    return t[0] == '_' || strstr(t, " _") != NULL;
}

struct cand {
    double z;
    size_t term;
    int bigram;
    double count; /* in the theme: breaks ties, as when one theme is all */
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;

    /* z to 9 decimals, so rounding noise does not hide a tie */
    double zx = floor(x->z * 1e9 + 0.5), zy = floor(y->z * 1e9 + 0.5);

    if (zx != zy)
        return zx > zy ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->bigram != y->bigram)
        return x->bigram - y->bigram;
    return x->term < y->term ? -1 : x->term > y->term;
}

/* Per theme and term: counts (k x V), from rows `rows` with labels. */
static double *theme_counts(tx_ctx *ctx, const tx_csr *m, const size_t *rows,
                            const int32_t *lab, size_t n, size_t k)
{
    double *tc = tx__calloc(ctx, k * m->cols + 1, sizeof *tc);
    size_t i;
    int64_t e;

    if (!tc)
        return NULL;
    for (i = 0; i < n; i++)
        for (e = m->indptr[rows[i]]; e < m->indptr[rows[i] + 1]; e++)
            tc[(size_t)lab[i] * m->cols + (size_t)m->indices[e]] +=
                m->data[e];
    return tc;
}

/* Per-term totals over all themes, and per-theme totals. */
struct totals {
    double *term, *theme, all;
};

static int make_totals(tx_ctx *ctx, const double *tc, size_t k, size_t V,
                       struct totals *t)
{
    size_t c, w;

    t->term = tx__calloc(ctx, V + 1, sizeof *t->term);
    t->theme = tx__calloc(ctx, k + 1, sizeof *t->theme);
    t->all = 0.0;
    if (!t->term || !t->theme)
        return TX_ENOMEM;
    for (c = 0; c < k; c++)
        for (w = 0; w < V; w++) {
            t->term[w] += tc[c * V + w];
            t->theme[c] += tc[c * V + w];
            t->all += tc[c * V + w];
        }
    return TX_OK;
}

static void free_totals(tx_ctx *ctx, struct totals *t)
{
    tx_free(ctx, t->term);
    tx_free(ctx, t->theme);
}

/* Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi
 * and Quinn 2008): how much more theme t uses a term than the rest of the
 * corpus, as a z-score; the prior (corpus frequencies, strength a0) keeps
 * rare terms from topping the list by chance. */
static size_t score_terms(const double *tc, const struct totals *tot,
                          const struct totals *fallback, size_t V, size_t t,
                          double a0, int bigram, const tx_vocab *v,
                          struct cand *out)
{
    size_t w, m = 0;

    for (w = 0; w < V && tot->all > 0; w++) {
        double n = tot->all, nt = tot->theme[t], nr = n - nt;
        double yt = tc[t * V + w], yr, aw, d, var;

        if (yt < 2.0 || hidden_term(tx_vocab_term(v, w)))
            continue;
        yr = tot->term[w] - yt;
        aw = a0 * tot->term[w] / n;
        /* A term that is all of the counts (the only phrase of a small
         * corpus) has no odds against the other terms; a phrase is then
         * measured against all words instead (`fallback`), else left out. */
        if ((nt + a0 - yt - aw <= 0 || nr + a0 - yr - aw <= 0) && fallback) {
            n = fallback->all;
            nt = fallback->theme[t];
            nr = n - nt;
            aw = a0 * tot->term[w] / n;
        }
        if (nt + a0 - yt - aw <= 0 || nr + a0 - yr - aw <= 0)
            continue;
        d = log((yt + aw) / (nt + a0 - yt - aw)) -
            log((yr + aw) / (nr + a0 - yr - aw));
        var = 1.0 / (yt + aw) + 1.0 / (yr + aw);
        out[m++] = (struct cand){d / sqrt(var), w, bigram, yt};
    }
    return m;
}

static bool word_in(const char *phrase, const char *word)
{
    size_t n = strlen(word);
    const char *p = phrase;

    while ((p = strstr(p, word)) != NULL) {
        if ((p == phrase || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
        p++;
    }
    return false;
}

/* The theme's phrase made of exactly the words a and b, in either order
 * ("change pin" for "pin" and "change"), or -1. */
static long phrase_of(const struct tx__theme *x, const char *a,
                      const char *b)
{
    size_t i;

    for (i = 0; i < x->n_terms; i++)
        if (strlen(x->terms[i]) == strlen(a) + strlen(b) + 1 &&
            word_in(x->terms[i], a) && word_in(x->terms[i], b))
            return (long)i;
    return -1;
}

/* The label: the best phrase (word pair), unless it scores much lower
 * than the best term; then the phrase the two best terms make together,
 * or the longer of the two when one holds the other ("top card", not
 * "top, top card"), or else both. */
static char *make_label(tx_ctx *ctx, const struct tx__theme *x,
                        size_t phrase)
{
    const char *a, *b;
    long both;
    char *l;

    if (phrase < x->n_terms && x->scores[phrase] >= 0.6 * x->scores[0])
        return tx__strdup(ctx, x->terms[phrase]);
    if (x->n_terms < 2)
        return tx__strdup(ctx, x->n_terms ? x->terms[0] : "(no terms)");
    a = x->terms[0];
    b = x->terms[1];
    if ((both = phrase_of(x, a, b)) >= 0)
        return tx__strdup(ctx, x->terms[both]);
    if (word_in(b, a) || word_in(a, b))
        return tx__strdup(ctx, strlen(a) > strlen(b) ? a : b);
    l = tx__malloc(ctx, strlen(a) + strlen(b) + 3);
    if (l)
        sprintf(l, "%s, %s", a, b);
    return l;
}

/* Where label candidates come from: a count matrix over some documents
 * (rows[i] of m, in theme lab[i]), its vocabulary, and a weight that scales
 * sampled counts to the whole corpus. */
struct term_source {
    const tx_vocab *v;
    const tx_csr *m;
    const size_t *rows;
    const int32_t *lab;
    size_t n;
    double scale;
};

static int describe_terms(tx_ctx *ctx, tx_themes *th,
                          const struct term_source *u,
                          const struct term_source *b)
{
    size_t k = th->k, V1 = u->m->cols, V2 = b->m->cols, t, i, m;
    double *tc1 = theme_counts(ctx, u->m, u->rows, u->lab, u->n, k);
    double *tc2 = theme_counts(ctx, b->m, b->rows, b->lab, b->n, k);
    struct cand *cand = tx__malloc(ctx, (V1 + V2 + 1) * sizeof *cand);
    struct totals t1 = {0}, t2 = {0};
    int rc = TX_OK;

    if (!tc1 || !tc2 || !cand)
        rc = TX_ENOMEM;
    for (i = 0; rc == TX_OK && i < k * V2; i++)
        tc2[i] *= b->scale;
    if (rc == TX_OK)
        rc = make_totals(ctx, tc1, k, V1, &t1);
    if (rc == TX_OK)
        rc = make_totals(ctx, tc2, k, V2, &t2);
    for (t = 0; rc == TX_OK && t < k; t++) {
        struct tx__theme *x = &th->themes[t];
        size_t phrase = SIZE_MAX;

        m = score_terms(tc1, &t1, NULL, V1, t, th->p.prior, 0, u->v, cand);
        m += score_terms(tc2, &t2, &t1, V2, t, th->p.prior, 1, b->v,
                         cand + m);
        qsort(cand, m, sizeof *cand, cmp_cand);
        x->terms = tx__calloc(ctx, th->p.n_terms + 1, sizeof *x->terms);
        x->scores = tx__calloc(ctx, th->p.n_terms + 1, sizeof *x->scores);
        if (!x->terms || !x->scores) {
            rc = TX_ENOMEM;
            break;
        }
        /* Best first; a word already shown inside a phrase is skipped. */
        for (i = 0; i < m && x->n_terms < th->p.n_terms; i++) {
            const char *s = tx_vocab_surface(cand[i].bigram ? b->v : u->v,
                                             cand[i].term);
            size_t j;
            bool dup = false;

            for (j = 0; j < x->n_terms && !dup; j++)
                dup = word_in(x->terms[j], s);
            if (dup)
                continue;
            x->terms[x->n_terms] = tx__strdup(ctx, s);
            if (!x->terms[x->n_terms]) {
                rc = TX_ENOMEM;
                break;
            }
            if (cand[i].bigram && phrase == SIZE_MAX)
                phrase = x->n_terms;
            x->scores[x->n_terms++] = cand[i].z;
        }
        if (rc == TX_OK && !(x->label = make_label(ctx, x, phrase)))
            rc = TX_ENOMEM;
    }
    free_totals(ctx, &t1);
    free_totals(ctx, &t2);
    tx_free(ctx, tc1);
    tx_free(ctx, tc2);
    tx_free(ctx, cand);
    return rc;
}

struct scored {
    float score;
    size_t row;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static float dot(const tx_mat *x, size_t a, size_t b)
{
    const float *p = x->data + a * x->ld, *q = x->data + b * x->ld;
    double s = 0.0;
    size_t j;

    for (j = 0; j < x->cols; j++)
        s += (double)p[j] * q[j];
    return (float)s;
}

/* Quotes: among the 50 documents closest to the centre, pick greedily by
 * closeness minus similarity to quotes already picked (maximal marginal
 * relevance), skipping near-duplicates. `rows` map embedding rows to
 * corpus documents. */
static int pick_quotes(tx_ctx *ctx, tx_themes *th, const tx_mat *x,
                       const int32_t *lab, const float *score,
                       const size_t *doc_of)
{
    size_t t, i, n = x->rows;
    struct scored *s = tx__malloc(ctx, (n + 1) * sizeof *s);

    if (!s)
        return TX_ENOMEM;
    for (t = 0; t < th->k; t++) {
        struct tx__theme *q = &th->themes[t];
        size_t m = 0, want = th->p.n_quotes;

        for (i = 0; i < n; i++)
            if (lab[i] == (int32_t)t)
                s[m++] = (struct scored){score[i], i};
        qsort(s, m, sizeof *s, cmp_scored);
        if (m > 50)
            m = 50;
        q->quotes = tx__calloc(ctx, want + 1, sizeof *q->quotes);
        if (!q->quotes) {
            tx_free(ctx, s);
            return TX_ENOMEM;
        }
        while (q->n_quotes < want) {
            double best = -INFINITY;
            size_t pick = SIZE_MAX, j;

            for (i = 0; i < m; i++) {
                double red = 0.0, v;
                bool used = false;

                for (j = 0; j < q->n_quotes && !used; j++) {
                    float d = dot(x, s[i].row, q->quotes[j]);

                    used = s[i].row == q->quotes[j] || d > 0.98f;
                    if (d > red)
                        red = d;
                }
                if (used)
                    continue;
                v = 0.7 * s[i].score - 0.3 * red;
                if (v > best) {
                    best = v;
                    pick = i;
                }
            }
            if (pick == SIZE_MAX)
                break;
            q->quotes[q->n_quotes++] = s[pick].row;
        }
        for (i = 0; i < q->n_quotes; i++) /* embedding row -> document */
            q->quotes[i] = doc_of[q->quotes[i]];
    }
    tx_free(ctx, s);
    return TX_OK;
}

/* Merge tree: repeatedly join the two groups whose summed centres have
 * the highest cosine (centres weighted by theme size). */
static int build_tree(tx_ctx *ctx, tx_themes *th)
{
    size_t k = th->k, d = th->cent->cols, g, a, b, s, j, alive;
    double *sum = tx__calloc(ctx, 2 * k * d + 1, sizeof *sum);
    size_t *node = tx__malloc(ctx, 2 * k * sizeof *node);
    bool *live = tx__calloc(ctx, 2 * k, sizeof *live);

    th->merge_a = tx__calloc(ctx, k + 1, sizeof *th->merge_a);
    th->merge_b = tx__calloc(ctx, k + 1, sizeof *th->merge_b);
    th->merge_sim = tx__calloc(ctx, k + 1, sizeof *th->merge_sim);
    if (!sum || !node || !live || !th->merge_a || !th->merge_b ||
        !th->merge_sim) {
        tx_free(ctx, sum);
        tx_free(ctx, node);
        tx_free(ctx, live);
        return TX_ENOMEM;
    }
    for (g = 0; g < k; g++) {
        for (j = 0; j < d; j++)
            sum[g * d + j] = (double)th->themes[g].size *
                             th->cent->data[g * th->cent->ld + j];
        live[g] = true;
    }
    alive = k;
    for (s = 0; alive > 1; s++) {
        double best = -INFINITY;
        size_t ba = 0, bb = 0;

        for (a = 0; a < k + s; a++)
            for (b = a + 1; live[a] && b < k + s; b++) {
                double ab = 0, aa = 0, bbn = 0, c;

                if (!live[b])
                    continue;
                for (j = 0; j < d; j++) {
                    ab += sum[a * d + j] * sum[b * d + j];
                    aa += sum[a * d + j] * sum[a * d + j];
                    bbn += sum[b * d + j] * sum[b * d + j];
                }
                c = aa > 0 && bbn > 0 ? ab / sqrt(aa * bbn) : -1.0;
                if (c > best) {
                    best = c;
                    ba = a;
                    bb = b;
                }
            }
        for (j = 0; j < d; j++)
            sum[(k + s) * d + j] = sum[ba * d + j] + sum[bb * d + j];
        live[ba] = live[bb] = false;
        live[k + s] = true;
        th->merge_a[s] = ba;
        th->merge_b[s] = bb;
        th->merge_sim[s] = best;
        alive--;
    }
    tx_free(ctx, sum);
    tx_free(ctx, node);
    tx_free(ctx, live);
    return TX_OK;
}

/* ---- fit ---- */

#define PHRASE_DOCS 100000
/* ... and of at most about this much text: every distinct word pair of the
 * sample is held until pruning, and long documents (transcripts, essays)
 * bring millions. 100,000 short answers (the 1M-row benchmark's sample)
 * come to 7.9 MB, so they are not cut. */
#define PHRASE_BYTES ((size_t)8 << 20)

static int copy_stopwords(tx_themes *th, const tx_themes_params *p)
{
    size_t n = 0, i;

    th->p.tok.stopword_list = NULL;
    if (!p->tok.stopword_list)
        return TX_OK;
    while (p->tok.stopword_list[n])
        n++;
    th->stop = tx__calloc(th->ctx, n + 1, sizeof *th->stop);
    if (!th->stop)
        return TX_ENOMEM;
    for (i = 0; i < n; i++)
        if (!(th->stop[i] = tx__strdup(th->ctx, p->tok.stopword_list[i])))
            return TX_ENOMEM;
    th->p.tok.stopword_list = (const char *const *)th->stop;
    return TX_OK;
}

struct fit_state {
    size_t *perm, *rows, *doc_of;
    tx_corpus *view;
    tx_csr *counts, *tfidf, *sub, *bi;
    tx_vocab *bv;
    tx_mat *x, *coords;
    tx_kmeans *km;
    int32_t *lab;
    float *score;
    size_t *ph_doc, *ph_row;
    int32_t *ph_lab;
    tx_corpus *ph_view;
    const char *word_vectors; /* borrowed from the params */
    tx_diag *diag;
    float *stab;              /* per theme, from the clustering */
};

static void fit_state_free(tx_ctx *ctx, struct fit_state *s)
{
    tx_free(ctx, s->perm);
    tx_free(ctx, s->rows);
    tx_free(ctx, s->doc_of);
    tx_corpus_free(s->view);
    tx_csr_free(ctx, s->counts);
    tx_csr_free(ctx, s->tfidf);
    tx_csr_free(ctx, s->sub);
    tx_csr_free(ctx, s->bi);
    tx_vocab_free(s->bv);
    tx_mat_free(ctx, s->x);
    tx_mat_free(ctx, s->coords);
    tx_kmeans_free(s->km);
    tx_free(ctx, s->stab);
    tx_free(ctx, s->lab);
    tx_free(ctx, s->score);
    tx_free(ctx, s->ph_doc);
    tx_free(ctx, s->ph_row);
    tx_free(ctx, s->ph_lab);
    tx_corpus_free(s->ph_view);
}

/* ---- clustering ---- */

static int cluster_kmeans(tx_ctx *ctx, tx_themes *th, struct fit_state *s)
{
    int rc = tx_kmeans_fit(ctx, &th->p.kmeans, s->x, &s->km);

    if (rc != TX_OK)
        return rc;
    th->k = tx_kmeans_k(s->km);
    rc = tx_mat_new(ctx, th->k, s->x->cols, &th->cent);
    s->stab = tx__malloc(ctx, (th->k + 1) * sizeof *s->stab);
    if (rc == TX_OK && !s->stab)
        rc = TX_ENOMEM;
    if (rc == TX_OK) {
        memcpy(th->cent->data, tx_kmeans_centroids(s->km)->data,
               th->k * th->cent->ld * sizeof(float));
        memcpy(s->stab, tx_kmeans_stability(s->km),
               th->k * sizeof *s->stab);
    }
    return rc;
}

/* DMM on the words; the clusters' mean embeddings become the centres, so
 * documents (and later new ones) go to the nearest. Restarts with other
 * seeds measure stability, as for k-means. */
static int cluster_dmm(tx_ctx *ctx, tx_themes *th, struct fit_state *s)
{
    size_t m = s->x->rows, d = s->x->cols, i, j, c, kf[3];
    int runs = th->p.kmeans.n_init < 1 ? 1 : th->p.kmeans.n_init > 3
                                                 ? 3 : th->p.kmeans.n_init;
    int32_t *lab = tx__malloc(ctx, (size_t)runs * m * sizeof *lab);
    double *sum = NULL;
    size_t *cnt = NULL;
    tx_dmm_params dp = th->p.dmm;
    int r, rc = lab ? TX_OK : TX_ENOMEM;

    if (th->p.kmeans.k)
        dp.k = th->p.kmeans.k;
    for (r = 0; rc == TX_OK && r < runs; r++)
        rc = tx__dmm_run(ctx, &dp, s->sub,
                         tx_ctx_seed(ctx) + (uint64_t)r * 0x9E3779B97F4A7C15ULL,
                         lab + (size_t)r * m, &kf[r]);
    if (rc == TX_OK) {
        th->k = kf[0];
        sum = tx__calloc(ctx, th->k * d, sizeof *sum);
        cnt = tx__calloc(ctx, th->k, sizeof *cnt);
        s->stab = tx__calloc(ctx, th->k + 1, sizeof *s->stab);
        rc = sum && cnt && s->stab ? tx_mat_new(ctx, th->k, d, &th->cent)
                                   : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < m; i++) {
        cnt[lab[i]]++;
        for (j = 0; j < d; j++)
            sum[(size_t)lab[i] * d + j] += s->x->data[i * s->x->ld + j];
    }
    for (c = 0; rc == TX_OK && c < th->k; c++)
        for (j = 0; j < d; j++)
            th->cent->data[c * th->cent->ld + j] =
                (float)(sum[c * d + j] / (double)(cnt[c] ? cnt[c] : 1));
    if (rc == TX_OK && th->p.kmeans.spherical)
        tx_mat_normalize_rows(th->cent);
    /* Stability: best Jaccard overlap with the other runs' clusters. */
    for (c = 0; rc == TX_OK && c < th->k; c++) {
        double acc = 0.0;

        for (r = 1; r < runs; r++) {
            double best = 0.0;
            size_t o;

            for (o = 0; o < kf[r]; o++) {
                size_t both = 0, other = 0;

                for (i = 0; i < m; i++) {
                    other += lab[(size_t)r * m + i] == (int32_t)o;
                    both += lab[i] == (int32_t)c &&
                            lab[(size_t)r * m + i] == (int32_t)o;
                }
                if (both && (double)both / (double)(cnt[c] + other - both) >
                                best)
                    best = (double)both / (double)(cnt[c] + other - both);
            }
            acc += best;
        }
        s->stab[c] = runs > 1 ? (float)(acc / (runs - 1)) : 1.0f;
    }
    tx_free(ctx, lab);
    tx_free(ctx, sum);
    tx_free(ctx, cnt);
    return rc;
}

/* The representation: idf, LSA components, word vectors, SIF weights and
 * common component, learnt from the canonical-order counts. */
static int learn_space(tx_ctx *ctx, tx_themes *th, struct fit_state *s)
{
    size_t V = tx_vocab_size(th->vocab);
    float *sigma = NULL;
    tx_mat *raw = NULL;
    int rc;

    rc = tx_tfidf_apply(ctx, &th->p.tfidf, th->idf, s->sub, &s->tfidf);
    if (rc == TX_OK)
        rc = tx__progress(ctx, "LSA", 0, 0);
    if (rc == TX_OK)
        rc = tx_svd_fit(ctx, &th->p.svd, s->tfidf, &th->comp, &sigma,
                        &s->coords);
    tx_free(ctx, sigma);
    tx_mat_free(ctx, s->coords); /* embed() projects again, as assign does */
    s->coords = NULL;
    tx_csr_free(ctx, s->tfidf);
    s->tfidf = NULL;
    if (rc != TX_OK || !th->p.use_wordvec || V < 3)
        return rc;
    rc = tx__progress(ctx, "word vectors", 0, 0);
    if (rc == TX_OK && s->word_vectors)
        rc = tx_wordvec_load(ctx, s->word_vectors, &th->p.tok, th->vocab,
                             &th->wv, NULL, s->diag);
    else if (rc == TX_OK)
        rc = tx_wordvec_train(ctx, &th->p.wordvec, &th->p.tok, th->vocab,
                              s->view, &th->wv);
    if (rc == TX_OK)
        rc = tx__sif_weights(ctx, s->counts, th->p.wordvec.sif_a,
                             &th->sif_w);
    if (rc == TX_OK) {
        /* The common component from an even sample of documents. */
        size_t ns = s->sub->rows < 100000 ? s->sub->rows : 100000, i;
        size_t *pick = tx__malloc(ctx, (ns + 1) * sizeof *pick);
        tx_csr *part = NULL;

        th->pc = tx__malloc(ctx, th->wv->cols * sizeof *th->pc);
        for (i = 0; pick && i < ns; i++)
            pick[i] = i * s->sub->rows / ns;
        rc = th->pc && pick ? csr_rows(ctx, s->sub, pick, ns, &part)
                            : TX_ENOMEM;
        if (rc == TX_OK)
            rc = tx__sif_embed(ctx, th->wv, th->sif_w, NULL, part, &raw);
        tx_csr_free(ctx, part);
        tx_free(ctx, pick);
    }
    if (rc == TX_OK)
        rc = tx__sif_pc(ctx, raw, th->pc);
    tx_mat_free(ctx, raw);
    return rc;
}

int tx_themes_fit(tx_ctx *ctx, const tx_themes_params *p, const tx_corpus *c,
                  tx_themes **out)
{
    tx_themes_params def;
    struct fit_state s;
    tx_themes *th;
    size_t n, m = 0, i, k;
    int rc;

    if (!ctx || !c || !out)
        return TX_EINVAL;
    *out = NULL;
    if (!p) {
        tx_themes_params_init(&def);
        p = &def;
    }
    n = tx_corpus_size(c);
    if (n == 0)
        return TX_EINVAL;
    memset(&s, 0, sizeof s);
    s.word_vectors = p->word_vectors;
    s.diag = p->diag;
    th = tx__calloc(ctx, 1, sizeof *th);
    if (!th)
        return TX_ENOMEM;
    th->ctx = ctx;
    th->p = *p;
    th->p.embeddings = NULL;   /* borrowed only during the fit */
    th->p.word_vectors = NULL;
    th->p.diag = NULL;
    th->corpus = c;
    if (p->embeddings && (p->embeddings->rows != tx_corpus_rows(c) ||
                          p->embeddings->cols == 0)) {
        tx__themes_free(th);
        return TX_EINVAL;
    }
    th->n_docs = n;
    rc = copy_stopwords(th, p);
    if (rc == TX_OK)
        rc = tx__progress(ctx, "counting terms", 0, 0);
    if (rc == TX_OK)
        rc = canonical_order(ctx, c, &s.perm);
    if (rc == TX_OK)
        rc = tx__corpus_view(c, s.perm, n, &s.view);
    if (rc == TX_OK)
        rc = tx_vocab_fit(ctx, &th->p.tok, &th->p.vocab, s.view, &th->vocab,
                          &s.counts);
    if (rc == TX_OK && tx_vocab_size(th->vocab) < 2)
        rc = TX_EINVAL; /* nothing to tell documents apart by */
    /* Documents with terms that are not non-answers; the others get no
     * theme. */
    if (rc == TX_OK) {
        s.rows = tx__malloc(ctx, (n + 1) * sizeof *s.rows);
        s.doc_of = tx__malloc(ctx, (n + 1) * sizeof *s.doc_of);
        th->doc_theme = tx__malloc(ctx, (n + 1) * sizeof *th->doc_theme);
        th->doc_score = tx__calloc(ctx, n + 1, sizeof *th->doc_score);
        rc = s.rows && s.doc_of && th->doc_theme && th->doc_score
                 ? TX_OK : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < n; i++) {
        tx_doc d;

        th->doc_theme[i] = -1;
        tx_corpus_doc(s.view, i, &d);
        if (s.counts->indptr[i + 1] > s.counts->indptr[i] &&
            !tx_text_is_non_answer(d.text, d.len)) {
            s.doc_of[m] = s.perm[i];
            s.rows[m++] = i;
        }
    }
    if (rc == TX_OK && m < 2)
        rc = TX_EINVAL;
    if (rc == TX_OK)
        rc = csr_rows(ctx, s.counts, s.rows, m, &s.sub);
    if (rc == TX_OK) {
        th->idf = tx__malloc(ctx, (tx_vocab_size(th->vocab) + 1) *
                                      sizeof *th->idf);
        rc = th->idf ? tx_tfidf_idf(&th->p.tfidf, th->vocab, th->idf)
                     : TX_ENOMEM;
    }
    if (rc == TX_OK && p->embeddings) {
        th->ext_dim = p->embeddings->cols;
        rc = gather_external(ctx, c, p->embeddings, s.doc_of, m, &s.x);
    } else {
        if (rc == TX_OK)
            rc = learn_space(ctx, th, &s);
        if (rc == TX_OK)
            rc = tx__progress(ctx, "embedding documents", 0, 0);
        if (rc == TX_OK)
            rc = embed(ctx, th, s.sub, &s.x);
    }
    if (rc == TX_OK) {
        k = p->kmeans.k;
        if (k == 0 && p->method != TX_THEMES_DMM &&
            (rc = tx__progress(ctx, "choosing k", 0, 0)) == 0)
            rc = auto_k(ctx, p, s.x, &k); /* DMM finds its own k */
        th->p.kmeans.k = k;
    }
    if (rc == TX_OK)
        rc = tx__progress(ctx, "clustering", 0, 0);
    if (rc == TX_OK)
        rc = p->method == TX_THEMES_DMM ? cluster_dmm(ctx, th, &s)
                                        : cluster_kmeans(ctx, th, &s);
    if (rc == TX_OK) {
        /* Final themes by the same rule tx_themes_assign uses. */
        s.lab = tx__malloc(ctx, m * sizeof *s.lab);
        s.score = tx__malloc(ctx, m * sizeof *s.score);
        th->themes = tx__calloc(ctx, th->k + 1, sizeof *th->themes);
        if (!s.lab || !s.score || !th->themes)
            rc = TX_ENOMEM;
    }
    if (rc == TX_OK)
        rc = tx_kmeans_assign(ctx, th->cent, th->p.kmeans.spherical, s.x,
                              s.lab, s.score);
    for (i = 0; rc == TX_OK && i < m; i++) {
        th->doc_theme[s.doc_of[i]] = s.lab[i];
        th->doc_score[s.doc_of[i]] = s.score[i];
        th->themes[s.lab[i]].size++;
    }
    for (i = 0; rc == TX_OK && i < th->k; i++) {
        th->themes[i].share = (double)th->themes[i].size / (double)m;
        th->themes[i].stability = s.stab[i];
    }
    /* Phrases for labels: word pairs in at least 3 documents, counted on
     * an even sample of at most PHRASE_DOCS themed documents and about
     * PHRASE_BYTES of text (their counts scaled up, so phrase and word
     * scores stay comparable). */
    if (rc == TX_OK)
        rc = tx__progress(ctx, "describing themes", 0, 0);
    if (rc == TX_OK) {
        tx_tokenizer_params bp = th->p.tok;
        tx_vocab_params vp;
        size_t ms = m < PHRASE_DOCS ? m : PHRASE_DOCS, bytes = 0;

        for (i = 0; i < m; i++) {
            tx_doc doc;

            tx_corpus_doc(c, s.doc_of[i], &doc);
            bytes += doc.len;
        }
        if (bytes > PHRASE_BYTES) {
            size_t cut = (size_t)((double)m * PHRASE_BYTES / (double)bytes) + 1;

            ms = cut < ms ? cut : ms;
        }

        s.ph_doc = tx__malloc(ctx, (ms + 1) * sizeof *s.ph_doc);
        s.ph_row = tx__malloc(ctx, (ms + 1) * sizeof *s.ph_row);
        s.ph_lab = tx__malloc(ctx, (ms + 1) * sizeof *s.ph_lab);
        rc = s.ph_doc && s.ph_row && s.ph_lab ? TX_OK : TX_ENOMEM;
        for (i = 0; rc == TX_OK && i < ms; i++) {
            size_t j = i * m / ms;

            s.ph_doc[i] = s.doc_of[j];
            s.ph_row[i] = i;
            s.ph_lab[i] = s.lab[j];
        }
        if (rc == TX_OK)
            rc = tx__corpus_view(c, s.ph_doc, ms, &s.ph_view);
        bp.ngram_min = bp.ngram_max = 2;
        tx_vocab_params_init(&vp);
        vp.min_df = 3;
        if (rc == TX_OK)
            rc = tx_vocab_fit(ctx, &bp, &vp, s.ph_view, &s.bv, &s.bi);
        if (rc == TX_OK) {
            struct term_source uni = {th->vocab, s.counts, s.rows, s.lab, m,
                                      1.0};
            struct term_source bi = {s.bv, s.bi, s.ph_row, s.ph_lab, ms,
                                     (double)m / (double)ms};

            rc = describe_terms(ctx, th, &uni, &bi);
        }
    }
    if (rc == TX_OK)
        rc = pick_quotes(ctx, th, s.x, s.lab, s.score, s.doc_of);
    if (rc == TX_OK)
        rc = build_tree(ctx, th);
    fit_state_free(ctx, &s);
    if (rc != TX_OK) {
        tx__themes_free(th);
        return rc;
    }
    *out = th;
    return TX_OK;
}

/* ---- accessors ---- */

size_t tx_themes_k(const tx_themes *th)
{
    return th ? th->k : 0;
}

int32_t tx_themes_doc_theme(const tx_themes *th, size_t i)
{
    return th && th->doc_theme && i < th->n_docs ? th->doc_theme[i] : -1;
}

float tx_themes_doc_score(const tx_themes *th, size_t i)
{
    return th && th->doc_score && i < th->n_docs ? th->doc_score[i] : 0.0f;
}

int tx_themes_theme(const tx_themes *th, size_t t, tx_theme_info *out)
{
    const struct tx__theme *x;

    if (!th || !out || t >= th->k)
        return TX_EINVAL;
    x = &th->themes[t];
    out->label = x->label;
    out->size = x->size;
    out->share = x->share;
    out->stability = x->stability;
    out->n_terms = x->n_terms;
    out->terms = (const char *const *)x->terms;
    out->term_scores = x->scores;
    out->n_quotes = x->n_quotes;
    out->quotes = x->quotes;
    return TX_OK;
}

int tx_themes_merge(const tx_themes *th, size_t s, size_t *a, size_t *b,
                    double *similarity)
{
    if (!th || !th->merge_a || th->k < 2 || s >= th->k - 1)
        return TX_EINVAL;
    if (a)
        *a = th->merge_a[s];
    if (b)
        *b = th->merge_b[s];
    if (similarity)
        *similarity = th->merge_sim[s];
    return TX_OK;
}

int tx_themes_cut(const tx_themes *th, size_t groups, int32_t *map)
{
    size_t k, s, t, node_k, *root = NULL, next = 0;
    int32_t *gid = NULL;

    if (!th || !map || groups == 0 || groups > th->k)
        return TX_EINVAL;
    k = th->k;
    /* root[node] = the node it has been merged into so far. */
    root = tx__malloc(th->ctx, (2 * k + 1) * sizeof *root);
    gid = tx__malloc(th->ctx, (2 * k + 1) * sizeof *gid);
    if (!root || !gid) {
        tx_free(th->ctx, root);
        tx_free(th->ctx, gid);
        return TX_ENOMEM;
    }
    for (t = 0; t < 2 * k; t++) {
        root[t] = t;
        gid[t] = -1;
    }
    for (s = 0; s + groups < k; s++) { /* k - groups merges */
        node_k = k + s;
        root[th->merge_a[s]] = node_k;
        root[th->merge_b[s]] = node_k;
    }
    for (t = 0; t < k; t++) {
        size_t r = t;

        while (root[r] != r)
            r = root[r];
        if (gid[r] < 0)
            gid[r] = (int32_t)next++;
        map[t] = gid[r];
    }
    tx_free(th->ctx, root);
    tx_free(th->ctx, gid);
    return TX_OK;
}

size_t tx_themes_external_dim(const tx_themes *th)
{
    return th ? th->ext_dim : 0;
}

int tx_themes_assign(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                     const tx_mat *embeddings, int32_t *themes, float *scores)
{
    tx_csr *counts = NULL, *sub = NULL;
    size_t n, i, m = 0, *rows = NULL;
    tx_mat *x = NULL;
    int32_t *lab = NULL;
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
        if (scores)
            scores[i] = 0.0f;
        tx_corpus_doc(c, i, &d);
        if (counts->indptr[i + 1] > counts->indptr[i] &&
            !tx_text_is_non_answer(d.text, d.len)) /* as the fit */
            rows[m++] = i;
    }
    if (rc == TX_OK && m) {
        rc = csr_rows(ctx, counts, rows, m, &sub);
        if (rc == TX_OK && th->ext_dim)
            rc = gather_external(ctx, c, embeddings, rows, m, &x);
        else if (rc == TX_OK)
            rc = embed(ctx, th, sub, &x);
        lab = tx__malloc(ctx, m * sizeof *lab);
        sc = tx__malloc(ctx, m * sizeof *sc);
        if (rc == TX_OK && (!lab || !sc))
            rc = TX_ENOMEM;
        if (rc == TX_OK)
            rc = tx_kmeans_assign(ctx, th->cent, th->p.kmeans.spherical, x,
                                  lab, sc);
        for (i = 0; rc == TX_OK && i < m; i++) {
            themes[rows[i]] = lab[i];
            if (scores)
                scores[rows[i]] = sc[i];
        }
    }
    tx_csr_free(ctx, counts);
    tx_csr_free(ctx, sub);
    tx_mat_free(ctx, x);
    tx_free(ctx, rows);
    tx_free(ctx, lab);
    tx_free(ctx, sc);
    return rc;
}
