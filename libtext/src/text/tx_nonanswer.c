/*
 * Non-answers: survey respondents type "n/a", "none", "no comment" or
 * "nothing to add" into every open question. Their few words are the same
 * every time, so left in they gather into themes of their own ("not
 * comment", "not applicable") that crowd out what people said. They are
 * kept out of the themes, counted and listed with their reason, as survey
 * coders do. The list is English.
 */
#include "tx_internal.h"
#include "tx_text_private.h"

#include <pthread.h>
#include <string.h>

/* Whole answers, lower case, punctuation dropped, spaces single. */
static const char *const non_answers[] = {
    "", "n a", "na", "n/a", "none", "nothing", "no", "nope", "nah", "nil",
    "null", "nada", "no comment", "no comments", "no comment at this time",
    "no comments at this time", "not applicable", "nothing to add",
    "nothing else", "nothing else to add", "nothing further",
    "nothing more", "nothing more to add", "nothing really",
    "nothing to say", "nothing at this time", "no thanks", "no thank you",
    "not really", "none at this time", "none really", "none that i can think of",
    "idk", "i don't know", "don't know", "dont know", "i dont know",
    "no idea", "not sure", "unsure", "no opinion", "no answer",
    "can't think of anything", "cant think of anything",
    "nothing comes to mind", "unknown", "i have no idea", "have no idea",
    "i have no opinion", "see above", "same as above", "as above", NULL};

/* The longest entry's length: a text that grows past it while being
 * read is an answer, with no need to read on or to compare. */
static size_t longest;
static pthread_once_t longest_once = PTHREAD_ONCE_INIT;

static void find_longest(void)
{
    size_t i;

    for (i = 0; non_answers[i]; i++)
        if (strlen(non_answers[i]) > longest)
            longest = strlen(non_answers[i]);
}

int tx_text_is_non_answer(const char *text, size_t len)
{
    char buf[48];
    size_t i, n = 0;
    bool space = false;

    if (!text)
        return 0;
    pthread_once(&longest_once, find_longest);
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];

        if (ch == 0xE2 && i + 2 < len && (unsigned char)text[i + 1] == 0x80 &&
            (unsigned char)text[i + 2] == 0x99) { /* U+2019 as ' */
            ch = '\'';
            i += 2;
        } else if (ch >= 0x80) { /* an answer in another script */
            return 0;
        }
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
            (ch >= '0' && ch <= '9') || ch == '\'' || ch == '/') {
            if (n + 2 >= sizeof buf || n + 1 > longest)
                return 0; /* longer than any non-answer */
            if (space && n)
                buf[n++] = ' ';
            buf[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            space = false;
        } else {
            space = true; /* spaces and punctuation separate words */
        }
    }
    buf[n] = '\0';
    for (i = 0; non_answers[i]; i++)
        if (strcmp(buf, non_answers[i]) == 0)
            return 1;
    return 0;
}

const char *tx__unthemed_reason(const tx_corpus *c, size_t doc)
{
    tx_doc d;

    tx_corpus_doc(c, doc, &d);
    return tx_text_is_non_answer(d.text, d.len) ? TX__NON_ANSWER
                                                : TX__NO_TERMS;
}
