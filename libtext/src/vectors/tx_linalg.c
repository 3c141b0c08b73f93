/*
 * LSA: randomized truncated SVD of a sparse matrix.
 *
 * Z = orth(Omega) (terms x l, Gaussian), then power iterations
 * Z = orth(A^T A Z); finally the SVD within the subspace: Y = A Z, and the
 * eigenvectors of Y^T Y (Rayleigh-Ritz) rotate Z into singular vectors. Orthonormalization is an LQ factorization (sgelqf/sorglq) of the
 * row-major n x l buffer read as a column-major l x n matrix, which avoids
 * transposing the tall matrix. Sparse products are row-parallel over a
 * fixed partition, each sum in a fixed order, so results do not depend on the
 * thread count.
 */
#include "tx_internal.h"
#include "tx_vectors_private.h"

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
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a,
             const int *lda, double *w, double *work, const int *lwork,
             int *iwork, const int *liwork, int *info);


/* ---- sparse x dense ---- */

struct spmm_job {
    const tx_csr *a;
    const float *b; /* a->cols x l, row-major */
    float *c;       /* a->rows x l, rows ldc floats apart */
    size_t l, ldc, parts;
    size_t from, to; /* the rows computed */
};

TX_HOT static int spmm_part(void *arg, size_t part)
{
    struct spmm_job *j = arg;
    size_t n = j->to - j->from;
    size_t r0 = j->from + n * part / j->parts;
    size_t r1 = j->from + n * (part + 1) / j->parts, r, c, l = j->l;
    int64_t k;

    /* Float sums in a fixed order: vectorizes, and stays reproducible. */
    for (r = r0; r < r1; r++) {
        float *acc = j->c + r * j->ldc;

        memset(acc, 0, l * sizeof *acc);
        for (k = j->a->indptr[r]; k < j->a->indptr[r + 1]; k++) {
            const float *brow = j->b + (size_t)j->a->indices[k] * l;
            float v = j->a->data[k];

            for (c = 0; c < l; c++)
                acc[c] += v * brow[c];
        }
    }
    return TX_OK;
}

/* c (a->rows x l, rows ldc floats apart) = a * b (a->cols x l). Each row
 * is its own sum; the partition into 64 parts is fixed, so the thread
 * count never changes a result. */
static int spmm_ld(tx_ctx *ctx, const tx_csr *a, const float *b, size_t l,
                   float *c, size_t ldc)
{
    struct spmm_job j = {a, b, c, l, ldc, 64, 0, a->rows};

    return tx__parallel(ctx, j.parts, spmm_part, &j);
}

/* ---- the tall products of the SVD, held apart by the ranks ---- */

/* Y = A Z (documents x l) is the SVD's largest array. Two sums run over
 * its rows: Z = A^T Y in a few fixed parts (spmm_t), and its Gram matrix
 * in fixed blocks (gram). With several ranks each takes a run of the
 * parts, computes the Gram blocks that start in them, and holds the rows
 * of both, and no others; the parts' sums and the blocks' Gram matrices
 * are exchanged and added in order, so every rank gets one process's
 * result. */
struct tall {
    tx__rows_split s; /* s.ranks 1: this rank does all */
    int rank;
    size_t p0, p1; /* this rank's parts */
    size_t b0, b1; /* the Gram blocks it computes */
    size_t from, to; /* the rows it holds */
};

/* Rows per Gram block of an n-row Y: at most 64 blocks of at least 4096
 * rows, the split depending on n alone. */
static size_t gram_block_rows(size_t n)
{
    return (n + 63) / 64 < 4096 ? 4096 : (n + 63) / 64;
}

/* Parts of the sums of A^T Y (a->cols x l each): at most ~256 MB of them,
 * the count depending on the matrix alone. */
static size_t spmm_t_parts(const tx_csr *a, size_t l)
{
    size_t per = a->cols * l, n_parts = 4;

    while (n_parts > 1 && n_parts * per * sizeof(float) > (256u << 20))
        n_parts--;
    return n_parts;
}

