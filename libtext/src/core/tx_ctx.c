/* Context, allocator, errors and small shared utilities. */
#include "tx_internal.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Large arrays (document vectors, counts, products) are asked to be
 * backed by huge pages where the system offers them on request
 * (transparent huge pages in "madvise" mode): one fault then maps 2 MB
 * instead of 4 KB, and where first touching a page is dear (virtual
 * machines) that was a third of the time on 1M rows. The pages are the
 * same memory; nothing else changes. */
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HUGE_MIN ((size_t)4 << 20)

static void *advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (p && n >= HUGE_MIN) {
        uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t b = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

        if (b > a) /* advice only: a refusal changes nothing */
            (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
    }
#else
    (void)n;
#endif
    return p;
}

static void *libc_malloc(void *ud, size_t n)
{
    (void)ud;
    return advise_huge(malloc(n), n);
}

static void *libc_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return advise_huge(realloc(p, n), n);
}

static void libc_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

const char *tx_version(void)
{
    return TX_VERSION_STRING;
}

const char *tx_strerror(int rc)
{
    switch (rc) {
    case TX_OK: return "success";
    case TX_ENOMEM: return "out of memory";
    case TX_EINVAL: return "invalid argument";
    case TX_EIO: return "input/output error";
    case TX_EFORMAT: return "input is not in the expected format";
    case TX_EUTF8: return "invalid UTF-8";
    case TX_ERANGE: return "buffer too small";
    case TX_EBLAS: return "BLAS/LAPACK routine failed";
    case TX_EHDF5: return "HDF5 error";
    case TX_ETOOLITTLE: return "too little text";
    case TX_ECOMM: return "the processes of the run could not exchange data";
    default: return rc > 0 ? "stopped by callback" : "unknown error";
    }
}

int tx_ctx_new(const tx_alloc *a, tx_ctx **out)
{
    tx_alloc al = {libc_malloc, libc_realloc, libc_free, NULL};
    tx_ctx *ctx;

    if (!out)
        return TX_EINVAL;
    *out = NULL;
    if (a) {
        if (!a->malloc || !a->realloc || !a->free)
            return TX_EINVAL;
        al = *a;
    }
    ctx = al.malloc(al.ud, sizeof *ctx);
    if (!ctx)
        return TX_ENOMEM;
    ctx->alloc = al;
    ctx->threads = 1;
    ctx->seed = 42;
    ctx->progress = NULL;
    ctx->progress_ud = NULL;
    memset(&ctx->comm, 0, sizeof ctx->comm);
    ctx->comm.ranks = 1;
    ctx->solo = 0;
    *out = ctx;
    return TX_OK;
}

void tx_ctx_free(tx_ctx *ctx)
{
    if (ctx)
        ctx->alloc.free(ctx->alloc.ud, ctx);
}

int tx_ctx_set_threads(tx_ctx *ctx, int threads)
{
    if (!ctx || threads < 1 || threads > 256)
        return TX_EINVAL;
    ctx->threads = threads;
    return TX_OK;
}

int tx_ctx_threads(const tx_ctx *ctx)
{
    return ctx ? ctx->threads : 1;
}

void tx_ctx_set_seed(tx_ctx *ctx, uint64_t seed)
{
    if (ctx)
        ctx->seed = seed;
}

void tx_ctx_set_progress(tx_ctx *ctx, tx_progress_fn fn, void *ud)
{
    if (ctx) {
        ctx->progress = fn;
        ctx->progress_ud = ud;
    }
}

uint64_t tx_ctx_seed(const tx_ctx *ctx)
{
    return ctx ? ctx->seed : 0;
}

void *tx__malloc(tx_ctx *ctx, size_t n)
{
    return ctx->alloc.malloc(ctx->alloc.ud, n ? n : 1);
}

