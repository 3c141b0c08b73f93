/* Sentence and clause segmentation. */
#include "check_suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sentences of `text` joined by " | ". */
static char *sentences(const char *text)
{
    tx_span sp[64];
    size_t n = 0, i, o = 0;
    char *buf = malloc(strlen(text) + 64 * 3 + 1);

    ck_assert_int_eq(tx_segment_sentences(text, strlen(text), sp, 64, &n), TX_OK);
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        o += (size_t)sprintf(buf + o, "%s%.*s", i ? " | " : "",
                             (int)(sp[i].end - sp[i].start),
                             text + sp[i].start);
    }
    return buf;
}

static void expect_sentences(const char *text, const char *want)
{
    char *got = sentences(text);

    ck_assert_msg(strcmp(got, want) == 0, "'%s' -> '%s', want '%s'", text,
                  got, want);
    free(got);
}

START_TEST(sentence_boundaries)
{
    expect_sentences("The card arrived. It was declined!",
                     "The card arrived. | It was declined!");
    expect_sentences("Dr. Smith called at 3 p.m. about it. Fine.",
                     "Dr. Smith called at 3 p.m. about it. | Fine.");
    expect_sentences("I paid 3.50 for v2.1 e.g. the app. Then nothing.",
                     "I paid 3.50 for v2.1 e.g. the app. | Then nothing.");
    expect_sentences("Why?? Nobody knows... Really.",
                     "Why?? | Nobody knows... | Really.");
    expect_sentences("He said \"never again.\" Then he left.",
                     "He said \"never again.\" | Then he left.");
    expect_sentences("no punctuation at all\nsecond line here\n\n",
                     "no punctuation at all | second line here");
    expect_sentences("great app 👍 The update broke it",
                     "great app 👍 | The update broke it");
    expect_sentences("J. Smith helped. ok", "J. Smith helped. ok");
    expect_sentences("", "");
}
END_TEST

START_TEST(sentence_offsets_and_buffer)
{
    const char *t = "  One.  Two!  ";
    tx_span sp[1];
    size_t n = 0;

    ck_assert_int_eq(tx_segment_sentences(t, strlen(t), sp, 1, &n), TX_ERANGE);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(sp[0].start, 2);
    ck_assert_uint_eq(sp[0].end, 6);
    ck_assert_int_eq(tx_segment_sentences(t, strlen(t), NULL, 0, &n), TX_ERANGE);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(tx_segment_sentences(NULL, 3, NULL, 0, &n), TX_EINVAL);
}
END_TEST

static char *clauses(const char *text)
{
    tx_span sp[32], all = {0, strlen(text)};
    size_t n = 0, i, o = 0;
    char *buf = malloc(strlen(text) + 32 * 3 + 1);

    ck_assert_int_eq(tx_segment_clauses(text, all, sp, 32, &n), TX_OK);
    buf[0] = '\0';
    for (i = 0; i < n; i++)
        o += (size_t)sprintf(buf + o, "%s%.*s", i ? " | " : "",
                             (int)(sp[i].end - sp[i].start),
                             text + sp[i].start);
    return buf;
}

START_TEST(clause_boundaries)
{
    struct { const char *in, *want; } c[] = {
        {"I had to call three times because nobody told me",
         "I had to call three times | because nobody told me"},
        {"Because the update failed, I lost my data",
         "Because the update failed, I lost my data"},
        {"It was late, and the box was wet",
         "It was late, | and the box was wet"},
        {"The app crashes; support never replied",
         "The app crashes; | support never replied"},
        {"Fees went up, that's why I left",
         "Fees went up, | that's why I left"},
        {"The so-called fix", "The so-called fix"},
        {"Two things: price and speed", "Two things: | price and speed"},
        /* a ';' or ':' inside a word or an entity joins, not cuts */
        {"Men Without Hats parody, there https://t.co/mWpG7grEZP",
         "Men Without Hats parody, there https://t.co/mWpG7grEZP"},
        {"We left at 10:30 and landed late", "We left at 10:30 and landed late"},
        {"arrive &amp; I couldn't pay", "arrive &amp; I couldn't pay"},
        {"Great flight :) thanks", "Great flight :) thanks"},
    };
    size_t i;

    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        char *got = clauses(c[i].in);

        ck_assert_msg(strcmp(got, c[i].want) == 0, "'%s' -> '%s', want '%s'",
                      c[i].in, got, c[i].want);
        free(got);
    }
}
END_TEST

START_TEST(long_and_unspaced_text)
{
    size_t n = 200000, i, got = 0;
    char *t = malloc(n + 1);
    tx_span all;

    for (i = 0; i < n; i++) /* 10,000+ words, no punctuation, then none */
        t[i] = i % 7 == 6 ? ' ' : 'a';
    t[n] = '\0';
    ck_assert_int_eq(tx_segment_sentences(t, n, NULL, 0, &got), TX_ERANGE);
    ck_assert_uint_eq(got, 1);
    all = (tx_span){0, n};
    ck_assert_int_eq(tx_segment_clauses(t, all, NULL, 0, &got), TX_ERANGE);
    ck_assert_uint_eq(got, 1);
    memset(t, 'x', n);
    ck_assert_int_eq(tx_segment_sentences(t, n, NULL, 0, &got), TX_ERANGE);
    ck_assert_uint_eq(got, 1);
    free(t);
}
END_TEST

Suite *tx_suite_segment(void)
{
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("segment");

    tcase_add_test(tc, sentence_boundaries);
    tcase_add_test(tc, sentence_offsets_and_buffer);
    tcase_add_test(tc, clause_boundaries);
    tcase_add_test(tc, long_and_unspaced_text);
    suite_add_tcase(s, tc);
    return s;
}
