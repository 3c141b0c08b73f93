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
    size_t docs;
    size_t last_doc; /* the document that counted it last, + 1 */
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
 * U+2000..U+206F and CJK punctuation (U+3000..U+303F) are not. */
static bool wordlike(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
            if ((unsigned char)s[i + 2] != 0x99)
                return false;
            i += 2;
        } else if (c == 0xE3 && i + 1 < n &&
                   (unsigned char)s[i + 1] == 0x80) {
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

static int count_spelling(tx_ctx *ctx, struct spelling **sp, size_t *n,
                          size_t *cap, const char *s, size_t doc)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp((*sp)[i].text, s) == 0)
            break;
    if (i == *n) {
        if (tx__grow(ctx, (void **)sp, cap, *n + 1, sizeof **sp))
            return TX_ENOMEM;
        (*sp)[i] = (struct spelling){tx__strdup(ctx, s), 0, 0};
        if (!(*sp)[i].text)
            return TX_ENOMEM;
        (*n)++;
    }
    if ((*sp)[i].last_doc != doc + 1) { /* documents, not occurrences */
        (*sp)[i].docs++;
        (*sp)[i].last_doc = doc + 1;
    }
    return TX_OK;
}

/* The spellings of the pair in one document: a then b (and b then a
 * unless `ordered`), at most WORDING_GAP kept terms apart, with no
 * placeholder between. */
static int spellings_of(tx_ctx *ctx, const struct reader *r, const char *text,
                        bool ordered, size_t doc, struct spelling **sp,
                        size_t *n, size_t *cap)
{
    char buf[WORDING_BYTES + 1];
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
            if ((rc = count_spelling(ctx, sp, n, cap, buf, doc)) != TX_OK)
                return rc;
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
    struct spelling *sp = NULL;
    size_t n_sp = 0, cap_sp = 0, m = n < WORDING_DOCS ? n : WORDING_DOCS,
           i, best = SIZE_MAX, read = 0;
    int rc = TX_OK;

    *wording = NULL;
    if (!docs || !r.na || !r.nb || strcmp(a, b) == 0)
        return TX_OK;
    for (i = 0; rc == TX_OK && i < m && read < THEME_BYTES; i++) {
        size_t d = rows[i * n / m], len;
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
            rc = spellings_of(ctx, &r, doc.text, ordered, i, &sp, &n_sp,
                              &cap_sp);
    }
    /* the most documents' spelling; then the shorter, then by bytes */
    for (i = 0; rc == TX_OK && i < n_sp; i++) {
        if (sp[i].docs < WORDING_MIN)
            continue;
        if (best == SIZE_MAX || sp[i].docs > sp[best].docs ||
            (sp[i].docs == sp[best].docs &&
             (strlen(sp[i].text) < strlen(sp[best].text) ||
              (strlen(sp[i].text) == strlen(sp[best].text) &&
               strcmp(sp[i].text, sp[best].text) < 0))))
            best = i;
    }
    if (rc == TX_OK && best != SIZE_MAX) {
        *wording = sp[best].text;
        sp[best].text = NULL;
    }
    for (i = 0; i < n_sp; i++)
        tx_free(ctx, sp[i].text);
    tx_free(ctx, sp);
    tx_free(ctx, r.k);
    return rc;
}
