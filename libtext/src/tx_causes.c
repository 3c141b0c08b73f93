/*
 * Stated causes: which sentences state a cause, and the cause, effect and
 * cue spans.
 *
 * Three linear models over hashed features (tx_cwords.c gives the words):
 * - a logistic-regression sentence classifier (words, word pairs, word
 *   classes, cues with their context);
 * - a signal tagger (the cue words) and a cause/effect tagger, both
 *   averaged structured perceptrons decoded by Viterbi; the second sees
 *   where each word stands relative to the signal.
 * The cue rules decide where the models are silent: a strong cue that is
 * neither negated nor temporal makes a sentence causal, and a causal
 * sentence the tagger leaves without a cause or an effect is split at its
 * cue. Training is single-threaded and seeded, so it is deterministic.
 */
#include "tx_causes_model.h"
#include "tx_cwords.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- feature hashing -------------------------------------------------- */

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

/* Templates: each feature is mix(template, parts...). */
enum {
    F_BIAS = 1, F_UNI, F_BI, F_CLS3, F_CLS2, F_LOWCLS, F_CLSLOW, F_CUE,
    F_CUEPOS, F_CUEPREV, F_CUENEXT, F_STRONG, F_LEN, F_NCUES, F_LOW, F_CLS,
    F_LOWP, F_LOWN, F_CLSP2, F_CLSP, F_CLSN, F_CLSN2, F_BIP, F_BIN, F_CLSBP,
    F_CLSBN, F_SUF, F_RPOS, F_FIRST, F_LAST, F_TCUE, F_INCUE, F_SIDE,
    F_SIDEDIST, F_SIDESIG, F_SIDELOW, F_SIDECLS, F_SIDECOMMA, F_COMMAS,
    F_SIDECLSN, F_REL, F_RELM, F_RELC, F_RELFM
};

typedef struct fvec {
    tx_ctx *ctx;
    uint64_t *f;
    size_t n, cap;
    size_t n_scaled; /* f[0, n_scaled) share unit length; the rest are 1 */
} fvec;

static int fv_add(fvec *v, uint64_t f)
{
    if (tx__grow(v->ctx, (void **)&v->f, &v->cap, v->n + 1, sizeof *v->f))
        return TX_ENOMEM;
    v->f[v->n++] = f;
    return TX_OK;
}

static uint64_t bucket_len(size_t n)
{
    return n < 10 ? 0 : n < 20 ? 1 : n < 35 ? 2 : n < 60 ? 3 : 4;
}

/* ---- sentence classifier ---------------------------------------------- */

static int sentence_features(const tx__cwords *w, fvec *v)
{
    size_t i, n = w->n, ncues = 0;
    int rc = fv_add(v, mix(F_BIAS, 0));
    bool strong = false;

    for (i = 0; i < n && rc == TX_OK; i++) {
        const tx__cword *a = &w->w[i];
        const tx__cword *b = i + 1 < n ? &w->w[i + 1] : NULL;
        const tx__cword *c = i + 2 < n ? &w->w[i + 2] : NULL;
        uint64_t hb = b ? b->h_low : 1, hbc = b ? b->h_cls : 1;

        /* words, word pairs, and word classes in context; word triples
         * measured worse (0.634 against 0.679 F1 on CNC dev) */
        rc |= fv_add(v, mix(F_UNI, a->h_low));
        rc |= fv_add(v, mix(mix(F_BI, a->h_low), hb));
        rc |= fv_add(v, mix(mix(F_CLS2, a->h_cls), hbc));
        rc |= fv_add(v, mix(mix(mix(F_CLS3, a->h_cls), hbc), c ? c->h_cls : 1));
        rc |= fv_add(v, mix(mix(F_LOWCLS, a->h_low), hbc));
        rc |= fv_add(v, mix(mix(F_CLSLOW, a->h_cls), hb));
        if (a->cue >= 0) {
            uint64_t cue = mix((uint64_t)a->cue + 1,
                               (uint64_t)(a->temporal + 2 * a->negated));
            size_t after = i + a->cue_words;

            ncues++;
            rc |= fv_add(v, mix(F_CUE, cue));
            rc |= fv_add(v, mix(mix(F_CUEPOS, cue), i * 3 / n));
            rc |= fv_add(v, mix(mix(F_CUEPREV, cue),
                                i ? w->w[i - 1].h_cls : 1));
            rc |= fv_add(v, mix(mix(F_CUENEXT, cue),
                                after < n ? w->w[after].h_cls : 1));
            if (a->strength == 2 && !a->temporal && !a->negated)
                strong = true;
        }
    }
    rc |= fv_add(v, mix(F_STRONG, strong));
    rc |= fv_add(v, mix(F_LEN, bucket_len(n)));
    rc |= fv_add(v, mix(F_NCUES, ncues < 3 ? ncues : 3));
    v->n_scaled = v->n;
    return rc ? TX_ENOMEM : TX_OK;
}

/* Value of the word features: 1/sqrt(count), so that part of every
 * sentence has unit length; the relation features that follow are 1. */
static double fval(const fvec *v)
{
    return v->n_scaled ? 1.0 / sqrt((double)v->n_scaled) : 0;
}

static double clf_score(const tx_cause_model *m, const fvec *v)
{
    double s = 0, r = 0;
    size_t i;

    for (i = 0; i < v->n_scaled; i++)
        s += m->clf[slot(m, v->f[i])];
    for (; i < v->n; i++)
        r += m->clf[slot(m, v->f[i])];
    return s * fval(v) + r;
}

static double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* ---- taggers ------------------------------------------------------------ */

/* Per word: a feature list, shared by the signal tagger (without the
 * signal-relative part) and the cause/effect tagger. */
typedef struct tfeats {
    tx_ctx *ctx;
    uint64_t *f;
    size_t n, cap;
    size_t *off; /* word i's features: f[off[i] .. off[i+1]) */
    size_t off_cap;
} tfeats;

