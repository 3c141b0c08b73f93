/*
 * Sentiment, friction type and journey stage of customer text, by lexicons
 * and rules written for this project.
 *
 * Sentiment: each lexicon word has a valence (-3..3); an intensifier before
 * it scales it, a negator up to three words before flips and damps it,
 * words after "but" count more than those before, emoji count as words,
 * and exclamation marks amplify. The sum is squashed into [-1, 1].
 * Friction: which kind of effort a complaint describes (effort, clarity,
 * confidence, continuity, speed), by cue phrases. Stage: which moment of
 * the customer journey the text is about, by cue phrases.
 */
#include "text/tx_cwords.h"
#include "tx_insights_private.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

struct valence {
    const char *word;
    int v;
};

static const struct valence lexicon[] = {
    /* negative */
    {"awful", -3}, {"terrible", -3}, {"horrible", -3}, {"worst", -3},
    {"useless", -3}, {"disgusting", -3}, {"appalling", -3}, {"nightmare", -3},
    {"scam", -3}, {"hate", -3}, {"hated", -3}, {"furious", -3},
    {"unacceptable", -3}, {"disgraceful", -3}, {"pathetic", -3},
    {"bad", -2}, {"poor", -2}, {"rude", -2}, {"broken", -2}, {"crash", -2},
    {"crashes", -2}, {"crashed", -2}, {"crashing", -2}, {"fail", -2},
    {"failed", -2}, {"fails", -2}, {"failure", -2}, {"wrong", -2},
    {"angry", -2}, {"annoyed", -2}, {"annoying", -2}, {"frustrated", -2},
    {"frustrating", -2}, {"disappointed", -2}, {"disappointing", -2},
    {"unhelpful", -2}, {"ridiculous", -2}, {"upset", -2}, {"worried", -2},
    {"scared", -2}, {"afraid", -2}, {"confusing", -2}, {"lost", -2},
    {"stuck", -2}, {"overcharged", -2}, {"damaged", -2}, {"ruined", -2},
    {"mess", -2}, {"hassle", -2}, {"impossible", -2}, {"worse", -2},
    {"unreliable", -2}, {"buggy", -2}, {"ignored", -2}, {"stolen", -2},
    {"fraud", -2}, {"declined", -2}, {"rejected", -2}, {"locked", -2},
    {"missing", -2}, {"error", -2}, {"errors", -2}, {"bug", -2},
    {"bugs", -2}, {"freezes", -2}, {"froze", -2}, {"frozen", -2},
    {"waste", -2}, {"wasted", -2}, {"misleading", -2}, {"hidden", -1},
    {"slow", -1}, {"late", -1}, {"delay", -1}, {"delayed", -1},
    {"problem", -1}, {"problems", -1}, {"issue", -1}, {"issues", -1},
    {"confused", -1}, {"unclear", -1}, {"difficult", -1}, {"hard", -1},
    {"expensive", -1}, {"fee", -1}, {"fees", -1}, {"complaint", -1},
    {"cancel", -1}, {"cancelled", -1}, {"waiting", -1}, {"waited", -1},
    {"wait", -1}, {"forever", -1}, {"again", -1}, {"still", -1},
    {"never", -1}, {"nobody", -1}, {"nothing", -1}, {"unable", -1},
    {"cold", -1}, {"blurry", -1}, {"glitch", -1}, {"lag", -1},
    {"laggy", -1}, {"spam", -1}, {"chase", -1}, {"chasing", -1},
    {"repeat", -1}, {"repeating", -1}, {"transferred", -1}, {"outage", -1},
    {"down", -1}, {"unusable", -2}, {"disconnected", -1}, {"charged", -1},
    {"sorry", -1}, {"soaked", -2}, {"stopped", -1}, {"unfortunately", -1}, {"sadly", -1},
    /* positive */
    {"excellent", 3}, {"amazing", 3}, {"fantastic", 3}, {"brilliant", 3},
    {"love", 3}, {"loved", 3}, {"perfect", 3}, {"outstanding", 3},
    {"wonderful", 3}, {"superb", 3}, {"awesome", 3}, {"great", 2},
    {"good", 2}, {"helpful", 2}, {"friendly", 2}, {"easy", 2}, {"happy", 2},
    {"pleased", 2}, {"quick", 2}, {"fast", 2}, {"smooth", 2}, {"nice", 2},
    {"best", 2}, {"recommend", 2}, {"reliable", 2}, {"polite", 2},
    {"thanks", 1}, {"thank", 1}, {"clear", 1}, {"simple", 1}, {"fine", 1},
    {"solved", 2}, {"resolved", 2}, {"fixed", 1}, {"works", 1},
    {"work", 1}, {"working", 1}, {"quickly", 2}, {"convenient", 2},
    {"patient", 2},
    {"efficient", 2}, {"like", 1}, {"liked", 1}, {"glad", 2}, {"enjoy", 2},
    {"value", 1}, {"early", 1}, {"sorted", 1}, {NULL, 0}};

