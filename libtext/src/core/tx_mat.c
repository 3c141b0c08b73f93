/*
 * Dense matrices: row-major float blocks, 64-byte aligned, each
 * remembering its context. Part of the core: every stage passes them.
 */
#include "tx_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Where a matrix block keeps its owner: after the struct, aligned. */
#define MAT_OWNER_AT ((sizeof(tx_mat) + 7) & ~(size_t)7)

/* A matrix, zeroed or not (the SVD overwrites its big buffers whole, and
 * zeroing 400 MB costs more than the product that fills it). */
int tx__mat_alloc(tx_ctx *ctx, size_t rows, size_t cols, bool zero,
                  tx_mat **out)
{
    size_t head = (MAT_OWNER_AT + sizeof(tx_ctx *) + 127) & ~(size_t)63, n;
    char *block;
    tx_mat *m;

    if (!ctx || !out)
        return TX_EINVAL;
    *out = NULL;
    if (cols && rows > SIZE_MAX / cols / sizeof(float) - 1)
        return TX_ENOMEM;
    n = rows * cols * sizeof(float);
    /* One block: the struct, then the data at the next 64-byte boundary. */
    block = tx__malloc(ctx, head + n + 64);
    if (!block)
        return TX_ENOMEM;
    m = (tx_mat *)(void *)block;
    /* The context that owns the block sits between the struct and the
     * data (head leaves room), so tx_mat_free needs no ctx argument. */
    *(tx_ctx **)(void *)(block + MAT_OWNER_AT) = ctx;
    m->rows = rows;
    m->cols = cols;
    m->ld = cols;
    m->data = (float *)(void *)(block + head +
                                ((64 - ((uintptr_t)(block + head) & 63)) & 63));
    if (zero)
        memset(m->data, 0, n);
    *out = m;
    return TX_OK;
}

int tx_mat_new(tx_ctx *ctx, size_t rows, size_t cols, tx_mat **out)
{
    return tx__mat_alloc(ctx, rows, cols, true, out);
}

void tx_mat_free(tx_mat *m)
{
    if (m)
        tx_free(*(tx_ctx **)(void *)((char *)m + MAT_OWNER_AT), m);
}

/* Every document vector passes here up to three times. The squares
 * (exact in double) are summed in eight running sums, which the compiler
 * can keep in vector registers where one sum waits on each add; the order
 * is fixed, so the result never depends on the threads. */
TX_HOT static void normalize_rows(tx_mat *m)
{
    size_t i, j;

    for (i = 0; m && i < m->rows; i++) {
        float *r = m->data + i * m->ld;
        double s[8] = {0}, ss;

        for (j = 0; j + 8 <= m->cols; j += 8) {
            size_t q;

            for (q = 0; q < 8; q++)
                s[q] += (double)r[j + q] * r[j + q];
        }
        for (; j < m->cols; j++)
            s[j & 7] += (double)r[j] * r[j];
        ss = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        if (ss > 0.0) {
            float inv = (float)(1.0 / sqrt(ss));

            for (j = 0; j < m->cols; j++)
                r[j] *= inv;
        }
    }
}

/* The public name stays a plain function: a TX_HOT one would export its
 * clone resolver too. */
void tx_mat_normalize_rows(tx_mat *m)
{
    normalize_rows(m);
}
