/*
 * Training the cause detector: the mark-up of the Causal News Corpus, the
 * logistic-regression classifier (with its threshold from out-of-fold
 * F1), the averaged-perceptron taggers and the cross-fitted relation
 * finder. Single-threaded and seeded, so deterministic.
 */
#include "tx_causes_model.h"
#include "text/tx_cwords.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- marked-up training text ------------------------------------------- */

int tx_cause_parse_marked(tx_ctx *ctx, const char *marked, size_t len,
                          tx_cause_example *ex)
{
    char *plain = tx__malloc(ctx, len + 1);
    size_t i = 0, o = 0, k;
    bool cue_done = false, in_sig = false;
    /* Per tag (ARG0, ARG1, SIG0..SIG13): open now, and used already. Each
     * is opened once and closed after, or the row is malformed. */
    bool open[16] = {false}, used[16] = {false};

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
                size_t tag = name[0] == 'A' ? (size_t)(name[3] - '0')
                           : 2 + (size_t)strtoul(name + 3, NULL, 10);

                if (tag >= 16 || (name[0] == 'A' && nl != 4) ||
                    (close ? !open[tag] : open[tag] || used[tag])) {
                    tx_free(ctx, plain);
                    return TX_EFORMAT;
                }
                open[tag] = !close;
                used[tag] = true;
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
    for (k = 0; k < 16; k++)
        if (open[k]) { /* never closed */
            tx_free(ctx, plain);
            return TX_EFORMAT;
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
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->bits = 22;
    p->epochs = 6;
    p->tagger_epochs = 20;
    p->l2 = 1e-4;
    p->rate = 0.1;
    p->seeds = 5;
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
 * (all when skip is N_FOLDS) into the weights `wt` and `*bias` (2^m->bits
 * of them; the label is each example's `causal`). The model is the
 * mean of the weights at the end of each epoch (and of the bias over all
 * steps), which generalizes better than the last weights on a few
 * thousand rows. */
static int fit_classifier(tx_ctx *ctx, const tx_cause_train_params *p,
                          const tx_cause_model *m, float *wt, float *bias,
                          const tx_cause_example *ex, const tx__fvec *fv,
                          size_t n, size_t skip)
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
    memset(wt, 0, nw * sizeof *wt);
    *bias = 0;
    for (i = 0; i < n; i++)
        if (fold_of(&ex[i]) != skip)
            use[nu++] = i;
    for (e = 0; e < (size_t)p->epochs; e++) {
        shuffle(perm, nu, &rng);
        for (j = 0; j < nu; j++) {
            const tx__fvec *v = &fv[use[perm[j]]];
            double y = ex[use[perm[j]]].causal ? 1 : 0;
            double g = sigmoid(tx__cause_weights_score(m, wt, v) + *bias) - y;
            double x = fval(v);

            for (i = 0; i < v->n; i++) {
                uint32_t s = slot(m, v->f[i]);
                double gi = g * (i < v->n_scaled ? x : 1) + p->l2 * wt[s];
                G[s] += (float)(gi * gi);
                wt[s] -= (float)(p->rate * gi / sqrt(G[s] + 1e-8));
            }
            gb += g * g;
            *bias -= (float)(p->rate * g / sqrt(gb + 1e-8));
            steps++;
            bsum += *bias;
        }
        for (i = 0; i < nw; i++)
            avg[i] += wt[i];
    }
    if (p->epochs > 0 && steps > 0) {
        for (i = 0; i < nw; i++)
            wt[i] = avg[i] / (float)p->epochs;
        *bias = (float)(bsum / steps);
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

/* Fits weights `wt`/`*bias` five times, each fold held out, to score the
 * held-out examples into `oof`; sets *thr to the threshold with the best
 * F1 over those scores and q[] to their precision, recall and F1; then
 * fits the weights on every example. */
static int cross_fit(tx_ctx *ctx, const tx_cause_train_params *p,
                     const tx_cause_model *m, float *wt, float *bias,
                     const tx_cause_example *ex, const tx__fvec *fv, size_t n,
                     struct scored *oof, double *thr, double q[3])
{
    size_t f, i, tp = 0, fp = 0, fn = 0;
    int rc = TX_OK;

    if (!n)
        return TX_OK;
    for (f = 0; f < N_FOLDS && rc == TX_OK; f++) {
        rc = fit_classifier(ctx, p, m, wt, bias, ex, fv, n, f);
        for (i = 0; i < n && rc == TX_OK; i++)
            if (fold_of(&ex[i]) == f) {
                oof[i].p = sigmoid(tx__cause_weights_score(m, wt, &fv[i]) +
                                   *bias);
                oof[i].y = ex[i].causal != 0;
            }
    }
    if (rc != TX_OK)
        return rc;
    *thr = best_threshold(oof, n);
    for (i = 0; i < n; i++) {
        bool said = oof[i].p >= *thr;
        tp += said && oof[i].y;
        fp += said && !oof[i].y;
        fn += !said && oof[i].y;
    }
    q[0] = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    q[1] = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    q[2] = tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0;
    return fit_classifier(ctx, p, m, wt, bias, ex, fv, n, N_FOLDS);
}

/* The classifier, with `rel[f]` finding relations in fold f's sentences
 * without having seen them (so the classifier learns how far to trust
 * it on new text). Its threshold is the one that maximizes F1 on
 * out-of-fold probabilities of classifiers trained on the other folds. */
static int train_classifier(tx_ctx *ctx, const tx_cause_train_params *p,
                            tx_cause_model *m, const tx_cause_example *ex,
                            size_t n, const tx__tagger *rel,
                            const tx__tagger *srel)
{
    tx__fvec *fv = tx__calloc(ctx, n ? n : 1, sizeof *fv);
    struct scored *oof = tx__malloc(ctx, (n ? n : 1) * sizeof *oof);
    struct tx__cwork k;
    size_t i;
    double q[3];
    int rc = fv && oof ? TX_OK : TX_ENOMEM;

    tx__cause_work_init(&k, ctx);
    for (i = 0; i < n && rc == TX_OK; i++) {
        fv[i].ctx = ctx;
        rc = tx__cwords_split(&k.words, ex[i].text, 0, ex[i].len);
        if (rc == TX_OK)
            rc = tx__cause_sentence_features(&k.words, &fv[i]);
        if (rc == TX_OK)
            rc = tx__cause_relation_features(&rel[fold_of(&ex[i])],
                                             &srel[fold_of(&ex[i])], &k,
                                             &fv[i]);
    }
    if (rc == TX_OK)
        rc = cross_fit(ctx, p, m, m->clf, &m->clf_bias, ex, fv, n, oof,
                       &m->threshold, q);
    if (rc == TX_OK && n) {
        m->oof_p = q[0];
        m->oof_r = q[1];
        m->oof_f1 = q[2];
    }
    for (i = 0; i < n && fv; i++)
        tx_free(ctx, fv[i].f);
    tx_free(ctx, fv);
    tx_free(ctx, oof);
    tx__cause_work_free(&k, ctx);
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

/* The signals of one training sentence: the cues of all its relations. */
typedef struct cue_set {
    const tx_span *s;
    size_t n;
} cue_set;

/* Signal tags from every cue in `cs`: a word inside one takes B-S when
 * it is the cue's first word, else I-S. */
static void gold_signal_tags(const tx__cwords *w, const cue_set *cs,
                             int *tags)
{
    size_t i, j;

    for (i = 0; i < w->n; i++) {
        tags[i] = 0;
        for (j = 0; j < cs->n; j++) {
            const tx_span *s = &cs->s[j];
            if (s->end > s->start && w->w[i].start >= s->start &&
                w->w[i].end <= s->end) {
                tags[i] = i == 0 || w->w[i - 1].start < s->start ? 1 : 2;
                break;
            }
        }
    }
}

struct tseq {
    tx__tfeats tf;
    int *gold;
    size_t n;
    /* the span tagger's: boundary features, commas, the signal, and the
     * gold cause and effect (pair[0] < 0: not decoded as a pair) */
    uint64_t *bf;
    uint32_t *commas;
    long ss, se, pair[4];
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

static void add_feats(tx__tagger *g, float *acc, const uint64_t *f, size_t n,
                      int slot, float y, double c)
{
    size_t i;

    for (i = 0; i < n; i++) {
        uint32_t s = tag_slot(g, f[i], slot);
        g->w[s] += y;
        acc[s] += y * (float)c;
    }
}

/* Perceptron step of the span tagger decoded as one cause and one effect
 * span: the word tags that differ, and the boundary and whole-span
 * features of each span that differs. `tags` is scratch of q->n. */
static void pair_update(tx__tagger *g, float *acc, const struct tseq *q,
                        const long *pred, int *tags, double c)
{
    size_t i, k;
    int kind;

    for (i = 0; i < q->n; i++)
        tags[i] = 0;
    for (kind = 0; kind < 2; kind++)
        for (i = (size_t)pred[2 * kind]; i < (size_t)pred[2 * kind + 1]; i++)
            tags[i] = 1 + 2 * kind + (i > (size_t)pred[2 * kind]);
    for (i = 0; i < q->n; i++)
        if (tags[i] != q->gold[i])
            for (k = q->tf.off[i]; k < q->tf.off[i + 1]; k++) {
                add_feats(g, acc, &q->tf.f[k], 1, q->gold[i], 1, c);
                add_feats(g, acc, &q->tf.f[k], 1, tags[i], -1, c);
            }
    for (kind = 0; kind < 2; kind++) {
        const long *sp[2] = {q->pair + 2 * kind, pred + 2 * kind};
        int side;
        if (sp[0][0] == sp[1][0] && sp[0][1] == sp[1][1])
            continue;
        for (side = 0; side < 2; side++) {
            float y = side ? -1.0f : 1.0f;
            uint64_t f[4];
            size_t m = tx__cause_whole_feats(sp[side][0], sp[side][1],
                                             q->commas, q->ss, q->se, f);
            add_feats(g, acc, q->bf + (size_t)sp[side][0] * TX__BFEATS,
                      TX__BSTART, 5 + kind, y, c);
            add_feats(g, acc, q->bf + (size_t)(sp[side][1] - 1) * TX__BFEATS
                                  + TX__BSTART, TX__BSTART, 5 + kind, y, c);
            add_feats(g, acc, f, m, 5 + kind, y, c);
        }
    }
}

/* Readies q (its words in k, gold tags set) to be decoded as one cause
 * and one effect span, as the span tagger detects: the gold spans, the
 * signal, and copies of the boundary features. A sentence without both
 * spans, of one word, or with a span longer than the decoder considers
 * keeps pair[0] = -1 and is learnt from its word tags. */
static int pair_example(tx_ctx *ctx, struct tx__cwork *k, long ss, long se,
                        struct tseq *q)
{
    long *gp = q->pair;
    size_t n = k->words.n;
    int rc;

    if (n < 2)
        return TX_OK;
    tx__cause_first_run(q->gold, n, 1, &gp[0], &gp[1]);
    tx__cause_first_run(q->gold, n, 3, &gp[2], &gp[3]);
    if (gp[0] < 0 || gp[2] < 0 || gp[1] - gp[0] > TX__SPAN_MAX ||
        gp[3] - gp[2] > TX__SPAN_MAX) {
        gp[0] = -1;
        return TX_OK;
    }
    if ((rc = tx__cause_boundary_feats(k, ss, se)) != TX_OK)
        return rc;
    q->ss = ss;
    q->se = se;
    q->bf = tx__malloc(ctx, n * TX__BFEATS * sizeof *q->bf);
    q->commas = tx__malloc(ctx, (n + 1) * sizeof *q->commas);
    if (!q->bf || !q->commas)
        return TX_ENOMEM; /* freed with q */
    memcpy(q->bf, k->bf, n * TX__BFEATS * sizeof *q->bf);
    memcpy(q->commas, k->commas, (n + 1) * sizeof *q->commas);
    return TX_OK;
}

/* Which signal the cause/effect features are relative to. */
enum { SIG_NONE, SIG_GOLD, SIG_RULE };

/* `cues` (parallel to `ex`, or NULL) gives the signal tagger every
 * relation's cue instead of the first. */
static int train_tagger(tx_ctx *ctx, const tx_cause_train_params *p,
                        tx__tagger *g, const tx_cause_example *ex, size_t n,
                        int sigsrc, const cue_set *cues)
{
    bool sig = sigsrc == SIG_NONE;
    size_t nw = (size_t)1 << g->bits, i, e, j, maxn = 0, *perm;
    float *acc = tx__calloc(ctx, nw, sizeof *acc);
    struct tseq *q = tx__calloc(ctx, n ? n : 1, sizeof *q);
    struct tx__cwork k;
    uint64_t rng = tx_ctx_seed(ctx) ^ (sig ? 0x5eed0002ULL : 0x5eed0003ULL);
    double c = 1;
    int rc = TX_OK, T = g->n_tags;

    tx__cause_work_init(&k, ctx);
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
                tx__cause_first_run(st, k.words.n, 1, &ss, &se);
            } else if ((ss = tx__cause_rule_cue(&k.words, false)) >= 0) {
                se = ss + k.words.w[ss].cue_words;
            }
            for (t = ss; t >= 0 && t < se; t++)
                sh = mix(sh, k.words.w[t].h_low);
        }
        if (sig && cues)
            gold_signal_tags(&k.words, &cues[i], q[i].gold);
        else
            gold_tags(&k.words, &ex[i], sig, q[i].gold);
        rc = tx__cause_token_features(&k.words, ss, se, sh, &q[i].tf);
        q[i].pair[0] = -1;
        if (rc == TX_OK && sigsrc == SIG_GOLD)
            rc = pair_example(ctx, &k, ss, se, &q[i]);
        if (k.words.n > maxn)
            maxn = k.words.n;
    }
    if (rc == TX_OK)
        rc = tx__cause_work_reserve(&k, ctx, maxn + 1);
    for (e = 0; e < (size_t)p->tagger_epochs && rc == TX_OK; e++) {
        shuffle(perm, n, &rng);
        for (j = 0; j < n; j++) {
            const struct tseq *s = &q[perm[j]];
            if (!s->n)
                continue;
            if (s->pair[0] >= 0) {
                long pred[4];
                double top;
                rc = tx__cause_pair_decode(g, &s->tf, s->bf, s->commas, s->n,
                                           s->ss, s->se, &k, pred, &top);
                if (rc != TX_OK)
                    break;
                pair_update(g, acc, s, pred, k.tags, c);
            } else {
                tx__cause_viterbi(g, &s->tf, s->n, k.sc, k.bp, k.tags, NULL);
                perceptron_update(g, acc, s, k.tags, c);
            }
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
        tx_free(ctx, q[i].bf);
        tx_free(ctx, q[i].commas);
    }
    tx_free(ctx, q);
    tx_free(ctx, acc);
    tx_free(ctx, perm);
    tx__cause_work_free(&k, ctx);
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
    m->oof_p = m->oof_r = m->oof_f1 = NAN;
    m->cmp_oof_p = m->cmp_oof_r = m->cmp_oof_f1 = NAN;
    m->cmp_threshold = 0.5;
    m->sig.n_tags = 3;
    m->ce.n_tags = 5;
    m->det.n_tags = 5;
    m->sdet.n_tags = 3;
    m->sig.bits = m->ce.bits = m->det.bits = m->sdet.bits = bits;
    m->clf = tx__calloc(ctx, nw, sizeof *m->clf);
    m->sig.w = tx__calloc(ctx, nw, sizeof *m->sig.w);
    m->ce.w = tx__calloc(ctx, nw, sizeof *m->ce.w);
    m->det.w = tx__calloc(ctx, nw, sizeof *m->det.w);
    m->sdet.w = tx__calloc(ctx, nw, sizeof *m->sdet.w);
    if (!m->clf || !m->sig.w || !m->ce.w || !m->det.w || !m->sdet.w) {
        tx_cause_model_free(m);
        return TX_ENOMEM;
    }
    *out = m;
    return TX_OK;
}

int tx_cause_model_quality(const tx_cause_model *m, double *precision,
                           double *recall, double *f1)
{
    if (!m || !precision || !recall || !f1)
        return TX_EINVAL;
    *precision = m->oof_p;
    *recall = m->oof_r;
    *f1 = m->oof_f1;
    return isfinite(m->oof_f1) ? TX_OK : TX_EFORMAT;
}

void tx_cause_model_free(tx_cause_model *m)
{
    if (!m)
        return;
    tx_free(m->ctx, m->clf);
    tx_free(m->ctx, m->cmp);
    tx_free(m->ctx, m->sig.w);
    tx_free(m->ctx, m->ce.w);
    tx_free(m->ctx, m->det.w);
    tx_free(m->ctx, m->sdet.w);
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
                           const tx_cause_example *spans,
                           const cue_set *cues, size_t n_spans)
{
    size_t nw = (size_t)1 << m->bits, i, f, n = 0, nf, na = n_spans + n_sent + 1;
    tx_cause_example *all = tx__malloc(ctx, na * sizeof *all);
    tx_cause_example *part = tx__malloc(ctx, na * sizeof *part);
    cue_set *acues = tx__calloc(ctx, na, sizeof *acues);
    cue_set *pcues = tx__calloc(ctx, na, sizeof *pcues);
    tx__tagger fold[N_FOLDS], sfold[N_FOLDS];
    int rc = all && part && acues && pcues ? TX_OK : TX_ENOMEM;

    memset(fold, 0, sizeof fold);
    memset(sfold, 0, sizeof sfold);
    for (i = 0; i < n_spans && rc == TX_OK; i++) {
        acues[n] = cues[i];
        all[n++] = spans[i];
    }
    for (i = 0; i < n_sent && rc == TX_OK; i++)
        if (!sentences[i].causal) {
            all[n] = sentences[i];
            memset(&all[n].cause, 0, sizeof all[n].cause);
            memset(&all[n].effect, 0, sizeof all[n].effect);
            memset(&all[n].cue, 0, sizeof all[n].cue);
            n++; /* and no cues */
        }
    for (f = 0; f < N_FOLDS && rc == TX_OK; f++) {
        fold[f] = m->det;
        fold[f].w = tx__calloc(ctx, nw, sizeof *fold[f].w);
        if (!fold[f].w) {
            rc = TX_ENOMEM;
            break;
        }
        for (i = 0, nf = 0; i < n; i++)
            if (fold_of(&all[i]) != f) {
                pcues[nf] = acues[i];
                part[nf++] = all[i];
            }
        rc = train_tagger(ctx, p, &fold[f], part, nf, SIG_RULE, NULL);
        sfold[f] = m->sdet;
        sfold[f].w = rc == TX_OK ? tx__calloc(ctx, nw, sizeof *sfold[f].w)
                                 : NULL;
        if (rc == TX_OK && !sfold[f].w)
            rc = TX_ENOMEM;
        if (rc == TX_OK)
            rc = train_tagger(ctx, p, &sfold[f], part, nf, SIG_NONE, pcues);
    }
    if (rc == TX_OK)
        rc = train_classifier(ctx, p, m, sentences, n_sent, fold, sfold);
    if (rc == TX_OK)
        rc = train_tagger(ctx, p, &m->det, all, n, SIG_RULE, NULL);
    if (rc == TX_OK)
        rc = train_tagger(ctx, p, &m->sdet, all, n, SIG_NONE, acues);
    for (f = 0; f < N_FOLDS; f++) {
        tx_free(ctx, fold[f].w);
        tx_free(ctx, sfold[f].w);
    }
    tx_free(ctx, all);
    tx_free(ctx, part);
    tx_free(ctx, acues);
    tx_free(ctx, pcues);
    return rc;
}

static int train_one(tx_ctx *ctx, const tx_cause_train_params *p,
                     const tx_cause_example *sentences, size_t n_sentences,
                     const tx_cause_example *spans, const cue_set *cues,
                     size_t n_spans, tx_cause_model *m)
{
    int rc = train_tagger(ctx, p, &m->sig, spans, n_spans, SIG_NONE, cues);

    if (rc == TX_OK)
        rc = train_tagger(ctx, p, &m->ce, spans, n_spans, SIG_GOLD, NULL);
    if (rc == TX_OK)
        rc = train_relations(ctx, p, m, sentences, n_sentences, spans, cues,
                             n_spans);
    return rc;
}

static void add_scaled(float *dst, const float *src, size_t n, float k)
{
    size_t i;

    for (i = 0; i < n; i++)
        dst[i] += k * src[i];
}

#define N_TRANS (sizeof ((tx__tagger *)0)->trans / sizeof(float))

/* m += k * r, for every weight, transition, bias and the threshold. */
static void add_model(tx_cause_model *m, const tx_cause_model *r, float k)
{
    size_t nw = (size_t)1 << m->bits;

    add_scaled(m->clf, r->clf, nw, k);
    add_scaled(m->sig.w, r->sig.w, nw, k);
    add_scaled(m->ce.w, r->ce.w, nw, k);
    add_scaled(m->det.w, r->det.w, nw, k);
    add_scaled(m->sdet.w, r->sdet.w, nw, k);
    add_scaled(m->sig.trans, r->sig.trans, N_TRANS, k);
    add_scaled(m->ce.trans, r->ce.trans, N_TRANS, k);
    add_scaled(m->det.trans, r->det.trans, N_TRANS, k);
    add_scaled(m->sdet.trans, r->sdet.trans, N_TRANS, k);
    m->clf_bias += k * r->clf_bias;
    m->threshold += k * r->threshold;
    m->oof_p += k * r->oof_p;
    m->oof_r += k * r->oof_r;
    m->oof_f1 += k * r->oof_f1;
}

/* The model is the average of `seeds` models trained with the ctx seed
 * and the ones after it: linear models averaged are one linear model, so
 * detection costs the same, and the spread that one seed's order of
 * examples leaves in the weights shrinks (CNC dev span F1 0.426 with one
 * seed, 0.434-0.439 with 3-10). */
/* Groups `spans`: examples that follow one another with the same text
 * are relations of one sentence. The first of each group becomes a head
 * (its cause and effect train the span taggers); cues[h] lists the cues
 * of the whole group (the signals). All three arrays are allocated. */
static int group_relations(tx_ctx *ctx, const tx_cause_example *spans,
                           size_t n, tx_cause_example **heads_out,
                           cue_set **cues_out, tx_span **pool_out,
                           size_t *n_out)
{
    tx_cause_example *heads = tx__malloc(ctx, (n ? n : 1) * sizeof *heads);
    cue_set *cues = tx__calloc(ctx, n ? n : 1, sizeof *cues);
    tx_span *pool = tx__malloc(ctx, (n ? n : 1) * sizeof *pool);
    size_t i, h = 0;

    *heads_out = heads;
    *cues_out = cues;
    *pool_out = pool;
    *n_out = 0;
    if (!heads || !cues || !pool)
        return TX_ENOMEM;
    for (i = 0; i < n; i++) {
        const tx_cause_example *e = &spans[i];
        bool same = h && heads[h - 1].len == e->len &&
                    memcmp(heads[h - 1].text, e->text, e->len) == 0;
        if (!same) {
            heads[h] = *e;
            cues[h].s = pool + i;
            cues[h++].n = 0;
        }
        /* the pool is filled in order, so a group's cues are contiguous */
        pool[i] = e->cue;
        cues[h - 1].n++;
    }
    *n_out = h;
    return TX_OK;
}

int tx_cause_model_train(tx_ctx *ctx, const tx_cause_train_params *p,
                         const tx_cause_example *sentences, size_t n_sentences,
                         const tx_cause_example *spans, size_t n_spans,
                         tx_cause_model **out)
{
    tx_cause_train_params def;
    tx_cause_model *m = NULL, *r = NULL;
    tx_cause_example *heads = NULL;
    cue_set *cues = NULL;
    tx_span *pool = NULL;
    size_t n_heads = 0;
    uint64_t seed;
    int rc, q;

    *out = NULL;
    tx_cause_train_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (!ctx || p->bits < 12 || p->bits > 26 || p->epochs < 0 ||
        p->tagger_epochs < 0 || p->seeds < 1 || p->seeds > 64)
        return TX_EINVAL;
    seed = tx_ctx_seed(ctx);
    rc = group_relations(ctx, spans, n_spans, &heads, &cues, &pool, &n_heads);
    if (rc == TX_OK)
        rc = tx__cause_model_alloc(ctx, (unsigned)p->bits, &m);
    if (rc == TX_OK)
        m->threshold = m->oof_p = m->oof_r = m->oof_f1 = 0;
    for (q = 0; rc == TX_OK && q < p->seeds; q++) {
        /* the trainers draw their example order from the ctx seed */
        tx_ctx_set_seed(ctx, seed + (uint64_t)q);
        rc = tx__cause_model_alloc(ctx, (unsigned)p->bits, &r);
        if (rc == TX_OK)
            rc = train_one(ctx, p, sentences, n_sentences, heads, cues,
                           n_heads, r);
        if (rc == TX_OK)
            add_model(m, r, 1.0f / (float)p->seeds);
        tx_cause_model_free(r);
        r = NULL;
    }
    tx_ctx_set_seed(ctx, seed);
    tx_free(ctx, heads);
    tx_free(ctx, cues);
    tx_free(ctx, pool);
    if (rc != TX_OK) {
        tx_cause_model_free(m);
        return rc;
    }
    m->seed = seed;
    *out = m;
    return TX_OK;
}

/* The complaint classifier: logistic regression on each sentence's words,
 * word classes and complaint-word counts; its threshold maximizes F1 on
 * out-of-fold probabilities (five folds by text), and the weights are
 * then fitted on everything. */
int tx_cause_model_train_complaints(tx_ctx *ctx,
                                    const tx_cause_train_params *p,
                                    tx_cause_model *m,
                                    const tx_cause_example *examples,
                                    size_t n)
{
    tx_cause_train_params def;
    tx__fvec *fv;
    struct scored *oof;
    tx__cwords w;
    float *wt;
    size_t i;
    double q[3];
    int rc = TX_OK;

    tx_cause_train_params_init(&def);
    if (!ctx || !m || (n && !examples) ||
        tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (p->epochs < 0)
        return TX_EINVAL;
    for (i = 0, q[0] = 0; i < n; i++)
        q[0] += examples[i].causal != 0;
    if (q[0] == 0 || q[0] == (double)n)
        return TX_ETOOLITTLE; /* a classifier needs both labels */
    fv = tx__calloc(ctx, n ? n : 1, sizeof *fv);
    oof = tx__malloc(ctx, (n ? n : 1) * sizeof *oof);
    wt = tx__calloc(ctx, (size_t)1 << m->bits, sizeof *wt);
    if (!fv || !oof || !wt) {
        tx_free(ctx, fv);
        tx_free(ctx, oof);
        tx_free(ctx, wt);
        return TX_ENOMEM;
    }
    tx__cwords_init(&w, ctx);
    for (i = 0; i < n && rc == TX_OK; i++) {
        fv[i].ctx = ctx;
        rc = tx__cwords_split(&w, examples[i].text, 0, examples[i].len);
        if (rc == TX_OK) {
            long neg, pos;
            tx__complaint_counts(&w, &neg, &pos);
            rc = tx__complaint_features(&w, neg, pos, &fv[i]);
        }
    }
    if (rc == TX_OK)
        rc = cross_fit(ctx, p, m, wt, &m->cmp_bias, examples, fv, n, oof,
                       &m->cmp_threshold, q);
    if (rc == TX_OK && n) {
        m->cmp_oof_p = q[0];
        m->cmp_oof_r = q[1];
        m->cmp_oof_f1 = q[2];
    }
    if (rc == TX_OK && n) {
        tx_free(ctx, m->cmp);
        m->cmp = wt;
        wt = NULL;
    }
    for (i = 0; i < n; i++)
        tx_free(ctx, fv[i].f);
    tx_free(ctx, fv);
    tx_free(ctx, oof);
    tx_free(ctx, wt);
    tx__cwords_free(&w);
    return rc;
}

int tx_cause_model_complaint_quality(const tx_cause_model *m,
                                     double *precision, double *recall,
                                     double *f1)
{
    if (!m || !precision || !recall || !f1)
        return TX_EINVAL;
    *precision = m->cmp_oof_p;
    *recall = m->cmp_oof_r;
    *f1 = m->cmp_oof_f1;
    return m->cmp && isfinite(m->cmp_oof_f1) ? TX_OK : TX_EFORMAT;
}
