/*
 * k-means of unit rows: Euclidean (mean centroids; argmax x.c - |c|^2/2)
 * or spherical (unit centroids; argmax x.c). Similarities are one SGEMM per fixed block of rows;
 * centroid sums are taken per fixed part in double and added in part
 * order, so the result is the same for any thread count.
 */
#include "tx_internal.h"
#include "tx_cluster_private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* Rows per SGEMM (block x k similarities stay in cache), and the fixed
 * parts centroid sums go by: those of a matrix whose rows the ranks hold
 * apart (tx__held_rows), so each rank computes the blocks and sums the
 * parts of its own rows. */
#define BLOCK TX__HELD_BLOCK

struct tx_kmeans {
    tx_ctx *ctx;
    size_t n, k;
    int32_t *labels;
    float *scores;
    float *stability;
    tx_mat *cent;
    double objective;
};

void tx_kmeans_params_init(tx_kmeans_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->k = 10;
    p->n_init = 5;
    p->max_iter = 100;
    p->tol = 1e-6;
    p->spherical = 0;
}

/* ---- assignment ---- */

/* Bounds that let Lloyd skip rows whose centre cannot have changed
 * (Hamerly's test): for each row, an upper bound on its distance to its
 * own centre and a lower bound on its distance to any other. When centres
 * move, the first grows by its centre's move and the second shrinks by
 * the largest move of the others; a row whose bounds stay apart keeps its
 * centre, and only its similarity to that centre is computed. Late
 * iterations, where few rows move, then cost a fraction of a product.
 * Distances are of the assignment's own order: |x - c| for Euclidean,
 * and for spherical too while every centre is a unit vector. Rows are
 * those of the blocks the rank computes, from `base`. */
struct bounds {
    size_t base, rows;
    float *upper, *lower;
    float *old;   /* k x d: the centres at the last assignment */
    float *drift; /* k: how far each centre has moved since */
    float *cc;    /* k: |c|^2 */
    bool valid;   /* false: every row is compared with every centre */
};

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
    struct bounds *bd;  /* NULL: no bounds kept */
    float *gathered;    /* BLOCK x d rows per worker, with bounds */
    size_t *todo;       /* BLOCK row numbers per worker, with bounds */
    size_t far, far2;   /* the centres that moved most and second most */
};

/* x.y and x.x over n floats, in eight lanes (vectorised, and the same
 * sum wherever it runs). */
typedef float lanes8 __attribute__((vector_size(32)));

TX_HOT static float dot_and_norm(const float *x, const float *y, size_t n,
                                 float *xx)
{
    lanes8 a = {0}, q = {0}, u, v;
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
    struct bounds *bd = j->bd;
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
    struct bounds *bd = j->bd;
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
    struct assign_job j = {x, c, k, labels, scores, NULL, work, NULL,
                           work + 2 * k, 1, NULL, NULL, NULL, 0, 0};

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
static bool bounds_prepare(struct bounds *bd, const tx_mat *c, size_t k,
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

/* What a pass over the rows writes besides labels and scores: kept by
 * Lloyd for all its passes, since memory first touched at every pass
 * costs more than the pass on some machines. */
struct pass_ws {
    size_t nb, workers;
    double *block_sum;
    size_t *block_changed;
    float *half_norm; /* 2k */
    float *scratch;   /* workers x BLOCK x k similarities */
    float *gathered;  /* workers x BLOCK x d rows, with bounds */
    size_t *todo;     /* workers x BLOCK row numbers, with bounds */
};

static void pass_ws_free(tx_ctx *ctx, struct pass_ws *ws)
{
    tx_free(ctx, ws->block_sum);
    tx_free(ctx, ws->block_changed);
    tx_free(ctx, ws->half_norm);
    tx_free(ctx, ws->scratch);
    tx_free(ctx, ws->gathered);
    tx_free(ctx, ws->todo);
}

static int pass_ws_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                       bool bounded, struct pass_ws *ws)
{
    memset(ws, 0, sizeof *ws);
    ws->nb = (n + BLOCK - 1) / BLOCK;
    ws->workers = (size_t)tx_ctx_threads(ctx);
    ws->block_sum = tx__calloc(ctx, ws->nb + 1, sizeof *ws->block_sum);
    ws->block_changed = tx__calloc(ctx, ws->nb + 1,
                                   sizeof *ws->block_changed);
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
    pass_ws_free(ctx, ws);
    return TX_ENOMEM;
}

/* Labels and scores for every row (scores NULL: labels alone); returns
 * the mean score in *mean. With several ranks each assigns the blocks it
 * reports of the rows it holds and they exchange the results, so every
 * rank ends with all of them. With bounds (Lloyd), rows that cannot have
 * moved skip the product; without scores they are not even read, and
 * the mean counts only the rows compared. */
static int assign_all(tx_ctx *ctx, const tx_mat *x, const tx_mat *c, size_t k,
                      bool spherical, int32_t *labels, float *scores,
                      double *mean, size_t *changed, struct bounds *bd,
                      struct pass_ws *ws)
{
    struct pass_ws own, *w = ws ? ws : &own;
    size_t b, b0, b1;
    double sum = 0.0;
    int rc;

    if (!ws && pass_ws_new(ctx, x->rows, k, x->cols, bd != NULL, &own))
        return TX_ENOMEM;
    struct assign_job j = {x, c, k, labels, scores, w->block_sum,
                           w->half_norm, w->block_changed, w->scratch,
                           w->workers, bd, w->gathered, w->todo, 0, 0};

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
    for (b = 0; b < w->nb; b++)
        sum += j.block_sum[b];
    if (mean)
        *mean = x->rows ? sum / (double)x->rows : 0.0;
    if (changed)
        for (*changed = 0, b = 0; b < w->nb; b++)
            *changed += j.block_changed[b];
    if (!ws)
        pass_ws_free(ctx, &own);
    return rc;
}

int tx_kmeans_assign(tx_ctx *ctx, const tx_mat *centroids, int spherical,
                     const tx_mat *x, int32_t *labels, float *scores)
{
    if (!ctx || !centroids || !x || !labels || centroids->rows == 0 ||
        centroids->cols != x->cols)
        return TX_EINVAL;
    return assign_all(ctx, x, centroids, centroids->rows, spherical != 0,
                      labels, scores, NULL, NULL, NULL, NULL);
}

/* ---- centroid update ---- */

/* The update's sums, kept for a whole run of Lloyd: allocated and
 * zeroed at every iteration they cost more than the sums themselves in
 * the small fits of choosing k. */
struct update_ws {
    size_t parts;
    double *sums;  /* parts x k x d: each part's sum per cluster */
    uint8_t *used; /* parts x k: whether the part has rows of the cluster */
    double *total; /* k x d */
    /* After the first sums, a part moves only the rows whose label
     * changed since: late iterations move a few hundred rows of tens of
     * thousands. A cluster that a part's rows all left is zeroed. */
    int32_t *prev;     /* each row's label at the last sums */
    uint32_t *members; /* parts x k: the part's rows in each cluster */
    bool fresh;        /* false: the next sums start from nothing */
};

struct update_job {
    const tx_mat *x;
    const int32_t *labels;
    size_t k;
    struct update_ws *ws;
};

static int update_ws_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                         struct update_ws *ws)
{
    ws->parts = tx__held_parts(n);
    ws->sums = tx__calloc(ctx, ws->parts * k * d, sizeof *ws->sums);
    ws->used = tx__malloc(ctx, ws->parts * k * sizeof *ws->used);
    ws->total = tx__malloc(ctx, k * d * sizeof *ws->total);
    ws->prev = tx__malloc(ctx, (n + 1) * sizeof *ws->prev);
    ws->members = tx__malloc(ctx, ws->parts * k * sizeof *ws->members);
    ws->fresh = false;
    return ws->sums && ws->used && ws->total && ws->prev && ws->members
               ? TX_OK
               : TX_ENOMEM;
}

