/* Private to the text stage and its readers: word lists, the token
 * callback's extension, and why a document has no terms. Never
 * installed. */
#ifndef TX_TEXT_PRIVATE_H
#define TX_TEXT_PRIVATE_H

#include "tx_internal.h"

/* Built-in English stopwords, NULL-terminated. */
extern const char *const tx__stopwords_english[];
/* Chinese and Japanese function words, used with any built-in list. */
extern const char *const tx__stopwords_cjk[];
/* The built-in stopwords of a Snowball language name or ISO code (NULL
 * lang: English), NULL when there is no list; and its negators besides
 * the English ones (NULL: none). */
const char *const *tx__stopwords_for(const char *lang);
const char *const *tx__negators_for(const char *lang);

/* Elided words joined by an apostrophe in French and Italian; NULL for
 * other languages. */
const char *const *tx__elisions_for(const char *lang);

/* What tx_tokenize really passes to its callback. `slot`, when not NULL, is
 * a per-tokenizer memo for this exact token (0 until the caller stores
 * something there): the vocabulary keeps its term id there so it does not
 * hash the same word twice. Slots are zeroed whenever the word cache is
 * cleared. */
typedef struct tx__token_ext {
    tx_token tok;
    uint32_t *slot;
    unsigned words;     /* 1 for a term, n for an n-gram */
    size_t from;        /* where its words start: a negated term's negator
                           ("never arrived"), else tok.start */
} tx__token_ext;

/* The languages tx_text_guess_language names, by index: the very pointers
 * it returns (NULL past the last), so a guess can travel as a number. */
const char *tx__guess_language_name(size_t i);

/* Tokenizer white-box hook: 1 disables the ASCII fast path (tests). */
void tx__tokenizer_force_unicode(tx_tokenizer *t, int on);

/* Sets the longest n-gram emitted from the next text on (1 to 8, at least
 * the tokenizer's ngram_min): a caller that wants n-grams of some texts
 * only tokenizes each text once. */
void tx__tokenizer_ngram_max(tx_tokenizer *t, int max);

/* Why a read document has no theme (themes.json, report.md, report.html). */
#define TX__NO_TERMS "no terms left after cleaning (stopwords, min_df)"
#define TX__NON_ANSWER "non-answer (such as n/a, none, no comment)"
/* When corpus c reads as a language other than English: a sentence for
 * the reports saying that sentiment, friction and stages (English word
 * lists) are not measured; NULL otherwise. Written into buf. */
const char *tx__english_only_note(const tx_corpus *c, char *buf, size_t n);
/* The reason document `doc` of the fitted corpus has no theme. */
const char *tx__unthemed_reason(const tx_corpus *c, size_t doc);

#endif
