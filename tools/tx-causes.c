/* tx-causes: which sentences state a cause, the cause and symptom spans,
 * and the root-cause map linking symptom themes to cause themes. */
#include "cli.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
"NAME\n"
"    tx-causes - symptoms, the causes customers state, and how they link\n"
"\n"
"SYNOPSIS\n"
"    tx-causes [OPTION]... INPUT... --out DIR\n"
"\n"
"DESCRIPTION\n"
"    Splits each document into sentences and decides for each whether it\n"
"    states a cause (\"because nobody told me the card needs activating\")\n"
"    and, if so, which words are the cause, which the effect (the\n"
"    symptom) and which the cue. A complaint that states no cause is a\n"
"    symptom statement. Symptom spans and cause spans are then grouped\n"
"    into themes, and for each symptom theme the causes stated for it are\n"
"    counted. Writes:\n"
"      DIR/spans.csv      id,sentence,kind,start,end,text,cue (kind cause,\n"
"                         symptom (an effect in a complaint) or effect\n"
"                         (any other: \"I ordered it because the reviews\n"
"                         were good\"); byte offsets into the document)\n"
"      DIR/sentences.csv  id,sentence,causal (sentences numbered from 1)\n"
"      DIR/links.csv      cause_theme,cause_label,symptom_theme,\n"
"                         symptom_label,count,share (cause_theme -1: no\n"
"                         stated cause)\n"
"      DIR/report.md      the map as a table, and every row not read\n"
"                         with its reason\n"
"    DIR holds only the files of the last successful run (see\n"
"    tx-themes --help).\n"
"    The detector is a model trained on the Causal News Corpus and on\n"
"    real customer sentences labelled for the project, with a complaint\n"
"    classifier trained on complaint tweets (see models/README.md; `make\n"
"    models` rebuilds it). The default adds cue rules for customer text:\n"
"    a strong cue (\"because\", \"bc\", \"due to\", \"that's why\", \"made\n"
"    me\"), a habit (\"every time I open it, it freezes\"), or \"since\",\n"
"    \"so\", \"as\" in a complaint, states a cause and is split at; \"not\n"
"    because of X\" denies X; \"since Monday\", \"even after\", \"as I was\n"
"    boarding\" are times; \"so rude\" and \"so that\" state none;\n"
"    \"Returned it, far too tight\" states one without a cue. --no-rules uses\n"
"    the trained models alone, which suits news-like text better.\n"
"    The detector reads English: a document that reads as another\n"
"    language gets no causes and no complaint, and the count is shown.\n"
"\n"
"OPTIONS\n"
"    --out DIR         output directory (created if missing)\n"
"    --model FILE      cause model (default: $LIBTEXT_CAUSES_MODEL, else\n"
"                      models/causes.h5 in the current folder, else the\n"
"                      checkout's models/ beside this tool's build folder,\n"
"                      else the installed one)\n"
"    --whole           each document is one sentence (no splitting)\n"
"    --no-rules        the learned models alone, without cue rules\n"
"    --threshold P     probability above which a sentence is causal (the\n"
"                      model's, 0.5)\n"
"    --no-themes       detect only: links.csv has no rows\n"
"    --cue-spans       spans.csv also lists each cue, as kind 'cue'\n"
"    --relations N     up to N cause-effect relations per sentence (1); the\n"
"                      further ones are listed in spans.csv after the\n"
"                      first, with the same sentence number; with\n"
"                      --no-rules, surest first, then those whose cue\n"
"                      the signal tagger nearly chose\n"
"    -k N              themes per span kind (default: automatic, <= 30)\n"
"    --seed N          random seed for the themes (1)\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n";
static const char usage_tail[] =
"\n"
"EXIT STATUS\n"
"    0 success, 1 data or runtime error (including a missing or damaged\n"
"    model), 2 usage error.\n";

enum { O_VERSION = 2000, O_MODEL, O_WHOLE, O_NORULES, O_THRESH, O_NOTHEMES,
       O_SEED, O_CUESPANS, O_RELATIONS };

/* The files tx-causes writes into --out. */
static const char *const outputs[] = {
    "spans.csv", "sentences.csv", "links.csv", "report.md", NULL
};

