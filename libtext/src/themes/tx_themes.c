/*
 * Themes: the pipeline from a corpus to described themes, and the model
 * that assigns new documents.
 *
 * corpus (canonical order) -> counts -> TF-IDF -> LSA coordinates
 *   (+ SIF word-vector document vectors) -> unit rows -> k-means
 *   -> labels (contrastive log-odds), quotes (central and varied),
 *      stability, merge tree.
 * Every document embedding goes through tx__theme_embed(), for the fit and for
 * tx_themes_assign alike, so fitted documents always get their own theme
 * back.
 */
#include "tx_themes_private.h"
#include "cluster/tx_cluster_private.h"
#include "input/tx_input.h"
#include "vectors/tx_vectors_private.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tx_themes_params_init(tx_themes_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    tx_tokenizer_params_init(&p->tok);
    tx_vocab_params_init(&p->vocab);
    p->vocab.min_df = 2;
    tx_tfidf_params_init(&p->tfidf);
    tx_svd_params_init(&p->svd);
    p->use_wordvec = 1;
    tx_wordvec_params_init(&p->wordvec);
    tx_kmeans_params_init(&p->kmeans);
    p->kmeans.k = 0;
    p->method = TX_THEMES_KMEANS;
    tx_dmm_params_init(&p->dmm);
    p->granularity = 1.0;
    p->n_terms = 10;
    p->n_quotes = 4;
    p->prior = 500.0;
    p->subthemes = -1;
}

/* Themes (or sub-themes) xs[0..n) and the array. */
static void free_described(tx_ctx *ctx, struct tx__theme *xs, size_t n)
{
    size_t t, i;

    for (t = 0; xs && t < n; t++) {
        tx_free(ctx, xs[t].label);
        for (i = 0; i < xs[t].n_terms; i++)
            tx_free(ctx, xs[t].terms[i]);
        tx_free(ctx, xs[t].terms);
        tx_free(ctx, xs[t].scores);
        tx_free(ctx, xs[t].quotes);
    }
    tx_free(ctx, xs);
}

void tx__themes_free(struct tx_themes *th)
{
    size_t i;

    if (!th)
        return;
    free_described(th->ctx, th->themes, th->k);
    free_described(th->ctx, th->sub, th->n_sub);
    tx_mat_free(th->sub_cent);
    tx_free(th->ctx, th->sub_first);
    tx_free(th->ctx, th->doc_sub);
    tx_free(th->ctx, th->mentions);
    tx_free(th->ctx, th->mention_first);
    for (i = 0; th->stop && th->stop[i]; i++)
        tx_free(th->ctx, th->stop[i]);
    tx_free(th->ctx, th->stop);
    tx_vocab_free(th->vocab);
    tx_free(th->ctx, th->idf);
    tx_mat_free(th->comp);
    tx_mat_free(th->comp_t);
    tx_mat_free(th->wv);
    tx_free(th->ctx, th->sif_w);
    tx_free(th->ctx, th->pc);
    tx_mat_free(th->cent);
    tx_free(th->ctx, th->merge_a);
    tx_free(th->ctx, th->merge_b);
    tx_free(th->ctx, th->merge_sim);
    tx_free(th->ctx, th->doc_theme);
    tx_csr_free(th->doc_counts);
    tx_free(th->ctx, th->doc_row);
    tx_free(th->ctx, th->doc_score);
    tx_free(th->ctx, th->lang);
    tx_free(th->ctx, th);
}

void tx_themes_free(tx_themes *th)
{
    tx__themes_free(th);
}

/* ---- fit ---- */

/* Phrases for labels (word pairs in at least 3 documents) are counted on
 * an even sample of at most PHRASE_DOCS documents, while the terms are
 * counted; the themed ones among them stand for their themes, their
 * counts scaled up so phrase and word scores stay comparable. */
#define PHRASE_DOCS 100000
/* ... and of at most about this much text: every distinct word pair of the
 * sample is held until pruning, and long documents (transcripts, essays)
 * bring millions. 100,000 short answers (the 1M-row benchmark's sample)
 * come to 7.9 MB, so they are not cut. */
#define PHRASE_BYTES ((size_t)8 << 20)

