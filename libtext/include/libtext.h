/*
 * libtext: turn open-ended customer text into themes.
 *
 * This header is the API reference, in the order the data flows:
 * context -> corpus -> tokens -> vocabulary and TF-IDF -> dense vectors
 * -> clustering -> themes -> analyses (sentiment, statistics, insights,
 * stated causes) -> reports.
 *
 * The whole job in a few calls (examples/themes_of_csv.c is a complete
 * program; every return code must be checked):
 *
 *     tx_ctx_new(NULL, &ctx);                      context: threads, seed
 *     tx_corpus_new(ctx, NULL, &corpus);           NULL params: defaults
 *     tx_corpus_add_file(corpus, "feedback.csv", &diag);
 *     tx_themes_fit(ctx, NULL, corpus, &themes);   themes of the corpus
 *     tx_insights_compute(ctx, NULL, themes, corpus, &insights); optional
 *     tx_report_new(ctx, themes, corpus, insights, NULL, &report);
 *     tx_report_write_markdown(report, stdout);    or _json, _html
 *     tx_themes_save(ctx, themes, "model.h5", &diag); for tx_themes_assign
 *     ... then each _free, in reverse order.
 *
 * Conventions used throughout:
 *  - Fallible functions return TX_OK (0) or a negative TX_E* code.
 *  - New objects come back through an out-parameter that is NULL on failure.
 *  - `_free(NULL)` is always a no-op.
 *  - Each declaration ends with "Ownership:" and "Threads:" notes.
 *  - The library never prints, exits or aborts on bad input; parse problems
 *    are described in a caller-owned tx_diag.
 *  - Parameter structs are filled by their `_init` function before fields
 *    are set; NULL params mean the defaults. Each starts with `size`, which
 *    `_init` sets: later versions only add fields at the end of a struct
 *    (nested parameter structs never grow), and the library takes the
 *    fields a caller built against an older header does not know from
 *    their defaults. `tx_*_params_check` says in a sentence what is wrong
 *    with a struct before any work starts.
 *  - A fitted model is immutable: analyses and reports read it and never
 *    change it, so one model may be read from several threads.
 */
#ifndef LIBTEXT_H
#define LIBTEXT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TX_BUILDING) && defined(__GNUC__)
#define TX_API __attribute__((visibility("default")))
#else
#define TX_API
#endif

/* ------------------------------------------------------------------ */
/* Version                                                              */
/* ------------------------------------------------------------------ */

#define TX_VERSION_MAJOR 0
#define TX_VERSION_MINOR 8
#define TX_VERSION_PATCH 0
#define TX_VERSION_STRING "0.8.0"

/** Release version of the linked library, e.g. "0.5.0".
 *  Ownership: static string. Threads: safe. */
TX_API const char *tx_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

enum {
    TX_OK = 0,
    TX_ENOMEM = -1,  /**< allocation failed */
    TX_EINVAL = -2,  /**< invalid argument or parameter */
    TX_EIO = -3,     /**< file could not be read or written */
    TX_EFORMAT = -4, /**< input is not in the expected format */
    TX_EUTF8 = -5,   /**< invalid UTF-8 where it cannot be repaired */
    TX_ERANGE = -6,  /**< caller's buffer too small; see `*need` */
    TX_EBLAS = -7,   /**< a BLAS/LAPACK routine failed */
    TX_EHDF5 = -8,   /**< the HDF5 library reported an error */
    TX_ECOMM = -10,    /**< the exchange between the processes of a run
                            (tx_comm) failed */
    TX_ETOOLITTLE = -9 /**< too little text for the analysis asked for
                            (fewer than two documents keep a word after
                            cleaning, or fewer than two terms remain) */
};

/** Static English text for an error code.
 *  Ownership: static string. Threads: safe. */
TX_API const char *tx_strerror(int rc);

/** Where and why parsing failed. Filled by functions taking a tx_diag*
 *  (which may be NULL). `line` is 1-based; 0 when not applicable. */
typedef struct tx_diag {
    char file[256];
    long line;
    char message[256];
} tx_diag;

/* ------------------------------------------------------------------ */
/* Context: allocator, thread count, seed                               */
/* ------------------------------------------------------------------ */

/** Custom allocator. All three functions are required; `ud` is passed
 *  through. realloc/free receive pointers obtained from this allocator. */