void *tx__calloc(tx_ctx *ctx, size_t count, size_t size)
{
    void *p;

    if (size && count > SIZE_MAX / size)
        return NULL;
    p = tx__malloc(ctx, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *tx__realloc(tx_ctx *ctx, void *p, size_t n)
{
    return ctx->alloc.realloc(ctx->alloc.ud, p, n ? n : 1);
}

void tx__give_back_memory(tx_ctx *ctx)
{
#ifdef __GLIBC__
    if (ctx->alloc.malloc == libc_malloc)
        malloc_trim(0);
#else
    (void)ctx;
#endif
}

void tx_free(tx_ctx *ctx, void *p)
{
    if (ctx && p)
        ctx->alloc.free(ctx->alloc.ud, p);
}

int tx__grow(tx_ctx *ctx, void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return TX_OK;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            return TX_ENOMEM;
        n *= 2;
    }
    q = tx__realloc(ctx, *p, n * size);
    if (!q)
        return TX_ENOMEM;
    *p = q;
    *cap = n;
    return TX_OK;
}

char *tx__strndup(tx_ctx *ctx, const char *s, size_t n)
{
    char *d = tx__malloc(ctx, n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *tx__strdup(tx_ctx *ctx, const char *s)
{
    return s ? tx__strndup(ctx, s, strlen(s)) : NULL;
}

void tx__diag_set(tx_diag *d, const char *file, long line, const char *fmt,
                  ...)
{
    va_list ap;

    if (!d)
        return;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

struct range_job {
    tx__task_fn fn;
    void *arg;
    size_t from;
};

static int range_task(void *arg, size_t i)
{
    struct range_job *j = arg;

    return j->fn(j->arg, j->from + i);
}

int tx__parallel_range(tx_ctx *ctx, size_t from, size_t to, tx__task_fn fn,
                       void *arg)
{
    struct range_job j = {fn, arg, from};

    return tx__parallel(ctx, to > from ? to - from : 0, range_task, &j);
}

/* ---- arena ---- */

struct tx__arena_block {
    struct tx__arena_block *next;
    size_t used, cap;
    char data[];
};

void tx__arena_init(tx__arena *a, tx_ctx *ctx)
{
    a->ctx = ctx;
    a->head = NULL;
}

char *tx__arena_strndup(tx__arena *a, const char *s, size_t n)
{
    struct tx__arena_block *b = a->head;
    char *d;

    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);

        b = tx__malloc(a->ctx, sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    d = b->data + b->used;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    b->used += n + 1;
    return d;
}

void tx__arena_splice(tx__arena *dst, tx__arena *src)
{
    struct tx__arena_block *b = src->head;

    if (!b)
        return;
    while (b->next)
        b = b->next;
    /* Keep dst's current block first so it goes on filling. */
    if (dst->head) {
        b->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
    }
    src->head = NULL;
}

void tx__arena_free(tx__arena *a)
{
    struct tx__arena_block *b = a->head, *next;

    while (b) {
        next = b->next;
        tx_free(a->ctx, b);
        b = next;
    }
    a->head = NULL;
}

/* ---- threads ---- */

struct worker {
    tx__task_fn fn;
    void *arg;
    size_t n, stride, first;
    int rc;
    /* tx__parallel_dynamic: the next task to take, shared by the workers,
     * and whether one failed (the others then stop too) */
    atomic_size_t *next;
    atomic_int *failed;
};

static void *worker_main(void *p)
{
    struct worker *w = p;
    size_t i;

    if (w->next) {
        while (w->rc == TX_OK && !atomic_load(w->failed) &&
               (i = atomic_fetch_add(w->next, 1)) < w->n)
            if ((w->rc = w->fn(w->arg, i)) != TX_OK)
                atomic_store(w->failed, 1);
        return NULL;
    }
    for (i = w->first; i < w->n && w->rc == TX_OK; i += w->stride)
        w->rc = w->fn(w->arg, i);
    return NULL;
}

static int run_workers(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg,
                       bool dynamic);

int tx__parallel(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg)
{
    return run_workers(ctx, n, fn, arg, false);
}

int tx__parallel_dynamic(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg)
{
    return run_workers(ctx, n, fn, arg, true);
}

struct side_job {
    tx__ctx_task_fn fn;
    void *arg;
    tx_ctx *ctxs;
};

static int side_task(void *arg, size_t i)
{
    struct side_job *j = arg;

    return j->fn(j->arg, &j->ctxs[i], i);
}

int tx__side_by_side(tx_ctx *ctx, size_t n, tx__ctx_task_fn fn, void *arg,
                     tx_ctx *ctxs)
{
    struct side_job j = {fn, arg, ctxs};
    size_t i;
    int rc = TX_OK;

    if (tx__comm_many(ctx)) {
        for (i = 0; rc == TX_OK && i < n; i++)
            rc = fn(arg, ctx, i);
        return rc;
    }
    for (i = 0; i < n; i++) {
        ctxs[i] = *ctx;
        ctxs[i].threads = 1;
        ctxs[i].progress = NULL;
        ctxs[i].solo = 1;
    }
    return tx__parallel_dynamic(ctx, n, side_task, &j);
}

static int run_workers(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg,
                       bool dynamic)
{
    atomic_size_t next = 0;
    atomic_int failed = 0;
    struct worker w[256];
    pthread_t tid[256];
    int started[256];
    size_t t, nt = (size_t)ctx->threads;
    int rc = TX_OK;

    if (nt > n)
        nt = n;
    if (nt <= 1) {
        size_t i;

        for (i = 0; i < n && rc == TX_OK; i++)
            rc = fn(arg, i);
        return rc;
    }
    for (t = 0; t < nt; t++) {
        w[t] = (struct worker){fn, arg, n, nt, t, TX_OK,
                               dynamic ? &next : NULL, &failed};
        started[t] = t > 0 && pthread_create(&tid[t], NULL, worker_main,
                                             &w[t]) == 0;
        /* a thread that did not start leaves its tasks undone, unless
         * the others take them (dynamic) */
        if (t > 0 && !started[t] && !dynamic)
            w[t].rc = TX_ENOMEM;
    }
    worker_main(&w[0]);
    for (t = 1; t < nt; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    for (t = 0; t < nt; t++)
        if (w[t].rc != TX_OK && rc == TX_OK)
            rc = w[t].rc;
    return rc;
}
