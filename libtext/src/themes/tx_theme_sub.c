/*
 * Sub-themes: each theme's documents clustered again, on their own, so the
 * specific level is a clustering in its own right and not a cut of the
 * broad one's merge tree (a cut scored NMI 0.28 where k-means on the same
 * documents scored 0.50, issue 15).
 */
#include "tx_themes_private.h"
#include "cluster/tx_cluster_private.h"

#include <string.h>

/* A theme is split only into parts of at least this many documents:
 * smaller groups are quirks of a few comments, not something to act on. */
#define SUB_MIN_DOCS 5

/* A theme's sub-themes are learnt from an even sample of at most this many
 * of its documents (all are then placed at the nearest sub-theme): the
 * restarts on a large theme cost more than they tell (10,000 gave the
 * same sub-theme NMI on the 200k and 1M benchmarks within 0.004, in
 * 0.4 s more; decision 0004). */
#define SUB_SAMPLE 5000

/* Indices of the rows of theme t, in order (the fit's canonical order, so
 * a sample of them does not depend on the input order). */
static size_t theme_rows(const int32_t *lab, size_t n, int32_t t, size_t *idx)
{
    size_t i, m = 0;

    for (i = 0; i < n; i++)
        if (lab[i] == t)
            idx[m++] = i;
    return m;
}

/* Rows idx[i * n / m] of x for i < m (all of them when m == n), as a new
 * matrix; with several ranks, from the ranks that hold them. */
static int copy_rows(tx_ctx *ctx, const tx_mat *x, const size_t *idx,
                     size_t n, size_t m, tx_mat **out)
{
    size_t i, *pick = tx__malloc(ctx, (m + 1) * sizeof *pick);
    int rc = pick ? tx_mat_new(ctx, m ? m : 1, x->cols, out) : TX_ENOMEM;

    for (i = 0; rc == TX_OK && i < m; i++)
        pick[i] = idx[i * n / m];
    rc = tx__held_gather(ctx, rc, x, pick, m, *out);
    tx_free(ctx, pick);
    return rc;
}

/* How many sub-themes theme t gets: asked for, or its share of `fine`;
 * never parts below SUB_MIN_DOCS; fewer than 2 means none. */
static size_t sub_count(const tx_themes *th, size_t size, size_t m,
                        size_t fine)
{
    size_t want, most = size / SUB_MIN_DOCS;

    if (th->p.subthemes == 0)
        return 0;
    if (th->p.subthemes > 0)
        want = (size_t)th->p.subthemes;
    else
        want = (size_t)((double)fine * (double)size / (double)m + 0.5);
    if (want > most)
        want = most;
    return want < 2 ? 0 : want;
}

/* Drops the smallest part while it has fewer than `least` rows, placing
 * its rows at the nearest remaining centre, so no sub-theme is below the
 * minimum. `c` and `stab` keep their first entries, *kept of
 * them. */
static int prune_small(tx_ctx *ctx, const tx_themes *th, tx_mat *c,
                       float *stab, const tx_mat *rows, size_t least,
                       size_t *kept)
{
    size_t k = c->rows, n = rows->rows, i, small;
    int32_t *lab = tx__malloc(ctx, (n + 1) * sizeof *lab);
    float *sc = tx__malloc(ctx, (n + 1) * sizeof *sc);
    size_t *size = tx__calloc(ctx, k + 1, sizeof *size);
    int rc = lab && sc && size ? TX_OK : TX_ENOMEM;

    while (rc == TX_OK && k >= 2) {
        tx_mat view = {k, c->cols, c->ld, c->data};

        rc = tx_kmeans_assign(ctx, &view, th->p.kmeans.spherical, rows, lab,
                              sc);
        memset(size, 0, k * sizeof *size);
        for (i = 0; rc == TX_OK && i < n; i++)
            size[lab[i]]++;
        for (small = 0, i = 1; i < k; i++)
            if (size[i] < size[small])
                small = i;
        if (rc != TX_OK || size[small] >= least)
            break;
        for (i = small; i + 1 < k; i++) { /* keep the order of the rest */
            memcpy(c->data + i * c->ld, c->data + (i + 1) * c->ld,
                   c->cols * sizeof(float));
            stab[i] = stab[i + 1];
        }
        k--;
    }
    *kept = k;
    tx_free(ctx, lab);
    tx_free(ctx, sc);
    tx_free(ctx, size);
    return rc;
}

/* Theme t's sub-theme centres and their stability, *kept of them (fewer
 * than 2: none), from k-means on an even sample of its rows. */
