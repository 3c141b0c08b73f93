/*
 * HDF5 files in the layout of ARCHITECTURE.md, readable with h5py:
 *   /vocab/terms, /vocab/surface (variable-length UTF-8), /vocab/df (int64),
 *   /idf (float64), /tfidf/{data (float32), indices (int32), indptr (int64),
 *   shape (int64[2])} (scipy's CSR convention), /docs/ids, /docs/groups,
 *   /docs/rejected_{ids,reasons,files,lines}, parameters as root attributes.
 * HDF5's default build is not thread-safe, so all HDF5 use is in this file.
 */
#include "themes/tx_themes_private.h"
#include "causes/tx_causes_model.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bumped when the layout changes incompatibly. */
#define TX_H5_FORMAT 1

/* Silence HDF5's own error printing for the duration of a call: the
 * library reports through return codes and tx_diag only. */
struct quiet {
    H5E_auto2_t fn;
    void *data;
};

static void quiet_on(struct quiet *q)
{
    H5Eget_auto2(H5E_DEFAULT, &q->fn, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void quiet_off(struct quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->fn, q->data);
}

static hid_t str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);

    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Object creation without timestamps, so the same input gives a
 * byte-identical file. */
static hid_t untimed(hid_t cls)
{
    hid_t pl = H5Pcreate(cls);

    H5Pset_obj_track_times(pl, 0);
    return pl;
}

static hid_t make_group(hid_t loc, const char *name)
{
    hid_t pl = untimed(H5P_GROUP_CREATE);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT);

    H5Pclose(pl);
    return g;
}

static int write_data(hid_t loc, const char *name, hid_t type, size_t n,
                      const void *data)
{
    hsize_t dims[1] = {n};
    hid_t sp = H5Screate_simple(1, dims, NULL), ds, pl;
    herr_t e = -1;

    if (sp < 0)
        return TX_EHDF5;
    pl = untimed(H5P_DATASET_CREATE);
    ds = H5Dcreate2(loc, name, type, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    H5Pclose(pl);
    if (ds >= 0) {
        e = n ? H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0;
        H5Dclose(ds);
    }
    H5Sclose(sp);
    return e < 0 ? TX_EHDF5 : TX_OK;
}

static int write_strings(hid_t loc, const char *name, const char **s,
                         size_t n)
{
    hid_t t = str_type();
    int rc = write_data(loc, name, t, n, s);

    H5Tclose(t);
    return rc;
}

static int attr_long(hid_t loc, const char *name, long v)
{
    hid_t sp = H5Screate(H5S_SCALAR), a;
    long long x = v;
    herr_t e = -1;

    a = H5Acreate2(loc, name, H5T_NATIVE_LLONG, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        e = H5Awrite(a, H5T_NATIVE_LLONG, &x);
        H5Aclose(a);
    }
    H5Sclose(sp);
    return e < 0 ? TX_EHDF5 : TX_OK;
}

static int attr_double(hid_t loc, const char *name, double v)
{
    hid_t sp = H5Screate(H5S_SCALAR), a;
    herr_t e = -1;

    a = H5Acreate2(loc, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT,
                   H5P_DEFAULT);
    if (a >= 0) {
        e = H5Awrite(a, H5T_NATIVE_DOUBLE, &v);
        H5Aclose(a);
    }
    H5Sclose(sp);
    return e < 0 ? TX_EHDF5 : TX_OK;
}

static int attr_str(hid_t loc, const char *name, const char *v)
{
    hid_t sp = H5Screate(H5S_SCALAR), t = str_type(), a;
    herr_t e = -1;

    a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        e = H5Awrite(a, t, &v);
        H5Aclose(a);
    }
    H5Tclose(t);
    H5Sclose(sp);
    return e < 0 ? TX_EHDF5 : TX_OK;
}

static int write_params(hid_t f, const tx_h5_vectors *v)
{
    int rc = TX_OK;

    rc |= attr_long(f, "libtext_format", TX_H5_FORMAT);
    rc |= attr_str(f, "libtext_version", TX_VERSION_STRING);
    rc |= attr_long(f, "n_docs", tx_vocab_n_docs(v->vocab));
    if (v->tok) {
        rc |= attr_str(f, "lang", v->tok->lang ? v->tok->lang : "");
        rc |= attr_long(f, "stem", v->tok->stem);
        rc |= attr_long(f, "stopwords", v->tok->stopwords);
        rc |= attr_long(f, "negation", v->tok->negation);
        rc |= attr_long(f, "placeholders", v->tok->placeholders);
        rc |= attr_long(f, "ngram_min", v->tok->ngram_min);
        rc |= attr_long(f, "ngram_max", v->tok->ngram_max);
        rc |= attr_long(f, "min_token_len", v->tok->min_token_len);
    }
    if (v->vocab_params) {
        rc |= attr_long(f, "min_df", v->vocab_params->min_df);
        rc |= attr_double(f, "max_df", v->vocab_params->max_df);
        rc |= attr_long(f, "max_features",
                        (long)v->vocab_params->max_features);
    }
    if (v->tfidf_params) {
        rc |= attr_long(f, "sublinear_tf", v->tfidf_params->sublinear_tf);
        rc |= attr_long(f, "smooth_idf", v->tfidf_params->smooth_idf);
        rc |= attr_long(f, "norm_l2", v->tfidf_params->norm_l2);
    }
    return rc ? TX_EHDF5 : TX_OK;
}

