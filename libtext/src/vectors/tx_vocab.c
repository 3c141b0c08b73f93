/*
 * Vocabulary and document-term counts.
 *
 * Documents are split into one contiguous block per thread. Each block
 * tokenizes its documents with its own tokenizer and local hash tables and
 * records each document as (local term, count) pairs. The blocks are then
 * merged into one vocabulary, pruned, and sorted bytewise (scikit-learn's
 * column order), and the count matrix is written with final column ids.
 * Because the final order depends only on the terms, the output is the same
 * for any thread count.
 */
#include "tx_internal.h"
#include "input/tx_input.h"
#include "text/tx_text_private.h"
#include "tx_vectors_private.h"

#include <stdlib.h>
#include <string.h>

struct tx_vocab {
    tx_ctx *ctx;
    tx__strmap terms; /* index == column */
    const char **surface;
    int64_t *df;
    long n_docs;
    size_t pruned;
    tx__arena arena;
};

void tx_vocab_params_init(tx_vocab_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->min_df = 1;
    p->max_df = 1.0;
    p->max_features = 0;
}

/* ---- per-block tokenization ---- */

/* Sequences of local terms a block records while it counts: sequence r is
 * ids[ptr[r] .. ptr[r + 1]) for r < rows. */
struct tape {
    uint32_t *ids;
    size_t n, cap;
    size_t *ptr;
    size_t rows;
};

static int tape_push(tx_ctx *ctx, struct tape *t, uint32_t id)
{
    if (t->n == t->cap &&
        tx__grow(ctx, (void **)&t->ids, &t->cap, t->n + 1, sizeof *t->ids))
        return TX_ENOMEM;
    t->ids[t->n++] = id;
    return TX_OK;
}

static void tape_free(tx_ctx *ctx, struct tape *t)
{
    tx_free(ctx, t->ids);
    tx_free(ctx, t->ptr);
}

struct block {
    tx_ctx *ctx;
    const tx_corpus *corpus;
    const tx_tokenizer_params *tp;
    const tx_vocab *frozen; /* transform: count known terms only */
    size_t d0, d1;
    long cur_doc;
    /* surface -> local term, with occurrence counts */
    tx__strmap surf;
    struct sstat { int64_t count; uint32_t term; } *ss; /* per surface */
    size_t surf_cap;
    /* local terms */
    tx__strmap term;
    /* Counts per term, summed from ids/cnt once the block is done. */
    struct tstat { int64_t df, count; } *ts;
    /* What the hot loop needs per term, kept small to stay in cache: the
     * document that last used it (block-relative + 1; 0 none) and its
     * entry in ids/cnt there. */
    struct tlast { uint32_t doc1, pos; } *last;
    size_t last_cap;
    /* rows: ids/cnt[indptr[d] .. indptr[d+1]) for d in [0, d1 - d0) */
    size_t *indptr;
    uint32_t *ids, *cnt;
    size_t nnz, nnz_cap;
    /* merge results */
    int32_t *final; /* local term -> column, -1 if pruned */
    /* Token sequences of the documents d with d % seq_step == 0, one per
     * sampled document, when asked for (seq_step > 0). */
    size_t seq_step;
    struct tape sample;
    bool seq_on;           /* the current document is sampled */
    /* Ranges whose terms are also counted on their own (NULL: none): range
     * r of the block is sequence r - rg0 of `ranges`. */
    const tx__ranges *rg;
    size_t rg0, rg_at, rg_end; /* first range of the block; the current
                                  document's next range and its end */
    struct tape ranges;
    /* N-grams of a sample of the documents go to a block of their own,
     * whose documents [d0, d1) are positions in the sample (NULL: none). */
    const tx__grams *gr;
    struct block *gb;
    bool gram_on;          /* the current document is in the sample */
    TX__CACHE_LINE_GAP;
};

static void block_free(struct block *b)
{
    tx_ctx *ctx = b->ctx;

    tx__strmap_free(&b->surf);
    tx__strmap_free(&b->term);
    tx_free(ctx, b->ss);
    tx_free(ctx, b->ts);
    tx_free(ctx, b->last);
    tx_free(ctx, b->indptr);
    tx_free(ctx, b->ids);
    tx_free(ctx, b->cnt);
    tx_free(ctx, b->final);
    tape_free(ctx, &b->sample);
    tape_free(ctx, &b->ranges);
}

static int grow_terms(struct block *b, size_t need)
{
    return tx__grow(b->ctx, (void **)&b->last, &b->last_cap, need,
                    sizeof *b->last) ? TX_ENOMEM : TX_OK;
}

/* A token that starts at byte `start` counts for the range it starts in,
 * if any; ranges before it are closed. */
static int add_to_range(struct block *b, uint32_t t, size_t start)
{
    while (b->rg_at < b->rg_end && start >= b->rg->span[b->rg_at].end)
        b->ranges.ptr[++b->rg_at - b->rg0] = b->ranges.n;
    if (b->rg_at == b->rg_end || start < b->rg->span[b->rg_at].start)
        return TX_OK; /* between ranges */
    return tape_push(b->ctx, &b->ranges, t);
}

static int add_to_doc(struct block *b, uint32_t t, size_t start)
{
    struct tlast *st = &b->last[t];
    uint32_t doc1 = (uint32_t)(b->cur_doc - (long)b->d0) + 1;

    if (b->rg_at < b->rg_end && add_to_range(b, t, start) != TX_OK)
        return TX_ENOMEM;

    if (b->seq_on && tape_push(b->ctx, &b->sample, t) != TX_OK)
        return TX_ENOMEM;

    if (st->doc1 == doc1) {
        b->cnt[st->pos]++;
    } else {
        if (b->nnz == b->nnz_cap) {
            size_t c2 = b->nnz_cap;

            if (tx__grow(b->ctx, (void **)&b->ids, &c2, b->nnz + 1,
                         sizeof *b->ids))
                return TX_ENOMEM;
            c2 = b->nnz_cap;
            if (tx__grow(b->ctx, (void **)&b->cnt, &c2, b->nnz + 1,
                         sizeof *b->cnt))
                return TX_ENOMEM;
            b->nnz_cap = c2;
        }
        if (b->nnz >= UINT32_MAX)
            return TX_ERANGE;
        st->doc1 = doc1;
        st->pos = (uint32_t)b->nnz;
        b->ids[b->nnz] = t;
        b->cnt[b->nnz] = 1;
        b->nnz++;
    }
    return TX_OK;
}

