/* LSA, k-means and clustering scores. */
#include "check_suites.h"

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

START_TEST(eval_matches_scikit_learn)
{
    /* Values from scikit-learn 1.2.1 for the same labels. */
    static const int32_t t[] = {0, 0, 0, 1, 1, 1, 2, 2};
    static const int32_t p[] = {0, 0, 1, 1, 1, 2, 2, 2};
    static const int32_t q[] = {5, 5, 5, 3, 3, 3, 0, 0};
    tx_eval_scores s;

    ck_assert_int_eq(tx_eval_labels(ctx, t, p, 8, &s), TX_OK);
    ck_assert_double_eq_tol(s.nmi, 0.5588730382170326, 1e-12);
    ck_assert_double_eq_tol(s.ari, 0.23809523809523808, 1e-12);
    ck_assert_double_eq_tol(s.acc, 6.0 / 8.0, 1e-12);
    ck_assert_double_eq_tol(s.v_measure, s.nmi, 1e-12);
    /* Renamed clusters score perfectly. */
    ck_assert_int_eq(tx_eval_labels(ctx, t, q, 8, &s), TX_OK);
    ck_assert_double_eq_tol(s.nmi, 1.0, 1e-12);
    ck_assert_double_eq_tol(s.ari, 1.0, 1e-12);
    ck_assert_double_eq_tol(s.acc, 1.0, 1e-12);
    ck_assert_int_eq(tx_eval_labels(ctx, t, p, 0, &s), TX_EINVAL);
}
END_TEST

/* A sparse matrix with known singular values: entry (i, i) = 50 - i for
 * the first ten, 1 after (a gap, as randomized SVD needs to be exact). */
START_TEST(svd_recovers_known_spectrum)
{
    tx_csr a;
    int64_t indptr[81];
    int32_t indices[80];
    float data[80];
    tx_svd_params p;
    tx_mat *comp = NULL, *x = NULL;
    float *sigma = NULL;
    size_t i, j, r;

    for (i = 0; i < 80; i++) {
        indptr[i] = (int64_t)(i < 50 ? i : 50);
        if (i < 50) {
            indices[i] = (int32_t)i;
            data[i] = i < 10 ? (float)(50 - i) : 1.0f;
        }
    }
    indptr[80] = 50;
    a = (tx_csr){80, 60, 50, indptr, indices, data};
    tx_svd_params_init(&p);
    p.rank = 10;
    ck_assert_int_eq(tx_svd_fit(ctx, &p, &a, &comp, &sigma, &x), TX_OK);
    for (i = 0; i < 10; i++)
        ck_assert_double_eq_tol(sigma[i], 50.0 - (double)i, 1e-3);
    /* Components are orthonormal; coordinates are A V^T. */
    for (i = 0; i < 10; i++)
        for (j = 0; j < 10; j++) {
            double d = 0;

            for (r = 0; r < 60; r++)
                d += (double)comp->data[i * comp->ld + r] *
                     comp->data[j * comp->ld + r];
            ck_assert_double_eq_tol(d, i == j ? 1.0 : 0.0, 1e-4);
        }
    ck_assert_double_eq_tol(fabs(x->data[0]), 50.0, 1e-3);
    tx_free(ctx, sigma);
    tx_mat_free(comp);
    tx_mat_free(x);
}
END_TEST

/* Rows around k well-separated unit directions. */
static tx_mat *blobs(size_t n, size_t d, size_t k, int32_t *truth)
{
    tx_mat *x = NULL;
    size_t i, j;
    unsigned s = 7;

    ck_assert_int_eq(tx_mat_new(ctx, n, d, &x), TX_OK);
    for (i = 0; i < n; i++) {
        truth[i] = (int32_t)(i % k);
        for (j = 0; j < d; j++) {
            s = s * 1103515245u + 12345u;
            x->data[i * x->ld + j] = (float)((s >> 16) % 1000) / 1000.0f *
                                     0.2f;
        }
        x->data[i * x->ld + (size_t)truth[i]] += 1.0f;
    }
    tx_mat_normalize_rows(x);
    return x;
}

