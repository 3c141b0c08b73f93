/* The files tx-themes writes: assignments.csv, themes.json (jansson),
 * report.md. Rows come out in input order, documents and rejects merged
 * by their row position. */
#include "input/tx_input.h"
#include "themes/tx_themes_read.h"
#include "analysis/tx_insights_read.h"
#include "causes/tx_causemap_private.h"
#include "tx_report_private.h"
#include "text/tx_text_private.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Theme t's description (borrowed from the model). */
static tx_theme_info *theme_info(const tx_themes *th, size_t t,
                                 tx_theme_info *out)
{
    tx_themes_theme(th, t, out);
    return out;
}


int tx__each_row(const tx_corpus *c, tx__row_fn fn, void *ud)
{
    size_t d = 0, j = 0, nd = tx_corpus_size(c), nr = tx_corpus_reject_count(c);
    int rc = TX_OK;

    while (rc == TX_OK && (d < nd || j < nr)) {
        tx_doc doc;
        tx_reject r;

        if (d < nd)
            tx_corpus_doc(c, d, &doc);
        if (j < nr)
            tx_corpus_reject(c, j, &r);
        if (j >= nr || (d < nd && doc.row < r.row))
            rc = fn(ud, d++, NULL);
        else
            rc = fn(ud, SIZE_MAX, (j++, &r));
    }
    return rc;
}

static void csv_field(FILE *f, const char *s)
{
    tx__csv_field_n(f, s, strlen(s));
}

/* ",N" and ",X" (as "%.4f") for the per-row files. */
static char *put_int(char *p, int64_t v)
{
    *p++ = ',';
    return tx__put_int(p, v);
}

static char *put_fixed4(char *p, float x)
{
    *p++ = ',';
    return tx__put_fixed(p, (double)x, 4);
}

/* The rows of c in input order: a document's index, or -1 - j for
 * reject j. NULL when out of memory. */
struct row_list {
    int64_t *rows;
    size_t n, next_reject;
};

static int list_row(void *ud, size_t doc, const tx_reject *r)
{
    struct row_list *l = ud;

    l->rows[l->n++] = r ? -1 - (int64_t)l->next_reject++ : (int64_t)doc;
    return TX_OK;
}

static int64_t *row_order(const tx_corpus *c, size_t *n)
{
    struct row_list l = {NULL, 0, 0};

    l.rows = tx__malloc(tx__corpus_ctx(c), (tx_corpus_size(c) +
                                            tx_corpus_reject_count(c) + 1) *
                                               sizeof *l.rows);
    if (l.rows)
        tx__each_row(c, list_row, &l);
    *n = l.n;
    return l.rows;
}

struct assign_out {
    const tx_corpus *c;
    const int32_t *themes;
    const float *scores;
    const int32_t *subthemes; /* NULL: none */
    const int64_t *rows;      /* row_order */
};

static int write_assignment(void *ud, FILE *f, size_t i)
{
    struct assign_out *o = ud;
    int64_t w = o->rows[i];

    if (w < 0) {
        tx_reject r;

        tx_corpus_reject(o->c, (size_t)(-1 - w), &r);
        csv_field(f, r.id ? r.id : "");
        fputs(",-1,0,-1\n", f);
    } else {
        size_t doc = (size_t)w;
        tx_doc d;
        int32_t t = o->themes[doc];
        char line[96], *p = line;

        tx_corpus_doc(o->c, doc, &d);
        csv_field(f, d.id);
        p = put_int(p, t);
        p = put_fixed4(p, t < 0 || !o->scores ? 0.0f : o->scores[doc]);
        p = put_int(p, t < 0 || !o->subthemes ? -1 : o->subthemes[doc]);
        *p++ = '\n';
        fwrite(line, 1, (size_t)(p - line), f);
    }
    return TX_OK;
}

int tx_corpus_write_assignments(const tx_corpus *c, const int32_t *themes,
                                const float *scores, const int32_t *subthemes,
                                FILE *f)
{
    struct assign_out o = {c, themes, scores, subthemes, NULL};
    size_t n;
    int rc;

    if (!c || !themes || !f)
        return TX_EINVAL;
    o.rows = row_order(c, &n);
    if (!o.rows)
        return TX_ENOMEM;
    fputs("id,theme,score,subtheme\n", f);
    rc = tx__write_rows(tx__corpus_ctx(c), f, n, write_assignment, &o);
    tx_free(tx__corpus_ctx(c), (void *)o.rows);
    return rc != TX_OK ? rc : ferror(f) ? TX_EIO : TX_OK;
}

int tx_themes_write_assignments(const tx_themes *th, const tx_corpus *c,
                                FILE *f)
{
    if (!th || !c || !f || tx__themes_corpus(th) != c)
        return TX_EINVAL;
    return tx_corpus_write_assignments(c, tx__themes_doc_themes(th),
                                       tx__themes_doc_scores(th),
                                       tx__themes_doc_subthemes(th), f);
}

/* The mentions of document `doc`, in input order (rejected rows have
 * none, and documents are kept in input order). */
static int write_mention_rows(void *ud, FILE *f, size_t doc)
{
    const tx_themes *th = ud;
    size_t first, n, i;
    tx_doc d;

    if (tx_themes_doc_mentions(th, doc, &first, &n) != TX_OK)
        return TX_OK;
    tx_corpus_doc(tx__themes_corpus(th), doc, &d);
    for (i = first; i < first + n; i++) {
        tx_mention m;
        char line[160], *p = line;

        tx_themes_mention(th, i, &m);
        csv_field(f, d.id);
        p = put_int(p, (int64_t)m.segment);
        p = put_int(p, (int64_t)m.start);
        p = put_int(p, (int64_t)m.end);
        p = put_int(p, m.theme);
        p = put_int(p, m.subtheme);
        p = put_fixed4(p, m.score);
        *p++ = '\n';
        fwrite(line, 1, (size_t)(p - line), f);
    }
    return TX_OK;
}

