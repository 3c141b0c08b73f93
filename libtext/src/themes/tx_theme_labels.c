/*
 * Theme labels: contrastive terms (log-odds against the rest of the corpus
 * with an informative prior) and a short label, a phrase where one reads
 * better than single words.
 */
#include "tx_themes_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True for terms that must not be shown: placeholders in any position. */
static bool hidden_term(const char *t)
{
    return t[0] == '_' || strstr(t, " _") != NULL;
}

struct cand {
    double z;
    size_t term;
    int bigram;
    double count; /* in the theme: breaks ties, as when one theme is all */
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;

    /* z to 9 decimals, so rounding noise does not hide a tie */
    double zx = floor(x->z * 1e9 + 0.5), zy = floor(y->z * 1e9 + 0.5);

    if (zx != zy)
        return zx > zy ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->bigram != y->bigram)
        return x->bigram - y->bigram;
    return x->term < y->term ? -1 : x->term > y->term;
}

/* Puts the `keep` best of cand[0..m) first, best first, as a full sort
 * would (cmp_cand is a total order: no two candidates share a term and a
 * kind): a quickselect of the best, then a sort of those alone. A theme
 * shows 10 terms out of tens of thousands of candidates. */
static void best_first(struct cand *c, size_t m, size_t keep)
{
    size_t lo = 0, hi = m;

    if (keep < m) {
        while (hi - lo > 1) { /* c[keep - 1] ends where a sort puts it */
            struct cand pv = c[lo + (hi - lo) / 2], t;
            size_t i = lo, j = hi - 1, k;

            /* three-way partition: better, equal, worse than the pivot */
            for (k = lo; k <= j;) {
                int r = cmp_cand(&c[k], &pv);

                if (r < 0) {
                    t = c[i], c[i] = c[k], c[k] = t;
                    i++, k++;
                } else if (r > 0) {
                    t = c[j], c[j] = c[k], c[k] = t;
                    if (j-- == 0)
                        break;
                } else {
                    k++;
                }
            }
            if (keep - 1 < i)
                hi = i;
            else if (keep - 1 > j)
                lo = j + 1;
            else
                break;
        }
        m = keep;
    }
    qsort(c, m, sizeof *c, cmp_cand);
}

/* Per theme and term: counts (k x V), from rows `rows` with labels. */
static double *theme_counts(tx_ctx *ctx, const tx_csr *m, const size_t *rows,
                            const int32_t *lab, size_t n, size_t k)
{
    double *tc = tx__calloc(ctx, k * m->cols + 1, sizeof *tc);
    size_t i;
    int64_t e;

    if (!tc)
        return NULL;
    for (i = 0; i < n; i++)
        for (e = m->indptr[rows[i]]; e < m->indptr[rows[i] + 1]; e++)
            tc[(size_t)lab[i] * m->cols + (size_t)m->indices[e]] +=
                m->data[e];
    return tc;
}

/* Per-term totals over all themes, and per-theme totals. */
struct totals {
    double *term, *theme, all;
};

static int make_totals(tx_ctx *ctx, const double *tc, size_t k, size_t V,
                       struct totals *t)
{
    size_t c, w;

    t->term = tx__calloc(ctx, V + 1, sizeof *t->term);
    t->theme = tx__calloc(ctx, k + 1, sizeof *t->theme);
    t->all = 0.0;
    if (!t->term || !t->theme)
        return TX_ENOMEM;
    for (c = 0; c < k; c++)
        for (w = 0; w < V; w++) {
            t->term[w] += tc[c * V + w];
            t->theme[c] += tc[c * V + w];
            t->all += tc[c * V + w];
        }
    return TX_OK;
}

static void free_totals(tx_ctx *ctx, struct totals *t)
{
    tx_free(ctx, t->term);
    tx_free(ctx, t->theme);
}

