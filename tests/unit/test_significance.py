"""infobits.estimate.permutation_test.

References: hand-countable cases (the p-value formula), the binomial
distribution (false-positive rate over many independent data sets,
uniformity of the permutations: scipy.stats), the estimator called on
permuted copies built here in NumPy (the fast paths against the generic
path), conditional MI of delay vectors embedded here by hand (TE
surrogates: the source's history vectors permuted as units), and
permutation invariance (an entropy's null distribution is its value).
All data and random states are fixed: the tests are deterministic.
"""
from functools import partial

import numpy as np
import pytest
from scipy import stats

import infobits as ib
import infobits.estimate as est


def _generic(f):
    # the same estimator behind a wrapper: permutation_test takes its
    # generic path (estimator called on permuted copies)
    def g(*a, **k):
        return f(*a, **k)
    return g


def _keys(random_state, m):
    return np.random.default_rng(random_state).integers(0, 2 ** 64, size=m, dtype=np.uint64)


def test_pvalue_hand_countable():
    # statistic x[0] of x = [1, 0]: each permutation leaves 1 first (null 1)
    # or puts 0 first (null 0); p = (1 + #ones) / (1 + m)
    seen = []

    def first(x, y):
        seen.append(np.array(x))
        return float(x[0])

    res = est.permutation_test(first, [1.0, 0.0], [0, 0], n_permutations=9, random_state=3)
    ones = sum(1 for s in seen[1:] if s[0] == 1.0)
    assert res.statistic == 1.0
    assert res.pvalue == (1 + ones) / 10
    assert list(res.null_distribution) == [float(s[0]) for s in seen[1:]]
    # a statistic larger than every null value: p = 1 / (1 + m)
    res = est.permutation_test(lambda x, y: float(np.dot(x, y)), np.arange(6.0),
                               np.arange(6.0), n_permutations=19, random_state=0)
    assert res.statistic == 55.0 and res.null_distribution.max() < 55.0
    assert res.pvalue == 1 / 20
    # permutation-invariant statistic (entropy of labels): every null value
    # equals it, p = 1
    x = np.array([0, 0, 1, 2, 2, 2])
    res = est.permutation_test(est.entropy, x, n_permutations=7, random_state=0)
    assert np.all(res.null_distribution == res.statistic) and res.pvalue == 1.0


def test_ties_count_as_greater_or_equal():
    # x = y = [0, 0, 1, 1]: a permutation pairs them as the data (MI 1 bit,
    # computed by the compiled fast path along another formula) or as
    # [[1, 1], [1, 1]] (MI 0); by hand, p = (1 + #{null near 1}) / (1 + m)
    x = np.array([0, 0, 1, 1])
    res = est.permutation_test(est.mutual_information, x, x, n_permutations=99,
                               random_state=0)
    assert res.statistic == 1.0
    assert np.all(np.isclose(res.null_distribution, 0.0, atol=1e-12)
                  | np.isclose(res.null_distribution, 1.0, rtol=1e-12))
    ties = int(np.sum(res.null_distribution > 0.5))
    assert 0 < ties < 99
    assert res.pvalue == (1 + ties) / 100


def test_permutations_uniform():
    # all 3! orders equally likely (chi-square against uniform, fixed random state)
    codes = []

    def code(x, y):
        codes.append(int(x[0]) * 9 + int(x[1]) * 3 + int(x[2]))
        return 0.0

    est.permutation_test(code, np.array([0, 1, 2]), np.zeros(3), n_permutations=6000,
                         random_state=11)
    _, counts = np.unique(codes[1:], return_counts=True)
    assert counts.size == 6
    assert stats.chisquare(counts).pvalue > 1e-3


def test_block_permutation_keeps_blocks_intact():
    seen = []

    def record(x, y):
        seen.append(np.array(x))
        return 0.0

    n, b = 11, 3
    est.permutation_test(record, np.arange(n), np.zeros(n), n_permutations=50,
                         block_size=b, random_state=5)
    blocks = {tuple(range(s, min(s + b, n))) for s in range(0, n, b)}
    orders = set()
    for p in seen[1:]:
        assert sorted(p) == list(range(n))
        cut, i = [], 0
        while i < n:                              # split where each block starts
            blk = next(bk for bk in blocks if bk[0] == p[i])
            assert tuple(p[i:i + len(blk)]) == blk
            cut.append(blk[0])
            i += len(blk)
        orders.add(tuple(cut))
    assert len(orders) > 10                       # the blocks do move
    # the plug-in fast path uses the same block permutations
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 3, 200), rng.integers(0, 2, 200)
    fast = est.permutation_test(est.mutual_information, x, y, n_permutations=30, block_size=7,
                                random_state=2)
    slow = est.permutation_test(_generic(est.mutual_information), x, y, n_permutations=30,
                                block_size=7, random_state=2)
    np.testing.assert_allclose(fast.null_distribution, slow.null_distribution, rtol=0,
                               atol=1e-12)


