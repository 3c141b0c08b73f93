/*
 * Automatic k: the number of themes from the silhouette of k-means
 * solutions on a sample (the one-standard-error rule).
 */
#include "tx_themes_private.h"
#include "cluster/tx_cluster_private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

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
int tx__theme_auto_k(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
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
    tx_mat_free(sample);
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
