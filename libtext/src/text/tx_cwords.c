/*
 * Words of a sentence as the cause models see them: byte ranges into the
 * document, a lowercase form, an abstract class (closed-class words stay
 * themselves, open-class words become their shape: "#ed", "#ing", ...), and
 * the causal cue that starts at each word.
 *
 * The classes carry the model across domains: a detector trained on news
 * learns "#ed by" and ", #ing" rather than the topics of its training text.
 */
#include "tx_cwords.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Closed-class words (and a few time words that tell temporal "since" and
 * "after" apart): their class is the word itself. */
static const char *const function_words[] = {
    "a", "an", "the", "this", "that", "these", "those", "some", "any", "no",
    "every", "each", "all", "both", "either", "neither", "other", "another",
    "such", "what", "which", "who", "whom", "whose", "where", "when", "why",
    "how", "whether", "if", "then", "than", "i", "me", "my", "mine", "we",
    "us", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its",
    "they", "them", "their", "there", "here", "be", "is", "am", "are", "was",
    "were", "been", "being", "have", "has", "had", "having", "do", "does",
    "did", "done", "will", "would", "shall", "should", "can", "could", "may",
    "might", "must", "not", "n't", "never", "nothing", "nobody", "none",
    "cannot", "can't", "won't", "don't", "didn't", "doesn't", "isn't",
    "wasn't", "aren't", "weren't", "haven't", "hasn't", "hadn't", "couldn't",
    "wouldn't", "shouldn't", "of", "in", "on", "at", "to", "for", "from",
    "by", "with", "without", "about", "into", "onto", "over", "under",
    "against", "between", "through", "during", "before", "after", "since",
    "until", "till", "while", "as", "because", "due", "owing", "thanks",
    "so", "therefore", "thus", "hence", "consequently", "result", "results",
    "resulted", "resulting", "reason", "reasons", "cause", "causes", "caused",
    "causing", "lead", "leads", "led", "leading", "make", "makes", "made",
    "making", "force", "forced", "forcing", "prompt", "prompted", "prompting",
    "spark", "sparked", "sparking", "trigger", "triggered", "triggering",
    "left", "leaving", "meant", "means", "meaning", "following", "amid",
    "despite", "although", "though", "but", "and", "or", "nor", "yet",
    "also", "still", "again", "just", "only", "even", "ever", "now", "too",
    "very", "really", "demanding", "demand", "demands", "protest",
    "protesting", "protested", "response", "order", "get", "got", "getting",
    "keep", "keeps", "kept", "ago", "last", "yesterday", "today", "week",
    "weeks", "month", "months", "year", "years", "day", "days", "hour",
    "hours", "morning", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april",
    "june", "july", "august", "september", "october", "november",
    "december", "said", "says", "say", "told", "according", NULL};

/* Causal cues, longest first within a first word. */
static const struct {
    const char *text;
    int strength; /* 2: states a cause almost whenever it appears
                     ("because", "due to"); 1: often does ("since", "so"),
                     so the cue rules may split at it; 0: only a feature
                     for the models ("for", "by", "to") */
} cues[] = {
    {"because of", 2}, {"because", 2}, {"due to", 2}, {"owing to", 2},
    {"thanks to", 2}, {"as a result of", 2}, {"as a result", 2},
    {"as a consequence of", 2}, {"in response to", 1},
    {"in protest against", 1}, {"in protest of", 1}, {"in protest", 1},
    {"ever since", 2}, {"caused by", 2}, {"triggered by", 2},
    {"prompted by", 2}, {"driven by", 2}, {"the reason is", 2},
    {"the reason was", 2}, {"the reason", 1}, {"is the reason", 2},
    {"was the reason", 2}, {"as result", 2}, {"every time", 1}, {"whenever", 1}, {"reason why", 2},
    {"that's why", 2}, {"that is why", 2}, {"which is why", 2},
    {"this is why", 2}, {"which meant", 2}, {"which means", 2},
    {"led to", 2}, {"lead to", 2}, {"leads to", 2}, {"leading to", 2},
    {"resulted in", 2}, {"resulting in", 2}, {"results in", 2},
    {"result in", 2}, {"ended up", 1}, {"on account of", 2},
    {"given that", 1}, {"now that", 1}, {"so that", 0}, {"since", 1},
    {"after", 1}, {"following", 1}, {"so", 1}, {"therefore", 2},
    {"thus", 1}, {"hence", 2}, {"consequently", 2}, {"caused", 2},
    {"causing", 2}, {"causes", 0}, {"made", 1}, {"makes", 1},
    {"making", 0}, {"forced", 2}, {"forcing", 2}, {"prompted", 1},
    {"prompting", 2}, {"sparked", 2}, {"sparking", 2}, {"triggered", 2},
    {"triggering", 2}, {"leaving", 0}, {"left", 0}, {"meant", 1},
    {"meaning", 0}, {"amid", 0}, {"over", 0}, {"against", 0},
    {"demanding", 0}, {"for", 0}, {"from", 0}, {"by", 0}, {"when", 0},
    {"as", 0}, {"to", 0}, {"cos", 2}, {"coz", 2}, {"cuz", 2}, {"bc", 2},
    {"cause", 1}, {"wiped out", 1}, {"messed up", 1}, {"broke", 1},
    {"wiped", 1}, {"ruined", 1}, {"deleted", 1}, {"erased", 1}};