def test_plugin_fast_path_equals_permuted_copies():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 5, 3000)
    y = (x + rng.integers(0, 3, 3000)) % 4
    for kw in ({}, {"base": "nats"}, {"method": "plugin", "base": 10}):
        fast = est.permutation_test(est.mutual_information, x, y, n_permutations=40,
                                    random_state=9, **kw)
        slow = est.permutation_test(_generic(est.mutual_information), x, y,
                                    n_permutations=40, random_state=9, **kw)
        np.testing.assert_allclose(fast.null_distribution, slow.null_distribution, rtol=0,
                                   atol=1e-12)
        assert fast.statistic == slow.statistic
    # strings, and more than 256 categories (the int32 copy of the codes)
    xs = np.array(["a", "b", "c"])[x % 3]
    big = rng.integers(0, 700, 3000)
    for a in (xs, big):
        fast = est.permutation_test(est.mutual_information, a, y, n_permutations=10,
                                    random_state=4)
        slow = est.permutation_test(_generic(est.mutual_information), a, y, n_permutations=10,
                                    random_state=4)
        np.testing.assert_allclose(fast.null_distribution, slow.null_distribution, rtol=0,
                                   atol=1e-12)


def test_ksg_fast_path_equals_permuted_copies():
    rng = np.random.default_rng(2)
    x = rng.normal(size=800)
    y = x ** 2 + rng.normal(size=800)
    mi3 = partial(est.mutual_information, random_state=3)      # the estimator's own random_state
    for f, kw in ((est.mutual_information, {"method": "ksg"}),
                  (mi3, {"method": "ksg", "k": 5, "base": "nats"})):
        fast = est.permutation_test(f, x, y, n_permutations=15, random_state=1, **kw)
        slow = est.permutation_test(_generic(f), x, y, n_permutations=15, random_state=1,
                                    **kw)
        # (tie-free data: jittering before or after permuting changes no count)
        np.testing.assert_allclose(fast.null_distribution, slow.null_distribution, rtol=0,
                                   atol=1e-12)
        assert fast.pvalue == slow.pvalue == 1 / 16


def test_te_surrogates_permute_source_history_vectors():
    # TE of x -> y with source history 2: the null values are the KSG
    # conditional MI I(x-past ; y_t | y_{t-1}) with the rows of x-past
    # permuted (embedded here by hand), JIDT's surrogates
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    y = np.zeros(n)
    for t in range(2, n):
        y[t] = 0.4 * y[t - 1] + 0.5 * x[t - 1] + 0.3 * x[t - 2] + 0.5 * rng.normal()
    kw = dict(source_history=2, k=4, jitter=0, standardize=False, base="nats")
    res = est.permutation_test(est.transfer_entropy, x, y, n_permutations=12, random_state=7,
                               **kw)
    t = np.arange(2, n)
    xs = np.column_stack([x[t - 1], x[t - 2]])
    ys, zs = y[t][:, None], y[t - 1][:, None]
    ref = est.conditional_mutual_information(xs, ys, zs, method="ksg", k=4, jitter=0,
                                             standardize=False, base="nats")
    np.testing.assert_allclose(res.statistic, ref, rtol=0, atol=1e-12)
    for s, v in zip(_keys(7, 12), res.null_distribution):
        pi = ib._estimate.perm_indices(int(s), t.size)
        assert sorted(pi) == list(range(t.size))
        want = est.conditional_mutual_information(xs[pi], ys, zs, method="ksg", k=4, jitter=0,
                                                  standardize=False, base="nats")
        np.testing.assert_allclose(v, want, rtol=0, atol=1e-12)
    assert res.pvalue == 1 / 13
    # plug-in TE of labels: the same surrogates, counted from codes
    xl = rng.integers(0, 2, 500)
    yl = np.r_[0, xl[:-1]] ^ (rng.random(500) < 0.1)
    res = est.permutation_test(est.transfer_entropy, xl, yl, n_permutations=9, random_state=1,
                               method="plugin", base="nats")
    tt = np.arange(1, 500)
    for s, v in zip(_keys(1, 9), res.null_distribution):
        pi = ib._estimate.perm_indices(int(s), tt.size)
        want = est.conditional_mutual_information(xl[tt - 1][pi], yl[tt], yl[tt - 1],
                                                  base="nats")
        np.testing.assert_allclose(v, want, rtol=0, atol=1e-12)