/* Column sums of the source's rows, times `scale`. */
static double *term_sums(tx_ctx *ctx, const struct tx__term_source *s,
                         double *all)
{
    double *sum = tx__calloc(ctx, s->m->cols + 1, sizeof *sum);
    size_t i;
    int64_t e;

    *all = 0.0;
    if (!sum)
        return NULL;
    for (i = 0; i < s->n; i++)
        for (e = s->m->indptr[s->rows[i]]; e < s->m->indptr[s->rows[i] + 1];
             e++)
            sum[s->m->indices[e]] += s->m->data[e] * s->scale;
    for (i = 0; i < s->m->cols; i++)
        *all += sum[i];
    return sum;
}

int tx__term_totals_new(tx_ctx *ctx, const struct tx__term_source *u,
                        const struct tx__term_source *b,
                        struct tx__term_totals *out)
{
    out->uni = term_sums(ctx, u, &out->all_uni);
    out->bi = term_sums(ctx, b, &out->all_bi);
    return out->uni && out->bi ? TX_OK : TX_ENOMEM;
}

void tx__term_totals_free(tx_ctx *ctx, struct tx__term_totals *t)
{
    tx_free(ctx, t->uni);
    tx_free(ctx, t->bi);
}

/* The log-odds z of a term used yt times in nt (the theme's total)
 * against the rest of a whole whose term total is yw and whose total is
 * all, with the prior's share of a0 for the term; NAN where the odds are
 * not defined (a term that is all of the counts). */
static double odds_z(double yt, double nt, double yw, double all, double a0)
{
    double yr = yw - yt, nr = all - nt, aw, d;

    if (all <= 0)
        return NAN;
    aw = a0 * yw / all;
    if (nt + a0 - yt - aw <= 0 || nr + a0 - yr - aw <= 0)
        return NAN;
    d = log((yt + aw) / (nt + a0 - yt - aw)) -
        log((yr + aw) / (nr + a0 - yr - aw));
    return d / sqrt(1.0 / (yt + aw) + 1.0 / (yr + aw));
}

/* Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi
 * and Quinn 2008): how much more theme t uses a term than the rest of the
 * corpus, as a z-score; the prior (corpus frequencies, strength a0) keeps
 * rare terms from topping the list by chance. Terms the theme uses fewer
 * than `least` (at least 1) times are left out. With `all_term` and
 * `all`, a sub-theme's corpus-wide term counts and their sum, its z
 * against the corpus is added. */
static size_t score_terms(const double *tc, const struct totals *tot,
                          const struct totals *fallback,
                          const double *all_term, double all, size_t V,
                          size_t t, double a0, int bigram,
                          const tx_vocab *v, double least, struct cand *out)
{
    size_t w, m = 0;

    for (w = 0; w < V && tot->all > 0; w++) {
        double yt = tc[t * V + w], z;

        if (yt < least || hidden_term(tx_vocab_term(v, w)))
            continue;
        z = odds_z(yt, tot->theme[t], tot->term[w], tot->all, a0);
        /* A term that is all of the counts (the only phrase of a small
         * corpus) has no odds against the other terms; a phrase is then
         * measured against all words instead (`fallback`), else left out. */
        if (isnan(z) && fallback)
            z = odds_z(yt, fallback->theme[t], tot->term[w], fallback->all,
                       a0);
        if (isnan(z))
            continue;
        /* a sub-theme's z against the whole corpus is added: its siblings
         * alone would name it by words any theme uses ("day, minutes",
         * "want to know"), the corpus alone by its parent's words, shared
         * by all its siblings */
        if (all_term) {
            double zc = odds_z(yt, tot->theme[t], all_term[w], all, a0);

            if (!isnan(zc))
                z += zc;
        }
        out[m++] = (struct cand){z, w, bigram, yt};
    }
    return m;
}

