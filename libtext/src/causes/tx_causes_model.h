/* The cause detector's model, shared by tx_causes.c and tx_h5.c. */
#ifndef TX_CAUSES_MODEL_H
#define TX_CAUSES_MODEL_H

#include "tx_internal.h"
#include "text/tx_cwords.h"

#include <math.h>

/* An averaged structured perceptron over hashed features: weight of
 * feature f for tag t at w[hash(f, t) >> (64 - bits)]; transitions
 * trans[a * T + b] from tag a to b, row T = sentence start. */
typedef struct tx__tagger {
    int n_tags;
    unsigned bits;
    float *w;
    float trans[6 * 5];
    double trans_acc[6 * 5]; /* training only */
} tx__tagger;

struct tx_cause_model {
    tx_ctx *ctx;
    unsigned bits;       /* 2^bits hashed weights per model */
    float *clf;          /* sentence classifier weights */
    float clf_bias;
    double threshold;    /* causal when the probability reaches it */
    double oof_p, oof_r, oof_f1; /* the classifier on its own training
                            sentences, each fold held out (NaN: unknown) */
    tx__tagger sig;      /* O, B-S, I-S */
    tx__tagger ce;       /* O, B-C, I-C, B-E, I-E */
    tx__tagger det;      /* the same tags, also trained on sentences that
                            state no cause (all O): finds relations */
    tx__tagger sdet;     /* O, B-S, I-S, also trained on sentences that
                            state no cause: finds signals */
    float *cmp;          /* complaint classifier weights (NULL: none was
                            trained; the word lists decide) */
    float cmp_bias;
    double cmp_threshold;
    double cmp_oof_p, cmp_oof_r, cmp_oof_f1;
    uint64_t seed;
    char *trained_on;    /* free text: the data it was trained on */
};

int tx__cause_model_alloc(tx_ctx *ctx, unsigned bits, tx_cause_model **out);


/* ---- shared by detection (tx_causes.c), the features and models
 * (tx_causes_feat.c) and training (tx_causes_train.c) ---- */

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

static inline uint32_t slot(const tx_cause_model *m, uint64_t f)
{
    return (uint32_t)(f >> (64 - m->bits));
}

typedef struct tx__fvec {
    tx_ctx *ctx;
    uint64_t *f;
    size_t n, cap;
    size_t n_scaled; /* f[0, n_scaled) share unit length; the rest are 1 */
} tx__fvec;

/* Value of the word features: 1/sqrt(count), so that part of every
 * sentence has unit length; the relation features that follow are 1. */
static inline double fval(const tx__fvec *v)
{
    return v->n_scaled ? 1.0 / sqrt((double)v->n_scaled) : 0;
}

static inline double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* Per word: a feature list, shared by the signal tagger (without the
 * signal-relative part) and the cause/effect tagger. */
typedef struct tx__tfeats {
    tx_ctx *ctx;
    uint64_t *f;
    size_t n, cap;
    size_t *off; /* word i's features: f[off[i] .. off[i+1]) */
    size_t off_cap;
} tx__tfeats;

/* A feature's weights for all tags sit side by side (a block of 8), so
 * scoring a word touches one cache line per feature. */
static inline uint32_t tag_slot(const tx__tagger *g, uint64_t f, int tag)
{
    return ((uint32_t)(f >> (64 - g->bits)) & ~7u) + (uint32_t)tag;
}

/* Scratch for one sentence at a time: its words, features and Viterbi
 * tables (one per thread). */
struct tx__cwork {
    tx__cwords words;
    tx__fvec sv;
    tx__fvec cv;        /* complaint features */
    tx__tfeats tf;      /* word features relative to a signal */
    tx__tfeats tf0;     /* word features with none, as the signal taggers
                           see them (made once a sentence by
                           tx__cause_relation_features) */
    double *sc;
    int *bp, *tags;
    size_t cap;
    uint32_t *commas;   /* commas before each word */
    size_t commas_cap;
    uint64_t *bf;       /* boundary features, TX__BFEATS per word */
    size_t bf_cap;
    double *pair_sc;    /* tx__cause_pair_decode's tables */
    long *pair_arg;
    size_t pair_cap;
    double *em;         /* each word's tag scores from the last
                           tx__cause_signal_viterbi */
    double *near_sc;    /* tx__cause_near's tables */
    int *near_arg;
};

int tx__cause_sentence_features(const tx__cwords *w, tx__fvec *v);
/* Adds what the relation finder `g` and the signal finder `sg` find in
 * k->words to `v`. */
