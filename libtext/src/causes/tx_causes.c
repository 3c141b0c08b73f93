/*
 * Stated causes: which sentences state a cause, and the cause, effect and
 * cue spans (detection; the models are in tx_causes_feat.c, training in
 * tx_causes_train.c).
 *
 * Three linear models over hashed features (tx_cwords.c gives the words):
 * a logistic-regression sentence classifier, a signal tagger and a
 * cause/effect tagger (averaged structured perceptrons with Viterbi).
 * With the cue rules (the default, for customer text) a strong cue, or a
 * medium one in a complaint, makes a sentence causal and is split at;
 * sentences the models alone call causal must also show a known cue; a
 * denied cue ("not because of") states no cause and a temporal one
 * ("since Monday") no cause either.
 */
#include "tx_causes_model.h"
#include "text/tx_cwords.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- cue rules ---------------------------------------------------------- */

static bool is_punct(const tx__cword *x)
{
    return x->low_len == 1 && !((x->low[0] >= 'a' && x->low[0] <= 'z') ||
                                (x->low[0] >= '0' && x->low[0] <= '9'));
}

static bool is_comma(const tx__cword *x)
{
    return x->low_len == 1 && (x->low[0] == ',' || x->low[0] == ';');
}

/* The cue a rule would split at: the first strong cue that is neither
 * negated nor temporal, else (unless strong_only) the first such medium
 * one; -1 when none. */
long tx__cause_rule_cue(const tx__cwords *w, bool strong_only)
{
    size_t i;
    long medium = -1;

    for (i = 0; i < w->n; i++) {
        const tx__cword *x = &w->w[i];
        int st = x->strength;
        if (x->cue < 0 || x->negated || x->temporal)
            continue;
        if (st == 2)
            return (long)i;
        if (st == 1 && medium < 0 && !strong_only)
            medium = (long)i;
    }
    return medium;
}

/* Word i is the name of an @mention (the tokenizer gives "@" apart). */
static bool mention_name(const tx__cwords *w, long i)
{
    return i > 0 && strcmp(w->w[i - 1].low, "@") == 0;
}

/* Trims punctuation and connecting words from both ends of [*s, *e). */
static void trim(const tx__cwords *w, long *s, long *e)
{
    while (*s < *e && (is_punct(&w->w[*s]) ||
                       strcmp(w->w[*s].low, "and") == 0 ||
                       mention_name(w, *s)))
        (*s)++;
    while (*e > *s && (is_punct(&w->w[*e - 1]) ||
                       strcmp(w->w[*e - 1].low, "and") == 0 ||
                       strcmp(w->w[*e - 1].low, "but") == 0))
        (*e)--;
}

static bool word_is(const tx__cword *x, const char *const *list)
{
    size_t i;
    for (i = 0; list[i]; i++)
        if (strcmp(x->low, list[i]) == 0)
            return true;
    return false;
}

static bool clause_break(const tx__cword *x)
{
    return (x->low_len == 1 && (x->low[0] == ';' || x->low[0] == ':' ||
                                x->low[0] == '-')) ||
           strcmp(x->low, "--") == 0 || strcmp(x->low, "\xe2\x80\x94") == 0 ||
           strcmp(x->low, "\xe2\x80\x93") == 0;
}

/* Words that open a clause of their own after a comma. */
static bool opens_clause(const tx__cword *x)
{
    static const char *const subj[] = {"i", "we", "you", "they", "he", "she",
                                       "it", "i'm", "it's", "there",
                                       "there's", "we're", "they're", "i've",
                                       "we've", "you've", "they've", "i'd",
                                       "i'll", "we'll", NULL};
    return word_is(x, subj);
}

/* Moves *s past words that lead into a span without being part of it: a
 * greeting ("hi"), thanks up to its "for" ("Thanks @X for canceling"),
 * "once", and a report of a thought ("I was convinced that", "I felt
 * that"). */
static void skip_lead_in(const tx__cwords *w, long *s, long e)
{
    static const char *const greet[] = {"hi", "hello", "hey", "ok", "okay",
                                        "well", "also", "once", NULL};
    static const char *const mind[] = {
        "felt", "feel", "think", "thought", "believe", "believed", "guess",
        "know", "knew", "realized", "realised", "noticed", "found", "was",
        "am", "convinced", "sure", "suspect", NULL};
    long j, k;

    while (*s < e && word_is(&w->w[*s], greet))
        (*s)++;
    if (*s < e && word_is(&w->w[*s], (const char *const[]){"thanks", "thank",
                                                           "thx", NULL}))
        for (j = *s + 1; j < e && j <= *s + 4; j++)
            if (strcmp(w->w[j].low, "for") == 0) {
                *s = j + 1;
                break;
            }
    if (*s < e && word_is(&w->w[*s], (const char *const[]){"i", "we", NULL}))
        for (j = *s + 2; j < e && j <= *s + 4; j++) {
            if (strcmp(w->w[j].low, "that") != 0)
                continue;
            for (k = *s + 1; k < j && word_is(&w->w[k], mind); k++)
                ;
            if (k == j)
                *s = j + 1;
            break;
        }
}

