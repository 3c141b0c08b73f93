/* tx-themes: corpus in, themes out (assignments, themes.json, report.md,
 * model.h5). */
#include "cli.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
"NAME\n"
"    tx-themes - find the themes in open-ended customer text\n"
"\n"
"SYNOPSIS\n"
"    tx-themes [OPTION]... INPUT... --out DIR\n"
"\n"
"DESCRIPTION\n"
"    Reads documents from each INPUT (CSV/TSV, JSONL, text lines, interview\n"
"    transcripts, or a directory of them; - for standard input), groups\n"
"    them into themes and writes to DIR:\n"
"      assignments.csv  id,theme,score,subtheme for every input row, in\n"
"                       input order (theme -1: rejected, a non-answer such\n"
"                       as n/a or no comment, or no words left to theme;\n"
"                       subtheme -1: the theme has none)\n"
"      mentions.csv     id,segment,start,end,theme,subtheme,score: one row\n"
"                       per themed segment (a run of text on one theme:\n"
"                       sentences, clauses or list items), byte offsets\n"
"                       into the text; a document that speaks of several\n"
"                       themes has rows for each. A piece adds a theme only\n"
"                       with 2+ known terms and at least half as close to\n"
"                       the theme as its median document; the rest belong\n"
"                       to the document's primary theme (assignments.csv)\n"
"      themes.json      each theme's label, terms, size, share, stability,\n"
"                       quotes, sub-themes (the same, share of the theme)\n"
"                       and group counts; the merge tree; every unthemed\n"
"                       row with its reason\n"
"      report.md        the same for people to read, with priorities, group\n"
"                       differences, the emotional journey and trends\n"
"      report.html      the same as one self-contained page with charts\n"
"      documents.csv    id,theme,group,stage,sentiment,friction per document\n"
"      compare.csv      with two or more groups: per theme and pair of\n"
"                       groups, shares, difference with a 95% interval,\n"
"                       p, Benjamini-Hochberg q and significant (q < 0.05)\n"
"      compare_subthemes.csv  with 2 to 20 groups, the same per sub-theme\n"
"                       (subtheme,theme,group_a,...), with q over the\n"
"                       sub-theme rows: a shift in one specific topic\n"
"                       that its theme's other topics dilute\n"
"      model.h5         what tx-assign needs to theme new documents\n"
"    Every file is written under a temporary name; all are renamed into\n"
"    DIR together once complete, and files an earlier run left there that\n"
"    this run does not write (compare*.csv) are removed, so DIR holds only\n"
"    the last successful run's files; a failed run leaves DIR as it was.\n"
"    DIR is checked before any input is read. In the CSV files, a field a\n"
"    spreadsheet would run as a formula (=, +, -, @ first, unless it is a\n"
"    number) is written with a leading '.\n"
"\n"
"    Method: TF-IDF; LSA by randomized SVD (components from at most 262,144\n"
"    documents); word vectors learnt from the corpus (PPMI + SVD) averaged\n"
"    per document with SIF weights; both views side by side at equal\n"
"    weight; k-means (greedy k-means++, several restarts, Lloyd skipping\n"
"    the rows whose bounds keep them); then each theme's documents are\n"
"    clustered again into sub-themes. Labels are the terms and phrases a\n"
"    theme uses more than the rest of the corpus (weighted log-odds with a\n"
"    prior; a sub-theme's, more than its siblings and the corpus), in\n"
"    their most common written form; a label made of two words\n"
"    reads as the theme's documents write them together (\"waited on\n"
"    hold\", \"never received my refund\"); quotes are close to the\n"
"    theme's centre and differ from each other. The same --seed gives the\n"
"    same files for any --threads and any order of the input rows.\n"
"\n";

/* Split in three: ISO C caps one string literal at 4095 characters. */
static const char usage_common[] = CLI_COMMON_HELP "\n";

