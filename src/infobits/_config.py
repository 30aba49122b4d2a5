"""Thread count and SIMD-path control shared by all compiled modules.

The thread count is one setting for the whole process (a C global that
every compiled kernel reads, whichever Python thread calls it), set at
import to the CPUs the process may use, by :func:`set_num_threads`, and by
threadpoolctl's ``threadpool_limits`` through the controller registered
below.
"""
from __future__ import annotations

import importlib
import math
import operator
import os
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
    """Set the number of threads the compiled kernels may use.

    The setting holds for the whole process: every Python thread (a
    ``ThreadPoolExecutor``'s, a Dask worker's) sees it.  threadpoolctl's
    ``threadpool_limits(n)`` sets the same value.  Results do not depend on
    it (they are bitwise identical for any thread count).

    Parameters
    ----------
    n : int
        A positive thread count.  The default is the number of CPUs the
        process may use (its CPU affinity and cgroup CPU quota), or
        ``OMP_NUM_THREADS`` if that is set.

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

    _core._set_num_threads(min(n, 2**31 - 1))


def get_num_threads() -> int:
    """Return the number of threads the compiled kernels may use.

    The value is the same in every thread of the process (see
    :func:`set_num_threads`).

    Examples
    --------
    >>> import infobits as ib
    >>> ib.get_num_threads() >= 1
    True
    """
    from . import _core

    return int(_core._max_threads())


def _cgroup_cpu_limit(proc: str = "/proc/self/cgroup",
                      root: str = "/sys/fs/cgroup") -> int | None:
    """CPUs the process's cgroup quota allows (rounded up), or None if unlimited.

    The smallest limit of the process's cgroup and its ancestors, cgroup v2
    (``cpu.max``: ``quota period`` or ``max period``) or v1
    (``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``, -1 for none).
    """
    try:
        with open(proc) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    dirs: list[str] = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        ctrl, path = parts[1], parts[2].strip("/")
        if ctrl == "":                                   # v2
            base = [root]
        elif "cpu" in ctrl.split(","):                   # v1
            base = [os.path.join(root, ctrl), os.path.join(root, "cpu")]
        else:
            continue
        for b in base:
            segs = [p for p in path.split("/") if p]
            for k in range(len(segs), -1, -1):
                dirs.append(os.path.join(b, *segs[:k]))
    best: int | None = None
    for d in dict.fromkeys(dirs):
        lim = _read_cpu_limit(d)
        if lim is not None and (best is None or lim < best):
            best = lim
    return best


def _read_cpu_limit(d: str) -> int | None:
    try:
        with open(os.path.join(d, "cpu.max")) as f:
            q, _, p = f.read().strip().partition(" ")
        quota, period = q, p or "100000"
    except OSError:
        try:
            with open(os.path.join(d, "cpu.cfs_quota_us")) as f:
                quota = f.read().strip()
            with open(os.path.join(d, "cpu.cfs_period_us")) as f:
                period = f.read().strip()
        except OSError:
            return None
    try:
        qv, pv = int(quota), int(period)
    except ValueError:                                   # "max": no quota
        return None
    if qv <= 0 or pv <= 0:
        return None
    return max(1, math.ceil(qv / pv))


def _available_cpus() -> int:
    """CPUs the process may use: its affinity mask, capped by a cgroup quota."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):                    # not Linux
        n = os.cpu_count() or 1
    lim = _cgroup_cpu_limit()
    if lim is not None:
        n = min(n, lim)
    return max(1, n)


def _default_num_threads() -> int:
    """The thread count at import: ``OMP_NUM_THREADS`` (its first number)
    if set, else the CPUs the process may use."""
    env = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return _available_cpus()


def _default_adapt() -> bool:
    """Whether calls cap their threads at the idle CPUs: yes unless the
    environment sets ``INFOBITS_ADAPTIVE_THREADS=0``."""
    return os.environ.get("INFOBITS_ADAPTIVE_THREADS", "1").strip() not in ("0", "")


def _set_adaptive_threads(on: bool) -> None:
    """Cap each call's threads at the CPUs that other runnable threads leave
    idle (True, the default) or use the setting as is (False; tests that
    must run several threads on a loaded machine)."""
    from . import _core

    _core._set_adapt(bool(on))


def _adaptive_threads() -> bool:
    from . import _core

    return bool(_core._get_adapt())


def _register_threadpoolctl() -> bool:
    """Let threadpoolctl see and limit infobits' threads (the process-wide
    setting), if threadpoolctl is installed; True if registered."""
    try:
        import threadpoolctl  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return False
    if not hasattr(threadpoolctl, "register") or getattr(threadpoolctl, "_infobits", False):
        return False
    try:   # before 3.3 threadpoolctl ignores check_symbols and would take any
        # "_core*.so" (SciPy has several) for infobits'
        if tuple(int(v) for v in threadpoolctl.__version__.split(".")[:2]) < (3, 3):
            return False
    except ValueError:
        pass

    class InfobitsController(threadpoolctl.LibController):  # type: ignore[misc, unused-ignore]
        """threadpoolctl controller of infobits' compiled kernels."""

        user_api = "openmp"
        internal_api = "infobits"
        filename_prefixes = ("_core",)
        check_symbols = ("infobits_get_num_threads", "infobits_set_num_threads")

        def get_num_threads(self) -> int:
            return int(self.dynlib.infobits_get_num_threads())

        def set_num_threads(self, num_threads: int) -> None:
            self.dynlib.infobits_set_num_threads(int(num_threads))

        def get_version(self) -> str:
            from . import __version__

            return __version__

    threadpoolctl.register(InfobitsController)
    threadpoolctl._infobits = True
    return True


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


_register_threadpoolctl()


#: every name ``INFOBITS_SIMD`` may take (csrc/ib_dispatch.c, ib_simd_name)
_SIMD_NAMES: tuple[str, ...] = ("baseline", "x86-64-v3", "x86-64-v4")


def _check_simd_env() -> None:
    """Warn at import when ``INFOBITS_SIMD`` names no path, or one this CPU
    cannot run (the compiled dispatch then uses the best path it can)."""
    import warnings

    env = os.environ.get("INFOBITS_SIMD")
    if not env:
        return
    if env not in _SIMD_NAMES:
        warnings.warn(f"INFOBITS_SIMD={env!r} is not a SIMD path: the valid values are "
                      f"{', '.join(_SIMD_NAMES)}; using {simd_path()}",
                      RuntimeWarning, stacklevel=3)
    elif env not in _available_simd_paths():
        warnings.warn(f"INFOBITS_SIMD={env!r}: this CPU cannot run that path (it can run "
                      f"{', '.join(_available_simd_paths())}); using {simd_path()}",
                      RuntimeWarning, stacklevel=3)


_check_simd_env()