static bool is_open_paren(const tx__cword *x)
{
    return x->low_len == 1 && (x->low[0] == '(' || x->low[0] == '[');
}

/* Drops a trailing aside in brackets and the hedges that lead into a
 * cue ("maybe", "especially") from [*s, *e). */
static void drop_asides(const tx__cwords *w, long *s, long *e)
{
    static const char *const hedges[] = {"maybe", "probably", "perhaps",
                                         "especially", "mainly", "partly",
                                         "only", "just", "simply", "all",
                                         NULL};
    long j;

    for (j = *s + 1; j < *e; j++)
        if (is_open_paren(&w->w[j])) {
            *e = j;
            break;
        }
    while (*e > *s && (word_is(&w->w[*e - 1], hedges) ||
                       is_punct(&w->w[*e - 1])))
        (*e)--;
}

/* "it's", "it was", "that is": an effect that only points elsewhere. */
static bool only_copula(const tx__cwords *w, long s, long e)
{
    static const char *const cop[] = {"it", "it's", "its", "that", "that's",
                                      "this", "is", "was", "'s", "maybe",
                                      "probably", "perhaps", NULL};
    long j;

    for (j = s; j < e; j++)
        if (!word_is(&w->w[j], cop))
            return false;
    return true;
}

/* A cue later in the sentence that starts another relation. */
static bool next_relation(const tx__cword *x)
{
    return x->cue >= 0 && x->strength > 0 && !x->negated && !x->temporal;
}

/* The first comma or clause break from word `from` on (or the end). */
static long part_end(const tx__cwords *w, long from)
{
    long n = (long)w->n;

    while (from < n && !clause_break(&w->w[from]) && !is_comma(&w->w[from]))
        from++;
    return from;
}

/* Where an effect that starts at `from` ends: at another relation, an
 * aside in brackets, "but", or a new clause after "and"; also at a clause
 * break when `breaks`, and at a comma when `comma` (a verb's object:
 * "broke face ID, thanks"). */
static long effect_end(const tx__cwords *w, long from, bool breaks,
                       bool comma)
{
    long n = (long)w->n, j;

    if (from >= n)
        return n;
    if ((breaks && clause_break(&w->w[from])) ||
        (comma && is_comma(&w->w[from])))
        return from;
    for (j = from + 1; j < n; j++) {
        const tx__cword *x = &w->w[j];
        if ((breaks && clause_break(x)) || (comma && is_comma(x)) ||
            is_open_paren(x) || next_relation(x) ||
            strcmp(x->low, "but") == 0 ||
            (strcmp(x->low, "and") == 0 && j + 1 < n &&
             opens_clause(&w->w[j + 1])))
            break;
    }
    return j;
}

/* Where a fronted cause with no comma ends ("Since the update the app is
 * slow"): before the first determiner or pronoun that follows a noun
 * while no verb has been seen, or before the first subject pronoun once
 * one has ("Because the invoice showed the old price I was charged"). */
static long fronted_end(const tx__cwords *w, long from, long n)
{
    static const char *const det[] = {"the", "my", "our", "your", "their",
                                       "this", "it", "i", "we", "they",
                                       "he", "she", "you", "everything",
                                       "nothing", NULL};
    static const char *const subj[] = {"it", "i", "we", "they", "he", "she",
                                       "you", NULL};
    static const char *const verbs[] = {
        "is", "was", "were", "are", "has", "have", "had", "did", "does",
        "do", "got", "get", "can", "could", "will", "would", "keeps", "kept",
        "went", "came", "took", "made", "broke", "said", "told", "showed",
        "changed", "stopped", "moved", "left", "sent", NULL};
    static const char *const prep[] = {"at", "in", "on", "of", "for", "to",
                                       "with", "from", "by", "about", NULL};
    bool verb = false;
    long j;

    for (j = from; j < n; j++) {
        const tx__cword *x = &w->w[j];
        if (j >= from + 2 && !word_is(&w->w[j - 1], prep) &&
            (verb ? word_is(x, subj) : word_is(x, det)))
            return j;
        if (word_is(x, verbs) || strcmp(x->cls, "#ed") == 0 ||
            strcmp(x->cls, "#ing") == 0)
            verb = true;
    }
    return n;
}

