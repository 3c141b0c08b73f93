/*
 * Normalization (utf8proc NFKC + case folding) and tokenization.
 *
 * Text is cut at ASCII whitespace into chunks; a chunk is first tested as a
 * URL or e-mail address, then split into words (letters, digits and marks,
 * joined across an inner apostrophe, hyphen, or a decimal point between
 * digits) and emoji; a run of a script written without spaces (Chinese,
 * Japanese, Thai, Lao, Khmer, Burmese) is cut into words by ICU's
 * dictionary-based word breaker. Each distinct raw word is normalized,
 * stopword-checked and stemmed once; the result is cached, because customer text repeats the
 * same few thousand words millions of times.
 */
#include "tx_internal.h"
#include "tx_text_private.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <utf8proc.h>

#define OPTS_NFKC_CF                                                        \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPAT |                \
                         UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD))

#define FRONT_SIZE 16384

/* Cache entry: raw word -> normalized surface and final term. */
enum { KIND_WORD, KIND_STOP, KIND_NEGATOR, KIND_SHORT };

struct centry {
    uint64_t hash;
    uint32_t key, key_len;   /* offsets into pool */
    uint32_t surf, surf_len;
    uint32_t term, term_len;
    int kind;
    uint32_t slot, neg_slot; /* callers' memos, see tx__token_ext */
};

struct tx_tokenizer {
    tx_ctx *ctx;
    tx_tokenizer_params p;
    struct sb_stemmer *stemmer;
    /* Stopwords: a small open-addressing set of normalized words. */
    char **stop;
    size_t stop_cap;
    /* Word cache. */
    /* Word cache: entries in first-seen order (frequent words come early
     * and sit together in memory), an open-addressing index over them, and
     * a small direct-mapped front table that keeps the hottest words'
     * lookups inside L2. */
    struct centry *ents;
    size_t n_ents, cap_ents;
    uint32_t *slots; /* entry index + 1; 0 = empty */
    size_t tab_cap;
    struct front { uint64_t hash; uint32_t idx1; } *front;
    char *pool;
    size_t pool_len, pool_cap;
    int force_unicode; /* tests: take the utf8proc path for ASCII too */
    /* n-gram window: recent terms, each copied as "term\0surface\0"
     * into a buffer the slot keeps. */
    struct win_term {
        char *buf;
        size_t cap, len, slen, start;
    } win[8];
    size_t win_n;
    char *gram;
    size_t gram_cap;
    const char *const *negators; /* of p.lang besides English; NULL: none */
    const char *const *elisions; /* French/Italian l' d' ...; NULL: none */
    /* ICU word breaker for scripts without spaces, opened on first use. */
    UBreakIterator *brk;
    UText *brk_text;
    bool brk_failed;
};

void tx_tokenizer_params_init(tx_tokenizer_params *p)
{
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    p->lang = "english";
    p->stem = 1;
    p->stopwords = 1;
    p->negation = 1;
    p->placeholders = 1;
    p->ngram_min = 1;
    p->ngram_max = 1;
    p->min_token_len = 2;
}

const char **tx_tokenizer_languages(void)
{
    return sb_stemmer_list();
}

/* ---- normalization ---- */

int tx_text_normalize(const char *s, size_t len, char *dst, size_t cap,
                 size_t *need)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n;
    size_t i;
    bool ascii = true;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || s[i] == '\0') {
            ascii = false;
            break;
        }
    if (ascii) {
        if (need)
            *need = len + 1;
        if (cap < len + 1)
            return TX_ERANGE;
        for (i = 0; i < len; i++) {
            dst[i] = tx__ascii_lower((unsigned char)s[i]);
        }
        dst[len] = '\0';
        return TX_OK;
    }
    n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                     &out, OPTS_NFKC_CF);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? TX_ENOMEM : TX_EUTF8;
    if (need)
        *need = (size_t)n + 1;
    if (cap < (size_t)n + 1) {
        free(out);
        return TX_ERANGE;
    }
    memcpy(dst, out, (size_t)n + 1);
    free(out);
    return TX_OK;
}

/* ---- character classes ---- */

enum { C_SEP, C_WORD, C_DIGIT, C_EMOJI, C_CURRENCY, C_JOIN, C_NOSPACE };

/* Letters of scripts written without spaces between words: Han, kana,
 * Thai, Lao, Khmer, Myanmar. Hangul is written with spaces and is an
 * ordinary word character. */
