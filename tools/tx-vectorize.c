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
"    stopwords are dropped; URLs, e-mail addresses, numbers and amounts of\n"
"    money become the placeholders _url_ _email_ _num_ _money_; a negator\n"
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
"\n"
"INPUT OPTIONS\n"
"    --format F        csv, tsv, jsonl, txt, turns, vtt, srt, or auto (by\n"
"                      extension; .txt is sniffed for speaker turns)\n"
"    --text-col NAME   column or JSON field holding the text (text)\n"
"    --id-col NAME     column holding document ids (id if present, else\n"
"                      the row number)\n"
"    --group-col NAME, --outcome-col NAME, --stage-col NAME, --time-col NAME\n"
"                      metadata carried with each document\n"
"    --interviewer NAME  transcript speaker whose turns are context, not\n"
"                      documents (default: detected)\n"
"    --strict-utf8     reject rows with invalid UTF-8 instead of repairing\n"
"                      them with U+FFFD\n"
"\n"
"TOKEN OPTIONS\n"
"    --lang L          Snowball stemmer language (english); --list-langs\n"
"    --no-stem         keep words unstemmed\n"
"    --no-stopwords    keep stopwords\n"
"    --stopwords FILE  one stopword per line, replacing the built-in list\n"
"    --no-negation     do not attach negators to the next word\n"
"    --no-placeholders keep URLs, e-mails and numbers as words\n"
"    --ngram MIN:MAX   word n-gram range (1:1)\n"
"    --min-token-len N shortest word kept, in characters (2)\n"
"\n"
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
"    --threads N       worker threads (1); results do not depend on it\n"
"    -q, --quiet       do not list rejected rows or the summary\n"
"                      (a progress line appears on a terminal after 1 s)\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 data or runtime error, 2 usage error.\n"
"\n"
"EXAMPLE\n"
"    tx-vectorize corpora/feedback.csv -o feedback.h5\n"
"    tx-vectorize --dump --no-stem interviews/\n";

enum {
    O_FORMAT = 256, O_TEXT, O_ID, O_GROUP, O_OUTCOME, O_STAGE, O_TIME,
    O_INTERVIEWER, O_STRICT, O_LANG, O_NOSTEM, O_NOSTOP, O_STOPFILE, O_NONEG,
    O_NOPH, O_NGRAM, O_MINLEN, O_MINDF, O_MAXDF, O_MAXFEAT, O_RAWTF,
    O_NOSMOOTH, O_NONORM, O_DUMP, O_THREADS, O_VERSION, O_LANGS
};

struct opts {
    const char *prog, *out, *stopfile;
    int dump, quiet;
    long threads;
    tx_corpus_params corpus;
    tx_tokenizer_params tok;
    tx_vocab_params vocab;
    tx_tfidf_params tfidf;
    char **inputs;
    int n_inputs;
};

static int parse_ngram(struct opts *o, const char *s)
{
    long a, b;
    char *colon = strchr(s, ':'), buf[32];

    snprintf(buf, sizeof buf, "%s", s);
    if (colon)
        buf[colon - s] = '\0';
    if (cli_long(o->prog, "--ngram", buf, 1, 8, &a))
        return -1;
    b = a;
    if (colon && cli_long(o->prog, "--ngram", colon + 1, a, 8, &b))
        return -1;
    o->tok.ngram_min = (int)a;
    o->tok.ngram_max = (int)b;
    return 0;
}

