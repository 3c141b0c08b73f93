/*
 * Automatic k: the number of themes from the silhouette of k-means
 * solutions on a sample (the one-standard-error rule).
 */
#include "tx_themes_private.h"
#include "cluster/tx_cluster_private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* The rows' cosine similarities (their dot products: rows are unit
 * length), n x n, computed once per sample and read by every silhouette. */
static float *gram(tx_ctx *ctx, const tx_mat *x)
{
    size_t n = x->rows;
    float *g = tx__malloc(ctx, n * n * sizeof *g + 1);

    if (g)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n,
                    (int)x->cols, 1.0f, x->data, (int)x->ld, x->data,
                    (int)x->ld, 0.0f, g, (int)n);
    return g;
}

/* Mean silhouette (cosine distance) of n labelled rows with similarities
 * g, and its standard error (the spread of the rows' values over
 * sqrt(n)). A row's distance to a cluster is summed over the cluster's
 * rows in row order, as adding every row into its cluster's total would;
 * with the rows listed cluster by cluster each sum is one run, and four
 * rows at a time keep four sums going instead of one chain through k
 * totals. */
#define SIL_ROWS 4

static int silhouette(tx_ctx *ctx, const float *g, size_t n,
                      const int32_t *lab, size_t k, double *out, double *se)
{
    size_t i0, u, m, t, c;
    double *sum = tx__malloc(ctx, SIL_ROWS * k * sizeof *sum), total = 0.0,
           sq = 0.0;
    size_t *size = tx__calloc(ctx, k + 1, sizeof *size);
    size_t *start = tx__calloc(ctx, k + 1, sizeof *start);
    size_t *order = tx__malloc(ctx, (n + 1) * sizeof *order);

    if (!sum || !size || !start || !order) {
        tx_free(ctx, sum);
        tx_free(ctx, size);
        tx_free(ctx, start);
        tx_free(ctx, order);
        return TX_ENOMEM;
    }
    for (t = 0; t < n; t++)
        size[lab[t]]++;
    for (c = 1; c < k; c++)
        start[c] = start[c - 1] + size[c - 1];
    for (t = 0; t < n; t++) /* in row order within each cluster */
        order[start[lab[t]]++] = t;
    for (c = 0; c < k; c++)
        start[c] -= size[c];
    for (i0 = 0; i0 < n; i0 += SIL_ROWS) {
        m = n - i0 < SIL_ROWS ? n - i0 : SIL_ROWS;
        for (c = 0; c < k; c++) {
            double a[SIL_ROWS] = {0};

            for (t = start[c]; t < start[c] + size[c]; t++)
                for (u = 0; u < m; u++)
                    if (order[t] != i0 + u)
                        a[u] += 1.0 - g[(i0 + u) * n + order[t]];
            for (u = 0; u < m; u++)
                sum[u * k + c] = a[u];
        }
        for (u = 0; u < m; u++) {
            const double *s = sum + u * k;
            int32_t li = lab[i0 + u];
            double a, b = INFINITY;

            if (size[li] < 2)
                continue; /* a singleton's silhouette is 0 */
            a = s[li] / (double)(size[li] - 1);
            for (c = 0; c < k; c++)
                if ((int32_t)c != li && size[c] && s[c] / (double)size[c] < b)
                    b = s[c] / (double)size[c];
            if (b < INFINITY && (a > b ? a : b) > 0) {
                double v = (b - a) / (a > b ? a : b);

                total += v;
                sq += v * v;
            }
        }
    }
    *out = total / (double)n;
    *se = n > 1 ? sqrt(fmax(sq / (double)n - *out * *out, 0.0) /
                       (double)(n - 1))
                : 0.0;
    tx_free(ctx, sum);
    tx_free(ctx, size);
    tx_free(ctx, start);
    tx_free(ctx, order);
    return TX_OK;
}

/* The sample with each column shuffled on its own (the same seed every
 * time), rows again of unit length: the same values with no clusters in
 * them. K-means finds a positive silhouette even there, largest at k = 2,
 * which is the reference the broad level is measured against. */
static int structureless(tx_ctx *ctx, const tx_mat *x, tx_mat **out)
{
    size_t n = x->rows, i, j;
    uint64_t st = tx_ctx_seed(ctx) ^ 0x5DEECE66DULL;
    int rc = tx_mat_new(ctx, n, x->cols, out);

    if (rc != TX_OK)
        return rc;
    for (i = 0; i < n; i++)
        memcpy((*out)->data + i * (*out)->ld, x->data + i * x->ld,
               x->cols * sizeof(float));
    for (j = 0; j < x->cols; j++)
        for (i = n - 1; i > 0; i--) {
            size_t r = (size_t)(tx__rng_uniform(&st) * (double)(i + 1));
            float *a, *b, t;

            if (r > i)
                r = i;
            a = (*out)->data + i * (*out)->ld + j;
            b = (*out)->data + r * (*out)->ld + j;
            t = *a;
            *a = *b;
            *b = t;
        }
    tx_mat_normalize_rows(*out);
    return TX_OK;
}

/* Mean silhouette of the best of two k-means solutions of `x` (g: its
 * similarities). */
static int grid_point(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                      const float *g, size_t k, double *sil, double *se)
{
    tx_kmeans_params kp = p->kmeans;
    tx_kmeans *km = NULL;
    int rc;

    kp.k = k;
    kp.n_init = 2;
    rc = tx__kmeans_fit(ctx, &kp, x, g, false, NULL, &km);
    if (rc == TX_OK)
        rc = silhouette(ctx, g, x->rows, tx_kmeans_labels(km),
                        tx_kmeans_k(km), sil, se);
    tx_kmeans_free(km);
    return rc;
}

