/*
 * CSV and TSV rows (libcsv; lines without a quote are split here, giving
 * the same fields): a header names the columns; big files are parsed in
 * chunks of rows on several threads and joined in input order.
 */
#include "tx_corpus_private.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct csv_job {
    struct tx__file_job *j;
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
    /* Quotes inside unquoted fields (5" screen) are allowed: the file had
     * some, so libcsv's strict mode could not be used. */
    bool lenient;
    /* Quote-free lines are split here, not by libcsv (plain_row). */
    bool fast;
    long derived_row;
    struct fixup { size_t idx; long row; bool reject; } *fix;
    size_t n_fix, cap_fix;
};

/* Copies one field of the current row; `nul_checked`: the caller already
 * looked for NUL bytes (plain_row, once per line). */
static void add_field(struct csv_job *k, const char *s, size_t n,
                      bool nul_checked)
{
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
    if (!nul_checked && n && memchr(s, '\0', n))
        k->nul_in_row = true;
    if (n)
        memcpy(k->buf + k->buf_len, s, n);
    k->buf[k->buf_len + n] = '\0';
    k->field_off[k->n_fields] = k->buf_len;
    k->field_len[k->n_fields] = n;
    k->n_fields++;
    k->buf_len += n + 1;
}

/* libcsv's field callback. */
static void csv_field(void *s, size_t n, void *ud)
{
    add_field(ud, s, n, false);
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
    struct tx__file_job *j = k->j;
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
    struct tx__file_job *j = k->j;
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
        d.id = tx__corpus_str(c, id);
    } else {
        d.id = tx__corpus_number_id(c, k->data_rows);
        k->derived_row = k->data_rows;
    }
    if (!d.id)
        return TX_ENOMEM;
    if (k->n_fields != k->n_cols) {
        snprintf(reason, sizeof reason, "row has %zu fields, header has %zu",
                 k->n_fields, k->n_cols);
        return tx__corpus_reject_row(j, d.line, d.id, reason);
    }
    if (k->nul_in_row)
        return tx__corpus_reject_row(j, d.line, d.id, "NUL byte in row");
    d.group = k->col_group >= 0 ? tx__corpus_str(c, field(k, k->col_group))
                                : "survey";
    d.stage = k->col_stage >= 0 ? tx__corpus_str(c, field(k, k->col_stage)) : NULL;
    d.time = k->col_time >= 0 ? tx__corpus_str(c, field(k, k->col_time)) : NULL;
    if (k->col_outcome >= 0) {
        const char *o = field(k, k->col_outcome);
        char *end;

        if (!tx__blank(o, strlen(o))) {
            errno = 0;
            d.outcome = strtod(o, &end);
            while (isspace((unsigned char)*end))
                end++;
            if (*end || errno) {
                snprintf(reason, sizeof reason,
                         "outcome '%.40s' is not a number", o);
                return tx__corpus_reject_row(j, d.line, d.id, reason);
            }
            d.has_outcome = 1;
        }
    }
    return tx__corpus_add_doc(j, &d, field(k, k->col_text), k->field_len[k->col_text]);
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

/* Strict mode (unless lenient) makes libcsv refuse a quoted field whose
 * closing quote is followed by more text: the sign of a stray opening
 * quote that swallowed the rows after it into one field. */
/* feed()'s answer when strict parsing met a quote inside an unquoted
 * field: the file is read again leniently. */
#define CSV_RETRY_LENIENT 1

