/* Private to the themes stage (and its model file layout): the fitted
 * model's fields and the pieces the fit is made of. Never installed. */
#ifndef TX_THEMES_PRIVATE_H
#define TX_THEMES_PRIVATE_H

#include "tx_internal.h"

/* A fitted themes model. Immutable once tx_themes_fit or tx_themes_load
 * returns. */
struct tx__theme {
    char *label;
    size_t size;
    double share;
    float stability;
    size_t n_terms;
    char **terms;
    double *scores;
    size_t n_quotes;
    size_t *quotes;
};

struct tx_themes {
    tx_ctx *ctx;
    tx_themes_params p; /* p.tok.stopword_list points into `stop` */
    char **stop;        /* custom stopwords (NULL-terminated) or NULL */
    tx_vocab *vocab;
    double *idf;
    tx_mat *comp;       /* LSA components (rank x terms); NULL: one theme */
    tx_mat *wv;         /* word vectors (terms x dim) or NULL */
    float *sif_w, *pc;
    tx_mat *cent;       /* k x D centres */
    size_t ext_dim;     /* > 0: fitted on external document vectors */
    size_t k;
    struct tx__theme *themes;
    size_t *merge_a, *merge_b;
    double *merge_sim;
    const tx_corpus *corpus; /* fitted corpus, NULL when loaded */
    size_t n_docs;
    int32_t *doc_theme;
    tx_csr *doc_counts;  /* fitted models: term counts, rows in fit order */
    size_t *doc_row;     /* document -> its row of doc_counts */
    float *doc_score;
    char *lang;         /* loaded models: storage for p.tok.lang */
};

/* Frees a half-built or complete model. */
void tx__themes_free(struct tx_themes *th);

/* Embedding (tx_theme_embed.c): rows of `counts` as unit vectors of the
 * model's space; the rows `rows[0..n)` of a CSR matrix as a new one; unit
 * rows of external document vectors for documents doc[0..n). */
int tx__theme_embed(tx_ctx *ctx, const tx_themes *th, const tx_csr *counts,
                    tx_mat **out);
int tx__csr_rows(tx_ctx *ctx, const tx_csr *m, const size_t *rows, size_t n,
                 tx_csr **out);
int tx__theme_gather_external(tx_ctx *ctx, const tx_corpus *c,
                              const tx_mat *e, const size_t *doc, size_t n,
                              tx_mat **out);

/* Automatic k (tx_theme_autok.c). */
int tx__theme_auto_k(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                     size_t *out);

/* Where label candidates come from: a count matrix over some documents
 * (rows[i] of m, in theme lab[i]), its vocabulary, and a weight that scales
 * sampled counts to the whole corpus. */
struct tx__term_source {
    const tx_vocab *v;
    const tx_csr *m;
    const size_t *rows;
    const int32_t *lab;
    size_t n;
    double scale;
};

int tx__theme_describe(tx_ctx *ctx, tx_themes *th,
                       const struct tx__term_source *u,
                       const struct tx__term_source *b);

/* Quotes of every theme (tx_theme_quotes.c); `doc_of` maps embedding rows
 * to corpus documents. */
int tx__theme_pick_quotes(tx_ctx *ctx, tx_themes *th, const tx_mat *x,
                          const int32_t *lab, const float *score,
                          const size_t *doc_of);

/* The merge tree (tx_theme_tree.c). */
int tx__theme_build_tree(tx_ctx *ctx, tx_themes *th);

#endif
