/*
 * report.html: one self-contained page (inline CSS and SVG; no script, no
 * fonts or images from anywhere) that reads offline and prints.
 */
#include "themes/tx_themes_read.h"
#include "analysis/tx_insights_read.h"
#include "tx_report_private.h"
#include "text/tx_text_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Theme t's description (borrowed from the model). */
static tx_theme_info *theme_info(const tx_themes *th, size_t t,
                                 tx_theme_info *out)
{
    tx_themes_theme(th, t, out);
    return out;
}

/* Pair-of-groups charts drawn in full up to this many pairs (6 groups). */
#define MAX_PAIR_CHARTS 15

static tx__insights_shape shape_of(const tx_insights *in)
{
    tx__insights_shape sh;

    tx__insights_shape_of(in, &sh);
    return sh;
}

static void esc(FILE *f, const char *s, size_t max)
{
    size_t n = 0;

    for (; *s && (n < max || ((unsigned char)*s & 0xC0) == 0x80); s++, n++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
    }
    if (*s)
        fputs("&#8230;", f);
}

static const char style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:"
    "1100px;color:#222;padding:0 1em}h1{font-size:1.6em}h2{margin-top:2em;"
    "border-bottom:1px solid #ddd}table{border-collapse:collapse;width:100%}"
    "td,th{padding:.35em .5em;border-bottom:1px solid #eee;text-align:left;"
    "vertical-align:top}th{background:#f6f6f6}td.n{text-align:right;"
    "white-space:nowrap}blockquote{margin:.3em 0;color:#555;font-size:.92em}"
    "ul.sub{margin:.4em 0 0 1em;padding:0;font-size:.92em}"
    "svg text{font:12px system-ui,sans-serif;fill:#333}.muted{color:#777}"
    ".pos{fill:#2a9d5c}.neg{fill:#d1495b}.bar{fill:#4c78a8}.ci{stroke:#222;"
    "stroke-width:1.5}.grid{stroke:#ccc;stroke-width:1}.line{fill:none;"
    "stroke:#4c78a8;stroke-width:2}.dot{fill:#4c78a8}.hollow{fill:#fff;"
    "stroke:#888}";

/* Theme t's sub-themes under its label: label, size, share of the theme
 * and the most central quote. */
static void subthemes_html(const tx_themes *th, const tx_corpus *c, size_t t,
                           FILE *f)
{
    size_t s, shown = 0;

    for (s = 0; s < tx_themes_n_subthemes(th); s++) {
        tx_theme_info x;

        if (tx_themes_subtheme_parent(th, s) != (int32_t)t ||
            tx_themes_subtheme(th, s, &x) != TX_OK)
            continue;
        fputs(shown++ ? "" : "<ul class=\"sub\">", f);
        fputs("<li>", f);
        esc(f, x.label, 80);
        fprintf(f, " <span class=\"muted\">%zu (%.0f%%)</span>", x.size,
                100.0 * x.share);
        if (x.n_quotes) {
            tx_doc d;

            tx_corpus_doc(c, x.quotes[0], &d);
            fputs("<blockquote>", f);
            esc(f, d.text, 200);
            fputs("</blockquote>", f);
        }
        fputs("</li>", f);
    }
    if (shown)
        fputs("</ul>", f);
}

static void sizes_chart(const tx_themes *th, const size_t *order, FILE *f)
{
    size_t i, h = 22 * tx_themes_k(th) + 10;
    double maxs = 0;

    for (i = 0; i < tx_themes_k(th); i++)
        maxs = fmax(maxs, tx__theme_share(th, i));
    fprintf(f, "<svg class=\"chart chart-sizes\" width=\"760\" height=\"%zu\" "
               "role=\"img\" aria-label=\"theme sizes\">", h);
    for (i = 0; i < tx_themes_k(th); i++) {
        tx_theme_info xi, *x = theme_info(th, order[i], &xi);
        double w = maxs > 0 ? 340.0 * x->share / maxs : 0;
        fprintf(f, "<text x=\"0\" y=\"%zu\">%zu. ", 22 * i + 16, order[i]);
        esc(f, x->label, 40);
        fprintf(f, "</text><rect class=\"bar\" x=\"300\" y=\"%zu\" "
                   "width=\"%.1f\" height=\"16\"/><text x=\"%.1f\" y=\"%zu\">"
                   "%zu (%.1f%%)</text>", 22 * i + 3, w, 306 + w, 22 * i + 16,
                x->size, 100 * x->share);
    }
    fputs("</svg>\n", f);
}

