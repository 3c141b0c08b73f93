/* Check suites, one per module; run by runner.c. */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

#include "libtext.h"

Suite *tx_suite_ctx(void);
Suite *tx_suite_corpus(void);
Suite *tx_suite_tokenizer(void);
Suite *tx_suite_vocab(void);
Suite *tx_suite_tfidf(void);
Suite *tx_suite_h5(void);
Suite *tx_suite_cluster(void);
Suite *tx_suite_segment(void);
Suite *tx_suite_causes(void);
Suite *tx_suite_insights(void);
Suite *tx_suite_wordvec(void);
Suite *tx_suite_themes(void);
Suite *tx_suite_report(void);
Suite *tx_suite_comm(void);

/* Helpers shared by the suites (runner.c). */
tx_corpus *load_buffer(tx_ctx *ctx, const tx_corpus_params *p,
                       const char *name, const char *data, int expect_rc,
                       tx_diag *diag);
/* corpora/feedback.csv, read with the defaults. */
tx_corpus *load_default_corpus(tx_ctx *ctx);
/* Themes of `c` with k themes (0: automatic) and the other defaults. */
tx_themes *fit_themes(tx_ctx *ctx, const tx_corpus *c, size_t k);
/* Space-separated terms of `text` with the given tokenizer. */
char *terms_of(tx_tokenizer *t, const char *text);

#endif