/* Cause and effect word ranges from the cue at word c. */
static void split_at_cue(const tx__cwords *w, long c, long *cs, long *ce,
                         long *es, long *ee)
{
    long n = (long)w->n, after = c + w->w[c].cue_words, j, lead = 0;

    /* punctuation, @mentions and a joining word before the first word of
     * the sentence ("But every time I try, ...") */
    while (lead < c && (is_punct(&w->w[lead]) || mention_name(w, lead) ||
                        word_is(&w->w[lead], (const char *const[]){
                            "but", "and", "also", "plus", "then", NULL})))
        lead++;
    if (strcmp(tx__cue_text(w->w[c].cue), "the reason") == 0) {
        /* "The reason I returned it is the weight" */
        for (j = after; j < n && strcmp(w->w[j].low, "is") != 0 &&
                        strcmp(w->w[j].low, "was") != 0; j++)
            ;
        if (j < n) {
            *es = after, *ee = j;
            *cs = j + 1;
            *ce = part_end(w, *cs);
            trim(w, cs, ce);
            trim(w, es, ee);
            return;
        }
    }
    if (tx__cue_forward(w->w[c].cue)) {
        /* "so small that we left": the cause holds the degree */
        if (strcmp(tx__cue_text(w->w[c].cue), "so") == 0 && c + 2 < n &&
            strcmp(w->w[c + 2].low, "that") == 0) {
            for (j = c - 1; j > 0; j--)
                if (strcmp(w->w[j].low, "but") == 0 || clause_break(&w->w[j]))
                    break;
            *cs = j > 0 ? j + 1 : 0, *ce = c + 2;
            for (j = c + 3; j < n && !clause_break(&w->w[j]) &&
                            !next_relation(&w->w[j]); j++)
                ;
            *es = c + 3, *ee = j;
            trim(w, cs, ce);
            trim(w, es, ee);
            return;
        }
        /* "X, so Y": the cause starts after a contrast or clause break,
         * or at a clause of its own after a comma ("If you carry it, it
         * bumps the button, causing ...") */
        for (j = c - 1; j > 0; j--)
            if (strcmp(w->w[j].low, "but") == 0 || clause_break(&w->w[j]) ||
                (j < c - 2 && is_comma(&w->w[j]) && opens_clause(&w->w[j + 1])))
                break;
        *cs = j > 0 ? j + 1 : 0, *ce = c;
        /* "small and that leads to", "every update has made" */
        while (*ce > *cs + 1 &&
               (word_is(&w->w[*ce - 1], (const char *const[]){
                    "that", "this", "which", "has", "have", "had", "just",
                    "really", "also", "literally", NULL})))
            (*ce)--;
        /* a verb's object ends at a comma too ("broke face ID, thanks");
         * any effect at an aside, another relation, or a new clause
         * joined by "and" or "but" ("a ruined bag and you refuse ...") */
        *es = after;
        *ee = effect_end(w, after, true, tx__cue_verb(w->w[c].cue) != 0);
        /* "is the reason that I am loyal" */
        if (*es < *ee && strcmp(w->w[*es].low, "that") == 0 &&
            tx__cue_text(w->w[c].cue)[0] != 's')
            (*es)++;
    } else if (lead == c) {
        /* "Because X, Y": the cause runs to the first comma, or to where
         * a new clause starts when that comes first */
        long f = fronted_end(w, after, n);
        for (j = after; j < n && !is_comma(&w->w[j]); j++)
            ;
        if (f < j && j == n)
            j = f; /* no comma: where the new clause starts */
        *cs = after, *ce = j;
        *es = j < n && is_comma(&w->w[j]) ? j + 1 : j;
        *ee = effect_end(w, *es, false, false);
    } else {
        /* "Y because X": the cause runs to a contrast, a clause break or
         * the end; the effect starts after one */
        for (j = after; j < n && strcmp(w->w[j].low, "but") != 0 &&
                        !clause_break(&w->w[j]) && !next_relation(&w->w[j]) &&
                        !(is_comma(&w->w[j]) && j + 1 < n &&
                          opens_clause(&w->w[j + 1]));
             j++)
            ;
        *cs = after, *ce = j;
        drop_asides(w, cs, ce);
        /* "... the shipping and that since ...": the pointing word stays
         * with what follows */
        while (*ce > *cs + 1 &&
               word_is(&w->w[*ce - 1], (const char *const[]){
                   "that", "this", "which", NULL}) &&
               strcmp(w->w[*ce - 2].low, "and") == 0)
            *ce -= 2;
        /* the effect starts after a contrast, a clause break or a comma
         * that opens the clause the cue explains ("However, location is
         * less than ideal because ..."); one that only points elsewhere
         * ("If you wrote a bad review, it's because ...") takes the
         * clause before it */
        {
            long stop = c, from;
            for (;;) {
                for (j = stop - 1; j > 0; j--)
                    if (strcmp(w->w[j].low, "but") == 0 ||
                        clause_break(&w->w[j]) ||
                        (j < stop - 1 && is_comma(&w->w[j])))
                        break;
                from = j > 0 ? j + 1 : 0;
                *es = from, *ee = stop;
                drop_asides(w, es, ee);
                trim(w, es, ee);
                if ((*ee > *es && !only_copula(w, *es, *ee)) || from == 0)
                    break;
                stop = j; /* look before the break */
            }
        }
    }

    trim(w, cs, ce);
    trim(w, es, ee);
    skip_lead_in(w, cs, *ce);
    skip_lead_in(w, es, *ee);
    trim(w, cs, ce);
    trim(w, es, ee);
}

