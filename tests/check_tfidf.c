/* TF-IDF values against hand-computed scikit-learn definitions. */
#include "check_suites.h"

#include <math.h>
#include <stdlib.h>

static tx_ctx *ctx;

static void setup(void)
{
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
}

static void teardown(void)
{
    tx_ctx_free(ctx);
}

/* Three docs: "refund refund late", "late", "" (the "the" doc). */
START_TEST(values_match_definitions)
{
    tx_corpus *c = load_buffer(ctx, NULL, "t.txt",
                               "refund refund late\nlate\nthe\n", TX_OK, NULL);
    tx_vocab *v = NULL;
    tx_csr *m = NULL, *w = NULL;
    tx_tfidf_params p;
    double idf[2], late_idf, refund_idf, a, b, norm;
    long late, refund;

    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v, &m), TX_OK);
    late = tx_vocab_lookup(v, "late", 4);
    refund = tx_vocab_lookup(v, "refund", 6);
    tx_tfidf_params_init(&p);
    ck_assert_int_eq(tx_tfidf_idf(&p, v, idf), TX_OK);
    late_idf = log(4.0 / 3.0) + 1.0;  /* n=3, df=2 */
    refund_idf = log(4.0 / 2.0) + 1.0; /* df=1 */
    ck_assert_double_eq_tol(idf[late], late_idf, 1e-12);
    ck_assert_double_eq_tol(idf[refund], refund_idf, 1e-12);
    ck_assert_int_eq(tx_tfidf_apply(ctx, &p, idf, m, &w), TX_OK);
    a = (1.0 + log(2.0)) * refund_idf;
    b = late_idf;
    norm = sqrt(a * a + b * b);
    ck_assert_double_eq_tol(w->data[w->indptr[0] + (refund < late ? 0 : 1)],
                            a / norm, 1e-6);
    ck_assert_double_eq_tol(w->data[w->indptr[1]], 1.0, 1e-6);
    ck_assert_int_eq(w->indptr[3] - w->indptr[2], 0);
    tx_csr_free(w);
    /* Raw tf, plain idf, no norm. */
    p.sublinear_tf = 0;
    p.smooth_idf = 0;
    p.norm_l2 = 0;
    ck_assert_int_eq(tx_tfidf_idf(&p, v, idf), TX_OK);
    ck_assert_double_eq_tol(idf[refund], log(3.0) + 1.0, 1e-12);
    ck_assert_int_eq(tx_tfidf_apply(ctx, &p, idf, m, &w), TX_OK);
    ck_assert_double_eq_tol(w->data[w->indptr[0] + (refund < late ? 0 : 1)],
                            2.0 * (log(3.0) + 1.0), 1e-5);
    tx_csr_free(w);
    tx_csr_free(m);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

START_TEST(bad_arguments)
{
    tx_csr *w = (tx_csr *)1;

    ck_assert_int_eq(tx_tfidf_apply(ctx, NULL, NULL, NULL, &w), TX_EINVAL);
    ck_assert_int_eq(tx_tfidf_idf(NULL, NULL, NULL), TX_EINVAL);
}
END_TEST

Suite *tx_suite_tfidf(void)
{
    Suite *s = suite_create("tfidf");
    TCase *tc = tcase_create("tfidf");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, values_match_definitions);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