int tx_themes_write_mentions(const tx_themes *th, const tx_corpus *c,
                             FILE *f)
{
    int rc;

    if (!th || !c || !f || tx__themes_corpus(th) != c)
        return TX_EINVAL;
    fputs("id,segment,start,end,theme,subtheme,score\n", f);
    rc = tx__write_rows(tx__corpus_ctx(c), f, tx_corpus_size(c),
                        write_mention_rows, (void *)th);
    return rc != TX_OK ? rc : ferror(f) ? TX_EIO : TX_OK;
}

/* ---- themes.json ---- */

static json_t *params_json(const tx_themes *th)
{
    const tx_themes_params *p = tx__themes_params(th);

    return json_pack(
        "{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:f, s:i, s:i, s:I, s:b, s:I,"
        " s:s, s:I, s:f, s:I, s:I, s:f}",
        "lang", p->tok.lang ? p->tok.lang : "", "stem", p->tok.stem,
        "stopwords", p->tok.stopwords, "negation", p->tok.negation,
        "ngram_min", p->tok.ngram_min, "ngram_max", p->tok.ngram_max,
        "min_df", (int)p->vocab.min_df, "max_df", p->vocab.max_df,
        "sublinear_tf", p->tfidf.sublinear_tf, "svd_rank",
        (int)p->svd.rank, "word_dim", (json_int_t)p->wordvec.dim,
        "word_vectors", tx__themes_has_word_vectors(th), "k", (json_int_t)tx_themes_k(th),
        "kmeans", p->kmeans.spherical ? "spherical" : "euclidean",
        "n_init", (json_int_t)p->kmeans.n_init, "granularity",
        p->granularity, "seed", (json_int_t)tx_ctx_seed(tx__themes_ctx(th)),
        "n_terms", (json_int_t)p->n_terms, "prior", p->prior);
}

/* Documents per (theme, group) and per group, counted in one pass. Group
 * names are the corpus's own strings; there are few, so a linear list. */
struct group_counts {
    const char **name;
    size_t n_groups;
    size_t *per_theme; /* k x n_groups */
    size_t *total;     /* n_groups */
};

static int count_groups(const tx_themes *th, const tx_corpus *c,
                        struct group_counts *g)
{
    size_t i, j, cap = 0;

    memset(g, 0, sizeof *g);
    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc d;
        const char *name;

        if (tx_themes_doc_theme(th, i) < 0)
            continue;
        tx_corpus_doc(c, i, &d);
        name = d.group ? d.group : "";
        for (j = 0; j < g->n_groups && strcmp(g->name[j], name) != 0; j++)
            ;
        if (j == g->n_groups) {
            if (tx__grow(tx__themes_ctx(th), (void **)&g->name, &cap, j + 1,
                         sizeof *g->name))
                return TX_ENOMEM;
            g->name[g->n_groups++] = name;
        }
    }
    g->per_theme = tx__calloc(tx__themes_ctx(th), tx_themes_k(th) * g->n_groups + 1,
                              sizeof *g->per_theme);
    g->total = tx__calloc(tx__themes_ctx(th), g->n_groups + 1, sizeof *g->total);
    if (!g->per_theme || !g->total)
        return TX_ENOMEM;
    for (i = 0; i < tx_corpus_size(c); i++) {
        tx_doc d;
        int32_t t = tx_themes_doc_theme(th, i);
        const char *name;

        if (t < 0)
            continue;
        tx_corpus_doc(c, i, &d);
        name = d.group ? d.group : "";
        for (j = 0; strcmp(g->name[j], name) != 0; j++)
            ;
        g->per_theme[(size_t)t * g->n_groups + j]++;
        g->total[j]++;
    }
    return TX_OK;
}

static void free_groups(tx_ctx *ctx, struct group_counts *g)
{
    tx_free(ctx, g->name);
    tx_free(ctx, g->per_theme);
    tx_free(ctx, g->total);
}

/* A number, or null where it is not defined (NaN) or not finite: jansson
 * refuses those, and json_object_set_new would then drop the key
 * without a word. */
static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A theme's or sub-theme's terms and quotes. */
static json_t *terms_json(const tx_theme_info *x)
{
    json_t *terms = json_array();
    size_t i;

    for (i = 0; i < x->n_terms; i++)
        json_array_append_new(terms, json_pack("{s:s, s:o}", "term",
                                               x->terms[i], "score",
                                               num_or_null(x->term_scores[i])));
    return terms;
}

static json_t *quotes_json(const tx_theme_info *x, const tx_corpus *c)
{
    json_t *quotes = json_array();
    size_t i;

    for (i = 0; i < x->n_quotes; i++) {
        tx_doc d;

        tx_corpus_doc(c, x->quotes[i], &d);
        json_array_append_new(quotes, json_pack("{s:s, s:s}", "id", d.id,
                                                "text", d.text));
    }
    return quotes;
}