static void tall_init(const tx_ctx *ctx, const tx_csr *a, size_t l,
                      bool split, struct tall *t)
{
    split = split && tx__comm_many(ctx);
    t->s = (tx__rows_split){a->rows, spmm_t_parts(a, l),
                            gram_block_rows(a->rows),
                            split ? ctx->comm.ranks : 1};
    t->rank = split ? ctx->comm.rank : 0;
    tx__split_parts(&t->s, t->rank, &t->p0, &t->p1);
    tx__split_blocks(&t->s, t->rank, &t->b0, &t->b1);
    tx__split_held(&t->s, t->rank, &t->from, &t->to);
}

/* y (a->rows x l) = a * b, the rows this rank holds. */
static int spmm(tx_ctx *ctx, const tx_csr *a, const float *b, size_t l,
                float *y, const struct tall *t)
{
    struct spmm_job j = {a, b, y, l, l, 64, t->from, t->to};

    return tx__parallel(ctx, j.parts, spmm_part, &j);
}

/* Collective: every rank's items of `array` (items of `size` bytes) to
 * every rank: its parts (blocks = false) or its Gram blocks (true). */
static int tall_exchange(tx_ctx *ctx, int rc, const struct tall *t,
                         bool blocks, void *array, size_t size)
{
    size_t R = (size_t)ctx->comm.ranks, r;
    size_t *starts;

    if (t->s.ranks == 1)
        return rc;
    starts = tx__malloc(ctx, (R + 1) * sizeof *starts);
    for (r = 0; starts && r < R; r++)
        (blocks ? tx__split_blocks : tx__split_parts)(&t->s, (int)r,
                                                      &starts[r],
                                                      &starts[r + 1]);
    /* straight into the array: the parts' sums are the LSA's second
     * largest array, and a copy of them would set a rank's peak */
    rc = tx__comm_gather_ranges(ctx, starts ? rc : TX_ENOMEM, array, starts,
                                size);
    tx_free(ctx, starts);
    return rc;
}

/* z (a->cols x l) = a^T y (y: a->rows x l), by scattering each row of y
 * into the rows of z its terms name: y streams through once and z (terms
 * x l) stays in cache, where reading y through a transposed a would jump
 * across all of it. Documents are split into a fixed number of parts,
 * each summed into its own copy of z in document order; the copies are
 * added in part order. */
struct spmm_t_job {
    const tx_csr *a;
    const float *y;
    float *parts; /* n_parts x cols x l */
    size_t l, n_parts;
};

TX_HOT static int spmm_t_part(void *arg, size_t part)
{
    struct spmm_t_job *j = arg;
    size_t l = j->l, r, c;
    size_t r0 = j->a->rows * part / j->n_parts;
    size_t r1 = j->a->rows * (part + 1) / j->n_parts;
    float *z = j->parts + part * j->a->cols * l;
    int64_t k;

    memset(z, 0, j->a->cols * l * sizeof *z);
    for (r = r0; r < r1; r++) {
        const float *yrow = j->y + r * l;

        for (k = j->a->indptr[r]; k < j->a->indptr[r + 1]; k++) {
            float *zrow = z + (size_t)j->a->indices[k] * l;
            float v = j->a->data[k];

            for (c = 0; c < l; c++)
                zrow[c] += v * yrow[c];
        }
    }
    return TX_OK;
}

