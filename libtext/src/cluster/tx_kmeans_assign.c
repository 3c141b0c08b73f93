/*
 * k-means assignment: each row's nearest centre, by one SGEMM per fixed
 * block of rows (block x k similarities stay in cache), so the result is
 * the same for any thread count; Lloyd's passes keep distance bounds and
 * skip the rows they keep with their centre.
 */
#include "tx_kmeans_shared.h"
#include "tx_cluster_private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* The blocks of a matrix whose rows the ranks hold apart (tx__held_rows):
 * each rank computes the blocks of its own rows. */
#define BLOCK TX__HELD_BLOCK

/* The slack on squared distances for float rounding: a row is kept only
 * when its centre is nearer by more than the products can be wrong. */
#define BOUND_SLACK 1e-5f

struct assign_job {
    const tx_mat *x, *c;
    size_t k;
    int32_t *labels;
    float *scores;
    double *block_sum;
    const float *half_norm; /* and 1 / |c| after it */
    size_t *block_changed;
    float *scratch; /* BLOCK x k similarities per worker */
    size_t workers;
    struct tx__km_bounds *bd;  /* NULL: no bounds kept */
    float *gathered;    /* BLOCK x d rows per worker, with bounds */
    size_t *todo;       /* BLOCK row numbers per worker, with bounds */
    size_t far, far2;   /* the centres that moved most and second most */
};

/* x.y and x.x over n floats, in eight lanes (vectorised, and the same
 * sum wherever it runs). */

TX_HOT static float dot_and_norm(const float *x, const float *y, size_t n,
                                 float *xx)
{
    tx__lanes8 a = {0}, q = {0}, u, v;
    float s = 0.0f, t = 0.0f;
    size_t i;
    int l;

    for (i = 0; i + 8 <= n; i += 8) {
        memcpy(&u, x + i, sizeof u);
        memcpy(&v, y + i, sizeof v);
        a += u * v;
        q += u * u;
    }
    for (; i < n; i++) {
        s += x[i] * y[i];
        t += x[i] * x[i];
    }
    for (l = 0; l < 8; l++) {
        s += a[l];
        t += q[l];
    }
    *xx = t;
    return s;
}

/* Labels, scores and the objective of `m` rows whose similarities to the
 * k centres are in sims (row t of sims is row rows[t] of x, or r0 + t when
 * rows is NULL); with bounds, each row's bounds are set afresh. */
static double label_rows(struct assign_job *j, size_t r0, const size_t *rows,
                         size_t m, float *sims, size_t *changed)
{
    const float *hn = j->half_norm;
    struct tx__km_bounds *bd = j->bd;
    size_t t, q, k = j->k, d = j->x->cols;
    double sum = 0.0;

    for (t = 0; t < m; t++) {
        size_t r = rows ? rows[t] : r0 + t, best = 0, next = SIZE_MAX;
        float *s = sims + t * k, xx, d2;

        for (q = 0; q < k; q++)
            s[q] -= hn[q];
        for (q = 1; q < k; q++)
            if (s[q] > s[best])
                best = q;
        if (changed && j->labels[r] != (int32_t)best)
            (*changed)++;
        j->labels[r] = (int32_t)best;
        /* The objective is x.c - |c|^2 / 2 (Euclidean k-means up to a
         * constant); the score people see is the cosine to the centroid. */
        sum += s[best];
        if (j->scores)
            j->scores[r] = (s[best] + hn[best]) * hn[k + best];
        if (!bd)
            continue;
        for (q = 0; q < k; q++)
            if (q != best && (next == SIZE_MAX || s[q] > s[next]))
                next = q;
        (void)dot_and_norm(j->x->data + r * j->x->ld,
                           j->x->data + r * j->x->ld, d, &xx);
        /* |x - c|^2 = |x|^2 + |c|^2 - 2 x.c, and x.c = s + hn */
        d2 = xx + bd->cc[best] - 2.0f * (s[best] + hn[best]);
        bd->upper[r - bd->base] =
            sqrtf(fmaxf(d2 + BOUND_SLACK * (xx + bd->cc[best]), 0.0f));
        if (next == SIZE_MAX) { /* one centre: none other to be near */
            bd->lower[r - bd->base] = INFINITY;
            continue;
        }
        d2 = xx + bd->cc[next] - 2.0f * (s[next] + hn[next]);
        bd->lower[r - bd->base] =
            sqrtf(fmaxf(d2 - BOUND_SLACK * (xx + bd->cc[next]), 0.0f));
    }
    return sum;
}

