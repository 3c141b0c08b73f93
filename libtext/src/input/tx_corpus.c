/*
 * Corpus ingestion: CSV/TSV (libcsv), JSONL (jansson), one document per
 * line, and interview transcripts (`Speaker: text`, WebVTT, SRT).
 *
 * Every row read ends up either as a document or as a reject with a reason,
 * so callers can always account for their input. A file that cannot be read
 * as a whole (no text column, unterminated quote, transcript without
 * speakers) adds nothing and fails with a diagnostic naming file and line.
 */
#include "tx_internal.h"

#include <ctype.h>
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct tx_corpus {
    tx_ctx *ctx;
    tx_corpus_params p;
    tx__arena arena;
    tx_doc *docs;
    size_t n_docs, cap_docs;
    tx_reject *rejects;
    size_t n_rejects, cap_rejects;
    size_t n_repaired, n_context;
    size_t n_html; /* documents that look like HTML (read without html) */
    size_t n_seq; /* rows read: next tx_doc.row / tx_reject.row */
};

/* State while one file is added, so a failed file can be rolled back. */
struct file_job {
    tx_corpus *c;
    const char *name; /* arena copy */
    tx_diag *diag;
    size_t docs0, rejects0, repaired0, context0, seq0, html0;
};

static const char *arena_str(tx_corpus *c, const char *s)
{
    return s ? tx__arena_strndup(&c->arena, s, strlen(s)) : NULL;
}

void tx_corpus_params_init(tx_corpus_params *p)
{
    memset(p, 0, sizeof *p);
    p->format = TX_FORMAT_AUTO;
    p->text_col = "text";
}

int tx_format_parse(const char *name, tx_format *out)
{
    static const struct { const char *name; tx_format f; } names[] = {
        {"auto", TX_FORMAT_AUTO}, {"csv", TX_FORMAT_CSV},
        {"tsv", TX_FORMAT_TSV}, {"jsonl", TX_FORMAT_JSONL},
        {"json", TX_FORMAT_JSON},
        {"txt", TX_FORMAT_LINES}, {"lines", TX_FORMAT_LINES},
        {"turns", TX_FORMAT_TURNS}, {"vtt", TX_FORMAT_VTT},
        {"srt", TX_FORMAT_SRT},
    };
    size_t i;

    for (i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return TX_OK;
        }
    return TX_EINVAL;
}

int tx_corpus_new(tx_ctx *ctx, const tx_corpus_params *p, tx_corpus **out)
{
    tx_corpus_params def;
    tx_corpus *c;

    if (!ctx || !out)
        return TX_EINVAL;
    *out = NULL;
    if (!p) {
        tx_corpus_params_init(&def);
        p = &def;
    }
    if (p->encoding && !tx__encoding_known(p->encoding))
        return TX_EINVAL;
    c = tx__calloc(ctx, 1, sizeof *c);
    if (!c)
        return TX_ENOMEM;
    c->ctx = ctx;
    tx__arena_init(&c->arena, ctx);
    c->p = *p;
    c->p.text_col = arena_str(c, p->text_col ? p->text_col : "text");
    c->p.id_col = arena_str(c, p->id_col);
    c->p.group_col = arena_str(c, p->group_col);
    c->p.outcome_col = arena_str(c, p->outcome_col);
    c->p.stage_col = arena_str(c, p->stage_col);
    c->p.time_col = arena_str(c, p->time_col);
    c->p.interviewer = arena_str(c, p->interviewer);
    c->p.encoding = arena_str(c, p->encoding);
    if (!c->p.text_col || (p->encoding && !c->p.encoding)) {
        tx_corpus_free(c);
        return TX_ENOMEM;
    }
    *out = c;
    return TX_OK;
}

void tx_corpus_free(tx_corpus *c)
{
    if (!c)
        return;
    tx__arena_free(&c->arena);
    tx_free(c->ctx, c->docs);
    tx_free(c->ctx, c->rejects);
    tx_free(c->ctx, c);
}

size_t tx_corpus_size(const tx_corpus *c) { return c ? c->n_docs : 0; }
size_t tx_corpus_reject_count(const tx_corpus *c) { return c ? c->n_rejects : 0; }
size_t tx_corpus_repaired_count(const tx_corpus *c) { return c ? c->n_repaired : 0; }
size_t tx_corpus_html_count(const tx_corpus *c) { return c ? c->n_html : 0; }
tx_ctx *tx__corpus_ctx(const tx_corpus *c) { return c->ctx; }
size_t tx_corpus_context_count(const tx_corpus *c) { return c ? c->n_context : 0; }

size_t tx_corpus_rows(const tx_corpus *c)
{
    return c ? c->n_docs + c->n_rejects : 0;
}

int tx_corpus_doc(const tx_corpus *c, size_t i, tx_doc *out)
{
    if (!c || !out || i >= c->n_docs)
        return TX_EINVAL;
    *out = c->docs[i];
    return TX_OK;
}

int tx_corpus_reject(const tx_corpus *c, size_t i, tx_reject *out)
{
    if (!c || !out || i >= c->n_rejects)
        return TX_EINVAL;
    *out = c->rejects[i];
    return TX_OK;
}

/* ---- adding documents and rejects ---- */

static int add_reject(struct file_job *j, long line, const char *id,
                      const char *reason)
{
    tx_corpus *c = j->c;
    tx_reject *r;

    if (tx__grow(c->ctx, (void **)&c->rejects, &c->cap_rejects,
                 c->n_rejects + 1, sizeof *c->rejects))
        return TX_ENOMEM;
    r = &c->rejects[c->n_rejects];
    r->file = j->name;
    r->line = line;
    r->id = id ? arena_str(c, id) : NULL;
    r->reason = arena_str(c, reason);
    if ((id && !r->id) || !r->reason)
        return TX_ENOMEM;
    r->row = c->n_seq++;
    c->n_rejects++;
    return TX_OK;
}

static bool blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* Checks the text of one row and adds it as a document or a reject. `d`
 * carries the metadata (arena strings); its text fields are filled here. */
