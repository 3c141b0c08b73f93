/* tx-assign: put new documents into the themes of a saved model. */
#include "cli.h"

#include <cblas.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"NAME\n"
"    tx-assign - put documents into the themes of a saved model\n"
"\n"
"SYNOPSIS\n"
"    tx-assign [OPTION]... MODEL.h5 INPUT... > assignments.csv\n"
"\n"
"DESCRIPTION\n"
"    Reads the model.h5 that tx-themes wrote and the documents of each\n"
"    INPUT, and prints id,theme,score for every input row in input order\n"
"    (theme -1 for a row that was rejected or has no word the model knows).\n"
"    Tokenization, weighting and projection come from the model, so the\n"
"    documents the model was fitted on get exactly the theme the fit gave.\n"
"\n"
"OPTIONS\n"
"    --format F, --text-col NAME, --id-col NAME, --interviewer NAME,\n"
"    --strict-utf8     read the inputs as in tx-themes --help\n"
"    --embeddings FILE document vectors (.npy, or HDF5 dataset 'embeddings'),\n"
"                      one row per input row, needed by a model fitted with\n"
"                      tx-themes --embeddings\n"
"    --broader N       report N broader themes instead (the model's merge\n"
"                      tree cut at N groups; no refitting)\n"
"    --threads N       worker threads (1)\n"
"    -q, --quiet       do not list rejected rows or the summary\n"
"    -o, --out FILE    write here instead of standard output\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n"
"SEVERAL PROCESSES\n"
"    Under OpenMPI (mpirun -q -n N tx-assign ...) each of N processes\n"
"    assigns a share of the documents; rank 0 writes the same bytes one\n"
"    process would\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 data or runtime error (including a missing, damaged or\n"
"    incompatible model), 2 usage error.\n";

enum { O_VERSION = 256, O_EMB, O_BROADER };

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_OPTIONS, {"out", 1, 0, 'o'}, {"help", 0, 0, 'h'},
        {"embeddings", 1, 0, O_EMB}, {"broader", 1, 0, O_BROADER},
        {"version", 0, 0, O_VERSION}, {0, 0, 0, 0}};
    struct cli_common com;
    const char *out = "-", *emb_path = NULL;
    long broader = 0;
    tx_mat *emb = NULL;
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    tx_themes *th = NULL;
    int32_t *themes = NULL;
    float *scores = NULL;
    int32_t *subthemes = NULL;
    char *tmp;
    FILE *f;
    tx_diag d;
    int opt, r, rc, status = 1;

    if (cli_mpi_start("tx-assign", &argc, &argv))
        return 2;

    cli_common_init(&com, "tx-assign");
    while ((opt = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        if ((r = cli_common_option(&com, opt == 'q' ? CLI_QUIET : opt,
                                   optarg)) != 0) {
            if (r < 0)
                return 2;
            continue;
        }
        switch (opt) {
        case 'o': out = optarg; break;
        case O_EMB: emb_path = optarg; break;
        case O_BROADER:
            if (cli_long("tx-assign", "--broader", optarg, 1, 100000,
                         &broader))
                return 2;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case O_VERSION: printf("tx-assign (libtext) %s\n", tx_version());
            return 0;
        default:
            fprintf(stderr, "Try 'tx-assign --help'.\n");
            return 2;
        }
    }
    if (argc - optind < 2) {
        fprintf(stderr, "tx-assign: need MODEL.h5 and INPUT...\n"
                        "Try 'tx-assign --help'.\n");
        return 2;
    }
    openblas_set_num_threads(1);
    if (tx_ctx_new(NULL, &ctx) != TX_OK ||
        tx_ctx_set_threads(ctx, (int)com.threads) != TX_OK ||
        cli_mpi_attach(ctx)) {
        fprintf(stderr, "tx-assign: out of memory\n");
        goto done;
    }
    memset(&d, 0, sizeof d);
    rc = tx_themes_load(ctx, argv[optind], &th, &d);
    if (rc != TX_OK) {
        fprintf(stderr, "tx-assign: %s: %s\n", argv[optind],
                d.message[0] ? d.message : tx_strerror(rc));
        goto done;
    }
    if (cli_common_load(&com, ctx, argv + optind + 1, argc - optind - 1, &c))
        goto done;
    if (tx_themes_external_dim(th) && !emb_path) {
        fprintf(stderr, "tx-assign: %s was fitted on document vectors: give "
                        "--embeddings FILE\n", argv[optind]);
        goto done;
    }
    if (emb_path) {
        memset(&d, 0, sizeof d);
        rc = tx_embeddings_load(ctx, emb_path, NULL, &emb, &d);
        if (rc != TX_OK) {
            fprintf(stderr, "tx-assign: %s: %s\n", emb_path,
                    d.message[0] ? d.message : tx_strerror(rc));
            goto done;
        }
        if (emb->rows != tx_corpus_rows(c) ||
            emb->cols != tx_themes_external_dim(th)) {
            fprintf(stderr, "tx-assign: %s: %zu x %zu vectors; need %zu rows "
                            "(one per input row) of %zu\n", emb_path,
                    emb->rows, emb->cols, tx_corpus_rows(c),
                    tx_themes_external_dim(th));
            goto done;
        }
    }
    themes = malloc(tx_corpus_size(c) * sizeof *themes);
    scores = malloc(tx_corpus_size(c) * sizeof *scores);
    subthemes = malloc(tx_corpus_size(c) * sizeof *subthemes);
    rc = themes && scores && subthemes
             ? tx_themes_assign(ctx, th, c, emb, themes, scores, subthemes)
             : TX_ENOMEM;
    if (rc != TX_OK) {
        fprintf(stderr, "tx-assign: %s\n", tx_strerror(rc));
        goto done;
    }
    if (broader) {
        int32_t *map = malloc((tx_themes_k(th) + 1) * sizeof *map);
        size_t i;

        if (!map || (size_t)broader > tx_themes_k(th) ||
            tx_themes_cut(th, (size_t)broader, map) != TX_OK) {
            fprintf(stderr, "tx-assign: --broader %ld: the model has %zu "
                            "themes\n", broader, tx_themes_k(th));
            free(map);
            goto done;
        }
        for (i = 0; i < tx_corpus_size(c); i++) {
            if (themes[i] >= 0)
                themes[i] = map[themes[i]];
            subthemes[i] = -1; /* a broader group has no sub-themes */
        }
        free(map);
    }
    if (cli_mpi_rank() != 0) { /* rank 0 writes */
        status = 0;
        goto done;
    }
    f = cli_open_out("tx-assign", out, &tmp);
    if (!f)
        goto done;
    rc = tx_corpus_write_assignments(c, themes, scores, subthemes, f);
    status = cli_commit("tx-assign", f, out, tmp, rc == TX_OK);
done:
    free(themes);
    free(scores);
    free(subthemes);
    tx_mat_free(emb);
    tx_themes_free(th);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    cli_common_free(&com);
    return cli_mpi_end(status);
}
