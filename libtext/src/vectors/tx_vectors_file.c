/*
 * The vectors file (tx-vectorize -o): the layout of ARCHITECTURE.md,
 * readable with h5py:
 *   /vocab/terms, /vocab/surface (variable-length UTF-8), /vocab/df (int64),
 *   /idf (float64), /tfidf/{data (float32), indices (int32), indptr (int64),
 *   shape (int64[2])} (scipy's CSR convention), /docs/ids, /docs/groups,
 *   /docs/rejected_{ids,reasons,files,lines}, parameters as root attributes.
 * HDF5 itself is reached only through store/tx_h5.c.
 */
#include "store/tx_h5_store.h"
#include "tx_vectors_private.h"

#include <stdlib.h>
#include <string.h>

static int write_params(tx__h5loc f, const tx_h5_vectors *v)
{
    int rc = TX_OK;

    rc |= tx__h5_attr_long(f, "libtext_format", TX_H5_FORMAT);
    rc |= tx__h5_attr_str(f, "libtext_version", TX_VERSION_STRING);
    rc |= tx__h5_attr_long(f, "n_docs", tx_vocab_n_docs(v->vocab));
    if (v->tok) {
        rc |= tx__h5_attr_str(f, "lang", v->tok->lang ? v->tok->lang : "");
        rc |= tx__h5_attr_long(f, "stem", v->tok->stem);
        rc |= tx__h5_attr_long(f, "stopwords", v->tok->stopwords);
        rc |= tx__h5_attr_long(f, "negation", v->tok->negation);
        rc |= tx__h5_attr_long(f, "placeholders", v->tok->placeholders);
        rc |= tx__h5_attr_long(f, "ngram_min", v->tok->ngram_min);
        rc |= tx__h5_attr_long(f, "ngram_max", v->tok->ngram_max);
        rc |= tx__h5_attr_long(f, "min_token_len", v->tok->min_token_len);
    }
    if (v->vocab_params) {
        rc |= tx__h5_attr_long(f, "min_df", v->vocab_params->min_df);
        rc |= tx__h5_attr_double(f, "max_df", v->vocab_params->max_df);
        rc |= tx__h5_attr_long(f, "max_features",
                        (long)v->vocab_params->max_features);
    }
    if (v->tfidf_params) {
        rc |= tx__h5_attr_long(f, "sublinear_tf", v->tfidf_params->sublinear_tf);
        rc |= tx__h5_attr_long(f, "smooth_idf", v->tfidf_params->smooth_idf);
        rc |= tx__h5_attr_long(f, "norm_l2", v->tfidf_params->norm_l2);
    }
    return rc ? TX_EHDF5 : TX_OK;
}

static int write_docs(tx_ctx *ctx, tx__h5loc f, const tx_corpus *c)
{
    size_t n = tx_corpus_size(c), r = tx_corpus_reject_count(c), i;
    size_t m = n > r ? n : r;
    const char **a = tx__calloc(ctx, m + 1, sizeof *a);
    const char **b = tx__calloc(ctx, m + 1, sizeof *b);
    const char **fl = tx__calloc(ctx, m + 1, sizeof *fl);
    int64_t *ln = tx__calloc(ctx, m + 1, sizeof *ln);
    tx__h5loc g = -1;
    int rc = TX_ENOMEM;

    if (!a || !b || !fl || !ln)
        goto done;
    rc = TX_EHDF5;
    g = tx__h5_group_new(f, "docs");
    if (g < 0)
        goto done;
    for (i = 0; i < n; i++) {
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        a[i] = d.id;
        b[i] = d.group ? d.group : "";
    }
    if (tx__h5_write_strings(g, "ids", a, n) || tx__h5_write_strings(g, "groups", b, n))
        goto done;
    for (i = 0; i < r; i++) {
        tx_reject x;

        tx_corpus_reject(c, i, &x);
        a[i] = x.id ? x.id : "";
        b[i] = x.reason;
        fl[i] = x.file;
        ln[i] = x.line;
    }
    if (tx__h5_write_strings(g, "rejected_ids", a, r) ||
        tx__h5_write_strings(g, "rejected_reasons", b, r) ||
        tx__h5_write_strings(g, "rejected_files", fl, r) ||
        tx__h5_write(g, "rejected_lines", TX__H5_I64, r, ln))
        goto done;
    rc = TX_OK;
done:
    if (g >= 0)
        tx__h5_group_close(g);
    tx_free(ctx, a);
    tx_free(ctx, b);
    tx_free(ctx, fl);
    tx_free(ctx, ln);
    return rc;
}