static int parser_init(struct csv_parser *p, unsigned char delim,
                       bool lenient)
{
    if (csv_init(p, CSV_APPEND_NULL | (lenient ? 0 : CSV_STRICT)) != 0)
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

/* The fast path: a whole line s[0..n) (n counts its '\n') with no quote
 * and no carriage return before its end is split at the delimiter here;
 * libcsv gives such a line the same fields, at several times the cost
 * (tests/check_corpus.c and the csv and tsv fuzz targets read inputs both
 * ways and compare). Blank lines, which libcsv skips, and all else are
 * left to libcsv. */
static bool plain_row(struct csv_job *k, const char *s, size_t n)
{
    size_t m = n - 1, a = 0;
    const char *d;

    if (m && s[m - 1] == '\r')
        m--;
    if (m == 0 || memchr(s, '"', m) || memchr(s, '\r', m))
        return false;
    k->nul_in_row = memchr(s, '\0', m) != NULL;
    for (;;) {
        d = memchr(s + a, k->delim, m - a);
        add_field(k, s + a, (d ? (size_t)(d - s) : m) - a, true);
        if (!d)
            break;
        a = (size_t)(d - s) + 1;
    }
    csv_end_row(0, k);
    return true;
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
        if (p->pstate == 0 && k->fast && nl && plain_row(k, data + pos, n)) {
            pos += n;
            continue;
        }
        if (csv_parse(p, data + pos, n, csv_field, csv_end_row, k) != n) {
            if (csv_error(p) == CSV_EPARSE && !p->quoted) {
                k->rc = CSV_RETRY_LENIENT; /* a quote in an unquoted field */
            } else if (csv_error(p) == CSV_EPARSE) {
                k->rc = TX_EFORMAT;
                tx__diag_set(k->j->diag, k->j->name, k->row_line,
                             "CSV: a quoted field opened in this row closes "
                             "only on line %ld, with more text after the "
                             "quote: a stray quote? (its rows would merge "
                             "into one field)", k->line);
            } else {
                k->rc = csv_error(p) == CSV_ENOMEM ? TX_ENOMEM : TX_EFORMAT;
                tx__diag_set(k->j->diag, k->j->name, k->line, "CSV: %s",
                             csv_strerror(csv_error(p)));
            }
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
    struct tx__file_job j;
    struct csv_job k;
    const char *data;
    size_t from, to;
    bool last, at_boundary;
    /* join_chunks: where its documents go, rows and lines before it */
    size_t doc_at, seq_at;
    long line_at;
    TX__CACHE_LINE_GAP;
};

static int chunk_run(void *arg, size_t i)
{
    struct chunk *ch = (struct chunk *)arg + i;
    struct csv_parser p;

    if (parser_init(&p, ch->k.delim, ch->k.lenient) != TX_OK)
        return TX_ENOMEM;
    ch->j.c = ch->sub;
    ch->k.j = &ch->j;
    feed(&ch->k, &p, ch->data, ch->from, ch->to, false);
    /* A split is right only if the rows before it ended exactly there. */
    ch->at_boundary = p.pstate == 0;
    if (ch->last && ch->k.rc == TX_OK && p.pstate == 2 && p.quoted)
        ch->k.rc = TX_EFORMAT; /* unterminated: the serial parse says where */
    else if (ch->last && ch->k.rc == TX_OK)
        finish(&ch->k, &p);
    csv_free(&p);
    return TX_OK; /* errors are re-found by the serial parse */
}

/* What copy_chunk_docs reads: the corpus joined into, and the chunks
 * (each knows where its documents go, from join_chunks). */
struct chunk_join {
    tx_corpus *c;
    struct chunk *ch;
};

/* Copies chunk i's documents into place: a million rows are ~100 MB of
 * tx_doc, worth a thread per chunk. */
static int copy_chunk_docs(void *arg, size_t i)
{
    struct chunk_join *cj = arg;
    struct chunk *h = &cj->ch[i];
    tx_doc *to = cj->c->docs + h->doc_at;
    const tx_doc *from = h->sub->docs ? h->sub->docs : to; /* adopted */
    size_t k;

    for (k = 0; k < h->sub->n_docs; k++) {
        to[k] = from[k];
        to[k].row += h->seq_at;
        to[k].line += h->line_at;
    }
    return TX_OK;
}

/* Appends the chunks' rows to the corpus in order, shifting line numbers
 * and renumbering row-number ids. */
static int join_chunks(struct tx__file_job *j, struct chunk *ch, size_t n,
                       long line0, long row0)
{
    tx_corpus *c = j->c;
    struct chunk_join cj = {c, ch};
    long line_off = line0, row_off = row0;
    size_t i, k, docs = c->n_docs, rejects = c->n_rejects, seq = c->n_seq;

    for (i = 0; i < n; i++) {
        ch[i].doc_at = docs;
        ch[i].seq_at = seq;
        ch[i].line_at = line_off;
        docs += ch[i].sub->n_docs;
        rejects += ch[i].sub->n_rejects;
        seq += ch[i].sub->n_seq;
        line_off += ch[i].k.line;
    }
    if (c->n_docs == 0 && n > 0) {
        /* The first chunk's array becomes the corpus's: one copy less, and
         * its pages are already touched. */
        tx_free(c->ctx, c->docs);
        c->docs = ch[0].sub->docs;
        c->cap_docs = ch[0].sub->cap_docs;
        ch[0].sub->docs = NULL;
        ch[0].sub->cap_docs = 0;
    }
    if (tx__grow(c->ctx, (void **)&c->docs, &c->cap_docs, docs,
                 sizeof *c->docs) ||
        tx__grow(c->ctx, (void **)&c->rejects, &c->cap_rejects, rejects,
                 sizeof *c->rejects))
        return TX_ENOMEM;
    if (tx__parallel(c->ctx, n, copy_chunk_docs, &cj) != TX_OK)
        return TX_ENOMEM;
    for (i = 0; i < n; i++) {
        tx_corpus *s = ch[i].sub;
        size_t r0 = c->n_rejects;

        c->n_docs += s->n_docs;
        for (k = 0; k < s->n_rejects; k++) {
            c->rejects[c->n_rejects] = s->rejects[k];
            c->rejects[c->n_rejects].row += ch[i].seq_at;
            c->rejects[c->n_rejects++].line += ch[i].line_at;
        }
        c->n_seq += s->n_seq;
        for (k = 0; k < ch[i].k.n_fix; k++) {
            struct fixup *f = &ch[i].k.fix[k];
            const char *id = tx__corpus_number_id(c, f->row + row_off);

            if (!id)
                return TX_ENOMEM;
            if (f->reject)
                c->rejects[r0 + f->idx].id = id;
            else
                c->docs[ch[i].doc_at + f->idx].id = id;
        }
        c->n_repaired += s->n_repaired;
        c->n_html += s->n_html;
        c->n_twice += s->n_twice;
        tx__arena_splice(&c->arena, &s->arena);
        row_off += ch[i].k.data_rows;
    }
    tx__corpus_changed(c);
    return TX_OK;
}

/* Parses [pos, len) in one chunk per thread, split at newlines. Returns
 * TX_OK with the rows added, or 1 when the split fell inside a quoted field
 * or a chunk failed: the caller then parses serially, which finds the
 * same rows or reports the error with its exact line. */
static int read_csv_parallel(struct tx__file_job *j, const struct csv_job *hdr,
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

/* ---- one rank's share of the rows (several processes) ---- */

/* The first row start at or after `cut`: past the first newline there that
 * is outside quotes, judged by the parity of the quotes since `pos` (a row
 * start). Exact for quoting as RFC 4180 writes it; a file with stray
 * quotes can mislead it, which the boundary check of the parse catches. */
static size_t row_start_after(const char *data, size_t pos, size_t len,
                              size_t cut)
{
    bool quoted = false;
    const char *q;
    size_t at = pos;

    while (at < cut && (q = memchr(data + at, '"', cut - at)) != NULL) {
        quoted = !quoted;
        at = (size_t)(q - data) + 1;
    }
    for (at = cut; at < len; at++) {
        if (data[at] == '"')
            quoted = !quoted;
        else if (data[at] == '\n' && !quoted)
            return at + 1;
    }
    return len;
}

/* What each rank tells the others about its part of the file. */
struct share_note {
    uint64_t ok, lines, data_rows, seq;
};

/* Parses only this rank's rows of [pos, len): the bytes from the row start
 * after its even cut to the next rank's. The ranks then learn each other's
 * counts of lines and rows, to number theirs as one process would. TX_OK
 * with the rows added (j->split set), or 1 on every rank when any rank's
 * part did not end on a row boundary or failed: the caller then reads the
 * whole file and keeps its share, which finds the same rows or the error
 * with its exact line. */
static int read_csv_share(struct tx__file_job *j, const struct csv_job *hdr,
                          const char *data, size_t pos, size_t len)
{
    tx_ctx *ctx = j->c->ctx;
    int r = ctx->comm.rank, R = ctx->comm.ranks, q;
    size_t cut0, cut1, unused;
    struct chunk ch;
    struct share_note me, *all = NULL;
    char *buf = NULL;
    int rc;

    tx__comm_share(len - pos, r, R, &cut0, &unused);
    tx__comm_share(len - pos, r + 1, R, &cut1, &unused);
    memset(&ch, 0, sizeof ch);
    ch.from = r == 0 ? pos : row_start_after(data, pos, len, pos + cut0);
    ch.to = r + 1 == R ? len : row_start_after(data, pos, len, pos + cut1);
    if (ch.to < ch.from)
        ch.to = ch.from;
    ch.last = r + 1 == R;
    ch.data = data;
    ch.j = *j;
    ch.j.diag = NULL;
    ch.k = *hdr;
    ch.k.buf = NULL;
    ch.k.field_off = NULL;
    ch.k.field_len = NULL;
    ch.k.fix = NULL;
    ch.k.buf_cap = ch.k.cap_fields = ch.k.cap_fix = 0;
    ch.k.buf_len = ch.k.n_fields = ch.k.n_fix = 0;
    ch.k.line = ch.k.data_rows = 0;
    ch.k.chunked = true;
    rc = tx_corpus_new(ctx, &j->c->p, &ch.sub);
    if (rc == TX_OK)
        rc = chunk_run(&ch, 0);
    me.ok = rc == TX_OK && ch.k.rc == TX_OK && (ch.last || ch.at_boundary);
    me.lines = (uint64_t)ch.k.line;
    me.data_rows = (uint64_t)ch.k.data_rows;
    me.seq = ch.sub ? ch.sub->n_seq : 0;
    rc = tx__comm_allgather(ctx, &me, sizeof me, &buf, NULL);
    all = (struct share_note *)(void *)buf;
    for (q = 0; rc == TX_OK && q < R; q++)
        if (!all[q].ok)
            rc = 1;
    if (rc == TX_OK) {
        long line0 = hdr->line, row0 = hdr->data_rows;
        size_t seq0 = j->c->n_seq, before = 0, total = 0;

        for (q = 0; q < R; q++) {
            if (q < r) {
                line0 += (long)all[q].lines;
                row0 += (long)all[q].data_rows;
                before += (size_t)all[q].seq;
            }
            total += (size_t)all[q].seq;
        }
        j->c->n_seq = seq0 + before; /* join numbers rows from here */
        rc = join_chunks(j, &ch, 1, line0, row0);
        j->c->n_seq = seq0 + total;
        j->split = true;
    }
    tx_free(ctx, buf);
    job_free(ctx, &ch.k);
    tx_corpus_free(ch.sub);
    return rc;
}

/* Parallel parsing pays off only for large inputs. */
#define PARALLEL_MIN_BYTES (4u << 20)

static int read_csv(struct tx__file_job *j, const char *data, size_t len,
                    bool tsv, bool lenient)
{
    struct csv_parser p;
    struct csv_job k;
    size_t pos, seq0 = j->c->n_seq;
    int rc;

    memset(&k, 0, sizeof k);
    k.j = j;
    k.lenient = lenient;
    k.fast = !j->c->csv_libcsv_only;
    k.delim = tsv ? CSV_TAB : csv_delim(data, len);
    if (parser_init(&p, k.delim, lenient) != TX_OK)
        return TX_ENOMEM;
    pos = feed(&k, &p, data, 0, len, true);
    /* Ranks split the rows after the header's line. Rows the header's
     * feed already read (lines ended by bare carriage returns) are every
     * rank's, so such a file is read whole and each rank keeps its share. */
    if (k.rc == TX_OK && k.have_header && p.pstate == 0 &&
        tx__comm_many(j->c->ctx) && j->c->n_seq == seq0) {
        rc = read_csv_share(j, &k, data, pos, len);
        if (rc != 1) {
            csv_free(&p);
            job_free(j->c->ctx, &k);
            return rc;
        }
        /* Fall back: this rank reads it all; the caller keeps its share. */
    } else if (k.rc == TX_OK && k.have_header && p.pstate == 0 &&
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

void tx__corpus_csv_fast(tx_corpus *c, bool on)
{
    c->csv_libcsv_only = !on;
}

/* Strictly first, so a stray quote is an error naming its line rather than
 * rows silently merged; a file with quotes inside unquoted fields (which
 * strict mode refuses too) is read again without it. */
int tx__read_csv(struct tx__file_job *j, const char *data, size_t len,
                 bool tsv)
{
    int rc = read_csv(j, data, len, tsv, false);

    if (rc == CSV_RETRY_LENIENT) {
        tx__corpus_rollback(j);
        rc = read_csv(j, data, len, tsv, true);
    }
    return rc;
}
