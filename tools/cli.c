/* Shared command-line glue for libtext's tools. */
#include "cli.h"

#include <errno.h>
#include <time.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_load_corpus(const char *prog, tx_ctx *ctx, const tx_corpus_params *p,
                    char **inputs, int n_inputs, int quiet, tx_corpus **out)
{
    tx_corpus *c = NULL;
    size_t i;
    int k, rc;

    *out = NULL;
    rc = tx_corpus_new(ctx, p, &c);
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", prog, tx_strerror(rc));
        return 1;
    }
    for (k = 0; k < n_inputs; k++) {
        tx_diag d;

        memset(&d, 0, sizeof d);
        rc = tx_corpus_add_file(c, inputs[k], &d);
        if (rc != TX_OK) {
            if (d.line > 0)
                fprintf(stderr, "%s: %s:%ld: %s\n", prog, d.file, d.line,
                        d.message);
            else
                fprintf(stderr, "%s: %s: %s\n", prog,
                        d.file[0] ? d.file : inputs[k],
                        d.message[0] ? d.message : tx_strerror(rc));
            tx_corpus_free(c);
            return 1;
        }
    }
    if (!quiet)
        for (i = 0; i < tx_corpus_reject_count(c); i++) {
            tx_reject r;

            tx_corpus_reject(c, i, &r);
            fprintf(stderr, "%s: %s:%ld: row %s rejected: %s\n", prog, r.file,
                    r.line, r.id ? r.id : "?", r.reason);
        }
    *out = c;
    return 0;
}

int cli_long(const char *prog, const char *opt, const char *s, long lo,
             long hi, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "%s: %s: expected an integer in [%ld, %ld], got '%s'\n",
                prog, opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_double(const char *prog, const char *opt, const char *s, double lo,
               double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end || isnan(v) || v < lo || v > hi) {
        fprintf(stderr, "%s: %s: expected a number in [%g, %g], got '%s'\n",
                prog, opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

char **cli_read_list(const char *prog, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024], **list = NULL;
    size_t n = 0;

    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    while (fgets(line, sizeof line, f)) {
        char *s = line, **nl;
        size_t k;

        s[strcspn(s, "#\r\n")] = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        k = strlen(s);
        while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
            s[--k] = '\0';
        if (!k)
            continue;
        nl = realloc(list, (n + 2) * sizeof *list);
        if (!nl || !(nl[n] = strdup(s))) {
            fprintf(stderr, "%s: out of memory\n", prog);
            list = nl ? nl : list;
            if (list)
                list[n] = NULL;
            cli_free_list(list);
            fclose(f);
            return NULL;
        }
        list = nl;
        list[++n] = NULL;
    }
    fclose(f);
    if (!list)
        list = calloc(1, sizeof *list);
    return list;
}

void cli_free_list(char **list)
{
    size_t i;

    for (i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

FILE *cli_open_out(const char *prog, const char *path, char **tmp)
{
    FILE *f;

    *tmp = NULL;
    if (strcmp(path, "-") == 0)
        return stdout;
    *tmp = malloc(strlen(path) + 32);
    if (!*tmp)
        return NULL;
    sprintf(*tmp, "%s.tmp%ld", path, (long)getpid());
    f = fopen(*tmp, "w");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

int cli_commit(const char *prog, FILE *f, const char *path, char *tmp, int ok)
{
    int bad = ferror(f) != 0;

    if (f == stdout)
        return fflush(f) == 0 && !bad ? 0 : 1;
    bad |= fclose(f) != 0;
    if (ok && !bad && rename(tmp, path) == 0) {
        free(tmp);
        return 0;
    }
    if (ok)
        fprintf(stderr, "%s: %s: cannot write output\n", prog, path);
    remove(tmp);
    free(tmp);
    return 1;
}

/* ---- progress line ---- */

static struct {
    const char *prog;
    double start, last;
    int on, shown;
} progress;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int show_progress(void *ud, const char *stage, size_t done,
                         size_t total)
{
    double t = now_s();

    (void)ud;
    if (!progress.on || t - progress.start < 1.0 || t - progress.last < 0.1)
        return 0;
    progress.last = t;
    progress.shown = 1;
    if (total)
        fprintf(stderr, "\r%s: %s %3d%%\033[K", progress.prog, stage,
                (int)(100.0 * (double)done / (double)total));
    else
        fprintf(stderr, "\r%s: %s...\033[K", progress.prog, stage);
    return 0;
}

void cli_progress_attach(tx_ctx *ctx, const char *prog)
{
    progress.prog = prog;
    progress.start = now_s();
    progress.last = 0;
    progress.on = isatty(2);
    tx_ctx_set_progress(ctx, show_progress, NULL);
}

void cli_progress_stage(const char *stage)
{
    show_progress(NULL, stage, 0, 0);
}

void cli_progress_end(void)
{
    if (progress.shown)
        fputs("\r\033[K", stderr);
    progress.shown = 0;
}
