/* Private to the themes stage (and its model file layout): the fitted
 * model's fields and the pieces the fit is made of. Never installed. */
#ifndef TX_THEMES_PRIVATE_H
#define TX_THEMES_PRIVATE_H

#include "tx_internal.h"
#include "vectors/tx_vectors_private.h"

/* A fitted themes model. Immutable once tx_themes_fit or tx_themes_load
 * returns. */
struct tx__theme {
    char *label;
    size_t size;        /* documents that mention it (fit: from mentions) */
    size_t primary;     /* documents whose primary theme (sub-theme) it is */
    double share;       /* of themed documents (sub-themes: of the theme's) */
    float stability;
    size_t n_terms;
    char **terms;
    double *scores;
    size_t n_quotes;
    size_t *quotes;
    int32_t parent;     /* sub-themes: their theme; themes: -1 */
};

/* One themed segment of a fitted document (tx_theme_mentions.c). */
struct tx__mention {
    size_t doc, segment, start, end;
    int32_t theme, sub;
    float score;
};

struct tx_themes {
    tx_ctx *ctx;
    tx_themes_params p; /* p.tok.stopword_list points into `stop` */
    char **stop;        /* custom stopwords (NULL-terminated) or NULL */
    tx_vocab *vocab;
    double *idf;
    tx_mat *comp;       /* LSA components (rank x terms); NULL: one theme */
    tx_mat *comp_t;     /* the same transposed, made with comp: every
                           embedding projects with it */
    tx_mat *wv;         /* word vectors (terms x dim) or NULL */
    float *sif_w, *pc;
    tx_mat *cent;       /* k x D centres */
    size_t ext_dim;     /* > 0: fitted on external document vectors */
    size_t k;
    struct tx__theme *themes;
    size_t n_sub;       /* sub-themes, numbered theme by theme */
    struct tx__theme *sub;
    tx_mat *sub_cent;   /* n_sub x D centres */
    size_t *sub_first;  /* theme t's sub-themes: sub_first[t] ..
                           sub_first[t + 1] - 1 (k + 1 entries) */
    size_t *merge_a, *merge_b;
    double *merge_sim;
    const tx_corpus *corpus; /* fitted corpus, NULL when loaded */
    size_t n_docs;
    int32_t *doc_theme;
    int32_t *doc_sub;    /* -1: none */
    struct tx__mention *mentions; /* fitted models, in document order */
    size_t n_mentions;
    size_t *mention_first; /* document i: mention_first[i] ..
                              mention_first[i + 1] - 1 */
    tx_csr *doc_counts;  /* fitted models: term counts, rows in fit order */
    size_t *doc_row;     /* document -> its row of doc_counts */
    float *doc_score;
    char *lang;         /* loaded models: storage for p.tok.lang */
};

/* Frees a half-built or complete model. */
void tx__themes_free(struct tx_themes *th);

/* Embedding (tx_theme_embed.c): the rows rows[0..n) of `counts` (its
 * first n rows when `rows` is NULL) as unit vectors of the model's space
 * (with `held`, each rank has the rows it holds: tx__held_rows);
 * the rows `rows[0..n)` of a CSR matrix as a new one; unit rows of
 * external document vectors for documents doc[0..n). */
int tx__theme_embed(tx_ctx *ctx, const tx_themes *th, const tx_csr *counts,
                    const size_t *rows, size_t n, bool held, tx_mat **out);
/* The rows of `counts` as tx__theme_embed makes them, into the first rows
 * of x (at least as many), on this process: for block after block of
 * rows embedded into one matrix, whose memory is then touched once. */
int tx__theme_embed_into(tx_ctx *ctx, const tx_themes *th,
                         const tx_csr *counts, tx_mat *x);
int tx__csr_rows(tx_ctx *ctx, const tx_csr *m, const size_t *rows, size_t n,
                 tx_csr **out);
int tx__theme_gather_external(tx_ctx *ctx, const tx_corpus *c,
                              const tx_mat *e, const size_t *doc, size_t n,
                              tx_mat **out);

/* Automatic sizes of both levels (tx_theme_autok.c): themes and the
 * number of sub-themes over all themes. */
int tx__theme_auto_k(tx_ctx *ctx, const tx_themes_params *p, const tx_mat *x,
                     size_t *broad, size_t *fine);

/* Sub-themes (tx_theme_sub.c). tx__theme_split clusters each theme's rows
 * of x (lab: their themes) into sub-themes, `fine` of them over all themes
 * when p.subthemes is automatic, and gives each row its sub-theme (sub,
 * -1 for none) and cosine to its centre. tx__theme_assign_sub places rows
 * already given themes by the same rule. */
