/*
 * themes_of_csv: the themes of a CSV file's `text` column, each with its
 * label, size and one quote. A complete program to copy: every return
 * code is checked and everything is freed.
 *
 *   cc themes_of_csv.c $(pkg-config --cflags --libs libtext) -o themes_of_csv
 *   ./themes_of_csv feedback.csv [k]
 */
#include <libtext.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    tx_ctx *ctx = NULL;
    tx_corpus *corpus = NULL;
    tx_themes *themes = NULL;
    tx_corpus_params cp;
    tx_themes_params tp;
    tx_diag diag = {0};
    size_t t;
    int rc;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s FILE.csv [k]\n", argv[0]);
        return 2;
    }
    rc = tx_ctx_new(NULL, &ctx);
    if (rc == TX_OK) {
        tx_ctx_set_seed(ctx, 1); /* same seed, same themes */
        tx_corpus_params_init(&cp);
        rc = tx_corpus_new(ctx, &cp, &corpus);
    }
    if (rc == TX_OK) {
        rc = tx_corpus_add_file(corpus, argv[1], &diag);
        if (rc != TX_OK)
            fprintf(stderr, "%s: %s:%ld: %s\n", argv[0],
                    diag.file[0] ? diag.file : argv[1], diag.line,
                    diag.message);
    }
    if (rc == TX_OK) {
        tx_themes_params_init(&tp);
        if (argc == 3)
            tp.kmeans.k = (size_t)strtoul(argv[2], NULL, 10); /* 0: auto */
        rc = tx_themes_fit(ctx, &tp, corpus, &themes);
    }
    if (rc == TX_OK) {
        printf("%zu documents, %zu rejected rows, %zu themes\n",
               tx_corpus_size(corpus), tx_corpus_reject_count(corpus),
               tx_themes_k(themes));
        for (t = 0; t < tx_themes_k(themes) && rc == TX_OK; t++) {
            tx_theme_info info;
            tx_doc quote;

            rc = tx_themes_theme(themes, t, &info);
            if (rc != TX_OK)
                break;
            printf("%2zu  %-30s %6zu docs", t, info.label, info.size);
            if (info.n_quotes > 0 &&
                (rc = tx_corpus_doc(corpus, info.quotes[0], &quote)) == TX_OK)
                printf("  \"%.*s\"", quote.len > 70 ? 70 : (int)quote.len,
                       quote.text);
            printf("\n");
        }
    }
    if (rc != TX_OK)
        fprintf(stderr, "%s: %s\n", argv[0], tx_strerror(rc));
    tx_themes_free(themes);
    tx_corpus_free(corpus);
    tx_ctx_free(ctx);
    return rc == TX_OK ? 0 : 1;
}
