/* libFuzzer target for reading over several ranks: the same bytes read by
 * one process and by 3 ranks (threads standing in for MPI processes, each
 * parsing its share of a CSV's rows, cut by quote parity) must give the
 * same code, the same diagnostic and, once gathered, the same rows on
 * every rank, field for field. */
#include "libtext.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANKS 3

struct hub {
    pthread_barrier_t b;
    const void *src[RANKS];
};

struct rank {
    struct hub *hub;
    int r;
    const char *data;
    size_t size;
    int rc;
    tx_diag d;
    char *dump;
};

static int hub_allgather(void *ud, const void *mine, size_t n, void *all,
                         const size_t *counts)
{
    struct rank *me = ud;
    size_t off = 0;
    int r;

    (void)n;
    me->hub->src[me->r] = mine;
    pthread_barrier_wait(&me->hub->b);
    for (r = 0; r < RANKS; r++) {
        if (counts[r] && (char *)all + off != me->hub->src[r])
            memcpy((char *)all + off, me->hub->src[r], counts[r]);
        off += counts[r];
    }
    pthread_barrier_wait(&me->hub->b);
    return 0;
}

static char *dump(const tx_corpus *c)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        fprintf(f, "%zu %ld %s %s %s %g %d|", d.row, d.line, d.id,
                d.group ? d.group : "-", d.text, d.outcome, d.has_outcome);
    }
    for (i = 0; i < tx_corpus_reject_count(c); i++) {
        tx_reject r;

        tx_corpus_reject(c, i, &r);
        fprintf(f, "%zu %ld %s %s|", r.row, r.line, r.id ? r.id : "-",
                r.reason);
    }
    fprintf(f, "%zu %zu", tx_corpus_repaired_count(c),
            tx_corpus_html_count(c));
    fclose(f);
    return buf;
}

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
    k->dump = k->rc == TX_OK ? dump(c) : NULL;
    tx_corpus_free(c);
    tx_ctx_free(ctx);
}

static void *run_rank(void *arg)
{
    struct rank *k = arg;
    tx_comm comm = {k->r, RANKS, hub_allgather, k};

    read_as(k, &comm);
    return NULL;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct rank alone = {0}, ranks[RANKS];
    struct hub h;
    pthread_t t[RANKS];
    int r;

    alone.data = (const char *)data;
    alone.size = size;
    read_as(&alone, NULL);
    memset(&h, 0, sizeof h);
    pthread_barrier_init(&h.b, NULL, RANKS);
    for (r = 0; r < RANKS; r++) {
        memset(&ranks[r], 0, sizeof ranks[r]);
        ranks[r].hub = &h;
        ranks[r].r = r;
        ranks[r].data = (const char *)data;
        ranks[r].size = size;
        pthread_create(&t[r], NULL, run_rank, &ranks[r]);
    }
    for (r = 0; r < RANKS; r++)
        pthread_join(t[r], NULL);
    pthread_barrier_destroy(&h.b);
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
