/*
 * Interview transcripts: `Speaker: text` turns, WebVTT and SRT captions.
 * Each respondent turn is a document; interviewer turns are context.
 */
#include "tx_corpus_private.h"

#include <ctype.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>

struct turn {
    const char *speaker; /* arena */
    char *text;          /* heap, grown as lines are appended */
    size_t len, cap;
    long line;
    int questions, sentences;
};

struct turns {
    struct turn *v;
    size_t n, cap;
};

/* Speaker label at the start of a line: up to 40 bytes of letters, digits,
 * spaces and ._'-#, not starting with a space, then ':' and a space or the
 * end of the line. Returns the label's length or 0. Times ("10:30") and
 * URLs ("https://") are not labels. */
size_t tx__speaker_label(const char *s, size_t n)
{
    size_t i;
    bool letter = false;

    for (i = 0; i < n && i <= 40; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == ':')
            break;
        if (isalpha(ch) || ch >= 0x80)
            letter = true;
        else if (!(isdigit(ch) || ch == ' ' || ch == '.' || ch == '_' ||
                   ch == '\'' || ch == '-' || ch == '#'))
            return 0;
    }
    if (i == 0 || i > 40 || i >= n || !letter || s[0] == ' ' ||
        s[i - 1] == ' ')
        return 0;
    if (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t')
        return 0;
    return i;
}

static void turns_free(tx_ctx *ctx, struct turns *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        tx_free(ctx, t->v[i].text);
    tx_free(ctx, t->v);
}

/* Appends text to the current turn, or starts a new turn when the speaker
 * changes. `speaker` NULL continues the current turn. */
static int turn_add(tx_corpus *c, struct turns *t, const char *speaker,
                    size_t sn, const char *s, size_t n, long line)
{
    struct turn *cur = t->n ? &t->v[t->n - 1] : NULL;

    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (speaker && (!cur || strlen(cur->speaker) != sn ||
                    memcmp(cur->speaker, speaker, sn) != 0)) {
        if (tx__grow(c->ctx, (void **)&t->v, &t->cap, t->n + 1,
                     sizeof *t->v))
            return TX_ENOMEM;
        cur = &t->v[t->n++];
        memset(cur, 0, sizeof *cur);
        cur->speaker = tx__arena_strndup(&c->arena, speaker, sn);
        cur->line = line;
        if (!cur->speaker)
            return TX_ENOMEM;
    }
    if (!cur || !n)
        return TX_OK;
    if (tx__grow(c->ctx, (void **)&cur->text, &cur->cap, cur->len + n + 2, 1))
        return TX_ENOMEM;
    if (cur->len)
        cur->text[cur->len++] = ' ';
    memcpy(cur->text + cur->len, s, n);
    cur->len += n;
    cur->text[cur->len] = '\0';
    cur->sentences++;
    if (s[n - 1] == '?')
        cur->questions++;
    return TX_OK;
}

static bool is_interviewer_name(const char *s)
{
    static const char *const names[] = {
        "interviewer", "moderator", "facilitator", "researcher", "host",
        "q", "int", "i", NULL};
    size_t i;

    for (i = 0; names[i]; i++)
        if (strcasecmp(s, names[i]) == 0)
            return true;
    return false;
}

/* The interviewer: named by the caller, a conventional role name, or else
 * the speaker whose turns most often end in a question (ties: the speaker
 * who talks first). */
static const char *pick_interviewer(const tx_corpus *c, const struct turns *t)
{
    const char *best = NULL;
    double best_share = -1.0;
    size_t i, k;

    if (c->p.interviewer)
        return c->p.interviewer;
    for (i = 0; i < t->n; i++)
        if (is_interviewer_name(t->v[i].speaker))
            return t->v[i].speaker;
    for (i = 0; i < t->n; i++) {
        const char *sp = t->v[i].speaker;
        int q = 0, s = 0;
        double share;

        for (k = 0; k < i; k++)
            if (strcmp(t->v[k].speaker, sp) == 0)
                break;
        if (k < i)
            continue; /* already scored */
        for (k = i; k < t->n; k++)
            if (strcmp(t->v[k].speaker, sp) == 0) {
                q += t->v[k].questions;
                s += t->v[k].sentences;
            }
        share = s ? (double)q / s : 0.0;
        if (share > best_share) {
            best_share = share;
            best = sp;
        }
    }
    return best;
}

