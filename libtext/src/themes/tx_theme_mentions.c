/*
 * Mentions: the themes a document's segments speak of. A review that
 * praises the battery and curses the keyboard mentions two themes, though
 * its primary theme (the whole text's nearest) is one.
 *
 * A document is cut into sentences, sentences into clauses, and clauses
 * at commas and " and " (lists name one topic each: "great food, slow
 * service"); the cutting comes before the terms are counted, so a piece's
 * terms are the document's own tokens that start in it (tx_vocab.c). Each
 * piece is embedded as documents are and placed at its nearest theme. A
 * piece speaks for a theme of its own only when it is strong: at least
 * MIN_TERMS known terms and close enough to that theme's centre (NEAR
 * times the theme's median document's cosine). Other pieces
 * ("I called them again") belong to the document's primary theme.
 * Neighbouring pieces with the same theme and sub-theme make one segment,
 * so a segment is a run of text on one topic and a sentence is split only
 * where it joins two. A text of one piece, or whose pieces all fall in one
 * run, is one segment with the document's own theme, sub-theme and score:
 * short texts are themed exactly as before.
 */
#include "tx_themes_private.h"
#include "input/tx_input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A piece adds a theme of its own only with at least MIN_TERMS known
 * terms and a cosine to the theme's centre of at least NEAR times the
 * theme's median document's. Chosen on the dev halves of the SemEval-2014
 * and MAMS restaurant sentences (bench/README.md): NEAR 1.0 gave 29% of
 * multi-aspect sentences a second theme, 0.7 gave 53%, 0.5 62% and 0.3
 * 67%, while one-aspect sentences given two themes rose from 18% (0.7) to
 * 27% (0.5) and 32% (0.3); 0.5 keeps generic clauses ("I called them
 * again") from scattering over themes. */
#define MIN_TERMS 2
#define NEAR 0.5f

struct unit {
    size_t doc, sentence, start, end;
};

struct units {
    struct unit *u;
    size_t n, cap;
};

static int push_unit(tx_ctx *ctx, struct units *us, struct unit u)
{
    if (us->n == us->cap) {
        size_t cap = us->cap ? 2 * us->cap : 1024;
        struct unit *p = tx__realloc(ctx, us->u, cap * sizeof *p);

        if (!p)
            return TX_ENOMEM;
        us->u = p;
        us->cap = cap;
    }
    us->u[us->n++] = u;
    return TX_OK;
}

/* Spans of one segmenter call, in a buffer that grows as needed. */
struct spans {
    tx_span *s;
    size_t n, cap;
};

/* The sentences of the document (s == NULL) or the clauses of sentence
 * *s, grown into sp until they fit. */
static int segment(tx_ctx *ctx, const tx_doc *d, const tx_span *s,
                   struct spans *sp)
{
    int rc;

    for (;;) {
        tx_span *p;

        rc = s ? tx_segment_clauses(d->text, *s, sp->s, sp->cap, &sp->n)
               : tx_segment_sentences(d->text, d->len, sp->s, sp->cap,
                                      &sp->n);
        if (rc != TX_ERANGE)
            return rc;
        if (!(p = tx__realloc(ctx, sp->s, sp->n * sizeof *p)))
            return TX_ENOMEM;
        sp->s = p;
        sp->cap = sp->n;
    }
}

/* A clause cut further at commas and at " and ": lists of things ("great
 * food, slow service", "the food was great and the staff rude") name one
 * topic each. Pieces that turn out to share a theme are joined again. */
static int push_pieces(tx_ctx *ctx, struct units *us, const tx_doc *d,
                       size_t doc, size_t sentence, tx_span c)
{
    size_t a = c.start, i;
    int rc = TX_OK;

    for (i = c.start; rc == TX_OK && i < c.end; i++) {
        size_t cut = 0, next = 0;

        if (d->text[i] == ',' && i + 1 < c.end && d->text[i + 1] == ' ')
            cut = i, next = i + 2;
        else if (d->text[i] == ' ' && i + 5 < c.end &&
                 strncmp(d->text + i, " and ", 5) == 0)
            cut = i, next = i + 1;
        if (!next || cut <= a)
            continue;
        rc = push_unit(ctx, us, (struct unit){doc, sentence, a, cut});
        a = next;
    }
    if (rc == TX_OK && a < c.end)
        rc = push_unit(ctx, us, (struct unit){doc, sentence, a, c.end});
    return rc;
}

/* The pieces of documents [a, b) of c that have more than one, into
 * `us`. */
static int cut_range(tx_ctx *ctx, const tx_corpus *c, size_t a, size_t b,
                     struct units *us)
{
    struct spans ss = {0}, cs = {0};
    size_t i, s, j, before;
    int rc = TX_OK;

    ss.cap = cs.cap = 16;
    ss.s = tx__malloc(ctx, ss.cap * sizeof *ss.s);
    cs.s = tx__malloc(ctx, cs.cap * sizeof *cs.s);
    if (!ss.s || !cs.s)
        rc = TX_ENOMEM;
    for (i = a; rc == TX_OK && i < b; i++) {
        tx_doc d;

        tx__corpus_prefetch(c, i + PREFETCH_AHEAD);
        tx_corpus_doc(c, i, &d);
        before = us->n;
        rc = segment(ctx, &d, NULL, &ss);
        for (s = 0; rc == TX_OK && s < ss.n; s++) {
            rc = segment(ctx, &d, &ss.s[s], &cs);
            for (j = 0; rc == TX_OK && j < cs.n; j++)
                rc = push_pieces(ctx, us, &d, i, s, cs.s[j]);
        }
        if (rc == TX_OK && us->n - before < 2)
            us->n = before; /* one piece: nothing to cut */
    }
    tx_free(ctx, ss.s);
    tx_free(ctx, cs.s);
    return rc;
}

/* The documents are cut in CUT_PARTS ranges on the context's threads and
 * the pieces joined in document order, so the result does not depend on
 * the thread count. */
#define CUT_PARTS 64

struct cut_job {
    tx_ctx *ctx;
    const tx_corpus *c;
    struct units part[CUT_PARTS];
};

static int cut_part(void *arg, size_t p)
{
    struct cut_job *job = arg;
    size_t n = tx_corpus_size(job->c);

    return cut_range(job->ctx, job->c, p * n / CUT_PARTS,
                     (p + 1) * n / CUT_PARTS, &job->part[p]);
}

/* Several ranks: each cut the parts of its share; every rank gets every
 * part's pieces. */
static int share_parts(tx_ctx *ctx, int rc, struct cut_job *job)
{
    size_t R = (size_t)ctx->comm.ranks, r, p, p0, p1, len;
    tx__wire w = {ctx, NULL, 0, 0, TX_OK};
    tx__unwire u;
    char *all = NULL;

    tx__comm_share(CUT_PARTS, ctx->comm.rank, ctx->comm.ranks, &p0, &p1);
    for (p = p0; rc == TX_OK && p < p1; p++) {
        tx__wire_u64(&w, job->part[p].n);
        tx__wire_put(&w, job->part[p].u,
                     job->part[p].n * sizeof(struct unit));
    }
    rc = tx__comm_exchange(ctx, rc, &w, &all, &len, NULL);
    tx_free(ctx, w.b);
    u = (tx__unwire){all, all + len, rc};
    for (r = 0; u.rc == TX_OK && r < R; r++) {
        bool own = r == (size_t)ctx->comm.rank;

        tx__comm_share(CUT_PARTS, (int)r, (int)R, &p0, &p1);
        for (p = p0; u.rc == TX_OK && p < p1; p++) {
            size_t m = (size_t)tx__unwire_u64(&u);

            if (!own && m) {
                job->part[p].u = tx__malloc(ctx, m * sizeof(struct unit));
                if (!job->part[p].u) {
                    u.rc = TX_ENOMEM;
                    break;
                }
                job->part[p].n = job->part[p].cap = m;
            }
            tx__unwire_get(&u, own ? NULL : job->part[p].u,
                           m * sizeof(struct unit));
        }
    }
    tx_free(ctx, all);
    return tx__comm_agree(ctx, u.rc, NULL);
}

static int cut_documents(tx_ctx *ctx, const tx_corpus *c, struct units *us)
{
    struct cut_job *job = tx__calloc(ctx, 1, sizeof *job);
    size_t p, total = 0;
    int rc = job ? TX_OK : TX_ENOMEM;

    size_t p0 = 0, p1 = CUT_PARTS;

    /* several ranks: each cuts the documents of its share of the parts */
    if (tx__comm_many(ctx))
        tx__comm_share(CUT_PARTS, ctx->comm.rank, ctx->comm.ranks, &p0, &p1);
    if (rc == TX_OK) {
        job->ctx = ctx;
        job->c = c;
        tx__comm_solo(ctx, true);
        rc = tx__parallel_range(ctx, p0, p1, cut_part, job);
        tx__comm_solo(ctx, false);
    }
    if (tx__comm_many(ctx)) /* every rank takes part, failed or not */
        rc = share_parts(ctx, rc, job);
    for (p = 0; rc == TX_OK && p < CUT_PARTS; p++)
        total += job->part[p].n;
    if (rc == TX_OK && total) {
        us->u = tx__malloc(ctx, total * sizeof *us->u);
        rc = us->u ? TX_OK : TX_ENOMEM;
    }
    for (p = 0; rc == TX_OK && p < CUT_PARTS; p++) {
        if (!job->part[p].n)
            continue; /* its buffer may never have been made */
        memcpy(us->u + us->n, job->part[p].u,
               job->part[p].n * sizeof *us->u);
        us->n += job->part[p].n;
    }
    us->cap = us->n;
    for (p = 0; job && p < CUT_PARTS; p++)
        tx_free(ctx, job->part[p].u);
    tx_free(ctx, job);
    return rc;
}

int tx__theme_cut(tx_ctx *ctx, const tx_corpus *c, struct tx__pieces *out)
{
    struct units us = {0};
    size_t n = tx_corpus_size(c), i;
    int rc;

    memset(out, 0, sizeof *out);
    if (n > UINT32_MAX)
        return TX_ERANGE; /* documents are numbered in 32 bits */
    rc = cut_documents(ctx, c, &us);
    if (rc == TX_OK) {
        out->n = us.n;
        out->span = tx__malloc(ctx, (us.n + 1) * sizeof *out->span);
        out->doc = tx__malloc(ctx, (us.n + 1) * sizeof *out->doc);
        rc = out->span && out->doc ? TX_OK : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < us.n; i++) {
        out->span[i] = (tx_span){us.u[i].start, us.u[i].end};
        out->doc[i] = (uint32_t)us.u[i].doc;
    }
    tx_free(ctx, us.u);
    if (rc != TX_OK)
        tx__pieces_free(ctx, out);
    return rc;
}

size_t *tx__pieces_first(tx_ctx *ctx, const struct tx__pieces *pc,
                         size_t n_docs)
{
    size_t *first = tx__malloc(ctx, (n_docs + 1) * sizeof *first), i, d = 0;

    for (i = 0; first && i <= n_docs; i++) {
        while (d < pc->n && pc->doc[d] < i)
            d++;
        first[i] = d;
    }
    return first;
}

void tx__pieces_free(tx_ctx *ctx, struct tx__pieces *pc)
{
    tx_free(ctx, pc->span);
    tx_free(ctx, pc->doc);
    tx__seqs_free(ctx, pc->terms);
    memset(pc, 0, sizeof *pc);
}

/* The value a sort of v[0..n) would put at v[r] (r < n), by quickselect. */
static float order_stat(float *v, size_t n, size_t r)
{
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {
        float pv = v[lo + (hi - lo) / 2], t;
        size_t i = lo, j = hi;

        while (i <= j) { /* Hoare: [lo, j] <= pv <= [i, hi] */
            while (v[i] < pv)
                i++;
            while (v[j] > pv)
                j--;
            if (i <= j) {
                t = v[i], v[i] = v[j], v[j] = t;
                i++;
                if (j-- == 0)
                    break;
            }
        }
        if (r <= j && j != (size_t)-1)
            hi = j;
        else if (r >= i)
            lo = i;
        else
            return v[r];
    }
    return v[r];
}

/* Each theme's median cosine of its documents to its centre: how close a
 * clause must be to speak for the theme. The scores are grouped by theme
 * in one pass, and each group's middle value found without a sort. */
static int theme_medians(tx_ctx *ctx, const tx_themes *th, float *med)
{
    size_t t, i, *at = tx__calloc(ctx, th->k + 2, sizeof *at);
    float *v = tx__malloc(ctx, (th->n_docs + 1) * sizeof *v);

    if (!v || !at) {
        tx_free(ctx, v);
        tx_free(ctx, at);
        return TX_ENOMEM;
    }
    for (i = 0; i < th->n_docs; i++)
        if (th->doc_theme[i] >= 0)
            at[th->doc_theme[i] + 2]++;
    for (t = 0; t < th->k; t++)
        at[t + 2] += at[t + 1];
    for (i = 0; i < th->n_docs; i++) /* at[t + 1]: theme t's next slot */
        if (th->doc_theme[i] >= 0)
            v[at[th->doc_theme[i] + 1]++] = th->doc_score[i];
    for (t = 0; t < th->k; t++) { /* theme t: v[at[t], at[t + 1]) */
        size_t m = at[t + 1] - at[t];

        med[t] = m ? order_stat(v + at[t], m, m / 2) : INFINITY;
    }
    tx_free(ctx, v);
    tx_free(ctx, at);
    return TX_OK;
}

static float cosine(const float *a, const float *b, size_t n)
{
    double ab = 0.0, aa = 0.0, bb = 0.0;
    size_t j;

    for (j = 0; j < n; j++) {
        ab += (double)a[j] * b[j];
        aa += (double)a[j] * a[j];
        bb += (double)b[j] * b[j];
    }
    return aa > 0 && bb > 0 ? (float)(ab / sqrt(aa * bb)) : 0.0f;
}

/* Pieces are placed in blocks of this many, so the pieces' text, counts and
 * vectors are held for one block at a time, not for the whole corpus. */
#define BLOCK 65536

/* Theme, sub-theme and score of the pieces sel[a, b) of pc, of documents
 * doc[a, b) (a piece without terms goes to the primary theme); `vectors`
 * (BLOCK rows) takes the pieces' vectors. */
static int place_block(tx_ctx *ctx, const tx_themes *th, const float *med,
                       const struct tx__pieces *pc, const size_t *sel,
                       const size_t *doc, size_t a, size_t b, int32_t *theme,
                       int32_t *sub, float *score, tx_mat *vectors)
{
    tx_csr *counts = NULL;
    size_t i, n = b - a;
    tx_mat xv = {n, vectors->cols, vectors->ld, vectors->data}, *x = &xv;
    int rc;

    rc = tx__seqs_counts(ctx, pc->terms, sel + a, n,
                         tx_vocab_size(th->vocab), &counts);
    if (rc == TX_OK)
        rc = tx__theme_embed_into(ctx, th, counts, x);
    if (rc == TX_OK)
        rc = tx_kmeans_assign(ctx, th->cent, th->p.kmeans.spherical, x,
                              theme + a, score + a);
    for (i = 0; rc == TX_OK && i < n; i++) {
        int32_t p = th->doc_theme[doc[a + i]];
        double terms = 0.0;
        int64_t e;

        for (e = counts->indptr[i]; e < counts->indptr[i + 1]; e++)
            terms += counts->data[e];
        if (terms < MIN_TERMS || score[a + i] < NEAR * med[theme[a + i]]) {
            theme[a + i] = p;
            score[a + i] = cosine(x->data + i * x->ld,
                                  th->cent->data + (size_t)p * th->cent->ld,
                                  x->cols);
        }
    }
    if (rc == TX_OK && th->n_sub)
        rc = tx__theme_assign_sub(ctx, th, x, theme + a, sub + a, NULL);
    else
        for (i = a; i < b; i++)
            sub[i] = -1;
    tx_csr_free(counts);
    return rc;
}

/* Theme, sub-theme and score of every piece. */
static int place_units(tx_ctx *ctx, const tx_themes *th,
                       const struct tx__pieces *pc, const size_t *sel,
                       const size_t *doc, size_t n_sel, int32_t *theme,
                       int32_t *sub, float *score)
{
    float *med = tx__malloc(ctx, (th->k + 1) * sizeof *med);
    size_t a, from, to;
    tx_mat *x = NULL; /* one block's vectors, for every block */
    int rc = med ? theme_medians(ctx, th, med) : TX_ENOMEM;

    if (rc == TX_OK)
        rc = tx__mat_alloc(ctx, n_sel < BLOCK ? n_sel + 1 : BLOCK,
                           th->cent->cols, false, &x);

    /* several ranks: each places its share of the blocks, then all get
     * every piece's place */
    tx__comm_items(ctx, n_sel, BLOCK, &from, &to);
    tx__comm_solo(ctx, true);
    for (a = from; rc == TX_OK && a < to; a += BLOCK)
        rc = place_block(ctx, th, med, pc, sel, doc, a,
                         n_sel - a < BLOCK ? n_sel : a + BLOCK, theme, sub,
                         score, x);
    tx__comm_solo(ctx, false);
    if (tx__comm_many(ctx)) {
        void *arrays[3] = {theme, sub, score};
        size_t sizes[3] = {sizeof *theme, sizeof *sub, sizeof *score};

        rc = tx__comm_share_items(ctx, rc, n_sel, BLOCK, arrays, sizes, 3);
    }
    tx_mat_free(x);
    tx_free(ctx, med);
    return rc;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int push_mention(tx_ctx *ctx, tx_themes *th, size_t *cap,
                        struct tx__mention m)
{
    if (th->n_mentions == *cap) {
        size_t nc = *cap ? 2 * *cap : 1024;
        struct tx__mention *p = tx__realloc(ctx, th->mentions,
                                            nc * sizeof *p);

        if (!p)
            return TX_ENOMEM;
        th->mentions = p;
        *cap = nc;
    }
    th->mentions[th->n_mentions++] = m;
    return TX_OK;
}

size_t tx__themes_doc_speaks(const tx_themes *th, size_t i, bool sub,
                             int32_t *out)
{
    size_t j, u, m = 0;
    int32_t first;

    if (!th->doc_theme || i >= th->n_docs || th->doc_theme[i] < 0)
        return 0; /* a loaded model, or no theme */
    first = sub ? (th->doc_sub ? th->doc_sub[i] : -1) : th->doc_theme[i];
    if (first >= 0)
        out[m++] = first;
    for (j = th->mention_first ? th->mention_first[i] : 0;
         th->mention_first && j < th->mention_first[i + 1]; j++) {
        int32_t v = sub ? th->mentions[j].sub : th->mentions[j].theme;

        for (u = 0; u < m && out[u] != v; u++)
            ;
        if (v >= 0 && u == m)
            out[m++] = v;
    }
    return m;
}

/* Sizes count the documents that speak of a theme (or sub-theme), each
 * once: its primary one and those its segments mention. Shares are of the
 * themed documents (sub-themes: of the documents speaking of their
 * theme). */
static int count_mentions(tx_ctx *ctx, tx_themes *th)
{
    size_t i, j, t, n, themed = 0;
    int32_t *buf = tx__malloc(ctx, (th->k + th->n_sub + 1) * sizeof *buf);

    if (!buf)
        return TX_ENOMEM;
    for (t = 0; t < th->k; t++)
        th->themes[t].size = 0;
    for (t = 0; t < th->n_sub; t++)
        th->sub[t].size = 0;
    for (i = 0; i < th->n_docs; i++) {
        themed += th->doc_theme[i] >= 0;
        n = tx__themes_doc_speaks(th, i, false, buf);
        for (j = 0; j < n; j++)
            th->themes[buf[j]].size++;
        n = tx__themes_doc_speaks(th, i, true, buf);
        for (j = 0; j < n; j++)
            th->sub[buf[j]].size++;
    }
    for (t = 0; t < th->k; t++)
        th->themes[t].share = themed ? (double)th->themes[t].size /
                                           (double)themed
                                     : 0.0;
    for (t = 0; t < th->n_sub; t++)
        th->sub[t].share = (double)th->sub[t].size /
                           (double)th->themes[th->sub[t].parent].size;
    tx_free(ctx, buf);
    return TX_OK;
}

int tx__theme_find_mentions(tx_ctx *ctx, tx_themes *th,
                            const struct tx__pieces *pc)
{
    size_t *sel = NULL, *sel_doc = NULL, *first = NULL;
    int32_t *theme = NULL, *sub = NULL;
    float *score = NULL;
    size_t i, u = 0, n_sel = 0, cap = 0;
    int rc = TX_OK;

    th->mention_first = tx__calloc(ctx, th->n_docs + 1,
                                   sizeof *th->mention_first);
    if (!th->mention_first)
        return TX_ENOMEM;
    /* The pieces of themed documents, in document order. */
    if (pc && pc->n) {
        sel = tx__malloc(ctx, pc->n * sizeof *sel);
        sel_doc = tx__malloc(ctx, pc->n * sizeof *sel_doc);
        first = tx__pieces_first(ctx, pc, th->n_docs);
        rc = sel && sel_doc && first ? TX_OK : TX_ENOMEM;
        for (i = 0; rc == TX_OK && i < th->n_docs; i++) {
            size_t v = th->doc_row[i], j;

            if (th->doc_theme[i] >= 0)
                for (j = first[v]; j < first[v + 1]; j++) {
                    sel[n_sel] = j;
                    sel_doc[n_sel++] = i;
                }
        }
    }
    if (rc == TX_OK && n_sel) {
        theme = tx__malloc(ctx, n_sel * sizeof *theme);
        sub = tx__malloc(ctx, n_sel * sizeof *sub);
        score = tx__malloc(ctx, n_sel * sizeof *score);
        rc = theme && sub && score ? place_units(ctx, th, pc, sel, sel_doc,
                                                 n_sel, theme, sub, score)
                                   : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < th->n_docs; i++) {
        size_t seg = 0, end;

        th->mention_first[i] = th->n_mentions;
        if (th->doc_theme[i] < 0)
            continue;
        end = first ? u + first[th->doc_row[i] + 1] - first[th->doc_row[i]]
                    : u;
        if (end == u) { /* one piece */
            tx_doc d;
            size_t a = 0, b;

            tx_corpus_doc(th->corpus, i, &d);
            for (b = d.len; b > 0 && is_space(d.text[b - 1]); b--)
                ;
            while (a < b && is_space(d.text[a]))
                a++;
            rc = push_mention(ctx, th, &cap,
                              (struct tx__mention){
                                  i, 0, a, b, th->doc_theme[i],
                                  th->doc_sub ? th->doc_sub[i] : -1,
                                  th->doc_score[i]});
            continue;
        }
        /* Neighbouring pieces with the same theme and sub-theme are one
         * segment (a run of text on one topic); its score is the best of
         * its pieces'. */
        while (rc == TX_OK && u < end) {
            const tx_span *x = &pc->span[sel[u]];
            struct tx__mention m = {i, seg++, x->start, x->end, theme[u],
                                    sub[u], score[u]};

            for (u++; u < end && theme[u] == m.theme && sub[u] == m.sub;
                 u++) {
                m.end = pc->span[sel[u]].end;
                if (score[u] > m.score)
                    m.score = score[u];
            }
            rc = push_mention(ctx, th, &cap, m);
        }
        /* One segment in the end: the document's own theme and score. */
        if (rc == TX_OK && th->n_mentions - th->mention_first[i] == 1) {
            struct tx__mention *m = &th->mentions[th->n_mentions - 1];

            m->theme = th->doc_theme[i];
            m->sub = th->doc_sub ? th->doc_sub[i] : -1;
            m->score = th->doc_score[i];
        }
    }
    if (rc == TX_OK) {
        th->mention_first[th->n_docs] = th->n_mentions;
        rc = count_mentions(ctx, th);
    }
    tx_free(ctx, sel);
    tx_free(ctx, sel_doc);
    tx_free(ctx, first);
    tx_free(ctx, theme);
    tx_free(ctx, sub);
    tx_free(ctx, score);
    return rc;
}
