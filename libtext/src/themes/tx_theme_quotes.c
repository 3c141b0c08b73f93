/*
 * Representative quotes: central to the theme and varied among themselves.
 */
#include "tx_themes_private.h"

#include <math.h>
#include <stdlib.h>

/* Quotes are picked among this many documents closest to the centre. */
#define CANDIDATES 50

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

/* Quotes: among the CANDIDATES documents closest to the centre, pick
 * greedily by closeness minus similarity to quotes already picked
 * (maximal marginal relevance), skipping near-duplicates. `rows` map embedding rows to
 * corpus documents. */
int tx__theme_pick_quotes(tx_ctx *ctx, size_t n_quotes,
                          struct tx__theme *xs, size_t k, const tx_mat *x,
                          const int32_t *lab, const float *score,
                          const size_t *doc_of)
{
    size_t t, i, n = x->rows;
    struct scored s[CANDIDATES];

    for (t = 0; t < k; t++) {
        struct tx__theme *q = &xs[t];
        size_t m = 0, want = n_quotes, at;

        /* The theme's CANDIDATES best-scored members, best first: each
         * better one is slid into place (the order is total, so this is
         * a sort's first CANDIDATES). */
        for (i = 0; i < n; i++) {
            struct scored c = {score[i], i};

            if (lab[i] != (int32_t)t ||
                (m == CANDIDATES && cmp_scored(&c, &s[m - 1]) >= 0))
                continue;
            at = m < CANDIDATES ? m++ : m - 1;
            for (; at > 0 && cmp_scored(&c, &s[at - 1]) < 0; at--)
                s[at] = s[at - 1];
            s[at] = c;
        }
        q->quotes = tx__calloc(ctx, want + 1, sizeof *q->quotes);
        if (!q->quotes)
            return TX_ENOMEM;
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
    return TX_OK;
}