static void update_ws_free(tx_ctx *ctx, struct update_ws *ws)
{
    tx_free(ctx, ws->sums);
    tx_free(ctx, ws->used);
    tx_free(ctx, ws->total);
    tx_free(ctx, ws->prev);
    tx_free(ctx, ws->members);
}

/* A part's sums touch only the clusters it has rows of: with many
 * clusters and few rows (choosing k) the parts' other sums would be
 * zeroed and added for nothing, and adding zero changes no total. */
TX_HOT static int sum_part(void *arg, size_t part)
{
    struct update_job *j = arg;
    struct update_ws *ws = j->ws;
    size_t d = j->x->cols, r, c, parts = ws->parts;
    size_t r0 = j->x->rows * part / parts;
    size_t r1 = j->x->rows * (part + 1) / parts;
    double *s = ws->sums + part * j->k * d;
    uint8_t *used = ws->used + part * j->k;
    uint32_t *members = ws->members + part * j->k;

    if (!ws->fresh) {
        memset(used, 0, j->k);
        memset(members, 0, j->k * sizeof *members);
    }
    for (r = r0; r < r1; r++) {
        const float *row = j->x->data + r * j->x->ld;
        int32_t to = j->labels[r], from = ws->prev[r];
        double *t = s + (size_t)to * d;

        if (ws->fresh && from == to)
            continue;
        if (ws->fresh) { /* out of its old cluster */
            double *f = s + (size_t)from * d;

            for (c = 0; c < d; c++)
                f[c] -= row[c];
            if (--members[from] == 0) {
                used[from] = 0;
                memset(f, 0, d * sizeof *f);
            }
        }
        if (!used[to]) {
            used[to] = 1;
            memset(t, 0, d * sizeof *t);
        }
        members[to]++;
        for (c = 0; c < d; c++)
            t[c] += row[c];
        ws->prev[r] = to;
    }
    return TX_OK;
}

/* Several ranks: each summed its parts; every rank gets every part. */
static int share_sums(tx_ctx *ctx, int rc, size_t n, size_t k, size_t d,
                      struct update_ws *ws)
{
    size_t R = (size_t)ctx->comm.ranks, r, p1;
    size_t *starts = tx__malloc(ctx, (R + 1) * sizeof *starts);

    for (r = 0; starts && r < R; r++)
        tx__held_part_range(ctx, n, (int)r, &starts[r], &p1);
    if (starts)
        starts[R] = ws->parts;
    rc = tx__comm_gather_ranges(ctx, starts ? rc : TX_ENOMEM, ws->used,
                                starts, k);
    rc = tx__comm_gather_ranges(ctx, starts ? rc : TX_ENOMEM, ws->sums,
                                starts, k * d * sizeof *ws->sums);
    tx_free(ctx, starts);
    return rc;
}