static int emit_turns(struct tx__file_job *j, struct turns *t)
{
    tx_corpus *c = j->c;
    const char *interviewer, *context = NULL;
    size_t i, n_speakers = 0;
    int rc = TX_OK;

    for (i = 0; i < t->n; i++) {
        size_t k;

        for (k = 0; k < i && strcmp(t->v[k].speaker, t->v[i].speaker); k++)
            ;
        if (k == i)
            n_speakers++;
    }
    if (t->n == 0) {
        tx__diag_set(j->diag, j->name, 1,
                     "transcript has no speaker labels ('Name: text'); "
                     "cannot tell respondent from interviewer turns "
                     "(use --format txt for one document per line)");
        return TX_EFORMAT;
    }
    /* One speaker only: nobody is interviewing, every turn is a document. */
    interviewer = n_speakers > 1 ? pick_interviewer(c, t) : NULL;
    for (i = 0; i < t->n && rc == TX_OK; i++) {
        struct turn *u = &t->v[i];
        char id[300];

        if (interviewer && strcasecmp(u->speaker, interviewer) == 0) {
            context = u->text ? tx__arena_strndup(&c->arena, u->text, u->len)
                              : NULL;
            c->n_context++;
            continue;
        }
        snprintf(id, sizeof id, "%s:%zu", j->name, i + 1);
        {
            tx_doc d;

            memset(&d, 0, sizeof d);
            d.line = u->line;
            d.id = tx__corpus_str(c, id);
            d.group = "interview";
            d.context = context;
            if (!d.id)
                return TX_ENOMEM;
            rc = u->text ? tx__corpus_add_doc(j, &d, u->text, u->len)
                         : tx__corpus_reject_row(j, u->line, d.id, "empty turn");
        }
    }
    return rc;
}

int tx__read_turns(struct tx__file_job *j, const char *data, size_t len)
{
    struct tx__line_iter it = {data, len, 0, 0};
    struct turns t = {0};
    const char *s;
    size_t n;
    int rc = TX_OK;

    while (rc == TX_OK && tx__next_line(&it, &s, &n)) {
        size_t sl = tx__speaker_label(s, n);

        if (sl)
            rc = turn_add(j->c, &t, s, sl, s + sl + 1, n - sl - 1, it.no);
        else if (!tx__blank(s, n) && t.n == 0)
            rc = tx__corpus_reject_row(j, it.no, NULL, "text before the first speaker");
        else
            rc = turn_add(j->c, &t, NULL, 0, s, n, it.no);
    }
    if (rc == TX_OK)
        rc = emit_turns(j, &t);
    turns_free(j->c->ctx, &t);
    return rc;
}

/* A numeric character reference at s[i] ("&#8217;", "&#x2019;"): its
 * length, with the code point in *cp; 0 when there is none. */