typedef struct tx_alloc {
    void *(*malloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} tx_alloc;

typedef struct tx_ctx tx_ctx;

/** Create a context. `a` NULL means libc's allocator, which asks the
 *  system for transparent huge pages (madvise) on blocks of 4 MB and
 *  more. Defaults: 1 thread, seed 42.
 *  Ownership: `*out` is the caller's, free with tx_ctx_free; `a` is copied.
 *  Threads: a ctx may be shared by threads for reading only. */
TX_API int tx_ctx_new(const tx_alloc *a, tx_ctx **out);
/** Ownership: frees `ctx`; objects made from it must be freed first.
 *  Threads: not while another thread uses `ctx`. */
TX_API void tx_ctx_free(tx_ctx *ctx);
/** Number of worker threads libtext may start (>= 1). Results do not
 *  depend on it. Threads: not safe while other calls use `ctx`.
 *  Ownership: nothing is allocated. */
TX_API int tx_ctx_set_threads(tx_ctx *ctx, int threads);
/** The context's thread count.
 *  Ownership: nothing to free.
 *  Threads: any; `ctx` is only read. */
TX_API int tx_ctx_threads(const tx_ctx *ctx);
/** Seed for every random choice made with this ctx.
 *  Ownership: nothing is allocated.
 *  Threads: not while another call uses `ctx`. */
TX_API void tx_ctx_set_seed(tx_ctx *ctx, uint64_t seed);
/** The context's random seed.
 *  Ownership: nothing to free.
 *  Threads: any; `ctx` is only read. */
TX_API uint64_t tx_ctx_seed(const tx_ctx *ctx);

/** Progress of long operations: `stage` names the step ("tokenizing",
 *  ...), `done` of `total` units. Called from the thread that called into
 *  libtext, never concurrently; return non-zero to ask libtext to stop (the
 *  operation then fails with that value). */
typedef int (*tx_progress_fn)(void *ud, const char *stage, size_t done,
                              size_t total);
/** Install (or with NULL remove) a progress callback.
 *  Threads: not safe while other calls use `ctx`.
 *  Ownership: nothing is allocated; the callback and `ud` are borrowed. */
TX_API void tx_ctx_set_progress(tx_ctx *ctx, tx_progress_fn fn, void *ud);

/* ------------------------------------------------------------------ */
/* Several processes: one run over MPI ranks                             */
/* ------------------------------------------------------------------ */

/** How the processes of one run (MPI ranks, say) exchange bytes. libtext
 *  needs one collective; a program fills it in from its MPI library
 *  (tools/cli_mpi.c does, with MPI_Allgatherv), so libtext itself does
 *  not link MPI. */
typedef struct tx_comm {
    int rank;  /**< this process: 0 .. ranks - 1 */
    int ranks; /**< processes in the run (1: alone) */
    /** Collective: every rank passes its `n` bytes at `mine`; on return
     *  `all` holds every rank's bytes side by side in rank order, counts[r]
     *  of them from rank r (every rank passes the same `counts`). `mine`
     *  may already be in its place inside `all` (MPI_IN_PLACE). Returns
     *  0, or non-zero when the exchange failed. */
    int (*allgather)(void *ud, const void *mine, size_t n, void *all,
                     const size_t *counts);
    void *ud;
} tx_comm;

/** Make `ctx` one of `comm->ranks` processes of one run (`comm` NULL: a
 *  process alone, the default). With more than one rank, every rank must
 *  make the collective calls in the same order with the same arguments:
 *  tx_corpus_add_file, tx_corpus_add_buffer, tx_corpus_gather,
 *  tx_vocab_fit, tx_vocab_transform, tx_kmeans_fit, tx_kmeans_assign,
 *  tx_themes_fit, tx_themes_assign, tx_insights_compute and
 *  tx_causemap_build. Each splits its work among the ranks and returns the
 *  same code on every rank (a rank that fails makes all fail, with its
 *  diagnostic), so no rank waits for one that stopped. Results are the
 *  same bytes whatever the number of ranks.
 *  Returns TX_EINVAL for a rank outside 0 .. ranks - 1 or no allgather.
 *  Ownership: `*comm` is copied; `ud` is borrowed.
 *  Threads: not while other calls use `ctx`. */
TX_API int tx_ctx_set_comm(tx_ctx *ctx, const tx_comm *comm);
/** This process's rank (0 alone).
 *  Ownership: nothing to free. Threads: any; `ctx` is only read. */
TX_API int tx_ctx_rank(const tx_ctx *ctx);
/** The run's number of ranks (1 alone).
 *  Ownership: nothing to free. Threads: any; `ctx` is only read. */
TX_API int tx_ctx_ranks(const tx_ctx *ctx);

/** Free memory that libtext returned through a `_dup`-style call.
 *  Ownership: takes `p`.
 *  Threads: not while another thread uses `p`. */
TX_API void tx_free(tx_ctx *ctx, void *p);

/* ------------------------------------------------------------------ */
/* Corpus: reading documents from files                                 */
/* ------------------------------------------------------------------ */

typedef enum tx_format {
    TX_FORMAT_AUTO = 0, /**< by extension; `.txt` sniffed for turns */
    TX_FORMAT_CSV,      /**< RFC 4180, header row */
    TX_FORMAT_TSV,      /**< as CSV with tab delimiter */
    TX_FORMAT_JSONL,    /**< one JSON object per line */
    TX_FORMAT_LINES,    /**< one document per line */
    TX_FORMAT_TURNS,    /**< `Speaker: text` transcript */
    TX_FORMAT_VTT,      /**< WebVTT captions */
    TX_FORMAT_SRT,      /**< SubRip captions */
    TX_FORMAT_JSON      /**< a JSON array of objects (`.json` starting with
                             '['), each object a row as in JSONL */
} tx_format;

/** Parse a format name ("csv", "tsv", "jsonl", "txt"/"lines", "turns",
 *  "vtt", "srt", "auto"). Returns TX_EINVAL for unknown names.
 *  Ownership: nothing is allocated; the caller's buffers are written.
 *  Threads: any (no shared state). */
TX_API int tx_format_parse(const char *name, tx_format *out);

typedef struct tx_corpus_params {
    size_t size; /**< set by tx_corpus_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    tx_format format;        /**< TX_FORMAT_AUTO */
    const char *text_col;    /**< "text" */
    const char *id_col;      /**< "id" if the column exists, else row number */
    const char *group_col;   /**< NULL: tabular = "survey", turns = "interview" */
    const char *outcome_col; /**< NULL; numeric values (NPS, CSAT, 0/1) */
    const char *stage_col;   /**< NULL */
    const char *time_col;    /**< NULL */
    const char *interviewer; /**< NULL: detected (speaker asking most questions) */
    int strict_utf8;         /**< 0: repair invalid UTF-8 (U+FFFD); 1: reject row */
    int html;                /**< 0; 1: the text is HTML: keep its text content
                                  (libxml2: entities decoded, tags dropped,
                                  block elements as line breaks); tx_doc.text
                                  is then that content */
    const char *encoding;    /**< NULL: UTF-8, or UTF-16 when the file starts
                                  with its byte-order mark; else an iconv
                                  name ("CP1252", "LATIN1", "UTF-16") the
                                  files are converted from */
    int repair_twice_decoded; /**< 1: text whose UTF-8 was once read as
                                  Windows-1252 and saved again ("donâ€™t",
                                  "cafÃ©", "ðŸ˜€") is read as meant
                                  ("don’t", "café", "😀"); 0: kept as
                                  written */
} tx_corpus_params;

/** Fill `p` with the defaults listed beside each field.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_corpus_params_init(tx_corpus_params *p);
/** NULL when `p` (or NULL) can be used, else a sentence saying what is
 *  wrong, for a program to print before any work starts (tx_corpus_new
 *  returns TX_EINVAL for the same).
 *  Ownership: static string. Threads: any. */
TX_API const char *tx_corpus_params_check(const tx_corpus_params *p);

/** One document. All pointers are borrowed from the corpus and valid until
 *  it is freed. Absent metadata is NULL (outcome: `has_outcome` 0). */
typedef struct tx_doc {
    const char *id;
    const char *text;    /**< NUL-terminated UTF-8 (repaired if needed) */
    size_t len;          /**< bytes in `text` */
    const char *group;
    const char *stage;
    const char *time;
    const char *context; /**< transcripts: the interviewer turn before */
    const char *file;
    long line;           /**< 1-based line where the row/turn starts */
    size_t row;          /**< 0-based position among all rows read by this
                              corpus, documents and rejects together */
    double outcome;
    int has_outcome;
} tx_doc;

/** A row that was read but not used, and why. */
typedef struct tx_reject {
    const char *file;
    long line;
    const char *id;     /**< may be NULL when no id could be read */
    const char *reason;
    size_t row;         /**< as tx_doc.row */
} tx_reject;

typedef struct tx_corpus tx_corpus;

/** Create an empty corpus. `p` NULL means defaults.
 *  Ownership: `*out` is the caller's; string fields of `p` are copied.
 *  Threads: one thread at a time while adding; reading is thread-safe. */
TX_API int tx_corpus_new(tx_ctx *ctx, const tx_corpus_params *p,
                         tx_corpus **out);
/** Frees a corpus and its documents; NULL is a no-op.
 *  Ownership: takes `c`.
 *  Threads: not while another thread uses `c`. */
TX_API void tx_corpus_free(tx_corpus *c);

/** Read a file ("-" is stdin) or every regular file in a directory (sorted
 *  by name, not recursive into hidden entries). Rows that cannot be used are
 *  recorded as rejects and do not fail the call; a file that cannot be
 *  parsed at all (no text column, unterminated quote, unknown format)
 *  returns TX_EFORMAT with `diag` naming the file and line, and adds none
 *  of its rows.  Ownership: `path` is copied. Threads: not safe. */
TX_API int tx_corpus_add_file(tx_corpus *c, const char *path, tx_diag *diag);

/** As tx_corpus_add_file for bytes already in memory; `name` is used for
 *  ids of transcript turns, diagnostics and, with TX_FORMAT_AUTO, to pick
 *  the format by extension. Ownership: `data` is copied.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_corpus_add_buffer(tx_corpus *c, const char *name,
                                const char *data, size_t len, tx_diag *diag);

/** Collective. With several ranks (tx_ctx_set_comm), tx_corpus_add_file
 *  and tx_corpus_add_buffer keep only this rank's share of the rows (CSV:
 *  the rows of a byte range; other formats: a run of rows), each with the
 *  row number, line and id one process would give it; this gives every
 *  rank all the rows, in the order one process reads them. The stages
 *  that learn from a whole corpus (tx_themes_fit, tx_vocab_fit,
 *  tx_causemap_build, ...) return TX_EINVAL for a corpus not gathered.
 *  Alone, or when already gathered: nothing to do.
 *  Ownership: `c` stays the caller's. Threads: not safe. */
TX_API int tx_corpus_gather(tx_corpus *c);

/** 1 when the whole of `text` is an English non-answer to an open
 *  question ("n/a", "none", "no comment", "nothing to add", "don't know",
 *  or only punctuation), else 0. tx_themes_fit and tx_themes_assign keep
 *  such documents out of the themes (theme -1, reason "non-answer").
 *  Ownership: `text` is only read.
 *  Threads: any (no shared state). */
TX_API int tx_text_is_non_answer(const char *text, size_t len);

/** Documents usable for analysis.
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_size(const tx_corpus *c);
/** Rows read: documents + rejects (interviewer turns are not rows).
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_rows(const tx_corpus *c);
/** Rows rejected, each with a reason (tx_corpus_reject).
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_reject_count(const tx_corpus *c);
/** Documents whose invalid UTF-8 was replaced by U+FFFD.
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_repaired_count(const tx_corpus *c);
/** Documents whose text looks like HTML (an entity such as "&amp;" or a
 *  tag such as "<br>") when read without `html`: a hint to set it.
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_html_count(const tx_corpus *c);
/** Documents whose text had been decoded twice and was read as meant
 *  (`repair_twice_decoded`).
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_twice_decoded_count(const tx_corpus *c);
/** The language (Snowball name: "english", "german", "french", "spanish",
 *  "italian", "portuguese", "dutch") whose function words make up most of
 *  the words of up to 2000 documents, if they are 15% of them or more
 *  and 1.5 times any other language's share; NULL when the text is too
 *  short, mixed, or in another language. A hint for
 *  choosing tx_tokenizer_params.lang. Ownership: static string.
 *  Threads: any; `c` is only read. */
TX_API const char *tx_corpus_guess_language(const tx_corpus *c);
/** The language of one text, however short, by its function words: the
 *  one with at least 2 of them and twice as many as any other language,
 *  in a text of 4 words or more; NULL when that is not clear (too short,
 *  mixed, or another language). The cause detector gives no causes to a
 *  document that reads as a language other than English.
 *  Ownership: static string. Threads: any. */
TX_API const char *tx_text_guess_language(const char *text, size_t len);
/** Interviewer turns kept as context.
 *  Ownership: nothing to free.
 *  Threads: any; `c` is only read. */
TX_API size_t tx_corpus_context_count(const tx_corpus *c);
/** Returns TX_EINVAL when `i` is out of range.
 *  Ownership: `*out` is filled with pointers borrowed from `c`.
 *  Threads: any; `c` is only read. */
TX_API int tx_corpus_doc(const tx_corpus *c, size_t i, tx_doc *out);

/** One input file as the corpus took it. */
typedef struct tx_file_info {
    const char *path;    /**< as given ("-" for stdin), or DIR/NAME for a
                              directory's files */
    tx_format format;    /**< the format it was read as */
    int sniffed;         /**< 1: the format was chosen from the content
                              (standard input, or a name without a known
                              extension), not given or by extension */
    const char *skipped; /**< NULL when read; else why a directory's file
                              was not read (not a known input format) */
} tx_file_info;
/** Files added so far, read or skipped, in the order they were met.
 *  Ownership: `out`'s strings are borrowed from `c`.
 *  Threads: any, while nothing adds to `c`. */
TX_API size_t tx_corpus_file_count(const tx_corpus *c);
/** Input file i (0 .. tx_corpus_file_count - 1) as the corpus took it.
 *  Ownership: `*out` is filled with pointers borrowed from `c`.
 *  Threads: any; `c` is only read. */
TX_API int tx_corpus_file(const tx_corpus *c, size_t i, tx_file_info *out);
/** The name of a format ("csv", "jsonl", ...), as --format takes it.
 *  Ownership: static string. Threads: safe. */
TX_API const char *tx_format_name(tx_format f);
/** Rejected row i (0 .. tx_corpus_reject_count - 1), in input order.
 *  Ownership: `*out` is filled with pointers borrowed from `c`.
 *  Threads: any; `c` is only read. */
TX_API int tx_corpus_reject(const tx_corpus *c, size_t i, tx_reject *out);

/* ------------------------------------------------------------------ */
/* Normalization and tokenization                                       */
/* ------------------------------------------------------------------ */

/** Unicode NFKC with case folding (ASCII takes a fast path with the same
 *  result). Output protocol: writes at most `cap` bytes including a NUL;
 *  when too small returns TX_ERANGE with `*need` set. Invalid UTF-8 returns
 *  TX_EUTF8. Threads: safe.
 *  Ownership: nothing is allocated; the caller's buffers are written. */
TX_API int tx_text_normalize(const char *s, size_t len, char *dst, size_t cap,
                        size_t *need);

/** Placeholder tokens that replace URLs, e-mail addresses, social-media
 *  handles ("@united": '@' and up to 30 letters, digits or '_'), numbers,
 *  amounts of money and encoded data (base64 or hex pasted into a ticket:
 *  40 or more bytes of [A-Za-z0-9+/=] between spaces with a letter and a
 *  digit, and a + / = or a digit in every ten bytes; fewer than one '/' in
 *  ten bytes, so paths stay words), and the redaction marks of complaint
 *  and ticket exports (runs of two or more capital X as in "XXXX" and
 *  "XX/XX/XXXX", "[redacted]", "{{name}}"). They start with '_' so they
 *  never collide with words, and theme labels never show them. */
#define TX_TOKEN_URL "_url_"
#define TX_TOKEN_EMAIL "_email_"
#define TX_TOKEN_HANDLE "_handle_"
#define TX_TOKEN_NUMBER "_num_"
#define TX_TOKEN_MONEY "_money_"
#define TX_TOKEN_BLOB "_blob_"
#define TX_TOKEN_REDACTED "_redacted_" /**< XXXX, XX/XX/XXXX, [redacted],
                                         {{name}}: redaction marks */
/** Prefix of a token that follows a negator ("not helpful" ->
 *  "not_help" with stemming). */
#define TX_NEGATION_PREFIX "not_"
/** Tokens longer than this (bytes) are not words; they are skipped. */
#define TX_MAX_TOKEN 64

typedef struct tx_tokenizer_params {
    size_t size; /**< set by tx_tokenizer_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    const char *lang;   /**< Snowball algorithm, "english"; NULL = no stemming */
    int stem;           /**< 1: stem with `lang` */
    int stopwords;      /**< 1: drop stopwords (built-in lists for English,
                             German, French, Spanish, Italian, Portuguese and
                             Dutch by `lang`, and Chinese and Japanese
                             function words for any lang; or
                             `stopword_list`) */
    const char *const *stopword_list; /**< NULL-terminated, replaces built-in */
    int negation;       /**< 1: attach negators to the next word (English
                             ones always, and those of `lang` among the
                             languages with built-in stopwords; French and
                             Italian elided words such as l' are dropped) */
    int placeholders;   /**< 1: URL/e-mail/handle/number/money ->
                             placeholders */
    int ngram_min;      /**< 1 */
    int ngram_max;      /**< 1; n-grams join terms with ' ' */
    int min_token_len;  /**< 2: shortest word kept, in code points (a single
                             Chinese or Japanese character is kept) */
} tx_tokenizer_params;

/** Defaults: English stemming and stopwords, negation and placeholders on,
 *  unigrams, words of two or more characters.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_tokenizer_params_init(tx_tokenizer_params *p);
/** NULL when `p` can be used, else why not (as tx_corpus_params_check).
 *  Ownership: static string. Threads: any. */
TX_API const char *tx_tokenizer_params_check(const tx_tokenizer_params *p);

/** NULL-terminated list of stemming languages libstemmer ships.
 *  Ownership: static. Threads: safe. */
TX_API const char **tx_tokenizer_languages(void);

/** One token as given to a tx_token_fn. `term` is what is counted (stemmed,
 *  negation-prefixed, or an n-gram); `surface` is the normalized word as
 *  written (for readable labels). Offsets are bytes into the text passed to
 *  tx_tokenize (for n-grams: first word's start, last word's end). Both
 *  strings are valid only during the callback. */
typedef struct tx_token {
    const char *term;
    size_t term_len;
    const char *surface;
    size_t surface_len;
    size_t start, end;
} tx_token;

/** Return non-zero to stop tokenizing; that value is returned. */
typedef int (*tx_token_fn)(void *ud, const tx_token *tok);

typedef struct tx_tokenizer tx_tokenizer;

/** Create a tokenizer. Returns TX_EINVAL for an unknown `lang`.
 *  Ownership: `*out` is the caller's; `p->stopword_list` is copied.
 *  Threads: one tokenizer per thread (it owns a stemmer and caches). */
TX_API int tx_tokenizer_new(tx_ctx *ctx, const tx_tokenizer_params *p,
                            tx_tokenizer **out);
/** Frees a tokenizer; NULL is a no-op.
 *  Ownership: takes `t`.
 *  Threads: not while another thread uses `t`. */
TX_API void tx_tokenizer_free(tx_tokenizer *t);

/** Tokenize `len` bytes of UTF-8 text, calling `fn` for every token in
 *  order. Invalid UTF-8 bytes are treated as separators. Scripts written
 *  without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) are cut
 *  into words by ICU's dictionary-based word breaker; a single ideograph
 *  is a word whatever min_token_len is. With the built-in stopwords,
 *  Chinese and Japanese function words are stopwords for any `lang`. HTML
 *  character references left escaped in plain text ("&amp;", "&#39;") are
 *  not tokens, except an escaped apostrophe inside a word: "don&#39;t" is
 *  "don't" (its token spans the reference's bytes). Emoji and flags are
 *  tokens; other symbols (box drawing, bullets, ticks) are not. Returns
 *  TX_OK, a TX_E* code, or the callback's non-zero
 *  value.
 *  Ownership: tokens passed to `fn` are borrowed until it returns.
 *  Threads: one thread at a time per tokenizer (make one per thread). */
TX_API int tx_tokenize(tx_tokenizer *t, const char *text, size_t len,
                       tx_token_fn fn, void *ud);

/* ------------------------------------------------------------------ */
/* Segmentation: sentences and clauses with byte offsets                 */
/* ------------------------------------------------------------------ */

/** A byte range [start, end) of a text. */
typedef struct tx_span {
    size_t start, end;
} tx_span;

/** Sentences of `text`: ends at . ! ? and … (and runs of them, closing
 *  quotes or brackets included) when what follows starts a new sentence,
 *  and at line breaks; not after common abbreviations ("e.g.", "Dr.",
 *  "a.m."), single initials, or inside numbers ("3.5", "v2.1"). An emoji
 *  followed by a capital also ends a sentence, as casual text often does.
 *  Spans exclude surrounding white space; blank sentences are skipped.
 *  Output protocol: up to `cap` spans in `out`; `*n` gets the number of
 *  sentences; TX_ERANGE when cap < *n. Threads: safe.
 *  Ownership: nothing is allocated. */
TX_API int tx_segment_sentences(const char *text, size_t len, tx_span *out,
                        size_t cap, size_t *n);

/** Clauses of the sentence text[s.start, s.end): splits before
 *  coordinating and subordinating words that open a clause ("but",
 *  "because", "since", "so", "although", "which", "that's why", ...), at
 *  a ; or : followed by white space (not inside URLs, times, emoticons or
 *  entities such as "&amp;"), and at ", and" / ", or". The connecting word
 *  starts the clause it opens, so a cause detector sees it. Same output
 *  protocol.
 *  Ownership: nothing is allocated.
 *  Threads: any. */
TX_API int tx_segment_clauses(const char *text, tx_span s, tx_span *out, size_t cap,
                      size_t *n);

/* ------------------------------------------------------------------ */
/* Vocabulary and sparse count matrix                                   */
/* ------------------------------------------------------------------ */

/** Compressed sparse rows in the scipy convention: row i's entries are
 *  indices/data[indptr[i] .. indptr[i+1]), column indices ascending. */
typedef struct tx_csr {
    size_t rows, cols, nnz;
    int64_t *indptr;  /**< rows + 1 entries */
    int32_t *indices; /**< nnz entries */
    float *data;      /**< nnz entries */
} tx_csr;

/** Frees a matrix that libtext returned (it remembers its context); NULL
 *  is a no-op. Not for a tx_csr the caller filled in itself.
 *  Ownership: takes `m`.
 *  Threads: not while another thread uses `m`. */
TX_API void tx_csr_free(tx_csr *m);

typedef struct tx_vocab tx_vocab;

typedef struct tx_vocab_params {
    size_t size; /**< set by tx_vocab_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    long min_df;         /**< 1: keep terms in at least this many docs */
    double max_df;       /**< 1.0: drop terms in more than this share of docs */
    size_t max_features; /**< 0 = all; else keep the most frequent (by total
                              count, ties by term) */
} tx_vocab_params;

/** Fills `*p` with the defaults (min_df 1, max_df 1.0, all features).
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_vocab_params_init(tx_vocab_params *p);
/** NULL when `p` can be used, else why not (as tx_corpus_params_check).
 *  Ownership: static string. Threads: any. */
TX_API const char *tx_vocab_params_check(const tx_vocab_params *p);

/** Tokenize every document of `c` (with ctx's threads), build the pruned
 *  vocabulary and the document-term count matrix (one row per document,
 *  columns in term order: terms are sorted bytewise, as scikit-learn does,
 *  so the result does not depend on the thread count).
 *  Ownership: `*vocab` and `*counts` are the caller's.
 *  Threads: uses ctx's threads internally; not reentrant on `c`. */
TX_API int tx_vocab_fit(tx_ctx *ctx, const tx_tokenizer_params *tp,
                        const tx_vocab_params *vp, const tx_corpus *c,
                        tx_vocab **vocab, tx_csr **counts);

/** Count the documents of `c` against an existing vocabulary; unknown terms
 *  are ignored. Ownership: `*counts` is the caller's; `vocab` borrowed.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_vocab_transform(tx_ctx *ctx, const tx_tokenizer_params *tp,
                              const tx_vocab *vocab, const tx_corpus *c,
                              tx_csr **counts);

/** Build a vocabulary from terms (sorted and de-duplicated here) with their
 *  document frequencies, e.g. when loading a saved model.
 *  Ownership: `*out` is the caller's (NULL on failure); the other arguments are
 *     borrowed.
 *  Threads: any; the new object is used by one thread at a time unless its
 *     section says it may be shared. */
TX_API int tx_vocab_from_terms(tx_ctx *ctx, const char *const *terms,
                               const int64_t *df, size_t n, long n_docs,
                               tx_vocab **out);
/** Frees a vocabulary; NULL is a no-op.
 *  Ownership: takes `v`.
 *  Threads: not while another thread uses `v`. */
TX_API void tx_vocab_free(tx_vocab *v);
/** Number of terms.
 *  Ownership: nothing to free.
 *  Threads: any; `v` is only read. */
TX_API size_t tx_vocab_size(const tx_vocab *v);
/** Documents the vocabulary was fitted on.
 *  Ownership: nothing to free.
 *  Threads: any; `v` is only read. */
TX_API long tx_vocab_n_docs(const tx_vocab *v);
/** Borrowed term string, valid while `v` lives; NULL if out of range.
 *  Ownership: borrowed from `v`, valid while it lives.
 *  Threads: any; `v` is only read. */
TX_API const char *tx_vocab_term(const tx_vocab *v, size_t id);
/** Most frequent surface form of a term ("delivery" for "deliveri").
 *  Ownership: borrowed from `v`, valid while it lives.
 *  Threads: any; `v` is only read. */
TX_API const char *tx_vocab_surface(const tx_vocab *v, size_t id);
/** Document frequency of term `id` (-1 when out of range).
 *  Ownership: nothing to free.
 *  Threads: any; `v` is only read. */
TX_API int64_t tx_vocab_df(const tx_vocab *v, size_t id);
/** Column of `term`, or -1. Threads: safe (vocab is immutable).
 *  Ownership: nothing to free. */
TX_API long tx_vocab_lookup(const tx_vocab *v, const char *term, size_t len);
/** Terms removed by pruning (min_df, max_df, max_features).
 *  Ownership: nothing to free.
 *  Threads: any; `v` is only read. */
TX_API size_t tx_vocab_pruned(const tx_vocab *v);

/* ------------------------------------------------------------------ */
/* TF-IDF weighting (scikit-learn TfidfTransformer definitions)         */
/* ------------------------------------------------------------------ */

typedef struct tx_tfidf_params {
    size_t size; /**< set by tx_tfidf_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    int sublinear_tf; /**< 1: tf = 1 + ln(count) */
    int smooth_idf;   /**< 1: idf = ln((1 + n) / (1 + df)) + 1;
                           0: idf = ln(n / df) + 1 */
    int norm_l2;      /**< 1: each row scaled to unit L2 norm */
} tx_tfidf_params;

/** Defaults: sublinear_tf 1, smooth_idf 1, norm_l2 1.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_tfidf_params_init(tx_tfidf_params *p);

/** Inverse document frequencies from a vocabulary's df and n_docs.
 *  `idf` has tx_vocab_size(v) entries, caller-allocated.
 *  Ownership: nothing to free.
 *  Threads: any; `p` is only read. */
TX_API int tx_tfidf_idf(const tx_tfidf_params *p, const tx_vocab *v,
                        double *idf);

/** Weight a count matrix: `*out` gets the same pattern with TF-IDF values.
 *  Rows with no terms stay empty. Ownership: `*out` is the caller's.
 *  Threads: uses ctx's threads. */
TX_API int tx_tfidf_apply(tx_ctx *ctx, const tx_tfidf_params *p,
                          const double *idf, const tx_csr *counts,
                          tx_csr **out);

/* ------------------------------------------------------------------ */
/* HDF5 files                                                           */
/* ------------------------------------------------------------------ */

/** Everything tx-vectorize writes. `corpus` may be NULL (no ids). */
typedef struct tx_h5_vectors {
    const tx_vocab *vocab;
    const double *idf;
    const tx_csr *tfidf;
    const tx_corpus *corpus;
    const tx_tokenizer_params *tok;
    const tx_vocab_params *vocab_params;
    const tx_tfidf_params *tfidf_params;
} tx_h5_vectors;

/** Write /vocab/terms, /vocab/surface, /vocab/df, /idf,
 *  /tfidf/{data,indices,indptr,shape}, /docs/ids and /docs/rejected_* with
 *  parameters and the library version as attributes. The file is written
 *  under a temporary name and renamed, so a failure leaves no partial
 *  file.
 *  Ownership: the file at `path` is written; everything else is read only.
 *  Threads: not reentrant (HDF5): one load or save at a time in the process. */
TX_API int tx_h5_save_vectors(tx_ctx *ctx, const char *path,
                              const tx_h5_vectors *v, tx_diag *diag);

/** Read back the vocabulary, idf and TF-IDF matrix of a file written by
 *  tx_h5_save_vectors. Ownership: all outputs are the caller's (`*idf` is
 *  freed with tx_free). Threads: not reentrant. */
TX_API int tx_h5_load_vectors(tx_ctx *ctx, const char *path,
                              tx_vocab **vocab, double **idf, tx_csr **tfidf,
                              tx_diag *diag);


/* ------------------------------------------------------------------ */
/* Dense matrices and LSA (randomized truncated SVD)                    */
/* ------------------------------------------------------------------ */

/** Row-major float matrix, CBLAS style: element (i, j) is
 *  data[i * ld + j]; `data` is 64-byte aligned when made by libtext. */
typedef struct tx_mat {
    size_t rows, cols, ld;
    float *data;
} tx_mat;

/** A zeroed rows x cols matrix. Ownership: `*out` is the caller's, free
 *  with tx_mat_free.
 *  Threads: any; the new object is used by one thread at a time unless its
 *     section says it may be shared. */
TX_API int tx_mat_new(tx_ctx *ctx, size_t rows, size_t cols, tx_mat **out);
/** Frees a matrix made by tx_mat_new or returned by libtext (it
 *  remembers its context); NULL is a no-op. Not for a tx_mat the caller
 *  filled in itself.
 *  Ownership: takes `m`.
 *  Threads: not while another thread uses `m`. */
TX_API void tx_mat_free(tx_mat *m);
/** Scales each non-zero row to unit L2 norm.
 *  Ownership: `m`'s rows are scaled in place.
 *  Threads: not while another thread uses `m`. */
TX_API void tx_mat_normalize_rows(tx_mat *m);

typedef struct tx_svd_params {
    size_t size; /**< set by tx_svd_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    size_t rank;       /**< 100: dimensions kept */
    size_t oversample; /**< 10: extra random directions */
    int power_iters;   /**< 2: subspace iterations (more = more accurate;
                            4 measured no better on the quality corpora) */
} tx_svd_params;

/** Fills `*p` with the defaults (rank 100, oversample 10, 2 power iterations).
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_svd_params_init(tx_svd_params *p);

/** Randomized truncated SVD of the sparse n x m matrix `a` (Halko,
 *  Martinsson and Tropp's subspace iteration on the term side, then a
 *  Rayleigh-Ritz step whose small eigenproblem LAPACK solves). Gives
 *     `*components` (rank x m: right singular
 *  vectors as rows), `sigma` (rank singular values, descending; may be
 *  NULL) and `*coords` (n x rank: a times components transposed, the
 *  documents' LSA coordinates, as scikit-learn's TruncatedSVD gives;
 *  `coords` may be NULL when only the components are wanted, which saves
 *  a pass over `a`).
 *  The rank is lowered to min(n, m) - 1 when the matrix is smaller.
 *  Random directions come from the ctx seed: the same input and seed give
 *  the same output for any thread count.
 *  Ownership: outputs are the caller's. Threads: uses ctx's threads. */
TX_API int tx_svd_fit(tx_ctx *ctx, const tx_svd_params *p, const tx_csr *a,
                      tx_mat **components, float **sigma, tx_mat **coords);

/** Coordinates of new rows: a times components transposed.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_svd_project(tx_ctx *ctx, const tx_mat *components,
                          const tx_csr *a, tx_mat **coords);

/* ------------------------------------------------------------------ */
/* Word vectors trained on the corpus, and SIF document vectors          */
/* ------------------------------------------------------------------ */

typedef struct tx_wordvec_params {
    size_t size; /**< set by tx_wordvec_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    size_t dim;       /**< 100 */
    int window;       /**< 5: words either side that count as context */
    double cds_alpha; /**< 0.75: context-distribution smoothing of PMI */
    double sif_a;     /**< 1e-3: SIF weight a / (a + p(word)) */
    size_t max_docs;  /**< 100000: larger corpora train on an even sample */
} tx_wordvec_params;

/** Fills `*p` with the defaults.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_wordvec_params_init(tx_wordvec_params *p);

/** Word vectors for every term of `vocab`: positive PMI of co-occurrence
 *  within `window` terms, factored by tx_svd_fit; a term's vector is its
 *  row of U sqrt(Sigma) (vocab size x dim). Terms are found with the same
 *  tokenizer settings `tp` the vocabulary was built with.
 *  Ownership: `*vectors` is the caller's. Threads: uses ctx's threads. */
TX_API int tx_wordvec_train(tx_ctx *ctx, const tx_wordvec_params *p,
                            const tx_tokenizer_params *tp,
                            const tx_vocab *vocab, const tx_corpus *c,
                            tx_mat **vectors);

/** Document vectors: SIF-weighted averages of the word vectors of each
 *  row of `counts` (columns = rows of `vectors`), with the documents'
 *  first principal component removed (found on an even sample of at most
 *  100,000 rows). Rows are not normalized.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_wordvec_embed_docs(tx_ctx *ctx, const tx_wordvec_params *p,
                                 const tx_mat *vectors, const tx_csr *counts,
                                 tx_mat **docs);

/* ------------------------------------------------------------------ */
/* Vectors from elsewhere: document embeddings and pretrained words      */
/* ------------------------------------------------------------------ */

/** Loads a 2-D float matrix: a NumPy `.npy` file (float32 or float64,
 *  C order) or, for any other name, the dataset `dataset` (NULL:
 *  "embeddings") of an HDF5 file. NaN or infinite values, a wrong shape
 *  or a damaged file give TX_EFORMAT with `diag` naming the row.
 *  Ownership: `*out` is the caller's. Threads: not reentrant (HDF5). */
TX_API int tx_embeddings_load(tx_ctx *ctx, const char *path,
                              const char *dataset, tx_mat **out,
                              tx_diag *diag);

/** Loads pretrained word vectors: word2vec text (a "COUNT DIM" header
 *  line) or binary (by the `.bin` extension), GloVe text (no header), or
 *  fastText `.vec` (text with header). Words are normalized and stemmed
 *  with `tp` so they meet the corpus's terms; `*vectors` gets one row per
 *  term of `vocab` (mean of the words that map to it; zero when none),
 *  `*found` the number of terms that got a vector. A value that is not a
 *  finite number, a line with more or fewer numbers than the dimension,
 *  or fewer or more vectors than the header announces give TX_EFORMAT
 *  with `diag` naming the line or word.
 *  Ownership: `*vectors` is the caller's. Threads: safe. */
TX_API int tx_wordvec_load(tx_ctx *ctx, const char *path,
                           const tx_tokenizer_params *tp,
                           const tx_vocab *vocab, tx_mat **vectors,
                           size_t *found, tx_diag *diag);

/* ------------------------------------------------------------------ */
/* Spherical k-means                                                    */
/* ------------------------------------------------------------------ */

typedef struct tx_kmeans_params {
    size_t size; /**< set by tx_kmeans_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    size_t k;     /**< 10: clusters */
    int n_init;   /**< 5: restarts from different k-means++ seeds; the best
                       objective is kept, the others measure stability.
                       Above 32,768 rows the restarts run on an even
                       sample of that size and the best is refined on all
                       rows (at most 20 iterations, until under 0.1% of
                       rows move). */
    int max_iter; /**< 100 */
    double tol;   /**< 1e-6: stop when the objective gains less; below 0,
                       run max_iter iterations (benchmarks) */
    int spherical; /**< 0: Euclidean k-means on the unit rows (centroids
                        are means, which shrink for loose clusters);
                        1: spherical (unit centroids, pure cosine). See
                        bench/README.md for the measured difference. */
} tx_kmeans_params;

/** Fills `*p` with the defaults.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_kmeans_params_init(tx_kmeans_params *p);
/** NULL when `p` can be used, else why not (k is checked by
 *  tx_kmeans_fit, since 0 means automatic in tx_themes_params).
 *  Ownership: static string. Threads: any. */
TX_API const char *tx_kmeans_params_check(const tx_kmeans_params *p);

typedef struct tx_kmeans tx_kmeans;

/** k-means of the rows of `x`, which should have unit length
 *  (tx_mat_normalize_rows). Greedy k-means++ seeding; Lloyd's iterations
 *  compare with every centre (GEMM over fixed blocks of rows) only the
 *  rows whose distance bounds do not keep them with their centre
 *  (Hamerly's bounds: the same answer as comparing every row, each row
 *  ends at its nearest centre); empty clusters re-seeded with the
 *  worst-fitting point. Clusters are numbered by size, largest first.
 *  Same ctx seed, same result, for any thread count. k is lowered to the
 *  number of distinct rows when there are fewer. Progress goes to ctx's
 *  callback as stage "clustering", counted in seeding steps and Lloyd
 *  iterations over all restarts (a large k seeds slowly; this shows its
 *  pace); a non-zero answer stops the fit with that value.
 *  Ownership: `*out` is the caller's. Threads: uses ctx's threads. */
TX_API int tx_kmeans_fit(tx_ctx *ctx, const tx_kmeans_params *p,
                         const tx_mat *x, tx_kmeans **out);
/** Frees a k-means result; NULL is a no-op.
 *  Ownership: takes `km`.
 *  Threads: not while another thread uses `km`. */
TX_API void tx_kmeans_free(tx_kmeans *km);
/** Number of clusters found (at most the k asked for).
 *  Ownership: nothing to free.
 *  Threads: any; `km` is only read. */
TX_API size_t tx_kmeans_k(const tx_kmeans *km);
/** Cluster of each row (borrowed, x->rows entries).
 *  Ownership: borrowed from `km`, valid while it lives.
 *  Threads: any; `km` is only read. */
TX_API const int32_t *tx_kmeans_labels(const tx_kmeans *km);
/** Cosine similarity of each row to its centroid (borrowed).
 *  Ownership: borrowed from `km`, valid while it lives.
 *  Threads: any; `km` is only read. */
TX_API const float *tx_kmeans_scores(const tx_kmeans *km);
/** k x d unit centroids (borrowed).
 *  Ownership: borrowed from `km`, valid while it lives.
 *  Threads: any; `km` is only read. */
TX_API const tx_mat *tx_kmeans_centroids(const tx_kmeans *km);
/** Objective of the kept restart: mean of x.c - |c|^2/2 (Euclidean;
 *  1/2 minus half the mean squared distance) or mean x.c (spherical).
 *  Ownership: nothing to free.
 *  Threads: any; `km` is only read. */
TX_API double tx_kmeans_objective(const tx_kmeans *km);
/** Per cluster, in [0, 1]: the mean over the other restarts of the best
 *  Jaccard overlap between this cluster's rows and one of that restart's
 *  clusters (1 = always found together). All 1 when n_init is 1.
 *  Ownership: borrowed from `km`, valid while it lives.
 *  Threads: any; `km` is only read. */
TX_API const float *tx_kmeans_stability(const tx_kmeans *km);

/** The cluster of each row of `x` by the rule the fit used (`spherical`
 *  as in its params), so rows of the fit get their fitted cluster;
 *  `scores` (may be NULL) gets the cosine to the centroid. Ties go to the
 *  lower cluster number.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_kmeans_assign(tx_ctx *ctx, const tx_mat *centroids,
                            int spherical, const tx_mat *x, int32_t *labels,
                            float *scores);

/* ------------------------------------------------------------------ */
/* Dirichlet multinomial mixture (GSDMM) for short texts                 */
/* ------------------------------------------------------------------ */

typedef struct tx_dmm_params {
    size_t size; /**< set by tx_dmm_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    size_t k;      /**< 40: most clusters; empty ones disappear */
    double alpha;  /**< 0.1: prior on cluster sizes */
    double beta;   /**< 0.1: prior on words within a cluster */
    int iters;     /**< 15 Gibbs sweeps */
} tx_dmm_params;

/** Fills `*p` with the defaults.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_dmm_params_init(tx_dmm_params *p);

/** Collapsed Gibbs sampling of the Dirichlet multinomial mixture (Yin and
 *  Wang 2014: one topic per document, suited to short texts) over the
 *  rows of a count matrix. `labels` (counts->rows entries) gets dense
 *  cluster ids 0..*k_found-1, largest first. The ctx seed fixes the
 *  sampling; rows are visited in order, single-threaded.
 *  Threads: safe on distinct outputs.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed. */
TX_API int tx_dmm_fit(tx_ctx *ctx, const tx_dmm_params *p,
                      const tx_csr *counts, int32_t *labels,
                      size_t *k_found);

/* ------------------------------------------------------------------ */
/* Evaluation against known labels                                      */
/* ------------------------------------------------------------------ */

typedef struct tx_eval_scores {
    double nmi;          /**< mutual information / mean of the entropies
                              (scikit-learn's default, arithmetic) */
    double ari;          /**< adjusted Rand index */
    double acc;          /**< accuracy under the best one-to-one matching of
                              clusters to labels (Hungarian algorithm) */
    double homogeneity, completeness, v_measure;
    size_t n, n_labels, n_clusters;
} tx_eval_scores;

/** Compares a clustering with true labels; both are dense ids >= 0.
 *  Threads: safe.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed. */
TX_API int tx_eval_labels(tx_ctx *ctx, const int32_t *truth, const int32_t *pred,
                   size_t n, tx_eval_scores *out);

/* ------------------------------------------------------------------ */
/* Themes: the whole pipeline, descriptions, and a model to reuse        */
/* ------------------------------------------------------------------ */

typedef enum tx_themes_method {
    TX_THEMES_KMEANS = 0, /**< spherical k-means on LSA + word vectors */
    TX_THEMES_DMM = 1     /**< the short-text mixture model on the words */
} tx_themes_method;

typedef struct tx_themes_params {
    size_t size; /**< set by tx_themes_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    tx_tokenizer_params tok;
    tx_vocab_params vocab;       /**< min_df 2 */
    tx_tfidf_params tfidf;
    tx_svd_params svd;           /**< rank 100 */
    int use_wordvec;             /**< 1: LSA coordinates and SIF word-vector
                                      document vectors, each of unit length,
                                      side by side (see bench/README.md) */
    tx_wordvec_params wordvec;
    tx_kmeans_params kmeans;     /**< k 0 = automatic: on a sample of
                                      3,000 rows, k-means over a geometric
                                      grid of k; themes: the smallest k
                                      (at most 20) whose mean silhouette,
                                      less that of the same sample with
                                      its columns shuffled, averaged over
                                      three samples, is within one
                                      standard error (their pooled
                                      spread) of the best */
    size_t k_max;                /**< 0: automatic k gives at most 20
                                      themes; else at most k_max */
    double granularity;          /**< 1.0; automatic sizes (themes and
                                      sub-themes) are multiplied by it
                                      (2 = twice as many, finer) */
    size_t n_terms;              /**< 10 label terms per theme */
    size_t n_quotes;             /**< 4 representative quotes per theme */
    double prior;                /**< 500: strength of the corpus-frequency
                                      prior in the label terms' log-odds */
    tx_themes_method method;     /**< TX_THEMES_KMEANS (default) or
                                      TX_THEMES_DMM: clusters from a
                                      Dirichlet multinomial mixture of the
                                      words; documents then go to their
                                      nearest cluster centre, as tx-assign
                                      places new ones */
    tx_dmm_params dmm;
    const tx_mat *embeddings;    /**< NULL; else one row per input row
                                      (tx_corpus_rows, rejected rows
                                      included, in input order): these
                                      document vectors replace LSA and word
                                      vectors (borrowed during the fit) */
    const char *word_vectors;    /**< NULL; else a file of pretrained word
                                      vectors (tx_wordvec_load formats)
                                      used instead of training them */
    tx_diag *diag;               /**< NULL; else filled when a file named
                                      here cannot be read */
    int subthemes;               /**< -1 (default): automatic, each theme
                                      split by its share of the specific
                                      level's size (the smallest k of the
                                      grid whose raw silhouette is within
                                      one standard error of the best, and
                                      at least twice the themes); 0: none;
                                      N: N per theme. Never parts under 5
                                      documents; a theme too small to
                                      split has none */
} tx_themes_params;

/** Fills `*p` with the defaults (automatic k, word vectors on, min_df 2).
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_themes_params_init(tx_themes_params *p);
/** NULL when `p` can be used, else why not: checks the tokenizer,
 *  vocabulary, k-means, LSA, word-vector and mixture settings it holds
 *  (as tx_corpus_params_check; tx_themes_fit returns TX_EINVAL for the
 *  same, with the reason in `p->diag`).
 *  Ownership: static string. Threads: any. */
TX_API const char *tx_themes_params_check(const tx_themes_params *p);

typedef struct tx_themes tx_themes;

/** Finds themes in `c`: TF-IDF, LSA (+ SIF word vectors), k-means with k
 *  given or automatic, then describes each theme. The LSA components are
 *  learnt from an even sample of at most 262,144 of the documents. Documents are processed
 *  in a canonical order (by content), so the same documents in any order
 *  give the same themes, and the same seed gives the same output for any
 *  thread count. Documents left with no terms after cleaning get no theme
 *  (tx_themes_doc_theme returns -1). Returns TX_ETOOLITTLE when fewer
 *  than two documents keep a word after cleaning or fewer than two terms
 *  remain, TX_EINVAL for bad parameters.
 *  Ownership: `*out` is the caller's; `c` must outlive it (quotes and
 *  document accessors refer to it). Threads: uses ctx's threads. */
TX_API int tx_themes_fit(tx_ctx *ctx, const tx_themes_params *p,
                         const tx_corpus *c, tx_themes **out);
/** Frees a themes model; NULL is a no-op.
 *  Ownership: takes `th`.
 *  Threads: not while another thread uses `th`. */
TX_API void tx_themes_free(tx_themes *th);

/** Number of themes.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API size_t tx_themes_k(const tx_themes *th);
/** Theme of document i of the fitted corpus, or -1; score: cosine to the
 *  theme's centre.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int32_t tx_themes_doc_theme(const tx_themes *th, size_t i);
/** Cosine of document i of the fitted corpus to its theme's centre (0 when it has no theme).
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API float tx_themes_doc_score(const tx_themes *th, size_t i);

typedef struct tx_theme_info {
    const char *label;     /**< short label, words people read: a phrase
                                or two terms, as the theme's documents most
                                often write them together ("waited on
                                hold"), else the terms ("refund, fee") */
    size_t size;           /**< documents that mention it (see
                                tx_themes_mention; a document can mention
                                several themes) */
    double share;          /**< size over the themed documents (sub-themes:
                                over the documents mentioning the theme) */
    float stability;       /**< 0..1, see tx_kmeans_stability */
    size_t n_terms;
    const char *const *terms; /**< surface words and phrases, best first */
    const double *term_scores; /**< log-odds z-scores against the rest
                                    of the corpus (sub-themes: the z
                                    against the sibling sub-themes plus
                                    the z against the corpus) */
    size_t n_quotes;
    const size_t *quotes;  /**< document indices of the fitted corpus */
    size_t primary;        /**< documents whose primary theme (sub-theme)
                                this is: themes are numbered by it,
                                largest first */
} tx_theme_info;

