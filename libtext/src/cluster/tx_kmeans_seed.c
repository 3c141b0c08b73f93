/*
 * k-means++ seeding (greedy, on cosine distance, as scikit-learn's): each
 * step draws a few candidates in proportion to distance and keeps the one
 * that lowers the total most. Totals are summed per fixed block of rows in
 * block order, so the result is the same for any thread count.
 */
#include "tx_kmeans_shared.h"
#include "tx_cluster_private.h"

#include <string.h>

#define BLOCK TX__HELD_BLOCK

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
            tx__lanes8 a[4] = {{0}, {0}, {0}, {0}}, p, q;
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
int tx__km_seed(tx_ctx *ctx, const tx_mat *x, const float *gram, size_t k,
                uint64_t rng, tx_mat *cent, size_t *found,
                struct tx__km_prog *g)
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

        if ((rc = tx__km_tick(g, 1, (c & 63) == 63)) != 0)
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
