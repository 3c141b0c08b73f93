/* Several ranks, without MPI: threads stand in for the ranks of a run,
 * exchanging bytes through a barrier, so the tests reach every split of
 * the rows and every rank's failure. */
#include "check_suites.h"
#include "core/tx_internal.h"
#include "thread_ranks.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one rank is asked to do, and what it saw. */
struct job {
    struct member m;
    const char *name, *data; /* a buffer to read ... */
    const char *path;        /* ... or a file */
    size_t share;            /* documents held before gathering */
    int rc, refused;         /* refused: a stage's code for the share */
    char *dump;              /* the gathered corpus, as text */
    tx_diag diag;
};

static void *run_rank(void *arg)
{
    struct job *j = arg;
    tx_comm comm = hub_comm(&j->m);
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;

    tx_ctx_new(NULL, &ctx);
    tx_ctx_set_threads(ctx, 2);
    j->rc = tx_ctx_set_comm(ctx, &comm);
    if (j->rc == TX_OK)
        j->rc = tx_corpus_new(ctx, NULL, &c);
    if (j->rc == TX_OK)
        j->rc = j->path ? tx_corpus_add_file(c, j->path, &j->diag)
                        : tx_corpus_add_buffer(c, j->name, j->data,
                                               strlen(j->data), &j->diag);
    j->share = tx_corpus_size(c);
    if (j->rc == TX_OK) {
        tx_vocab *v = NULL;
        tx_csr *counts = NULL;

        j->refused = tx_vocab_fit(ctx, NULL, NULL, c, &v, &counts);
        tx_vocab_free(v);
        tx_csr_free(counts);
        j->rc = tx_corpus_gather(c);
    }
    if (j->rc == TX_OK)
        j->dump = corpus_dump(c);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    return NULL;
}

/* Runs `ranks` ranks on the same input (paths[r] when given). */
static void run_ranks(int ranks, const char *name, const char *data,
                      const char *const *paths, struct job *jobs)
{
    int r;

    for (r = 0; r < ranks; r++) {
        memset(&jobs[r], 0, sizeof jobs[r]);
        jobs[r].name = name;
        jobs[r].data = data;
        jobs[r].path = paths ? paths[r] : NULL;
    }
    run_threads(ranks, run_rank, jobs, sizeof *jobs);
}

static char *read_alone(const char *name, const char *data, size_t *docs)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c;
    char *s;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    c = load_buffer(ctx, NULL, name, data, TX_OK, NULL);
    s = corpus_dump(c);
    *docs = tx_corpus_size(c);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
    return s;
}

/* Rows that cross every likely cut: quoted newlines and commas, escaped
 * quotes, rows without an id, empty text (rejected), CRLF endings. */
static char *tricky_csv(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int i;

    fputs("id,text,group\r\n", f);
    for (i = 0; i < 60; i++) {
        switch (i % 6) {
        case 0: fprintf(f, "%d,\"line one\nline two, \"\"quoted\"\"\n"
                           "and three of row %d\",a\r\n", i, i); break;
        case 1: fprintf(f, ",\"no id on row %d\",b\n", i); break;
        case 2: fprintf(f, "%d,,a\n", i); break; /* rejected: empty */
        case 3: fprintf(f, "%d,plain row %d,b\r\n", i, i); break;
        case 4: fprintf(f, "%d,\"\n\n\nstarts with newlines %d\",a\n", i, i);
            break;
        default: fprintf(f, "%d,\"a, b, \"\"c\"\"\",b\n", i); break;
        }
    }
    fclose(f);
    return buf;
}

