/* Themes and reports through the public API: what a pipeline relies on. */
#include "check_suites.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tx_ctx *ctx;
static tx_corpus *corpus;

static void setup(void)
{
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    tx_ctx_set_seed(ctx, 1);
    corpus = load_default_corpus(ctx);
}

static void teardown(void)
{
    tx_corpus_free(corpus);
    tx_ctx_free(ctx);
}

static tx_themes *fit(size_t k)
{
    return fit_themes(ctx, corpus, k);
}

/* Themes come numbered by their primary documents, with labels, terms and
 * quotes drawn from their own documents; every themed document has a
 * theme below k; a theme is spoken of by at least its primary documents. */
START_TEST(themes_are_described)
{
    tx_themes *th = fit(5);
    size_t t, i, prev = SIZE_MAX, sum = 0;

    ck_assert_uint_eq(tx_themes_k(th), 5);
    for (t = 0; t < 5; t++) {
        tx_theme_info x;

        ck_assert_int_eq(tx_themes_theme(th, t, &x), TX_OK);
        ck_assert_ptr_nonnull(x.label);
        ck_assert_uint_gt(strlen(x.label), 0);
        ck_assert_uint_gt(x.n_terms, 0);
        ck_assert_uint_le(x.primary, prev);
        ck_assert_uint_ge(x.size, x.primary);
        prev = x.primary;
        sum += x.primary;
        ck_assert_uint_gt(x.n_quotes, 0);
        for (i = 0; i < x.n_quotes; i++)
            ck_assert_int_eq(tx_themes_doc_theme(th, x.quotes[i]), (int)t);
    }
    for (i = 0; i < tx_corpus_size(corpus); i++)
        ck_assert_int_lt(tx_themes_doc_theme(th, i), 5);
    ck_assert_uint_le(sum, tx_corpus_size(corpus));
    tx_themes_free(th);
}
END_TEST

/* Too little text is its own error, not "invalid argument". */
START_TEST(too_little_text)
{
    tx_corpus_params cp;
    tx_corpus *c = NULL;
    tx_themes *th = NULL;
    const char *two = "id,text\n1,the\n2,and\n";

    tx_corpus_params_init(&cp);
    c = load_buffer(ctx, &cp, "two.csv", two, TX_OK, NULL);
    ck_assert_int_eq(tx_themes_fit(ctx, NULL, c, &th), TX_ETOOLITTLE);
    ck_assert_ptr_null(th);
    ck_assert_str_eq(tx_strerror(TX_ETOOLITTLE), "too little text");
    tx_corpus_free(c);
}
END_TEST

/* Parameters are checked before any work, with a reason to print. */
START_TEST(params_check_says_why)
{
    tx_themes_params p;
    tx_themes *th = NULL;
    tx_diag d;

    tx_themes_params_init(&p);
    ck_assert_ptr_null(tx_themes_params_check(&p));
    ck_assert_ptr_null(tx_themes_params_check(NULL));
    p.granularity = 0;
    ck_assert_str_eq(tx_themes_params_check(&p),
                     "granularity must be positive");
    memset(&d, 0, sizeof d);
    p.diag = &d;
    ck_assert_int_eq(tx_themes_fit(ctx, &p, corpus, &th), TX_EINVAL);
    ck_assert_ptr_null(th);
    ck_assert_str_eq(d.message, "granularity must be positive");
    tx_themes_params_init(&p);
    p.tok.lang = "klingon";
    ck_assert_ptr_nonnull(strstr(tx_themes_params_check(&p), "Snowball"));
    tx_themes_params_init(&p);
    p.vocab.max_df = 1.5;
    ck_assert_ptr_nonnull(strstr(tx_themes_params_check(&p), "max_df"));
    tx_themes_params_init(&p);
    p.tok.ngram_max = 9;
    ck_assert_ptr_nonnull(strstr(tx_themes_params_check(&p), "ngram_max"));
}
END_TEST

/* A program built against an older header passes a shorter params
 * struct: the fields it does not know take their defaults. One that never
 * called _init (size 0) is refused. */
START_TEST(params_grow_without_breaking_callers)
{
    tx_themes_params p;
    tx_themes *th = NULL;
    tx_theme_info x;

    tx_themes_params_init(&p);
    p.kmeans.k = 3;
    p.n_quotes = 1;                          /* beyond the "old" size: */
    p.size = offsetof(tx_themes_params, n_quotes); /* the default 4 holds */
    ck_assert_int_eq(tx_themes_fit(ctx, &p, corpus, &th), TX_OK);
    ck_assert_uint_eq(tx_themes_k(th), 3);   /* within: used */
    ck_assert_int_eq(tx_themes_theme(th, 0, &x), TX_OK);
    ck_assert_uint_eq(x.n_quotes, 4);
    tx_themes_free(th);
    p.size = 0;
    ck_assert_int_eq(tx_themes_fit(ctx, &p, corpus, &th), TX_EINVAL);
    ck_assert_ptr_null(th);
}
END_TEST

