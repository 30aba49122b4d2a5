/* One instantiation per element type: includes the file named by
 * IB_TYPE_BODY once with
 *     IB_T = double, IB_TS = f64, IB_F32 = 0   and once with
 *     IB_T = float,  IB_TS = f32, IB_F32 = 1.
 * Names in the body are built with IB_TNAME(name), the type suffix
 * (name_f64, name_f32); inside a per-path body IB_FN(IB_TNAME(name)) adds
 * the path suffix too (name_f64_base, name_f32_v3, ...; IB_FN:
 * ib_per_path.h).
 * Nests inside ib_per_path.h: a path body may include this file.  No
 * include guard on purpose. */
#ifndef IB_TYPE_BODY
#error "define IB_TYPE_BODY before including ib_per_type.h"
#endif

#ifndef IB_TNAME
#define IB_TCAT2_(a, b) a##_##b
#define IB_TCAT2(a, b) IB_TCAT2_(a, b)
#define IB_TNAME(name) IB_TCAT2(name, IB_TS)
#endif

#define IB_T double
#define IB_TS f64
#define IB_F32 0
#include IB_TYPE_BODY
#undef IB_T
#undef IB_TS
#undef IB_F32

#define IB_T float
#define IB_TS f32
#define IB_F32 1
#include IB_TYPE_BODY
#undef IB_T
#undef IB_TS
#undef IB_F32
