/*
 * The root-cause map: symptom spans and cause spans of a corpus, each
 * clustered into themes with the themes pipeline, and for every symptom
 * theme the cause themes customers state for it (and how often they state
 * none).
 *
 * Symptoms are the effect spans of causal sentences and the whole of
 * complaint sentences that state no cause.
 */
#include "tx_internal.h"
#include "tx_causemap_private.h"
#include "input/tx_input.h"
#include "text/tx_text_private.h"
#include "tx_causes_model.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct span_ref {
    size_t sent;  /* index into map->s */
    size_t doc;   /* corpus document */
    float sentiment; /* symptom spans: tx_sentiment_score of the span */
    int friction;
};

struct tx_causemap {
    tx_ctx *ctx;
    const tx_corpus *c;
    tx_cause_sentence *s;  /* sentences of all documents, in corpus order */
    size_t n_s;
    size_t *first;         /* document d: s[first[d] .. first[d + 1]) */
    struct span_ref *sym, *cau;
    size_t n_sym, n_cau;
    tx_corpus *sym_c, *cau_c;
    tx_themes *sym_th, *cau_th;
    size_t k_sym, k_cau;
    size_t *links;         /* (k_cau + 1) x k_sym; row k_cau: no cause */
    size_t *sym_size;
    double *sym_sentiment; /* per symptom theme: mean of its spans */
    int *sym_friction;     /* per symptom theme: most frequent kind */
    int32_t *sent_cause;   /* per sentence: its cause theme or -1 */
    int cue_spans;
    size_t n_foreign;      /* documents read as another language */
    const char *foreign;   /* the first one's language, or NULL */
};

void tx_causemap_params_init(tx_causemap_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    tx_cause_params_init(&p->detect);
    tx_themes_params_init(&p->themes);
    p->cluster = 1;
}

struct detect_job {
    tx_ctx *ctx;
    const tx_cause_model *m;
    const tx_cause_params *p;
    const tx_corpus *c;
    tx_cause_sentence **out;
    size_t *n;
    unsigned char *lang;   /* per document: 0 English or unknown, else 1 +
                              the guessed language's index (255: none) */
};

/* Each document's language is guessed once: the detector passes over
 * other languages, and the map counts them. */
static int detect_doc(void *arg, size_t i)
{
    struct detect_job *j = arg;
    const char *guess;
    size_t k;
    tx_doc d;

    tx_corpus_doc(j->c, i, &d);
    guess = tx_text_guess_language(d.text, d.len);
    j->lang[i] = 0;
    if (guess && strcmp(guess, "english") != 0) {
        for (k = 0; tx__guess_language_name(k) &&
                    tx__guess_language_name(k) != guess && k < 254;
             k++)
            ;
        j->lang[i] = (unsigned char)(tx__guess_language_name(k) ? k + 1
                                                                : 255);
    }
    return tx__cause_detect_as(j->ctx, j->m, j->p, d.text, d.len,
                               j->lang[i] != 0, &j->out[i], &j->n[i]);
}

/* Every document's sentences into job->out and job->n. With several
 * ranks, each detects its share of the documents and the ranks exchange
 * what they found (per document: a count, then the sentences), so every
 * rank ends with all of it, as one process would. */
static int detect_all(tx_ctx *ctx, struct detect_job *job, size_t n)
{
    size_t from, to, i, R = (size_t)ctx->comm.ranks, r, len;
    tx__wire w = {ctx, NULL, 0, 0, TX_OK};
    tx__unwire u;
    char *all = NULL;
    int rc;

    if (!tx__comm_many(ctx))
        return tx__parallel(ctx, n, detect_doc, job);
    tx__comm_share(n, ctx->comm.rank, ctx->comm.ranks, &from, &to);
    tx__comm_solo(ctx, true);
    rc = tx__parallel_range(ctx, from, to, detect_doc, job);
    tx__comm_solo(ctx, false);
    for (i = from; rc == TX_OK && i < to; i++) {
        tx__wire_u64(&w, job->n[i]);
        tx__wire_put(&w, &job->lang[i], 1);
        tx__wire_put(&w, job->out[i], job->n[i] * sizeof(tx_cause_sentence));
    }
    rc = tx__comm_exchange(ctx, rc, &w, &all, &len, NULL);
    tx_free(ctx, w.b);
    u = (tx__unwire){all, all + len, rc};
    for (r = 0; r < R; r++) {
        size_t from_r, to_r;

        tx__comm_share(n, (int)r, (int)R, &from_r, &to_r);
        for (i = from_r; u.rc == TX_OK && i < to_r; i++) {
            size_t c = (size_t)tx__unwire_u64(&u);

            if (i >= from && i < to) { /* our own are in place */
                tx__unwire_get(&u, NULL, 1 + c * sizeof(tx_cause_sentence));
                continue;
            }
            tx__unwire_get(&u, &job->lang[i], 1);
            job->out[i] = c ? tx__malloc(ctx, c * sizeof(tx_cause_sentence))
                            : NULL;
            if (c && !job->out[i]) {
                u.rc = TX_ENOMEM;
                break;
            }
            job->n[i] = c;
            tx__unwire_get(&u, job->out[i], c * sizeof(tx_cause_sentence));
        }
    }
    tx_free(ctx, all);
    return tx__comm_agree(ctx, u.rc, NULL);
}

