/* Vocabulary, pruning, count matrix, thread-count independence. */
#include "check_suites.h"
#include "input/tx_input.h"
#include "vectors/tx_vectors_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tx_ctx *ctx;

static void setup(void)
{
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
}

static void teardown(void)
{
    tx_ctx_free(ctx);
}

static const char *docs_csv =
    "text\n"
    "delivery late delivery\n"            /* 1 */
    "deliveries late again\n"              /* 2 */
    "refund late\n"                        /* 3 */
    "refund refund refund\n"               /* 4 */
    "the and of\n"                         /* 5: empty after stopwords */
    "delivered parcel\n";                  /* 6 */

static float count_at(const tx_csr *m, size_t row, long col)
{
    int64_t k;

    for (k = m->indptr[row]; k < m->indptr[row + 1]; k++)
        if (m->indices[k] == col)
            return m->data[k];
    return 0.0f;
}

START_TEST(fit_counts_and_df)
{
    tx_corpus *c = load_buffer(ctx, NULL, "v.csv", docs_csv, TX_OK, NULL);
    tx_vocab *v = NULL;
    tx_csr *m = NULL;
    long late, deliv, refund, parcel;
    size_t i;

    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v, &m), TX_OK);
    late = tx_vocab_lookup(v, "late", 4);
    deliv = tx_vocab_lookup(v, "deliveri", 8);
    refund = tx_vocab_lookup(v, "refund", 6);
    parcel = tx_vocab_lookup(v, "parcel", 6);
    ck_assert_int_ge(late, 0);
    ck_assert_int_ge(deliv, 0);
    ck_assert_int_eq(tx_vocab_lookup(v, "the", 3), -1);
    ck_assert_int_eq(tx_vocab_df(v, (size_t)late), 3);
    ck_assert_int_eq(tx_vocab_df(v, (size_t)deliv), 2);
    ck_assert_int_eq(tx_vocab_n_docs(v), 6);
    /* Surface: the most frequent written form, not the stem. */
    ck_assert_str_eq(tx_vocab_surface(v, (size_t)deliv), "delivery");
    ck_assert(count_at(m, 0, deliv) == 2.0f);
    ck_assert(count_at(m, 3, refund) == 3.0f);
    ck_assert(count_at(m, 5, parcel) == 1.0f);
    ck_assert_uint_eq(m->rows, 6);
    ck_assert_int_eq(m->indptr[5] - m->indptr[4], 0); /* empty row kept */
    /* Terms sorted bytewise; indices ascending within rows. */
    for (i = 1; i < tx_vocab_size(v); i++)
        ck_assert_int_lt(strcmp(tx_vocab_term(v, i - 1), tx_vocab_term(v, i)),
                         0);
    for (i = 0; i < m->rows; i++) {
        int64_t k;

        for (k = m->indptr[i] + 1; k < m->indptr[i + 1]; k++)
            ck_assert_int_lt(m->indices[k - 1], m->indices[k]);
    }
    ck_assert_ptr_null(tx_vocab_term(v, tx_vocab_size(v)));
    tx_csr_free(m);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

START_TEST(pruning)
{
    tx_corpus *c = load_buffer(ctx, NULL, "v.csv", docs_csv, TX_OK, NULL);
    tx_vocab_params vp;
    tx_vocab *v = NULL;
    tx_csr *m = NULL;

    tx_vocab_params_init(&vp);
    vp.min_df = 2;
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, &vp, c, &v, &m), TX_OK);
    ck_assert_int_eq(tx_vocab_lookup(v, "parcel", 6), -1);
    ck_assert_int_ge(tx_vocab_lookup(v, "refund", 6), 0);
    ck_assert_uint_gt(tx_vocab_pruned(v), 0);
    ck_assert_uint_eq(m->cols, tx_vocab_size(v));
    tx_csr_free(m);
    tx_vocab_free(v);
    vp.min_df = 1;
    vp.max_df = 0.4; /* drops "late" (3 of 6 docs) */
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, &vp, c, &v, &m), TX_OK);
    ck_assert_int_eq(tx_vocab_lookup(v, "late", 4), -1);
    ck_assert_int_ge(tx_vocab_lookup(v, "refund", 6), 0);
    tx_csr_free(m);
    tx_vocab_free(v);
    vp.max_df = 1.0;
    vp.max_features = 2; /* by total count: refund 4, deliveri 3 / late 3 */
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, &vp, c, &v, &m), TX_OK);
    ck_assert_uint_eq(tx_vocab_size(v), 2);
    ck_assert_str_eq(tx_vocab_term(v, 0), "deliveri"); /* tie -> by term */
    ck_assert_str_eq(tx_vocab_term(v, 1), "refund");
    tx_csr_free(m);
    tx_vocab_free(v);
    vp.max_features = 0;
    vp.min_df = 0;
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, &vp, c, &v, &m), TX_EINVAL);
    ck_assert_ptr_null(v);
    tx_corpus_free(c);
}
END_TEST

