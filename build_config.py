"""The compiler flags of infobits' compiled core, defined once.

``setup.py`` builds the extensions with these flags; the tools that compile
``csrc/`` on their own (``tools/ci/check_vectorized.py``, the C programs in
``tools/ci/`` and ``tools/microbench/``, whose headers call this file) take
them from here too.  Never fast-math, an -O level "fast" or a native -march:
they break NaN checks and compensated sums, and make wheels unportable.
``-ffp-contract=off`` keeps the baseline and x86-64-v3 paths bitwise
identical.

Command line (for shell scripts and the C tools' compile lines)::

    python build_config.py            # the release flags of a GCC/clang build
    python build_config.py --debug    # INFOBITS_DEBUG=1's flags
"""
from __future__ import annotations

import sys

# GCC and clang (Linux, macOS): optimisation level first, then the flags that
# every build carries.
OPT_RELEASE = "-O3"
OPT_DEBUG = "-O0"
COMMON_CFLAGS = [
    "-fno-math-errno",
    "-fno-trapping-math",
    "-ffp-contract=off",
    "-fopenmp-simd",
    "-fvisibility=hidden",
    "-std=gnu11",
    "-Wno-unused-function",
]
# Python's CFLAGS carry -g (debug info is ~5/6 of an extension's size);
# extra_compile_args come after them, so -g0 wins.
DEBUG_INFO = ["-g", "-UNDEBUG"]
NO_DEBUG_INFO = ["-g0"]

# MSVC (Windows).
MSVC_CFLAGS = ["/O2", "/fp:precise"]


def cflags(debug: bool = False, msvc: bool = False) -> list[str]:
    """The compile flags of the extensions (without OpenMP's)."""
    if msvc:
        return list(MSVC_CFLAGS)
    return ([OPT_DEBUG if debug else OPT_RELEASE] + COMMON_CFLAGS
            + (DEBUG_INFO if debug else NO_DEBUG_INFO))


def kernel_cflags() -> list[str]:
    """The flags that decide the kernels' code (release optimisation level and
    the floating-point switches): what a standalone C tool compiling
    ``csrc/`` must pass to see the code the extensions run."""
    return [OPT_RELEASE] + COMMON_CFLAGS


if __name__ == "__main__":
    print(" ".join(cflags(debug="--debug" in sys.argv[1:])))
