/* Permutation tests: see ib_perm.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ib_engine.h"
#include "ib_perm.h"

typedef struct {
    uint64_t s;
} ib_sm64;

static inline uint64_t ib_sm64_next(ib_sm64 *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform in [0, bound), bound in [1, 2^32], from the 32 random bits u
 * (Lemire 2019: multiply-shift, unbiased by rejection, which draws fresh
 * bits from r with probability < bound / 2^32) */
static inline uint32_t ib_bounded(ib_sm64 *r, uint64_t u, uint64_t bound)
{
    uint64_t m = u * bound;
    uint32_t l = (uint32_t)m;
    if (l < bound) {
        uint32_t t = (uint32_t)((0x100000000ULL - bound) % bound);
        while (l < t) {
            m = (ib_sm64_next(r) >> 32) * bound;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* Fisher-Yates over a[0..len): for i = len-1 .. 1, swap a[i] and a[j], j
 * uniform in [0, i]; each splitmix64 output serves two steps (its high
 * half, then its low half).  EACH(i, v) runs once position i is final
 * (holding v; later steps touch positions below i only), and last for
 * position 0: a count fused with the shuffle reads each value while its
 * line is in cache. */
#define IB_FY_(T, a, len, rng, EACH)                                          \
    do {                                                                      \
        ib_ssize i_ = (len) - 1;                                              \
        for (; i_ > 1; i_ -= 2) {                                             \
            uint64_t u_ = ib_sm64_next(rng);                                  \
            ib_ssize j_ = (ib_ssize)ib_bounded((rng), u_ >> 32, (uint64_t)i_ + 1); \
            T t_ = (a)[j_];                                                   \
            (a)[j_] = (a)[i_];                                                \
            (a)[i_] = t_;                                                     \
            EACH(i_, t_);                                                     \
            j_ = (ib_ssize)ib_bounded((rng), u_ & 0xFFFFFFFFULL, (uint64_t)i_); \
            t_ = (a)[j_];                                                     \
            (a)[j_] = (a)[i_ - 1];                                            \
            (a)[i_ - 1] = t_;                                                 \
            EACH(i_ - 1, t_);                                                 \
        }                                                                     \
        if (i_ == 1) {                                                        \
            ib_ssize j_ = (ib_ssize)ib_bounded((rng), ib_sm64_next(rng) >> 32, 2); \
            T t_ = (a)[j_];                                                   \
            (a)[j_] = (a)[1];                                                 \
            (a)[1] = t_;                                                      \
            EACH(1, t_);                                                      \
        }                                                                     \
        if ((len) > 0)                                                        \
            EACH(0, (a)[0]);                                                  \
    } while (0)

#define IB_NOTHING_(i, v) ((void)0)
#define IB_SHUFFLE_(T, a, len, rng) IB_FY_(T, a, len, rng, IB_NOTHING_)

/* the block order (nb blocks) of a key */
static void ib_block_order(uint64_t key, ib_ssize nb, int64_t *ord)
{
    ib_sm64 r = {key};
    for (ib_ssize b = 0; b < nb; b++)
        ord[b] = b;
    IB_SHUFFLE_(int64_t, ord, nb, &r);
}

int ib_perm_indices(uint64_t key, ib_ssize n, ib_ssize block, int64_t *pi)
{
    if (n < 0 || block < 1 || (uint64_t)n > 0xFFFFFFFFULL)
        return IB_EINVAL;
    if (block == 1) {
        ib_sm64 r = {key};
        for (ib_ssize i = 0; i < n; i++)
            pi[i] = i;
        IB_SHUFFLE_(int64_t, pi, n, &r);
        return IB_OK;
    }
    ib_ssize nb = (n + block - 1) / block;
    int64_t *ord = (int64_t *)malloc((size_t)(nb > 0 ? nb : 1) * sizeof(int64_t));
    if (ord == NULL)
        return IB_ENOMEM;
    ib_block_order(key, nb, ord);
    ib_ssize o = 0;
    for (ib_ssize b = 0; b < nb; b++) {
        ib_ssize s0 = ord[b] * block, s1 = s0 + block < n ? s0 + block : n;
        for (ib_ssize s = s0; s < s1; s++)
            pi[o++] = s;
    }
    free(ord);
    return IB_OK;
}

typedef struct {
    ib_ssize n, kx, ky, block, nb;
    const int32_t *x, *y;
    const uint64_t *keys;
    int small;                 /* kx <= 256: codes copied as bytes */
    size_t scratch;            /* bytes of one thread's scratch    */
    unsigned char *mem;        /* threads x scratch                */
    double *out;
} ib_pmi_ctx;

static double ib_table_sum(int64_t *tab, ib_ssize cells)
{
    double s = 0.0;
    for (ib_ssize c = 0; c < cells; c++) {
        int64_t v = tab[c];
        if (v > 1)
            s += (double)v * log((double)v);
    }
    return s;
}

/* two copies of the table, by the parity of the position: consecutive
 * increments of one cell do not wait on each other (merged after) */
#define IB_COUNT_(i, v) (tab[((i) & 1) * cells + (ib_ssize)(v) * ky + y[i]]++)

static ib_ssize ib_pmi_unit(void *ctx, ib_ssize g, ib_ssize ci, void *part)
{
    const ib_pmi_ctx *X = (const ib_pmi_ctx *)ctx;
    (void)ci;
    (void)part;
    const ib_ssize n = X->n, ky = X->ky, cells = X->kx * X->ky;
    unsigned char *mem = X->mem + (size_t)ib_engine_thread_num() * X->scratch;
    int64_t *tab = (int64_t *)mem;
    void *codes = mem + (size_t)(2 * cells) * sizeof(int64_t);
    const int32_t *x = X->x, *y = X->y;
    memset(tab, 0, (size_t)(2 * cells) * sizeof(int64_t));
    ib_sm64 r = {X->keys[g]};
    if (X->block > 1) {
        /* the blocks in their permuted order, each read in place */
        int64_t *ord = (int64_t *)codes;
        ib_block_order(X->keys[g], X->nb, ord);
        ib_ssize o = 0;
        for (ib_ssize b = 0; b < X->nb; b++) {
            ib_ssize s0 = ord[b] * X->block, s1 = s0 + X->block < n ? s0 + X->block : n;
            for (ib_ssize s = s0; s < s1; s++, o++)
                tab[(ib_ssize)x[s] * ky + y[o]]++;
        }
    } else if (X->small) {
        /* the codes shuffled in place: the same swaps as the indices of
         * ib_perm_indices, so c[i] = x[pi[i]] */
        unsigned char *c = (unsigned char *)codes;
        for (ib_ssize i = 0; i < n; i++)
            c[i] = (unsigned char)x[i];
        IB_FY_(unsigned char, c, n, &r, IB_COUNT_);
    } else {
        int32_t *c = (int32_t *)codes;
        memcpy(c, x, (size_t)n * sizeof(int32_t));
        IB_FY_(int32_t, c, n, &r, IB_COUNT_);
    }
    for (ib_ssize c = 0; c < cells; c++)
        tab[c] += tab[cells + c];
    X->out[g] = ib_table_sum(tab, cells);
    return -1;
}

int ib_perm_mi_plugin(ib_ssize n, const int32_t *x, ib_ssize kx, const int32_t *y,
                      ib_ssize ky, ib_ssize m, const uint64_t *keys, ib_ssize block,
                      double *out)
{
    if (n < 0 || n > 0x7FFFFFFF || kx < 1 || ky < 1 || m < 0 || block < 1)
        return IB_EINVAL;
    if (m == 0)
        return IB_OK;
    ib_pmi_ctx X;
    X.n = n;
    X.kx = kx;
    X.ky = ky;
    X.block = block;
    X.nb = (n + block - 1) / block;
    X.x = x;
    X.y = y;
    X.keys = keys;
    X.small = kx <= 256;
    X.out = out;
    size_t cbytes = block > 1 ? (size_t)X.nb * sizeof(int64_t)
                              : (size_t)n * (X.small ? 1 : sizeof(int32_t));
    X.scratch = ((size_t)(2 * kx * ky) * sizeof(int64_t) + cbytes + 63) & ~(size_t)63;
    ib_engine_job job = {m, 1, 0, m * (n + kx * ky), IB_PAR_THRESHOLD, ib_pmi_unit, NULL,
                         NULL, 0};
    int nt = ib_engine_threads(job.work, m, job.par_min);
    job.threads = nt;
    X.mem = (unsigned char *)malloc((size_t)nt * X.scratch);
    if (X.mem == NULL)
        return IB_ENOMEM;
    job.ctx = &X;
    int st = ib_engine_run(&job, NULL);
    free(X.mem);
    return st;
}