/* Grid points side by side (tx__side_by_side): each fit is small (a
 * sample of 3000 rows), too small to split among threads. */
struct grid_job {
    const tx_themes_params *p;
    const tx_mat *x;
    const float *g;
    const size_t *grid_k;
    size_t n;
    double *sil, *se;
};

static int grid_task(void *arg, tx_ctx *ctx, size_t i)
{
    struct grid_job *j = arg;
    size_t m = j->n - 1 - i; /* the largest k, the costliest fit, first */

    return grid_point(ctx, j->p, j->x, j->g, j->grid_k[m], &j->sil[m],
                      &j->se[m]);
}

/* Silhouettes of x's k-means solutions at grid_k[0..n), n <= 64. */
static int grid(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                const float *g, const size_t *grid_k, size_t n, double *sil,
                double *se)
{
    struct grid_job j = {p, x, g, grid_k, n, sil, se};
    tx_ctx ctxs[64];

    return tx__side_by_side(ctx, n, grid_task, &j, ctxs);
}

/* The first grid point (smallest k) within one standard error of the best
 * of v[0..n). */
static size_t one_se(const double *v, const double *se, size_t n)
{
    size_t i, best = 0;

    for (i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    for (i = 0; v[i] < v[best] - se[best]; i++)
        ;
    return i;
}

/* Both levels' sizes from k-means solutions on an even sample of at most
 * 3000 rows, over a geometric grid of k (ratio 1.25):
 *  - specific (`fine`): the smallest k whose mean silhouette is within one
 *    standard error of the best (where the curve is flat, finer splits are
 *    not supported by the sample, and a flat curve's maximum moves with
 *    the seed);
 *  - broad (`broad`, at most THEMES_MAX or k_max): the same rule on the
 *    silhouette minus that of the column-shuffled sample at the same k.
 *    Raw silhouette is highest at k = 2 on long, diffuse text even when it
 *    has many topics, because any cloud splits in two; what the data has
 *    beyond a structureless cloud of the same values is what counts.
 * Both are scaled by the granularity; `fine` is at least twice `broad`,
 * so sub-themes split themes. `broad` may be NULL (themes given). */
#define THEMES_MAX 20

int tx__theme_auto_k(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                     size_t *broad, size_t *fine)
{
    size_t n = x->rows, s = n < 3000 ? n : 3000, i, kmax, m, n_grid = 0,
           n_broad = 0, bmax;
    size_t grid_k[64];
    double sil[64], se[64], adj[64], nsil[64], nse[64], kk, g;
    tx_mat *sample = NULL, *null = NULL;
    float *gs = NULL, *gn = NULL;
    size_t *pick = tx__malloc(ctx, (s + 1) * sizeof *pick);
    int rc = pick ? tx_mat_new(ctx, s, x->cols, &sample) : TX_ENOMEM;

    /* an even sample, from the ranks that hold its rows */
    for (i = 0; rc == TX_OK && i < s; i++)
        pick[i] = i * n / s;
    rc = tx__held_gather(ctx, rc, x, pick, s, sample);
    tx_free(ctx, pick);
    if (rc != TX_OK) {
        tx_mat_free(sample);
        return rc;
    }
    kmax = n / 10 < 200 ? n / 10 : 200;
    if (kmax > s / 5)
        kmax = s / 5;
    if (kmax < 2)
        kmax = 2;
    bmax = p->k_max ? p->k_max : THEMES_MAX;
    for (kk = 2.0; (size_t)kk <= kmax && n_grid < 64; kk *= 1.25)
        if (!n_grid || grid_k[n_grid - 1] != (size_t)kk)
            grid_k[n_grid++] = (size_t)kk;
    /* The structureless reference first, and only when the broad level is
     * to be chosen; one similarity matrix is held at a time. */
    if (broad)
        rc = structureless(ctx, sample, &null);
    if (rc == TX_OK && broad && !(gn = gram(ctx, null)))
        rc = TX_ENOMEM;
    for (m = 0; broad && m < n_grid && grid_k[m] <= bmax; m++)
        n_broad = m + 1;
    if (rc == TX_OK && n_broad)
        rc = tx__progress(ctx, "choosing k", 0, 2);
    if (rc == TX_OK && n_broad)
        rc = grid(ctx, p, null, gn, grid_k, n_broad, nsil, nse);
    tx_mat_free(null);
    tx_free(ctx, gn);
    if (rc == TX_OK && !(gs = gram(ctx, sample)))
        rc = TX_ENOMEM;
    if (rc == TX_OK)
        rc = tx__progress(ctx, "choosing k", 1, 2);
    if (rc == TX_OK)
        rc = grid(ctx, p, sample, gs, grid_k, n_grid, sil, se);
    for (m = 0; rc == TX_OK && m < n_broad; m++)
        adj[m] = sil[m] - nsil[m];
    tx_mat_free(sample);
    tx_free(ctx, gs);
    if (rc != TX_OK)
        return rc;
    /* the grid always holds k = 2 */
    g = p->granularity > 0 ? p->granularity : 1.0;
    *fine = (size_t)((double)grid_k[one_se(sil, se, n_grid)] * g + 0.5);
    if (broad) {
        *broad = (size_t)((double)grid_k[one_se(adj, se, n_broad)] * g + 0.5);
        if (*broad < 1)
            *broad = 1;
        if (*fine < 2 * *broad)
            *fine = 2 * *broad;
    }
    return TX_OK;
}
