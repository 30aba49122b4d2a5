"""Given marginals that do not match the joint: NumPy broadcasting is kept
(the d2l chapter's values reproduce), a mismatch beyond rounding warns with
the argument and the fix, matching marginals never warn, and a broadcast
failure names the fix.  References: the chapter's formula in plain NumPy.
"""
import math
import warnings

import numpy as np
import pytest

import infobits as ib


def chapter_mi(p_xy, p_x, p_y):
    """The d2l chapter's formula (NumPy broadcasting), in bits."""
    p_xy, p_x, p_y = (np.asarray(a, dtype=np.float64) for a in (p_xy, p_x, p_y))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nansum(p_xy * np.log2(p_xy / (p_x * p_y)))


def chapter_ce(p_xy, p_x):
    p_xy, p_x = (np.asarray(a, dtype=np.float64) for a in (p_xy, p_x))
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(p_xy * np.log2(p_xy / p_x))


def no_warning(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kw)


def test_one_d_p_x_of_a_random_joint_warns():
    # the case: p_xy.sum(1) passed as a 1-D p_x
    rng = np.random.default_rng(0)
    P = rng.random((3, 3))
    P /= P.sum()
    true_mi = chapter_mi(P, P.sum(1)[:, None], P.sum(0)[None, :])
    with pytest.warns(RuntimeWarning, match=r"p_x .*row sums.*p_x\[:, None\]") as rec:
        got = ib.mutual_information(P, P.sum(1), P.sum(0))
    assert len(rec) == 1                      # p_y (1-D = a row) is right
    # the broadcast result is kept (the chapter's formula), not the true MI
    assert math.isclose(got, chapter_mi(P, P.sum(1), P.sum(0)), rel_tol=1e-12)
    assert not math.isclose(got, true_mi, rel_tol=1e-3)
    assert math.isclose(no_warning(ib.mutual_information, P), true_mi, rel_tol=1e-12)
    assert math.isclose(no_warning(ib.mutual_information, P, P.sum(1)[:, None], P.sum(0)),
                        true_mi, rel_tol=1e-12)