/* The clusters' sums of their members, in ws->total, and the objective
 * of the labels under the centres `cent` (the mean of x.c - |c|^2 / 2,
 * or of x.c when spherical), from the sums: a row skipped by the bounds
 * counts without its similarity computed. */
static int sum_clusters(tx_ctx *ctx, const tx_mat *x, const int32_t *labels,
                        size_t k, bool spherical, const tx_mat *cent,
                        const size_t *counts, struct update_ws *ws,
                        double *objective)
{
    size_t d = x->cols, p, j, c, p0, p1;
    struct update_job job = {x, labels, k, ws};
    double *total = ws->total, obj = 0.0;
    int rc;

    memset(total, 0, k * d * sizeof *total);
    tx__held_part_range(ctx, x->rows, ctx->comm.rank, &p0, &p1);
    rc = tx__parallel_range(ctx, p0, p1, sum_part, &job);
    ws->fresh = rc == TX_OK;
    if (tx__comm_many(ctx)) /* a rank without memory takes part too */
        rc = share_sums(ctx, rc, x->rows, k, d, ws);
    for (p = 0; rc == TX_OK && p < ws->parts; p++)
        for (j = 0; j < k; j++) {
            const double *s = ws->sums + (p * k + j) * d;

            if (!ws->used[p * k + j])
                continue;
            for (c = 0; c < d; c++)
                total[j * d + c] += s[c];
        }
    for (j = 0; rc == TX_OK && j < k; j++) {
        const float *cj = cent->data + j * cent->ld;
        double xc = 0.0, cc = 0.0;

        for (c = 0; c < d; c++) {
            xc += total[j * d + c] * cj[c];
            cc += (double)cj[c] * cj[c];
        }
        obj += xc - (spherical ? 0.0 : 0.5 * cc * (double)counts[j]);
    }
    *objective = x->rows ? obj / (double)x->rows : 0.0;
    return rc;
}

/* New centroids from the sums: the members' mean, or its direction
 * (spherical); a cluster whose sum vanishes keeps its old centroid. */
static void move_centres(size_t k, size_t d, bool spherical,
                         const size_t *counts, const struct update_ws *ws,
                         tx_mat *cent)
{
    const double *total = ws->total;
    size_t j, c;

    for (j = 0; j < k; j++) {
        double ss = 0.0;

        for (c = 0; c < d; c++)
            ss += total[j * d + c] * total[j * d + c];
        if (ss <= 0.0 || counts[j] == 0)
            continue;
        for (c = 0; c < d; c++)
            cent->data[j * cent->ld + c] =
                (float)(total[j * d + c] /
                        (spherical ? sqrt(ss) : (double)counts[j]));
    }
}

/* Empty clusters take the rows that fit their centroid worst (every rank
 * has every row's label and score, and fetches the row from its rank). */
static int repair_empty(tx_ctx *ctx, const tx_mat *x, int32_t *labels,
                        float *scores, size_t k, tx_mat *cent,
                        size_t *counts)
{
    size_t j, r;
    int rc = TX_OK;

    for (j = 0; rc == TX_OK && j < k; j++) {
        size_t worst = SIZE_MAX;
        tx_mat row = {1, x->cols, cent->ld, cent->data + j * cent->ld};

        if (counts[j])
            continue;
        for (r = 0; r < x->rows; r++)
            if (counts[labels[r]] > 1 &&
                (worst == SIZE_MAX || scores[r] < scores[worst]))
                worst = r;
        if (worst == SIZE_MAX)
            break;
        counts[labels[worst]]--;
        labels[worst] = (int32_t)j;
        counts[j] = 1;
        scores[worst] = 1.0f;
        rc = tx__held_gather(ctx, rc, x, &worst, 1, &row);
    }
    return rc;
}

/* ---- progress ---- */

/* Progress of a fit in units of seeding steps and Lloyd iterations, so a
 * large k shows its pace instead of a silent wait; `stage` NULL reports
 * nothing (auto k reports its own progress). */
struct prog {
    tx_ctx *ctx;
    const char *stage;
    size_t done, total;
};

static int tick(struct prog *g, size_t units, bool show)
{
    g->done += units;
    if (g->done > g->total)
        g->done = g->total;
    return g->stage && show ? tx__progress(g->ctx, g->stage, g->done, g->total)
                            : 0;
}

/* ---- seeding ---- */

struct seed_job {
    const tx_mat *x;
    const float *gram; /* x's rows' dot products, or NULL */
    const size_t *pick; /* the candidates' rows */
    const float *cand; /* nt candidate rows, x->cols apart */
    size_t nt;
    const float *dist; /* each row's distance to its nearest centre */
    float *sim;        /* n x nt: each row's cosine to each candidate */
    double *part;      /* per block of rows, each candidate's total */
};

/* Each of `rows` rows (ld apart) against nt candidates (d apart): with a
 * handful of candidates a matrix product spends as long copying the rows
 * into its own layout as multiplying, where this reads each row once.
 * Four candidates at a time keep four sums going side by side; every
 * dot product is summed in the same order wherever it runs. */
