/*
 * From themes to decisions: group comparison with intervals and
 * false-discovery control, drivers of an outcome, sentiment and friction,
 * journey stages, a priority score, and trends over time.
 *
 * Everything here is computed from a fitted themes model and its corpus;
 * the themes do not change.
 */
#include "input/tx_input.h"
#include "themes/tx_themes_read.h"
#include "tx_insights_private.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tx_insights_params_init(tx_insights_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->unit = TX_UNIT_RESPONDENT;
    p->alpha = 0.05;
}

/* Weight of a journey stage in the priority: moments of truth (the first
 * weeks, the first call for help, the decision to stay) count more. */
/* Every document's theme list (tx__themes_doc_speaks), built once. */
static int theme_lists(tx_insights *in)
{
    size_t n = tx_corpus_size(in->c), i, cap = n + 16, m;
    int32_t *buf = tx__malloc(in->ctx, (in->k + 1) * sizeof *buf);

    in->dt_first = tx__malloc(in->ctx, (n + 1) * sizeof *in->dt_first);
    in->dt = tx__malloc(in->ctx, cap * sizeof *in->dt);
    if (!buf || !in->dt_first || !in->dt) {
        tx_free(in->ctx, buf);
        return TX_ENOMEM;
    }
    in->dt_first[0] = 0;
    for (i = 0; i < n; i++) {
        m = tx__themes_doc_speaks(in->th, i, false, buf);
        if (tx__grow(in->ctx, (void **)&in->dt, &cap, in->dt_first[i] + m,
                     sizeof *in->dt)) {
            tx_free(in->ctx, buf);
            return TX_ENOMEM;
        }
        memcpy(in->dt + in->dt_first[i], buf, m * sizeof *buf);
        in->dt_first[i + 1] = in->dt_first[i] + m;
    }
    tx_free(in->ctx, buf);
    return TX_OK;
}

static bool in_theme(const tx_insights *in, size_t i, int32_t t)
{
    size_t j;

    for (j = in->dt_first[i]; j < in->dt_first[i + 1]; j++)
        if (in->dt[j] == t)
            return true;
    return false;
}

static double stage_weight(int s)
{
    switch (s) {
    case TX_STAGE_ONBOARDING: case TX_STAGE_RENEWAL: return 1.5;
    case TX_STAGE_SUPPORT: return 1.3;
    case TX_STAGE_BILLING: return 1.2;
    case TX_STAGE_LOGIN: case TX_STAGE_DELIVERY: return 1.1;
    default: return 1.0;
    }
}

/* ---- per-document sentiment (in parallel) ----------------------------- */

struct sent_job {
    tx_ctx *ctx;
    const tx_corpus *c;
    tx_sentiment *s;
    size_t from, to; /* this rank's documents (all of them alone) */
};

/* Documents are scored in SENT_BLOCKS blocks, each with one set of word
 * buffers reused from document to document. */
#define SENT_BLOCKS 256
/* Documents per unit when ranks split the scoring. */
#define SENT_SHARE 1024

static int sent_block(void *arg, size_t b)
{
    struct sent_job *j = arg;
    size_t n = j->to - j->from, i;
    tx__cwords w;
    int rc = TX_OK;

    tx__cwords_init(&w, j->ctx);
    for (i = j->from + n * b / SENT_BLOCKS;
         i < j->from + n * (b + 1) / SENT_BLOCKS && rc == TX_OK; i++) {
        tx_doc d;

        tx_corpus_doc(j->c, i, &d);
        rc = tx__sentiment_score_words(&w, d.text, d.len, &j->s[i]);
    }
    tx__cwords_free(&w);
    return rc;
}

/* ---- groups and respondents ----------------------------------------- */

static long find_name(char **names, size_t n, const char *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (long)i;
    return -1;
}

/* Respondent key, with the group (one person, one group), into *buf: a
 * transcript turn ("FILE:TURN" from FILE) belongs to its file's
 * participant; any other row is its own respondent. Returns the key's
 * length, or 0 when out of memory. */
static size_t respondent_key(tx_ctx *ctx, const tx_doc *d, int32_t group,
                             char **buf, size_t *cap)
{
    size_t fl = d->file ? strlen(d->file) : 0, il = strlen(d->id), n = 0;
    char num[24];
    /* "\x1e" and the group's number (one call per document: snprintf cost
     * more than the rest of the key) */
    size_t nl = (size_t)(tx__put_int(num + 1, group) - num);

    num[0] = '\x1e';
    if (tx__grow(ctx, (void **)buf, cap, fl + il + nl + 2, 1))
        return 0;
    if (fl && strncmp(d->id, d->file, fl) == 0 && d->id[fl] == ':') {
        memcpy(*buf, d->id, fl);
        n = fl;
    } else {
        if (fl)
            memcpy(*buf, d->file, fl);
        (*buf)[fl] = '\x1f';
        memcpy(*buf + fl + 1, d->id, il);
        n = fl + 1 + il;
    }
    memcpy(*buf + n, num, nl);
    return n + nl;
}