/* Theme t's sub-themes, largest first; share: of the theme's documents. */
static json_t *subthemes_json(const tx_themes *th, const tx_corpus *c,
                              size_t t)
{
    json_t *arr = json_array();
    size_t s;

    for (s = 0; s < tx_themes_n_subthemes(th); s++) {
        tx_theme_info x;

        if (tx_themes_subtheme_parent(th, s) != (int32_t)t ||
            tx_themes_subtheme(th, s, &x) != TX_OK)
            continue;
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:o, s:I, s:I, s:o, s:o, s:o}", "id",
                           (json_int_t)s, "label", x.label, "terms",
                           terms_json(&x), "size", (json_int_t)x.size,
                           "primary", (json_int_t)x.primary,
                           "share", num_or_null(x.share), "stability",
                           num_or_null(x.stability), "quotes",
                           quotes_json(&x, c)));
    }
    return arr;
}

static json_t *theme_json(const tx_themes *th, const tx_corpus *c, size_t t,
                          const struct group_counts *gc)
{
    tx_theme_info xi, *x = theme_info(th, t, &xi);
    json_t *o = json_object(), *groups = json_object();
    size_t i;

    /* Per group: documents in this theme, and their share of the group's
     * themed documents. */
    for (i = 0; i < gc->n_groups; i++) {
        size_t n = gc->per_theme[t * gc->n_groups + i];

        if (n)
            json_object_set_new(groups, gc->name[i],
                                json_pack("{s:I, s:f}", "n", (json_int_t)n,
                                          "share", (double)n /
                                                       (double)gc->total[i]));
    }
    json_object_set_new(o, "id", json_integer((json_int_t)t));
    json_object_set_new(o, "label", json_string(x->label));
    json_object_set_new(o, "terms", terms_json(x));
    json_object_set_new(o, "size", json_integer((json_int_t)x->size));
    json_object_set_new(o, "primary", json_integer((json_int_t)x->primary));
    json_object_set_new(o, "share", num_or_null(x->share));
    json_object_set_new(o, "stability", num_or_null(x->stability));
    json_object_set_new(o, "quotes", quotes_json(x, c));
    json_object_set_new(o, "subthemes", subthemes_json(th, c, t));
    json_object_set_new(o, "groups", groups);
    return o;
}

struct rej_out {
    const tx_themes *th;
    const tx_corpus *c;
    json_t *arr;
};

static int reject_json(void *ud, size_t doc, const tx_reject *r)
{
    struct rej_out *o = ud;
    tx_doc d;

    if (r) {
        json_array_append_new(o->arr,
                              json_pack("{s:s, s:s, s:I, s:s}", "id",
                                        r->id ? r->id : "", "file", r->file,
                                        "line", (json_int_t)r->line, "reason",
                                        r->reason));
        return TX_OK;
    }
    if (tx_themes_doc_theme(o->th, doc) >= 0)
        return TX_OK;
    tx_corpus_doc(o->c, doc, &d);
    json_array_append_new(o->arr,
                          json_pack("{s:s, s:s, s:I, s:s}", "id", d.id,
                                    "file", d.file, "line", (json_int_t)d.line,
                                    "reason", tx__unthemed_reason(o->c, doc)));
    return TX_OK;
}

int tx_report_new(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                  const tx_insights *in, const tx_causemap *m,
                  tx_report **out)
{
    tx_report *r;

    if (out)
        *out = NULL;
    if (!ctx || !th || !c || !out || tx__themes_corpus(th) != c ||
        (in && (tx__insights_themes(in) != th ||
               tx__insights_corpus(in) != c)) ||
        (m && tx__causemap_corpus(m) != c))
        return TX_EINVAL;
    r = tx__calloc(ctx, 1, sizeof *r);
    if (!r)
        return TX_ENOMEM;
    r->ctx = ctx;
    r->th = th;
    r->c = c;
    r->insights = in;
    r->causes = m;
    *out = r;
    return TX_OK;
}

void tx_report_free(tx_report *r)
{
    if (r)
        tx_free(r->ctx, r);
}

/* Each sub-theme's groups: documents, units and their share of the
 * group's units, as its theme's. */
static void subtheme_groups_json(const tx_insights *in, size_t G,
                                 json_t *subs)
{
    size_t i, g;
    json_t *x;

    json_array_foreach(subs, i, x) {
        size_t s = (size_t)json_integer_value(json_object_get(x, "id"));
        json_t *groups = json_object();

        for (g = 0; g < G; g++) {
            size_t u = tx__insights_sub_units_in(in, s, g),
                   of = tx__insights_group_units(in, g);

            json_object_set_new(groups, tx__insights_group(in, g), json_pack(
                "{s:I, s:I, s:I, s:f}", "n",
                (json_int_t)tx__insights_sub_docs_in(in, s, g), "units",
                (json_int_t)u, "of_units", (json_int_t)of, "share",
                of ? (double)u / (double)of : 0.0));
        }
        json_object_set_new(x, "groups", groups);
    }
}