TX_HOT static void dot_candidates(const float *x, size_t ld, size_t rows,
                                  const float *cand, size_t nt, size_t d,
                                  float *out)
{
    size_t r, t, i, u;
    int l;

    for (r = 0; r < rows; r++) {
        const float *row = x + r * ld;

        for (t = 0; t < nt; t += 4) {
            size_t m = nt - t < 4 ? nt - t : 4;
            lanes8 a[4] = {{0}, {0}, {0}, {0}}, p, q;
            float s[4] = {0};

            for (i = 0; i + 8 <= d; i += 8) {
                memcpy(&p, row + i, sizeof p);
                for (u = 0; u < 4; u++) {
                    memcpy(&q, cand + (t + (u < m ? u : 0)) * d + i,
                           sizeof q);
                    a[u] += p * q;
                }
            }
            for (u = 0; u < m; u++) {
                for (l = 0; l < 8; l++)
                    s[u] += a[u][l];
                for (i = d / 8 * 8; i < d; i++)
                    s[u] += row[i] * cand[(t + u) * d + i];
                out[r * nt + t + u] = s[u];
            }
        }
    }
}

/* One block of rows against the candidates. Blocks of fixed size, summed
 * in block order, give the same totals on any number of threads. */
static int seed_block(void *arg, size_t b)
{
    struct seed_job *j = arg;
    const tx_mat *x = j->x;
    size_t r0 = b * BLOCK, r1 = r0 + BLOCK, r, t, nt = j->nt;
    float *sim = j->sim + r0 * nt;

    if (r1 > x->rows)
        r1 = x->rows;
    if (j->gram) /* the candidates are rows: their products are known */
        for (t = 0; t < nt; t++)
            for (r = r0; r < r1; r++)
                sim[(r - r0) * nt + t] = j->gram[j->pick[t] * x->rows + r];
    else
        dot_candidates(x->data + r0 * x->ld, x->ld, r1 - r0, j->cand, nt,
                       x->cols, sim);
    for (t = 0; t < nt; t++) {
        double sum = 0.0;

        for (r = r0; r < r1; r++) {
            float d = 1.0f - sim[(r - r0) * nt + t];

            if (d < 1e-6f)
                d = 0.0f; /* the same direction as a centre */
            sum += d < j->dist[r] ? d : j->dist[r];
        }
        j->part[b * nt + t] = sum;
    }
    return TX_OK;
}

/* Greedy k-means++ on cosine distance (as in scikit-learn: several
 * candidates per step, keeping the one that lowers the total distance
 * most). Returns the number of centres found, fewer than k when the rows
 * have fewer distinct directions. */
static int seed_centres(tx_ctx *ctx, const tx_mat *x, const float *gram,
                        size_t k, uint64_t rng, tx_mat *cent, size_t *found,
                        struct prog *g)
{
    size_t n = x->rows, nb = (n + BLOCK - 1) / BLOCK, r, b, c, t,
           trials = 2, kk = k;
    float *dist = tx__malloc(ctx, n * sizeof *dist);
    struct seed_job j = {x, gram, NULL, NULL, 0, dist, NULL, NULL};
    float *cand;
    size_t pick[16];
    double total = 0.0;
    int rc = TX_OK;

    while (kk > 1 && trials < 16) { /* 2 + ln(k) */
        kk = (size_t)((double)kk / 2.718281828);
        trials++;
    }
    j.sim = tx__malloc(ctx, n * trials * sizeof *j.sim);
    j.part = tx__malloc(ctx, nb * trials * sizeof *j.part);
    j.cand = cand = tx__malloc(ctx, trials * x->cols * sizeof *cand);
    j.pick = pick;
    if (!dist || !j.sim || !j.part || !cand) {
        rc = TX_ENOMEM;
        k = 0;
    }
    if (rc == TX_OK) {
        pick[0] = (size_t)(tx__rng_uniform(&rng) * (double)n);
        for (r = 0; r < n; r++)
            dist[r] = 2.0f;
    }
    for (c = 0; c < k; c++) {
        size_t nt = c == 0 ? 1 : trials, best_t = 0;
        double best_total = -1.0;

        if ((rc = tick(g, 1, (c & 63) == 63)) != 0)
            break; /* the progress callback asked to stop */

        if (c > 0) /* candidates drawn in proportion to distance */
            for (t = 0; t < nt; t++) {
                double target = tx__rng_uniform(&rng) * total;

                for (r = 0; r < n; r++) {
                    target -= dist[r];
                    if (target < 0.0 && dist[r] > 0.0f)
                        break;
                }
                if (r == n)
                    for (r = n; r-- > 0 && dist[r] <= 0.0f;)
                        ;
                pick[t] = r;
            }
        for (t = 0; t < nt; t++)
            memcpy(cand + t * x->cols, x->data + pick[t] * x->ld,
                   x->cols * sizeof(float));
        j.nt = nt;
        if ((rc = tx__parallel(ctx, nb, seed_block, &j)) != TX_OK)
            break;
        for (t = 0; t < nt; t++) {
            double sum = 0.0;

            for (b = 0; b < nb; b++)
                sum += j.part[b * nt + t];
            if (best_total < 0.0 || sum < best_total) {
                best_total = sum;
                best_t = t;
            }
        }
        memcpy(cent->data + c * cent->ld, cand + best_t * x->cols,
               x->cols * sizeof(float));
        for (r = 0; r < n; r++) {
            float d = 1.0f - j.sim[r * nt + best_t];

            if (d < 1e-6f)
                d = 0.0f;
            if (d < dist[r])
                dist[r] = d;
        }
        total = best_total;
        *found = c + 1;
        if (total <= 0.0)
            break;
    }
    tx_free(ctx, dist);
    tx_free(ctx, j.sim);
    tx_free(ctx, j.part);
    tx_free(ctx, cand);
    return rc;
}

