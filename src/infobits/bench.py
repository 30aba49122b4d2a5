"""The benchmark report behind ``infobits bench``.

Workloads run on built-in synthetic data.  Every implementation of a
workload is timed side by side in one run: the repeats are interleaved
(round-robin over the implementations) and the best time is kept, so the
ratios are robust to a noisy, shared machine.  A ratio is peer time divided
by infobits time (above 1: infobits is faster).
"""
from __future__ import annotations

import json
import math
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import infobits as ib

LN2 = math.log(2.0)


@dataclass
class Workload:
    name: str
    setup: Callable[[bool], object]          # quick -> data
    impls: dict                              # label -> callable(data)
    goals: dict = field(default_factory=dict)  # peer label -> min ratio
    ours: str = "infobits"
    number: int = 1    # calls per timing (microsecond calls: many, then / number)


def _optional(name):
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - any import failure means "not installed"
        return None


# The NumPy code of the d2l information-theory chapter, as printed (np.nansum
# for MXNet's nansum);
# the benchmarks/ suites import these too.
def d2l_entropy(p):
    return np.nansum(-p * np.log2(p))


def d2l_kl(p, q):
    return np.abs(np.nansum(p * np.log2(p / q)))


def d2l_mi(p_xy, p_x, p_y):
    p = p_xy / (p_x * p_y)
    return np.nansum(p_xy * np.log2(p))


# The same formulas with the chapter's PyTorch-edition nansum written in
# NumPy, nansum(x) = x[~isnan(x)].sum(): cheaper than np.nansum on small
# inputs (the baseline of the small-call rows).
def nansum_mask(x):
    return x[~np.isnan(x)].sum()


def d2l_entropy_mask(p):
    return nansum_mask(-p * np.log2(p))


def d2l_kl_mask(p, q):
    return np.abs(nansum_mask(p * np.log2(p / q)))


def d2l_mi_derived_mask(p_xy):
    """The chapter's MI with the marginals derived from the joint."""
    p = p_xy / (p_xy.sum(1, keepdims=True) * p_xy.sum(0, keepdims=True))
    return nansum_mask(p_xy * np.log2(p))


MASK = "NumPy (d2l chapter, boolean-mask nansum)"
TWO_THREADS = "infobits 2 threads"


def _impl_label(label):
    """The label shown for an implementation: a 2-thread row is our own
    speed-up over one thread."""
    if label.startswith(TWO_THREADS):
        return label + " (speed-up over 1 thread)"
    return label


def _with_threads(n, fn):
    def run(data):
        old = ib.get_num_threads()
        ib.set_num_threads(n)
        try:
            return fn(data)
        finally:
            ib.set_num_threads(old)
    return run


def _probs(n, state=0, dtype=np.float64):
    rng = np.random.default_rng(state)
    p = rng.random(n)
    p /= p.sum()
    return p.astype(dtype)


