"""Thread count and SIMD-path control shared by all compiled modules."""
from __future__ import annotations

import importlib
import operator
from typing import Any

_MODULES: tuple[str, ...] = ("_core", "_numerics", "_losses", "_knn", "_estimate", "_ufuncs")


def _compiled_modules() -> Any:
    mods = []
    for name in _MODULES:
        try:
            mods.append(importlib.import_module(f"infobits.{name}"))
        except ImportError:  # a module not built yet in a partial checkout
            if name == "_core":
                raise
    return mods


def _register(name: str) -> None:
    """Add a compiled module (by its short name) to the ones kept in step."""
    global _MODULES
    if name not in _MODULES:
        _MODULES = _MODULES + (name,)


def set_num_threads(n: int) -> None:
    """Set the number of OpenMP threads the compiled kernels may use.

    Parameters
    ----------
    n : int
        A positive thread count.  This sets OpenMP's ``omp_set_num_threads``
        for the calling thread, the same knob threadpoolctl's
        ``threadpool_limits`` turns.  Results do not depend on it (reductions
        are bitwise identical for any thread count).

    Examples
    --------
    >>> import infobits as ib
    >>> old = ib.get_num_threads()
    >>> ib.set_num_threads(1)
    >>> ib.get_num_threads()
    1
    >>> ib.set_num_threads(old)
    """
    if isinstance(n, bool):
        raise TypeError("n must be a positive int")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"n must be a positive int; got {n!r}") from None
    if n < 1:
        raise ValueError(f"n must be a positive int; got {n}")
    from . import _core

    _core._set_num_threads(n)


def get_num_threads() -> int:
    """Return the number of threads the compiled kernels may use.

    Examples
    --------
    >>> import infobits as ib
    >>> ib.get_num_threads() >= 1
    True
    """
    from . import _core

    return _core._max_threads()


def simd_path() -> str:
    """Name of the SIMD path in use: ``"x86-64-v4"`` (AVX-512), ``"x86-64-v3"``
    (AVX2+FMA) or ``"baseline"``.

    The best path the CPU supports is chosen at import.  Set the environment
    variable ``INFOBITS_SIMD`` to ``baseline`` or ``x86-64-v3`` before import
    to use a lower one.  Every path gives bitwise the same results.

    Examples
    --------
    >>> import infobits as ib
    >>> ib.simd_path() in ("baseline", "x86-64-v3", "x86-64-v4")
    True
    """
    from . import _core

    return _core._get_simd_level()


def _set_simd_path(name: str) -> None:
    """Switch every compiled module to SIMD path *name* (for tests).

    The path is one state per process, owned by ``_core`` (the other modules
    bind to it at import, see ``_dispatch.pxi``), so setting it there sets
    it for all of them.
    """
    from . import _core

    _core._set_simd_level(name)


def _available_simd_paths() -> Any:
    """SIMD paths this CPU can run (names)."""
    from . import _core

    return _core._simd_levels()


def _openmp_enabled() -> bool:
    """True if every compiled module was built with OpenMP."""
    return all(m._openmp_enabled() for m in _compiled_modules())