/** Description of theme t (0 = the primary theme of the most documents).
 *  Ownership: `*out` is filled with pointers borrowed from `th`.
 *  Threads: any; `th` is only read. */
TX_API int tx_themes_theme(const tx_themes *th, size_t t,
                           tx_theme_info *out);

/** Number of sub-themes over all themes (0 when none were made). Sub-theme
 *  ids are global: theme 0's sub-themes first, each theme's largest first.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API size_t tx_themes_n_subthemes(const tx_themes *th);
/** Description of sub-theme s (share: of its theme's documents; terms
 *  contrast it with its sibling sub-themes and with the whole corpus, so
 *  neither words its siblings share nor words every theme uses name it).
 *  Ownership: `*out` is filled with pointers borrowed from `th`.
 *  Threads: any; `th` is only read. */
TX_API int tx_themes_subtheme(const tx_themes *th, size_t s,
                              tx_theme_info *out);
/** The theme sub-theme s belongs to, or -1 when s is out of range.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int32_t tx_themes_subtheme_parent(const tx_themes *th, size_t s);
/** Sub-theme of document i of the fitted corpus, or -1 (no theme, or its
 *  theme has no sub-themes).
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int32_t tx_themes_doc_subtheme(const tx_themes *th, size_t i);

/** A themed segment of a fitted document: a run of text on one theme
 *  (sentences, clauses, or list items such as "great food, slow
 *  service"). */