/* The effect span a sentence states and what kind it is: a symptom when
 * the sentence is a complaint (an effect of a causal one, or the whole of
 * one that states no cause), else an effect ("I ordered it because the
 * reviews were good"). Only symptoms and the causes stated for them make
 * the root-cause map. */
static tx_span effect_of(const tx_cause_sentence *s, bool *symptom)
{
    tx_span none = {0, 0};

    *symptom = s->complaint != 0;
    if (s->causal && s->effect.end > s->effect.start)
        return s->effect;
    if (!s->causal && s->complaint)
        return s->sentence;
    return none;
}

static int add_spans(tx_causemap *m)
{
    tx_corpus_params cp;
    size_t d, i;
    int rc;

    tx_corpus_params_init(&cp);
    if ((rc = tx_corpus_new(m->ctx, &cp, &m->sym_c)) != TX_OK ||
        (rc = tx_corpus_new(m->ctx, &cp, &m->cau_c)) != TX_OK)
        return rc;
    m->sym = tx__calloc(m->ctx, m->n_s + 1, sizeof *m->sym);
    m->cau = tx__calloc(m->ctx, m->n_s + 1, sizeof *m->cau);
    if (!m->sym || !m->cau)
        return TX_ENOMEM;
    for (d = 0; d < tx_corpus_size(m->c); d++) {
        tx_doc doc;
        tx_corpus_doc(m->c, d, &doc);
        for (i = m->first[d]; i < m->first[d + 1]; i++) {
            const tx_cause_sentence *s = &m->s[i];
            bool symptom;
            tx_span y = effect_of(s, &symptom);

            if (!symptom)
                continue; /* praise and plain effects: not in the map */
            if (y.end > y.start) {
                rc = tx__corpus_add_text(m->sym_c, &doc, doc.id,
                                         doc.text + y.start, y.end - y.start);
                if (rc != TX_OK)
                    return rc;
                {
                    tx_sentiment se;
                    rc = tx_sentiment_score(m->ctx, doc.text + y.start,
                                            y.end - y.start, &se);
                    if (rc != TX_OK)
                        return rc;
                    m->sym[m->n_sym].sentiment = (float)se.score;
                    m->sym[m->n_sym].friction = se.friction;
                }
                m->sym[m->n_sym].sent = i;
                m->sym[m->n_sym++].doc = d;
            }
            if (s->causal && s->cause.end > s->cause.start) {
                rc = tx__corpus_add_text(m->cau_c, &doc, doc.id,
                                         doc.text + s->cause.start,
                                         s->cause.end - s->cause.start);
                if (rc != TX_OK)
                    return rc;
                m->cau[m->n_cau].sent = i;
                m->cau[m->n_cau++].doc = d;
            }
        }
    }
    return TX_OK;
}

/* Themes of a span corpus; none when there are too few spans to group. */
static int cluster(tx_causemap *m, const tx_causemap_params *p, tx_corpus *c,
                   tx_themes **th, size_t *k)
{
    tx_themes_params tp = p->themes;
    int rc;

    *k = 0;
    if (!p->cluster || tx_corpus_size(c) < 4)
        return TX_OK;
    tp.embeddings = NULL;
    if (tp.kmeans.k == 0 && tp.k_max == 0)
        tp.k_max = tx_corpus_size(c) / 4 < 30 ? tx_corpus_size(c) / 4 : 30;
    if (tp.k_max < 2)
        tp.k_max = 2;
    rc = tx_themes_fit(m->ctx, &tp, c, th);
    if (rc == TX_ETOOLITTLE) {
        *th = NULL; /* too few spans keep any words: nothing to group */
        return TX_OK;
    }
    if (rc == TX_OK)
        *k = tx_themes_k(*th);
    return rc;
}