def workloads(quick: bool = False):
    """The benchmark workloads whose implementations are installed."""
    sp = _optional("scipy.special") and __import__("scipy.special").special
    stats = _optional("scipy.stats") and __import__("scipy.stats").stats
    torch = _optional("torch")
    ne = _optional("numexpr")
    n = 10**6 if quick else 10**7
    tag = "1e6" if quick else "1e7"
    out = []

    # entropy
    impls = {"infobits": lambda d: ib.entropy(d),
             "infobits 2 threads": _with_threads(2, lambda d: ib.entropy(d)),
             "NumPy (d2l chapter)": d2l_entropy, MASK: d2l_entropy_mask}
    goals = {"NumPy (d2l chapter)": 4.0}
    if sp is not None:
        impls["scipy.special.entr"] = lambda d: np.sum(sp.entr(d)) / LN2
        goals["scipy.special.entr"] = 2.5
    if ne is not None:
        impls["numexpr"] = lambda d: float(ne.evaluate("sum(where(d > 0, -d * log(d), 0))",
                                                       local_dict={"d": d})) / LN2
    if torch is not None:
        impls["torch"] = lambda d, t=torch: float(torch.special.entr(t.from_numpy(d)).sum()) / LN2
    goals["infobits 2 threads"] = 1.7
    out.append(Workload(f"entropy {tag} float64", lambda q: _probs(n), impls, goals))

    impls32 = {"infobits": lambda d: ib.entropy(d), "NumPy (d2l chapter)": d2l_entropy}
    if sp is not None:
        impls32["scipy.special.entr"] = lambda d: np.sum(sp.entr(d)) / LN2
    out.append(Workload(f"entropy {tag} float32", lambda q: _probs(n, dtype=np.float32), impls32))

    # KL
    impls = {"infobits": lambda d: ib.kl_divergence(*d),
             "infobits 2 threads": _with_threads(2, lambda d: ib.kl_divergence(*d)),
             "NumPy (d2l chapter)": lambda d: d2l_kl(*d), MASK: lambda d: d2l_kl_mask(*d)}
    goals = {"NumPy (d2l chapter)": 4.0, "infobits 2 threads": 1.7}
    if sp is not None:
        impls["scipy.special.rel_entr"] = lambda d: np.sum(sp.rel_entr(*d)) / LN2
        goals["scipy.special.rel_entr"] = 2.5
    if ne is not None:
        impls["numexpr"] = lambda d: float(ne.evaluate(
            "sum(where(p > 0, p * log(p / q), 0))", local_dict={"p": d[0], "q": d[1]})) / LN2
    out.append(Workload(f"kl_divergence {tag} float64", lambda q: (_probs(n, 0), _probs(n, 1)),
                        impls, goals))

    # Renyi entropy of order 2.5 (one pass: exp(alpha log p) per term) and
    # of order 2 (squares) against NumPy's formula
    for alpha in (2.5, 2.0):
        impls = {"infobits": lambda d, a=alpha: ib.renyi_entropy(d, a),
                 "infobits 2 threads": _with_threads(2, lambda d, a=alpha: ib.renyi_entropy(d, a)),
                 "NumPy log2(sum(p**a))/(1-a)":
                     lambda d, a=alpha: np.log2(np.sum(d ** a)) / (1 - a)}
        out.append(Workload(f"renyi_entropy alpha={alpha} {tag} float64", lambda q: _probs(n),
                            impls, {"NumPy log2(sum(p**a))/(1-a)": 4.0,
                                    "infobits 2 threads": 1.7}))

    # MI on a joint table with given marginals (the d2l chapter's signature)
    def mi_data(q):
        rows = 1000 if not quick else 100
        pxy = _probs(n).reshape(rows, -1)
        return pxy, pxy.sum(1, keepdims=True), pxy.sum(0, keepdims=True)

    impls = {"infobits": lambda d: ib.mutual_information(*d),
             "infobits 2 threads": _with_threads(2, lambda d: ib.mutual_information(*d)),
             "NumPy (d2l chapter)": lambda d: d2l_mi(*d)}
    goals = {"NumPy (d2l chapter)": 4.0, "infobits 2 threads": 1.7}
    if sp is not None:
        impls["scipy.special.rel_entr"] = lambda d: np.sum(sp.rel_entr(d[0], d[1] * d[2])) / LN2
        goals["scipy.special.rel_entr"] = 2.5
    out.append(Workload(f"mutual_information {tag} float64", mi_data, impls, goals))

    # elementwise ufuncs: self-information and PMI against
    # np.log2 (for PMI, the d2l chapter's log2(p_xy / (p_x p_y)))
    impls = {"infobits": lambda d: ib.self_information(d), "np.log2": np.log2}
    out.append(Workload(f"self_information {tag} float64", lambda q: _probs(n), impls,
                        {"np.log2": 3.0}))

    # PMI of a joint table with its marginals (the MI workload's data)
    impls = {"infobits": lambda d: ib.pointwise_mutual_information(*d),
             "np.log2": lambda d: np.log2(d[0] / (d[1] * d[2]))}
    out.append(Workload(f"pointwise_mutual_information {tag} float64", mi_data, impls,
                        {"np.log2": 3.0}))
    out.extend(_overhead_and_layout_rows(quick, stats))

    # batched entropy along axis 1
    rows = 10**4 if quick else 10**5

    def batch_data(q):
        rng = np.random.default_rng(2)
        p = rng.random((rows, 100))
        return p / p.sum(1, keepdims=True)

    impls = {"infobits": lambda d: ib.entropy(d, axis=1),
             "NumPy (d2l chapter)": lambda d: np.nansum(-d * np.log2(d), axis=1)}
    goals = {}
    if stats is not None:
        impls["scipy.stats.entropy"] = lambda d: stats.entropy(d, base=2, axis=1)
        goals["scipy.stats.entropy"] = 4.0
    out.append(Workload(f"batched entropy ({rows}, 100) axis=1", batch_data, impls, goals))

    # logsumexp
    if hasattr(ib, "logsumexp"):
        def lse_data(q):
            return np.random.default_rng(3).normal(0, 10, n)

        impls = {"infobits": lambda d: ib.logsumexp(d),
                 "infobits 2 threads": _with_threads(2, lambda d: ib.logsumexp(d))}
        goals = {"infobits 2 threads": 1.7}
        if sp is not None:
            impls["scipy.special.logsumexp"] = lambda d: sp.logsumexp(d)
            goals["scipy.special.logsumexp"] = 5.0
        if torch is not None:
            impls["torch.logsumexp"] = lambda d, t=torch: float(t.logsumexp(t.from_numpy(d), 0))
            goals["torch.logsumexp"] = 1.5
        out.append(Workload(f"logsumexp {tag} float64", lse_data, impls, goals))

    # cross-entropy from logits
    if hasattr(ib, "cross_entropy"):
        N = 10**3 if quick else 10**4
        for dtype in ("float64", "float32"):
            def ce_data(q, dtype=dtype):
                rng = np.random.default_rng(4)
                x = rng.normal(0, 3, (N, 1000)).astype(dtype)
                y = rng.integers(0, 1000, N)
                return x, y

            impls = {"infobits": lambda d: ib.cross_entropy(d[0], d[1], from_logits=True)}
            goals = {}
            if torch is not None:
                F = torch.nn.functional
                impls["torch F.cross_entropy"] = lambda d, F=F, t=torch: float(
                    F.cross_entropy(t.from_numpy(d[0]), t.from_numpy(d[1])))
                goals["torch F.cross_entropy"] = 2.0 if dtype == "float64" else 1.5
            out.append(Workload(f"cross_entropy logits ({N}, 1000) {dtype}", ce_data, impls, goals))

            impls = {"infobits": lambda d: ib.cross_entropy(d[0], d[1], from_logits=True,
                                                           return_grad=True)}
            goals = {}
            if torch is not None:
                def fwd_bwd(d, t=torch):
                    x = t.from_numpy(d[0]).requires_grad_(True)
                    loss = t.nn.functional.cross_entropy(x, t.from_numpy(d[1]))
                    loss.backward()
                    return float(loss.detach()), x.grad

                impls["torch forward+backward"] = fwd_bwd
                goals["torch forward+backward"] = 2.0
            out.append(Workload(f"cross_entropy logits+grad ({N}, 1000) {dtype}", ce_data,
                                impls, goals))

    # cross-entropy on probabilities with hard labels (only the labelled
    # entry of each row is read)
    if hasattr(ib, "cross_entropy"):
        Np = 10**5 if quick else 10**6

        def cep_data(q):
            rng = np.random.default_rng(5)
            return rng.dirichlet(np.ones(10), size=Np), rng.integers(0, 10, Np)

        impls = {"infobits": lambda d: ib.cross_entropy(d[0], d[1]),
                 "NumPy -log(P[arange(n), y]).mean()":
                     lambda d: -np.log(d[0][np.arange(len(d[1])), d[1]]).mean()}
        goals = {"NumPy -log(P[arange(n), y]).mean()": 3.0}
        out.append(Workload(f"cross_entropy probabilities ({Np}, 10) labels", cep_data,
                            impls, goals))

    # softmax / log_softmax rows, float64 and float32
    if hasattr(ib, "softmax"):
        Ns = 10**3 if quick else 10**4
        for dtype in ("float64", "float32"):
            def sm_data(q, dtype=dtype):
                return np.random.default_rng(6).normal(0, 1, (Ns, 1000)).astype(dtype)

            impls = {"infobits": lambda d: ib.softmax(d)}
            goals = {}
            if torch is not None:
                impls["torch.softmax"] = lambda d, t=torch: t.softmax(t.from_numpy(d), -1)
                goals["torch.softmax"] = 1.5
            if sp is not None and dtype == "float64":
                impls["scipy.special.softmax"] = lambda d: sp.softmax(d, axis=-1)
                goals["scipy.special.softmax"] = 3.0
            out.append(Workload(f"softmax ({Ns}, 1000) {dtype}", sm_data, impls, goals))
        if torch is not None:
            def lsm_data(q):
                return np.random.default_rng(7).normal(0, 1, (Ns, 1000)).astype(np.float32)

            impls = {"infobits": lambda d: ib.log_softmax(d),
                     "torch.log_softmax": lambda d, t=torch: t.log_softmax(t.from_numpy(d), -1)}
            out.append(Workload(f"log_softmax ({Ns}, 1000) float32", lsm_data, impls, {}))

    # float32 logsumexp against our own float64 time on the same values
    if hasattr(ib, "logsumexp"):
        def lse32_data(q):
            x = np.random.default_rng(3).normal(0, 10, n)
            return x.astype(np.float32), x.astype(np.float32).astype(np.float64)

        impls = {"infobits": lambda d: ib.logsumexp(d[0]),
                 "infobits float64": lambda d: ib.logsumexp(d[1])}
        goals = {"infobits float64": 1.6}
        if torch is not None:
            impls["torch.logsumexp float32"] = lambda d, t=torch: float(
                t.logsumexp(t.from_numpy(d[0]), 0))
            goals["torch.logsumexp float32"] = 2.0
        out.append(Workload(f"logsumexp {tag} float32", lse32_data, impls, goals))
    out.extend(_training_loop_workloads(quick, torch))
    out.extend(_continuous_estimator_workloads(quick))
    out.extend(_estimate_discrete_workloads(quick))
    out.extend(_dynamics_workloads(quick))
    out.extend(_multivariate_workloads(quick))
    out.extend(_significance_workloads(quick))
    out.extend(_busy_machine_workloads(quick))
    return out


# (N, K) shapes of a training loop's softmax and cross-entropy:
# in cache up to 3000 x 1000, fresh pages beyond
TRAINING_SHAPES = [(512, 128), (100, 1000), (1000, 1000), (3000, 1000), (64, 32000),
                   (10000, 1000), (1000, 50000)]


