"""Build script for infobits' compiled core.

Every ``src/infobits/_*.pyx`` becomes an extension module ``infobits._*``.
A module names the C files it needs from ``csrc/`` in its own
``# distutils: sources = ...`` header.  Compiler flags are defined once in
``build_config.py`` (beside this file; the tools read them there too),
Cython directives here.

Environment switches
--------------------
INFOBITS_DEBUG=1    bounds checks and assertions on, -O0 -g (debug info kept).
                    Without it the extensions carry no debug info: -g0
                    overrides the -g in Python's own CFLAGS, and on Linux
                    the linker strips the symbol table (-s).
INFOBITS_PROFILE=1  the release build (-O3) with its symbol table kept, so
                    that perf names the kernels (tools/microbench/profile_rows.py).
INFOBITS_OPENMP=0   build without OpenMP (single-threaded kernels).  With the
                    default (1) the build fails if OpenMP cannot be linked.
LIBOMP_PREFIX       macOS only: where libomp is installed (default: the
                    Homebrew prefixes /opt/homebrew/opt/libomp and
                    /usr/local/opt/libomp).
CC=clang            builds with clang (tools/ci/ci_clang.sh); the x86-64-v3
                    path is compiled through ib_common.h's IB_V3_BEGIN/END.
"""
import os
import sys
import tempfile
import textwrap
from glob import glob

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# the compiler flags, defined once in build_config.py beside this file
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_config  # noqa: E402

DEBUG = os.environ.get("INFOBITS_DEBUG", "0") not in ("", "0")
OPENMP = os.environ.get("INFOBITS_OPENMP", "1") not in ("", "0")
PROFILE = os.environ.get("INFOBITS_PROFILE", "0") not in ("", "0")
MSVC = sys.platform == "win32"

CFLAGS = build_config.cflags(debug=DEBUG, msvc=MSVC)
if MSVC:
    OMP_CFLAGS, OMP_LDFLAGS = ["/openmp:llvm"], []
elif sys.platform == "darwin":
    # Apple clang: OpenMP through the preprocessor plus libomp (Homebrew).
    prefix = os.environ.get("LIBOMP_PREFIX") or next(
        (p for p in ("/opt/homebrew/opt/libomp", "/usr/local/opt/libomp")
         if os.path.isdir(p)), "")
    OMP_CFLAGS = ["-Xpreprocessor", "-fopenmp"] + ([f"-I{prefix}/include"] if prefix else [])
    OMP_LDFLAGS = ([f"-L{prefix}/lib"] if prefix else []) + ["-lomp"]
else:
    OMP_CFLAGS, OMP_LDFLAGS = ["-fopenmp"], ["-fopenmp"]
# -s: strip the symbol table at link time (GNU ld / lld; Apple's ld has no -s).
LDFLAGS = ["-s"] if not (DEBUG or PROFILE) and sys.platform.startswith("linux") else []

DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "initializedcheck": DEBUG,
    "cdivision": not DEBUG,
    "embedsignature": True,
}

OMP_TEST = textwrap.dedent(
    """
    #include <omp.h>
    int main(void) {
        int n = 0;
    #pragma omp parallel reduction(+:n)
        n += 1;
        return omp_get_max_threads() > 0 && n > 0 ? 0 : 1;
    }
    """
)


class BuildExt(build_ext):
    """build_ext that checks OpenMP links before building anything."""

    def build_extensions(self):
        if OPENMP and not MSVC:
            self._check_openmp()
        super().build_extensions()

    def _check_openmp(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "omp_check.c")
            with open(src, "w") as f:
                f.write(OMP_TEST)
            try:
                objs = self.compiler.compile([src], output_dir=tmp,
                                             extra_postargs=OMP_CFLAGS)
                self.compiler.link_executable(objs, "omp_check", output_dir=tmp,
                                              extra_postargs=OMP_LDFLAGS)
            except Exception as exc:  # noqa: BLE001 - report any failure
                raise RuntimeError(
                    "OpenMP was requested but a test program could not be "
                    "compiled and linked with it; install an OpenMP runtime "
                    "(libgomp / libomp) or build with INFOBITS_OPENMP=0"
                ) from exc


def extensions():
    cflags = CFLAGS + (OMP_CFLAGS if OPENMP else [])
    ldflags = LDFLAGS + (OMP_LDFLAGS if OPENMP else [])
    exts = []
    for pyx in sorted(glob(os.path.join("src", "infobits", "_*.pyx"))):
        name = "infobits." + os.path.splitext(os.path.basename(pyx))[0]
        exts.append(
            Extension(
                name,
                [pyx],
                include_dirs=["csrc", np.get_include()],
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")],
                extra_compile_args=cflags,
                extra_link_args=ldflags,
                depends=sorted(glob(os.path.join("csrc", "*.[ch]"))),
            )
        )
    return cythonize(
        exts,
        compiler_directives=DIRECTIVES,
        build_dir=os.path.join("build", "cython"),
        include_path=[os.path.join("src", "infobits")],
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt})
