/* One instantiation per SIMD path: includes the file named by IB_PATH_BODY
 * once for the baseline target (IB_SFX = _base) and, on x86-64 with GCC or
 * Clang, once under the x86-64-v3 target (IB_SFX = _v3) and once under the
 * x86-64-v4 target (IB_SFX = _v4).  Everything the
 * body defines must be static and named through IB_SFX.  No include guard
 * on purpose: a kernel file includes it once with its own body, e.g.
 *
 *     #define IB_PATH_BODY "ib_losses_path.h"
 *     #include "ib_per_path.h"
 *
 * The caller then picks a variant at run time with IB_PICK(name), which
 * expands to name_v4, name_v3 or name_base according to ib_simd_level(). */
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
