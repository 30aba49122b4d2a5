"""Discrete estimators of infobits.estimate against independent references.

References: scikit-learn (mutual_info_score, contingency_matrix), SciPy
(stats.entropy on counts), exact rational arithmetic (fractions) and
closed forms for the hand-computed values, mpmath for digamma.
"""
import doctest
import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import scipy.sparse as sps
from scipy import stats
from sklearn.metrics import mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

import infobits as ib
import infobits.estimate as est

METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")
CORRECTED = METHODS[1:]
LN2 = math.log(2.0)


# --------------------------------------------------------------------------
# references computed here, in exact or high precision arithmetic
# --------------------------------------------------------------------------

def _ref_entropy(counts, method, p=None):
    """Entropy in nats of integer counts, from the papers' definitions,
    with the rational parts in Fractions and the logs in mpmath."""
    c = [int(v) for v in counts if v > 0]
    n = sum(c)
    if n == 0:
        return 0.0
    mp = mpmath.mp
    mp.dps = 40
    if method == "plugin":
        return float(sum(mpmath.mpf(v) / n * mpmath.log(mpmath.mpf(n) / v) for v in c))
    if method == "miller_madow":
        return _ref_entropy(c, "plugin") + float(Fraction(len(c) - 1, 2 * n))
    if method == "grassberger":
        def G(v):
            return mpmath.digamma(v) + mpmath.mpf((-1) ** v) / 2 * (
                mpmath.digamma(mpmath.mpf(v + 1) / 2) - mpmath.digamma(mpmath.mpf(v) / 2))
        return float(mpmath.log(n) - sum(v * G(v) for v in c) / n)
    if method == "james_stein":
        p = len(c) if p is None else int(p)
        u = [Fraction(v, n) for v in c] + [Fraction(0)] * (p - len(c))
        t = Fraction(1, p)
        msp = sum((t - ui) ** 2 for ui in u)
        if n == 1 or msp == 0:
            lam = Fraction(1)
        else:
            lam = (1 - sum(ui * ui for ui in u)) / ((n - 1) * msp)
            lam = min(max(lam, Fraction(0)), Fraction(1))
        th = [lam * t + (1 - lam) * ui for ui in u]
        return float(sum(-mpmath.mpf(x.numerator) / x.denominator
                         * mpmath.log(mpmath.mpf(x.numerator) / x.denominator)
                         for x in th if x > 0))
    if method == "chao_shen":
        f1 = sum(1 for v in c if v == 1)
        if f1 == n:
            f1 = n - 1
        C = 1 - Fraction(f1, n)
        total = mpmath.mpf(0)
        for v in c:
            pa = C * Fraction(v, n)
            la = 1 - (1 - pa) ** n        # exact rational
            pam = mpmath.mpf(pa.numerator) / pa.denominator
            total += -pam * mpmath.log(pam) / (mpmath.mpf(la.numerator) / la.denominator)
        return float(total)
    raise AssertionError(method)


def _counts(labels):
    _, c = np.unique(np.asarray(labels), return_counts=True)
    return c


def _table(x, y):
    return contingency_matrix(x, y)


def _ref_mi(x, y, method, px=None, py=None):
    """MI in nats: plug-in from scikit-learn; corrected methods as
    H(X) + H(Y) - H(X, Y) of the reference entropies."""
    if method == "plugin":
        return mutual_info_score(x, y)
    t = _table(x, y)
    a, b = t.sum(1), t.sum(0)
    px = len(a) if px is None else px
    py = len(b) if py is None else py
    return (_ref_entropy(a, method, px) + _ref_entropy(b, method, py)
            - _ref_entropy(t.ravel(), method, px * py))


# --------------------------------------------------------------------------
# plug-in MI against scikit-learn
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n,kx,ky", [(50, 3, 4), (1000, 10, 7), (20000, 100, 100),
                                     (3000, 1500, 1500), (100, 1, 5)])
