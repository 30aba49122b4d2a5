"""infobits.dask on a real two-process distributed cluster.

Every lazy result is computed on a ``distributed.LocalCluster`` with two
worker processes and compared with the in-memory infobits result at
``rtol=1e-12`` (the sums follow the chunks instead of one fixed pairwise
tree), over several chunkings (one chunk, even, uneven, a chunk of size 1).
Independent references (SciPy, scikit-learn, PyTorch) check the values
themselves on a few cases.  The docstring examples of ``infobits.dask`` run
here too (tests/docs/test_docstrings.py covers ``infobits.__all__`` only).
"""
import doctest

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from dask.callbacks import Callback  # noqa: E402
from scipy import special, stats  # noqa: E402
from sklearn.metrics import mutual_info_score  # noqa: E402

import infobits as ib  # noqa: E402
import infobits.dask as ibd  # noqa: E402
import infobits.dask.estimate as ide  # noqa: E402
import infobits.estimate as est  # noqa: E402

# the docstring examples and the laziness test use the synchronous scheduler
# on purpose while the cluster's client is active
pytestmark = pytest.mark.filterwarnings("ignore:Running on a single-machine scheduler:UserWarning")

RTOL = 1e-12
INF = np.inf


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def _compute(client, *xs):
    """Compute lazy results on the cluster (all in one round trip)."""
    for x in xs:
        assert isinstance(x, da.Array), type(x)
    return client.gather(client.compute(list(xs)))


def _close(got, want, rtol=RTOL):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0, equal_nan=True)


CHUNKS_1D = [1000, 100, (1, 499, 300, 200), (333, 1, 666)]
CHUNKS_2D = [(40, 50), (7, 13), ((1, 20, 19), (25, 1, 24)), ((39, 1), (1, 49))]
AXES = [None, 0, 1, -1, (0, 1)]


@pytest.fixture(scope="module")
def probs():
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(1000))
    q = rng.dirichlet(np.ones(1000))
    P = rng.random((40, 50))
    P[3, :7] = 0.0
    Q = rng.random((40, 50)) * 0.98 + 0.01
    return p, q, P, Q


# --------------------------------------------------------------------------
# measures


@pytest.mark.parametrize("chunks", CHUNKS_1D)
def test_entropy_kl_js_1d(client, probs, chunks):
    p, q, _, _ = probs
    dp, dq = da.from_array(p, chunks=chunks), da.from_array(q, chunks=chunks)
    dq2 = da.from_array(q, chunks=250)  # different chunks: unified
    got = _compute(client, ibd.entropy(dp), ibd.entropy(dp, base="nats"),
                   ibd.kl_divergence(dp, dq2), ibd.jensen_shannon_divergence(dp, dq),
                   ibd.joint_entropy(dp, base=10))
    _close(got[0], ib.entropy(p))
    _close(got[1], ib.entropy(p, base="nats"))
    _close(got[2], ib.kl_divergence(p, q))
    _close(got[3], ib.jensen_shannon_divergence(p, q))
    _close(got[4], ib.joint_entropy(p, base=10))
    # independent references
    _close(got[0], stats.entropy(p, base=2), rtol=1e-13)
    _close(got[2], stats.entropy(p, q, base=2), rtol=1e-13)
    assert isinstance(got[0], np.floating) or np.ndim(got[0]) == 0


@pytest.mark.parametrize("chunks", CHUNKS_2D)
def test_entropy_kl_axis(client, probs, chunks):
    _, _, P, Q = probs
    dP, dQ = da.from_array(P, chunks=chunks), da.from_array(Q, chunks=chunks)
    lazy, want = [], []
    for axis in AXES:
        lazy += [ibd.entropy(dP, axis=axis), ibd.kl_divergence(dP, dQ, axis=axis),
                 ibd.entropy(dP, axis=axis, keepdims=True),
                 ibd.jensen_shannon_divergence(dP, dQ, axis=axis, base="nats")]
        want += [ib.entropy(P, axis=axis), ib.kl_divergence(P, Q, axis=axis),
                 ib.entropy(P, axis=axis, keepdims=True),
                 ib.jensen_shannon_divergence(P, Q, axis=axis, base="nats")]
    got = _compute(client, *lazy)
    for g, w in zip(got, want):
        _close(g, w)
    # independent reference: -sum p log2 p per row, from SciPy's entropy of the
    # normalised rows
    s = P.sum(1)
    _close(got[8], stats.entropy(P, base=2, axis=1) * s - s * np.log2(s), rtol=1e-12)