/* A cause stated without a cue, in the one shape customers use most: a
 * decision first, its reason after a comma ("Returned it, way too small
 * in the chest", "Cancelled my plan, the price went up again"). The
 * decision is one of a few verbs of leaving or undoing, at the start of
 * the sentence (after "I" or "we"); the reason is a clause that does not
 * open with a joining word. Sets the word ranges and returns true when
 * the sentence has that shape. */
static bool implicit_cause(const tx__cwords *w, long *cs, long *ce, long *es,
                           long *ee)
{
    static const char *const acts[] = {
        "returned", "returning", "cancelled", "canceled", "cancelling",
        "switched", "switching", "uninstalled", "unsubscribed", "deleted",
        "quit", "left", "sent", "gave", "stopped", "closed", "sold",
        "moved", "refunded", "exchanged", "dumped", "ditched", NULL};
    static const char *const joiners[] = {
        "and", "but", "so", "then", "which", "who", "because", "since",
        "as", "or", "until", "after", "before", "when", "while", "though",
        "although", "thanks", "thank", "please", "pls", "if", NULL};
    static const char *const verdicts[] = {
        "best", "worst", "great", "good", "glad", "happy", "love", "loved",
        "lol", "haha", "smh", "wow", "yay", "finally", NULL};
    long n = (long)w->n, s = 0, j;

    while (s < n && (is_punct(&w->w[s]) || mention_name(w, s)))
        s++;
    if (s < n && word_is(&w->w[s], (const char *const[]){"i", "we", "just",
                                                          "finally", NULL}))
        s++;
    if (s >= n || !word_is(&w->w[s], acts))
        return false;
    for (j = s + 1; j < n && !is_comma(&w->w[j]); j++)
        if (w->w[j].cue >= 0 && w->w[j].strength > 0)
            return false; /* a cued relation: the rules handle it */
    if (j + 2 >= n || j - s > 6 || word_is(&w->w[j + 1], joiners) ||
        w->w[j + 1].cue >= 0)
        return false;
    /* "Switched to X, best decision ever" judges the act; it gives no
     * reason ("no regrets" neither) */
    if (strcmp(w->w[j + 1].low, "no") == 0
            ? word_is(&w->w[j + 2], (const char *const[]){
                  "regrets", "regret", "complaints", "problem", "problems",
                  NULL})
            : word_is(&w->w[j + 1], verdicts))
        return false;
    *es = s, *ee = j;
    *cs = j + 1;
    *ce = part_end(w, *cs);
    trim(w, cs, ce);
    trim(w, es, ee);
    return *ce - *cs >= 2;
}

/* ---- complaints ---------------------------------------------------------- */

/* Words that make a sentence a complaint, written for this project; a
 * negated positive word ("not helpful") counts too. */
static const char *const complaint_words[] = {
    "broken", "broke", "break", "breaks", "crash", "crashes", "crashed",
    "crashing", "slow", "slower", "late", "delayed", "delay", "delays",
    "wrong", "error", "errors", "fail", "failed", "fails", "failing",
    "failure", "bad", "terrible", "awful", "horrible", "worst", "worse",
    "poor", "rude", "unhelpful", "useless", "annoying", "annoyed",
    "frustrating", "frustrated", "confusing", "confused", "difficult",
    "impossible", "stuck", "lost", "missing", "overcharged", "charged",
    "refund", "cancelled", "canceled", "complaint", "problem", "problems",
    "issue", "issues", "bug", "bugs", "glitch", "freezes", "froze",
    "frozen", "unable", "can't", "cannot", "couldn't", "won't", "didn't",
    "doesn't", "nobody", "nothing", "again", "still", "waiting", "waited",
    "disappointed", "disappointing", "unacceptable", "ridiculous", "angry",
    "upset", "worried", "scared", "nightmare", "hassle", "mess", "damaged",
    "declined", "rejected", "locked", "blocked", "expensive", "overpriced",
    "hidden", "fee", "fees", "forever", "repeat", "repeating", "transferred",
    "ignored", "unanswered", "keeps", "kept", "never", "lack", "lacking",
    "outage", "down", "stopped", "wasted", "waste", "unclear", "hard",
    "tricky", "mistake", "incorrect", "twice", "disconnected", "logged",
    "spam", "scam", "unreliable", "buggy", "laggy", "lag", "hate", "hated",
    "struggle", "struggled", "struggling", "chase", "chasing", "nowhere",
    "nonexistent", "denied", "penalty", "penalised", "penalized", "bounced",
    "timed", "timeout", "ache", "aches", "hurt", "hurts", "pain",
    "painful", "sore", "itchy", "rash", "uncomfortable", "no", "not", "n't",
    NULL};
static const char *const positive_words[] = {
    "great", "good", "love", "loved", "excellent", "amazing", "helpful",
    "easy", "quick", "fast", "friendly", "perfect", "smooth", "happy",
    "thanks", "thank", "awesome", "fantastic", "brilliant", "clear",
    "simple", "pleased", "wonderful", "best", "nice", "fine", "solved",
    "resolved", "fixed", NULL};

