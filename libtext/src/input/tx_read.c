/*
 * Reading inputs: files, directories and buffers; the format of each
 * (extension, --format or a look at the data), its encoding, and one
 * document per line for plain text.
 */
#include "tx_corpus_private.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

bool tx__next_line(struct tx__line_iter *it, const char **s, size_t *n)
{
    const char *nl;
    size_t k;

    if (it->pos >= it->len)
        return false;
    nl = memchr(it->data + it->pos, '\n', it->len - it->pos);
    k = nl ? (size_t)(nl - (it->data + it->pos)) : it->len - it->pos;
    *s = it->data + it->pos;
    *n = k;
    it->pos += k + (nl ? 1 : 0);
    it->no++;
    if (*n && (*s)[*n - 1] == '\r')
        (*n)--;
    return true;
}

int tx__read_lines(struct tx__file_job *j, const char *data, size_t len)
{
    struct tx__line_iter it = {data, len, 0, 0};
    const char *s;
    size_t n;
    int rc = TX_OK;

    while (rc == TX_OK && tx__next_line(&it, &s, &n)) {
        tx_doc d;

        memset(&d, 0, sizeof d);
        d.line = it.no;
        d.id = tx__corpus_number_id(j->c, it.no);
        d.group = "survey";
        rc = d.id ? tx__corpus_add_doc(j, &d, s, n) : TX_ENOMEM;
    }
    return rc;
}


static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* A .txt file is a transcript when most of its first non-blank lines
 * start with one of at least two speaker labels. */
static bool looks_like_turns(const char *data, size_t len)
{
    struct tx__line_iter it = {data, len, 0, 0};
    const char *s, *first = NULL;
    size_t n, first_n = 0;
    int lines = 0, labelled = 0;
    bool two = false;

    while (lines < 50 && tx__next_line(&it, &s, &n)) {
        size_t sl;

        if (tx__blank(s, n))
            continue;
        lines++;
        sl = tx__speaker_label(s, n);
        if (!sl)
            continue;
        labelled++;
        if (!first) {
            first = s;
            first_n = sl;
        } else if (sl != first_n || memcmp(s, first, sl) != 0) {
            two = true;
        }
    }
    return two && labelled * 2 >= lines;
}

/* Whether the first line of data has a field equal to `col` when split at
 * `delim` (quotes and spaces around a field ignored). */
static bool header_has(const char *data, size_t len, char delim,
                       const char *col)
{
    const char *nl = memchr(data, '\n', len), *p = data, *end;
    size_t n = strlen(col);

    end = nl ? nl : data + len;
    if (end > data && end[-1] == '\r')
        end--;
    while (p <= end) {
        const char *q = memchr(p, delim, (size_t)(end - p));
        const char *a = p, *b = q ? q : end;

        while (a < b && (*a == ' ' || *a == '"'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '"'))
            b--;
        if ((size_t)(b - a) == n && memcmp(a, col, n) == 0)
            return true;
        if (!q)
            break;
        p = q + 1;
    }
    return false;
}

/* The format of a file the name says nothing about (standard input, or no
 * known extension), from its content: JSON, WebVTT, a header row that
 * names the text column, else transcript turns or lines. */
static tx_format sniff_format(const tx_corpus *c, const char *data,
                              size_t len)
{
    size_t at = tx__skip_space(data, len, 0);
    const char *col = c->p.text_col ? c->p.text_col : "text";

    if (at < len && data[at] == '{')
        return TX_FORMAT_JSONL;
    if (at < len && data[at] == '[')
        return TX_FORMAT_JSON;
    if (len >= 6 && memcmp(data, "WEBVTT", 6) == 0)
        return TX_FORMAT_VTT;
    if (header_has(data, len, '\t', col))
        return TX_FORMAT_TSV;
    if (header_has(data, len, ',', col) || header_has(data, len, ';', col))
        return TX_FORMAT_CSV;
    return looks_like_turns(data, len) ? TX_FORMAT_TURNS : TX_FORMAT_LINES;
}