static int on_token_fit(void *ud, const tx_token *tok)
{
    struct block *b = ud;
    uint32_t *slot = ((const tx__token_ext *)tok)->slot;
    uint64_t h;
    long s;

    /* The tokenizer's memo holds surface index + 1 for words seen before. */
    if (slot && *slot) {
        struct sstat *ss = &b->ss[*slot - 1];

        ss->count++;
        return add_to_doc(b, ss->term, tok->start);
    }
    if (b->gram_on && ((const tx__token_ext *)tok)->words > 1) {
        /* an n-gram of a sampled document: the sample's, and the
         * documents' too if they count n-grams that long */
        unsigned words = ((const tx__token_ext *)tok)->words;
        int rc = words <= (unsigned)b->gr->ngram_max ? on_token_fit(b->gb, tok)
                                                     : TX_OK;

        if (rc != TX_OK || words > (unsigned)b->tp->ngram_max)
            return rc;
    }
    h = tx__hash(tok->surface, tok->surface_len);
    s = tx__strmap_find(&b->surf, tok->surface, tok->surface_len, h);

    if (s < 0) {
        size_t n0 = b->term.n;
        long t = tx__strmap_add(&b->term, tok->term, tok->term_len,
                                tx__hash(tok->term, tok->term_len));

        if (t < 0 || grow_terms(b, (size_t)t + 1))
            return TX_ENOMEM;
        if (b->term.n > n0) /* a new term, not a new form of a known one */
            b->last[t].doc1 = 0;
        s = tx__strmap_add_new(&b->surf, tok->surface, tok->surface_len, h);
        if (s < 0)
            return TX_ENOMEM;
        if (tx__grow(b->ctx, (void **)&b->ss, &b->surf_cap, (size_t)s + 1,
                     sizeof *b->ss))
            return TX_ENOMEM;
        b->ss[s].term = (uint32_t)t;
        b->ss[s].count = 0;
    }
    if (slot)
        *slot = (uint32_t)s + 1;
    b->ss[s].count++;
    return add_to_doc(b, b->ss[s].term, tok->start);
}

static int on_token_frozen(void *ud, const tx_token *tok)
{
    struct block *b = ud;
    uint32_t *slot = ((const tx__token_ext *)tok)->slot;
    long t;

    /* Memo: column + 1, or UINT32_MAX for a term not in the vocabulary. */
    if (slot && *slot)
        return *slot == UINT32_MAX ? 0
                                    : add_to_doc(b, *slot - 1, tok->start);
    t = tx__strmap_find(&b->frozen->terms, tok->term, tok->term_len,
                        tx__hash(tok->term, tok->term_len));
    if (slot)
        *slot = t < 0 ? UINT32_MAX : (uint32_t)t + 1;
    return t < 0 ? 0 : add_to_doc(b, (uint32_t)t, tok->start);
}

/* Document and term totals of a block, from its rows. */
static int block_totals(struct block *b)
{
    size_t k;

    b->ts = tx__calloc(b->ctx, (b->frozen ? tx_vocab_size(b->frozen)
                                          : b->term.n) + 1,
                       sizeof *b->ts);
    if (!b->ts)
        return TX_ENOMEM;
    for (k = 0; k < b->nnz; k++) {
        b->ts[b->ids[k]].df++;
        b->ts[b->ids[k]].count += b->cnt[k];
    }
    return TX_OK;
}

/* Before document d: whether it is in the n-gram sample, and if so the
 * tokenizer emits n-grams for it, counted as the sample's next row. */
static void gram_doc(struct block *b, tx_tokenizer *tok, size_t d,
                     size_t *at)
{
    struct block *g = b->gb;
    bool on = *at < g->d1 && b->gr->docs[*at] == d;

    if (on != b->gram_on)
        tx__tokenizer_ngram_max(tok, on && b->gr->ngram_max > b->tp->ngram_max
                                         ? b->gr->ngram_max
                                         : b->tp->ngram_max);
    b->gram_on = on;
    if (on) {
        g->cur_doc = (long)*at;
        g->indptr[*at - g->d0] = g->nnz;
        ++*at;
    }
}

static int block_run(void *arg, size_t i)
{
    struct block *b = (struct block *)arg + i;
    tx_tokenizer *tok = NULL;
    size_t d, at = b->gb ? b->gb->d0 : 0;
    int rc;

    b->indptr = tx__malloc(b->ctx, (b->d1 - b->d0 + 1) * sizeof *b->indptr);
    if (!b->indptr)
        return TX_ENOMEM;
    if (b->gb) {
        b->gb->indptr = tx__malloc(b->ctx, (b->gb->d1 - b->gb->d0 + 1) *
                                               sizeof *b->gb->indptr);
        if (!b->gb->indptr)
            return TX_ENOMEM;
    }
    if (b->frozen) {
        /* Column ids are final; the counters are per column. */
        size_t k, n = tx_vocab_size(b->frozen);

        if (grow_terms(b, n ? n : 1))
            return TX_ENOMEM;
        for (k = 0; k < n; k++)
            b->last[k].doc1 = 0;
    }
    if (b->seq_step) {
        size_t first = (b->d0 + b->seq_step - 1) / b->seq_step;
        size_t last = (b->d1 + b->seq_step - 1) / b->seq_step;

        b->sample.ptr = tx__malloc(b->ctx, (last - first + 1) *
                                               sizeof *b->sample.ptr);
        if (!b->sample.ptr)
            return TX_ENOMEM;
    }
    if (b->rg) {
        b->rg0 = b->rg->first[b->d0];
        b->ranges.rows = b->rg->first[b->d1] - b->rg0;
        b->ranges.ptr = tx__malloc(b->ctx, (b->ranges.rows + 1) *
                                               sizeof *b->ranges.ptr);
        if (!b->ranges.ptr)
            return TX_ENOMEM;
        b->ranges.ptr[0] = 0;
    }
    if (b->d1 - b->d0 >= UINT32_MAX)
        return TX_ERANGE; /* documents are numbered in 32 bits (tlast) */
    rc = tx_tokenizer_new(b->ctx, b->tp, &tok);
    for (d = b->d0; d < b->d1 && rc == TX_OK; d++) {
        tx_doc doc;

        tx__corpus_prefetch(b->corpus, d + PREFETCH_AHEAD);
        tx_corpus_doc(b->corpus, d, &doc);
        b->cur_doc = (long)d;
        b->indptr[d - b->d0] = b->nnz;
        b->seq_on = b->seq_step && d % b->seq_step == 0;
        if (b->seq_on)
            b->sample.ptr[b->sample.rows++] = b->sample.n;
        if (b->rg) {
            b->rg_at = b->rg->first[d];
            b->rg_end = b->rg->first[d + 1];
        }
        if (b->gb)
            gram_doc(b, tok, d, &at);
        rc = tx_tokenize(tok, doc.text, doc.len,
                         b->frozen ? on_token_frozen : on_token_fit, b);
        /* the document's ranges after its last token are empty */
        while (b->rg_at < b->rg_end)
            b->ranges.ptr[++b->rg_at - b->rg0] = b->ranges.n;
        /* Block 0 runs on the caller's thread; its share stands for all. */
        if (i == 0 && rc == TX_OK && (d & 4095) == 0)
            rc = tx__progress(b->ctx, "tokenizing", d - b->d0, b->d1 - b->d0);
    }
    b->indptr[b->d1 - b->d0] = b->nnz;
    if (b->seq_step)
        b->sample.ptr[b->sample.rows] = b->sample.n;
    b->seq_on = false;
    b->gram_on = false;
    if (b->gb)
        b->gb->indptr[b->gb->d1 - b->gb->d0] = b->gb->nnz;
    tx_tokenizer_free(tok);
    if (rc == TX_OK)
        rc = block_totals(b);
    if (rc == TX_OK && b->gb)
        rc = block_totals(b->gb);
    return rc;
}