static int token_features(const tx__cwords *w, long sig_s, long sig_e,
                          uint64_t sig_h, tfeats *t)
{
    size_t i, n = w->n, commas = 0;
    fvec v = {t->ctx, t->f, 0, t->cap, 0};
    int rc = TX_OK;

    if (tx__grow(t->ctx, (void **)&t->off, &t->off_cap, n + 1,
                 sizeof *t->off))
        return TX_ENOMEM;
    for (i = 0; i < n && rc == TX_OK; i++) {
        const tx__cword *a = &w->w[i];
        uint64_t lp = i ? w->w[i - 1].h_low : 1;
        uint64_t ln = i + 1 < n ? w->w[i + 1].h_low : 2;
        uint64_t cp = i ? w->w[i - 1].h_cls : 1;
        uint64_t cp2 = i > 1 ? w->w[i - 2].h_cls : 1;
        uint64_t cn = i + 1 < n ? w->w[i + 1].h_cls : 2;
        uint64_t cn2 = i + 2 < n ? w->w[i + 2].h_cls : 2;
        size_t k = a->low_len >= 3 ? 3 : a->low_len;

        t->off[i] = v.n;
        rc = fv_add(&v, mix(F_BIAS, 0));
        rc |= fv_add(&v, mix(F_LOW, a->h_low));
        rc |= fv_add(&v, mix(F_CLS, a->h_cls));
        rc |= fv_add(&v, mix(F_LOWP, lp));
        rc |= fv_add(&v, mix(F_LOWN, ln));
        rc |= fv_add(&v, mix(F_CLSP2, cp2));
        rc |= fv_add(&v, mix(F_CLSP, cp));
        rc |= fv_add(&v, mix(F_CLSN, cn));
        rc |= fv_add(&v, mix(F_CLSN2, cn2));
        rc |= fv_add(&v, mix(mix(F_BIP, lp), a->h_low));
        rc |= fv_add(&v, mix(mix(F_BIN, a->h_low), ln));
        rc |= fv_add(&v, mix(mix(F_CLSBP, cp), a->h_cls));
        rc |= fv_add(&v, mix(mix(F_CLSBN, a->h_cls), cn));
        rc |= fv_add(&v, mix(F_SUF, tx__hash(a->low + a->low_len - k, k)));
        rc |= fv_add(&v, mix(F_RPOS, i * 5 / n));
        rc |= fv_add(&v, mix(F_FIRST, i == 0));
        rc |= fv_add(&v, mix(F_LAST, i + 1 == n));
        rc |= fv_add(&v, mix(F_COMMAS, commas < 2 ? commas : 2));
        if (a->cue >= 0)
            rc |= fv_add(&v, mix(F_TCUE, (uint64_t)a->cue));
        rc |= fv_add(&v, mix(F_INCUE, a->in_cue));
        if (sig_s >= 0) {
            long li = (long)i;
            uint64_t side = li < sig_s ? 1 : li < sig_e ? 2 : 3;
            long d = li < sig_s ? sig_s - li : li < sig_e ? 0 : li - sig_e + 1;
            uint64_t db = d <= 1 ? (uint64_t)d : d <= 2 ? 2 : d <= 4 ? 3
                        : d <= 8 ? 4 : d <= 16 ? 5 : 6;
            long j, lo = li < sig_s ? li : sig_e, hi = li < sig_s ? sig_s : li;
            uint64_t comma = 0;

            for (j = lo; j < hi && comma < 3; j++)
                comma += w->w[j].low_len == 1 && (w->w[j].low[0] == ',' ||
                                                  w->w[j].low[0] == ';');
            rc |= fv_add(&v, mix(F_SIDE, side));
            rc |= fv_add(&v, mix(mix(F_SIDEDIST, side), db));
            rc |= fv_add(&v, mix(mix(F_SIDESIG, side), sig_h));
            rc |= fv_add(&v, mix(mix(F_SIDELOW, side), a->h_low));
            rc |= fv_add(&v, mix(mix(F_SIDECLS, side), a->h_cls));
            rc |= fv_add(&v, mix(mix(F_SIDECLSN, side), cn));
            rc |= fv_add(&v, mix(mix(F_SIDECOMMA, side), comma));
        } else {
            rc |= fv_add(&v, mix(F_SIDE, 0));
        }
        if (a->low_len == 1 && (a->low[0] == ',' || a->low[0] == ';'))
            commas++;
    }
    t->f = v.f;
    t->cap = v.cap;
    t->n = v.n;
    if (n)
        t->off[n] = v.n;
    return rc ? TX_ENOMEM : TX_OK;
}

/* Can tag b follow tag a? Tags: 0 = O, then B/I pairs (1,2), (3,4). */
static bool allowed(int a, int b)
{
    if (b == 0 || b % 2 == 1)
        return true;
    return a == b || a == b - 1;
}

/* A feature's weights for all tags sit side by side (a block of 8), so
 * scoring a word touches one cache line per feature. */
static inline uint32_t tag_slot(const tx__tagger *g, uint64_t f, int tag)
{
    return ((uint32_t)(f >> (64 - g->bits)) & ~7u) + (uint32_t)tag;
}

/* Viterbi decoding into tags[0..n). `sc` and `bp` are scratch of n*T. */
static void viterbi(const tx__tagger *g, const tfeats *t, size_t n,
                    double *sc, int *bp, int *tags)
{
    int T = g->n_tags, a, b;
    size_t i, k;

    for (i = 0; i < n; i++) {
        double e[8] = {0};

        for (k = t->off[i]; k < t->off[i + 1]; k++) {
            const float *wb = g->w + tag_slot(g, t->f[k], 0);
            for (b = 0; b < T; b++)
                e[b] += wb[b];
        }
        for (b = 0; b < T; b++) {
            double best = -HUGE_VAL;
            int arg = 0;

            if (i == 0) {
                best = allowed(0, b) ? g->trans[T * T + b] : -HUGE_VAL;
            } else {
                for (a = 0; a < T; a++) {
                    double s = sc[(i - 1) * (size_t)T + (size_t)a];
                    if (!allowed(a, b) || s == -HUGE_VAL)
                        continue;
                    s += g->trans[a * T + b];
                    if (s > best) {
                        best = s;
                        arg = a;
                    }
                }
            }
            sc[i * (size_t)T + (size_t)b] = best == -HUGE_VAL ? best
                                                              : best + e[b];
            bp[i * (size_t)T + (size_t)b] = arg;
        }
    }
    if (!n)
        return;
    {
        double best = -HUGE_VAL;
        int arg = 0;
        for (b = 0; b < T; b++)
            if (sc[(n - 1) * (size_t)T + (size_t)b] > best) {
                best = sc[(n - 1) * (size_t)T + (size_t)b];
                arg = b;
            }
        for (i = n; i-- > 0;) {
            tags[i] = arg;
            arg = bp[i * (size_t)T + (size_t)arg];
        }
    }
}

/* ---- scratch shared by detection and training ------------------------- */

struct work {
    tx__cwords words;
    fvec sv;
    tfeats tf;
    double *sc;
    int *bp, *tags;
    size_t cap;
};

static void work_init(struct work *k, tx_ctx *ctx)
{
    memset(k, 0, sizeof *k);
    tx__cwords_init(&k->words, ctx);
    k->sv.ctx = ctx;
    k->tf.ctx = ctx;
}

static void work_free(struct work *k, tx_ctx *ctx)
{
    tx__cwords_free(&k->words);
    tx_free(ctx, k->sv.f);
    tx_free(ctx, k->tf.f);
    tx_free(ctx, k->tf.off);
    tx_free(ctx, k->sc);
    tx_free(ctx, k->bp);
    tx_free(ctx, k->tags);
}

static int work_reserve(struct work *k, tx_ctx *ctx, size_t n)
{
    size_t c = k->cap;

    if (n <= k->cap)
        return TX_OK;
    if (tx__grow(ctx, (void **)&k->sc, &c, n * 5, sizeof *k->sc))
        return TX_ENOMEM;
    c = k->cap;
    if (tx__grow(ctx, (void **)&k->bp, &c, n * 5, sizeof *k->bp))
        return TX_ENOMEM;
    c = k->cap;
    if (tx__grow(ctx, (void **)&k->tags, &c, n * 5, sizeof *k->tags))
        return TX_ENOMEM;
    k->cap = n;
    return TX_OK;
}

