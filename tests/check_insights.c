/* Statistics against known values, and the sentiment, friction and stage
 * scorers on sentences written for the project. */
#include "check_suites.h"

#include <math.h>
#include <string.h>

#define near(a, b, tol) ck_assert_msg(fabs((a) - (b)) < (tol), \
                                      "%s = %.6f, want %.6f", #a, (double)(a), (double)(b))

START_TEST(stats_known_values)
{
    double lo, hi, q[4];
    const double p[4] = {0.01, 0.04, 0.03, 0.005};
    tx_ctx *ctx;

    /* Fisher: the tea-tasting table, and a lopsided one (scipy's values) */
    near(tx_stats_fisher_exact(3, 1, 1, 3), 0.485714, 1e-5);
    near(tx_stats_fisher_exact(10, 2, 3, 15), 0.000536724, 1e-8);
    /* Wilson: 0 of 10 keeps a real upper bound */
    tx_stats_wilson(0, 10, &lo, &hi);
    near(lo, 0, 1e-12);
    near(hi, 0.277533, 1e-5);
    /* Newcombe's own example (1998, method 10): 56/70 vs 48/80 */
    tx_stats_newcombe(56, 70, 48, 80, &lo, &hi);
    near(lo, 0.0524, 5e-4);
    near(hi, 0.3339, 5e-4);
    /* Welch interval (scipy: 1.4732 to 5.7173) */
    tx_stats_welch(8.1666667, 2.1666667, 6, 4.5714286, 3.9523810, 7, &lo, &hi);
    near(lo, 1.4732, 2e-3);
    near(hi, 5.7173, 2e-3);
    /* Benjamini-Hochberg */
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_int_eq(tx_stats_bh_qvalues(ctx, p, 4, q), TX_OK);
    near(q[0], 0.02, 1e-12);
    near(q[1], 0.04, 1e-12);
    near(q[2], 0.04, 1e-12);
    near(q[3], 0.02, 1e-12);
    tx_ctx_free(ctx);
    /* small counts go to Fisher, large ones to the z-test */
    near(tx_stats_compare_p(3, 4, 1, 4), 0.485714, 1e-5);
    ck_assert(tx_stats_compare_p(300, 1000, 200, 1000) < 1e-6);
}
END_TEST

static tx_sentiment score(tx_ctx *ctx, const char *s)
{
    tx_sentiment out;
    ck_assert_int_eq(tx_sentiment_score(ctx, s, strlen(s), &out), TX_OK);
    return out;
}

START_TEST(sentiment_rules)
{
    tx_ctx *ctx;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert(score(ctx, "The agent was helpful and quick.").score > 0.3);
    ck_assert(score(ctx, "The app is broken and support is useless.").score <
              -0.5);
    /* negation flips, and "not good" is milder than "bad" */
    ck_assert(score(ctx, "The agent was not helpful.").score < 0);
    ck_assert(score(ctx, "not good").score > score(ctx, "bad").score);
    /* intensifiers and exclamation marks strengthen */
    ck_assert(score(ctx, "very bad").score < score(ctx, "bad").score);
    ck_assert(score(ctx, "terrible!!").score < score(ctx, "terrible").score);
    /* after "but" counts more */
    ck_assert(score(ctx, "The staff were friendly but the wait was awful.")
                  .score < 0);
    ck_assert(score(ctx, "The wait was long but the staff were brilliant.")
                  .score > 0);
    /* emoji */
    ck_assert(score(ctx, "delivery \xF0\x9F\x98\xA1").score < 0);
    ck_assert(score(ctx, "delivery \xF0\x9F\x91\x8D").score > 0);
    ck_assert(fabs(score(ctx, "I ordered a blue chair.").score) < 1e-9);
    tx_ctx_free(ctx);
}
END_TEST

START_TEST(friction_and_stage)
{
    tx_ctx *ctx;

    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
    ck_assert_str_eq(tx_friction_name(score(ctx,
        "I had to fill in the same form three times, what a hassle.").friction),
        "effort");
    ck_assert_str_eq(tx_friction_name(score(ctx,
        "The instructions are confusing and nobody told me where to find the "
        "code.").friction), "clarity");
    ck_assert_str_eq(tx_friction_name(score(ctx,
        "I am worried my money was stolen, I do not trust the app.").friction),
        "confidence");
    ck_assert_str_eq(tx_friction_name(score(ctx,
        "I was transferred and had to repeat my whole story to a new person, "
        "so frustrating.").friction), "continuity");
    ck_assert_str_eq(tx_friction_name(score(ctx,
        "I waited weeks for the refund, it is so slow.").friction), "speed");
    /* praise has no friction */
    ck_assert_int_eq(score(ctx, "Quick and friendly service.").friction,
                     TX_FRICTION_NONE);
    ck_assert_str_eq(tx_stage_name(score(ctx,
        "The sign-up form asked for my ID twice.").stage), "onboarding");
    ck_assert_str_eq(tx_stage_name(score(ctx,
        "I was locked out after the password reset.").stage), "login");
    ck_assert_str_eq(tx_stage_name(score(ctx,
        "The courier left the parcel in the rain.").stage), "delivery");
    ck_assert_str_eq(tx_stage_name(score(ctx,
        "I want to cancel before the contract renews.").stage), "renewal");
    ck_assert_int_eq(tx_stage_parse("Sign-up"), TX_STAGE_ONBOARDING);
    ck_assert_int_eq(tx_stage_parse("pricing"), TX_STAGE_BILLING);
    ck_assert_int_eq(tx_stage_parse("app"), TX_STAGE_UNKNOWN);
    tx_ctx_free(ctx);
}
END_TEST

Suite *tx_suite_insights(void)
{
    Suite *s = suite_create("insights");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, stats_known_values);
    tcase_add_test(tc, sentiment_rules);
    tcase_add_test(tc, friction_and_stage);
    suite_add_tcase(s, tc);
    return s;
}