int tx__cause_relation_features(const tx__tagger *g, const tx__tagger *sg,
                                struct tx__cwork *k, tx__fvec *v);
double tx__cause_clf_score(const tx_cause_model *m, const tx__fvec *v);
/* Score of hashed weights `w` (2^m->bits of them) on `v`. */
double tx__cause_weights_score(const tx_cause_model *m, const float *w,
                               const tx__fvec *v);
/* Features of the complaint classifier: the sentence's words and word
 * classes, and its complaint and positive word counts (from
 * tx__complaint_counts). */
int tx__complaint_features(const tx__cwords *w, long neg, long pos,
                           tx__fvec *v);
/* Complaint words, and positive words (a negated positive, "not
 * helpful", counts as a complaint word), of a sentence (tx_causes.c). */
void tx__complaint_counts(const tx__cwords *w, long *neg, long *pos);
/* Per-word features; sig_s..sig_e is the signal (-1: none), sig_h its
 * words' hash. */
int tx__cause_token_features(const tx__cwords *w, long sig_s, long sig_e,
                             uint64_t sig_h, tx__tfeats *t);
/* Viterbi: the best tagging into tags; returns how much it beats
 * tagging every word O. `em` (NULL or n * T) gets each word's tag scores;
 * see tx_causes_feat.c. */
double tx__cause_viterbi(const tx__tagger *g, const tx__tfeats *t, size_t n,
                         double *sc, int *bp, int *tags, double *em);
/* The signals the tagger nearly chose, by max-marginals from Viterbi's
 * prefix scores F and word scores E (see tx_causes_feat.c). */
size_t tx__cause_near_signals(const tx__tagger *g, const double *E,
                              const double *F, size_t n, const int *tags,
                              double *B, int *wi, long *pos, long *end,
                              double *gap, size_t max);
/* Tags the sentence in k (its no-signal features in k->tf0, scratch
 * reserved by tx__cause_work_reserve) with the signal tagger g into
 * k->tags, keeping what tx__cause_near needs; returns the margin. */
double tx__cause_signal_viterbi(struct tx__cwork *k, const tx__tagger *g);
/* Right after tx__cause_signal_viterbi(k, g): up to `max` signals g
 * nearly chose (tx__cause_near_signals); returns how many. */
size_t tx__cause_near(struct tx__cwork *k, const tx__tagger *g, size_t max,
                      long *pos, long *end, double *gap);
void tx__cause_work_init(struct tx__cwork *k, tx_ctx *ctx);
void tx__cause_work_free(struct tx__cwork *k, tx_ctx *ctx);
int tx__cause_work_reserve(struct tx__cwork *k, tx_ctx *ctx, size_t n);
/* The longest cause or effect span the pair decoder considers, in words
 * (longer gold spans are rare: 1 in CNC's 4,500 has 90 words or more). */
#define TX__SPAN_MAX 80
/* Boundary features per word: TX__BSTART of a span starting there, as
 * many of one ending there. */
#define TX__BSTART 6
#define TX__BFEATS (2 * TX__BSTART)
/* Fills k->bf and k->commas for the words in k, signal [ss, se). */
int tx__cause_boundary_feats(struct tx__cwork *k, long ss, long se);
/* Features of the span [a, e) as a whole (3). */
size_t tx__cause_whole_feats(long a, long e, const uint32_t *commas,
                             long ss, long se, uint64_t *f);
int tx__cause_pair_decode(const tx__tagger *g, const tx__tfeats *tf,
                          const uint64_t *bf, const uint32_t *commas,
                          size_t n_words, long ss, long se,
                          struct tx__cwork *k, long out[4], double *score);
/* First run of B-x I-x* with B-x = b in tags, or -1, -1. */
void tx__cause_first_run(const int *tags, size_t n, int b, long *s, long *e);
/* The cue a rule would split at (tx_causes.c): the first strong cue that
 * is neither negated nor temporal, else (unless strong_only) the first
 * such medium one; -1 when none. */
long tx__cause_rule_cue(const tx__cwords *w, bool strong_only);

/* tx_cause_detect for a text already known to be in another language than
 * English (foreign: listed sentence by sentence with no causes) or not,
 * so a caller that also counts such texts guesses once. */
int tx__cause_detect_as(tx_ctx *ctx, const tx_cause_model *m,
                        const tx_cause_params *p, const char *text,
                        size_t len, bool foreign, tx_cause_sentence **out,
                        size_t *n);

#endif