#define N_CUES (sizeof cues / sizeof cues[0])

static bool ascii_word(unsigned char c)
{
    return tx__ascii_alnum(c) || c >= 0x80;
}

/* Is the code point at t[i] part of a word? *adv gets its length. */
static bool word_cp(const char *t, size_t end, size_t i, size_t *adv)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;
    unsigned char c = (unsigned char)t[i];

    if (c < 0x80) {
        *adv = 1;
        return tx__ascii_alnum(c);
    }
    k = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
                         (utf8proc_ssize_t)(end - i < 4 ? end - i : 4), &cp);
    if (k <= 0) {
        *adv = 1;
        return true; /* stray byte: keep it inside a word, never loop */
    }
    *adv = (size_t)k;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

static bool is_space(const char *t, size_t end, size_t i, size_t *adv)
{
    unsigned char c = (unsigned char)t[i];

    *adv = 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v')
        return true;
    if (c == 0xC2 && i + 1 < end && (unsigned char)t[i + 1] == 0xA0) {
        *adv = 2; /* no-break space */
        return true;
    }
    return false;
}

/* A joiner inside a word: apostrophes and hyphens between letters, dots
 * and commas between digits ("don't", "e-mail", "3.5", "1,000"). */
static size_t joiner(const char *t, size_t end, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    size_t n = 0, adv;

    if (c == '\'' || c == '-')
        n = 1;
    else if (c == 0xE2 && i + 2 < end && (unsigned char)t[i + 1] == 0x80 &&
             (unsigned char)t[i + 2] == 0x99)
        n = 3; /* right single quote used as apostrophe */
    else if ((c == '.' || c == ',') && i > 0 &&
             isdigit((unsigned char)t[i - 1]) && i + 1 < end &&
             isdigit((unsigned char)t[i + 1]))
        return 1;
    if (!n || i == 0 || i + n >= end)
        return 0;
    if (!ascii_word((unsigned char)t[i - 1]))
        return 0;
    return word_cp(t, end, i + n, &adv) ? n : 0;
}

void tx__cwords_init(tx__cwords *w, tx_ctx *ctx)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
}

void tx__cwords_free(tx__cwords *w)
{
    tx_free(w->ctx, w->w);
    tx_free(w->ctx, w->buf);
    memset(w, 0, sizeof *w);
}

/* A set of words by their 64-bit hash (tx__hash), open addressing. */
int tx__wordset_init(tx__wordset *ws, const char *const *list)
{
    size_t n = 0, i, cap = 16;

    while (list[n])
        n++;
    while (cap < 2 * n)
        cap *= 2;
    ws->h = calloc(cap, sizeof *ws->h);
    if (!ws->h)
        return TX_ENOMEM;
    ws->mask = cap - 1;
    for (i = 0; i < n; i++) {
        uint64_t h = tx__hash(list[i], strlen(list[i])) | 1;
        size_t j = (size_t)h & ws->mask;
        while (ws->h[j] && ws->h[j] != h)
            j = (j + 1) & ws->mask;
        ws->h[j] = h;
    }
    return TX_OK;
}

bool tx__wordset_has(const tx__wordset *ws, uint64_t h)
{
    size_t j;

    h |= 1; /* 0 marks an empty slot */
    for (j = (size_t)h & ws->mask; ws->h[j]; j = (j + 1) & ws->mask)
        if (ws->h[j] == h)
            return true;
    return false;
}