static bool is_nospace(int32_t cp)
{
    return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
           (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0x3005 && cp <= 0x3007) ||
           (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
           (cp >= 0x20000 && cp <= 0x3134F);
}

/* Classes of ASCII bytes, so the common case needs no call. */
static const unsigned char ascii_class[128] = {
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT,
    ['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT,
    ['8'] = C_DIGIT, ['9'] = C_DIGIT, ['$'] = C_CURRENCY,
    ['A'] = C_WORD, ['B'] = C_WORD, ['C'] = C_WORD, ['D'] = C_WORD,
    ['E'] = C_WORD, ['F'] = C_WORD, ['G'] = C_WORD, ['H'] = C_WORD,
    ['I'] = C_WORD, ['J'] = C_WORD, ['K'] = C_WORD, ['L'] = C_WORD,
    ['M'] = C_WORD, ['N'] = C_WORD, ['O'] = C_WORD, ['P'] = C_WORD,
    ['Q'] = C_WORD, ['R'] = C_WORD, ['S'] = C_WORD, ['T'] = C_WORD,
    ['U'] = C_WORD, ['V'] = C_WORD, ['W'] = C_WORD, ['X'] = C_WORD,
    ['Y'] = C_WORD, ['Z'] = C_WORD,
    ['a'] = C_WORD, ['b'] = C_WORD, ['c'] = C_WORD, ['d'] = C_WORD,
    ['e'] = C_WORD, ['f'] = C_WORD, ['g'] = C_WORD, ['h'] = C_WORD,
    ['i'] = C_WORD, ['j'] = C_WORD, ['k'] = C_WORD, ['l'] = C_WORD,
    ['m'] = C_WORD, ['n'] = C_WORD, ['o'] = C_WORD, ['p'] = C_WORD,
    ['q'] = C_WORD, ['r'] = C_WORD, ['s'] = C_WORD, ['t'] = C_WORD,
    ['u'] = C_WORD, ['v'] = C_WORD, ['w'] = C_WORD, ['x'] = C_WORD,
    ['y'] = C_WORD, ['z'] = C_WORD,
};

static int classify_unicode(const char *s, size_t n, size_t *adv,
                            int32_t *cp_out)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;

    k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                         (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
    if (k <= 0) {
        *adv = 1;
        *cp_out = -1;
        return C_SEP;
    }
    *adv = (size_t)k;
    *cp_out = cp;
    if (cp == 0x200D || cp == 0xFE0F)
        return C_JOIN; /* emoji joiner / presentation selector */
    if (cp == 0xFFFD)
        return C_SEP; /* where the reader repaired bad bytes: not a word */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return is_nospace(cp) ? C_NOSPACE : C_WORD;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_SC:
        return C_CURRENCY;
    case UTF8PROC_CATEGORY_SO:
        /* Emoji and flags are tokens ("so cute 😍"); other symbols are
         * not words: box drawing ("├" of doubly decoded text labelled a
         * theme), degree signs, geometric bullets. */
        return utf8proc_get_property(cp)->boundclass ==
                       UTF8PROC_BOUNDCLASS_OTHER
                   ? C_SEP
                   : C_EMOJI;
    case UTF8PROC_CATEGORY_SK:
        /* Skin-tone modifiers belong to the emoji before them. */
        return (cp >= 0x1F3FB && cp <= 0x1F3FF) ? C_JOIN : C_SEP;
    default:
        return C_SEP;
    }
}

/* Class of the code point at s (n bytes left); *adv gets its length. Invalid
 * bytes are separators of length 1. */
static inline int classify(const char *s, size_t n, size_t *adv,
                           int32_t *cp_out)
{
    unsigned char c = (unsigned char)s[0];

    if (c < 0x80) {
        *adv = 1;
        *cp_out = c;
        return ascii_class[c];
    }
    return classify_unicode(s, n, adv, cp_out);
}

/* What the chunk scan needs of each byte: whether it is a space, which
 * ends a chunk, and whether a placeholder needs it: '@' (addresses,
 * handles), '.' '/' ':' (URLs, "www."), an opening bracket ("[redacted]",
 * "{{name}}"). Chunks with none of the latter skip those checks. */
enum { B_SPACE = 1, B_HINT = 2 };

static const unsigned char byte_flags[256] = {
    [' '] = B_SPACE, ['\t'] = B_SPACE, ['\n'] = B_SPACE, ['\r'] = B_SPACE,
    ['\f'] = B_SPACE, ['\v'] = B_SPACE,
    ['@'] = B_HINT, ['.'] = B_HINT, ['/'] = B_HINT, [':'] = B_HINT,
    ['['] = B_HINT, ['('] = B_HINT, ['<'] = B_HINT, ['{'] = B_HINT,
};

/* ---- stopword set ---- */

static int stop_add(tx_tokenizer *t, const char *w)
{
    char buf[TX_MAX_TOKEN * 4 + 1];
    size_t need, h;

    if (tx_text_normalize(w, strlen(w), buf, sizeof buf, &need) != TX_OK)
        return TX_OK; /* over-long or invalid entries cannot match a word */
    h = tx__hash(buf, strlen(buf)) & (t->stop_cap - 1);
    while (t->stop[h]) {
        if (strcmp(t->stop[h], buf) == 0)
            return TX_OK;
        h = (h + 1) & (t->stop_cap - 1);
    }
    t->stop[h] = tx__strdup(t->ctx, buf);
    return t->stop[h] ? TX_OK : TX_ENOMEM;
}

static bool stop_has(const tx_tokenizer *t, const char *w, size_t n)
{
    size_t h;

    if (!t->stop_cap)
        return false;
    h = tx__hash(w, n) & (t->stop_cap - 1);
    while (t->stop[h]) {
        if (strlen(t->stop[h]) == n && memcmp(t->stop[h], w, n) == 0)
            return true;
        h = (h + 1) & (t->stop_cap - 1);
    }
    return false;
}

static int setup_stopwords(tx_tokenizer *t)
{
    const char *const *list = t->p.stopword_list, *const *cjk = NULL;
    static const char *const none[] = {NULL};
    size_t n = 0, m = 0, i, cap;
    int rc = TX_OK;

    if (!t->p.stopwords)
        return TX_OK;
    if (!list) {
        /* Built in: the language's function words where libtext has a
         * list, and the Chinese and Japanese ones whatever the language. */
        list = tx__stopwords_for(t->p.lang);
        if (!list)
            list = none;
        cjk = tx__stopwords_cjk;
    }
    while (list[n])
        n++;
    while (cjk && cjk[m])
        m++;
    cap = 16;
    while (cap < (n + m) * 2 + 2)
        cap *= 2;
    t->stop = tx__calloc(t->ctx, cap, sizeof *t->stop);
    if (!t->stop)
        return TX_ENOMEM;
    t->stop_cap = cap;
    for (i = 0; i < n && rc == TX_OK; i++)
        rc = stop_add(t, list[i]);
    for (i = 0; i < m && rc == TX_OK; i++)
        rc = stop_add(t, cjk[i]);
    return rc;
}

const char *tx_tokenizer_params_check(const tx_tokenizer_params *p)
{
    struct sb_stemmer *st;

    if (!p)
        return NULL;
    if (p->ngram_min < 1 || p->ngram_max < p->ngram_min)
        return "n-grams: need 1 <= ngram_min <= ngram_max";
    if (p->ngram_max > 8)
        return "n-grams: ngram_max is at most 8";
    if (p->min_token_len < 0)
        return "min_token_len must not be negative";
    if (p->stem && p->lang) {
        st = sb_stemmer_new(p->lang, "UTF_8");
        if (!st)
            return "no Snowball stemmer for this language "
                   "(tx_tokenizer_languages lists them)";
        sb_stemmer_delete(st);
    }
    return NULL;
}

int tx_tokenizer_new(tx_ctx *ctx, const tx_tokenizer_params *p,
                     tx_tokenizer **out)
{
    tx_tokenizer_params def;
    tx_tokenizer *t;
    int rc;

    if (!ctx || !out)
        return TX_EINVAL;
    *out = NULL;
    tx_tokenizer_params_init(&def);
    if (tx__params_take(&def, sizeof def, p, p ? p->size : 0))
        return TX_EINVAL;
    p = &def;
    if (tx_tokenizer_params_check(p))
        return TX_EINVAL;
    t = tx__calloc(ctx, 1, sizeof *t);
    if (!t)
        return TX_ENOMEM;
    t->ctx = ctx;
    t->p = *p;
    t->p.stopword_list = NULL;
    if (p->stem && p->lang) {
        t->stemmer = sb_stemmer_new(p->lang, "UTF_8");
        if (!t->stemmer) {
            tx_free(ctx, t);
            return TX_EINVAL; /* unknown language (or no memory) */
        }
    }
    t->negators = tx__negators_for(p->lang);
    t->elisions = tx__elisions_for(p->lang);
    t->p.stopword_list = p->stopword_list;
    rc = setup_stopwords(t);
    t->p.stopword_list = NULL; /* copied into the set; do not keep */
    if (rc != TX_OK) {
        tx_tokenizer_free(t);
        return rc;
    }
    *out = t;
    return TX_OK;
}

static void cache_clear(tx_tokenizer *t)
{
    if (t->slots)
        memset(t->slots, 0, t->tab_cap * sizeof *t->slots);
    if (t->front)
        memset(t->front, 0, FRONT_SIZE * sizeof *t->front);
    t->n_ents = 0;
    t->pool_len = 0;
}

void tx_tokenizer_free(tx_tokenizer *t)
{
    size_t i;

    if (!t)
        return;
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    for (i = 0; i < t->stop_cap; i++)
        tx_free(t->ctx, t->stop[i]);
    tx_free(t->ctx, t->stop);
    tx_free(t->ctx, t->ents);
    tx_free(t->ctx, t->slots);
    tx_free(t->ctx, t->front);
    tx_free(t->ctx, t->pool);
    for (i = 0; i < 8; i++)
        tx_free(t->ctx, t->win[i].buf);
    tx_free(t->ctx, t->gram);
    if (t->brk)
        ubrk_close(t->brk);
    if (t->brk_text)
        utext_close(t->brk_text);
    tx_free(t->ctx, t);
}

/* White-box hook for tests: disable the ASCII fast path. */
void tx__tokenizer_force_unicode(tx_tokenizer *t, int on)
{
    t->force_unicode = on;
}

void tx__tokenizer_ngram_max(tx_tokenizer *t, int max)
{
    if (max >= t->p.ngram_min && max >= 1 && max <= 8)
        t->p.ngram_max = max;
}

/* ---- word cache ---- */

static int pool_put(tx_tokenizer *t, const char *s, size_t n, uint32_t *off)
{
    if (t->pool_len + n + 1 > UINT32_MAX)
        return TX_ERANGE;
    if (tx__grow(t->ctx, (void **)&t->pool, &t->pool_cap, t->pool_len + n + 1,
                 1))
        return TX_ENOMEM;
    memcpy(t->pool + t->pool_len, s, n);
    t->pool[t->pool_len + n] = '\0';
    *off = (uint32_t)t->pool_len;
    t->pool_len += n + 1;
    return TX_OK;
}

static bool in_list(const char *const *list, const char *w, size_t n)
{
    for (; list && *list; list++)
        if (strlen(*list) == n && memcmp(*list, w, n) == 0)
            return true;
    return false;
}

/* English negators always (feedback mixes English in), and those of the
 * tokenizer's language. `w` is normalized (case folded). */
static bool is_negator(const tx_tokenizer *t, const char *w, size_t n)
{
    static const char *const neg[] = {
        "not", "no", "never", "cannot", "nor", "dont", "doesnt", "didnt",
        "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wouldnt",
        "shouldnt", "wont", "havent", "hasnt", "hadnt", "aint", "nobody",
        "nothing", "none", "neither", "nowhere", "without", NULL};

    if (n > 3 && memcmp(w + n - 3, "n't", 3) == 0)
        return true;
    return in_list(neg, w, n) || in_list(t->negators, w, n);
}

/* Normalizes a raw word into `buf`: NFKC + case folding, with the
 * typographic apostrophe made ASCII so "don’t" and "don't" agree. */
static int normalize_word(tx_tokenizer *t, const char *w, size_t n,
                          char *buf, size_t cap, size_t *out_n)
{
    size_t need, i, o = 0;
    int rc;

    if (t->force_unicode) {
        utf8proc_uint8_t *res = NULL;
        utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)w,
                                          (utf8proc_ssize_t)n, &res,
                                          OPTS_NFKC_CF);
        if (k < 0)
            return TX_EUTF8;
        if ((size_t)k + 1 > cap) {
            free(res);
            return TX_ERANGE;
        }
        memcpy(buf, res, (size_t)k + 1);
        free(res);
        need = (size_t)k + 1;
    } else {
        rc = tx_text_normalize(w, n, buf, cap, &need);
        if (rc != TX_OK)
            return rc;
    }
    for (i = 0; i + 1 < need; i++) {
        if (i + 2 < need && (unsigned char)buf[i] == 0xE2 &&
            (unsigned char)buf[i + 1] == 0x80 &&
            (unsigned char)buf[i + 2] == 0x99) {
            buf[o++] = '\'';
            i += 2;
        } else {
            buf[o++] = buf[i];
        }
    }
    buf[o] = '\0';
    *out_n = o;
    return TX_OK;
}

