/*
 * Labels in the customers' words. A label chosen from two terms (the
 * phrase "card not_arriv", or the pair "arrive, card") is shown as the
 * theme's documents write those two words together: "card never
 * arrived", "waited on hold". Terms are stems with stopwords dropped, so
 * the words between and around them are read back from the text.
 */
#include "tx_themes_private.h"
#include "text/tx_text_private.h"

#include <stdlib.h>
#include <string.h>

/* Documents of a theme read for its wording: an even spread of at most
 * WORDING_DOCS, so a theme of 100,000 documents costs what one of 400
 * does; of each at most DOC_BYTES, and of all at most THEME_BYTES, so
 * themes of transcripts cost what themes of comments do. */
#define WORDING_DOCS 400
#define DOC_BYTES 2048
#define THEME_BYTES (256 * 1024)
/* A wording has at most this many words and bytes (two words and two
 * between: "status of my refund"; "card took a month to arrive" is a
 * sentence, not a label). A wording is written alike by at least
 * WORDING_MIN documents: one writer's phrasing ("reservation and the
 * seated") does not name a theme. */
#define WORDING_WORDS 4
#define WORDING_BYTES 48
#define WORDING_MIN 2
/* The two words are at most this many kept terms apart: 1, next to each
 * other but for stopwords ("sitting on the tarmac"). Further apart, the
 * words between say more than the label ("gene of escherichia coli"). */
#define WORDING_GAP 1

struct kept {
    size_t from, end;
    unsigned char is; /* IS_A, IS_B, IS_HIDDEN or 0 */
};

#define IS_A 1
#define IS_B 2
#define IS_HIDDEN 4

struct spelling {
    char *text;
    char *between;   /* its words between the pair's, or NULL */
    size_t docs;
    size_t last_doc; /* the document that counted it last, + 1 */
};

/* Spellings counted by documents. */
struct tally {
    struct spelling *sp;
    size_t n, cap;
};

struct reader {
    tx_ctx *ctx;
    const char *a, *b;
    size_t na, nb;
    struct kept *k;
    size_t n, cap;
    int rc;
};

static int keep_token(void *ud, const tx_token *tok)
{
    struct reader *r = ud;
    const tx__token_ext *ext = (const tx__token_ext *)tok;
    unsigned char is = 0;

    if (ext->words != 1)
        return 0;
    if (tok->term_len == r->na && memcmp(tok->term, r->a, r->na) == 0)
        is = IS_A;
    else if (tok->term_len == r->nb && memcmp(tok->term, r->b, r->nb) == 0)
        is = IS_B;
    else if (tok->term_len && tok->term[0] == '_')
        is = IS_HIDDEN; /* a placeholder: a number, a URL, a redaction */
    if (tx__grow(r->ctx, (void **)&r->k, &r->cap, r->n + 1, sizeof *r->k)) {
        r->rc = TX_ENOMEM;
        return 1;
    }
    r->k[r->n++] = (struct kept){ext->from, tok->end, is};
    return 0;
}

/* Bytes a label may hold between its words: letters, digits, spaces,
 * apostrophes and hyphens, and other scripts' letters; not punctuation
 * (a clause ends there) or symbols. U+2019 is an apostrophe; the rest of
 * U+2000..U+206F, CJK punctuation (U+3000..U+303F) and the fullwidth
 * forms (U+FF00..U+FF6F: "，" "！") are not. */
static bool wordlike(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i],
                      c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;

        if (c == 0xE2 && c1 == 0x80) {
            if (i + 2 >= n || (unsigned char)s[i + 2] != 0x99)
                return false;
            i += 2;
        } else if ((c == 0xE3 && c1 == 0x80) ||
                   (c == 0xEF && (c1 == 0xBC || c1 == 0xBD))) {
            return false;
        } else if (c < 0x80 && !tx__ascii_alnum(c) && !tx__ascii_space(c) &&
                   c != '\'' && c != '-') {
            return false;
        }
    }
    return true;
}