/* Rows [r0, r1) of x against the k centres (at most BLOCK rows: one SGEMM
 * into sims): labels, scores, and the objective's sum; counts the rows
 * whose label changed when `changed` is not NULL. With valid bounds, the
 * rows whose bounds keep them where they are skip the product. */
static double assign_rows(struct assign_job *j, size_t r0, size_t r1,
                          float *sims, float *gathered, size_t *todo,
                          size_t *changed)
{
    const tx_mat *x = j->x, *c = j->c;
    const float *hn = j->half_norm;
    struct tx__km_bounds *bd = j->bd;
    size_t r, m = 0, k = j->k, d = x->cols;
    double sum = 0.0;

    if (!bd || !bd->valid) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(r1 - r0),
                    (int)k, (int)d, 1.0f, x->data + r0 * x->ld, (int)x->ld,
                    c->data, (int)c->ld, 0.0f, sims, (int)k);
        return label_rows(j, r0, NULL, r1 - r0, sims, changed);
    }
    for (r = r0; r < r1; r++) {
        size_t a = (size_t)j->labels[r], i = r - bd->base;
        const float *row = x->data + r * x->ld;
        float up = bd->upper[i] + bd->drift[a];
        float low = bd->lower[i] - bd->drift[a == j->far ? j->far2 : j->far];
        float xx, xc, d2;

        if (up < low && !j->scores) { /* kept, and the row not read */
            bd->upper[i] = up;
            bd->lower[i] = low;
            continue;
        }
        /* the exact distance to its own centre, and the score */
        xc = dot_and_norm(row, c->data + a * c->ld, d, &xx);
        d2 = xx + bd->cc[a] - 2.0f * xc;
        up = sqrtf(fmaxf(d2 + BOUND_SLACK * (xx + bd->cc[a]), 0.0f));
        if (up < low) {
            bd->upper[i] = up;
            bd->lower[i] = low;
            sum += xc - hn[a];
            if (j->scores)
                j->scores[r] = xc * hn[k + a];
            continue;
        }
        todo[m] = r;
        memcpy(gathered + m * d, row, d * sizeof *gathered);
        m++;
    }
    if (m == 0)
        return sum;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)k,
                (int)d, 1.0f, gathered, (int)d, c->data, (int)c->ld, 0.0f,
                sims, (int)k);
    return sum + label_rows(j, r0, todo, m, sims, changed);
}

/* hn for assign_rows: 2k floats. */
static void centre_norms(const tx_mat *c, size_t k, bool spherical,
                         float *hn)
{
    size_t q, e;

    for (q = 0; q < k; q++) {
        double ss = 0;

        for (e = 0; e < c->cols; e++)
            ss += (double)c->data[q * c->ld + e] * c->data[q * c->ld + e];
        hn[q] = spherical ? 0.0f : (float)(0.5 * ss);
        hn[k + q] = ss > 0 ? (float)(1.0 / sqrt(ss)) : 0.0f;
    }
}

void tx__kmeans_assign_small(const tx_mat *x, const tx_mat *c, bool spherical,
                             int32_t *labels, float *scores, float *work)
{
    size_t k = c->rows;
    struct assign_job j = {.x = x, .c = c, .k = k, .labels = labels,
                           .scores = scores, .half_norm = work,
                           .scratch = work + 2 * k, .workers = 1};

    centre_norms(c, k, spherical, work);
    (void)assign_rows(&j, 0, x->rows, j.scratch, NULL, NULL, NULL);
}

static int assign_block(void *arg, size_t b)
{
    struct assign_job *j = arg;
    size_t r0 = b * BLOCK, r1 = r0 + BLOCK, changed = 0, w = b % j->workers;
    double sum;

    if (r1 > j->x->rows)
        r1 = j->x->rows;
    sum = assign_rows(j, r0, r1, j->scratch + w * BLOCK * j->k,
                      j->gathered ? j->gathered + w * BLOCK * j->x->cols
                                  : NULL,
                      j->todo ? j->todo + w * BLOCK : NULL, &changed);
    if (j->block_sum)
        j->block_sum[b] = sum;
    if (j->block_changed)
        j->block_changed[b] = changed;
    return TX_OK;
}

