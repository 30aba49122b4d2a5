#!/usr/bin/env python3
"""Profile the benchmark rows that fall short of their goal, with perf.

Each workload runs alone in a fresh process (one thread, a loop of calls)
under ``perf record -e cpu-clock``; the script prints the functions that
take at least 3% of the samples.  Build first with the symbol table kept:

    INFOBITS_PROFILE=1 python setup.py build_ext --inplace --force
    PYTHONPATH=src python tools/microbench/profile_rows.py [name ...]

Requires Linux ``perf``.  The figures it gave are in docs/performance.md
("What bounds the short rows").
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

SETUP = """
import warnings, numpy as np, infobits as ib, scipy.special as sp
warnings.simplefilter("ignore")
ib.set_num_threads(1)
rng = np.random.default_rng(0)
"""

# name: (setup, statement, repeats)
ROWS = {
    "self_information": ("p = rng.random(10**7)", "ib.self_information(p)", 40),
    "pmi": ("a, b, c = rng.random((3, 10**7))",
            "ib.pointwise_mutual_information(a, b, c)", 30),
    "entropy": ("p = rng.random(10**7)", "ib.entropy(p)", 80),
    "kl": ("p, q = rng.random((2, 10**7))", "ib.kl_divergence(p, q)", 60),
    "mi": ("pxy = rng.random((1000, 10**4)); pxy /= pxy.sum();"
           " px = pxy.sum(1, keepdims=True); py = pxy.sum(0, keepdims=True)",
           "ib.mutual_information(pxy, px, py)", 60),
    "mi_1000x1000": ("pxy = rng.random((1000, 1000)); pxy /= pxy.sum()",
                     "ib.mutual_information(pxy)", 400),
    "kl_sorted_1e4": ("p = np.sort(rng.normal(0, 1, 10**4)); q = np.sort(rng.normal(1, 1, 10**4))",
                      "ib.kl_divergence(p, q)", 40000),
    "softmax": ("x = rng.normal(size=(10**4, 1000))", "ib.softmax(x, axis=1)", 40),
    "cross_entropy_probs": ("P = rng.random((10**6, 10)); P /= P.sum(1, keepdims=True);"
                            " y = rng.integers(0, 10, 10**6)",
                            "ib.cross_entropy(P, y)", 200),
}


def profile(name: str) -> str:
    setup, stmt, reps = ROWS[name]
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "run.py")
        with open(script, "w") as f:
            f.write(SETUP + setup + f"\nfor _ in range({reps}):\n    {stmt}\n")
        data = os.path.join(d, "perf.data")
        subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-o", data,
                        sys.executable, script], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rep = subprocess.run(["perf", "report", "-i", data, "--stdio", "--sort", "dso,sym",
                              "--percent-limit", "3"], check=True, capture_output=True,
                             text=True).stdout
    lines = [ln.rstrip() for ln in rep.splitlines() if ln.strip() and not ln.startswith("#")]
    return f"== {name}: {stmt}\n" + "\n".join(lines)


def main(argv: list[str]) -> int:
    names = argv or list(ROWS)
    for n in names:
        print(profile(n), flush=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