static tx__wordset complaint_set, positive_set;
static int lexicon_ok;
static pthread_once_t lexicon_once = PTHREAD_ONCE_INIT;

static void lexicon_build(void)
{
    lexicon_ok = tx__wordset_init(&complaint_set, complaint_words) == TX_OK &&
                 tx__wordset_init(&positive_set, positive_words) == TX_OK;
}

static bool listed(const tx__wordset *set, const tx__cword *x)
{
    return tx__wordset_has(set, x->h_low);
}

/* With complaint words and no praise, a sentence is a complaint at this
 * share of the classifier's threshold. The classifier learnt from tweets
 * and misses short product complaints ("Since Monday the app crashes");
 * on the X-CI folds (bench/causes.sh, which reports them) 1.0 gives F1
 * 0.754, 0.85 0.747, 0.7 0.739, 0.5 0.730: 0.85 is the largest step down
 * that catches such complaints and stays above scikit-learn (0.742). */
#define COMPLAINT_WORDS_BAR 0.85

static bool fix_word(const tx__cword *x)
{
    static const char *const fixes[] = {"solved", "fixed", "resolved",
                                        "sorted", "solve", "fix", "resolve",
                                        NULL};
    return word_is(x, fixes);
}

void tx__complaint_counts(const tx__cwords *w, long *neg_out, long *pos_out)
{
    long neg = 0, pos = 0;
    size_t i;

    *neg_out = *pos_out = 0;
    pthread_once(&lexicon_once, lexicon_build);
    if (!lexicon_ok)
        return;
    for (i = 0; i < w->n; i++) {
        const tx__cword *x = &w->w[i];
        bool negated = (i > 0 && tx__cword_is_negator(&w->w[i - 1])) ||
                       (i > 1 && tx__cword_is_negator(&w->w[i - 2]));

        /* the problem a fix was for is no complaint: "solved my
         * problem", "fixed the issue" */
        bool fixed = (i > 0 && fix_word(&w->w[i - 1])) ||
                     (i > 1 && fix_word(&w->w[i - 2]));

        if (listed(&positive_set, x))
            negated ? neg++ : pos++;
        else if (listed(&complaint_set, x) && !fixed)
            neg++;
    }
    *neg_out = neg;
    *pos_out = pos;
}

/* Whether a sentence reads as a complaint: the model's complaint
 * classifier when it has one, else more complaint words than positive
 * ones. */
static int complaint(const tx_cause_model *m, struct tx__cwork *k, bool *out,
                     bool *words)
{
    const tx__cwords *w = &k->words;
    long neg, pos;
    int rc;

    tx__complaint_counts(w, &neg, &pos);
    *words = neg > pos;
    if (m->cmp) {
        rc = tx__complaint_features(w, neg, pos, &k->cv);
        if (rc != TX_OK)
            return rc;
        /* praise that names the problem it solved ("solved my problem
         * in five minutes") is not a complaint */
        double pr = sigmoid(tx__cause_weights_score(m, m->cmp, &k->cv) +
                            m->cmp_bias);
        /* the word lists lower the bar: a complaint word with no praise
         * to outweigh it needs less of the classifier's confidence
         * ("Since Monday the app crashes", which tweets rarely say) */
        *out = (pr >= m->cmp_threshold ||
                (*words && pr >= COMPLAINT_WORDS_BAR * m->cmp_threshold)) &&
               !(pos > neg);
        return TX_OK;
    }
    *out = *words;
    return TX_OK;
}

/* ---- detection ------------------------------------------------------------ */

void tx_cause_params_init(tx_cause_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->threshold = -1;
    p->rules = 1;
    p->relations = 1;
}

static tx_span word_span(const tx__cwords *w, long s, long e)
{
    tx_span r = {0, 0};
    if (s >= 0 && e > s) {
        r.start = w->w[s].start;
        r.end = w->w[e - 1].end;
    }
    return r;
}

/* The cause and effect spans relative to the signal [ss, se), whose
 * word features are in k->tf, and how sure the tagger is of them: one of
 * each from the pair decoder, or for a sentence of one word the word tags
 * (into `tags`, scratch of n). */
static int span_pair(const tx_cause_model *m, struct tx__cwork *k, long ss,
                     long se, int *tags, long *cs, long *ce, long *es,
                     long *ee, double *margin)
{
    const tx__cwords *w = &k->words;
    long sp[4];
    int rc;

    if (w->n < 2) {
        *margin = tx__cause_viterbi(&m->ce, &k->tf, w->n, k->sc, k->bp, tags,
                                    NULL);
        tx__cause_first_run(tags, w->n, 1, cs, ce);
        tx__cause_first_run(tags, w->n, 3, es, ee);
        return TX_OK;
    }
    if ((rc = tx__cause_boundary_feats(k, ss, se)) != TX_OK ||
        (rc = tx__cause_pair_decode(&m->ce, &k->tf, k->bf, k->commas, w->n,
                                    ss, se, k, sp, margin)) != TX_OK)
        return rc;
    *cs = sp[0];
    *ce = sp[1];
    *es = sp[2];
    *ee = sp[3];
    return TX_OK;
}