def _training_loop_workloads(quick, torch):
    """softmax, log_softmax, row logsumexp and cross-entropy from logits
    (with and without the gradient) at training-loop shapes, float32 and
    float64, against PyTorch (both single-threaded; goals 1.5x, CE 2x)."""
    if torch is None or not hasattr(ib, "cross_entropy"):
        return []
    F = torch.nn.functional
    shapes = TRAINING_SHAPES[:5] if quick else TRAINING_SHAPES

    def fwd_bwd(d):
        x = d[2].detach().requires_grad_(True)
        loss = F.cross_entropy(x, d[3])
        loss.backward()
        return float(loss.detach()), x.grad

    ops = [
        ("softmax", 1.5, lambda d: ib.softmax(d[0]), lambda d: torch.softmax(d[2], -1)),
        ("log_softmax", 1.5, lambda d: ib.log_softmax(d[0]),
         lambda d: torch.log_softmax(d[2], -1)),
        ("logsumexp axis=-1", 1.5, lambda d: ib.logsumexp(d[0], axis=-1),
         lambda d: torch.logsumexp(d[2], -1)),
        ("cross_entropy logits", 2.0, lambda d: ib.cross_entropy(d[0], d[1], from_logits=True),
         lambda d: float(F.cross_entropy(d[2], d[3]))),
        ("cross_entropy logits+grad", 2.0,
         lambda d: ib.cross_entropy(d[0], d[1], from_logits=True, return_grad=True), fwd_bwd),
    ]
    out = []
    for dtype in ("float32", "float64"):
        for N, K in shapes:
            def data(q, N=N, K=K, dtype=dtype):
                rng = np.random.default_rng(7)
                x = rng.normal(0.0, 3.0, (N, K)).astype(dtype)
                y = rng.integers(0, K, N)
                return x, y, torch.from_numpy(x), torch.from_numpy(y)

            number = max(1, 10**6 // (N * K))   # ~1 ms per timing at least
            for name, goal, ours, peer in ops:
                label = "torch forward+backward" if name.endswith("grad") else "torch"
                out.append(Workload(f"{name} {N}x{K} {dtype}", data,
                                    {"infobits": ours, label: peer}, {label: goal},
                                    number=number))
    return out


def _overhead_and_layout_rows(quick, stats):
    """Small calls, the general path's overhead, a reduction over axis 0,
    float32 against float64, MI with derived marginals, the chapter's KL on
    normal samples."""
    out = []
    p4 = np.array([0.1, 0.2, 0.3, 0.4])
    impls = {"infobits": lambda d: ib.entropy(d), MASK: d2l_entropy_mask,
             "NumPy (d2l chapter)": d2l_entropy}
    out.append(Workload("entropy 4 elements", lambda q: p4, impls, {MASK: 3.0}, number=2000))

    # the general path's overhead: goal <= 2x the 1-D fast path's time,
    # i.e. (fast-path time / this call's time) >= 0.5
    fast = "infobits 1-D fast path, entropy(p4)"
    impls = {"infobits": lambda d: ib.entropy(d, axis=0), fast: lambda d: ib.entropy(d)}
    out.append(Workload("entropy(p4, axis=0): fast-path time / this call", lambda q: p4,
                        impls, {fast: 0.5}, number=2000))
    j22 = np.array([[0.1, 0.2], [0.3, 0.4]])
    impls = {"infobits": lambda d: ib.mutual_information(d[0]),
             fast: lambda d: ib.entropy(d[1])}
    out.append(Workload("mutual_information 2x2 joint: fast-path time / this call",
                        lambda q: (j22, p4), impls, {fast: 0.5}, number=2000))

    rows = 200 if quick else 1000

    def ax0_data(q):
        a = np.random.default_rng(3).random((rows, 10**4))
        return a / a.sum(0)

    def rows_quiet(d):
        # (the rows of the column-normalised array do not sum to 1: the
        # layout comparison wants the same work, not the warning)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return ib.entropy(d, axis=1)

    impls = {"infobits": lambda d: ib.entropy(d, axis=0),
             "infobits axis=1 of the same C-ordered array": rows_quiet}
    goals = {"infobits axis=1 of the same C-ordered array": 0.8}
    if stats is not None:
        impls["scipy.stats.entropy axis=0"] = lambda d: stats.entropy(d, base=2, axis=0)
        goals["scipy.stats.entropy axis=0"] = 4.0
    out.append(Workload(f"entropy ({rows}, 1e4) axis=0", ax0_data, impls, goals))

    n = 10**6 if quick else 10**7

    def f32_data(q):
        p = _probs(n)
        return p.astype(np.float32), p

    impls = {"infobits": lambda d: ib.entropy(d[0]),
             "infobits float64 (same values)": lambda d: ib.entropy(d[1])}
    out.append(Workload(f"entropy {n:.0e} float32 vs our float64".replace("+0", ""),
                        f32_data, impls, {"infobits float64 (same values)": 1.6}))

    m = 300 if quick else 1000

    def mi_data(q):
        return _probs(m * m, 4).reshape(m, m)

    impls = {"infobits": lambda d: ib.mutual_information(d), MASK: d2l_mi_derived_mask,
             "NumPy (d2l chapter)": lambda d: d2l_mi(d, d.sum(1, keepdims=True),
                                                     d.sum(0, keepdims=True))}
    out.append(Workload(f"mutual_information ({m}, {m}) marginals derived", mi_data, impls,
                        {MASK: 4.0}))

    def kl_norm_data(q):
        rng = np.random.default_rng(6)
        return np.sort(rng.normal(0, 1, 10**4)), np.sort(rng.normal(1, 1, 10**4))

    # samples, not probabilities: the chapter's nansum is nan_policy="omit"
    impls = {"infobits": lambda d: ib.kl_divergence(*d, nan_policy="omit"), MASK: lambda d: d2l_kl_mask(*d),
             "NumPy (d2l chapter)": lambda d: d2l_kl(*d)}
    out.append(Workload("kl_divergence 1e4 sorted normal samples (mostly NaN terms)",
                        kl_norm_data, impls, {MASK: 4.0}, number=20))
    return out


def kl_knn_ckdtree(x, y, k=1):
    """The two-sample k-NN KL estimator (bits) written with two cKDTree
    queries: the peer of the compiled 1-D sweep (benchmarks/ imports it)."""
    from scipy.spatial import cKDTree

    x2, y2 = x[:, None], y[:, None]
    rho = cKDTree(x2).query(x2, k=k + 1)[0][:, k]
    nu = cKDTree(y2).query(x2, k=[k])[0][:, 0]
    return (np.mean(np.log(nu / rho)) + math.log(len(y) / (len(x) - 1))) / LN2


def _continuous_estimator_workloads(quick):
    """Spacing entropy, KSG mutual information and two-sample KL from samples."""
    from infobits import estimate as est

    stats = _optional("scipy.stats") and __import__("scipy.stats").stats
    fs = _optional("sklearn.feature_selection")
    fs = fs and __import__("sklearn.feature_selection").feature_selection
    out = []
    impls = {"infobits": lambda d: est.differential_entropy(d, method="vasicek")}
    goals = {}
    if stats is not None:
        impls["scipy.stats.differential_entropy"] = lambda d: stats.differential_entropy(
            d, method="vasicek", base=2)
        goals["scipy.stats.differential_entropy"] = 3.0
    out.append(Workload("differential_entropy vasicek 1e5", lambda q: np.random.default_rng(5)
                        .standard_normal(10**5), impls, goals))

    def ksg_data(q):
        rng = np.random.default_rng(6)
        x = rng.standard_normal(10**4)
        return x, 0.6 * x + 0.8 * rng.standard_normal(10**4)

    impls = {"infobits": lambda d: est.mutual_information(*d, method="ksg", k=3)}
    goals = {}
    if fs is not None:
        impls["sklearn mutual_info_regression"] = lambda d: fs.mutual_info_regression(
            d[0][:, None], d[1], n_neighbors=3, random_state=0)[0] / LN2
        goals["sklearn mutual_info_regression"] = 5.0
    out.append(Workload("KSG mutual_information 1e4 pairs k=3", ksg_data, impls, goals))

    n = 10**5 if quick else 10**6
    tag = "1e5" if quick else "1e6"

    def kl_data(q):
        rng = np.random.default_rng(7)
        return rng.standard_normal(n), rng.normal(1.0, 1.0, n)

    impls = {"infobits": lambda d: est.kl_divergence(*d, k=1)}
    goals = {}
    if _optional("scipy.spatial") is not None:
        impls["two cKDTree queries"] = lambda d: kl_knn_ckdtree(*d, k=1)
        goals["two cKDTree queries"] = 10.0
    out.append(Workload(f"kl_divergence samples 1-D {tag} k=1", kl_data, impls, goals))
    out.extend(_neighbour_engine_workloads(quick))
    return out


def _jidt_cmi_kraskov1():
    """JIDT's KSG conditional MI (one thread, noise and normalisation off)
    through jpype and idtxl-uv's infodynamics.jar, or None if unavailable."""
    import importlib.util
    import os

    try:
        import jpype
        found = importlib.util.find_spec("idtxl")
        jar = None
        for loc in (found.submodule_search_locations or []) if found else []:
            if os.path.exists(os.path.join(loc, "infodynamics.jar")):
                jar = os.path.join(loc, "infodynamics.jar")
        if jar is None:
            return None
        if not jpype.isJVMStarted():
            jpype.startJVM(jpype.getDefaultJVMPath(), "-Djava.class.path=" + jar,
                           convertStrings=False)
        calc_cls = jpype.JPackage("infodynamics").measures.continuous.kraskov \
            .ConditionalMutualInfoCalculatorMultiVariateKraskov1
        arr = jpype.JArray(jpype.JDouble, 2)
    except Exception:  # noqa: BLE001 - no JVM, no jar: the row goes without JIDT
        return None

    def run(d):
        calc = calc_cls()
        for key, val in (("NOISE_LEVEL_TO_ADD", "0"), ("NORMALISE", "false"), ("k", "4"),
                         ("NUM_THREADS", "1")):
            calc.setProperty(key, val)
        calc.initialise(1, 1, 1)
        calc.setObservations(arr(d[0][:, None]), arr(d[1][:, None]), arr(d[2][:, None]))
        return float(calc.computeAverageLocalOfObservations()) / LN2
    return run


def _neighbour_engine_workloads(quick):
    """KSG MI and conditional MI on the neighbour engine against npeet-plus,
    JIDT and scikit-learn (benchmarks/knn_goals.py prints the same table)."""
    from infobits import estimate as est

    npeet = _optional("npeet_plus")
    fs = _optional("sklearn.feature_selection")
    fs = fs and __import__("sklearn.feature_selection").feature_selection
    jidt = _jidt_cmi_kraskov1()
    out = []

    def mi3_data(q):
        rng = np.random.default_rng(18)
        x = rng.standard_normal((10**4, 3))
        return x, x + rng.standard_normal((10**4, 3))

    impls = {"infobits": lambda d: est.mutual_information(*d, method="ksg", k=3)}
    goals = {}
    if npeet is not None:
        impls["npeet-plus mi"] = lambda d: npeet.mi(d[0], d[1], k=3)
        goals["npeet-plus mi"] = 2.0
    out.append(Workload("KSG mutual_information 3-D x 3-D y 1e4 k=3", mi3_data, impls, goals))

    def cmi_data(n):
        def setup(q):
            rng = np.random.default_rng(19)
            z = rng.standard_normal(n)
            x = z + 0.5 * rng.standard_normal(n)
            return x, 0.8 * z + 0.6 * x + 0.5 * rng.standard_normal(n), z
        return setup

    def ours_cmi(d):
        return est.conditional_mutual_information(*d, method="ksg", k=4)

    for n, tag in ((10**4, "1e4"),) + (() if quick else ((10**5, "1e5"),)):
        impls = {"infobits": ours_cmi}
        goals = {}
        if npeet is not None:
            impls["npeet-plus cmi"] = lambda d: npeet.cmi(d[0][:, None], d[1][:, None],
                                                          d[2][:, None], k=4)
            goals["npeet-plus cmi"] = 5.0
        if jidt is not None:
            impls["JIDT Kraskov1 (1 thread)"] = jidt
            goals["JIDT Kraskov1 (1 thread)"] = 10.0
        out.append(Workload(f"KSG conditional_mutual_information 1-D {tag} k=4", cmi_data(n),
                            impls, goals))

    def mi1_data(q):
        rng = np.random.default_rng(20)
        x = rng.standard_normal(10**5)
        return x, 0.6 * x + 0.8 * rng.standard_normal(10**5)

    impls = {"infobits": lambda d: est.mutual_information(*d, method="ksg", k=3)}
    goals = {}
    if fs is not None:
        impls["sklearn mutual_info_regression"] = lambda d: fs.mutual_info_regression(
            d[0][:, None], d[1], n_neighbors=3, random_state=0)[0] / LN2
        goals["sklearn mutual_info_regression"] = 7.0
    out.append(Workload("KSG mutual_information 1-D 1e5 k=3", mi1_data, impls, goals))

    if not quick:
        impls = {"infobits": ours_cmi, TWO_THREADS: _with_threads(2, ours_cmi)}
        out.append(Workload("KSG conditional_mutual_information 1-D 1e5 k=4, threads",
                            cmi_data(10**5), impls, {TWO_THREADS: 1.8}))
    return out


def _estimate_discrete_workloads(quick):
    """Discrete estimators from labels vs scikit-learn (infobits.estimate)."""
    import itertools

    from . import estimate as est

    skm = _optional("sklearn.metrics") and __import__("sklearn.metrics").metrics
    n1, n2 = (10**5, 10**4) if quick else (10**6, 10**5)
    t1, t2 = ("1e5", "1e4") if quick else ("1e6", "1e5")
    out = []

    def pairs(q):
        rng = np.random.default_rng(7)
        return rng.integers(0, 100, n1), rng.integers(0, 100, n1)

    impls = {"infobits": lambda d: est.mutual_information(*d)}
    goals = {}
    if skm is not None:
        impls["sklearn mutual_info_score"] = lambda d: skm.mutual_info_score(*d)
        goals["sklearn mutual_info_score"] = 5.0
    out.append(Workload(f"estimate MI {t1} label pairs 100x100", pairs, impls, goals))

    def labels(q, m):
        return np.random.default_rng(8).integers(0, 10, (n2, m))

    impls = {"infobits": lambda X: est.mutual_information_matrix(X)}
    goals = {}
    if skm is not None:
        impls["sklearn loop, 190 pairs"] = lambda X: [
            skm.mutual_info_score(X[:, i], X[:, j])
            for i, j in itertools.combinations(range(X.shape[1]), 2)]
        goals["sklearn loop, 190 pairs"] = 20.0
    out.append(Workload(f"estimate MI matrix ({t2}, 20) 10 categories",
                        lambda q: labels(q, 20), impls, goals))
    impls = {"infobits": lambda X: est.mutual_information_matrix(X),
             "infobits 2 threads": _with_threads(2, lambda X: est.mutual_information_matrix(X))}
    out.append(Workload(f"estimate MI matrix ({t2}, 50) 10 categories",
                        lambda q: labels(q, 50), impls, {"infobits 2 threads": 1.7}))
    return out


# --- information dynamics (transfer entropy, AIS, lagged MI) ---------------

_JVM = {}


def jidt():
    """jpype with JIDT's jar on the class path (the JVM started once), or
    None when jpype or the jar (shipped by idtxl-uv) is not installed: the
    bench then has no JIDT rows and starts no Java."""
    if "jp" in _JVM:
        return _JVM["jp"]
    _JVM["jp"] = None
    try:
        import idtxl
        import jpype
    except Exception:  # noqa: BLE001 - not installed: no JIDT rows
        return None
    jar = os.path.join(os.path.dirname(idtxl.__file__), "infodynamics.jar")
    if not os.path.exists(jar):
        return None
    try:
        if not jpype.isJVMStarted():
            jpype.startJVM(jpype.getDefaultJVMPath(), f"-Djava.class.path={jar}",
                           convertStrings=False)
    except Exception:  # noqa: BLE001 - no usable Java: no JIDT rows
        return None
    _JVM["jp"] = jpype
    return jpype


def coupled_ar(n, m=2, seed=0, c=0.5):
    """m coupled AR(1) series (n, m): column j is driven by column j - 1."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((n, m))
    x = np.zeros((n, m))
    for t in range(1, n):   # (workload setup, not timed)
        x[t] = 0.4 * x[t - 1] + e[t]
        x[t, 1:] += c * x[t - 1, :-1]
    return x


def jidt_te_ksg(jp, threads=1, k=4, history=1, source_history=1):
    """JIDT's TransferEntropyCalculatorKraskov on NumPy series (noise and
    normalisation off, so its values equal infobits' with jitter=0 and
    standardize=False); the conversion of the arrays is part of the call."""
    cls = jp.JClass("infodynamics.measures.continuous.kraskov.TransferEntropyCalculatorKraskov")

    def te(src, dst):
        c = cls()
        c.setProperty("k", str(k))
        c.setProperty("NUM_THREADS", str(threads))
        c.setProperty("NOISE_LEVEL_TO_ADD", "0")
        c.setProperty("NORMALISE", "false")
        c.initialise(history, 1, source_history, 1, 1)
        c.setObservations(jp.JArray(jp.JDouble)(src), jp.JArray(jp.JDouble)(dst))
        return c.computeAverageLocalOfObservations() / LN2
    return te


def jidt_ais_ksg(jp, k=4, history=2):
    cls = jp.JClass("infodynamics.measures.continuous.kraskov.ActiveInfoStorageCalculatorKraskov")

    def ais(x):
        c = cls()
        c.setProperty("k", str(k))
        c.setProperty("NUM_THREADS", "1")
        c.setProperty("NOISE_LEVEL_TO_ADD", "0")
        c.setProperty("NORMALISE", "false")
        c.initialise(history, 1)
        c.setObservations(jp.JArray(jp.JDouble)(x))
        return c.computeAverageLocalOfObservations() / LN2
    return ais


def jidt_te_discrete(jp, base=4):
    cls = jp.JClass("infodynamics.measures.discrete.TransferEntropyCalculatorDiscrete")

    def te(src, dst):
        c = cls(base, 1)
        c.initialise()
        c.addObservations(jp.JArray(jp.JInt)(src.astype(np.int32)),
                          jp.JArray(jp.JInt)(dst.astype(np.int32)))
        return c.computeAverageLocalOfObservations()
    return te


def _jit_warmed(setup, impls, calls=5):
    """A workload setup that also runs the JIDT implementations a few
    times on the data (untimed), so their timings see JIT-compiled Java:
    the bench's single warm-up call leaves JIDT up to 3x slower."""
    def run(q):
        d = setup(q)
        for label, fn in impls.items():
            if label.startswith("JIDT"):
                for _ in range(1 if "loop" in label else calls):
                    fn(d)
        return d
    return run


