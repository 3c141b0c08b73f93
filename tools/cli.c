/* Shared command-line glue for libtext's tools. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
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
    /* Several ranks: each read its share of the rows; the stages after
     * this one learn from all of them. */
    rc = tx_corpus_gather(c);
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s\n", prog, tx_strerror(rc));
        tx_corpus_free(c);
        return 1;
    }
    for (i = 0; !quiet && i < tx_corpus_file_count(c); i++) {
        tx_file_info fi;

        tx_corpus_file(c, i, &fi);
        if (fi.skipped)
            fprintf(stderr, "%s: %s: skipped: %s\n", prog, fi.path,
                    fi.skipped);
        else if (fi.sniffed)
            fprintf(stderr, "%s: %s: read as %s, from its content (--format "
                    "chooses)\n", prog, fi.path, tx_format_name(fi.format));
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

/* The file a symbolic link at `path` names, even when it does not exist
 * yet (a link made for the output); NULL when `path` is not a link. */
static char *link_target(const char *path)
{
    char buf[4096], *out, *slash;
    ssize_t n;
    size_t dir;

    out = realpath(path, NULL);
    if (out)
        return out;
    n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        return NULL;
    buf[n] = '\0';
    slash = strrchr(path, '/');
    dir = buf[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
    out = malloc(dir + (size_t)n + 1);
    if (out) {
        memcpy(out, path, dir);
        memcpy(out + dir, buf, (size_t)n + 1);
    }
    return out;
}

/* Where a file written through `path` really goes: the target of a
 * symbolic link (so the link stays), else `path`. */
static char *write_target(const char *path)
{
    struct stat st;
    char *real;

    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
        (real = link_target(path)) != NULL)
        return real;
    return strdup(path);
}

/* Whether `path` is to be written in place rather than replaced: a
 * device, FIFO or socket, or a name under /dev or /proc (/dev/stdout is a
 * link to the process's own descriptor, whatever it points at). */
static bool write_in_place(const char *path)
{
    struct stat st;
    char buf[64];
    ssize_t n;

    if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
        return true;
    n = readlink(path, buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        if (strncmp(buf, "/dev/", 5) == 0 || strncmp(buf, "/proc/", 6) == 0)
            return true;
    }
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
           !S_ISDIR(st.st_mode);
}

/* ---- temporary files a signal must not leave behind ---- */

/* The temporary outputs this process has made and not yet renamed or
 * removed. A run ended by Ctrl-C, kill, a hang-up or a file size limit
 * (SIGXFSZ) removes them on its way out, as a failed run does, so no
 * ".NAME.tmpPID" is left in --out; unlink is safe in a signal handler. */
#define PENDING_MAX (CLI_OUT_MAX + 4)
static char *volatile pending[PENDING_MAX];

static void remove_pending_and_die(int sig)
{
    size_t i;

    for (i = 0; i < PENDING_MAX; i++)
        if (pending[i])
            unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig); /* ends as the signal would have: the caller sees it */
}

static void pending_add(char *path)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXFSZ,
                               SIGXCPU};
    static bool installed;
    size_t i;

    if (!installed) {
        struct sigaction sa;

        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_pending_and_die;
        sigfillset(&sa.sa_mask); /* one handler at a time */
        for (i = 0; i < sizeof sigs / sizeof *sigs; i++) {
            struct sigaction old;

            /* a signal the caller chose to ignore (nohup) stays ignored */
            if (sigaction(sigs[i], NULL, &old) == 0 &&
                old.sa_handler != SIG_IGN)
                sigaction(sigs[i], &sa, NULL);
        }
        installed = true;
    }
    for (i = 0; i < PENDING_MAX; i++)
        if (!pending[i]) {
            pending[i] = path;
            return;
        }
}

static void pending_drop(const char *path)
{
    size_t i;

    for (i = 0; i < PENDING_MAX; i++)
        if (pending[i] == path)
            pending[i] = NULL;
}

