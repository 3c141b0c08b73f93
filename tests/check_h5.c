/* HDF5 round trip and damaged files. */
#include "check_suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tx_ctx *ctx;
static char dir[] = "/tmp/txh5XXXXXX";

static void setup(void)
{
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    strcpy(dir, "/tmp/txh5XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[64];

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    tx_ctx_free(ctx);
}

static void write_vectors(const char *path, tx_vocab **v, double **idf,
                          tx_csr **w, tx_corpus **c)
{
    tx_csr *m = NULL;
    tx_h5_vectors hv;
    tx_diag d;

    *c = load_buffer(ctx, NULL, "x.csv",
                     "id,text\na,late parcel\nb,refund late\nc,\n"
                     "d,parcel never came\n", TX_OK, NULL);
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, *c, v, &m), TX_OK);
    *idf = malloc(tx_vocab_size(*v) * sizeof **idf);
    ck_assert_int_eq(tx_tfidf_idf(NULL, *v, *idf), TX_OK);
    ck_assert_int_eq(tx_tfidf_apply(ctx, NULL, *idf, m, w), TX_OK);
    memset(&hv, 0, sizeof hv);
    hv.vocab = *v;
    hv.idf = *idf;
    hv.tfidf = *w;
    hv.corpus = *c;
    ck_assert_int_eq(tx_h5_save_vectors(ctx, path, &hv, &d), TX_OK);
    tx_csr_free(m);
}

START_TEST(round_trip)
{
    char path[256];
    tx_vocab *v, *v2 = NULL;
    tx_csr *w, *w2 = NULL;
    tx_corpus *c;
    double *idf, *idf2 = NULL;
    tx_diag d;
    size_t i;

    snprintf(path, sizeof path, "%s/v.h5", dir);
    write_vectors(path, &v, &idf, &w, &c);
    ck_assert_int_eq(tx_h5_load_vectors(ctx, path, &v2, &idf2, &w2, &d),
                     TX_OK);
    ck_assert_uint_eq(tx_vocab_size(v2), tx_vocab_size(v));
    for (i = 0; i < tx_vocab_size(v); i++) {
        ck_assert_str_eq(tx_vocab_term(v, i), tx_vocab_term(v2, i));
        ck_assert_int_eq(tx_vocab_df(v, i), tx_vocab_df(v2, i));
        ck_assert(idf[i] == idf2[i]);
    }
    ck_assert_int_eq(tx_vocab_n_docs(v2), 3);
    ck_assert_uint_eq(w2->rows, w->rows);
    ck_assert_uint_eq(w2->nnz, w->nnz);
    ck_assert_mem_eq(w2->data, w->data, w->nnz * sizeof(float));
    ck_assert_mem_eq(w2->indices, w->indices, w->nnz * sizeof(int32_t));
    tx_free(ctx, idf2);
    tx_csr_free(w2);
    tx_vocab_free(v2);
    free(idf);
    tx_csr_free(w);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

START_TEST(damaged_files)
{
    char path[256], cut[256], cmd[600];
    tx_vocab *v, *v2 = NULL;
    tx_csr *w, *w2 = NULL;
    tx_corpus *c;
    double *idf, *idf2 = NULL;
    tx_diag d;
    FILE *f;
    long size;

    snprintf(path, sizeof path, "%s/v.h5", dir);
    write_vectors(path, &v, &idf, &w, &c);
    /* Truncated to half its size. */
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
    snprintf(cut, sizeof cut, "%s/cut.h5", dir);
    snprintf(cmd, sizeof cmd, "head -c %ld %s > %s", size / 2, path, cut);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_lt(tx_h5_load_vectors(ctx, cut, &v2, &idf2, &w2, &d), 0);
    ck_assert_ptr_null(v2);
    ck_assert_ptr_null(w2);
    ck_assert_str_eq(d.file, cut);
    /* Not HDF5 at all, and missing. */
    snprintf(cut, sizeof cut, "%s/text.h5", dir);
    f = fopen(cut, "w");
    fputs("hello\n", f);
    fclose(f);
    ck_assert_int_eq(tx_h5_load_vectors(ctx, cut, &v2, NULL, NULL, &d),
                     TX_EFORMAT);
    ck_assert_int_eq(tx_h5_load_vectors(ctx, "/nonexistent.h5", &v2, NULL,
                                        NULL, &d), TX_EIO);
    free(idf);
    tx_csr_free(w);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

START_TEST(failed_save_leaves_nothing)
{
    char path[256];
    tx_vocab *v;
    tx_csr *w;
    tx_corpus *c;
    double *idf;
    tx_h5_vectors hv;
    tx_diag d;

    snprintf(path, sizeof path, "%s/v.h5", dir);
    write_vectors(path, &v, &idf, &w, &c);
    memset(&hv, 0, sizeof hv);
    hv.vocab = v;
    ck_assert_int_eq(tx_h5_save_vectors(ctx, "/nonexistent/dir/v.h5", &hv,
                                         &d), TX_EIO);
    ck_assert_int_ne(access("/nonexistent/dir/v.h5", F_OK), 0);
    free(idf);
    tx_csr_free(w);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

Suite *tx_suite_h5(void)
{
    Suite *s = suite_create("h5");
    TCase *tc = tcase_create("h5");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, damaged_files);
    tcase_add_test(tc, failed_save_leaves_nothing);
    suite_add_tcase(s, tc);
    return s;
}