/* Multipliers for the next valenced word. */
static const struct {
    const char *word;
    double m;
} intensifiers[] = {
    {"very", 1.5}, {"really", 1.5}, {"extremely", 1.8}, {"so", 1.4},
    {"totally", 1.6}, {"absolutely", 1.7}, {"completely", 1.6},
    {"incredibly", 1.8}, {"super", 1.5}, {"too", 1.3}, {"utterly", 1.8},
    {"slightly", 0.5}, {"somewhat", 0.6}, {"bit", 0.6}, {"little", 0.6},
    {"fairly", 0.8}, {"quite", 1.2}, {NULL, 0}};

static const struct {
    uint32_t cp;
    int v;
} emoji[] = {
    {0x1F621, -3}, {0x1F620, -3}, {0x1F92C, -3}, {0x1F624, -2},
    {0x1F44E, -2}, {0x1F4A9, -2}, {0x1F61E, -2}, {0x1F622, -2},
    {0x1F62D, -2}, {0x1F641, -1}, {0x2639, -1}, {0x1F612, -1},
    {0x1F644, -1}, {0x1F629, -2}, {0x1F62B, -2}, {0x1F615, -1},
    {0x1F600, 2}, {0x1F603, 2}, {0x1F604, 2}, {0x1F60A, 2}, {0x1F642, 1},
    {0x1F60D, 3}, {0x1F44D, 2}, {0x2764, 3}, {0x1F389, 2}, {0x1F64F, 1},
    {0x1F970, 3}, {0x1F601, 2}, {0x1F44F, 2}, {0, 0}};

/* Cue phrases per friction type (lowercase words, space separated). */
static const char *const friction_cues[TX_FRICTION_COUNT][24] = {
    [TX_FRICTION_EFFORT] = {"had to", "have to", "has to", "three times",
        "four times", "several times", "multiple times", "every time",
        "chase", "chasing", "hoops", "paperwork", "forms", "manually",
        "hassle", "struggle", "struggled", "effort", "call back", "again",
        "twice", "waste of time", NULL},
    [TX_FRICTION_CLARITY] = {"confusing", "confused", "unclear",
        "understand", "no idea", "don't know", "not sure how", "instructions",
        "explain", "explained", "nobody told", "never told", "hidden",
        "can't find", "cannot find", "misleading", "where to", "how to",
        "wasn't clear", "not clear", NULL},
    [TX_FRICTION_CONFIDENCE] = {"worried", "scared", "afraid", "fraud",
        "scam", "trust", "not sure if", "went through", "uncertain", "risk",
        "secure", "security", "anxious", "nervous", "unsafe", "lost my",
        "money back", "stolen", "safe", NULL},
    [TX_FRICTION_CONTINUITY] = {"repeat", "repeating", "new person",
        "each agent", "every agent", "transferred", "hand-off", "handed",
        "start over", "from scratch", "no record", "notes", "different answer",
        "different answers", "ownership", "whole story", "passed around",
        "another team", "different department", "again to", NULL},
    [TX_FRICTION_SPEED] = {"slow", "wait", "waited", "waiting", "hours",
        "days", "weeks", "late", "delay", "delayed", "ages", "forever",
        "on hold", "queue", "took a month", "still no", "still not",
        "minutes", "seconds", "long", NULL}};

