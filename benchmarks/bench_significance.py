"""Permutation tests and the scikit-learn drop-ins beside their peers, single
thread, side by side in one process (issue 21's goal table).

    python benchmarks/bench_significance.py [--repeats 3] [--quick]

Rows (ratio = peer time / infobits time):

- permutation_test of KSG MI (1-D x, y, k=3), n = 10^4, 99 permutations,
  vs JIDT MutualInfoCalculatorMultiVariateKraskov1.computeSignificance(99)
  on one thread (goal >= 10)
- permutation_test of KSG transfer entropy (history 1, k=4), n = 2000, 100
  surrogates, vs JIDT TransferEntropyCalculatorKraskov.computeSignificance(100)
  on one thread (goal >= 10)
- permutation_test of plug-in MI of 10^6 label pairs (4 x 4 labels), 999
  permutations: wall time and CPU time (goal <= 2 s)
- mutual_info_regression, 10^4 x 20, vs scikit-learn (goal >= 5)
- mutual_info_classif, breast_cancer (569 x 30), vs scikit-learn (goal >= 4)

The repeats are interleaved and the best time is kept; the script prints
the CPU and the load average before and after.  JIDT rows need jpype1 and
idtxl-uv's infodynamics.jar (and Java); they are left out otherwise.
"""
from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
from _common import cpu_name as _cpu
from _common import jidt_module as _jidt
from _common import load_average as _load

import infobits as ib
import infobits.estimate as est


def rows(quick=False):
    """(name, data, {label: fn}, {label: goal}) for the installed peers."""
    jd = _jidt()
    out = []
    rng = np.random.default_rng(21)

    n = 2000 if quick else 10**4
    x = rng.standard_normal(n)
    y = 0.3 * x + rng.standard_normal(n)
    impls = {"infobits": lambda d: est.permutation_test(
        est.mutual_information, d[0], d[1], method="ksg", k=3, n_permutations=99,
        random_state=0).pvalue}
    goals = {}
    if jd is not None:
        def jidt_mi(d):
            calc = jd.calculator("measures.continuous.kraskov."
                                 "MutualInfoCalculatorMultiVariateKraskov1", k=3, NUM_THREADS=1)
            calc.initialise(1, 1)
            calc.setObservations(jd.array(d[0]), jd.array(d[1]))
            return calc.computeSignificance(99).pValue
        impls["JIDT Kraskov1 computeSignificance"] = jidt_mi
        goals["JIDT Kraskov1 computeSignificance"] = 10.0
    out.append((f"perm test KSG MI n={n}, 99 perms", (x, y), impls, goals))

    n = 2000
    xs = rng.standard_normal(n)
    ys = np.zeros(n)
    for t in range(1, n):
        ys[t] = 0.5 * ys[t - 1] + 0.3 * xs[t - 1] + rng.standard_normal()
    impls = {"infobits": lambda d: est.permutation_test(
        est.transfer_entropy, d[0], d[1], k=4, n_permutations=100, random_state=0).pvalue}
    goals = {}
    if jd is not None:
        def jidt_te(d):
            calc = jd.calculator("measures.continuous.kraskov.TransferEntropyCalculatorKraskov",
                                 k=4, NUM_THREADS=1)
            calc.initialise(1)
            calc.setObservations(jd.array(d[0]), jd.array(d[1]))
            return calc.computeSignificance(100).pValue
        impls["JIDT TE Kraskov computeSignificance"] = jidt_te
        goals["JIDT TE Kraskov computeSignificance"] = 10.0
    out.append(("perm test KSG TE n=2000, 100 surrogates", (xs, ys), impls, goals))

    m = 10**5 if quick else 10**6
    xl = rng.integers(0, 4, m)
    yl = (xl + (rng.random(m) < 0.5)) % 4
    impls = {"infobits": lambda d: est.permutation_test(
        est.mutual_information, d[0], d[1], n_permutations=999, random_state=0).pvalue}
    out.append((f"perm test plug-in MI {m} pairs, 999 perms", (xl, yl), impls,
                {"seconds": 2.0}))

    try:
        from sklearn.datasets import load_breast_cancer  # noqa: PLC0415
        from sklearn.feature_selection import (  # noqa: PLC0415
            mutual_info_classif,
            mutual_info_regression,
        )
    except ImportError:
        return out
    X = rng.standard_normal((2000 if quick else 10**4, 20))
    yr = X[:, 0] + np.sin(X[:, 1]) + rng.standard_normal(X.shape[0])
    out.append((f"mutual_info_regression {X.shape[0]} x 20", (X, yr), {
        "infobits": lambda d: est.mutual_info_regression(d[0], d[1], random_state=0),
        "sklearn": lambda d: mutual_info_regression(d[0], d[1], random_state=0)},
        {"sklearn": 5.0}))
    Xb, yb = load_breast_cancer(return_X_y=True)
    out.append(("mutual_info_classif breast_cancer", (Xb, yb), {
        "infobits": lambda d: est.mutual_info_classif(d[0], d[1], random_state=0),
        "sklearn": lambda d: mutual_info_classif(d[0], d[1], random_state=0)},
        {"sklearn": 4.0}))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415
        limits = threadpool_limits(1)
    except ImportError:
        limits = None
    old = ib.get_num_threads()
    ib.set_num_threads(1)
    print(f"CPU: {_cpu()}; cores: {os.cpu_count()}; SIMD path: {ib.simd_path()}")
    print(f"load average before: {_load()}")
    print(f"{'workload':44s} {'implementation':36s} {'best s':>9s} {'cpu s':>8s} "
          f"{'ratio':>7s} {'goal':>6s}")
    try:
        for name, data, impls, goals in rows(args.quick):
            best = {k: math.inf for k in impls}
            cpu = {k: math.inf for k in impls}
            for fn in impls.values():
                fn(data)   # warm-up (and the JIT of the JVM)
            for _ in range(args.repeats):
                for label, fn in impls.items():
                    c0, t0 = time.process_time(), time.perf_counter()
                    fn(data)
                    best[label] = min(best[label], time.perf_counter() - t0)
                    cpu[label] = min(cpu[label], time.process_time() - c0)
            ours = best["infobits"]
            for label, t in best.items():
                ratio = t / ours
                goal = goals.get(label)
                mark = "" if goal is None else ("met" if ratio >= goal else "NOT MET")
                if label == "infobits" and "seconds" in goals:
                    goal = goals["seconds"]
                    mark = "met" if t <= goal else "NOT MET"
                    ratio = math.nan
                print(f"{name:44s} {label:36s} {t:9.4f} {cpu[label]:8.4f} {ratio:7.2f} "
                      f"{'' if goal is None else f'{goal:g}':>6s} {mark}")
    finally:
        ib.set_num_threads(old)
        if limits is not None:
            limits.unregister()
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
