"""Inputs that used to give silently wrong numbers: probabilities outside
[0, 1] in binary cross-entropy (PyTorch raises) and in cross-entropy with
labels, masked arrays (their masked
values were used), byte-swapped float32, NumPy 2.0's reshape, and the
documented float32 exception of logsumexp."""
import math

import numpy as np
import pytest

import infobits as ib


# ---------------------------------------------------------- BCE probabilities
@pytest.mark.parametrize("bad, where", [([2.0], "index 0"), ([-0.5], "index 0"),
                                        ([0.5, 0.2, 1.0000001], "index 2"),
                                        ([[0.5, 0.2], [np.nan, -1e-30]], r"index \(1, 1\)")])
def test_bce_probabilities_outside_unit_interval_raise(bad, where):
    y = np.ones(np.shape(bad))
    with pytest.raises(ValueError, match=rf"y_hat.*\[0, 1\].*{where}"):
        ib.binary_cross_entropy(bad, y)
    with pytest.raises(ValueError, match=where):
        ib.binary_cross_entropy(np.asarray(bad, dtype=np.float32), y, reduction="none")


def test_bce_matches_torch_on_the_unit_interval_and_both_raise_outside():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    for bad in ([2.0], [-0.5]):
        with pytest.raises(RuntimeError):
            F.binary_cross_entropy(torch.tensor(bad, dtype=torch.float64),
                                   torch.tensor([1.0], dtype=torch.float64))
        with pytest.raises(ValueError):
            ib.binary_cross_entropy(bad, [1.0])
    p = np.array([0.0, 1e-30, 0.3, 1.0, 0.999])
    y = np.array([0.0, 0.5, 1.0, 1.0, 0.25])
    want = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y), reduction="none").numpy()
    got = ib.binary_cross_entropy(p, y, reduction="none")
    # (torch clamps its logs at -100, which these values stay clear of)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)



# ------------------------------------- cross-entropy on probabilities, labels
def _first_bad(P, y, ignore=None):
    """Slow twin: the first row (in order) whose label is out of range, or
    whose labelled probability lies outside [0, 1]; NaN passes."""
    K = P.shape[1]
    for i, lab in enumerate(y):
        if ignore is not None and lab == ignore:
            continue
        if not 0 <= lab < K:
            return i, "label"
        v = P[i, lab]
        if v < 0 or v > 1:
            return i, "prob"
    return None, None


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("threads", [1, 2])
def test_cross_entropy_label_path_checks_the_read_probability(dtype, threads):
    # 300k rows: the label-only kernel runs in many chunks on both threads,
    # and must still name the first offending row in order.
    rng = np.random.default_rng(7)
    n, K = 300_000, 5
    P = rng.random((n, K)).astype(dtype)
    y = rng.integers(0, K, n)
    old = ib.get_num_threads()
    ib.set_num_threads(threads)
    try:
        cases = [
            ({(250_123, "p"): 1.5, (17, "other"): -3.0}, None),  # unread entry is not checked
            ({(250_123, "p"): -1e-30, (260_000, "p"): 2.0}, None),
            ({(90_000, "p"): np.nan, (200_000, "p"): 1.0000002}, None),
            ({(120_000, "p"): 7.0, (100_000, "label"): K}, None),
            ({(120_000, "p"): 7.0, (130_000, "label"): -1}, None),
            ({(120_000, "p"): 7.0, (120_000, "ignore"): -100}, -100),
        ]
        for edits, ignore in cases:
            Q, yy = P.copy(), y.copy()
            for (i, what), v in edits.items():
                if what == "p":
                    Q[i, yy[i]] = v
                elif what == "other":
                    Q[i, (yy[i] + 1) % K] = v
                else:
                    yy[i] = v
            row, kind = _first_bad(Q, yy, ignore)
            kw = {} if ignore is None else {"ignore_index": ignore}
            if row is None:
                assert np.isfinite(ib.cross_entropy(Q, yy, **kw)) or np.isnan(Q[np.arange(n), yy]).any()
            elif kind == "label":
                with pytest.raises(IndexError, match=f"position {row},"):
                    ib.cross_entropy(Q, yy, **kw)
            else:
                with pytest.raises(ValueError, match=rf"index \({row}, {yy[row]}\)"):
                    ib.cross_entropy(Q, yy, **kw)
    finally:
        ib.set_num_threads(old)


def test_logits_are_not_range_checked():
    got = ib.binary_cross_entropy([2.0, -0.5, 40.0], [1.0, 0.0, 1.0], from_logits=True,
                                  reduction="none")
    want = [math.log1p(math.exp(-2.0)), math.log1p(math.exp(-0.5)), math.log1p(math.exp(-40.0))]
    np.testing.assert_allclose(got, want, rtol=1e-14)
    assert np.isnan(ib.binary_cross_entropy([np.nan, 0.5], [1.0, 1.0], reduction="none")[0])