/* The phrase sample: rows i * n / ms of the corpus, i < ms. */
static int phrase_sample(tx_ctx *ctx, const tx_corpus *c, size_t **out,
                         size_t *ms)
{
    size_t n = tx_corpus_size(c), i, bytes = 0;

    *ms = n < PHRASE_DOCS ? n : PHRASE_DOCS;
    for (i = 0; i < n; i++) {
        tx_doc doc;

        tx_corpus_doc(c, i, &doc);
        bytes += doc.len;
    }
    if (bytes > PHRASE_BYTES) {
        size_t cut = (size_t)((double)n * PHRASE_BYTES / (double)bytes) + 1;

        *ms = cut < *ms ? cut : *ms;
    }
    *out = tx__malloc(ctx, (*ms + 1) * sizeof **out);
    if (!*out)
        return TX_ENOMEM;
    for (i = 0; i < *ms; i++)
        (*out)[i] = i * n / *ms;
    return TX_OK;
}

static int copy_stopwords(tx_themes *th, const tx_themes_params *p)
{
    size_t n = 0, i;

    th->p.tok.stopword_list = NULL;
    if (!p->tok.stopword_list)
        return TX_OK;
    while (p->tok.stopword_list[n])
        n++;
    th->stop = tx__calloc(th->ctx, n + 1, sizeof *th->stop);
    if (!th->stop)
        return TX_ENOMEM;
    for (i = 0; i < n; i++)
        if (!(th->stop[i] = tx__strdup(th->ctx, p->tok.stopword_list[i])))
            return TX_ENOMEM;
    th->p.tok.stopword_list = (const char *const *)th->stop;
    return TX_OK;
}

struct fit_state {
    size_t *perm, *rows, *doc_of;
    tx_corpus *view;
    tx_csr *counts, *tfidf, *sub, *bi;
    tx_vocab *bv;
    tx_mat *x;
    tx_kmeans *km;
    int32_t *lab, *sub_lab;
    float *score, *sub_score;
    size_t *ph_doc, *ph_row;  /* the phrase sample: view rows; rows of bi */
    size_t ph_n;              /* its themed documents */
    int32_t *ph_lab, *ph_sub;
    const char *word_vectors; /* borrowed from the params */
    tx_diag *diag;
    float *stab;              /* per theme, from the clustering */
    tx__seqs *seqs;           /* the word vectors' sample, in columns */
    struct tx__pieces pieces; /* the view's documents cut for mentions */
};

static void fit_state_free(tx_ctx *ctx, struct fit_state *s)
{
    tx_free(ctx, s->perm);
    tx_free(ctx, s->rows);
    tx_free(ctx, s->doc_of);
    tx_corpus_free(s->view);
    tx_csr_free(s->counts);
    tx__seqs_free(ctx, s->seqs);
    tx_csr_free(s->tfidf);
    tx_csr_free(s->sub);
    tx_csr_free(s->bi);
    tx_vocab_free(s->bv);
    tx_mat_free(s->x);
    tx_kmeans_free(s->km);
    tx_free(ctx, s->stab);
    tx_free(ctx, s->lab);
    tx_free(ctx, s->score);
    tx_free(ctx, s->sub_lab);
    tx_free(ctx, s->sub_score);
    tx_free(ctx, s->ph_sub);
    tx_free(ctx, s->ph_doc);
    tx_free(ctx, s->ph_row);
    tx_free(ctx, s->ph_lab);
    tx__pieces_free(ctx, &s->pieces);
}

/* ---- clustering ---- */

static int cluster_kmeans(tx_ctx *ctx, tx_themes *th, struct fit_state *s)
{
    /* the vectors are held apart by the ranks, unless given from outside */
    int rc = tx__kmeans_fit(ctx, &th->p.kmeans, s->x, NULL, !th->ext_dim,
                            "clustering", &s->km);

    if (rc != TX_OK)
        return rc;
    th->k = tx_kmeans_k(s->km);
    rc = tx_mat_new(ctx, th->k, s->x->cols, &th->cent);
    s->stab = tx__malloc(ctx, (th->k + 1) * sizeof *s->stab);
    if (rc == TX_OK && !s->stab)
        rc = TX_ENOMEM;
    if (rc == TX_OK) {
        memcpy(th->cent->data, tx_kmeans_centroids(s->km)->data,
               th->k * th->cent->ld * sizeof(float));
        memcpy(s->stab, tx_kmeans_stability(s->km),
               th->k * sizeof *s->stab);
    }
    return rc;
}

/* DMM on the words; the clusters' mean embeddings become the centres, so
 * documents (and later new ones) go to the nearest. Restarts with other
 * seeds measure stability, as for k-means. */
