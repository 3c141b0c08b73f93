/* UTF-8 validation and repair (utf8proc decodes; we only decide policy). */
#include "tx_internal.h"
#include "tx_corpus_private.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* Length of the valid sequence at s (n bytes left), or 0 if invalid. */
static size_t valid_seq(const char *s, size_t n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;

    if ((unsigned char)s[0] < 0x80)
        return 1;
    k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                         (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
    return k > 0 ? (size_t)k : 0;
}

bool tx__utf8_valid(const char *s, size_t n)
{
    size_t i = 0, k;

    while (i < n) {
        uint64_t w;

        /* ASCII, the common case, eight bytes at a time. */
        while (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL)))
            i += 8;
        while (i < n && (unsigned char)s[i] < 0x80)
            i++;
        if (i == n)
            break;
        k = valid_seq(s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* The byte Windows-1252 (or Latin-1) writes as code point cp, or -1. */
static int cp1252_byte(int32_t cp)
{
    static const int32_t high[32] = {
        0x20AC, -1, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017D, -1,
        -1, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, -1, 0x017E, 0x0178};
    int b;

    if (cp >= 0x80 && cp <= 0xFF)
        return (int)cp;
    for (b = 0; b < 32; b++)
        if (high[b] == cp)
            return 0x80 + b;
    return -1;
}

/* At s[i..n): a character whose UTF-8 bytes were read as Windows-1252 and
 * written again as UTF-8 ("â€™" for "’"): its bytes into out (4 at most)
 * and how many; *used gets the bytes of s it took; 0 when it is not one.
 * Only the lead bytes of the usual victims count: C2 and C3 (Latin-1
 * letters and signs: "Ã©", "Â°"), E2 (quotes, dashes: "â€™") and F0
 * (emoji: "ðŸ˜€"), so "CAFÉ’s" stays as written. */
static size_t twice_decoded(const char *s, size_t i, size_t n, char *out,
                            size_t *used)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;
    size_t need, m, j = i;
    int b;

    k = utf8proc_iterate((const utf8proc_uint8_t *)s + j,
                         (utf8proc_ssize_t)(n - j), &cp);
    if (k <= 0 || !(cp == 0xC2 || cp == 0xC3 || cp == 0xE2 || cp == 0xF0))
        return 0;
    need = cp == 0xE2 ? 2 : cp == 0xF0 ? 3 : 1;
    out[0] = (char)cp;
    j += (size_t)k;
    for (m = 1; m <= need; m++) {
        k = j < n ? utf8proc_iterate((const utf8proc_uint8_t *)s + j,
                                     (utf8proc_ssize_t)(n - j), &cp)
                  : 0;
        b = k > 0 ? cp1252_byte(cp) : -1;
        if (b < 0x80 || b > 0xBF)
            return 0;
        out[m] = (char)b;
        j += (size_t)k;
    }
    if (utf8proc_iterate((const utf8proc_uint8_t *)out,
                         (utf8proc_ssize_t)(need + 1), &cp) !=
        (utf8proc_ssize_t)(need + 1))
        return 0; /* overlong or a surrogate: not a character */
    *used = j - i;
    return need + 1;
}

size_t tx__utf8_undecode_twice(char *s, size_t n)
{
    size_t pass, i, o, k, used;
    char ch[4];

    if (!memchr(s, 0xC3, n))
        return n; /* no Â Ã â ð: nothing decoded twice (most text) */
    /* text decoded three times over reads right after as many passes */
    for (pass = 0; pass < 3; pass++) {
        for (i = o = 0; i < n;) {
            /* Â Ã â ð are C3 xx in UTF-8 */
            if ((unsigned char)s[i] == 0xC3 &&
                (k = twice_decoded(s, i, n, ch, &used)) > 0) {
                memcpy(s + o, ch, k); /* k < used: never ahead of i */
                o += k;
                i += used;
            } else {
                s[o++] = s[i++];
            }
        }
        if (o == n)
            break;
        n = o;
    }
    return n;
}

char *tx__utf8_repair(tx__arena *a, const char *s, size_t n, size_t *out_len,
                      size_t *bad)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    tx_ctx *ctx = a->ctx;
    char *tmp, *res;
    size_t i = 0, o = 0, k;

    *bad = 0;
    if (tx__utf8_valid(s, n)) {
        *out_len = n;
        return tx__arena_strndup(a, s, n);
    }
    /* Each invalid byte becomes 3 bytes at most. */
    tmp = tx__malloc(ctx, n * 3 + 1);
    if (!tmp)
        return NULL;
    while (i < n) {
        k = valid_seq(s + i, n - i);
        if (k) {
            memcpy(tmp + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(tmp + o, fffd, 3);
            o += 3;
            i++;
            (*bad)++;
        }
    }
    res = tx__arena_strndup(a, tmp, o);
    tx_free(ctx, tmp);
    *out_len = o;
    return res;
}
