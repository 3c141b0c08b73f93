/*
 * The cause detector's model file (models/causes.h5): hashed weight tables
 * stored sparsely. HDF5 is reached through store/tx_h5.c.
 */
#include "tx_causes_model.h"
#include "store/tx_h5_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- cause detector model ---- */

#define TX_CAUSES_FORMAT 3

struct cause_save {
    const tx_cause_model *m;
    const char *trained_on;
};

/* Non-zero weights of a hashed table as (index, weight) pairs. */
static int write_sparse(tx_ctx *ctx, tx__h5loc g, const float *w, size_t n)
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
    rc = tx__h5_write(g, "index", TX__H5_U32, nz, idx);
    rc |= tx__h5_write(g, "weight", TX__H5_F32, nz, val);
    tx_free(ctx, idx);
    tx_free(ctx, val);
    return rc ? TX_EHDF5 : TX_OK;
}

static int write_causes(tx_ctx *ctx, tx__h5loc f, const void *arg)
{
    const struct cause_save *s = arg;
    const tx_cause_model *m = s->m;
    size_t nw = (size_t)1 << m->bits;
    const char *names[5] = {"classifier", "signal_tagger", "span_tagger",
                            "relation_tagger", "signal_finder"};
    const tx__tagger *tg[5] = {NULL, &m->sig, &m->ce, &m->det, &m->sdet};
    int rc = TX_OK, i;

    rc |= tx__h5_attr_long(f, "libtext_causes_format", TX_CAUSES_FORMAT);
    rc |= tx__h5_attr_str(f, "libtext_version", tx_version());
    rc |= tx__h5_attr_long(f, "hash_bits", (long)m->bits);
    rc |= tx__h5_attr_long(f, "seed", (long)m->seed);
    rc |= tx__h5_attr_double(f, "threshold", m->threshold);
    if (isfinite(m->oof_f1)) {
        rc |= tx__h5_attr_double(f, "oof_precision", m->oof_p);
        rc |= tx__h5_attr_double(f, "oof_recall", m->oof_r);
        rc |= tx__h5_attr_double(f, "oof_f1", m->oof_f1);
    }
    rc |= tx__h5_attr_str(f, "trained_on", s->trained_on ? s->trained_on : "");
    for (i = 0; i < 5 && rc == TX_OK; i++) {
        tx__h5loc g = tx__h5_group_new(f, names[i]);
        if (g < 0)
            return TX_EHDF5;
        rc = write_sparse(ctx, g, i ? tg[i]->w : m->clf, nw);
        if (i == 0) {
            rc |= tx__h5_attr_double(g, "bias", m->clf_bias);
        } else {
            int T = tg[i]->n_tags;
            rc |= tx__h5_attr_long(g, "n_tags", T);
            rc |= tx__h5_write(g, "transitions", TX__H5_F32,
                             (size_t)((T + 1) * T), tg[i]->trans);
        }
        tx__h5_group_close(g);
    }
    if (m->cmp && rc == TX_OK) {
        tx__h5loc g = tx__h5_group_new(f, "complaint_classifier");
        if (g < 0)
            return TX_EHDF5;
        rc = write_sparse(ctx, g, m->cmp, nw);
        rc |= tx__h5_attr_double(g, "bias", m->cmp_bias);
        rc |= tx__h5_attr_double(g, "threshold", m->cmp_threshold);
        if (isfinite(m->cmp_oof_f1)) {
            rc |= tx__h5_attr_double(g, "oof_precision", m->cmp_oof_p);
            rc |= tx__h5_attr_double(g, "oof_recall", m->cmp_oof_r);
            rc |= tx__h5_attr_double(g, "oof_f1", m->cmp_oof_f1);
        }
        tx__h5_group_close(g);
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
    return tx__h5_save(ctx, path, write_causes, &s, diag);
}

static int read_sparse(tx_ctx *ctx, tx__h5loc g, float *w, size_t n)
{
    uint32_t *idx = NULL;
    float *val = NULL;
    size_t ni = 0, nv = 0, i;
    int rc = tx__h5_read(ctx, g, "index", TX__H5_U32, sizeof *idx,
                       (void **)&idx, &ni);

    if (rc == TX_OK)
        rc = tx__h5_read(ctx, g, "weight", TX__H5_F32, sizeof *val,
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

static int read_double_attr(tx__h5loc loc, const char *name, double *v)
{
    int rc = tx__h5_attr_read(loc, name, TX__H5_F64, v);
    return rc == TX_OK && !isfinite(*v) ? TX_EFORMAT : rc;
}

/* The optional complaint classifier (models trained without complaint
 * labels have none, and the word lists decide). */
static int load_complaints(tx_ctx *ctx, tx__h5loc f, tx_cause_model *m)
{
    tx__h5loc g = tx__h5_group_open(f, "complaint_classifier");
    size_t nw = (size_t)1 << m->bits;
    double bias = 0, thr = 0.5, q[3];
    int rc;

    if (g < 0)
        return TX_EFORMAT;
    m->cmp = tx__calloc(ctx, nw, sizeof *m->cmp);
    rc = m->cmp ? read_sparse(ctx, g, m->cmp, nw) : TX_ENOMEM;
    if (rc == TX_OK)
        rc = read_double_attr(g, "bias", &bias);
    if (rc == TX_OK)
        rc = read_double_attr(g, "threshold", &thr);
    if (rc == TX_OK && (thr < 0 || thr > 1))
        rc = TX_EFORMAT;
    if (rc == TX_OK) {
        m->cmp_bias = (float)bias;
        m->cmp_threshold = thr;
        if (read_double_attr(g, "oof_precision", &q[0]) == TX_OK &&
            read_double_attr(g, "oof_recall", &q[1]) == TX_OK &&
            read_double_attr(g, "oof_f1", &q[2]) == TX_OK) {
            m->cmp_oof_p = q[0];
            m->cmp_oof_r = q[1];
            m->cmp_oof_f1 = q[2];
        }
    }
    tx__h5_group_close(g);
    return rc;
}

/* An h5_reader: `arg` is the tx_cause_model ** to fill. */
static int load_causes(tx_ctx *ctx, tx__h5loc f, const char *path, void *arg,
                       tx_diag *diag)
{
    tx_cause_model **out = arg;
    long long fmt = 0, bits = 0, seed = 0, T = 0;
    const char *names[5] = {"classifier", "signal_tagger", "span_tagger",
                            "relation_tagger", "signal_finder"};
    tx_cause_model *m = NULL;
    double bias = 0, thr = 0.5;
    int rc, i;

    rc = tx__h5_attr_read_long(f, "libtext_causes_format", &fmt);
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
    rc = tx__h5_attr_read_long(f, "hash_bits", &bits);
    if (rc == TX_OK && (bits < 12 || bits > 26))
        rc = TX_EFORMAT;
    if (rc == TX_OK)
        rc = read_double_attr(f, "threshold", &thr);
    if (rc == TX_OK)
        rc = tx__cause_model_alloc(ctx, (unsigned)bits, &m);
    if (rc == TX_OK && tx__h5_attr_read_long(f, "seed", &seed) == TX_OK)
        m->seed = (uint64_t)seed;
    for (i = 0; i < 5 && rc == TX_OK; i++) {
        tx__h5loc g = tx__h5_group_open(f, names[i]);
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
            rc = tx__h5_attr_read_long(g, "n_tags", &T);
            if (rc == TX_OK && T != tg->n_tags)
                rc = TX_EFORMAT;
            if (rc == TX_OK)
                rc = tx__h5_read(ctx, g, "transitions", TX__H5_F32,
                               sizeof *tr, (void **)&tr, &n);
            if (rc == TX_OK && (n != (size_t)((T + 1) * T) ||
                                !tx__finite_f(tr, n)))
                rc = TX_EFORMAT;
            if (rc == TX_OK)
                memcpy(tg->trans, tr, n * sizeof *tr);
            tx_free(ctx, tr);
        }
        tx__h5_group_close(g);
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
        rc = tx__h5_attr_read_str(ctx, f, "trained_on", &m->trained_on);
        if (rc == TX_EFORMAT)
            rc = TX_OK;
    }
    if (rc == TX_OK && tx__h5_exists(f, "complaint_classifier"))
        rc = load_complaints(ctx, f, m);
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
    return tx__h5_load(ctx, path, load_causes, out,
                     "cannot read the cause model; build it with `make "
                     "models`",
                     "not an HDF5 file (damaged?); rebuild it with `make "
                     "models`", diag);
}
