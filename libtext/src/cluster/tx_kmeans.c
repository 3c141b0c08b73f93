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
};

/* Rows [r0, r1) of x against the k centres c (at most BLOCK rows: one
 * SGEMM into sims): labels, scores, and the objective's sum; counts the
 * rows whose label changed when `changed` is not NULL. hn: each centre's
 * |c|^2 / 2 (0 when spherical), then 1 / |c|. */
static double assign_rows(const tx_mat *x, size_t r0, size_t r1,
                          const tx_mat *c, size_t k, const float *hn,
                          int32_t *labels, float *scores, float *sims,
                          size_t *changed)
{
    size_t r, q;
    double sum = 0.0;

    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(r1 - r0),
                (int)k, (int)x->cols, 1.0f, x->data + r0 * x->ld,
                (int)x->ld, c->data, (int)c->ld, 0.0f, sims, (int)k);
    for (r = r0; r < r1; r++) {
        float *s = sims + (r - r0) * k;
        size_t best = 0;

        for (q = 0; q < k; q++)
            s[q] -= hn[q];
        for (q = 1; q < k; q++)
            if (s[q] > s[best])
                best = q;
        if (changed && labels[r] != (int32_t)best)
            (*changed)++;
        labels[r] = (int32_t)best;
        /* The objective is x.c - |c|^2 / 2 (Euclidean k-means up to a
         * constant); the score people see is the cosine to the centroid. */
        sum += s[best];
        if (scores)
            scores[r] = (s[best] + hn[best]) * hn[k + best];
    }
    return sum;
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

    centre_norms(c, k, spherical, work);
    assign_rows(x, 0, x->rows, c, k, work, labels, scores, work + 2 * k,
                NULL);
}

static int assign_block(void *arg, size_t b)
{
    struct assign_job *j = arg;
    size_t r0 = b * BLOCK, r1 = r0 + BLOCK, changed = 0;
    double sum;

    if (r1 > j->x->rows)
        r1 = j->x->rows;
    sum = assign_rows(j->x, r0, r1, j->c, j->k, j->half_norm, j->labels,
                      j->scores,
                      j->scratch + (b % j->workers) * BLOCK * j->k,
                      &changed);
    if (j->block_sum)
        j->block_sum[b] = sum;
    if (j->block_changed)
        j->block_changed[b] = changed;
    return TX_OK;
}

/* Labels and scores for every row; returns the mean score in *mean. With
 * several ranks each assigns the blocks it reports of the rows it holds
 * and they exchange the results, so every rank ends with all of them. */
static int assign_all(tx_ctx *ctx, const tx_mat *x, const tx_mat *c, size_t k,
                      bool spherical, int32_t *labels, float *scores,
                      double *mean, size_t *changed)
{
    size_t nb = (x->rows + BLOCK - 1) / BLOCK, b;
    double *bs = tx__calloc(ctx, nb + 1, sizeof *bs), sum = 0.0;
    float *hn = tx__calloc(ctx, 2 * k + 1, sizeof *hn);
    size_t *ch = tx__calloc(ctx, nb + 1, sizeof *ch);
    size_t workers = (size_t)tx_ctx_threads(ctx);
    float *scratch = tx__malloc(ctx, workers * BLOCK * k * sizeof *scratch);
    struct assign_job j = {x, c, k, labels, scores, bs, hn, ch, scratch,
                           workers};
    size_t b0, b1;
    int rc = bs && hn && ch && scratch ? TX_OK : TX_ENOMEM;

    if (rc == TX_OK)
        centre_norms(c, k, spherical, hn);
    tx__held_reported(ctx, x->rows, &b0, &b1);
    if (rc == TX_OK)
        rc = tx__parallel_range(ctx, b0 / BLOCK, (b1 + BLOCK - 1) / BLOCK,
                                assign_block, &j);
    if (tx__comm_many(ctx)) { /* every rank gets every block's results */
        void *rows[2] = {labels, scores}, *blocks[2] = {bs, ch};
        size_t row_size[2] = {sizeof *labels, sizeof *scores},
               block_size[2] = {sizeof *bs, sizeof *ch};

        rc = tx__held_share(ctx, rc, x->rows, 0, rows, row_size, 2);
        rc = tx__held_share(ctx, rc, x->rows, 1, blocks, block_size, 2);
    }
    for (b = 0; b < nb; b++)
        sum += bs ? bs[b] : 0.0;
    if (mean)
        *mean = x->rows ? sum / (double)x->rows : 0.0;
    if (changed)
        for (*changed = 0, b = 0; ch && b < nb; b++)
            *changed += ch[b];
    tx_free(ctx, bs);
    tx_free(ctx, hn);
    tx_free(ctx, ch);
    tx_free(ctx, scratch);
    return rc;
}

