/* The floor for the vectorize benchmark: not libtext, but the least work
 * the task can be done with on this machine, to show how far the 20x
 * target is from what the hardware allows. It reads the CSV's second
 * column (quotes handled, nothing checked), splits ASCII words of two or
 * more word bytes as scikit-learn's default pattern does (bytes >= 128
 * count as word bytes: no Unicode), lowercases them, drops the stop
 * words read from STOPFILE, counts per document and per term in one hash
 * table per thread, merges the tables, prunes at min_df=2 and writes the
 * sublinear TF-IDF matrix with L2 rows. It does none of what libtext does
 * besides: no NFKC or case folding beyond ASCII, no invalid UTF-8
 * repair, no placeholders, negation or stemming, no accounting for
 * rejected rows, no HTML or encoding checks, and a CSV scanner of its own
 * instead of libcsv. With a fourth argument, libcsv, it reads the rows
 * through libcsv as libtext does, to show what the parser alone costs.
 * usage: floor_vectorize FILE.csv STOPFILE THREADS [libcsv] */
#include <csv.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOTS (1u << 18)   /* hash slots per thread: the corpus has ~56k terms */
#define MAXT 8

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned char lower[256], is_word[256];

typedef struct {
    uint64_t h;
    uint32_t id, off;
} slot;

/* One thread's rows, its vocabulary and its counts (ids are its own). */
typedef struct {
    const char *beg, *end;
    slot *slots;
    char *pool;
    size_t pool_n, pool_cap;
    uint32_t n_terms, n_stop, *len, *df, *last, *pos;
    uint32_t *ids, *cnt;
    size_t nnz, cap, *rows, n_docs, rows_cap;
    /* filled after the merge */
    const uint32_t *map;        /* own id -> kept column, or UINT32_MAX */
    const float *idf;
    size_t out_at;              /* first nonzero this thread writes */
    size_t *rowp;               /* its rows' ends in the matrix */
    uint32_t *col;
    float *val;
    char gap[64];               /* threads' counters on separate lines */
} part;

static uint64_t hash(const unsigned char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ULL;
    return h | 1;
}

static uint32_t intern(part *p, const char *s, uint32_t n, uint64_t h)
{
    uint32_t i = (uint32_t)(h >> 40) & (SLOTS - 1);

    for (;; i = (i + 1) & (SLOTS - 1)) {
        slot *e = &p->slots[i];
        if (!e->h) {
            uint32_t id = p->n_terms++;
            if (p->pool_n + n > p->pool_cap) {
                p->pool_cap = 2 * p->pool_cap + n;
                p->pool = realloc(p->pool, p->pool_cap);
            }
            memcpy(p->pool + p->pool_n, s, n);
            e->h = h;
            e->id = id;
            e->off = (uint32_t)p->pool_n;
            p->pool_n += n;
            p->len[id] = n;
            return id;
        }
        if (e->h == h && p->len[e->id] == n &&
            memcmp(p->pool + e->off, s, n) == 0)
            return e->id;
    }
}

static char **stop_words;

/* Counts one document's words into p's table and closes its row. */
static void count_doc(part *p, const unsigned char *t,
                      const unsigned char *te)
{
    size_t first = p->nnz;
    uint32_t doc = (uint32_t)p->n_docs;

    while (t < te) {
        unsigned char w[64];
        uint64_t h = 1469598103934665603ULL;
        uint32_t n = 0, id;
        const unsigned char *a;

        while (t < te && !is_word[*t])
            t++;
        for (a = t; t < te && is_word[*t]; t++) {
            unsigned char b = lower[*t];
            if (n < sizeof w)
                w[n++] = b;
            h = (h ^ b) * 1099511628211ULL;
        }
        if (t - a < 2)
            continue;
        id = intern(p, (const char *)w, n, h | 1);
        if (id < p->n_stop)
            continue;
        if (p->last[id] != doc) {
            p->last[id] = doc;
            p->pos[id] = (uint32_t)(p->nnz - first);
            if (p->nnz == p->cap) {
                p->cap *= 2;
                p->ids = realloc(p->ids, p->cap * 4);
                p->cnt = realloc(p->cnt, p->cap * 4);
            }
            p->ids[p->nnz] = id;
            p->cnt[p->nnz++] = 1;
            p->df[id]++;
        } else {
            p->cnt[first + p->pos[id]]++;
        }
    }
    if (p->n_docs + 2 > p->rows_cap) {
        p->rows_cap *= 2;
        p->rows = realloc(p->rows, p->rows_cap * sizeof *p->rows);
    }
    p->rows[++p->n_docs] = p->nnz;
}

