/* libFuzzer target for the loaders that read a file by path: pretrained
 * word vectors (FUZZ_NAME x.vec for text, x.bin for word2vec binary) and
 * document embeddings (x.npy). The input is written to a temporary file;
 * a load either succeeds with finite values of the announced shape or
 * fails with TX_EFORMAT and a message. */
#include "libtext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_NAME
#define FUZZ_NAME "x.vec"
#endif

static tx_ctx *ctx;
static tx_vocab *vocab;
static tx_tokenizer_params tp;

/* A small vocabulary for the word vectors to meet, made once. */
static void setup(void)
{
    static const char text[] =
        "text\nparcel late again\nrefund charged twice\nparcel lost\n"
        "refund late\ncard declined twice\ncard lost again\n";
    tx_corpus *c = NULL;
    tx_csr *counts = NULL;
    tx_vocab_params vp;
    tx_diag d;

    tx_tokenizer_params_init(&tp);
    tx_vocab_params_init(&vp);
    vp.min_df = 1;
    if (tx_ctx_new(NULL, &ctx) != TX_OK || tx_corpus_new(ctx, NULL, &c) ||
        tx_corpus_add_buffer(c, "seed.csv", text, sizeof text - 1, &d) ||
        tx_vocab_fit(ctx, &tp, &vp, c, &vocab, &counts))
        abort();
    tx_csr_free(counts);
    tx_corpus_free(c);
}

static void check(const tx_mat *m)
{
    size_t i, j;

    for (i = 0; i < m->rows; i++)
        for (j = 0; j < m->cols; j++)
            if (!isfinite(m->data[i * m->ld + j]))
                abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char path[64];
    const char *ext = strrchr(FUZZ_NAME, '.');
    FILE *f;
    tx_mat *m = NULL;
    tx_diag d;
    int rc;

    if (!ctx)
        setup();
    snprintf(path, sizeof path, "/tmp/libtext_fuzz_%d%s", (int)getpid(), ext);
    if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size ||
        fclose(f))
        abort();
    memset(&d, 0, sizeof d);
    if (strcmp(ext, ".npy") == 0) {
        rc = tx_embeddings_load(ctx, path, NULL, &m, &d);
    } else {
        size_t found = 0;

        rc = tx_wordvec_load(ctx, path, &tp, vocab, &m, &found, &d);
        if (rc == TX_OK && (m->rows != tx_vocab_size(vocab) ||
                            found > m->rows))
            abort();
    }
    if (rc == TX_OK)
        check(m);
    else if (rc != TX_EFORMAT || !d.message[0])
        abort();
    tx_mat_free(m);
    unlink(path);
    return 0;
}