static void same_as_alone(const char *name, const char *data, int split)
{
    size_t docs;
    char *alone = read_alone(name, data, &docs);
    struct job jobs[MAX_RANKS];
    int ranks, r;

    for (ranks = 2; ranks <= MAX_RANKS; ranks++) {
        size_t held = 0;

        run_ranks(ranks, name, data, NULL, jobs);
        for (r = 0; r < ranks; r++) {
            ck_assert_msg(jobs[r].rc == TX_OK, "%s, %d ranks: rank %d: %s",
                          name, ranks, r, tx_strerror(jobs[r].rc));
            ck_assert_msg(strcmp(jobs[r].dump, alone) == 0,
                          "%s, %d ranks: rank %d gathered other rows:\n%s\n"
                          "---- alone:\n%s", name, ranks, r, jobs[r].dump,
                          alone);
            /* each rank held only its share before gathering */
            if (split)
                ck_assert_msg(jobs[r].share < docs,
                              "%s, %d ranks: rank %d held %zu of %zu", name,
                              ranks, r, jobs[r].share, docs);
            ck_assert_int_eq(jobs[r].refused, TX_EINVAL);
            held += jobs[r].share;
            free(jobs[r].dump);
        }
        ck_assert_int_eq(held, docs); /* each row on one rank */
    }
    free(alone);
}

START_TEST(shares_gather_to_the_rows_of_one_process)
{
    char *csv = tricky_csv();
    char *tsv = strdup("id\ttext\n1\tfirst row\n2\tsecond row\n3\tthird "
                       "row\n4\t\n5\tfifth row\n6\tsixth row\n");
    char jsonl[2048] = "";
    int i;

    for (i = 0; i < 20; i++)
        sprintf(jsonl + strlen(jsonl),
                "{\"id\": \"j%d\", \"text\": \"json row %d\", \"nps\": %d}\n",
                i, i, i % 11);
    same_as_alone("tricky.csv", csv, 1);
    same_as_alone("rows.tsv", tsv, 1);
    same_as_alone("rows.jsonl", jsonl, 1);
    same_as_alone("interview.txt",
                  "Interviewer: How was the setup?\nCustomer: Slow, the card "
                  "never arrived.\nInterviewer: And support?\nCustomer: "
                  "Helpful once I got through.\nCustomer: But the hold was "
                  "long.\n", 0);
    /* a quote inside an unquoted field throws the quote count off; the
     * ranks notice and read it whole */
    same_as_alone("inches.csv",
                  "id,text\n1,the 5\" screen is small\n2,\"ok\nfine\"\n3,"
                  "a 7\" tablet\n4,\"good\"\n5,plain\n6,\"x, y\"\n", 0);
    /* rows ended by bare carriage returns are read with the header's line
     * (a fuzzer found each rank keeping them): read whole, shared once */
    same_as_alone("cr.csv",
                  "id,text\r1,card never arrived\r2,refund took weeks\r3,"
                  "hold for an hour\n4,staff were kind\n5,app crashes\n",
                  0);
    free(csv);
    free(tsv);
}
END_TEST

START_TEST(a_file_one_rank_cannot_read_fails_every_rank)
{
    const char *paths[3] = {TX_SRCDIR "/corpora/feedback.csv",
                            TX_SRCDIR "/corpora/feedback.csv",
                            "/nonexistent/feedback.csv"};
    struct job jobs[3];
    int r;

    run_ranks(3, NULL, NULL, paths, jobs);
    for (r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, TX_EIO);
        ck_assert_str_eq(jobs[r].diag.file, "/nonexistent/feedback.csv");
        ck_assert_ptr_null(jobs[r].dump);
    }
}
END_TEST

START_TEST(a_damaged_row_fails_every_rank_with_its_line)
{
    char *csv = tricky_csv();
    size_t n = strlen(csv);
    char *bad = malloc(n + 64);
    struct job jobs[3];
    int r;

    /* an unterminated quote in the last rank's share */
    memcpy(bad, csv, n);
    strcpy(bad + n, "99,\"never closed\n");
    run_ranks(3, "damaged.csv", bad, NULL, jobs);
    for (r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, TX_EFORMAT);
        ck_assert_int_gt(jobs[r].diag.line, 100);
        ck_assert_ptr_nonnull(strstr(jobs[r].diag.message, "quoted"));
    }
    free(csv);
    free(bad);
}
END_TEST