/* The floor's own scanner: the second field of each row. */
static void scan_own(part *p)
{
    static __thread char field[1 << 20];
    const char *s = p->beg, *end = p->end;

    while (s < end) {
        const unsigned char *t, *te;
        size_t fl = 0;
        const char *c = memchr(s, ',', (size_t)(end - s));

        if (!c)
            break;
        c++;
        if (*c == '"') { /* quoted: "" is a quote, newlines are text */
            for (c++;;) {
                const char *q = memchr(c, '"', (size_t)(end - c));
                if (!q)
                    q = end;
                if (fl + (size_t)(q - c) < sizeof field) {
                    memcpy(field + fl, c, (size_t)(q - c));
                    fl += (size_t)(q - c);
                }
                if (q + 1 < end && q[1] == '"') {
                    if (fl < sizeof field)
                        field[fl++] = '"';
                    c = q + 2;
                    continue;
                }
                c = q + 1;
                break;
            }
            t = (const unsigned char *)field;
            te = t + (fl < sizeof field ? fl : sizeof field);
        } else {
            const char *q = c;
            while (q < end && *q != ',' && *q != '\n')
                q++;
            t = (const unsigned char *)c;
            te = (const unsigned char *)q;
            c = q;
        }
        s = c < end ? memchr(c, '\n', (size_t)(end - c)) : NULL;
        s = s ? s + 1 : end;
        count_doc(p, t, te);
    }
}

/* The same rows through libcsv, as libtext reads them: its callbacks
 * hand over each field already unquoted. */
struct csv_state {
    part *p;
    int col;
};

static void on_field(void *s, size_t n, void *ud)
{
    struct csv_state *c = ud;

    if (c->col++ == 1)
        count_doc(c->p, s, (const unsigned char *)s + n);
}

static void on_row(int ch, void *ud)
{
    (void)ch;
    ((struct csv_state *)ud)->col = 0;
}

static void scan_libcsv(part *p)
{
    struct csv_parser cp;
    struct csv_state c = { p, 0 };

    csv_init(&cp, 0);
    csv_parse(&cp, p->beg, (size_t)(p->end - p->beg), on_field, on_row, &c);
    csv_fini(&cp, on_field, on_row, &c);
    csv_free(&cp);
}

static int use_libcsv;

static void *count(void *arg)
{
    part *p = arg;
    size_t k;

    p->slots = calloc(SLOTS, sizeof *p->slots);
    p->len = malloc(SLOTS * 4);
    p->df = calloc(SLOTS, 4);
    p->last = malloc(SLOTS * 4);
    p->pos = malloc(SLOTS * 4);
    memset(p->last, 0xff, SLOTS * 4);
    p->cap = (size_t)(p->end - p->beg) / 6 + 16;
    p->ids = malloc(p->cap * 4);
    p->cnt = malloc(p->cap * 4);
    p->rows_cap = (size_t)(p->end - p->beg) / 40 + 16;
    p->rows = malloc(p->rows_cap * sizeof *p->rows);
    p->pool_cap = 1 << 20;
    p->pool = malloc(p->pool_cap);
    for (k = 0; stop_words[k]; k++)
        intern(p, stop_words[k], (uint32_t)strlen(stop_words[k]),
               hash((const unsigned char *)stop_words[k],
                    strlen(stop_words[k])));
    p->n_stop = p->n_terms;
    p->rows[0] = 0;
    if (use_libcsv)
        scan_libcsv(p);
    else
        scan_own(p);
    return NULL;
}

/* Each thread writes its own rows of the TF-IDF matrix. */
static void *weigh(void *arg)
{
    part *p = arg;
    size_t d, j, o = p->out_at;

    for (d = 0; d < p->n_docs; d++) {
        size_t a = o;
        double ss = 0;
        for (j = p->rows[d]; j < p->rows[d + 1]; j++) {
            uint32_t c = p->map[p->ids[j]];
            float v;
            if (c == UINT32_MAX)
                continue;
            v = (float)(1 + log(p->cnt[j])) * p->idf[c];
            p->col[o] = c;
            p->val[o++] = v;
            ss += (double)v * v;
        }
        if (ss > 0)
            for (j = a; j < o; j++)
                p->val[j] *= (float)(1 / sqrt(ss));
        p->rowp[d] = o;
    }
    return NULL;
}

/* The start of the row after `at`: newlines inside quotes do not count,
 * so the quotes before it are counted from the start. */
static const char *row_after(const char *from, const char *at, const char *end)
{
    size_t quotes = 0;
    const char *s = from, *q;

    while ((q = memchr(s, '"', (size_t)(at - s))))
        quotes++, s = q + 1;
    for (s = at; s < end; s++) {
        if (*s == '"')
            quotes++;
        else if (*s == '\n' && quotes % 2 == 0)
            return s + 1;
    }
    return end;
}