def test_broadcast_float32_and_nan_policies(client):
    rng = np.random.default_rng(1)
    P = rng.random((30, 20)).astype(np.float32)
    q = rng.random(20)                      # broadcast along rows
    Pn = rng.random((30, 20))
    Pn[4, 5] = np.nan
    Pn[20, 1] = -0.5                        # omitted under "omit", an error otherwise
    dP = da.from_array(P, chunks=(7, 6))
    dPn = da.from_array(Pn, chunks=(11, 20))
    got = _compute(client, ibd.kl_divergence(dP, da.from_array(q, chunks=9), axis=1),
                   ibd.entropy(dP, axis=0),
                   ibd.entropy(dPn, nan_policy="omit"),
                   ibd.entropy(dPn[:20], nan_policy="propagate"),
                   ibd.entropy(dPn[:20], axis=1, nan_policy="propagate"),
                   ibd.entropy(da.from_array(np.array([True, False, True]), chunks=1)),
                   ibd.entropy(da.zeros((0,), chunks=1)))
    _close(got[0], ib.kl_divergence(P, q, axis=1))
    _close(got[1], ib.entropy(P, axis=0))
    _close(got[2], ib.entropy(Pn, nan_policy="omit"))
    assert np.isnan(got[3]) and np.isnan(ib.entropy(Pn[:20], nan_policy="propagate"))
    _close(got[4], ib.entropy(Pn[:20], axis=1, nan_policy="propagate"))
    with pytest.raises(ValueError, match=r"p must hold probabilities .*-0\.5 at index \(20, 1\)"):
        _compute(client, ibd.entropy(dPn))
    assert got[5] == 0.0 and got[6] == 0.0


def test_nan_policy_raise_at_compute_time(client):
    Pn = np.full((30, 20), 0.01)
    Pn[17, 3] = -1.0
    r = ibd.entropy(da.from_array(Pn, chunks=(8, 7)), nan_policy="raise")   # no error yet
    with pytest.raises(ValueError, match=r"p must hold probabilities .*-1\.0 at index \(17, 3\)"):
        _compute(client, r)
    q = np.full(50, 0.02)
    q[41] = np.nan
    r = ibd.kl_divergence(da.from_array(np.full(50, 0.02), chunks=9),
                          da.from_array(q, chunks=9), nan_policy="raise")
    with pytest.raises(ValueError, match=r"q contains NaN at index 41"):
        _compute(client, r)


def test_argument_errors_are_eager():
    x = da.ones(10, chunks=3)
    with pytest.raises(TypeError, match="p"):
        ibd.entropy(da.ones(4, chunks=2, dtype=complex))
    with pytest.raises(np.exceptions.AxisError):
        ibd.entropy(x, axis=1)
    with pytest.raises(ValueError, match="base"):
        ibd.entropy(x, base=1)
    with pytest.raises(ValueError, match="nan_policy"):
        ibd.kl_divergence(x, x, nan_policy="ignore")
    with pytest.raises(ValueError, match="broadcast"):
        ibd.kl_divergence(x, da.ones(4, chunks=2))
    with pytest.raises(TypeError, match="a"):
        ibd.logsumexp(da.from_array(np.array(["x"])))


# --------------------------------------------------------------------------
# laziness


class _Count(Callback):
    def __init__(self):
        super().__init__()
        self.n = 0

    def _pretask(self, key, dsk, state):
        self.n += 1


def _explode(block):
    raise RuntimeError("computed too early")