static bool in_list(const char *const *list, const char *s, size_t n)
{
    size_t i;

    for (i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

static bool ends(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n > k + 1 && memcmp(s + n - k, suf, k) == 0;
}

/* Class of an open-class word by its shape. */
static const char *shape(const char *orig, const char *low, size_t n,
                         bool first)
{
    size_t i, digits = 0;

    for (i = 0; i < n; i++)
        digits += isdigit((unsigned char)low[i]) != 0;
    if (digits * 2 >= n)
        return "#num";
    if (ends(low, n, "ing"))
        return "#ing";
    if (ends(low, n, "ed"))
        return "#ed";
    if (ends(low, n, "ly"))
        return "#ly";
    if (ends(low, n, "tion") || ends(low, n, "ment") || ends(low, n, "ness"))
        return "#nom";
    if (!first && isupper((unsigned char)orig[0]))
        return "#cap";
    if (ends(low, n, "s"))
        return "#s";
    return "#w";
}

static const char *const negators[] = {
    "not", "n't", "never", "no", "cannot", "isn't", "wasn't", "don't",
    "didn't", "doesn't", "aren't", "weren't", NULL};

/* The word after a temporal "since"/"after" names a time ("since
 * Monday", "after 3 days"), not a cause. */
static const char *const time_words[] = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
        "yesterday", "then", "last", "ages", "forever", "an", "two",
        "three", "four", "five", "six", "several", "weeks", "days", "months",
        "years", "hours", "minutes", "early", "midnight", "noon", "dinner",
        "lunch", "breakfast", "that", "christmas", "today", "long", "weekend",
        NULL};

/* Words that open a clause after "so" or "as". */
static const char *const openers[] = {
    "i", "we", "you", "they", "he", "she", "it", "my", "our", "your",
    "their", "the", "this", "that", "there", "everything", "nothing",
    "nobody", "no", "none", "i'm", "it's", "there's", "i've", "we're",
    "they're", "each", "every", "all", "people", "everyone", "someone",
    "these", "those", "his", "her", NULL};

static const char *const first_person[] = {"i", "i've", "we", "we've",
                                           "i'd", "we'd", NULL};
/* Modals of purpose ("so I can play"); their negations state results
 * ("so I can't log in"). */
static const char *const modals[] = {"can", "could", "will", "would", "may",
                                     "might", "get", NULL};

/* Hash sets of the lists above and the cues' first words, built once. */
static struct {
    tx__wordset function, negator, time, opener, first_person, modal;
    uint64_t cue_first[N_CUES];
    int ok;
} sets;
static pthread_once_t sets_once = PTHREAD_ONCE_INIT;

static void sets_build(void)
{
    size_t c;

    sets.ok = tx__wordset_init(&sets.function, function_words) == TX_OK &&
              tx__wordset_init(&sets.negator, negators) == TX_OK &&
              tx__wordset_init(&sets.time, time_words) == TX_OK &&
              tx__wordset_init(&sets.opener, openers) == TX_OK &&
              tx__wordset_init(&sets.first_person, first_person) == TX_OK &&
              tx__wordset_init(&sets.modal, modals) == TX_OK;
    for (c = 0; c < N_CUES; c++) {
        const char *sp = strchr(cues[c].text, ' ');
        size_t len = sp ? (size_t)(sp - cues[c].text) : strlen(cues[c].text);
        sets.cue_first[c] = tx__hash(cues[c].text, len);
    }
}

static bool is_negator(const tx__cword *x)
{
    return tx__wordset_has(&sets.negator, x->h_low);
}

static bool time_word(const tx__cword *w)
{
    return strcmp(w->cls, "#num") == 0 ||
           tx__wordset_has(&sets.time, w->h_low);
}

/* A time after "the" or "this": "since the weekend", "after this
 * morning" (not "since the last update"). */
static bool time_noun(const tx__cword *w)
{
    static const char *const nouns[] = {
        "weekend", "morning", "evening", "night", "afternoon", "day",
        "week", "month", "year", "summer", "winter", "spring", "autumn",
        "holidays", "holiday", NULL};
    return in_list(nouns, w->low, w->low_len);
}

/* A single punctuation mark. */
static bool is_punct_word(const tx__cword *x)
{
    return x->low_len == 1 && !tx__ascii_alnum((unsigned char)x->low[0]);
}

/* A word that starts a clause without a subject after "so" ("so had to
 * call", "so now I ...", "so cancelled"): a past-tense verb or one of a
 * few clause starters, not a degree word ("so hard"). */
static bool is_clause_word(const tx__cword *x)
{
    static const char *const starters[] = {
        "now", "then", "had", "have", "has", "got", "ended", "was", "were",
        "couldn't", "can't", "cannot", "didn't", "did", "went", "lost",
        "paid", "spent", "gave", "made", "took", "left", "missed", NULL};
    return strcmp(x->cls, "#ed") == 0 || in_list(starters, x->low, x->low_len);
}

/* Advice that follows ", so" as its effect: "so be prepared for a wait",
 * "- so if that is your thing go elsewhere". */
static bool is_advice_word(const tx__cword *x)
{
    static const char *const advice[] = {
        "be", "go", "don't", "do", "try", "ask", "expect", "bring", "plan",
        "prepare", "come", "book", "call", "avoid", "check", "make", "get",
        "if", "maybe", "perhaps", "definitely", NULL};
    return in_list(advice, x->low, x->low_len);
}

/* "so" that does not introduce an effect: purpose ("so I can play",
 * "so that"), degree ("so hard", "so frustrating"), "just so", "or so". */
static bool so_states_effect(const tx__cwords *w, size_t i)
{
    static const char *const greetings[] = {"hi", "hello", "hey", "ok",
                                            "okay", "well", "dear", "yes",
                                            "no", "um", "oh", NULL};
    size_t j, n = w->n;
    bool lead = true;

    /* a sentence that opens with "So" (after greetings and @mentions)
     * uses it as a discourse marker: "@Support So I was playing ..." */
    for (j = 0; j < i && lead; j++) {
        const tx__cword *x = &w->w[j];
        bool mention = j > 0 && strcmp(w->w[j - 1].low, "@") == 0;
        lead = is_punct_word(x) || mention ||
               in_list(greetings, x->low, x->low_len);
    }
    if (lead)
        return false;

    if (i > 0 && (strcmp(w->w[i - 1].low, "just") == 0 ||
                  strcmp(w->w[i - 1].low, "or") == 0 ||
                  strcmp(w->w[i - 1].low, "and") == 0 ||
                  strcmp(w->w[i - 1].low, "not") == 0))
        return strcmp(w->w[i - 1].low, "and") == 0;
    if (i + 1 >= n)
        return false;
    /* degree with a result: "so big that you get tired of it" */
    if (i + 2 < n && strcmp(w->w[i + 2].low, "that") == 0 &&
        !tx__wordset_has(&sets.opener, w->w[i + 1].h_low))
        return true;
    if (i > 0 && is_punct_word(&w->w[i - 1]) && is_advice_word(&w->w[i + 1]))
        return true;
    if (!tx__wordset_has(&sets.opener, w->w[i + 1].h_low)) {
        /* "so" + past form is an effect after a comma (", so cancelled
         * it") and degree inside a clause ("I am so confused") */
        if (strcmp(w->w[i + 1].cls, "#ed") == 0)
            return i > 0 && is_punct_word(&w->w[i - 1]);
        return is_clause_word(&w->w[i + 1]);
    }
    /* purpose: a modal right after the subject, not negated */
    for (j = i + 2; j < n && j <= i + 3; j++)
        if (tx__wordset_has(&sets.modal, w->w[j].h_low))
            return j + 1 < n && (tx__wordset_has(&sets.negator,
                                                 w->w[j + 1].h_low) ||
                                 strcmp(w->w[j + 1].low, "no") == 0);
    return true;
}

/* "as" giving a reason ("as the page was down"), not a comparison ("the
 * same as"), a role ("as a customer"), a report ("as I mentioned") or
 * part of "as well", "as soon as", "as long as". */
static bool as_gives_reason(const tx__cwords *w, size_t i)
{
    static const char *const before[] = {"same", "such", "as", "so", "just",
                                         "well", "soon", "long", "far",
                                         "much", "many", "twice", NULL};
    static const char *const report[] = {
        "mentioned", "said", "stated", "explained", "told", "wrote", "noted",
        "expected", "thought", "know", "requested", "asked", "suggested",
        "advised", "instructed", "described", "shown", "see", NULL};
    const tx__cword *p = &w->w[i - 1];
    size_t j;

    static const char *const states[] = {"thought", "needed", "wanted",
                                         "had", "knew", "lived", "used",
                                         "expected", "paid", NULL};

    if (in_list(before, p->low, p->low_len))
        return false;
    /* an action in the past tense, or under way, is a time: "as I worked
     * further", "as we were finishing"; a state is a reason: "as I
     * thought it was gone" */
    if (i + 2 < w->n &&
        ((strcmp(w->w[i + 2].cls, "#ed") == 0 &&
          !in_list(states, w->w[i + 2].low, w->w[i + 2].low_len)) ||
         ((strcmp(w->w[i + 2].low, "was") == 0 ||
           strcmp(w->w[i + 2].low, "were") == 0) &&
          i + 3 < w->n && strcmp(w->w[i + 3].cls, "#ing") == 0)))
        return false;
    /* the second "as" of a comparison: "as much parmesan on as you like" */
    for (j = i >= 4 ? i - 4 : 0; j < i; j++)
        if (strcmp(w->w[j].low, "as") == 0)
            return false;
    if (i + 2 < w->n && in_list(report, w->w[i + 2].low, w->w[i + 2].low_len))
        return false;
    return true;
}

/* The customer as the one who acted: "I made a video", "we've deleted
 * it", "I have made" -- no cause is stated by it. */
static bool acted_by_customer(const tx__cwords *w, size_t i)
{
    static const char *const aux[] = {"have", "had", "just", "already",
                                      "accidentally", "then", NULL};
    size_t j = i;

    while (j > 0 && in_list(aux, w->w[j - 1].low, w->w[j - 1].low_len))
        j--;
    return j > 0 && tx__wordset_has(&sets.first_person, w->w[j - 1].h_low);
}

/* A bare noun and a finite verb after "so" ("so light was dim", "so
 * service was slow"), not a degree ("so much was wrong"). */
static bool subject_then_verb(const tx__cwords *w, size_t j)
{
    static const char *const verbs[] = {
        "was", "is", "were", "are", "wasn't", "isn't", "weren't", "aren't",
        "had", "has", "got", "gets", "became", "becomes", "kept", "keeps",
        NULL};
    static const char *const degree[] = {"much", "many", "few", "little",
                                         "long", "far", "bad", "good",
                                         "hard", "easy", "slow", "fast",
                                         NULL};

    return strcmp(w->w[j].cls, "#w") == 0 &&
           !in_list(degree, w->w[j].low, w->w[j].low_len) &&
           in_list(verbs, w->w[j + 1].low, w->w[j + 1].low_len);
}

/* "made", "makes", "making" cause something when a person or thing is
 * made to be or do something ("made me wait", "makes it useless", "made
 * for a great stay"); not in "made by", "made it to", "made sure". */
static int causative_strength(const tx__cwords *w, size_t i)
{
    static const char *const objects[] = {
        "me", "us", "him", "her", "them", "you", "everyone", "everything",
        "things", "people", "customers", NULL};
    const tx__cword *x = i + 1 < w->n ? &w->w[i + 1] : NULL;

    if (!x)
        return 0;
    /* "thanks for making me wait" thanks; it states no cause */
    if (i > 0 && strcmp(w->w[i - 1].low, "for") == 0)
        return 0;
    if (strcmp(x->low, "for") == 0)
        return 2;
    if (in_list(objects, x->low, x->low_len))
        return 2;
    if (strcmp(x->low, "it") == 0 || strcmp(x->low, "this") == 0)
        return i + 2 < w->n && (strcmp(w->w[i + 2].low, "to") == 0 ||
                                strcmp(w->w[i + 2].low, "through") == 0 ||
                                strcmp(w->w[i + 2].low, "in") == 0)
                   ? 0 : 2;
    if (strcmp(x->low, "by") == 0 || strcmp(x->low, "sure") == 0 ||
        strcmp(x->low, "so") == 0 || strcmp(x->low, "up") == 0 ||
        is_punct_word(x))
        return 0;
    return -1; /* keep the table's strength */
}

/* A "since" that counts from a time: "it's been 3 months since I
 * applied", "going there twice a week since they opened". */
static bool since_counts_time(const tx__cwords *w, size_t i)
{
    static const char *const clock[] = {"been", "ago", "already", "week",
                                        "weeks", "month", "months", "year",
                                        "years", "day", "days", "hours",
                                        "time", "times", NULL};
    size_t j;

    for (j = i >= 5 ? i - 5 : 0; j < i; j++)
        if (in_list(clock, w->w[j].low, w->w[j].low_len))
            return true;
    return false;
}

/* Thanks to someone for something is gratitude, not a cause: "Thanks to
 * Ken at the garage for taking good care of my car". */
static bool thanks_for(const tx__cwords *w, size_t i)
{
    size_t j;

    for (j = i + 2; j < w->n && j <= i + 7; j++)
        if (strcmp(w->w[j].low, "for") == 0)
            return true;
    return false;
}

static bool shorthand_because(const char *cue)
{
    static const char *const sh[] = {"bc", "cuz", "cos", "coz", NULL};

    return in_list(sh, cue, strlen(cue));
}

/* A verb cue read as an adjective: "a ruined bag", "the deleted files". */
static bool after_determiner(const tx__cwords *w, size_t i)
{
    static const char *const det[] = {"a", "an", "the", "my", "your",
                                      "our", "their", "his", "her", "its",
                                      "this", "these", "those", NULL};

    return i > 0 && in_list(det, w->w[i - 1].low, w->w[i - 1].low_len);
}

static void find_cues(tx__cwords *w)
{
    size_t i, c, k, adv;

    for (i = 0; i < w->n; i++) {
        w->w[i].cue = -1;
        w->w[i].in_cue = 0;
    }
    for (i = 0; i < w->n; i++) {
        if (w->w[i].in_cue)
            continue;
        for (c = 0; c < N_CUES; c++) {
            const char *p = cues[c].text;
            size_t j = i;
            bool ok = true;

            if (sets.cue_first[c] != w->w[i].h_low)
                continue;
            while (*p && ok) {
                const char *sp = strchr(p, ' ');
                size_t len = sp ? (size_t)(sp - p) : strlen(p);

                /* "that's" arrives as one word or as "that" "'s" */
                if (j >= w->n || w->w[j].low_len != len ||
                    memcmp(w->w[j].low, p, len) != 0)
                    ok = false;
                j++;
                p += len + (sp ? 1 : 0);
            }
            if (!ok)
                continue;
            /* "bc of the policy", "cuz of the delay": the cue is
             * "because of", and the cause starts after "of" */
            if (j < w->n && j == i + 1 && shorthand_because(cues[c].text) &&
                strcmp(w->w[j].low, "of") == 0)
                j++;
            w->w[i].cue = (int)c;
            w->w[i].cue_words = (uint8_t)(j - i);
            for (k = i; k < j; k++)
                w->w[k].in_cue = 1;
            break;
        }
    }
    /* temporal since/after: a time follows ("since Monday", "after 3
     * days"), or "since" opens with a time ("ever since" stays causal) */
    for (i = 0; i < w->n; i++) {
        int c0 = w->w[i].cue;
        size_t next = i + (c0 >= 0 ? w->w[i].cue_words : 1);
        /* a clause opens right after the cue */
        bool clause_next = next < w->n &&
                           tx__wordset_has(&sets.opener, w->w[next].h_low);

        if (c0 < 0)
            continue;
        w->w[i].strength = (uint8_t)cues[c0].strength;
        /* "so" opening a clause ("so I gave up") states an effect; "as"
         * opening one ("as the page was down") a cause */
        if (clause_next && strcmp(cues[c0].text, "so") == 0)
            w->w[i].strength = 2;
        /* "burned out so light was dim": a subject and its verb follow */
        if (strcmp(cues[c0].text, "so") == 0 && i > 0 && i + 2 < w->n &&
            !clause_next && subject_then_verb(w, i + 1))
            w->w[i].strength = 2;
        else if (strcmp(cues[c0].text, "so") == 0 && !so_states_effect(w, i))
            w->w[i].strength = 0;
        /* "so small that we left": a degree and its result */
        else if (strcmp(cues[c0].text, "so") == 0 && i + 2 < w->n &&
                 strcmp(w->w[i + 2].low, "that") == 0 && !clause_next)
            w->w[i].strength = 2;
        if (clause_next && i > 0 && strcmp(cues[c0].text, "as") == 0 &&
            as_gives_reason(w, i))
            w->w[i].strength = 1;
        /* "every time I press it, it clicks", "whenever I switch apps":
         * a habit of cause and effect when a clause follows */
        if (strcmp(cues[c0].text, "every time") == 0 ||
            strcmp(cues[c0].text, "whenever") == 0)
            w->w[i].strength = clause_next ? 2 : 0;
        if (strcmp(cues[c0].text, "made") == 0 ||
            strcmp(cues[c0].text, "makes") == 0 ||
            strcmp(cues[c0].text, "making") == 0) {
            int st = causative_strength(w, i);
            if (st >= 0)
                w->w[i].strength = (uint8_t)st;
        }
        /* "since" opening a clause gives a reason ("perfect since I had
         * my dog with me") unless it counts time */
        if (strcmp(cues[c0].text, "since") == 0) {
            if (since_counts_time(w, i))
                w->w[i].temporal = 1;
            else if (clause_next)
                w->w[i].strength = 2;
        }
        /* in customer text "after" is mostly a time ("even after logging
         * in", "after making reservations", "after I land"): there it is
         * only a feature for the models */
        if (strcmp(cues[c0].text, "after") == 0 &&
            ((i > 0 && strcmp(w->w[i - 1].low, "even") == 0) ||
             (i + 1 < w->n && (strcmp(w->w[i + 1].cls, "#ing") == 0 ||
                               strcmp(w->w[i + 1].low, "having") == 0 ||
                               strcmp(w->w[i + 1].low, "i") == 0))))
            w->w[i].strength = 0;
        /* "the reason I returned it is the weight" */
        if (strcmp(cues[c0].text, "the reason") == 0) {
            size_t j;
            for (j = i + 2; j < w->n && j <= i + 9; j++)
                if (strcmp(w->w[j].low, "is") == 0 ||
                    strcmp(w->w[j].low, "was") == 0) {
                    w->w[i].strength = 2;
                    break;
                }
        }
        if (strcmp(cues[c0].text, "thanks to") == 0 && thanks_for(w, i))
            w->w[i].strength = 0;
        /* a verb cue needs what it acted on ("the update broke face ID"),
         * and a customer who did it themselves states no cause ("I
         * deleted the old card") */
        if ((tx__cue_verb(c0) || strcmp(cues[c0].text, "made") == 0 ||
             strcmp(cues[c0].text, "makes") == 0) &&
            acted_by_customer(w, i))
            w->w[i].strength = 0;
        if (tx__cue_verb(c0) && after_determiner(w, i))
            w->w[i].strength = 0;
        if (tx__cue_verb(c0) &&
            (i + w->w[i].cue_words >= w->n ||
             !word_cp(w->text, w->w[i + w->w[i].cue_words].end,
                      w->w[i + w->w[i].cue_words].start, &adv)))
            w->w[i].strength = 0;
        if ((strcmp(cues[c0].text, "since") == 0 ||
             strcmp(cues[c0].text, "after") == 0) &&
            i + 1 < w->n &&
            (time_word(&w->w[i + 1]) ||
             ((strcmp(w->w[i + 1].low, "the") == 0 ||
               strcmp(w->w[i + 1].low, "this") == 0) &&
              i + 2 < w->n && time_noun(&w->w[i + 2]))))
            w->w[i].temporal = 1;
        w->w[i].negated = i > 0 && is_negator(&w->w[i - 1]);
        if (i > 1 && !w->w[i].negated &&
            strcmp(w->w[i - 1].low, "just") == 0)
            w->w[i].negated = is_negator(&w->w[i - 2]);
    }
}

const char *tx__cue_text(int cue)
{
    return cue >= 0 && (size_t)cue < N_CUES ? cues[cue].text : "";
}

/* Cues that are verbs acting on an object. */
int tx__cue_verb(int cue)
{
    static const char *const verbs[] = {"broke", "wiped", "ruined",
                                        "deleted", "erased", "wiped out",
                                        "messed up", NULL};
    const char *t = tx__cue_text(cue);
    return in_list(verbs, t, strlen(t));
}

/* Backward cues introduce the cause ("Y because X"); forward ones the
 * effect ("X, so Y"). */
int tx__cue_forward(int cue)
{
    static const char *const fwd[] = {
        "as a result", "as result", "is the reason", "was the reason",
        "that's why", "that is why", "which is why",
        "this is why", "which meant", "which means", "led to", "lead to",
        "leads to", "leading to", "resulted in", "resulting in",
        "results in", "result in", "ended up", "so that", "so",
        "therefore", "thus", "hence", "consequently", "caused", "causing",
        "causes", "made", "makes", "making", "forced", "forcing", "prompted",
        "prompting", "sparked", "sparking", "triggered", "triggering",
        "leaving", "left", "meant", "meaning", "wiped out", "messed up",
        "broke", "wiped", "ruined", "deleted", "erased", NULL};
    const char *t = tx__cue_text(cue);
    return in_list(fwd, t, strlen(t));
}

/* "b/c" standing alone at t[i]: shorthand for "because", one word. */
static bool slash_because(const char *t, size_t start, size_t end, size_t i)
{
    size_t adv;

    return end - i >= 3 && (t[i] | 0x20) == 'b' && t[i + 1] == '/' &&
           (t[i + 2] | 0x20) == 'c' &&
           (i == start || !ascii_word((unsigned char)t[i - 1])) &&
           (i + 3 == end || !word_cp(t, end, i + 3, &adv));
}

static int split(tx__cwords *w, const char *t, size_t start, size_t end,
                 bool full)
{
    size_t i = start, adv, total = 0, k;

    pthread_once(&sets_once, sets_build);
    if (!sets.ok)
        return TX_ENOMEM;
    w->n = 0;
    w->text = t;
    /* pass 1: boundaries */
    while (i < end) {
        size_t s = i;

        if (is_space(t, end, i, &adv)) {
            i += adv;
            continue;
        }
        if (slash_because(t, start, end, i)) {
            i += 3; /* "b/c": one word, read as "bc" */
        } else if (word_cp(t, end, i, &adv)) {
            i += adv;
            for (;;) {
                size_t jn;
                if (i < end && word_cp(t, end, i, &adv))
                    i += adv;
                else if (i < end && (jn = joiner(t, end, i)) > 0)
                    i += jn;
                else
                    break;
            }
        } else {
            word_cp(t, end, i, &adv);
            i += adv;
        }
        if (tx__grow(w->ctx, (void **)&w->w, &w->cap, w->n + 1, sizeof *w->w))
            return TX_ENOMEM;
        memset(&w->w[w->n], 0, sizeof w->w[w->n]);
        w->w[w->n].start = s;
        w->w[w->n].end = i;
        w->n++;
        total += i - s + 1;
    }
    if (tx__grow(w->ctx, (void **)&w->buf, &w->buf_cap, total + 1, 1))
        return TX_ENOMEM;
    /* pass 2: lowercase forms and classes */
    total = 0;
    for (k = 0; k < w->n; k++) {
        tx__cword *x = &w->w[k];
        const char *o = t + x->start;
        char *low = w->buf + total;
        size_t n = 0, j = 0, len = x->end - x->start;

        while (j < len) {
            unsigned char c = (unsigned char)o[j];
            if (c == 0xE2 && j + 2 < len && (unsigned char)o[j + 1] == 0x80 &&
                (unsigned char)o[j + 2] == 0x99) {
                low[n++] = '\''; /* ’ as ' */
                j += 3;
            } else if (c == '/' && len == 3) {
                j++; /* "b/c" as "bc" */
            } else if (c == 0xE2 && j + 2 < len &&
                       (unsigned char)o[j + 1] == 0x80 &&
                       ((unsigned char)o[j + 2] == 0x9C ||
                        (unsigned char)o[j + 2] == 0x9D)) {
                low[n++] = '"'; /* curly double quotes */
                j += 3;
            } else {
                low[n++] = tx__ascii_lower(c);
                j++;
            }
        }
        low[n] = '\0';
        x->low = low;
        x->low_len = (uint32_t)n;
        total += n + 1;
        x->h_low = tx__hash(low, n);
        x->cue = -1;
        if (!full)
            continue;
        if (!word_cp(t, x->end, x->start, &adv) ||
            tx__wordset_has(&sets.function, x->h_low))
            x->cls = low;
        else
            x->cls = shape(o, low, n, k == 0);
        x->h_cls = tx__hash(x->cls, strlen(x->cls));
    }
    if (full)
        find_cues(w);
    return TX_OK;
}

int tx__cwords_split(tx__cwords *w, const char *t, size_t start, size_t end)
{
    return split(w, t, start, end, true);
}

int tx__cwords_split_words(tx__cwords *w, const char *t, size_t start,
                           size_t end)
{
    return split(w, t, start, end, false);
}

bool tx__cword_is_negator(const tx__cword *x)
{
    return is_negator(x);
}