static int add_doc(struct file_job *j, tx_doc *d, const char *text, size_t n)
{
    tx_corpus *c = j->c;
    size_t bad = 0, len;
    char *t, *plain = NULL;
    int rc;

    if (memchr(text, '\0', n))
        return add_reject(j, d->line, d->id, "NUL byte in text");
    if (c->p.strict_utf8 && !tx__utf8_valid(text, n))
        return add_reject(j, d->line, d->id, "invalid UTF-8 in text");
    if (c->p.html) {
        rc = tx__html_text(c->ctx, text, n, &plain, &len);
        if (rc == TX_EFORMAT)
            return add_reject(j, d->line, d->id,
                              "HTML the parser could not read to the end "
                              "(nested more than 256 deep)");
        if (rc != TX_OK)
            return rc;
        text = plain;
        n = len;
    } else if (tx__looks_html(text, n)) {
        c->n_html++;
    }
    if (blank(text, n)) {
        tx_free(c->ctx, plain);
        return add_reject(j, d->line, d->id,
                          c->p.html ? "empty text once HTML is removed"
                                    : "empty text");
    }
    t = tx__utf8_repair(&c->arena, text, n, &len, &bad);
    tx_free(c->ctx, plain);
    if (!t)
        return TX_ENOMEM;
    if (tx__grow(c->ctx, (void **)&c->docs, &c->cap_docs, c->n_docs + 1,
                 sizeof *c->docs))
        return TX_ENOMEM;
    d->text = t;
    d->len = len;
    d->file = j->name;
    d->row = c->n_seq++;
    c->docs[c->n_docs++] = *d;
    if (bad)
        c->n_repaired++;
    return TX_OK;
}

static const char *id_from_number(tx_corpus *c, long n)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%ld", n);
    return arena_str(c, buf);
}

/* ---- CSV / TSV ---- */

struct csv_job {
    struct file_job *j;
    unsigned char delim; /* ',' ';' or '\t' */
    /* Current row's fields, copied out of libcsv's reused buffer. */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *field_off, *field_len;
    size_t n_fields, cap_fields;
    bool nul_in_row;
    /* Header. */
    bool have_header;
    size_t n_cols;
    long col_text, col_id, col_group, col_outcome, col_stage, col_time;
    long line, row_line, data_rows;
    int rc;
    /* Chunk mode (parallel parsing): rows whose id is their row number get
     * a local number here and are renumbered when chunks are joined. */
    bool chunked;
    long derived_row;
    struct fixup { size_t idx; long row; bool reject; } *fix;
    size_t n_fix, cap_fix;
};

static void csv_field(void *s, size_t n, void *ud)
{
    struct csv_job *k = ud;
    tx_ctx *ctx = k->j->c->ctx;

    if (k->rc)
        return;
    if (tx__grow(ctx, (void **)&k->buf, &k->buf_cap, k->buf_len + n + 1, 1)) {
        k->rc = TX_ENOMEM;
        return;
    }
    if (k->n_fields == k->cap_fields) {
        /* field_off and field_len share cap_fields, so grow in step. */
        size_t cap = k->cap_fields ? k->cap_fields * 2 : 16;
        size_t *fo = tx__realloc(ctx, k->field_off, cap * sizeof(size_t));

        if (fo)
            k->field_off = fo;
        fo = fo ? tx__realloc(ctx, k->field_len, cap * sizeof(size_t)) : NULL;
        if (!fo) {
            k->rc = TX_ENOMEM;
            return;
        }
        k->field_len = fo;
        k->cap_fields = cap;
    }
    if (n && memchr(s, '\0', n))
        k->nul_in_row = true;
    if (n)
        memcpy(k->buf + k->buf_len, s, n);
    k->buf[k->buf_len + n] = '\0';
    k->field_off[k->n_fields] = k->buf_len;
    k->field_len[k->n_fields] = n;
    k->n_fields++;
    k->buf_len += n + 1;
}

static const char *field(struct csv_job *k, long col)
{
    return col >= 0 ? k->buf + k->field_off[col] : NULL;
}

static long find_col(struct csv_job *k, const char *name)
{
    size_t i;

    if (!name)
        return -1;
    for (i = 0; i < k->n_fields; i++)
        if (strcmp(k->buf + k->field_off[i], name) == 0)
            return (long)i;
    return -1;
}

/* Column `name` (-1 when absent or name is NULL); a name that two columns
 * share is an error, since either could be the one meant. */
static int find_unique_col(struct csv_job *k, const char *name, long *col)
{
    long c = find_col(k, name);
    size_t i;

    *col = c;
    for (i = (size_t)c + 1; c >= 0 && i < k->n_fields; i++)
        if (strcmp(k->buf + k->field_off[i], name) == 0) {
            tx__diag_set(k->j->diag, k->j->name, k->row_line,
                         "header has column '%s' twice (columns %ld and "
                         "%zu); rename one", name, c + 1, i + 1);
            return TX_EFORMAT;
        }
    return TX_OK;
}

static int csv_header(struct csv_job *k)
{
    struct file_job *j = k->j;
    const tx_corpus_params *p = &j->c->p;
    struct { const char *name; long *col; } opt[] = {
        {p->id_col, &k->col_id}, {p->group_col, &k->col_group},
        {p->outcome_col, &k->col_outcome}, {p->stage_col, &k->col_stage},
        {p->time_col, &k->col_time},
    };
    size_t i;

    /* A UTF-8 BOM is not part of the first column's name. */
    if (k->n_fields && k->field_len[0] >= 3 &&
        memcmp(k->buf, "\xEF\xBB\xBF", 3) == 0) {
        k->field_off[0] += 3;
        k->field_len[0] -= 3;
    }
    k->n_cols = k->n_fields;
    if (find_unique_col(k, p->text_col, &k->col_text) != TX_OK)
        return TX_EFORMAT;
    if (k->col_text < 0) {
        tx__diag_set(j->diag, j->name, k->row_line,
                     "header has no text column '%s' (use --text-col)",
                     p->text_col);
        return TX_EFORMAT;
    }
    for (i = 0; i < sizeof opt / sizeof opt[0]; i++) {
        if (find_unique_col(k, opt[i].name, opt[i].col) != TX_OK)
            return TX_EFORMAT;
        if (opt[i].name && *opt[i].col < 0) {
            tx__diag_set(j->diag, j->name, k->row_line,
                         "header has no column '%s'", opt[i].name);
            return TX_EFORMAT;
        }
    }
    if (!p->id_col && find_unique_col(k, "id", &k->col_id) != TX_OK)
        return TX_EFORMAT;
    k->have_header = true;
    return TX_OK;
}