typedef struct tx_mention {
    size_t doc;        /**< document index of the fitted corpus */
    size_t segment;    /**< 0-based, in text order */
    size_t start, end; /**< byte offsets into the document's text */
    int32_t theme;
    int32_t subtheme;  /**< -1 when the theme has none */
    float score;       /**< cosine to the theme's centre */
} tx_mention;

/** Number of mentions of the fit, in document order (0 for a loaded
 *  model). A document is cut into sentences, clauses, and list items (at
 *  commas and " and "); a piece's terms are the document's tokens that
 *  start in it. A piece gives its document a theme other than the
 *  primary only when it has at least 2 known terms and a cosine to that
 *  theme's centre at least half the theme's median document's; other
 *  pieces belong to the primary theme. Neighbouring pieces with the same
 *  theme and sub-theme are one segment. Every themed document has at
 *  least one; a document that is one segment has exactly one, with its
 *  own theme, sub-theme and score.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API size_t tx_themes_n_mentions(const tx_themes *th);
/** Mention i (i < tx_themes_n_mentions).
 *  Ownership: `*out` is the caller's; nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int tx_themes_mention(const tx_themes *th, size_t i, tx_mention *out);
/** Document `doc`'s mentions: indices first .. first + n - 1 (n = 0 for a
 *  document with no theme).
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int tx_themes_doc_mentions(const tx_themes *th, size_t doc,
                                  size_t *first, size_t *n);

/** The theme hierarchy: k - 1 merges, most similar first (average-linkage
 *  on centre cosine). Merge s joins nodes a and b into node k + s; nodes
 *  below k are themes. Gives the similarity of the joined groups.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int tx_themes_merge(const tx_themes *th, size_t s, size_t *a,
                           size_t *b, double *similarity);

/** Broader themes without refitting: follows the merge tree until
 *  `groups` groups remain and writes, for each theme, its group (0 = the
 *  group holding theme 0, then in order of first theme). `map` has
 *  tx_themes_k entries. Returns TX_EINVAL when groups is 0 or above k.
 *  Works on loaded models too.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API int tx_themes_cut(const tx_themes *th, size_t groups, int32_t *map);

/** Writes everything needed to theme new documents (tokenizer settings,
 *  vocabulary, idf, projections, centres, labels) as HDF5.
 *  Ownership: the file at `path` is written; everything else is read only.
 *  Threads: not reentrant (HDF5): one load or save at a time in the process. */