def test_nothing_is_computed_before_compute():
    x = da.ones(12, chunks=5).map_blocks(_explode, dtype=float)
    X = da.ones((6, 4), chunks=2).map_blocks(_explode, dtype=float)
    lab = da.ones(12, chunks=5, dtype=int).map_blocks(_explode, dtype=int)
    with _Count() as cb:
        results = [ibd.entropy(x), ibd.kl_divergence(x, x, axis=0), ibd.logsumexp(X, axis=1),
                   ibd.logsumexp(x, b=x, return_sign=True)[0],
                   ibd.jensen_shannon_divergence(X, X), ibd.cross_entropy(X, lab[:6]),
                   ibd.cross_entropy(X, lab[:6], reduction="none"),
                   ide.entropy(lab), ide.mutual_information(lab, lab),
                   ide.conditional_entropy(lab, lab),
                   ide.mutual_information_matrix(da.ones((12, 3), chunks=5, dtype=int))]
    assert cb.n == 0
    for r in results:
        assert isinstance(r, da.Array)
    with pytest.raises(RuntimeError, match="computed too early"):
        results[0].compute(scheduler="synchronous")
    p = da.from_array(np.array([0.25, 0.25, 0.5]), chunks=1)
    with _Count() as cb:
        h = ibd.entropy(p)
        assert cb.n == 0
        assert h.compute(scheduler="synchronous") == 1.5
        assert cb.n > 0


# --------------------------------------------------------------------------
# logsumexp


@pytest.mark.parametrize("chunks", CHUNKS_1D)
def test_logsumexp_1d(client, chunks):
    rng = np.random.default_rng(3)
    a = rng.normal(size=1000) * 30 + 5
    b = rng.normal(size=1000)
    a32 = a.astype(np.float32)
    da_, db = da.from_array(a, chunks=chunks), da.from_array(b, chunks=chunks)
    r_b, s_b = ibd.logsumexp(da_, b=db, return_sign=True)
    got = _compute(client, ibd.logsumexp(da_), r_b, s_b, ibd.logsumexp(da_, b=db),
                   ibd.logsumexp(da.from_array(a32, chunks=chunks)))
    _close(got[0], ib.logsumexp(a))
    _close(got[0], special.logsumexp(a), rtol=1e-14)
    ref_r, ref_s = ib.logsumexp(a, b=b, return_sign=True)
    _close(got[1], ref_r)
    assert got[2] == ref_s
    _close(got[3], ib.logsumexp(a, b=b))
    assert got[4].dtype == np.float32
    _close(got[4], ib.logsumexp(a32), rtol=2e-7)


@pytest.mark.parametrize("chunks", CHUNKS_2D)
def test_logsumexp_axis(client, chunks):
    rng = np.random.default_rng(4)
    A = rng.normal(size=(40, 50)) * 10
    A[5, :] = -INF
    dA = da.from_array(A, chunks=chunks)
    lazy, want = [], []
    for axis in AXES:
        lazy += [ibd.logsumexp(dA, axis=axis), ibd.logsumexp(dA, axis=axis, keepdims=True)]
        want += [ib.logsumexp(A, axis=axis), ib.logsumexp(A, axis=axis, keepdims=True)]
    got = _compute(client, *lazy)
    for g, w in zip(got, want):
        _close(g, w)
    for i, axis in enumerate(AXES):
        _close(got[2 * i], special.logsumexp(A, axis=axis), rtol=1e-13)


EDGE = [
    ("+inf in one chunk", [1.0, 2.0, INF, 3.0, 4.0], None),
    ("NaN in one chunk", [1.0, 2.0, 3.0, np.nan, 5.0], None),
    ("NaN and +inf", [np.nan, 2.0, 3.0, INF, 5.0], None),
    ("all -inf", [-INF] * 5, None),
    ("-inf chunks and a finite one", [-INF, -INF, -INF, -INF, 2.5], None),
    ("no overflow across chunks", [1e308, -INF, 1e308, -1e308, 1e308], None),
    ("-inf and +inf", [-INF, INF, -INF, 1.0, 2.0], None),
    ("weights cancel within a chunk", [1.0, 1.0, 3.0, 1.0, 7.0], [1.0, -1.0, 0.0, 0.0, 0.0]),
    ("negative total", [1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 1.0, 1.0, 1.0, -100.0]),
    ("+inf with both signs", [INF, 1.0, 2.0, 3.0, INF], [1.0, 1.0, 1.0, 1.0, -1.0]),
    ("+inf left out by b=0", [INF, 1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 1.0, 1.0, 1.0]),
]


