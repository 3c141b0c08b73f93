/* The shared core of libtext's modules: the context and its allocator,
 * the byte arena, the string map, hashing, random numbers, the parallel
 * loop and output escaping. Each stage's own private declarations are in a
 * header of its folder (input/tx_corpus_private.h, themes/
 * tx_themes_private.h, ...). Never installed. */
#ifndef TX_INTERNAL_H
#define TX_INTERNAL_H

#include "libtext.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct tx_ctx {
    tx_alloc alloc;
    int threads;
    uint64_t seed;
    tx_progress_fn progress;
    void *progress_ud;
    tx_comm comm; /* ranks 1: alone */
    /* > 0 while this rank works through its own share of a split step
     * (tx__comm_solo): the steps inside exchange nothing */
    int solo;
};

/* Reports progress if a callback is set; returns its non-zero answer. */
static inline int tx__progress(tx_ctx *ctx, const char *stage, size_t done,
                               size_t total)
{
    return ctx->progress ? ctx->progress(ctx->progress_ud, stage, done, total)
                         : 0;
}

void *tx__malloc(tx_ctx *ctx, size_t n);
void *tx__calloc(tx_ctx *ctx, size_t count, size_t size);
void *tx__realloc(tx_ctx *ctx, void *p, size_t n);
/* Grows `*p` (of `*cap` elements of `size` bytes) to hold at least `need`. */
int tx__grow(tx_ctx *ctx, void **p, size_t *cap, size_t need, size_t size);
/* After a stage whose threads freed much: with the C library's allocator,
 * gives the freed pages back to the system (glibc keeps them in each
 * thread's arena, where the next stage's large arrays cannot use them, so
 * they would add to the peak). A no-op with a caller's allocator. */
void tx__give_back_memory(tx_ctx *ctx);
char *tx__strdup(tx_ctx *ctx, const char *s);
char *tx__strndup(tx_ctx *ctx, const char *s, size_t n);