static int same_csr(const tx_csr *a, const tx_csr *b)
{
    return a->rows == b->rows && a->cols == b->cols && a->nnz == b->nnz &&
           memcmp(a->indptr, b->indptr, (a->rows + 1) * sizeof(int64_t)) == 0 &&
           memcmp(a->indices, b->indices, a->nnz * sizeof(int32_t)) == 0 &&
           memcmp(a->data, b->data, a->nnz * sizeof(float)) == 0;
}

START_TEST(threads_do_not_change_results)
{
    tx_corpus *c = NULL;
    tx_vocab *v1 = NULL, *v3 = NULL;
    tx_csr *m1 = NULL, *m3 = NULL, *t3 = NULL;
    char path[512];
    size_t i;

    snprintf(path, sizeof path, "%s/corpora/feedback.csv", TX_SRCDIR);
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_file(c, path, NULL), TX_OK);
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v1, &m1), TX_OK);
    tx_ctx_set_threads(ctx, 3);
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v3, &m3), TX_OK);
    ck_assert_uint_eq(tx_vocab_size(v1), tx_vocab_size(v3));
    for (i = 0; i < tx_vocab_size(v1); i++) {
        ck_assert_str_eq(tx_vocab_term(v1, i), tx_vocab_term(v3, i));
        ck_assert_str_eq(tx_vocab_surface(v1, i), tx_vocab_surface(v3, i));
        ck_assert_int_eq(tx_vocab_df(v1, i), tx_vocab_df(v3, i));
    }
    ck_assert(same_csr(m1, m3));
    /* Counting the same corpus against the fitted vocabulary agrees. */
    ck_assert_int_eq(tx_vocab_transform(ctx, NULL, v1, c, &t3), TX_OK);
    ck_assert(same_csr(m1, t3));
    tx_csr_free(m1);
    tx_csr_free(m3);
    tx_csr_free(t3);
    tx_vocab_free(v1);
    tx_vocab_free(v3);
    tx_corpus_free(c);
}
END_TEST

/* What a fit records besides the vocabulary comes from the same tokens as
 * the documents' counts, and equals what separate passes give: the terms
 * of byte ranges (here each sentence of the documents of two or more),
 * counted, equal tx_vocab_transform of the ranges' texts, and the phrases of a
 * sample equal tx_vocab_fit with a bigram tokenizer over those documents;
 * with one block or three. */