static int32_t span_theme(const tx_themes *th, size_t i)
{
    return th ? tx_themes_doc_theme(th, i) : -1;
}

static int link(tx_causemap *m)
{
    size_t i, j = 0, *fr, t, f;

    m->sent_cause = tx__malloc(m->ctx, (m->n_s + 1) * sizeof *m->sent_cause);
    if (!m->sent_cause)
        return TX_ENOMEM;
    for (i = 0; i < m->n_s; i++)
        m->sent_cause[i] = -1;
    for (i = 0; i < m->n_cau; i++)
        m->sent_cause[m->cau[i].sent] = span_theme(m->cau_th, i);

    m->links = tx__calloc(m->ctx, (m->k_cau + 1) * (m->k_sym + 1),
                          sizeof *m->links);
    m->sym_size = tx__calloc(m->ctx, m->k_sym + 1, sizeof *m->sym_size);
    m->sym_sentiment = tx__calloc(m->ctx, m->k_sym + 1,
                                  sizeof *m->sym_sentiment);
    m->sym_friction = tx__calloc(m->ctx, m->k_sym + 1,
                                 sizeof *m->sym_friction);
    fr = tx__calloc(m->ctx, (m->k_sym + 1) * TX_FRICTION_COUNT, sizeof *fr);
    if (!m->links || !m->sym_size || !m->sym_sentiment || !m->sym_friction ||
        !fr) {
        tx_free(m->ctx, fr);
        return TX_ENOMEM;
    }
    /* spans are in sentence order, so causes can be matched by a merge */
    for (i = 0; i < m->n_sym; i++) {
        int32_t ts = span_theme(m->sym_th, i), tc = -1;
        size_t sent = m->sym[i].sent;

        while (j < m->n_cau && m->cau[j].sent < sent)
            j++;
        if (ts < 0)
            continue;
        m->sym_size[ts]++;
        m->sym_sentiment[ts] += m->sym[i].sentiment;
        fr[(size_t)ts * TX_FRICTION_COUNT + (size_t)m->sym[i].friction]++;
        if (j < m->n_cau && m->cau[j].sent == sent)
            tc = span_theme(m->cau_th, j);
        m->links[(tc < 0 ? m->k_cau : (size_t)tc) * m->k_sym + (size_t)ts]++;
    }
    for (t = 0; t < m->k_sym; t++) {
        if (m->sym_size[t])
            m->sym_sentiment[t] /= (double)m->sym_size[t];
        for (f = 1; f < TX_FRICTION_COUNT; f++)
            if (fr[t * TX_FRICTION_COUNT + f] &&
                (m->sym_friction[t] == TX_FRICTION_NONE ||
                 fr[t * TX_FRICTION_COUNT + f] >
                     fr[t * TX_FRICTION_COUNT + (size_t)m->sym_friction[t]]))
                m->sym_friction[t] = (int)f;
    }
    tx_free(m->ctx, fr);
    return TX_OK;
}