# --------------------------------------------------------------- masked arrays
def _masked():
    return np.ma.array([0.25, 0.25, 0.5, 0.9], mask=[0, 0, 0, 1])


@pytest.mark.parametrize("call, name", [
    (lambda m: ib.entropy(m), "p"),
    (lambda m: ib.entropy(m, axis=0), "p"),
    (lambda m: ib.joint_entropy(m), "p_xy"),
    (lambda m: ib.self_information(m), "p"),
    (lambda m: ib.kl_divergence(m, [0.25] * 4), "p"),
    (lambda m: ib.kl_divergence([0.25] * 4, m), "q"),
    (lambda m: ib.jensen_shannon_divergence([0.25] * 4, m), "q"),
    (lambda m: ib.mutual_information(m.reshape(2, 2)), "p_xy"),
    (lambda m: ib.conditional_entropy(np.full((4, 4), 1 / 16), m[:, None]), "p_x"),
    (lambda m: ib.pointwise_mutual_information(m.reshape(2, 2)), "p_xy"),
    (lambda m: ib.logsumexp(m), "a"),
    (lambda m: ib.logsumexp([1.0] * 4, b=m), "b"),
    (lambda m: ib.softmax(m), "x"),
    (lambda m: ib.log_softmax(m), "x"),
    (lambda m: ib.log1pexp(m), "x"),
    (lambda m: ib.log_sigmoid(m), "x"),
    (lambda m: ib.binary_cross_entropy(m, [1.0] * 4), "y_hat"),
    (lambda m: ib.binary_cross_entropy([0.5] * 4, m), "y"),
    (lambda m: ib.cross_entropy(m, 1), "y_hat"),
    (lambda m: ib.cross_entropy(np.full(4, 0.25), m), "y"),
])
def test_masked_entries_raise_type_error(call, name):
    with pytest.raises(TypeError, match=rf"\b{name}\b.*masked"):
        call(_masked())


def test_masked_array_without_masked_entries_is_its_data():
    m = np.ma.array([0.25, 0.25, 0.5], mask=[0, 0, 0])
    assert ib.entropy(m) == ib.entropy(np.array([0.25, 0.25, 0.5])) == 1.5
    labels = np.ma.array([1, 0], mask=False)
    x = np.array([[0.2, 0.8], [0.6, 0.4]])
    assert ib.cross_entropy(x, labels) == ib.cross_entropy(x, np.array([1, 0]))
    with pytest.raises(TypeError, match="y"):
        ib.cross_entropy(x, np.ma.array([1, 0], mask=[0, 1]))


# -------------------------------------------------------------- dtype handling
def test_byte_swapped_float32_stays_float32():
    x = np.array([0.5, 1.5, -2.0], dtype=">f4")
    assert ib.softmax(x).dtype == np.float32
    np.testing.assert_array_equal(ib.softmax(x), ib.softmax(x.astype(np.float32)))
    assert ib.logsumexp(x).dtype == np.float32
    assert ib.self_information(np.array([0.5], dtype=">f4")).dtype == np.float32


def test_logsumexp_float32_keeps_float32_as_documented():
    scipy_special = pytest.importorskip("scipy.special")
    a = np.float32([1.0, 2.0, 3.0])
    got = ib.logsumexp(a)
    assert got.dtype == np.float32 == scipy_special.logsumexp(a).dtype
    assert ib.entropy(np.float32([0.5, 0.5])).dtype == np.float64      # the rule
    assert "one exception" in ib.logsumexp.__doc__
    # the docstring no longer claims that finite inputs never overflow with b
    assert ib.logsumexp([1.0, 1.0], b=[1e308, 1e308]) == np.inf
    assert "never overflow" not in ib.logsumexp.__doc__.split("With ``b``")[1].split(".")[0]


# --------------------------------------------------------- NumPy 2.0 reshape
class _NoCopyKeyword(np.ndarray):
    """An array whose reshape rejects copy= as NumPy 2.0's does."""

    def reshape(self, *shape, **kw):
        if "copy" in kw:
            raise TypeError("reshape() got an unexpected keyword argument 'copy'")
        return np.ndarray.reshape(self, *shape)


def test_rows_view_without_reshape_copy_keyword():
    from infobits import numerics

    base = np.zeros((4, 6))
    v = numerics._rows_view(base.view(_NoCopyKeyword), [0, 1], 4, 6)
    assert v is not None and np.shares_memory(v, base)
    t = np.zeros((6, 4)).T.view(_NoCopyKeyword)      # (4, 6), not reshapeable to (1, 24)
    assert numerics._rows_view(t, [0, 1], 1, 24) is None
