/* The clustering stage's calls for the themes stage. Never installed. */
#ifndef TX_CLUSTER_PRIVATE_H
#define TX_CLUSTER_PRIVATE_H

#include "tx_internal.h"

/* tx_dmm_fit with an explicit seed (restarts for stability). */
int tx__dmm_run(tx_ctx *ctx, const tx_dmm_params *p, const tx_csr *c,
                uint64_t seed, int32_t *labels, size_t *k_found);

/* tx_kmeans_fit reporting its progress under `stage` (NULL: silent);
 * `gram`: x's rows' dot products (rows x rows) when the caller has them,
 * or NULL: the seeding reads its candidates' similarities there instead
 * of multiplying; `held`: the ranks hold x's rows apart (tx__held_rows),
 * so the restarts' sample is gathered; otherwise every rank has all of
 * x. */
int tx__kmeans_fit(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                   const float *gram, bool held, const char *stage,
                   tx_kmeans **out);

/* Labels and scores of the rows of x (at most TX__HELD_BLOCK) against the
 * centres c, on the calling thread, by the rule of tx_kmeans_assign: for
 * steps that run many small assignments on their own threads. `work`
 * holds (x->rows + 2) * c->rows floats. */
void tx__kmeans_assign_small(const tx_mat *x, const tx_mat *c, bool spherical,
                             int32_t *labels, float *scores, float *work);

#endif
