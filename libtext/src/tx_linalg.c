/*
 * Dense matrices and LSA: randomized truncated SVD of a sparse matrix.
 *
 * Y = A Omega, then power iterations Y = A (A^T Q) with re-orthonormalization
 * in between; Q = orth(Y); B = Q^T A is small (l x m) and goes to LAPACK's
 * sgesdd. Orthonormalization is an LQ factorization (sgelqf/sorglq) of the
 * row-major n x l buffer read as a column-major l x n matrix, which avoids
 * transposing the tall matrix. Sparse products are row-parallel over a
 * fixed partition with double accumulators, so results do not depend on the
 * thread count.
 */
#include "tx_internal.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* LAPACK (Fortran interface, shipped inside OpenBLAS). */
void sgelqf_(const int *m, const int *n, float *a, const int *lda, float *tau,
             float *work, const int *lwork, int *info);
void sorglq_(const int *m, const int *n, const int *k, float *a,
             const int *lda, const float *tau, float *work, const int *lwork,
             int *info);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
             int *info);
void sgesdd_(const char *jobz, const int *m, const int *n, float *a,
             const int *lda, float *s, float *u, const int *ldu, float *vt,
             const int *ldvt, float *work, const int *lwork, int *iwork,
             int *info);

/* ---- matrices ---- */

int tx_mat_new(tx_ctx *ctx, size_t rows, size_t cols, tx_mat **out)
{
    size_t head = (sizeof(tx_mat) + 127) & ~(size_t)63, n;
    char *block;
    tx_mat *m;

    if (!ctx || !out)
        return TX_EINVAL;
    *out = NULL;
    if (cols && rows > SIZE_MAX / cols / sizeof(float) - 1)
        return TX_ENOMEM;
    n = rows * cols * sizeof(float);
    /* One block: the struct, then the data at the next 64-byte boundary. */
    block = tx__malloc(ctx, head + n + 64);
    if (!block)
        return TX_ENOMEM;
    m = (tx_mat *)(void *)block;
    m->rows = rows;
    m->cols = cols;
    m->ld = cols;
    m->data = (float *)(void *)(block + head +
                                ((64 - ((uintptr_t)(block + head) & 63)) & 63));
    memset(m->data, 0, n);
    *out = m;
    return TX_OK;
}

void tx_mat_free(tx_ctx *ctx, tx_mat *m)
{
    tx_free(ctx, m);
}

void tx_mat_normalize_rows(tx_mat *m)
{
    size_t i, j;

    for (i = 0; m && i < m->rows; i++) {
        float *r = m->data + i * m->ld;
        double ss = 0.0;

        for (j = 0; j < m->cols; j++)
            ss += (double)r[j] * r[j];
        if (ss > 0.0) {
            float inv = (float)(1.0 / sqrt(ss));

            for (j = 0; j < m->cols; j++)
                r[j] *= inv;
        }
    }
}

/* ---- random numbers: splitmix64 and Box-Muller ---- */

