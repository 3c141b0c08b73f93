/* tx-eval: compare a clustering with known labels. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"NAME\n"
"    tx-eval - score themes against known labels\n"
"\n"
"SYNOPSIS\n"
"    tx-eval --labels FILE --pred FILE [OPTION]...\n"
"\n"
"DESCRIPTION\n"
"    Joins the two files on their id column and prints NMI (mutual\n"
"    information over the mean entropy, as scikit-learn), ARI, ACC (the\n"
"    share of rows right under the best one-to-one matching of themes to\n"
"    labels, Hungarian algorithm), V-measure, homogeneity and completeness.\n"
"    A file is CSV/TSV/JSONL with a header (ids from --id-col, default id,\n"
"    else the row number) or text with one label per line (id = line\n"
"    number). Theme -1 counts as a cluster of its own. Rows found in only\n"
"    one file are reported and left out; an id given twice in either file\n"
"    is an error.\n"
"\n"
"    To score the specific level of a two-level taxonomy, use --leaves on\n"
"    assignments.csv: a row counts in its sub-theme, or in its theme when\n"
"    that theme has no sub-themes (subtheme -1). Scoring --pred-col\n"
"    subtheme as it is would put every unsplit theme's rows in one group.\n"
"\n"
"OPTIONS\n"
"    --labels FILE     true labels\n"
"    --pred FILE       predicted themes (e.g. assignments.csv)\n"
"    --label-col NAME  label column of --labels (label)\n"
"    --pred-col NAME   theme column of --pred (theme)\n"
"    --leaves          score the leaves: --pred's subtheme column, or its\n"
"                      --pred-col column where subtheme is -1\n"
"    --id-col NAME     id column of both (id)\n"
"    -h, --help        show this help;  --version  show the version\n"
"\n"
"EXIT STATUS\n"
"    0 success, 1 data error (unreadable file, no common ids), 2 usage.\n";

enum { O_LABELS = 256, O_PRED, O_LCOL, O_PCOL, O_IDCOL, O_LEAVES, O_VERSION };

/* Reads id -> value pairs from a file through the corpus reader. */
static tx_corpus *read_pairs(tx_ctx *ctx, const char *path, const char *col,
                             const char *idcol)
{
    tx_corpus_params p;
    tx_corpus *c = NULL;
    tx_diag d;

    tx_corpus_params_init(&p);
    p.text_col = col;
    p.id_col = idcol;
    memset(&d, 0, sizeof d);
    if (tx_corpus_new(ctx, &p, &c) != TX_OK ||
        tx_corpus_add_file(c, path, &d) != TX_OK) {
        if (d.line > 0)
            fprintf(stderr, "tx-eval: %s:%ld: %s\n", d.file, d.line,
                    d.message);
        else
            fprintf(stderr, "tx-eval: %s: %s\n", path,
                    d.message[0] ? d.message : "cannot read");
        tx_corpus_free(c);
        return NULL;
    }
    return c;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Dense ids for strings: position in the sorted distinct list. */
static int dense_id(char **sorted, size_t n, const char *s)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sorted[mid], s);

        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static char **distinct(const char **v, size_t n, size_t *out_n)
{
    char **s = malloc((n + 1) * sizeof *s);
    size_t i, m = 0;

    if (!s)
        return NULL;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_str);
    for (i = 0; i < n; i++)
        if (m == 0 || strcmp(s[m - 1], s[i]) != 0)
            s[m++] = s[i];
    *out_n = m;
    return s;
}

struct pair {
    const char *id, *value;
};

/* With --leaves: each row's sub-theme, or "theme-T" where its theme has
 * none; sub has the subtheme column of the same rows as themes. The new
 * strings go to *own (free each, then it). Returns non-zero without
 * memory, or when the two columns do not give the same rows. */
static int leaves(const tx_corpus *sub, const tx_corpus *themes,
                  struct pair *pp, char ***own)
{
    size_t n = tx_corpus_size(sub), i;

    *own = calloc(n + 1, sizeof **own);
    if (!*own || tx_corpus_size(themes) != n)
        return 1;
    for (i = 0; i < n; i++) {
        tx_doc s, t;

        tx_corpus_doc(sub, i, &s);
        tx_corpus_doc(themes, i, &t);
        if (strcmp(s.id, t.id) != 0)
            return 1;
        if (strcmp(s.text, "-1") == 0 && strcmp(t.text, "-1") != 0) {
            size_t len = strlen(t.text) + 7;

            if (!((*own)[i] = malloc(len)))
                return 1;
            snprintf((*own)[i], len, "theme-%s", t.text);
            pp[i].value = (*own)[i];
        }
    }
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->id, ((const struct pair *)b)->id);
}