def test_plugin_mi_matches_sklearn(n, kx, ky):
    rng = np.random.default_rng(n + kx)
    x = rng.integers(0, kx, n)
    y = (x * 7 + rng.integers(0, ky, n)) % ky
    got = est.mutual_information(x, y, base="nats")
    assert isinstance(got, np.float64)
    np.testing.assert_allclose(got, mutual_info_score(x, y), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(est.mutual_information(x, y), mutual_info_score(x, y) / LN2,
                               rtol=1e-12, atol=1e-14)


def test_plugin_mi_string_bool_object_labels_match_sklearn():
    rng = np.random.default_rng(3)
    n = 2000
    x = rng.integers(0, 6, n)
    y = (x + rng.integers(0, 3, n)) % 5
    names = np.array(["apple", "kiwi", "pear", "fig", "plum", "lime"])
    xs = names[x]
    ys = np.array(["a", "bb", "ccc", "dd", "e"], dtype=object)[y]
    ref = mutual_info_score(xs, ys)
    np.testing.assert_allclose(est.mutual_information(xs, ys, base="nats"), ref, rtol=1e-12)
    np.testing.assert_allclose(est.mutual_information(list(xs), list(ys), base="nats"), ref,
                               rtol=1e-12)
    # relabelling never changes the estimate
    assert est.mutual_information(xs, ys) == est.mutual_information(x, y)
    b = y > 2
    np.testing.assert_allclose(est.mutual_information(xs, b, base="nats"),
                               mutual_info_score(xs, b), rtol=1e-12)
    # mixed Python objects that compare (ints and floats)
    o = np.array([1, 2.5, 1, 3, 2.5, 3], dtype=object)
    np.testing.assert_allclose(est.mutual_information(o, [0, 1, 0, 1, 1, 1], base="nats"),
                               mutual_info_score(o.astype(str), [0, 1, 0, 1, 1, 1]), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32, np.uint32,
                                   np.int64, np.uint64])
