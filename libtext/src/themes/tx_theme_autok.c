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

/* The broad level's curve is the mean of SAMPLES curves, each on its own
 * even sample with its own seed. It is flat where k is chosen, and one
 * sample's k-means optima moved it more than its rows' spread says: 5
 * rows fewer in 5,000 review sentences moved the choice from 11 themes
 * to 9 or 18 (bench/README.md, "Same data, a few rows changed"). The two
 * more samples (their grids stop at 20 themes, but each has its own
 * shuffled copy and similarity matrices) take choosing k on 1M rows from
 * 0.65 s to 1.19 s. */
#define SAMPLES 3

/* The broad curve mean[0..n) from the samples' curves adj[m][r], with
 * standard errors: the samples' spread pooled over the grid (three
 * samples alone give each point two degrees of freedom, too few to set a
 * threshold with), or, where larger, the point's rows' spread (row_se,
 * averaged over the samples). */
static void broad_curve(double adj[][SAMPLES], double row_se[][SAMPLES],
                        size_t n, double *mean, double *se)
{
    double var = 0.0;
    size_t m, r;

    if (n == 0)
        return;
    for (m = 0; m < n; m++) {
        double sum = 0.0;

        for (r = 0; r < SAMPLES; r++)
            sum += adj[m][r];
        mean[m] = sum / SAMPLES;
        for (r = 0; r < SAMPLES; r++)
            var += (adj[m][r] - mean[m]) * (adj[m][r] - mean[m]);
    }
    var /= (double)n * (SAMPLES - 1); /* pooled, of one sample's value */
    for (m = 0; m < n; m++) {
        double rows = 0.0;

        for (r = 0; r < SAMPLES; r++)
            rows += row_se[m][r];
        se[m] = sqrt(var / SAMPLES);
        if (se[m] < rows / SAMPLES)
            se[m] = rows / SAMPLES;
    }
}

/* An even sample of s of x's n rows, the r-th of its kind: rows
 * (i * n + r * n / SAMPLES) / s, from the ranks that hold them. */
static int even_sample(tx_ctx *ctx, const tx_mat *x, size_t s, size_t r,
                       tx_mat **out)
{
    size_t n = x->rows, i;
    size_t *pick = tx__malloc(ctx, (s + 1) * sizeof *pick);
    int rc = pick ? tx_mat_new(ctx, s, x->cols, out) : TX_ENOMEM;

    for (i = 0; rc == TX_OK && i < s; i++)
        pick[i] = (i * n + r * n / SAMPLES) / s;
    rc = tx__held_gather(ctx, rc, x, pick, s, *out);
    tx_free(ctx, pick);
    if (rc != TX_OK) {
        tx_mat_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Silhouettes of the sample's k-means solutions at grid_k[0..n) (sil,
 * se), and of its structureless copy at grid_k[0..n_null) (nsil); one
 * similarity matrix is held at a time. */
static int curves(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *sample,
                  const size_t *grid_k, size_t n, size_t n_null, double *sil,
                  double *se, double *nsil)
{
    tx_mat *null = NULL;
    float *g = NULL;
    double nse[64];
    int rc = TX_OK;

    if (n_null) {
        rc = structureless(ctx, sample, &null);
        if (rc == TX_OK && !(g = gram(ctx, null)))
            rc = TX_ENOMEM;
        if (rc == TX_OK)
            rc = grid(ctx, p, null, g, grid_k, n_null, nsil, nse);
        tx_mat_free(null);
        tx_free(ctx, g);
        g = NULL;
    }
    if (rc == TX_OK && !(g = gram(ctx, sample)))
        rc = TX_ENOMEM;
    if (rc == TX_OK)
        rc = grid(ctx, p, sample, g, grid_k, n, sil, se);
    tx_free(ctx, g);
    return rc;
}

/* Both levels' sizes from k-means solutions on an even sample of at most
 * 3000 rows, over a geometric grid of k (ratio 1.25):
 *  - specific (`fine`): the smallest k whose mean silhouette is within one
 *    standard error of the best (where the curve is flat, finer splits are
 *    not supported by the sample, and a flat curve's maximum moves with
 *    the seed);
 *  - broad (`broad`, at most THEMES_MAX or k_max): the same rule on the
 *    silhouette minus that of the column-shuffled sample at the same k,
 *    averaged over SAMPLES samples, their pooled spread the standard
 *    error.
 *    Raw silhouette is highest at k = 2 on long, diffuse text even when it
 *    has many topics, because any cloud splits in two; what the data has
 *    beyond a structureless cloud of the same values is what counts.
 * Both are scaled by the granularity; `fine` is at least twice `broad`,
 * so sub-themes split themes. `broad` may be NULL (themes given). */
#define THEMES_MAX 20

int tx__theme_auto_k(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                     size_t *broad, size_t *fine)
{
    size_t n = x->rows, s = n < 3000 ? n : 3000, kmax, m, r, n_grid = 0,
           n_broad = 0, bmax;
    size_t grid_k[64];
    double sil[64], se[64], adj[64][SAMPLES], rse[64][SAMPLES], bm[64],
        bse[64], kk, g;
    uint64_t seed = tx_ctx_seed(ctx);
    int rc = TX_OK;

    kmax = n / 10 < 200 ? n / 10 : 200;
    if (kmax > s / 5)
        kmax = s / 5;
    if (kmax < 2)
        kmax = 2;
    bmax = p->k_max ? p->k_max : THEMES_MAX;
    for (kk = 2.0; (size_t)kk <= kmax && n_grid < 64; kk *= 1.25)
        if (!n_grid || grid_k[n_grid - 1] != (size_t)kk)
            grid_k[n_grid++] = (size_t)kk;
    for (m = 0; broad && m < n_grid && grid_k[m] <= bmax; m++)
        n_broad = m + 1;
    /* sample 0 gives the specific level's curve too */
    for (r = 0; rc == TX_OK && r < (n_broad ? SAMPLES : 1); r++) {
        double rs[64], rs_se[64], rn[64];
        tx_mat *sample = NULL;

        rc = tx__progress(ctx, "choosing k", r, n_broad ? SAMPLES : 1);
        tx_ctx_set_seed(ctx, seed + r * 0x9E3779B97F4A7C15ULL);
        if (rc == TX_OK)
            rc = even_sample(ctx, x, s, r, &sample);
        if (rc == TX_OK)
            rc = curves(ctx, p, sample, grid_k, r ? n_broad : n_grid,
                        n_broad, r ? rs : sil, r ? rs_se : se, rn);
        tx_mat_free(sample);
        for (m = 0; rc == TX_OK && m < n_broad; m++) {
            adj[m][r] = (r ? rs[m] : sil[m]) - rn[m];
            rse[m][r] = r ? rs_se[m] : se[m];
        }
    }
    tx_ctx_set_seed(ctx, seed);
    if (rc != TX_OK)
        return rc;
    broad_curve(adj, rse, n_broad, bm, bse);
    /* the grid always holds k = 2 */
    g = p->granularity > 0 ? p->granularity : 1.0;
    *fine = (size_t)((double)grid_k[one_se(sil, se, n_grid)] * g + 0.5);
    if (broad) {
        *broad = (size_t)((double)grid_k[one_se(bm, bse, n_broad)] * g + 0.5);
        if (*broad < 1)
            *broad = 1;
        if (*fine < 2 * *broad)
            *fine = 2 * *broad;
    }
    return TX_OK;
}
