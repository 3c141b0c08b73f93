/* The tools under mpirun: MPI is started only when a launcher started
 * this process as one of several ranks, and libtext gets a tx_comm whose
 * allgather is MPI's. Ranks other than 0 stay silent: rank 0 prints and
 * writes. Without MPI (built with MPI=0), a tool started as one of
 * several ranks stops, rather than write the same files N times. */
#include "cli.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef TX_WITH_MPI
#include <mpi.h>
#endif

static int rank, ranks = 1;
static int real_stderr = -1; /* ranks other than 0: the terminal's stderr */
static FILE *held;           /* ... and what they would have said */
static uint64_t received; /* bytes this rank received from allgathers */

/* The launcher's own count of processes: OpenMPI's mpirun, or any PMIx /
 * PMI launcher (srun, hydra). */
static int launched_ranks(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                       "PMIX_SIZE", NULL};
    size_t i;

    for (i = 0; vars[i]; i++) {
        const char *v = getenv(vars[i]);

        if (v && atoi(v) > 1)
            return atoi(v);
    }
    return 1;
}

#ifdef TX_WITH_MPI
/* Pieces of at most this many bytes per rank per MPI call: MPI's counts
 * and offsets are ints. */
#define PIECE ((size_t)1 << 26)

static int mpi_allgather(void *ud, const void *mine, size_t n, void *all,
                         const size_t *counts)
{
    int R = ranks, r, *cnt = malloc((size_t)R * sizeof *cnt),
        *disp = malloc((size_t)R * sizeof *disp), rc = 0, any = 0;
    size_t *off = malloc((size_t)R * sizeof *off), done = 0, most = 0,
           total = 0, first = 0;
    char *tmp = NULL;

    (void)ud;
    (void)n;
    for (r = 0; off && r < R; r++) {
        off[r] = total;
        total += counts[r];
        first += counts[r] < PIECE ? counts[r] : PIECE;
        if (counts[r] > most)
            most = counts[r];
    }
    /* Up to 2 GB in all: one call, straight into place. Beyond, round by
     * round through a buffer, each rank's next piece per round. */
    received += total;
    if (total > INT_MAX)
        tmp = malloc(first);
    rc = !cnt || !disp || !off || (total > INT_MAX && !tmp);
    /* every rank must make the same calls: agree on failure first */
    MPI_Allreduce(&rc, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    rc = any;
    if (rc == 0 && total <= INT_MAX) {
        for (r = 0; r < R; r++) {
            cnt[r] = (int)counts[r];
            disp[r] = (int)off[r];
        }
        /* bytes already in their place inside `all` are sent in place */
        rc = MPI_Allgatherv(mine == (char *)all + off[rank] ? MPI_IN_PLACE
                                                            : mine,
                            cnt[rank], MPI_BYTE, all, cnt, disp, MPI_BYTE,
                            MPI_COMM_WORLD) != MPI_SUCCESS;
        most = 0;
    }
    while (rc == 0 && done < most) {
        size_t pos = 0;

        for (r = 0; r < R; r++) {
            size_t left = counts[r] > done ? counts[r] - done : 0;

            cnt[r] = (int)(left < PIECE ? left : PIECE);
            disp[r] = (int)pos;
            pos += (size_t)cnt[r];
        }
        if (MPI_Allgatherv((const char *)mine + (cnt[rank] ? done : 0),
                           cnt[rank], MPI_BYTE, tmp, cnt, disp, MPI_BYTE,
                           MPI_COMM_WORLD) != MPI_SUCCESS)
            rc = 1;
        for (r = 0; rc == 0 && r < R; r++)
            if (cnt[r]) /* memmove: a piece may come from its own place */
                memmove((char *)all + off[r] + done, tmp + disp[r],
                        (size_t)cnt[r]);
        done += PIECE;
    }
    free(cnt);
    free(disp);
    free(off);
    free(tmp);
    return rc;
}

static void mpi_end(void)
{
    int up = 0, down = 0;

    MPI_Initialized(&up);
    MPI_Finalized(&down);
    if (up && !down)
        MPI_Finalize();
}
#endif

int cli_mpi_alone(const char *prog)
{
    const char *r = getenv("OMPI_COMM_WORLD_RANK");

    if (launched_ranks() <= 1)
        return 0;
    if (!r || atoi(r) == 0) /* one message, not one per process */
        fprintf(stderr, "%s: runs as one process; start it without mpirun "
                "(tx-themes, tx-causes, tx-assign and tx-vectorize run on "
                "several)\n", prog);
    return 1;
}

int cli_mpi_start(const char *prog, int *argc, char ***argv)
{
    int want = launched_ranks();

    if (want <= 1)
        return 0;
#ifdef TX_WITH_MPI
    if (MPI_Init(argc, argv) != MPI_SUCCESS) {
        fprintf(stderr, "%s: MPI could not start\n", prog);
        return 1;
    }
    atexit(mpi_end);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    /* Rank 0 speaks for the run; the others' errors reach it through
     * libtext's agreement, so nothing is said twice. What they would say
     * is held, for a failure of theirs that rank 0 never hears of. */
    if (rank != 0) {
        fflush(stderr);
        real_stderr = dup(2);
        held = tmpfile();
        if (real_stderr < 0 || !held || dup2(fileno(held), 2) < 0 ||
            !freopen("/dev/null", "w", stdout))
            return 1;
    }
    return 0;
#else
    (void)argc;
    (void)argv;
    fprintf(stderr, "%s: started as one of %d processes, but built without "
            "MPI (make MPI=1, with libopenmpi-dev installed)\n", prog, want);
    return 1;
#endif
}

int cli_mpi_attach(tx_ctx *ctx)
{
#ifdef TX_WITH_MPI
    tx_comm c;

    if (ranks <= 1)
        return 0;
    memset(&c, 0, sizeof c);
    c.rank = rank;
    c.ranks = ranks;
    c.allgather = mpi_allgather;
    return tx_ctx_set_comm(ctx, &c) != TX_OK;
#else
    (void)ctx;
    return 0;
#endif
}

int cli_mpi_end(int status)
{
#ifdef TX_WITH_MPI
    char buf[4096];
    size_t n;

    if (ranks <= 1 || status == 0)
        return status;
    /* A failing rank may leave others waiting in an exchange: stop them
     * all. Rank 0 has said why; another rank gives rank 0 time to say it
     * (and to stop the run) first, and speaks only if it is still up. */
    fflush(stderr);
    if (rank != 0) {
        sleep(2);
        if (held && real_stderr >= 0 && fseek(held, 0, SEEK_SET) == 0)
            while ((n = fread(buf, 1, sizeof buf, held)) > 0)
                if (write(real_stderr, buf, n) < 0)
                    break;
    }
    MPI_Abort(MPI_COMM_WORLD, status);
#endif
    return status;
}

int cli_mpi_rank(void)
{
    return rank;
}

int cli_mpi_ranks(void)
{
    return ranks;
}

uint64_t cli_mpi_received(void)
{
    return received;
}

int cli_mpi_any(int failed)
{
#ifdef TX_WITH_MPI
    int any = 0;

    if (ranks <= 1)
        return failed;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return any;
#else
    return failed;
#endif
}