/* text[0..n) folded to lower case with its spaces made single, into out
 * (WORDING_BYTES + 1); false when it has too many words or bytes. */
static bool spell(const char *text, size_t n, char *out)
{
    size_t i, o = 0, words = 0;
    bool gap = true;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];

        if (tx__ascii_space(c)) {
            gap = true;
            continue;
        }
        if (gap) {
            if (++words > WORDING_WORDS || (o && o == WORDING_BYTES))
                return false;
            if (o)
                out[o++] = ' ';
            gap = false;
        }
        if (o == WORDING_BYTES)
            return false;
        out[o++] = (char)tx__ascii_lower(c);
    }
    out[o] = '\0';
    return o > 0;
}

static int count_spelling(tx_ctx *ctx, struct tally *t, const char *s,
                          const char *between, size_t doc)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        if (strcmp(t->sp[i].text, s) == 0)
            break;
    if (i == t->n) {
        if (tx__grow(ctx, (void **)&t->sp, &t->cap, t->n + 1, sizeof *t->sp))
            return TX_ENOMEM;
        t->sp[i] = (struct spelling){tx__strdup(ctx, s),
                                     between ? tx__strdup(ctx, between) : NULL,
                                     0, 0};
        t->n++;
        if (!t->sp[i].text || (between && !t->sp[i].between))
            return TX_ENOMEM;
    }
    if (t->sp[i].last_doc != doc + 1) { /* documents, not occurrences */
        t->sp[i].docs++;
        t->sp[i].last_doc = doc + 1;
    }
    return TX_OK;
}

static size_t docs_of(const struct tally *t, const char *s)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        if (strcmp(t->sp[i].text, s) == 0)
            return t->sp[i].docs;
    return 0;
}

static void free_tally(tx_ctx *ctx, struct tally *t)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        tx_free(ctx, t->sp[i].text);
        tx_free(ctx, t->sp[i].between);
    }
    tx_free(ctx, t->sp);
}

/* Words between that do not change what a label says: articles,
 * possessives, pronouns and auxiliaries ("cash from the atm", "cash from
 * an atm"). Prepositions, particles and negators do ("turn on", "turn
 * off"). English; other languages' words all count. */