/* The sub-themes whose shares differ significantly (q over the sub-theme
 * rows), as a table: a shift of one specific topic that its theme's
 * chart dilutes. */
static void subtheme_differences(const tx_report *rep, FILE *f)
{
    const tx_insights *in = rep->insights;
    size_t r, n = shape_of(in).sub_rows, shown = 0;

    if (!n)
        return;
    fputs("<h3>Sub-themes</h3>\n<table>\n<tr><th>Sub-theme</th><th>Theme"
          "</th><th>Groups</th><th>Shares</th><th>Difference (95% CI)</th>"
          "<th>q</th></tr>\n", f);
    for (r = 0; r < n; r++) {
        const struct tx__cmp_row *x = tx__insights_sub_row(in, r);
        int32_t t = tx_themes_subtheme_parent(rep->th, x->theme);
        tx_theme_info si;

        if (!x->significant ||
            tx_themes_subtheme(rep->th, x->theme, &si) != TX_OK)
            continue;
        shown++;
        fprintf(f, "<tr><td>%zu. ", x->theme);
        esc(f, si.label, 80);
        fprintf(f, "</td><td>%d. ", (int)t);
        esc(f, tx__theme_label(rep->th, (size_t)t), 80);
        fputs("</td><td>", f);
        esc(f, tx__insights_group(in, x->a), 80);
        fputs(" vs ", f);
        esc(f, tx__insights_group(in, x->b), 80);
        fprintf(f, "</td><td>%.1f%% vs %.1f%%</td><td>%+.1f (%+.1f to %+.1f)"
                   " points</td><td>%.3g</td></tr>\n", 100 * x->share_a,
                100 * x->share_b, 100 * x->diff, 100 * x->ci_low,
                100 * x->ci_high, x->q);
    }
    if (!shown)
        fputs("<tr><td colspan=\"6\">no difference with q &lt; 0.05</td>"
              "</tr>\n", f);
    fputs("</table>\n", f);
}

/* One diverging chart per pair of groups: difference of shares with its
 * interval; filled markers are significant (q < alpha). */
static void compare_chart(const tx_report *rep, size_t a, size_t b, FILE *f)
{
    const tx_themes *th = rep->th;
    const tx_insights *in = rep->insights;
    size_t t, row = 0, h = 24 * tx_themes_k(th) + 40;
    double span = 0.05, cx = 520, half = 200;

    for (t = 0; t < tx_themes_k(th); t++) {
        const struct tx__cmp_row *x = tx__insights_cmp(in, t, a, b);

        span = fmax(span, fmax(fabs(x->ci_low), fabs(x->ci_high)));
    }
    fputs("<h3>", f);
    esc(f, tx__insights_group(in, a), 40);
    fputs(" vs ", f);
    esc(f, tx__insights_group(in, b), 40);
    fprintf(f, "</h3><svg class=\"chart chart-compare\" width=\"760\" "
               "height=\"%zu\" role=\"img\" aria-label=\"", h);
    esc(f, tx__insights_group(in, a), 40);
    fputs(" against ", f);
    esc(f, tx__insights_group(in, b), 40);
    fprintf(f, "\"><line class=\"grid\" x1=\"%.0f\" y1=\"0\" x2=\"%.0f\" "
               "y2=\"%zu\"/><text x=\"%.0f\" y=\"%zu\">← more in ",
            cx, cx, h - 20, cx - half, h - 4);
    esc(f, tx__insights_group(in, b), 30);
    fprintf(f, "</text><text x=\"%.0f\" y=\"%zu\" text-anchor=\"end\">more "
               "in ", cx + half, h - 4);
    esc(f, tx__insights_group(in, a), 30);
    fputs(" →</text>", f);
    for (t = 0; t < tx_themes_k(th); t++) {
        const struct tx__cmp_row *x = tx__insights_cmp(in, t, a, b);
        double y, x0, x1, lo, hi;

        y = 24.0 * (double)row + 14;
        x0 = cx;
        x1 = cx + half * x->diff / span;
        lo = cx + half * x->ci_low / span;
        hi = cx + half * x->ci_high / span;
        fprintf(f, "<text x=\"0\" y=\"%.0f\">%zu. ", y + 4, x->theme);
        esc(f, tx__theme_label(th, x->theme), 36);
        fprintf(f, "</text><rect class=\"%s\" x=\"%.1f\" y=\"%.0f\" "
                   "width=\"%.1f\" height=\"12\" opacity=\"%s\"/>"
                   "<line class=\"ci\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" "
                   "y2=\"%.0f\"/><title>%.1f%% vs %.1f%%, q=%.3g</title>",
                x->diff >= 0 ? "pos" : "neg", fmin(x0, x1), y - 6,
                fabs(x1 - x0), x->significant ? "1" : "0.35", lo, y, hi, y,
                100 * x->share_a, 100 * x->share_b, x->q);
        row++;
    }
    fputs("</svg>\n", f);
}