static bool word_in(const char *phrase, const char *word)
{
    size_t n = strlen(word);
    const char *p = phrase;

    while ((p = strstr(p, word)) != NULL) {
        if ((p == phrase || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
        p++;
    }
    return false;
}

/* The theme's phrase made of exactly the words a and b, in either order
 * ("change pin" for "pin" and "change"), or -1. */
static long phrase_of(const struct tx__theme *x, const char *a,
                      const char *b)
{
    size_t i;

    for (i = 0; i < x->n_terms; i++)
        if (strlen(x->terms[i]) == strlen(a) + strlen(b) + 1 &&
            word_in(x->terms[i], a) && word_in(x->terms[i], b))
            return (long)i;
    return -1;
}

/* The label of a theme whose documents hold only placeholders (tweets of
 * nothing but an @handle and a link): what they hold, the most used two
 * kinds first ("(only @mentions and links)"), so the analyst reads what
 * the theme is instead of a blank. */
static char *placeholder_label(tx_ctx *ctx, const double *tc, size_t V,
                               size_t t, const tx_vocab *v)
{
    static const char *const kind[][2] = {
        {TX_TOKEN_HANDLE, "@mentions"}, {TX_TOKEN_URL, "links"},
        {TX_TOKEN_EMAIL, "email addresses"}, {TX_TOKEN_NUMBER, "numbers"},
        {TX_TOKEN_MONEY, "amounts"}, {TX_TOKEN_REDACTED, "redacted text"},
        {TX_TOKEN_BLOB, "codes"}};
    enum { K = sizeof kind / sizeof kind[0] };
    double n[K] = {0};
    size_t i, a = K, b = K;
    char l[96];

    for (i = 0; i < K; i++) {
        long w = tx_vocab_lookup(v, kind[i][0], strlen(kind[i][0]));

        if (w >= 0)
            n[i] = tc[t * V + (size_t)w];
    }
    for (i = 0; i < K; i++) /* the two most used; ties by the list */
        if (n[i] > 0 && (a == K || n[i] > n[a]))
            a = i;
    for (i = 0; i < K; i++)
        if (i != a && n[i] > 0 && (b == K || n[i] > n[b]))
            b = i;
    if (a == K)
        snprintf(l, sizeof l, "(no words)");
    else if (b == K)
        snprintf(l, sizeof l, "(only %s)", kind[a][1]);
    else
        snprintf(l, sizeof l, "(only %s and %s)", kind[a][1], kind[b][1]);
    return tx__strdup(ctx, l);
}

/* The words of a label (split at spaces and commas), at most 32 of 47
 * bytes each; returns how many. */
static size_t label_words(const char *p, char w[32][48])
{
    size_t n = 0;

    while (*p && n < 32) {
        size_t l = 0;

        while (*p == ' ' || *p == ',')
            p++;
        while (*p && *p != ' ' && *p != ',' && l < 47)
            w[n][l++] = *p++;
        while (*p && *p != ' ' && *p != ',')
            p++;
        if (l)
            w[n][l] = '\0', n++;
    }
    return n;
}

static size_t label_words_n(const char *p)
{
    char w[32][48];

    return label_words(p, w);
}

/* The same words in another order ("back, waited" and "waited, back") or
 * punctuation read as the same label. */
static bool same_words(const char *a, const char *b)
{
    char wa[32][48], wb[32][48];
    size_t na = label_words(a, wa), nb = label_words(b, wb), i, j;

    if (na != nb)
        return false;
    for (i = 0; i < na; i++) {
        for (j = 0; j < nb && strcmp(wa[i], wb[j]) != 0; j++)
            ;
        if (j == nb)
            return false;
    }
    return true;
}

/* Every word of `term` is a word of `label` ("turn lights" in "turn the
 * lights"). */
static bool holds_words(const char *label, const char *term)
{
    char wl[32][48], wt[32][48];
    size_t nl = label_words(label, wl), nt = label_words(term, wt), i, j;

    for (i = 0; i < nt; i++) {
        for (j = 0; j < nl && strcmp(wt[i], wl[j]) != 0; j++)
            ;
        if (j == nl)
            return false;
    }
    return true;
}

/* Words that say little on their own in a label: verbs of coming,
 * going, getting, giving, keeping, making, saying and taking, and "back".
 * The "charged, came" and "waited, back" named themes by them. */
static bool light_term(const char *t)
{
    static const char *const light[] = {
        "back", "came", "come", "comes", "coming", "gave", "get", "gets",
        "getting", "give", "given", "gives", "go", "goes", "going", "gone",
        "got", "gotten", "keep", "keeps", "kept", "made", "make", "makes",
        "put", "puts", "said", "say", "says", "take", "takes", "taken",
        "took", "went",
    };
    char w[32][48];
    size_t n = label_words(t, w), i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; j < sizeof light / sizeof *light; j++)
            if (strcmp(w[i], light[j]) == 0)
                break;
        if (j == sizeof light / sizeof *light)
            return false;
    }
    return n > 0;
}

