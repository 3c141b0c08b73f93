/* libFuzzer target for the corpus parsers. FUZZ_NAME picks the format by
 * extension (x.csv, x.jsonl, x.txt as transcript, x.vtt, x.srt), FUZZ_HTML
 * reads the text as HTML. After a successful parse every row must be
 * accounted for: the documents' and rejects' row numbers together are
 * 0 .. rows-1, each once, in input order within each list, with line
 * numbers that never go back; a failed parse adds nothing. */
#include "libtext.h"

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
    return 0;
}
