/* The cause detector: mark-up parsing, training determinism, detection
 * with the shipped model, and the model file's error paths. */
#include "check_suites.h"
#include "causes/tx_causes_model.h" /* the weights, to check seed averaging */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *model_path(void)
{
    return TX_SRCDIR "/models/causes.h5";
}

/* A training relation of `ex`: cause, effect and cue as byte ranges. */
static tx_cause_example relation(tx_cause_example ex, size_t cs, size_t ce,
                                 size_t es, size_t ee, size_t ss, size_t se)
{
    ex.cause = (tx_span){cs, ce};
    ex.effect = (tx_span){es, ee};
    ex.cue = (tx_span){ss, se};
    return ex;
}

START_TEST(parse_marked)
{
    tx_ctx *ctx;
    tx_cause_example e;
    const char *m = "<ARG1>I was charged twice</ARG1> <SIG0>because</SIG0> "
                    "<ARG0>the <SIG1>discount</SIG1> failed</ARG0> .";

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_int_eq(tx_cause_parse_marked(ctx, m, strlen(m), &e), TX_OK);
    ck_assert_str_eq(e.text, "I was charged twice because the discount "
                             "failed .");
    ck_assert_int_eq(e.causal, 1);
    ck_assert_int_eq((int)e.effect.start, 0);
    ck_assert_int_eq((int)e.effect.end, 19);
    ck_assert_int_eq((int)e.cue.start, 20);
    ck_assert_int_eq((int)e.cue.end, 27);
    ck_assert_int_eq((int)e.cause.start, 28);
    ck_assert_int_eq((int)e.cause.end, 47);
    tx_free(ctx, (void *)e.text);
    /* no mark-up: not causal; stray '<' kept as text */
    ck_assert_int_eq(tx_cause_parse_marked(ctx, "a < b <ARGX>", 12, &e),
                     TX_OK);
    ck_assert_str_eq(e.text, "a < b <ARGX>");
    ck_assert_int_eq(e.causal, 0);
    tx_free(ctx, (void *)e.text);
    /* tags that do not open and close in pairs: an error, not a guess */
    {
        static const char *const bad[] = {
            "<ARG1>x</ARG0> y",                   /* closed, never opened */
            "<ARG0>the update broke it",          /* never closed */
            "<ARG0>a</ARG0> and <ARG0>b</ARG0>",  /* opened twice */
            "<SIG0>so <SIG0>so</SIG0></SIG0>",    /* nested in itself */
        };
        size_t i;

        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            ck_assert_int_eq(tx_cause_parse_marked(ctx, bad[i],
                                                   strlen(bad[i]), &e),
                             TX_EFORMAT);
            ck_assert_ptr_null(e.text);
        }
    }
    tx_ctx_free(ctx);
}
END_TEST

/* Training twice with one seed gives the same model, a different seed
 * another one. */
