/* Internal declarations shared between libtext's modules. Never installed. */
#ifndef TX_INTERNAL_H
#define TX_INTERNAL_H

#include "libtext.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct tx_ctx {
    tx_alloc alloc;
    int threads;
    uint64_t seed;
    tx_progress_fn progress;
    void *progress_ud;
};

/* Reports progress if a callback is set; returns its non-zero answer. */
static inline int tx__progress(tx_ctx *ctx, const char *stage, size_t done,
                               size_t total)
{
    return ctx->progress ? ctx->progress(ctx->progress_ud, stage, done, total)
                         : 0;
}

void *tx__malloc(tx_ctx *ctx, size_t n);
void *tx__calloc(tx_ctx *ctx, size_t count, size_t size);
void *tx__realloc(tx_ctx *ctx, void *p, size_t n);
/* Grows `*p` (of `*cap` elements of `size` bytes) to hold at least `need`. */
int tx__grow(tx_ctx *ctx, void **p, size_t *cap, size_t need, size_t size);
char *tx__strdup(tx_ctx *ctx, const char *s);
char *tx__strndup(tx_ctx *ctx, const char *s, size_t n);

void tx__diag_set(tx_diag *d, const char *file, long line, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/* 64-bit hash of a byte string (FNV-1a folded with a multiply-xorshift). */
static inline uint64_t tx__hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

/* Hot numeric loops: compiled at -O3 with an AVX2 clone chosen at run
 * time (the same clone on a given machine, so results stay reproducible). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&      \
    !defined(__SANITIZE_ADDRESS__)
#define TX_HOT __attribute__((optimize("O3"), target_clones("avx2", "default")))
#else
#define TX_HOT
#endif

/* Ends a struct of per-thread state kept side by side with its siblings in
 * one array: 64 bytes apart, two threads' fields never share a cache line
 * (where they did, counting ran 10-15% slower on 2 threads, depending on
 * where malloc happened to place the array). */
#define TX__CACHE_LINE_GAP char cache_line_gap[64]

/* Runs fn(arg, i) for i in [0, n) on up to ctx->threads threads. Each call
 * must write only its own slot of the output, so the result is the same
 * for any thread count. Task i runs on worker i % threads, in increasing
 * i, so per-worker scratch may be indexed by i % threads. */
typedef int (*tx__task_fn)(void *arg, size_t i);
int tx__parallel(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg);

/* Byte arena: many small strings freed together. */
typedef struct tx__arena {
    tx_ctx *ctx;
    struct tx__arena_block *head;
} tx__arena;
void tx__arena_init(tx__arena *a, tx_ctx *ctx);
char *tx__arena_strndup(tx__arena *a, const char *s, size_t n);
/* Moves every block of `src` into `dst` (same ctx); `src` ends empty. */
void tx__arena_splice(tx__arena *dst, tx__arena *src);
void tx__arena_free(tx__arena *a);

/* UTF-8 validation and repair: copies `s` to a new arena string, replacing
 * each invalid sequence with U+FFFD. `*bad` counts replacements. */
char *tx__utf8_repair(tx__arena *a, const char *s, size_t n, size_t *out_len,
                      size_t *bad);
bool tx__utf8_valid(const char *s, size_t n);

/* String -> dense index map (0, 1, 2, ... in insertion order). Strings are
 * copied into the map's pool. */
typedef struct tx__strmap {
    tx_ctx *ctx;
    uint32_t *slots; /* index + 1; 0 = empty */
    size_t cap;      /* slots, a power of two */
    uint64_t *hash;
    size_t *off;     /* into pool */
    uint32_t *len;
    size_t n, n_cap;
    char *pool;
    size_t pool_len, pool_cap;
} tx__strmap;
void tx__strmap_init(tx__strmap *m, tx_ctx *ctx);
void tx__strmap_free(tx__strmap *m);
/* Index of s, or -1. */
long tx__strmap_find(const tx__strmap *m, const char *s, size_t n, uint64_t h);
/* Index of s, adding it if absent; -1 when out of memory. */
long tx__strmap_add(tx__strmap *m, const char *s, size_t n, uint64_t h);
static inline const char *tx__strmap_str(const tx__strmap *m, size_t i)
{
    return m->pool + m->off[i];
}

/* Deterministic random numbers (splitmix64): next 64 bits, and a uniform
 * double in [0, 1). The state is the caller's. */
uint64_t tx__rng_next(uint64_t *state);
double tx__rng_uniform(uint64_t *state);

/* A corpus of c's documents in the order perm[0..n) (borrowed strings). */
int tx__corpus_view(const tx_corpus *c, const size_t *perm, size_t n,
                    tx_corpus **out);

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

/* Appends a document: metadata from `meta` (borrowed), id and text
 * copied. For corpora built from spans of another corpus. */
int tx__corpus_add_text(tx_corpus *c, const tx_doc *meta, const char *id,
                        const char *text, size_t n);

/* tx_svd_project writing rows into `out` with row stride `ld`. */
int tx__svd_project_into(tx_ctx *ctx, const tx_mat *comp, const tx_csr *a,
                         float *out, size_t ld);

/* The PPMI matrix tx_wordvec_train factors (V x V CSR, columns ascending).
 * Pair counts are folded into the totals whenever a buffer of at least
 * `fold_min` pairs (0: the default, 1M) fills; tests pass a small one to
 * exercise folding. */
int tx__wordvec_ppmi(tx_ctx *ctx, const tx_wordvec_params *p,
                     const tx_tokenizer_params *tp, const tx_vocab *v,
                     const tx_corpus *c, size_t fold_min, tx_csr **out);

/* SIF pieces shared by tx_wordvec_embed_docs and the themes model:
 * per-term weights a / (a + p(term)) from a count matrix; the weighted
 * average of each row's word vectors, minus its projection on `pc` (when
 * not NULL); and the top principal direction of a matrix's rows. */
int tx__sif_weights(tx_ctx *ctx, const tx_csr *counts, double a, float **out);
int tx__sif_embed(tx_ctx *ctx, const tx_mat *vectors, const float *weights,
                  const float *pc, const tx_csr *counts, tx_mat **out);
/* As tx__sif_embed, into rows of `out` with stride `ld` (zeroed first). */
void tx__sif_embed_into(const tx_mat *vectors, const float *weights,
                        const float *pc, const tx_csr *counts, float *out,
                        size_t ld);
int tx__sif_pc(tx_ctx *ctx, const tx_mat *x, float *pc);

/* Writes s[0, n) as one RFC 4180 CSV field (tx_report.c). */
void tx__csv_field_n(FILE *f, const char *s, size_t n);

/* tx_dmm_fit with an explicit seed (restarts for stability). */
int tx__dmm_run(tx_ctx *ctx, const tx_dmm_params *p, const tx_csr *c,
                uint64_t seed, int32_t *labels, size_t *k_found);

/* A 2-D float dataset of an HDF5 file (tx_h5.c). */
int tx__h5_load_matrix(tx_ctx *ctx, const char *path, const char *dataset,
                       tx_mat **out, tx_diag *diag);

/* Insights (tx_insights.c), read by the report writers. */
struct tx__cmp_row {
    size_t theme, a, b;
    double share_a, share_b, diff, ci_low, ci_high, p, q;
    int significant;
};

struct tx__theme_insight {
    size_t n;                /* themed documents */
    double sentiment;        /* mean score */
    size_t negative;         /* documents scoring below -0.05 */
    size_t friction_n[TX_FRICTION_COUNT];
    int friction;            /* most frequent among negative documents */
    size_t stage_n[TX_STAGE_COUNT];
    int stage;               /* most frequent */
    double stage_weight;     /* mean over the documents */
    double impact, impact_low, impact_high; /* outcome: with - without */
    double mean_with, mean_without;
    size_t n_with, n_without;
    double negativity, severity, impact_norm, priority;
    double trend_p, trend_q;
    int rising;
};

struct tx_insights {
    tx_ctx *ctx;
    tx_insights_params p;
    const tx_themes *th;
    const tx_corpus *c;
    size_t k;
    tx_sentiment *sent;      /* per document */
    int *doc_stage;          /* per document: given, else detected */
    char **groups;           /* sorted names */
    size_t n_groups;
    int32_t *doc_group, *doc_resp;
    size_t n_resp;
    size_t *units;           /* per group: respondents (or documents) */
    size_t *units_in;        /* k x groups: units with the theme */
    size_t *docs_in;         /* k x groups: documents with the theme */
    struct tx__cmp_row *rows;
    size_t n_rows;
    const char **gterms;     /* k x groups x 5 contrastive terms or NULL */
    struct tx__theme_insight *theme;
    int has_outcome;
    double outcome_range;
    size_t journey_n[TX_STAGE_COUNT];
    double journey_sum[TX_STAGE_COUNT];
    char **periods;          /* sorted */
    size_t n_periods;
    size_t *period_n;        /* documents per period */
    size_t *period_theme;    /* k x periods */
    size_t time_unparsed;    /* time values that are not dates, left out
                                when others are */
    size_t stage_unparsed;   /* stage values that name no stage: the
                                stage is detected from the text instead */
};

/* Theme indices by priority, highest first. */
int tx__insights_order(const tx_insights *in, size_t *order);
/* The comparison row of `theme` between groups a < b. */
const struct tx__cmp_row *tx__insights_cmp(const tx_insights *in,
                                           size_t theme, size_t a, size_t b);

/* Cause theme stated in sentence i of document `doc` of the causemap's
 * corpus, or -1 (tx_causemap.c). */
int32_t tx__causemap_cause_theme(const tx_causemap *m, size_t doc, size_t i);
/* The causemap's themes.json object (tx_causemap.c). */
void *tx__causemap_json(const tx_causemap *m);

/* Built-in English stopwords, NULL-terminated. */
extern const char *const tx__stopwords_english[];
/* Chinese and Japanese function words, used with any built-in list. */
extern const char *const tx__stopwords_cjk[];
/* The built-in stopwords of a Snowball language name or ISO code (NULL
 * lang: English), NULL when there is no list; and its negators besides
 * the English ones (NULL: none). */
const char *const *tx__stopwords_for(const char *lang);
const char *const *tx__negators_for(const char *lang);
/* Input encodings (tx_encoding.c, glibc iconv). tx__to_utf8 converts a
 * whole file; `*out` (tx_free it) is NUL-ended; TX_EINVAL for an unknown
 * encoding, TX_EFORMAT with *bad_at for bytes that are not text in it. */
bool tx__encoding_known(const char *name);
bool tx__encoding_is_utf8(const char *name);
const char *tx__encoding_sniff(const char *data, size_t len);
/* For a file that is not text (zip/xlsx, old Office, PDF, gzip, HDF5,
 * .npy, or bytes one in ten of which are control characters): what it is
 * and what to do; NULL for text. */
const char *tx__binary_kind(const char *data, size_t len);
int tx__to_utf8(tx_ctx *ctx, const char *from, const char *data, size_t len,
                char **out, size_t *out_len, size_t *bad_at);

/* The context a corpus was made with (for helpers outside tx_corpus.c). */
tx_ctx *tx__corpus_ctx(const tx_corpus *c);
/* Elided words joined by an apostrophe in French and Italian; NULL for
 * other languages. */
const char *const *tx__elisions_for(const char *lang);

/* What tx_tokenize really passes to its callback. `slot`, when not NULL, is
 * a per-tokenizer memo for this exact token (0 until the caller stores
 * something there): the vocabulary keeps its term id there so it does not
 * hash the same word twice. Slots are zeroed whenever the word cache is
 * cleared. */
typedef struct tx__token_ext {
    tx_token tok;
    uint32_t *slot;
} tx__token_ext;

/* Tokenizer white-box hook: 1 disables the ASCII fast path (tests). */
void tx__tokenizer_force_unicode(tx_tokenizer *t, int on);

/* Corpus text written into Markdown with Markdown and HTML characters
 * escaped, cut at `max` characters (tx_report.c). */
void tx__md_text(FILE *f, const char *s, size_t max);

/* Why a read document has no theme (themes.json, report.md, report.html). */
#define TX__NO_TERMS "no terms left after cleaning (stopwords, min_df)"
#define TX__NON_ANSWER "non-answer (such as n/a, none, no comment)"
/* When corpus c reads as a language other than English: a sentence for
 * the reports saying that sentiment, friction and stages (English word
 * lists) are not measured; NULL otherwise. Written into buf. */
const char *tx__english_only_note(const tx_corpus *c, char *buf, size_t n);
/* The reason document `doc` of the fitted corpus has no theme. */
const char *tx__unthemed_reason(const tx_corpus *c, size_t doc);

/* Calls fn for every row of c in input order (tx_report.c): `doc` is the
 * document index or, for a reject, SIZE_MAX with `r` set. Stops at the
 * first non-zero return and gives it back. */
typedef int (*tx__row_fn)(void *ud, size_t doc, const tx_reject *r);
int tx__each_row(const tx_corpus *c, tx__row_fn fn, void *ud);

/* The text content of HTML s[0..n) (tx_markup.c): entities decoded, tags
 * dropped, block elements as line breaks. `*out` (tx_free it) is NUL-ended. */
int tx__html_text(tx_ctx *ctx, const char *s, size_t n, char **out,
                  size_t *out_len);
/* Whether s[0..n) holds an HTML entity or tag ("&amp;", "<br>"). */
bool tx__looks_html(const char *s, size_t n);

/* tx_kmeans_fit reporting its progress under `stage` (NULL: silent). */
int tx__kmeans_fit(tx_ctx *ctx, const tx_kmeans_params *p, const tx_mat *x,
                   const char *stage, tx_kmeans **out);

#endif
