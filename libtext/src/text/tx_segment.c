/*
 * Sentence and clause segmentation with byte offsets, for customer text:
 * punctuation may be missing (line breaks then separate), emoji may end a
 * sentence, and abbreviations, initials, decimals and version numbers must
 * not.
 */
#include "tx_internal.h"

#include <string.h>
#include <utf8proc.h>

static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g",
    "i.e", "eg", "ie", "a.m", "p.m", "am", "pm", "no", "nos", "approx",
    "dept", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "fig",
    "min", "max", "mins", "hrs", "ref", "tel", "ext", NULL};

static bool is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* The word (letters and inner dots) that ends just before position i. */
static bool after_abbreviation(const char *t, size_t start, size_t i)
{
    size_t b = i, k, n;
    char w[16];

    while (b > start && (tx__ascii_alpha((unsigned char)t[b - 1]) ||
                         t[b - 1] == '.'))
        b--;
    n = i - b;
    if (n == 0 || n >= sizeof w)
        return false;
    if (n == 1 && (unsigned char)(t[b] - 'A') < 26)
        return true; /* an initial: "J. Smith" */
    for (k = 0; k < n; k++)
        w[k] = tx__ascii_lower((unsigned char)t[b + k]);
    w[n] = '\0';
    for (k = 0; abbreviations[k]; k++)
        if (strcmp(w, abbreviations[k]) == 0)
            return true;
    return false;
}

/* Code point at t[i] (len bytes total); *adv its length. */
static int32_t cp_at(const char *t, size_t len, size_t i, size_t *adv)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
                                          (utf8proc_ssize_t)(len - i < 4
                                                                 ? len - i
                                                                 : 4),
                                          &cp);

    *adv = k > 0 ? (size_t)k : 1;
    return k > 0 ? cp : -1;
}

static bool is_emoji(int32_t cp)
{
    return cp >= 0x1F000 && utf8proc_category(cp) == UTF8PROC_CATEGORY_SO;
}

/* Does a new sentence start at or after j (skipping spaces)? */
static bool starts_sentence(const char *t, size_t len, size_t j)
{
    size_t adv;
    int32_t cp;

    while (j < len && is_space_byte(t[j]))
        j++;
    if (j >= len || t[j] == '\n')
        return true;
    cp = cp_at(t, len, j, &adv);
    if (cp == '"' || cp == '\'' || cp == '(' || cp == 0x201C || cp == 0x2018)
        return true;
    if (cp >= '0' && cp <= '9')
        return true;
    return cp > 0 && (utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ||
                      utf8proc_category(cp) == UTF8PROC_CATEGORY_LT ||
                      is_emoji(cp));
}

static int push(tx_span *out, size_t cap, size_t *n, const char *t, size_t a,
                size_t b)
{
    while (a < b && (is_space_byte(t[a]) || t[a] == '\n'))
        a++;
    while (b > a && (is_space_byte(t[b - 1]) || t[b - 1] == '\n'))
        b--;
    if (a == b)
        return 0;
    if (*n < cap)
        out[*n] = (tx_span){a, b};
    (*n)++;
    return 0;
}

int tx_segment_sentences(const char *text, size_t len, tx_span *out, size_t cap,
                 size_t *n)
{
    size_t i = 0, start = 0, adv;

    if ((!text && len) || !n || (!out && cap))
        return TX_EINVAL;
    *n = 0;
    while (i < len) {
        unsigned char b = (unsigned char)text[i];
        int32_t cp;

        /* most bytes are ASCII that neither ends a sentence nor is an
         * emoji: skipped without decoding */
        if (b < 0x80 && b != '\n' && b != '.' && b != '!' && b != '?') {
            i++;
            continue;
        }
        cp = cp_at(text, len, i, &adv);
        if (cp == '\n') {
            push(out, cap, n, text, start, i);
            start = i + 1;
        } else if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
            size_t j = i + adv, end;

            /* A number or version goes on: "3.5", "v2.1". */
            if (cp == '.' && i > 0 && j < len &&
                (unsigned char)(text[i - 1] - '0') < 10 &&
                (unsigned char)(text[j] - '0') < 10) {
                i = j;
                continue;
            }
            /* Take the whole run of marks, then closing quotes/brackets. */
            while (j < len) {
                size_t a2;
                int32_t c2 = cp_at(text, len, j, &a2);

                if (c2 == '.' || c2 == '!' || c2 == '?' || c2 == 0x2026 ||
                    c2 == '"' || c2 == '\'' || c2 == ')' || c2 == 0x201D ||
                    c2 == 0x2019)
                    j += a2;
                else
                    break;
            }
            end = j;
            if (cp == '.' && j == i + 1 && after_abbreviation(text, start, i) &&
                !(j >= len || text[j] == '\n')) {
                i = j;
                continue;
            }
            if (starts_sentence(text, len, j)) {
                push(out, cap, n, text, start, end);
                start = end;
            }
            i = j;
            continue;
        } else if (is_emoji(cp)) {
            /* "great app 👍 The update broke it": the emoji closes. */
            size_t j = i + adv;

            while (j < len) {
                size_t a2;
                int32_t c2 = cp_at(text, len, j, &a2);

                if (is_emoji(c2) || c2 == 0x200D || c2 == 0xFE0F ||
                    (c2 >= 0x1F3FB && c2 <= 0x1F3FF))
                    j += a2;
                else
                    break;
            }
            if (j < len && is_space_byte(text[j]) &&
                starts_sentence(text, len, j)) {
                push(out, cap, n, text, start, j);
                start = j;
            }
            i = j;
            continue;
        }
        i += adv;
    }
    push(out, cap, n, text, start, len);
    return *n > cap ? TX_ERANGE : TX_OK;
}

