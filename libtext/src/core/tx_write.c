/*
 * Writing files of many rows (assignments, mentions, documents): parts of
 * the rows are formatted into memory on the context's threads and written
 * in order, so the bytes are those one loop would write.
 */
#include "tx_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Rows per part, and parts formatted at a time per thread: enough to keep
 * the threads busy while the memory held stays a few megabytes. */
#define PART_ROWS 16384
#define PARTS_PER_THREAD 2

struct part {
    char *buf;
    size_t len;
    int rc;
    TX__CACHE_LINE_GAP;
};

struct wave {
    size_t first, n; /* rows [first, n) in parts from part 0 */
    tx__row_write_fn fn;
    void *ud;
    struct part *parts;
};

static int format_part(void *arg, size_t i)
{
    struct wave *w = arg;
    struct part *p = &w->parts[i];
    size_t r = w->first + i * PART_ROWS, end = r + PART_ROWS;
    FILE *out = open_memstream(&p->buf, &p->len);

    if (!out) {
        p->rc = TX_ENOMEM;
        return TX_OK; /* the writer reports the first failing part */
    }
    if (end > w->n)
        end = w->n;
    for (p->rc = TX_OK; r < end && p->rc == TX_OK; r++)
        p->rc = w->fn(w->ud, out, r);
    if (fclose(out) != 0 && p->rc == TX_OK)
        p->rc = TX_ENOMEM;
    return TX_OK;
}

int tx__write_rows(tx_ctx *ctx, FILE *f, size_t n, tx__row_write_fn fn,
                   void *ud)
{
    size_t per_wave = (size_t)ctx->threads * PARTS_PER_THREAD, k;
    struct wave w = {0, n, fn, ud, NULL};
    int rc = TX_OK;

    if (ctx->threads <= 1 || n <= PART_ROWS) {
        for (k = 0; k < n && rc == TX_OK; k++)
            rc = fn(ud, f, k);
        return rc;
    }
    w.parts = tx__calloc(ctx, per_wave, sizeof *w.parts);
    if (!w.parts)
        return TX_ENOMEM;
    for (w.first = 0; w.first < n && rc == TX_OK;
         w.first += per_wave * PART_ROWS) {
        size_t parts = (n - w.first + PART_ROWS - 1) / PART_ROWS;

        if (parts > per_wave)
            parts = per_wave;
        rc = tx__parallel(ctx, parts, format_part, &w);
        for (k = 0; k < parts; k++) {
            if (rc == TX_OK)
                rc = w.parts[k].rc;
            if (rc == TX_OK && w.parts[k].len &&
                fwrite(w.parts[k].buf, 1, w.parts[k].len, f) !=
                    w.parts[k].len)
                rc = TX_EIO;
            free(w.parts[k].buf); /* open_memstream's, not the context's */
            w.parts[k].buf = NULL;
            w.parts[k].len = 0;
        }
    }
    tx_free(ctx, w.parts);
    return rc;
}

/* ---- numbers without printf ---- */

static char *put_digits(char *p, uint64_t u)
{
    char d[24];
    size_t n = 0;

    do
        d[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    while (n)
        *p++ = d[--n];
    return p;
}

char *tx__put_int(char *p, int64_t v)
{
    if (v < 0)
        *p++ = '-';
    return put_digits(p, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

char *tx__put_fixed(char *p, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    double x = fabs(v) * scale[decimals < 0 || decimals > 6 ? 0 : decimals],
           f;
    uint64_t n, frac, div = 1;
    int i;

    /* printf rounds the exact value half to even. Below 2^30 the scaled
     * value is off by under 2^-22 (none when v came from a float and the
     * scale is at most 10^4), so rint agrees except within that of a half:
     * those go to snprintf. */
    f = x - floor(x);
    if (decimals < 0 || decimals > 6 || !isfinite(v) || x >= 1073741824.0 ||
        fabs(f - 0.5) < 1e-6)
        return p + sprintf(p, "%.*f", decimals, v);
    n = (uint64_t)rint(x);
    if (signbit(v))
        *p++ = '-';
    for (i = 0; i < decimals; i++)
        div *= 10;
    p = put_digits(p, n / div);
    if (decimals) {
        *p++ = '.';
        for (frac = n % div, i = decimals - 1; i >= 0; i--, frac /= 10)
            p[i] = (char)('0' + frac % 10);
        p += decimals;
    }
    return p;
}