/* First run of B-x I-x* with B-x = `b` in tags; -1 when none. */
static void first_run(const int *tags, size_t n, int b, long *s, long *e)
{
    size_t i = 0;

    *s = *e = -1;
    while (i < n && tags[i] != b)
        i++;
    if (i == n)
        return;
    *s = (long)i++;
    while (i < n && tags[i] == b + 1)
        i++;
    *e = (long)i;
}

/* ---- relation features ---------------------------------------------------- */

static bool is_punct(const tx__cword *x);
static long rule_cue(const tx__cwords *w, bool strong_only);

/* Runs the relation finder (cause/effect tags learned with sentences that
 * state no cause) relative to the first cue, and adds what it found to the
 * sentence features: cause and/or effect found, and how much the best
 * tagging beats tagging nothing. */
static int relation_features(const tx__tagger *g, struct work *k, fvec *v)
{
    tx__cwords *w = &k->words;
    long cue = rule_cue(w, false), s0 = cue, s1 = -1, a1, a2, b1, b2, i;
    uint64_t sh = 0, cuef = cue >= 0 ? (uint64_t)w->w[cue].cue + 1 : 0;
    double best, none = 0;
    int T = g->n_tags, rc;
    size_t j, q;

    if (!w->n)
        return TX_OK;
    if ((rc = work_reserve(k, k->words.ctx, w->n)) != TX_OK)
        return rc;
    if (cue >= 0)
        s1 = cue + w->w[cue].cue_words;
    for (i = s0; i >= 0 && i < s1; i++)
        sh = mix(sh, w->w[i].h_low);
    if ((rc = token_features(w, s0, s1, sh, &k->tf)) != TX_OK)
        return rc;
    viterbi(g, &k->tf, w->n, k->sc, k->bp, k->tags);
    best = -HUGE_VAL;
    for (q = 0; q < (size_t)T; q++)
        if (k->sc[(w->n - 1) * (size_t)T + q] > best)
            best = k->sc[(w->n - 1) * (size_t)T + q];
    for (j = 0; j < w->n; j++) {
        for (q = k->tf.off[j]; q < k->tf.off[j + 1]; q++)
            none += g->w[tag_slot(g, k->tf.f[q], 0)];
        none += j ? g->trans[0] : g->trans[T * T];
    }
    first_run(k->tags, w->n, 1, &a1, &a2);
    first_run(k->tags, w->n, 3, &b1, &b2);
    {
        uint64_t found = (uint64_t)((a1 >= 0) + 2 * (b1 >= 0));
        double d = best - none;
        uint64_t db = d <= 0 ? 0 : d < 2 ? 1 : d < 5 ? 2 : d < 10 ? 3
                    : d < 20 ? 4 : d < 40 ? 5 : 6;
        rc = fv_add(v, mix(F_REL, found));
        rc |= fv_add(v, mix(F_RELM, db));
        rc |= fv_add(v, mix(mix(F_RELC, found), cuef));
        rc |= fv_add(v, mix(mix(F_RELFM, found), db));
    }
    return rc ? TX_ENOMEM : TX_OK;
}

/* ---- cue rules ---------------------------------------------------------- */

static bool is_punct(const tx__cword *x)
{
    return x->low_len == 1 && !((x->low[0] >= 'a' && x->low[0] <= 'z') ||
                                (x->low[0] >= '0' && x->low[0] <= '9'));
}

static bool is_comma(const tx__cword *x)
{
    return x->low_len == 1 && (x->low[0] == ',' || x->low[0] == ';');
}

/* The cue a rule would split at: the first strong cue that is neither
 * negated nor temporal, else (unless strong_only) the first such medium
 * one; -1 when none. */
static long rule_cue(const tx__cwords *w, bool strong_only)
{
    size_t i;
    long medium = -1;

    for (i = 0; i < w->n; i++) {
        const tx__cword *x = &w->w[i];
        int st = x->strength;
        if (x->cue < 0 || x->negated || x->temporal)
            continue;
        if (st == 2)
            return (long)i;
        if (st == 1 && medium < 0 && !strong_only)
            medium = (long)i;
    }
    return medium;
}

/* Trims punctuation and connecting words from both ends of [*s, *e). */
static void trim(const tx__cwords *w, long *s, long *e)
{
    while (*s < *e && (is_punct(&w->w[*s]) ||
                       strcmp(w->w[*s].low, "and") == 0))
        (*s)++;
    while (*e > *s && (is_punct(&w->w[*e - 1]) ||
                       strcmp(w->w[*e - 1].low, "and") == 0 ||
                       strcmp(w->w[*e - 1].low, "but") == 0))
        (*e)--;
}

static bool word_is(const tx__cword *x, const char *const *list)
{
    size_t i;
    for (i = 0; list[i]; i++)
        if (strcmp(x->low, list[i]) == 0)
            return true;
    return false;
}

static bool clause_break(const tx__cword *x)
{
    return x->low_len == 1 && (x->low[0] == ';' || x->low[0] == ':');
}

/* Where a fronted cause with no comma ends ("Since the update the app is
 * slow"): before the first determiner or pronoun that follows a noun
 * while no verb has been seen, or before the first subject pronoun once
 * one has ("Because the invoice showed the old price I was charged"). */
static long fronted_end(const tx__cwords *w, long from, long n)
{
    static const char *const det[] = {"the", "my", "our", "your", "their",
                                       "this", "it", "i", "we", "they",
                                       "he", "she", "you", "everything",
                                       "nothing", NULL};
    static const char *const subj[] = {"it", "i", "we", "they", "he", "she",
                                       "you", NULL};
    static const char *const verbs[] = {
        "is", "was", "were", "are", "has", "have", "had", "did", "does",
        "do", "got", "get", "can", "could", "will", "would", "keeps", "kept",
        "went", "came", "took", "made", "broke", "said", "told", "showed",
        "changed", "stopped", "moved", "left", "sent", NULL};
    static const char *const prep[] = {"at", "in", "on", "of", "for", "to",
                                       "with", "from", "by", "about", NULL};
    bool verb = false;
    long j;

    for (j = from; j < n; j++) {
        const tx__cword *x = &w->w[j];
        if (j >= from + 2 && !word_is(&w->w[j - 1], prep) &&
            (verb ? word_is(x, subj) : word_is(x, det)))
            return j;
        if (word_is(x, verbs) || strcmp(x->cls, "#ed") == 0 ||
            strcmp(x->cls, "#ing") == 0)
            verb = true;
    }
    return n;
}