START_TEST(alone_the_comm_changes_nothing)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c = NULL;
    tx_themes *th = NULL;
    tx_comm alone = {0, 1, hub_allgather, NULL};
    tx_comm bad = {2, 2, hub_allgather, NULL};

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_int_eq(tx_ctx_set_comm(ctx, &bad), TX_EINVAL);
    ck_assert_int_eq(tx_ctx_set_comm(ctx, &alone), TX_OK);
    ck_assert_int_eq(tx_ctx_rank(ctx), 0);
    ck_assert_int_eq(tx_ctx_ranks(ctx), 1);
    /* alone, gathering is nothing to do and the stages take the corpus */
    c = load_default_corpus(ctx);
    ck_assert_int_eq(tx_corpus_gather(c), TX_OK);
    ck_assert_int_eq(tx_themes_fit(ctx, NULL, c, &th), TX_OK);
    tx_themes_free(th);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
}
END_TEST

/* tx_themes_assign over 3 ranks gives what one process gives. */
struct assign_job {
    struct member m;
    const tx_themes *th;
    const tx_corpus *c;
    int32_t *themes, *subs;
    float *scores;
    int rc;
};

static void *assign_rank(void *arg)
{
    struct assign_job *j = arg;
    tx_comm comm = hub_comm(&j->m);
    tx_ctx *ctx = NULL;
    size_t n = tx_corpus_size(j->c);

    tx_ctx_new(NULL, &ctx);
    tx_ctx_set_comm(ctx, &comm);
    j->themes = malloc(n * sizeof *j->themes);
    j->subs = malloc(n * sizeof *j->subs);
    j->scores = malloc(n * sizeof *j->scores);
    j->rc = tx_themes_assign(ctx, j->th, j->c, NULL, j->themes, j->scores,
                             j->subs);
    tx_ctx_free(ctx);
    return NULL;
}

START_TEST(assigning_over_ranks_matches_one_process)
{
    tx_ctx *ctx = NULL;
    tx_corpus *c;
    tx_themes *th;
    struct assign_job jobs[3];
    size_t n, i;
    int32_t *themes, *subs;
    float *scores;
    int r;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    c = load_default_corpus(ctx);
    th = fit_themes(ctx, c, 0);
    n = tx_corpus_size(c);
    themes = malloc(n * sizeof *themes);
    subs = malloc(n * sizeof *subs);
    scores = malloc(n * sizeof *scores);
    ck_assert_int_eq(tx_themes_assign(ctx, th, c, NULL, themes, scores, subs),
                     TX_OK);
    for (r = 0; r < 3; r++) {
        memset(&jobs[r], 0, sizeof jobs[r]);
        jobs[r].th = th;
        jobs[r].c = c;
    }
    run_threads(3, assign_rank, jobs, sizeof *jobs);
    for (r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, TX_OK);
        for (i = 0; i < n; i++) {
            ck_assert_int_eq(jobs[r].themes[i], themes[i]);
            ck_assert_int_eq(jobs[r].subs[i], subs[i]);
            ck_assert(memcmp(&jobs[r].scores[i], &scores[i],
                             sizeof *scores) == 0);
        }
        free(jobs[r].themes);
        free(jobs[r].subs);
        free(jobs[r].scores);
    }
    free(themes);
    free(subs);
    free(scores);
    tx_themes_free(th);
    tx_corpus_free(c);
    tx_ctx_free(ctx);
}
END_TEST

/* A theme fit replicated on 3 ranks, its k-means restarts, assignments
 * and mentions split between them, equals one process's. */
struct fit_job {
    struct member m;
    const char *path;
    char *summary;
    int rc;
};

