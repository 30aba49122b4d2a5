#!/usr/bin/env bash
# Run the test suite against the oldest versions pyproject.toml declares.
#
# Usage: bash tools/ci/test_min_deps.sh     (from any directory; needs network
#        access to the package index, ~3 minutes)
#
# A fresh virtual environment gets the floor of every runtime and test
# dependency (FLOORS below; keep them equal to the ">=" bounds in
# pyproject.toml), then infobits itself without upgrading anything
# (`pip install --no-deps`; the build runs in its own isolated environment, as
# for any user), and the suite runs from outside the source tree, so it
# imports the installed package.  The installed versions are printed first.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
PY="${PYTHON:-python3}"

# runtime: numpy>=2.0; test extra: the floors that work with NumPy 2.0
FLOORS=(
    "numpy==2.0.0"
    "scipy==1.17.0"
    "mpmath==1.3.0"
    "threadpoolctl==3.3.0"
    "matplotlib==3.8.4"
    "pytest==7.4.0"
    "pytest-benchmark==4.0.0"
    "build==1.0.0"
    "scikit-learn==1.5.0"
    "pandas==2.2.2"
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$PY" -m venv "$work/venv"
# shellcheck disable=SC1091
. "$work/venv/bin/activate"
python -m pip install -q --upgrade pip
python -m pip install -q "${FLOORS[@]}"
python -m pip install -q --no-deps "$src"
python -m pip check
python - <<'PY'
import importlib.metadata as md
for name in ["numpy", "scipy", "mpmath", "threadpoolctl", "matplotlib", "pytest",
             "pytest-benchmark", "scikit-learn", "pandas", "infobits"]:
    print(f"  {name} {md.version(name)}")
PY
cp -r "$src/tests" "$work/tests"
cd "$work"
python -m pytest -q -p no:cacheprovider -m "not bench and not wheel and not reliability and not large and not peers" \
    -W ignore::pytest.PytestUnknownMarkWarning tests/ --ignore=tests/packaging/test_wheel.py