@pytest.mark.parametrize("chunks", [1, 2, (1, 4), (3, 1, 1)])
def test_logsumexp_edge_values_across_chunks(client, chunks):
    lazy, want = [], []
    for _, a, b in EDGE:
        a = np.array(a)
        bb = None if b is None else np.array(b)
        dbb = None if b is None else da.from_array(bb, chunks=chunks)
        r, s = ibd.logsumexp(da.from_array(a, chunks=chunks), b=dbb, return_sign=True)
        lazy += [r, s, ibd.logsumexp(da.from_array(a, chunks=chunks), b=dbb)]
        want += [*ib.logsumexp(a, b=bb, return_sign=True), ib.logsumexp(a, b=bb)]
    got = _compute(client, *lazy)
    for i, (g, w) in enumerate(zip(got, want)):
        name = EDGE[i // 3][0]
        assert np.shape(g) == np.shape(w) == ()
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=0, err_msg=name)  # inf, NaN: exactly
    # the specified values, independently of the in-memory implementation
    assert got[0] == INF and np.isnan(got[3]) and np.isnan(got[6])
    assert got[9] == -INF and got[12] == 2.5
    assert got[15] == 1e308                       # 1e308 + log(3) rounds to 1e308
    assert got[18] == INF
    assert got[21] == -INF and got[22] == 0.0     # a sum of exactly 0
    assert np.isnan(got[26]) and got[25] == -1.0  # negative sum: NaN without sign
    assert np.isnan(got[27])
    _close(got[30], special.logsumexp([1.0, 2.0, 3.0, 4.0]), rtol=1e-14)


def test_logsumexp_cancellation_across_chunks(client):
    """Signed weights that cancel exactly: in memory the sum is exactly 0
    (-inf); across chunks each chunk's log-sum is rounded once, so the
    combined sum is 0 up to rounding relative to the largest term."""
    a = np.array([1.0, 7.0, 3.0, 1.0, 7.0])
    b = np.array([1.0, 0.5, 0.0, -1.0, -0.5])
    assert ib.logsumexp(a, b=b) == -INF
    for chunks in (5, 2, (1, 4), (3, 1, 1)):
        r, s = _compute(client, *ibd.logsumexp(da.from_array(a, chunks=chunks),
                                               b=da.from_array(b, chunks=chunks), return_sign=True))
        assert np.exp(r) <= 1e-14 * np.max(np.abs(b) * np.exp(a)), chunks


def test_logsumexp_empty(client):
    e = da.zeros((0,), chunks=1)
    E = da.zeros((3, 0), chunks=1)
    r, s = ibd.logsumexp(e, return_sign=True)
    got = _compute(client, r, s, ibd.logsumexp(E, axis=1), ibd.logsumexp(E, axis=0))
    want_r, want_s = ib.logsumexp(np.zeros(0), return_sign=True)
    assert got[0] == want_r == -INF and got[1] == want_s
    np.testing.assert_array_equal(got[2], ib.logsumexp(np.zeros((3, 0)), axis=1))
    np.testing.assert_array_equal(got[3], ib.logsumexp(np.zeros((3, 0)), axis=0))


# --------------------------------------------------------------------------
# cross-entropy


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(5)
    N, K = 200, 7
    logits = rng.normal(size=(N, K)) * 3
    probs = special.softmax(logits, axis=1)
    y = rng.integers(0, K, N)
    y[:40] = -100          # the first chunks are all ignored in some chunkings
    y[150] = -100
    w = rng.random(K) + 0.1
    soft = rng.dirichlet(np.ones(K), N)
    return logits, probs, y, w, soft


CE_CHUNKS = [200, 40, (1, 39, 60, 100), (120, 1, 79)]


@pytest.mark.parametrize("chunks", CE_CHUNKS)
def test_cross_entropy(client, batch, chunks):
    logits, probs, y, w, soft = batch
    dl = da.from_array(logits, chunks=(chunks, 3))      # class axis made one chunk
    dp = da.from_array(probs, chunks=(chunks, 7))
    dy = da.from_array(y, chunks=37)                    # rechunked to the rows of y_hat
    cases = [
        (dl, logits, y, dy, {"from_logits": True, "ignore_index": -100}),
        (dl, logits, y, dy, {"from_logits": True, "ignore_index": -100, "weight": w}),
        (dp, probs, y, dy, {"ignore_index": -100, "weight": w, "label_smoothing": 0.2, "base": 2}),
        (dl, logits, soft, da.from_array(soft, chunks=(50, 7)), {"from_logits": True}),
        (dp, probs, soft, da.from_array(soft, chunks=(50, 7)), {"weight": w}),
        (dl.astype(np.float32), logits.astype(np.float32), y, dy,
         {"from_logits": True, "ignore_index": -100, "base": 2}),
    ]
    lazy, want = [], []
    for dx, x, t, dt, kw in cases:
        for red in ("mean", "sum", "none"):
            lazy.append(ibd.cross_entropy(dx, dt, reduction=red, **kw))
            want.append(ib.cross_entropy(x, t, reduction=red, **kw))
    got = _compute(client, *lazy)
    for g, w_ in zip(got, want):
        assert np.asarray(g).dtype == np.asarray(w_).dtype
        _close(g, w_)