static const char usage_tail[] =
"THEME OPTIONS\n"
"    --method M        kmeans (default) or dmm: a Dirichlet multinomial\n"
"                      mixture of the words (GSDMM, for short texts) that\n"
"                      finds its own number of themes up to -k (40); the\n"
"                      documents then go to the nearest theme centre\n"
"    -k N|auto         number of themes (auto: on three samples, the\n"
"                      smallest k up to 20 whose mean silhouette, less that\n"
"                      of the sample with its columns shuffled, is within\n"
"                      one standard error of the best, times\n"
"                      --granularity)\n"
"    --subthemes N|auto|0  sub-themes in each theme (auto: each theme's\n"
"                      share of the specific level, the smallest k whose\n"
"                      raw silhouette is within one standard error of the\n"
"                      best, at least twice the themes; 0: none). No\n"
"                      sub-theme under 5 documents\n"
"    --granularity F   scale the automatic sizes (1.0; 2 = finer)\n"
"    --k-max N         most themes chosen automatically (20)\n"
"    --seed N          random seed (42)\n"
"    --restarts N      k-means restarts (5); also measure stability\n"
"    --spherical       cosine k-means (unit centres) instead of Euclidean\n"
"    --rank N          LSA dimensions (100)\n"
"    --no-word-vectors LSA only\n"
"    --word-vectors FILE  pretrained word vectors (word2vec text or .bin,\n"
"                      GloVe, fastText .vec) instead of training them\n"
"    --embeddings FILE document vectors made elsewhere (.npy, or HDF5 with\n"
"                      a 2-D dataset, see --embeddings-dataset), one row per\n"
"                      input row in input order; they replace LSA and word\n"
"                      vectors (labels and quotes still come from the text)\n"
"    --embeddings-dataset NAME  HDF5 dataset name (embeddings)\n"
"    --min-df N        keep terms in at least N documents (2)\n"
"    --terms N         label terms per theme (10)\n"
"    --quotes N        quotes per theme (4)\n"
"\n"
"DECISION OPTIONS\n"
"    --group-col NAME  groups to compare (default: tabular rows are\n"
"                      'survey', transcript turns 'interview')\n"
"    --unit U          respondent (default: all turns of one transcript\n"
"                      count once per theme) or document\n"
"    --outcome-col NAME  numeric outcome (NPS, CSAT, churned 0/1): each\n"
"                      theme's impact, mean with minus mean without\n"
"    --stage-col NAME  journey stage per row: discover, onboarding, login,\n"
"                      billing, delivery, support or renewal (else, and for\n"
"                      other values, counted in report.md, detected from\n"
"                      the text)\n"
"    --time-col NAME   date or period per row: shares per month, rising\n"
"                      themes (values that are not dates are counted in\n"
"                      report.md and left out of the trends)\n"
"\n"
"CAUSE OPTIONS\n"
"    --causes          also find the causes customers state (as tx-causes\n"
"                      does): themes.json gets a \"causes\" object (symptom\n"
"                      themes, cause themes, links) and per theme the share\n"
"                      of documents stating a cause and the causes they\n"
"                      state most; report.md gets the root-cause table\n"
"    --cause-model FILE  the cause model (see tx-causes --help)\n"
"\n"
"OTHER OPTIONS\n"
"    -o, --out DIR     output directory (created if missing)\n"
"    -v, --verbose     print how long each step takes\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 data or runtime error, 2 usage error.\n"
"\n"
"EXAMPLE\n"
"    tx-themes corpora/feedback.csv corpora/interviews --out themes\n"
"    tx-themes -k 12 --seed 7 tickets.jsonl --out out\n";

enum {
    O_K = 256, O_GRAN, O_KMAX, O_SEED, O_RESTARTS, O_SPHERICAL, O_RANK,
    O_NOWV, O_MINDF, O_TERMS, O_QUOTES, O_VERSION, O_WV, O_EMB, O_EMBSET,
    O_METHOD, O_CAUSES, O_CAUSEMODEL, O_UNIT, O_SUB
};

struct opts {
    struct cli_common com;
    const char *out, *emb_path, *emb_set, *cause_model;
    int causes, unit;
    long seed;
    tx_themes_params tp;
    char **inputs;
    int n_inputs;
};

