/*
 * Matrices whose rows the ranks hold apart: the fit's document vectors
 * and the LSA's tall product, the largest arrays of a run. Sums over the
 * rows go by fixed parts, and products are computed in fixed blocks of
 * rows. A rank holds a run of parts, up to the end of the last block that
 * starts in them, so it can sum its parts and compute those blocks
 * exactly as one process does; the results are then shared. Rows a rank
 * does not hold are never written there, so their pages are never backed
 * by memory.
 */
#include "tx_internal.h"

#include <string.h>

/* The first row of part p (p may be the count): as the sums cut them. */
static size_t part_start(const tx__rows_split *s, size_t p)
{
    return s->n * p / s->parts;
}

/* The first block start at or after `row`, or n. */
static size_t block_up(const tx__rows_split *s, size_t row)
{
    size_t b = (row + s->block - 1) / s->block * s->block;

    return b < s->n ? b : s->n;
}

void tx__split_parts(const tx__rows_split *s, int r, size_t *p0, size_t *p1)
{
    tx__comm_share(s->parts, r, s->ranks, p0, p1);
}

void tx__split_reported(const tx__rows_split *s, int r, size_t *from,
                        size_t *to)
{
    size_t p0, p1;

    tx__split_parts(s, r, &p0, &p1);
    *from = block_up(s, part_start(s, p0));
    *to = p1 == s->parts ? s->n : block_up(s, part_start(s, p1));
}

void tx__split_blocks(const tx__rows_split *s, int r, size_t *b0, size_t *b1)
{
    size_t from, to;

    /* `from` and `to` are block starts or n: rounding up keeps the last,
     * short block with the rank whose rows end at n */
    tx__split_reported(s, r, &from, &to);
    *b0 = (from + s->block - 1) / s->block;
    *b1 = (to + s->block - 1) / s->block;
}

void tx__split_held(const tx__rows_split *s, int r, size_t *from, size_t *to)
{
    size_t p0, p1, a;

    tx__split_parts(s, r, &p0, &p1);
    tx__split_reported(s, r, &a, to);
    /* from its first part (its first block starts there or later) to the
     * end of its last block (at or past the end of its parts) */
    *from = p0 < p1 ? part_start(s, p0) : a;
}

/* This rank's number in a split made by tx__held_split: 0 alone, or
 * inside a rank's own share of a step, where it does every part. */
static int held_rank(const tx_ctx *ctx)
{
    return tx__comm_many(ctx) ? ctx->comm.rank : 0;
}

tx__rows_split tx__held_split(const tx_ctx *ctx, size_t n)
{
    tx__rows_split s = {n, tx__held_parts(n), TX__HELD_BLOCK,
                        tx__comm_many(ctx) ? ctx->comm.ranks : 1};

    return s;
}

size_t tx__held_parts(size_t n)
{
    return n < TX__HELD_PARTS ? 1 : TX__HELD_PARTS;
}

void tx__held_part_range(const tx_ctx *ctx, size_t n, int r, size_t *p0,
                         size_t *p1)
{
    tx__rows_split s = tx__held_split(ctx, n);

    tx__split_parts(&s, tx__comm_many(ctx) ? r : 0, p0, p1);
}

void tx__held_reported(const tx_ctx *ctx, size_t n, size_t *from, size_t *to)
{
    tx__rows_split s = tx__held_split(ctx, n);

    tx__split_reported(&s, held_rank(ctx), from, to);
}

void tx__held_rows(const tx_ctx *ctx, size_t n, size_t *from, size_t *to)
{
    tx__rows_split s = tx__held_split(ctx, n);

    tx__split_held(&s, held_rank(ctx), from, to);
}

int tx__held_share(tx_ctx *ctx, int rc, size_t n, size_t per_block,
                   void *const *arrays, const size_t *sizes, size_t n_arrays)
{
    tx__rows_split s = tx__held_split(ctx, n);
    size_t R = (size_t)ctx->comm.ranks, r, *starts;

    if (!tx__comm_many(ctx))
        return rc;
    starts = tx__malloc(ctx, (R + 1) * sizeof *starts);
    for (r = 0; starts && r < R; r++) /* per row, or per block */
        (per_block ? tx__split_blocks : tx__split_reported)(
            &s, (int)r, &starts[r], &starts[r + 1]);
    rc = tx__comm_share_ranges(ctx, starts ? rc : TX_ENOMEM, starts, arrays,
                               sizes, n_arrays);
    tx_free(ctx, starts);
    return rc;
}

int tx__held_gather(tx_ctx *ctx, int rc, const tx_mat *x, const size_t *idx,
                    size_t m, tx_mat *out)
{
    tx__rows_split s = tx__held_split(ctx, x->rows);
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
    tx__split_reported(&s, ctx->comm.rank, &from, &to);
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
        tx__split_reported(&s, (int)r, &from, &end[r]);
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
