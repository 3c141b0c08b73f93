/* The insights' struct, private to the analysis stage (the report writers
 * read it through tx_insights_read.h). Never installed. */
#ifndef TX_INSIGHTS_PRIVATE_H
#define TX_INSIGHTS_PRIVATE_H

#include "tx_internal.h"
#include "text/tx_cwords.h"
#include "tx_insights_read.h"

/* tx_sentiment_score with the caller's word buffers, reused from one text
 * to the next (tx_sentiment.c). */
int tx__sentiment_score_words(tx__cwords *words, const char *text,
                              size_t len, tx_sentiment *out);

struct tx_insights {
    tx_ctx *ctx;
    tx_insights_params p;
    const tx_themes *th;
    const tx_corpus *c;
    size_t k;
    tx_sentiment *sent;      /* per document */
    int *doc_stage;          /* per document: given, else detected */
    char **groups;           /* sorted names */
    size_t n_groups;
    int32_t *doc_group, *doc_resp;
    size_t *dt_first;        /* per document: its themes (primary first,
                                then those it mentions) are */
    int32_t *dt;             /* dt[dt_first[i] .. dt_first[i + 1]) */
    size_t n_resp;
    size_t *units;           /* per group: respondents (or documents) */
    size_t *units_in;        /* k x groups: units with the theme */
    size_t *docs_in;         /* k x groups: documents with the theme */
    struct tx__cmp_row *rows;
    size_t n_rows;
    size_t n_sub;            /* sub-themes */
    size_t *sub_units_in;    /* n_sub x groups: units with the sub-theme */
    size_t *sub_docs_in;     /* n_sub x groups: documents with it */
    struct tx__cmp_row *sub_rows; /* n_sub x pairs, a family of their own */
    size_t n_sub_rows;
    const char **gterms;     /* k x groups x 5 contrastive terms or NULL */
    struct tx__theme_insight *theme;
    int has_outcome;
    double outcome_range;
    size_t journey_n[TX_STAGE_COUNT];
    double journey_sum[TX_STAGE_COUNT];
    char **periods;          /* sorted */
    size_t n_periods;
    size_t *period_n;        /* documents per period */
    size_t *period_theme;    /* k x periods */
    size_t time_unparsed;    /* time values that are not dates, left out
                                when others are */
    size_t stage_unparsed;   /* stage values that name no stage: the
                                stage is detected from the text instead */
};

#endif