/* ---- one run ---- */

static void count_labels(const int32_t *labels, size_t n, size_t k,
                         size_t *counts)
{
    size_t r;

    memset(counts, 0, k * sizeof *counts);
    for (r = 0; r < n; r++)
        counts[labels[r]]++;
}

/* After a pass: the clusters' sums and the objective. An
 * empty cluster takes the rows that fit worst, by the scores of a full
 * pass (a bounded pass leaves some stale), and the moved rows' bounds
 * are then of their old centres, so the next pass is full. */
static int sums_of_pass(tx_ctx *ctx, const tx_mat *x, int32_t *labels,
                        float *scores, size_t k, bool spherical,
                        tx_mat *cent, size_t *counts, struct update_ws *ws,
                        struct bounds *bd, struct pass_ws *pw, double *obj)
{
    size_t c;
    int rc = TX_OK;

    count_labels(labels, x->rows, k, counts);
    for (c = 0; c < k && counts[c]; c++)
        ;
    if (c < k) {
        rc = assign_all(ctx, x, cent, k, spherical, labels, scores, NULL,
                        NULL, NULL, pw);
        bd->valid = false;
        count_labels(labels, x->rows, k, counts);
        if (rc == TX_OK)
            rc = repair_empty(ctx, x, labels, scores, k, cent, counts);
    }
    return rc == TX_OK ? sum_clusters(ctx, x, labels, k, spherical, cent,
                                      counts, ws, obj)
                       : rc;
}

/* The rows of an n-row run whose bounds this rank keeps: those of the
 * blocks it computes. */
static void bounds_place(const tx_ctx *ctx, size_t n, struct bounds *bd)
{
    size_t b0, b1;

    tx__held_reported(ctx, n, &b0, &b1);
    bd->base = b0 / BLOCK * BLOCK;
    b1 = (b1 + BLOCK - 1) / BLOCK * BLOCK;
    bd->rows = (b1 < n ? b1 : n) - bd->base;
    bd->valid = false;
}

/* Bounds for runs of up to n rows (a rank may run a restart on all of a
 * sample's rows alone). */
static int bounds_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                      struct bounds *bd)
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

static void bounds_free(tx_ctx *ctx, struct bounds *bd)
{
    tx_free(ctx, bd->upper);
    tx_free(ctx, bd->lower);
    tx_free(ctx, bd->old);
    tx_free(ctx, bd->drift);
    tx_free(ctx, bd->cc);
}

/* Everything Lloyd writes besides its results, allocated once per fit
 * for its largest run (the refining pass over all rows) and reused by
 * every restart: on some machines memory touched afresh costs more than
 * the iterations that use it. */
struct lloyd_ws {
    size_t *counts;
    struct update_ws up;
    struct bounds bd;
    struct pass_ws pw;
};

static void lloyd_ws_free(tx_ctx *ctx, struct lloyd_ws *w)
{
    tx_free(ctx, w->counts);
    update_ws_free(ctx, &w->up);
    bounds_free(ctx, &w->bd);
    pass_ws_free(ctx, &w->pw);
}

static int lloyd_ws_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                        struct lloyd_ws *w)
{
    int rc = update_ws_new(ctx, n, k, d, &w->up);

    w->counts = tx__malloc(ctx, k * sizeof *w->counts);
    if (bounds_new(ctx, n, k, d, &w->bd) != TX_OK)
        rc = TX_ENOMEM;
    if (pass_ws_new(ctx, n, k, d, true, &w->pw) != TX_OK)
        rc = TX_ENOMEM;
    if (!w->counts || rc != TX_OK) {
        lloyd_ws_free(ctx, w);
        return TX_ENOMEM;
    }
    return TX_OK;
}

/* Lloyd iterations from the centres in `cent` on x's n rows (at most the
 * workspace's), k at most its; also stops once no more than `settled`
 * rows change cluster in an iteration. */
static int lloyd(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                 size_t k, tx_mat *cent, int32_t *labels, float *scores,
                 double *objective, size_t settled, struct prog *g,
                 struct lloyd_ws *w)
{
    size_t r, changed = 0;
    double obj = -2.0, prev = -2.0;
    int it, rc = TX_OK;