/* The label from terms i0 and i1 (i1 >= n_terms: i0 alone): the best
 * phrase (word pair), unless it scores much lower than term i0; then the
 * phrase the two terms make together,
 * or the longer of the two when one holds the other's words ("top card",
 * not "top, top card"; "long wait", not "waiting, long wait": `key0` and
 * `key1` are the two terms' stems), or else both. used[] gets the shown
 * terms it is made of (-1: none). The theme has at least one term. */
static char *make_label(tx_ctx *ctx, const struct tx__theme *x,
                        size_t phrase, size_t i0, size_t i1,
                        const char *key0, const char *key1, long used[2])
{
    const char *a, *b;
    long both;
    char *l;

    used[0] = used[1] = -1;
    if (phrase < x->n_terms && x->scores[phrase] >= 0.6 * x->scores[i0]) {
        used[0] = (long)phrase;
        return tx__strdup(ctx, x->terms[phrase]);
    }
    if (i1 >= x->n_terms) {
        used[0] = (long)i0;
        return tx__strdup(ctx, x->terms[i0]);
    }
    a = x->terms[i0];
    b = x->terms[i1];
    if ((both = phrase_of(x, a, b)) >= 0) {
        used[0] = both;
        return tx__strdup(ctx, x->terms[both]);
    }
    /* stems, so a word held as written ("top" in "top card") is too */
    if (holds_words(key1, key0) || holds_words(key0, key1)) {
        used[0] = (long)(label_words_n(key1) > label_words_n(key0) ? i1 : i0);
        return tx__strdup(ctx, x->terms[used[0]]);
    }
    used[0] = (long)i0, used[1] = (long)i1;
    l = tx__malloc(ctx, strlen(a) + strlen(b) + 3);
    if (l)
        sprintf(l, "%s, %s", a, b);
    return l;
}

/* The documents of each theme, from a source's labels: theme t's are
 * docs[first[t] .. first[t + 1]), in the source's order. */
static int rows_by_theme(tx_ctx *ctx, const struct tx__term_source *u,
                         size_t k, size_t **rows, size_t **first)
{
    size_t i, t, *at;

    *rows = tx__malloc(ctx, (u->n + 1) * sizeof **rows);
    *first = tx__calloc(ctx, k + 2, sizeof **first);
    at = tx__calloc(ctx, k + 1, sizeof *at);
    if (!*rows || !*first || !at) {
        tx_free(ctx, at);
        return TX_ENOMEM;
    }
    for (i = 0; i < u->n; i++)
        (*first)[u->lab[i] + 1]++;
    for (t = 0; t < k; t++)
        (*first)[t + 1] += (*first)[t];
    for (i = 0; i < u->n; i++) {
        size_t c = (size_t)u->lab[i];

        (*rows)[(*first)[c] + at[c]++] = u->doc_of_row[u->rows[i]];
    }
    tx_free(ctx, at);
    return TX_OK;
}

