"""Information dynamics (transfer entropy, active information storage,
lagged MI) of infobits.estimate against independent references.

References: tuples built by explicit Python loops over time steps and
counted with collections.Counter (the plug-in formulas written from their
definitions), scikit-learn's mutual_info_score on explicitly aligned
pairs, closed forms of linear Gaussian processes.  JIDT, pyinform and
ennemi agreement lives in tests/peers/test_jidt_dynamics.py.
"""
import math
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import mutual_info_score

import infobits as ib
import infobits.estimate as est
from infobits.estimate import _dynamics

LN2 = math.log(2.0)


# --------------------------------------------------------------------------
# references
# --------------------------------------------------------------------------

def _te_tuples(x, y, k=1, kt=1, l=1, lt=1, u=1, conds=()):
    """(source past, target next, target past + conditions) for every usable
    t, built by a Python loop from the definition (JIDT's alignment)."""
    n = len(y)
    T = max((k - 1) * kt, (l - 1) * lt + u - 1,
            *[(h - 1) * ta + d - 1 for _, h, ta, d in conds])
    out = []
    for t in range(T + 1, n):
        s = tuple(x[t - u - j * lt] for j in range(l))
        p = tuple(y[t - 1 - j * kt] for j in range(k))
        for c, h, ta, d in conds:
            p += tuple(c[t - d - j * ta] for j in range(h))
        out.append((s, y[t], p))
    return out


def _cmi_counts(tuples):
    """Plug-in I(A; B | C) in nats of a list of (a, b, c), and the locals."""
    N = len(tuples)
    abc = Counter(tuples)
    ac = Counter((a, c) for a, _, c in tuples)
    bc = Counter((b, c) for _, b, c in tuples)
    cc = Counter(c for _, _, c in tuples)
    loc = [math.log(abc[(a, b, c)] * cc[c] / (ac[(a, c)] * bc[(b, c)])) for a, b, c in tuples]
    v = sum(m / N * math.log(m * cc[c] / (ac[(a, c)] * bc[(b, c)]))
            for (a, b, c), m in abc.items())
    return v, np.array(loc)


def _coupled_labels(n, seed, K=3, lag=2):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, K, n)
    y = (np.roll(x, lag) + rng.integers(0, 2, n)) % K
    return x, y


EMBEDDINGS = [(1, 1, 1, 1, 1), (2, 1, 1, 1, 1), (3, 2, 2, 3, 2), (1, 1, 3, 1, 0),
              (2, 3, 1, 1, 5), (1, 1, 1, 1, 4)]


# --------------------------------------------------------------------------
# embedding and alignment
# --------------------------------------------------------------------------

@pytest.mark.parametrize("emb", EMBEDDINGS)
def test_te_start_and_embedding(emb):
    k, kt, l, lt, u = emb
    n = 40
    x = np.arange(n) * 10.0
    y = np.arange(n) * 10.0 + 1
    T = _dynamics.te_start(k, kt, l, lt, u)
    ref = _te_tuples(list(x), list(y), k, kt, l, lt, u)
    assert len(ref) == n - T - 1
    t = np.arange(T + 1, n)
    src = _dynamics.embed(x[:, None], t, u, l, lt)
    nxt = _dynamics.embed(y[:, None], t, 0, 1, 1)
    past = _dynamics.embed(y[:, None], t, 1, k, kt)
    assert [tuple(r) for r in src] == [s for s, _, _ in ref]
    assert list(nxt[:, 0]) == [b for _, b, _ in ref]
    assert [tuple(r) for r in past] == [p for _, _, p in ref]


def test_embedding_multivariate_order():
    # JIDT's order: the d columns of one time step together, most recent first
    a = np.arange(20).reshape(10, 2)
    e = _dynamics.embed(a, np.array([5, 6]), 1, 2, 2)
    np.testing.assert_array_equal(e, [[8, 9, 4, 5], [10, 11, 6, 7]])


# --------------------------------------------------------------------------
# plug-in estimates against counted tuples
# --------------------------------------------------------------------------

@pytest.mark.parametrize("emb", EMBEDDINGS)
def test_plugin_te_counts(emb):
    k, kt, l, lt, u = emb
    x, y = _coupled_labels(3000, 1)
    ref, loc = _cmi_counts(_te_tuples(list(x), list(y), k, kt, l, lt, u))
    kw = dict(history=k, tau=kt, source_history=l, source_tau=lt, delay=u, method="plugin")
    v = est.transfer_entropy(x, y, base="nats", **kw)
    assert v == pytest.approx(ref, rel=1e-12, abs=1e-15)
    lv = est.transfer_entropy(x, y, base="nats", local=True, **kw)
    np.testing.assert_allclose(lv, loc, rtol=1e-12, atol=1e-14)
    assert lv.mean() == pytest.approx(v, rel=1e-12, abs=1e-15)
    # bits
    assert est.transfer_entropy(x, y, **kw) == pytest.approx(ref / LN2, rel=1e-12, abs=1e-15)