/* Words that open a clause (lower case, matched at word boundaries). */
static const char *const openers[] = {
    "because", "since", "so that", "so", "but", "although", "though",
    "even though", "whereas", "while", "which meant", "which means",
    "which", "that's why", "thats why", "that is why", "due to",
    "caused by", "after", "ever since", "until", "unless", "otherwise",
    "then", "and then", "as a result", "therefore", "however", NULL};

static bool word_at(const char *t, size_t i, size_t end, const char *w)
{
    size_t n = strlen(w), k;

    if (i + n > end)
        return false;
    for (k = 0; k < n; k++)
        if (tx__ascii_lower((unsigned char)t[i + k]) != w[k])
            return false;
    /* A whole word: "so" but not "so-called" or "so's". */
    return i + n == end || (!tx__ascii_alnum((unsigned char)t[i + n]) &&
                            t[i + n] != '-' && t[i + n] != '\'');
}

/* Whether the ';' at i closes a character entity ("&amp;", "&#39;")
 * that starts at or after `from`. */
static bool ends_entity(const char *t, size_t from, size_t i)
{
    size_t j = i;

    while (j > from && i - j < 10 &&
           (tx__ascii_alnum((unsigned char)t[j - 1]) || t[j - 1] == '#'))
        j--;
    return j < i && j > from && t[j - 1] == '&';
}

int tx_segment_clauses(const char *text, tx_span s, tx_span *out, size_t cap,
               size_t *n)
{
    size_t i, start = s.start, k;

    if (!text || !n || (!out && cap) || s.end < s.start)
        return TX_EINVAL;
    *n = 0;
    for (i = s.start; i < s.end; i++) {
        char c = text[i];

        /* A ';' or ':' ends a clause before a space ("two things:
         * price"), not inside a word: URLs ("https://"), times
         * ("10:30"), emoticons (":)"), an entity's end ("&amp;"). */
        if ((c == ';' || c == ':') &&
            (i + 1 == s.end || tx__ascii_space((unsigned char)text[i + 1])) &&
            !(c == ';' && ends_entity(text, s.start, i))) {
            push(out, cap, n, text, start, i + 1);
            start = i + 1;
            continue;
        }
        /* ", and" / ", or" joining two clauses. */
        if (c == ',' && (word_at(text, i + 2, s.end, "and") ||
                         word_at(text, i + 2, s.end, "or")) &&
            text[i + 1] == ' ') {
            push(out, cap, n, text, start, i + 1);
            start = i + 2;
            continue;
        }
        /* Openers at a word start, not at the clause's own start. */
        if (i > start + 1 && (text[i - 1] == ' ' || text[i - 1] == ',') &&
            tx__ascii_alpha((unsigned char)c)) {
            /* the first letter rules out most openers before a compare */
            char lc = tx__ascii_lower((unsigned char)c);
            for (k = 0; openers[k]; k++)
                if (openers[k][0] == lc && word_at(text, i, s.end, openers[k]))
                    break;
            if (openers[k]) {
                push(out, cap, n, text, start, i);
                start = i;
                i += strlen(openers[k]) - 1;
            }
        }
    }
    push(out, cap, n, text, start, s.end);
    return *n > cap ? TX_ERANGE : TX_OK;
}
