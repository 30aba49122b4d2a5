/* One instantiation per SIMD path: includes the file named by IB_PATH_BODY
 * once for the baseline target (IB_SFX = _base) and, on x86-64 with GCC or
 * Clang, once under the x86-64-v3 target (IB_SFX = _v3) and once under the
 * x86-64-v4 target (IB_SFX = _v4).  Everything the body defines must be
 * static and named through IB_FN(name), which appends the path suffix
 * (name_base, name_v3, name_v4); names that also depend on the element
 * type (ib_per_type.h) are IB_FN(IB_TNAME(name)) (name_f64_v3, ...).  No
 * include guard on purpose: a kernel file includes it once with its own
 * body, e.g.
 *
 *     #define IB_PATH_BODY "ib_ufuncs_path.h"
 *     #include "ib_per_path.h"
 *
 * The caller then picks a variant at run time with IB_PICK(name), which
 * expands to name_v4, name_v3 or name_base according to ib_simd_level().
 *
 * File roles in csrc/ (the suffix says how a header is instantiated):
 *   ib_<k>.c / ib_<k>.h   a kernel's translation unit and exported API;
 *   ib_<k>_path.h         body instantiated once per SIMD path (here; it
 *                         may include a per-type body, or be instantiated
 *                         per element type too, as ib_losses_path.h);
 *   ib_<k>_typed.h        body instantiated per element type inside a
 *                         per-path body (ib_per_type.h, IB_FN(IB_TNAME()));
 *   ib_<k>_entry.h        exported entry points, instantiated per element
 *                         type outside the paths (IB_TNAME());
 *   ib_<k>_terms.h        a table included once (ib_reduce_terms.h);
 *   ib_numerics_vexp.h    a loop included by per-path bodies under the
 *                         name they define (IB_VEXP16_NAME);
 *   ib_per_path.h, ib_per_type.h   the two instantiation headers. */
#ifndef IB_FN
#define IB_FN_CAT2_(a, b) a##b
#define IB_FN_CAT_(a, b) IB_FN_CAT2_(a, b)
#define IB_FN(name) IB_FN_CAT_(name, IB_SFX)
#endif

#ifndef IB_PATH_BODY
#error "define IB_PATH_BODY before including ib_per_path.h"
#endif

#define IB_SFX _base
#include IB_PATH_BODY
#undef IB_SFX

#if IB_HAVE_V3
IB_V3_BEGIN
#define IB_SFX _v3
#include IB_PATH_BODY
#undef IB_SFX
IB_V3_END
IB_V4_BEGIN
#define IB_SFX _v4
#include IB_PATH_BODY
#undef IB_SFX
IB_V4_END
#endif

#undef IB_PATH_BODY

#ifndef IB_PICK
#define IB_PICK_SFX_(name, s) name##s
#if IB_HAVE_V3
#define IB_PICK_X(name) \
    (ib_simd_level() == IB_SIMD_X86_64_V4 ? IB_PICK_SFX_(name, _v4) \
     : ib_simd_level() == IB_SIMD_X86_64_V3 ? IB_PICK_SFX_(name, _v3) \
                                            : IB_PICK_SFX_(name, _base))
#else
#define IB_PICK_X(name) IB_PICK_SFX_(name, _base)
#endif
/* (the extra level expands name first, so IB_PICK(IB_TNAME(f)) works) */
#define IB_PICK(name) IB_PICK_X(name)
#endif