/* The extensions read by their name; a directory's other files are
 * skipped. `.json` may hold an array or objects by line, and `.txt` lines
 * or transcript turns, so those two are looked at (TX_FORMAT_AUTO). */
static const struct {
    const char *ext;
    tx_format f;
} by_ext[] = {
    {".csv", TX_FORMAT_CSV},     {".tsv", TX_FORMAT_TSV},
    {".tab", TX_FORMAT_TSV},     {".jsonl", TX_FORMAT_JSONL},
    {".ndjson", TX_FORMAT_JSONL}, {".json", TX_FORMAT_AUTO},
    {".vtt", TX_FORMAT_VTT},     {".srt", TX_FORMAT_SRT},
    {".txt", TX_FORMAT_AUTO},
};

/* The by_ext entry for name's extension, or -1. */
static long ext_entry(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++)
        if (ends_with(name, by_ext[i].ext))
            return (long)i;
    return -1;
}

static tx_format pick_format(const tx_corpus *c, const char *name,
                             const char *data, size_t len, int *sniffed)
{
    long e = ext_entry(name);
    size_t at;

    *sniffed = 0;
    if (c->p.format != TX_FORMAT_AUTO)
        return c->p.format;
    if (e < 0) {
        *sniffed = 1;
        return sniff_format(c, data, len);
    }
    if (by_ext[e].f != TX_FORMAT_AUTO)
        return by_ext[e].f;
    if (ends_with(name, ".json")) { /* an array, or objects by line */
        at = tx__skip_space(data, len, 0);
        return at < len && data[at] == '[' ? TX_FORMAT_JSON
                                           : TX_FORMAT_JSONL;
    }
    if (len >= 6 && memcmp(data, "WEBVTT", 6) == 0) /* .txt */
        return TX_FORMAT_VTT;
    return looks_like_turns(data, len) ? TX_FORMAT_TURNS : TX_FORMAT_LINES;
}

int tx_corpus_add_buffer(tx_corpus *c, const char *name, const char *data,
                         size_t len, tx_diag *diag)
{
    struct tx__file_job j;
    tx_format f;
    int sniffed = 0;
    size_t bom;
    const char *from, *binary;
    char *conv = NULL; /* the file converted to UTF-8 */
    int rc;

    if (!c || !name || (!data && len))
        return TX_EINVAL;
    j.c = c;
    j.diag = diag;
    j.name = tx__corpus_str(c, name);
    j.docs0 = c->n_docs;
    j.rejects0 = c->n_rejects;
    j.repaired0 = c->n_repaired;
    j.html0 = c->n_html;
    j.twice0 = c->n_twice;
    j.context0 = c->n_context;
    j.seq0 = c->n_seq;
    j.split = false;
    if (!j.name)
        return TX_ENOMEM;
    if (len == 0) {
        tx__diag_set(diag, name, 0, "empty file");
        return TX_EFORMAT;
    }
    from = c->p.encoding ? c->p.encoding : tx__encoding_sniff(data, len);
    binary = from ? NULL : tx__binary_kind(data, len);
    if (binary) {
        tx__diag_set(diag, name, 0, "%s", binary);
        return TX_EFORMAT;
    }
    if (from && !tx__encoding_is_utf8(from)) {
        size_t at;

        rc = tx__to_utf8(c->ctx, from, data, len, &conv, &len, &at);
        if (rc == TX_EFORMAT) {
            tx__diag_set(diag, name, 0, "not %s text at byte %zu "
                         "(--encoding names the file's encoding)", from, at);
        } else if (rc == TX_EINVAL) {
            tx__diag_set(diag, name, 0, "unknown encoding");
        } else if (rc == TX_ENOMEM) {
            tx__diag_set(diag, name, 0, "out of memory");
        }
        if (rc != TX_OK)
            return rc;
        data = conv;
        if (len == 0) {
            tx_free(c->ctx, conv);
            tx__diag_set(diag, name, 0, "empty file");
            return TX_EFORMAT;
        }
    }
    bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    f = pick_format(c, name, data + bom, len - bom, &sniffed);
    if (bom && f != TX_FORMAT_CSV && f != TX_FORMAT_TSV) {
        data += 3; /* CSV strips its BOM from the header itself */
        len -= 3;
    }
    switch (f) {
    case TX_FORMAT_CSV: rc = tx__read_csv(&j, data, len, false); break;
    case TX_FORMAT_TSV: rc = tx__read_csv(&j, data, len, true); break;
    case TX_FORMAT_JSONL: rc = tx__read_jsonl(&j, data, len); break;
    case TX_FORMAT_JSON: rc = tx__read_json(&j, data, len); break;
    case TX_FORMAT_TURNS: rc = tx__read_turns(&j, data, len); break;
    case TX_FORMAT_VTT: rc = tx__read_captions(&j, data, len, true); break;
    case TX_FORMAT_SRT: rc = tx__read_captions(&j, data, len, false); break;
    default: rc = tx__read_lines(&j, data, len); break;
    }
    tx_free(c->ctx, conv);
    if (rc == TX_OK && tx__comm_many(c->ctx)) {
        c->share = true;
        if (!j.split)
            rc = tx__corpus_keep_share(&j);
    }
    if (rc == TX_ENOMEM)
        tx__diag_set(diag, name, 0, "out of memory");
    rc = tx__comm_agree(c->ctx, rc, diag); /* one rank's failure fails all */
    if (rc == TX_OK)
        rc = tx__corpus_note_file(c, name, f, sniffed, NULL);
    if (rc != TX_OK)
        tx__corpus_rollback(&j);
    return rc;
}