static bool starts_nospace(const char *s, size_t n)
{
    utf8proc_int32_t cp;

    return utf8proc_iterate((const utf8proc_uint8_t *)s,
                            (utf8proc_ssize_t)(n < 4 ? n : 4), &cp) > 0 &&
           is_nospace(cp);
}

static size_t count_cp(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

/* memcmp(a, b, n) == 0 without a call for the short words of the hot
 * loop: two overlapping 8-byte loads cover 8 to 16 bytes. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x0, y0, x1, y1;
    size_t i;

    if (n < 8) {
        for (i = 0; i < n; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
    if (n > 16)
        return memcmp(a, b, n) == 0;
    memcpy(&x0, a, 8);
    memcpy(&y0, b, 8);
    memcpy(&x1, a + n - 8, 8);
    memcpy(&y1, b + n - 8, 8);
    return x0 == y0 && x1 == y1;
}

/* Looks up or computes the cache entry of raw word w. Returns NULL on
 * allocation failure or for a word that cannot be normalized (skipped).
 * Inlined by force: the hot loop calls it for every word. */
static inline __attribute__((always_inline)) struct centry *
lookup_word(tx_tokenizer *t, const char *w, size_t n, int *rc)
{
    uint64_t h = tx__hash(w, n);
    size_t i;
    struct centry e;
    char norm[TX_MAX_TOKEN * 4 + 8];
    size_t nn;
    const char *term;
    size_t term_n;

    struct front *f;

    *rc = TX_OK;
    if (!t->front) {
        t->front = tx__calloc(t->ctx, FRONT_SIZE, sizeof *t->front);
        if (!t->front) {
            *rc = TX_ENOMEM;
            return NULL;
        }
    }
    f = &t->front[h & (FRONT_SIZE - 1)];
    if (f->idx1 && f->hash == h) {
        struct centry *c = &t->ents[f->idx1 - 1];

        if (c->key_len == n && same_bytes(t->pool + c->key, w, n))
            return c;
    }
    if (t->tab_cap) {
        uint32_t k;

        i = h & (t->tab_cap - 1);
        while ((k = t->slots[i]) != 0) {
            struct centry *c = &t->ents[k - 1];

            if (c->hash == h && c->key_len == n &&
                same_bytes(t->pool + c->key, w, n)) {
                f->hash = h;
                f->idx1 = k;
                return c;
            }
            i = (i + 1) & (t->tab_cap - 1);
        }
    }
    /* Keep memory bounded on text with endless distinct words. */
    if (t->n_ents >= (1u << 22) || t->pool_len > (1u << 30))
        cache_clear(t);
    if ((t->n_ents + 1) * 2 >= t->tab_cap) {
        size_t cap = t->tab_cap ? t->tab_cap * 2 : 4096, k;
        uint32_t *ns = tx__calloc(t->ctx, cap, sizeof *ns);

        if (!ns) {
            *rc = TX_ENOMEM;
            return NULL;
        }
        for (k = 0; k < t->n_ents; k++) {
            size_t j = t->ents[k].hash & (cap - 1);

            while (ns[j])
                j = (j + 1) & (cap - 1);
            ns[j] = (uint32_t)(k + 1);
        }
        tx_free(t->ctx, t->slots);
        t->slots = ns;
        t->tab_cap = cap;
    }
    if (tx__grow(t->ctx, (void **)&t->ents, &t->cap_ents, t->n_ents + 1,
                 sizeof *t->ents)) {
        *rc = TX_ENOMEM;
        return NULL;
    }
    if (normalize_word(t, w, n, norm, sizeof norm, &nn) != TX_OK)
        return NULL;
    memset(&e, 0, sizeof e);
    e.hash = h;
    e.kind = KIND_WORD;
    term = norm;
    term_n = nn;
    if (t->p.negation && is_negator(t, norm, nn))
        e.kind = KIND_NEGATOR;
    else if (stop_has(t, norm, nn))
        e.kind = KIND_STOP;
    else if (count_cp(norm, nn) < (size_t)t->p.min_token_len &&
             !starts_nospace(norm, nn)) /* one ideograph is a word */
        e.kind = KIND_SHORT;
    else if (t->stemmer) {
        const sb_symbol *st = sb_stemmer_stem(
            t->stemmer, (const sb_symbol *)norm, (int)nn);

        if (st) {
            term = (const char *)st;
            term_n = (size_t)sb_stemmer_length(t->stemmer);
        }
    }
    if ((*rc = pool_put(t, w, n, &e.key)) != TX_OK ||
        (*rc = pool_put(t, norm, nn, &e.surf)) != TX_OK ||
        (*rc = pool_put(t, term, term_n, &e.term)) != TX_OK)
        return NULL;
    e.key_len = (uint32_t)n;
    e.surf_len = (uint32_t)nn;
    e.term_len = (uint32_t)term_n;
    i = h & (t->tab_cap - 1);
    while (t->slots[i])
        i = (i + 1) & (t->tab_cap - 1);
    t->ents[t->n_ents] = e;
    t->slots[i] = (uint32_t)++t->n_ents;
    f->hash = h;
    f->idx1 = (uint32_t)t->n_ents;
    return &t->ents[t->n_ents - 1];
}

/* ---- emitting terms and n-grams ---- */

struct emit {
    tx_tokenizer *t;
    tx_token_fn fn;
    void *ud;
    bool negate;
    size_t neg_from; /* where the pending negator starts */
    char negbuf[TX_MAX_TOKEN * 4 + 16];
    char negsurf[TX_MAX_TOKEN * 4 + 16];
};

static void window_reset(tx_tokenizer *t)
{
    t->win_n = 0;
}

/* Emits one unigram term and the n-grams that end with it. */
static int emit_term(struct emit *em, const char *term, size_t tn,
                     const char *surf, size_t sn, size_t from, size_t start,
                     size_t end, uint32_t *slot)
{
    tx_tokenizer *t = em->t;
    tx__token_ext ext;
    size_t keep = (size_t)t->p.ngram_max - 1, g, k;
    struct win_term *w;
    int rc;

    if (t->p.ngram_min <= 1) {
        ext.tok = (tx_token){term, tn, surf, sn, start, end};
        ext.slot = slot;
        ext.words = 1;
        ext.from = from;
        if ((rc = em->fn(em->ud, &ext.tok)) != 0)
            return rc;
    }
    if (!keep)
        return 0;
    /* n-grams of the last ngram_max - 1 terms and this one. The window
     * keeps each term as "term\0surface\0"; an n-gram's surface joins the
     * words' surfaces ("card arrival"), its term the terms. */
    for (g = 2; g <= (size_t)t->p.ngram_max && g - 1 <= t->win_n; g++) {
        size_t len = tn + sn + 2, o = 0, os;

        if (g < (size_t)t->p.ngram_min)
            continue;
        for (k = t->win_n - (g - 1); k < t->win_n; k++)
            len += t->win[k].len + t->win[k].slen + 2;
        if (tx__grow(t->ctx, (void **)&t->gram, &t->gram_cap, len, 1))
            return TX_ENOMEM;
        for (k = t->win_n - (g - 1); k < t->win_n; k++) {
            memcpy(t->gram + o, t->win[k].buf, t->win[k].len);
            o += t->win[k].len;
            t->gram[o++] = ' ';
        }
        memcpy(t->gram + o, term, tn);
        o += tn;
        t->gram[o++] = '\0';
        os = o;
        for (k = t->win_n - (g - 1); k < t->win_n; k++) {
            memcpy(t->gram + o, t->win[k].buf + t->win[k].len + 1,
                   t->win[k].slen);
            o += t->win[k].slen;
            t->gram[o++] = ' ';
        }
        memcpy(t->gram + o, surf, sn);
        o += sn;
        t->gram[o] = '\0';
        ext.tok = (tx_token){t->gram, os - 1, t->gram + os, o - os,
                             t->win[t->win_n - (g - 1)].start, end};
        ext.slot = NULL;
        ext.words = (unsigned)g;
        ext.from = ext.tok.start;
        if ((rc = em->fn(em->ud, &ext.tok)) != 0)
            return rc;
    }
    if (t->win_n == keep) { /* the oldest slot's buffer moves to the end */
        struct win_term first = t->win[0];

        memmove(t->win, t->win + 1, (keep - 1) * sizeof *t->win);
        t->win[keep - 1] = first;
        t->win_n--;
    }
    w = &t->win[t->win_n];
    /* each slot's buffer is kept and only grows: n-gram documents pass
     * every word through the window */
    if (tx__grow(t->ctx, (void **)&w->buf, &w->cap, tn + sn + 2, 1))
        return TX_ENOMEM;
    memcpy(w->buf, term, tn);
    w->buf[tn] = '\0';
    memcpy(w->buf + tn + 1, surf, sn);
    w->buf[tn + 1 + sn] = '\0';
    w->len = tn;
    w->slen = sn;
    w->start = start;
    t->win_n++;
    return 0;
}

static inline __attribute__((always_inline)) int
emit_word_at(struct emit *em, const char *w, size_t n, size_t start,
             size_t end)
{
    struct centry *e;
    tx_tokenizer *t = em->t;
    uint32_t *slot;
    const char *term, *surf;
    size_t tn, sn, from;
    int rc;

    if (n > TX_MAX_TOKEN)
        return 0;
    e = lookup_word(t, w, n, &rc);
    if (!e)
        return rc;
    if (e->kind == KIND_NEGATOR) {
        em->negate = true;
        em->neg_from = start;
        return 0;
    }
    if (e->kind != KIND_WORD)
        return 0;
    term = t->pool + e->term;
    tn = e->term_len;
    surf = t->pool + e->surf;
    sn = e->surf_len;
    slot = &e->slot;
    from = start;
    if (em->negate) {
        /* Term "not_help", surface "not helpful": counted apart from
         * "help", shown to people as words. */
        size_t pl = strlen(TX_NEGATION_PREFIX);

        memcpy(em->negbuf, TX_NEGATION_PREFIX, pl);
        memcpy(em->negbuf + pl, term, tn);
        tn += pl;
        em->negbuf[tn] = '\0';
        memcpy(em->negsurf, "not ", 4);
        memcpy(em->negsurf + 4, surf, sn);
        sn += 4;
        em->negsurf[sn] = '\0';
        term = em->negbuf;
        surf = em->negsurf;
        slot = &e->neg_slot;
        from = em->neg_from;
        em->negate = false;
    }
    if (t->p.ngram_max <= 1) { /* unigrams only, the common case */
        tx__token_ext ext = {{term, tn, surf, sn, start, end}, slot, 1,
                             from};

        return em->fn(em->ud, &ext.tok);
    }
    return emit_term(em, term, tn, surf, sn, from, start, end, slot);
}

/* The word w[0..n) at bytes [start, start + n) of the text. */
static int emit_word(struct emit *em, const char *w, size_t n, size_t start)
{
    return emit_word_at(em, w, n, start, start + n);
}

static int emit_placeholder(struct emit *em, const char *ph, size_t start,
                            size_t end)
{
    em->negate = false;
    return emit_term(em, ph, strlen(ph), ph, strlen(ph), start, start, end,
                     NULL);
}

/* ---- chunks ---- */

static bool has_prefix_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p), i;

    if (n < k)
        return false;
    for (i = 0; i < k; i++) {
        if (tx__ascii_lower((unsigned char)s[i]) != p[i])
            return false;
    }
    return true;
}

