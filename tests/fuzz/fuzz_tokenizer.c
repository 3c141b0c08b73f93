/* libFuzzer target for the tokenizer: any bytes, all options on, bigrams.
 * Offsets must stay inside the input and terms must be non-empty. */
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
    static tx_ctx *ctx;
    static tx_tokenizer *tok;
    tx_tokenizer_params p;
    struct state s = {size};

    if (!ctx) {
        tx_tokenizer_params_init(&p);
        p.ngram_max = 2;
        if (tx_ctx_new(NULL, &ctx) || tx_tokenizer_new(ctx, &p, &tok))
            abort();
    }
    if (tx_tokenize(tok, (const char *)data, size, check, &s) != TX_OK)
        abort();
    return 0;
}