static const char *const friction_names[TX_FRICTION_COUNT] = {
    "none", "effort", "clarity", "confidence", "continuity", "speed"};

/* Journey stages in journey order, with cue phrases. */
static const char *const stage_names[TX_STAGE_COUNT] = {
    "unknown", "discover", "onboarding", "login", "billing", "delivery",
    "support", "renewal"};
static const char *const stage_cues[TX_STAGE_COUNT][28] = {
    [TX_STAGE_DISCOVER] = {"advert", "ad", "heard about", "found you",
        "compare", "comparison", "looking for", "recommended", "review",
        "reviews", "website", "discover", NULL},
    [TX_STAGE_ONBOARDING] = {"sign up", "sign-up", "signup", "signed up",
        "register", "registration", "onboarding", "open an account",
        "opening", "welcome", "activate", "activating", "activation",
        "verification", "verify", "setup", "set up", "setting up", "first",
        "new customer", "tutorial", "id", NULL},
    [TX_STAGE_LOGIN] = {"log in", "login", "logging", "logged", "password",
        "2fa", "two-factor", "locked out", "sign in", "signing in", "code",
        "codes", "face id", "fingerprint", NULL},
    [TX_STAGE_BILLING] = {"bill", "billed", "billing", "charge", "charged",
        "invoice", "payment", "pay", "paid", "fee", "fees", "price",
        "pricing", "refund", "direct debit", "subscription", "statement",
        "overcharged", "card", NULL},
    [TX_STAGE_DELIVERY] = {"delivery", "deliver", "delivered", "parcel",
        "package", "courier", "tracking", "shipping", "shipped", "arrived",
        "driver", "order", "box", NULL},
    [TX_STAGE_SUPPORT] = {"support", "agent", "call", "called", "chat",
        "helpline", "hotline", "on hold", "ticket", "complaint", "manager",
        "customer service", "email", "emails", "reply", "replied", NULL},
    [TX_STAGE_RENEWAL] = {"renewal", "renew", "renewed", "cancel",
        "cancelled", "cancellation", "contract", "switch", "switching",
        "leaving", "close my account", "closing", "moving to", NULL}};

const char *tx_friction_name(tx_friction friction)
{
    int f = (int)friction;

    return f >= 0 && f < TX_FRICTION_COUNT ? friction_names[f] : "none";
}

const char *tx_stage_name(tx_stage stage)
{
    int s = (int)stage;

    return s >= 0 && s < TX_STAGE_COUNT ? stage_names[s] : "unknown";
}

tx_stage tx_stage_parse(const char *name)
{
    int s;
    static const struct {
        const char *alias;
        tx_stage stage;
    } alias[] = {{"sign-up", TX_STAGE_ONBOARDING}, {"signup", TX_STAGE_ONBOARDING},
                 {"sign up", TX_STAGE_ONBOARDING}, {"pricing", TX_STAGE_BILLING},
                 {"payment", TX_STAGE_BILLING}, {"cancellation", TX_STAGE_RENEWAL},
                 {"cancel", TX_STAGE_RENEWAL}, {"awareness", TX_STAGE_DISCOVER},
                 {"shipping", TX_STAGE_DELIVERY}, {"service", TX_STAGE_SUPPORT},
                 {"log in", TX_STAGE_LOGIN}, {NULL, TX_STAGE_UNKNOWN}};

    if (!name)
        return TX_STAGE_UNKNOWN;
    for (s = 1; s < TX_STAGE_COUNT; s++)
        if (strcasecmp(name, stage_names[s]) == 0)
            return (tx_stage)s;
    for (s = 0; alias[s].alias; s++)
        if (strcasecmp(name, alias[s].alias) == 0)
            return alias[s].stage;
    return TX_STAGE_UNKNOWN;
}