/* The two terms a label is made of, to be worded from the documents: a
 * phrase's (in order) or two single terms' (in either). */
struct label_key {
    char a[TX_MAX_TOKEN * 4 + 16], b[TX_MAX_TOKEN * 4 + 16]; /* "": none */
    bool ordered;
};

static void copy_term(char *to, size_t cap, const char *t, size_t n)
{
    if (n >= cap)
        n = 0; /* too long to be a term: no wording */
    memcpy(to, t, n);
    to[n] = '\0';
}

static void key_of(struct label_key *key, const long used[2],
                   const struct cand *shown, const struct tx__term_source *u,
                   const struct tx__term_source *b)
{
    const char *t, *cut;

    key->a[0] = key->b[0] = '\0';
    if (used[0] < 0)
        return;
    if (used[1] < 0) { /* a phrase: its two terms, "card not_arriv" */
        if (!shown[used[0]].bigram)
            return;
        t = tx_vocab_term(b->v, shown[used[0]].term);
        if (!(cut = strchr(t, ' ')))
            return;
        copy_term(key->a, sizeof key->a, t, (size_t)(cut - t));
        copy_term(key->b, sizeof key->b, cut + 1, strlen(cut + 1));
        key->ordered = true;
    } else if (!shown[used[0]].bigram && !shown[used[1]].bigram) {
        t = tx_vocab_term(u->v, shown[used[0]].term);
        copy_term(key->a, sizeof key->a, t, strlen(t));
        t = tx_vocab_term(u->v, shown[used[1]].term);
        copy_term(key->b, sizeof key->b, t, strlen(t));
        key->ordered = false;
    }
}

/* Every theme's label in its own words, a theme per task, a tokenizer
 * per worker: wording[t] gets it, or NULL. */
struct wording_job {
    tx_ctx *ctx;
    tx_tokenizer **tok;
    size_t workers;
    const tx_corpus *docs;
    const size_t *rows, *first;
    const struct label_key *key;
    char **wording;
};

static int word_theme(void *arg, size_t t)
{
    const struct wording_job *j = arg;

    return tx__theme_wording(j->ctx, j->tok[t % j->workers], j->docs,
                             j->rows + j->first[t],
                             j->first[t + 1] - j->first[t], j->key[t].a,
                             j->key[t].b, j->key[t].ordered, &j->wording[t]);
}

/* The labels of xs[0..k) in their documents' words; a label made of terms
 * that is replaced is kept in plain[t], for when the wording is another
 * theme's. */
static int word_labels(tx_ctx *ctx, const tx_themes_params *p,
                       struct tx__theme *xs, size_t k,
                       const struct label_key *key,
                       const struct tx__term_source *u, char **plain)
{
    size_t workers = ctx->threads > 1 ? (size_t)ctx->threads : 1, i, t;
    tx_tokenizer **tok = tx__calloc(ctx, workers, sizeof *tok);
    char **wording = tx__calloc(ctx, k + 1, sizeof *wording);
    size_t *rows = NULL, *first = NULL;
    int rc = tok && wording ? TX_OK : TX_ENOMEM;

    if (rc == TX_OK)
        rc = rows_by_theme(ctx, u, k, &rows, &first);
    for (i = 0; rc == TX_OK && i < workers; i++)
        rc = tx_tokenizer_new(ctx, &p->tok, &tok[i]);
    if (rc == TX_OK) {
        struct wording_job j = {ctx, tok, workers, u->docs, rows, first,
                                key, wording};

        rc = tx__parallel(ctx, k, word_theme, &j);
    }
    for (t = 0; rc == TX_OK && t < k; t++)
        if (wording[t]) {
            plain[t] = xs[t].label;
            xs[t].label = wording[t];
            wording[t] = NULL;
        }
    for (t = 0; wording && t < k; t++)
        tx_free(ctx, wording[t]);
    for (i = 0; tok && i < workers; i++)
        tx_tokenizer_free(tok[i]);
    tx_free(ctx, tok);
    tx_free(ctx, wording);
    tx_free(ctx, rows);
    tx_free(ctx, first);
    return rc;
}

