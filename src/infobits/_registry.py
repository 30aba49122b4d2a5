"""The registry of infobits' public API: one row per public function.

Plain data, read by the tests and tools (never by the library at run time):

* ``tests/unit/test_contract.py`` walks the rows and checks every signature
  against them (operands in order, the standard keywords with their
  standard spellings and defaults, ``base`` keyword-only, a return
  annotation that is not ``Any``), that every name in ``infobits.__all__``,
  ``infobits.estimate.__all__`` and ``infobits.dask.__all__`` has a row, that
  Dask twins agree with their in-memory function, and that every reference
  names something importable;
* ``tests/reliability/test_inputs.py`` (the input matrix: every dtype and
  layout) runs each row's ``matrix`` calls;
* ``tests/reliability/test_special_values.py`` checks that each row's
  ``special`` entries are in ``tests/data/special_values.json``;
* ``tools/ci/fuzz_infobits.py`` fuzzes every row (its operands by ``kinds``,
  its standard keywords by ``keywords``).

Adding a public function means adding one ``Row`` here (and, for the
special-values battery, its reference column in that test).  A row::

    Row("entropy", operands=("p",), kinds=("prob",),
        keywords={"base": 2, "axis": None, "keepdims": False,
                  "nan_policy": "propagate", "normalize": False},
        dask="dask.entropy", reference="scipy.stats.entropy",
        special=("entropy(p)",), matrix=("entropy(A)", "entropy(A, axis=-1)"))

Fields:

name
    The public name: ``"entropy"`` (``infobits.entropy``),
    ``"estimate.entropy"``, ``"dask.entropy"``.
operands
    The positional operands, in order (parameters with or without a
    default that come before the keywords).
kinds
    One per operand, what it holds (drives the fuzzer and documents the
    row): ``"prob"`` (probabilities), ``"real"`` (any real numbers: logits,
    log-probabilities, samples), ``"labels"`` (class labels or categories of
    any dtype), ``"counts"`` (non-negative integer counts), ``"int"`` (an
    integer setting).
keywords
    The standard keywords the function takes (``STANDARD``), with its
    defaults.  Every other keyword is the function's own.
dask
    The name of its Dask twin in ``infobits.dask``, or ``None``.
reference
    The independent reference its values are tested against: a dotted
    import path (``"scipy.stats.entropy"``, ``"torch.nn.functional.nll_loss"``,
    ``"sklearn.feature_selection.mutual_info_classif"``), or, after
    ``"formula: "``, the NumPy / mpmath formula the tests write out
    independently; ``""`` for functions without a value (settings).
special
    Its column names (the ``fn`` field) in ``tests/data/special_values.json``.
matrix
    Calls for the input matrix, as Python expressions over ``ib``
    (``infobits``), ``est`` (``infobits.estimate``), ``np``, ``A`` (the
    argument varied through every dtype and layout), ``BASE`` (a fixed 6 x 5
    float64 array), ``LABELS(A)`` (label 0 per row of ``A``) and ``YLAB(A)``
    (labels 0, 1, 2, ... per row); ``()`` for functions not called on arrays.
labels
    True when the varied argument is labels of any dtype (strings and
    objects are then valid input, not a TypeError).
"""
from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Row", "ROWS", "STANDARD", "row"]

#: The standard keywords: their one spelling and, where it is the same for
#: every function, their one default (None here: the default depends on the
#: family, see FAMILY_DEFAULTS).
STANDARD: dict[str, Any] = {
    "base": None,                # measures and estimators 2 (bits), losses None (nats)
    "axis": None,                # None (all axes); softmax-like functions -1
    "axes": (-2, -1),            # the X and Y axes of a batch of joint tables
    "keepdims": False,
    "nan_policy": "propagate",
    "normalize": False,
    "reduction": "mean",
    "method": None,              # the estimator's own default
    "out": None,
}

#: Allowed defaults of the keywords whose default depends on the family.
FAMILY_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "base": (2, None),
    "axis": (None, -1),
    "method": (None, "plugin", "auto", "knn", "ksg"),
}

