/*
 * The themes model file (model.h5): vocabulary, idf, projection, word
 * vectors, centres, labels, terms and the merge tree, and the same for the
 * sub-themes, so tx-assign puts new documents into the fitted themes and
 * sub-themes. HDF5 is reached through store/tx_h5.c.
 */
#include "tx_themes_private.h"
#include "store/tx_h5_store.h"
#include "vectors/tx_vectors_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What describes themes (or sub-themes) xs[0..n), into the open group g:
 * labels, sizes, primary counts, stability, and every theme's terms one
 * after another with their count in n_terms. */
static int write_described(tx_ctx *ctx, tx__h5loc g,
                           const struct tx__theme *xs, size_t n)
{
    size_t i, j, nt = 0;
    const char **labels = tx__calloc(ctx, n + 1, sizeof *labels);
    int64_t *sizes = tx__calloc(ctx, n + 1, sizeof *sizes);
    int64_t *prim = tx__calloc(ctx, n + 1, sizeof *prim);
    int64_t *nterms = tx__calloc(ctx, n + 1, sizeof *nterms);
    float *stab = tx__calloc(ctx, n + 1, sizeof *stab);
    const char **tt = NULL;
    int rc = TX_ENOMEM;

    for (i = 0; i < n; i++)
        nt += xs[i].n_terms;
    tt = tx__calloc(ctx, nt + 1, sizeof *tt);
    if (labels && sizes && prim && nterms && stab && tt) {
        for (i = 0, nt = 0; i < n; i++) {
            labels[i] = xs[i].label;
            sizes[i] = (int64_t)xs[i].size;
            prim[i] = (int64_t)xs[i].primary;
            nterms[i] = (int64_t)xs[i].n_terms;
            stab[i] = xs[i].stability;
            for (j = 0; j < xs[i].n_terms; j++)
                tt[nt++] = xs[i].terms[j];
        }
        rc = tx__h5_write_strings(g, "labels", labels, n) ||
                     tx__h5_write(g, "sizes", TX__H5_I64, n, sizes) ||
                     tx__h5_write(g, "primary", TX__H5_I64, n, prim) ||
                     tx__h5_write(g, "stability", TX__H5_F32, n, stab) ||
                     tx__h5_write(g, "n_terms", TX__H5_I64, n, nterms) ||
                     tx__h5_write_strings(g, "terms", tt, nt)
                 ? TX_EHDF5
                 : TX_OK;
    }
    tx_free(ctx, labels);
    tx_free(ctx, sizes);
    tx_free(ctx, prim);
    tx_free(ctx, nterms);
    tx_free(ctx, stab);
    tx_free(ctx, tt);
    return rc;
}

/* /subthemes: centres and parent theme, and what describes them. */
static int write_subthemes(tx_ctx *ctx, tx__h5loc f, const tx_themes *th)
{
    size_t n = th->n_sub, i;
    int64_t *parent = tx__calloc(ctx, n + 1, sizeof *parent);
    tx__h5loc g = -1;
    int rc = TX_ENOMEM;

    if (parent) {
        for (i = 0; i < n; i++)
            parent[i] = th->sub[i].parent;
        rc = TX_EHDF5;
        g = tx__h5_group_new(f, "subthemes");
        if (g >= 0 && !tx__h5_write_mat(g, "centroids", th->sub_cent) &&
            !tx__h5_write(g, "parent", TX__H5_I64, n, parent))
            rc = write_described(ctx, g, th->sub, n);
    }
    if (g >= 0)
        tx__h5_group_close(g);
    tx_free(ctx, parent);
    return rc;
}

