/* What the report writers read of a causemap. Never installed. */
#ifndef TX_CAUSEMAP_PRIVATE_H
#define TX_CAUSEMAP_PRIVATE_H

#include "tx_internal.h"

/* Cause theme stated in sentence i of document `doc` of the causemap's
 * corpus, or -1 (tx_causemap.c). */
int32_t tx__causemap_cause_theme(const tx_causemap *m, size_t doc, size_t i);
/* The causemap's themes.json object (tx_causemap.c). */
void *tx__causemap_json(const tx_causemap *m);
/* The corpus the causemap was built on. */
const tx_corpus *tx__causemap_corpus(const tx_causemap *m);

#endif
