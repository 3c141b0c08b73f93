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
        c->n_context = j->context0;
    }
    tx__corpus_changed(c);
    return TX_OK;
}

/* ---- rows as bytes ---- */

struct out {
    tx_ctx *ctx;
    char *b;
    size_t len, cap;
    int rc;
};

static void put(struct out *o, const void *p, size_t n)
{
    if (o->rc != TX_OK)
        return;
    if (tx__grow(o->ctx, (void **)&o->b, &o->cap, o->len + n, 1)) {
        o->rc = TX_ENOMEM;
        return;
    }
    memcpy(o->b + o->len, p, n);
    o->len += n;
}

static void put_u64(struct out *o, uint64_t v) { put(o, &v, sizeof v); }

/* A string with its length; NULL as UINT64_MAX. */
static void put_str(struct out *o, const char *s, size_t n)
{
    put_u64(o, s ? (uint64_t)n : UINT64_MAX);
    if (s)
        put(o, s, n);
}

static void put_cstr(struct out *o, const char *s)
{
    put_str(o, s, s ? strlen(s) : 0);
}

struct in {
    const char *p, *end;
    bool bad;
};

static uint64_t get_u64(struct in *i)
{
    uint64_t v = 0;

    if ((size_t)(i->end - i->p) < sizeof v) {
        i->bad = true;
        return 0;
    }
    memcpy(&v, i->p, sizeof v);
    i->p += sizeof v;
    return v;
}

/* An arena copy of the next string; `last` (the same field of the row
 * before) is shared when equal, as file names and groups mostly are. */
static const char *get_str(struct in *i, tx__arena *a, const char *last,
                           size_t *len, bool *oom)
{
    uint64_t n = get_u64(i);
    const char *s;

    if (len)
        *len = 0;
    if (n == UINT64_MAX || i->bad)
        return NULL;
    if ((uint64_t)(i->end - i->p) < n) {
        i->bad = true;
        return NULL;
    }
    s = i->p;
    i->p += n;
    if (len)
        *len = (size_t)n;
    if (last && strlen(last) == n && memcmp(last, s, n) == 0)
        return last;
    s = tx__arena_strndup(a, s, (size_t)n);
    if (!s)
        *oom = true;
    return s;
}

static void put_doc(struct out *o, const tx_doc *d)
{
    int64_t line = d->line;
    uint64_t outcome;

    memcpy(&outcome, &d->outcome, sizeof outcome);
    put_u64(o, (uint64_t)d->row);
    put(o, &line, sizeof line);
    put_u64(o, outcome);
    put_u64(o, (uint64_t)d->has_outcome);
    put_cstr(o, d->id);
    put_str(o, d->text, d->len);
    put_cstr(o, d->group);
    put_cstr(o, d->stage);
    put_cstr(o, d->time);
    put_cstr(o, d->context);
    put_cstr(o, d->file);
}

static void get_doc(struct in *i, tx__arena *a, const tx_doc *last, tx_doc *d,
                    bool *oom)
{
    uint64_t v;

    memset(d, 0, sizeof *d);
    d->row = (size_t)get_u64(i);
    d->line = (long)(int64_t)get_u64(i);
    v = get_u64(i);
    memcpy(&d->outcome, &v, sizeof v);
    d->has_outcome = (int)get_u64(i);
    d->id = get_str(i, a, NULL, NULL, oom);
    d->text = get_str(i, a, NULL, &d->len, oom);
    d->group = get_str(i, a, last ? last->group : NULL, NULL, oom);
    d->stage = get_str(i, a, last ? last->stage : NULL, NULL, oom);
    d->time = get_str(i, a, NULL, NULL, oom);
    d->context = get_str(i, a, NULL, NULL, oom);
    d->file = get_str(i, a, last ? last->file : NULL, NULL, oom);
}