/* local@domain.tld with ASCII letters/digits and ._%+- around. */
static bool is_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t a, i;
    bool dot = false;

    if (!at || at == s)
        return false;
    a = (size_t)(at - s);
    if (a + 1 >= n || !tx__ascii_alnum((unsigned char)s[a - 1]) ||
        !tx__ascii_alnum((unsigned char)s[a + 1]))
        return false;
    for (i = a + 1; i < n; i++) {
        if (s[i] == '.' && i + 1 < n &&
            tx__ascii_alnum((unsigned char)s[i + 1]))
            dot = true;
        else if (!tx__ascii_alnum((unsigned char)s[i]) && s[i] != '-' &&
                 s[i] != '.')
            return false;
    }
    return dot;
}

/* A social-media handle: '@' and 1 to 30 letters, digits or '_' ("@united",
 * "@AskPayPal"). Customers address the company this way in nearly every
 * tweet; as words, the handles made themes of their own, one per airline,
 * on real complaint tweets. A trailing "'s" is part of it. */
static bool is_handle(const char *s, size_t n)
{
    size_t i;

    if (n >= 4 && s[n - 2] == '\'' && (s[n - 1] == 's' || s[n - 1] == 'S'))
        n -= 2;
    if (n < 2 || n > 31 || s[0] != '@')
        return false;
    for (i = 1; i < n; i++)
        if (!tx__ascii_alnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

/* Encoded data (base64, hex digests, keys): long, only [A-Za-z0-9+/=],
 * letters and digits mixed, and either a + / = or at least one digit in
 * ten bytes (a CamelCase identifier such as JUnit4SpringContextTests has
 * neither); few slashes, so a path's words are kept. Base64 fragments
 * between + and / would otherwise become thousands of random "words", and
 * the short ones recur often enough to reach theme labels. */
#define BLOB_MIN_BYTES 40

static bool is_blob(const char *s, size_t n)
{
    size_t i, slashes = 0, digits = 0, marks = 0;
    bool letter = false;

    if (n < BLOB_MIN_BYTES)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c >= '0' && c <= '9')
            digits++;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            letter = true;
        else if (c == '/')
            slashes++, marks++;
        else if (c == '+' || c == '=')
            marks++;
        else
            return false;
    }
    return letter && digits && slashes * 10 < n && (marks || digits * 10 >= n);
}

