/* Times each step of tx-vectorize's pipeline on one corpus file and prints
 * one line per step; bench/run.sh compares the total with scikit-learn's
 * TfidfVectorizer on the same file. Usage: bench_vectorize FILE THREADS */
#include "libtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    tx_vocab *v = NULL;
    tx_csr *counts = NULL, *tfidf = NULL;
    tx_tokenizer_params tp;
    tx_vocab_params vp;
    tx_tfidf_params fp;
    tx_diag d;
    double t0, t1, t2, t3, *idf;
    struct rusage ru;
    size_t i, bytes = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: bench_vectorize FILE THREADS\n");
        return 2;
    }
    tx_ctx_new(NULL, &ctx);
    tx_ctx_set_threads(ctx, atoi(argv[2]));
    tx_tokenizer_params_init(&tp);
    tx_vocab_params_init(&vp);
    vp.min_df = 2;
    tx_tfidf_params_init(&fp);
    t0 = now();
    if (tx_corpus_new(ctx, NULL, &c) != TX_OK ||
        tx_corpus_add_file(c, argv[1], &d) != TX_OK) {
        fprintf(stderr, "bench_vectorize: %s:%ld: %s\n", d.file, d.line,
                d.message);
        return 1;
    }
    t1 = now();
    if (tx_vocab_fit(ctx, &tp, &vp, c, &v, &counts) != TX_OK)
        return 1;
    t2 = now();
    idf = malloc(tx_vocab_size(v) * sizeof *idf);
    tx_tfidf_idf(&fp, v, idf);
    if (tx_tfidf_apply(ctx, &fp, idf, counts, &tfidf) != TX_OK)
        return 1;
    t3 = now();
    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc doc;

        tx_corpus_doc(c, i, &doc);
        bytes += doc.len;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("docs %zu text_mb %.1f terms %zu nnz %zu\n", tx_corpus_size(c),
           (double)bytes / 1e6, tx_vocab_size(v), tfidf->nnz);
    printf("read %.3f fit %.3f tfidf %.3f total %.3f peak_mb %.0f\n",
           t1 - t0, t2 - t1, t3 - t2, t3 - t0, (double)ru.ru_maxrss / 1024);
    free(idf);
    tx_csr_free(counts);
    tx_csr_free(tfidf);
    tx_vocab_free(v);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    return 0;
}
