/* GSDMM: collapsed Gibbs sampling of a Dirichlet multinomial mixture, one
 * cluster per document (Yin and Wang, KDD 2014). Log-probabilities use
 * lgamma differences, so repeated words cost one term each. */
#include "tx_internal.h"
#include "tx_cluster_private.h"

#include <math.h>
#include <string.h>

void tx_dmm_params_init(tx_dmm_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->k = 40;
    p->alpha = 0.1;
    p->beta = 0.1;
    p->iters = 15;
}

struct dmm {
    size_t k, V;
    int64_t *m;    /* documents per cluster */
    int64_t *nz;   /* words per cluster */
    int32_t *nzw;  /* k x V word counts */
};

static void move(struct dmm *s, const tx_csr *c, size_t d, int32_t z, int sign)
{
    int64_t e;

    s->m[z] += sign;
    for (e = c->indptr[d]; e < c->indptr[d + 1]; e++) {
        int32_t n = (int32_t)c->data[e];

        s->nzw[(size_t)z * s->V + (size_t)c->indices[e]] += sign * n;
        s->nz[z] += sign * n;
    }
}

int tx__dmm_run(tx_ctx *ctx, const tx_dmm_params *p, const tx_csr *c,
                uint64_t seed, int32_t *labels, size_t *k_found)
{
    tx_dmm_params def;
    struct dmm s;
    double *lp, vb;
    uint64_t rng;
    size_t d, z, i, *size = NULL, *order = NULL;
    int32_t *newid = NULL;
    int it, rc = TX_OK;

    if (!ctx || !c || !labels)
        return TX_EINVAL;
    tx_dmm_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (p->k < 1 || p->alpha <= 0 || p->beta <= 0 || p->iters < 0 ||
        c->cols == 0 || p->k > 100000)
        return TX_EINVAL;
    s.k = p->k;
    s.V = c->cols;
    vb = (double)s.V * p->beta;
    s.m = tx__calloc(ctx, s.k, sizeof *s.m);
    s.nz = tx__calloc(ctx, s.k, sizeof *s.nz);
    s.nzw = tx__calloc(ctx, s.k * s.V, sizeof *s.nzw);
    lp = tx__malloc(ctx, s.k * sizeof *lp);
    if (!s.m || !s.nz || !s.nzw || !lp) {
        rc = TX_ENOMEM;
        goto done;
    }
    rng = seed ^ 0x444D4D5345454421ULL;
    for (d = 0; d < c->rows; d++) {
        labels[d] = (int32_t)(tx__rng_uniform(&rng) * (double)s.k);
        move(&s, c, d, labels[d], +1);
    }
    for (it = 0; it < p->iters; it++)
        for (d = 0; d < c->rows; d++) {
            double best = -INFINITY, total = 0.0, u;
            int64_t len = 0, e;

            move(&s, c, d, labels[d], -1);
            for (e = c->indptr[d]; e < c->indptr[d + 1]; e++)
                len += (int64_t)c->data[e];
            for (z = 0; z < s.k; z++) {
                double l = log((double)s.m[z] + p->alpha);

                for (e = c->indptr[d]; e < c->indptr[d + 1]; e++) {
                    double nw = (double)s.nzw[z * s.V +
                                              (size_t)c->indices[e]] +
                                p->beta;

                    l += lgamma(nw + c->data[e]) - lgamma(nw);
                }
                l -= lgamma((double)s.nz[z] + vb + (double)len) -
                     lgamma((double)s.nz[z] + vb);
                lp[z] = l;
                if (l > best)
                    best = l;
            }
            for (z = 0; z < s.k; z++) {
                lp[z] = exp(lp[z] - best);
                total += lp[z];
            }
            u = tx__rng_uniform(&rng) * total;
            for (z = 0; z + 1 < s.k && u >= lp[z]; z++)
                u -= lp[z];
            labels[d] = (int32_t)z;
            move(&s, c, d, labels[d], +1);
        }
    /* Dense ids, largest cluster first (ties: lower old id). */
    size = tx__calloc(ctx, s.k, sizeof *size);
    order = tx__malloc(ctx, s.k * sizeof *order);
    newid = tx__malloc(ctx, s.k * sizeof *newid);
    if (!size || !order || !newid) {
        rc = TX_ENOMEM;
        goto done;
    }
    for (d = 0; d < c->rows; d++)
        size[labels[d]]++;
    for (z = 0; z < s.k; z++)
        order[z] = z;
    for (z = 1; z < s.k; z++)
        for (i = z; i > 0 && size[order[i - 1]] < size[order[i]]; i--) {
            size_t t = order[i];

            order[i] = order[i - 1];
            order[i - 1] = t;
        }
    for (z = 0; z < s.k; z++)
        newid[order[z]] = (int32_t)z;
    for (d = 0; d < c->rows; d++)
        labels[d] = newid[labels[d]];
    if (k_found)
        for (*k_found = 0, z = 0; z < s.k; z++)
            *k_found += size[z] > 0;
done:
    tx_free(ctx, s.m);
    tx_free(ctx, s.nz);
    tx_free(ctx, s.nzw);
    tx_free(ctx, lp);
    tx_free(ctx, size);
    tx_free(ctx, order);
    tx_free(ctx, newid);
    return rc;
}

int tx_dmm_fit(tx_ctx *ctx, const tx_dmm_params *p, const tx_csr *c,
               int32_t *labels, size_t *k_found)
{
    return tx__dmm_run(ctx, p, c, tx_ctx_seed(ctx), labels, k_found);
}
