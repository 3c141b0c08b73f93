/*
 * HTML in input text: exports from web forms and ticket systems often
 * carry tags (<br>, <p>) and entities (&amp;, &#39;). With
 * tx_corpus_params.html the text is parsed by libxml2's HTML parser (in
 * recovery mode) and its text content kept: entities decoded, tags gone,
 * block elements turned into line breaks so sentences stay apart, script
 * and style dropped. Without it, documents that look like HTML are only
 * counted, so the tools can say so.
 */
#include "tx_internal.h"
#include "tx_corpus_private.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <string.h>

struct text_buf {
    tx_ctx *ctx;
    char *s;
    size_t n, cap;
    int failed;
};

static void put(struct text_buf *b, const char *s, size_t n)
{
    if (b->failed || !n)
        return;
    if (tx__grow(b->ctx, (void **)&b->s, &b->cap, b->n + n + 1, 1)) {
        b->failed = 1;
        return;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* A line break or space between elements ('\0': none): none at the
 * start, none after another break, so <p><br></p> is one line break. */
static void put_break(struct text_buf *b, char c)
{
    if (!c || b->n == 0 || b->s[b->n - 1] == '\n' ||
        (c == ' ' && b->s[b->n - 1] == ' '))
        return;
    put(b, &c, 1);
}

static bool named(const xmlNode *e, const char *const *names)
{
    for (; *names; names++)
        if (xmlStrcasecmp(e->name, (const xmlChar *)*names) == 0)
            return true;
    return false;
}

/* Elements that end a line of text, and cells that end a word. */
static const char *const line_elems[] = {
    "br", "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "hr", "section", "article",
    "header", "footer", "dd", "dt", "dl", "body", NULL};
static const char *const cell_elems[] = {"td", "th", NULL};
static const char *const dropped_elems[] = {"script", "style", "head", NULL};

/* Depth is bounded by libxml2's own nesting limit (256 without
 * HTML_PARSE_HUGE). */
static void collect(const xmlNode *n, struct text_buf *b)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put(b, (const char *)n->content,
                    strlen((const char *)n->content));
        } else if (n->type == XML_ELEMENT_NODE && !named(n, dropped_elems)) {
            char sep = named(n, line_elems)   ? '\n'
                       : named(n, cell_elems) ? ' '
                                              : '\0';

            put_break(b, sep);
            collect(n->children, b);
            put_break(b, sep);
        }
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_parser(void)
{
    xmlInitParser(); /* once, before parsers run on several threads */
}

int tx__html_text(tx_ctx *ctx, const char *s, size_t n, char **out,
                  size_t *out_len)
{
    struct text_buf b = {ctx, NULL, 0, 0, 0};
    htmlParserCtxtPtr ctxt;
    htmlDocPtr doc;
    bool halted;

    *out = NULL;
    *out_len = 0;
    if (n > INT32_MAX)
        return TX_ERANGE;
    pthread_once(&init_once, init_parser);
    ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return TX_ENOMEM;
    /* Implied <html><body> kept: without them a <p> after a <script>
     * lands inside the script. */
    doc = htmlCtxtReadMemory(ctxt, s, (int)n, NULL, "UTF-8",
                             HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                 HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    /* Recovery mends most damage; the parser halts only on what it cannot
     * read on (nesting deeper than 256), and then the rest is lost. */
    halted = ctxt->disableSAX != 0;
    htmlFreeParserCtxt(ctxt);
    if (doc && !halted)
        collect(doc->children, &b);
    xmlFreeDoc(doc);
    if (halted || b.failed) {
        tx_free(ctx, b.s);
        return halted ? TX_EFORMAT : TX_ENOMEM;
    }
    while (b.n && (b.s[b.n - 1] == '\n' || b.s[b.n - 1] == ' '))
        b.s[--b.n] = '\0'; /* the last element's break */
    if (!b.s) { /* nothing but markup */
        b.s = tx__calloc(ctx, 1, 1);
        if (!b.s)
            return TX_ENOMEM;
    }
    *out = b.s;
    *out_len = b.n;
    return TX_OK;
}

/* An entity (&name; &#N; &#xN;) or a tag that opens with a letter or '/'
 * ("<br>", "</p>"): not "<3" or "a < b". */
bool tx__looks_html(const char *s, size_t n)
{
    const char *p = s, *end = s + n;

    while (p < end && (p = memchr(p, '&', (size_t)(end - p))) != NULL) {
        const char *q = ++p;

        if (q < end && *q == '#')
            q++;
        while (q < end && q - p < 12 &&
               ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                (*q >= '0' && *q <= '9')))
            q++;
        if (q < end && *q == ';' && q > p + (*p == '#'))
            return true;
    }
    for (p = s; p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL;) {
        const char *q = ++p;

        if (q < end && *q == '/')
            q++;
        if (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) {
            while (q < end && ((*q >= 'a' && *q <= 'z') ||
                               (*q >= 'A' && *q <= 'Z') ||
                               (*q >= '0' && *q <= '9')))
                q++;
            if (q < end && (*q == '>' || *q == '/'))
                return true;
            /* attributes: a '>' within 200 bytes, before any '<' or
             * line break */
            if (q < end && *q == ' ') {
                size_t left = (size_t)(end - q);
                const char *gt = memchr(q, '>', left < 200 ? left : 200);

                if (gt && !memchr(q, '<', (size_t)(gt - q)) &&
                    !memchr(q, '\n', (size_t)(gt - q)))
                    return true;
            }
        }
    }
    return false;
}