_M = {"base": 2, "axis": None, "keepdims": False, "nan_policy": "propagate", "normalize": False}
_J = {"axes": (-2, -1), "base": 2, "keepdims": False, "nan_policy": "propagate",
      "normalize": False}
_D = _M
_T = {"base": 2, "nan_policy": "propagate", "normalize": False}


class Row(NamedTuple):
    name: str
    operands: tuple[str, ...]
    kinds: tuple[str, ...]
    keywords: dict[str, Any]
    dask: str | None = None
    reference: str = ""
    special: tuple[str, ...] = ()
    matrix: tuple[str, ...] = ()
    labels: bool = False


ROWS: tuple[Row, ...] = (
    # ---------------------------------------------------------- measures
    Row("self_information", ("p",), ("prob",), {"base": 2, "out": None},
        reference="formula: 0 - log2(p) in np.longdouble",
        special=("self_information(p)",), matrix=("ib.self_information(A)",)),
    Row("entropy", ("p",), ("prob",), _M, dask="dask.entropy",
        reference="scipy.stats.entropy", special=("entropy(p)",),
        matrix=("ib.entropy(A)", "ib.entropy(A, axis=-1)", "ib.entropy(A, normalize=True)")),
    Row("joint_entropy", ("p_xy",), ("prob",), _M, dask="dask.joint_entropy",
        reference="scipy.stats.entropy", special=("joint_entropy(p_xy)",),
        matrix=("ib.joint_entropy(A)",)),
    Row("conditional_entropy", ("p_xy", "p_x"), ("prob", "prob"), _J,
        reference="formula: -sum p_xy log2(p_xy / p_xy.sum(1)) in np.longdouble",
        special=("conditional_entropy(p_xy)",),
        matrix=("ib.conditional_entropy(A)", "ib.conditional_entropy(A, axes=(1, 0))")),
    Row("mutual_information", ("p_xy", "p_x", "p_y"), ("prob", "prob", "prob"), _J,
        reference="sklearn.metrics.mutual_info_score",
        special=("mutual_information(p_xy)",),
        matrix=("ib.mutual_information(A)", "ib.mutual_information(A, keepdims=True)")),
    Row("pointwise_mutual_information", ("p_xy", "p_x", "p_y"), ("prob", "prob", "prob"),
        {"base": 2}, reference="formula: log2(p_xy / (p_x p_y)) with mpmath",
        special=("pointwise_mutual_information(p, 0.5, 0.5)",),
        matrix=("ib.pointwise_mutual_information(A)",)),
    Row("kl_divergence", ("p", "q"), ("prob", "prob"), _M, dask="dask.kl_divergence",
        reference="scipy.special.rel_entr",
        special=("kl_divergence(p=v, q=.5)", "kl_divergence(p=.5, q=v)"),
        matrix=("ib.kl_divergence(A, 0.5)", "ib.kl_divergence(0.5, A)")),
    Row("jensen_shannon_divergence", ("p", "q"), ("prob", "prob"), _M,
        dask="dask.jensen_shannon_divergence",
        reference="scipy.spatial.distance.jensenshannon",
        special=("jensen_shannon_divergence(p=v, q=.5)",),
        matrix=("ib.jensen_shannon_divergence(A, 0.5)",)),
    Row("renyi_entropy", ("p", "alpha"), ("prob", "int"), _M, dask="dask.renyi_entropy",
        reference="formula: log2(sum p**alpha) / (1 - alpha) in mpmath",
        special=("renyi_entropy(p, 2)",),
        matrix=("ib.renyi_entropy(A, 2)", "ib.renyi_entropy(A, 0.5, axis=-1)")),
    Row("tsallis_entropy", ("p", "q"), ("prob", "int"),
        {"axis": None, "keepdims": False, "nan_policy": "propagate", "normalize": False},
        dask="dask.tsallis_entropy",
        reference="formula: (1 - sum p**q) / (q - 1) in mpmath",
        special=("tsallis_entropy(p, 2)",),
        matrix=("ib.tsallis_entropy(A, 2)", "ib.tsallis_entropy(A, 0.5, axis=-1)")),
    # ------------------------------------------- multivariate (joint tables)
    Row("conditional_mutual_information", ("p_xyz",), ("prob",), _T,
        reference="dit.multivariate.coinformation",
        special=("conditional_mutual_information(p_xyz)",),
        matrix=("ib.conditional_mutual_information(np.asarray(A)[..., None], normalize=True)",)),
    Row("total_correlation", ("p",), ("prob",), _T,
        reference="dit.multivariate.total_correlation", special=("total_correlation(p)",),
        matrix=("ib.total_correlation(A, normalize=True)",)),
    Row("dual_total_correlation", ("p",), ("prob",), _T,
        reference="dit.multivariate.dual_total_correlation",
        special=("dual_total_correlation(p)",),
        matrix=("ib.dual_total_correlation(A, normalize=True)",)),
    Row("o_information", ("p",), ("prob",), _T,
        reference="dit.multivariate.o_information", special=("o_information(p)",),
        matrix=("ib.o_information(np.asarray(A)[None], normalize=True)",)),
    Row("s_information", ("p",), ("prob",), _T,
        reference="formula: dit's total_correlation + dual_total_correlation",
        special=("s_information(p)",),
        matrix=("ib.s_information(A, normalize=True)",)),
    Row("interaction_information", ("p",), ("prob",), _T,
        reference="dit.multivariate.coinformation", special=("interaction_information(p)",),
        matrix=("ib.interaction_information(A, normalize=True)",)),
    # ---------------------------------------------------------- numerics
    Row("logsumexp", ("a", "axis", "b", "keepdims", "return_sign"),
        ("real", "int", "real", "int", "int"), {"axis": None, "keepdims": False},
        dask="dask.logsumexp", reference="scipy.special.logsumexp",
        special=("logsumexp(a)",),
        matrix=("ib.logsumexp(A)", "ib.logsumexp(A, axis=0, b=0.5)")),
    Row("softmax", ("x", "axis"), ("real", "int"), {"axis": -1, "out": None},
        reference="scipy.special.softmax", special=("softmax(x)",), matrix=("ib.softmax(A)",)),
    Row("log_softmax", ("x", "axis"), ("real", "int"), {"axis": -1, "out": None},
        reference="scipy.special.log_softmax", special=("log_softmax(x)",),
        matrix=("ib.log_softmax(A, axis=0)",)),
    Row("log1pexp", ("x", "out"), ("real", "real"), {"out": None},
        reference="torch.nn.functional.softplus", special=("log1pexp(x)",),
        matrix=("ib.log1pexp(A)",)),
    Row("log_sigmoid", ("x", "out"), ("real", "real"), {"out": None},
        reference="scipy.special.log_expit", special=("log_sigmoid(x)",),
        matrix=("ib.log_sigmoid(A)",)),
    # ---------------------------------------------------------- losses
    Row("cross_entropy", ("y_hat", "y"), ("prob", "labels"),
        {"reduction": "mean", "base": None}, dask="dask.cross_entropy",
        reference="torch.nn.functional.cross_entropy",
        special=("cross_entropy(probs [[v, .5]], 0)", "cross_entropy(logits [[v, 0]], 0)"),
        matrix=("ib.cross_entropy(A, LABELS(A))",
                "ib.cross_entropy(A, LABELS(A), from_logits=True, return_grad=True)",
                "ib.cross_entropy(A, np.full(np.shape(A), 0.2), from_logits=True)")),
    Row("nll_loss", ("log_probs", "y"), ("real", "labels"), {"reduction": "mean"},
        reference="torch.nn.functional.nll_loss", special=("nll_loss([[v, 0]], 0)",),
        matrix=("ib.nll_loss(A, LABELS(A), reduction='none')",)),
    Row("binary_cross_entropy", ("y_hat", "y"), ("prob", "prob"), {"reduction": "mean"},
        reference="torch.nn.functional.binary_cross_entropy_with_logits",
        special=("binary_cross_entropy(p=v, y=1)", "binary_cross_entropy(logits v, y=1)"),
        matrix=("ib.binary_cross_entropy(A, np.ones(np.shape(A)), return_grad=True)",
                "ib.binary_cross_entropy(A, 0.5, from_logits=True)")),
    Row("focal_loss", ("y_hat", "y"), ("real", "labels"), {"reduction": "mean"},
        reference="formula: -(1 - p)^gamma log p with torch.nn.functional.log_softmax",
        special=("focal_loss(logits [[v, 0]], 0)",),
        matrix=("ib.focal_loss(A, LABELS(A), return_grad=True)",)),
    Row("binary_focal_loss", ("logits", "y"), ("real", "prob"), {"reduction": "mean"},
        reference="formula: torchvision.ops.sigmoid_focal_loss's, in torch",
        special=("binary_focal_loss(v, y=1)",),
        matrix=("ib.binary_focal_loss(A, np.ones(np.shape(A)), reduction='none')",)),
    Row("perplexity", ("y_hat", "y"), ("prob", "labels"), {},
        reference="formula: exp(mean -ln p_y) in np.longdouble",
        special=("perplexity(probs [[v, .5]], 0)",),
        matrix=("ib.perplexity(A, LABELS(A))",)),
    # ---------------------------------------------------------- settings
    Row("set_num_threads", ("n",), ("int",), {}),
    Row("get_num_threads", (), (), {}),
    Row("simd_path", (), (), {}),
    # ---------------------------------------------------------- estimators
    Row("estimate.entropy", ("x",), ("labels",), {"method": None, "base": 2},
        reference="formula: plug-in -sum (c/N) log2(c/N) of np.unique counts",
        special=("estimate.entropy(labels, method='plugin')",),
        matrix=("est.entropy(A)",), labels=True),
    Row("estimate.entropy_from_counts", ("counts",), ("counts",),
        {"method": "plugin", "base": 2, "axis": -1},
        reference="scipy.stats.entropy", special=("estimate.entropy_from_counts(c)",),
        matrix=("est.entropy_from_counts(A)",), labels=True),
    Row("estimate.mutual_information", ("x", "y"), ("labels", "labels"),
        {"method": None, "base": 2},
        reference="sklearn.metrics.mutual_info_score",
        special=("estimate.mutual_information(x + v, y, ksg)",),
        matrix=("est.mutual_information(A, YLAB(A))",
                "est.mutual_information(A, BASE[:, ::-1] ** 2, method='ksg', k=2)",
                "est.mutual_information(A, np.arange(6) % 2, method='ross', k=1)"),
        labels=True),
    Row("estimate.conditional_entropy", ("y", "x"), ("labels", "labels"),
        {"method": None, "base": 2},
        reference="formula: plug-in H(X, Y) - H(X) of np.unique counts",
        matrix=("est.conditional_entropy(A, YLAB(A))",), labels=True),
    Row("estimate.conditional_mutual_information", ("x", "y", "z"),
        ("labels", "labels", "labels"), {"method": None, "base": 2},
        reference="dit.multivariate.coinformation",
        matrix=("est.conditional_mutual_information(A, YLAB(A), YLAB(A)[::-1].copy())",),
        labels=True),
    Row("estimate.mutual_information_matrix", ("X",), ("labels",),
        {"method": None, "base": 2},
        reference="sklearn.metrics.mutual_info_score",
        matrix=("est.mutual_information_matrix(A)",), labels=True),
    Row("estimate.contingency_table", ("x", "y"), ("labels", "labels"), {},
        reference="sklearn.metrics.cluster.contingency_matrix",
        matrix=("est.contingency_table(A, YLAB(A))",), labels=True),
    Row("estimate.mutual_information_from_counts", ("table",), ("counts",),
        {"method": "plugin", "base": 2},
        reference="sklearn.metrics.mutual_info_score",
        special=("estimate.mutual_information_from_counts(table)",),
        matrix=("est.mutual_information_from_counts(A)",), labels=True),
    Row("estimate.differential_entropy", ("x",), ("real",), {"method": "auto", "base": 2},
        reference="scipy.stats.differential_entropy",
        special=("estimate.differential_entropy(20 samples + v)",),
        matrix=("est.differential_entropy(A, method='vasicek')",
                "est.differential_entropy(A, method='knn', k=2)")),
    Row("estimate.kl_divergence", ("x", "y"), ("real", "real"), {"method": "knn", "base": 2},
        reference="formula: the closed form of two normals, 0.5 nats for N(0, 1) || N(1, 1)",
        special=("estimate.kl_divergence(x + v, y)",),
        matrix=("est.kl_divergence(A, np.asarray(BASE) * 1.3 + 0.01)",)),
    Row("estimate.gaussian_entropy", ("cov",), ("real",), {"base": 2},
        reference="scipy.stats.multivariate_normal",
        special=("estimate.gaussian_entropy([[v]])",),
        matrix=("est.gaussian_entropy(A)",)),
    Row("estimate.gaussian_kl_divergence", ("mu0", "cov0", "mu1", "cov1"),
        ("real", "real", "real", "real"), {"base": 2},
        reference="formula: the closed form of two multivariate normals (NumPy)",
        matrix=("est.gaussian_kl_divergence(np.zeros(np.shape(A)[:1]), A, "
                "np.zeros(np.shape(A)[:1]), A)",)),
    Row("estimate.transfer_entropy", ("source", "target"), ("labels", "labels"),
        {"method": "ksg", "base": 2},
        reference="formula: JIDT's TransferEntropyCalculatorKraskov / Discrete (tests/peers), "
                  "and the plug-in H of np.unique counts of the embedded series",
        matrix=("est.transfer_entropy(A, YLAB(A), method='plugin')",
                "est.transfer_entropy(A, np.sin(np.arange(np.shape(A)[0] if np.ndim(A) else 1)), "
                "method='gaussian')"), labels=True),
    Row("estimate.transfer_entropy_matrix", ("X",), ("labels",), {"method": "ksg", "base": 2},
        reference="formula: transfer_entropy of each ordered pair of columns",
        matrix=("est.transfer_entropy_matrix(A, method='plugin')",), labels=True),
    Row("estimate.active_information_storage", ("x",), ("labels",),
        {"method": "ksg", "base": 2},
        reference="formula: JIDT's ActiveInfoStorageCalculatorKraskov / Discrete (tests/peers)",
        matrix=("est.active_information_storage(A, method='plugin')",), labels=True),
    Row("estimate.lagged_mutual_information", ("x", "y", "lags"), ("labels", "labels", "int"),
        {"method": None, "base": 2},
        reference="formula: mutual_information of the series shifted by each lag",
        matrix=("est.lagged_mutual_information(A, YLAB(A), [-1, 0, 2], method='plugin')",),
        labels=True),
    Row("estimate.renyi_entropy", ("x", "alpha"), ("labels", "real"),
        {"method": "plugin", "base": 2},
        reference="dit.other.renyi_entropy",
        matrix=("est.renyi_entropy(A, 2)",), labels=True),
    Row("estimate.tsallis_entropy", ("x", "q"), ("labels", "real"), {"method": "plugin"},
        reference="dit.other.tsallis_entropy",
        matrix=("est.tsallis_entropy(A, 2)",), labels=True),
    Row("estimate.total_correlation", ("X",), ("labels",), {"method": None, "base": 2},
        reference="formula: plug-in entropies of np.unique row counts; JIDT's "
                  "MultiInfoCalculatorKraskov1/2 and Gaussian (tests/peers)",
        matrix=("est.total_correlation(A)", "est.total_correlation(A, method='gaussian')",
                "est.total_correlation(A, method='ksg', k=2)"), labels=True),
    Row("estimate.dual_total_correlation", ("X",), ("labels",), {"method": None, "base": 2},
        reference="formula: plug-in entropies of np.unique row counts; JIDT's "
                  "DualTotalCorrelationCalculatorGaussian (tests/peers)",
        matrix=("est.dual_total_correlation(A)",
                "est.dual_total_correlation(A, method='gcmi')"), labels=True),
    Row("estimate.o_information", ("X",), ("labels",), {"method": None, "base": 2},
        reference="formula: plug-in entropies of np.unique row counts; JIDT's "
                  "OInfoCalculatorKraskov and Gaussian (tests/peers)",
        matrix=("est.o_information(A)", "est.o_information(A, method='ksg', k=2)"),
        labels=True),
    Row("estimate.s_information", ("X",), ("labels",), {"method": None, "base": 2},
        reference="formula: plug-in entropies of np.unique row counts; JIDT's "
                  "SInfoCalculatorGaussian (tests/peers)",
        matrix=("est.s_information(A)", "est.s_information(A, method='gaussian')"),
        labels=True),
    Row("estimate.interaction_information", ("x", "y", "z"), ("labels", "labels", "labels"),
        {"method": None, "base": 2},
        reference="formula: McGill's co-information of np.unique counts; "
                  "dit.multivariate.coinformation of the tables (tests/peers)",
        matrix=("est.interaction_information(A, YLAB(A), YLAB(A)[::-1].copy())",),
        labels=True),
    Row("estimate.permutation_test", ("estimator",), ("real",), {},
        reference="formula: the estimator on permuted copies, the p-value counted by hand "
                  "(tests/unit/test_significance.py)",
        matrix=("est.permutation_test(est.mutual_information, A, YLAB(A), method='plugin', "
                "n_permutations=5, random_state=0).pvalue",), labels=True),
    Row("estimate.mutual_info_classif", ("X", "y"), ("real", "labels"), {},
        reference="sklearn.feature_selection.mutual_info_classif",
        matrix=("est.mutual_info_classif(np.reshape(A, (np.shape(A)[0], -1)) if np.ndim(A) "
                "else A, YLAB(A), n_neighbors=1, random_state=0)",)),
    Row("estimate.mutual_info_regression", ("X", "y"), ("real", "real"), {},
        reference="sklearn.feature_selection.mutual_info_regression",
        matrix=("est.mutual_info_regression(np.reshape(A, (np.shape(A)[0], -1)) if np.ndim(A) "
                "else A, np.arange(np.shape(A)[0] if np.ndim(A) else 1) ** 1.5, n_neighbors=2, "
                "random_state=0)",)),
    # ---------------------------------------------------------- Dask twins
    Row("dask.entropy", ("p",), ("prob",), _D, reference="scipy.stats.entropy"),
    Row("dask.joint_entropy", ("p_xy",), ("prob",), _D, reference="scipy.stats.entropy"),
    Row("dask.kl_divergence", ("p", "q"), ("prob", "prob"), _D,
        reference="scipy.special.rel_entr"),
    Row("dask.jensen_shannon_divergence", ("p", "q"), ("prob", "prob"), _D,
        reference="scipy.spatial.distance.jensenshannon"),
    Row("dask.renyi_entropy", ("p", "alpha"), ("prob", "int"), _D,
        reference="formula: log2(sum p**alpha) / (1 - alpha) in mpmath"),
    Row("dask.tsallis_entropy", ("p", "q"), ("prob", "int"),
        {"axis": None, "keepdims": False, "nan_policy": "propagate", "normalize": False},
        reference="formula: (1 - sum p**q) / (q - 1) in mpmath"),
    Row("dask.logsumexp", ("a", "axis", "b", "keepdims", "return_sign"),
        ("real", "int", "real", "int", "int"), {"axis": None, "keepdims": False},
        reference="scipy.special.logsumexp"),
    Row("dask.cross_entropy", ("y_hat", "y"), ("prob", "labels"),
        {"reduction": "mean", "base": None},
        reference="torch.nn.functional.cross_entropy"),
)


def row(name: str) -> Row:
    """The row of the public function *name* (``"entropy"``,
    ``"estimate.entropy"``, ``"dask.entropy"``)."""
    for r in ROWS:
        if r.name == name:
            return r
    raise KeyError(f"no registry row for {name!r}: add one to infobits/_registry.py")