/* Brackets and quotes around a URL or address; strchr would also match
 * the terminating NUL. */
static bool opens_chunk(char c)
{
    return c == '(' || c == '<' || c == '[' || c == '"' || c == '\'';
}

static bool closes_chunk(char c)
{
    return c == ')' || c == '>' || c == ']' || c == '"' || c == '\'' ||
           c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
           c == '?';
}

/* . , ; : ! ? and their full-width and ideographic forms (，。、！？；：). */
static bool ends_clause(int32_t cp)
{
    return cp == '.' || cp == ',' || cp == ';' || cp == ':' || cp == '!' ||
           cp == '?' || cp == 0x3001 || cp == 0x3002 || cp == 0xFF01 ||
           cp == 0xFF0C || cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF1F;
}

/* Bytes of an elided word and its apostrophe at the start of w (at byte
 * `at` of the text: "l'", "dell’"), 0 when none; French "n'" sets the
 * negation. */
static size_t elided(struct emit *em, const char *w, size_t n, size_t at)
{
    const tx_tokenizer *t = em->t;
    char low[8];
    size_t k, skip;

    for (k = 0; k < n && k < sizeof low - 1 && w[k] != '\''; k++) {
        if ((unsigned char)w[k] == 0xE2 && k + 2 < n &&
            (unsigned char)w[k + 1] == 0x80 && (unsigned char)w[k + 2] == 0x99)
            break; /* U+2019 */
        low[k] = (char)(w[k] >= 'A' && w[k] <= 'Z' ? w[k] + 32 : w[k]);
    }
    if (k == 0 || k >= n || k == sizeof low - 1 ||
        !in_list(t->elisions, low, k))
        return 0;
    skip = k + (w[k] == '\'' ? 1 : 3);
    if (skip >= n)
        return 0;
    if (k == 1 && low[0] == 'n' && in_list(t->negators, "ne", 2)) {
        em->negate = true; /* French n' = ne */
        em->neg_from = at;
    }
    return skip;
}

