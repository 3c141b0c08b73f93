/*
 * Representative quotes: central to the theme and varied among themselves.
 */
#include "tx_themes_private.h"

#include <math.h>
#include <stdlib.h>

struct scored {
    float score;
    size_t row;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static float dot(const tx_mat *x, size_t a, size_t b)
{
    const float *p = x->data + a * x->ld, *q = x->data + b * x->ld;
    double s = 0.0;
    size_t j;

    for (j = 0; j < x->cols; j++)
        s += (double)p[j] * q[j];
    return (float)s;
}

/* Quotes: among the 50 documents closest to the centre, pick greedily by
 * closeness minus similarity to quotes already picked (maximal marginal
 * relevance), skipping near-duplicates. `rows` map embedding rows to
 * corpus documents. */
int tx__theme_pick_quotes(tx_ctx *ctx, size_t n_quotes,
                          struct tx__theme *xs, size_t k, const tx_mat *x,
                          const int32_t *lab, const float *score,
                          const size_t *doc_of)
{
    size_t t, i, n = x->rows;
    struct scored *s = tx__malloc(ctx, (n + 1) * sizeof *s);

    if (!s)
        return TX_ENOMEM;
    for (t = 0; t < k; t++) {
        struct tx__theme *q = &xs[t];
        size_t m = 0, want = n_quotes;

        for (i = 0; i < n; i++)
            if (lab[i] == (int32_t)t)
                s[m++] = (struct scored){score[i], i};
        qsort(s, m, sizeof *s, cmp_scored);
        if (m > 50)
            m = 50;
        q->quotes = tx__calloc(ctx, want + 1, sizeof *q->quotes);
        if (!q->quotes) {
            tx_free(ctx, s);
            return TX_ENOMEM;
        }
        while (q->n_quotes < want) {
            double best = -INFINITY;
            size_t pick = SIZE_MAX, j;

            for (i = 0; i < m; i++) {
                double red = 0.0, v;
                bool used = false;

                for (j = 0; j < q->n_quotes && !used; j++) {
                    float d = dot(x, s[i].row, q->quotes[j]);

                    used = s[i].row == q->quotes[j] || d > 0.98f;
                    if (d > red)
                        red = d;
                }
                if (used)
                    continue;
                v = 0.7 * s[i].score - 0.3 * red;
                if (v > best) {
                    best = v;
                    pick = i;
                }
            }
            if (pick == SIZE_MAX)
                break;
            q->quotes[q->n_quotes++] = s[pick].row;
        }
        for (i = 0; i < q->n_quotes; i++) /* embedding row -> document */
            q->quotes[i] = doc_of[q->quotes[i]];
    }
    tx_free(ctx, s);
    return TX_OK;
}