static int split_theme(tx_ctx *ctx, const tx_themes *th, const tx_mat *x,
                       const int32_t *lab, size_t fine, size_t t,
                       tx_mat **cent, float **stab, size_t *kept)
{
    size_t want = sub_count(th, th->themes[t].primary, x->rows, fine), n,
           fit_n, *idx;
    tx_kmeans_params kp = th->p.kmeans;
    tx_kmeans *km = NULL;
    tx_mat *rows = NULL;
    int rc;

    *kept = 0;
    if (!want)
        return TX_OK;
    idx = tx__malloc(ctx, (x->rows + 1) * sizeof *idx);
    if (!idx)
        return TX_ENOMEM;
    kp.k = want;
    /* on an even sample of a large theme; no part under the minimum,
     * scaled to the sample */
    n = theme_rows(lab, x->rows, (int32_t)t, idx);
    fit_n = n < SUB_SAMPLE ? n : SUB_SAMPLE;
    rc = copy_rows(ctx, x, idx, n, fit_n, &rows);
    tx_free(ctx, idx);
    if (rc == TX_OK)
        rc = tx_kmeans_fit(ctx, &kp, rows, &km);
    if (rc == TX_OK)
        rc = tx_mat_new(ctx, tx_kmeans_k(km), x->cols, cent);
    if (rc == TX_OK) {
        *stab = tx__malloc(ctx, (tx_kmeans_k(km) + 1) * sizeof **stab);
        rc = *stab ? TX_OK : TX_ENOMEM;
    }
    if (rc == TX_OK) {
        memcpy((*cent)->data, tx_kmeans_centroids(km)->data,
               tx_kmeans_k(km) * (*cent)->ld * sizeof(float));
        memcpy(*stab, tx_kmeans_stability(km),
               tx_kmeans_k(km) * sizeof **stab);
        rc = prune_small(ctx, th, *cent, *stab, rows,
                         (SUB_MIN_DOCS * fit_n + n - 1) / n, kept);
    }
    tx_kmeans_free(km);
    tx_mat_free(rows);
    return rc;
}

/* Themes split side by side (tx__side_by_side): a theme's sample is
 * small, and one fit leaves a thread idle much of the time. */
struct split_job {
    const tx_themes *th;
    const tx_mat *x;
    const int32_t *lab;
    size_t fine;
    tx_mat **cent;
    float **stab;
    size_t *kept;
};

static int split_task(void *arg, tx_ctx *ctx, size_t t)
{
    struct split_job *j = arg;

    return split_theme(ctx, j->th, j->x, j->lab, j->fine, t, &j->cent[t],
                       &j->stab[t], &j->kept[t]);
}

int tx__theme_split(tx_ctx *ctx, tx_themes *th, const tx_mat *x,
                    const int32_t *lab, size_t fine, int32_t *sub,
                    float *score)
{
    size_t k = th->k, t, i;
    size_t *kept = tx__calloc(ctx, k + 1, sizeof *kept);
    tx_mat **cent = tx__calloc(ctx, k + 1, sizeof *cent);
    float **stab = tx__calloc(ctx, k + 1, sizeof *stab);
    tx_ctx *task_ctx = tx__calloc(ctx, k + 1, sizeof *task_ctx);
    int rc = kept && cent && stab && task_ctx ? TX_OK : TX_ENOMEM;

    th->sub_first = tx__calloc(ctx, k + 1, sizeof *th->sub_first);
    if (!th->sub_first)
        rc = TX_ENOMEM;
    for (i = 0; i < x->rows; i++)
        sub[i] = -1;
    /* Cluster each theme large enough to split; themes come largest
     * first, so the costly fits start first. The centres keep a pointer
     * to their task's context: task_ctx is freed after them. */
    if (rc == TX_OK) {
        struct split_job j = {th, x, lab, fine, cent, stab, kept};

        rc = tx__side_by_side(ctx, k, split_task, &j, task_ctx);
    }
    for (t = 0; rc == TX_OK && t < k; t++) {
        th->sub_first[t] = th->n_sub;
        if (kept[t] >= 2)
            th->n_sub += kept[t];
    }
    if (rc == TX_OK)
        th->sub_first[k] = th->n_sub;
    if (rc == TX_OK && th->n_sub) {
        th->sub = tx__calloc(ctx, th->n_sub, sizeof *th->sub);
        rc = th->sub ? tx_mat_new(ctx, th->n_sub, x->cols, &th->sub_cent)
                     : TX_ENOMEM;
    }
    /* Centres in theme order (k-means numbers clusters largest first). */
    for (t = 0; rc == TX_OK && t < k; t++) {
        size_t a = th->sub_first[t];

        if (kept[t] < 2)
            continue;
        for (i = 0; i < kept[t]; i++) {
            memcpy(th->sub_cent->data + (a + i) * th->sub_cent->ld,
                   cent[t]->data + i * cent[t]->ld, x->cols * sizeof(float));
            th->sub[a + i].parent = (int32_t)t;
            th->sub[a + i].stability = stab[t][i];
        }
    }
    for (t = 0; t < k; t++) {
        tx_mat_free(cent ? cent[t] : NULL);
        tx_free(ctx, stab ? stab[t] : NULL);
    }
    tx_free(ctx, cent);
    tx_free(ctx, stab);
    tx_free(ctx, kept);
    tx_free(ctx, task_ctx); /* after the centres made with them */
    /* Final sub-themes by the rule assign uses, and the documents mainly
     * about each (sizes and shares are counted from the mentions). */
    if (rc == TX_OK && th->n_sub)
        rc = tx__theme_assign_sub(ctx, th, x, lab, sub, score);
    for (i = 0; rc == TX_OK && i < x->rows; i++)
        if (sub[i] >= 0)
            th->sub[sub[i]].primary++;
    return rc;
}