/* ---- blocks between ranks ---- */

static void blocks_free(tx_ctx *ctx, struct block *b, size_t nb)
{
    size_t i;

    for (i = 0; b && i < nb; i++)
        block_free(&b[i]);
    tx_free(ctx, b);
}


static void block_init(struct block *b, tx_ctx *ctx, const tx_corpus *c,
                       const tx_tokenizer_params *tp, const tx_vocab *frozen,
                       const tx__fit_extras *ex)
{
    size_t seq_step = ex ? ex->seq_step : 0;

    b->rg = ex ? ex->ranges : NULL;
    b->gr = ex ? ex->grams : NULL;
    b->ctx = ctx;
    b->corpus = c;
    b->tp = tp;
    b->frozen = frozen;
    b->seq_step = seq_step;
    tx__strmap_init(&b->surf, ctx);
    tx__strmap_init(&b->term, ctx);
}

/* A block's bytes, for the other ranks: its documents, its local surfaces
 * and terms with their counts, its rows and its sample of sequences. */
static void put_map(tx__wire *w, const tx__strmap *m)
{
    size_t k;

    tx__wire_u64(w, m->n);
    for (k = 0; k < m->n; k++) {
        tx__wire_u64(w, m->len[k]);
        tx__wire_put(w, tx__strmap_str(m, k), m->len[k]);
    }
}

static void put_tape(tx__wire *w, const struct tape *t)
{
    tx__wire_u64(w, t->rows);
    tx__wire_u64(w, t->n);
    tx__wire_put(w, t->ptr, (t->rows + 1) * sizeof *t->ptr);
    tx__wire_put(w, t->ids, t->n * sizeof *t->ids);
}

static void put_block(tx__wire *w, const struct block *b);

static void put_block(tx__wire *w, const struct block *b)
{
    size_t k;

    tx__wire_u64(w, b->d0);
    tx__wire_u64(w, b->d1);
    put_map(w, &b->surf);
    tx__wire_put(w, b->ss, b->surf.n * sizeof *b->ss);
    put_map(w, &b->term);
    for (k = 0; k < b->term.n; k++) {
        tx__wire_put(w, &b->ts[k].df, sizeof b->ts[k].df);
        tx__wire_put(w, &b->ts[k].count, sizeof b->ts[k].count);
    }
    tx__wire_put(w, b->indptr, (b->d1 - b->d0 + 1) * sizeof *b->indptr);
    tx__wire_u64(w, b->nnz);
    tx__wire_put(w, b->ids, b->nnz * sizeof *b->ids);
    tx__wire_put(w, b->cnt, b->nnz * sizeof *b->cnt);
    if (b->seq_step)
        put_tape(w, &b->sample);
    if (b->rg)
        put_tape(w, &b->ranges);
    if (b->gb)
        put_block(w, b->gb);
}

/* n elements of `size` from the wire into a new array (never NULL while
 * the reading goes well: an empty one has room for one). */
static void *get_array(tx__unwire *u, tx_ctx *ctx, size_t n, size_t size)
{
    void *a = u->rc == TX_OK ? tx__calloc(ctx, n + 1, size) : NULL;

    if (!a && u->rc == TX_OK)
        u->rc = TX_ENOMEM;
    if (a)
        tx__unwire_get(u, a, n * size);
    return a;
}

static void get_map(tx__unwire *u, tx__strmap *m)
{
    size_t k, n = (size_t)tx__unwire_u64(u);

    for (k = 0; k < n && u->rc == TX_OK; k++) {
        size_t len = (size_t)tx__unwire_u64(u);

        if ((size_t)(u->end - u->p) < len)
            u->rc = TX_ECOMM;
        else if (tx__strmap_add(m, u->p, len, tx__hash(u->p, len)) != (long)k)
            u->rc = TX_ENOMEM;
        else
            u->p += len;
    }
}

static void get_tape(tx__unwire *u, tx_ctx *ctx, struct tape *t)
{
    t->rows = (size_t)tx__unwire_u64(u);
    t->n = (size_t)tx__unwire_u64(u);
    t->ptr = get_array(u, ctx, t->rows + 1, sizeof *t->ptr);
    t->ids = get_array(u, ctx, t->n, sizeof *t->ids);
}

static void get_block(tx__unwire *u, struct block *b);

static void get_block(tx__unwire *u, struct block *b)
{
    size_t k;

    b->d0 = (size_t)tx__unwire_u64(u);
    b->d1 = (size_t)tx__unwire_u64(u);
    if (b->d1 < b->d0 && u->rc == TX_OK)
        u->rc = TX_ECOMM;
    get_map(u, &b->surf);
    b->ss = get_array(u, b->ctx, b->surf.n, sizeof *b->ss);
    get_map(u, &b->term);
    b->ts = tx__calloc(b->ctx, b->term.n + 1, sizeof *b->ts);
    if (!b->ts && u->rc == TX_OK)
        u->rc = TX_ENOMEM;
    for (k = 0; u->rc == TX_OK && k < b->term.n; k++) {
        tx__unwire_get(u, &b->ts[k].df, sizeof b->ts[k].df);
        tx__unwire_get(u, &b->ts[k].count, sizeof b->ts[k].count);
    }
    b->indptr = get_array(u, b->ctx, b->d1 - b->d0 + 1, sizeof *b->indptr);
    b->nnz = (size_t)tx__unwire_u64(u);
    b->ids = get_array(u, b->ctx, b->nnz, sizeof *b->ids);
    b->cnt = get_array(u, b->ctx, b->nnz, sizeof *b->cnt);
    if (b->seq_step)
        get_tape(u, b->ctx, &b->sample);
    if (b->rg) {
        get_tape(u, b->ctx, &b->ranges);
        if (u->rc == TX_OK && b->d1 <= b->rg->n_docs)
            b->rg0 = b->rg->first[b->d0];
        if (u->rc == TX_OK && (b->d1 > b->rg->n_docs ||
                               b->ranges.rows != b->rg->first[b->d1] - b->rg0))
            u->rc = TX_ECOMM;
    }
    if (b->gb) {
        get_block(u, b->gb);
        if (u->rc == TX_OK && (b->gb->d1 > b->gr->n || !b->gb->indptr))
            u->rc = TX_ECOMM;
    }
}