static int write_docs(tx_ctx *ctx, hid_t f, const tx_corpus *c)
{
    size_t n = tx_corpus_size(c), r = tx_corpus_reject_count(c), i;
    size_t m = n > r ? n : r;
    const char **a = tx__calloc(ctx, m + 1, sizeof *a);
    const char **b = tx__calloc(ctx, m + 1, sizeof *b);
    const char **fl = tx__calloc(ctx, m + 1, sizeof *fl);
    int64_t *ln = tx__calloc(ctx, m + 1, sizeof *ln);
    hid_t g = -1;
    int rc = TX_ENOMEM;

    if (!a || !b || !fl || !ln)
        goto done;
    rc = TX_EHDF5;
    g = make_group(f, "docs");
    if (g < 0)
        goto done;
    for (i = 0; i < n; i++) {
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        a[i] = d.id;
        b[i] = d.group ? d.group : "";
    }
    if (write_strings(g, "ids", a, n) || write_strings(g, "groups", b, n))
        goto done;
    for (i = 0; i < r; i++) {
        tx_reject x;

        tx_corpus_reject(c, i, &x);
        a[i] = x.id ? x.id : "";
        b[i] = x.reason;
        fl[i] = x.file;
        ln[i] = x.line;
    }
    if (write_strings(g, "rejected_ids", a, r) ||
        write_strings(g, "rejected_reasons", b, r) ||
        write_strings(g, "rejected_files", fl, r) ||
        write_data(g, "rejected_lines", H5T_NATIVE_INT64, r, ln))
        goto done;
    rc = TX_OK;
done:
    if (g >= 0)
        H5Gclose(g);
    tx_free(ctx, a);
    tx_free(ctx, b);
    tx_free(ctx, fl);
    tx_free(ctx, ln);
    return rc;
}

static int write_file(tx_ctx *ctx, hid_t f, const tx_h5_vectors *v)
{
    size_t nt = tx_vocab_size(v->vocab), i;
    const char **terms = tx__calloc(ctx, nt + 1, sizeof *terms);
    const char **surf = tx__calloc(ctx, nt + 1, sizeof *surf);
    int64_t *df = tx__calloc(ctx, nt + 1, sizeof *df);
    int64_t shape[2];
    hid_t g = -1;
    int rc = TX_ENOMEM;

    if (!terms || !surf || !df)
        goto done;
    for (i = 0; i < nt; i++) {
        terms[i] = tx_vocab_term(v->vocab, i);
        surf[i] = tx_vocab_surface(v->vocab, i);
        df[i] = tx_vocab_df(v->vocab, i);
    }
    rc = TX_EHDF5;
    g = make_group(f, "vocab");
    if (g < 0 || write_strings(g, "terms", terms, nt) ||
        write_strings(g, "surface", surf, nt) ||
        write_data(g, "df", H5T_NATIVE_INT64, nt, df))
        goto done;
    H5Gclose(g);
    g = -1;
    if (v->idf && write_data(f, "idf", H5T_NATIVE_DOUBLE, nt, v->idf))
        goto done;
    if (v->tfidf) {
        const tx_csr *m = v->tfidf;

        g = make_group(f, "tfidf");
        shape[0] = (int64_t)m->rows;
        shape[1] = (int64_t)m->cols;
        if (g < 0 ||
            write_data(g, "data", H5T_NATIVE_FLOAT, m->nnz, m->data) ||
            write_data(g, "indices", H5T_NATIVE_INT32, m->nnz, m->indices) ||
            write_data(g, "indptr", H5T_NATIVE_INT64, m->rows + 1,
                       m->indptr) ||
            write_data(g, "shape", H5T_NATIVE_INT64, 2, shape))
            goto done;
    }
    if (v->corpus && (rc = write_docs(ctx, f, v->corpus)) != TX_OK)
        goto done;
    rc = write_params(f, v);
done:
    if (g >= 0)
        H5Gclose(g);
    tx_free(ctx, terms);
    tx_free(ctx, surf);
    tx_free(ctx, df);
    return rc;
}

/* Creates `path` through a temporary name: `write` fills the open file,
 * which is renamed into place only when complete, so a failure leaves no
 * file behind. */
typedef int (*h5_writer)(tx_ctx *ctx, hid_t f, const void *arg);

static int save_atomic(tx_ctx *ctx, const char *path, h5_writer write,
                       const void *arg, tx_diag *diag)
{
    struct quiet q;
    char *tmp = tx__malloc(ctx, strlen(path) + 32);
    hid_t f, fcpl;
    int rc;

    if (!tmp)
        return TX_ENOMEM;
    sprintf(tmp, "%s.tmp%ld", path, (long)getpid());
    quiet_on(&q);
    fcpl = untimed(H5P_FILE_CREATE);
    f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (f < 0) {
        tx__diag_set(diag, path, 0, "cannot create HDF5 file");
        rc = TX_EIO;
    } else {
        rc = write(ctx, f, arg);
        if (H5Fclose(f) < 0 && rc == TX_OK)
            rc = TX_EHDF5;
        if (rc != TX_OK)
            tx__diag_set(diag, path, 0, "writing HDF5 failed: %s",
                         tx_strerror(rc));
    }
    quiet_off(&q);
    if (rc == TX_OK && rename(tmp, path) != 0) {
        tx__diag_set(diag, path, 0, "cannot rename temporary file into place");
        rc = TX_EIO;
    }
    if (rc != TX_OK)
        remove(tmp);
    tx_free(ctx, tmp);
    return rc;
}

/* Opens `path` read-only, with HDF5's own error printing off, and runs
 * `read` on it. A file that cannot be read gives TX_EIO and one that is
 * not HDF5 (or will not open) TX_EFORMAT, with `diag` set to `missing` or
 * `damaged`. */
typedef int (*h5_reader)(tx_ctx *ctx, hid_t f, const char *path, void *arg,
                         tx_diag *diag);