TX_API int tx_themes_save(tx_ctx *ctx, const tx_themes *th, const char *path,
                          tx_diag *diag);
/** Loads a model written by tx_themes_save; a file from another format
 *  version, a damaged or truncated file (parts of the wrong shape, a
 *  stored number that is not finite) gives TX_EFORMAT with `diag`. The
 *  loaded object answers tx_themes_k, tx_themes_theme (labels and terms;
 *  no quotes) and tx_themes_assign.
 *  Ownership: `*out` is the caller's (NULL on failure); the other arguments are
 *     borrowed.
 *  Threads: not reentrant when the file is HDF5 (one load or save at a time
 *     in the process); a loaded model is read only and may be shared. */
TX_API int tx_themes_load(tx_ctx *ctx, const char *path, tx_themes **out,
                          tx_diag *diag);
/** Themes for the documents of `c` (-1 when a document has no known
 *  term), their cosine to the theme's centre (`scores`, may be NULL) and
 *  sub-themes (`subthemes`, may be NULL; -1 when the theme has none): the
 *  nearest centre among the theme's sub-themes. Documents of the fitted
 *  corpus get the theme and sub-theme the fit gave them.
 *  A model fitted on external embeddings needs `embeddings` (one row per
 *  input row of `c`, as for the fit); for other models pass NULL.
 *  Returns TX_EINVAL when they are missing or of the wrong size.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_themes_assign(tx_ctx *ctx, const tx_themes *th,
                            const tx_corpus *c, const tx_mat *embeddings,
                            int32_t *themes, float *scores,
                            int32_t *subthemes);
/** Dimensions of the document vectors the model expects (external
 *  embeddings), or 0 when it makes its own.
 *  Ownership: nothing to free.
 *  Threads: any; `th` is only read. */
