/*
 * Text escaped for the output formats, shared by every stage that writes
 * files (causes, analysis, report).
 */
#include "tx_internal.h"

#include <string.h>

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
void tx__csv_field_n(FILE *f, const char *s, size_t n)
{
    size_t i;

    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) &&
        !memchr(s, '\n', n)) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

/* Text from the corpus in Markdown, shown as written: at most `max`
 * characters' bytes (then "…"), line breaks as spaces, and the characters
 * Markdown or HTML would act on escaped, so a quote holding "<script>" or
 * "*" stays text in any viewer ('_' is left alone: inside words, as in
 * file and column names, CommonMark does not act on it). */
void tx__md_text(FILE *f, const char *s, size_t max)
{
    size_t n = 0;

    for (; *s && (n < max || ((unsigned char)*s & 0xC0) == 0x80);
         s++, n++) {
        switch (*s) {
        case '\n': case '\r': case '\t': fputc(' ', f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '|': case '*': case '`': case '[': case ']':
        case '\\':
            fputc('\\', f);
            fputc(*s, f);
            break;
        default: fputc(*s, f);
        }
    }
    if (*s)
        fputs("…", f);
}
