/* Reports through the public API: a report reads a fitted model and its
 * analyses and changes none of them. */
#include "check_suites.h"

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

static char *write_to_string(int (*w)(const tx_report *, FILE *),
                             const tx_report *r)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(w(r, f), TX_OK);
    fclose(f);
    return buf;
}

/* A report reads the fit and its insights and changes neither: the same
 * model gives the same themes.json before and after a report with
 * insights was written from it, and the insights appear only in the
 * report that was given them. */
START_TEST(report_leaves_the_model_alone)
{
    tx_themes *th = fit(4);
    tx_insights *in = NULL;
    tx_report *plain = NULL, *rich = NULL, *again = NULL;
    char *a, *b, *c;

    ck_assert_int_eq(tx_report_new(ctx, th, corpus, NULL, NULL, &plain),
                     TX_OK);
    a = write_to_string(tx_report_write_json, plain);
    ck_assert_int_eq(tx_insights_compute(ctx, NULL, th, corpus, &in), TX_OK);
    ck_assert_int_eq(tx_report_new(ctx, th, corpus, in, NULL, &rich), TX_OK);
    b = write_to_string(tx_report_write_json, rich);
    ck_assert_ptr_nonnull(strstr(b, "\"priority\""));
    ck_assert_ptr_null(strstr(a, "\"priority\""));
    ck_assert_int_eq(tx_report_new(ctx, th, corpus, NULL, NULL, &again),
                     TX_OK);
    c = write_to_string(tx_report_write_json, again);
    ck_assert_str_eq(a, c);
    free(a);
    free(b);
    free(c);
    tx_report_free(again);
    tx_report_free(rich);
    tx_report_free(plain);
    tx_insights_free(in);
    tx_themes_free(th);
}
END_TEST

/* A report of a model with a corpus it was not fitted on is refused. */
START_TEST(report_checks_its_parts)
{
    tx_themes *th = fit(3);
    tx_corpus_params cp;
    tx_corpus *other;
    tx_report *r = (tx_report *)&r;

    tx_corpus_params_init(&cp);
    other = load_buffer(ctx, &cp, "o.csv", "id,text\n1,card late\n", TX_OK,
                        NULL);
    ck_assert_int_eq(tx_report_new(ctx, th, other, NULL, NULL, &r),
                     TX_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tx_report_new(ctx, NULL, corpus, NULL, NULL, &r),
                     TX_EINVAL);
    tx_report_free(NULL);
    tx_corpus_free(other);
    tx_themes_free(th);
}
END_TEST

Suite *tx_suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, report_leaves_the_model_alone);
    tcase_add_test(tc, report_checks_its_parts);
    suite_add_tcase(s, tc);
    return s;
}
