/*
 * What the bytes of an input file are. Excel's "Unicode text" export is
 * UTF-16, and CSV files saved on Windows are often Windows-1252: such a
 * file is converted to UTF-8 by glibc's iconv before it is parsed, so line
 * numbers and rows are those of the file. Files that are not text at all
 * (workbooks, PDFs, archives) are named so the caller can refuse them.
 */
#include "tx_internal.h"
#include "tx_corpus_private.h"

#include <errno.h>
#include <iconv.h>
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

/* The encoding a file shows by its bytes: UTF-16 with a BOM, or without
 * one when a third or more of its first 4 KB are NUL bytes, nearly all on
 * odd offsets (little-endian ASCII) or on even ones (big-endian). */
const char *tx__encoding_sniff(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t n = len < 4096 ? len : 4096, i, odd = 0, even = 0;

    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                     (u[0] == 0xFE && u[1] == 0xFF)))
        return "UTF-16"; /* iconv reads the BOM and drops it */
    for (i = 0; i < n; i++) {
        odd += u[i] == 0 && i % 2;
        even += u[i] == 0 && !(i % 2);
    }
    if (n >= 8 && (odd + even) * 3 >= n) {
        if (odd * 10 >= (odd + even) * 9)
            return "UTF-16LE";
        if (even * 10 >= (odd + even) * 9)
            return "UTF-16BE";
    }
    return NULL;
}

/* Files that are not text, known by their first bytes: what to do. */
const char *tx__binary_kind(const char *data, size_t len)
{
    static const struct { const char *magic; size_t n; const char *what; }
        kinds[] = {
            {"PK\x03\x04", 4, "a zip archive, such as an Excel workbook "
             "(.xlsx): save the sheet as CSV (UTF-8), or convert it with "
             "xlsx2csv (Debian package xlsx2csv), and read that"},
            {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an old Office file "
             "(.xls, .doc): save it as CSV (UTF-8) and read that"},
            {"%PDF-", 5, "a PDF: extract its text first (pdftotext)"},
            {"\x1F\x8B", 2, "gzip-compressed: decompress it first (gunzip)"},
            {"\x89HDF\r\n\x1A\n", 8, "an HDF5 file, not text (tx-assign "
             "reads models)"},
            {"\x93NUMPY", 6, "a .npy array, not text (--embeddings reads "
             "it)"},
        };
    size_t i, n = len < 4096 ? len : 4096, ctl = 0;

    for (i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (len >= kinds[i].n && memcmp(data, kinds[i].magic, kinds[i].n) == 0)
            return kinds[i].what;
    /* Text has next to no control characters besides tab and line breaks;
     * one byte in ten is binary data (UTF-16 is sniffed before this). */
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)data[i];

        ctl += (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' &&
                ch != '\f') || ch == 0x7F;
    }
    if (n >= 64 && ctl * 10 >= n)
        return "binary data, not text (one byte in ten or more is a control "
               "character)";
    return NULL;
}

int tx__to_utf8(tx_ctx *ctx, const char *from, const char *data, size_t len,
                char **out, size_t *out_len, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    /* the usual case fits; UTF-8 may need 3 bytes for 1 or 2, then grow */
    size_t cap = len + len / 2 + 16, left_in = len, left_out = cap;
    char *buf, *in = (char *)data, *o;
    int rc = TX_OK;

    *out = NULL;
    *out_len = 0;
    *bad_at = 0;
    if (cd == (iconv_t)-1)
        return TX_EINVAL;
    buf = o = tx__malloc(ctx, cap + 1);
    while (buf && left_in > 0 &&
           iconv(cd, &in, &left_in, &o, &left_out) == (size_t)-1) {
        size_t done = (size_t)(o - buf);
        char *bigger;

        if (errno != E2BIG) { /* EILSEQ, EINVAL: not text in `from` */
            *bad_at = (size_t)(in - data);
            rc = TX_EFORMAT;
            break;
        }
        cap = cap * 2 + left_in * 4;
        bigger = tx__realloc(ctx, buf, cap + 1);
        if (!bigger)
            break;
        buf = bigger;
        o = buf + done;
        left_out = cap - done;
    }
    if (rc == TX_OK && (!buf || left_in > 0))
        rc = TX_ENOMEM;
    if (rc == TX_OK) {
        iconv(cd, NULL, NULL, &o, &left_out); /* end any shift state */
        *o = '\0';
        *out = buf;
        *out_len = (size_t)(o - buf);
    } else {
        tx_free(ctx, buf);
    }
    iconv_close(cd);
    return rc;
}