def _dynamics_workloads(quick):
    """Transfer entropy, AIS and lagged MI against JIDT (when jpype and
    idtxl-uv's jar are installed), pyinform and ennemi."""
    from . import estimate as est

    jp = jidt()
    n = 2000 if quick else 10**4
    tag = "2e3" if quick else "1e4"
    ksg = dict(jitter=0, standardize=False)
    out = []

    def pair(q):
        x = coupled_ar(n)
        return np.ascontiguousarray(x[:, 0]), np.ascontiguousarray(x[:, 1])

    impls = {"infobits": lambda d: est.transfer_entropy(*d, **ksg)}
    goals = {}
    if jp is not None:
        f_te1 = jidt_te_ksg(jp, 1)
        impls["JIDT 1 thread"] = lambda d: f_te1(*d)
        goals["JIDT 1 thread"] = 5.0
    out.append(Workload(f"KSG transfer_entropy {tag} history=1 k=4",
                        _jit_warmed(pair, impls), impls, goals))
    # (the workload runs both sides on 2 threads: "infobits" is our 2-thread call)
    impls = {"infobits": _with_threads(2, lambda d: est.transfer_entropy(*d, **ksg))}
    goals = {}
    if jp is not None:
        f_te2 = jidt_te_ksg(jp, 2)
        impls["JIDT 2 threads"] = lambda d: f_te2(*d)
        goals["JIDT 2 threads"] = 5.0
    out.append(Workload(f"KSG transfer_entropy {tag} history=1 k=4, both 2 threads",
                        _jit_warmed(pair, impls), impls, goals))

    impls = {"infobits": lambda d: est.active_information_storage(d[0], history=2, **ksg)}
    goals = {}
    if jp is not None:
        f_ais = jidt_ais_ksg(jp)
        impls["JIDT"] = lambda d: f_ais(d[0])
        goals["JIDT"] = 5.0
    out.append(Workload(f"KSG active_information_storage {tag} history=2 k=4",
                        _jit_warmed(pair, impls), impls, goals))

    m = 4 if quick else 8
    npairs = m * (m - 1)

    def panel(q):
        return coupled_ar(n, m, seed=1)

    impls = {"infobits": lambda X: est.transfer_entropy_matrix(X, **ksg)}
    goals = {}
    if jp is not None:
        f_te = jidt_te_ksg(jp, 1)

        def loop(X):
            f = f_te
            cols = [np.ascontiguousarray(X[:, j]) for j in range(m)]
            return [f(cols[i], cols[j]) for i in range(m) for j in range(m) if i != j]
        impls[f"JIDT loop, {npairs} pairs"] = loop
        goals[f"JIDT loop, {npairs} pairs"] = 5.0
    out.append(Workload(f"KSG transfer_entropy_matrix ({tag}, {m})", _jit_warmed(panel, impls),
                        impls, goals))

    nd = 10**4 if quick else 10**5
    tagd = "1e4" if quick else "1e5"

    def labels(q):
        rng = np.random.default_rng(4)
        x = rng.integers(0, 4, nd)
        return x, (np.roll(x, 1) + rng.integers(0, 2, nd)) % 4

    impls = {"infobits": lambda d: est.transfer_entropy(*d, method="plugin")}
    goals = {}
    if jp is not None:
        f_disc = jidt_te_discrete(jp)
        impls["JIDT discrete"] = lambda d: f_disc(*d)
        goals["JIDT discrete"] = 5.0
    pyinform = _optional("pyinform")
    if pyinform is not None:
        impls["pyinform"] = lambda d: pyinform.transfer_entropy(d[0], d[1], k=1)
    out.append(Workload(f"discrete transfer_entropy {tagd} 4 symbols",
                        _jit_warmed(labels, impls), impls, goals))

    lags = np.arange(1, 11)
    impls = {"infobits": lambda d: est.lagged_mutual_information(d[0], d[1], lags,
                                                                 method="ksg", **ksg)}
    goals = {}
    ennemi = _optional("ennemi")
    if ennemi is not None:
        impls["ennemi"] = lambda d: ennemi.estimate_mi(d[1], d[0], lag=lags, k=4,
                                                       preprocess=False, max_threads=1)
        goals["ennemi"] = 10.0
    out.append(Workload(f"KSG lagged_mutual_information {tag} lags 1-10 k=4", pair, impls,
                        goals))
    return out


