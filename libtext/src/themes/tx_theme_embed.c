/*
 * Theme embedding: a document's place in the model's space. Every document
 * goes through tx__theme_embed, for the fit and for tx_themes_assign alike,
 * so fitted documents always get their own theme back.
 */
#include "tx_themes_private.h"
#include "vectors/tx_vectors_private.h"

#include <string.h>

/* Unit rows of m's columns [c0, c0 + w), in place. */
static void normalize_part(tx_mat *m, size_t c0, size_t w)
{
    tx_mat part = {m->rows, w, m->ld, m->data + c0};

    tx_mat_normalize_rows(&part);
}

/* Rows a rank embeds at a time, when the ranks split the work. */
#define EMBED_BLOCK 4096

/* Rows per task of the word-vector half: each row is its own, so the
 * threads split them. */
#define SIF_BLOCK 4096

struct sif_job {
    const tx_themes *th;
    const tx_csr *counts;
    tx_mat *x;
};

/* One block of rows: the SIF vectors beside the LSA coordinates, each
 * half of unit length, then the pair. */
static int sif_block(void *arg, size_t b)
{
    struct sif_job *j = arg;
    size_t r0 = b * SIF_BLOCK, dl = j->th->comp->rows,
           ds = j->th->wv->cols, n = j->counts->rows - r0;
    tx_csr part = {n < SIF_BLOCK ? n : SIF_BLOCK, j->counts->cols, 0,
                   j->counts->indptr + r0, j->counts->indices,
                   j->counts->data};
    tx_mat x = {part.rows, j->x->cols, j->x->ld,
                j->x->data + r0 * j->x->ld};

    normalize_part(&x, 0, dl);
    tx__sif_embed_into(j->th->wv, j->th->sif_w, j->th->pc, &part,
                       x.data + dl, x.ld);
    normalize_part(&x, dl, ds);
    tx_mat_normalize_rows(&x);
    return TX_OK;
}

/* Rows `from` on of x from the rows of `counts` (as many as it has). */
static int embed_rows(tx_ctx *ctx, const tx_themes *th, const tx_csr *counts,
                      tx_mat *all, size_t from)
{
    size_t dl = th->comp->rows, ds = th->wv ? th->wv->cols : 0;
    tx_mat x = {counts->rows, all->cols, all->ld, all->data + from * all->ld};
    tx_csr *w = NULL;
    int rc = tx_tfidf_apply(ctx, &th->p.tfidf, th->idf, counts, &w);

    if (rc == TX_OK)
        rc = th->comp_t ? tx__svd_project_t(ctx, th->comp_t, w, x.data, x.ld)
                        : tx__svd_project_into(ctx, th->comp, w, x.data, x.ld);
    tx_csr_free(w);
    if (rc != TX_OK)
        return rc;
    if (ds) {
        struct sif_job j = {th, counts, &x};

        rc = tx__parallel(ctx, (counts->rows + SIF_BLOCK - 1) / SIF_BLOCK,
                          sif_block, &j);
    } else {
        normalize_part(&x, 0, dl);
    }
    return rc;
}

int tx__theme_embed_into(tx_ctx *ctx, const tx_themes *th,
                         const tx_csr *counts, tx_mat *x)
{
    return counts->rows <= x->rows ? embed_rows(ctx, th, counts, x, 0)
                                   : TX_EINVAL;
}

/* Rows weighed and projected at a time: their TF-IDF copy stays small
 * beside the result, where a copy of all rows would add to the fit's
 * peak. Every row is embedded on its own, so the size changes no byte. */
#define EMBED_CHUNK (16 * EMBED_BLOCK)

/* The rows rows[0..n) of `counts` (rows 0..n when `rows` is NULL) as unit
 * vectors of the model's space: LSA coordinates and SIF vectors, each of
 * unit length, side by side (equal weight), the pair again of unit
 * length. Written straight into one matrix, chunk by chunk, so the largest
 * buffer is the result itself. Several ranks each embed their share of
 * the rows; `held`: the rows each holds (tx__held_rows), and no more;
 * otherwise they gather the rest in place. */