static size_t numeric_ref(const char *s, size_t i, size_t n, long *cp)
{
    size_t j = i + 2;
    int hex = 0;
    long v = 0;

    if (n - i < 4 || s[i + 1] != '#')
        return 0;
    if (s[j] == 'x' || s[j] == 'X') {
        hex = 1;
        j++;
    }
    for (; j < n && j - i < 12; j++) {
        int d = s[j] >= '0' && s[j] <= '9' ? s[j] - '0'
                : hex && s[j] >= 'a' && s[j] <= 'f' ? s[j] - 'a' + 10
                : hex && s[j] >= 'A' && s[j] <= 'F' ? s[j] - 'A' + 10 : -1;

        if (d < 0)
            break;
        v = v * (hex ? 16 : 10) + d;
    }
    if (j >= n || s[j] != ';' || j == i + 2 + (size_t)hex || v <= 0 ||
        v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return j + 1 - i;
}

/* Removes <tags> and decodes the character references of cue text (the
 * named ones WebVTT defines, and numeric ones), in place: the text shrinks
 * or keeps its length, as a reference is never shorter than its UTF-8. */
static size_t strip_markup(char *s, size_t n)
{
    static const struct { const char *ent; const char *ch; } ents[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", " "},
        {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"},
        {"&lrm;", ""}, {"&rlm;", ""},
    };
    size_t i = 0, o = 0, e, k;
    long cp;

    while (i < n) {
        if (s[i] == '<') {
            const char *gt = memchr(s + i, '>', n - i);

            if (gt) {
                i = (size_t)(gt - s) + 1;
                continue;
            }
        }
        if (s[i] == '&') {
            for (e = 0; e < sizeof ents / sizeof ents[0]; e++) {
                size_t el = strlen(ents[e].ent);

                if (n - i >= el && memcmp(s + i, ents[e].ent, el) == 0)
                    break;
            }
            if (e < sizeof ents / sizeof ents[0]) {
                for (k = 0; ents[e].ch[k]; k++)
                    s[o++] = ents[e].ch[k];
                i += strlen(ents[e].ent);
                continue;
            }
            if ((k = numeric_ref(s, i, n, &cp)) > 0) {
                o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
                                                  (utf8proc_uint8_t *)s + o);
                i += k;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* One caption payload line: `<v Name>text`, `Name: text`, or plain text
 * that continues the current speaker. */
static int caption_line(tx_corpus *c, struct turns *t, const char *s,
                        size_t n, long line)
{
    char *buf = tx__strndup(c->ctx, s, n);
    const char *speaker = NULL;
    size_t sn = 0, m, off = 0;
    int rc;

    if (!buf)
        return TX_ENOMEM;
    if (n > 3 && memcmp(s, "<v", 2) == 0 && (s[2] == ' ' || s[2] == '.')) {
        const char *gt = memchr(s, '>', n), *sp = memchr(s, ' ', n);

        if (gt && sp && sp < gt) {
            speaker = sp + 1;
            sn = (size_t)(gt - speaker);
        }
    }
    m = strip_markup(buf, n);
    if (!speaker) {
        sn = tx__speaker_label(buf, m);
        if (sn) {
            speaker = buf;
            off = sn + 1;
        }
    }
    rc = turn_add(c, t, speaker, sn, buf + off, m - off, line);
    tx_free(c->ctx, buf);
    return rc;
}

/* WebVTT and SRT share a shape: blocks separated by blank lines, a timing
 * line with "-->", then payload lines. */
int tx__read_captions(struct tx__file_job *j, const char *data, size_t len,
                         bool vtt)
{
    struct tx__line_iter it = {data, len, 0, 0};
    struct turns t = {0};
    const char *s;
    size_t n;
    bool in_payload = false, skip_block = false, first = true;
    int rc = TX_OK;

    while (rc == TX_OK && tx__next_line(&it, &s, &n)) {
        if (first && vtt) {
            first = false;
            if (n < 6 || memcmp(s, "WEBVTT", 6) != 0) {
                tx__diag_set(j->diag, j->name, it.no,
                             "WebVTT file does not start with 'WEBVTT'");
                turns_free(j->c->ctx, &t);
                return TX_EFORMAT;
            }
            skip_block = true;
            continue;
        }
        first = false;
        if (tx__blank(s, n)) {
            in_payload = skip_block = false;
            continue;
        }
        if (skip_block)
            continue;
        if (!in_payload) {
            if (vtt && ((n >= 4 && memcmp(s, "NOTE", 4) == 0) ||
                        (n >= 5 && memcmp(s, "STYLE", 5) == 0) ||
                        (n >= 6 && memcmp(s, "REGION", 6) == 0))) {
                skip_block = true;
                continue;
            }
            /* Cue identifier or SRT index lines precede the timing. */
            if (n >= 3 && memmem(s, n, "-->", 3))
                in_payload = true;
            continue;
        }
        rc = caption_line(j->c, &t, s, n, it.no);
    }
    if (rc == TX_OK)
        rc = emit_turns(j, &t);
    turns_free(j->c->ctx, &t);
    return rc;
}
