/*
 * Vectors made elsewhere: document embeddings (.npy here, HDF5 through
 * tx_h5.c) and pretrained word vectors (word2vec text/binary, GloVe,
 * fastText .vec).
 */
#include "tx_internal.h"
#include "store/tx_h5_store.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Rejects NaN and infinities, naming the first bad cell. */
static int check_finite(const tx_mat *m, const char *path, tx_diag *diag)
{
    size_t r, c;

    for (r = 0; r < m->rows; r++)
        for (c = 0; c < m->cols; c++)
            if (!isfinite(m->data[r * m->ld + c])) {
                tx__diag_set(diag, path, 0,
                             "row %zu, column %zu is %s (vectors must be "
                             "finite)", r + 1, c + 1,
                             isnan(m->data[r * m->ld + c]) ? "NaN"
                                                           : "infinite");
                return TX_EFORMAT;
            }
    return TX_OK;
}

/* The value after `key` in a .npy header dict, e.g. 'descr': '<f4'. */
static const char *npy_field(const char *h, const char *key)
{
    const char *p = strstr(h, key);

    if (!p)
        return NULL;
    p = strchr(p + strlen(key), ':');
    if (!p)
        return NULL;
    p++;
    while (*p == ' ')
        p++;
    return p;
}

static int load_npy(tx_ctx *ctx, const char *path, tx_mat **out,
                    tx_diag *diag)
{
    FILE *f = fopen(path, "rb");
    unsigned char pre[12];
    char *h = NULL;
    size_t hlen, n = 0, d = 0, item, r, c, left = 0;
    struct stat st;
    const char *descr, *order, *shape;
    int rc = TX_EFORMAT;
    void *raw = NULL;

    *out = NULL;
    if (!f) {
        tx__diag_set(diag, path, 0, "%s", strerror(errno));
        return TX_EIO;
    }
    if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
        tx__diag_set(diag, path, 0, "not a .npy file");
        goto done;
    }
    if (pre[6] == 1) {
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
    } else if (fread(pre + 10, 1, 2, f) == 2) {
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
               (size_t)pre[11] << 24;
    } else {
        tx__diag_set(diag, path, 0, "truncated .npy header");
        goto done;
    }
    /* Sizes come from the file, so they are checked against its length
     * before anything is allocated. */
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0 ||
        (left = (size_t)st.st_size - (size_t)ftell(f)) < hlen) {
        tx__diag_set(diag, path, 0, "truncated .npy header");
        goto done;
    }
    left -= hlen;
    h = tx__malloc(ctx, hlen + 1);
    if (!h || fread(h, 1, hlen, f) != hlen) {
        tx__diag_set(diag, path, 0, "truncated .npy header");
        rc = h ? TX_EFORMAT : TX_ENOMEM;
        goto done;
    }
    h[hlen] = '\0';
    descr = npy_field(h, "'descr'");
    order = npy_field(h, "'fortran_order'");
    shape = npy_field(h, "'shape'");
    if (!descr || !order || !shape ||
        sscanf(shape, "(%zu, %zu)", &n, &d) != 2) {
        tx__diag_set(diag, path, 0, "need a 2-D array (rows, dims)");
        goto done;
    }
    if (strncmp(order, "False", 5) != 0) {
        tx__diag_set(diag, path, 0, "Fortran-ordered arrays are not read; "
                                    "save with numpy.ascontiguousarray");
        goto done;
    }
    if (strncmp(descr, "'<f4'", 5) == 0)
        item = 4;
    else if (strncmp(descr, "'<f8'", 5) == 0)
        item = 8;
    else {
        tx__diag_set(diag, path, 0, "dtype must be float32 or float64");
        goto done;
    }
    if (n == 0 || d == 0 || d > (1u << 20) || n > SIZE_MAX / d / 8) {
        tx__diag_set(diag, path, 0, "bad shape (%zu, %zu)", n, d);
        goto done;
    }
    if (n * d * item > left) {
        tx__diag_set(diag, path, 0, "truncated: fewer values than shape "
                                    "(%zu, %zu)", n, d);
        goto done;
    }
    raw = tx__malloc(ctx, n * d * item);
    rc = raw ? tx_mat_new(ctx, n, d, out) : TX_ENOMEM;
    if (rc != TX_OK)
        goto done;
    if (fread(raw, item, n * d, f) != n * d) {
        tx__diag_set(diag, path, 0, "truncated: fewer values than shape "
                                    "(%zu, %zu)", n, d);
        rc = TX_EFORMAT;
        goto done;
    }
    for (r = 0; r < n; r++)
        for (c = 0; c < d; c++) {
            double v = item == 4 ? ((float *)raw)[r * d + c]
                                 : ((double *)raw)[r * d + c];

            /* beyond float's range is infinite once stored (converting
             * it as it is would be undefined behaviour) */
            (*out)->data[r * (*out)->ld + c] =
                isnan(v) || fabs(v) <= FLT_MAX ? (float)v
                : v > 0 ? INFINITY : -INFINITY;
        }
    rc = check_finite(*out, path, diag);
