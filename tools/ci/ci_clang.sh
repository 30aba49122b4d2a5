#!/usr/bin/env bash
# Build infobits' compiled core with clang and run the test suite against it.
#
# Usage: bash tools/ci/ci_clang.sh        (from any directory; needs clang and
#        an OpenMP runtime for it: `apt-get install clang libomp-dev` on
#        Debian/Ubuntu, and the test extras: pip install ".[test]")
#
# The sources are copied to a temporary directory and built in place there
# with CC=clang, so this checkout's own (gcc) build is left alone.  Then:
#   1. the x86-64-v3 kernels must really be AVX2 code and the x86-64-v4
#      kernels AVX-512 code: the functions whose names end in _v3 in the
#      kernel objects must use ymm registers in total, those ending in _v4
#      zmm registers, and the baseline (_base) functions neither;
#   2. infobits.simd_path() must report the path the CPU supports;
#   3. the test suite runs against the clang build (python -m pytest).
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
CC="${CC:-clang}"
command -v "$CC" >/dev/null || { echo "ci_clang: $CC not found (apt-get install clang libomp-dev)" >&2; exit 1; }
"$CC" --version | head -1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/setup.py" "$src/build_config.py" "$src/pyproject.toml" "$src/README.md" "$src/CHANGELOG.md" "$src/src" "$src/csrc" "$src/tests" "$work/"
mkdir "$work/docs" && cp "$src"/docs/*.md "$src"/docs/*.py "$src"/docs/*.json "$work/docs/" && cp -r "$src/docs/user" "$work/docs/"
find "$work/src" \( -name '*.so' -o -name '*.c' -o -name '__pycache__' \) -prune -exec rm -rf {} +
cd "$work"
CC="$CC" LDSHARED="$CC -shared" python setup.py build_ext --inplace -q > build.log 2>&1 || { tail -30 build.log; exit 1; }
ls src/infobits/_core*.so >/dev/null

echo "== x86-64-v3 / -v4 code under $CC: ymm / zmm instructions per kernel object"
status=0
for obj in build/temp.*/csrc/ib_reduce.o build/temp.*/csrc/ib_numerics.o build/temp.*/csrc/ib_losses.o; do
    counts=$(objdump -d --no-show-raw-insn "$obj" | awk '
        /^[0-9a-f]+ <[^>]*>:$/ { name = $2; gsub(/[<>:]/, "", name); next }
        /%ymm/ { if (name ~ /_v3($|\.)/) v3++; else if (name ~ /_base($|\.)/) base++ }
        /%zmm/ { if (name ~ /_v4($|\.)/) v4++; else base++ }
        END { printf "%d %d %d", v3 + 0, v4 + 0, base + 0 }')
    read -r v3 v4 base <<<"$counts"
    echo "  $(basename "$obj"): _v3 functions $v3 ymm instructions, _v4 functions $v4 zmm," \
         "others $base wide-register instructions"
    if [ "$v3" -eq 0 ] || [ "$v4" -eq 0 ] || [ "$base" -ne 0 ]; then status=1; fi
done
[ "$status" -eq 0 ] || { echo "ci_clang: the v3 path is not AVX2 code, the v4 path not AVX-512 code (or the baseline is wide)" >&2; exit 1; }

PYTHONPATH="$work/src" python - <<'PY'
import infobits as ib
from infobits import _config
print("infobits", ib.__version__, "SIMD", ib.simd_path(), "available", _config._available_simd_paths())
PY
echo "== test suite against the clang build"
PYTHONPATH="$work/src" python -m pytest -q -p no:cacheprovider "$work/tests"
