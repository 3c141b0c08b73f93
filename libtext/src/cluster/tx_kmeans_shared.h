/* What the k-means modules share: the assignment with its bounds
 * (tx_kmeans_assign.c), the seeding (tx_kmeans_seed.c) and the fit, its
 * sums and its runs (tx_kmeans.c). Never installed. */
#ifndef TX_KMEANS_SHARED_H
#define TX_KMEANS_SHARED_H

#include "tx_internal.h"

/* Eight float lanes, summed lane by lane: vectorised, and the same sums
 * in the AVX2 and the plain build (no fused multiply-add). */
typedef float tx__lanes8 __attribute__((vector_size(32)));

/* Progress of a fit in units of seeding steps and Lloyd iterations, so a
 * large k shows its pace instead of a silent wait; `stage` NULL reports
 * nothing (auto k reports its own progress). */
struct tx__km_prog {
    tx_ctx *ctx;
    const char *stage;
    size_t done, total;
};

/* `units` more done; reported when `show` (0, or the callback's answer to
 * stop). */
static inline int tx__km_tick(struct tx__km_prog *g, size_t units, bool show)
{
    g->done += units;
    if (g->done > g->total)
        g->done = g->total;
    return g->stage && show ? tx__progress(g->ctx, g->stage, g->done, g->total)
                            : 0;
}

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
struct tx__km_bounds {
    size_t base;
    float *upper, *lower;
    float *old;   /* k x d: the centres at the last assignment */
    float *drift; /* k: how far each centre has moved since */
    float *cc;    /* k: |c|^2 */
    bool valid;   /* false: every row is compared with every centre */
};

/* Bounds for runs of up to n rows (a rank may run a restart on all of a
 * sample's rows alone), placed on a run's rows by tx__km_bounds_place. */
int tx__km_bounds_new(tx_ctx *ctx, size_t n, size_t k, size_t d,
                      struct tx__km_bounds *bd);
void tx__km_bounds_place(const tx_ctx *ctx, size_t n,
                         struct tx__km_bounds *bd);
void tx__km_bounds_free(tx_ctx *ctx, struct tx__km_bounds *bd);

/* What a pass over the rows writes besides labels and scores: kept by
 * Lloyd for all its passes, since memory first touched at every pass
 * costs more than the pass on some machines. */
struct tx__km_pass {
    size_t workers;
    double *block_sum;
    size_t *block_changed;
    float *half_norm; /* 2k */
    float *scratch;   /* workers x BLOCK x k similarities */
    float *gathered;  /* workers x BLOCK x d rows, with bounds */
    size_t *todo;     /* workers x BLOCK row numbers, with bounds */
};

int tx__km_pass_new(tx_ctx *ctx, size_t n, size_t k, size_t d, bool bounded,
                    struct tx__km_pass *ws);
void tx__km_pass_free(tx_ctx *ctx, struct tx__km_pass *ws);

/* Labels and scores for every row (scores NULL: labels alone); the mean
 * score in *mean, the rows whose label changed in *changed (each may be
 * NULL). With several ranks each assigns the blocks it reports of the
 * rows it holds and they exchange the results. With bounds (Lloyd), rows
 * that cannot have moved skip the product; without scores they are not
 * even read, and the mean counts only the rows compared. `ws` NULL: the
 * pass allocates its own. */
int tx__km_assign_all(tx_ctx *ctx, const tx_mat *x, const tx_mat *c,
                      size_t k, bool spherical, int32_t *labels,
                      float *scores, double *mean, size_t *changed,
                      struct tx__km_bounds *bd, struct tx__km_pass *ws);

/* Greedy k-means++ on cosine distance: k centres into `cent` from x's
 * rows, *found of them (fewer when the rows have fewer directions);
 * `gram`: x's rows' dot products, or NULL. */
int tx__km_seed(tx_ctx *ctx, const tx_mat *x, const float *gram, size_t k,
                uint64_t rng, tx_mat *cent, size_t *found,
                struct tx__km_prog *g);

#endif
