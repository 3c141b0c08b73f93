/*
 * The ranks of one run: the program's allgather (MPI's, say) wrapped so
 * the stages can exchange byte strings of any length, and agree on
 * whether every rank succeeded. Alone (ranks 1) both are plain copies.
 */
#include "tx_internal.h"

#include <string.h>

int tx_ctx_set_comm(tx_ctx *ctx, const tx_comm *comm)
{
    if (!ctx)
        return TX_EINVAL;
    if (!comm) {
        memset(&ctx->comm, 0, sizeof ctx->comm);
        ctx->comm.ranks = 1;
        ctx->solo = 0;
        return TX_OK;
    }
    if (comm->ranks < 1 || comm->rank < 0 || comm->rank >= comm->ranks ||
        (comm->ranks > 1 && !comm->allgather))
        return TX_EINVAL;
    ctx->comm = *comm;
    ctx->solo = 0;
    return TX_OK;
}

int tx_ctx_rank(const tx_ctx *ctx)
{
    return ctx ? ctx->comm.rank : 0;
}

int tx_ctx_ranks(const tx_ctx *ctx)
{
    return ctx ? ctx->comm.ranks : 1;
}

/* Every rank's 8-byte value, in rank order, into each[0..ranks). */
static int gather8(tx_ctx *ctx, uint64_t mine, uint64_t *each, size_t *eight)
{
    return ctx->comm.allgather(ctx->comm.ud, &mine, sizeof mine, each, eight)
               ? TX_ECOMM : TX_OK;
}

int tx__comm_allgather(tx_ctx *ctx, const void *mine, size_t n, char **all,
                       size_t *counts)
{
    size_t R = (size_t)ctx->comm.ranks, r, total = 0, *eight, *cnt;
    uint64_t *sizes, *oks;
    int rc;

    *all = NULL;
    if (!tx__comm_many(ctx)) {
        *all = tx__malloc(ctx, n + 1);
        if (!*all)
            return TX_ENOMEM;
        if (n)
            memcpy(*all, mine, n);
        (*all)[n] = '\0';
        if (counts)
            counts[0] = n;
        return TX_OK;
    }
    /* Per rank: its size, whether it could make room for all the bytes,
     * and the counts to pass on. Without these few words this rank cannot
     * take part at all (the program then stops the run). */
    sizes = tx__malloc(ctx, R * 2 * (sizeof *sizes + sizeof *cnt));
    if (!sizes)
        return TX_ENOMEM;
    oks = sizes + R;
    eight = (size_t *)(void *)(oks + R);
    cnt = eight + R;
    for (r = 0; r < R; r++)
        eight[r] = sizeof(uint64_t);
    rc = gather8(ctx, n, sizes, eight);
    for (r = 0; rc == TX_OK && r < R; r++) {
        cnt[r] = (size_t)sizes[r];
        total += cnt[r];
    }
    if (rc == TX_OK)
        *all = tx__malloc(ctx, total + 1);
    /* a rank that could not make room still takes part, so none waits */
    if (rc == TX_OK)
        rc = gather8(ctx, *all != NULL, oks, eight);
    for (r = 0; rc == TX_OK && r < R; r++)
        if (!oks[r])
            rc = TX_ENOMEM;
    if (rc == TX_OK && ctx->comm.allgather(ctx->comm.ud, mine, n, *all, cnt))
        rc = TX_ECOMM;
    if (rc == TX_OK) {
        (*all)[total] = '\0';
        if (counts)
            memcpy(counts, cnt, R * sizeof *cnt);
    } else {
        tx_free(ctx, *all);
        *all = NULL;
    }
    tx_free(ctx, sizes);
    return rc;
}

void tx__wire_put(tx__wire *w, const void *p, size_t n)
{
    if (w->rc != TX_OK || n == 0)
        return;
    if (tx__grow(w->ctx, (void **)&w->b, &w->cap, w->len + n, 1)) {
        w->rc = TX_ENOMEM;
        return;
    }
    memcpy(w->b + w->len, p, n);
    w->len += n;
}

void tx__unwire_get(tx__unwire *u, void *out, size_t n)
{
    if (u->rc == TX_OK && (size_t)(u->end - u->p) < n)
        u->rc = TX_ECOMM;
    if (u->rc != TX_OK) {
        if (out)
            memset(out, 0, n);
        return;
    }
    if (n && out)
        memcpy(out, u->p, n);
    u->p += n;
}

int tx__comm_exchange(tx_ctx *ctx, int rc, const tx__wire *mine, char **all,
                      size_t *len, size_t *counts)
{
    size_t R = (size_t)ctx->comm.ranks, r, *got = counts;
    int x;

    if (rc == TX_OK)
        rc = mine->rc;
    if (!got)
        got = tx__malloc(ctx, R * sizeof *got);
    x = tx__comm_allgather(ctx, rc == TX_OK ? mine->b : NULL,
                           rc == TX_OK ? mine->len : 0, all, got);
    rc = tx__comm_agree(ctx, rc == TX_OK ? (got ? x : TX_ENOMEM) : rc, NULL);
    for (*len = 0, r = 0; rc == TX_OK && r < R; r++)
        *len += got[r];
    if (got != counts)
        tx_free(ctx, got);
    if (rc != TX_OK) {
        tx_free(ctx, *all);
        *all = NULL;
    }
    return rc;
}

/* What one rank tells the others: its code and diagnostic. */
struct verdict {
    int32_t rc;
    int32_t pad;
    int64_t line;
    char file[256];
    char message[256];
};