TX_HOT static int spmm_t(tx_ctx *ctx, const tx_csr *a, const float *y,
                         size_t l, float *z, const struct tall *t)
{
    size_t per = a->cols * l, n_parts = t->s.parts, p, i;
    struct spmm_t_job j;
    int rc;

    j.a = a;
    j.y = y;
    j.l = l;
    j.n_parts = n_parts;
    j.parts = n_parts > 1 ? tx__malloc(ctx, n_parts * per * sizeof(float))
                          : z;
    /* a rank without memory still takes part in the exchange */
    rc = j.parts ? tx__parallel_range(ctx, t->p0, t->p1, spmm_t_part, &j)
                 : TX_ENOMEM;
    rc = tall_exchange(ctx, rc, t, false, j.parts, per * sizeof(float));
    if (rc == TX_OK && n_parts > 1) {
        memcpy(z, j.parts, per * sizeof *z);
        for (p = 1; p < n_parts; p++)
            for (i = 0; i < per; i++)
                z[i] += j.parts[p * per + i];
    }
    if (n_parts > 1)
        tx_free(ctx, j.parts);
    return rc;
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

/* G = Y^T Y (upper triangle, row-major l x l, double): float SSYRK per
 * fixed block of rows (blocks spread over the threads), block results
 * summed in double in block order. */
struct gram_job {
    const float *y;
    size_t n, l, block;
    float *out; /* n_blocks x l x l */
};

static int gram_block(void *arg, size_t b)
{
    struct gram_job *j = arg;
    size_t r0 = b * j->block, rows = j->n - r0 < j->block ? j->n - r0
                                                          : j->block;

    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)j->l, (int)rows,
                1.0f, j->y + r0 * j->l, (int)j->l, 0.0f,
                j->out + b * j->l * j->l, (int)j->l);
    return TX_OK;
}

/* `t`: the ranks hold y's rows apart (NULL: every rank has all of y);
 * then every rank calls this, `rc` its state so far. */
static int gram(tx_ctx *ctx, int rc, const float *y, size_t n, size_t l,
                double *g, const struct tall *t)
{
    struct gram_job j = {y, n, l, 0, NULL};
    size_t nb, b, i, k;

    /* the split depends only on n, never on the threads */
    j.block = gram_block_rows(n);
    nb = (n + j.block - 1) / j.block;
    j.out = rc == TX_OK ? tx__malloc(ctx, nb * l * l * sizeof *j.out) : NULL;
    if (rc == TX_OK && !j.out)
        rc = TX_ENOMEM;
    if (rc == TX_OK)
        rc = t ? tx__parallel_range(ctx, t->b0, t->b1, gram_block, &j)
               : tx__parallel(ctx, nb, gram_block, &j);
    if (t)
        rc = tall_exchange(ctx, rc, t, true, j.out, l * l * sizeof *j.out);
    if (rc == TX_OK)
        memset(g, 0, l * l * sizeof *g);
    for (b = 0; rc == TX_OK && b < nb; b++)
        for (i = 0; i < l; i++)
            for (k = i; k < l; k++)
                g[i * l + k] += j.out[(b * l + i) * l + k];
    tx_free(ctx, j.out);
    return rc;
}

/* One Cholesky QR pass: G = Y^T Y, G = R^T R, Y = Y R^-1. Returns TX_EBLAS
 * when G is not positive definite (Y rank-deficient). */