def test_integer_dtypes_full_range(dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(5)
    vals = np.array([info.min, info.max, 0, 1, info.max // 2], dtype=dtype)
    x = vals[rng.integers(0, 5, 300)]
    y = rng.integers(0, 3, 300)
    ref = mutual_info_score(x.astype(str), y)
    np.testing.assert_allclose(est.mutual_information(x, y, base="nats"), ref, rtol=1e-12)
    t, lx, _ = est.contingency_table(x, y, return_labels=True)
    assert lx.dtype == dtype
    np.testing.assert_array_equal(lx, np.unique(x))
    np.testing.assert_array_equal(t, contingency_matrix(x, y))


def test_wide_range_ints_and_float_labels():
    rng = np.random.default_rng(6)
    x = rng.integers(0, 5, 500) * 10**12 - 7
    y = rng.integers(0, 4, 500).astype(np.float64) / 3
    np.testing.assert_allclose(est.mutual_information(x, y, method="plugin", base="nats"),
                               mutual_info_score(x, np.round(y * 3).astype(int)), rtol=1e-12)
    np.testing.assert_allclose(est.entropy(y, method="plugin", base="nats"),
                               stats.entropy(_counts(y)), rtol=1e-13)


# --------------------------------------------------------------------------
# hand-computed values for every method
# --------------------------------------------------------------------------

def test_hand_values_counts_321():
    g = 0.57721566490153286061  # Euler's gamma
    ln = math.log
    plugin = 0.5 * ln(2) + ln(3) / 3 + ln(6) / 6
    # Grassberger: G(1) = -g - ln 2, G(2) = G(3) = 2 - g - ln 2 (closed forms
    # of psi at 1, 2, 3, 1/2, 3/2)
    grass = ln(6) - (3 * (2 - g - ln(2)) + 2 * (2 - g - ln(2)) + (-g - ln(2))) / 6
    # James-Stein with p = 4: u = (1/2, 1/3, 1/6, 0), lambda = (11/90) / (5/36)
    lam = Fraction(11, 90) / Fraction(5, 36)
    assert lam == Fraction(22, 25)
    th = [lam / 4 + (1 - lam) * u for u in (Fraction(1, 2), Fraction(1, 3), Fraction(1, 6), 0)]
    js = -sum(float(t) * ln(float(t)) for t in th)
    # Chao-Shen: C = 5/6, pa = (5/12, 5/18, 5/36), la = 1 - (1 - pa)^6
    cs = 0.0
    for pa in (Fraction(5, 12), Fraction(5, 18), Fraction(5, 36)):
        la = 1 - (1 - pa) ** 6
        cs += -float(pa) * ln(float(pa)) / float(la)
    want = {"plugin": plugin, "miller_madow": plugin + 2 / 12, "grassberger": grass,
            "james_stein": js, "chao_shen": cs}
    x = np.array(["a", "a", "a", "b", "b", "c"])
    for m, v in want.items():
        kw = {"n_categories": 4} if m == "james_stein" else {}
        assert est.entropy(x, method=m, base="nats", **kw) == pytest.approx(v, rel=1e-14), m
        assert est.entropy_from_counts([3, 2, 1], method=m, base="nats", **kw) == \
            pytest.approx(v, rel=1e-14), m
        assert _ref_entropy([3, 2, 1], m, 4) == pytest.approx(v, rel=1e-14), m


def test_grassberger_closed_form_many_counts():
    # G(2k) = G(2k + 1) = -gamma - ln 2 + sum_{j=1..k} 2 / (2j - 1)
    g = 0.57721566490153286061

    def G(c):
        k = c // 2
        return -g - math.log(2) + sum(2.0 / (2 * j - 1) for j in range(1, k + 1))

    counts = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 37, 101, 1000, 12345])
    n = counts.sum()
    want = math.log(n) - sum(int(c) * G(int(c)) for c in counts) / n
    assert est.entropy_from_counts(counts, method="grassberger", base="nats") == \
        pytest.approx(want, rel=1e-13)


@pytest.mark.parametrize("counts", [[3, 2, 1], [1, 1, 1], [5], [1], [4, 4, 4, 4], [7, 1, 1, 2, 9, 1],
                                    [100, 3, 1, 1, 0, 2], [2, 2], [1] * 99 + [2]])
@pytest.mark.parametrize("method", METHODS)
def test_entropy_methods_match_exact_reference(counts, method):
    p = None
    kw = {}
    if method == "james_stein":
        p = np.count_nonzero(counts) + 2
        kw = {"n_categories": p}
    got = est.entropy_from_counts(counts, method=method, base="nats", **kw)
    assert got == pytest.approx(_ref_entropy(counts, method, p), rel=1e-13, abs=1e-15)
    labels = np.repeat(np.arange(len(counts)), counts)
    assert est.entropy(labels, method=method, base="nats", **kw) == got


@pytest.mark.parametrize("method", METHODS)
def test_mi_hand_table(method):
    # x, y with table [[3, 1], [1, 3]]
    x = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1])
    if method == "plugin":
        want = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    else:
        want = 2 * _ref_entropy([4, 4], method) - _ref_entropy([3, 1, 1, 3], method, 4)
    got = est.mutual_information(x, y, method=method, base="nats")
    assert got == pytest.approx(want, rel=1e-13, abs=1e-15)
    assert est.mutual_information_from_counts([[3, 1], [1, 3]], method=method,
                                              base="nats") == got
    # conditional entropy H(Y|X) = H(X, Y) - H(X)
    ce = est.conditional_entropy(y, x, method=method, base="nats")
    if method == "plugin":
        ce_want = 2 * (0.5 * (0.75 * math.log(4 / 3) + 0.25 * math.log(4)))
    else:
        ce_want = _ref_entropy([3, 1, 1, 3], method, 4) - _ref_entropy([4, 4], method)
    assert ce == pytest.approx(ce_want, rel=1e-13)


@pytest.mark.parametrize("method", METHODS)
def test_mi_random_tables_match_reference(method):
    rng = np.random.default_rng(11)
    for n, kx, ky in [(40, 3, 5), (200, 6, 4), (15, 4, 4)]:
        x = rng.integers(0, kx, n)
        y = (x + rng.integers(0, 2, n)) % ky
        got = est.mutual_information(x, y, method=method, base="nats")
        assert got == pytest.approx(_ref_mi(x, y, method), rel=1e-12, abs=1e-14)
        if method == "james_stein":
            got = est.mutual_information(x, y, method=method, base="nats",
                                         n_categories=(kx + 1, ky + 2))
            assert got == pytest.approx(_ref_mi(x, y, method, kx + 1, ky + 2), rel=1e-12)