static int write_themes(tx_ctx *ctx, tx__h5loc f, const tx_themes *th)
{
    const tx_themes_params *p = &th->p;
    size_t V = tx_vocab_size(th->vocab), k = th->k, i;
    const char **terms = tx__calloc(ctx, V + 1, sizeof *terms);
    int64_t *df = tx__calloc(ctx, V + 1, sizeof *df);
    tx__h5loc g = -1;
    int rc = TX_ENOMEM;

    if (!terms || !df)
        goto done;
    for (i = 0; i < V; i++) {
        terms[i] = tx_vocab_term(th->vocab, i);
        df[i] = tx_vocab_df(th->vocab, i);
    }
    rc = TX_EHDF5;
    g = tx__h5_group_new(f, "vocab");
    if (g < 0 || tx__h5_write_strings(g, "terms", terms, V) ||
        tx__h5_write(g, "df", TX__H5_I64, V, df))
        goto done;
    tx__h5_group_close(g);
    g = -1;
    if (tx__h5_write(f, "idf", TX__H5_F64, V, th->idf))
        goto done;
    g = tx__h5_group_new(f, "embedding");
    if (g < 0 || (th->comp && tx__h5_write_mat(g, "components", th->comp)))
        goto done;
    if (th->wv && (tx__h5_write_mat(g, "word_vectors", th->wv) ||
                   tx__h5_write(g, "sif_weights", TX__H5_F32, V,
                              th->sif_w) ||
                   tx__h5_write(g, "common_component", TX__H5_F32,
                              th->wv->cols, th->pc)))
        goto done;
    tx__h5_group_close(g);
    g = tx__h5_group_new(f, "themes");
    if (g < 0 || tx__h5_write_mat(g, "centroids", th->cent) ||
        write_described(ctx, g, th->themes, k) != TX_OK ||
        (k > 1 && (tx__h5_write(g, "merge_a", TX__H5_U64, k - 1,
                              th->merge_a) ||
                   tx__h5_write(g, "merge_b", TX__H5_U64, k - 1,
                              th->merge_b) ||
                   tx__h5_write(g, "merge_similarity", TX__H5_F64,
                              k - 1, th->merge_sim))))
        goto done;
    tx__h5_group_close(g);
    g = -1;
    if (th->n_sub && write_subthemes(ctx, f, th) != TX_OK)
        goto done;
    if (th->stop) {
        size_t ns = 0;

        while (th->stop[ns])
            ns++;
        g = tx__h5_group_new(f, "tokenizer");
        if (g < 0 || tx__h5_write_strings(g, "stopwords", (const char **)th->stop,
                                   ns))
            goto done;
        tx__h5_group_close(g);
        g = -1;
    }
    rc = TX_OK;
    rc |= tx__h5_attr_long(f, "libtext_format", TX_H5_FORMAT);
    rc |= tx__h5_attr_str(f, "libtext_version", TX_VERSION_STRING);
    rc |= tx__h5_attr_str(f, "kind", "themes");
    rc |= tx__h5_attr_long(f, "n_docs", tx_vocab_n_docs(th->vocab));
    rc |= tx__h5_attr_str(f, "lang", p->tok.lang ? p->tok.lang : "");
    rc |= tx__h5_attr_long(f, "stem", p->tok.stem);
    rc |= tx__h5_attr_long(f, "stopwords", p->tok.stopwords);
    rc |= tx__h5_attr_long(f, "negation", p->tok.negation);
    rc |= tx__h5_attr_long(f, "placeholders", p->tok.placeholders);
    rc |= tx__h5_attr_long(f, "ngram_min", p->tok.ngram_min);
    rc |= tx__h5_attr_long(f, "ngram_max", p->tok.ngram_max);
    rc |= tx__h5_attr_long(f, "min_token_len", p->tok.min_token_len);
    rc |= tx__h5_attr_long(f, "sublinear_tf", p->tfidf.sublinear_tf);
    rc |= tx__h5_attr_long(f, "smooth_idf", p->tfidf.smooth_idf);
    rc |= tx__h5_attr_long(f, "norm_l2", p->tfidf.norm_l2);
    rc |= tx__h5_attr_long(f, "spherical", p->kmeans.spherical);
    rc |= tx__h5_attr_long(f, "k", (long)k);
    rc |= tx__h5_attr_long(f, "external_dim", (long)th->ext_dim);
    rc = rc ? TX_EHDF5 : TX_OK;
done:
    if (g >= 0)
        tx__h5_group_close(g);
    tx_free(ctx, terms);
    tx_free(ctx, df);
    return rc;
}