/* An id that two rows of a sorted array share, or NULL. */
static const char *duplicate_id(const struct pair *v, size_t n)
{
    size_t i;

    for (i = 1; i < n; i++)
        if (strcmp(v[i - 1].id, v[i].id) == 0)
            return v[i].id;
    return NULL;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"labels", 1, 0, O_LABELS}, {"pred", 1, 0, O_PRED},
        {"label-col", 1, 0, O_LCOL}, {"pred-col", 1, 0, O_PCOL},
        {"id-col", 1, 0, O_IDCOL}, {"leaves", 0, 0, O_LEAVES},
        {"help", 0, 0, 'h'},
        {"version", 0, 0, O_VERSION}, {0, 0, 0, 0}};
    const char *lf = NULL, *pf = NULL, *lcol = "label", *pcol = "theme";
    const char *idcol = NULL;
    tx_ctx *ctx = NULL;
    tx_corpus *lc = NULL, *pc = NULL, *tc = NULL;
    char **own = NULL;
    int by_leaf = 0;
    struct pair *pp = NULL, *lp = NULL;
    const char *dup;
    const char **lv = NULL, **pv = NULL;
    char **ld = NULL, **pd = NULL;
    int32_t *truth = NULL, *pred = NULL;
    size_t n = 0, i, nl = 0, np = 0, nld, npd, only_l = 0, only_p = 0;
    tx_eval_scores s;
    int opt, status = 1;

    if (cli_mpi_alone("tx-eval"))
        return 2;
    while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (opt) {
        case O_LABELS: lf = optarg; break;
        case O_PRED: pf = optarg; break;
        case O_LCOL: lcol = optarg; break;
        case O_PCOL: pcol = optarg; break;
        case O_IDCOL: idcol = optarg; break;
        case O_LEAVES: by_leaf = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case O_VERSION: printf("tx-eval (libtext) %s\n", tx_version());
            return 0;
        default:
            fprintf(stderr, "Try 'tx-eval --help'.\n");
            return 2;
        }
    }
    if (!lf || !pf || optind != argc) {
        fprintf(stderr, "tx-eval: need --labels FILE and --pred FILE\n"
                        "Try 'tx-eval --help'.\n");
        return 2;
    }
    if (tx_ctx_new(NULL, &ctx) != TX_OK)
        return 1;
    lc = read_pairs(ctx, lf, lcol, idcol);
    pc = lc ? read_pairs(ctx, pf, by_leaf ? "subtheme" : pcol, idcol) : NULL;
    tc = pc && by_leaf ? read_pairs(ctx, pf, pcol, idcol) : NULL;
    if (!lc || !pc || (by_leaf && !tc))
        goto done;
    nl = tx_corpus_size(lc);
    np = tx_corpus_size(pc);
    pp = malloc((np + 1) * sizeof *pp);
    lp = malloc((nl + 1) * sizeof *lp);
    lv = malloc((nl + 1) * sizeof *lv);
    pv = malloc((nl + 1) * sizeof *pv);
    if (!pp || !lp || !lv || !pv)
        goto done;
    for (i = 0; i < np; i++) {
        tx_doc d;

        tx_corpus_doc(pc, i, &d);
        pp[i] = (struct pair){d.id, d.text};
    }
    if (by_leaf && leaves(pc, tc, pp, &own)) {
        fprintf(stderr, "tx-eval: %s: cannot read its leaves (columns "
                        "subtheme and %s)\n", pf, pcol);
        goto done;
    }
    for (i = 0; i < nl; i++) {
        tx_doc d;

        tx_corpus_doc(lc, i, &d);
        lp[i] = (struct pair){d.id, d.text};
    }
    /* Pairs are matched by id, so an id given twice has no one answer. */
    qsort(pp, np, sizeof *pp, cmp_pair);
    qsort(lp, nl, sizeof *lp, cmp_pair);
    if ((dup = duplicate_id(lp, nl)) != NULL ||
        (dup = duplicate_id(pp, np)) != NULL) {
        fprintf(stderr, "tx-eval: %s: id '%s' appears more than once\n",
                duplicate_id(lp, nl) ? lf : pf, dup);
        goto done;
    }
    for (i = 0; i < nl; i++) {
        tx_doc d;
        struct pair key, *hit;

        tx_corpus_doc(lc, i, &d);
        key.id = d.id;
        hit = bsearch(&key, pp, np, sizeof *pp, cmp_pair);
        if (!hit) {
            only_l++;
            continue;
        }
        lv[n] = d.text;
        pv[n++] = hit->value;
    }
    for (i = 0; i < np; i++)
        only_p += bsearch(&pp[i], lp, nl, sizeof *lp, cmp_pair) == NULL;
    if (only_l)
        fprintf(stderr, "tx-eval: %zu ids of %s are not in %s; left out\n",
                only_l, lf, pf);
    if (only_p)
        fprintf(stderr, "tx-eval: %zu ids of %s are not in %s; left out\n",
                only_p, pf, lf);
    if (n == 0) {
        fprintf(stderr, "tx-eval: no common ids between %s and %s\n", lf, pf);
        goto done;
    }
    ld = distinct(lv, n, &nld);
    pd = distinct(pv, n, &npd);
    truth = malloc(n * sizeof *truth);
    pred = malloc(n * sizeof *pred);
    if (!ld || !pd || !truth || !pred)
        goto done;
    for (i = 0; i < n; i++) {
        truth[i] = dense_id(ld, nld, lv[i]);
        pred[i] = dense_id(pd, npd, pv[i]);
    }
    if (tx_eval_labels(ctx, truth, pred, n, &s) != TX_OK) {
        fprintf(stderr, "tx-eval: cannot score\n");
        goto done;
    }
    printf("rows %zu\nlabels %zu\nclusters %zu\nNMI %.4f\nARI %.4f\n"
           "ACC %.4f\nV-measure %.4f\nhomogeneity %.4f\ncompleteness %.4f\n",
           n, nld, npd, s.nmi, s.ari, s.acc, s.v_measure, s.homogeneity,
           s.completeness);
    status = 0;
done:
    free(pp);
    free(lp);
    free(lv);
    free(pv);
    free(ld);
    free(pd);
    free(truth);
    free(pred);
    for (i = 0; own && i < np; i++)
        free(own[i]);
    free(own);
    tx_corpus_free(lc);
    tx_corpus_free(pc);
    tx_corpus_free(tc);
    tx_ctx_free(ctx);
    return status;
}