TX_API size_t tx_themes_external_dim(const tx_themes *th);

/* ------------------------------------------------------------------ */
/* Theme outputs (the files tx-themes writes)                           */
/* ------------------------------------------------------------------ */

/** assignments.csv: `id,theme,score,subtheme`, one line per input row in
 *  input order: documents with their theme and sub-theme (-1 when the
 *  theme has none), rows that could not be themed (rejected when read, or
 *  no terms left after cleaning) with theme -1. Rows are formatted on
 *  the context's threads and written in order (as for mentions.csv and
 *  documents.csv below).
 *  Returns TX_EIO when writing fails, TX_ENOMEM when memory runs out.
 *  Threads: safe on distinct files.
 *  Ownership: `f` is borrowed and left open; `th` is read only. */
TX_API int tx_themes_write_assignments(const tx_themes *th,
                                       const tx_corpus *c, FILE *f);
/** mentions.csv: `id,segment,start,end,theme,subtheme,score`, one line
 *  per themed segment, documents in input order (see tx_themes_mention).
 *  Returns TX_EIO when writing fails, TX_ENOMEM when memory runs out,
 *  TX_EINVAL when `c` is not the fitted corpus.
 *  Ownership: `f` is borrowed and left open; `th` is read only.
 *  Threads: safe on distinct files. */
TX_API int tx_themes_write_mentions(const tx_themes *th, const tx_corpus *c,
                                    FILE *f);
/** assignments.csv for any per-document themes (e.g. from
 *  tx_themes_assign): same layout and row order as above; `scores` and
 *  `subthemes` may be NULL (0 and -1 written). TX_EIO when writing
 *  fails, TX_ENOMEM when memory runs out.
 *  Ownership: `f` is borrowed and left open; `c` is read only.
 *  Threads: any; several threads may write from the same `c` to different
 *     files. */
TX_API int tx_corpus_write_assignments(const tx_corpus *c,
                                       const int32_t *themes,
                                       const float *scores,
                                       const int32_t *subthemes, FILE *f);

/* ------------------------------------------------------------------ */
/* Sentiment, friction type and journey stage                            */
/* ------------------------------------------------------------------ */

/** Kinds of friction a complaint describes. */
typedef enum tx_friction {
    TX_FRICTION_NONE = 0,
    TX_FRICTION_EFFORT,     /**< doing things twice, chasing, forms */
    TX_FRICTION_CLARITY,    /**< confusion, missing or hidden information */
    TX_FRICTION_CONFIDENCE, /**< uncertainty, fear of loss, distrust */
    TX_FRICTION_CONTINUITY, /**< repeating oneself, hand-offs */
    TX_FRICTION_SPEED,      /**< waiting, delays */
    TX_FRICTION_COUNT
} tx_friction;

/** Moments of the customer journey, in journey order. */
typedef enum tx_stage {
    TX_STAGE_UNKNOWN = 0, TX_STAGE_DISCOVER, TX_STAGE_ONBOARDING,
    TX_STAGE_LOGIN, TX_STAGE_BILLING, TX_STAGE_DELIVERY, TX_STAGE_SUPPORT,
    TX_STAGE_RENEWAL, TX_STAGE_COUNT
} tx_stage;

typedef struct tx_sentiment {
    double score;  /**< -1 (very negative) .. 1 (very positive) */
    tx_friction friction; /**< TX_FRICTION_*: the kind most cued in a negative
                        text; NONE for neutral or positive text */
    tx_stage stage;       /**< TX_STAGE_*: the journey moment most cued */
    int n_pos, n_neg; /**< valenced words counted each way */
} tx_sentiment;

/** Scores text with the project's own lexicon and rules: word valences
 *  (-3..3) scaled by intensifiers ("very"), flipped and damped by a
 *  negator up to three words before ("not helpful"), words after "but"
 *  weighted 1.5 and those before 0.5, emoji valences, "!" amplifying; the
 *  sum s becomes s / sqrt(s^2 + 12). Threads: safe.
 *  Ownership: the caller's buffers are written; the other arguments are
 *     borrowed. */
TX_API int tx_sentiment_score(tx_ctx *ctx, const char *text, size_t len,
                              tx_sentiment *out);
/** The name of a friction type ("effort", "clarity", ...; "none").
 *  Ownership: static strings.
 *  Threads: any. */
TX_API const char *tx_friction_name(tx_friction friction);
/** "discover", "onboarding", "login", "billing", "delivery", "support",
 *  "renewal" ("unknown" for 0).
 *  Ownership: static strings.
 *  Threads: any. */
TX_API const char *tx_stage_name(tx_stage stage);
/** A stage from its name or a common alias ("sign-up", "pricing",
 *  "cancellation"); TX_STAGE_UNKNOWN when not recognised.
 *  Ownership: `name` is only read.
 *  Threads: any (no shared state). */
TX_API tx_stage tx_stage_parse(const char *name);

/* ------------------------------------------------------------------ */
/* Statistics used by the comparisons                                    */
/* ------------------------------------------------------------------ */

/** 95% Wilson score interval of the proportion x / n.
 *  Ownership: nothing is allocated; the caller's buffers are written.
 *  Threads: any (no shared state). */
TX_API void tx_stats_wilson(double x, double n, double *low, double *high);
/** 95% interval of x1/n1 - x2/n2 by Newcombe's hybrid score method (his
 *  method 10, from the two Wilson intervals).
 *  Ownership: nothing is allocated; the caller's buffers are written.
 *  Threads: any (no shared state). */
TX_API void tx_stats_newcombe(double x1, double n1, double x2, double n2,
                        double *low, double *high);
/** Two-sided Fisher exact test of the 2x2 table (a, b; c, d).
 *  Ownership: nothing is allocated.
 *  Threads: any (no shared state). */
TX_API double tx_stats_fisher_exact(long a, long b, long c, long d);
/** Two-sided pooled two-proportion z-test.
 *  Ownership: nothing is allocated.
 *  Threads: any (no shared state). */