static int write_model(tx_ctx *ctx, tx__h5loc f, const void *arg)
{
    return write_themes(ctx, f, arg);
}

int tx_themes_save(tx_ctx *ctx, const tx_themes *th, const char *path,
                   tx_diag *diag)
{
    if (!ctx || !th || !path || !th->cent || (!th->comp && !th->ext_dim))
        return TX_EINVAL;
    return tx__h5_save(ctx, path, write_model, th, diag);
}

/* A theme's (or sub-theme's) label and terms, taken from the file's
 * arrays (their slots are cleared), with its size and stability; terms
 * start at tt[*o]. Primary counts are read later when the file has them. */
static int take_description(tx_ctx *ctx, struct tx__theme *x, char **label,
                            int64_t size, float stab, int64_t n_terms,
                            char **tt, size_t *o)
{
    size_t j;

    x->label = *label;
    *label = NULL;
    x->size = x->primary = (size_t)size;
    x->stability = stab;
    x->n_terms = (size_t)n_terms;
    x->terms = tx__calloc(ctx, x->n_terms + 1, sizeof *x->terms);
    x->scores = tx__calloc(ctx, x->n_terms + 1, sizeof *x->scores);
    if (!x->terms || !x->scores)
        return TX_ENOMEM;
    for (j = 0; j < x->n_terms; j++, (*o)++) {
        x->terms[j] = tt[*o];
        tt[*o] = NULL;
    }
    return TX_OK;
}

/* /subthemes, when the file has it: checked against the themes (parents
 * in order and below k, centres of the themes' width). */
static int load_subthemes(tx_ctx *ctx, tx__h5loc f, tx_themes *th)
{
    char **labels = NULL, **tt = NULL;
    int64_t *parent = NULL, *sizes = NULL, *nterms = NULL;
    float *stab = NULL;
    size_t n = 0, m, nt = 0, i, o;
    int rc;

    th->sub_first = tx__calloc(ctx, th->k + 1, sizeof *th->sub_first);
    if (!th->sub_first)
        return TX_ENOMEM;
    if (!tx__h5_exists(f, "subthemes"))
        return TX_OK;
    rc = tx__h5_read_mat(ctx, f, "subthemes/centroids", &th->sub_cent);
    if (rc == TX_OK && th->sub_cent->cols != th->cent->cols)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        n = th->sub_cent->rows;
#define READ(name, type, var, count)                                        \
    if (rc == TX_OK)                                                        \
        rc = tx__h5_read(ctx, f, name, type, sizeof *var, (void **)&var,    \
                         &m);                                               \
    if (rc == TX_OK && m != (count))                                        \
        rc = TX_EFORMAT
    READ("subthemes/parent", TX__H5_I64, parent, n);
    READ("subthemes/sizes", TX__H5_I64, sizes, n);
    READ("subthemes/stability", TX__H5_F32, stab, n);
    READ("subthemes/n_terms", TX__H5_I64, nterms, n);
#undef READ
    if (rc == TX_OK)
        rc = tx__h5_read_strings(ctx, f, "subthemes/labels", &labels, &m);
    if (rc == TX_OK && m != n)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx__h5_read_strings(ctx, f, "subthemes/terms", &tt, &nt);
    for (i = 0, o = 0; rc == TX_OK && i < n; i++) {
        if (parent[i] < 0 || (size_t)parent[i] >= th->k ||
            (i && parent[i] < parent[i - 1]) || sizes[i] < 0 ||
            nterms[i] < 0 || o + (size_t)nterms[i] > nt)
            rc = TX_EFORMAT;
        else
            o += (size_t)nterms[i];
    }
    if (rc == TX_OK && (!tx__finite_mat(th->sub_cent) ||
                        !tx__finite_f(stab, n)))
        rc = TX_EFORMAT;
    if (rc == TX_OK) {
        th->sub = tx__calloc(ctx, n + 1, sizeof *th->sub);
        rc = th->sub ? TX_OK : TX_ENOMEM;
    }
    for (i = 0, o = 0; rc == TX_OK && i < n; i++) {
        struct tx__theme *x = &th->sub[i];

        th->n_sub = i + 1;
        x->parent = (int32_t)parent[i];
        rc = take_description(ctx, x, &labels[i], sizes[i], stab[i],
                              nterms[i], tt, &o);
    }
    /* theme t's sub-themes start at the first with parent >= t */
    for (i = 0, o = 0; rc == TX_OK && i <= th->k; i++) {
        while (o < n && (size_t)parent[o] < i)
            o++;
        th->sub_first[i] = o;
    }
    tx__h5_strings_free(ctx, labels, n);
    tx__h5_strings_free(ctx, tt, nt);
    tx_free(ctx, parent);
    tx_free(ctx, sizes);
    tx_free(ctx, nterms);
    tx_free(ctx, stab);
    return rc;
}