static int csv_row(struct csv_job *k)
{
    struct file_job *j = k->j;
    tx_corpus *c = j->c;
    tx_doc d;
    char reason[96];
    const char *id;

    if (!k->have_header)
        return csv_header(k);
    k->data_rows++;
    memset(&d, 0, sizeof d);
    d.line = k->row_line;
    id = field(k, k->col_id);
    if (k->col_id >= 0 && (size_t)k->col_id < k->n_fields && id[0]) {
        d.id = arena_str(c, id);
    } else {
        d.id = id_from_number(c, k->data_rows);
        k->derived_row = k->data_rows;
    }
    if (!d.id)
        return TX_ENOMEM;
    if (k->n_fields != k->n_cols) {
        snprintf(reason, sizeof reason, "row has %zu fields, header has %zu",
                 k->n_fields, k->n_cols);
        return add_reject(j, d.line, d.id, reason);
    }
    if (k->nul_in_row)
        return add_reject(j, d.line, d.id, "NUL byte in row");
    d.group = k->col_group >= 0 ? arena_str(c, field(k, k->col_group))
                                : "survey";
    d.stage = k->col_stage >= 0 ? arena_str(c, field(k, k->col_stage)) : NULL;
    d.time = k->col_time >= 0 ? arena_str(c, field(k, k->col_time)) : NULL;
    if (k->col_outcome >= 0) {
        const char *o = field(k, k->col_outcome);
        char *end;

        if (!blank(o, strlen(o))) {
            errno = 0;
            d.outcome = strtod(o, &end);
            while (isspace((unsigned char)*end))
                end++;
            if (*end || errno) {
                snprintf(reason, sizeof reason,
                         "outcome '%.40s' is not a number", o);
                return add_reject(j, d.line, d.id, reason);
            }
            d.has_outcome = 1;
        }
    }
    return add_doc(j, &d, field(k, k->col_text), k->field_len[k->col_text]);
}

/* Chunk mode: remembers which document or reject got a row-number id. */
static int note_derived(struct csv_job *k, size_t docs0, size_t rejects0)
{
    tx_corpus *c = k->j->c;
    struct fixup f;

    if (!k->chunked || !k->derived_row)
        return TX_OK;
    f.row = k->derived_row;
    f.reject = c->n_rejects > rejects0;
    f.idx = f.reject ? c->n_rejects - 1 : c->n_docs - 1;
    k->derived_row = 0;
    if (c->n_docs == docs0 && c->n_rejects == rejects0)
        return TX_OK;
    if (tx__grow(c->ctx, (void **)&k->fix, &k->cap_fix, k->n_fix + 1,
                 sizeof *k->fix))
        return TX_ENOMEM;
    k->fix[k->n_fix++] = f;
    return TX_OK;
}

static void csv_end_row(int term, void *ud)
{
    struct csv_job *k = ud;
    size_t docs0 = k->j->c->n_docs, rejects0 = k->j->c->n_rejects;

    (void)term;
    k->derived_row = 0;
    if (k->rc == TX_OK)
        k->rc = csv_row(k);
    if (k->rc == TX_OK)
        k->rc = note_derived(k, docs0, rejects0);
    k->n_fields = 0;
    k->buf_len = 0;
    k->nul_in_row = false;
}

/* Keep spaces around unquoted fields: they are part of the data. */
static int no_space(unsigned char ch)
{
    (void)ch;
    return 0;
}

static int parser_init(struct csv_parser *p, unsigned char delim)
{
    if (csv_init(p, CSV_APPEND_NULL) != 0)
        return TX_ENOMEM;
    csv_set_space_func(p, no_space);
    csv_set_blk_size(p, 1 << 16);
    csv_set_delim(p, delim);
    return TX_OK;
}

/* Excel in many European locales writes CSV with ';' between fields
 * (the comma is their decimal mark): a header line with more semicolons
 * than commas is read that way. */
static unsigned char csv_delim(const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    size_t n = nl ? (size_t)(nl - data) : len, i, commas = 0, semis = 0;

    for (i = 0; i < n; i++) {
        commas += data[i] == ',';
        semis += data[i] == ';';
    }
    return semis > commas ? ';' : ',';
}

/* Feeds lines [pos, to) one physical line at a time, so rows know their
 * line number; stops early once the header is read if `header_only`.
 * Returns the position reached. */