def test_cross_entropy_against_torch(client, batch):
    torch = pytest.importorskip("torch")
    logits, _, y, w, _ = batch
    dl = da.from_array(logits, chunks=(33, 7))
    got = _compute(client, ibd.cross_entropy(dl, da.from_array(y, chunks=33), from_logits=True,
                                             ignore_index=-100, weight=w))
    ref = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(y),
                                            weight=torch.tensor(w), ignore_index=-100)
    _close(got[0], ref.item(), rtol=1e-13)


def test_cross_entropy_edges(client):
    x = np.log(np.full((6, 3), 1 / 3))
    allign = np.full(6, -1)
    bad = np.array([0, 1, 2, 0, 3, 1])
    dx = da.from_array(x, chunks=(2, 3))
    got = _compute(client, ibd.cross_entropy(dx, da.from_array(allign, chunks=2), from_logits=True,
                                             ignore_index=-1),
                   ibd.cross_entropy(dx, da.from_array(np.zeros(6, int), chunks=2),
                                     from_logits=True, weight=[0.0, 1.0, 1.0]))
    assert got[0] == 0.0 == ib.cross_entropy(x, allign, from_logits=True, ignore_index=-1)
    np.testing.assert_array_equal(got[1], ib.cross_entropy(x, np.zeros(6, int), from_logits=True,
                                                           weight=[0.0, 1.0, 1.0]))
    r = ibd.cross_entropy(dx, da.from_array(bad, chunks=2), from_logits=True)
    with pytest.raises(IndexError, match=r"class label 3 at position 4, outside \[0, 3\)"):
        _compute(client, r)
    with pytest.raises(ValueError, match="reduction"):
        ibd.cross_entropy(dx, da.from_array(bad, chunks=2), reduction="avg")
    with pytest.raises(ValueError, match="rows"):
        ibd.cross_entropy(dx, da.from_array(bad[:5], chunks=2))
    with pytest.raises(ValueError, match="2-D"):
        ibd.cross_entropy(da.ones(3, chunks=1), 0)


# --------------------------------------------------------------------------
# discrete estimators

METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")
EST_CHUNKS = [3000, 500, (1, 1499, 700, 800), (2999, 1)]


@pytest.fixture(scope="module")
def labels():
    rng = np.random.default_rng(11)
    n = 3000
    x = rng.integers(0, 12, n)
    x[:1500] = np.minimum(x[:1500], 5)       # labels 6..11 only in the later chunks
    y = (x + rng.integers(0, 3, n)) % 9
    s = np.array(["red", "green", "blue", "cyan", "magenta"])[rng.integers(0, 5, n)]
    s[-1] = "zebra"                            # a label only in the last sample
    return x, y, s


@pytest.mark.parametrize("chunks", EST_CHUNKS)
def test_estimators(client, labels, chunks):
    x, y, s = labels
    dx, dy, ds = (da.from_array(v, chunks=chunks) for v in (x, y, s))
    X = np.column_stack([x, y, x % 2])
    dX = da.from_array(X, chunks=(chunks, 2))
    lazy, want = [], []
    for m in METHODS:
        lazy += [ide.entropy(dx, method=m), ide.entropy(ds, method=m, base="nats"),
                 ide.mutual_information(dx, ds, method=m),
                 ide.mutual_information(ds, dy, method=m, base=10),
                 ide.conditional_entropy(dy, dx, method=m),
                 ide.entropy(dX, method=m),
                 ide.mutual_information_matrix(dX, method=m)]
        want += [est.entropy(x, method=m), est.entropy(s, method=m, base="nats"),
                 est.mutual_information(x, s, method=m),
                 est.mutual_information(s, y, method=m, base=10),
                 est.conditional_entropy(y, x, method=m),
                 est.entropy(X, method=m),
                 est.mutual_information_matrix(X, method=m)]
    lazy += [ide.entropy(dx, method="james_stein", n_categories=20),
             ide.mutual_information(dx, dy, method="james_stein", n_categories=(15, 12))]
    want += [est.entropy(x, method="james_stein", n_categories=20),
             est.mutual_information(x, y, method="james_stein", n_categories=(15, 12))]
    got = _compute(client, *lazy)
    for g, w in zip(got, want):
        _close(g, w)
    # independent references for the plug-in estimates
    _close(got[0], stats.entropy(np.bincount(x), base=2), rtol=1e-13)
    _close(got[2], mutual_info_score(x, s) / np.log(2), rtol=1e-12)


