/*
 * The HDF5 adapter: the only file that includes hdf5.h. HDF5's default
 * build is not thread-safe, so loading and saving are not reentrant. The
 * file layouts live next to their modules (vectors/tx_vectors_file.c,
 * themes/tx_themes_file.c, causes/tx_causes_file.c) and call the small
 * interface of store/tx_h5_store.h.
 */
#include "tx_h5_store.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(hid_t) == sizeof(tx__h5loc), "hid_t is 64 bits");

static hid_t native(enum tx__h5type t)
{
    switch (t) {
    case TX__H5_I32: return H5T_NATIVE_INT32;
    case TX__H5_U32: return H5T_NATIVE_UINT32;
    case TX__H5_I64: return H5T_NATIVE_INT64;
    case TX__H5_U64: return H5T_NATIVE_UINT64;
    case TX__H5_F32: return H5T_NATIVE_FLOAT;
    default: return H5T_NATIVE_DOUBLE;
    }
}

tx__h5loc tx__h5_group_open(tx__h5loc loc, const char *name)
{
    return H5Gopen2(loc, name, H5P_DEFAULT);
}

void tx__h5_group_close(tx__h5loc g)
{
    if (g >= 0)
        H5Gclose(g);
}

bool tx__h5_exists(tx__h5loc loc, const char *path)
{
    return H5Lexists(loc, path, H5P_DEFAULT) > 0;
}

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

hid_t tx__h5_group_new(hid_t loc, const char *name)
{
    hid_t pl = untimed(H5P_GROUP_CREATE);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT);

    H5Pclose(pl);
    return g;
}