START_TEST(kmeans_finds_separated_groups)
{
    int32_t truth[3000];
    tx_mat *x = blobs(3000, 16, 6, truth);
    tx_kmeans_params p;
    tx_kmeans *a = NULL, *b = NULL;
    tx_eval_scores s;
    size_t i;

    tx_kmeans_params_init(&p);
    p.k = 6;
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &a), TX_OK);
    ck_assert_int_eq(tx_eval_labels(ctx, truth, tx_kmeans_labels(a), 3000, &s),
                     TX_OK);
    ck_assert_double_eq_tol(s.nmi, 1.0, 1e-9);
    for (i = 0; i < 6; i++)
        ck_assert_float_eq_tol(tx_kmeans_stability(a)[i], 1.0f, 1e-6f);
    /* Same seed, more threads: bit-identical. */
    tx_ctx_set_threads(ctx, 3);
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &b), TX_OK);
    ck_assert_mem_eq(tx_kmeans_labels(a), tx_kmeans_labels(b),
                     3000 * sizeof(int32_t));
    ck_assert_mem_eq(tx_kmeans_centroids(a)->data,
                     tx_kmeans_centroids(b)->data, 6 * 16 * sizeof(float));
    tx_kmeans_free(b);
    tx_kmeans_free(a);
    tx_mat_free(x);
}
END_TEST

/* Lloyd skips rows whose bounds keep them with their centre; every row
 * must still end at its nearest centre, with its cosine as score. Rows
 * of random directions (no clear groups, so many rows sit near a border)
 * and k = 20, Euclidean and spherical, on more rows than the restarts'
 * sample so the refining pass over all rows is checked too. */
START_TEST(kmeans_rows_end_at_nearest_centre)
{
    size_t n = 40000, d = 24, k = 20, i, q, e, wrong = 0;
    tx_mat *x = NULL;
    tx_kmeans_params p;
    tx_kmeans *km = NULL;
    uint64_t st = 7;
    int sph;

    ck_assert_int_eq(tx_mat_new(ctx, n, d, &x), TX_OK);
    for (i = 0; i < n * d; i++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        x->data[(i / d) * x->ld + i % d] =
            (float)((double)(st >> 11) / 9007199254740992.0) - 0.5f;
    }
    tx_mat_normalize_rows(x);
    for (sph = 0; sph < 2; sph++) {
        const tx_mat *c;

        tx_kmeans_params_init(&p);
        p.k = k;
        p.spherical = sph;
        ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &km), TX_OK);
        c = tx_kmeans_centroids(km);
        for (i = 0; i < n; i++) {
            const float *row = x->data + i * x->ld;
            double best = -1e300, second = -1e300, mine = 0, cc_mine = 0;
            int32_t lab = tx_kmeans_labels(km)[i];

            for (q = 0; q < k; q++) {
                double xc = 0, cc = 0, v;

                for (e = 0; e < d; e++) {
                    xc += (double)row[e] * c->data[q * c->ld + e];
                    cc += (double)c->data[q * c->ld + e] * c->data[q * c->ld + e];
                }
                v = sph ? xc : xc - 0.5 * cc;
                if (v > best) {
                    second = best;
                    best = v;
                } else if (v > second)
                    second = v;
                if ((int32_t)q == lab) {
                    mine = v;
                    cc_mine = cc;
                }
            }
            /* its own centre is the best, but for float ties */
            if (mine < best - 1e-5 && best - second > 1e-5)
                wrong++;
            ck_assert_double_eq_tol(
                tx_kmeans_scores(km)[i],
                (sph ? mine : mine + 0.5 * cc_mine) / sqrt(cc_mine), 1e-4);
        }
        ck_assert_uint_eq(wrong, 0);
        tx_kmeans_free(km);
        km = NULL;
    }
    tx_mat_free(x);
}
END_TEST

/* Clusters are numbered by size, largest first: groups of 100, 200, ...
 * 600 rows, listed smallest group first, come back as 0 = 600 rows. */
START_TEST(kmeans_numbers_clusters_by_size)
{
    int32_t truth[3600];
    tx_mat *all = blobs(3600, 16, 6, truth), *x = NULL;
    size_t i, m = 0, kept[6] = {0}, size[6] = {0};
    tx_kmeans_params p;
    tx_kmeans *km = NULL;
    int32_t lab_of_group[6];

    ck_assert_int_eq(tx_mat_new(ctx, 2100, 16, &x), TX_OK);
    for (i = 0; i < 3600 && m < 2100; i++) {
        size_t g = (size_t)truth[i];

        if (kept[g] < 100 * (g + 1)) {
            memcpy(x->data + m * x->ld, all->data + i * all->ld,
                   16 * sizeof(float));
            truth[m++] = (int32_t)g;
            kept[g]++;
        }
    }
    ck_assert_uint_eq(m, 2100);
    tx_kmeans_params_init(&p);
    p.k = 6;
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &km), TX_OK);
    for (i = 0; i < m; i++) {
        size[tx_kmeans_labels(km)[i]]++;
        lab_of_group[truth[i]] = tx_kmeans_labels(km)[i];
    }
    for (i = 0; i < 6; i++) {
        ck_assert_uint_eq(size[i], 100 * (6 - i));
        ck_assert_int_eq(lab_of_group[i], (int32_t)(5 - i));
    }
    tx_kmeans_free(km);
    tx_mat_free(x);
    tx_mat_free(all);
}
END_TEST

