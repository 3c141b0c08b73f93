/* Word vectors: the co-occurrence counts and PPMI they are factored from.
 * White-box: checks tx__wordvec_ppmi against counts made here by brute
 * force, with the pair buffer folded once at the end and after every few
 * pairs, and with the documents counted by three threads. */
#include "check_suites.h"
#include "vectors/tx_vectors_private.h"

#include <math.h>
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

/* 80 lines of 1-24 words drawn from 14, with repeats side by side. */
static char *make_text(void)
{
    static const char *const words[] = {
        "card",  "refund", "delay",  "phone", "agent", "branch", "fee",
        "login", "app",    "cash",   "limit", "loan",  "rate",   "queue"};
    size_t cap = 1 << 16, n = 0, line, w;
    char *s = malloc(cap);
    unsigned long x = 12345;

    ck_assert_ptr_nonnull(s);
    for (line = 0; line < 80; line++) {
        size_t len = 1 + line % 24;

        for (w = 0; w < len; w++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            /* skewed: low ids far more often, so PMI has both signs */
            n += (size_t)snprintf(s + n, cap - n, "%s%s", w ? " " : "",
                                  words[((x >> 33) % 14) * ((x >> 20) % 3) / 2]);
        }
        s[n++] = '\n';
    }
    s[n] = '\0';
    return s;
}

START_TEST(ppmi_matches_brute_force_counts)
{
    tx_corpus_params cp;
    tx_tokenizer_params tp;
    tx_vocab_params vp;
    tx_wordvec_params wp;
    tx_vocab *v = NULL;
    tx_csr *counts = NULL, *m[3] = {NULL, NULL, NULL};
    tx_tokenizer *tok = NULL;
    tx__term_ids ids = {NULL, NULL, 0, 0, NULL};
    char *text = make_text();
    tx_corpus *c;
    double *cnt, *row, *col, total = 0, ctotal = 0;
    size_t nv, d, i, j, a, b, r, checked = 0, positive = 0;

    tx_corpus_params_init(&cp);
    c = load_buffer(ctx, &cp, "t.txt", text, TX_OK, NULL);
    tx_tokenizer_params_init(&tp);
    tp.stem = 0;
    tp.stopwords = 0;
    tx_vocab_params_init(&vp);
    ck_assert_int_eq(tx_vocab_fit(ctx, &tp, &vp, c, &v, &counts), TX_OK);
    nv = tx_vocab_size(v);
    ck_assert_uint_eq(nv, 14);
    tx_wordvec_params_init(&wp);
    wp.window = 3;

    /* Brute force: every ordered pair within the window, both ways. */
    cnt = calloc(nv * nv, sizeof *cnt);
    row = calloc(nv, sizeof *row);
    col = calloc(nv, sizeof *col);
    ck_assert_ptr_nonnull(cnt);
    ids.v = v;
    ids.ctx = ctx;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &tp, &tok), TX_OK);
    for (d = 0; d < tx_corpus_size(c); d++) {
        tx_doc doc;

        tx_corpus_doc(c, d, &doc);
        ids.n = 0;
        ck_assert_int_eq(tx_tokenize(tok, doc.text, doc.len,
                                     tx__collect_term_id, &ids), TX_OK);
        for (i = 0; i < ids.n; i++)
            for (j = i + 1; j < ids.n && j <= i + 3; j++) {
                a = (size_t)ids.ids[i];
                b = (size_t)ids.ids[j];
                if (a == b)
                    continue;
                cnt[a * nv + b] += 1;
                cnt[b * nv + a] += 1;
            }
    }
    for (a = 0; a < nv; a++)
        for (b = 0; b < nv; b++) {
            row[a] += cnt[a * nv + b];
            col[b] += cnt[a * nv + b];
            total += cnt[a * nv + b];
        }
    for (b = 0; b < nv; b++) {
        col[b] = pow(col[b], wp.cds_alpha);
        ctotal += col[b];
    }

    /* Folded once (default buffer) and after every 5 pairs. */
    ck_assert_int_eq(tx__wordvec_ppmi(ctx, &wp, &tp, v, c, NULL, 0, &m[0]), TX_OK);
    ck_assert_int_eq(tx__wordvec_ppmi(ctx, &wp, &tp, v, c, NULL, 5, &m[1]), TX_OK);
    for (r = 0; r < 2; r++) {
        int64_t k = 0;

        ck_assert_uint_eq(m[r]->rows, nv);
        for (a = 0; a < nv; a++)
            for (b = 0; b < nv; b++) {
                double x = cnt[a * nv + b], pmi;

                if (x == 0) {
                    ck_assert(k == m[r]->indptr[a + 1] ||
                              (size_t)m[r]->indices[k] != b);
                    continue;
                }
                pmi = log(x / total) - log(row[a] / total) -
                      log(col[b] / ctotal);
                if (pmi <= 0) {
                    ck_assert(k == m[r]->indptr[a + 1] ||
                              (size_t)m[r]->indices[k] != b);
                    continue;
                }
                ck_assert_int_lt(k, m[r]->indptr[a + 1]);
                ck_assert_uint_eq((size_t)m[r]->indices[k], b);
                ck_assert_double_eq_tol(m[r]->data[k], pmi, 1e-5);
                k++;
                checked++;
            }
        ck_assert_int_eq(k, (int64_t)m[r]->nnz);
    }
    /* Three threads count three blocks of the documents: the same matrix. */
    tx_ctx_set_threads(ctx, 3);
    ck_assert_int_eq(tx__wordvec_ppmi(ctx, &wp, &tp, v, c, NULL, 5, &m[2]), TX_OK);
    ck_assert_uint_eq(m[2]->nnz, m[0]->nnz);
    ck_assert_mem_eq(m[2]->indptr, m[0]->indptr, (nv + 1) * sizeof(int64_t));
    ck_assert_mem_eq(m[2]->indices, m[0]->indices,
                     m[0]->nnz * sizeof(int32_t));
    ck_assert_mem_eq(m[2]->data, m[0]->data, m[0]->nnz * sizeof(float));
    for (i = 0; i < nv * nv; i++)
        positive += cnt[i] > 0;
    /* Both signs of PMI occurred, so the cut at zero was tested. */
    ck_assert_uint_gt(checked, 0);
    ck_assert_uint_lt(checked / 2, positive);
    ck_assert_mem_eq(m[0]->data, m[1]->data, m[0]->nnz * sizeof(float));

    tx_tokenizer_free(tok);
    tx_free(ctx, ids.ids);
    free(cnt);
    free(row);
    free(col);
    free(text);
    tx_csr_free(m[0]);
    tx_csr_free(m[1]);
    tx_csr_free(m[2]);
    tx_csr_free(counts);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