/* Several ranks: each tokenized the blocks of its share of the
 * documents; every rank gets every rank's blocks (with their n-gram
 * blocks), in rank order, so what follows (merging, the vocabulary, the
 * rows) is what one process does with blocks cut elsewhere, which gives
 * the same result. */
static int share_blocks(tx_ctx *ctx, int rc, const tx_corpus *c,
                        const tx_tokenizer_params *tp, const tx_vocab *frozen,
                        const tx__fit_extras *ex, struct block **b,
                        struct block **g, size_t *nb)
{
    tx__wire w = {ctx, NULL, 0, 0, TX_OK};
    tx__unwire u;
    struct block *all = NULL, *gall = NULL;
    char *buf = NULL;
    size_t i, total = 0, cap = 0, gcap = 0, len;
    size_t R = (size_t)ctx->comm.ranks, r;
    bool grams = ex && ex->grams;

    tx__wire_u64(&w, *nb);
    for (i = 0; rc == TX_OK && i < *nb; i++)
        put_block(&w, &(*b)[i]);
    rc = tx__comm_exchange(ctx, rc, &w, &buf, &len, NULL);
    tx_free(ctx, w.b);
    blocks_free(ctx, *b, *nb);
    blocks_free(ctx, *g, *g ? *nb : 0);
    u = (tx__unwire){buf, buf + len, rc};
    /* each rank's bytes: its count of blocks, then the blocks */
    for (r = 0; u.rc == TX_OK && r < R; r++) {
        size_t m = (size_t)tx__unwire_u64(&u), first = total;

        total += m;
        if (u.rc == TX_OK &&
            (tx__grow(ctx, (void **)&all, &cap, total, sizeof *all) ||
             (grams &&
              tx__grow(ctx, (void **)&gall, &gcap, total, sizeof *gall)))) {
            u.rc = TX_ENOMEM;
            total = first;
        }
        for (i = first; u.rc == TX_OK && i < total; i++) {
            memset(&all[i], 0, sizeof all[i]);
            block_init(&all[i], ctx, c, tp, frozen, ex);
            if (grams) {
                memset(&gall[i], 0, sizeof gall[i]);
                block_init(&gall[i], ctx, c, tp, NULL, NULL);
                all[i].gb = &gall[i];
            }
            get_block(&u, &all[i]);
        }
        total = i; /* the blocks begun, to be freed on failure */
    }
    for (i = 0; grams && i < total; i++)
        all[i].gb = &gall[i]; /* the array may have moved since */
    if (u.rc == TX_OK && u.p != u.end)
        u.rc = TX_ECOMM;
    tx_free(ctx, buf);
    *b = all;
    *g = gall;
    *nb = total;
    return tx__comm_agree(ctx, u.rc, NULL);
}

/* The first position of a sorted array holding a value >= x. */
static size_t lower_bound(const size_t *a, size_t n, size_t x)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Tokenizes the corpus in one block per thread (several ranks: each its
 * share of the documents, then all the blocks are shared). With n-grams
 * asked for, `*gout` gets each block's n-gram block. */
static int run_blocks(tx_ctx *ctx, const tx_tokenizer_params *tp,
                      const tx_vocab *frozen, const tx_corpus *c,
                      const tx__fit_extras *ex, struct block **out,
                      struct block **gout, size_t *n_out)
{
    size_t n = tx_corpus_size(c), nb = (size_t)tx_ctx_threads(ctx), i;
    size_t from, to;
    const tx__grams *gr = ex ? ex->grams : NULL;
    struct block *b, *g = NULL;
    int rc;

    tx__comm_items(ctx, n, 1024, &from, &to);
    if (nb > to - from)
        nb = to - from ? to - from : 1;
    b = tx__calloc(ctx, nb, sizeof *b);
    if (b && gr && !(g = tx__calloc(ctx, nb, sizeof *g))) {
        tx_free(ctx, b);
        b = NULL;
    }
    if (!b && !tx__comm_many(ctx))
        return TX_ENOMEM;
    for (i = 0; b && i < nb; i++) {
        block_init(&b[i], ctx, c, tp, frozen, ex);
        b[i].d0 = from + (to - from) * i / nb;
        b[i].d1 = from + (to - from) * (i + 1) / nb;
        if (g) {
            block_init(&g[i], ctx, c, tp, NULL, NULL);
            g[i].d0 = lower_bound(gr->docs, gr->n, b[i].d0);
            g[i].d1 = lower_bound(gr->docs, gr->n, b[i].d1);
            b[i].gb = &g[i];
        }
    }
    tx__comm_solo(ctx, true);
    rc = b ? tx__parallel(ctx, nb, block_run, b) : TX_ENOMEM;
    tx__comm_solo(ctx, false);
    if (!b)
        nb = 0;
    if (tx__comm_many(ctx))
        rc = share_blocks(ctx, rc, c, tp, frozen, ex, &b, &g, &nb);
    *out = b;
    *gout = g;
    *n_out = nb;
    return rc;
}

/* ---- CSR assembly ---- */