START_TEST(train_deterministic)
{
    static const char *const text[] = {
        "I left because the fees went up .",
        "The app crashed after the update .",
        "I like the colour .",
        "The parcel came on Monday .",
        "We cancelled due to the delays .",
        "The staff were friendly ."};
    tx_cause_example ex[6], spans[3];
    tx_cause_train_params p;
    tx_cause_model *a, *b, *c;
    tx_cause_sentence *s1, *s2;
    size_t i, n1, n2;
    tx_ctx *ctx;
    char path[3][64];

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    memset(ex, 0, sizeof ex);
    for (i = 0; i < 6; i++) {
        ex[i].text = text[i];
        ex[i].len = strlen(text[i]);
        ex[i].causal = i == 0 || i == 1 || i == 4;
    }
    spans[0] = relation(ex[0], 16, 31, 0, 6, 7, 14);
    spans[1] = relation(ex[1], 26, 36, 0, 15, 16, 21);
    spans[2] = relation(ex[4], 23, 33, 0, 12, 13, 19);
    tx_cause_train_params_init(&p);
    p.bits = 16;
    tx_ctx_set_seed(ctx, 7);
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &a),
                     TX_OK);
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &b),
                     TX_OK);
    tx_ctx_set_seed(ctx, 8);
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &c),
                     TX_OK);
    for (i = 0; i < 3; i++)
        snprintf(path[i], sizeof path[i], "/tmp/tx_check_causes_%d_%zu.h5",
                 (int)getpid(), i);
    ck_assert_int_eq(tx_cause_model_save(ctx, a, path[0], "a", NULL), TX_OK);
    ck_assert_int_eq(tx_cause_model_save(ctx, b, path[1], "a", NULL), TX_OK);
    ck_assert_int_eq(tx_cause_model_save(ctx, c, path[2], "a", NULL), TX_OK);
    {
        /* the held-out quality is measured, and kept in the file */
        tx_cause_model *r;
        double q[3], qr[3];
        ck_assert_int_eq(tx_cause_model_quality(a, &q[0], &q[1], &q[2]),
                         TX_OK);
        ck_assert(q[0] >= 0 && q[0] <= 1 && q[1] >= 0 && q[1] <= 1);
        ck_assert_int_eq(tx_cause_model_load(ctx, path[0], &r, NULL), TX_OK);
        ck_assert_int_eq(tx_cause_model_quality(r, &qr[0], &qr[1], &qr[2]),
                         TX_OK);
        for (i = 0; i < 3; i++)
            ck_assert_double_eq(q[i], qr[i]);
        tx_cause_model_free(r);
        ck_assert_int_eq(tx_cause_model_quality(NULL, &q[0], &q[1], &q[2]),
                         TX_EINVAL);
    }
    {
        FILE *f[3];
        long len[3];
        char *buf[3];
        for (i = 0; i < 3; i++) {
            f[i] = fopen(path[i], "rb");
            fseek(f[i], 0, SEEK_END);
            len[i] = ftell(f[i]);
            rewind(f[i]);
            buf[i] = malloc((size_t)len[i]);
            ck_assert_int_eq((long)fread(buf[i], 1, (size_t)len[i], f[i]),
                             len[i]);
            fclose(f[i]);
            remove(path[i]);
        }
        ck_assert_msg(len[0] == len[1] &&
                      memcmp(buf[0], buf[1], (size_t)len[0]) == 0,
                      "same seed, different model files");
        ck_assert_msg(len[0] != len[2] ||
                      memcmp(buf[0], buf[2], (size_t)len[0]) != 0,
                      "another seed, the same model");
        for (i = 0; i < 3; i++)
            free(buf[i]);
    }
    /* a trained model detects; a loaded one detects the same */
    ck_assert_int_eq(tx_cause_detect(ctx, a, NULL, text[0], strlen(text[0]),
                                      &s1, &n1), TX_OK);
    ck_assert_int_eq(tx_cause_detect(ctx, b, NULL, text[0], strlen(text[0]),
                                      &s2, &n2), TX_OK);
    ck_assert_int_eq((int)n1, 1);
    ck_assert_int_eq((int)n2, 1);
    ck_assert(memcmp(s1, s2, sizeof *s1) == 0);
    tx_free(ctx, s1);
    tx_free(ctx, s2);
    tx_cause_model_free(a);
    tx_cause_model_free(b);
    tx_cause_model_free(c);
    /* --seeds 2 is the average of the seed-7 and seed-8 models, and leaves
     * the ctx seed as it found it */
    p.seeds = 1;
    tx_ctx_set_seed(ctx, 7);
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &a),
                     TX_OK);
    tx_ctx_set_seed(ctx, 8);
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &b),
                     TX_OK);
    p.seeds = 2;
    tx_ctx_set_seed(ctx, 7);
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &c),
                     TX_OK);
    ck_assert_uint_eq(tx_ctx_seed(ctx), 7);
    {
        size_t nw = (size_t)1 << p.bits, nz = 0;

        for (i = 0; i < nw; i++) {
            ck_assert_float_eq_tol(c->clf[i], (a->clf[i] + b->clf[i]) / 2,
                                   1e-6f);
            ck_assert_float_eq_tol(c->ce.w[i], (a->ce.w[i] + b->ce.w[i]) / 2,
                                   1e-6f);
            nz += a->clf[i] != b->clf[i];
        }
        ck_assert_uint_gt(nz, 0); /* the seeds did differ */
        ck_assert_double_eq_tol(c->threshold,
                                (a->threshold + b->threshold) / 2, 1e-6);
    }
    tx_cause_model_free(a);
    tx_cause_model_free(b);
    tx_cause_model_free(c);
    p.seeds = 0;
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 6, spans, 3, &a),
                     TX_EINVAL);
    tx_ctx_free(ctx);
}
END_TEST

/* Span examples that follow one another with the same text are one
 * sentence's relations: the signal tagger learns every relation's cue,
 * not only the first one's (it would learn the second as "no signal"). */