/* ---- word-level lookups (hash sets built once) ---------------------- */

static struct {
    uint64_t *h;
    int *v;
    size_t mask;
} lex, inten, cue_first;
static int built;
/* First-word hashes of the cue phrases, so most words skip them fast. */
static uint64_t friction_first[TX_FRICTION_COUNT][24];
static uint64_t stage_first[TX_STAGE_COUNT][28];

static uint64_t first_word_hash(const char *p)
{
    const char *sp = strchr(p, ' ');
    return tx__hash(p, sp ? (size_t)(sp - p) : strlen(p));
}
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int table_put_hash(uint64_t **h, int **v, size_t *mask, uint64_t k,
                          int val)
{
    size_t j;

    k |= 1;
    j = (size_t)k & *mask;

    while ((*h)[j] && (*h)[j] != k)
        j = (j + 1) & *mask;
    (*h)[j] = k;
    (*v)[j] = val;
    return 0;
}

static int table_put(uint64_t **h, int **v, size_t *mask, const char *w,
                     int val)
{
    return table_put_hash(h, v, mask, tx__hash(w, strlen(w)), val);
}

static void build(void)
{
    size_t i;

    lex.mask = inten.mask = 1023;
    lex.h = calloc(1024, sizeof *lex.h);
    lex.v = calloc(1024, sizeof *lex.v);
    inten.h = calloc(64, sizeof *inten.h);
    inten.v = calloc(64, sizeof *inten.v);
    inten.mask = 63;
    cue_first.h = calloc(1024, sizeof *cue_first.h);
    cue_first.v = calloc(1024, sizeof *cue_first.v);
    cue_first.mask = 1023;
    if (!lex.h || !lex.v || !inten.h || !inten.v || !cue_first.h ||
        !cue_first.v)
        return;
    for (i = 0; lexicon[i].word; i++)
        table_put(&lex.h, &lex.v, &lex.mask, lexicon[i].word, lexicon[i].v);
    for (i = 0; intensifiers[i].word; i++)
        table_put(&inten.h, &inten.v, &inten.mask, intensifiers[i].word,
                  (int)(intensifiers[i].m * 100));
    for (i = 1; i < TX_FRICTION_COUNT; i++) {
        size_t c;
        for (c = 0; friction_cues[i][c]; c++) {
            friction_first[i][c] = first_word_hash(friction_cues[i][c]);
            table_put_hash(&cue_first.h, &cue_first.v, &cue_first.mask,
                           friction_first[i][c], 1);
        }
    }
    for (i = 1; i < TX_STAGE_COUNT; i++) {
        size_t c;
        for (c = 0; stage_cues[i][c]; c++) {
            stage_first[i][c] = first_word_hash(stage_cues[i][c]);
            table_put_hash(&cue_first.h, &cue_first.v, &cue_first.mask,
                           stage_first[i][c], 1);
        }
    }
    built = 1;
}

static int table_get(const uint64_t *h, const int *v, size_t mask,
                     uint64_t k)
{
    size_t j;

    k |= 1;
    for (j = (size_t)k & mask; h[j]; j = (j + 1) & mask)
        if (h[j] == k)
            return v[j];
    return 0;
}

static int emoji_valence(const char *s, size_t n)
{
    utf8proc_int32_t cp;
    size_t i;

    if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                         &cp) <= 0)
        return 0;
    for (i = 0; emoji[i].cp; i++)
        if ((uint32_t)cp == emoji[i].cp)
            return emoji[i].v;
    return 0;
}

/* Does the phrase (space-separated lowercase words) start at word i? */
static bool phrase_at(const tx__cwords *w, size_t i, const char *p)
{
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        if (i >= w->n || w->w[i].low_len != len ||
            memcmp(w->w[i].low, p, len) != 0)
            return false;
        i++;
        p += len + (sp ? 1 : 0);
    }
    return true;
}

