/* Body of the reduction kernels, compiled once per SIMD path.
 * Included by ib_reduce.c with IB_SFX defined (_base, _v3); no include
 * guard on purpose.  Everything here is static. */

#define IB_CAT2(a, b) a##b
#define IB_CAT(a, b) IB_CAT2(a, b)
#define IB_FN(name) IB_CAT(name, IB_SFX)

/* Terms of one block of n contiguous values, summed.  *nbad counts
 * NaN/negative operand values when policy is IB_NAN_RAISE.
 * noinline: once inlined into the chunk loop (operand pointers picked from
 * an array), gcc 12 no longer vectorises the term loops ("no vectype");
 * the call costs nothing next to 128 logs. */
IB_NOINLINE static double IB_FN(ib_block)(int term, int policy, const double *restrict a,
                              const double *restrict b,
                              const double *restrict c, int n, double *nbad)
{
    double t[IB_BLOCK];
    const int omit = (policy == IB_NAN_OMIT);
    switch (term) {
    case IB_TERM_ENTR:
        if (omit) {
#pragma omp simd
            for (int i = 0; i < n; i++) {
                double x = a[i];
                double v = -x * ib_log_f64(x);
                t[i] = (v == v) ? v : 0.0;
            }
        } else {
#pragma omp simd
            for (int i = 0; i < n; i++) {
                double x = a[i];
                double v = -x * ib_log_f64(x);
                t[i] = (x == 0.0) ? 0.0 : v;    /* NaN/negative give NaN */
            }
        }
        break;
    case IB_TERM_KL:
    case IB_TERM_MI:
        if (omit) {
            if (term == IB_TERM_KL) {
#pragma omp simd
                for (int i = 0; i < n; i++) {
                    double x = a[i];
                    double v = x * ib_log_f64(x / b[i]);
                    t[i] = (v == v) ? v : 0.0;
                }
            } else {
#pragma omp simd
                for (int i = 0; i < n; i++) {
                    double x = a[i];
                    double v = x * ib_log_f64(x / (b[i] * c[i]));
                    t[i] = (v == v) ? v : 0.0;
                }
            }
        } else {
            if (term == IB_TERM_KL) {
#pragma omp simd
                for (int i = 0; i < n; i++) {
                    double x = a[i], y = b[i];
                    double v = x * ib_log_f64(x / y);
                    int ok = (x >= 0.0) & (y >= 0.0);
                    v = (x == 0.0) ? 0.0 : v;
                    t[i] = ok ? v : NAN;
                }
            } else {
#pragma omp simd
                for (int i = 0; i < n; i++) {
                    double x = a[i], y = b[i], z = c[i];
                    double v = x * ib_log_f64(x / (y * z));
                    int ok = (x >= 0.0) & (y >= 0.0) & (z >= 0.0);
                    v = (x == 0.0) ? 0.0 : v;
                    t[i] = ok ? v : NAN;
                }
            }
        }
        break;
    case IB_TERM_JS:
    default:
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double x = a[i], y = b[i];
            double m = 0.5 * x + 0.5 * y;
            double u = x * ib_log_f64(x / m);
            double w = y * ib_log_f64(y / m);
            u = (x == 0.0) ? 0.0 : u;
            w = (y == 0.0) ? 0.0 : w;
            int ok = (x >= 0.0) & (y >= 0.0);
            t[i] = ok ? 0.5 * (u + w) : NAN;
        }
        break;
    }
    if (policy == IB_NAN_RAISE) {
        double cnt = 0.0;
        const double *ops[3] = {a, b, c};
        for (int o = 0; o < 3; o++) {
            const double *p = ops[o];
            if (p == NULL)
                continue;
#pragma omp simd reduction(+ : cnt)
            for (int i = 0; i < n; i++)
                cnt += (p[i] >= 0.0) ? 0.0 : 1.0;
        }
        *nbad += cnt;
    }
    return ib_lanes_sum8(t, n);
}

/* Copy n values of one operand, starting at flat position (r, cc) of output
 * row k, into dst as doubles.  Crosses row boundaries as needed. */