static size_t feed(struct csv_job *k, struct csv_parser *p, const char *data,
                   size_t pos, size_t to, bool header_only)
{
    while (pos < to && k->rc == TX_OK && !(header_only && k->have_header)) {
        const char *nl = memchr(data + pos, '\n', to - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : to - pos;

        k->line++;
        if (p->pstate == 0) /* libcsv's ROW_NOT_BEGUN */
            k->row_line = k->line;
        if (csv_parse(p, data + pos, n, csv_field, csv_end_row, k) != n) {
            k->rc = csv_error(p) == CSV_ENOMEM ? TX_ENOMEM : TX_EFORMAT;
            tx__diag_set(k->j->diag, k->j->name, k->line, "CSV: %s",
                         csv_strerror(csv_error(p)));
        }
        pos += n;
    }
    return pos;
}

/* End of input: an unclosed quote is a file error; else flush the row. */
static void finish(struct csv_job *k, struct csv_parser *p)
{
    /* libcsv's own end-of-input check needs strict mode, which would also
     * refuse stray quotes inside unquoted fields; test its state instead:
     * 2 is FIELD_BEGUN, inside a quoted field that never closed. */
    if (k->rc == TX_OK && p->pstate == 2 && p->quoted) {
        k->rc = TX_EFORMAT;
        tx__diag_set(k->j->diag, k->j->name, k->row_line,
                     "unterminated quoted field (opened in the row starting "
                     "on this line)");
    }
    if (k->rc == TX_OK && csv_fini(p, csv_field, csv_end_row, k) != 0)
        k->rc = TX_EFORMAT;
}

static void job_free(tx_ctx *ctx, struct csv_job *k)
{
    tx_free(ctx, k->buf);
    tx_free(ctx, k->field_off);
    tx_free(ctx, k->field_len);
    tx_free(ctx, k->fix);
}

/* ---- parallel CSV: one chunk of rows per thread ---- */

struct chunk {
    tx_corpus *sub;
    struct file_job j;
    struct csv_job k;
    const char *data;
    size_t from, to;
    bool last, at_boundary;
    TX__CACHE_LINE_GAP;
};

static int chunk_run(void *arg, size_t i)
{
    struct chunk *ch = (struct chunk *)arg + i;
    struct csv_parser p;

    if (parser_init(&p, ch->k.delim) != TX_OK)
        return TX_ENOMEM;
    ch->j.c = ch->sub;
    ch->k.j = &ch->j;
    feed(&ch->k, &p, ch->data, ch->from, ch->to, false);
    /* A split is right only if the rows before it ended exactly there. */
    ch->at_boundary = p.pstate == 0;
    if (ch->last && ch->k.rc == TX_OK && !(p.pstate == 2 && p.quoted))
        finish(&ch->k, &p);
    csv_free(&p);
    return TX_OK; /* errors are re-found by the serial parse */
}

/* Appends the chunks' rows to the corpus in order, shifting line numbers
 * and renumbering row-number ids. */
static int join_chunks(struct file_job *j, struct chunk *ch, size_t n,
                       long line0, long row0)
{
    tx_corpus *c = j->c;
    long line_off = line0, row_off = row0;
    size_t i, k;

    for (i = 0; i < n; i++) {
        tx_corpus *s = ch[i].sub;
        size_t d0 = c->n_docs, r0 = c->n_rejects;

        if (tx__grow(c->ctx, (void **)&c->docs, &c->cap_docs,
                     c->n_docs + s->n_docs, sizeof *c->docs) ||
            tx__grow(c->ctx, (void **)&c->rejects, &c->cap_rejects,
                     c->n_rejects + s->n_rejects, sizeof *c->rejects))
            return TX_ENOMEM;
        for (k = 0; k < s->n_docs; k++) {
            c->docs[c->n_docs] = s->docs[k];
            c->docs[c->n_docs].row += c->n_seq;
            c->docs[c->n_docs++].line += line_off;
        }
        for (k = 0; k < s->n_rejects; k++) {
            c->rejects[c->n_rejects] = s->rejects[k];
            c->rejects[c->n_rejects].row += c->n_seq;
            c->rejects[c->n_rejects++].line += line_off;
        }
        c->n_seq += s->n_seq;
        for (k = 0; k < ch[i].k.n_fix; k++) {
            struct fixup *f = &ch[i].k.fix[k];
            const char *id = id_from_number(c, f->row + row_off);

            if (!id)
                return TX_ENOMEM;
            if (f->reject)
                c->rejects[r0 + f->idx].id = id;
            else
                c->docs[d0 + f->idx].id = id;
        }
        c->n_repaired += s->n_repaired;
        c->n_html += s->n_html;
        tx__arena_splice(&c->arena, &s->arena);
        line_off += ch[i].k.line;
        row_off += ch[i].k.data_rows;
    }
    return TX_OK;
}

/* Parses [pos, len) in one chunk per thread, split at newlines. Returns
 * TX_OK with the rows added, or 1 when the split fell inside a quoted field
 * or a chunk failed: the caller then parses serially, which finds the
 * same rows or reports the error with its exact line. */
static int read_csv_parallel(struct file_job *j, const struct csv_job *hdr,
                             const char *data, size_t pos, size_t len)
{
    tx_ctx *ctx = j->c->ctx;
    size_t n = (size_t)ctx->threads, i;
    struct chunk *ch = tx__calloc(ctx, n, sizeof *ch);
    int rc = TX_OK;

    if (!ch)
        return TX_ENOMEM;
    for (i = 0; i < n && rc == TX_OK; i++) {
        size_t at = pos + (len - pos) * (i + 1) / n;
        const char *nl = i + 1 < n ? memchr(data + at, '\n', len - at) : NULL;

        ch[i].from = i ? ch[i - 1].to : pos;
        ch[i].to = i + 1 == n ? len : nl ? (size_t)(nl - data) + 1 : len;
        if (ch[i].to < ch[i].from)
            ch[i].to = ch[i].from;
        ch[i].last = i + 1 == n;
        ch[i].data = data;
        ch[i].j = *j;
        ch[i].j.diag = NULL;
        ch[i].k = *hdr;
        ch[i].k.buf = NULL;
        ch[i].k.field_off = NULL;
        ch[i].k.field_len = NULL;
        ch[i].k.buf_cap = ch[i].k.cap_fields = 0;
        ch[i].k.buf_len = ch[i].k.n_fields = 0;
        ch[i].k.line = ch[i].k.data_rows = 0;
        ch[i].k.chunked = true;
        rc = tx_corpus_new(ctx, &j->c->p, &ch[i].sub);
    }
    if (rc == TX_OK)
        rc = tx__parallel(ctx, n, chunk_run, ch);
    for (i = 0; rc == TX_OK && i < n; i++)
        if (ch[i].k.rc != TX_OK || (!ch[i].last && !ch[i].at_boundary))
            rc = 1;
    if (rc == TX_OK)
        rc = join_chunks(j, ch, n, hdr->line, hdr->data_rows);
    for (i = 0; i < n; i++) {
        job_free(ctx, &ch[i].k);
        tx_corpus_free(ch[i].sub);
    }
    tx_free(ctx, ch);
    return rc;
}

/* Parallel parsing pays off only for large inputs. */
#define PARALLEL_MIN_BYTES (4u << 20)

static int read_csv(struct file_job *j, const char *data, size_t len,
                    bool tsv)
{
    struct csv_parser p;
    struct csv_job k;
    size_t pos;
    int rc;

    memset(&k, 0, sizeof k);
    k.j = j;
    k.delim = tsv ? CSV_TAB : csv_delim(data, len);
    if (parser_init(&p, k.delim) != TX_OK)
        return TX_ENOMEM;
    pos = feed(&k, &p, data, 0, len, true);
    if (k.rc == TX_OK && k.have_header && p.pstate == 0 &&
        j->c->ctx->threads > 1 && len - pos >= PARALLEL_MIN_BYTES) {
        rc = read_csv_parallel(j, &k, data, pos, len);
        if (rc != 1) {
            csv_free(&p);
            job_free(j->c->ctx, &k);
            return rc;
        }
        /* Fall back: undo nothing (chunks were never joined). */
    }
    feed(&k, &p, data, pos, len, false);
    finish(&k, &p);
    if (k.rc == TX_OK && !k.have_header) {
        k.rc = TX_EFORMAT;
        tx__diag_set(j->diag, j->name, 1, "empty file: no header row");
    }
    rc = k.rc;
    csv_free(&p);
    job_free(j->c->ctx, &k);
    return rc;
}

/* ---- line-oriented helpers ---- */

struct line_iter {
    const char *data;
    size_t len, pos;
    long no;
};

/* Next line without its '\n' (and a trailing '\r'). A final line is
 * returned only if it is non-empty, so a trailing newline adds no row. */
static bool next_line(struct line_iter *it, const char **s, size_t *n)
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

static int read_lines(struct file_job *j, const char *data, size_t len)
{
    struct line_iter it = {data, len, 0, 0};
    const char *s;
    size_t n;
    int rc = TX_OK;

    while (rc == TX_OK && next_line(&it, &s, &n)) {
        tx_doc d;

        memset(&d, 0, sizeof d);
        d.line = it.no;
        d.id = id_from_number(j->c, it.no);
        d.group = "survey";
        rc = d.id ? add_doc(j, &d, s, n) : TX_ENOMEM;
    }
    return rc;
}

/* ---- JSONL ---- */

static const char *json_scalar(tx_corpus *c, json_t *v)
{
    char buf[64];

    if (json_is_string(v))
        return arena_str(c, json_string_value(v));
    if (json_is_integer(v)) {
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        return arena_str(c, buf);
    }
    if (json_is_real(v)) {
        snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
        return arena_str(c, buf);
    }
    return NULL;
}

static int jsonl_row(struct file_job *j, json_t *o, long line, long row)
{
    tx_corpus *c = j->c;
    const tx_corpus_params *p = &c->p;
    json_t *text, *v;
    tx_doc d;
    char reason[96];

    memset(&d, 0, sizeof d);
    d.line = line;
    v = json_object_get(o, p->id_col ? p->id_col : "id");
    d.id = v ? json_scalar(c, v) : NULL;
    if (!d.id)
        d.id = id_from_number(c, row);
    if (!d.id)
        return TX_ENOMEM;
    text = json_object_get(o, p->text_col);
    if (!text) {
        snprintf(reason, sizeof reason, "no '%.40s' field", p->text_col);
        return add_reject(j, line, d.id, reason);
    }
    if (!json_is_string(text)) {
        snprintf(reason, sizeof reason, "'%.40s' is not a string",
                 p->text_col);
        return add_reject(j, line, d.id, reason);
    }
    v = p->group_col ? json_object_get(o, p->group_col) : NULL;
    d.group = v ? json_scalar(c, v) : NULL;
    if (!d.group)
        d.group = "survey";
    v = p->stage_col ? json_object_get(o, p->stage_col) : NULL;
    d.stage = v ? json_scalar(c, v) : NULL;
    v = p->time_col ? json_object_get(o, p->time_col) : NULL;
    d.time = v ? json_scalar(c, v) : NULL;
    v = p->outcome_col ? json_object_get(o, p->outcome_col) : NULL;
    if (v && json_is_number(v)) {
        d.outcome = json_number_value(v);
        d.has_outcome = 1;
    } else if (v && !json_is_null(v)) {
        return add_reject(j, line, d.id, "outcome is not a number");
    }
    return add_doc(j, &d, json_string_value(text), json_string_length(text));
}

/* Rejects a row whose fields cannot be read, named by its number as a
 * row without an id is. */
static int reject_row(struct file_job *j, long line, long row,
                      const char *reason)
{
    const char *id = id_from_number(j->c, row);

    return id ? add_reject(j, line, id, reason) : TX_ENOMEM;
}

static int read_jsonl(struct file_job *j, const char *data, size_t len)
{
    struct line_iter it = {data, len, 0, 0};
    const char *s;
    size_t n;
    long row = 0;
    int rc = TX_OK;

    while (rc == TX_OK && next_line(&it, &s, &n)) {
        json_error_t err;
        json_t *o;
        char reason[200];
        size_t bad = 0, rlen;
        const char *line = s;

        if (blank(s, n))
            continue;
        row++;
        /* Repair UTF-8 first so a stray byte costs one character, not the
         * row; strict mode rejects instead. */
        if (!tx__utf8_valid(s, n)) {
            if (j->c->p.strict_utf8) {
                rc = reject_row(j, it.no, row, "invalid UTF-8");
                continue;
            }
            line = tx__utf8_repair(&j->c->arena, s, n, &rlen, &bad);
            if (!line)
                return TX_ENOMEM;
            n = rlen;
        }
        o = json_loadb(line, n, 0, &err);
        if (!o) {
            snprintf(reason, sizeof reason, "invalid JSON: %s", err.text);
            rc = reject_row(j, it.no, row, reason);
            continue;
        }
        if (!json_is_object(o))
            rc = reject_row(j, it.no, row, "JSON value is not an object");
        else
            rc = jsonl_row(j, o, it.no, row);
        if (rc == TX_OK && bad && j->c->n_docs > j->docs0 &&
            j->c->docs[j->c->n_docs - 1].line == it.no)
            j->c->n_repaired++;
        json_decref(o);
    }
    return rc;
}

static size_t skip_space(const char *data, size_t len, size_t pos)
{
    while (pos < len && (data[pos] == ' ' || data[pos] == '\t' ||
                         data[pos] == '\n' || data[pos] == '\r'))
        pos++;
    return pos;
}

/* Line breaks in data[from, to). */
static long count_lines(const char *data, size_t from, size_t to)
{
    long n = 0;

    for (; from < to; from++)
        n += data[from] == '\n';
    return n;
}

/* A JSON array of objects, as many tools export: each element is a row as
 * in JSONL, its line the one where the element starts. jansson decodes one
 * element at a time and says how many bytes it read. JSON is UTF-8 by its
 * definition, so invalid UTF-8, or damage that hides where the next
 * element starts, fails the file with its line. */
static int read_json(struct file_job *j, const char *data, size_t len)
{
    size_t pos = skip_space(data, len, 0), counted = 0;
    long line = 1, row = 0;
    int rc = TX_OK;

    if (!tx__utf8_valid(data, len)) {
        tx__diag_set(j->diag, j->name, 0, "JSON that is not UTF-8 "
                     "(--encoding names the file's encoding)");
        return TX_EFORMAT;
    }
    if (pos >= len || data[pos] != '[') {
        tx__diag_set(j->diag, j->name, 1, "a .json file must hold an array "
                     "of objects ('['); one object per line is JSONL "
                     "(.jsonl)");
        return TX_EFORMAT;
    }
    pos = skip_space(data, len, pos + 1);
    while (rc == TX_OK && pos < len && data[pos] != ']') {
        json_error_t err;
        json_t *o;

        line += count_lines(data, counted, pos);
        counted = pos;
        o = json_loadb(data + pos, len - pos,
                       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &err);
        if (!o) {
            tx__diag_set(j->diag, j->name, line + err.line - 1,
                         "invalid JSON: %s", err.text);
            return TX_EFORMAT;
        }
        row++;
        rc = json_is_object(o) ? jsonl_row(j, o, line, row)
                               : reject_row(j, line, row,
                                            "JSON value is not an object");
        json_decref(o);
        pos = skip_space(data, len, pos + (size_t)err.position);
        if (pos < len && data[pos] == ',')
            pos = skip_space(data, len, pos + 1);
        else if (pos < len && data[pos] != ']')
            break;
    }
    if (rc != TX_OK)
        return rc;
    line += count_lines(data, counted, pos < len ? pos : len);
    if (pos >= len)
        tx__diag_set(j->diag, j->name, line,
                     "JSON array not closed (']' missing)");
    else if (data[pos] != ']')
        tx__diag_set(j->diag, j->name, line,
                     "expected ',' or ']' between elements");
    else if (skip_space(data, len, pos + 1) != len)
        tx__diag_set(j->diag, j->name, line, "data after the closing ']'");
    else
        return TX_OK;
    return TX_EFORMAT;
}

/* ---- transcripts ---- */

struct turn {
    const char *speaker; /* arena */
    char *text;          /* heap, grown as lines are appended */
    size_t len, cap;
    long line;
    int questions, sentences;
};

struct turns {
    struct turn *v;
    size_t n, cap;
};

/* Speaker label at the start of a line: up to 40 bytes of letters, digits,
 * spaces and ._'-#, not starting with a space, then ':' and a space or the
 * end of the line. Returns the label's length or 0. Times ("10:30") and
 * URLs ("https://") are not labels. */
static size_t speaker_label(const char *s, size_t n)
{
    size_t i;
    bool letter = false;

    for (i = 0; i < n && i <= 40; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == ':')
            break;
        if (isalpha(ch) || ch >= 0x80)
            letter = true;
        else if (!(isdigit(ch) || ch == ' ' || ch == '.' || ch == '_' ||
                   ch == '\'' || ch == '-' || ch == '#'))
            return 0;
    }
    if (i == 0 || i > 40 || i >= n || !letter || s[0] == ' ' ||
        s[i - 1] == ' ')
        return 0;
    if (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t')
        return 0;
    return i;
}

static void turns_free(tx_ctx *ctx, struct turns *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        tx_free(ctx, t->v[i].text);
    tx_free(ctx, t->v);
}

/* Appends text to the current turn, or starts a new turn when the speaker
 * changes. `speaker` NULL continues the current turn. */
static int turn_add(tx_corpus *c, struct turns *t, const char *speaker,
                    size_t sn, const char *s, size_t n, long line)
{
    struct turn *cur = t->n ? &t->v[t->n - 1] : NULL;

    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (speaker && (!cur || strlen(cur->speaker) != sn ||
                    memcmp(cur->speaker, speaker, sn) != 0)) {
        if (tx__grow(c->ctx, (void **)&t->v, &t->cap, t->n + 1,
                     sizeof *t->v))
            return TX_ENOMEM;
        cur = &t->v[t->n++];
        memset(cur, 0, sizeof *cur);
        cur->speaker = tx__arena_strndup(&c->arena, speaker, sn);
        cur->line = line;
        if (!cur->speaker)
            return TX_ENOMEM;
    }
    if (!cur || !n)
        return TX_OK;
    if (tx__grow(c->ctx, (void **)&cur->text, &cur->cap, cur->len + n + 2, 1))
        return TX_ENOMEM;
    if (cur->len)
        cur->text[cur->len++] = ' ';
    memcpy(cur->text + cur->len, s, n);
    cur->len += n;
    cur->text[cur->len] = '\0';
    cur->sentences++;
    if (s[n - 1] == '?')
        cur->questions++;
    return TX_OK;
}

static bool is_interviewer_name(const char *s)
{
    static const char *const names[] = {
        "interviewer", "moderator", "facilitator", "researcher", "host",
        "q", "int", "i", NULL};
    size_t i;

    for (i = 0; names[i]; i++)
        if (strcasecmp(s, names[i]) == 0)
            return true;
    return false;
}

/* The interviewer: named by the caller, a conventional role name, or else
 * the speaker whose turns most often end in a question (ties: the speaker
 * who talks first). */
static const char *pick_interviewer(const tx_corpus *c, const struct turns *t)
{
    const char *best = NULL;
    double best_share = -1.0;
    size_t i, k;

    if (c->p.interviewer)
        return c->p.interviewer;
    for (i = 0; i < t->n; i++)
        if (is_interviewer_name(t->v[i].speaker))
            return t->v[i].speaker;
    for (i = 0; i < t->n; i++) {
        const char *sp = t->v[i].speaker;
        int q = 0, s = 0;
        double share;

        for (k = 0; k < i; k++)
            if (strcmp(t->v[k].speaker, sp) == 0)
                break;
        if (k < i)
            continue; /* already scored */
        for (k = i; k < t->n; k++)
            if (strcmp(t->v[k].speaker, sp) == 0) {
                q += t->v[k].questions;
                s += t->v[k].sentences;
            }
        share = s ? (double)q / s : 0.0;
        if (share > best_share) {
            best_share = share;
            best = sp;
        }
    }
    return best;
}

static int emit_turns(struct file_job *j, struct turns *t)
{
    tx_corpus *c = j->c;
    const char *interviewer, *context = NULL;
    size_t i, n_speakers = 0;
    int rc = TX_OK;

    for (i = 0; i < t->n; i++) {
        size_t k;

        for (k = 0; k < i && strcmp(t->v[k].speaker, t->v[i].speaker); k++)
            ;
        if (k == i)
            n_speakers++;
    }
    if (t->n == 0) {
        tx__diag_set(j->diag, j->name, 1,
                     "transcript has no speaker labels ('Name: text'); "
                     "cannot tell respondent from interviewer turns "
                     "(use --format txt for one document per line)");
        return TX_EFORMAT;
    }
    /* One speaker only: nobody is interviewing, every turn is a document. */
    interviewer = n_speakers > 1 ? pick_interviewer(c, t) : NULL;
    for (i = 0; i < t->n && rc == TX_OK; i++) {
        struct turn *u = &t->v[i];
        char id[300];

        if (interviewer && strcasecmp(u->speaker, interviewer) == 0) {
            context = u->text ? tx__arena_strndup(&c->arena, u->text, u->len)
                              : NULL;
            c->n_context++;
            continue;
        }
        snprintf(id, sizeof id, "%s:%zu", j->name, i + 1);
        {
            tx_doc d;

            memset(&d, 0, sizeof d);
            d.line = u->line;
            d.id = arena_str(c, id);
            d.group = "interview";
            d.context = context;
            if (!d.id)
                return TX_ENOMEM;
            rc = u->text ? add_doc(j, &d, u->text, u->len)
                         : add_reject(j, u->line, d.id, "empty turn");
        }
    }
    return rc;
}

static int read_turn_lines(struct file_job *j, const char *data, size_t len)
{
    struct line_iter it = {data, len, 0, 0};
    struct turns t = {0};
    const char *s;
    size_t n;
    int rc = TX_OK;

    while (rc == TX_OK && next_line(&it, &s, &n)) {
        size_t sl = speaker_label(s, n);

        if (sl)
            rc = turn_add(j->c, &t, s, sl, s + sl + 1, n - sl - 1, it.no);
        else if (!blank(s, n) && t.n == 0)
            rc = add_reject(j, it.no, NULL, "text before the first speaker");
        else
            rc = turn_add(j->c, &t, NULL, 0, s, n, it.no);
    }
    if (rc == TX_OK)
        rc = emit_turns(j, &t);
    turns_free(j->c->ctx, &t);
    return rc;
}

/* Removes <tags> and decodes the few entities captions use, in place. */
static size_t strip_markup(char *s, size_t n)
{
    static const struct { const char *ent; char ch; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&nbsp;", ' '},
        {"&quot;", '"'}, {"&#39;", '\''},
    };
    size_t i = 0, o = 0, e;

    while (i < n) {
        if (s[i] == '<') {
            const char *gt = memchr(s + i, '>', n - i);

            if (gt) {
                i = (size_t)(gt - s) + 1;
                continue;
            }
        }
        if (s[i] == '&') {
            for (e = 0; e < sizeof ents / sizeof ents[0]; e++) {
                size_t el = strlen(ents[e].ent);

                if (n - i >= el && memcmp(s + i, ents[e].ent, el) == 0)
                    break;
            }
            if (e < sizeof ents / sizeof ents[0]) {
                s[o++] = ents[e].ch;
                i += strlen(ents[e].ent);
                continue;
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* One caption payload line: `<v Name>text`, `Name: text`, or plain text
 * that continues the current speaker. */
static int caption_line(tx_corpus *c, struct turns *t, const char *s,
                        size_t n, long line)
{
    char *buf = tx__strndup(c->ctx, s, n);
    const char *speaker = NULL;
    size_t sn = 0, m, off = 0;
    int rc;

    if (!buf)
        return TX_ENOMEM;
    if (n > 3 && memcmp(s, "<v", 2) == 0 && (s[2] == ' ' || s[2] == '.')) {
        const char *gt = memchr(s, '>', n), *sp = memchr(s, ' ', n);

        if (gt && sp && sp < gt) {
            speaker = sp + 1;
            sn = (size_t)(gt - speaker);
        }
    }
    m = strip_markup(buf, n);
    if (!speaker) {
        sn = speaker_label(buf, m);
        if (sn) {
            speaker = buf;
            off = sn + 1;
        }
    }
    rc = turn_add(c, t, speaker, sn, buf + off, m - off, line);
    tx_free(c->ctx, buf);
    return rc;
}

/* WebVTT and SRT share a shape: blocks separated by blank lines, a timing
 * line with "-->", then payload lines. */
static int read_captions(struct file_job *j, const char *data, size_t len,
                         bool vtt)
{
    struct line_iter it = {data, len, 0, 0};
    struct turns t = {0};
    const char *s;
    size_t n;
    bool in_payload = false, skip_block = false, first = true;
    int rc = TX_OK;

    while (rc == TX_OK && next_line(&it, &s, &n)) {
        if (first && vtt) {
            first = false;
            if (n < 6 || memcmp(s, "WEBVTT", 6) != 0) {
                tx__diag_set(j->diag, j->name, it.no,
                             "WebVTT file does not start with 'WEBVTT'");
                turns_free(j->c->ctx, &t);
                return TX_EFORMAT;
            }
            skip_block = true;
            continue;
        }
        first = false;
        if (blank(s, n)) {
            in_payload = skip_block = false;
            continue;
        }
        if (skip_block)
            continue;
        if (!in_payload) {
            if (vtt && ((n >= 4 && memcmp(s, "NOTE", 4) == 0) ||
                        (n >= 5 && memcmp(s, "STYLE", 5) == 0) ||
                        (n >= 6 && memcmp(s, "REGION", 6) == 0))) {
                skip_block = true;
                continue;
            }
            /* Cue identifier or SRT index lines precede the timing. */
            if (n >= 3 && memmem(s, n, "-->", 3))
                in_payload = true;
            continue;
        }
        rc = caption_line(j->c, &t, s, n, it.no);
    }
    if (rc == TX_OK)
        rc = emit_turns(j, &t);
    turns_free(j->c->ctx, &t);
    return rc;
}

/* ---- format choice ---- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* A .txt file is a transcript when most of its first non-blank lines
 * start with one of at least two speaker labels. */
static bool looks_like_turns(const char *data, size_t len)
{
    struct line_iter it = {data, len, 0, 0};
    const char *s, *first = NULL;
    size_t n, first_n = 0;
    int lines = 0, labelled = 0;
    bool two = false;

    while (lines < 50 && next_line(&it, &s, &n)) {
        size_t sl;

        if (blank(s, n))
            continue;
        lines++;
        sl = speaker_label(s, n);
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

static tx_format pick_format(const tx_corpus *c, const char *name,
                             const char *data, size_t len)
{
    if (c->p.format != TX_FORMAT_AUTO)
        return c->p.format;
    if (ends_with(name, ".csv"))
        return TX_FORMAT_CSV;
    if (ends_with(name, ".tsv") || ends_with(name, ".tab"))
        return TX_FORMAT_TSV;
    if (ends_with(name, ".jsonl") || ends_with(name, ".ndjson"))
        return TX_FORMAT_JSONL;
    if (ends_with(name, ".json")) { /* an array, or objects by line */
        size_t at = skip_space(data, len, 0);

        return at < len && data[at] == '[' ? TX_FORMAT_JSON
                                           : TX_FORMAT_JSONL;
    }
    if (ends_with(name, ".vtt"))
        return TX_FORMAT_VTT;
    if (ends_with(name, ".srt"))
        return TX_FORMAT_SRT;
    if (len >= 6 && memcmp(data, "WEBVTT", 6) == 0)
        return TX_FORMAT_VTT;
    return looks_like_turns(data, len) ? TX_FORMAT_TURNS : TX_FORMAT_LINES;
}

static void rollback(struct file_job *j)
{
    j->c->n_docs = j->docs0;
    j->c->n_rejects = j->rejects0;
    j->c->n_repaired = j->repaired0;
    j->c->n_html = j->html0;
    j->c->n_context = j->context0;
    j->c->n_seq = j->seq0;
}

int tx_corpus_add_buffer(tx_corpus *c, const char *name, const char *data,
                         size_t len, tx_diag *diag)
{
    struct file_job j;
    tx_format f;
    const char *from, *binary;
    char *conv = NULL; /* the file converted to UTF-8 */
    int rc;

    if (!c || !name || (!data && len))
        return TX_EINVAL;
    j.c = c;
    j.diag = diag;
    j.name = arena_str(c, name);
    j.docs0 = c->n_docs;
    j.rejects0 = c->n_rejects;
    j.repaired0 = c->n_repaired;
    j.html0 = c->n_html;
    j.context0 = c->n_context;
    j.seq0 = c->n_seq;
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
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 &&
        pick_format(c, name, data + 3, len - 3) != TX_FORMAT_CSV &&
        pick_format(c, name, data + 3, len - 3) != TX_FORMAT_TSV) {
        data += 3; /* CSV strips its BOM from the header itself */
        len -= 3;
    }
    f = pick_format(c, name, data, len);
    switch (f) {
    case TX_FORMAT_CSV: rc = read_csv(&j, data, len, false); break;
    case TX_FORMAT_TSV: rc = read_csv(&j, data, len, true); break;
    case TX_FORMAT_JSONL: rc = read_jsonl(&j, data, len); break;
    case TX_FORMAT_JSON: rc = read_json(&j, data, len); break;
    case TX_FORMAT_TURNS: rc = read_turn_lines(&j, data, len); break;
    case TX_FORMAT_VTT: rc = read_captions(&j, data, len, true); break;
    case TX_FORMAT_SRT: rc = read_captions(&j, data, len, false); break;
    default: rc = read_lines(&j, data, len); break;
    }
    tx_free(c->ctx, conv);
    if (rc != TX_OK)
        rollback(&j);
    if (rc == TX_ENOMEM)
        tx__diag_set(diag, name, 0, "out of memory");
    return rc;
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
        return TX_EIO;
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
    /* Sorted, so the document order does not depend on the file system. */
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    for (i = 0; i < n && rc == TX_OK; i++)
        rc = tx_corpus_add_file(c, names[i], diag);
    for (i = 0; i < n; i++)
        tx_free(c->ctx, names[i]);
    tx_free(c->ctx, names);
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
        rc = read_all(c->ctx, stdin, &data, &len);
        if (rc == TX_OK)
            rc = tx_corpus_add_buffer(c, "-", data, len, diag);
        else
            tx__diag_set(diag, "-", 0, "cannot read standard input");
        tx_free(c->ctx, data);
        return rc;
    }
    if (stat(path, &st) != 0) {
        tx__diag_set(diag, path, 0, "%s", strerror(errno));
        return TX_EIO;
    }
    if (S_ISDIR(st.st_mode))
        return add_dir(c, path, diag);
    f = fopen(path, "rb");
    if (!f) {
        tx__diag_set(diag, path, 0, "%s", strerror(errno));
        return TX_EIO;
    }
    rc = read_all(c->ctx, f, &data, &len);
    fclose(f);
    if (rc == TX_OK)
        rc = tx_corpus_add_buffer(c, path, data, len, diag);
    else
        tx__diag_set(diag, path, 0, "read error");
    tx_free(c->ctx, data);
    return rc;
}

/* A corpus whose documents are c's in the order `perm` (borrowed strings,
 * no rejects). Freed with tx_corpus_free; must not outlive c. */
int tx__corpus_view(const tx_corpus *c, const size_t *perm, size_t n,
                    tx_corpus **out)
{
    tx_corpus *v;
    size_t i;
    int rc = tx_corpus_new(c->ctx, &c->p, &v);

    *out = NULL;
    if (rc != TX_OK)
        return rc;
    v->docs = tx__malloc(c->ctx, (n + 1) * sizeof *v->docs);
    if (!v->docs) {
        tx_corpus_free(v);
        return TX_ENOMEM;
    }
    v->cap_docs = n + 1;
    for (i = 0; i < n; i++)
        v->docs[i] = c->docs[perm[i]];
    v->n_docs = n;
    *out = v;
    return TX_OK;
}

/* Appends a document with `meta`'s metadata (borrowed strings, which must
 * outlive c) and a copy of text[0, n); used for corpora of spans. */
int tx__corpus_add_text(tx_corpus *c, const tx_doc *meta, const char *id,
                        const char *text, size_t n)
{
    char *t = tx__arena_strndup(&c->arena, text, n);
    char *i = tx__arena_strndup(&c->arena, id, strlen(id));

    if (!t || !i || tx__grow(c->ctx, (void **)&c->docs, &c->cap_docs,
                             c->n_docs + 1, sizeof *c->docs))
        return TX_ENOMEM;
    c->docs[c->n_docs] = *meta;
    c->docs[c->n_docs].id = i;
    c->docs[c->n_docs].text = t;
    c->docs[c->n_docs].len = n;
    c->docs[c->n_docs].row = c->n_seq++;
    c->n_docs++;
    return TX_OK;
}