def test_plugin_te_conditional_counts():
    rng = np.random.default_rng(2)
    n = 4000
    z = rng.integers(0, 2, n)
    x = (np.roll(z, 1) + rng.integers(0, 2, n)) % 3
    y = (np.roll(z, 2) + np.roll(x, 1)) % 3
    c2 = rng.integers(0, 2, n)
    cond = np.column_stack([z, c2])
    ref, loc = _cmi_counts(_te_tuples(list(x), list(y), 2, 1, 1, 1, 1,
                                      conds=[(list(z), 2, 1, 1), (list(c2), 1, 1, 3)]))
    kw = dict(condition=cond, history=2, condition_history=[2, 1], condition_delay=[1, 3],
              method="plugin", base="nats")
    assert est.transfer_entropy(x, y, **kw) == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(est.transfer_entropy(x, y, local=True, **kw), loc, rtol=1e-12,
                               atol=1e-14)


def test_plugin_strings_and_large_alphabets():
    # string labels, and an alphabet so large the joint table is not dense
    rng = np.random.default_rng(3)
    n = 3000
    x = rng.integers(0, 400, n)
    y = (np.roll(x, 1) + rng.integers(0, 3, n)) % 400
    ref, loc = _cmi_counts(_te_tuples(list(x), list(y), 1, 1, 2, 1, 1))
    kw = dict(source_history=2, method="plugin", base="nats")
    assert est.transfer_entropy(x, y, **kw) == pytest.approx(ref, rel=1e-12)
    xs = np.array([f"s{v}" for v in x])
    ys = np.array([f"t{v}" for v in y], dtype=object)
    assert est.transfer_entropy(xs, ys, **kw) == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(est.transfer_entropy(xs, ys, local=True, **kw), loc, rtol=1e-12)


def test_plugin_multivariate_source():
    rng = np.random.default_rng(4)
    n = 3000
    a = rng.integers(0, 2, n)
    b = rng.integers(0, 2, n)
    y = np.roll(a ^ b, 1)                    # y_t = a_{t-1} xor b_{t-1}
    src = np.column_stack([a, b])
    ref, _ = _cmi_counts(_te_tuples([tuple(r) for r in src], list(y)))
    v = est.transfer_entropy(src, y, method="plugin", base="nats")
    assert v == pytest.approx(ref, rel=1e-12)
    assert v == pytest.approx(math.log(2), abs=0.01)
    # each column alone carries nothing (xor)
    assert est.transfer_entropy(a, y, method="plugin") < 0.01


@pytest.mark.parametrize("k,kt", [(1, 1), (2, 1), (3, 2)])
def test_plugin_ais_counts(k, kt):
    rng = np.random.default_rng(5)
    x = np.cumsum(rng.integers(0, 2, 3000)) % 4
    T = (k - 1) * kt
    tuples = [(tuple(x[t - 1 - j * kt] for j in range(k)), x[t], ()) for t in range(T + 1, 3000)]
    ref, loc = _cmi_counts(tuples)
    v = est.active_information_storage(x, history=k, tau=kt, method="plugin", base="nats")
    assert v == pytest.approx(ref, rel=1e-12)
    lv = est.active_information_storage(x, history=k, tau=kt, method="plugin", base="nats",
                                        local=True)
    np.testing.assert_allclose(lv, loc, rtol=1e-12, atol=1e-14)


def test_plugin_lagged_mi_sklearn():
    rng = np.random.default_rng(6)
    n = 5000
    x = rng.integers(0, 5, n)
    y = (np.roll(x, 3) + rng.integers(0, 2, n)) % 5
    lags = [-4, 0, 1, 3, 7]
    v = est.lagged_mutual_information(x, y, lags, base="nats")
    lo, hi = 7, n - 4                         # every lag on the same y_t
    for L, got in zip(lags, v):
        t = np.arange(lo, hi)
        assert got == pytest.approx(mutual_info_score(x[t - L], y[t]), rel=1e-10, abs=1e-14)
    assert np.argmax(v) == 3
    assert est.lagged_mutual_information(x, y, 3, base="nats") == pytest.approx(
        mutual_info_score(x[np.arange(3, n) - 3], y[3:]), rel=1e-10)
    loc = est.lagged_mutual_information(x, y, lags, base="nats", local=True)
    assert loc.shape == (5, hi - lo)
    np.testing.assert_allclose(loc.mean(axis=1), v, rtol=1e-10, atol=1e-14)