    w->up.parts = tx__held_parts(x->rows);
    w->up.fresh = false;
    bounds_place(ctx, x->rows, &w->bd);
    w->pw.nb = (x->rows + BLOCK - 1) / BLOCK;
    for (r = 0; r < x->rows; r++)
        labels[r] = -1;
    /* The passes leave the skipped rows' scores as they were, so the
     * objective comes from the clusters' sums, and a last pass computes
     * every score. */
    for (it = 0; rc == TX_OK && it < p->max_iter; it++) {
        rc = assign_all(ctx, x, cent, k, p->spherical, labels, NULL, NULL,
                        &changed, &w->bd, &w->pw);
        if (rc == TX_OK)
            rc = sums_of_pass(ctx, x, labels, scores, k, p->spherical, cent,
                              w->counts, &w->up, &w->bd, &w->pw, &obj);
        if (rc != TX_OK || (it > 0 && (obj - prev < p->tol ||
                                       changed <= settled)))
            break;
        prev = obj;
        move_centres(k, x->cols, p->spherical, w->counts, &w->up, cent);
        rc = tick(g, 1, true);
    }
    if (rc == TX_OK)
        rc = assign_all(ctx, x, cent, k, p->spherical, labels, scores, &obj,
                        NULL, &w->bd, &w->pw);
    *objective = obj;
    return rc;
}

static int run_once(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                    const float *gram, size_t k, uint64_t seed, tx_mat *cent,
                    int32_t *labels, float *scores, double *objective,
                    size_t *k_found, struct prog *g, struct lloyd_ws *w)
{
    size_t end = g->done + k + (size_t)p->max_iter;
    int rc = seed_centres(ctx, x, gram, k, seed, cent, k_found, g);

    if (rc == TX_OK)
        rc = lloyd(ctx, p, x, *k_found, cent, labels, scores, objective, 0,
                   g, w);
    /* a run that converged early has done its share */
    return rc == TX_OK && g->done < end ? tick(g, end - g->done, true) : rc;
}

/* ---- result ---- */

void tx_kmeans_free(tx_kmeans *km)
{
    if (!km)
        return;
    tx_free(km->ctx, km->labels);
    tx_free(km->ctx, km->scores);
    tx_free(km->ctx, km->stability);
    tx_mat_free(km->cent);
    tx_free(km->ctx, km);
}

size_t tx_kmeans_k(const tx_kmeans *km) { return km ? km->k : 0; }
const int32_t *tx_kmeans_labels(const tx_kmeans *km) { return km ? km->labels : NULL; }
const float *tx_kmeans_scores(const tx_kmeans *km) { return km ? km->scores : NULL; }
const tx_mat *tx_kmeans_centroids(const tx_kmeans *km) { return km ? km->cent : NULL; }
double tx_kmeans_objective(const tx_kmeans *km) { return km ? km->objective : 0.0; }
const float *tx_kmeans_stability(const tx_kmeans *km) { return km ? km->stability : NULL; }

/* Renumbers clusters by size (largest first; ties by first row). */
static int relabel(tx_ctx *ctx, tx_kmeans *km)
{
    size_t k = km->k, j, r, a, b;
    size_t *count = tx__calloc(ctx, k, sizeof *count);
    size_t *first = tx__malloc(ctx, k * sizeof *first);
    size_t *order = tx__malloc(ctx, k * sizeof *order);
    int32_t *newid = tx__malloc(ctx, k * sizeof *newid);
    float *stab = tx__malloc(ctx, k * sizeof *stab);
    tx_mat *c2 = NULL;
    int rc = TX_ENOMEM;

    if (!count || !first || !order || !newid || !stab ||
        tx_mat_new(ctx, k, km->cent->cols, &c2) != TX_OK)
        goto done;
    for (j = 0; j < k; j++) {
        first[j] = SIZE_MAX;
        order[j] = j;
    }
    for (r = 0; r < km->n; r++) {
        count[km->labels[r]]++;
        if (first[km->labels[r]] == SIZE_MAX)
            first[km->labels[r]] = r;
    }
    for (a = 1; a < k; a++) /* insertion sort: k is small */
        for (b = a; b > 0; b--) {
            size_t x = order[b - 1], y = order[b];

            if (count[x] > count[y] ||
                (count[x] == count[y] && first[x] < first[y]))
                break;
            order[b - 1] = y;
            order[b] = x;
        }
    for (j = 0; j < k; j++) {
        newid[order[j]] = (int32_t)j;
        memcpy(c2->data + j * c2->ld, km->cent->data + order[j] * km->cent->ld,
               km->cent->cols * sizeof(float));
    }
    for (r = 0; r < km->n; r++)
        km->labels[r] = newid[km->labels[r]];
    for (j = 0; j < k; j++) /* stability follows its cluster */
        stab[j] = km->stability[order[j]];
    memcpy(km->stability, stab, k * sizeof *stab);
    tx_mat_free(km->cent);
    km->cent = c2;
    c2 = NULL;
    rc = TX_OK;
done:
    tx_mat_free(c2);
    tx_free(ctx, count);
    tx_free(ctx, first);
    tx_free(ctx, order);
    tx_free(ctx, newid);
    tx_free(ctx, stab);
    return rc;
}

/* Mean best Jaccard overlap of each final cluster with the clusters of the
 * other restarts. */