static int load_file(tx_ctx *ctx, const char *path, h5_reader read,
                     void *arg, const char *missing, const char *damaged,
                     tx_diag *diag)
{
    struct quiet q;
    hid_t f = -1;
    int rc;

    if (diag)
        diag->message[0] = '\0';
    if (access(path, R_OK) != 0) {
        tx__diag_set(diag, path, 0, "%s", missing);
        return TX_EIO;
    }
    quiet_on(&q);
    if (H5Fis_hdf5(path) <= 0 ||
        (f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        quiet_off(&q);
        tx__diag_set(diag, path, 0, "%s", damaged);
        return TX_EFORMAT;
    }
    rc = read(ctx, f, path, arg, diag);
    H5Fclose(f);
    quiet_off(&q);
    return rc;
}

static int write_vectors(tx_ctx *ctx, hid_t f, const void *arg)
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
    return save_atomic(ctx, path, write_vectors, v, diag);
}

/* ---- loading ---- */

/* Reads a 1-D dataset of `type` into a new buffer; *n gets its length. */
static int read_data(tx_ctx *ctx, hid_t loc, const char *name, hid_t type,
                     size_t elem, void **out, size_t *n)
{
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT), sp;
    hsize_t dims[1] = {0};
    void *buf = NULL;
    int rc = TX_EFORMAT;

    *out = NULL;
    if (ds < 0)
        return TX_EFORMAT;
    sp = H5Dget_space(ds);
    if (sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
        H5Sget_simple_extent_dims(sp, dims, NULL) == 1) {
        buf = tx__malloc(ctx, (size_t)(dims[0] ? dims[0] : 1) * elem);
        if (!buf)
            rc = TX_ENOMEM;
        else if (dims[0] == 0 ||
                 H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0)
            rc = TX_OK;
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(ds);
    if (rc != TX_OK) {
        tx_free(ctx, buf);
        return rc;
    }
    *out = buf;
    *n = (size_t)dims[0];
    return TX_OK;
}

/* A scalar attribute read as `type`; TX_EFORMAT when absent or unreadable. */
static int read_attr(hid_t loc, const char *name, hid_t type, void *v)
{
    hid_t a;
    herr_t e;

    if (H5Aexists(loc, name) <= 0)
        return TX_EFORMAT;
    a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return TX_EFORMAT;
    e = H5Aread(a, type, v);
    H5Aclose(a);
    return e < 0 ? TX_EFORMAT : TX_OK;
}

static int read_long_attr(hid_t f, const char *name, long long *v)
{
    return read_attr(f, name, H5T_NATIVE_LLONG, v);
}

static int load(tx_ctx *ctx, hid_t f, const char *path, tx_vocab **vocab,
                double **idf, tx_csr **tfidf, tx_diag *diag)
{
    hid_t t = str_type();
    char **terms = NULL;
    int64_t *df = NULL, *shape = NULL;
    size_t nt = 0, n = 0, k;
    long long fmt = 0, n_docs = 0;
    tx_csr *m = NULL;
    int rc;

    rc = read_long_attr(f, "libtext_format", &fmt);
    if (rc == TX_OK && fmt != TX_H5_FORMAT) {
        tx__diag_set(diag, path, 0,
                     "file format %lld, this libtext reads format %d", fmt,
                     TX_H5_FORMAT);
        rc = TX_EFORMAT;
        goto done;
    }
    if (rc == TX_OK)
        rc = read_long_attr(f, "n_docs", &n_docs);
    if (rc == TX_OK)
        rc = read_data(ctx, f, "vocab/terms", t, sizeof(char *),
                       (void **)&terms, &nt);
    if (rc == TX_OK)
        rc = read_data(ctx, f, "vocab/df", H5T_NATIVE_INT64, sizeof(int64_t),
                       (void **)&df, &n);
    if (rc == TX_OK && n != nt)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx_vocab_from_terms(ctx, (const char *const *)terms, df, nt,
                                 (long)n_docs, vocab);
    if (rc == TX_OK && tx_vocab_size(*vocab) != nt)
        rc = TX_EFORMAT; /* duplicate terms: not written by libtext */
    if (rc == TX_OK && idf) {
        rc = read_data(ctx, f, "idf", H5T_NATIVE_DOUBLE, sizeof(double),
                       (void **)idf, &n);
        if (rc == TX_OK && n != nt)
            rc = TX_EFORMAT;
    }
    if (rc == TX_OK && tfidf) {
        size_t np = 0, ni = 0, nd = 0, ns = 0;

        m = tx__calloc(ctx, 1, sizeof *m);
        rc = m ? TX_OK : TX_ENOMEM;
        if (rc == TX_OK)
            rc = read_data(ctx, f, "tfidf/indptr", H5T_NATIVE_INT64,
                           sizeof(int64_t), (void **)&m->indptr, &np);
        if (rc == TX_OK)
            rc = read_data(ctx, f, "tfidf/indices", H5T_NATIVE_INT32,
                           sizeof(int32_t), (void **)&m->indices, &ni);
        if (rc == TX_OK)
            rc = read_data(ctx, f, "tfidf/data", H5T_NATIVE_FLOAT,
                           sizeof(float), (void **)&m->data, &nd);
        if (rc == TX_OK)
            rc = read_data(ctx, f, "tfidf/shape", H5T_NATIVE_INT64,
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
    if (terms) {
        hsize_t dims[1] = {nt};
        hid_t sp = H5Screate_simple(1, dims, NULL);

        if (nt)
            H5Dvlen_reclaim(t, sp, H5P_DEFAULT, terms);
        H5Sclose(sp);
        tx_free(ctx, terms);
    }
    tx_free(ctx, df);
    tx_free(ctx, shape);
    tx_csr_free(ctx, m);
    H5Tclose(t);
    return rc;
}

struct vectors_out {
    tx_vocab **vocab;
    double **idf;
    tx_csr **tfidf;
};

static int read_vectors(tx_ctx *ctx, hid_t f, const char *path, void *arg,
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
    rc = load_file(ctx, path, read_vectors, &o,
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
            tx_csr_free(ctx, *tfidf);
            *tfidf = NULL;
        }
    }
    return rc;
}

/* ---- themes model ---- */

static int write_mat(hid_t loc, const char *name, const tx_mat *m)
{
    hsize_t dims[2] = {m->rows, m->cols};
    hid_t sp = H5Screate_simple(2, dims, NULL), ds, pl;
    float *packed = NULL;
    herr_t e = -1;
    size_t r;

    if (sp < 0)
        return TX_EHDF5;
    if (m->ld != m->cols) { /* HDF5 wants rows back to back */
        packed = malloc(m->rows * m->cols * sizeof *packed + 1);
        if (!packed) {
            H5Sclose(sp);
            return TX_ENOMEM;
        }
        for (r = 0; r < m->rows; r++)
            memcpy(packed + r * m->cols, m->data + r * m->ld,
                   m->cols * sizeof *packed);
    }
    pl = untimed(H5P_DATASET_CREATE);
    ds = H5Dcreate2(loc, name, H5T_NATIVE_FLOAT, sp, H5P_DEFAULT, pl,
                    H5P_DEFAULT);
    H5Pclose(pl);
    if (ds >= 0) {
        e = m->rows && m->cols
                ? H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL,
                           H5P_DEFAULT, packed ? packed : m->data)
                : 0;
        H5Dclose(ds);
    }
    free(packed);
    H5Sclose(sp);
    return e < 0 ? TX_EHDF5 : TX_OK;
}