static int opts_parse(struct opts *o, int argc, char **argv)
{
    static const struct option lo[] = {
        {"format", 1, 0, O_FORMAT}, {"text-col", 1, 0, O_TEXT},
        {"id-col", 1, 0, O_ID}, {"group-col", 1, 0, O_GROUP},
        {"outcome-col", 1, 0, O_OUTCOME}, {"stage-col", 1, 0, O_STAGE},
        {"time-col", 1, 0, O_TIME}, {"interviewer", 1, 0, O_INTERVIEWER},
        {"strict-utf8", 0, 0, O_STRICT}, {"lang", 1, 0, O_LANG},
        {"no-stem", 0, 0, O_NOSTEM}, {"no-stopwords", 0, 0, O_NOSTOP},
        {"stopwords", 1, 0, O_STOPFILE}, {"no-negation", 0, 0, O_NONEG},
        {"no-placeholders", 0, 0, O_NOPH}, {"ngram", 1, 0, O_NGRAM},
        {"min-token-len", 1, 0, O_MINLEN}, {"min-df", 1, 0, O_MINDF},
        {"max-df", 1, 0, O_MAXDF}, {"max-features", 1, 0, O_MAXFEAT},
        {"raw-tf", 0, 0, O_RAWTF}, {"no-smooth-idf", 0, 0, O_NOSMOOTH},
        {"no-norm", 0, 0, O_NONORM}, {"dump", 0, 0, O_DUMP},
        {"threads", 1, 0, O_THREADS}, {"out", 1, 0, 'o'},
        {"quiet", 0, 0, 'q'}, {"help", 0, 0, 'h'},
        {"version", 0, 0, O_VERSION}, {"list-langs", 0, 0, O_LANGS},
        {0, 0, 0, 0}};
    long v;
    double d;
    int c;

    tx_corpus_params_init(&o->corpus);
    tx_tokenizer_params_init(&o->tok);
    tx_vocab_params_init(&o->vocab);
    o->vocab.min_df = 2;
    tx_tfidf_params_init(&o->tfidf);
    o->threads = 1;
    while ((c = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        switch (c) {
        case O_FORMAT:
            if (tx_format_parse(optarg, &o->corpus.format) != TX_OK) {
                fprintf(stderr, "%s: --format: unknown format '%s'\n",
                        o->prog, optarg);
                return -1;
            }
            break;
        case O_TEXT: o->corpus.text_col = optarg; break;
        case O_ID: o->corpus.id_col = optarg; break;
        case O_GROUP: o->corpus.group_col = optarg; break;
        case O_OUTCOME: o->corpus.outcome_col = optarg; break;
        case O_STAGE: o->corpus.stage_col = optarg; break;
        case O_TIME: o->corpus.time_col = optarg; break;
        case O_INTERVIEWER: o->corpus.interviewer = optarg; break;
        case O_STRICT: o->corpus.strict_utf8 = 1; break;
        case O_LANG: o->tok.lang = optarg; break;
        case O_NOSTEM: o->tok.stem = 0; break;
        case O_NOSTOP: o->tok.stopwords = 0; break;
        case O_STOPFILE: o->stopfile = optarg; break;
        case O_NONEG: o->tok.negation = 0; break;
        case O_NOPH: o->tok.placeholders = 0; break;
        case O_NGRAM:
            if (parse_ngram(o, optarg))
                return -1;
            break;
        case O_MINLEN:
            if (cli_long(o->prog, "--min-token-len", optarg, 0, 64, &v))
                return -1;
            o->tok.min_token_len = (int)v;
            break;
        case O_MINDF:
            if (cli_long(o->prog, "--min-df", optarg, 1, 1L << 40, &v))
                return -1;
            o->vocab.min_df = v;
            break;
        case O_MAXDF:
            if (cli_double(o->prog, "--max-df", optarg, 1e-9, 1.0, &d))
                return -1;
            o->vocab.max_df = d;
            break;
        case O_MAXFEAT:
            if (cli_long(o->prog, "--max-features", optarg, 1, 1L << 40, &v))
                return -1;
            o->vocab.max_features = (size_t)v;
            break;
        case O_RAWTF: o->tfidf.sublinear_tf = 0; break;
        case O_NOSMOOTH: o->tfidf.smooth_idf = 0; break;
        case O_NONORM: o->tfidf.norm_l2 = 0; break;
        case O_DUMP: o->dump = 1; break;
        case O_THREADS:
            if (cli_long(o->prog, "--threads", optarg, 1, 256, &o->threads))
                return -1;
            break;
        case 'o': o->out = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(usage_text, stdout); exit(0);
        case O_VERSION: printf("tx-vectorize (libtext) %s\n", tx_version());
            exit(0);
        case O_LANGS: {
            const char **l = tx_stem_languages();

            while (*l)
                puts(*l++);
            exit(0);
        }
        default:
            fprintf(stderr, "Try '%s --help'.\n", o->prog);
            return -1;
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = argc - optind;
    if (o->n_inputs < 1 || (!o->out && !o->dump)) {
        fprintf(stderr, "%s: need INPUT... and -o OUT.h5 or --dump\n"
                        "Try '%s --help'.\n", o->prog, o->prog);
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

/* Prints each document's terms: a view for people checking tokenization. */
static int dump(struct opts *o, tx_ctx *ctx, const tx_corpus *c)
{
    tx_tokenizer *tok = NULL;
    size_t i;
    int rc = tx_tokenizer_new(ctx, &o->tok, &tok);

    for (i = 0; rc == TX_OK && i < tx_corpus_size(c); i++) {
        struct dump_state s = {stdout, 1};
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        printf("%s\t", d.id);
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
    rc = tx_vocab_fit(ctx, &o->tok, &o->vocab, c, &vocab, &counts);
    if (rc == TX_OK && tx_vocab_size(vocab) == 0) {
        fprintf(stderr, "%s: no terms remain after pruning (min-df %ld, "
                        "max-df %g); lower --min-df?\n",
                o->prog, o->vocab.min_df, o->vocab.max_df);
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
        tx_h5_vectors v = {vocab, idf, tfidf, c, &o->tok, &o->vocab,
                           &o->tfidf};

        cli_progress_stage("writing");
        rc = tx_h5_save_vectors(ctx, o->out, &v, &d);
        cli_progress_end();
        if (rc != TX_OK)
            fprintf(stderr, "%s: %s: %s\n", o->prog, o->out,
                    d.message[0] ? d.message : tx_strerror(rc));
    } else {
        cli_progress_end();
        fprintf(stderr, "%s: %s\n", o->prog, tx_strerror(rc));
    }
    if (rc == TX_OK && !o->quiet)
        fprintf(stderr, "%s: %zu terms (%zu pruned), %zu non-zeros\n",
                o->prog, tx_vocab_size(vocab), tx_vocab_pruned(vocab),
                tfidf->nnz);
done:
    free(idf);
    tx_csr_free(ctx, counts);
    tx_csr_free(ctx, tfidf);
    tx_vocab_free(vocab);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o;
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    char **stop = NULL;
    int rc, status = 1;

    memset(&o, 0, sizeof o);
    o.prog = "tx-vectorize";
    if (opts_parse(&o, argc, argv) != 0)
        return 2;
    if (o.stopfile) {
        stop = cli_read_list(o.prog, o.stopfile);
        if (!stop)
            return 1;
        o.tok.stopword_list = (const char *const *)stop;
    }
    rc = tx_ctx_new(NULL, &ctx);
    if (rc == TX_OK)
        rc = tx_ctx_set_threads(ctx, (int)o.threads);
    if (rc == TX_OK) {
        /* Check --lang before reading a possibly large corpus. */
        tx_tokenizer *t = NULL;

        rc = tx_tokenizer_new(ctx, &o.tok, &t);
        tx_tokenizer_free(t);
        if (rc == TX_EINVAL) {
            fprintf(stderr, "%s: --lang: no stemmer for '%s' "
                            "(see --list-langs)\n", o.prog, o.tok.lang);
            status = 2;
            goto done;
        }
    }
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", o.prog, tx_strerror(rc));
        goto done;
    }
    cli_progress_attach(ctx, o.prog);
    cli_progress_stage("reading");
    if (cli_load_corpus(o.prog, ctx, &o.corpus, o.inputs, o.n_inputs,
                        o.quiet, &c) != 0)
        goto done;
    cli_progress_end();
    if (!o.quiet || tx_corpus_size(c) == 0)
        fprintf(stderr,
                "%s: %zu rows: %zu documents, %zu rejected, %zu repaired "
                "UTF-8, %zu interviewer turns as context\n",
                o.prog, tx_corpus_rows(c), tx_corpus_size(c),
                tx_corpus_reject_count(c), tx_corpus_repaired_count(c),
                tx_corpus_context_count(c));
    if (tx_corpus_size(c) == 0) {
        fprintf(stderr, "%s: no usable documents\n", o.prog);
        goto done;
    }
    rc = o.dump ? dump(&o, ctx, c) : TX_OK;
    if (rc == TX_OK && o.out)
        rc = vectorize(&o, ctx, c);
    status = rc == TX_OK ? 0 : 1;
done:
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    cli_free_list(stop);
    return status;
}
