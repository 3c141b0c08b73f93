/* The HDF5 adapter's interface (store/tx_h5.c): what the file layouts of
 * the vectors, themes and causes modules need, without hdf5.h. Locations
 * are HDF5 ids (files or groups); a negative one is a failure. None of
 * this is reentrant: HDF5's default build is not thread-safe. Never
 * installed. */
#ifndef TX_H5_STORE_H
#define TX_H5_STORE_H

#include "tx_internal.h"

#include <math.h>

/* Bumped when the vectors or themes layout changes incompatibly. */
#define TX_H5_FORMAT 1

typedef int64_t tx__h5loc;

/* Element types of datasets and attributes (native byte order). */
enum tx__h5type {
    TX__H5_I32, TX__H5_U32, TX__H5_I64, TX__H5_U64, TX__H5_F32, TX__H5_F64
};

/* Creates `path` through a temporary name: `write` fills the open file,
 * which is renamed into place only when complete, so a failure leaves no
 * file behind. Objects carry no timestamps, so the same content gives a
 * byte-identical file. */
typedef int (*tx__h5_writer)(tx_ctx *ctx, tx__h5loc f, const void *arg);
int tx__h5_save(tx_ctx *ctx, const char *path, tx__h5_writer write,
                const void *arg, tx_diag *diag);
/* Opens `path` read-only, with HDF5's own error printing off, and runs
 * `read` on it. A file that cannot be read gives TX_EIO and one that is
 * not HDF5 (or will not open) TX_EFORMAT, with `diag` set to `missing` or
 * `damaged`. */
typedef int (*tx__h5_reader)(tx_ctx *ctx, tx__h5loc f, const char *path,
                             void *arg, tx_diag *diag);
int tx__h5_load(tx_ctx *ctx, const char *path, tx__h5_reader read, void *arg,
                const char *missing, const char *damaged, tx_diag *diag);

/* Groups. */
tx__h5loc tx__h5_group_new(tx__h5loc loc, const char *name);
tx__h5loc tx__h5_group_open(tx__h5loc loc, const char *name);
void tx__h5_group_close(tx__h5loc g); /* a negative g is ignored */
bool tx__h5_exists(tx__h5loc loc, const char *path);

/* Writing: 1-D datasets of n elements, variable-length UTF-8 strings,
 * 2-D float matrices (rows packed), scalar attributes. */
int tx__h5_write(tx__h5loc loc, const char *name, enum tx__h5type type,
                 size_t n, const void *data);
int tx__h5_write_strings(tx__h5loc loc, const char *name, const char **s,
                         size_t n);
int tx__h5_write_mat(tx__h5loc loc, const char *name, const tx_mat *m);
int tx__h5_attr_long(tx__h5loc loc, const char *name, long v);
int tx__h5_attr_double(tx__h5loc loc, const char *name, double v);
int tx__h5_attr_str(tx__h5loc loc, const char *name, const char *v);

/* Reading: a 1-D dataset into a new buffer of *n elements of `elem`
 * bytes; strings as caller-owned copies (tx__h5_strings_free); a 2-D
 * float matrix; scalar attributes. TX_EFORMAT when absent or of the wrong
 * shape. */
int tx__h5_read(tx_ctx *ctx, tx__h5loc loc, const char *name,
                enum tx__h5type type, size_t elem, void **out, size_t *n);
int tx__h5_read_strings(tx_ctx *ctx, tx__h5loc loc, const char *name,
                        char ***out, size_t *n);
void tx__h5_strings_free(tx_ctx *ctx, char **s, size_t n);
int tx__h5_read_mat(tx_ctx *ctx, tx__h5loc loc, const char *name,
                    tx_mat **out);
int tx__h5_attr_read(tx__h5loc loc, const char *name, enum tx__h5type type,
                     void *v);
int tx__h5_attr_read_long(tx__h5loc f, const char *name, long long *v);
int tx__h5_attr_read_str(tx_ctx *ctx, tx__h5loc f, const char *name,
                         char **out);

/* A 2-D float dataset of an HDF5 file (external document vectors). */
int tx__h5_load_matrix(tx_ctx *ctx, const char *path, const char *dataset,
                       tx_mat **out, tx_diag *diag);

/* Loaded numbers must be finite: a damaged file must not bring NaN or
 * infinity into the arithmetic. */
static inline bool tx__finite_f(const float *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

static inline bool tx__finite_d(const double *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

/* True for a NULL matrix too (an optional part that is absent). */
static inline bool tx__finite_mat(const tx_mat *m)
{
    size_t r;

    for (r = 0; m && r < m->rows; r++)
        if (!tx__finite_f(m->data + r * m->ld, m->cols))
            return false;
    return true;
}

#endif