START_TEST(extras_match_separate_passes)
{
    tx_corpus *c = NULL, *rc_texts = NULL, *sample = NULL;
    char path[512];
    size_t n, d, k, r, *first, *docs, n_rg = 0, n_s = 0, cap = 64;
    tx_span *span = malloc(cap * sizeof *span);
    size_t *all_rows;

    snprintf(path, sizeof path, "%s/corpora/feedback.csv", TX_SRCDIR);
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_file(c, path, NULL), TX_OK);
    n = tx_corpus_size(c);
    first = malloc((n + 1) * sizeof *first);
    docs = malloc(n * sizeof *docs);
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &rc_texts), TX_OK);
    for (d = 0; d < n; d++) {
        tx_doc doc;
        tx_span s[32];
        size_t ns = 0;

        tx_corpus_doc(c, d, &doc);
        first[d] = n_rg;
        ck_assert_int_eq(tx_segment_sentences(doc.text, doc.len, s, 32, &ns),
                         TX_OK);
        for (k = 0; ns > 1 && k < ns; k++) {
            if (n_rg == cap)
                span = realloc(span, (cap *= 2) * sizeof *span);
            span[n_rg++] = s[k];
            ck_assert_int_eq(tx__corpus_add_text(rc_texts, &doc, doc.id,
                                                 doc.text + s[k].start,
                                                 s[k].end - s[k].start),
                             TX_OK);
        }
        if (d % 2 == 1)
            docs[n_s++] = d;
    }
    first[n] = n_rg;
    ck_assert_uint_gt(n_rg, 10);
    ck_assert_uint_eq(tx_corpus_size(rc_texts), n_rg);
    all_rows = malloc(n_rg * sizeof *all_rows);
    ck_assert_int_eq(tx__corpus_view(c, docs, n_s, &sample), TX_OK);
    for (r = 0; r < 2; r++) {
        tx__ranges rg = {n, n_rg, first, span};
        tx_vocab_params gvp;
        tx__grams gr = {n_s, docs, 2, &gvp};
        tx__fit_extras ex = {0};
        tx_tokenizer_params bp;
        tx_vocab *v = NULL, *v_plain = NULL, *bv = NULL;
        tx_csr *m = NULL, *m_plain = NULL, *t = NULL, *bm = NULL;
        tx_csr *rcounts = NULL;

        tx_ctx_set_threads(ctx, r ? 3 : 1);
        tx_vocab_params_init(&gvp);
        gvp.min_df = 1;
        ex.ranges = &rg;
        ex.grams = &gr;
        ck_assert_int_eq(tx__vocab_fit_ex(ctx, NULL, NULL, c, &ex, &v, &m),
                         TX_OK);
        /* the documents' own counts are what a plain fit gives */
        ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v_plain, &m_plain),
                         TX_OK);
        ck_assert_uint_eq(tx_vocab_size(v), tx_vocab_size(v_plain));
        ck_assert(same_csr(m, m_plain));
        ck_assert_int_eq(tx_vocab_transform(ctx, NULL, v, rc_texts, &t),
                         TX_OK);
        ck_assert_uint_eq(ex.range_seqs->n, n_rg);
        for (k = 0; k < n_rg; k++)
            all_rows[k] = k;
        ck_assert_int_eq(tx__seqs_counts(ctx, ex.range_seqs, all_rows, n_rg,
                                         tx_vocab_size(v), &rcounts),
                         TX_OK);
        ck_assert(same_csr(rcounts, t));
        tx_tokenizer_params_init(&bp);
        bp.ngram_min = bp.ngram_max = 2;
        ck_assert_int_eq(tx_vocab_fit(ctx, &bp, &gvp, sample, &bv, &bm),
                         TX_OK);
        ck_assert_uint_gt(tx_vocab_size(bv), 0);
        ck_assert_uint_eq(tx_vocab_size(ex.gram_vocab), tx_vocab_size(bv));
        for (k = 0; k < tx_vocab_size(bv); k++) {
            ck_assert_str_eq(tx_vocab_term(ex.gram_vocab, k),
                             tx_vocab_term(bv, k));
            ck_assert_str_eq(tx_vocab_surface(ex.gram_vocab, k),
                             tx_vocab_surface(bv, k));
            ck_assert_int_eq(tx_vocab_df(ex.gram_vocab, k),
                             tx_vocab_df(bv, k));
        }
        ck_assert(same_csr(ex.gram_counts, bm));
        tx_vocab_free(v);
        tx_vocab_free(v_plain);
        tx_vocab_free(bv);
        tx_vocab_free(ex.gram_vocab);
        tx_csr_free(m);
        tx_csr_free(m_plain);
        tx_csr_free(t);
        tx_csr_free(bm);
        tx_csr_free(rcounts);
        tx__seqs_free(ctx, ex.range_seqs);
        tx_csr_free(ex.gram_counts);
    }
    tx_ctx_set_threads(ctx, 1);
    free(span);
    free(all_rows);
    free(first);
    free(docs);
    tx_corpus_free(sample);
    tx_corpus_free(rc_texts);
    tx_corpus_free(c);
}
END_TEST

START_TEST(transform_ignores_unknown_terms)
{
    tx_corpus *a = load_buffer(ctx, NULL, "a.txt", "refund late\n", TX_OK,
                               NULL);
    tx_corpus *b = load_buffer(ctx, NULL, "b.txt",
                               "refund refund unknown words\n", TX_OK, NULL);
    tx_vocab *v = NULL;
    tx_csr *m = NULL, *t = NULL;

    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, a, &v, &m), TX_OK);
    ck_assert_int_eq(tx_vocab_transform(ctx, NULL, v, b, &t), TX_OK);
    ck_assert_uint_eq(t->nnz, 1);
    ck_assert(t->data[0] == 2.0f);
    tx_csr_free(m);
    tx_csr_free(t);
    tx_vocab_free(v);
    tx_corpus_free(a);
    tx_corpus_free(b);
}
END_TEST

START_TEST(from_terms)
{
    static const char *const terms[] = {"zeta", "alpha", "mid", "alpha"};
    static const int64_t df[] = {1, 5, 2, 5};
    tx_vocab *v = NULL;

    ck_assert_int_eq(tx_vocab_from_terms(ctx, terms, df, 4, 10, &v), TX_OK);
    ck_assert_uint_eq(tx_vocab_size(v), 3);
    ck_assert_str_eq(tx_vocab_term(v, 0), "alpha");
    ck_assert_int_eq(tx_vocab_df(v, 0), 5);
    ck_assert_int_eq(tx_vocab_df(v, 2), 1);
    ck_assert_int_eq(tx_vocab_lookup(v, "mid", 3), 1);
    tx_vocab_free(v);
}
END_TEST

Suite *tx_suite_vocab(void)
{
    Suite *s = suite_create("vocab");
    TCase *tc = tcase_create("vocab");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, fit_counts_and_df);
    tcase_add_test(tc, pruning);
    tcase_add_test(tc, threads_do_not_change_results);
    tcase_add_test(tc, extras_match_separate_passes);
    tcase_add_test(tc, transform_ignores_unknown_terms);
    tcase_add_test(tc, from_terms);
    suite_add_tcase(s, tc);
    return s;
}
