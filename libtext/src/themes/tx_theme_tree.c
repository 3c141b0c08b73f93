/*
 * The merge tree over themes and its cuts into broader groups.
 */
#include "tx_themes_private.h"

#include <math.h>
#include <string.h>

/* Merge tree: repeatedly join the two groups whose summed centres have
 * the highest cosine (centres weighted by theme size). */
int tx__theme_build_tree(tx_ctx *ctx, tx_themes *th)
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
            sum[g * d + j] = (double)th->themes[g].primary *
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
