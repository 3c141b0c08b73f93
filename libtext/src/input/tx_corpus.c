/*
 * The corpus store: documents and rejected rows in input order, with the
 * text checked, repaired and kept in one arena. The readers of each format
 * (tx_csv.c, tx_json.c, tx_transcript.c, tx_read.c) add rows through
 * tx__corpus_add_doc and tx__corpus_reject_row.
 *
 * Every row read ends up either as a document or as a reject with a reason,
 * so callers can always account for their input. A file that cannot be read
 * as a whole (no text column, unterminated quote, transcript without
 * speakers) adds nothing and fails with a diagnostic naming file and line.
 */
#include "tx_corpus_private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tx_corpus_params_init(tx_corpus_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->format = TX_FORMAT_AUTO;
    p->text_col = "text";
    p->repair_twice_decoded = 1;
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

const char *tx_format_name(tx_format f)
{
    switch (f) {
    case TX_FORMAT_CSV: return "csv";
    case TX_FORMAT_TSV: return "tsv";
    case TX_FORMAT_JSONL: return "jsonl";
    case TX_FORMAT_JSON: return "json";
    case TX_FORMAT_LINES: return "txt";
    case TX_FORMAT_TURNS: return "turns";
    case TX_FORMAT_VTT: return "vtt";
    case TX_FORMAT_SRT: return "srt";
    default: return "auto";
    }
}

const char *tx_corpus_params_check(const tx_corpus_params *p)
{
    if (!p)
        return NULL;
    if ((int)p->format < TX_FORMAT_AUTO || (int)p->format > TX_FORMAT_JSON)
        return "unknown input format";
    if (p->text_col && !p->text_col[0])
        return "the text column's name is empty";
    if (p->encoding && !tx__encoding_known(p->encoding))
        return "unknown encoding (iconv --list names them)";
    return NULL;
}

int tx_corpus_new(tx_ctx *ctx, const tx_corpus_params *p, tx_corpus **out)
{
    tx_corpus_params def;
    tx_corpus *c;

    if (!ctx || !out)
        return TX_EINVAL;
    *out = NULL;
    tx_corpus_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (tx_corpus_params_check(p))
        return TX_EINVAL;
    c = tx__calloc(ctx, 1, sizeof *c);
    if (!c)
        return TX_ENOMEM;
    c->ctx = ctx;
    pthread_mutex_init(&c->canon_lock, NULL);
    tx__arena_init(&c->arena, ctx);
    c->p = *p;
    c->p.text_col = tx__corpus_str(c, p->text_col ? p->text_col : "text");
    c->p.id_col = tx__corpus_str(c, p->id_col);
    c->p.group_col = tx__corpus_str(c, p->group_col);
    c->p.outcome_col = tx__corpus_str(c, p->outcome_col);
    c->p.stage_col = tx__corpus_str(c, p->stage_col);
    c->p.time_col = tx__corpus_str(c, p->time_col);
    c->p.interviewer = tx__corpus_str(c, p->interviewer);
    c->p.encoding = tx__corpus_str(c, p->encoding);
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
    tx_free(c->ctx, c->canon);
    pthread_mutex_destroy(&c->canon_lock);
    tx_free(c->ctx, c->docs);
    tx_free(c->ctx, c->rejects);
    tx_free(c->ctx, c->files);
    tx_free(c->ctx, c);
}

size_t tx_corpus_file_count(const tx_corpus *c)
{
    return c ? c->n_files : 0;
}

int tx_corpus_file(const tx_corpus *c, size_t i, tx_file_info *out)
{
    if (!c || !out || i >= c->n_files)
        return TX_EINVAL;
    *out = c->files[i];
    return TX_OK;
}

int tx__corpus_note_file(tx_corpus *c, const char *path, tx_format f,
                         int sniffed, const char *skipped)
{
    tx_file_info *x;

    if (tx__grow(c->ctx, (void **)&c->files, &c->cap_files, c->n_files + 1,
                 sizeof *c->files))
        return TX_ENOMEM;
    x = &c->files[c->n_files];
    x->path = tx__corpus_str(c, path);
    x->format = f;
    x->sniffed = sniffed;
    x->skipped = skipped ? tx__corpus_str(c, skipped) : NULL;
    if (!x->path || (skipped && !x->skipped))
        return TX_ENOMEM;
    c->n_files++;
    return TX_OK;
}