/* Cause and effect word ranges from the cue at word c. */
static void split_at_cue(const tx__cwords *w, long c, long *cs, long *ce,
                         long *es, long *ee)
{
    long n = (long)w->n, after = c + w->w[c].cue_words, j, lead = 0;

    while (lead < c && is_punct(&w->w[lead]))
        lead++;
    if (tx__cue_forward(w->w[c].cue)) {
        /* "X, so Y": the cause starts after a contrast or clause break */
        for (j = c - 1; j > 0; j--)
            if (strcmp(w->w[j].low, "but") == 0 || clause_break(&w->w[j]))
                break;
        *cs = j > 0 ? j + 1 : 0, *ce = c;
        /* a verb's object ends at a comma too ("broke face ID, thanks") */
        for (j = after; j < n && !clause_break(&w->w[j]) &&
                        !(tx__cue_verb(w->w[c].cue) && is_comma(&w->w[j]));
             j++)
            ;
        *es = after, *ee = j;
    } else if (lead == c) {
        /* "Because X, Y": the cause runs to the first comma, or to where
         * a new clause starts when that comes first */
        long f = fronted_end(w, after, n);
        for (j = after; j < n && !is_comma(&w->w[j]); j++)
            ;
        if (f < j)
            j = f;
        *cs = after, *ce = j;
        *es = j < n && is_comma(&w->w[j]) ? j + 1 : j, *ee = n;
    } else {
        /* "Y because X": the cause runs to a contrast, a clause break or
         * the end; the effect starts after one */
        for (j = after; j < n && strcmp(w->w[j].low, "but") != 0 &&
                        !clause_break(&w->w[j]); j++)
            ;
        *cs = after, *ce = j;
        for (j = c - 1; j > 0; j--)
            if (strcmp(w->w[j].low, "but") == 0 || clause_break(&w->w[j]))
                break;
        *es = j > 0 ? j + 1 : 0, *ee = c;
    }
    trim(w, cs, ce);
    trim(w, es, ee);
}

/* ---- complaints ---------------------------------------------------------- */

/* Words that make a sentence a complaint, written for this project; a
 * negated positive word ("not helpful") counts too. */
static const char *const complaint_words[] = {
    "broken", "broke", "break", "breaks", "crash", "crashes", "crashed",
    "crashing", "slow", "slower", "late", "delayed", "delay", "delays",
    "wrong", "error", "errors", "fail", "failed", "fails", "failing",
    "failure", "bad", "terrible", "awful", "horrible", "worst", "worse",
    "poor", "rude", "unhelpful", "useless", "annoying", "annoyed",
    "frustrating", "frustrated", "confusing", "confused", "difficult",
    "impossible", "stuck", "lost", "missing", "overcharged", "charged",
    "refund", "cancelled", "canceled", "complaint", "problem", "problems",
    "issue", "issues", "bug", "bugs", "glitch", "freezes", "froze",
    "frozen", "unable", "can't", "cannot", "couldn't", "won't", "didn't",
    "doesn't", "nobody", "nothing", "again", "still", "waiting", "waited",
    "disappointed", "disappointing", "unacceptable", "ridiculous", "angry",
    "upset", "worried", "scared", "nightmare", "hassle", "mess", "damaged",
    "declined", "rejected", "locked", "blocked", "expensive", "overpriced",
    "hidden", "fee", "fees", "forever", "repeat", "repeating", "transferred",
    "ignored", "unanswered", "keeps", "kept", "never", "lack", "lacking",
    "outage", "down", "stopped", "wasted", "waste", "unclear", "hard",
    "tricky", "mistake", "incorrect", "twice", "disconnected", "logged",
    "spam", "scam", "unreliable", "buggy", "laggy", "lag", "hate", "hated",
    "struggle", "struggled", "struggling", "chase", "chasing", "nowhere",
    "nonexistent", "denied", "penalty", "penalised", "penalized", "bounced",
    "timed", "timeout", "no", "not", "n't", NULL};
static const char *const positive_words[] = {
    "great", "good", "love", "loved", "excellent", "amazing", "helpful",
    "easy", "quick", "fast", "friendly", "perfect", "smooth", "happy",
    "thanks", "thank", "awesome", "fantastic", "brilliant", "clear",
    "simple", "pleased", "wonderful", "best", "nice", "fine", "solved",
    "resolved", "fixed", NULL};

static tx__wordset complaint_set, positive_set;
static int lexicon_ok;
static pthread_once_t lexicon_once = PTHREAD_ONCE_INIT;

static void lexicon_build(void)
{
    lexicon_ok = tx__wordset_init(&complaint_set, complaint_words) == TX_OK &&
                 tx__wordset_init(&positive_set, positive_words) == TX_OK;
}

static bool listed(const tx__wordset *set, const tx__cword *x)
{
    return tx__wordset_has(set, x->h_low);
}

static bool complaint(const tx__cwords *w)
{
    long neg = 0, pos = 0;
    size_t i;

    pthread_once(&lexicon_once, lexicon_build);
    if (!lexicon_ok)
        return false;
    for (i = 0; i < w->n; i++) {
        const tx__cword *x = &w->w[i];
        bool negated = (i > 0 && tx__cword_is_negator(&w->w[i - 1])) ||
                       (i > 1 && tx__cword_is_negator(&w->w[i - 2]));

        if (listed(&positive_set, x))
            negated ? neg++ : pos++;
        else if (listed(&complaint_set, x))
            neg++;
    }
    return neg > pos;
}

/* ---- detection ------------------------------------------------------------ */

void tx_cause_params_init(tx_cause_params *p)
{
    memset(p, 0, sizeof *p);
    p->threshold = -1;
    p->rules = 1;
    p->relations = 1;
}

static tx_span word_span(const tx__cwords *w, long s, long e)
{
    tx_span r = {0, 0};
    if (s >= 0 && e > s) {
        r.start = w->w[s].start;
        r.end = w->w[e - 1].end;
    }
    return r;
}

