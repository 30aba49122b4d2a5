/* Block loop of ib_exp16_scaled_f64 with the block's lane sums:
 *
 *   int IB_VEXP16_NAME(x, n, M, y, acc, mask)
 *
 * y[i] = exp(x[i] - M) * 2^512 for x[i] <= M (or NaN), n entries, into y
 * (not aliasing x); acc[i mod 8] += y[i] (in i order: the order of
 * ib_lanes_acc8, so the caller's block starts at a multiple of 8), where
 * with mask != 0 the entries equal to M count 0 (y times 0, as
 * nx_lsm_blk's sums) and the return value is their number (else 0).
 * Included by a per-path body (ib_numerics_path.h, ib_losses_path.h) with
 * IB_VEXP16_NAME defined to the function's per-path name; no include
 * guard on purpose.
 *
 * On the x86-64-v4 path (GCC defines __AVX512F__ inside the target
 * region) eight lanes are written with GCC vector extensions, so that the
 * 16-entry tables are looked up with two-source permutes held in
 * registers (__builtin_shuffle: vpermt2pd) rather than gathered, and the
 * eight lane sums stay in a register; every other copy (baseline,
 * x86-64-v3, clang) is gcc's vectorisation of the scalar function
 * (gathers on v3) followed by the lane sums.  The vector code is the
 * scalar code's arithmetic, operation by operation (the same IEEE
 * operations in the same order per lane, no contraction under
 * -ffp-contract=off, the selects bitwise), so the bits do not depend on
 * the path (tests). */
#ifndef IB_VEXP16_NAME
#error "define IB_VEXP16_NAME before including ib_numerics_vexp.h"
#endif

#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#ifndef IB_VX_TYPES_
#define IB_VX_TYPES_
typedef double ib_vx8d_ __attribute__((vector_size(64)));
typedef uint64_t ib_vx8u_ __attribute__((vector_size(64)));
typedef int64_t ib_vx8i_ __attribute__((vector_size(64)));
#endif
IB_NOINLINE static int IB_VEXP16_NAME(const double *restrict x, int n,
                                      double M, double *restrict y,
                                      double *restrict acc, int mask)
{
    const double ln2hi_n = IB_VM_LN2_HI_ / 16.0;
    const double ln2lo_n = IB_VM_LN2_LO_ / 16.0;
    const ib_vx8i_ one = (ib_vx8i_)((ib_vx8d_){1, 1, 1, 1, 1, 1, 1, 1});
    ib_vx8u_ t0, t1, s0, s1;
    ib_vx8d_ a;
    ib_vx8i_ cv = {0, 0, 0, 0, 0, 0, 0, 0};
    memcpy(&t0, IB_VM_EXP16_TAIL_, sizeof t0);
    memcpy(&t1, IB_VM_EXP16_TAIL_ + 8, sizeof t1);
    memcpy(&s0, IB_VM_EXP16_SBITS_, sizeof s0);
    memcpy(&s1, IB_VM_EXP16_SBITS_ + 8, sizeof s1);
    memcpy(&a, acc, sizeof a);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        ib_vx8d_ xv, v;
        memcpy(&xv, x + i, sizeof xv);
        v = xv - M;
        ib_vx8d_ kt = v * IB_VM_EXP16_INVLN2_ + IB_VM_EXP16_SHIFT_;
        ib_vx8u_ ki = (ib_vx8u_)kt;
        ib_vx8d_ kd = kt - IB_VM_EXP16_SHIFT_;
        ib_vx8d_ r = (v - kd * ln2hi_n) - kd * ln2lo_n;
        ib_vx8i_ j = (ib_vx8i_)(ki & 15);
        ib_vx8d_ tail = (ib_vx8d_)__builtin_shuffle(t0, t1, j);
        ib_vx8u_ sbits = __builtin_shuffle(s0, s1, j) + (ki << 48);
        ib_vx8d_ r2 = r * r;
        ib_vx8d_ r4 = r2 * r2;
        ib_vx8d_ P = ((IB_VM_EXP16_C2_ + r * IB_VM_EXP16_C3_)
                      + r2 * (IB_VM_EXP16_C4_ + r * IB_VM_EXP16_C5_))
                     + r4 * (IB_VM_EXP16_C6_ + r * IB_VM_EXP16_C7_);
        ib_vx8d_ tmp = (tail + r) + r2 * P;
        ib_vx8d_ scale = (ib_vx8d_)sbits;
        ib_vx8d_ res = scale + scale * tmp;
        ib_vx8i_ low = v < IB_VM_EXPS_LO_;       /* -1 where x - M < -1000 */
        res = (ib_vx8d_)((ib_vx8i_)res & ~low);
        memcpy(y + i, &res, sizeof res);
        if (mask) {
            ib_vx8i_ eq = xv == M;               /* -1 where x == M */
            a += res * (ib_vx8d_)(one & ~eq);
            cv -= eq;
        } else {
            a += res;
        }
    }
    memcpy(acc, &a, sizeof a);
    int cnt = 0;
    for (int k = 0; k < 8; k++)
        cnt += (int)cv[k];
    for (int k = 0; i < n; i++, k++) {
        double e = ib_exp16_scaled_f64(x[i] - M);
        y[i] = e;
        if (mask) {
            acc[k] += e * ((x[i] == M) ? 0.0 : 1.0);
            cnt += (x[i] == M);
        } else {
            acc[k] += e;
        }
    }
    return cnt;
}
#else
IB_NOINLINE static int IB_VEXP16_NAME(const double *restrict x, int n,
                                      double M, double *restrict y,
                                      double *restrict acc, int mask)
{
    int cnt = 0;
#pragma omp simd
    for (int i = 0; i < n; i++)
        y[i] = ib_exp16_scaled_f64(x[i] - M);
    if (!mask) {
        ib_lanes_acc8(acc, y, n);
        return 0;
    }
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const double *restrict gx = x + i, *restrict ge = y + i;
#pragma omp simd
        for (int j = 0; j < 8; j++)
            acc[j] += ge[j] * ((gx[j] == M) ? 0.0 : 1.0);
    }
    for (int j = 0; i < n; i++, j++)
        acc[j] += y[i] * ((x[i] == M) ? 0.0 : 1.0);
#pragma omp simd reduction(+ : cnt)
    for (int k = 0; k < n; k++)
        cnt += (x[k] == M);
    return cnt;
}
#endif
#undef IB_VEXP16_NAME