static int cholesky_pass(tx_ctx *ctx, float *y, size_t n, size_t l)
{
    float *r = tx__calloc(ctx, l * l, sizeof *r);
    double *g = tx__calloc(ctx, l * l, sizeof *g);
    size_t i, j;
    int L = (int)l, info = 0;

    if (!r || !g || gram(ctx, TX_OK, y, n, l, g, NULL) != TX_OK) {
        tx_free(ctx, r);
        tx_free(ctx, g);
        return TX_ENOMEM;
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
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->rank = 100;
    p->oversample = 10;
    p->power_iters = 2;
}

/* Rayleigh-Ritz on the right subspace: with z (m x l) orthonormal and
 * y = A z (n x l), the eigenvectors W of y^T y (double, LAPACK dsyevd)
 * give singular values sqrt(eig) and right singular vectors z W. This
 * needs one Gram matrix of the tall y instead of a QR of it. Writes the
 * first `rank` vectors as rows of comp, largest first. */
static int ritz(tx_ctx *ctx, const float *y, size_t n, const float *z,
                size_t m, size_t l, size_t rank, tx_mat *comp, float *sigma,
                const struct tall *t)
{
    double *g = tx__malloc(ctx, l * l * sizeof *g);
    double *w = tx__malloc(ctx, l * sizeof *w), q, *work = NULL;
    float *wt = NULL;
    int L = (int)l, lwork = -1, liwork = -1, qi = 0, *iwork = NULL, info = 0;
    size_t r, c, i;
    int rc = gram(ctx, g && w ? TX_OK : TX_ENOMEM, y, n, l, g, t);

    if (rc != TX_OK)
        goto done;
    rc = TX_ENOMEM;
    /* Row-major upper = column-major lower. */
    dsyevd_("V", "L", &L, g, &L, w, &q, &lwork, &qi, &liwork, &info);
    lwork = (int)q + 1;
    liwork = qi + 1;
    work = tx__malloc(ctx, (size_t)lwork * sizeof *work);
    iwork = tx__malloc(ctx, (size_t)liwork * sizeof *iwork);
    if (!work || !iwork)
        goto done;
    dsyevd_("V", "L", &L, g, &L, w, work, &lwork, iwork, &liwork, &info);
    if (info != 0) {
        rc = TX_EBLAS;
        goto done;
    }
    /* Eigenvalues ascend; eigenvector e is column e of column-major g,
     * i.e. g[e * l + i]. Component r = z * (eigenvector l-1-r), all at
     * once as one GEMM: comp (rank x m) = W^T (rank x l) z^T. */
    wt = tx__malloc(ctx, rank * l * sizeof *wt);
    if (!wt)
        goto done;
    for (r = 0; r < rank; r++)
        for (i = 0; i < l; i++)
            wt[r * l + i] = (float)g[(l - 1 - r) * l + i];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rank, (int)m,
                (int)l, 1.0f, wt, (int)l, z, (int)l, 0.0f, comp->data,
                (int)comp->ld);
    for (r = 0; r < rank; r++) {
        float *row = comp->data + r * comp->ld, big = 0.0f;

        for (c = 0; c < m; c++)
            if (fabsf(row[c]) > fabsf(big))
                big = row[c];
        /* Sign: largest entry positive, so it is reproducible. */
        if (big < 0.0f)
            for (c = 0; c < m; c++)
                row[c] = -row[c];
        if (sigma)
            sigma[r] = (float)sqrt(w[l - 1 - r] > 0 ? w[l - 1 - r] : 0.0);
    }
    rc = TX_OK;
done:
    tx_free(ctx, g);
    tx_free(ctx, w);
    tx_free(ctx, wt);
    tx_free(ctx, work);
    tx_free(ctx, iwork);
    return rc;
}

int tx__svd_components_t(tx_ctx *ctx, const tx_mat *comp, tx_mat **out)
{
    size_t r, c;
    int rc = tx_mat_new(ctx, comp->cols, comp->rows, out);

    for (r = 0; rc == TX_OK && r < comp->rows; r++)
        for (c = 0; c < comp->cols; c++)
            (*out)->data[c * (*out)->ld + r] = comp->data[r * comp->ld + c];
    return rc;
}

int tx__svd_project_t(tx_ctx *ctx, const tx_mat *ct, const tx_csr *a,
                      float *out, size_t ld)
{
    /* straight into the (possibly strided) rows of out, on the threads */
    return spmm_ld(ctx, a, ct->data, ct->cols, out, ld);
}

int tx__svd_project_into(tx_ctx *ctx, const tx_mat *comp, const tx_csr *a,
                         float *out, size_t ld)
{
    tx_mat *ct = NULL;
    int rc = tx__svd_components_t(ctx, comp, &ct);

    if (rc == TX_OK)
        rc = tx__svd_project_t(ctx, ct, a, out, ld);
    tx_mat_free(ct);
    return rc;
}

int tx_svd_project(tx_ctx *ctx, const tx_mat *comp, const tx_csr *a,
                   tx_mat **coords)
{
    int rc;

    if (!ctx || !comp || !a || !coords || a->cols != comp->cols)
        return TX_EINVAL;
    rc = tx__mat_alloc(ctx, a->rows, comp->rows, false, coords);
    if (rc == TX_OK)
        rc = tx__svd_project_into(ctx, comp, a, (*coords)->data,
                                  (*coords)->ld);
    if (rc != TX_OK) {
        tx_mat_free(*coords);
        *coords = NULL;
    }
    return rc;
}

/* With several ranks splitting the work, every rank agrees on each
 * step's outcome, so all go on or all stop together. */
