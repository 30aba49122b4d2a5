"""Command line: entropy / mi / kl estimated from data files (--samples, --x/--y)."""
import json
import math

import numpy as np
import pytest
from sklearn.metrics import mutual_info_score

import infobits.estimate as est
from infobits.cli import main

WEATHER = ["rain", "rain", "sun", "sun", "sun", "rain", "fog", "sun"]
PLAY = ["no", "no", "yes", "yes", "no", "yes", "no", "yes"]
COUNT = [1, 2, 3, 1, 2, 3, 3, 3]


@pytest.fixture
def table_csv(tmp_path):
    lines = ["weather,play,count"] + [f"{w},{p},{c}" for w, p, c in zip(WEATHER, PLAY, COUNT)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_entropy_samples_string_column(table_csv, capsys):
    assert main(["entropy", table_csv, "--samples", "--x", "weather", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["measure"] == "entropy" and out["base"] == 2
    # rain x3, sun x4, fog x1 out of 8
    want = -(3 / 8 * math.log2(3 / 8) + 4 / 8 * math.log2(4 / 8) + 1 / 8 * math.log2(1 / 8))
    assert out["value"] == pytest.approx(want, rel=1e-14)


def test_entropy_samples_every_column(table_csv, capsys):
    assert main(["entropy", table_csv, "--samples", "--base", "nats"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    got = dict(line.split("\t") for line in lines)
    assert set(got) == {"weather", "play", "count"}
    assert float(got["play"]) == pytest.approx(math.log(2), rel=1e-14)
    assert float(got["count"]) == pytest.approx(float(est.entropy(COUNT, base="nats")))
    # --method without --samples is an error: a probability file has no estimator
    assert main(["entropy", table_csv, "--method", "miller_madow"]) == 2
    assert "--samples" in capsys.readouterr().err
    assert main(["entropy", table_csv, "--samples", "--method", "miller_madow", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "miller_madow" and len(out["value"]) == 3
    assert out["value"][0] == pytest.approx(float(est.entropy(WEATHER, method="miller_madow")))


def test_mi_columns_by_name_and_index(table_csv, capsys):
    assert main(["mi", table_csv, "--x", "weather", "--y", "play", "--base", "nats",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["measure"] == "mutual_information" and out["x"] == "weather"
    assert out["value"] == pytest.approx(mutual_info_score(WEATHER, PLAY), rel=1e-12)
    assert main(["mi", table_csv, "--x", "0", "--y", "-1", "--method", "chao_shen"]) == 0
    v = float(capsys.readouterr().out)
    assert v == pytest.approx(float(est.mutual_information(WEATHER, COUNT, method="chao_shen")))


def test_mi_npy_columns(tmp_path, capsys):
    rng = np.random.default_rng(0)
    a = rng.integers(0, 4, (200, 3))
    np.save(tmp_path / "a.npy", a)
    assert main(["mi", str(tmp_path / "a.npy"), "--x", "2", "--y", "0", "--base", "nats"]) == 0
    v = float(capsys.readouterr().out)
    assert v == pytest.approx(mutual_info_score(a[:, 2], a[:, 0]), rel=1e-12)


def test_mi_method_passed_through_to_dispatcher(table_csv, monkeypatch, capsys):
    seen = {}

    def fake(x, y, *, method, base, **kw):
        seen.update(method=method, base=base, n=len(x))
        return 0.25

    monkeypatch.setattr(est._continuous, "mutual_information", fake)
    assert main(["mi", table_csv, "--x", "count", "--y", "count", "--method", "ksg"]) == 0
    assert float(capsys.readouterr().out) == 0.25
    assert seen == {"method": "ksg", "base": 2, "n": 8}


def test_kl_samples_calls_estimator(tmp_path, monkeypatch, capsys):
    p = tmp_path / "p.csv"
    q = tmp_path / "q.npy"
    p.write_text("x\n0.5\n1.5\n-0.25\n")
    np.save(q, np.array([[0.0, 1.0], [2.0, 1.0]]))
    seen = {}

    def fake(x, y, *, base, **kw):
        seen.update(x=x, y=y, base=base, **kw)
        return 0.5

    monkeypatch.setattr(est, "kl_divergence", fake)
    assert main(["kl", str(p), str(q), "--samples", "--base", "nats", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"measure": "kl_divergence", "value": 0.5, "base": "nats", "method": None}
    np.testing.assert_array_equal(seen["x"], [0.5, 1.5, -0.25])
    np.testing.assert_array_equal(seen["y"], [[0.0, 1.0], [2.0, 1.0]])


def test_errors_one_line_nonzero(table_csv, tmp_path, capsys):
    assert main(["mi", table_csv, "--x", "weather", "--y", "nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope" in err and "weather, play, count" in err and len(err.splitlines()) == 1
    f = tmp_path / "f.csv"
    f.write_text("a,b\n0.5,1\n1.5,2\n")
    assert main(["mi", str(f), "--x", "a", "--y", "b"]) == 2
    err = capsys.readouterr().err
    assert "--method plugin" in err and len(err.strip().splitlines()) == 1
    assert main(["mi", str(f), "--x", "a", "--y", "b", "--method", "plugin"]) == 0
    assert float(capsys.readouterr().out) == pytest.approx(1.0)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3\n")
    assert main(["entropy", str(bad), "--samples"]) == 2
    assert "row 3" in capsys.readouterr().err
    three = tmp_path / "three.csv"
    three.write_text("a,b,c\n1,2,3\n")
    assert main(["mi", str(three), "--samples"]) == 2
    assert "--x COL --y COL" in capsys.readouterr().err


def test_mi_ksg_and_kl_samples_real_estimators(tmp_path, capsys):
    # The continuous estimators end to end through the command line; the
    # references are the known answers: MI of correlated Gaussians
    # -1/2 log(1 - rho^2) and KL(N(0,1) || N(1,1)) = 0.5 nats.
    rng = np.random.default_rng(11)
    x = rng.standard_normal(20_000)
    y = 0.6 * x + 0.8 * rng.standard_normal(20_000)
    path = tmp_path / "xy.csv"
    np.savetxt(path, np.column_stack([x, y]), delimiter=",", header="x,y", comments="")
    assert main(["mi", str(path), "--x", "x", "--y", "y", "--method", "ksg",
                 "--base", "nats", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "ksg"
    # spread of the KSG estimate at n = 20,000 is ~0.007 nats (measured over seeds)
    assert abs(out["value"] - (-0.5 * np.log(1 - 0.36))) < 0.03
    p, q = tmp_path / "p.npy", tmp_path / "q.npy"
    np.save(p, rng.standard_normal(20_000))
    np.save(q, rng.normal(1.0, 1.0, 20_000))
    assert main(["kl", str(p), str(q), "--samples", "--base", "nats", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # sd of the estimator at n = 20,000 is ~0.019 nats (400 seeds)
    assert abs(out["value"] - 0.5) < 0.08