FILE *cli_open_out(const char *prog, const char *path, char **tmp)
{
    struct stat st;
    char *target;
    FILE *f;

    *tmp = NULL;
    if (strcmp(path, "-") == 0)
        return stdout;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: is a directory\n", prog, path);
        return NULL;
    }
    /* -o /dev/stdout, -o /dev/null, a FIFO: renaming a file over it would
     * replace it. */
    if (write_in_place(path)) {
        f = fopen(path, "w");
        if (!f)
            fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return f;
    }
    target = write_target(path);
    if (!target)
        return NULL;
    *tmp = malloc(strlen(target) + 32);
    if (!*tmp) {
        free(target);
        return NULL;
    }
    sprintf(*tmp, "%s.tmp%ld", target, (long)getpid());
    free(target);
    pending_add(*tmp);
    f = fopen(*tmp, "w");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        pending_drop(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

/* Flushes and closes f; 0, or the errno of the first failure (EIO when
 * there was none to tell). */
static int close_checked(FILE *f)
{
    int err = 0;

    if (fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    if (fclose(f) != 0 && !err)
        err = errno ? errno : EIO;
    return err;
}

int cli_commit(const char *prog, FILE *f, const char *path, char *tmp, int ok)
{
    char *target;
    int err;

    if (f == stdout) {
        if (ok)
            return cli_finish_stdout(prog);
        fflush(stdout);
        return 1;
    }
    err = close_checked(f);
    if (!tmp) { /* written in place: a device or FIFO */
        if (ok && err)
            fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(err));
        return ok && !err ? 0 : 1;
    }
    target = write_target(path);
    if (ok && !err && target && rename(tmp, target) == 0) {
        pending_drop(tmp);
        free(target);
        free(tmp);
        return 0;
    }
    if (ok)
        fprintf(stderr, "%s: %s: cannot write output: %s\n", prog, path,
                strerror(err ? err : errno ? errno : EIO));
    remove(tmp);
    pending_drop(tmp);
    free(tmp);
    free(target);
    return 1;
}

int cli_finish_stdout(const char *prog)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: writing standard output: %s\n", prog,
                strerror(errno ? errno : EIO));
        return 1;
    }
    return 0;
}

/* ---- an --out folder ---- */

int cli_outdir_check(const char *prog, const char *dir)
{
    struct stat st;
    char *parent, *slash;
    int ok;

    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "%s: --out %s: not a directory\n", prog, dir);
            return 1;
        }
        if (access(dir, W_OK | X_OK) != 0) {
            fprintf(stderr, "%s: --out %s: %s\n", prog, dir, strerror(errno));
            return 1;
        }
        return 0;
    }
    if (errno != ENOENT) {
        fprintf(stderr, "%s: --out %s: %s\n", prog, dir, strerror(errno));
        return 1;
    }
    parent = strdup(dir);
    if (!parent)
        return 1;
    while ((slash = strrchr(parent, '/')) && slash[1] == '\0' && slash > parent)
        *slash = '\0'; /* "out/" names "out" */
    slash = strrchr(parent, '/');
    if (!slash)
        strcpy(parent, ".");
    else if (slash == parent)
        parent[1] = '\0';
    else
        *slash = '\0';
    ok = access(parent, W_OK | X_OK) == 0;
    if (!ok)
        fprintf(stderr, "%s: --out %s: cannot create it in %s: %s\n", prog,
                dir, parent, strerror(errno));
    free(parent);
    return ok ? 0 : 1;
}

int cli_outdir_open(struct cli_outdir *d, const char *prog, const char *dir,
                    const char *const *known)
{
    memset(d, 0, sizeof *d);
    d->prog = prog;
    d->dir = dir;
    d->known = known;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: --out %s: %s\n", prog, dir, strerror(errno));
        return 1;
    }
    return 0;
}

const char *cli_outdir_temp(struct cli_outdir *d, const char *name)
{
    char *fin, *tmp;

    if (d->n == CLI_OUT_MAX)
        return NULL;
    fin = malloc(strlen(d->dir) + strlen(name) + 2);
    tmp = malloc(strlen(d->dir) + strlen(name) + 40);
    if (!fin || !tmp) {
        free(fin);
        free(tmp);
        return NULL;
    }
    sprintf(fin, "%s/%s", d->dir, name);
    sprintf(tmp, "%s/.%s.tmp%ld", d->dir, name, (long)getpid());
    pending_add(tmp);
    d->final[d->n] = fin;
    d->tmp[d->n] = tmp;
    d->n++;
    return tmp;
}