#define IB_DEFINE_GATHER(T, TS)                                               \
    static void IB_FN(ib_gather_##TS)(double *restrict dst, const T *base,    \
                                      const ib_ssize *s, ib_ssize C,          \
                                      ib_ssize r, ib_ssize cc, int n)         \
    {                                                                         \
        int i = 0;                                                            \
        while (i < n) {                                                       \
            ib_ssize m = C - cc;                                              \
            if (m > n - i)                                                    \
                m = n - i;                                                    \
            const T *row = base + r * s[1] + cc * s[2];                       \
            const ib_ssize st = s[2];                                         \
            if (st == 1) {                                                    \
                for (ib_ssize j = 0; j < m; j++)                              \
                    dst[i + j] = (double)row[j];                              \
            } else {                                                          \
                for (ib_ssize j = 0; j < m; j++)                              \
                    dst[i + j] = (double)row[j * st];                         \
            }                                                                 \
            i += (int)m;                                                      \
            r++;                                                              \
            cc = 0;                                                           \
        }                                                                     \
    }

IB_DEFINE_GATHER(double, f64)
IB_DEFINE_GATHER(float, f32)

/* One chunk: flat positions [f0, f1) of output row k. */
#define IB_DEFINE_CHUNK(T, TS, DIRECT)                                        \
    static double IB_FN(ib_chunk_##TS)(                                       \
        int term, int policy, ib_ssize k, ib_ssize f0, ib_ssize f1,           \
        ib_ssize C, const T *a, const ib_ssize *sa, const T *b,               \
        const ib_ssize *sb, const T *c, const ib_ssize *sc, double *nbad)     \
    {                                                                         \
        double bs[IB_CHUNK_BLOCKS];                                           \
        double ga[IB_BLOCK], gb[IB_BLOCK], gc[IB_BLOCK];                      \
        const T *ops[3] = {a, b, c};                                          \
        const ib_ssize *st[3] = {sa, sb, sc};                                 \
        double *gbuf[3] = {ga, gb, gc};                                       \
        int nb = 0;                                                           \
        for (ib_ssize f = f0; f < f1; f += IB_BLOCK) {                        \
            int n = (int)((f1 - f) < IB_BLOCK ? (f1 - f) : IB_BLOCK);         \
            ib_ssize r = f / C, cc = f - r * C;                               \
            const double *p[3] = {NULL, NULL, NULL};                          \
            for (int o = 0; o < 3; o++) {                                     \
                if (ops[o] == NULL)                                           \
                    continue;                                                 \
                const T *base = ops[o] + k * st[o][0];                        \
                if (DIRECT && st[o][2] == 1 && cc + n <= C)                   \
                    p[o] = (const double *)(base + r * st[o][1] + cc);        \
                else {                                                        \
                    IB_FN(ib_gather_##TS)(gbuf[o], base, st[o], C, r, cc, n); \
                    p[o] = gbuf[o];                                           \
                }                                                             \
            }                                                                 \
            bs[nb++] = IB_FN(ib_block)(term, policy, p[0], p[1], p[2], n,     \
                                       nbad);                                 \
        }                                                                     \
        return ib_pairwise_sum(bs, nb);                                       \
    }

IB_DEFINE_CHUNK(double, f64, 1)
IB_DEFINE_CHUNK(float, f32, 0)

static void IB_FN(ib_vlog)(const double *restrict x, double *restrict y,
                           ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_log_f64(x[i]);
}

static void IB_FN(ib_vexp)(const double *restrict x, double *restrict y,
                           ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_f64(x[i]);
}

static void IB_FN(ib_vlog1p)(const double *restrict x, double *restrict y,
                             ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_log1p_f64(x[i]);
}

static void IB_FN(ib_vexp_f32)(const float *restrict x, float *restrict y,
                               ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_f32(x[i]);
}

static void IB_FN(ib_vexp_diff_f32)(const float *restrict x,
                                    const float *restrict m,
                                    float *restrict y, ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_diff_f32(x[i], m[i]);
}

#undef IB_DEFINE_GATHER
#undef IB_DEFINE_CHUNK
