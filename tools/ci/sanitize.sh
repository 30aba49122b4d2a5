#!/usr/bin/env bash
# Build infobits' compiled core with AddressSanitizer and UndefinedBehavior-
# Sanitizer and run the test suite against it; fails unless the sanitizers
# report nothing.
#
# Usage: bash tools/ci/sanitize.sh [pytest args...]     (gcc, Linux; needs the
#        test extras: pip install ".[test]")
#
# * The sources are copied to a temporary directory and built in place there
#   with INFOBITS_DEBUG=1 (-O0 -g, Cython bounds/wraparound/initialized
#   checks on, assertions on) and -fsanitize=address,undefined
#   -fno-omit-frame-pointer -fno-sanitize=vptr; OpenMP stays on (libgomp
#   works under ASan), so the threaded paths are covered too.  This
#   checkout's own build is left alone.
# * Python itself is not instrumented: libasan is preloaded (LD_PRELOAD) and
#   leak detection is off (detect_leaks=0: the interpreter and its
#   extension modules keep allocations alive until exit by design; the
#   leak test tests/reliability/test_leaks.py measures growth instead).
# * UBSan keeps going after a report (so that every report is counted);
#   ASan stops at its first error.  Reports go to $work/san.*; the script
#   prints the count and every report and exits 1 if there is any.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
CC="${CC:-gcc}"
LIBASAN="$("$CC" -print-file-name=libasan.so)"
[ -e "$LIBASAN" ] || { echo "sanitize: libasan not found for $CC" >&2; exit 1; }

work="$(mktemp -d)"
if [ -z "${SANITIZE_KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "== work directory kept: $work"; fi
cp -r "$src/setup.py" "$src/build_config.py" "$src/pyproject.toml" "$src/README.md" "$src/CHANGELOG.md" "$src/src" "$src/csrc" "$src/tests" "$work/"
mkdir "$work/docs" && cp "$src"/docs/*.md "$src"/docs/*.py "$src"/docs/*.json "$work/docs/" && cp -r "$src/docs/user" "$work/docs/"
find "$work/src" \( -name '*.so' -o -name '*.c' -o -name '__pycache__' \) -prune -exec rm -rf {} +
cd "$work"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize=vptr"
# in CC and LDSHARED (not CFLAGS) so that setup.py's OpenMP link check is
# instrumented consistently too
INFOBITS_DEBUG=1 CC="$CC $SAN" LDSHARED="$CC -shared $SAN" \
    python setup.py build_ext --inplace -q > build.log 2>&1 || { tail -30 build.log; exit 1; }
for so in src/infobits/_*.so; do
    ldd "$so" | grep libasan >/dev/null || { echo "sanitize: $so is not linked against libasan" >&2; exit 1; }
done
echo "== built with $SAN (INFOBITS_DEBUG=1, OpenMP on)"

# libstdc++ preloaded as well: without it ASan's __cxa_throw interceptor
# finds no real __cxa_throw and aborts the first time PyTorch (a test
# reference) throws a C++ exception
LIBSTDCXX="$("$CC" -print-file-name=libstdc++.so)"
export LD_PRELOAD="$LIBASAN $LIBSTDCXX"
export ASAN_OPTIONS="detect_leaks=0:log_path=$work/san:abort_on_error=0:allocator_may_return_null=1:handle_segv=1"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$work/san:halt_on_error=0"
set +e
# Deselected: the leak test (it measures RSS, which ASan's quarantine and
# shadow memory inflate).  (The SIMD-path bitwise test of float32 entropy
# runs again: reductions return the one quiet NaN of math.h for a NaN
# result, so the paths agree at -O0 too.)
PYTHONPATH=src python -m pytest -q -p no:cacheprovider \
    --deselect tests/reliability/test_leaks.py::test_no_growth_over_ten_thousand_calls "$@"
rc=$?
set -e
unset LD_PRELOAD
reports=$(cat "$work"/san.* 2>/dev/null | grep -cE "runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer|CHECK failed" || true)
echo "== sanitizer reports: $reports (pytest exit status $rc)"
if [ "$reports" -ne 0 ]; then
    cat "$work"/san.*
    exit 1
fi
exit "$rc"
