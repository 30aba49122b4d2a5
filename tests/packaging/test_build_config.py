"""The compiler flags are defined once, in build_config.py: setup.py and the
tools that compile csrc/ on their own take them from there."""
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FLAG = re.compile(r"-fno-math-errno|-fno-trapping-math|-ffp-contract|-fvisibility|-fopenmp-simd")


@pytest.fixture(scope="module")
def build_config():
    if not (ROOT / "build_config.py").exists():
        pytest.skip("not run from a source checkout")
    sys.path.insert(0, str(ROOT))
    try:
        import build_config
    finally:
        sys.path.remove(str(ROOT))
    return build_config


def test_release_and_debug_flags(build_config):
    rel, dbg = build_config.cflags(), build_config.cflags(debug=True)
    assert rel[0] == "-O3" and dbg[0] == "-O0"
    for flags in (rel, dbg):
        assert "-ffp-contract=off" in flags and "-fno-math-errno" in flags
        # never fast-math, an -O level "fast" or a native -march
        assert not [f for f in flags if f in ("-ffast-math", "-Ofast") or f.startswith("-march")]
    assert "-g0" in rel and "-g" in dbg
    assert build_config.cflags(msvc=True) == ["/O2", "/fp:precise"]
    # the command line prints the release flags, for the C tools' compile lines
    out = subprocess.run([sys.executable, str(ROOT / "build_config.py")], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == rel


def test_flags_are_stated_only_in_build_config(build_config):
    # setup.py, .ci/ and tools/ name no flag of their own (the C tools'
    # compile lines call build_config.py), and nothing parses setup.py
    if not (ROOT / "tools" / "ci").is_dir():
        pytest.skip("needs tools/ (the clang and sanitizer builds copy the package and "
                    "its tests only; this skip checks nothing)")
    files = [ROOT / "setup.py"] + sorted((ROOT / ".ci").glob("*")) + sorted((ROOT / "tools").rglob("*"))
    restated = [str(f.relative_to(ROOT)) for f in files
                if f.is_file() and f.suffix in ("", ".py", ".sh", ".c", ".toml")
                and FLAG.search(f.read_text(errors="replace"))]
    assert restated == [], restated
    assert "build_config" in (ROOT / "setup.py").read_text()
    vec = (ROOT / "tools" / "ci" / "check_vectorized.py").read_text()
    assert "build_config" in vec and 'open(os.path.join(ROOT, "setup.py"))' not in vec