/* The run of letters of a script without spaces at text[i..b), cut into
 * words by ICU's dictionary-based breaker (the dictionaries ship with
 * ICU's data); *end gets the run's end. If ICU cannot open a breaker the
 * run stays one word. */
__attribute__((noinline)) static int
emit_nospace_run(struct emit *em, const char *text, size_t i, size_t b,
                 size_t *end)
{
    tx_tokenizer *t = em->t;
    UErrorCode e = U_ZERO_ERROR;
    size_t j = i, adv;
    int32_t cp, p, q;
    int rc = 0;

    while (j < b && classify(text + j, b - j, &adv, &cp) == C_NOSPACE)
        j += adv;
    *end = j;
    if (!t->brk && !t->brk_failed) {
        t->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &e);
        if (U_FAILURE(e)) {
            t->brk = NULL;
            t->brk_failed = true;
        }
        e = U_ZERO_ERROR;
    }
    if (t->brk) {
        t->brk_text = utext_openUTF8(t->brk_text, text + i,
                                     (int64_t)(j - i), &e);
        if (U_SUCCESS(e))
            ubrk_setUText(t->brk, t->brk_text, &e);
    }
    if (!t->brk || U_FAILURE(e))
        return emit_word(em, text + i, j - i, i);
    for (p = ubrk_first(t->brk);
         rc == 0 && (q = ubrk_next(t->brk)) != UBRK_DONE; p = q)
        if (ubrk_getRuleStatus(t->brk) >= UBRK_WORD_LETTER)
            rc = emit_word(em, text + i + p, (size_t)(q - p), i + (size_t)p);
    return rc;
}

/* Redaction marks that complaint and ticket exports put where personal
 * data was: "XXXX", "XX/XX/XXXX" (runs of two or more capital X; a
 * lowercase "xx" is a word, as in tweets' kisses), "[redacted]",
 * "{{name}}". They carry no meaning and would otherwise become a theme's
 * label. */
static bool is_x_run(const char *s, size_t n)
{
    size_t i;

    if (n < 2)
        return false;
    for (i = 0; i < n; i++)
        if (s[i] != 'X')
            return false;
    return true;
}

/* Whether the chunk c[0..n) is a redaction mark: "[redacted]" and its
 * kin (a trailing '.' or ',' allowed), or "{{name}}" inside the chunk's
 * opening and closing punctuation (w[0..wn)). */