START_TEST(train_every_signal)
{
    static const char *const text[] = {
        "The fares rose amid the strike , fuelling the protest .",
        "The shop closed amid the floods .",
        "The queue grew , fuelling anger .",
        "The parcel came on Monday ."};
    tx_cause_example ex[4], spans[4];
    tx_cause_train_params p;
    tx_cause_model *m;
    tx__cwords w;
    tx__tfeats tf;
    double sc[64 * 5];
    int bp[64 * 5], tags[64];
    size_t i;
    tx_ctx *ctx;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    memset(ex, 0, sizeof ex);
    for (i = 0; i < 4; i++) {
        ex[i].text = text[i];
        ex[i].len = strlen(text[i]);
        ex[i].causal = i < 3;
    }
    /* the strike -> fares rose, cue "amid"; fares rose -> the protest,
     * cue "fuelling" */
    spans[0] = relation(ex[0], 20, 30, 0, 14, 15, 19);
    spans[1] = relation(ex[0], 0, 14, 42, 53, 33, 41);
    spans[2] = relation(ex[1], 21, 31, 0, 15, 16, 20);
    spans[3] = relation(ex[2], 0, 14, 26, 31, 17, 25);
    tx_cause_train_params_init(&p);
    p.bits = 16;
    p.seeds = 1;
    ck_assert_int_eq(tx_cause_model_train(ctx, &p, ex, 4, spans, 4, &m),
                     TX_OK);
    tx__cwords_init(&w, ctx);
    memset(&tf, 0, sizeof tf);
    tf.ctx = ctx;
    ck_assert_int_eq(tx__cwords_split(&w, text[0], 0, strlen(text[0])),
                     TX_OK);
    ck_assert_uint_lt(w.n, 64);
    ck_assert_int_eq(tx__cause_token_features(&w, -1, -1, 0, &tf), TX_OK);
    tx__cause_viterbi(&m->sig, &tf, w.n, sc, bp, tags, NULL);
    for (i = 0; i < w.n; i++) {
        bool cue = w.w[i].start == 15 || w.w[i].start == 33;
        ck_assert_msg(tags[i] == (cue ? 1 : 0), "word %zu '%.*s': tag %d",
                      i, (int)w.w[i].low_len, w.w[i].low, tags[i]);
    }
    tx__cwords_free(&w);
    tx_free(ctx, tf.f);
    tx_free(ctx, tf.off);
    tx_cause_model_free(m);
    tx_ctx_free(ctx);
}
END_TEST

static void span_is(const char *text, tx_span s, const char *want)
{
    size_t n = s.end - s.start;
    ck_assert_msg(strlen(want) == n && strncmp(text + s.start, want, n) == 0,
                  "span '%.*s', want '%s'", (int)n, text + s.start, want);
}

/* The signals the tagger nearly chose are exact max-marginals: each
 * word's gap is the best score of a tagging that opens a signal there
 * below the best of all taggings, checked against every tagging of a
 * six-word sentence under random weights. */
static bool bio_ok(int a, int b)
{
    return b != 2 || a == 1 || a == 2;
}

