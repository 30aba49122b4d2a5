"""The command line: infobits info / bench / entropy / mi / kl."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest

import infobits as ib
from infobits.cli import main


def test_info_json(capsys):
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["simd_path"] in info["simd_paths_available"]
    assert info["openmp_threads"] >= 1
    assert info["infobits"] == ib.__version__


def test_python_dash_m_info():
    r = subprocess.run([sys.executable, "-m", "infobits", "info"], capture_output=True, text=True,
                       check=True)
    assert "simd_path" in r.stdout


def test_simd_env_var_forces_baseline():
    code = "import infobits as ib; print(ib.simd_path())"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**__import__("os").environ, "INFOBITS_SIMD": "baseline"})
    assert r.stdout.strip() == "baseline"


def test_entropy_mi_kl_files(tmp_path, capsys):
    p = np.array([0.1, 0.5, 0.1, 0.3])
    np.save(tmp_path / "p.npy", p)
    (tmp_path / "p.csv").write_text("p\n" + "\n".join(map(str, p)) + "\n")
    assert main(["entropy", str(tmp_path / "p.npy"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["measure"] == "entropy" and math.isclose(out["value"], ib.entropy(p))
    assert main(["entropy", str(tmp_path / "p.csv"), "--base", "nats"]) == 0
    assert math.isclose(float(capsys.readouterr().out), ib.entropy(p, base="nats"))
    pxy = np.array([[0.1, 0.5], [0.1, 0.3]])
    np.save(tmp_path / "pxy.npy", pxy)
    assert main(["mi", str(tmp_path / "pxy.npy"), "--json"]) == 0
    assert math.isclose(json.loads(capsys.readouterr().out)["value"], ib.mutual_information(pxy))
    np.save(tmp_path / "q.npy", np.full(4, 0.25))
    assert main(["kl", str(tmp_path / "p.npy"), str(tmp_path / "q.npy")]) == 0
    assert math.isclose(float(capsys.readouterr().out), ib.kl_divergence(p, np.full(4, 0.25)))
    assert main(["entropy", str(tmp_path / "missing.npy")]) == 2


def _run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "infobits", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def _assert_one_line_error(r, *fragments):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("infobits: error: ")
    for f in fragments:
        assert f in lines[0], (f, lines[0])
    assert r.stdout == ""


def test_user_errors_are_one_line_not_tracebacks(tmp_path):
    # missing file
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "nope.npy")), "nope.npy", "no such file")
    # non-numeric .csv data
    bad = tmp_path / "bad.csv"
    bad.write_text("p\n0.5\nabc\n")
    _assert_one_line_error(_run_cli("entropy", str(bad)), "bad.csv", "non-numeric", "abc")
    # ragged .csv
    rag = tmp_path / "rag.csv"
    rag.write_text("a,b\n0.1,0.2\n0.3\n")
    _assert_one_line_error(_run_cli("mi", str(rag)), "rag.csv")
    # non-numeric .npy (strings) and a pickled object array
    np.save(tmp_path / "s.npy", np.array(["a", "b"]))
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "s.npy")), "non-numeric")
    np.save(tmp_path / "o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "o.npy")), "o.npy")
    # a file that is not .npy at all, an unsupported suffix, an empty file
    (tmp_path / "junk.npy").write_bytes(b"not numpy")
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "junk.npy")), "junk.npy")
    (tmp_path / "p.txt").write_text("0.5\n0.5\n")
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "p.txt")), ".npy or .csv")
    (tmp_path / "empty.csv").write_text("")
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "empty.csv")), "empty")
    (tmp_path / "header.csv").write_text("p\n")
    _assert_one_line_error(_run_cli("entropy", str(tmp_path / "header.csv")), "no data")
    # invalid probabilities reach the library's own check: still one line
    np.save(tmp_path / "neg.npy", np.array([0.5, -0.5]))
    r = _run_cli("kl", str(tmp_path / "neg.npy"), str(tmp_path / "nope.npy"))
    _assert_one_line_error(r, "nope.npy")


def test_load_columns(tmp_path):
    from infobits.cli import CLIError, _load

    f = tmp_path / "t.csv"
    f.write_text("x,y,z\n1,2,3\n4,5,6\n")
    np.testing.assert_array_equal(_load(str(f), ["y"]), [2.0, 5.0])
    np.testing.assert_array_equal(_load(str(f), ["z", "x"]), [[3.0, 1.0], [6.0, 4.0]])
    np.testing.assert_array_equal(_load(str(f), ["2"]), [3.0, 6.0])  # 0-based index
    np.testing.assert_array_equal(_load(str(f)), [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(CLIError, match=r"no column 'w' \(columns: x, y, z\)"):
        _load(str(f), ["w"])
    with pytest.raises(CLIError, match="out of range"):
        _load(str(f), ["3"])
    np.save(tmp_path / "t.npy", np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(_load(str(tmp_path / "t.npy"), [1]), [1.0, 4.0])
    with pytest.raises(CLIError, match="no column"):
        _load(str(tmp_path / "t.npy"), ["y"])
    # samples for the estimators: labels stay labels, integers become int64
    g = tmp_path / "s.csv"
    g.write_text("id,colour,x\n1,red,0.5\n2, blue,1.5\n3,red,-2\n")
    ids, colour, x = _load(str(g), numeric=False)
    assert ids.dtype == np.int64 and list(ids) == [1, 2, 3]
    assert list(colour) == ["red", "blue", "red"]
    assert x.dtype == np.float64 and list(x) == [0.5, 1.5, -2.0]
    assert list(_load(str(g), ["colour"], numeric=False)) == ["red", "blue", "red"]
    with pytest.raises(CLIError, match="no column"):
        _load(str(g), ["size"], numeric=False)
    np.save(tmp_path / "v.npy", np.arange(3.0))
    with pytest.raises(CLIError, match="2-D"):
        _load(str(tmp_path / "v.npy"), [0])


def test_console_script_matches_python_dash_m(tmp_path):
    import shutil

    exe = shutil.which("infobits", path=str(__import__("pathlib").Path(sys.executable).parent))
    if exe is None:  # source-tree run without an installed entry point
        pytest.skip("the infobits console script is not installed in this environment")
    r = subprocess.run([exe, "entropy", str(tmp_path / "nope.csv")], capture_output=True, text=True)
    _assert_one_line_error(r, "nope.csv", "no such file")


@pytest.mark.bench
def test_bench_quick_writes_report(tmp_path, monkeypatch, capsys):
    # one repeat keeps the test short; the real --quick run uses 3
    assert main(["bench", "--quick", "--repeats", "1", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "entropy" in out and "NumPy (d2l chapter)" in out
    rep = json.loads((tmp_path / "report.json").read_text())
    names = [r["workload"] for r in rep["results"]]
    assert any(n.startswith("entropy") for n in names)
    for res in rep["results"]:
        ours = [r for r in res["rows"] if r["impl"] == "infobits"]
        assert len(ours) == 1 and ours[0]["ratio"] == 1.0
        assert all(r["seconds"] > 0 for r in res["rows"])
    md = (tmp_path / "report.md").read_text()
    assert "| workload |" in md
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    assert (tmp_path / "report.png").stat().st_size > 1000
