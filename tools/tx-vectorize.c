/* tx-vectorize: corpus in, TF-IDF matrix and vocabulary out (HDF5). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"NAME\n"
"    tx-vectorize - tokenize a corpus and write its TF-IDF matrix to HDF5\n"
"\n"
"SYNOPSIS\n"
"    tx-vectorize [OPTION]... INPUT... -o OUT.h5\n"
"    tx-vectorize [OPTION]... INPUT... --dump\n"
"\n"
"DESCRIPTION\n"
"    Reads documents from each INPUT (a file, a directory of files, or - for\n"
"    standard input): CSV/TSV with a header row (RFC 4180), JSONL, text with\n"
"    one document per line, or interview transcripts ('Speaker: text' turns,\n"
"    WebVTT, SRT) whose respondent turns become documents FILE:TURN.\n"
"    Text is normalized (Unicode NFKC, case folded), split into words, and\n"
"    stopwords are dropped; URLs, e-mail addresses, numbers, amounts of\n"
"    money, encoded data (base64, hex digests) and redaction marks (XXXX,\n"
"    XX/XX/XXXX, [redacted], {{name}}) become the placeholders _url_\n"
"    _email_ _num_ _money_ _blob_ _redacted_; a negator\n"
"    joins the next word (\"not helpful\" -> not_help); words are stemmed\n"
"    with Snowball. The TF-IDF weighting follows scikit-learn's\n"
"    TfidfVectorizer: tf = 1 + ln(count) (sublinear), idf = ln((1+n)/(1+df))\n"
"    + 1, rows scaled to unit length.\n"
"\n"
"    Every input row is used or rejected: rejected rows are reported on\n"
"    standard error as 'tx-vectorize: FILE:LINE: row ID rejected: REASON'\n"
"    and stored in OUT.h5 under /docs/rejected_*.\n"
"\n"
"    OUT.h5 holds /vocab/terms, /vocab/surface (most frequent written form of\n"
"    each term), /vocab/df, /idf, /tfidf/{data,indices,indptr,shape} (scipy\n"
"    CSR), /docs/ids and /docs/groups, with every parameter as an attribute.\n"
"\n";

static const char usage_common[] = CLI_COMMON_HELP "\n";

static const char usage_tail[] =
"MATRIX OPTIONS\n"
"    --min-df N        keep terms in at least N documents (2)\n"
"    --max-df F        drop terms in more than share F of documents (1.0)\n"
"    --max-features N  keep the N most frequent terms (all)\n"
"    --raw-tf          tf = count instead of 1 + ln(count)\n"
"    --no-smooth-idf   idf = ln(n/df) + 1\n"
"    --no-norm         do not scale rows to unit length\n"
"\n"
"OTHER OPTIONS\n"
"    -o, --out FILE    write the HDF5 file (under a temporary name, renamed\n"
"                      into place when complete)\n"
"    --dump            print 'ID<TAB>term term ...' per document to stdout\n"
"                      (a tab, line break or backslash in an ID is written\n"
"                      \\t, \\n, \\r or \\\\)\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 data or runtime error, 2 usage error.\n"
"\n"
"EXAMPLE\n"
"    tx-vectorize corpora/feedback.csv -o feedback.h5\n"
"    tx-vectorize --dump --no-stem interviews/\n";

enum {
    O_MINDF = 256, O_MAXDF, O_MAXFEAT, O_RAWTF, O_NOSMOOTH, O_NONORM, O_DUMP,
    O_VERSION
};

struct opts {
    struct cli_common com;
    const char *out;
    int dump;
    tx_vocab_params vocab;
    tx_tfidf_params tfidf;
    char **inputs;
    int n_inputs;
};

static int opts_parse(struct opts *o, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_OPTIONS,
        {"min-df", 1, 0, O_MINDF}, {"max-df", 1, 0, O_MAXDF},
        {"max-features", 1, 0, O_MAXFEAT}, {"raw-tf", 0, 0, O_RAWTF},
        {"no-smooth-idf", 0, 0, O_NOSMOOTH}, {"no-norm", 0, 0, O_NONORM},
        {"dump", 0, 0, O_DUMP}, {"out", 1, 0, 'o'}, {"help", 0, 0, 'h'},
        {"version", 0, 0, O_VERSION}, {0, 0, 0, 0}};
    const char *prog = o->com.prog;
    long v;
    double d;
    int c, r;

    tx_vocab_params_init(&o->vocab);
    o->vocab.min_df = 2;
    tx_tfidf_params_init(&o->tfidf);
    while ((c = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        if ((r = cli_common_option(&o->com, c == 'q' ? CLI_QUIET : c,
                                   optarg)) != 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (c) {
        case O_MINDF:
            if (cli_long(prog, "--min-df", optarg, 1, 1L << 40, &v))
                return -1;
            o->vocab.min_df = v;
            break;
        case O_MAXDF:
            if (cli_double(prog, "--max-df", optarg, 1e-9, 1.0, &d))
                return -1;
            o->vocab.max_df = d;
            break;
        case O_MAXFEAT:
            if (cli_long(prog, "--max-features", optarg, 1, 1L << 40, &v))
                return -1;
            o->vocab.max_features = (size_t)v;
            break;
        case O_RAWTF: o->tfidf.sublinear_tf = 0; break;
        case O_NOSMOOTH: o->tfidf.smooth_idf = 0; break;
        case O_NONORM: o->tfidf.norm_l2 = 0; break;
        case O_DUMP: o->dump = 1; break;
        case 'o': o->out = optarg; break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(usage_common, stdout);
            fputs(usage_tail, stdout);
            exit(0);
        case O_VERSION:
            printf("tx-vectorize (libtext) %s\n", tx_version());
            exit(0);
        default:
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return -1;
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = argc - optind;
    if (o->n_inputs < 1 || (!o->out && !o->dump)) {
        fprintf(stderr, "%s: need INPUT... and -o OUT.h5 or --dump\n"
                        "Try '%s --help'.\n", prog, prog);
        return -1;
    }
    return 0;
}

struct dump_state {
    FILE *f;
    int first;
};

static int dump_token(void *ud, const tx_token *t)
{
    struct dump_state *s = ud;

    if (!s->first)
        fputc(' ', s->f);
    s->first = 0;
    fwrite(t->term, 1, t->term_len, s->f);
    return 0;
}

/* An id as a TSV field: tab, line breaks and backslash written as \t,
 * \n, \r and \\ (the text format of PostgreSQL's COPY), so every
 * document stays one line of two fields. */