FILE *cli_outdir_fopen(struct cli_outdir *d, const char *name)
{
    const char *tmp = cli_outdir_temp(d, name);
    FILE *f;

    if (!tmp) {
        fprintf(stderr, "%s: out of memory\n", d->prog);
        return NULL;
    }
    f = fopen(tmp, "w");
    if (!f)
        fprintf(stderr, "%s: %s/%s: %s\n", d->prog, d->dir, name,
                strerror(errno));
    return f;
}

int cli_outdir_fclose(struct cli_outdir *d, FILE *f, const char *name, int rc)
{
    int err = close_checked(f);

    if (rc != TX_OK || err) {
        fprintf(stderr, "%s: %s/%s: %s\n", d->prog, d->dir, name,
                rc != TX_OK ? tx_strerror(rc) : strerror(err));
        return 1;
    }
    return 0;
}

int cli_outdir_finish(struct cli_outdir *d, int ok)
{
    size_t i, j;
    int status = ok ? 0 : 1;

    for (i = 0; ok && i < d->n; i++)
        if (rename(d->tmp[i], d->final[i]) != 0) {
            fprintf(stderr, "%s: %s: %s\n", d->prog, d->final[i],
                    strerror(errno));
            status = 1;
            break;
        }
    for (; i < d->n; i++)
        remove(d->tmp[i]);
    /* Outputs of an earlier run that this run did not write. */
    for (j = 0; status == 0 && d->known && d->known[j]; j++) {
        char path[4096];
        bool written = false;

        snprintf(path, sizeof path, "%s/%s", d->dir, d->known[j]);
        for (i = 0; i < d->n && !written; i++)
            written = strcmp(d->final[i], path) == 0;
        if (!written && remove(path) != 0 && errno != ENOENT) {
            fprintf(stderr, "%s: %s: cannot remove an earlier run's file: "
                    "%s\n", d->prog, path, strerror(errno));
            status = 1;
        }
    }
    for (i = 0; i < d->n; i++) {
        pending_drop(d->tmp[i]);
        free(d->tmp[i]);
        free(d->final[i]);
    }
    d->n = 0;
    return status;
}

/* ---- progress line ---- */

static struct {
    const char *prog;
    double start, last, stage_start;
    int on, shown, verbose;
    char stage[64];
    uint64_t stage_bytes; /* exchanged by the ranks before the stage */
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
    if (progress.verbose && strcmp(stage, progress.stage) != 0) {
        uint64_t bytes = cli_mpi_received();

        if (progress.stage[0] && cli_mpi_ranks() > 1)
            fprintf(stderr, "%s: %s: %.2f s, %.1f MB exchanged\n",
                    progress.prog, progress.stage, t - progress.stage_start,
                    (double)(bytes - progress.stage_bytes) / 1e6);
        else if (progress.stage[0])
            fprintf(stderr, "%s: %s: %.2f s\n", progress.prog,
                    progress.stage, t - progress.stage_start);
        snprintf(progress.stage, sizeof progress.stage, "%s", stage);
        progress.stage_start = t;
        progress.stage_bytes = bytes;
    }
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
    progress.on = isatty(2) && !progress.verbose;
    tx_ctx_set_progress(ctx, show_progress, NULL);
}

void cli_progress_stage(const char *stage)
{
    show_progress(NULL, stage, 0, 0);
}

void cli_progress_verbose(void)
{
    progress.verbose = 1;
    progress.on = 0; /* stage times replace the progress line */
}

void cli_progress_end(void)
{
    if (progress.shown)
        fputs("\r\033[K", stderr);
    progress.shown = 0;
}

/* ---- options shared by the corpus-reading tools ---- */

void cli_common_init(struct cli_common *o, const char *prog)
{
    memset(o, 0, sizeof *o);
    o->prog = prog;
    o->threads = 1;
    tx_corpus_params_init(&o->corpus);
    tx_tokenizer_params_init(&o->tok);
}

