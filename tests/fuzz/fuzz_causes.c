/* libFuzzer target for the cause detector, its mark-up parser and the
 * sentiment scorer: any bytes, detected with the shipped model
 * (models/causes.h5) with and without the cue rules and with several
 * relations. Spans must lie inside their sentence; scores in [-1, 1]. */
#include "libtext.h"

#include <stdlib.h>
#include <string.h>

static void check_span(tx_span s, tx_span in)
{
    if (s.start > s.end || (s.end > s.start &&
                            (s.start < in.start || s.end > in.end)))
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static tx_ctx *ctx;
    static tx_cause_model *m;
    tx_cause_params p;
    tx_cause_sentence *s;
    tx_cause_example e;
    size_t n, i;
    int rules, rc;

    if (!ctx) {
        if (tx_ctx_new(NULL, &ctx) != TX_OK ||
            tx_cause_model_load(ctx, "models/causes.h5", &m, NULL) != TX_OK)
            abort();
    }
    rc = tx_cause_parse_marked(ctx, (const char *)data, size, &e);
    if (rc == TX_OK) {
        if (e.len > size || e.cause.end > e.len || e.effect.end > e.len ||
            e.cue.end > e.len || e.cause.start > e.cause.end ||
            e.effect.start > e.effect.end || e.cue.start > e.cue.end)
            abort();
        tx_free(ctx, (void *)e.text);
    } else if (rc != TX_EFORMAT || e.text) {
        abort();
    }
    {
        tx_sentiment se;
        if (tx_sentiment_score(ctx, (const char *)data, size, &se) != TX_OK ||
            !(se.score >= -1 && se.score <= 1) || se.friction < 0 ||
            se.friction >= TX_FRICTION_COUNT || se.stage < 0 ||
            se.stage >= TX_STAGE_COUNT)
            abort();
    }
    for (rules = 0; rules < 2; rules++) {
        tx_cause_params_init(&p);
        p.rules = rules;
        p.whole = rules == 0;
        p.relations = rules ? 1 : 3;
        if (tx_cause_detect(ctx, m, &p, (const char *)data, size, &s, &n) !=
            TX_OK)
            abort();
        for (i = 0; i < n; i++) {
            tx_span all = {0, size};
            check_span(s[i].sentence, all);
            check_span(s[i].cause, s[i].sentence);
            check_span(s[i].effect, s[i].sentence);
            check_span(s[i].cue, s[i].sentence);
        }
        tx_free(ctx, s);
    }
    return 0;
}