static int write_file(struct cli_outdir *od, const char *name,
                      int (*w)(const tx_causemap *, FILE *),
                      const tx_causemap *m)
{
    FILE *f = cli_outdir_fopen(od, name);

    return f ? cli_outdir_fclose(od, f, name, w(m, f)) : 1;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_OPTIONS, {"out", 1, 0, 'o'}, {"help", 0, 0, 'h'},
        {"model", 1, 0, O_MODEL}, {"whole", 0, 0, O_WHOLE},
        {"no-rules", 0, 0, O_NORULES}, {"threshold", 1, 0, O_THRESH},
        {"no-themes", 0, 0, O_NOTHEMES}, {"seed", 1, 0, O_SEED},
        {"cue-spans", 0, 0, O_CUESPANS}, {"relations", 1, 0, O_RELATIONS},
        {"version", 0, 0, O_VERSION}, {0, 0, 0, 0}};
    const char *prog = "tx-causes", *out = NULL, *model_path = NULL;
    struct cli_common com;
    tx_causemap_params mp;
    tx_cause_model *model = NULL;
    tx_causemap *map = NULL;
    struct cli_outdir od;
    tx_corpus *c = NULL;
    tx_ctx *ctx = NULL;
    long seed = 1, v;
    int opt, r, rc, status = 1;

    if (cli_mpi_start(prog, &argc, &argv))
        return 2;
    cli_common_init(&com, prog);
    tx_causemap_params_init(&mp);
    while ((opt = getopt_long(argc, argv, "o:k:qh", lo, NULL)) != -1) {
        if ((r = cli_common_option(&com, opt == 'q' ? CLI_QUIET : opt,
                                   optarg)) != 0) {
            if (r < 0)
                return 2;
            continue;
        }
        switch (opt) {
        case 'o': out = optarg; break;
        case O_MODEL: model_path = optarg; break;
        case O_WHOLE: mp.detect.whole = 1; break;
        case O_NORULES: mp.detect.rules = 0; break;
        case O_NOTHEMES: mp.cluster = 0; break;
        case O_CUESPANS: mp.cue_spans = 1; break;
        case O_RELATIONS:
            if (cli_long(prog, "--relations", optarg, 1, 10, &v))
                return 2;
            mp.detect.relations = (int)v;
            break;
        case O_THRESH:
            if (cli_double(prog, "--threshold", optarg, 0, 1,
                           &mp.detect.threshold))
                return 2;
            break;
        case 'k':
            if (cli_long(prog, "-k", optarg, 1, 10000, &v))
                return 2;
            mp.themes.kmeans.k = (size_t)v;
            break;
        case O_SEED:
            if (cli_long(prog, "--seed", optarg, 0, 1L << 40, &seed))
                return 2;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(CLI_COMMON_HELP, stdout);
            fputs(usage_tail, stdout);
            return 0;
        case O_VERSION:
            printf("tx-causes (libtext) %s\n", tx_version());
            return 0;
        default:
            fprintf(stderr, "Try 'tx-causes --help'.\n");
            return 2;
        }
    }
    if (optind >= argc || !out) {
        fprintf(stderr, "%s: need INPUT... and --out DIR\n"
                        "Try 'tx-causes --help'.\n", prog);
        return 2;
    }
    openblas_set_num_threads(1);
    if (tx_ctx_new(NULL, &ctx) != TX_OK ||
        tx_ctx_set_threads(ctx, (int)com.threads) != TX_OK ||
        cli_mpi_attach(ctx)) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    tx_ctx_set_seed(ctx, (uint64_t)seed);
    if ((status = cli_common_check(&com, ctx)) != 0)
        goto done;
    status = 1;
    if (cli_load_cause_model(prog, ctx, model_path, &model))
        goto done;
    if (cli_mpi_any(cli_mpi_rank() == 0 && cli_outdir_check(prog, out) != 0))
        goto done;
    cli_progress_attach(ctx, prog);
    if (cli_common_load(&com, ctx, argv + optind, argc - optind, &c))
        goto done;
    mp.themes.tok = com.tok;
    cli_progress_stage("finding causes");
    rc = tx_causemap_build(ctx, model, &mp, c, &map);
    cli_progress_end();
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", prog, tx_strerror(rc));
        goto done;
    }
    if (!com.quiet && tx_causemap_other_language(map, NULL)) {
        /* the detector does not guess at other languages: say how many
         * documents it passed over */
        const char *lang;
        size_t foreign = tx_causemap_other_language(map, &lang);

        fprintf(stderr, "%s: %zu documents read as another language than "
                "English (%s, for one); the cause detector reads English "
                "only, so they get no causes or symptoms\n", prog, foreign,
                lang ? lang : "unnamed");
    }
    if (cli_mpi_rank() != 0) { /* rank 0 writes */
        status = 0;
        goto done;
    }
    if (cli_outdir_open(&od, prog, out, outputs) != 0 ||
        cli_outdir_finish(&od, !(
            write_file(&od, "spans.csv", tx_causemap_write_spans, map) ||
            write_file(&od, "sentences.csv", tx_causemap_write_sentences,
                       map) ||
            write_file(&od, "links.csv", tx_causemap_write_links, map) ||
            write_file(&od, "report.md", tx_causemap_write_report, map))))
        goto done;
    if (!com.quiet)
        fprintf(stderr, "%s: %zu symptom themes, %zu cause themes; wrote "
                        "%s/{spans.csv, sentences.csv, links.csv, report.md}\n",
                prog, tx_causemap_k(map, 0), tx_causemap_k(map, 1), out);
    status = 0;
done:
    tx_causemap_free(map);
    tx_cause_model_free(model);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    cli_common_free(&com);
    return cli_mpi_end(status);
}
