"""The built wheel, installed into a fresh virtual environment, passes the suite.

Opt-in (``python -m pytest -m wheel``; .ci/run runs it as its own step): it
builds the sdist and from it the wheel (``python -m build``, as a release
would, so a file missing from MANIFEST.in fails the build), checks the
wheel's contents, installs it with its ``test`` extra into a new venv, and
runs a copy of tests/ from a directory outside the source tree, so that the
package is imported from the venv and a file missing from the wheel fails.
Takes a few minutes (build ~1 min, installs, suite ~30 s).
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.wheel


# children must not see this process's import path (e.g. PYTHONPATH=src, which
# would also make pip think infobits is already installed)
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_TARGET", "PIP_PREFIX",
                          "INFOBITS_DEBUG", "CC", "CFLAGS", "LDFLAGS")}


def _run(cmd, **kw):
    kw.setdefault("env", CLEAN_ENV)
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{cmd} failed ({r.returncode}):\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    return r


def _elf_has_debug_info(data: bytes) -> bool:
    """True if an ELF image has a .debug_info section (64-bit little-endian)."""
    import struct

    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    def section(i):
        return struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
    str_off = section(shstrndx)[4]
    names = []
    for i in range(shnum):
        name_off = section(i)[0]
        end = data.index(b"\0", str_off + name_off)
        names.append(data[str_off + name_off:end].decode())
    return ".debug_info" in names


def test_wheel_installs_and_passes_the_suite(tmp_path):
    if not (ROOT / "setup.py").exists():
        pytest.fail("run from a source checkout")
    try:
        import build  # noqa: F401
    except ImportError:
        pytest.fail("the wheel test needs the 'build' package (pip install build)")
    dist = tmp_path / "dist"
    out = _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])
    log = out.stdout + out.stderr
    # MANIFEST.in has no pattern that matches nothing (each would warn here)
    assert "no files found matching" not in log and "no previously-included" not in log, [
        ln for ln in log.splitlines() if "matching" in ln]
    sdists = list(dist.glob("infobits-*.tar.gz"))
    assert len(sdists) == 1, sdists
    with tarfile.open(sdists[0]) as t:
        top = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"LICENSE", "build_config.py", "setup.py", "examples/plot_ksg_gaussian.py"} <= top, sorted(top)
    wheels = list(dist.glob("infobits-*.whl"))
    assert len(wheels) == 1, wheels
    wheel = wheels[0]

    # contents: stubs and py.typed ship; sources and generated C do not
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        for needed in ("infobits/py.typed", "infobits/_core.pyi", "infobits/_numerics.pyi",
                       "infobits/_losses.pyi", "infobits/cli.py", "infobits/estimate/__init__.py"):
            assert needed in names, needed
        assert not [n for n in names if n.endswith((".pyx", ".pxi", ".c", ".h"))], names
        # the BSD-3-Clause license text ships in the wheel (license-files)
        lic = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert len(lic) == 1, names
        assert b"BSD 3-Clause License" in z.read(lic[0]) and b"infobits developers" in z.read(lic[0])
        sos = [n for n in names if n.endswith((".so", ".pyd"))]
        assert {n.split("/")[-1].split(".")[0] for n in sos} >= {"_core", "_numerics", "_losses"}
        if sys.platform.startswith("linux"):
            for n in sos:  # the default build carries no debug info
                assert not _elf_has_debug_info(z.read(n)), f"{n} has debug info"

    # a fresh venv with the wheel and its test extra
    venv_dir = tmp_path / "venv"
    venv.create(venv_dir, with_pip=True, clear=True)
    bindir = "Scripts" if os.name == "nt" else "bin"
    py = str(venv_dir / bindir / ("python.exe" if os.name == "nt" else "python"))
    _run([py, "-m", "pip", "install", "-q", f"{wheel}[test]"])
    site = _run([py, "-c", "import infobits, os; print(os.path.dirname(infobits.__file__))"],
                cwd=str(tmp_path)).stdout.strip()
    assert pathlib.Path(site).is_relative_to(venv_dir), site
    assert (pathlib.Path(site) / "py.typed").exists()

    # the suite, from a copy of tests/ outside the source tree
    work = tmp_path / "outside"
    shutil.copytree(ROOT / "tests", work / "tests",
                    ignore=shutil.ignore_patterns("__pycache__", "test_wheel.py"))
    r = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m",
                        "not bench and not wheel and not reliability and not large and not peers",
                        "-W", "ignore::pytest.PytestUnknownMarkWarning",
                        "tests"], cwd=str(work), capture_output=True, text=True, env=CLEAN_ENV)
    tail = "\n".join(r.stdout.strip().splitlines()[-15:])
    assert r.returncode == 0, f"suite against the installed wheel failed:\n{r.stdout[-6000:]}\n{r.stderr[-2000:]}"
    assert " passed" in tail and " failed" not in tail, tail
    print(tail)