static int stability(tx_ctx *ctx, tx_kmeans *km, const int32_t *runs,
                     size_t n, const size_t *run_k, int n_runs, int best)
{
    const int32_t *ref = runs + (size_t)best * n;
    size_t k = km->k, j, r, kmax = 0;
    size_t *size = tx__calloc(ctx, k, sizeof *size);
    size_t *osize = NULL, *tab = NULL;
    int q, others = 0;

    for (q = 0; q < n_runs; q++)
        if (run_k[q] > kmax)
            kmax = run_k[q];
    osize = tx__calloc(ctx, kmax + 1, sizeof *osize);
    tab = tx__calloc(ctx, k * (kmax + 1), sizeof *tab);
    km->stability = tx__malloc(ctx, k * sizeof *km->stability);
    if (!size || !osize || !tab || !km->stability) {
        tx_free(ctx, size);
        tx_free(ctx, osize);
        tx_free(ctx, tab);
        return TX_ENOMEM;
    }
    for (r = 0; r < n; r++)
        size[ref[r]]++;
    for (j = 0; j < k; j++)
        km->stability[j] = 0.0f;
    for (q = 0; q < n_runs; q++) {
        const int32_t *o = runs + (size_t)q * n;

        if (q == best)
            continue;
        others++;
        memset(osize, 0, (kmax + 1) * sizeof *osize);
        memset(tab, 0, k * (kmax + 1) * sizeof *tab);
        for (r = 0; r < n; r++) {
            osize[o[r]]++;
            tab[(size_t)ref[r] * (kmax + 1) + (size_t)o[r]]++;
        }
        for (j = 0; j < k; j++) {
            double bestj = 0.0;
            size_t c;

            for (c = 0; c < run_k[q]; c++) {
                size_t both = tab[j * (kmax + 1) + c];
                double jac = both ? (double)both /
                                        (double)(size[j] + osize[c] - both)
                                  : 0.0;

                if (jac > bestj)
                    bestj = jac;
            }
            km->stability[j] += (float)bestj;
        }
    }
    for (j = 0; j < k; j++)
        km->stability[j] = others ? km->stability[j] / (float)others : 1.0f;
    tx_free(ctx, size);
    tx_free(ctx, osize);
    tx_free(ctx, tab);
    return TX_OK;
}

/* Restarts run on at most this many rows (an even sample); the best is
 * then refined on all rows. Seeding and restarts cost O(n k d) each, and a
 * sample this size already places the centres: 65,536 rows cost 1.4 s
 * more on 200k rows at k = 50 for the same NMI within the seeds' spread
 * (decision 0004). */
#define RESTART_ROWS 32768
#define REFINE_ITER 20 /* and until fewer than 0.1% of rows move */

/* Several ranks: restart q ran on rank q % ranks; every rank gets every
 * restart's objective, size, centres, labels and scores. */
static int share_restarts(tx_ctx *ctx, int rc, int n_init, size_t ns,
                          size_t k, size_t d, int32_t *runs, float *scores,
                          float *cents, double *obj, size_t *kf)
{
    int R = ctx->comm.ranks, r, q;
    tx__wire w = {ctx, NULL, 0, 0, TX_OK};
    tx__unwire u;
    char *all = NULL;
    size_t len;

    for (q = ctx->comm.rank; rc == TX_OK && q < n_init; q += R) {
        tx__wire_put(&w, &obj[q], sizeof obj[q]);
        tx__wire_u64(&w, kf[q]);
        tx__wire_put(&w, runs + (size_t)q * ns, ns * sizeof *runs);
        tx__wire_put(&w, scores + (size_t)q * ns, ns * sizeof *scores);
        tx__wire_put(&w, cents + (size_t)q * k * d, k * d * sizeof *cents);
    }
    rc = tx__comm_exchange(ctx, rc, &w, &all, &len, NULL);
    tx_free(ctx, w.b);
    /* rank r's bytes hold its restarts r, r + R, ... in order */
    u = (tx__unwire){all, all + len, rc};
    for (r = 0; r < R; r++)
        for (q = r; u.rc == TX_OK && q < n_init; q += R) {
            tx__unwire_get(&u, &obj[q], sizeof obj[q]);
            kf[q] = (size_t)tx__unwire_u64(&u);
            tx__unwire_get(&u, runs + (size_t)q * ns, ns * sizeof *runs);
            tx__unwire_get(&u, scores + (size_t)q * ns, ns * sizeof *scores);
            tx__unwire_get(&u, cents + (size_t)q * k * d,
                           k * d * sizeof *cents);
        }
    tx_free(ctx, all);
    return u.rc;
}