/* Detection in one sentence text[a, b). */
static int detect_one(const tx_cause_model *m, const tx_cause_params *p,
                      struct work *k, const char *text, size_t a, size_t b,
                      tx_cause_sentence *out)
{
    tx__cwords *w = &k->words;
    double thr = p->threshold >= 0 ? p->threshold : m->threshold;
    long ss = -1, se = -1, cs = -1, ce = -1, es = -1, ee = -1, cue, rcue;
    int rc;

    memset(out, 0, sizeof *out);
    out->sentence.start = a;
    out->sentence.end = b;
    rc = tx__cwords_split(w, text, a, b);
    if (rc != TX_OK)
        return rc;
    if (!w->n)
        return TX_OK;
    k->sv.n = 0;
    if ((rc = sentence_features(w, &k->sv)) != TX_OK ||
        (rc = relation_features(&m->det, k, &k->sv)) != TX_OK)
        return rc;
    out->score = (float)sigmoid(clf_score(m, &k->sv) + m->clf_bias);
    out->causal = out->score >= thr;
    /* cue rules: a strong cue states a cause; so does a medium one
     * ("since", "after", "so") in a complaint, where it names what the
     * customer blames ("stopped working after the update") */
    out->complaint = complaint(w);
    rcue = p->rules ? rule_cue(w, !out->complaint) : -1;
    if (rcue >= 0)
        out->causal = 1;
    if (!out->causal)
        return TX_OK;
    if ((rc = work_reserve(k, m->ctx, w->n)) != TX_OK)
        return rc;
    /* signal: the tagger's, else the rule's cue */
    if ((rc = token_features(w, -1, -1, 0, &k->tf)) != TX_OK)
        return rc;
    viterbi(&m->sig, &k->tf, w->n, k->sc, k->bp, k->tags);
    first_run(k->tags, w->n, 1, &ss, &se);
    cue = rule_cue(w, false);
    if (ss >= 0 && w->w[ss].negated) {
        /* "not because of X": X is denied, not stated */
        if (cue >= 0 && cue != ss) {
            ss = cue;
            se = cue + w->w[cue].cue_words;
        }
    }
    {
        uint64_t sh = 0;
        long i;
        for (i = ss; i >= 0 && i < se; i++)
            sh = mix(sh, w->w[i].h_low);
        if ((rc = token_features(w, ss, se, sh, &k->tf)) != TX_OK)
            return rc;
    }
    viterbi(&m->ce, &k->tf, w->n, k->sc, k->bp, k->tags);
    first_run(k->tags, w->n, 1, &cs, &ce);
    first_run(k->tags, w->n, 3, &es, &ee);
    if (p->rules && rcue < 0 &&
        (ss < 0 || w->w[ss].cue < 0 || w->w[ss].strength == 0)) {
        /* with the rules, the model alone must also have found a known
         * cue: in customer text its cue-less and weak-cue ("for", "to",
         * "if") finds are mostly wrong */
        out->causal = 0;
        return TX_OK;
    }
    if (p->rules && (cs < 0 || es < 0 || rcue >= 0)) {
        /* a rule cue decided, or the tagger missed a part: split at the
         * rule's cue, else at the tagged signal when it is a known cue
         * (the tagger learnt news text; the split fits feedback better) */
        long at = rcue >= 0 ? rcue : cue >= 0 ? cue
                : ss >= 0 && w->w[ss].cue >= 0 ? ss : -1;
        if (at >= 0 && !w->w[at].negated) {
            long rcs, rce, res, ree;
            split_at_cue(w, at, &rcs, &rce, &res, &ree);
            if (rce > rcs) {
                cs = rcs, ce = rce;
                es = res, ee = ree;
                ss = at;
                se = at + w->w[at].cue_words;
            }
        }
    }
    /* a cause that starts with a backward cue ("since the update") has
     * found its signal, and is shown without it */
    if (ss < 0 && cs >= 0 && w->w[cs].cue >= 0) {
        ss = cs;
        se = cs + w->w[cs].cue_words;
    }
    if (ss >= 0 && cs == ss && ce > se && w->w[ss].cue >= 0 &&
        !tx__cue_forward(w->w[ss].cue) && w->w[ss].strength > 0)
        cs = se;
    if (p->rules && cs >= 0)
        trim(w, &cs, &ce); /* shown spans never start or end on punctuation */
    if (p->rules && es >= 0)
        trim(w, &es, &ee);
    out->cue = word_span(w, ss, se);
    out->cue_negated = ss >= 0 && w->w[ss].negated;
    if (out->cue_negated || (ss >= 0 && w->w[ss].temporal))
        cs = ce = -1; /* a denied cause is not a stated one, and "since
                         Monday" states a time */
    out->cause = word_span(w, cs, ce);
    out->effect = word_span(w, es, ee);
    if (p->rules && out->cause.end == out->cause.start)
        out->causal = 0; /* with the rules, causal means a cause to show */
    return TX_OK;
}

/* Appends further relations of the causal sentence at (*arr)[*n - 1]
 * (whose words are in k): the span tagger run relative to each other
 * signal the signal tagger finds, then each other known cue; a complete
 * cause-effect pair not given yet becomes an entry. */
static int further_relations(const tx_cause_model *m, const tx_cause_params *p,
                             struct work *k, tx_cause_sentence **arr,
                             size_t *n, size_t *cap)
{
    tx__cwords *w = &k->words;
    size_t first = *n - 1, made = 1, pass, i, nc = 0;
    long *cand;
    int rc;

    if (!w->n || (rc = work_reserve(k, m->ctx, w->n)) != TX_OK)
        return w->n ? rc : TX_OK;
    cand = tx__malloc(m->ctx, 2 * w->n * sizeof *cand);
    if (!cand)
        return TX_ENOMEM;
    if ((rc = token_features(w, -1, -1, 0, &k->tf)) != TX_OK) {
        tx_free(m->ctx, cand);
        return rc;
    }
    viterbi(&m->sig, &k->tf, w->n, k->sc, k->bp, k->tags);
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < w->n; i++)
            if (pass == 0 ? k->tags[i] == 1
                          : w->w[i].cue >= 0 && !w->w[i].negated &&
                                w->w[i].strength > 0 &&
                                !w->w[i].temporal)
                cand[nc++] = (long)i;
    for (i = 0; i < nc && made < (size_t)p->relations && rc == TX_OK; i++) {
        long s0 = cand[i], s1 = s0 + 1, cs, ce, es, ee, j;
        uint64_t sh = 0;
        tx_cause_sentence r;
        size_t q;
        bool seen = false;

        if (k->tags[s0] == 1 && i < nc)
            for (s1 = s0 + 1; s1 < (long)w->n && k->tags[s1] == 2; s1++)
                ;
        if (w->w[s0].cue >= 0 && s1 < s0 + w->w[s0].cue_words)
            s1 = s0 + w->w[s0].cue_words;
        if (w->w[s0].start >= (*arr)[first].cue.start &&
            w->w[s0].start < (*arr)[first].cue.end)
            continue; /* the first relation's own signal */
        for (j = s0; j < s1; j++)
            sh = mix(sh, w->w[j].h_low);
        if ((rc = token_features(w, s0, s1, sh, &k->tf)) != TX_OK)
            break;
        viterbi(&m->ce, &k->tf, w->n, k->sc, k->bp, k->tags + w->n);
        first_run(k->tags + w->n, w->n, 1, &cs, &ce);
        first_run(k->tags + w->n, w->n, 3, &es, &ee);
        /* the signal tags are needed again for the next candidate */
        if (cs < 0 || es < 0)
            continue;
        r = (*arr)[first];
        r.relation = (int)made;
        r.cause = word_span(w, cs, ce);
        r.effect = word_span(w, es, ee);
        r.cue = word_span(w, s0, s1);
        r.cue_negated = 0;
        for (q = first; q < *n && !seen; q++)
            seen = (*arr)[q].cause.start == r.cause.start &&
                   (*arr)[q].cause.end == r.cause.end &&
                   (*arr)[q].effect.start == r.effect.start &&
                   (*arr)[q].effect.end == r.effect.end;
        if (seen)
            continue;
        if (tx__grow(m->ctx, (void **)arr, cap, *n + 1, sizeof **arr)) {
            rc = TX_ENOMEM;
            break;
        }
        (*arr)[(*n)++] = r;
        made++;
    }
    tx_free(m->ctx, cand);
    return rc;
}