static int write_file(tx_ctx *ctx, tx__h5loc f, const tx_h5_vectors *v)
{
    size_t nt = tx_vocab_size(v->vocab), i;
    const char **terms = tx__calloc(ctx, nt + 1, sizeof *terms);
    const char **surf = tx__calloc(ctx, nt + 1, sizeof *surf);
    int64_t *df = tx__calloc(ctx, nt + 1, sizeof *df);
    int64_t shape[2];
    tx__h5loc g = -1;
    int rc = TX_ENOMEM;

    if (!terms || !surf || !df)
        goto done;
    for (i = 0; i < nt; i++) {
        terms[i] = tx_vocab_term(v->vocab, i);
        surf[i] = tx_vocab_surface(v->vocab, i);
        df[i] = tx_vocab_df(v->vocab, i);
    }
    rc = TX_EHDF5;
    g = tx__h5_group_new(f, "vocab");
    if (g < 0 || tx__h5_write_strings(g, "terms", terms, nt) ||
        tx__h5_write_strings(g, "surface", surf, nt) ||
        tx__h5_write(g, "df", TX__H5_I64, nt, df))
        goto done;
    tx__h5_group_close(g);
    g = -1;
    if (v->idf && tx__h5_write(f, "idf", TX__H5_F64, nt, v->idf))
        goto done;
    if (v->tfidf) {
        const tx_csr *m = v->tfidf;

        g = tx__h5_group_new(f, "tfidf");
        shape[0] = (int64_t)m->rows;
        shape[1] = (int64_t)m->cols;
        if (g < 0 ||
            tx__h5_write(g, "data", TX__H5_F32, m->nnz, m->data) ||
            tx__h5_write(g, "indices", TX__H5_I32, m->nnz, m->indices) ||
            tx__h5_write(g, "indptr", TX__H5_I64, m->rows + 1,
                       m->indptr) ||
            tx__h5_write(g, "shape", TX__H5_I64, 2, shape))
            goto done;
    }
    if (v->corpus && (rc = write_docs(ctx, f, v->corpus)) != TX_OK)
        goto done;
    rc = write_params(f, v);
done:
    if (g >= 0)
        tx__h5_group_close(g);
    tx_free(ctx, terms);
    tx_free(ctx, surf);
    tx_free(ctx, df);
    return rc;
}

static int write_vectors(tx_ctx *ctx, tx__h5loc f, const void *arg)
{
    return write_file(ctx, f, arg);
}

int tx_h5_save_vectors(tx_ctx *ctx, const char *path, const tx_h5_vectors *v,
                       tx_diag *diag)
{
    if (!ctx || !path || !v || !v->vocab)
        return TX_EINVAL;
    if (v->tfidf && v->tfidf->cols != tx_vocab_size(v->vocab))
        return TX_EINVAL;
    return tx__h5_save(ctx, path, write_vectors, v, diag);
}