static int parse_ngram(struct cli_common *o, const char *s)
{
    long a, b;
    char *colon = strchr(s, ':'), buf[32];

    snprintf(buf, sizeof buf, "%s", s);
    if (colon && (size_t)(colon - s) < sizeof buf)
        buf[colon - s] = '\0';
    if (cli_long(o->prog, "--ngram", buf, 1, 8, &a))
        return -1;
    b = a;
    if (colon && cli_long(o->prog, "--ngram", colon + 1, a, 8, &b))
        return -1;
    o->tok.ngram_min = (int)a;
    o->tok.ngram_max = (int)b;
    return 1;
}

int cli_common_option(struct cli_common *o, int code, const char *arg)
{
    long v;

    switch (code) {
    case CLI_FORMAT:
        if (tx_format_parse(arg, &o->corpus.format) != TX_OK) {
            fprintf(stderr, "%s: --format: unknown format '%s'\n", o->prog,
                    arg);
            return -1;
        }
        return 1;
    case CLI_TEXT: o->corpus.text_col = arg; return 1;
    case CLI_ID: o->corpus.id_col = arg; return 1;
    case CLI_GROUP: o->corpus.group_col = arg; return 1;
    case CLI_OUTCOME: o->corpus.outcome_col = arg; return 1;
    case CLI_STAGE: o->corpus.stage_col = arg; return 1;
    case CLI_TIME: o->corpus.time_col = arg; return 1;
    case CLI_INTERVIEWER: o->corpus.interviewer = arg; return 1;
    case CLI_STRICT: o->corpus.strict_utf8 = 1; return 1;
    case CLI_HTML: o->corpus.html = 1; return 1;
    case CLI_ENCODING: o->corpus.encoding = arg; return 1;
    case CLI_KEEP_MOJIBAKE: o->corpus.repair_twice_decoded = 0; return 1;
    case CLI_LANG: o->tok.lang = arg; o->lang_set = 1; return 1;
    case CLI_NOSTEM: o->tok.stem = 0; return 1;
    case CLI_NOSTOP: o->tok.stopwords = 0; return 1;
    case CLI_STOPFILE:
        cli_free_list(o->stop);
        o->stop = cli_read_list(o->prog, arg);
        if (!o->stop)
            return -1;
        o->tok.stopword_list = (const char *const *)o->stop;
        return 1;
    case CLI_NONEG: o->tok.negation = 0; return 1;
    case CLI_NOPH: o->tok.placeholders = 0; return 1;
    case CLI_NGRAM: return parse_ngram(o, arg);
    case CLI_MINLEN:
        if (cli_long(o->prog, "--min-token-len", arg, 0, 64, &v))
            return -1;
        o->tok.min_token_len = (int)v;
        return 1;
    case CLI_THREADS:
        return cli_long(o->prog, "--threads", arg, 1, 256, &o->threads) ? -1
                                                                        : 1;
    case CLI_QUIET: o->quiet = 1; return 1;
    case CLI_LANGS: {
        const char **l = tx_tokenizer_languages();

        while (*l)
            puts(*l++);
        exit(0);
    }
    default:
        return 0;
    }
}

int cli_common_check(struct cli_common *o, tx_ctx *ctx)
{
    tx_tokenizer *t = NULL;
    int rc = tx_tokenizer_new(ctx, &o->tok, &t);

    tx_corpus *c = NULL;

    tx_tokenizer_free(t);
    if (rc == TX_EINVAL) {
        fprintf(stderr, "%s: --lang: no stemmer for '%s' (see --list-langs)\n",
                o->prog, o->tok.lang);
        return 2;
    }
    rc = tx_corpus_new(ctx, &o->corpus, &c);
    tx_corpus_free(c);
    if (rc == TX_EINVAL && o->corpus.encoding) {
        fprintf(stderr, "%s: --encoding: iconv does not know '%s' (iconv -l "
                "lists the names)\n", o->prog, o->corpus.encoding);
        return 2;
    }
    return 0;
}

void cli_common_free(struct cli_common *o)
{
    cli_free_list(o->stop);
    o->stop = NULL;
}