/* Per-theme insight fields, and the groups object with respondents. */
static void theme_insights_json(const tx_report *rep, size_t t, json_t *o)
{
    const tx_insights *in = rep->insights;
    const struct tx__theme_insight *x = tx__insights_theme(in, t);
    json_t *groups = json_object(), *fr = json_object();
    tx__insights_shape sh;
    size_t g, G, f, w;

    tx__insights_shape_of(in, &sh);
    G = sh.groups;
    for (g = 0; g < G; g++) {
        size_t u = tx__insights_units_in(in, t, g), others = 0, h;
        size_t of = tx__insights_group_units(in, g);
        const char *const *gt = tx__insights_group_terms(in, t, g);
        json_t *terms = json_array();
        for (h = 0; h < G; h++)
            if (h != g)
                others += tx__insights_units_in(in, t, h);
        for (w = 0; gt && w < 5; w++)
            if (gt[w])
                json_array_append_new(terms, json_string(gt[w]));
        json_object_set_new(groups, tx__insights_group(in, g), json_pack(
            "{s:I, s:I, s:I, s:f, s:b, s:o}", "n",
            (json_int_t)tx__insights_docs_in(in, t, g), "units",
            (json_int_t)u, "of_units", (json_int_t)of, "share",
            of ? (double)u / (double)of : 0.0, "only_in",
            G > 1 && u > 0 && others == 0, "terms", terms));
    }
    json_object_set_new(o, "groups", groups);
    if (sh.sub_rows) /* counted where sub-themes are compared */
        subtheme_groups_json(in, G, json_object_get(o, "subthemes"));
    json_object_set_new(o, "sentiment", json_pack(
        "{s:o, s:f}", "mean", num_or_null(x->sentiment), "negative_share",
        x->n ? (double)x->negative / (double)x->n : 0.0));
    for (f = 1; f < TX_FRICTION_COUNT; f++)
        if (x->friction_n[f])
            json_object_set_new(fr, tx_friction_name((int)f),
                                json_integer((json_int_t)x->friction_n[f]));
    json_object_set_new(o, "friction", json_pack(
        "{s:s, s:o}", "type", tx_friction_name(x->friction), "counts", fr));
    json_object_set_new(o, "stage", json_pack(
        "{s:s, s:f}", "name", tx_stage_name(x->stage), "weight",
        x->stage_weight));
    json_object_set_new(o, "priority", json_pack(
        "{s:o, s:o, s:o, s:o, s:f}", "score", num_or_null(x->priority),
        "severity", num_or_null(x->severity), "negativity",
        num_or_null(x->negativity), "impact_norm",
        num_or_null(x->impact_norm), "stage_weight", x->stage_weight));
    if (sh.has_outcome)
        json_object_set_new(o, "impact", json_pack(
            "{s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "diff",
            num_or_null(x->impact), "ci_low", num_or_null(x->impact_low),
            "ci_high", num_or_null(x->impact_high), "mean_with",
            num_or_null(x->n_with ? x->mean_with : NAN), "mean_without",
            num_or_null(x->n_without ? x->mean_without : NAN), "n_with",
            (json_int_t)x->n_with, "n_without", (json_int_t)x->n_without));
    if (sh.periods) {
        json_t *shares = json_array();
        size_t q;
        for (q = 0; q < sh.periods; q++) {
            size_t pn = tx__insights_period_docs(in, q);
            json_array_append_new(shares, json_real(
                pn ? (double)tx__insights_period_theme(in, t, q) /
                         (double)pn : 0.0));
        }
        json_object_set_new(o, "trend", json_pack(
            "{s:o, s:b, s:o, s:o}", "shares", shares, "rising", x->rising,
            "p",
            num_or_null(x->trend_p), "q", num_or_null(x->trend_q)));
    }
}

static json_t *insights_json(const tx_insights *in)
{
    json_t *groups = json_object(), *journey = json_array(), *per, *pr;
    tx__insights_shape sh;
    size_t g, r, sig = 0, sub_sig = 0, *order;
    tx_ctx *ctx = tx__themes_ctx(tx__insights_themes(in));
    int s;

    tx__insights_shape_of(in, &sh);
    for (g = 0; g < sh.groups; g++)
        json_object_set_new(groups, tx__insights_group(in, g),
                            json_pack("{s:I}", "units",
                                      (json_int_t)tx__insights_group_units(
                                          in, g)));
    for (s = 1; s < TX_STAGE_COUNT; s++)
        if (tx__insights_stage_docs(in, s))
            json_array_append_new(journey, json_pack(
                "{s:s, s:I, s:f}", "stage", tx_stage_name(s), "n",
                (json_int_t)tx__insights_stage_docs(in, s), "sentiment",
                tx__insights_stage_sentiment(in, s)));
    for (r = 0; r < sh.rows; r++)
        sig += tx__insights_row(in, r)->significant != 0;
    for (r = 0; r < sh.sub_rows; r++)
        sub_sig += tx__insights_sub_row(in, r)->significant != 0;
    per = json_array();
    for (g = 0; g < sh.periods; g++)
        json_array_append_new(per, json_pack(
            "{s:s, s:I}", "period", tx__insights_period(in, g), "n",
            (json_int_t)tx__insights_period_docs(in, g)));
    pr = json_array();
    order = tx__malloc(ctx, (sh.k + 1) * sizeof *order);
    if (order) {
        tx__insights_order(in, order);
        for (g = 0; g < sh.k; g++)
            json_array_append_new(pr, json_integer((json_int_t)order[g]));
    }
    tx_free(ctx, order);
    return json_pack("{s:s, s:o, s:o, s:I, s:I, s:o, s:I, s:I, s:o}",
                     "unit", sh.by_document ? "document" : "respondent",
                     "groups", groups, "journey", journey,
                     "significant_differences", (json_int_t)sig,
                     "significant_subtheme_differences", (json_int_t)sub_sig,
                     "periods", per, "time_not_dates",
                     (json_int_t)sh.time_unparsed, "stage_not_stages",
                     (json_int_t)sh.stage_unparsed, "priority_order", pr);
}

/* For theme t: the share of its documents that state a cause, and the
 * cause themes they state most (when a causemap is attached). */
