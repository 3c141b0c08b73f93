/* Shared command-line glue for libtext's tools (not part of the library). */
#ifndef TX_CLI_H
#define TX_CLI_H

#include "libtext.h"

#include <stdio.h>

/* Reads every input into a new corpus. Prints a diagnostic for each file
 * that fails and, unless quiet, one line per rejected row, all as
 * "prog: file:line: message". Returns 0, or 1 on a data/runtime error. */
int cli_load_corpus(const char *prog, tx_ctx *ctx, const tx_corpus_params *p,
                    char **inputs, int n_inputs, int quiet, tx_corpus **out);

/* Parses a non-negative integer / a number in [lo, hi]; prints a usage
 * error naming the option on failure and returns -1. */
int cli_long(const char *prog, const char *opt, const char *s, long lo,
             long hi, long *out);
int cli_double(const char *prog, const char *opt, const char *s, double lo,
               double hi, double *out);

/* Reads a stopword file (one word per line, '#' comments) into a
 * NULL-terminated list; free with cli_free_list. */
char **cli_read_list(const char *prog, const char *path);
void cli_free_list(char **list);

/* -o PATH: opens a temporary file beside `path` for writing; cli_commit
 * renames it into place (or removes it when ok is 0), so readers never see
 * a partial output. "-" means stdout. A symbolic link is written through
 * (its target is replaced, the link stays); a device, FIFO or socket is
 * written in place. cli_commit reports write errors (a full disk) and
 * returns 1 for them. */
FILE *cli_open_out(const char *prog, const char *path, char **tmp);
int cli_commit(const char *prog, FILE *f, const char *path, char *tmp, int ok);
/* Flushes stdout at the end of a tool that printed its data there; 1 (with
 * a message) when it could not be written. */
int cli_finish_stdout(const char *prog);

/* --out DIR: the files of one run. cli_outdir_check, before any input is
 * read, says whether DIR can be written (an existing writable directory, or
 * a missing one whose parent is writable). After the work, cli_outdir_open
 * creates DIR; each output is written under a hidden temporary name
 * (cli_outdir_fopen, then cli_outdir_fclose with the writer's return
 * code, which reports any error; or cli_outdir_temp, the path for a file
 * the library writes);
 * cli_outdir_finish(ok) renames them all into place and removes the files
 * in `known` that this run did not write, so DIR holds only the last
 * successful run's outputs; when !ok, or a write failed, it removes the
 * temporary files and leaves DIR as the previous run left it. */
#define CLI_OUT_MAX 16
struct cli_outdir {
    const char *prog, *dir;
    const char *const *known; /* NULL-terminated names the tool writes */
    char *tmp[CLI_OUT_MAX], *final[CLI_OUT_MAX];
    size_t n;
};
int cli_outdir_check(const char *prog, const char *dir);
int cli_outdir_open(struct cli_outdir *d, const char *prog, const char *dir,
                    const char *const *known);
const char *cli_outdir_temp(struct cli_outdir *d, const char *name);
FILE *cli_outdir_fopen(struct cli_outdir *d, const char *name);
int cli_outdir_fclose(struct cli_outdir *d, FILE *f, const char *name,
                      int rc);
int cli_outdir_finish(struct cli_outdir *d, int ok);

/* A progress line on stderr, shown only when stderr is a terminal and the
 * run has taken more than a second. cli_progress_attach installs it as
 * ctx's progress callback; cli_progress_stage announces a step the tool
 * itself runs; cli_progress_end clears the line. */
void cli_progress_attach(tx_ctx *ctx, const char *prog);
void cli_progress_stage(const char *stage);
void cli_progress_end(void);
/* Print each step's duration instead of a progress line (--verbose). */
void cli_progress_verbose(void);

/* Options every tool that reads a corpus shares: input columns and
 * formats, and tokenizer settings. A tool puts CLI_COMMON_OPTIONS in its
 * getopt_long table and hands unknown codes to cli_common_option. */
enum {
    CLI_FORMAT = 1000, CLI_TEXT, CLI_ID, CLI_GROUP, CLI_OUTCOME, CLI_STAGE,
    CLI_TIME, CLI_INTERVIEWER, CLI_STRICT, CLI_LANG, CLI_NOSTEM, CLI_NOSTOP,
    CLI_STOPFILE, CLI_NONEG, CLI_NOPH, CLI_NGRAM, CLI_MINLEN, CLI_THREADS,
    CLI_QUIET, CLI_LANGS, CLI_HTML, CLI_ENCODING, CLI_KEEP_MOJIBAKE
};

