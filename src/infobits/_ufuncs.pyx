# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_numerics.c csrc/ib_ufuncs.c
# distutils: include_dirs = csrc
"""NumPy ufuncs over the compiled vector loops.

``log1pexp``, ``log_sigmoid``, ``self_information_nats``,
``self_information_bits``, ``pmi_nats`` and ``pmi_bits`` are real
:class:`numpy.ufunc` objects (built with ``PyUFunc_FromFuncAndData``, as
``scipy.special`` builds its functions), so they take ``out=``, ``where=``,
``dtype=``, ``casting=``, broadcast their operands and dispatch through
``__array_ufunc__``.  Loops: float64 -> float64, float32 -> float32 (computed
in float64 and rounded once), and bool, int8, uint8, int16, uint16 ->
float64 (the infobits rule that integers give float64; wider integers reach
the float64 loop through NumPy's safe casting, float16 the float32 loop).
The inner loops (csrc/ib_ufuncs.c) handle any strides and follow the
process-wide SIMD path; they never call into Python, so NumPy runs them
without the GIL.  The public, argument-checking spellings are
:func:`infobits.log1pexp`, :func:`infobits.log_sigmoid` and
:func:`infobits.self_information`; each has the raw ufunc as its ``ufunc``
attribute.
"""
cimport numpy as cnp

cnp.import_array()
cnp.import_ufunc()

include "_dispatch.pxi"

