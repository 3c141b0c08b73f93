/* Shared by the report writers (tx_report.c, tx_html.c). Never
 * installed. */
#ifndef TX_REPORT_PRIVATE_H
#define TX_REPORT_PRIVATE_H

#include "tx_internal.h"
#include "themes/tx_themes_read.h"

/* What a report is made of: a fitted model and its corpus, and the
 * optional analyses of them (all borrowed, none changed). */
struct tx_report {
    tx_ctx *ctx;
    const tx_themes *th;
    const tx_corpus *c;
    const tx_insights *insights; /* NULL: no decisions sections */
    const tx_causemap *causes;   /* NULL: no root-cause map */
};

/* Calls fn for every row of c in input order (tx_report.c): `doc` is the
 * document index or, for a reject, SIZE_MAX with `r` set. Stops at the
 * first non-zero return and gives it back. */
typedef int (*tx__row_fn)(void *ud, size_t doc, const tx_reject *r);
int tx__each_row(const tx_corpus *c, tx__row_fn fn, void *ud);

#endif