/* Themes (k of them, no sub-themes) of the CSV text `csv`, read as `name`;
 * the corpus comes back in *c, to be freed after the themes. */
static tx_themes *fit_csv(const char *name, const char *csv, size_t k,
                          tx_corpus **c)
{
    tx_corpus_params cp;
    tx_themes_params p;
    tx_themes *th = NULL;

    tx_corpus_params_init(&cp);
    *c = load_buffer(ctx, &cp, name, csv, TX_OK, NULL);
    tx_themes_params_init(&p);
    p.kmeans.k = k;
    p.subthemes = 0;
    ck_assert_int_eq(tx_themes_fit(ctx, &p, *c, &th), TX_OK);
    return th;
}

/* Labels in the customers' words: a theme labelled by the pair "wait" +
 * "hold" reads as its documents write it ("waited on hold", the words
 * between restored), a negated term keeps its negator ("never received
 * my refund", not "received my refund"), and one writer's phrasing,
 * across a comma or a redaction mark, never names a theme; nor does a
 * wording half the theme contradicts ("turn off the lights" where as
 * many write "turn on the lights": one pair of terms). */
START_TEST(labels_read_as_written)
{
    static const char *const hold[] = {
        "Waited on hold for an hour before anyone answered.",
        "I waited on hold all morning and gave up.",
        "We waited on hold twice and nobody picked up.",
        "waited on hold again today, terrible service",
        "Waited ON HOLD forty minutes for a simple question.",
        "They had me wait, hold music for ages, hang up.",
        "I waited on hold, then the call dropped.",
        "Waited XXXX hold for days, the agent never came.",
        "Waited on hold so long my phone died.",
        "The agent put me on hold and I waited for ages.",
    };
    static const char *const refund[] = {
        "I never received my refund after three weeks.",
        "Never received my refund so I could not pay rent.",
        "Still never received my refund.",
        "never received my refund, please check",
        "Returned the boots and never received my refund.",
        "No luck: never received my refund.",
        "The refund has still not come, two weeks now.",
        "Never received my refund and the branch was no help.",
        "We never received my refund in the post.",
        "I am told the refund was sent but it never came.",
    };
    static const char *const lights[] = {
        "Please turn off the lights in the kitchen.",
        "Turn on the lights when I get home.",
        "turn off the lights at midnight",
        "Can you turn on the lights downstairs?",
        "Turn off the lights, I am going to sleep.",
        "turn on the lights in the hall please",
        "Turn off the lights in the bedroom.",
        "Turn on the lights in the garden.",
        "Turn off the lights in the garage now.",
        "turn on the lights for the party",
    };
    char buf[6144];
    size_t o = 0, i, t;
    tx_corpus *c;
    tx_themes *th;
    bool saw_hold = false, saw_refund = false;

    o += (size_t)snprintf(buf + o, sizeof buf - o, "id,text\n");
    for (i = 0; i < 10; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "h%zu,\"%s\"\nc%zu,\"%s\"\nl%zu,\"%s\"\n", i,
                              hold[i], i, refund[i], i, lights[i]);
    ck_assert_uint_lt(o, sizeof buf - 1);
    th = fit_csv("words.csv", buf, 3, &c);
    for (t = 0; t < 3; t++) {
        tx_theme_info x;

        ck_assert_int_eq(tx_themes_theme(th, t, &x), TX_OK);
        saw_hold |= strcmp(x.label, "waited on hold") == 0;
        saw_refund |= strcmp(x.label, "never received my refund") == 0;
        ck_assert_ptr_null(strstr(x.label, "xxxx"));
        ck_assert_ptr_null(strstr(x.label, "on the"));
        ck_assert_ptr_null(strstr(x.label, "off the"));
    }
    ck_assert_msg(saw_hold && saw_refund, "labels not as written");
    tx_themes_free(th);
    tx_corpus_free(c);
}
END_TEST

/* A theme whose documents hold nothing but @handles and links (tweets
 * that only tag a brand) says so in its label instead of "(no terms)"; a
 * small theme whose words each come once still gets them as terms. */
