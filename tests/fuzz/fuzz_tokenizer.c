/* libFuzzer target for the tokenizer and the segmenter: any bytes, all
 * options on, bigrams, English and French. Offsets must stay inside the input, terms must be
 * non-empty, sentence and clause spans ordered and nested. */
#include "libtext.h"

#include <stdlib.h>

struct state {
    size_t len;
};

static int check(void *ud, const tx_token *t)
{
    const struct state *s = ud;

    if (t->term_len == 0 || t->start > t->end || t->end > s->len)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* English, and French with its elisions and negators */
    static tx_ctx *ctx;
    static tx_tokenizer *tok[2];
    tx_tokenizer_params p;
    struct state s = {size};
    int k;

    if (!ctx) {
        tx_tokenizer_params_init(&p);
        p.ngram_max = 2;
        if (tx_ctx_new(NULL, &ctx) || tx_tokenizer_new(ctx, &p, &tok[0]))
            abort();
        p.lang = "french";
        if (tx_tokenizer_new(ctx, &p, &tok[1]))
            abort();
    }
    for (k = 0; k < 2; k++)
        if (tx_tokenize(tok[k], (const char *)data, size, check, &s) != TX_OK)
            abort();
    /* Segmentation: spans inside the text, ordered, clauses inside them. */
    {
        tx_span sp[64], cl[64];
        size_t n = 0, i, m, j, prev = 0;

        tx_segment_sentences((const char *)data, size, sp, 64, &n);
        for (i = 0; i < n && i < 64; i++) {
            if (sp[i].start < prev || sp[i].end > size ||
                sp[i].start >= sp[i].end)
                abort();
            prev = sp[i].end;
            tx_segment_clauses((const char *)data, sp[i], cl, 64, &m);
            for (j = 0; j < m && j < 64; j++)
                if (cl[j].start < sp[i].start || cl[j].end > sp[i].end)
                    abort();
        }
    }
    return 0;
}