static bool finite_f(const float *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

static bool finite_d(const double *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

/* True for a NULL matrix too (an optional part that is absent). */
static bool finite_mat(const tx_mat *m)
{
    size_t r;

    for (r = 0; m && r < m->rows; r++)
        if (!finite_f(m->data + r * m->ld, m->cols))
            return false;
    return true;
}

static int read_mat(tx_ctx *ctx, hid_t loc, const char *name, tx_mat **out)
{
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT), sp;
    hsize_t dims[2] = {0, 0};
    int rc = TX_EFORMAT;

    *out = NULL;
    if (ds < 0)
        return TX_EFORMAT;
    sp = H5Dget_space(ds);
    if (sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2 &&
        H5Sget_simple_extent_dims(sp, dims, NULL) == 2 &&
        dims[0] < (1u << 31) && dims[1] < (1u << 20)) {
        rc = tx_mat_new(ctx, (size_t)dims[0], (size_t)dims[1], out);
        if (rc == TX_OK && dims[0] && dims[1] &&
            H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    (*out)->data) < 0)
            rc = TX_EFORMAT;
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(ds);
    if (rc != TX_OK) {
        tx_mat_free(ctx, *out);
        *out = NULL;
    }
    return rc;
}

static int write_themes(tx_ctx *ctx, hid_t f, const tx_themes *th)
{
    const tx_themes_params *p = &th->p;
    size_t V = tx_vocab_size(th->vocab), k = th->k, i, j, nt = 0;
    const char **terms = tx__calloc(ctx, V + 1, sizeof *terms);
    int64_t *df = tx__calloc(ctx, V + 1, sizeof *df);
    const char **labels = tx__calloc(ctx, k + 1, sizeof *labels);
    int64_t *sizes = tx__calloc(ctx, k + 1, sizeof *sizes);
    int64_t *nterms = tx__calloc(ctx, k + 1, sizeof *nterms);
    float *stab = tx__calloc(ctx, k + 1, sizeof *stab);
    const char **tt = NULL;
    hid_t g = -1;
    int rc = TX_ENOMEM;

    for (i = 0; i < k; i++)
        nt += th->themes[i].n_terms;
    tt = tx__calloc(ctx, nt + 1, sizeof *tt);
    if (!terms || !df || !labels || !sizes || !nterms || !stab || !tt)
        goto done;
    for (i = 0; i < V; i++) {
        terms[i] = tx_vocab_term(th->vocab, i);
        df[i] = tx_vocab_df(th->vocab, i);
    }
    for (i = 0, nt = 0; i < k; i++) {
        labels[i] = th->themes[i].label;
        sizes[i] = (int64_t)th->themes[i].size;
        nterms[i] = (int64_t)th->themes[i].n_terms;
        stab[i] = th->themes[i].stability;
        for (j = 0; j < th->themes[i].n_terms; j++)
            tt[nt++] = th->themes[i].terms[j];
    }
    rc = TX_EHDF5;
    g = make_group(f, "vocab");
    if (g < 0 || write_strings(g, "terms", terms, V) ||
        write_data(g, "df", H5T_NATIVE_INT64, V, df))
        goto done;
    H5Gclose(g);
    g = -1;
    if (write_data(f, "idf", H5T_NATIVE_DOUBLE, V, th->idf))
        goto done;
    g = make_group(f, "embedding");
    if (g < 0 || (th->comp && write_mat(g, "components", th->comp)))
        goto done;
    if (th->wv && (write_mat(g, "word_vectors", th->wv) ||
                   write_data(g, "sif_weights", H5T_NATIVE_FLOAT, V,
                              th->sif_w) ||
                   write_data(g, "common_component", H5T_NATIVE_FLOAT,
                              th->wv->cols, th->pc)))
        goto done;
    H5Gclose(g);
    g = make_group(f, "themes");
    if (g < 0 || write_mat(g, "centroids", th->cent) ||
        write_strings(g, "labels", labels, k) ||
        write_data(g, "sizes", H5T_NATIVE_INT64, k, sizes) ||
        write_data(g, "stability", H5T_NATIVE_FLOAT, k, stab) ||
        write_data(g, "n_terms", H5T_NATIVE_INT64, k, nterms) ||
        write_strings(g, "terms", tt, nt) ||
        (k > 1 && (write_data(g, "merge_a", H5T_NATIVE_UINT64, k - 1,
                              th->merge_a) ||
                   write_data(g, "merge_b", H5T_NATIVE_UINT64, k - 1,
                              th->merge_b) ||
                   write_data(g, "merge_similarity", H5T_NATIVE_DOUBLE,
                              k - 1, th->merge_sim))))
        goto done;
    H5Gclose(g);
    g = -1;
    if (th->stop) {
        size_t ns = 0;

        while (th->stop[ns])
            ns++;
        g = make_group(f, "tokenizer");
        if (g < 0 || write_strings(g, "stopwords", (const char **)th->stop,
                                   ns))
            goto done;
        H5Gclose(g);
        g = -1;
    }
    rc = TX_OK;
    rc |= attr_long(f, "libtext_format", TX_H5_FORMAT);
    rc |= attr_str(f, "libtext_version", TX_VERSION_STRING);
    rc |= attr_str(f, "kind", "themes");
    rc |= attr_long(f, "n_docs", tx_vocab_n_docs(th->vocab));
    rc |= attr_str(f, "lang", p->tok.lang ? p->tok.lang : "");
    rc |= attr_long(f, "stem", p->tok.stem);
    rc |= attr_long(f, "stopwords", p->tok.stopwords);
    rc |= attr_long(f, "negation", p->tok.negation);
    rc |= attr_long(f, "placeholders", p->tok.placeholders);
    rc |= attr_long(f, "ngram_min", p->tok.ngram_min);
    rc |= attr_long(f, "ngram_max", p->tok.ngram_max);
    rc |= attr_long(f, "min_token_len", p->tok.min_token_len);
    rc |= attr_long(f, "sublinear_tf", p->tfidf.sublinear_tf);
    rc |= attr_long(f, "smooth_idf", p->tfidf.smooth_idf);
    rc |= attr_long(f, "norm_l2", p->tfidf.norm_l2);
    rc |= attr_long(f, "spherical", p->kmeans.spherical);
    rc |= attr_long(f, "k", (long)k);
    rc |= attr_long(f, "external_dim", (long)th->ext_dim);
    rc = rc ? TX_EHDF5 : TX_OK;
done:
    if (g >= 0)
        H5Gclose(g);
    tx_free(ctx, terms);
    tx_free(ctx, df);
    tx_free(ctx, labels);
    tx_free(ctx, sizes);
    tx_free(ctx, nterms);
    tx_free(ctx, stab);
    tx_free(ctx, tt);
    return rc;
}

static int write_model(tx_ctx *ctx, hid_t f, const void *arg)
{
    return write_themes(ctx, f, arg);
}

int tx_themes_save(tx_ctx *ctx, const tx_themes *th, const char *path,
                   tx_diag *diag)
{
    if (!ctx || !th || !path || !th->cent || (!th->comp && !th->ext_dim))
        return TX_EINVAL;
    return save_atomic(ctx, path, write_model, th, diag);
}

static int read_str_attr(tx_ctx *ctx, hid_t f, const char *name, char **out)
{
    hid_t a, t = str_type();
    char *v = NULL;
    herr_t e;

    *out = NULL;
    if (H5Aexists(f, name) <= 0) {
        H5Tclose(t);
        return TX_EFORMAT;
    }
    a = H5Aopen(f, name, H5P_DEFAULT);
    e = a >= 0 ? H5Aread(a, t, &v) : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Tclose(t);
    if (e < 0 || !v)
        return TX_EFORMAT;
    *out = tx__strdup(ctx, v);
    H5free_memory(v);
    return *out ? TX_OK : TX_ENOMEM;
}

/* Reads n variable-length strings into caller-owned copies. */
static int read_strings(tx_ctx *ctx, hid_t loc, const char *name,
                        char ***out, size_t *n)
{
    hid_t t = str_type();
    char **raw = NULL, **copy;
    size_t i;
    int rc = read_data(ctx, loc, name, t, sizeof(char *), (void **)&raw, n);

    *out = NULL;
    if (rc != TX_OK) {
        H5Tclose(t);
        return rc;
    }
    copy = tx__calloc(ctx, *n + 1, sizeof *copy);
    for (i = 0; copy && i < *n; i++)
        if (!(copy[i] = tx__strdup(ctx, raw[i] ? raw[i] : "")))
            rc = TX_ENOMEM;
    if (*n) {
        hsize_t dims[1] = {*n};
        hid_t sp = H5Screate_simple(1, dims, NULL);

        H5Dvlen_reclaim(t, sp, H5P_DEFAULT, raw);
        H5Sclose(sp);
    }
    tx_free(ctx, raw);
    H5Tclose(t);
    if (!copy || rc != TX_OK) {
        for (i = 0; copy && i < *n; i++)
            tx_free(ctx, copy[i]);
        tx_free(ctx, copy);
        return TX_ENOMEM;
    }
    *out = copy;
    return TX_OK;
}

static void free_strings(tx_ctx *ctx, char **s, size_t n)
{
    size_t i;

    for (i = 0; s && i < n; i++)
        tx_free(ctx, s[i]);
    tx_free(ctx, s);
}

/* An h5_reader: fills the tx_themes `arg`. */
static int load_themes(tx_ctx *ctx, hid_t f, const char *path, void *arg,
                       tx_diag *diag)
{
    tx_themes *th = arg;
    char **terms = NULL, **labels = NULL, **tt = NULL, *kind = NULL;
    int64_t *df = NULL, *sizes = NULL, *nterms = NULL;
    float *stab = NULL;
    size_t V = 0, n, k = 0, nt = 0, i, j, o;
    long long fmt = 0, v = 0, n_docs = 0;
    tx_themes_params *p = &th->p;
    int rc;

    rc = read_long_attr(f, "libtext_format", &fmt);
    if (rc == TX_OK && fmt != TX_H5_FORMAT) {
        tx__diag_set(diag, path, 0,
                     "model format %lld, this libtext reads format %d; "
                     "refit the model with this version", fmt, TX_H5_FORMAT);
        return TX_EFORMAT;
    }
    if (rc == TX_OK)
        rc = read_str_attr(ctx, f, "kind", &kind);
    if (rc == TX_OK && strcmp(kind, "themes") != 0)
        rc = TX_EFORMAT;
    tx_free(ctx, kind);
    tx_themes_params_init(p);
    p->tok.lang = NULL; /* set below from the file */
#define ATTR(name, field)                                                   \
    if (rc == TX_OK && (rc = read_long_attr(f, name, &v)) == TX_OK)         \
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
        rc = read_long_attr(f, "n_docs", &n_docs);
    if (rc == TX_OK)
        rc = read_str_attr(ctx, f, "lang", &th->lang);
    if (rc == TX_OK)
        p->tok.lang = th->lang[0] ? th->lang : NULL;
    if (rc == TX_OK)
        rc = read_strings(ctx, f, "vocab/terms", &terms, &V);
    if (rc == TX_OK)
        rc = read_data(ctx, f, "vocab/df", H5T_NATIVE_INT64, sizeof(int64_t),
                       (void **)&df, &n);
    if (rc == TX_OK && n != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = tx_vocab_from_terms(ctx, (const char *const *)terms, df, V,
                                 (long)n_docs, &th->vocab);
    if (rc == TX_OK && tx_vocab_size(th->vocab) != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_data(ctx, f, "idf", H5T_NATIVE_DOUBLE, sizeof(double),
                       (void **)&th->idf, &n);
    if (rc == TX_OK && n != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK && read_long_attr(f, "external_dim", &v) == TX_OK && v > 0)
        th->ext_dim = (size_t)v;
    if (rc == TX_OK && !th->ext_dim)
        rc = read_mat(ctx, f, "embedding/components", &th->comp);
    if (rc == TX_OK && th->comp && th->comp->cols != V)
        rc = TX_EFORMAT;
    if (rc == TX_OK && H5Lexists(f, "embedding/word_vectors", H5P_DEFAULT) > 0) {
        rc = read_mat(ctx, f, "embedding/word_vectors", &th->wv);
        if (rc == TX_OK && th->wv->rows != V)
            rc = TX_EFORMAT;
        if (rc == TX_OK)
            rc = read_data(ctx, f, "embedding/sif_weights", H5T_NATIVE_FLOAT,
                           sizeof(float), (void **)&th->sif_w, &n);
        if (rc == TX_OK && n != V)
            rc = TX_EFORMAT;
        if (rc == TX_OK)
            rc = read_data(ctx, f, "embedding/common_component",
                           H5T_NATIVE_FLOAT, sizeof(float),
                           (void **)&th->pc, &n);
        if (rc == TX_OK && n != th->wv->cols)
            rc = TX_EFORMAT;
    }
    p->use_wordvec = th->wv != NULL;
    if (rc == TX_OK)
        rc = read_mat(ctx, f, "themes/centroids", &th->cent);
    if (rc == TX_OK &&
        th->cent->cols != (th->ext_dim ? th->ext_dim
                                       : th->comp->rows +
                                             (th->wv ? th->wv->cols : 0)))
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_strings(ctx, f, "themes/labels", &labels, &k);
    if (rc == TX_OK)
        rc = read_data(ctx, f, "themes/sizes", H5T_NATIVE_INT64,
                       sizeof(int64_t), (void **)&sizes, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_data(ctx, f, "themes/stability", H5T_NATIVE_FLOAT,
                       sizeof(float), (void **)&stab, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_data(ctx, f, "themes/n_terms", H5T_NATIVE_INT64,
                       sizeof(int64_t), (void **)&nterms, &n);
    if (rc == TX_OK && n != k)
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_strings(ctx, f, "themes/terms", &tt, &nt);
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

        rc = read_data(ctx, f, "themes/merge_a", H5T_NATIVE_UINT64,
                       sizeof(size_t), (void **)&th->merge_a, &na);
        if (rc == TX_OK)
            rc = read_data(ctx, f, "themes/merge_b", H5T_NATIVE_UINT64,
                           sizeof(size_t), (void **)&th->merge_b, &nb);
        if (rc == TX_OK)
            rc = read_data(ctx, f, "themes/merge_similarity",
                           H5T_NATIVE_DOUBLE, sizeof(double),
                           (void **)&th->merge_sim, &ns);
        if (rc == TX_OK && (na != k - 1 || nb != k - 1 || ns != k - 1))
            rc = TX_EFORMAT;
        for (i = 0; rc == TX_OK && i + 1 < k; i++) /* nodes before use */
            if (th->merge_a[i] >= k + i || th->merge_b[i] >= k + i)
                rc = TX_EFORMAT;
    }
    /* Numbers that are not finite would quietly spoil every assignment. */
    if (rc == TX_OK &&
        (!finite_d(th->idf, V) || !finite_mat(th->comp) ||
         !finite_mat(th->wv) || !finite_f(th->sif_w, th->wv ? V : 0) ||
         !finite_f(th->pc, th->wv ? th->wv->cols : 0) ||
         !finite_mat(th->cent) || !finite_f(stab, k) ||
         !finite_d(th->merge_sim, k > 1 ? k - 1 : 0))) {
        tx__diag_set(diag, path, 0, "damaged model: a stored number is not "
                                    "finite");
        rc = TX_EFORMAT;
    }
    for (i = 0; rc == TX_OK && i < k; i++)
        if (sizes[i] < 0)
            rc = TX_EFORMAT;
    if (rc == TX_OK && H5Lexists(f, "tokenizer", H5P_DEFAULT) > 0) {
        rc = read_strings(ctx, f, "tokenizer/stopwords", &th->stop, &n);
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
            struct tx__theme *x = &th->themes[i];

            x->label = labels[i];
            labels[i] = NULL;
            x->size = (size_t)sizes[i];
            x->stability = stab[i];
            x->n_terms = (size_t)nterms[i];
            x->terms = tx__calloc(ctx, x->n_terms + 1, sizeof *x->terms);
            x->scores = tx__calloc(ctx, x->n_terms + 1, sizeof *x->scores);
            if (!x->terms || !x->scores) {
                rc = TX_ENOMEM;
                break;
            }
            for (j = 0; j < x->n_terms; j++, o++) {
                x->terms[j] = tt[o];
                tt[o] = NULL;
            }
        }
    }
    if (rc == TX_EFORMAT && diag && !diag->message[0])
        tx__diag_set(diag, path, 0,
                     "not a libtext themes model, or damaged");
    free_strings(ctx, terms, V);
    free_strings(ctx, labels, k);
    free_strings(ctx, tt, nt);
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
    rc = load_file(ctx, path, load_themes, th,
                   "not an HDF5 file (missing or damaged)",
                   "cannot open HDF5 file (damaged?)", diag);
    if (rc != TX_OK) {
        tx__themes_free(th);
        return rc;
    }
    *out = th;
    return TX_OK;
}

struct matrix_out {
    const char *dataset;
    tx_mat **out;
};

static int read_matrix(tx_ctx *ctx, hid_t f, const char *path, void *arg,
                       tx_diag *diag)
{
    struct matrix_out *o = arg;
    int rc = read_mat(ctx, f, o->dataset, o->out);

    if (rc == TX_EFORMAT)
        tx__diag_set(diag, path, 0, "no 2-D float dataset '%s'", o->dataset);
    return rc;
}

int tx__h5_load_matrix(tx_ctx *ctx, const char *path, const char *dataset,
                       tx_mat **out, tx_diag *diag)
{
    struct matrix_out o = {dataset, out};

    *out = NULL;
    return load_file(ctx, path, read_matrix, &o,
                     "neither .npy nor an HDF5 file",
                     "neither .npy nor an HDF5 file", diag);
}

/* ---- cause detector model ---- */

#define TX_CAUSES_FORMAT 3

struct cause_save {
    const tx_cause_model *m;
    const char *trained_on;
};

/* Non-zero weights of a hashed table as (index, weight) pairs. */
static int write_sparse(tx_ctx *ctx, hid_t g, const float *w, size_t n)
{
    size_t i, nz = 0;
    uint32_t *idx;
    float *val;
    int rc;

    for (i = 0; i < n; i++)
        nz += w[i] != 0;
    idx = tx__malloc(ctx, (nz ? nz : 1) * sizeof *idx);
    val = tx__malloc(ctx, (nz ? nz : 1) * sizeof *val);
    if (!idx || !val) {
        tx_free(ctx, idx);
        tx_free(ctx, val);
        return TX_ENOMEM;
    }
    for (i = 0, nz = 0; i < n; i++)
        if (w[i] != 0) {
            idx[nz] = (uint32_t)i;
            val[nz++] = w[i];
        }
    rc = write_data(g, "index", H5T_NATIVE_UINT32, nz, idx);
    rc |= write_data(g, "weight", H5T_NATIVE_FLOAT, nz, val);
    tx_free(ctx, idx);
    tx_free(ctx, val);
    return rc ? TX_EHDF5 : TX_OK;
}

static int write_causes(tx_ctx *ctx, hid_t f, const void *arg)
{
    const struct cause_save *s = arg;
    const tx_cause_model *m = s->m;
    size_t nw = (size_t)1 << m->bits;
    const char *names[5] = {"classifier", "signal_tagger", "span_tagger",
                            "relation_tagger", "signal_finder"};
    const tx__tagger *tg[5] = {NULL, &m->sig, &m->ce, &m->det, &m->sdet};
    int rc = TX_OK, i;

    rc |= attr_long(f, "libtext_causes_format", TX_CAUSES_FORMAT);
    rc |= attr_str(f, "libtext_version", tx_version());
    rc |= attr_long(f, "hash_bits", (long)m->bits);
    rc |= attr_long(f, "seed", (long)m->seed);
    rc |= attr_double(f, "threshold", m->threshold);
    if (isfinite(m->oof_f1)) {
        rc |= attr_double(f, "oof_precision", m->oof_p);
        rc |= attr_double(f, "oof_recall", m->oof_r);
        rc |= attr_double(f, "oof_f1", m->oof_f1);
    }
    rc |= attr_str(f, "trained_on", s->trained_on ? s->trained_on : "");
    for (i = 0; i < 5 && rc == TX_OK; i++) {
        hid_t g = make_group(f, names[i]);
        if (g < 0)
            return TX_EHDF5;
        rc = write_sparse(ctx, g, i ? tg[i]->w : m->clf, nw);
        if (i == 0) {
            rc |= attr_double(g, "bias", m->clf_bias);
        } else {
            int T = tg[i]->n_tags;
            rc |= attr_long(g, "n_tags", T);
            rc |= write_data(g, "transitions", H5T_NATIVE_FLOAT,
                             (size_t)((T + 1) * T), tg[i]->trans);
        }
        H5Gclose(g);
    }
    return rc ? TX_EHDF5 : TX_OK;
}

int tx_cause_model_save(tx_ctx *ctx, const tx_cause_model *m,
                        const char *path, const char *trained_on,
                        tx_diag *diag)
{
    struct cause_save s = {m, trained_on ? trained_on : m ? m->trained_on
                                                          : NULL};
    if (!ctx || !m || !path)
        return TX_EINVAL;
    return save_atomic(ctx, path, write_causes, &s, diag);
}

static int read_sparse(tx_ctx *ctx, hid_t g, float *w, size_t n)
{
    uint32_t *idx = NULL;
    float *val = NULL;
    size_t ni = 0, nv = 0, i;
    int rc = read_data(ctx, g, "index", H5T_NATIVE_UINT32, sizeof *idx,
                       (void **)&idx, &ni);

    if (rc == TX_OK)
        rc = read_data(ctx, g, "weight", H5T_NATIVE_FLOAT, sizeof *val,
                       (void **)&val, &nv);
    if (rc == TX_OK && ni != nv)
        rc = TX_EFORMAT;
    for (i = 0; rc == TX_OK && i < ni; i++) {
        if (idx[i] >= n || !isfinite(val[i]))
            rc = TX_EFORMAT;
        else
            w[idx[i]] = val[i];
    }
    tx_free(ctx, idx);
    tx_free(ctx, val);
    return rc;
}

static int read_double_attr(hid_t loc, const char *name, double *v)
{
    int rc = read_attr(loc, name, H5T_NATIVE_DOUBLE, v);
    return rc == TX_OK && !isfinite(*v) ? TX_EFORMAT : rc;
}

/* An h5_reader: `arg` is the tx_cause_model ** to fill. */
static int load_causes(tx_ctx *ctx, hid_t f, const char *path, void *arg,
                       tx_diag *diag)
{
    tx_cause_model **out = arg;
    long long fmt = 0, bits = 0, seed = 0, T = 0;
    const char *names[5] = {"classifier", "signal_tagger", "span_tagger",
                            "relation_tagger", "signal_finder"};
    tx_cause_model *m = NULL;
    double bias = 0, thr = 0.5;
    int rc, i;

    rc = read_long_attr(f, "libtext_causes_format", &fmt);
    if (rc != TX_OK) {
        tx__diag_set(diag, path, 0, "not a libtext cause model; rebuild it "
                                    "with `make models`");
        return TX_EFORMAT;
    }
    if (fmt != TX_CAUSES_FORMAT) {
        tx__diag_set(diag, path, 0, "cause model format %lld, this libtext "
                     "reads format %d; rebuild it with `make models`", fmt,
                     TX_CAUSES_FORMAT);
        return TX_EFORMAT;
    }
    rc = read_long_attr(f, "hash_bits", &bits);
    if (rc == TX_OK && (bits < 12 || bits > 26))
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_double_attr(f, "threshold", &thr);
    if (rc == TX_OK)
        rc = tx__cause_model_alloc(ctx, (unsigned)bits, &m);
    if (rc == TX_OK && read_long_attr(f, "seed", &seed) == TX_OK)
        m->seed = (uint64_t)seed;
    for (i = 0; i < 5 && rc == TX_OK; i++) {
        hid_t g = H5Gopen2(f, names[i], H5P_DEFAULT);
        tx__tagger *tg = i == 1 ? &m->sig : i == 2 ? &m->ce
                       : i == 3 ? &m->det : i == 4 ? &m->sdet : NULL;

        if (g < 0) {
            rc = TX_EFORMAT;
            break;
        }
        rc = read_sparse(ctx, g, tg ? tg->w : m->clf, (size_t)1 << bits);
        if (rc == TX_OK && !tg) {
            rc = read_double_attr(g, "bias", &bias);
            m->clf_bias = (float)bias;
        } else if (rc == TX_OK) {
            float *tr = NULL;
            size_t n = 0;
            rc = read_long_attr(g, "n_tags", &T);
            if (rc == TX_OK && T != tg->n_tags)
                rc = TX_EFORMAT;
            if (rc == TX_OK)
                rc = read_data(ctx, g, "transitions", H5T_NATIVE_FLOAT,
                               sizeof *tr, (void **)&tr, &n);
            if (rc == TX_OK && (n != (size_t)((T + 1) * T) ||
                                !finite_f(tr, n)))
                rc = TX_EFORMAT;
            if (rc == TX_OK)
                memcpy(tg->trans, tr, n * sizeof *tr);
            tx_free(ctx, tr);
        }
        H5Gclose(g);
    }
    if (rc == TX_OK) {
        double q[3];
        m->threshold = thr;
        /* the training quality is optional: all three, in [0, 1], or none */
        if (read_double_attr(f, "oof_precision", &q[0]) == TX_OK &&
            read_double_attr(f, "oof_recall", &q[1]) == TX_OK &&
            read_double_attr(f, "oof_f1", &q[2]) == TX_OK &&
            q[0] >= 0 && q[0] <= 1 && q[1] >= 0 && q[1] <= 1 &&
            q[2] >= 0 && q[2] <= 1) {
            m->oof_p = q[0];
            m->oof_r = q[1];
            m->oof_f1 = q[2];
        }
        rc = read_str_attr(ctx, f, "trained_on", &m->trained_on);
        if (rc == TX_EFORMAT)
            rc = TX_OK;
    }
    if (rc != TX_OK) {
        tx_cause_model_free(m);
        if (rc == TX_EFORMAT)
            tx__diag_set(diag, path, 0, "damaged cause model; rebuild it "
                                        "with `make models`");
        return rc;
    }
    *out = m;
    return TX_OK;
}

int tx_cause_model_load(tx_ctx *ctx, const char *path, tx_cause_model **out,
                        tx_diag *diag)
{
    if (!ctx || !path || !out)
        return TX_EINVAL;
    *out = NULL;
    return load_file(ctx, path, load_causes, out,
                     "cannot read the cause model; build it with `make "
                     "models`",
                     "not an HDF5 file (damaged?); rebuild it with `make "
                     "models`", diag);
}