START_TEST(labels_of_wordless_themes)
{
    static const char *const words[] = {
        "the parcel arrived late and the box was crushed",
        "parcel arrived late again, box crushed in transit",
        "my parcel arrived late with a crushed box",
        "late parcel, crushed box, no apology",
        "the refund was never paid back to my card",
        "refund never paid, card still charged",
        "still waiting for the refund to be paid to my card",
        "refund not paid to the card after a month",
    };
    char buf[4096];
    size_t o = 0, i, t;
    tx_corpus *c;
    tx_themes *th;
    bool saw_only = false;

    o += (size_t)snprintf(buf + o, sizeof buf - o, "id,text\n");
    for (i = 0; i < 8; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "w%zu,\"%s\"\nu%zu,@brand%zu https://t.co/x%zu\n",
                              i, words[i], i, i % 3, i);
    ck_assert_uint_lt(o, sizeof buf - 1);
    th = fit_csv("tags.csv", buf, 3, &c);
    for (t = 0; t < tx_themes_k(th); t++) {
        tx_theme_info x;

        ck_assert_int_eq(tx_themes_theme(th, t, &x), TX_OK);
        ck_assert_ptr_null(strstr(x.label, "no terms"));
        ck_assert_ptr_null(strstr(x.label, "_"));
        if (strcmp(x.label, "(only links and @mentions)") == 0 ||
            strcmp(x.label, "(only @mentions and links)") == 0)
            saw_only = true;
        else
            ck_assert_uint_gt(x.n_terms, 0);
    }
    ck_assert_msg(saw_only, "no theme of tags and links said so");
    tx_themes_free(th);
    tx_corpus_free(c);
}
END_TEST

/* A label does not name a word twice: where the best term ("waiting")
 * is a word of the next ("long wait"), the label is the longer one, not
 * "waiting, long wait". */
START_TEST(labels_without_repeated_words)
{
    static const char *const wait[] = {
        "Still waiting for a reply after a long wait.",
        "Waiting again, the long wait is absurd.",
        "I keep waiting, a long wait.",
        "waiting all day",
        "Still waiting for the parcel.",
        "Waiting for weeks now.",
        "The waiting is the worst, a long wait.",
        "Waiting since Monday.",
        "waiting on the phone, long wait",
        "Waiting for my money, waiting still.",
    };
    static const char *const other[] = {
        "I never received my refund after three weeks.",
        "Turn off the lights in the kitchen.",
        "Still never received my refund.",
        "Turn on the lights when I get home.",
        "Returned the boots and never received my refund.",
        "Turn off the lights at midnight.",
        "Never received my refund, please check.",
        "Turn on the lights downstairs.",
        "No luck: never received my refund.",
        "Turn off the lights in the bedroom.",
        "We never received my refund in the post.",
        "Turn on the lights in the garden.",
        "Never received my refund and the branch was no help.",
        "Turn off the lights in the garage now.",
    };
    char buf[4096];
    size_t o = 0, i, t;
    tx_corpus *c;
    tx_themes *th;
    bool saw_wait = false;

    o += (size_t)snprintf(buf + o, sizeof buf - o, "id,text\n");
    for (i = 0; i < 10; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "w%zu,\"%s\"\n", i,
                              wait[i]);
    /* "long" is common elsewhere, so "long wait" ranks below "waiting" */
    for (i = 0; i < 14; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "o%zu,\"%s%s\"\n", i,
                              other[i], i < 10 ? " It took long." : "");
    ck_assert_uint_lt(o, sizeof buf - 1);
    th = fit_csv("wait.csv", buf, 3, &c);
    for (t = 0; t < 3; t++) {
        tx_theme_info x;

        ck_assert_int_eq(tx_themes_theme(th, t, &x), TX_OK);
        saw_wait |= strcmp(x.label, "long wait") == 0;
        ck_assert_ptr_null(strstr(x.label, "waiting, "));
    }
    ck_assert_msg(saw_wait, "no theme labelled \"long wait\"");
    tx_themes_free(th);
    tx_corpus_free(c);
}
END_TEST

/* A label is not made of a word that says little on its own: where the
 * theme's two best terms are "charged" and "came", never written side by
 * side, the label takes the next term instead ("charged, came" was one of
 * the labels users could not act on). */