BUSY = "infobits 2 threads beside a busy process"


class _Busy:
    """A workload's data, with a CPU-bound competitor (a subprocess spinning
    on one core) running while the data lives: the run drops the data after
    its workload, which stops the competitor (also at exit, or on error)."""

    def __init__(self, data):
        import subprocess
        import weakref

        self.data = data
        proc = subprocess.Popen([sys.executable, "-c", "while True:\n    pass\n"])
        self._stop = weakref.finalize(self, _Busy._kill, proc)
        time.sleep(0.2)

    @staticmethod
    def _kill(proc):
        proc.terminate()
        proc.wait()


def _busy_machine_workloads(quick):
    """1 vs 2 threads beside one CPU-bound process (benchmarks/busy_machine.py
    gives the medians): goal, the 2-thread time at most 1.15x the 1-thread
    time, i.e. a ratio (1 thread / 2 threads) >= 0.87."""
    from . import estimate as est

    n = 10**6 if quick else 10**7
    tag = "1e6" if quick else "1e7"
    rows = n // 1000
    calls = [
        ("entropy", lambda q: _probs(n), ib.entropy),
        ("logsumexp", lambda q: np.random.default_rng(3).normal(size=n), ib.logsumexp),
        (f"softmax ({rows}, 1000)",
         lambda q: np.random.default_rng(4).normal(size=(rows, 1000)),
         lambda x: ib.softmax(x, axis=1)),
        (f"cross_entropy logits ({rows}, 1000)",
         lambda q: (np.random.default_rng(5).normal(size=(rows, 1000)),
                    np.random.default_rng(6).integers(0, 1000, rows)),
         lambda d: ib.cross_entropy(d[0], d[1], from_logits=True)),
        ("estimate MI label pairs",
         lambda q: (np.random.default_rng(7).integers(0, 100, n),
                    np.random.default_rng(8).integers(0, 100, n)),
         lambda d: est.mutual_information(*d)),
    ]
    out = []
    for name, make, fn in calls:
        impls = {"infobits": lambda b, fn=fn: fn(b.data),
                 BUSY: _with_threads(2, lambda b, fn=fn: fn(b.data))}
        out.append(Workload(f"busy machine: {name} {tag}",
                            lambda q, make=make: _Busy(make(q)), impls, {BUSY: 0.87}))
    return out


