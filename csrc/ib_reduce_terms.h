/* The term table of the reductions on probability arrays (ib_reduce.c).
 *
 * One row per term (IB_TERM_* in ib_reduce.h).  A row has two parts:
 *
 *  - data, in ib_term_rows[] below: how many operands the term reads, the
 *    operand ranges of its fast path (lower ends, whether 0 is on it, the
 *    term's own upper end), the value the padded lanes of a partial group
 *    give the second and third operands, and whether the second operand's
 *    sum is checked (the probability-sum check of KL and JS);
 *  - code, four inline functions per SIMD path, named after the row's
 *    name nm in ib_reduce_path.h (the "term functions"):
 *      ib_<nm>_fast(x, y, z, par)   the term on the fast path's domain
 *      ib_<nm>_good(x, y, z, h0, h1, h2)
 *                                   1 when (x, y, z) is on that domain
 *                                   (h0..h2: the operands' upper ends)
 *      ib_<nm>_omit(x, y, z, par)   the term for any operands, NaN where
 *                                   "omit" leaves it out
 *      ib_<nm>_prop(x, y, z, par)   the term for any operands under
 *                                   "propagate" / "raise" (NaN where the
 *                                   formula is undefined)
 *    The full path must give bitwise the fast path's terms on the fast
 *    domain (every route of a block gives the same bits).
 *
 * IB_REDUCE_TERMS(X) lists the rows as X(ID, nm); the kernels generate
 * their per-term loops from it (a switch whose cases are the list), so each
 * loop is compiled, vectorised and inlined per term as if written out.  A
 * new term is: its IB_TERM_* id, a row here and in the list, and its four
 * term functions.  Included once (ib_reduce.c). */
#ifndef IB_REDUCE_TERMS_H
#define IB_REDUCE_TERMS_H
#include "ib_reduce.h"
#include <float.h>

/* Operand ranges of the fast paths: [2^-E, 2^E] per term (see
 * ib_reduce_path.h for why these ends). */
#define IB_KL_LO 0x1p-511
#define IB_KL_HI 0x1p511
#define IB_MI_LO 0x1p-340
#define IB_MI_HI 0x1p340
#define IB_JS_LO 0x1p-500
#define IB_JS_HI 0x1p500

#define IB_REDUCE_TERMS(X) \
    X(IB_TERM_ENTR, entr)  \
    X(IB_TERM_KL, kl)      \
    X(IB_TERM_MI, mi)      \
    X(IB_TERM_JS, js)      \
    X(IB_TERM_POW, pow)    \
    X(IB_TERM_SQ, sq)      \
    X(IB_TERM_SQRT, sqrt)

typedef struct {
    int nops;          /* operands read: 1 (a), 2 (a, b) or 3 (a, b, c)   */
    int sumy;          /* 1: the sum of b is taken for the sum check      */
    double lo[3];      /* fast path: lower ends of the nonzero operands   */
    int zero_ok[3];    /* fast path: 0 allowed for the operand            */
    double hi;         /* fast path: the term's own upper end (operands
                        * whose probability range is checked end at
                        * IB_PROB_HI or here, whichever is lower)         */
    double pad;        /* b and c in the padded lanes of a partial group
                        * (a is padded with 0, whose term is +0)          */
} ib_term_row;

#define IB_TERM_DBL_MIN_ 0x1p-1022
static const ib_term_row ib_term_rows[IB_TERM_COUNT] = {
    [IB_TERM_ENTR] = {1, 0, {IB_TERM_DBL_MIN_, 0, 0}, {1, 0, 0}, DBL_MAX, 0.0},
    [IB_TERM_KL] = {2, 1, {IB_KL_LO, IB_KL_LO, 0}, {1, 0, 0}, IB_KL_HI, IB_KL_LO},
    [IB_TERM_MI] = {3, 0, {IB_MI_LO, IB_MI_LO, IB_MI_LO}, {1, 0, 0}, IB_MI_HI, IB_MI_LO},
    [IB_TERM_JS] = {2, 1, {IB_JS_LO, IB_JS_LO, 0}, {1, 1, 0}, IB_JS_HI, 0.0},
    /* p^a: the fast path stops at 1, where a log p <= 0 (ib_pow_fast) */
    [IB_TERM_POW] = {1, 0, {IB_TERM_DBL_MIN_, 0, 0}, {1, 0, 0}, 1.0, 0.0},
    /* p^2: every p is on the fast path except NaN, +-inf and p < 0 (and
     * above the row's end, 2^511, where p^2 would overflow) */
    [IB_TERM_SQ] = {1, 0, {0.0, 0, 0}, {1, 0, 0}, 0x1p511, 0.0},
    /* p^(1/2): every finite p >= 0 */
    [IB_TERM_SQRT] = {1, 0, {0.0, 0, 0}, {1, 0, 0}, DBL_MAX, 0.0},
};

#endif