START_TEST(labels_skip_light_words)
{
    static const char *const charged[] = {
        "I was charged twice and the parcel came late.",
        "Charged for shipping, the box came open.",
        "The bill came and I was charged a fee again.",
        "Charged in full before the order came.",
        "The statement came, charged for nothing.",
        "Charged a fee when the refund came back.",
        "Was charged, the goods came broken.",
        "The invoice came after I was charged twice.",
        "Charged again and the reply came too slowly.",
        "A letter came saying I was charged a fee.",
    };
    static const char *const other[] = {
        "Turn off the lights in the kitchen.",
        "I waited on hold for an hour.",
        "Turn on the lights in the hall.",
        "Waited on hold all morning.",
        "Turn off the lights upstairs.",
        "We waited on hold twice today.",
        "Turn on the lights downstairs.",
        "Waited on hold, then the call dropped.",
        "Turn off the lights in the garage.",
        "Waited on hold forty minutes.",
    };
    char buf[4096];
    size_t o = 0, i, t;
    tx_corpus *c;
    tx_themes *th;
    bool saw_charged = false;

    o += (size_t)snprintf(buf + o, sizeof buf - o, "id,text\n");
    for (i = 0; i < 10; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "c%zu,\"%s\"\no%zu,\"%s\"\n", i, charged[i], i,
                              other[i]);
    ck_assert_uint_lt(o, sizeof buf - 1);
    th = fit_csv("charged.csv", buf, 3, &c);
    for (t = 0; t < 3; t++) {
        tx_theme_info x;

        ck_assert_int_eq(tx_themes_theme(th, t, &x), TX_OK);
        if (strstr(x.label, "charged")) {
            saw_charged = true;
            ck_assert_msg(!strstr(x.label, "came"), "label \"%s\"",
                          x.label);
        }
    }
    ck_assert_msg(saw_charged, "no theme labelled by \"charged\"");
    tx_themes_free(th);
    tx_corpus_free(c);
}
END_TEST

/* A sub-theme's label names what sets it apart from its siblings and from
 * the corpus: refunds to a card, where every answer of the corpus but the
 * cheque refunds asks for "help", are not named by "help" (label or first
 * terms), which sets them apart from their sibling (half of whose answers
 * name the card) but not from the corpus. */
START_TEST(subtheme_labels_read_alone)
{
    static const char *const how[] = {
        "today", "soon", "now", "quickly", "again",
        "first", "properly", "fully", "safely", "directly",
    };
    static const char *const where[] = {
        "in the kitchen", "upstairs", "downstairs", "in the hall",
        "in the garden", "in the garage", "at midnight", "in the bedroom",
        "on the porch", "in the attic",
    };
    char buf[8192];
    size_t o = 0, i, s;
    tx_corpus_params cp;
    tx_themes_params p;
    tx_corpus *c;
    tx_themes *th = NULL;
    bool saw_card = false;

    o += (size_t)snprintf(buf + o, sizeof buf - o, "id,text\n");
    for (i = 0; i < 10; i++)
        o += (size_t)snprintf(
            buf + o, sizeof buf - o,
            "a%zu,\"Help, return the refund money to my card %s.\"\n"
            "b%zu,\"The refund money came as a cheque%s %s.\"\n"
            "c%zu,\"Help, turn off the lights %s.\"\n"
            "d%zu,\"Help, I waited on hold %s.\"\n",
            i, how[i], i, i < 5 ? ", meant for my card," : "",
            how[(i + 3) % 10], i, where[i], i, how[(i + 7) % 10]);
    ck_assert_uint_lt(o, sizeof buf - 1);
    tx_corpus_params_init(&cp);
    c = load_buffer(ctx, &cp, "refunds.csv", buf, TX_OK, NULL);
    tx_themes_params_init(&p);
    p.kmeans.k = 3;
    p.subthemes = 2;
    ck_assert_int_eq(tx_themes_fit(ctx, &p, c, &th), TX_OK);
    for (s = 0; s < tx_themes_n_subthemes(th); s++) {
        tx_theme_info x;

        ck_assert_int_eq(tx_themes_subtheme(th, s, &x), TX_OK);
        if (strstr(x.label, "card")) {
            saw_card = true;
            ck_assert_msg(!strstr(x.label, "help"), "label \"%s\"",
                          x.label);
            ck_assert_uint_gt(x.n_terms, 1);
            ck_assert_msg(strcmp(x.terms[0], "help") &&
                              strcmp(x.terms[1], "help"),
                          "terms \"%s\", \"%s\"", x.terms[0], x.terms[1]);
        }
    }
    ck_assert_msg(saw_card, "no sub-theme of card refunds");
    tx_themes_free(th);
    tx_corpus_free(c);
}
END_TEST

Suite *tx_suite_themes(void)
{
    Suite *s = suite_create("themes");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, themes_are_described);
    tcase_add_test(tc, too_little_text);
    tcase_add_test(tc, params_check_says_why);
    tcase_add_test(tc, params_grow_without_breaking_callers);
    tcase_add_test(tc, labels_read_as_written);
    tcase_add_test(tc, labels_of_wordless_themes);
    tcase_add_test(tc, labels_without_repeated_words);
    tcase_add_test(tc, subtheme_labels_read_alone);
    tcase_add_test(tc, labels_skip_light_words);
    suite_add_tcase(s, tc);
    return s;
}