def _time_once(fn, data, number=1):
    t0 = time.perf_counter()
    for _ in range(number):
        fn(data)
    return (time.perf_counter() - t0) / number


def run(quick: bool = False, repeats: int | None = None, progress=None, workload_list=None):
    """Time every workload (or those of *workload_list*); returns a
    JSON-ready dict."""
    torch = _optional("torch")
    torch_threads = torch.get_num_threads() if torch is not None else None
    old = ib.get_num_threads()
    if repeats is not None and (isinstance(repeats, bool) or int(repeats) != repeats or repeats < 1):
        raise ValueError(f"repeats must be an integer >= 1; got {repeats!r}")
    reps = repeats or (3 if quick else 7)
    wls = workloads(quick) if workload_list is None else workload_list
    total = sum(len(w.impls) * reps for w in wls)
    done = 0
    results = []
    ib.set_num_threads(1)
    if torch is not None:
        torch.set_num_threads(1)
    # (the chapter's code takes logs of zeros and negatives: no warnings)
    errstate = np.errstate(all="ignore")
    errstate.__enter__()
    try:
        for w in wls:
            data = w.setup(quick)
            best = {k: math.inf for k in w.impls}
            for fn in w.impls.values():  # warm-up
                fn(data)
            for _ in range(reps):
                for label, fn in w.impls.items():
                    best[label] = min(best[label], _time_once(fn, data, w.number))
                    done += 1
                    if progress:
                        progress(done, total, w.name)
            ours = best[w.ours]
            rows = []
            for label, t in best.items():
                ratio = t / ours
                if label.startswith(TWO_THREADS):
                    ratio = ours / t  # speed-up over our own single thread
                goal = w.goals.get(label)
                # the goals are set for the full sizes: at the quick sizes
                # (10-100x smaller, other cache levels, fixed per-call costs)
                # they give no verdict
                met = None if goal is None or quick else bool(ratio >= goal)
                rows.append({"impl": label, "seconds": t, "ratio": ratio, "goal": goal,
                             "met": met})
            results.append({"workload": w.name, "rows": rows})
            del data
    finally:
        errstate.__exit__(None, None, None)
        ib.set_num_threads(old)
        if torch is not None:
            torch.set_num_threads(torch_threads)
    return {"machine": machine_info(), "quick": quick, "repeats": reps, "results": results,
            "absent_peers": absent_peers()}


# The optional peers of the report: module to import, name, install command.
PEERS = [
    ("scipy", "SciPy", "pip install scipy"),
    ("torch", "PyTorch", "pip install torch"),
    ("numexpr", "numexpr", "pip install numexpr"),
    ("sklearn", "scikit-learn", "pip install scikit-learn"),
    ("npeet_plus", "npeet-plus", "pip install npeet-plus"),
    ("pyinform", "pyinform", "pip install pyinform"),
    ("ennemi", "ennemi", "pip install ennemi"),
]
JIDT_INSTALL = "pip install jpype1 && pip install --no-deps idtxl-uv  (and a Java runtime, 11 or newer)"


def absent_peers():
    """The peers the report could not use, each with the command that
    installs it: their rows are missing from the report."""
    out = [{"peer": name, "install": cmd} for mod, name, cmd in PEERS if _optional(mod) is None]
    if ("jp" in _JVM and _JVM["jp"] is None) or ("jp" not in _JVM and not _jidt_installed()):
        out.append({"peer": "JIDT", "install": JIDT_INSTALL})
    return out


def _jidt_installed():
    import importlib.util

    try:
        found = importlib.util.find_spec("idtxl")
        return (importlib.util.find_spec("jpype") is not None and found is not None
                and found.origin is not None
                and os.path.exists(os.path.join(os.path.dirname(found.origin), "infodynamics.jar")))
    except (ImportError, ValueError):
        return False


