/*
 * The cause detector's features and models: hashed features of a sentence
 * (for the classifier) and of each word (for the taggers), scoring, and
 * Viterbi decoding. Shared by detection (tx_causes.c) and training
 * (tx_causes_train.c).
 */
#include "tx_causes_model.h"
#include "text/tx_cwords.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- feature hashing -------------------------------------------------- */



/* Templates: each feature is mix(template, parts...). */
enum {
    F_BIAS = 1, F_UNI, F_BI, F_CLS3, F_CLS2, F_LOWCLS, F_CLSLOW, F_CUE,
    F_CUEPOS, F_CUEPREV, F_CUENEXT, F_STRONG, F_LEN, F_NCUES, F_LOW, F_CLS,
    F_LOWP, F_LOWN, F_CLSP2, F_CLSP, F_CLSN, F_CLSN2, F_BIP, F_BIN, F_CLSBP,
    F_CLSBN, F_SUF, F_RPOS, F_FIRST, F_LAST, F_TCUE, F_INCUE, F_SIDE,
    F_SIDEDIST, F_SIDESIG, F_SIDELOW, F_SIDECLS, F_SIDECOMMA, F_COMMAS,
    F_SIDECLSN, F_REL, F_RELM, F_RELC, F_RELFM, F_SFOUND, F_SFM, F_SFW,
    F_SFPOS, F_SFNEAR, F_CMPNEG, F_CMPPOS, F_CMPNET
};


static int fv_add(tx__fvec *v, uint64_t f)
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

/* The weight tables are tens of MB, so each feature's weights are a
 * cache miss; asking for the weights of the feature this many places
 * ahead lets the misses overlap (100,000 CNC sentences on one core: 4.6 s
 * without, 3.2 s with; 6 ahead 4.1 s, 12 3.6 s, 64 3.3 s). */
#define PREFETCH_AHEAD 32

/* ---- sentence classifier ---------------------------------------------- */

int tx__cause_sentence_features(const tx__cwords *w, tx__fvec *v)
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


int tx__complaint_features(const tx__cwords *w, long neg, long pos,
                           tx__fvec *v)
{
    long net;
    int rc;

    v->n = 0;
    rc = tx__cause_sentence_features(w, v);
    if (rc != TX_OK)
        return rc;
    /* the word lists as evidence the classifier weighs: how many
     * complaint words, positive ones, and the balance */
    net = neg - pos < -3 ? -3 : neg - pos > 3 ? 3 : neg - pos;
    rc |= fv_add(v, mix(F_CMPNEG, (uint64_t)(neg < 4 ? neg : 4)));
    rc |= fv_add(v, mix(F_CMPPOS, (uint64_t)(pos < 4 ? pos : 4)));
    rc |= fv_add(v, mix(F_CMPNET, (uint64_t)(net + 3)));
    return rc ? TX_ENOMEM : TX_OK;
}


double tx__cause_weights_score(const tx_cause_model *m, const float *w,
                               const tx__fvec *v)
{
    double s = 0, r = 0;
    size_t i;

    for (i = 0; i < v->n_scaled; i++)
        s += w[slot(m, v->f[i])];
    for (; i < v->n; i++)
        r += w[slot(m, v->f[i])];
    return s * fval(v) + r;
}

double tx__cause_clf_score(const tx_cause_model *m, const tx__fvec *v)
{
    return tx__cause_weights_score(m, m->clf, v);
}


/* ---- taggers ------------------------------------------------------------ */


static bool is_comma(const tx__cword *a)
{
    return a->low_len == 1 && (a->low[0] == ',' || a->low[0] == ';');
}