int tx_causemap_build(tx_ctx *ctx, const tx_cause_model *model,
                      const tx_causemap_params *p, const tx_corpus *c,
                      tx_causemap **out)
{
    tx_causemap_params def;
    struct detect_job job;
    size_t n = tx_corpus_size(c), i, k;
    tx_causemap *m;
    int rc;

    *out = NULL;
    if (!ctx || !model || !c || tx__corpus_is_share(c))
        return TX_EINVAL;
    tx_causemap_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    m = tx__calloc(ctx, 1, sizeof *m);
    if (!m)
        return TX_ENOMEM;
    m->ctx = ctx;
    m->c = c;
    m->cue_spans = p->cue_spans;
    job.ctx = ctx;
    job.m = model;
    job.p = &p->detect;
    job.c = c;
    job.out = tx__calloc(ctx, n + 1, sizeof *job.out);
    job.n = tx__calloc(ctx, n + 1, sizeof *job.n);
    job.lang = tx__calloc(ctx, n + 1, sizeof *job.lang);
    m->first = tx__calloc(ctx, n + 1, sizeof *m->first);
    rc = job.out && job.n && job.lang && m->first ? detect_all(ctx, &job, n)
                                                 : TX_ENOMEM;
    for (i = 0; i < n && rc == TX_OK; i++)
        if (job.lang[i]) {
            if (!m->n_foreign++)
                m->foreign = tx__guess_language_name(job.lang[i] - 1u);
        }
    for (i = 0; i < n && rc == TX_OK; i++)
        m->n_s += job.n[i];
    if (rc == TX_OK && !(m->s = tx__malloc(ctx, (m->n_s + 1) * sizeof *m->s)))
        rc = TX_ENOMEM;
    for (i = 0, k = 0; i < n && rc == TX_OK; i++) {
        m->first[i] = k;
        if (job.n[i])
            memcpy(m->s + k, job.out[i], job.n[i] * sizeof *m->s);
        k += job.n[i];
    }
    if (rc == TX_OK)
        m->first[n] = k;
    for (i = 0; job.out && i < n; i++)
        tx_free(ctx, job.out[i]);
    tx_free(ctx, job.out);
    tx_free(ctx, job.n);
    tx_free(ctx, job.lang);
    if (rc == TX_OK)
        rc = tx__progress(ctx, "root causes", 0, 0) ? TX_EINVAL : TX_OK;
    if (rc == TX_OK)
        rc = add_spans(m);
    if (rc == TX_OK)
        rc = cluster(m, p, m->sym_c, &m->sym_th, &m->k_sym);
    if (rc == TX_OK)
        rc = cluster(m, p, m->cau_c, &m->cau_th, &m->k_cau);
    if (rc == TX_OK)
        rc = link(m);
    if (rc != TX_OK) {
        tx_causemap_free(m);
        return rc;
    }
    *out = m;
    return TX_OK;
}

void tx_causemap_free(tx_causemap *m)
{
    if (!m)
        return;
    tx_themes_free(m->sym_th);
    tx_themes_free(m->cau_th);
    tx_corpus_free(m->sym_c);
    tx_corpus_free(m->cau_c);
    tx_free(m->ctx, m->s);
    tx_free(m->ctx, m->first);
    tx_free(m->ctx, m->sym);
    tx_free(m->ctx, m->cau);
    tx_free(m->ctx, m->links);
    tx_free(m->ctx, m->sym_size);
    tx_free(m->ctx, m->sym_sentiment);
    tx_free(m->ctx, m->sym_friction);
    tx_free(m->ctx, m->sent_cause);
    tx_free(m->ctx, m);
}

size_t tx_causemap_sentences(const tx_causemap *m, size_t doc,
                             const tx_cause_sentence **out)
{
    if (!m || doc >= tx_corpus_size(m->c)) {
        *out = NULL;
        return 0;
    }
    *out = m->s + m->first[doc];
    return m->first[doc + 1] - m->first[doc];
}

/* ---- outputs ------------------------------------------------------------ */

static size_t count_sentences(const tx_causemap *m, size_t *causal)
{
    size_t i, n = 0;

    *causal = 0;
    for (i = 0; i < m->n_s; i++)
        if (m->s[i].relation == 0) {
            n++;
            *causal += m->s[i].causal != 0;
        }
    return n;
}

static void span_row(FILE *f, const tx_doc *d, size_t sent, const char *kind,
                     tx_span s, tx_span cue)
{
    tx__csv_field_n(f, d->id, strlen(d->id));
    fprintf(f, ",%zu,%s,%zu,%zu,", sent, kind, s.start, s.end);
    tx__csv_field_n(f, d->text + s.start, s.end - s.start);
    fputc(',', f);
    tx__csv_field_n(f, d->text + cue.start, cue.end - cue.start);
    fputc('\n', f);
}