/* Pairs of groups ranked by their significant differences (most first,
 * then in pair order). */
struct pair_rank {
    size_t a, b, n_sig;
};

static int cmp_pair_rank(const void *x, const void *y)
{
    const struct pair_rank *p = x, *q = y;

    if (p->n_sig != q->n_sig)
        return p->n_sig > q->n_sig ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* A chart for every pair when there are few; with many groups (a store or
 * agent column) the pairs grow as the square of the groups, so only the
 * pairs with the most significant differences get one. compare.csv keeps
 * every pair. */
static int compare_charts(const tx_report *rep, FILE *f)
{
    const tx_themes *th = rep->th;
    const tx_insights *in = rep->insights;
    size_t G = tx_insights_groups(in), np = G * (G - 1) / 2, a, b, t, i, shown = 0;
    struct pair_rank *pr;

    if (np <= MAX_PAIR_CHARTS) {
        for (a = 0; a < G; a++)
            for (b = a + 1; b < G; b++)
                compare_chart(rep, a, b, f);
        return TX_OK;
    }
    pr = tx__malloc(tx__themes_ctx(th), np * sizeof *pr);
    if (!pr)
        return TX_ENOMEM;
    for (a = 0, i = 0; a < G; a++)
        for (b = a + 1; b < G; b++, i++) {
            pr[i].a = a;
            pr[i].b = b;
            pr[i].n_sig = 0;
            for (t = 0; t < tx_themes_k(th); t++)
                pr[i].n_sig += tx__insights_cmp(in, t, a, b)->significant != 0;
        }
    qsort(pr, np, sizeof *pr, cmp_pair_rank);
    while (shown < MAX_PAIR_CHARTS && shown < np && pr[shown].n_sig)
        shown++;
    if (shown)
        fprintf(f, "<p>%zu groups make %zu pairs: charts for the %zu with "
                   "the most significant differences (compare.csv has every "
                   "pair).</p>\n", G, np, shown);
    else
        fprintf(f, "<p>%zu groups make %zu pairs, and no pair differs "
                   "significantly on any theme, so no chart is drawn "
                   "(compare.csv has every pair).</p>\n", G, np);
    for (i = 0; i < shown; i++)
        compare_chart(rep, pr[i].a, pr[i].b, f);
    tx_free(tx__themes_ctx(th), pr);
    return TX_OK;
}

static void journey_chart(const tx_insights *in, FILE *f)
{
    size_t s, n = 0, i = 0;
    double px = 0, py = 0;

    for (s = 1; s < TX_STAGE_COUNT; s++)
        n += tx__insights_stage_docs(in, (int)s) != 0;
    fputs("<svg class=\"chart chart-journey\" width=\"760\" height=\"240\" "
          "role=\"img\" aria-label=\"mean sentiment by journey stage\">"
          "<line class=\"grid\" x1=\"40\" y1=\"110\" x2=\"740\" y2=\"110\"/>"
          "<text x=\"0\" y=\"24\">+1</text><text x=\"4\" y=\"114\">0</text>"
          "<text x=\"0\" y=\"204\">−1</text>", f);
    for (s = 1; s < TX_STAGE_COUNT; s++) {
        double m, x, y;
        if (!tx__insights_stage_docs(in, (int)s))
            continue;
        m = tx__insights_stage_sentiment(in, (int)s);
        x = 60 + (n > 1 ? 660.0 * (double)i / (double)(n - 1) : 330);
        y = 110 - 90 * m;
        if (i)
            fprintf(f, "<line class=\"line\" x1=\"%.1f\" y1=\"%.1f\" "
                       "x2=\"%.1f\" y2=\"%.1f\"/>", px, py, x, y);
        fprintf(f, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\">"
                   "<title>%s: %+.2f (%zu)</title></circle><text x=\"%.1f\" "
                   "y=\"230\" text-anchor=\"middle\">%s</text>", x, y,
                tx_stage_name((int)s), m, tx__insights_stage_docs(in, (int)s), x,
                tx_stage_name((int)s));
        px = x;
        py = y;
        i++;
    }
    fputs("</svg>\n", f);
}

static void causes_chart(const tx_causemap *m, FILE *f)
{
    size_t ks = tx_causemap_k(m, 0), kc = tx_causemap_k(m, 1), s, c;
    static const char *const pal[] = {"#4c78a8", "#f58518", "#54a24b",
                                      "#b279a2", "#e45756", "#72b7b2",
                                      "#eeca3b", "#9d755d"};

    fprintf(f, "<svg class=\"chart chart-causes\" width=\"760\" "
               "height=\"%zu\" role=\"img\" aria-label=\"stated causes per "
               "symptom theme\">", 24 * ks + 10);
    for (s = 0; s < ks; s++) {
        double x = 300, tot = (double)tx_causemap_symptom_size(m, s);
        fprintf(f, "<text x=\"0\" y=\"%zu\">", 24 * s + 16);
        esc(f, tx_causemap_label(m, 0, s), 40);
        fputs("</text>", f);
        for (c = 0; c <= kc && tot > 0; c++) {
            size_t n = tx_causemap_link(m, c < kc ? (long)c : -1L, s);
            double w = 420.0 * (double)n / tot;
            if (!n)
                continue;
            fprintf(f, "<rect x=\"%.1f\" y=\"%zu\" width=\"%.1f\" "
                       "height=\"16\" fill=\"%s\"><title>", x, 24 * s + 3, w,
                    c < kc ? pal[c % 8] : "#ddd");
            esc(f, c < kc ? tx_causemap_label(m, 1, c) : "no stated cause",
                60);
            fprintf(f, ": %zu</title></rect>", n);
            x += w;
        }
    }
    fputs("</svg>\n<p class=\"muted\">Grey: no stated cause. Colours: ", f);
    for (c = 0; c < kc; c++) {
        fprintf(f, "%s<span style=\"color:%s\">■</span> ", c ? "; " : "",
                pal[c % 8]);
        esc(f, tx_causemap_label(m, 1, c), 40);
    }
    fputs("</p>\n", f);
}

static void trend_chart(const tx_report *rep, const size_t *order, FILE *f)
{
    const tx_themes *th = rep->th;
    const tx_insights *in = rep->insights;
    size_t P = shape_of(in).periods, i, q, shown = tx_themes_k(th) < 6 ? tx_themes_k(th) : 6;
    double maxs = 0.01;

    for (i = 0; i < shown; i++)
        for (q = 0; q < P; q++)
            if (tx__insights_period_docs(in, q))
                maxs = fmax(maxs,
                            (double)tx__insights_period_theme(in, order[i], q) /
                                (double)tx__insights_period_docs(in, q));
    fprintf(f, "<svg class=\"chart chart-trends\" width=\"760\" height=\"%zu\""
               " role=\"img\" aria-label=\"theme shares over time\">",
            90 * shown + 20);
    for (i = 0; i < shown; i++) {
        size_t t = order[i];
        double y0 = 90.0 * (double)i + 70, px = 0, py = 0;
        fprintf(f, "<text x=\"0\" y=\"%.0f\">%zu. ", y0 - 50, t);
        esc(f, tx__theme_label(th, t), 40);
        fprintf(f, "%s</text><line class=\"grid\" x1=\"260\" y1=\"%.0f\" "
                   "x2=\"700\" y2=\"%.0f\"/>",
                tx__insights_theme(in, t)->rising ? " (rising)" : "", y0, y0);
        for (q = 0; q < P; q++) {
            size_t pn = tx__insights_period_docs(in, q);
            double sh = pn ? (double)tx__insights_period_theme(in, t, q) /
                                 (double)pn : 0;
            double x = 270 + (P > 1 ? 420.0 * (double)q / (double)(P - 1) : 0);
            double y = y0 - 60 * sh / maxs;
            if (q)
                fprintf(f, "<line class=\"line\" x1=\"%.1f\" y1=\"%.1f\" "
                           "x2=\"%.1f\" y2=\"%.1f\"/>", px, py, x, y);
            fprintf(f, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
                       "<title>%s: %.1f%%</title></circle>", x, y,
                    tx__insights_period(in, q), 100 * sh);
            if (q == 0 || q + 1 == P)
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">"
                           "%.1f%%</text>", q ? x + 6 : x - 6, y + 4,
                        q ? "start" : "end", 100 * sh);
            px = x;
            py = y;
        }
    }
    fprintf(f, "<text x=\"260\" y=\"%zu\">%s</text><text x=\"700\" y=\"%zu\" "
               "text-anchor=\"end\">%s</text></svg>\n", 90 * shown + 14,
            tx__insights_period(in, 0), 90 * shown + 14,
            tx__insights_period(in, P - 1));
}