def test_conditional_entropy_and_cmi_plugin_references():
    rng = np.random.default_rng(12)
    n = 3000
    z = rng.integers(0, 4, n)
    x = (z + rng.integers(0, 3, n)) % 5
    y = (x + z + rng.integers(0, 2, n)) % 6
    # H(Y | X) = H(X, Y) - H(X), from SciPy on the counts
    t = contingency_matrix(x, y)
    ce = stats.entropy(t.ravel()) - stats.entropy(t.sum(1))
    np.testing.assert_allclose(est.conditional_entropy(y, x, base="nats"), ce, rtol=1e-12)
    # I(X; Y | Z) = sum_z p(z) I(X; Y | Z = z), each term by scikit-learn
    cmi = sum(np.mean(z == v) * mutual_info_score(x[z == v], y[z == v]) for v in range(4))
    np.testing.assert_allclose(est.conditional_mutual_information(x, y, z, base="nats"), cmi,
                               rtol=1e-12)
    for m in CORRECTED:
        h = lambda *v, m=m: _ref_entropy(np.unique(np.stack(v), axis=1, return_counts=True)[1], m,
                                    math.prod(len(np.unique(a)) for a in v))
        want = h(x, z) + h(y, z) - h(x, y, z) - h(z)
        assert est.conditional_mutual_information(x, y, z, method=m, base="nats") == \
            pytest.approx(want, rel=1e-11), m
        want_ce = h(x, y) - h(x)
        assert est.conditional_entropy(y, x, method=m, base="nats") == \
            pytest.approx(want_ce, rel=1e-11), m


@pytest.mark.parametrize("kz", [3, 40])
def test_cmi_sparse_path_matches_reference(kz):
    # kz = 40: even the (x, z) pairs exceed the dense limit
    rng = np.random.default_rng(13)
    n = 4000
    z = rng.integers(0, kz, n)
    x = rng.integers(0, 2000, n)
    y = (x + z + rng.integers(0, 3, n)) % 1500
    cmi = sum(np.mean(z == v) * mutual_info_score(x[z == v], y[z == v]) for v in range(kz))
    np.testing.assert_allclose(est.conditional_mutual_information(x, y, z, base="nats"), cmi,
                               rtol=1e-11)
    ce = stats.entropy(np.unique(np.c_[x, y], axis=0, return_counts=True)[1]) \
        - stats.entropy(np.unique(x, return_counts=True)[1])
    np.testing.assert_allclose(est.conditional_entropy(y, x, base="nats"), ce, rtol=1e-11)


# --------------------------------------------------------------------------
# bias on small samples (simulation)
# --------------------------------------------------------------------------

def test_corrected_entropy_estimators_less_biased_than_plugin():
    K, n, S = 10, 20, 4000
    p = np.arange(1, K + 1, dtype=float)
    p /= p.sum()
    h_true = -np.sum(p * np.log(p))
    rng = np.random.default_rng(2024)
    X = rng.choice(K, size=(n, S), p=p)          # S independent samples, one per column
    est_by = {m: est.entropy(X, method=m, base="nats",
                             n_categories=K if m == "james_stein" else None)
              for m in METHODS}
    bias = {m: v.mean() - h_true for m, v in est_by.items()}
    se = {m: v.std(ddof=1) / math.sqrt(S) for m, v in est_by.items()}
    assert bias["plugin"] < -0.15          # the known downward bias, about -(K-1)/(2n)
    for m in CORRECTED:
        # 4 standard errors of both means: the ordering is not an accident of the draw
        margin = 4.0 * (se[m] + se["plugin"])
        assert abs(bias[m]) + margin < abs(bias["plugin"]), (m, bias, se)


