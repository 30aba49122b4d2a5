/* NumPy ufunc inner loops (see ib_ufuncs.c).  Signature of NumPy's
 * PyUFuncGenericFunction with npy_intp spelled ib_ssize (both are the
 * pointer-sized signed integer). */
#ifndef IB_UFUNCS_H
#define IB_UFUNCS_H

#include "ib_common.h"

#define IB_UF_DECL1(NAME)                                                     \
    void ib_uf_##NAME##_d(char **, const ib_ssize *, const ib_ssize *, void *); \
    void ib_uf_##NAME##_f(char **, const ib_ssize *, const ib_ssize *, void *); \
    void ib_uf_##NAME##_bool(char **, const ib_ssize *, const ib_ssize *, void *); \
    void ib_uf_##NAME##_b(char **, const ib_ssize *, const ib_ssize *, void *); \
    void ib_uf_##NAME##_B(char **, const ib_ssize *, const ib_ssize *, void *); \
    void ib_uf_##NAME##_h(char **, const ib_ssize *, const ib_ssize *, void *); \
    void ib_uf_##NAME##_H(char **, const ib_ssize *, const ib_ssize *, void *);

/* log1pexp, log_sigmoid, self-information in nats and in bits: one input,
 * loops d->d, f->f and ?/b/B/h/H->d (small integers and bool to float64,
 * as every infobits function). */
IB_UF_DECL1(log1pexp)
IB_UF_DECL1(log_sigmoid)
IB_UF_DECL1(si_nats)
IB_UF_DECL1(si_bits)

/* pointwise mutual information log(p_xy / (p_x p_y)), nats and bits:
 * loops ddd->d and fff->f. */
void ib_uf_pmi_nats_d(char **, const ib_ssize *, const ib_ssize *, void *);
void ib_uf_pmi_nats_f(char **, const ib_ssize *, const ib_ssize *, void *);
void ib_uf_pmi_bits_d(char **, const ib_ssize *, const ib_ssize *, void *);
void ib_uf_pmi_bits_f(char **, const ib_ssize *, const ib_ssize *, void *);

#endif
