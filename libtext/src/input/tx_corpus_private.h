/* Private to the input stage: the corpus store and what its readers share.
 * Never installed. */
#ifndef TX_CORPUS_PRIVATE_H
#define TX_CORPUS_PRIVATE_H

#include "tx_internal.h"

#include <pthread.h>
#include "tx_input.h"

/* UTF-8 validation and repair: copies `s` to a new arena string, replacing
 * each invalid sequence with U+FFFD. `*bad` counts replacements. */
char *tx__utf8_repair(tx__arena *a, const char *s, size_t n, size_t *out_len,
                      size_t *bad);
bool tx__utf8_valid(const char *s, size_t n);
/* Valid UTF-8 s[0..n) with the characters that were decoded twice (UTF-8
 * read as Windows-1252: "â€™" for "’", "Ã©" for "é") decoded once, in
 * place; the new length (n when there were none). */
size_t tx__utf8_undecode_twice(char *s, size_t n);

/* Input encodings (tx_encoding.c, glibc iconv). tx__to_utf8 converts a
 * whole file; `*out` (tx_free it) is NUL-ended; TX_EINVAL for an unknown
 * encoding, TX_EFORMAT with *bad_at for bytes that are not text in it. */
bool tx__encoding_known(const char *name);
bool tx__encoding_is_utf8(const char *name);
const char *tx__encoding_sniff(const char *data, size_t len);
/* For a file that is not text (zip/xlsx, old Office, PDF, gzip, HDF5,
 * .npy, or bytes one in ten of which are control characters): what it is
 * and what to do; NULL for text. */
const char *tx__binary_kind(const char *data, size_t len);
int tx__to_utf8(tx_ctx *ctx, const char *from, const char *data, size_t len,
                char **out, size_t *out_len, size_t *bad_at);

/* The text content of HTML s[0..n) (tx_markup.c): entities decoded, tags
 * dropped, block elements as line breaks. `*out` (tx_free it) is NUL-ended. */
int tx__html_text(tx_ctx *ctx, const char *s, size_t n, char **out,
                  size_t *out_len);
/* Whether s[0..n) holds an HTML entity or tag ("&amp;", "<br>"). */
bool tx__looks_html(const char *s, size_t n);

struct tx_corpus {
    tx_ctx *ctx;
    tx_corpus_params p;
    tx__arena arena;
    tx_doc *docs;
    size_t n_docs, cap_docs;
    tx_reject *rejects;
    size_t n_rejects, cap_rejects;
    size_t n_repaired, n_context;
    size_t n_html; /* documents that look like HTML (read without html) */
    size_t n_twice; /* documents with text decoded twice, read as meant */
    size_t n_seq; /* rows read: next tx_doc.row / tx_reject.row */
    tx_file_info *files; /* read or skipped, arena strings */
    size_t n_files, cap_files;
    /* tx__corpus_canonical_order's result, kept for the next caller (the
     * fit and the insights both ask); canon_n: the documents it covers */
    size_t *canon, canon_n;
    pthread_mutex_t canon_lock;
    /* several ranks: holds only this rank's share of the rows, until
     * tx_corpus_gather */
    bool share;
    /* CSV rows go through libcsv only, never the quote-free fast path
     * (tx__corpus_csv_fast): tests compare the two */
    bool csv_libcsv_only;
};

/* Documents were added or taken back: the kept canonical order is stale. */
static inline void tx__corpus_changed(tx_corpus *c)
{
    c->canon_n = (size_t)-1;
}

/* State while one file is added, so a failed file can be rolled back. */
struct tx__file_job {
    tx_corpus *c;
    const char *name; /* arena copy */
    tx_diag *diag;
    size_t docs0, rejects0, repaired0, context0, seq0, html0, twice0;
    /* several ranks: the reader took only this rank's share of the rows
     * (else tx_corpus_add_buffer keeps the share of all it read) */
    bool split;
};

/* Lets quote-free CSV lines skip libcsv (the default) or not: the tests
 * read the same bytes both ways and compare. */
void tx__corpus_csv_fast(tx_corpus *c, bool on);

/* Takes back every row the file job added (a file that fails adds
 * nothing; the CSV reader also retries a file this way). */
void tx__corpus_rollback(struct tx__file_job *j);
/* Records a file read (skipped NULL) or skipped (with the reason). */
int tx__corpus_note_file(tx_corpus *c, const char *path, tx_format f,
                         int sniffed, const char *skipped);
/* An arena copy of s (NULL stays NULL). */
const char *tx__corpus_str(tx_corpus *c, const char *s);
/* Adds a row that cannot be a document, with the reason. */
int tx__corpus_reject_row(struct tx__file_job *j, long line, const char *id,
                          const char *reason);
/* Checks the text of one row and adds it as a document or a reject. `d`
 * carries the metadata (arena strings); its text fields are filled here. */
int tx__corpus_add_doc(struct tx__file_job *j, tx_doc *d, const char *text,
                       size_t n);
/* A row number as an id (arena string). */
const char *tx__corpus_number_id(tx_corpus *c, long n);
/* Whether s[0..n) is only white space. */
bool tx__blank(const char *s, size_t n);

/* Several ranks (tx_share.c): keeps only this rank's share of the rows the
 * file job added (a reader that read them all); the file's counts of
 * repaired, HTML-looking and context rows stay with rank 0. */
int tx__corpus_keep_share(struct tx__file_job *j);

/* Lines of a buffer. */
struct tx__line_iter {
    const char *data;
    size_t len, pos;
    long no;
};
/* Next line without its '\n' (and a trailing '\r'). A final line is
 * returned only if it is non-empty, so a trailing newline adds no row. */
bool tx__next_line(struct tx__line_iter *it, const char **s, size_t *n);

/* The readers, one per format (tx_csv.c, tx_json.c, tx_transcript.c,
 * tx_read.c). Each adds rows to j->c; on failure the caller rolls back. */
int tx__read_csv(struct tx__file_job *j, const char *data, size_t len,
                 bool tsv);
int tx__read_jsonl(struct tx__file_job *j, const char *data, size_t len);
int tx__read_json(struct tx__file_job *j, const char *data, size_t len);
int tx__read_turns(struct tx__file_job *j, const char *data, size_t len);
int tx__read_captions(struct tx__file_job *j, const char *data, size_t len,
                      bool vtt);
int tx__read_lines(struct tx__file_job *j, const char *data, size_t len);
/* Length of a `Speaker:` label at the start of s, 0 when there is none. */
size_t tx__speaker_label(const char *s, size_t n);
/* The first position at or after pos that is not white space. */
size_t tx__skip_space(const char *data, size_t len, size_t pos);

#endif