START_TEST(near_signals_exact)
{
    enum { N = 6, T = 3, NF = 3 };
    tx__tagger g;
    tx__tfeats tf;
    uint64_t f[N * NF], rng = 12345;
    size_t off[N + 1], i, j, got;
    double e[N][T], best = -1e300, bestb[N], sc[N * T], em[N * T];
    double back[N * T];
    double gap[4];
    int bp[N * T], tags[N], wi[N * T], bestb_end[N], seq[N];
    long pos[4], end[4];
    long code, ncodes = 1;

    memset(&g, 0, sizeof g);
    g.n_tags = T;
    g.bits = 12;
    g.w = calloc((size_t)1 << g.bits, sizeof *g.w);
    ck_assert_ptr_nonnull(g.w);
    for (i = 0; i < ((size_t)1 << g.bits); i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        g.w[i] = (float)((double)(rng >> 11) / 9007199254740992.0 * 2 - 1);
    }
    for (i = 0; i < (size_t)(T + 1) * T; i++)
        g.trans[i] = g.w[i * 7 + 3];
    for (i = 0; i < N * NF; i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        f[i] = rng;
    }
    for (i = 0; i <= N; i++)
        off[i] = i * NF;
    memset(&tf, 0, sizeof tf);
    tf.f = f;
    tf.off = off;
    tf.n = N * NF;
    for (i = 0; i < N; i++)
        for (j = 0; j < T; j++) {
            size_t k;
            e[i][j] = 0;
            for (k = off[i]; k < off[i + 1]; k++)
                e[i][j] += g.w[tag_slot(&g, f[k], 0) + (uint32_t)j];
        }
    for (i = 0; i < N; i++) {
        bestb[i] = -1e300;
        ncodes *= T;
    }
    for (code = 0; code < ncodes; code++) {
        long c = code;
        double s = 0;
        bool ok = true;
        for (i = 0; i < N; i++, c /= T)
            seq[i] = (int)(c % T);
        for (i = 0; i < N && ok; i++) {
            ok = bio_ok(i ? seq[i - 1] : 0, seq[i]);
            s += (i ? g.trans[seq[i - 1] * T + seq[i]]
                    : g.trans[T * T + seq[0]]) + e[i][seq[i]];
        }
        if (!ok)
            continue;
        if (s > best)
            best = s;
        for (i = 0; i < N; i++)
            if (seq[i] == 1 && s > bestb[i]) {
                bestb[i] = s;
                for (j = i + 1; j < N && seq[j] == 2; j++)
                    ;
                bestb_end[i] = (int)j;
            }
    }
    tx__cause_viterbi(&g, &tf, N, sc, bp, tags, em);
    for (i = 0; i < N; i++) /* the word scores Viterbi kept */
        for (j = 0; j < T; j++)
            ck_assert_double_eq_tol(em[i * T + j], e[i][j], 1e-9);
    got = tx__cause_near_signals(&g, em, sc, N, tags, back, wi, pos, end,
                                 gap, 4);
    ck_assert_uint_gt(got, 0);
    for (j = 0; j < got; j++) {
        ck_assert_int_eq(tags[pos[j]], 0);
        ck_assert_double_eq_tol(gap[j], best - bestb[pos[j]], 1e-9);
        ck_assert_int_eq(end[j], bestb_end[pos[j]]);
        if (j)
            ck_assert_double_le(gap[j - 1], gap[j]);
    }
    /* nothing left out is nearer than the last one given */
    for (i = 0; i < N; i++) {
        bool given = false;
        for (j = 0; j < got; j++)
            given |= pos[j] == (long)i;
        if (!given && tags[i] == 0 && got == 4)
            ck_assert_double_ge(best - bestb[i], gap[got - 1] - 1e-9);
        if (!given && tags[i] == 0 && got < 4)
            ck_assert_msg(0, "word %zu left out with room to spare", i);
    }
    free(g.w);
}
END_TEST

/* The complaint classifier: the shipped model has one and records its
 * held-out quality; training needs both labels (TX_ETOOLITTLE and the
 * model unchanged otherwise) and then decides complaints by what it
 * learnt. */
START_TEST(complaint_classifier)
{
    static const char *const bad[] = {
        "the app crashed again", "my card was declined twice",
        "still waiting for a refund", "nobody answers the phone",
        "the delivery never arrived", "charged a fee for nothing"};
    static const char *const good[] = {
        "lovely staff and a quick check in", "the new design is great",
        "thanks for sorting it so fast", "really easy to set up",
        "friendly driver and on time", "best coffee in town"};
    tx_cause_example ex[12];
    tx_cause_model *m;
    tx_cause_sentence *s;
    tx_ctx *ctx;
    double qp, qr, qf, qp2, qr2, qf2;
    size_t i, n;
    const char *t = "the app crashed again";

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_int_eq(tx_cause_model_load(ctx, model_path(), &m, NULL), TX_OK);
    ck_assert_int_eq(tx_cause_model_complaint_quality(m, &qp, &qr, &qf),
                     TX_OK);
    ck_assert(qf > 0.6 && qf < 1);
    memset(ex, 0, sizeof ex);
    for (i = 0; i < 6; i++) {
        ex[i].text = bad[i];
        ex[i].len = strlen(bad[i]);
        ex[i].causal = 1;
        ex[6 + i].text = good[i];
        ex[6 + i].len = strlen(good[i]);
    }
    /* one label only */
    ck_assert_int_eq(tx_cause_model_train_complaints(ctx, NULL, m, ex, 6),
                     TX_ETOOLITTLE);
    ck_assert_int_eq(tx_cause_model_complaint_quality(m, &qp2, &qr2, &qf2),
                     TX_OK);
    ck_assert(qp2 == qp && qr2 == qr && qf2 == qf);
    /* both labels: retrained on these twelve */
    ck_assert_int_eq(tx_cause_model_train_complaints(ctx, NULL, m, ex, 12),
                     TX_OK);
    ck_assert_int_eq(tx_cause_detect(ctx, m, NULL, t, strlen(t), &s, &n),
                     TX_OK);
    ck_assert_int_eq((int)n, 1);
    ck_assert_int_eq(s[0].complaint, 1);
    tx_free(ctx, s);
    tx_cause_model_free(m);
    tx_ctx_free(ctx);
}
END_TEST

