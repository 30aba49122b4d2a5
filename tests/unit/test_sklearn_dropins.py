"""infobits.estimate.mutual_info_classif / mutual_info_regression against
scikit-learn's own functions (the reference: same random_state, values
equal to 1e-10), on scikit-learn's datasets and random data."""
from functools import partial

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import feature_selection as fs
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

import infobits.estimate as est

TOL = 1e-10


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=0, atol=TOL)


@pytest.mark.parametrize("rs", [0, 1, 7])
def test_classif_breast_cancer_and_wine(rs):
    for load in (load_breast_cancer, load_wine):
        X, y = load(return_X_y=True)
        _close(est.mutual_info_classif(X, y, random_state=rs),
               fs.mutual_info_classif(X, y, random_state=rs))


@pytest.mark.parametrize("k", [1, 3, 6])
def test_regression_diabetes_with_ties(k):
    X, y = load_diabetes(return_X_y=True)
    assert len(np.unique(X[:, 1])) == 2          # the 'sex' column: ties everywhere
    _close(est.mutual_info_regression(X, y, n_neighbors=k, random_state=0),
           fs.mutual_info_regression(X, y, n_neighbors=k, random_state=0))
    # the tied column as a discrete feature (Ross on the target)
    for d in ([1], np.arange(10) == 1):
        _close(est.mutual_info_regression(X, y, discrete_features=d, random_state=3),
               fs.mutual_info_regression(X, y, discrete_features=d, random_state=3))


def test_random_data_regression_and_classif():
    rng = np.random.default_rng(5)
    n = 1500
    X = rng.normal(size=(n, 6))
    X[:, 2] = np.round(X[:, 2] * 2)            # ties
    X[:, 3] = rng.standard_cauchy(n)           # outliers (the k-d tree path)
    y = X[:, 0] + np.sin(3 * X[:, 1]) + 0.5 * rng.normal(size=n)
    _close(est.mutual_info_regression(X, y, random_state=11),
           fs.mutual_info_regression(X, y, random_state=11))
    labels = (y > 0).astype(int) + (y > 1)
    _close(est.mutual_info_classif(X, labels, random_state=11),
           fs.mutual_info_classif(X, labels, random_state=11))
    # a RandomState instance is used as scikit-learn uses it
    _close(est.mutual_info_classif(X, labels, random_state=np.random.RandomState(4)),
           fs.mutual_info_classif(X, labels, random_state=np.random.RandomState(4)))


def test_discrete_features_bool_mask_indices():
    rng = np.random.default_rng(2)
    n = 600
    Xd = rng.integers(0, 4, size=(n, 3))
    Xc = rng.normal(size=(n, 2))
    X = np.column_stack([Xd[:, 0], Xc[:, 0], Xd[:, 1], Xc[:, 1], Xd[:, 2]]).astype(float)
    y = (Xd[:, 0] + (Xc[:, 0] > 0) + rng.integers(0, 2, n)) % 3
    for d in (True, False, [0, 2, 4], np.array([True, False, True, False, True])):
        _close(est.mutual_info_classif(X, y, discrete_features=d, random_state=1),
               fs.mutual_info_classif(X, y, discrete_features=d, random_state=1))
    yr = X[:, 1] + Xd[:, 1] + rng.normal(size=n)
    for d in (False, [0, 2, 4], np.array([True, False, True, False, True])):
        _close(est.mutual_info_regression(X, yr, discrete_features=d, random_state=1),
               fs.mutual_info_regression(X, yr, discrete_features=d, random_state=1))


def test_sparse_discrete_and_dataframe():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    X = rng.integers(0, 3, size=(300, 4)) * (rng.random((300, 4)) < 0.5)
    y = (X[:, 0] + rng.integers(0, 2, 300)) % 3
    _close(est.mutual_info_classif(sp.csr_matrix(X), y),
           fs.mutual_info_classif(sp.csr_matrix(X), y))
    with pytest.raises(ValueError, match="continuous"):
        est.mutual_info_classif(sp.csr_matrix(X), y, discrete_features=False)
    Xf = rng.normal(size=(300, 3))
    df = pd.DataFrame(Xf, columns=["a", "b", "c"])
    out = est.mutual_info_classif(df, y, random_state=0)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, est.mutual_info_classif(Xf, y, random_state=0))
    _close(out, fs.mutual_info_classif(df, y, random_state=0))


def test_select_k_best_selects_the_same_columns():
    X, y = load_breast_cancer(return_X_y=True)
    a = fs.SelectKBest(partial(est.mutual_info_classif, random_state=0), k=8).fit(X, y)
    b = fs.SelectKBest(partial(fs.mutual_info_classif, random_state=0), k=8).fit(X, y)
    np.testing.assert_array_equal(a.get_support(), b.get_support())
    Xr, yr = load_diabetes(return_X_y=True)
    a = fs.SelectKBest(partial(est.mutual_info_regression, random_state=0), k=4).fit(Xr, yr)
    b = fs.SelectKBest(partial(fs.mutual_info_regression, random_state=0), k=4).fit(Xr, yr)
    np.testing.assert_array_equal(a.get_support(), b.get_support())


def test_constant_feature_scores_zero_and_input_unchanged():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    X[:, 1] = 2.5
    y = X[:, 0] + rng.normal(size=200)
    keep = X.copy()
    r = est.mutual_info_regression(X, y, random_state=0, copy=False)
    assert r[1] == 0.0 and r[0] > 0.2
    np.testing.assert_array_equal(X, keep)     # copy=False never modifies X
    c = est.mutual_info_classif(X, (y > 0).astype(int), random_state=0)
    assert c[1] == 0.0 and c[0] > 0.1
    # the other columns are scikit-learn's values (the same draws)
    _close(np.delete(r, 1), np.delete(fs.mutual_info_regression(X, y, random_state=0), 1))


def test_bad_arguments_name_them():
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.arange(20) % 2
    with pytest.raises(ValueError, match="n_neighbors"):
        est.mutual_info_classif(X, y, n_neighbors=0)
    with pytest.raises(TypeError, match="n_neighbors"):
        est.mutual_info_classif(X, y, n_neighbors=2.5)
    with pytest.raises(ValueError, match="discrete_features"):
        est.mutual_info_classif(X, y, discrete_features="yes")
    with pytest.raises(IndexError, match="discrete_features"):
        est.mutual_info_classif(X, y, discrete_features=np.array([True]))
    with pytest.raises(IndexError, match="discrete_features"):
        est.mutual_info_classif(X, y, discrete_features=[0, 5])
    with pytest.raises(ValueError, match="random_state"):
        est.mutual_info_classif(X, y, random_state="x")
    with pytest.raises(ValueError, match="X"):
        est.mutual_info_classif(X[:, 0], y)
    with pytest.raises(ValueError, match="same number"):
        est.mutual_info_classif(X, y[:5])
    with pytest.raises(ValueError, match="continuous"):
        est.mutual_info_classif(X, X[:, 0])
    with pytest.raises(TypeError, match="X"):
        est.mutual_info_regression(X.astype(complex), X[:, 0])
    with pytest.raises(ValueError, match="NaN"):
        est.mutual_info_regression(np.where(X > 1, np.nan, X), X[:, 0])
