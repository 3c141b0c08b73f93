/*
 * Text escaped for the output formats, shared by every stage that writes
 * files (causes, analysis, report).
 */
#include "tx_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Whether a spreadsheet would run s as a formula (=, +, -, @, or a tab or
 * carriage return first; OWASP's list), unless it is just a number such
 * as -1 or +44. */
static bool formula_like(const char *s, size_t n)
{
    char buf[64], *end;

    if (n == 0 || !strchr("=+-@\t\r", s[0]))
        return false;
    if ((s[0] == '-' || s[0] == '+') && n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        (void)strtod(buf, &end);
        if (end != buf && *end == '\0')
            return false;
    }
    return true;
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. A
 * field a spreadsheet would take for a formula gets a leading ' (the
 * convention spreadsheets show as text), so an id such as =HYPERLINK(...)
 * is never run when the file is opened. */
void tx__csv_field_n(FILE *f, const char *s, size_t n)
{
    bool formula = formula_like(s, n);
    size_t i;

    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) &&
        !memchr(s, '\n', n)) {
        if (formula)
            fputc('\'', f);
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

/* Whether s (at a '&') starts what HTML would read as an entity. */
static bool entity_at(const char *s)
{
    size_t i = 1;

    if (s[i] == '#')
        i++;
    while (i < 40 && ((s[i] >= 'a' && s[i] <= 'z') ||
                      (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9')))
        i++;
    return i > 1 && s[i] == ';';
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
        case '&': /* only where it would start an entity: "\&" shows '&' */
            fputs(entity_at(s) ? "\\&" : "&", f);
            break;
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