#define CLI_COMMON_OPTIONS                                                  \
    {"format", 1, 0, CLI_FORMAT}, {"text-col", 1, 0, CLI_TEXT},             \
    {"id-col", 1, 0, CLI_ID}, {"group-col", 1, 0, CLI_GROUP},               \
    {"outcome-col", 1, 0, CLI_OUTCOME}, {"stage-col", 1, 0, CLI_STAGE},     \
    {"time-col", 1, 0, CLI_TIME}, {"interviewer", 1, 0, CLI_INTERVIEWER},   \
    {"strict-utf8", 0, 0, CLI_STRICT}, {"lang", 1, 0, CLI_LANG},            \
    {"no-stem", 0, 0, CLI_NOSTEM}, {"no-stopwords", 0, 0, CLI_NOSTOP},      \
    {"stopwords", 1, 0, CLI_STOPFILE}, {"no-negation", 0, 0, CLI_NONEG},    \
    {"no-placeholders", 0, 0, CLI_NOPH}, {"ngram", 1, 0, CLI_NGRAM},        \
    {"min-token-len", 1, 0, CLI_MINLEN}, {"threads", 1, 0, CLI_THREADS},    \
    {"quiet", 0, 0, CLI_QUIET}, {"list-langs", 0, 0, CLI_LANGS},            \
    {"html", 0, 0, CLI_HTML}, {"encoding", 1, 0, CLI_ENCODING},            \
    {"keep-mojibake", 0, 0, CLI_KEEP_MOJIBAKE}

/* Help text for the options above. */
#define CLI_COMMON_HELP                                                     \
"INPUT OPTIONS\n"                                                           \
"    --format F        csv, tsv, jsonl, json (an array of objects), txt,\n" \
"                      turns, vtt, srt, or auto (by extension; .txt is\n"   \
"                      sniffed for speaker turns; standard input and\n"     \
"                      other names by their content: JSON, WebVTT, or a\n"  \
"                      header naming the text column as CSV/TSV, said on\n"\
"                      stderr). A directory's files of other kinds\n"      \
"                      (README.md) are skipped and listed. CSV fields\n"   \
"                      split at ';' when the header has more ';' than\n"   \
"                      ',' (Excel in European locales). A quote that\n"    \
"                      opens a field and closes lines later with text\n"   \
"                      after it is an error naming the line\n"             \
"    --text-col NAME   column or JSON field holding the text (text)\n"       \
"    --id-col NAME     column holding document ids (id if present, else\n"   \
"                      the row number)\n"                                    \
"    --group-col NAME, --outcome-col NAME, --stage-col NAME, --time-col NAME\n"\
"                      metadata carried with each document\n"                \
"    --interviewer NAME  transcript speaker whose turns are context, not\n"  \
"                      documents (default: detected)\n"                      \
"    --strict-utf8     reject rows with invalid UTF-8 instead of repairing\n"\
"                      them with U+FFFD\n"                                   \
"    --encoding NAME   the files' encoding, converted to UTF-8 by iconv\n"  \
"                      (CP1252, LATIN1, UTF-16, ...; default UTF-8, and\n"   \
"                      UTF-16 when a file starts with its byte-order mark)\n"\
"    --keep-mojibake   keep text that was decoded twice as written. By\n"  \
"                      default text whose UTF-8 was once read as\n"       \
"                      Windows-1252 and saved again (donâ€™t, cafÃ©) is\n" \
"                      read as meant (don’t, café), and counted\n"        \
"    --html            the text is HTML (exports of web forms, tickets):\n"  \
"                      keep its text, entities decoded (&amp; -> &), tags\n"  \
"                      dropped, <br> <p> <li> as line breaks (libxml2).\n"   \
"                      Without it, a count of rows that look like HTML is\n" \
"                      printed\n"                                            \
"\n"                                                                         \
"TOKEN OPTIONS\n"                                                           \
"    --lang L          Snowball stemmer language (english); --list-langs.\n" \
"                      Whatever L is, Chinese, Japanese, Thai, Lao, Khmer\n" \
"                      and Burmese are cut into words by ICU's dictionaries\n"\
"    --no-stem         keep words unstemmed\n"                               \
"    --no-stopwords    keep stopwords (built in for English, German,\n"      \
"                      French, Spanish, Italian, Portuguese and Dutch by\n"  \
"                      --lang, and Chinese and Japanese function words\n"    \
"                      always; negators of those languages join the next\n"  \
"                      word as English ones do)\n"                           \
"    --stopwords FILE  one stopword per line, replacing the built-in list\n" \
"    --no-negation     do not attach negators to the next word\n"           \
"    --no-placeholders keep URLs, e-mails, numbers and encoded data\n"     \
"                      (base64, hex) as words, and the suffixes of\n"        \
"                      addresses written without http (paypal.com)\n"       \
"    --ngram MIN:MAX   word n-gram range (1:1)\n"                            \
"    --min-token-len N shortest word kept, in characters (2; a single\n"   \
"                      Chinese or Japanese character is a word)\n"          \
"\n"                                                                         \
"COMMON OPTIONS\n"                                                          \
"    --threads N       worker threads (1); results do not depend on it\n"    \
"    -q, --quiet       do not list rejected rows or the summary\n"           \
"                      (a progress line appears on a terminal after 1 s)\n"  \
"\n"                                                                         \
"SEVERAL PROCESSES\n"                                                        \
"    Under OpenMPI (mpirun -q -n N TOOL ...) the same arguments run as N\n"  \
"    processes, on one machine or several, and write the same bytes as\n"   \
"    one; rank 0 prints and writes, and any rank's error stops them all\n"