/* Signals the tagger nearly chose, tried after the firm candidates for
 * further relations (5-fold CV on CNC train, span F1: 0.470 with none,
 * 0.477 with 2 or 4). */
#define NEAR_MAX 4
/* A sentence in which the signal tagger tags no signal takes the one it
 * nearly chose when that fell short by less than this (in the tagger's
 * score units, as trained by default). By 5-fold CV on CNC train, span
 * F1: 0.477 never, 0.481 below 3, 0.483 6, 0.488 10, 0.488 15, 0.483
 * 30; always taking one: CNC dev 0.493 -> 0.466. */
#define NEAR_FIRST 10.0

/* Detection in one sentence text[a, b). */
static int detect_one(const tx_cause_model *m, const tx_cause_params *p,
                      struct tx__cwork *k, const char *text, size_t a, size_t b,
                      tx_cause_sentence *out, double *margin)
{
    tx__cwords *w = &k->words;
    double thr = p->threshold >= 0 ? p->threshold : m->threshold;
    long ss = -1, se = -1, cs = -1, ce = -1, es = -1, ee = -1, cue, rcue;
    int rc;

    memset(out, 0, sizeof *out);
    out->sentence.start = a;
    out->sentence.end = b;
    rc = tx__cwords_split(w, text, a, b);
    if (rc != TX_OK)
        return rc;
    if (!w->n)
        return TX_OK;
    k->sv.n = 0;
    if ((rc = tx__cause_sentence_features(w, &k->sv)) != TX_OK ||
        (rc = tx__cause_relation_features(&m->det, &m->sdet, k, &k->sv)) != TX_OK)
        return rc;
    out->score = (float)sigmoid(tx__cause_clf_score(m, &k->sv) + m->clf_bias);
    out->causal = out->score >= thr;
    /* cue rules: a strong cue states a cause; so does a medium one
     * ("since", "after", "so") in a complaint, where it names what the
     * customer blames ("stopped working after the update") */
    {
        bool said, words;
        if ((rc = complaint(m, k, &said, &words)) != TX_OK)
            return rc;
        out->complaint = said;
        /* a medium cue needs a complaint around it; the word lists catch
         * ones the classifier (trained on tweets) misses in reviews */
        rcue = p->rules ? tx__cause_rule_cue(w, !said && !words) : -1;
    }
    if (rcue >= 0)
        out->causal = 1;
    if (p->rules && rcue < 0 && implicit_cause(w, &cs, &ce, &es, &ee)) {
        out->causal = 1;
        out->cause = word_span(w, cs, ce);
        out->effect = word_span(w, es, ee);
        return TX_OK;
    }
    if (!out->causal)
        return TX_OK;
    if ((rc = tx__cause_work_reserve(k, m->ctx, w->n)) != TX_OK)
        return rc;
    /* signal: the tagger's (on k->tf0, made with the classifier's
     * features above), else the rule's cue */
    tx__cause_signal_viterbi(k, &m->sig);
    tx__cause_first_run(k->tags, w->n, 1, &ss, &se);
    if (ss < 0 && !p->rules) {
        /* no signal tagged: the one the tagger nearly chose, when near */
        long pos, end;
        double gap;
        if (tx__cause_near(k, &m->sig, 1, &pos, &end, &gap) &&
            gap < NEAR_FIRST) {
            ss = pos;
            se = end;
        }
    }
    cue = tx__cause_rule_cue(w, false);
    if (ss >= 0 && w->w[ss].negated) {
        /* "not because of X": X is denied, not stated */
        if (cue >= 0 && cue != ss) {
            ss = cue;
            se = cue + w->w[cue].cue_words;
        }
    }
    {
        uint64_t sh = 0;
        long i;
        for (i = ss; i >= 0 && i < se; i++)
            sh = mix(sh, w->w[i].h_low);
        if ((rc = tx__cause_token_features(w, ss, se, sh, &k->tf)) != TX_OK)
            return rc;
    }
    rc = span_pair(m, k, ss, se, k->tags, &cs, &ce, &es, &ee, margin);
    if (rc != TX_OK)
        return rc;
    if (p->rules && rcue < 0 &&
        (ss < 0 || w->w[ss].cue < 0 || w->w[ss].strength == 0)) {
        /* with the rules, the model alone must also have found a known
         * cue: in customer text its cue-less and weak-cue ("for", "to",
         * "if") finds are mostly wrong */
        out->causal = 0;
        return TX_OK;
    }
    if (p->rules && (cs < 0 || es < 0 || rcue >= 0)) {
        /* a rule cue decided, or the tagger missed a part: split at the
         * rule's cue, else at the tagged signal when it is a known cue
         * (the tagger learnt news text; the split fits feedback better) */
        long at = rcue >= 0 ? rcue : cue >= 0 ? cue
                : ss >= 0 && w->w[ss].cue >= 0 ? ss : -1;
        if (at >= 0 && !w->w[at].negated) {
            long rcs, rce, res, ree;
            split_at_cue(w, at, &rcs, &rce, &res, &ree);
            if (rce > rcs) {
                cs = rcs, ce = rce;
                es = res, ee = ree;
                ss = at;
                se = at + w->w[at].cue_words;
            }
        }
    }
    /* a cause that starts with a backward cue ("since the update") has
     * found its signal, and is shown without it */
    if (ss < 0 && cs >= 0 && w->w[cs].cue >= 0) {
        ss = cs;
        se = cs + w->w[cs].cue_words;
    }
    if (ss >= 0 && cs == ss && ce > se && w->w[ss].cue >= 0 &&
        !tx__cue_forward(w->w[ss].cue) && w->w[ss].strength > 0)
        cs = se;
    if (p->rules && cs >= 0)
        trim(w, &cs, &ce); /* shown spans never start or end on punctuation */
    if (p->rules && es >= 0)
        trim(w, &es, &ee);
    out->cue = word_span(w, ss, se);
    out->cue_negated = ss >= 0 && w->w[ss].negated;
    if (out->cue_negated || (ss >= 0 && w->w[ss].temporal))
        cs = ce = -1; /* a denied cause is not a stated one, and "since
                         Monday" states a time */
    out->cause = word_span(w, cs, ce);
    out->effect = word_span(w, es, ee);
    if (p->rules && out->cause.end == out->cause.start)
        out->causal = 0; /* with the rules, causal means a cause to show */
    return TX_OK;
}

