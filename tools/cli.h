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

/* Opens a temporary file beside `path` for writing; cli_commit renames it
 * into place (or removes it when ok is 0), so readers never see a partial
 * output. "-" means stdout. */
FILE *cli_open_out(const char *prog, const char *path, char **tmp);
int cli_commit(const char *prog, FILE *f, const char *path, char *tmp, int ok);

/* A progress line on stderr, shown only when stderr is a terminal and the
 * run has taken more than a second. cli_progress_attach installs it as
 * ctx's progress callback; cli_progress_stage announces a step the tool
 * itself runs; cli_progress_end clears the line. */
void cli_progress_attach(tx_ctx *ctx, const char *prog);
void cli_progress_stage(const char *stage);
void cli_progress_end(void);

#endif
