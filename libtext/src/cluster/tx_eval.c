/* Clustering scores against true labels: NMI, ARI, V-measure, and accuracy
 * under the best one-to-one matching (Hungarian algorithm). */
#include "tx_internal.h"

#include <math.h>
#include <string.h>

/* Minimum-cost assignment on a square n x n cost matrix (row-major);
 * match[row] = column. O(n^3), potentials formulation. */
static int hungarian(tx_ctx *ctx, const double *cost, size_t n, size_t *match)
{
    double *u = tx__calloc(ctx, n + 1, sizeof *u);
    double *v = tx__calloc(ctx, n + 1, sizeof *v);
    double *minv = tx__malloc(ctx, (n + 1) * sizeof *minv);
    size_t *p = tx__calloc(ctx, n + 1, sizeof *p);
    size_t *way = tx__calloc(ctx, n + 1, sizeof *way);
    char *used = tx__malloc(ctx, n + 1);
    size_t i, j;

    if (!u || !v || !minv || !p || !way || !used) {
        tx_free(ctx, u); tx_free(ctx, v); tx_free(ctx, minv);
        tx_free(ctx, p); tx_free(ctx, way); tx_free(ctx, used);
        return TX_ENOMEM;
    }
    for (i = 1; i <= n; i++) {
        size_t j0 = 0;

        p[0] = i;
        for (j = 0; j <= n; j++) {
            minv[j] = INFINITY;
            used[j] = 0;
        }
        do {
            size_t i0 = p[j0], j1 = 0;
            double delta = INFINITY;

            used[j0] = 1;
            for (j = 1; j <= n; j++)
                if (!used[j]) {
                    double cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];

                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            for (j = 0; j <= n; j++)
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            size_t j1 = way[j0];

            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (j = 1; j <= n; j++)
        if (p[j])
            match[p[j] - 1] = j - 1;
    tx_free(ctx, u); tx_free(ctx, v); tx_free(ctx, minv);
    tx_free(ctx, p); tx_free(ctx, way); tx_free(ctx, used);
    return TX_OK;
}

static double entropy(const double *counts, size_t k, double n)
{
    double h = 0.0;
    size_t i;

    for (i = 0; i < k; i++)
        if (counts[i] > 0)
            h -= counts[i] / n * log(counts[i] / n);
    return h;
}

static double comb2(double x)
{
    return x * (x - 1.0) / 2.0;
}

int tx_eval_labels(tx_ctx *ctx, const int32_t *truth, const int32_t *pred, size_t n,
            tx_eval_scores *out)
{
    size_t ka = 0, kb = 0, i, j, m;
    double *tab, *a, *b, *cost, mi = 0.0, ha, hb, sum_ij = 0, sum_a = 0,
                                sum_b = 0, expected, maxidx, matched = 0;
    size_t *match;
    int rc;

    if (!ctx || !truth || !pred || !out || n == 0)
        return TX_EINVAL;
    memset(out, 0, sizeof *out);
    for (i = 0; i < n; i++) {
        if (truth[i] < 0 || pred[i] < 0)
            return TX_EINVAL;
        if ((size_t)truth[i] + 1 > ka)
            ka = (size_t)truth[i] + 1;
        if ((size_t)pred[i] + 1 > kb)
            kb = (size_t)pred[i] + 1;
    }
    if (ka > 100000 || kb > 100000)
        return TX_ERANGE;
    m = ka > kb ? ka : kb;
    tab = tx__calloc(ctx, ka * kb, sizeof *tab);
    a = tx__calloc(ctx, ka, sizeof *a);
    b = tx__calloc(ctx, kb, sizeof *b);
    cost = tx__calloc(ctx, m * m, sizeof *cost);
    match = tx__calloc(ctx, m, sizeof *match);
    if (!tab || !a || !b || !cost || !match) {
        rc = TX_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        tab[(size_t)truth[i] * kb + (size_t)pred[i]] += 1.0;
        a[truth[i]] += 1.0;
        b[pred[i]] += 1.0;
    }
    for (i = 0; i < ka; i++)
        for (j = 0; j < kb; j++) {
            double nij = tab[i * kb + j];

            if (nij > 0)
                mi += nij / (double)n * log((double)n * nij / (a[i] * b[j]));
            sum_ij += comb2(nij);
        }
    ha = entropy(a, ka, (double)n);
    hb = entropy(b, kb, (double)n);
    out->nmi = ha + hb > 0 ? 2.0 * mi / (ha + hb) : 1.0;
    out->homogeneity = ha > 0 ? mi / ha : 1.0;
    out->completeness = hb > 0 ? mi / hb : 1.0;
    out->v_measure = out->homogeneity + out->completeness > 0
                         ? 2.0 * out->homogeneity * out->completeness /
                               (out->homogeneity + out->completeness)
                         : 0.0;
    for (i = 0; i < ka; i++)
        sum_a += comb2(a[i]);
    for (j = 0; j < kb; j++)
        sum_b += comb2(b[j]);
    expected = sum_a * sum_b / comb2((double)n);
    maxidx = 0.5 * (sum_a + sum_b);
    out->ari = maxidx - expected != 0 ? (sum_ij - expected) /
                                            (maxidx - expected)
                                      : 1.0;
    /* Accuracy: maximize matched counts = minimize their negation. */
    for (i = 0; i < ka; i++)
        for (j = 0; j < kb; j++)
            cost[i * m + j] = -tab[i * kb + j];
    rc = hungarian(ctx, cost, m, match);
    for (i = 0; rc == TX_OK && i < ka; i++)
        if (match[i] < kb)
            matched += tab[i * kb + match[i]];
    out->acc = matched / (double)n;
    out->n = n;
    out->n_labels = ka;
    out->n_clusters = kb;
done:
    tx_free(ctx, tab);
    tx_free(ctx, a);
    tx_free(ctx, b);
    tx_free(ctx, cost);
    tx_free(ctx, match);
    return rc;
}