size_t tx_corpus_size(const tx_corpus *c) { return c ? c->n_docs : 0; }
size_t tx_corpus_reject_count(const tx_corpus *c) { return c ? c->n_rejects : 0; }
size_t tx_corpus_repaired_count(const tx_corpus *c) { return c ? c->n_repaired : 0; }
size_t tx_corpus_html_count(const tx_corpus *c) { return c ? c->n_html : 0; }
size_t tx_corpus_twice_decoded_count(const tx_corpus *c)
{
    return c ? c->n_twice : 0;
}
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

void tx__corpus_prefetch(const tx_corpus *c, size_t i)
{
    if (i < c->n_docs)
        __builtin_prefetch(c->docs[i].text);
}

int tx_corpus_reject(const tx_corpus *c, size_t i, tx_reject *out)
{
    if (!c || !out || i >= c->n_rejects)
        return TX_EINVAL;
    *out = c->rejects[i];
    return TX_OK;
}

/* ---- adding documents and rejects ---- */

void tx__corpus_rollback(struct tx__file_job *j)
{
    j->c->n_docs = j->docs0;
    tx__corpus_changed(j->c);
    j->c->n_rejects = j->rejects0;
    j->c->n_repaired = j->repaired0;
    j->c->n_html = j->html0;
    j->c->n_twice = j->twice0;
    j->c->n_context = j->context0;
    j->c->n_seq = j->seq0;
}

const char *tx__corpus_str(tx_corpus *c, const char *s)
{
    return s ? tx__arena_strndup(&c->arena, s, strlen(s)) : NULL;
}

int tx__corpus_reject_row(struct tx__file_job *j, long line, const char *id,
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
    r->id = id ? tx__corpus_str(c, id) : NULL;
    r->reason = tx__corpus_str(c, reason);
    if ((id && !r->id) || !r->reason)
        return TX_ENOMEM;
    r->row = c->n_seq++;
    c->n_rejects++;
    return TX_OK;
}

bool tx__blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* Checks the text of one row and adds it as a document or a reject. `d`
 * carries the metadata (arena strings); its text fields are filled here. */
int tx__corpus_add_doc(struct tx__file_job *j, tx_doc *d, const char *text, size_t n)
{
    tx_corpus *c = j->c;
    size_t bad = 0, len;
    char *t, *plain = NULL;
    int rc;

    if (memchr(text, '\0', n))
        return tx__corpus_reject_row(j, d->line, d->id, "NUL byte in text");
    if (c->p.strict_utf8 && !tx__utf8_valid(text, n))
        return tx__corpus_reject_row(j, d->line, d->id, "invalid UTF-8 in text");
    if (c->p.html) {
        rc = tx__html_text(c->ctx, text, n, &plain, &len);
        if (rc == TX_EFORMAT)
            return tx__corpus_reject_row(j, d->line, d->id,
                              "HTML the parser could not read to the end "
                              "(nested more than 256 deep)");
        if (rc != TX_OK)
            return rc;
        text = plain;
        n = len;
    } else if (tx__looks_html(text, n)) {
        c->n_html++;
    }
    if (tx__blank(text, n)) {
        tx_free(c->ctx, plain);
        return tx__corpus_reject_row(j, d->line, d->id,
                          c->p.html ? "empty text once HTML is removed"
                                    : "empty text");
    }
    t = tx__utf8_repair(&c->arena, text, n, &len, &bad);
    tx_free(c->ctx, plain);
    if (!t)
        return TX_ENOMEM;
    if (c->p.repair_twice_decoded) {
        size_t once = tx__utf8_undecode_twice(t, len);

        if (once != len) {
            t[once] = '\0';
            len = once;
            c->n_twice++;
        }
    }
    if (tx__grow(c->ctx, (void **)&c->docs, &c->cap_docs, c->n_docs + 1,
                 sizeof *c->docs))
        return TX_ENOMEM;
    d->text = t;
    d->len = len;
    d->file = j->name;
    d->row = c->n_seq++;
    c->docs[c->n_docs++] = *d;
    tx__corpus_changed(c);
    if (bad)
        c->n_repaired++;
    return TX_OK;
}

