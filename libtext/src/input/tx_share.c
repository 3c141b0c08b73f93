/*
 * Several ranks: each holds its share of the rows, and tx_corpus_gather
 * gives every rank all of them, in the order one process reads them.
 *
 * A rank's share of a file is a contiguous run of its rows (CSV: the rows
 * of a byte range, tx_csv.c; other formats: the rows of an even cut of the
 * file's rows, here). Every row keeps the number and line one process
 * would give it, so the gathered corpus is the same bytes for any number
 * of ranks.
 */
#include "tx_corpus_private.h"

#include <stdlib.h>
#include <string.h>

int tx__corpus_keep_share(struct tx__file_job *j)
{
    tx_corpus *c = j->c;
    size_t rows = c->n_seq - j->seq0, from, to, i, n;

    tx__comm_share(rows, c->ctx->comm.rank, c->ctx->comm.ranks, &from, &to);
    for (i = n = j->docs0; i < c->n_docs; i++)
        if (c->docs[i].row - j->seq0 >= from && c->docs[i].row - j->seq0 < to)
            c->docs[n++] = c->docs[i];
    c->n_docs = n;
    for (i = n = j->rejects0; i < c->n_rejects; i++)
        if (c->rejects[i].row - j->seq0 >= from &&
            c->rejects[i].row - j->seq0 < to)
            c->rejects[n++] = c->rejects[i];
    c->n_rejects = n;
    /* which rows these counts came from is not kept: rank 0 has them */
    if (c->ctx->comm.rank != 0) {
        c->n_repaired = j->repaired0;
        c->n_html = j->html0;
        c->n_twice = j->twice0;
        c->n_context = j->context0;
    }
    tx__corpus_changed(c);
    return TX_OK;
}

/* ---- rows as bytes ---- */

/* A string with its length; NULL as UINT64_MAX. */
static void put_str(tx__wire *w, const char *s, size_t n)
{
    tx__wire_u64(w, s ? (uint64_t)n : UINT64_MAX);
    if (s)
        tx__wire_put(w, s, n);
}

static void put_cstr(tx__wire *w, const char *s)
{
    put_str(w, s, s ? strlen(s) : 0);
}

/* An arena copy of the next string; `last` (the same field of the row
 * before) is shared when equal, as file names and groups mostly are. */
static const char *get_str(tx__unwire *u, tx__arena *a, const char *last,
                           size_t *len, bool *oom)
{
    uint64_t n = tx__unwire_u64(u);
    const char *s;

    if (len)
        *len = 0;
    if (n == UINT64_MAX || u->rc != TX_OK)
        return NULL;
    if ((uint64_t)(u->end - u->p) < n) {
        u->rc = TX_ECOMM;
        return NULL;
    }
    s = u->p;
    u->p += n;
    if (len)
        *len = (size_t)n;
    if (last && strlen(last) == n && memcmp(last, s, n) == 0)
        return last;
    s = tx__arena_strndup(a, s, (size_t)n);
    if (!s)
        *oom = true;
    return s;
}

static void put_doc(tx__wire *w, const tx_doc *d)
{
    int64_t line = d->line;

    tx__wire_u64(w, (uint64_t)d->row);
    tx__wire_put(w, &line, sizeof line);
    tx__wire_put(w, &d->outcome, sizeof d->outcome);
    tx__wire_u64(w, (uint64_t)d->has_outcome);
    put_cstr(w, d->id);
    put_str(w, d->text, d->len);
    put_cstr(w, d->group);
    put_cstr(w, d->stage);
    put_cstr(w, d->time);
    put_cstr(w, d->context);
    put_cstr(w, d->file);
}

static void get_doc(tx__unwire *u, tx__arena *a, const tx_doc *last,
                    tx_doc *d, bool *oom)
{
    int64_t line;

    memset(d, 0, sizeof *d);
    d->row = (size_t)tx__unwire_u64(u);
    tx__unwire_get(u, &line, sizeof line);
    d->line = (long)line;
    tx__unwire_get(u, &d->outcome, sizeof d->outcome);
    d->has_outcome = (int)tx__unwire_u64(u);
    d->id = get_str(u, a, NULL, NULL, oom);
    d->text = get_str(u, a, NULL, &d->len, oom);
    d->group = get_str(u, a, last ? last->group : NULL, NULL, oom);
    d->stage = get_str(u, a, last ? last->stage : NULL, NULL, oom);
    d->time = get_str(u, a, NULL, NULL, oom);
    d->context = get_str(u, a, NULL, NULL, oom);
    d->file = get_str(u, a, last ? last->file : NULL, NULL, oom);
}

static void put_reject(tx__wire *w, const tx_reject *r)
{
    int64_t line = r->line;

    tx__wire_u64(w, (uint64_t)r->row);
    tx__wire_put(w, &line, sizeof line);
    put_cstr(w, r->file);
    put_cstr(w, r->id);
    put_cstr(w, r->reason);
}

static void get_reject(tx__unwire *u, tx__arena *a, tx_reject *r, bool *oom)
{
    int64_t line;

    r->row = (size_t)tx__unwire_u64(u);
    tx__unwire_get(u, &line, sizeof line);
    r->line = (long)line;
    r->file = get_str(u, a, NULL, NULL, oom);
    r->id = get_str(u, a, NULL, NULL, oom);
    r->reason = get_str(u, a, NULL, NULL, oom);
}