def test_corrected_mi_less_biased_than_plugin_independent():
    kx, ky, n, S = 4, 5, 30, 3000
    rng = np.random.default_rng(77)
    X = rng.integers(0, kx, (n, S))
    Y = rng.integers(0, ky, (n, S))
    vals = {m: est.mutual_information(X, Y, method=m, base="nats",
                                      n_categories=(kx, ky) if m == "james_stein" else None)
            for m in METHODS}
    # true MI is 0; plug-in is biased up by about (kx-1)(ky-1)/(2n)
    assert vals["plugin"].mean() > 0.1
    for m in CORRECTED:
        se = (vals[m].std(ddof=1) + vals["plugin"].std(ddof=1)) / math.sqrt(S)
        assert abs(vals[m].mean()) + 4 * se < vals["plugin"].mean(), m


# --------------------------------------------------------------------------
# identities
# --------------------------------------------------------------------------

def test_symmetry_self_information_and_nonnegativity():
    rng = np.random.default_rng(21)
    for trial in range(30):
        n = int(rng.integers(1, 300))
        x = rng.integers(0, int(rng.integers(1, 8)), n)
        y = rng.integers(0, int(rng.integers(1, 8)), n)
        z = rng.integers(0, int(rng.integers(1, 4)), n)
        if trial % 3 == 0:
            y = (x + z) % 3
        for m in METHODS:
            a = est.mutual_information(x, y, method=m)
            b = est.mutual_information(y, x, method=m)
            assert a == pytest.approx(b, rel=1e-12, abs=1e-14)
        assert est.mutual_information(x, x) == pytest.approx(est.entropy(x), rel=1e-13,
                                                              abs=1e-15)
        for m in ("miller_madow", "grassberger", "chao_shen"):
            assert est.mutual_information(x, x, method=m) == pytest.approx(
                est.entropy(x, method=m), rel=1e-12, abs=1e-14)
        assert est.conditional_mutual_information(x, y, z) >= 0.0
        assert est.conditional_mutual_information(x, x, z) == pytest.approx(
            est.conditional_entropy(x, z), rel=1e-12, abs=1e-14)
        assert est.mutual_information(x, y) >= 0.0
        assert est.conditional_entropy(y, x) >= 0.0
        # chain rule for the plug-in estimates
        assert est.conditional_entropy(y, x) == pytest.approx(
            est.entropy(y) - est.mutual_information(x, y), abs=1e-12)


def test_conditionally_independent_cmi_is_exactly_nonnegative():
    # X and Y independent within every Z = z cell by construction (product tables)
    x = np.repeat([0, 1, 0, 1], 6)
    y = np.tile([0, 1, 2], 8)
    z = np.repeat([0, 1], 12)
    v = est.conditional_mutual_information(x, y, z)
    assert v >= 0.0 and v < 1e-15


# --------------------------------------------------------------------------
# batches and the all-pairs matrix
# --------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_batched_columns_bitwise_equal_per_column(method):
    rng = np.random.default_rng(31)
    n, m = 500, 6
    X = rng.integers(0, 5, (n, m))
    Y = (X + rng.integers(0, 3, (n, m))) % 4
    Z = rng.integers(0, 3, (n, m))
    y1 = rng.integers(0, 3, n)
    h = est.entropy(X, method=method)
    assert h.shape == (m,)
    for j in range(m):
        assert h[j] == est.entropy(X[:, j], method=method)
    mi = est.mutual_information(X, Y, method=method)
    mi1 = est.mutual_information(X, y1, method=method)
    ce = est.conditional_entropy(Y, X, method=method)
    cmi = est.conditional_mutual_information(X, Y, Z, method=method)
    for j in range(m):
        assert mi[j] == est.mutual_information(X[:, j], Y[:, j], method=method)
        assert mi1[j] == est.mutual_information(X[:, j], y1, method=method)
        assert ce[j] == est.conditional_entropy(Y[:, j], X[:, j], method=method)
        assert cmi[j] == est.conditional_mutual_information(X[:, j], Y[:, j], Z[:, j],
                                                            method=method)
    S = np.array(["u", "v", "w", "x", "y"])[X]
    hs = est.entropy(S, method=method)
    np.testing.assert_array_equal(hs, h)