/* Before a pass with bounds: each centre's |c|^2 and, while the bounds
 * hold, how far it moved since the last pass (rounded up). Returns false
 * when no bounds can be kept: spherical distances order centres as
 * similarities do only while all are unit vectors. */
static bool bounds_prepare(struct tx__km_bounds *bd, const tx_mat *c, size_t k,
                           bool spherical, struct assign_job *j)
{
    size_t q, e, d = c->cols;
    bool unit = true;

    for (q = 0; q < k; q++) {
        double ss = 0.0, mv = 0.0;

        for (e = 0; e < d; e++) {
            double v = c->data[q * c->ld + e];
            double u = bd->valid ? v - bd->old[q * d + e] : 0.0;

            ss += v * v;
            mv += u * u;
        }
        bd->cc[q] = (float)ss;
        bd->drift[q] = (float)(sqrt(mv) * (1.0 + 1e-6)) + 1e-7f;
        unit = unit && (!spherical || fabs(ss - 1.0) <= 1e-4);
    }
    j->far = j->far2 = 0;
    for (q = 1; q < k; q++)
        if (bd->drift[q] > bd->drift[j->far])
            j->far = q;
    if (j->far == 0)
        j->far2 = k > 1 ? 1 : 0;
    for (q = 0; q < k; q++)
        if (q != j->far && bd->drift[q] > bd->drift[j->far2])
            j->far2 = q;
    bd->valid = bd->valid && unit;
    return unit;
}

void tx__km_pass_free(tx_ctx *ctx, struct tx__km_pass *ws)
{
    tx_free(ctx, ws->block_sum);
    tx_free(ctx, ws->block_changed);
    tx_free(ctx, ws->half_norm);
    tx_free(ctx, ws->scratch);
    tx_free(ctx, ws->gathered);
    tx_free(ctx, ws->todo);
}

int tx__km_pass_new(tx_ctx *ctx, size_t n, size_t k, size_t d, bool bounded,
                    struct tx__km_pass *ws)
{
    size_t nb = (n + BLOCK - 1) / BLOCK;

    memset(ws, 0, sizeof *ws);
    ws->workers = (size_t)tx_ctx_threads(ctx);
    ws->block_sum = tx__calloc(ctx, nb + 1, sizeof *ws->block_sum);
    ws->block_changed = tx__calloc(ctx, nb + 1, sizeof *ws->block_changed);
    ws->half_norm = tx__calloc(ctx, 2 * k + 1, sizeof *ws->half_norm);
    ws->scratch = tx__malloc(ctx, ws->workers * BLOCK * k *
                                      sizeof *ws->scratch);
    if (bounded) {
        ws->gathered = tx__malloc(ctx, ws->workers * BLOCK * d *
                                           sizeof *ws->gathered);
        ws->todo = tx__malloc(ctx, ws->workers * BLOCK * sizeof *ws->todo);
    }
    if (ws->block_sum && ws->block_changed && ws->half_norm && ws->scratch &&
        (!bounded || (ws->gathered && ws->todo)))
        return TX_OK;
    tx__km_pass_free(ctx, ws);
    return TX_ENOMEM;
}

/* Labels and scores for every row (scores NULL: labels alone); returns
 * the mean score in *mean. With several ranks each assigns the blocks it
 * reports of the rows it holds and they exchange the results, so every
 * rank ends with all of them. With bounds (Lloyd), rows that cannot have
 * moved skip the product; without scores they are not even read, and
 * the mean counts only the rows compared. */
int tx__km_assign_all(tx_ctx *ctx, const tx_mat *x, const tx_mat *c,
                      size_t k, bool spherical, int32_t *labels,
                      float *scores, double *mean, size_t *changed,
                      struct tx__km_bounds *bd, struct tx__km_pass *ws)
{
    struct tx__km_pass own, *w = ws ? ws : &own;
    size_t b, b0, b1, nb = (x->rows + BLOCK - 1) / BLOCK;
    double sum = 0.0;
    int rc;