uint64_t tx__rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double tx__rng_uniform(uint64_t *state)
{
    return (double)(tx__rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

static double gaussian(uint64_t *state)
{
    double u = tx__rng_uniform(state), v = tx__rng_uniform(state);

    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- sparse x dense ---- */

struct spmm_job {
    const tx_csr *a;
    const float *b; /* a->cols x l, row-major */
    float *c;       /* a->rows x l, row-major */
    size_t l, parts;
    tx_ctx *ctx;
};

static int spmm_part(void *arg, size_t part)
{
    struct spmm_job *j = arg;
    size_t r0 = j->a->rows * part / j->parts;
    size_t r1 = j->a->rows * (part + 1) / j->parts, r, c;
    double *acc = tx__malloc(j->ctx, j->l * sizeof *acc);
    int64_t k;

    if (!acc)
        return TX_ENOMEM;
    for (r = r0; r < r1; r++) {
        memset(acc, 0, j->l * sizeof *acc);
        for (k = j->a->indptr[r]; k < j->a->indptr[r + 1]; k++) {
            const float *brow = j->b + (size_t)j->a->indices[k] * j->l;
            double v = j->a->data[k];

            for (c = 0; c < j->l; c++)
                acc[c] += v * brow[c];
        }
        for (c = 0; c < j->l; c++)
            j->c[r * j->l + c] = (float)acc[c];
    }
    tx_free(j->ctx, acc);
    return TX_OK;
}

/* c (a->rows x l) = a * b (a->cols x l). The partition into 64 parts is
 * fixed, so the thread count never changes a result. */
static int spmm(tx_ctx *ctx, const tx_csr *a, const float *b, size_t l,
                float *c)
{
    struct spmm_job j = {a, b, c, l, 64, ctx};

    return tx__parallel(ctx, j.parts, spmm_part, &j);
}

/* The transpose of a CSR matrix, as CSR (columns become rows). */
static int csr_transpose(tx_ctx *ctx, const tx_csr *a, tx_csr **out)
{
    tx_csr *t = tx__calloc(ctx, 1, sizeof *t);
    int64_t *next = NULL;
    size_t r, c;
    int64_t k;

    *out = NULL;
    if (!t)
        return TX_ENOMEM;
    t->rows = a->cols;
    t->cols = a->rows;
    t->nnz = a->nnz;
    t->indptr = tx__calloc(ctx, t->rows + 1, sizeof *t->indptr);
    t->indices = tx__malloc(ctx, (a->nnz + 1) * sizeof *t->indices);
    t->data = tx__malloc(ctx, (a->nnz + 1) * sizeof *t->data);
    next = tx__malloc(ctx, (t->rows + 1) * sizeof *next);
    if (!t->indptr || !t->indices || !t->data || !next ||
        a->rows > INT32_MAX) {
        tx_free(ctx, next);
        tx_csr_free(ctx, t);
        return TX_ENOMEM;
    }
    for (k = 0; k < (int64_t)a->nnz; k++)
        t->indptr[a->indices[k] + 1]++;
    for (c = 0; c < t->rows; c++)
        t->indptr[c + 1] += t->indptr[c];
    memcpy(next, t->indptr, t->rows * sizeof *next);
    for (r = 0; r < a->rows; r++)
        for (k = a->indptr[r]; k < a->indptr[r + 1]; k++) {
            int64_t o = next[a->indices[k]]++;

            t->indices[o] = (int32_t)r;
            t->data[o] = a->data[k];
        }
    tx_free(ctx, next);
    *out = t;
    return TX_OK;
}

/* Orthonormal columns for the row-major n x l matrix y (in place), by
 * Householder LQ of y read as column-major l x n. Exact but level-2 heavy;
 * the fallback of cholesky_qr. */
static int householder(tx_ctx *ctx, float *y, size_t n, size_t l)
{
    int m = (int)l, nn = (int)n, lda = (int)l, lwork = -1, info = 0;
    float *tau = tx__malloc(ctx, l * sizeof *tau), q, *work;

    if (!tau)
        return TX_ENOMEM;
    sgelqf_(&m, &nn, y, &lda, tau, &q, &lwork, &info);
    lwork = (int)q + 1;
    sorglq_(&m, &nn, &m, y, &lda, tau, &q, &(int){-1}, &info);
    if ((int)q + 1 > lwork)
        lwork = (int)q + 1;
    work = tx__malloc(ctx, (size_t)lwork * sizeof *work);
    if (!work) {
        tx_free(ctx, tau);
        return TX_ENOMEM;
    }
    sgelqf_(&m, &nn, y, &lda, tau, work, &lwork, &info);
    if (info == 0)
        sorglq_(&m, &nn, &m, y, &lda, tau, work, &lwork, &info);
    tx_free(ctx, work);
    tx_free(ctx, tau);
    return info == 0 ? TX_OK : TX_EBLAS;
}

/* One Cholesky QR pass: G = Y^T Y (float SSYRK per block of rows, summed
 * in double), G = R^T R, Y = Y R^-1. Returns TX_EBLAS when G is not
 * positive definite (Y rank-deficient). */
static int cholesky_pass(tx_ctx *ctx, float *y, size_t n, size_t l)
{
    const size_t block = 4096;
    float *gb = tx__malloc(ctx, l * l * sizeof *gb);
    float *r = tx__calloc(ctx, l * l, sizeof *r);
    double *g = tx__calloc(ctx, l * l, sizeof *g);
    size_t b, i, j;
    int L = (int)l, info = 0;

    if (!gb || !r || !g) {
        tx_free(ctx, gb);
        tx_free(ctx, r);
        tx_free(ctx, g);
        return TX_ENOMEM;
    }
    for (b = 0; b < n; b += block) {
        size_t rows = n - b < block ? n - b : block;

        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, L, (int)rows,
                    1.0f, y + b * l, L, 0.0f, gb, L);
        for (i = 0; i < l; i++)
            for (j = i; j < l; j++)
                g[i * l + j] += gb[i * l + j];
    }
    /* Row-major upper = column-major lower: factor with 'L', giving
     * G = L L^T column-major, i.e. R = L^T row-major upper. */
    dpotrf_("L", &L, g, &L, &info);
    if (info == 0) {
        for (i = 0; i < l; i++)
            for (j = i; j < l; j++)
                r[i * l + j] = (float)g[i * l + j];
        cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans,
                    CblasNonUnit, (int)n, L, 1.0f, r, L, y, L);
    }
    tx_free(ctx, gb);
    tx_free(ctx, r);
    tx_free(ctx, g);
    return info == 0 ? TX_OK : TX_EBLAS;
}

/* Orthonormal columns for the row-major n x l matrix y (in place):
 * Cholesky QR twice (all level-3 BLAS; the second pass repairs the
 * orthogonality the first loses), Householder when y is rank-deficient.
 * A failed pass leaves y as it was or with the same column space, so the
 * fallback needs no copy. */
static int orthonormalize(tx_ctx *ctx, float *y, size_t n, size_t l)
{
    int rc = cholesky_pass(ctx, y, n, l);

    if (rc == TX_OK)
        rc = cholesky_pass(ctx, y, n, l);
    if (rc == TX_EBLAS)
        rc = householder(ctx, y, n, l);
    return rc;
}

void tx_svd_params_init(tx_svd_params *p)
{
    p->rank = 100;
    p->oversample = 10;
    p->power_iters = 4;
}

/* Small SVD of B = Q^T A, given as bt = A^T Q (m x l row-major, which is
 * B column-major). Writes the first `rank` right singular vectors as rows
 * of comp and the singular values. */
static int small_svd(tx_ctx *ctx, float *bt, size_t m, size_t l, size_t rank,
                     tx_mat *comp, float *sigma)
{
    int M = (int)l, N = (int)m, lda = (int)l, ldu = (int)l, ldvt = (int)l;
    int lwork = -1, info = 0, *iwork;
    float *s, *u, *vt, *work, q;
    size_t r, c;
    int rc = TX_ENOMEM;

    s = tx__malloc(ctx, l * sizeof *s);
    u = tx__malloc(ctx, l * l * sizeof *u);
    vt = tx__malloc(ctx, l * m * sizeof *vt);
    iwork = tx__malloc(ctx, 8 * l * sizeof *iwork);
    work = NULL;
    if (!s || !u || !vt || !iwork)
        goto done;
    sgesdd_("S", &M, &N, bt, &lda, s, u, &ldu, vt, &ldvt, &q, &lwork, iwork,
            &info);
    lwork = (int)q + 1;
    work = tx__malloc(ctx, (size_t)lwork * sizeof *work);
    if (!work)
        goto done;
    sgesdd_("S", &M, &N, bt, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork,
            &info);
    if (info != 0) {
        rc = TX_EBLAS;
        goto done;
    }
    /* vt is column-major l x m: V^T(r, c) = vt[r + c * l]. Fix each
     * vector's sign (largest entry positive) so it is reproducible. */
    for (r = 0; r < rank; r++) {
        float *row = comp->data + r * comp->ld, big = 0.0f;

        for (c = 0; c < m; c++) {
            row[c] = vt[r + c * l];
            if (fabsf(row[c]) > fabsf(big))
                big = row[c];
        }
        if (big < 0.0f)
            for (c = 0; c < m; c++)
                row[c] = -row[c];
        if (sigma)
            sigma[r] = s[r];
    }
    rc = TX_OK;
done:
    tx_free(ctx, s);
    tx_free(ctx, u);
    tx_free(ctx, vt);
    tx_free(ctx, iwork);
    tx_free(ctx, work);
    return rc;
}

int tx__svd_project_into(tx_ctx *ctx, const tx_mat *comp, const tx_csr *a,
                         float *out, size_t ld)
{
    tx_mat *ct = NULL;
    float *tmp;
    size_t r, c, block = 65536, b;
    int rc = tx_mat_new(ctx, comp->cols, comp->rows, &ct);

    if (rc != TX_OK)
        return rc;
    for (r = 0; r < comp->rows; r++)
        for (c = 0; c < comp->cols; c++)
            ct->data[c * ct->ld + r] = comp->data[r * comp->ld + c];
    /* Blocks of rows through a small buffer, then into the strided output. */
    tmp = tx__malloc(ctx, block * comp->rows * sizeof *tmp);
    for (b = 0; tmp && rc == TX_OK && b < a->rows; b += block) {
        size_t rows = a->rows - b < block ? a->rows - b : block;
        tx_csr part = {rows, a->cols, 0, a->indptr + b, a->indices,
                       a->data};

        rc = spmm(ctx, &part, ct->data, comp->rows, tmp);
        for (r = 0; rc == TX_OK && r < rows; r++)
            memcpy(out + (b + r) * ld, tmp + r * comp->rows,
                   comp->rows * sizeof *tmp);
    }
    if (!tmp)
        rc = TX_ENOMEM;
    tx_free(ctx, tmp);
    tx_mat_free(ctx, ct);
    return rc;
}

int tx_svd_project(tx_ctx *ctx, const tx_mat *comp, const tx_csr *a,
                   tx_mat **coords)
{
    tx_mat *ct = NULL, *x = NULL;
    size_t r, c;
    int rc;

    if (!ctx || !comp || !a || !coords || a->cols != comp->cols)
        return TX_EINVAL;
    *coords = NULL;
    /* comp^T, m x rank, so each sparse entry reads one contiguous row. */
    rc = tx_mat_new(ctx, comp->cols, comp->rows, &ct);
    if (rc == TX_OK)
        rc = tx_mat_new(ctx, a->rows, comp->rows, &x);
    if (rc == TX_OK) {
        for (r = 0; r < comp->rows; r++)
            for (c = 0; c < comp->cols; c++)
                ct->data[c * ct->ld + r] = comp->data[r * comp->ld + c];
        rc = spmm(ctx, a, ct->data, comp->rows, x->data);
    }
    tx_mat_free(ctx, ct);
    if (rc != TX_OK) {
        tx_mat_free(ctx, x);
        return rc;
    }
    *coords = x;
    return TX_OK;
}

int tx_svd_fit(tx_ctx *ctx, const tx_svd_params *p, const tx_csr *a,
               tx_mat **components, float **sigma, tx_mat **coords)
{
    tx_svd_params def;
    tx_csr *at = NULL;
    float *y = NULL, *z = NULL, *sv = NULL;
    tx_mat *comp = NULL;
    size_t n, m, rank, l, i;
    uint64_t rng;
    int it, rc;

    if (!ctx || !a || !components || !coords)
        return TX_EINVAL;
    *components = NULL;
    *coords = NULL;
    if (sigma)
        *sigma = NULL;
    if (!p) {
        tx_svd_params_init(&def);
        p = &def;
    }
    n = a->rows;
    m = a->cols;
    rank = p->rank;
    if (n < 2 || m < 2 || rank < 1 || p->power_iters < 0)
        return TX_EINVAL;
    if (rank > (n < m ? n : m) - 1)
        rank = (n < m ? n : m) - 1;
    l = rank + p->oversample;
    if (l > (n < m ? n : m))
        l = n < m ? n : m;
    if (n > INT32_MAX || m > INT32_MAX)
        return TX_ERANGE;
    y = tx__malloc(ctx, n * l * sizeof *y);
    z = tx__malloc(ctx, m * l * sizeof *z);
    sv = tx__malloc(ctx, l * sizeof *sv);
    rc = y && z && sv ? csr_transpose(ctx, a, &at) : TX_ENOMEM;
    if (rc != TX_OK)
        goto done;
    rng = tx_ctx_seed(ctx) ^ 0x5356442D4C5341ULL;
    for (i = 0; i < m * l; i++)
        z[i] = (float)gaussian(&rng);
    rc = spmm(ctx, a, z, l, y); /* Y = A Omega */
    for (it = 0; rc == TX_OK && it < p->power_iters; it++) {
        rc = orthonormalize(ctx, y, n, l);
        if (rc == TX_OK)
            rc = spmm(ctx, at, y, l, z); /* Z = A^T Q */
        if (rc == TX_OK)
            rc = orthonormalize(ctx, z, m, l);
        if (rc == TX_OK)
            rc = spmm(ctx, a, z, l, y); /* Y = A Z */
    }
    if (rc == TX_OK)
        rc = orthonormalize(ctx, y, n, l);
    if (rc == TX_OK)
        rc = spmm(ctx, at, y, l, z); /* B^T = A^T Q */
    if (rc == TX_OK)
        rc = tx_mat_new(ctx, rank, m, &comp);
    if (rc == TX_OK)
        rc = small_svd(ctx, z, m, l, rank, comp, sv);
    tx_free(ctx, y);
    y = NULL;
    if (rc == TX_OK)
        rc = tx_svd_project(ctx, comp, a, coords);
    if (rc == TX_OK && sigma) {
        *sigma = tx__malloc(ctx, rank * sizeof **sigma);
        if (*sigma)
            memcpy(*sigma, sv, rank * sizeof **sigma);
        else
            rc = TX_ENOMEM;
    }
done:
    tx_free(ctx, y);
    tx_free(ctx, z);
    tx_free(ctx, sv);
    tx_csr_free(ctx, at);
    if (rc != TX_OK) {
        tx_mat_free(ctx, comp);
        tx_mat_free(ctx, *coords);
        *coords = NULL;
        return rc;
    }
    *components = comp;
    return TX_OK;
}
