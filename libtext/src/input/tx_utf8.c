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
