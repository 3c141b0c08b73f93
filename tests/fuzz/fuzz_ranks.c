/* libFuzzer target for reading over several ranks: the same bytes read by
 * one process and by 3 ranks (threads standing in for MPI processes, each
 * parsing its share of a CSV's rows, cut by quote parity) must give the
 * same code, the same diagnostic and, once gathered, the same rows on
 * every rank, field for field. */
#include "libtext.h"
#include "../thread_ranks.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANKS 3

struct rank {
    struct member m;
    const char *data;
    size_t size;
    int rc;
    tx_diag d;
    char *dump;
};

static void read_as(struct rank *k, const tx_comm *comm)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;

    if (tx_ctx_new(NULL, &ctx) != TX_OK)
        abort();
    tx_ctx_set_threads(ctx, 2);
    if (comm && tx_ctx_set_comm(ctx, comm) != TX_OK)
        abort();
    if (tx_corpus_new(ctx, NULL, &c) != TX_OK)
        abort();
    memset(&k->d, 0, sizeof k->d);
    k->rc = tx_corpus_add_buffer(c, "x.csv", k->data, k->size, &k->d);
    if (k->rc == TX_OK)
        k->rc = tx_corpus_gather(c);
    k->dump = k->rc == TX_OK ? corpus_dump(c) : NULL;
    tx_corpus_free(c);
    tx_ctx_free(ctx);
}

static void *run_rank(void *arg)
{
    struct rank *k = arg;
    tx_comm comm = hub_comm(&k->m);

    read_as(k, &comm);
    return NULL;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct rank alone, ranks[RANKS];
    int r;

    memset(&alone, 0, sizeof alone);
    alone.data = (const char *)data;
    alone.size = size;
    read_as(&alone, NULL);
    for (r = 0; r < RANKS; r++) {
        memset(&ranks[r], 0, sizeof ranks[r]);
        ranks[r].data = (const char *)data;
        ranks[r].size = size;
    }
    run_threads(RANKS, run_rank, ranks, sizeof *ranks);
    for (r = 0; r < RANKS; r++) {
        if (ranks[r].rc != alone.rc ||
            strcmp(ranks[r].d.message, alone.d.message) != 0 ||
            ranks[r].d.line != alone.d.line)
            abort(); /* another verdict than one process's */
        if (alone.dump && strcmp(ranks[r].dump, alone.dump) != 0)
            abort(); /* other rows than one process's */
        free(ranks[r].dump);
    }
    free(alone.dump);
    return 0;
}