int main(int argc, char **argv)
{
    int nt, i, fd;
    struct stat st;
    const char *data, *body;
    part *P;
    pthread_t th[MAXT];
    double t0, t1, t2, t3;
    size_t n_docs = 0, nnz = 0, k, n_stop = 0, cap_stop = 64;
    uint32_t n_all, n_kept = 0, *maps[MAXT], *keep_of;
    uint64_t *df_all;
    float *idf;
    FILE *f;
    char line[256];

    if (argc < 4 || argc > 5 || (nt = atoi(argv[3])) < 1 || nt > MAXT ||
        (argc == 5 && strcmp(argv[4], "libcsv") != 0)) {
        fprintf(stderr,
                "usage: floor_vectorize FILE.csv STOPFILE THREADS [libcsv]\n");
        return 2;
    }
    use_libcsv = argc == 5;
    stop_words = malloc(cap_stop * sizeof *stop_words);
    if (!(f = fopen(argv[2], "r")))
        return perror(argv[2]), 1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (n_stop + 2 > cap_stop)
            stop_words = realloc(stop_words, (cap_stop *= 2) * sizeof *stop_words);
        stop_words[n_stop++] = strdup(line);
    }
    stop_words[n_stop] = NULL;
    fclose(f);
    for (i = 0; i < 256; i++) {
        lower[i] = (unsigned char)(i >= 'A' && i <= 'Z' ? i + 32 : i);
        is_word[i] = (i >= '0' && i <= '9') || (i >= 'a' && i <= 'z') ||
                     (i >= 'A' && i <= 'Z') || i == '_' || i >= 128;
    }
    t0 = now();
    if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) != 0)
        return perror(argv[1]), 1;
    data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
                fd, 0);
    if (data == MAP_FAILED)
        return perror("mmap"), 1;
    body = memchr(data, '\n', (size_t)st.st_size);
    body = body ? body + 1 : data + st.st_size;
    P = calloc((size_t)nt, sizeof *P);
    for (i = 0; i < nt; i++) {
        P[i].beg = i ? P[i - 1].end : body;
        P[i].end = i == nt - 1 ? data + st.st_size
                 : row_after(P[i].beg, body + (data + st.st_size - body) *
                                           (i + 1) / nt, data + st.st_size);
    }
    t1 = now();
    for (i = 0; i < nt; i++)
        pthread_create(&th[i], NULL, count, &P[i]);
    for (i = 0; i < nt; i++)
        pthread_join(th[i], NULL);
    t2 = now();
    /* one vocabulary: thread 0's, with the others' terms added */
    for (i = 1; i < nt; i++) {
        maps[i] = malloc(P[i].n_terms * 4);
        for (k = 0; k < SLOTS; k++) {
            const slot *e = &P[i].slots[k];
            if (e->h)
                maps[i][e->id] = intern(&P[0], P[i].pool + e->off,
                                        P[i].len[e->id], e->h);
        }
    }
    n_all = P[0].n_terms;
    df_all = calloc(n_all, sizeof *df_all);
    for (i = 0; i < nt; i++) {
        n_docs += P[i].n_docs;
        for (k = P[i].n_stop; k < P[i].n_terms; k++)
            df_all[i ? maps[i][k] : k] += P[i].df[k];
    }
    keep_of = malloc(n_all * 4);
    idf = malloc(n_all * sizeof *idf);
    for (k = 0; k < n_all; k++) {
        keep_of[k] = UINT32_MAX;
        if (k >= P[0].n_stop && df_all[k] >= 2) {
            idf[n_kept] = (float)(log((1.0 + (double)n_docs) /
                                      (1.0 + (double)df_all[k])) + 1);
            keep_of[k] = n_kept++;
        }
    }
    for (i = 1; i < nt; i++)
        for (k = 0; k < P[i].n_terms; k++)
            maps[i][k] = keep_of[maps[i][k]];
    for (i = 0; i < nt; i++)
        nnz += P[i].nnz;
    {
        uint32_t *col = malloc(nnz * 4);
        float *val = malloc(nnz * 4);
        size_t at = 0, kept = 0, *rowp = malloc((n_docs + 1) * sizeof *rowp);
        size_t doc_at = 0;
        for (i = 0; i < nt; i++) {
            P[i].rowp = rowp + 1 + doc_at;
            doc_at += P[i].n_docs;
            P[i].map = i ? maps[i] : keep_of;
            P[i].idf = idf;
            P[i].col = col;
            P[i].val = val;
            P[i].out_at = at;
            at += P[i].nnz; /* an upper bound: pruned terms leave gaps */
            pthread_create(&th[i], NULL, weigh, &P[i]);
        }
        for (i = 0; i < nt; i++)
            pthread_join(th[i], NULL);
        t3 = now();
        for (i = 0; i < nt; i++)
            for (k = 0; k < P[i].nnz; k++)
                kept += P[i].map[P[i].ids[k]] != UINT32_MAX;
        printf("read %.3f count %.3f tfidf %.3f total %.3f docs %zu terms %u nnz %zu\n",
               t1 - t0, t2 - t1, t3 - t2, t3 - t0, n_docs, n_kept, kept);
    }
    return 0;
}
