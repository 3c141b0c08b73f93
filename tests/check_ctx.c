/* Context, errors, and clean failure under allocation faults. */
#include "check_suites.h"

#include <stdlib.h>
#include <string.h>

START_TEST(strerror_covers_codes)
{
    int rc;

    for (rc = TX_EHDF5; rc <= TX_OK; rc++) {
        ck_assert_ptr_nonnull(tx_strerror(rc));
        ck_assert_str_ne(tx_strerror(rc), "unknown error");
    }
    ck_assert_str_eq(tx_strerror(-999), "unknown error");
    ck_assert_str_eq(tx_version(), TX_VERSION_STRING);
}
END_TEST

START_TEST(ctx_params)
{
    tx_ctx *ctx = NULL;
    tx_alloc bad = {NULL, NULL, NULL, NULL};

    ck_assert_int_eq(tx_ctx_new(&bad, &ctx), TX_EINVAL);
    ck_assert_ptr_null(ctx);
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_int_eq(tx_ctx_threads(ctx), 1);
    ck_assert_int_eq(tx_ctx_set_threads(ctx, 0), TX_EINVAL);
    ck_assert_int_eq(tx_ctx_set_threads(ctx, 2), TX_OK);
    ck_assert_int_eq(tx_ctx_threads(ctx), 2);
    tx_ctx_set_seed(ctx, 7);
    ck_assert_uint_eq(tx_ctx_seed(ctx), 7);
    tx_ctx_free(ctx);
    tx_ctx_free(NULL);
    tx_corpus_free(NULL);
    tx_tokenizer_free(NULL);
    tx_vocab_free(NULL);
}
END_TEST

/* An allocator that fails its Nth call. */
struct faulty {
    long calls, fail_at;
};

static void *f_malloc(void *ud, size_t n)
{
    struct faulty *f = ud;

    return ++f->calls == f->fail_at ? NULL : malloc(n);
}

static void *f_realloc(void *ud, void *p, size_t n)
{
    struct faulty *f = ud;

    return ++f->calls == f->fail_at ? NULL : realloc(p, n);
}

static void f_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* The whole pipeline, run with the Nth allocation failing: each call must
 * either succeed or return TX_ENOMEM, never crash or leak (ASan checks). */
static int pipeline(tx_ctx *ctx)
{
    static const char csv[] =
        "id,text\n1,the parcel was late again\n2,\"late parcel, no refund\"\n"
        "3,refund took two weeks\n";
    tx_corpus *c = NULL;
    tx_vocab *v = NULL;
    tx_csr *counts = NULL, *w = NULL;
    tx_tokenizer *t = NULL;
    double idf[64];
    int rc;

    rc = tx_corpus_new(ctx, NULL, &c);
    if (rc == TX_OK)
        rc = tx_corpus_add_buffer(c, "x.csv", csv, sizeof csv - 1, NULL);
    if (rc == TX_OK)
        rc = tx_tokenizer_new(ctx, NULL, &t);
    if (rc == TX_OK)
        rc = tx_vocab_fit(ctx, NULL, NULL, c, &v, &counts);
    if (rc == TX_OK)
        rc = tx_tfidf_idf(NULL, v, idf);
    if (rc == TX_OK)
        rc = tx_tfidf_apply(ctx, NULL, idf, counts, &w);
    tx_csr_free(w);
    tx_csr_free(counts);
    tx_vocab_free(v);
    tx_tokenizer_free(t);
    tx_corpus_free(c);
    return rc;
}

START_TEST(allocation_failures_are_clean)
{
    struct faulty f = {0, 0};
    tx_alloc a = {f_malloc, f_realloc, f_free, &f};
    long n;
    int rc = TX_ENOMEM;

    for (n = 1; n < 2000 && rc != TX_OK; n++) {
        tx_ctx *ctx = NULL;

        f.calls = 0;
        f.fail_at = n;
        if (tx_ctx_new(&a, &ctx) != TX_OK) {
            ck_assert_ptr_null(ctx);
            continue;
        }
        rc = pipeline(ctx);
        ck_assert_msg(rc == TX_OK || rc == TX_ENOMEM,
                      "allocation %ld failing gave %s", n, tx_strerror(rc));
        tx_ctx_free(ctx);
    }
    ck_assert_int_eq(rc, TX_OK); /* eventually no allocation failed */
    ck_assert_int_gt(n, 10);
}
END_TEST

Suite *tx_suite_ctx(void)
{
    Suite *s = suite_create("ctx");
    TCase *tc = tcase_create("ctx");

    tcase_add_test(tc, strerror_covers_codes);
    tcase_add_test(tc, ctx_params);
    tcase_add_test(tc, allocation_failures_are_clean);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