static bool is_redaction_chunk(const char *c, size_t n, const char *w,
                               size_t wn)
{
    static const char *const marks[] = {"[redacted]", "(redacted)",
                                        "<redacted>", "[removed]", NULL};
    static const size_t mark_len[] = {10, 10, 10, 9};
    size_t i, k;

    if (wn >= 4 && w[0] == '{' && w[1] == '{' && w[wn - 2] == '}' &&
        w[wn - 1] == '}')
        return true;
    /* Every chunk passes here: most are turned away by their first byte. */
    if (n < 9 || (c[0] != '[' && c[0] != '(' && c[0] != '<'))
        return false;
    for (i = 0; marks[i]; i++) {
        k = mark_len[i];
        if (n >= k && n <= k + 1 && strncasecmp(c, marks[i], k) == 0 &&
            (n == k || closes_chunk(c[k])))
            return true;
    }
    return false;
}

/* The word text[s..e) of the chunk text[a..b) is an HTML character
 * reference left escaped in plain text ("you &amp; me", "don&#39;t",
 * "&#x27;"), as tweets and web exports carry them: markup, not a word the
 * customer wrote ("amp" would otherwise label themes of tweets). */
static bool html_entity(const char *text, size_t a, size_t b, size_t s,
                        size_t e)
{
    static const char *const named[] = {"amp", "lt", "gt", "quot", "apos",
                                        "nbsp", NULL};
    size_t i, n = e - s;

    if (s == a || e >= b || text[e] != ';')
        return false;
    if (text[s - 1] == '&') {
        for (i = 0; named[i]; i++)
            if (strlen(named[i]) == n && memcmp(named[i], text + s, n) == 0)
                return true;
        return false;
    }
    if (text[s - 1] != '#' || s - 1 == a || text[s - 2] != '&' || n > 7)
        return false;
    if (text[s] == 'x' || text[s] == 'X') { /* "&#x27;" */
        for (i = 1; i < n && (tx__ascii_alnum((unsigned char)text[s + i]) &&
                              tx__ascii_lower((unsigned char)text[s + i]) <= 'f');
             i++)
            ;
        return n > 1 && i == n;
    }
    for (i = 0; i < n && text[s + i] >= '0' && text[s + i] <= '9'; i++)
        ;
    return i == n;
}

/* Bytes of an apostrophe written as an HTML character reference at the
 * start of p[0..n) ("&#39;", "&#x27;", "&apos;", "&rsquo;", ...), or 0:
 * exports escape the apostrophe of "don&#39;t", which is one word. */
static size_t apostrophe_ref(const char *p, size_t n)
{
    static const char *const ref[] = {"&#39;", "&#039;", "&#x27;", "&#X27;",
                                      "&apos;", "&rsquo;", "&#8217;",
                                      "&#x2019;", "&#X2019;", NULL};
    size_t i;

    for (i = 0; ref[i]; i++)
        if (has_prefix_ci(p, n, ref[i]))
            return strlen(ref[i]);
    return 0;
}

/* text[i..j) with every apostrophe reference made "'", into buf (at least
 * TX_MAX_TOKEN + 1 bytes); its length, or TX_MAX_TOKEN + 1 when too long
 * to be a word. */
static size_t unescape_apostrophes(const char *text, size_t i, size_t j,
                                   char *buf)
{
    size_t n = 0, r;

    while (i < j && n <= TX_MAX_TOKEN) {
        if (text[i] == '&' && (r = apostrophe_ref(text + i, j - i)) > 0) {
            buf[n++] = '\'';
            i += r;
        } else {
            buf[n++] = text[i++];
        }
    }
    return i < j ? TX_MAX_TOKEN + 1 : n;
}

/* Where byte k of unescape_apostrophes' copy of text[i..) came from. */
static size_t escaped_offset(const char *text, size_t i, size_t j, size_t k)
{
    size_t r;

    while (k > 0 && i < j) {
        r = text[i] == '&' ? apostrophe_ref(text + i, j - i) : 0;
        i += r ? r : 1;
        k--;
    }
    return i;
}

/* The word text[s..e) of the chunk text[a..b) ends a web address or a
 * file name written without "http" ("paypal.com/help", "amazon.co.uk",
 * "page.html"): the name before it is the customer's word, the suffix is
 * not ("com" labelled themes of support tweets). With the placeholders,
 * as addresses with "http" are. */
static bool address_suffix(const char *text, size_t a, size_t s, size_t e)
{
    /* not "net", "io" or "js": ASP.NET, socket.io and node.js are names */
    static const char *const suffix[] = {"com", "org", "edu", "gov", "co",
                                         "uk", "info", "biz", "html", "htm",
                                         NULL};
    size_t i, n = e - s;

    if (s < a + 2 || text[s - 1] != '.' ||
        !tx__ascii_alnum((unsigned char)text[s - 2]))
        return false;
    for (i = 0; suffix[i]; i++)
        if (strlen(suffix[i]) == n && has_prefix_ci(text + s, n, suffix[i]))
            return true;
    return false;
}

/* Tokens of the chunk text[a..b) (no spaces in it); `hint`: it holds a
 * byte that some placeholder needs (byte_flags). */