int tx__cause_token_features(const tx__cwords *w, long sig_s, long sig_e,
                          uint64_t sig_h, tx__tfeats *t)
{
    size_t i, n = w->n, commas = 0, c_sig_s = 0, c_sig_e = 0;
    tx__fvec v = {t->ctx, t->f, 0, t->cap, 0};
    int rc = TX_OK;

    if (tx__grow(t->ctx, (void **)&t->off, &t->off_cap, n + 1,
                 sizeof *t->off))
        return TX_ENOMEM;
    /* Commas before the signal's start and end, so the commas between a
     * word and the signal are a difference of counts (a scan per word
     * would be quadratic in a sentence of 500,000 words). */
    for (i = 0; sig_s >= 0 && i < n && (long)i < sig_e; i++) {
        c_sig_s += (long)i < sig_s && is_comma(&w->w[i]);
        c_sig_e += is_comma(&w->w[i]);
    }
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
            /* commas between the word and the signal, at most 3 */
            size_t between = li < sig_s ? c_sig_s - commas
                           : li >= sig_e ? commas - c_sig_e : 0;
            uint64_t comma = between < 3 ? between : 3;

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
        if (is_comma(a))
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


/* Adds word i's weights for each of the T tags to e[0..T), asking for the
 * weights PREFETCH_AHEAD features ahead (of `total`) on the way. */
static void word_weights(const tx__tagger *g, const tx__tfeats *t, size_t i,
                         size_t total, int T, double *e)
{
    size_t k;
    int b;

    for (k = t->off[i]; k < t->off[i + 1]; k++) {
        const float *wb = g->w + tag_slot(g, t->f[k], 0);
        if (k + PREFETCH_AHEAD < total)
            __builtin_prefetch(g->w + tag_slot(g, t->f[k + PREFETCH_AHEAD], 0));
        for (b = 0; b < T; b++)
            e[b] += wb[b];
    }
}

/* Viterbi decoding into tags[0..n). `sc` and `bp` are scratch of n*T; sc
 * is left holding the best score of each prefix ending in each tag, and
 * `em` (unless NULL, n*T) each word's score for each tag.
 * Returns the margin: how much the best tagging beats tagging every word
 * O (0 for no words); the O path is summed on the way, from the same
 * weights. */
double tx__cause_viterbi(const tx__tagger *g, const tx__tfeats *t, size_t n,
                         double *sc, int *bp, int *tags, double *em)
{
    int T = g->n_tags, a, b;
    size_t i, total = n ? t->off[n] : 0;
    double none = 0;

    for (i = 0; i < n; i++) {
        double e[8] = {0};

        word_weights(g, t, i, total, T, e);
        if (em)
            memcpy(em + i * (size_t)T, e, (size_t)T * sizeof *e);
        none += e[0] + (i ? g->trans[0] : g->trans[T * T]);
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
        return 0;
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
        return best - none;
    }
}

/* Signals the tagger nearly chose: for each word, the best tagging that
 * opens a signal (tag 1) there, by max-marginals: the best score of a
 * prefix ending in a tag (F, Viterbi's `sc`) plus the best of the suffix
 * after it (computed here from the word scores E, Viterbi's `em`).
 * Writes to pos/end/gap up to `max` words outside the signals of
 * Viterbi's best tagging `tags`, nearest to the best score first (gap:
 * how far below it); the signal runs on while that tagging continues
 * with tag 2. `B` is scratch of n * T doubles and `wi` of n * T ints.
 * Returns how many. */
size_t tx__cause_near_signals(const tx__tagger *g, const double *E,
                              const double *F, size_t n, const int *tags,
                              double *B, int *wi, long *pos, long *end,
                              double *gap, size_t max)
{
    int T = g->n_tags, a, b;
    size_t i, got = 0;
    double best = -HUGE_VAL;

    if (!n || T < 3 || !max)
        return 0;
    /* B[i][b]: the best score of words i+1.. given tag b at i; wi the
     * tag it continues with */
    for (i = n; i-- > 0;)
        for (b = 0; b < T; b++) {
            double v = i + 1 == n ? 0 : -HUGE_VAL;
            int arg = -1;
            if (i + 1 < n)
                for (a = 0; a < T; a++) {
                    double s = B[(i + 1) * (size_t)T + (size_t)a];
                    if (allowed(b, a) && s != -HUGE_VAL) {
                        s += g->trans[b * T + a] +
                             E[(i + 1) * (size_t)T + (size_t)a];
                        if (s > v) {
                            v = s;
                            arg = a;
                        }
                    }
                }
            B[i * (size_t)T + (size_t)b] = v;
            wi[i * (size_t)T + (size_t)b] = arg;
        }
    for (b = 0; b < T; b++)
        if (F[b] != -HUGE_VAL && B[b] != -HUGE_VAL && F[b] + B[b] > best)
            best = F[b] + B[b];
    for (i = 0; i < n; i++) {
        double f = F[i * (size_t)T + 1], r = B[i * (size_t)T + 1], d;
        size_t j;
        long e;
        int tag;
        if (tags[i] != 0 || f == -HUGE_VAL || r == -HUGE_VAL)
            continue;
        d = best - (f + r);
        for (e = (long)i + 1, tag = wi[i * (size_t)T + 1];
             e < (long)n && tag == 2; e++)
            tag = wi[(size_t)e * (size_t)T + 2];
        /* insertion into the `max` smallest gaps so far */
        for (j = got < max ? got++ : max; j > 0 && gap[j - 1] > d; j--)
            if (j < max) {
                gap[j] = gap[j - 1];
                pos[j] = pos[j - 1];
                end[j] = end[j - 1];
            }
        if (j < max) {
            gap[j] = d;
            pos[j] = (long)i;
            end[j] = e;
        }
    }
    return got;
}

/* ---- scratch shared by detection and training ------------------------- */


void tx__cause_work_init(struct tx__cwork *k, tx_ctx *ctx)
{
    memset(k, 0, sizeof *k);
    tx__cwords_init(&k->words, ctx);
    k->sv.ctx = ctx;
    k->cv.ctx = ctx;
    k->tf.ctx = ctx;
    k->tf0.ctx = ctx;
}

void tx__cause_work_free(struct tx__cwork *k, tx_ctx *ctx)
{
    tx__cwords_free(&k->words);
    tx_free(ctx, k->sv.f);
    tx_free(ctx, k->cv.f);
    tx_free(ctx, k->tf.f);
    tx_free(ctx, k->tf.off);
    tx_free(ctx, k->tf0.f);
    tx_free(ctx, k->tf0.off);
    tx_free(ctx, k->sc);
    tx_free(ctx, k->bp);
    tx_free(ctx, k->tags);
    tx_free(ctx, k->commas);
    tx_free(ctx, k->bf);
    tx_free(ctx, k->pair_sc);
    tx_free(ctx, k->pair_arg);
    tx_free(ctx, k->em);
    tx_free(ctx, k->near_sc);
    tx_free(ctx, k->near_arg);
}

double tx__cause_signal_viterbi(struct tx__cwork *k, const tx__tagger *g)
{
    return tx__cause_viterbi(g, &k->tf0, k->words.n, k->sc, k->bp, k->tags,
                             k->em);
}

size_t tx__cause_near(struct tx__cwork *k, const tx__tagger *g, size_t max,
                      long *pos, long *end, double *gap)
{
    return tx__cause_near_signals(g, k->em, k->sc, k->words.n, k->tags,
                                  k->near_sc, k->near_arg, pos, end, gap,
                                  max);
}

int tx__cause_work_reserve(struct tx__cwork *k, tx_ctx *ctx, size_t n)
{
    /* each table holds up to 5 tags a word */
    struct {
        void **p;
        size_t size;
    } t[] = {
        {(void **)&k->sc, sizeof *k->sc},
        {(void **)&k->bp, sizeof *k->bp},
        {(void **)&k->tags, sizeof *k->tags},
        {(void **)&k->em, sizeof *k->em},
        {(void **)&k->near_sc, sizeof *k->near_sc},
        {(void **)&k->near_arg, sizeof *k->near_arg},
    };
    size_t i;

    if (n <= k->cap)
        return TX_OK;
    for (i = 0; i < sizeof t / sizeof *t; i++) {
        size_t c = k->cap;
        if (tx__grow(ctx, t[i].p, &c, n * 5, t[i].size))
            return TX_ENOMEM;
    }
    k->cap = n;
    return TX_OK;
}

/* First run of B-x I-x* with B-x = `b` in tags; -1 when none. */
void tx__cause_first_run(const int *tags, size_t n, int b, long *s, long *e)
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


/* A tagging margin in buckets. */
static uint64_t margin_bucket(double d)
{
    return d <= 0 ? 0 : d < 2 ? 1 : d < 5 ? 2 : d < 10 ? 3 : d < 20 ? 4
         : d < 40 ? 5 : 6;
}

/* What the signal finder finds: a signal or none, its words, where it
 * stands, and by what margin. */
static int signal_features(const tx__tagger *sg, struct tx__cwork *k,
                           tx__fvec *v)
{
    tx__cwords *w = &k->words;
    long s, e, i;
    uint64_t h = 0;
    double margin;
    int rc = tx__cause_token_features(w, -1, -1, 0, &k->tf0);

    if (rc != TX_OK)
        return rc;
    margin = tx__cause_signal_viterbi(k, sg);
    tx__cause_first_run(k->tags, w->n, 1, &s, &e);
    for (i = s; i >= 0 && i < e; i++)
        h = mix(h, w->w[i].h_low);
    rc = fv_add(v, mix(F_SFOUND, s >= 0));
    rc |= fv_add(v, mix(mix(F_SFM, s >= 0), margin_bucket(margin)));
    if (s >= 0) {
        rc |= fv_add(v, mix(F_SFW, h));
        rc |= fv_add(v, mix(F_SFPOS, (uint64_t)s * 3 / w->n));
    } else if (rc == TX_OK) {
        /* no signal: how nearly the finder took one, which says more
         * than "none" (out-of-fold F1 on CNC train 0.770 -> 0.781, every
         * seed up) */
        long pos, end;
        double gap;
        if (tx__cause_near(k, sg, 1, &pos, &end, &gap))
            rc = fv_add(v, mix(F_SFNEAR, margin_bucket(gap)));
    }
    return rc ? TX_ENOMEM : TX_OK;
}

/* Runs the relation finder (cause/effect tags learned with sentences that
 * state no cause) relative to the first cue, and adds what it found to the
 * sentence features: cause and/or effect found, and how much the best
 * tagging beats tagging nothing; and what the signal finder `sg` finds. */
int tx__cause_relation_features(const tx__tagger *g, const tx__tagger *sg,
                                struct tx__cwork *k, tx__fvec *v)
{
    tx__cwords *w = &k->words;
    long cue = tx__cause_rule_cue(w, false), s0 = cue, s1 = -1, a1, a2, b1, b2, i;
    uint64_t sh = 0, cuef = cue >= 0 ? (uint64_t)w->w[cue].cue + 1 : 0;
    double margin;
    int rc;

    if (!w->n)
        return TX_OK;
    if ((rc = tx__cause_work_reserve(k, k->words.ctx, w->n)) != TX_OK)
        return rc;
    if ((rc = signal_features(sg, k, v)) != TX_OK)
        return rc;
    if (cue >= 0)
        s1 = cue + w->w[cue].cue_words;
    for (i = s0; i >= 0 && i < s1; i++)
        sh = mix(sh, w->w[i].h_low);
    if ((rc = tx__cause_token_features(w, s0, s1, sh, &k->tf)) != TX_OK)
        return rc;
    margin = tx__cause_viterbi(g, &k->tf, w->n, k->sc, k->bp, k->tags, NULL);
    tx__cause_first_run(k->tags, w->n, 1, &a1, &a2);
    tx__cause_first_run(k->tags, w->n, 3, &b1, &b2);
    {
        uint64_t found = (uint64_t)((a1 >= 0) + 2 * (b1 >= 0));
        uint64_t db = margin_bucket(margin);
        rc = fv_add(v, mix(F_REL, found));
        rc |= fv_add(v, mix(F_RELM, db));
        rc |= fv_add(v, mix(mix(F_RELC, found), cuef));
        rc |= fv_add(v, mix(mix(F_RELFM, found), db));
    }
    return rc ? TX_ENOMEM : TX_OK;
}


/* ---- cause and effect as one span each ------------------------------- */

/* Templates of the boundary features, hashed into the span tagger's
 * weights at tag slots 5 (cause) and 6 (effect), which its five word
 * tags leave free in each block of 8. */
enum {
    B_SW = 101, B_SCLS, B_SPREV, B_SPREVCLS, B_SPAIR, B_SSIG, B_EW, B_ECLS,
    B_ENEXT, B_ENEXTCLS, B_EPAIR, B_ESIG, B_LEN, B_COMMAS, B_HOLDS
};

static uint64_t len_bucket(long len)
{
    return len <= 4 ? (uint64_t)len : len <= 6 ? 5 : len <= 9 ? 6
         : len <= 14 ? 7 : len <= 20 ? 8 : len <= 30 ? 9 : len <= 45 ? 10
         : 11;
}

/* Where a boundary at word i stands against the signal [s, e): before,
 * at its start, inside, at its end, after; with the distance in buckets. */
static uint64_t sig_rel(long i, long s, long e)
{
    long d;
    uint64_t side;

    if (s < 0)
        return 0;
    side = i < s ? 1 : i == s ? 2 : i < e ? 3 : i == e ? 4 : 5;
    d = i < s ? s - i : i > e ? i - e : 0;
    return side * 8 + (d <= 2 ? (uint64_t)d : d <= 5 ? 3 : d <= 10 ? 4 : 5);
}

/* Features of a span that starts at word a. */
static void start_feats(const tx__cwords *w, long a, long ss, long se,
                        uint64_t *f)
{
    const tx__cword *x = &w->w[a];
    uint64_t pl = a ? w->w[a - 1].h_low : 1, pc = a ? w->w[a - 1].h_cls : 1;

    f[0] = mix(B_SW, x->h_low);
    f[1] = mix(B_SCLS, x->h_cls);
    f[2] = mix(B_SPREV, pl);
    f[3] = mix(B_SPREVCLS, pc);
    f[4] = mix(mix(B_SPAIR, pc), x->h_cls);
    f[5] = mix(B_SSIG, sig_rel(a, ss, se));
}

/* Features of a span that ends before word e (its last word is e - 1). */
static void end_feats(const tx__cwords *w, long e, long ss, long se,
                      uint64_t *f)
{
    long n = (long)w->n;
    const tx__cword *x = &w->w[e - 1];
    uint64_t nl = e < n ? w->w[e].h_low : 2, nc = e < n ? w->w[e].h_cls : 2;

    f[0] = mix(B_EW, x->h_low);
    f[1] = mix(B_ECLS, x->h_cls);
    f[2] = mix(B_ENEXT, nl);
    f[3] = mix(B_ENEXTCLS, nc);
    f[4] = mix(mix(B_EPAIR, x->h_cls), nc);
    f[5] = mix(B_ESIG, sig_rel(e, ss, se));
}

int tx__cause_boundary_feats(struct tx__cwork *k, long ss, long se)
{
    const tx__cwords *w = &k->words;
    size_t i, n = w->n;

    if (tx__grow(w->ctx, (void **)&k->commas, &k->commas_cap, n + 1,
                 sizeof *k->commas) ||
        tx__grow(w->ctx, (void **)&k->bf, &k->bf_cap, n * TX__BFEATS + 1,
                 sizeof *k->bf))
        return TX_ENOMEM;
    k->commas[0] = 0;
    for (i = 0; i < n; i++) {
        k->commas[i + 1] = k->commas[i] + is_comma(&w->w[i]);
        start_feats(w, (long)i, ss, se, k->bf + i * TX__BFEATS);
        end_feats(w, (long)i + 1, ss, se,
                  k->bf + i * TX__BFEATS + TX__BSTART);
    }
    return TX_OK;
}

size_t tx__cause_whole_feats(long a, long e, const uint32_t *commas,
                             long ss, long se, uint64_t *f)
{
    uint32_t c = commas[e] - commas[a];

    f[0] = mix(B_LEN, len_bucket(e - a));
    f[1] = mix(B_COMMAS, c < 3 ? c : 3);
    f[2] = mix(B_HOLDS, ss >= 0 && a <= ss && e >= se);
    return 3;
}

static double sum_w(const tx__tagger *g, const uint64_t *f, size_t n, int slot)
{
    double s = 0;
    size_t i;

    for (i = 0; i < n; i++)
        s += g->w[tag_slot(g, f[i], slot)];
    return s;
}

/* Keeps the effect [a, e) with the cause cause[0..1] in out when their
 * score s beats *top (cause[0] < 0: no cause on that side). */
static void take_pair(double s, const long *cause, long a, long e,
                      double *top, long out[4])
{
    if (cause[0] < 0 || s <= *top)
        return;
    *top = s;
    out[0] = cause[0];
    out[1] = cause[1];
    out[2] = a;
    out[3] = e;
}

/* The best cause span and effect span of a sentence of n >= 2 words:
 * one of each, not overlapping, each at most TX__SPAN_MAX words, scored
 * by the span tagger's word tags (B at the first word, I after, O
 * outside) plus the boundary and whole-span features. The tags' scores
 * are prefix sums and each word's boundary scores are computed once, so
 * the search is O(n * TX__SPAN_MAX) additions. tf holds the word
 * features, bf and commas the boundary features (tx__cause_boundary_feats).
 * out: cause start, end, effect start, end. */
int tx__cause_pair_decode(const tx__tagger *g, const tx__tfeats *tf,
                          const uint64_t *bf, const uint32_t *commas,
                          size_t n_words, long ss, long se,
                          struct tx__cwork *k, long out[4], double *score)
{
    long n = (long)n_words, i, a, e, kind;
    size_t cap = k->pair_cap, need = 8 * (n_words + 1);
    double *P[2], *ST[2], *EN[2], lenb[12], lenw[2][TX__SPAN_MAX + 1];
    double comw[2][4], holdw[2][2];
    double *best_before, *best_after, top = -HUGE_VAL;
    long *arg_before, *arg_after;
    tx_ctx *ctx = k->words.ctx;

    if (n < 2)
        return TX_EINVAL;
    if (tx__grow(ctx, (void **)&k->pair_sc, &cap, need, sizeof *k->pair_sc))
        return TX_ENOMEM;
    cap = k->pair_cap;
    if (tx__grow(ctx, (void **)&k->pair_arg, &cap, need, sizeof *k->pair_arg))
        return TX_ENOMEM;
    k->pair_cap = cap;
    for (kind = 0; kind < 2; kind++) {
        P[kind] = k->pair_sc + (size_t)(kind * 3) * (n_words + 1);
        ST[kind] = P[kind] + n + 1;
        EN[kind] = ST[kind] + n + 1;
    }
    best_before = k->pair_sc + 6 * (n_words + 1);
    best_after = k->pair_sc + 7 * (n_words + 1);
    arg_before = k->pair_arg;
    arg_after = k->pair_arg + 2 * (n_words + 1);
    /* P[kind][i]: I-kind minus O summed over the words before i; ST: the
     * first word's B-kind in place of its I-kind, and the start
     * features; EN[kind][e]: the end features of a span ending at e */
    P[0][0] = P[1][0] = 0;
    for (i = 0; i < n; i++) {
        double em[8] = {0};
        size_t q;
        if (i + 2 < n) /* the boundary weights of the word after next */
            for (q = 0; q < TX__BFEATS; q++)
                __builtin_prefetch(g->w + tag_slot(g, bf[(size_t)(i + 2) *
                                                   TX__BFEATS + q], 0));
        word_weights(g, tf, (size_t)i, tf->off[n], 5, em);
        for (kind = 0; kind < 2; kind++) {
            const uint64_t *b = bf + (size_t)i * TX__BFEATS;
            P[kind][i + 1] = P[kind][i] + em[2 + 2 * kind] - em[0];
            ST[kind][i] = em[1 + 2 * kind] - em[2 + 2 * kind] +
                          sum_w(g, b, TX__BSTART, 5 + (int)kind);
            EN[kind][i + 1] = sum_w(g, b + TX__BSTART, TX__BSTART,
                                    5 + (int)kind);
        }
    }
    for (kind = 0; kind < 2; kind++) {
        for (i = 0; i < 12; i++)
            lenb[i] = g->w[tag_slot(g, mix(B_LEN, (uint64_t)i),
                                    5 + (int)kind)];
        for (i = 1; i <= TX__SPAN_MAX; i++) /* by length: no branches */
            lenw[kind][i] = lenb[len_bucket(i)];
        for (i = 0; i < 4; i++)
            comw[kind][i] = g->w[tag_slot(g, mix(B_COMMAS, (uint64_t)i),
                                          5 + (int)kind)];
        for (i = 0; i < 2; i++)
            holdw[kind][i] = g->w[tag_slot(g, mix(B_HOLDS, (uint64_t)i),
                                           5 + (int)kind)];
    }
#define SPAN_SCORE(kind, a, e)                                              \
    (P[kind][e] - P[kind][a] + ST[kind][a] + EN[kind][e] +                  \
     lenw[kind][(e) - (a)] +                                                \
     comw[kind][commas[e] - commas[a] < 3 ? commas[e] - commas[a] : 3] +    \
     holdw[kind][ss >= 0 && (a) <= ss && (e) >= se])
    /* the best cause ending at or before x, and starting at or after x */
    for (i = 0; i <= n; i++) {
        best_before[i] = best_after[i] = -HUGE_VAL;
        arg_before[2 * i] = arg_after[2 * i] = -1;
        arg_before[2 * i + 1] = arg_after[2 * i + 1] = -1;
    }
    for (a = 0; a < n; a++)
        for (e = a + 1; e <= n && e - a <= TX__SPAN_MAX; e++) {
            double s = SPAN_SCORE(0, a, e);
            if (s > best_before[e]) {
                best_before[e] = s;
                arg_before[2 * e] = a;
                arg_before[2 * e + 1] = e;
            }
            if (s > best_after[a]) {
                best_after[a] = s;
                arg_after[2 * a] = a;
                arg_after[2 * a + 1] = e;
            }
        }
    for (i = 1; i <= n; i++)
        if (best_before[i - 1] > best_before[i]) {
            best_before[i] = best_before[i - 1];
            arg_before[2 * i] = arg_before[2 * i - 2];
            arg_before[2 * i + 1] = arg_before[2 * i - 1];
        }
    for (i = n; i-- > 0;)
        if (best_after[i + 1] > best_after[i]) {
            best_after[i] = best_after[i + 1];
            arg_after[2 * i] = arg_after[2 * i + 2];
            arg_after[2 * i + 1] = arg_after[2 * i + 3];
        }
    /* then the effect, with the best cause on either side of it */
    out[0] = out[1] = out[2] = out[3] = -1;
    for (a = 0; a < n; a++)
        for (e = a + 1; e <= n && e - a <= TX__SPAN_MAX; e++) {
            double s = SPAN_SCORE(1, a, e);
            take_pair(s + best_before[a], arg_before + 2 * a, a, e, &top, out);
            take_pair(s + best_after[e], arg_after + 2 * e, a, e, &top, out);
        }
#undef SPAN_SCORE
    *score = top;
    return TX_OK;
}