cdef extern from "ib_ufuncs.h":
    void ib_uf_log1pexp_d(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log1pexp_f(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log1pexp_bool(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log1pexp_b(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log1pexp_B(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log1pexp_h(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log1pexp_H(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_d(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_f(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_bool(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_b(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_B(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_h(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_log_sigmoid_H(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_d(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_f(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_bool(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_b(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_B(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_h(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_nats_H(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_d(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_f(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_bool(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_b(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_B(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_h(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_si_bits_H(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_pmi_nats_d(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_pmi_nats_f(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_pmi_bits_d(char **, const ib_ssize *, const ib_ssize *, void *)
    void ib_uf_pmi_bits_f(char **, const ib_ssize *, const ib_ssize *, void *)

ctypedef cnp.PyUFuncGenericFunction _Loop

# One-input loops, in NumPy's search order: bool and the small integers
# first (to float64, not float32), then float32, then float64.
DEF N1 = 7
cdef char _TYPES1[2 * N1]
_TYPES1[:] = [cnp.NPY_BOOL, cnp.NPY_DOUBLE, cnp.NPY_BYTE, cnp.NPY_DOUBLE,
              cnp.NPY_UBYTE, cnp.NPY_DOUBLE, cnp.NPY_SHORT, cnp.NPY_DOUBLE,
              cnp.NPY_USHORT, cnp.NPY_DOUBLE, cnp.NPY_FLOAT, cnp.NPY_FLOAT,
              cnp.NPY_DOUBLE, cnp.NPY_DOUBLE]
cdef void *_DATA1[N1]
_DATA1[:] = [NULL, NULL, NULL, NULL, NULL, NULL, NULL]

cdef _Loop _SOFTPLUS[N1]
_SOFTPLUS[:] = [<_Loop>ib_uf_log1pexp_bool, <_Loop>ib_uf_log1pexp_b,
                <_Loop>ib_uf_log1pexp_B, <_Loop>ib_uf_log1pexp_h,
                <_Loop>ib_uf_log1pexp_H, <_Loop>ib_uf_log1pexp_f,
                <_Loop>ib_uf_log1pexp_d]
cdef _Loop _LOGSIG[N1]
_LOGSIG[:] = [<_Loop>ib_uf_log_sigmoid_bool, <_Loop>ib_uf_log_sigmoid_b,
              <_Loop>ib_uf_log_sigmoid_B, <_Loop>ib_uf_log_sigmoid_h,
              <_Loop>ib_uf_log_sigmoid_H, <_Loop>ib_uf_log_sigmoid_f,
              <_Loop>ib_uf_log_sigmoid_d]
cdef _Loop _SI_NATS[N1]
_SI_NATS[:] = [<_Loop>ib_uf_si_nats_bool, <_Loop>ib_uf_si_nats_b,
               <_Loop>ib_uf_si_nats_B, <_Loop>ib_uf_si_nats_h,
               <_Loop>ib_uf_si_nats_H, <_Loop>ib_uf_si_nats_f,
               <_Loop>ib_uf_si_nats_d]
cdef _Loop _SI_BITS[N1]
_SI_BITS[:] = [<_Loop>ib_uf_si_bits_bool, <_Loop>ib_uf_si_bits_b,
               <_Loop>ib_uf_si_bits_B, <_Loop>ib_uf_si_bits_h,
               <_Loop>ib_uf_si_bits_H, <_Loop>ib_uf_si_bits_f,
               <_Loop>ib_uf_si_bits_d]

# Three-input loops (PMI): float32 and float64; anything else is cast by
# NumPy to one of these (integers to float64).
cdef char _TYPES3[8]
_TYPES3[:] = [cnp.NPY_FLOAT, cnp.NPY_FLOAT, cnp.NPY_FLOAT, cnp.NPY_FLOAT,
              cnp.NPY_DOUBLE, cnp.NPY_DOUBLE, cnp.NPY_DOUBLE, cnp.NPY_DOUBLE]
cdef void *_DATA3[2]
_DATA3[:] = [NULL, NULL]
cdef _Loop _PMI_NATS[2]
_PMI_NATS[:] = [<_Loop>ib_uf_pmi_nats_f, <_Loop>ib_uf_pmi_nats_d]
cdef _Loop _PMI_BITS[2]
_PMI_BITS[:] = [<_Loop>ib_uf_pmi_bits_f, <_Loop>ib_uf_pmi_bits_d]

# Names and docstrings must outlive the ufuncs: module-level bytes.
_TEXT = {
    "log1pexp": (b"log1pexp",
                 b"log1pexp(x, /, out=None, *, where=True, casting='same_kind', "
                 b"order='K', dtype=None, subok=True)\n\n"
                 b"Softplus log(1 + exp(x)) as a NumPy ufunc (no argument checks; "
                 b"see infobits.log1pexp)."),
    "log_sigmoid": (b"log_sigmoid",
                    b"log_sigmoid(x, /, out=None, *, where=True, casting='same_kind', "
                    b"order='K', dtype=None, subok=True)\n\n"
                    b"Log of the logistic sigmoid, -log1pexp(-x), as a NumPy ufunc "
                    b"(no argument checks; see infobits.log_sigmoid)."),
    "self_information_nats": (
        b"self_information_nats",
        b"self_information_nats(p, /, out=None, *, where=True, casting='same_kind', "
        b"order='K', dtype=None, subok=True)\n\n"
        b"Self-information 0 - log(p) in nats as a NumPy ufunc."),
    "self_information_bits": (
        b"self_information_bits",
        b"self_information_bits(p, /, out=None, *, where=True, casting='same_kind', "
        b"order='K', dtype=None, subok=True)\n\n"
        b"Self-information 0 - log2(p) in bits as a NumPy ufunc (exact "
        b"integers at powers of two)."),
    "pmi_nats": (b"pmi_nats",
                 b"pmi_nats(p_xy, p_x, p_y, /, out=None, *, where=True, ...)\n\n"
                 b"Pointwise mutual information log(p_xy / (p_x p_y)) in nats as a "
                 b"NumPy ufunc, without forming p_x p_y (right where it would "
                 b"underflow or overflow)."),
    "pmi_bits": (b"pmi_bits",
                 b"pmi_bits(p_xy, p_x, p_y, /, out=None, *, where=True, ...)\n\n"
                 b"Pointwise mutual information log2(p_xy / (p_x p_y)) in bits as a "
                 b"NumPy ufunc."),
}


cdef object _make(_Loop *funcs, void **data, char *types, int ntypes, int nin,
                  str key):
    name, doc = _TEXT[key]
    return cnp.PyUFunc_FromFuncAndData(funcs, data, types, ntypes, nin, 1,
                                       cnp.PyUFunc_None, name, doc, 0)


log1pexp = _make(_SOFTPLUS, _DATA1, _TYPES1, N1, 1, "log1pexp")
log_sigmoid = _make(_LOGSIG, _DATA1, _TYPES1, N1, 1, "log_sigmoid")
self_information_nats = _make(_SI_NATS, _DATA1, _TYPES1, N1, 1, "self_information_nats")
self_information_bits = _make(_SI_BITS, _DATA1, _TYPES1, N1, 1, "self_information_bits")
pmi_nats = _make(_PMI_NATS, _DATA3, _TYPES3, 2, 3, "pmi_nats")
pmi_bits = _make(_PMI_BITS, _DATA3, _TYPES3, 2, 3, "pmi_bits")
