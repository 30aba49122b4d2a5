/* Body of the numerics kernels, compiled once per SIMD path.
 * Included by ib_numerics.c with IB_SFX defined (_base, _v3); no include
 * guard on purpose.  Everything here is static.  Hot loops call only the
 * ib_vmath.h functions (ib_exp_f64, ib_log_f64, ib_log1p_f64), so they
 * vectorise once those are branch-free. */

#define IB_CAT2(a, b) a##b
#define IB_CAT(a, b) IB_CAT2(a, b)
#define IB_FN(name) IB_CAT(name, IB_SFX)

#define NXB IB_NX_BLOCK

/* Sum of n <= NXB values: 8 independent lanes, then a fixed tree. */
static inline double IB_FN(nx_lsum)(const double *t, int n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            acc[j] += t[i + j];
    for (int j = 0; i < n; i++, j++)
        acc[j] += t[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3]))
         + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* Largest of n values, NaN ignored (-inf if none). */
static inline double IB_FN(nx_lmax)(const double *t, int n)
{
    double acc[8];
    for (int j = 0; j < 8; j++)
        acc[j] = -INFINITY;
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) {
            double v = t[i + j];
            acc[j] = v > acc[j] ? v : acc[j];
        }
    for (int j = 0; i < n; i++, j++) {
        double v = t[i];
        acc[j] = v > acc[j] ? v : acc[j];
    }
    double m = -INFINITY;
    for (int j = 0; j < 8; j++)
        m = acc[j] > m ? acc[j] : m;
    return m;
}

/* n values of a 1-D strided sequence as doubles: the data itself when it
 * is contiguous float64, else a converted copy in buf. */
#define IB_DEFINE_LOAD(T, TS)                                                 \
    static inline const double *IB_FN(nx_load_##TS)(                         \
        const T *p, ib_ssize st, int n, double *restrict buf)                 \
    {                                                                         \
        if (sizeof(T) == sizeof(double) && st == 1)                           \
            return (const double *)(const void *)p;                           \
        if (st == 1) {                                                        \
            for (int i = 0; i < n; i++)                                       \
                buf[i] = (double)p[i];                                        \
        } else {                                                              \
            for (int i = 0; i < n; i++)                                       \
                buf[i] = (double)p[i * st];                                   \
        }                                                                     \
        return buf;                                                           \
    }                                                                         \
    static inline void IB_FN(nx_store_##TS)(T *p, ib_ssize st,                \
                                            const double *restrict v, int n)  \
    {                                                                         \
        if (st == 1) {                                                        \
            for (int i = 0; i < n; i++)                                       \
                p[i] = (T)v[i];                                               \
        } else {                                                              \
            for (int i = 0; i < n; i++)                                       \
                p[i * st] = (T)v[i];                                          \
        }                                                                     \
    }                                                                         \
    /* n values starting at flat position f of a 2-D (R, C) view. */          \
    static inline const double *IB_FN(nx_gather_##TS)(                        \
        const T *base, const ib_ssize *s, ib_ssize C, ib_ssize f, int n,      \
        double *restrict buf)                                                 \
    {                                                                         \
        ib_ssize r = f / C, cc = f - (f / C) * C;                             \
        if (cc + n <= C)                                                      \
            return IB_FN(nx_load_##TS)(base + r * s[0] + cc * s[1], s[1], n,  \
                                       buf);                                  \
        int i = 0;                                                            \
        while (i < n) {                                                       \
            ib_ssize m = C - cc;                                              \
            if (m > n - i)                                                    \
                m = n - i;                                                    \
            const T *row = base + r * s[0] + cc * s[1];                       \
            for (ib_ssize j = 0; j < m; j++)                                  \
                buf[i + j] = (double)row[j * s[1]];                           \
            i += (int)m;                                                      \
            r++;                                                              \
            cc = 0;                                                           \
        }                                                                     \
        return buf;                                                           \
    }

IB_DEFINE_LOAD(double, f64)
IB_DEFINE_LOAD(float, f32)

/* ---------------------------------------------------------------- lse -- */