def test_mutual_information_matrix_matches_pairs_and_sklearn():
    rng = np.random.default_rng(41)
    n, m = 3000, 7
    X = rng.integers(0, 6, (n, m))
    X[:, 3] = (X[:, 0] + X[:, 1]) % 6
    X[:, 5] = rng.integers(0, 2500, n)           # a column whose pairs take the sparse path
    for method in METHODS:
        M = est.mutual_information_matrix(X, method=method)
        np.testing.assert_array_equal(M, M.T)
        for i in range(m):
            assert M[i, i] == est.entropy(X[:, i], method=method)
            for j in range(i + 1, m):
                assert M[i, j] == est.mutual_information(X[:, i], X[:, j], method=method)
    M = est.mutual_information_matrix(X, base="nats")
    for i, j in itertools.combinations(range(m), 2):
        np.testing.assert_allclose(M[i, j], mutual_info_score(X[:, i], X[:, j]), rtol=1e-12,
                                   atol=1e-15)
    # string columns give the same matrix (up to the order of the cells)
    Xs = np.char.add("k", X.astype(str))
    np.testing.assert_allclose(est.mutual_information_matrix(Xs, base="nats"), M, rtol=1e-12,
                               atol=1e-15)


def test_mutual_information_matrix_threads_bitwise():
    rng = np.random.default_rng(42)
    X = rng.integers(0, 10, (20000, 12))
    X[:, 1] = (X[:, 0] * 3 + X[:, 2]) % 10
    old = ib.get_num_threads()
    try:
        outs = {}
        for t in (1, 2, 3):
            ib.set_num_threads(t)
            outs[t] = {m: est.mutual_information_matrix(X, method=m) for m in METHODS}
            outs[t]["e"] = est.entropy(X)
    finally:
        ib.set_num_threads(old)
    for m in outs[1]:
        np.testing.assert_array_equal(outs[1][m], outs[2][m])
        np.testing.assert_array_equal(outs[1][m], outs[3][m])


def test_matrix_edge_shapes():
    assert est.mutual_information_matrix(np.zeros((5, 0), int)).shape == (0, 0)
    np.testing.assert_array_equal(est.mutual_information_matrix(np.zeros((0, 3), int)),
                                  np.zeros((3, 3)))
    with pytest.raises(ValueError, match="2-D"):
        est.mutual_information_matrix([1, 2, 3])


# --------------------------------------------------------------------------
# contingency tables and counts
# --------------------------------------------------------------------------

def test_contingency_table_dense_and_sparse():
    rng = np.random.default_rng(51)
    x = rng.choice(np.array(["b", "a", "c"]), 400)
    y = rng.integers(-3, 4, 400)
    t, lx, ly = est.contingency_table(x, y, return_labels=True)
    assert t.dtype == np.int64
    np.testing.assert_array_equal(t, contingency_matrix(x, y))
    np.testing.assert_array_equal(lx, ["a", "b", "c"])
    np.testing.assert_array_equal(ly, np.arange(-3, 4))
    assert est.mutual_information_from_counts(t) == est.mutual_information(x, y)
    # large alphabets: sparse (kx * ky > max(65536, 8 n))
    n = 5000
    x = rng.integers(0, 3000, n)
    y = rng.integers(0, 3000, n)
    ts = est.contingency_table(x, y)
    assert sps.issparse(ts)
    ref = contingency_matrix(x, y, sparse=True)
    assert (ts != ref).nnz == 0 and ts.shape == ref.shape
    for m in METHODS:
        a = est.mutual_information_from_counts(ts, method=m)
        b = est.mutual_information(x, y, method=m)
        assert a == pytest.approx(b, rel=1e-13, abs=1e-15), m
    np.testing.assert_allclose(est.mutual_information(x, y, base="nats"),
                               mutual_info_score(x, y), rtol=1e-12)
    assert est.entropy_from_counts(ts, axis=None) == pytest.approx(
        stats.entropy(ref.data, base=2), rel=1e-13)