static char *fit_summary(tx_ctx *ctx, const char *path, int *rc)
{
    tx_corpus_params cp;
    tx_themes_params tp;
    tx_corpus *c = NULL;
    tx_themes *th = NULL;
    tx_diag d;
    char *buf = NULL;
    size_t len = 0, i, t;
    FILE *f;

    tx_corpus_params_init(&cp);
    tx_themes_params_init(&tp);
    tp.kmeans.k = 12;
    *rc = tx_corpus_new(ctx, &cp, &c);
    if (*rc == TX_OK)
        *rc = tx_corpus_add_file(c, path, &d);
    if (*rc == TX_OK)
        *rc = tx_corpus_gather(c);
    if (*rc == TX_OK)
        *rc = tx_themes_fit(ctx, &tp, c, &th);
    if (*rc == TX_OK) {
        f = open_memstream(&buf, &len);
        for (i = 0; i < tx_corpus_size(c); i++)
            fprintf(f, "%d %d %.9g\n", tx_themes_doc_theme(th, i),
                    tx_themes_doc_subtheme(th, i),
                    (double)tx_themes_doc_score(th, i));
        for (t = 0; t < tx_themes_k(th); t++) {
            tx_theme_info ti;

            tx_themes_theme(th, t, &ti);
            fprintf(f, "theme %zu: %s %zu %.9g\n", t, ti.label, ti.size,
                    (double)ti.stability);
        }
        for (i = 0; i < tx_themes_n_mentions(th); i++) {
            tx_mention mn;

            tx_themes_mention(th, i, &mn);
            fprintf(f, "%zu %zu %zu %d %d\n", mn.doc, mn.start, mn.end,
                    mn.theme, mn.subtheme);
        }
        fclose(f);
    }
    tx_themes_free(th);
    tx_corpus_free(c);
    return buf;
}

static void *fit_rank(void *arg)
{
    struct fit_job *j = arg;
    tx_comm comm = hub_comm(&j->m);
    tx_ctx *ctx = NULL;

    tx_ctx_new(NULL, &ctx);
    tx_ctx_set_comm(ctx, &comm);
    j->summary = fit_summary(ctx, j->path, &j->rc);
    tx_ctx_free(ctx);
    return NULL;
}

START_TEST(a_fit_over_ranks_matches_one_process)
{
    const char *path = TX_SRCDIR "/../shared/corpora/banking77/test.csv";
    tx_ctx *ctx = NULL;
    struct fit_job jobs[3];
    char *alone;
    int r, rc;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    alone = fit_summary(ctx, path, &rc);
    ck_assert_int_eq(rc, TX_OK);
    tx_ctx_free(ctx);
    for (r = 0; r < 3; r++) {
        memset(&jobs[r], 0, sizeof jobs[r]);
        jobs[r].path = path;
    }
    run_threads(3, fit_rank, jobs, sizeof *jobs);
    for (r = 0; r < 3; r++) {
        ck_assert_int_eq(jobs[r].rc, TX_OK);
        ck_assert_msg(strcmp(jobs[r].summary, alone) == 0,
                      "rank %d's fit differs from one process's", r);
        free(jobs[r].summary);
    }
    free(alone);
}
END_TEST

/* Rows held apart: each rank writes only the rows it holds, then
 * gathers rows in a scrambled order, and shares a result per block it
 * reports; every rank must see every row and every block's result. */
struct held_job {
    struct member m;
    size_t n;
    size_t from, to, rep_from, rep_to; /* what the rank held and reported */
    int rc, wrong;
};