static void put_reject(struct out *o, const tx_reject *r)
{
    int64_t line = r->line;

    put_u64(o, (uint64_t)r->row);
    put(o, &line, sizeof line);
    put_cstr(o, r->file);
    put_cstr(o, r->id);
    put_cstr(o, r->reason);
}

static void get_reject(struct in *i, tx__arena *a, tx_reject *r, bool *oom)
{
    r->row = (size_t)get_u64(i);
    r->line = (long)(int64_t)get_u64(i);
    r->file = get_str(i, a, NULL, NULL, oom);
    r->id = get_str(i, a, NULL, NULL, oom);
    r->reason = get_str(i, a, NULL, NULL, oom);
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
                  tx_reject **rejects, size_t *n_rejects, size_t sums[3])
{
    size_t R = (size_t)c->ctx->comm.ranks, r, k, nd = 0, nr = 0, off = 0;
    bool oom = false;
    struct in in;

    /* first the sizes, to allocate once */
    for (r = 0; r < R; r++) {
        in.p = all + off;
        in.end = in.p + counts[r];
        in.bad = false;
        nd += (size_t)get_u64(&in);
        nr += (size_t)get_u64(&in);
        off += counts[r];
        if (in.bad)
            return TX_ECOMM;
    }
    *docs = tx__malloc(c->ctx, (nd + 1) * sizeof **docs);
    *rejects = tx__malloc(c->ctx, (nr + 1) * sizeof **rejects);
    if (!*docs || !*rejects)
        return TX_ENOMEM;
    nd = nr = off = 0;
    sums[0] = sums[1] = sums[2] = 0;
    for (r = 0; r < R && !oom; r++) {
        size_t md, mr;

        in.p = all + off;
        in.end = in.p + counts[r];
        in.bad = false;
        md = (size_t)get_u64(&in);
        mr = (size_t)get_u64(&in);
        sums[0] += (size_t)get_u64(&in);
        sums[1] += (size_t)get_u64(&in);
        sums[2] += (size_t)get_u64(&in);
        for (k = 0; k < md && !in.bad && !oom; k++, nd++)
            get_doc(&in, a, nd ? &(*docs)[nd - 1] : NULL, &(*docs)[nd], &oom);
        for (k = 0; k < mr && !in.bad && !oom; k++, nr++)
            get_reject(&in, a, &(*rejects)[nr], &oom);
        if (in.bad)
            return TX_ECOMM;
        off += counts[r];
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
    struct out o;
    size_t i, *counts = NULL, sums[3] = {0, 0, 0}, nd = 0, nr = 0;
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
    memset(&o, 0, sizeof o);
    o.ctx = ctx;
    put_u64(&o, c->n_docs);
    put_u64(&o, c->n_rejects);
    put_u64(&o, c->n_repaired);
    put_u64(&o, c->n_html);
    put_u64(&o, c->n_context);
    for (i = 0; i < c->n_docs; i++)
        put_doc(&o, &c->docs[i]);
    for (i = 0; i < c->n_rejects; i++)
        put_reject(&o, &c->rejects[i]);
    counts = tx__malloc(ctx, (size_t)ctx->comm.ranks * sizeof *counts);
    /* a rank out of memory sends nothing but still takes part; the
     * verdict after the exchange fails every rank alike */
    rc = o.rc == TX_OK && counts ? TX_OK : TX_ENOMEM;
    {
        int x = tx__comm_allgather(ctx, rc == TX_OK ? o.b : NULL,
                                   rc == TX_OK ? o.len : 0, &all,
                                   counts ? counts : NULL);
        if (rc == TX_OK)
            rc = x;
    }
    tx_free(ctx, o.b);
    tx__arena_init(&a, ctx);
    if (rc == TX_OK && counts)
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
    tx__arena_splice(&c->arena, &a);
    c->share = false;
    tx__corpus_changed(c);
    return TX_OK;
}

bool tx__corpus_is_share(const tx_corpus *c)
{
    return c && c->share;
}