static int cluster_dmm(tx_ctx *ctx, tx_themes *th, struct fit_state *s)
{
    size_t m = s->x->rows, d = s->x->cols, i, j, c, kf[3];
    int runs = th->p.kmeans.n_init < 1 ? 1 : th->p.kmeans.n_init > 3
                                                 ? 3 : th->p.kmeans.n_init;
    int32_t *lab = tx__malloc(ctx, (size_t)runs * m * sizeof *lab);
    double *sum = NULL;
    size_t *cnt = NULL;
    tx_dmm_params dp = th->p.dmm;
    int r, rc = lab ? TX_OK : TX_ENOMEM;

    if (th->p.kmeans.k)
        dp.k = th->p.kmeans.k;
    for (r = 0; rc == TX_OK && r < runs; r++)
        rc = tx__dmm_run(ctx, &dp, s->sub,
                         tx_ctx_seed(ctx) + (uint64_t)r * 0x9E3779B97F4A7C15ULL,
                         lab + (size_t)r * m, &kf[r]);
    if (rc == TX_OK) {
        th->k = kf[0];
        sum = tx__calloc(ctx, th->k * d, sizeof *sum);
        cnt = tx__calloc(ctx, th->k, sizeof *cnt);
        s->stab = tx__calloc(ctx, th->k + 1, sizeof *s->stab);
        rc = sum && cnt && s->stab ? tx_mat_new(ctx, th->k, d, &th->cent)
                                   : TX_ENOMEM;
    }
    for (i = 0; rc == TX_OK && i < m; i++) {
        cnt[lab[i]]++;
        for (j = 0; j < d; j++)
            sum[(size_t)lab[i] * d + j] += s->x->data[i * s->x->ld + j];
    }
    for (c = 0; rc == TX_OK && c < th->k; c++)
        for (j = 0; j < d; j++)
            th->cent->data[c * th->cent->ld + j] =
                (float)(sum[c * d + j] / (double)(cnt[c] ? cnt[c] : 1));
    if (rc == TX_OK && th->p.kmeans.spherical)
        tx_mat_normalize_rows(th->cent);
    /* Stability: best Jaccard overlap with the other runs' clusters. */
    for (c = 0; rc == TX_OK && c < th->k; c++) {
        double acc = 0.0;

        for (r = 1; r < runs; r++) {
            double best = 0.0;
            size_t o;

            for (o = 0; o < kf[r]; o++) {
                size_t both = 0, other = 0;

                for (i = 0; i < m; i++) {
                    other += lab[(size_t)r * m + i] == (int32_t)o;
                    both += lab[i] == (int32_t)c &&
                            lab[(size_t)r * m + i] == (int32_t)o;
                }
                if (both && (double)both / (double)(cnt[c] + other - both) >
                                best)
                    best = (double)both / (double)(cnt[c] + other - both);
            }
            acc += best;
        }
        s->stab[c] = runs > 1 ? (float)(acc / (runs - 1)) : 1.0f;
    }
    tx_free(ctx, lab);
    tx_free(ctx, sum);
    tx_free(ctx, cnt);
    return rc;
}

#define LSA_ROWS ((size_t)262144)

/* The representation: idf, LSA components, word vectors, SIF weights and
 * common component, learnt from the canonical-order counts. */
static int learn_space(tx_ctx *ctx, tx_themes *th, struct fit_state *s)
{
    size_t V = tx_vocab_size(th->vocab), m = s->sub->rows, i;
    float *sigma = NULL;
    tx_csr *lsa = s->sub;
    int rc = TX_OK;

    /* The components from an even sample of at most LSA_ROWS documents:
     * the SVD's cost follows its rows, and past a few hundred thousand
     * more rows do not move the components. */
    if (m > LSA_ROWS) {
        size_t *pick = tx__malloc(ctx, LSA_ROWS * sizeof *pick);

        for (i = 0; pick && i < LSA_ROWS; i++)
            pick[i] = i * m / LSA_ROWS;
        rc = pick ? tx__csr_rows(ctx, s->sub, pick, LSA_ROWS, &lsa)
                  : TX_ENOMEM;
        tx_free(ctx, pick);
    }
    if (rc == TX_OK)
        rc = tx_tfidf_apply(ctx, &th->p.tfidf, th->idf, lsa, &s->tfidf);
    if (lsa != s->sub)
        tx_csr_free(lsa);
    if (rc == TX_OK)
        rc = tx__progress(ctx, "LSA", 0, 0);
    /* The ranks split the SVD (each holds its rows of the tall product);
     * they agree first, so none waits there for one that stopped. The
     * documents' coordinates are left to tx__theme_embed(), which projects
     * as assign does. */
    rc = tx__comm_agree(ctx, rc, s->diag);
    if (rc == TX_OK)
        rc = tx__svd_fit(ctx, &th->p.svd, s->tfidf, true, &th->comp, &sigma,
                         NULL);
    if (rc == TX_OK)
        rc = tx__svd_components_t(ctx, th->comp, &th->comp_t);
    tx_free(ctx, sigma);
    tx_csr_free(s->tfidf);
    s->tfidf = NULL;
    if (rc != TX_OK || !th->p.use_wordvec || V < 3)
        return rc;
    /* the SVD's products, freed, are not to sit beneath the word
     * vectors' counts */
    tx__give_back_memory(ctx);
    rc = tx__progress(ctx, "word vectors", 0, 0);
    if (rc == TX_OK && s->word_vectors)
        rc = tx_wordvec_load(ctx, s->word_vectors, &th->p.tok, th->vocab,
                             &th->wv, NULL, s->diag);
    else if (rc == TX_OK)
        rc = tx__wordvec_train_seqs(ctx, &th->p.wordvec, th->vocab, s->seqs,
                                    &th->wv);
    tx__seqs_free(ctx, s->seqs);
    s->seqs = NULL;
    if (rc == TX_OK)
        rc = tx__sif_weights(ctx, s->counts, th->p.wordvec.sif_a,
                             &th->sif_w);
    /* the common component, from an even sample of documents */
    if (rc == TX_OK)
        th->pc = tx__malloc(ctx, th->wv->cols * sizeof *th->pc);
    if (rc == TX_OK)
        rc = th->pc ? tx__sif_pc(ctx, th->wv, th->sif_w, s->sub, th->pc)
                    : TX_ENOMEM;
    return rc;
}