struct term_list {
    char *buf;
    size_t cap, len;
};

static int add_term(void *ud, const tx_token *tk)
{
    struct term_list *l = ud;

    if (l->len + tk->term_len + 2 > l->cap)
        return 1; /* full: the words so far */
    if (l->len)
        l->buf[l->len++] = ' ';
    memcpy(l->buf + l->len, tk->term, tk->term_len);
    l->len += tk->term_len;
    l->buf[l->len] = '\0';
    return 0;
}

/* The terms the fit counts in text s ("long is the wait": "long wait"),
 * space-separated in buf. */
static const char *terms_of(tx_tokenizer *tok, const char *s, char *buf,
                            size_t cap)
{
    struct term_list l = {buf, cap, 0};

    buf[0] = '\0';
    tx_tokenize(tok, s, strlen(s), add_term, &l);
    return buf;
}

static bool label_taken(const struct tx__theme *xs, size_t t,
                        const char *const *taken, const char *l)
{
    size_t u;

    for (u = 0; taken && taken[u]; u++)
        if (same_words(taken[u], l))
            return true;
    for (u = 0; u < t; u++)
        if (same_words(xs[u].label, l))
            return true;
    return false;
}

/* No two themes share a label: a theme whose label a larger theme (or a
 * label in `taken`) already has adds its own best term whose words the
 * label does not hold ("exchange rate, fee"), and more while the label is
 * still taken. */
static int distinct_label(tx_ctx *ctx, tx_tokenizer *tok,
                          struct tx__theme *xs, size_t t,
                          const char *const *taken, char **plain)
{
    struct tx__theme *x = &xs[t];
    size_t i, n = 0, pass;
    char *l, ls[512], ws[512];

    /* a wording another theme has: the label made of terms, if free */
    if (*plain && label_taken(xs, t, taken, x->label) &&
        !label_taken(xs, t, taken, *plain)) {
        tx_free(ctx, x->label);
        x->label = *plain;
        *plain = NULL;
    }

    /* terms that are not light first */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < x->n_terms && label_taken(xs, t, taken, x->label);
             i++) {
            const char *w = x->terms[i];

            if (light_term(w) != (pass == 1) || holds_words(x->label, w) ||
                strstr(x->label, w) ||
                holds_words(terms_of(tok, x->label, ls, sizeof ls),
                            terms_of(tok, w, ws, sizeof ws)))
                continue; /* no word the label lacks ("alarms set") */
            l = tx__malloc(ctx, strlen(x->label) + strlen(w) + 3);
            if (!l)
                return TX_ENOMEM;
            sprintf(l, "%s, %s", x->label, w);
            tx_free(ctx, x->label);
            x->label = l;
        }
    if (label_taken(xs, t, taken, x->label)) { /* no term left to tell it by */
        char *base = x->label;

        x->label = NULL;
        do {
            tx_free(ctx, x->label);
            if (!(x->label = tx__malloc(ctx, strlen(base) + 24))) {
                x->label = base;
                return TX_ENOMEM;
            }
            sprintf(x->label, "%s (%zu)", base, ++n + 1);
        } while (label_taken(xs, t, taken, x->label));
        tx_free(ctx, base);
    }
    return TX_OK;
}

/* The stems of shown term i ("long wait" for "long wait", "wait" for
 * "waiting"). */
static const char *stem_of(const struct cand *shown, size_t i,
                           const struct tx__term_source *u,
                           const struct tx__term_source *b)
{
    return tx_vocab_term(shown[i].bigram ? b->v : u->v, shown[i].term);
}

/* When the label x just got (from terms used[]) holds a light term: the
 * label from the best terms and phrase that are not light, in *alt (and
 * its key to word it), else *alt stays NULL. */