def test_entropy_from_counts_axes_and_scipy():
    rng = np.random.default_rng(61)
    c = rng.integers(0, 20, (4, 5, 6))
    for axis in (0, 1, 2, -1):
        np.testing.assert_allclose(est.entropy_from_counts(c, axis=axis),
                                   stats.entropy(c, base=2, axis=axis), rtol=1e-13)
    np.testing.assert_allclose(est.entropy_from_counts(c, axis=None, base="nats"),
                               stats.entropy(c.ravel()), rtol=1e-13)
    np.testing.assert_allclose(est.entropy_from_counts(c.astype(float), base=10),
                               stats.entropy(c, base=10, axis=-1), rtol=1e-13)
    sp = sps.csr_array(c[0])
    np.testing.assert_allclose(est.entropy_from_counts(sp), stats.entropy(c[0], base=2, axis=1),
                               rtol=1e-13)
    assert est.entropy_from_counts([0, 0, 0]) == 0.0
    with pytest.raises(ValueError, match="index 1"):
        est.entropy_from_counts([1, -2, 3])
    with pytest.raises(ValueError, match="integer counts"):
        est.entropy_from_counts([1.5, 2.0])
    with pytest.raises(ValueError, match="smaller"):
        est.entropy_from_counts([1, 2, 3], method="james_stein", n_categories=2)
    with pytest.raises(TypeError):
        est.entropy_from_counts(["a", "b"])


# --------------------------------------------------------------------------
# base, bad input, empty input
# --------------------------------------------------------------------------

def test_base_units():
    x = [0, 1, 1, 2, 2, 2]
    y = [1, 1, 0, 0, 1, 0]
    for f in (lambda b: est.entropy(x, base=b), lambda b: est.mutual_information(x, y, base=b),
              lambda b: est.conditional_entropy(y, x, base=b),
              lambda b: est.conditional_mutual_information(x, y, x[::-1], base=b),
              lambda b: est.mutual_information_matrix(np.c_[x, y], base=b),
              lambda b: est.entropy_from_counts([3, 2, 1], base=b),
              lambda b: est.mutual_information_from_counts([[1, 2], [3, 1]], base=b)):
        nats = f("nats")
        np.testing.assert_allclose(f("bits"), nats / LN2, rtol=1e-14)
        np.testing.assert_allclose(f(2), nats / LN2, rtol=1e-14)
        np.testing.assert_allclose(f("bans"), nats / math.log(10), rtol=1e-14)
        np.testing.assert_allclose(f(3.5), nats / math.log(3.5), rtol=1e-14)
        for bad in (1, 0, -2, "dits", float("nan")):
            with pytest.raises(ValueError, match="base"):
                f(bad)


def test_float_input_needs_a_method():
    xf = np.array([0.1, 0.2, 0.1])
    with pytest.raises(ValueError) as ei:
        est.mutual_information(xf, [1, 2, 1])
    msg = str(ei.value)
    assert "method='plugin'" in msg and "ksg" in msg
    with pytest.raises(ValueError, match="differential_entropy"):
        est.entropy(xf)
    for f in (lambda: est.conditional_entropy(xf, [1, 2, 1]),
              lambda: est.conditional_mutual_information([1, 2, 1], [1, 1, 1], xf),
              lambda: est.mutual_information_matrix(xf[:, None])):
        with pytest.raises(ValueError, match="method='plugin'"):
            f()
    assert est.entropy(xf, method="plugin") == pytest.approx(stats.entropy([2, 1], base=2))
    assert est.mutual_information(xf, [1, 2, 1], method="plugin") == pytest.approx(
        stats.entropy([2, 1], base=2))