TX_API double tx_stats_prop_test(double x1, double n1, double x2, double n2);
/** x1 of n1 against x2 of n2: Fisher's exact test when an expected cell
 *  count is below 5, else the z-test.
 *  Ownership: nothing is allocated.
 *  Threads: any (no shared state). */
TX_API double tx_stats_compare_p(long x1, long n1, long x2, long n2);
/** Benjamini-Hochberg q-values of n p-values.
 *  Ownership: nothing is allocated; the caller's buffers are written.
 *  Threads: any (no shared state). */
TX_API int tx_stats_bh_qvalues(tx_ctx *ctx, const double *p, size_t n, double *q);
/** 95% Welch interval of mean1 - mean2 from means, variances (n - 1
 *  denominators) and sizes; NaN when a group has fewer than 2 values.
 *  Ownership: nothing is allocated; the caller's buffers are written.
 *  Threads: any (no shared state). */
TX_API void tx_stats_welch(double m1, double v1, double n1, double m2, double v2,
                     double n2, double *low, double *high);

/* ------------------------------------------------------------------ */
/* Insights: groups compared, drivers, sentiment, stages, priority, time */
/* ------------------------------------------------------------------ */

typedef enum tx_unit {
    TX_UNIT_RESPONDENT = 0, /**< a person counts once per theme: all turns
                                 of one transcript are one respondent, each
                                 tabular row is its own */
    TX_UNIT_DOCUMENT = 1    /**< every document counts */
} tx_unit;

typedef struct tx_insights_params {
    size_t size; /**< set by tx_insights_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    tx_unit unit; /**< TX_UNIT_RESPONDENT */
    double alpha; /**< 0.05: q-value below which a difference, or a rise
                       over time, is flagged */
} tx_insights_params;

/** Fills `*p` with the defaults (respondents as the unit, alpha 0.05).
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_insights_params_init(tx_insights_params *p);

typedef struct tx_insights tx_insights;

/** What the themes mean for decisions, from a fitted model and its
 *  corpus:
 *  - groups (tx_doc.group): per theme and pair of groups, the shares of
 *    units (respondents or documents) mentioning the theme, their
 *    difference with a Newcombe 95% interval, a p-value (Fisher's exact
 *    test when an expected count is below 5, else the two-proportion
 *    z-test), Benjamini-Hochberg q-values over all rows; the same per
 *    sub-theme (with at most 20 groups), its q-values over the sub-theme
 *    rows; and per theme and
 *    group the words that group uses more than the others in the theme;
 *  - outcome (tx_doc.outcome): mean with the theme minus mean without,
 *    with a Welch 95% interval;
 *  - per document sentiment, friction and stage (tx_doc.stage when it
 *    names a stage, else detected), per theme their mean or mode, and the
 *    emotional journey (mean sentiment per stage);
 *  - priority = 100 x share x (0.5 + severity) x stage weight, where
 *    severity is the theme's negativity (minus its mean sentiment, floored
 *    at 0), averaged with its outcome impact scaled by a quarter of the
 *    outcome's range when there is one, and the stage weight is 1.5 for
 *    onboarding and renewal, 1.3 support, 1.2 billing, 1.1 login and
 *    delivery, 1.0 otherwise (mean over the theme's documents);
 *  - time (tx_doc.time, by month when it starts YYYY-MM): shares per
 *    period, and "rising" when the last period's share is above the one
 *    before with q < alpha.
 *  Ownership: `*out` is the caller's; `th` and `c` must outlive it.
 *  Threads: uses ctx's threads. */
TX_API int tx_insights_compute(tx_ctx *ctx, const tx_insights_params *p,
                               const tx_themes *th, const tx_corpus *c,
                               tx_insights **out);
/** Frees insights; NULL is a no-op.
 *  Ownership: takes `in`.
 *  Threads: not while another thread uses `in`. */
TX_API void tx_insights_free(tx_insights *in);
/** Number of groups (compare.csv has rows when there are two or more).
 *  Ownership: nothing to free.
 *  Threads: any; `in` is only read. */
TX_API size_t tx_insights_groups(const tx_insights *in);
/** compare.csv: `theme,group_a,group_b,share_a,share_b,diff,ci_low,
 *  ci_high,p,q,significant`, groups in name order.
 *  Ownership: `f` is borrowed and left open; `in` is read only.
 *  Threads: any; several threads may write from the same `in` to different
 *     files. */
TX_API int tx_insights_write_compare(const tx_insights *in, FILE *f);
/** Rows of compare_subthemes.csv: with 2 to 20 groups, one per sub-theme
 *  and pair of groups (0 without sub-themes, and with more than 20 groups:
 *  among so many pairs the sub-themes' differences do not survive the
 *  correction, and a store column's 400 groups made 7.2 million rows).
 *  Ownership: nothing to free.
 *  Threads: any; `in` is only read. */
TX_API size_t tx_insights_subtheme_rows(const tx_insights *in);
/** compare_subthemes.csv: `subtheme,theme,group_a,group_b,share_a,share_b,
 *  diff,ci_low,ci_high,p,q,significant`, the comparison of compare.csv
 *  made for every sub-theme (its global id, then its theme's), where a
 *  shift of one specific topic is not diluted by the rest of its theme.
 *  The q-values are Benjamini-Hochberg over the sub-theme rows alone, so
 *  testing sub-themes does not weaken compare.csv's tests of the themes.
 *  Shares are of all the group's units, as in compare.csv: when one topic
 *  grows in a group, the others' shares there shrink a little.
 *  Ownership: `f` is borrowed and left open; `in` is read only.
 *  Threads: any; several threads may write from the same `in` to different
 *     files. */
TX_API int tx_insights_write_compare_subthemes(const tx_insights *in,
                                               FILE *f);
/** documents.csv: `id,theme,group,stage,sentiment,friction`, one line per
 *  document in corpus order (stage as given or detected). TX_EIO when
 *  writing fails, TX_ENOMEM when memory runs out.
 *  Ownership: `f` is borrowed and left open; `in` is read only.
 *  Threads: any; several threads may write from the same `in` to different
 *     files. */
TX_API int tx_insights_write_documents(const tx_insights *in, FILE *f);

/* ------------------------------------------------------------------ */
/* Stated causes: which sentences state a cause, and its spans           */
/* ------------------------------------------------------------------ */

/** A trained cause detector (models/causes.h5, rebuilt by `make models`). */
typedef struct tx_cause_model tx_cause_model;

/** What a sentence says about causes. Spans are byte ranges into the
 *  document; an empty span (start == end) means "not stated". */
typedef struct tx_cause_sentence {
    tx_span sentence;
    int causal;        /**< states a cause (a cause span was found) */
    int complaint;     /**< reads as a complaint; a complaint with no stated
                            cause is a symptom statement */
    float score;       /**< the classifier's probability of "causal" */
    tx_span cause;     /**< what the customer says made it happen */
    tx_span effect;    /**< what happened: the symptom */
    tx_span cue;       /**< the words that signal it ("because", "due to") */
    int cue_negated;   /**< "not because of X": X is denied, so no cause */
    int relation;      /**< 0; with tx_cause_params.relations > 1, further
                            relations of the same sentence follow it as
                            entries numbered 1, 2, ... */
} tx_cause_sentence;

typedef struct tx_cause_params {
    size_t size; /**< set by tx_cause_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    int whole;         /**< 0: split documents into sentences; 1: each
                            document is one sentence */
    double threshold;  /**< -1: the model's own (0.5) */
    int rules;         /**< 1: a strong cue ("because", "due to", "that's
                            why") that is neither negated nor temporal makes
                            a sentence causal, and a causal sentence whose
                            tagger found no cause or effect is split at its
                            cue; 0: the learned models alone */
    int relations;     /**< 1: most relations per sentence; above 1, the
                            span tagger is run again from each further cue
                            of a causal sentence, and each new complete
                            cause-effect pair becomes an entry (without
                            the rules: the ones the tagger is surest of,
                            surest first, and then the ones from words
                            the signal tagger nearly took for a cue, as
                            when one relation sits inside another's
                            cause) */
} tx_cause_params;

/** Fills `*p` with the defaults (the model's threshold, cue rules on, one
 *  relation a sentence).
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_cause_params_init(tx_cause_params *p);

/** Loads a model written by tx_cause_model_save. A missing, damaged or
 *  other-version file gives TX_EIO / TX_EFORMAT with `diag` naming the
 *  file and saying how to rebuild it (`make models`).
 *  Ownership: `*out` is the caller's. Threads: not reentrant (HDF5). */
TX_API int tx_cause_model_load(tx_ctx *ctx, const char *path,
                               tx_cause_model **out, tx_diag *diag);
/** Writes the model as HDF5 (only non-zero weights), atomically.
 *  Ownership: the file at `path` is written; everything else is read only.
 *  Threads: not reentrant (HDF5): one load or save at a time in the process. */
TX_API int tx_cause_model_save(tx_ctx *ctx, const tx_cause_model *m,
                               const char *path, const char *trained_on,
                               tx_diag *diag);
/** Frees a cause model; NULL is a no-op.
 *  Ownership: takes `m`.
 *  Threads: not while another thread uses `m`. */
TX_API void tx_cause_model_free(tx_cause_model *m);
/** How well the model's sentence classifier did on its own training
 *  sentences, each fifth held out while the rest trained it (averaged
 *  over the seeds): precision, recall and F1 of the causal class at the
 *  model's threshold. The threshold was chosen on these same predictions,
 *  so the figures lean slightly optimistic; on new text like the
 *  training text expect about this. TX_EFORMAT (and NaN) when the model
 *  does not record them. Threads: safe.
 *  Ownership: nothing to free. */
TX_API int tx_cause_model_quality(const tx_cause_model *m, double *precision,
                                  double *recall, double *f1);

/** Finds the sentences of text[0, len) (tx_segment_sentences, unless p->whole)
 *  and what each says about causes. `p` NULL means defaults.
 *  Ownership: `*out` (`*n` entries) is freed with tx_free.
 *  Threads: safe; the model is only read. */
TX_API int tx_cause_detect(tx_ctx *ctx, const tx_cause_model *m,
                            const tx_cause_params *p, const char *text,
                            size_t len, tx_cause_sentence **out, size_t *n);

/** One training sentence: its text, whether it states a cause and, for
 *  span training, the byte spans of cause, effect and cue. */
typedef struct tx_cause_example {
    const char *text;
    size_t len;
    int causal;
    int has_spans;
    tx_span cause, effect, cue;
} tx_cause_example;

/** Reads the mark-up of the Causal News Corpus: <ARG0>cause</ARG0>,
 *  <ARG1>effect</ARG1>, <SIG0>cue</SIG0> (later signals are dropped) into
 *  plain text with spans; `causal` is set when a cause is marked. A tag
 *  closed before it is opened, opened twice or never closed gives
 *  TX_EFORMAT (and no text).
 *  Ownership: `ex->text` is allocated; free it with tx_free.
 *  Threads: not while another thread uses `ctx`. */