static int light_alternative(tx_ctx *ctx, const struct tx__theme *x,
                             const struct cand *shown, size_t phrase,
                             const long used[2],
                             const struct tx__term_source *u,
                             const struct tx__term_source *b, char **alt,
                             struct label_key *alt_key)
{
    size_t i0, i1, q;
    long alt_used[2];

    if (!(used[0] >= 0 && light_term(x->terms[used[0]])) &&
        !(used[1] >= 0 && light_term(x->terms[used[1]])))
        return TX_OK;
    for (i0 = 0; i0 < x->n_terms && light_term(x->terms[i0]); i0++)
        ;
    if (i0 == x->n_terms)
        return TX_OK; /* nothing but light terms: they stay */
    for (i1 = i0 + 1; i1 < x->n_terms && light_term(x->terms[i1]); i1++)
        ;
    for (q = phrase; q < x->n_terms; q++)
        if (shown[q].bigram && !light_term(x->terms[q]))
            break;
    *alt = make_label(ctx, x, q, i0, i1, stem_of(shown, i0, u, b),
                      i1 < x->n_terms ? stem_of(shown, i1, u, b) : "",
                      alt_used);
    if (!*alt)
        return TX_ENOMEM;
    key_of(alt_key, alt_used, shown, u, b);
    return TX_OK;
}

/* Label terms and labels of every theme from two term sources (words and
 * phrases). */