struct cli_common {
    const char *prog;
    tx_corpus_params corpus;
    tx_tokenizer_params tok;
    char **stop;     /* from --stopwords, freed by cli_common_free */
    long threads;
    int quiet;
    int lang_set;    /* --lang given: no language hint */
};

void cli_common_init(struct cli_common *o, const char *prog);
/* Handles one common option; returns 1 if handled, 0 if not a common
 * option, -1 on a usage error (already printed). May exit(0) for
 * --list-langs. */
int cli_common_option(struct cli_common *o, int code, const char *arg);
/* Checks settings that need the library (the stemmer language) before a
 * large corpus is read; returns 0, or 2 after printing a usage error. */
int cli_common_check(struct cli_common *o, tx_ctx *ctx);
void cli_common_free(struct cli_common *o);
/* Loads the inputs with o's settings and prints the row summary (unless
 * quiet). Returns 0 or 1 (message printed), also when no document is
 * usable. */
int cli_common_load(struct cli_common *o, tx_ctx *ctx, char **inputs,
                    int n_inputs, tx_corpus **out);

/* Loads the cause detector: `path` when given, else $LIBTEXT_CAUSES_MODEL,
 * else models/causes.h5 under the current directory, else the installed
 * copy. Prints a diagnostic naming the file and `make models` on failure
 * and returns 1; 0 on success. */
int cli_load_cause_model(const char *prog, tx_ctx *ctx, const char *path,
                         tx_cause_model **out);

/* Several processes (cli_mpi.c). cli_mpi_start, first thing in main:
 * starts MPI when a launcher (mpirun) started this process as one of
 * several ranks, and silences ranks other than 0; 1 when the tool must
 * stop (built without MPI). cli_mpi_attach gives ctx the run's ranks
 * (non-zero on failure). cli_mpi_rank: 0 alone. cli_mpi_any: whether
 * `failed` is non-zero on any rank (collective), for a tool's own checks
 * that only rank 0 makes, such as of the output folder. */
int cli_mpi_start(const char *prog, int *argc, char ***argv);
/* For a tool that runs as one process: 1 (after saying so once) when a
 * launcher started it as one of several, which would only repeat it. */
int cli_mpi_alone(const char *prog);
/* The tool's last word: under MPI, a non-zero status stops every rank
 * (none may be left waiting in an exchange); returns `status`. */
int cli_mpi_end(int status);
int cli_mpi_attach(tx_ctx *ctx);
int cli_mpi_rank(void);
int cli_mpi_ranks(void);
int cli_mpi_any(int failed);
/* Bytes this rank has received from the ranks' exchanges so far (each
 * rank receives all that every exchange moves). */
uint64_t cli_mpi_received(void);

#endif