START_TEST(detect_shipped)
{
    tx_ctx *ctx;
    tx_cause_model *m;
    tx_cause_sentence *s;
    tx_diag d;
    size_t n;
    const char *t = "Thanks for nothing. I was charged twice because the "
                    "discount code was not applied! Since Monday the app "
                    "crashes.";

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(tx_cause_model_load(ctx, model_path(), &m, &d), TX_OK);
    {
        /* the shipped model records its held-out quality on CNC train */
        double qp, qr, qf;
        ck_assert_int_eq(tx_cause_model_quality(m, &qp, &qr, &qf), TX_OK);
        ck_assert(qp > 0.5 && qp < 1 && qr > 0.5 && qr < 1);
        ck_assert_double_eq_tol(qf, 2 * qp * qr / (qp + qr), 0.02);
    }
    ck_assert_int_eq(tx_cause_detect(ctx, m, NULL, t, strlen(t), &s, &n),
                     TX_OK);
    ck_assert_int_eq((int)n, 3);
    ck_assert_int_eq(s[1].causal, 1);
    span_is(t, s[1].cause, "the discount code was not applied");
    span_is(t, s[1].effect, "I was charged twice");
    span_is(t, s[1].cue, "because");
    ck_assert_int_eq(s[2].causal, 0); /* "Since Monday" is a time */
    ck_assert_int_eq(s[2].complaint, 1);
    tx_free(ctx, s);
    /* empty text: no sentences */
    ck_assert_int_eq(tx_cause_detect(ctx, m, NULL, "", 0, &s, &n), TX_OK);
    ck_assert_int_eq((int)n, 0);
    tx_free(ctx, s);
    tx_cause_model_free(m);
    /* a missing file names the fix */
    ck_assert_int_eq(tx_cause_model_load(ctx, "/nonexistent/causes.h5", &m,
                                         &d), TX_EIO);
    ck_assert_ptr_nonnull(strstr(d.message, "make models"));
    tx_ctx_free(ctx);
}
END_TEST

/* A causemap counts the documents in another language (guessed once per
 * document) and names the first one's; their sentences get no cause and
 * no complaint. */
START_TEST(causemap_other_language)
{
    tx_ctx *ctx;
    tx_cause_model *m;
    tx_causemap_params p;
    tx_causemap *map = NULL;
    tx_corpus *c;
    const tx_cause_sentence *s;
    const char *lang = "x";
    size_t i, n;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_int_eq(tx_cause_model_load(ctx, model_path(), &m, NULL), TX_OK);
    c = load_buffer(ctx, NULL, "l.csv",
                    "id,text\n"
                    "1,My card was declined because the bank froze my account.\n"
                    "2,\"Die Lieferung kam zu sp\xc3\xa4t, weil der Fahrer krank war und die Stra\xc3\x9f" "e gesperrt war.\"\n"
                    "3,\"La entrega lleg\xc3\xb3 tarde porque el conductor estaba enfermo y no hab\xc3\xad" "a nadie.\"\n",
                    TX_OK, NULL);
    tx_causemap_params_init(&p);
    p.cluster = 0;
    ck_assert_int_eq(tx_causemap_build(ctx, m, &p, c, &map), TX_OK);
    ck_assert_uint_eq(tx_causemap_other_language(map, &lang), 2);
    ck_assert_str_eq(lang, "german");
    ck_assert_uint_eq(tx_causemap_other_language(map, NULL), 2);
    n = tx_causemap_sentences(map, 0, &s);
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(s[0].causal, 1);
    for (i = 1; i < 3; i++) {
        size_t k;

        n = tx_causemap_sentences(map, i, &s);
        ck_assert_uint_ge(n, 1);
        for (k = 0; k < n; k++)
            ck_assert(!s[k].causal && !s[k].complaint);
    }
    ck_assert_uint_eq(tx_causemap_other_language(NULL, &lang), 0);
    ck_assert_ptr_null(lang);
    tx_causemap_free(map);
    tx_corpus_free(c);
    tx_cause_model_free(m);
    tx_ctx_free(ctx);
}
END_TEST

Suite *tx_suite_causes(void)
{
    Suite *s = suite_create("causes");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, parse_marked);
    tcase_add_test(tc, train_deterministic);
    tcase_add_test(tc, train_every_signal);
    tcase_add_test(tc, near_signals_exact);
    tcase_add_test(tc, detect_shipped);
    tcase_add_test(tc, complaint_classifier);
    tcase_add_test(tc, causemap_other_language);
    suite_add_tcase(s, tc);
    return s;
}