static void tsv_id(const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '\t': fputs("\\t", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        default: putchar(*s);
        }
    putchar('\t');
}

/* Prints each document's terms: a view for people checking tokenization. */
static int dump(struct opts *o, tx_ctx *ctx, const tx_corpus *c)
{
    tx_tokenizer *tok = NULL;
    size_t i;
    int rc = tx_tokenizer_new(ctx, &o->com.tok, &tok);

    for (i = 0; rc == TX_OK && i < tx_corpus_size(c); i++) {
        struct dump_state s = {stdout, 1};
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        tsv_id(d.id);
        rc = tx_tokenize(tok, d.text, d.len, dump_token, &s);
        putchar('\n');
    }
    tx_tokenizer_free(tok);
    return rc;
}

static int vectorize(struct opts *o, tx_ctx *ctx, const tx_corpus *c)
{
    tx_vocab *vocab = NULL;
    tx_csr *counts = NULL, *tfidf = NULL;
    double *idf = NULL;
    tx_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = tx_vocab_fit(ctx, &o->com.tok, &o->vocab, c, &vocab, &counts);
    if (rc == TX_OK && tx_vocab_size(vocab) == 0) {
        fprintf(stderr, "%s: no terms remain after pruning (min-df %ld, "
                        "max-df %g); lower --min-df?\n",
                o->com.prog, o->vocab.min_df, o->vocab.max_df);
        rc = TX_EINVAL;
        goto done;
    }
    if (rc == TX_OK) {
        cli_progress_stage("weighting");
        idf = malloc(tx_vocab_size(vocab) * sizeof *idf);
        rc = idf ? tx_tfidf_idf(&o->tfidf, vocab, idf) : TX_ENOMEM;
    }
    if (rc == TX_OK)
        rc = tx_tfidf_apply(ctx, &o->tfidf, idf, counts, &tfidf);
    if (rc == TX_OK) {
        tx_h5_vectors v = {vocab, idf, tfidf, c, &o->com.tok, &o->vocab,
                           &o->tfidf};

        cli_progress_stage("writing");
        rc = cli_mpi_rank() == 0 ? tx_h5_save_vectors(ctx, o->out, &v, &d)
                                 : TX_OK; /* rank 0 writes */
        cli_progress_end();
        if (rc != TX_OK)
            fprintf(stderr, "%s: %s: %s\n", o->com.prog, o->out,
                    d.message[0] ? d.message : tx_strerror(rc));
    } else {
        cli_progress_end();
        fprintf(stderr, "%s: %s\n", o->com.prog, tx_strerror(rc));
    }
    if (rc == TX_OK && !o->com.quiet)
        fprintf(stderr, "%s: %zu terms (%zu pruned), %zu non-zeros\n",
                o->com.prog, tx_vocab_size(vocab), tx_vocab_pruned(vocab),
                tfidf->nnz);
done:
    free(idf);
    tx_csr_free(counts);
    tx_csr_free(tfidf);
    tx_vocab_free(vocab);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o;
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    int rc, status = 1;

    if (cli_mpi_start("tx-vectorize", &argc, &argv))
        return 2;
    memset(&o, 0, sizeof o);
    cli_common_init(&o.com, "tx-vectorize");
    if (opts_parse(&o, argc, argv) != 0) {
        cli_common_free(&o.com);
        return 2;
    }
    rc = tx_ctx_new(NULL, &ctx);
    if (rc == TX_OK)
        rc = tx_ctx_set_threads(ctx, (int)o.com.threads);
    if (rc == TX_OK && cli_mpi_attach(ctx))
        rc = TX_ECOMM;
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", o.com.prog, tx_strerror(rc));
        goto done;
    }
    if ((status = cli_common_check(&o.com, ctx)) != 0)
        goto done;
    status = 1;
    cli_progress_attach(ctx, o.com.prog);
    if (cli_common_load(&o.com, ctx, o.inputs, o.n_inputs, &c) != 0)
        goto done;
    rc = o.dump ? dump(&o, ctx, c) : TX_OK;
    if (rc == TX_OK && o.out)
        rc = vectorize(&o, ctx, c);
    status = rc == TX_OK ? 0 : 1;
    if (o.dump && cli_finish_stdout(o.com.prog) != 0)
        status = 1;
done:
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    cli_common_free(&o.com);
    return cli_mpi_end(status);
}
