/*
 * Matrices whose rows the ranks hold apart: the fit's document vectors,
 * the largest array of a run. Sums over the rows go by TX__HELD_PARTS
 * fixed parts, and similarities are computed in fixed blocks of
 * TX__HELD_BLOCK rows. A rank holds a run of parts, up to the end of the
 * last block that starts in them, so it can sum its parts and compute
 * those blocks exactly as one process does; the blocks' results are then
 * shared.
 * Rows a rank does not hold are never written there, so their pages are
 * never backed by memory.
 */
#include "tx_internal.h"

#include <string.h>

size_t tx__held_parts(size_t n)
{
    return n < TX__HELD_PARTS ? 1 : TX__HELD_PARTS;
}

/* The first row of part p of an n-row matrix (p may be the count). */
static size_t part_start(size_t n, size_t p)
{
    return n * p / tx__held_parts(n); /* as k-means cuts its sums */
}

static size_t block_up(size_t row, size_t n)
{
    size_t b = (row + TX__HELD_BLOCK - 1) / TX__HELD_BLOCK * TX__HELD_BLOCK;

    return b < n ? b : n;
}

void tx__held_part_range(const tx_ctx *ctx, size_t n, int r, size_t *p0,
                         size_t *p1)
{
    if (!tx__comm_many(ctx)) {
        *p0 = 0;
        *p1 = tx__held_parts(n);
        return;
    }
    tx__comm_share(tx__held_parts(n), r, ctx->comm.ranks, p0, p1);
}

/* The rows [*from, *to) whose blocks rank r computes and reports: the
 * blocks that start in its parts. They follow each other in rank order
 * and together cover the matrix. */
static void reported(const tx_ctx *ctx, size_t n, int r, size_t *from,
                     size_t *to)
{
    size_t p0, p1;

    tx__held_part_range(ctx, n, r, &p0, &p1);
    *from = block_up(part_start(n, p0), n);
    *to = p1 == tx__held_parts(n) ? n : block_up(part_start(n, p1), n);
}

void tx__held_reported(const tx_ctx *ctx, size_t n, size_t *from, size_t *to)
{
    reported(ctx, n, ctx->comm.rank, from, to);
}

void tx__held_rows(const tx_ctx *ctx, size_t n, size_t *from, size_t *to)
{
    size_t p0, p1, a;

    tx__held_part_range(ctx, n, ctx->comm.rank, &p0, &p1);
    reported(ctx, n, ctx->comm.rank, &a, to);
    /* from its first part (its first block starts there or later) to the
     * end of its last block (at or past the end of its parts) */
    *from = p0 < p1 ? part_start(n, p0) : a;
}

int tx__held_share(tx_ctx *ctx, int rc, size_t n, size_t per_block,
                   void *const *arrays, const size_t *sizes, size_t n_arrays)
{
    size_t R = (size_t)ctx->comm.ranks, r, *starts;

    if (!tx__comm_many(ctx))
        return rc;
    starts = tx__malloc(ctx, (R + 1) * sizeof *starts);
    for (r = 0; starts && r < R; r++) {
        size_t a, b;

        reported(ctx, n, (int)r, &a, &b);
        /* per row, or per block (a block starts at a multiple of it) */
        starts[r] = per_block ? a / TX__HELD_BLOCK : a;
        starts[r + 1] = per_block ? (b + TX__HELD_BLOCK - 1) / TX__HELD_BLOCK
                                  : b;
    }
    rc = tx__comm_share_ranges(ctx, starts ? rc : TX_ENOMEM, starts, arrays,
                               sizes, n_arrays);
    tx_free(ctx, starts);
    return rc;
}

int tx__held_gather(tx_ctx *ctx, int rc, const tx_mat *x, const size_t *idx,
                    size_t m, tx_mat *out)
{
    size_t R = (size_t)ctx->comm.ranks, row = x->cols * sizeof(float), i, r,
           from, to, len, *counts = NULL, *end = NULL;
    tx__wire w = {ctx, NULL, 0, 0, TX_OK};
    const char **at = NULL;
    char *all = NULL;

    if (!tx__comm_many(ctx)) {
        for (i = 0; rc == TX_OK && i < m; i++)
            memcpy(out->data + i * out->ld, x->data + idx[i] * x->ld, row);
        return rc;
    }
    /* each row from the rank that reports it, in the order asked */
    tx__held_reported(ctx, x->rows, &from, &to);
    for (i = 0; rc == TX_OK && i < m; i++)
        if (idx[i] >= from && idx[i] < to)
            tx__wire_put(&w, x->data + idx[i] * x->ld, row);
    counts = tx__malloc(ctx, R * sizeof *counts);
    end = tx__malloc(ctx, (R + 1) * sizeof *end);
    at = tx__malloc(ctx, R * sizeof *at);
    if (rc == TX_OK && (!counts || !end || !at))
        rc = TX_ENOMEM;
    rc = tx__comm_exchange(ctx, rc, &w, &all, &len, counts);
    tx_free(ctx, w.b);
    for (r = 0; rc == TX_OK && r < R; r++) {
        at[r] = r ? at[r - 1] + counts[r - 1] : all;
        reported(ctx, x->rows, (int)r, &from, &end[r]);
    }
    for (i = 0; rc == TX_OK && i < m; i++) {
        for (r = 0; r + 1 < R && idx[i] >= end[r]; r++)
            ;
        memcpy(out->data + i * out->ld, at[r], row);
        at[r] += row;
    }
    tx_free(ctx, all);
    tx_free(ctx, counts);
    tx_free(ctx, end);
    tx_free(ctx, at);
    return rc;
}