static int do_chunk(struct emit *em, const char *text, size_t a, size_t b,
                    bool hint)
{
    tx_tokenizer *t = em->t;
    size_t i = a, adv;
    int32_t cp;
    bool money = false;
    int rc;

    if (t->p.placeholders && (hint || b - a >= BLOB_MIN_BYTES)) {
        size_t s = a, e = b;

        while (s < e && opens_chunk(text[s]))
            s++;
        while (e > s && closes_chunk(text[e - 1]))
            e--;
        /* Nothing under 4 bytes ("www.") can be a URL or an address. */
        if (e - s >= 4 && (has_prefix_ci(text + s, e - s, "http://") ||
                           has_prefix_ci(text + s, e - s, "https://") ||
                           has_prefix_ci(text + s, e - s, "www.")))
            return emit_placeholder(em, TX_TOKEN_URL, s, e);
        if (e - s >= 4 && is_email(text + s, e - s))
            return emit_placeholder(em, TX_TOKEN_EMAIL, s, e);
        if (is_handle(text + s, e - s))
            return emit_placeholder(em, TX_TOKEN_HANDLE, s, e);
        if (is_blob(text + s, e - s))
            return emit_placeholder(em, TX_TOKEN_BLOB, s, e);
        if (is_redaction_chunk(text + a, b - a, text + s, e - s))
            return emit_placeholder(em, TX_TOKEN_REDACTED, s, e);
    }
    while (i < b) {
        int c = classify(text + i, b - i, &adv, &cp);
        size_t start = i, j;
        bool letters = false, escaped = false;

        if (c == C_SEP || c == C_JOIN) {
            if (ends_clause(cp)) {
                em->negate = false;
                window_reset(t);
            }
            money = false;
            i += adv;
            continue;
        }
        if (c == C_CURRENCY) {
            money = true;
            i += adv;
            continue;
        }
        if (c == C_EMOJI) {
            j = i + adv;
            while (j < b) {
                size_t a2;
                int32_t cp2;
                int c2 = classify(text + j, b - j, &a2, &cp2);

                if (c2 == C_JOIN) {
                    j += a2;
                    /* After a joiner the next symbol is part of the emoji. */
                    if (cp2 == 0x200D && j < b &&
                        classify(text + j, b - j, &a2, &cp2) == C_EMOJI)
                        j += a2;
                } else if (c2 == C_EMOJI && cp >= 0x1F1E6 && cp <= 0x1F1FF &&
                           cp2 >= 0x1F1E6 && cp2 <= 0x1F1FF && j == i + adv) {
                    j += a2; /* a regional-indicator pair is one flag */
                } else {
                    break;
                }
            }
            /* Copied so the term is NUL-terminated like every other. */
            if (j - i <= TX_MAX_TOKEN) {
                memcpy(em->negbuf, text + i, j - i);
                em->negbuf[j - i] = '\0';
                if ((rc = emit_term(em, em->negbuf, j - i, em->negbuf, j - i,
                                    i, i, j, NULL)))
                    return rc;
            }
            i = j;
            money = false;
            continue;
        }
        if (c == C_NOSPACE) {
            if ((rc = emit_nospace_run(em, text, i, b, &j)) != 0)
                return rc;
            i = j;
            money = false;
            continue;
        }
        /* A word: word/digit characters, joined across ' ’ - between word
         * characters and . , between digits. */
        j = i;
        while (j < b && (unsigned char)text[j] < 0x80) { /* ASCII fast path */
            int c2 = ascii_class[(unsigned char)text[j]];

            if (c2 == C_WORD)
                letters = true;
            else if (c2 != C_DIGIT)
                break;
            j++;
        }
        while (j < b) {
            int c2 = classify(text + j, b - j, &adv, &cp);

            if (c2 == C_WORD) {
                letters = true;
                j += adv;
                continue;
            }
            if (c2 == C_DIGIT) {
                j += adv;
                continue;
            }
            if (j > i && j + adv < b) {
                size_t a2;
                int32_t cp2;
                int next = classify(text + j + adv, b - j - adv, &a2, &cp2);
                bool join = (cp == '\'' || cp == 0x2019 || cp == '-') &&
                            (next == C_WORD || next == C_DIGIT);
                bool decimal = (cp == '.' || cp == ',') && next == C_DIGIT &&
                               text[j - 1] >= '0' && text[j - 1] <= '9';
                size_t r = cp == '&' ? apostrophe_ref(text + j, b - j) : 0;

                if (join || decimal) {
                    j += adv;
                    continue;
                }
                if (r > 0 && j + r < b && /* "don&#39;t" */
                    classify(text + j + r, b - j - r, &a2, &cp2) == C_WORD) {
                    escaped = true;
                    j += r;
                    continue;
                }
            }
            break;
        }
        if (html_entity(text, a, b, start, j) ||
            (t->p.placeholders && address_suffix(text, a, start, j))) {
            rc = 0;
        } else if (!letters && t->p.placeholders) {
            rc = emit_placeholder(em, money ? TX_TOKEN_MONEY : TX_TOKEN_NUMBER,
                                  start, j);
        } else if (t->p.placeholders && is_x_run(text + i, j - i)) {
            rc = emit_placeholder(em, TX_TOKEN_REDACTED, start, j);
        } else if (escaped) {
            char w[TX_MAX_TOKEN + 1];
            size_t n = unescape_apostrophes(text, i, j, w), skip;

            skip = n <= TX_MAX_TOKEN && t->elisions ? elided(em, w, n, i) : 0;
            rc = n <= TX_MAX_TOKEN
                     ? emit_word_at(em, w + skip, n - skip,
                                    escaped_offset(text, i, j, skip), j)
                     : 0;
        } else {
            size_t skip = t->elisions ? elided(em, text + i, j - i, i) : 0;

            rc = emit_word(em, text + i + skip, j - i - skip, start + skip);
        }
        if (rc)
            return rc;
        money = false;
        i = j;
    }
    return 0;
}

int tx_tokenize(tx_tokenizer *t, const char *text, size_t len,
                tx_token_fn fn, void *ud)
{
    struct emit em;
    size_t i = 0, s;
    int rc;

    if (!t || (!text && len) || !fn)
        return TX_EINVAL;
    em.t = t;
    em.fn = fn;
    em.ud = ud;
    em.negate = false;
    em.neg_from = 0;
    window_reset(t);
    while (i < len) {
        unsigned char hint = 0, f;

        while (i < len && (byte_flags[(unsigned char)text[i]] & B_SPACE))
            i++;
        s = i;
        while (i < len &&
               !((f = byte_flags[(unsigned char)text[i]]) & B_SPACE)) {
            hint |= f;
            i++;
        }
        if (i > s && (rc = do_chunk(&em, text, s, i, hint != 0)) != 0)
            return rc;
    }
    return TX_OK;
}
