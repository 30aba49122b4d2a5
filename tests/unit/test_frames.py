"""pandas DataFrames and Series in infobits.estimate (infobits.estimate._frames).

References: SciPy's entropy of the value counts, scikit-learn's
mutual_info_score (nats), SciPy's differential_entropy.
"""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

import infobits.estimate as est

pd = pytest.importorskip("pandas")
st = pytest.importorskip("scipy.stats")
metrics = pytest.importorskip("sklearn.metrics")

LN2 = math.log(2.0)


def _h(values):
    _, c = np.unique(np.asarray(values, dtype=object).astype(str), return_counts=True)
    return st.entropy(c, base=2)


@pytest.fixture
def df():
    rng = np.random.default_rng(0)
    return pd.DataFrame({"a": rng.integers(0, 3, 200), "s": rng.choice(["x", "y", "z"], 200),
                         "b": rng.random(200) < 0.3,
                         "c": pd.Categorical(rng.choice(["lo", "hi"], 200)),
                         "f": rng.normal(size=200)})


def test_a_float_column_raises_naming_it(df):
    # was log2(200) for the float column: every value counted as a label
    with pytest.raises(ValueError, match=r"column 'f' of x holds float samples .*method='plugin'"):
        est.entropy(df)
    with pytest.raises(ValueError, match=r"column 'f' of x"):
        est.mutual_information(df, df["a"])
    with pytest.raises(ValueError, match=r"column 'f' of X"):
        est.mutual_information_matrix(df)
    with pytest.raises(ValueError, match=r"Series 'f' \(x\) holds float samples"):
        est.entropy(df["f"])
    with pytest.raises(ValueError, match=r"column 'f' of x"):     # H(Y | X): x is second
        est.conditional_entropy(df[["a"]], df[["f"]])


def test_results_labelled_by_column_names(df):
    lab = df[["a", "s", "b", "c"]]
    h = est.entropy(lab)
    assert isinstance(h, pd.Series) and list(h.index) == ["a", "s", "b", "c"]
    for col in h.index:
        assert h[col] == pytest.approx(_h(lab[col]), rel=1e-13)
    # an explicit method: the float column's values as labels
    h2 = est.entropy(df, method="plugin")
    assert h2["f"] == pytest.approx(math.log2(200), rel=1e-14)
    m = est.mutual_information_matrix(lab)
    assert isinstance(m, pd.DataFrame)
    assert list(m.index) == list(m.columns) == ["a", "s", "b", "c"]
    want = metrics.mutual_info_score(lab["a"], lab["s"]) / LN2
    assert m.loc["a", "s"] == pytest.approx(want, rel=1e-12) and m.loc["s", "a"] == m.loc["a", "s"]


def test_a_series_keeps_its_name(df):
    y = pd.Series(df["a"].to_numpy() % 2, name="target")
    mi = est.mutual_information(df[["s", "c"]], y)
    assert isinstance(mi, pd.Series) and mi.name == "target"
    assert list(mi.index) == ["s", "c"]
    assert mi["s"] == pytest.approx(metrics.mutual_info_score(df["s"], y) / LN2, rel=1e-12)
    # one Series alone: one value, the same as its values' estimate
    assert est.entropy(df["s"]) == pytest.approx(_h(df["s"]), rel=1e-13)
    ce = est.conditional_entropy(df[["s"]], y)
    assert ce["s"] == pytest.approx(_h(df["s"]) - metrics.mutual_info_score(df["s"], y) / LN2,
                                    rel=1e-12)


def test_continuous_estimators_take_float_columns(df):
    rng = np.random.default_rng(1)
    fr = pd.DataFrame({"u": rng.normal(size=300), "v": rng.uniform(size=300)})
    h = est.differential_entropy(fr, base="nats")
    assert list(h.index) == ["u", "v"]
    for c in fr:
        assert h[c] == pytest.approx(st.differential_entropy(fr[c].to_numpy()), rel=1e-12)
    kl = est.kl_divergence(fr, fr * 1.5 + 0.1)
    assert list(kl.index) == ["u", "v"] and np.isfinite(kl).all()
    mi = est.mutual_information(fr, fr["u"] ** 2, method="ksg")
    assert list(mi.index) == ["u", "v"] and mi["u"] > mi["v"] - 0.2


def test_frames_of_mismatched_width_raise(df):
    with pytest.raises(ValueError, match="columns"):
        est.mutual_information(df[["a", "s"]], df[["a", "s", "b"]])


def test_pandas_stays_optional():
    code = ("import sys, infobits, infobits.estimate, numpy as np\n"
            "infobits.estimate.entropy(np.array([1, 2, 2]))\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