def test_lagged_mi_float_needs_method():
    x = np.random.default_rng(0).random(100)
    with pytest.raises(ValueError, match="method='plugin'"):
        est.lagged_mutual_information(x, x, [1])


# --------------------------------------------------------------------------
# known answers and direction
# --------------------------------------------------------------------------

def test_plugin_copy_known_answer():
    rng = np.random.default_rng(7)
    x = rng.integers(0, 4, 20000)
    y = np.roll(x, 1)
    assert est.transfer_entropy(x, y, method="plugin") == pytest.approx(2.0, abs=2e-3)
    assert est.transfer_entropy(y, x, method="plugin") == pytest.approx(0.0, abs=2e-3)
    # the same information at delay 2 is invisible at delay 1
    z = np.roll(x, 2)
    assert est.transfer_entropy(x, z, method="plugin", delay=2) == pytest.approx(2.0, abs=2e-3)
    assert est.transfer_entropy(x, z, method="plugin") < 2e-3


# --------------------------------------------------------------------------
# matrix
# --------------------------------------------------------------------------

def test_plugin_matrix_pairwise_bitwise():
    rng = np.random.default_rng(8)
    X = rng.integers(0, 3, (2000, 4))
    X[:, 1] = (np.roll(X[:, 0], 1) + X[:, 1] % 2) % 3
    kw = dict(method="plugin", history=2, source_history=1)
    M = est.transfer_entropy_matrix(X, **kw)
    assert M.shape == (4, 4)
    assert np.isnan(np.diag(M)).all()
    for i in range(4):
        for j in range(4):
            if i != j:
                assert M[i, j] == est.transfer_entropy(X[:, i], X[:, j], **kw)
    assert np.nanargmax(M) == 1


def test_matrix_dataframe_labels():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(9)
    df = pd.DataFrame(rng.integers(0, 2, (500, 3)), columns=["a", "b", "c"])
    M = est.transfer_entropy_matrix(df, method="plugin")
    assert isinstance(M, pd.DataFrame)
    assert list(M.index) == ["a", "b", "c"] and list(M.columns) == ["a", "b", "c"]
    assert M.loc["a", "b"] == est.transfer_entropy(df["a"], df["b"], method="plugin")


# --------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kw,match", [
    (dict(history=0), "history"),
    (dict(tau=0), "tau"),
    (dict(source_history=-1), "source_history"),
    (dict(delay=-1), "delay"),
    (dict(history=1.5), "history"),
    (dict(method="bogus"), "method"),
    (dict(theiler=3), "theiler"),
    (dict(k=3), "k"),
    (dict(metric="euclidean"), "metric"),
    (dict(condition_history=2), "condition_history"),
    (dict(history=60), "time steps"),
])
def test_te_bad_arguments(kw, match):
    x = np.arange(50) % 3
    kw = {"method": "plugin", **kw}
    with pytest.raises((ValueError, TypeError), match=match):
        est.transfer_entropy(x, x, **kw)