static const char *group_name(const tx_doc *d)
{
    return d->group && *d->group ? d->group : "(no group)";
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int setup_groups(tx_insights *in)
{
    const tx_corpus *c = in->c;
    size_t n = tx_corpus_size(c), i, cap = 0, key_cap = 0, key_bytes = 0;
    tx__strmap resp;
    char *key = NULL;
    int rc = TX_OK;

    in->doc_group = tx__malloc(in->ctx, (n + 1) * sizeof *in->doc_group);
    in->doc_resp = tx__malloc(in->ctx, (n + 1) * sizeof *in->doc_resp);
    if (!in->doc_group || !in->doc_resp)
        return TX_ENOMEM;
    /* group names sorted, so pairs come out in a fixed order */
    for (i = 0; i < n; i++) {
        tx_doc d;
        const char *g;
        tx_corpus_doc(c, i, &d);
        g = group_name(&d);
        /* a bound on the respondents' keys (respondent_key) */
        key_bytes += (d.file ? strlen(d.file) : 0) + strlen(d.id) + 14;
        if (find_name(in->groups, in->n_groups, g) < 0) {
            if (tx__grow(in->ctx, (void **)&in->groups, &cap,
                         in->n_groups + 1, sizeof *in->groups))
                return TX_ENOMEM;
            if (!(in->groups[in->n_groups++] = tx__strdup(in->ctx, g)))
                return TX_ENOMEM;
        }
    }
    if (in->n_groups)
        qsort(in->groups, in->n_groups, sizeof *in->groups, cmp_str);
    tx__strmap_init(&resp, in->ctx);
    /* room for every row as its own respondent, the usual case: growing
     * the map step by step moved it 20 times on 1M rows */
    if (in->p.unit != TX_UNIT_DOCUMENT)
        rc = tx__strmap_reserve(&resp, n, key_bytes);
    for (i = 0; i < n && rc == TX_OK; i++) {
        tx_doc d;
        size_t kl;
        long r;
        tx_corpus_doc(c, i, &d);
        in->doc_group[i] =
            (int32_t)find_name(in->groups, in->n_groups, group_name(&d));
        if (in->p.unit == TX_UNIT_DOCUMENT) {
            in->doc_resp[i] = (int32_t)i;
            continue;
        }
        kl = respondent_key(in->ctx, &d, in->doc_group[i], &key, &key_cap);
        r = kl ? tx__strmap_add(&resp, key, kl, tx__hash(key, kl)) : -1;
        if (r < 0)
            rc = TX_ENOMEM;
        in->doc_resp[i] = (int32_t)r;
    }
    in->n_resp = in->p.unit == TX_UNIT_DOCUMENT ? n : resp.n;
    tx__strmap_free(&resp);
    tx_free(in->ctx, key);
    return rc;
}

/* Units (respondents or documents) per group, and per (theme, group) the
 * units with at least one document in the theme. */
static int count_units(tx_insights *in)
{
    size_t n = tx_corpus_size(in->c), G = in->n_groups, k = in->k, i;
    int32_t *seen = tx__malloc(in->ctx, (in->n_resp + 1) * sizeof *seen);
    int32_t *rgroup = tx__malloc(in->ctx, (in->n_resp + 1) * sizeof *rgroup);
    size_t t;

    in->units = tx__calloc(in->ctx, G + 1, sizeof *in->units);
    in->units_in = tx__calloc(in->ctx, k * G + 1, sizeof *in->units_in);
    in->docs_in = tx__calloc(in->ctx, k * G + 1, sizeof *in->docs_in);
    if (!seen || !rgroup || !in->units || !in->units_in || !in->docs_in) {
        tx_free(in->ctx, seen);
        tx_free(in->ctx, rgroup);
        return TX_ENOMEM;
    }
    for (i = 0; i < in->n_resp; i++)
        rgroup[i] = -1;
    for (i = 0; i < n; i++)
        if (rgroup[in->doc_resp[i]] < 0) {
            rgroup[in->doc_resp[i]] = in->doc_group[i];
            in->units[in->doc_group[i]]++;
        }
    /* for each theme, count each unit that mentions it once */
    for (t = 0; t < k; t++) {
        for (i = 0; i < in->n_resp; i++)
            seen[i] = 0;
        for (i = 0; i < n; i++) {
            if (!in_theme(in, i, (int32_t)t))
                continue;
            in->docs_in[t * G + (size_t)in->doc_group[i]]++;
            if (!seen[in->doc_resp[i]]) {
                seen[in->doc_resp[i]] = 1;
                in->units_in[t * G + (size_t)in->doc_group[i]]++;
            }
        }
    }
    tx_free(in->ctx, seen);
    tx_free(in->ctx, rgroup);
    return TX_OK;
}

/* Rows are theme-major, then the pairs (a, b), a < b, in order. */
const struct tx__cmp_row *tx__insights_cmp(const tx_insights *in,
                                           size_t theme, size_t a, size_t b)
{
    size_t G = in->n_groups;

    return &in->rows[theme * (G * (G - 1) / 2) + a * G - a * (a + 1) / 2 +
                     (b - a - 1)];
}

/* Per (sub-theme, group) the units and the documents that speak of it.
 * The documents are taken a unit at a time (a counting sort by unit), so
 * a unit counts once however many of its documents speak of it. */
static int count_sub_units(tx_insights *in)
{
    size_t n = tx_corpus_size(in->c), G = in->n_groups,
           S = tx_themes_n_subthemes(in->th), i, j, m;
    size_t *first, *order;
    int32_t *buf, *last;
    int rc = TX_OK;

    if (G < 2 || G > TX__SUB_GROUPS_MAX || S == 0)
        return TX_OK; /* nothing to compare, or too many pairs */
    first = tx__calloc(in->ctx, in->n_resp + 2, sizeof *first);
    order = tx__malloc(in->ctx, (n + 1) * sizeof *order);
    buf = tx__malloc(in->ctx, (S + 1) * sizeof *buf);
    last = tx__malloc(in->ctx, (S + 1) * sizeof *last);
    in->n_sub = S;
    in->sub_units_in = tx__calloc(in->ctx, S * G + 1, sizeof *in->sub_units_in);
    in->sub_docs_in = tx__calloc(in->ctx, S * G + 1, sizeof *in->sub_docs_in);
    if (!first || !order || !buf || !last || !in->sub_units_in ||
        !in->sub_docs_in)
        rc = TX_ENOMEM;
    for (i = 0; rc == TX_OK && i < S; i++)
        last[i] = -1;
    for (i = 0; rc == TX_OK && i < n; i++)
        first[in->doc_resp[i] + 2]++;
    for (i = 2; rc == TX_OK && i < in->n_resp + 2; i++)
        first[i] += first[i - 1];
    for (i = 0; rc == TX_OK && i < n; i++)
        order[first[in->doc_resp[i] + 1]++] = i;
    for (j = 0; rc == TX_OK && j < n; j++) {
        size_t d = order[j], g = (size_t)in->doc_group[d];
        int32_t r = in->doc_resp[d];

        m = tx__themes_doc_speaks(in->th, d, true, buf);
        for (i = 0; i < m; i++) {
            size_t sub = (size_t)buf[i];

            in->sub_docs_in[sub * G + g]++;
            if (last[sub] != r) {
                last[sub] = r;
                in->sub_units_in[sub * G + g]++;
            }
        }
    }
    tx_free(in->ctx, first);
    tx_free(in->ctx, order);
    tx_free(in->ctx, buf);
    tx_free(in->ctx, last);
    return rc;
}

/* The comparison rows of k items (themes or sub-themes) whose units per
 * group are units_in (k x groups), with q-values over these rows. */
static int compare_level(tx_insights *in, size_t k, const size_t *units_in,
                         struct tx__cmp_row **rows, size_t *n_rows)
{
    size_t G = in->n_groups, t, a, b, r = 0, np = G * (G - 1) / 2;
    double *p;

    *n_rows = k * np;
    *rows = tx__calloc(in->ctx, *n_rows + 1, sizeof **rows);
    p = tx__malloc(in->ctx, (*n_rows + 1) * sizeof *p);
    if (!*rows || !p) {
        tx_free(in->ctx, p);
        return TX_ENOMEM;
    }
    for (t = 0; t < k; t++)
        for (a = 0; a < G; a++)
            for (b = a + 1; b < G; b++, r++) {
                struct tx__cmp_row *x = &(*rows)[r];
                long xa = (long)units_in[t * G + a];
                long xb = (long)units_in[t * G + b];
                long na = (long)in->units[a], nb = (long)in->units[b];

                x->theme = t;
                x->a = a;
                x->b = b;
                x->share_a = na ? (double)xa / (double)na : 0;
                x->share_b = nb ? (double)xb / (double)nb : 0;
                x->diff = x->share_a - x->share_b;
                tx_stats_newcombe((double)xa, (double)na, (double)xb, (double)nb,
                            &x->ci_low, &x->ci_high);
                x->p = tx_stats_compare_p(xa, na, xb, nb);
                p[r] = x->p;
            }
    {
        double *q = tx__malloc(in->ctx, (*n_rows + 1) * sizeof *q);
        if (!q || tx_stats_bh_qvalues(in->ctx, p, *n_rows, q) != TX_OK) {
            tx_free(in->ctx, p);
            tx_free(in->ctx, q);
            return TX_ENOMEM;
        }
        for (r = 0; r < *n_rows; r++) {
            (*rows)[r].q = q[r];
            (*rows)[r].significant = q[r] < in->p.alpha;
        }
        tx_free(in->ctx, q);
    }
    tx_free(in->ctx, p);
    return TX_OK;
}

/* Groups compared per theme, and per sub-theme as a family of its own:
 * the sub-themes' many tests do not weaken the themes', and a reader of
 * either table controls its false discoveries. */
static int compare(tx_insights *in)
{
    int rc;

    if (in->n_groups < 2)
        return TX_OK;
    rc = compare_level(in, in->k, in->units_in, &in->rows, &in->n_rows);
    if (rc == TX_OK && in->n_sub)
        rc = compare_level(in, in->n_sub, in->sub_units_in, &in->sub_rows,
                           &in->n_sub_rows);
    return rc;
}

/* ---- words each group uses differently within a theme ---------------- */

/* Per theme and group: up to 5 terms the group uses more than the other
 * groups within the theme (log-odds z > 1.96 with a prior from the
 * theme's own term frequencies, strength 100). */
static int group_terms(tx_insights *in)
{
    const tx_themes *th = in->th;
    size_t V = tx_vocab_size(tx__themes_vocab(th)), G = in->n_groups, n, i, t, g, w;
    double *cnt = NULL, *tot = NULL;
    const size_t *doc_row;
    /* The fit's term counts: the corpus is not tokenized again. */
    const tx_csr *m = tx__themes_doc_counts(th, &doc_row);
    int rc;

    if (G < 2)
        return TX_OK;
    if (!m)
        return TX_EINVAL; /* insights need the fitted model's corpus */
    n = tx_corpus_size(in->c);
    in->gterms = tx__calloc(in->ctx, in->k * G * 5 + 1, sizeof *in->gterms);
    cnt = tx__malloc(in->ctx, (G + 1) * V * sizeof *cnt);
    tot = tx__malloc(in->ctx, (G + 1) * sizeof *tot);
    rc = in->gterms && cnt && tot ? TX_OK : TX_ENOMEM;
    for (t = 0; t < in->k && rc == TX_OK; t++) {
        memset(cnt, 0, (G + 1) * V * sizeof *cnt);
        memset(tot, 0, (G + 1) * sizeof *tot);
        for (i = 0; i < n; i++) {
            size_t gi, r = doc_row[i];
            int64_t k;

            if (tx_themes_doc_theme(th, i) != (int32_t)t)
                continue;
            gi = (size_t)in->doc_group[i];
            for (k = m->indptr[r]; k < m->indptr[r + 1]; k++) {
                cnt[gi * V + (size_t)m->indices[k]] += m->data[k];
                cnt[G * V + (size_t)m->indices[k]] += m->data[k];
                tot[gi] += m->data[k];
                tot[G] += m->data[k];
            }
        }
        for (g = 0; g < G; g++) {
            double best[5] = {0};
            long bid[5] = {-1, -1, -1, -1, -1};
            double no = tot[G] - tot[g];
            if (!tot[g] || no <= 0)
                continue;
            for (w = 0; w < V; w++) {
                double yg = cnt[g * V + w], yo = cnt[G * V + w] - yg;
                double aw = 100.0 * cnt[G * V + w] / tot[G], a0 = 100.0;
                double z;
                size_t s, s2;
                if (yg < 2 || aw <= 0)
                    continue;
                z = (log((yg + aw) / (tot[g] + a0 - yg - aw)) -
                     log((yo + aw) / (no + a0 - yo - aw))) /
                    sqrt(1 / (yg + aw) + 1 / (yo + aw));
                if (z <= 1.96)
                    continue;
                /* keep the five best, ties to the lower term id */
                for (s = 0; s < 5 && (bid[s] >= 0 && best[s] >= z); s++)
                    ;
                if (s == 5)
                    continue;
                for (s2 = 4; s2 > s; s2--) {
                    best[s2] = best[s2 - 1];
                    bid[s2] = bid[s2 - 1];
                }
                best[s] = z;
                bid[s] = (long)w;
            }
            for (w = 0; w < 5; w++)
                in->gterms[(t * G + g) * 5 + w] =
                    bid[w] >= 0 ? tx_vocab_surface(tx__themes_vocab(th), (size_t)bid[w])
                                : NULL;
        }
    }
    tx_free(in->ctx, cnt);
    tx_free(in->ctx, tot);
    return rc;
}

/* ---- sentiment, stage, drivers, priority ------------------------------ */

static int per_theme(tx_insights *in)
{
    size_t n = tx_corpus_size(in->c), k = in->k, i, j, t, f;
    double omin = HUGE_VAL, omax = -HUGE_VAL;
    double *s1, *s2, *sn;
    size_t *order = NULL;

    in->theme = tx__calloc(in->ctx, k + 1, sizeof *in->theme);
    s1 = tx__calloc(in->ctx, 3 * (k + 1), sizeof *s1);
    if (!in->theme || !s1) {
        tx_free(in->ctx, s1);
        return TX_ENOMEM;
    }
    s2 = s1 + k + 1;
    sn = s2 + k + 1;
    if (tx__corpus_canonical_order(in->c, &order) != TX_OK) {
        tx_free(in->ctx, s1);
        return TX_ENOMEM;
    }
    for (j = 0; j < n; j++) {
        tx_doc d;
        int32_t th;
        size_t e;
        struct tx__theme_insight *x;

        i = order[j];
        tx_corpus_doc(in->c, i, &d);
        if (d.has_outcome) {
            in->has_outcome = 1;
            omin = fmin(omin, d.outcome);
            omax = fmax(omax, d.outcome);
        }
        in->journey_n[in->doc_stage[i]]++;
        in->journey_sum[in->doc_stage[i]] += in->sent[i].score;
        /* every theme the document speaks of, each once */
        for (e = in->dt_first[i]; e < in->dt_first[i + 1]; e++) {
            th = in->dt[e];
            x = &in->theme[th];
            x->n++;
            x->sentiment += in->sent[i].score;
            x->negative += in->sent[i].score < -0.05;
            x->friction_n[in->sent[i].friction]++;
            x->stage_n[in->doc_stage[i]]++;
            x->stage_weight += stage_weight(in->doc_stage[i]);
            if (d.has_outcome) {
                s1[th] += d.outcome;
                s2[th] += d.outcome * d.outcome;
                sn[th]++;
            }
        }
    }
    in->outcome_range = in->has_outcome ? omax - omin : 0;
    {
        double all1 = 0, all2 = 0, alln = 0;
        for (j = 0; j < n; j++) {
            tx_doc d;
            tx_corpus_doc(in->c, order[j], &d);
            if (d.has_outcome) {
                all1 += d.outcome;
                all2 += d.outcome * d.outcome;
                alln++;
            }
        }
        for (t = 0; t < k; t++) {
            struct tx__theme_insight *x = &in->theme[t];
            double nw = sn[t], no = alln - nw, mw, mo, vw, vo;
            if (x->n) {
                x->sentiment /= (double)x->n;
                x->stage_weight /= (double)x->n;
            }
            /* the most frequent kind among the complaints (none if no
             * complaint names one) */
            for (f = 1; f < TX_FRICTION_COUNT; f++)
                if (x->friction_n[f] &&
                    (x->friction == TX_FRICTION_NONE ||
                     x->friction_n[f] > x->friction_n[x->friction]))
                    x->friction = (int)f;
            for (f = 1; f < TX_STAGE_COUNT; f++)
                if (x->stage_n[f] &&
                    (x->stage == TX_STAGE_UNKNOWN ||
                     x->stage_n[f] > x->stage_n[x->stage]))
                    x->stage = (int)f;
            x->impact = NAN;
            x->impact_low = x->impact_high = NAN;
            if (nw >= 2 && no >= 2) {
                mw = s1[t] / nw;
                mo = (all1 - s1[t]) / no;
                vw = (s2[t] - nw * mw * mw) / (nw - 1);
                vo = (all2 - s2[t] - no * mo * mo) / (no - 1);
                x->mean_with = mw;
                x->mean_without = mo;
                x->n_with = (size_t)nw;
                x->n_without = (size_t)no;
                x->impact = mw - mo;
                tx_stats_welch(mw, vw > 0 ? vw : 0, nw, mo, vo > 0 ? vo : 0, no,
                         &x->impact_low, &x->impact_high);
            }
        }
    }
    /* priority = 100 x share x (0.5 + severity) x stage weight, severity
     * from negativity and, when an outcome is known, its impact */
    for (t = 0; t < k; t++) {
        struct tx__theme_insight *x = &in->theme[t];
        tx_theme_info info;
        tx_themes_theme(in->th, t, &info);
        x->negativity = x->sentiment < 0 ? -x->sentiment : 0;
        x->severity = x->negativity;
        x->impact_norm = NAN;
        if (!isnan(x->impact) && in->outcome_range > 0) {
            double v = -x->impact / (0.25 * in->outcome_range);
            x->impact_norm = v < 0 ? 0 : v > 1 ? 1 : v;
            x->severity = (x->negativity + x->impact_norm) / 2;
        }
        x->priority = 100.0 * info.share * (0.5 + x->severity) *
                      (x->stage_weight > 0 ? x->stage_weight : 1);
    }
    tx_free(in->ctx, s1);
    tx_free(in->ctx, order);
    return TX_OK;
}

/* ---- trends ------------------------------------------------------------ */

/* The period of a time value: "YYYY-MM" for values that start with a
 * date, else the value itself when `raw`, else NULL (not counted). */
static const char *period_of(const char *t, int raw, char *key, size_t cap)
{
    size_t l;

    if (!t || !*t)
        return NULL;
    if (strlen(t) >= 7 && t[0] >= '0' && t[0] <= '9' && t[1] >= '0' &&
        t[1] <= '9' && t[2] >= '0' && t[2] <= '9' && t[3] >= '0' &&
        t[3] <= '9' && (t[4] == '-' || t[4] == '/') && t[5] >= '0' &&
        t[5] <= '1' && t[6] >= '0' && t[6] <= '9') {
        memcpy(key, t, 7);
        key[4] = '-';
        key[7] = '\0';
        return key;
    }
    if (!raw)
        return NULL;
    l = strlen(t) < cap - 1 ? strlen(t) : cap - 1;
    memcpy(key, t, l);
    key[l] = '\0';
    return key;
}

static int trends(tx_insights *in)
{
    size_t n = tx_corpus_size(in->c), i, cap = 0, t, P;
    int32_t *doc_period;
    double *p, *q;
    char key[64];
    int raw = 1;

    doc_period = tx__malloc(in->ctx, (n + 1) * sizeof *doc_period);
    if (!doc_period)
        return TX_ENOMEM;
    /* dates when any value is a date (the others are left out and
     * counted), else the values as written, in string order */
    for (i = 0; i < n && raw; i++) {
        tx_doc d;
        tx_corpus_doc(in->c, i, &d);
        if (period_of(d.time, 0, key, sizeof key))
            raw = 0;
    }
    for (i = 0; i < n; i++) {
        tx_doc d;
        const char *k;
        tx_corpus_doc(in->c, i, &d);
        doc_period[i] = -1;
        k = period_of(d.time, raw, key, sizeof key);
        if (!k) {
            in->time_unparsed += d.time && *d.time;
            continue;
        }
        if (find_name(in->periods, in->n_periods, k) < 0) {
            if (tx__grow(in->ctx, (void **)&in->periods, &cap,
                         in->n_periods + 1, sizeof *in->periods) ||
                !(in->periods[in->n_periods++] = tx__strdup(in->ctx, k))) {
                tx_free(in->ctx, doc_period);
                return TX_ENOMEM;
            }
        }
    }
    if (in->n_periods)
        qsort(in->periods, in->n_periods, sizeof *in->periods, cmp_str);
    P = in->n_periods;
    in->period_n = tx__calloc(in->ctx, P + 1, sizeof *in->period_n);
    in->period_theme = tx__calloc(in->ctx, in->k * P + 1,
                                  sizeof *in->period_theme);
    p = tx__calloc(in->ctx, in->k + 1, sizeof *p);
    q = tx__calloc(in->ctx, in->k + 1, sizeof *q);
    if (!in->period_n || !in->period_theme || !p || !q) {
        tx_free(in->ctx, doc_period);
        tx_free(in->ctx, p);
        tx_free(in->ctx, q);
        return TX_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        tx_doc d;
        size_t e;
        const char *k;
        tx_corpus_doc(in->c, i, &d);
        k = period_of(d.time, raw, key, sizeof key);
        if (!k)
            continue;
        doc_period[i] = (int32_t)find_name(in->periods, P, k);
        in->period_n[doc_period[i]]++;
        for (e = in->dt_first[i]; e < in->dt_first[i + 1]; e++)
            in->period_theme[(size_t)in->dt[e] * P + (size_t)doc_period[i]]++;
    }
    /* rising: the last period's share above the one before, tested and
     * corrected across themes */
    for (t = 0; t < in->k; t++) {
        p[t] = 1;
        if (P >= 2)
            p[t] = tx_stats_compare_p((long)in->period_theme[t * P + P - 1],
                                (long)in->period_n[P - 1],
                                (long)in->period_theme[t * P + P - 2],
                                (long)in->period_n[P - 2]);
    }
    if (tx_stats_bh_qvalues(in->ctx, p, in->k, q) == TX_OK)
        for (t = 0; t < in->k; t++) {
            double last = in->period_n[P ? P - 1 : 0]
                              ? (double)in->period_theme[t * P + P - 1] /
                                    (double)in->period_n[P - 1]
                              : 0;
            double prev = P >= 2 && in->period_n[P - 2]
                              ? (double)in->period_theme[t * P + P - 2] /
                                    (double)in->period_n[P - 2]
                              : 0;
            in->theme[t].trend_p = p[t];
            in->theme[t].trend_q = q[t];
            in->theme[t].rising = P >= 2 && last > prev && q[t] < in->p.alpha;
        }
    tx_free(in->ctx, doc_period);
    tx_free(in->ctx, p);
    tx_free(in->ctx, q);
    return TX_OK;
}

/* ---- the whole computation ---------------------------------------------- */

int tx_insights_compute(tx_ctx *ctx, const tx_insights_params *p,
                        const tx_themes *th, const tx_corpus *c,
                        tx_insights **out)
{
    tx_insights_params def;
    tx_insights *in;
    struct sent_job job;
    size_t n, i;
    int rc;

    *out = NULL;
    if (!ctx || !th || !c || tx__themes_corpus(th) != c)
        return TX_EINVAL;
    tx_insights_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    in = tx__calloc(ctx, 1, sizeof *in);
    if (!in)
        return TX_ENOMEM;
    in->ctx = ctx;
    in->p = *p;
    in->th = th;
    in->c = c;
    in->k = tx_themes_k(th);
    n = tx_corpus_size(c);
    in->sent = tx__calloc(ctx, n + 1, sizeof *in->sent);
    in->doc_stage = tx__calloc(ctx, n + 1, sizeof *in->doc_stage);
    rc = in->sent && in->doc_stage ? TX_OK : TX_ENOMEM;
    job.ctx = ctx;
    job.c = c;
    job.s = in->sent;
    /* several ranks: each scores its share of the documents, then all get
     * every score */
    tx__comm_items(ctx, n, SENT_SHARE, &job.from, &job.to);
    if (rc == TX_OK)
        rc = tx__parallel(ctx, SENT_BLOCKS, sent_block, &job);
    if (tx__comm_many(ctx)) {
        void *arrays[1] = {in->sent};
        size_t sizes[1] = {sizeof *in->sent};

        rc = tx__comm_share_items(ctx, rc, n, SENT_SHARE, arrays, sizes, 1);
    }
    for (i = 0; i < n && rc == TX_OK; i++) {
        tx_doc d;
        tx_stage s;
        tx_corpus_doc(c, i, &d);
        s = tx_stage_parse(d.stage);
        in->doc_stage[i] = (int)(s != TX_STAGE_UNKNOWN ? s : in->sent[i].stage);
        in->stage_unparsed += s == TX_STAGE_UNKNOWN && d.stage && *d.stage;
    }
    if (rc == TX_OK)
        rc = setup_groups(in);
    if (rc == TX_OK)
        rc = theme_lists(in);
    if (rc == TX_OK)
        rc = count_units(in);
    if (rc == TX_OK)
        rc = count_sub_units(in);
    if (rc == TX_OK)
        rc = compare(in);
    if (rc == TX_OK)
        rc = per_theme(in);
    if (rc == TX_OK)
        rc = trends(in);
    if (rc == TX_OK)
        rc = group_terms(in);
    if (rc != TX_OK) {
        tx_insights_free(in);
        return rc;
    }
    *out = in;
    return TX_OK;
}

void tx_insights_free(tx_insights *in)
{
    size_t i;

    if (!in)
        return;
    for (i = 0; i < in->n_groups; i++)
        tx_free(in->ctx, in->groups[i]);
    for (i = 0; i < in->n_periods; i++)
        tx_free(in->ctx, in->periods[i]);
    tx_free(in->ctx, in->groups);
    tx_free(in->ctx, in->dt_first);
    tx_free(in->ctx, in->dt);
    tx_free(in->ctx, in->periods);
    tx_free(in->ctx, in->period_n);
    tx_free(in->ctx, in->period_theme);
    tx_free(in->ctx, in->doc_group);
    tx_free(in->ctx, in->doc_resp);
    tx_free(in->ctx, in->units);
    tx_free(in->ctx, in->units_in);
    tx_free(in->ctx, in->docs_in);
    tx_free(in->ctx, in->rows);
    tx_free(in->ctx, in->sub_units_in);
    tx_free(in->ctx, in->sub_docs_in);
    tx_free(in->ctx, in->sub_rows);
    tx_free(in->ctx, in->gterms);
    tx_free(in->ctx, in->theme);
    tx_free(in->ctx, in->sent);
    tx_free(in->ctx, in->doc_stage);
    tx_free(in->ctx, in);
}

size_t tx_insights_groups(const tx_insights *in) { return in->n_groups; }

/* A comparison row from its groups on: ",group_a,group_b,...". */
static void write_cmp_row(const tx_insights *in, const struct tx__cmp_row *x,
                          FILE *f)
{
    fputc(',', f);
    tx__csv_field_n(f, in->groups[x->a], strlen(in->groups[x->a]));
    fputc(',', f);
    tx__csv_field_n(f, in->groups[x->b], strlen(in->groups[x->b]));
    fprintf(f, ",%.4f,%.4f,%.4f,%.4f,%.4f,%.4g,%.4g,%d\n", x->share_a,
            x->share_b, x->diff, x->ci_low, x->ci_high, x->p, x->q,
            x->significant);
}

int tx_insights_write_compare(const tx_insights *in, FILE *f)
{
    size_t r;

    fputs("theme,group_a,group_b,share_a,share_b,diff,ci_low,ci_high,p,q,"
          "significant\n", f);
    for (r = 0; r < in->n_rows; r++) {
        fprintf(f, "%zu", in->rows[r].theme);
        write_cmp_row(in, &in->rows[r], f);
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

size_t tx_insights_subtheme_rows(const tx_insights *in)
{
    return in->n_sub_rows;
}

int tx_insights_write_compare_subthemes(const tx_insights *in, FILE *f)
{
    size_t r;

    fputs("subtheme,theme,group_a,group_b,share_a,share_b,diff,ci_low,"
          "ci_high,p,q,significant\n", f);
    for (r = 0; r < in->n_sub_rows; r++) {
        size_t s = in->sub_rows[r].theme;

        fprintf(f, "%zu,%d", s, (int)tx_themes_subtheme_parent(in->th, s));
        write_cmp_row(in, &in->sub_rows[r], f);
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

static int write_document(void *ud, FILE *f, size_t i)
{
    const tx_insights *in = ud;
    tx_doc d;
    char num[48], *p = num;
    const char *stage = tx_stage_name(in->doc_stage[i]),
               *friction = tx_friction_name(in->sent[i].friction);

    tx_corpus_doc(in->c, i, &d);
    tx__csv_field_n(f, d.id, strlen(d.id));
    *p++ = ',';
    p = tx__put_int(p, tx_themes_doc_theme(in->th, i));
    *p++ = ',';
    fwrite(num, 1, (size_t)(p - num), f);
    tx__csv_field_n(f, in->groups[in->doc_group[i]],
                    strlen(in->groups[in->doc_group[i]]));
    fputc(',', f);
    fputs(stage, f);
    p = num;
    *p++ = ',';
    p = tx__put_fixed(p, in->sent[i].score, 3);
    *p++ = ',';
    fwrite(num, 1, (size_t)(p - num), f);
    fputs(friction, f);
    fputc('\n', f);
    return TX_OK;
}

int tx_insights_write_documents(const tx_insights *in, FILE *f)
{
    int rc;

    fputs("id,theme,group,stage,sentiment,friction\n", f);
    rc = tx__write_rows(in->ctx, f, tx_corpus_size(in->c), write_document,
                        (void *)in);
    return rc != TX_OK ? rc : ferror(f) ? TX_EIO : TX_OK;
}

/* Theme order by priority, highest first (ties: lower theme id). */
int tx__insights_order(const tx_insights *in, size_t *order)
{
    size_t i, j;

    for (i = 0; i < in->k; i++)
        order[i] = i;
    for (i = 1; i < in->k; i++) {
        size_t v = order[i];
        for (j = i; j > 0 && in->theme[order[j - 1]].priority <
                                 in->theme[v].priority; j--)
            order[j] = order[j - 1];
        order[j] = v;
    }
    return TX_OK;
}

/* ---- what the report writers read (tx_insights_read.h) ---- */

void tx__insights_shape_of(const tx_insights *in, tx__insights_shape *out)
{
    *out = (tx__insights_shape){
        .k = in->k,
        .groups = in->n_groups,
        .rows = in->n_rows,
        .sub_rows = in->n_sub_rows,
        .periods = in->n_periods,
        .time_unparsed = in->time_unparsed,
        .stage_unparsed = in->stage_unparsed,
        .has_outcome = in->has_outcome != 0,
        .by_document = in->p.unit == TX_UNIT_DOCUMENT,
        .has_group_terms = in->gterms != NULL,
    };
}

const tx_themes *tx__insights_themes(const tx_insights *in) { return in->th; }

const tx_corpus *tx__insights_corpus(const tx_insights *in) { return in->c; }

const struct tx__theme_insight *tx__insights_theme(const tx_insights *in,
                                                   size_t t)
{
    return &in->theme[t];
}

const struct tx__cmp_row *tx__insights_row(const tx_insights *in, size_t r)
{
    return &in->rows[r];
}

const struct tx__cmp_row *tx__insights_sub_row(const tx_insights *in,
                                               size_t r)
{
    return &in->sub_rows[r];
}

size_t tx__insights_sub_units_in(const tx_insights *in, size_t s, size_t g)
{
    return in->sub_units_in[s * in->n_groups + g];
}

size_t tx__insights_sub_docs_in(const tx_insights *in, size_t s, size_t g)
{
    return in->sub_docs_in[s * in->n_groups + g];
}

const char *tx__insights_group(const tx_insights *in, size_t g)
{
    return in->groups[g];
}

size_t tx__insights_group_units(const tx_insights *in, size_t g)
{
    return in->units[g];
}

size_t tx__insights_units_in(const tx_insights *in, size_t t, size_t g)
{
    return in->units_in[t * in->n_groups + g];
}

size_t tx__insights_docs_in(const tx_insights *in, size_t t, size_t g)
{
    return in->docs_in[t * in->n_groups + g];
}

const char *const *tx__insights_group_terms(const tx_insights *in, size_t t,
                                            size_t g)
{
    return in->gterms ? in->gterms + (t * in->n_groups + g) * 5 : NULL;
}

size_t tx__insights_stage_docs(const tx_insights *in, int stage)
{
    return in->journey_n[stage];
}

double tx__insights_stage_sentiment(const tx_insights *in, int stage)
{
    return in->journey_n[stage]
               ? in->journey_sum[stage] / (double)in->journey_n[stage]
               : NAN;
}

const char *tx__insights_period(const tx_insights *in, size_t q)
{
    return in->periods[q];
}

size_t tx__insights_period_docs(const tx_insights *in, size_t q)
{
    return in->period_n[q];
}

size_t tx__insights_period_theme(const tx_insights *in, size_t t, size_t q)
{
    return in->period_theme[t * in->n_periods + q];
}
