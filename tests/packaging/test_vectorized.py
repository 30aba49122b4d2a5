"""The hot loops of the compiled kernels still vectorise (gcc's report).

Runs tools/ci/check_vectorized.py, which compiles csrc/ with setup.py's flags
and -fopt-info-vec-optimized.  Skipped, with the reason, where gcc or an
x86-64 CPU is missing: a skip here checks nothing and is not a pass.
"""
import importlib.util
import pathlib
import platform
import shutil

import pytest

TOOL = pathlib.Path(__file__).resolve().parents[2] / "tools" / "ci" / "check_vectorized.py"

pytestmark = [
    pytest.mark.skipif(shutil.which("gcc") is None,
                       reason="gcc not found: the vectorisation report needs gcc "
                              "(this skip checks nothing)"),
    pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"),
                       reason="the check is for the x86-64-v3 and -v4 paths "
                              "(this skip checks nothing)"),
    pytest.mark.skipif(not (TOOL.exists() and (TOOL.parents[2] / "csrc").is_dir()),
                       reason="needs a source checkout (tools/ and csrc/); the "
                              "installed-wheel run has neither (this skip checks nothing)"),
]


def _tool():
    spec = importlib.util.spec_from_file_location("check_vectorized", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_hot_loops_vectorise():
    failures = _tool().check()
    assert failures == [], "\n".join(failures)


def test_check_reports_a_scalar_function():
    # the checker itself can fail: ib_lse_finish is scalar code (branches,
    # one value), so no loop of it vectorises; a missing name is reported too
    tool = _tool()
    failures = tool.check(hot_loops={
        "ib_numerics.c": {"ib_numerics.c": ["ib_lse_finish", "nx_no_such_fn"]}})
    assert any("ib_lse_finish: 0 loop(s) vectorized" in f for f in failures)
    assert any("nx_no_such_fn: definition not found" in f for f in failures)


def test_exp16_v4_block_permutes_its_table():
    # the x86-64-v4 copy of the exp16 block loop (ib_numerics_vexp.h) looks
    # its two 16-entry tables up with in-register permutes, no gathers
    import re
    import subprocess
    import tempfile
    tool = _tool()
    root = TOOL.parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "n.s"
        subprocess.run(["gcc"] + tool.compile_flags() + ["-S", str(root / "csrc" / "ib_numerics.c"),
                                                         "-o", str(out)],
                       check=True, capture_output=True, cwd=root)
        asm = out.read_text()

    def body(name):
        m = re.search(rf"^{name}:\n(.*?)\.size\s+{name},", asm, re.S | re.M)
        assert m, f"{name} not found in the assembly"
        return m.group(1)

    v4 = body("nx_vexp16_v4")
    assert len(re.findall(r"\bvperm[it]2[qp]d?\b", v4)) >= 2 and "gather" not in v4
