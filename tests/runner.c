/* One runner for every suite. CK_FORK=no runs them in-process (gdb,
 * sanitizers). */
#include "check_suites.h"

#include <stdlib.h>
#include <string.h>

tx_corpus *load_buffer(tx_ctx *ctx, const tx_corpus_params *p,
                       const char *name, const char *data, int expect_rc,
                       tx_diag *diag)
{
    tx_corpus *c = NULL;
    tx_diag local;

    if (!diag)
        diag = &local;
    memset(diag, 0, sizeof *diag);
    ck_assert_int_eq(tx_corpus_new(ctx, p, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, name, data, strlen(data), diag),
                     expect_rc);
    return c;
}

tx_corpus *load_default_corpus(tx_ctx *ctx)
{
    tx_corpus_params p;
    tx_corpus *c = NULL;
    tx_diag d;

    tx_corpus_params_init(&p);
    ck_assert_int_eq(tx_corpus_new(ctx, &p, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_file(c, TX_SRCDIR "/corpora/feedback.csv",
                                        &d), TX_OK);
    return c;
}

tx_themes *fit_themes(tx_ctx *ctx, const tx_corpus *c, size_t k)
{
    tx_themes_params p;
    tx_themes *th = NULL;

    tx_themes_params_init(&p);
    p.kmeans.k = k;
    ck_assert_int_eq(tx_themes_fit(ctx, &p, c, &th), TX_OK);
    return th;
}

/* Every term, however long, joined by spaces: a term the helper dropped
 * would let a test pass whatever the tokenizer emits. */
struct acc {
    char *buf;
    size_t n, cap;
};

static int append(void *ud, const tx_token *t)
{
    struct acc *a = ud;

    if (a->n + t->term_len + 2 > a->cap) {
        a->cap = 2 * (a->n + t->term_len + 2);
        a->buf = realloc(a->buf, a->cap);
        ck_assert_ptr_nonnull(a->buf);
    }
    if (a->n)
        a->buf[a->n++] = ' ';
    memcpy(a->buf + a->n, t->term, t->term_len);
    a->n += t->term_len;
    a->buf[a->n] = '\0';
    return 0;
}

char *terms_of(tx_tokenizer *t, const char *text)
{
    struct acc a = {NULL, 0, 0};

    ck_assert_int_eq(tx_tokenize(t, text, strlen(text), append, &a), TX_OK);
    return a.buf ? a.buf : strdup("");
}

int main(void)
{
    SRunner *sr = srunner_create(tx_suite_ctx());
    int failed;

    srunner_add_suite(sr, tx_suite_corpus());
    srunner_add_suite(sr, tx_suite_tokenizer());
    srunner_add_suite(sr, tx_suite_vocab());
    srunner_add_suite(sr, tx_suite_tfidf());
    srunner_add_suite(sr, tx_suite_h5());
    srunner_add_suite(sr, tx_suite_cluster());
    srunner_add_suite(sr, tx_suite_segment());
    srunner_add_suite(sr, tx_suite_causes());
    srunner_add_suite(sr, tx_suite_insights());
    srunner_add_suite(sr, tx_suite_wordvec());
    srunner_add_suite(sr, tx_suite_themes());
    srunner_add_suite(sr, tx_suite_report());
    srunner_add_suite(sr, tx_suite_comm());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
