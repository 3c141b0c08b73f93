/* What the report writers read of computed insights, beyond the public
 * accessors. The insights' struct stays private to the analysis stage.
 * Never installed. */
#ifndef TX_INSIGHTS_READ_H
#define TX_INSIGHTS_READ_H

#include "tx_internal.h"

/* One comparison of a theme's (or sub-theme's) share between groups
 * a < b. */
struct tx__cmp_row {
    size_t theme, a, b; /* sub-theme rows: `theme` is the sub-theme */
    double share_a, share_b, diff, ci_low, ci_high, p, q;
    int significant;
};

/* Sub-themes are compared, and counted per group, for at most this many
 * groups (190 pairs). A store or agent column brings hundreds: 400 groups
 * made 7.2 million sub-theme rows (400 MB of CSV, 1 GB of memory, four
 * times the run's time), and among so many pairs no difference survives
 * the correction. compare.csv keeps every pair of the themes. */
#define TX__SUB_GROUPS_MAX 20

/* What was found for one theme. */
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

/* The counts that size the rest. */
typedef struct tx__insights_shape {
    size_t k;                /* themes */
    size_t groups;
    size_t rows;             /* group comparisons */
    size_t sub_rows;         /* the same of sub-themes */
    size_t periods;
    size_t time_unparsed;    /* time values that are not dates */
    size_t stage_unparsed;   /* stage values that name no stage */
    bool has_outcome;
    bool by_document;        /* the unit is the document, not the
                                respondent */
    bool has_group_terms;    /* tx__insights_group_terms gives terms */
} tx__insights_shape;
void tx__insights_shape_of(const tx_insights *in, tx__insights_shape *out);

/* The model and corpus the insights were computed from. */
const tx_themes *tx__insights_themes(const tx_insights *in);
const tx_corpus *tx__insights_corpus(const tx_insights *in);

/* Theme t's findings (t < k); comparison row r (r < rows). */
const struct tx__theme_insight *tx__insights_theme(const tx_insights *in,
                                                   size_t t);
const struct tx__cmp_row *tx__insights_row(const tx_insights *in, size_t r);
/* Sub-theme comparison row r (r < sub_rows), sub-theme-major as the
 * themes' are; their q-values are over the sub-theme rows alone. */
const struct tx__cmp_row *tx__insights_sub_row(const tx_insights *in,
                                               size_t r);
/* The comparison row of `theme` between groups a < b. */
const struct tx__cmp_row *tx__insights_cmp(const tx_insights *in,
                                           size_t theme, size_t a, size_t b);
/* Theme indices by priority, highest first (`order` holds k). */
int tx__insights_order(const tx_insights *in, size_t *order);

/* Group g's name (groups sorted by name) and its units (respondents or
 * documents); of theme t: the units and the documents in group g that
 * speak of it, and the 5 words (NULL-padded) the group uses more than the
 * others there, or NULL without group terms. */
const char *tx__insights_group(const tx_insights *in, size_t g);
size_t tx__insights_group_units(const tx_insights *in, size_t g);
size_t tx__insights_units_in(const tx_insights *in, size_t t, size_t g);
size_t tx__insights_docs_in(const tx_insights *in, size_t t, size_t g);
/* The same of sub-theme s. */
size_t tx__insights_sub_units_in(const tx_insights *in, size_t s, size_t g);
size_t tx__insights_sub_docs_in(const tx_insights *in, size_t s, size_t g);
const char *const *tx__insights_group_terms(const tx_insights *in, size_t t,
                                            size_t g);

/* The documents at a journey stage and their mean sentiment (NaN for
 * none). */
size_t tx__insights_stage_docs(const tx_insights *in, int stage);
double tx__insights_stage_sentiment(const tx_insights *in, int stage);

/* Period q's name (periods sorted), its documents, and those of them that
 * speak of theme t. */
const char *tx__insights_period(const tx_insights *in, size_t q);
size_t tx__insights_period_docs(const tx_insights *in, size_t q);
size_t tx__insights_period_theme(const tx_insights *in, size_t t, size_t q);

#endif
