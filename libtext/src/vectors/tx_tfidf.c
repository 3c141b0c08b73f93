/* TF-IDF weighting with scikit-learn's TfidfTransformer definitions:
 * tf is the raw count or 1 + ln(count); idf is ln((1 + n) / (1 + df)) + 1
 * (smooth) or ln(n / df) + 1; rows are scaled to unit L2 norm. Sums are
 * taken in double so results agree with scikit-learn's float64 to ~1e-7. */
#include "tx_internal.h"
#include "tx_vectors_private.h"

#include <math.h>
#include <string.h>

void tx_tfidf_params_init(tx_tfidf_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->sublinear_tf = 1;
    p->smooth_idf = 1;
    p->norm_l2 = 1;
}

int tx_tfidf_idf(const tx_tfidf_params *p, const tx_vocab *v, double *idf)
{
    tx_tfidf_params def;
    double n = (double)tx_vocab_n_docs(v);
    size_t i;

    if (!v || !idf)
        return TX_EINVAL;
    tx_tfidf_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    for (i = 0; i < tx_vocab_size(v); i++) {
        double df = (double)tx_vocab_df(v, i);

        if (p->smooth_idf)
            idf[i] = log((1.0 + n) / (1.0 + df)) + 1.0;
        else if (df > 0)
            idf[i] = log(n / df) + 1.0;
        else
            return TX_EINVAL; /* ln(n/0): scikit-learn divides by zero too */
    }
    return TX_OK;
}

/* Sublinear weights 1 + ln(tf) of the small whole counts nearly every
 * entry has, worked out once per call rather than twice per entry. */
#define TF_TABLE 64

struct job {
    const tx_tfidf_params *p;
    const double *idf;
    const tx_csr *in;
    tx_csr *out;
    size_t parts;
    double tf_weight[TF_TABLE];
};

static double tf_weight(const struct job *j, float tf)
{
    if (!j->p->sublinear_tf || !(tf > 0))
        return tf;
    if (tf < TF_TABLE && tf == (float)(int)tf)
        return j->tf_weight[(int)tf];
    return 1.0 + log(tf);
}

static int weigh_rows(void *arg, size_t part)
{
    struct job *j = arg;
    size_t r0 = j->in->rows * part / j->parts;
    size_t r1 = j->in->rows * (part + 1) / j->parts, r;
    int64_t k, a0 = j->in->indptr[r0], a1 = j->in->indptr[r1];

    /* The structure is the counts'; each part copies its own rows of it. */
    memcpy(j->out->indptr + r0 + 1, j->in->indptr + r0 + 1,
           (r1 - r0) * sizeof *j->out->indptr);
    memcpy(j->out->indices + a0, j->in->indices + a0,
           (size_t)(a1 - a0) * sizeof *j->out->indices);
    for (r = r0; r < r1; r++) {
        int64_t a = j->in->indptr[r], b = j->in->indptr[r + 1];
        double ss = 0.0, w;

        for (k = a; k < b; k++) {
            w = tf_weight(j, j->in->data[k]) * j->idf[j->in->indices[k]];
            j->out->data[k] = (float)w;
            ss += w * w;
        }
        if (j->p->norm_l2 && ss > 0.0) {
            /* Recompute in double rather than rescale rounded floats. */
            double inv = 1.0 / sqrt(ss);

            for (k = a; k < b; k++)
                j->out->data[k] = (float)(tf_weight(j, j->in->data[k]) *
                                          j->idf[j->in->indices[k]] * inv);
        }
    }
    return TX_OK;
}

int tx_tfidf_apply(tx_ctx *ctx, const tx_tfidf_params *p, const double *idf,
                   const tx_csr *counts, tx_csr **out)
{
    tx_tfidf_params def;
    struct job j;
    tx_csr *m;
    size_t nnz;
    int rc, k;

    if (!ctx || !idf || !counts || !out)
        return TX_EINVAL;
    *out = NULL;
    tx_tfidf_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    nnz = counts->nnz ? counts->nnz : 1;
    m = tx__csr_new(ctx);
    if (!m)
        return TX_ENOMEM;
    *m = *counts;
    m->indptr = tx__malloc(ctx, (counts->rows + 1) * sizeof *m->indptr);
    m->indices = tx__malloc(ctx, nnz * sizeof *m->indices);
    m->data = tx__malloc(ctx, nnz * sizeof *m->data);
    if (!m->indptr || !m->indices || !m->data) {
        tx_csr_free(m);
        return TX_ENOMEM;
    }
    m->indptr[0] = counts->indptr[0];
    for (k = 1; k < TF_TABLE; k++)
        j.tf_weight[k] = 1.0 + log((double)k);
    j.tf_weight[0] = 0.0;
    j.p = p;
    j.idf = idf;
    j.in = counts;
    j.out = m;
    j.parts = (size_t)tx_ctx_threads(ctx) * 4;
    rc = tx__parallel(ctx, j.parts, weigh_rows, &j);
    if (rc != TX_OK) {
        tx_csr_free(m);
        return rc;
    }
    *out = m;
    return TX_OK;
}
