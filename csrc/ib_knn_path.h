/* Per-SIMD-path body of ib_knn.c, included once per path by ib_per_path.h
 * (IB_SFX = _base, _v3 or _v4).  The paths give bitwise identical results
 * (-ffp-contract=off, fixed order). */
/* (names through IB_FN, ib_per_path.h) */

/* Sum of log(c * t[j]) over a block of at most IB_KNN_BLOCK terms, 8 lanes. */
IB_NOINLINE static double IB_FN(ib_knn_blocklog)(const double *t, int nb, double c)
{
    double v[IB_KNN_BLOCK];
    const double *restrict g = t;
    for (int j = 0; j < nb; j++)
        v[j] = ib_log_f64(c * g[j]);
    return ib_lanes_sum8(v, nb);
}
