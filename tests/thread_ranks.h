/* Threads standing in for the ranks of a run (tests and the fuzz target):
 * a tx_comm whose allgather meets at a barrier, a launcher, and a corpus
 * written out field by field to compare. Each job handed to run_threads
 * begins with its struct member. */
#ifndef THREAD_RANKS_H
#define THREAD_RANKS_H

#include "libtext.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MAX_RANKS 5

struct hub {
    pthread_barrier_t b;
    int ranks;
    const void *src[MAX_RANKS];
    size_t n[MAX_RANKS];
};

struct member {
    struct hub *hub;
    int rank;
};

/* Every rank's bytes to every rank; non-zero when the counts a rank was
 * given are not what the ranks sent. */
static inline int hub_allgather(void *ud, const void *mine, size_t n,
                                void *all, const size_t *counts)
{
    struct member *m = ud;
    struct hub *h = m->hub;
    size_t off = 0;
    int r, bad = 0;

    h->src[m->rank] = mine;
    h->n[m->rank] = n;
    pthread_barrier_wait(&h->b);
    for (r = 0; r < h->ranks; r++) {
        if (counts[r] != h->n[r])
            bad = 1;
        else if (counts[r] && (char *)all + off != h->src[r])
            memcpy((char *)all + off, h->src[r], counts[r]);
        off += counts[r];
    }
    pthread_barrier_wait(&h->b);
    return bad;
}

/* The member's rank as a tx_comm. */
static inline tx_comm hub_comm(struct member *m)
{
    tx_comm c = {m->rank, m->hub->ranks, hub_allgather, m};

    return c;
}

/* Runs fn on `ranks` threads, thread r on the job at jobs + r * job_size,
 * and waits for them all. */
static inline void run_threads(int ranks, void *(*fn)(void *), void *jobs,
                               size_t job_size)
{
    struct hub h;
    pthread_t t[MAX_RANKS];
    int r;

    memset(&h, 0, sizeof h);
    h.ranks = ranks;
    pthread_barrier_init(&h.b, NULL, (unsigned)ranks);
    for (r = 0; r < ranks; r++) {
        struct member *m = (struct member *)(void *)((char *)jobs +
                                                     (size_t)r * job_size);

        m->hub = &h;
        m->rank = r;
        pthread_create(&t[r], NULL, fn, m);
    }
    for (r = 0; r < ranks; r++)
        pthread_join(t[r], NULL);
    pthread_barrier_destroy(&h.b);
}

/* Every field of every document and reject, one per line. */
static inline char *corpus_dump(const tx_corpus *c)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc d;

        tx_corpus_doc(c, i, &d);
        fprintf(f, "doc %zu line %ld id %s file %s group %s stage %s time %s "
                   "outcome %g/%d context %s text %s\n",
                d.row, d.line, d.id ? d.id : "-", d.file ? d.file : "-",
                d.group ? d.group : "-", d.stage ? d.stage : "-",
                d.time ? d.time : "-", d.outcome, d.has_outcome,
                d.context ? d.context : "-", d.text);
    }
    for (i = 0; i < tx_corpus_reject_count(c); i++) {
        tx_reject r;

        tx_corpus_reject(c, i, &r);
        fprintf(f, "reject %zu line %ld id %s: %s\n", r.row, r.line,
                r.id ? r.id : "-", r.reason);
    }
    fprintf(f, "repaired %zu html %zu context %zu rows %zu\n",
            tx_corpus_repaired_count(c), tx_corpus_html_count(c),
            tx_corpus_context_count(c), tx_corpus_rows(c));
    fclose(f);
    return buf;
}

#endif
