/* Open-addressing string -> dense index map used by vocabularies. */
#include "tx_internal.h"

#include <string.h>

void tx__strmap_init(tx__strmap *m, tx_ctx *ctx)
{
    memset(m, 0, sizeof *m);
    m->ctx = ctx;
}

void tx__strmap_free(tx__strmap *m)
{
    tx_free(m->ctx, m->slots);
    tx_free(m->ctx, m->hash);
    tx_free(m->ctx, m->off);
    tx_free(m->ctx, m->len);
    tx_free(m->ctx, m->pool);
    memset(m, 0, sizeof *m);
}

long tx__strmap_find(const tx__strmap *m, const char *s, size_t n, uint64_t h)
{
    size_t i;
    uint32_t k;

    if (!m->cap)
        return -1;
    i = h & (m->cap - 1);
    while ((k = m->slots[i]) != 0) {
        k--;
        if (m->hash[k] == h && m->len[k] == n &&
            memcmp(m->pool + m->off[k], s, n) == 0)
            return (long)k;
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

static int rehash_to(tx__strmap *m, size_t cap)
{
    size_t i, j;
    uint32_t *slots = tx__calloc(m->ctx, cap, sizeof *slots);

    if (!slots)
        return TX_ENOMEM;
    for (i = 0; i < m->n; i++) {
        j = m->hash[i] & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    tx_free(m->ctx, m->slots);
    m->slots = slots;
    m->cap = cap;
    return TX_OK;
}

static int rehash(tx__strmap *m)
{
    return rehash_to(m, m->cap ? m->cap * 2 : 1024);
}

/* Room for `need` strings in the per-string arrays, which grow alike. */
static int grow_entries(tx__strmap *m, size_t need)
{
    size_t cap = m->n_cap;

    if (tx__grow(m->ctx, (void **)&m->hash, &cap, need, sizeof *m->hash))
        return TX_ENOMEM;
    cap = m->n_cap;
    if (tx__grow(m->ctx, (void **)&m->off, &cap, need, sizeof *m->off))
        return TX_ENOMEM;
    cap = m->n_cap;
    if (tx__grow(m->ctx, (void **)&m->len, &cap, need, sizeof *m->len))
        return TX_ENOMEM;
    m->n_cap = cap;
    return TX_OK;
}

int tx__strmap_reserve(tx__strmap *m, size_t n, size_t bytes)
{
    size_t cap = m->cap ? m->cap : 1024;

    while (cap < 2 * n)
        cap *= 2;
    if ((cap > m->cap && rehash_to(m, cap) != TX_OK) ||
        grow_entries(m, n) != TX_OK)
        return TX_ENOMEM;
    return tx__grow(m->ctx, (void **)&m->pool, &m->pool_cap, bytes, 1);
}

long tx__strmap_add(tx__strmap *m, const char *s, size_t n, uint64_t h)
{
    long k = tx__strmap_find(m, s, n, h);

    return k >= 0 ? k : tx__strmap_add_new(m, s, n, h);
}

long tx__strmap_add_new(tx__strmap *m, const char *s, size_t n, uint64_t h)
{
    size_t i;

    if (m->n >= UINT32_MAX - 1 || n > UINT32_MAX)
        return -1;
    if ((m->n + 1) * 2 > m->cap && rehash(m) != TX_OK)
        return -1;
    if (m->n == m->n_cap && grow_entries(m, m->n + 1) != TX_OK)
        return -1;
    if (tx__grow(m->ctx, (void **)&m->pool, &m->pool_cap, m->pool_len + n + 1,
                 1))
        return -1;
    memcpy(m->pool + m->pool_len, s, n);
    m->pool[m->pool_len + n] = '\0';
    m->hash[m->n] = h;
    m->off[m->n] = m->pool_len;
    m->len[m->n] = (uint32_t)n;
    m->pool_len += n + 1;
    i = h & (m->cap - 1);
    while (m->slots[i])
        i = (i + 1) & (m->cap - 1);
    m->slots[i] = (uint32_t)(m->n + 1);
    return (long)m->n++;
}