    if (!ws && tx__km_pass_new(ctx, x->rows, k, x->cols, bd != NULL, &own))
        return TX_ENOMEM;
    struct assign_job j = {.x = x, .c = c, .k = k, .labels = labels,
                           .scores = scores, .block_sum = w->block_sum,
                           .half_norm = w->half_norm,
                           .block_changed = w->block_changed,
                           .scratch = w->scratch, .workers = w->workers,
                           .bd = bd, .gathered = w->gathered,
                           .todo = w->todo};

    centre_norms(c, k, spherical, w->half_norm);
    if (bd && !bounds_prepare(bd, c, k, spherical, &j))
        j.bd = NULL; /* no bounds from this pass */
    tx__held_reported(ctx, x->rows, &b0, &b1);
    rc = tx__parallel_range(ctx, b0 / BLOCK, (b1 + BLOCK - 1) / BLOCK,
                            assign_block, &j);
    if (tx__comm_many(ctx)) { /* every rank gets every block's results */
        void *rows[2] = {labels, scores}, *blocks[2] = {j.block_sum,
                                                         j.block_changed};
        size_t row_size[2] = {sizeof *labels, sizeof *scores},
               block_size[2] = {sizeof *j.block_sum,
                                sizeof *j.block_changed};

        rc = tx__held_share(ctx, rc, x->rows, 0, rows, row_size,
                            scores ? 2 : 1);
        rc = tx__held_share(ctx, rc, x->rows, 1, blocks, block_size, 2);
    }
    if (bd) { /* the bounds now hold for these centres */
        for (b = 0; b < k; b++)
            memcpy(bd->old + b * x->cols, c->data + b * c->ld,
                   x->cols * sizeof *bd->old);
        bd->valid = rc == TX_OK && j.bd != NULL;
    }
    for (b = 0; b < nb; b++)
        sum += j.block_sum[b];
    if (mean)
        *mean = x->rows ? sum / (double)x->rows : 0.0;
    if (changed)
        for (*changed = 0, b = 0; b < nb; b++)
            *changed += j.block_changed[b];
    if (!ws)
        tx__km_pass_free(ctx, &own);
    return rc;
}

int tx_kmeans_assign(tx_ctx *ctx, const tx_mat *centroids, int spherical,
                     const tx_mat *x, int32_t *labels, float *scores)
{
    if (!ctx || !centroids || !x || !labels || centroids->rows == 0 ||
        centroids->cols != x->cols)
        return TX_EINVAL;
    return tx__km_assign_all(ctx, x, centroids, centroids->rows,
                             spherical != 0, labels, scores, NULL, NULL,
                             NULL, NULL);
}

/* The rows of an n-row run whose bounds this rank keeps: those of the
 * blocks it computes. */
void tx__km_bounds_place(const tx_ctx *ctx, size_t n,
                         struct tx__km_bounds *bd)
{
    size_t b0, b1;

    tx__held_reported(ctx, n, &b0, &b1);
    bd->base = b0 / BLOCK * BLOCK;
    bd->valid = false;
}

/* Bounds for runs of up to n rows (a rank may run a restart on all of a
 * sample's rows alone). */
int tx__km_bounds_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                      struct tx__km_bounds *bd)
{
    bd->upper = tx__malloc(ctx, (n + 1) * sizeof *bd->upper);
    bd->lower = tx__malloc(ctx, (n + 1) * sizeof *bd->lower);
    bd->old = tx__malloc(ctx, k * d * sizeof *bd->old);
    bd->drift = tx__malloc(ctx, k * sizeof *bd->drift);
    bd->cc = tx__malloc(ctx, k * sizeof *bd->cc);
    return bd->upper && bd->lower && bd->old && bd->drift && bd->cc
               ? TX_OK
               : TX_ENOMEM;
}

void tx__km_bounds_free(tx_ctx *ctx, struct tx__km_bounds *bd)
{
    tx_free(ctx, bd->upper);
    tx_free(ctx, bd->lower);
    tx_free(ctx, bd->old);
    tx_free(ctx, bd->drift);
    tx_free(ctx, bd->cc);
}