struct csr_job {
    struct block *b;
    tx_csr *m;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static int csr_count_rows(void *arg, size_t i)
{
    struct csr_job *j = arg;
    struct block *b = &j->b[i];
    size_t d, k;

    for (d = 0; d < b->d1 - b->d0; d++) {
        int64_t nz = 0;

        for (k = b->indptr[d]; k < b->indptr[d + 1]; k++)
            nz += (b->final ? b->final[b->ids[k]] : (int32_t)b->ids[k]) >= 0;
        j->m->indptr[b->d0 + d + 1] = nz;
    }
    return TX_OK;
}

static int csr_fill_rows(void *arg, size_t i)
{
    struct csr_job *j = arg;
    struct block *b = &j->b[i];
    uint64_t small[256], *tmp;
    size_t d, k, cap = 256;

    tmp = small;
    for (d = 0; d < b->d1 - b->d0; d++) {
        size_t n = 0, o = (size_t)j->m->indptr[b->d0 + d];
        size_t len = b->indptr[d + 1] - b->indptr[d];

        if (len > cap) {
            if (tmp != small)
                tx_free(b->ctx, tmp);
            cap = len;
            tmp = tx__malloc(b->ctx, cap * sizeof *tmp);
            if (!tmp)
                return TX_ENOMEM;
        }
        for (k = b->indptr[d]; k < b->indptr[d + 1]; k++) {
            int32_t col = b->final ? b->final[b->ids[k]] : (int32_t)b->ids[k];

            if (col >= 0)
                tmp[n++] = ((uint64_t)col << 32) | b->cnt[k];
        }
        if (n <= 16) {
            /* Short rows: each entry goes to its rank among the row's
             * (distinct) columns, counted without branches; an insertion
             * sort's unpredictable branches cost more. */
            size_t x, y;

            for (x = 0; x < n; x++) {
                size_t rank = 0;

                for (y = 0; y < n; y++)
                    rank += tmp[y] < tmp[x];
                j->m->indices[o + rank] = (int32_t)(tmp[x] >> 32);
                j->m->data[o + rank] = (float)(uint32_t)tmp[x];
            }
            continue;
        }
        qsort(tmp, n, sizeof *tmp, cmp_u64);
        for (k = 0; k < n; k++) {
            j->m->indices[o + k] = (int32_t)(tmp[k] >> 32);
            j->m->data[o + k] = (float)(uint32_t)tmp[k];
        }
    }
    if (tmp != small)
        tx_free(b->ctx, tmp);
    return TX_OK;
}

/* A matrix libtext makes is a tx__csr_owned, so it can be freed without
 * the caller naming its context. */
struct tx__csr_owned {
    tx_csr m;
    tx_ctx *ctx;
};

tx_csr *tx__csr_new(tx_ctx *ctx)
{
    struct tx__csr_owned *o = tx__calloc(ctx, 1, sizeof *o);

    if (!o)
        return NULL;
    o->ctx = ctx;
    return &o->m;
}

void tx_csr_free(tx_csr *m)
{
    tx_ctx *ctx;

    if (!m)
        return;
    ctx = ((struct tx__csr_owned *)(void *)m)->ctx;
    tx_free(ctx, m->indptr);
    tx_free(ctx, m->indices);
    tx_free(ctx, m->data);
    tx_free(ctx, m);
}

static int build_csr(tx_ctx *ctx, struct block *b, size_t nb, size_t rows,
                     size_t cols, tx_csr **out)
{
    struct csr_job j;
    tx_csr *m = tx__csr_new(ctx);
    size_t r;
    int rc;

    *out = NULL;
    if (!m)
        return TX_ENOMEM;
    m->rows = rows;
    m->cols = cols;
    m->indptr = tx__calloc(ctx, rows + 1, sizeof *m->indptr);
    if (!m->indptr) {
        tx_csr_free(m);
        return TX_ENOMEM;
    }
    j.b = b;
    j.m = m;
    rc = tx__parallel(ctx, nb, csr_count_rows, &j);
    for (r = 0; r < rows; r++)
        m->indptr[r + 1] += m->indptr[r];
    m->nnz = (size_t)m->indptr[rows];
    if (rc == TX_OK) {
        m->indices = tx__malloc(ctx, (m->nnz ? m->nnz : 1) * sizeof(int32_t));
        m->data = tx__malloc(ctx, (m->nnz ? m->nnz : 1) * sizeof(float));
        rc = m->indices && m->data ? TX_OK : TX_ENOMEM;
    }
    if (rc == TX_OK)
        rc = tx__parallel(ctx, nb, csr_fill_rows, &j);
    if (rc != TX_OK) {
        tx_csr_free(m);
        return rc;
    }
    *out = m;
    return TX_OK;
}

/* ---- merging blocks into a vocabulary ---- */

struct merged {
    tx__strmap terms, surfs;
    int64_t *df, *count;
    size_t cap;
    uint32_t *surf_term;
    int64_t *surf_count;
    size_t surf_cap;
};

/* qsort_r comparators over term ids: bytewise by term, or by total count
 * (descending) with the term breaking ties. */
static int cmp_term(const void *a, const void *b, void *map)
{
    return strcmp(tx__strmap_str(map, *(const uint32_t *)a),
                  tx__strmap_str(map, *(const uint32_t *)b));
}

static int cmp_count_desc(const void *a, const void *b, void *arg)
{
    const struct merged *g = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    if (g->count[x] != g->count[y])
        return g->count[x] > g->count[y] ? -1 : 1;
    return strcmp(tx__strmap_str(&g->terms, x), tx__strmap_str(&g->terms, y));
}

static int merge_blocks(tx_ctx *ctx, struct block *b, size_t nb,
                        struct merged *g)
{
    size_t i, k;

    for (i = 0; i < nb; i++) {
        b[i].final = tx__malloc(ctx, (b[i].term.n + 1) * sizeof(int32_t));
        if (!b[i].final)
            return TX_ENOMEM;
        for (k = 0; k < b[i].term.n; k++) {
            long t = tx__strmap_add(&g->terms, tx__strmap_str(&b[i].term, k),
                                    b[i].term.len[k], b[i].term.hash[k]);
            size_t c2 = g->cap;

            if (t < 0)
                return TX_ENOMEM;
            if ((size_t)t >= g->cap) {
                if (tx__grow(ctx, (void **)&g->df, &c2, (size_t)t + 1,
                             sizeof *g->df))
                    return TX_ENOMEM;
                c2 = g->cap;
                if (tx__grow(ctx, (void **)&g->count, &c2, (size_t)t + 1,
                             sizeof *g->count))
                    return TX_ENOMEM;
                memset(g->df + g->cap, 0, (c2 - g->cap) * sizeof *g->df);
                memset(g->count + g->cap, 0, (c2 - g->cap) * sizeof *g->count);
                g->cap = c2;
            }
            g->df[t] += b[i].ts[k].df;
            g->count[t] += b[i].ts[k].count;
            b[i].final[k] = (int32_t)t; /* global id for now */
        }
        for (k = 0; k < b[i].surf.n; k++) {
            long s = tx__strmap_add(&g->surfs, tx__strmap_str(&b[i].surf, k),
                                    b[i].surf.len[k], b[i].surf.hash[k]);
            size_t c2 = g->surf_cap;

            if (s < 0)
                return TX_ENOMEM;
            if ((size_t)s >= g->surf_cap) {
                if (tx__grow(ctx, (void **)&g->surf_term, &c2, (size_t)s + 1,
                             sizeof *g->surf_term))
                    return TX_ENOMEM;
                c2 = g->surf_cap;
                if (tx__grow(ctx, (void **)&g->surf_count, &c2, (size_t)s + 1,
                             sizeof *g->surf_count))
                    return TX_ENOMEM;
                memset(g->surf_count + g->surf_cap, 0,
                       (c2 - g->surf_cap) * sizeof *g->surf_count);
                g->surf_cap = c2;
            }
            g->surf_term[s] = (uint32_t)b[i].final[b[i].ss[k].term];
            g->surf_count[s] += b[i].ss[k].count;
        }
    }
    return TX_OK;
}

static void merged_free(tx_ctx *ctx, struct merged *g)
{
    tx__strmap_free(&g->terms);
    tx__strmap_free(&g->surfs);
    tx_free(ctx, g->df);
    tx_free(ctx, g->count);
    tx_free(ctx, g->surf_term);
    tx_free(ctx, g->surf_count);
}

static tx_vocab *vocab_alloc(tx_ctx *ctx)
{
    tx_vocab *v = tx__calloc(ctx, 1, sizeof *v);

    if (!v)
        return NULL;
    v->ctx = ctx;
    tx__strmap_init(&v->terms, ctx);
    tx__arena_init(&v->arena, ctx);
    return v;
}

/* Builds the pruned, sorted vocabulary from merged counts; fills
 * col_of[global id] with the column or -1. */
static int make_vocab(tx_ctx *ctx, const tx_vocab_params *vp, long n_docs,
                      struct merged *g, int32_t *col_of, tx_vocab **out)
{
    size_t n = g->terms.n, keep = 0, i;
    uint32_t *ord = tx__malloc(ctx, (n + 1) * sizeof *ord);
    int64_t *best = tx__malloc(ctx, (n + 1) * sizeof *best);
    double max_count = vp->max_df * (double)n_docs;
    tx_vocab *v = vocab_alloc(ctx);
    int rc = TX_OK;