static int opts_parse(struct opts *o, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_OPTIONS,
        {"granularity", 1, 0, O_GRAN}, {"k-max", 1, 0, O_KMAX},
        {"seed", 1, 0, O_SEED}, {"restarts", 1, 0, O_RESTARTS},
        {"spherical", 0, 0, O_SPHERICAL}, {"rank", 1, 0, O_RANK},
        {"no-word-vectors", 0, 0, O_NOWV}, {"min-df", 1, 0, O_MINDF},
        {"terms", 1, 0, O_TERMS}, {"quotes", 1, 0, O_QUOTES},
        {"word-vectors", 1, 0, O_WV}, {"embeddings", 1, 0, O_EMB},
        {"embeddings-dataset", 1, 0, O_EMBSET}, {"method", 1, 0, O_METHOD},
        {"causes", 0, 0, O_CAUSES}, {"cause-model", 1, 0, O_CAUSEMODEL},
        {"unit", 1, 0, O_UNIT}, {"subthemes", 1, 0, O_SUB},
        {"out", 1, 0, 'o'}, {"help", 0, 0, 'h'}, {"verbose", 0, 0, 'v'},
        {"version", 0, 0, O_VERSION}, {0, 0, 0, 0}};
    const char *prog = o->com.prog;
    long v;
    double d;
    int c, r;

    tx_themes_params_init(&o->tp);
    o->seed = 42;
    while ((c = getopt_long(argc, argv, "k:o:qhv", lo, NULL)) != -1) {
        if ((r = cli_common_option(&o->com, c == 'q' ? CLI_QUIET : c,
                                   optarg)) != 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (c) {
        case 'k':
            if (strcmp(optarg, "auto") == 0)
                o->tp.kmeans.k = 0;
            else if (cli_long(prog, "-k", optarg, 1, 100000, &v))
                return -1;
            else
                o->tp.kmeans.k = (size_t)v;
            break;
        case O_SUB:
            if (strcmp(optarg, "auto") == 0)
                o->tp.subthemes = -1;
            else if (strcmp(optarg, "0") == 0)
                o->tp.subthemes = 0;
            else if (cli_long(prog, "--subthemes", optarg, 2, 10000, &v))
                return -1;
            else
                o->tp.subthemes = (int)v;
            break;
        case O_GRAN:
            if (cli_double(prog, "--granularity", optarg, 0.05, 20, &d))
                return -1;
            o->tp.granularity = d;
            break;
        case O_KMAX:
            if (cli_long(prog, "--k-max", optarg, 2, 100000, &v))
                return -1;
            o->tp.k_max = (size_t)v;
            break;
        case O_SEED:
            if (cli_long(prog, "--seed", optarg, 0, 0x7fffffffL, &o->seed))
                return -1;
            break;
        case O_RESTARTS:
            if (cli_long(prog, "--restarts", optarg, 1, 64, &v))
                return -1;
            o->tp.kmeans.n_init = (int)v;
            break;
        case O_SPHERICAL: o->tp.kmeans.spherical = 1; break;
        case O_RANK:
            if (cli_long(prog, "--rank", optarg, 1, 2000, &v))
                return -1;
            o->tp.svd.rank = (size_t)v;
            break;
        case O_NOWV: o->tp.use_wordvec = 0; break;
        case O_WV: o->tp.word_vectors = optarg; break;
        case O_EMB: o->emb_path = optarg; break;
        case O_EMBSET: o->emb_set = optarg; break;
        case O_CAUSES: o->causes = 1; break;
        case O_UNIT:
            if (strcmp(optarg, "respondent") == 0) {
                o->unit = TX_UNIT_RESPONDENT;
            } else if (strcmp(optarg, "document") == 0) {
                o->unit = TX_UNIT_DOCUMENT;
            } else {
                fprintf(stderr, "%s: --unit: respondent or document, not "
                                "'%s'\n", prog, optarg);
                return -1;
            }
            break;
        case O_CAUSEMODEL: o->cause_model = optarg; o->causes = 1; break;
        case O_METHOD:
            if (strcmp(optarg, "kmeans") == 0) {
                o->tp.method = TX_THEMES_KMEANS;
            } else if (strcmp(optarg, "dmm") == 0) {
                o->tp.method = TX_THEMES_DMM;
            } else {
                fprintf(stderr, "%s: --method: kmeans or dmm, not '%s'\n",
                        prog, optarg);
                return -1;
            }
            break;
        case O_MINDF:
            if (cli_long(prog, "--min-df", optarg, 1, 1L << 40, &v))
                return -1;
            o->tp.vocab.min_df = v;
            break;
        case O_TERMS:
            if (cli_long(prog, "--terms", optarg, 1, 100, &v))
                return -1;
            o->tp.n_terms = (size_t)v;
            break;
        case O_QUOTES:
            if (cli_long(prog, "--quotes", optarg, 0, 50, &v))
                return -1;
            o->tp.n_quotes = (size_t)v;
            break;
        case 'o': o->out = optarg; break;
        case 'v': cli_progress_verbose(); break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(usage_common, stdout);
            fputs(usage_tail, stdout);
            exit(0);
        case O_VERSION:
            printf("tx-themes (libtext) %s\n", tx_version());
            exit(0);
        default:
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return -1;
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = argc - optind;
    if (o->n_inputs < 1 || !o->out) {
        fprintf(stderr, "%s: need INPUT... and --out DIR\n"
                        "Try '%s --help'.\n", prog, prog);
        return -1;
    }
    return 0;
}

/* The files tx-themes writes into --out: an earlier run's that this run
 * does not write (compare.csv with one group, compare_subthemes.csv
 * without sub-themes) are removed. */
static const char *const outputs[] = {
    "assignments.csv", "mentions.csv", "themes.json", "report.md",
    "report.html", "documents.csv", "compare.csv", "compare_subthemes.csv",
    "model.h5", NULL
};

static int write_themes_file(struct cli_outdir *od, const char *name,
                             int (*w)(const tx_themes *, const tx_corpus *,
                                      FILE *),
                             const tx_themes *th, const tx_corpus *c)
{
    FILE *f = cli_outdir_fopen(od, name);

    return f ? cli_outdir_fclose(od, f, name, w(th, c, f)) : 1;
}

static int write_insights(struct cli_outdir *od, const char *name,
                          int (*w)(const tx_insights *, FILE *),
                          const tx_insights *in)
{
    FILE *f = cli_outdir_fopen(od, name);

    return f ? cli_outdir_fclose(od, f, name, w(in, f)) : 1;
}

static int write_report(struct cli_outdir *od, const char *name,
                        int (*w)(const tx_report *, FILE *),
                        const tx_report *r)
{
    FILE *f = cli_outdir_fopen(od, name);

    return f ? cli_outdir_fclose(od, f, name, w(r, f)) : 1;
}

/* Writes every output; 0 when all were written. */
static int write_outputs(const struct opts *o, struct cli_outdir *od,
                         tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                         const tx_insights *ins, const tx_report *rep)
{
    const char *model;
    tx_diag d;
    int rc;

    if (tx_insights_groups(ins) >= 2 &&
        write_insights(od, "compare.csv", tx_insights_write_compare, ins))
        return 1;
    if (tx_insights_subtheme_rows(ins) > 0 &&
        write_insights(od, "compare_subthemes.csv",
                       tx_insights_write_compare_subthemes, ins))
        return 1;
    if (write_insights(od, "documents.csv", tx_insights_write_documents, ins) ||
        write_report(od, "report.html", tx_report_write_html, rep) ||
        write_themes_file(od, "assignments.csv", tx_themes_write_assignments,
                          th, c) ||
        write_themes_file(od, "mentions.csv", tx_themes_write_mentions, th,
                          c) ||
        write_report(od, "themes.json", tx_report_write_json, rep) ||
        write_report(od, "report.md", tx_report_write_markdown, rep))
        return 1;
    model = cli_outdir_temp(od, "model.h5");
    if (!model)
        return 1;
    memset(&d, 0, sizeof d);
    rc = tx_themes_save(ctx, th, model, &d);
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s/model.h5: %s\n", o->com.prog, o->out,
                d.message[0] ? d.message : tx_strerror(rc));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    tx_themes *th = NULL;
    tx_mat *emb = NULL;
    tx_cause_model *cm = NULL;
    tx_causemap *map = NULL;
    tx_insights *ins = NULL;
    tx_report *rep = NULL;
    tx_insights_params ip;
    struct cli_outdir od;
    tx_diag d, fd;
    int rc, status = 1;

    if (cli_mpi_start("tx-themes", &argc, &argv))
        return 2;
    memset(&o, 0, sizeof o);
    cli_common_init(&o.com, "tx-themes");
    if (opts_parse(&o, argc, argv) != 0) {
        cli_common_free(&o.com);
        return 2;
    }
    /* libtext runs its own threads; keep OpenBLAS to one per thread. */
    openblas_set_num_threads(1);
    rc = tx_ctx_new(NULL, &ctx);
    if (rc == TX_OK)
        rc = tx_ctx_set_threads(ctx, (int)o.com.threads);
    if (rc == TX_OK && cli_mpi_attach(ctx))
        rc = TX_ECOMM;
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", o.com.prog, tx_strerror(rc));
        goto done;
    }
    tx_ctx_set_seed(ctx, (uint64_t)o.seed);
    if ((status = cli_common_check(&o.com, ctx)) != 0)
        goto done;
    {
        tx_themes_params whole = o.tp;
        const char *why;

        whole.tok = o.com.tok;
        if ((why = tx_themes_params_check(&whole)) != NULL) {
            fprintf(stderr, "%s: %s\n", o.com.prog, why);
            status = 2;
            goto done;
        }
    }
    status = 1;
    if (cli_mpi_any(cli_mpi_rank() == 0 &&
                    cli_outdir_check(o.com.prog, o.out) != 0))
        goto done;
    if (o.causes &&
        cli_load_cause_model(o.com.prog, ctx, o.cause_model, &cm) != 0)
        goto done;
    cli_progress_attach(ctx, o.com.prog);
    if (cli_common_load(&o.com, ctx, o.inputs, o.n_inputs, &c) != 0)
        goto done;
    o.tp.tok = o.com.tok;
    if (o.emb_path) {
        memset(&d, 0, sizeof d);
        rc = tx_embeddings_load(ctx, o.emb_path, o.emb_set, &emb, &d);
        if (rc != TX_OK) {
            fprintf(stderr, "%s: %s: %s\n", o.com.prog, o.emb_path,
                    d.message[0] ? d.message : tx_strerror(rc));
            goto done;
        }
        if (emb->rows != tx_corpus_rows(c)) {
            fprintf(stderr, "%s: %s: %zu rows of vectors, but %zu input rows "
                            "(one vector per input row, in input order)\n",
                    o.com.prog, o.emb_path, emb->rows, tx_corpus_rows(c));
            goto done;
        }
        o.tp.embeddings = emb;
    }
    memset(&fd, 0, sizeof fd);
    o.tp.diag = &fd;
    cli_progress_stage("finding themes");
    rc = tx_themes_fit(ctx, &o.tp, c, &th);
    cli_progress_end();
    if (rc != TX_OK && fd.message[0]) {
        if (fd.line > 0)
            fprintf(stderr, "%s: %s:%ld: %s\n", o.com.prog, fd.file, fd.line,
                    fd.message);
        else
            fprintf(stderr, "%s: %s: %s\n", o.com.prog, fd.file, fd.message);
        goto done;
    }
    if (rc == TX_ETOOLITTLE) {
        fprintf(stderr, "%s: too little text to find themes: after "
                        "cleaning (stopwords, min-df %ld) fewer than two "
                        "documents keep words, or only one term is left\n",
                o.com.prog, o.tp.vocab.min_df);
        goto done;
    }
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", o.com.prog, tx_strerror(rc));
        goto done;
    }
    if (cm) {
        tx_causemap_params mp;

        tx_causemap_params_init(&mp);
        mp.themes.tok = o.com.tok;
        cli_progress_stage("finding causes");
        rc = tx_causemap_build(ctx, cm, &mp, c, &map);
        if (rc != TX_OK) {
            fprintf(stderr, "%s: causes: %s\n", o.com.prog, tx_strerror(rc));
            goto done;
        }
    }
    cli_progress_stage("insights");
    tx_insights_params_init(&ip);
    ip.unit = o.unit;
    rc = tx_insights_compute(ctx, &ip, th, c, &ins);
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", o.com.prog, tx_strerror(rc));
        goto done;
    }
    rc = tx_report_new(ctx, th, c, ins, map, &rep);
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", o.com.prog, tx_strerror(rc));
        goto done;
    }
    cli_progress_stage("writing");
    if (cli_mpi_rank() != 0) { /* rank 0 writes */
        status = 0;
        goto done;
    }
    if (cli_outdir_open(&od, o.com.prog, o.out, outputs) != 0)
        goto done;
    if (cli_outdir_finish(&od, write_outputs(&o, &od, ctx, th, c, ins,
                                             rep) == 0) != 0)
        goto done;
    cli_progress_stage("done");
    if (!o.com.quiet)
        fprintf(stderr, "%s: %zu themes; wrote %s/{assignments.csv, "
                        "mentions.csv, themes.json, report.md, report.html, documents.csv,%s%s "
                        "model.h5}\n",
                o.com.prog, tx_themes_k(th), o.out,
                tx_insights_groups(ins) >= 2 ? " compare.csv," : "",
                tx_insights_subtheme_rows(ins) > 0
                    ? " compare_subthemes.csv," : "");
    status = 0;
done:
    tx_report_free(rep);
    tx_themes_free(th);
    tx_insights_free(ins);
    tx_causemap_free(map);
    tx_cause_model_free(cm);
    tx_mat_free(emb);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    cli_common_free(&o.com);
    return cli_mpi_end(status);
}