int tx_causes_detect(tx_ctx *ctx, const tx_cause_model *m,
                     const tx_cause_params *p, const char *text, size_t len,
                     tx_cause_sentence **out, size_t *n)
{
    tx_cause_params def;
    tx_span one, *sent = &one;
    size_t ns = 1, i, got = 0, cap;
    struct work k;
    int rc = TX_OK;

    *out = NULL;
    *n = 0;
    if (!ctx || !m || !text)
        return TX_EINVAL;
    if (!p) {
        tx_cause_params_init(&def);
        p = &def;
    }
    if (p->whole) {
        one.start = 0;
        one.end = len;
    } else {
        rc = tx_sentences(text, len, NULL, 0, &ns);
        if (rc != TX_OK && rc != TX_ERANGE)
            return rc;
        sent = tx__malloc(ctx, (ns ? ns : 1) * sizeof *sent);
        if (!sent)
            return TX_ENOMEM;
        if ((rc = tx_sentences(text, len, sent, ns, &ns)) != TX_OK) {
            tx_free(ctx, sent);
            return rc;
        }
    }
    cap = ns ? ns : 1;
    *out = tx__calloc(ctx, cap, sizeof **out);
    if (!*out) {
        if (sent != &one)
            tx_free(ctx, sent);
        return TX_ENOMEM;
    }
    work_init(&k, ctx);
    for (i = 0; i < ns && rc == TX_OK; i++) {
        if (tx__grow(ctx, (void **)out, &cap, got + 1, sizeof **out)) {
            rc = TX_ENOMEM;
            break;
        }
        rc = detect_one(m, p, &k, text, sent[i].start, sent[i].end,
                        &(*out)[got++]);
        if (rc == TX_OK && p->relations > 1 && (*out)[got - 1].causal)
            rc = further_relations(m, p, &k, out, &got, &cap);
    }
    work_free(&k, ctx);
    if (sent != &one)
        tx_free(ctx, sent);
    if (rc != TX_OK) {
        tx_free(ctx, *out);
        *out = NULL;
        return rc;
    }
    *n = got;
    return TX_OK;
}

/* ---- marked-up training text ------------------------------------------- */

int tx_cause_parse_marked(tx_ctx *ctx, const char *marked, size_t len,
                          tx_cause_example *ex)
{
    char *plain = tx__malloc(ctx, len + 1);
    size_t i = 0, o = 0;
    bool cue_done = false, in_sig = false;

    memset(ex, 0, sizeof *ex);
    if (!plain)
        return TX_ENOMEM;
    while (i < len) {
        const char *t = marked + i;
        size_t rest = len - i;

        if (t[0] == '<') {
            bool close = rest > 1 && t[1] == '/';
            const char *name = t + 1 + close;
            size_t nl = 0;
            while (name + nl < marked + len && name[nl] >= 'A' &&
                   name[nl] <= 'Z')
                nl++;
            while (name + nl < marked + len && name[nl] >= '0' &&
                   name[nl] <= '9')
                nl++;
            if (nl && name + nl < marked + len && name[nl] == '>' &&
                (strncmp(name, "ARG0", 4) == 0 ||
                 strncmp(name, "ARG1", 4) == 0 ||
                 strncmp(name, "SIG", 3) == 0)) {
                tx_span *sp = name[0] == 'S' ? &ex->cue
                            : name[3] == '0' ? &ex->cause : &ex->effect;
                bool first_sig = name[0] == 'S' && !cue_done;
                if (name[0] != 'S' || first_sig || in_sig) {
                    if (!close)
                        sp->start = o;
                    else
                        sp->end = o;
                }
                if (name[0] == 'S') {
                    if (close && in_sig) {
                        cue_done = true;
                        in_sig = false;
                    } else if (!close && first_sig) {
                        in_sig = true;
                    }
                }
                i += (size_t)(name + nl + 1 - t);
                continue;
            }
        }
        plain[o++] = marked[i++];
    }
    plain[o] = '\0';
    ex->text = plain;
    ex->len = o;
    ex->causal = ex->cause.end > ex->cause.start;
    ex->has_spans = ex->causal;
    return TX_OK;
}

/* ---- training ------------------------------------------------------------ */

void tx_cause_train_params_init(tx_cause_train_params *p)
{
    p->bits = 20;
    p->epochs = 6;
    p->tagger_epochs = 20;
    p->l2 = 1e-4;
    p->rate = 0.1;
}

