/* tx-train-causes: train the cause detector that tx-causes uses. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"NAME\n"
"    tx-train-causes - train the cause detector\n"
"\n"
"SYNOPSIS\n"
"    tx-train-causes --sentences FILE --spans FILE -o MODEL.h5 [OPTION]...\n"
"\n"
"DESCRIPTION\n"
"    Trains the sentence classifier (does a sentence state a cause?) on\n"
"    --sentences, a CSV with columns text and label (1 causal, 0 not), and\n"
"    the signal and cause/effect taggers on --spans, a CSV whose column\n"
"    text_w_pairs marks spans as the Causal News Corpus does:\n"
"    <ARG0>cause</ARG0>, <ARG1>effect</ARG1>, <SIG0>cue</SIG0>. Rows\n"
"    repeating the sentence before them are its other relations: the\n"
"    first row's cause and effect train the span tagger, and every row's\n"
"    cue trains the signal tagger. Rows whose tags do not open and close\n"
"    in pairs are skipped (each named on stderr). Labels other than 0\n"
"    and 1 are an error.\n"
"    `make models` runs this on the Causal News Corpus V2.\n"
"    On success it prints, and the model records, how well the sentence\n"
"    classifier found the causal sentences of each fifth of the training\n"
"    sentences while trained on the other four (precision, recall, F1):\n"
"    what to expect on new text like the training text.\n"
"    Training is deterministic for a seed.\n"
"\n"
"OPTIONS\n"
"    --sentences FILE  sentence labels (repeatable)\n"
"    --spans FILE      marked spans (repeatable)\n"
"    --text-col NAME   text column of --sentences (text)\n"
"    --label-col NAME  label column of --sentences (label)\n"
"    --marked-col NAME marked column of --spans (text_w_pairs)\n"
"    --complaints FILE complaint labels (repeatable): a CSV with the\n"
"                      columns of --sentences, label 1 complaint, 0 not;\n"
"                      trains the complaint classifier (without it the\n"
"                      model decides by its word lists)\n"
"    --seed N          random seed (1)\n"
"    --seeds N         average the models trained with seeds N..N+S-1 (5):\n"
"                      one linear model, steadier than any one seed\n"
"    --epochs N        classifier passes (6)\n"
"    --tagger-epochs N tagger passes (20)\n"
"    --bits N          2^N hashed weights per model (22)\n"
"    -o, --out FILE    the model to write (HDF5)\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 data or runtime error, 2 usage error.\n";

enum { O_VERSION = 256, O_SENT, O_SPANS, O_TEXT, O_LABEL, O_MARKED, O_SEED,
       O_EPOCHS, O_TEPOCHS, O_BITS, O_SEEDS, O_COMPLAINTS };

struct examples {
    tx_cause_example *e;
    size_t n, cap;
};

static int push(struct examples *x, const tx_cause_example *e)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 1024;
        void *p = realloc(x->e, cap * sizeof *x->e);
        if (!p)
            return -1;
        x->e = p;
        x->cap = cap;
    }
    x->e[x->n++] = *e;
    return 0;
}

static int load(tx_ctx *ctx, const char *path, const char *text_col,
                const char *label_col, tx_corpus **out)
{
    tx_corpus_params p;

    tx_corpus_params_init(&p);
    p.format = TX_FORMAT_CSV;
    p.text_col = text_col;
    p.outcome_col = label_col;
    return cli_load_corpus("tx-train-causes", ctx, &p, (char **)&path, 1, 0,
                           out);
}

/* Texts labelled 0 or 1 from `path` into `x` (the corpus, which owns the
 * text, is kept in corp[*n_corp]). */
static int load_labelled(tx_ctx *ctx, const char *path, const char *text_col,
                         const char *label_col, tx_corpus **corp, int *n_corp,
                         struct examples *x)
{
    tx_corpus *c;
    size_t k;