@pytest.mark.parametrize("chunks", [(1, 1499, 700, 800), 3000])
def test_estimator_batches(client, labels, chunks):
    x, y, s = labels
    X = np.column_stack([x, y, x % 3])
    Y = np.column_stack([y, x, (x + y) % 4])
    dX, dY = da.from_array(X, chunks=(chunks, 1)), da.from_array(Y, chunks=(700, 3))
    dy1 = da.from_array(y, chunks=chunks)
    lazy = [ide.mutual_information(dX, dY), ide.mutual_information(dX, dy1, method="grassberger"),
            ide.conditional_entropy(dY, dX, method="chao_shen"), ide.conditional_entropy(dy1, dX),
            ide.mutual_information(da.from_array(X[:, :1], chunks=(chunks, 1)), dY)]
    want = [est.mutual_information(X, Y), est.mutual_information(X, y, method="grassberger"),
            est.conditional_entropy(Y, X, method="chao_shen"), est.conditional_entropy(y, X),
            est.mutual_information(X[:, :1], Y)]
    got = _compute(client, *lazy)
    for g, w in zip(got, want):
        _close(g, w)
    _close(got[0][2], mutual_info_score(X[:, 2], Y[:, 2]) / np.log(2), rtol=1e-12)
    with pytest.raises(ValueError, match="columns"):
        ide.mutual_information(dX, dY[:, :2])


def test_estimators_sparse_table(client):
    # 400 x 400 labels over 3000 samples: the joint table is kept as nonzero cells
    rng = np.random.default_rng(2)
    x = rng.integers(0, 400, 3000)
    y = (x * 7 + rng.integers(0, 5, 3000)) % 400
    dx, dy = da.from_array(x, chunks=(1, 999, 2000)), da.from_array(y, chunks=700)
    got = _compute(client, ide.mutual_information(dx, dy), ide.conditional_entropy(dy, dx),
                   ide.mutual_information(dx, dy, method="miller_madow"))
    _close(got[0], est.mutual_information(x, y))
    _close(got[1], est.conditional_entropy(y, x))
    _close(got[2], est.mutual_information(x, y, method="miller_madow"))
    _close(got[0], mutual_info_score(x, y) / np.log(2), rtol=1e-12)


def test_estimator_errors(client):
    f = np.array([0.5, 1.5, np.nan, 2.5, 1.5])
    df = da.from_array(f, chunks=2)
    with pytest.raises(ValueError, match="float samples"):
        ide.entropy(df)
    with pytest.raises(ValueError, match="discrete methods"):
        ide.mutual_information(df, df, method="ksg")
    with pytest.raises(ValueError, match="same number of samples"):
        ide.mutual_information(da.ones(4, chunks=2, dtype=int), da.ones(5, chunks=2, dtype=int))
    with pytest.raises(ValueError, match="2-D"):
        ide.mutual_information_matrix(da.ones(4, chunks=2, dtype=int))
    r = ide.entropy(df, method="plugin")                       # raises at compute time
    with pytest.raises(ValueError, match="x contains NaN at index 2"):
        _compute(client, r)
    # float labels with an explicit method, and an empty sample
    g = np.array([0.5, 1.5, 0.5, 2.5, 1.5])
    got = _compute(client, ide.entropy(da.from_array(g, chunks=2), method="plugin"),
                   ide.entropy(da.zeros((0,), chunks=1, dtype=int)))
    _close(got[0], est.entropy(g, method="plugin"))
    assert got[1] == 0.0