/* The first rows without a theme, and why, for people to read. */
struct unthemed {
    const tx_themes *th;
    const tx_corpus *c;
    FILE *f;
    size_t n, shown;
};

static int unthemed_row(void *ud, size_t doc, const tx_reject *r)
{
    struct unthemed *u = ud;
    tx_doc d;

    if (!r && tx_themes_doc_theme(u->th, doc) >= 0)
        return TX_OK;
    if (u->n++ >= 20)
        return TX_OK;
    u->shown++;
    fputs("<li><i>", u->f);
    if (r) {
        esc(u->f, r->id ? r->id : "?", 80);
        fputs("</i>: ", u->f);
        esc(u->f, r->reason, 200);
    } else {
        tx_corpus_doc(u->c, doc, &d);
        esc(u->f, d.id, 80);
        fputs("</i>: <q>", u->f);
        esc(u->f, d.text, 200);
        fprintf(u->f, "</q> <span class=\"muted\">(%s)</span>",
                tx__unthemed_reason(u->c, doc));
    }
    fputs("</li>\n", u->f);
    return TX_OK;
}

int tx_report_write_html(const tx_report *rep, FILE *f)
{
    const tx_themes *th = rep ? rep->th : NULL;
    const tx_corpus *c = rep ? rep->c : NULL;
    const tx_insights *in;
    size_t *order, i, q;
    char note[256];

    if (!th || !c || !f || tx__themes_corpus(th) != c)
        return TX_EINVAL;
    in = rep->insights;
    order = tx__malloc(tx__themes_ctx(th), (tx_themes_k(th) + 1) * sizeof *order);
    if (!order)
        return TX_ENOMEM;
    if (in) {
        tx__insights_order(in, order);
    } else {
        for (i = 0; i < tx_themes_k(th); i++)
            order[i] = i;
    }
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
               "\"utf-8\"><meta name=\"viewport\" content=\"width=device-"
               "width\"><title>Themes</title><style>%s</style></head><body>\n"
               "<h1>Themes</h1>\n<p>%zu rows read; %zu themes. libtext %s."
               "</p>\n", style, tx_corpus_rows(c), tx_themes_k(th), tx_version());
    if (in && tx__english_only_note(c, note, sizeof note))
        fprintf(f, "<p class=\"muted\">%s</p>\n", note);
    fputs("<h2>Themes by size</h2>\n", f);
    sizes_chart(th, order, f);
    fprintf(f, "<h2>%s</h2>\n<table><tr><th>#</th><th>Theme</th>",
            in ? "What to fix first" : "Themes");
    if (in)
        fprintf(f, "<th>Priority</th><th>Share</th><th>Sentiment</th>%s"
                   "<th>Stage</th><th>Friction</th>",
                shape_of(in).has_outcome ? "<th>Outcome with − without</th>" : "");
    else
        fputs("<th>Share</th>", f);
    fputs("<th>Quotes</th></tr>\n", f);
    for (i = 0; i < tx_themes_k(th); i++) {
        tx_theme_info xi, *x = theme_info(th, order[i], &xi);
        fprintf(f, "<tr><td class=\"n\">%zu</td><td><b>", order[i]);
        esc(f, x->label, 80);
        fputs("</b><br><span class=\"muted\">", f);
        for (q = 0; q < x->n_terms && q < 6; q++) {
            fputs(q ? ", " : "", f);
            esc(f, x->terms[q], 40);
        }
        fputs("</span>", f);
        subthemes_html(th, c, order[i], f);
        fputs("</td>", f);
        if (in) {
            const struct tx__theme_insight *y = tx__insights_theme(in, order[i]);
            fprintf(f, "<td class=\"n\">%.1f</td><td class=\"n\">%.1f%%</td>"
                       "<td class=\"n\">%+.2f</td>", y->priority,
                    100 * x->share, y->sentiment);
            if (shape_of(in).has_outcome) {
                if (isnan(y->impact))
                    fputs("<td class=\"n\">–</td>", f);
                else if (isnan(y->impact_low))
                    fprintf(f, "<td class=\"n\">%+.2f</td>", y->impact);
                else
                    fprintf(f, "<td class=\"n\">%+.2f<br><span class=\"muted"
                               "\">%+.2f to %+.2f</span></td>", y->impact,
                            y->impact_low, y->impact_high);
            }
            fprintf(f, "<td>%s</td><td>%s</td>", tx_stage_name(y->stage),
                    tx_friction_name(y->friction));
        } else {
            fprintf(f, "<td class=\"n\">%.1f%%</td>", 100 * x->share);
        }
        fputs("<td>", f);
        for (q = 0; q < x->n_quotes && q < 2; q++) {
            tx_doc d;
            tx_corpus_doc(c, x->quotes[q], &d);
            fputs("<blockquote>", f);
            esc(f, d.text, 300);
            fputs("</blockquote>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (in && tx_insights_groups(in) >= 2) {
        fputs("<h2>Groups compared</h2>\n<p>Difference in the share of "
              "units mentioning each theme, with its 95% interval; faded "
              "bars are not significant after Benjamini-Hochberg.</p>\n", f);
        if (compare_charts(rep, f) != TX_OK) {
            tx_free(tx__themes_ctx(th), order);
            return TX_ENOMEM;
        }
        subtheme_differences(rep, f);
    }
    if (in) {
        fputs("<h2>Emotional journey</h2>\n", f);
        journey_chart(in, f);
    }
    if (rep->causes && tx_causemap_k(rep->causes, 0)) {
        fputs("<h2>Symptoms and stated causes</h2>\n", f);
        causes_chart(rep->causes, f);
    }
    if (in && shape_of(in).periods >= 2) {
        fputs("<h2>Over time</h2>\n", f);
        trend_chart(rep, order, f);
    }
    {
        struct unthemed u = {th, c, f, 0, 0};

        fputs("<h2>Not themed</h2>\n<ul>\n", f);
        tx__each_row(c, unthemed_row, &u);
        if (!u.n)
            fputs("<li>Every row is in a theme.</li>\n", f);
        else if (u.n > u.shown)
            fprintf(f, "<li>and %zu more (themes.json, <code>rejected"
                       "</code>)</li>\n", u.n - u.shown);
        fputs("</ul>\n", f);
    }
    fputs("</body></html>\n", f);
    tx_free(tx__themes_ctx(th), order);
    return ferror(f) ? TX_EIO : TX_OK;
}