def test_chapter_examples_reproduce_and_warn():
    with pytest.warns(RuntimeWarning) as rec:
        mi = ib.mutual_information([[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8], [[0.75, 0.25]])
    assert round(float(mi), 7) == 0.7194603
    assert math.isclose(mi, chapter_mi([[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8], [[0.75, 0.25]]),
                        rel_tol=1e-13)
    msgs = [str(w.message) for w in rec]
    assert any("p_x" in m and "p_x[:, None]" in m for m in msgs)
    assert any("p_y" in m and "column sums" in m for m in msgs)
    with pytest.warns(RuntimeWarning, match=r"conditional_entropy: p_x .*p_x\[:, None\]"):
        h = ib.conditional_entropy([[0.1, 0.5], [0.2, 0.3]], [0.2, 0.8])
    assert round(float(h), 7) == 0.8635472
    assert math.isclose(h, chapter_ce([[0.1, 0.5], [0.2, 0.3]], [0.2, 0.8]), rel_tol=1e-13)
    with pytest.warns(RuntimeWarning) as rec:
        ib.pointwise_mutual_information([[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8], [[0.75, 0.25]])
    assert sorted(str(w.message).split(":")[1].split()[0] for w in rec) == ["p_x", "p_y"]


def test_p_y_as_a_column_warns_with_its_fix():
    rng = np.random.default_rng(1)
    P = rng.random((4, 5))
    P /= P.sum()
    with pytest.warns(RuntimeWarning, match=r"p_y .*column sums"):
        ib.mutual_information(P, P.sum(1)[:, None], P.sum(0)[:, None][:4])
    # a square joint: p_y given as a column broadcasts along the rows
    Q = rng.random((3, 3))
    Q /= Q.sum()
    with pytest.warns(RuntimeWarning, match=r"p_y\[None, :\]"):
        ib.mutual_information(Q, Q.sum(1)[:, None], Q.sum(0)[:, None])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_matching_marginals_never_warn(dtype):
    rng = np.random.default_rng(2)
    for _ in range(50):
        nx, ny = (int(v) for v in rng.integers(1, 30, 2))
        P = rng.random((nx, ny)).astype(dtype)
        P[rng.random((nx, ny)) < 0.2] = 0
        P /= P.sum() or 1
        px, py = P.sum(1, keepdims=True), P.sum(0, keepdims=True)
        no_warning(ib.mutual_information, P, px, py)
        no_warning(ib.mutual_information, P, px, py.ravel())      # 1-D p_y is a row
        no_warning(ib.mutual_information, P, px.astype(np.float64), None)
        no_warning(ib.mutual_information, P, None, py)
        no_warning(ib.conditional_entropy, P, px)
        no_warning(ib.pointwise_mutual_information, P, px, py)
        # marginals of an independent joint, computed another way
        a, b = rng.random(nx) + 0.1, rng.random(ny) + 0.1
        a /= a.sum()
        b /= b.sum()
        no_warning(ib.mutual_information, np.outer(a, b), a[:, None], b)
        # a 1-D p_x that is nevertheless consistent: equal row sums, uniform p_x
        U = np.full((nx, nx), 1.0 / nx**2)
        no_warning(ib.mutual_information, U, np.full(nx, 1.0 / nx), np.full(nx, 1.0 / nx))


def test_no_warning_for_nan_and_errors_first():
    P = np.array([[0.25, 0.25], [0.25, 0.25]])
    no_warning(ib.mutual_information, P, np.array([[np.nan], [0.5]]), [[0.5, 0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="p_y"):
            ib.mutual_information([[0.5, 0.5]], [[1.0]], [[0.5, -0.5]], nan_policy="raise")


def test_broadcast_failure_names_the_fix():
    rng = np.random.default_rng(3)
    P = rng.random((3, 4))
    with pytest.raises(ValueError, match=r"p_x\[:, None\]"):
        ib.mutual_information(P, P.sum(1), P.sum(0))
    with pytest.raises(ValueError, match=r"p_x\[:, None\]"):
        ib.conditional_entropy(P, P.sum(1))
    with pytest.raises(ValueError, match=r"p_x.*p_y"):
        ib.mutual_information(P, P.sum(1)[:, None], np.ones(3))


@pytest.mark.parametrize("threads", [1, 2])
def test_check_in_the_kernel_pass_large_and_threaded(threads):
    # above the parallel threshold: the margins come from the kernel's own
    # pass (per-thread buffers); the result is bitwise the plain kernel's
    from infobits import _core
    from infobits._validation import as_kernel_views

    rng = np.random.default_rng(4)
    P = rng.random((600, 301))
    P /= P.sum()
    px, py = P.sum(1, keepdims=True), P.sum(0, keepdims=True)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(threads)
        views, _ = as_kernel_views(list(np.broadcast_arrays(P, px, py)), (0, 1))
        pol = _core.NAN_POLICIES["omit"]
        a, b = np.empty(1), np.empty(1)
        rows, cols = np.empty(600), np.empty(301)
        _core.reduce_f64(_core.TERM_MI, pol, 0, *views, a)
        _core.reduce_margins_f64(_core.TERM_MI, pol, 0, *views, b, None, rows, cols)
        assert a.tobytes() == b.tobytes()
        np.testing.assert_allclose(rows, P.sum(1), rtol=1e-13)
        np.testing.assert_allclose(cols, P.sum(0), rtol=1e-13)
        no_warning(ib.mutual_information, P, px, py)
        no_warning(ib.conditional_entropy, P, px)
        Q = P.copy()
        Q[17, 5] += 1e-4                         # one entry off: row 17, column 5
        Q /= Q.sum()
        with pytest.warns(RuntimeWarning) as rec:
            ib.mutual_information(Q, px, py)
        assert sorted(str(w.message).split(":")[1].split()[0] for w in rec) == ["p_x", "p_y"]
        with pytest.warns(RuntimeWarning, match="p_x"):
            ib.conditional_entropy(Q.astype(np.float32), px.astype(np.float32) * 1.01)
    finally:
        ib.set_num_threads(old)


def test_long_thin_joint_checked_by_a_separate_pass():
    rng = np.random.default_rng(5)
    P = rng.random((100_000, 2))
    P /= P.sum()
    px, py = P.sum(1, keepdims=True), P.sum(0, keepdims=True)
    want = chapter_mi(P, px, py)
    assert math.isclose(no_warning(ib.mutual_information, P, px, py), want, rel_tol=1e-10)
    with pytest.warns(RuntimeWarning, match="p_y"):
        ib.mutual_information(P, px, py[:, ::-1])