static int load(tx_ctx *ctx, tx__h5loc f, const char *path, tx_vocab **vocab,
                double **idf, tx_csr **tfidf, tx_diag *diag)
{
    char **terms = NULL;
    int64_t *df = NULL, *shape = NULL;
    size_t nt = 0, n = 0, k;
    long long fmt = 0, n_docs = 0;
    tx_csr *m = NULL;
    int rc;

    rc = tx__h5_attr_read_long(f, "libtext_format", &fmt);
    if (rc == TX_OK && fmt != TX_H5_FORMAT) {
        tx__diag_set(diag, path, 0,
                     "file format %lld, this libtext reads format %d", fmt,
                     TX_H5_FORMAT);
        rc = TX_EFORMAT;
        goto done;
    }
    if (rc == TX_OK)
        rc = tx__h5_attr_read_long(f, "n_docs", &n_docs);
    if (rc == TX_OK)
        rc = tx__h5_read_strings(ctx, f, "vocab/terms", &terms, &nt);
    if (rc == TX_OK)
        rc = tx__h5_read(ctx, f, "vocab/df", TX__H5_I64, sizeof(int64_t),
                       (void **)&df, &n);
    if (rc == TX_OK && n != nt)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx_vocab_from_terms(ctx, (const char *const *)terms, df, nt,
                                 (long)n_docs, vocab);
    if (rc == TX_OK && tx_vocab_size(*vocab) != nt)
        rc = TX_EFORMAT; /* duplicate terms: not written by libtext */
    if (rc == TX_OK && idf) {
        rc = tx__h5_read(ctx, f, "idf", TX__H5_F64, sizeof(double),
                       (void **)idf, &n);
        if (rc == TX_OK && n != nt)
            rc = TX_EFORMAT;
    }
    if (rc == TX_OK && tfidf) {
        size_t np = 0, ni = 0, nd = 0, ns = 0;

        m = tx__csr_new(ctx);
        rc = m ? TX_OK : TX_ENOMEM;
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "tfidf/indptr", TX__H5_I64,
                           sizeof(int64_t), (void **)&m->indptr, &np);
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "tfidf/indices", TX__H5_I32,
                           sizeof(int32_t), (void **)&m->indices, &ni);
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "tfidf/data", TX__H5_F32,
                           sizeof(float), (void **)&m->data, &nd);
        if (rc == TX_OK)
            rc = tx__h5_read(ctx, f, "tfidf/shape", TX__H5_I64,
                           sizeof(int64_t), (void **)&shape, &ns);
        /* Validate so a damaged file cannot send readers out of bounds. */
        if (rc == TX_OK && (ns != 2 || shape[0] < 0 ||
                            (size_t)shape[0] + 1 != np ||
                            (size_t)shape[1] != nt || ni != nd ||
                            m->indptr[0] != 0 ||
                            (size_t)m->indptr[np - 1] != ni))
            rc = TX_EFORMAT;
        for (k = 0; rc == TX_OK && k + 1 < np; k++)
            if (m->indptr[k + 1] < m->indptr[k])
                rc = TX_EFORMAT;
        for (k = 0; rc == TX_OK && k < ni; k++)
            if (m->indices[k] < 0 || (size_t)m->indices[k] >= nt)
                rc = TX_EFORMAT;
        if (rc == TX_OK) {
            m->rows = (size_t)shape[0];
            m->cols = nt;
            m->nnz = ni;
            *tfidf = m;
            m = NULL;
        }
    }
    if (rc == TX_EFORMAT && diag && !diag->message[0])
        tx__diag_set(diag, path, 0,
                     "not a libtext vectors file, or damaged");
done:
    tx__h5_strings_free(ctx, terms, nt);
    tx_free(ctx, df);
    tx_free(ctx, shape);
    tx_csr_free(m);
    return rc;
}

struct vectors_out {
    tx_vocab **vocab;
    double **idf;
    tx_csr **tfidf;
};

static int read_vectors(tx_ctx *ctx, tx__h5loc f, const char *path, void *arg,
                        tx_diag *diag)
{
    struct vectors_out *o = arg;
    return load(ctx, f, path, o->vocab, o->idf, o->tfidf, diag);
}

int tx_h5_load_vectors(tx_ctx *ctx, const char *path, tx_vocab **vocab,
                       double **idf, tx_csr **tfidf, tx_diag *diag)
{
    struct vectors_out o = {vocab, idf, tfidf};
    int rc;

    if (!ctx || !path || !vocab)
        return TX_EINVAL;
    *vocab = NULL;
    if (idf)
        *idf = NULL;
    if (tfidf)
        *tfidf = NULL;
    rc = tx__h5_load(ctx, path, read_vectors, &o,
                   "not an HDF5 file (missing or damaged)",
                   "not an HDF5 file (missing or damaged)", diag);
    if (rc != TX_OK) {
        tx_vocab_free(*vocab);
        *vocab = NULL;
        if (idf) {
            tx_free(ctx, *idf);
            *idf = NULL;
        }
        if (tfidf) {
            tx_csr_free(*tfidf);
            *tfidf = NULL;
        }
    }
    return rc;
}