def test_ais_surrogates_permute_past_vectors():
    # AIS with history 2: the null values are the KSG MI I(x-past ; x_t)
    # with the rows of the past vectors (embedded here by hand) permuted
    rng = np.random.default_rng(9)
    n = 400
    x = np.zeros(n)
    for t in range(2, n):
        x[t] = 0.5 * x[t - 1] - 0.3 * x[t - 2] + rng.normal()
    kw = dict(history=2, k=4, jitter=0, standardize=False, base="nats")
    res = est.permutation_test(est.active_information_storage, x, n_permutations=8,
                               random_state=3, **kw)
    t = np.arange(2, n)
    past, nxt = np.column_stack([x[t - 1], x[t - 2]]), x[t]
    ref = est.mutual_information(past, nxt, method="ksg", k=4, jitter=0, standardize=False,
                                 base="nats")
    np.testing.assert_allclose(res.statistic, ref, rtol=0, atol=1e-12)
    for s, v in zip(_keys(3, 8), res.null_distribution):
        pi = ib._estimate.perm_indices(int(s), t.size)
        want = est.mutual_information(past[pi], nxt, method="ksg", k=4, jitter=0,
                                      standardize=False, base="nats")
        np.testing.assert_allclose(v, want, rtol=0, atol=1e-12)
    assert res.pvalue == 1 / 9
    # labels (plug-in): past labels against the next label
    xl = (np.cumsum(rng.random(300) < 0.2) % 3)
    res = est.permutation_test(est.active_information_storage, xl, method="plugin",
                               n_permutations=6, random_state=2, base="nats")
    tt = np.arange(1, 300)
    for s, v in zip(_keys(2, 6), res.null_distribution):
        pi = ib._estimate.perm_indices(int(s), tt.size)
        want = est.mutual_information(xl[tt - 1][pi], xl[tt], base="nats")
        np.testing.assert_allclose(v, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("nt", [2])
def test_same_result_for_any_thread_count(nt):
    rng = np.random.default_rng(4)
    x = rng.integers(0, 6, 200_000)
    y = rng.integers(0, 4, 200_000)
    xf = rng.normal(size=3000)
    yf = xf + rng.normal(size=3000)
    old = ib.get_num_threads()
    try:
        out = []
        for k in (1, nt):
            ib.set_num_threads(k)
            a = est.permutation_test(est.mutual_information, x, y, n_permutations=60,
                                     random_state=5)
            b = est.permutation_test(est.mutual_information, xf, yf, n_permutations=5,
                                     random_state=5, method="ksg")
            c = est.permutation_test(est.transfer_entropy, xf, yf, n_permutations=5,
                                     random_state=5)
            out.append((a.null_distribution, b.null_distribution, c.null_distribution))
        for u, v in zip(*out):
            assert u.tobytes() == v.tobytes()
    finally:
        ib.set_num_threads(old)
    # a Generator or an int: the same permutations
    r1 = est.permutation_test(est.mutual_information, x[:500], y[:500], n_permutations=20,
                              random_state=np.random.default_rng(8))
    r2 = est.permutation_test(est.mutual_information, x[:500], y[:500], n_permutations=20,
                              random_state=8)
    assert r1.null_distribution.tobytes() == r2.null_distribution.tobytes()


def test_calibration_false_positive_rate():
    # independent labels, 200 data sets, alpha 0.05: the number of rejections is
    # Binomial(200, <= 0.05) under a valid test; 0.999 quantile bound
    rej = 0
    for rs in range(200):
        rng = np.random.default_rng(1000 + rs)
        x, y = rng.integers(0, 3, 60), rng.integers(0, 3, 60)
        p = est.permutation_test(est.mutual_information, x, y, n_permutations=99,
                                 random_state=rs).pvalue
        rej += p <= 0.05
    hi = stats.binom.ppf(0.999, 200, 0.05)
    assert rej <= hi
    assert rej >= stats.binom.ppf(0.001, 200, 0.05)   # not conservative to uselessness
    # KSG on independent continuous data, 100 data sets
    rej = 0
    for rs in range(100):
        rng = np.random.default_rng(5000 + rs)
        x, y = rng.normal(size=40), rng.normal(size=40)
        p = est.permutation_test(est.mutual_information, x, y, n_permutations=49,
                                 random_state=rs, method="ksg").pvalue
        rej += p <= 0.05
    assert rej <= stats.binom.ppf(0.999, 100, 0.05)


def test_power_on_dependent_data():
    rng = np.random.default_rng(6)
    x = rng.normal(size=300)
    y = 0.6 * x + rng.normal(size=300)
    assert est.permutation_test(est.mutual_information, x, y, n_permutations=99,
                                random_state=0, method="ksg").pvalue == 0.01
    xl = rng.integers(0, 2, 300)
    yl = xl ^ (rng.random(300) < 0.3)
    assert est.permutation_test(est.mutual_information, xl, yl, random_state=0).pvalue == 0.001
    z = rng.normal(size=300)
    assert est.permutation_test(est.conditional_mutual_information, x, y, z, method="ksg",
                                n_permutations=49, random_state=0).pvalue == 0.02


def test_generic_path_runs_every_estimator():
    rng = np.random.default_rng(7)
    lab = rng.integers(0, 3, 120)
    lab2 = (lab + rng.integers(0, 2, 120)) % 3
    cont = rng.normal(size=120)
    cont2 = cont + rng.normal(size=120)
    calls = [
        (est.mutual_information, (lab, lab2), {"method": "miller_madow"}),
        (est.conditional_entropy, (lab2, lab), {}),
        (est.conditional_mutual_information, (lab, lab2, lab), {}),
        (est.mutual_information, (cont, lab), {"method": "ross"}),
        (est.mutual_information, (cont, cont2), {"method": "gaussian"}),
        (est.kl_divergence, (cont, cont2), {}),
        (est.active_information_storage, (cont,), {}),
        (est.lagged_mutual_information, (cont, cont2, [0, 1]), {"method": "ksg"}),
        (est.transfer_entropy, (cont, cont2), {"method": "gaussian"}),
        (est.mutual_information_matrix, (np.column_stack([lab, lab2]),), {}),
    ]
    for f, args, kw in calls:
        res = est.permutation_test(f, *args, n_permutations=5, random_state=0, **kw)
        ref = np.asarray(f(*args, **kw), dtype=float)
        np.testing.assert_array_equal(res.statistic, ref)
        assert res.null_distribution.shape == (5,) + ref.shape
        assert np.all((res.pvalue >= 1 / 6) & (res.pvalue <= 1))
    # the result is a frozen dataclass
    with pytest.raises(AttributeError):
        res.pvalue = 0.0  # type: ignore[misc]


def test_dataframe_first_argument():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(8)
    x = rng.integers(0, 3, 100)
    y = (x + rng.integers(0, 2, 100)) % 3
    a = est.permutation_test(est.mutual_information, pd.Series(x, name="x"), y,
                             n_permutations=9, random_state=0)
    b = est.permutation_test(_generic(est.mutual_information), x, y, n_permutations=9,
                             random_state=0)
    np.testing.assert_allclose(a.null_distribution, b.null_distribution, rtol=0, atol=1e-12)


def test_bad_arguments_name_them():
    x = np.arange(10) % 2
    with pytest.raises(TypeError, match="estimator"):
        est.permutation_test(x, x)
    with pytest.raises(TypeError, match="arguments"):
        est.permutation_test(est.mutual_information)
    with pytest.raises(ValueError, match="n_permutations"):
        est.permutation_test(est.mutual_information, x, x, n_permutations=0)
    with pytest.raises(TypeError, match="n_permutations"):
        est.permutation_test(est.mutual_information, x, x, n_permutations=2.5)
    with pytest.raises(ValueError, match="block_size"):
        est.permutation_test(est.mutual_information, x, x, block_size=0)
    with pytest.raises(TypeError, match="random_state"):
        est.permutation_test(est.mutual_information, x, x, random_state="zero")
    with pytest.raises(ValueError, match="sample axis"):
        est.permutation_test(lambda a: a, 3.0)