TX_API int tx_cause_parse_marked(tx_ctx *ctx, const char *marked, size_t len,
                                 tx_cause_example *ex);

typedef struct tx_cause_train_params {
    size_t size; /**< set by tx_cause_train_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    int bits;          /**< 22: 2^bits hashed weights per model */
    int epochs;        /**< 6 passes for the sentence classifier */
    int tagger_epochs; /**< 20 passes for each tagger */
    double l2;         /**< 1e-4 */
    double rate;       /**< 0.1: AdaGrad step */
    int seeds;         /**< 5: the model is the average of the models trained
                            with the ctx seed and the seeds after it (1-64) */
} tx_cause_train_params;

/** Fills `*p` with the defaults.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_cause_train_params_init(tx_cause_train_params *p);

/** Trains the sentence classifier on `sentences` (text + causal) and the
 *  signal and cause/effect taggers on `spans` (examples with spans).
 *  Examples in `spans` that follow one another with the same text are the
 *  relations of one sentence (the corpus's one row per relation): the
 *  first gives the cause and effect spans, and the cues of all of them
 *  are learned as the sentence's signals.
 *  Deterministic for a given ctx seed. Threads: single-threaded.
 *  Ownership: `*out` is the caller's (NULL on failure); the other arguments
 *     are borrowed. */
TX_API int tx_cause_model_train(tx_ctx *ctx, const tx_cause_train_params *p,
                                const tx_cause_example *sentences,
                                size_t n_sentences,
                                const tx_cause_example *spans, size_t n_spans,
                                tx_cause_model **out);

/** Trains the model's complaint classifier (which sentences read as a
 *  complaint; a complaint that states no cause is a symptom statement)
 *  on `examples`, where `causal` holds the label: 1 complaint, 0 not.
 *  Logistic regression on the words, word classes and complaint-word
 *  counts of each text; its threshold maximizes F1 over out-of-fold
 *  probabilities (five folds by text). Without one, a model decides by
 *  its word lists (more complaint words than positive ones). `p` NULL
 *  means defaults (its `epochs`, `l2` and `rate` are used).
 *  TX_ETOOLITTLE (and `m` unchanged) when the examples do not hold both
 *  labels.
 *  Ownership: `m` is changed; `examples` are only read.
 *  Threads: not while another thread uses `m` or `ctx`. */
TX_API int tx_cause_model_train_complaints(tx_ctx *ctx,
                                           const tx_cause_train_params *p,
                                           tx_cause_model *m,
                                           const tx_cause_example *examples,
                                           size_t n);
/** How well the complaint classifier did on its own training texts, each
 *  fifth held out while the rest trained it: precision, recall and F1 of
 *  the complaint class. TX_EFORMAT when the model has no complaint
 *  classifier or does not record them.
 *  Ownership: nothing to free. Threads: safe. */
TX_API int tx_cause_model_complaint_quality(const tx_cause_model *m,
                                            double *precision,
                                            double *recall, double *f1);

/* ------------------------------------------------------------------ */
/* Root-cause map: symptom themes and the cause themes stated for them   */
/* ------------------------------------------------------------------ */

typedef struct tx_causemap_params {
    size_t size; /**< set by tx_causemap_params_init: how much of the struct the
                      caller knows, so later versions can add fields */
    tx_cause_params detect;
    tx_themes_params themes; /**< for both span clusterings; k automatic,
                                  at most 30 themes unless k_max is set */
    int cluster;             /**< 1; 0: detect only (no themes, no links) */
    int cue_spans;           /**< 0; 1: spans.csv also lists each cue as a
                                  span of kind "cue" */
} tx_causemap_params;

/** Fills `*p` with the defaults.
 *  Ownership: `*p` is the caller's.
 *  Threads: any. */
TX_API void tx_causemap_params_init(tx_causemap_params *p);

typedef struct tx_causemap tx_causemap;

/** Detects causes in every document of `c` (in parallel), then clusters
 *  symptom spans (effects of causal sentences, and complaint sentences
 *  that state no cause) and cause spans into themes, and counts for each
 *  symptom theme the cause themes stated with it. Fewer than 4 spans of a
 *  kind give no themes of that kind.
 *  Ownership: `*out` is the caller's; `c` and `model` must outlive it.
 *  Threads: the calling thread; runs up to the ctx's threads inside. */
TX_API int tx_causemap_build(tx_ctx *ctx, const tx_cause_model *model,
                             const tx_causemap_params *p, const tx_corpus *c,
                             tx_causemap **out);
/** Frees a causemap; NULL is a no-op.
 *  Ownership: takes `m`.
 *  Threads: not while another thread uses `m`. */
TX_API void tx_causemap_free(tx_causemap *m);

/** The sentences of document `doc` (borrowed); returns their number.
 *  Ownership: `*out` is the caller's (NULL on failure); the other arguments are
 *     borrowed.
 *  Threads: any; the new object is used by one thread at a time unless its
 *     section says it may be shared. */
TX_API size_t tx_causemap_sentences(const tx_causemap *m, size_t doc,
                                    const tx_cause_sentence **out);
/** Documents of the corpus that read as another language than English
 *  (tx_text_guess_language, guessed once per document): the detector
 *  reads English only, so their sentences are listed with no cause and no
 *  complaint. `*lang`, when `lang` is not NULL, gets the first such
 *  document's language, or NULL.
 *  Ownership: `*lang` is a static string; nothing to free.
 *  Threads: any; `m` is only read. */
TX_API size_t tx_causemap_other_language(const tx_causemap *m,
                                         const char **lang);
/** Number of symptom themes (causes 0) or cause themes (causes 1).
 *  Ownership: nothing to free.
 *  Threads: any; `m` is only read. */
TX_API size_t tx_causemap_k(const tx_causemap *m, int causes);
/** Label of symptom theme t (`causes` 0) or cause theme t (`causes` 1).
 *  Ownership: borrowed from `m`, valid while it lives.
 *  Threads: any; `m` is only read. */
TX_API const char *tx_causemap_label(const tx_causemap *m, int causes,
                                     size_t t);
/** Symptom spans of theme t.
 *  Ownership: nothing to free.
 *  Threads: any; `m` is only read. */
TX_API size_t tx_causemap_symptom_size(const tx_causemap *m, size_t t);
/** Symptom spans of theme `symptom_theme` whose sentence states a cause of
 *  theme `cause_theme` (-1: no stated cause).
 *  Ownership: nothing to free.
 *  Threads: any; `m` is only read. */
TX_API size_t tx_causemap_link(const tx_causemap *m, long cause_theme,
                               size_t symptom_theme);

/** spans.csv: `id,sentence,kind,start,end,text,cue`; kind `cause`,
 *  `symptom` (an effect stated in a complaint, or a complaint that states
 *  no cause) or `effect` (any other effect: "I ordered it because the
 *  reviews were good"); sentence 1-based, byte offsets into the document.
 *  Only symptoms, and the causes stated with them, make the symptom and
 *  cause themes and links.csv.
 *  Ownership: `f` is borrowed and left open; `m` is read only.
 *  Threads: any; several threads may write from the same `m` to different
 *     files. */
TX_API int tx_causemap_write_spans(const tx_causemap *m, FILE *f);
/** sentences.csv: `id,sentence,causal`.
 *  Ownership: `f` is borrowed and left open; `m` is read only.
 *  Threads: any; several threads may write from the same `m` to different
 *     files. */
TX_API int tx_causemap_write_sentences(const tx_causemap *m, FILE *f);
/** links.csv: `cause_theme,cause_label,symptom_theme,symptom_label,count,
 *  share` (share of the symptom theme's spans; cause_theme -1 is "no
 *  stated cause").
 *  Ownership: `f` is borrowed and left open; `m` is read only.
 *  Threads: any; several threads may write from the same `m` to different
 *     files. */
TX_API int tx_causemap_write_links(const tx_causemap *m, FILE *f);
/** A markdown section: symptom themes with their stated causes.
 *  Ownership: `f` is borrowed and left open; `m` is read only.
 *  Threads: any; several threads may write from the same `m` to different
 *     files. */
TX_API int tx_causemap_write_report(const tx_causemap *m, FILE *f);

/* ------------------------------------------------------------------ */
/* Reports: a fitted model with its analyses, written for people       */
/* ------------------------------------------------------------------ */

typedef struct tx_report tx_report;

/** A report of fitted themes (and, when given, their insights and
 *  root-cause map): what themes.json, report.md and report.html show.
 *  Building one changes nothing: the model, insights and causemap are
 *  read only. TX_EINVAL unless `th` was fitted on `c`, `in` (or NULL) was
 *  computed from `th` and `c`, and `m` (or NULL) was built on `c`.
 *  Ownership: `*out` is the caller's (tx_report_free); `th`, `c`, `in`
 *  and `m` are borrowed and must outlive it.
 *  Threads: any thread; the borrowed objects may be shared. */
TX_API int tx_report_new(tx_ctx *ctx, const tx_themes *th, const tx_corpus *c,
                         const tx_insights *in, const tx_causemap *m,
                         tx_report **out);
/** Frees a report; NULL is a no-op.
 *  Ownership: takes `r`. Threads: not while another call uses `r`. */
TX_API void tx_report_free(tx_report *r);
/** themes.json: n_docs (rows read), k, params, themes (id, label, terms
 *  with scores, size, share, stability, quotes, groups), the merge tree,
 *  and every unthemed row with its reason under "rejected"; with insights,
 *  per theme the groups with respondents, shares, "only_in" and terms,
 *  sentiment, friction, stage, priority, impact and trend, and at the top
 *  level unit, groups, journey and periods; with a causemap, a top-level
 *  "causes" object and per theme the share of its documents that state a
 *  cause, with the cause themes they state most.
 *  Ownership: `f` is borrowed. Threads: any; `r` is read only. */
TX_API int tx_report_write_json(const tx_report *r, FILE *f);
/** report.md: a report that reads on its own.
 *  Ownership: `f` is borrowed. Threads: any; `r` is read only. */
TX_API int tx_report_write_markdown(const tx_report *r, FILE *f);
/** report.html: one self-contained page (inline CSS and SVG, no script,
 *  no network): themes by priority with size bars, labels and quotes;
 *  group differences as diverging bars with intervals; the emotional
 *  journey; the cause-to-symptom map; trend lines.
 *  Ownership: `f` is borrowed. Threads: any; `r` is read only. */
TX_API int tx_report_write_html(const tx_report *r, FILE *f);

#ifdef __cplusplus
}
#endif
#endif /* LIBTEXT_H */
