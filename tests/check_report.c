/* Reports through the public API: a report reads a fitted model and its
 * analyses and changes none of them. */
#include "check_suites.h"
#include "core/tx_internal.h"

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

/* assignments.csv of a corpus large enough to be formatted in parts on
 * threads: the bytes one thread writes, rejects in their input places;
 * a file that refuses the bytes gives TX_EIO. */
START_TEST(big_files_written_in_parts)
{
    size_t cap = 60000 * 40, len = 0, n, i;
    char *csv = malloc(cap), *out[2];
    int32_t *themes;
    float *scores;
    int t;

    len += (size_t)snprintf(csv, cap, "id,text\n");
    for (i = 0; i < 60000; i++) /* every 997th row empty: rejected */
        len += (size_t)snprintf(csv + len, cap - len, "r%zu,%s\n", i,
                                i % 997 == 3 ? "" : "card never came");
    for (t = 0; t < 2; t++) {
        tx_ctx *cx = NULL;
        tx_corpus *c = NULL;
        size_t olen = 0;
        FILE *f;

        ck_assert_int_eq(tx_ctx_new(NULL, &cx), TX_OK);
        tx_ctx_set_threads(cx, t ? 3 : 1);
        ck_assert_int_eq(tx_corpus_new(cx, NULL, &c), TX_OK);
        ck_assert_int_eq(tx_corpus_add_buffer(c, "b.csv", csv, len, NULL),
                         TX_OK);
        n = tx_corpus_size(c);
        ck_assert_uint_eq(tx_corpus_reject_count(c), 61);
        themes = malloc(n * sizeof *themes);
        scores = malloc(n * sizeof *scores);
        for (i = 0; i < n; i++) {
            themes[i] = (int32_t)(i % 7);
            scores[i] = (float)(i % 100) / 100.0f;
        }
        f = open_memstream(&out[t], &olen);
        ck_assert_int_eq(tx_corpus_write_assignments(c, themes, scores,
                                                     NULL, f), TX_OK);
        fclose(f);
        if (t) {
            f = fopen("/dev/full", "w");
            if (f) {
                ck_assert_int_eq(tx_corpus_write_assignments(
                                     c, themes, scores, NULL, f), TX_EIO);
                fclose(f);
            }
        }
        free(themes);
        free(scores);
        tx_corpus_free(c);
        tx_ctx_free(cx);
    }
    ck_assert(strcmp(out[0], out[1]) == 0);
    ck_assert_ptr_nonnull(strstr(out[0], "\nr3,-1,0,-1\nr4,3,"));
    free(out[0]);
    free(out[1]);
    free(csv);
}
END_TEST

/* assignments.csv's numbers are written without printf; they must be
 * the bytes "%d,%.4f,%d" gives, ties (0.03125 -> 0.0312, half to even),
 * negative zero and values that round to zero included. */
START_TEST(numbers_as_printf_writes_them)
{
    static const float v[] = {0.0f,     -0.0f,     0.03125f, -0.03125f,
                              0.09375f, 0.00005f,  -0.00004f, 0.99995f,
                              1.0f,     -1.0f,     0.12345f, 2.5e-5f,
                              7.5e-5f,  -0.5f,     0.3333333f, 123.456789f};
    size_t n = sizeof v / sizeof *v, i, len = 0, olen = 0;
    char csv[1024], *out = NULL, *line, want[64];
    int32_t themes[16], subs[16];
    tx_corpus *c = NULL;
    FILE *f;

    len += (size_t)snprintf(csv, sizeof csv, "id,text\n");
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len,
                                "d%zu,card number %zu\n", i, i);
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "n.csv", csv, len, NULL), TX_OK);
    ck_assert_uint_eq(tx_corpus_size(c), n);
    for (i = 0; i < n; i++) {
        themes[i] = (int32_t)(i * 37 % 11);
        subs[i] = (int32_t)i * 1000 - 3;
    }
    f = open_memstream(&out, &olen);
    ck_assert_int_eq(tx_corpus_write_assignments(c, themes, v, subs, f),
                     TX_OK);
    fclose(f);
    line = strchr(out, '\n') + 1;
    for (i = 0; i < n; i++) {
        snprintf(want, sizeof want, "d%zu,%d,%.4f,%d\n", i, themes[i],
                 (double)v[i], subs[i]);
        ck_assert_int_eq(strncmp(line, want, strlen(want)), 0);
        line += strlen(want);
    }
    ck_assert_ptr_nonnull(strstr(out, "\nd2,8,0.0312,1997\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nd1,4,-0.0000,997\n"));
    free(out);
    tx_corpus_free(c);
}
END_TEST

/* The same for the library's formatter at every precision the files use
 * and more: random doubles and floats, ties, negative zero. */
START_TEST(fixed_point_as_printf_writes_it)
{
    static const double special[] = {0.0, -0.0, 0.03125, -0.0625, 0.0005,
                                     -0.0005, 0.00049999, 2.5, -3.5, 1e8,
                                     999999.9999995, 0.125, 1.0 / 3.0};
    uint64_t st = 7;
    char got[64], want[64], *p;
    int dec, i;

    for (dec = 0; dec <= 6; dec++) {
        for (i = 0; i < 20000; i++) {
            double u = tx__rng_uniform(&st) * 2.0 - 1.0, v;

            v = i % 3 == 0   ? u
                : i % 3 == 1 ? (double)(float)(u * 1000.0)
                             : (double)(int)(u * 4096.0) / 1024.0;
            if (i < (int)(sizeof special / sizeof *special))
                v = special[i];
            p = tx__put_fixed(got, v, dec);
            *p = '\0';
            snprintf(want, sizeof want, "%.*f", dec, v);
            ck_assert_str_eq(got, want);
        }
    }
    p = tx__put_int(got, INT64_MIN + 1);
    *p = '\0';
    ck_assert_str_eq(got, "-9223372036854775807");
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
    tcase_add_test(tc, big_files_written_in_parts);
    tcase_add_test(tc, numbers_as_printf_writes_them);
    tcase_add_test(tc, fixed_point_as_printf_writes_it);
    suite_add_tcase(s, tc);
    return s;
}