int tx__kmeans_fit(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                   const float *gram, bool held, const char *stage,
                   tx_kmeans **out)
{
    struct prog g = {ctx, stage, 0, 0};
    tx_kmeans_params def;
    tx_kmeans *km;
    tx_mat *cent = NULL, *xs = NULL;
    const tx_mat *xr;
    int32_t *runs = NULL;
    float *scores = NULL, *cents = NULL;
    size_t run_k[64], n, ns, k, i;
    double run_obj[64], best_obj = -3.0;
    struct lloyd_ws lw;
    bool have_lw = false;
    int q, best = 0, n_init, rc = TX_OK;

    if (!ctx || !x || !out)
        return TX_EINVAL;
    *out = NULL;
    tx_kmeans_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    n = x->rows;
    k = p->k;
    n_init = p->n_init < 1 ? 1 : p->n_init > 64 ? 64 : p->n_init;
    if (n == 0 || k == 0 || x->cols == 0 || p->max_iter < 1 ||
        x->rows > INT32_MAX)
        return TX_EINVAL;
    if (k > n)
        k = n;
    ns = n > RESTART_ROWS ? RESTART_ROWS : n;
    g.total = (size_t)n_init * (k + (size_t)p->max_iter) +
              (ns < n ? REFINE_ITER : 0);
    km = tx__calloc(ctx, 1, sizeof *km);
    if (!km)
        return TX_ENOMEM;
    km->ctx = ctx;
    km->n = n;
    xr = x;
    /* the restarts' sample; of rows the ranks hold apart, a copy even of
     * all rows, gathered */
    held = held && tx__comm_many(ctx);
    if (ns < n || held) {
        size_t *idx = tx__malloc(ctx, ns * sizeof *idx);

        rc = idx && tx_mat_new(ctx, ns, x->cols, &xs) == TX_OK ? TX_OK
                                                              : TX_ENOMEM;
        for (i = 0; rc == TX_OK && i < ns; i++)
            idx[i] = i * n / ns;
        if (held)
            rc = tx__held_gather(ctx, rc, x, idx, ns, xs);
        for (i = 0; !held && rc == TX_OK && i < ns; i++)
            memcpy(xs->data + i * xs->ld, x->data + idx[i] * x->ld,
                   x->cols * sizeof(float));
        tx_free(ctx, idx);
        xr = xs;
    }
    runs = tx__malloc(ctx, (size_t)n_init * ns * sizeof *runs);
    scores = tx__malloc(ctx, (size_t)n_init * ns * sizeof *scores);
    cents = tx__calloc(ctx, (size_t)n_init * k * x->cols, sizeof *cents);
    if (lloyd_ws_new(ctx, n, k, x->cols, &lw) == TX_OK)
        have_lw = true;
    km->scores = tx__malloc(ctx, n * sizeof *km->scores);
    km->labels = tx__malloc(ctx, n * sizeof *km->labels);
    if (!runs || !scores || !cents || !km->scores || !km->labels ||
        tx_mat_new(ctx, k, x->cols, &cent) != TX_OK ||
        tx_mat_new(ctx, k, x->cols, &km->cent) != TX_OK || !have_lw)
        rc = TX_ENOMEM;
    /* The restarts are independent: with several ranks each runs its
     * share and they exchange the results, which are then read in restart
     * order as one process reads its own. */
    for (q = 0; rc == TX_OK && q < n_init; q++) {
        uint64_t seed = tx_ctx_seed(ctx) * 0x9E3779B97F4A7C15ULL +
                        (uint64_t)q * 0xD1B54A32D192ED03ULL + 1;

        if (tx__comm_many(ctx) && q % ctx->comm.ranks != ctx->comm.rank)
            continue;
        tx__comm_solo(ctx, true);
        rc = run_once(ctx, p, xr, xr == x ? gram : NULL, k, seed, cent,
                      runs + (size_t)q * ns, scores + (size_t)q * ns,
                      &run_obj[q], &run_k[q], &g, &lw);
        tx__comm_solo(ctx, false);
        for (i = 0; rc == TX_OK && i < run_k[q]; i++)
            memcpy(cents + ((size_t)q * k + i) * x->cols,
                   cent->data + i * cent->ld, x->cols * sizeof *cents);
    }
    if (tx__comm_many(ctx))
        rc = share_restarts(ctx, rc, n_init, ns, k, x->cols, runs, scores,
                            cents, run_obj, run_k);
    for (q = 0; rc == TX_OK && q < n_init; q++)
        if (run_obj[q] > best_obj) {
            best_obj = run_obj[q];
            best = q;
            km->k = run_k[q];
            for (i = 0; i < run_k[q]; i++)
                memcpy(km->cent->data + i * km->cent->ld,
                       cents + ((size_t)q * k + i) * x->cols,
                       x->cols * sizeof *cents);
            memcpy(km->labels, runs + (size_t)q * ns, ns * sizeof *km->labels);
            memcpy(km->scores, scores + (size_t)q * ns,
                   ns * sizeof *km->scores);
        }
    if (rc == TX_OK) {
        km->cent->rows = km->k;
        km->objective = best_obj;
        rc = stability(ctx, km, runs, ns, run_k, n_init, best);
    }
    if (rc == TX_OK && ns < n) { /* refine the best restart on all rows */
        tx_kmeans_params refine = *p;

        if (refine.max_iter > REFINE_ITER)
            refine.max_iter = REFINE_ITER;
        rc = lloyd(ctx, &refine, x, km->k, km->cent, km->labels, km->scores,
                   &km->objective, p->tol < 0 ? 0 : n / 1000, &g, &lw);
    }
    if (rc == TX_OK)
        rc = relabel(ctx, km);
    tx_free(ctx, runs);
    tx_free(ctx, scores);
    tx_free(ctx, cents);
    if (have_lw)
        lloyd_ws_free(ctx, &lw);
    tx_mat_free(cent);
    tx_mat_free(xs);
    if (rc != TX_OK) {
        tx_kmeans_free(km);
        return rc;
    }
    *out = km;
    return TX_OK;
}

const char *tx_kmeans_params_check(const tx_kmeans_params *p)
{
    if (!p)
        return NULL;
    if (p->n_init < 1 || p->n_init > 64)
        return "k-means: n_init must be 1 to 64";
    if (p->max_iter < 1)
        return "k-means: max_iter must be at least 1";
    if (p->tol != p->tol)
        return "k-means: tol is not a number";
    return NULL;
}

int tx_kmeans_fit(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                  tx_kmeans **out)
{
    return tx__kmeans_fit(ctx, p, x, NULL, false, "clustering", out);
}