static bool filler(const char *w, size_t n)
{
    static const char *const list[] = {
        "a", "an", "the", "my", "your", "our", "his", "her", "their", "its",
        "this", "that", "these", "those", "some", "any", "me", "us", "him",
        "them", "i", "you", "we", "he", "she", "it", "they", "is", "was",
        "are", "were", "be", "been", "am", "has", "have", "had", "do",
        "does", "did", "will", "would", "can", "could", "to", "and", NULL};
    size_t i;

    for (i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return true;
    return false;
}

/* What a spelling says between its two words ("on" in "waited on hold";
 * empty in "cash from the atm" but for "from"): its words but fillers,
 * spelled, into out. It tells "turn on the lights" from "turn off the
 * lights", which the terms do not. */
static void middle(const char *text, const struct kept *x,
                   const struct kept *y, char *out)
{
    char all[WORDING_BYTES + 1];
    size_t from = x->end, to = y->from > x->end ? y->from : x->end, o = 0;
    const char *w = all;

    out[0] = '\0';
    if (!spell(text + from, to - from, all))
        return;
    while (*w) {
        size_t n = strcspn(w, " ");

        if (!filler(w, n)) {
            if (o)
                out[o++] = ' ';
            memcpy(out + o, w, n);
            o += n;
        }
        w += n + (w[n] == ' ');
    }
    out[o] = '\0';
}

/* The spellings of the pair in one document, and what they hold between
 * their words: a then b (and b then a unless `ordered`), at most
 * WORDING_GAP kept terms apart, with no placeholder between. */
static int spellings_of(tx_ctx *ctx, const struct reader *r, const char *text,
                        bool ordered, size_t doc, struct tally *spellings,
                        struct tally *middles, bool *found)
{
    char buf[WORDING_BYTES + 1], mid[WORDING_BYTES + 1];
    size_t i, j;

    for (i = 0; i < r->n; i++) {
        if (!(r->k[i].is & (IS_A | IS_B)) || (ordered && r->k[i].is != IS_A))
            continue;
        for (j = i + 1; j < r->n && j <= i + WORDING_GAP; j++) {
            const struct kept *x = &r->k[i], *y = &r->k[j];
            int rc;

            if (y->is & IS_HIDDEN)
                break;
            if (y->is == x->is) /* the nearer one pairs itself */
                break;
            if (!(y->is & (IS_A | IS_B)))
                continue;
            if (y->end <= x->from ||
                !wordlike(text + x->from, y->end - x->from) ||
                !spell(text + x->from, y->end - x->from, buf))
                break;
            middle(text, x, y, mid);
            if ((rc = count_spelling(ctx, spellings, buf, mid, doc)) !=
                    TX_OK ||
                (rc = count_spelling(ctx, middles, mid, NULL, doc)) != TX_OK)
                return rc;
            *found = true;
            break;
        }
    }
    return TX_OK;
}

int tx__theme_wording(tx_ctx *ctx, tx_tokenizer *tok, const tx_corpus *docs,
                      const size_t *rows, size_t n, const char *a,
                      const char *b, bool ordered, char **wording)
{
    struct reader r = {ctx, a, b, strlen(a), strlen(b), NULL, 0, 0, TX_OK};
    struct tally sp = {0}, mid = {0};
    size_t m = n < WORDING_DOCS ? n : WORDING_DOCS, i, best = SIZE_MAX,
           read = 0, together = 0;
    int rc = TX_OK;

    *wording = NULL;
    if (!docs || !r.na || !r.nb || strcmp(a, b) == 0)
        return TX_OK;
    for (i = 0; rc == TX_OK && i < m && read < THEME_BYTES; i++) {
        size_t d = rows[i * n / m], len;
        bool found = false;
        tx_doc doc;

        if ((rc = tx_corpus_doc(docs, d, &doc)) != TX_OK)
            break;
        len = doc.len;
        if (len > DOC_BYTES) { /* cut at a space, not inside a word */
            for (len = DOC_BYTES; len > 0 && !tx__ascii_space(doc.text[len]);)
                len--;
        }
        read += len;
        r.n = 0;
        rc = tx_tokenize(tok, doc.text, len, keep_token, &r);
        if (rc == TX_OK && r.rc != TX_OK)
            rc = r.rc;
        if (rc == TX_OK)
            rc = spellings_of(ctx, &r, doc.text, ordered, i, &sp, &mid,
                              &found);
        together += found;
    }
    /* the most documents' spelling; then the shorter, then by bytes */
    for (i = 0; rc == TX_OK && i < sp.n; i++) {
        const struct spelling *x = &sp.sp[i];

        if (x->docs < WORDING_MIN)
            continue;
        if (best == SIZE_MAX || x->docs > sp.sp[best].docs ||
            (x->docs == sp.sp[best].docs &&
             (strlen(x->text) < strlen(sp.sp[best].text) ||
              (strlen(x->text) == strlen(sp.sp[best].text) &&
               strcmp(x->text, sp.sp[best].text) < 0))))
            best = i;
    }
    /* ... if more than half the documents that write the pair together
     * put the same words between ("turn the lights", "turn off the
     * lights" and "turn on the lights" are one pair of terms, and no one
     * label) */
    if (best != SIZE_MAX &&
        2 * docs_of(&mid, sp.sp[best].between) <= together)
        best = SIZE_MAX;
    if (rc == TX_OK && best != SIZE_MAX) {
        *wording = sp.sp[best].text;
        sp.sp[best].text = NULL;
    }
    free_tally(ctx, &sp);
    free_tally(ctx, &mid);
    tx_free(ctx, r.k);
    return rc;
}