/* Final sub-themes, a block of TX__HELD_BLOCK rows per task: the rows of
 * each theme in the block together against its sub-theme centres. A row's
 * place depends only on its block, so ranks holding different rows place
 * them as one process does. */
struct place_job {
    const tx_themes *th;
    const tx_mat *x;
    const int32_t *lab;
    int32_t *sub;
    float *score;
    size_t workers, most; /* most sub-themes of one theme */
    float *rows;          /* per worker: a block of rows, then the work */
    size_t *idx;          /* per worker: their row numbers */
    int32_t *got;         /* per worker: their sub-theme in their theme */
    float *sc;            /* per worker: their cosines */
};

static int place_block(void *arg, size_t blk)
{
    struct place_job *j = arg;
    const tx_themes *th = j->th;
    size_t w = blk % j->workers, d = j->x->cols, r0 = blk * TX__HELD_BLOCK,
           r1 = r0 + TX__HELD_BLOCK, t, r, m, i;
    size_t *idx = j->idx + w * TX__HELD_BLOCK;
    int32_t *got = j->got + w * TX__HELD_BLOCK;
    float *sc = j->sc + w * TX__HELD_BLOCK,
          *buf = j->rows + w * (TX__HELD_BLOCK * d +
                                (TX__HELD_BLOCK + 2) * j->most);

    if (r1 > j->x->rows)
        r1 = j->x->rows;
    for (t = 0; t < th->k; t++) {
        size_t a = th->sub_first[t], b = th->sub_first[t + 1];
        tx_mat rows = {0, d, d, buf},
               cent = {b - a, d, th->sub_cent->ld,
                       th->sub_cent->data + a * th->sub_cent->ld};

        if (a == b)
            continue;
        for (r = r0, m = 0; r < r1; r++)
            if (j->lab[r] == (int32_t)t) {
                memcpy(buf + m * d, j->x->data + r * j->x->ld,
                       d * sizeof *buf);
                idx[m++] = r;
            }
        if (m == 0)
            continue;
        rows.rows = m;
        tx__kmeans_assign_small(&rows, &cent, th->p.kmeans.spherical, got, sc,
                                buf + TX__HELD_BLOCK * d);
        for (i = 0; i < m; i++) {
            j->sub[idx[i]] = (int32_t)a + got[i];
            if (j->score)
                j->score[idx[i]] = sc[i];
        }
    }
    return TX_OK;
}

int tx__theme_assign_sub(tx_ctx *ctx, const tx_themes *th, const tx_mat *x,
                         const int32_t *lab, int32_t *sub, float *score)
{
    size_t workers = (size_t)tx_ctx_threads(ctx), most = 1, d = x->cols, t,
           i, from, to;
    struct place_job j = {th, x, lab, sub, score, workers, 0, NULL, NULL,
                          NULL, NULL};
    int rc;

    for (i = 0; i < x->rows; i++) {
        sub[i] = -1;
        if (score)
            score[i] = 0.0f;
    }
    for (t = 0; th->n_sub && t < th->k; t++)
        if (th->sub_first[t + 1] - th->sub_first[t] > most)
            most = th->sub_first[t + 1] - th->sub_first[t];
    j.most = most;
    j.rows = tx__malloc(ctx, workers * (TX__HELD_BLOCK * d +
                                        (TX__HELD_BLOCK + 2) * most) *
                                 sizeof *j.rows);
    j.idx = tx__malloc(ctx, workers * TX__HELD_BLOCK * sizeof *j.idx);
    j.got = tx__malloc(ctx, workers * TX__HELD_BLOCK * sizeof *j.got);
    j.sc = tx__malloc(ctx, workers * TX__HELD_BLOCK * sizeof *j.sc);
    rc = j.rows && j.idx && j.got && j.sc ? TX_OK : TX_ENOMEM;
    /* the blocks this rank reports, then every rank gets every row's */
    tx__held_reported(ctx, x->rows, &from, &to);
    if (rc == TX_OK && th->n_sub)
        rc = tx__parallel_range(ctx, from / TX__HELD_BLOCK,
                                (to + TX__HELD_BLOCK - 1) / TX__HELD_BLOCK,
                                place_block, &j);
    if (tx__comm_many(ctx)) {
        void *arrays[2] = {sub, score};
        size_t sizes[2] = {sizeof *sub, sizeof *score};

        rc = tx__held_share(ctx, rc, x->rows, 0, arrays, sizes, 2);
    }
    tx_free(ctx, j.rows);
    tx_free(ctx, j.idx);
    tx_free(ctx, j.got);
    tx_free(ctx, j.sc);
    return rc;
}
