"""The command line: infobits info / bench / entropy / mi / kl."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest

import infobits as ib
from infobits import bench
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


def test_bench_quick_writes_report(tmp_path, monkeypatch, capsys):
    # one repeat keeps the test short; the real --quick run uses 3
    assert main(["bench", "--quick", "--repeats", "1", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "entropy" in out and "seed NumPy" in out
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