int tx__theme_split(tx_ctx *ctx, tx_themes *th, const tx_mat *x,
                    const int32_t *lab, size_t fine, int32_t *sub,
                    float *score);
int tx__theme_assign_sub(tx_ctx *ctx, const tx_themes *th, const tx_mat *x,
                         const int32_t *lab, int32_t *sub, float *score);

/* The pieces mentions are found in: each document of more than one cut
 * into sentences, clauses and list items (tx_theme_mentions.c) before its
 * terms are counted, so the pieces' counts come from the documents' own
 * tokens. Documents are rows of the corpus cut (the fit's canonical
 * view). */
struct tx__pieces {
    size_t n;
    tx_span *span;         /* byte ranges, by document, then position */
    uint32_t *doc;         /* each piece's document; none for a text of
                              one piece */
    tx__seqs *terms;       /* each piece's terms, in columns */
};
int tx__theme_cut(tx_ctx *ctx, const tx_corpus *c, struct tx__pieces *out);
/* Where each of n_docs documents' pieces begin (n_docs + 1 entries, a new
 * array; NULL when out of memory). */
size_t *tx__pieces_first(tx_ctx *ctx, const struct tx__pieces *pc,
                         size_t n_docs);
void tx__pieces_free(tx_ctx *ctx, struct tx__pieces *pc);
/* The mentions of every themed document of the fit, from the pieces of
 * the view whose row th->doc_row[i] is document i (pc NULL: every document
 * is one segment). */
int tx__theme_find_mentions(tx_ctx *ctx, tx_themes *th,
                            const struct tx__pieces *pc);

/* Where label candidates come from: a count matrix over some documents
 * (rows[i] of m, in theme lab[i]), its vocabulary, and a weight that scales
 * sampled counts to the whole corpus; `docs`, when not NULL, holds the
 * texts of m's rows (row r is document doc_of_row[r]), from which labels
 * are worded. */
struct tx__term_source {
    const tx_vocab *v;
    const tx_csr *m;
    const size_t *rows;
    const int32_t *lab;
    size_t n;
    double scale;
    const tx_corpus *docs;
    const size_t *doc_of_row;
};

/* Each term's count over every themed document of a source pair (phrase
 * counts scaled as the source says), and the counts' sums: the corpus a
 * sub-theme is also contrasted with. */
struct tx__term_totals {
    double *uni, *bi;
    double all_uni, all_bi;
};
int tx__term_totals_new(tx_ctx *ctx, const struct tx__term_source *u,
                        const struct tx__term_source *b,
                        struct tx__term_totals *out);
void tx__term_totals_free(tx_ctx *ctx, struct tx__term_totals *t);

/* Terms and labels of themes xs[0..k) (sources' labels index xs),
 * contrasted with each other and, when `corpus` is not NULL (sub-themes,
 * contrasted with their siblings), with the whole corpus too: a term
 * scores the sum of the two z-scores. No label repeats another of xs or
 * one of `taken` (NULL-terminated; labels already given, may be NULL). */
int tx__theme_describe(tx_ctx *ctx, const tx_themes_params *p,
                       struct tx__theme *xs, size_t k,
                       const char *const *taken,
                       const struct tx__term_source *u,
                       const struct tx__term_source *b,
                       const struct tx__term_totals *corpus);

/* How the documents docs[rows[0..n)] most often write the terms a and b
 * together (in that order when `ordered`): "card never arrived" for
 * "card" and "not_arriv", read with `tok` (the terms' tokenizer).
 * *wording gets it (the caller's), or NULL when fewer than two documents
 * write them close together (tx_theme_wording.c). */
int tx__theme_wording(tx_ctx *ctx, tx_tokenizer *tok, const tx_corpus *docs,
                      const size_t *rows, size_t n,
                      const char *a, const char *b, bool ordered,
                      char **wording);

/* Quotes of every theme (tx_theme_quotes.c); `doc_of` maps embedding rows
 * to corpus documents. */
int tx__theme_pick_quotes(tx_ctx *ctx, size_t n_quotes,
                          struct tx__theme *xs, size_t k, const tx_mat *x,
                          const int32_t *lab, const float *score,
                          const size_t *doc_of);

/* The merge tree (tx_theme_tree.c). */
int tx__theme_build_tree(tx_ctx *ctx, tx_themes *th);

#endif