const char *tx__corpus_number_id(tx_corpus *c, long n)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%ld", n);
    return tx__corpus_str(c, buf);
}


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
    tx__corpus_changed(c);
    return TX_OK;
}

/* ---- canonical order ---- */

struct keyed_doc {
    uint64_t hash;
    size_t i;
};

/* By hash, then text, then id: hashes settle nearly every comparison, so
 * the documents themselves are read only for ties. */
static int cmp_keyed_doc(const void *a, const void *b, void *arg)
{
    const struct keyed_doc *x = a, *y = b;
    const tx_corpus *c = arg;
    const tx_doc *dx = &c->docs[x->i], *dy = &c->docs[y->i];
    size_t n = dx->len < dy->len ? dx->len : dy->len;
    int r;

    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if ((r = memcmp(dx->text, dy->text, n)) != 0)
        return r;
    if (dx->len != dy->len)
        return dx->len < dy->len ? -1 : 1;
    if ((r = strcmp(dx->id, dy->id)) != 0)
        return r;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The order is made in parts, one per thread: each hashes and sorts its
 * share of the documents, and the sorted parts are merged. The order is
 * total (the index breaks the last ties), so the result does not depend
 * on the number of parts. */
struct canon_job {
    const tx_corpus *c;
    struct keyed_doc *k;
    size_t parts;
};

static int sort_part(void *arg, size_t p)
{
    struct canon_job *j = arg;
    size_t n = j->c->n_docs, a = n * p / j->parts, b = n * (p + 1) / j->parts;
    size_t i;

    for (i = a; i < b; i++)
        j->k[i] = (struct keyed_doc){
            tx__hash(j->c->docs[i].text, j->c->docs[i].len), i};
    qsort_r(j->k + a, b - a, sizeof *j->k, cmp_keyed_doc, (void *)j->c);
    return TX_OK;
}

/* The order itself: documents by text hash, then text (a sort of the
 * whole corpus, so it is kept once made). */
static size_t *make_canonical_order(const tx_corpus *c)
{
    /* the merge compares the heads of all parts for each document */
    size_t n = c->n_docs, i, p,
           parts = c->ctx->threads < 8 ? (size_t)c->ctx->threads : 8;
    struct keyed_doc *k = tx__malloc(c->ctx, (n + 1) * sizeof *k);
    size_t *order = tx__malloc(c->ctx, (n + 1) * sizeof *order);
    size_t *at = tx__calloc(c->ctx, parts + 1, sizeof *at);
    struct canon_job j = {c, k, parts};

    if (!k || !order || !at || tx__parallel(c->ctx, parts, sort_part, &j)) {
        tx_free(c->ctx, k);
        tx_free(c->ctx, order);
        tx_free(c->ctx, at);
        return NULL;
    }
    for (p = 0; p < parts; p++)
        at[p] = n * p / parts;
    for (i = 0; i < n; i++) { /* merge: the least head of the parts */
        size_t best = parts;

        for (p = 0; p < parts; p++)
            if (at[p] < n * (p + 1) / parts &&
                (best == parts || cmp_keyed_doc(&k[at[p]], &k[at[best]],
                                                (void *)c) < 0))
                best = p;
        order[i] = k[at[best]++].i;
    }
    tx_free(c->ctx, k);
    tx_free(c->ctx, at);
    return order;
}

int tx__corpus_canonical_order(const tx_corpus *c, size_t **out)
{
    /* the cache is not part of what the corpus says: filling it leaves a
     * const corpus the same to every reader */
    tx_corpus *m = (tx_corpus *)c;
    size_t n = c->n_docs;
    int rc = TX_OK;

    *out = tx__malloc(c->ctx, (n + 1) * sizeof **out);
    if (!*out)
        return TX_ENOMEM;
    pthread_mutex_lock(&m->canon_lock);
    if (!m->canon || m->canon_n != n) {
        tx_free(c->ctx, m->canon);
        m->canon = make_canonical_order(c);
        m->canon_n = n;
    }
    if (m->canon)
        memcpy(*out, m->canon, n * sizeof **out);
    else
        rc = TX_ENOMEM;
    pthread_mutex_unlock(&m->canon_lock);
    if (rc != TX_OK) {
        tx_free(c->ctx, *out);
        *out = NULL;
    }
    return rc;
}