#define MAX_CANDIDATES 16

/* Appends further relations of the causal sentence at (*arr)[*n - 1]
 * (whose words are in k): the span tagger run relative to each other
 * signal the signal tagger finds, then each other known cue, and without
 * the rules each signal it nearly chose (a relation inside another's
 * cause, "demanding the dismissal FOR his treatment"); a complete
 * cause-effect pair not given yet becomes an entry. Without the rules,
 * all of them are found and the sentence keeps the p->relations with the
 * largest tagging margins (`margin`: the first relation's), most certain
 * first, the nearly chosen ones last, since a reader (and the shared
 * task's scorer) takes the first ones; with the rules, the first stays
 * first and the others follow in the order of the sentence. */
static int further_relations(const tx_cause_model *m, const tx_cause_params *p,
                             struct tx__cwork *k, tx_cause_sentence **arr,
                             size_t *n, size_t *cap, double margin)
{
    tx__cwords *w = &k->words;
    size_t first = *n - 1, made = 1, made_firm = 1, pass, i, j, nc = 0;
    size_t nfirm;
    long near_end[NEAR_MAX];
    double near_gap[NEAR_MAX];
    long *cand;
    double *mg;
    int rc = TX_OK;

    if (!w->n || (rc = tx__cause_work_reserve(k, m->ctx, w->n)) != TX_OK)
        return w->n ? rc : TX_OK;
    cand = tx__malloc(m->ctx, (2 * w->n + NEAR_MAX) * sizeof *cand);
    mg = tx__malloc(m->ctx, (2 * w->n + NEAR_MAX + 1) * sizeof *mg);
    if (!cand || !mg) {
        tx_free(m->ctx, cand);
        tx_free(m->ctx, mg);
        return TX_ENOMEM;
    }
    mg[0] = margin;
    /* k->tf0 still holds the sentence's features without a signal */
    tx__cause_signal_viterbi(k, &m->sig);
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < w->n; i++)
            if (pass == 0 ? k->tags[i] == 1
                          : w->w[i].cue >= 0 && !w->w[i].negated &&
                                w->w[i].strength > 0 &&
                                !w->w[i].temporal)
                cand[nc++] = (long)i;
    /* each candidate tags the whole sentence again: at most
     * MAX_CANDIDATES of them, so a sentence of 10,000 words with a cue in
     * every line stays linear */
    if (nc > MAX_CANDIDATES)
        nc = MAX_CANDIDATES;
    nfirm = nc;
    if (!p->rules)
        nc += tx__cause_near(k, &m->sig, NEAR_MAX, cand + nc, near_end,
                             near_gap);
    for (i = 0; i < nc && (made < (size_t)p->relations || !p->rules) &&
                rc == TX_OK; i++) {
        long s0 = cand[i], s1 = s0 + 1, cs, ce, es, ee, q0;
        uint64_t sh = 0;
        tx_cause_sentence r;
        size_t q;
        bool seen = false;

        if (i >= nfirm)
            s1 = near_end[i - nfirm];
        else if (k->tags[s0] == 1)
            for (s1 = s0 + 1; s1 < (long)w->n && k->tags[s1] == 2; s1++)
                ;
        if (w->w[s0].cue >= 0 && s1 < s0 + w->w[s0].cue_words)
            s1 = s0 + w->w[s0].cue_words;
        if (w->w[s0].start >= (*arr)[first].cue.start &&
            w->w[s0].start < (*arr)[first].cue.end)
            continue; /* the first relation's own signal */
        for (q0 = s0; q0 < s1; q0++)
            sh = mix(sh, w->w[q0].h_low);
        if ((rc = tx__cause_token_features(w, s0, s1, sh, &k->tf)) != TX_OK)
            break;
        rc = span_pair(m, k, s0, s1, k->tags + w->n, &cs, &ce, &es, &ee,
                       &mg[made]);
        if (rc != TX_OK)
            break;
        /* the signal tags are needed again for the next candidate */
        if (cs < 0 || es < 0)
            continue;
        r = (*arr)[first];
        r.relation = (int)made;
        r.cause = word_span(w, cs, ce);
        r.effect = word_span(w, es, ee);
        r.cue = word_span(w, s0, s1);
        r.cue_negated = 0;
        for (q = first; q < *n && !seen; q++)
            seen = (*arr)[q].cause.start == r.cause.start &&
                   (*arr)[q].cause.end == r.cause.end &&
                   (*arr)[q].effect.start == r.effect.start &&
                   (*arr)[q].effect.end == r.effect.end;
        if (seen)
            continue;
        if (tx__grow(m->ctx, (void **)arr, cap, *n + 1, sizeof **arr)) {
            rc = TX_ENOMEM;
            break;
        }
        (*arr)[(*n)++] = r;
        made++;
        made_firm += i < nfirm;
    }
    if (!p->rules) {
        /* most certain first (insertion sort: stable, and few entries);
         * the nearly chosen ones stay after them, nearest first: ranked
         * by their span margins among the others they came first too
         * often (CNC dev span F1 0.466 -> 0.403 against 0.493) */
        for (i = 1; i < made_firm; i++)
            for (j = i; j > 0 && mg[j] > mg[j - 1]; j--) {
                tx_cause_sentence t = (*arr)[first + j];
                double d = mg[j];
                (*arr)[first + j] = (*arr)[first + j - 1];
                (*arr)[first + j - 1] = t;
                mg[j] = mg[j - 1];
                mg[j - 1] = d;
            }
        if (made > (size_t)p->relations)
            *n = first + (size_t)p->relations;
        for (i = first; i < *n; i++)
            (*arr)[i].relation = (int)(i - first);
    }
    tx_free(m->ctx, cand);
    tx_free(m->ctx, mg);
    return rc;
}