static int doc_by_row(const void *a, const void *b)
{
    size_t x = ((const tx_doc *)a)->row, y = ((const tx_doc *)b)->row;

    return x < y ? -1 : x > y;
}

static int reject_by_row(const void *a, const void *b)
{
    size_t x = ((const tx_reject *)a)->row, y = ((const tx_reject *)b)->row;

    return x < y ? -1 : x > y;
}

/* Every rank's rows into the new arrays of `c`, in row order. */
static int unpack(tx_corpus *c, const char *all, const size_t *counts,
                  tx__arena *a, tx_doc **docs, size_t *n_docs,
                  tx_reject **rejects, size_t *n_rejects, size_t sums[4])
{
    size_t R = (size_t)c->ctx->comm.ranks, r, k, nd = 0, nr = 0, off;
    bool oom = false;
    tx__unwire u;

    /* first the sizes, to allocate once */
    for (r = 0, off = 0; r < R; off += counts[r++]) {
        u = (tx__unwire){all + off, all + off + counts[r], TX_OK};
        nd += (size_t)tx__unwire_u64(&u);
        nr += (size_t)tx__unwire_u64(&u);
        if (u.rc != TX_OK)
            return u.rc;
    }
    *docs = tx__malloc(c->ctx, (nd + 1) * sizeof **docs);
    *rejects = tx__malloc(c->ctx, (nr + 1) * sizeof **rejects);
    if (!*docs || !*rejects)
        return TX_ENOMEM;
    nd = nr = 0;
    sums[0] = sums[1] = sums[2] = sums[3] = 0;
    for (r = 0, off = 0; r < R && !oom; off += counts[r++]) {
        size_t md, mr;

        u = (tx__unwire){all + off, all + off + counts[r], TX_OK};
        md = (size_t)tx__unwire_u64(&u);
        mr = (size_t)tx__unwire_u64(&u);
        for (k = 0; k < 4; k++)
            sums[k] += (size_t)tx__unwire_u64(&u);
        for (k = 0; k < md && u.rc == TX_OK && !oom; k++, nd++)
            get_doc(&u, a, nd ? &(*docs)[nd - 1] : NULL, &(*docs)[nd], &oom);
        for (k = 0; k < mr && u.rc == TX_OK && !oom; k++, nr++)
            get_reject(&u, a, &(*rejects)[nr], &oom);
        if (u.rc != TX_OK)
            return u.rc;
    }
    if (oom)
        return TX_ENOMEM;
    /* each rank's rows are in order, and shares of one file follow rank
     * order; across files they interleave, so sort (rows are unique) */
    qsort(*docs, nd, sizeof **docs, doc_by_row);
    qsort(*rejects, nr, sizeof **rejects, reject_by_row);
    *n_docs = nd;
    *n_rejects = nr;
    return TX_OK;
}

int tx_corpus_gather(tx_corpus *c)
{
    tx_ctx *ctx;
    tx__wire w;
    size_t i, *counts, sums[4] = {0, 0, 0, 0}, nd = 0, nr = 0, len;
    char *all = NULL;
    tx_doc *docs = NULL;
    tx_reject *rejects = NULL;
    tx__arena a;
    int rc;

    if (!c)
        return TX_EINVAL;
    ctx = c->ctx;
    if (!tx__comm_many(ctx) || !c->share)
        return TX_OK;
    w = (tx__wire){ctx, NULL, 0, 0, TX_OK};
    tx__wire_u64(&w, c->n_docs);
    tx__wire_u64(&w, c->n_rejects);
    tx__wire_u64(&w, c->n_repaired);
    tx__wire_u64(&w, c->n_html);
    tx__wire_u64(&w, c->n_context);
    tx__wire_u64(&w, c->n_twice);
    for (i = 0; i < c->n_docs; i++)
        put_doc(&w, &c->docs[i]);
    for (i = 0; i < c->n_rejects; i++)
        put_reject(&w, &c->rejects[i]);
    /* a rank out of memory sends nothing but still takes part; the
     * verdict after the exchange fails every rank alike */
    counts = tx__malloc(ctx, (size_t)ctx->comm.ranks * sizeof *counts);
    rc = tx__comm_exchange(ctx, counts ? TX_OK : TX_ENOMEM, &w, &all, &len,
                           counts);
    tx_free(ctx, w.b);
    tx__arena_init(&a, ctx);
    if (rc == TX_OK)
        rc = unpack(c, all, counts, &a, &docs, &nd, &rejects, &nr, sums);
    tx_free(ctx, all);
    tx_free(ctx, counts);
    rc = tx__comm_agree(ctx, rc, NULL);
    if (rc != TX_OK) {
        tx__arena_free(&a);
        tx_free(ctx, docs);
        tx_free(ctx, rejects);
        return rc;
    }
    tx_free(ctx, c->docs);
    tx_free(ctx, c->rejects);
    c->docs = docs;
    c->n_docs = c->cap_docs = nd;
    c->rejects = rejects;
    c->n_rejects = c->cap_rejects = nr;
    c->n_repaired = sums[0];
    c->n_html = sums[1];
    c->n_context = sums[2];
    c->n_twice = sums[3];
    tx__arena_splice(&c->arena, &a);
    c->share = false;
    tx__corpus_changed(c);
    return TX_OK;
}

bool tx__corpus_is_share(const tx_corpus *c)
{
    return c && c->share;
}