def positive_int(text):
    """argparse type of the report's counts (``--repeats``): an integer >= 1."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


class Progress:
    """The progress bar of ``infobits bench`` on *stream*, drawn only when
    *stream* is a terminal: each workload's full name on a line of its own
    when it starts, the bar below it redrawn in place.  On a file or a pipe
    (a CI log) it writes nothing, so logs get no carriage returns."""

    def __init__(self, stream=None, width=30):
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        try:
            self.enabled = bool(isatty and isatty())
        except ValueError:  # a closed stream
            self.enabled = False
        self.width = width
        self._name = None

    def __call__(self, done, total, name):
        if not self.enabled:
            return
        w = self.stream
        if name != self._name:
            w.write(f"\r\033[K{name}\n")
            self._name = name
        filled = self.width * done // max(total, 1)
        w.write(f"\r\033[K[{'#' * filled}{'-' * (self.width - filled)}] {done}/{total}")
        if done == total:
            w.write("\n")
        w.flush()


def machine_info():
    info = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "infobits": ib.__version__,
        "platform": platform.platform(),
        "processor": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "simd_path": ib.simd_path(),
        "openmp_threads": ib.get_num_threads(),
    }
    for mod in ("scipy", "torch", "numexpr"):
        m = _optional(mod)
        if m is not None:
            info[mod] = m.__version__
    return info


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


QUICK_NOTE = ("Quick sizes: the goals are set for the full sizes, so this run gives no verdict "
              "(n/a at quick size); run `infobits bench` without --quick to check them.")


def _goal_text(r, quick, markdown=False):
    """The goal cell: empty without a goal; at quick sizes the full-size goal
    and no verdict."""
    if r["goal"] is None:
        return ""
    # (the Markdown table's header says "goal (ratio >=)": a short cell)
    goal = f"{r['goal']:g}x" if markdown else f">= {r['goal']:g}x"
    if quick or r["met"] is None:
        return f"{goal} (full size): n/a at quick size"
    if r["met"]:
        return f"{goal}: met"
    return f"{goal}: **not met**" if markdown else f"{goal}: NOT met"


def _time_text(t):
    if t >= 1.0:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.2f} ms"
    return f"{t * 1e6:.2f} us"


def _absent_lines(report):
    absent = report.get("absent_peers") or []
    if not absent:
        return []
    lines = ["Peers not installed (their rows are missing from this report):"]
    lines += [f"  {p['peer']}: {p['install']}" for p in absent]
    return lines


def format_table(report) -> str:
    quick = report.get("quick", False)
    w = max([44] + [len(_impl_label(r["impl"])) for res in report["results"] for r in res["rows"]])
    lines = []
    for res in report["results"]:
        lines.append(f"\n{res['workload']}")
        lines.append(f"  {'implementation':{w}s} {'best time':>11s} {'ratio':>7s}  goal")
        for r in res["rows"]:
            lines.append(f"  {_impl_label(r['impl']):{w}s} {_time_text(r['seconds']):>11s} "
                         f"{r['ratio']:6.2f}x  {_goal_text(r, quick)}")
    tail = [""]
    if quick:
        tail.append(QUICK_NOTE)
    tail += _absent_lines(report)
    return "\n".join(lines + (tail if len(tail) > 1 else []))


def format_markdown(report) -> str:
    m = report["machine"]
    quick = report.get("quick", False)
    out = ["# infobits benchmark report", "",
           f"Machine: {m['processor']}, {m['cpu_count']} CPUs, SIMD path {m['simd_path']}; "
           f"Python {m['python']}, NumPy {m['numpy']}"
           + "".join(f", {k} {m[k]}" for k in ("scipy", "torch", "numexpr") if k in m)
           + f". Best of {report['repeats']} interleaved repeats, single thread unless noted"
           + (", quick sizes." if quick else "."),
           "",
           "Ratio = peer time / infobits time (for '2 threads': our 1-thread time / 2-thread time).",
           ""]
    if quick:
        out += [QUICK_NOTE, ""]
    absent = report.get("absent_peers") or []
    if absent:
        out += ["Peers not installed (their rows are missing from this report):", ""]
        out += [f"- {p['peer']}: `{p['install']}`" for p in absent] + [""]
    out += ["| workload | implementation | best time | ratio | goal (ratio >=) |",
            "|---|---|---:|---:|---|"]
    for res in report["results"]:
        for i, r in enumerate(res["rows"]):
            name = res["workload"] if i == 0 else ""
            out.append(f"| {name} | {_impl_label(r['impl'])} | {_time_text(r['seconds'])} | "
                       f"{r['ratio']:.2f}x | {_goal_text(r, quick, markdown=True)} |")
    return "\n".join(out) + "\n"


def _chart_rows(report):
    """The chart's lines, top to bottom: ("head", workload) before each
    workload's bars, then ("bar", comparison, ratio, goal, met)."""
    rows = []
    for res in report["results"]:
        bars = []
        for r in res["rows"]:
            if r["impl"] == "infobits":
                continue
            what = ("2 threads (speed-up over 1 thread)" if r["impl"].startswith(TWO_THREADS)
                    else f"vs {r['impl']}")
            bars.append(("bar", what, r["ratio"], r["goal"], r["met"]))
        if bars:
            rows.append(("head", res["workload"]))
            rows.extend(bars)
    return rows


def _wrap(text, width=34):
    """*text* on lines of at most about *width* characters (at spaces)."""
    lines, line = [], ""
    for word in text.replace("vs ", "vs\u00a0", 1).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line]).replace("\u00a0", " ")


def write_chart(report, path) -> bool:
    """The ratios as a horizontal bar chart on a log scale, the value at
    each bar, a marker at each goal and a line at 1x; False if matplotlib
    is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception:  # noqa: BLE001
        return False
    fig = chart_figure(report)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return True


def chart_figure(report):
    """The matplotlib figure of :func:`write_chart` (needs matplotlib)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter
    from matplotlib.transforms import blended_transform_factory

    quick = report.get("quick", False)
    rows = _chart_rows(report)
    bars = [(i, r) for i, r in enumerate(rows) if r[0] == "bar"]
    ratios = np.array([r[2] for _, r in bars], dtype=float)
    lo = min(0.25, float(ratios.min()) / 3.0) if len(bars) else 0.25
    hi = max(10.0, float(ratios.max()) * 3.0) if len(bars) else 10.0
    # 6.4 inches at 150 dpi (960 px): the docs show it about 650 px wide,
    # where the 9-point labels are about 12 px high
    fig, ax = plt.subplots(figsize=(6.4, 0.27 * max(len(rows), 1) + 1.3))
    # bars start at 1x (the break-even line): a bar to the right is the
    # factor by which infobits is faster, to the left slower
    for i, (_, _, ratio, goal, met) in bars:
        color = "tab:gray" if met is None else ("tab:green" if met else "tab:red")
        ax.barh(i, ratio - 1.0, left=1.0, height=0.72, color=color, alpha=0.85)
        if ratio >= 1:  # the value right of the bar and of its goal marker
            ax.text(max(ratio, goal or 0.0) * 1.07, i, f"{ratio:.2f}x", va="center", ha="left",
                    fontsize=8.5)
        else:
            ax.text(min(ratio, goal or np.inf) / 1.07, i, f"{ratio:.2f}x", va="center", ha="right",
                    fontsize=8.5)
        if goal is not None:
            ax.plot([goal], [i], marker="|", markersize=12, markeredgewidth=2.2, color="black")
    # each workload: its name in bold above its bars, on a band shading the
    # group (every other one)
    # (from the figure's left edge, across the labels' column)
    heads = [i for i, r in enumerate(rows) if r[0] == "head"] + [len(rows)]
    head_at = blended_transform_factory(fig.transFigure, ax.transData)
    for g, (start, stop) in enumerate(zip(heads[:-1], heads[1:])):
        band = "0.94" if g % 2 == 0 else "white"
        ax.axhspan(start - 0.5, stop - 0.5, color=band, zorder=0)
        ax.text(0.012, start, rows[start][1], va="center", ha="left", fontsize=9,
                fontweight="bold", transform=head_at, clip_on=False, zorder=3,
                bbox=dict(facecolor=band, edgecolor="none", pad=1.0))
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.axvline(1.0, color="k", lw=1.0)
    ax.set_yticks([i for i, _ in bars], [_wrap(r[1]) for _, r in bars], fontsize=8.5)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
    ax.tick_params(axis="x", labelsize=9, labeltop=True, top=True)
    ax.grid(axis="x", which="major", color="0.8", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("speed-up of infobits (peer time / infobits time), log scale", fontsize=9)
    handles = [Patch(color="tab:green", label="met"), Patch(color="tab:red", label="not met"),
               Patch(color="tab:gray", label="no verdict" if quick else "no goal"),
               Line2D([], [], color="black", marker="|", ls="none", markersize=11,
                      markeredgewidth=2.2, label="goal (full size)" if quick else "goal")]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=4, fontsize=8.5,
              frameon=False, borderaxespad=1.6, handlelength=1.5, columnspacing=1.2)
    title = "infobits benchmark" + (" (quick sizes: goals are for the full sizes)" if quick else "")
    ax.set_title(title, fontsize=10, pad=38)
    fig.tight_layout()
    return fig