int tx__theme_embed(tx_ctx *ctx, const tx_themes *th, const tx_csr *counts,
                    const size_t *rows, size_t n, bool held, tx_mat **out)
{
    size_t dl = th->comp->rows, ds = th->wv ? th->wv->cols : 0, from, to;
    size_t *pick = NULL, a, i;
    tx_mat *x = NULL;
    bool whole;
    int rc;

    *out = NULL;
    /* not zeroed: every row is written (this rank's here, the others by
     * the gather), and zeroing the fit's largest array on one thread
     * cost more than filling it on all */
    rc = tx__mat_alloc(ctx, n, dl + ds, false, &x);
    if (held)
        tx__held_rows(ctx, n, &from, &to);
    else
        tx__comm_items(ctx, n, EMBED_BLOCK, &from, &to);
    whole = !rows && from == 0 && to == n && n <= EMBED_CHUNK;
    if (rc == TX_OK && !rows && !whole) { /* row numbers for the chunks */
        pick = tx__malloc(ctx, (EMBED_CHUNK + 1) * sizeof *pick);
        rc = pick ? TX_OK : TX_ENOMEM;
    }
    tx__comm_solo(ctx, true);
    if (rc == TX_OK && whole) {
        rc = embed_rows(ctx, th, counts, x, 0);
    } else {
        for (a = from; rc == TX_OK && a < to; a += EMBED_CHUNK) {
            size_t b = to - a < EMBED_CHUNK ? to : a + EMBED_CHUNK;
            tx_csr *part = NULL;

            for (i = a; pick && i < b; i++)
                pick[i - a] = i;
            rc = tx__csr_rows(ctx, counts, rows ? rows + a : pick, b - a,
                              &part);
            if (rc == TX_OK)
                rc = embed_rows(ctx, th, part, x, a);
            tx_csr_free(part);
        }
    }
    tx__comm_solo(ctx, false);
    tx_free(ctx, pick);
    if (held)
        rc = tx__comm_agree(ctx, rc, NULL);
    else if (tx__comm_many(ctx))
        rc = tx__comm_gather_in_place(ctx, rc, x ? x->data : NULL, n,
                                      EMBED_BLOCK,
                                      x ? x->ld * sizeof *x->data : 0);
    if (rc != TX_OK) {
        tx_mat_free(x);
        return rc;
    }
    *out = x;
    return TX_OK;
}

/* Rows of `m` listed in `rows` (a new CSR). */
int tx__csr_rows(tx_ctx *ctx, const tx_csr *m, const size_t *rows,
                    size_t n, tx_csr **out)
{
    tx_csr *s = tx__csr_new(ctx);
    size_t i, nnz = 0;

    *out = NULL;
    if (!s)
        return TX_ENOMEM;
    for (i = 0; i < n; i++)
        nnz += (size_t)(m->indptr[rows[i] + 1] - m->indptr[rows[i]]);
    s->rows = n;
    s->cols = m->cols;
    s->nnz = nnz;
    s->indptr = tx__malloc(ctx, (n + 1) * sizeof *s->indptr);
    s->indices = tx__malloc(ctx, (nnz + 1) * sizeof *s->indices);
    s->data = tx__malloc(ctx, (nnz + 1) * sizeof *s->data);
    if (!s->indptr || !s->indices || !s->data) {
        tx_csr_free(s);
        return TX_ENOMEM;
    }
    s->indptr[0] = 0;
    for (i = 0; i < n; i++) {
        int64_t a = m->indptr[rows[i]], b = m->indptr[rows[i] + 1];

        memcpy(s->indices + s->indptr[i], m->indices + a,
               (size_t)(b - a) * sizeof *s->indices);
        memcpy(s->data + s->indptr[i], m->data + a,
               (size_t)(b - a) * sizeof *s->data);
        s->indptr[i + 1] = s->indptr[i] + (b - a);
    }
    *out = s;
    return TX_OK;
}

/* Unit rows of external document vectors for the documents doc[0..n)
 * (documents 0..n when `doc` is NULL): the matrix has one row per input
 * row (tx_doc.row). */
int tx__theme_gather_external(tx_ctx *ctx, const tx_corpus *c, const tx_mat *e,
                           const size_t *doc, size_t n, tx_mat **out)
{
    size_t i;
    int rc = tx_mat_new(ctx, n, e->cols, out);

    for (i = 0; rc == TX_OK && i < n; i++) {
        tx_doc d;

        tx_corpus_doc(c, doc ? doc[i] : i, &d);
        memcpy((*out)->data + i * (*out)->ld, e->data + d.row * e->ld,
               e->cols * sizeof(float));
    }
    if (rc == TX_OK)
        tx_mat_normalize_rows(*out);
    return rc;
}