int tx_cause_detect(tx_ctx *ctx, const tx_cause_model *m,
                     const tx_cause_params *p, const char *text, size_t len,
                     tx_cause_sentence **out, size_t *n)
{
    /* the models and cue words are English: a document in another
     * language is listed, sentence by sentence, with no causes and no
     * complaint rather than guessed at */
    const char *lang = text ? tx_text_guess_language(text, len) : NULL;

    return tx__cause_detect_as(ctx, m, p, text, len,
                               lang && strcmp(lang, "english") != 0, out, n);
}

int tx__cause_detect_as(tx_ctx *ctx, const tx_cause_model *m,
                        const tx_cause_params *p, const char *text,
                        size_t len, bool foreign, tx_cause_sentence **out,
                        size_t *n)
{
    tx_cause_params def;
    tx_span one, *sent = &one;
    size_t ns = 1, i, got = 0, cap;
    struct tx__cwork k;
    int rc = TX_OK;

    *out = NULL;
    *n = 0;
    if (!ctx || !m || !text)
        return TX_EINVAL;
    tx_cause_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (p->whole) {
        one.start = 0;
        one.end = len;
    } else {
        rc = tx_segment_sentences(text, len, NULL, 0, &ns);
        if (rc != TX_OK && rc != TX_ERANGE)
            return rc;
        sent = tx__malloc(ctx, (ns ? ns : 1) * sizeof *sent);
        if (!sent)
            return TX_ENOMEM;
        if ((rc = tx_segment_sentences(text, len, sent, ns, &ns)) != TX_OK) {
            tx_free(ctx, sent);
            return rc;
        }
    }
    cap = ns ? ns : 1;
    *out = tx__calloc(ctx, cap, sizeof **out);
    if (!*out) {
        if (sent != &one)
            tx_free(ctx, sent);
        return TX_ENOMEM;
    }
    tx__cause_work_init(&k, ctx);
    for (i = 0; i < ns && rc == TX_OK; i++) {
        double margin = 0;

        if (tx__grow(ctx, (void **)out, &cap, got + 1, sizeof **out)) {
            rc = TX_ENOMEM;
            break;
        }
        if (foreign) {
            memset(&(*out)[got], 0, sizeof **out);
            (*out)[got].sentence = sent[i];
            got++;
            continue;
        }
        rc = detect_one(m, p, &k, text, sent[i].start, sent[i].end,
                        &(*out)[got++], &margin);
        if (rc == TX_OK && p->relations > 1 && (*out)[got - 1].causal)
            rc = further_relations(m, p, &k, out, &got, &cap, margin);
    }
    tx__cause_work_free(&k, ctx);
    if (sent != &one)
        tx_free(ctx, sent);
    if (rc != TX_OK) {
        tx_free(ctx, *out);
        *out = NULL;
        return rc;
    }
    *n = got;
    return TX_OK;
}