static json_t *theme_causes_json(const tx_report *rep, const tx_corpus *c,
                                 size_t t)
{
    const tx_themes *th = rep->th;
    const tx_causemap *m = rep->causes;
    size_t kc = tx_causemap_k(m, 1), d, i, n_docs = 0, n_stated = 0, shown;
    size_t *count = tx__calloc(tx__themes_ctx(th), kc + 1, sizeof *count);
    json_t *top = json_array();

    for (d = 0; count && d < tx_corpus_size(c); d++) {
        const tx_cause_sentence *s;
        size_t ns = tx_causemap_sentences(m, d, &s);
        bool stated = false;
        if (tx_themes_doc_theme(th, d) != (int32_t)t)
            continue;
        n_docs++;
        for (i = 0; i < ns; i++) {
            int32_t ct = tx__causemap_cause_theme(m, d, i);
            if (s[i].causal)
                stated = true;
            if (ct >= 0)
                count[ct]++;
        }
        n_stated += stated;
    }
    for (shown = 0; count && shown < 3; shown++) {
        size_t best = SIZE_MAX, bn = 0, q;
        for (q = 0; q < kc; q++)
            if (count[q] > bn) {
                bn = count[q];
                best = q;
            }
        if (best == SIZE_MAX)
            break;
        json_array_append_new(top, json_pack("{s:I, s:s, s:I}", "cause_theme",
                                             (json_int_t)best, "label",
                                             tx_causemap_label(m, 1, best),
                                             "count", (json_int_t)bn));
        count[best] = 0;
    }
    tx_free(tx__themes_ctx(th), count);
    return json_pack("{s:f, s:o}", "stated_share",
                     n_docs ? (double)n_stated / (double)n_docs : 0.0,
                     "top", top);
}

int tx_report_write_json(const tx_report *rep, FILE *f)
{
    const tx_themes *th = rep ? rep->th : NULL;
    const tx_corpus *c = rep ? rep->c : NULL;
    json_t *root, *themes, *tree;
    struct group_counts gc;
    struct rej_out ro;
    size_t t;
    int rc;

    if (!th || !c || !f || tx__themes_corpus(th) != c)
        return TX_EINVAL;
    if (count_groups(th, c, &gc) != TX_OK) {
        free_groups(tx__themes_ctx(th), &gc);
        return TX_ENOMEM;
    }
    themes = json_array();
    tree = json_array();
    for (t = 0; t < tx_themes_k(th); t++) {
        json_t *o = theme_json(th, c, t, &gc);
        if (rep->insights)
            theme_insights_json(rep, t, o);
        if (rep->causes)
            json_object_set_new(o, "causes", theme_causes_json(rep, c, t));
        json_array_append_new(themes, o);
    }
    free_groups(tx__themes_ctx(th), &gc);
    for (t = 0; t + 1 < tx_themes_k(th); t++)
        json_array_append_new(tree, json_pack(
            "{s:I, s:I, s:I, s:f}", "node", (json_int_t)(tx_themes_k(th) + t), "a",
            (json_int_t)tx__themes_merge_a(th, t), "b", (json_int_t)tx__themes_merge_b(th, t),
            "similarity", tx__themes_merge_sim(th, t)));
    ro.th = th;
    ro.c = c;
    ro.arr = json_array();
    tx__each_row(c, reject_json, &ro);
    root = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o}", "n_docs",
                     (json_int_t)tx_corpus_rows(c), "k", (json_int_t)tx_themes_k(th),
                     "libtext_version", TX_VERSION_STRING, "params",
                     params_json(th), "themes", themes, "tree", tree,
                     "rejected", ro.arr);
    if (root && rep->causes)
        json_object_set_new(root, "causes", tx__causemap_json(rep->causes));
    if (root && rep->insights)
        json_object_set_new(root, "insights", insights_json(rep->insights));
    rc = root && json_dumpf(root, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) == 0
             ? TX_OK : TX_EIO;
    fputc('\n', f);
    json_decref(root);
    return rc == TX_OK && !ferror(f) ? TX_OK : TX_EIO;
}

/* ---- report.md ---- */

/* A comparison's cells after its first: groups, shares, difference, q. */
static void md_cmp_cells(const tx_insights *in, const struct tx__cmp_row *x,
                         FILE *f)
{
    fputs(" | ", f);
    tx__md_text(f, tx__insights_group(in, x->a), 80);
    fputs(" vs ", f);
    tx__md_text(f, tx__insights_group(in, x->b), 80);
    fprintf(f, " | %.1f%% vs %.1f%% | %+.1f (%+.1f to %+.1f) points | %.3g |\n",
            100 * x->share_a, 100 * x->share_b, 100 * x->diff,
            100 * x->ci_low, 100 * x->ci_high, x->q);
}

struct count_out {
    const tx_themes *th;
    const tx_corpus *c;
    size_t unthemed, rejected, non_answers;
};

/* Markdown: priorities with their inputs, group differences, the
 * emotional journey and rising themes. */