done:
    if (rc != TX_OK) {
        tx_mat_free(*out);
        *out = NULL;
    }
    tx_free(ctx, raw);
    tx_free(ctx, h);
    fclose(f);
    return rc;
}

int tx_embeddings_load(tx_ctx *ctx, const char *path, const char *dataset,
                       tx_mat **out, tx_diag *diag)
{
    size_t n;
    int rc;

    if (!ctx || !path || !out)
        return TX_EINVAL;
    *out = NULL;
    if (diag)
        diag->message[0] = '\0';
    n = strlen(path);
    if (n >= 4 && strcmp(path + n - 4, ".npy") == 0)
        return load_npy(ctx, path, out, diag);
    rc = tx__h5_load_matrix(ctx, path, dataset ? dataset : "embeddings", out,
                            diag);
    if (rc == TX_OK && (rc = check_finite(*out, path, diag)) != TX_OK) {
        tx_mat_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- pretrained word vectors ---- */

struct word_acc {
    tx_tokenizer *tok;
    const tx_vocab *v;
    long term;
    int n;
};

static int first_term(void *ud, const tx_token *t)
{
    struct word_acc *a = ud;

    a->n++;
    if (a->n == 1)
        a->term = tx_vocab_lookup(a->v, t->term, t->term_len);
    return 0;
}

/* Adds vector `vec` to the row of the term `word` maps to, if exactly one
 * term and it is in the vocabulary. */
static void add_word(struct word_acc *a, const char *word, size_t wl,
                     const float *vec, size_t dim, tx_mat *m, int *count)
{
    size_t j;

    a->term = -1;
    a->n = 0;
    tx_tokenize(a->tok, word, wl, first_term, a);
    if (a->n != 1 || a->term < 0)
        return;
    for (j = 0; j < dim; j++)
        m->data[(size_t)a->term * m->ld + j] += vec[j];
    count[a->term]++;
}

static bool is_header(const char *line, size_t *count, size_t *dim)
{
    char tail[8];

    return sscanf(line, "%zu %zu %7s", count, dim, tail) == 2;
}

int tx_wordvec_load(tx_ctx *ctx, const char *path,
                    const tx_tokenizer_params *tp, const tx_vocab *vocab,
                    tx_mat **vectors, size_t *found, tx_diag *diag)
{
    struct word_acc a = {NULL, vocab, -1, 0};
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0, count = 0, dim = 0, V = tx_vocab_size(vocab), i, j;
    ssize_t len;
    float *vec = NULL;
    int *hits = NULL, rc, binary;
    long lineno = 0;
    size_t n_read = 0; /* vectors read, checked against the header's count */
    tx_mat *m = NULL;

    if (!ctx || !path || !vocab || !vectors)
        return TX_EINVAL;
    *vectors = NULL;
    if (found)
        *found = 0;
    binary = strlen(path) >= 4 && strcmp(path + strlen(path) - 4, ".bin") == 0;
    f = fopen(path, "rb");
    if (!f) {
        tx__diag_set(diag, path, 0, "%s", strerror(errno));
        return TX_EIO;
    }
    rc = tx_tokenizer_new(ctx, tp, &a.tok);
    len = rc == TX_OK ? getline(&line, &cap, f) : -1;
    lineno = 1;
    if (rc == TX_OK && len <= 0)
        rc = TX_EFORMAT;
    if (rc == TX_OK && !is_header(line, &count, &dim)) {
        /* GloVe: no header; the first line's fields give the dimension. */
        char *p = line;

        if (binary)
            rc = TX_EFORMAT;
        for (dim = 0; rc == TX_OK && *p;) {
            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p || *p == '\n' || *p == '\r')
                break;
            while (*p && *p != ' ' && *p != '\t' && *p != '\n')
                p++;
            dim++;
        }
        dim = dim ? dim - 1 : 0;
        rewind(f);
        lineno = 0;
    }
    if (rc == TX_OK && (dim == 0 || dim > 100000))
        rc = TX_EFORMAT;
    if (rc == TX_EFORMAT)
        tx__diag_set(diag, path, 1, "not word vectors (expected 'COUNT DIM' "
                                    "or 'word v1 v2 ...')");
    if (rc == TX_OK) {
        vec = tx__malloc(ctx, dim * sizeof *vec);
        hits = tx__calloc(ctx, V + 1, sizeof *hits);
        rc = vec && hits ? tx_mat_new(ctx, V, dim, &m) : TX_ENOMEM;
    }
    while (rc == TX_OK) {
        if (binary) {
            char word[1024];
            size_t wl = 0;
            int ch;

            while ((ch = fgetc(f)) != EOF && ch != ' ' && wl < sizeof word - 1)
                if (ch != '\n' || wl > 0)
                    word[wl++] = (char)ch;
            if (ch == EOF)
                break;
            if (fread(vec, sizeof *vec, dim, f) != dim) {
                tx__diag_set(diag, path, 0, "truncated after word %zu",
                             n_read);
                rc = TX_EFORMAT;
                break;
            }
            lineno++;
            for (j = 0; j < dim && isfinite(vec[j]); j++)
                ;
            if (j < dim) {
                tx__diag_set(diag, path, 0, "word %zu has a value that is "
                             "not a finite number", n_read + 1);
                rc = TX_EFORMAT;
                break;
            }
            word[wl] = '\0';
            add_word(&a, word, wl, vec, dim, m, hits);
            n_read++;
            continue;
        }
        len = getline(&line, &cap, f);
        if (len < 0)
            break;
        lineno++;
        {
            char *p = line, *end;
            size_t wl;

            while (*p == ' ')
                p++;
            wl = strcspn(p, " \t\r\n");
            if (wl == 0)
                continue;
            end = p + wl;
            for (j = 0; j < dim; j++) {
                char *next;

                errno = 0;
                vec[j] = strtof(end, &next);
                if (next == end || errno || !isfinite(vec[j]))
                    break;
                end = next;
            }
            if (j == dim)
                end += strspn(end, " \t\r\n");
            if (j < dim || *end) {
                tx__diag_set(diag, path, lineno,
                             "expected %zu finite numbers after the word",
                             dim);
                rc = TX_EFORMAT;
                break;
            }
            add_word(&a, p, wl, vec, dim, m, hits);
            n_read++;
        }
    }
    if (rc == TX_OK && count && n_read != count) {
        tx__diag_set(diag, path, 0, "the header announces %zu vectors but "
                     "the file has %zu (truncated?)", count, n_read);
        rc = TX_EFORMAT;
    }
    for (i = 0; rc == TX_OK && i < V; i++)
        if (hits[i]) {
            for (j = 0; j < dim; j++)
                m->data[i * m->ld + j] /= (float)hits[i];
            if (found)
                (*found)++;
        }
    free(line);
    fclose(f);
    tx_tokenizer_free(a.tok);
    tx_free(ctx, vec);
    tx_free(ctx, hits);
    if (rc != TX_OK) {
        tx_mat_free(m);
        return rc;
    }
    *vectors = m;
    return TX_OK;
}