/* Marks the documents that get a theme: terms left after cleaning, and
 * not a non-answer ("n/a", "nothing"). 0 themed, -1 not, in `mark`. */
#define THEMED_PARTS 64

struct themed_job {
    const tx_corpus *view;
    const tx_csr *counts;
    int32_t *mark;
};

static int mark_themed(void *arg, size_t p)
{
    struct themed_job *j = arg;
    size_t n = tx_corpus_size(j->view), i;

    for (i = n * p / THEMED_PARTS; i < n * (p + 1) / THEMED_PARTS; i++) {
        tx_doc d;

        tx__corpus_prefetch(j->view, i + PREFETCH_AHEAD);
        tx_corpus_doc(j->view, i, &d);
        j->mark[i] = j->counts->indptr[i + 1] > j->counts->indptr[i] &&
                             !tx_text_is_non_answer(d.text, d.len)
                         ? 0 : -1;
    }
    return TX_OK;
}

/* Each theme's sub-themes are described against their siblings and the
 * whole corpus: the term sources are cut down to the theme's documents,
 * labelled with the sub-theme's place among its siblings, beside the
 * corpus's term counts. A sub-theme's label then reads on its own, as in
 * compare_subthemes.csv ("payment was reverted", not "reverted"). No
 * label repeats a theme's or an earlier sub-theme's. */
static int describe_subthemes(tx_ctx *ctx, tx_themes *th,
                              const struct fit_state *s,
                              const struct tx__term_source *uni,
                              const struct tx__term_source *bi)
{
    size_t t, i, nu, nb;
    size_t *ur = tx__malloc(ctx, (uni->n + 1) * sizeof *ur);
    size_t *br = tx__malloc(ctx, (bi->n + 1) * sizeof *br);
    int32_t *ul = tx__malloc(ctx, (uni->n + 1) * sizeof *ul);
    int32_t *bl = tx__malloc(ctx, (bi->n + 1) * sizeof *bl);
    const char **taken = tx__calloc(ctx, th->k + th->n_sub + 1,
                                    sizeof *taken);
    struct tx__term_totals corpus = {0};
    int rc = ur && br && ul && bl && taken ? TX_OK : TX_ENOMEM;

    if (rc == TX_OK)
        rc = tx__term_totals_new(ctx, uni, bi, &corpus);

    for (t = 0; rc == TX_OK && t < th->k; t++)
        taken[t] = th->themes[t].label;

    for (t = 0; rc == TX_OK && t < th->k; t++) {
        size_t a = th->sub_first[t], b = th->sub_first[t + 1];
        struct tx__term_source u = *uni, v = *bi;

        if (a == b)
            continue;
        for (i = nu = 0; i < uni->n; i++)
            if (s->sub_lab[i] >= (int32_t)a && s->sub_lab[i] < (int32_t)b) {
                ur[nu] = uni->rows[i];
                ul[nu++] = s->sub_lab[i] - (int32_t)a;
            }
        for (i = nb = 0; i < bi->n; i++)
            if (s->ph_sub[i] >= (int32_t)a && s->ph_sub[i] < (int32_t)b) {
                br[nb] = bi->rows[i];
                bl[nb++] = s->ph_sub[i] - (int32_t)a;
            }
        u.rows = ur, u.lab = ul, u.n = nu;
        v.rows = br, v.lab = bl, v.n = nb;
        rc = tx__theme_describe(ctx, &th->p, th->sub + a, b - a, taken,
                                &u, &v, &corpus);
        for (i = a; rc == TX_OK && i < b; i++)
            taken[th->k + i] = th->sub[i].label;
    }
    tx__term_totals_free(ctx, &corpus);
    tx_free(ctx, taken);
    tx_free(ctx, ur);
    tx_free(ctx, br);
    tx_free(ctx, ul);
    tx_free(ctx, bl);
    return rc;
}

