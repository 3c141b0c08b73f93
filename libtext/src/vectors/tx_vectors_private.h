/* Private to the vectors stage and the stages that embed with it: term
 * ids of a document, projection into rows, word-vector pieces. Never
 * installed. */
#ifndef TX_VECTORS_PRIVATE_H
#define TX_VECTORS_PRIVATE_H

#include "tx_internal.h"

/* The vocabulary ids of a document's terms, in order (terms the vocabulary
 * does not know are skipped): pass tx__collect_term_id to tx_tokenize
 * with a tx__term_ids whose n is reset for each document. */
typedef struct tx__term_ids {
    const tx_vocab *v;
    int32_t *ids;
    size_t n, cap;
    tx_ctx *ctx;
} tx__term_ids;
int tx__collect_term_id(void *ud, const tx_token *t);

/* tx_svd_project writing rows into `out` with row stride `ld`. */
int tx__svd_project_into(tx_ctx *ctx, const tx_mat *comp, const tx_csr *a,
                         float *out, size_t ld);
/* The same in two steps, for a caller that projects many times: the
 * components transposed (terms x rank, a new matrix), then a projection
 * with them. */
int tx__svd_components_t(tx_ctx *ctx, const tx_mat *comp, tx_mat **out);
/* tx_svd_fit; `split`: several ranks share the work (every rank calls it
 * with the same matrix): each computes and holds only its rows of the
 * tall n x l product, the SVD's largest array. Same result. */
int tx__svd_fit(tx_ctx *ctx, const tx_svd_params *p, const tx_csr *a,
                bool split, tx_mat **components, float **sigma,
                tx_mat **coords);
int tx__svd_project_t(tx_ctx *ctx, const tx_mat *ct, const tx_csr *a,
                      float *out, size_t ld);

/* Token sequences in vocabulary columns, recorded by the vocabulary fit
 * while it counts so nothing is tokenized again: sequence k is
 * ids[ptr[k] .. ptr[k + 1]). For a sample of the documents it is document
 * k * step's (the word vectors'); for ranges (step 0), range k's. */
typedef struct tx__seqs {
    size_t n, step;
    size_t *ptr;
    int32_t *ids;
} tx__seqs;
void tx__seqs_free(tx_ctx *ctx, tx__seqs *q);

/* The PPMI matrix tx_wordvec_train factors (V x V CSR, columns ascending).
 * Pair counts are folded into the totals whenever a buffer of at least
 * `fold_min` pairs (0: the default, 1M) fills; tests pass a small one to
 * exercise folding. */
int tx__wordvec_ppmi(tx_ctx *ctx, const tx_wordvec_params *p,
                     const tx_tokenizer_params *tp, const tx_vocab *v,
                     const tx_corpus *c, const tx__seqs *seqs,
                     size_t fold_min, tx_csr **out);

/* SIF pieces shared by tx_wordvec_embed_docs and the themes model:
 * per-term weights a / (a + p(term)) from a count matrix; the weighted
 * average of each row's word vectors, minus its projection on `pc` (when
 * not NULL); and the top principal direction of the averages of an even
 * sample of at most 100,000 rows of `counts`. */
int tx__sif_weights(tx_ctx *ctx, const tx_csr *counts, double a, float **out);
int tx__sif_embed(tx_ctx *ctx, const tx_mat *vectors, const float *weights,
                  const float *pc, const tx_csr *counts, tx_mat **out);
/* As tx__sif_embed, into rows of `out` with stride `ld` (zeroed first). */
void tx__sif_embed_into(const tx_mat *vectors, const float *weights,
                        const float *pc, const tx_csr *counts, float *out,
                        size_t ld);
int tx__sif_pc(tx_ctx *ctx, const tx_mat *vectors, const float *weights,
               const tx_csr *counts, float *pc);

/* A new, zeroed CSR matrix that remembers its context, so tx_csr_free
 * needs none. Every tx_csr libtext returns is made here. */
tx_csr *tx__csr_new(tx_ctx *ctx);

/* Byte ranges of a corpus's documents whose terms are also counted on
 * their own (the pieces mentions are found in): document d's ranges are
 * span[first[d] .. first[d + 1]), ascending and not overlapping. A token
 * counts for the range it starts in; tokens between ranges for none. */
typedef struct tx__ranges {
    size_t n_docs, n;
    const size_t *first;   /* n_docs + 1 */
    const tx_span *span;   /* n */
} tx__ranges;

/* N-grams (2 to ngram_max words, as a tokenizer with ngram_min 2 gives
 * them) of a sample of a corpus's documents, counted into a vocabulary of
 * their own with `vp` (labels' phrases). */
typedef struct tx__grams {
    size_t n;
    const size_t *docs;          /* ascending */
    int ngram_max;
    const tx_vocab_params *vp;
} tx__grams;

/* What a vocabulary fit records besides the vocabulary and the counts,
 * from the same tokens, so the corpus is tokenized once. Inputs: */
typedef struct tx__fit_extras {
    size_t seq_step;        /* > 0: sequences of documents 0, step, ... */
    const tx__ranges *ranges;
    const tx__grams *grams;
    /* Outputs (NULL on failure): */
    tx__seqs *seqs;
    tx__seqs *range_seqs;   /* each range's terms (n: ranges) */
    tx_vocab *gram_vocab;
    tx_csr *gram_counts;    /* one row per sampled document */
} tx__fit_extras;

/* The term counts of sequences rows[0, n) of q, one row each, columns
 * ascending: what tx_vocab_transform gives for their texts. */
int tx__seqs_counts(tx_ctx *ctx, const tx__seqs *q, const size_t *rows,
                    size_t n, size_t cols, tx_csr **out);

/* tx_vocab_fit with the extras `ex` asks for (NULL: none). */
int tx__vocab_fit_ex(tx_ctx *ctx, const tx_tokenizer_params *tp,
                     const tx_vocab_params *vp, const tx_corpus *c,
                     tx__fit_extras *ex, tx_vocab **vocab, tx_csr **counts);
/* The step of the word vectors' even sample of n documents. */
size_t tx__wordvec_step(const tx_wordvec_params *p, size_t n);
/* tx_wordvec_train from sequences the vocabulary fit recorded with
 * tx__wordvec_step's step (tokenizes nothing). */
int tx__wordvec_train_seqs(tx_ctx *ctx, const tx_wordvec_params *p,
                           const tx_vocab *v, const tx__seqs *seqs,
                           tx_mat **vectors);

#endif