START_TEST(kmeans_k_above_distinct_rows)
{
    tx_mat *x = NULL;
    tx_kmeans_params p;
    tx_kmeans *km = NULL;
    size_t i;

    ck_assert_int_eq(tx_mat_new(ctx, 40, 4, &x), TX_OK);
    for (i = 0; i < 40; i++) /* only 2 distinct directions */
        x->data[i * 4 + (i % 2)] = 1.0f;
    tx_kmeans_params_init(&p);
    p.k = 10;
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &km), TX_OK);
    ck_assert_uint_eq(tx_kmeans_k(km), 2);
    tx_kmeans_free(km);
    p.k = 0;
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &km), TX_EINVAL);
    tx_mat_free(x);
}
END_TEST

struct seen {
    size_t calls, done, total;
    int monotone, stop_at; /* stop_at: answer 7 on that call (0: never) */
};

static int on_progress(void *ud, const char *stage, size_t done,
                       size_t total)
{
    struct seen *s = ud;

    ck_assert_str_eq(stage, "clustering");
    if (done < s->done || done > total)
        s->monotone = 0;
    s->done = done;
    s->total = total;
    return ++s->calls == (size_t)s->stop_at ? 7 : 0;
}

/* A long fit shows its pace (seeding steps and iterations, ending at the
 * total) and stops when the callback asks, with the callback's value. */
START_TEST(kmeans_reports_progress_and_stops)
{
    int32_t truth[3000];
    tx_mat *x = blobs(3000, 16, 6, truth);
    tx_kmeans_params p;
    tx_kmeans *km = NULL;
    struct seen s = {0, 0, 0, 1, 0};

    tx_kmeans_params_init(&p);
    p.k = 200;
    tx_ctx_set_progress(ctx, on_progress, &s);
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &km), TX_OK);
    ck_assert_uint_gt(s.calls, 5);
    ck_assert(s.monotone);
    ck_assert_uint_eq(s.done, s.total);
    tx_kmeans_free(km);
    memset(&s, 0, sizeof s);
    s.stop_at = 2;
    km = NULL;
    ck_assert_int_eq(tx_kmeans_fit(ctx, &p, x, &km), 7);
    ck_assert_ptr_null(km);
    tx_ctx_set_progress(ctx, NULL, NULL);
    tx_mat_free(x);
}
END_TEST

/* Two vocabularies that never mix: DMM separates them, deterministically. */
START_TEST(dmm_separates_disjoint_vocabularies)
{
    tx_corpus *c = NULL;
    tx_vocab *v = NULL;
    tx_csr *m = NULL;
    tx_dmm_params p;
    int32_t lab[60], lab2[60], truth[60];
    tx_eval_scores s;
    size_t kf = 0, i;
    char buf[4096];
    size_t o = 0;

    o += (size_t)sprintf(buf + o, "text\n");
    for (i = 0; i < 60; i++) {
        truth[i] = (int32_t)(i % 2);
        o += (size_t)sprintf(buf + o, i % 2 ? "refund charge fee bill %zu\n"
                                           : "parcel courier box van %zu\n",
                             i % 5);
    }
    c = load_buffer(ctx, NULL, "d.csv", buf, TX_OK, NULL);
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v, &m), TX_OK);
    tx_dmm_params_init(&p);
    p.k = 10;
    ck_assert_int_eq(tx_dmm_fit(ctx, &p, m, lab, &kf), TX_OK);
    ck_assert_int_eq(tx_eval_labels(ctx, truth, lab, 60, &s), TX_OK);
    ck_assert_double_eq_tol(s.nmi, 1.0, 1e-9);
    ck_assert_uint_eq(kf, 2);
    ck_assert_int_eq(tx_dmm_fit(ctx, &p, m, lab2, &kf), TX_OK);
    ck_assert_mem_eq(lab, lab2, sizeof lab);
    tx_csr_free(m);
    tx_vocab_free(v);
    tx_corpus_free(c);
}
END_TEST

Suite *tx_suite_cluster(void)
{
    Suite *s = suite_create("cluster");
    TCase *tc = tcase_create("cluster");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, eval_matches_scikit_learn);
    tcase_add_test(tc, svd_recovers_known_spectrum);
    tcase_add_test(tc, kmeans_finds_separated_groups);
    tcase_add_test(tc, kmeans_rows_end_at_nearest_centre);
    tcase_add_test(tc, kmeans_numbers_clusters_by_size);
    tcase_add_test(tc, kmeans_k_above_distinct_rows);
    tcase_add_test(tc, kmeans_reports_progress_and_stops);
    tcase_add_test(tc, dmm_separates_disjoint_vocabularies);
    suite_add_tcase(s, tc);
    return s;
}