int tx_causemap_write_spans(const tx_causemap *m, FILE *f)
{
    tx_span none = {0, 0};
    size_t d, i, no;

    fputs("id,sentence,kind,start,end,text,cue\n", f);
    for (d = 0; d < tx_corpus_size(m->c); d++) {
        tx_doc doc;
        tx_corpus_doc(m->c, d, &doc);
        /* sentences numbered from 1; further relations share the number */
        for (i = m->first[d], no = 0; i < m->first[d + 1]; i++) {
            const tx_cause_sentence *s = &m->s[i];
            bool symptom;
            tx_span y = effect_of(s, &symptom);

            no += s->relation == 0;
            if (y.end > y.start)
                span_row(f, &doc, no, symptom ? "symptom" : "effect", y,
                         s->cue);
            if (s->causal && s->cause.end > s->cause.start)
                span_row(f, &doc, no, "cause", s->cause, s->cue);
            if (m->cue_spans && s->causal && s->cue.end > s->cue.start)
                span_row(f, &doc, no, "cue", s->cue, none);
        }
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

int tx_causemap_write_sentences(const tx_causemap *m, FILE *f)
{
    size_t d, i, no;

    fputs("id,sentence,causal\n", f);
    for (d = 0; d < tx_corpus_size(m->c); d++) {
        tx_doc doc;
        tx_corpus_doc(m->c, d, &doc);
        for (i = m->first[d], no = 0; i < m->first[d + 1]; i++) {
            if (m->s[i].relation)
                continue;
            tx__csv_field_n(f, doc.id, strlen(doc.id));
            fprintf(f, ",%zu,%d\n", ++no, m->s[i].causal);
        }
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

static const char *theme_label(const tx_themes *th, size_t t)
{
    tx_theme_info x;
    return th && tx_themes_theme(th, t, &x) == TX_OK ? x.label : "";
}

size_t tx_causemap_other_language(const tx_causemap *m, const char **lang)
{
    if (lang)
        *lang = m ? m->foreign : NULL;
    return m ? m->n_foreign : 0;
}

size_t tx_causemap_k(const tx_causemap *m, int causes)
{
    return causes ? m->k_cau : m->k_sym;
}

const char *tx_causemap_label(const tx_causemap *m, int causes, size_t t)
{
    return theme_label(causes ? m->cau_th : m->sym_th, t);
}

size_t tx_causemap_link(const tx_causemap *m, long cause_theme,
                        size_t symptom_theme)
{
    size_t row = cause_theme < 0 ? m->k_cau : (size_t)cause_theme;
    if (symptom_theme >= m->k_sym || row > m->k_cau)
        return 0;
    return m->links[row * m->k_sym + symptom_theme];
}

size_t tx_causemap_symptom_size(const tx_causemap *m, size_t t)
{
    return t < m->k_sym ? m->sym_size[t] : 0;
}

int tx_causemap_write_links(const tx_causemap *m, FILE *f)
{
    size_t s, c;

    fputs("cause_theme,cause_label,symptom_theme,symptom_label,count,share\n",
          f);
    for (s = 0; s < m->k_sym; s++) {
        for (c = 0; c <= m->k_cau; c++) {
            size_t n = m->links[c * m->k_sym + s];
            const char *cl = c < m->k_cau ? theme_label(m->cau_th, c)
                                          : "(no stated cause)";
            if (!n)
                continue;
            fprintf(f, "%ld,", c < m->k_cau ? (long)c : -1L);
            tx__csv_field_n(f, cl, strlen(cl));
            fprintf(f, ",%zu,", s);
            tx__csv_field_n(f, theme_label(m->sym_th, s),
                            strlen(theme_label(m->sym_th, s)));
            fprintf(f, ",%zu,%.4f\n", n, (double)n / (double)m->sym_size[s]);
        }
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

/* Markdown section: each symptom theme with the causes stated for it. */
static void symptom_table(const tx_causemap *m, FILE *f)
{
    size_t s, c;

    fputs("| Symptom theme | Mentions | Sentiment | Friction | No stated "
          "cause | Stated causes (share of mentions) |\n"
          "|---|---:|---:|---|---:|---|\n", f);
    for (s = 0; s < m->k_sym; s++) {
        size_t none = m->links[m->k_cau * m->k_sym + s], shown = 0;
        size_t cap = SIZE_MAX, last = SIZE_MAX;
        double tot = (double)(m->sym_size[s] ? m->sym_size[s] : 1);

        fputs("| ", f);
        tx__md_text(f, theme_label(m->sym_th, s), 80);
        fprintf(f, " | %zu | %+.2f | %s | %.0f%% | ", m->sym_size[s],
                m->sym_sentiment[s], tx_friction_name(m->sym_friction[s]),
                100.0 * (double)none / tot);
        /* the three most stated causes, by count then theme order */
        for (shown = 0; shown < 3; shown++) {
            size_t best = SIZE_MAX, bn = 0;
            for (c = 0; c < m->k_cau; c++) {
                size_t n = m->links[c * m->k_sym + s];
                if (n > bn && n <= cap) {
                    if (n == cap && c <= last)
                        continue;
                    best = c;
                    bn = n;
                }
            }
            if (best == SIZE_MAX)
                break;
            fputs(shown ? "; " : "", f);
            tx__md_text(f, theme_label(m->cau_th, best), 80);
            fprintf(f, " (%.0f%%)", 100.0 * (double)bn / tot);
            cap = bn;
            last = best;
        }
        if (!shown)
            fputs("-", f);
        fputs(" |\n", f);
    }
    fputc('\n', f);
}

int tx_causemap_write_report(const tx_causemap *m, FILE *f)
{
    size_t n_causal, n_sent = count_sentences(m, &n_causal), i;
    size_t n_rej = tx_corpus_reject_count(m->c);

    fprintf(f, "## Symptoms and the causes customers state\n\n"
               "%zu sentences; %zu state a cause. %zu symptom spans in %zu "
               "symptom themes, %zu cause spans in %zu cause themes.\n\n",
            n_sent, n_causal, m->n_sym, m->k_sym, m->n_cau, m->k_cau);
    if (!m->k_sym)
        fputs("Too few symptom statements to group.\n\n", f);
    else
        symptom_table(m, f);
    /* Rows that are in no other file: each with why it was not read. */
    if (n_rej) {
        fprintf(f, "### Rows not read (%zu)\n\n", n_rej);
        for (i = 0; i < n_rej; i++) {
            tx_reject r;

            tx_corpus_reject(m->c, i, &r);
            fputs("- ", f);
            tx__md_text(f, r.id ? r.id : "?", 80);
            fputs(" (", f);
            tx__md_text(f, r.file, 200);
            fprintf(f, ":%ld): ", r.line);
            tx__md_text(f, r.reason, 200);
            fputc('\n', f);
        }
        fputc('\n', f);
    }
    return ferror(f) ? TX_EIO : TX_OK;
}

const tx_corpus *tx__causemap_corpus(const tx_causemap *m)
{
    return m->c;
}

int32_t tx__causemap_cause_theme(const tx_causemap *m, size_t doc, size_t i)
{
    if (doc >= tx_corpus_size(m->c) || m->first[doc] + i >= m->first[doc + 1])
        return -1;
    return m->sent_cause[m->first[doc] + i];
}

/* {"n_sentences", "n_causal", "symptom_themes": [{id, label, size,
 * no_cause_share, causes: [{cause_theme, label, count, share}]}],
 * "cause_themes": [{id, label, size}]} */
void *tx__causemap_json(const tx_causemap *m)
{
    json_t *sym = json_array(), *cau = json_array();
    size_t s, c, n_causal, n_sent = count_sentences(m, &n_causal);

    for (c = 0; c < m->k_cau; c++) {
        tx_theme_info x;
        tx_themes_theme(m->cau_th, c, &x);
        json_array_append_new(cau, json_pack("{s:I, s:s, s:I}", "id",
                                             (json_int_t)c, "label", x.label,
                                             "size", (json_int_t)x.size));
    }
    for (s = 0; s < m->k_sym; s++) {
        json_t *links = json_array();
        double tot = (double)(m->sym_size[s] ? m->sym_size[s] : 1);
        for (c = 0; c < m->k_cau; c++) {
            size_t n = m->links[c * m->k_sym + s];
            if (n)
                json_array_append_new(links, json_pack(
                    "{s:I, s:s, s:I, s:f}", "cause_theme", (json_int_t)c,
                    "label", theme_label(m->cau_th, c), "count",
                    (json_int_t)n, "share", (double)n / tot));
        }
        json_array_append_new(sym, json_pack(
            "{s:I, s:s, s:I, s:f, s:s, s:f, s:o}", "id", (json_int_t)s,
            "label", theme_label(m->sym_th, s), "size",
            (json_int_t)m->sym_size[s], "sentiment", m->sym_sentiment[s],
            "friction", tx_friction_name(m->sym_friction[s]),
            "no_cause_share",
            (double)m->links[m->k_cau * m->k_sym + s] / tot, "causes",
            links));
    }
    return json_pack("{s:I, s:I, s:o, s:o}", "n_sentences",
                     (json_int_t)n_sent, "n_causal", (json_int_t)n_causal,
                     "symptom_themes", sym, "cause_themes", cau);
}
