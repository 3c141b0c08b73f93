/* The insights' fields, read by the report writers. Never installed. */
#ifndef TX_INSIGHTS_PRIVATE_H
#define TX_INSIGHTS_PRIVATE_H

#include "tx_internal.h"
#include "text/tx_cwords.h"

/* tx_sentiment_score with the caller's word buffers, reused from one text
 * to the next (tx_sentiment.c). */
int tx__sentiment_score_words(tx__cwords *words, const char *text,
                              size_t len, tx_sentiment *out);

/* Insights (tx_insights.c), read by the report writers. */
struct tx__cmp_row {
    size_t theme, a, b;
    double share_a, share_b, diff, ci_low, ci_high, p, q;
    int significant;
};

struct tx__theme_insight {
    size_t n;                /* themed documents */
    double sentiment;        /* mean score */
    size_t negative;         /* documents scoring below -0.05 */
    size_t friction_n[TX_FRICTION_COUNT];
    int friction;            /* most frequent among negative documents */
    size_t stage_n[TX_STAGE_COUNT];
    int stage;               /* most frequent */
    double stage_weight;     /* mean over the documents */
    double impact, impact_low, impact_high; /* outcome: with - without */
    double mean_with, mean_without;
    size_t n_with, n_without;
    double negativity, severity, impact_norm, priority;
    double trend_p, trend_q;
    int rising;
};

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

/* Theme indices by priority, highest first. */
int tx__insights_order(const tx_insights *in, size_t *order);
/* The comparison row of `theme` between groups a < b. */
const struct tx__cmp_row *tx__insights_cmp(const tx_insights *in,
                                           size_t theme, size_t a, size_t b);

#endif
