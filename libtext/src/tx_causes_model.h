/* The cause detector's model, shared by tx_causes.c and tx_h5.c. */
#ifndef TX_CAUSES_MODEL_H
#define TX_CAUSES_MODEL_H

#include "tx_internal.h"

/* An averaged structured perceptron over hashed features: weight of
 * feature f for tag t at w[hash(f, t) >> (64 - bits)]; transitions
 * trans[a * T + b] from tag a to b, row T = sentence start. */
typedef struct tx__tagger {
    int n_tags;
    unsigned bits;
    float *w;
    float trans[6 * 5];
    double trans_acc[6 * 5]; /* training only */
} tx__tagger;

struct tx_cause_model {
    tx_ctx *ctx;
    unsigned bits;       /* 2^bits hashed weights per model */
    float *clf;          /* sentence classifier weights */
    float clf_bias;
    double threshold;    /* causal when the probability reaches it */
    tx__tagger sig;      /* O, B-S, I-S */
    tx__tagger ce;       /* O, B-C, I-C, B-E, I-E */
    tx__tagger det;      /* the same tags, also trained on sentences that
                            state no cause (all O): finds relations */
    uint64_t seed;
    char *trained_on;    /* free text: the data it was trained on */
};

int tx__cause_model_alloc(tx_ctx *ctx, unsigned bits, tx_cause_model **out);

#endif