def test_bad_input_errors():
    with pytest.raises(ValueError, match=r"5 and 4"):
        est.mutual_information([1, 2, 3, 4, 5], [1, 2, 3, 4])
    with pytest.raises(ValueError, match=r"3 and 2"):
        est.conditional_entropy([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"3 and 4"):
        est.conditional_mutual_information([1, 2, 3], [1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(ValueError, match=r"2 and 3"):
        est.contingency_table([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="index 2"):
        est.entropy([1.0, 2.0, np.nan, 1.0], method="plugin")
    with pytest.raises(ValueError, match="index 1"):
        est.mutual_information([1, 2, 3], [0.5, np.nan, np.nan], method="plugin")
    with pytest.raises(ValueError, match="index 3"):
        est.entropy(np.array([1, 2.5, 1, float("nan"), 2], dtype=object))
    with pytest.raises(TypeError, match="comparable"):
        est.entropy(np.array([1, "a", 2], dtype=object))
    with pytest.raises(TypeError, match="comparable"):
        est.entropy(np.array([{1: 2}, {3: 4}], dtype=object))
    unhashable = np.empty(3, dtype=object)
    unhashable[0], unhashable[1], unhashable[2] = [1], [2], [1]
    with pytest.raises(TypeError, match="hashable"):
        est.entropy(unhashable)
    with pytest.raises(ValueError, match="method"):
        est.entropy([1, 2], method="ksg")
    with pytest.raises(ValueError, match="method"):
        est.mutual_information([1, 2], [1, 2], method="nope")
    with pytest.raises(ValueError, match="smaller"):
        est.entropy([1, 2, 3], method="james_stein", n_categories=2)
    with pytest.raises(TypeError, match="n_categories"):
        est.entropy([1, 2, 3], n_categories=2.5)
    with pytest.raises(ValueError, match="shape"):
        est.entropy(np.zeros((2, 2, 2), int))
    with pytest.raises(ValueError, match="columns"):
        est.mutual_information(np.zeros((4, 2), int), np.zeros((4, 3), int))


def test_empty_input_is_zero():
    for m in METHODS:
        assert est.entropy([], method=m) == 0.0
        assert est.entropy(np.array([], dtype=str), method=m) == 0.0
        assert est.mutual_information(np.array([], int), np.array([], int), method=m) == 0.0
        assert est.conditional_entropy(np.array([], int), np.array([], int), method=m) == 0.0
        assert est.conditional_mutual_information(
            np.array([], int), np.array([], int), np.array([], int), method=m) == 0.0
        np.testing.assert_array_equal(est.entropy(np.zeros((0, 3), int), method=m), np.zeros(3))
        assert est.mutual_information_from_counts(np.zeros((2, 2), int), method=m) == 0.0
    t = est.contingency_table(np.array([], int), np.array([], int))
    assert t.shape == (0, 0)


def test_one_sample_and_constant_columns():
    for m in METHODS:
        assert est.entropy([7], method=m, base="nats") == pytest.approx(_ref_entropy([1], m),
                                                                         abs=1e-15)
        assert est.entropy(["a"] * 50, method=m, base="nats") == pytest.approx(
            _ref_entropy([50], m), abs=1e-15)
        assert est.mutual_information([1] * 10, list(range(10)), method=m,
                                      base="nats") == pytest.approx(
            _ref_mi(np.ones(10, int), np.arange(10), m), abs=1e-14)


def test_docstring_examples_run():
    fails = 0
    n = 0
    for name in est.__all__:
        obj = getattr(est, name)
        if "continuous" in obj.__module__:
            continue
        for t in doctest.DocTestFinder(recurse=False).find(obj, name, globs={"np": np}):
            r = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            r.run(t)
            fails += r.failures
            n += len(t.examples)
        doc = obj.__doc__ or ""
        assert "Examples\n    --------" in doc, name
        assert "Parameters\n    ----------" in doc, name
    assert n > 20 and fails == 0


# Found by the atheris fuzzer: a table of absurd counts (0x7a7a7a7a7a7a7a7a
# each) overflowed the kernel's int64 sums; totals above 2**53 now raise.
@pytest.mark.parametrize("dtype", [np.int64, np.uint64, np.float64])
def test_counts_totalling_above_2_53_raise_naming_the_argument(dtype):
    big = np.array([[0x7A7A7A7A7A7A7A7A, 3], [5, 0x7A7A7A7A7A7A7A7A]], dtype=dtype)
    with pytest.raises(ValueError, match="table"):
        est.mutual_information_from_counts(big)
    with pytest.raises(ValueError, match="table"):
        est.mutual_information_from_counts(sps.csr_matrix(big))
    with pytest.raises(ValueError, match="counts"):
        est.entropy_from_counts(big[0])
    # at 2**53 exactly the total is still taken, and agrees with SciPy
    ok = np.array([2**52, 2**52], dtype=dtype)
    assert est.entropy_from_counts(ok) == pytest.approx(stats.entropy([1, 1], base=2))