    if (load(ctx, path, text_col, label_col, &c))
        return -1;
    corp[(*n_corp)++] = c;
    for (k = 0; k < tx_corpus_size(c); k++) {
        tx_doc doc;
        tx_cause_example e;
        tx_corpus_doc(c, k, &doc);
        if (!doc.has_outcome || (doc.outcome != 0.0 && doc.outcome != 1.0)) {
            fprintf(stderr, "tx-train-causes: %s:%ld: the label must be 0 "
                    "or 1\n", doc.file, doc.line);
            return -1;
        }
        memset(&e, 0, sizeof e);
        e.text = doc.text;
        e.len = doc.len;
        e.causal = doc.outcome > 0.5;
        if (push(x, &e))
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"sentences", 1, 0, O_SENT}, {"spans", 1, 0, O_SPANS},
        {"text-col", 1, 0, O_TEXT}, {"label-col", 1, 0, O_LABEL},
        {"marked-col", 1, 0, O_MARKED}, {"seed", 1, 0, O_SEED},
        {"epochs", 1, 0, O_EPOCHS}, {"tagger-epochs", 1, 0, O_TEPOCHS},
        {"bits", 1, 0, O_BITS}, {"seeds", 1, 0, O_SEEDS},
        {"complaints", 1, 0, O_COMPLAINTS},
        {"out", 1, 0, 'o'}, {"help", 0, 0, 'h'},
        {"version", 0, 0, O_VERSION}, {0, 0, 0, 0}};
    const char *sent_files[16], *span_files[16], *cmp_files[16];
    const char *out = NULL;
    const char *text_col = "text", *label_col = "label";
    const char *marked_col = "text_w_pairs";
    int n_sent = 0, n_span = 0, n_cmp = 0, opt, status = 1, i;
    long seed = 1, v;
    tx_cause_train_params tp;
    struct examples se = {0}, sp = {0}, ce = {0};
    tx_corpus *corp[48];
    int n_corp = 0;
    tx_cause_model *m = NULL;
    tx_ctx *ctx = NULL;
    tx_diag d;
    char note[1024] = "";
    size_t k, skipped = 0, n_span_sent = 0;
    int rc;

    if (cli_mpi_alone("tx-train-causes"))
        return 2;
    tx_cause_train_params_init(&tp);
    while ((opt = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
        switch (opt) {
        case O_SENT:
        case O_SPANS:
        case O_COMPLAINTS:
            if ((opt == O_SENT ? n_sent : opt == O_SPANS ? n_span : n_cmp) ==
                16) {
                fprintf(stderr, "tx-train-causes: at most 16 files each\n");
                return 2;
            }
            if (opt == O_SENT)
                sent_files[n_sent++] = optarg;
            else if (opt == O_SPANS)
                span_files[n_span++] = optarg;
            else
                cmp_files[n_cmp++] = optarg;
            break;
        case O_TEXT: text_col = optarg; break;
        case O_LABEL: label_col = optarg; break;
        case O_MARKED: marked_col = optarg; break;
        case O_SEED:
            if (cli_long("tx-train-causes", "--seed", optarg, 0, 1L << 40,
                         &seed))
                return 2;
            break;
        case O_SEEDS:
            if (cli_long("tx-train-causes", "--seeds", optarg, 1, 64, &v))
                return 2;
            tp.seeds = (int)v;
            break;
        case O_EPOCHS: case O_TEPOCHS: case O_BITS:
            if (cli_long("tx-train-causes", "option", optarg,
                         opt == O_BITS ? 12 : 0, opt == O_BITS ? 26 : 1000,
                         &v))
                return 2;
            if (opt == O_EPOCHS) tp.epochs = (int)v;
            else if (opt == O_TEPOCHS) tp.tagger_epochs = (int)v;
            else tp.bits = (int)v;
            break;
        case 'o': out = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case O_VERSION:
            printf("tx-train-causes (libtext) %s\n", tx_version());
            return 0;
        default:
            fprintf(stderr, "Try 'tx-train-causes --help'.\n");
            return 2;
        }
    }
    if (!out || !n_sent || !n_span || optind != argc) {
        fprintf(stderr, "tx-train-causes: need --sentences, --spans and -o\n"
                        "Try 'tx-train-causes --help'.\n");
        return 2;
    }
    if (tx_ctx_new(NULL, &ctx) != TX_OK)
        return 1;
    tx_ctx_set_seed(ctx, (uint64_t)seed);
    for (i = 0; i < n_sent; i++)
        if (load_labelled(ctx, sent_files[i], text_col, label_col, corp,
                          &n_corp, &se))
            goto done;
    for (i = 0; i < n_cmp; i++)
        if (load_labelled(ctx, cmp_files[i], text_col, label_col, corp,
                          &n_corp, &ce))
            goto done;
    if (n_cmp) {
        /* said before the long training, not after */
        size_t pos = 0;
        for (k = 0; k < ce.n; k++)
            pos += ce.e[k].causal != 0;
        if (pos == 0 || pos == ce.n) {
            fprintf(stderr, "tx-train-causes: --complaints: %zu usable "
                    "labels, %zu of them 1; the complaint classifier needs "
                    "texts labelled 1 and texts labelled 0\n", ce.n, pos);
            goto done;
        }
    }
    for (i = 0; i < n_span; i++) {
        tx_corpus *c;
        const char *prev = NULL;
        if (load(ctx, span_files[i], marked_col, NULL, &c))
            goto done;
        corp[n_corp++] = c;
        for (k = 0; k < tx_corpus_size(c); k++) {
            tx_doc doc;
            tx_cause_example e;
            tx_corpus_doc(c, k, &doc);
            rc = tx_cause_parse_marked(ctx, doc.text, doc.len, &e);
            if (rc == TX_EFORMAT) {
                fprintf(stderr, "tx-train-causes: %s:%ld: row skipped: "
                        "mark-up tags not opened and closed in pairs\n",
                        doc.file, doc.line);
                skipped++;
                continue;
            }
            if (rc != TX_OK)
                goto done;
            if (!e.has_spans) {
                tx_free(ctx, (void *)e.text);
                continue;
            }
            /* rows in a row with the same text are one sentence's
             * relations; the library learns every relation's signal */
            n_span_sent += !prev || strcmp(prev, e.text) != 0;
            prev = e.text;
            if (push(&sp, &e))
                goto done;
        }
    }
    rc = tx_cause_model_train(ctx, &tp, se.e, se.n, sp.e, sp.n, &m);
    if (rc != TX_OK) {
        fprintf(stderr, "tx-train-causes: training failed: %s\n",
                tx_strerror(rc));
        goto done;
    }
    if (rc == TX_OK && n_cmp)
        rc = tx_cause_model_train_complaints(ctx, &tp, m, ce.e, ce.n);
    if (rc != TX_OK) {
        fprintf(stderr, "tx-train-causes: training the complaint classifier "
                "failed: %s\n", tx_strerror(rc));
        goto done;
    }
    if (skipped)
        fprintf(stderr, "tx-train-causes: %zu rows with broken mark-up "
                "skipped\n", skipped);
    snprintf(note, sizeof note, "%zu labelled sentences, %zu sentences with "
             "spans (%zu relations), %zu complaint labels; seeds %ld-%ld "
             "averaged", se.n, n_span_sent, sp.n, ce.n, seed,
             seed + tp.seeds - 1);
    memset(&d, 0, sizeof d);
    rc = tx_cause_model_save(ctx, m, out, note, &d);
    if (rc != TX_OK) {
        fprintf(stderr, "tx-train-causes: %s: %s\n", out,
                d.message[0] ? d.message : tx_strerror(rc));
        goto done;
    }
    fprintf(stderr, "tx-train-causes: %s: %s\n", out, note);
    {
        double qp, qr, qf;
        if (tx_cause_model_quality(m, &qp, &qr, &qf) == TX_OK)
            fprintf(stderr, "tx-train-causes: causal sentences found in "
                    "held-out fifths of the training sentences: precision "
                    "%.3f, recall %.3f, F1 %.3f\n", qp, qr, qf);
    }
    {
        double qp, qr, qf;
        if (tx_cause_model_complaint_quality(m, &qp, &qr, &qf) == TX_OK)
            fprintf(stderr, "tx-train-causes: complaints found in held-out "
                    "fifths of the complaint labels: precision %.3f, recall "
                    "%.3f, F1 %.3f\n", qp, qr, qf);
    }
    status = 0;
done:
    for (k = 0; k < sp.n; k++)
        tx_free(ctx, (void *)sp.e[k].text);
    free(sp.e);
    free(se.e);
    free(ce.e);
    tx_cause_model_free(m);
    for (i = 0; i < n_corp; i++)
        tx_corpus_free(corp[i]);
    tx_ctx_free(ctx);
    return status;
}