int tx_kmeans_assign(tx_ctx *ctx, const tx_mat *centroids, int spherical,
                     const tx_mat *x, int32_t *labels, float *scores)
{
    if (!ctx || !centroids || !x || !labels || centroids->rows == 0 ||
        centroids->cols != x->cols)
        return TX_EINVAL;
    return assign_all(ctx, x, centroids, centroids->rows, spherical != 0,
                      labels, scores, NULL, NULL);
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
    return ws->sums && ws->used && ws->total ? TX_OK : TX_ENOMEM;
}

static void update_ws_free(tx_ctx *ctx, struct update_ws *ws)
{
    tx_free(ctx, ws->sums);
    tx_free(ctx, ws->used);
    tx_free(ctx, ws->total);
}

/* A part's sums touch only the clusters it has rows of: with many
 * clusters and few rows (choosing k) the parts' other sums would be
 * zeroed and added for nothing, and adding zero changes no total. */
TX_HOT static int sum_part(void *arg, size_t part)
{
    struct update_job *j = arg;
    size_t d = j->x->cols, r, c, parts = j->ws->parts;
    size_t r0 = j->x->rows * part / parts;
    size_t r1 = j->x->rows * (part + 1) / parts;
    double *s = j->ws->sums + part * j->k * d;
    uint8_t *used = j->ws->used + part * j->k;

    memset(used, 0, j->k);
    for (r = r0; r < r1; r++) {
        const float *row = j->x->data + r * j->x->ld;
        double *t = s + (size_t)j->labels[r] * d;

        if (!used[j->labels[r]]) {
            used[j->labels[r]] = 1;
            memset(t, 0, d * sizeof *t);
        }
        for (c = 0; c < d; c++)
            t[c] += row[c];
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

/* New centroids: the members' mean, or its direction (spherical); a
 * cluster whose sum vanishes keeps its old centroid. */
static int update(tx_ctx *ctx, const tx_mat *x, const int32_t *labels,
                  size_t k, bool spherical, tx_mat *cent,
                  const size_t *counts, struct update_ws *ws)
{
    size_t d = x->cols, p, j, c, p0, p1;
    struct update_job job = {x, labels, k, ws};
    double *total = ws->total;
    int rc;

    memset(total, 0, k * d * sizeof *total);
    tx__held_part_range(ctx, x->rows, ctx->comm.rank, &p0, &p1);
    rc = tx__parallel_range(ctx, p0, p1, sum_part, &job);
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
    return rc;
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
    const float *cand; /* nt candidate rows, x->cols apart */
    size_t nt;
    const float *dist; /* each row's distance to its nearest centre */
    float *sim;        /* n x nt: each row's cosine to each candidate */
    double *part;      /* per block of rows, each candidate's total */
};

/* One block of rows against the candidates. Blocks of fixed size, summed
 * in block order, give the same totals on any number of threads; and one
 * product per block keeps OpenBLAS's copy of the rows in cache, where one
 * product over all rows copied the whole sample at every step. */
static int seed_block(void *arg, size_t b)
{
    struct seed_job *j = arg;
    const tx_mat *x = j->x;
    size_t r0 = b * BLOCK, r1 = r0 + BLOCK, r, t, nt = j->nt;
    float *sim = j->sim + r0 * nt;

    if (r1 > x->rows)
        r1 = x->rows;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(r1 - r0),
                (int)nt, (int)x->cols, 1.0f, x->data + r0 * x->ld,
                (int)x->ld, j->cand, (int)x->cols, 0.0f, sim, (int)nt);
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
static int seed_centres(tx_ctx *ctx, const tx_mat *x, size_t k, uint64_t rng,
                        tx_mat *cent, size_t *found, struct prog *g)
{
    size_t n = x->rows, nb = (n + BLOCK - 1) / BLOCK, r, b, c, t,
           trials = 2, kk = k;
    float *dist = tx__malloc(ctx, n * sizeof *dist);
    struct seed_job j = {x, NULL, 0, dist, NULL, NULL};
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

/* Lloyd iterations from the centres in `cent`; also stops once no more
 * than `settled` rows change cluster in an iteration. */
static int lloyd(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                 size_t k, tx_mat *cent, int32_t *labels, float *scores,
                 double *objective, size_t settled, struct prog *g)
{
    size_t *counts = tx__malloc(ctx, k * sizeof *counts), r, changed = 0;
    double obj = -2.0, prev = -2.0;
    struct update_ws ws;
    int it, rc = update_ws_new(ctx, x->rows, k, x->cols, &ws);
    bool fresh = false; /* labels and scores are of the current centres */

    if (!counts || rc != TX_OK) {
        tx_free(ctx, counts);
        update_ws_free(ctx, &ws);
        return TX_ENOMEM;
    }
    for (r = 0; r < x->rows; r++)
        labels[r] = -1;
    for (it = 0; rc == TX_OK && it < p->max_iter; it++) {
        rc = assign_all(ctx, x, cent, k, p->spherical, labels, scores, &obj,
                        &changed);
        fresh = true;
        if (rc != TX_OK || (it > 0 && (obj - prev < p->tol ||
                                       changed <= settled)))
            break;
        prev = obj;
        memset(counts, 0, k * sizeof *counts);
        for (r = 0; r < x->rows; r++)
            counts[labels[r]]++;
        rc = repair_empty(ctx, x, labels, scores, k, cent, counts);
        if (rc == TX_OK)
            rc = update(ctx, x, labels, k, p->spherical, cent, counts, &ws);
        fresh = false;
        if (rc == TX_OK)
            rc = tick(g, 1, true);
    }
    /* a last pass only when the centres moved since the last one (a pass
     * over 1M rows costs as much as an iteration) */
    if (rc == TX_OK && !fresh)
        rc = assign_all(ctx, x, cent, k, p->spherical, labels, scores, &obj,
                        NULL);
    *objective = obj;
    tx_free(ctx, counts);
    update_ws_free(ctx, &ws);
    return rc;
}

static int run_once(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                    size_t k, uint64_t seed, tx_mat *cent, int32_t *labels,
                    float *scores, double *objective, size_t *k_found,
                    struct prog *g)
{
    size_t end = g->done + k + (size_t)p->max_iter;
    int rc = seed_centres(ctx, x, k, seed, cent, k_found, g);

    if (rc == TX_OK)
        rc = lloyd(ctx, p, x, *k_found, cent, labels, scores, objective, 0,
                   g);
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
                   bool held, const char *stage, tx_kmeans **out)
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
    km->scores = tx__malloc(ctx, n * sizeof *km->scores);
    km->labels = tx__malloc(ctx, n * sizeof *km->labels);
    if (!runs || !scores || !cents || !km->scores || !km->labels ||
        tx_mat_new(ctx, k, x->cols, &cent) != TX_OK ||
        tx_mat_new(ctx, k, x->cols, &km->cent) != TX_OK)
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
        rc = run_once(ctx, p, xr, k, seed, cent, runs + (size_t)q * ns,
                      scores + (size_t)q * ns, &run_obj[q], &run_k[q], &g);
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
                   &km->objective, p->tol < 0 ? 0 : n / 1000, &g);
    }
    if (rc == TX_OK)
        rc = relabel(ctx, km);
    tx_free(ctx, runs);
    tx_free(ctx, scores);
    tx_free(ctx, cents);
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
    return tx__kmeans_fit(ctx, p, x, false, "clustering", out);
}