static int agree(tx_ctx *ctx, const struct tall *t, int rc)
{
    return t->s.ranks > 1 ? tx__comm_agree(ctx, rc, NULL) : rc;
}

int tx_svd_fit(tx_ctx *ctx, const tx_svd_params *p, const tx_csr *a,
               tx_mat **components, float **sigma, tx_mat **coords)
{
    return tx__svd_fit(ctx, p, a, false, components, sigma, coords);
}

int tx__svd_fit(tx_ctx *ctx, const tx_svd_params *p, const tx_csr *a,
                bool split, tx_mat **components, float **sigma,
                tx_mat **coords)
{
    tx_svd_params def;
    float *y = NULL, *z = NULL, *sv = NULL;
    tx_mat *comp = NULL, *ym = NULL;
    struct tall t;
    size_t n, m, rank, l, i;
    uint64_t rng;
    int it, rc;

    if (!ctx || !a || !components)
        return TX_EINVAL;
    *components = NULL;
    if (coords)
        *coords = NULL;
    if (sigma)
        *sigma = NULL;
    tx_svd_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
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
    /* Y lives in a matrix that later holds the coordinates (n x rank fits
     * in n x l), so its pages are touched once. */
    if (tx__mat_alloc(ctx, n, l, false, &ym) == TX_OK)
        y = ym->data;
    z = tx__malloc(ctx, m * l * sizeof *z);
    sv = tx__malloc(ctx, l * sizeof *sv);
    tall_init(ctx, a, l, split, &t);
    rc = agree(ctx, &t, y && z && sv ? TX_OK : TX_ENOMEM);
    if (rc != TX_OK)
        goto done;
    rng = tx_ctx_seed(ctx) ^ 0x5356442D4C5341ULL;
    /* A random start; uniform entries serve subspace iteration as well as
     * Gaussian ones and cost a fraction. */
    for (i = 0; i < m * l; i++)
        z[i] = (float)(tx__rng_uniform(&rng) - 0.5);
    /* Only the short side (terms x l) is ever orthonormalized, after each
     * A^T A step: Y = A Z is as well conditioned as A, and the tall Y
     * (documents x l) is never factored, only its small Gram matrix (see
     * ritz). */
    if (p->power_iters == 0)
        rc = agree(ctx, &t, orthonormalize(ctx, z, m, l));
    for (it = 0; rc == TX_OK && it < p->power_iters; it++) {
        rc = spmm(ctx, a, z, l, y, &t); /* Y = A Z */
        if (rc == TX_OK)
            rc = spmm_t(ctx, a, y, l, z, &t); /* Z = A^T Y */
        if (rc == TX_OK)
            rc = agree(ctx, &t, orthonormalize(ctx, z, m, l));
    }
    if (rc == TX_OK)
        rc = spmm(ctx, a, z, l, y, &t); /* Y = A Z */
    if (rc == TX_OK)
        rc = agree(ctx, &t, tx_mat_new(ctx, rank, m, &comp));
    if (rc == TX_OK)
        rc = agree(ctx, &t, ritz(ctx, y, n, z, m, l, rank, comp, sv, &t));
    if (rc == TX_OK && coords) { /* a pass over a, skipped when unwanted */
        ym->cols = ym->ld = rank;
        rc = tx__svd_project_into(ctx, comp, a, ym->data, rank);
    }
    if (rc == TX_OK && coords) {
        *coords = ym;
        ym = NULL;
    }
    if (rc == TX_OK && sigma) {
        *sigma = tx__malloc(ctx, rank * sizeof **sigma);
        if (*sigma)
            memcpy(*sigma, sv, rank * sizeof **sigma);
        else
            rc = TX_ENOMEM;
    }
done:
    tx_mat_free(ym);
    tx_free(ctx, z);
    tx_free(ctx, sv);
    if (rc != TX_OK) {
        tx_mat_free(comp);
        if (coords) {
            tx_mat_free(*coords);
            *coords = NULL;
        }
        return rc;
    }
    *components = comp;
    return TX_OK;
}