    *out = NULL;
    if (!ord || !best || !v) {
        rc = TX_ENOMEM;
        goto fail;
    }
    for (i = 0; i < n; i++) {
        col_of[i] = -1;
        if (g->df[i] >= vp->min_df && (double)g->df[i] <= max_count)
            ord[keep++] = (uint32_t)i;
    }
    if (vp->max_features && keep > vp->max_features) {
        qsort_r(ord, keep, sizeof *ord, cmp_count_desc, g);
        keep = vp->max_features;
    }
    qsort_r(ord, keep, sizeof *ord, cmp_term, &g->terms);
    v->df = tx__malloc(ctx, (keep + 1) * sizeof *v->df);
    v->surface = tx__calloc(ctx, keep + 1, sizeof *v->surface);
    if (!v->df || !v->surface) {
        rc = TX_ENOMEM;
        goto fail;
    }
    for (i = 0; i < keep; i++) {
        uint32_t t = ord[i];

        if (tx__strmap_add(&v->terms, tx__strmap_str(&g->terms, t),
                           g->terms.len[t], g->terms.hash[t]) != (long)i) {
            rc = TX_ENOMEM;
            goto fail;
        }
        v->df[i] = g->df[t];
        col_of[t] = (int32_t)i;
        best[i] = -1;
    }
    /* Most frequent surface of each kept term; ties go to the bytewise
     * smaller form so the choice is reproducible. */
    for (i = 0; i < g->surfs.n; i++) {
        int32_t col = col_of[g->surf_term[i]];
        const char *s = tx__strmap_str(&g->surfs, i);

        if (col < 0)
            continue;
        if (g->surf_count[i] > best[col] ||
            (g->surf_count[i] == best[col] &&
             strcmp(s, v->surface[col]) < 0)) {
            best[col] = g->surf_count[i];
            v->surface[col] = s; /* re-pointed into the arena below */
        }
    }
    for (i = 0; i < keep; i++) {
        const char *s = v->surface[i] ? v->surface[i]
                                      : tx__strmap_str(&v->terms, i);

        v->surface[i] = tx__arena_strndup(&v->arena, s, strlen(s));
        if (!v->surface[i]) {
            rc = TX_ENOMEM;
            goto fail;
        }
    }
    v->n_docs = n_docs;
    v->pruned = n - keep;
    *out = v;
    v = NULL;
fail:
    tx_free(ctx, ord);
    tx_free(ctx, best);
    tx_vocab_free(v);
    return rc;
}

const char *tx_vocab_params_check(const tx_vocab_params *p)
{
    if (!p)
        return NULL;
    if (p->min_df < 1)
        return "min_df must be at least 1";
    if (!(p->max_df > 0.0 && p->max_df <= 1.0))
        return "max_df must be a share in (0, 1]";
    return NULL;
}

/* The blocks' recorded sequences (their samples, or their ranges) in
 * columns, pruned terms dropped, as `rows` sequences in document order. */
static int gather_tapes(tx_ctx *ctx, const struct block *b, size_t nb,
                        bool ranges, size_t rows, size_t step,
                        tx__seqs **out)
{
    size_t i, r, j, at = 0, o = 0, tot = 0;
    tx__seqs *q = tx__calloc(ctx, 1, sizeof *q);

    if (!q)
        return TX_ENOMEM;
    for (i = 0; i < nb; i++)
        tot += ranges ? b[i].ranges.n : b[i].sample.n;
    q->n = rows;
    q->step = step;
    q->ptr = tx__malloc(ctx, (rows + 1) * sizeof *q->ptr);
    q->ids = tx__malloc(ctx, (tot + 1) * sizeof *q->ids);
    if (!q->ptr || !q->ids) {
        tx__seqs_free(ctx, q);
        return TX_ENOMEM;
    }
    for (i = 0; i < nb; i++) {
        const struct tape *t = ranges ? &b[i].ranges : &b[i].sample;

        for (r = 0; r < t->rows && at < rows; r++, at++) {
            q->ptr[at] = o;
            for (j = t->ptr[r]; j < t->ptr[r + 1]; j++) {
                int32_t col = b[i].final[t->ids[j]];

                if (col >= 0)
                    q->ids[o++] = col;
            }
        }
    }
    q->ptr[at] = o;
    *out = q;
    return TX_OK;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

    return (x > y) - (x < y);
}

/* Rows are counted in SEQ_PARTS parts on the threads: each row's ids are
 * sorted and run-length coded where its tokens would sit in a scratch
 * buffer, then the rows are packed. */
#define SEQ_PARTS 16

struct seqs_job {
    const tx__seqs *q;
    const size_t *rows;
    size_t n;
    const size_t *at;   /* row i's scratch: [at[i], at[i + 1]) */
    int32_t *ti;
    float *td;
    size_t *distinct;
    tx_csr *m;
};

static int seqs_code(void *arg, size_t p)
{
    struct seqs_job *j = arg;
    size_t i, k;

    for (i = p * j->n / SEQ_PARTS; i < (p + 1) * j->n / SEQ_PARTS; i++) {
        const tx__seqs *q = j->q;
        size_t len = j->at[i + 1] - j->at[i], d = 0;
        int32_t *t = j->ti + j->at[i];
        float *c = j->td + j->at[i];

        memcpy(t, q->ids + q->ptr[j->rows[i]], len * sizeof *t);
        qsort(t, len, sizeof *t, cmp_i32);
        for (k = 0; k < len; k++) {
            if (d && t[k] == t[d - 1]) {
                c[d - 1] += 1.0f;
                continue;
            }
            t[d] = t[k];
            c[d++] = 1.0f;
        }
        j->distinct[i] = d;
    }
    return TX_OK;
}

static int seqs_pack(void *arg, size_t p)
{
    struct seqs_job *j = arg;
    size_t i;

    for (i = p * j->n / SEQ_PARTS; i < (p + 1) * j->n / SEQ_PARTS; i++) {
        memcpy(j->m->indices + j->m->indptr[i], j->ti + j->at[i],
               j->distinct[i] * sizeof *j->ti);
        memcpy(j->m->data + j->m->indptr[i], j->td + j->at[i],
               j->distinct[i] * sizeof *j->td);
    }
    return TX_OK;
}

int tx__seqs_counts(tx_ctx *ctx, const tx__seqs *q, const size_t *rows,
                    size_t n, size_t cols, tx_csr **out)
{
    struct seqs_job j = {q, rows, n, NULL, NULL, NULL, NULL, tx__csr_new(ctx)};
    size_t *at = tx__malloc(ctx, (n + 1) * sizeof *at), i;
    tx_csr *m = j.m;
    int rc;

    *out = NULL;
    j.distinct = tx__malloc(ctx, (n + 1) * sizeof *j.distinct);
    rc = m && at && j.distinct ? TX_OK : TX_ENOMEM;
    if (rc == TX_OK)
        at[0] = 0;
    for (i = 0; rc == TX_OK && i < n; i++)
        at[i + 1] = at[i] + q->ptr[rows[i] + 1] - q->ptr[rows[i]];
    if (rc == TX_OK) {
        j.at = at;
        j.ti = tx__malloc(ctx, (at[n] + 1) * sizeof *j.ti);
        j.td = tx__malloc(ctx, (at[n] + 1) * sizeof *j.td);
        rc = j.ti && j.td ? tx__parallel(ctx, SEQ_PARTS, seqs_code, &j)
                          : TX_ENOMEM;
    }
    if (rc == TX_OK) {
        m->rows = n;
        m->cols = cols;
        m->indptr = tx__malloc(ctx, (n + 1) * sizeof *m->indptr);
        rc = m->indptr ? TX_OK : TX_ENOMEM;
    }
    if (rc == TX_OK) {
        m->indptr[0] = 0;
        for (i = 0; i < n; i++)
            m->indptr[i + 1] = m->indptr[i] + (int64_t)j.distinct[i];
        m->nnz = (size_t)m->indptr[n];
        m->indices = tx__malloc(ctx, (m->nnz + 1) * sizeof *m->indices);
        m->data = tx__malloc(ctx, (m->nnz + 1) * sizeof *m->data);
        rc = m->indices && m->data
                 ? tx__parallel(ctx, SEQ_PARTS, seqs_pack, &j)
                 : TX_ENOMEM;
    }
    tx_free(ctx, at);
    tx_free(ctx, j.distinct);
    tx_free(ctx, j.ti);
    tx_free(ctx, j.td);
    if (rc != TX_OK) {
        tx_csr_free(m);
        return rc;
    }
    *out = m;
    return TX_OK;
}

void tx__seqs_free(tx_ctx *ctx, tx__seqs *q)
{
    if (!q)
        return;
    tx_free(ctx, q->ptr);
    tx_free(ctx, q->ids);
    tx_free(ctx, q);
}

int tx_vocab_fit(tx_ctx *ctx, const tx_tokenizer_params *tp,
                 const tx_vocab_params *vp, const tx_corpus *c,
                 tx_vocab **vocab, tx_csr **counts)
{
    return tx__vocab_fit_ex(ctx, tp, vp, c, NULL, vocab, counts);
}

/* The vocabulary of blocks b[0, nb) over n_docs documents, and their
 * rows; each block's `final` maps its terms to columns. */
static int vocab_of_blocks(tx_ctx *ctx, const tx_vocab_params *vp,
                           struct block *b, size_t nb, size_t n_docs,
                           tx_vocab **vocab, tx_csr **counts)
{
    struct merged g;
    int32_t *col_of = NULL;
    size_t i, k;
    int rc;

    memset(&g, 0, sizeof g);
    tx__strmap_init(&g.terms, ctx);
    tx__strmap_init(&g.surfs, ctx);
    rc = merge_blocks(ctx, b, nb, &g);
    if (rc == TX_OK) {
        col_of = tx__malloc(ctx, (g.terms.n + 1) * sizeof *col_of);
        rc = col_of ? make_vocab(ctx, vp, (long)n_docs, &g, col_of, vocab)
                    : TX_ENOMEM;
    }
    if (rc == TX_OK) {
        for (i = 0; i < nb; i++)
            for (k = 0; k < b[i].term.n; k++)
                b[i].final[k] = col_of[b[i].final[k]];
        rc = build_csr(ctx, b, nb, n_docs, tx_vocab_size(*vocab), counts);
    }
    tx_free(ctx, col_of);
    merged_free(ctx, &g);
    return rc;
}

int tx__vocab_fit_ex(tx_ctx *ctx, const tx_tokenizer_params *tp,
                     const tx_vocab_params *vp, const tx_corpus *c,
                     tx__fit_extras *ex, tx_vocab **vocab, tx_csr **counts)
{
    tx_vocab_params defv, gv;
    tx_tokenizer_params deft;
    struct block *b = NULL, *gb = NULL;
    size_t nb = 0, n;
    const tx__grams *gr = ex ? ex->grams : NULL;
    int rc;

    if (!ctx || !c || !vocab || !counts || tx__corpus_is_share(c))
        return TX_EINVAL;
    n = tx_corpus_size(c);
    *vocab = NULL;
    *counts = NULL;
    if (ex) {
        ex->seqs = NULL;
        ex->range_seqs = NULL;
        ex->gram_vocab = NULL;
        ex->gram_counts = NULL;
        if ((ex->ranges && ex->ranges->n_docs != n) ||
            (gr && (gr->ngram_max < 2 || gr->ngram_max > 8 ||
                    (gr->n && gr->docs[gr->n - 1] >= n))))
            return TX_EINVAL;
    }
    tx_vocab_params_init(&defv);
    if (tx__params_take(&defv, sizeof defv, vp, vp ? vp->size : 0))
        return TX_EINVAL;
    vp = &defv;
    tx_vocab_params_init(&gv);
    if (gr && tx__params_take(&gv, sizeof gv, gr->vp, gr->vp ? gr->vp->size
                                                             : 0))
        return TX_EINVAL;
    tx_tokenizer_params_init(&deft);
    if (tx__params_take(&deft, sizeof deft, tp, tp ? tp->size : 0))
        return TX_EINVAL;
    tp = &deft;
    if (tx_vocab_params_check(vp) || tx_vocab_params_check(&gv) ||
        tx_tokenizer_params_check(tp))
        return TX_EINVAL;
    rc = run_blocks(ctx, tp, NULL, c, ex, &b, &gb, &nb);
    if (rc == TX_OK)
        rc = vocab_of_blocks(ctx, vp, b, nb, n, vocab, counts);
    if (rc == TX_OK && ex && ex->seq_step)
        rc = gather_tapes(ctx, b, nb, false,
                          (n + ex->seq_step - 1) / ex->seq_step, ex->seq_step,
                          &ex->seqs);
    if (rc == TX_OK && ex && ex->ranges)
        rc = gather_tapes(ctx, b, nb, true, ex->ranges->n, 0,
                          &ex->range_seqs);
    if (rc == TX_OK && gr)
        rc = vocab_of_blocks(ctx, &gv, gb, nb, gr->n, &ex->gram_vocab,
                             &ex->gram_counts);
    if (rc != TX_OK) {
        tx_vocab_free(*vocab);
        *vocab = NULL;
        tx_csr_free(*counts);
        *counts = NULL;
        if (ex) {
            tx__seqs_free(ctx, ex->seqs);
            tx__seqs_free(ctx, ex->range_seqs);
            tx_vocab_free(ex->gram_vocab);
            tx_csr_free(ex->gram_counts);
            ex->seqs = NULL;
            ex->range_seqs = NULL;
            ex->gram_vocab = NULL;
            ex->gram_counts = NULL;
        }
    }
    blocks_free(ctx, b, nb);
    blocks_free(ctx, gb, gb ? nb : 0);
    return rc;
}

int tx_vocab_transform(tx_ctx *ctx, const tx_tokenizer_params *tp,
                       const tx_vocab *vocab, const tx_corpus *c,
                       tx_csr **counts)
{
    tx_tokenizer_params deft;
    struct block *b = NULL, *gb = NULL;
    size_t nb = 0;
    int rc;

    if (!ctx || !vocab || !c || !counts)
        return TX_EINVAL;
    *counts = NULL;
    tx_tokenizer_params_init(&deft);
    if (tx__params_take(&deft, sizeof deft, tp, tp ? tp->size : 0))
        return TX_EINVAL;
    tp = &deft;
    rc = run_blocks(ctx, tp, vocab, c, NULL, &b, &gb, &nb);
    if (rc == TX_OK)
        rc = build_csr(ctx, b, nb, tx_corpus_size(c), tx_vocab_size(vocab),
                       counts);
    blocks_free(ctx, b, nb);
    return rc;
}

int tx_vocab_from_terms(tx_ctx *ctx, const char *const *terms,
                        const int64_t *df, size_t n, long n_docs,
                        tx_vocab **out)
{
    tx__strmap tmp;
    uint32_t *ord = NULL;
    tx_vocab *v = NULL;
    size_t i, m = 0;
    int rc = TX_ENOMEM;

    if (!ctx || !out || (n && !terms))
        return TX_EINVAL;
    *out = NULL;
    tx__strmap_init(&tmp, ctx);
    for (i = 0; i < n; i++)
        if (!terms[i] ||
            tx__strmap_add(&tmp, terms[i], strlen(terms[i]),
                           tx__hash(terms[i], strlen(terms[i]))) < 0) {
            rc = terms[i] ? TX_ENOMEM : TX_EINVAL;
            goto fail;
        }
    ord = tx__malloc(ctx, (tmp.n + 1) * sizeof *ord);
    v = vocab_alloc(ctx);
    if (!ord || !v)
        goto fail;
    for (i = 0; i < tmp.n; i++)
        ord[i] = (uint32_t)i;
    qsort_r(ord, tmp.n, sizeof *ord, cmp_term, &tmp);
    v->df = tx__calloc(ctx, tmp.n + 1, sizeof *v->df);
    v->surface = tx__calloc(ctx, tmp.n + 1, sizeof *v->surface);
    if (!v->df || !v->surface)
        goto fail;
    for (i = 0; i < tmp.n; i++) {
        uint32_t t = ord[i];

        if (tx__strmap_add(&v->terms, tx__strmap_str(&tmp, t), tmp.len[t],
                           tmp.hash[t]) != (long)m)
            goto fail;
        v->surface[m] = tx__strmap_str(&v->terms, m);
        m++;
    }
    /* df given per input position: map through the term. */
    for (i = 0; df && i < n; i++)
        v->df[tx__strmap_find(&v->terms, terms[i], strlen(terms[i]),
                              tx__hash(terms[i], strlen(terms[i])))] = df[i];
    v->n_docs = n_docs;
    *out = v;
    v = NULL;
    rc = TX_OK;
fail:
    tx__strmap_free(&tmp);
    tx_free(ctx, ord);
    tx_vocab_free(v);
    return rc;
}

void tx_vocab_free(tx_vocab *v)
{
    if (!v)
        return;
    tx__strmap_free(&v->terms);
    tx__arena_free(&v->arena);
    tx_free(v->ctx, v->df);
    tx_free(v->ctx, v->surface);
    tx_free(v->ctx, v);
}

size_t tx_vocab_size(const tx_vocab *v) { return v ? v->terms.n : 0; }
long tx_vocab_n_docs(const tx_vocab *v) { return v ? v->n_docs : 0; }
size_t tx_vocab_pruned(const tx_vocab *v) { return v ? v->pruned : 0; }

const char *tx_vocab_term(const tx_vocab *v, size_t id)
{
    return v && id < v->terms.n ? tx__strmap_str(&v->terms, id) : NULL;
}

const char *tx_vocab_surface(const tx_vocab *v, size_t id)
{
    return v && id < v->terms.n ? v->surface[id] : NULL;
}

int64_t tx_vocab_df(const tx_vocab *v, size_t id)
{
    return v && id < v->terms.n ? v->df[id] : 0;
}

long tx_vocab_lookup(const tx_vocab *v, const char *term, size_t len)
{
    if (!v || !term)
        return -1;
    return tx__strmap_find(&v->terms, term, len, tx__hash(term, len));
}

int tx__collect_term_id(void *ud, const tx_token *t)
{
    tx__term_ids *s = ud;
    long id = tx_vocab_lookup(s->v, t->term, t->term_len);

    if (id < 0)
        return 0;
    if (tx__grow(s->ctx, (void **)&s->ids, &s->cap, s->n + 1, sizeof *s->ids))
        return TX_ENOMEM;
    s->ids[s->n++] = (int32_t)id;
    return 0;
}
