/* Quality/speed probe for the themes pipeline on a labelled corpus:
 *   bench_themes CSV LABEL_COL K [RANK N_INIT SEED THREADS]
 *   bench_themes TEXT.txt LABELS.txt K [RANK N_INIT SEED THREADS]
 * Runs TF-IDF -> LSA -> unit rows -> spherical k-means and prints NMI, ARI,
 * ACC against the labels, and the time of each step. */
#include "libtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int label_id(char ***names, size_t *n, const char *s)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp((*names)[i], s) == 0)
            return (int)i;
    *names = realloc(*names, (*n + 1) * sizeof **names);
    (*names)[*n] = strdup(s);
    return (int)(*n)++;
}

int main(int argc, char **argv)
{
    tx_ctx *ctx;
    tx_corpus_params cp;
    tx_corpus *c;
    tx_vocab_params vp;
    tx_vocab *v;
    tx_csr *counts, *w;
    tx_svd_params sp;
    tx_kmeans_params kp;
    tx_mat *comp, *x;
    tx_kmeans *km;
    tx_eval_scores s;
    tx_diag d;
    double *idf, t0, t1, t2, t3;
    int32_t *truth;
    char **names = NULL, **lines = NULL;
    size_t n_names = 0, n_lines = 0, i;
    int is_csv, kp_spherical = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: bench_themes FILE LABELS K [RANK N_INIT SEED THREADS]\n");
        return 2;
    }
    is_csv = strstr(argv[1], ".csv") != NULL;
    tx_ctx_new(NULL, &ctx);
    if (argc > 6)
        tx_ctx_set_seed(ctx, (uint64_t)atol(argv[6]));
    if (argc > 7)
        tx_ctx_set_threads(ctx, atoi(argv[7]));
    tx_corpus_params_init(&cp);
    if (is_csv)
        cp.group_col = argv[2];
    else {
        FILE *f = fopen(argv[2], "r");
        char buf[256];

        while (f && fgets(buf, sizeof buf, f)) {
            buf[strcspn(buf, "\r\n")] = '\0';
            lines = realloc(lines, (n_lines + 1) * sizeof *lines);
            lines[n_lines++] = strdup(buf);
        }
        if (f)
            fclose(f);
    }
    tx_corpus_new(ctx, &cp, &c);
    if (tx_corpus_add_file(c, argv[1], &d) != TX_OK) {
        fprintf(stderr, "%s:%ld: %s\n", d.file, d.line, d.message);
        return 1;
    }
    truth = malloc(tx_corpus_size(c) * sizeof *truth);
    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc doc;

        tx_corpus_doc(c, i, &doc);
        truth[i] = label_id(&names, &n_names,
                            is_csv ? doc.group
                                   : (size_t)doc.line <= n_lines
                                         ? lines[doc.line - 1] : "?");
    }
    tx_vocab_params_init(&vp);
    vp.min_df = 2;
    t0 = now();
    tx_vocab_fit(ctx, NULL, &vp, c, &v, &counts);
    idf = malloc(tx_vocab_size(v) * sizeof *idf);
    tx_tfidf_idf(NULL, v, idf);
    tx_tfidf_apply(ctx, NULL, idf, counts, &w);
    t1 = now();
    tx_svd_params_init(&sp);
    if (argc > 4)
        sp.rank = (size_t)atol(argv[4]);
    if (tx_svd_fit(ctx, &sp, w, &comp, NULL, &x) != TX_OK) {
        fprintf(stderr, "svd failed\n");
        return 1;
    }
    tx_mat_normalize_rows(x);
    if (getenv("TX_SIF")) { /* SIF word-vector doc embedding, weight w */
        double wgt = atof(getenv("TX_SIF"));
        tx_mat *wv = NULL, *dv = NULL, *both = NULL;
        size_t r, cc;

        if (tx_wordvec_train(ctx, NULL, NULL, v, c, &wv) != TX_OK ||
            tx_wordvec_embed_docs(ctx, NULL, wv, counts, &dv) != TX_OK) {
            fprintf(stderr, "wordvec failed\n");
            return 1;
        }
        tx_mat_normalize_rows(dv);
        if (wgt >= 100) {
            tx_mat_free(x);
            x = dv;
        } else {
            tx_mat_new(ctx, x->rows, x->cols + dv->cols, &both);
            for (r = 0; r < x->rows; r++) {
                for (cc = 0; cc < x->cols; cc++)
                    both->data[r * both->ld + cc] = x->data[r * x->ld + cc];
                for (cc = 0; cc < dv->cols; cc++)
                    both->data[r * both->ld + x->cols + cc] =
                        (float)wgt * dv->data[r * dv->ld + cc];
            }
            tx_mat_normalize_rows(both);
            x = both;
        }
    }
    if (getenv("TX_SPHERICAL"))
        kp_spherical = 1;
    t2 = now();
    if (getenv("TX_DUMP")) {
        FILE *f = fopen(getenv("TX_DUMP"), "wb");

        fwrite(x->data, sizeof(float), x->rows * x->ld, f);
        fclose(f);
    }
    tx_kmeans_params_init(&kp);
    kp.k = (size_t)atol(argv[3]);
    kp.spherical = kp_spherical;
    if (argc > 5)
        kp.n_init = atoi(argv[5]);
    if (getenv("TX_MAXITER")) { /* fixed iterations, as peers are timed */
        kp.max_iter = atoi(getenv("TX_MAXITER"));
        kp.tol = -1.0;
    }
    if (tx_kmeans_fit(ctx, &kp, x, &km) != TX_OK) {
        fprintf(stderr, "kmeans failed\n");
        return 1;
    }
    t3 = now();
    tx_eval_labels(ctx, truth, tx_kmeans_labels(km), tx_corpus_size(c), &s);
    printf("docs %zu terms %zu k %zu rank %zu nmi %.4f ari %.4f acc %.4f "
           "obj %.4f t_tfidf %.2f t_svd %.2f t_kmeans %.2f\n",
           tx_corpus_size(c), tx_vocab_size(v), tx_kmeans_k(km), x->cols,
           s.nmi, s.ari, s.acc, tx_kmeans_objective(km), t1 - t0, t2 - t1,
           t3 - t2);
    return 0;
}