/* A large regular file is read in parts, one per thread: the kernel's
 * copy into the buffer is a good share of reading a big CSV. */
#define PART_READ_MIN_BYTES (8u << 20)

struct part_read {
    int fd;
    char *buf;
    size_t size, parts;
};

static int read_part(void *arg, size_t i)
{
    struct part_read *pr = arg;
    size_t at = pr->size * i / pr->parts, to = pr->size * (i + 1) / pr->parts;

    while (at < to) {
        ssize_t got = pread(pr->fd, pr->buf + at, to - at, (off_t)at);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) /* an error, or the file shrank under us */
            return TX_EIO;
        at += (size_t)got;
    }
    return TX_OK;
}

static int read_all(tx_ctx *ctx, FILE *f, char **out, size_t *out_len)
{
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    struct stat st;

    /* A regular file is read into one buffer of its size (growing by
     * doubling would copy a large file several times over). */
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        tx__grow(ctx, (void **)&buf, &cap, (size_t)st.st_size + 1, 1))
        return TX_ENOMEM;
    if (buf && ctx->threads > 1 && st.st_size >= PART_READ_MIN_BYTES) {
        struct part_read pr = {fileno(f), buf, (size_t)st.st_size, 0};

        pr.parts = pr.size / (PART_READ_MIN_BYTES / 2);
        if (pr.parts > (size_t)ctx->threads)
            pr.parts = (size_t)ctx->threads;
        /* Then on as below, for whatever was appended meanwhile. */
        if (tx__parallel(ctx, pr.parts, read_part, &pr) != TX_OK ||
            fseeko(f, (off_t)pr.size, SEEK_SET) != 0) {
            tx_free(ctx, buf);
            return TX_EIO;
        }
        len = pr.size;
    }
    for (;;) {
        if (cap - len < 1 &&
            tx__grow(ctx, (void **)&buf, &cap, len + (1 << 16), 1)) {
            tx_free(ctx, buf);
            return TX_ENOMEM;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        tx_free(ctx, buf);
        return TX_EIO;
    }
    *out = buf;
    *out_len = len;
    return TX_OK;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(tx_corpus *c, const char *path, tx_diag *diag)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = TX_OK;

    if (!d) {
        tx__diag_set(diag, path, 0, "cannot open directory: %s",
                     strerror(errno));
        return tx__comm_agree(c->ctx, TX_EIO, diag);
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (tx__grow(c->ctx, (void **)&names, &cap, n + 1, sizeof *names)) {
            rc = TX_ENOMEM;
            break;
        }
        names[n] = tx__malloc(c->ctx, strlen(path) + strlen(e->d_name) + 2);
        if (!names[n]) {
            rc = TX_ENOMEM;
            break;
        }
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    rc = tx__comm_agree(c->ctx, rc, diag);
    /* Sorted, so the document order does not depend on the file system. */
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    /* Only the files of a known kind: a folder of exports often holds a
     * README or a spreadsheet too. With --format every file is read. */
    for (i = 0; i < n && rc == TX_OK; i++) {
        struct stat st;

        if (c->p.format == TX_FORMAT_AUTO &&
            (stat(names[i], &st) != 0 || !S_ISREG(st.st_mode) ||
             ext_entry(names[i]) < 0))
            rc = tx__corpus_note_file(
                c, names[i], TX_FORMAT_AUTO, 0,
                "not a known input format (.csv .tsv .tab .jsonl .ndjson "
                ".json .txt .vtt .srt; --format reads every file)");
        else
            rc = tx_corpus_add_file(c, names[i], diag);
    }
    for (i = 0; i < n; i++)
        tx_free(c->ctx, names[i]);
    tx_free(c->ctx, names);
    return rc;
}

/* Standard input: read by rank 0 (the one mpirun gives it to) and handed
 * to the other ranks. */
static int read_stdin(tx_ctx *ctx, char **data, size_t *len)
{
    char *mine = NULL;
    size_t n = 0;
    int rc = ctx->comm.rank == 0 ? read_all(ctx, stdin, &mine, &n) : TX_OK;

    rc = tx__comm_agree(ctx, rc, NULL);
    if (rc == TX_OK && tx__comm_many(ctx)) {
        /* only rank 0 sends bytes, so all of them are its */
        size_t *counts = tx__malloc(ctx, (size_t)ctx->comm.ranks *
                                             sizeof *counts);

        rc = tx__comm_allgather(ctx, mine, n, data, counts);
        *len = rc == TX_OK && counts ? counts[0] : 0;
        tx_free(ctx, counts);
        tx_free(ctx, mine);
        return rc;
    }
    *data = mine;
    *len = n;
    return rc;
}

int tx_corpus_add_file(tx_corpus *c, const char *path, tx_diag *diag)
{
    struct stat st;
    FILE *f;
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (!c || !path)
        return TX_EINVAL;
    if (strcmp(path, "-") == 0) {
        rc = read_stdin(c->ctx, &data, &len);
        if (rc == TX_OK)
            rc = tx_corpus_add_buffer(c, "-", data, len, diag);
        else
            tx__diag_set(diag, "-", 0, "cannot read standard input");
        tx_free(c->ctx, data);
        return rc;
    }
    /* Each rank reads the file itself; every rank learns whether all
     * could, so none goes on to exchange rows with one that stopped. */
    rc = stat(path, &st) != 0 ? TX_EIO : TX_OK;
    if (rc != TX_OK)
        tx__diag_set(diag, path, 0, "%s", strerror(errno));
    if ((rc = tx__comm_agree(c->ctx, rc, diag)) != TX_OK)
        return rc;
    if (S_ISDIR(st.st_mode))
        return add_dir(c, path, diag);
    f = fopen(path, "rb");
    if (!f) {
        tx__diag_set(diag, path, 0, "%s", strerror(errno));
        rc = TX_EIO;
    } else {
        rc = read_all(c->ctx, f, &data, &len);
        fclose(f);
        if (rc != TX_OK)
            tx__diag_set(diag, path, 0, rc == TX_ENOMEM ? "out of memory"
                                                        : "read error");
    }
    rc = tx__comm_agree(c->ctx, rc, diag);
    if (rc == TX_OK)
        rc = tx_corpus_add_buffer(c, path, data, len, diag);
    tx_free(c->ctx, data);
    return rc;
}

/* A corpus whose documents are c's in the order `perm` (borrowed strings,
 * no rejects). Freed with tx_corpus_free; must not outlive c. */