int tx__theme_describe(tx_ctx *ctx, const tx_themes_params *p,
                       struct tx__theme *xs, size_t k,
                       const char *const *taken,
                       const struct tx__term_source *u,
                       const struct tx__term_source *b,
                       const struct tx__term_totals *corpus)
{
    /* candidates put in order at first: the shown terms and spares for
     * words already inside a shown phrase */
    size_t V1 = u->m->cols, V2 = b->m->cols, t, i, m,
           few = 64 + 8 * p->n_terms;
    double *tc1 = theme_counts(ctx, u->m, u->rows, u->lab, u->n, k);
    double *tc2 = theme_counts(ctx, b->m, b->rows, b->lab, b->n, k);
    struct cand *cand = tx__malloc(ctx, (V1 + V2 + 1) * sizeof *cand);
    struct cand *shown = tx__malloc(ctx, (p->n_terms + 1) * sizeof *shown);
    struct totals t1 = {0}, t2 = {0};
    char **plain = tx__calloc(ctx, k + 1, sizeof *plain);
    struct label_key *key = tx__calloc(ctx, k + 1, sizeof *key);
    struct label_key *alt_key = tx__calloc(ctx, k + 1, sizeof *alt_key);
    char **alt = tx__calloc(ctx, k + 1, sizeof *alt);
    tx_tokenizer *tok = NULL;
    size_t n_alt = 0; /* labels given way to their light alternative */
    const double *cu = corpus ? corpus->uni : NULL,
                 *cb = corpus ? corpus->bi : NULL;
    double au = corpus ? corpus->all_uni : 0.0,
           ab = corpus ? corpus->all_bi : 0.0;
    int rc = TX_OK;

    if (!tc1 || !tc2 || !cand || !shown || !plain || !key || !alt_key ||
        !alt)
        rc = TX_ENOMEM;
    for (i = 0; rc == TX_OK && i < k * V2; i++)
        tc2[i] *= b->scale;
    if (rc == TX_OK)
        rc = make_totals(ctx, tc1, k, V1, &t1);
    if (rc == TX_OK)
        rc = make_totals(ctx, tc2, k, V2, &t2);
    for (t = 0; rc == TX_OK && t < k; t++) {
        struct tx__theme *x = &xs[t];
        size_t phrase = SIZE_MAX;
        long used[2] = {-1, -1};

        m = score_terms(tc1, &t1, NULL, cu, au, V1, t, p->prior, 0, u->v,
                        2.0, cand);
        m += score_terms(tc2, &t2, &t1, cb, ab, V2, t, p->prior, 1, b->v,
                         2.0, cand + m);
        /* a small theme of tweets may use no term twice: its words once
         * still tell it apart */
        if (m == 0)
            m = score_terms(tc1, &t1, NULL, cu, au, V1, t, p->prior, 0,
                            u->v, 1.0, cand);
        best_first(cand, m, m < few ? m : few);
        x->terms = tx__calloc(ctx, p->n_terms + 1, sizeof *x->terms);
        x->scores = tx__calloc(ctx, p->n_terms + 1, sizeof *x->scores);
        if (!x->terms || !x->scores) {
            rc = TX_ENOMEM;
            break;
        }
        /* Best first; a word already shown inside a phrase is skipped. */
        for (i = 0; i < m && x->n_terms < p->n_terms; i++) {
            const char *s;
            size_t j;
            bool dup = false;

            if (i == few) /* the few ran out: the rest in order too */
                best_first(cand + i, m - i, m - i);
            s = tx_vocab_surface(cand[i].bigram ? b->v : u->v, cand[i].term);

            for (j = 0; j < x->n_terms && !dup; j++)
                dup = word_in(x->terms[j], s);
            if (dup)
                continue;
            x->terms[x->n_terms] = tx__strdup(ctx, s);
            if (!x->terms[x->n_terms]) {
                rc = TX_ENOMEM;
                break;
            }
            if (cand[i].bigram && phrase == SIZE_MAX)
                phrase = x->n_terms;
            shown[x->n_terms] = cand[i];
            x->scores[x->n_terms++] = cand[i].z;
        }
        if (rc == TX_OK && x->n_terms == 0)
            x->label = placeholder_label(ctx, tc1, V1, t, u->v);
        else if (rc == TX_OK) {
            x->label = make_label(ctx, x, phrase, 0, 1,
                                  stem_of(shown, 0, u, b),
                                  x->n_terms > 1 ? stem_of(shown, 1, u, b)
                                                 : "",
                                  used);
            rc = x->label ? light_alternative(ctx, x, shown, phrase, used,
                                              u, b, &alt[t], &alt_key[t])
                          : TX_ENOMEM;
        }
        if (rc == TX_OK && !x->label)
            rc = TX_ENOMEM;
        if (rc == TX_OK)
            key_of(&key[t], used, shown, u, b);
    }
    if (rc == TX_OK && u->docs)
        rc = word_labels(ctx, p, xs, k, key, u, plain);
    /* A label the documents did not word, made of a light term, gives
     * way to the same made of the next terms, worded in its turn. */
    for (t = 0; rc == TX_OK && t < k; t++) {
        if (alt[t] && !plain[t]) {
            tx_free(ctx, xs[t].label);
            xs[t].label = alt[t];
            alt[t] = NULL;
            n_alt++;
        } else
            alt_key[t].a[0] = alt_key[t].b[0] = '\0';
    }
    if (rc == TX_OK && u->docs && n_alt)
        rc = word_labels(ctx, p, xs, k, alt_key, u, plain);
    if (rc == TX_OK)
        rc = tx_tokenizer_new(ctx, &p->tok, &tok);
    for (t = taken ? 0 : 1; rc == TX_OK && t < k; t++)
        rc = distinct_label(ctx, tok, xs, t, taken, &plain[t]);
    tx_tokenizer_free(tok);
    free_totals(ctx, &t1);
    free_totals(ctx, &t2);
    tx_free(ctx, tc1);
    tx_free(ctx, tc2);
    tx_free(ctx, cand);
    tx_free(ctx, shown);
    for (t = 0; plain && t < k; t++)
        tx_free(ctx, plain[t]);
    tx_free(ctx, plain);
    tx_free(ctx, key);
    for (t = 0; alt && t < k; t++)
        tx_free(ctx, alt[t]);
    tx_free(ctx, alt);
    tx_free(ctx, alt_key);
    return rc;
}