int cli_common_load(struct cli_common *o, tx_ctx *ctx, char **inputs,
                    int n_inputs, tx_corpus **out)
{
    tx_corpus *c;

    cli_progress_stage("reading");
    if (cli_load_corpus(o->prog, ctx, &o->corpus, inputs, n_inputs, o->quiet,
                        &c) != 0)
        return 1;
    cli_progress_end();
    if (!o->quiet || tx_corpus_size(c) == 0)
        fprintf(stderr,
                "%s: %zu rows: %zu documents, %zu rejected, %zu repaired "
                "UTF-8, %zu interviewer turns as context\n",
                o->prog, tx_corpus_rows(c), tx_corpus_size(c),
                tx_corpus_reject_count(c), tx_corpus_repaired_count(c),
                tx_corpus_context_count(c));
    if (!o->quiet && !o->lang_set) {
        const char *guess = tx_corpus_guess_language(c);

        if (guess && strcmp(guess, o->tok.lang) != 0)
            fprintf(stderr,
                    "%s: most of the text looks %s (by its function words); "
                    "--lang %s drops its stopwords and stems its words\n",
                    o->prog, guess, guess);
    }
    if (!o->quiet && tx_corpus_repaired_count(c) && !o->corpus.encoding)
        fprintf(stderr,
                "%s: %zu documents had bytes that are not UTF-8 (shown as "
                "U+FFFD); a file saved by Excel or on Windows is often "
                "Windows-1252: --encoding cp1252\n",
                o->prog, tx_corpus_repaired_count(c));
    if (!o->quiet && tx_corpus_twice_decoded_count(c))
        fprintf(stderr,
                "%s: %zu documents held text decoded twice (\"â€™\" for "
                "\"’\", \"Ã©\" for \"é\"), as a file saved again by a "
                "program that read UTF-8 as Windows-1252 does; it was read "
                "as meant (--keep-mojibake keeps it as written)\n",
                o->prog, tx_corpus_twice_decoded_count(c));
    if (!o->quiet && tx_corpus_html_count(c))
        fprintf(stderr,
                "%s: %zu documents look like HTML (entities such as &amp; or "
                "tags such as <br>); --html reads their text\n",
                o->prog, tx_corpus_html_count(c));
    if (tx_corpus_size(c) == 0) {
        fprintf(stderr, "%s: no usable documents\n", o->prog);
        tx_corpus_free(c);
        return 1;
    }
    *out = c;
    return 0;
}

#ifndef TX_MODELDIR
#define TX_MODELDIR "/usr/local/share/libtext"
#endif

/* The checkout's model beside a tool run from its build folder:
 * EXE_DIR/../models/causes.h5. Empty when /proc is not there. */
static void model_beside_exe(char *buf, size_t cap)
{
    ssize_t n;
    char *slash;

    buf[0] = '\0';
    n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 32) {
        buf[0] = '\0';
        return;
    }
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) == NULL)
        return;
    strcpy(slash, "/../models/causes.h5");
}

int cli_load_cause_model(const char *prog, tx_ctx *ctx, const char *path,
                         tx_cause_model **out)
{
    const char *env = getenv("LIBTEXT_CAUSES_MODEL");
    char beside[4096];
    const char *tries[4] = {"models/causes.h5", beside,
                            TX_MODELDIR "/causes.h5", NULL};
    tx_diag d;
    int rc, i;

    model_beside_exe(beside, sizeof beside);
    if (!path && env && *env)
        path = env;
    for (i = 0; !path && tries[i]; i++)
        if (tries[i][0] && access(tries[i], R_OK) == 0)
            path = tries[i];
    if (!path) {
        fprintf(stderr, "%s: no cause model found in ./models/causes.h5, "
                        "%s or %s; give one with --model/--cause-model or "
                        "LIBTEXT_CAUSES_MODEL, or build it with `make "
                        "models`\n", prog, beside[0] ? beside : "(no /proc)",
                tries[2]);
        return 1;
    }
    memset(&d, 0, sizeof d);
    rc = tx_cause_model_load(ctx, path, out, &d);
    if (rc != TX_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, path,
                d.message[0] ? d.message : tx_strerror(rc));
        return 1;
    }
    return 0;
}