int tx__comm_agree(tx_ctx *ctx, int rc, tx_diag *diag)
{
    struct verdict me, *all;
    size_t R = (size_t)ctx->comm.ranks, r;
    char *buf = NULL;
    int out = TX_OK, xrc;

    if (!tx__comm_many(ctx))
        return rc;
    memset(&me, 0, sizeof me);
    me.rc = rc;
    if (rc != TX_OK && diag) {
        me.line = diag->line;
        memcpy(me.file, diag->file, sizeof me.file);
        memcpy(me.message, diag->message, sizeof me.message);
    }
    xrc = tx__comm_allgather(ctx, &me, sizeof me, &buf, NULL);
    if (xrc != TX_OK)
        return xrc;
    all = (struct verdict *)(void *)buf;
    for (r = 0; r < R && out == TX_OK; r++)
        if (all[r].rc != TX_OK) {
            out = all[r].rc;
            if (diag) {
                memcpy(diag->file, all[r].file, sizeof diag->file);
                memcpy(diag->message, all[r].message, sizeof diag->message);
                diag->file[sizeof diag->file - 1] = '\0';
                diag->message[sizeof diag->message - 1] = '\0';
                diag->line = (long)all[r].line;
            }
        }
    tx_free(ctx, buf);
    return out;
}

static void items_of(size_t n, size_t block, int r, int ranks, size_t *from,
                     size_t *to)
{
    size_t nb = (n + block - 1) / block, b0, b1;

    tx__comm_share(nb, r, ranks, &b0, &b1);
    *from = b0 * block < n ? b0 * block : n;
    *to = b1 * block < n ? b1 * block : n;
}

void tx__comm_items(const tx_ctx *ctx, size_t n, size_t block, size_t *from,
                    size_t *to)
{
    if (!tx__comm_many(ctx)) {
        *from = 0;
        *to = n;
        return;
    }
    items_of(n, block, ctx->comm.rank, ctx->comm.ranks, from, to);
}

int tx__comm_share_ranges(tx_ctx *ctx, int rc, const size_t *starts,
                          void *const *arrays, const size_t *sizes,
                          size_t n_arrays)
{
    size_t a, r, R = (size_t)ctx->comm.ranks, len, me = (size_t)ctx->comm.rank;
    tx__wire w = {ctx, NULL, 0, 0, TX_OK};
    tx__unwire u;
    char *all = NULL;

    if (!tx__comm_many(ctx))
        return rc;
    for (a = 0; rc == TX_OK && a < n_arrays; a++)
        if (arrays[a])
            tx__wire_put(&w, (char *)arrays[a] + starts[me] * sizes[a],
                         (starts[me + 1] - starts[me]) * sizes[a]);
    rc = tx__comm_exchange(ctx, rc, &w, &all, &len, NULL);
    tx_free(ctx, w.b);
    u = (tx__unwire){all, all + len, TX_OK};
    for (r = 0; rc == TX_OK && r < R; r++)
        for (a = 0; a < n_arrays; a++)
            if (arrays[a])
                tx__unwire_get(&u, (char *)arrays[a] + starts[r] * sizes[a],
                               (starts[r + 1] - starts[r]) * sizes[a]);
    tx_free(ctx, all);
    return rc == TX_OK ? u.rc : rc;
}

/* Every rank's first item under items_of, then n (R + 1 entries; tx_free
 * them), or NULL without memory. */
static size_t *items_starts(tx_ctx *ctx, size_t n, size_t block)
{
    size_t R = (size_t)ctx->comm.ranks, r, to,
           *starts = tx__malloc(ctx, (R + 1) * sizeof *starts);

    for (r = 0; starts && r < R; r++)
        items_of(n, block, (int)r, (int)R, &starts[r], &to);
    if (starts)
        starts[R] = n;
    return starts;
}

int tx__comm_share_items(tx_ctx *ctx, int rc, size_t n, size_t block,
                         void *const *arrays, const size_t *sizes,
                         size_t n_arrays)
{
    size_t *starts;

    if (!tx__comm_many(ctx))
        return rc;
    starts = items_starts(ctx, n, block);
    rc = tx__comm_share_ranges(ctx, starts ? rc : TX_ENOMEM, starts, arrays,
                               sizes, n_arrays);
    tx_free(ctx, starts);
    return rc;
}

int tx__comm_gather_ranges(tx_ctx *ctx, int rc, void *array,
                           const size_t *starts, size_t item)
{
    size_t R = (size_t)ctx->comm.ranks, r, me = (size_t)ctx->comm.rank,
           *counts;
    int x;

    if (!tx__comm_many(ctx))
        return rc;
    counts = tx__malloc(ctx, R * sizeof *counts);
    /* agree first: a rank without the array cannot receive into it */
    rc = tx__comm_agree(ctx, rc == TX_OK && !counts ? TX_ENOMEM : rc, NULL);
    if (rc != TX_OK) {
        tx_free(ctx, counts);
        return rc;
    }
    for (r = 0; r < R; r++)
        counts[r] = (starts[r + 1] - starts[r]) * item;
    x = ctx->comm.allgather(ctx->comm.ud, (char *)array + starts[me] * item,
                            counts[me], (char *)array + starts[0] * item,
                            counts)
            ? TX_ECOMM : TX_OK;
    tx_free(ctx, counts);
    return tx__comm_agree(ctx, x, NULL);
}

int tx__comm_gather_in_place(tx_ctx *ctx, int rc, void *array, size_t n,
                             size_t block, size_t item)
{
    size_t *starts;

    if (!tx__comm_many(ctx))
        return rc;
    starts = items_starts(ctx, n, block);
    rc = tx__comm_gather_ranges(ctx, starts ? rc : TX_ENOMEM, array, starts,
                                item);
    tx_free(ctx, starts);
    return rc;
}