/* Columns [c0, c1) of one row.  Running state (m, c, s): m the largest
 * entry so far, c the summed weights of the entries equal to m, s the sum
 * of b exp(a - m) over the other entries.  Blocks of NXB: the block max
 * first (in cache), rescale when it grows, then one exp per entry. */
#define IB_DEFINE_LSE_CHUNK(T, TS)                                            \
    static ib_lse_acc IB_FN(nx_lse_chunk_##TS)(                               \
        const T *arow, ib_ssize sa1, const T *brow, ib_ssize sb1,             \
        ib_ssize c0, ib_ssize c1)                                             \
    {                                                                         \
        double abuf[NXB], bbuf[NXB], mbuf[NXB], t[NXB], cm[NXB];              \
        double M = -INFINITY, c = 0.0, s = 0.0;                               \
        for (ib_ssize k = c0; k < c1; k += NXB) {                             \
            int n = (int)((c1 - k) < NXB ? (c1 - k) : NXB);                   \
            const double *xa = IB_FN(nx_load_##TS)(arow + k * sa1, sa1, n,    \
                                                   abuf);                     \
            const double *xb = NULL;                                          \
            if (brow != NULL) {                                               \
                xb = IB_FN(nx_load_##TS)(brow + k * sb1, sb1, n, bbuf);       \
                _Pragma("omp simd")                                           \
                for (int i = 0; i < n; i++)                                   \
                    mbuf[i] = (xb[i] == 0.0) ? -INFINITY : xa[i];             \
                xa = mbuf;                                                    \
            }                                                                 \
            double bm = IB_FN(nx_lmax)(xa, n);                                \
            if (bm > M) {                                                     \
                s = (s + c) * ib_exp_f64(M - bm);                             \
                c = 0.0;                                                      \
                M = bm;                                                       \
            }                                                                 \
            if (xb != NULL) {                                                 \
                _Pragma("omp simd")                                           \
                for (int i = 0; i < n; i++) {                                 \
                    double x = xa[i], bb = xb[i];                             \
                    double e = bb * ib_exp_f64(x - M);                        \
                    int eq = (x == M);                                        \
                    t[i] = eq ? 0.0 : e;                                      \
                    cm[i] = eq ? bb : 0.0;                                    \
                }                                                             \
            } else {                                                          \
                _Pragma("omp simd")                                           \
                for (int i = 0; i < n; i++) {                                 \
                    double x = xa[i];                                         \
                    double e = ib_exp_f64(x - M);                             \
                    int eq = (x == M);                                        \
                    t[i] = eq ? 0.0 : e;                                      \
                    cm[i] = eq ? 1.0 : 0.0;                                   \
                }                                                             \
            }                                                                 \
            s += IB_FN(nx_lsum)(t, n);                                        \
            c += IB_FN(nx_lsum)(cm, n);                                       \
        }                                                                     \
        ib_lse_acc r = {M, c, s};                                             \
        return r;                                                             \
    }

IB_DEFINE_LSE_CHUNK(double, f64)
IB_DEFINE_LSE_CHUNK(float, f32)

/* ------------------------------------------------------------ softmax -- */

#define IB_DEFINE_SOFTMAX_ROW(T, TS)                                          \
    static void IB_FN(nx_softmax_row_##TS)(int logsm, ib_ssize C,             \
                                           const T *xr, ib_ssize sx1,         \
                                           T *orow, ib_ssize so1)             \
    {                                                                         \
        double buf[NXB], t[NXB], bs[IB_NX_CHUNK_BLOCKS];                      \
        double M = -INFINITY, nn = 0.0;                                       \
        for (ib_ssize k = 0; k < C; k += NXB) {                               \
            int n = (int)((C - k) < NXB ? (C - k) : NXB);                     \
            const double *x = IB_FN(nx_load_##TS)(xr + k * sx1, sx1, n, buf); \
            double bm = IB_FN(nx_lmax)(x, n);                                 \
            M = bm > M ? bm : M;                                              \
            _Pragma("omp simd")                                               \
            for (int i = 0; i < n; i++)                                       \
                t[i] = (x[i] != x[i]) ? 1.0 : 0.0;                            \
            nn += IB_FN(nx_lsum)(t, n);                                       \
        }                                                                     \
        if (nn > 0.0 || M == -INFINITY || M == INFINITY) {                    \
            /* NaN row, all -inf row, or +inf entries sharing the mass */     \
            double kinf = 0.0;                                                \
            if (nn == 0.0 && M == INFINITY) {                                 \
                for (ib_ssize k = 0; k < C; k++)                              \
                    kinf += ((double)xr[k * sx1] == INFINITY) ? 1.0 : 0.0;    \
            }                                                                 \
            double hit = logsm ? -ib_log_f64(kinf) : 1.0 / kinf;              \
            double miss = logsm ? -INFINITY : 0.0;                            \
            for (ib_ssize k = 0; k < C; k++) {                                \
                double v = NAN;                                               \
                if (kinf > 0.0)                                               \
                    v = ((double)xr[k * sx1] == INFINITY) ? hit : miss;       \
                orow[k * so1] = (T)v;                                         \
            }                                                                 \
            return;                                                           \
        }                                                                     \
        /* exp(x - M) summed; blocks pairwise within a chunk, chunks in      \
         * sequence.  Entries equal to M are counted apart (cnt), so that    \
         * log S = log cnt + log1p(s / cnt) keeps its precision when one     \
         * entry dominates.  float64 softmax keeps the exps in out. */        \
        const int keep = !logsm && sizeof(T) == sizeof(double);               \
        double S = 0.0, cnt = 0.0;                                            \
        double cs[NXB], us[NXB];                                              \
        int nb = 0;                                                           \
        for (ib_ssize k = 0; k < C; k += NXB) {                               \
            int n = (int)((C - k) < NXB ? (C - k) : NXB);                     \
            const double *x = IB_FN(nx_load_##TS)(xr + k * sx1, sx1, n, buf); \
            _Pragma("omp simd")                                               \
            for (int i = 0; i < n; i++) {                                     \
                double e = ib_exp_f64(x[i] - M);                              \
                int eq = (x[i] == M);                                         \
                t[i] = e;                                                     \
                cs[i] = eq ? 1.0 : 0.0;                                       \
                us[i] = eq ? 0.0 : e;                                         \
            }                                                                 \
            /* (x may alias out: store only after reading x) */               \
            if (keep)                                                         \
                IB_FN(nx_store_##TS)(orow + k * so1, so1, t, n);              \
            cnt += IB_FN(nx_lsum)(cs, n);                                     \
            bs[nb++] = IB_FN(nx_lsum)(us, n);                                 \
            if (nb == IB_NX_CHUNK_BLOCKS) {                                   \
                S += ib_pairwise_sum(bs, nb);                                 \
                nb = 0;                                                       \
            }                                                                 \
        }                                                                     \
        S += ib_pairwise_sum(bs, nb);                                         \
        const double lS = ib_log_f64(cnt) + ib_log1p_f64(S / cnt);            \
        S += cnt;                                                             \
        for (ib_ssize k = 0; k < C; k += NXB) {                               \
            int n = (int)((C - k) < NXB ? (C - k) : NXB);                     \
            if (keep) {                                                       \
                const double *e = IB_FN(nx_load_##TS)(orow + k * so1, so1, n, \
                                                      buf);                   \
                _Pragma("omp simd")                                           \
                for (int i = 0; i < n; i++)                                   \
                    t[i] = e[i] / S;                                          \
            } else {                                                          \
                const double *x = IB_FN(nx_load_##TS)(xr + k * sx1, sx1, n,   \
                                                      buf);                   \
                if (logsm) {                                                  \
                    _Pragma("omp simd")                                       \
                    for (int i = 0; i < n; i++)                               \
                        t[i] = (x[i] - M) - lS;                               \
                } else {                                                      \
                    _Pragma("omp simd")                                       \
                    for (int i = 0; i < n; i++)                               \
                        t[i] = ib_exp_f64(x[i] - M) / S;                      \
                }                                                             \
            }                                                                 \
            IB_FN(nx_store_##TS)(orow + k * so1, so1, t, n);                  \
        }                                                                     \
    }

IB_DEFINE_SOFTMAX_ROW(double, f64)
IB_DEFINE_SOFTMAX_ROW(float, f32)

/* ----------------------------------------------------------- softplus -- */

#define IB_DEFINE_SOFTPLUS(T, TS)                                             \
    static void IB_FN(nx_softplus_##TS)(int neg, ib_ssize n0, ib_ssize n1,    \
                                        const T *x, ib_ssize sx, T *y,        \
                                        ib_ssize sy)                          \
    {                                                                         \
        double buf[NXB], t[NXB];                                              \
        const double sg = neg ? -1.0 : 1.0; /* log_sigmoid(x) = -sp(-x) */   \
        for (ib_ssize k = n0; k < n1; k += NXB) {                             \
            int n = (int)((n1 - k) < NXB ? (n1 - k) : NXB);                   \
            const double *v = IB_FN(nx_load_##TS)(x + k * sx, sx, n, buf);    \
            _Pragma("omp simd")                                               \
            for (int i = 0; i < n; i++) {                                     \
                double z = sg * v[i];                                         \
                double az = z < 0.0 ? -z : z;                                 \
                double mz = z > 0.0 ? z : 0.0;                                \
                double r = mz + ib_log1p_f64(ib_exp_f64(-az));                \
                t[i] = neg ? 0.0 - r : r;                                     \
            }                                                                 \
            IB_FN(nx_store_##TS)(y + k * sy, sy, t, n);                       \
        }                                                                     \
    }

IB_DEFINE_SOFTPLUS(double, f64)
IB_DEFINE_SOFTPLUS(float, f32)

/* ------------------------------------------------------ binary losses -- */

/* One block of n elements: losses into t, gradients (times gscale) into g
 * (when want_grad). */
static void IB_FN(nx_binary_block)(const ib_binary_params *P, int n,
                                   const double *restrict x,
                                   const double *restrict y,
                                   const double *restrict w,
                                   const double *restrict pw,
                                   double *restrict t, double *restrict g,
                                   int want_grad)
{
    const double gs = P->grad_scale;
    if (P->kind == IB_BIN_PROB) {
        /* -(pw y log p + (1 - y) log(1 - p)), a zero coefficient times an
         * infinite log counting as 0 */
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double p = x[i], yy = y[i];
            double ca = (pw != NULL) ? pw[i] * yy : yy, cb = 1.0 - yy;
            double a = ca * ib_log_f64(p);
            double b = cb * ib_log1p_f64(-p);
            a = (ca == 0.0) ? 0.0 : a;
            b = (cb == 0.0) ? 0.0 : b;
            t[i] = -(a + b);
            double den = p * (1.0 - p);
            double ga = (ca == 0.0) ? 0.0 : -ca / p;
            double gb = (cb == 0.0) ? 0.0 : cb / (1.0 - p);
            double num = (pw != NULL) ? p * (ca + cb) - ca : p - yy;
            g[i] = (den != 0.0) ? num / den : ga + gb;
        }
    } else {
        const int focal = (P->kind == IB_BIN_FOCAL);
        const double gamma = P->gamma, alpha = P->alpha;
        const int use_alpha = focal && (alpha >= 0.0);
        const int gmode = gamma == 2.0 ? 2 : gamma == 1.0 ? 1
                        : gamma == 0.0 ? 0 : 3;
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double xv = x[i], yy = y[i];
            double ax = xv < 0.0 ? -xv : xv;
            double e = ib_exp_f64(-ax);
            double L = ib_log1p_f64(e);
            double spp = (xv > 0.0 ? xv : 0.0) + L;     /* softplus(x)  */
            double spn = (xv < 0.0 ? -xv : 0.0) + L;    /* softplus(-x) */
            double inv = 1.0 / (1.0 + e);
            double s = xv >= 0.0 ? inv : e * inv;        /* sigmoid(x)   */
            double sn = xv >= 0.0 ? e * inv : inv;       /* sigmoid(-x)  */
            double pwv = (pw != NULL) ? pw[i] : 1.0;
            double ca = pwv * yy, cb = 1.0 - yy;
            double la = (ca == 0.0) ? 0.0 : ca * spn;
            double lb = (cb == 0.0) ? 0.0 : cb * spp;
            double ce = la + lb;
            double dce = cb * s - ca * sn;
            if (!focal) {
                t[i] = ce;
                g[i] = dce;
            } else {
                double q = cb * s + yy * sn;             /* 1 - p_t */
                double qg;
                if (gmode == 2)
                    qg = q * q;
                else if (gmode == 1)
                    qg = q;
                else if (gmode == 0)
                    qg = 1.0;
                else
                    qg = ib_exp_f64(gamma * ib_log_f64(q));
                double qg1 = (q > 0.0) ? qg / q : 0.0;
                double ss = s * sn;
                double t2 = ce * gamma * qg1 * (1.0 - 2.0 * yy) * ss;
                t2 = (ss == 0.0) ? 0.0 : t2;
                double at = use_alpha ? alpha * yy + (1.0 - alpha) * cb : 1.0;
                double lq = ce * qg;
                lq = (ce == 0.0) ? 0.0 : lq;
                t[i] = at * lq;
                g[i] = at * (dce * qg + t2);
            }
        }
    }
    if (w != NULL) {
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double wv = w[i];
            t[i] = (wv == 0.0) ? 0.0 : wv * t[i];
            g[i] = (wv == 0.0) ? 0.0 : wv * g[i];
        }
    }
    if (want_grad && gs != 1.0) {
#pragma omp simd
        for (int i = 0; i < n; i++)
            g[i] *= gs;
    }
}

#define IB_DEFINE_BINARY_CHUNK(T, TS)                                         \
    static double IB_FN(nx_binary_chunk_##TS)(                                \
        const ib_binary_params *P, ib_ssize C, ib_ssize f0, ib_ssize f1,      \
        const T *x, const ib_ssize *sx, const T *y, const ib_ssize *sy,       \
        const T *w, const ib_ssize *sw, const T *pw, const ib_ssize *spw,     \
        T *loss, T *grad)                                                     \
    {                                                                         \
        double bx[NXB], by[NXB], bw[NXB], bp[NXB], t[NXB], g[NXB];            \
        double bs[IB_NX_CHUNK_BLOCKS];                                        \
        int nb = 0;                                                           \
        for (ib_ssize f = f0; f < f1; f += NXB) {                             \
            int n = (int)((f1 - f) < NXB ? (f1 - f) : NXB);                   \
            const double *px = IB_FN(nx_gather_##TS)(x, sx, C, f, n, bx);     \
            const double *py = IB_FN(nx_gather_##TS)(y, sy, C, f, n, by);     \
            const double *pww = w ? IB_FN(nx_gather_##TS)(w, sw, C, f, n, bw) \
                                  : NULL;                                     \
            const double *ppw = pw ? IB_FN(nx_gather_##TS)(pw, spw, C, f, n,  \
                                                           bp)                \
                                   : NULL;                                    \
            IB_FN(nx_binary_block)(P, n, px, py, pww, ppw, t, g,              \
                                   grad != NULL);                             \
            if (loss != NULL)                                                 \
                IB_FN(nx_store_##TS)(loss + f, 1, t, n);                      \
            if (grad != NULL)                                                 \
                IB_FN(nx_store_##TS)(grad + f, 1, g, n);                      \
            bs[nb++] = IB_FN(nx_lsum)(t, n);                                  \
        }                                                                     \
        return ib_pairwise_sum(bs, nb);                                       \
    }

IB_DEFINE_BINARY_CHUNK(double, f64)
IB_DEFINE_BINARY_CHUNK(float, f32)

#undef IB_DEFINE_LOAD
#undef IB_DEFINE_LSE_CHUNK
#undef IB_DEFINE_SOFTMAX_ROW
#undef IB_DEFINE_SOFTPLUS
#undef IB_DEFINE_BINARY_CHUNK
#undef NXB