const char *tx_themes_params_check(const tx_themes_params *p)
{
    const char *why;

    if (!p)
        return NULL;
    if ((why = tx_tokenizer_params_check(&p->tok)) != NULL ||
        (why = tx_vocab_params_check(&p->vocab)) != NULL ||
        (why = tx_kmeans_params_check(&p->kmeans)) != NULL)
        return why;
    if (p->svd.rank < 1 || p->svd.power_iters < 0)
        return "LSA: rank must be at least 1 and power_iters not negative";
    if (p->use_wordvec && (p->wordvec.dim < 1 || p->wordvec.window < 1))
        return "word vectors: dim and window must be at least 1";
    if (p->method != TX_THEMES_KMEANS && p->method != TX_THEMES_DMM)
        return "unknown themes method";
    if (p->method == TX_THEMES_DMM &&
        (p->dmm.alpha <= 0 || p->dmm.beta <= 0 || p->dmm.iters < 0))
        return "mixture model: alpha and beta must be positive";
    if (p->method == TX_THEMES_DMM && p->kmeans.k == 0 && p->dmm.k < 1)
        return "mixture model: dmm.k (most clusters) must be at least 1";
    if (!(p->granularity > 0))
        return "granularity must be positive";
    if (!(p->prior >= 0))
        return "the label prior must not be negative";
    if (p->k_max == 1)
        return "k_max must be 0 (automatic) or at least 2";
    if (p->subthemes < -1 || p->subthemes == 1)
        return "subthemes must be -1 (automatic), 0 (none) or at least 2";
    return NULL;
}

