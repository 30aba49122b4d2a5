# Shared by every extension module: SIMD-path and thread hooks.
#
# Each module links its own copy of csrc/ib_dispatch.c and csrc/ib_engine.c,
# but the state (SIMD path, thread setting, the engine's worker pool) is one
# per process: infobits._core exports the address of its state in the
# PyCapsule ``_core._dispatch_state`` and every other module binds to it
# when it is imported (the block at the end of this file), as NumPy's C-API
# table is shared.  A new compiled module gets this with its one line
# ``include "_dispatch.pxi"`` (plus ``csrc/ib_dispatch.c`` in its sources
# header and its name in infobits._config._MODULES).
from cpython.pycapsule cimport PyCapsule_New, PyCapsule_GetPointer

cdef extern from "ib_common.h" nogil:
    ctypedef Py_ssize_t ib_ssize
    int IB_OK, IB_EINVAL, IB_ENOMEM, IB_EINDEX, IB_EDOMAIN
    int IB_SIMD_BASELINE, IB_SIMD_X86_64_V3, IB_SIMD_X86_64_V4, IB_SIMD_NLEVELS
    int ib_simd_level()
    int ib_simd_available(int level)
    int ib_set_simd_level(int level)
    const char *ib_simd_name(int level)
    int ib_max_threads()
    void ib_set_max_threads(int n)
    int ib_openmp_enabled()
    ctypedef struct ib_state:
        pass
    ib_state *ib_state_own()
    void ib_state_bind(ib_state *shared)

cdef extern from "ib_engine.h" nogil:
    void ib_engine_set_adapt(int on)
    int ib_engine_get_adapt()


def _simd_levels():
    """Names of the SIMD paths this CPU can run, baseline first."""
    return [ib_simd_name(i).decode() for i in range(IB_SIMD_NLEVELS)
            if ib_simd_available(i)]


def _get_simd_level():
    """Name of the SIMD path in use."""
    return ib_simd_name(ib_simd_level()).decode()


def _set_simd_level(name):
    """Select the SIMD path by name; RuntimeError if the CPU lacks it."""
    for i in range(IB_SIMD_NLEVELS):
        if ib_simd_name(i).decode() == name:
            if ib_set_simd_level(i) != 0:
                raise RuntimeError(f"SIMD path {name!r} is not available on this CPU")
            return
    raise ValueError(f"unknown SIMD path {name!r}")


def _openmp_enabled():
    """True if this module was compiled and linked with OpenMP."""
    return bool(ib_openmp_enabled())


def _set_num_threads(int n):
    """Set the process-wide thread count of the compiled kernels (n >= 1)."""
    ib_set_max_threads(n)


def _max_threads():
    """The process-wide thread count of the compiled kernels."""
    return ib_max_threads()


def _set_adapt(bint on):
    """Cap each call's threads at the idle CPUs (True) or not (False)."""
    ib_engine_set_adapt(on)


def _get_adapt():
    """Whether each call's threads are capped at the idle CPUs."""
    return bool(ib_engine_get_adapt())


cdef inline int _raise_status(int status) except -1:
    if status == IB_ENOMEM:
        raise MemoryError("infobits kernel could not allocate scratch memory")
    if status != IB_OK:
        raise RuntimeError(f"infobits kernel failed with status {status}")
    return 0


cdef const char *_DISPATCH_CAPSULE = b"infobits._core._dispatch_state"

if __name__ == "infobits._core":
    _dispatch_state = PyCapsule_New(<void *>ib_state_own(), _DISPATCH_CAPSULE, NULL)
    from infobits._config import _default_adapt, _default_num_threads
    ib_set_max_threads(_default_num_threads())
    ib_engine_set_adapt(_default_adapt())
    del _default_adapt, _default_num_threads
else:
    from infobits._core import _dispatch_state as _shared_state
    ib_state_bind(<ib_state *>PyCapsule_GetPointer(_shared_state, _DISPATCH_CAPSULE))
    del _shared_state