/* Primary counts, when the file has them (else they stay the sizes). */
static int load_primary(tx_ctx *ctx, tx__h5loc f, const char *name,
                        struct tx__theme *xs, size_t k)
{
    int64_t *v = NULL;
    size_t n = 0, i;
    int rc;

    if (!tx__h5_exists(f, name))
        return TX_OK;
    rc = tx__h5_read(ctx, f, name, TX__H5_I64, sizeof *v, (void **)&v, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    for (i = 0; rc == TX_OK && i < k; i++) {
        if (v[i] < 0)
            rc = TX_EFORMAT;
        else
            xs[i].primary = (size_t)v[i];
    }
    tx_free(ctx, v);
    return rc;
}

/* An h5_reader: fills the tx_themes `arg`. */
static int load_themes(tx_ctx *ctx, tx__h5loc f, const char *path, void *arg,
                       tx_diag *diag)
{
    tx_themes *th = arg;
    char **terms = NULL, **labels = NULL, **tt = NULL, *kind = NULL;
    int64_t *df = NULL, *sizes = NULL, *nterms = NULL;
    float *stab = NULL;
    size_t V = 0, n, k = 0, nt = 0, i, o;
    long long fmt = 0, v = 0, n_docs = 0;
    tx_themes_params *p = &th->p;
    int rc;

    rc = tx__h5_attr_read_long(f, "libtext_format", &fmt);
    if (rc == TX_OK && fmt != TX_H5_FORMAT) {
        tx__diag_set(diag, path, 0,
                     "model format %lld, this libtext reads format %d; "
                     "refit the model with this version", fmt, TX_H5_FORMAT);
        return TX_EFORMAT;
    }
    if (rc == TX_OK)
        rc = tx__h5_attr_read_str(ctx, f, "kind", &kind);
    if (rc == TX_OK && strcmp(kind, "themes") != 0)
        rc = TX_EFORMAT;
    tx_free(ctx, kind);
    tx_themes_params_init(p);
    p->tok.lang = NULL; /* set below from the file */
#define ATTR(name, field)                                                   \
    if (rc == TX_OK && (rc = tx__h5_attr_read_long(f, name, &v)) == TX_OK)         \
        field = (int)v
    ATTR("stem", p->tok.stem);
    ATTR("stopwords", p->tok.stopwords);
    ATTR("negation", p->tok.negation);
    ATTR("placeholders", p->tok.placeholders);
    ATTR("ngram_min", p->tok.ngram_min);
    ATTR("ngram_max", p->tok.ngram_max);
    ATTR("min_token_len", p->tok.min_token_len);
    ATTR("sublinear_tf", p->tfidf.sublinear_tf);
    ATTR("smooth_idf", p->tfidf.smooth_idf);
    ATTR("norm_l2", p->tfidf.norm_l2);
    ATTR("spherical", p->kmeans.spherical);
#undef ATTR
    if (rc == TX_OK)
        rc = tx__h5_attr_read_long(f, "n_docs", &n_docs);
    if (rc == TX_OK)
        rc = tx__h5_attr_read_str(ctx, f, "lang", &th->lang);
    if (rc == TX_OK)
        p->tok.lang = th->lang[0] ? th->lang : NULL;
    if (rc == TX_OK)
        rc = tx__h5_read_strings(ctx, f, "vocab/terms", &terms, &V);
    if (rc == TX_OK)
        rc = tx__h5_read(ctx, f, "vocab/df", TX__H5_I64, sizeof(int64_t),
                       (void **)&df, &n);
    if (rc == TX_OK && n != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx_vocab_from_terms(ctx, (const char *const *)terms, df, V,
                                 (long)n_docs, &th->vocab);
    if (rc == TX_OK && tx_vocab_size(th->vocab) != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx__h5_read(ctx, f, "idf", TX__H5_F64, sizeof(double),
                       (void **)&th->idf, &n);
    if (rc == TX_OK && n != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK && tx__h5_attr_read_long(f, "external_dim", &v) == TX_OK && v > 0)
        th->ext_dim = (size_t)v;
    if (rc == TX_OK && !th->ext_dim)
        rc = tx__h5_read_mat(ctx, f, "embedding/components", &th->comp);
    if (rc == TX_OK && th->comp && th->comp->cols != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK && th->comp)
        rc = tx__svd_components_t(ctx, th->comp, &th->comp_t);
    if (rc == TX_OK && tx__h5_exists(f, "embedding/word_vectors")) {
        rc = tx__h5_read_mat(ctx, f, "embedding/word_vectors", &th->wv);
        if (rc == TX_OK && th->wv->rows != V)
            rc = TX_EFORMAT;
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "embedding/sif_weights", TX__H5_F32,
                           sizeof(float), (void **)&th->sif_w, &n);
        if (rc == TX_OK && n != V)
            rc = TX_EFORMAT;
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "embedding/common_component",
                           TX__H5_F32, sizeof(float),
                           (void **)&th->pc, &n);
        if (rc == TX_OK && n != th->wv->cols)
            rc = TX_EFORMAT;
    }
    p->use_wordvec = th->wv != NULL;
    if (rc == TX_OK)
        rc = tx__h5_read_mat(ctx, f, "themes/centroids", &th->cent);
    if (rc == TX_OK &&
        th->cent->cols != (th->ext_dim ? th->ext_dim
                                       : th->comp->rows +
                                             (th->wv ? th->wv->cols : 0)))
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx__h5_read_strings(ctx, f, "themes/labels", &labels, &k);
    if (rc == TX_OK)
        rc = tx__h5_read(ctx, f, "themes/sizes", TX__H5_I64,
                       sizeof(int64_t), (void **)&sizes, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx__h5_read(ctx, f, "themes/stability", TX__H5_F32,
                       sizeof(float), (void **)&stab, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx__h5_read(ctx, f, "themes/n_terms", TX__H5_I64,
                       sizeof(int64_t), (void **)&nterms, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx__h5_read_strings(ctx, f, "themes/terms", &tt, &nt);
    if (rc == TX_OK && (k != th->cent->rows || k == 0))
        rc = TX_EFORMAT;
    for (i = 0, o = 0; rc == TX_OK && i < k; i++) {
        if (nterms[i] < 0 || o + (size_t)nterms[i] > nt)
            rc = TX_EFORMAT;
        else
            o += (size_t)nterms[i];
    }
    if (rc == TX_OK && k > 1) {
        size_t na = 0, nb = 0, ns = 0;

        rc = tx__h5_read(ctx, f, "themes/merge_a", TX__H5_U64,
                       sizeof(size_t), (void **)&th->merge_a, &na);
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "themes/merge_b", TX__H5_U64,
                           sizeof(size_t), (void **)&th->merge_b, &nb);
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "themes/merge_similarity",
                           TX__H5_F64, sizeof(double),
                           (void **)&th->merge_sim, &ns);
        if (rc == TX_OK && (na != k - 1 || nb != k - 1 || ns != k - 1))
            rc = TX_EFORMAT;
        for (i = 0; rc == TX_OK && i + 1 < k; i++) /* nodes before use */
            if (th->merge_a[i] >= k + i || th->merge_b[i] >= k + i)
                rc = TX_EFORMAT;
    }
    /* Numbers that are not finite would quietly spoil every assignment. */
    if (rc == TX_OK &&
        (!tx__finite_d(th->idf, V) || !tx__finite_mat(th->comp) ||
         !tx__finite_mat(th->wv) || !tx__finite_f(th->sif_w, th->wv ? V : 0) ||
         !tx__finite_f(th->pc, th->wv ? th->wv->cols : 0) ||
         !tx__finite_mat(th->cent) || !tx__finite_f(stab, k) ||
         !tx__finite_d(th->merge_sim, k > 1 ? k - 1 : 0))) {
        tx__diag_set(diag, path, 0, "damaged model: a stored number is not "
                                    "finite");
        rc = TX_EFORMAT;
    }
    for (i = 0; rc == TX_OK && i < k; i++)
        if (sizes[i] < 0)
            rc = TX_EFORMAT;
    if (rc == TX_OK && tx__h5_exists(f, "tokenizer")) {
        rc = tx__h5_read_strings(ctx, f, "tokenizer/stopwords", &th->stop, &n);
        p->tok.stopword_list = (const char *const *)th->stop;
    }
    if (rc == TX_OK) {
        th->themes = tx__calloc(ctx, k + 1, sizeof *th->themes);
        rc = th->themes ? TX_OK : TX_ENOMEM;
    }
    if (rc == TX_OK) {
        th->k = k;
        p->kmeans.k = k;
        for (i = 0, o = 0; i < k; i++) {
            rc = take_description(ctx, &th->themes[i], &labels[i], sizes[i],
                                  stab[i], nterms[i], tt, &o);
            if (rc != TX_OK)
                break;
        }
    }
    if (rc == TX_OK)
        rc = load_subthemes(ctx, f, th);
    if (rc == TX_OK)
        rc = load_primary(ctx, f, "themes/primary", th->themes, th->k);
    if (rc == TX_OK && th->n_sub)
        rc = load_primary(ctx, f, "subthemes/primary", th->sub, th->n_sub);
    if (rc == TX_EFORMAT && diag && !diag->message[0])
        tx__diag_set(diag, path, 0,
                     "not a libtext themes model, or damaged");
    tx__h5_strings_free(ctx, terms, V);
    tx__h5_strings_free(ctx, labels, k);
    tx__h5_strings_free(ctx, tt, nt);
    tx_free(ctx, df);
    tx_free(ctx, sizes);
    tx_free(ctx, nterms);
    tx_free(ctx, stab);
    return rc;
}

int tx_themes_load(tx_ctx *ctx, const char *path, tx_themes **out,
                   tx_diag *diag)
{
    tx_themes *th;
    int rc;

    if (!ctx || !path || !out)
        return TX_EINVAL;
    *out = NULL;
    th = tx__calloc(ctx, 1, sizeof *th);
    if (!th)
        return TX_ENOMEM;
    th->ctx = ctx;
    rc = tx__h5_load(ctx, path, load_themes, th,
                   "not an HDF5 file (missing or damaged)",
                   "cannot open HDF5 file (damaged?)", diag);
    if (rc != TX_OK) {
        tx__themes_free(th);
        return rc;
    }
    *out = th;
    return TX_OK;
}
