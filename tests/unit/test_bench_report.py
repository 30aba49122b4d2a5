"""The benchmark report's presentation (``infobits bench``): verdicts at quick
sizes, absent peers, the progress bar, argument checks and the chart.

The timings themselves are not checked here (no timed assertions): the
workloads below are chosen so that the verdict cannot depend on the machine
(a goal of 10^9x is never met, a goal of 10^-9x always is).
"""
import io
import json

import numpy as np
import pytest

from infobits import bench
from infobits.cli import main


def _workloads():
    ident = lambda d: d  # noqa: E731
    return [bench.Workload("tiny sum", lambda q: np.arange(10.0),
                           {"infobits": np.sum, "peer that is never 1e9x slower": ident,
                            "peer that is always slower than 1e-9x": ident},
                           {"peer that is never 1e9x slower": 1e9,
                            "peer that is always slower than 1e-9x": 1e-9})]


def test_full_size_verdicts():
    rep = bench.run(quick=False, repeats=1, workload_list=_workloads())
    rows = {r["impl"]: r for r in rep["results"][0]["rows"]}
    assert rows["peer that is never 1e9x slower"]["met"] is False
    assert rows["peer that is always slower than 1e-9x"]["met"] is True
    assert rows["infobits"]["met"] is None
    table = bench.format_table(rep)
    assert ">= 1e+09x: NOT met" in table and ">= 1e-09x: met" in table
    assert "n/a at quick size" not in table
    md = bench.format_markdown(rep)
    assert "| 1e+09x: **not met** |" in md and "| 1e-09x: met |" in md and "n/a" not in md


def test_quick_size_gives_no_verdict():
    rep = bench.run(quick=True, repeats=1, workload_list=_workloads())
    assert rep["quick"] is True
    for r in rep["results"][0]["rows"]:
        assert r["met"] is None
    goals = [r["goal"] for r in rep["results"][0]["rows"] if r["goal"] is not None]
    assert sorted(goals) == [1e-9, 1e9]   # the full-size goals, kept for reference
    table = bench.format_table(rep)
    assert "NOT met" not in table and ": met" not in table
    assert table.count(": n/a at quick size") == 2
    assert bench.QUICK_NOTE in table
    md = bench.format_markdown(rep)
    assert "not met" not in md and bench.QUICK_NOTE in md


def test_absent_peers_listed_with_install_command(monkeypatch):
    real = bench._optional
    monkeypatch.setattr(bench, "_optional",
                        lambda name: None if name in ("numexpr", "torch") else real(name))
    absent = {p["peer"]: p["install"] for p in bench.absent_peers()}
    assert absent["numexpr"] == "pip install numexpr"
    assert absent["PyTorch"] == "pip install torch"
    rep = bench.run(quick=True, repeats=1, workload_list=_workloads())
    table = bench.format_table(rep)
    assert "Peers not installed" in table and "numexpr: pip install numexpr" in table
    assert "- PyTorch: `pip install torch`" in bench.format_markdown(rep)


def test_every_peer_row_name_has_an_install_hint():
    # the peers the workloads import optionally are all in PEERS
    src = open(bench.__file__).read()
    mods = {m for m, _, _ in bench.PEERS}
    for name in ("torch", "numexpr", "sklearn", "npeet_plus", "pyinform", "ennemi", "scipy"):
        assert f'_optional("{name}' in src
        assert name in mods


def test_repeats_must_be_at_least_one(capsys):
    for bad in ("0", "-3", "two", "1.5"):
        with pytest.raises(SystemExit) as exc:
            main(["bench", "--quick", "--repeats", bad, "--no-progress"])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "--repeats" in err and ">= 1" in err
    with pytest.raises(ValueError, match="repeats"):
        bench.run(quick=True, repeats=0, workload_list=_workloads())


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal():
    log = io.StringIO()
    p = bench.Progress(log)
    for i in range(1, 4):
        p(i, 3, "a workload")
    assert log.getvalue() == ""            # a log file gets nothing, no \r

    tty = _Tty()
    p = bench.Progress(tty)
    name = "KSG transfer_entropy 1e4 history=1 k=4, both 2 threads (longer than 40 characters)"
    p(1, 4, name)
    p(2, 4, name)
    p(3, 4, "second")
    p(4, 4, "second")
    out = tty.getvalue()
    assert name + "\n" in out and out.count(name) == 1   # full label, once
    assert "[" + "#" * 30 + "] 4/4\n" in out
    assert out.endswith("\n")


def test_chart_is_log_scaled_with_values_and_goals(tmp_path):
    pytest.importorskip("matplotlib")
    rows = [("a", [("infobits", 1.0, None, None), ("NumPy", 4.13, 4.0, True),
                   ("SciPy", 0.76, 3.0, False), (bench.TWO_THREADS, 1.95, 1.7, True)]),
            ("b", [("infobits", 1.0, None, None), ("sklearn", 132.38, 20.0, True),
                   ("torch", 2.5, None, None)])]
    rep = json.loads(json.dumps({"quick": False, "results": [
        {"workload": w, "rows": [{"impl": i, "seconds": 1e-3 * r, "ratio": r, "goal": g, "met": m}
                                 for i, r, g, m in rs]} for w, rs in rows]}))
    fig = bench.chart_figure(rep)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    texts = {t.get_text() for t in ax.texts}
    ratios = [r["ratio"] for res in rep["results"] for r in res["rows"] if r["impl"] != "infobits"]
    assert {f"{r:.2f}x" for r in ratios} <= texts          # a value at every bar
    ngoals = sum(r["goal"] is not None for res in rep["results"] for r in res["rows"])
    markers = [ln for ln in ax.lines if ln.get_marker() == "|"]
    assert len(markers) == ngoals
    assert any(list(ln.get_xdata()) == [1.0, 1.0] for ln in ax.lines)   # the 1x line
    lo, hi = ax.get_xlim()
    assert lo <= min(ratios) and hi >= max(ratios)
    assert bench.write_chart(rep, tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