int tx_themes_fit(tx_ctx *ctx, const tx_themes_params *p, const tx_corpus *c,
                  tx_themes **out)
{
    tx_themes_params def;
    const char *why;
    struct fit_state s;
    tx_themes *th;
    size_t n, m = 0, i, j, k, fine = 0, ms = 0;
    int rc;

    if (!ctx || !c || !out)
        return TX_EINVAL;
    *out = NULL;
    tx_themes_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if ((why = tx_themes_params_check(p)) != NULL) {
        if (p->diag)
            tx__diag_set(p->diag, "", 0, "%s", why);
        return TX_EINVAL;
    }
    if (tx__corpus_is_share(c)) {
        if (p->diag)
            tx__diag_set(p->diag, "", 0, "the corpus holds one rank's share "
                         "of the rows: tx_corpus_gather it first");
        return TX_EINVAL;
    }
    n = tx_corpus_size(c);
    if (n == 0)
        return TX_ETOOLITTLE;
    memset(&s, 0, sizeof s);
    s.word_vectors = p->word_vectors;
    s.diag = p->diag;
    th = tx__calloc(ctx, 1, sizeof *th);
    if (!th)
        return TX_ENOMEM;
    th->ctx = ctx;
    th->p = *p;
    th->p.embeddings = NULL;   /* borrowed only during the fit */
    th->p.word_vectors = NULL;
    th->p.diag = NULL;
    th->corpus = c;
    if (p->embeddings && (p->embeddings->rows != tx_corpus_rows(c) ||
                          p->embeddings->cols == 0)) {
        tx__themes_free(th);
        return TX_EINVAL;
    }
    th->n_docs = n;
    rc = copy_stopwords(th, p);
    if (rc == TX_OK)
        rc = tx__progress(ctx, "counting terms", 0, 0);
    if (rc == TX_OK)
        rc = tx__corpus_canonical_order(c, &s.perm);
    if (rc == TX_OK)
        rc = tx__corpus_view(c, s.perm, n, &s.view);
    /* Documents are cut into the pieces mentions are found in first, so
     * the pieces' terms are counted with the documents' (external
     * embeddings have no pieces: a document is one segment). */
    if (rc == TX_OK && !p->embeddings)
        rc = tx__theme_cut(ctx, s.view, &s.pieces);
    if (rc == TX_OK)
        rc = phrase_sample(ctx, s.view, &s.ph_doc, &ms);
    if (rc == TX_OK) {
        /* The word vectors' sample of token sequences, the pieces' terms
         * and the phrases are recorded while the terms are counted: the
         * corpus is tokenized once. */
        size_t *first = s.pieces.span ? tx__pieces_first(ctx, &s.pieces, n)
                                      : NULL;
        tx__ranges rg = {n, s.pieces.n, first, s.pieces.span};
        tx_vocab_params pvp;
        tx__grams gr = {ms, s.ph_doc, 2, &pvp};
        tx__fit_extras ex = {0};

        tx_vocab_params_init(&pvp);
        pvp.min_df = 3;
        ex.seq_step = th->p.use_wordvec && !p->embeddings && !s.word_vectors
                          ? tx__wordvec_step(&th->p.wordvec, n)
                          : 0;
        ex.ranges = first ? &rg : NULL;
        ex.grams = &gr;
        rc = s.pieces.span && !first
                 ? TX_ENOMEM
                 : tx__vocab_fit_ex(ctx, &th->p.tok, &th->p.vocab, s.view,
                                    &ex, &th->vocab, &s.counts);
        tx_free(ctx, first);
        /* the blocks' maps and n-grams, freed on the threads, are not
         * to sit beside the document vectors */
        tx__give_back_memory(ctx);
        s.seqs = ex.seqs;
        s.pieces.terms = ex.range_seqs;
        s.bv = ex.gram_vocab;
        s.bi = ex.gram_counts;
    }
    if (rc == TX_OK && tx_vocab_size(th->vocab) < 2)
        rc = TX_ETOOLITTLE; /* nothing to tell documents apart by */
    /* Documents with terms that are not non-answers; the others get no
     * theme. */
    if (rc == TX_OK) {
        s.rows = tx__malloc(ctx, (n + 1) * sizeof *s.rows);
        s.doc_of = tx__malloc(ctx, (n + 1) * sizeof *s.doc_of);
        th->doc_theme = tx__malloc(ctx, (n + 1) * sizeof *th->doc_theme);
        th->doc_score = tx__calloc(ctx, n + 1, sizeof *th->doc_score);
        rc = s.rows && s.doc_of && th->doc_theme && th->doc_score
                 ? TX_OK : TX_ENOMEM;
    }
    if (rc == TX_OK) {
        /* whether each document is themed, worked out on the threads */
        struct themed_job tj = {s.view, s.counts, th->doc_theme};

        rc = tx__parallel(ctx, THEMED_PARTS, mark_themed, &tj);
    }
    for (i = 0; rc == TX_OK && i < n; i++) {
        if (th->doc_theme[i] == 0) {
            s.doc_of[m] = s.perm[i];
            s.rows[m++] = i;
        }
        th->doc_theme[i] = -1;
    }
    /* Done with the view: its copy of every document's fields would sit
     * beside the document vectors at the fit's peak. */
    tx_corpus_free(s.view);
    s.view = NULL;
    if (rc == TX_OK && m < 2)
        rc = TX_ETOOLITTLE;
    if (rc == TX_OK)
        rc = tx__csr_rows(ctx, s.counts, s.rows, m, &s.sub);
    if (rc == TX_OK) {
        th->idf = tx__malloc(ctx, (tx_vocab_size(th->vocab) + 1) *
                                      sizeof *th->idf);
        rc = th->idf ? tx_tfidf_idf(&th->p.tfidf, th->vocab, th->idf)
                     : TX_ENOMEM;
    }
    if (rc == TX_OK && p->embeddings) {
        th->ext_dim = p->embeddings->cols;
        rc = tx__theme_gather_external(ctx, c, p->embeddings, s.doc_of, m, &s.x);
    } else {
        rc = tx__comm_agree(ctx, rc, s.diag); /* learning is collective */
        if (rc == TX_OK)
            rc = learn_space(ctx, th, &s);
        /* what the space's learning freed on the threads is given back
         * before the documents' vectors, the fit's largest array */
        tx__give_back_memory(ctx);
        /* k-means reads the vectors alone; only the mixture model reads
         * the themed documents' counts again. They go before the vectors
         * come, which are embedded from the rows of all counts. */
        if (p->method != TX_THEMES_DMM) {
            tx_csr_free(s.sub);
            s.sub = NULL;
        }
        if (rc == TX_OK)
            rc = tx__progress(ctx, "embedding documents", 0, 0);
        if (rc == TX_OK)
            /* k-means works on rows the ranks hold apart; the mixture
             * model's centres sum every row on every rank */
            rc = tx__theme_embed(ctx, th, s.counts, s.rows, m,
                                 p->method != TX_THEMES_DMM, &s.x);
    }
    if (rc == TX_OK) {
        /* DMM finds its own k; sub-themes given per theme need no size */
        bool themes_auto = p->kmeans.k == 0 && p->method != TX_THEMES_DMM;

        k = p->kmeans.k;
        if (themes_auto || p->subthemes < 0) {
            rc = tx__progress(ctx, "choosing k", 0, 0);
            if (rc == TX_OK)
                rc = tx__theme_auto_k(ctx, p, s.x,
                                      themes_auto ? &k : NULL, &fine);
        }
        th->p.kmeans.k = k;
    }
    if (rc == TX_OK)
        rc = tx__progress(ctx, "clustering", 0, 0);
    if (rc == TX_OK)
        rc = p->method == TX_THEMES_DMM ? cluster_dmm(ctx, th, &s)
                                        : cluster_kmeans(ctx, th, &s);
    if (rc == TX_OK) {
        /* Final themes by the same rule tx_themes_assign uses. */
        s.lab = tx__malloc(ctx, m * sizeof *s.lab);
        s.score = tx__malloc(ctx, m * sizeof *s.score);
        th->themes = tx__calloc(ctx, th->k + 1, sizeof *th->themes);
        if (!s.lab || !s.score || !th->themes)
            rc = TX_ENOMEM;
    }
    if (rc == TX_OK)
        rc = tx_kmeans_assign(ctx, th->cent, th->p.kmeans.spherical, s.x,
                              s.lab, s.score);
    for (i = 0; rc == TX_OK && i < m; i++) {
        th->doc_theme[s.doc_of[i]] = s.lab[i];
        th->doc_score[s.doc_of[i]] = s.score[i];
        th->themes[s.lab[i]].primary++;
    }
    /* sizes and shares are counted from the mentions at the end */
    for (i = 0; rc == TX_OK && i < th->k; i++) {
        th->themes[i].stability = s.stab[i];
        th->themes[i].parent = -1;
    }
    if (rc == TX_OK && p->subthemes != 0) {
        s.sub_lab = tx__malloc(ctx, m * sizeof *s.sub_lab);
        s.sub_score = tx__malloc(ctx, m * sizeof *s.sub_score);
        th->doc_sub = tx__malloc(ctx, (n + 1) * sizeof *th->doc_sub);
        rc = s.sub_lab && s.sub_score && th->doc_sub ? TX_OK : TX_ENOMEM;
        if (rc == TX_OK)
            rc = tx__progress(ctx, "sub-themes", 0, 0);
        if (rc == TX_OK)
            rc = tx__theme_split(ctx, th, s.x, s.lab,
                                 fine > 2 * th->k ? fine : 2 * th->k,
                                 s.sub_lab, s.sub_score);
        for (i = 0; rc == TX_OK && i < n; i++)
            th->doc_sub[i] = -1;
        for (i = 0; rc == TX_OK && i < m; i++)
            th->doc_sub[s.doc_of[i]] = s.sub_lab[i];
    }
    /* Phrases for labels, counted on the sample the terms were counted
     * with: its themed documents. */
    if (rc == TX_OK)
        rc = tx__progress(ctx, "describing themes", 0, 0);
    if (rc == TX_OK) {
        s.ph_row = tx__malloc(ctx, (ms + 1) * sizeof *s.ph_row);
        s.ph_lab = tx__malloc(ctx, (ms + 1) * sizeof *s.ph_lab);
        s.ph_sub = tx__malloc(ctx, (ms + 1) * sizeof *s.ph_sub);
        rc = s.ph_row && s.ph_lab && s.ph_sub ? TX_OK : TX_ENOMEM;
        /* the themed documents (s.rows, ascending) met in sample order */
        for (i = 0, j = 0; rc == TX_OK && i < ms; i++) {
            while (j < m && s.rows[j] < s.ph_doc[i])
                j++;
            if (j == m || s.rows[j] != s.ph_doc[i])
                continue;
            s.ph_row[s.ph_n] = i;
            s.ph_lab[s.ph_n] = s.lab[j];
            s.ph_sub[s.ph_n++] = s.sub_lab ? s.sub_lab[j] : -1;
        }
        if (rc == TX_OK) {
            struct tx__term_source uni = {th->vocab, s.counts, s.rows, s.lab, m,
                                          1.0, c, s.perm};
            struct tx__term_source bi = {s.bv, s.bi, s.ph_row, s.ph_lab,
                                         s.ph_n,
                                         s.ph_n ? (double)m / (double)s.ph_n
                                                : 1.0,
                                         NULL, NULL};

            rc = tx__theme_describe(ctx, &th->p, th->themes, th->k, NULL,
                                    &uni, &bi, NULL);
            if (rc == TX_OK && th->n_sub)
                rc = describe_subthemes(ctx, th, &s, &uni, &bi);
        }
    }
    if (rc == TX_OK)
        rc = tx__theme_pick_quotes(ctx, th->p.n_quotes, th->themes, th->k,
                                   s.x, s.lab, s.score, s.doc_of);
    if (rc == TX_OK && th->n_sub)
        rc = tx__theme_pick_quotes(ctx, th->p.n_quotes, th->sub, th->n_sub,
                                   s.x, s.sub_lab, s.sub_score, s.doc_of);
    if (rc == TX_OK)
        rc = tx__theme_build_tree(ctx, th);
    /* The documents' vectors are done with: the pieces' are made in
     * blocks next, and both together would set the fit's peak. */
    tx_mat_free(s.x);
    s.x = NULL;
    if (rc == TX_OK)
        rc = tx__progress(ctx, "mentions", 0, 0);
    /* The documents' term counts stay with the model, so the analyses that
     * read it count terms without tokenizing the corpus again; each
     * document's row is also where its pieces are. */
    if (rc == TX_OK) {
        th->doc_row = tx__malloc(ctx, (n + 1) * sizeof *th->doc_row);
        if (!th->doc_row)
            rc = TX_ENOMEM;
        for (i = 0; rc == TX_OK && i < n; i++)
            th->doc_row[s.perm[i]] = i;
        th->doc_counts = s.counts;
        s.counts = NULL;
    }
    if (rc == TX_OK)
        rc = tx__theme_find_mentions(ctx, th,
                                     s.pieces.span ? &s.pieces : NULL);
    fit_state_free(ctx, &s);
    if (rc != TX_OK) {
        tx__themes_free(th);
        return rc;
    }
    *out = th;
    return TX_OK;
}