void tx__diag_set(tx_diag *d, const char *file, long line, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/* 64-bit hash of a byte string (FNV-1a folded with a multiply-xorshift). */
static inline uint64_t tx__hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

/* ASCII letters and digits, and ASCII lower case, whatever the process's
 * locale (isalnum and tolower read it, and cost a call per byte); bytes
 * of other characters are neither and stay as they are. */
static inline bool tx__ascii_alnum(unsigned char c)
{
    return (unsigned char)((c | 0x20) - 'a') < 26 ||
           (unsigned char)(c - '0') < 10;
}

static inline char tx__ascii_lower(unsigned char c)
{
    return (char)((unsigned char)(c - 'A') < 26 ? c + 32 : c);
}

static inline bool tx__ascii_alpha(unsigned char c)
{
    return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline bool tx__ascii_space(unsigned char c)
{
    return c == ' ' || (unsigned char)(c - '\t') < 5; /* \t \n \v \f \r */
}

/* Hot numeric loops: compiled at -O3 with an AVX2 clone chosen at run
 * time (the same clone on a given machine, so results stay reproducible). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&      \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define TX_HOT __attribute__((optimize("O3"), target_clones("avx2", "default")))
#else
#define TX_HOT
#endif

/* Ends a struct of per-thread state kept side by side with its siblings in
 * one array: 64 bytes apart, two threads' fields never share a cache line
 * (where they did, counting ran 10-15% slower on 2 threads, depending on
 * where malloc happened to place the array). */
#define TX__CACHE_LINE_GAP char cache_line_gap[64]

/* Runs fn(arg, i) for i in [0, n) on up to ctx->threads threads. Each call
 * must write only its own slot of the output, so the result is the same
 * for any thread count. Task i runs on worker i % threads, in increasing
 * i, so per-worker scratch may be indexed by i % threads. */
typedef int (*tx__task_fn)(void *arg, size_t i);
int tx__parallel(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg);
/* The same for tasks of uneven cost: each thread takes the next task when
 * its last is done, so which thread runs a task is not fixed (a task must
 * not use per-thread scratch indexed by i % threads, as tx__parallel's
 * tasks may). */
int tx__parallel_dynamic(tx_ctx *ctx, size_t n, tx__task_fn fn, void *arg);
/* Small fits run side by side (choosing k, sub-themes): fn(arg, c, i) for
 * i in [0, n), each task on one thread with `c` its own copy of ctx in
 * ctxs[i]: one thread, no progress reports (the callback need not be
 * thread-safe), no exchanges between ranks; a thread takes the next task
 * when done. The caller keeps ctxs (n entries) while anything a task made
 * lives: matrices keep a pointer to their context. With several ranks
 * the tasks run one after another with ctx itself, the ranks sharing the
 * split steps inside each. Results are the same either way. */
typedef int (*tx__ctx_task_fn)(void *arg, tx_ctx *c, size_t i);
int tx__side_by_side(tx_ctx *ctx, size_t n, tx__ctx_task_fn fn, void *arg,
                     tx_ctx *ctxs);

/* ---- the ranks of a run (tx_comm.c) ---- */

/* Whether there are other ranks to exchange with here: several ranks,
 * and not inside one rank's own share of a split step. */
static inline bool tx__comm_many(const tx_ctx *ctx)
{
    return ctx->comm.ranks > 1 && ctx->solo == 0;
}
/* Brackets the work on this rank's own share of a split step (detecting
 * its documents, running its restarts): the calls inside must not wait
 * for the other ranks, which are busy with theirs. */
static inline void tx__comm_solo(tx_ctx *ctx, bool on)
{
    ctx->solo += on ? 1 : -1;
}
/* The share [*from, *to) of n items that rank `r` of `ranks` takes: even,
 * contiguous, in rank order. */
static inline void tx__comm_share(size_t n, int r, int ranks, size_t *from,
                                  size_t *to)
{
    size_t R = (size_t)ranks, q = n / R, m = n % R; /* n*r/R, no overflow */

    *from = q * (size_t)r + m * (size_t)r / R;
    *to = q * (size_t)(r + 1) + m * (size_t)(r + 1) / R;
}
/* Bytes for the other ranks, grown as they are written; `rc` turns
 * TX_ENOMEM when the buffer cannot grow, and later writes are dropped.
 * Start with {ctx}; tx_free(ctx, w.b) when done. */
typedef struct tx__wire {
    tx_ctx *ctx;
    char *b;
    size_t len, cap;
    int rc;
} tx__wire;
void tx__wire_put(tx__wire *w, const void *p, size_t n);
static inline void tx__wire_u64(tx__wire *w, uint64_t v)
{
    tx__wire_put(w, &v, sizeof v);
}
/* Reading them back: `rc` turns TX_ECOMM when the bytes run out, and
 * later reads give zeros; tx__unwire_get with `out` NULL skips n bytes. */
typedef struct tx__unwire {
    const char *p, *end;
    int rc;
} tx__unwire;
void tx__unwire_get(tx__unwire *u, void *out, size_t n);
static inline uint64_t tx__unwire_u64(tx__unwire *u)
{
    uint64_t v = 0;

    tx__unwire_get(u, &v, sizeof v);
    return v;
}
/* Collective: every rank's wire, in rank order, into a new buffer `*all`
 * of `*len` bytes (`counts`, when not NULL, gets each rank's share). A
 * rank whose `rc` or wire failed sends nothing; every rank returns the
 * first failure (then `*all` is NULL). */
int tx__comm_exchange(tx_ctx *ctx, int rc, const tx__wire *mine, char **all,
                      size_t *len, size_t *counts);
/* Writes rows [0, n) to f, row i formatted by fn(ud, out, i) into `out`
 * (tx_write.c): parts of the rows are formatted into memory on the
 * context's threads and written in order, so f gets the bytes one loop
 * would give. fn must only read shared data. Returns the first non-zero
 * fn return, TX_ENOMEM, or TX_EIO when f refuses the bytes. */
typedef int (*tx__row_write_fn)(void *ud, FILE *out, size_t i);
int tx__write_rows(tx_ctx *ctx, FILE *f, size_t n, tx__row_write_fn fn,
                   void *ud);

/* Numbers of the per-row files, formatted without printf (whose number
 * formatting was most of the writing time), with printf's own bytes, at p;
 * each returns the end. tx__put_int: as "%d" or "%zu" (tx_write.c).
 * tx__put_fixed: as "%.Nf" (decimals 0..6): half-way cases and values
 * too large for a double's exact scaling go to snprintf. */
char *tx__put_int(char *p, int64_t v);
char *tx__put_fixed(char *p, double v, int decimals);

/* Runs fn(arg, i) for i in [from, to), as tx__parallel does for [0, n):
 * a rank's share of a split step. */
int tx__parallel_range(tx_ctx *ctx, size_t from, size_t to, tx__task_fn fn,
                       void *arg);
/* Collective: every rank's n bytes at `mine`, in rank order, into a new
 * buffer `*all` (tx_free it; NUL-ended); `counts` (NULL, or ranks entries)
 * gets each rank's count. TX_ENOMEM or TX_ECOMM on failure. */
int tx__comm_allgather(tx_ctx *ctx, const void *mine, size_t n, char **all,
                       size_t *counts);
/* A split of n items in whole blocks of `block` (the last may be short):
 * the items [*from, *to) of this rank's share of the blocks; all of them
 * when there are no other ranks to exchange with. */
void tx__comm_items(const tx_ctx *ctx, size_t n, size_t block, size_t *from,
                    size_t *to);
/* Collective: each rank filled its items (tx__comm_items) of each array
 * arrays[a] (items of sizes[a] bytes; NULL arrays are skipped); afterwards
 * every rank has every item. `rc` is this rank's state so far: a rank
 * that failed sends nothing, and every rank returns the first failure. */
int tx__comm_share_items(tx_ctx *ctx, int rc, size_t n, size_t block,
                         void *const *arrays, const size_t *sizes,
                         size_t n_arrays);
/* Collective: as tx__comm_share_items, rank r having filled the items
 * [starts[r], starts[r + 1]) (R + 1 entries, in rank order). */
int tx__comm_share_ranges(tx_ctx *ctx, int rc, const size_t *starts,
                          void *const *arrays, const size_t *sizes,
                          size_t n_arrays);
/* Collective: as tx__comm_share_ranges for one array whose ranks' items
 * lie side by side in rank order from starts[0], gathered straight into
 * it: no copy of the array is made. */
int tx__comm_gather_ranges(tx_ctx *ctx, int rc, void *array,
                           const size_t *starts, size_t item);
/* Collective: as tx__comm_share_items for one array whose ranks' items
 * lie side by side in rank order, gathered straight into it (no second
 * copy of the array; `array` NULL, with rc set, on a rank without it). */
int tx__comm_gather_in_place(tx_ctx *ctx, int rc, void *array, size_t n,
                             size_t block, size_t item);
/* Collective: the first failure among the ranks' `rc`, by rank, with its
 * diagnostic copied into `diag` (may be NULL) on every rank; TX_OK when
 * every rank passed TX_OK. Alone: rc as it is. */
int tx__comm_agree(tx_ctx *ctx, int rc, tx_diag *diag);

/* ---- matrices whose rows the ranks hold apart (tx_held.c) ---- */

/* How the ranks split the rows of a matrix they hold apart: sums over the
 * rows go by `parts` fixed parts (part p starts at row n * p / parts), and
 * products are computed in blocks of `block` rows. Each of `ranks` ranks
 * takes a run of parts (tx__comm_share), holds them up to the end of the
 * last block that starts in them, and computes those blocks ("reports"
 * them): results are one process's, whatever the number of ranks. With
 * ranks 1, rank 0 does everything. */
typedef struct tx__rows_split {
    size_t n, parts, block;
    int ranks;
} tx__rows_split;
/* Rank r's parts [*p0, *p1); the rows [*from, *to) of the blocks it
 * reports (they follow each other in rank order and tile the matrix);
 * those blocks [*b0, *b1); the rows it holds. */
void tx__split_parts(const tx__rows_split *s, int r, size_t *p0, size_t *p1);
void tx__split_reported(const tx__rows_split *s, int r, size_t *from,
                        size_t *to);
void tx__split_blocks(const tx__rows_split *s, int r, size_t *b0,
                      size_t *b1);
void tx__split_held(const tx__rows_split *s, int r, size_t *from,
                    size_t *to);

/* The fit's document vectors are held apart: tx__held_parts(n) parts and
 * blocks of TX__HELD_BLOCK rows, shared by the ranks of the context (all
 * of it on this rank alone, or inside a rank's own share of a step:
 * tx__comm_solo). k-means sums and assigns by the same split. */
#define TX__HELD_PARTS 64
#define TX__HELD_BLOCK 2048
size_t tx__held_parts(size_t n);
tx__rows_split tx__held_split(const tx_ctx *ctx, size_t n);
/* The parts [*p0, *p1) rank r sums. */
void tx__held_part_range(const tx_ctx *ctx, size_t n, int r, size_t *p0,
                         size_t *p1);
/* The rows [*from, *to) this rank holds, and the rows of the blocks it
 * reports (within them). */
void tx__held_rows(const tx_ctx *ctx, size_t n, size_t *from, size_t *to);
void tx__held_reported(const tx_ctx *ctx, size_t n, size_t *from,
                       size_t *to);
/* Collective: each rank filled the items of the blocks it reports in
 * each of `arrays` (per row of an n-row matrix, or, with per_block, per
 * block); afterwards every rank has them all. */
int tx__held_share(tx_ctx *ctx, int rc, size_t n, size_t per_block,
                   void *const *arrays, const size_t *sizes, size_t n_arrays);
/* Collective: rows idx[0..m) (any order) of x, held apart, into the first
 * m rows of `out` on every rank. Alone: a copy. */
int tx__held_gather(tx_ctx *ctx, int rc, const tx_mat *x, const size_t *idx,
                    size_t m, tx_mat *out);

/* Byte arena: many small strings freed together. */
typedef struct tx__arena {
    tx_ctx *ctx;
    struct tx__arena_block *head;
} tx__arena;
void tx__arena_init(tx__arena *a, tx_ctx *ctx);
char *tx__arena_strndup(tx__arena *a, const char *s, size_t n);
/* Moves every block of `src` into `dst` (same ctx); `src` ends empty. */
void tx__arena_splice(tx__arena *dst, tx__arena *src);
void tx__arena_free(tx__arena *a);

/* String -> dense index map (0, 1, 2, ... in insertion order). Strings are
 * copied into the map's pool. */
typedef struct tx__strmap {
    tx_ctx *ctx;
    uint32_t *slots; /* index + 1; 0 = empty */
    size_t cap;      /* slots, a power of two */
    uint64_t *hash;
    size_t *off;     /* into pool */
    uint32_t *len;
    size_t n, n_cap;
    char *pool;
    size_t pool_len, pool_cap;
} tx__strmap;
void tx__strmap_init(tx__strmap *m, tx_ctx *ctx);
void tx__strmap_free(tx__strmap *m);
/* Index of s, or -1. */
long tx__strmap_find(const tx__strmap *m, const char *s, size_t n, uint64_t h);
/* Index of s, adding it if absent; -1 when out of memory. */
long tx__strmap_add(tx__strmap *m, const char *s, size_t n, uint64_t h);
/* Room for n strings of `bytes` in all (each with its '\0'), so adding
 * them moves nothing; TX_OK or TX_ENOMEM. */
int tx__strmap_reserve(tx__strmap *m, size_t n, size_t bytes);
/* The same as tx__strmap_add for a string known not to be in the map
 * (no lookup first). */
long tx__strmap_add_new(tx__strmap *m, const char *s, size_t n, uint64_t h);
static inline const char *tx__strmap_str(const tx__strmap *m, size_t i)
{
    return m->pool + m->off[i];
}

/* Public params structs start with their size (set by their _init), so a
 * program built against an older header, whose struct is shorter, still
 * works: `def` holds the defaults, and the caller's `p` (NULL: none) is
 * copied over them up to the shorter of the two sizes. TX_EINVAL when `p`
 * was not filled by its _init (a size too small to be one). */
static inline int tx__params_take(void *def, size_t def_size, const void *p,
                                  size_t p_size)
{
    if (!p)
        return TX_OK;
    if (p_size < sizeof(size_t))
        return TX_EINVAL;
    memcpy(def, p, p_size < def_size ? p_size : def_size);
    *(size_t *)def = def_size;
    return TX_OK;
}

/* A matrix, zeroed or not (tx_mat_new zeroes; the SVD overwrites its big
 * buffers whole, and zeroing 400 MB costs more than the product). */
int tx__mat_alloc(tx_ctx *ctx, size_t rows, size_t cols, bool zero,
                  tx_mat **out);

/* Deterministic random numbers (splitmix64): next 64 bits, and a uniform
 * double in [0, 1). The state is the caller's. */
uint64_t tx__rng_next(uint64_t *state);
double tx__rng_uniform(uint64_t *state);

/* Writes s[0, n) as one RFC 4180 CSV field (tx_escape.c). */
void tx__csv_field_n(FILE *f, const char *s, size_t n);

/* Corpus text written into Markdown with Markdown and HTML characters
 * escaped, cut at `max` characters (tx_escape.c). */
void tx__md_text(FILE *f, const char *s, size_t max);

#endif
