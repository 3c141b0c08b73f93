/* Words of a sentence for the cause models (tx_cwords.c). Internal. */
#ifndef TX_CWORDS_H
#define TX_CWORDS_H

#include "tx_internal.h"

typedef struct tx__cword {
    size_t start, end;  /* bytes in the document */
    const char *low;    /* lowercase form (’ as ', curly quotes as ") */
    uint32_t low_len;
    const char *cls;    /* the word itself when closed-class, else a shape
                           such as "#ed", "#ing", "#num", "#cap", "#w" */
    uint64_t h_low, h_cls;
    int cue;            /* index of the cue that starts here, or -1 */
    uint8_t cue_words;  /* words the cue spans */
    uint8_t in_cue;     /* inside some cue */
    uint8_t temporal;   /* "since"/"after" followed by a time */
    uint8_t negated;    /* cue preceded by a negator ("not because") */
    uint8_t strength;   /* the cue's strength here: 2 strong, 1 medium, 0
                           weak (see the cue table in tx_cwords.c), raised
                           or lowered by its context */
} tx__cword;

typedef struct tx__cwords {
    tx_ctx *ctx;
    const char *text;
    tx__cword *w;
    size_t n, cap;
    char *buf;          /* lowercase forms */
    size_t buf_cap;
} tx__cwords;

/* A set of words by hash, for closed lists (built once, never freed). */
typedef struct tx__wordset {
    uint64_t *h;
    size_t mask;
} tx__wordset;
int tx__wordset_init(tx__wordset *ws, const char *const *list);
bool tx__wordset_has(const tx__wordset *ws, uint64_t h);

void tx__cwords_init(tx__cwords *w, tx_ctx *ctx);
void tx__cwords_free(tx__cwords *w);
/* Splits text[start, end) into words and punctuation marks. */
int tx__cwords_split(tx__cwords *w, const char *text, size_t start,
                     size_t end);
/* The same words with only their lowercase forms and hashes (no classes,
 * no cues): for readers that look words up, such as sentiment. */
int tx__cwords_split_words(tx__cwords *w, const char *t, size_t start,
                           size_t end);
bool tx__cword_is_negator(const tx__cword *x);

const char *tx__cue_text(int cue);
/* Forward cues name the effect after them ("so", "which meant", "led
 * to"); the others name the cause after them ("because", "due to"). */
int tx__cue_forward(int cue);
/* Verb cues ("broke", "wiped out"): the cause is their subject. */
int tx__cue_verb(int cue);

#endif