/* ---- accessors ---- */

size_t tx_themes_k(const tx_themes *th)
{
    return th ? th->k : 0;
}

int32_t tx_themes_doc_theme(const tx_themes *th, size_t i)
{
    return th && th->doc_theme && i < th->n_docs ? th->doc_theme[i] : -1;
}

float tx_themes_doc_score(const tx_themes *th, size_t i)
{
    return th && th->doc_score && i < th->n_docs ? th->doc_score[i] : 0.0f;
}

/* A theme's or sub-theme's description, pointers borrowed. */
static void describe_into(const struct tx__theme *x, tx_theme_info *out)
{
    out->label = x->label;
    out->size = x->size;
    out->primary = x->primary;
    out->share = x->share;
    out->stability = x->stability;
    out->n_terms = x->n_terms;
    out->terms = (const char *const *)x->terms;
    out->term_scores = x->scores;
    out->n_quotes = x->n_quotes;
    out->quotes = x->quotes;
}

int tx_themes_theme(const tx_themes *th, size_t t, tx_theme_info *out)
{
    if (!th || !out || t >= th->k)
        return TX_EINVAL;
    describe_into(&th->themes[t], out);
    return TX_OK;
}

size_t tx_themes_n_subthemes(const tx_themes *th)
{
    return th ? th->n_sub : 0;
}