static void *held_rank(void *arg)
{
    struct held_job *j = arg;
    tx_comm comm = hub_comm(&j->m);
    tx_ctx *ctx = NULL;
    tx_mat *x = NULL, *out = NULL;
    size_t *idx = malloc((j->n + 1) * sizeof *idx), i, m = 0;

    tx_ctx_new(NULL, &ctx);
    tx_ctx_set_comm(ctx, &comm);
    tx_mat_new(ctx, j->n, 3, &x);
    tx_mat_new(ctx, j->n + 1, 3, &out);
    tx__held_rows(ctx, j->n, &j->from, &j->to);
    tx__held_reported(ctx, j->n, &j->rep_from, &j->rep_to);
    for (i = 0; i < j->n; i++) { /* other ranks' rows hold nonsense */
        float v = i >= j->from && i < j->to ? (float)i : -1.0f;

        x->data[i * x->ld] = v;
        x->data[i * x->ld + 1] = v + 0.5f;
        x->data[i * x->ld + 2] = -v;
    }
    for (i = 0; i < j->n; i += 1 + i % 7) /* a scrambled order, repeats */
        idx[m++] = (i * 7919) % j->n;
    j->rc = tx__held_gather(ctx, TX_OK, x, idx, m, out);
    for (i = 0; j->rc == TX_OK && i < m; i++)
        if (out->data[i * out->ld] != (float)idx[i] ||
            out->data[i * out->ld + 1] != (float)idx[i] + 0.5f ||
            out->data[i * out->ld + 2] != -(float)idx[i])
            j->wrong++;
    /* a result per block, from the rank whose reported rows it starts in */
    {
        size_t nb = (j->n + TX__HELD_BLOCK - 1) / TX__HELD_BLOCK, b;
        double *per = calloc(nb + 1, sizeof *per);
        void *arrays[1] = {per};
        size_t size = sizeof *per;

        for (b = 0; b < nb; b++)
            if (b * TX__HELD_BLOCK >= j->rep_from &&
                b * TX__HELD_BLOCK < j->rep_to)
                per[b] = (double)b + 1.0;
        if (j->rc == TX_OK)
            j->rc = tx__held_share(ctx, TX_OK, j->n, 1, arrays, &size, 1);
        for (b = 0; j->rc == TX_OK && b < nb; b++)
            if (per[b] != (double)b + 1.0)
                j->wrong++;
        free(per);
    }
    tx_mat_free(x);
    tx_mat_free(out);
    tx_ctx_free(ctx);
    free(idx);
    return NULL;
}

START_TEST(rows_held_apart_tile_and_gather)
{
    size_t sizes[] = {40, 100, 5000, 70001}, s, parts, p;
    int ranks, r;

    for (s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (ranks = 2; ranks <= MAX_RANKS; ranks++) {
            struct held_job jobs[MAX_RANKS];
            size_t at = 0, n = sizes[s];

            memset(jobs, 0, sizeof jobs);
            for (r = 0; r < ranks; r++)
                jobs[r].n = n;
            run_threads(ranks, held_rank, jobs, sizeof *jobs);
            parts = tx__held_parts(n);
            for (r = 0; r < ranks; r++) {
                struct held_job *j = &jobs[r];

                ck_assert_int_eq(j->rc, TX_OK);
                ck_assert_msg(j->wrong == 0, "%zu rows, %d ranks: rank %d "
                              "got %d wrong rows or blocks", n, ranks, r,
                              j->wrong);
                /* reported blocks follow each other and tile the rows */
                ck_assert_uint_eq(j->rep_from, at);
                at = j->rep_to;
                ck_assert(j->rep_from % TX__HELD_BLOCK == 0 ||
                          j->rep_from == n);
                ck_assert(j->rep_from == j->rep_to ||
                          (j->from <= j->rep_from && j->rep_to <= j->to));
                /* and the rank holds every row of the parts it sums */
                for (p = parts * (size_t)r / (size_t)ranks;
                     p < parts * (size_t)(r + 1) / (size_t)ranks; p++)
                    ck_assert(j->from <= n * p / parts &&
                              n * (p + 1) / parts <= j->to);
            }
            ck_assert_uint_eq(at, n);
        }
}
END_TEST

Suite *tx_suite_comm(void)
{
    Suite *s = suite_create("comm");
    TCase *tc = tcase_create("comm");

    tcase_add_test(tc, shares_gather_to_the_rows_of_one_process);
    tcase_add_test(tc, a_file_one_rank_cannot_read_fails_every_rank);
    tcase_add_test(tc, a_damaged_row_fails_every_rank_with_its_line);
    tcase_add_test(tc, alone_the_comm_changes_nothing);
    tcase_add_test(tc, assigning_over_ranks_matches_one_process);
    tcase_add_test(tc, a_fit_over_ranks_matches_one_process);
    tcase_add_test(tc, rows_held_apart_tile_and_gather);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}
