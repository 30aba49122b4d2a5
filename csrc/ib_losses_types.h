/* The loss kernels for both element types of one SIMD path: included by
 * ib_losses.c once per path with IB_SFX defined (_base, _v3); no include
 * guard on purpose. */
#define IB_T double
#define IB_TS f64
#define IB_F32 0
#include "ib_losses_impl.h"
#undef IB_T
#undef IB_TS
#undef IB_F32

#define IB_T float
#define IB_TS f32
#define IB_F32 1
#include "ib_losses_impl.h"
#undef IB_T
#undef IB_TS
#undef IB_F32