int tx_themes_subtheme(const tx_themes *th, size_t s, tx_theme_info *out)
{
    if (!th || !out || s >= th->n_sub)
        return TX_EINVAL;
    describe_into(&th->sub[s], out);
    return TX_OK;
}

int32_t tx_themes_subtheme_parent(const tx_themes *th, size_t s)
{
    return th && s < th->n_sub ? th->sub[s].parent : -1;
}

int32_t tx_themes_doc_subtheme(const tx_themes *th, size_t i)
{
    return th && th->doc_sub && i < th->n_docs ? th->doc_sub[i] : -1;
}

size_t tx_themes_n_mentions(const tx_themes *th)
{
    return th ? th->n_mentions : 0;
}

int tx_themes_mention(const tx_themes *th, size_t i, tx_mention *out)
{
    const struct tx__mention *m;

    if (!th || !out || i >= th->n_mentions)
        return TX_EINVAL;
    m = &th->mentions[i];
    out->doc = m->doc;
    out->segment = m->segment;
    out->start = m->start;
    out->end = m->end;
    out->theme = m->theme;
    out->subtheme = m->sub;
    out->score = m->score;
    return TX_OK;
}

int tx_themes_doc_mentions(const tx_themes *th, size_t doc, size_t *first,
                           size_t *n)
{
    if (!th || !first || !n || !th->mention_first || doc >= th->n_docs)
        return TX_EINVAL;
    *first = th->mention_first[doc];
    *n = th->mention_first[doc + 1] - th->mention_first[doc];
    return TX_OK;
}

size_t tx_themes_external_dim(const tx_themes *th)
{
    return th ? th->ext_dim : 0;
}
