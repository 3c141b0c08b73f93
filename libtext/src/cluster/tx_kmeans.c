/*
 * k-means of unit rows: Euclidean (mean centroids; argmax x.c - |c|^2/2)
 * or spherical (unit centroids; argmax x.c). Restarts from k-means++
 * seeds (tx_kmeans_seed.c), Lloyd's iterations over the assignment
 * (tx_kmeans_assign.c); centroid sums are taken per fixed part in double
 * and added in part order, so the result is the same for any thread
 * count.
 */
#include "tx_kmeans_shared.h"
#include "tx_cluster_private.h"

#include <math.h>
#include <string.h>

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
                        struct tx__km_bounds *bd, struct tx__km_pass *pw,
                        double *obj)
{
    size_t c;
    int rc = TX_OK;

    count_labels(labels, x->rows, k, counts);
    for (c = 0; c < k && counts[c]; c++)
        ;
    if (c < k) {
        rc = tx__km_assign_all(ctx, x, cent, k, spherical, labels, scores,
                               NULL, NULL, NULL, pw);
        bd->valid = false;
        count_labels(labels, x->rows, k, counts);
        if (rc == TX_OK)
            rc = repair_empty(ctx, x, labels, scores, k, cent, counts);
    }
    return rc == TX_OK ? sum_clusters(ctx, x, labels, k, spherical, cent,
                                      counts, ws, obj)
                       : rc;
}

/* Everything Lloyd writes besides its results, allocated once per fit
 * for its largest run (the refining pass over all rows) and reused by
 * every restart: on some machines memory touched afresh costs more than
 * the iterations that use it. */
struct lloyd_ws {
    size_t *counts;
    struct update_ws up;
    struct tx__km_bounds bd;
    struct tx__km_pass pw;
};

static void lloyd_ws_free(tx_ctx *ctx, struct lloyd_ws *w)
{
    tx_free(ctx, w->counts);
    update_ws_free(ctx, &w->up);
    tx__km_bounds_free(ctx, &w->bd);
    tx__km_pass_free(ctx, &w->pw);
}

static int lloyd_ws_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                        struct lloyd_ws *w)
{
    int rc = update_ws_new(ctx, n, k, d, &w->up);

    w->counts = tx__malloc(ctx, k * sizeof *w->counts);
    if (tx__km_bounds_new(ctx, n, k, d, &w->bd) != TX_OK)
        rc = TX_ENOMEM;
    if (tx__km_pass_new(ctx, n, k, d, true, &w->pw) != TX_OK)
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
                 double *objective, size_t settled, struct tx__km_prog *g,
                 struct lloyd_ws *w)
{
    size_t r, changed = 0;
    double obj = -2.0, prev = -2.0;
    int it, rc = TX_OK;

    w->up.parts = tx__held_parts(x->rows);
    w->up.fresh = false;
    tx__km_bounds_place(ctx, x->rows, &w->bd);
    for (r = 0; r < x->rows; r++)
        labels[r] = -1;
    /* The passes leave the skipped rows' scores as they were, so the
     * objective comes from the clusters' sums, and a last pass computes
     * every score. */
    for (it = 0; rc == TX_OK && it < p->max_iter; it++) {
        rc = tx__km_assign_all(ctx, x, cent, k, p->spherical, labels, NULL,
                               NULL, &changed, &w->bd, &w->pw);
        if (rc == TX_OK)
            rc = sums_of_pass(ctx, x, labels, scores, k, p->spherical, cent,
                              w->counts, &w->up, &w->bd, &w->pw, &obj);
        if (rc != TX_OK || (it > 0 && (obj - prev < p->tol ||
                                       changed <= settled)))
            break;
        prev = obj;
        move_centres(k, x->cols, p->spherical, w->counts, &w->up, cent);
        rc = tx__km_tick(g, 1, true);
    }
    if (rc == TX_OK)
        rc = tx__km_assign_all(ctx, x, cent, k, p->spherical, labels,
                               scores, &obj, NULL, &w->bd, &w->pw);
    *objective = obj;
    return rc;
}

static int run_once(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                    const float *gram, size_t k, uint64_t seed, tx_mat *cent,
                    int32_t *labels, float *scores, double *objective,
                    size_t *k_found, struct tx__km_prog *g, struct lloyd_ws *w)
{
    size_t end = g->done + k + (size_t)p->max_iter;
    int rc = tx__km_seed(ctx, x, gram, k, seed, cent, k_found, g);

    if (rc == TX_OK)
        rc = lloyd(ctx, p, x, *k_found, cent, labels, scores, objective, 0,
                   g, w);
    /* a run that converged early has done its share */
    return rc == TX_OK && g->done < end
               ? tx__km_tick(g, end - g->done, true)
               : rc;
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
    struct tx__km_prog g = {ctx, stage, 0, 0};
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