/* The token sequences the vocabulary fit records give the word vectors the
 * same pair counts as tokenizing again (the themes fit relies on it to
 * tokenize once): on every document, and on an even sample with pruned
 * terms (min_df) left out of the sequences; on one thread and on three. */
START_TEST(sequences_match_tokenizing)
{
    tx_corpus_params cp;
    tx_tokenizer_params tp;
    tx_vocab_params vp;
    tx_wordvec_params wp;
    char *text = make_text();
    tx_corpus *c;
    size_t r;

    tx_corpus_params_init(&cp);
    c = load_buffer(ctx, &cp, "t.txt", text, TX_OK, NULL);
    tx_tokenizer_params_init(&tp);
    tp.stem = 0;
    tp.stopwords = 0;
    for (r = 0; r < 4; r++) {
        tx_vocab *v = NULL;
        tx_csr *counts = NULL, *a = NULL, *b = NULL;
        tx__seqs *q = NULL;
        tx__fit_extras ex = {0};
        size_t step;

        tx_vocab_params_init(&vp);
        tx_wordvec_params_init(&wp);
        tx_ctx_set_threads(ctx, r < 2 ? 1 : 3); /* blocks of documents */
        if (r % 2) {
            vp.min_df = 40;  /* some of the 14 words are pruned */
            wp.max_docs = 7; /* an even sample, one document in several */
        }
        step = tx__wordvec_step(&wp, tx_corpus_size(c));
        ex.seq_step = step;
        ck_assert_int_eq(tx__vocab_fit_ex(ctx, &tp, &vp, c, &ex, &v, &counts),
                         TX_OK);
        q = ex.seqs;
        ck_assert_uint_eq(q->step, step);
        ck_assert_int_eq(tx__wordvec_ppmi(ctx, &wp, &tp, v, c, NULL, 0, &a),
                         TX_OK);
        ck_assert_int_eq(tx__wordvec_ppmi(ctx, &wp, NULL, v, NULL, q, 0, &b),
                         TX_OK);
        ck_assert_uint_gt(a->nnz, 0);
        ck_assert_uint_eq(a->nnz, b->nnz);
        ck_assert_mem_eq(a->indptr, b->indptr,
                         (a->rows + 1) * sizeof(int64_t));
        ck_assert_mem_eq(a->indices, b->indices, a->nnz * sizeof(int32_t));
        ck_assert_mem_eq(a->data, b->data, a->nnz * sizeof(float));
        if (r % 2)
            ck_assert_uint_lt(tx_vocab_size(v), 14);
        tx__seqs_free(ctx, q);
        tx_csr_free(a);
        tx_csr_free(b);
        tx_csr_free(counts);
        tx_vocab_free(v);
    }
    tx_corpus_free(c);
    free(text);
}
END_TEST

Suite *tx_suite_wordvec(void)
{
    Suite *s = suite_create("wordvec");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ppmi_matches_brute_force_counts);
    tcase_add_test(tc, sequences_match_tokenizing);
    suite_add_tcase(s, tc);
    return s;
}
