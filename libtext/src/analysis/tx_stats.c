/*
 * Statistics for comparisons people act on: Wilson intervals, Newcombe's
 * interval for a difference of proportions, Fisher's exact test and the
 * two-proportion z-test, Benjamini-Hochberg q-values, and Welch's interval
 * for a difference of means.
 */
#include "tx_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define Z95 1.959963984540054

void tx_stats_wilson(double x, double n, double *low, double *high)
{
    double p, z2 = Z95 * Z95, d, c, h;

    if (n <= 0) {
        *low = 0;
        *high = 1;
        return;
    }
    p = x / n;
    d = 1 + z2 / n;
    c = (p + z2 / (2 * n)) / d;
    h = Z95 / d * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    *low = c - h < 0 ? 0 : c - h;
    *high = c + h > 1 ? 1 : c + h;
}

void tx_stats_newcombe(double x1, double n1, double x2, double n2, double *low,
                 double *high)
{
    double p1 = n1 > 0 ? x1 / n1 : 0, p2 = n2 > 0 ? x2 / n2 : 0;
    double l1, u1, l2, u2, d = p1 - p2;

    tx_stats_wilson(x1, n1, &l1, &u1);
    tx_stats_wilson(x2, n2, &l2, &u2);
    *low = d - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
    *high = d + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
}

/* log of the hypergeometric probability of a in the 2x2 table with rows
 * (a, b), (c, d) and its margins. */
static double log_hyper(double a, double r1, double r2, double c1)
{
    double b = r1 - a, c = c1 - a, d = r2 - c;
    return lgamma(r1 + 1) + lgamma(r2 + 1) + lgamma(c1 + 1) +
           lgamma(r1 + r2 - c1 + 1) - lgamma(r1 + r2 + 1) - lgamma(a + 1) -
           lgamma(b + 1) - lgamma(c + 1) - lgamma(d + 1);
}

double tx_stats_fisher_exact(long a, long b, long c, long d)
{
    double r1 = (double)(a + b), r2 = (double)(c + d), c1 = (double)(a + c);
    double lo = c1 - r2 > 0 ? c1 - r2 : 0, hi = c1 < r1 ? c1 : r1, x, p = 0;
    double obs = log_hyper((double)a, r1, r2, c1);

    /* two-sided: every table no more likely than the one observed */
    for (x = lo; x <= hi; x++) {
        double lp = log_hyper(x, r1, r2, c1);
        if (lp <= obs + 1e-7)
            p += exp(lp);
    }
    return p > 1 ? 1 : p;
}

double tx_stats_prop_test(double x1, double n1, double x2, double n2)
{
    double p, se, z;

    if (n1 <= 0 || n2 <= 0)
        return 1;
    p = (x1 + x2) / (n1 + n2);
    se = sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    if (se <= 0)
        return 1;
    z = fabs(x1 / n1 - x2 / n2) / se;
    return erfc(z / sqrt(2.0));
}

double tx_stats_compare_p(long x1, long n1, long x2, long n2)
{
    double n = (double)(n1 + n2), k = (double)(x1 + x2);
    double e_min;

    if (n1 <= 0 || n2 <= 0)
        return 1;
    /* smallest expected cell count decides: Fisher when below 5 */
    e_min = fmin(fmin(k, n - k) * (double)n1, fmin(k, n - k) * (double)n2) / n;
    if (e_min < 5)
        return tx_stats_fisher_exact(x1, n1 - x1, x2, n2 - x2);
    return tx_stats_prop_test((double)x1, (double)n1, (double)x2, (double)n2);
}

struct pidx {
    double p;
    size_t i;
};

static int by_p(const void *a, const void *b)
{
    const struct pidx *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int tx_stats_bh_qvalues(tx_ctx *ctx, const double *p, size_t n, double *q)
{
    struct pidx *s = tx__malloc(ctx, (n ? n : 1) * sizeof *s);
    double run = 1;
    size_t i;

    if (!s)
        return TX_ENOMEM;
    for (i = 0; i < n; i++) {
        s[i].p = p[i];
        s[i].i = i;
    }
    qsort(s, n, sizeof *s, by_p);
    for (i = n; i-- > 0;) {
        double v = s[i].p * (double)n / (double)(i + 1);
        if (v < run)
            run = v;
        q[s[i].i] = run;
    }
    tx_free(ctx, s);
    return TX_OK;
}

/* Student t quantile by a Cornish-Fisher expansion of the normal one:
 * within 0.2% of the exact value for df >= 3 at the 97.5% point. */
static double t975(double df)
{
    double z = Z95, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;

    if (df < 1)
        return NAN;
    if (df < 3) /* exact values for 1 and 2 degrees of freedom */
        return df < 2 ? 12.706204736 : 4.302652730;
    return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df);
}

void tx_stats_welch(double m1, double v1, double n1, double m2, double v2, double n2,
              double *low, double *high)
{
    double a = v1 / n1, b = v2 / n2, se = sqrt(a + b), df, t;

    if (n1 < 2 || n2 < 2 || se <= 0) {
        *low = *high = NAN;
        return;
    }
    df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    t = t975(df);
    *low = m1 - m2 - t * se;
    *high = m1 - m2 + t * se;
}