static void shuffle(size_t *perm, size_t n, uint64_t *rng)
{
    size_t i;
    for (i = 0; i < n; i++)
        perm[i] = i;
    for (i = n; i > 1; i--) {
        size_t j = (size_t)(tx__rng_next(rng) % i), t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

/* Cross-fitting folds: a sentence's fold follows from its text, so the
 * same sentence in the label and span files falls in the same fold. */
#define N_FOLDS 5
static size_t fold_of(const tx_cause_example *e)
{
    return (size_t)(tx__hash(e->text, e->len) % N_FOLDS);
}

/* AdaGrad logistic regression on the examples whose fold is not `skip`
 * (all when skip is N_FOLDS) into m->clf / m->clf_bias. The model is the
 * mean of the weights at the end of each epoch (and of the bias over all
 * steps), which generalizes better than the last weights on a few
 * thousand rows. */
static int fit_classifier(tx_ctx *ctx, const tx_cause_train_params *p,
                          tx_cause_model *m, const tx_cause_example *ex,
                          const fvec *fv, size_t n, size_t skip)
{
    size_t nw = (size_t)1 << m->bits, e, i, j, nu = 0, *perm, *use;
    float *G = tx__calloc(ctx, nw, sizeof *G);
    float *avg = tx__calloc(ctx, nw, sizeof *avg);
    uint64_t rng = tx_ctx_seed(ctx) ^ 0x5eed0001ULL;
    double gb = 0, bsum = 0, steps = 0;

    perm = tx__malloc(ctx, (n ? n : 1) * sizeof *perm);
    use = tx__malloc(ctx, (n ? n : 1) * sizeof *use);
    if (!G || !avg || !perm || !use) {
        tx_free(ctx, G);
        tx_free(ctx, avg);
        tx_free(ctx, perm);
        tx_free(ctx, use);
        return TX_ENOMEM;
    }
    memset(m->clf, 0, nw * sizeof *m->clf);
    m->clf_bias = 0;
    for (i = 0; i < n; i++)
        if (fold_of(&ex[i]) != skip)
            use[nu++] = i;
    for (e = 0; e < (size_t)p->epochs; e++) {
        shuffle(perm, nu, &rng);
        for (j = 0; j < nu; j++) {
            const fvec *v = &fv[use[perm[j]]];
            double y = ex[use[perm[j]]].causal ? 1 : 0;
            double g = sigmoid(clf_score(m, v) + m->clf_bias) - y;
            double x = fval(v);

            for (i = 0; i < v->n; i++) {
                uint32_t s = slot(m, v->f[i]);
                double gi = g * (i < v->n_scaled ? x : 1) + p->l2 * m->clf[s];
                G[s] += (float)(gi * gi);
                m->clf[s] -= (float)(p->rate * gi / sqrt(G[s] + 1e-8));
            }
            gb += g * g;
            m->clf_bias -= (float)(p->rate * g / sqrt(gb + 1e-8));
            steps++;
            bsum += m->clf_bias;
        }
        for (i = 0; i < nw; i++)
            avg[i] += m->clf[i];
    }
    if (p->epochs > 0 && steps > 0) {
        for (i = 0; i < nw; i++)
            m->clf[i] = avg[i] / (float)p->epochs;
        m->clf_bias = (float)(bsum / steps);
    }
    tx_free(ctx, G);
    tx_free(ctx, avg);
    tx_free(ctx, perm);
    tx_free(ctx, use);
    return TX_OK;
}

struct scored {
    double p;
    int y;
};

static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return x->p > y->p ? -1 : x->p < y->p ? 1 : y->y - x->y;
}

/* The threshold with the best F1 of the causal class over out-of-fold
 * probabilities: the midpoint between the last accepted and the next. */
static double best_threshold(struct scored *s, size_t n)
{
    size_t i, tp = 0, pos = 0;
    double best = -1, thr = 0.5;

    for (i = 0; i < n; i++)
        pos += s[i].y != 0;
    qsort(s, n, sizeof *s, by_score);
    for (i = 0; i < n; i++) {
        double f1;
        tp += s[i].y != 0;
        f1 = 2.0 * (double)tp / (double)(i + 1 + pos);
        if (f1 > best && (i + 1 == n || s[i + 1].p < s[i].p)) {
            best = f1;
            thr = i + 1 < n ? (s[i].p + s[i + 1].p) / 2 : s[i].p;
        }
    }
    return thr;
}

/* The classifier, with `rel[f]` finding relations in fold f's sentences
 * without having seen them (so the classifier learns how far to trust
 * it on new text). Its threshold is the one that maximizes F1 on
 * out-of-fold probabilities of classifiers trained on the other folds. */
static int train_classifier(tx_ctx *ctx, const tx_cause_train_params *p,
                            tx_cause_model *m, const tx_cause_example *ex,
                            size_t n, const tx__tagger *rel)
{
    fvec *fv = tx__calloc(ctx, n ? n : 1, sizeof *fv);
    struct scored *oof = tx__malloc(ctx, (n ? n : 1) * sizeof *oof);
    struct work k;
    size_t i, f;
    int rc = fv && oof ? TX_OK : TX_ENOMEM;

    work_init(&k, ctx);
    for (i = 0; i < n && rc == TX_OK; i++) {
        fv[i].ctx = ctx;
        rc = tx__cwords_split(&k.words, ex[i].text, 0, ex[i].len);
        if (rc == TX_OK)
            rc = sentence_features(&k.words, &fv[i]);
        if (rc == TX_OK)
            rc = relation_features(&rel[fold_of(&ex[i])], &k, &fv[i]);
    }
    for (f = 0; f < N_FOLDS && rc == TX_OK && n; f++) {
        rc = fit_classifier(ctx, p, m, ex, fv, n, f);
        for (i = 0; i < n && rc == TX_OK; i++)
            if (fold_of(&ex[i]) == f) {
                oof[i].p = sigmoid(clf_score(m, &fv[i]) + m->clf_bias);
                oof[i].y = ex[i].causal != 0;
            }
    }
    if (rc == TX_OK && n)
        m->threshold = best_threshold(oof, n);
    if (rc == TX_OK)
        rc = fit_classifier(ctx, p, m, ex, fv, n, N_FOLDS);
    for (i = 0; i < n && fv; i++)
        tx_free(ctx, fv[i].f);
    tx_free(ctx, fv);
    tx_free(ctx, oof);
    work_free(&k, ctx);
    return rc;
}

/* Gold tags of one example for the signal (T = 3) or cause/effect (T = 5)
 * tagger: a word takes a span's tag when it lies inside it. */
static void gold_tags(const tx__cwords *w, const tx_cause_example *ex,
                      bool sig, int *tags)
{
    size_t i;
    const tx_span *sp[2] = {sig ? &ex->cue : &ex->cause, &ex->effect};
    int kinds = sig ? 1 : 2, k;

    for (i = 0; i < w->n; i++) {
        tags[i] = 0;
        for (k = 0; k < kinds; k++) {
            const tx_span *s = sp[k];
            if (s->end > s->start && w->w[i].start >= s->start &&
                w->w[i].end <= s->end) {
                bool first = i == 0 || w->w[i - 1].start < s->start;
                tags[i] = 1 + 2 * k + (first ? 0 : 1);
                break;
            }
        }
    }
}

struct tseq {
    tfeats tf;
    int *gold;
    size_t n;
};

static void perceptron_update(tx__tagger *g, float *acc, const struct tseq *q,
                              const int *pred, double c)
{
    int T = g->n_tags;
    size_t i, k;

    for (i = 0; i < q->n; i++) {
        int y = q->gold[i], z = pred[i];
        int yp = i ? q->gold[i - 1] : T, zp = i ? pred[i - 1] : T;

        if (y != z) {
            for (k = q->tf.off[i]; k < q->tf.off[i + 1]; k++) {
                uint32_t sy = tag_slot(g, q->tf.f[k], y);
                uint32_t sz = tag_slot(g, q->tf.f[k], z);
                g->w[sy] += 1;
                acc[sy] += (float)c;
                g->w[sz] -= 1;
                acc[sz] -= (float)c;
            }
        }
        if (y != z || yp != zp) {
            g->trans[yp * T + y] += 1;
            g->trans_acc[yp * T + y] += c;
            g->trans[zp * T + z] -= 1;
            g->trans_acc[zp * T + z] -= c;
        }
    }
}

/* Which signal the cause/effect features are relative to. */
enum { SIG_NONE, SIG_GOLD, SIG_RULE };

static int train_tagger(tx_ctx *ctx, const tx_cause_train_params *p,
                        tx__tagger *g, const tx_cause_example *ex, size_t n,
                        int sigsrc)
{
    bool sig = sigsrc == SIG_NONE;
    size_t nw = (size_t)1 << g->bits, i, e, j, maxn = 0, *perm;
    float *acc = tx__calloc(ctx, nw, sizeof *acc);
    struct tseq *q = tx__calloc(ctx, n ? n : 1, sizeof *q);
    struct work k;
    uint64_t rng = tx_ctx_seed(ctx) ^ (sig ? 0x5eed0002ULL : 0x5eed0003ULL);
    double c = 1;
    int rc = TX_OK, T = g->n_tags;

    work_init(&k, ctx);
    perm = tx__malloc(ctx, (n ? n : 1) * sizeof *perm);
    if (!acc || !q || !perm)
        rc = TX_ENOMEM;
    for (i = 0; i < n && rc == TX_OK; i++) {
        uint64_t sh = 0;
        long ss = -1, se = -1, t;

        rc = tx__cwords_split(&k.words, ex[i].text, 0, ex[i].len);
        if (rc != TX_OK)
            break;
        q[i].n = k.words.n;
        q[i].tf.ctx = ctx;
        q[i].gold = tx__malloc(ctx, (k.words.n + 1) * sizeof *q[i].gold);
        if (!q[i].gold) {
            rc = TX_ENOMEM;
            break;
        }
        if (!sig) {
            /* the cause/effect tagger sees the gold signal, as it will
             * see the signal tagger's; the relation finder the first cue,
             * as it will when detecting */
            int *st = q[i].gold;
            if (sigsrc == SIG_GOLD) {
                gold_tags(&k.words, &ex[i], true, st);
                first_run(st, k.words.n, 1, &ss, &se);
            } else if ((ss = rule_cue(&k.words, false)) >= 0) {
                se = ss + k.words.w[ss].cue_words;
            }
            for (t = ss; t >= 0 && t < se; t++)
                sh = mix(sh, k.words.w[t].h_low);
        }
        gold_tags(&k.words, &ex[i], sig, q[i].gold);
        rc = token_features(&k.words, ss, se, sh, &q[i].tf);
        if (k.words.n > maxn)
            maxn = k.words.n;
    }
    if (rc == TX_OK)
        rc = work_reserve(&k, ctx, maxn + 1);
    for (e = 0; e < (size_t)p->tagger_epochs && rc == TX_OK; e++) {
        shuffle(perm, n, &rng);
        for (j = 0; j < n; j++) {
            const struct tseq *s = &q[perm[j]];
            if (!s->n)
                continue;
            viterbi(g, &s->tf, s->n, k.sc, k.bp, k.tags);
            perceptron_update(g, acc, s, k.tags, c);
            c++;
        }
    }
    /* averaged perceptron: w - acc / c */
    if (rc == TX_OK) {
        for (i = 0; i < nw; i++)
            g->w[i] -= acc[i] / (float)c;
        for (i = 0; i < (size_t)((T + 1) * T); i++)
            g->trans[i] -= (float)(g->trans_acc[i] / c);
    }
    for (i = 0; i < n && q; i++) {
        tx_free(ctx, q[i].tf.f);
        tx_free(ctx, q[i].tf.off);
        tx_free(ctx, q[i].gold);
    }
    tx_free(ctx, q);
    tx_free(ctx, acc);
    tx_free(ctx, perm);
    work_free(&k, ctx);
    return rc;
}

int tx__cause_model_alloc(tx_ctx *ctx, unsigned bits, tx_cause_model **out)
{
    tx_cause_model *m = tx__calloc(ctx, 1, sizeof *m);
    size_t nw = (size_t)1 << bits;

    *out = NULL;
    if (!m)
        return TX_ENOMEM;
    m->ctx = ctx;
    m->bits = bits;
    m->threshold = 0.5;
    m->sig.n_tags = 3;
    m->ce.n_tags = 5;
    m->det.n_tags = 5;
    m->sig.bits = m->ce.bits = m->det.bits = bits;
    m->clf = tx__calloc(ctx, nw, sizeof *m->clf);
    m->sig.w = tx__calloc(ctx, nw, sizeof *m->sig.w);
    m->ce.w = tx__calloc(ctx, nw, sizeof *m->ce.w);
    m->det.w = tx__calloc(ctx, nw, sizeof *m->det.w);
    if (!m->clf || !m->sig.w || !m->ce.w || !m->det.w) {
        tx_cause_model_free(m);
        return TX_ENOMEM;
    }
    *out = m;
    return TX_OK;
}

void tx_cause_model_free(tx_cause_model *m)
{
    if (!m)
        return;
    tx_free(m->ctx, m->clf);
    tx_free(m->ctx, m->sig.w);
    tx_free(m->ctx, m->ce.w);
    tx_free(m->ctx, m->det.w);
    tx_free(m->ctx, m->trained_on);
    tx_free(m->ctx, m);
}

/* The relation finder: cause/effect tags learned from the span examples
 * and from the labelled sentences that state no cause (all O). One finder
 * per fold for the classifier's training features, one on everything for
 * detection; then the classifier. */
static int train_relations(tx_ctx *ctx, const tx_cause_train_params *p,
                           tx_cause_model *m,
                           const tx_cause_example *sentences, size_t n_sent,
                           const tx_cause_example *spans, size_t n_spans)
{
    size_t nw = (size_t)1 << m->bits, i, f, n = 0, nf;
    tx_cause_example *all = tx__malloc(ctx, (n_spans + n_sent + 1) *
                                            sizeof *all);
    tx_cause_example *part = tx__malloc(ctx, (n_spans + n_sent + 1) *
                                             sizeof *part);
    tx__tagger fold[N_FOLDS];
    int rc = all && part ? TX_OK : TX_ENOMEM;

    memset(fold, 0, sizeof fold);
    for (i = 0; i < n_spans && rc == TX_OK; i++)
        all[n++] = spans[i];
    for (i = 0; i < n_sent && rc == TX_OK; i++)
        if (!sentences[i].causal) {
            all[n] = sentences[i];
            memset(&all[n].cause, 0, sizeof all[n].cause);
            memset(&all[n].effect, 0, sizeof all[n].effect);
            memset(&all[n].cue, 0, sizeof all[n].cue);
            n++;
        }
    for (f = 0; f < N_FOLDS && rc == TX_OK; f++) {
        fold[f] = m->det;
        fold[f].w = tx__calloc(ctx, nw, sizeof *fold[f].w);
        if (!fold[f].w) {
            rc = TX_ENOMEM;
            break;
        }
        for (i = 0, nf = 0; i < n; i++)
            if (fold_of(&all[i]) != f)
                part[nf++] = all[i];
        rc = train_tagger(ctx, p, &fold[f], part, nf, SIG_RULE);
    }
    if (rc == TX_OK)
        rc = train_classifier(ctx, p, m, sentences, n_sent, fold);
    if (rc == TX_OK)
        rc = train_tagger(ctx, p, &m->det, all, n, SIG_RULE);
    for (f = 0; f < N_FOLDS; f++)
        tx_free(ctx, fold[f].w);
    tx_free(ctx, all);
    tx_free(ctx, part);
    return rc;
}

int tx_cause_model_train(tx_ctx *ctx, const tx_cause_train_params *p,
                         const tx_cause_example *sentences, size_t n_sentences,
                         const tx_cause_example *spans, size_t n_spans,
                         tx_cause_model **out)
{
    tx_cause_train_params def;
    tx_cause_model *m;
    int rc;

    *out = NULL;
    if (!p) {
        tx_cause_train_params_init(&def);
        p = &def;
    }
    if (!ctx || p->bits < 12 || p->bits > 26 || p->epochs < 0 ||
        p->tagger_epochs < 0)
        return TX_EINVAL;
    if ((rc = tx__cause_model_alloc(ctx, (unsigned)p->bits, &m)) != TX_OK)
        return rc;
    m->seed = tx_ctx_seed(ctx);
    rc = train_tagger(ctx, p, &m->sig, spans, n_spans, SIG_NONE);
    if (rc == TX_OK)
        rc = train_tagger(ctx, p, &m->ce, spans, n_spans, SIG_GOLD);
    if (rc == TX_OK)
        rc = train_relations(ctx, p, m, sentences, n_sentences, spans,
                             n_spans);
    if (rc != TX_OK) {
        tx_cause_model_free(m);
        return rc;
    }
    *out = m;
    return TX_OK;
}
