/* libFuzzer target for the corpus parsers. FUZZ_NAME picks the format by
 * extension (x.csv, x.jsonl, x.txt as transcript, x.vtt, x.srt), FUZZ_HTML
 * reads the text as HTML. After a successful parse every row must be
 * accounted for: the documents' and rejects' row numbers together are
 * 0 .. rows-1, each once, in input order within each list, with line
 * numbers that never go back; a failed parse adds nothing. CSV and TSV
 * are read twice, with quote-free lines split by the reader's fast path
 * and all through libcsv, and must give the same code, message and rows. */
#include "libtext.h"
#include "input/tx_corpus_private.h"
#include "../thread_ranks.h"

#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_NAME
#define FUZZ_NAME "x.csv"
#endif
#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT TX_FORMAT_AUTO
#endif
#ifndef FUZZ_HTML
#define FUZZ_HTML 0 /* 1: the text column is HTML (--html) */
#endif

/* Reads data as FUZZ_NAME, with or without the CSV fast path: the rows
 * written out, and the code and message in *rc and msg. */
static char *read_way(const unsigned char *data, size_t size, bool fast,
                      int *rc, char *msg, size_t cap)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    tx_corpus_params p;
    tx_diag d;
    char *dump;

    tx_corpus_params_init(&p);
    p.format = FUZZ_FORMAT;
    p.html = FUZZ_HTML;
    memset(&d, 0, sizeof d);
    if (tx_ctx_new(NULL, &ctx) != TX_OK || tx_corpus_new(ctx, &p, &c))
        abort();
    tx__corpus_csv_fast(c, fast);
    *rc = tx_corpus_add_buffer(c, FUZZ_NAME, (const char *)data, size, &d);
    snprintf(msg, cap, "%ld %s", d.line, d.message);
    dump = corpus_dump(c);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    return dump;
}

static void same_both_ways(const unsigned char *data, size_t size)
{
    char m1[300], m2[300], *a, *b;
    int rc1, rc2;

    a = read_way(data, size, true, &rc1, m1, sizeof m1);
    b = read_way(data, size, false, &rc2, m2, sizeof m2);
    if (rc1 != rc2 || strcmp(m1, m2) || strcmp(a, b))
        abort();
    free(a);
    free(b);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    tx_corpus_params p;
    tx_diag d;
    size_t i, last_row = 0;
    long last_line = 0;
    unsigned char *seen;
    int rc;

    tx_corpus_params_init(&p);
    p.format = FUZZ_FORMAT;
    p.html = FUZZ_HTML;
    if (tx_ctx_new(NULL, &ctx) != TX_OK || tx_corpus_new(ctx, &p, &c))
        abort();
    rc = tx_corpus_add_buffer(c, FUZZ_NAME, (const char *)data, size, &d);
    if (rc != TX_OK && rc != TX_EFORMAT)
        abort();
    if (rc != TX_OK && tx_corpus_rows(c) != 0)
        abort(); /* a failed file adds nothing */
    seen = calloc(tx_corpus_rows(c) + 1, 1);
    if (!seen)
        abort();
    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc doc;

        tx_corpus_doc(c, i, &doc);
        if (!doc.id || !doc.text || strlen(doc.text) != doc.len ||
            doc.len == 0 || doc.row >= tx_corpus_rows(c) || seen[doc.row]++ ||
            (i && doc.row <= last_row) || doc.line < last_line)
            abort();
        last_row = doc.row;
        last_line = doc.line;
    }
    last_line = 0;
    for (i = 0; i < tx_corpus_reject_count(c); i++) {
        tx_reject r;

        tx_corpus_reject(c, i, &r);
        if (!r.reason || !r.reason[0] || r.row >= tx_corpus_rows(c) ||
            seen[r.row]++ || (i && r.row <= last_row) || r.line < last_line)
            abort();
        last_row = r.row;
        last_line = r.line;
    }
    for (i = 0; i < tx_corpus_rows(c); i++)
        if (seen[i] != 1)
            abort(); /* a row neither read nor rejected */
    free(seen);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    if (strstr(FUZZ_NAME, ".csv") || strstr(FUZZ_NAME, ".tsv"))
        same_both_ways(data, size);
    return 0;
}