static int insights_md(const tx_report *rep, const tx_corpus *c, FILE *f)
{
    const tx_themes *th = rep->th;
    const tx_insights *in = rep->insights;
    size_t *order = tx__malloc(tx__themes_ctx(th), (tx_themes_k(th) + 1) * sizeof *order);
    size_t i, r, s, shown = 0, G;
    tx__insights_shape sh;
    char note[256];

    if (!order)
        return TX_ENOMEM;
    tx__insights_shape_of(in, &sh);
    G = sh.groups;
    tx__insights_order(in, order);
    if (tx__english_only_note(c, note, sizeof note))
        fprintf(f, "\n> %s\n", note);
    fprintf(f, "\n## What to fix first\n\nPriority = 100 × share × (0.5 + "
               "severity) × stage weight. Severity is the theme's negativity "
               "(its mean sentiment below zero)%s; the stage weight is the "
               "mean over the theme's documents of each document's stage "
               "weight: 1.5 for onboarding and renewal, 1.3 support, 1.2 "
               "billing, 1.1 login and delivery, 1.0 otherwise. The Stage "
               "column shows the theme's most common stage and, in "
               "brackets, that mean.\n\n",
            sh.has_outcome ? ", averaged with how much lower the outcome "
                              "is with the theme (scaled by a quarter of "
                              "the outcome's range)" : "");
    fprintf(f, "| Rank | Theme | Priority | Share | Sentiment | Severity |"
               "%s Stage | Friction |\n|---:|---|---:|---:|---:|---:|%s---|---|\n",
            sh.has_outcome ? " Outcome with − without (95% CI) |" : "",
            sh.has_outcome ? "---|" : "");
    for (i = 0; i < tx_themes_k(th); i++) {
        const struct tx__theme_insight *x = tx__insights_theme(in, order[i]);
        fprintf(f, "| %zu | %zu. ", i + 1, order[i]);
        tx__md_text(f, tx__theme_label(th, order[i]), 60);
        fprintf(f, " | %.1f | %.1f%% | %+.2f | %.2f |", x->priority,
                100.0 * tx__theme_share(th, order[i]), x->sentiment,
                x->severity);
        if (sh.has_outcome) {
            if (isnan(x->impact))
                fputs(" – |", f);
            else if (isnan(x->impact_low))
                fprintf(f, " %+.2f |", x->impact);
            else
                fprintf(f, " %+.2f (%+.2f to %+.2f) |", x->impact,
                        x->impact_low, x->impact_high);
        }
        fprintf(f, " %s (×%.2f) | %s |\n", tx_stage_name(x->stage),
                x->stage_weight, tx_friction_name(x->friction));
    }
    tx_free(tx__themes_ctx(th), order);
    if (G >= 2) {
        fprintf(f, "\n## Groups compared\n\nShares count each %s once "
                   "per theme. Differences with a 95%% Newcombe interval; "
                   "p from Fisher's exact test (small counts) or the "
                   "two-proportion z-test; q after Benjamini-Hochberg over "
                   "all %zu comparisons.\n\n",
                sh.by_document ? "document" : "respondent",
                sh.rows);
        for (i = 0; i < G; i++) {
            fputs(i ? ", " : "Units: ", f);
            tx__md_text(f, tx__insights_group(in, i), 80);
            fprintf(f, ": %zu", tx__insights_group_units(in, i));
        }
        fputs(".\n\n| Theme | Groups | Shares | Difference (95% CI) | q |"
              "\n|---|---|---:|---:|---:|\n", f);
        for (r = 0; r < sh.rows; r++) {
            const struct tx__cmp_row *x = tx__insights_row(in, r);
            if (!x->significant)
                continue;
            shown++;
            fprintf(f, "| %zu. ", x->theme);
            tx__md_text(f, tx__theme_label(th, x->theme), 60);
            md_cmp_cells(in, x, f);
        }
        if (!shown)
            fputs("| no difference with q < 0.05 | | | | |\n", f);
        if (sh.sub_rows) {
            fprintf(f, "\nSub-themes, where one specific topic can shift "
                       "while the rest of its theme does not (q after "
                       "Benjamini-Hochberg over their %zu comparisons):\n\n"
                       "| Sub-theme | Groups | Shares | Difference (95%% CI) "
                       "| q |\n|---|---|---:|---:|---:|\n", sh.sub_rows);
            for (r = 0, shown = 0; r < sh.sub_rows; r++) {
                const struct tx__cmp_row *x = tx__insights_sub_row(in, r);
                tx_theme_info si;
                size_t t;

                if (!x->significant ||
                    tx_themes_subtheme(th, x->theme, &si) != TX_OK)
                    continue;
                shown++;
                fprintf(f, "| %zu. ", x->theme);
                tx__md_text(f, si.label, 60);
                t = (size_t)tx_themes_subtheme_parent(th, x->theme);
                fprintf(f, " (in %zu. ", t);
                tx__md_text(f, tx__theme_label(th, t), 60);
                fputc(')', f);
                md_cmp_cells(in, x, f);
            }
            if (!shown)
                fputs("| no difference with q < 0.05 | | | | |\n", f);
        } else if (G > TX__SUB_GROUPS_MAX && tx_themes_n_subthemes(th)) {
            fprintf(f, "\nSub-themes are compared with at most %d groups; "
                       "with %zu, only the themes are.\n",
                    TX__SUB_GROUPS_MAX, G);
        }
        for (r = 0; r < tx_themes_k(th); r++)
            for (i = 0; i < G; i++) {
                size_t u = tx__insights_units_in(in, r, i), others = 0, h;
                for (h = 0; h < G; h++)
                    if (h != i)
                        others += tx__insights_units_in(in, r, h);
                if (u && !others) {
                    fputs("\nOnly in ", f);
                    tx__md_text(f, tx__insights_group(in, i), 80);
                    fprintf(f, ": %zu. ", r);
                    tx__md_text(f, tx__theme_label(th, r), 60);
                    fprintf(f, " (%zu).\n", u);
                }
            }
    }
    fputs("\n## Emotional journey\n\nMean sentiment (−1 to 1) of the "
          "documents at each stage, in journey order.\n\n| Stage | "
          "Documents | Sentiment |\n|---|---:|---:|\n", f);
    for (s = 1; s < TX_STAGE_COUNT; s++)
        if (tx__insights_stage_docs(in, (int)s))
            fprintf(f, "| %s | %zu | %+.2f |\n", tx_stage_name((int)s),
                    tx__insights_stage_docs(in, (int)s),
                    tx__insights_stage_sentiment(in, (int)s));
    if (sh.stage_unparsed) {
        fprintf(f, "\n%zu %s a stage value that names no stage (",
                sh.stage_unparsed,
                sh.stage_unparsed == 1 ? "document has" : "documents have");
        for (s = 1; s < TX_STAGE_COUNT; s++)
            fprintf(f, "%s%s", s > 1 ? ", " : "", tx_stage_name((int)s));
        fputs("); their stage was detected from the text.\n", f);
    }
    if (sh.periods >= 2) {
        fprintf(f, "\n## Over time\n\n%zu periods (%s to %s). Rising: "
                   "the last period's share is above the one before "
                   "(q < 0.05).\n\n", sh.periods, tx__insights_period(in, 0),
                tx__insights_period(in, sh.periods - 1));
        shown = 0;
        for (r = 0; r < tx_themes_k(th); r++)
            if (tx__insights_theme(in, r)->rising) {
                fprintf(f, "- rising: %zu. ", r);
                tx__md_text(f, tx__theme_label(th, r), 60);
                fputc('\n', f);
                shown++;
            }
        if (!shown)
            fputs("No theme is rising significantly.\n", f);
        if (sh.time_unparsed)
            fprintf(f, "\n%zu %s a time value that is not a date "
                       "(YYYY-MM or YYYY-MM-DD...), left out of the "
                       "trends.\n", sh.time_unparsed,
                    sh.time_unparsed == 1 ? "document has"
                                           : "documents have");
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

/* Marks the themes under a node of the merge tree. */
static void tree_mark(const tx_themes *th, size_t node, bool *in)
{
    if (node < tx_themes_k(th)) {
        in[node] = true;
        return;
    }
    tree_mark(th, tx__themes_merge_a(th, node - tx_themes_k(th)), in);
    tree_mark(th, tx__themes_merge_b(th, node - tx_themes_k(th)), in);
}

/* A node of the merge tree in words: a theme by number and label, a
 * group by number and the themes under it, in order. */
static int tree_node(FILE *f, const tx_themes *th, size_t node)
{
    bool *in;
    size_t t, n = 0;

    if (node < tx_themes_k(th)) {
        fprintf(f, "%zu. ", node);
        tx__md_text(f, tx__theme_label(th, node), 60);
        return TX_OK;
    }
    if (!(in = tx__calloc(tx__themes_ctx(th), tx_themes_k(th), sizeof *in)))
        return TX_ENOMEM;
    tree_mark(th, node, in);
    fprintf(f, "group %zu (themes ", node);
    for (t = 0; t < tx_themes_k(th); t++)
        if (in[t])
            fprintf(f, "%s%zu", n++ ? ", " : "", t);
    fputc(')', f);
    tx_free(tx__themes_ctx(th), in);
    return TX_OK;
}

/* The first rows without a theme, with why, for people to read. */
struct unthemed_out {
    const tx_themes *th;
    const tx_corpus *c;
    FILE *f;
    size_t shown;
};

static int list_unthemed(void *ud, size_t doc, const tx_reject *r)
{
    struct unthemed_out *o = ud;
    tx_doc d;

    if (!r && tx_themes_doc_theme(o->th, doc) >= 0)
        return TX_OK;
    if (o->shown == 20)
        return TX_OK;
    o->shown++;
    fputs("- *", o->f);
    if (r) {
        tx__md_text(o->f, r->id ? r->id : "?", 80);
        fputs("* (", o->f);
        tx__md_text(o->f, r->file, 200);
        fprintf(o->f, ":%ld): ", r->line);
        tx__md_text(o->f, r->reason, 200);
        fputc('\n', o->f);
        return TX_OK;
    }
    tx_corpus_doc(o->c, doc, &d);
    tx__md_text(o->f, d.id, 80);
    fputs("*: \"", o->f);
    tx__md_text(o->f, d.text, 200);
    fprintf(o->f, "\" (%s)\n", tx__unthemed_reason(o->c, doc));
    return TX_OK;
}

static int count_row(void *ud, size_t doc, const tx_reject *r)
{
    struct count_out *o = ud;

    if (r)
        o->rejected++;
    else if (tx_themes_doc_theme(o->th, doc) < 0) {
        tx_doc d;

        tx_corpus_doc(o->c, doc, &d);
        o->unthemed++;
        o->non_answers += (size_t)tx_text_is_non_answer(d.text, d.len);
    }
    return TX_OK;
}

/* Theme t's sub-themes as a table with one quote each. */
static void subthemes_md(const tx_themes *th, const tx_corpus *c, size_t t,
                         FILE *f)
{
    size_t s, i, shown = 0;

    for (s = 0; s < tx_themes_n_subthemes(th); s++) {
        tx_theme_info x;
        tx_doc d;

        if (tx_themes_subtheme_parent(th, s) != (int32_t)t ||
            tx_themes_subtheme(th, s, &x) != TX_OK)
            continue;
        if (!shown++)
            fprintf(f, "\nSub-themes:\n\n| # | Sub-theme | Primary | "
                       "Mentioned by | Share of theme | Top terms | Quote |\n"
                       "|---:|---|---:|---:|---:|---|---|\n");
        fprintf(f, "| %zu | ", s);
        tx__md_text(f, x.label, 80);
        fprintf(f, " | %zu | %zu | %.1f%% | ", x.primary, x.size,
                100.0 * x.share);
        for (i = 0; i < x.n_terms && i < 5; i++) {
            fputs(i ? ", " : "", f);
            tx__md_text(f, x.terms[i], 40);
        }
        fputs(" | ", f);
        if (x.n_quotes) {
            tx_corpus_doc(c, x.quotes[0], &d);
            tx__md_text(f, d.text, 200);
        }
        fputs(" |\n", f);
    }
}

int tx_report_write_markdown(const tx_report *rep, FILE *f)
{
    const tx_themes *th = rep ? rep->th : NULL;
    const tx_corpus *c = rep ? rep->c : NULL;
    struct count_out co = {th, c, 0, 0, 0};
    size_t t, i, themed;

    if (!th || !c || !f || tx__themes_corpus(th) != c)
        return TX_EINVAL;
    tx__each_row(c, count_row, &co);
    themed = tx_corpus_size(c) - co.unthemed;
    fprintf(f, "# Themes\n\n");
    fprintf(f, "%zu rows read: %zu documents in %zu themes, ",
            tx_corpus_rows(c), themed, tx_themes_k(th));
    if (co.non_answers)
        fprintf(f, "%zu non-answers (n/a, none, no comment, ...), ",
                co.non_answers);
    fprintf(f, "%zu with no words left to theme, %zu rejected when "
               "read.\n\n", co.unthemed - co.non_answers, co.rejected);
    fprintf(f, "Themes are ranked by the documents mainly about them "
               "(*Primary*); *Mentioned by* counts every document with a "
               "sentence or clause on the theme, so a review of two things "
               "counts in two themes, and *Share* is of the themed "
               "documents. *Stability* is how consistently a theme's "
               "documents stay together when the clustering is restarted "
               "from other seeds (1 = always).\n\n");
    fprintf(f, "| # | Theme | Primary | Mentioned by | Share | Stability | "
               "Top terms |\n");
    fprintf(f, "|---:|---|---:|---:|---:|---:|---|\n");
    for (t = 0; t < tx_themes_k(th); t++) {
        tx_theme_info xi, *x = theme_info(th, t, &xi);

        fprintf(f, "| %zu | ", t);
        tx__md_text(f, x->label, 80);
        fprintf(f, " | %zu | %zu | %.1f%% | %.2f | ", x->primary, x->size,
                100.0 * x->share, (double)x->stability);
        for (i = 0; i < x->n_terms && i < 6; i++) {
            fputs(i ? ", " : "", f);
            tx__md_text(f, x->terms[i], 40);
        }
        fputs(" |\n", f);
    }
    if (rep->insights && insights_md(rep, c, f) != TX_OK)
        return TX_EIO;
    for (t = 0; t < tx_themes_k(th); t++) {
        tx_theme_info xi, *x = theme_info(th, t, &xi);

        fprintf(f, "\n## %zu. ", t);
        tx__md_text(f, x->label, 80);
        fprintf(f, "\n\nThe main subject of %zu documents; mentioned by %zu "
                   "(%.1f%%); stability %.2f.\n\n",
                x->primary, x->size, 100.0 * x->share, (double)x->stability);
        fputs("Terms used more here than elsewhere: ", f);
        for (i = 0; i < x->n_terms; i++) {
            fputs(i ? ", " : "", f);
            tx__md_text(f, x->terms[i], 40);
        }
        fputs(".\n\n", f);
        if (rep->insights) {
            /* words each group uses more than the others in this theme */
            const tx_insights *in = rep->insights;
            size_t g, w, G = tx_insights_groups(in);
            for (g = 0; g < G; g++) {
                const char *const *gt = tx__insights_group_terms(in, t, g);
                if (!gt || !gt[0])
                    continue;
                fputs("Words ", f);
                tx__md_text(f, tx__insights_group(in, g), 80);
                fputs(" uses more here: ", f);
                for (w = 0; w < 5 && gt[w]; w++) {
                    fputs(w ? ", " : "", f);
                    tx__md_text(f, gt[w], 40);
                }
                fputs(".\n\n", f);
            }
        }
        for (i = 0; i < x->n_quotes; i++) {
            tx_doc d;

            tx_corpus_doc(c, x->quotes[i], &d);
            fputs("> ", f);
            tx__md_text(f, d.text, 400);
            fputs(" — *", f);
            tx__md_text(f, d.id, 80);
            fputs("*\n>\n", f);
        }
        subthemes_md(th, c, t, f);
    }
    if (tx_themes_k(th) > 1) {
        fprintf(f, "\n## Broader themes\n\nThemes joined step by step, "
                   "the most similar pair first, as `tx-assign --broader "
                   "N` joins them:\n\n");
        for (t = 0; t + 1 < tx_themes_k(th) && t < 10; t++) {
            fprintf(f, "- group %zu (similarity %.2f) joins ", tx_themes_k(th) + t,
                    tx__themes_merge_sim(th, t));
            if (tree_node(f, th, tx__themes_merge_a(th, t)) != TX_OK)
                return TX_ENOMEM;
            fputs(" and ", f);
            if (tree_node(f, th, tx__themes_merge_b(th, t)) != TX_OK)
                return TX_ENOMEM;
            fputc('\n', f);
        }
    }
    if (rep->causes) {
        fputc('\n', f);
        if (tx_causemap_write_report(rep->causes, f) != TX_OK)
            return TX_EIO;
    }
    if (co.unthemed || co.rejected) {
        struct unthemed_out uo = {th, c, f, 0};

        fprintf(f, "\n## Not themed\n\n%zu rows have theme -1 in "
                   "assignments.csv; themes.json (`rejected`) lists all of "
                   "them with their reasons. Short answers often land here: "
                   "read them.\n\n", co.unthemed + co.rejected);
        tx__each_row(c, list_unthemed, &uo);
        if (uo.shown < co.unthemed + co.rejected)
            fprintf(f, "- and %zu more\n",
                    co.unthemed + co.rejected - uo.shown);
    }
    return ferror(f) ? TX_EIO : TX_OK;
}