def write_report(report, out_dir) -> list:
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    p = os.path.join(out_dir, "report.json")
    with open(p, "w") as f:
        json.dump(report, f, indent=2)
    paths.append(p)
    p = os.path.join(out_dir, "report.md")
    with open(p, "w") as f:
        f.write(format_markdown(report))
    paths.append(p)
    p = os.path.join(out_dir, "report.png")
    if write_chart(report, p):
        paths.append(p)
    return paths


def jidt_multi(jp, cls, **props):
    """A JIDT multivariate calculator (class name under
    infodynamics.measures.continuous) on an (n, d) array, one thread, noise
    and normalisation off; the conversion of the array is part of the call."""
    klass = jp.JClass(f"infodynamics.measures.continuous.{cls}")

    def run(X):
        c = klass()
        for key, val in {"NUM_THREADS": "1", "NOISE_LEVEL_TO_ADD": "0", "NORMALISE": "false",
                         **props}.items():
            c.setProperty(key, str(val))
        c.initialise(X.shape[1])
        c.setObservations(jp.JArray(jp.JDouble, 2)(X))
        return c.computeAverageLocalOfObservations() / LN2
    return run


def _multivariate_workloads(quick):
    """Multivariate measures: joint tables against dit, KSG and Gaussian
    O-information against JIDT (benchmarks/bench_multivariate.py also
    compares hoi)."""
    from . import estimate as est

    out = []
    dit = _optional("dit")

    def table(q):
        p = np.random.default_rng(8).random((10,) * 4) ** 2
        return p / p.sum()

    impls = {"infobits": lambda p: (ib.o_information(p), ib.total_correlation(p))}
    goals = {}
    if dit is not None:
        def dit_both(p):
            d = dit.Distribution.from_ndarray(p)
            return dit.multivariate.o_information(d), dit.multivariate.total_correlation(d)
        impls["dit"] = dit_both
        goals["dit"] = 100.0
    # (10 calls a timing: a call of ~0.1 ms timed alone right after dit's
    # would measure cold caches)
    out.append(Workload("o_information + total_correlation, 4-variable table (10 symbols each)",
                        table, impls, goals, number=10))

    jp = jidt()
    n = 2000 if quick else 10**4
    tag = "2e3" if quick else "1e4"
    ksg = dict(jitter=0, standardize=False)

    def samples(m):
        def setup(q):
            rng = np.random.default_rng(9)
            s = rng.standard_normal((m, 1))
            return np.ascontiguousarray(s + rng.standard_normal((m, 4)))
        return setup

    for name, f, cls in (("o_information", est.o_information, "OInfoCalculatorKraskov"),
                         ("total_correlation", est.total_correlation,
                          "MultiInfoCalculatorKraskov1")):
        impls = {"infobits": lambda X, f=f: f(X, method="ksg", **ksg)}
        goals = {}
        if jp is not None:
            impls["JIDT 1 thread"] = jidt_multi(jp, f"kraskov.{cls}", k=4)
            goals["JIDT 1 thread"] = 5.0
        out.append(Workload(f"KSG {name} 4 variables {tag} k=4",
                            _jit_warmed(samples(n), impls), impls, goals))

    ng = 10**4 if quick else 10**5
    tagg = "1e4" if quick else "1e5"
    for method in ("gaussian", "gcmi"):
        impls = {"infobits": lambda X, m=method: est.o_information(X, method=m)}
        goals = {}
        if jp is not None:
            impls["JIDT OInfoCalculatorGaussian"] = jidt_multi(
                jp, "gaussian.OInfoCalculatorGaussian")
            goals["JIDT OInfoCalculatorGaussian"] = 2.0
        out.append(Workload(f"{method} o_information 4 variables {tagg}",
                            _jit_warmed(samples(ng), impls), impls, goals))
    return out


def _significance_workloads(quick):
    """Permutation tests and the scikit-learn drop-ins (issue 21; the JIDT
    rows are in benchmarks/bench_significance.py)."""
    from infobits import estimate as est
    out = []
    m = 10**5 if quick else 10**6

    def perm_data(q):
        rng = np.random.default_rng(21)
        x = rng.integers(0, 4, m)
        return x, (x + (rng.random(m) < 0.5)) % 4
    out.append(Workload(f"permutation_test plug-in MI {m:.0e} pairs, 999 perms".replace("+0", ""),
                        perm_data, {"infobits": lambda d: est.permutation_test(
                            est.mutual_information, d[0], d[1], random_state=0).pvalue}))
    if _optional("sklearn") is None:
        return out
    from sklearn import feature_selection as fs

    def reg_data(q):
        rng = np.random.default_rng(22)
        X = rng.standard_normal((2000 if q else 10**4, 20))
        return X, X[:, 0] + np.sin(X[:, 1]) + rng.standard_normal(X.shape[0])
    out.append(Workload(f"mutual_info_regression {2000 if quick else 10**4} x 20", reg_data, {
        "infobits": lambda d: est.mutual_info_regression(d[0], d[1], random_state=0),
        "sklearn": lambda d: fs.mutual_info_regression(d[0], d[1], random_state=0)},
        {"sklearn": 5.0}))

    def clf_data(q):
        from sklearn.datasets import load_breast_cancer
        return load_breast_cancer(return_X_y=True)
    out.append(Workload("mutual_info_classif breast_cancer", clf_data, {
        "infobits": lambda d: est.mutual_info_classif(d[0], d[1], random_state=0),
        "sklearn": lambda d: fs.mutual_info_classif(d[0], d[1], random_state=0)},
        {"sklearn": 4.0}))
    return out