static int write_typed(hid_t loc, const char *name, hid_t type, size_t n,
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

int tx__h5_write_strings(hid_t loc, const char *name, const char **s,
                         size_t n)
{
    hid_t t = str_type();
    int rc = write_typed(loc, name, t, n, s);

    H5Tclose(t);
    return rc;
}

int tx__h5_attr_long(hid_t loc, const char *name, long v)
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

int tx__h5_attr_double(hid_t loc, const char *name, double v)
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

int tx__h5_attr_str(hid_t loc, const char *name, const char *v)
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

/* The file a symbolic link at `path` names, even when it does not exist
 * yet (a link made for the output); NULL when `path` is not a link. */
static char *link_target(const char *path)
{
    char buf[4096], *out, *slash;
    ssize_t n;
    size_t dir;

    out = realpath(path, NULL);
    if (out)
        return out;
    n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        return NULL;
    buf[n] = '\0';
    slash = strrchr(path, '/');
    dir = buf[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
    out = malloc(dir + (size_t)n + 1);
    if (out) {
        memcpy(out, path, dir);
        memcpy(out + dir, buf, (size_t)n + 1);
    }
    return out;
}

/* Whether `path` is to be written in place rather than replaced: a
 * device, FIFO or socket, or a name under /dev or /proc (/dev/stdout is a
 * link to the process's own descriptor, whatever it points at). */
static bool write_in_place(const char *path)
{
    struct stat st;
    char buf[64];
    ssize_t n;

    if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
        return true;
    n = readlink(path, buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        if (strncmp(buf, "/dev/", 5) == 0 || strncmp(buf, "/proc/", 6) == 0)
            return true;
    }
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
           !S_ISDIR(st.st_mode);
}

/* Copies the file `from` into `to`, which is written in place (a device
 * or FIFO, which HDF5 cannot write: it seeks). */
static int copy_into(const char *from, const char *to)
{
    char buf[65536];
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    size_t n;
    int rc = in && out ? TX_OK : TX_EIO;

    while (rc == TX_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = TX_EIO;
    if (in && ferror(in))
        rc = TX_EIO;
    if (out && fclose(out) != 0)
        rc = TX_EIO;
    if (in)
        fclose(in);
    return rc;
}

int tx__h5_save(tx_ctx *ctx, const char *path, tx__h5_writer write,
                const void *arg, tx_diag *diag)
{
    struct quiet q;
    struct stat st;
    char *real = NULL, *tmp;
    const char *target = path;
    bool in_place;
    hid_t f, fcpl;
    int rc, fd;

    /* A device or FIFO gets the finished file copied into it, never a
     * file renamed over it; a symbolic link is written through (its target
     * is replaced and the link stays). */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        tx__diag_set(diag, path, 0, "is a directory");
        return TX_EIO;
    }
    in_place = write_in_place(path);
    if (!in_place && lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
        (real = link_target(path)) != NULL)
        target = real;
    tmp = tx__malloc(ctx, strlen(target) + 64);
    if (!tmp) {
        free(real);
        return TX_ENOMEM;
    }
    if (in_place) {
        const char *dir = getenv("TMPDIR");

        sprintf(tmp, "%.32s/libtext-XXXXXX", dir && *dir ? dir : "/tmp");
        fd = mkstemp(tmp);
        if (fd < 0) {
            tx__diag_set(diag, path, 0, "cannot create a temporary file");
            tx_free(ctx, tmp);
            free(real);
            return TX_EIO;
        }
        close(fd);
    } else {
        sprintf(tmp, "%s.tmp%ld", target, (long)getpid());
    }
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
    if (rc == TX_OK && in_place && copy_into(tmp, target) != TX_OK) {
        tx__diag_set(diag, path, 0, "cannot write the file into place");
        rc = TX_EIO;
    } else if (rc == TX_OK && !in_place && rename(tmp, target) != 0) {
        tx__diag_set(diag, path, 0, "cannot rename temporary file into place");
        rc = TX_EIO;
    }
    if (rc != TX_OK || in_place)
        remove(tmp);
    tx_free(ctx, tmp);
    free(real);
    return rc;
}

int tx__h5_load(tx_ctx *ctx, const char *path, tx__h5_reader read,
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

/* ---- loading ---- */

/* Reads a 1-D dataset of `type` into a new buffer; *n gets its length. */
static int read_typed(tx_ctx *ctx, hid_t loc, const char *name, hid_t type,
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
static int attr_read_typed(hid_t loc, const char *name, hid_t type,
                           void *v)
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

int tx__h5_attr_read_long(hid_t f, const char *name, long long *v)
{
    return attr_read_typed(f, name, H5T_NATIVE_LLONG, v);
}

/* ---- themes model ---- */

int tx__h5_write_mat(hid_t loc, const char *name, const tx_mat *m)
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

int tx__h5_read_mat(tx_ctx *ctx, hid_t loc, const char *name, tx_mat **out)
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
        tx_mat_free(*out);
        *out = NULL;
    }
    return rc;
}

int tx__h5_attr_read_str(tx_ctx *ctx, hid_t f, const char *name, char **out)
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
int tx__h5_read_strings(tx_ctx *ctx, hid_t loc, const char *name,
                        char ***out, size_t *n)
{
    hid_t t = str_type();
    char **raw = NULL, **copy;
    size_t i;
    int rc = read_typed(ctx, loc, name, t, sizeof(char *), (void **)&raw, n);

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

void tx__h5_strings_free(tx_ctx *ctx, char **s, size_t n)
{
    size_t i;

    for (i = 0; s && i < n; i++)
        tx_free(ctx, s[i]);
    tx_free(ctx, s);
}

struct matrix_out {
    const char *dataset;
    tx_mat **out;
};

static int read_matrix(tx_ctx *ctx, hid_t f, const char *path, void *arg,
                       tx_diag *diag)
{
    struct matrix_out *o = arg;
    int rc = tx__h5_read_mat(ctx, f, o->dataset, o->out);

    if (rc == TX_EFORMAT)
        tx__diag_set(diag, path, 0, "no 2-D float dataset '%s'", o->dataset);
    return rc;
}

int tx__h5_load_matrix(tx_ctx *ctx, const char *path, const char *dataset,
                       tx_mat **out, tx_diag *diag)
{
    struct matrix_out o = {dataset, out};

    *out = NULL;
    return tx__h5_load(ctx, path, read_matrix, &o,
                     "neither .npy nor an HDF5 file",
                     "neither .npy nor an HDF5 file", diag);
}

int tx__h5_write(tx__h5loc loc, const char *name, enum tx__h5type type,
                 size_t n, const void *data)
{
    return write_typed(loc, name, native(type), n, data);
}

int tx__h5_read(tx_ctx *ctx, tx__h5loc loc, const char *name,
                enum tx__h5type type, size_t elem, void **out, size_t *n)
{
    return read_typed(ctx, loc, name, native(type), elem, out, n);
}

int tx__h5_attr_read(tx__h5loc loc, const char *name, enum tx__h5type type,
                     void *v)
{
    return attr_read_typed(loc, name, native(type), v);
}
