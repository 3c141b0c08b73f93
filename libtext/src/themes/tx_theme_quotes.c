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

/* The theme's CANDIDATES best-scored members, best first, into s: each
 * better one is slid into place (the order is total, so this is a sort's
 * first CANDIDATES). Returns how many. */
static size_t best_members(const int32_t *lab, const float *score, size_t n,
                           size_t t, struct scored *s)
{
    size_t m = 0, i, at;

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
    return m;
}

/* Quotes: among the CANDIDATES documents closest to the centre, pick
 * greedily by closeness minus similarity to quotes already picked
 * (maximal marginal relevance), skipping near-duplicates. `doc_of` maps
 * embedding rows to corpus documents. The candidates' rows are gathered
 * first: the ranks hold the rows apart. */
int tx__theme_pick_quotes(tx_ctx *ctx, size_t n_quotes,
                          struct tx__theme *xs, size_t k, const tx_mat *x,
                          const int32_t *lab, const float *score,
                          const size_t *doc_of)
{
    struct scored *s = tx__malloc(ctx, (k * CANDIDATES + 1) * sizeof *s);
    size_t *m = tx__calloc(ctx, k + 1, sizeof *m);
    size_t *idx = tx__malloc(ctx, (k * CANDIDATES + 1) * sizeof *idx);
    size_t *pos = tx__malloc(ctx, (n_quotes + 1) * sizeof *pos);
    size_t t, i, total = 0;
    tx_mat *g = NULL;
    int rc = s && m && idx && pos ? TX_OK : TX_ENOMEM;

    for (t = 0; rc == TX_OK && t < k; t++) {
        m[t] = best_members(lab, score, x->rows, t, s + total);
        for (i = 0; i < m[t]; i++)
            idx[total + i] = s[total + i].row;
        total += m[t];
    }
    if (rc == TX_OK)
        rc = tx_mat_new(ctx, total ? total : 1, x->cols, &g);
    rc = tx__held_gather(ctx, rc, x, idx, total, g);
    for (t = 0, total = 0; rc == TX_OK && t < k; total += m[t++]) {
        struct tx__theme *q = &xs[t];
        size_t want = n_quotes;

        q->quotes = tx__calloc(ctx, want + 1, sizeof *q->quotes);
        if (!q->quotes) {
            rc = TX_ENOMEM;
            break;
        }
        while (q->n_quotes < want) {
            double best = -INFINITY;
            size_t pick = SIZE_MAX, j;

            for (i = 0; i < m[t]; i++) {
                double red = 0.0, v;
                bool used = false;

                for (j = 0; j < q->n_quotes && !used; j++) {
                    float d = dot(g, total + i, total + pos[j]);

                    used = i == pos[j] || d > 0.98f;
                    if (d > red)
                        red = d;
                }
                if (used)
                    continue;
                v = 0.7 * s[total + i].score - 0.3 * red;
                if (v > best) {
                    best = v;
                    pick = i;
                }
            }
            if (pick == SIZE_MAX)
                break;
            pos[q->n_quotes] = pick;
            /* embedding row -> document */
            q->quotes[q->n_quotes++] = doc_of[s[total + pick].row];
        }
    }
    tx_mat_free(g);
    tx_free(ctx, s);
    tx_free(ctx, m);
    tx_free(ctx, idx);
    tx_free(ctx, pos);
    return rc;
}