int tx_sentiment_score(tx_ctx *ctx, const char *text, size_t len,
                       tx_sentiment *out)
{
    tx__cwords w;
    int rc;

    memset(out, 0, sizeof *out);
    if (!ctx || !text)
        return TX_EINVAL;
    tx__cwords_init(&w, ctx);
    rc = tx__sentiment_score_words(&w, text, len, out);
    tx__cwords_free(&w);
    return rc;
}

int tx__sentiment_score_words(tx__cwords *words, const char *text,
                              size_t len, tx_sentiment *out)
{
    tx__cwords *w = words;
    double sum = 0, before = 0, mult = 1;
    size_t i, bangs = 0, fcount[TX_FRICTION_COUNT] = {0}, scount[TX_STAGE_COUNT] = {0};
    bool after_but = false;
    int rc, f, s;

    memset(out, 0, sizeof *out);
    pthread_once(&once, build);
    if (!built)
        return TX_ENOMEM;
    rc = tx__cwords_split_words(w, text, 0, len);
    if (rc != TX_OK)
        return rc;
    for (i = 0; i < w->n; i++) {
        const tx__cword *x = &w->w[i];
        int v = table_get(lex.h, lex.v, lex.mask, x->h_low);
        int m = table_get(inten.h, inten.v, inten.mask, x->h_low);
        size_t k;

        if (x->low_len == 1 && x->low[0] == '!')
            bangs++;
        if (strcmp(x->low, "but") == 0 || strcmp(x->low, "however") == 0) {
            /* contrast: what came before counts half */
            before += sum * 0.5;
            sum = 0;
            after_but = true;
            continue;
        }
        if (!v && (unsigned char)x->low[0] >= 0xF0)
            v = emoji_valence(x->low, x->low_len);
        if (m && !v) {
            mult = m / 100.0;
            continue;
        }
        if (v) {
            double val = v * mult;
            bool neg = false;
            for (k = i >= 3 ? i - 3 : 0; k < i; k++)
                neg |= tx__cword_is_negator(&w->w[k]);
            if (neg)
                val = -val * 0.7; /* "not good" is milder than "bad" */
            sum += val;
            if (val < 0)
                out->n_neg++;
            else
                out->n_pos++;
        }
        mult = 1;
    }
    sum = before + (after_but ? sum * 1.5 : sum);
    if (bangs)
        sum *= 1 + 0.15 * (double)(bangs < 3 ? bangs : 3);
    out->score = sum / sqrt(sum * sum + 12.0);
    /* friction: which cue phrases a negative text uses most */
    for (i = 0; i < w->n; i++) {
        uint64_t h = w->w[i].h_low;
        /* most words open no cue phrase: one lookup rules them out */
        if (!table_get(cue_first.h, cue_first.v, cue_first.mask, h))
            continue;
        for (f = 1; f < TX_FRICTION_COUNT; f++)
            for (s = 0; friction_cues[f][s]; s++)
                if (friction_first[f][s] == h &&
                    phrase_at(w, i, friction_cues[f][s]))
                    fcount[f]++;
        for (s = 1; s < TX_STAGE_COUNT; s++) {
            size_t c;
            for (c = 0; stage_cues[s][c]; c++)
                if (stage_first[s][c] == h &&
                    phrase_at(w, i, stage_cues[s][c]))
                    scount[s]++;
        }
    }
    out->friction = TX_FRICTION_NONE;
    if (out->score < -0.05)
        for (f = 1; f < TX_FRICTION_COUNT; f++)
            if (fcount[f] > fcount[out->friction] ||
                (out->friction == TX_FRICTION_NONE && fcount[f]))
                out->friction = f;
    out->stage = TX_STAGE_UNKNOWN;
    for (s = 1; s < TX_STAGE_COUNT; s++)
        if (scount[s] > scount[out->stage] ||
            (out->stage == TX_STAGE_UNKNOWN && scount[s]))
            out->stage = s;
    return TX_OK;
}
