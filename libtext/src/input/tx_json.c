/*
 * JSON Lines (one object a line) and JSON arrays of objects (jansson).
 */
#include "tx_corpus_private.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *json_scalar(tx_corpus *c, json_t *v)
{
    char buf[64];

    if (json_is_string(v))
        return tx__corpus_str(c, json_string_value(v));
    if (json_is_integer(v)) {
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        return tx__corpus_str(c, buf);
    }
    if (json_is_real(v)) {
        snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
        return tx__corpus_str(c, buf);
    }
    return NULL;
}

static int jsonl_row(struct tx__file_job *j, json_t *o, long line, long row)
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
        d.id = tx__corpus_number_id(c, row);
    if (!d.id)
        return TX_ENOMEM;
    text = json_object_get(o, p->text_col);
    if (!text) {
        snprintf(reason, sizeof reason, "no '%.40s' field", p->text_col);
        return tx__corpus_reject_row(j, line, d.id, reason);
    }
    if (!json_is_string(text)) {
        snprintf(reason, sizeof reason, "'%.40s' is not a string",
                 p->text_col);
        return tx__corpus_reject_row(j, line, d.id, reason);
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
        return tx__corpus_reject_row(j, line, d.id, "outcome is not a number");
    }
    return tx__corpus_add_doc(j, &d, json_string_value(text), json_string_length(text));
}

/* Rejects a row whose fields cannot be read, named by its number as a
 * row without an id is. */
static int reject_row(struct tx__file_job *j, long line, long row,
                      const char *reason)
{
    const char *id = tx__corpus_number_id(j->c, row);

    return id ? tx__corpus_reject_row(j, line, id, reason) : TX_ENOMEM;
}

int tx__read_jsonl(struct tx__file_job *j, const char *data, size_t len)
{
    struct tx__line_iter it = {data, len, 0, 0};
    const char *s;
    size_t n;
    long row = 0;
    int rc = TX_OK;

    while (rc == TX_OK && tx__next_line(&it, &s, &n)) {
        json_error_t err;
        json_t *o;
        char reason[200];
        size_t bad = 0, rlen;
        const char *line = s;

        if (tx__blank(s, n))
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

size_t tx__skip_space(const char *data, size_t len, size_t pos)
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
int tx__read_json(struct tx__file_job *j, const char *data, size_t len)
{
    size_t pos = tx__skip_space(data, len, 0), counted = 0;
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
    pos = tx__skip_space(data, len, pos + 1);
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
        pos = tx__skip_space(data, len, pos + (size_t)err.position);
        if (pos < len && data[pos] == ',')
            pos = tx__skip_space(data, len, pos + 1);
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
    else if (tx__skip_space(data, len, pos + 1) != len)
        tx__diag_set(j->diag, j->name, line, "data after the closing ']'");
    else
        return TX_OK;
    return TX_EFORMAT;
}