def test_te_bad_lengths_and_shapes():
    with pytest.raises(ValueError, match="same number of time steps"):
        est.transfer_entropy(np.arange(10) % 2, np.arange(11) % 2, method="plugin")
    with pytest.raises(ValueError, match="condition"):
        est.transfer_entropy(np.arange(10) % 2, np.arange(10) % 2, method="plugin",
                             condition=np.arange(9) % 2)
    with pytest.raises(ValueError, match="condition_history"):
        est.transfer_entropy(np.arange(10) % 2, np.arange(10) % 2, method="plugin",
                             condition=np.zeros((10, 2), int), condition_history=[1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        est.transfer_entropy(np.array([0.0, np.nan, 1.0]), np.zeros(3), method="plugin")
    with pytest.raises(ValueError, match="lags"):
        est.lagged_mutual_information(np.arange(10) % 2, np.arange(10) % 2, [])
    with pytest.raises(ValueError, match="time steps"):
        est.lagged_mutual_information(np.arange(10) % 2, np.arange(10) % 2, [9])
    with pytest.raises(ValueError, match="2-D"):
        est.transfer_entropy_matrix(np.arange(10) % 2, method="plugin")


def test_threads_do_not_change_plugin():
    x, y = _coupled_labels(50000, 10)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        a = est.transfer_entropy(x, y, method="plugin", history=2)
        ib.set_num_threads(2)
        b = est.transfer_entropy(x, y, method="plugin", history=2)
    finally:
        ib.set_num_threads(old)
    assert a == b


# --------------------------------------------------------------------------
# continuous: linear Gaussian processes with closed-form answers
# --------------------------------------------------------------------------

def _driven(n, seed, a=0.5, b=0.8, s=0.6):
    """y_t = a y_{t-1} + b x_{t-1} + e_t, x iid N(0, 1), e ~ N(0, s^2).
    TE x->y (k = l = 1) = 1/2 ln((b^2 + s^2) / s^2): x_{t-1} is independent
    of y_{t-1}, so Var(y_t | y_{t-1}) = b^2 + s^2 and Var(y_t | y_{t-1},
    x_{t-1}) = s^2.  TE y->x = 0 (x is iid)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    e = s * rng.standard_normal(n)
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = a * y[t - 1] + b * x[t - 1] + e[t]
    return x, y, 0.5 * math.log((b * b + s * s) / (s * s))


# Tolerances measured over seeds 0..9 at n = 2e4: largest |error| 0.0085
# nats (gaussian), 0.0088 (gcmi); largest reverse TE 1.1e-4.
@pytest.mark.parametrize("method", ["gaussian", "gcmi"])
def test_te_linear_gaussian_closed_form(method):
    x, y, true = _driven(20000, 0)
    assert est.transfer_entropy(x, y, method=method, base="nats") == pytest.approx(true, abs=0.03)
    assert abs(est.transfer_entropy(y, x, method=method, base="nats")) < 2e-3
    # bits
    assert est.transfer_entropy(x, y, method=method) == pytest.approx(true / LN2, abs=0.045)


@pytest.mark.parametrize("method", ["gaussian", "gcmi"])
def test_ais_ar1_closed_form(method):
    # x_t = phi x_{t-1} + e_t: A = -1/2 ln(1 - phi^2); a longer history adds nothing
    phi = 0.7
    rng = np.random.default_rng(1)
    e = rng.standard_normal(20000)
    x = np.zeros(20000)
    for t in range(1, 20000):
        x[t] = phi * x[t - 1] + e[t]
    true = -0.5 * math.log(1 - phi * phi)
    for k in (1, 3):
        v = est.active_information_storage(x, history=k, method=method, base="nats")
        assert v == pytest.approx(true, abs=0.03)


def test_gaussian_local_not_available():
    x, y, _ = _driven(200, 0)
    with pytest.raises(ValueError, match="local"):
        est.transfer_entropy(x, y, method="gaussian", local=True)


# --------------------------------------------------------------------------
# command line: infobits te
# --------------------------------------------------------------------------

def test_cli_te(tmp_path, capsys):
    import json

    from infobits.cli import main
    rng = np.random.default_rng(12)
    x = rng.integers(0, 3, 1500)
    y = (np.roll(x, 1) + rng.integers(0, 2, 1500)) % 3
    z = rng.standard_normal(1500)
    p = tmp_path / "d.csv"
    p.write_text("a,b,z\n" + "".join(f"{u},{v},{float(w)!r}\n" for u, v, w in zip(x, y, z)))
    assert main(["te", str(p), "--source", "a", "--target", "b"]) == 0
    out = capsys.readouterr().out
    assert float(out) == est.transfer_entropy(x, y, method="plugin")
    assert main(["te", str(p), "--source", "0", "--target", "b", "--history", "2",
                 "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["value"] == est.transfer_entropy(x, y, method="plugin", history=2)
    assert rec["method"] == "plugin" and rec["source"] == "a"
    # a float column: ksg by default; gaussian on request
    assert main(["te", str(p), "--source", "z", "--target", "b", "--method", "gaussian",
                 "--base", "nats"]) == 0
    assert float(capsys.readouterr().out) == pytest.approx(
        est.transfer_entropy(z, y.astype(float), method="gaussian", base="nats"), rel=1e-12)
    # float columns default to ksg
    assert main(["te", str(p), "--source", "z", "--target", "b", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["method"] == "ksg"
    assert rec["value"] == est.transfer_entropy(z, y.astype(float))
    assert main(["te", str(p), "--source", "a", "--target", "nope"]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
    assert main(["te", str(p), "--source", "a", "--target", "b", "--history", "0"]) == 2
    assert "history" in capsys.readouterr().err


def test_plugin_extreme_integer_labels():
    # uint64 labels above 2**63 and int64 extremes: factorized, not offset
    rng = np.random.default_rng(13)
    base = rng.integers(0, 2, 500)
    y = np.roll(base, 1)
    ref = est.transfer_entropy(base, y, method="plugin")
    big = np.array([2**64 - 1, 2**64 - 2], dtype=np.uint64)
    ext = np.array([2**63 - 1, -2**63], dtype=np.int64)
    assert est.transfer_entropy(big[base], big[y], method="plugin") == ref
    assert est.transfer_entropy(ext[base], big[y], method="plugin") == ref
    assert est.active_information_storage(big[y], method="plugin") == \
        est.active_information_storage(y, method="plugin")