# --------------------------------------------------------------------------
# docstring examples of infobits.dask (synchronous scheduler, no cluster)


@pytest.mark.parametrize("mod", [ibd, ide], ids=["infobits.dask", "infobits.dask.estimate"])
def test_docstring_examples(mod):
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    n = 0
    names = set()
    for t in finder.find(mod, mod.__name__, globs={"np": np}):
        n += len(t.examples)
        if t.examples:
            names.add(t.name.rsplit(".", 1)[-1])
        runner.run(t)
    res = runner.summarize(verbose=False)
    assert res.failed == 0
    missing = set(mod.__all__) - names
    assert not missing, f"public functions without doctest examples: {missing}"


@pytest.mark.parametrize("func", ["entropy", "joint_entropy", "kl_divergence",
                                  "jensen_shannon_divergence"])
def test_normalize_matches_scipy(func):
    """normalize=True on the Dask twins: counts and weights, divided by their
    slice sums across chunks, give SciPy's values; a zero slice gives NaN."""
    from scipy import stats
    from scipy.spatial import distance
    rng = np.random.default_rng(7)
    c = rng.integers(0, 20, size=(4, 30)).astype(float)
    c[2] = 0.0
    w = rng.uniform(0.1, 5.0, size=(4, 30))
    if func in ("entropy", "joint_entropy"):
        got = getattr(ibd, func)(da.from_array(c, chunks=(2, 7)), axis=1, normalize=True)
        with np.errstate(invalid="ignore"):
            want = stats.entropy(c, axis=1, base=2)
    elif func == "kl_divergence":
        got = ibd.kl_divergence(da.from_array(w, chunks=(3, 11)), da.from_array(c + 1, chunks=5),
                                axis=1, normalize=True)
        want = stats.entropy(w, c + 1, axis=1, base=2)
    else:
        got = ibd.jensen_shannon_divergence(da.from_array(w, chunks=(3, 11)),
                                            da.from_array(c + 1, chunks=5), axis=1,
                                            normalize=True)
        want = distance.jensenshannon(w, c + 1, axis=1, base=2) ** 2
    got = got.compute(scheduler="synchronous")
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15, equal_nan=True)
    if func in ("entropy", "joint_entropy"):
        assert np.isnan(got[2])
        # counts without normalize still raise, naming the argument
        with pytest.raises(ValueError, match="normalize=True"):
            getattr(ibd, func)(da.from_array(c, chunks=(2, 7)), axis=1).compute(
                scheduler="synchronous")
        # negative entries with normalize=True raise too
        neg = c.copy()
        neg[0, 3] = -1.0
        with pytest.raises(ValueError, match="non-negative"):
            getattr(ibd, func)(da.from_array(neg, chunks=(2, 7)), axis=1,
                               normalize=True).compute(scheduler="synchronous")


@pytest.mark.parametrize("alpha", [0.0, 0.5, 2.0, 3.0, np.inf])
def test_renyi_tsallis_normalize(alpha):
    """normalize=True on the Renyi and Tsallis twins: counts across chunks
    give the formulas on NumPy's own normalised copy."""
    rng = np.random.default_rng(11)
    c = rng.integers(0, 9, size=(3, 40)).astype(float)
    p = c / c.sum(axis=1, keepdims=True)
    got = ibd.renyi_entropy(da.from_array(c, chunks=(2, 9)), alpha, axis=1,
                            normalize=True).compute(scheduler="synchronous")
    if alpha == 0:
        want = np.log2(np.count_nonzero(p, axis=1))
    elif np.isinf(alpha):
        want = -np.log2(p.max(axis=1))
    else:
        want = np.log2(np.sum(p ** alpha, axis=1)) / (1 - alpha)
    np.testing.assert_allclose(got, want, rtol=1e-13)
    if np.isfinite(alpha):
        got_t = ibd.tsallis_entropy(da.from_array(c, chunks=(2, 9)), alpha, axis=1,
                                    normalize=True).compute(scheduler="synchronous")
        np.testing.assert_allclose(got_t, (1 - np.sum(np.where(p > 0, p, 0) ** alpha, axis=1)
                                           if alpha else 1 - np.count_nonzero(p, axis=1))
                                   / (alpha - 1), rtol=1e-13)
