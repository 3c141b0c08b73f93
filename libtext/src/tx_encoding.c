/*
 * Input files in other encodings: Excel's "Unicode text" export is UTF-16
 * with a byte-order mark, and CSV files saved on Windows are often
 * Windows-1252. Such a file is converted to UTF-8 by glibc's iconv before
 * it is parsed, so line numbers and rows are those of the file.
 */
#include "tx_internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool tx__encoding_known(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);

    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

bool tx__encoding_is_utf8(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

/* The encoding a file declares by its first bytes: UTF-16 with a BOM. */
const char *tx__encoding_of_bom(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;

    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                     (u[0] == 0xFE && u[1] == 0xFF)))
        return "UTF-16"; /* iconv reads the BOM and drops it */
    return NULL;
}

int tx__to_utf8(const char *from, const char *data, size_t len, char **out,
                size_t *out_len, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t cap = len * 2 + 16, left_in = len, left_out, done;
    char *buf, *in = (char *)data, *o;

    *out = NULL;
    *out_len = 0;
    *bad_at = 0;
    if (cd == (iconv_t)-1)
        return TX_EINVAL;
    buf = malloc(cap + 1);
    if (!buf) {
        iconv_close(cd);
        return TX_ENOMEM;
    }
    o = buf;
    left_out = cap;
    while (left_in > 0) {
        if (iconv(cd, &in, &left_in, &o, &left_out) != (size_t)-1)
            continue;
        if (errno == E2BIG) { /* UTF-8 can take 3 bytes for 1 or 2 */
            char *bigger;

            done = (size_t)(o - buf);
            cap = cap * 2 + left_in * 4;
            bigger = realloc(buf, cap + 1);
            if (!bigger) {
                free(buf);
                iconv_close(cd);
                return TX_ENOMEM;
            }
            buf = bigger;
            o = buf + done;
            left_out = cap - done;
            continue;
        }
        /* EILSEQ / EINVAL: not text in that encoding (or cut short) */
        *bad_at = (size_t)(in - data);
        free(buf);
        iconv_close(cd);
        return TX_EFORMAT;
    }
    iconv(cd, NULL, NULL, &o, &left_out); /* end any shift state */
    iconv_close(cd);
    *o = '\0';
    *out = buf;
    *out_len = (size_t)(o - buf);
    return TX_OK;
}
